// Shows <time data-local> in the reader's own time zone (the page is rendered in UTC).
import { language } from "./i18n.js";
const FORMAT = new Intl.DateTimeFormat(language, {
  weekday: "short", day: "numeric", month: "short", year: "numeric",
  hour: "2-digit", minute: "2-digit", timeZoneName: "short",
});

export function localise(element) {
  const moment = new Date(element.getAttribute("datetime"));
  if (Number.isNaN(moment.getTime())) return;
  if (!element.title) element.title = element.textContent.trim();
  element.textContent = FORMAT.format(moment);
}

export function timeElement(iso) {
  const element = document.createElement("time");
  element.setAttribute("datetime", iso);
  element.textContent = iso;
  localise(element);
  return element;
}

document.querySelectorAll("time[data-local]").forEach(localise);
