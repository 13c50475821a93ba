"""Practical items: a configuration exercise checked by rules per field, and evidence a
reviewer grades with a rubric."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any, ClassVar, Literal

import regex
from pydantic import Field, model_validator

from cascade.assessments.items.answers import PATTERN_SECONDS, normalized
from cascade.assessments.items.base import (
    MAX_IDENTIFIER,
    MAX_OPTIONS,
    MAX_TEXT,
    ItemDefinition,
    ResponseInvalid,
    Scored,
    Strict,
    known,
    unique_ids,
)

MAX_FIELDS = 40
MAX_VALUE = 200


class FieldKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    CHOICE = "choice"


class Check(StrEnum):
    EQUALS = "equals"  # the same text (spaces collapsed, case ignored) or number
    ONE_OF = "one_of"  # one of `values`
    RANGE = "range"  # a number from `minimum` to `maximum`, both included
    PATTERN = "pattern"  # text matching a regular expression as a whole


class FormField(Strict):
    """A setting the learner fills in (a VLAN id, an interface mode), with the rule that
    checks it and the points it is worth."""

    id: str = Field(min_length=1, max_length=MAX_IDENTIFIER, pattern=r"^[A-Za-z0-9_.-]+$")
    label: str = Field(min_length=1, max_length=200)
    kind: FieldKind = FieldKind.TEXT
    choices: list[str] = Field(default_factory=list, max_length=MAX_OPTIONS)
    check: Check = Check.EQUALS
    value: str = Field(default="", max_length=MAX_VALUE)
    values: list[str] = Field(default_factory=list, max_length=MAX_OPTIONS)
    minimum: float | None = None
    maximum: float | None = None
    points: float = Field(default=1.0, gt=0, le=100)
    feedback: str = Field(default="", max_length=MAX_TEXT)

    @model_validator(mode="after")
    def _rule_fits(self) -> FormField:
        if self.kind == FieldKind.CHOICE and len(self.choices) < 2:
            raise ValueError(f"Field {self.id}: give at least two choices.")
        match self.check:
            case Check.EQUALS if not self.value:
                raise ValueError(f"Field {self.id}: give the expected value.")
            case Check.ONE_OF if not self.values:
                raise ValueError(f"Field {self.id}: give the accepted values.")
            case Check.RANGE:
                if self.kind != FieldKind.NUMBER:
                    raise ValueError(f"Field {self.id}: a range checks a number field.")
                if self.minimum is None and self.maximum is None:
                    raise ValueError(f"Field {self.id}: give a minimum, a maximum or both.")
            case Check.PATTERN:
                try:
                    regex.compile(self.value)
                except regex.error as exc:
                    raise ValueError(f"Field {self.id}: not a valid pattern: {exc}.") from None
        return self

    def passes(self, given: str) -> bool:
        text = normalized(given)
        match self.check:
            case Check.EQUALS:
                return _same(text, self.value, numeric=self.kind == FieldKind.NUMBER)
            case Check.ONE_OF:
                return any(
                    _same(text, v, numeric=self.kind == FieldKind.NUMBER) for v in self.values
                )
            case Check.RANGE:
                number = _number(text)
                return (
                    number is not None
                    and (self.minimum is None or number >= self.minimum)
                    and (self.maximum is None or number <= self.maximum)
                )
            case Check.PATTERN:
                try:
                    return regex.fullmatch(self.value, text, timeout=PATTERN_SECONDS) is not None
                except TimeoutError:
                    return False


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _same(given: str, wanted: str, *, numeric: bool) -> bool:
    if numeric:
        a, b = _number(given), _number(wanted)
        return a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9)
    return given.casefold() == normalized(wanted).casefold()


class FormResponse(Strict):
    values: dict[str, str] = Field(max_length=MAX_FIELDS)


class Configuration(ItemDefinition):
    """Earns the points of the fields that pass their rule, as a share of all the points."""

    type: Literal["configuration"] = "configuration"
    fields: list[FormField] = Field(min_length=1, max_length=MAX_FIELDS)
    response_model: ClassVar = FormResponse

    @model_validator(mode="after")
    def _unique(self) -> Configuration:
        unique_ids([f.id for f in self.fields], "Field")
        return self

    def public(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "prompt": self.prompt,
            "fields": [
                {"id": f.id, "label": f.label, "kind": f.kind, "choices": f.choices}
                for f in self.fields
            ],
        }

    def check_response(self, response: FormResponse) -> None:
        known(list(response.values), {f.id for f in self.fields}, "field")
        for form_field in self.fields:
            given = response.values.get(form_field.id, "")
            if len(given) > MAX_VALUE:
                raise ResponseInvalid(f"{form_field.id}: too long.", code="too_long")
            if form_field.kind == FieldKind.CHOICE and given and given not in form_field.choices:
                raise ResponseInvalid(
                    f"{form_field.id}: not one of its choices.", code="unknown_option"
                )

    def score(self, response: FormResponse) -> Scored:
        total = sum(f.points for f in self.fields)
        earned = 0.0
        feedback: list[str] = []
        for form_field in self.fields:
            if form_field.passes(response.values.get(form_field.id, "")):
                earned += form_field.points
            elif form_field.feedback:
                feedback.append(form_field.feedback)
        return Scored(earned / total, feedback)


class Level(Strict):
    id: str = Field(min_length=1, max_length=MAX_IDENTIFIER, pattern=r"^[A-Za-z0-9_.-]+$")
    label: str = Field(min_length=1, max_length=200)
    points: float = Field(ge=0, le=100)


class Criterion(Strict):
    id: str = Field(min_length=1, max_length=MAX_IDENTIFIER, pattern=r"^[A-Za-z0-9_.-]+$")
    title: str = Field(min_length=1, max_length=200)
    levels: list[Level] = Field(min_length=2, max_length=10)

    @model_validator(mode="after")
    def _unique(self) -> Criterion:
        unique_ids([level.id for level in self.levels], f"Level of {self.id}")
        return self

    @property
    def best(self) -> float:
        return max(level.points for level in self.levels)


class EvidenceResponse(Strict):
    # Stored uploads (their identifiers), and what the learner says about them.
    files: list[str] = Field(min_length=1, max_length=10)
    note: str = Field(default="", max_length=MAX_TEXT)


class Grading(Strict):
    """A reviewer's grading of evidence: a level per criterion, and comments."""

    levels: dict[str, str]
    comment: str = Field(default="", max_length=MAX_TEXT)


class Evidence(ItemDefinition):
    """Uploaded evidence (a screenshot of a working configuration, a recorded pitch), graded by
    a reviewer who picks a level per criterion of the rubric."""

    type: Literal["evidence"] = "evidence"
    rubric: list[Criterion] = Field(min_length=1, max_length=20)
    accepted_types: list[str] = Field(
        default_factory=lambda: ["image/png", "image/jpeg", "application/pdf"]
    )
    automatic: ClassVar[bool] = False
    response_model: ClassVar = EvidenceResponse

    @model_validator(mode="after")
    def _gradable(self) -> Evidence:
        unique_ids([c.id for c in self.rubric], "Criterion")
        if sum(c.best for c in self.rubric) <= 0:
            raise ValueError("The rubric must be worth some points.")
        return self

    def public(self) -> dict[str, Any]:
        # The rubric is shown: learners should know how their evidence will be judged.
        return {
            "type": self.type,
            "prompt": self.prompt,
            "accepted_types": self.accepted_types,
            "rubric": [
                {"id": c.id, "title": c.title, "levels": [level.label for level in c.levels]}
                for c in self.rubric
            ],
        }

    def score(self, response: EvidenceResponse) -> Scored:
        return Scored(None)  # a reviewer grades it (`grade`)

    def grade(self, grading: Grading) -> Scored:
        """The share of the rubric's points the reviewer's levels give; every criterion needs
        a level."""
        if set(grading.levels) != {c.id for c in self.rubric}:
            raise ResponseInvalid("Give a level for every criterion.", code="incomplete_grading")
        earned = 0.0
        for criterion in self.rubric:
            level = next(
                (lv for lv in criterion.levels if lv.id == grading.levels[criterion.id]), None
            )
            if level is None:
                raise ResponseInvalid(f"{criterion.id}: unknown level.", code="unknown_level")
            earned += level.points
        return Scored(
            earned / sum(c.best for c in self.rubric), [grading.comment] if grading.comment else []
        )
