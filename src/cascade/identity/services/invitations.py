"""Invitations: vendor staff invite partner admins (or colleagues), partner admins invite staff.

The e-mailed link carries a signed (invitation id, nonce) pair, valid until the invitation
expires; re-sending rotates the nonce. Accepting creates the person if needed and moves them
into the inviting organization, ending a current membership elsewhere in the program.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from cascade.access.actor import Actor, actor_for_person
from cascade.access.policies import VENDOR_STAFF, Action, require
from cascade.audit.services import audit_record, snapshot
from cascade.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from cascade.events.services import event_record
from cascade.identity.models import Invitation, InvitationStatus, Membership, Person
from cascade.identity.roles import JobRole
from cascade.identity.services.memberships import (
    check_full_name,
    check_job_role,
    check_password,
    check_roles,
    current_membership,
    membership_move,
    normalise_email,
)
from cascade.tenancy.models import PartnerOrganization, Tenant

_SALT = "cascade.invitation"
INVITATION_AUDIT_FIELDS = ("email", "organization", "roles", "job_role", "status", "expires_at")


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=_SALT, compress=True)


@transaction.atomic
def invitation_create(
    *,
    actor: Actor,
    email: str,
    organization: PartnerOrganization | None,
    roles: list[str],
    job_role: str = JobRole.OTHER,
    message: str = "",
) -> Invitation:
    require(actor, Action.INVITATION_CREATE, organization or VENDOR_STAFF)
    email = normalise_email(email)
    roles = check_roles(actor=actor, roles=roles, organization=organization)
    job_role = check_job_role(job_role)
    if len(message) > 1000:
        raise ValidationFailed.field("message", "Use at most 1000 characters.", code="too_long")
    person = Person.objects.filter(email__iexact=email).first()
    if person is not None:
        current = current_membership(tenant_id=actor.tenant.pk, person=person)
        if current is not None and current.organization_id == (
            organization.pk if organization else None
        ):
            raise Conflict(
                f"{email} is already a member of this organization.",
                code="already_member",
                details=[{"field": "email", "message": "Already a member."}],
            )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                tenant=actor.tenant,
                email=email,
                organization=organization,
                roles=Membership.encode_roles(roles),
                job_role=job_role,
                invited_by=actor.person,
                nonce=secrets.token_hex(8),
                message=message.strip(),
                expires_at=timezone.now() + timedelta(days=settings.CASCADE_INVITATION_DAYS),
            )
    except IntegrityError as exc:
        raise Conflict(
            f"{email} already has a pending invitation; re-send or revoke it.",
            code="duplicate_invitation",
            details=[{"field": "email", "message": "Already invited."}],
        ) from exc
    audit_record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        after=snapshot(invitation, INVITATION_AUDIT_FIELDS),
    )
    event_record(
        tenant=actor.tenant, name="invitation.created", payload={"invitation_id": invitation.pk}
    )
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Send a fresh link (older links stop working) and extend the expiry."""
    require(actor, Action.INVITATION_CREATE, invitation.organization or VENDOR_STAFF)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict("Only pending invitations can be re-sent.", code="not_pending")
    invitation.nonce = secrets.token_hex(8)
    invitation.expires_at = timezone.now() + timedelta(days=settings.CASCADE_INVITATION_DAYS)
    invitation.save(update_fields=["nonce", "expires_at"])
    audit_record(actor=actor, action="invitation.resend", target=invitation)
    event_record(
        tenant=actor.tenant,
        name="invitation.created",
        payload={"invitation_id": invitation.pk, "resent": True},
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    require(actor, Action.INVITATION_CREATE, invitation.organization or VENDOR_STAFF)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict("Only pending invitations can be revoked.", code="not_pending")
    before = snapshot(invitation, INVITATION_AUDIT_FIELDS)
    invitation.status = InvitationStatus.REVOKED
    invitation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="invitation.revoke",
        target=invitation,
        before=before,
        after=snapshot(invitation, INVITATION_AUDIT_FIELDS),
    )
    return invitation


@dataclass(frozen=True)
class InvitationLookup:
    invitation: Invitation
    existing_person: Person | None


def invitation_from_token(*, tenant: Tenant, token: str) -> InvitationLookup:
    """Resolve a link to its pending invitation, or explain why it no longer works."""
    try:
        data = signing.loads(
            token, salt=_SALT, max_age=timedelta(days=settings.CASCADE_INVITATION_DAYS + 1)
        )
        invitation_id, nonce = int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise NotFound("This invitation link is not valid.", code="invitation_invalid") from exc
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(tenant=tenant, pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.nonce != nonce:
        raise NotFound("This invitation link is not valid any more.", code="invitation_invalid")
    if invitation.status == InvitationStatus.ACCEPTED:
        raise Conflict(
            "This invitation has already been accepted; sign in instead.",
            code="invitation_accepted",
        )
    if invitation.status == InvitationStatus.REVOKED:
        raise Conflict("This invitation was withdrawn.", code="invitation_revoked")
    if invitation.expires_at < timezone.now():
        raise Conflict("This invitation has expired; ask for a new one.", code="invitation_expired")
    existing = Person.objects.filter(email__iexact=invitation.email).first()
    return InvitationLookup(invitation=invitation, existing_person=existing)


@transaction.atomic
def invitation_accept(
    *,
    tenant: Tenant,
    token: str,
    signed_in: Person | None,
    full_name: str = "",
    password: str = "",
) -> Membership:
    """Accept an invitation.

    A new person chooses their name and password here. Someone who already has an account must
    be signed in as the invited address: an invitation never grants access to another account.
    """
    lookup = invitation_from_token(tenant=tenant, token=token)
    invitation = Invitation.objects.select_for_update().get(pk=lookup.invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict("This invitation has already been used.", code="invitation_accepted")
    person = lookup.existing_person
    if person is not None:
        if signed_in is None or signed_in.pk != person.pk:
            raise PermissionDenied(
                f"Sign in as {invitation.email} to accept this invitation.", code="sign_in_required"
            )
    else:
        if signed_in is not None and signed_in.email.lower() != invitation.email.lower():
            raise PermissionDenied(
                f"This invitation was sent to {invitation.email}; sign out first.",
                code="wrong_account",
            )
        full_name = check_full_name(full_name)
        check_password(password, email=invitation.email, full_name=full_name)
        person = Person.objects.create_user(
            email=invitation.email, password=password, full_name=full_name
        )
    actor = actor_for_person(tenant=tenant, person=person)
    organization = invitation.organization
    membership = membership_move(
        actor=actor,
        person=person,
        to_organization=organization,
        roles=invitation.role_list,
        job_role=invitation.job_role,
        reason=f"Moved to {organization.name if organization else 'vendor staff'}",
    )
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
    audit_record(actor=actor, action="invitation.accept", target=invitation)
    event_record(
        tenant=tenant,
        name="invitation.accepted",
        payload={
            "invitation_id": invitation.pk,
            "membership_id": membership.pk,
            "person_id": person.pk,
        },
    )
    return membership
