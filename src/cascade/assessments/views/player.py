"""Taking an exam: the exams open to a person, an exam's rules with its start button, and the
player of an attempt.

The player shows every question of the attempt on one page, in the attempt's order, with a
navigator that says which are answered. Each question is its own form: without JavaScript it
posts and comes back to the question; with htmx it is saved as soon as it changes (the page
keeps its place and says "Saved at ..." in a live region). A scenario is walked a step at a
time: choosing posts that step and the next one replaces it. The server keeps the clock: the
page is given the seconds left on each load and each save, a late save is refused and the
attempt is submitted for the person, and a submitted attempt's player leads to its result.

What reaches the page comes from the attempt sheet only (the items' public views): no key,
score, branch or feedback is ever given to these templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.access.policies import Action, can
from cascade.assessments.attempt_selectors import (
    SheetItem,
    attempt_overdue,
    attempt_sheet,
    attempt_visible,
    attempts_of,
    exam_open_to,
    exams_open_to,
)
from cascade.assessments.attempt_services import (
    attempt_answer,
    attempt_start,
    attempt_submit,
    attempt_submit_overdue,
    exam_availability,
)
from cascade.assessments.grading_services import evidence_upload
from cascade.assessments.models import Attempt, AttemptState, Exam, FeedbackPolicy
from cascade.assessments.player_forms import (
    ANSWERED,
    STARTED,
    UNANSWERED,
    AnswerUnreadable,
    answer_state,
    move_from,
    moved,
    response_from,
    scenario_choice,
)
from cascade.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from cascade.web.pages import actor_of, page

# What each type asks the learner to do, shown above its answer.
HOW_TO_ANSWER = {
    "single_choice": "Choose one answer.",
    "multiple_response": "Choose every answer that applies.",
    "true_false": "Say whether the statement is true or false.",
    "numeric": "Type a number.",
    "short_text": "Type a short answer.",
    "ordering": "Put the steps in order with the Up and Down buttons, then save the order.",
    "matching": "Choose the answer that goes with each entry.",
    "scenario": "Work through the case one step at a time. A choice cannot be taken back.",
    "configuration": "Fill in the settings.",
    "evidence": "Upload your evidence and add a note for the grader.",
}

FEEDBACK_POLICY_WORDS = {
    FeedbackPolicy.NONE: "You see your score, not the feedback on each question.",
    FeedbackPolicy.AFTER_SUBMISSION: "You see your score and the feedback on each question "
    "once your answers are graded.",
    FeedbackPolicy.AFTER_PASSING: "You see your score; the feedback on each question is shown "
    "once you pass.",
}

# The attempt's clock, sent with every save so the page's countdown follows the server's.
REMAINING_HEADER = "X-Exam-Remaining"

TIME_UP = "Time is up: your answers saved before the deadline were submitted."


# --- the exams open to a person ----------------------------------------------------------------


@page
@require_http_methods(["GET", "HEAD"])
def exam_list(request: HttpRequest) -> HttpResponse:
    """The exams open to the person: attempts used, best score, and whether (or why not) they
    can start one now."""
    actor = actor_of(request)
    return render(request, "assessments/player/exams.html", {"cards": exams_open_to(actor)})


# --- an exam's rules and its start -------------------------------------------------------------


def _exam_context(actor: Actor, exam: Exam, **extra: Any) -> dict[str, Any]:
    return {
        "exam": exam,
        "availability": exam_availability(actor=actor, exam=exam),
        "attempts": list(attempts_of(actor, exam)[:20]),
        "feedback_words": FEEDBACK_POLICY_WORDS.get(FeedbackPolicy(exam.feedback_policy), ""),
        "passing_percent": _percent(exam.passing_share),
        **extra,
    }


@page
@require_http_methods(["GET", "HEAD", "POST"])
def exam_start(request: HttpRequest, exam_id: int) -> HttpResponse:
    """The exam's rules, the person's attempts at it, and the button that starts one (or
    resumes the one in progress)."""
    actor = actor_of(request)
    exam = exam_open_to(actor, exam_id)
    if request.method == "POST":
        try:
            attempt = attempt_start(actor=actor, exam=exam)
        except Conflict as error:
            context = _exam_context(actor, exam, error=error)
            return render(request, "assessments/player/exam.html", context, status=409)
        return redirect("web:exam-attempt", attempt_id=attempt.pk)
    return render(request, "assessments/player/exam.html", _exam_context(actor, exam))


# --- the player --------------------------------------------------------------------------------


def only_read(request: HttpRequest) -> HttpResponse | None:
    """A 405 for anything but reading, asked once the object is found: another program's id is
    a 404 whatever the method."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


def own_attempt(actor: Actor, attempt_id: int) -> Attempt:
    """One's own attempt (others', even those vendor staff may read the results of, are not
    theirs to take: 404)."""
    attempt = attempt_visible(actor, attempt_id)
    if (
        actor.person is None
        or attempt.person_id != actor.person.pk
        or not can(actor, Action.ASSESSMENT_TAKE)
    ):
        raise NotFound("No such attempt.")
    return attempt


@dataclass
class PlayerItem:
    """A question as the player shows it: the sheet's public content, what the person answered
    (or just posted, when it was refused) in the shape the templates read, and its state."""

    position: int
    type: str
    worth: Decimal
    content: dict[str, Any]
    state: str
    answered_at: datetime | None
    shown: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    # A message for the item's status line after a save (moves, scenario steps).
    note: str = ""

    @property
    def how(self) -> str:
        return HOW_TO_ANSWER.get(self.type, "")

    @property
    def template(self) -> str:
        return f"assessments/player/_item_{self.type}.html"

    @property
    def state_label(self) -> str:
        return {ANSWERED: "answered", STARTED: "started", UNANSWERED: "not answered"}[self.state]


def _number_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


FILE_TYPE_NAMES = {"image/png": "PNG", "image/jpeg": "JPEG", "application/pdf": "PDF"}


def shown_answer(item_type: str, content: dict[str, Any], response: Any) -> dict[str, Any]:
    """A saved response as the form fields show it."""
    saved = response if isinstance(response, dict) else {}
    match item_type:
        case "single_choice":
            return {"choice": str(saved.get("choice", ""))}
        case "true_false":
            value = saved.get("value")
            return {"value": "" if value is None else ("true" if value else "false")}
        case "multiple_response":
            return {"choices": {str(c) for c in saved.get("choices") or []}}
        case "numeric":
            return {"value": _number_text(saved.get("value"))}
        case "short_text":
            return {"text": str(saved.get("text", ""))}
        case "ordering":
            return {"order": _ordered_steps(content, saved.get("order"))}
        case "matching":
            pairs = saved.get("pairs") or {}
            return {
                "rows": [
                    {"prompt": prompt, "chosen": str(pairs.get(prompt["id"], ""))}
                    for prompt in content.get("prompts", [])
                ]
            }
        case "configuration":
            values = saved.get("values") or {}
            return {
                "rows": [
                    {"field": form_field, "value": str(values.get(form_field["id"], ""))}
                    for form_field in content.get("fields", [])
                ]
            }
        case "evidence":
            chosen = {str(f) for f in saved.get("files") or []}
            return {
                "uploaded": [
                    {**upload, "checked": upload["id"] in chosen}
                    for upload in content.get("uploaded", [])
                ],
                "note": str(saved.get("note", "")),
                "types": ", ".join(
                    FILE_TYPE_NAMES.get(t, t) for t in content.get("accepted_types", [])
                ),
            }
    return {}


def _ordered_steps(content: dict[str, Any], order: Any) -> list[dict[str, Any]]:
    """The steps in the order saved (or shown first); each keeps its place in the list served
    as `n`, which names its buttons whatever its place now."""
    steps = [{**step, "n": n} for n, step in enumerate(content.get("steps", []), start=1)]
    if not isinstance(order, list):
        return steps
    rank = {str(step_id): n for n, step_id in enumerate(order)}
    return sorted(steps, key=lambda step: rank.get(str(step["id"]), len(rank)))


def posted_answer(item_type: str, content: dict[str, Any], data: QueryDict) -> dict[str, Any]:
    """What was just posted, as the form fields show it (a refused answer is shown as typed)."""
    match item_type:
        case "numeric":
            return {"value": str(data.get("value", ""))[:100]}
        case "ordering":
            return {"order": _ordered_steps(content, data.getlist("order"))}
        case "scenario":
            return {}
    try:
        return shown_answer(item_type, content, response_from(item_type, content, data))
    except AnswerUnreadable:
        return shown_answer(item_type, content, None)


def player_item(row: SheetItem) -> PlayerItem:
    return PlayerItem(
        position=row.position,
        type=row.type,
        worth=row.worth,
        content=row.content,
        state=answer_state(row.type, row.content, row.response),
        answered_at=row.answered_at,
        shown=shown_answer(row.type, row.content, row.response),
    )


def _percent(share: Decimal | float | None) -> int | None:
    return None if share is None else round(float(share) * 100)


def clock(seconds: int | None) -> str:
    """Seconds as the countdown shows them: 4:05, or 1:02:09 past an hour."""
    if seconds is None:
        return ""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _player_context(
    attempt: Attempt, items: list[PlayerItem], remaining: int | None
) -> dict[str, Any]:
    return {
        "attempt": attempt,
        "exam": attempt.exam,
        "items": items,
        "answered": sum(1 for item in items if item.state == ANSWERED),
        "remaining": remaining,
        "clock": clock(remaining),
        "errors": [item for item in items if item.error],
    }


def _to_result(request: HttpRequest, attempt: Attempt, message: str) -> HttpResponse:
    """Leave the player for the result (a full page load, also from an htmx request)."""
    messages.info(request, message)
    url = reverse("web:exam-result", kwargs={"attempt_id": attempt.pk})
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _closed(request: HttpRequest, attempt: Attempt) -> HttpResponse | None:
    """The way out of an attempt that can no longer be answered: submitted, or past its
    deadline (submitted now for the person)."""
    if attempt.state != AttemptState.IN_PROGRESS:
        return _to_result(request, attempt, "This attempt is submitted; here is its result.")
    if attempt_overdue(attempt):
        attempt_submit_overdue(attempt)
        return _to_result(request, attempt, TIME_UP)
    return None


@page
def attempt_player(request: HttpRequest, attempt_id: int) -> HttpResponse:
    actor = actor_of(request)
    attempt = own_attempt(actor, attempt_id)
    not_allowed = only_read(request)
    if not_allowed is not None:
        return not_allowed
    closed = _closed(request, attempt)
    if closed is not None:
        return closed
    sheet = attempt_sheet(attempt)
    items = [player_item(row) for row in sheet.items]
    response = render(
        request,
        "assessments/player/attempt.html",
        _player_context(attempt, items, sheet.remaining_seconds),
    )
    response["Cache-Control"] = "no-store"
    return response


def _scenario_response(item: SheetItem, data: QueryDict) -> dict[str, Any]:
    """The path walked so far and the option chosen at the step the page showed: a choice sent
    for a step already passed (a second tab, a double click) is refused, not taken again."""
    choice = scenario_choice(data)
    step = item.content.get("step")
    if item.content.get("finished") or step is None:
        raise AnswerUnreadable("This case has ended; your path is saved.")
    if choice.step != str(step.get("id")):
        raise AnswerUnreadable("That step was already answered; the case goes on from here.")
    path = list((item.response or {}).get("path") or [])
    return {"path": [*path, choice.option]}


def _evidence_response(
    actor: Actor, attempt: Attempt, item: SheetItem, request: HttpRequest
) -> tuple[dict[str, Any], str | None]:
    """The files ticked (with the one just uploaded, stored first) and the note; the name of the
    file uploaded, if one was."""
    data = request.POST
    files = list(data.getlist("files"))
    upload = request.FILES.get("file")
    uploaded = None
    if upload is not None:
        stored = evidence_upload(
            actor=actor, attempt=attempt, position=item.position, upload=upload
        )
        files.append(str(stored.pk))
        uploaded = stored.original_name
    if not files:
        raise AnswerUnreadable("Upload a file first: your note is saved with your files.")
    note = str(data.get("note", ""))[:5000]
    return {"files": files, "note": note}, uploaded


def _move_note(content: dict[str, Any], data: QueryDict) -> str:
    move = move_from(data)
    if move is None:
        return ""
    before = data.getlist("order")
    after = moved(before, move)
    text = next((s["text"] for s in content.get("steps", []) if s["id"] == move.step), "")
    if after == before:
        edge = "first" if move.up else "last"
        return f"“{text}” is already {edge}."
    return f"“{text}” is now step {after.index(move.step) + 1} of {len(after)}."


@page
@require_POST
def attempt_answer_view(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Save the answer to one question. With htmx: the question's status (or, for a move, a
    scenario step or an upload, the question redrawn), the navigator's entry and the live
    status; without: back to the question, or the page with the reason it was not saved."""
    actor = actor_of(request)
    attempt = own_attempt(actor, attempt_id)
    closed = _closed(request, attempt)
    if closed is not None:
        return closed
    sheet = attempt_sheet(attempt)
    item = next((row for row in sheet.items if row.position == position), None)
    if item is None:
        raise NotFound("No such question in this attempt.")
    redraw = item.type in ("scenario", "ordering")
    note = ""
    error = ""
    try:
        if item.type == "scenario":
            response = _scenario_response(item, request.POST)
        elif item.type == "evidence":
            response, uploaded = _evidence_response(actor, attempt, item, request)
            redraw = uploaded is not None
            note = f"“{uploaded}” is uploaded." if uploaded else ""
        else:
            response = response_from(item.type, item.content, request.POST)
            if item.type == "ordering":
                redraw = move_from(request.POST) is not None
                note = _move_note(item.content, request.POST)
        saved = attempt_answer(actor=actor, attempt=attempt, position=position, response=response)
        if item.type == "scenario":
            note = "The case has ended." if saved.finished else "Your choice is saved."
    except AnswerUnreadable as problem:
        error = str(problem)
    except ValidationFailed as problem:
        error = problem.message
    except Conflict as problem:
        if problem.code in ("attempt_timed_out", "attempt_submitted"):
            return _to_result(request, attempt, problem.message)
        error = problem.message
    except PermissionDenied:
        raise NotFound("No such attempt.") from None
    return _answered(request, attempt, position, error=error, note=note, redraw=redraw)


def _answered(
    request: HttpRequest,
    attempt: Attempt,
    position: int,
    *,
    error: str,
    note: str,
    redraw: bool,
) -> HttpResponse:
    sheet = attempt_sheet(attempt)
    items = [player_item(row) for row in sheet.items]
    item = next(i for i in items if i.position == position)
    item.note = note
    if error:
        item.error = error
        item.shown = posted_answer(item.type, item.content, request.POST) or item.shown
    htmx = getattr(request, "htmx", False)
    if not htmx and not error:
        messages.success(
            request,
            note or f"Your answer to question {position} is saved.",
        )
        url = reverse("web:exam-attempt", kwargs={"attempt_id": attempt.pk})
        return HttpResponseRedirect(f"{url}#q{position}")
    context = _player_context(attempt, items, sheet.remaining_seconds)
    status = 422 if error else 200
    if not htmx:
        return render(request, "assessments/player/attempt.html", context, status=status)
    # A scenario is redrawn even when a choice is refused: the page may show a step already
    # passed (another tab went on), and the case as it stands is the useful answer.
    redraw = redraw and (not error or item.type == "scenario")
    context.update(item=item, redraw=redraw, total=len(items))
    response = render(request, "assessments/player/_answer_response.html", context, status=status)
    if redraw:
        response["HX-Retarget"] = f"#q{position}-body"
        response["HX-Reswap"] = "outerHTML"
    else:
        response["HX-Retarget"] = f"#q{position}-status"
        response["HX-Reswap"] = "innerHTML"
    if sheet.remaining_seconds is not None:
        response[REMAINING_HEADER] = str(sheet.remaining_seconds)
    response["Cache-Control"] = "no-store"
    return response


# --- submitting --------------------------------------------------------------------------------


@page
@require_http_methods(["GET", "HEAD", "POST"])
def attempt_submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """A confirmation that lists the questions left unanswered, then the submission. The page's
    timer posts here too when time runs out."""
    actor = actor_of(request)
    attempt = own_attempt(actor, attempt_id)
    closed = _closed(request, attempt)
    if closed is not None:
        return closed
    if request.method == "POST":
        time_up = request.POST.get("reason") == "time_up"
        try:
            attempt = attempt_submit(actor=actor, attempt=attempt)
        except Conflict as problem:
            return _to_result(request, attempt, problem.message)
        if time_up:
            message = TIME_UP
        elif attempt.state == AttemptState.AWAITING_GRADING:
            message = "Your answers are submitted. A grader will look at your evidence."
        else:
            message = "Your answers are submitted."
        return _to_result(request, attempt, message)
    sheet = attempt_sheet(attempt)
    items = [player_item(row) for row in sheet.items]
    context = _player_context(attempt, items, sheet.remaining_seconds)
    context["open_items"] = [item for item in items if item.state != ANSWERED]
    response = render(request, "assessments/player/submit.html", context)
    response["Cache-Control"] = "no-store"
    return response
