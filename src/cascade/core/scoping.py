"""Tenant scoping by construction.

Every tenant-owned model inherits `TenantOwned`: a non-null `tenant` foreign key and a manager
(django-scopes) that refuses to run a query unless a tenant scope is active, and then filters by it.
The request middleware and the task wrapper open the scope; scripts and migrations must opt out
visibly with `scopes_disabled()`. A meta-test checks every tenant-owned model uses this manager.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import models
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled

if TYPE_CHECKING:
    from cascade.tenancy.models import Tenant

__all__ = ["TenantOwned", "current_tenant_id", "scopes_disabled", "tenant_scope"]


class TenantOwned(models.Model):
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.CASCADE, related_name="+")

    objects: Any = ScopedManager(tenant="tenant")
    # Unscoped access for code that has already proven the tenant another way (the middleware
    # resolving a host, a migration). Its name makes every use stand out in review.
    unscoped = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped"


@contextmanager
def tenant_scope(tenant: Tenant | int) -> Iterator[None]:
    """Run the block with queries on tenant-owned models limited to `tenant`."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    with scope(tenant=tenant_id):
        yield


def current_tenant_id() -> int | None:
    value = get_scope().get("tenant")
    return value if isinstance(value, int) else None
