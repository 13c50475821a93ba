"""Onboarding programs: who writes them, what bad input is refused (nothing written), how
starting onboarding gives the learning milestones' items once, and business events recorded
once per PRM id."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from cascade.events.models import OutboxEvent
from cascade.events.services import event_record
from cascade.identity.services.memberships import membership_move
from cascade.learning.models import Enrollment, EnrollmentSource, EnrollmentState
from cascade.learning.onboarding import (
    milestone_add,
    onboarding_start,
    phase_add,
    phase_update,
    program_create,
    program_update,
)
from cascade.learning.onboarding_events import business_event_record
from cascade.learning.onboarding_models import (
    BusinessEventRecord,
    OnboardingAssignment,
    OnboardingMilestone,
    OnboardingPhase,
    OnboardingProgram,
)
from tests.catalog.conftest import Studio
from tests.conftest import make_member
from tests.learning.onboarding_scene import build_onboarding

PARTNER_PEOPLE = {
    "learner@partner.example",
    "manager@partner.example",
    "partner_admin@partner.example",
    "other_admin@partner.example",
}


def _rows() -> tuple[int, ...]:
    return (
        OnboardingProgram.objects.count(),
        OnboardingPhase.objects.count(),
        OnboardingMilestone.objects.count(),
        BusinessEventRecord.objects.count(),
        Enrollment.objects.count(),
    )


def test_a_learning_milestone_is_given_to_everyone_in_the_audience_due_at_its_phase_end(
    studio: Studio,
) -> None:
    # given / when
    onboarding = build_onboarding(studio)
    # then: every partner person holds the three items, due at the end of each phase
    today = timezone.localdate()
    enrollments = Enrollment.objects.select_related("person")
    assert {e.person.email for e in enrollments} == PARTNER_PEOPLE
    due = {
        (e.item_id, e.due_on, e.source, e.required)
        for e in enrollments.filter(person=onboarding.world.people["learner"])
    }
    assert due == {
        (onboarding.foundations.pk, today + timedelta(days=7), EnrollmentSource.VENDOR, True),
        (onboarding.pitch.pk, today + timedelta(days=30), EnrollmentSource.VENDOR, True),
        (onboarding.certification.pk, today + timedelta(days=90), EnrollmentSource.VENDOR, True),
    }
    assert OnboardingAssignment.objects.count() == 12


def test_starting_again_gives_nothing_twice_even_after_a_withdrawal(studio: Studio) -> None:
    # given
    onboarding = build_onboarding(studio)
    Enrollment.objects.update(state=EnrollmentState.WITHDRAWN)
    # when
    written = onboarding_start(tenant=onboarding.world.tenant, program=onboarding.program)
    # then
    assert written == 0
    assert Enrollment.objects.count() == 12


def test_people_who_completed_the_item_before_are_not_given_it_again(studio: Studio) -> None:
    # given: the learner completed the foundations before the program had it
    world = studio.world
    foundations = studio.published(title="Platform foundations", audience=studio.everyone)
    Enrollment.objects.create(
        tenant=world.tenant,
        person=world.people["learner"],
        item=foundations,
        source=EnrollmentSource.SELF,
        state=EnrollmentState.COMPLETED,
        completed_at=timezone.now() - timedelta(days=400),
    )
    admin = world.actor("vendor_admin")
    program = program_create(actor=admin, name="Onboarding", audience_id=studio.everyone.pk)
    phase = phase_add(
        actor=admin, program=program, name="Week 1", starts_after_days=0, due_after_days=7
    )
    # when
    milestone_add(actor=admin, phase=phase, kind="learning", item_id=foundations.pk)
    # then
    learner = Enrollment.objects.filter(person=world.people["learner"])
    assert list(learner.values_list("state", flat=True)) == ["completed"]
    assert Enrollment.objects.filter(state="assigned").count() == 3


def test_people_who_joined_before_the_program_are_measured_from_its_start(
    studio: Studio,
) -> None:
    # given: the learner joined three years ago; the program starts today
    world = studio.world
    membership = world.memberships["learner"]
    membership.started_on = timezone.localdate() - timedelta(days=3 * 365)
    membership.save()
    # when
    onboarding = build_onboarding(studio, effective_from=timezone.localdate())
    # then
    due = Enrollment.objects.get(person=world.people["learner"], item=onboarding.foundations)
    assert due.due_on == timezone.localdate() + timedelta(days=7)


def test_a_due_date_already_past_becomes_the_phase_length_from_today(studio: Studio) -> None:
    # given: the program started long ago and the learner joined 50 days ago; a milestone is
    # added now to the first week
    world = studio.world
    membership = world.memberships["learner"]
    membership.started_on = timezone.localdate() - timedelta(days=50)
    membership.save()
    onboarding = build_onboarding(studio)
    extra = studio.published(title="Security basics", audience=studio.everyone)
    # when
    milestone_add(
        actor=world.actor("vendor_admin"),
        phase=onboarding.week1,
        kind="learning",
        item_id=extra.pk,
    )
    # then
    enrollment = Enrollment.objects.get(person=world.people["learner"], item=extra)
    assert enrollment.due_on == timezone.localdate() + timedelta(days=7)


def test_items_a_person_cannot_see_are_not_given_to_them(studio: Studio) -> None:
    # given: a Gold-only item (dist is Gold; reseller and other are Silver)
    world = studio.world
    admin = world.actor("vendor_admin")
    gold_item = studio.published(title="Gold pricing", audience=studio.gold)
    program = program_create(actor=admin, name="Onboarding", audience_id=studio.everyone.pk)
    phase = phase_add(
        actor=admin, program=program, name="Week 1", starts_after_days=0, due_after_days=7
    )
    # when
    milestone_add(actor=admin, phase=phase, kind="learning", item_id=gold_item.pk)
    # then
    assert {e.person.email for e in Enrollment.objects.select_related("person")} == {
        "manager@partner.example",
        "partner_admin@partner.example",
    }


def test_a_newcomer_starts_onboarding_at_once(studio: Studio, commit: Any) -> None:
    # given
    onboarding = build_onboarding(studio)
    world = onboarding.world
    # when
    with commit():
        make_member(world, "newcomer", world.tenant, world.orgs["reseller"], ["learner"])
        event_record(
            tenant=world.tenant,
            name="membership.started",
            payload={
                "membership_id": world.memberships["newcomer"].pk,
                "person_id": world.people["newcomer"].pk,
                "organization_id": world.orgs["reseller"].pk,
            },
        )
    # then
    assert Enrollment.objects.filter(person=world.people["newcomer"]).count() == 3


def test_a_person_moving_in_keeps_what_they_had_and_gets_nothing_twice(
    studio: Studio, commit: Any
) -> None:
    # given
    onboarding = build_onboarding(studio)
    world = onboarding.world
    # when
    with commit():
        membership_move(
            actor=world.actor("vendor_admin"),
            person=world.people["other_admin"],
            to_organization=world.orgs["dist"],
            roles=["learner"],
            job_role="sales",
            reason="Joined Distri Europe",
        )
    # then
    assert Enrollment.objects.filter(person=world.people["other_admin"]).count() == 3


@pytest.mark.parametrize("who", ["partner_admin", "manager", "learner"])
def test_only_program_admins_write_programs(studio: Studio, who: str) -> None:
    # given
    before = _rows()
    # when / then
    with pytest.raises(PermissionDenied):
        program_create(actor=studio.world.actor(who), name="Mine", audience_id=studio.everyone.pk)
    assert _rows() == before


def test_bad_programs_phases_and_milestones_are_refused_and_nothing_is_written(
    studio: Studio,
) -> None:
    # given
    onboarding = build_onboarding(studio)
    admin = onboarding.world.actor("vendor_admin")
    draft = studio.draft(title="Draft", audience=studio.everyone)
    before = _rows()
    # when / then
    cases: list[tuple[Any, str]] = [
        (
            lambda: program_create(actor=admin, name=" ", audience_id=studio.everyone.pk),
            "invalid_name",
        ),
        (lambda: program_create(actor=admin, name="X", audience_id=10**9), "unknown_reference"),
        (
            lambda: program_create(
                actor=admin, name="X", audience_id=studio.everyone.pk, relative_to="moon"
            ),
            "invalid_choice",
        ),
        (
            lambda: phase_add(
                actor=admin,
                program=onboarding.program,
                name="P",
                starts_after_days=10,
                due_after_days=10,
            ),
            "due_before_start",
        ),
        (
            lambda: phase_add(
                actor=admin,
                program=onboarding.program,
                name="P",
                starts_after_days=0,
                due_after_days=99_999,
            ),
            "out_of_range",
        ),
        (
            lambda: milestone_add(
                actor=admin, phase=onboarding.week1, kind="learning", item_id=draft.pk
            ),
            "unknown_reference",
        ),
        (lambda: milestone_add(actor=admin, phase=onboarding.week1, kind="learning"), "required"),
        (
            lambda: milestone_add(
                actor=admin,
                phase=onboarding.week1,
                kind="business_event",
                event_key="Deal Registered!",
            ),
            "invalid_event_key",
        ),
        (
            lambda: milestone_add(
                actor=admin,
                phase=onboarding.week1,
                kind="business_event",
                event_key="deal",
                item_id=onboarding.pitch.pk,
            ),
            "conflicting",
        ),
        (
            lambda: milestone_add(actor=admin, phase=onboarding.week1, kind="party"),
            "invalid_choice",
        ),
    ]
    codes = []
    for call, _ in cases:
        with pytest.raises(ValidationFailed) as refused:
            call()
        codes.append(refused.value.code)
    assert codes == [code for _, code in cases]
    with pytest.raises(Conflict):
        program_create(actor=admin, name="New partner onboarding", audience_id=studio.everyone.pk)
    assert _rows() == before


def test_editing_a_phase_and_reactivating_a_program(studio: Studio) -> None:
    # given
    onboarding = build_onboarding(studio)
    admin = onboarding.world.actor("vendor_admin")
    program_update(actor=admin, program=onboarding.program, active=False)
    Enrollment.objects.all().delete()
    OnboardingAssignment.objects.all().delete()
    # when
    phase = phase_update(
        actor=admin,
        phase=onboarding.week1,
        name="Week 1: basics",
        starts_after_days=0,
        due_after_days=10,
    )
    program = program_update(actor=admin, program=onboarding.program, active=True)
    # then
    assert (phase.name, phase.due_after_days, program.active) == ("Week 1: basics", 10, True)
    assert Enrollment.objects.count() == 12
    assert Enrollment.objects.filter(item=onboarding.foundations).first().due_on == (  # type: ignore[union-attr]
        timezone.localdate() + timedelta(days=10)
    )


# --- business events --------------------------------------------------------------------------


def test_a_business_event_reported_twice_is_recorded_once(studio: Studio) -> None:
    # given
    world = studio.world
    admin = world.actor("vendor_admin")
    report = {
        "key": "deal_registered",
        "source": "prm",
        "external_id": "deal-0001",
        "occurred_at": timezone.now() - timedelta(hours=2),
        "organization_id": world.orgs["dist"].pk,
        "person_id": world.people["manager"].pk,
    }
    # when
    first = business_event_record(actor=admin, **report)
    again = business_event_record(actor=admin, **report)
    # then
    assert (first.created, again.created, again.record.pk) == (True, False, first.record.pk)
    assert BusinessEventRecord.objects.count() == 1
    assert OutboxEvent.objects.filter(name="onboarding.business_event").count() == 1


def test_the_same_external_id_for_another_event_is_a_conflict(studio: Studio) -> None:
    # given
    world = studio.world
    admin = world.actor("vendor_admin")
    business_event_record(
        actor=admin,
        key="deal_registered",
        source="prm",
        external_id="x-1",
        occurred_at=timezone.now(),
        organization_id=world.orgs["dist"].pk,
    )
    # when / then
    with pytest.raises(Conflict) as refused:
        business_event_record(
            actor=admin,
            key="deal_registered",
            source="prm",
            external_id="x-1",
            occurred_at=timezone.now(),
            organization_id=world.orgs["other"].pk,
        )
    assert refused.value.code == "external_id_reused"
    # the same id from another source is another event
    business_event_record(
        actor=admin,
        key="deal_registered",
        source="crm",
        external_id="x-1",
        occurred_at=timezone.now(),
        organization_id=world.orgs["other"].pk,
    )
    assert BusinessEventRecord.objects.count() == 2


def test_bad_business_events_are_refused_and_nothing_is_written(studio: Studio) -> None:
    # given
    world = studio.world
    admin = world.actor("vendor_admin")
    now = timezone.now()
    before = _rows()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"person_id": None, "organization_id": None}, "required"),
        ({"person_id": 10**9}, "unknown_reference"),
        ({"organization_id": world.orgs["b_org"].pk}, "unknown_reference"),
        ({"occurred_at": now + timedelta(days=3)}, "in_future"),
        ({"occurred_at": now.replace(tzinfo=None)}, "naive_time"),
        ({"key": "DEAL REGISTERED"}, "invalid_event_key"),
        ({"external_id": " "}, "invalid_external_id"),
    ]
    codes = []
    # when
    for change, _ in cases:
        report: dict[str, Any] = {
            "key": "deal_registered",
            "source": "prm",
            "external_id": "deal-1",
            "occurred_at": now,
            "person_id": world.people["learner"].pk,
            "organization_id": None,
            **change,
        }
        with pytest.raises(ValidationFailed) as refused:
            business_event_record(actor=admin, **report)
        codes.append(refused.value.code)
    # then
    assert codes == [code for _, code in cases]
    with pytest.raises(PermissionDenied):
        business_event_record(
            actor=world.actor("partner_admin"),
            key="deal_registered",
            source="prm",
            external_id="deal-1",
            occurred_at=now,
            organization_id=world.orgs["dist"].pk,
        )
    assert _rows() == before


def test_the_daily_sweep_starts_people_who_came_to_match(studio: Studio) -> None:
    # given: the program reaches Gold partners only; Other Partner (Silver) becomes Gold
    world = studio.world
    admin = world.actor("vendor_admin")
    lesson = studio.published(title="Platform foundations", audience=studio.everyone)
    program = program_create(actor=admin, name="Gold onboarding", audience_id=studio.gold.pk)
    phase = phase_add(
        actor=admin, program=program, name="Week 1", starts_after_days=0, due_after_days=7
    )
    milestone_add(actor=admin, phase=phase, kind="learning", item_id=lesson.pk)
    assert Enrollment.objects.count() == 2  # dist's two people
    other = world.orgs["other"]
    other.tier = world.structure["gold"]
    other.save()
    # when
    call_command("start_onboarding", stdout=StringIO())
    call_command("start_onboarding", stdout=StringIO())
    # then
    assert Enrollment.objects.filter(person=world.people["other_admin"]).count() == 1
    assert Enrollment.objects.count() == 3
