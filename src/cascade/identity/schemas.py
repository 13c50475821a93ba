"""API schemas for people, memberships, invitations, API tokens and the caller's own profile.

Outputs never carry secrets: an invitation's signed link (or its nonce) is not part of any
schema, and an API token's secret appears only in the response that creates it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from cascade.access.actor import Scope
from cascade.api.schemas import Input, Out, ProblemOut
from cascade.identity.models import InvitationStatus, MembershipStatus, TokenKind
from cascade.identity.roles import JobRole, Role
from cascade.tenancy.schemas import OrganizationRef

# Documented error answers, all application/problem+json (see cascade.api.problems).
READ_ERRORS: dict[int, type[Schema]] = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut}
LIST_ERRORS: dict[int, type[Schema]] = {401: ProblemOut, 403: ProblemOut, 422: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ProblemOut,
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    409: ProblemOut,
    422: ProblemOut,
}

Email = Field(min_length=3, max_length=254, description="An e-mail address")
RoleList = Field(min_length=1, max_length=len(Role), description="At least one role")


class PersonRef(Out):
    id: int
    email: str
    full_name: str


class MembershipSummaryOut(Out):
    """One affiliation of a person: where, with which roles, and when."""

    id: int
    organization: OrganizationRef | None
    vendor_staff: bool
    roles: list[Role]
    job_role: JobRole
    status: MembershipStatus
    started_on: date
    ended_on: date | None
    end_reason: str
    created_at: datetime


class MembershipOut(MembershipSummaryOut):
    person: PersonRef


class PersonDetailOut(Schema):
    id: int
    email: str
    full_name: str
    memberships: list[MembershipSummaryOut] = Field(
        description="This program's memberships of the person you may see, newest first"
    )


class MembershipCreateIn(Input):
    email: str = Email
    full_name: str = Field(min_length=1, max_length=150)
    organization_id: int | None = Field(
        description="The partner organization, or null to add vendor staff"
    )
    roles: list[Role] = RoleList
    job_role: JobRole = JobRole.OTHER


class MembershipUpdateIn(Input):
    """Partial update: only fields present in the body change."""

    roles: list[Role] | None = Field(default=None, min_length=1, max_length=len(Role))
    job_role: JobRole | None = None


class MembershipEndIn(Input):
    """Every field is optional; send {} to end today with the default reason."""

    reason: str = Field(default="", max_length=200)
    ended_on: date | None = Field(default=None, description="Defaults to today")


class MembershipRejectIn(Input):
    """Send {} to decline with the default reason."""

    reason: str = Field(default="", max_length=200)


class InvitationOut(Schema):
    id: int
    email: str
    organization: OrganizationRef | None
    roles: list[Role]
    job_role: JobRole
    status: InvitationStatus
    message: str
    invited_by: PersonRef | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None

    @staticmethod
    def resolve_roles(obj: object) -> list[str]:
        return list(obj.role_list)  # type: ignore[attr-defined]


class InvitationCreateIn(Input):
    email: str = Email
    organization_id: int | None = Field(
        description="The partner organization, or null to invite vendor staff"
    )
    roles: list[Role] = RoleList
    job_role: JobRole = JobRole.OTHER
    message: str = Field(default="", max_length=1000)


class TokenOut(Schema):
    id: int
    kind: TokenKind
    name: str
    prefix: str
    scopes: list[Scope]
    person: PersonRef | None = Field(description="The person a personal token acts as")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="The bearer token. Shown once: only a digest is stored.")


class TokenCreateIn(Input):
    kind: TokenKind = TokenKind.PERSONAL
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(min_length=1, max_length=len(Scope))
    expires_at: datetime | None = None


class ProfileOut(Schema):
    id: int
    email: str
    full_name: str
    preferred_locale: str
    time_zone: str


class TokenRef(Schema):
    id: int
    kind: TokenKind
    name: str


class MeOut(Schema):
    kind: Literal["person", "integration"]
    person: ProfileOut | None
    membership: MembershipSummaryOut | None
    roles: list[Role]
    scopes: list[Scope] = Field(description="What the token used for this call allows")
    token: TokenRef | None


class ProfileUpdateIn(Input):
    """Partial update of the caller's own profile."""

    full_name: str | None = Field(default=None, min_length=1, max_length=150)
    preferred_locale: str | None = Field(default=None, max_length=12)
    time_zone: str | None = Field(default=None, max_length=64)
