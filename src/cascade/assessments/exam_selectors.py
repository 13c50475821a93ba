"""Reading exams as their authors and reviewers see them: rules, fixed form, blueprint."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.assessments.models import Exam, ExamDraw, ExamItem
from cascade.core.errors import NotFound


def exam_list(*, actor: Actor, state: str | None = None) -> QuerySet[Exam]:
    require(actor, Action.ASSESSMENT_VIEW)
    exams = Exam.objects.all()
    return exams.filter(state=state) if state else exams


def exam_get(*, actor: Actor, exam_id: int) -> Exam:
    require(actor, Action.ASSESSMENT_VIEW)
    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None:
        raise NotFound("No such exam.")
    return exam


def exam_rules_out(exam: Exam) -> dict[str, Any]:
    return {
        "time_limit_minutes": exam.time_limit_minutes,
        "attempts_limit": exam.attempts_limit,
        "cooldown_hours": exam.cooldown_hours,
        "passing_share": exam.passing_share,
        "competency_passing": {int(k): v for k, v in (exam.competency_passing or {}).items()},
        "feedback_policy": exam.feedback_policy,
        "opens_at": exam.opens_at,
        "closes_at": exam.closes_at,
        "shuffle_items": exam.shuffle_items,
        "shuffle_options": exam.shuffle_options,
        "max_exposure": exam.max_exposure,
    }


def exam_out(exam: Exam, *, detail: bool = False) -> dict[str, Any]:
    """An exam as the API shows it; with `detail`, its form or blueprint (one more query)."""
    out: dict[str, Any] = {
        "id": exam.pk,
        "name": exam.name,
        "description": exam.description,
        "mode": exam.mode,
        "state": exam.state,
        "rules": exam_rules_out(exam),
        "published_at": exam.published_at,
        "created_at": exam.created_at,
    }
    if detail:
        out["item_ids"] = list(
            ExamItem.objects.filter(exam=exam)
            .order_by("position")
            .values_list("item_id", flat=True)
        )
        out["draws"] = [
            {
                "count": d.count,
                "bank_id": d.bank_id,
                "competency_id": d.competency_id,
                "difficulty": d.difficulty,
            }
            for d in ExamDraw.objects.filter(exam=exam).order_by("position")
        ]
    return out
