"""The test fixtures themselves: a test's commits stay inside the transaction rolled back
at its end, and each test request loads its own user."""
from sqlalchemy import create_engine, func, select

from collab.extensions import db
from collab.models import User
from tests.conftest import any_database


@any_database
def test_a_services_commit_stays_inside_the_tests_transaction(app, make):
    user = make.user()  # a service transaction, committed
    assert db.session.get(User, user.id) is not None
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with other.connect() as connection:
            seen = connection.execute(select(func.count()).select_from(User).where(User.id == user.id)).scalar_one()
    finally:
        other.dispose()
    assert seen == 0


def test_each_request_loads_its_own_user(client, make):
    first, second = make.user(name="First Person"), make.user(name="Second Person")
    assert client.get("/api/v1/me", headers=make.bearer(first)).get_json()["user"]["name"] == "First Person"
    assert client.get("/api/v1/me", headers=make.bearer(second)).get_json()["user"]["name"] == "Second Person"
    assert client.get("/api/v1/me").status_code == 401
