"""Tenants (a vendor's partner program) and the partner organizations inside it.

A partner organization sits in a hierarchy (a distributor above its resellers). The hierarchy is
stored twice on purpose: `parent` is the truth, `path` ("/12/45/") is derived by the services so
that "this organization and everything below it" is one indexed prefix query at any depth.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from cascade.core.scoping import TenantOwned

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour such as #1a73e8.")
slug_validator = RegexValidator(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$", "Use a-z, 0-9 and -.")


class Tenant(models.Model):
    """One vendor's partner program. The root of all tenant-owned data."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=50, unique=True, validators=[slug_validator])
    logo = models.FileField(upload_to="tenants/logos/", blank=True)
    logo_url = models.URLField(blank=True, help_text="Used when no logo file is uploaded.")
    primary_colour = models.CharField(max_length=7, default="#1f4fa3", validators=[hex_colour])
    accent_colour = models.CharField(max_length=7, default="#0f7b6c", validators=[hex_colour])
    default_locale = models.CharField(max_length=12, default="en")
    supported_locales = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantDomain(models.Model):
    """A host name that resolves to a tenant (e.g. partners.northwind.example)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)
    is_primary = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.domain


class Tier(TenantOwned):
    """A partner tier; `rank` orders them (1 is the entry tier, higher is better)."""

    name = models.CharField(max_length=60)
    rank = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "rank"], name="tier_rank_unique_per_tenant"),
            models.UniqueConstraint("tenant", Lower("name"), name="tier_name_unique_per_tenant"),
        ]

    def __str__(self) -> str:
        return self.name


class Region(TenantOwned):
    """A sales region (EMEA, North America...) and the ISO 3166 countries in it."""

    name = models.CharField(max_length=60)
    code = models.CharField(max_length=20)
    countries = models.JSONField(default=list)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"], name="region_code_unique_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Specialization(TenantOwned):
    """A competency a partner can be recognised for (Security, Data Center, Cloud...)."""

    name = models.CharField(max_length=80)
    code = models.CharField(max_length=40)
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"], name="specialization_code_unique_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BusinessModel(models.TextChoices):
    RESELLER = "reseller", "Reseller"
    MSP = "msp", "Managed service provider"
    SYSTEM_INTEGRATOR = "system_integrator", "System integrator"
    DISTRIBUTOR = "distributor", "Distributor"
    REFERRAL = "referral", "Referral partner"
    ISV = "isv", "Independent software vendor"
    CONSULTANCY = "consultancy", "Consultancy"


class OrganizationStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    TERMINATED = "terminated", "Terminated"


class VendorDataAccess(models.TextChoices):
    """How much of its people's individual learning data the organization lets the vendor see."""

    INDIVIDUALS = "individuals", "Individuals"
    AGGREGATES = "aggregates", "Aggregates only"


class PartnerOrganization(TenantOwned):
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=400, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    business_model = models.CharField(max_length=30, choices=BusinessModel.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    country = models.CharField(max_length=2, blank=True)
    specializations = models.ManyToManyField(Specialization, blank=True, related_name="+")
    status = models.CharField(
        max_length=20, choices=OrganizationStatus.choices, default=OrganizationStatus.PROSPECT
    )
    joined_on = models.DateField(null=True, blank=True)
    vendor_data_access = models.CharField(
        max_length=20, choices=VendorDataAccess.choices, default=VendorDataAccess.INDIVIDUALS
    )
    allow_parent_assignment = models.BooleanField(
        default=False,
        help_text="Whether the parent organization's managers may assign learning to our people.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "tenant", Lower("name"), name="organization_name_unique_per_tenant"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "name", "id"], name="organization_name_keyset"),
            models.Index(fields=["tenant", "path"], name="organization_path"),
            models.Index(fields=["tenant", "status"], name="organization_status"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationDomain(TenantOwned):
    """An e-mail domain verified as belonging to a partner organization.

    Self-registration and (later) single sign-on trust an address only inside these domains, and
    a domain belongs to at most one organization per tenant so an address never maps to two.
    """

    organization = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(max_length=253)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "domain"], name="organization_domain_unique_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return self.domain
