"""Template context shared by every page: the tenant's theme and the actor's navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cascade.web.navigation import navigation_for
from cascade.web.theme import theme_for


def shell(request: HttpRequest) -> dict[str, Any]:
    tenant = getattr(request, "tenant", None)
    actor = getattr(request, "actor", None)
    user = getattr(request, "user", None)
    person = user if user is not None and user.is_authenticated else None

    def navigation() -> list[Any]:
        return navigation_for(actor) if person is not None and actor is not None else []

    def unread_notifications() -> int:
        if person is None or tenant is None:
            return 0
        from cascade.notifications.selectors import notification_unread_count

        return notification_unread_count(person=person)

    logo_url = ""
    if tenant is not None:
        logo_url = tenant.logo.url if tenant.logo else tenant.logo_url
    match = getattr(request, "resolver_match", None)
    return {
        "tenant": tenant,
        "actor": actor,
        "theme": theme_for(tenant),
        "tenant_logo_url": logo_url,
        "navigation": navigation,
        "unread_notifications": unread_notifications,
        "current_url_name": match.url_name if match is not None else None,
    }
