"""Which language a request is served in, and the languages there are.

The order is the one API.md fixes: the signed-in person's own `language`, else `?lang=` or the
switcher's cookie, else the browser's `Accept-Language`. The languages are English (the source
text) and every catalogue under collab/translations: adding a language is adding its
`<code>/LC_MESSAGES/messages.po`, nothing else.

The browser modules' strings come from the same catalogue: the msgids are read out of
static/js/*.js (`_("…")` and `ngettext("…", "…", n)` calls, the same keywords pybabel extracts)
and every page carries their translation as JSON (`js_catalogue`), which static/js/i18n.js reads.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.extract import extract
from flask import request
from flask_babel import get_locale, get_translations
from flask_login import current_user

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
JS_MODULES = ROOT / "static" / "js"
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def _catalogue_languages() -> tuple[str, ...]:
    found = sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    return (DEFAULT_LANGUAGE, *[code for code in found if code != DEFAULT_LANGUAGE])


LANGUAGES = _catalogue_languages()


def compile_catalogues() -> list[str]:
    """Compile every catalogue whose .mo is missing or older than its .po (as `make translations`
    does); the languages compiled."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalogue)
        compiled.append(po.parent.parent.name)
    return compiled


def language_name(code: str) -> str:
    """A language's name in that language ('English', 'Español'), as a switcher shows it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def supported(code: str | None) -> str | None:
    """The supported language a code names (`es-MX` → `es`), or None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else None


def select_language() -> str:
    if not request:
        return DEFAULT_LANGUAGE
    user = current_user._get_current_object() if current_user else None
    if user is not None and getattr(user, "is_authenticated", False):
        chosen = supported(getattr(user, "language", None))
        if chosen:
            return chosen
    chosen = supported(request.args.get("lang")) or supported(request.cookies.get(LANGUAGE_COOKIE))
    if chosen:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


@lru_cache(maxsize=1)
def js_messages() -> tuple:
    """Every msgid the browser modules use: a string, or a (singular, plural) pair."""
    found = []
    for path in sorted(JS_MODULES.glob("*.js")):
        with path.open("rb") as source:
            for _line, message, _comments, _context in extract("javascript", source):
                if message not in found:
                    found.append(message)
    return tuple(found)


def js_catalogue() -> dict:
    """The browser modules' strings in the request's language: msgid → text, and for a plural
    msgid → [one, other] (static/js/i18n.js picks by Intl.PluralRules). Only what differs from
    the English msgid is sent: the module falls back to the msgid itself."""
    translations = get_translations()  # unformatted: the module fills the placeholders
    strings = {}
    for message in js_messages():
        if isinstance(message, tuple):
            singular, plural = message[0], message[1]
            forms = [translations.ungettext(singular, plural, 1), translations.ungettext(singular, plural, 2)]
            if forms != [singular, plural]:
                strings[singular] = forms
        elif (text := translations.ugettext(message)) != message:
            strings[message] = text
    return strings
