"""Audiences: who may see a piece of content. The list says each audience's rules in words; the
form edits include and exclude rules, one fieldset per rule. A pilot audience is a rule naming a
few organizations, swapped for the final audience at rollout."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, require
from cascade.catalog.models import Audience, AudienceRule, Dimension, Effect
from cascade.catalog.services import audience_create, audience_update
from cascade.catalog.studio_forms import AudienceForm, RuleFormSet, id_choices, rule_initial
from cascade.catalog.studio_selectors import audience_get, audience_list, describe_audiences
from cascade.catalog.views.studio_pages import studio_actor
from cascade.core.errors import DomainError, ValidationFailed
from cascade.tenancy.models import PartnerOrganization, Region, Specialization, Tier
from cascade.web.pages import form_error, page

RULES_PREFIX = "rules"


@page
@require_http_methods(["GET"])
def studio_audiences(request: HttpRequest) -> HttpResponse:
    actor = studio_actor(request)
    audiences = list(audience_list())
    return render(
        request,
        "catalog/studio/audiences.html",
        {"summaries": describe_audiences(audiences), "can_edit": can(actor, Action.CATALOG_AUTHOR)},
    )


def _rule_choices() -> dict[str, Any]:
    return {
        "tiers": list(Tier.objects.order_by("rank")),
        "regions": id_choices(Region.objects.order_by("name")),
        "specializations": id_choices(Specialization.objects.order_by("name")),
    }


def _stored_rules(audience: Audience) -> list[dict[str, Any]]:
    rules = list(AudienceRule.objects.filter(audience=audience).prefetch_related("criteria"))
    organization_ids = {
        int(c.value)
        for rule in rules
        for c in rule.criteria.all()
        if c.dimension == Dimension.ORGANIZATION and c.value.isdigit()
    }
    names = {
        str(pk): name
        for pk, name in PartnerOrganization.objects.filter(pk__in=organization_ids).values_list(
            "pk", "name"
        )
    }
    initial = []
    for rule in rules:
        criteria: dict[str, list[str]] = {}
        for criterion in rule.criteria.all():
            criteria.setdefault(criterion.dimension, []).append(criterion.value)
        initial.append(
            rule_initial(
                effect=rule.effect,
                minimum_tier_rank=rule.minimum_tier_rank,
                criteria=criteria,
                organization_names=names,
            )
        )
    return initial


def _with_one_more_rule(data: Any) -> Any:
    """The posted form with an empty rule added (the "Add a rule" button works without
    JavaScript: the page comes back with one more fieldset, nothing saved)."""
    data = data.copy()
    total = f"{RULES_PREFIX}-TOTAL_FORMS"
    try:
        count = int(data.get(total, "0"))
    except ValueError:
        count = 0
    data[total] = str(min(count + 1, 50))
    data[f"{RULES_PREFIX}-{count}-effect"] = Effect.INCLUDE.value
    return data


def _audience_form_page(
    request: HttpRequest, actor: Actor, audience: Audience | None
) -> HttpResponse:
    pilot = request.GET.get("pilot") == "1" and audience is None
    posted = request.POST if request.method == "POST" else None
    adding_rule = posted is not None and "add_rule" in posted
    if adding_rule and posted is not None:
        posted = _with_one_more_rule(posted)
    form = AudienceForm(
        posted,
        initial={"name": audience.name, "description": audience.description}
        if audience
        else ({"name": "Pilot: "} if pilot else {}),
    )
    rules = RuleFormSet(
        posted,
        prefix=RULES_PREFIX,
        initial=_stored_rules(audience) if audience else [{"effect": Effect.INCLUDE.value}],
        form_kwargs=_rule_choices(),
    )
    status = 200
    if posted is not None and not adding_rule:
        require(actor, Action.CATALOG_AUTHOR)
        if form.is_valid() and rules.is_valid():
            specs = [
                rule.rule_spec()
                for rule in rules.forms
                # A rule added and left untouched would match everyone: leave it out.
                if (rule in rules.initial_forms or rule.has_changed())
                and not rule.cleaned_data.get("DELETE")
            ]
            try:
                if audience is None:
                    saved = audience_create(
                        actor=actor,
                        name=form.cleaned_data["name"],
                        description=form.cleaned_data["description"],
                        rules=specs,
                    )
                else:
                    saved = audience_update(
                        actor=actor,
                        audience=audience,
                        name=form.cleaned_data["name"],
                        description=form.cleaned_data["description"],
                        rules=specs,
                    )
            except DomainError as error:
                _rules_error(form, rules, error)
                status = error.status
            else:
                messages.success(request, f"The audience “{saved.name}” is saved.")
                return redirect("web:studio-audiences")
        else:
            status = 422
    return render(
        request,
        "catalog/studio/audience_form.html",
        {
            "form": form,
            "rules": rules,
            "audience": audience,
            "pilot": pilot,
            "can_edit": can(actor, Action.CATALOG_AUTHOR),
        },
        status=status,
    )


def _rules_error(form: AudienceForm, rules: Any, error: DomainError) -> None:
    """Put a service error beside the rule it names ("rules.2"), else on the form."""
    field = str(error.details[0].get("field", "")) if error.details else ""
    if isinstance(error, ValidationFailed) and field.startswith("rules."):
        index = field.removeprefix("rules.")
        if index.isdigit() and int(index) < len(rules.forms):
            rules.forms[int(index)].add_error(None, error.message)
            return
    form_error(form, error)


@page
@require_http_methods(["GET", "POST"])
def studio_audience_create(request: HttpRequest) -> HttpResponse:
    actor = studio_actor(request)
    require(actor, Action.CATALOG_AUTHOR)
    return _audience_form_page(request, actor, None)


@page
@require_http_methods(["GET", "POST"])
def studio_audience(request: HttpRequest, audience_id: int) -> HttpResponse:
    actor = studio_actor(request)
    return _audience_form_page(request, actor, audience_get(audience_id))
