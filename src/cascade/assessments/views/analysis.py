"""Item analysis for vendor staff: how well each question of an exam measured, from people's
first graded attempts, in plain words beside the figures.

The figures come from `exam_item_analysis` (classical test theory, decision 0009): difficulty
(the share of the points earned), discrimination (how the question's score goes with the score
on the rest of the exam), the rate of each option of choice questions, and the exam's
reliability.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cascade.access.policies import Action, can
from cascade.assessments.analysis import (
    FEW_ATTEMPTS,
    LOW_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    ChoiceRate,
    ItemFlag,
    ItemStatistics,
)
from cascade.assessments.attempt_selectors import exam_item_analysis, exams_with_attempts
from cascade.assessments.items import item_definition
from cascade.assessments.models import Item
from cascade.assessments.selectors import with_current_version
from cascade.assessments.views.player import only_read
from cascade.core.errors import NotFound
from cascade.web.pages import actor_of, page

FLAG_WORDS = {
    ItemFlag.NEGATIVE_DISCRIMINATION: "Strong candidates do worse on it than weak ones: check "
    "the key, or whether the question is a trick.",
    ItemFlag.LOW_DISCRIMINATION: f"It hardly separates strong from weak candidates "
    f"(discrimination under {LOW_DISCRIMINATION:.2f}).",
    ItemFlag.TOO_EASY: f"Almost everyone gets it right (over {TOO_EASY:.0%}): it measures little.",
    ItemFlag.TOO_HARD: f"Almost nobody gets it right (under {TOO_HARD:.0%}): a wrong key, or an "
    "unclear question.",
    ItemFlag.NO_VARIANCE: "Everyone scored the same on it, so it tells candidates apart not "
    "at all.",
    ItemFlag.DISTRACTOR_BEATS_KEY: "A wrong option is chosen more often than the right one.",
    ItemFlag.UNUSED_DISTRACTOR: "A wrong option is never chosen: it distracts nobody.",
    ItemFlag.FEW_ATTEMPTS: f"Fewer than {FEW_ATTEMPTS} people answered it: read the figures "
    "with care.",
}


def difficulty_words(difficulty: float) -> str:
    if difficulty >= 0.9:
        return "very easy"
    if difficulty >= 0.7:
        return "easy"
    if difficulty >= 0.3:
        return "of medium difficulty"
    if difficulty >= 0.2:
        return "hard"
    return "very hard"


def discrimination_words(discrimination: float | None) -> str:
    if discrimination is None:
        return "Cannot be computed: the scores on it, or on the rest of the exam, do not vary."
    if discrimination < 0:
        return "Strong candidates do worse on it than weak ones."
    if discrimination < LOW_DISCRIMINATION:
        return "Hardly separates strong from weak candidates."
    if discrimination < 0.3:
        return "Separates strong from weak candidates fairly."
    if discrimination < 0.4:
        return "Separates strong from weak candidates well."
    return "Separates strong from weak candidates very well."


def reliability_words(reliability: float | None) -> str:
    if reliability is None:
        return (
            "Not computed: it needs at least two questions, two people, the same questions for "
            "everyone (not a blueprint draw) and scores that vary."
        )
    if reliability >= 0.9:
        return "Excellent: the exam's questions measure the same thing consistently."
    if reliability >= 0.8:
        return "Good: consistent enough for a certification decision."
    if reliability >= 0.7:
        return "Acceptable for a practice or low-stakes exam."
    if reliability >= 0.6:
        return "Questionable: the questions do not measure the same thing consistently."
    return "Poor: the score depends a lot on which questions happen to be asked."


@dataclass(frozen=True)
class OptionLine:
    text: str
    rate: ChoiceRate


@dataclass(frozen=True)
class ItemLine:
    position: int
    statistics: ItemStatistics
    type: str
    prompt: str
    options: list[OptionLine]
    difficulty_words: str
    discrimination_words: str
    flags: list[str]


def _option_texts(definition: Any) -> dict[str, str]:
    if definition.type == "true_false":
        return {"true": "True", "false": "False"}
    return {str(o.id): str(o.text) for o in getattr(definition, "options", [])}


@page
@require_http_methods(["GET", "HEAD"])
def analysis_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    exams = list(exams_with_attempts(actor).order_by("name", "id"))
    return render(request, "assessments/grading/analysis_list.html", {"exams": exams})


@page
def analysis_exam(request: HttpRequest, exam_id: int) -> HttpResponse:
    actor = actor_of(request)
    if not can(actor, Action.ASSESSMENT_RESULTS_VIEW):
        raise NotFound("No such exam.")
    exam = exams_with_attempts(actor).filter(pk=exam_id).first()
    if exam is None:
        raise NotFound("No such exam.")
    not_allowed = only_read(request)
    if not_allowed is not None:
        return not_allowed
    statistics = exam_item_analysis(actor, exam)
    ids = [s.item_id for s in statistics.items]
    definitions = {
        item.pk: item_definition(item.current_version.definition)
        for item in with_current_version(Item.objects.filter(pk__in=ids))
        if item.current_version is not None
    }
    lines = []
    for position, stats in enumerate(statistics.items, start=1):
        definition = definitions.get(stats.item_id)
        texts = _option_texts(definition) if definition is not None else {}
        lines.append(
            ItemLine(
                position=position,
                statistics=stats,
                type=definition.type if definition is not None else "",
                prompt=definition.prompt if definition is not None else "A removed question",
                options=[
                    OptionLine(texts.get(rate.option_id, rate.option_id), rate)
                    for rate in stats.choices
                ],
                difficulty_words=difficulty_words(stats.difficulty),
                discrimination_words=discrimination_words(stats.discrimination),
                flags=[FLAG_WORDS.get(flag, str(flag)) for flag in stats.flags],
            )
        )
    context = {
        "exam": exam,
        "statistics": statistics,
        "lines": lines,
        "reliability_words": reliability_words(statistics.reliability),
        "other_items": max(0, len(lines) - 1),
    }
    return render(request, "assessments/grading/analysis.html", context)
