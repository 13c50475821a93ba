"""Opening an invitation link: new people create an account, existing ones sign in first,
and links that no longer work say why."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cascade.identity.models import Invitation, InvitationStatus, Membership, Person
from cascade.identity.services import invitation_create, invitation_revoke, invitation_token
from tests.conftest import World


def _invite(world: World, email: str = "cleo@distri.example") -> tuple[Invitation, str]:
    invitation = invitation_create(
        actor=world.actor("partner_admin"),
        email=email,
        organization=world.orgs["dist"],
        roles=["learner", "partner_manager"],
        message="See you soon",
    )
    return invitation, f"/invitations/{invitation_token(invitation)}/"


def test_the_page_says_who_invites_whom_to_what(world: World) -> None:
    # given
    _, url = _invite(world)
    # when
    html = world.browser().get(url).content.decode()
    # then
    assert "<h1>Join Distri Europe</h1>" in html
    assert (
        "<strong>Partner Admin</strong> invites <strong>cleo@distri.example</strong> to join "
        "<strong>Distri Europe</strong> in Northwind Networks's partner program as "
        "Learner, Partner manager." in html
    )
    assert "See you soon" in html


def test_a_new_person_sets_name_and_password_and_is_signed_in(world: World) -> None:
    # given
    invitation, url = _invite(world)
    client = world.browser()
    # when
    response = client.post(
        url,
        {
            "full_name": "Cleo Colleague",
            "password": "a-long-enough-passphrase",
            "password_again": "a-long-enough-passphrase",
        },
    )
    # then
    assert response["Location"] == "/"
    person = Person.objects.get(email="cleo@distri.example")
    assert person.full_name == "Cleo Colleague"
    assert person.check_password("a-long-enough-passphrase")
    membership = Membership.objects.get(person=person)
    assert (membership.organization, membership.role_list) == (
        world.orgs["dist"],
        ["learner", "partner_manager"],
    )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert client.get("/").context["user"] == person


def test_a_weak_password_is_refused_and_nothing_is_created(world: World) -> None:
    # given
    invitation, url = _invite(world)
    # when
    response = world.browser().post(
        url, {"full_name": "Cleo", "password": "123", "password_again": "123"}
    )
    # then
    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()
    assert not Person.objects.filter(email="cleo@distri.example").exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_existing_person_must_sign_in_as_the_invited_address(world: World) -> None:
    # given
    invitation, url = _invite(world, email=world.people["other_admin"].email)
    # when
    page = world.browser().get(url).content.decode()
    refused = world.browser().post(url)
    # then
    assert "You already have an account with this address." in page
    assert f'href="/accounts/sign-in/?next={url.replace(":", "%3A")}"' in page
    assert refused.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_existing_person_signed_in_accepts_with_one_click(world: World) -> None:
    # given
    other = world.people["other_admin"]
    _, url = _invite(world, email=other.email)
    # when
    response = world.browser("other_admin").post(url)
    # then
    assert response["Location"] == "/"
    current = Membership.objects.get(person=other, status="active")
    assert current.organization == world.orgs["dist"]


def test_signed_in_as_someone_else_is_told_to_sign_out(world: World) -> None:
    # given
    invitation, url = _invite(world)
    # when
    page = world.browser("learner").get(url).content.decode()
    world.browser("learner").post(url, {"full_name": "X"})
    # then
    assert "You are signed in as <strong>learner@partner.example</strong>" in page
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_revoked_expired_used_and_forged_links_get_a_clear_page(world: World) -> None:
    # given
    revoked, revoked_url = _invite(world, email="a@distri.example")
    invitation_revoke(actor=world.actor("partner_admin"), invitation=revoked)
    expired, expired_url = _invite(world, email="b@distri.example")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    used, used_url = _invite(world, email="c@distri.example")
    Invitation.objects.filter(pk=used.pk).update(status=InvitationStatus.ACCEPTED)
    client = world.browser()
    # when
    pages = {
        name: client.get(url)
        for name, url in [
            ("revoked", revoked_url),
            ("expired", expired_url),
            ("used", used_url),
            ("forged", "/invitations/not-a-real-token/"),
        ]
    }
    # then
    assert {name: r.status_code for name, r in pages.items()} == {
        "revoked": 409,
        "expired": 409,
        "used": 409,
        "forged": 404,
    }
    assert b"This invitation was withdrawn." in pages["revoked"].content
    assert b"This invitation has expired; ask for a new one." in pages["expired"].content
    assert b"already been accepted; sign in instead." in pages["used"].content
    assert b"This invitation link is not valid." in pages["forged"].content


def test_a_link_from_another_program_is_not_found(world: World) -> None:
    # given
    _, url = _invite(world)
    # when
    response = world.browser("b_admin").post(
        url, {"full_name": "X", "password": "a-long-enough-passphrase"}
    )
    # then
    assert response.status_code == 404
    assert not Person.objects.filter(email="cleo@distri.example").exists()
