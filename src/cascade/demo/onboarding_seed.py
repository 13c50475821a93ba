"""Seeding the demo program's onboarding: "New partner onboarding", for every partner, counted
from each person's join date.

- Week 1: foundations (days 0-7): the portfolio and the partner program lessons;
- Month 1: first customer pitch (days 7-30): registering a deal (a lesson), and the person's
  first customer pitch (`pitch_delivered`, reported by the PRM);
- Month 3: certified (days 30-90): the Sales Foundations course, and the organization's first
  registered deal (`deal_registered`).

The program started 75 days before the seed's day, so people who joined earlier count from
then: without their first month's work they are late; with it, but no deal yet, at risk (the
third month ends in 15 days); recent joiners are on track. Three people in four finished the
first week's lessons, one in two the first month's, two people in three have pitched and
half the organizations registered a deal (chosen by id, so a seed is repeatable): the status
pages show people in every state.
The program, its phases and milestones go through the services; the PRM's history of events is
written in bulk, and at the large scale the items are not handed out (the daily onboarding
sweep's job, as for assignment rules).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from cascade.access.actor import actor_for_person
from cascade.catalog.models import Audience
from cascade.core.scoping import tenant_scope
from cascade.demo.catalog_seed import AUDIENCE_NAMES
from cascade.demo.learning_seed import _items_by_key, _login
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.learning.models import Enrollment, EnrollmentState
from cascade.learning.onboarding import (
    milestone_add,
    phase_add,
    program_create,
    program_update,
    programs_changed,
)
from cascade.learning.onboarding_models import (
    BusinessEventRecord,
    OnboardingAssignment,
    OnboardingProgram,
)
from cascade.tenancy.models import PartnerOrganization, Tenant

Progress = Callable[[str], None]

PROGRAM_NAME = "New partner onboarding"
PROGRAM_STARTED_DAYS_AGO = 75
BATCH = 5_000

# (phase name, opens after, due after, learning item keys, business events (key, scope, label))
PHASES: tuple[tuple[str, int, int, tuple[str, ...], tuple[tuple[str, str, str], ...]], ...] = (
    ("Week 1: foundations", 0, 7, ("portfolio", "partner-program"), ()),
    (
        "Month 1: first customer pitch",
        7,
        30,
        ("deal-registration",),
        (("pitch_delivered", "person", "First customer pitch delivered"),),
    ),
    (
        "Month 3: certified",
        30,
        90,
        ("c-sales",),
        (("deal_registered", "organization", "First deal registered"),),
    ),
)


def seed_onboarding(
    *, tenant: Tenant, scale_name: str, today: date, now: datetime, progress: Progress
) -> dict[str, int]:
    """Write the demo onboarding program into `tenant` (nothing when it has one already)."""
    with tenant_scope(tenant):
        if OnboardingProgram.objects.exists():
            return {}
        audience = Audience.objects.filter(name=AUDIENCE_NAMES["everyone"]).first()
        if audience is None:
            return {}
        progress("Writing onboarding: the program, its phases and the PRM's business events...")
        admin = actor_for_person(
            tenant=tenant,
            person=Person.objects.get(email=_login("admin").email(tenant.slug)),
        )
        items = _items_by_key(tenant)
        program = program_create(
            actor=admin,
            name=PROGRAM_NAME,
            audience_id=audience.pk,
            description="The first 90 days of a new partner seller: foundations, a first "
            "customer pitch, a first registered deal and the Sales Foundations course.",
            effective_from=today - timedelta(days=PROGRAM_STARTED_DAYS_AGO),
            # Handed out once complete (below), in one pass.
            active=False,
        )
        for name, opens, due, keys, events in PHASES:
            phase = phase_add(
                actor=admin, program=program, name=name, starts_after_days=opens, due_after_days=due
            )
            for key in keys:
                if key in items:
                    milestone_add(actor=admin, phase=phase, kind="learning", item_id=items[key].pk)
            for event_key, scope, label in events:
                milestone_add(
                    actor=admin,
                    phase=phase,
                    kind="business_event",
                    event_key=event_key,
                    event_scope=scope,
                    label=label,
                )
        if scale_name == "large":
            OnboardingProgram.objects.filter(pk=program.pk).update(active=True)
            programs_changed(tenant.pk)
        else:
            program_update(actor=admin, program=program, active=True)
            _completions(program, now)
        return {
            "onboarding programs": 1,
            "onboarding business events": _business_events(tenant, now),
        }


def _partner_people() -> list[int]:
    return list(
        Membership.objects.filter(status=MembershipStatus.ACTIVE, organization__isnull=False)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )


def _completions(program: OnboardingProgram, now: datetime) -> None:
    """Complete the onboarding items handed out: the first week's for three people in four,
    the first month's for one in two (a few days ago)."""
    people = _partner_people()
    done_at = now - timedelta(days=4)
    phases = list(program.phases.order_by("position"))
    for phase, share in zip(phases[:2], (lambda i: i % 4 != 3, lambda i: i % 2 == 0), strict=False):
        chosen = [person_id for index, person_id in enumerate(people) if share(index)]
        given = OnboardingAssignment.objects.filter(
            milestone__phase=phase, enrollment__isnull=False
        ).values("enrollment_id")
        for start in range(0, len(chosen), BATCH):
            Enrollment.objects.filter(
                pk__in=given, person_id__in=chosen[start : start + BATCH]
            ).update(
                state=EnrollmentState.COMPLETED,
                started_at=done_at,
                completed_at=done_at,
                closed_at=done_at,
            )


def _business_events(tenant: Tenant, now: datetime) -> int:
    """The PRM's history: half the organizations registered a deal, two partner
    people in three delivered a first pitch (by id, so the same seed gives the same events)."""
    written = 0
    batch: list[BusinessEventRecord] = []

    def flush() -> None:
        nonlocal written, batch
        BusinessEventRecord.objects.bulk_create(batch, batch_size=BATCH)
        written += len(batch)
        batch = []

    organizations = PartnerOrganization.objects.order_by("pk").values_list("pk", flat=True)
    for index, organization_id in enumerate(organizations.iterator(chunk_size=BATCH)):
        if index % 2 == 0:
            batch.append(
                BusinessEventRecord(
                    tenant=tenant,
                    key="deal_registered",
                    organization_id=organization_id,
                    occurred_at=now - timedelta(days=3 + index % 40),
                    source="prm",
                    external_id=f"demo-deal-{organization_id}",
                )
            )
        if len(batch) >= BATCH:
            flush()
    people = (
        Membership.objects.filter(status=MembershipStatus.ACTIVE, organization__isnull=False)
        .order_by("person_id")
        .values_list("person_id", "organization_id")
    )
    for index, (person_id, organization_id) in enumerate(people.iterator(chunk_size=BATCH)):
        if index % 3 != 2:
            batch.append(
                BusinessEventRecord(
                    tenant=tenant,
                    key="pitch_delivered",
                    person_id=person_id,
                    organization_id=organization_id,
                    occurred_at=now - timedelta(days=1 + index % 20),
                    source="prm",
                    external_id=f"demo-pitch-{person_id}",
                )
            )
        if len(batch) >= BATCH:
            flush()
    flush()
    return written
