from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from cascade.events.models import OutboxEvent
from cascade.events.services import event_record
from tests.conftest import World


def test_command_dispatches_undelivered_events(world: World) -> None:
    # given: an event recorded but never dispatched (its transaction's callback was lost)
    event = event_record(tenant=world.tenant, name="nobody.listens", payload={})
    out = StringIO()
    # when
    call_command("dispatch_pending_events", stdout=out)
    # then
    assert out.getvalue().strip() == "Dispatched 1 pending events."
    assert OutboxEvent.objects.get(pk=event.pk).dispatched_at is not None
