"""What a person is shown of an attempt's items: each item's public view, in the order drawn for
the attempt, with what they have saved so far. Nothing here reads an answer key: the only source
is `ItemDefinition.public()` (decision 0009), plus, for scenarios, the step the saved path has
reached and the choices already made on it.
"""

from __future__ import annotations

import random
from typing import Any

from cascade.assessments.items import ItemDefinition
from cascade.assessments.items.scenario import Scenario

# Lists of a public view whose order is drawn per attempt. Options are shuffled when the exam
# and the item allow it; the steps of an ordering item and the responses of a matching item are
# always shuffled, since the order an author wrote them in may give the key away.
_ALWAYS_SHUFFLED = ("steps", "responses")


def presented_order(
    definition: ItemDefinition, rng: random.Random, *, shuffle_options: bool
) -> dict[str, list[str]]:
    """The order each list of the item's public view is shown in for one attempt."""
    public = definition.public()
    order: dict[str, list[str]] = {}
    for key in ("options", *_ALWAYS_SHUFFLED):
        entries = public.get(key)
        if not isinstance(entries, list) or not entries:
            continue
        ids = [str(entry["id"]) for entry in entries]
        if key in _ALWAYS_SHUFFLED or (shuffle_options and getattr(definition, "shuffle", True)):
            rng.shuffle(ids)
        order[key] = ids
    return order


def served_item(
    definition: ItemDefinition, order: dict[str, list[str]], response: Any
) -> dict[str, Any]:
    """The public view of one item as this attempt shows it."""
    public = definition.public()
    public.pop("shuffle", None)
    for key, ids in order.items():
        entries = public.get(key)
        if isinstance(entries, list):
            rank = {item_id: n for n, item_id in enumerate(ids)}
            public[key] = sorted(entries, key=lambda e: rank.get(str(e["id"]), len(rank)))
    if isinstance(definition, Scenario):
        public.update(scenario_progress(definition, scenario_path(response)))
    return public


def scenario_path(response: Any) -> list[str]:
    if isinstance(response, dict) and isinstance(response.get("path"), list):
        return [str(option) for option in response["path"]]
    return []


def scenario_progress(definition: Scenario, path: list[str]) -> dict[str, Any]:
    """Where a scenario stands after `path`: the situations passed with the option chosen in
    each (texts only), and the step to answer now (None once the case has ended)."""
    walked = []
    at = definition.start
    for option_id in path:
        step = next(s for s in definition.steps if s.id == at)
        option = next(o for o in step.options if o.id == option_id)
        walked.append({"situation": step.situation, "chosen": option.text})
        at = option.next
    return {
        "walked": walked,
        "step": definition.step_public(at) if at else None,
        "finished": not at,
    }
