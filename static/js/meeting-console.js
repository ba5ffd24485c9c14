// The facilitator's console: start and end, focus clauses with a timer per agenda
// item, call speakers, run silent rounds, and keep attendance for people without a device.
import { announce, api, bound, connect, el, formatDuration, parseTime, renderQueue, root, serverNow } from "./meeting-live.js";

const meetingId = Number(root.dataset.meetingId);
let meeting = null;

function clauseName(clauseId) {
  const option = document.querySelector(`#focus-any option[value="${clauseId}"]`);
  return option ? option.textContent : `clause ${clauseId}`;
}

function showError(message) {
  bound("error").textContent = message || "";
}

async function act(button, method, path, body) {
  showError("");
  if (button) button.disabled = true;
  try {
    const data = await api(method, path, body);
    if (data.meeting) render(data.meeting);
    return data;
  } catch (error) {
    showError(error.message);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

function tick() {
  if (!meeting) return;
  const now = serverNow();
  const since = meeting.focus ? parseTime(meeting.focus.since) : null;
  const asOf = parseTime(meeting.as_of);
  for (const item of root.querySelectorAll(".agenda-item")) {
    const clauseId = Number(item.dataset.clauseId);
    let spent = Number(item.dataset.spent);
    if (meeting.status === "live" && meeting.focus && meeting.focus.clause_id === clauseId && since) {
      spent += Math.max(0, (now - asOf) / 1000);
    }
    item.querySelector('[data-bind="spent"]').textContent = formatDuration(spent);
    item.classList.toggle("is-over", spent > Number(item.dataset.minutes) * 60);
  }
  const started = parseTime(meeting.started_at);
  const ended = parseTime(meeting.ended_at);
  bound("meeting-clock").textContent = started ? formatDuration(((ended || now) - started) / 1000) : "0:00";
}

function renderAttendance(next) {
  const groups = new Map();
  for (const entry of next.attendance) {
    if (!groups.has(entry.group_name)) groups.set(entry.group_name, []);
    groups.get(entry.group_name).push(entry);
  }
  const blocks = [];
  for (const [groupName, entries] of groups) {
    const present = entries.filter((e) => e.is_present).length;
    blocks.push(el("h3", { text: `${groupName} (${present} present)` }));
    blocks.push(el("ul", { className: "people" }, ...entries.map((entry) => {
      const state = entry.is_present ? (entry.is_reconnecting ? "reconnecting" : "present") : "left";
      const item = el("li", { className: `attendee is-${state}` },
        entry.name, " ", el("span", { className: "hint", text: `${entry.source === "hand" ? "in the room" : "online"}, ${state}` }));
      if (entry.source === "hand" && entry.is_present && next.status === "live") {
        const button = el("button", { type: "button", className: "small" }, "Left",
          el("span", { className: "visually-hidden", text: `: ${entry.name}` }));
        button.addEventListener("click", () => act(button, "POST", `/meetings/${meetingId}/attendance/${entry.id}/end`));
        item.append(" ", button);
      }
      return item;
    })));
  }
  if (!blocks.length) blocks.push(el("p", { text: "Nobody yet." }));
  bound("attendance").replaceChildren(...blocks);
}

function render(next) {
  const previousFocus = meeting && meeting.focus ? meeting.focus.clause_id : null;
  meeting = next;
  const status = bound("status");
  status.textContent = next.status;
  status.className = `status status-${next.status}`;
  root.querySelector('[data-action="start"]').hidden = next.status !== "scheduled";
  root.querySelector('[data-action="end"]').hidden = next.status !== "live";
  bound("minutes-link").hidden = next.status !== "ended";
  for (const item of next.agenda) {
    const node = root.querySelector(`.agenda-item[data-clause-id="${item.clause_id}"]`);
    if (node) node.dataset.spent = String(item.seconds_spent);
  }
  const focused = next.focus ? next.focus.clause_id : null;
  for (const node of root.querySelectorAll(".agenda-item")) {
    const on = Number(node.dataset.clauseId) === focused;
    node.classList.toggle("is-focused", on);
    if (on) node.setAttribute("aria-current", "true");
    else node.removeAttribute("aria-current");
  }
  bound("focus").textContent = focused ? clauseName(focused) : "nothing";
  if (focused !== previousFocus && focused) announce(`Focused ${clauseName(focused)}.`);
  bound("speaker").textContent = next.speaker ? (next.speaker.name || "A participant") : "nobody";
  renderQueue(bound("queue"), next);
  for (const [index, person] of next.queue.entries()) {
    const button = el("button", { type: "button", className: "small" }, "Remove",
      el("span", { className: "visually-hidden", text: ` ${person.name} from the queue` }));
    button.addEventListener("click", () => act(button, "DELETE", `/meetings/${meetingId}/hands/${person.user_id}`));
    bound("queue").children[index].append(" ", button);
  }
  bound("silent").textContent = next.silent_round
    ? `Open on ${clauseName(next.silent_round.clause_id)}: ${next.silent_round.comment_count} comments collected, hidden until you reveal them.`
    : "No silent round is open.";
  root.querySelector('[data-action="silent-start"]').hidden = Boolean(next.silent_round);
  root.querySelector('[data-action="silent-reveal"]').hidden = !next.silent_round;
  bound("present-count").textContent = String(next.present_count);
  renderAttendance(next);
  for (const button of root.querySelectorAll('[data-action="focus"], [data-action="focus-any"], [data-action="next"], [data-action^="silent"]')) {
    button.disabled = next.status !== "live";
  }
  root.querySelector("#attendance-form button").disabled = next.status !== "live";
  tick();
}

connect({
  onMeeting: render,
  onEvent(name, payload) {
    if (name === "comment.created" && payload.data && payload.data.meeting_id === meetingId) {
      announce(`New comment from ${payload.comment ? (payload.comment.author.name || "a participant") : "a participant"}.`);
    }
  },
});
setInterval(tick, 1000);

root.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const action = button.dataset.action;
  if (action === "start") act(button, "POST", `/meetings/${meetingId}/start`);
  if (action === "end" && window.confirm("End the meeting for everyone? Commenting outside a comment period closes with it.")) {
    act(button, "POST", `/meetings/${meetingId}/end`);
  }
  if (action === "focus") act(button, "POST", `/meetings/${meetingId}/focus`, { clause_id: Number(button.dataset.clauseId) });
  if (action === "focus-any") {
    act(button, "POST", `/meetings/${meetingId}/focus`, { clause_id: Number(document.getElementById("focus-any").value) });
  }
  if (action === "next") act(button, "POST", `/meetings/${meetingId}/speaker/next`);
  if (action === "silent-start") act(button, "POST", `/meetings/${meetingId}/silent-rounds`, {});
  if (action === "silent-reveal") act(button, "POST", `/meetings/${meetingId}/silent-rounds/current/reveal`);
});

document.getElementById("attendance-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const name = document.getElementById("attendee-name");
  const group = document.getElementById("attendee-group");
  const done = await act(form.querySelector("button"), "POST", `/meetings/${meetingId}/attendance`,
    { name: name.value, group: group.value });
  if (done) {
    announce(`${name.value} added to the attendance.`);
    name.value = "";
    name.focus();
  }
});
