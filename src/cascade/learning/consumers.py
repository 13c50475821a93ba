"""What learning does when other parts of the program change.

A person who leaves a partner organization (moving to another partner, or ended by an admin)
keeps every completion: records are theirs. Only the open assignments that organization's
managers made close, with the reason, since nobody there follows them any more.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cascade.events.registry import consumer
from cascade.events.services import event_record
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
        open_assignments = list(
            Enrollment.objects.select_for_update().filter(
                person_id=payload["person_id"],
                assigning_organization_id=organization_id,
                state__in=OPEN_STATES,
            )
        )
        if not open_assignments:
            return
        now = timezone.now()
        for enrollment in open_assignments:
            enrollment.state = EnrollmentState.WITHDRAWN
            enrollment.closed_at = now
            enrollment.close_reason = f"Left {name}: assigned by its managers."[:300]
        Enrollment.objects.bulk_update(open_assignments, ["state", "closed_at", "close_reason"])
        tenant = Tenant.objects.get(pk=tenant_id)
        for enrollment in open_assignments:
            event_record(
                tenant=tenant,
                name="learning.withdrawn",
                payload={"enrollment_id": enrollment.pk, "person_id": enrollment.person_id},
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
    with transaction.atomic():
        open_enrollments = list(
            Enrollment.objects.select_for_update().filter(
                item_id=payload["item_id"], state__in=OPEN_STATES
            )
        )
        if not open_enrollments:
            return
        now = timezone.now()
        for enrollment in open_enrollments:
            enrollment.state = EnrollmentState.EXPIRED
            enrollment.closed_at = now
            enrollment.close_reason = "The vendor retired this content."
        Enrollment.objects.bulk_update(open_enrollments, ["state", "closed_at", "close_reason"])
        tenant = Tenant.objects.get(pk=tenant_id)
        for enrollment in open_enrollments:
            event_record(
                tenant=tenant,
                name="learning.expired",
                payload={
                    "enrollment_id": enrollment.pk,
                    "person_id": enrollment.person_id,
                    "item_id": enrollment.item_id,
                    "reason": enrollment.close_reason,
                },
            )
