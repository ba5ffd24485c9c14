// Builds a comment's markup exactly as templates/_comment.html does. User text only
// ever goes through textContent, never innerHTML.
import { _ } from "./i18n.js";
import { cosignBlock } from "./cosign.js";
import { timeElement } from "./time.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// The actions the page offers the reader on a comment. The server computes them from its
// permission rules (collab/permissions.py comment_action_table) for every authorship and
// status and sends the table once; a live comment only needs looking up (the services
// still decide each request).
export function offeredActions(comment, page) {
  const who = comment.author.id === page.viewer.id ? "own" : "others";
  return (page.commentActions[who] || {})[comment.status] || [];
}

// The actions block for a comment, cloned from the page's <template> (rendered for comment 0).
function buildActions(comment, actions) {
  const template = document.getElementById("comment-actions-template");
  const block = template.content.firstElementChild.cloneNode(true);
  block.dataset.actions = actions.join(" ");
  for (const box of block.querySelectorAll("[data-box]")) {
    if (!actions.includes(box.dataset.box)) box.remove();
  }
  block.querySelector(".history-link").href = `/comments/${comment.id}`;
  for (const form of block.querySelectorAll("form")) {
    form.action = form.getAttribute("action").replace("/comments/0/", `/comments/${comment.id}/`);
    form.dataset.api = form.dataset.api.replace("/comments/0/", `/comments/${comment.id}/`);
    const next = form.querySelector("input[name=next]");
    next.value = next.value.replace(/#comment-0$/, `#comment-${comment.id}`);
  }
  for (const node of block.querySelectorAll("[id], [for], [aria-describedby], [data-counter]")) {
    for (const attribute of ["id", "for", "aria-describedby", "data-counter"]) {
      const value = node.getAttribute(attribute);
      if (value) node.setAttribute(attribute, value.replace(/-k0\b/g, `-k${comment.id}`));
    }
  }
  return block;
}

function resolutionBlock(resolution, page) {
  const block = element("div", `resolution disposition-${resolution.disposition}${resolution.contested ? " is-contested" : ""}`);
  const head = element("p", "resolution-head");
  head.append(element("span", "resolution-label", _("The district’s answer:")), " ",
    element("strong", null, page.dispositionLabels[resolution.disposition] || resolution.disposition));
  if (resolution.version) {
    const link = element("a", null, _("in version %(version)s", { version: resolution.version }));
    link.href = resolution.version > 1
      ? `/documents/${page.documentId}/diff?from=${resolution.version - 1}&to=${resolution.version}`
      : `/documents/${page.documentId}/diff`;
    head.append(" · ", link);
  }
  head.append(" · ", timeElement(resolution.recorded_at));
  if (resolution.contested) head.append(" · ", element("span", "contested", _("Contested")));
  const rationale = element("p", "resolution-rationale", resolution.rationale);
  rationale.lang = "en";
  block.append(head, rationale);
  if (resolution.rationale_es) {
    const spanish = element("p", "resolution-rationale", resolution.rationale_es);
    spanish.lang = "es";
    block.append(spanish);
  }
  if (resolution.contested) block.append(element("p", "note", _("The author said this does not address their concern.")));
  return block;
}

function fillComment(article, comment, page) {
  // Keep the reader's half-typed action form when the actions on offer did not change.
  const actions = offeredActions(comment, page);
  const previous = article.querySelector(":scope > .comment-actions");
  const keep = previous && previous.dataset.actions === actions.join(" ") ? previous : null;
  // Whether the reader's name is on it: the page knew it; live comments do not say.
  const pressedBefore = article.querySelector(":scope > .cosign .cosign-button")?.getAttribute("aria-pressed") === "true";
  article.replaceChildren();
  article.dataset.status = comment.status;
  for (const name of ["anchor", "anchorVersion", "anchorStart", "anchorEnd"]) delete article.dataset[name];
  if (comment.anchor && !comment.is_redacted) {
    article.dataset.anchor = comment.anchor.status;
    article.dataset.anchorVersion = comment.anchor.version;
    if (comment.anchor.start !== null && comment.anchor.start !== undefined) {
      article.dataset.anchorStart = comment.anchor.start;
      article.dataset.anchorEnd = comment.anchor.end;
    }
  }
  const meta = element("p", "comment-meta");
  meta.id = `comment-${comment.id}-meta`;
  const tone = page.tones[comment.author.group] || "tone-0";
  meta.append(
    element("span", `badge ${tone}`, comment.author.group_name || comment.author.group), " ",
    element("span", "author", comment.author.name || _("A participant")), " ",
  );
  if (comment.author.organisation) {
    // A verified organisation: the server sends it only once an administrator confirmed it.
    meta.append(element("span", "badge verified-badge", `${comment.author.organisation} ✓`), " ");
  }
  meta.append(
    element("span", `kind kind-${comment.kind}`, page.kindLabels[comment.kind] || comment.kind), " ",
  );
  const time = timeElement(comment.created_at);
  meta.append(time);
  if (comment.carried_forward) meta.append(" ", element("span", "version-badge", _("written on v%(written_on_version)s", { written_on_version: comment.written_on_version })));
  else if (comment.version !== page.version) meta.append(" ", element("span", "note", _("on version %(version)s", { version: comment.version })));
  if (comment.edited_at) meta.append(" ", element("span", "note", _("edited")));
  if (comment.entered_by) {
    meta.append(" ", element("span", "entered-by note", (page.enteredFrom || {})[comment.source] || _("Entered by staff")));
  }
  article.append(meta);
  if (comment.status === "hidden") {
    article.append(element("p", "comment-body hidden-note", _("This comment was hidden by a moderator.")));
  } else {
    if (comment.quote) {
      const quote = element("blockquote", "comment-quote");
      quote.lang = "en"; // a passage of the clause's English text
      quote.append(element("span", "visually-hidden", `${_("Quoting:")} `), comment.quote);
      article.append(quote);
      if (comment.anchor && comment.anchor.status === "lost") {
        article.append(element("p", "anchor-lost note", _("The passage it was about changed.")));
      }
    }
    const body = element("p", "comment-body", comment.body);
    body.lang = comment.language || "en";
    article.append(body);
    if (comment.suggested_text) {
      const suggested = element("div", "suggested");
      const wording = element("p", "suggested-text", comment.suggested_text);
      wording.lang = comment.language || "en";
      suggested.append(element("p", "suggested-label", _("Suggested wording")), wording);
      article.append(suggested);
    }
  }
  if (comment.resolution) article.append(resolutionBlock(comment.resolution, page));
  if (!comment.parent_id && comment.status !== "hidden") {
    article.append(cosignBlock(comment, page, actions, comment.cosigned ?? pressedBefore));
  }
  article.append(keep || buildActions(comment, actions));
}

export function buildComment(comment, page) {
  const article = element("article", comment.parent_id ? "comment reply" : "comment");
  article.id = `comment-${comment.id}`;
  article.dataset.commentId = comment.id;
  article.setAttribute("aria-labelledby", `comment-${comment.id}-meta`);
  fillComment(article, comment, page);
  return article;
}

export function refreshComment(comment, page) {
  const article = document.getElementById(`comment-${comment.id}`);
  if (article) fillComment(article, comment, page);
  return article;
}

// A new thread: the comment, an empty list of replies, and (for people who may comment) a
// "Reply" link; the page's one reply form (<template id="reply-form-template">) opens on demand.
export function buildThread(comment, page) {
  const thread = element("div", "thread");
  thread.id = `thread-${comment.id}`;
  thread.dataset.threadId = comment.id;
  thread.append(buildComment(comment, page), element("div", "replies"));
  if (document.getElementById("reply-form-template")) {
    const paragraph = element("p", "reply-open");
    const link = element("a");
    link.href = `/documents/${page.documentId}?reply_to=${comment.id}#thread-${comment.id}`;
    link.dataset.action = "reply";
    link.dataset.threadId = comment.id;
    link.dataset.clauseId = comment.clause_id;
    link.dataset.author = comment.author.name || _("A participant");
    link.textContent = _("Reply to %(name)s", { name: comment.author.name || _("A participant") });
    paragraph.append(link);
    thread.append(paragraph);
  }
  return thread;
}

// The page's one reply form, put into `thread` (the form of the previous thread goes, unless
// it holds unsent text: then it stays where it is and a new one opens).
export function openReplyForm(thread, link) {
  const existing = thread.querySelector(".reply-box");
  if (existing) return existing;
  const template = document.getElementById("reply-form-template");
  const threadId = link.dataset.threadId;
  for (const box of document.querySelectorAll(".reply-box.opened-on-demand")) {
    const body = box.querySelector("[name=body]");
    if (!body || !body.value.trim()) {
      const owner = box.closest(".thread");
      box.remove();
      if (owner) for (const hidden of owner.querySelectorAll(".reply-open[hidden]")) hidden.hidden = false;
    }
  }
  const box = template.content.firstElementChild.cloneNode(true);
  box.classList.add("opened-on-demand");
  box.open = true;
  box.querySelector("summary").textContent = _("Reply to %(name)s", { name: link.dataset.author });
  const form = box.querySelector("form");
  form.action = form.getAttribute("action").replace("/0/comments", `/${link.dataset.clauseId}/comments`);
  form.dataset.clauseId = link.dataset.clauseId;
  form.dataset.parentId = threadId;
  form.querySelector("input[name=parent_id]").value = threadId;
  for (const node of box.querySelectorAll("[id], [for], [aria-describedby], [data-counter]")) {
    for (const attribute of ["id", "for", "aria-describedby", "data-counter"]) {
      const value = node.getAttribute(attribute);
      if (value) node.setAttribute(attribute, value.replaceAll("r0", `r${threadId}`));
    }
  }
  link.closest(".reply-open").hidden = true;
  thread.append(box);
  return box;
}
