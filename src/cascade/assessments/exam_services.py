"""Writing exams: their rules, their fixed form or blueprint, and publishing them.

An exam is edited while it is a draft. Publishing checks that it can be taken: a fixed form
needs at least one item, all live; a blueprint needs draws that the live items can fill all at
once (`cascade.assessments.blueprints`). A published exam does not change: its attempts are
judged by what it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.assessments.blueprints import Candidate, Draw, blueprint_capacity
from cascade.assessments.models import (
    Competency,
    Difficulty,
    Exam,
    ExamDraw,
    ExamItem,
    ExamMode,
    ExamState,
    FeedbackPolicy,
    Item,
    QuestionBank,
)
from cascade.assessments.services import (
    clean_description,
    clean_name,
    created_uniquely,
    decimal_within,
)
from cascade.audit.services import audit_record
from cascade.core.errors import Conflict, ValidationFailed

MAX_EXAM_ITEMS = 200
MAX_TIME_LIMIT_MINUTES = 600
MAX_ATTEMPTS = 100
MAX_COOLDOWN_HOURS = 24 * 365


@dataclass(frozen=True)
class ExamRules:
    """The rules of an exam, as its author sets them."""

    time_limit_minutes: int | None = None
    attempts_limit: int | None = None
    cooldown_hours: int = 0
    passing_share: Decimal | float | str = Decimal("0.7")
    competency_passing: dict[int, Decimal | float | str] | None = None
    feedback_policy: str = FeedbackPolicy.AFTER_SUBMISSION
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    shuffle_items: bool = True
    shuffle_options: bool = True
    max_exposure: int | None = None


def _share(value: Decimal | float | str, field: str) -> Decimal:
    return decimal_within(value, field, at_most=Decimal(1), places="0.001")


def _competency_id(key: object) -> int:
    try:
        return int(str(key))
    except ValueError:
        raise ValidationFailed.field(
            "competency_passing", f"{key!r} is not a competency id.", code="unknown_reference"
        ) from None


def _bounded(value: int | None, field: str, low: int, high: int) -> int | None:
    if value is not None and not low <= value <= high:
        raise ValidationFailed.field(field, f"Use {low} to {high}.", code="out_of_range")
    return value


def _rules(rules: ExamRules) -> dict[str, Any]:
    """The rules checked, as the exam's fields."""
    if rules.feedback_policy not in FeedbackPolicy.values:
        raise ValidationFailed.field(
            "feedback_policy", "Unknown feedback policy.", code="invalid_choice"
        )
    if rules.opens_at and rules.closes_at and rules.closes_at <= rules.opens_at:
        raise ValidationFailed.field(
            "closes_at", "An exam closes after it opens.", code="window_order"
        )
    by_competency = {
        str(_competency_id(pk)): str(_share(share, f"competency_passing.{pk}"))
        for pk, share in (rules.competency_passing or {}).items()
    }
    known = set(
        Competency.objects.filter(pk__in=[int(pk) for pk in by_competency]).values_list(
            "pk", flat=True
        )
    )
    if len(known) != len(by_competency):
        raise ValidationFailed.field(
            "competency_passing", "Unknown competency.", code="unknown_reference"
        )
    return {
        "time_limit_minutes": _bounded(
            rules.time_limit_minutes, "time_limit_minutes", 1, MAX_TIME_LIMIT_MINUTES
        ),
        "attempts_limit": _bounded(rules.attempts_limit, "attempts_limit", 1, MAX_ATTEMPTS),
        "cooldown_hours": _bounded(rules.cooldown_hours, "cooldown_hours", 0, MAX_COOLDOWN_HOURS),
        "passing_share": _share(rules.passing_share, "passing_share"),
        "competency_passing": by_competency,
        "feedback_policy": rules.feedback_policy,
        "opens_at": rules.opens_at,
        "closes_at": rules.closes_at,
        "shuffle_items": rules.shuffle_items,
        "shuffle_options": rules.shuffle_options,
        "max_exposure": _bounded(rules.max_exposure, "max_exposure", 1, 10**9),
    }


@transaction.atomic
def exam_create(
    *, actor: Actor, name: str, mode: str, description: str = "", rules: ExamRules | None = None
) -> Exam:
    """A draft exam with its rules (no items yet)."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    name = clean_name(name)
    if mode not in ExamMode.values:
        raise ValidationFailed.field("mode", "Choose fixed or blueprint.", code="invalid_choice")
    description = clean_description(description)
    fields = _rules(rules or ExamRules())
    exam: Exam = created_uniquely(
        lambda: Exam.objects.create(
            tenant=actor.tenant,
            name=name,
            mode=mode,
            description=description,
            created_by=actor.person,
            **fields,
        ),
        "An exam",
    )
    audit_record(
        actor=actor,
        action="exam.create",
        target=exam,
        after={"name": name, "mode": mode, "passing_share": str(fields["passing_share"])},
    )
    return exam


@transaction.atomic
def exam_update(
    *,
    actor: Actor,
    exam: Exam,
    name: str | None = None,
    description: str | None = None,
    rules: ExamRules | None = None,
) -> Exam:
    """Change a draft's name, description or rules (all of them, when `rules` is given); its
    mode stays (a form and a blueprint are different exams)."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    exam = _draft(exam, exam.mode)
    before = {"name": exam.name, "passing_share": str(exam.passing_share)}
    changed: list[str] = []
    if name is not None:
        exam.name = clean_name(name)
        changed.append("name")
    if description is not None:
        exam.description = clean_description(description)
        changed.append("description")
    if rules is not None:
        for field, value in _rules(rules).items():
            setattr(exam, field, value)
            changed.append(field)
    if changed:
        created_uniquely(lambda: exam.save(update_fields=changed), "An exam")
        audit_record(
            actor=actor,
            action="exam.update",
            target=exam,
            before=before,
            after={"name": exam.name, "passing_share": str(exam.passing_share)},
        )
    return exam


@transaction.atomic
def exam_close(*, actor: Actor, exam: Exam) -> Exam:
    """Stop new attempts at a published exam (attempts in progress may still be finished; results
    stay). 409 `not_published` for a draft or an exam closed already."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.state != ExamState.PUBLISHED:
        raise Conflict("Only a published exam can be closed.", code="not_published")
    exam.state = ExamState.CLOSED
    exam.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="exam.close",
        target=exam,
        before={"state": ExamState.PUBLISHED},
        after={"state": exam.state},
    )
    return exam


def _draft(exam: Exam, mode: str) -> Exam:
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.state != ExamState.DRAFT:
        raise Conflict("A published exam does not change; write a new one.", code="not_draft")
    if exam.mode != mode:
        raise Conflict(f"This exam is not drawn that way (it is {exam.mode}).", code="wrong_mode")
    return exam


@transaction.atomic
def exam_form_set(*, actor: Actor, exam: Exam, item_ids: Sequence[int]) -> Exam:
    """The items of a fixed form, in order (replacing the previous list)."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    exam = _draft(exam, ExamMode.FIXED)
    ids = list(item_ids)
    if len(ids) != len(set(ids)):
        raise ValidationFailed.field("item_ids", "An item appears twice.", code="duplicate")
    if len(ids) > MAX_EXAM_ITEMS:
        raise ValidationFailed.field(
            "item_ids", f"Use at most {MAX_EXAM_ITEMS} items.", code="too_many"
        )
    live = set(
        Item.objects.filter(pk__in=ids, retired_at__isnull=True).values_list("pk", flat=True)
    )
    if live != set(ids):
        raise ValidationFailed.field(
            "item_ids", "Choose items that exist and are not retired.", code="unknown_reference"
        )
    ExamItem.objects.filter(exam=exam).delete()
    ExamItem.objects.bulk_create(
        ExamItem(tenant=actor.tenant, exam=exam, item_id=item_id, position=n)
        for n, item_id in enumerate(ids, start=1)
    )
    audit_record(actor=actor, action="exam.form_set", target=exam, after={"items": ids})
    return exam


@dataclass(frozen=True)
class DrawSpec:
    count: int
    bank_id: int | None = None
    competency_id: int | None = None
    difficulty: int | None = None


@transaction.atomic
def exam_blueprint_set(*, actor: Actor, exam: Exam, draws: Sequence[DrawSpec]) -> Exam:
    """The draws of a blueprint, in order (replacing the previous ones)."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    exam = _draft(exam, ExamMode.BLUEPRINT)
    if sum(d.count for d in draws) > MAX_EXAM_ITEMS:
        raise ValidationFailed.field(
            "draws", f"Draw at most {MAX_EXAM_ITEMS} items in all.", code="too_many"
        )
    banks = set(QuestionBank.objects.values_list("pk", flat=True))
    competencies = set(Competency.objects.values_list("pk", flat=True))
    for n, draw in enumerate(draws):
        where = f"draws.{n}"
        if draw.count < 1:
            raise ValidationFailed.field(
                f"{where}.count", "Draw at least one item.", code="out_of_range"
            )
        if draw.bank_id is not None and draw.bank_id not in banks:
            raise ValidationFailed.field(
                f"{where}.bank_id", "Unknown bank.", code="unknown_reference"
            )
        if draw.competency_id is not None and draw.competency_id not in competencies:
            raise ValidationFailed.field(
                f"{where}.competency_id", "Unknown competency.", code="unknown_reference"
            )
        if draw.difficulty is not None and draw.difficulty not in Difficulty.values:
            raise ValidationFailed.field(
                f"{where}.difficulty", "Choose 1, 2 or 3.", code="invalid_choice"
            )
    ExamDraw.objects.filter(exam=exam).delete()
    ExamDraw.objects.bulk_create(
        ExamDraw(
            tenant=actor.tenant,
            exam=exam,
            position=n,
            count=d.count,
            bank_id=d.bank_id,
            competency_id=d.competency_id,
            difficulty=d.difficulty,
        )
        for n, d in enumerate(draws, start=1)
    )
    audit_record(
        actor=actor,
        action="exam.blueprint_set",
        target=exam,
        after={"draws": [vars(d) for d in draws]},
    )
    return exam


def live_candidates() -> list[Candidate]:
    """Every live item as blueprints see it: its bank, and its current version's competencies
    and difficulty (two queries)."""
    items = Item.objects.filter(retired_at__isnull=True).select_related("current_version")
    items = items.prefetch_related("current_version__competencies")
    return [
        Candidate(
            item_id=item.pk,
            bank_id=item.bank_id,
            competency_ids=frozenset(c.pk for c in item.current_version.competencies.all()),
            difficulty=item.current_version.difficulty,
        )
        for item in items
        if item.current_version is not None
    ]


def exam_draws(exam: Exam) -> list[Draw]:
    return [
        Draw(
            count=d.count,
            bank_id=d.bank_id,
            competency_id=d.competency_id,
            difficulty=d.difficulty,
        )
        for d in ExamDraw.objects.filter(exam=exam).order_by("position")
    ]


@transaction.atomic
def exam_publish(*, actor: Actor, exam: Exam) -> Exam:
    """Make the exam takeable, once it can be: a fixed form of live items, or a blueprint the
    live items can fill (422 `empty_exam`, `retired_items` or `blueprint_short`)."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    exam = _draft(exam, exam.mode)
    if exam.mode == ExamMode.FIXED:
        form = ExamItem.objects.filter(exam=exam)
        if not form.exists():
            raise ValidationFailed.field("item_ids", "Add items first.", code="empty_exam")
        if form.filter(item__retired_at__isnull=False).exists():
            raise ValidationFailed.field(
                "item_ids", "Some items were retired since.", code="retired_items"
            )
    else:
        draws = exam_draws(exam)
        if not draws:
            raise ValidationFailed.field("draws", "Add draws first.", code="empty_exam")
        wanted = sum(d.count for d in draws)
        filled = blueprint_capacity(draws, live_candidates())
        if filled < wanted:
            raise ValidationFailed.field(
                "draws",
                f"The blueprint takes {wanted} items; the live items fill {filled} of them.",
                code="blueprint_short",
            )
    exam.state = ExamState.PUBLISHED
    exam.published_at = timezone.now()
    exam.save(update_fields=["state", "published_at"])
    audit_record(actor=actor, action="exam.publish", target=exam, after={"state": exam.state})
    return exam
