"""Template context shared by every page: the tenant's theme and the actor's navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"tenant": getattr(request, "tenant", None), "actor": getattr(request, "actor", None)}
