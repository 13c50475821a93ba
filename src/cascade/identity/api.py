"""REST endpoints for people, memberships, invitations, API tokens and the caller's profile.

Each operation: parse -> selector (visibility) -> service (rules, audit) -> schema. Lists use
keyset pagination on ("-id",): newest first, stable while rows are added during paging, and
served by the (tenant, status, id) and primary-key indexes at any size. Clients that want an
alphabetical view sort a page themselves or filter with `q`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cascade.access.actor import ALL_SCOPES, Actor, ActorKind
from cascade.api.auth import actor_of
from cascade.api.schemas import PageOut
from cascade.core.errors import PermissionDenied
from cascade.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, keyset_page
from cascade.identity import selectors, services
from cascade.identity.models import InvitationStatus, MembershipStatus, Person
from cascade.identity.roles import JobRole, Role
from cascade.identity.schemas import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    InvitationCreateIn,
    InvitationOut,
    MembershipCreateIn,
    MembershipEndIn,
    MembershipOut,
    MembershipRejectIn,
    MembershipUpdateIn,
    MeOut,
    PersonDetailOut,
    ProfileUpdateIn,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
)
from cascade.tenancy.models import PartnerOrganization
from cascade.tenancy.selectors import organization_get

router = Router(tags=["people"])

NEWEST_FIRST = ("-id",)


class PageQuery(Schema):
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class PeopleQuery(PageQuery):
    q: str | None = Field(default=None, max_length=200, description="Name or e-mail contains")
    organization_id: int | None = None
    include_suborganizations: bool = Field(
        default=False, description="With organization_id: also its child organizations"
    )
    status: MembershipStatus | None = None
    role: Role | None = None
    job_role: JobRole | None = None
    vendor_staff: bool | None = Field(
        default=None, description="true: vendor staff only; false: partner people only"
    )


class InvitationQuery(PageQuery):
    status: InvitationStatus | None = None


def _organization(actor: Actor, organization_id: int | None) -> PartnerOrganization | None:
    if organization_id is None:
        return None
    return organization_get(actor=actor, organization_id=organization_id)


def person_of(actor: Actor) -> Person:
    """The person behind the call; integration tokens have no profile, inbox or tokens."""
    if actor.person is None:
        raise PermissionDenied(
            "Only a person's token can do this; integration tokens act for the program.",
            code="person_required",
        )
    return actor.person


# --- people and memberships -------------------------------------------------------------------


@router.get(
    "/people",
    response={200: PageOut[MembershipOut], **LIST_ERRORS},
    summary="List people (one row per membership), newest first",
    description=(
        "One row per membership the caller may see, current and past. Ordered by membership id, "
        "newest first: the order is stable while people are added during paging and is served "
        "by an index at any size. Use `q` to find someone by name or e-mail."
    ),
)
def list_people(request: HttpRequest, query: Query[PeopleQuery]) -> Any:
    filters = selectors.MembershipFilters(
        q=query.q,
        organization_id=query.organization_id,
        include_suborganizations=query.include_suborganizations,
        status=query.status,
        role=query.role,
        job_role=query.job_role,
        vendor_staff=query.vendor_staff,
    )
    return selectors.membership_rows(
        actor=actor_of(request), filters=filters, cursor=query.cursor, limit=query.limit
    )


@router.get(
    "/people/{person_id}",
    response={200: PersonDetailOut, **READ_ERRORS},
    summary="Get a person and their membership history in this program",
    description=(
        "Only this program's memberships that the caller may see are listed; a person the caller "
        "can see no membership of is answered with 404."
    ),
)
def get_person(request: HttpRequest, person_id: int) -> Any:
    memberships = selectors.person_memberships(actor=actor_of(request), person_id=person_id)
    person = memberships[0].person
    return {
        "id": person.pk,
        "email": person.email,
        "full_name": person.full_name,
        "memberships": [selectors.membership_row(m) for m in memberships],
    }


@router.post(
    "/memberships",
    response={201: MembershipOut, **WRITE_ERRORS},
    summary="Add a person to a partner organization or to vendor staff",
)
def create_membership(request: HttpRequest, payload: MembershipCreateIn) -> Any:
    actor = actor_of(request)
    membership = services.membership_create(
        actor=actor,
        email=payload.email,
        full_name=payload.full_name,
        organization=_organization(actor, payload.organization_id),
        roles=[role.value for role in payload.roles],
        job_role=payload.job_role.value,
    )
    return Status(201, selectors.membership_row(membership))


@router.get(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **READ_ERRORS},
    summary="Get a membership",
)
def get_membership(request: HttpRequest, membership_id: int) -> Any:
    membership = selectors.membership_get(actor=actor_of(request), membership_id=membership_id)
    return selectors.membership_row(membership)


@router.patch(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Change a membership's roles or job role",
)
def update_membership(request: HttpRequest, membership_id: int, payload: MembershipUpdateIn) -> Any:
    actor = actor_of(request)
    membership = selectors.membership_get(actor=actor, membership_id=membership_id)
    updated = services.membership_update(
        actor=actor,
        membership=membership,
        roles=[role.value for role in payload.roles] if payload.roles is not None else None,
        job_role=payload.job_role.value if payload.job_role is not None else None,
    )
    return selectors.membership_row(updated)


@router.post(
    "/memberships/{membership_id}/end",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="End a membership (the person and their records stay)",
)
def end_membership(request: HttpRequest, membership_id: int, payload: MembershipEndIn) -> Any:
    actor = actor_of(request)
    membership = selectors.membership_get(actor=actor, membership_id=membership_id)
    ended = services.membership_end(
        actor=actor, membership=membership, reason=payload.reason, ended_on=payload.ended_on
    )
    return selectors.membership_row(ended)


@router.post(
    "/memberships/{membership_id}/approve",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Approve a pending self-registration",
)
def approve_membership(request: HttpRequest, membership_id: int) -> Any:
    actor = actor_of(request)
    membership = selectors.membership_get(actor=actor, membership_id=membership_id)
    return selectors.membership_row(services.membership_approve(actor=actor, membership=membership))


@router.post(
    "/memberships/{membership_id}/reject",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Decline a pending self-registration",
)
def reject_membership(request: HttpRequest, membership_id: int, payload: MembershipRejectIn) -> Any:
    actor = actor_of(request)
    membership = selectors.membership_get(actor=actor, membership_id=membership_id)
    rejected = services.membership_reject(actor=actor, membership=membership, reason=payload.reason)
    return selectors.membership_row(rejected)


# --- invitations ------------------------------------------------------------------------------


@router.get(
    "/invitations",
    response={200: PageOut[InvitationOut], **LIST_ERRORS},
    summary="List invitations, newest first",
)
def list_invitations(request: HttpRequest, query: Query[InvitationQuery]) -> Any:
    invitations = selectors.invitation_list(actor=actor_of(request), status=query.status)
    return keyset_page(invitations, ordering=NEWEST_FIRST, cursor=query.cursor, limit=query.limit)


@router.post(
    "/invitations",
    response={201: InvitationOut, **WRITE_ERRORS},
    summary="Invite someone by e-mail to an organization or to vendor staff",
)
def create_invitation(request: HttpRequest, payload: InvitationCreateIn) -> Any:
    actor = actor_of(request)
    invitation = services.invitation_create(
        actor=actor,
        email=payload.email,
        organization=_organization(actor, payload.organization_id),
        roles=[role.value for role in payload.roles],
        job_role=payload.job_role.value,
        message=payload.message,
    )
    return Status(201, invitation)


@router.get(
    "/invitations/{invitation_id}",
    response={200: InvitationOut, **READ_ERRORS},
    summary="Get an invitation",
)
def get_invitation(request: HttpRequest, invitation_id: int) -> Any:
    return selectors.invitation_get(actor=actor_of(request), invitation_id=invitation_id)


@router.post(
    "/invitations/{invitation_id}/resend",
    response={200: InvitationOut, **WRITE_ERRORS},
    summary="Send a fresh link (older links stop working) and extend the expiry",
)
def resend_invitation(request: HttpRequest, invitation_id: int) -> Any:
    actor = actor_of(request)
    invitation = selectors.invitation_get(actor=actor, invitation_id=invitation_id)
    services.invitation_resend(actor=actor, invitation=invitation)
    return selectors.invitation_get(actor=actor, invitation_id=invitation_id)


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, **WRITE_ERRORS},
    summary="Withdraw a pending invitation",
)
def revoke_invitation(request: HttpRequest, invitation_id: int) -> Any:
    actor = actor_of(request)
    invitation = selectors.invitation_get(actor=actor, invitation_id=invitation_id)
    services.invitation_revoke(actor=actor, invitation=invitation)
    return selectors.invitation_get(actor=actor, invitation_id=invitation_id)


# --- API tokens -------------------------------------------------------------------------------


@router.get(
    "/tokens",
    response={200: PageOut[TokenOut], **LIST_ERRORS},
    summary="List your tokens (and integration tokens, for program admins), newest first",
)
def list_tokens(request: HttpRequest, query: Query[PageQuery]) -> Any:
    actor = actor_of(request)
    person_of(actor)
    tokens = selectors.api_token_list(actor=actor).select_related("person")
    return keyset_page(tokens, ordering=NEWEST_FIRST, cursor=query.cursor, limit=query.limit)


@router.post(
    "/tokens",
    response={201: TokenCreatedOut, **WRITE_ERRORS},
    summary="Create a personal or integration token; the secret is shown only in this answer",
    description=(
        "A personal token acts as you and never does more than you may; integration tokens act "
        "for the program (program admins only). Store `secret` now: only its digest is kept."
    ),
)
def create_token(request: HttpRequest, payload: TokenCreateIn) -> Any:
    issued = services.api_token_create(
        actor=actor_of(request),
        kind=payload.kind.value,
        name=payload.name,
        scopes=[scope.value for scope in payload.scopes],
        expires_at=payload.expires_at,
    )
    out = TokenOut.from_orm(issued.token).model_dump()
    return Status(201, {**out, "secret": issued.secret})


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Revoke a token",
)
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    actor = actor_of(request)
    person_of(actor)
    token = selectors.api_token_get(actor=actor, token_id=token_id)
    services.api_token_revoke(actor=actor, token=token)
    return Status(204, None)


# --- the caller -------------------------------------------------------------------------------


@router.get("/me", response={200: MeOut, 401: READ_ERRORS[401]}, summary="Who is calling")
def get_me(request: HttpRequest) -> Any:
    return _me(actor_of(request))


@router.patch(
    "/me",
    response={200: MeOut, **WRITE_ERRORS},
    summary="Change your own name, language or time zone",
)
def update_me(request: HttpRequest, payload: ProfileUpdateIn) -> Any:
    actor = actor_of(request)
    person = services.profile_update(
        person=person_of(actor), **payload.model_dump(exclude_unset=True, exclude_none=True)
    )
    return _me(actor, person)


def _me(actor: Actor, person: Person | None = None) -> dict[str, Any]:
    person = person or actor.person
    membership = actor.membership if actor.is_member else None
    return {
        "kind": "integration" if actor.kind == ActorKind.INTEGRATION else "person",
        "person": person,
        "membership": selectors.membership_row(membership) if membership else None,
        "roles": sorted(actor.roles) if actor.is_member else [],
        "scopes": sorted(actor.scopes if actor.scopes is not None else ALL_SCOPES),
        "token": actor.token,
    }
