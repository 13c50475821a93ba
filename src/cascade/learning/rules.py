"""Dynamic assignment rules: "every technical person at a Gold partner in EMEA gets path X, due
30 days after joining". A rule is an audience (the catalog's, read the other way round) and an
item; applying it assigns the item to every active partner person in the audience who has not
had it from this rule, in bulk (no per-person query), and the same rule applies again to people
who come to match later: new people (on `membership.started`) and everyone else on the daily
sweep (`cascade apply_assignment_rules`), which catches tier, region or role changes.

A due date relative to joining that has already passed becomes the same number of days from
today: people who joined long ago get the time the rule gives, not an overdue item.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record
from cascade.catalog.browse import live_items
from cascade.catalog.models import Audience
from cascade.catalog.selectors import memberships_in_audience
from cascade.core.errors import Conflict, ValidationFailed
from cascade.events.services import event_record
from cascade.learning.models import (
    OPEN_STATES,
    AssignmentRule,
    DueFrom,
    Enrollment,
    EnrollmentSource,
)
from cascade.learning.services import MAX_DUE_DAYS, relative_due
from cascade.tenancy.models import Tenant

BATCH = 5_000


@transaction.atomic
def rule_create(
    *,
    actor: Actor,
    name: str,
    audience: Audience,
    item_id: int,
    required: bool = True,
    due_days: int | None = None,
    due_from: str = DueFrom.ASSIGNMENT,
) -> AssignmentRule:
    """Create a rule and apply it at once."""
    require(actor, Action.LEARNING_RULES_MANAGE)
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise ValidationFailed.field("name", "Use 1 to 120 characters.", code="invalid_name")
    if due_from not in DueFrom.values:
        raise ValidationFailed.field("due_from", "Choose assignment or joining.", code="invalid")
    if due_days is not None and not 1 <= due_days <= MAX_DUE_DAYS:
        raise ValidationFailed.field(
            "due_days", f"Use 1 to {MAX_DUE_DAYS} days.", code="out_of_range"
        )
    item = live_items().filter(pk=item_id).first()
    if item is None:
        raise ValidationFailed.field(
            "item_id", "Choose a published item.", code="unknown_reference"
        )
    try:
        with transaction.atomic():
            rule = AssignmentRule.objects.create(
                tenant=actor.tenant,
                name=name,
                audience=audience,
                item=item,
                required=required,
                due_days=due_days,
                due_from=due_from,
                created_by=actor.person,
            )
    except IntegrityError as exc:
        raise Conflict("A rule with that name exists.", code="duplicate_name") from exc
    audit_record(
        actor=actor,
        action="assignment_rule.create",
        target=rule,
        after={"audience": audience.pk, "item": item.pk, "due_days": due_days},
    )
    rule_apply(tenant=actor.tenant, rule=rule)
    return rule


@transaction.atomic
def rule_set_active(*, actor: Actor, rule: AssignmentRule, active: bool) -> AssignmentRule:
    """Stop a rule (it assigns nobody any more; what it assigned stays assigned) or start it
    again (it applies at once, to everyone who matches and never had the item from it)."""
    require(actor, Action.LEARNING_RULES_MANAGE)
    rule = AssignmentRule.objects.select_for_update().get(pk=rule.pk)
    if rule.active == active:
        return rule
    rule.active = active
    rule.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="assignment_rule.activate" if active else "assignment_rule.deactivate",
        target=rule,
        before={"active": not active},
        after={"active": active},
    )
    if active:
        rule_apply(tenant=actor.tenant, rule=rule)
    return rule


@transaction.atomic
def rule_apply_now(*, actor: Actor, rule: AssignmentRule) -> int:
    """Apply a rule on request instead of waiting for the daily sweep (after changing an
    audience, say). A stopped rule is not applied: start it again first."""
    require(actor, Action.LEARNING_RULES_MANAGE)
    if not rule.active:
        raise Conflict("This rule is stopped; start it again to apply it.", code="rule_inactive")
    assigned = rule_apply(tenant=actor.tenant, rule=rule)
    audit_record(
        actor=actor, action="assignment_rule.apply", target=rule, after={"assigned": assigned}
    )
    return assigned


def _due(rule: AssignmentRule, joined: date | None, today: date) -> date | None:
    if rule.due_days is None:
        return None
    return relative_due(today, joined, due_days=rule.due_days, due_from=rule.due_from)


@transaction.atomic
def rule_apply(*, tenant: Tenant, rule: AssignmentRule, person_ids: list[int] | None = None) -> int:
    """Assign the rule's item to the people in its audience who never had it from this rule and
    hold no open enrollment in it (optionally only among `person_ids`). Returns how many were
    written (a person enrolled by someone else in the same instant keeps that enrollment)."""
    if not rule.active or not live_items().filter(pk=rule.item_id).exists():
        return 0
    today = timezone.localdate()
    members = memberships_in_audience(rule.audience_id, default_locale=tenant.default_locale)
    if person_ids is not None:
        members = members.filter(person_id__in=person_ids)
    had_it = Enrollment.objects.filter(
        person_id=OuterRef("person_id"), item_id=rule.item_id
    ).filter(state__in=OPEN_STATES) | Enrollment.objects.filter(
        person_id=OuterRef("person_id"), rule_id=rule.pk
    )
    rows = (
        members.filter(~Exists(had_it))
        .order_by("person_id")
        .values_list("person_id", "started_on")
        .distinct()
    )
    created = 0
    batch: list[Enrollment] = []
    for person_id, joined in rows.iterator(chunk_size=BATCH):
        batch.append(
            Enrollment(
                tenant=tenant,
                person_id=person_id,
                item_id=rule.item_id,
                source=EnrollmentSource.RULE,
                required=rule.required,
                due_on=_due(rule, joined, today),
                rule=rule,
            )
        )
        if len(batch) >= BATCH:
            created += _insert(batch)
            batch = []
    created += _insert(batch)
    rule.last_applied_at = timezone.now()
    rule.save(update_fields=["last_applied_at"])
    if created:
        # One event for the batch: consumers read the rule's enrollments themselves.
        event_record(
            tenant=tenant,
            name="learning.rule_applied",
            payload={"rule_id": rule.pk, "item_id": rule.item_id, "assigned": created},
        )
    return created


def _insert(batch: list[Enrollment]) -> int:
    if not batch:
        return 0
    # A person enrolled meanwhile keeps that enrollment (the one-open-per-item constraint).
    Enrollment.objects.bulk_create(batch, ignore_conflicts=True)
    return len(batch)


def rules_apply_all(*, tenant: Tenant, person_ids: list[int] | None = None) -> int:
    """Apply every active rule of the tenant (the daily sweep, or one person who just joined)."""
    return sum(
        rule_apply(tenant=tenant, rule=rule, person_ids=person_ids)
        for rule in AssignmentRule.objects.filter(active=True).order_by("pk")
    )
