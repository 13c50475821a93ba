"""Taking an exam: starting (or resuming) an attempt, saving answers, submitting, and the
server's clock.

- **Start** checks the exam is published and open, the attempts limit and the cooldown since the
  last attempt, then draws the items (the fixed form, or a blueprint matching) and pins each
  item's current version and the order of its options. Starting while an attempt is in progress
  resumes it: same items, same order, the time that is left. Two starts at once (two tabs)
  meet the partial unique constraint: one creates, the other resumes what it created.
- **Answers** are saved one item at a time (autosave), checked against the item shown
  (`parse_response`), and refused once the deadline has passed (`ANSWER_GRACE` covers an
  autosave already on its way when time ran out). A scenario saves its path as it is walked;
  each save returns the next step.
- **Submit** locks the attempt row: of two submissions (two tabs), one submits and the other is
  told it was already submitted. An attempt whose deadline passed is submitted for the person,
  by whichever comes first: the person's next request, or the `submit_overdue_attempts` sweep.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.assessments.attempt_grading import (
    attempt_conclude,
    attempt_items_with_versions,
    score_item,
)
from cascade.assessments.attempt_presenting import presented_order
from cascade.assessments.blueprints import BlueprintShort, Candidate, draw_items
from cascade.assessments.exam_services import exam_draws, live_candidates
from cascade.assessments.items import ResponseInvalid
from cascade.assessments.items.scenario import Scenario
from cascade.assessments.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    EvidenceFile,
    Exam,
    ExamItem,
    ExamMode,
    ExamState,
    Item,
)
from cascade.assessments.versions import (
    committed_for_good,
    definition_of,
    definitions_forget,
)
from cascade.core.errors import Conflict, NotFound, ValidationFailed
from cascade.core.scoping import scopes_disabled, tenant_scope
from cascade.events.services import event_record

# An autosave sent just before the deadline may arrive just after it.
ANSWER_GRACE = timedelta(seconds=5)
MAX_RESPONSE_BYTES = 20_000


@dataclass(frozen=True)
class Availability:
    """Whether the actor may start (or resume) the exam now, and if not, why."""

    can_start: bool
    reason: str = ""
    code: str = ""
    attempts_used: int = 0
    next_start_at: datetime | None = None
    in_progress: Attempt | None = None


def _attempts_of(actor: Actor, exam: Exam) -> Any:
    return Attempt.objects.filter(exam=exam, person=actor.person)


def _attempt_summary(actor: Actor, exam: Exam) -> tuple[int, datetime | None, Attempt | None]:
    """The actor's attempts at the exam: how many, when the last was submitted, and the one in
    progress (two queries; one when there is none)."""
    summary = _attempts_of(actor, exam).aggregate(
        used=Count("id"), last_submitted=Max("submitted_at")
    )
    used = int(summary["used"])
    active = (
        _attempts_of(actor, exam).filter(state=AttemptState.IN_PROGRESS).first() if used else None
    )
    return used, summary["last_submitted"], active


def exam_availability(*, actor: Actor, exam: Exam, now: datetime | None = None) -> Availability:
    """What stands between the actor and a new attempt (an attempt in progress is resumable)."""
    used, last_submitted, active = _attempt_summary(actor, exam)
    return availability_of(exam, used, last_submitted, active, now or timezone.now())


def availability_of(
    exam: Exam,
    used: int,
    last_submitted: datetime | None,
    active: Attempt | None,
    now: datetime,
) -> Availability:
    """The availability of `exam` to a person who made `used` attempts, the last submitted at
    `last_submitted`, with `active` in progress (or None); lists compute these in bulk."""
    if active is not None and not past_deadline(active, now):
        return Availability(True, attempts_used=used, in_progress=active)
    if exam.state != ExamState.PUBLISHED:
        return Availability(False, "This exam is not open for attempts.", "exam_not_published")
    if exam.opens_at and now < exam.opens_at:
        return Availability(
            False, "This exam has not opened yet.", "exam_not_open", used, exam.opens_at
        )
    if exam.closes_at and now >= exam.closes_at:
        return Availability(False, "This exam has closed.", "exam_closed", used)
    if exam.attempts_limit is not None and used >= exam.attempts_limit:
        return Availability(
            False,
            f"You have used all {exam.attempts_limit} attempts at this exam.",
            "attempts_exhausted",
            used,
        )
    if exam.cooldown_hours and last_submitted is not None:
        next_start = last_submitted + timedelta(hours=exam.cooldown_hours)
        if now < next_start:
            return Availability(
                False,
                "Wait before trying again: the exam asks for a pause between attempts.",
                "cooldown",
                used,
                next_start,
            )
    return Availability(True, attempts_used=used)


def past_deadline(attempt: Attempt, now: datetime) -> bool:
    """Whether `now` is past the attempt's deadline and its grace (never, untimed)."""
    return attempt.deadline is not None and now > attempt.deadline + ANSWER_GRACE


def _refused(availability: Availability) -> Conflict:
    details = []
    if availability.next_start_at is not None:
        details.append(
            {"field": "next_start_at", "message": availability.next_start_at.isoformat()}
        )
    return Conflict(availability.reason, code=availability.code, details=details)


def attempt_start(*, actor: Actor, exam: Exam) -> Attempt:
    """A new attempt, or the one in progress (resumed). Submits an overdue one first."""
    return attempt_begin(actor=actor, exam=exam)[0]


def attempt_begin(*, actor: Actor, exam: Exam) -> tuple[Attempt, bool]:
    """`attempt_start`, telling whether the attempt is new (True) or resumed (False)."""
    require(actor, Action.ASSESSMENT_TAKE)
    assert actor.person is not None
    now = timezone.now()
    used, last_submitted, active = _attempt_summary(actor, exam)
    if active is not None and past_deadline(active, now):
        attempt_submit_overdue(active)
        return attempt_begin(actor=actor, exam=exam)
    availability = availability_of(exam, used, last_submitted, active, now)
    if availability.in_progress is not None:
        return availability.in_progress, False
    if not availability.can_start:
        raise _refused(availability)
    try:
        return _attempt_create(actor, exam, used + 1, now), True
    except IntegrityError:
        # Another request (a second tab) started it a moment ago: resume that one.
        active = _attempts_of(actor, exam).filter(state=AttemptState.IN_PROGRESS).first()
        if active is None:
            raise Conflict(
                "Another attempt was started at the same moment; try again.", code="busy"
            ) from None
        return active, False


@transaction.atomic
def _attempt_create(actor: Actor, exam: Exam, number: int, now: datetime) -> Attempt:
    rng = random.SystemRandom()
    item_ids = _drawn_item_ids(exam, rng)
    versions = dict(
        Item.objects.filter(pk__in=item_ids, current_version__isnull=False).values_list(
            "pk", "current_version_id"
        )
    )
    attempt = Attempt.objects.create(
        tenant=actor.tenant,
        exam=exam,
        person=actor.person,
        organization_id=actor.organization_id,
        number=number,
        started_at=now,
        deadline=now + timedelta(minutes=exam.time_limit_minutes)
        if exam.time_limit_minutes
        else None,
    )
    rows = []
    for position, item_id in enumerate(item_ids, start=1):
        version_id = versions[item_id]
        definition = definition_of(actor.tenant.pk, version_id)
        rows.append(
            AttemptItem(
                tenant=actor.tenant,
                attempt=attempt,
                position=position,
                item_id=item_id,
                version_id=version_id,
                presented_order=presented_order(
                    definition, rng, shuffle_options=exam.shuffle_options
                ),
            )
        )
    AttemptItem.objects.bulk_create(rows)
    event_record(
        tenant=actor.tenant,
        name="assessment.started",
        payload={
            "attempt_id": attempt.pk,
            "exam_id": exam.pk,
            "person_id": attempt.person_id,
            "number": number,
        },
    )
    return attempt


def _drawn_item_ids(exam: Exam, rng: random.Random) -> list[int]:
    if exam.mode == ExamMode.FIXED:
        ids = list(
            ExamItem.objects.filter(exam=exam, item__retired_at__isnull=True)
            .order_by("position")
            .values_list("item_id", flat=True)
        )
        if not ids:
            raise Conflict("This exam has no questions left to ask.", code="exam_empty")
        if exam.shuffle_items:
            rng.shuffle(ids)
        return ids
    candidates = live_candidates()
    if exam.max_exposure is not None:
        candidates = _with_exposure(candidates)
    try:
        return draw_items(
            exam_draws(exam),
            candidates,
            rng,
            max_exposure=exam.max_exposure,
            shuffle=exam.shuffle_items,
        )
    except BlueprintShort:
        raise Conflict(
            "Not enough questions are available to draw this exam; the exam's authors have to "
            "add some.",
            code="blueprint_short",
        ) from None


def _with_exposure(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with how many attempts have shown each (one grouped count)."""
    shown = dict(
        AttemptItem.objects.filter(item_id__in=[c.item_id for c in candidates])
        .values_list("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    return [
        Candidate(c.item_id, c.bank_id, c.competency_ids, c.difficulty, shown.get(c.item_id, 0))
        for c in candidates
    ]


def attempt_locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)


def attempt_owned_by(actor: Actor, attempt: Attempt) -> None:
    require(actor, Action.ASSESSMENT_TAKE)
    if actor.person is None or attempt.person_id != actor.person.pk:
        raise NotFound("No such attempt.")


@dataclass(frozen=True)
class Saved:
    attempt_item_id: int
    answered_at: datetime
    # The attempt's deadline (None: untimed), for the time left.
    deadline: datetime | None
    # For a scenario: the step to answer next (None once the case has ended).
    next_step: dict[str, Any] | None = None
    finished: bool = False


@dataclass(frozen=True)
class Slot:
    """An item of an attempt as saving an answer needs it."""

    attempt_item_id: int
    version_id: int


# What never changes once written, kept per process so that an autosave reads almost nothing:
# an attempt's layout (its positions, fixed when it starts) and an item version's parsed
# definition (versions are immutable; `cascade.assessments.versions`). Bounded; only what is
# committed for good is kept.
_LAYOUTS: dict[tuple[int, int], dict[int, Slot]] = {}
_LAYOUTS_KEPT = 5_000


def _layout(attempt: Attempt) -> dict[int, Slot]:
    key = (attempt.tenant_id, attempt.pk)
    layout = _LAYOUTS.get(key)
    if layout is None:
        layout = {
            position: Slot(pk, version_id)
            for pk, position, version_id in AttemptItem.objects.filter(
                attempt_id=attempt.pk
            ).values_list("pk", "position", "version_id")
        }
        if committed_for_good():
            if len(_LAYOUTS) >= _LAYOUTS_KEPT:
                _LAYOUTS.clear()  # the oldest sittings are over; read again what is needed
            _LAYOUTS[key] = layout
    return layout


def attempt_caches_clear() -> None:
    """Forget the layouts and definitions kept in this process (a database whose ids start
    again, as a test's rolled-back transaction leaves SQLite's, must not meet old entries)."""
    _LAYOUTS.clear()
    definitions_forget()


def attempt_answer(*, actor: Actor, attempt: Attempt | int, position: int, response: Any) -> Saved:
    """Save the response to the item at `position` of one's attempt (replacing an earlier
    one). The busiest write of an exam: the attempt row locked (its owner, state and deadline
    checked in the same query), the item's answer updated, nothing else read once warm."""
    require(actor, Action.ASSESSMENT_TAKE)
    attempt_id = attempt if isinstance(attempt, int) else attempt.pk
    person_id = actor.person.pk if actor.person is not None else 0
    timed_out = False
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update()
            .filter(pk=attempt_id, person_id=person_id)
            .only("id", "tenant_id", "exam_id", "person_id", "state", "deadline")
            .first()
        )
        if locked is None:
            raise NotFound("No such attempt.")
        attempt_still_open(locked)
        if past_deadline(locked, timezone.now()):
            _submit(attempt_locked(locked), timed_out=True)
            timed_out = True
        else:
            saved = _save_response(locked, position, response)
    if timed_out:
        raise Conflict(
            "Time is up: the attempt was submitted with the answers saved before the deadline.",
            code="attempt_timed_out",
        )
    return saved


def attempt_still_open(attempt: Attempt) -> None:
    if attempt.state != AttemptState.IN_PROGRESS:
        raise Conflict(
            "This attempt was submitted; it can no longer be changed.", code="attempt_submitted"
        )


def _save_response(attempt: Attempt, position: int, response: Any) -> Saved:
    slot = _layout(attempt).get(position)
    if slot is None:
        raise ValidationFailed.field(
            "position", "This attempt has no question at that position.", code="not_in_attempt"
        )
    if len(repr(response)) > MAX_RESPONSE_BYTES:
        raise ValidationFailed.field("response", "The answer is too long.", code="too_long")
    definition = definition_of(attempt.tenant_id, slot.version_id)
    next_step: dict[str, Any] | None = None
    finished = False
    try:
        if isinstance(definition, Scenario):
            # A path is saved as it is walked: checked step by step, finished or not.
            path = definition.response_model.model_validate(response).path
            next_step = definition.next_step(path)
            finished = next_step is None
            stored: Any = {"path": path}
        else:
            if not definition.automatic:
                _evidence_files_known(slot.attempt_item_id, response)
            stored = definition.parse_response(response).model_dump(mode="json")
    except ResponseInvalid as exc:
        raise ValidationFailed.field("response", str(exc), code=exc.code) from None
    except ValueError as exc:
        raise ValidationFailed.field("response", str(exc), code="invalid_response") from None
    now = timezone.now()
    AttemptItem.objects.filter(pk=slot.attempt_item_id).update(response=stored, answered_at=now)
    return Saved(slot.attempt_item_id, now, attempt.deadline, next_step, finished)


def _evidence_files_known(attempt_item_id: int, response: Any) -> None:
    files = response.get("files") if isinstance(response, dict) else None
    if not isinstance(files, list):
        return  # the response model explains what is missing
    known = {
        str(pk)
        for pk in EvidenceFile.objects.filter(attempt_item_id=attempt_item_id).values_list(
            "pk", flat=True
        )
    }
    unknown = [str(f) for f in files if str(f) not in known]
    if unknown:
        raise ResponseInvalid(
            f"Upload the files first; unknown file {', '.join(unknown)}.", code="unknown_file"
        )


def attempt_submit(*, actor: Actor, attempt: Attempt) -> Attempt:
    """Submit the attempt and grade what can be graded automatically. A second submission
    (another tab) is a 409 `attempt_submitted`; it changes nothing."""
    attempt_owned_by(actor, attempt)
    with transaction.atomic():
        attempt = attempt_locked(attempt)
        attempt_still_open(attempt)
        _submit(attempt, timed_out=past_deadline(attempt, timezone.now()))
    return attempt


def attempt_submit_overdue(attempt: Attempt) -> bool:
    """Submit an attempt whose time ran out, for the person; False when it was no longer in
    progress (submitted meanwhile)."""
    with transaction.atomic():
        attempt = attempt_locked(attempt)
        if attempt.state != AttemptState.IN_PROGRESS or not past_deadline(attempt, timezone.now()):
            return False
        _submit(attempt, timed_out=True)
        return True


def _submit(attempt: Attempt, *, timed_out: bool) -> None:
    """Score every item and conclude (the attempt row is locked by the caller)."""
    attempt.submitted_at = timezone.now()
    attempt.timed_out = timed_out
    items = attempt_items_with_versions(attempt)
    for attempt_item in items:
        score_item(attempt_item, attempt_item.version)
    AttemptItem.objects.bulk_update(
        items, ["fraction", "earned", "feedback", "needs_grading", "scored_with"]
    )
    attempt_conclude(attempt, items)
    event_record(
        tenant=attempt.tenant,
        name="assessment.submitted",
        payload={
            "attempt_id": attempt.pk,
            "exam_id": attempt.exam_id,
            "person_id": attempt.person_id,
            "timed_out": timed_out,
        },
    )


def attempts_submit_overdue_all(now: datetime | None = None) -> int:
    """Submit every attempt whose deadline has passed, in every program (the sweep that ends
    attempts nobody came back to)."""
    cutoff = (now or timezone.now()) - ANSWER_GRACE
    with scopes_disabled():
        overdue = list(
            Attempt.objects.filter(
                state=AttemptState.IN_PROGRESS, deadline__isnull=False, deadline__lt=cutoff
            ).values_list("tenant_id", "pk")
        )
    submitted = 0
    for tenant_id, pk in overdue:
        with tenant_scope(tenant_id):
            attempt = Attempt.objects.get(pk=pk)
            submitted += attempt_submit_overdue(attempt)
    return submitted
