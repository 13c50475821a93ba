"""REST endpoints of onboarding, mounted under /api/v1/onboarding/.

- The PRM integration reports business events (`POST /onboarding/business-events`): recorded
  once per `(source, external_id)`, so retries are safe (201 the first time, 200 after).
- Programs with their phases and milestones, for vendor staff and integrations.
- Where people stand (`/onboarding/status`): each person the caller may read (oneself; a partner
  manager's people; the vendor's where the organization shares individual data), with their
  status per program and phase.
- Where organizations stand (`/onboarding/organizations`): people counted by status, for every
  organization the caller sees (counts are shown even where individuals are not).

Tokens need `learning:read` to read and `learning:write` to report events.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cascade.access.actor import Actor, Scope
from cascade.access.policies import Action, organizations_visible, require
from cascade.api.auth import actor_of
from cascade.catalog.schemas import LIST_ERRORS, WRITE_ERRORS
from cascade.core.errors import NotFound, PermissionDenied
from cascade.core.pagination import keyset_page
from cascade.learning.onboarding_events import business_event_record
from cascade.learning.onboarding_models import OnboardingProgram
from cascade.learning.onboarding_schemas import (
    BusinessEventIn,
    BusinessEventOut,
    OrganizationStatusPageOut,
    OrganizationStatusQuery,
    PersonStatusPageOut,
    ProgramPageOut,
    ProgramQuery,
    StatusQuery,
)
from cascade.learning.onboarding_selectors import (
    SEVERITY,
    PersonOnboarding,
    onboarding_by_organization,
    onboarding_people,
    onboarding_people_queryset,
    with_structure,
    worst,
)
from cascade.tenancy.models import PartnerOrganization

router = Router(tags=["onboarding"])

BY_NAME = ("name", "pk")
BY_ID = ("pk",)
READ_ERRORS_404 = {**LIST_ERRORS, 404: LIST_ERRORS[422]}


def _reader(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    if not actor.allows(Scope.LEARNING_READ):
        raise PermissionDenied("This token lacks the learning:read scope.", code="forbidden")
    return actor


def _program_out(program: OnboardingProgram) -> dict[str, Any]:
    return {
        "id": program.pk,
        "name": program.name,
        "description": program.description,
        "audience_id": program.audience_id,
        "relative_to": program.relative_to,
        "effective_from": program.effective_from,
        "active": program.active,
        "phases": [
            {
                "id": phase.pk,
                "position": phase.position,
                "name": phase.name,
                "starts_after_days": phase.starts_after_days,
                "due_after_days": phase.due_after_days,
                "milestones": [
                    {
                        "id": m.pk,
                        "position": m.position,
                        "kind": m.kind,
                        "label": m.label,
                        "item_id": m.item_id,
                        "event_key": m.event_key,
                        "event_scope": m.event_scope,
                    }
                    for m in phase.milestones.all()
                ],
            }
            for phase in program.phases.all()
        ],
    }


@router.get(
    "/onboarding/programs",
    response={200: ProgramPageOut, **LIST_ERRORS},
    summary="List onboarding programs with their phases and milestones",
)
def list_programs(request: HttpRequest, query: Query[ProgramQuery]) -> Any:
    actor = _reader(request)
    require(actor, Action.ONBOARDING_VIEW)
    programs = OnboardingProgram.objects.all()
    if query.active is not None:
        programs = programs.filter(active=query.active)
    page = keyset_page(
        with_structure(programs), ordering=BY_NAME, cursor=query.cursor, limit=query.limit
    )
    return {"items": [_program_out(p) for p in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/onboarding/business-events",
    response={200: BusinessEventOut, 201: BusinessEventOut, **WRITE_ERRORS},
    summary="Report a business event (idempotent by source and external id)",
    description=(
        "A business milestone of onboarding (e.g. `deal_registered`) is complete once its event "
        "is reported for the person, or for their organization. Sending the same `source` and "
        "`external_id` again answers 200 with the event as first recorded and changes nothing; "
        "the same id for a different event is 409 `external_id_reused`."
    ),
)
def report_business_event(request: HttpRequest, payload: BusinessEventIn) -> Any:
    actor = actor_of(request)
    require(actor, Action.ONBOARDING_EVENT_REPORT)
    recorded = business_event_record(
        actor=actor,
        key=payload.key,
        source=payload.source,
        external_id=payload.external_id,
        occurred_at=payload.occurred_at,
        person_id=payload.person_id,
        organization_id=payload.organization_id,
    )
    record = recorded.record
    body = {
        "id": record.pk,
        "key": record.key,
        "external_id": record.external_id,
        "source": record.source,
        "occurred_at": record.occurred_at,
        "person_id": record.person_id,
        "organization_id": record.organization_id,
        "recorded_at": record.recorded_at,
        "created": recorded.created,
    }
    return Status(201 if recorded.created else 200, body)


def _program_status(entry: PersonOnboarding) -> dict[str, Any]:
    return {
        "program_id": entry.program_id,
        "program_name": entry.program_name,
        "anchor_on": entry.anchor_on,
        "status": str(entry.status),
        "phases": [
            {
                "phase_id": phase.phase_id,
                "name": phase.name,
                "starts_on": phase.starts_on,
                "due_on": phase.due_on,
                "status": str(phase.status),
                "milestones": [
                    {
                        "milestone_id": m.milestone_id,
                        "label": m.label,
                        "kind": m.kind,
                        "done": m.done,
                    }
                    for m in phase.milestones
                ],
            }
            for phase in entry.phases
        ],
    }


def _visible_organization(actor: Actor, organization_id: int) -> PartnerOrganization:
    organization = organizations_visible(
        actor, PartnerOrganization.objects.filter(pk=organization_id)
    ).first()
    if organization is None:
        raise NotFound("No such organization.", code="organization_not_found")
    return organization


def _program(program_id: int | None) -> OnboardingProgram | None:
    if program_id is None:
        return None
    program = OnboardingProgram.objects.filter(pk=program_id).first()
    if program is None:
        raise NotFound("No such onboarding program.", code="program_not_found")
    return program


@router.get(
    "/onboarding/status",
    response={200: PersonStatusPageOut, **READ_ERRORS_404},
    summary="Where people stand in their onboarding, phase by phase",
    description=(
        "The people the caller may read, by membership id: oneself, a partner manager's people "
        "(their organization and those below), the program's for vendor staff and integrations "
        "(except organizations that keep individual data from the vendor). Each phase is done, "
        "on_track, at_risk (less than a third of its window left), late or not_started."
    ),
)
def onboarding_status(request: HttpRequest, query: Query[StatusQuery]) -> Any:
    actor = _reader(request)
    if query.organization_id is not None:
        _visible_organization(actor, query.organization_id)
    program = _program(query.program_id)
    people = onboarding_people_queryset(actor, organization_id=query.organization_id)
    page = keyset_page(people, ordering=BY_ID, cursor=query.cursor, limit=query.limit)
    entries = onboarding_people(
        actor, page.items, program_id=program.pk if program is not None else None
    )
    by_membership: dict[int, list[PersonOnboarding]] = {}
    for entry in entries:
        by_membership.setdefault(entry.membership_id, []).append(entry)
    items = []
    for membership in page.items:
        mine = by_membership.get(membership.pk, [])
        overall = worst(e.status for e in mine)
        items.append(
            {
                "membership_id": membership.pk,
                "person": {
                    "id": membership.person_id,
                    "email": membership.person.email,
                    "full_name": membership.person.full_name,
                },
                "organization_id": membership.organization_id,
                "status": str(overall) if overall is not None else None,
                "programs": [_program_status(e) for e in mine],
            }
        )
    return {"items": items, "next_cursor": page.next_cursor}


@router.get(
    "/onboarding/organizations",
    response={200: OrganizationStatusPageOut, **READ_ERRORS_404},
    summary="People of each partner organization by onboarding status",
)
def onboarding_organizations(request: HttpRequest, query: Query[OrganizationStatusQuery]) -> Any:
    actor = _reader(request)
    require(actor, Action.ONBOARDING_VIEW)
    program = _program(query.program_id)
    organizations = organizations_visible(actor, PartnerOrganization.objects.all())
    page = keyset_page(organizations, ordering=BY_NAME, cursor=query.cursor, limit=query.limit)
    rollups = onboarding_by_organization(actor, program, page.items)
    return {
        "items": [
            {
                "id": r.organization_id,
                "name": r.organization_name,
                "people": r.people,
                **{str(s): r.count(s) for s in SEVERITY},
            }
            for r in rollups
        ],
        "next_cursor": page.next_cursor,
    }
