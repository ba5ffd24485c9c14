// A character counter for long texts (<textarea data-max-length data-counter="ID">). The text is
// never cut: the server refuses what is too long and says so. The visible count follows every
// keystroke; screen readers hear it only when the state changes (near the limit, over it,
// back under it) and once the typing pauses while near or over, never per keystroke.
import { _, formatNumber } from "./i18n.js";
const NEAR = 0.9;
const PAUSE_MS = 1200;
const pending = new WeakMap();

function stateOf(length, limit) {
  if (length > limit) return "over";
  return length >= limit * NEAR ? "near" : "ok";
}

function wording(length, limit) {
  const max = formatNumber(limit);
  if (length > limit) {
    return _("%(over)s characters over the limit of %(max)s: shorten it before sending.", { over: formatNumber(length - limit), max });
  }
  return _("%(count)s of %(max)s characters.", { count: formatNumber(length), max });
}

function update(field, announce) {
  const counter = document.getElementById(field.dataset.counter);
  if (!counter) return;
  const limit = Number(field.dataset.maxLength);
  const length = field.value.trim().length;
  const state = stateOf(length, limit);
  const shown = counter.querySelector("[data-count-shown]");
  const said = counter.querySelector("[data-count-said]");
  shown.textContent = wording(length, limit);
  counter.classList.toggle("is-over", state === "over");
  counter.classList.toggle("is-near", state === "near");
  if (state === "over") field.setAttribute("aria-invalid", "true");
  else field.removeAttribute("aria-invalid");
  if (!announce) {
    field.dataset.countState = state;
    return;
  }
  clearTimeout(pending.get(field));
  if (field.dataset.countState !== state) {
    field.dataset.countState = state;
    said.textContent = state === "ok" ? _("Back under the limit.") : wording(length, limit);
  } else if (state !== "ok") {
    pending.set(field, setTimeout(() => { said.textContent = wording(field.value.trim().length, limit); }, PAUSE_MS));
  }
}

document.addEventListener("input", (event) => {
  const field = event.target;
  if (field instanceof HTMLTextAreaElement && field.dataset.maxLength) update(field, true);
});
// A form cleared after sending, or reset, starts counting again.
document.addEventListener("reset", (event) => {
  for (const field of event.target.querySelectorAll("textarea[data-max-length]")) setTimeout(() => update(field, false));
});

export function refreshCounters(root = document) {
  for (const field of root.querySelectorAll("textarea[data-max-length]")) update(field, false);
}

refreshCounters();
