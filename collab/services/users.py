"""Users, groups, sign-in credentials."""
from __future__ import annotations

import hashlib
import logging
import re
import secrets
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from sqlalchemy import bindparam, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import make_transient_to_detached

from ..runtime.blocking import BoundedPool, default_workers
from ..errors import Busy, Conflict, Invalid, NotFound, Unauthenticated
from ..events import record_event, record_notice, transaction
from ..extensions import db
from ..models import Credential, Group, User
from ..models.users import ROLES, default_show_name
from ..permissions import can_administer, require
from ..timeutil import utcnow
from .links import end_links
from ..parsing import choice, required_text
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PASSWORD_MIN_LENGTH = 10


# Argon2id at OWASP's minimum (Password Storage Cheat Sheet: m=19 MiB, t=2, p=1): ~29 ms of
# CPU a check here instead of ~260 ms at argon2-cffi's default (m=64 MiB, t=3, p=4). Hashes
# stored with other parameters are re-hashed at the next successful sign-in.
OWASP_ARGON2 = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}


def _hasher() -> PasswordHasher:
    # Tests use a cheap profile to stay fast.
    params = current_app.config.get("ARGON2_PARAMETERS") or OWASP_ARGON2
    return PasswordHasher(**params)


def password_pool() -> BoundedPool:
    """This app's pool for password hashing (PASSWORD_CHECK_WORKERS threads,
    PASSWORD_CHECK_QUEUE waiting; more are refused with 503 busy and Retry-After)."""
    pool = current_app.extensions.get("password_checks")
    if pool is None:
        config = current_app.config
        pool = current_app.extensions["password_checks"] = BoundedPool(
            config.get("PASSWORD_CHECK_WORKERS") or default_workers(),
            config.get("PASSWORD_CHECK_QUEUE", 16),
            "Too many people are signing in at this moment. Try again in a few seconds.")
    return pool


def _release_connection() -> None:
    """In a storm a password check may wait in the pool for a while: the request's database
    connection goes back to the engine's pool meanwhile (its read snapshot ends; rows reload
    when next used), or waiting sign-ins would hold every connection and stall other requests.
    Never inside a service's transaction (none hashes inside one)."""
    session = db.session()
    if session.in_transaction() and not session.info.get("service_transaction"):
        session.commit()


def hash_password(password: str) -> str:
    _release_connection()
    return password_pool().run(_hasher().hash, password)


def _password_matches(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    _release_connection()
    try:
        return password_pool().run(hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy_hashes: dict[str, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash with the configured parameters, made once, to check unknown accounts against."""
    key = repr(sorted((current_app.config.get("ARGON2_PARAMETERS") or {}).items()))
    if key not in _dummy_hashes:
        _dummy_hashes[key] = password_pool().run(hasher.hash, "not-a-real-password")
    return _dummy_hashes[key]


def _valid_password(password: object) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_LENGTH:
        raise Invalid(_l("password must have at least %(password_min_length)s characters.", password_min_length=PASSWORD_MIN_LENGTH), "weak_password")
    if len(password) > 1024:
        raise Invalid(_l("password is too long."), "invalid_password")
    return password


def _valid_email(email: object) -> str:
    text = required_text(email, "email", 254).lower()
    if not EMAIL_PATTERN.match(text):
        raise Invalid(_l("email is not a valid e-mail address."), "invalid_email")
    return text


def _group_by_slug(slug: object) -> Group:
    if not isinstance(slug, str):
        raise Invalid(_l("group must be a group's slug."), "invalid_group")
    group = db.session.execute(select(Group).where(Group.slug == slug)).scalar_one_or_none()
    if group is None:
        raise Invalid(_l("There is no group %(slug)s.", slug=repr(slug)), "invalid_group")
    return group


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such user."))
    return user


def _changes_nothing(user: User, changes: dict) -> bool:
    """Whether every requested value is the one the account has already (no event then)."""
    current = {"name": user.name, "role": user.role, "group": user.group.slug, "is_active": user.is_active}
    return all(type(value) is type(current[key])
               and (value.strip() if isinstance(value, str) and key == "name" else value) == current[key]
               for key, value in changes.items())


def create_user(actor: User | None, *, email, name, password, role, group) -> User:
    """Create an account. Admins only (actor None: the command line). Records `user.created`."""
    if actor is not None:
        require(can_administer(actor), actor, _l("Only administrators create accounts."))
    email = _valid_email(email)
    name = required_text(name, "name", 120)
    password = _valid_password(password)
    role = choice(role, "role", ROLES)
    password_hash = hash_password(password)  # slow: outside the write lock
    with transaction():
        grp = _group_by_slug(group)
        if db.session.execute(select(User.id).where(User.email == email)).first():
            raise Conflict(_l("An account for %(email)s exists already.", email=email), "email_taken")
        user = User(email=email, name=name, password_hash=password_hash, role=role, group=grp,
                    email_verified_at=utcnow(), show_name=default_show_name(grp.slug))
        db.session.add(user)
        db.session.flush()
        record_event("user.created", actor, f"user:{user.id}",
                     {"user_id": user.id, "role": role, "group": grp.slug})
    return user


def update_user(actor: User, user_id: int, changes: dict) -> User:
    """Change a user's name, role, group or active flag. Admins only. Records `user.updated`.

    Deactivation ends the user's sessions, tokens and open sockets for good: re-activation
    does not revive them, the person signs in afresh. The last active administrator
    cannot be demoted or deactivated (nobody could administer the site afterwards).
    Sockets close through the notice `user.deactivated`."""
    require(can_administer(actor), actor, _l("Only administrators change accounts."))
    if not isinstance(changes, dict) or not changes:
        raise Invalid(_l("Send at least one of name, role, group, is_active."), "nothing_to_change")
    unknown = set(changes) - {"name", "role", "group", "is_active"}
    if unknown:
        raise Invalid(_l("Unknown fields: %(sorted)s.", sorted=', '.join(sorted(unknown))), "unknown_field")
    with transaction():
        user = _get_user(user_id)
        if _changes_nothing(user, changes):
            return user
        recorded: dict = {"user_id": user.id}
        if "name" in changes:
            user.name = required_text(changes["name"], "name", 120)
            recorded["name_changed"] = True
        if "role" in changes:
            user.role = choice(changes["role"], "role", ROLES)
            recorded["role"] = user.role
        if "group" in changes:
            user.group = _group_by_slug(changes["group"])
            recorded["group"] = user.group.slug
        if "is_active" in changes:
            if not isinstance(changes["is_active"], bool):
                raise Invalid(_l("is_active must be true or false."), "invalid_is_active")
            if user.id == actor.id and not changes["is_active"]:
                raise Conflict(_l("You cannot deactivate your own account."), "self_deactivation")
            user.is_active = changes["is_active"]
            recorded["is_active"] = user.is_active
        _keep_an_administrator(user)
        if not user.is_active:
            _revoke_all_credentials(user.id)
        record_event("user.updated", actor, f"user:{user.id}", recorded)
        # Role and activity are re-read on every socket event; a deactivated
        # user's sockets are also closed now rather than at their next event.
        if not user.is_active:
            end_links(user_id=user.id)
            record_notice("user.deactivated", user_id=user.id)
    return user


def _keep_an_administrator(user: User) -> None:
    """Refuse a change that leaves the site without an active administrator."""
    if user.role == "admin" and user.is_active:
        return
    others = db.session.execute(
        select(User.id).where(User.role == "admin", User.is_active.is_(True), User.id != user.id).limit(1)
    ).first()
    if others is None:
        raise Conflict(_l("You are the last active administrator: make someone else an administrator first, so that somebody can still manage accounts."), "last_admin")


def _revoke_all_credentials(user_id: int) -> None:
    db.session.execute(update(Credential).where(Credential.user_id == user_id, Credential.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def authenticate(email: object, password: object) -> User:
    """Check an e-mail and password; raise Unauthenticated for any mismatch, Busy (503) when
    the password checks are full."""
    # Refused before the account is read: a storm's refusals cost the event loop no query and
    # no transaction, and known and unknown addresses are refused alike.
    password_pool().refuse_if_full()
    hasher = _hasher()
    user = None
    if isinstance(email, str):
        user = db.session.execute(
            select(User).where(User.email == email.strip().lower())
        ).scalar_one_or_none()
    if not isinstance(password, str) or user is None or not user.is_active or not user.password_hash:
        # Spend the same time as a real check so response times reveal no accounts.
        _password_matches(hasher, _dummy_hash(hasher), password if isinstance(password, str) else "")
        log.info("sign-in refused: no active account has that e-mail")
        raise Unauthenticated(_l("Wrong e-mail or password."), "invalid_credentials")
    if not _password_matches(hasher, user.password_hash, password):
        log.info("sign-in refused: wrong password for user %s", user.id)
        raise Unauthenticated(_l("Wrong e-mail or password."), "invalid_credentials")
    _rehash_if_outdated(hasher, user, password)
    return user


def _rehash_if_outdated(hasher: PasswordHasher, user: User, password: str) -> None:
    """Store the password again with the current parameters when its hash has others (only
    the right password can do it, so sign-in is the moment). Not an event: the password is the
    same. A password changed meanwhile is kept; a full pool leaves it for the next sign-in."""
    stored = user.password_hash
    try:
        if not hasher.check_needs_rehash(stored):
            return
        fresh = password_pool().run(hasher.hash, password)
    except (Busy, InvalidHashError):
        return
    with transaction():
        db.session.execute(update(User).where(User.id == user.id, User.password_hash == stored)
                           .values(password_hash=fresh).execution_options(synchronize_session=False))
    db.session.refresh(user, ["password_hash"])
    log.info("password of user %s re-hashed with the current parameters", user.id)


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_credential(user: User, kind: str) -> tuple[Credential, str]:
    """Start a browser session or issue an API token; return the row and the secret
    (shown once, stored only as a hash). Sign-ins are not public events."""
    secret = secrets.token_urlsafe(32)
    with transaction():
        credential = Credential(user_id=user.id, kind=kind, secret_hash=_secret_hash(secret))
        db.session.add(credential)
    return credential, secret


def revoke_credential(credential_id: int) -> None:
    """End a session or token everywhere, open sockets included (notice `credential.revoked`)."""
    with transaction():
        credential = db.session.get(Credential, credential_id)
        if credential is not None and credential.revoked_at is None:
            credential.revoked_at = utcnow()
        record_notice("credential.revoked", credential_id=credential_id)


class LiveCredential(NamedTuple):
    """A credential that holds now (not revoked, its person active) and its person, who is in
    the session as the row just read."""
    id: int
    kind: str
    user: User


_CREDENTIALS, _USERS, _GROUPS = Credential.__table__, User.__table__, Group.__table__
# The attribute each column is mapped to, in the order the statement below selects them.
_USER_KEYS = tuple(sa_inspect(User).get_property_by_column(column).key for column in _USERS.c)
_GROUP_KEYS = tuple(sa_inspect(Group).get_property_by_column(column).key for column in _GROUPS.c)
# Built once, plain columns: every request runs it, and building the statement or loading it
# through the ORM (three objects, a joined eager load) cost more than running it. Revoked
# credentials and inactive people are refused by the statement itself, on every request.
_LIVE_CREDENTIAL = (
    select(_CREDENTIALS.c.id, *_USERS.c, *_GROUPS.c)
    .join_from(_CREDENTIALS, _USERS, _USERS.c.id == _CREDENTIALS.c.user_id)
    .join(_GROUPS, _GROUPS.c.id == _USERS.c.group_id)
    .where(_CREDENTIALS.c.secret_hash == bindparam("secret_hash"), _CREDENTIALS.c.kind == bindparam("kind"),
           _CREDENTIALS.c.revoked_at.is_(None), _USERS.c.is_active.is_(True)))


def _as_stored(model, values: dict):
    """The session's object for a row just read: the one it holds already (as an ORM query
    would return), else one made from `values` (no attribute events: nothing is changed) and
    added as that stored row, not as a new one."""
    mapper = sa_inspect(model)
    existing = db.session.identity_map.get(mapper.identity_key_from_primary_key((values["id"],)))
    if existing is not None:
        return existing
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    db.session.add(instance)
    return instance


def find_credential(secret: object, kind: str) -> LiveCredential | None:
    """The live credential for a secret, or None if unknown, of another kind, revoked or its
    user inactive. Read afresh on every call: revoking or deactivating takes effect at once."""
    if not isinstance(secret, str) or not secret:
        return None
    row = db.session.connection().execute(
        _LIVE_CREDENTIAL, {"secret_hash": _secret_hash(secret), "kind": kind}).first()
    if row is None:
        return None
    user_end = 1 + len(_USER_KEYS)
    group = _as_stored(Group, dict(zip(_GROUP_KEYS, row[user_end:])))
    user = _as_stored(User, {**dict(zip(_USER_KEYS, row[1:user_end])), "group": group})
    return LiveCredential(row[0], kind, user)


def list_groups() -> list[Group]:
    return list(db.session.execute(select(Group).order_by(Group.id)).scalars())


def list_users() -> list[User]:
    return list(db.session.execute(select(User).order_by(User.name)).scalars())
