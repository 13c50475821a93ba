"""Which audiences a viewer is in, evaluated in SQL (one query, whatever the catalog's size)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from cascade.access.actor import Actor
from cascade.access.policies import sees_whole_tenant
from cascade.catalog.audiences import Viewer
from cascade.catalog.item_models import CatalogItem, ItemState
from cascade.catalog.models import Audience, AudienceRule, Dimension, Effect
from cascade.core.generations import generation_bump, generation_cached, generation_key
from cascade.core.scoping import current_tenant_id
from cascade.identity.models import Membership, MembershipStatus
from cascade.tenancy.models import PartnerOrganization
from cascade.tenancy.selectors import organization_specialization_ids


def viewer_for(actor: Actor) -> Viewer | None:
    """The viewer audience rules judge, or None when the actor sees the whole catalog (vendor
    staff, integrations, the system). A person without an active partner membership is judged
    as nobody: `audiences_admitting` then admits no audience."""
    if sees_whole_tenant(actor):
        return None
    membership = actor.membership
    if membership is None or membership.organization_id is None or not actor.is_member:
        return Viewer(
            organization_id=0,
            tier_id=None,
            tier_rank=None,
            region_id=None,
            country="",
            specialization_ids=frozenset(),
            business_model="",
            job_role="",
            locale="",
        )
    # The actor's membership comes with its organization and tier, read for this request.
    organization = membership.organization
    if organization is None or organization.pk != membership.organization_id:
        organization = PartnerOrganization.objects.select_related("tier").get(
            pk=membership.organization_id
        )
    specialization_ids = organization_specialization_ids(organization)
    person = actor.person
    locale = (person.preferred_locale if person else "") or actor.tenant.default_locale
    return Viewer(
        organization_id=organization.pk,
        tier_id=organization.tier_id,
        tier_rank=organization.tier.rank if organization.tier else None,
        region_id=organization.region_id,
        country=organization.country,
        specialization_ids=specialization_ids,
        business_model=organization.business_model,
        job_role=membership.job_role,
        locale=locale if locale in dict(settings.LANGUAGES) else actor.tenant.default_locale,
    )


def rules_matching(viewer: Viewer) -> QuerySet[AudienceRule]:
    """Rules whose every constrained dimension holds one of the viewer's values.

    A criterion counts when its (dimension, value) is one of the viewer's; a rule matches when the
    number of distinct dimensions counted equals the number it constrains.
    """
    viewer_values = Q()
    for dimension, values in viewer.values().items():
        viewer_values |= Q(criteria__dimension=dimension, criteria__value__in=sorted(values))
    if not viewer_values:
        viewer_values = Q(pk__in=[])
    rank = viewer.tier_rank
    rank_condition = Q(minimum_tier_rank__isnull=True)
    if rank is not None:
        rank_condition |= Q(minimum_tier_rank__lte=rank)
    return (
        AudienceRule.objects.filter(rank_condition)
        .annotate(matched=Count("criteria__dimension", filter=viewer_values, distinct=True))
        .filter(matched=F("dimension_count"))
    )


def audiences_admitting(viewer: Viewer | None) -> QuerySet[Audience]:
    """Audiences the viewer is in (all of the tenant's for a viewer of None: vendor staff)."""
    audiences = Audience.objects.all()
    if viewer is None:
        return audiences
    matching = rules_matching(viewer)
    return audiences.filter(
        pk__in=matching.filter(effect=Effect.INCLUDE).values("audience_id")
    ).exclude(pk__in=matching.filter(effect=Effect.EXCLUDE).values("audience_id"))


# Which audiences a viewer is in changes only when audience rules change (the viewer's own
# attributes are part of the key), so the answer is cached per viewer and tenant under a
# generation number that every audience write bumps.
_AUDIENCE_CACHE_SECONDS = 600


AUDIENCES = "catalog:audiences"


def audience_generation_key(tenant_id: int) -> str:
    """The cache key of the tenant's audience generation, bumped by every audience change:
    whatever caches who sees what (here, the video heartbeat buffer) keys on it."""
    return generation_key(AUDIENCES, tenant_id)


def audiences_changed(tenant_id: int) -> None:
    """Call when audience rules change: every cached "which audiences admit this viewer" of the
    tenant is stale at once."""
    generation_bump(AUDIENCES, tenant_id)


def admitted_audience_ids(viewer: Viewer) -> list[int]:
    """The ids of the audiences the viewer is in (a program has hundreds of audiences, not
    millions). Lists then filter items by a list of ids: the database plans with the real list
    instead of guessing the size of a subquery, which it underestimates badly."""
    tenant_id = current_tenant_id()
    if tenant_id is None:  # outside a tenant scope (maintenance code): no shared cache
        return sorted(audiences_admitting(viewer).values_list("pk", flat=True))
    signature = hashlib.sha256(
        repr(sorted((k, sorted(v)) for k, v in viewer.values().items())).encode()
        + f"|{viewer.tier_rank}".encode()
    ).hexdigest()[:32]
    ids = generation_cached(
        AUDIENCES,
        tenant_id,
        f"admitted:{signature}",
        lambda: sorted(audiences_admitting(viewer).values_list("pk", flat=True)),
        seconds=_AUDIENCE_CACHE_SECONDS,
    )
    return list(ids)


def catalog_items_visible(actor: Actor) -> QuerySet[CatalogItem]:
    """Items the actor may know exist: every item for vendor staff; for a partner person, only
    published, unretired items whose published audience admits them (one SQL query, whatever
    the catalog's size)."""
    items = CatalogItem.objects.all()
    viewer = viewer_for(actor)
    if viewer is None:
        return items
    return (
        items.filter(published_revision__isnull=False)
        .exclude(state=ItemState.RETIRED)
        .filter(published_audience_id__any_of=admitted_audience_ids(viewer))
    )


# --- the other way round: who is in an audience ------------------------------------------------


def _criteria_condition(dimension: str, values: list[str], default_locale: str) -> Q:
    """Memberships whose viewer value for `dimension` is one of `values` (as Viewer.values()
    derives it from the membership, its organization and its person)."""
    ids = [int(v) for v in values if v.isdigit()]
    match dimension:
        case Dimension.TIER:
            return Q(organization__tier_id__in=ids)
        case Dimension.REGION:
            return Q(organization__region_id__in=ids)
        case Dimension.COUNTRY:
            return Q(organization__country__in=values)
        case Dimension.SPECIALIZATION:
            return Q(
                organization_id__in=PartnerOrganization.objects.filter(
                    specializations__in=ids
                ).values("pk")
            )
        case Dimension.BUSINESS_MODEL:
            return Q(organization__business_model__in=values)
        case Dimension.JOB_ROLE:
            return Q(job_role__in=values)
        case Dimension.ORGANIZATION:
            return Q(organization_id__in=ids)
        case Dimension.LOCALE:
            # A person's language is their preferred one when the program offers it, else the
            # program's default (as viewer_for decides).
            languages = [code for code, _ in settings.LANGUAGES]
            chosen = Q(person__preferred_locale__in=[v for v in values if v in languages])
            if default_locale in values:
                chosen |= ~Q(person__preferred_locale__in=languages)
            return chosen
    return Q(pk__in=[])


def memberships_in_audience(audience_id: int, *, default_locale: str) -> QuerySet[Membership]:
    """Active partner memberships whose person the audience admits: the same rules as
    `audiences_admitting`, read the other way round, in one query (for assignment rules that
    reach many people at once)."""
    rules = list(AudienceRule.objects.filter(audience_id=audience_id).prefetch_related("criteria"))
    conditions: dict[str, Q] = {Effect.INCLUDE: Q(pk__in=[]), Effect.EXCLUDE: Q(pk__in=[])}
    for rule in rules:
        # A rule constraining nothing matches everyone (an empty Q would vanish from an OR).
        condition = Q(pk__isnull=False)
        if rule.minimum_tier_rank is not None:
            condition &= Q(organization__tier__rank__gte=rule.minimum_tier_rank)
        by_dimension: dict[str, list[str]] = {}
        for criterion in rule.criteria.all():
            by_dimension.setdefault(criterion.dimension, []).append(criterion.value)
        for dimension, values in by_dimension.items():
            condition &= _criteria_condition(dimension, values, default_locale)
        conditions[rule.effect] |= condition
    return (
        Membership.objects.filter(organization__isnull=False, status=MembershipStatus.ACTIVE)
        .filter(conditions[Effect.INCLUDE])
        .exclude(conditions[Effect.EXCLUDE])
    )
