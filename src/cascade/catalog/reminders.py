"""Review-by reminders: content has a date by which its owners must check it is still right.

Owners (the owning team's members and the item's creator, while they are vendor staff of the
program) are told once when the date comes within REVIEW_NOTICE_DAYS, and once more when it has
passed. `review_reminded_on` remembers the last reminder, so running the sweep twice a day, or
after an outage, never repeats one. Setting a new review-by date starts over.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from cascade.catalog.item_models import CatalogItem, ItemState, ItemVariant
from cascade.core.scoping import scopes_disabled, tenant_scope
from cascade.identity.models import Membership, Person
from cascade.notifications.services import notification_send
from cascade.tenancy.models import Tenant

REVIEW_NOTICE_DAYS = 14


def _owners(item: CatalogItem) -> list[Person]:
    candidates = set(item.owner_team.members.values_list("pk", flat=True))
    if item.created_by_id is not None:
        candidates.add(item.created_by_id)
    staff = Membership.objects.filter(
        person_id__in=candidates, organization__isnull=True, status="active"
    ).values("person_id")
    return list(Person.objects.filter(pk__in=staff, is_active=True).order_by("pk"))


def items_due_for_reminder(today: date) -> list[CatalogItem]:
    soon = today + timedelta(days=REVIEW_NOTICE_DAYS)
    entering_window = Q(review_by__gte=today, review_by__lte=soon, review_reminded_on__isnull=True)
    overdue = Q(review_by__lt=today) & (
        Q(review_reminded_on__isnull=True) | Q(review_reminded_on__lt=F("review_by"))
    )
    return list(
        CatalogItem.objects.filter(entering_window | overdue)
        .exclude(state=ItemState.RETIRED)
        .select_related("owner_team")
        .order_by("review_by", "pk")
    )


@transaction.atomic
def review_reminders_send(*, tenant: Tenant, today: date) -> int:
    """Remind the owners of the tenant's items whose review is near or overdue; returns how
    many items were reminded about."""
    items = items_due_for_reminder(today)
    titles = dict(
        ItemVariant.objects.filter(item__in=items, locale=tenant.default_locale).values_list(
            "item_id", "title"
        )
    )
    for item in items:
        assert item.review_by is not None
        overdue = item.review_by < today
        title = titles.get(item.pk, f"Item {item.pk}")
        notification_send(
            tenant=tenant,
            people=_owners(item),
            kind="catalog.review_due",
            title=(
                f"Review overdue: {title}"
                if overdue
                else f"Review due on {item.review_by}: {title}"
            ),
            body=(
                f"“{title}” was due for review on {item.review_by}. Check that it is still right, "
                "then set its next review-by date."
                if overdue
                else f"“{title}” is due for review on {item.review_by}."
            ),
            url=reverse("web:studio-item", args=[item.pk]),
        )
    CatalogItem.objects.filter(pk__in=[i.pk for i in items]).update(review_reminded_on=today)
    return len(items)


def review_reminders_send_all(today: date) -> int:
    """The scheduled sweep: every tenant, each in its own scope and transaction."""
    with scopes_disabled():
        tenants = list(Tenant.objects.all())
    reminded = 0
    for tenant in tenants:
        with tenant_scope(tenant):
            reminded += review_reminders_send(tenant=tenant, today=today)
    return reminded
