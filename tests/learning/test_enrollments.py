"""Enrolling oneself and assigning learning to one's people: who may, what, and that a refused
assignment writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cascade.access.actor import system_actor
from cascade.core.errors import NotFound, PermissionDenied, ValidationFailed
from cascade.events.models import OutboxEvent
from cascade.identity.services.memberships import membership_move
from cascade.learning.models import Enrollment, EnrollmentSource, EnrollmentState
from cascade.learning.rules import rule_create
from cascade.learning.services import (
    assign,
    enroll_self,
    enrollment_complete,
    enrollment_start,
    withdraw,
)
from tests.catalog.conftest import Studio


def test_a_learner_enrolls_in_an_item_they_see_once(studio: Studio) -> None:
    lesson = studio.published(title="Open lesson", audience=studio.everyone)
    learner = studio.world.actor("learner")
    first = enroll_self(actor=learner, item_id=lesson.pk)
    again = enroll_self(actor=learner, item_id=lesson.pk)
    assert first.pk == again.pk
    assert (first.source, first.state) == (EnrollmentSource.SELF, EnrollmentState.ASSIGNED)
    assert OutboxEvent.objects.filter(name="learning.enrolled").count() == 1


def test_nobody_enrolls_in_an_item_they_cannot_see(studio: Studio) -> None:
    gold = studio.published(title="Gold lesson")  # the learner's organization is Silver
    with pytest.raises(NotFound):
        enroll_self(actor=studio.world.actor("learner"), item_id=gold.pk)
    assert not Enrollment.objects.exists()


def test_a_manager_assigns_to_their_people_with_a_due_date(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Gold lesson")
    due = timezone.localdate() + timedelta(days=30)
    result = assign(
        actor=world.actor("manager"),
        item_id=lesson.pk,
        membership_ids=[world.memberships["partner_admin"].pk],
        due_on=due,
    )
    [enrollment] = result.created
    assert enrollment.person == world.people["partner_admin"]
    assert (enrollment.required, enrollment.due_on) == (True, due)
    assert enrollment.assigning_organization == world.orgs["dist"]
    assert OutboxEvent.objects.filter(name="learning.assigned").count() == 1


def test_people_already_enrolled_keep_their_enrollment(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Gold lesson")
    own = enroll_self(actor=world.actor("partner_admin"), item_id=lesson.pk)
    result = assign(
        actor=world.actor("manager"),
        item_id=lesson.pk,
        membership_ids=[world.memberships["partner_admin"].pk],
    )
    assert result.created == []
    assert result.already_enrolled == [world.people["partner_admin"].pk]
    assert Enrollment.objects.get().pk == own.pk


def test_a_child_organizations_people_only_when_it_allows_its_parent(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Open lesson", audience=studio.everyone)
    learner = world.memberships["learner"]  # at Reseller Paris, below Distri Europe
    with pytest.raises(ValidationFailed) as error:
        assign(actor=world.actor("manager"), item_id=lesson.pk, membership_ids=[learner.pk])
    assert error.value.code == "not_assignable"
    assert not Enrollment.objects.exists()
    reseller = world.orgs["reseller"]
    reseller.allow_parent_assignment = True
    reseller.save()
    result = assign(actor=world.actor("manager"), item_id=lesson.pk, membership_ids=[learner.pk])
    assert len(result.created) == 1


def test_people_of_other_organizations_are_refused_and_nothing_is_written(
    studio: Studio,
) -> None:
    world = studio.world
    lesson = studio.published(title="Open lesson", audience=studio.everyone)
    with pytest.raises(ValidationFailed) as error:
        assign(
            actor=world.actor("manager"),
            item_id=lesson.pk,
            membership_ids=[
                world.memberships["partner_admin"].pk,
                world.memberships["other_admin"].pk,
            ],
        )
    assert error.value.code == "not_assignable"
    assert not Enrollment.objects.exists()


def test_an_item_one_assignee_cannot_see_is_refused_for_all(studio: Studio) -> None:
    world = studio.world
    reseller = world.orgs["reseller"]
    reseller.allow_parent_assignment = True
    reseller.save()
    gold = studio.published(title="Gold lesson")  # Reseller Paris is Silver
    with pytest.raises(ValidationFailed) as error:
        assign(
            actor=world.actor("manager"),
            item_id=gold.pk,
            membership_ids=[
                world.memberships["partner_admin"].pk,
                world.memberships["learner"].pk,
            ],
        )
    assert error.value.code == "item_not_visible_to_assignee"
    assert not Enrollment.objects.exists()


def test_bad_assignments_are_refused(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Gold lesson")
    manager = world.actor("manager")
    target = [world.memberships["partner_admin"].pk]
    with pytest.raises(ValidationFailed) as error:
        assign(
            actor=manager,
            item_id=lesson.pk,
            membership_ids=target,
            due_on=timezone.localdate() - timedelta(days=1),
        )
    assert error.value.code == "due_in_past"
    with pytest.raises(ValidationFailed):
        assign(actor=manager, item_id=lesson.pk, membership_ids=[])
    with pytest.raises(PermissionDenied):
        assign(actor=world.actor("learner"), item_id=lesson.pk, membership_ids=target)
    assert not Enrollment.objects.exists()


def test_learners_withdraw_what_they_chose_managers_what_they_assigned(studio: Studio) -> None:
    world = studio.world
    reseller = world.orgs["reseller"]
    reseller.allow_parent_assignment = True
    reseller.save()
    lesson = studio.published(title="Open lesson", audience=studio.everyone)
    chosen = enroll_self(actor=world.actor("manager"), item_id=lesson.pk)
    withdrawn = withdraw(actor=world.actor("manager"), enrollment=chosen, reason="Not now")
    assert withdrawn.state == EnrollmentState.WITHDRAWN
    assert withdrawn.closed_at is not None
    [assigned] = assign(
        actor=world.actor("manager"),
        item_id=lesson.pk,
        membership_ids=[world.memberships["learner"].pk],
    ).created
    # the learner cannot drop required learning assigned to them
    with pytest.raises(PermissionDenied):
        withdraw(actor=world.actor("learner"), enrollment=assigned, reason="Too busy")
    # a manager of the assigning organization can, saying why
    with pytest.raises(ValidationFailed):
        withdraw(actor=world.actor("partner_admin"), enrollment=assigned, reason=" ")
    withdraw(actor=world.actor("partner_admin"), enrollment=assigned, reason="Wrong course")
    assigned.refresh_from_db()
    assert (assigned.state, assigned.close_reason) == (EnrollmentState.WITHDRAWN, "Wrong course")
    # and a closed enrollment stays closed
    from cascade.core.errors import Conflict

    with pytest.raises(Conflict):
        withdraw(actor=world.actor("partner_admin"), enrollment=assigned, reason="Again")


def test_moving_to_another_partner_closes_that_partners_assignments_only(
    studio: Studio, commit: Any
) -> None:
    # given: the partner admin holds an assignment from their organization and chose another
    world = studio.world
    assigned_lesson = studio.published(title="Assigned lesson", audience=studio.everyone)
    chosen_lesson = studio.published(title="Chosen lesson", audience=studio.everyone)
    [assigned] = assign(
        actor=world.actor("manager"),
        item_id=assigned_lesson.pk,
        membership_ids=[world.memberships["partner_admin"].pk],
    ).created
    chosen = enroll_self(actor=world.actor("partner_admin"), item_id=chosen_lesson.pk)
    # when they move to another partner organization
    with commit():
        membership_move(
            actor=world.actor("vendor_admin"),
            person=world.people["partner_admin"],
            to_organization=world.orgs["other"],
            roles=["learner"],
            job_role="sales",
            reason="Joined Other Partner",
        )
    # then
    assigned.refresh_from_db()
    chosen.refresh_from_db()
    assert assigned.state == EnrollmentState.WITHDRAWN
    assert assigned.close_reason == "Left Distri Europe: assigned by its managers."
    assert chosen.state == EnrollmentState.ASSIGNED


def test_an_enrollment_starts_completes_and_a_retake_is_a_new_enrollment(
    studio: Studio,
) -> None:
    world = studio.world
    lesson = studio.published(title="Open lesson", audience=studio.everyone)
    learner = world.actor("learner")
    first = enroll_self(actor=learner, item_id=lesson.pk)
    started = enrollment_start(actor=learner, enrollment=first)
    assert started.state == EnrollmentState.IN_PROGRESS
    assert enrollment_start(actor=learner, enrollment=first).started_at == started.started_at
    done = enrollment_complete(actor=system_actor(world.tenant), enrollment=first)
    assert done.state == EnrollmentState.COMPLETED
    assert done.completed_at is not None
    # completed is history: it neither moves again nor blocks taking the item again
    from cascade.core.errors import Conflict

    with pytest.raises(Conflict):
        withdraw(actor=learner, enrollment=done, reason="Changed my mind")
    again = enroll_self(actor=learner, item_id=lesson.pk)
    assert again.pk != first.pk
    assert [e.state for e in Enrollment.objects.order_by("id")] == ["completed", "assigned"]
    assert OutboxEvent.objects.filter(name="learning.completed").count() == 1


def test_nobody_starts_someone_elses_enrollment(studio: Studio) -> None:
    lesson = studio.published(title="Open lesson", audience=studio.everyone)
    enrollment = enroll_self(actor=studio.world.actor("learner"), item_id=lesson.pk)
    with pytest.raises(NotFound):
        enrollment_start(actor=studio.world.actor("manager"), enrollment=enrollment)


def test_a_due_date_relative_to_joining_counts_from_each_persons_join_date(
    studio: Studio,
) -> None:
    world = studio.world
    lesson = studio.published(title="Gold lesson")
    today = timezone.localdate()
    member = world.memberships["partner_admin"]
    member.started_on = today - timedelta(days=10)
    member.save(update_fields=["started_on"])
    [enrollment] = assign(
        actor=world.actor("manager"),
        item_id=lesson.pk,
        membership_ids=[member.pk],
        due_days=30,
        due_from="joining",
    ).created
    assert enrollment.due_on == today + timedelta(days=20)


def test_a_relative_due_date_already_past_gives_the_days_from_today(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Gold lesson")
    today = timezone.localdate()
    member = world.memberships["partner_admin"]
    member.started_on = today - timedelta(days=400)
    member.save(update_fields=["started_on"])
    [enrollment] = assign(
        actor=world.actor("manager"),
        item_id=lesson.pk,
        membership_ids=[member.pk],
        due_days=30,
        due_from="joining",
    ).created
    assert enrollment.due_on == today + timedelta(days=30)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"due_days": 0}, "due_days"),
        ({"due_days": 10, "due_on": "future"}, "due_days"),
        ({"due_days": 10, "due_from": "birthday"}, "due_from"),
    ],
)
def test_bad_relative_due_dates_are_refused_and_write_nothing(
    studio: Studio, extra: dict[str, Any], field: str
) -> None:
    world = studio.world
    lesson = studio.published(title="Gold lesson")
    if extra.get("due_on") == "future":
        extra = {**extra, "due_on": timezone.localdate() + timedelta(days=5)}
    with pytest.raises(ValidationFailed) as error:
        assign(
            actor=world.actor("manager"),
            item_id=lesson.pk,
            membership_ids=[world.memberships["partner_admin"].pk],
            **extra,
        )
    assert error.value.details[0]["field"] == field
    assert not Enrollment.objects.exists()


def test_program_admins_take_back_what_a_rule_gave_and_nobody_else_does(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Open lesson", audience=studio.everyone)
    rule_create(
        actor=world.actor("vendor_admin"), name="All", audience=studio.everyone, item_id=lesson.pk
    )
    given = Enrollment.objects.get(person=world.people["learner"])
    for name in ("learner", "manager"):
        with pytest.raises(PermissionDenied):
            withdraw(actor=world.actor(name), enrollment=given, reason="Not for us")
    withdraw(actor=world.actor("vendor_admin"), enrollment=given, reason="Wrong audience")
    given.refresh_from_db()
    assert (given.state, given.close_reason) == (EnrollmentState.WITHDRAWN, "Wrong audience")
