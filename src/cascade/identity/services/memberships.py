"""People and their memberships: adding, changing roles, moving, approving and ending."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import VENDOR_STAFF, Action, grantable_roles, require
from cascade.audit.services import audit_record, snapshot
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from cascade.events.services import event_record
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.identity.roles import PARTNER_ROLES, VENDOR_ROLES, JobRole, Role
from cascade.tenancy.models import PartnerOrganization

MEMBERSHIP_AUDIT_FIELDS = (
    "person",
    "organization",
    "roles",
    "job_role",
    "status",
    "started_on",
    "ended_on",
    "end_reason",
)


def normalise_email(email: str) -> str:
    value = (email or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValidationFailed.field(
            "email", f"{email!r} is not a valid e-mail address.", code="invalid_email"
        ) from exc
    return value


def check_roles(
    *, actor: Actor, roles: list[str], organization: PartnerOrganization | None
) -> list[str]:
    """Roles must exist, fit the kind of membership, and be the actor's to give."""
    if not roles:
        raise ValidationFailed.field("roles", "Give at least one role.", code="required")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationFailed.field(
            "roles", f"Unknown roles: {', '.join(sorted(unknown))}.", code="invalid_choice"
        )
    allowed_here = PARTNER_ROLES if organization is not None else VENDOR_ROLES | {Role.LEARNER}
    misplaced = set(roles) - set(allowed_here)
    if misplaced:
        where = "a partner organization" if organization is not None else "vendor staff"
        raise ValidationFailed.field(
            "roles",
            f"These roles do not apply to {where}: {', '.join(sorted(misplaced))}.",
            code="role_not_applicable",
        )
    not_grantable = set(roles) - grantable_roles(actor)
    if not_grantable:
        raise PermissionDenied(
            f"You may not grant: {', '.join(sorted(not_grantable))}.", code="role_not_grantable"
        )
    return sorted(set(roles))


def check_job_role(job_role: str) -> str:
    if job_role not in JobRole.values:
        raise ValidationFailed.field(
            "job_role",
            f"{job_role!r} is not one of: {', '.join(JobRole.values)}.",
            code="invalid_choice",
        )
    return job_role


def check_full_name(full_name: str) -> str:
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationFailed.field("full_name", "A full name is required.", code="required")
    if len(full_name) > 150:
        raise ValidationFailed.field("full_name", "Use at most 150 characters.", code="too_long")
    return full_name


def check_password(password: str, *, email: str, full_name: str) -> None:
    """Django's password validators, reported as a domain error on the password field."""
    candidate = Person(email=email, full_name=full_name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        raise ValidationFailed(
            " ".join(exc.messages),
            code="weak_password",
            details=[{"field": "password", "message": m} for m in exc.messages],
        ) from exc


def current_membership(*, tenant_id: int, person: Person) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .filter(
            tenant_id=tenant_id,
            person=person,
            status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING],
        )
        .first()
    )


@transaction.atomic
def membership_create(
    *,
    actor: Actor,
    email: str,
    full_name: str,
    organization: PartnerOrganization | None,
    roles: list[str],
    job_role: str = JobRole.OTHER,
    started_on: date | None = None,
) -> Membership:
    """Add a person to an organization (or to vendor staff) directly, without an invitation.

    The person gets no password: they set one through "forgot password", or sign in by SSO later.
    Someone who already belongs elsewhere in this program must accept an invitation instead, so
    nobody is moved between partners without consent.
    """
    require(actor, Action.MEMBERSHIP_MANAGE, organization or VENDOR_STAFF)
    email = normalise_email(email)
    full_name = check_full_name(full_name)
    roles = check_roles(actor=actor, roles=roles, organization=organization)
    job_role = check_job_role(job_role)
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        person = Person.objects.create_user(email=email, password=None, full_name=full_name)
    elif current_membership(tenant_id=actor.tenant.pk, person=person) is not None:
        raise Conflict(
            f"{email} already belongs to this program; send them an invitation to move them.",
            code="already_member",
            details=[{"field": "email", "message": "Already a member."}],
        )
    try:
        with transaction.atomic():
            return _start(
                actor=actor,
                person=person,
                organization=organization,
                roles=roles,
                job_role=job_role,
                started_on=started_on,
            )
    except IntegrityError as exc:
        raise Conflict(f"{email} already belongs to this program.", code="already_member") from exc


@transaction.atomic
def membership_update(
    *,
    actor: Actor,
    membership: Membership,
    roles: list[str] | None = None,
    job_role: str | None = None,
) -> Membership:
    require(actor, Action.MEMBERSHIP_MANAGE, membership)
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=membership.pk)
    )
    if membership.status == MembershipStatus.ENDED:
        raise Conflict(
            "This membership has ended and can no longer change.", code="membership_ended"
        )
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    if roles is not None:
        roles = check_roles(actor=actor, roles=roles, organization=membership.organization)
        _guard_own_admin_role(actor, membership, roles)
        membership.roles = Membership.encode_roles(roles)
    if job_role is not None:
        membership.job_role = check_job_role(job_role)
    membership.save(update_fields=["roles", "job_role"])
    _audit(actor, "membership.update", membership, before)
    return membership


def _guard_own_admin_role(actor: Actor, membership: Membership, roles: list[str]) -> None:
    """An admin cannot remove their own admin role and lock their organization out."""
    if actor.membership is None or actor.membership.pk != membership.pk:
        return
    for admin_role in (Role.PROGRAM_ADMIN, Role.PARTNER_ADMIN):
        if membership.has_role(admin_role) and admin_role not in roles:
            raise Conflict("You cannot remove your own admin role.", code="self_demotion")


@transaction.atomic
def membership_end(
    *,
    actor: Actor,
    membership: Membership,
    reason: str = "",
    ended_on: date | None = None,
) -> Membership:
    """End a membership. The person and their records stay; only this affiliation closes."""
    require(actor, Action.MEMBERSHIP_MANAGE, membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status == MembershipStatus.ENDED:
        raise Conflict("This membership has already ended.", code="membership_ended")
    if actor.membership is not None and actor.membership.pk == membership.pk:
        raise Conflict("You cannot end your own membership.", code="self_removal")
    if len(reason) > 200:
        raise ValidationFailed.field("reason", "Use at most 200 characters.", code="too_long")
    _close(actor, membership, reason=reason or "Ended by an administrator", ended_on=ended_on)
    return membership


def _start(
    *,
    actor: Actor,
    person: Person,
    organization: PartnerOrganization | None,
    roles: list[str],
    job_role: str,
    started_on: date | None = None,
    **event_details: Any,
) -> Membership:
    """Insert an active membership, with its audit row and `membership.started` event."""
    membership = Membership.objects.create(
        tenant=actor.tenant,
        person=person,
        organization=organization,
        roles=Membership.encode_roles(roles),
        job_role=job_role,
        status=MembershipStatus.ACTIVE,
        started_on=started_on or timezone.localdate(),
    )
    _audit(actor, "membership.create", membership)
    _event(actor, "membership.started", membership, **event_details)
    return membership


def _close(
    actor: Actor,
    membership: Membership,
    *,
    reason: str,
    ended_on: date | None = None,
    action: str = "membership.end",
    event: str = "membership.ended",
    **event_details: Any,
) -> None:
    """End a membership (history kept), with its audit row and event."""
    ended = ended_on or timezone.localdate()
    if ended < membership.started_on:
        raise ValidationFailed.field(
            "ended_on", "A membership cannot end before it started.", code="invalid_date"
        )
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.ENDED
    membership.ended_on = ended
    membership.end_reason = reason[:200]
    membership.save(update_fields=["status", "ended_on", "end_reason"])
    _audit(actor, action, membership, before)
    _event(actor, event, membership, **event_details)


def _audit(
    actor: Actor, action: str, membership: Membership, before: dict[str, Any] | None = None
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )


def _event(actor: Actor, name: str, membership: Membership, **details: Any) -> None:
    event_record(
        tenant=actor.tenant,
        name=name,
        payload={
            "membership_id": membership.pk,
            "person_id": membership.person_id,
            "organization_id": membership.organization_id,
            **details,
        },
    )


@transaction.atomic
def membership_approve(*, actor: Actor, membership: Membership) -> Membership:
    """Approve a self-registration: the pending membership becomes active."""
    require(actor, Action.MEMBERSHIP_MANAGE, membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MembershipStatus.PENDING:
        raise Conflict("Only pending registrations can be approved.", code="not_pending")
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.ACTIVE
    membership.started_on = timezone.localdate()
    membership.save(update_fields=["status", "started_on"])
    _audit(actor, "membership.approve", membership, before)
    _event(actor, "registration.approved", membership)
    _event(actor, "membership.started", membership)
    return membership


@transaction.atomic
def membership_reject(*, actor: Actor, membership: Membership, reason: str = "") -> Membership:
    require(actor, Action.MEMBERSHIP_MANAGE, membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MembershipStatus.PENDING:
        raise Conflict("Only pending registrations can be declined.", code="not_pending")
    _close(
        actor,
        membership,
        reason=reason or "Registration declined",
        ended_on=max(timezone.localdate(), membership.started_on),
        action="membership.reject",
        event="registration.rejected",
    )
    return membership


def membership_move(
    *,
    actor: Actor,
    person: Person,
    to_organization: PartnerOrganization | None,
    roles: list[str],
    job_role: str,
    reason: str,
) -> Membership:
    """End the person's current membership in this tenant (if any) and start a new one.

    Called inside the caller's transaction (invitation acceptance), so both rows change or neither.
    """
    current = current_membership(tenant_id=actor.tenant.pk, person=person)
    if current is not None:
        _close(actor, current, reason=reason, moved=True)
    return _start(
        actor=actor,
        person=person,
        organization=to_organization,
        roles=roles,
        job_role=job_role,
        previous_organization_id=current.organization_id if current else None,
    )
