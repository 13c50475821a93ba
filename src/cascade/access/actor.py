"""The actor: who is making a request inside a tenant, resolved once per request or task."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from cascade.identity.models import ApiToken, Membership, MembershipStatus, Person
from cascade.identity.roles import Role
from cascade.tenancy.models import Tenant


class ActorKind(StrEnum):
    ANONYMOUS = "anonymous"
    PERSON = "person"
    INTEGRATION = "integration"
    SYSTEM = "system"


class Scope(StrEnum):
    """API token scopes. A token can never do more than its owner could."""

    ORGANIZATIONS_READ = "organizations:read"
    ORGANIZATIONS_WRITE = "organizations:write"
    PEOPLE_READ = "people:read"
    PEOPLE_WRITE = "people:write"
    INVITATIONS_WRITE = "invitations:write"
    AUDIT_READ = "audit:read"
    CATALOG_READ = "catalog:read"
    CATALOG_WRITE = "catalog:write"
    LEARNING_READ = "learning:read"
    LEARNING_WRITE = "learning:write"
    ASSESSMENTS_READ = "assessments:read"
    ASSESSMENTS_WRITE = "assessments:write"


ALL_SCOPES = frozenset(Scope)


@dataclass(frozen=True)
class Actor:
    tenant: Tenant
    kind: ActorKind
    person: Person | None = None
    membership: Membership | None = None
    token: ApiToken | None = None
    # None: not limited by a token (a browser session or the system itself).
    scopes: frozenset[str] | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        if self.kind == ActorKind.INTEGRATION and self.token is not None:
            return f"integration:{self.token.name}"
        if self.person is not None:
            return self.person.email
        return str(self.kind)

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.status == MembershipStatus.ACTIVE

    @property
    def is_vendor_staff(self) -> bool:
        return self.is_member and self.membership is not None and self.membership.is_vendor_staff

    @property
    def organization_id(self) -> int | None:
        if self.is_member and self.membership is not None:
            return self.membership.organization_id
        return None

    def has_role(self, role: Role | str) -> bool:
        return self.is_member and role in self.roles

    def allows(self, scope: Scope) -> bool:
        return self.scopes is None or scope in self.scopes


def actor_for_person(
    *, tenant: Tenant, person: Person | None, token: ApiToken | None = None
) -> Actor:
    """The person's current membership in the tenant decides their roles there.

    A pending membership (self-registration awaiting approval) grants nothing yet.
    """
    scopes = frozenset(token.scopes) if token is not None else None
    if person is None or not person.is_active:
        return Actor(tenant=tenant, kind=ActorKind.ANONYMOUS, scopes=scopes)
    # With what nearly every page shows or judges by: the person, the organization, its tier.
    membership = (
        Membership.unscoped.select_related("person", "organization__tier")
        .filter(
            tenant=tenant,
            person=person,
            status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING],
        )
        .first()
    )
    roles = frozenset(membership.role_list) if membership is not None else frozenset()
    return Actor(
        tenant=tenant,
        kind=ActorKind.PERSON,
        person=person,
        membership=membership,
        token=token,
        scopes=scopes,
        roles=roles,
    )


def actor_for_integration(*, tenant: Tenant, token: ApiToken) -> Actor:
    return Actor(
        tenant=tenant,
        kind=ActorKind.INTEGRATION,
        token=token,
        scopes=frozenset(token.scopes),
    )


def system_actor(tenant: Tenant) -> Actor:
    """Cascade itself (scheduled tasks, consumers, seeding): sees the whole tenant."""
    return Actor(tenant=tenant, kind=ActorKind.SYSTEM)
