"""Reads about people, memberships, invitations and tokens, always through the visibility policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict

from django.db.models import Q, QuerySet

from cascade.access.actor import Actor
from cascade.access.policies import (
    Action,
    can,
    memberships_visible,
    organizations_visible,
    require,
    sees_whole_tenant,
)
from cascade.core.errors import NotFound
from cascade.core.pagination import Page, keyset_page
from cascade.identity.models import ApiToken, Invitation, Membership, MembershipStatus, TokenKind
from cascade.tenancy.models import PartnerOrganization


@dataclass(frozen=True)
class MembershipFilters:
    q: str | None = None
    organization_id: int | None = None
    include_suborganizations: bool = False
    status: str | None = None
    role: str | None = None
    job_role: str | None = None
    vendor_staff: bool | None = None


def membership_list(
    *, actor: Actor, filters: MembershipFilters | None = None
) -> QuerySet[Membership]:
    """Memberships the actor may see (the people list: one row per person and affiliation)."""
    require(actor, Action.PEOPLE_VIEW)
    filters = filters or MembershipFilters()
    memberships = memberships_visible(actor, Membership.objects.all())
    if filters.organization_id is not None:
        if filters.include_suborganizations:
            organization = PartnerOrganization.objects.filter(pk=filters.organization_id).first()
            path = organization.path if organization else "//"
            memberships = memberships.filter(
                organization_id__in=PartnerOrganization.objects.filter(
                    path__startswith=path
                ).values("id")
            )
        else:
            memberships = memberships.filter(organization_id=filters.organization_id)
    if filters.vendor_staff is not None:
        memberships = memberships.filter(organization__isnull=filters.vendor_staff)
    if filters.status:
        memberships = memberships.filter(status=filters.status)
    if filters.role:
        memberships = memberships.filter(Membership.role_filter(filters.role))
    if filters.job_role:
        memberships = memberships.filter(job_role=filters.job_role)
    if filters.q:
        memberships = memberships.filter(
            Q(person__email__icontains=filters.q) | Q(person__full_name__icontains=filters.q)
        )
    return memberships.select_related("person", "organization")


class MembershipRow(TypedDict):
    """A membership as the API shows it, built from plain rows for lists (no model objects)."""

    id: int
    person: dict[str, Any]
    organization: dict[str, Any] | None
    vendor_staff: bool
    roles: list[str]
    job_role: str
    status: str
    started_on: date
    ended_on: date | None
    end_reason: str
    created_at: datetime


_MEMBERSHIP_ROW_FIELDS = (
    "id",
    "person_id",
    "person__email",
    "person__full_name",
    "organization_id",
    "organization__name",
    "roles",
    "job_role",
    "status",
    "started_on",
    "ended_on",
    "end_reason",
    "created_at",
)


def membership_rows(
    *, actor: Actor, filters: MembershipFilters | None = None, cursor: str | None, limit: int
) -> Page[MembershipRow]:
    """One page of visible memberships, newest first, as rows."""
    memberships = membership_list(actor=actor, filters=filters).select_related(None)
    page = keyset_page(
        memberships.values(*_MEMBERSHIP_ROW_FIELDS), ordering=("-id",), cursor=cursor, limit=limit
    )
    return Page(items=[_membership_row(row) for row in page.items], next_cursor=page.next_cursor)


def membership_row(membership: Membership) -> MembershipRow:
    """The row of a membership already loaded (with its person and organization)."""
    organization = membership.organization
    return _membership_row(
        {
            "id": membership.pk,
            "person_id": membership.person.pk,
            "person__email": membership.person.email,
            "person__full_name": membership.person.full_name,
            "organization_id": organization.pk if organization else None,
            "organization__name": organization.name if organization else None,
            "roles": membership.roles,
            "job_role": membership.job_role,
            "status": membership.status,
            "started_on": membership.started_on,
            "ended_on": membership.ended_on,
            "end_reason": membership.end_reason,
            "created_at": membership.created_at,
        }
    )


def _membership_row(row: dict[str, Any]) -> MembershipRow:
    organization_id = row["organization_id"]
    return MembershipRow(
        id=row["id"],
        person={
            "id": row["person_id"],
            "email": row["person__email"],
            "full_name": row["person__full_name"],
        },
        organization=None
        if organization_id is None
        else {"id": organization_id, "name": row["organization__name"]},
        vendor_staff=organization_id is None,
        roles=[role for role in row["roles"].split(",") if role],
        job_role=row["job_role"],
        status=row["status"],
        started_on=row["started_on"],
        ended_on=row["ended_on"],
        end_reason=row["end_reason"],
        created_at=row["created_at"],
    )


def membership_get(*, actor: Actor, membership_id: int) -> Membership:
    membership = membership_list(actor=actor).filter(pk=membership_id).first()
    if membership is None:
        raise NotFound("No such membership.", code="membership_not_found")
    return membership


def person_memberships(*, actor: Actor, person_id: int) -> list[Membership]:
    """A person's history in this program (current and past memberships the actor may see)."""
    memberships = list(
        membership_list(actor=actor).filter(person_id=person_id).order_by("-started_on", "-id")
    )
    if not memberships:
        raise NotFound("No such person.", code="person_not_found")
    return memberships


def pending_registrations(*, actor: Actor) -> QuerySet[Membership]:
    return membership_list(actor=actor, filters=MembershipFilters(status=MembershipStatus.PENDING))


def invitation_list(*, actor: Actor, status: str | None = None) -> QuerySet[Invitation]:
    """Invitations to organizations the actor may invite into (program admins also see staff)."""
    require(actor, Action.PEOPLE_VIEW)
    invitations = Invitation.objects.select_related("organization", "invited_by")
    if not sees_whole_tenant(actor):
        invitations = invitations.filter(
            organization__in=organizations_visible(actor, PartnerOrganization.objects.all())
        )
    if status:
        invitations = invitations.filter(status=status)
    return invitations


def invitation_get(*, actor: Actor, invitation_id: int) -> Invitation:
    invitation = invitation_list(actor=actor).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound("No such invitation.", code="invitation_not_found")
    return invitation


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own tokens, plus integration tokens for those who manage them."""
    if actor.person is None:
        raise NotFound("Not found.")
    condition = Q(person=actor.person)
    if can(actor, Action.INTEGRATION_TOKEN_MANAGE):
        condition |= Q(kind=TokenKind.INTEGRATION)
    return ApiToken.objects.filter(condition).order_by("-created_at", "-id")


def api_token_get(*, actor: Actor, token_id: int) -> ApiToken:
    token = api_token_list(actor=actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound("No such token.", code="token_not_found")
    return token
