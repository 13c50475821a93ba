"""Where people stand in their onboarding: per phase and overall, per person and per
organization, in a fixed number of queries whatever the number of people.

A phase of a person's onboarding is
- `done` when every milestone in it is complete (whenever it was completed);
- `not_started` before it opens (its `starts_after_days` after the anchor date);
- `late` after its due date with a milestone still open;
- `at_risk` while open with less than a third of its window left (`AT_RISK_SHARE`) and a
  milestone still open;
- `on_track` otherwise.
Overall, a person is late when some phase is, else at risk when some phase is, done when every
phase is, not started when no phase has opened, and on track otherwise.

A learning milestone is complete when the person has a completed enrollment in its item; a
business milestone when the PRM reported its event for the person, or (organization
milestones) for the organization the person belongs to now. A person who moves to another
partner keeps their completions and their own events; the new organization's events count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import Prefetch, QuerySet, Value
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import memberships_visible, organizations_visible
from cascade.catalog.audiences import Viewer
from cascade.catalog.selectors import admitted_audience_ids, memberships_in_audience, viewer_for
from cascade.core.generations import Cached, generation_cached_many
from cascade.identity.models import Membership, MembershipStatus
from cascade.learning.models import Enrollment, EnrollmentState
from cascade.learning.onboarding import (
    ONBOARDING_PROGRAMS,
    PROGRAMS_CACHE_SECONDS,
    REPORTED_EVENTS_SECONDS,
    anchor_date,
    reported_events_family,
)
from cascade.learning.onboarding_models import (
    BusinessEventRecord,
    EventScope,
    MilestoneKind,
    OnboardingMilestone,
    OnboardingPhase,
    OnboardingProgram,
)
from cascade.tenancy.models import PartnerOrganization

# A phase is at risk when less than this share of its window is left.
AT_RISK_SHARE = 1 / 3


class Status(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DONE: "Done",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.LATE: "Late",
    Status.NOT_STARTED: "Not started",
}
# Worst first: what a person's overall status, or a summary across programs, shows.
SEVERITY = (Status.LATE, Status.AT_RISK, Status.ON_TRACK, Status.NOT_STARTED, Status.DONE)


@dataclass(frozen=True)
class MilestoneStatus:
    milestone_id: int
    label: str
    kind: str
    item_id: int | None
    event_key: str
    event_scope: str
    done: bool


@dataclass(frozen=True)
class PhaseStatus:
    phase_id: int
    position: int
    name: str
    starts_on: date
    due_on: date
    status: Status
    milestones: list[MilestoneStatus]

    @property
    def completed(self) -> int:
        return sum(1 for m in self.milestones if m.done)


@dataclass(frozen=True)
class PersonOnboarding:
    """One person in one program."""

    membership_id: int
    person_id: int
    full_name: str
    email: str
    organization_id: int
    organization_name: str
    program_id: int
    program_name: str
    anchor_on: date
    status: Status
    phases: list[PhaseStatus]

    @property
    def milestones_done(self) -> int:
        return sum(p.completed for p in self.phases)

    @property
    def milestones_total(self) -> int:
        return sum(len(p.milestones) for p in self.phases)

    @property
    def current_phase(self) -> PhaseStatus | None:
        """The first phase not done (what the person should work on now)."""
        return next((p for p in self.phases if p.status != Status.DONE), None)


@dataclass(frozen=True)
class OrganizationRollup:
    organization_id: int
    organization_name: str
    counts: dict[Status, int] = field(default_factory=dict)

    @property
    def people(self) -> int:
        return sum(self.counts.values())

    def count(self, status: str) -> int:
        return self.counts.get(Status(status), 0)


def phase_status(*, starts_on: date, due_on: date, complete: bool, today: date) -> Status:
    if complete:
        return Status.DONE
    if today < starts_on:
        return Status.NOT_STARTED
    if today > due_on:
        return Status.LATE
    window = (due_on - starts_on).days
    left = (due_on - today).days
    if left < window * AT_RISK_SHARE:
        return Status.AT_RISK
    return Status.ON_TRACK


def overall_status(phases: Sequence[Status]) -> Status:
    if not phases:
        return Status.NOT_STARTED
    if Status.LATE in phases:
        return Status.LATE
    if Status.AT_RISK in phases:
        return Status.AT_RISK
    if all(s == Status.DONE for s in phases):
        return Status.DONE
    if all(s == Status.NOT_STARTED for s in phases):
        return Status.NOT_STARTED
    return Status.ON_TRACK


def worst(statuses: Iterable[Status]) -> Status | None:
    present = set(statuses)
    return next((s for s in SEVERITY if s in present), None)


# --- loading ----------------------------------------------------------------------------------


def with_structure(programs: QuerySet[OnboardingProgram]) -> QuerySet[OnboardingProgram]:
    """Programs with their phases and milestones in order (two more queries, once)."""
    milestones = OnboardingMilestone.objects.order_by("position", "id")
    phases = OnboardingPhase.objects.order_by("position", "id").prefetch_related(
        Prefetch("milestones", queryset=milestones)
    )
    return programs.prefetch_related(Prefetch("phases", queryset=phases))


def active_programs(program_ids: Sequence[int] | None = None) -> list[OnboardingProgram]:
    """Active programs with their phases and milestones (three queries)."""
    programs = OnboardingProgram.objects.filter(active=True)
    if program_ids is not None:
        programs = programs.filter(pk__in=list(program_ids))
    return list(with_structure(programs).order_by("name", "id"))


def active_programs_cached(tenant_id: int) -> Cached[list[OnboardingProgram]]:
    """`active_programs()`, cached until the next change to a program, phase or milestone (no
    query while warm): every learner home reads it (`generation_cached_many`)."""
    return Cached(ONBOARDING_PROGRAMS, tenant_id, "active", active_programs, PROGRAMS_CACHE_SECONDS)


def _reported_keys_cached(
    tenant_id: int, *, person_id: int | None = None, organization_id: int | None = None
) -> Cached[frozenset[str]]:
    """The business events ever reported for a person, or an organization (distinct keys),
    cached until the next one is (`business_event_record` bumps the family)."""
    if person_id is not None:
        family = reported_events_family(person_id=person_id)
        records = BusinessEventRecord.objects.filter(person_id=person_id)
    else:
        family = reported_events_family(organization_id=organization_id)
        records = BusinessEventRecord.objects.filter(organization_id=organization_id)

    def compute() -> frozenset[str]:
        return frozenset(records.order_by().values_list("key", flat=True).distinct())

    return Cached(family, tenant_id, "keys", compute, REPORTED_EVENTS_SECONDS)


def _events_reported(
    milestones: Sequence[OnboardingMilestone],
    person_ids: Sequence[int],
    organization_ids: Sequence[int],
) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """Which (person, key) and (organization, key) the business milestones wait for were
    reported, in one query of distinct pairs: an organization's event may have been reported
    thousands of times (every deal its people registered), the answer is one row."""
    events = [m for m in milestones if m.kind == MilestoneKind.BUSINESS_EVENT]
    person_keys = sorted({m.event_key for m in events if m.event_scope != EventScope.ORGANIZATION})
    organization_keys = sorted(
        {m.event_key for m in events if m.event_scope == EventScope.ORGANIZATION}
    )
    records = BusinessEventRecord.objects.order_by()
    reads = []
    if person_keys and person_ids:
        reads.append(
            records.filter(person_id__in=person_ids, key__in=person_keys)
            .annotate(scope=Value(EventScope.PERSON))
            .values_list("scope", "person_id", "key")
        )
    if organization_keys and organization_ids:
        reads.append(
            records.filter(organization_id__in=organization_ids, key__in=organization_keys)
            .annotate(scope=Value(EventScope.ORGANIZATION))
            .values_list("scope", "organization_id", "key")
        )
    person_events: set[tuple[int, str]] = set()
    organization_events: set[tuple[int, str]] = set()
    if reads:
        # UNION (not UNION ALL) returns each pair once.
        pairs = reads[0].union(*reads[1:]) if len(reads) > 1 else reads[0].distinct()
        for scope, subject_id, key in pairs:
            if scope == EventScope.ORGANIZATION:
                organization_events.add((subject_id, key))
            else:
                person_events.add((subject_id, key))
    return person_events, organization_events


def _statuses(
    memberships: Sequence[Membership],
    programs: Sequence[OnboardingProgram],
    *,
    tenant_locale: str,
    today: date | None = None,
    in_program: dict[int, set[int]] | None = None,
    completed_items: set[int] | None = None,
    reported: tuple[set[tuple[int, str]], set[tuple[int, str]]] | None = None,
) -> list[PersonOnboarding]:
    """Each membership's onboarding in each program whose audience includes it: one query per
    program (who is in its audience, unless `in_program` already maps each program to the
    memberships it reaches) and two for all completions (one when `completed_items` already
    tells which milestone items the only person given completed, none when `reported` tells
    which (person, key) and (organization, key) events were reported), whatever the number of
    people. `memberships` must come with their person and organization."""
    today = today or timezone.localdate()
    if not memberships or not programs:
        return []
    membership_ids = [m.pk for m in memberships]
    person_ids = sorted({m.person_id for m in memberships})
    organization_ids = sorted({m.organization_id for m in memberships if m.organization_id})
    if in_program is None:
        in_program = {
            program.pk: set(
                memberships_in_audience(program.audience_id, default_locale=tenant_locale)
                .filter(pk__in=membership_ids)
                .values_list("pk", flat=True)
            )
            for program in programs
        }
    milestones = [
        milestone
        for program in programs
        for phase in program.phases.all()
        for milestone in phase.milestones.all()
    ]
    item_ids = sorted({m.item_id for m in milestones if m.item_id is not None})
    completed: set[tuple[int, int]] = set()
    if completed_items is not None:
        (person_id,) = person_ids
        completed = {(person_id, item_id) for item_id in completed_items}
    elif item_ids:
        completed = set(
            Enrollment.objects.filter(
                person_id__in=person_ids,
                item_id__in=item_ids,
                state=EnrollmentState.COMPLETED,
            )
            .order_by()  # distinct pairs, not distinct rows of the default ordering
            .values_list("person_id", "item_id")
            .distinct()
        )
    if reported is not None:
        person_events, organization_events = reported
    else:
        person_events, organization_events = _events_reported(
            milestones, person_ids, organization_ids
        )

    def milestone_done(milestone: OnboardingMilestone, membership: Membership) -> bool:
        if milestone.kind == MilestoneKind.LEARNING:
            return (membership.person_id, milestone.item_id or 0) in completed
        if milestone.event_scope == EventScope.ORGANIZATION:
            return (membership.organization_id or 0, milestone.event_key) in organization_events
        return (membership.person_id, milestone.event_key) in person_events

    results: list[PersonOnboarding] = []
    for membership in memberships:
        organization = membership.organization
        if organization is None:
            continue
        for program in programs:
            if membership.pk not in in_program[program.pk]:
                continue
            anchor = anchor_date(
                program,
                membership_started=membership.started_on,
                organization_joined=organization.joined_on,
            )
            phases: list[PhaseStatus] = []
            for phase in program.phases.all():
                marks = [
                    MilestoneStatus(
                        milestone_id=m.pk,
                        label=m.label,
                        kind=m.kind,
                        item_id=m.item_id,
                        event_key=m.event_key,
                        event_scope=m.event_scope,
                        done=milestone_done(m, membership),
                    )
                    for m in phase.milestones.all()
                ]
                starts_on = anchor + timedelta(days=phase.starts_after_days)
                due_on = anchor + timedelta(days=phase.due_after_days)
                phases.append(
                    PhaseStatus(
                        phase_id=phase.pk,
                        position=phase.position,
                        name=phase.name,
                        starts_on=starts_on,
                        due_on=due_on,
                        status=phase_status(
                            starts_on=starts_on,
                            due_on=due_on,
                            complete=all(m.done for m in marks),
                            today=today,
                        ),
                        milestones=marks,
                    )
                )
            results.append(
                PersonOnboarding(
                    membership_id=membership.pk,
                    person_id=membership.person_id,
                    full_name=membership.person.full_name,
                    email=membership.person.email,
                    organization_id=organization.pk,
                    organization_name=organization.name,
                    program_id=program.pk,
                    program_name=program.name,
                    anchor_on=anchor,
                    status=overall_status([p.status for p in phases]),
                    phases=phases,
                )
            )
    return results


def _partner_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(
        status=MembershipStatus.ACTIVE, organization__isnull=False
    ).select_related("person", "organization")


# --- what pages and the API read --------------------------------------------------------------


def onboarding_for_person(
    actor: Actor,
    *,
    viewer: Viewer | None = None,
    programs: list[OnboardingProgram] | None = None,
    completed_items: set[int] | None = None,
    today: date | None = None,
) -> list[PersonOnboarding]:
    """The actor's own onboarding, one entry per program that reaches them (empty for vendor
    staff and people without a partner membership). For the learner home:
    `learning/onboarding/_my_onboarding.html` with `onboarding` set to this list.

    Built from what the request already holds: the actor's membership, the viewer's cached
    audiences, the cached programs and the events reported for the person and their
    organization (cached too): no query while warm, beside one for the person's completions
    unless the caller passes which of `onboarding_milestone_items` they completed (and the
    `viewer` and active `programs` when it has read them already)."""
    membership = actor.membership
    person = actor.person
    if person is None or membership is None or not actor.is_member:
        return []
    organization = membership.organization
    if organization is None:
        return []
    tenant_id = actor.tenant.pk
    if programs is None:
        (programs,) = generation_cached_many(active_programs_cached(tenant_id))
    if not programs:
        return []
    viewer = viewer or viewer_for(actor)
    if viewer is None:  # vendor staff: no partner onboarding
        return []
    admitted = set(admitted_audience_ids(viewer))
    in_program = {p.pk: {membership.pk} if p.audience_id in admitted else set() for p in programs}
    if not any(in_program.values()):
        return []
    person_keys, organization_keys = generation_cached_many(
        _reported_keys_cached(tenant_id, person_id=person.pk),
        _reported_keys_cached(tenant_id, organization_id=organization.pk),
    )
    return _statuses(
        [membership],  # resolved with its person and organization (`actor_for_person`)
        programs,
        tenant_locale=actor.tenant.default_locale,
        today=today,
        in_program=in_program,
        completed_items=completed_items,
        reported=(
            {(person.pk, key) for key in person_keys},
            {(organization.pk, key) for key in organization_keys},
        ),
    )


def onboarding_milestone_items(programs: Sequence[OnboardingProgram]) -> set[int]:
    """The items of the learning milestones of these programs."""
    return {
        milestone.item_id
        for program in programs
        for phase in program.phases.all()
        for milestone in phase.milestones.all()
        if milestone.item_id is not None
    }


def onboarding_people_queryset(
    actor: Actor, *, organization_id: int | None = None
) -> QuerySet[Membership]:
    """The active partner memberships whose onboarding the actor may read: their own, a partner
    manager's people (their organization and below), vendor staff everyone whose organization
    shares individual data."""
    people = memberships_visible(actor, _partner_memberships())
    if organization_id is not None:
        people = people.filter(organization_id=organization_id)
    return people


def onboarding_people(
    actor: Actor,
    memberships: Sequence[Membership],
    *,
    program_id: int | None = None,
    today: date | None = None,
) -> list[PersonOnboarding]:
    """The onboarding of a page of people already read through `onboarding_people_queryset`
    (with person and organization): a fixed number of queries for the page."""
    programs = active_programs(None if program_id is None else [program_id])
    return _statuses(memberships, programs, tenant_locale=actor.tenant.default_locale, today=today)


def onboarding_status_by_membership(
    actor: Actor, membership_ids: Sequence[int], *, today: date | None = None
) -> dict[int, Status]:
    """The worst onboarding status of each of these people across programs (people in no
    program are left out), for lists such as a partner manager's team page."""
    memberships = list(onboarding_people_queryset(actor).filter(pk__in=list(membership_ids)))
    worst_of: dict[int, list[Status]] = {}
    for entry in onboarding_people(actor, memberships, today=today):
        worst_of.setdefault(entry.membership_id, []).append(entry.status)
    return {pk: status for pk, statuses in worst_of.items() if (status := worst(statuses))}


def onboarding_person_detail(
    actor: Actor, membership_id: int, *, today: date | None = None
) -> tuple[Membership, list[PersonOnboarding]] | None:
    """One person's onboarding, phase by phase, when the actor may read it."""
    membership = onboarding_people_queryset(actor).filter(pk=membership_id).first()
    if membership is None:
        return None
    return membership, onboarding_people(actor, [membership], today=today)


def onboarding_by_organization(
    actor: Actor,
    program: OnboardingProgram | None,
    organizations: Sequence[PartnerOrganization],
    *,
    today: date | None = None,
) -> list[OrganizationRollup]:
    """How many people of each organization are done, on track, at risk, late or not started
    in `program` (with no program: each person's worst status across the active programs;
    people no program reaches are not counted). Counts only: they are shown for every visible
    organization, including those that share aggregates only with the vendor. A fixed number
    of queries for the page of organizations, whatever their number of people."""
    visible_ids = set(
        organizations_visible(
            actor, PartnerOrganization.objects.filter(pk__in=[o.pk for o in organizations])
        ).values_list("pk", flat=True)
    )
    memberships = list(_partner_memberships().filter(organization_id__in=visible_ids))
    if program is None:
        programs = active_programs()
    else:
        # An inactive program is still shown to its editors.
        programs = list(with_structure(OnboardingProgram.objects.filter(pk=program.pk)))
    statuses: dict[int, list[Status]] = {}
    organization_of: dict[int, int] = {}
    for entry in _statuses(
        memberships, programs, tenant_locale=actor.tenant.default_locale, today=today
    ):
        statuses.setdefault(entry.membership_id, []).append(entry.status)
        organization_of[entry.membership_id] = entry.organization_id
    counts: dict[int, Counter[Status]] = {pk: Counter() for pk in visible_ids}
    for membership_id, of_person in statuses.items():
        status = worst(of_person)
        if status is not None:
            counts[organization_of[membership_id]][status] += 1
    return [
        OrganizationRollup(
            organization_id=o.pk, organization_name=o.name, counts=dict(counts[o.pk])
        )
        for o in organizations
        if o.pk in visible_ids
    ]


def onboarding_programs(actor: Actor) -> QuerySet[OnboardingProgram]:
    """Every program of the tenant (the caller checks `Action.ONBOARDING_VIEW`)."""
    return OnboardingProgram.objects.select_related("audience")


def program_with_structure(program_id: int) -> OnboardingProgram | None:
    """A program with its audience, phases and milestones loaded."""
    return (
        with_structure(OnboardingProgram.objects.select_related("audience"))
        .filter(pk=program_id)
        .first()
    )
