"""How a page answers a form the services refused: one mapping for every page.

A view that changes something is decorated with `form_view(show_again)`. The view lets a
ServiceError propagate; here the session is rolled back, the message is flashed, and the
page is rendered again by `show_again(error, **view_args)` with the error's HTTP status.
Templates put back what the person typed with `submitted(action, field)`: the refused
request is the one re-rendering the page, so its path names the form that failed.
JSON answers are mapped in collab/http.py, the live channel's acks in realtime/handlers.py."""
from __future__ import annotations

import functools
from collections.abc import Callable

from flask import flash, g, request
from werkzeug.wrappers import Response

from ..errors import ServiceError
from ..extensions import db
from .blueprint import web


def form_view(show_again: Callable[..., object], flash_refusal: bool = True):
    """`flash_refusal=False` for pages that show the message beside the field themselves:
    one message on the page, not the same one twice."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(**view_args):
            try:
                return view(**view_args)
            except ServiceError as error:
                db.session.rollback()
                g.refused = error
                if flash_refusal:
                    flash(error.message, "error")
                answer = show_again(error, **view_args)
                if isinstance(answer, Response):  # a redirect back: the flash tells what happened
                    return answer
                if isinstance(answer, tuple):
                    answer = answer[0]
                retry_after = getattr(error, "retry_after", None)
                return answer, error.status, {"Retry-After": str(retry_after)} if retry_after else {}
        return wrapper
    return decorate


def _is_refused(action: str) -> bool:
    return request.method == "POST" and "refused" in g and request.path == action.split("#")[0].split("?")[0]


@web.app_template_global()
def submitted(action: str, field: str, default: str = "") -> str:
    """What the person typed into `field` of the form posting to `action`, when that form
    was just refused; else `default` (a fresh form)."""
    return request.form.get(field, default) if _is_refused(action) else default


@web.app_template_global()
def submitted_all(action: str, field: str) -> list[str]:
    """Every value of a repeated field (ticked boxes) of the refused form, else none."""
    return request.form.getlist(field) if _is_refused(action) else []


@web.app_template_global()
def refused_message(action: str) -> str:
    """The refusal's message, for the form that posted to `action` (to show beside it)."""
    return g.refused.message if _is_refused(action) else ""
