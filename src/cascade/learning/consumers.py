"""What learning does when other parts of the program change.

A person who leaves a partner organization (moving to another partner, or ended by an admin)
keeps every completion: records are theirs. Only the open assignments that organization's
managers made close, with the reason, since nobody there follows them any more.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cascade.events.registry import consumer
from cascade.events.services import events_record
from cascade.learning.models import OPEN_STATES, Enrollment, EnrollmentState
from cascade.learning.rules import rules_apply_all
from cascade.tenancy.models import PartnerOrganization, Tenant


@consumer("membership.ended")
def close_assignments_of_the_organization_left(tenant_id: int, payload: dict[str, Any]) -> None:
    organization_id = payload.get("organization_id")
    if organization_id is None:
        return
    name = (
        PartnerOrganization.objects.filter(pk=organization_id)
        .values_list("name", flat=True)
        .first()
        or "the organization"
    )
    with transaction.atomic():
        closed = _close(
            Enrollment.objects.filter(
                person_id=payload["person_id"],
                assigning_organization_id=organization_id,
                state__in=OPEN_STATES,
            ),
            EnrollmentState.WITHDRAWN,
            f"Left {name}: assigned by its managers.",
        )
        if not closed:
            return
        tenant = Tenant.objects.get(pk=tenant_id)
        events_record(
            tenant=tenant,
            name="learning.withdrawn",
            payloads=[
                {"enrollment_id": enrollment_id, "person_id": person_id}
                for enrollment_id, person_id, _ in closed
            ],
        )


@consumer("membership.started")
def apply_assignment_rules_to_newcomer(tenant_id: int, payload: dict[str, Any]) -> None:
    """Rules apply to people who come to match later: a new partner person gets what the
    vendor's rules give people like them."""
    if payload.get("organization_id") is None:
        return
    tenant = Tenant.objects.get(pk=tenant_id)
    rules_apply_all(tenant=tenant, person_ids=[payload["person_id"]])


@consumer("catalog.item_retired")
def expire_enrollments_in_retired_item(tenant_id: int, payload: dict[str, Any]) -> None:
    """A retired item can no longer be taken: open enrollments in it expire (completions stay,
    as history). The learner's lesson progress is kept for the record."""
    reason = "The vendor retired this content."
    with transaction.atomic():
        closed = _close(
            Enrollment.objects.filter(item_id=payload["item_id"], state__in=OPEN_STATES),
            EnrollmentState.EXPIRED,
            reason,
        )
        if not closed:
            return
        tenant = Tenant.objects.get(pk=tenant_id)
        events_record(
            tenant=tenant,
            name="learning.expired",
            payloads=[
                {
                    "enrollment_id": enrollment_id,
                    "person_id": person_id,
                    "item_id": item_id,
                    "reason": reason,
                }
                for enrollment_id, person_id, item_id in closed
            ],
        )


def _close(
    open_enrollments: QuerySet[Enrollment], state: str, reason: str
) -> list[tuple[int, int, int]]:
    """Close these open enrollments with `reason` in one UPDATE (rows locked first, so that a
    completion in the same instant waits), returning (id, person id, item id) of each."""
    closed = list(open_enrollments.select_for_update().values_list("pk", "person_id", "item_id"))
    if closed:
        Enrollment.objects.filter(pk__in=[pk for pk, _, _ in closed]).update(
            state=state, closed_at=timezone.now(), close_reason=reason[:300]
        )
    return closed
