from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from cascade.core.errors import ValidationFailed
from cascade.core.scoping import tenant_scope
from cascade.identity.models import Membership
from cascade.notifications.models import Notification
from cascade.notifications.selectors import notification_preferences, notification_unread_count
from cascade.notifications.services import (
    notification_mark_read,
    notification_preference_set,
    notification_send,
)
from tests.conftest import World


def _send(world: World, name: str = "learner") -> list[Notification]:
    return notification_send(
        tenant=world.tenant,
        people=[world.people[name]],
        kind="membership.ended",
        title="Your membership ended",
        body="Details",
        url="http://a.test/",
    )


def test_notification_goes_to_inbox_and_email_by_default(world: World, commit: Any) -> None:
    with commit():
        created = _send(world)
    assert [n.title for n in created] == ["Your membership ended"]
    assert mail.outbox[0].subject == "[Northwind Networks] Your membership ended"
    assert mail.outbox[0].body == "Details\n\nhttp://a.test/\n"
    created[0].refresh_from_db()
    assert created[0].emailed_at is not None


def test_preferences_turn_channels_off(world: World, commit: Any) -> None:
    person = world.people["learner"]
    notification_preference_set(
        tenant=world.tenant, person=person, kind="membership.ended", in_app=False, email=False
    )
    with commit():
        assert _send(world) == []
    assert mail.outbox == []
    rows = {r["kind"]: r for r in notification_preferences(person=person)}
    assert rows["membership.ended"]["in_app"] is False
    assert rows["registration.pending"]["email"] is True


def test_email_only_preference_sends_mail_without_inbox_entry(world: World, commit: Any) -> None:
    notification_preference_set(
        tenant=world.tenant,
        person=world.people["learner"],
        kind="membership.ended",
        in_app=False,
        email=True,
    )
    with commit():
        _send(world)
    assert Notification.objects.count() == 0
    assert len(mail.outbox) == 1


def test_unknown_kind_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed):
        notification_preference_set(
            tenant=world.tenant,
            person=world.people["learner"],
            kind="nope",
            in_app=True,
            email=True,
        )


def test_mark_read_only_touches_own_notifications(world: World) -> None:
    _send(world, "learner")
    _send(world, "manager")
    assert notification_unread_count(person=world.people["learner"]) == 1
    assert notification_mark_read(person=world.people["learner"]) == 1
    assert notification_unread_count(person=world.people["learner"]) == 0
    assert notification_unread_count(person=world.people["manager"]) == 1


def test_the_cached_unread_count_follows_new_and_read_notifications(world: World) -> None:
    # Every page shows the count and it is cached: sending and reading forget it at once.
    learner = world.people["learner"]
    assert notification_unread_count(person=learner) == 0
    created = _send(world) + _send(world)
    assert notification_unread_count(person=learner) == 2
    notification_mark_read(person=learner, notification_ids=[created[0].pk])
    assert notification_unread_count(person=learner) == 1
    notification_mark_read(person=learner)
    assert notification_unread_count(person=learner) == 0


def test_the_cached_count_is_per_program(world: World) -> None:
    # One person may belong to two vendors' programs: each has its own inbox and its own count.
    learner = world.people["learner"]
    _send(world)
    assert notification_unread_count(person=learner) == 1
    with tenant_scope(world.other_tenant):
        Membership.objects.create(tenant=world.other_tenant, person=learner, roles="learner")
        assert notification_unread_count(person=learner) == 0
    assert notification_unread_count(person=learner) == 1
