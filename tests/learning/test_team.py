"""A partner manager's team progress and the vendor's progress by organization, tier and region:
who is counted, what the filters keep, and that the query count does not grow with the rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cascade.catalog.item_models import CatalogItem
from cascade.core.errors import NotFound, PermissionDenied
from cascade.identity.models import Membership
from cascade.learning.models import Enrollment, EnrollmentSource, EnrollmentState
from cascade.learning.program_progress import (
    progress_by_organization,
    progress_by_region,
    progress_by_tier,
)
from cascade.learning.team import (
    TeamFilters,
    person_enrollments,
    team_export_rows,
    team_items,
    team_member_get,
    team_overdue,
    team_progress,
)
from cascade.tenancy.models import VendorDataAccess
from tests.catalog.conftest import Studio
from tests.conftest import World, make_member
from tests.factories import OrganizationFactory


def enroll(
    world: World,
    name: str,
    item: CatalogItem,
    state: str = EnrollmentState.ASSIGNED,
    due_in: int | None = None,
    required: bool = True,
) -> Enrollment:
    now = timezone.now()
    enrollment: Enrollment = Enrollment.objects.create(
        tenant=world.tenant,
        person=world.people[name],
        item=item,
        source=EnrollmentSource.MANAGER,
        required=required,
        state=state,
        due_on=timezone.localdate() + timedelta(days=due_in) if due_in is not None else None,
        started_at=now if state != EnrollmentState.ASSIGNED else None,
        completed_at=now if state == EnrollmentState.COMPLETED else None,
    )
    return enrollment


@pytest.fixture
def scene(studio: Studio) -> dict[str, Any]:
    world = studio.world
    basics = studio.published(title="Portal basics", audience=studio.everyone)
    security = studio.published(title="Security essentials", audience=studio.everyone)
    enroll(world, "learner", basics, EnrollmentState.COMPLETED)
    enroll(world, "learner", security, due_in=-3)  # late
    enroll(world, "partner_admin", basics, EnrollmentState.IN_PROGRESS, due_in=10)
    enroll(world, "partner_admin", security, EnrollmentState.WITHDRAWN)  # not counted
    enroll(world, "other_admin", basics, due_in=-1)  # another organization's person
    return {"basics": basics, "security": security}


def _counts(page: Any) -> dict[str, tuple[int, int, int, int]]:
    return {
        row.email.split("@")[0]: (row.not_started, row.in_progress, row.completed, row.overdue)
        for row in page.items
    }


def test_a_manager_sees_their_people_and_below_with_counts(world: World, scene: Any) -> None:
    page = team_progress(actor=world.actor("manager"), cursor=None, limit=25)
    assert _counts(page) == {
        "learner": (1, 0, 1, 1),
        "manager": (0, 0, 0, 0),
        "partner_admin": (0, 1, 0, 0),
    }
    assert [row.name for row in page.items] == ["Learner", "Manager", "Partner Admin"]
    assert page.items[0].organization == "Reseller Paris"


def test_the_team_filters_by_name_state_overdue_and_item(world: World, scene: Any) -> None:
    manager = world.actor("manager")

    def emails(**filters: Any) -> list[str]:
        page = team_progress(actor=manager, filters=TeamFilters(**filters), cursor=None, limit=25)
        return [row.email for row in page.items]

    assert emails(q="admin") == ["partner_admin@partner.example"]
    assert emails(state="in_progress") == ["partner_admin@partner.example"]
    assert emails(state="completed") == ["learner@partner.example"]
    assert emails(overdue_only=True) == ["learner@partner.example"]
    # Withdrawn enrollments do not make someone part of an item's people.
    assert emails(item_id=scene["security"].pk) == ["learner@partner.example"]
    page = team_progress(
        actor=manager, filters=TeamFilters(item_id=scene["basics"].pk), cursor=None, limit=25
    )
    assert _counts(page) == {"learner": (0, 0, 1, 0), "partner_admin": (0, 1, 0, 0)}


def test_ended_memberships_and_other_organizations_are_not_in_the_team(
    world: World, scene: Any
) -> None:
    Membership.objects.filter(pk=world.memberships["learner"].pk).update(
        status="ended", ended_on=timezone.localdate()
    )
    page = team_progress(actor=world.actor("manager"), cursor=None, limit=25)
    assert sorted(_counts(page)) == ["manager", "partner_admin"]
    other = team_progress(actor=world.actor("other_admin"), cursor=None, limit=25)
    assert _counts(other) == {"other_admin": (1, 0, 0, 1)}


def test_the_team_pages_by_name(world: World, scene: Any) -> None:
    manager = world.actor("manager")
    first = team_progress(actor=manager, cursor=None, limit=2)
    second = team_progress(actor=manager, cursor=first.next_cursor, limit=2)
    assert [r.name for r in first.items] == ["Learner", "Manager"]
    assert ([r.name for r in second.items], second.next_cursor) == (["Partner Admin"], None)


def test_learners_and_vendor_staff_have_no_team(world: World) -> None:
    for name in ("learner", "vendor_admin"):
        with pytest.raises(PermissionDenied):
            team_progress(actor=world.actor(name), cursor=None, limit=25)


def test_a_person_of_another_organization_is_not_found(world: World, scene: Any) -> None:
    with pytest.raises(NotFound):
        team_member_get(
            actor=world.actor("manager"), membership_id=world.memberships["other_admin"].pk
        )


def test_a_persons_learning_open_first_with_titles(world: World, scene: Any) -> None:
    manager = world.actor("manager")
    learner = team_member_get(actor=manager, membership_id=world.memberships["learner"].pk)
    rows = person_enrollments(actor=manager, membership=learner)
    assert [(r.title, r.state, r.overdue) for r in rows] == [
        ("Security essentials", "assigned", True),
        ("Portal basics", "completed", False),
    ]
    assert rows[1].completed_on == timezone.localdate()


def test_overdue_lists_late_open_learning_of_the_team_only(world: World, scene: Any) -> None:
    page = team_overdue(actor=world.actor("manager"), cursor=None, limit=25)
    assert [(r.email, r.title, r.days_late) for r in page.items] == [
        ("learner@partner.example", "Security essentials", 3)
    ]
    assert page.items[0].membership_id == world.memberships["learner"].pk


def test_the_item_filter_offers_what_the_team_is_enrolled_in(world: World, scene: Any) -> None:
    assert team_items(actor=world.actor("manager")) == [
        (scene["basics"].pk, "Portal basics"),
        (scene["security"].pk, "Security essentials"),
    ]


def test_team_queries_do_not_grow_with_people(
    studio: Studio, scene: Any, django_assert_max_num_queries: Any
) -> None:
    world = studio.world
    manager = world.actor("manager")

    def read_all() -> None:
        team_progress(actor=manager, cursor=None, limit=50)
        team_overdue(actor=manager, cursor=None, limit=50)
        list(team_export_rows(actor=manager))
        learner = team_member_get(actor=manager, membership_id=world.memberships["learner"].pk)
        person_enrollments(actor=manager, membership=learner)

    with django_assert_max_num_queries(6):
        read_all()
    for index in range(12):
        make_member(world, f"extra_{index}", world.tenant, world.orgs["dist"], ["learner"])
        enroll(world, f"extra_{index}", scene["basics"], due_in=-index - 1)
        enroll(world, f"extra_{index}", scene["security"], EnrollmentState.COMPLETED)
    with django_assert_max_num_queries(6):
        read_all()


def test_the_export_has_one_line_per_enrollment(world: World, scene: Any) -> None:
    rows = list(team_export_rows(actor=world.actor("manager")))
    today = timezone.localdate()
    assert rows == [
        [
            "Learner",
            "learner@partner.example",
            "Reseller Paris",
            "Security essentials",
            "Lesson",
            "yes",
            "Assigned",
            (today - timedelta(days=3)).isoformat(),
            "yes",
            "",
        ],
        [
            "Learner",
            "learner@partner.example",
            "Reseller Paris",
            "Portal basics",
            "Lesson",
            "yes",
            "Completed",
            "",
            "no",
            today.isoformat(),
        ],
        [
            "Partner Admin",
            "partner_admin@partner.example",
            "Distri Europe",
            "Portal basics",
            "Lesson",
            "yes",
            "In progress",
            (today + timedelta(days=10)).isoformat(),
            "no",
            "",
        ],
    ]


# --- the program ------------------------------------------------------------------------------


def _table(rows: Any) -> dict[str, tuple[int, int, int, int, int]]:
    return {r.label: (r.people, r.enrollments, r.completed, r.open, r.overdue) for r in rows}


def test_progress_by_tier_and_region(world: World, scene: Any) -> None:
    vendor = world.actor("vendor_admin")
    # Gold: Distri Europe (manager, partner_admin); Silver: Reseller Paris (learner) and Other
    # Partner (other_admin, no region).
    assert _table(progress_by_tier(actor=vendor)) == {
        "Gold": (2, 1, 0, 1, 0),
        "Silver": (2, 3, 1, 2, 2),
    }
    assert _table(progress_by_region(actor=vendor)) == {
        "EMEA": (3, 3, 1, 2, 1),
        "No region": (1, 1, 0, 1, 1),
    }


def test_progress_by_organization_counts_organizations_hiding_individuals(
    world: World, scene: Any
) -> None:
    # given: Other Partner keeps its people's individual data from the vendor
    other = world.orgs["other"]
    other.vendor_data_access = VendorDataAccess.AGGREGATES
    other.save()
    # when
    page = progress_by_organization(actor=world.actor("vendor_admin"), cursor=None, limit=50)
    # then: its totals are still there
    assert _table(page.items) == {
        "Distri Europe": (2, 1, 0, 1, 0),
        "Other Partner": (1, 1, 0, 1, 1),
        "Reseller Paris": (1, 2, 1, 1, 1),
    }
    assert page.items[2].completion_percent == 50
    assert page.items[0].completion_percent == 0


def test_an_ended_membership_moves_counts_with_the_person(world: World, scene: Any) -> None:
    # given: the learner leaves Reseller Paris for Other Partner
    Membership.objects.filter(pk=world.memberships["learner"].pk).update(
        status="ended", ended_on=timezone.localdate()
    )
    Membership.objects.create(
        tenant=world.tenant, person=world.people["learner"], organization=world.orgs["other"]
    )
    # when
    page = progress_by_organization(actor=world.actor("vendor_admin"), cursor=None, limit=50)
    # then: their records are theirs, counted once, where they are now
    assert _table(page.items) == {
        "Distri Europe": (2, 1, 0, 1, 0),
        "Other Partner": (2, 3, 1, 2, 2),
        "Reseller Paris": (0, 0, 0, 0, 0),
    }


def test_program_tables_are_for_vendor_staff(world: World) -> None:
    for name in ("learner", "manager"):
        with pytest.raises(PermissionDenied):
            progress_by_tier(actor=world.actor(name))


def test_program_queries_do_not_grow_with_organizations(
    world: World, scene: Any, django_assert_max_num_queries: Any
) -> None:
    vendor = world.actor("vendor_admin")

    def read_all() -> None:
        progress_by_tier(actor=vendor)
        progress_by_region(actor=vendor)
        progress_by_organization(actor=vendor, cursor=None, limit=50)

    with django_assert_max_num_queries(9):
        read_all()
    for index in range(8):
        organization = OrganizationFactory(tenant=world.tenant, name=f"Partner {index:02}")
        make_member(world, f"p{index}", world.tenant, organization, ["learner"])
        enroll(world, f"p{index}", scene["basics"], due_in=-2)
    with django_assert_max_num_queries(9):
        read_all()
