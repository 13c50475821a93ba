"""Reads of the partner program's structure, always through the visibility policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet

from cascade.access.actor import Actor
from cascade.access.policies import Action, organizations_visible, require
from cascade.core.errors import NotFound
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
