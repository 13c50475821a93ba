from django_tasks import task

from cascade.events.services import event_dispatch, outbox_dispatch_pending


@task()
def dispatch_event(event_id: int) -> None:
    event_dispatch(event_id=event_id)


@task()
def dispatch_events(event_ids: list[int]) -> None:
    for event_id in event_ids:
        event_dispatch(event_id=event_id)


@task()
def dispatch_pending_events() -> int:
    return outbox_dispatch_pending()
