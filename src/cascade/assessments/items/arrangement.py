"""Items answered by arranging: putting steps in order, or matching each prompt to a
response."""

from __future__ import annotations

from itertools import combinations
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from cascade.assessments.items.base import (
    MAX_OPTIONS,
    ItemDefinition,
    Option,
    ResponseInvalid,
    Scored,
    Strict,
    known,
    unique_ids,
)


class OrderResponse(Strict):
    order: list[str] = Field(max_length=MAX_OPTIONS)


class PairsResponse(Strict):
    # Prompt identifier -> the response identifier chosen for it.
    pairs: dict[str, str] = Field(max_length=MAX_OPTIONS)


class Ordering(ItemDefinition):
    """`steps` in the correct order; the player shows them shuffled. With `partial`, a response
    earns the share of pairs of steps it puts in the right relative order (Kendall's tau as a
    share: swapping two neighbours of five steps still earns 0.9), else all or nothing."""

    type: Literal["ordering"] = "ordering"
    steps: list[Option] = Field(min_length=2, max_length=MAX_OPTIONS)
    partial: bool = True
    response_model: ClassVar = OrderResponse

    @model_validator(mode="after")
    def _unique(self) -> Ordering:
        unique_ids([s.id for s in self.steps], "Step")
        return self

    def public(self) -> dict[str, Any]:
        # Sorted by identifier, not in the key's order: the order served must not give it away
        # (the player shuffles it per attempt too).
        steps = sorted(self.steps, key=lambda s: s.id)
        return {
            "type": self.type,
            "prompt": self.prompt,
            "steps": [{"id": s.id, "text": s.text} for s in steps],
        }

    def check_response(self, response: OrderResponse) -> None:
        known(response.order, {s.id for s in self.steps}, "step")
        if sorted(response.order) != sorted(s.id for s in self.steps):
            raise ResponseInvalid("Place every step exactly once.", code="incomplete_order")

    def score(self, response: OrderResponse) -> Scored:
        wanted = [s.id for s in self.steps]
        if response.order == wanted:
            return Scored(1.0)
        if not self.partial:
            return Scored(0.0)
        position = {step: index for index, step in enumerate(response.order)}
        pairs = list(combinations(wanted, 2))
        kept = sum(1 for first, second in pairs if position[first] < position[second])
        return Scored(kept / len(pairs))


class Matching(ItemDefinition):
    """Each prompt has one correct response; there may be more responses than prompts
    (distractors), and a response may serve several prompts. With `partial`, a response earns
    the share of prompts matched right, else all or nothing."""

    type: Literal["matching"] = "matching"
    prompts: list[Option] = Field(min_length=2, max_length=MAX_OPTIONS)
    responses: list[Option] = Field(min_length=2, max_length=MAX_OPTIONS)
    # Prompt identifier -> correct response identifier.
    key: dict[str, str]
    partial: bool = True
    response_model: ClassVar = PairsResponse

    @model_validator(mode="after")
    def _complete_key(self) -> Matching:
        unique_ids([p.id for p in self.prompts], "Prompt")
        unique_ids([r.id for r in self.responses], "Response")
        if set(self.key) != {p.id for p in self.prompts}:
            raise ValueError("Give the correct response of every prompt, and only of prompts.")
        if not set(self.key.values()) <= {r.id for r in self.responses}:
            raise ValueError("The key names a response the item does not have.")
        return self

    def public(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "prompt": self.prompt,
            "prompts": [{"id": p.id, "text": p.text} for p in self.prompts],
            "responses": [
                {"id": r.id, "text": r.text} for r in sorted(self.responses, key=lambda r: r.id)
            ],
        }

    def check_response(self, response: PairsResponse) -> None:
        known(list(response.pairs), {p.id for p in self.prompts}, "prompt")
        known(list(response.pairs.values()), {r.id for r in self.responses}, "response")

    def score(self, response: PairsResponse) -> Scored:
        right = sum(1 for prompt, chosen in response.pairs.items() if self.key[prompt] == chosen)
        if right == len(self.key):
            return Scored(1.0)
        return Scored(right / len(self.key) if self.partial else 0.0)
