"""Review-by reminders: owners hear once as the date nears and once when it has passed."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management import call_command

from cascade.catalog.items import item_update
from cascade.catalog.reminders import review_reminders_send
from cascade.notifications.models import Notification
from tests.catalog.conftest import Studio

TODAY = date(2026, 11, 29)


def _reminders(studio: Studio, person: str) -> list[str]:
    return list(
        Notification.objects.filter(
            person=studio.world.people[person], kind="catalog.review_due"
        ).values_list("title", flat=True)
    )


def test_owners_are_reminded_when_the_date_nears_then_when_it_passes(studio: Studio) -> None:
    # given: the owning team's member and the creator own the item; a partner person does not
    item = studio.published(title="Edge basics")
    item_update(actor=studio.world.actor("author"), item=item, review_by=TODAY + timedelta(days=10))
    # when
    assert review_reminders_send(tenant=studio.world.tenant, today=TODAY) == 1
    assert review_reminders_send(tenant=studio.world.tenant, today=TODAY) == 0
    # then
    expected = [f"Review due on {TODAY + timedelta(days=10)}: Edge basics"]
    assert _reminders(studio, "product_reviewer") == expected
    assert _reminders(studio, "author") == expected
    assert _reminders(studio, "reviewer") == []
    # when the date has passed: one more reminder, once
    later = TODAY + timedelta(days=11)
    assert review_reminders_send(tenant=studio.world.tenant, today=later) == 1
    assert review_reminders_send(tenant=studio.world.tenant, today=later) == 0
    assert sorted(_reminders(studio, "author")) == sorted(
        [*expected, "Review overdue: Edge basics"]
    )


def test_far_dates_and_retired_items_are_left_alone(studio: Studio) -> None:
    item = studio.published(title="Edge basics")
    item_update(actor=studio.world.actor("author"), item=item, review_by=TODAY + timedelta(days=60))
    assert review_reminders_send(tenant=studio.world.tenant, today=TODAY) == 0


def test_a_new_review_by_date_starts_over(studio: Studio) -> None:
    item = studio.published(title="Edge basics")
    author = studio.world.actor("author")
    item_update(actor=author, item=item, review_by=TODAY + timedelta(days=3))
    review_reminders_send(tenant=studio.world.tenant, today=TODAY)
    item_update(actor=author, item=item, review_by=TODAY + timedelta(days=5))
    assert review_reminders_send(tenant=studio.world.tenant, today=TODAY) == 1


def test_the_command_sweeps_every_tenant(studio: Studio) -> None:
    item = studio.published(title="Edge basics")
    item_update(actor=studio.world.actor("author"), item=item, review_by=date.today())
    call_command("send_review_reminders")
    assert len(_reminders(studio, "author")) == 1
