"""Reminders of required learning: to the person a week before it is due and once when it is
late, and to their partner managers a digest of who in their organization is late.

The daily sweep (`cascade send_due_reminders`) remembers what it sent on each enrollment, so
running it again, or after an outage, repeats nothing; a manager's digest goes out only on days
when someone in their organization became late.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q

from cascade.catalog.item_models import ItemVariant
from cascade.core.scoping import scopes_disabled, tenant_scope
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.identity.roles import Role
from cascade.learning.models import OPEN_STATES, Enrollment
from cascade.notifications.services import notification_send
from cascade.tenancy.models import Tenant

DUE_SOON_DAYS = 7


def _titles(tenant: Tenant, item_ids: set[int]) -> dict[int, str]:
    return dict(
        ItemVariant.objects.filter(item_id__in=item_ids, locale=tenant.default_locale).values_list(
            "item_id", "title"
        )
    )


@transaction.atomic
def due_reminders_send(*, tenant: Tenant, today: date) -> dict[str, int]:
    """Send the day's reminders of the tenant; returns how many of each kind."""
    open_required = Enrollment.objects.filter(
        state__in=OPEN_STATES, required=True, due_on__isnull=False
    ).select_related("person")
    soon = list(
        open_required.filter(
            due_on__gte=today,
            due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
            reminded_due_soon_on__isnull=True,
        )
    )
    late = list(open_required.filter(due_on__lt=today).filter(Q(reminded_overdue_on__isnull=True)))
    titles = _titles(tenant, {e.item_id for e in soon + late})
    for enrollment in soon:
        title = titles.get(enrollment.item_id, "Assigned learning")
        notification_send(
            tenant=tenant,
            people=[enrollment.person],
            kind="learning.due_soon",
            title=f"Due on {enrollment.due_on}: {title}",
            body=f"“{title}” is due on {enrollment.due_on}.",
            url=f"/catalog/{enrollment.item_id}/",
        )
    for enrollment in late:
        title = titles.get(enrollment.item_id, "Assigned learning")
        notification_send(
            tenant=tenant,
            people=[enrollment.person],
            kind="learning.overdue",
            title=f"Overdue: {title}",
            body=f"“{title}” was due on {enrollment.due_on}.",
            url=f"/catalog/{enrollment.item_id}/",
        )
    Enrollment.objects.filter(pk__in=[e.pk for e in soon]).update(reminded_due_soon_on=today)
    Enrollment.objects.filter(pk__in=[e.pk for e in late]).update(reminded_overdue_on=today)
    digests = _manager_digests(tenant, late)
    return {"due_soon": len(soon), "overdue": len(late), "manager_digests": digests}


def _manager_digests(tenant: Tenant, late: list[Enrollment]) -> int:
    """One notification per partner manager or admin whose organization has newly late people."""
    if not late:
        return 0
    organization_of = dict(
        Membership.objects.filter(
            person_id__in={e.person_id for e in late},
            status=MembershipStatus.ACTIVE,
            organization__isnull=False,
        ).values_list("person_id", "organization_id")
    )
    late_by_organization: dict[int, set[int]] = defaultdict(set)
    for enrollment in late:
        organization_id = organization_of.get(enrollment.person_id)
        if organization_id is not None:
            late_by_organization[organization_id].add(enrollment.person_id)
    managers: dict[int, list[Person]] = defaultdict(list)
    for membership in (
        Membership.objects.filter(
            organization_id__in=list(late_by_organization),
            status=MembershipStatus.ACTIVE,
        )
        .filter(
            Q(roles__contains=f",{Role.PARTNER_MANAGER},")
            | Q(roles__contains=f",{Role.PARTNER_ADMIN},")
        )
        .select_related("person")
    ):
        assert membership.organization_id is not None
        managers[membership.organization_id].append(membership.person)
    sent = 0
    for organization_id, people in late_by_organization.items():
        recipients = managers.get(organization_id, [])
        if not recipients:
            continue
        count = len(people)
        notification_send(
            tenant=tenant,
            people=recipients,
            kind="learning.team_overdue",
            title=f"{count} {'person has' if count == 1 else 'people have'} overdue learning",
            body="Required learning assigned to people in your organization is past its due "
            "date. Remind them, or change the due date.",
            url="/partner/people/",
        )
        sent += len(recipients)
    return sent


def due_reminders_send_all(today: date) -> int:
    with scopes_disabled():
        tenants = list(Tenant.objects.all())
    total = 0
    for tenant in tenants:
        with tenant_scope(tenant):
            total += sum(due_reminders_send(tenant=tenant, today=today).values())
    return total
