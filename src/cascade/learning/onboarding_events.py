"""Recording the business events the PRM reports (a first deal registered, a first customer
pitch), which complete business milestones of onboarding programs.

A business event is recorded once per `(source, external_id)`: the PRM may send it again (a
retry) and nothing changes; the same id naming another event is a conflict. Each new event is a
domain event (`onboarding.business_event`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.core.errors import Conflict, ValidationFailed
from cascade.core.generations import generation_bump
from cascade.events.services import event_record
from cascade.identity.models import Membership
from cascade.learning.onboarding import clean_name, event_key_valid, reported_events_family
from cascade.learning.onboarding_models import BusinessEventRecord
from cascade.tenancy.models import PartnerOrganization


@dataclass(frozen=True)
class EventRecorded:
    record: BusinessEventRecord
    # False when the PRM sent an event already recorded (a retry): nothing was written.
    created: bool


def _same_event(
    record: BusinessEventRecord, key: str, person_id: int | None, organization_id: int | None
) -> bool:
    return (
        record.key == key
        and record.person_id == person_id
        and record.organization_id == organization_id
    )


@transaction.atomic
def business_event_record(
    *,
    actor: Actor,
    key: str,
    source: str,
    external_id: str,
    occurred_at: datetime,
    person_id: int | None = None,
    organization_id: int | None = None,
) -> EventRecorded:
    """Record a business event reported by the PRM (the first deal registered, an MDF request).

    Idempotent by `(source, external_id)`: the same event again changes nothing; the same id
    for another event is a conflict (the PRM reused an id). The person must be a member of the
    program (now or before) and the organization one of its partners. Records the domain event
    `onboarding.business_event` for the consumers (points, notifications)."""
    require(actor, Action.ONBOARDING_EVENT_REPORT)
    key = event_key_valid(key)
    source = clean_name(source, "source", 60)
    external_id = (external_id or "").strip()
    if not external_id or len(external_id) > 200:
        raise ValidationFailed.field(
            "external_id", "Use 1 to 200 characters.", code="invalid_external_id"
        )
    if person_id is None and organization_id is None:
        raise ValidationFailed.field(
            "person_id", "Name a person, an organization or both.", code="required"
        )
    if timezone.is_naive(occurred_at):
        raise ValidationFailed.field(
            "occurred_at", "Give a time zone (e.g. 2026-11-29T10:00:00Z).", code="naive_time"
        )
    if occurred_at > timezone.now() + timedelta(days=1):
        raise ValidationFailed.field(
            "occurred_at", "An event cannot happen in the future.", code="in_future"
        )
    if person_id is not None and not Membership.objects.filter(person_id=person_id).exists():
        raise ValidationFailed.field("person_id", "Unknown person.", code="unknown_reference")
    if (
        organization_id is not None
        and not PartnerOrganization.objects.filter(pk=organization_id).exists()
    ):
        raise ValidationFailed.field(
            "organization_id", "Unknown organization.", code="unknown_reference"
        )
    existing = BusinessEventRecord.objects.filter(source=source, external_id=external_id).first()
    if existing is not None:
        if not _same_event(existing, key, person_id, organization_id):
            raise Conflict(
                "This external id was already reported for another event.",
                code="external_id_reused",
            )
        return EventRecorded(record=existing, created=False)
    try:
        with transaction.atomic():
            record = BusinessEventRecord.objects.create(
                tenant=actor.tenant,
                key=key,
                person_id=person_id,
                organization_id=organization_id,
                occurred_at=occurred_at,
                source=source,
                external_id=external_id,
            )
    except IntegrityError:
        # The same event reported twice in the same instant (a retry racing the first call).
        found = BusinessEventRecord.objects.filter(source=source, external_id=external_id).first()
        if found is None or not _same_event(found, key, person_id, organization_id):
            raise Conflict(
                "This external id was already reported for another event.",
                code="external_id_reused",
            ) from None
        return EventRecorded(record=found, created=False)
    if person_id is not None:
        generation_bump(reported_events_family(person_id=person_id), actor.tenant.pk)
    if organization_id is not None:
        generation_bump(reported_events_family(organization_id=organization_id), actor.tenant.pk)
    event_record(
        tenant=actor.tenant,
        name="onboarding.business_event",
        payload={
            "record_id": record.pk,
            "key": key,
            "person_id": person_id,
            "organization_id": organization_id,
            "occurred_at": occurred_at.isoformat(),
        },
    )
    return EventRecorded(record=record, created=True)
