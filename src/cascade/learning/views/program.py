"""The vendor's view of the program's learning: progress by tier, region and partner organization
(simple tables; analytics come later), and the assignment rules program admins keep.

The progress tables never name a person, so they include the organizations that keep their
people's individual data from the vendor. Every read goes through `cascade.learning.team`, every
write through a service (`rules.rule_create`, `rule_set_active`, `rule_apply_now`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cascade.access.policies import Action, can, require
from cascade.catalog.models import Audience
from cascade.core.errors import DomainError, NotFound
from cascade.identity.forms import PageForm
from cascade.learning import program_progress, team
from cascade.learning.models import DueFrom
from cascade.learning.rules import rule_apply_now, rule_create, rule_set_active
from cascade.learning.services import MAX_DUE_DAYS
from cascade.web.pages import act, actor_of, form_error, page, parse_int

ORGANIZATIONS_PAGE = 50
ITEM_CHOICES_SHOWN = 20


@page
@require_GET
def program_learning(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "learning/program/progress.html",
        {
            "tiers": program_progress.progress_by_tier(actor=actor),
            "regions": program_progress.progress_by_region(actor=actor),
            "can_view_rules": can(actor, Action.LEARNING_RULES_VIEW),
            "current": "progress",
        },
    )


@page
@require_GET
def program_learning_organizations(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    q = (request.GET.get("q") or "").strip()[:200]
    organizations = program_progress.progress_by_organization(
        actor=actor, q=q or None, cursor=request.GET.get("cursor") or None, limit=ORGANIZATIONS_PAGE
    )
    return render(
        request,
        "learning/program/organizations.html",
        {
            "organizations": organizations,
            "q": q,
            "can_view_rules": can(actor, Action.LEARNING_RULES_VIEW),
            "current": "organizations",
        },
    )


class RuleForm(PageForm):
    name = forms.CharField(label="Name", max_length=120)
    audience = forms.TypedChoiceField(label="Audience", coerce=int)
    item = forms.IntegerField(label="Item", error_messages={"required": "Choose the item."})
    required = forms.TypedChoiceField(
        label="This learning is",
        choices=[("yes", "Required"), ("no", "Recommended")],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )
    due_days = forms.IntegerField(
        label="Due after (days)",
        required=False,
        min_value=1,
        max_value=MAX_DUE_DAYS,
        help_text="Leave empty for no due date.",
    )
    due_from = forms.ChoiceField(
        label="Counted from", choices=DueFrom.choices, initial=DueFrom.ASSIGNMENT, required=False
    )

    def __init__(self, *args: Any, audiences: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience_field = self.fields["audience"]
        assert isinstance(audience_field, forms.TypedChoiceField)
        audience_field.choices = [("", "Choose an audience"), *audiences]


RULE_FIELDS = {"item_id": "item", "audience_id": "audience"}


@page
@require_http_methods(["GET", "POST"])
def program_learning_rules(request: HttpRequest) -> HttpResponse:
    """The assignment rules, and a form for a new one (applied as soon as it is created)."""
    actor = actor_of(request)
    rules = list(program_progress.rule_list(actor=actor))
    can_manage = can(actor, Action.LEARNING_RULES_MANAGE)
    if request.method == "POST":
        require(actor, Action.LEARNING_RULES_MANAGE)
    audiences = list(Audience.objects.order_by("name", "pk").values_list("pk", "name"))
    form = RuleForm(request.POST if request.method == "POST" else None, audiences=audiences)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            audience = Audience.objects.filter(pk=data["audience"]).first()
            if audience is None:
                form.add_error("audience", "Choose an audience.")
            else:
                try:
                    rule = rule_create(
                        actor=actor,
                        name=data["name"],
                        audience=audience,
                        item_id=data["item"],
                        required=data["required"],
                        due_days=data["due_days"],
                        due_from=data["due_from"] or DueFrom.ASSIGNMENT,
                    )
                except DomainError as error:
                    form_error(form, error, RULE_FIELDS)
                else:
                    messages.success(request, f"The rule “{rule.name}” is active and applied.")
                    return redirect("web:program-learning-rules")
    item_q = (request.GET.get("item_q") or request.POST.get("item_q") or "").strip()[:200]
    selected = parse_int(str(form["item"].value() or request.GET.get("item") or ""))
    return render(
        request,
        "learning/program/rules.html",
        {
            "rules": rules,
            "form": form,
            "item_q": item_q,
            "items": team.item_choices(
                actor=actor, q=item_q, selected=selected, limit=ITEM_CHOICES_SHOWN
            ),
            "selected_item": selected,
            "can_view_rules": True,
            "can_manage_rules": can_manage,
            "current": "rules",
        },
        status=status,
    )


@page
@require_GET
def program_learning_item_options(request: HttpRequest) -> HttpResponse:
    """The item choices matching a search (the rule form's live search)."""
    actor = actor_of(request)
    require(actor, Action.LEARNING_RULES_MANAGE)
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


@page
@require_POST
def program_learning_rule_deactivate(request: HttpRequest, rule_id: int) -> HttpResponse:
    actor = actor_of(request)
    rule = program_progress.rule_get(actor=actor, rule_id=rule_id)
    return act(
        request,
        lambda: rule_set_active(actor=actor, rule=rule, active=False),
        success=f"The rule “{rule.name}” is stopped. What it assigned stays assigned.",
        redirect_to=reverse("web:program-learning-rules"),
    )


@page
@require_POST
def program_learning_rule_activate(request: HttpRequest, rule_id: int) -> HttpResponse:
    actor = actor_of(request)
    rule = program_progress.rule_get(actor=actor, rule_id=rule_id)
    return act(
        request,
        lambda: rule_set_active(actor=actor, rule=rule, active=True),
        success=f"The rule “{rule.name}” is active again and applied.",
        redirect_to=reverse("web:program-learning-rules"),
    )


@page
@require_POST
def program_learning_rule_apply(request: HttpRequest, rule_id: int) -> HttpResponse:
    actor = actor_of(request)
    rule = program_progress.rule_get(actor=actor, rule_id=rule_id)
    try:
        assigned = rule_apply_now(actor=actor, rule=rule)
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"The rule “{rule.name}” assigned its item to {assigned} "
            f"{'person' if assigned == 1 else 'people'}.",
        )
    return redirect("web:program-learning-rules")
