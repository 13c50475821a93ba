"""Shared fixtures: two tenants with a partner hierarchy and one person per role.

Tenant A ("a.test"): distributor `dist` with child reseller `reseller`, and an unrelated
partner `other`. People: `learner` (in reseller), `manager` and `partner_admin` (in dist),
`other_admin` (admin of other), `vendor_admin` (program admin). Tenant B ("b.test") has its own
partner `b_org` and a program admin `b_admin`. Each person has a personal API token with every
scope (`world.tokens[name]`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_scopes import scopes_disabled

from cascade.access.actor import ALL_SCOPES, Actor, actor_for_person
from cascade.assessments.attempt_services import attempt_caches_clear
from cascade.core.scoping import tenant_scope
from cascade.identity.models import ApiToken, Membership, Person, TokenKind
from cascade.identity.services.tokens import _digest
from cascade.tenancy.models import BusinessModel, PartnerOrganization, Tenant
from tests.factories import (
    OrganizationDomainFactory,
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    SpecializationFactory,
    TenantDomainFactory,
    TenantFactory,
    TierFactory,
)

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    attempt_caches_clear()
    yield
    cache.clear()


@dataclass
class World:
    tenant: Tenant
    other_tenant: Tenant
    host: str = "a.test"
    other_host: str = "b.test"
    orgs: dict[str, PartnerOrganization] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    structure: dict[str, Any] = field(default_factory=dict)

    def actor(self, name: str) -> Actor:
        tenant = self.other_tenant if name.startswith("b_") else self.tenant
        return actor_for_person(tenant=tenant, person=self.people[name])

    def host_for(self, name: str) -> str:
        return self.other_host if name.startswith("b_") else self.host

    def api(self, name: str | None, host: str | None = None) -> ApiClient:
        token = self.tokens.get(name) if name else None
        return ApiClient(host or (self.host_for(name) if name else self.host), token)

    def browser(self, name: str | None = None) -> Client:
        client = Client(HTTP_HOST=self.host_for(name) if name else self.host)
        if name:
            client.force_login(self.people[name])
        return client


class ApiClient:
    """A Django test client speaking JSON with a bearer token to one tenant's host."""

    def __init__(self, host: str, token: str | None) -> None:
        self.client = Client(HTTP_HOST=host)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, body: Any = None, raw: str | None = None) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None or raw is not None:
            import json

            kwargs["data"] = raw if raw is not None else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None, raw: str | None = None) -> Any:
        return self._send(
            "post", path, body if body is not None else ({} if raw is None else None), raw
        )

    def patch(self, path: str, body: Any = None, raw: str | None = None) -> Any:
        return self._send(
            "patch", path, body if body is not None else ({} if raw is None else None), raw
        )

    def delete(self, path: str) -> Any:
        return self._send("delete", path)


def make_member(
    world: World,
    name: str,
    tenant: Tenant,
    organization: PartnerOrganization | None,
    roles: list[str],
    job_role: str = "sales",
) -> Membership:
    person = PersonFactory(
        email=f"{name}@{'vendor' if organization is None else 'partner'}.example",
        full_name=name.replace("_", " ").title(),
    )
    membership = Membership.objects.create(
        tenant=tenant,
        person=person,
        organization=organization,
        roles=Membership.encode_roles(roles),
        job_role=job_role,
    )
    raw = f"cas_{name[:12]}_{'x' * 20}"
    ApiToken.objects.create(
        tenant=tenant,
        kind=TokenKind.PERSONAL,
        name=f"{name} token",
        person=person,
        # Unique, within the column: the person id keeps it unique, the name makes it readable.
        prefix=f"{name[:6]}{person.pk}"[:16],
        digest=_digest(raw),
        scopes=sorted(ALL_SCOPES),
    )
    world.people[name] = person
    world.memberships[name] = membership
    world.tokens[name] = raw
    return membership


def build_world() -> World:
    tenant = TenantFactory(name="Northwind Networks", slug="northwind")
    other = TenantFactory(name="Contoso Systems", slug="contoso")
    TenantDomainFactory(tenant=tenant, domain="a.test")
    TenantDomainFactory(tenant=other, domain="b.test")
    world = World(tenant=tenant, other_tenant=other)
    with tenant_scope(tenant):
        gold = TierFactory(tenant=tenant, name="Gold", rank=3)
        silver = TierFactory(tenant=tenant, name="Silver", rank=2)
        emea = RegionFactory(tenant=tenant, name="EMEA", code="EMEA", countries=["FR", "DE"])
        security = SpecializationFactory(tenant=tenant, name="Security", code="security")
        world.structure.update(gold=gold, silver=silver, emea=emea, security=security)
        dist = OrganizationFactory(
            tenant=tenant,
            name="Distri Europe",
            tier=gold,
            region=emea,
            business_model=BusinessModel.DISTRIBUTOR,
        )
        reseller = OrganizationFactory(
            tenant=tenant, name="Reseller Paris", parent=dist, tier=silver, region=emea
        )
        other_org = OrganizationFactory(tenant=tenant, name="Other Partner", tier=silver)
        OrganizationDomainFactory(
            tenant=tenant, organization=reseller, domain="reseller-paris.example"
        )
        world.orgs.update(dist=dist, reseller=reseller, other=other_org)
        make_member(world, "learner", tenant, reseller, ["learner"])
        make_member(world, "manager", tenant, dist, ["learner", "partner_manager"])
        make_member(world, "partner_admin", tenant, dist, ["learner", "partner_admin"], "executive")
        make_member(world, "other_admin", tenant, other_org, ["learner", "partner_admin"])
        make_member(world, "vendor_admin", tenant, None, ["program_admin"], "other")
    with tenant_scope(other):
        b_org = OrganizationFactory(tenant=other, name="B Partner")
        world.orgs["b_org"] = b_org
        make_member(world, "b_admin", other, None, ["program_admin"], "other")
    return world


@pytest.fixture
def world(db: None) -> Iterator[World]:
    with scopes_disabled():
        built = build_world()
    with tenant_scope(built.tenant):
        yield built


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    """`with commit(): ...` runs the block's on-commit callbacks (event dispatch, e-mail) at its
    end, as a real commit would. Test transactions never commit, so without it the outbox would
    never be dispatched."""

    def committed() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return committed
