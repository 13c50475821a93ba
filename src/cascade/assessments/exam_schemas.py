"""API schemas of exams, attempts, grading and results."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import orjson
from ninja import Path, Schema
from pydantic import AfterValidator, Field

from cascade.api.schemas import Input, Out
from cascade.assessments.models import AttemptState, ExamMode, ExamState, FeedbackPolicy
from cascade.catalog.schemas import MAX_ID, Cursor, Id
from cascade.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

ExamId = Annotated[int, Path(ge=1, le=MAX_ID, description="An exam's id")]
AttemptId = Annotated[int, Path(ge=1, le=MAX_ID, description="An attempt's id")]
Position = Annotated[int, Path(ge=1, le=1000, description="An item's position in the attempt")]
AnswerId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="An answer waiting in the graders' queue")
]
Share = Annotated[Decimal, Field(gt=0, le=1, max_digits=4, decimal_places=3)]


class ExamRulesIn(Input):
    time_limit_minutes: int | None = Field(default=None, ge=1, le=600)
    attempts_limit: int | None = Field(default=None, ge=1, le=100)
    cooldown_hours: int = Field(default=0, ge=0, le=24 * 365)
    passing_share: Share = Decimal("0.7")
    competency_passing: dict[int, Share] = Field(
        default_factory=dict, max_length=50, description="Competency id -> share to reach"
    )
    feedback_policy: FeedbackPolicy = FeedbackPolicy.AFTER_SUBMISSION
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    shuffle_items: bool = True
    shuffle_options: bool = True
    max_exposure: int | None = Field(default=None, ge=1, le=10**9)


class ExamRulesOut(Out):
    time_limit_minutes: int | None
    attempts_limit: int | None
    cooldown_hours: int
    passing_share: Decimal
    competency_passing: dict[int, Decimal]
    feedback_policy: FeedbackPolicy
    opens_at: datetime | None
    closes_at: datetime | None
    shuffle_items: bool
    shuffle_options: bool
    max_exposure: int | None


class ExamIn(Input):
    name: str = Field(min_length=1, max_length=120)
    mode: ExamMode
    description: str = Field(default="", max_length=2000)
    rules: ExamRulesIn = Field(default_factory=ExamRulesIn)


class ExamUpdateIn(Input):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    rules: ExamRulesIn | None = Field(
        default=None, description="Every rule, replacing the current ones"
    )


class DrawOut(Out):
    count: int
    bank_id: int | None
    competency_id: int | None
    difficulty: int | None


class DrawIn(Input):
    count: int = Field(ge=1, le=200)
    bank_id: Id | None = None
    competency_id: Id | None = None
    difficulty: int | None = Field(default=None, ge=1, le=3)


class ExamOut(Out):
    id: int
    name: str
    description: str
    mode: ExamMode
    state: ExamState
    rules: ExamRulesOut
    published_at: datetime | None
    created_at: datetime


class ExamDetailOut(ExamOut):
    item_ids: list[int] = Field(description="A fixed form's items, in order")
    draws: list[DrawOut] = Field(description="A blueprint's draws, in order")


class ExamPageOut(Out):
    items: list[ExamOut]
    next_cursor: str | None


class ExamQuery(Schema):
    state: ExamState | None = None
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ExamFormIn(Input):
    item_ids: list[Id] = Field(max_length=200)


class ExamBlueprintIn(Input):
    draws: list[DrawIn] = Field(max_length=50)


# --- taking exams ------------------------------------------------------------------------------


class ExamCardOut(Out):
    exam_id: int
    name: str
    description: str
    time_limit_minutes: int | None
    attempts_limit: int | None
    attempts_used: int
    passing_share: Decimal
    best_share: Decimal | None
    passed: bool
    in_progress_attempt_id: int | None
    can_start: bool
    reason: str = Field(description="Why an attempt cannot start now (empty when it can)")
    code: str = Field(description="The reason's code: cooldown, attempts_exhausted, ...")
    next_start_at: datetime | None


class SheetItemOut(Out):
    position: int
    type: str
    worth: Decimal = Field(description="The points the item is worth")
    content: dict[str, Any] = Field(
        description="What the item shows: its public part only (no key, scores or branches)"
    )
    response: dict[str, Any] | None = Field(description="The answer saved so far")
    answered_at: datetime | None


class CompetencyLineOut(Out):
    competency_id: int
    name: str
    share: Decimal
    passed: bool | None


class ItemResultOut(Out):
    position: int
    type: str
    prompt: str
    points: Decimal
    earned: Decimal | None
    fraction: Decimal | None
    waiting: bool = Field(description="Evidence a reviewer has yet to grade")
    feedback: list[str]
    explanation: str


class ResultOut(Out):
    earned: Decimal | None
    possible: Decimal | None
    share: Decimal | None
    passed: bool | None
    competencies: list[CompetencyLineOut]
    details_released: bool = Field(
        description="Whether the exam's feedback policy shows per-item results to this reader"
    )
    items: list[ItemResultOut]


class AttemptOut(Out):
    id: int
    exam_id: int
    number: int
    state: AttemptState
    started_at: datetime
    deadline: datetime | None
    remaining_seconds: int | None
    submitted_at: datetime | None
    timed_out: bool
    items: list[SheetItemOut] = Field(description="While in progress: the items to answer")
    result: ResultOut | None = Field(description="Once submitted")


class AttemptSummaryOut(Out):
    id: int
    exam_id: int
    exam_name: str
    number: int
    state: AttemptState
    started_at: datetime
    submitted_at: datetime | None
    share: Decimal | None
    passed: bool | None


class AttemptPageOut(Out):
    items: list[AttemptSummaryOut]
    next_cursor: str | None


class AttemptQuery(Schema):
    exam_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


MAX_RESPONSE_BYTES = 20_000


def _small(value: dict[str, Any]) -> dict[str, Any]:
    if len(orjson.dumps(value)) > MAX_RESPONSE_BYTES:
        raise ValueError(f"Keep the answer under {MAX_RESPONSE_BYTES // 1000} kB.")
    return value


class AnswerIn(Input):
    response: Annotated[dict[str, Any], AfterValidator(_small)] = Field(
        description="The answer, as the item's type takes it: {'choice': 'a'}, "
        "{'choices': [...]}, {'value': true}, {'value': 42.5}, {'text': '...'}, "
        "{'order': [...]}, {'pairs': {...}}, {'path': [...]}, {'values': {...}}, "
        "{'files': [...], 'note': '...'}"
    )


class SavedOut(Out):
    position: int
    answered_at: datetime
    remaining_seconds: int | None
    next_step: dict[str, Any] | None = Field(
        description="A scenario's next step (null at the end, or for other types)"
    )
    finished: bool


class EvidenceUploadIn(Input):
    caption: str = Field(default="", max_length=200, description="What the file shows")
    replaces: Id | None = Field(
        default=None, description="An earlier upload of this answer that this file replaces"
    )


class EvidenceFileOut(Out):
    id: int
    name: str
    caption: str
    content_type: str
    size: int


# --- grading, analysis ---------------------------------------------------------------------


class RubricLevelOut(Out):
    id: str
    label: str
    points: float


class RubricCriterionOut(Out):
    id: str
    title: str
    levels: list[RubricLevelOut]


class QueueEntryOut(Out):
    id: int = Field(description="The answer's id (grade it with this)")
    attempt_id: int
    exam_name: str
    prompt: str
    rubric: list[RubricCriterionOut]
    files: list[EvidenceFileOut]
    note: str
    submitted_at: datetime | None


class QueuePageOut(Out):
    items: list[QueueEntryOut]
    next_cursor: str | None


class QueueQuery(Schema):
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class GradeIn(Input):
    levels: dict[str, str] = Field(max_length=20, description="Criterion id -> level id")
    comment: str = Field(default="", max_length=4000)


class GradedOut(Out):
    id: int
    attempt_id: int
    fraction: Decimal
    earned: Decimal
    attempt_state: AttemptState


class RegradeChangeOut(Out):
    attempt_id: int
    before: dict[str, Any]
    after: dict[str, Any]


class RegradeOut(Out):
    version: int
    attempts_checked: int
    attempts_changed: int
    changes: list[RegradeChangeOut]


class ChoiceRateOut(Out):
    option_id: str
    correct: bool
    share: float
    mean_rest_score: float | None


class ItemStatisticsOut(Out):
    item_id: int
    respondents: int
    difficulty: float
    discrimination: float | None
    choices: list[ChoiceRateOut]
    flags: list[str]


class ExamAnalysisOut(Out):
    attempts: int
    mean_share: float
    reliability: float | None = Field(description="Cronbach's alpha (KR-20 for right/wrong)")
    items: list[ItemStatisticsOut]


class CompetencyResultOut(Out):
    competency_id: int
    name: str
    domain: str
    latest_share: Decimal
    best_share: Decimal
    attempts: int
    updated_at: datetime


class CompetencyProfileOut(Out):
    competencies: list[CompetencyResultOut]


StartedStatus = Literal[200, 201]
