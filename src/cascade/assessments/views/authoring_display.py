"""An item as its authors review it: what the learner is shown (the type's `public()` part, for a
scenario its first step), the answer key, and for a scenario the map of its steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cascade.assessments.authoring_forms import (
    ITEM_TYPES,
    ItemType,
    readable_message,
    readable_path,
)
from cascade.assessments.items import DefinitionInvalid, ItemDefinition, item_definition
from cascade.assessments.items.scenario import Scenario
from cascade.assessments.views.authoring_map import ScenarioMap, scenario_map

PARTIAL_CREDIT = {
    "all_or_nothing": "All or nothing: every correct option and no other.",
    "right_minus_wrong": "Right minus wrong: the share of correct options chosen, less the "
    "share of wrong ones chosen, never below zero.",
    "per_option": "Per option: the share of options classified right.",
}
CHECKS = {
    "equals": "equals “{value}”",
    "one_of": "is one of {values}",
    "pattern": "matches the pattern {value}",
}


@dataclass(frozen=True)
class ItemDisplay:
    info: ItemType
    public: dict[str, Any]
    item: ItemDefinition
    map: ScenarioMap | None

    @property
    def type(self) -> str:
        return self.info.name

    @property
    def key(self) -> dict[str, Any]:
        """The answer key in words, for what a template cannot look up itself."""
        item: Any = self.item
        match self.type:
            case "multiple_response":
                return {"partial_credit": PARTIAL_CREDIT[item.partial_credit]}
            case "numeric":
                if not item.tolerance:
                    within = "exactly"
                elif item.relative:
                    within = f"within {item.tolerance * 100:g} % of it"
                else:
                    within = f"within {item.tolerance:g} of it"
                return {"answer": f"{item.answer:g}", "within": within}
            case "short_text":
                return {
                    "accepted": [
                        {
                            "how": "Pattern" if a.match == "pattern" else "Exactly",
                            "value": a.value,
                            "case": "case matters" if a.case_sensitive else "any case",
                            "credit": f"{a.credit * 100:g} %",
                        }
                        for a in item.accepted
                    ]
                }
            case "matching":
                texts = {r.id: r.text for r in item.responses}
                used = set(item.key.values())
                return {
                    "pairs": [(p.text, texts[item.key[p.id]]) for p in item.prompts],
                    "distractors": [r.text for r in item.responses if r.id not in used],
                }
            case "configuration":
                return {"fields": [_field_rule(f) for f in item.fields]}
            case "evidence":
                return {"best": f"{sum(c.best for c in item.rubric):g}"}
        return {}


def _field_rule(form_field: Any) -> dict[str, str]:
    if form_field.check == "range":
        low = "" if form_field.minimum is None else f"{form_field.minimum:g}"
        high = "" if form_field.maximum is None else f"{form_field.maximum:g}"
        rule = (
            f"from {low} to {high}"
            if low and high
            else (f"at least {low}" if low else f"at most {high}")
        )
    else:
        rule = CHECKS[form_field.check].format(
            value=form_field.value, values=", ".join(f"“{v}”" for v in form_field.values)
        )
    return {
        "label": form_field.label,
        "kind": form_field.kind
        + (f" ({', '.join(form_field.choices)})" if form_field.choices else ""),
        "rule": rule,
        "points": f"{form_field.points:g}",
        "feedback": form_field.feedback,
    }


@dataclass(frozen=True)
class DisplayProblem:
    """A stored definition the item types no longer accept (they changed since it was
    written): its errors, in words."""

    errors: list[str]


def item_display(
    definition: dict[str, Any], public: dict[str, Any] | None = None
) -> ItemDisplay | DisplayProblem:
    try:
        item = item_definition(definition)
    except DefinitionInvalid as exc:
        return DisplayProblem(
            [
                f"{readable_path(e['field'], definition)}: "
                f"{readable_message(e['message'], e['field'])}"
                for e in exc.errors
            ]
        )
    return ItemDisplay(
        info=ITEM_TYPES[definition["type"]],
        public=public if public is not None else item.public(),
        item=item,
        map=scenario_map(item) if isinstance(item, Scenario) else None,
    )
