"""The /api/v1/ application: routers, auth, and the mapping of every error to problem+json."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cascade.api.auth import TokenAuth
from cascade.api.problems import PROBLEM_CONTENT_TYPE, problem
from cascade.api.renderers import ORJSONRenderer
from cascade.core.errors import DomainError


class CascadeAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document tells the truth about error bodies: every 4xx/5xx answer
    is application/problem+json (see cascade.api.problems), not application/json."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status)[0] in "45" and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = CascadeAPI(
    title="Cascade API",
    version="1.0.0",
    description=(
        "The Cascade partner learning platform API. Every call is scoped to the partner program "
        "(tenant) served at the request's host, and to what the token's owner may see. Lists use "
        "keyset pagination (`cursor`, `limit`); errors are `application/problem+json`."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    renderer=ORJSONRenderer(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem(exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [_field_error(e) for e in exc.errors]
    if any(e.get("type") == "json_invalid" for e in exc.errors):
        return problem(400, "malformed_json", "The request body is not valid JSON.", errors)
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem(422, "invalid_input", f"The request has invalid fields. {summary}", errors)


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ())]
    if location[:1] in (["form"], ["file"]):
        # Multipart uploads: ("form", "payload", "title") and ("file", "file").
        location = location[1:]
    location = [part for part in location if part not in ("body", "payload", "query", "path")]
    return {
        "field": ".".join(location) or "body",
        "message": str(error.get("msg", "Invalid value.")),
        "type": str(error.get("type", "invalid")),
    }


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        401,
        "unauthenticated",
        "Send a valid API token: Authorization: Bearer <token>.",
        headers={"WWW-Authenticate": 'Bearer realm="cascade"'},
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja wraps the JSON parser's error ("Cannot parse request body").
        return problem(400, "malformed_json", "The request body is not valid JSON.")
    return problem(exc.status_code, "http_error", str(exc))


@api.exception_handler(json.JSONDecodeError)
def malformed_json(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(400, "malformed_json", "The request body is not valid JSON.")


def _mount() -> None:
    from cascade.assessments.api import router as assessments_router
    from cascade.assessments.exam_api import router as exams_router
    from cascade.assessments.qti_api import router as qti_router
    from cascade.audit.api import router as audit_router
    from cascade.catalog.api import router as catalog_router
    from cascade.identity.api import router as identity_router
    from cascade.learning.api import router as learning_router
    from cascade.learning.api_onboarding import router as onboarding_router
    from cascade.notifications.api import router as notifications_router
    from cascade.tenancy.api import router as tenancy_router

    api.add_router("/", tenancy_router)
    api.add_router("/", identity_router)
    api.add_router("/", audit_router)
    api.add_router("/", notifications_router)
    api.add_router("/", catalog_router)
    api.add_router("/", learning_router)
    api.add_router("/", onboarding_router)
    api.add_router("/", assessments_router)
    api.add_router("/", exams_router)
    api.add_router("/", qti_router)


_mount()
