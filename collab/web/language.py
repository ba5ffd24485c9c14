"""The language switcher every page carries, and the accessibility statement."""
from __future__ import annotations

from datetime import date

from flask import current_app, flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE, LANGUAGES, current_language, js_catalogue, language_name, supported
from ..services.accounts import update_profile
from .blueprint import web
from .forms import form_view
from .helpers import safe_next

# The day the accessibility statement was last reviewed against the pages (shown on it).
STATEMENT_DATE = date(2026, 11, 29)


@web.app_context_processor
def _language_globals() -> dict:
    return {"LANGUAGES": LANGUAGES, "language_name": language_name, "current_language": current_language,
            "js_catalogue": js_catalogue}


@web.post("/language")
@form_view(lambda error: redirect(safe_next(request.form.get("next"))))
def choose_language():
    """Pages in the chosen language from now on: the cookie for everyone, and a signed-in
    person's own `language` through the same service as PATCH /me."""
    code = supported(request.form.get("lang"))
    if current_user.is_authenticated:
        update_profile(current_user._get_current_object(), {"language": request.form.get("lang")})
    elif code is None:
        flash(_("Choose one of these languages: %(languages)s.",
                languages=", ".join(language_name(c) for c in LANGUAGES)), "error")
    answer = make_response(redirect(safe_next(request.form.get("next"))))
    if code:
        answer.set_cookie(LANGUAGE_COOKIE, code, max_age=LANGUAGE_COOKIE_AGE, samesite="Lax",
                          secure=request.is_secure, httponly=True)
    return answer


@web.get("/accessibility")
def accessibility_page():
    config = current_app.config
    return render_template("accessibility.html", statement_date=STATEMENT_DATE,
                           contact_email=config.get("DISTRICT_CONTACT_EMAIL") or "",
                           contact_phone=config.get("DISTRICT_CONTACT_PHONE") or "")
