"""Happy paths of the invitation endpoints. The signed link never leaves by the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cascade.audit.models import AuditEntry
from cascade.events.models import OutboxEvent
from cascade.identity.models import Invitation
from cascade.identity.services import invitation_token
from tests.api.conftest import Scene, iso

INVITATION_KEYS = {
    "id",
    "email",
    "organization",
    "roles",
    "job_role",
    "status",
    "message",
    "invited_by",
    "created_at",
    "expires_at",
    "accepted_at",
}


def _invitation(invitation: Invitation) -> dict[str, Any]:
    invitation = Invitation.unscoped.select_related("organization", "invited_by").get(
        pk=invitation.pk
    )
    organization, inviter = invitation.organization, invitation.invited_by
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "organization": {"id": organization.pk, "name": organization.name}
        if organization
        else None,
        "roles": invitation.role_list,
        "job_role": invitation.job_role,
        "status": invitation.status,
        "message": invitation.message,
        "invited_by": (
            {"id": inviter.pk, "email": inviter.email, "full_name": inviter.full_name}
            if inviter
            else None
        ),
        "created_at": iso(invitation.created_at),
        "expires_at": iso(invitation.expires_at),
        "accepted_at": iso(invitation.accepted_at),
    }


def _assert_no_secret(response: Any, invitation: Invitation) -> None:
    invitation.refresh_from_db()
    content = response.content.decode()
    assert invitation.nonce not in content
    assert invitation_token(invitation) not in content
    assert "nonce" not in content
    assert "token" not in content


def test_list_invitations(scene: Scene) -> None:
    # given
    world = scene.world
    # when
    response = world.api("partner_admin").get("/invitations")
    # then
    assert response.status_code == 200
    assert response.json() == {"items": [_invitation(scene.invitation)], "next_cursor": None}
    assert response.json()["items"][0] == {
        "id": scene.invitation.pk,
        "email": "invitee@reseller-paris.example",
        "organization": {"id": world.orgs["reseller"].pk, "name": "Reseller Paris"},
        "roles": ["learner"],
        "job_role": "other",
        "status": "pending",
        "message": "",
        "invited_by": {
            "id": world.people["partner_admin"].pk,
            "email": "partner_admin@partner.example",
            "full_name": "Partner Admin",
        },
        "created_at": iso(scene.invitation.created_at),
        "expires_at": iso(scene.invitation.expires_at),
        "accepted_at": None,
    }
    _assert_no_secret(response, scene.invitation)


def test_list_invitations_keeps_partners_to_their_subtree_and_filters_by_status(
    scene: Scene,
) -> None:
    # given: the vendor also invited staff and someone at Other Partner
    world = scene.world
    expires = timezone.now() + timedelta(days=3)
    staff = Invitation.objects.create(
        tenant=world.tenant,
        email="staff@vendor.example",
        roles=",analyst,",
        nonce="1" * 16,
        expires_at=expires,
    )
    elsewhere = Invitation.objects.create(
        tenant=world.tenant,
        email="x@other.example",
        organization=world.orgs["other"],
        nonce="2" * 16,
        expires_at=expires,
        status="revoked",
    )
    vendor, partner = world.api("vendor_admin"), world.api("partner_admin")
    # when
    everything = [i["id"] for i in vendor.get("/invitations").json()["items"]]
    revoked = [i["id"] for i in vendor.get("/invitations", status="revoked").json()["items"]]
    partners = [i["id"] for i in partner.get("/invitations").json()["items"]]
    # then
    assert everything == [elsewhere.pk, staff.pk, scene.invitation.pk]
    assert revoked == [elsewhere.pk]
    assert partners == [scene.invitation.pk]


def test_create_invitation(scene: Scene) -> None:
    # given
    world = scene.world
    # when
    response = world.api("partner_admin").post(
        "/invitations",
        {
            "email": "Colleague@Reseller-Paris.example",
            "organization_id": world.orgs["reseller"].pk,
            "roles": ["learner", "partner_manager"],
            "job_role": "sales",
            "message": "  Welcome aboard!  ",
        },
    )
    # then
    assert response.status_code == 201
    invitation = Invitation.objects.get(email="colleague@reseller-paris.example")
    assert response.json() == _invitation(invitation)
    body = response.json()
    assert set(body) == INVITATION_KEYS
    assert (body["roles"], body["job_role"], body["message"]) == (
        ["learner", "partner_manager"],
        "sales",
        "Welcome aboard!",
    )
    assert body["invited_by"]["id"] == world.people["partner_admin"].pk
    assert invitation.expires_at - invitation.created_at > timedelta(days=13, hours=23)
    _assert_no_secret(response, invitation)
    assert list(OutboxEvent.objects.values_list("name", "payload")) == [
        ("invitation.created", {"invitation_id": invitation.pk})
    ]


def test_create_invitation_for_vendor_staff(scene: Scene) -> None:
    # when
    response = scene.world.api("vendor_admin").post(
        "/invitations",
        {"email": "analyst@vendor.example", "organization_id": None, "roles": ["analyst"]},
    )
    # then
    assert response.status_code == 201
    assert (response.json()["organization"], response.json()["roles"]) == (None, ["analyst"])


def test_get_invitation(scene: Scene) -> None:
    # when
    response = scene.world.api("manager").get(f"/invitations/{scene.invitation.pk}")
    # then
    assert response.status_code == 200
    assert response.json() == _invitation(scene.invitation)
    _assert_no_secret(response, scene.invitation)


def test_resend_invitation_rotates_the_link_and_extends_the_expiry(scene: Scene) -> None:
    # given
    old_link = invitation_token(scene.invitation)
    Invitation.objects.filter(pk=scene.invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    # when
    response = scene.world.api("partner_admin").post(f"/invitations/{scene.invitation.pk}/resend")
    # then
    assert response.status_code == 200
    scene.invitation.refresh_from_db()
    assert scene.invitation.nonce != "0123456789abcdef"
    assert invitation_token(scene.invitation) != old_link
    assert scene.invitation.expires_at > timezone.now() + timedelta(days=13)
    assert response.json() == _invitation(scene.invitation)
    _assert_no_secret(response, scene.invitation)
    assert list(
        AuditEntry.objects.filter(action__startswith="invitation").values_list("action", flat=True)
    ) == ["invitation.resend"]


def test_revoke_invitation(scene: Scene) -> None:
    # when
    response = scene.world.api("vendor_admin").post(f"/invitations/{scene.invitation.pk}/revoke")
    # then
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    assert response.json() == _invitation(scene.invitation)
    again = scene.world.api("vendor_admin").post(f"/invitations/{scene.invitation.pk}/revoke")
    assert (again.status_code, again.json()["code"]) == (409, "not_pending")
