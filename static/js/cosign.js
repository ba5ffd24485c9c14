// "Add my name to this comment": the toggle button (aria-pressed) and the count by group,
// built exactly as templates/_cosign.html does, sent through the JSON API, and kept current
// by the live events comment.cosigned / comment.cosign_withdrawn. Without JavaScript the
// button posts its form and the page comes back.
import { _ } from "./i18n.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// The page's words (rendered by the template, so they are translated there).
function texts(page) {
  return page.cosignTexts || {};
}

export function countText(cosigners, page) {
  if (!cosigners || !cosigners.count) return "";
  const words = texts(page);
  const sentence = cosigners.count === 1 ? words.one : (words.many || "{n}").replace("{n}", cosigners.count);
  const groups = Object.entries(cosigners.by_group || {})
    .map(([slug, n]) => `${page.groupNames[slug] || slug} ${n}`).join(", ");
  return groups ? `${sentence} (${groups})` : sentence;
}

// The block under a thread's first comment; `actions` are the reader's (permissions.comment_actions).
export function cosignBlock(comment, page, actions, pressed) {
  const block = element("div", "cosign");
  block.dataset.commentId = comment.id;
  if (actions.includes("cosign")) {
    const form = element("form", "cosign-form");
    form.method = "post";
    form.action = `/comments/${comment.id}/cosign`;
    form.dataset.api = `/api/v1/comments/${comment.id}/cosign`;
    const hidden = (name, value) => {
      const input = element("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      return input;
    };
    const button = element("button", "cosign-button", texts(page).button || _("Add my name to this comment"));
    button.type = "submit";
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    button.setAttribute("aria-describedby", `cosigners-${comment.id}`);
    form.append(hidden("csrf_token", page.csrfToken), hidden("next", `/documents/${page.documentId}#comment-${comment.id}`),
      hidden("withdraw", pressed ? "yes" : ""), button);
    block.append(form);
  }
  const count = element("p", "cosigners note", countText(comment.cosigners, page));
  count.id = `cosigners-${comment.id}`;
  count.dataset.cosigners = comment.cosigners ? comment.cosigners.count : 0;
  const error = element("p", "form-error cosign-error");
  error.setAttribute("role", "alert");
  block.append(count, error);
  return block;
}

// New counts for a comment on this page; `pressed` (true/false) when the reader's own name changed.
export function showCosigners(commentId, cosigners, page, pressed) {
  for (const block of document.querySelectorAll(`.cosign[data-comment-id="${commentId}"]`)) {
    const count = block.querySelector(".cosigners");
    count.textContent = countText(cosigners, page);
    count.dataset.cosigners = cosigners.count;
    if (pressed === true || pressed === false) setPressed(block, pressed);
  }
}

function setPressed(block, pressed) {
  const button = block.querySelector(".cosign-button");
  if (!button) return;
  button.setAttribute("aria-pressed", pressed ? "true" : "false");
  block.querySelector("input[name=withdraw]").value = pressed ? "yes" : "";
}

// One click adds the name; pressed again, it is withdrawn. `say` announces the outcome politely.
export function wireCosigning(page, say) {
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.cosign-form");
    if (!form) return;
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    const block = form.closest(".cosign");
    const button = form.querySelector(".cosign-button");
    const withdrawing = button.getAttribute("aria-pressed") === "true";
    const error = block.querySelector(".cosign-error");
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.dataset.api, {
        method: withdrawing ? "DELETE" : "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": page.csrfToken },
      });
      const answer = response.status === 204 ? null : await response.json().catch(() => null);
      if (!response.ok) {
        error.textContent = answer && answer.error ? answer.error.message
          : _("The server answered %(status)s. Nothing was changed; try again.", { status: response.status });
        return;
      }
      error.textContent = "";
      const commentId = Number(block.dataset.commentId);
      if (answer && answer.cosigners) showCosigners(commentId, answer.cosigners, page, true);
      else setPressed(block, false); // the live event brings the new count
      say(withdrawing ? texts(page).removed : texts(page).added);
    } catch (failure) {
      error.textContent = _("The server could not be reached. Nothing was changed; try again.");
    } finally {
      form.removeAttribute("aria-busy");
    }
  });
}
