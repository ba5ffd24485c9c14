"""Self-service accounts: sign-up, verified addresses, mailed sign-in links, password resets,
one's own profile, approval and organisation badges, leaving.

No answer about an e-mail address tells whether it has an account: known and unknown
addresses go through the same steps (a password hashed, a link stored, a mail rendered),
and the edges answer both alike. Mails are queued in the transaction of the change.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update

from ..errors import Conflict, Invalid, NotFound, Unauthenticated
from ..events import record_event, record_notice, transaction
from ..extensions import db
from ..mail import enqueue_mail, render_mail
from ..models import Comment, CommentScan, Credential, Group, User
from ..models.users import LANGUAGES, NO_PASSWORD, default_show_name, deleted_email
from ..parsing import choice, optional_text, required_text
from ..permissions import can_administer, can_read, require
from ..timeutil import utcnow
from .intake import discard_scans
from .links import dummy_link, end_links, issue_link, link_url, spend_link
from .users import (
    _dummy_hash,
    _group_by_slug,
    _hasher,
    _password_matches,
    _valid_email,
    _valid_password,
    hash_password,
    issue_credential,
)
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..i18n import current_language

ORGANISATION_MAX = 200
PROFILE_FIELDS = {"name", "language", "show_name", "organisation", "email", "password", "current_password"}
FORMER_PARTICIPANT = "Former participant"


def _optional_bool(value: object, field: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise Invalid(_l("%(field)s must be true or false.", field=field), f"invalid_{field}")
    return value


def _language(value: object) -> str:
    return "en" if value is None else choice(value, "language", LANGUAGES)


def _active_user_by_email(email: str) -> User | None:
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    return user if user is not None and user.is_active else None


def send_account_mail(to: str, subject, template: str, *, send: bool = True, language: str | None = None,
                      **context) -> None:
    """Render a mail in its recipient's `language` (else the request's) and queue it; `send=False`
    renders only (an unknown address: the same work, no mail)."""
    with force_locale(language or current_language()):
        bodies = render_mail(template, site_url=current_app.config["SITE_URL"], **context)
        subject = str(subject)
    if send:
        enqueue_mail(to=to, subject=subject, **bodies)


def _end_other_credentials(user_id: int, keep_credential_id: int | None = None) -> None:
    """Revoke every session and token of a person but `keep_credential_id`; their sockets close."""
    query = select(Credential.id).where(Credential.user_id == user_id, Credential.revoked_at.is_(None))
    if keep_credential_id is not None:
        query = query.where(Credential.id != keep_credential_id)
    ids = list(db.session.execute(query).scalars())
    if not ids:
        return
    db.session.execute(update(Credential).where(Credential.id.in_(ids)).values(revoked_at=utcnow())
                       .execution_options(synchronize_session=False))
    for credential_id in ids:
        record_notice("credential.revoked", credential_id=credential_id)


def _mark_verified(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        record_event("user.email_verified", user, f"user:{user.id}", {"user_id": user.id})


# --- sign-up and verification -------------------------------------------------------------

def sign_up(*, email, name, group, password=None, language=None, show_name=None, organisation=None) -> None:
    """Create an account in a group open to sign-up and mail a verification link (valid 24 h).
    Anyone. Records `user.signed_up`. An address that has an account gets a mail saying so
    (with a sign-in or verification link) instead, and the answer is the same."""
    email = _valid_email(email)
    name = required_text(name, "name", 120)
    language = _language(language)
    organisation = optional_text(organisation, "organisation", ORGANISATION_MAX)
    password = None if password in (None, "") else _valid_password(password)
    # Hashed whether or not an account exists, so the time taken tells nothing; without a
    # password, checking one against the dummy hash costs the same.
    if password:
        password_hash = hash_password(password)
    else:
        password_hash = NO_PASSWORD
        hasher = _hasher()
        _password_matches(hasher, _dummy_hash(hasher), "")
    with transaction():
        grp = _group_by_slug(group)
        if not grp.is_open_to_sign_up:
            raise Invalid(_l("The group %(name)s is not open to sign-up; the district invites its members.", name=repr(grp.name)),
                          "group_closed")
        show = _optional_bool(show_name, "show_name", default_show_name(grp.slug))
        existing = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if existing is not None:
            _tell_existing_account(existing)
            return
        user = User(email=email, name=name, password_hash=password_hash,
                    role="participant", group=grp, language=language, show_name=show, organisation=organisation,
                    approval_status="pending" if grp.needs_approval else "approved")
        db.session.add(user)
        db.session.flush()
        record_event("user.signed_up", user, f"user:{user.id}",
                     {"user_id": user.id, "group": grp.slug, "needs_approval": grp.needs_approval})
        token = issue_link("verify_email", user_id=user.id, email=email)
        send_account_mail(email, _l("Common Ground: confirm your e-mail address"), "verify_email", name=name, language=language,
              url=link_url("verify_email", token), needs_approval=grp.needs_approval, group=grp.name)


def _tell_existing_account(user: User) -> None:
    """Someone signed up with an address that has an account: tell its owner, and give them the
    link they need (verification if unconfirmed, else sign-in). A deactivated account gets nothing."""
    if user.email_verified_at is None:
        purpose = "verify_email"
    else:
        purpose = "sign_in"
    token = issue_link(purpose, user_id=user.id, email=user.email) if user.is_active else dummy_link()
    send_account_mail(user.email, _l("Common Ground: you already have an account"), "account_exists", send=user.is_active,
          language=user.language,
          name=user.name, url=link_url(purpose, token), verify=purpose == "verify_email")


def verify_email(token, keep_credential_id: int | None = None) -> User:
    """Confirm an address with its mailed link (single use, 24 h). Anyone holding the link.
    Records `user.email_verified`; a changed address takes effect now, which ends every
    other session and token of the person (`user.email_changed`)."""
    with transaction():
        link = spend_link(token, "verify_email")
        user = link.user
        if user is None:
            raise Invalid(_l("This link is not valid. Ask for a new one."), "invalid_token")
        if link.email and link.email != user.email:
            if db.session.execute(select(User.id).where(User.email == link.email)).first():
                raise Conflict(_l("An account for %(email)s exists already.", email=link.email), "email_taken")
            user.email = link.email
            user.email_verified_at = utcnow()
            _end_other_credentials(user.id, keep_credential_id if _owns(user, keep_credential_id) else None)
            end_links(user_id=user.id)
            record_event("user.email_changed", user, f"user:{user.id}", {"user_id": user.id})
        else:
            _mark_verified(user)
    return user


def _owns(user: User, credential_id: int | None) -> bool:
    if credential_id is None:
        return False
    credential = db.session.get(Credential, credential_id)
    return credential is not None and credential.user_id == user.id


def resend_verification(actor: User) -> None:
    """Mail the signed-in person a new verification link (the old ones stop working)."""
    require(can_read(actor), actor, _l("Sign in first."))
    with transaction():
        if actor.email_verified_at is not None:
            raise Conflict(_l("Your e-mail address is confirmed already."), "email_verified")
        end_links(user_id=actor.id, purpose="verify_email")
        token = issue_link("verify_email", user_id=actor.id, email=actor.email)
        send_account_mail(actor.email, _l("Common Ground: confirm your e-mail address"), "verify_email", name=actor.name, language=actor.language,
              url=link_url("verify_email", token), needs_approval=actor.approval_status != "approved",
              group=actor.group.name)


# --- sign-in links and password resets ----------------------------------------------------

def request_sign_in_link(email) -> None:
    """Mail a single-use sign-in link (valid 15 minutes) if the address has an active account.
    Anyone; the answer and the work are the same for every address. Not a public event."""
    _request_link(email, "sign_in", _l("Common Ground: your sign-in link"), "sign_in_link")


def request_password_reset(email) -> None:
    """Mail a single-use password-reset link (valid 1 hour) if the address has an active account.
    Anyone; the answer and the work are the same for every address."""
    _request_link(email, "password_reset", _l("Common Ground: reset your password"), "password_reset")


def _request_link(email, purpose: str, subject: str, template: str) -> None:
    email = _valid_email(email)
    with transaction():
        user = _active_user_by_email(email)
        # An unknown address stores a link too (without the address), whose token nobody ever sees.
        token = issue_link(purpose, user_id=user.id if user else None, email=email if user else None)
        send_account_mail(email, subject, template, send=user is not None, name=user.name if user else "",
                          language=user.language if user else None,
              url=link_url(purpose, token))


def redeem_sign_in_link(token, kind: str) -> tuple[User, str]:
    """Sign in with a mailed link: a browser session (`kind` "session") or an API token ("token").
    Using the link confirms the address. Returns the user and the credential's secret."""
    with transaction():
        link = spend_link(token, "sign_in")
        if link.user is None:
            raise Invalid(_l("This link is not valid. Ask for a new one."), "invalid_token")
        user = link.user
        _mark_verified(user)
        _credential, secret = issue_credential(user, kind)
    return user, secret


def reset_password(token, password) -> User:
    """Set a new password with a mailed reset link. Ends every session, token and open socket of
    the person, and their other mailed links. Records `user.password_reset`."""
    password = _valid_password(password)
    password_hash = hash_password(password)
    with transaction():
        link = spend_link(token, "password_reset")
        user = link.user
        if user is None:
            raise Invalid(_l("This link is not valid. Ask for a new one."), "invalid_token")
        user.password_hash = password_hash
        _mark_verified(user)
        _end_other_credentials(user.id)
        end_links(user_id=user.id)
        record_event("user.password_reset", user, f"user:{user.id}", {"user_id": user.id})
    return user


# --- one's own account ---------------------------------------------------------------------

def update_profile(actor: User, changes: dict, keep_credential_id: int | None = None) -> User:
    """Change one's own name, language, public-name choice or organisation; a new password
    (with the current one, if there is one) ends every other session; a new e-mail is mailed a
    verification link and takes effect when it is used. Records `user.profile_updated`."""
    require(can_read(actor), actor, _l("Sign in first."))
    if not isinstance(changes, dict) or not changes:
        raise Invalid(_l("Send at least one of name, language, show_name, organisation, email, password."),
                      "nothing_to_change")
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise Invalid(_l("Unknown fields: %(sorted)s.", sorted=', '.join(sorted(unknown))), "unknown_field")
    new_password = changes.get("password")
    new_email = changes.get("email")
    password_hash = None
    if new_password is not None or new_email is not None:
        _check_current_password(actor, changes.get("current_password"))
    if new_password is not None:
        password_hash = hash_password(_valid_password(new_password))
    if new_email is not None:
        new_email = _valid_email(new_email)
    with transaction():
        user = db.session.get(User, actor.id, populate_existing=True)
        recorded: dict = {"user_id": user.id}
        if "name" in changes:
            user.name = required_text(changes["name"], "name", 120)
            recorded["name_changed"] = True
        if "language" in changes:
            user.language = _language(changes["language"])
            recorded["language"] = user.language
        if "show_name" in changes:
            user.show_name = _optional_bool(changes["show_name"], "show_name", user.show_name)
            recorded["show_name"] = user.show_name
        if "organisation" in changes:
            organisation = optional_text(changes["organisation"], "organisation", ORGANISATION_MAX)
            if organisation != user.organisation:
                user.organisation = organisation
                user.organisation_verified_at = None  # a new claim needs verifying again
                recorded["organisation_changed"] = True
        if password_hash is not None:
            user.password_hash = password_hash
            _end_other_credentials(user.id, keep_credential_id if _owns(user, keep_credential_id) else None)
            end_links(user_id=user.id, purpose="password_reset")
            end_links(user_id=user.id, purpose="sign_in")
            recorded["password_changed"] = True
        if new_email is not None and new_email != user.email:
            end_links(user_id=user.id, purpose="verify_email")
            token = issue_link("verify_email", user_id=user.id, email=new_email)
            send_account_mail(new_email, _l("Common Ground: confirm your new e-mail address"), "verify_email", name=user.name, language=user.language,
                  url=link_url("verify_email", token), needs_approval=False, group=user.group.name, change=True)
            recorded["email_change_requested"] = True
        if len(recorded) > 1:
            record_event("user.profile_updated", user, f"user:{user.id}", recorded)
    return user


def _check_current_password(user: User, current_password) -> None:
    """A new password or e-mail needs the current password, when the account has one."""
    if not user.password_hash:
        return
    hasher = _hasher()
    if not isinstance(current_password, str) or not _password_matches(hasher, user.password_hash, current_password):
        raise Unauthenticated(_l("Your current password is not right."), "wrong_password")


def record_data_export(actor: User, digest: str) -> None:
    """Note in the log that a person downloaded their data (its sha256, nothing personal).
    Records `user.data_exported`."""
    require(can_read(actor), actor, _l("Sign in first."))
    with transaction():
        record_event("user.data_exported", actor, f"user:{actor.id}", {"user_id": actor.id, "export_sha256": digest})


def delete_account(actor: User) -> None:
    """Leave: the name becomes "Former participant", the e-mail, password and organisation are
    removed, every session, token, link and socket ends, scans of their letters are deleted;
    comments stay, shown under the group.
    The person themself. Records `user.deleted` (ids only)."""
    require(can_read(actor), actor, _l("Sign in first."))
    with transaction():
        user = db.session.get(User, actor.id, populate_existing=True)
        if user.role == "admin":
            admins = db.session.execute(select(User.id).where(User.role == "admin", User.is_active.is_(True),
                                                              User.id != user.id)).first()
            if admins is None:
                raise Conflict(_l("You are the last administrator: make someone else one first."), "last_admin")
        user.name = FORMER_PARTICIPANT
        user.email = deleted_email(user.id)
        user.password_hash = NO_PASSWORD
        user.organisation = None
        user.organisation_verified_at = None
        user.is_active = False
        user.deleted_at = utcnow()
        _end_other_credentials(user.id)
        end_links(user_id=user.id)
        # Scans of letters they sent carry their name and address; the comments stay.
        discard_scans(CommentScan.comment_id.in_(select(Comment.id).where(Comment.author_id == user.id)))
        record_event("user.deleted", user, f"user:{user.id}", {"user_id": user.id, "group": user.group.slug})
        record_notice("user.deactivated", user_id=user.id)


# --- administrators ------------------------------------------------------------------------

def _user_for_admin(actor: User, user_id: int, message: str) -> User:
    require(can_administer(actor), actor, message)
    user = db.session.get(User, user_id, populate_existing=True)
    if user is None or user.deleted_at is not None:
        raise NotFound(_l("No such user."))
    return user


def approve_account(actor: User, user_id: int) -> User:
    """Let an account of a group that needs approval comment, and mail its owner. Admins.
    Records `user.approved`."""
    with transaction():
        user = _user_for_admin(actor, user_id, _l("Only administrators approve accounts."))
        if user.approval_status == "approved":
            raise Conflict(_l("This account is approved already."), "already_approved")
        user.approval_status = "approved"
        record_event("user.approved", actor, f"user:{user.id}", {"user_id": user.id})
        if user.email:
            send_account_mail(user.email, _l("Common Ground: your account is approved"), "approval_granted", name=user.name, language=user.language,
                  group=user.group.name, verified=user.email_verified_at is not None)
    return user


def verify_organisation(actor: User, user_id: int, verified: object) -> User:
    """Confirm (or withdraw) that a person speaks for the organisation they named: a verified
    organisation is shown as a badge beside their name. Admins. Records `user.organisation_verified`."""
    if not isinstance(verified, bool):
        raise Invalid(_l("verified must be true or false."), "invalid_verified")
    with transaction():
        user = _user_for_admin(actor, user_id, _l("Only administrators verify organisations."))
        if verified and not user.organisation:
            raise Conflict(_l("This person named no organisation."), "no_organisation")
        user.organisation_verified_at = utcnow() if verified else None
        record_event("user.organisation_verified", actor, f"user:{user.id}",
                     {"user_id": user.id, "verified": verified})
    return user


def update_group_settings(actor: User, slug: str, changes: dict) -> Group:
    """Open or close a group to sign-up, and say whether its sign-ups need approval. Admins.
    Records `group.updated`."""
    require(can_administer(actor), actor, _l("Only administrators change groups."))
    if not isinstance(changes, dict) or not changes:
        raise Invalid(_l("Send is_open_to_sign_up and/or needs_approval."), "nothing_to_change")
    unknown = set(changes) - {"is_open_to_sign_up", "needs_approval"}
    if unknown:
        raise Invalid(_l("Unknown fields: %(sorted)s.", sorted=', '.join(sorted(unknown))), "unknown_field")
    with transaction():
        group = _group_by_slug(slug)
        for field, value in changes.items():
            setattr(group, field, _optional_bool(value, field, getattr(group, field)))
        record_event("group.updated", actor, f"group:{group.slug}",
                     {"group": group.slug, "is_open_to_sign_up": group.is_open_to_sign_up,
                      "needs_approval": group.needs_approval})
    return group
