"""Errors as RFC 9457 problem details (application/problem+json).

Every error body has `type`, `title`, `status`, `detail`, a stable machine-readable `code`, and
`errors`: a list of {field, message} for input problems.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
}


def problem(
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {
        "type": f"urn:cascade:problem:{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
    }
    response = JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for the whole site: problem+json under /api/, the themed page elsewhere."""
    if request.path.startswith("/api/"):
        return problem(404, "not_found", "There is nothing at this address.")
    return defaults.page_not_found(request, exception or Http404())


def server_error_view(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(500, "server_error", "Something went wrong on our side; it has been logged.")
    return defaults.server_error(request)
