"""Where people stand in their onboarding: phase boundaries, at risk and late, business events
of the person and of their organization, moves between partners, organization roll-ups, who
reads whose status, and a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cascade.identity.services.memberships import membership_move
from cascade.learning.onboarding import program_update
from cascade.learning.onboarding_selectors import (
    Status,
    onboarding_by_organization,
    onboarding_for_person,
    onboarding_people,
    onboarding_people_queryset,
    onboarding_person_detail,
    onboarding_status_by_membership,
    phase_status,
)
from cascade.tenancy.models import PartnerOrganization
from tests.catalog.conftest import Studio
from tests.conftest import make_member
from tests.learning.onboarding_scene import Onboarding, build_onboarding


@pytest.fixture
def onboarding(studio: Studio) -> Onboarding:
    return build_onboarding(studio)


def _mine(onboarding: Onboarding, name: str) -> tuple[Status, list[Status]]:
    (entry,) = onboarding_for_person(onboarding.world.actor(name))
    return entry.status, [p.status for p in entry.phases]


NS = Status.NOT_STARTED


@pytest.mark.parametrize(
    ("days_ago", "overall", "phases"),
    [
        # A week's window: at risk with less than a third (2.33 days) left.
        (0, Status.ON_TRACK, [Status.ON_TRACK, NS, NS]),
        (4, Status.ON_TRACK, [Status.ON_TRACK, NS, NS]),
        (5, Status.AT_RISK, [Status.AT_RISK, NS, NS]),
        (7, Status.AT_RISK, [Status.AT_RISK, Status.ON_TRACK, NS]),  # due today: not late yet
        (8, Status.LATE, [Status.LATE, Status.ON_TRACK, NS]),
        (400, Status.LATE, [Status.LATE, Status.LATE, Status.LATE]),
    ],
)
def test_status_follows_the_days_since_joining(
    onboarding: Onboarding, days_ago: int, overall: Status, phases: list[Status]
) -> None:
    # given
    onboarding.joined("learner", days_ago)
    # when / then
    assert _mine(onboarding, "learner") == (overall, phases)


def test_a_phase_is_done_when_every_milestone_is_complete_whenever(
    onboarding: Onboarding,
) -> None:
    # given: joined 10 days ago, the foundations completed long before joining
    onboarding.joined("learner", 10)
    onboarding.complete("learner", onboarding.foundations, timezone.now() - timedelta(days=900))
    # when / then
    assert _mine(onboarding, "learner") == (Status.ON_TRACK, [Status.DONE, Status.ON_TRACK, NS])


def test_a_phase_with_a_missing_business_event_is_not_done(onboarding: Onboarding) -> None:
    # given: 25 days in, the pitch lesson is done but no pitch reported yet
    onboarding.joined("learner", 25)
    onboarding.complete("learner", onboarding.foundations)
    onboarding.complete("learner", onboarding.pitch)
    assert _mine(onboarding, "learner")[1][1] == Status.AT_RISK
    # when
    onboarding.event("pitch_delivered", "pitch-1", person="learner")
    # then
    assert _mine(onboarding, "learner") == (Status.ON_TRACK, [Status.DONE, Status.DONE, NS])


def test_an_organization_event_counts_for_everyone_in_it_and_only_there(
    onboarding: Onboarding,
) -> None:
    # given: dist's two people and the learner (reseller, below dist) have done all learning
    for name in ("manager", "partner_admin", "learner"):
        onboarding.joined(name, 100)
        for item in (onboarding.foundations, onboarding.pitch, onboarding.certification):
            onboarding.complete(name, item)
        onboarding.event("pitch_delivered", f"pitch-{name}", person=name)
    # when: Distri Europe registers its first deal
    onboarding.event("deal_registered", "deal-1", organization="dist")
    # then
    assert _mine(onboarding, "manager")[0] == Status.DONE
    assert _mine(onboarding, "partner_admin")[0] == Status.DONE
    assert _mine(onboarding, "learner") == (Status.LATE, [Status.DONE, Status.DONE, Status.LATE])


def test_a_person_moving_keeps_their_completions_and_events_not_their_old_organizations(
    onboarding: Onboarding,
) -> None:
    # given: the manager finished everything at dist, whose deal counted
    world = onboarding.world
    onboarding.joined("manager", 100)
    for item in (onboarding.foundations, onboarding.pitch, onboarding.certification):
        onboarding.complete("manager", item)
    onboarding.event("pitch_delivered", "pitch-m", person="manager")
    onboarding.event("deal_registered", "deal-d", organization="dist")
    assert _mine(onboarding, "manager")[0] == Status.DONE
    # when: they move to Other Partner today
    membership_move(
        actor=world.actor("vendor_admin"),
        person=world.people["manager"],
        to_organization=world.orgs["other"],
        roles=["learner"],
        job_role="sales",
        reason="Joined Other Partner",
    )
    # then: a new onboarding from today; what they did is done, Other Partner's deal is awaited
    assert _mine(onboarding, "manager") == (
        Status.ON_TRACK,
        [Status.DONE, Status.DONE, Status.NOT_STARTED],
    )
    (entry,) = onboarding_for_person(world.actor("manager"))
    assert [m.done for m in entry.phases[2].milestones] == [True, False]
    assert entry.organization_name == "Other Partner"


def test_a_program_relative_to_the_organization_counts_from_its_join_date(
    onboarding: Onboarding,
) -> None:
    # given: the learner joined today; Reseller Paris joined 20 days ago
    world = onboarding.world
    reseller = world.orgs["reseller"]
    PartnerOrganization.objects.filter(pk=reseller.pk).update(
        joined_on=timezone.localdate() - timedelta(days=20)
    )
    program_update(
        actor=world.actor("vendor_admin"), program=onboarding.program, relative_to="organization"
    )
    # when / then
    (entry,) = onboarding_for_person(world.actor("learner"))
    assert entry.anchor_on == timezone.localdate() - timedelta(days=20)
    assert [p.status for p in entry.phases] == [Status.LATE, Status.ON_TRACK, NS]
    # an organization without a join date falls back to the person's
    assert _mine(onboarding, "other_admin") == (Status.ON_TRACK, [Status.ON_TRACK, NS, NS])


def test_nobody_is_measured_from_before_the_program_started(studio: Studio) -> None:
    # given: the learner joined three years ago, the program starts today
    onboarding = build_onboarding(studio, effective_from=timezone.localdate())
    onboarding.joined("learner", 3 * 365)
    # when / then
    assert _mine(onboarding, "learner") == (Status.ON_TRACK, [Status.ON_TRACK, NS, NS])


def test_inactive_programs_and_vendor_staff_show_no_onboarding(onboarding: Onboarding) -> None:
    world = onboarding.world
    assert onboarding_for_person(world.actor("vendor_admin")) == []
    program_update(actor=world.actor("vendor_admin"), program=onboarding.program, active=False)
    assert onboarding_for_person(world.actor("learner")) == []


def test_phase_status_boundaries() -> None:
    start, due = date(2026, 1, 1), date(2026, 1, 31)  # a 30-day window: at risk under 10 left

    def at(day: date, complete: bool = False) -> Status:
        return phase_status(starts_on=start, due_on=due, complete=complete, today=day)

    assert at(date(2025, 12, 31)) == Status.NOT_STARTED
    assert at(start) == Status.ON_TRACK
    assert at(date(2026, 1, 21)) == Status.ON_TRACK  # 10 days left
    assert at(date(2026, 1, 22)) == Status.AT_RISK  # 9 days left
    assert at(due) == Status.AT_RISK
    assert at(date(2026, 2, 1)) == Status.LATE
    assert at(date(2026, 2, 1), complete=True) == Status.DONE
    assert at(date(2025, 12, 1), complete=True) == Status.DONE


# --- who reads whose status, and roll-ups ------------------------------------------------------


def test_partner_managers_read_their_people_and_learners_themselves(
    onboarding: Onboarding,
) -> None:
    world = onboarding.world

    def seen(name: str) -> set[str]:
        people = list(onboarding_people_queryset(world.actor(name)))
        return {e.email for e in onboarding_people(world.actor(name), people)}

    assert seen("manager") == {
        "manager@partner.example",
        "partner_admin@partner.example",
        "learner@partner.example",
    }
    assert seen("other_admin") == {"other_admin@partner.example"}
    assert seen("learner") == {"learner@partner.example"}
    assert (
        onboarding_person_detail(world.actor("other_admin"), world.memberships["learner"].pk)
        is None
    )
    detail = onboarding_person_detail(world.actor("manager"), world.memberships["learner"].pk)
    assert detail is not None
    assert detail[1][0].phases[0].name == "Week 1: foundations"


def test_the_organization_roll_up_counts_people_by_status(onboarding: Onboarding) -> None:
    # given: dist: the manager late, the partner admin at risk; reseller: the learner on track;
    # other: done except its deal... late at 100 days
    world = onboarding.world
    onboarding.joined("manager", 8)
    onboarding.joined("partner_admin", 5)
    onboarding.joined("other_admin", 100)
    organizations = list(PartnerOrganization.objects.order_by("name"))
    # when
    rollup = onboarding_by_organization(
        world.actor("vendor_admin"), onboarding.program, organizations
    )
    # then
    assert [
        (r.organization_name, r.people, r.count("on_track"), r.count("at_risk"), r.count("late"))
        for r in rollup
    ] == [
        ("Distri Europe", 2, 0, 1, 1),
        ("Other Partner", 1, 0, 0, 1),
        ("Reseller Paris", 1, 1, 0, 0),
    ]


def test_organizations_sharing_aggregates_only_are_counted_but_their_people_hidden(
    onboarding: Onboarding,
) -> None:
    # given
    world = onboarding.world
    PartnerOrganization.objects.filter(pk=world.orgs["other"].pk).update(
        vendor_data_access="aggregates"
    )
    vendor = world.actor("vendor_admin")
    # when
    people = {m.person.email for m in onboarding_people_queryset(vendor)}
    rollup = onboarding_by_organization(
        vendor, onboarding.program, [PartnerOrganization.objects.get(pk=world.orgs["other"].pk)]
    )
    # then
    assert "other_admin@partner.example" not in people
    assert [(r.organization_name, r.people) for r in rollup] == [("Other Partner", 1)]


def test_status_by_membership_for_the_team_page(onboarding: Onboarding) -> None:
    world = onboarding.world
    onboarding.joined("learner", 8)
    ids = [world.memberships[n].pk for n in ("learner", "manager", "other_admin")]
    # other_admin is not the manager's: left out
    assert onboarding_status_by_membership(world.actor("manager"), ids) == {
        world.memberships["learner"].pk: Status.LATE,
        world.memberships["manager"].pk: Status.ON_TRACK,
    }


def test_status_costs_the_same_queries_for_few_or_many_people(onboarding: Onboarding) -> None:
    # given
    world = onboarding.world
    vendor = world.actor("vendor_admin")
    organizations = list(PartnerOrganization.objects.order_by("name"))

    def read() -> None:
        people = list(onboarding_people_queryset(vendor))
        onboarding_people(vendor, people)
        onboarding_by_organization(vendor, onboarding.program, organizations)

    with CaptureQueriesContext(connection) as few:
        read()
    for index in range(25):
        make_member(world, f"extra{index}", world.tenant, world.orgs["dist"], ["learner"])
        onboarding.complete(f"extra{index}", onboarding.foundations)
        onboarding.event("pitch_delivered", f"pitch-extra{index}", person=f"extra{index}")
    # when
    with CaptureQueriesContext(connection) as many:
        read()
    # then
    assert len(many) == len(few)
    # the people, the programs (3), who is in the audience (3), completions and events; twice
    assert len(few) <= 20
