"""Summaries for the home pages: counts and short lists, each in a fixed number of queries.

Every number goes through the visibility policy, so a partner admin's home counts only their
organization and the organizations below it, and vendor staff count their whole program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, organizations_visible, require
from cascade.core.errors import NotFound
from cascade.core.pagination import Page, keyset_page
from cascade.identity.models import (
    ApiToken,
    Invitation,
    InvitationStatus,
    Membership,
    MembershipStatus,
    TokenKind,
)
from cascade.identity.selectors import (
    MembershipFilters,
    api_token_list,
    invitation_list,
    membership_list,
    pending_registrations,
)
from cascade.tenancy.models import OrganizationStatus, PartnerOrganization
from cascade.tenancy.selectors import organization_people_count

PARTNER_ORGANIZATIONS_SHOWN = 20
RECENT_INVITATIONS_SHOWN = 5


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int
    value: str = ""


@dataclass(frozen=True)
class VendorHome:
    organizations_total: int
    organizations_by_status: list[CountRow]
    organizations_by_tier: list[CountRow]
    pending_invitations: int
    pending_registrations: int


@dataclass(frozen=True)
class PartnerHome:
    organization: PartnerOrganization
    organizations: Sequence[PartnerOrganization]
    organizations_total: int
    active_people: int
    pending_registrations: int
    recent_invitations: list[Invitation]


def vendor_home(*, actor: Actor) -> VendorHome:
    """The program at a glance for vendor staff."""
    require(actor, Action.ORGANIZATION_VIEW)
    organizations = organizations_visible(actor, PartnerOrganization.objects.all())
    by_status = dict(
        organizations.order_by()
        .values_list("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    status_rows = [
        CountRow(label=str(label), count=by_status.get(value, 0), value=value)
        for value, label in OrganizationStatus.choices
    ]
    tier_rows = [
        CountRow(
            label=row["tier__name"] or "No tier",
            count=row["count"],
            value=str(row["tier_id"] or ""),
        )
        for row in organizations.order_by()
        .values("tier_id", "tier__name", "tier__rank")
        .annotate(count=Count("id"))
        .order_by("-tier__rank", "tier__name")
    ]
    pending_invitations = 0
    registrations = 0
    if can(actor, Action.PEOPLE_VIEW):
        pending_invitations = invitation_list(actor=actor, status=InvitationStatus.PENDING).count()
        registrations = pending_registrations(actor=actor).count()
    return VendorHome(
        organizations_total=sum(by_status.values()),
        organizations_by_status=status_rows,
        organizations_by_tier=tier_rows,
        pending_invitations=pending_invitations,
        pending_registrations=registrations,
    )


def partner_home(*, actor: Actor) -> PartnerHome:
    """A partner admin's or manager's organization, the ones below it, and who is waiting."""
    require(actor, Action.PEOPLE_VIEW)
    organization = actor.membership.organization if actor.membership is not None else None
    if organization is None:
        raise NotFound("This page is for partner organizations.", code="not_partner")
    subtree = organizations_visible(actor, PartnerOrganization.objects.all())
    organizations = list(
        subtree.select_related("tier")
        .annotate(
            active_people=Count(
                "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
            )
        )
        .order_by("depth", "name", "id")[:PARTNER_ORGANIZATIONS_SHOWN]
    )
    return PartnerHome(
        organization=organization,
        organizations=organizations,
        organizations_total=subtree.count(),
        active_people=membership_list(
            actor=actor, filters=MembershipFilters(status=MembershipStatus.ACTIVE)
        ).count(),
        pending_registrations=pending_registrations(actor=actor).count(),
        recent_invitations=list(
            invitation_list(actor=actor).order_by("-created_at", "-id")[:RECENT_INVITATIONS_SHOWN]
        ),
    )


def personal_token_list(*, actor: Actor) -> list[ApiToken]:
    """The actor's own personal tokens, newest first (integration tokens have their own page)."""
    return list(api_token_list(actor=actor).filter(kind=TokenKind.PERSONAL, person=actor.person))


@dataclass(frozen=True)
class OrganizationPeople:
    """An organization's active people as the actor may see them.

    `active_count` is always shown (aggregates are visible to whoever sees the organization);
    `page` holds the individuals the visibility policy lets the actor see, and
    `individuals_hidden` says when the organization shares only aggregates with this actor.
    """

    active_count: int
    page: Page[Membership] | None
    individuals_hidden: bool


def organization_people(
    *, actor: Actor, organization: PartnerOrganization, cursor: str | None, limit: int
) -> OrganizationPeople:
    active_count = organization_people_count(organization=organization)
    if not can(actor, Action.PEOPLE_VIEW):
        return OrganizationPeople(active_count=active_count, page=None, individuals_hidden=False)
    visible = membership_list(
        actor=actor,
        filters=MembershipFilters(organization_id=organization.pk, status=MembershipStatus.ACTIVE),
    )
    page = keyset_page(visible, ordering=("person__full_name", "id"), cursor=cursor, limit=limit)
    hidden = active_count > 0 and not page.items and cursor is None
    return OrganizationPeople(
        active_count=active_count, page=None if hidden else page, individuals_hidden=hidden
    )
