"""Items answered by typing: a number within a tolerance, or a short text matching one of the
accepted answers."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any, ClassVar, Literal

import regex
from pydantic import Field, field_validator, model_validator

from cascade.assessments.items.base import ItemDefinition, ResponseInvalid, Scored, Strict

# A learner's text answer is short; patterns are matched with a time limit, so that a pattern
# an author wrote badly cannot stall a worker on a crafted answer (catastrophic backtracking).
MAX_ANSWER = 500
MAX_PATTERN = 300
PATTERN_SECONDS = 0.05


class NumberResponse(Strict):
    value: float

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("Give a finite number.")
        return value


class TextResponse(Strict):
    text: str = Field(max_length=MAX_ANSWER)


class Numeric(ItemDefinition):
    """Correct when |value - answer| <= tolerance; a relative tolerance is a share of the
    answer (0.05: within 5%)."""

    type: Literal["numeric"] = "numeric"
    answer: float
    tolerance: float = Field(default=0.0, ge=0)
    relative: bool = False
    unit: str = Field(default="", max_length=20)
    response_model: ClassVar = NumberResponse

    @field_validator("answer")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("Give a finite number.")
        return value

    def public(self) -> dict[str, Any]:
        return {"type": self.type, "prompt": self.prompt, "unit": self.unit}

    def score(self, response: NumberResponse) -> Scored:
        allowed = self.tolerance * abs(self.answer) if self.relative else self.tolerance
        # A hair of slack for binary floating point: 0.1 + 0.2 is within 0 of 0.3.
        close = abs(response.value - self.answer) <= allowed + 1e-9 * max(1.0, abs(self.answer))
        return Scored(1.0 if close else 0.0)


class Match(StrEnum):
    EXACT = "exact"  # the same text, once spaces are collapsed (and case, unless it matters)
    PATTERN = "pattern"  # a regular expression the whole answer must match


class Accepted(Strict):
    match: Match = Match.EXACT
    value: str = Field(min_length=1, max_length=MAX_PATTERN)
    case_sensitive: bool = False
    # Share of the points this answer earns (a partly right answer may earn some).
    credit: float = Field(default=1.0, gt=0, le=1)

    @model_validator(mode="after")
    def _compiles(self) -> Accepted:
        if self.match == Match.PATTERN:
            try:
                regex.compile(self.value)
            except regex.error as exc:
                raise ValueError(f"Not a valid pattern: {exc}.") from None
        return self

    def matches(self, answer: str) -> bool:
        flags = 0 if self.case_sensitive else regex.IGNORECASE
        if self.match == Match.EXACT:
            given, wanted = normalized(answer), normalized(self.value)
            return given == wanted if self.case_sensitive else given.casefold() == wanted.casefold()
        try:
            return (
                regex.fullmatch(self.value, normalized(answer), flags, timeout=PATTERN_SECONDS)
                is not None
            )
        except TimeoutError:
            return False


def normalized(text: str) -> str:
    return " ".join(text.split())


class ShortText(ItemDefinition):
    """Earns the credit of the first accepted answer it matches, in the author's order."""

    type: Literal["short_text"] = "short_text"
    accepted: list[Accepted] = Field(min_length=1, max_length=20)
    response_model: ClassVar = TextResponse

    def public(self) -> dict[str, Any]:
        return {"type": self.type, "prompt": self.prompt, "max_length": MAX_ANSWER}

    def check_response(self, response: TextResponse) -> None:
        if not normalized(response.text):
            raise ResponseInvalid("Write an answer.", code="empty_answer")

    def score(self, response: TextResponse) -> Scored:
        for accepted in self.accepted:
            if accepted.matches(response.text):
                return Scored(accepted.credit)
        return Scored(0.0)
