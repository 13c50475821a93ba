"""Reading attempts: the exams a person can take, the sheet of an attempt in progress, the
result (as much as the feedback policy releases), the graders' queue, the competency profile and
the item analysis of an exam.

The sheet is built only from `served_item` (the items' public views): nothing here hands an
answer key, an option's score or a scenario's branches to a person taking an exam. Feedback
and explanations reach them only through `attempt_result`, after grading, when the exam's
feedback policy allows it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, require
from cascade.assessments.analysis import ExamStatistics, analyse
from cascade.assessments.attempt_presenting import served_item
from cascade.assessments.attempt_services import (
    Availability,
    availability_of,
    past_deadline,
)
from cascade.assessments.items import item_definition
from cascade.assessments.items.choice import SingleChoice, TrueFalse
from cascade.assessments.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    Competency,
    CompetencyResult,
    EvidenceFile,
    Exam,
    ExamState,
    FeedbackPolicy,
    Item,
)
from cascade.assessments.versions import definition_of
from cascade.core.errors import NotFound


@dataclass(frozen=True)
class ExamCard:
    """An exam as the person who may take it sees it in their list."""

    exam: Exam
    attempts_used: int
    best_share: Decimal | None
    passed: bool
    in_progress_id: int | None
    availability: Availability


def exams_open_to(actor: Actor) -> list[ExamCard]:
    """Published exams not closed yet, and any exam where the actor has an attempt in progress
    (closing an exam lets it be finished), with the actor's attempts at each and whether one
    can start now (three queries at most, however many exams)."""
    require(actor, Action.ASSESSMENT_TAKE)
    now = timezone.now()
    open_now = Q(state=ExamState.PUBLISHED) & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    unfinished = Exists(
        Attempt.objects.filter(
            exam=OuterRef("pk"), person=actor.person, state=AttemptState.IN_PROGRESS
        )
    )
    exams = list(Exam.objects.filter(open_now | Q(unfinished)).order_by("name", "id"))
    mine = (
        Attempt.objects.filter(person=actor.person, exam__in=exams)
        .values("exam_id")
        .annotate(
            used=Count("id"),
            best=Max("share"),
            passed=Count("id", filter=Q(passed=True)),
            active=Max("id", filter=Q(state=AttemptState.IN_PROGRESS)),
            last_submitted=Max("submitted_at"),
        )
    )
    by_exam = {row["exam_id"]: row for row in mine}
    active = {
        a.pk: a
        for a in Attempt.objects.filter(
            pk__in=[row["active"] for row in by_exam.values() if row["active"]]
        )
    }
    cards = []
    for exam in exams:
        row = by_exam.get(exam.pk, {})
        in_progress = active.get(row.get("active") or 0)
        cards.append(
            ExamCard(
                exam=exam,
                attempts_used=row.get("used", 0),
                best_share=row.get("best"),
                passed=bool(row.get("passed")),
                in_progress_id=row.get("active"),
                availability=availability_of(
                    exam, row.get("used", 0), row.get("last_submitted"), in_progress, now
                ),
            )
        )
    return cards


def exam_open_to(actor: Actor, exam_id: int) -> Exam:
    """A published exam the actor may take (404 for drafts: they are not there yet)."""
    require(actor, Action.ASSESSMENT_TAKE)
    exam = Exam.objects.filter(pk=exam_id).exclude(state=ExamState.DRAFT).first()
    if exam is None:
        raise NotFound("No such exam.")
    return exam


def attempt_visible(actor: Actor, attempt_id: int) -> Attempt:
    """One's own attempt; any attempt for those who see results (vendor authors, reviewers)."""
    attempt = Attempt.objects.filter(pk=attempt_id).select_related("exam", "person").first()
    if attempt is None:
        raise NotFound("No such attempt.")
    own = actor.person is not None and attempt.person_id == actor.person.pk
    if own and can(actor, Action.ASSESSMENT_TAKE):
        return attempt
    if can(actor, Action.ASSESSMENT_RESULTS_VIEW):
        return attempt
    raise NotFound("No such attempt.")


def attempts_of(actor: Actor, exam: Exam | None = None) -> QuerySet[Attempt]:
    """The actor's own attempts, newest first."""
    require(actor, Action.ASSESSMENT_TAKE)
    attempts = Attempt.objects.filter(person=actor.person).select_related("exam")
    return attempts.filter(exam=exam) if exam is not None else attempts


@dataclass(frozen=True)
class SheetItem:
    position: int
    type: str
    # The points it is worth (named apart from the "points" inside definitions, which are keys).
    worth: Decimal
    # The item's public view in this attempt's order, with a scenario's progress.
    content: dict[str, Any]
    response: Any
    answered_at: datetime | None


@dataclass(frozen=True)
class Sheet:
    attempt: Attempt
    items: list[SheetItem]
    # Seconds left before the deadline (None: untimed), never below zero.
    remaining_seconds: int | None

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.response is not None)


def remaining_seconds(attempt: Attempt, now: datetime | None = None) -> int | None:
    return seconds_left(attempt.deadline, now)


def seconds_left(deadline: datetime | None, now: datetime | None = None) -> int | None:
    """Whole seconds before `deadline` (None: untimed), never below zero."""
    if deadline is None:
        return None
    return max(0, math.floor((deadline - (now or timezone.now())).total_seconds()))


def attempt_sheet(attempt: Attempt) -> Sheet:
    """What the person taking the attempt sees: every item's public view (one query, and one
    more when it holds evidence; the definitions are parsed once per process, see
    `definition_of`)."""
    rows = list(
        AttemptItem.objects.filter(attempt=attempt)
        .select_related("version")
        .only(
            "id",
            "tenant_id",
            "position",
            "presented_order",
            "response",
            "answered_at",
            "version_id",
            "version__id",
            "version__points",
        )
        .order_by("position")
    )
    definitions = {row.pk: definition_of(row.tenant_id, row.version_id) for row in rows}
    uploads = _uploads([pk for pk, d in definitions.items() if not d.automatic])
    items = []
    for row in rows:
        definition = definitions[row.pk]
        content = served_item(definition, row.presented_order, row.response)
        if not definition.automatic:
            content["uploaded"] = uploads.get(row.pk, [])
        items.append(
            SheetItem(
                position=row.position,
                type=definition.type,
                worth=row.version.points,
                content=content,
                response=row.response,
                answered_at=row.answered_at,
            )
        )
    return Sheet(attempt, items, remaining_seconds(attempt))


def _uploads(attempt_item_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The files uploaded to these answers, by answer (one query; none without evidence)."""
    if not attempt_item_ids:
        return {}
    uploads: dict[int, list[dict[str, Any]]] = {}
    for evidence in EvidenceFile.objects.filter(attempt_item_id__in=attempt_item_ids).order_by(
        "id"
    ):
        uploads.setdefault(evidence.attempt_item_id, []).append(
            {
                "id": str(evidence.pk),
                "name": evidence.original_name,
                "caption": evidence.caption,
                "size": evidence.size,
            }
        )
    return uploads


def attempt_overdue(attempt: Attempt) -> bool:
    """Still in progress but past its deadline: to be submitted for the person."""
    return attempt.state == AttemptState.IN_PROGRESS and past_deadline(attempt, timezone.now())


@dataclass(frozen=True)
class ItemResult:
    position: int
    type: str
    prompt: str
    points: Decimal
    earned: Decimal | None
    fraction: Decimal | None
    waiting: bool
    feedback: list[str]
    explanation: str


@dataclass(frozen=True)
class CompetencyLine:
    competency_id: int
    name: str
    share: Decimal
    passed: bool | None


@dataclass(frozen=True)
class Result:
    attempt: Attempt
    competencies: list[CompetencyLine]
    # Per item, when the feedback policy releases it (else empty, `details_released` False).
    items: list[ItemResult] = field(default_factory=list)
    details_released: bool = False


def feedback_released(attempt: Attempt, viewer: Actor) -> bool:
    """Whether the viewer may see per-item scores, feedback and explanations."""
    if can(viewer, Action.ASSESSMENT_RESULTS_VIEW):
        return True
    if attempt.state != AttemptState.GRADED:
        return False
    policy = attempt.exam.feedback_policy
    if policy == FeedbackPolicy.AFTER_SUBMISSION:
        return True
    return policy == FeedbackPolicy.AFTER_PASSING and bool(attempt.passed)


def attempt_result(attempt: Attempt, viewer: Actor) -> Result:
    """The outcome of a submitted attempt: the score, by competency, and per item as much as
    the exam's feedback policy releases to this viewer."""
    keys = [int(k) for k in (attempt.competency_results or {})]
    names = dict(Competency.objects.filter(pk__in=keys).values_list("pk", "name"))
    competencies = [
        CompetencyLine(
            competency_id=int(key),
            name=names.get(int(key), "Retired competency"),
            share=Decimal(value["share"]),
            passed=value["passed"],
        )
        for key, value in sorted(
            (attempt.competency_results or {}).items(), key=lambda kv: names.get(int(kv[0]), "")
        )
    ]
    if not feedback_released(attempt, viewer):
        return Result(attempt, competencies)
    items = []
    for row in (
        AttemptItem.objects.filter(attempt=attempt)
        .select_related("version", "scored_with")
        .order_by("position")
    ):
        definition = item_definition((row.scored_with or row.version).definition)
        items.append(
            ItemResult(
                position=row.position,
                type=definition.type,
                prompt=definition.prompt,
                points=row.version.points,
                earned=row.earned,
                fraction=row.fraction,
                waiting=row.needs_grading,
                feedback=list(row.feedback or []),
                explanation=definition.explanation,
            )
        )
    return Result(attempt, competencies, items, True)


@dataclass(frozen=True)
class QueueEntry:
    attempt_item: AttemptItem
    exam_name: str
    prompt: str
    rubric: list[dict[str, Any]]
    files: list[dict[str, Any]]
    note: str
    submitted_at: datetime | None


def grading_queue_query(actor: Actor) -> QuerySet[AttemptItem]:
    """Answers waiting for a reviewer, oldest first."""
    require(actor, Action.ASSESSMENT_GRADE)
    return (
        AttemptItem.objects.filter(needs_grading=True)
        .select_related("attempt__exam", "version")
        .prefetch_related("evidence_files")
        .order_by("pk")
    )


def grading_queue(actor: Actor, *, limit: int = 50, after_id: int = 0) -> list[QueueEntry]:
    """Evidence waiting for a reviewer, oldest first (keyset by id). Blind: the entry names the
    exam and the attempt, not the person, so a grade judges the work alone."""
    return queue_entries(grading_queue_query(actor).filter(pk__gt=after_id)[:limit])


def queue_entries(rows: Any) -> list[QueueEntry]:
    entries = []
    for row in rows:
        definition = item_definition(row.version.definition)
        response = row.response or {}
        entries.append(
            QueueEntry(
                attempt_item=row,
                exam_name=row.attempt.exam.name,
                prompt=definition.prompt,
                rubric=[
                    {
                        "id": c.id,
                        "title": c.title,
                        "levels": [
                            {"id": lv.id, "label": lv.label, "points": lv.points} for lv in c.levels
                        ],
                    }
                    for c in getattr(definition, "rubric", [])
                ],
                files=[
                    {
                        "id": f.pk,
                        "name": f.original_name,
                        "caption": f.caption,
                        "content_type": f.content_type,
                        "size": f.size,
                    }
                    for f in row.evidence_files.all()
                ],
                note=str(response.get("note", "")),
                submitted_at=row.attempt.submitted_at,
            )
        )
    return entries


def grading_entry(actor: Actor, attempt_item_id: int) -> AttemptItem:
    require(actor, Action.ASSESSMENT_GRADE)
    row = AttemptItem.objects.filter(pk=attempt_item_id).select_related("attempt").first()
    if row is None:
        raise NotFound("No such answer to grade.")
    return row


def own_competency_profile(actor: Actor) -> list[CompetencyResult]:
    """The actor's own competency results (people who take exams have one)."""
    require(actor, Action.ASSESSMENT_TAKE)
    assert actor.person is not None
    return competency_profile(actor.person.pk)


def competency_profile(person_id: int) -> list[CompetencyResult]:
    return list(
        CompetencyResult.objects.filter(person_id=person_id).select_related("competency__domain")
    )


def exams_with_attempts(actor: Actor) -> QuerySet[Exam]:
    require(actor, Action.ASSESSMENT_RESULTS_VIEW)
    graded = Attempt.objects.filter(exam=OuterRef("pk"), state=AttemptState.GRADED)
    return Exam.objects.filter(Exists(graded))


def exam_item_analysis(actor: Actor, exam: Exam) -> ExamStatistics:
    """Item analysis of an exam over each person's first graded attempt (later attempts are
    practised: they would flatter the items). Four queries."""
    require(actor, Action.ASSESSMENT_RESULTS_VIEW)
    first_ids = list(
        Attempt.objects.filter(exam=exam, state=AttemptState.GRADED)
        .values("person_id")
        .annotate(first=Max("id", filter=Q(number=1)), any=Max("id"))
        .values_list("first", "any")
    )
    attempt_ids = [first or latest for first, latest in first_ids]
    rows = list(
        AttemptItem.objects.filter(attempt_id__in=attempt_ids).values_list(
            "attempt_id", "item_id", "fraction", "response"
        )
    )
    item_ids = sorted({item_id for _, item_id, _, _ in rows})
    column = {item_id: n for n, item_id in enumerate(item_ids)}
    row_of = {attempt_id: n for n, attempt_id in enumerate(attempt_ids)}
    scores = [[math.nan] * len(item_ids) for _ in attempt_ids]
    picked: dict[int, list[str | None]] = {}
    options = _choice_keys(item_ids)
    for attempt_id, item_id, fraction, response in rows:
        scores[row_of[attempt_id]][column[item_id]] = float(fraction or 0)
        if item_id in options:
            chosen = picked.setdefault(item_id, [None] * len(attempt_ids))
            chosen[row_of[attempt_id]] = _choice_of(response)
    return analyse(item_ids, scores, choices=picked, options=options)


def _choice_keys(item_ids: list[int]) -> dict[int, dict[str, bool]]:
    """Option -> correct for the single-choice and true/false items (their current key)."""
    keys: dict[int, dict[str, bool]] = {}
    for item in Item.objects.filter(pk__in=item_ids).select_related("current_version"):
        if item.current_version is None:
            continue
        definition = item_definition(item.current_version.definition)
        if isinstance(definition, SingleChoice):
            keys[item.pk] = {o.id: o.correct for o in definition.options}
        elif isinstance(definition, TrueFalse):
            truth = definition.statement_is_true
            keys[item.pk] = {"true": truth, "false": not truth}
    return keys


def _choice_of(response: Any) -> str | None:
    if not isinstance(response, dict):
        return None
    if "choice" in response:
        return str(response["choice"])
    if "value" in response and isinstance(response["value"], bool):
        return "true" if response["value"] else "false"
    return None
