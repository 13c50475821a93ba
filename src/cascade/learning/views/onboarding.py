"""Onboarding pages.

- Vendor staff: the programs, a program's phases and milestones (program admins edit them), and
  where each partner organization's people stand (counts by status).
- Partner managers and admins (and vendor staff, where organizations share individual data):
  people with their status, and one person's onboarding phase by phase.
- Everyone in a partner organization: their own onboarding (`mine`; the learner home can include
  `learning/onboarding/_my_onboarding.html` with `onboarding_for_person(actor)`).

Reads go through `cascade.learning.onboarding_selectors`, writes through
`cascade.learning.onboarding`; ids of other programs are not found.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, organizations_visible, require
from cascade.catalog.browse import live_items
from cascade.catalog.models import Audience
from cascade.catalog.search_models import SearchEntry
from cascade.core.errors import DomainError, NotFound
from cascade.core.pagination import keyset_page
from cascade.identity.forms import PageForm
from cascade.learning import onboarding as services
from cascade.learning.onboarding_models import (
    EventScope,
    MilestoneKind,
    OnboardingAnchor,
    OnboardingMilestone,
    OnboardingPhase,
    OnboardingProgram,
)
from cascade.learning.onboarding_selectors import (
    SEVERITY,
    STATUS_LABELS,
    onboarding_by_organization,
    onboarding_for_person,
    onboarding_people,
    onboarding_people_queryset,
    onboarding_person_detail,
    program_with_structure,
    worst,
)
from cascade.tenancy.models import PartnerOrganization
from cascade.web.pages import actor_of, form_error, page, parse_int

PAGE_SIZE = 50
ITEM_CHOICES_SHOWN = 50


# --- forms ------------------------------------------------------------------------------------


class ProgramForm(PageForm):
    name = forms.CharField(max_length=120, help_text="For example “New partner onboarding”.")
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.TypedChoiceField(
        coerce=int, help_text="Who the program applies to (an audience of the studio)."
    )
    relative_to = forms.ChoiceField(
        label="Phases count from",
        choices=OnboardingAnchor.choices,
        widget=forms.RadioSelect,
        initial=OnboardingAnchor.PERSON,
        help_text="A person's join date, or their organization's (theirs when it has none).",
    )
    effective_from = forms.DateField(
        label="Program starts on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="People who joined earlier are measured from this date. Today if left empty.",
    )
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience = self.fields["audience"]
        assert isinstance(audience, forms.TypedChoiceField)
        audience.choices = [
            ("", "Choose an audience"),
            *((str(pk), name) for pk, name in Audience.objects.values_list("pk", "name")),
        ]


class PhaseForm(PageForm):
    name = forms.CharField(max_length=120, help_text="For example “Week 1: foundations”.")
    starts_after_days = forms.IntegerField(
        label="Opens after (days)", min_value=0, max_value=services.MAX_DAYS, initial=0
    )
    due_after_days = forms.IntegerField(
        label="Due after (days)", min_value=1, max_value=services.MAX_DAYS
    )


class MilestoneForm(PageForm):
    kind = forms.ChoiceField(
        choices=MilestoneKind.choices, widget=forms.RadioSelect, initial=MilestoneKind.LEARNING
    )
    item = forms.TypedChoiceField(
        label="Item to complete",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="For a learning milestone: a published item.",
    )
    event_key = forms.CharField(
        label="Business event",
        required=False,
        max_length=60,
        help_text="For a business milestone: the event key the PRM reports, e.g. deal_registered.",
    )
    event_scope = forms.ChoiceField(
        label="Whose event",
        choices=EventScope.choices,
        initial=EventScope.PERSON,
        widget=forms.RadioSelect,
    )
    label = forms.CharField(
        required=False,
        max_length=160,
        help_text="What people read, e.g. “First deal registered”. The item's title if empty.",
    )

    def __init__(self, *args: Any, items: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        assert isinstance(item, forms.TypedChoiceField)
        item.choices = [("", "Choose an item"), *((str(pk), title) for pk, title in items)]


# --- helpers ----------------------------------------------------------------------------------


def _viewer(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    require(actor, Action.ONBOARDING_VIEW)
    return actor


def _program(program_id: int) -> OnboardingProgram:
    program = program_with_structure(program_id)
    if program is None:
        raise NotFound("No such onboarding program.", code="program_not_found")
    return program


def _phase(phase_id: int) -> OnboardingPhase:
    phase = OnboardingPhase.objects.select_related("program").filter(pk=phase_id).first()
    if phase is None:
        raise NotFound("No such phase.", code="phase_not_found")
    return phase


def _milestone(milestone_id: int) -> OnboardingMilestone:
    milestone = (
        OnboardingMilestone.objects.select_related("phase", "phase__program")
        .filter(pk=milestone_id)
        .first()
    )
    if milestone is None:
        raise NotFound("No such milestone.", code="milestone_not_found")
    return milestone


def _item_choices(actor: Actor, query: str, include: set[int]) -> list[tuple[int, str]]:
    """Published items by title (in the program's language), those matching `query` first."""
    entries = SearchEntry.objects.filter(
        item__in=live_items(), locale=actor.tenant.default_locale
    ).order_by("title", "item_id")
    if query:
        entries = entries.filter(title__icontains=query)
    chosen = list(entries.values_list("item_id", "title")[:ITEM_CHOICES_SHOWN])
    missing = include - {pk for pk, _ in chosen}
    if missing:
        chosen += list(entries.filter(item_id__in=missing).values_list("item_id", "title"))
    return chosen


def _phases_with_titles(
    actor: Actor, program: OnboardingProgram
) -> list[tuple[OnboardingPhase, list[tuple[OnboardingMilestone, str]]]]:
    """The program's phases, each with its milestones and their items' titles (one query)."""
    phases = list(program.phases.all())
    item_ids = {m.item_id for p in phases for m in p.milestones.all() if m.item_id is not None}
    titles = dict(
        SearchEntry.objects.filter(
            item_id__in=item_ids, locale=actor.tenant.default_locale
        ).values_list("item_id", "title")
    )
    return [
        (phase, [(m, titles.get(m.item_id or 0, "")) for m in phase.milestones.all()])
        for phase in phases
    ]


def _program_initial(program: OnboardingProgram) -> dict[str, Any]:
    return {
        "name": program.name,
        "description": program.description,
        "audience": str(program.audience_id),
        "relative_to": program.relative_to,
        "effective_from": program.effective_from,
        "active": program.active,
    }


# --- vendor: programs -------------------------------------------------------------------------


@page
@require_GET
def onboarding_programs(request: HttpRequest) -> HttpResponse:
    actor = _viewer(request)
    programs = (
        OnboardingProgram.objects.select_related("audience")
        .annotate(phase_count=Count("phases"))
        .order_by("name", "pk")
    )
    return render(
        request,
        "learning/onboarding/programs.html",
        {"programs": list(programs), "can_manage": can(actor, Action.ONBOARDING_MANAGE)},
    )


@page
@require_http_methods(["GET", "POST"])
def onboarding_program_create(request: HttpRequest) -> HttpResponse:
    actor = _viewer(request)
    require(actor, Action.ONBOARDING_MANAGE)
    form = ProgramForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                program = services.program_create(
                    actor=actor,
                    name=data["name"],
                    audience_id=data["audience"],
                    relative_to=data["relative_to"],
                    description=data["description"],
                    effective_from=data["effective_from"],
                    active=data["active"],
                )
            except DomainError as error:
                form_error(form, error, {"audience_id": "audience"})
                status = error.status
            else:
                messages.success(request, f"“{program.name}” is created. Now add its phases.")
                return redirect("web:onboarding-program", program_id=program.pk)
        else:
            status = 422
    return render(request, "learning/onboarding/program_create.html", {"form": form}, status=status)


def _program_page(
    request: HttpRequest,
    actor: Actor,
    program: OnboardingProgram,
    *,
    form: ProgramForm | None = None,
    phase_form: PhaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "learning/onboarding/program.html",
        {
            "program": program,
            "form": form or ProgramForm(initial=_program_initial(program)),
            "phase_form": phase_form or PhaseForm(),
            "phases": _phases_with_titles(actor, program),
            "can_manage": can(actor, Action.ONBOARDING_MANAGE),
        },
        status=status,
    )


@page
@require_http_methods(["GET", "POST"])
def onboarding_program(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = _viewer(request)
    program = _program(program_id)
    if request.method != "POST":
        return _program_page(request, actor, program)
    require(actor, Action.ONBOARDING_MANAGE)
    form = ProgramForm(request.POST)
    if not form.is_valid():
        return _program_page(request, actor, program, form=form, status=422)
    data = form.cleaned_data
    try:
        services.program_update(
            actor=actor,
            program=program,
            name=data["name"],
            audience_id=data["audience"],
            relative_to=data["relative_to"],
            description=data["description"],
            effective_from=data["effective_from"],
            active=data["active"],
        )
    except DomainError as error:
        form_error(form, error, {"audience_id": "audience"})
        return _program_page(request, actor, program, form=form, status=error.status)
    messages.success(request, "The program is saved.")
    return redirect("web:onboarding-program", program_id=program.pk)


@page
@require_POST
def onboarding_phase_add(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = _viewer(request)
    program = _program(program_id)
    require(actor, Action.ONBOARDING_MANAGE)
    form = PhaseForm(request.POST)
    if not form.is_valid():
        return _program_page(request, actor, program, phase_form=form, status=422)
    data = form.cleaned_data
    try:
        phase = services.phase_add(
            actor=actor,
            program=program,
            name=data["name"],
            starts_after_days=data["starts_after_days"],
            due_after_days=data["due_after_days"],
        )
    except DomainError as error:
        form_error(form, error)
        return _program_page(request, actor, program, phase_form=form, status=error.status)
    messages.success(request, f"“{phase.name}” is added. Now add its milestones.")
    return redirect("web:onboarding-phase", phase_id=phase.pk)


def _phase_page(
    request: HttpRequest,
    actor: Actor,
    phase: OnboardingPhase,
    *,
    form: PhaseForm | None = None,
    milestone_form: MilestoneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    milestones = list(OnboardingMilestone.objects.filter(phase=phase).order_by("position", "id"))
    query = (request.GET.get("item_q") or "").strip()[:100]
    items = _item_choices(actor, query, {m.item_id for m in milestones if m.item_id is not None})
    titles = dict(items)
    return render(
        request,
        "learning/onboarding/phase.html",
        {
            "phase": phase,
            "program": phase.program,
            "milestones": [(m, titles.get(m.item_id or 0, "")) for m in milestones],
            "form": form
            or PhaseForm(
                initial={
                    "name": phase.name,
                    "starts_after_days": phase.starts_after_days,
                    "due_after_days": phase.due_after_days,
                }
            ),
            "milestone_form": milestone_form or MilestoneForm(items=items),
            "item_q": query,
            "can_manage": can(actor, Action.ONBOARDING_MANAGE),
        },
        status=status,
    )


@page
@require_http_methods(["GET", "POST"])
def onboarding_phase(request: HttpRequest, phase_id: int) -> HttpResponse:
    actor = _viewer(request)
    phase = _phase(phase_id)
    if request.method != "POST":
        return _phase_page(request, actor, phase)
    require(actor, Action.ONBOARDING_MANAGE)
    form = PhaseForm(request.POST)
    if not form.is_valid():
        return _phase_page(request, actor, phase, form=form, status=422)
    data = form.cleaned_data
    try:
        services.phase_update(
            actor=actor,
            phase=phase,
            name=data["name"],
            starts_after_days=data["starts_after_days"],
            due_after_days=data["due_after_days"],
        )
    except DomainError as error:
        form_error(form, error)
        return _phase_page(request, actor, phase, form=form, status=error.status)
    messages.success(request, "The phase is saved.")
    return redirect("web:onboarding-program", program_id=phase.program_id)


@page
@require_POST
def onboarding_phase_remove(request: HttpRequest, phase_id: int) -> HttpResponse:
    actor = _viewer(request)
    phase = _phase(phase_id)
    services.phase_remove(actor=actor, phase=phase)
    messages.success(request, f"“{phase.name}” is removed.")
    return redirect("web:onboarding-program", program_id=phase.program_id)


@page
@require_POST
def onboarding_milestone_add(request: HttpRequest, phase_id: int) -> HttpResponse:
    actor = _viewer(request)
    phase = _phase(phase_id)
    require(actor, Action.ONBOARDING_MANAGE)
    submitted = parse_int(request.POST.get("item"))
    items = _item_choices(actor, "", {submitted} if submitted else set())
    form = MilestoneForm(request.POST, items=items)
    if not form.is_valid():
        return _phase_page(request, actor, phase, milestone_form=form, status=422)
    data = form.cleaned_data
    learning = data["kind"] == MilestoneKind.LEARNING
    try:
        services.milestone_add(
            actor=actor,
            phase=phase,
            kind=data["kind"],
            label=data["label"],
            item_id=data["item"] if learning else None,
            event_key="" if learning else data["event_key"],
            event_scope=data["event_scope"],
        )
    except DomainError as error:
        form_error(form, error, {"item_id": "item"})
        return _phase_page(request, actor, phase, milestone_form=form, status=error.status)
    messages.success(request, "The milestone is added.")
    return redirect("web:onboarding-phase", phase_id=phase.pk)


@page
@require_POST
def onboarding_milestone_remove(request: HttpRequest, milestone_id: int) -> HttpResponse:
    actor = _viewer(request)
    milestone = _milestone(milestone_id)
    services.milestone_remove(actor=actor, milestone=milestone)
    messages.success(request, f"“{milestone.label}” is removed.")
    return redirect("web:onboarding-phase", phase_id=milestone.phase_id)


# --- vendor: status by organization -----------------------------------------------------------


@page
def onboarding_status(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = _viewer(request)
    # Whose the id is comes first: another program's is not found, whatever the method.
    program = _program(program_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    organizations = organizations_visible(actor, PartnerOrganization.objects.all())
    page_of = keyset_page(
        organizations,
        ordering=("name", "pk"),
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    rollups = onboarding_by_organization(actor, program, page_of.items)
    return render(
        request,
        "learning/onboarding/status.html",
        {
            "program": program,
            "rows": rollups,
            "next_cursor": page_of.next_cursor,
            "statuses": [(str(s), STATUS_LABELS[s]) for s in SEVERITY],
        },
    )


# --- partner managers (and vendor staff): people ----------------------------------------------


def _people_reader(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    require(actor, Action.LEARNING_PROGRESS_VIEW)
    return actor


@page
@require_GET
def onboarding_people_page(request: HttpRequest) -> HttpResponse:
    actor = _people_reader(request)
    organization_id = parse_int(request.GET.get("organization"))
    organization = None
    if organization_id is not None:
        organization = organizations_visible(
            actor, PartnerOrganization.objects.filter(pk=organization_id)
        ).first()
        if organization is None:
            raise NotFound("No such organization.", code="organization_not_found")
    people = onboarding_people_queryset(actor, organization_id=organization_id)
    page_of = keyset_page(
        people,
        ordering=("person__full_name", "pk"),
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    entries = onboarding_people(actor, page_of.items)
    by_membership: dict[int, list[Any]] = {}
    for entry in entries:
        by_membership.setdefault(entry.membership_id, []).append(entry)
    rows = [
        (
            membership,
            by_membership.get(membership.pk, []),
            worst(e.status for e in by_membership.get(membership.pk, [])),
        )
        for membership in page_of.items
    ]
    return render(
        request,
        "learning/onboarding/people.html",
        {
            "rows": rows,
            "organization": organization,
            "next_cursor": page_of.next_cursor,
            "is_vendor": actor.is_vendor_staff,
        },
    )


@page
def onboarding_person(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = _people_reader(request)
    found = onboarding_person_detail(actor, membership_id)
    if found is None:
        raise NotFound("No such person.", code="membership_not_found")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    membership, entries = found
    return render(
        request,
        "learning/onboarding/person.html",
        {"membership": membership, "onboarding": entries},
    )


# --- everyone: one's own onboarding -----------------------------------------------------------


@page
@require_GET
def onboarding_mine(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "learning/onboarding/mine.html",
        {"onboarding": onboarding_for_person(actor), "back": reverse("web:home")},
    )
