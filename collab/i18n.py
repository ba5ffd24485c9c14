"""Which language a request is served in, and the languages there are.

The order is the one API.md fixes: the signed-in person's own `language`, else `?lang=` or the
switcher's cookie, else the browser's `Accept-Language`. Adding a language is adding its catalogue
under collab/translations and its code to LANGUAGES.
"""
from __future__ import annotations

from flask import request
from flask_login import current_user

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lang"


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
