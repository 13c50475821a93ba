from __future__ import annotations

import pytest

from cascade.audit.models import AuditEntry
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.identity.services import (
    membership_approve,
    membership_create,
    membership_end,
    membership_reject,
    membership_update,
)
from tests.conftest import World


def test_partner_admin_adds_a_person_to_a_child_organization(world: World) -> None:
    # when
    membership = membership_create(
        actor=world.actor("partner_admin"),
        email="New.Person@Reseller-Paris.example",
        full_name="New Person",
        organization=world.orgs["reseller"],
        roles=["learner"],
        job_role="support",
    )
    # then
    assert membership.person.email == "new.person@reseller-paris.example"
    assert membership.role_list == ["learner"]
    assert membership.status == MembershipStatus.ACTIVE
    assert not membership.person.has_usable_password()
    assert (
        AuditEntry.objects.filter(action="membership.create", target_id=str(membership.pk)).count()
        == 1
    )


def test_partner_admin_cannot_grant_vendor_roles(world: World) -> None:
    with pytest.raises(ValidationFailed) as error:
        membership_create(
            actor=world.actor("partner_admin"),
            email="x@reseller-paris.example",
            full_name="X",
            organization=world.orgs["reseller"],
            roles=["program_admin"],
        )
    assert error.value.code == "role_not_applicable"
    assert not Person.objects.filter(email="x@reseller-paris.example").exists()


def test_partner_admin_cannot_add_people_to_another_partner(world: World) -> None:
    with pytest.raises(PermissionDenied):
        membership_create(
            actor=world.actor("partner_admin"),
            email="y@other.example",
            full_name="Y",
            organization=world.orgs["other"],
            roles=["learner"],
        )
    assert not Person.objects.filter(email="y@other.example").exists()


def test_adding_someone_who_belongs_elsewhere_requires_an_invitation(world: World) -> None:
    with pytest.raises(Conflict) as error:
        membership_create(
            actor=world.actor("vendor_admin"),
            email=world.people["other_admin"].email,
            full_name="Other",
            organization=world.orgs["dist"],
            roles=["learner"],
        )
    assert error.value.code == "already_member"
    assert Membership.objects.filter(person=world.people["other_admin"]).count() == 1


def test_membership_create_rejects_bad_email_and_long_name(world: World) -> None:
    with pytest.raises(ValidationFailed) as bad_email:
        membership_create(
            actor=world.actor("vendor_admin"),
            email="not-an-email",
            full_name="N",
            organization=world.orgs["dist"],
            roles=["learner"],
        )
    assert bad_email.value.code == "invalid_email"
    with pytest.raises(ValidationFailed) as long_name:
        membership_create(
            actor=world.actor("vendor_admin"),
            email="n@n.example",
            full_name="N" * 151,
            organization=world.orgs["dist"],
            roles=["learner"],
        )
    assert long_name.value.code == "too_long"


def test_membership_update_changes_roles_with_audit(world: World) -> None:
    membership = membership_update(
        actor=world.actor("partner_admin"),
        membership=world.memberships["learner"],
        roles=["learner", "partner_manager"],
        job_role="presales",
    )
    assert membership.role_list == ["learner", "partner_manager"]
    entry = AuditEntry.objects.get(action="membership.update")
    assert entry.before == {"roles": ",learner,", "job_role": "sales"}
    assert entry.after == {"roles": ",learner,partner_manager,", "job_role": "presales"}


def test_admin_cannot_remove_own_admin_role(world: World) -> None:
    with pytest.raises(Conflict) as error:
        membership_update(
            actor=world.actor("partner_admin"),
            membership=world.memberships["partner_admin"],
            roles=["learner"],
        )
    assert error.value.code == "self_demotion"


def test_membership_end_keeps_history(world: World) -> None:
    membership = membership_end(
        actor=world.actor("partner_admin"),
        membership=world.memberships["learner"],
        reason="Left the company",
    )
    assert membership.status == MembershipStatus.ENDED
    assert membership.ended_on is not None
    assert membership.end_reason == "Left the company"
    assert Person.objects.filter(pk=world.people["learner"].pk).exists()
    with pytest.raises(Conflict):
        membership_end(actor=world.actor("partner_admin"), membership=membership)


def test_pending_registration_is_approved_or_rejected_once(world: World) -> None:
    pending = Membership.objects.filter(pk=world.memberships["learner"].pk)
    pending.update(status="pending")
    approved = membership_approve(actor=world.actor("partner_admin"), membership=pending.get())
    assert approved.status == MembershipStatus.ACTIVE
    with pytest.raises(Conflict):
        membership_reject(actor=world.actor("partner_admin"), membership=approved)
