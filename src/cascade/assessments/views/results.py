"""After an exam: the result of an attempt, and one's competency profile.

The result shows the score, pass or fail and the result by competency; per question scores,
feedback and explanations appear only as far as the exam's feedback policy releases them
(`attempt_result`). Evidence waiting for a grader is said to be waiting, with no score yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cascade.access.policies import Action, can
from cascade.assessments.attempt_selectors import (
    attempt_result,
    attempt_visible,
    own_competency_profile,
)
from cascade.assessments.models import AttemptState, CompetencyResult, FeedbackPolicy
from cascade.assessments.views.player import only_read
from cascade.web.pages import actor_of, page

RELEASE_WORDS = {
    FeedbackPolicy.NONE: "This exam shows the score only, not the feedback on each question.",
    FeedbackPolicy.AFTER_SUBMISSION: "The feedback on each question appears here once every "
    "answer is graded.",
    FeedbackPolicy.AFTER_PASSING: "The feedback on each question is shown once you pass this exam.",
}


def percent(share: Decimal | float | None) -> int | None:
    return None if share is None else round(float(share) * 100)


@page
def attempt_result_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    actor = actor_of(request)
    attempt = attempt_visible(actor, attempt_id)
    not_allowed = only_read(request)
    if not_allowed is not None:
        return not_allowed
    own = actor.person is not None and attempt.person_id == actor.person.pk
    if attempt.state == AttemptState.IN_PROGRESS and own:
        return redirect("web:exam-attempt", attempt_id=attempt.pk)
    result = attempt_result(attempt, actor)
    exam = attempt.exam
    context = {
        "attempt": attempt,
        "exam": exam,
        "result": result,
        "own": own,
        "graded": attempt.state == AttemptState.GRADED,
        "waiting": attempt.state == AttemptState.AWAITING_GRADING,
        "in_progress": attempt.state == AttemptState.IN_PROGRESS,
        "score_percent": percent(attempt.share),
        "passing_percent": percent(exam.passing_share),
        "competencies": [
            {"line": line, "percent": percent(line.share)} for line in result.competencies
        ],
        "items": [{"item": item, "percent": percent(item.fraction)} for item in result.items],
        "release_words": RELEASE_WORDS.get(FeedbackPolicy(exam.feedback_policy), ""),
        "staff_view": not own and can(actor, Action.ASSESSMENT_RESULTS_VIEW),
    }
    return render(request, "assessments/results/result.html", context)


@dataclass(frozen=True)
class DomainResults:
    name: str
    results: list[CompetencyResult]


@page
@require_http_methods(["GET", "HEAD"])
def competency_profile_view(request: HttpRequest) -> HttpResponse:
    """One's standing on each competency one's graded exams measured: the latest share and the
    best, grouped by domain."""
    actor = actor_of(request)
    domains: list[DomainResults] = []
    by_domain: dict[int, DomainResults] = {}
    for result in own_competency_profile(actor):
        domain = result.competency.domain
        if domain.pk not in by_domain:
            by_domain[domain.pk] = DomainResults(domain.name, [])
            domains.append(by_domain[domain.pk])
        by_domain[domain.pk].results.append(result)
    return render(request, "assessments/results/competencies.html", {"domains": domains})
