"""The graders' queue: evidence waiting for a grade, graded blind with the item's rubric, and the
evidence files themselves.

The queue and the grading page name the exam, never the person: a grade judges the work alone.
Evidence files are sent only to graders and to the person who uploaded them, always as an
attachment with `nosniff` (an uploaded file is never rendered by the browser as a page of this
site).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cascade.access.actor import Actor
from cascade.access.policies import Action, can
from cascade.assessments.attempt_selectors import grading_entry, grading_queue
from cascade.assessments.grading_services import attempt_item_grade
from cascade.assessments.items import item_definition
from cascade.assessments.items.exercise import Evidence
from cascade.assessments.models import AttemptItem, AttemptState, EvidenceFile
from cascade.assessments.views.player import only_read
from cascade.core.errors import Conflict, NotFound, ValidationFailed
from cascade.web.pages import actor_of, page, parse_int

QUEUE_PAGE = 50


@page
@require_http_methods(["GET", "HEAD"])
def grading_queue_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    after = parse_int(request.GET.get("after")) or 0
    entries = grading_queue(actor, limit=QUEUE_PAGE, after_id=after)
    return render(
        request,
        "assessments/grading/queue.html",
        {
            "entries": entries,
            "after": after,
            "next_after": entries[-1].attempt_item.pk if len(entries) == QUEUE_PAGE else None,
        },
    )


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    levels: list[dict[str, Any]]
    chosen: str


def _gradable(actor: Actor, attempt_item_id: int) -> tuple[AttemptItem, Evidence]:
    """An evidence answer of a submitted attempt. To anyone who does not grade, and for any
    other answer, there is nothing here (404): the page names no object they may know of."""
    if not can(actor, Action.ASSESSMENT_GRADE):
        raise NotFound("No such answer to grade.")
    row = grading_entry(actor, attempt_item_id)
    definition = item_definition(row.version.definition)
    if not isinstance(definition, Evidence) or row.attempt.state == AttemptState.IN_PROGRESS:
        raise NotFound("No such answer to grade.")
    return row, definition


def _criteria(definition: Evidence, chosen: dict[str, str]) -> list[Criterion]:
    return [
        Criterion(
            id=criterion.id,
            title=criterion.title,
            levels=[
                {"id": level.id, "label": level.label, "points": level.points}
                for level in criterion.levels
            ],
            chosen=chosen.get(criterion.id, ""),
        )
        for criterion in definition.rubric
    ]


@page
@require_http_methods(["GET", "HEAD", "POST"])
def grading_entry_view(request: HttpRequest, attempt_item_id: int) -> HttpResponse:
    """One answer to grade: the question, the person's note and files, and the rubric as a group
    of levels per criterion with a comment."""
    actor = actor_of(request)
    row, definition = _gradable(actor, attempt_item_id)
    chosen: dict[str, str] = dict((row.grading or {}).get("levels") or {})
    comment = str((row.grading or {}).get("comment") or "")
    error = None
    status = 200
    if request.method == "POST":
        chosen = {
            criterion.id: str(request.POST.get(f"level-{criterion.id}", ""))
            for criterion in definition.rubric
            if request.POST.get(f"level-{criterion.id}")
        }
        comment = str(request.POST.get("comment", ""))
        missing = [c.title for c in definition.rubric if c.id not in chosen]
        try:
            if missing:
                raise ValidationFailed.field(
                    "levels",
                    "Choose a level for every criterion: " + ", ".join(missing) + ".",
                    code="incomplete_grading",
                )
            graded = attempt_item_grade(
                actor=actor, attempt_item=row, levels=chosen, comment=comment
            )
        except ValidationFailed as problem:
            error, status = problem, 422
        except Conflict as problem:
            messages.warning(request, problem.message)
            return redirect("web:grading-entry", attempt_item_id=row.pk)
        else:
            earned, worth = float(graded.earned or 0), float(row.version.points)
            messages.success(
                request, f"Graded: {earned:g} of {worth:g} point{'' if worth == 1 else 's'}."
            )
            return redirect("web:grading-queue")
    response = (row.response or {}) if isinstance(row.response, dict) else {}
    context = {
        "row": row,
        "exam": row.attempt.exam,
        "prompt": definition.prompt,
        "note": str(response.get("note", "")),
        "files": list(row.evidence_files.all()),
        "criteria": _criteria(definition, chosen),
        "comment": comment,
        "error": error,
        "graded": not row.needs_grading,
        "best": sum(c.best for c in definition.rubric),
    }
    return render(request, "assessments/grading/entry.html", context, status=status)


# --- evidence files ----------------------------------------------------------------------------


def _evidence_for(actor: Actor, evidence_file_id: int) -> EvidenceFile:
    """An evidence file for a grader, or for the person whose attempt it belongs to."""
    evidence = (
        EvidenceFile.objects.filter(pk=evidence_file_id)
        .select_related("attempt_item__attempt")
        .first()
    )
    if evidence is None:
        raise NotFound("No such file.")
    if can(actor, Action.ASSESSMENT_GRADE):
        return evidence
    owner = evidence.attempt_item.attempt.person_id
    if actor.person is not None and owner == actor.person.pk and can(actor, Action.ASSESSMENT_TAKE):
        return evidence
    raise NotFound("No such file.")


@page
def evidence_file(request: HttpRequest, evidence_file_id: int) -> HttpResponseBase:
    actor = actor_of(request)
    evidence = _evidence_for(actor, evidence_file_id)
    not_allowed = only_read(request)
    if not_allowed is not None:
        return not_allowed
    try:
        stream = evidence.file.open("rb")
    except OSError as error:
        raise NotFound("No such file.") from error
    name = evidence.original_name or PurePosixPath(evidence.file.name or "evidence").name
    response = FileResponse(
        stream, content_type=evidence.content_type, as_attachment=True, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
