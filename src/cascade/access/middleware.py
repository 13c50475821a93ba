"""Attach the actor (person + membership in this tenant) to each browser request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from cascade.access.actor import Actor, actor_for_person


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if tenant is not None:

            def resolve() -> Actor:
                user = request.user
                person = user if user.is_authenticated else None
                return actor_for_person(tenant=tenant, person=person)

            request.actor = SimpleLazyObject(resolve)  # type: ignore[attr-defined]
        return self.get_response(request)
