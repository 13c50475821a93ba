"""What a partner manager does to their team's learning in bulk, besides assigning (which is
`services.assign`): reminding people of the learning they were given.

A reminder is one notification per person ("learning.reminder", in one insert however many
people) about their open assigned learning, optionally about one item. Reminders are throttled
without a column of their own: every reminder is an audit row listing the enrollments it
concerned, and an enrollment already in one of today's reminder rows (whoever sent it) is left
out, so a person is reminded of the same enrollment at most once a day, however many managers
click. People with nothing left to remind of are reported back, not notified.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import (
    Action,
    can,
    manages_partner_people,
    memberships_visible,
)
from cascade.audit.models import AuditEntry
from cascade.audit.services import audit_record
from cascade.core.errors import PermissionDenied, ValidationFailed
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.learning.models import OPEN_STATES, Enrollment, EnrollmentSource
from cascade.learning.team import title_of
from cascade.notifications.services import notification_send

REMIND_ACTION = "learning.remind"
MAX_REMINDED = 500


@dataclass(frozen=True)
class ReminderResult:
    reminded: list[int] = field(default_factory=list)  # person ids notified
    # People chosen who had nothing open to remind of, or were already reminded of it today.
    skipped: list[int] = field(default_factory=list)


def _reminded_today(actor: Actor) -> set[int]:
    """Enrollments some reminder of today already concerned (from the audit log: one query over
    today's reminder rows, a handful per organization)."""
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    reminded: set[int] = set()
    for after in AuditEntry.objects.filter(
        action=REMIND_ACTION, occurred_at__gte=start
    ).values_list("after", flat=True):
        if isinstance(after, dict):
            reminded.update(int(pk) for pk in after.get("enrollments", []))
    return reminded


@transaction.atomic
def team_remind(
    *, actor: Actor, membership_ids: Sequence[int], item_id: int | None = None
) -> ReminderResult:
    """A partner manager reminds some of their people of their open assigned learning (or only
    of one item). Everyone chosen must be one of the manager's people, or nothing is sent."""
    if not (can(actor, Action.LEARNING_PROGRESS_VIEW) and manages_partner_people(actor)):
        raise PermissionDenied("You cannot remind people of their learning.", code="forbidden")
    ids = sorted(set(membership_ids))
    if not ids:
        raise ValidationFailed.field(
            "membership_ids", "Choose at least one person.", code="required"
        )
    if len(ids) > MAX_REMINDED:
        raise ValidationFailed.field(
            "membership_ids", f"Remind at most {MAX_REMINDED} people at once.", code="too_many"
        )
    memberships = list(
        memberships_visible(
            actor,
            Membership.objects.filter(
                pk__in=ids, status=MembershipStatus.ACTIVE, organization__isnull=False
            ),
        ).select_related("person")
    )
    found = {m.pk for m in memberships}
    unreachable = [pk for pk in ids if pk not in found]
    if unreachable:
        raise ValidationFailed(
            "Some of these people are not yours to remind.",
            code="not_remindable",
            details=[
                {"field": "membership_ids", "message": f"Membership {pk}"} for pk in unreachable
            ],
        )
    people = {m.person_id: m.person for m in memberships}
    open_learning = Enrollment.objects.filter(
        person_id__in=list(people), state__in=OPEN_STATES
    ).exclude(source=EnrollmentSource.SELF)
    if item_id is not None:
        open_learning = open_learning.filter(item_id=item_id)
    already = _reminded_today(actor)
    due = [
        (pk, person_id, title)
        for pk, person_id, title in open_learning.annotate(
            title=title_of("item_id", actor.tenant.default_locale)
        )
        .order_by("pk")
        .values_list("pk", "person_id", "title")
        if pk not in already
    ]
    recipients: list[Person] = [people[pid] for pid in sorted({pid for _, pid, _ in due})]
    if not recipients:
        return ReminderResult(reminded=[], skipped=sorted(people))
    sender = actor.person.full_name if actor.person is not None else "Your manager"
    if item_id is not None and due:
        title = f"Reminder: {due[0][2] or 'learning assigned to you'}"
        body = f"{sender} reminds you to complete “{due[0][2]}”."
        url = f"/catalog/{item_id}/"
    else:
        title = "Reminder: learning assigned to you"
        body = f"{sender} reminds you of the learning assigned to you. Your home page lists it."
        url = "/"
    notification_send(
        tenant=actor.tenant,
        people=recipients,
        kind="learning.reminder",
        title=title[:200],
        body=body,
        url=url,
    )
    organization = actor.membership.organization if actor.membership is not None else None
    assert organization is not None  # a partner manager belongs to an organization
    audit_record(
        actor=actor,
        action=REMIND_ACTION,
        target=organization,
        after={
            "people": [p.pk for p in recipients],
            "enrollments": [pk for pk, _, _ in due],
            "item": item_id,
        },
    )
    reminded = {p.pk for p in recipients}
    return ReminderResult(reminded=sorted(reminded), skipped=sorted(set(people) - reminded))
