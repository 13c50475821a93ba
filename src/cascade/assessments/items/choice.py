"""Choice items: single choice, multiple response (with a partial-credit policy) and
true/false."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from cascade.assessments.items.base import (
    MAX_OPTIONS,
    MAX_TEXT,
    ItemDefinition,
    Option,
    ResponseInvalid,
    Scored,
    Strict,
    clamp,
    known,
    unique_ids,
)


class KeyedOption(Option):
    """An option with what only grading may know: whether it is correct, and its feedback."""

    correct: bool = False
    feedback: str = Field(default="", max_length=MAX_TEXT)


class ChoiceResponse(Strict):
    choice: str


class ChoicesResponse(Strict):
    choices: list[str] = Field(max_length=MAX_OPTIONS)


class TrueFalseResponse(Strict):
    value: bool


def _public_options(options: list[KeyedOption]) -> list[dict[str, str]]:
    return [{"id": o.id, "text": o.text} for o in options]


def _feedback(options: list[KeyedOption], chosen: set[str]) -> list[str]:
    return [o.feedback for o in options if o.id in chosen and o.feedback]


class SingleChoice(ItemDefinition):
    type: Literal["single_choice"] = "single_choice"
    options: list[KeyedOption] = Field(min_length=2, max_length=MAX_OPTIONS)
    shuffle: bool = True
    response_model: ClassVar = ChoiceResponse

    @model_validator(mode="after")
    def _one_correct(self) -> SingleChoice:
        unique_ids([o.id for o in self.options], "Option")
        if sum(o.correct for o in self.options) != 1:
            raise ValueError("Mark exactly one option correct.")
        return self

    def public(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "prompt": self.prompt,
            "options": _public_options(self.options),
            "shuffle": self.shuffle,
        }

    def check_response(self, response: ChoiceResponse) -> None:
        known([response.choice], {o.id for o in self.options}, "option")

    def score(self, response: ChoiceResponse) -> Scored:
        (right,) = (o.id for o in self.options if o.correct)
        return Scored(
            1.0 if response.choice == right else 0.0, _feedback(self.options, {response.choice})
        )


class PartialCredit(StrEnum):
    """How a multiple-response item scores a response that is partly right.

    - `all_or_nothing`: every correct option chosen and no other;
    - `right_minus_wrong`: the share of correct options chosen, minus the share of incorrect
      options chosen, never below zero (guessing everything earns nothing);
    - `per_option`: the share of options classified right (chosen if correct, left if not).
    """

    ALL_OR_NOTHING = "all_or_nothing"
    RIGHT_MINUS_WRONG = "right_minus_wrong"
    PER_OPTION = "per_option"


class MultipleResponse(ItemDefinition):
    type: Literal["multiple_response"] = "multiple_response"
    options: list[KeyedOption] = Field(min_length=2, max_length=MAX_OPTIONS)
    partial_credit: PartialCredit = PartialCredit.RIGHT_MINUS_WRONG
    shuffle: bool = True
    response_model: ClassVar = ChoicesResponse

    @model_validator(mode="after")
    def _some_correct(self) -> MultipleResponse:
        unique_ids([o.id for o in self.options], "Option")
        if not any(o.correct for o in self.options):
            raise ValueError("Mark at least one option correct.")
        return self

    def public(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "prompt": self.prompt,
            "options": _public_options(self.options),
            "shuffle": self.shuffle,
        }

    def check_response(self, response: ChoicesResponse) -> None:
        if len(set(response.choices)) != len(response.choices):
            raise ResponseInvalid("An option is chosen twice.", code="duplicate_option")
        known(response.choices, {o.id for o in self.options}, "option")

    def score(self, response: ChoicesResponse) -> Scored:
        chosen = set(response.choices)
        right = {o.id for o in self.options if o.correct}
        wrong = {o.id for o in self.options if not o.correct}
        match self.partial_credit:
            case PartialCredit.ALL_OR_NOTHING:
                fraction = 1.0 if chosen == right else 0.0
            case PartialCredit.RIGHT_MINUS_WRONG:
                earned = len(chosen & right) / len(right)
                lost = len(chosen & wrong) / len(wrong) if wrong else 0.0
                fraction = clamp(earned - lost)
            case PartialCredit.PER_OPTION:
                classified = len(chosen & right) + len(wrong - chosen)
                fraction = classified / len(self.options)
        return Scored(fraction, _feedback(self.options, chosen))


class TrueFalse(ItemDefinition):
    type: Literal["true_false"] = "true_false"
    statement_is_true: bool
    feedback_true: str = Field(default="", max_length=MAX_TEXT)
    feedback_false: str = Field(default="", max_length=MAX_TEXT)
    response_model: ClassVar = TrueFalseResponse

    def public(self) -> dict[str, Any]:
        return {"type": self.type, "prompt": self.prompt}

    def score(self, response: TrueFalseResponse) -> Scored:
        said = self.feedback_true if response.value else self.feedback_false
        return Scored(
            1.0 if response.value == self.statement_is_true else 0.0, [said] if said else []
        )
