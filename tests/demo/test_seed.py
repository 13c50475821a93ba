"""Seeding a demo program: deterministic for a seed number, and keeping the services' invariants."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from cascade.core.errors import Conflict
from cascade.core.scoping import scopes_disabled
from cascade.demo import DEMO_LOGINS, DEMO_PASSWORD, SCALES, seed_program
from cascade.identity.models import Invitation, Membership, MembershipStatus, Person
from cascade.identity.roles import PARTNER_ROLES, VENDOR_ROLES, Role
from cascade.tenancy.models import OrganizationStatus, PartnerOrganization, Tenant

pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]
TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CURRENT = [MembershipStatus.ACTIVE, MembershipStatus.PENDING]


def fingerprint(slug: str) -> str:
    """A digest of everything seeded that does not depend on database ids or the clock."""
    lines: list[str] = []
    with scopes_disabled():
        tenant = Tenant.objects.get(slug=slug)
        organizations = (
            PartnerOrganization.objects.filter(tenant=tenant)
            .select_related("parent", "tier", "region")
            .prefetch_related("specializations", "email_domains")
        )
        for o in organizations:
            specializations = sorted(s.code for s in o.specializations.all())
            domains = sorted((d.domain, d.verified_at is not None) for d in o.email_domains.all())
            lines.append(
                f"organization|{o.name}|{o.parent.name if o.parent else ''}|{o.depth}|"
                f"{o.tier.name if o.tier else ''}|{o.region.code if o.region else ''}|{o.country}|"
                f"{o.business_model}|{o.status}|{o.joined_on}|{o.vendor_data_access}|"
                f"{o.allow_parent_assignment}|{specializations}|{domains}"
            )
        for m in Membership.objects.filter(tenant=tenant).select_related("person", "organization"):
            p = m.person
            lines.append(
                f"membership|{p.email}|{p.full_name}|{p.preferred_locale}|{p.time_zone}|"
                f"{p.date_joined}|{m.organization.name if m.organization else ''}|{m.roles}|"
                f"{m.job_role}|{m.status}|{m.started_on}|{m.ended_on}|{m.end_reason}"
            )
        for i in Invitation.objects.filter(tenant=tenant).select_related("organization"):
            lines.append(
                f"invitation|{i.email}|{i.organization.name if i.organization else ''}|"
                f"{i.roles}|{i.job_role}|{i.message}|{i.nonce}|{i.expires_at}"
            )
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def seeded_fingerprint(seed: int) -> str:
    """Seed, take the fingerprint, and roll the seed back so the next one starts clean."""
    savepoint = transaction.savepoint()
    seed_program(scale=TINY, seed=seed, tenant_slug="alpha", today=TODAY, now=NOW)
    digest = fingerprint("alpha")
    transaction.savepoint_rollback(savepoint)
    return digest


@pytest.fixture
def seeded() -> Tenant:
    report = seed_program(scale=TINY, seed=11)
    return report.tenant


def test_seed_program_gives_the_same_data_for_the_same_seed() -> None:
    # given / when
    first = seeded_fingerprint(7)
    second = seeded_fingerprint(7)

    # then
    assert first == second


def test_seed_program_gives_other_data_for_another_seed() -> None:
    # given / when
    first = seeded_fingerprint(7)
    other = seeded_fingerprint(8)

    # then
    assert first != other


def test_seed_program_writes_the_scale(seeded: Tenant) -> None:
    # then
    with scopes_disabled():
        assert PartnerOrganization.objects.filter(tenant=seeded).count() == TINY.organizations
        partner = Membership.objects.filter(tenant=seeded, organization__isnull=False)
        assert partner.values("person").distinct().count() == TINY.people
        staff = Membership.objects.filter(tenant=seeded, organization__isnull=True)
        vendor_logins = sum(1 for login in DEMO_LOGINS if login.organization_key is None)
        assert staff.count() == TINY.vendor_staff + vendor_logins
        assert partner.filter(status=MembershipStatus.PENDING).count() == TINY.pending_registrations
        assert Invitation.objects.filter(tenant=seeded, status="pending").count() == (
            TINY.pending_invitations
        )
        moved = partner.filter(status=MembershipStatus.ENDED, end_reason__startswith="Moved to")
        assert moved.count() == TINY.moved_people


def test_seed_program_keeps_paths_and_depths_consistent_with_parents(seeded: Tenant) -> None:
    # then
    with scopes_disabled():
        organizations = {o.pk: o for o in PartnerOrganization.objects.filter(tenant=seeded)}
    depths = Counter(o.depth for o in organizations.values())
    for organization in organizations.values():
        parent = organizations.get(organization.parent_id) if organization.parent_id else None
        if parent is None:
            assert organization.parent_id is None
            assert organization.path == f"/{organization.pk}/"
            assert organization.depth == 0
        else:
            assert organization.path == f"{parent.path}{organization.pk}/"
            assert organization.depth == parent.depth + 1
    assert sorted(depths) == [0, 1, 2]


def test_seed_program_keeps_one_current_membership_per_person(seeded: Tenant) -> None:
    # then
    with scopes_disabled():
        current = Counter(
            Membership.objects.filter(tenant=seeded, status__in=CURRENT).values_list(
                "person_id", flat=True
            )
        )
    assert max(current.values()) == 1


def test_seed_program_gives_every_organization_a_partner_admin(seeded: Tenant) -> None:
    # then
    with scopes_disabled():
        organizations = PartnerOrganization.objects.filter(tenant=seeded)
        admins = Membership.objects.filter(tenant=seeded).filter(
            Membership.role_filter(Role.PARTNER_ADMIN)
        )
        for organization in organizations:
            theirs = admins.filter(organization=organization)
            if organization.status == OrganizationStatus.TERMINATED:
                # Their people's memberships ended with the agreement; the history remains.
                assert theirs.filter(status=MembershipStatus.ENDED).count() >= 1
            else:
                assert theirs.filter(status=MembershipStatus.ACTIVE).count() >= 1


def test_seed_program_encodes_roles_as_the_services_do(seeded: Tenant) -> None:
    # then
    with scopes_disabled():
        memberships = list(Membership.objects.filter(tenant=seeded))
    vendor_roles_seen: set[str] = set()
    for membership in memberships:
        assert membership.roles == Membership.encode_roles(membership.role_list)
        allowed = PARTNER_ROLES if membership.organization_id else VENDOR_ROLES
        assert set(membership.role_list) <= allowed
        if membership.organization_id is None:
            vendor_roles_seen.update(membership.role_list)
    assert vendor_roles_seen == set(VENDOR_ROLES)


def test_seed_program_keeps_history_of_people_who_moved(seeded: Tenant) -> None:
    # then
    with scopes_disabled():
        memberships = list(Membership.objects.filter(tenant=seeded))
        for membership in memberships:
            if membership.ended_on is not None:
                assert membership.ended_on >= membership.started_on
        moved = [m for m in memberships if m.end_reason.startswith("Moved to")]
        for ended in moved:
            now = Membership.objects.get(person_id=ended.person_id, status__in=CURRENT)
            assert now.organization_id != ended.organization_id
            assert now.started_on > ended.ended_on
            assert ended.end_reason == f"Moved to {now.organization.name}"


def test_seed_program_puts_people_in_their_organizations_domains(seeded: Tenant) -> None:
    # then
    with scopes_disabled():
        current = Membership.objects.filter(
            tenant=seeded, status__in=CURRENT, organization__isnull=False
        ).select_related("person", "organization")
        for membership in current:
            domains = set(membership.organization.email_domains.values_list("domain", flat=True))
            assert membership.person.email.rsplit("@", 1)[1] in domains


def test_seed_program_invites_people_who_have_no_account_yet(seeded: Tenant) -> None:
    # then
    with scopes_disabled():
        invitations = list(Invitation.objects.filter(tenant=seeded))
    emails = [i.email for i in invitations]
    assert len(set(emails)) == len(emails)
    assert Person.objects.filter(email__in=emails).count() == 0
    assert all(i.expires_at > timezone.now() for i in invitations)
    assert all(i.invited_by_id is not None for i in invitations)


def test_seed_program_hashes_the_demo_password_once_for_everyone(seeded: Tenant) -> None:
    # then
    with scopes_disabled():
        people = Person.objects.filter(memberships__tenant=seeded).distinct()
        hashes = set(people.values_list("password", flat=True))
    assert len(hashes) == 1


def test_demo_logins_sign_in_with_the_demo_password(seeded: Tenant) -> None:
    for login in DEMO_LOGINS:
        # given
        email = login.email()
        request = RequestFactory().post("/accounts/sign-in/")

        # when
        person = authenticate(request, email=email, password=DEMO_PASSWORD)

        # then
        assert person is not None, email
        assert person.email == email
        with scopes_disabled():
            membership = Membership.objects.select_related("organization").get(
                tenant=seeded, person__email=email, status=MembershipStatus.ACTIVE
            )
        assert membership.role_list == sorted(login.roles)
        if login.organization_key == "reseller":
            assert membership.organization is not None
            assert membership.organization.name == "Bluebird Networks"
            assert membership.organization.parent is not None
            assert membership.organization.parent.name == "Atlas Distribution"
        elif login.organization_key is None:
            assert membership.organization is None


def test_seed_program_refuses_a_program_that_exists(seeded: Tenant) -> None:
    # given
    people = Person.objects.count()

    # when
    with pytest.raises(Conflict) as raised:
        seed_program(scale=TINY, seed=12)

    # then
    assert raised.value.code == "tenant_exists"
    assert Person.objects.count() == people
    assert Tenant.objects.count() == 1


def test_seed_program_keeps_programs_apart() -> None:
    # given
    seed_program(scale=TINY, seed=3)

    # when: the same seed in a second program collides with nothing
    other = seed_program(scale=TINY, seed=3, tenant_slug="contoso").tenant

    # then
    with scopes_disabled():
        emails = Person.objects.filter(memberships__tenant=other).values_list("email", flat=True)
    assert {e.rsplit("@", 1)[1].rsplit(".", 2)[-2] for e in emails} == {"contoso"}
