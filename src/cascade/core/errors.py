"""Domain errors: what services raise when a request breaks a business rule.

Each error carries a stable machine-readable `code` and an HTTP-like `status`; the API maps them to
application/problem+json and the UI to a readable message. Services never return error values.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every business-rule failure. Subclasses pick the status and a default code."""

    status = 400
    code = "invalid"

    def __init__(
        self, message: str, *, code: str | None = None, details: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details or []


class ValidationFailed(DomainError):
    """Input that is well-formed but breaks a rule (a cycle in a hierarchy, an unknown tier)."""

    status = 422
    code = "validation_failed"

    @classmethod
    def field(
        cls, field: str, message: str, *, code: str = "validation_failed"
    ) -> ValidationFailed:
        return cls(message, code=code, details=[{"field": field, "message": message}])


class NotFound(DomainError):
    """The object does not exist or the actor may not know it exists (never reveal which)."""

    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    """The actor can see the object but may not do this to it."""

    status = 403
    code = "permission_denied"


class Conflict(DomainError):
    """The request collides with the current state (a duplicate, a stale version)."""

    status = 409
    code = "conflict"
