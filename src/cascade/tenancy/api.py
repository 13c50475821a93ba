"""REST endpoints for the program structure. Each operation: parse -> policy -> service/selector."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from cascade.api.auth import actor_of
from cascade.api.schemas import PageOut
from cascade.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from cascade.tenancy import selectors, services
from cascade.tenancy.models import (
    BusinessModel,
    OrganizationStatus,
    PartnerOrganization,
    Region,
    Specialization,
    Tier,
)
from cascade.tenancy.schemas import (
    OrganizationCreateIn,
    OrganizationDetailOut,
    OrganizationOut,
    OrganizationUpdateIn,
    RegionIn,
    RegionOut,
    RegionUpdateIn,
    SpecializationIn,
    SpecializationOut,
    SpecializationUpdateIn,
    TierIn,
    TierOut,
    TierUpdateIn,
)

router = Router(tags=["program structure"])


class OrganizationQuery(Schema):
    q: str | None = Field(
        default=None, max_length=200, description="Name contains, or exact e-mail domain"
    )
    tier_id: int | None = None
    region_id: int | None = None
    country: str | None = Field(default=None, max_length=2)
    business_model: BusinessModel | None = None
    status: OrganizationStatus | None = None
    specialization_id: int | None = None
    parent_id: int | None = None
    root_only: bool = False
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "/organizations", response=PageOut[OrganizationOut], summary="List partner organizations"
)
def list_organizations(request: HttpRequest, query: Query[OrganizationQuery]) -> Any:
    filters = selectors.OrganizationFilters(
        q=query.q,
        tier_id=query.tier_id,
        region_id=query.region_id,
        country=query.country,
        business_model=query.business_model,
        status=query.status,
        specialization_id=query.specialization_id,
        parent_id=query.parent_id,
        root_only=query.root_only,
    )
    return selectors.organization_rows(
        actor=actor_of(request), filters=filters, cursor=query.cursor, limit=query.limit
    )


@router.post(
    "/organizations", response={201: OrganizationOut}, summary="Create a partner organization"
)
def create_organization(request: HttpRequest, payload: OrganizationCreateIn) -> Any:
    actor = actor_of(request)
    organization = services.organization_create(actor=actor, fields=payload.model_dump())  # type: ignore[arg-type]
    return selectors.organization_row(organization=organization)


@router.get(
    "/organizations/{organization_id}",
    response=OrganizationDetailOut,
    summary="Get a partner organization",
)
def get_organization(request: HttpRequest, organization_id: int) -> Any:
    actor = actor_of(request)
    organization = selectors.organization_get(actor=actor, organization_id=organization_id)
    return _detail(actor, organization)


@router.patch(
    "/organizations/{organization_id}",
    response=OrganizationDetailOut,
    summary="Update a partner organization",
)
def update_organization(
    request: HttpRequest, organization_id: int, payload: OrganizationUpdateIn
) -> Any:
    actor = actor_of(request)
    organization = selectors.organization_get(actor=actor, organization_id=organization_id)
    services.organization_update(
        actor=actor,
        organization=organization,
        fields=payload.model_dump(exclude_unset=True),  # type: ignore[arg-type]
    )
    return _detail(actor, selectors.organization_get(actor=actor, organization_id=organization_id))


@router.delete(
    "/organizations/{organization_id}",
    response={204: None},
    summary="Delete an organization without history",
)
def delete_organization(request: HttpRequest, organization_id: int) -> Any:
    actor = actor_of(request)
    organization = selectors.organization_get(actor=actor, organization_id=organization_id)
    services.organization_delete(actor=actor, organization=organization)
    return None


def _detail(actor: Any, organization: PartnerOrganization) -> dict[str, Any]:
    children = selectors.organization_children(actor=actor, organization=organization)
    out: dict[str, Any] = dict(selectors.organization_row(organization=organization))
    out["ancestors"] = [
        {"id": o.pk, "name": o.name}
        for o in selectors.organization_ancestors(organization=organization)
    ]
    out["children"] = [{"id": o.pk, "name": o.name} for o in children]
    out["active_people"] = selectors.organization_people_count(organization=organization)
    return out


# --- tiers, regions, specializations ----------------------------------------------------------


@router.get("/tiers", response=list[TierOut], summary="List tiers, lowest rank first")
def list_tiers(request: HttpRequest) -> Any:
    return selectors.tier_list(actor=actor_of(request))


@router.post("/tiers", response={201: TierOut}, summary="Create a tier")
def create_tier(request: HttpRequest, payload: TierIn) -> Any:
    return services.tier_create(actor=actor_of(request), **payload.model_dump())


@router.patch("/tiers/{tier_id}", response=TierOut, summary="Update a tier")
def update_tier(request: HttpRequest, tier_id: int, payload: TierUpdateIn) -> Any:
    actor = actor_of(request)
    tier = selectors.structure_get(actor=actor, model=Tier, pk=tier_id)
    return services.tier_update(
        actor=actor, tier=tier, changes=payload.model_dump(exclude_unset=True)
    )


@router.delete("/tiers/{tier_id}", response={204: None}, summary="Delete an unused tier")
def delete_tier(request: HttpRequest, tier_id: int) -> Any:
    actor = actor_of(request)
    services.structure_delete(
        actor=actor, item=selectors.structure_get(actor=actor, model=Tier, pk=tier_id)
    )
    return None


@router.get("/regions", response=list[RegionOut], summary="List regions")
def list_regions(request: HttpRequest) -> Any:
    return selectors.region_list(actor=actor_of(request))


@router.post("/regions", response={201: RegionOut}, summary="Create a region")
def create_region(request: HttpRequest, payload: RegionIn) -> Any:
    return services.region_create(actor=actor_of(request), **payload.model_dump())


@router.patch("/regions/{region_id}", response=RegionOut, summary="Update a region")
def update_region(request: HttpRequest, region_id: int, payload: RegionUpdateIn) -> Any:
    actor = actor_of(request)
    region = selectors.structure_get(actor=actor, model=Region, pk=region_id)
    return services.region_update(
        actor=actor, region=region, changes=payload.model_dump(exclude_unset=True)
    )


@router.delete("/regions/{region_id}", response={204: None}, summary="Delete an unused region")
def delete_region(request: HttpRequest, region_id: int) -> Any:
    actor = actor_of(request)
    services.structure_delete(
        actor=actor, item=selectors.structure_get(actor=actor, model=Region, pk=region_id)
    )
    return None


@router.get("/specializations", response=list[SpecializationOut], summary="List specializations")
def list_specializations(request: HttpRequest) -> Any:
    return selectors.specialization_list(actor=actor_of(request))


@router.post(
    "/specializations", response={201: SpecializationOut}, summary="Create a specialization"
)
def create_specialization(request: HttpRequest, payload: SpecializationIn) -> Any:
    return services.specialization_create(actor=actor_of(request), **payload.model_dump())


@router.patch(
    "/specializations/{specialization_id}",
    response=SpecializationOut,
    summary="Update a specialization",
)
def update_specialization(
    request: HttpRequest, specialization_id: int, payload: SpecializationUpdateIn
) -> Any:
    actor = actor_of(request)
    item = selectors.structure_get(actor=actor, model=Specialization, pk=specialization_id)
    return services.specialization_update(
        actor=actor,
        specialization=item,
        changes=payload.model_dump(exclude_unset=True),
    )


@router.delete(
    "/specializations/{specialization_id}",
    response={204: None},
    summary="Delete an unused specialization",
)
def delete_specialization(request: HttpRequest, specialization_id: int) -> Any:
    actor = actor_of(request)
    services.structure_delete(
        actor=actor,
        item=selectors.structure_get(actor=actor, model=Specialization, pk=specialization_id),
    )
    return None
