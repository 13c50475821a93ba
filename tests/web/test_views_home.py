"""The home page of each kind of actor."""

from __future__ import annotations

from cascade.identity.models import Membership, MembershipStatus
from cascade.identity.services import invitation_create
from tests.conftest import World
from tests.factories import PersonFactory
from tests.web.conftest import queries


def test_learner_home_shows_their_organization_and_honest_placeholders(world: World) -> None:
    # when
    response = world.browser("learner").get("/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Welcome, Learner</h1>" in html
    assert "You learn with <strong>Reseller Paris</strong>" in html
    assert "Nothing is assigned to you right now." in html
    assert "The certifications you earn will appear here." in html


def test_partner_admin_home_summarises_their_organizations(world: World) -> None:
    # given
    pending_person = PersonFactory(email="pending@reseller-paris.example")
    Membership.objects.create(
        tenant=world.tenant,
        person=pending_person,
        organization=world.orgs["reseller"],
        status=MembershipStatus.PENDING,
    )
    invitation_create(
        actor=world.actor("partner_admin"),
        email="new@distri.example",
        organization=world.orgs["dist"],
        roles=["learner"],
    )
    # when
    response = world.browser("partner_admin").get("/")
    # then
    summary = response.context["summary"]
    assert summary.organization == world.orgs["dist"]
    assert [o.name for o in summary.organizations] == ["Distri Europe", "Reseller Paris"]
    assert [o.active_people for o in summary.organizations] == [2, 1]
    assert summary.active_people == 3
    assert summary.pending_registrations == 1
    assert [i.email for i in summary.recent_invitations] == ["new@distri.example"]
    assert "Other Partner" not in response.content.decode()
    assert b"Invite a colleague" in response.content


def test_partner_manager_home_has_no_invite_button(world: World) -> None:
    response = world.browser("manager").get("/")
    assert response.status_code == 200
    assert b"Invite a colleague" not in response.content
    assert b"You follow Distri Europe" in response.content


def test_vendor_home_counts_the_program(world: World) -> None:
    # when
    response = world.browser("vendor_admin").get("/")
    # then
    summary = response.context["summary"]
    assert summary.organizations_total == 3
    assert [(r.label, r.count) for r in summary.organizations_by_status] == [
        ("Prospect", 0),
        ("Active", 3),
        ("Suspended", 0),
        ("Terminated", 0),
    ]
    assert [(r.label, r.count) for r in summary.organizations_by_tier] == [
        ("Gold", 1),
        ("Silver", 2),
    ]
    assert summary.pending_invitations == 0
    assert summary.pending_registrations == 0


def test_vendor_home_query_count_does_not_grow_with_organizations(world: World) -> None:
    from tests.factories import OrganizationFactory

    client = world.browser("vendor_admin")
    client.get("/")
    before = queries(lambda: client.get("/"))
    for number in range(10):
        OrganizationFactory(tenant=world.tenant, name=f"More {number}")
    assert queries(lambda: client.get("/")) == before


def test_pending_registrant_sees_waiting_for_approval(world: World) -> None:
    # given
    person = PersonFactory(email="newbie@reseller-paris.example")
    Membership.objects.create(
        tenant=world.tenant,
        person=person,
        organization=world.orgs["reseller"],
        status=MembershipStatus.PENDING,
    )
    client = world.browser()
    client.force_login(person)
    # when
    home = client.get("/")
    organizations = client.get("/organizations/")
    # then
    assert b"<h1>Waiting for approval</h1>" in home.content
    assert b"You asked to join <strong>Reseller Paris</strong>" in home.content
    assert organizations.status_code == 403


def test_person_without_membership_here_is_told_so(world: World) -> None:
    client = world.browser()
    client.force_login(world.people["b_admin"])
    response = client.get("/")
    assert b"<h1>You are not a member of this program</h1>" in response.content
