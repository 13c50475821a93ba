"""Building published exams for attempt tests: a bank of items of every type, and exams over it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cascade.assessments.exam_services import (
    DrawSpec,
    ExamRules,
    exam_blueprint_set,
    exam_create,
    exam_form_set,
    exam_publish,
)
from cascade.assessments.models import Exam, Item
from cascade.assessments.services import (
    bank_create,
    competency_create,
    competency_domain_create,
    item_create,
)
from tests.assessments.test_item_types import (
    CONFIGURATION,
    EVIDENCE,
    MATCHING,
    MULTIPLE,
    ORDERING,
    SCENARIO,
    SHORT,
    SINGLE,
)
from tests.conftest import World

# A right answer to each definition of the item-type tests.
RIGHT = {
    "single_choice": {"choice": "a"},
    "multiple_response": {"choices": ["ips", "sdwan"]},
    "scenario": {"path": ["ask", "check"]},
}


def fixed_exam(
    world: World,
    definitions: Sequence[dict[str, Any]],
    *,
    name: str = "Firewall associate",
    rules: ExamRules | None = None,
    competency_names: Sequence[str] = (),
    points: Sequence[int] | None = None,
) -> tuple[Exam, list[Item]]:
    """A published fixed exam of one item per definition, in order, unshuffled unless the
    rules say otherwise. Each item measures the competencies named (created if needed)."""
    author = world.actor("author")
    domain = competency_domain_create(actor=author, name=f"{name} skills")
    by_label = {
        label: competency_create(actor=author, domain_id=domain.pk, name=f"{name}: {label}")
        for label in dict.fromkeys(competency_names)
    }
    competencies = [by_label[label] for label in competency_names]
    bank = bank_create(actor=author, name=f"{name} bank")
    items = [
        item_create(
            actor=author,
            bank_id=bank.pk,
            definition=definition,
            points=(points[n] if points else 1),
            competency_ids=[competencies[n % len(competencies)].pk] if competencies else [],
        )
        for n, definition in enumerate(definitions)
    ]
    exam = exam_create(
        actor=author,
        name=name,
        mode="fixed",
        rules=rules or ExamRules(shuffle_items=False, shuffle_options=False),
    )
    exam_form_set(actor=author, exam=exam, item_ids=[i.pk for i in items])
    return exam_publish(actor=author, exam=exam), items


def blueprint_exam(
    world: World, draws: Sequence[DrawSpec], *, name: str, rules: ExamRules | None = None
) -> Exam:
    author = world.actor("author")
    exam = exam_create(actor=author, name=name, mode="blueprint", rules=rules)
    exam_blueprint_set(actor=author, exam=exam, draws=draws)
    return exam_publish(actor=author, exam=exam)


__all__ = [
    "CONFIGURATION",
    "EVIDENCE",
    "MATCHING",
    "MULTIPLE",
    "ORDERING",
    "RIGHT",
    "SCENARIO",
    "SHORT",
    "SINGLE",
    "blueprint_exam",
    "fixed_exam",
]
