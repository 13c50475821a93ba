"""The outbox: events recorded with the change, delivered once per consumer, retried on failure."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from cascade.events import registry
from cascade.events.models import ConsumerReceipt, OutboxEvent
from cascade.events.services import (
    event_dispatch,
    event_record,
    events_record,
    outbox_dispatch_pending,
)
from tests.conftest import World


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, dict[str, Any]]]:
    """A consumer registered for "test.happened" that records its calls and fails on demand."""
    seen: list[tuple[int, dict[str, Any]]] = []

    def handler(tenant_id: int, payload: dict[str, Any]) -> None:
        if payload.get("fail"):
            raise RuntimeError("downstream unavailable")
        seen.append((tenant_id, payload))

    consumers = dict(registry._consumers)
    monkeypatch.setattr(registry, "_consumers", consumers)
    registry.consumer("test.happened")(handler)
    return seen


def test_event_is_delivered_after_commit_once(world: World, calls: list[Any], commit: Any) -> None:
    with commit():
        event = event_record(tenant=world.tenant, name="test.happened", payload={"n": 1})
        assert calls == []  # nothing is delivered before the transaction commits
    assert calls == [(world.tenant.pk, {"n": 1})]
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert event.attempts == 1
    # dispatching again is harmless
    event_dispatch(event_id=event.pk)
    assert len(calls) == 1


def test_many_events_are_written_at_once_and_delivered_after_commit(
    world: World, calls: list[Any], commit: Any, django_assert_num_queries: Any
) -> None:
    payloads = [{"n": n} for n in range(5)]
    with commit():
        with django_assert_num_queries(1):
            events = events_record(tenant=world.tenant, name="test.happened", payloads=payloads)
        assert calls == []
    assert calls == [(world.tenant.pk, payload) for payload in payloads]
    assert (
        OutboxEvent.objects.filter(
            pk__in=[e.pk for e in events], dispatched_at__isnull=False
        ).count()
        == 5
    )
    assert events_record(tenant=world.tenant, name="test.happened", payloads=[]) == []


def test_rolled_back_change_records_no_event(world: World, calls: list[Any], commit: Any) -> None:
    def failing_service() -> None:
        with transaction.atomic():
            event_record(tenant=world.tenant, name="test.happened", payload={"n": 2})
            raise RuntimeError("the service failed")

    with commit(), pytest.raises(RuntimeError):
        failing_service()
    assert OutboxEvent.objects.filter(name="test.happened").count() == 0
    assert calls == []


def test_failed_consumer_is_retried_by_the_sweep(
    world: World, calls: list[Any], commit: Any
) -> None:
    with commit():
        event = event_record(tenant=world.tenant, name="test.happened", payload={"fail": True})
    event.refresh_from_db()
    assert event.dispatched_at is None
    assert "downstream unavailable" in event.last_error
    # the downstream recovers
    OutboxEvent.objects.filter(pk=event.pk).update(payload={"ok": True})
    assert outbox_dispatch_pending() == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert calls == [(world.tenant.pk, {"ok": True})]
    assert ConsumerReceipt.objects.filter(event=event).count() == 1
