"""Planning the partner organizations of a seeded program: names, hierarchy, tiers, regions,
statuses, e-mail domains and how many people each has.

A plan is plain data computed from a `random.Random`: nothing here touches the database, so
the same seed always plans the same program, and ids are given only when it is written.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from cascade.demo.catalogue import (
    COMPOUND_ENDS,
    COMPOUND_STARTS,
    COUNTRIES,
    NAME_WORDS,
    PARTNER_BUSINESS_MODELS,
    REGIONS,
    SPECIALIZATIONS,
    SUFFIXES,
    RegionInfo,
)
from cascade.demo.logins import NAMED_ORGANIZATIONS, NamedOrganization, partner_domain
from cascade.demo.names import name_pool, slug_label
from cascade.demo.scales import Scale
from cascade.tenancy.models import BusinessModel, OrganizationStatus, VendorDataAccess

_REGIONS = {r.code: r for r in REGIONS}
_STATUSES = (
    (OrganizationStatus.ACTIVE, 84),
    (OrganizationStatus.PROSPECT, 7),
    (OrganizationStatus.SUSPENDED, 4),
    (OrganizationStatus.TERMINATED, 5),
)
_PARTNER_TIERS = ((1, 45), (2, 30), (3, 18), (4, 7))
_DISTRIBUTOR_TIERS = ((4, 50), (3, 40), (2, 10))
_SPECIALIZATION_COUNTS = ((0, 25), (1, 35), (2, 28), (3, 12))
_UNDER_DISTRIBUTOR = 0.72  # share of partners that buy through a distributor
_BRANCHES = 0.03  # share of partners that are a branch of another partner


@dataclass
class PlannedOrganization:
    name: str
    business_model: str
    region_code: str
    country: str
    city: str
    time_zone: str
    tier_rank: int | None
    status: str
    joined_on: date | None
    terminated_on: date | None
    vendor_data_access: str
    allow_parent_assignment: bool
    specialization_codes: tuple[str, ...]
    domains: list[tuple[str, bool]]  # (domain, verified); the first is the main one
    parent: PlannedOrganization | None = None
    key: str | None = None  # set on the named demo organizations
    people: int = 0
    id: int = 0
    path: str = ""
    depth: int = 0
    base_name: str = field(default="", repr=False)

    @property
    def main_domain(self) -> str:
        return self.domains[0][0]

    def assign_id(self, pk: int) -> None:
        """Give the organization its id and derive the materialized path and depth from it."""
        self.id = pk
        if self.parent is None:
            self.path, self.depth = f"/{pk}/", 0
        else:
            self.path, self.depth = f"{self.parent.path}{pk}/", self.parent.depth + 1


def weighted(rng: random.Random, choices: tuple[tuple[object, int], ...]) -> object:
    values = [value for value, _ in choices]
    weights = [weight for _, weight in choices]
    return rng.choices(values, weights=weights)[0]


class OrganizationPlanner:
    def __init__(
        self, *, rng: random.Random, seed: int, scale: Scale, tenant_slug: str, today: date
    ) -> None:
        self.rng = rng
        self.seed = seed
        self.scale = scale
        self.tenant_slug = tenant_slug
        self.today = today
        self.names: set[str] = set()
        self.domains: set[str] = set()

    def plan(self) -> list[PlannedOrganization]:
        named = self._named()
        distributors = [named["distributor"]]
        region_cycle = [r.code for r in sorted(REGIONS, key=lambda r: -r.weight)]
        for index in range(self.scale.distributors - 1):
            region = _REGIONS[region_cycle[(index + 1) % len(region_cycle)]]
            distributors.append(self._organization(BusinessModel.DISTRIBUTOR, region, None))
        others = self.scale.organizations - len(distributors) - 1
        branches = max(1, round(others * _BRANCHES)) if others >= 10 else 0
        partners = [named["reseller"]]
        for _ in range(others - branches):
            business_model = str(weighted(self.rng, PARTNER_BUSINESS_MODELS))
            region = self.rng.choices(REGIONS, weights=[r.weight for r in REGIONS])[0]
            parent = None
            if self.rng.random() < _UNDER_DISTRIBUTOR:
                nearby = [d for d in distributors if d.region_code == region.code]
                parent = self.rng.choice(nearby or distributors)
            partners.append(self._organization(business_model, region, parent))
        can_have_branches = [
            p
            for p in partners
            if p.parent is not None
            and p.key is None
            and p.business_model
            in (BusinessModel.RESELLER, BusinessModel.MSP, BusinessModel.SYSTEM_INTEGRATOR)
        ] or partners
        branch_list = [self._branch(self.rng.choice(can_have_branches)) for _ in range(branches)]
        organizations = distributors + partners + branch_list
        self._size(organizations)
        return organizations

    # --- one organization -------------------------------------------------------------------

    def _named(self) -> dict[str, PlannedOrganization]:
        planned: dict[str, PlannedOrganization] = {}
        for named in NAMED_ORGANIZATIONS:
            planned[named.key] = self._named_one(named, planned)
        return planned

    def _named_one(
        self, named: NamedOrganization, planned: dict[str, PlannedOrganization]
    ) -> PlannedOrganization:
        country = COUNTRIES[named.country]
        time_zone = dict(country.cities)[named.city]
        domain = partner_domain(named.domain_label, self.tenant_slug)
        self.names.add(named.name.lower())
        self.domains.add(domain)
        is_distributor = named.business_model == BusinessModel.DISTRIBUTOR
        return PlannedOrganization(
            name=named.name,
            base_name=named.name,
            business_model=named.business_model,
            region_code=named.region_code,
            country=named.country,
            city=named.city,
            time_zone=time_zone,
            tier_rank=named.tier_rank,
            status=OrganizationStatus.ACTIVE,
            joined_on=self.today - timedelta(days=365 * named.joined_years_ago + 17),
            terminated_on=None,
            vendor_data_access=VendorDataAccess.INDIVIDUALS,
            allow_parent_assignment=not is_distributor,
            specialization_codes=(
                ("security", "data-center", "cloud-networking", "sd-wan", "wireless")
                if is_distributor
                else ("security", "sd-wan", "wireless")
            ),
            domains=[(domain, True)],
            parent=planned[named.parent_key] if named.parent_key else None,
            key=named.key,
        )

    def _organization(
        self, business_model: str, region: RegionInfo, parent: PlannedOrganization | None
    ) -> PlannedOrganization:
        rng = self.rng
        if parent is not None and rng.random() < 0.75:
            country_code = parent.country
        else:
            country_code = str(weighted(rng, region.countries))
        country = COUNTRIES[country_code]
        city, time_zone = rng.choice(country.cities)
        is_distributor = business_model == BusinessModel.DISTRIBUTOR
        status = OrganizationStatus.ACTIVE if is_distributor else str(weighted(rng, _STATUSES))
        base = self._base_name(business_model, country_code)
        name = self._unique_name(base, country.legal_forms, city)
        joined_on, terminated_on = self._dates(status, is_distributor)
        if status == OrganizationStatus.PROSPECT:
            tier_rank: int | None = 1
        else:
            tiers = _DISTRIBUTOR_TIERS if is_distributor else _PARTNER_TIERS
            tier_rank = int(str(weighted(rng, tiers)))
        return PlannedOrganization(
            name=name,
            base_name=base,
            business_model=business_model,
            region_code=region.code,
            country=country_code,
            city=city,
            time_zone=time_zone,
            tier_rank=tier_rank,
            status=status,
            joined_on=joined_on,
            terminated_on=terminated_on,
            vendor_data_access=(
                VendorDataAccess.AGGREGATES if rng.random() < 0.08 else VendorDataAccess.INDIVIDUALS
            ),
            allow_parent_assignment=parent is not None and rng.random() < 0.45,
            specialization_codes=self._specializations(business_model),
            domains=self._domains(base, city, country_code, status),
            parent=parent,
        )

    def _branch(self, parent: PlannedOrganization) -> PlannedOrganization:
        """A branch office of a partner, run as its own organization below it."""
        country = COUNTRIES[parent.country]
        cities = [c for c in country.cities if c[0] != parent.city] or list(country.cities)
        city, time_zone = self.rng.choice(cities)
        base = f"{parent.base_name} {city}"
        name = self._unique_name(base, (), city)
        joined_on, _ = self._dates(OrganizationStatus.ACTIVE, False)
        if parent.joined_on is not None and joined_on is not None:
            joined_on = max(joined_on, parent.joined_on)
        return PlannedOrganization(
            name=name,
            base_name=base,
            business_model=parent.business_model,
            region_code=parent.region_code,
            country=parent.country,
            city=city,
            time_zone=time_zone,
            tier_rank=parent.tier_rank,
            status=OrganizationStatus.ACTIVE,
            joined_on=joined_on,
            terminated_on=None,
            vendor_data_access=parent.vendor_data_access,
            allow_parent_assignment=True,
            specialization_codes=parent.specialization_codes,
            domains=self._domains(base, city, parent.country, OrganizationStatus.ACTIVE),
            parent=parent,
        )

    def _base_name(self, business_model: str, country_code: str) -> str:
        rng = self.rng
        suffix = rng.choice(SUFFIXES[BusinessModel(business_model)])
        draw = rng.random()
        if business_model == BusinessModel.DISTRIBUTOR or draw < 0.45:
            return f"{rng.choice(NAME_WORDS)} {suffix}"
        if draw < 0.7:
            return f"{rng.choice(COMPOUND_STARTS)}{rng.choice(COMPOUND_ENDS)} {suffix}"
        pool = name_pool(COUNTRIES[country_code].faker_locale, self.seed)
        first = pool.pick_family_name(rng)
        if business_model in (BusinessModel.CONSULTANCY, BusinessModel.REFERRAL):
            return f"{first} & {pool.pick_family_name(rng)} {suffix}"
        return f"{first} {suffix}"

    def _unique_name(self, base: str, legal_forms: tuple[str, ...], city: str) -> str:
        legal = (
            f" {self.rng.choice(legal_forms)}" if legal_forms and self.rng.random() < 0.4 else ""
        )
        for candidate in (f"{base}{legal}", f"{base} {city}{legal}"):
            if candidate.lower() not in self.names:
                self.names.add(candidate.lower())
                return candidate
        number = 2
        while f"{base} {city} {number}".lower() in self.names:
            number += 1
        candidate = f"{base} {city} {number}"
        self.names.add(candidate.lower())
        return candidate

    def _domains(
        self, base: str, city: str, country_code: str, status: str
    ) -> list[tuple[str, bool]]:
        label = slug_label(base) or "partner"
        candidates = [label, f"{label}-{slug_label(city)}", f"{label}-{country_code.lower()}"]
        main = next(
            (c for c in candidates if partner_domain(c, self.tenant_slug) not in self.domains),
            None,
        )
        if main is None:
            number = 2
            while partner_domain(f"{label}-{number}", self.tenant_slug) in self.domains:
                number += 1
            main = f"{label}-{number}"
        verified_share = 0.6 if status == OrganizationStatus.PROSPECT else 0.96
        domains = [(partner_domain(main, self.tenant_slug), self.rng.random() < verified_share)]
        second = partner_domain(f"{main}-{country_code.lower()}", self.tenant_slug)
        if self.rng.random() < 0.12 and second not in self.domains:
            domains.append((second, self.rng.random() < 0.8))
        self.domains.update(domain for domain, _ in domains)
        return domains

    def _dates(self, status: str, is_distributor: bool) -> tuple[date | None, date | None]:
        if status == OrganizationStatus.PROSPECT:
            return None, None
        rng = self.rng
        if is_distributor:
            days = rng.randint(5 * 365, 18 * 365)
        else:
            days = 45 + int(14 * 365 * rng.random() ** 1.6)
        joined_on = self.today - timedelta(days=days)
        terminated_on = None
        if status == OrganizationStatus.TERMINATED:
            earliest = joined_on + timedelta(days=120)
            latest = self.today - timedelta(days=15)
            span = max(0, (latest - earliest).days)
            terminated_on = max(joined_on, earliest + timedelta(days=rng.randint(0, span)))
            terminated_on = min(terminated_on, self.today)
        return joined_on, terminated_on

    def _specializations(self, business_model: str) -> tuple[str, ...]:
        codes = [code for code, _, _ in SPECIALIZATIONS]
        if business_model == BusinessModel.DISTRIBUTOR:
            return tuple(sorted(self.rng.sample(codes, self.rng.randint(3, 6))))
        count = int(str(weighted(self.rng, _SPECIALIZATION_COUNTS)))
        chosen = set(self.rng.sample(codes, count))
        if business_model == BusinessModel.MSP:
            chosen.add("managed-services")
        return tuple(sorted(chosen))

    # --- sizes --------------------------------------------------------------------------------

    def _size(self, organizations: list[PlannedOrganization]) -> None:
        """Share the people out: everyone has at least its partner admin, a few are very large
        (a heavy-tailed distribution, as in real channels), distributors are larger."""
        members = self.scale.people - self.scale.pending_registrations
        spare = members - len(organizations)
        weights = []
        for organization in organizations:
            weight = min(self.rng.paretovariate(1.2), 60.0)
            if organization.business_model == BusinessModel.DISTRIBUTOR:
                weight *= 4
            if organization.status == OrganizationStatus.PROSPECT:
                weight *= 0.3
            weights.append(weight)
        total = sum(weights)
        shares = [spare * w / total for w in weights]
        counts = [1 + math.floor(share) for share in shares]
        leftover = members - sum(counts)
        by_remainder = sorted(range(len(organizations)), key=lambda i: (-(shares[i] % 1), i))
        for index in by_remainder[:leftover]:
            counts[index] += 1
        for organization, count in zip(organizations, counts, strict=True):
            organization.people = count
        self._ensure_named_sizes(organizations)

    def _ensure_named_sizes(self, organizations: list[PlannedOrganization]) -> None:
        """The named reseller shows a real team: its three demo logins and some colleagues."""
        wanted = {"distributor": 8, "reseller": 24}
        for organization in organizations:
            if organization.key is None:
                continue
            target = min(wanted[organization.key], 3 + self.scale.people // 50)
            while organization.people < target:
                donor = max(organizations, key=lambda o: o.people if o.key is None else 0)
                if donor.people <= 1 or donor.key is not None:
                    break
                donor.people -= 1
                organization.people += 1
