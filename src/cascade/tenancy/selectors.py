"""Reads of the partner program's structure, always through the visibility policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet

from cascade.access.actor import Actor
from cascade.access.policies import Action, organizations_visible, require
from cascade.core.errors import NotFound
from cascade.core.generations import generation_cached
from cascade.core.pagination import Page, keyset_page
from cascade.identity.models import MembershipStatus
from cascade.tenancy.models import (
    OrganizationDomain,
    PartnerOrganization,
    Region,
    Specialization,
    Tier,
)


@dataclass(frozen=True)
class OrganizationFilters:
    q: str | None = None
    tier_id: int | None = None
    region_id: int | None = None
    country: str | None = None
    business_model: str | None = None
    status: str | None = None
    specialization_id: int | None = None
    parent_id: int | None = None
    root_only: bool = False


def organization_list(
    *, actor: Actor, filters: OrganizationFilters | None = None
) -> QuerySet[PartnerOrganization]:
    """Organizations the actor may see, filtered; related rows are loaded in a fixed number of
    queries whatever the page size."""
    require(actor, Action.ORGANIZATION_VIEW)
    filters = filters or OrganizationFilters()
    organizations = organizations_visible(actor, PartnerOrganization.objects.all())
    if filters.q:
        organizations = organizations.filter(
            Q(name__icontains=filters.q) | Q(email_domains__domain__iexact=filters.q.lower())
        ).distinct()
    if filters.tier_id is not None:
        organizations = organizations.filter(tier_id=filters.tier_id)
    if filters.region_id is not None:
        organizations = organizations.filter(region_id=filters.region_id)
    if filters.country:
        organizations = organizations.filter(country=filters.country.upper())
    if filters.business_model:
        organizations = organizations.filter(business_model=filters.business_model)
    if filters.status:
        organizations = organizations.filter(status=filters.status)
    if filters.specialization_id is not None:
        organizations = organizations.filter(specializations__id=filters.specialization_id)
    if filters.parent_id is not None:
        organizations = organizations.filter(parent_id=filters.parent_id)
    if filters.root_only:
        organizations = organizations.filter(parent__isnull=True)
    return organizations.select_related("tier", "region", "parent").prefetch_related(
        Prefetch("specializations", queryset=Specialization.objects.order_by("name")),
        Prefetch("email_domains", queryset=OrganizationDomain.objects.order_by("domain")),
    )


class OrganizationRow(TypedDict):
    """An organization as lists show it, built from plain rows rather than model instances: a
    page of 50 costs three queries and no ORM object construction."""

    id: int
    name: str
    parent: dict[str, Any] | None
    depth: int
    tier: dict[str, Any] | None
    business_model: str
    region: dict[str, Any] | None
    country: str
    specializations: list[dict[str, Any]]
    status: str
    joined_on: date | None
    vendor_data_access: str
    allow_parent_assignment: bool
    email_domains: list[str]
    created_at: datetime
    updated_at: datetime


_ROW_FIELDS = (
    "id",
    "name",
    "parent_id",
    "parent__name",
    "depth",
    "tier_id",
    "tier__name",
    "tier__rank",
    "business_model",
    "region_id",
    "region__name",
    "region__code",
    "country",
    "status",
    "joined_on",
    "vendor_data_access",
    "allow_parent_assignment",
    "created_at",
    "updated_at",
)


def organization_rows(
    *, actor: Actor, filters: OrganizationFilters | None = None, cursor: str | None, limit: int
) -> Page[OrganizationRow]:
    """One page of visible organizations by name, as rows (see OrganizationRow)."""
    organizations = organization_list(actor=actor, filters=filters).prefetch_related(None)
    page = keyset_page(
        organizations.select_related(None).values(*_ROW_FIELDS),
        ordering=("name", "id"),
        cursor=cursor,
        limit=limit,
    )
    return Page(items=_shape_rows(page.items), next_cursor=page.next_cursor)


def organization_specialization_ids(organization: PartnerOrganization) -> frozenset[int]:
    """The organization's specializations (what audience rules judge its people by), cached
    until `organization_create` or `organization_update` sets them."""
    return generation_cached(
        specializations_family(organization.pk),
        organization.tenant_id,
        "ids",
        lambda: frozenset(organization.specializations.values_list("pk", flat=True)),
        seconds=SPECIALIZATIONS_SECONDS,
    )


SPECIALIZATIONS_SECONDS = 600


def specializations_family(organization_id: int) -> str:
    return f"tenancy:specializations:{organization_id}"


def organization_row(*, organization: PartnerOrganization) -> OrganizationRow:
    """The row of one organization already loaded through a visible queryset."""
    rows = PartnerOrganization.objects.filter(pk=organization.pk).values(*_ROW_FIELDS)
    return _shape_rows(list(rows))[0]


def _shape_rows(rows: list[dict[str, Any]]) -> list[OrganizationRow]:
    ids = [row["id"] for row in rows]
    specializations: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    through = PartnerOrganization.specializations.through.objects.filter(
        partnerorganization_id__in=ids
    ).order_by("specialization__name", "specialization_id")
    for organization_id, pk, name, code in through.values_list(
        "partnerorganization_id",
        "specialization_id",
        "specialization__name",
        "specialization__code",
    ):
        specializations[organization_id].append({"id": pk, "name": name, "code": code})
    domains: dict[int, list[str]] = {i: [] for i in ids}
    for organization_id, domain in (
        OrganizationDomain.objects.filter(organization_id__in=ids)
        .order_by("domain")
        .values_list("organization_id", "domain")
    ):
        domains[organization_id].append(domain)
    return [
        OrganizationRow(
            id=row["id"],
            name=row["name"],
            parent=_ref(row["parent_id"], name=row["parent__name"]),
            depth=row["depth"],
            tier=_ref(row["tier_id"], name=row["tier__name"], rank=row["tier__rank"]),
            business_model=row["business_model"],
            region=_ref(row["region_id"], name=row["region__name"], code=row["region__code"]),
            country=row["country"],
            specializations=specializations[row["id"]],
            status=row["status"],
            joined_on=row["joined_on"],
            vendor_data_access=row["vendor_data_access"],
            allow_parent_assignment=row["allow_parent_assignment"],
            email_domains=domains[row["id"]],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
        for row in rows
    ]


def _ref(pk: int | None, **fields: Any) -> dict[str, Any] | None:
    return None if pk is None else {"id": pk, **fields}


def organization_get(*, actor: Actor, organization_id: int) -> PartnerOrganization:
    organization = organization_list(actor=actor).filter(pk=organization_id).first()
    if organization is None:
        raise NotFound("No such organization.", code="organization_not_found")
    return organization


def organization_ancestors(*, organization: PartnerOrganization) -> list[PartnerOrganization]:
    """From the root down to the direct parent, in one query (the path holds every id)."""
    ids = [int(part) for part in organization.path.strip("/").split("/")[:-1] if part]
    found = {o.pk: o for o in PartnerOrganization.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def organization_children(
    *, actor: Actor, organization: PartnerOrganization
) -> QuerySet[PartnerOrganization]:
    return (
        organizations_visible(actor, PartnerOrganization.objects.filter(parent=organization))
        .select_related("tier")
        .annotate(
            active_people=Count(
                "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
            )
        )
        .order_by("name", "id")
    )


def organization_people_count(*, organization: PartnerOrganization) -> int:
    """Aggregates are always visible to those who see the organization, whatever its sharing."""
    return organization.memberships.filter(status=MembershipStatus.ACTIVE).count()


def tier_list(*, actor: Actor) -> QuerySet[Tier]:
    require(actor, Action.ORGANIZATION_VIEW)
    return Tier.objects.all().order_by("rank")


def region_list(*, actor: Actor) -> QuerySet[Region]:
    require(actor, Action.ORGANIZATION_VIEW)
    return Region.objects.all().order_by("name", "id")


def specialization_list(*, actor: Actor) -> QuerySet[Specialization]:
    require(actor, Action.ORGANIZATION_VIEW)
    return Specialization.objects.all().order_by("name", "id")


StructureItem = TypeVar("StructureItem", Tier, Region, Specialization)


def structure_get(*, actor: Actor, model: type[StructureItem], pk: int) -> StructureItem:
    require(actor, Action.ORGANIZATION_VIEW)
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No such {model._meta.verbose_name}.")
    return found
