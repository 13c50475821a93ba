"""API schemas of assessments: the competency framework, banks, items and their versions.

An item's `definition` is the JSON of its type (decision 0009): the API takes it as an object
and validates it with the item types' own models, so an error names the field inside it
(`definition.options.1.text`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import orjson
from ninja import Path, Schema
from pydantic import AfterValidator, Field

from cascade.api.schemas import Input, Out
from cascade.assessments.models import Difficulty
from cascade.catalog.schemas import MAX_ID, Cursor, Id
from cascade.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

AssessmentItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="An item's id")]
VersionNumber = Annotated[int, Path(ge=1, le=100_000, description="A version's number")]
Points = Annotated[Decimal, Field(gt=0, le=1000, max_digits=6, decimal_places=2)]
# The largest item a definition may describe (a scenario of 50 steps fits in a tenth of it).
MAX_DEFINITION_BYTES = 200_000


def _bounded(value: dict[str, Any]) -> dict[str, Any]:
    if len(orjson.dumps(value)) > MAX_DEFINITION_BYTES:
        raise ValueError(f"Keep the definition under {MAX_DEFINITION_BYTES // 1000} kB.")
    return value


Definition = Annotated[dict[str, Any], AfterValidator(_bounded)]


class CompetencyOut(Out):
    id: int
    name: str
    description: str
    retired: bool


class CompetencyDomainOut(Out):
    id: int
    name: str
    description: str
    position: int
    competencies: list[CompetencyOut]


class CompetencyFrameworkOut(Out):
    domains: list[CompetencyDomainOut]


class CompetencyDomainIn(Input):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)
    position: int = Field(default=0, ge=0, le=10_000)


class CompetencyIn(Input):
    domain_id: Id
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)


class QuestionBankOut(Out):
    id: int
    name: str
    description: str
    items: int
    created_at: datetime


class QuestionBankPageOut(Out):
    items: list[QuestionBankOut]
    next_cursor: str | None


class QuestionBankIn(Input):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)


class ItemVersionOut(Out):
    number: int
    definition: dict[str, Any]
    points: Decimal
    difficulty: Difficulty
    competency_ids: list[int]
    product_version_ids: list[int]
    note: str
    created_at: datetime


class ItemVersionSummaryOut(Out):
    number: int
    note: str
    created_at: datetime


class AssessmentItemOut(Out):
    id: int
    bank_id: int
    type: str
    retired: bool
    current: ItemVersionOut
    created_at: datetime


class AssessmentItemDetailOut(AssessmentItemOut):
    versions: list[ItemVersionSummaryOut]


class AssessmentItemPageOut(Out):
    items: list[AssessmentItemOut]
    next_cursor: str | None


class AssessmentItemQuery(Schema):
    bank_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    type: str | None = Field(default=None, max_length=20)
    competency_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    difficulty: Difficulty | None = None
    retired: bool = Field(default=False, description="true: the retired items instead")
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class QuestionBankQuery(Schema):
    cursor: str | None = Cursor
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class AssessmentItemCreateIn(Input):
    bank_id: Id
    definition: Definition
    points: Points = Decimal(1)
    difficulty: Difficulty = Difficulty.MEDIUM
    competency_ids: list[Id] = Field(default_factory=list, max_length=20)
    product_version_ids: list[Id] = Field(default_factory=list, max_length=20)


class AssessmentItemReviseIn(Input):
    definition: Definition
    note: str = Field(min_length=1, max_length=300, description="What this version corrects")
    points: Points | None = None
    difficulty: Difficulty | None = None
    competency_ids: list[Id] | None = Field(default=None, max_length=20)
    product_version_ids: list[Id] | None = Field(default=None, max_length=20)


class ItemPreviewIn(Input):
    definition: Definition
    response: dict[str, Any] | None = Field(
        default=None, description="A sample response to score, as a learner would send it"
    )


class ItemScoredOut(Out):
    fraction: float | None = Field(
        description="Share of the points earned; null: a reviewer grades it"
    )
    feedback: list[str]


class ItemPreviewOut(Out):
    public: dict[str, Any] = Field(description="What the learner is sent while answering")
    scored: ItemScoredOut | None
