"""Who is asking: a bearer token (scripts) or the browser's session credential.

Sessions are server-side revocable: the cookie holds a random secret whose hash
is a Credential row, so signing out or deactivating a user ends it everywhere.
"""
from __future__ import annotations

from flask import g, request, session

from .extensions import login_manager
from .services.users import find_credential, issue_credential, revoke_credential
from flask_babel import lazy_gettext as _l

SESSION_KEY = "credential"


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def uses_bearer() -> bool:
    return "Authorization" in request.headers


@login_manager.request_loader
def _load_user_from_request(req):
    g.credential = None
    if uses_bearer():
        credential = find_credential(bearer_token(), "token")
    else:
        credential = find_credential(session.get(SESSION_KEY), "session")
    if credential is None:
        return None
    g.credential = credential
    return credential.user


def presented_credentials() -> bool:
    """Whether the request carries a bearer token or a session credential (valid or not)."""
    return uses_bearer() or bool(session.get(SESSION_KEY))


def reader_or_none():
    """The signed-in user, or None for a reader who sent no credentials. Credentials that no
    longer hold (revoked, expired, deactivated) are refused with 401 rather than read past:
    a script or a browser learns that its sign-in has ended."""
    from flask_login import current_user

    from .errors import Unauthenticated

    if current_user.is_authenticated:
        return current_user._get_current_object()
    if presented_credentials():
        raise Unauthenticated(_l("Your sign-in has ended. Sign in again."))
    return None


def sign_in(user) -> None:
    """Start a fresh browser session for `user` (a new cookie, nothing carried over)."""
    session.clear()
    _credential, secret = issue_credential(user, "session")
    session[SESSION_KEY] = secret
    session.permanent = True


def sign_out() -> None:
    credential = getattr(g, "credential", None)
    if credential is not None:
        revoke_credential(credential.id)
    session.clear()


def current_credential_id() -> int | None:
    """The credential (session or token) of this request, if signed in: the one kept when a
    change of address or password ends the person's other sign-ins."""
    from flask_login import current_user

    if not current_user.is_authenticated:  # loads the user, and with it g.credential
        return None
    credential = getattr(g, "credential", None)
    return credential.id if credential is not None else None
