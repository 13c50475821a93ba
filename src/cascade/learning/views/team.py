"""Team learning: a partner manager's or admin's view of their people's learning.

The team table (filters, bulk remind, assign to the people ticked), the late learning, one
person's learning, the assignment form and the CSV export. Every read goes through
`cascade.learning.team` (the visibility policy's people), every write through a service.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.core.errors import DomainError, NotFound, ValidationFailed
from cascade.core.scoping import tenant_scope
from cascade.identity.forms import PageForm
from cascade.learning import team
from cascade.learning.models import DueFrom
from cascade.learning.onboarding_selectors import onboarding_status_by_membership
from cascade.learning.services import MAX_ASSIGNEES, MAX_DUE_DAYS, assign
from cascade.learning.team_actions import team_remind
from cascade.web.pages import actor_of, form_error, page, parse_int, problem_page, safe_next

PAGE_SIZE = 25
ITEM_CHOICES_SHOWN = 20
# Characters a spreadsheet reads as the start of a formula: such a cell gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TeamFilterForm(PageForm):
    q = forms.CharField(label="Search name or e-mail", required=False, max_length=200)
    state = forms.ChoiceField(
        label="With learning", required=False, choices=[("", "Any"), *team.TeamState.CHOICES]
    )
    item = forms.TypedChoiceField(label="Item", required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label="Only people with overdue learning", required=False)

    def __init__(self, *args: Any, items: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item_field = self.fields["item"]
        assert isinstance(item_field, forms.TypedChoiceField)
        item_field.choices = [("", "Any item"), *((str(pk), title) for pk, title in items)]


def _filters(request: HttpRequest, actor: Actor) -> tuple[TeamFilterForm, team.TeamFilters]:
    form = TeamFilterForm(request.GET or None, items=team.team_items(actor=actor))
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return form, team.TeamFilters(
            q=(data.get("q") or "").strip() or None,
            state=data.get("state") or None,
            overdue_only=bool(data.get("overdue")),
            item_id=data.get("item"),
        )
    return form, team.TeamFilters()


@page
@require_GET
def team_learning(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form, filters = _filters(request, actor)
    people = team.team_progress(
        actor=actor, filters=filters, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE
    )
    onboarding = onboarding_status_by_membership(actor, [row.membership_id for row in people.items])
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "people": people,
        "rows": [(row, onboarding.get(row.membership_id)) for row in people.items],
        "query": query.urlencode(),
        "item_id": filters.item_id,
        "appending": bool(request.GET.get("cursor")),
    }
    if getattr(request, "htmx", False):
        template = (
            "learning/team/_rows.html" if context["appending"] else "learning/team/_results.html"
        )
        return render(request, template, context)
    return render(request, "learning/team/progress.html", context)


@page
@require_GET
def team_learning_overdue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    late = team.team_overdue(
        actor=actor, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE * 2
    )
    return render(request, "learning/team/overdue.html", {"late": late})


@page
def team_learning_person(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = actor_of(request)
    # Whose the id is comes first: someone else's person is not found, whatever the method.
    membership = team.team_member_get(actor=actor, membership_id=membership_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    enrollments = team.person_enrollments(actor=actor, membership=membership)
    onboarding = onboarding_status_by_membership(actor, [membership.pk]).get(membership.pk)
    return render(
        request,
        "learning/team/person.html",
        {
            "membership": membership,
            "enrollments": enrollments,
            "onboarding": onboarding,
            "open_count": sum(1 for e in enrollments if e.state in ("assigned", "in_progress")),
        },
    )


@page
@require_POST
def team_learning_remind(request: HttpRequest) -> HttpResponse:
    """Remind the people ticked in the team table (of one item, when the table shows one)."""
    actor = actor_of(request)
    raw = request.POST.getlist("membership_ids")
    ids = [parse_int(value) for value in raw]
    try:
        if None in ids:
            raise ValidationFailed.field(
                "membership_ids", "Choose people from the team table.", code="invalid"
            )
        result = team_remind(
            actor=actor,
            membership_ids=[pk for pk in ids if pk is not None],
            item_id=parse_int(request.POST.get("item_id")),
        )
    except NotFound:
        raise
    except DomainError as error:
        return problem_page(request, error)
    count = len(result.reminded)
    if count:
        messages.success(
            request,
            f"Reminder sent to {count} {'person' if count == 1 else 'people'}."
            + (
                f" {len(result.skipped)} had nothing new to be reminded of today."
                if result.skipped
                else ""
            ),
        )
    else:
        messages.info(
            request,
            "Nobody was reminded: the people chosen have no open assigned learning, or were "
            "already reminded of it today.",
        )
    return redirect(safe_next(request, reverse("web:team-learning")))


# --- assigning --------------------------------------------------------------------------------


class PeopleField(forms.MultipleChoiceField):
    """People ticked by id: which of them the manager may assign to is the service's decision
    (so that someone else's person gets its clear message, not a generic "invalid choice")."""

    def valid_value(self, value: str) -> bool:
        return str(value).isdigit() and len(str(value)) <= 18


class AssignForm(PageForm):
    item = forms.IntegerField(
        label="Item", error_messages={"required": "Choose the item to assign."}
    )
    people = PeopleField(
        label="People",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person."},
    )
    required = forms.TypedChoiceField(
        label="This learning is",
        choices=[("yes", "Required"), ("no", "Recommended")],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )
    due = forms.ChoiceField(
        label="Due",
        choices=[
            ("none", "No due date"),
            ("date", "On a date"),
            ("days", "A number of days after…"),
        ],
        initial="none",
        widget=forms.RadioSelect,
    )
    due_on = forms.DateField(
        label="Due date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_days = forms.IntegerField(
        label="Number of days", required=False, min_value=1, max_value=MAX_DUE_DAYS
    )
    due_from = forms.ChoiceField(
        label="Counted from", choices=DueFrom.choices, initial=DueFrom.ASSIGNMENT, required=False
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people_field = self.fields["people"]
        assert isinstance(people_field, forms.MultipleChoiceField)
        people_field.choices = people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("due") == "date" and not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "Give the due date.")
        if data.get("due") == "days" and not data.get("due_days") and "due_days" not in self.errors:
            self.add_error("due_days", "Give the number of days.")
        return data


# The services' field names, as the form calls them.
ASSIGN_FIELDS = {"membership_ids": "people", "item_id": "item"}


def _people_choices(actor: Actor) -> list[tuple[str, str]]:
    return [
        (
            str(m.pk),
            f"{m.person.full_name or m.person.email} ({m.organization.name})"
            if m.organization is not None
            else m.person.full_name,
        )
        for m in team.assignable_memberships(actor=actor)[:MAX_ASSIGNEES]
    ]


@page
@require_http_methods(["GET", "POST"])
def team_learning_assign(request: HttpRequest) -> HttpResponse:
    """Assign an item to people: chosen from the team table (their ids come in the address) or
    ticked here; the item is searched by title among those the manager can see."""
    actor = actor_of(request)
    team.team_memberships(actor=actor)  # a partner manager's page: refuse everyone else first
    people = _people_choices(actor)
    # The team table posts the people ticked there ("start"): that opens the form for them.
    posted = request.method == "POST" and "start" not in request.POST
    if posted:
        form = AssignForm(request.POST, people=people)
    else:
        given = request.POST if request.method == "POST" else request.GET
        form = AssignForm(
            initial={
                "people": given.getlist("membership_ids"),
                "item": parse_int(given.get("item")),
            },
            people=people,
        )
    item_q = (request.GET.get("item_q") or request.POST.get("item_q") or "").strip()[:200]
    selected = parse_int(str(form["item"].value() or ""))
    status = 200
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            result = assign(
                actor=actor,
                item_id=data["item"],
                membership_ids=[int(pk) for pk in data["people"]],
                required=data["required"],
                due_on=data["due_on"] if data["due"] == "date" else None,
                due_days=data["due_days"] if data["due"] == "days" else None,
                due_from=data["due_from"] or DueFrom.ASSIGNMENT,
            )
        except NotFound:
            # An item the manager cannot see (or that does not exist): say so on the field.
            form.add_error("item", "Choose an item from the catalog you can see.")
        except DomainError as error:
            form_error(form, error, ASSIGN_FIELDS)
        else:
            created, kept = len(result.created), len(result.already_enrolled)
            text = f"Assigned to {created} {'person' if created == 1 else 'people'}."
            if kept:
                text += f" {kept} already had it and keep their enrollment."
            messages.success(request, text)
            return redirect("web:team-learning")
    if posted:
        status = 400
    return render(
        request,
        "learning/team/assign.html",
        {
            "form": form,
            "item_q": item_q,
            "items": team.item_choices(
                actor=actor, q=item_q, selected=selected, limit=ITEM_CHOICES_SHOWN
            ),
            "selected_item": selected,
        },
        status=status,
    )


@page
@require_GET
def team_learning_item_options(request: HttpRequest) -> HttpResponse:
    """The item choices matching a search (the assignment form's live search)."""
    actor = actor_of(request)
    team.team_memberships(actor=actor)
    item_q = (request.GET.get("item_q") or "").strip()[:200]
    selected = parse_int(request.GET.get("item"))
    return render(
        request,
        "learning/team/_item_options.html",
        {
            "items": team.item_choices(
                actor=actor, q=item_q, selected=selected, limit=ITEM_CHOICES_SHOWN
            ),
            "selected_item": selected,
            "item_q": item_q,
        },
    )


# --- the export -------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote
    (OWASP's advice against CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@page
@require_GET
def team_learning_export(request: HttpRequest) -> StreamingHttpResponse:
    """The team's enrollments (as the table is filtered) as a CSV file, streamed."""
    actor = actor_of(request)
    _, filters = _filters(request, actor)
    team.team_memberships(actor=actor)  # refuse before the response starts
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        # The response is read after the view returns: the tenant scope goes with it.
        with tenant_scope(actor.tenant):
            yield "\ufeff"  # spreadsheets then read the file as UTF-8
            yield writer.writerow(team.EXPORT_HEADER)
            for row in team.team_export_rows(actor=actor, filters=filters):
                yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"team-learning-{date.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
