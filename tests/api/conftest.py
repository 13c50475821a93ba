"""Helpers for the API suite: a richer scene on top of `world`, a picture of the whole database
to prove that refused requests changed nothing, and problem+json assertions.

The scene adds to tenant A: `spare` (a child of dist nobody ever belonged to), an unused tier,
region and specialization, a pending self-registration in reseller, a pending invitation to
reseller sent by partner_admin, an integration token, and one audit entry and notification; and
to tenant B a little of everything, so that B's lists are never empty when checked for leaks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone
from django_scopes import scopes_disabled

from cascade.api.problems import PROBLEM_CONTENT_TYPE
from cascade.api.renderers import JSON_OPTIONS
from cascade.api.v1 import api
from cascade.audit.models import AuditEntry
from cascade.core.scoping import tenant_scope
from cascade.identity.models import (
    ApiToken,
    Invitation,
    Membership,
    MembershipStatus,
    TokenKind,
)
from cascade.identity.services.tokens import _digest
from cascade.notifications.models import Notification
from cascade.tenancy.models import PartnerOrganization, Region, Specialization, Tier
from tests.conftest import ApiClient, World
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    SpecializationFactory,
    TierFactory,
)

PRINCIPALS = (
    "anonymous",
    "learner",
    "manager",
    "partner_admin",
    "other_admin",
    "vendor_admin",
    "b_admin",
)

# Columns that change on every authenticated call and are not part of "what a request wrote".
VOLATILE_COLUMNS = {"identity.apitoken": {"last_used_at"}}


@dataclass
class Scene:
    world: World
    spare: PartnerOrganization
    bronze: Tier
    americas: Region
    cloud: Specialization
    pending: Membership
    invitation: Invitation
    integration_token: ApiToken
    integration_secret: str
    audit_entry: AuditEntry
    notification: Notification
    b_tier: Tier
    b_invitation: Invitation


@pytest.fixture
def scene(world: World) -> Scene:
    tenant, other = world.tenant, world.other_tenant
    with tenant_scope(tenant):
        spare = OrganizationFactory(tenant=tenant, name="Spare Reseller", parent=world.orgs["dist"])
        bronze = TierFactory(tenant=tenant, name="Bronze", rank=1)
        americas = RegionFactory(tenant=tenant, name="Americas", code="AMER", countries=["US"])
        cloud = SpecializationFactory(tenant=tenant, name="Cloud", code="cloud")
        registrant = PersonFactory(
            email="registrant@reseller-paris.example", full_name="Regis Trant"
        )
        pending = Membership.objects.create(
            tenant=tenant,
            person=registrant,
            organization=world.orgs["reseller"],
            status=MembershipStatus.PENDING,
        )
        invitation = Invitation.objects.create(
            tenant=tenant,
            email="invitee@reseller-paris.example",
            organization=world.orgs["reseller"],
            roles=",learner,",
            invited_by=world.people["partner_admin"],
            nonce="0123456789abcdef",
            expires_at=timezone.now() + timedelta(days=14),
        )
        secret = "cas_integration_" + "y" * 20
        integration_token = ApiToken.objects.create(
            tenant=tenant,
            kind=TokenKind.INTEGRATION,
            name="PRM sync",
            prefix="integration1",
            digest=_digest(secret),
            scopes=["organizations:read", "people:read"],
            created_by=world.people["vendor_admin"],
        )
        audit_entry = AuditEntry.objects.create(
            tenant=tenant,
            actor=world.people["vendor_admin"],
            actor_label="vendor_admin@vendor.example",
            action="organization.update",
            target_type="tenancy.partnerorganization",
            target_id=str(world.orgs["dist"].pk),
            target_label="Distri Europe",
            before={"status": "prospect"},
            after={"status": "active"},
        )
        # b_admin's person is global; a notification from tenant A must never show on B's host.
        notification = Notification.objects.create(
            tenant=tenant, person=world.people["b_admin"], kind="invitation.accepted", title="A"
        )
    with tenant_scope(other):
        b_tier = TierFactory(tenant=other, name="B Gold", rank=1)
        RegionFactory(tenant=other, name="B Region", code="BR")
        SpecializationFactory(tenant=other, name="B Security", code="b-security")
        b_invitation = Invitation.objects.create(
            tenant=other,
            email="someone@b-partner.example",
            organization=world.orgs["b_org"],
            invited_by=world.people["b_admin"],
            nonce="fedcba9876543210",
            expires_at=timezone.now() + timedelta(days=14),
        )
        AuditEntry.objects.create(
            tenant=other,
            actor=world.people["b_admin"],
            actor_label="b_admin@vendor.example",
            action="tier.create",
            target_type="tenancy.tier",
            target_id=str(b_tier.pk),
        )
        Notification.objects.create(
            tenant=other, person=world.people["b_admin"], kind="invitation.accepted", title="B"
        )
    return Scene(
        world=world,
        spare=spare,
        bronze=bronze,
        americas=americas,
        cloud=cloud,
        pending=pending,
        invitation=invitation,
        integration_token=integration_token,
        integration_secret=secret,
        audit_entry=audit_entry,
        notification=notification,
        b_tier=b_tier,
        b_invitation=b_invitation,
    )


def client_for(world: World, principal: str) -> ApiClient:
    """`anonymous` calls tenant A's host with no token; everyone else calls their own host."""
    return world.api(None if principal == "anonymous" else principal)


def send(
    client: ApiClient, method: str, path: str, body: Any = None, raw: str | None = None
) -> Any:
    """Any method, with a JSON body when one is given (ApiClient has no PUT of its own)."""
    kwargs: dict[str, Any] = {"headers": client.headers}
    if body is not None or raw is not None:
        kwargs["data"] = raw if raw is not None else json.dumps(body)
        kwargs["content_type"] = "application/json"
    return getattr(client.client, method.lower())(f"/api/v1{path}", **kwargs)


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """Every (METHOD, path template, OpenAPI operation) the API serves, from the live router."""
    schema = api.get_openapi_schema(path_prefix="")
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def path_parameters(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Cascade table (both tenants, people included), in primary-key order."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    with scopes_disabled():
        for model in apps.get_models(include_auto_created=True):
            if not model._meta.app_config.name.startswith("cascade."):
                continue
            label = model._meta.label_lower
            skip = VOLATILE_COLUMNS.get(label, set())
            columns = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.Field) and f.attname not in skip
            ]
            state[label] = list(model._base_manager.order_by("pk").values_list(*columns))
    return state


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["type"] == f"urn:cascade:problem:{code}"
    return body


def iso(value: Any) -> Any:
    """A date or datetime as the API serializes it."""
    if value is None:
        return None
    return orjson.loads(orjson.dumps(value, option=JSON_OPTIONS))
