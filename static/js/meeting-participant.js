// The participant's meeting page: follows the facilitator's focus (unless browsing
// freely), shows the speaker queue, raises and lowers the hand, comments live.
import { refreshCounters } from "./counter.js";
import { _, ngettext } from "./i18n.js";
import { announce, bound, connect, el, placeComment, randomKey, renderQueue, root , statusWord } from "./meeting-live.js";

const userId = Number(root.dataset.userId);
const browseFreely = document.getElementById("browse-freely");
const handButton = document.getElementById("hand-button");
const form = document.getElementById("meeting-comment-form");
const clauseSelect = document.getElementById("comment-clause");
const kindSelect = document.getElementById("comment-kind");
const bodyField = document.getElementById("comment-body");
let meeting = null;
let focusedClause = null;
let clauseChosenByHand = false;

function clauseLabel(clauseId) {
  const title = document.getElementById(`clause-title-${clauseId}`);
  return title ? title.firstChild.textContent + title.childNodes[1].textContent.trim() : "";
}

function showFocus(clauseId, follow) {
  for (const article of root.querySelectorAll(".clause")) {
    const on = Number(article.dataset.clauseId) === clauseId;
    article.classList.toggle("is-focused", on);
    article.querySelector(".focus-flag").hidden = !on;
    if (on) article.setAttribute("aria-current", "true");
    else article.removeAttribute("aria-current");
  }
  bound("focus").textContent = clauseId ? clauseLabel(clauseId) : _("Nothing yet.");
  if (clauseSelect && clauseId && !clauseChosenByHand) clauseSelect.value = String(clauseId);
  if (follow && clauseId && !browseFreely.checked) {
    const article = document.getElementById(`clause-${clauseId}`);
    const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    article.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "start" });
  }
}

function render(next) {
  const previousFocus = focusedClause;
  meeting = next;
  focusedClause = next.focus ? next.focus.clause_id : null;
  const status = bound("status");
  status.textContent = statusWord(next.status);
  status.className = `status status-${next.status}`;
  showFocus(focusedClause, focusedClause !== previousFocus);
  if (focusedClause !== previousFocus && focusedClause) announce(_("Now discussing %(clause)s.", { clause: clauseLabel(focusedClause) }));
  bound("speaker").textContent = next.speaker ? (next.speaker.name || _("A participant")) : _("nobody");
  renderQueue(bound("queue"), next);
  const silent = bound("silent");
  if (next.silent_round) {
    silent.hidden = false;
    silent.textContent = _("Silent round on %(clause)s: comments on it stay hidden from others until the facilitator reveals them all together (%(count)s so far).",
      { clause: clauseLabel(next.silent_round.clause_id), count: next.silent_round.comment_count });
  } else {
    silent.hidden = true;
  }
  const present = next.attendance.filter((a) => a.is_present);
  bound("present-count").textContent = String(present.length);
  bound("present").replaceChildren(...present.map((a) =>
    el("li", {}, a.name, " ", el("span", { className: "badge", text: a.group_name }))));
  if (handButton) {
    const raised = next.queue.some((p) => p.user_id === userId) || (next.speaker && next.speaker.user_id === userId);
    handButton.textContent = raised ? (next.speaker && next.speaker.user_id === userId ? _("Done speaking") : _("Lower hand")) : _("Raise hand");
    handButton.setAttribute("aria-pressed", raised ? "true" : "false");
    handButton.disabled = next.status !== "live";
  }
}

const socket = connect({
  onMeeting: render,
  onEvent(name, payload) {
    if ((name === "comment.created" || name === "comment.edited" || name === "comment.hidden") && payload.comment) {
      placeComment(payload.comment);
    }
    if (name === "meeting.silent_round_revealed") {
      for (const comment of payload.comments || []) placeComment(comment);
      announce(ngettext("%(num)d comment of the silent round is revealed.", "%(num)d comments of the silent round are revealed.", (payload.comments || []).length));
    }
    if (name === "meeting.ended") announce(_("The meeting has ended."));
  },
});

browseFreely.addEventListener("change", () => {
  if (!browseFreely.checked && focusedClause) showFocus(focusedClause, true);
});

if (handButton) {
  handButton.addEventListener("click", () => {
    const raised = handButton.getAttribute("aria-pressed") === "true";
    const error = bound("hand-error");
    error.textContent = "";
    handButton.disabled = true;
    socket.emit(raised ? "meeting.lower_hand" : "meeting.raise_hand", { meeting_id: meeting.id }, (ack) => {
      handButton.disabled = false;
      if (!ack.ok) error.textContent = ack.error.message;
      else render(ack.meeting);
    });
  });
}

if (form) {
  clauseSelect.addEventListener("change", () => { clauseChosenByHand = true; });
  let key = randomKey();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const error = bound("comment-error");
    const statusLine = bound("comment-status");
    error.textContent = "";
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const clauseId = Number(clauseSelect.value);
    socket.emit("comment.create", {
      clause_id: clauseId, kind: kindSelect.value, body: bodyField.value, idempotency_key: key,
    }, (ack) => {
      button.disabled = false;
      if (!ack.ok) {
        error.textContent = ack.error.message;
        bodyField.focus();
        return;
      }
      key = randomKey();
      bodyField.value = "";
      refreshCounters(form);
      placeComment(ack.comment);
      const silent = meeting && meeting.silent_round && meeting.silent_round.clause_id === clauseId;
      statusLine.textContent = silent
        ? _("Sent. It stays hidden from others until the silent round is revealed.")
        : _("Sent.");
      clauseChosenByHand = false;
    });
  });
}
