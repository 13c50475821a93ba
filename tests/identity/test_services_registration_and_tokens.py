from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from cascade.access.actor import ActorKind
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.identity.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    membership_approve,
    registration_submit,
)
from cascade.notifications.models import Notification
from tests.conftest import World


def test_registration_with_a_verified_domain_lands_pending_and_notifies_admins(
    world: World, commit: Any
) -> None:
    # given: reseller paris has no partner admin of its own, so its distributor's admin is told
    # when
    with commit():
        membership = registration_submit(
            tenant=world.tenant,
            email="newbie@reseller-paris.example",
            full_name="New Bie",
            password="a-long-enough-passphrase",
            job_role="sales",
        )
    # then
    assert membership.status == MembershipStatus.PENDING
    assert membership.organization == world.orgs["reseller"]
    note = Notification.objects.get(kind="registration.pending")
    assert note.person == world.people["partner_admin"]
    assert note.title == "New Bie asks to join Reseller Paris"
    assert mail.outbox[-1].to == [world.people["partner_admin"].email]


def test_registration_in_an_organization_without_partner_admins_notifies_program_admins(
    world: World, commit: Any
) -> None:
    world.orgs["other"].email_domains.create(
        tenant=world.tenant, domain="other.example", verified_at=timezone.now()
    )
    Membership.objects.filter(pk=world.memberships["other_admin"].pk).update(roles=",learner,")
    with commit():
        registration_submit(
            tenant=world.tenant,
            email="o@other.example",
            full_name="O",
            password="a-long-enough-passphrase",
        )
    note = Notification.objects.get(kind="registration.pending")
    assert note.person == world.people["vendor_admin"]


def test_approval_notifies_the_registrant(world: World, commit: Any) -> None:
    membership = registration_submit(
        tenant=world.tenant,
        email="n@reseller-paris.example",
        full_name="N B",
        password="a-long-enough-passphrase",
    )
    with commit():
        membership_approve(actor=world.actor("partner_admin"), membership=membership)
    note = Notification.objects.get(kind="registration.approved")
    assert note.person.email == "n@reseller-paris.example"


def test_registration_with_an_unknown_domain_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed) as error:
        registration_submit(
            tenant=world.tenant,
            email="x@gmail.com",
            full_name="X",
            password="a-long-enough-passphrase",
        )
    assert error.value.code == "unknown_domain"
    assert not Person.objects.filter(email="x@gmail.com").exists()


def test_registration_with_a_taken_email_is_a_conflict(world: World) -> None:
    Person.objects.create_user(email="taken@reseller-paris.example", password=None, full_name="T")
    with pytest.raises(Conflict) as error:
        registration_submit(
            tenant=world.tenant,
            email="Taken@Reseller-Paris.example",
            full_name="T",
            password="a-long-enough-passphrase",
        )
    assert error.value.code == "duplicate_email"


def test_domain_of_tenant_a_does_not_register_in_tenant_b(world: World) -> None:
    with pytest.raises(ValidationFailed):
        registration_submit(
            tenant=world.other_tenant,
            email="z@reseller-paris.example",
            full_name="Z",
            password="a-long-enough-passphrase",
        )


def test_personal_token_authenticates_as_its_owner_only_in_its_tenant(world: World) -> None:
    issued = api_token_create(
        actor=world.actor("partner_admin"), kind="personal", name="CLI", scopes=["people:read"]
    )
    assert issued.secret.startswith("cas_")
    assert issued.token.digest != issued.secret
    actor = api_token_authenticate(tenant=world.tenant, raw=issued.secret)
    assert actor is not None
    assert actor.person == world.people["partner_admin"]
    assert actor.scopes == frozenset({"people:read"})
    assert api_token_authenticate(tenant=world.other_tenant, raw=issued.secret) is None


def test_revoked_and_expired_tokens_do_not_authenticate(world: World) -> None:
    actor = world.actor("vendor_admin")
    issued = api_token_create(
        actor=actor,
        kind="integration",
        name="PRM",
        scopes=["organizations:read"],
        expires_at=timezone.now() + timedelta(days=1),
    )
    authenticated = api_token_authenticate(tenant=world.tenant, raw=issued.secret)
    assert authenticated is not None
    assert authenticated.kind == ActorKind.INTEGRATION
    api_token_revoke(actor=actor, token=issued.token)
    assert api_token_authenticate(tenant=world.tenant, raw=issued.secret) is None
    other = api_token_create(actor=actor, kind="personal", name="Short", scopes=["people:read"])
    type(other.token).objects.filter(pk=other.token.pk).update(expires_at=timezone.now())
    assert api_token_authenticate(tenant=world.tenant, raw=other.secret) is None


def test_only_program_admins_create_integration_tokens(world: World) -> None:
    with pytest.raises(PermissionDenied):
        api_token_create(
            actor=world.actor("partner_admin"), kind="integration", name="X", scopes=["people:read"]
        )
    with pytest.raises(ValidationFailed) as error:
        api_token_create(
            actor=world.actor("partner_admin"), kind="personal", name="X", scopes=["root"]
        )
    assert error.value.code == "invalid_scope"


def test_token_of_an_ended_membership_stops_working(world: World) -> None:
    issued = api_token_create(
        actor=world.actor("learner"), kind="personal", name="Mine", scopes=["organizations:read"]
    )
    world.memberships["learner"].status = "ended"
    world.memberships["learner"].ended_on = timezone.localdate()
    world.memberships["learner"].save()
    assert api_token_authenticate(tenant=world.tenant, raw=issued.secret) is None
