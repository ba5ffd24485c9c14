// Builds a comment's markup exactly as templates/_comment.html does. User text only
// ever goes through textContent, never innerHTML.
import { timeElement } from "./time.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function fillComment(article, comment, page) {
  article.replaceChildren();
  const meta = element("p", "comment-meta");
  meta.id = `comment-${comment.id}-meta`;
  const tone = page.tones[comment.author.group] || "tone-0";
  meta.append(
    element("span", `badge ${tone}`, comment.author.group_name || comment.author.group), " ",
    element("span", "author", comment.author.name), " ",
    element("span", `kind kind-${comment.kind}`, page.kindLabels[comment.kind] || comment.kind), " ",
  );
  const time = timeElement(comment.created_at);
  meta.append(time);
  if (comment.version !== page.version) meta.append(" ", element("span", "note", `on version ${comment.version}`));
  if (comment.edited_at) meta.append(" ", element("span", "note", "edited"));
  article.append(meta);
  if (comment.status === "hidden") {
    article.append(element("p", "comment-body hidden-note", "This comment was hidden by a moderator."));
    return;
  }
  if (comment.quote) {
    const quote = element("blockquote", "comment-quote");
    quote.append(element("span", "visually-hidden", "Quoting: "), comment.quote);
    article.append(quote);
  }
  article.append(element("p", "comment-body", comment.body));
  if (comment.suggested_text) {
    const suggested = element("div", "suggested");
    suggested.append(element("p", "suggested-label", "Suggested wording"),
      element("p", "suggested-text", comment.suggested_text));
    article.append(suggested);
  }
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

// A new thread: the comment, an empty list of replies, and (for people who may
// comment) a reply form cloned from the page's <template id="reply-form-template">.
export function buildThread(comment, page) {
  const thread = element("div", "thread");
  thread.id = `thread-${comment.id}`;
  thread.dataset.threadId = comment.id;
  thread.append(buildComment(comment, page), element("div", "replies"));
  const template = document.getElementById("reply-form-template");
  if (template) {
    const box = template.content.firstElementChild.cloneNode(true);
    box.querySelector("summary").textContent = `Reply to ${comment.author.name}`;
    const form = box.querySelector("form");
    form.action = form.getAttribute("action").replace("/0/comments", `/${comment.clause_id}/comments`);
    form.dataset.clauseId = comment.clause_id;
    form.dataset.parentId = comment.id;
    form.querySelector("input[name=parent_id]").value = comment.id;
    for (const node of box.querySelectorAll("[id], [for], [aria-describedby]")) {
      for (const attribute of ["id", "for", "aria-describedby"]) {
        const value = node.getAttribute(attribute);
        if (value) node.setAttribute(attribute, value.replaceAll("r0", `r${comment.id}`));
      }
    }
    thread.append(box);
  }
  return thread;
}
