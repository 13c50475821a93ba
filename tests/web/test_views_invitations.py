"""The vendor team's invitations page: list, invite, re-send, revoke."""

from __future__ import annotations

from typing import Any

from django.core import mail

from cascade.identity.models import Invitation, InvitationStatus
from cascade.identity.services import invitation_create
from tests.conftest import World
from tests.web.conftest import queries, state


def _invite(world: World, email: str) -> Invitation:
    return invitation_create(
        actor=world.actor("vendor_admin"),
        email=email,
        organization=world.orgs["other"],
        roles=["partner_admin"],
    )


def test_program_admin_invites_a_partner_admin_by_email(world: World, commit: Any) -> None:
    # when
    with commit():
        response = world.browser("vendor_admin").post(
            "/invitations/",
            {
                "email": "boss@other.example",
                "organization": world.orgs["other"].pk,
                "roles": ["partner_admin", "learner"],
                "job_role": "executive",
                "message": "",
            },
        )
    # then
    assert response["Location"] == "/invitations/"
    invitation = Invitation.objects.get(email="boss@other.example")
    assert (invitation.organization, invitation.role_list) == (
        world.orgs["other"],
        ["learner", "partner_admin"],
    )
    assert [m.to for m in mail.outbox] == [["boss@other.example"]]


def test_program_admin_invites_a_vendor_staff_member(world: World) -> None:
    world.browser("vendor_admin").post(
        "/invitations/",
        {
            "email": "author@vendor.example",
            "organization": "",
            "roles": ["content_author"],
            "job_role": "other",
        },
    )
    invitation = Invitation.objects.get(email="author@vendor.example")
    assert (invitation.organization, invitation.role_list) == (None, ["content_author"])


def test_roles_that_do_not_fit_are_refused_and_nothing_is_written(world: World) -> None:
    # given
    before = state()
    # when: a vendor role inside a partner organization
    response = world.browser("vendor_admin").post(
        "/invitations/",
        {
            "email": "x@other.example",
            "organization": world.orgs["other"].pk,
            "roles": ["analyst"],
            "job_role": "other",
        },
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "roles": ["These roles do not apply to a partner organization: analyst."]
    }
    assert state() == before


def test_a_second_pending_invitation_for_the_same_address_is_refused(world: World) -> None:
    _invite(world, "dup@other.example")
    before = state()
    response = world.browser("vendor_admin").post(
        "/invitations/",
        {
            "email": "DUP@other.example",
            "organization": world.orgs["other"].pk,
            "roles": ["learner"],
            "job_role": "other",
        },
    )
    assert response.context["form"].errors == {
        "email": ["dup@other.example already has a pending invitation; re-send or revoke it."]
    }
    assert state() == before


def test_resend_rotates_the_link_and_revoke_withdraws(world: World) -> None:
    # given
    first = _invite(world, "one@other.example")
    second = _invite(world, "two@other.example")
    old_nonce = first.nonce
    client = world.browser("vendor_admin")
    # when
    resent = client.post(f"/invitations/{first.pk}/resend/")
    revoked = client.post(f"/invitations/{second.pk}/revoke/")
    again = client.post(f"/invitations/{second.pk}/revoke/", follow=True)
    # then
    assert resent["Location"] == revoked["Location"] == "/invitations/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.nonce != old_nonce
    assert second.status == InvitationStatus.REVOKED
    assert "Only pending invitations can be revoked." in again.content.decode()


def test_the_list_defaults_to_pending_and_can_show_all(world: World) -> None:
    pending = _invite(world, "p@other.example")
    revoked = _invite(world, "r@other.example")
    Invitation.objects.filter(pk=revoked.pk).update(status=InvitationStatus.REVOKED)
    client = world.browser("vendor_admin")
    assert [i.pk for i in client.get("/invitations/").context["invitations"].items] == [pending.pk]
    assert [i.pk for i in client.get("/invitations/?status=all").context["invitations"].items] == [
        revoked.pk,
        pending.pk,
    ]


def test_vendor_staff_without_admin_rights_see_but_cannot_invite(staff: World) -> None:
    invitation = _invite(staff, "seen@other.example")
    before = state()
    client = staff.browser("analyst")
    page = client.get("/invitations/")
    assert page.status_code == 200
    assert b"Invite someone" not in page.content
    assert client.post("/invitations/", {"email": "x@other.example"}).status_code == 403
    assert client.post(f"/invitations/{invitation.pk}/revoke/").status_code == 403
    assert state() == before


def test_the_page_is_for_the_vendor_team(world: World) -> None:
    assert world.browser("partner_admin").get("/invitations/").status_code == 404
    assert world.browser("learner").get("/invitations/").status_code == 403


def test_list_query_count_does_not_grow_with_rows(world: World) -> None:
    client = world.browser("vendor_admin")
    _invite(world, "first@other.example")
    client.get("/invitations/")
    before = queries(lambda: client.get("/invitations/"))
    for number in range(10):
        _invite(world, f"n{number}@other.example")
    assert queries(lambda: client.get("/invitations/")) == before
