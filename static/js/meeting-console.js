// The facilitator's console: start and end, focus clauses with a timer per agenda
// item, call speakers, run silent rounds, and keep attendance for people without a device.
import { _, ngettext } from "./i18n.js";
import { announce, api, bound, connect, el, formatDuration, parseTime, renderQueue, root, serverNow, statusWord } from "./meeting-live.js";

const meetingId = Number(root.dataset.meetingId);
let meeting = null;

function clauseName(clauseId) {
  const option = document.querySelector(`#focus-any option[value="${clauseId}"]`);
  return option ? option.textContent : _("clause %(id)s", { id: clauseId });
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
    blocks.push(el("h3", { text: _("%(group)s (%(present)s present)", { group: groupName, present }) }));
    blocks.push(el("ul", { className: "people" }, ...entries.map((entry) => {
      const state = entry.is_present ? (entry.is_reconnecting ? "reconnecting" : "present") : "left";
      const where = entry.source === "hand" ? _("in the room") : _("online");
      const how = { reconnecting: _("reconnecting"), present: _("present"), left: _("left") }[state];
      const item = el("li", { className: `attendee is-${state}` },
        entry.name, " ", el("span", { className: "hint", text: `${where}, ${how}` }));
      if (entry.source === "hand" && entry.is_present && next.status === "live") {
        const button = el("button", { type: "button", className: "small" }, _("Left"),
          el("span", { className: "visually-hidden", text: `: ${entry.name}` }));
        button.addEventListener("click", () => act(button, "POST", `/meetings/${meetingId}/attendance/${entry.id}/end`));
        item.append(" ", button);
      }
      return item;
    })));
  }
  if (!blocks.length) blocks.push(el("p", { text: _("Nobody yet.") }));
  bound("attendance").replaceChildren(...blocks);
}

function render(next) {
  const previousFocus = meeting && meeting.focus ? meeting.focus.clause_id : null;
  meeting = next;
  const status = bound("status");
  status.textContent = statusWord(next.status);
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
  bound("focus").textContent = focused ? clauseName(focused) : _("nothing");
  if (focused !== previousFocus && focused) announce(_("Focused %(clause)s.", { clause: clauseName(focused) }));
  bound("speaker").textContent = next.speaker ? (next.speaker.name || _("A participant")) : _("nobody");
  renderQueue(bound("queue"), next);
  for (const [index, person] of next.queue.entries()) {
    const button = el("button", { type: "button", className: "small" }, _("Remove"),
      el("span", { className: "visually-hidden", text: ` ${_("%(name)s from the queue", { name: person.name })}` }));
    button.addEventListener("click", () => act(button, "DELETE", `/meetings/${meetingId}/hands/${person.user_id}`));
    bound("queue").children[index].append(" ", button);
  }
  bound("silent").textContent = next.silent_round
    ? ngettext("Open on %(clause)s: %(num)d comment collected, hidden until you reveal them.",
      "Open on %(clause)s: %(num)d comments collected, hidden until you reveal them.",
      next.silent_round.comment_count, { clause: clauseName(next.silent_round.clause_id) })
    : _("No silent round is open.");
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
      announce(_("New comment from %(name)s.", { name: (payload.comment && payload.comment.author.name) || _("a participant") }));
    }
  },
});
setInterval(tick, 1000);

root.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const action = button.dataset.action;
  if (action === "start") act(button, "POST", `/meetings/${meetingId}/start`);
  if (action === "end" && window.confirm(_("End the meeting for everyone? Commenting outside a comment period closes with it."))) {
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
    announce(_("%(name)s added to the attendance.", { name: name.value }));
    name.value = "";
    name.focus();
  }
});
