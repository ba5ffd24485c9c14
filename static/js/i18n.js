// The words of the browser modules, in the page's language. The server renders them from its
// catalogue into <script id="i18n-catalogue" type="application/json"> (collab/i18n.py
// js_catalogue); a msgid is the English text itself, so a missing entry falls back to English.
// Placeholders are named as in Python: _("Posted %(when)s", { when }).
const source = document.getElementById("i18n-catalogue");
const catalogue = source ? JSON.parse(source.textContent) : {};

export const language = document.documentElement.lang || "en";
const plurals = new Intl.PluralRules(language);

function fill(text, values) {
  return text.replace(/%\((\w+)\)[sd]/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export function _(text, values = {}) {
  const translated = catalogue[text];
  return fill(typeof translated === "string" && translated ? translated : text, values);
}

export function ngettext(one, other, count, values = {}) {
  const forms = Array.isArray(catalogue[one]) ? catalogue[one] : [one, other];
  const form = plurals.select(count) === "one" ? forms[0] : forms[1];
  return fill(form, { num: formatNumber(count), ...values });
}

export function formatNumber(value) {
  return Number(value).toLocaleString(language);
}

// A translated text with page elements in its placeholders, as a list for append():
// parts(_("Open until %(time)s."), { time: timeElement(at) }).
export function parts(text, nodes) {
  return text.split(/(%\(\w+\)s)/).filter(Boolean).map((piece) => {
    const name = /^%\((\w+)\)s$/.exec(piece);
    return name && name[1] in nodes ? nodes[name[1]] : piece;
  });
}
