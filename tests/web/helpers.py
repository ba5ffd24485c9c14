"""Helpers for page tests."""
from __future__ import annotations

import re

from flask import g


def page_csrf(client, path: str = "/sign-in") -> str:
    """The CSRF token the page at `path` carries in its meta tag, as a browser sees it.

    Test requests share the test's app context, so Flask-WTF's per-request cache in
    `g` would hand out a token of a session that signing in or out has since cleared."""
    g.pop("csrf_token", None)
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    g.pop("csrf_token", None)
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
