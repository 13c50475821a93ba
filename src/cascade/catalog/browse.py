"""The learner catalog: what a viewer finds, filters and opens (read side).

Everything here judges a `Viewer` (a partner person, or a persona an author previews as) or no
viewer at all (vendor staff see every published item). Items outside a viewer's audience are
never returned, not even as a title: `item_for_viewer` answers NotFound for them, exactly as for
items that do not exist. The only exception is the teaser an author may enable on tier-exclusive
content: a viewer kept out only by their tier sees the title, summary and the tier it needs.

Learners read published revisions (snapshots), with text chosen by the locale fallback chain
(fr-ca > fr > the tenant's default language).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cascade.catalog.audiences import Viewer
from cascade.catalog.format_models import FormatKind
from cascade.catalog.item_models import CatalogItem, ItemKind, ItemState, ProductVersion
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.models import AudienceRule, Dimension, Effect
from cascade.catalog.rendering import render_markdown
from cascade.catalog.revision_models import ItemRevision
from cascade.catalog.revisions import effective_child_revisions, media_ids_of
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.selectors import admitted_audience_ids
from cascade.core.errors import NotFound
from cascade.core.pagination import Page, keyset_page
from cascade.tenancy.models import Tenant, Tier

# Items first published or revised this recently count as "new" or "updated".
RECENT = timedelta(days=30)
# A rank no tier reaches: lifting a viewer to it shows what only their tier keeps from them.
_ANY_TIER_RANK = 32_000


def locale_chain(locale: str, default: str) -> list[str]:
    """fr-ca -> [fr-ca, fr, <default>]: the languages to try, most specific first."""
    chain: list[str] = []
    locale = (locale or "").lower()
    while locale:
        chain.append(locale)
        locale = locale.rpartition("-")[0]
    if default not in chain:
        chain.append(default)
    return chain


def pick_locale(available: Any, chain: list[str]) -> str | None:
    """The first language of the chain the item has, else any it has (sorted), else None."""
    for locale in chain:
        if locale in available:
            return locale
    return min(available) if available else None


def live_items() -> QuerySet[CatalogItem]:
    """Items learners may be shown at all: published once and not retired."""
    return CatalogItem.objects.filter(published_revision__isnull=False).exclude(
        state=ItemState.RETIRED
    )


def items_visible_to(viewer: Viewer | None) -> QuerySet[CatalogItem]:
    """Live items whose audience admits the viewer (all live items for no viewer)."""
    items = live_items()
    if viewer is None:
        return items
    return items.filter(published_audience_id__any_of=admitted_audience_ids(viewer))


@dataclass(frozen=True)
class Reach:
    """Which audiences let the viewer see items (`admitted`, None for vendor staff who see every
    live item), and which would at a higher tier (`teaser`: their items show as teasers when
    their author allows it). Read once per request: two small queries."""

    admitted: list[int] | None
    teaser: list[int]

    @staticmethod
    def of(viewer: Viewer | None) -> Reach:
        if viewer is None:
            return Reach(admitted=None, teaser=[])
        admitted = admitted_audience_ids(viewer)
        lifted = admitted_audience_ids(dataclasses.replace(viewer, tier_rank=_ANY_TIER_RANK))
        return Reach(admitted=admitted, teaser=sorted(set(lifted) - set(admitted)))

    def condition(self) -> Q:
        """Items shown in the catalog: admitted, or teased."""
        if self.admitted is None:
            return Q()
        return Q(published_audience_id__any_of=self.admitted) | Q(
            teaser_enabled=True, published_audience_id__any_of=self.teaser
        )

    def is_teaser(self, item: CatalogItem) -> bool:
        return self.admitted is not None and item.published_audience_id not in self.admitted


def teaser_items_for(viewer: Viewer | None) -> QuerySet[CatalogItem]:
    """Live items with a teaser that the viewer would see at a higher tier, but not now."""
    reach = Reach.of(viewer)
    if viewer is None or not reach.teaser:
        return CatalogItem.objects.none()
    return live_items().filter(teaser_enabled=True, published_audience_id__any_of=reach.teaser)


def required_tier(item: CatalogItem, viewer: Viewer) -> Tier | None:
    """For a teaser: the lowest tier at which an include rule would admit the viewer."""
    return teaser_tiers(viewer=viewer, item_ids=[item.pk]).get(item.pk)


def _criteria_of(rule: AudienceRule) -> dict[str, frozenset[str]]:
    criteria: dict[str, set[str]] = {}
    for criterion in rule.criteria.all():
        criteria.setdefault(criterion.dimension, set()).add(criterion.value)
    return {dimension: frozenset(values) for dimension, values in criteria.items()}


@dataclass(frozen=True)
class CatalogFilters:
    kind: str | None = None
    max_minutes: int | None = None
    product_version_id: int | None = None
    product_line_id: int | None = None
    locale: str | None = None
    job_role: str | None = None
    # "new" (first published recently) or "updated" (revised recently).
    recent: str | None = None


@dataclass(frozen=True)
class CatalogCard:
    id: int
    kind: str
    kind_label: str
    title: str
    summary: str
    locale: str
    duration_minutes: int | None
    published_at: datetime | None
    revision: int
    is_new: bool
    is_updated: bool
    teaser: bool
    product_versions: list[str] = field(default_factory=list)


def _apply_filters(items: QuerySet[CatalogItem], filters: CatalogFilters) -> QuerySet[CatalogItem]:
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.max_minutes:
        items = items.filter(duration_minutes__lte=filters.max_minutes)
    if filters.product_version_id:
        items = items.filter(product_versions__id=filters.product_version_id)
    if filters.product_line_id:
        items = items.filter(product_versions__product_line_id=filters.product_line_id).distinct()
    if filters.locale:
        items = items.filter(
            pk__in=SearchEntry.objects.filter(locale=filters.locale).values("item_id")
        )
    if filters.job_role:
        items = items.filter(
            published_audience__rules__effect=Effect.INCLUDE,
            published_audience__rules__criteria__dimension=Dimension.JOB_ROLE,
            published_audience__rules__criteria__value=filters.job_role,
        ).distinct()
    since = timezone.now() - RECENT
    if filters.recent == "new":
        items = items.filter(published_at__gte=since)
    elif filters.recent == "updated":
        items = items.filter(
            published_revision__number__gt=1, published_revision__published_at__gte=since
        )
    return items


def catalog_page(
    *,
    tenant: Tenant,
    viewer: Viewer | None,
    filters: CatalogFilters,
    cursor: str | None = None,
    limit: int = 24,
    locale: str | None = None,
) -> Page[CatalogCard]:
    """One page of the catalog as `viewer` browses it, newest first (a fixed number of
    queries: the items, their titles in the viewer's language, their product versions)."""
    reach = Reach.of(viewer)
    items = live_items().filter(reach.condition())
    items = _apply_filters(items, filters).select_related("published_revision")
    page = keyset_page(items, ordering=("-published_at", "-pk"), cursor=cursor, limit=limit)
    teasers = {item.pk for item in page.items if reach.is_teaser(item)}
    chain = locale_chain(locale or (viewer.locale if viewer else ""), tenant.default_locale)
    return Page(items=_cards(page.items, chain, teasers), next_cursor=page.next_cursor)


def _cards(items: list[CatalogItem], chain: list[str], teasers: set[int]) -> list[CatalogCard]:
    ids = [item.pk for item in items]
    texts: dict[int, dict[str, tuple[str, str]]] = {}
    for item_id, entry_locale, title, summary in SearchEntry.objects.filter(
        item_id__in=ids
    ).values_list("item_id", "locale", "title", "summary"):
        texts.setdefault(item_id, {})[entry_locale] = (title, summary)
    versions: dict[int, list[str]] = {}
    through = CatalogItem.product_versions.through
    for item_id, line, name in through.objects.filter(catalogitem_id__in=ids).values_list(
        "catalogitem_id", "productversion__product_line__name", "productversion__name"
    ):
        versions.setdefault(item_id, []).append(f"{line} {name}")
    since = timezone.now() - RECENT
    cards = []
    for item in items:
        available = texts.get(item.pk, {})
        chosen = pick_locale(available, chain)
        title, summary = available[chosen] if chosen else ("", "")
        revision = item.published_revision
        assert revision is not None
        cards.append(
            CatalogCard(
                id=item.pk,
                kind=item.kind,
                kind_label=ItemKind(item.kind).label,
                title=title,
                summary=summary,
                locale=chosen or "",
                duration_minutes=item.duration_minutes,
                published_at=item.published_at,
                revision=revision.number,
                is_new=bool(item.published_at and item.published_at >= since),
                is_updated=revision.number > 1 and revision.published_at >= since,
                teaser=item.pk in teasers,
                product_versions=sorted(versions.get(item.pk, [])),
            )
        )
    return cards


# --- one item -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormatView:
    id: int
    kind: str
    label: str
    locale: str
    url: str
    reference: str
    media: MediaAsset | None
    tracks: list[MediaAsset]


@dataclass(frozen=True)
class ChildView:
    id: int
    kind: str
    kind_label: str
    title: str
    required: bool
    revision: int
    duration_minutes: int | None


@dataclass(frozen=True)
class ChangeNote:
    revision: int
    change: str
    note: str
    published_at: datetime


@dataclass(frozen=True)
class VersionView:
    id: int
    label: str
    legacy: bool
    current_label: str | None
    # For a legacy version: the version learners should use now (to link to its content).
    current_id: int | None = None


@dataclass(frozen=True)
class ItemView:
    item: CatalogItem
    revision: ItemRevision | None
    locale: str
    locales: list[str]
    title: str
    summary: str
    body_html: str
    formats: list[FormatView]
    children: list[ChildView]
    electives_required: int
    changes: list[ChangeNote]
    product_versions: list[VersionView]
    teaser: bool = False
    teaser_tier: Tier | None = None


def item_for_viewer(
    *, tenant: Tenant, viewer: Viewer | None, item_id: int, locale: str | None = None
) -> ItemView:
    """The published item as the viewer may see it; NotFound when they may not know it exists."""
    item = items_visible_to(viewer).select_related("published_revision").filter(pk=item_id).first()
    teaser = False
    if item is None:
        item = (
            teaser_items_for(viewer).select_related("published_revision").filter(pk=item_id).first()
        )
        if item is None or viewer is None:
            raise NotFound("No such item.", code="item_not_found")
        teaser = True
    revision = item.published_revision
    assert revision is not None
    content = revision.content
    chain = locale_chain(locale or (viewer.locale if viewer else ""), tenant.default_locale)
    variants = content["variants"]
    chosen = pick_locale(variants, chain) or tenant.default_locale
    text = variants.get(chosen, {"title": "", "summary": "", "body": ""})
    if teaser:
        assert viewer is not None
        return ItemView(
            item=item,
            revision=None,
            locale=chosen,
            locales=sorted(variants),
            title=text["title"],
            summary=text["summary"],
            body_html="",
            formats=[],
            children=[],
            electives_required=0,
            changes=[],
            product_versions=[],
            teaser=True,
            teaser_tier=required_tier(item, viewer),
        )
    return ItemView(
        item=item,
        revision=revision,
        locale=chosen,
        locales=sorted(variants),
        title=text["title"],
        summary=text["summary"],
        body_html=render_markdown(text["body"]) if text["body"] else "",
        formats=_formats(content.get("formats", []), chain),
        children=_children(content.get("children", []), viewer, chain, tenant),
        electives_required=content.get("electives_required", 0),
        changes=[
            ChangeNote(r.number, r.get_change_display(), r.note, r.published_at)
            for r in ItemRevision.objects.filter(item=item, number__gt=1)
            .exclude(note="")
            .order_by("-number")[:10]
        ],
        product_versions=_versions(content.get("product_version_ids", [])),
    )


def _formats(formats: list[dict[str, Any]], chain: list[str]) -> list[FormatView]:
    """The formats offered in the viewer's language: language-neutral ones, and of each kind the
    one whose language comes first in the chain."""
    media_ids = {f["media_id"] for f in formats if f.get("media_id")}
    media_ids |= {t for f in formats for t in f.get("track_ids", [])}
    media = {m.pk: m for m in MediaAsset.objects.filter(pk__in=media_ids)}
    best: dict[str, dict[str, Any]] = {}
    for f in formats:
        if f["locale"] and f["locale"] not in chain:
            continue
        current = best.get(f["kind"])
        rank = chain.index(f["locale"]) if f["locale"] else len(chain)
        if current is None or rank < current["_rank"]:
            best[f["kind"]] = {**f, "_rank": rank}
    ordered = sorted(best.values(), key=lambda f: [x["id"] for x in formats].index(f["id"]))
    return [
        FormatView(
            id=f["id"],
            kind=f["kind"],
            label=FormatKind(f["kind"]).label,
            locale=f["locale"],
            url=f["url"],
            reference=f["reference"],
            media=media.get(f["media_id"]) if f.get("media_id") else None,
            tracks=[media[t] for t in f.get("track_ids", []) if t in media],
        )
        for f in ordered
    ]


def _children(
    children: list[dict[str, Any]], viewer: Viewer | None, chain: list[str], tenant: Tenant
) -> list[ChildView]:
    """A container's children at the revisions learners see, leaving out children the viewer
    may not see (a lesson restricted more narrowly than its course)."""
    visible = set(
        items_visible_to(viewer)
        .filter(pk__in=[c["id"] for c in children])
        .values_list("pk", flat=True)
    )
    revisions = effective_child_revisions(c for c in children if c["id"] in visible)
    kinds = dict(CatalogItem.objects.filter(pk__in=visible).values_list("pk", "kind"))
    views = []
    for child in children:
        revision = revisions.get(child["id"])
        if revision is None:
            continue
        variants = revision.content["variants"]
        chosen = pick_locale(variants, chain) or tenant.default_locale
        views.append(
            ChildView(
                id=child["id"],
                kind=kinds[child["id"]],
                kind_label=ItemKind(kinds[child["id"]]).label,
                title=variants.get(chosen, {}).get("title", ""),
                required=child["required"],
                revision=revision.number,
                duration_minutes=revision.content.get("duration_minutes"),
            )
        )
    return views


def _versions(version_ids: list[int]) -> list[VersionView]:
    """The item's versions, each legacy one pointing to its current successor (one query: the
    versions of the same product lines, with the chain followed in memory)."""
    if not version_ids:
        return []
    lines = ProductVersion.objects.filter(pk__in=version_ids).values("product_line_id")
    versions = list(
        ProductVersion.objects.filter(product_line_id__in=lines).select_related("product_line")
    )
    by_id = {version.pk: version for version in versions}
    wanted = set(version_ids)
    return [_version_view(v, by_id) for v in versions if v.pk in wanted]


def _version_view(version: ProductVersion, by_id: dict[int, ProductVersion]) -> VersionView:
    """`version` as learners see it; `by_id` holds the versions of its product line."""
    latest = None
    if version.is_legacy:
        latest, seen = version, {version.pk}
        while latest.superseded_by_id in by_id and latest.superseded_by_id not in seen:
            latest = by_id[latest.superseded_by_id]
            seen.add(latest.pk)
    line = version.product_line.name
    return VersionView(
        id=version.pk,
        label=f"{line} {version.name}",
        legacy=version.is_legacy,
        current_label=f"{line} {latest.name}" if latest else None,
        current_id=latest.pk if latest else None,
    )


@dataclass(frozen=True)
class ProductLineOption:
    id: int
    name: str
    versions: list[VersionView]


def product_line_options() -> list[ProductLineOption]:
    """The tenant's product lines and versions for the catalog's filters, each legacy version
    labelled with the version that superseded it (one query: the chain is followed in memory)."""
    versions = list(ProductVersion.objects.select_related("product_line"))
    by_id = {version.pk: version for version in versions}
    lines: dict[int, ProductLineOption] = {}
    for version in versions:
        line = version.product_line
        option = lines.setdefault(
            line.pk, ProductLineOption(id=line.pk, name=line.name, versions=[])
        )
        option.versions.append(_version_view(version, by_id))
    return sorted(lines.values(), key=lambda line: (line.name, line.id))


def teaser_tiers(*, viewer: Viewer, item_ids: list[int]) -> dict[int, Tier]:
    """For a page of teaser cards: the tier each item asks of the viewer ("available at Gold"),
    as `required_tier` decides it for one item, in a fixed number of queries."""
    from cascade.catalog.audiences import RuleSpec, rule_matches

    if not item_ids:
        return {}
    audience_of = dict(
        CatalogItem.objects.filter(pk__in=item_ids).values_list("pk", "published_audience_id")
    )
    lowest: dict[int, int] = {}
    for rule in AudienceRule.objects.filter(
        audience_id__in=set(audience_of.values()),
        effect=Effect.INCLUDE,
        minimum_tier_rank__isnull=False,
    ).prefetch_related("criteria"):
        rank = rule.minimum_tier_rank
        if rank is None or not rule_matches(RuleSpec(criteria=_criteria_of(rule)), viewer):
            continue
        lowest[rule.audience_id] = min(rank, lowest.get(rule.audience_id, rank))
    tiers = list(Tier.objects.order_by("rank"))
    found: dict[int, Tier] = {}
    for item_id, audience_id in audience_of.items():
        rank = lowest.get(audience_id) if audience_id is not None else None
        tier = next((t for t in tiers if rank is not None and t.rank >= rank), None)
        if tier is not None:
            found[item_id] = tier
    return found


def media_for_viewer(*, viewer: Viewer | None, item_id: int, media_id: int) -> MediaAsset:
    """A media file as a learner reaches it: through an item they can see whose published
    revision uses it (as a format or a track). NotFound otherwise."""
    item = items_visible_to(viewer).select_related("published_revision").filter(pk=item_id).first()
    if item is None or item.published_revision is None:
        raise NotFound("No such file.", code="media_not_found")
    if media_id not in media_ids_of(item.published_revision.content):
        raise NotFound("No such file.", code="media_not_found")
    asset = MediaAsset.objects.filter(pk=media_id).first()
    if asset is None:
        raise NotFound("No such file.", code="media_not_found")
    return asset
