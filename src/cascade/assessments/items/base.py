"""What every item type shares: its definition is validated JSON, it shows the learner only its
public part, and it scores a response to a fraction of its points.

An item's definition holds its answer key (correct choices, scores of options, branch scores of
a scenario, rules of a configuration exercise). `public()` is the only view of it that the player
and the API send before grading, so integrity does not depend on each template remembering what
to leave out: keys are absent from what is served, by construction.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# Limits that keep a definition and a response small enough to store, show and score cheaply.
MAX_TEXT = 4000
MAX_OPTIONS = 20
MAX_IDENTIFIER = 40


class ResponseInvalid(ValueError):
    """A response that does not fit the item (an unknown choice, a malformed value): the caller
    answers 422 and stores nothing."""

    def __init__(self, message: str, *, code: str = "invalid_response") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Scored:
    """The share of the item's points a response earns (0 to 1), or None while it waits for a
    grader (evidence), with the feedback the learner may see once feedback is released."""

    fraction: float | None
    feedback: list[str] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return self.fraction is None


class Strict(BaseModel):
    """Definitions and responses refuse fields they do not know: a typo is an error, not a
    silently ignored key."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Identifier = Field(min_length=1, max_length=MAX_IDENTIFIER, pattern=r"^[A-Za-z0-9_.-]+$")
Text = Field(min_length=1, max_length=MAX_TEXT)


class Option(Strict):
    """A choice the learner sees: an identifier (stable across versions) and its text."""

    id: str = Identifier
    text: str = Text


class ItemDefinition(Strict):
    """The base of every item type. Subclasses set `type` (a Literal) and implement
    `public()`, `parse_response()` and `score()`."""

    prompt: str = Text
    # Shown after grading when the feedback policy allows it.
    explanation: str = Field(default="", max_length=MAX_TEXT)

    if TYPE_CHECKING:
        # Each type declares it as a Literal field (the union's discriminator).
        type: str

    # Whether `score()` can decide alone (False: a reviewer grades it).
    automatic: ClassVar[bool] = True
    response_model: ClassVar[builtins.type[Strict]]

    def public(self) -> dict[str, Any]:
        """What the learner may see while answering."""
        raise NotImplementedError

    def parse_response(self, raw: Any) -> Strict:
        """The response as this item's response model, checked against the item."""
        try:
            response = self.response_model.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "response"
            raise ResponseInvalid(f"{where}: {first['msg']}") from None
        self.check_response(response)
        return response

    def check_response(self, response: Any) -> None:
        """Refuse what the model alone cannot: references to options the item does not have."""

    def score(self, response: Any) -> Scored:
        raise NotImplementedError


def unique_ids(ids: list[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"{what} identifiers must be unique.")


def known(chosen: list[str] | set[str], allowed: set[str], what: str) -> None:
    unknown = sorted(set(chosen) - allowed)
    if unknown:
        raise ResponseInvalid(f"Unknown {what}: {', '.join(unknown)}.", code="unknown_option")


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
