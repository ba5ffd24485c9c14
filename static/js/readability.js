// While a summary is typed, ask the server for its word count and readability (debounced) and
// show it under the box. Without JavaScript the "Score it" button does the same by a round trip.
import { _ } from "./i18n.js";
const PAUSE_MS = 600;
const csrf = document.querySelector('meta[name="csrf-token"]')?.content;

async function score(field, output) {
  const limit = Number(field.dataset.wordLimit);
  try {
    const response = await fetch("/api/v1/readability", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({text: field.value}),
    });
    if (!response.ok) return;
    const result = await response.json();
    let words = _("%(words)s of %(limit)s words", { words: result.words, limit });
    if (result.over_limit) words = _("%(words)s of %(limit)s words — over the limit: shorten it before saving", { words: result.words, limit });
    output.textContent = result.reading_ease === null ? `${words}.`
      : _("%(words)s. Reading ease %(ease)s, grade %(grade)s: %(verdict)s", { words, ease: result.reading_ease, grade: result.grade_level, verdict: result.verdict });
    if (result.over_limit) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
  } catch {
    // Offline or refused: the score button still works.
  }
}

for (const form of document.querySelectorAll("form[data-readability]")) {
  const field = form.querySelector("textarea[data-word-limit]");
  const output = form.querySelector("[data-score]");
  if (!field || !output) continue;
  let timer;
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => score(field, output), PAUSE_MS);
  });
}
