"""Item types of the assessment engine: their definitions (validated JSON with the answer key),
what the learner sees of them (`public()`), and their scoring (`score()`).

`item_definition(data)` reads any type from its `type` field.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from cascade.assessments.items.answers import Numeric, ShortText
from cascade.assessments.items.arrangement import Matching, Ordering
from cascade.assessments.items.base import ItemDefinition, ResponseInvalid, Scored
from cascade.assessments.items.choice import MultipleResponse, SingleChoice, TrueFalse
from cascade.assessments.items.exercise import Configuration, Evidence
from cascade.assessments.items.scenario import Scenario

AnyItem = Annotated[
    SingleChoice
    | MultipleResponse
    | TrueFalse
    | Numeric
    | ShortText
    | Ordering
    | Matching
    | Scenario
    | Configuration
    | Evidence,
    Field(discriminator="type"),
]
_adapter: TypeAdapter[AnyItem] = TypeAdapter(AnyItem)

ITEM_TYPES = (
    "single_choice",
    "multiple_response",
    "true_false",
    "numeric",
    "short_text",
    "ordering",
    "matching",
    "scenario",
    "configuration",
    "evidence",
)


class DefinitionInvalid(ValueError):
    """An item definition that does not validate: each error with where it is."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field'] or 'definition'}: {e['message']}" for e in errors))
        self.errors = errors


def item_definition(data: Any) -> ItemDefinition:
    """The item described by `data` (a dict with its `type`), validated."""
    try:
        return _adapter.validate_python(data)
    except ValidationError as exc:
        raise DefinitionInvalid(
            [
                {
                    "field": _where(error["loc"]),
                    "message": error["msg"].removeprefix("Value error, "),
                }
                for error in exc.errors()
            ]
        ) from None


def _where(location: tuple[int | str, ...]) -> str:
    """Where an error is ("options.1.id"; "" for the definition as a whole), without the type
    tag pydantic puts first for a tagged union."""
    parts = location[1:] if location and location[0] in ITEM_TYPES else location
    return ".".join(str(part) for part in parts)


__all__ = [
    "ITEM_TYPES",
    "DefinitionInvalid",
    "ItemDefinition",
    "ResponseInvalid",
    "Scored",
    "item_definition",
]
