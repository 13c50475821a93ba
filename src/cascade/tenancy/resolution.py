"""Which tenant a request belongs to, from its host name.

Each tenant may have several domains. An install with exactly one tenant serves it on any
allowed host, so a single-vendor deployment needs no domain setup. Lookups are cached briefly,
per host, together with a generation number: any change to a tenant or to its domains bumps the
generation (`forget_cached_tenants`), which makes every cached lookup stale at once, including
those of hosts that are not in any tenant's domain list.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from cascade.tenancy.models import Tenant, TenantDomain

_CACHE_SECONDS = 60
_GENERATION = "cascade:tenant:generation"
_UNKNOWN = "unknown"  # cached for hosts that serve no tenant


def _host_key(host: str) -> str:
    return f"cascade:tenant:host:{host}"


def tenant_for_host(host: str) -> Tenant | None:
    """The tenant served at `host`. The row itself is cached (every request needs it for scoping
    and theming), so a warm request resolves its tenant with one cache read and no query."""
    host = host.split(":", 1)[0].lower().rstrip(".")
    key = _host_key(host)
    found = cache.get_many([key, _GENERATION])
    generation = found.get(_GENERATION, 0)
    cached = found.get(key)
    if isinstance(cached, tuple) and cached[0] == generation:
        return cached[1] if isinstance(cached[1], Tenant) else None
    tenant_id = TenantDomain.objects.filter(domain=host).values_list("tenant_id", flat=True).first()
    if tenant_id is None:
        tenant_id = _single_tenant_id()
    tenant = Tenant.objects.filter(pk=tenant_id).first() if tenant_id else None
    cache.set(key, (generation, tenant or _UNKNOWN), _CACHE_SECONDS)
    return tenant


def _single_tenant_id() -> int | None:
    ids = list(Tenant.objects.values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def forget_cached_tenants() -> None:
    """Call after changing a tenant or its domains (the caller's transaction should commit first
    for other processes; a stale read re-caches for at most one cache period)."""
    try:
        cache.incr(_GENERATION)
    except ValueError:
        cache.set(_GENERATION, 1, None)


def tenant_base_url(tenant: Tenant) -> str:
    """The address e-mailed links point to: the tenant's primary domain, else the default host."""
    domain = (
        TenantDomain.objects.filter(tenant=tenant)
        .order_by("-is_primary", "id")
        .values_list("domain", flat=True)
        .first()
    )
    port = f":{settings.CASCADE_PUBLIC_PORT}" if settings.CASCADE_PUBLIC_PORT else ""
    host = f"{domain}{port}" if domain else settings.CASCADE_PUBLIC_HOST
    return f"{settings.CASCADE_PUBLIC_SCHEME}://{host}"
