"""Writing onboarding programs, and starting people's onboarding (giving them the learning
milestones' items). The PRM's business events are `cascade.learning.onboarding_events`.

Rules:
- only program admins (and integrations with `learning:write`) write programs
  (`Action.ONBOARDING_MANAGE`); a phase is due after it starts; a learning milestone names a
  published item, a business milestone an event key such as `deal_registered`;
- starting onboarding assigns each learning milestone's item to each person of the program's
  audience once (an `OnboardingAssignment` marks it, so a withdrawal is never undone), due at
  the end of the milestone's phase counted from the person's anchor date. A due date already
  past (someone who joined while the program was edited) becomes the phase's length from
  today. People already holding the item open, or having completed it, keep what they have.
  It runs when a program is created or (re)activated, when a milestone is added, and for a
  newcomer on `membership.started`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record
from cascade.catalog.browse import live_items
from cascade.catalog.item_models import CatalogItem
from cascade.catalog.models import Audience
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.selectors import memberships_in_audience
from cascade.core.errors import Conflict, ValidationFailed
from cascade.core.generations import generation_bump
from cascade.events.registry import consumer
from cascade.events.services import event_record
from cascade.learning.models import OPEN_STATES, Enrollment, EnrollmentSource, EnrollmentState
from cascade.learning.onboarding_models import (
    EventScope,
    MilestoneKind,
    OnboardingAnchor,
    OnboardingAssignment,
    OnboardingMilestone,
    OnboardingPhase,
    OnboardingProgram,
)
from cascade.tenancy.models import Tenant

MAX_DAYS = 3_650
MAX_PHASES = 20
MAX_MILESTONES_PER_PHASE = 30
EVENT_KEY = re.compile(r"^[a-z][a-z0-9_.]{0,59}$")
BATCH = 5_000


def clean_name(value: str, field: str = "name", limit: int = 120) -> str:
    value = " ".join((value or "").split())
    if not value or len(value) > limit:
        raise ValidationFailed.field(field, f"Use 1 to {limit} characters.", code="invalid_name")
    return value


def _days(starts_after_days: int, due_after_days: int) -> None:
    if not 0 <= starts_after_days <= MAX_DAYS:
        raise ValidationFailed.field(
            "starts_after_days", f"Use 0 to {MAX_DAYS} days.", code="out_of_range"
        )
    if not 1 <= due_after_days <= MAX_DAYS:
        raise ValidationFailed.field(
            "due_after_days", f"Use 1 to {MAX_DAYS} days.", code="out_of_range"
        )
    if due_after_days <= starts_after_days:
        raise ValidationFailed.field(
            "due_after_days", "A phase is due after it starts.", code="due_before_start"
        )


def _anchor_choice(relative_to: str) -> str:
    if relative_to not in OnboardingAnchor.values:
        raise ValidationFailed.field(
            "relative_to", "Choose person or organization.", code="invalid_choice"
        )
    return relative_to


def _audience(audience_id: int) -> Audience:
    audience = Audience.objects.filter(pk=audience_id).first()
    if audience is None:
        raise ValidationFailed.field("audience_id", "Unknown audience.", code="unknown_reference")
    return audience


def event_key_valid(key: str) -> str:
    key = (key or "").strip().lower()
    if not EVENT_KEY.match(key):
        raise ValidationFailed.field(
            "event_key",
            "Use a key such as deal_registered: a-z, 0-9, _ and ., up to 60 characters.",
            code="invalid_event_key",
        )
    return key


# --- programs, phases, milestones -------------------------------------------------------------


# Every learner home reads the active programs: they are cached until one of them, or a phase
# or milestone in one, changes (`programs_changed`).
ONBOARDING_PROGRAMS = "learning:onboarding-programs"
PROGRAMS_CACHE_SECONDS = 300


def programs_changed(tenant_id: int) -> None:
    generation_bump(ONBOARDING_PROGRAMS, tenant_id)


# The business events reported for a person or an organization are cached for their onboarding
# status, until the next one is reported (`onboarding_events.business_event_record`).
REPORTED_EVENTS_SECONDS = 600


def reported_events_family(
    *, person_id: int | None = None, organization_id: int | None = None
) -> str:
    if person_id is not None:
        return f"learning:events:person:{person_id}"
    return f"learning:events:organization:{organization_id}"


@transaction.atomic
def program_create(
    *,
    actor: Actor,
    name: str,
    audience_id: int,
    relative_to: str = OnboardingAnchor.PERSON,
    description: str = "",
    effective_from: date | None = None,
    active: bool = True,
) -> OnboardingProgram:
    """A new program (no phases yet). People who joined before `effective_from` (today unless
    given) are measured from it, so a program never starts out with everyone late."""
    require(actor, Action.ONBOARDING_MANAGE)
    name = clean_name(name)
    if len(description or "") > 2000:
        raise ValidationFailed.field("description", "Use up to 2000 characters.", code="too_long")
    program_fields = {
        "audience": _audience(audience_id),
        "relative_to": _anchor_choice(relative_to),
        "description": (description or "").strip(),
        "effective_from": effective_from or timezone.localdate(),
        "active": active,
    }
    try:
        with transaction.atomic():
            program = OnboardingProgram.objects.create(
                tenant=actor.tenant, name=name, created_by=actor.person, **program_fields
            )
    except IntegrityError as exc:
        raise Conflict("A program with that name exists.", code="duplicate_name") from exc
    programs_changed(actor.tenant.pk)
    audit_record(
        actor=actor,
        action="onboarding_program.create",
        target=program,
        after={"name": name, "audience": audience_id, "relative_to": relative_to},
    )
    return program


@transaction.atomic
def program_update(
    *,
    actor: Actor,
    program: OnboardingProgram,
    name: str | None = None,
    audience_id: int | None = None,
    relative_to: str | None = None,
    description: str | None = None,
    effective_from: date | None = None,
    active: bool | None = None,
) -> OnboardingProgram:
    """Change a program; fields not given stay. Activating it (or widening its audience)
    starts onboarding for the people it now reaches."""
    require(actor, Action.ONBOARDING_MANAGE)
    program = OnboardingProgram.objects.select_for_update().get(pk=program.pk)
    before = {
        "name": program.name,
        "audience": program.audience_id,
        "relative_to": program.relative_to,
        "active": program.active,
        "effective_from": program.effective_from.isoformat(),
    }
    if name is not None:
        program.name = clean_name(name)
    if audience_id is not None:
        program.audience = _audience(audience_id)
    if relative_to is not None:
        program.relative_to = _anchor_choice(relative_to)
    if description is not None:
        if len(description) > 2000:
            raise ValidationFailed.field(
                "description", "Use up to 2000 characters.", code="too_long"
            )
        program.description = description.strip()
    if effective_from is not None:
        program.effective_from = effective_from
    if active is not None:
        program.active = active
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError as exc:
        raise Conflict("A program with that name exists.", code="duplicate_name") from exc
    programs_changed(actor.tenant.pk)
    audit_record(
        actor=actor,
        action="onboarding_program.update",
        target=program,
        before=before,
        after={
            "name": program.name,
            "audience": program.audience_id,
            "relative_to": program.relative_to,
            "active": program.active,
            "effective_from": program.effective_from.isoformat(),
        },
    )
    onboarding_start(tenant=actor.tenant, program=program)
    return program


@transaction.atomic
def phase_add(
    *,
    actor: Actor,
    program: OnboardingProgram,
    name: str,
    starts_after_days: int,
    due_after_days: int,
) -> OnboardingPhase:
    """Append a phase to the program (phases are listed in the order they were added)."""
    require(actor, Action.ONBOARDING_MANAGE)
    name = clean_name(name)
    _days(starts_after_days, due_after_days)
    program = OnboardingProgram.objects.select_for_update().get(pk=program.pk)
    existing = OnboardingPhase.objects.filter(program=program)
    if existing.count() >= MAX_PHASES:
        raise ValidationFailed.field(
            "name", f"A program has at most {MAX_PHASES} phases.", code="too_many"
        )
    last = existing.aggregate(last=Max("position"))["last"] or 0
    phase = OnboardingPhase.objects.create(
        tenant=actor.tenant,
        program=program,
        position=last + 1,
        name=name,
        starts_after_days=starts_after_days,
        due_after_days=due_after_days,
    )
    programs_changed(actor.tenant.pk)
    audit_record(
        actor=actor,
        action="onboarding_phase.add",
        target=phase,
        after={"program": program.pk, "name": name, "days": [starts_after_days, due_after_days]},
    )
    return phase


@transaction.atomic
def phase_update(
    *,
    actor: Actor,
    phase: OnboardingPhase,
    name: str,
    starts_after_days: int,
    due_after_days: int,
) -> OnboardingPhase:
    """Rename or move a phase in time (due dates of items already given stay as they are)."""
    require(actor, Action.ONBOARDING_MANAGE)
    name = clean_name(name)
    _days(starts_after_days, due_after_days)
    phase = OnboardingPhase.objects.select_for_update().get(pk=phase.pk)
    before = {"name": phase.name, "days": [phase.starts_after_days, phase.due_after_days]}
    phase.name = name
    phase.starts_after_days = starts_after_days
    phase.due_after_days = due_after_days
    phase.save(update_fields=["name", "starts_after_days", "due_after_days"])
    programs_changed(actor.tenant.pk)
    audit_record(
        actor=actor,
        action="onboarding_phase.update",
        target=phase,
        before=before,
        after={"name": name, "days": [starts_after_days, due_after_days]},
    )
    return phase


@transaction.atomic
def phase_remove(*, actor: Actor, phase: OnboardingPhase) -> None:
    """Remove a phase and its milestones (items already given stay with the people)."""
    require(actor, Action.ONBOARDING_MANAGE)
    programs_changed(actor.tenant.pk)
    audit_record(
        actor=actor,
        action="onboarding_phase.remove",
        target=phase,
        before={"program": phase.program_id, "name": phase.name},
    )
    phase.delete()


@transaction.atomic
def milestone_add(
    *,
    actor: Actor,
    phase: OnboardingPhase,
    kind: str,
    label: str = "",
    item_id: int | None = None,
    event_key: str = "",
    event_scope: str = EventScope.PERSON,
) -> OnboardingMilestone:
    """Append a milestone: complete a published item (`learning`), or a business event the PRM
    reports (`business_event`, of the person or of their organization). A learning milestone
    added to an active program is given at once to the people already in onboarding."""
    require(actor, Action.ONBOARDING_MANAGE)
    if kind not in MilestoneKind.values:
        raise ValidationFailed.field(
            "kind", "Choose learning or business_event.", code="invalid_choice"
        )
    item = None
    if kind == MilestoneKind.LEARNING:
        if item_id is None:
            raise ValidationFailed.field("item_id", "Choose an item.", code="required")
        if event_key:
            raise ValidationFailed.field(
                "event_key", "A learning milestone has no event.", code="conflicting"
            )
        item = live_items().filter(pk=item_id).first()
        if item is None:
            raise ValidationFailed.field(
                "item_id", "Choose a published item.", code="unknown_reference"
            )
        event_scope = EventScope.PERSON
    else:
        if item_id is not None:
            raise ValidationFailed.field(
                "item_id", "A business milestone has no item.", code="conflicting"
            )
        event_key = event_key_valid(event_key)
        if event_scope not in EventScope.values:
            raise ValidationFailed.field(
                "event_scope", "Choose person or organization.", code="invalid_choice"
            )
    label = " ".join((label or "").split())
    if not label:
        label = _published_title(item, actor.tenant.default_locale) if item else event_key
    if not label or len(label) > 160:
        raise ValidationFailed.field("label", "Use 1 to 160 characters.", code="invalid_name")
    phase = OnboardingPhase.objects.select_for_update().select_related("program").get(pk=phase.pk)
    existing = OnboardingMilestone.objects.filter(phase=phase)
    if existing.count() >= MAX_MILESTONES_PER_PHASE:
        raise ValidationFailed.field(
            "label",
            f"A phase has at most {MAX_MILESTONES_PER_PHASE} milestones.",
            code="too_many",
        )
    last = existing.aggregate(last=Max("position"))["last"] or 0
    milestone = OnboardingMilestone.objects.create(
        tenant=actor.tenant,
        phase=phase,
        position=last + 1,
        kind=kind,
        item=item,
        event_key=event_key if kind == MilestoneKind.BUSINESS_EVENT else "",
        event_scope=event_scope,
        label=label,
    )
    programs_changed(actor.tenant.pk)
    audit_record(
        actor=actor,
        action="onboarding_milestone.add",
        target=milestone,
        after={"phase": phase.pk, "kind": kind, "item": item_id, "event_key": event_key},
    )
    if item is not None:
        onboarding_start(tenant=actor.tenant, program=phase.program)
    return milestone


@transaction.atomic
def milestone_remove(*, actor: Actor, milestone: OnboardingMilestone) -> None:
    require(actor, Action.ONBOARDING_MANAGE)
    programs_changed(actor.tenant.pk)
    audit_record(
        actor=actor,
        action="onboarding_milestone.remove",
        target=milestone,
        before={"phase": milestone.phase_id, "label": milestone.label},
    )
    milestone.delete()


def _published_title(item: CatalogItem, locale: str) -> str:
    """The item's published title, in the program's language when it has one."""
    titles = dict(SearchEntry.objects.filter(item=item).values_list("locale", "title"))
    return titles.get(locale) or next(iter(sorted(titles.values())), "")[:160]


# --- starting onboarding ----------------------------------------------------------------------


def anchor_date(
    program: OnboardingProgram, *, membership_started: date, organization_joined: date | None
) -> date:
    """The day the person's onboarding counts from: their join date, or their organization's
    (their own when the organization has none), never before the program's start."""
    joined = membership_started
    if program.relative_to == OnboardingAnchor.ORGANIZATION and organization_joined is not None:
        joined = organization_joined
    return max(joined, program.effective_from)


def milestone_due(phase: OnboardingPhase, anchor: date, today: date) -> date:
    due = anchor + timedelta(days=phase.due_after_days)
    return due if due >= today else today + timedelta(days=phase.window_days)


@transaction.atomic
def onboarding_start(
    *, tenant: Tenant, program: OnboardingProgram, person_ids: list[int] | None = None
) -> int:
    """Give the learning milestones' items to the program's people (optionally only among
    `person_ids`) who never had them from this program. A few queries per milestone, whatever
    the number of people. Returns how many enrollments were written."""
    if not program.active:
        return 0
    today = timezone.localdate()
    milestones = list(
        OnboardingMilestone.objects.filter(
            phase__program=program, kind=MilestoneKind.LEARNING, item__in=live_items()
        )
        .select_related("phase", "item")
        .order_by("phase__position", "position")
    )
    if not milestones:
        return 0
    members = memberships_in_audience(program.audience_id, default_locale=tenant.default_locale)
    if person_ids is not None:
        members = members.filter(person_id__in=person_ids)
    people = {
        person_id: (started, joined)
        for person_id, started, joined in members.values_list(
            "person_id", "started_on", "organization__joined_on"
        )
    }
    if not people:
        return 0
    created = 0
    for milestone in milestones:
        item = milestone.item
        assert item is not None
        done = set(
            OnboardingAssignment.objects.filter(
                milestone=milestone, person_id__in=list(people)
            ).values_list("person_id", flat=True)
        )
        candidates = [p for p in people if p not in done]
        if not candidates:
            continue
        admitted = set(
            memberships_in_audience(
                item.published_audience_id or 0, default_locale=tenant.default_locale
            )
            .filter(person_id__in=candidates)
            .values_list("person_id", flat=True)
        )
        holding = set(
            Enrollment.objects.filter(item=item, person_id__in=candidates)
            .filter(state__in=[*OPEN_STATES, EnrollmentState.COMPLETED])
            .values_list("person_id", flat=True)
        )
        to_enroll = [p for p in candidates if p in admitted and p not in holding]
        # Someone enrolled in the same instant keeps that enrollment (the one-open-per-item
        # constraint), so the rows are inserted ignoring conflicts and read back.
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    tenant=tenant,
                    person_id=person_id,
                    item=item,
                    source=EnrollmentSource.VENDOR,
                    required=True,
                    due_on=milestone_due(
                        milestone.phase,
                        anchor_date(
                            program,
                            membership_started=people[person_id][0],
                            organization_joined=people[person_id][1],
                        ),
                        today,
                    ),
                )
                for person_id in to_enroll
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        by_person = dict(
            Enrollment.objects.filter(
                item=item,
                person_id__in=to_enroll,
                source=EnrollmentSource.VENDOR,
                state__in=OPEN_STATES,
            ).values_list("person_id", "pk")
        )
        # Only people the item reaches are marked: someone who comes to see it later gets it then.
        OnboardingAssignment.objects.bulk_create(
            [
                OnboardingAssignment(
                    tenant=tenant,
                    person_id=person_id,
                    milestone=milestone,
                    enrollment_id=by_person.get(person_id),
                )
                for person_id in candidates
                if person_id in admitted
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        created += len(to_enroll)
    if created:
        event_record(
            tenant=tenant,
            name="learning.onboarding_assigned",
            payload={"program_id": program.pk, "assigned": created},
        )
    return created


def onboarding_start_all(*, tenant: Tenant, person_ids: list[int] | None = None) -> int:
    """Start onboarding in every active program (a newcomer, or the daily sweep)."""
    return sum(
        onboarding_start(tenant=tenant, program=program, person_ids=person_ids)
        for program in OnboardingProgram.objects.filter(active=True).order_by("pk")
    )


@consumer("membership.started")
def start_onboarding_of_newcomer(tenant_id: int, payload: dict[str, Any]) -> None:
    """A new partner person starts the onboarding programs that reach them."""
    if payload.get("organization_id") is None:
        return
    tenant = Tenant.objects.get(pk=tenant_id)
    onboarding_start_all(tenant=tenant, person_ids=[payload["person_id"]])
