"""The fixed demo logins: one person per role, all with the same documented password.

Vendor staff sign in at the vendor's domain; the partner logins belong to Bluebird Networks, a
reseller below the distributor Atlas Distribution, so the hierarchy can be seen from both sides.
For a tenant other than the default one, the domains carry its slug so seeding a second program
never collides with the first one's addresses.
"""

from __future__ import annotations

from dataclasses import dataclass

from cascade.demo.catalogue import DEFAULT_TENANT_SLUG
from cascade.identity.roles import JobRole, Role
from cascade.tenancy.models import BusinessModel

DEMO_PASSWORD = "cascade-demo-2026"
DEMO_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class NamedOrganization:
    """A partner organization every seed contains, whatever the seed number."""

    key: str
    name: str
    domain_label: str
    business_model: BusinessModel
    region_code: str
    country: str
    city: str
    tier_rank: int
    parent_key: str | None
    joined_years_ago: int


NAMED_DISTRIBUTOR = NamedOrganization(
    key="distributor",
    name="Atlas Distribution",
    domain_label="atlas-distribution",
    business_model=BusinessModel.DISTRIBUTOR,
    region_code="EMEA",
    country="GB",
    city="London",
    tier_rank=4,
    parent_key=None,
    joined_years_ago=11,
)
NAMED_RESELLER = NamedOrganization(
    key="reseller",
    name="Bluebird Networks",
    domain_label="bluebird",
    business_model=BusinessModel.RESELLER,
    region_code="EMEA",
    country="FR",
    city="Lyon",
    tier_rank=2,
    parent_key="distributor",
    joined_years_ago=4,
)
NAMED_ORGANIZATIONS = (NAMED_DISTRIBUTOR, NAMED_RESELLER)


@dataclass(frozen=True)
class DemoLogin:
    label: str  # the role, as the demo table shows it
    local_part: str
    full_name: str
    roles: tuple[str, ...]
    job_role: str
    organization_key: str | None  # None: vendor staff

    def email(self, tenant_slug: str = DEFAULT_TENANT_SLUG) -> str:
        if self.organization_key is None:
            return f"{self.local_part}@{vendor_domain(tenant_slug)}"
        named = {o.key: o for o in NAMED_ORGANIZATIONS}[self.organization_key]
        return f"{self.local_part}@{partner_domain(named.domain_label, tenant_slug)}"


DEMO_LOGINS = (
    DemoLogin("Program admin", "admin", "Avery Morgan", (Role.PROGRAM_ADMIN,), JobRole.OTHER, None),
    DemoLogin(
        "Content author", "author", "Jordan Blake", (Role.CONTENT_AUTHOR,), JobRole.OTHER, None
    ),
    DemoLogin("Reviewer", "reviewer", "Riley Chen", (Role.REVIEWER,), JobRole.OTHER, None),
    DemoLogin("Translator", "translator", "Camille Roux", (Role.TRANSLATOR,), JobRole.OTHER, None),
    DemoLogin("Analyst", "analyst", "Samira Patel", (Role.ANALYST,), JobRole.OTHER, None),
    DemoLogin(
        "Channel account manager",
        "cam",
        "Casey Dubois",
        (Role.CHANNEL_ACCOUNT_MANAGER,),
        JobRole.SALES,
        None,
    ),
    DemoLogin(
        "Partner admin (distributor)",
        "partner-admin",
        "Oliver Hughes",
        (Role.LEARNER, Role.PARTNER_ADMIN),
        JobRole.EXECUTIVE,
        "distributor",
    ),
    DemoLogin(
        "Partner admin",
        "partner-admin",
        "Camille Laurent",
        (Role.LEARNER, Role.PARTNER_ADMIN),
        JobRole.EXECUTIVE,
        "reseller",
    ),
    DemoLogin(
        "Partner manager",
        "manager",
        "Hugo Martin",
        (Role.LEARNER, Role.PARTNER_MANAGER),
        JobRole.SALES,
        "reseller",
    ),
    DemoLogin("Learner", "learner", "Léa Bernard", (Role.LEARNER,), JobRole.PRESALES, "reseller"),
)


def vendor_domain(tenant_slug: str) -> str:
    return f"{tenant_slug}.example"


def partner_domain(label: str, tenant_slug: str) -> str:
    """Made-up partner domains under .example (RFC 2606), so no real company is ever mailed."""
    if tenant_slug == DEFAULT_TENANT_SLUG:
        return f"{label}.example"
    return f"{label}.{tenant_slug}.example"
