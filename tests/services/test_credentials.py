"""The credential every request presents: read afresh each time, refused the moment it stops holding."""
from sqlalchemy import update

from collab.extensions import db
from collab.models import User
from collab.services.users import find_credential, issue_credential, revoke_credential
from tests.conftest import any_database


@any_database
def test_a_live_credential_gives_its_person_with_the_group_loaded(make):
    person = make.user(name="Pat Parent", group="families")
    credential, secret = issue_credential(person, "token")
    db.session.expunge_all()
    found = find_credential(secret, "token")
    assert (found.id, found.kind, found.user.id) == (credential.id, "token", person.id)
    assert (found.user.name, found.user.group.slug) == ("Pat Parent", "families")
    # The person is the session's stored row: a query returns that very object, unchanged.
    assert db.session.get(User, person.id) is found.user
    assert not db.session.dirty and not db.session.new


@any_database
def test_the_session_keeps_the_object_it_already_holds(make):
    person = make.user()
    _credential, secret = issue_credential(person, "session")
    held = db.session.get(User, person.id)
    assert find_credential(secret, "session").user is held


@any_database
def test_a_credential_of_the_other_kind_revoked_or_of_an_inactive_person_is_refused(make):
    person = make.user()
    credential, secret = issue_credential(person, "token")
    assert find_credential(secret, "session") is None
    assert find_credential("not a secret", "token") is None
    assert find_credential(None, "token") is None
    # Inactive without its credentials revoked (deactivation revokes them too): still refused.
    db.session.execute(update(User).where(User.id == person.id).values(is_active=False))
    assert find_credential(secret, "token") is None
    db.session.execute(update(User).where(User.id == person.id).values(is_active=True))
    assert find_credential(secret, "token") is not None
    revoke_credential(credential.id)
    assert find_credential(secret, "token") is None
