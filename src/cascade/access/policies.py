"""What an actor may see and do. Every list and every write goes through this module.

Visibility rules (the product brief's, in one place):
- learners see themselves and their own organization;
- partner managers and partner admins see their organization and every organization below it;
- vendor staff see their whole tenant, except that the individual people of an organization whose
  `vendor_data_access` is "aggregates" are hidden from them (counts stay available);
- integration tokens act as the vendor program, limited by their scopes;
- the system actor (tasks, consumers) sees the tenant.
Nobody ever sees another tenant: the tenant scope filters every query before these rules apply.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from cascade.access.actor import Actor, ActorKind, Scope
from cascade.core.errors import NotFound, PermissionDenied
from cascade.identity.models import Membership, Person
from cascade.identity.roles import PARTNER_ROLES, Role
from cascade.tenancy.models import PartnerOrganization, VendorDataAccess


class Action(StrEnum):
    ORGANIZATION_VIEW = "organization.view"
    ORGANIZATION_CREATE = "organization.create"
    ORGANIZATION_UPDATE = "organization.update"
    ORGANIZATION_UPDATE_SETTINGS = "organization.update_settings"
    ORGANIZATION_DELETE = "organization.delete"
    PROGRAM_STRUCTURE_MANAGE = "program_structure.manage"  # tiers, regions, specializations
    PEOPLE_VIEW = "people.view"
    MEMBERSHIP_MANAGE = "membership.manage"
    INVITATION_CREATE = "invitation.create"
    AUDIT_VIEW = "audit.view"
    INTEGRATION_TOKEN_MANAGE = "integration_token.manage"
    PROGRAM_SETTINGS_MANAGE = "program_settings.manage"  # the tenant's name, brand, languages
    CATALOG_AUTHOR = "catalog.author"  # write content and the audiences that segregate it
    CATALOG_REVIEW = "catalog.review"  # approve or send back content in review
    CATALOG_TRANSLATE = "catalog.translate"  # write translations of content (transcreation)
    CATALOG_BROWSE = "catalog.browse"  # read the learner catalog (what one's audiences admit)
    CATALOG_STUDIO_VIEW = "catalog.studio_view"  # read working copies, audiences, the library
    LEARNING_RULES_VIEW = "learning.rules_view"  # read the assignment rules (vendor staff)
    LEARNING_ASSIGN = "learning.assign"  # assign catalog items to someone (target: a membership)
    LEARNING_RULES_MANAGE = "learning.rules_manage"  # the vendor's dynamic assignment rules
    # Read learning progress: a partner manager their people's, vendor staff the program's
    # (individuals only where the organization shares them; aggregates everywhere).
    LEARNING_PROGRESS_VIEW = "learning.progress_view"
    ONBOARDING_VIEW = "onboarding.view"  # onboarding programs and the status by organization
    ONBOARDING_MANAGE = "onboarding.manage"  # write onboarding programs, phases and milestones
    ONBOARDING_EVENT_REPORT = "onboarding.event_report"  # the PRM reports business events
    # The competency framework, question banks and items (their answer keys included).
    ASSESSMENT_AUTHOR = "assessment.author"
    ASSESSMENT_VIEW = "assessment.view"  # read banks and items as authors see them
    ASSESSMENT_TAKE = "assessment.take"  # take published exams (one's own attempts)
    ASSESSMENT_GRADE = "assessment.grade"  # grade evidence in the graders' queue
    ASSESSMENT_RESULTS_VIEW = "assessment.results_view"  # everyone's attempts and item analysis


_SCOPE_FOR_ACTION: dict[Action, Scope] = {
    Action.ORGANIZATION_VIEW: Scope.ORGANIZATIONS_READ,
    Action.ORGANIZATION_CREATE: Scope.ORGANIZATIONS_WRITE,
    Action.ORGANIZATION_UPDATE: Scope.ORGANIZATIONS_WRITE,
    Action.ORGANIZATION_UPDATE_SETTINGS: Scope.ORGANIZATIONS_WRITE,
    Action.ORGANIZATION_DELETE: Scope.ORGANIZATIONS_WRITE,
    Action.PROGRAM_STRUCTURE_MANAGE: Scope.ORGANIZATIONS_WRITE,
    Action.PEOPLE_VIEW: Scope.PEOPLE_READ,
    Action.MEMBERSHIP_MANAGE: Scope.PEOPLE_WRITE,
    Action.INVITATION_CREATE: Scope.INVITATIONS_WRITE,
    Action.AUDIT_VIEW: Scope.AUDIT_READ,
    Action.CATALOG_AUTHOR: Scope.CATALOG_WRITE,
    Action.CATALOG_REVIEW: Scope.CATALOG_WRITE,
    Action.CATALOG_TRANSLATE: Scope.CATALOG_WRITE,
    Action.CATALOG_BROWSE: Scope.CATALOG_READ,
    Action.CATALOG_STUDIO_VIEW: Scope.CATALOG_READ,
    Action.LEARNING_RULES_VIEW: Scope.LEARNING_READ,
    Action.LEARNING_ASSIGN: Scope.LEARNING_WRITE,
    Action.LEARNING_RULES_MANAGE: Scope.LEARNING_WRITE,
    Action.LEARNING_PROGRESS_VIEW: Scope.LEARNING_READ,
    Action.ONBOARDING_VIEW: Scope.LEARNING_READ,
    Action.ONBOARDING_MANAGE: Scope.LEARNING_WRITE,
    Action.ONBOARDING_EVENT_REPORT: Scope.LEARNING_WRITE,
    Action.ASSESSMENT_AUTHOR: Scope.ASSESSMENTS_WRITE,
    Action.ASSESSMENT_VIEW: Scope.ASSESSMENTS_READ,
    Action.ASSESSMENT_TAKE: Scope.ASSESSMENTS_WRITE,
    Action.ASSESSMENT_GRADE: Scope.ASSESSMENTS_WRITE,
    Action.ASSESSMENT_RESULTS_VIEW: Scope.ASSESSMENTS_READ,
}


# What only a signed-in program admin may do, never an integration token.
# An exam is taken by a person: an integration has nobody to take it for.
_PEOPLE_ONLY_ACTIONS = frozenset(
    {Action.INTEGRATION_TOKEN_MANAGE, Action.PROGRAM_SETTINGS_MANAGE, Action.ASSESSMENT_TAKE}
)


def is_program_admin(actor: Actor) -> bool:
    return actor.kind == ActorKind.SYSTEM or (
        actor.is_vendor_staff and actor.has_role(Role.PROGRAM_ADMIN)
    )


def sees_whole_tenant(actor: Actor) -> bool:
    return actor.kind in (ActorKind.SYSTEM, ActorKind.INTEGRATION) or actor.is_vendor_staff


def is_partner_admin(actor: Actor) -> bool:
    return actor.is_member and not actor.is_vendor_staff and actor.has_role(Role.PARTNER_ADMIN)


def manages_partner_people(actor: Actor) -> bool:
    return (
        actor.is_member
        and not actor.is_vendor_staff
        and (actor.has_role(Role.PARTNER_ADMIN) or actor.has_role(Role.PARTNER_MANAGER))
    )


def _organization_path(actor: Actor) -> str | None:
    membership = actor.membership
    if membership is None or membership.organization is None:
        return None
    return membership.organization.path


# --- visibility -------------------------------------------------------------------------------


def organizations_visible(
    actor: Actor, queryset: QuerySet[PartnerOrganization]
) -> QuerySet[PartnerOrganization]:
    if not actor.allows(Scope.ORGANIZATIONS_READ):
        return queryset.none()
    if sees_whole_tenant(actor):
        return queryset
    path = _organization_path(actor)
    if path is None or not actor.is_member:
        return queryset.none()
    if manages_partner_people(actor):
        return queryset.filter(path__startswith=path)
    return queryset.filter(pk=actor.organization_id or 0)


def memberships_visible(actor: Actor, queryset: QuerySet[Membership]) -> QuerySet[Membership]:
    if not actor.allows(Scope.PEOPLE_READ):
        return queryset.none()
    if actor.kind == ActorKind.SYSTEM:
        return queryset
    if actor.kind == ActorKind.INTEGRATION or actor.is_vendor_staff:
        return queryset.filter(
            Q(organization__isnull=True)
            | Q(organization__vendor_data_access=VendorDataAccess.INDIVIDUALS)
        )
    path = _organization_path(actor)
    if path is None or not actor.is_member:
        return queryset.none()
    if manages_partner_people(actor):
        return queryset.filter(organization_id__in=_subtree_ids(path))
    return queryset.filter(person_id=actor.person.pk if actor.person else 0)


def _subtree_ids(path: str) -> QuerySet[PartnerOrganization, int]:
    """Ids of the organization at `path` and all below it, as a subquery.

    Filtering memberships by `organization_id IN (subquery)` rather than joining on the path lets
    the database walk the membership index in page order and stop after one page, instead of
    joining every membership of a large distributor first.
    """
    return PartnerOrganization.objects.filter(path__startswith=path).values("id")


def people_visible(actor: Actor, queryset: QuerySet[Person]) -> QuerySet[Person]:
    """People reachable through a membership the actor may see (current or past)."""
    memberships = memberships_visible(actor, Membership.objects.all())
    return queryset.filter(pk__in=memberships.values("person_id"))


# --- abilities --------------------------------------------------------------------------------


def can(actor: Actor, action: Action, target: object | None = None) -> bool:
    """Whether `actor` may perform `action` (on `target`, when the action concerns one object).

    Callers must already have loaded `target` through a visible queryset: `can` decides what may
    be done with something the actor can see, not whether it exists.
    """
    scope = _SCOPE_FOR_ACTION.get(action)
    if scope is not None and not actor.allows(scope):
        return False
    if actor.kind == ActorKind.ANONYMOUS:
        return False
    if actor.kind == ActorKind.INTEGRATION:
        return action not in _PEOPLE_ONLY_ACTIONS
    if actor.kind == ActorKind.SYSTEM or is_program_admin(actor):
        return True
    match action:
        case Action.ORGANIZATION_VIEW:
            return actor.is_member
        case Action.PEOPLE_VIEW:
            return actor.is_vendor_staff or manages_partner_people(actor)
        case Action.CATALOG_AUTHOR | Action.ASSESSMENT_AUTHOR:
            return actor.is_vendor_staff and actor.has_role(Role.CONTENT_AUTHOR)
        case Action.ASSESSMENT_VIEW | Action.ASSESSMENT_GRADE | Action.ASSESSMENT_RESULTS_VIEW:
            # Items hold their answer keys, and attempts people's results: vendor staff who
            # write or review content only.
            return actor.is_vendor_staff and (
                actor.has_role(Role.CONTENT_AUTHOR) or actor.has_role(Role.REVIEWER)
            )
        case Action.ASSESSMENT_TAKE:
            return actor.is_member and actor.person is not None
        case Action.CATALOG_REVIEW:
            return actor.is_vendor_staff and actor.has_role(Role.REVIEWER)
        case Action.CATALOG_TRANSLATE:
            return actor.is_vendor_staff and (
                actor.has_role(Role.TRANSLATOR) or actor.has_role(Role.CONTENT_AUTHOR)
            )
        case Action.CATALOG_BROWSE:
            # What a member finds is then limited by their audiences (catalog selectors).
            return actor.is_member
        case Action.CATALOG_STUDIO_VIEW:
            # Drafts are read by whoever writes, reviews or translates them.
            return actor.is_vendor_staff and any(
                actor.has_role(role)
                for role in (Role.CONTENT_AUTHOR, Role.REVIEWER, Role.TRANSLATOR)
            )
        case Action.LEARNING_RULES_VIEW:
            return actor.is_vendor_staff
        case Action.ONBOARDING_VIEW:
            return actor.is_vendor_staff
        case Action.LEARNING_ASSIGN:
            return _may_assign_to(actor, target)
        case Action.LEARNING_PROGRESS_VIEW:
            return actor.is_vendor_staff or manages_partner_people(actor)
        case Action.ORGANIZATION_UPDATE_SETTINGS:
            return (
                is_partner_admin(actor)
                and isinstance(target, PartnerOrganization)
                and target.pk == actor.organization_id
            )
        case Action.MEMBERSHIP_MANAGE | Action.INVITATION_CREATE:
            return is_partner_admin(actor) and _within_own_subtree(actor, target)
        case _:
            return False


class _VendorStaff:
    def __repr__(self) -> str:
        return "VENDOR_STAFF"


# The target of MEMBERSHIP_MANAGE / INVITATION_CREATE when the membership or invitation has no
# organization. Vendor staff see the whole tenant, so only program admins add or invite them;
# `None` keeps meaning "in general" (may this actor invite anyone at all?).
VENDOR_STAFF = _VendorStaff()


def _may_assign_to(actor: Actor, target: object | None) -> bool:
    """Partner managers and admins assign learning to the people of their own organization, and
    to those of an organization below it that lets its parent assign (`allow_parent_assignment`).
    `None` asks whether the actor may assign to anyone at all."""
    if not manages_partner_people(actor):
        return False
    if target is None:
        return True
    if not isinstance(target, Membership) or target.organization is None:
        return False
    organization = target.organization
    if organization.pk == actor.organization_id:
        return True
    path = _organization_path(actor)
    return (
        path is not None
        and organization.path.startswith(path)
        and organization.allow_parent_assignment
    )


def _within_own_subtree(actor: Actor, target: object | None) -> bool:
    path = _organization_path(actor)
    if path is None or target is VENDOR_STAFF:
        return False
    if target is None:
        return True
    organization = target.organization if isinstance(target, Membership) else target
    return isinstance(organization, PartnerOrganization) and organization.path.startswith(path)


def grantable_roles(actor: Actor) -> frozenset[str]:
    """Roles this actor may give to others: partner admins never hand out vendor roles."""
    if is_program_admin(actor) or actor.kind == ActorKind.INTEGRATION:
        return frozenset(Role)
    if is_partner_admin(actor):
        return frozenset(PARTNER_ROLES)
    return frozenset()


def require(actor: Actor, action: Action, target: object | None = None) -> None:
    """Raise PermissionDenied (or NotFound for anonymous actors) unless `can` allows it."""
    if can(actor, action, target):
        return
    if actor.kind == ActorKind.ANONYMOUS:
        raise NotFound("Not found.")
    raise PermissionDenied("You are not allowed to do this.", code="forbidden")
