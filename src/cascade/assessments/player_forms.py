"""Reading the exam player's forms: the fields one item's form posts, turned into the response
that item type takes (`cascade.assessments.items`), or a readable reason why they cannot be.

Each item of the player is its own form, so its fields carry plain names ("choice", "order",
"field-vlan"). What is read here is only shaped: whether an answer fits the item (an option it
has, every step placed once) is decided by the attempt service, which stores nothing when it
does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

# The form field names of each type (`name` attributes in player/_item_*.html).
CHOICE = "choice"
CHOICES = "choices"
VALUE = "value"
TEXT = "text"
ORDER = "order"
MOVE = "move"
PAIR_PREFIX = "pair-"
FIELD_PREFIX = "field-"
FILES = "files"
NOTE = "note"
STEP = "step"
OPTION = "option"

# Longer than any answer an item takes: the service gives the precise limit.
MAX_FIELD = 5000


class AnswerUnreadable(ValueError):
    """The posted fields do not make an answer (nothing chosen, not a number)."""


@dataclass(frozen=True)
class Move:
    """A step of an ordering item moved one place up or down."""

    step: str
    up: bool


def _one(data: QueryDict, name: str) -> str:
    return str(data.get(name, ""))[:MAX_FIELD]


def _many(data: QueryDict, name: str) -> list[str]:
    return [str(value)[:MAX_FIELD] for value in data.getlist(name)]


def number_from(text: str) -> float:
    """A number as people type it: spaces ignored, a decimal comma accepted ("1 500,5")."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not cleaned:
        raise AnswerUnreadable("Type a number.")
    try:
        number = float(cleaned)
    except ValueError:
        raise AnswerUnreadable(f"“{text.strip()[:40]}” is not a number.") from None
    if not math.isfinite(number):
        raise AnswerUnreadable("Type a finite number.")
    return number


def move_from(data: QueryDict) -> Move | None:
    """The move an ordering item's up or down button asks for ("<step>:up"), if any."""
    raw = _one(data, MOVE)
    step, _, direction = raw.rpartition(":")
    if not step or direction not in ("up", "down"):
        return None
    return Move(step, direction == "up")


def moved(order: list[str], move: Move | None) -> list[str]:
    """The order with one step moved a place (unchanged at either end or for an unknown step)."""
    if move is None or move.step not in order:
        return order
    at = order.index(move.step)
    to = at - 1 if move.up else at + 1
    if to < 0 or to >= len(order):
        return order
    changed = list(order)
    changed[at], changed[to] = changed[to], changed[at]
    return changed


def response_from(item_type: str, content: dict[str, Any], data: QueryDict) -> dict[str, Any]:
    """The response of an item of `item_type` (its public `content` as served) from the fields
    its form posted. Scenarios are walked a step at a time (`scenario_choice`); evidence files
    are uploaded before they are named here."""
    match item_type:
        case "single_choice":
            choice = _one(data, CHOICE)
            if not choice:
                raise AnswerUnreadable("Choose an answer.")
            return {"choice": choice}
        case "true_false":
            value = _one(data, VALUE)
            if value not in ("true", "false"):
                raise AnswerUnreadable("Choose true or false.")
            return {"value": value == "true"}
        case "multiple_response":
            return {"choices": _many(data, CHOICES)}
        case "numeric":
            return {"value": number_from(_one(data, VALUE))}
        case "short_text":
            return {"text": _one(data, TEXT)}
        case "ordering":
            return {"order": moved(_many(data, ORDER), move_from(data))}
        case "matching":
            pairs = {}
            for prompt in content.get("prompts", []):
                chosen = _one(data, PAIR_PREFIX + str(prompt["id"]))
                if chosen:
                    pairs[str(prompt["id"])] = chosen
            return {"pairs": pairs}
        case "configuration":
            return {
                "values": {
                    str(field["id"]): _one(data, FIELD_PREFIX + str(field["id"])).strip()
                    for field in content.get("fields", [])
                }
            }
        case "evidence":
            return {"files": _many(data, FILES), "note": _one(data, NOTE)}
    raise AnswerUnreadable("This question cannot be answered here.")


@dataclass(frozen=True)
class ScenarioChoice:
    step: str
    option: str


def scenario_choice(data: QueryDict) -> ScenarioChoice:
    """The option chosen at one step of a scenario, with the step it was chosen at (so that a
    choice sent twice, or from a page left open in another tab, is not taken again)."""
    option = _one(data, OPTION)
    if not option:
        raise AnswerUnreadable("Choose what you do.")
    return ScenarioChoice(_one(data, STEP), option)


ANSWERED = "answered"
STARTED = "started"
UNANSWERED = "unanswered"


def answer_state(item_type: str, content: dict[str, Any], response: Any) -> str:
    """Whether a saved response answers its item: a scenario is answered once its case has
    ended (started before); boxes all left unticked, or a form left blank, answer nothing."""
    if not isinstance(response, dict):
        return UNANSWERED
    match item_type:
        case "scenario":
            if content.get("finished"):
                return ANSWERED
            return STARTED if response.get("path") else UNANSWERED
        case "multiple_response":
            filled = bool(response.get("choices"))
        case "matching":
            filled = bool(response.get("pairs"))
        case "configuration":
            filled = any(str(v).strip() for v in (response.get("values") or {}).values())
        case "evidence":
            filled = bool(response.get("files"))
        case _:
            filled = True
    return ANSWERED if filled else UNANSWERED
