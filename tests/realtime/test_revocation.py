"""Sign-out, deactivation and role changes reach sockets that are already open."""
import pytest

from collab.realtime import state
from tests.conftest import any_database, events_of
from tests.realtime.helpers import join, presence_ids, received


@pytest.fixture
def document(make):
    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    return document


@any_database
def test_revoking_a_token_disconnects_the_sockets_opened_with_it_at_once(document, make, client, socket_client):
    user = make.user()
    token, other_token = make.token(user), make.token(user)
    revoked = socket_client(token=token)
    same_user_other_token = socket_client(token=other_token)
    join(revoked, document.id)
    join(same_user_other_token, document.id)

    response = client.delete("/api/v1/auth/tokens/current", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 204
    assert not revoked.is_connected()
    assert same_user_other_token.is_connected()  # only the credential used is revoked
    assert join(same_user_other_token, document.id)["ok"] is True
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_signing_out_of_the_page_disconnects_the_sockets_of_that_session(
        document, make, client, sign_in, csrf_token, socket_client):
    user = make.user(name="Angela Whitfield")
    watcher_user = make.user(name="Zoe Watcher")
    sign_in(client, user)
    browser_tab = socket_client(flask_client=client)
    watcher = socket_client(token=make.token(watcher_user))
    join(browser_tab, document.id)
    join(watcher, document.id)
    received(watcher)

    response = client.post("/sign-out", data={"csrf_token": csrf_token()})

    assert response.status_code == 302
    assert not browser_tab.is_connected()
    assert [presence_ids(p) for p in received(watcher, "presence")] == [[watcher_user.id]]


@any_database
def test_deactivating_a_user_disconnects_all_their_sockets_and_updates_presence(
        document, make, client, socket_client):
    admin = make.admin()
    user = make.user(name="Angela Whitfield")
    bystander_user = make.user(name="Zoe Bystander")
    other_document = make.document(admin=admin, title="Another agreement")
    tab_one = socket_client(token=make.token(user))
    tab_two = socket_client(token=make.token(user))
    bystander = socket_client(token=make.token(bystander_user))
    join(tab_one, document.id)
    join(tab_two, other_document.id)
    join(bystander, document.id)
    received(bystander)

    response = client.patch(f"/api/v1/users/{user.id}", json={"is_active": False}, headers=make.bearer(admin))

    assert response.status_code == 200 and response.get_json()["user"]["is_active"] is False
    assert not tab_one.is_connected() and not tab_two.is_connected()
    assert bystander.is_connected()
    assert state.registry.sids_where(user_id=user.id) == []
    assert [presence_ids(p) for p in received(bystander, "presence")] == [[bystander_user.id]]
    [event] = events_of("user.updated")
    assert '"is_active":false' in event.data


def test_a_refused_deactivation_disconnects_nobody(document, make, client, socket_client):
    admin = make.admin()
    participant = make.user()
    admin_tab = socket_client(token=make.token(admin))
    target_tab = socket_client(token=make.token(participant))
    before = len(events_of())

    by_participant = client.patch(f"/api/v1/users/{admin.id}", json={"is_active": False},
                                  headers=make.bearer(participant))
    by_self = client.patch(f"/api/v1/users/{admin.id}", json={"is_active": False}, headers=make.bearer(admin))
    not_a_flag = client.patch(f"/api/v1/users/{participant.id}", json={"is_active": "no"},
                              headers=make.bearer(admin))

    assert by_participant.status_code == 403
    assert by_self.status_code == 409 and by_self.get_json()["error"]["code"] == "self_deactivation"
    assert not_a_flag.status_code == 400
    assert admin_tab.is_connected() and target_tab.is_connected()
    assert len(events_of()) == before


@any_database
def test_a_role_change_takes_effect_at_the_open_socket_next_event(document, make, client, socket_client):
    admin = make.admin()
    user = make.user()
    sock = socket_client(token=make.token(user))
    reader = socket_client(token=make.token(make.user()))
    join(sock, document.id)
    join(reader, document.id)
    clause_id = make.clause_ids(document)[0]
    assert sock.emit("comment.create", {"clause_id": clause_id, "body": "Before.", "kind": "concern"},
                     callback=True)["ok"] is True
    received(reader)

    response = client.patch(f"/api/v1/users/{user.id}", json={"role": "observer"}, headers=make.bearer(admin))
    assert response.status_code == 200

    ack = sock.emit("comment.create", {"clause_id": clause_id, "body": "After.", "kind": "concern"},
                    callback=True)
    assert ack == {"ok": False, "error": {"code": "forbidden", "message": "Observers cannot comment."}}
    assert sock.is_connected()  # an observer may still read
    assert join(sock, document.id)["ok"] is True
    assert len(events_of("comment.created")) == 1
    assert received(reader, "comment.created") == []

    client.patch(f"/api/v1/users/{user.id}", json={"role": "participant"}, headers=make.bearer(admin))
    assert sock.emit("comment.create", {"clause_id": clause_id, "body": "Again.", "kind": "concern"},
                     callback=True)["ok"] is True


def test_a_new_password_or_a_deleted_account_closes_the_persons_other_sockets(document, make, client,
                                                                               socket_client):
    from tests.conftest import PASSWORD

    user = make.user()
    kept_token, other_token = make.token(user), make.token(user)
    kept, other = socket_client(token=kept_token), socket_client(token=other_token)
    join(kept, document.id)
    join(other, document.id)

    changed = client.patch("/api/v1/me", headers={"Authorization": f"Bearer {kept_token}"},
                           json={"password": "a brand new password", "current_password": PASSWORD})

    assert changed.status_code == 200
    assert not other.is_connected()
    assert kept.is_connected() and join(kept, document.id)["ok"] is True

    assert client.delete("/api/v1/me", headers={"Authorization": f"Bearer {kept_token}"}).status_code == 204
    assert not kept.is_connected()
