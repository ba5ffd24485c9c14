// The live side of a meeting page: joins the meeting over Socket.IO, applies its
// events once each and in seq order, and re-joins after a reconnect with the last
// seq seen so nothing is lost. Shared by the participant, console and projector pages.
import { _ } from "./i18n.js";

export const root = document.getElementById("meeting-root");
export const meetingId = Number(root.dataset.meetingId);

const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

// Elements marked data-bind="name" inside the page.
export function bound(name) {
  return root.querySelector(`[data-bind="${name}"]`);
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "className") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) node.append(child);
  return node;
}

export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  setTimeout(() => { region.textContent = message; }, 50);
}

// A JSON API call with the session cookie and the page's CSRF token.
export async function api(method, path, body) {
  const response = await fetch(`/api/v1${path}`, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = data.error ? data.error.message : _("The server answered %(status)s.", { status: response.status });
    throw new Error(message);
  }
  return data;
}

export function randomKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function formatDuration(seconds) {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

// Server time now, from the meeting's `as_of` and how long ago it arrived (no clock skew).
let asOf = null;
export function serverNow() {
  if (!asOf) return Date.now();
  return asOf.server + (performance.now() - asOf.local);
}

export function parseTime(iso) {
  return iso ? Date.parse(iso) : null;
}

export function renderComment(comment) {
  const body = comment.body === null
    ? el("em", { text: _("Hidden by a moderator.") })
    : document.createTextNode(comment.body);
  return el("li", { className: "comment", "data-comment-id": comment.id },
    el("p", { className: "comment-meta" },
      el("strong", { text: comment.author.name || _("A participant") }), " ",
      el("span", { className: "badge", text: comment.author.group_name || comment.author.group }),
      " · ", el("span", { className: "kind", text: kindWord(comment.kind) })),
    el("p", { className: "comment-body", ...(comment.body === null ? {} : { lang: comment.language || "en" }) }, body));
}

// Add or update a comment under its clause (lists marked data-comments-for).
export function placeComment(comment) {
  for (const list of root.querySelectorAll(`[data-comments-for="${comment.clause_id}"]`)) {
    const existing = list.querySelector(`[data-comment-id="${comment.id}"]`);
    const node = renderComment(comment);
    if (existing) existing.replaceWith(node);
    else list.append(node);
  }
}

export function renderQueue(list, meeting) {
  list.replaceChildren(...meeting.queue.map((person) =>
    el("li", {}, person.name || _("A participant"), " ", el("span", { className: "badge", text: person.group_name }))));
  if (!meeting.queue.length) list.append(el("li", { className: "empty", text: _("Nobody is waiting.") }));
}

// Connect and follow the meeting. `onMeeting(meeting)` gets every new state of the
// meeting; `onEvent(name, payload)` every event, in seq order, once.
export function connect({ onMeeting, onEvent = () => {} }) {
  let last = Number(root.dataset.head);
  const status = bound("connection");
  const socket = window.io({ transports: (document.querySelector('meta[name="live-transports"]')?.content || "websocket").split(",") });

  function apply(name, payload) {
    if (typeof payload.seq === "number") {
      if (payload.seq <= last) return;
      last = payload.seq;
    }
    if (payload.meeting && payload.meeting.id === meetingId) setMeeting(payload.meeting);
    if (name === "meeting.silent_round_progress") {
      // A count only, outside the log: how many comments the open silent round holds.
      const round = current && current.silent_round;
      if (round && round.id === payload.round_id) {
        // A round's count only grows; two commits' notices may arrive swapped.
        round.comment_count = Math.max(round.comment_count || 0, payload.comment_count);
        onMeeting(current);
      }
      return;
    }
    onEvent(name, payload);
  }

  let current = null;

  function setMeeting(meeting) {
    asOf = { server: Date.parse(meeting.as_of), local: performance.now() };
    current = meeting;
    onMeeting(meeting);
  }

  // Live events that arrive while a join is answered wait for its catch-up, so
  // that everything is applied in seq order.
  let held = null;

  // A reader without an account follows the document's room (read-only); people with an
  // account join the meeting itself, which also records their attendance.
  const anonymous = root.dataset.reader === "anonymous";

  function join() {
    held = [];
    const [event, payload] = anonymous
      ? ["join", { document_id: Number(root.dataset.documentId), since: last }]
      : ["meeting.join", { meeting_id: meetingId, since: last }];
    socket.emit(event, payload, (ack) => {
      const waiting = held || [];
      held = null;
      if (!ack || !ack.ok) {
        if (status) status.textContent = ack && ack.error ? ack.error.message : _("Could not join.");
        return;
      }
      if (status) status.textContent = _("Connected");
      const events = [...(ack.missed || []).map((e) => [e.action, e]), ...waiting];
      events.sort((a, b) => (a[1].seq || 0) - (b[1].seq || 0));
      if (ack.meeting) setMeeting(ack.meeting);
      for (const [name, payload] of events) apply(name, payload);
      if (typeof ack.head === "number" && ack.head > last) last = ack.head;
    });
  }

  socket.on("connect", join);
  socket.on("disconnect", () => { if (status) status.textContent = _("Reconnecting…"); });
  socket.on("connect_error", () => { if (status) status.textContent = _("Cannot reach the server; retrying…"); });
  socket.onAny((name, payload) => {
    if (name === "presence" || !payload || typeof payload !== "object") return;
    if (payload.document_id !== Number(root.dataset.documentId)) return;
    if (held) held.push([name, payload]);
    else apply(name, payload);
  });
  return socket;
}

// The words for a meeting's state and a comment's kind, as the pages print them.
export function statusWord(status) {
  return { scheduled: _("scheduled"), live: _("live"), ended: _("ended") }[status] || status;
}

export function kindWord(kind) {
  return { concern: _("Concern"), suggestion: _("Suggestion"), support: _("Support"), question: _("Question"),
    reply: _("Reply") }[kind] || kind;
}
