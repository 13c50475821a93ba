"""Self-registration: someone with an address in a partner's verified domain asks to join.

They land in that organization as a pending member; the organization's partner admins (or
program admins when it has none) approve or decline.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from cascade.access.actor import actor_for_person
from cascade.audit.services import audit_record, snapshot
from cascade.core.errors import Conflict, ValidationFailed
from cascade.events.services import event_record
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.identity.roles import JobRole, Role
from cascade.identity.services.memberships import (
    MEMBERSHIP_AUDIT_FIELDS,
    check_full_name,
    check_job_role,
    check_password,
    normalise_email,
)
from cascade.tenancy.models import OrganizationDomain, OrganizationStatus, Tenant


@transaction.atomic
def registration_submit(
    *,
    tenant: Tenant,
    email: str,
    full_name: str,
    password: str,
    job_role: str = JobRole.OTHER,
) -> Membership:
    email = normalise_email(email)
    full_name = check_full_name(full_name)
    job_role = check_job_role(job_role)
    domain = email.rsplit("@", 1)[1]
    match = (
        OrganizationDomain.objects.select_related("organization")
        .filter(tenant=tenant, domain=domain, verified_at__isnull=False)
        .first()
    )
    if match is None or match.organization.status in (
        OrganizationStatus.SUSPENDED,
        OrganizationStatus.TERMINATED,
    ):
        raise ValidationFailed.field(
            "email",
            "No partner organization in this program uses that e-mail domain. "
            "Ask your partner admin for an invitation.",
            code="unknown_domain",
        )
    if Person.objects.filter(email__iexact=email).exists():
        raise Conflict(
            "An account with this e-mail already exists. Sign in, or reset your password.",
            code="duplicate_email",
            details=[{"field": "email", "message": "Already registered."}],
        )
    check_password(password, email=email, full_name=full_name)
    try:
        with transaction.atomic():
            person = Person.objects.create_user(email=email, password=password, full_name=full_name)
    except IntegrityError as exc:
        raise Conflict(
            "An account with this e-mail already exists.", code="duplicate_email"
        ) from exc
    membership = Membership.objects.create(
        tenant=tenant,
        person=person,
        organization=match.organization,
        roles=Membership.encode_roles([Role.LEARNER]),
        job_role=job_role,
        status=MembershipStatus.PENDING,
    )
    audit_record(
        actor=actor_for_person(tenant=tenant, person=person),
        action="registration.submit",
        target=membership,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    event_record(
        tenant=tenant,
        name="registration.submitted",
        payload={
            "membership_id": membership.pk,
            "organization_id": match.organization_id,
            "person_id": person.pk,
        },
    )
    return membership
