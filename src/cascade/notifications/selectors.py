"""Reading a person's inbox and preferences."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from cascade.core.scoping import current_tenant_id
from cascade.identity.models import Person
from cascade.notifications.kinds import KINDS, LABELS
from cascade.notifications.models import Notification, NotificationPreference


def notification_list(*, person: Person, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(person=person)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-id")


# Every page shows the count in its header: it is cached per person, and forgotten whenever a
# notification reaches them or they read some (`unread_count_forget`).
UNREAD_SECONDS = 300


def unread_count_key(tenant_id: int, person_id: int) -> str:
    # Per tenant: one person may belong to several programs, each with its own inbox.
    return f"cascade:notifications:unread:{tenant_id}:{person_id}"


def notification_unread_count(*, person: Person) -> int:
    tenant_id = current_tenant_id()
    key = unread_count_key(tenant_id, person.pk) if tenant_id is not None else None
    count = cache.get(key) if key is not None else None
    if count is None:
        count = Notification.objects.filter(person=person, read_at__isnull=True).count()
        if key is not None:
            cache.set(key, count, UNREAD_SECONDS)
    return int(count)


def notification_preferences(*, person: Person) -> list[dict[str, object]]:
    """Every kind with the person's choice or the default."""
    chosen = {p.kind: p for p in NotificationPreference.objects.filter(person=person)}
    rows: list[dict[str, object]] = []
    for kind, email_default in KINDS.items():
        preference = chosen.get(kind)
        rows.append(
            {
                "kind": kind,
                "label": LABELS.get(kind, kind),
                "in_app": preference.in_app if preference else True,
                "email": preference.email if preference else email_default,
            }
        )
    return rows
