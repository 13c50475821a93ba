"""API schemas of onboarding: programs with their phases and milestones, business events
reported by the PRM, and where people and organizations stand."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from cascade.api.schemas import Input, Out
from cascade.catalog.schemas import MAX_ID, Cursor, Id
from cascade.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from cascade.identity.schemas import PersonRef
from cascade.learning.onboarding_models import EventScope, MilestoneKind, OnboardingAnchor

StatusName = Literal["done", "on_track", "at_risk", "late", "not_started"]


# --- programs -----------------------------------------------------------------------------------


class ProgramQuery(Schema):
    active: bool | None = Field(default=None, description="true: active programs only")
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class MilestoneOut(Out):
    id: int
    position: int
    kind: MilestoneKind = Field(description="learning: complete an item; business_event")
    label: str
    item_id: int | None = Field(description="The catalog item to complete (learning)")
    event_key: str = Field(description="The business event awaited, e.g. deal_registered")
    event_scope: EventScope = Field(
        description="person: the person's own event; organization: their organization's"
    )


class PhaseOut(Out):
    id: int
    position: int
    name: str
    starts_after_days: int = Field(description="Days after the anchor date it opens")
    due_after_days: int = Field(description="Days after the anchor date it is due")
    milestones: list[MilestoneOut]


class ProgramOut(Out):
    id: int
    name: str
    description: str
    audience_id: int
    relative_to: OnboardingAnchor = Field(
        description="person: days count from the person's join date; organization: from "
        "their organization's (the person's when it has none)"
    )
    effective_from: date = Field(
        description="People who joined earlier are measured from this date"
    )
    active: bool
    phases: list[PhaseOut]


class ProgramPageOut(Out):
    items: list[ProgramOut]
    next_cursor: str | None


# --- business events ----------------------------------------------------------------------------


class BusinessEventIn(Input):
    key: str = Field(
        min_length=1,
        max_length=60,
        description="What happened, e.g. deal_registered (a-z, 0-9, _ and .)",
    )
    external_id: str = Field(
        min_length=1,
        max_length=200,
        description="The PRM's id of the event: sending it again changes nothing",
    )
    source: str = Field(default="prm", min_length=1, max_length=60, description="The reporter")
    occurred_at: datetime = Field(description="When it happened, with a time zone")
    person_id: Id | None = Field(default=None, description="The person it concerns")
    organization_id: Id | None = Field(
        default=None, description="The partner organization it concerns"
    )


class BusinessEventOut(Out):
    id: int
    key: str
    external_id: str
    source: str
    occurred_at: datetime
    person_id: int | None
    organization_id: int | None
    recorded_at: datetime
    created: bool = Field(description="false when this event had already been reported")


# --- status -------------------------------------------------------------------------------------


class StatusQuery(Schema):
    organization_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="People of one partner organization"
    )
    program_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="One program")
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class MilestoneStatusOut(Out):
    milestone_id: int
    label: str
    kind: MilestoneKind
    done: bool


class PhaseStatusOut(Out):
    phase_id: int
    name: str
    starts_on: date
    due_on: date
    status: StatusName
    milestones: list[MilestoneStatusOut]


class ProgramStatusOut(Out):
    program_id: int
    program_name: str
    anchor_on: date = Field(description="The date the phases count from")
    status: StatusName
    phases: list[PhaseStatusOut]


class PersonStatusOut(Out):
    membership_id: int
    person: PersonRef
    organization_id: int
    status: StatusName | None = Field(
        description="The worst status across programs; null when no program reaches them"
    )
    programs: list[ProgramStatusOut]


class PersonStatusPageOut(Out):
    items: list[PersonStatusOut]
    next_cursor: str | None


class OrganizationStatusQuery(Schema):
    program_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="One program; otherwise each person's worst status across active programs",
    )
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class OrganizationStatusOut(Out):
    id: int = Field(description="The partner organization's id")
    name: str
    people: int = Field(description="People in onboarding")
    done: int
    on_track: int
    at_risk: int
    late: int
    not_started: int


class OrganizationStatusPageOut(Out):
    items: list[OrganizationStatusOut]
    next_cursor: str | None
