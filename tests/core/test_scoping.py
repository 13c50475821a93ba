"""Tenant scoping by construction: every tenant-owned model refuses queries without a scope."""

from __future__ import annotations

import pytest
from django.apps import apps
from django_scopes import ScopeError

from cascade.core.scoping import TenantOwned, tenant_scope
from cascade.tenancy.models import PartnerOrganization
from tests.conftest import World

# Looked up before any tenant is known: it is how a request's host finds its tenant.
RESOLVER_MODELS = {"tenancy.TenantDomain"}


def _tenant_owned_models() -> list[type]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("cascade.")
        and any(f.name == "tenant" for f in m._meta.fields)
        and m._meta.label not in RESOLVER_MODELS
    ]


def test_every_model_with_a_tenant_uses_the_scoped_manager() -> None:
    models = _tenant_owned_models()
    assert len(models) >= 10
    offenders = [
        m._meta.label
        for m in models
        if not issubclass(m, TenantOwned)
        or type(m._default_manager).__module__ != "django_scopes.manager"
    ]
    assert offenders == []


@pytest.mark.django_db
def test_queries_without_a_scope_are_refused() -> None:
    for model in _tenant_owned_models():
        with pytest.raises(ScopeError):
            list(model.objects.all())


def test_scope_limits_queries_to_its_tenant(world: World) -> None:
    with tenant_scope(world.other_tenant):
        assert list(PartnerOrganization.objects.values_list("name", flat=True)) == ["B Partner"]
    with tenant_scope(world.tenant):
        assert PartnerOrganization.objects.count() == 3


def test_every_unique_constraint_of_a_tenant_owned_model_includes_the_tenant() -> None:
    offenders = []
    for model in _tenant_owned_models():
        for constraint in model._meta.constraints:
            fields = list(getattr(constraint, "fields", ()) or ())
            expressions = [str(e) for e in getattr(constraint, "expressions", ())]
            if constraint.__class__.__name__ != "UniqueConstraint":
                continue
            if (
                "tenant" not in fields
                and not any("tenant" in e for e in expressions)
                and "event" not in fields
            ):
                offenders.append(f"{model._meta.label}.{constraint.name}")
    assert offenders == []
