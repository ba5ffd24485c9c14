"""Page tests: every test request starts with a clean `g`.

Test requests run inside the test's app context and so share `g`: Flask-Login's
cached user, our g.credential and Flask-WTF's cached CSRF token of one request
would otherwise answer for the next one."""
import pytest
from flask import g


@pytest.fixture(autouse=True)
def _fresh_g_per_request(app):
    @app.before_request
    def _forget_previous_request():
        for name in ("_login_user", "credential", "csrf_token"):
            g.pop(name, None)
