"""Resolve the tenant once per request and keep tenant-owned queries inside it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from cascade.api.problems import problem
from cascade.core.scoping import tenant_scope
from cascade.tenancy.resolution import tenant_for_host

# Paths that answer without a tenant (load balancer probes, static files).
TENANTLESS_PREFIXES = ("/healthz", "/readyz", "/static/")


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(TENANTLESS_PREFIXES):
            request.tenant = None  # type: ignore[attr-defined]
            return self.get_response(request)
        tenant = tenant_for_host(request.get_host())
        request.tenant = tenant  # type: ignore[attr-defined]
        if tenant is None:
            if request.path.startswith("/api/"):
                return problem(
                    404, "unknown_tenant", "No partner program is served at this address."
                )
            return TemplateResponse(
                request, "web/no_tenant.html", {"host": request.get_host()}, status=404
            ).render()
        with tenant_scope(tenant):
            return self.get_response(request)
