"""A partner manager reminds their people of their assigned learning: one notification each, one
insert for everyone, at most once a day per enrollment, never someone else's people."""

from __future__ import annotations

from typing import Any

import pytest

from cascade.audit.models import AuditEntry
from cascade.core.errors import PermissionDenied, ValidationFailed
from cascade.learning.models import EnrollmentSource, EnrollmentState
from cascade.learning.team_actions import team_remind
from cascade.notifications.models import Notification
from tests.catalog.conftest import Studio
from tests.learning.test_team import enroll


@pytest.fixture
def items(studio: Studio) -> dict[str, Any]:
    world = studio.world
    basics = studio.published(title="Portal basics", audience=studio.everyone)
    security = studio.published(title="Security essentials", audience=studio.everyone)
    enroll(world, "learner", basics, due_in=-2)
    enroll(world, "partner_admin", security, EnrollmentState.IN_PROGRESS, due_in=5)
    enroll(world, "manager", basics, EnrollmentState.COMPLETED)
    return {"basics": basics, "security": security}


def test_a_manager_reminds_people_with_open_assigned_learning(
    studio: Studio, items: Any, django_assert_max_num_queries: Any
) -> None:
    # given
    world = studio.world
    ids = [world.memberships[n].pk for n in ("learner", "partner_admin", "manager")]
    actor = world.actor("manager")
    # when: the manager has nothing open, so only two people are told, in one insert (six
    # queries and a savepoint, whatever the number of people)
    with django_assert_max_num_queries(8):
        result = team_remind(actor=actor, membership_ids=ids)
    # then
    assert result.reminded == sorted([world.people["learner"].pk, world.people["partner_admin"].pk])
    assert result.skipped == [world.people["manager"].pk]
    notifications = Notification.objects.filter(kind="learning.reminder").order_by("person_id")
    assert [(n.person_id, n.title, n.url) for n in notifications] == [
        (world.people["learner"].pk, "Reminder: learning assigned to you", "/"),
        (world.people["partner_admin"].pk, "Reminder: learning assigned to you", "/"),
    ]
    entry = AuditEntry.objects.get(action="learning.remind")
    assert entry.after is not None
    assert len(entry.after["enrollments"]) == 2


def test_reminders_of_one_item_name_it(studio: Studio, items: Any) -> None:
    world = studio.world
    result = team_remind(
        actor=world.actor("manager"),
        membership_ids=[world.memberships["learner"].pk, world.memberships["partner_admin"].pk],
        item_id=items["basics"].pk,
    )
    assert result.reminded == [world.people["learner"].pk]
    notification = Notification.objects.get(kind="learning.reminder")
    assert (notification.title, notification.url) == (
        "Reminder: Portal basics",
        f"/catalog/{items['basics'].pk}/",
    )
    assert notification.body == "Manager reminds you to complete “Portal basics”."


def test_nobody_is_reminded_twice_a_day_of_the_same_enrollment(studio: Studio, items: Any) -> None:
    # given: the learner was reminded by the manager this morning
    world = studio.world
    learner = world.memberships["learner"].pk
    team_remind(actor=world.actor("manager"), membership_ids=[learner])
    # when: the partner admin clicks too
    again = team_remind(actor=world.actor("partner_admin"), membership_ids=[learner])
    # then
    assert (again.reminded, again.skipped) == ([], [world.people["learner"].pk])
    assert Notification.objects.filter(kind="learning.reminder").count() == 1
    # but learning assigned since then is still worth a reminder
    enroll(world, "learner", items["security"])
    later = team_remind(actor=world.actor("partner_admin"), membership_ids=[learner])
    assert later.reminded == [world.people["learner"].pk]


def test_self_chosen_learning_is_not_chased(studio: Studio, items: Any) -> None:
    world = studio.world
    enrollment = enroll(world, "manager", items["security"])
    enrollment.source = EnrollmentSource.SELF
    enrollment.save()
    result = team_remind(
        actor=world.actor("partner_admin"), membership_ids=[world.memberships["manager"].pk]
    )
    assert result.reminded == []
    assert not Notification.objects.exists()


def test_people_of_another_organization_refuse_the_whole_reminder(
    studio: Studio, items: Any
) -> None:
    world = studio.world
    with pytest.raises(ValidationFailed) as error:
        team_remind(
            actor=world.actor("manager"),
            membership_ids=[world.memberships["learner"].pk, world.memberships["other_admin"].pk],
        )
    assert error.value.code == "not_remindable"
    assert not Notification.objects.exists()
    assert not AuditEntry.objects.filter(action="learning.remind").exists()


def test_learners_and_vendor_staff_do_not_remind(studio: Studio, items: Any) -> None:
    world = studio.world
    for name in ("learner", "vendor_admin"):
        with pytest.raises(PermissionDenied):
            team_remind(actor=world.actor(name), membership_ids=[world.memberships["learner"].pk])
    with pytest.raises(ValidationFailed):
        team_remind(actor=world.actor("manager"), membership_ids=[])
    assert not Notification.objects.exists()
