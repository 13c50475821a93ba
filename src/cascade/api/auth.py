"""Bearer-token authentication. A session cookie never authenticates an API call, so a page
open in the browser cannot be turned into API access (no CSRF surface)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from cascade.access.actor import Actor
from cascade.identity.services import api_token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = (
        "A personal or integration API token: `Authorization: Bearer cas_...`. "
        "Create one on your profile page (personal) or as a program admin (integration)."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            return None
        actor = api_token_authenticate(tenant=tenant, raw=token)
        if actor is not None:
            request.actor = actor  # type: ignore[attr-defined]
        return actor


def actor_of(request: Any) -> Actor:
    actor: Actor = request.auth
    return actor
