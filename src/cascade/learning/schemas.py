"""API schemas of learning: enrollments, assignments, lesson progress and assignment rules.

Ids in paths and bodies are bounded to what the database can hold, and seconds to a day, so an
absurd value is an input error (422 `invalid_input` naming the field), never a server error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Path, Schema
from pydantic import Field

from cascade.api.schemas import Input, Out
from cascade.catalog.item_models import ItemKind
from cascade.catalog.schemas import MAX_ID, AudienceRef, Cursor, Id
from cascade.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from cascade.identity.schemas import PersonRef
from cascade.learning.models import DueFrom, EnrollmentSource, EnrollmentState
from cascade.learning.services import MAX_ASSIGNEES, MAX_DUE_DAYS

EnrollmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="An enrollment's id")]
RuleId = Annotated[int, Path(ge=1, le=MAX_ID, description="An assignment rule's id")]
LessonId = Annotated[int, Path(ge=1, le=MAX_ID, description="A lesson's or card's item id")]
MAX_SECONDS = 24 * 3600.0

Seconds = Annotated[float, Field(ge=0, le=MAX_SECONDS, allow_inf_nan=False)]
Locale = Field(default="", max_length=12, description="The language taken, e.g. fr or fr-ca")


# --- enrollments --------------------------------------------------------------------------------


class EnrollmentQuery(Schema):
    person_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="One person's")
    item_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="In one item")
    organization_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Of the people now in this partner organization"
    )
    state: EnrollmentState | None = None
    source: EnrollmentSource | None = None
    required: bool | None = Field(default=None, description="true: required; false: optional")
    overdue: bool | None = Field(
        default=None, description="true: open after their due date; false: the others"
    )
    updated_since: datetime | None = Field(
        default=None,
        description="Created, started or closed (completed, withdrawn, expired) at or after "
        "this instant: what changed since the last synchronisation",
    )
    completed_since: datetime | None = Field(
        default=None, description="Completed at or after this instant"
    )
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class EnrollmentOut(Out):
    id: int
    person: PersonRef
    item_id: int
    item_kind: ItemKind
    source: EnrollmentSource = Field(description="self, manager, vendor or rule")
    required: bool = Field(description="Required learning (chased when late) or recommended")
    state: EnrollmentState
    due_on: date | None
    overdue: bool = Field(description="Still open after its due date (in the program's time)")
    assigned_by_id: int | None = Field(description="The person who assigned it")
    assigning_organization_id: int | None = Field(
        description="The partner organization whose manager assigned it"
    )
    rule_id: int | None = Field(description="The assignment rule that assigned it")
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    closed_at: datetime | None = Field(description="When it was completed, withdrawn or expired")
    close_reason: str


class EnrollmentPageOut(Out):
    items: list[EnrollmentOut]
    next_cursor: str | None


class EnrollIn(Input):
    item_id: Id = Field(description="A published item the caller may see")


class WithdrawIn(Input):
    reason: str = Field(min_length=1, max_length=300, description="Why, for the record")


class AssignIn(Input):
    item_id: Id = Field(description="A published item every assignee may see")
    membership_ids: list[Id] = Field(min_length=1, max_length=MAX_ASSIGNEES)
    required: bool = True
    due_on: date | None = Field(default=None, description="From today on; or give due_days")
    due_days: int | None = Field(
        default=None, ge=1, le=MAX_DUE_DAYS, description="Days after `due_from`"
    )
    due_from: DueFrom = Field(
        default=DueFrom.ASSIGNMENT,
        description="assignment: from today; joining: from when each person joined their "
        "organization (a date already past becomes the same number of days from today)",
    )


class AssignmentOut(Out):
    created: list[EnrollmentOut]
    already_enrolled: list[EnrollmentOut] = Field(
        description="The open enrollments of people who already had the item: left as they were"
    )


# --- progress -----------------------------------------------------------------------------------


class ProgressQuery(Schema):
    completed: bool | None = Field(
        default=None, description="false: the lessons to resume; true: the lessons done"
    )
    updated_since: datetime | None = Field(default=None, description="Changed at or after")
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ProgressOut(Out):
    id: int
    item_id: int
    revision: int = Field(description="The published revision last taken")
    locale: str
    last_format: str = Field(description="video, article, document or link")
    watched_share: float = Field(description="Share of the video actually played, 0 to 1")
    position: float = Field(description="Where the video stands, in seconds (resume there)")
    duration: float = Field(description="The video's length in seconds (0: no video yet)")
    completed: bool
    completed_at: datetime | None
    completed_by: str = Field(description="The format that completed it")
    updated_at: datetime


class ProgressPageOut(Out):
    items: list[ProgressOut]
    next_cursor: str | None


class HeartbeatIn(Input):
    played_from: Seconds = Field(description="Start of the stretch played since the last one")
    played_to: Seconds = Field(description="End of that stretch")
    position: Seconds = Field(description="Where the player stands now")
    duration: Annotated[float, Field(gt=0, le=MAX_SECONDS, allow_inf_nan=False)]
    locale: str = Locale


class TakenIn(Input):
    kind: Literal["article", "document", "link"] = Field(
        description="article read, document opened or downloaded, link visited"
    )
    locale: str = Locale


# --- assignment rules ---------------------------------------------------------------------------


class AssignmentRuleQuery(Schema):
    active: bool | None = None
    item_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class AssignmentRuleOut(Out):
    id: int
    name: str
    audience: AudienceRef
    item_id: int
    required: bool
    due_days: int | None
    due_from: DueFrom
    active: bool
    assigned: int = Field(description="Enrollments this rule has given (open or closed)")
    created_by: PersonRef | None
    created_at: datetime
    last_applied_at: datetime | None


class AssignmentRulePageOut(Out):
    items: list[AssignmentRuleOut]
    next_cursor: str | None


class AssignmentRuleCreateIn(Input):
    name: str = Field(min_length=1, max_length=120)
    audience_id: Id
    item_id: Id = Field(description="A published item")
    required: bool = True
    due_days: int | None = Field(default=None, ge=1, le=MAX_DUE_DAYS)
    due_from: DueFrom = DueFrom.ASSIGNMENT


class AssignmentRuleAppliedOut(Out):
    rule: AssignmentRuleOut
    assigned_now: int = Field(description="Enrollments written by this application")
