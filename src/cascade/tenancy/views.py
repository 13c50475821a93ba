"""Partner organization pages: the filterable list, create and edit forms (with a search-as-you-
type parent picker), the detail page with the hierarchy, people and verified domains; a partner
admin's own data-sharing settings; and the program structure (tiers, regions, specializations).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, require
from cascade.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from cascade.core.pagination import keyset_page
from cascade.tenancy import selectors, services
from cascade.tenancy.forms import (
    OrganizationFilterForm,
    OrganizationForm,
    OrganizationSettingsForm,
    ParentChoices,
    ProgramSettingsForm,
    RegionForm,
    SpecializationForm,
    StructureForm,
    TierForm,
)
from cascade.tenancy.models import (
    PartnerOrganization,
    Region,
    Specialization,
    Tier,
    VendorDataAccess,
)
from cascade.web.pages import actor_of, form_error, page, parse_int
from cascade.web.selectors import organization_people

PAGE_SIZE = 25
PEOPLE_PAGE_SIZE = 25
ALPHABETICAL = ("name", "id")
# The parent picker shows a short list; people narrow it by typing more of the name.
PARENT_MATCHES_SHOWN = 20
SEARCH_MAX_LENGTH = 200


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
    form = OrganizationForm(
        request.POST if request.method == "POST" else None,
        initial=OrganizationForm.initial_for(organization) if organization else None,
        **_structure(actor),  # type: ignore[arg-type]
    )
    form.set_parent_choices(
        _parent_choices(
            actor, query=request.GET.get("parent_q"), selected_id=form.selected_parent_id()
        )
    )
    return form


def _parent_choices(actor: Actor, *, query: str | None, selected_id: int | None) -> ParentChoices:
    """The chosen parent and up to PARENT_MATCHES_SHOWN organizations the actor may see whose
    name contains `query` (or whose e-mail domain is `query`), in a fixed number of queries."""
    query = (query or "").strip()[:SEARCH_MAX_LENGTH]
    selected = None
    if selected_id is not None:
        try:
            selected = selectors.organization_get(actor=actor, organization_id=selected_id)
        except NotFound:
            selected = None
    matches: list[PartnerOrganization] = []
    if query:
        found = (
            selectors.organization_list(actor=actor, filters=selectors.OrganizationFilters(q=query))
            .prefetch_related(None)
            .order_by("name", "id")
        )
        if selected is not None:
            found = found.exclude(pk=selected.pk)
        matches = list(found[: PARENT_MATCHES_SHOWN + 1])
    return ParentChoices(
        query=query,
        selected=selected,
        matches=matches[:PARENT_MATCHES_SHOWN],
        more=len(matches) > PARENT_MATCHES_SHOWN,
    )


@page
@require_GET
def organization_parent_options(request: HttpRequest) -> HttpResponse:
    """The picker's matches for the organization form (an htmx fragment)."""
    actor = actor_of(request)
    if not (can(actor, Action.ORGANIZATION_CREATE) or can(actor, Action.ORGANIZATION_UPDATE)):
        raise PermissionDenied("You are not allowed to do this.", code="forbidden")
    picker = _parent_choices(
        actor,
        query=request.GET.get("parent_q"),
        selected_id=parse_int(request.GET.get("parent_id")),
    )
    return render(
        request,
        "tenancy/_parent_options.html",
        {"picker": picker, "status_out_of_band": True, "shown_at_most": PARENT_MATCHES_SHOWN},
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
            "can_change_settings": can(actor, Action.ORGANIZATION_UPDATE_SETTINGS, organization),
        },
    )


# --- a partner admin's own organization -------------------------------------------------------


def _own_organization(actor: Actor) -> PartnerOrganization:
    """The actor's own partner organization; vendor staff have none, so the page is not theirs."""
    require(actor, Action.ORGANIZATION_VIEW)
    if actor.organization_id is None:
        raise NotFound("This page is for partner organizations.", code="not_partner")
    return selectors.organization_get(actor=actor, organization_id=actor.organization_id)


@page
@require_http_methods(["GET", "POST"])
def organization_settings(request: HttpRequest) -> HttpResponse:
    """A partner admin chooses what the vendor sees of their people, and whether the parent
    organization's managers may assign them learning. Only these two fields reach the service."""
    actor = actor_of(request)
    organization = _own_organization(actor)
    require(actor, Action.ORGANIZATION_UPDATE_SETTINGS, organization)
    form = OrganizationSettingsForm(
        request.POST if request.method == "POST" else None, organization=organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=actor, organization=organization, fields=form.fields_for_service()
            )
        except DomainError as error:
            form_error(form, error)
        else:
            shares = (
                "only aggregate numbers about your people"
                if form.cleaned_data["vendor_data_access"] == VendorDataAccess.AGGREGATES
                else "your people individually"
            )
            messages.success(request, f"Your settings are saved. The vendor now sees {shares}.")
            return redirect("web:partner-settings")
    return render(
        request,
        "tenancy/organization_settings.html",
        {"form": form, "organization": organization},
    )


@page
@require_http_methods(["GET", "POST"])
def program_settings(request: HttpRequest) -> HttpResponse:
    """A program admin renames the program, sets its brand and its content languages."""
    actor = actor_of(request)
    _vendor_staff(actor)
    require(actor, Action.PROGRAM_SETTINGS_MANAGE)
    form = ProgramSettingsForm(
        request.POST if request.method == "POST" else None, tenant=actor.tenant
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tenant_update(actor=actor, fields=form.fields_for_service())
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "The program settings are saved.")
            return redirect("web:program-settings")
    return render(request, "tenancy/program_settings.html", {"form": form})


# --- tiers, regions, specializations ----------------------------------------------------------


@dataclass(frozen=True)
class StructureKind:
    """One kind of program structure item and how its pages call the services."""

    noun: str  # "tier"
    anchor: str  # the section of the program structure page: "tiers"
    organization_filter: str  # the organization list's query parameter for items of this kind
    used_by: Callable[[int], selectors.OrganizationFilters]
    form_class: type[StructureForm]
    get: Callable[[Actor, int], Tier | Region | Specialization]
    create: Callable[[Actor, dict[str, Any]], Any]
    update: Callable[[Actor, Any, dict[str, Any]], Any]


TIERS = StructureKind(
    noun="tier",
    anchor="tiers",
    organization_filter="tier_id",
    used_by=lambda pk: selectors.OrganizationFilters(tier_id=pk),
    form_class=TierForm,
    get=lambda actor, pk: selectors.structure_get(actor=actor, model=Tier, pk=pk),
    create=lambda actor, data: services.tier_create(actor=actor, **data),
    update=lambda actor, item, data: services.tier_update(actor=actor, tier=item, changes=data),
)
REGIONS = StructureKind(
    noun="region",
    anchor="regions",
    organization_filter="region_id",
    used_by=lambda pk: selectors.OrganizationFilters(region_id=pk),
    form_class=RegionForm,
    get=lambda actor, pk: selectors.structure_get(actor=actor, model=Region, pk=pk),
    create=lambda actor, data: services.region_create(actor=actor, **data),
    update=lambda actor, item, data: services.region_update(actor=actor, region=item, changes=data),
)
SPECIALIZATIONS = StructureKind(
    noun="specialization",
    anchor="specializations",
    organization_filter="specialization_id",
    used_by=lambda pk: selectors.OrganizationFilters(specialization_id=pk),
    form_class=SpecializationForm,
    get=lambda actor, pk: selectors.structure_get(actor=actor, model=Specialization, pk=pk),
    create=lambda actor, data: services.specialization_create(actor=actor, **data),
    update=lambda actor, item, data: services.specialization_update(
        actor=actor, specialization=item, changes=data
    ),
)


def _vendor_staff(actor: Actor) -> None:
    """The program structure belongs to the vendor's pages; partners see it through their
    organizations, so these pages do not exist for them."""
    require(actor, Action.ORGANIZATION_VIEW)
    if not actor.is_vendor_staff:
        raise NotFound("This page is for the vendor team.", code="not_vendor_staff")


def _structure_page(kind: StructureKind) -> str:
    return f"{reverse('web:program-structure')}#{kind.anchor}-heading"


@page
def program_structure(request: HttpRequest) -> HttpResponse:
    """Tiers by rank, regions with their countries, and specializations. Every vendor team member
    may read them (they filter organizations by them); program admins also change them."""
    actor = actor_of(request)
    _vendor_staff(actor)
    return render(
        request,
        "tenancy/program_structure.html",
        {
            "tiers": list(selectors.tier_list(actor=actor)),
            "regions": list(selectors.region_list(actor=actor)),
            "specializations": list(selectors.specialization_list(actor=actor)),
            "can_manage": can(actor, Action.PROGRAM_STRUCTURE_MANAGE),
            "can_change_settings": can(actor, Action.PROGRAM_SETTINGS_MANAGE),
        },
    )


def _structure_create(request: HttpRequest, kind: StructureKind) -> HttpResponse:
    actor = actor_of(request)
    _vendor_staff(actor)
    require(actor, Action.PROGRAM_STRUCTURE_MANAGE)
    form = kind.form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            item = kind.create(actor, form.changes())
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, f"The {kind.noun} {item.name} is created.")
            return redirect(_structure_page(kind))
    return render(
        request,
        "tenancy/structure_form.html",
        {"form": form, "kind": kind, "item": None, "section_url": _structure_page(kind)},
    )


def _structure_edit(request: HttpRequest, kind: StructureKind, pk: int) -> HttpResponse:
    actor = actor_of(request)
    _vendor_staff(actor)
    item = kind.get(actor, pk)
    require(actor, Action.PROGRAM_STRUCTURE_MANAGE)
    form = kind.form_class(request.POST if request.method == "POST" else None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(actor, item, form.changes())
        except DomainError as error:
            item.refresh_from_db()
            form_error(form, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(_structure_page(kind))
    used_by = (
        selectors.organization_list(actor=actor, filters=kind.used_by(item.pk)).order_by().count()
    )
    return render(
        request,
        "tenancy/structure_form.html",
        {
            "form": form,
            "kind": kind,
            "item": item,
            "section_url": _structure_page(kind),
            "delete_url": reverse(f"web:{kind.noun}-delete", args=[item.pk]),
            "used_by": used_by,
            "used_by_url": f"{reverse('web:organization-list')}?{kind.organization_filter}="
            f"{item.pk}",
        },
    )


def _structure_delete(request: HttpRequest, kind: StructureKind, pk: int) -> HttpResponse:
    """Delete an unused item. One still used by organizations is refused by the service and the
    person is sent back to it with the reason."""
    actor = actor_of(request)
    _vendor_staff(actor)
    item = kind.get(actor, pk)
    name = item.name
    try:
        services.structure_delete(actor=actor, item=item)
    except Conflict as error:
        messages.error(
            request,
            f"{error.message} Move them to another {kind.noun} first; then it can be deleted.",
        )
        return redirect(f"web:{kind.noun}-edit", pk)
    messages.success(request, f"The {kind.noun} {name} is deleted.")
    return redirect(_structure_page(kind))


@page
@require_http_methods(["GET", "POST"])
def tier_create(request: HttpRequest) -> HttpResponse:
    return _structure_create(request, TIERS)


@page
@require_http_methods(["GET", "POST"])
def tier_edit(request: HttpRequest, tier_id: int) -> HttpResponse:
    return _structure_edit(request, TIERS, tier_id)


@page
@require_POST
def tier_delete(request: HttpRequest, tier_id: int) -> HttpResponse:
    return _structure_delete(request, TIERS, tier_id)


@page
@require_http_methods(["GET", "POST"])
def region_create(request: HttpRequest) -> HttpResponse:
    return _structure_create(request, REGIONS)


@page
@require_http_methods(["GET", "POST"])
def region_edit(request: HttpRequest, region_id: int) -> HttpResponse:
    return _structure_edit(request, REGIONS, region_id)


@page
@require_POST
def region_delete(request: HttpRequest, region_id: int) -> HttpResponse:
    return _structure_delete(request, REGIONS, region_id)


@page
@require_http_methods(["GET", "POST"])
def specialization_create(request: HttpRequest) -> HttpResponse:
    return _structure_create(request, SPECIALIZATIONS)


@page
@require_http_methods(["GET", "POST"])
def specialization_edit(request: HttpRequest, specialization_id: int) -> HttpResponse:
    return _structure_edit(request, SPECIALIZATIONS, specialization_id)


@page
@require_POST
def specialization_delete(request: HttpRequest, specialization_id: int) -> HttpResponse:
    return _structure_delete(request, SPECIALIZATIONS, specialization_id)
