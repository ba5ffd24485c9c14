// The comment form's "A similar comment already exists — add your name to it instead?":
// after the person pauses typing, the clause's near-identical comments are asked for
// (GET /api/v1/clauses/{id}/similar) and offered in a polite live region, each with a
// co-sign button. Every word comes from the page's <template id="similar-template">.

const PAUSE_MS = 700;
const MIN_LETTERS = 20;

export function wireSimilar(page, onCosigned) {
  const template = document.getElementById("similar-template");
  if (!template) return;
  const timers = new WeakMap();
  const asked = new WeakMap();
  document.addEventListener("input", (event) => {
    const field = event.target;
    if (!field.matches("form.comment-form:not([data-parent-id]) textarea[name=body]")) return;
    clearTimeout(timers.get(field));
    timers.set(field, setTimeout(() => suggest(field), PAUSE_MS));
  });

  function region(form) {
    let box = form.querySelector(".similar-region");
    if (!box) {
      box = document.createElement("div");
      box.className = "similar-region";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      form.querySelector("[name=body]").closest(".field").after(box);
    }
    return box;
  }

  async function suggest(field) {
    const form = field.closest("form");
    const text = field.value.trim();
    const box = region(form);
    if (text.replace(/[^\p{L}\p{N}]/gu, "").length < MIN_LETTERS) {
      box.replaceChildren();
      return;
    }
    if (asked.get(field) === text) return;
    asked.set(field, text);
    try {
      const url = `/api/v1/clauses/${form.dataset.clauseId}/similar?text=${encodeURIComponent(text)}`;
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok || field.value.trim() !== text) return;
      const answer = await response.json();
      show(box, (answer.similar || []).filter((item) => item.may_cosign || item.cosigned));
    } catch (failure) {
      box.replaceChildren(); // a suggestion only: the form works without it
    }
  }

  function show(box, found) {
    if (!found.length) {
      box.replaceChildren();
      return;
    }
    const content = template.content.firstElementChild.cloneNode(true);
    const list = content.querySelector("ul");
    const itemTemplate = list.firstElementChild;
    itemTemplate.remove();
    for (const item of found) {
      const row = itemTemplate.cloneNode(true);
      row.querySelector(".similar-body").textContent = item.comment.body;
      row.querySelector(".similar-author").textContent = item.comment.author.name || item.comment.author.group_name;
      const link = row.querySelector("a");
      link.href = `/documents/${page.documentId}#comment-${item.comment.id}`;
      const button = row.querySelector("button");
      button.setAttribute("aria-pressed", item.cosigned ? "true" : "false");
      button.addEventListener("click", async () => {
        const pressed = button.getAttribute("aria-pressed") === "true";
        const response = await fetch(`/api/v1/comments/${item.comment.id}/cosign`, {
          method: pressed ? "DELETE" : "POST", credentials: "same-origin", headers: { "X-CSRFToken": page.csrfToken },
        }).catch(() => null);
        const status = row.querySelector(".similar-status");
        if (!response || !response.ok) {
          const answer = response ? await response.json().catch(() => null) : null;
          status.textContent = answer && answer.error ? answer.error.message : content.dataset.failed;
          return;
        }
        button.setAttribute("aria-pressed", pressed ? "false" : "true");
        status.textContent = pressed ? content.dataset.removed : content.dataset.added;
        const answer = response.status === 204 ? null : await response.json().catch(() => null);
        if (onCosigned) onCosigned(item.comment.id, answer ? answer.cosigners : null, !pressed);
      });
      list.append(row);
    }
    box.replaceChildren(content);
  }
}
