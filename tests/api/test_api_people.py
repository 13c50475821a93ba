"""Happy paths of the people and membership endpoints."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from cascade.audit.models import AuditEntry
from cascade.core.scoping import tenant_scope
from cascade.events.models import OutboxEvent
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.tenancy.models import PartnerOrganization
from tests.api.conftest import Scene, iso
from tests.conftest import World

TODAY = timezone.localdate


def _membership(membership: Membership, *, with_person: bool = True) -> dict[str, Any]:
    membership = Membership.unscoped.select_related("person", "organization").get(pk=membership.pk)
    organization = membership.organization
    out: dict[str, Any] = {
        "id": membership.pk,
        "organization": {"id": organization.pk, "name": organization.name}
        if organization
        else None,
        "vendor_staff": organization is None,
        "roles": membership.role_list,
        "job_role": membership.job_role,
        "status": membership.status,
        "started_on": iso(membership.started_on),
        "ended_on": iso(membership.ended_on),
        "end_reason": membership.end_reason,
        "created_at": iso(membership.created_at),
    }
    if with_person:
        person = membership.person
        out["person"] = {"id": person.pk, "email": person.email, "full_name": person.full_name}
    return out


def _ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_list_people_gives_a_program_admin_everyone_newest_first(world: World) -> None:
    # given
    m = world.memberships
    # when
    response = world.api("vendor_admin").get("/people")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            _membership(m[name])
            for name in ("vendor_admin", "other_admin", "partner_admin", "manager", "learner")
        ],
        "next_cursor": None,
    }
    learner = response.json()["items"][4]
    assert learner == {
        "id": m["learner"].pk,
        "organization": {"id": world.orgs["reseller"].pk, "name": "Reseller Paris"},
        "vendor_staff": False,
        "roles": ["learner"],
        "job_role": "sales",
        "status": "active",
        "started_on": TODAY().isoformat(),
        "ended_on": None,
        "end_reason": "",
        "created_at": iso(m["learner"].created_at),
        "person": {
            "id": world.people["learner"].pk,
            "email": "learner@partner.example",
            "full_name": "Learner",
        },
    }


def test_list_people_shows_a_partner_admin_their_subtree(world: World) -> None:
    # when
    response = world.api("partner_admin").get("/people")
    # then
    m = world.memberships
    assert _ids(response) == [m["partner_admin"].pk, m["manager"].pk, m["learner"].pk]


def test_list_people_filters(scene: Scene) -> None:
    # given
    world = scene.world
    m = world.memberships
    client = world.api("vendor_admin")

    def ids(**params: Any) -> list[int]:
        return _ids(client.get("/people", **params))

    # then
    assert ids(organization_id=world.orgs["dist"].pk) == [m["partner_admin"].pk, m["manager"].pk]
    assert ids(organization_id=world.orgs["dist"].pk, include_suborganizations="true") == [
        scene.pending.pk,
        m["partner_admin"].pk,
        m["manager"].pk,
        m["learner"].pk,
    ]
    assert ids(role="partner_admin") == [m["other_admin"].pk, m["partner_admin"].pk]
    assert ids(vendor_staff="true") == [m["vendor_admin"].pk]
    assert ids(vendor_staff="false", status="active") == [
        m["other_admin"].pk,
        m["partner_admin"].pk,
        m["manager"].pk,
        m["learner"].pk,
    ]
    assert ids(status="pending") == [scene.pending.pk]
    assert ids(job_role="executive") == [m["partner_admin"].pk]
    assert ids(q="LEARN") == [m["learner"].pk]
    assert ids(q="regis trant") == [scene.pending.pk]
    assert ids(organization_id=world.orgs["b_org"].pk) == []


def test_list_people_pages_with_a_cursor(world: World) -> None:
    # given
    client = world.api("vendor_admin")
    m = world.memberships
    # when
    first = client.get("/people", limit=3).json()
    second = client.get("/people", limit=3, cursor=first["next_cursor"]).json()
    # then
    assert [i["id"] for i in first["items"]] == [
        m["vendor_admin"].pk,
        m["other_admin"].pk,
        m["partner_admin"].pk,
    ]
    assert [i["id"] for i in second["items"]] == [m["manager"].pk, m["learner"].pk]
    assert second["next_cursor"] is None


def test_list_people_hides_individuals_of_an_aggregates_only_partner_from_the_vendor(
    world: World,
) -> None:
    # given
    PartnerOrganization.objects.filter(pk=world.orgs["dist"].pk).update(
        vendor_data_access="aggregates"
    )
    m = world.memberships
    # when
    response = world.api("vendor_admin").get("/people")
    # then
    assert _ids(response) == [m["vendor_admin"].pk, m["other_admin"].pk, m["learner"].pk]
    assert world.api("vendor_admin").get(f"/people/{world.people['manager'].pk}").status_code == 404


def test_get_person_gives_the_history_each_viewer_may_see(world: World) -> None:
    # given: the learner worked for Other Partner before joining Reseller Paris
    learner = world.people["learner"]
    Membership.objects.filter(pk=world.memberships["learner"].pk).update(
        started_on=date(2025, 1, 1)
    )
    past = Membership.objects.create(
        tenant=world.tenant,
        person=learner,
        organization=world.orgs["other"],
        status=MembershipStatus.ENDED,
        started_on=date(2023, 5, 1),
        ended_on=date(2024, 12, 31),
        end_reason="Moved to Reseller Paris",
    )
    # when
    seen_by_vendor = world.api("vendor_admin").get(f"/people/{learner.pk}")
    seen_by_partner = world.api("partner_admin").get(f"/people/{learner.pk}")
    seen_by_former_employer = world.api("other_admin").get(f"/people/{learner.pk}")
    # then
    assert seen_by_vendor.json() == {
        "id": learner.pk,
        "email": "learner@partner.example",
        "full_name": "Learner",
        "memberships": [
            _membership(world.memberships["learner"], with_person=False),
            _membership(past, with_person=False),
        ],
    }
    assert seen_by_vendor.json()["memberships"][1]["ended_on"] == "2024-12-31"
    assert [m["id"] for m in seen_by_partner.json()["memberships"]] == [
        world.memberships["learner"].pk
    ]
    assert [m["id"] for m in seen_by_former_employer.json()["memberships"]] == [past.pk]


def test_get_person_on_another_tenant_shows_only_that_tenants_memberships(world: World) -> None:
    # given: the learner also belongs to a partner in tenant B
    learner = world.people["learner"]
    with tenant_scope(world.other_tenant):
        in_b = Membership.objects.create(
            tenant=world.other_tenant, person=learner, organization=world.orgs["b_org"]
        )
    # when
    on_b = world.api("b_admin").get(f"/people/{learner.pk}")
    on_a = world.api("vendor_admin").get(f"/people/{learner.pk}")
    # then
    assert [m["id"] for m in on_b.json()["memberships"]] == [in_b.pk]
    assert on_b.json()["memberships"][0]["organization"] == {
        "id": world.orgs["b_org"].pk,
        "name": "B Partner",
    }
    assert [m["id"] for m in on_a.json()["memberships"]] == [world.memberships["learner"].pk]


def test_create_membership_adds_a_new_person_to_an_organization(world: World) -> None:
    # given
    reseller = world.orgs["reseller"]
    # when
    response = world.api("partner_admin").post(
        "/memberships",
        {
            "email": " New.Hire@Reseller-Paris.example ",
            "full_name": "New Hire",
            "organization_id": reseller.pk,
            "roles": ["learner", "partner_manager"],
            "job_role": "presales",
        },
    )
    # then
    assert response.status_code == 201
    person = Person.objects.get(email="new.hire@reseller-paris.example")
    membership = Membership.objects.get(person=person)
    assert response.json() == {
        "id": membership.pk,
        "organization": {"id": reseller.pk, "name": "Reseller Paris"},
        "vendor_staff": False,
        "roles": ["learner", "partner_manager"],
        "job_role": "presales",
        "status": "active",
        "started_on": TODAY().isoformat(),
        "ended_on": None,
        "end_reason": "",
        "created_at": iso(membership.created_at),
        "person": {
            "id": person.pk,
            "email": "new.hire@reseller-paris.example",
            "full_name": "New Hire",
        },
    }
    assert person.has_usable_password() is False
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id) == ("membership.create", world.people["partner_admin"].pk)
    assert OutboxEvent.objects.get().name == "membership.started"


def test_create_membership_adds_vendor_staff(world: World) -> None:
    # when
    response = world.api("vendor_admin").post(
        "/memberships",
        {
            "email": "author@vendor.example",
            "full_name": "Content Author",
            "organization_id": None,
            "roles": ["content_author", "reviewer"],
        },
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["organization"], body["vendor_staff"]) == (None, True)
    assert (body["roles"], body["job_role"]) == (["content_author", "reviewer"], "other")


def test_get_membership(world: World) -> None:
    # when
    response = world.api("manager").get(f"/memberships/{world.memberships['learner'].pk}")
    # then
    assert response.status_code == 200
    assert response.json() == _membership(world.memberships["learner"])


def test_update_membership_changes_roles_and_job_role(world: World) -> None:
    # given
    membership = world.memberships["learner"]
    # when
    response = world.api("partner_admin").patch(
        f"/memberships/{membership.pk}",
        {"roles": ["partner_manager", "learner"], "job_role": "support"},
    )
    # then
    assert response.status_code == 200
    assert response.json()["roles"] == ["learner", "partner_manager"]
    assert response.json()["job_role"] == "support"
    assert response.json() == _membership(membership)
    entry = AuditEntry.objects.get(action="membership.update")
    assert entry.before == {"roles": ",learner,", "job_role": "sales"}
    assert entry.after == {"roles": ",learner,partner_manager,", "job_role": "support"}


def test_update_membership_with_only_a_job_role_keeps_the_roles(world: World) -> None:
    # when
    response = world.api("vendor_admin").patch(
        f"/memberships/{world.memberships['manager'].pk}", {"job_role": "marketing"}
    )
    # then
    assert (response.json()["roles"], response.json()["job_role"]) == (
        ["learner", "partner_manager"],
        "marketing",
    )


def test_end_membership_keeps_the_person_and_records_why(world: World) -> None:
    # given
    membership = world.memberships["learner"]
    # when
    response = world.api("partner_admin").post(
        f"/memberships/{membership.pk}/end", {"reason": "Left the company"}
    )
    # then
    assert response.status_code == 200
    assert response.json() == {
        **_membership(membership),
        "status": "ended",
        "ended_on": TODAY().isoformat(),
        "end_reason": "Left the company",
    }
    assert Person.objects.filter(pk=world.people["learner"].pk).exists()
    assert OutboxEvent.objects.get().name == "membership.ended"


def test_end_membership_with_defaults(world: World) -> None:
    # when
    response = world.api("vendor_admin").post(
        f"/memberships/{world.memberships['other_admin'].pk}/end", {}
    )
    # then
    assert (response.json()["status"], response.json()["end_reason"]) == (
        "ended",
        "Ended by an administrator",
    )


def test_approve_a_pending_registration(scene: Scene) -> None:
    # when
    response = scene.world.api("partner_admin").post(f"/memberships/{scene.pending.pk}/approve")
    # then
    assert response.status_code == 200
    assert response.json() == {**_membership(scene.pending), "status": "active"}
    assert list(OutboxEvent.objects.order_by("id").values_list("name", flat=True)) == [
        "registration.approved",
        "membership.started",
    ]


def test_reject_a_pending_registration(scene: Scene) -> None:
    # when
    response = scene.world.api("vendor_admin").post(
        f"/memberships/{scene.pending.pk}/reject", {"reason": "Not a partner employee"}
    )
    # then
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["end_reason"]) == (
        "ended",
        "Not a partner employee",
    )
    assert response.json()["ended_on"] == TODAY().isoformat()
    assert list(
        AuditEntry.objects.filter(target_id=str(scene.pending.pk)).values_list("action", flat=True)
    ) == ["membership.reject"]
