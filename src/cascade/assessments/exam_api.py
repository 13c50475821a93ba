"""Exams, attempts, grading and results over the REST API.

- Authors write exams (rules, a fixed form or a blueprint) and publish them; authors and
  reviewers read them, their item analysis, and regrade an item's past attempts after a
  correction.
- Members take published exams: start or resume an attempt, save answers one at a time, upload
  evidence, submit, and read their results. What an attempt in progress returns is built from
  the items' public parts only: no key, option score or scenario branch reaches the client
  before grading.
- Reviewers grade evidence from the queue.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from cascade.api.auth import actor_of
from cascade.api.schemas import form_fields_known
from cascade.assessments import (
    attempt_selectors,
    attempt_services,
    exam_selectors,
    exam_services,
    grading_services,
    selectors,
)
from cascade.assessments.exam_schemas import (
    AnswerId,
    AnswerIn,
    AttemptId,
    AttemptOut,
    AttemptPageOut,
    AttemptQuery,
    CompetencyProfileOut,
    EvidenceFileOut,
    EvidenceUploadIn,
    ExamAnalysisOut,
    ExamBlueprintIn,
    ExamCardOut,
    ExamDetailOut,
    ExamFormIn,
    ExamId,
    ExamIn,
    ExamPageOut,
    ExamQuery,
    ExamRulesIn,
    ExamUpdateIn,
    GradedOut,
    GradeIn,
    Position,
    QueuePageOut,
    QueueQuery,
    RegradeOut,
    SavedOut,
)
from cascade.assessments.models import Attempt, AttemptState
from cascade.assessments.schemas import AssessmentItemId
from cascade.catalog.schemas import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from cascade.core.pagination import keyset_page

router = Router(tags=["exams"])


# --- writing exams ---------------------------------------------------------------------------


@router.get(
    "/assessments/exams",
    response={200: ExamPageOut, **LIST_ERRORS},
    summary="List exams by name",
    description="Authors and reviewers. Filter by `state` (draft, published, closed).",
)
def list_exams(request: HttpRequest, query: Query[ExamQuery]) -> Any:
    exams = exam_selectors.exam_list(actor=actor_of(request), state=query.state)
    page = keyset_page(exams, ordering=("name", "pk"), cursor=query.cursor, limit=query.limit)
    return {
        "items": [exam_selectors.exam_out(e) for e in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/assessments/exams",
    response={201: ExamDetailOut, **WRITE_ERRORS},
    summary="Create a draft exam with its rules",
    description="409 `duplicate_name`; 422 `window_order`, `unknown_reference` (a competency).",
)
def create_exam(request: HttpRequest, payload: ExamIn) -> Any:
    exam = exam_services.exam_create(
        actor=actor_of(request),
        name=payload.name,
        mode=payload.mode,
        description=payload.description,
        rules=_rules(payload.rules),
    )
    return Status(201, exam_selectors.exam_out(exam, detail=True))


def _rules(rules: ExamRulesIn) -> exam_services.ExamRules:
    return exam_services.ExamRules(
        time_limit_minutes=rules.time_limit_minutes,
        attempts_limit=rules.attempts_limit,
        cooldown_hours=rules.cooldown_hours,
        passing_share=rules.passing_share,
        competency_passing=dict(rules.competency_passing),
        feedback_policy=rules.feedback_policy,
        opens_at=rules.opens_at,
        closes_at=rules.closes_at,
        shuffle_items=rules.shuffle_items,
        shuffle_options=rules.shuffle_options,
        max_exposure=rules.max_exposure,
    )


@router.patch(
    "/assessments/exams/{exam_id}",
    response={200: ExamDetailOut, **WRITE_ERRORS},
    summary="Change a draft exam's name, description or rules",
    description="`rules`, when given, replaces every rule. 409 `not_draft` once published "
    "(a published exam does not change), `duplicate_name`.",
)
def update_exam(request: HttpRequest, exam_id: ExamId, payload: ExamUpdateIn) -> Any:
    actor = actor_of(request)
    exam = exam_selectors.exam_get(actor=actor, exam_id=exam_id)
    exam = exam_services.exam_update(
        actor=actor,
        exam=exam,
        name=payload.name,
        description=payload.description,
        rules=_rules(payload.rules) if payload.rules is not None else None,
    )
    return exam_selectors.exam_out(exam, detail=True)


@router.post(
    "/assessments/exams/{exam_id}/close",
    response={200: ExamDetailOut, **WRITE_ERRORS},
    summary="Close a published exam",
    description="No new attempts; attempts in progress can still be finished and results "
    "stay. 409 `not_published`.",
)
def close_exam(request: HttpRequest, exam_id: ExamId) -> Any:
    actor = actor_of(request)
    exam = exam_selectors.exam_get(actor=actor, exam_id=exam_id)
    exam = exam_services.exam_close(actor=actor, exam=exam)
    return exam_selectors.exam_out(exam, detail=True)


@router.get(
    "/assessments/exams/{exam_id}",
    response={200: ExamDetailOut, **READ_ERRORS},
    summary="Get an exam with its form or blueprint",
)
def get_exam(request: HttpRequest, exam_id: ExamId) -> Any:
    exam = exam_selectors.exam_get(actor=actor_of(request), exam_id=exam_id)
    return exam_selectors.exam_out(exam, detail=True)


@router.put(
    "/assessments/exams/{exam_id}/form",
    response={200: ExamDetailOut, **WRITE_ERRORS},
    summary="Set a fixed exam's items, in order",
    description="409 `not_draft` once published, `wrong_mode` for a blueprint exam; 422 "
    "`unknown_reference` for unknown or retired items.",
)
def set_form(request: HttpRequest, exam_id: ExamId, payload: ExamFormIn) -> Any:
    actor = actor_of(request)
    exam = exam_selectors.exam_get(actor=actor, exam_id=exam_id)
    exam_services.exam_form_set(actor=actor, exam=exam, item_ids=payload.item_ids)
    return exam_selectors.exam_out(exam, detail=True)


@router.put(
    "/assessments/exams/{exam_id}/blueprint",
    response={200: ExamDetailOut, **WRITE_ERRORS},
    summary="Set a blueprint exam's draws",
    description="Each draw takes `count` items matching its bank, competency and difficulty "
    "(any left out matches all).",
)
def set_blueprint(request: HttpRequest, exam_id: ExamId, payload: ExamBlueprintIn) -> Any:
    actor = actor_of(request)
    exam = exam_selectors.exam_get(actor=actor, exam_id=exam_id)
    exam_services.exam_blueprint_set(
        actor=actor,
        exam=exam,
        draws=[
            exam_services.DrawSpec(
                count=d.count,
                bank_id=d.bank_id,
                competency_id=d.competency_id,
                difficulty=d.difficulty,
            )
            for d in payload.draws
        ],
    )
    return exam_selectors.exam_out(exam, detail=True)


@router.post(
    "/assessments/exams/{exam_id}/publish",
    response={200: ExamDetailOut, **WRITE_ERRORS},
    summary="Publish an exam",
    description="422 `empty_exam`, `retired_items`, or `blueprint_short` when the live items "
    "cannot fill the blueprint.",
)
def publish_exam(request: HttpRequest, exam_id: ExamId) -> Any:
    actor = actor_of(request)
    exam = exam_selectors.exam_get(actor=actor, exam_id=exam_id)
    exam = exam_services.exam_publish(actor=actor, exam=exam)
    return exam_selectors.exam_out(exam, detail=True)


@router.get(
    "/assessments/exams/{exam_id}/analysis",
    response={200: ExamAnalysisOut, **READ_ERRORS},
    summary="Item analysis of an exam",
    description="Over each person's first graded attempt: difficulty, point-biserial "
    "discrimination (item against the rest), choice rates, Cronbach's alpha, flags.",
)
def exam_analysis(request: HttpRequest, exam_id: ExamId) -> Any:
    actor = actor_of(request)
    exam = exam_selectors.exam_get(actor=actor, exam_id=exam_id)
    return attempt_selectors.exam_item_analysis(actor, exam)


@router.post(
    "/assessments/items/{assessment_item_id}/regrade",
    response={200: RegradeOut, **WRITE_ERRORS},
    summary="Regrade past attempts with an item's current key",
    description="After a correction (a new version), scores again every submitted attempt "
    "scored with an older version; each changed result is audited and announced. 422 "
    "`not_automatic` for evidence.",
)
def regrade_item(request: HttpRequest, assessment_item_id: AssessmentItemId) -> Any:
    actor = actor_of(request)
    item = selectors.item_get(actor=actor, item_id=assessment_item_id)
    return grading_services.item_regrade(actor=actor, item=item)


# --- taking exams ----------------------------------------------------------------------------


@router.get(
    "/assessments/my-exams",
    response={200: list[ExamCardOut], **LIST_ERRORS},
    summary="The exams one can take",
    description="Published exams not closed, with one's attempts and whether (and when) an "
    "attempt can start.",
)
def my_exams(request: HttpRequest) -> Any:
    actor = actor_of(request)
    cards = []
    for card in attempt_selectors.exams_open_to(actor):
        availability = card.availability
        cards.append(
            {
                "exam_id": card.exam.pk,
                "name": card.exam.name,
                "description": card.exam.description,
                "time_limit_minutes": card.exam.time_limit_minutes,
                "attempts_limit": card.exam.attempts_limit,
                "attempts_used": card.attempts_used,
                "passing_share": card.exam.passing_share,
                "best_share": card.best_share,
                "passed": card.passed,
                "in_progress_attempt_id": card.in_progress_id,
                "can_start": availability.can_start,
                "reason": availability.reason,
                "code": availability.code,
                "next_start_at": availability.next_start_at,
            }
        )
    return cards


def _attempt_out(request: HttpRequest, attempt: Attempt) -> dict[str, Any]:
    actor = actor_of(request)
    out: dict[str, Any] = {
        "id": attempt.pk,
        "exam_id": attempt.exam_id,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "remaining_seconds": None,
        "submitted_at": attempt.submitted_at,
        "timed_out": attempt.timed_out,
        "items": [],
        "result": None,
    }
    if attempt.state == AttemptState.IN_PROGRESS:
        sheet = attempt_selectors.attempt_sheet(attempt)
        out["remaining_seconds"] = sheet.remaining_seconds
        out["items"] = [vars(item) for item in sheet.items]
        return out
    result = attempt_selectors.attempt_result(attempt, actor)
    out["result"] = {
        "earned": attempt.earned,
        "possible": attempt.possible,
        "share": attempt.share,
        "passed": attempt.passed,
        "competencies": [vars(c) for c in result.competencies],
        "details_released": result.details_released,
        "items": [vars(i) for i in result.items],
    }
    return out


@router.post(
    "/assessments/exams/{exam_id}/attempts",
    response={200: AttemptOut, 201: AttemptOut, **WRITE_ERRORS},
    summary="Start an attempt, or resume the one in progress",
    description="201 with a new attempt; 200 with the attempt already in progress (same "
    "items, same order, the time left). 409 `exam_not_open`, `exam_closed`, "
    "`attempts_exhausted`, `cooldown` (with `next_start_at`), `blueprint_short`.",
)
def start_attempt(request: HttpRequest, exam_id: ExamId) -> Any:
    actor = actor_of(request)
    exam = attempt_selectors.exam_open_to(actor, exam_id)
    attempt, created = attempt_services.attempt_begin(actor=actor, exam=exam)
    return Status(201 if created else 200, _attempt_out(request, attempt))


@router.get(
    "/assessments/attempts",
    response={200: AttemptPageOut, **LIST_ERRORS},
    summary="One's own attempts, newest first",
)
def list_attempts(request: HttpRequest, query: Query[AttemptQuery]) -> Any:
    attempts = attempt_selectors.attempts_of(actor_of(request))
    if query.exam_id is not None:
        attempts = attempts.filter(exam_id=query.exam_id)
    page = keyset_page(
        attempts, ordering=("-started_at", "-pk"), cursor=query.cursor, limit=query.limit
    )
    return {
        "items": [
            {
                "id": a.pk,
                "exam_id": a.exam_id,
                "exam_name": a.exam.name,
                "number": a.number,
                "state": a.state,
                "started_at": a.started_at,
                "submitted_at": a.submitted_at,
                "share": a.share,
                "passed": a.passed,
            }
            for a in page.items
        ],
        "next_cursor": page.next_cursor,
    }


def _visible_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    attempt = attempt_selectors.attempt_visible(actor_of(request), attempt_id)
    if attempt_selectors.attempt_overdue(attempt):
        attempt_services.attempt_submit_overdue(attempt)
        attempt.refresh_from_db()
    return attempt


@router.get(
    "/assessments/attempts/{attempt_id}",
    response={200: AttemptOut, **READ_ERRORS},
    summary="An attempt: its items while in progress, its result once submitted",
    description="Per-item results follow the exam's feedback policy. An attempt whose time "
    "ran out is submitted first.",
)
def get_attempt(request: HttpRequest, attempt_id: AttemptId) -> Any:
    return _attempt_out(request, _visible_attempt(request, attempt_id))


@router.put(
    "/assessments/attempts/{attempt_id}/answers/{position}",
    response={200: SavedOut, **WRITE_ERRORS},
    summary="Save the answer to one item (autosave)",
    description="Replaces the saved answer. 422 `not_in_attempt`, `unknown_option`, "
    "`invalid_response`; 409 `attempt_timed_out` (the attempt was submitted with what was "
    "saved before the deadline) or `attempt_submitted`. A scenario's path is saved as it is "
    "walked: the answer returns the next step.",
)
def save_answer(
    request: HttpRequest, attempt_id: AttemptId, position: Position, payload: AnswerIn
) -> Any:
    # The service checks the attempt is the caller's own as it locks it: nothing to read first.
    saved = attempt_services.attempt_answer(
        actor=actor_of(request), attempt=attempt_id, position=position, response=payload.response
    )
    return {
        "position": position,
        "answered_at": saved.answered_at,
        "remaining_seconds": attempt_selectors.seconds_left(saved.deadline),
        "next_step": saved.next_step,
        "finished": saved.finished,
    }


@router.post(
    "/assessments/attempts/{attempt_id}/items/{position}/evidence",
    response={201: EvidenceFileOut, **WRITE_ERRORS},
    summary="Upload a file as evidence",
    description="For an evidence item of one's attempt in progress; then list the file's id "
    "in the answer's `files`. 422 `unsupported_type` (checked by content), `too_large`, "
    "`not_evidence`.",
)
def upload_evidence(
    request: HttpRequest,
    attempt_id: AttemptId,
    position: Position,
    file: File[UploadedFile],
    payload: Form[EvidenceUploadIn],
) -> Any:
    form_fields_known(request, EvidenceUploadIn)
    actor = actor_of(request)
    attempt = attempt_selectors.attempt_visible(actor, attempt_id)
    evidence = grading_services.evidence_upload(
        actor=actor,
        attempt=attempt,
        position=position,
        upload=file,
        caption=payload.caption,
        replaces=payload.replaces,
    )
    return Status(
        201,
        {
            "id": evidence.pk,
            "name": evidence.original_name,
            "caption": evidence.caption,
            "content_type": evidence.content_type,
            "size": evidence.size,
        },
    )


@router.post(
    "/assessments/attempts/{attempt_id}/submit",
    response={200: AttemptOut, **WRITE_ERRORS},
    summary="Submit an attempt",
    description="Grades what is graded automatically; evidence waits for a reviewer. 409 "
    "`attempt_submitted` when it was submitted already (another tab): nothing changes.",
)
def submit_attempt(request: HttpRequest, attempt_id: AttemptId) -> Any:
    actor = actor_of(request)
    attempt = attempt_selectors.attempt_visible(actor, attempt_id)
    attempt = attempt_services.attempt_submit(actor=actor, attempt=attempt)
    return _attempt_out(request, attempt)


@router.get(
    "/assessments/competency-profile",
    response={200: CompetencyProfileOut, **LIST_ERRORS},
    summary="One's competency profile",
    description="Per competency measured by one's graded attempts: the latest and best share.",
)
def competency_profile(request: HttpRequest) -> Any:
    return {
        "competencies": [
            {
                "competency_id": r.competency_id,
                "name": r.competency.name,
                "domain": r.competency.domain.name,
                "latest_share": r.latest_share,
                "best_share": r.best_share,
                "attempts": r.attempts,
                "updated_at": r.updated_at,
            }
            for r in attempt_selectors.own_competency_profile(actor_of(request))
        ]
    }


# --- grading ---------------------------------------------------------------------------------


@router.get(
    "/assessments/grading-queue",
    response={200: QueuePageOut, **LIST_ERRORS},
    summary="Evidence waiting for a reviewer, oldest first",
    description="Blind: entries name the exam and the attempt, not the person.",
)
def grading_queue(request: HttpRequest, query: Query[QueueQuery]) -> Any:
    rows = attempt_selectors.grading_queue_query(actor_of(request))
    page = keyset_page(rows, ordering=("pk",), cursor=query.cursor, limit=query.limit)
    return {
        "items": [
            {
                "id": e.attempt_item.pk,
                "attempt_id": e.attempt_item.attempt_id,
                "exam_name": e.exam_name,
                "prompt": e.prompt,
                "rubric": e.rubric,
                "files": e.files,
                "note": e.note,
                "submitted_at": e.submitted_at,
            }
            for e in attempt_selectors.queue_entries(page.items)
        ],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/assessments/grading-queue/{answer_id}/grade",
    response={200: GradedOut, **WRITE_ERRORS},
    summary="Grade evidence with the rubric",
    description="A level per criterion. 422 `incomplete_grading`, `unknown_level`; 409 "
    "`already_graded`. Grading the last evidence of an attempt concludes it.",
)
def grade_answer(request: HttpRequest, answer_id: AnswerId, payload: GradeIn) -> Any:
    actor = actor_of(request)
    row = attempt_selectors.grading_entry(actor, answer_id)
    graded = grading_services.attempt_item_grade(
        actor=actor, attempt_item=row, levels=payload.levels, comment=payload.comment
    )
    attempt = Attempt.objects.get(pk=graded.attempt_id)
    return {
        "id": graded.pk,
        "attempt_id": graded.attempt_id,
        "fraction": graded.fraction,
        "earned": graded.earned,
        "attempt_state": attempt.state,
    }
