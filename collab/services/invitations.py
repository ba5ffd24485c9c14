"""Invitations: an administrator invites people by e-mail into a group and role, one at a time
or up to INVITATIONS_MAX at once from a pasted list; each gets a link that sets up the account."""
from __future__ import annotations

import csv
from dataclasses import dataclass

from sqlalchemy import select

from ..errors import Conflict, Invalid, NotFound, ServiceError, TooLarge
from ..events import record_event, transaction
from ..extensions import db
from ..models import Group, Invitation, User
from ..models.users import NO_PASSWORD, ROLES, default_show_name
from ..parsing import choice, required_text
from ..permissions import can_administer, require
from ..timeutil import utcnow
from .accounts import send_account_mail
from .links import end_links, issue_link, link_url, spend_link
from .users import _valid_email, _valid_password, hash_password, issue_credential
from flask_babel import lazy_gettext as _l

INVITATIONS_MAX = 1000
ROLE_WORDS = {"admin": _l("an administrator"), "facilitator": _l("a facilitator"), "participant": _l("a participant"),
              "observer": _l("an observer")}


@dataclass
class InvitationRow:
    line: int
    email: str
    name: str
    group: str
    role: str


def parse_invitation_list(text: object) -> tuple[list[InvitationRow], list[dict]]:
    """Read pasted lines "e-mail, name, group, role" (commas, semicolons or tabs; the role may be
    left out: participant). Blank lines and a header line are skipped. Returns the rows and the
    lines that could not be read ({line, message})."""
    if not isinstance(text, str) or not text.strip():
        raise Invalid(_l("Paste at least one line: e-mail, name, group, role."), "empty_invitations")
    lines = text.splitlines()
    rows: list[InvitationRow] = []
    errors: list[dict] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        delimiter = "\t" if "\t" in line else (";" if ";" in line and "," not in line else ",")
        cells = [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter, skipinitialspace=True))]
        if number == 1 and cells and cells[0].lower() in {"email", "e-mail"}:
            continue
        if len(cells) < 3 or len(cells) > 4:
            errors.append({"line": number, "message": "Write e-mail, name, group and role, separated by commas."})
            continue
        rows.append(InvitationRow(number, cells[0], cells[1], cells[2], cells[3] if len(cells) == 4 else "participant"))
    if len(rows) + len(errors) > INVITATIONS_MAX:
        raise TooLarge(_l("At most %(invitations_max)s invitations at once.", invitations_max=INVITATIONS_MAX), "too_many_invitations")
    return rows, errors


def rows_from_json(items: object) -> list[InvitationRow]:
    """The API's `invitations: [{email, name, group, role}]`, numbered from 1."""
    if not isinstance(items, list) or not items:
        raise Invalid(_l("invitations must be a non-empty list of {email, name, group, role}."), "invalid_invitations")
    if len(items) > INVITATIONS_MAX:
        raise TooLarge(_l("At most %(invitations_max)s invitations at once.", invitations_max=INVITATIONS_MAX), "too_many_invitations")
    rows = []
    for number, item in enumerate(items, start=1):
        item = item if isinstance(item, dict) else {}
        rows.append(InvitationRow(number, item.get("email"), item.get("name"), item.get("group"),
                                  item.get("role", "participant")))
    return rows


@dataclass
class CheckedInvitation:
    row: InvitationRow
    email: str
    name: str
    group: Group
    role: str


def check_invitations(actor: User, rows: list[InvitationRow]) -> tuple[list[CheckedInvitation], list[dict]]:
    """Validate rows without writing (the preview): the good ones, and per-line errors for the rest
    (bad fields, an address twice in the list, an address with an account or a pending invitation)."""
    require(can_administer(actor), actor, _l("Only administrators invite people."))
    groups = {g.slug: g for g in db.session.execute(select(Group)).scalars()}
    good: list[CheckedInvitation] = []
    errors: list[dict] = []
    seen: set[str] = set()
    checked: list[tuple[InvitationRow, str, str, Group, str]] = []
    for row in rows:
        try:
            email = _valid_email(row.email)
            name = required_text(row.name, "name", 120)
            if not isinstance(row.group, str) or row.group not in groups:
                raise Invalid(_l("There is no group %(group)s.", group=repr(row.group)), "invalid_group")
            role = choice(row.role, "role", ROLES)
            if email in seen:
                raise Conflict(_l("%(email)s is in the list twice.", email=email), "duplicate_email")
        except ServiceError as error:
            errors.append({"line": row.line, "message": error.message})
            continue
        seen.add(email)
        checked.append((row, email, name, groups[row.group], role))
    emails = [item[1] for item in checked]
    taken = set()
    pending = set()
    for start in range(0, len(emails), 500):
        chunk = emails[start:start + 500]
        taken |= set(db.session.execute(select(User.email).where(User.email.in_(chunk))).scalars())
        pending |= set(db.session.execute(select(Invitation.email).where(
            Invitation.email.in_(chunk), Invitation.status == "pending")).scalars())
    for row, email, name, group, role in checked:
        if email in taken:
            errors.append({"line": row.line, "message": f"{email} has an account already."})
        elif email in pending:
            errors.append({"line": row.line, "message": f"{email} is invited already: re-send that invitation."})
        else:
            good.append(CheckedInvitation(row, email, name, group, role))
    errors.sort(key=lambda error: error["line"])
    return good, errors


def create_invitations(actor: User, rows: list[InvitationRow]) -> tuple[list[Invitation], list[dict]]:
    """Invite every valid row and mail each its link (valid 14 days); the invalid rows come back
    as per-line errors and are not invited. Admins. Records `invitation.created` per invitation
    (ids, group and role only)."""
    with transaction():
        good, errors = check_invitations(actor, rows)
        created = []
        now = utcnow()
        for item in good:
            invitation = Invitation(email=item.email, name=item.name, group=item.group, role=item.role,
                                    status="pending", invited_by_id=actor.id, created_at=now, last_sent_at=now,
                                    send_count=1)
            db.session.add(invitation)
            created.append(invitation)
        db.session.flush()
        for invitation in created:
            record_event("invitation.created", actor, f"invitation:{invitation.id}",
                         {"invitation_id": invitation.id, "group": invitation.group.slug, "role": invitation.role})
            _send(actor, invitation)
    return created, errors


def _send(actor: User, invitation: Invitation) -> None:
    token = issue_link("invitation", invitation_id=invitation.id, email=invitation.email)
    send_account_mail(invitation.email, _l("You are invited to Common Ground"), "invitation", name=invitation.name,
          invited_by=actor.name, role_words=ROLE_WORDS[invitation.role], group=invitation.group.name,
          url=link_url("invitation", token))


def _pending(actor: User, invitation_id: int) -> Invitation:
    require(can_administer(actor), actor, _l("Only administrators manage invitations."))
    invitation = db.session.get(Invitation, invitation_id, populate_existing=True)
    if invitation is None:
        raise NotFound(_l("No such invitation."))
    if invitation.status != "pending":
        raise Conflict(_l("This invitation was %(status)s already.", status=invitation.status), f"invitation_{invitation.status}")
    return invitation


def resend_invitation(actor: User, invitation_id: int) -> Invitation:
    """Mail a pending invitation again with a new link (the earlier link stops working). Admins.
    Records `invitation.resent`."""
    with transaction():
        invitation = _pending(actor, invitation_id)
        end_links(invitation_id=invitation.id)
        invitation.last_sent_at = utcnow()
        invitation.send_count += 1
        record_event("invitation.resent", actor, f"invitation:{invitation.id}", {"invitation_id": invitation.id})
        _send(actor, invitation)
    return invitation


def withdraw_invitation(actor: User, invitation_id: int) -> Invitation:
    """Withdraw a pending invitation: its link stops working. Admins. Records `invitation.withdrawn`."""
    with transaction():
        invitation = _pending(actor, invitation_id)
        end_links(invitation_id=invitation.id)
        invitation.status = "withdrawn"
        invitation.settled_at = utcnow()
        record_event("invitation.withdrawn", actor, f"invitation:{invitation.id}", {"invitation_id": invitation.id})
    return invitation


def accept_invitation(token, password=None, kind: str = "token") -> tuple[User, str]:
    """Set up the invited account (the invitation's group and role; the address counts as
    verified) and sign in: returns the user and a new credential's secret (`kind` "token" for
    the API, "session" for a browser). Anyone holding the link. Records `invitation.accepted`
    and `user.created`."""
    password = None if password in (None, "") else _valid_password(password)
    password_hash = hash_password(password) if password else NO_PASSWORD
    with transaction():
        link = spend_link(token, "invitation")
        invitation = db.session.get(Invitation, link.invitation_id, populate_existing=True)
        if invitation is None or invitation.status != "pending":
            raise Invalid(_l("This invitation was withdrawn or used already."), "invalid_token")
        if db.session.execute(select(User.id).where(User.email == invitation.email)).first():
            raise Conflict(_l("An account for %(email)s exists already: sign in instead.", email=invitation.email), "email_taken")
        now = utcnow()
        user = User(email=invitation.email, name=invitation.name, password_hash=password_hash, role=invitation.role,
                    group=invitation.group, email_verified_at=now, 
                    show_name=default_show_name(invitation.group.slug))
        db.session.add(user)
        db.session.flush()
        invitation.status = "accepted"
        invitation.accepted_user_id = user.id
        invitation.settled_at = now
        record_event("user.created", None, f"user:{user.id}",
                     {"user_id": user.id, "role": user.role, "group": user.group.slug})
        record_event("invitation.accepted", user, f"invitation:{invitation.id}",
                     {"invitation_id": invitation.id, "user_id": user.id})
        _credential, secret = issue_credential(user, kind)
    return user, secret

