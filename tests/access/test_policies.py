"""The visibility policy: who sees which organizations and people."""

from __future__ import annotations

import pytest

from cascade.access.actor import actor_for_integration
from cascade.access.policies import (
    Action,
    can,
    memberships_visible,
    organizations_visible,
    people_visible,
)
from cascade.identity.models import ApiToken, Membership, Person, TokenKind
from cascade.tenancy.models import PartnerOrganization
from tests.conftest import World


def _org_names(world: World, name: str) -> list[str]:
    visible = organizations_visible(world.actor(name), PartnerOrganization.objects.all())
    return sorted(visible.values_list("name", flat=True))


def _member_names(world: World, name: str) -> list[str]:
    visible = memberships_visible(world.actor(name), Membership.objects.all())
    return sorted(visible.values_list("person__full_name", flat=True))


def test_partner_admin_sees_own_organization_and_its_children(world: World) -> None:
    assert _org_names(world, "partner_admin") == ["Distri Europe", "Reseller Paris"]


def test_partner_manager_sees_the_same_subtree(world: World) -> None:
    assert _org_names(world, "manager") == ["Distri Europe", "Reseller Paris"]


def test_learner_sees_only_own_organization(world: World) -> None:
    assert _org_names(world, "learner") == ["Reseller Paris"]


def test_vendor_staff_see_every_organization_of_their_tenant_only(world: World) -> None:
    assert _org_names(world, "vendor_admin") == ["Distri Europe", "Other Partner", "Reseller Paris"]


def test_learner_sees_only_themself(world: World) -> None:
    assert _member_names(world, "learner") == ["Learner"]


def test_partner_admin_sees_people_of_subtree_not_of_other_partners(world: World) -> None:
    assert _member_names(world, "partner_admin") == ["Learner", "Manager", "Partner Admin"]


def test_vendor_does_not_see_individuals_of_aggregates_only_organization(world: World) -> None:
    # given
    PartnerOrganization.objects.filter(pk=world.orgs["reseller"].pk).update(
        vendor_data_access="aggregates"
    )
    # when
    names = _member_names(world, "vendor_admin")
    # then
    assert names == ["Manager", "Other Admin", "Partner Admin", "Vendor Admin"]
    # ...while the partner's own admin still sees them
    assert "Learner" in _member_names(world, "partner_admin")


def test_people_visible_follows_memberships(world: World) -> None:
    visible = people_visible(world.actor("other_admin"), Person.objects.all())
    assert sorted(visible.values_list("full_name", flat=True)) == ["Other Admin"]


def test_pending_member_sees_nothing(world: World) -> None:
    Membership.objects.filter(pk=world.memberships["learner"].pk).update(status="pending")
    actor = world.actor("learner")
    assert list(organizations_visible(actor, PartnerOrganization.objects.all())) == []
    assert not can(actor, Action.ORGANIZATION_VIEW)


@pytest.mark.parametrize(
    ("name", "action", "target", "allowed"),
    [
        ("partner_admin", Action.INVITATION_CREATE, "reseller", True),
        ("partner_admin", Action.INVITATION_CREATE, "other", False),
        ("manager", Action.INVITATION_CREATE, "dist", False),
        ("learner", Action.MEMBERSHIP_MANAGE, "reseller", False),
        ("vendor_admin", Action.ORGANIZATION_CREATE, None, True),
        ("partner_admin", Action.ORGANIZATION_CREATE, None, False),
        ("partner_admin", Action.ORGANIZATION_UPDATE_SETTINGS, "dist", True),
        ("partner_admin", Action.ORGANIZATION_UPDATE_SETTINGS, "reseller", False),
        ("vendor_admin", Action.AUDIT_VIEW, None, True),
        ("partner_admin", Action.AUDIT_VIEW, None, False),
        ("learner", Action.PEOPLE_VIEW, None, False),
        ("manager", Action.PEOPLE_VIEW, None, True),
        ("vendor_admin", Action.PROGRAM_SETTINGS_MANAGE, None, True),
        ("partner_admin", Action.PROGRAM_SETTINGS_MANAGE, None, False),
    ],
)
def test_abilities(
    world: World, name: str, action: Action, target: str | None, allowed: bool
) -> None:
    organization = world.orgs[target] if target else None
    assert can(world.actor(name), action, organization) is allowed


def test_integration_token_is_limited_by_its_scopes(world: World) -> None:
    token = ApiToken.objects.create(
        tenant=world.tenant,
        kind=TokenKind.INTEGRATION,
        name="PRM",
        prefix="prm1",
        digest="0" * 64,
        scopes=["organizations:read"],
    )
    actor = actor_for_integration(tenant=world.tenant, token=token)
    assert organizations_visible(actor, PartnerOrganization.objects.all()).count() == 3
    assert memberships_visible(actor, Membership.objects.all()).count() == 0
    assert not can(actor, Action.ORGANIZATION_CREATE)
    assert not can(actor, Action.INTEGRATION_TOKEN_MANAGE)
    assert not can(actor, Action.PROGRAM_SETTINGS_MANAGE)
