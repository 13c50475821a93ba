"""\"My people\": partner admins manage their people; partner managers only look."""

from __future__ import annotations

from typing import Any

from cascade.identity.models import Invitation, Membership, MembershipStatus
from tests.conftest import World
from tests.factories import PersonFactory
from tests.web.conftest import queries, state


def _pending(world: World, email: str = "newbie@reseller-paris.example") -> Membership:
    membership: Membership = Membership.objects.create(
        tenant=world.tenant,
        person=PersonFactory(email=email, full_name="Nina Newbie"),
        organization=world.orgs["reseller"],
        status=MembershipStatus.PENDING,
    )
    return membership


def _emails(response: Any) -> list[str]:
    return [m.person.email for m in response.context["people"].items]


def test_admin_sees_people_of_their_organization_and_below_newest_first(world: World) -> None:
    response = world.browser("partner_admin").get("/partner/people/")
    assert _emails(response) == [
        "partner_admin@partner.example",
        "manager@partner.example",
        "learner@partner.example",
    ]
    assert b"other_admin@partner.example" not in response.content


def test_admin_may_order_people_by_name(world: World) -> None:
    response = world.browser("partner_admin").get("/partner/people/?sort=name")
    assert _emails(response) == [
        "learner@partner.example",
        "manager@partner.example",
        "partner_admin@partner.example",
    ]


def test_filters_by_status_role_job_role_and_search(world: World) -> None:
    _pending(world)
    client = world.browser("partner_admin")
    assert _emails(client.get("/partner/people/?status=pending")) == [
        "newbie@reseller-paris.example"
    ]
    assert _emails(client.get("/partner/people/?role=partner_manager")) == [
        "manager@partner.example"
    ]
    assert _emails(client.get("/partner/people/?job_role=executive")) == [
        "partner_admin@partner.example"
    ]
    assert _emails(client.get("/partner/people/?q=learn&status=")) == ["learner@partner.example"]


def test_the_pending_count_is_announced(world: World) -> None:
    _pending(world)
    html = world.browser("partner_admin").get("/partner/people/").content.decode()
    assert "1 registration waits for approval." in html


def test_admin_approves_and_declines_registrations(world: World) -> None:
    # given
    first = _pending(world, "a@reseller-paris.example")
    second = _pending(world, "b@reseller-paris.example")
    client = world.browser("partner_admin")
    # when
    approved = client.post(f"/partner/people/{first.pk}/approve/")
    declined = client.post(f"/partner/people/{second.pk}/decline/", {"reason": "Unknown to us"})
    # then
    assert approved["Location"] == declined["Location"] == "/partner/people/?status=pending"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == MembershipStatus.ACTIVE
    assert (second.status, second.end_reason) == (MembershipStatus.ENDED, "Unknown to us")


def test_approving_twice_says_why_and_changes_nothing(world: World) -> None:
    membership = _pending(world)
    client = world.browser("partner_admin")
    client.post(f"/partner/people/{membership.pk}/approve/")
    before = state()
    again = client.post(f"/partner/people/{membership.pk}/approve/", follow=True)
    assert "Only pending registrations can be approved." in again.content.decode()
    assert state() == before


def test_managers_see_the_list_read_only(world: World) -> None:
    # given
    membership = _pending(world)
    client = world.browser("manager")
    before = state()
    # when
    page = client.get("/partner/people/?status=pending")
    responses = [
        client.post(f"/partner/people/{membership.pk}/approve/"),
        client.post(f"/partner/people/{membership.pk}/decline/"),
        client.post(f"/partner/people/{world.memberships['learner'].pk}/end/"),
        client.post(
            f"/partner/people/{world.memberships['learner'].pk}/",
            {"roles": ["partner_admin"], "job_role": "sales"},
        ),
        client.post("/partner/people/invite/", {"email": "x@distri.example"}),
    ]
    # then
    assert _emails(page) == ["newbie@reseller-paris.example"]
    assert b"Approve" not in page.content
    assert [r.status_code for r in responses] == [403, 403, 403, 403, 403]
    assert state() == before


def test_admin_invites_a_colleague_with_partner_roles(world: World) -> None:
    # when
    response = world.browser("partner_admin").post(
        "/partner/people/invite/",
        {
            "email": "colleague@reseller-paris.example",
            "organization": world.orgs["reseller"].pk,
            "roles": ["learner", "partner_manager"],
            "job_role": "sales",
            "message": "Join us",
        },
    )
    # then
    assert response["Location"] == "/partner/people/"
    invitation = Invitation.objects.get(email="colleague@reseller-paris.example")
    assert (invitation.organization, invitation.role_list, invitation.message) == (
        world.orgs["reseller"],
        ["learner", "partner_manager"],
        "Join us",
    )


def test_admin_cannot_invite_vendor_roles_or_outside_organizations(world: World) -> None:
    # given
    before = state()
    client = world.browser("partner_admin")
    # when
    vendor_role = client.post(
        "/partner/people/invite/",
        {
            "email": "x@distri.example",
            "organization": world.orgs["dist"].pk,
            "roles": ["program_admin"],
            "job_role": "sales",
        },
    )
    elsewhere = client.post(
        "/partner/people/invite/",
        {
            "email": "x@distri.example",
            "organization": world.orgs["other"].pk,
            "roles": ["learner"],
            "job_role": "sales",
        },
    )
    # then
    assert vendor_role.context["form"].errors == {
        "roles": ["Select a valid choice. program_admin is not one of the available choices."]
    }
    assert list(elsewhere.context["form"].errors) == ["organization"]
    assert state() == before


def test_admin_changes_roles_and_job_role(world: World) -> None:
    # given
    learner = world.memberships["learner"]
    # when
    response = world.browser("partner_admin").post(
        f"/partner/people/{learner.pk}/",
        {"roles": ["learner", "partner_manager"], "job_role": "presales"},
    )
    # then
    assert response["Location"] == f"/partner/people/{learner.pk}/"
    learner.refresh_from_db()
    assert (learner.role_list, learner.job_role) == (["learner", "partner_manager"], "presales")


def test_admin_cannot_drop_their_own_admin_role(world: World) -> None:
    own = world.memberships["partner_admin"]
    before = state()
    response = world.browser("partner_admin").post(
        f"/partner/people/{own.pk}/", {"roles": ["learner"], "job_role": "executive"}
    )
    assert response.context["form"].errors == {
        "__all__": ["You cannot remove your own admin role."]
    }
    assert state() == before


def test_admin_ends_a_membership(world: World) -> None:
    learner = world.memberships["learner"]
    response = world.browser("partner_admin").post(
        f"/partner/people/{learner.pk}/end/", {"reason": "Left the company"}
    )
    assert response["Location"] == "/partner/people/"
    learner.refresh_from_db()
    assert (learner.status, learner.end_reason) == (MembershipStatus.ENDED, "Left the company")


def test_people_outside_the_subtree_are_not_found(world: World) -> None:
    before = state()
    other = world.memberships["other_admin"]
    client = world.browser("partner_admin")
    assert client.get(f"/partner/people/{other.pk}/").status_code == 404
    assert client.post(f"/partner/people/{other.pk}/end/").status_code == 404
    assert state() == before


def test_the_page_is_for_partners(world: World) -> None:
    assert world.browser("vendor_admin").get("/partner/people/").status_code == 404
    assert world.browser("learner").get("/partner/people/").status_code == 403


def test_list_query_count_does_not_grow_with_rows(world: World) -> None:
    client = world.browser("partner_admin")
    client.get("/partner/people/")
    before = queries(lambda: client.get("/partner/people/"))
    for number in range(10):
        Membership.objects.create(
            tenant=world.tenant,
            person=PersonFactory(email=f"p{number}@reseller-paris.example"),
            organization=world.orgs["reseller"],
        )
    assert queries(lambda: client.get("/partner/people/")) == before
