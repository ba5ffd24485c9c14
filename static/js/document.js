// The document page, live: comments, counts, the comment-period banner and who is here,
// kept current over Socket.IO; comment forms sent through the JSON API.
import { _, formatNumber, ngettext, parts } from "./i18n.js";
import { buildComment, buildThread, openReplyForm, refreshComment } from "./comments.js";
import { showCosigners, wireCosigning } from "./cosign.js";
import { wireSimilar } from "./similar.js";
import { refreshCounters } from "./counter.js";
import { EventStream } from "./live.js";
import { timeElement } from "./time.js";

const root = document.getElementById("document");
const page = {
  documentId: Number(root.dataset.documentId),
  userId: Number(root.dataset.userId),
  version: Number(root.dataset.version),
  tones: JSON.parse(root.dataset.groupTones || "{}"),
  kindLabels: JSON.parse(root.dataset.kindLabels || "{}"),
  period: JSON.parse(root.dataset.period || "null"),
  groupNames: JSON.parse(root.dataset.groupNames || "{}"),
  viewer: JSON.parse(root.dataset.viewer || "{}"),
  commentActions: JSON.parse(root.dataset.commentActions || "{}"),
  dispositionLabels: JSON.parse(root.dataset.dispositionLabels || "{}"),
  cosignTexts: JSON.parse(root.dataset.cosignTexts || "{}"),
  enteredFrom: JSON.parse(root.dataset.enteredFrom || "{}"),
  threadOrder: root.dataset.threadOrder || "newest",
};
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
page.csrfToken = csrfToken;
const announcer = document.getElementById("announcer");
const liveStatus = document.getElementById("live-status");

// --- keeping the reader's place ------------------------------------------------

const ANCHOR_CANDIDATES = ".clause > h2, .clause-body, .clause-count, .comment, details > summary";

function firstVisible() {
  for (const node of document.querySelectorAll(ANCHOR_CANDIDATES)) {
    const box = node.getBoundingClientRect();
    if (box.bottom > 0 && box.height > 0) return node;
  }
  return null;
}

// Run `change` (which adds content) without moving what the reader is looking at.
function keepPlace(change) {
  const anchor = firstVisible();
  const before = anchor ? anchor.getBoundingClientRect().top : 0;
  change();
  if (anchor && anchor.isConnected) {
    const moved = anchor.getBoundingClientRect().top - before;
    if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
  }
}

// --- announcements, grouped per clause over a moment ---------------------------

const arrivals = new Map();
let announceTimer = null;

function announceArrival(clauseNumber) {
  arrivals.set(clauseNumber, (arrivals.get(clauseNumber) || 0) + 1);
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    const parts = [...arrivals].map(([number, count]) =>
      ngettext("%(num)d new comment on %(clause)s", "%(num)d new comments on %(clause)s", count, { clause: number }));
    arrivals.clear();
    say(parts.join("; ") + ".");
  }, 1500);
}

function say(text) {
  announcer.textContent = "";
  setTimeout(() => { announcer.textContent = text; }, 50);
}

// --- comments --------------------------------------------------------------------

function clauseSection(clauseId) {
  return document.getElementById(`clause-${clauseId}`);
}

function setCount(section, count) {
  const counter = section.querySelector("[data-count]");
  counter.dataset.count = count;
  counter.textContent = ngettext("%(num)d comment", "%(num)d comments", count);
}

// Insert a comment once; returns true when it was new on this page.
function addComment(comment) {
  if (document.getElementById(`comment-${comment.id}`)) return false;
  const section = clauseSection(comment.clause_id);
  if (!section) return false; // a clause not in the version shown
  keepPlace(() => {
    if (comment.parent_id) {
      // A reply in a thread not loaded yet only counts; it comes with its thread.
      const thread = document.getElementById(`thread-${comment.parent_id}`);
      if (thread) {
        const node = buildComment(comment, page);
        node.classList.add("is-new");
        thread.querySelector(".replies").append(node);
      }
    } else {
      // A new thread goes on top, marked new, in either order (in "most co-signed first" it
      // would otherwise be out of sight); the rest load below on demand and skip it.
      const node = buildThread(comment, page);
      node.classList.add("is-new");
      section.querySelector(".threads").prepend(node);
    }
    setCount(section, Number(section.querySelector("[data-count]").dataset.count) + 1);
    highlightClause(section);
  });
  return true;
}

// A comment changed (answered, reopened, hidden, edited, redacted...): redraw it in place.
function replaceComment(comment) {
  const article = document.getElementById(`comment-${comment.id}`);
  if (!article) return false;
  const hadFocus = article.contains(document.activeElement);
  keepPlace(() => {
    refreshComment(comment, page);
    const section = clauseSection(comment.clause_id);
    if (section) highlightClause(section);
  });
  // The focused control may have gone with the old markup: keep the keyboard in this comment.
  if (hadFocus && !article.contains(document.activeElement)) {
    article.tabIndex = -1;
    article.focus({ preventScroll: true });
  }
  return true;
}

// --- campaigns: copies shown once, through their representative, as the server draws them --

// The line under a campaign's representative (or a member with words of its own), as
// templates/campaigns/_badge.html renders it.
function campaignBadge(campaign, isRepresentative) {
  const note = document.createElement("p");
  note.className = "campaign-note";
  const link = document.createElement("a");
  link.href = `/campaigns/${campaign.id}`;
  const count = isRepresentative
    ? ngettext("Campaign: %(num)s comment", "Campaign: %(num)s comments", campaign.count)
    : ngettext("Part of a campaign of %(num)s comment", "Part of a campaign of %(num)s comments", campaign.count);
  link.textContent = `${count} (${_("%(unique)s unique", { unique: formatNumber(campaign.unique_count) })})`;
  note.append(link);
  const groups = Object.entries(campaign.by_group || {});
  if (groups.length) note.append(` · ${groups.map(([slug, n]) => `${groupName(slug)} ${n}`).join(", ")}`);
  return note;
}

function setBadge(thread, campaign, isRepresentative) {
  thread.querySelector(":scope > .campaign-note")?.remove();
  if (!campaign) return;
  const article = thread.querySelector(":scope > .comment");
  if (article) article.after(campaignBadge(campaign, isRepresentative));
}

// A thread drawn without counting a new comment (one that left a campaign, or its representative).
function placeThread(comment, before) {
  const section = clauseSection(comment.clause_id);
  if (!section || comment.parent_id) return null;
  const node = buildThread(comment, page);
  const threads = section.querySelector(".threads");
  if (before && before.parentNode === threads) threads.insertBefore(node, before);
  else threads.prepend(node);
  wireForms(node);
  return node;
}

// campaign.proposed / campaign.grouped / campaign.left: copies that add nothing of their own
// go, their representative carries the campaign's line, members with words of their own
// carry theirs, and comments that left a campaign are shown on their own again.
function showCampaign(event) {
  const campaign = event.campaign;
  const data = event.data || {};
  const shown = campaign.state !== "dissolved";
  const unique = new Set(data.unique_comment_ids || []);
  keepPlace(() => {
    for (const comment of event.comments || []) {
      const thread = document.getElementById(`thread-${comment.id}`);
      if (thread) setBadge(thread, null);
      else placeThread(comment);
    }
    if (!shown) {
      for (const link of document.querySelectorAll(`.campaign-note a[href="/campaigns/${campaign.id}"]`)) {
        link.closest(".campaign-note").remove();
      }
      return;
    }
    let freed = null; // where the first copy that went was: {next} (its representative is drawn there)
    if (event.action !== "campaign.left") {
      for (const id of data.comment_ids || []) {
        const thread = document.getElementById(`thread-${id}`);
        if (!thread || id === campaign.representative_id) continue;
        if (unique.has(id)) {
          setBadge(thread, campaign, false);
        } else if (!thread.contains(document.activeElement) && !thread.querySelector(".reply-box")) {
          // Not while the reader is in it (a reply being written stays where it is).
          freed = freed || { next: thread.nextElementSibling };
          thread.remove();
        }
      }
    }
    let representative = document.getElementById(`thread-${campaign.representative_id}`);
    if (!representative && event.representative && freed !== null) {
      representative = placeThread(event.representative, freed.next);
    }
    if (representative) setBadge(representative, campaign, true);
    for (const link of document.querySelectorAll(`.campaign-note a[href="/campaigns/${campaign.id}"]`)) {
      const thread = link.closest(".thread");
      if (thread && thread !== representative && !unique.has(Number(thread.dataset.threadId))) {
        setBadge(thread, campaign, false);
      }
    }
  });
}

// --- quoted passages, highlighted in the clause's text ------------------------------

const PLACED = ["exact", "moved", "fuzzy"];

// Anchors count characters the way Python does (code points); JavaScript strings count UTF-16 units.
function toUnits(text, codePoints) {
  return Array.from(text).slice(0, codePoints).join("").length;
}

function quotedRanges(section, text) {
  const ranges = [];
  for (const article of section.querySelectorAll(".comment[data-anchor]")) {
    if (!PLACED.includes(article.dataset.anchor) || article.dataset.status === "hidden") continue;
    if (Number(article.dataset.anchorVersion) !== page.version) continue;
    let start = -1;
    let end = -1;
    if (article.dataset.anchorStart !== undefined) {
      start = toUnits(text, Number(article.dataset.anchorStart));
      end = toUnits(text, Number(article.dataset.anchorEnd));
    } else {
      const quote = article.querySelector(":scope > .comment-quote")?.lastChild?.textContent || "";
      start = quote ? text.indexOf(quote) : -1;
      end = start + quote.length;
    }
    if (start >= 0 && end > start && end <= text.length) ranges.push([start, end]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

function highlightClause(section) {
  const body = section.querySelector(".clause-body");
  const text = body.textContent;
  const ranges = quotedRanges(section, text);
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    const mark = document.createElement("mark");
    mark.className = "quoted";
    mark.textContent = text.slice(start, end);
    parts.push(mark);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  body.replaceChildren(...parts);
}

// --- the comment-period banner -----------------------------------------------------

const banner = document.getElementById("period-banner");
const countdown = document.getElementById("period-countdown");
let bannerTimer = null;
let countdownTarget = null;

// "(closes in 2 days 4 hours)": written out, refreshed every half minute, never announced.
function showCountdown() {
  if (!countdownTarget) {
    countdown.textContent = "";
    return;
  }
  const minutes = Math.max(0, Math.round((countdownTarget.at - Date.now()) / 60000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const day = (n) => ngettext("%(num)d day", "%(num)d days", n);
  const hour = (n) => ngettext("%(num)d hour", "%(num)d hours", n);
  const minute = (n) => ngettext("%(num)d minute", "%(num)d minutes", n);
  let left;
  if (days) left = hours ? `${day(days)} ${hour(hours)}` : day(days);
  else if (hours) left = rest ? `${hour(hours)} ${minute(rest)}` : hour(hours);
  else left = minutes ? minute(rest) : _("less than a minute");
  countdown.textContent = countdownTarget.word === "closes" ? _("(closes in %(left)s)", { left }) : _("(opens in %(left)s)", { left });
}
setInterval(showCountdown, 30000);

function showPeriod(period) {
  page.period = period;
  const now = Date.now();
  const opens = period ? Date.parse(period.opens_at) : NaN;
  const closes = period ? Date.parse(period.closes_at) : NaN;
  const open = Boolean(period) && opens <= now && now < closes;
  const upcoming = Boolean(period) && now < opens;
  banner.replaceChildren();
  if (open) {
    banner.append(...parts(_("Commenting is open until %(closes)s."), { closes: timeElement(period.closes_at) }));
  } else if (upcoming) {
    banner.append(...parts(_("Commenting is closed. It opens %(opens)s and closes %(closes)s."),
      { opens: timeElement(period.opens_at), closes: timeElement(period.closes_at) }));
  } else if (period) {
    banner.append(...parts(_("Commenting is closed since %(closes)s. You can still read every comment."),
      { closes: timeElement(period.closes_at) }));
  } else {
    banner.append(_("Commenting is closed: no comment period has been opened yet. You can read the draft."));
  }
  countdownTarget = open ? { at: closes, word: "closes" } : upcoming ? { at: opens, word: "opens" } : null;
  banner.append(" ", countdown);
  showCountdown();
  banner.className = `banner ${open ? "banner-open" : "banner-closed"}`;
  const wasOpen = !root.classList.contains("commenting-closed");
  const held = wasOpen && !open ? holdUnsent(period) : 0;
  if (!wasOpen && open) releaseUnsent();
  root.classList.toggle("commenting-closed", !open);
  // Periods open and close by the clock too: look again at the next boundary.
  clearTimeout(bannerTimer);
  const next = upcoming ? opens : open ? closes : null;
  if (next !== null) {
    bannerTimer = setTimeout(() => {
      const change = showPeriod(page.period);
      if (change.closedNow) sayPeriod(change);
    }, Math.min(next - now + 500, 2 ** 31 - 1));
  }
  return { closedNow: wasOpen && !open, held };
}

function sayPeriod(change) {
  const text = banner.textContent.replace(countdown.textContent, "").trim();
  say(change.held ? `${text} ${_("Your unsent text was not posted; it stays on the page for you to copy.")}` : text);
}

function periodChanged(period) {
  const shown = page.period;
  const shownIsOpen = shown && Date.parse(shown.opens_at) <= Date.now() && Date.now() < Date.parse(shown.closes_at);
  // Another period scheduled or cancelled while one is open does not change today's answer.
  if (shownIsOpen && shown.id !== period.id) return;
  sayPeriod(showPeriod(period));
}

// --- unsent text when commenting closes ----------------------------------------------
// Closing hides the comment forms, except those holding text the person has not sent:
// they stay, read-only (selectable, copyable), with a note saying what happened.

function holdUnsent(period) {
  let held = 0;
  for (const form of root.querySelectorAll("form.comment-form")) {
    const typed = [...form.querySelectorAll("textarea:not([name=quote])")].some((field) => field.value.trim());
    if (!typed) continue;
    held += 1;
    const box = form.closest("details");
    box.classList.add("holds-unsent");
    box.open = true;
    for (const field of form.querySelectorAll("textarea")) field.readOnly = true;
    for (const control of form.querySelectorAll("select, button")) control.disabled = true;
    let note = form.querySelector(".unsent-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "unsent-note";
      form.prepend(note);
    }
    note.replaceChildren(...parts(_("Commenting closed at %(closes)s while you were writing. Your text was not posted; it stays here, read-only, so you can copy it."),
      { closes: timeElement(period ? period.closes_at : new Date().toISOString()) }));
  }
  return held;
}

function releaseUnsent() {
  for (const box of root.querySelectorAll(".holds-unsent")) {
    box.classList.remove("holds-unsent");
    for (const field of box.querySelectorAll("textarea:not([name=quote])")) field.readOnly = false;
    for (const control of box.querySelectorAll("select, button")) control.disabled = false;
    for (const note of box.querySelectorAll(".unsent-note")) note.remove();
  }
}

// --- applying events ---------------------------------------------------------------

function applyEvent(event) {
  switch (event.action) {
    case "comment.created":
      if (event.comment && addComment(event.comment) && event.comment.author.id !== page.userId) {
        const section = clauseSection(event.comment.clause_id);
        announceArrival(section.dataset.number);
      }
      break;
    case "comment.edited":
    case "comment.flagged":
    case "comment.hidden":
    case "comment.unhidden":
    case "comment.reopened":
    case "comment.redacted":
    case "resolution.recorded":
    case "resolution.redacted":
      if (event.comment && replaceComment(event.comment) && event.actor !== page.viewer.id) {
        announceChange(event.action, event.comment);
      }
      break;
    case "campaign.proposed":
    case "campaign.grouped":
    case "campaign.left":
      if (event.campaign) showCampaign(event);
      break;
    case "comment.cosigned":
    case "comment.cosign_withdrawn":
      // Everyone's count changes; the reader's own button only when the name was theirs.
      if (event.cosigners) {
        const own = event.actor === page.viewer.id;
        showCosigners(event.data.comment_id, event.cosigners, page, own ? event.action === "comment.cosigned" : undefined);
      }
      break;
    case "period.opened":
    case "period.closed":
    case "period.scheduled":
      if (event.period) periodChanged(event.period);
      break;
    case "version.published":
      if (event.version && event.version.number > page.version) offerVersion(event.version.number);
      break;
    case "meeting.started":
    case "meeting.ended":
      if (event.meeting) showMeeting(event.meeting);
      break;
    default:
      break;
  }
}

const CHANGE_WORDS = {
  "resolution.recorded": { concern: _("A concern on %(clause)s was answered."), comment: _("A comment on %(clause)s was answered.") },
  "comment.reopened": { concern: _("A concern on %(clause)s was reopened by its author."), comment: _("A comment on %(clause)s was reopened by its author.") },
  "comment.hidden": { concern: _("A concern on %(clause)s was hidden by a moderator."), comment: _("A comment on %(clause)s was hidden by a moderator.") },
  "comment.unhidden": { concern: _("A concern on %(clause)s is shown again."), comment: _("A comment on %(clause)s is shown again.") },
};

function announceChange(action, comment) {
  const words = CHANGE_WORDS[action];
  const section = clauseSection(comment.clause_id);
  if (!words || !section) return;
  const text = words[comment.kind === "concern" ? "concern" : "comment"];
  say(text.replace("%(clause)s", section.dataset.number));
}

// --- a new version: offered, never forced -------------------------------------------

const versionBar = document.getElementById("version-notice");
const RETURN_KEY = `common-ground:return-to:${page.documentId}`;

function returnToClause() {
  const id = sessionStorage.getItem(RETURN_KEY);
  if (!id) return;
  sessionStorage.removeItem(RETURN_KEY);
  const section = document.getElementById(id);
  if (section && section.matches("section.clause")) section.scrollIntoView({ block: "start" });
}

// The clause the reader is looking at, to come back to it in the new version: the first
// one of which more than a sliver shows at the top of the window.
function clauseInView() {
  const sliver = Math.min(120, window.innerHeight / 4);
  for (const section of document.querySelectorAll("section.clause")) {
    if (section.getBoundingClientRect().bottom > sliver) return section;
  }
  return null;
}

function offerVersion(number) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link-button";
  button.textContent = _("show it");
  button.addEventListener("click", () => {
    // A comment being written would be lost by the reload: ask first.
    const unsent = [...document.querySelectorAll("main textarea")].some((area) => area.value.trim());
    if (unsent && !window.confirm(_("You have a comment that is not sent yet. Open the new version anyway?"))) return;
    const section = clauseInView();
    // Reload at the clause in view (clause ids stay the same across versions), not at the
    // old scroll offset, which points elsewhere once clauses above it changed length.
    history.replaceState(null, "", `${window.location.pathname}${section ? `#${section.id}` : ""}`);
    if (section) sessionStorage.setItem(RETURN_KEY, section.id);
    window.location.reload();
  });
  versionBar.replaceChildren(...parts(_("Version %(number)s is published — %(show)s"), { number: String(number), show: button }));
}

// --- a live meeting on this document -------------------------------------------------

const meetingBanner = document.getElementById("meeting-banner");

function showMeeting(meeting) {
  if (meeting.status === "live") {
    const link = document.createElement("a");
    link.href = `/meetings/${meeting.id}`;
    link.textContent = _("join “%(title)s”", { title: meeting.title });
    meetingBanner.dataset.meetingId = meeting.id;
    meetingBanner.replaceChildren(...parts(_("A meeting on this document is live now: %(join)s."), { join: link }));
  } else if (!meetingBanner.dataset.meetingId || Number(meetingBanner.dataset.meetingId) === meeting.id) {
    delete meetingBanner.dataset.meetingId;
    meetingBanner.replaceChildren();
  }
}

// --- who is here ---------------------------------------------------------------------

function showPresence(people, anonymous = 0) {
  const list = document.getElementById("presence-list");
  const items = people.map((person) => {
    const item = document.createElement("li");
    const badge = document.createElement("span");
    badge.className = `badge ${page.tones[person.group] || "tone-0"}`;
    badge.textContent = person.group_name || groupName(person.group);
    item.append(person.name || _("A participant"), " ", badge);
    return item;
  });
  if (anonymous > 0) {
    const item = document.createElement("li");
    item.className = "note";
    item.textContent = ngettext("%(num)d reader without an account", "%(num)d readers without an account", anonymous);
    items.push(item);
  }
  list.replaceChildren(...items);
}

function groupName(slug) {
  return page.groupNames[slug] || slug;
}

// --- the live channel --------------------------------------------------------------

const socket = window.io({ transports: (document.querySelector('meta[name="live-transports"]')?.content || "websocket").split(",") });
const stream = new EventStream({
  since: Number(root.dataset.since),
  apply: applyEvent,
  requestCatchUp: join,
});

function join() {
  stream.catchingUp = true;
  socket.timeout(10000).emit("join", { document_id: page.documentId, since: stream.last }, (error, answer) => {
    if (error || !answer || !answer.ok) {
      stream.catchUpFailed();
      liveStatus.textContent = answer && answer.error ? answer.error.message : _("Live updates are paused.");
      return;
    }
    stream.caughtUp(answer.missed, answer.head);
    showPresence(answer.presence || [], answer.anonymous || 0);
    liveStatus.textContent = "";
  });
}

socket.on("connect", join); // also after every reconnection: nothing is lost
socket.on("disconnect", () => { liveStatus.textContent = _("Reconnecting…"); });
socket.on("connect_error", () => { liveStatus.textContent = _("Live updates are paused: reconnecting…"); });
socket.on("presence", (message) => {
  if (message && message.document_id === page.documentId) showPresence(message.presence || [], message.anonymous || 0);
});
socket.onAny((_name, payload) => {
  if (payload && typeof payload.seq === "number" && payload.document_id === page.documentId) stream.receive(payload);
});

// --- quoting a selection -------------------------------------------------------------

// Buttons take focus (and on some browsers the selection) when pressed, so the last
// selection made inside each clause's text is remembered as it happens.
const selections = new Map();
document.addEventListener("selectionchange", () => {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return;
  const container = selection.getRangeAt(0).commonAncestorContainer;
  const body = (container.nodeType === Node.ELEMENT_NODE ? container : container.parentElement)
    ?.closest(".clause-body");
  if (body) selections.set(body.id, selection.toString().trim());
});

// "Comment on this passage": a button beside a selection in a clause's text (desktop and
// touch), placed after that text in the page so the keyboard reaches it next.
const passageButton = document.createElement("button");
passageButton.type = "button";
passageButton.className = "passage-button";
passageButton.textContent = _("Comment on this passage");
passageButton.hidden = true;
let passageBody = null;

function placePassageButton() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) {
    if (document.activeElement !== passageButton) passageButton.hidden = true;
    return;
  }
  const range = selection.getRangeAt(0);
  const container = range.commonAncestorContainer;
  const body = (container.nodeType === Node.ELEMENT_NODE ? container : container.parentElement)?.closest(".clause-body");
  if (!body || !selection.toString().trim() || !canCommentHere(body)) {
    passageButton.hidden = true;
    return;
  }
  passageBody = body;
  if (passageButton.parentElement !== body.parentElement || passageButton.previousElementSibling !== body) body.after(passageButton);
  const rects = range.getClientRects();
  const last = rects[rects.length - 1] || range.getBoundingClientRect();
  const holder = body.parentElement.getBoundingClientRect();
  // Below the selection's last line: phones show their own copy/paste menu above it.
  const left = Math.max(0, Math.min(last.left - holder.left, holder.width - 220));
  passageButton.style.top = `${last.bottom - holder.top + 6}px`;
  passageButton.style.left = `${left}px`;
  passageButton.hidden = false;
}

function canCommentHere(body) {
  return Boolean(body.closest(".clause")?.querySelector(":scope > .comment-box form.comment-form"));
}

let passageTimer = null;
document.addEventListener("selectionchange", () => {
  clearTimeout(passageTimer);
  passageTimer = setTimeout(placePassageButton, 120);
});
// Pressing the button must not clear the selection it is about.
passageButton.addEventListener("pointerdown", (event) => event.preventDefault());
passageButton.addEventListener("click", () => {
  const body = passageBody;
  const text = body && (selections.get(body.id) || "");
  passageButton.hidden = true;
  if (!body || !text) return;
  const box = body.closest(".clause").querySelector(":scope > .comment-box");
  box.open = true;
  const form = box.querySelector("form.comment-form");
  for (const tick of form.querySelectorAll("[name=quote_sentence]")) tick.checked = false;
  form.querySelector("[name=quote]").value = text;
  form.dataset.key = "";
  showError(form, "");
  form.querySelector("[name=body]").focus();
});

function quoteSelection(button) {
  const form = button.closest("form");
  const body = document.getElementById(button.dataset.target);
  const text = selections.get(body.id) || "";
  const quote = form.querySelector("[name=quote]");
  if (!text || !body.textContent.includes(text)) {
    showError(form, _("Select a passage in this clause's text first, then press “Quote selection”."));
    return;
  }
  quote.value = text;
  for (const tick of form.querySelectorAll("[name=quote_sentence]")) tick.checked = false;
  showError(form, "");
  form.dataset.key = "";
}

// The jump menu closes once a clause is chosen, so it does not cover the clause on a phone.
for (const link of document.querySelectorAll(".clause-index a")) {
  link.addEventListener("click", () => { link.closest("details").open = false; });
}

// --- sending comments ------------------------------------------------------------------

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function showError(form, message) {
  const error = form.querySelector(".form-error");
  error.textContent = message;
  const body = form.querySelector("[name=body]");
  if (message) body.setAttribute("aria-invalid", "true");
  else body.removeAttribute("aria-invalid");
}

async function submitComment(form) {
  const value = (name) => {
    const field = form.querySelector(`[name=${name}]`);
    return field && field.value.trim() ? field.value : null;
  };
  if (!value("body")) {
    showError(form, _("Write your comment first."));
    form.querySelector("[name=body]").focus();
    return;
  }
  // One key per submission: a double click or a retry after a lost answer makes one comment.
  form.dataset.key = form.dataset.key || newKey();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(`/api/v1/clauses/${form.dataset.clauseId}/comments`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken, "Idempotency-Key": form.dataset.key },
      body: JSON.stringify({
        body: value("body"), kind: value("kind"), quote: value("quote"), suggested_text: value("suggested_text"),
        language: value("language"),
        parent_id: form.dataset.parentId ? Number(form.dataset.parentId) : null,
      }),
    });
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      showError(form, answer && answer.error ? answer.error.message : _("The server answered %(status)s. Your text is kept; try again.", { status: response.status }));
      focusError(form);
      return;
    }
    addComment(answer.comment);
    for (const name of ["body", "quote", "suggested_text"]) {
      const field = form.querySelector(`[name=${name}]`);
      if (field) field.value = "";
    }
    for (const box of form.querySelectorAll("[name=quote_sentence]")) box.checked = false;
    showSentences(form, false);
    refreshCounters(form);
    form.dataset.key = "";
    showError(form, "");
    const section = clauseSection(answer.comment.clause_id);
    say(answer.comment.parent_id ? _("Your reply on %(clause)s was posted.", { clause: section.dataset.number })
      : _("Your comment on %(clause)s was posted.", { clause: section.dataset.number }));
    focusComment(answer.comment.id);
  } catch (error) {
    showError(form, _("The server could not be reached. Your text is kept; try again."));
    focusError(form);
  } finally {
    button.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

// After posting, the keyboard continues from the new comment (it may have arrived by the live
// channel first, or be drawn now); after a refusal, from the message that says why.
function focusComment(commentId) {
  const article = document.getElementById(`comment-${commentId}`);
  if (!article) return;
  article.tabIndex = -1;
  article.focus();
}

function focusError(form) {
  const error = form.querySelector(".form-error");
  error.tabIndex = -1;
  error.focus();
}

// "Quote a passage": the ticked sentences, first to last, as one passage of the clause's text.
function quoteFromSentences(form) {
  const ticked = [...form.querySelectorAll("[name=quote_sentence]:checked")].map((box) => box.value);
  const quote = form.querySelector("[name=quote]");
  const body = document.getElementById(`clause-${form.dataset.clauseId}-body`);
  if (!quote || !body) return;
  if (!ticked.length) { quote.value = ""; return; }
  const text = body.textContent;
  const starts = ticked.map((sentence) => text.indexOf(sentence));
  if (starts.some((start) => start < 0)) { quote.value = ticked.join(" "); return; }
  const first = Math.min(...starts);
  const last = Math.max(...ticked.map((sentence, i) => starts[i] + sentence.length));
  quote.value = text.slice(first, last);
  form.dataset.key = "";
}

function showSentences(form, shown) {
  const toggle = form.querySelector(".quote-picker-toggle");
  if (!toggle) return;
  toggle.setAttribute("aria-expanded", String(shown));
  document.getElementById(toggle.getAttribute("aria-controls")).hidden = !shown;
}

function wireForms(scope) {
  for (const form of scope.querySelectorAll("form.comment-form")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (form.getAttribute("aria-busy") !== "true") submitComment(form);
    });
    // Changed text is a new submission, with a new key.
    form.addEventListener("input", () => { form.dataset.key = ""; });
    form.addEventListener("change", (event) => {
      if (event.target.name === "quote_sentence") quoteFromSentences(form);
    });
    const actions = form.querySelector(".quote-actions");
    if (actions) actions.hidden = false;
    const toggle = form.querySelector(".quote-picker-toggle");
    if (toggle) {
      toggle.hidden = false;
      showSentences(form, toggle.getAttribute("aria-expanded") === "true");
      toggle.addEventListener("click", () => showSentences(form, toggle.getAttribute("aria-expanded") !== "true"));
    }
  }
}

// --- more threads, page by page; the one reply form, opened where it is wanted ---------

async function showMoreThreads(link) {
  if (link.getAttribute("aria-busy") === "true") return;
  link.setAttribute("aria-busy", "true");
  const section = clauseSection(link.dataset.clauseId);
  try {
    // The next page in the order the reader chose (its cursor is only valid in that order).
    const order = page.threadOrder === "newest" ? "" : `&order=${encodeURIComponent(page.threadOrder)}`;
    const url = `/documents/${page.documentId}/clauses/${link.dataset.clauseId}/threads?cursor=${encodeURIComponent(link.dataset.next)}${order}`;
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    const answer = await response.json();
    const holder = document.createElement("div");
    holder.innerHTML = answer.html;
    const threads = section.querySelector(".threads");
    let added = 0;
    // Older threads go below what is shown (the reader's place stays); ones already here
    // (arrived live meanwhile) are not repeated.
    for (const thread of [...holder.querySelectorAll(":scope > .thread")]) {
      if (document.getElementById(thread.id)) continue;
      threads.append(thread);
      wireForms(thread);
      added += 1;
    }
    if (answer.next) {
      link.dataset.next = answer.next;
      link.href = url.replace(/cursor=[^&]*/, `cursor=${encodeURIComponent(answer.next)}`);
    } else {
      link.closest(".more-threads").remove();
    }
    say(ngettext("%(num)d more comment on %(clause)s.", "%(num)d more comments on %(clause)s.", added, { clause: section.dataset.number }));
  } catch (error) {
    say(_("More comments could not be loaded. Try again."));
  } finally {
    link.removeAttribute("aria-busy");
  }
}

document.addEventListener("click", (event) => {
  const more = event.target.closest("a[data-action=more-threads]");
  if (more) {
    event.preventDefault();
    showMoreThreads(more);
    return;
  }
  const reply = event.target.closest("a[data-action=reply]");
  if (reply && document.getElementById("reply-form-template")) {
    event.preventDefault();
    const box = openReplyForm(reply.closest(".thread"), reply);
    wireForms(box);
    box.querySelector("[name=body]").focus();
    return;
  }
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  if (button.dataset.action === "quote") quoteSelection(button);
  if (button.dataset.action === "clear-quote") {
    const form = button.closest("form");
    form.querySelector("[name=quote]").value = "";
    for (const box of form.querySelectorAll("[name=quote_sentence]")) box.checked = false;
    form.dataset.key = "";
  }
});

// --- answering, reopening, flagging, hiding: through the JSON API ---------------------

const ACTION_DONE = {
  reopen: _("Sent back to the district: it will answer again."),
  flag: _("Thank you: a moderator will look at this comment."),
  hide: _("The comment is hidden."),
  unhide: _("The comment is shown again."),
  resolve: _("The answer was recorded."),
};

function showActionError(form, message, field) {
  form.querySelector(".form-error").textContent = message;
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  if (field) {
    field.setAttribute("aria-invalid", "true");
    field.focus();
  }
}

async function submitAction(form) {
  const box = form.closest("[data-box]");
  const body = {};
  for (const field of form.elements) {
    if (!field.name || field.name === "csrf_token" || field.name === "next") continue;
    const value = field.value.trim();
    if (!value && field.dataset.required) {
      showActionError(form, field.dataset.required, field);
      return;
    }
    if (value) body[field.name] = field.type === "number" ? Number(value) : value;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      showActionError(form, answer && answer.error ? answer.error.message
        : _("The server answered %(status)s. Nothing was changed; try again.", { status: response.status }));
      return;
    }
    showActionError(form, "");
    form.reset();
    box.open = false;
    if (answer.comment) replaceComment(answer.comment);
    say(ACTION_DONE[box.dataset.box]);
  } catch (error) {
    showActionError(form, _("The server could not be reached. Nothing was changed; try again."));
  } finally {
    button.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.action-form");
  if (!form) return;
  event.preventDefault();
  if (form.getAttribute("aria-busy") !== "true") submitAction(form);
});

wireForms(document);
wireCosigning(page, say);
wireSimilar(page, (commentId, cosigners, pressed) => {
  if (cosigners) showCosigners(commentId, cosigners, page, pressed);
});
showPeriod(page.period);
document.querySelectorAll("section.clause").forEach(highlightClause);
returnToClause();
