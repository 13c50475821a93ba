"""Scoring an attempt and recording its result.

Each item is scored by its definition (`score()`, decision 0009) against the stored response;
evidence waits for a reviewer. Once nothing waits, the attempt is graded: its points, its share,
its result per competency (the items' competencies, by the version shown), whether it passed
(overall and every competency the exam sets a bar for), the domain events certifications listen
to, and the person's competency profile.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from cascade.assessments.items import ItemDefinition, ResponseInvalid, Scored
from cascade.assessments.items.scenario import PathResponse, Scenario
from cascade.assessments.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    CompetencyResult,
    Exam,
    ItemVersion,
)
from cascade.assessments.versions import definition_of
from cascade.events.services import event_record

FRACTION = Decimal("0.0001")
POINTS = Decimal("0.001")


def fraction_of(scored: Scored) -> Decimal | None:
    if scored.fraction is None:
        return None
    return Decimal(str(scored.fraction)).quantize(FRACTION, rounding=ROUND_HALF_UP)


def score_response(definition: ItemDefinition, response: Any) -> Scored:
    """The score of a stored response under `definition` (unanswered: nothing). A scenario left
    unfinished earns the options taken so far. A response a corrected version can no longer
    read (an option since removed) earns nothing, with a word of why."""
    if response is None:
        return Scored(0.0)
    try:
        if isinstance(definition, Scenario):
            return definition.score(PathResponse.model_validate(response))
        return definition.score(definition.parse_response(response))
    except (ResponseInvalid, ValueError) as exc:
        return Scored(0.0, [f"This answer no longer fits the corrected question: {exc}"])


def score_item(attempt_item: AttemptItem, version: ItemVersion) -> None:
    """Score one item of an attempt with `version`'s key (not saved)."""
    definition = definition_of(version.tenant_id, version.pk)
    scored = score_response(definition, attempt_item.response)
    if not definition.automatic and attempt_item.response is not None and scored.pending:
        attempt_item.needs_grading = True
        attempt_item.fraction = None
        attempt_item.earned = None
    else:
        fraction = fraction_of(scored) or Decimal(0)
        attempt_item.needs_grading = False
        attempt_item.fraction = fraction
        attempt_item.earned = (version.points * fraction).quantize(POINTS, ROUND_HALF_UP)
    attempt_item.feedback = list(scored.feedback)
    attempt_item.scored_with = version


def attempt_items_with_versions(attempt: Attempt) -> list[AttemptItem]:
    """The attempt's items with the versions they were shown and scored with, and the shown
    version's competencies (three queries)."""
    return list(
        AttemptItem.objects.filter(attempt=attempt)
        .select_related("version", "scored_with")
        # Definitions are read through `definition_of`, parsed once per process.
        .defer("version__definition", "scored_with__definition")
        .prefetch_related(
            Prefetch("version__competencies", to_attr="competency_list"),
        )
        .order_by("position")
    )


def _share(earned: Decimal, possible: Decimal) -> Decimal:
    if possible <= 0:
        return Decimal(0)
    return (earned / possible).quantize(FRACTION, rounding=ROUND_HALF_UP)


def result_totals(exam: Exam, items: list[AttemptItem]) -> dict[str, Any]:
    """Points, share, results by competency and the verdict, from scored items."""
    earned = sum((i.earned or Decimal(0) for i in items), Decimal(0))
    possible = sum((i.version.points for i in items), Decimal(0))
    by_competency: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for attempt_item in items:
        for competency in attempt_item.version.competency_list:  # type: ignore[attr-defined]
            sums = by_competency[str(competency.pk)]
            sums[0] += attempt_item.earned or Decimal(0)
            sums[1] += attempt_item.version.points
    share = _share(earned, possible)
    bars = {key: Decimal(value) for key, value in (exam.competency_passing or {}).items()}
    competencies = {}
    for key, (got, out_of) in by_competency.items():
        competency_share = _share(got, out_of)
        bar = bars.get(key)
        competencies[key] = {
            "earned": str(got.quantize(POINTS)),
            "possible": str(out_of.quantize(POINTS)),
            "share": str(competency_share),
            "passed": None if bar is None else competency_share >= bar,
        }
    passed = share >= exam.passing_share and all(
        result["passed"] is not False for result in competencies.values()
    )
    return {
        "earned": earned.quantize(POINTS),
        "possible": possible.quantize(POINTS),
        "share": share,
        "competency_results": competencies,
        "passed": passed,
    }


def attempt_conclude(attempt: Attempt, items: list[AttemptItem], *, regraded: bool = False) -> None:
    """Record the attempt's result once no item waits for a reviewer (else: awaiting grading).
    Called inside the transaction that locked the attempt."""
    if any(i.needs_grading for i in items):
        attempt.state = AttemptState.AWAITING_GRADING
        attempt.save(update_fields=["state", "submitted_at", "timed_out"])
        return
    totals = result_totals(attempt.exam, items)
    for field, value in totals.items():
        setattr(attempt, field, value)
    attempt.state = AttemptState.GRADED
    if attempt.graded_at is None:
        attempt.graded_at = timezone.now()
    attempt.save(
        update_fields=[
            "state",
            "submitted_at",
            "timed_out",
            "graded_at",
            "earned",
            "possible",
            "share",
            "passed",
            "competency_results",
        ]
    )
    competency_profile_refresh(tenant_id=attempt.tenant_id, person_id=attempt.person_id)
    payload = {
        "attempt_id": attempt.pk,
        "exam_id": attempt.exam_id,
        "person_id": attempt.person_id,
        "organization_id": attempt.organization_id,
        "number": attempt.number,
        "share": str(attempt.share),
        "passed": attempt.passed,
        "competencies": {
            key: {"share": value["share"], "passed": value["passed"]}
            for key, value in totals["competency_results"].items()
        },
        "regraded": regraded,
    }
    event_record(tenant=attempt.tenant, name="assessment.graded", payload=payload)
    if attempt.passed:
        event_record(tenant=attempt.tenant, name="assessment.passed", payload=payload)


def competency_profile_refresh(*, tenant_id: int, person_id: int) -> None:
    """Rebuild a person's competency results from their graded attempts: the latest and best
    share per competency. Rebuilt rather than incremented, so that a regrade that lowers a past
    attempt's score is reflected exactly."""
    attempts = Attempt.objects.filter(person_id=person_id, state=AttemptState.GRADED).order_by(
        "graded_at", "id"
    )
    latest: dict[int, tuple[Decimal, Attempt]] = {}
    best: dict[int, Decimal] = {}
    counts: dict[int, int] = defaultdict(int)
    for attempt in attempts.only("id", "graded_at", "competency_results"):
        for key, result in (attempt.competency_results or {}).items():
            competency_id = int(key)
            share = Decimal(result["share"])
            latest[competency_id] = (share, attempt)
            best[competency_id] = max(best.get(competency_id, share), share)
            counts[competency_id] += 1
    existing = {r.competency_id: r for r in CompetencyResult.objects.filter(person_id=person_id)}
    now = timezone.now()
    to_create: list[CompetencyResult] = []
    to_update: list[CompetencyResult] = []
    for competency_id, (share, attempt) in latest.items():
        result = existing.pop(competency_id, None) or CompetencyResult(
            tenant_id=tenant_id, person_id=person_id, competency_id=competency_id
        )
        result.latest_share = share
        result.best_share = best[competency_id]
        result.attempts = counts[competency_id]
        result.last_attempt = attempt
        result.updated_at = now
        (to_update if result.pk else to_create).append(result)
    if to_create:
        CompetencyResult.objects.bulk_create(to_create)
    if to_update:
        CompetencyResult.objects.bulk_update(
            to_update, ["latest_share", "best_share", "attempts", "last_attempt", "updated_at"]
        )
    if existing:
        CompetencyResult.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
