"""Partner organization pages: the filterable list, create and edit forms, and the detail page
with the hierarchy, people and verified domains."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, require
from cascade.core.errors import DomainError
from cascade.core.pagination import keyset_page
from cascade.tenancy import selectors, services
from cascade.tenancy.forms import OrganizationFilterForm, OrganizationForm
from cascade.tenancy.models import PartnerOrganization
from cascade.web.pages import actor_of, form_error, page, parse_int
from cascade.web.selectors import organization_people

PAGE_SIZE = 25
PEOPLE_PAGE_SIZE = 25
ALPHABETICAL = ("name", "id")


def _structure(actor: Actor) -> dict[str, object]:
    return {
        "tiers": selectors.tier_list(actor=actor),
        "regions": selectors.region_list(actor=actor),
        "specializations": selectors.specialization_list(actor=actor),
    }


@page
def organization_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = OrganizationFilterForm(request.GET or None, **_structure(actor))  # type: ignore[arg-type]
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.OrganizationFilters(
        q=(data.get("q") or "").strip() or None,
        status=data.get("status") or None,
        tier_id=parse_int(data.get("tier_id")),
        region_id=parse_int(data.get("region_id")),
        business_model=data.get("business_model") or None,
        specialization_id=parse_int(data.get("specialization_id")),
        country=data.get("country") or None,
    )
    organizations = keyset_page(
        selectors.organization_list(actor=actor, filters=filters),
        ordering=ALPHABETICAL,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "organizations": organizations,
        "query": query.urlencode(),
        "appending": bool(request.GET.get("cursor")),
        "can_create": can(actor, Action.ORGANIZATION_CREATE),
    }
    if getattr(request, "htmx", False):
        template = (
            "tenancy/_organization_rows.html"
            if context["appending"]
            else "tenancy/_organization_results.html"
        )
        return render(request, template, context)
    return render(request, "tenancy/organization_list.html", context)


def _organization_form(
    request: HttpRequest, actor: Actor, organization: PartnerOrganization | None
) -> OrganizationForm:
    return OrganizationForm(
        request.POST if request.method == "POST" else None,
        initial=OrganizationForm.initial_for(organization) if organization else None,
        parents=selectors.organization_list(actor=actor).order_by("name", "id"),
        **_structure(actor),  # type: ignore[arg-type]
    )


@page
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, Action.ORGANIZATION_CREATE)
    form = _organization_form(request, actor, None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                actor=actor, fields=form.fields_for_service()
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{organization.name} is created.")
            return redirect("web:organization-detail", organization_id=organization.pk)
    return render(request, "tenancy/organization_form.html", {"form": form, "organization": None})


@page
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    actor = actor_of(request)
    organization = selectors.organization_get(actor=actor, organization_id=organization_id)
    require(actor, Action.ORGANIZATION_UPDATE, organization)
    form = _organization_form(request, actor, organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=actor, organization=organization, fields=form.fields_for_service()
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("web:organization-detail", organization_id=organization.pk)
    return render(
        request, "tenancy/organization_form.html", {"form": form, "organization": organization}
    )


@page
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    actor = actor_of(request)
    organization = selectors.organization_get(actor=actor, organization_id=organization_id)
    people = organization_people(
        actor=actor,
        organization=organization,
        cursor=request.GET.get("cursor") or None,
        limit=PEOPLE_PAGE_SIZE,
    )
    return render(
        request,
        "tenancy/organization_detail.html",
        {
            "organization": organization,
            "ancestors": selectors.organization_ancestors(organization=organization),
            "children": list(
                selectors.organization_children(actor=actor, organization=organization)
            ),
            "people": people,
            "can_edit": can(actor, Action.ORGANIZATION_UPDATE, organization),
        },
    )
