"""Due-date reminders: the person a week before and once when late; their managers a digest."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from cascade.learning.models import Enrollment
from cascade.learning.reminders import due_reminders_send
from cascade.learning.services import assign
from cascade.notifications.models import Notification
from tests.catalog.conftest import Studio


def _titles(studio: Studio, person: str, kind: str) -> list[str]:
    return list(
        Notification.objects.filter(person=studio.world.people[person], kind=kind).values_list(
            "title", flat=True
        )
    )


def test_the_person_hears_before_and_after_and_managers_get_a_digest(studio: Studio) -> None:
    world = studio.world
    today = timezone.localdate()
    lesson = studio.published(title="Edge basics", audience=studio.everyone)
    due = today + timedelta(days=5)
    [enrollment] = assign(
        actor=world.actor("partner_admin"),
        item_id=lesson.pk,
        membership_ids=[world.memberships["manager"].pk],
        due_on=due,
    ).created
    # a week before: the person is told, once
    assert due_reminders_send(tenant=world.tenant, today=today)["due_soon"] == 1
    assert due_reminders_send(tenant=world.tenant, today=today)["due_soon"] == 0
    assert _titles(studio, "manager", "learning.due_soon") == [f"Due on {due}: Edge basics"]
    # after the date: the person once, and the organization's managers and admins a digest
    late_day = due + timedelta(days=1)
    sent = due_reminders_send(tenant=world.tenant, today=late_day)
    assert sent["overdue"] == 1
    assert enrollment.is_overdue(late_day)
    assert _titles(studio, "manager", "learning.overdue") == ["Overdue: Edge basics"]
    assert _titles(studio, "partner_admin", "learning.team_overdue") == [
        "1 person has overdue learning"
    ]
    assert due_reminders_send(tenant=world.tenant, today=late_day)["overdue"] == 0


def test_completed_recommended_or_undated_learning_is_not_chased(studio: Studio) -> None:
    world = studio.world
    today = timezone.localdate()
    lesson = studio.published(title="Edge basics", audience=studio.everyone)
    assign(
        actor=world.actor("partner_admin"),
        item_id=lesson.pk,
        membership_ids=[world.memberships["manager"].pk],
        required=False,
        due_on=today + timedelta(days=2),
    )
    Enrollment.objects.update(due_on=today - timedelta(days=3))
    sent = due_reminders_send(tenant=world.tenant, today=today)
    assert sent == {"due_soon": 0, "overdue": 0, "manager_digests": 0}
    call_command("send_due_reminders")
    assert not Notification.objects.filter(kind__startswith="learning.").exists()
