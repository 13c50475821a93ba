"""Writes to the partner program's structure: organizations, their hierarchy, tiers, regions,
specializations and verified e-mail domains. Each function is one transaction with an audit row
and, where other parts of the product care, a domain event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, TypedDict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Lower, Substr
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record, snapshot
from cascade.core.errors import Conflict, ValidationFailed
from cascade.core.generations import generation_bump
from cascade.events.services import event_record
from cascade.tenancy.models import (
    BusinessModel,
    OrganizationDomain,
    OrganizationStatus,
    PartnerOrganization,
    Region,
    Specialization,
    Tenant,
    TenantDomain,
    Tier,
    VendorDataAccess,
)
from cascade.tenancy.resolution import forget_cached_tenants
from cascade.tenancy.selectors import specializations_family

MAX_HIERARCHY_DEPTH = 8
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

ORGANIZATION_AUDIT_FIELDS = (
    "name",
    "parent",
    "tier",
    "business_model",
    "region",
    "country",
    "specializations",
    "status",
    "joined_on",
    "vendor_data_access",
    "allow_parent_assignment",
)
# What a partner admin may change about their own organization.
ORGANIZATION_SETTINGS_FIELDS = frozenset({"vendor_data_access", "allow_parent_assignment"})


class OrganizationFields(TypedDict, total=False):
    name: str
    parent_id: int | None
    tier_id: int | None
    business_model: str
    region_id: int | None
    country: str
    specialization_ids: list[int]
    status: str
    joined_on: date | None
    vendor_data_access: str
    allow_parent_assignment: bool
    email_domains: list[str]


# --- tenants ----------------------------------------------------------------------------------


@transaction.atomic
def tenant_create(
    *,
    name: str,
    slug: str,
    domains: Sequence[str] = (),
    default_locale: str = "en",
    supported_locales: Sequence[str] = ("en",),
    primary_colour: str = "#1f4fa3",
    accent_colour: str = "#0f7b6c",
) -> Tenant:
    """Create a vendor program (an operator's act: there is no tenant actor yet)."""
    if Tenant.objects.filter(slug=slug).exists():
        raise Conflict(f"A tenant with slug {slug!r} already exists.", code="duplicate_slug")
    tenant = Tenant(
        name=name.strip(),
        slug=slug,
        default_locale=default_locale,
        supported_locales=list(dict.fromkeys([default_locale, *supported_locales])),
        primary_colour=primary_colour,
        accent_colour=accent_colour,
    )
    unknown = set(tenant.supported_locales) - {code for code, _ in settings.LANGUAGES}
    if unknown:
        raise ValidationFailed.field(
            "supported_locales",
            f"Unsupported languages: {', '.join(sorted(unknown))}.",
            code="invalid_locale",
        )
    _full_clean(tenant)
    # The constraints are the arbiters under concurrency; the checks above only word the error.
    try:
        with transaction.atomic():
            tenant.save()
    except IntegrityError as exc:
        raise Conflict(
            f"A tenant with slug {slug!r} already exists.", code="duplicate_slug"
        ) from exc
    for index, domain in enumerate(domains):
        domain = _normalise_domain(domain, field="domains", allow_localhost=True)
        if TenantDomain.objects.filter(domain=domain).exists():
            raise Conflict(f"{domain} already serves another tenant.", code="duplicate_domain")
        try:
            with transaction.atomic():
                TenantDomain.objects.create(tenant=tenant, domain=domain, is_primary=index == 0)
        except IntegrityError as exc:
            raise Conflict(
                f"{domain} already serves another tenant.", code="duplicate_domain"
            ) from exc
    transaction.on_commit(forget_cached_tenants)
    return tenant


TENANT_AUDIT_FIELDS = (
    "name",
    "logo_url",
    "primary_colour",
    "accent_colour",
    "default_locale",
    "supported_locales",
)


class TenantFields(TypedDict, total=False):
    name: str
    logo_url: str
    primary_colour: str
    accent_colour: str
    default_locale: str
    supported_locales: list[str]


@transaction.atomic
def tenant_update(*, actor: Actor, fields: TenantFields) -> Tenant:
    """Change the program's name, brand (logo address, colours) or languages (program admins).

    The default language is always among the supported ones. Every page shows the change at
    once: cached host lookups are invalidated after commit.
    """
    require(actor, Action.PROGRAM_SETTINGS_MANAGE)
    tenant = Tenant.objects.select_for_update().get(pk=actor.tenant.pk)
    before = snapshot(tenant, TENANT_AUDIT_FIELDS)
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            raise ValidationFailed.field("name", "A name is required.", code="required")
        tenant.name = name
    for colour in ("primary_colour", "accent_colour"):
        if colour in fields:
            setattr(tenant, colour, (fields[colour] or "").strip().lower())
    if "logo_url" in fields:
        tenant.logo_url = (fields["logo_url"] or "").strip()
    languages = {code for code, _ in settings.LANGUAGES}
    if "supported_locales" in fields:
        supported = list(dict.fromkeys(fields["supported_locales"]))
        unknown = set(supported) - languages
        if unknown or not supported:
            raise ValidationFailed.field(
                "supported_locales",
                f"Choose languages among: {', '.join(sorted(languages))}.",
                code="invalid_locale",
            )
        tenant.supported_locales = supported
    if "default_locale" in fields:
        if fields["default_locale"] not in languages:
            raise ValidationFailed.field(
                "default_locale", "Unsupported language.", code="invalid_locale"
            )
        tenant.default_locale = fields["default_locale"]
    if tenant.default_locale not in tenant.supported_locales:
        tenant.supported_locales = [tenant.default_locale, *tenant.supported_locales]
    _full_clean(tenant, exclude=["logo"])
    tenant.save()
    audit_record(
        actor=actor,
        action="tenant.update",
        target=tenant,
        before=before,
        after=snapshot(tenant, TENANT_AUDIT_FIELDS),
    )
    transaction.on_commit(forget_cached_tenants)
    return tenant


# --- organizations ----------------------------------------------------------------------------


@transaction.atomic
def organization_create(*, actor: Actor, fields: OrganizationFields) -> PartnerOrganization:
    require(actor, Action.ORGANIZATION_CREATE)
    if not fields.get("name"):
        raise ValidationFailed.field("name", "A name is required.", code="required")
    if not fields.get("business_model"):
        raise ValidationFailed.field(
            "business_model", "A business model is required.", code="required"
        )
    organization = PartnerOrganization(tenant=actor.tenant)
    _apply(actor, organization, fields)
    _save_unique(organization)
    organization.path = (
        f"{organization.parent.path if organization.parent else '/'}{organization.pk}/"
    )
    organization.depth = organization.parent.depth + 1 if organization.parent else 0
    organization.save(update_fields=["path", "depth"])
    if "specialization_ids" in fields:
        organization.specializations.set(_specializations(fields["specialization_ids"]))
        generation_bump(specializations_family(organization.pk), organization.tenant_id)
    if "email_domains" in fields:
        _set_domains(organization, fields["email_domains"])
    audit_record(
        actor=actor,
        action="organization.create",
        target=organization,
        after=snapshot(organization, ORGANIZATION_AUDIT_FIELDS),
    )
    event_record(
        tenant=actor.tenant,
        name="organization.created",
        payload={"organization_id": organization.pk},
    )
    return organization


@transaction.atomic
def organization_update(
    *, actor: Actor, organization: PartnerOrganization, fields: OrganizationFields
) -> PartnerOrganization:
    """Change an organization. Partner admins may change only their own sharing settings."""
    if set(fields) <= ORGANIZATION_SETTINGS_FIELDS:
        require(actor, Action.ORGANIZATION_UPDATE_SETTINGS, organization)
    else:
        require(actor, Action.ORGANIZATION_UPDATE, organization)
    organization = PartnerOrganization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(organization, ORGANIZATION_AUDIT_FIELDS)
    old_tier_id = organization.tier_id
    old_parent_id = organization.parent_id
    _apply(actor, organization, fields)
    _save_unique(organization)
    if "parent_id" in fields and organization.parent_id != old_parent_id:
        _move_subtree(organization)
    if "specialization_ids" in fields:
        organization.specializations.set(_specializations(fields["specialization_ids"]))
        generation_bump(specializations_family(organization.pk), organization.tenant_id)
    if "email_domains" in fields:
        _set_domains(organization, fields["email_domains"])
    after = snapshot(organization, ORGANIZATION_AUDIT_FIELDS)
    audit_record(
        actor=actor, action="organization.update", target=organization, before=before, after=after
    )
    if organization.tier_id != old_tier_id:
        event_record(
            tenant=actor.tenant,
            name="tier.changed",
            payload={
                "organization_id": organization.pk,
                "from_tier_id": old_tier_id,
                "to_tier_id": organization.tier_id,
            },
        )
    return organization


@transaction.atomic
def organization_delete(*, actor: Actor, organization: PartnerOrganization) -> None:
    """Delete an organization that never had people or children; otherwise terminate it."""
    require(actor, Action.ORGANIZATION_DELETE, organization)
    if organization.children.exists():
        raise Conflict(
            "This organization has child organizations; move or delete them first.",
            code="has_children",
        )
    if organization.memberships.exists():
        raise Conflict(
            "People have belonged to this organization; set its status to terminated instead, "
            "so their history stays.",
            code="has_history",
        )
    audit_record(
        actor=actor,
        action="organization.delete",
        target=organization,
        before=snapshot(organization, ORGANIZATION_AUDIT_FIELDS),
    )
    organization.delete()


def _apply(actor: Actor, organization: PartnerOrganization, fields: OrganizationFields) -> None:
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            raise ValidationFailed.field("name", "A name is required.", code="required")
        organization.name = name
    if "business_model" in fields:
        _choice("business_model", fields["business_model"], BusinessModel.values)
        organization.business_model = fields["business_model"]
    if "status" in fields:
        _choice("status", fields["status"], OrganizationStatus.values)
        organization.status = fields["status"]
    if "vendor_data_access" in fields:
        _choice("vendor_data_access", fields["vendor_data_access"], VendorDataAccess.values)
        organization.vendor_data_access = fields["vendor_data_access"]
    if "allow_parent_assignment" in fields:
        organization.allow_parent_assignment = bool(fields["allow_parent_assignment"])
    if "joined_on" in fields:
        organization.joined_on = fields["joined_on"]
    if "country" in fields:
        country = (fields["country"] or "").upper()
        if country and not _COUNTRY.match(country):
            raise ValidationFailed.field(
                "country", "Use a two-letter ISO 3166 country code.", code="invalid_country"
            )
        organization.country = country
    if "tier_id" in fields:
        organization.tier = _lookup(Tier, "tier_id", fields["tier_id"])
    if "region_id" in fields:
        organization.region = _lookup(Region, "region_id", fields["region_id"])
    if "parent_id" in fields:
        parent = _lookup(PartnerOrganization, "parent_id", fields["parent_id"])
        _check_parent(organization, parent)
        organization.parent = parent


def _check_parent(organization: PartnerOrganization, parent: PartnerOrganization | None) -> None:
    if parent is None:
        return
    if organization.pk is not None and (
        parent.pk == organization.pk or parent.path.startswith(organization.path)
    ):
        raise ValidationFailed.field(
            "parent_id",
            "An organization cannot sit below itself or one of its own children.",
            code="hierarchy_cycle",
        )
    if parent.depth + 1 >= MAX_HIERARCHY_DEPTH:
        raise ValidationFailed.field(
            "parent_id",
            f"The hierarchy may be at most {MAX_HIERARCHY_DEPTH} levels deep.",
            code="hierarchy_too_deep",
        )


def _move_subtree(organization: PartnerOrganization) -> None:
    """Re-derive `path` and `depth` for the organization and everything below it."""
    old_path = organization.path
    parent = organization.parent
    new_path = f"{parent.path if parent else '/'}{organization.pk}/"
    depth_change = (parent.depth + 1 if parent else 0) - organization.depth
    deepest = (
        PartnerOrganization.objects.filter(path__startswith=old_path)
        .order_by("-depth")
        .values_list("depth", flat=True)
        .first()
    ) or organization.depth
    if deepest + depth_change >= MAX_HIERARCHY_DEPTH:
        raise ValidationFailed.field(
            "parent_id",
            f"The hierarchy may be at most {MAX_HIERARCHY_DEPTH} levels deep.",
            code="hierarchy_too_deep",
        )
    PartnerOrganization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    organization.refresh_from_db(fields=["path", "depth"])


def _save_unique(organization: PartnerOrganization) -> None:
    clash = PartnerOrganization.objects.annotate(lower_name=Lower("name")).filter(
        lower_name=organization.name.lower()
    )
    if organization.pk is not None:
        clash = clash.exclude(pk=organization.pk)
    if clash.exists():
        raise Conflict(
            f"An organization named {organization.name!r} already exists.",
            code="duplicate_name",
            details=[{"field": "name", "message": "This name is taken."}],
        )
    _full_clean(organization, exclude=["tenant", "parent", "tier", "region"])
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:
        raise Conflict(
            f"An organization named {organization.name!r} already exists.", code="duplicate_name"
        ) from exc


def _set_domains(organization: PartnerOrganization, domains: list[str]) -> None:
    wanted = {_normalise_domain(d, field="email_domains") for d in domains}
    taken = (
        OrganizationDomain.objects.filter(domain__in=wanted)
        .exclude(organization=organization)
        .values_list("domain", flat=True)
    )
    if taken:
        raise Conflict(
            f"These domains belong to another organization: {', '.join(sorted(taken))}.",
            code="domain_taken",
            details=[{"field": "email_domains", "message": d} for d in sorted(taken)],
        )
    OrganizationDomain.objects.filter(organization=organization).exclude(domain__in=wanted).delete()
    existing = set(organization.email_domains.values_list("domain", flat=True))
    now = timezone.now()
    OrganizationDomain.objects.bulk_create(
        OrganizationDomain(
            tenant_id=organization.tenant_id, organization=organization, domain=d, verified_at=now
        )
        for d in sorted(wanted - existing)
    )


def _normalise_domain(domain: str, *, field: str, allow_localhost: bool = False) -> str:
    value = (domain or "").strip().lower().rstrip(".")
    if allow_localhost and value in {"localhost", "127.0.0.1", "testserver"}:
        return value
    if not _DOMAIN.match(value):
        raise ValidationFailed.field(
            field, f"{domain!r} is not a valid domain name.", code="invalid_domain"
        )
    return value


def _specializations(ids: list[int]) -> list[Specialization]:
    found = list(Specialization.objects.filter(pk__in=ids))
    missing = set(ids) - {s.pk for s in found}
    if missing:
        raise ValidationFailed.field(
            "specialization_ids",
            f"Unknown specializations: {', '.join(map(str, sorted(missing)))}.",
            code="unknown_reference",
        )
    return found


def _lookup(model: Any, field: str, pk: int | None) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed.field(
            field, f"No such {model._meta.verbose_name}: {pk}.", code="unknown_reference"
        )
    return found


def _choice(field: str, value: str, allowed: list[str]) -> None:
    if value not in allowed:
        raise ValidationFailed.field(
            field, f"{value!r} is not one of: {', '.join(allowed)}.", code="invalid_choice"
        )


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        details = [
            {"field": name, "message": str(message)}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
        raise ValidationFailed(
            details[0]["message"] if details else "Invalid data.", details=details
        ) from exc


# --- tiers, regions, specializations ----------------------------------------------------------


@transaction.atomic
def tier_create(*, actor: Actor, name: str, rank: int, description: str = "") -> Tier:
    require(actor, Action.PROGRAM_STRUCTURE_MANAGE)
    tier = Tier(tenant=actor.tenant, name=name.strip(), rank=rank, description=description)
    _save_structure(tier, "name or rank")
    audit_record(
        actor=actor, action="tier.create", target=tier, after=snapshot(tier, ("name", "rank"))
    )
    return tier


@transaction.atomic
def tier_update(*, actor: Actor, tier: Tier, changes: dict[str, Any]) -> Tier:
    require(actor, Action.PROGRAM_STRUCTURE_MANAGE)
    before = snapshot(tier, ("name", "rank", "description"))
    for key in ("name", "rank", "description"):
        if key in changes:
            setattr(tier, key, changes[key].strip() if key == "name" else changes[key])
    _save_structure(tier, "name or rank")
    audit_record(
        actor=actor,
        action="tier.update",
        target=tier,
        before=before,
        after=snapshot(tier, ("name", "rank", "description")),
    )
    return tier


@transaction.atomic
def region_create(*, actor: Actor, name: str, code: str, countries: list[str]) -> Region:
    require(actor, Action.PROGRAM_STRUCTURE_MANAGE)
    region = Region(
        tenant=actor.tenant, name=name.strip(), code=code.strip(), countries=_countries(countries)
    )
    _save_structure(region, "code")
    audit_record(
        actor=actor,
        action="region.create",
        target=region,
        after=snapshot(region, ("name", "code", "countries")),
    )
    return region


@transaction.atomic
def region_update(*, actor: Actor, region: Region, changes: dict[str, Any]) -> Region:
    require(actor, Action.PROGRAM_STRUCTURE_MANAGE)
    before = snapshot(region, ("name", "code", "countries"))
    if "name" in changes:
        region.name = changes["name"].strip()
    if "code" in changes:
        region.code = changes["code"].strip()
    if "countries" in changes:
        region.countries = _countries(changes["countries"])
    _save_structure(region, "code")
    audit_record(
        actor=actor,
        action="region.update",
        target=region,
        before=before,
        after=snapshot(region, ("name", "code", "countries")),
    )
    return region


@transaction.atomic
def specialization_create(
    *, actor: Actor, name: str, code: str, description: str = ""
) -> Specialization:
    require(actor, Action.PROGRAM_STRUCTURE_MANAGE)
    specialization = Specialization(
        tenant=actor.tenant, name=name.strip(), code=code.strip(), description=description
    )
    _save_structure(specialization, "code")
    audit_record(
        actor=actor,
        action="specialization.create",
        target=specialization,
        after=snapshot(specialization, ("name", "code")),
    )
    return specialization


@transaction.atomic
def specialization_update(
    *, actor: Actor, specialization: Specialization, changes: dict[str, Any]
) -> Specialization:
    require(actor, Action.PROGRAM_STRUCTURE_MANAGE)
    before = snapshot(specialization, ("name", "code", "description"))
    for key in ("name", "code", "description"):
        if key in changes:
            setattr(specialization, key, changes[key].strip())
    _save_structure(specialization, "code")
    audit_record(
        actor=actor,
        action="specialization.update",
        target=specialization,
        before=before,
        after=snapshot(specialization, ("name", "code", "description")),
    )
    return specialization


@transaction.atomic
def structure_delete(*, actor: Actor, item: Tier | Region | Specialization) -> None:
    """Delete a tier, region or specialization that no organization uses."""
    require(actor, Action.PROGRAM_STRUCTURE_MANAGE)
    used = {
        Tier: lambda: PartnerOrganization.objects.filter(tier=item).exists(),
        Region: lambda: PartnerOrganization.objects.filter(region=item).exists(),
        Specialization: lambda: PartnerOrganization.objects.filter(specializations=item).exists(),
    }[type(item)]()
    if used:
        raise Conflict(f"{item} is still used by partner organizations.", code="in_use")
    kind = item._meta.model_name
    audit_record(actor=actor, action=f"{kind}.delete", target=item, before={"name": item.name})
    item.delete()


def _save_structure(item: Tier | Region | Specialization, unique_what: str) -> None:
    if not item.name:
        raise ValidationFailed.field("name", "A name is required.", code="required")
    _full_clean(item, exclude=["tenant"])
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise Conflict(
            f"Another {item._meta.verbose_name} already has this {unique_what}.", code="duplicate"
        ) from exc


def _countries(countries: list[str]) -> list[str]:
    cleaned = []
    for country in countries:
        code = country.strip().upper()
        if not _COUNTRY.match(code):
            raise ValidationFailed.field(
                "countries",
                f"{country!r} is not a two-letter ISO 3166 code.",
                code="invalid_country",
            )
        cleaned.append(code)
    return sorted(set(cleaned))
