"""Seeding a whole partner program: the vendor, its structure, partner organizations, people,
their memberships (with history), pending self-registrations and pending invitations.

This is a script, not a service: it writes rows in bulk with tenant scoping disabled and records
no audit entries or events. It keeps the invariants the services keep: materialized paths and
depths match the hierarchy, roles are encoded with `Membership.encode_roles`, a person has at
most one current membership per tenant, every organization has a partner admin, and memberships
end on or after they start. The whole seed is one transaction: it lands completely or not at all.

Everything is drawn from `random.Random` streams seeded with the seed number (and Faker seeded
likewise), so a seed number always gives the same names and the same hierarchy; dates are
relative to `today`, and invitation times to `now`.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from cascade.core.errors import Conflict
from cascade.core.scoping import scopes_disabled
from cascade.demo.assessments_seed import seed_assessments
from cascade.demo.catalog_seed import seed_catalog
from cascade.demo.catalogue import (
    ACCENT_COLOUR,
    COUNTRIES,
    DEFAULT_TENANT_SLUG,
    PRIMARY_COLOUR,
    PROGRAM_LOCALES,
    PROGRAM_NAME,
    REGIONS,
    SPECIALIZATIONS,
    TIERS,
)
from cascade.demo.learning_seed import seed_learning
from cascade.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin, vendor_domain
from cascade.demo.names import Name, name_pool
from cascade.demo.onboarding_seed import seed_onboarding
from cascade.demo.organizations import OrganizationPlanner, PlannedOrganization, weighted
from cascade.demo.scales import Scale
from cascade.demo.writer import IdAllocator, RowSink
from cascade.identity.models import (
    Invitation,
    InvitationStatus,
    Membership,
    MembershipStatus,
    Person,
)
from cascade.identity.roles import JobRole, Role
from cascade.tenancy.models import (
    OrganizationDomain,
    OrganizationStatus,
    PartnerOrganization,
    Region,
    Specialization,
    Tenant,
    TenantDomain,
    Tier,
)
from cascade.tenancy.services import tenant_create

Progress = Callable[[str], None]

_ADMIN_JOBS = (
    (JobRole.EXECUTIVE, 60),
    (JobRole.SALES, 15),
    (JobRole.PRESALES, 10),
    (JobRole.OTHER, 15),
)
_MANAGER_JOBS = (
    (JobRole.SALES, 45),
    (JobRole.PRESALES, 20),
    (JobRole.MARKETING, 15),
    (JobRole.SUPPORT, 12),
    (JobRole.EXECUTIVE, 8),
)
_LEARNER_JOBS = (
    (JobRole.SALES, 35),
    (JobRole.PRESALES, 28),
    (JobRole.SUPPORT, 15),
    (JobRole.MARKETING, 10),
    (JobRole.OTHER, 9),
    (JobRole.EXECUTIVE, 3),
)
_EXTRA_VENDOR_ROLES = (
    (Role.CHANNEL_ACCOUNT_MANAGER, 50),
    (Role.CONTENT_AUTHOR, 20),
    (Role.REVIEWER, 10),
    (Role.ANALYST, 10),
    (Role.PROGRAM_ADMIN, 10),
)
_VENDOR_LOCALES = ("en_US", "en_GB", "fr_FR", "de_DE", "ja_JP", "es_ES")
_EMAIL_STYLES = ("first.last", "first.last", "first.last", "flast", "first_last", "first")
_PARTNER_ADMIN = Membership.encode_roles([Role.LEARNER, Role.PARTNER_ADMIN])
_PARTNER_MANAGER = Membership.encode_roles([Role.LEARNER, Role.PARTNER_MANAGER])
_LEARNER = Membership.encode_roles([Role.LEARNER])

PERSON_FIELDS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "email",
    "full_name",
    "preferred_locale",
    "time_zone",
    "is_active",
    "is_staff",
    "date_joined",
)
MEMBERSHIP_FIELDS = (
    "tenant",
    "person",
    "organization",
    "roles",
    "job_role",
    "status",
    "started_on",
    "ended_on",
    "end_reason",
    "created_at",
)


@dataclass
class SeedReport:
    tenant: Tenant
    scale: Scale
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


def seed_program(
    *,
    scale: Scale,
    seed: int,
    tenant_slug: str = DEFAULT_TENANT_SLUG,
    today: date | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> SeedReport:
    """Create the program `tenant_slug` and fill it at `scale`. Raises Conflict if it exists."""
    started = time.perf_counter()
    seeder = _Seeder(
        scale=scale,
        seed=seed,
        tenant_slug=tenant_slug,
        today=today or timezone.localdate(),
        now=now or timezone.now(),
        progress=progress or (lambda message: None),
    )
    with scopes_disabled(), transaction.atomic():
        if Tenant.objects.filter(slug=tenant_slug).exists():
            raise Conflict(
                f"A program with slug {tenant_slug!r} already exists.", code="tenant_exists"
            )
        tenant = seeder.run()
        catalog_rows = seed_catalog(
            tenant=tenant,
            scale_name=scale.name,
            seed=seed,
            today=seeder.today,
            now=seeder.now,
            progress=seeder.progress,
        )
        catalog_rows |= seed_learning(
            tenant=tenant,
            scale_name=scale.name,
            seed=seed,
            today=seeder.today,
            now=seeder.now,
            progress=seeder.progress,
        )
        catalog_rows |= seed_onboarding(
            tenant=tenant,
            scale_name=scale.name,
            today=seeder.today,
            now=seeder.now,
            progress=seeder.progress,
        )
        catalog_rows |= seed_assessments(tenant=tenant, seed=seed, progress=seeder.progress)
    if connection.vendor == "postgresql":
        seeder.analyze()
    report = SeedReport(
        tenant=tenant, scale=scale, seed=seed, rows={**seeder.counts(), **catalog_rows}
    )
    report.seconds = time.perf_counter() - started
    return report


class _Seeder:
    def __init__(
        self,
        *,
        scale: Scale,
        seed: int,
        tenant_slug: str,
        today: date,
        now: datetime,
        progress: Progress,
    ) -> None:
        self.scale = scale
        self.seed = seed
        self.tenant_slug = tenant_slug
        self.today = today
        self.now = now
        self.progress = progress
        self.rng = random.Random(f"{seed}:people")
        # Hashing is deliberately slow; one hash serves every seeded person.
        self.password = make_password(DEMO_PASSWORD)
        self.structure_rows: Counter[str] = Counter()
        self.movers_wanted = 0
        self.movers_eligible = 0
        self._next_report = 100_000
        self._people_started = 0.0

    # --- the run ------------------------------------------------------------------------------

    def run(self) -> Tenant:
        self.tenant = self._tenant()
        self._structure()
        self.progress("Planning organizations...")
        planner = OrganizationPlanner(
            rng=random.Random(f"{self.seed}:organizations"),
            seed=self.seed,
            scale=self.scale,
            tenant_slug=self.tenant_slug,
            today=self.today,
        )
        organizations = planner.plan()
        for organization, pk in zip(
            organizations,
            IdAllocator(PartnerOrganization).take_many(len(organizations)),
            strict=True,
        ):
            organization.assign_id(pk)
        self._open_sinks()
        self._write_organizations(organizations)
        self.progress(f"Writing people ({self.scale.people:,} in partner organizations)...")
        self._people_started = time.perf_counter()
        expected_people = self.scale.people + self.scale.vendor_staff + len(DEMO_LOGINS)
        self.person_ids = IdAllocator(Person, block=min(10_000, expected_people))
        admin_id = self._vendor_staff()
        self._partner_people(organizations)
        self._vendor_invitation(admin_id)
        for sink in self.sinks:
            sink.flush()
        return self.tenant

    def counts(self) -> dict[str, int]:
        rows = dict(self.structure_rows)
        rows.update({sink.label: sink.written for sink in self.sinks})
        return rows

    def analyze(self) -> None:
        """Fresh planner statistics, so the first queries after a large seed are planned well."""
        with connection.cursor() as cursor:
            for sink in self.sinks:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(sink.model._meta.db_table)}")

    # --- the program and its structure ----------------------------------------------------------

    def _tenant(self) -> Tenant:
        if self.tenant_slug == DEFAULT_TENANT_SLUG:
            name = PROGRAM_NAME
            wanted = ["northwind.localhost", "localhost", "127.0.0.1"]
        else:
            name = self.tenant_slug.replace("-", " ").title()
            wanted = [f"{self.tenant_slug}.localhost"]
        taken = set(TenantDomain.objects.filter(domain__in=wanted).values_list("domain", flat=True))
        tenant = tenant_create(
            name=name,
            slug=self.tenant_slug,
            domains=[d for d in wanted if d not in taken],
            default_locale="en",
            supported_locales=PROGRAM_LOCALES,
            primary_colour=PRIMARY_COLOUR,
            accent_colour=ACCENT_COLOUR,
        )
        return tenant

    def _structure(self) -> None:
        tenant = self.tenant
        tiers = Tier.objects.bulk_create(
            Tier(tenant=tenant, name=name, rank=rank, description=description)
            for name, rank, description in TIERS
        )
        regions = Region.objects.bulk_create(
            Region(
                tenant=tenant,
                name=region.name,
                code=region.code,
                countries=sorted(code for code, _ in region.countries),
            )
            for region in REGIONS
        )
        specializations = Specialization.objects.bulk_create(
            Specialization(tenant=tenant, name=name, code=code, description=description)
            for code, name, description in SPECIALIZATIONS
        )
        self.tier_ids = {t.rank: t.pk for t in tiers}
        self.region_ids = {r.code: r.pk for r in regions}
        self.specialization_ids = {s.code: s.pk for s in specializations}
        self.structure_rows.update(
            {"tiers": len(tiers), "regions": len(regions), "specializations": len(specializations)}
        )

    def _open_sinks(self) -> None:
        self.organization_sink = RowSink(
            PartnerOrganization,
            label="partner organizations",
            fields=(
                "id",
                "tenant",
                "name",
                "parent",
                "path",
                "depth",
                "tier",
                "business_model",
                "region",
                "country",
                "status",
                "joined_on",
                "vendor_data_access",
                "allow_parent_assignment",
                "created_at",
                "updated_at",
            ),
        )
        through = PartnerOrganization.specializations.through
        self.specialization_sink = RowSink(
            through,
            label="organization specializations",
            fields=("partnerorganization", "specialization"),
            after=[self.organization_sink],
        )
        self.domain_sink = RowSink(
            OrganizationDomain,
            label="organization e-mail domains",
            fields=("tenant", "organization", "domain", "verified_at"),
            after=[self.organization_sink],
        )
        self.person_sink = RowSink(
            Person, label="people", fields=PERSON_FIELDS, on_flush=self._report_people
        )
        self.membership_sink = RowSink(
            Membership,
            label="memberships",
            fields=MEMBERSHIP_FIELDS,
            after=[self.organization_sink, self.person_sink],
        )
        self.invitation_sink = RowSink(
            Invitation,
            label="invitations",
            fields=(
                "tenant",
                "email",
                "organization",
                "roles",
                "job_role",
                "invited_by",
                "nonce",
                "status",
                "message",
                "created_at",
                "expires_at",
            ),
            after=[self.organization_sink, self.person_sink],
        )
        self.sinks = [
            self.organization_sink,
            self.specialization_sink,
            self.domain_sink,
            self.person_sink,
            self.membership_sink,
            self.invitation_sink,
        ]

    def _report_people(self, sink: RowSink) -> None:
        if sink.written < self._next_report:
            return
        while self._next_report <= sink.written:
            self._next_report += 100_000
        elapsed = time.perf_counter() - self._people_started
        self.progress(f"  {sink.written:,} people ({sink.written / elapsed:,.0f} people/s)")

    def _write_organizations(self, organizations: list[PlannedOrganization]) -> None:
        for o in organizations:
            joined = o.joined_on or self.today
            created = datetime.combine(joined, clock(9), tzinfo=UTC)
            self.organization_sink.add(
                (
                    o.id,
                    self.tenant.pk,
                    o.name,
                    o.parent.id if o.parent else None,
                    o.path,
                    o.depth,
                    self.tier_ids[o.tier_rank] if o.tier_rank else None,
                    o.business_model,
                    self.region_ids[o.region_code],
                    o.country,
                    o.status,
                    o.joined_on,
                    o.vendor_data_access,
                    o.allow_parent_assignment,
                    created,
                    created,
                )
            )
            for code in o.specialization_codes:
                self.specialization_sink.add((o.id, self.specialization_ids[code]))
            for domain, verified in o.domains:
                self.domain_sink.add((self.tenant.pk, o.id, domain, created if verified else None))

    # --- people -------------------------------------------------------------------------------

    def _person(
        self,
        *,
        email: str,
        full_name: str,
        locale: str,
        time_zone: str,
        joined: date,
    ) -> int:
        pk = self.person_ids.take()
        self.person_sink.add(
            (
                pk,
                self.password,
                None,
                False,
                email,
                full_name,
                locale,
                time_zone,
                True,
                False,
                datetime.combine(joined, clock(9), tzinfo=UTC),
            )
        )
        return pk

    def _membership(
        self,
        *,
        person_id: int,
        organization_id: int | None,
        roles: str,
        job_role: str,
        status: str = MembershipStatus.ACTIVE,
        started_on: date,
        ended_on: date | None = None,
        end_reason: str = "",
    ) -> None:
        self.membership_sink.add(
            (
                self.tenant.pk,
                person_id,
                organization_id,
                roles,
                job_role,
                status,
                started_on,
                ended_on,
                end_reason,
                self.now,
            )
        )

    def _vendor_staff(self) -> int:
        """The demo logins for vendor roles, then more staff (mostly channel account managers)."""
        rng = self.rng
        domain = vendor_domain(self.tenant_slug)
        used: set[str] = set()
        admin_id = 0
        vendor_logins = [login for login in DEMO_LOGINS if login.organization_key is None]
        for index, login in enumerate(vendor_logins):
            started = self.today - timedelta(days=2900 - 200 * index)
            used.add(login.local_part)
            pk = self._person(
                email=login.email(self.tenant_slug),
                full_name=login.full_name,
                locale="en",
                time_zone="America/New_York",
                joined=started,
            )
            admin_id = admin_id or pk
            self._membership(
                person_id=pk,
                organization_id=None,
                roles=Membership.encode_roles(list(login.roles)),
                job_role=login.job_role,
                started_on=started,
            )
        for _ in range(self.scale.vendor_staff):
            locale = rng.choice(_VENDOR_LOCALES)
            name = name_pool(locale, self.seed).pick(rng)
            role = str(weighted(rng, _EXTRA_VENDOR_ROLES))
            started = self.today - timedelta(days=rng.randint(30, 8 * 365))
            pk = self._person(
                email=f"{_local_part(name, 'first.last', used)}@{domain}",
                full_name=name.display,
                locale=locale[:2] if locale[:2] in PROGRAM_LOCALES else "",
                time_zone=rng.choice(COUNTRIES[locale[-2:]].cities)[1],
                joined=started,
            )
            self._membership(
                person_id=pk,
                organization_id=None,
                roles=Membership.encode_roles([role]),
                job_role=JobRole.SALES if role == Role.CHANNEL_ACCOUNT_MANAGER else JobRole.OTHER,
                started_on=started,
            )
        return admin_id

    def _partner_people(self, organizations: list[PlannedOrganization]) -> None:
        rng = self.rng
        active = [o for o in organizations if o.status == OrganizationStatus.ACTIVE]
        verified = [o for o in active if any(v for _, v in o.domains)]
        reseller = next(o for o in organizations if o.key == "reseller")
        pending = _spread(rng, self.scale.pending_registrations, verified, reseller)
        invitations = _spread(rng, self.scale.pending_invitations - 1, active, reseller)
        self.movers_wanted = self.scale.moved_people
        self.movers_eligible = sum(
            max(0, o.people - _leading_roles(o)[0])
            for o in organizations
            if o.status != OrganizationStatus.TERMINATED
        )
        # Oldest first: the fallback for someone who joined their partner early.
        self.previous_employers = sorted(
            (o for o in organizations if o.joined_on is not None),
            key=lambda o: (o.joined_on, o.id),
        )
        for organization in organizations:
            self._organization_people(
                organization,
                pending=pending[organization.id],
                invitations=invitations[organization.id],
            )

    def _organization_people(
        self, organization: PlannedOrganization, *, pending: int, invitations: int
    ) -> None:
        rng = self.rng
        country = COUNTRIES[organization.country]
        pool = name_pool(country.faker_locale, self.seed)
        style = rng.choice(_EMAIL_STYLES)
        logins = _logins_of(organization)
        used = {login.local_part for login in logins}
        leading, admins, managers = _leading_roles(organization)
        terminated = organization.status == OrganizationStatus.TERMINATED
        admin_id = 0
        for index in range(organization.people):
            login: DemoLogin | None = logins[index] if index < len(logins) else None
            if login is not None:
                email = login.email(self.tenant_slug)
                full_name = login.full_name
                roles = Membership.encode_roles(list(login.roles))
                job_role = login.job_role
            else:
                name = pool.pick(rng)
                email = f"{_local_part(name, style, used)}@{organization.main_domain}"
                full_name = name.display
                if index < admins:
                    roles, job_role = _PARTNER_ADMIN, str(weighted(rng, _ADMIN_JOBS))
                elif index < admins + managers:
                    roles, job_role = _PARTNER_MANAGER, str(weighted(rng, _MANAGER_JOBS))
                else:
                    roles, job_role = _LEARNER, str(weighted(rng, _LEARNER_JOBS))
            started = self._start(organization, first=index == 0)
            history: tuple[PlannedOrganization, date, date] | None = None
            if index >= leading and not terminated and self._is_mover():
                history = self._previous_employment(organization, started)
                if history is None:
                    self.movers_wanted += 1  # nobody fits before this start: the next one moves
            pk = self._person(
                email=email,
                full_name=full_name,
                locale=self._locale(country.language),
                time_zone=self._time_zone(organization),
                joined=history[1] if history else started,
            )
            admin_id = admin_id or pk
            if history is not None:
                previous, previous_start, previous_end = history
                self._membership(
                    person_id=pk,
                    organization_id=previous.id,
                    roles=_LEARNER,
                    job_role=job_role,
                    status=MembershipStatus.ENDED,
                    started_on=previous_start,
                    ended_on=previous_end,
                    end_reason=f"Moved to {organization.name}",
                )
            self._membership(
                person_id=pk,
                organization_id=organization.id,
                roles=roles,
                job_role=job_role,
                status=MembershipStatus.ENDED if terminated else MembershipStatus.ACTIVE,
                started_on=started,
                ended_on=organization.terminated_on if terminated else None,
                end_reason="Partner agreement terminated" if terminated else "",
            )
        self._pending_registrations(organization, style, used, pending)
        self._invitations(organization, style, used, invitations, admin_id)

    def _pending_registrations(
        self, organization: PlannedOrganization, style: str, used: set[str], count: int
    ) -> None:
        """People who signed up with an address in the organization's verified domain and wait
        for their partner admin's approval."""
        domain = next((d for d, verified in organization.domains if verified), None)
        if domain is None:
            return
        country = COUNTRIES[organization.country]
        for _ in range(count):
            name = name_pool(country.faker_locale, self.seed).pick(self.rng)
            started = self.today - timedelta(days=self.rng.randint(0, 12))
            pk = self._person(
                email=f"{_local_part(name, style, used)}@{domain}",
                full_name=name.display,
                locale=self._locale(country.language),
                time_zone=self._time_zone(organization),
                joined=started,
            )
            self._membership(
                person_id=pk,
                organization_id=organization.id,
                roles=_LEARNER,
                job_role=str(weighted(self.rng, _LEARNER_JOBS)),
                status=MembershipStatus.PENDING,
                started_on=started,
            )

    def _invitations(
        self,
        organization: PlannedOrganization,
        style: str,
        used: set[str],
        count: int,
        invited_by: int,
    ) -> None:
        country = COUNTRIES[organization.country]
        for _ in range(count):
            name = name_pool(country.faker_locale, self.seed).pick(self.rng)
            manager = self.rng.random() < 0.2
            self._invitation(
                email=f"{_local_part(name, style, used)}@{organization.main_domain}",
                organization_id=organization.id,
                roles=_PARTNER_MANAGER if manager else _LEARNER,
                job_role=str(weighted(self.rng, _MANAGER_JOBS if manager else _LEARNER_JOBS)),
                invited_by=invited_by,
            )

    def _vendor_invitation(self, invited_by: int) -> None:
        """One colleague invited to vendor staff and not yet arrived."""
        if self.scale.pending_invitations < 1:
            return
        self._invitation(
            email=f"new.analyst@{vendor_domain(self.tenant_slug)}",
            organization_id=None,
            roles=Membership.encode_roles([Role.ANALYST]),
            job_role=JobRole.OTHER,
            invited_by=invited_by,
        )

    def _invitation(
        self, *, email: str, organization_id: int | None, roles: str, job_role: str, invited_by: int
    ) -> None:
        created = self.now - timedelta(hours=self.rng.randint(1, 24 * 10))
        self.invitation_sink.add(
            (
                self.tenant.pk,
                email,
                organization_id,
                roles,
                job_role,
                invited_by or None,
                f"{self.rng.getrandbits(64):016x}",
                InvitationStatus.PENDING,
                "Welcome aboard: your Northwind training plan is waiting."
                if self.rng.random() < 0.5
                else "",
                created,
                created + timedelta(days=settings.CASCADE_INVITATION_DAYS),
            )
        )

    # --- details ------------------------------------------------------------------------------

    def _start(self, organization: PlannedOrganization, *, first: bool) -> date:
        base = organization.joined_on or self.today - timedelta(days=200)
        latest = organization.terminated_on or self.today
        span = max(0, (latest - base).days)
        if first:
            return base + timedelta(days=self.rng.randint(0, min(30, span)))
        return base + timedelta(days=int(span * self.rng.random() ** 0.8))

    def _is_mover(self) -> bool:
        """Selection sampling: exactly `moved_people` of the eligible people, spread evenly."""
        if self.movers_eligible <= 0:
            return False
        chosen = self.rng.random() * self.movers_eligible < self.movers_wanted
        self.movers_eligible -= 1
        if chosen:
            self.movers_wanted -= 1
        return chosen

    def _previous_employment(
        self, organization: PlannedOrganization, started: date
    ) -> tuple[PlannedOrganization, date, date] | None:
        for _ in range(8):
            previous = self.rng.choice(self.previous_employers)
            if previous is organization or previous.joined_on is None:
                continue
            ended = started - timedelta(days=self.rng.randint(1, 45))
            if previous.terminated_on is not None:
                ended = min(ended, previous.terminated_on)
            began = max(ended - timedelta(days=self.rng.randint(90, 2500)), previous.joined_on)
            if began <= ended:
                return previous, began, ended
        oldest = self.previous_employers[0] if self.previous_employers else None
        if oldest is not None and oldest is not organization and oldest.joined_on is not None:
            ended = started - timedelta(days=1)
            if oldest.joined_on <= ended and oldest.terminated_on is None:
                return oldest, oldest.joined_on, ended
        return None

    def _locale(self, language: str) -> str:
        return language if language and self.rng.random() < 0.75 else ""

    def _time_zone(self, organization: PlannedOrganization) -> str:
        if self.rng.random() < 0.8:
            return organization.time_zone
        return self.rng.choice(COUNTRIES[organization.country].cities)[1]


def _leading_roles(organization: PlannedOrganization) -> tuple[int, int, int]:
    """(people who are never movers, partner admins, partner managers) for an organization."""
    people = organization.people
    admins = 1 + (people >= 60) + (people >= 1000)
    managers = 0 if people < 4 else max(1, round(people * 0.06))
    return min(people, max(admins, len(_logins_of(organization)))), admins, managers


def _logins_of(organization: PlannedOrganization) -> list[DemoLogin]:
    if organization.key is None:
        return []
    return [login for login in DEMO_LOGINS if login.organization_key == organization.key]


def _spread(
    rng: random.Random,
    count: int,
    candidates: list[PlannedOrganization],
    first: PlannedOrganization,
) -> Counter[int]:
    """`count` items over organizations: one to `first` (for the demo), the rest at random."""
    spread: Counter[int] = Counter()
    if count <= 0 or not candidates:
        return spread
    spread[first.id] += 1
    for _ in range(count - 1):
        spread[rng.choice(candidates).id] += 1
    return spread


def _local_part(name: Name, style: str, used: set[str]) -> str:
    first, last = name.first or "user", name.last or "partner"
    base = {
        "first.last": f"{first}.{last}",
        "flast": f"{first[0]}{last}",
        "first_last": f"{first}_{last}",
        "first": first,
    }[style]
    candidate, number = base, 2
    while candidate in used:
        candidate = f"{base}{number}"
        number += 1
    used.add(candidate)
    return candidate
