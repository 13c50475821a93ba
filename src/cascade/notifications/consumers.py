"""Notifications that follow from identity events: invitations, registrations, moves."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cascade.events.registry import consumer
from cascade.identity.models import Invitation, Membership, MembershipStatus, Person
from cascade.identity.roles import Role
from cascade.identity.services import invitation_token
from cascade.notifications.services import email_send, notification_send
from cascade.tenancy.models import Tenant
from cascade.tenancy.resolution import tenant_base_url


@consumer("invitation.created")
def email_invitation(tenant_id: int, payload: dict[str, Any]) -> None:
    """The invitee has no account yet, so the invitation goes by e-mail only."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=payload["invitation_id"])
        .first()
    )
    if invitation is None or invitation.status != "pending":
        return
    tenant = Tenant.objects.get(pk=tenant_id)
    link = tenant_base_url(tenant) + reverse(
        "web:invitation-accept", args=[invitation_token(invitation)]
    )
    inviter = invitation.invited_by.full_name if invitation.invited_by else tenant.name
    where = invitation.organization.name if invitation.organization else f"the {tenant.name} team"
    body = (
        f"{inviter} invites you to join {where} on {tenant.name}'s partner learning program.\n\n"
        + (f"{invitation.message}\n\n" if invitation.message else "")
        + f"Accept the invitation: {link}\n\n"
        + f"The link works until {invitation.expires_at:%d %B %Y}."
    )
    email_send(tenant=tenant, to=invitation.email, subject="You are invited", body=body)


@consumer("registration.submitted")
def notify_partner_admins_of_registration(tenant_id: int, payload: dict[str, Any]) -> None:
    membership = Membership.objects.select_related("person", "organization").get(
        pk=payload["membership_id"]
    )
    if membership.status != MembershipStatus.PENDING:
        return
    tenant = Tenant.objects.get(pk=tenant_id)
    admins = _admins_for(membership)
    notification_send(
        tenant=tenant,
        people=admins,
        kind="registration.pending",
        title=f"{membership.person.full_name} asks to join {membership.organization}",
        body=(
            f"{membership.person.full_name} <{membership.person.email}> registered with a "
            f"verified address of {membership.organization}. Approve or decline the request."
        ),
        url=tenant_base_url(tenant) + reverse("web:partner-people") + "?status=pending",
    )


def _admins_for(membership: Membership) -> list[Person]:
    """Partner admins of the organization, else of the nearest parent organization that has
    some (they see their children's people), else the program admins."""
    assert membership.organization is not None
    chain = [int(i) for i in membership.organization.path.strip("/").split("/") if i]
    admin_rows = Membership.objects.filter(
        Membership.role_filter(Role.PARTNER_ADMIN),
        organization_id__in=chain,
        status=MembershipStatus.ACTIVE,
    ).values_list("organization_id", "person_id")
    by_organization: dict[int, list[int]] = {}
    for organization_id, person_id in admin_rows:
        by_organization.setdefault(organization_id, []).append(person_id)
    for organization_id in reversed(chain):
        if organization_id in by_organization:
            return list(Person.objects.filter(pk__in=by_organization[organization_id]))
    program_admin_ids = Membership.objects.filter(
        Membership.role_filter(Role.PROGRAM_ADMIN),
        organization__isnull=True,
        status=MembershipStatus.ACTIVE,
    ).values("person_id")
    return list(Person.objects.filter(pk__in=program_admin_ids))


@consumer("registration.approved", "registration.rejected")
def notify_registrant(tenant_id: int, payload: dict[str, Any]) -> None:
    membership = Membership.objects.select_related("person", "organization").get(
        pk=payload["membership_id"]
    )
    tenant = Tenant.objects.get(pk=tenant_id)
    approved = membership.status == MembershipStatus.ACTIVE
    notification_send(
        tenant=tenant,
        people=[membership.person],
        kind="registration.approved" if approved else "registration.rejected",
        title=(
            f"Welcome to {tenant.name}: your access is ready"
            if approved
            else "Your registration was declined"
        ),
        body=(
            f"Your request to join {membership.organization} was approved. Sign in to start."
            if approved
            else f"Your request to join {membership.organization} was declined: "
            f"{membership.end_reason}."
        ),
        url=tenant_base_url(tenant) + reverse("web:home"),
    )


@consumer("invitation.accepted")
def notify_inviter(tenant_id: int, payload: dict[str, Any]) -> None:
    invitation = Invitation.objects.select_related("invited_by", "accepted_by", "organization").get(
        pk=payload["invitation_id"]
    )
    if invitation.invited_by is None or invitation.accepted_by is None:
        return
    tenant = Tenant.objects.get(pk=tenant_id)
    notification_send(
        tenant=tenant,
        people=[invitation.invited_by],
        kind="invitation.accepted",
        title=f"{invitation.accepted_by.full_name} accepted your invitation",
        body=f"{invitation.accepted_by.full_name} joined {invitation.organization or tenant.name}.",
    )
