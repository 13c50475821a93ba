from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from cascade.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from cascade.identity.models import (
    Invitation,
    InvitationStatus,
    Membership,
    MembershipStatus,
    Person,
)
from cascade.identity.services import (
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitation_token,
)
from cascade.notifications.models import Notification
from tests.conftest import World


def _invite(world: World, email: str = "colleague@distri.example", org: str = "dist") -> Invitation:
    return invitation_create(  # e-mails go out on commit: tests that read them use `commit`
        actor=world.actor("partner_admin"),
        email=email,
        organization=world.orgs[org],
        roles=["learner"],
        job_role="presales",
        message="Welcome aboard",
    )


def test_invitation_create_emails_a_link_that_works(world: World, commit: Any) -> None:
    # when
    with commit():
        invitation = _invite(world)
    # then: the e-mail carries a link to the acceptance page on the tenant's host
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["colleague@distri.example"]
    assert "Distri Europe" in message.body
    assert f"http://a.test/invitations/{invitation_token(invitation)}/" in message.body


def test_invitation_accept_creates_the_person_and_membership(world: World, commit: Any) -> None:
    invitation = _invite(world)
    with commit():
        membership = invitation_accept(
            tenant=world.tenant,
            token=invitation_token(invitation),
            signed_in=None,
            full_name="Cleo Colleague",
            password="a-long-enough-passphrase",
        )
    assert membership.organization == world.orgs["dist"]
    assert membership.job_role == "presales"
    assert membership.person.check_password("a-long-enough-passphrase")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    inviter_note = Notification.objects.get(person=world.people["partner_admin"])
    assert inviter_note.title == "Cleo Colleague accepted your invitation"


def test_invitation_accept_moves_an_existing_person_and_keeps_history(world: World) -> None:
    # given: the other partner's admin is invited to the distributor
    other = world.people["other_admin"]
    invitation = _invite(world, email=other.email)
    # when
    membership = invitation_accept(
        tenant=world.tenant, token=invitation_token(invitation), signed_in=other
    )
    # then
    history = list(Membership.objects.filter(person=other).order_by("id"))
    assert [(m.organization.name, m.status) for m in history] == [
        ("Other Partner", MembershipStatus.ENDED),
        ("Distri Europe", MembershipStatus.ACTIVE),
    ]
    assert history[0].end_reason == "Moved to Distri Europe"
    assert membership.pk == history[1].pk


def test_existing_person_must_be_signed_in_as_the_invited_address(world: World) -> None:
    invitation = _invite(world, email=world.people["other_admin"].email)
    with pytest.raises(PermissionDenied) as error:
        invitation_accept(
            tenant=world.tenant,
            token=invitation_token(invitation),
            signed_in=world.people["learner"],
        )
    assert error.value.code == "sign_in_required"
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING


def test_weak_password_is_refused_and_nothing_is_created(world: World) -> None:
    invitation = _invite(world)
    with pytest.raises(ValidationFailed) as error:
        invitation_accept(
            tenant=world.tenant,
            token=invitation_token(invitation),
            signed_in=None,
            full_name="Cleo",
            password="123",
        )
    assert error.value.code == "weak_password"
    assert not Person.objects.filter(email="colleague@distri.example").exists()


def test_resend_invalidates_the_old_link(world: World, commit: Any) -> None:
    with commit():
        invitation = _invite(world)
    old = invitation_token(invitation)
    with commit():
        invitation = invitation_resend(actor=world.actor("partner_admin"), invitation=invitation)
    with pytest.raises(NotFound):
        invitation_accept(
            tenant=world.tenant,
            token=old,
            signed_in=None,
            full_name="C",
            password="a-long-enough-passphrase",
        )
    assert len(mail.outbox) == 2


def test_revoked_and_expired_links_explain_themselves(world: World) -> None:
    revoked = invitation_revoke(actor=world.actor("partner_admin"), invitation=_invite(world))
    with pytest.raises(Conflict) as error:
        invitation_accept(tenant=world.tenant, token=invitation_token(revoked), signed_in=None)
    assert error.value.code == "invitation_revoked"
    expired = _invite(world, email="late@distri.example")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(Conflict) as error:
        invitation_accept(tenant=world.tenant, token=invitation_token(expired), signed_in=None)
    assert error.value.code == "invitation_expired"


def test_a_link_of_one_tenant_does_not_work_on_another(world: World) -> None:
    invitation = _invite(world)
    with pytest.raises(NotFound):
        invitation_accept(
            tenant=world.other_tenant, token=invitation_token(invitation), signed_in=None
        )


def test_duplicate_pending_invitation_is_a_conflict(world: World) -> None:
    _invite(world)
    with pytest.raises(Conflict) as error:
        _invite(world, email="COLLEAGUE@distri.example")
    assert error.value.code == "duplicate_invitation"
    assert Invitation.objects.count() == 1


def test_tampered_token_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        invitation_accept(tenant=world.tenant, token="garbage:token", signed_in=None)
