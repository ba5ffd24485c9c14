"""What a real server writes to its log for a bad day's requests (issue 11, item 11)."""
import time

import pytest
import requests

from tests.server.conftest import FAMILY, WAIT

pytestmark = pytest.mark.server


def _settled(server) -> int:
    """How many lines the server has printed, once it has printed nothing for half a second
    (start-up lines, such as the scheduler's, may come after the server listens)."""
    count = -1
    while count != len(server.output):
        count = len(server.output)
        time.sleep(0.5)
    return count


def _new_lines(server, before: int) -> list[str]:
    time.sleep(0.3)  # the drain thread reads the output as it comes
    return server.output[before:]


def test_a_wrong_password_writes_one_line_and_no_secret(sqlite_site):
    server = sqlite_site.servers[0]
    before = _settled(server)
    response = requests.post(f"{sqlite_site.url()}/api/v1/auth/tokens",
                             json={"email": FAMILY, "password": "not-the-password-s3cr3t"}, timeout=WAIT)
    assert response.status_code == 401
    lines = _new_lines(server, before)
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0] and "s3cr3t" not in lines[0] and FAMILY not in lines[0]


def test_an_unknown_account_writes_one_line_and_no_secret(sqlite_site):
    server = sqlite_site.servers[0]
    before = _settled(server)
    response = requests.post(f"{sqlite_site.url()}/api/v1/auth/tokens",
                             json={"email": "nobody@example.org", "password": "guessing-s3cr3t"}, timeout=WAIT)
    assert response.status_code == 401
    lines = _new_lines(server, before)
    assert len(lines) == 1, lines
    assert "s3cr3t" not in lines[0] and "nobody" not in lines[0]
