"""Enrolling and assigning: who takes which catalog item, by whose decision, by when.

Rules (the learning issue):
- anyone may enroll themselves in an item they can see;
- partner managers and admins assign items to the people of their organization (and of an
  organization below it that allows its parent to assign), only items those people can see, never
  with a due date in the past; a refused assignment writes nothing;
- one open enrollment per person and item: assigning someone already enrolled leaves their
  enrollment as it is (it is reported back), so nobody loses progress;
- every enrollment is a domain event (`learning.enrolled`, `learning.assigned`,
  `learning.withdrawn`) for the learning record store and gamification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from cascade.access.actor import Actor, ActorKind, Scope
from cascade.access.policies import Action, can, is_program_admin
from cascade.audit.services import audit_record
from cascade.catalog.browse import items_visible_to
from cascade.catalog.item_models import CatalogItem
from cascade.catalog.selectors import memberships_in_audience, viewer_for
from cascade.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from cascade.events.services import event_record, events_record
from cascade.identity.models import Membership
from cascade.learning.models import (
    OPEN_STATES,
    DueFrom,
    Enrollment,
    EnrollmentSource,
    EnrollmentState,
)

MAX_ASSIGNEES = 500
MAX_DUE_DAYS = 3_650


def relative_due(today: date, joined: date | None, *, due_days: int, due_from: str) -> date:
    """A due date `due_days` after assignment (today) or after joining; never in the past: who
    joined so long ago that the date has gone gets the same number of days from today."""
    base = joined if due_from == DueFrom.JOINING and joined is not None else today
    due = base + timedelta(days=due_days)
    return due if due >= today else today + timedelta(days=due_days)


def _visible_item(actor: Actor, item_id: int) -> CatalogItem:
    item = items_visible_to(viewer_for(actor)).filter(pk=item_id).first()
    if item is None:
        raise NotFound("No such item.", code="item_not_found")
    return item


def _open_enrollment(person_id: int, item_id: int) -> Enrollment | None:
    return Enrollment.objects.filter(
        person_id=person_id, item_id=item_id, state__in=OPEN_STATES
    ).first()


@transaction.atomic
def enroll_self(*, actor: Actor, item_id: int) -> Enrollment:
    """Start an item of the catalog: the person's open enrollment in it (an assignment, or a
    new self-enrollment)."""
    if actor.person is None or not actor.is_member:
        raise PermissionDenied("Sign in as a member of the program to enroll.", code="not_member")
    item = _visible_item(actor, item_id)
    existing = _open_enrollment(actor.person.pk, item.pk)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                tenant=actor.tenant,
                person=actor.person,
                item=item,
                source=EnrollmentSource.SELF,
            )
    except IntegrityError:
        # Enrolled meanwhile (a double click on two devices): that enrollment is the one.
        found = _open_enrollment(actor.person.pk, item.pk)
        if found is None:
            raise
        return found
    event_record(
        tenant=actor.tenant,
        name="learning.enrolled",
        payload={"enrollment_id": enrollment.pk, "person_id": actor.person.pk, "item_id": item.pk},
    )
    return enrollment


@dataclass(frozen=True)
class AssignmentResult:
    created: list[Enrollment] = field(default_factory=list)
    # People already enrolled in the item: their enrollment is left as it is.
    already_enrolled: list[int] = field(default_factory=list)


@transaction.atomic
def assign(
    *,
    actor: Actor,
    item_id: int,
    membership_ids: Sequence[int],
    required: bool = True,
    due_on: date | None = None,
    due_days: int | None = None,
    due_from: str = DueFrom.ASSIGNMENT,
) -> AssignmentResult:
    """A partner manager assigns an item to some of their people. Every check passes before
    anything is written: one person out of reach, or an item one of them cannot see, refuses the
    whole assignment.

    The due date is either a date (`due_on`) or a number of days (`due_days`) after today or
    after each person joined their organization (`due_from`); a relative date already past
    for someone who joined long ago gives them the same number of days from today."""
    if not can(actor, Action.LEARNING_ASSIGN):
        raise PermissionDenied("You cannot assign learning.", code="forbidden")
    ids = sorted(set(membership_ids))
    if not ids:
        raise ValidationFailed.field(
            "membership_ids", "Choose at least one person.", code="required"
        )
    if len(ids) > MAX_ASSIGNEES:
        raise ValidationFailed.field(
            "membership_ids", f"Assign at most {MAX_ASSIGNEES} people at once.", code="too_many"
        )
    today = timezone.localdate()
    if due_on is not None and due_on < today:
        raise ValidationFailed.field(
            "due_on", "Choose a due date from today on.", code="due_in_past"
        )
    if due_on is not None and due_days is not None:
        raise ValidationFailed.field(
            "due_days", "Give a due date or a number of days, not both.", code="conflicting"
        )
    if due_days is not None and not 1 <= due_days <= MAX_DUE_DAYS:
        raise ValidationFailed.field(
            "due_days", f"Use 1 to {MAX_DUE_DAYS} days.", code="out_of_range"
        )
    if due_from not in DueFrom.values:
        raise ValidationFailed.field("due_from", "Choose assignment or joining.", code="invalid")
    item = _visible_item(actor, item_id)
    memberships = list(
        Membership.objects.filter(pk__in=ids, status="active").select_related(
            "organization", "person"
        )
    )
    found = {m.pk for m in memberships}
    unreachable = [pk for pk in ids if pk not in found] + [
        m.pk for m in memberships if not can(actor, Action.LEARNING_ASSIGN, m)
    ]
    if unreachable:
        raise ValidationFailed(
            "Some of these people are not yours to assign learning to.",
            code="not_assignable",
            details=[
                {"field": "membership_ids", "message": f"Membership {pk}"} for pk in unreachable
            ],
        )
    # The item is live (the actor sees it): an assignee sees it when its published audience
    # admits them, asked once for everyone (the audience read the other way round).
    admitted = set(
        memberships_in_audience(
            item.published_audience_id or 0, default_locale=actor.tenant.default_locale
        )
        .filter(pk__in=found)
        .values_list("pk", flat=True)
    )
    blind = [m.pk for m in memberships if m.pk not in admitted]
    if blind:
        raise ValidationFailed(
            "Some of these people cannot see this item, so it cannot be assigned to them.",
            code="item_not_visible_to_assignee",
            details=[{"field": "membership_ids", "message": f"Membership {pk}"} for pk in blind],
        )
    enrolled = set(
        Enrollment.objects.filter(
            item=item, person_id__in=[m.person_id for m in memberships], state__in=OPEN_STATES
        ).values_list("person_id", flat=True)
    )
    organization_id = actor.organization_id
    created = Enrollment.objects.bulk_create(
        Enrollment(
            tenant=actor.tenant,
            person_id=m.person_id,
            item=item,
            source=EnrollmentSource.MANAGER,
            required=required,
            due_on=due_on
            if due_days is None
            else relative_due(today, m.started_on, due_days=due_days, due_from=due_from),
            assigned_by=actor.person,
            assigning_organization_id=organization_id,
        )
        for m in memberships
        if m.person_id not in enrolled
    )
    events_record(
        tenant=actor.tenant,
        name="learning.assigned",
        payloads=[
            {
                "enrollment_id": enrollment.pk,
                "person_id": enrollment.person_id,
                "item_id": item.pk,
                "required": required,
                "due_on": enrollment.due_on.isoformat() if enrollment.due_on else None,
            }
            for enrollment in created
        ],
    )
    audit_record(
        actor=actor,
        action="learning.assign",
        target=item,
        after={
            "people": sorted(e.person_id for e in created),
            "required": required,
            "due_on": due_on.isoformat() if due_on else None,
            "due_days": due_days,
            "due_from": due_from if due_days is not None else None,
        },
    )
    return AssignmentResult(created=list(created), already_enrolled=sorted(enrolled))


@transaction.atomic
def withdraw(*, actor: Actor, enrollment: Enrollment, reason: str) -> Enrollment:
    """Close an open enrollment without completing it: the learner leaves what they chose
    themselves; a manager of the organization that assigned it takes it back; program admins
    (and integrations that write learning) take back what a rule or an onboarding program
    gave."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if not enrollment.is_open:
        raise Conflict("Only open enrollments are withdrawn.", code="not_open")
    own = actor.person is not None and actor.person.pk == enrollment.person_id
    assigned_here = (
        enrollment.assigning_organization_id is not None
        and enrollment.assigning_organization_id == actor.organization_id
        and can(actor, Action.LEARNING_ASSIGN)
    )
    # What the vendor gave (a rule, an onboarding program), the vendor takes back.
    vendor_given = enrollment.source in (EnrollmentSource.VENDOR, EnrollmentSource.RULE) and (
        is_program_admin(actor)
        or (actor.kind == ActorKind.INTEGRATION and actor.allows(Scope.LEARNING_WRITE))
    )
    if not (own and enrollment.source == EnrollmentSource.SELF) and not (
        assigned_here or vendor_given
    ):
        raise PermissionDenied("You cannot withdraw this enrollment.", code="forbidden")
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise ValidationFailed.field("reason", "Say why, in up to 300 characters.", code="required")
    _move(enrollment, EnrollmentState.WITHDRAWN)
    enrollment.closed_at = timezone.now()
    enrollment.close_reason = reason
    enrollment.save()
    event_record(
        tenant=actor.tenant,
        name="learning.withdrawn",
        payload={"enrollment_id": enrollment.pk, "person_id": enrollment.person_id},
    )
    return enrollment


# The enrollment lifecycle: the only moves an enrollment may make.
TRANSITIONS: dict[str, frozenset[str]] = {
    EnrollmentState.ASSIGNED: frozenset(
        {EnrollmentState.IN_PROGRESS, EnrollmentState.WITHDRAWN, EnrollmentState.EXPIRED}
    ),
    EnrollmentState.IN_PROGRESS: frozenset(
        {EnrollmentState.COMPLETED, EnrollmentState.WITHDRAWN, EnrollmentState.EXPIRED}
    ),
    EnrollmentState.COMPLETED: frozenset(),
    EnrollmentState.WITHDRAWN: frozenset(),
    EnrollmentState.EXPIRED: frozenset(),
}


def _move(enrollment: Enrollment, to: str) -> None:
    if to not in TRANSITIONS[enrollment.state]:
        raise Conflict(
            f"A {enrollment.get_state_display().lower()} enrollment cannot become "
            f"{EnrollmentState(to).label.lower()}.",
            code="invalid_transition",
        )
    enrollment.state = to


@transaction.atomic
def enrollment_start(*, actor: Actor, enrollment: Enrollment) -> Enrollment:
    """The learner opens their enrollment for the first time (again: nothing changes)."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if actor.person is None or actor.person.pk != enrollment.person_id:
        raise NotFound("No such enrollment.", code="enrollment_not_found")
    if enrollment.state == EnrollmentState.IN_PROGRESS:
        return enrollment
    _move(enrollment, EnrollmentState.IN_PROGRESS)
    enrollment.started_at = timezone.now()
    enrollment.save(update_fields=["state", "started_at"])
    event_record(
        tenant=actor.tenant,
        name="learning.started",
        payload={
            "enrollment_id": enrollment.pk,
            "person_id": enrollment.person_id,
            "item_id": enrollment.item_id,
        },
    )
    return enrollment


@transaction.atomic
def enrollment_complete(*, actor: Actor, enrollment: Enrollment) -> Enrollment:
    """Record completion (decided by the item's completion rules, by the progress the learner
    made). A completed enrollment is history: taking the item again starts a new one."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.state == EnrollmentState.ASSIGNED:
        _move(enrollment, EnrollmentState.IN_PROGRESS)
        enrollment.started_at = timezone.now()
    _move(enrollment, EnrollmentState.COMPLETED)
    enrollment.completed_at = timezone.now()
    enrollment.closed_at = enrollment.completed_at
    enrollment.save(update_fields=["state", "started_at", "completed_at", "closed_at"])
    event_record(
        tenant=actor.tenant,
        name="learning.completed",
        payload={
            "enrollment_id": enrollment.pk,
            "person_id": enrollment.person_id,
            "item_id": enrollment.item_id,
            "completed_at": enrollment.completed_at.isoformat(),
        },
    )
    return enrollment
