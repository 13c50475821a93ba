"""Who gets what, for every operation of the API.

Each row names an operation, the object it targets in tenant A, a valid body, and the exact status
each principal gets. `b_admin` calls their own host (b.test) with tenant A's ids, so "404" there
means tenant A's object does not exist for them. A refused write must leave every table as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django_scopes import scopes_disabled

from cascade.identity.models import ApiToken, TokenKind
from tests.api.conftest import (
    PRINCIPALS,
    Scene,
    changed_tables,
    client_for,
    database_state,
    operations,
    send,
)

# anonymous, learner, manager, partner_admin, other_admin, vendor_admin, b_admin
ALL_MEMBERS = (401, 200, 200, 200, 200, 200, 200)
ALL_MEMBERS_CREATE = (401, 201, 201, 201, 201, 201, 201)
PEOPLE_READERS = (401, 403, 200, 200, 200, 200, 200)
VENDOR_ONLY_LIST = (401, 403, 403, 403, 403, 200, 200)
VENDOR_ONLY_CREATE = (401, 403, 403, 403, 403, 201, 201)
VENDOR_ONLY_CHANGE = (401, 403, 403, 403, 403, 200, 404)
VENDOR_ONLY_DELETE = (401, 403, 403, 403, 403, 204, 404)
# Objects in reseller (below dist): dist's people see them; other_admin and tenant B do not.
RESELLER_READ = (401, 403, 200, 200, 404, 200, 404)
RESELLER_MANAGE = (401, 403, 403, 200, 404, 200, 404)
RESELLER_CREATE = (401, 403, 403, 201, 404, 201, 404)


def _token_id(scene: Scene, principal: str) -> int:
    name = "learner" if principal == "anonymous" else principal
    with scopes_disabled():
        token = ApiToken.objects.get(person=scene.world.people[name], kind=TokenKind.PERSONAL)
    return int(token.pk)


@dataclass(frozen=True)
class Case:
    label: str
    method: str
    route: str
    path: Callable[[Scene, str], str]
    expected: tuple[int, ...]
    body: Callable[[Scene], Any] | None = None


def _fixed(path: str) -> Callable[[Scene, str], str]:
    return lambda scene, principal: path


CASES = [
    # --- program structure ---
    Case("list organizations", "GET", "/organizations", _fixed("/organizations"), ALL_MEMBERS),
    Case(
        "create organization",
        "POST",
        "/organizations",
        _fixed("/organizations"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Reseller Lyon", "business_model": "reseller"},
    ),
    Case(
        "get organization",
        "GET",
        "/organizations/{organization_id}",
        lambda s, p: f"/organizations/{s.world.orgs['reseller'].pk}",
        (401, 200, 200, 200, 404, 200, 404),
    ),
    Case(
        "rename organization",
        "PATCH",
        "/organizations/{organization_id}",
        lambda s, p: f"/organizations/{s.world.orgs['reseller'].pk}",
        (401, 403, 403, 403, 404, 200, 404),
        lambda s: {"name": "Reseller Paris Nord"},
    ),
    Case(
        "change sharing settings of dist",
        "PATCH",
        "/organizations/{organization_id}",
        lambda s, p: f"/organizations/{s.world.orgs['dist'].pk}",
        (401, 404, 403, 200, 404, 200, 404),
        lambda s: {"allow_parent_assignment": True},
    ),
    Case(
        "delete organization",
        "DELETE",
        "/organizations/{organization_id}",
        lambda s, p: f"/organizations/{s.spare.pk}",
        (401, 404, 403, 403, 404, 204, 404),
    ),
    Case("list tiers", "GET", "/tiers", _fixed("/tiers"), ALL_MEMBERS),
    Case(
        "create tier",
        "POST",
        "/tiers",
        _fixed("/tiers"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Platinum", "rank": 4},
    ),
    Case(
        "update tier",
        "PATCH",
        "/tiers/{tier_id}",
        lambda s, p: f"/tiers/{s.world.structure['gold'].pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"description": "Top partners"},
    ),
    Case(
        "delete tier",
        "DELETE",
        "/tiers/{tier_id}",
        lambda s, p: f"/tiers/{s.bronze.pk}",
        VENDOR_ONLY_DELETE,
    ),
    Case("list regions", "GET", "/regions", _fixed("/regions"), ALL_MEMBERS),
    Case(
        "create region",
        "POST",
        "/regions",
        _fixed("/regions"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "APAC", "code": "APAC", "countries": ["JP"]},
    ),
    Case(
        "update region",
        "PATCH",
        "/regions/{region_id}",
        lambda s, p: f"/regions/{s.world.structure['emea'].pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"name": "Europe"},
    ),
    Case(
        "delete region",
        "DELETE",
        "/regions/{region_id}",
        lambda s, p: f"/regions/{s.americas.pk}",
        VENDOR_ONLY_DELETE,
    ),
    Case(
        "list specializations", "GET", "/specializations", _fixed("/specializations"), ALL_MEMBERS
    ),
    Case(
        "create specialization",
        "POST",
        "/specializations",
        _fixed("/specializations"),
        VENDOR_ONLY_CREATE,
        lambda s: {"name": "Data Center", "code": "data-center"},
    ),
    Case(
        "update specialization",
        "PATCH",
        "/specializations/{specialization_id}",
        lambda s, p: f"/specializations/{s.world.structure['security'].pk}",
        VENDOR_ONLY_CHANGE,
        lambda s: {"description": "Firewalls and identity"},
    ),
    Case(
        "delete specialization",
        "DELETE",
        "/specializations/{specialization_id}",
        lambda s, p: f"/specializations/{s.cloud.pk}",
        VENDOR_ONLY_DELETE,
    ),
    # --- people and memberships ---
    Case("list people", "GET", "/people", _fixed("/people"), PEOPLE_READERS),
    Case(
        "get person",
        "GET",
        "/people/{person_id}",
        lambda s, p: f"/people/{s.world.people['learner'].pk}",
        RESELLER_READ,
    ),
    Case(
        "add member",
        "POST",
        "/memberships",
        _fixed("/memberships"),
        RESELLER_CREATE,
        lambda s: {
            "email": "new.hire@reseller-paris.example",
            "full_name": "New Hire",
            "organization_id": s.world.orgs["reseller"].pk,
            "roles": ["learner"],
        },
    ),
    Case(
        "get membership",
        "GET",
        "/memberships/{membership_id}",
        lambda s, p: f"/memberships/{s.world.memberships['learner'].pk}",
        RESELLER_READ,
    ),
    Case(
        "update membership",
        "PATCH",
        "/memberships/{membership_id}",
        lambda s, p: f"/memberships/{s.world.memberships['learner'].pk}",
        RESELLER_MANAGE,
        lambda s: {"job_role": "presales"},
    ),
    Case(
        "end membership",
        "POST",
        "/memberships/{membership_id}/end",
        lambda s, p: f"/memberships/{s.world.memberships['learner'].pk}/end",
        RESELLER_MANAGE,
        lambda s: {},
    ),
    Case(
        "approve registration",
        "POST",
        "/memberships/{membership_id}/approve",
        lambda s, p: f"/memberships/{s.pending.pk}/approve",
        RESELLER_MANAGE,
    ),
    Case(
        "reject registration",
        "POST",
        "/memberships/{membership_id}/reject",
        lambda s, p: f"/memberships/{s.pending.pk}/reject",
        RESELLER_MANAGE,
        lambda s: {"reason": "Unknown to us"},
    ),
    # --- invitations ---
    Case("list invitations", "GET", "/invitations", _fixed("/invitations"), PEOPLE_READERS),
    Case(
        "invite",
        "POST",
        "/invitations",
        _fixed("/invitations"),
        RESELLER_CREATE,
        lambda s: {
            "email": "colleague@reseller-paris.example",
            "organization_id": s.world.orgs["reseller"].pk,
            "roles": ["learner"],
        },
    ),
    Case(
        "get invitation",
        "GET",
        "/invitations/{invitation_id}",
        lambda s, p: f"/invitations/{s.invitation.pk}",
        RESELLER_READ,
    ),
    Case(
        "resend invitation",
        "POST",
        "/invitations/{invitation_id}/resend",
        lambda s, p: f"/invitations/{s.invitation.pk}/resend",
        RESELLER_MANAGE,
    ),
    Case(
        "revoke invitation",
        "POST",
        "/invitations/{invitation_id}/revoke",
        lambda s, p: f"/invitations/{s.invitation.pk}/revoke",
        RESELLER_MANAGE,
    ),
    # --- tokens and the caller ---
    Case("list tokens", "GET", "/tokens", _fixed("/tokens"), ALL_MEMBERS),
    Case(
        "create personal token",
        "POST",
        "/tokens",
        _fixed("/tokens"),
        ALL_MEMBERS_CREATE,
        lambda s: {"kind": "personal", "name": "Laptop", "scopes": ["people:read"]},
    ),
    Case(
        "create integration token",
        "POST",
        "/tokens",
        _fixed("/tokens"),
        VENDOR_ONLY_CREATE,
        lambda s: {"kind": "integration", "name": "CRM", "scopes": ["organizations:read"]},
    ),
    Case(
        "revoke the integration token",
        "DELETE",
        "/tokens/{token_id}",
        lambda s, p: f"/tokens/{s.integration_token.pk}",
        (401, 404, 404, 404, 404, 204, 404),
    ),
    Case(
        "revoke one's own token",
        "DELETE",
        "/tokens/{token_id}",
        lambda s, p: f"/tokens/{_token_id(s, p)}",
        (401, 204, 204, 204, 204, 204, 204),
    ),
    Case("who am I", "GET", "/me", _fixed("/me"), ALL_MEMBERS),
    Case(
        "update own profile",
        "PATCH",
        "/me",
        _fixed("/me"),
        ALL_MEMBERS,
        lambda s: {"time_zone": "Europe/Paris"},
    ),
    # --- audit and notifications ---
    Case("read the audit log", "GET", "/audit-log", _fixed("/audit-log"), VENDOR_ONLY_LIST),
    Case("list notifications", "GET", "/notifications", _fixed("/notifications"), ALL_MEMBERS),
    Case(
        "mark notifications read",
        "POST",
        "/notifications/read",
        _fixed("/notifications/read"),
        ALL_MEMBERS,
        lambda s: {"all": True},
    ),
    Case(
        "list notification preferences",
        "GET",
        "/notification-preferences",
        _fixed("/notification-preferences"),
        ALL_MEMBERS,
    ),
    Case(
        "set a notification preference",
        "PUT",
        "/notification-preferences/{kind}",
        _fixed("/notification-preferences/registration.pending"),
        ALL_MEMBERS,
        lambda s: {"in_app": True, "email": False},
    ),
]


def test_the_matrix_covers_every_operation_of_the_api() -> None:
    # given
    served = {(method, path) for method, path, _ in operations()}
    # when
    covered = {(case.method, case.route) for case in CASES}
    # then
    assert served - covered == set(), "Add these operations to the authorization matrix"
    assert covered - served == set(), "These matrix rows name operations the API does not serve"


@pytest.mark.parametrize("case", [c for c in CASES if c.method == "GET"], ids=lambda c: c.label)
def test_authorization_of_reads(scene: Scene, case: Case) -> None:
    # Reads change nothing, so one scene serves every principal.
    # when
    answers = {}
    for principal in PRINCIPALS:
        response = client_for(scene.world, principal).get(case.path(scene, principal))
        problem = response["Content-Type"] == "application/problem+json"
        answers[principal] = (response.status_code, problem)
    # then
    assert answers == {
        principal: (status, status >= 400)
        for principal, status in zip(PRINCIPALS, case.expected, strict=True)
    }


@pytest.mark.parametrize(
    ("case", "principal", "expected"),
    [
        pytest.param(case, principal, status, id=f"{case.label}-{principal}")
        for case in CASES
        if case.method != "GET"
        for principal, status in zip(PRINCIPALS, case.expected, strict=True)
    ],
)
def test_authorization_of_writes(scene: Scene, case: Case, principal: str, expected: int) -> None:
    # given
    client = client_for(scene.world, principal)
    before = database_state()
    # when
    response = send(
        client,
        case.method,
        case.path(scene, principal),
        case.body(scene) if case.body else None,
    )
    # then
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert changed_tables(before, database_state()) == []
