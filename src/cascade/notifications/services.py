"""Sending notifications: in the app and by e-mail, as each person prefers."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cascade.core.scoping import current_tenant_id
from cascade.identity.models import Person
from cascade.notifications.kinds import KINDS
from cascade.notifications.models import Notification, NotificationPreference
from cascade.notifications.selectors import unread_count_key
from cascade.tenancy.models import Tenant


def notification_send(
    *,
    tenant: Tenant,
    people: Iterable[Person],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Notify people; e-mail goes out after commit so a rolled-back change sends nothing.

    A person who turned a kind off in the app and by e-mail gets nothing; one who kept only
    e-mail gets the message with no inbox entry.
    """
    people = list(people)
    preferences = {
        p.person_id: p for p in NotificationPreference.objects.filter(person__in=people, kind=kind)
    }
    inbox: dict[int, Notification] = {}
    recipients: list[Person] = []
    for person in people:
        preference = preferences.get(person.pk)
        if preference.in_app if preference else True:
            inbox[person.pk] = Notification(
                tenant=tenant, person=person, kind=kind, title=title, body=body, url=url
            )
        if (preference.email if preference else KINDS.get(kind, True)) and person.is_active:
            recipients.append(person)
    # One insert for every inbox entry, however many people are told.
    created = Notification.objects.bulk_create(list(inbox.values()))
    unread_counts_forget(tenant.pk, list(inbox))
    to_email = [
        (person.email, inbox[person.pk].pk if person.pk in inbox else None) for person in recipients
    ]

    def deliver() -> None:
        for address, notification_id in to_email:
            email_send(tenant=tenant, to=address, subject=title, body=_email_body(body, url))
            if notification_id is not None:
                Notification.unscoped.filter(pk=notification_id).update(emailed_at=timezone.now())

    transaction.on_commit(deliver)
    return created


def email_send(*, tenant: Tenant, to: str, subject: str, body: str) -> None:
    send_mail(
        subject=f"[{tenant.name}] {subject}",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[to],
    )


def _email_body(body: str, url: str) -> str:
    return f"{body}\n\n{url}\n" if url else f"{body}\n"


@transaction.atomic
def notification_mark_read(*, person: Person, notification_ids: list[int] | None = None) -> int:
    """Mark the person's notifications read (all of them when no ids are given)."""
    unread = Notification.objects.filter(person=person, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    marked = unread.update(read_at=timezone.now())
    unread_counts_forget(current_tenant_id(), [person.pk])
    return marked


def unread_counts_forget(tenant_id: int | None, person_ids: list[int]) -> None:
    """The cached unread counts of these people are stale: forgotten now (this request reads
    its own write) and again after commit (no other process keeps the old count)."""
    if tenant_id is None or not person_ids:
        return
    keys = [unread_count_key(tenant_id, pk) for pk in person_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


@transaction.atomic
def notification_preference_set(
    *, tenant: Tenant, person: Person, kind: str, in_app: bool, email: bool
) -> NotificationPreference:
    from cascade.core.errors import ValidationFailed

    if kind not in KINDS:
        raise ValidationFailed.field(
            "kind", f"Unknown notification kind {kind!r}.", code="invalid_choice"
        )
    preference, _ = NotificationPreference.objects.update_or_create(
        tenant=tenant, person=person, kind=kind, defaults={"in_app": in_app, "email": email}
    )
    return preference
