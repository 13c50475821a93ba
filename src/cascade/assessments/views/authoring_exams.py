"""Exams: the list, creating a draft with its rules, an exam's page, its fixed form (items chosen
from the banks, in order) or its blueprint (draws by bank, competency and difficulty), and
publishing it, which says in words why an exam cannot be published yet.

Changing a fixed form is a small step (add, move, remove), each sent to the service as the
form's whole new list, so every step is checked and audited like any other change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.assessments import authoring_selectors as reads
from cascade.assessments import exam_services
from cascade.assessments.authoring_forms import (
    DrawRow,
    ExamForm,
    FormCandidatesForm,
    draw_rows_posted,
)
from cascade.assessments.exam_services import DrawSpec, ExamRules
from cascade.assessments.models import Exam, ExamDraw, ExamMode, ExamState
from cascade.assessments.views.authoring_pages import (
    author,
    can_author,
    item_rows,
    only_read,
    reader,
    show_error,
)
from cascade.core.errors import DomainError, ValidationFailed
from cascade.core.pagination import keyset_page
from cascade.web.pages import page, parse_int

EXAMS_PAGE_SIZE = 50
# What publishing refusals mean for the author, beyond the service's own words.
PUBLISH_ADVICE = {
    "empty_exam": "Choose its items (or set its blueprint), then publish.",
    "retired_items": "Replace the retired items in the form, then publish.",
    "blueprint_short": "Add live items that match the draws, or draw fewer, then publish.",
    "not_draft": "A published exam does not change: write a new exam for a new version.",
}


def _percent(share: Any) -> str:
    """A share (0.755) as a percentage ("75.5")."""
    return f"{float(share) * 100:.1f}".removesuffix(".0")


@page
@require_http_methods(["GET"])
def exam_list(request: HttpRequest) -> HttpResponse:
    actor = reader(request)
    exams = keyset_page(
        reads.exam_rows(actor=actor),
        ordering=("name", "pk"),
        cursor=request.GET.get("cursor") or None,
        limit=EXAMS_PAGE_SIZE,
    )
    return render(
        request,
        "assessments/authoring/exams.html",
        {
            "exams": [(exam, _percent(exam.passing_share)) for exam in exams.items],
            "next_cursor": exams.next_cursor,
            "appending": bool(request.GET.get("cursor")),
            "can_author": can_author(actor),
        },
    )


def _rules(form: ExamForm) -> ExamRules:
    data = form.cleaned_data
    return ExamRules(
        time_limit_minutes=data["time_limit_minutes"],
        attempts_limit=data["attempts_limit"],
        cooldown_hours=data["cooldown_hours"],
        passing_share=data["passing_percent"] / 100,
        competency_passing=form.competency_passing(),  # type: ignore[arg-type]
        feedback_policy=data["feedback_policy"],
        opens_at=data["opens_at"],
        closes_at=data["closes_at"],
        shuffle_items=data["shuffle_items"],
        shuffle_options=data["shuffle_options"],
        max_exposure=data["max_exposure"],
    )


def _exam_field_names(error: DomainError) -> dict[str, str]:
    """The exam form's names for the fields the service names."""
    names = {"passing_share": "passing_percent"}
    for detail in error.details:
        field = str(detail.get("field") or "")
        if field.startswith("competency_passing."):
            names[field] = field.replace("competency_passing.", "competency_")
    return names


@page
@require_http_methods(["GET", "POST"])
def exam_create(request: HttpRequest) -> HttpResponse:
    actor = author(request)
    form = ExamForm(
        request.POST if request.method == "POST" else None,
        competencies=reads.competency_choices(actor=actor),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                exam = exam_services.exam_create(
                    actor=actor,
                    name=form.cleaned_data["name"],
                    mode=form.cleaned_data["mode"],
                    description=form.cleaned_data["description"],
                    rules=_rules(form),
                )
            except DomainError as error:
                show_error(form, error, _exam_field_names(error))
                status = error.status
            else:
                following = (
                    "Choose its items next."
                    if exam.mode == ExamMode.FIXED
                    else "Set its blueprint next."
                )
                messages.success(
                    request, f"The exam “{exam.name}” is created as a draft. {following}"
                )
                return redirect(
                    "web:assessment-exam-form"
                    if exam.mode == ExamMode.FIXED
                    else "web:assessment-exam-blueprint",
                    exam_id=exam.pk,
                )
        else:
            status = 422
    return render(request, "assessments/authoring/exam_create.html", {"form": form}, status=status)


def _draw_table(
    actor: Actor, exam: Exam
) -> tuple[list[tuple[ExamDraw, int]], reads.BlueprintCheck | None]:
    """The saved draws, each with how many live items match it, and how far the live items
    fill them all at once."""
    draws = reads.exam_draw_rows(actor=actor, exam=exam)
    if not draws:
        return [], None
    check = reads.blueprint_check(actor=actor, draws=draws)
    return list(zip(draws, check.matching, strict=True)), check


def _exam_page(
    request: HttpRequest,
    actor: Actor,
    exam: Exam,
    *,
    error: DomainError | None = None,
) -> HttpResponse:
    draws, check = _draw_table(actor, exam) if exam.mode == ExamMode.BLUEPRINT else ([], None)
    competencies = {
        str(pk): name for _, group in reads.competency_choices(actor=actor) for pk, name in group
    }
    return render(
        request,
        "assessments/authoring/exam.html",
        {
            "exam": exam,
            "form_items": item_rows(reads.exam_form_items(actor=actor, exam=exam))
            if exam.mode == ExamMode.FIXED
            else [],
            "draws": draws,
            "check": check,
            "competency_passing": [
                (competencies.get(pk, f"Competency {pk}"), _percent(share))
                for pk, share in exam.competency_passing.items()
            ],
            "passing_percent": _percent(exam.passing_share),
            "can_author": can_author(actor),
            "draft": exam.state == ExamState.DRAFT,
            "error": error,
            "advice": PUBLISH_ADVICE.get(error.code, "") if error else "",
        },
        status=error.status if error else 200,
    )


@page
def exam_detail(request: HttpRequest, exam_id: int) -> HttpResponse:
    actor = reader(request)
    exam = reads.exam_get(actor=actor, exam_id=exam_id)
    refused = only_read(request)
    if refused:
        return refused
    return _exam_page(request, actor, exam)


@page
@require_POST
def exam_publish(request: HttpRequest, exam_id: int) -> HttpResponse:
    actor = author(request)
    exam = reads.exam_get(actor=actor, exam_id=exam_id)
    try:
        exam_services.exam_publish(actor=actor, exam=exam)
    except DomainError as error:
        return _exam_page(request, actor, exam, error=error)
    messages.success(request, f"“{exam.name}” is published. Its items and rules no longer change.")
    return redirect("web:assessment-exam", exam_id=exam.pk)


# --- a fixed form ---------------------------------------------------------------------------------


def _not_editable(request: HttpRequest, exam: Exam, mode: str) -> HttpResponse | None:
    """Back to the exam's page when this editor does not apply to it (published, or drawn the
    other way)."""
    if exam.state != ExamState.DRAFT:
        messages.info(request, "A published exam does not change: write a new exam instead.")
        return redirect("web:assessment-exam", exam_id=exam.pk)
    if exam.mode != mode:
        return redirect(
            "web:assessment-exam-blueprint"
            if mode == ExamMode.FIXED
            else "web:assessment-exam-form",
            exam_id=exam.pk,
        )
    return None


def _form_page(
    request: HttpRequest,
    actor: Actor,
    exam: Exam,
    *,
    error: DomainError | None = None,
) -> HttpResponse:
    form_items = reads.exam_form_items(actor=actor, exam=exam)
    filters = FormCandidatesForm(
        request.GET or None,
        banks=reads.bank_choices(actor=actor),
        competencies=reads.competency_choices(actor=actor),
    )
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    candidates, more = reads.form_candidates(
        actor=actor,
        exclude=[item.pk for item in form_items],
        bank_id=parse_int(data.get("bank")),
        type=data.get("type") or None,
        competency_id=parse_int(data.get("competency")),
        text=(data.get("q") or "").strip(),
    )
    if error is not None:
        messages.error(request, error.message)
    context = {
        "exam": exam,
        "form_items": item_rows(form_items),
        "filters": filters,
        "filters_query": request.GET.urlencode(),
        "candidates": item_rows(candidates),
        "more_candidates": more,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "candidates":
        return render(request, "assessments/authoring/_form_candidates.html", context)
    return render(
        request,
        "assessments/authoring/exam_form.html",
        context,
        status=error.status if error else 200,
    )


def _form_change(exam_items: list[int], post: Any) -> tuple[list[int], str]:
    """The form's items after one step, with what to tell the author."""
    op = post.get("op", "")
    if op == "add":
        chosen = [pk for pk in (parse_int(v) for v in post.getlist("add")) if pk is not None]
        if not chosen:
            raise ValidationFailed.field("add", "Choose items to add.", code="nothing_chosen")
        added = [pk for pk in chosen if pk not in exam_items]
        return (
            exam_items + added,
            f"{len(added)} item{'s' if len(added) != 1 else ''} added at the end.",
        )
    item_id = parse_int(post.get("item"))
    if item_id not in exam_items:
        raise ValidationFailed.field("item", "That item is no longer in the form.", code="unknown")
    index = exam_items.index(item_id)
    if op == "remove":
        return [pk for pk in exam_items if pk != item_id], f"Item {index + 1} removed."
    if op in ("up", "down"):
        target = index - 1 if op == "up" else index + 1
        if 0 <= target < len(exam_items):
            exam_items[index], exam_items[target] = exam_items[target], exam_items[index]
        return exam_items, f"Item moved {op}."
    raise ValidationFailed.field("op", "Unknown change.", code="unknown")


@page
@require_http_methods(["GET", "POST"])
def exam_form(request: HttpRequest, exam_id: int) -> HttpResponse:
    actor = author(request)
    exam = reads.exam_get(actor=actor, exam_id=exam_id)
    elsewhere = _not_editable(request, exam, ExamMode.FIXED)
    if elsewhere is not None:
        return elsewhere
    if request.method == "GET":
        return _form_page(request, actor, exam)
    current = [item.pk for item in reads.exam_form_items(actor=actor, exam=exam)]
    try:
        items, done = _form_change(current, request.POST)
        exam_services.exam_form_set(actor=actor, exam=exam, item_ids=items)
    except DomainError as error:
        return _form_page(request, actor, exam, error=error)
    messages.success(request, done)
    query = request.GET.urlencode()
    return redirect(
        reverse("web:assessment-exam-form", args=[exam.pk]) + (f"?{query}" if query else "")
    )


# --- a blueprint ----------------------------------------------------------------------------------


def _blueprint_page(
    request: HttpRequest,
    actor: Actor,
    exam: Exam,
    rows: list[DrawRow],
    *,
    error: DomainError | None = None,
) -> HttpResponse:
    saved, check = _draw_table(actor, exam)
    return render(
        request,
        "assessments/authoring/exam_blueprint.html",
        {
            "exam": exam,
            "rows": rows,
            "banks": reads.bank_choices(actor=actor),
            "competencies": reads.competency_choices(actor=actor),
            "difficulties": [("1", "Easy"), ("2", "Medium"), ("3", "Hard")],
            "draws": saved,
            "check": check,
            "error": error,
            "row_errors": [row for row in rows if row.errors],
        },
        status=error.status if error else 200,
    )


def _saved_rows(actor: Actor, exam: Exam) -> list[DrawRow]:
    saved = reads.exam_draw_rows(actor=actor, exam=exam)
    rows = [
        DrawRow(
            n,
            str(d.count),
            str(d.bank_id or ""),
            str(d.competency_id or ""),
            str(d.difficulty or ""),
        )
        for n, d in enumerate(saved)
    ]
    return rows + [DrawRow(len(rows) + n) for n in range(1 if rows else 2)]


def _draw_specs(rows: list[DrawRow]) -> tuple[list[DrawSpec], list[DrawRow]]:
    """The draws the filled rows describe, and those rows in the same order; a row that cannot
    be read gets its error."""
    specs: list[DrawSpec] = []
    used: list[DrawRow] = []
    for row in rows:
        if not any((row.count, row.bank, row.competency, row.difficulty)):
            continue
        count = parse_int(row.count)
        if count is None or count < 1:
            row.errors.append("Give how many items to draw: 1 or more.")
            continue
        specs.append(
            DrawSpec(
                count=count,
                bank_id=parse_int(row.bank),
                competency_id=parse_int(row.competency),
                difficulty=parse_int(row.difficulty),
            )
        )
        used.append(row)
    return specs, used


def _place_draw_errors(error: DomainError, used: list[DrawRow]) -> bool:
    """Put the service's errors about draws ("draws.2.bank_id") on their rows; whether any
    was placed."""
    placed = False
    for detail in error.details:
        parts = str(detail.get("field", "")).split(".")
        if (
            len(parts) >= 2
            and parts[0] == "draws"
            and parts[1].isdigit()
            and int(parts[1]) < len(used)
        ):
            used[int(parts[1])].errors.append(str(detail.get("message") or error.message))
            placed = True
    return placed


@page
@require_http_methods(["GET", "POST"])
def exam_blueprint(request: HttpRequest, exam_id: int) -> HttpResponse:
    actor = author(request)
    exam = reads.exam_get(actor=actor, exam_id=exam_id)
    elsewhere = _not_editable(request, exam, ExamMode.BLUEPRINT)
    if elsewhere is not None:
        return elsewhere
    if request.method == "GET":
        return _blueprint_page(request, actor, exam, _saved_rows(actor, exam))
    rows = draw_rows_posted(request.POST)
    if request.POST.get("more"):
        return _blueprint_page(request, actor, exam, rows)
    specs, used = _draw_specs(rows)
    if any(row.errors for row in rows):
        return _blueprint_page(
            request,
            actor,
            exam,
            rows,
            error=ValidationFailed("Some draws cannot be read.", code="invalid_draws"),
        )
    try:
        exam_services.exam_blueprint_set(actor=actor, exam=exam, draws=specs)
    except DomainError as error:
        if _place_draw_errors(error, used):
            error = ValidationFailed("Some draws cannot be saved.", code=error.code)
        return _blueprint_page(request, actor, exam, rows, error=error)
    messages.success(
        request,
        f"The blueprint is saved: {sum(s.count for s in specs)} items drawn per attempt.",
    )
    return redirect("web:assessment-exam-blueprint", exam_id=exam.pk)
