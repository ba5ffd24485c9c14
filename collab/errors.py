"""Typed service errors. Every edge (JSON, pages, live channel) maps them in one place.

Messages are written for people and translated: the raise site passes
`lazy_gettext(...)` (imported as `_l`), and `message` is that text in the language of the
request (or mail) that reads it, as a plain string. The `code` never changes with the language."""
from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message, code: str | None = None):
        super().__init__(message)
        self._message = message
        if code:
            self.code = code

    @property
    def message(self) -> str:
        return str(self._message)

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


class Invalid(ServiceError):
    status = 400
    code = "invalid"


class Unauthenticated(ServiceError):
    status = 401
    code = "unauthenticated"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


class IdempotencyMismatch(ServiceError):
    status = 422
    code = "idempotency_key_reused"


class RateLimited(ServiceError):
    status = 429
    code = "rate_limited"
    retry_after: int | None = None  # seconds, sent as Retry-After


class Busy(ServiceError):
    """The server is at its limit for this kind of work (e.g. password checks): nothing was
    done; try again after `retry_after` seconds (sent as Retry-After)."""
    status = 503
    code = "busy"

    def __init__(self, message: str, code: str | None = None, retry_after: int = 1):
        super().__init__(message, code)
        self.retry_after = retry_after
