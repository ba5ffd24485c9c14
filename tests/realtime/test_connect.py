"""Who may open the live channel: a valid token or a signed-in session cookie, nothing else."""
from sqlalchemy import update

from collab.realtime import state
from collab.extensions import db
from collab.models import Credential
from collab.timeutil import utcnow
from tests.conftest import any_database
from tests.realtime.helpers import join


def test_connection_without_credentials_is_accepted_as_a_reader(make, socket_client):
    # A reader without an account may follow public documents (tests/realtime/test_anonymous.py).
    sock = socket_client()
    assert sock.is_connected()
    assert state.registry.sids_where(user_id=0) == []


def test_connection_with_unknown_token_is_refused(make, socket_client):
    make.user()
    assert not socket_client(token="not-a-token").is_connected()


def test_connection_with_revoked_token_is_refused(make, client, socket_client):
    user = make.user()
    token = make.token(user)
    response = client.delete("/api/v1/auth/tokens/current", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204
    assert not socket_client(token=token).is_connected()


def test_connection_of_deactivated_user_is_refused(make, client, socket_client):
    admin = make.admin()
    user = make.user()
    token = make.token(user)
    response = client.patch(f"/api/v1/users/{user.id}", json={"is_active": False}, headers=make.bearer(admin))
    assert response.status_code == 200
    assert not socket_client(token=token).is_connected()


def test_session_secret_is_not_accepted_as_a_token(make, client, sign_in, socket_client):
    """A session credential only works from the cookie, never pasted into `auth`."""
    from collab.auth import SESSION_KEY

    sign_in(client, make.user())
    with client.session_transaction() as session:
        secret = session[SESSION_KEY]
    assert not socket_client(token=secret).is_connected()


@any_database
def test_connection_by_token_is_accepted_and_registered(make, socket_client):
    user = make.user()
    sock = socket_client(token=make.token(user))
    assert sock.is_connected()
    assert len(state.registry.sids_where(user_id=user.id)) == 1


def test_connection_by_session_cookie_is_accepted(make, client, sign_in, socket_client):
    user = make.user()
    document = make.document()
    sign_in(client, user)
    sock = socket_client(flask_client=client)
    assert sock.is_connected()
    assert join(sock, document.id)["ok"] is True


def test_connection_with_a_signed_out_session_cookie_is_refused(make, client, sign_in, csrf_token, socket_client):
    sign_in(client, make.user())
    stale_cookie_client = client.application.test_client()
    stale_cookie_client.set_cookie(client.application.config["SESSION_COOKIE_NAME"],
                                   client.get_cookie(client.application.config["SESSION_COOKIE_NAME"]).value)
    response = client.post("/sign-out", data={"csrf_token": csrf_token()})
    assert response.status_code == 302
    # The old cookie, replayed after sign-out, opens nothing.
    assert not socket_client(flask_client=stale_cookie_client).is_connected()


def test_socket_whose_credential_was_revoked_behind_its_back_is_refused_at_its_next_event(
        make, socket_client):
    """Even when no disconnect reaches the socket (say, it came from a crashed
    process), the credential is re-read on every event."""
    user = make.user()
    document = make.document()
    sock = socket_client(token=make.token(user))
    db.session.execute(update(Credential).where(Credential.user_id == user.id).values(revoked_at=utcnow()))
    db.session.commit()
    db.session.expire_all()

    ack = join(sock, document.id)

    assert ack == {"ok": False, "error": {"code": "unauthenticated",
                                          "message": "Your session has ended. Sign in again."}}
    assert not sock.is_connected()
    assert state.registry.sids_where(user_id=user.id) == []
