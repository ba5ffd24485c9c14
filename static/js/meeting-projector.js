// The projector view: the focused clause in large type, its live comments, the queue.
import { _, ngettext } from "./i18n.js";
import { bound, connect, placeComment, renderQueue, root , statusWord } from "./meeting-live.js";

function render(meeting) {
  const focused = meeting.focus ? meeting.focus.clause_id : null;
  for (const article of root.querySelectorAll(".projected")) {
    const clauseId = Number(article.dataset.clauseId);
    article.hidden = clauseId !== focused;
    const silent = bound(`silent-${clauseId}`);
    const round = meeting.silent_round && meeting.silent_round.clause_id === clauseId ? meeting.silent_round : null;
    silent.hidden = !round;
    if (round) silent.textContent = ngettext("Silent round: %(num)d comment collected, shown when revealed.", "Silent round: %(num)d comments collected, shown when revealed.", round.comment_count);
  }
  bound("idle").hidden = focused !== null;
  const status = bound("status");
  status.textContent = statusWord(meeting.status);
  status.className = `status status-${meeting.status}`;
  bound("speaker").textContent = meeting.speaker ? (meeting.speaker.name || _("A participant")) : "—";
  renderQueue(bound("queue"), meeting);
  bound("present-count").textContent = String(meeting.present_count);
}

const meetingId = Number(root.dataset.meetingId);
connect({
  onMeeting: render,
  onEvent(name, payload) {
    const ours = (comment) => comment && comment.status !== "hidden";
    if (name === "comment.created" && payload.comment && payload.data.meeting_id === meetingId && ours(payload.comment)) {
      placeComment(payload.comment);
    }
    if ((name === "comment.edited" || name === "comment.hidden") && payload.comment) {
      const shown = root.querySelector(`[data-comment-id="${payload.comment.id}"]`);
      if (shown) placeComment(payload.comment);
    }
    if (name === "meeting.silent_round_revealed") {
      for (const comment of payload.comments || []) placeComment(comment);
    }
  },
});
