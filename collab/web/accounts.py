"""Pages for self-service accounts: sign-up, the mailed links (verify, sign in, reset, invitation),
"My account" (profile, password, e-mail, export, leaving).

A mailed link opens a page with a button, and only the button's POST spends the token: mail
scanners that fetch links must not use them up. Pages about an e-mail address answer alike
whether or not it has an account."""
from __future__ import annotations

import hashlib
import json

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from ..auth import SESSION_KEY, current_credential_id
from ..auth import sign_in as start_session
from ..errors import Invalid, ServiceError
from ..events import canonical_json
from ..models.users import LANGUAGES
from ..rate_limits import limit_account_mail, limit_link_redemption
from ..reads.accounts import export_data, groups_open_to_sign_up
from ..services.accounts import (
    delete_account,
    record_data_export,
    redeem_sign_in_link,
    request_password_reset,
    request_sign_in_link,
    resend_verification,
    reset_password,
    sign_up,
    update_profile,
    verify_email,
)
from ..services.invitations import accept_invitation
from .blueprint import web
from .forms import form_view
from .helpers import page_actor
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _

LANGUAGE_LABELS = {"en": _l("English"), "es": _l("Español")}
assert set(LANGUAGE_LABELS) == set(LANGUAGES)
SIGN_UP_FIELDS = ("email", "name", "group", "language", "organisation")


def field_of(error: ServiceError) -> str:
    """Which form field an error is about, so the page shows it next to that field."""
    if error.code == "wrong_password":
        return "current_password"
    for field in ("password", "email", "name", "group", "organisation", "language"):
        if field in error.code:
            return field
    return "form"


def _adopt_session(secret: str) -> None:
    """Start the browser session a service issued (a fresh cookie, nothing carried over)."""
    session.clear()
    session[SESSION_KEY] = secret
    session.permanent = True


def _check_mail(email: str, what: str):
    return render_template("check_mail.html", email=email, what=what)


# --- sign-up -----------------------------------------------------------------------------

def _sign_up_form() -> dict:
    return {name: request.form.get(name, "") for name in (*SIGN_UP_FIELDS, "show_name")}


def _sign_up_again(error: ServiceError):
    return render_template("sign_up.html", groups=groups_open_to_sign_up(), form=_sign_up_form(), error=error,
                           field=field_of(error), LANGUAGE_LABELS=LANGUAGE_LABELS)


@web.route("/sign-up", methods=["GET", "POST"])
@limit_account_mail
@form_view(_sign_up_again, flash_refusal=False)
def sign_up_page():
    if request.method == "GET":
        return render_template("sign_up.html", groups=groups_open_to_sign_up(),
                               form={"language": "en", "show_name": "yes"}, error=None,
                               LANGUAGE_LABELS=LANGUAGE_LABELS)
    form = _sign_up_form()
    sign_up(**form | {"show_name": {"yes": True, "no": False}.get(form["show_name"]),
                      "password": request.form.get("password") or None})
    return _check_mail(form["email"].strip(), "verify")


# --- mailed links ----------------------------------------------------------------------------

LINK_PAGES = {
    "verify": {"title": "Confirm your e-mail address", "button": "Confirm my address",
               "text": "Press the button to confirm your address. You are then signed in and can comment."},
    "sign_in": {"title": "Sign in", "button": "Sign in",
                "text": "Press the button to sign in with the link from your mail."},
}


def _link_page(kind: str, action: str, status: int = 200, error: str | None = None):
    return render_template("link_confirm.html", page=LINK_PAGES[kind], action=action,
                           token=request.values.get("token", ""), error=error), status


@web.get("/verify-email")
def verify_email_page():
    return _link_page("verify", url_for("web.verify_email_confirm"))


@web.post("/verify-email")
@limit_link_redemption
@form_view(lambda error: _link_page("verify", url_for("web.verify_email_confirm"), error=error.message),
           flash_refusal=False)
def verify_email_confirm():
    user = verify_email(request.form.get("token"), keep_credential_id=current_credential_id())
    if not current_user.is_authenticated or current_user.id != user.id:
        start_session(user)
    flash(_("Your e-mail address is confirmed.") if user.approval_status == "approved"
          else _("Your e-mail address is confirmed. An administrator still has to approve your account before you "
                 "can comment."), "info")
    return redirect(url_for("web.documents"))


@web.post("/sign-in/email-link")
@limit_account_mail
@form_view(lambda error: render_template("sign_in.html", email=request.form.get("email", ""), error=None,
                                         link_error=error.message, next_url=None), flash_refusal=False)
def request_sign_in_link_page():
    email = request.form.get("email", "")
    request_sign_in_link(email)
    return _check_mail(email.strip(), "sign_in")


@web.get("/sign-in/link")
def sign_in_link_page():
    return _link_page("sign_in", url_for("web.sign_in_link_confirm"))


@web.post("/sign-in/link")
@limit_link_redemption
@form_view(lambda error: _link_page("sign_in", url_for("web.sign_in_link_confirm"), error=error.message),
           flash_refusal=False)
def sign_in_link_confirm():
    _user, secret = redeem_sign_in_link(request.form.get("token"), "session")
    _adopt_session(secret)
    return redirect(url_for("web.documents"))


@web.route("/forgot-password", methods=["GET", "POST"])
@limit_account_mail
@form_view(lambda error: render_template("forgot_password.html", email=request.form.get("email", ""),
                                         error=error.message), flash_refusal=False)
def forgot_password_page():
    email = request.form.get("email", "")
    if request.method == "POST":
        request_password_reset(email)
        return _check_mail(email.strip(), "reset")
    return render_template("forgot_password.html", email=email, error=None)


@web.route("/reset-password", methods=["GET", "POST"])
@limit_link_redemption
@form_view(lambda error: render_template("reset_password.html", token=request.values.get("token", ""),
                                         error=error, field=field_of(error)), flash_refusal=False)
def reset_password_page():
    token = request.values.get("token", "")
    if request.method == "POST":
        user = reset_password(token, request.form.get("password", ""))
        start_session(user)
        flash(_("Your new password is set. You were signed out everywhere else."), "info")
        return redirect(url_for("web.documents"))
    return render_template("reset_password.html", token=token, error=None, field=None)


@web.route("/accept-invitation", methods=["GET", "POST"])
@limit_link_redemption
@form_view(lambda error: render_template("accept_invitation.html", token=request.values.get("token", ""),
                                         error=error, field=field_of(error)), flash_refusal=False)
def accept_invitation_page():
    token = request.values.get("token", "")
    if request.method == "POST":
        _user, secret = accept_invitation(token, request.form.get("password") or None, "session")
        _adopt_session(secret)
        flash(_("Welcome to Common Ground: your account is ready."), "info")
        return redirect(url_for("web.documents"))
    return render_template("accept_invitation.html", token=token, error=None, field=None)


# --- My account ------------------------------------------------------------------------------

def render_account(status: int = 200, **state):
    page = {"profile_form": None, "error": None, "field": None, "section": None, **state}
    return render_template("account.html", LANGUAGE_LABELS=LANGUAGE_LABELS, **page), status



@web.get("/account")
@login_required
def account_page():
    page_actor()
    return render_account()


def _profile_form() -> dict:
    return {name: request.form.get(name, "") for name in ("name", "language", "organisation", "show_name")}


def _account_again(section: str, field: str | None = None):
    """The account page with the refusal beside the field of the `section` form that failed."""
    def show_again(error: ServiceError):
        state = {"profile_form": _profile_form()} if section == "profile" else {}
        if section == "email":
            state["new_email"] = request.form.get("email", "")
        return render_account(error.status, error=error, field=field or field_of(error), section=section, **state)
    return show_again


@web.post("/account/profile")
@login_required
@form_view(_account_again("profile"), flash_refusal=False)
def account_profile():
    actor = page_actor()
    form = _profile_form()
    update_profile(actor, {"name": form["name"], "language": form["language"],
                           "organisation": form["organisation"] or None, "show_name": form["show_name"] == "yes"})
    flash(_("Your account is saved."), "info")
    return redirect(url_for("web.account_page"))


@web.post("/account/password")
@login_required
@form_view(_account_again("password"), flash_refusal=False)
def account_password():
    actor = page_actor()
    update_profile(actor, {"password": request.form.get("password", ""),
                           "current_password": request.form.get("current_password", "")},
                   keep_credential_id=current_credential_id())
    flash(_("Your new password is set. You were signed out everywhere else."), "info")
    return redirect(url_for("web.account_page"))


@web.post("/account/email")
@login_required
@form_view(_account_again("email"), flash_refusal=False)
def account_email():
    actor = page_actor()
    email = request.form.get("email", "")
    update_profile(actor, {"email": email, "current_password": request.form.get("current_password", "")})
    flash(_("We sent a link to %(strip)s: your address changes when you open it.", strip=email.strip()), "info")
    return redirect(url_for("web.account_page"))


@web.post("/account/verification")
@login_required
@form_view(lambda error: redirect(url_for("web.account_page")))
def account_resend_verification():
    resend_verification(page_actor())
    flash(_("We sent you a new link: open it to confirm your address."), "info")
    return redirect(url_for("web.account_page"))


@web.get("/account/export.json")
@login_required
def account_export():
    actor = page_actor()
    data = export_data(actor)
    record_data_export(actor, hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest())
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="common-ground-my-data.json"'
    return response


@web.post("/account/delete")
@login_required
@form_view(_account_again("delete", field="confirm"), flash_refusal=False)
def account_delete():
    actor = page_actor()
    if request.form.get("confirm") != "yes":
        raise Invalid(_l("Tick the box to confirm that you want to delete your account."), "not_confirmed")
    delete_account(actor)
    session.clear()
    flash(_("Your account is deleted. Your comments stay, shown as “Former participant”."), "info")
    return redirect(url_for("web.sign_in"))
