"""Scenario items: a multi-step case (a customer conversation, a troubleshooting session).

Each step presents a situation and options; each option carries a score and feedback and leads
to another step or ends the case. The learner walks one path: the player is sent one step at a
time (`step_public`), never the scores nor where the other options lead, and the response is the
path of option identifiers. A path earns its options' scores summed, as a share of the best
path's; a case whose steps form a cycle, or a step no path reaches, is refused when authored.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from cascade.assessments.items.base import (
    MAX_IDENTIFIER,
    MAX_OPTIONS,
    MAX_TEXT,
    ItemDefinition,
    Option,
    ResponseInvalid,
    Scored,
    Strict,
    unique_ids,
)

MAX_STEPS = 50


class Branch(Option):
    # The step it leads to (empty: the case ends here).
    next: str = Field(default="", max_length=MAX_IDENTIFIER)
    score: float = Field(default=0.0, ge=-100, le=100)
    feedback: str = Field(default="", max_length=MAX_TEXT)


class Step(Strict):
    id: str = Field(min_length=1, max_length=MAX_IDENTIFIER, pattern=r"^[A-Za-z0-9_.-]+$")
    situation: str = Field(min_length=1, max_length=MAX_TEXT)
    options: list[Branch] = Field(min_length=1, max_length=MAX_OPTIONS)


class PathResponse(Strict):
    path: list[str] = Field(max_length=MAX_STEPS)


class Scenario(ItemDefinition):
    type: Literal["scenario"] = "scenario"
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)
    start: str
    response_model: ClassVar = PathResponse

    @model_validator(mode="after")
    def _a_tree_of_paths(self) -> Scenario:
        ids = [s.id for s in self.steps]
        unique_ids(ids, "Step")
        by_id = {s.id: s for s in self.steps}
        if self.start not in by_id:
            raise ValueError("The start names a step the case does not have.")
        for step in self.steps:
            unique_ids([o.id for o in step.options], f"Option of step {step.id}")
            for option in step.options:
                if option.next and option.next not in by_id:
                    raise ValueError(f"Option {step.id}.{option.id} leads to an unknown step.")
        # Depth-first from the start: a step seen again on the current path is a cycle.
        reached: set[str] = set()

        def walk(step_id: str, on_path: tuple[str, ...]) -> None:
            if step_id in on_path:
                raise ValueError(f"The case loops back to step {step_id}.")
            reached.add(step_id)
            for option in by_id[step_id].options:
                if option.next:
                    walk(option.next, (*on_path, step_id))

        walk(self.start, ())
        unreached = sorted(set(ids) - reached)
        if unreached:
            raise ValueError(f"No path reaches step {', '.join(unreached)}.")
        if self.best_score() <= 0:
            raise ValueError("The best path must score above zero.")
        return self

    def _step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def best_score(self) -> float:
        """The highest total any path earns (the case is acyclic: memoized depth-first)."""

        @cache
        def best(step_id: str) -> float:
            return max(
                o.score + (best(o.next) if o.next else 0.0) for o in self._step(step_id).options
            )

        return best(self.start)

    def public(self) -> dict[str, Any]:
        return {"type": self.type, "prompt": self.prompt, "step": self.step_public(self.start)}

    def step_public(self, step_id: str) -> dict[str, Any]:
        step = self._step(step_id)
        return {
            "id": step.id,
            "situation": step.situation,
            "options": [{"id": o.id, "text": o.text} for o in step.options],
        }

    def walk(self, path: list[str]) -> tuple[list[Branch], str]:
        """The options the path takes, and the step it stands at ("" when the case ended).
        Refuses a path that takes an option its step does not offer, or goes on after the end."""
        taken: list[Branch] = []
        at = self.start
        for option_id in path:
            if not at:
                raise ResponseInvalid("The case already ended.", code="path_after_end")
            option = next((o for o in self._step(at).options if o.id == option_id), None)
            if option is None:
                raise ResponseInvalid(
                    f"Step {at} has no option {option_id}.", code="unknown_option"
                )
            taken.append(option)
            at = option.next
        return taken, at

    def next_step(self, path: list[str]) -> dict[str, Any] | None:
        """What the player shows after this much of the path: the next step, or None at the
        end (the learner may then submit)."""
        _, at = self.walk(path)
        return self.step_public(at) if at else None

    def check_response(self, response: PathResponse) -> None:
        _, at = self.walk(response.path)
        if at:
            raise ResponseInvalid("Finish the case before submitting.", code="path_unfinished")

    def score(self, response: PathResponse) -> Scored:
        taken, _ = self.walk(response.path)
        total = sum(o.score for o in taken)
        return Scored(
            max(0.0, min(1.0, total / self.best_score())), [o.feedback for o in taken if o.feedback]
        )
