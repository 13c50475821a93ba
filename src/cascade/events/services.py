"""Recording domain events and delivering them to consumers (the transactional outbox)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cascade.core.scoping import tenant_scope
from cascade.events.models import ConsumerReceipt, OutboxEvent
from cascade.events.registry import consumers_for
from cascade.tenancy.models import Tenant

logger = logging.getLogger(__name__)


def event_record(*, tenant: Tenant, name: str, payload: dict[str, Any]) -> OutboxEvent:
    """Write an event in the caller's transaction and schedule its delivery after commit.

    If the process dies between commit and enqueue, `outbox_dispatch_pending` (run by the
    worker's schedule) still finds the event, so nothing recorded is ever lost.
    """
    event = OutboxEvent.objects.create(tenant=tenant, name=name, payload=payload)

    def enqueue() -> None:
        from cascade.events.tasks import dispatch_event

        dispatch_event.enqueue(event.pk)

    transaction.on_commit(enqueue)
    return event


def events_record(
    *, tenant: Tenant, name: str, payloads: Sequence[dict[str, Any]]
) -> list[OutboxEvent]:
    """Write many events of one kind in the caller's transaction (one INSERT) and schedule
    their delivery after commit as one task, e.g. an assignment to hundreds of people."""
    events = OutboxEvent.objects.bulk_create(
        OutboxEvent(tenant=tenant, name=name, payload=payload) for payload in payloads
    )
    if events:

        def enqueue() -> None:
            from cascade.events.tasks import dispatch_events

            dispatch_events.enqueue([event.pk for event in events])

        transaction.on_commit(enqueue)
    return events


def event_dispatch(*, event_id: int) -> None:
    """Hand one event to each consumer that has not handled it yet."""
    event = OutboxEvent.unscoped.filter(pk=event_id).first()
    if event is None or event.dispatched_at is not None:
        return
    with tenant_scope(event.tenant_id):
        failures: list[str] = []
        handled = set(event.receipts.values_list("consumer", flat=True))
        for registered in consumers_for(event.name):
            if registered.name in handled:
                continue
            try:
                with transaction.atomic():
                    registered.handler(event.tenant_id, event.payload)
                    ConsumerReceipt.objects.create(
                        tenant_id=event.tenant_id, event=event, consumer=registered.name
                    )
            except IntegrityError:
                # Another worker handled it concurrently; its receipt won.
                continue
            except Exception as exc:
                logger.exception("consumer %s failed on event %s", registered.name, event.pk)
                failures.append(f"{registered.name}: {exc!r}")
        OutboxEvent.objects.filter(pk=event.pk).update(
            attempts=event.attempts + 1,
            dispatched_at=None if failures else timezone.now(),
            last_error="\n".join(failures),
        )


def outbox_dispatch_pending(*, limit: int = 500) -> int:
    """Deliver events that are still undelivered (lost enqueues, failed consumers)."""
    ids = list(
        OutboxEvent.unscoped.filter(dispatched_at__isnull=True, attempts__lt=10)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for event_id in ids:
        event_dispatch(event_id=event_id)
    return len(ids)
