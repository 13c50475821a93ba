"""REST endpoints of the learner catalog: browse, open an item, search, product lines.

Partner people read only published items their audiences admit; vendor staff and integration
tokens read every live item. An item outside the caller's audience answers the same 404 as an
item that does not exist, so its existence never leaks. Each operation: policy -> the catalog's
read side (`cascade.catalog.browse`, `cascade.catalog.search`) -> schema.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from ninja import Query, Router

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.api.auth import actor_of
from cascade.catalog import browse
from cascade.catalog.item_models import ProductLine, ProductVersion
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.revisions import revision_view_record
from cascade.catalog.schemas import (
    LIST_ERRORS,
    READ_ERRORS,
    SEARCH_ERRORS,
    CatalogPageOut,
    CatalogQuery,
    ItemId,
    ItemOut,
    ItemQuery,
    ProductLinePageOut,
    ProductLineQuery,
    SearchOut,
    SearchQuery,
)
from cascade.catalog.search import search_catalog
from cascade.catalog.selectors import viewer_for
from cascade.core.errors import DomainError, ValidationFailed
from cascade.core.pagination import Page, keyset_page
from cascade.tenancy.models import Tier

router = Router(tags=["catalog"])


def reader_of(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    require(actor, Action.CATALOG_BROWSE)
    return actor


def tier_ref(tier: Tier | None) -> dict[str, Any] | None:
    return None if tier is None else {"id": tier.pk, "name": tier.name, "rank": tier.rank}


@router.get(
    "/catalog/items",
    response={200: CatalogPageOut, **LIST_ERRORS},
    summary="Browse the catalog, newest first",
    description=(
        "Published items the caller's audiences admit (every live item for vendor staff and "
        "integration tokens), and teasers of items kept from the caller only by their tier when "
        "the author enabled one. Text is in `locale` when given, else in the caller's language, "
        "falling back to the program's default."
    ),
)
def list_catalog_items(request: HttpRequest, query: Query[CatalogQuery]) -> Any:
    actor = reader_of(request)
    viewer = viewer_for(actor)
    filters = browse.CatalogFilters(
        kind=query.kind,
        max_minutes=query.max_minutes,
        product_version_id=query.product_version,
        product_line_id=query.product_line,
        locale=query.locale,
        job_role=query.job_role,
        recent=query.recent,
    )
    page = browse.catalog_page(
        tenant=actor.tenant,
        viewer=viewer,
        filters=filters,
        cursor=query.cursor,
        limit=query.limit,
        locale=query.locale,
    )
    teaser_ids = [card.id for card in page.items if card.teaser]
    tiers = (
        browse.teaser_tiers(viewer=viewer, item_ids=teaser_ids)
        if viewer is not None and teaser_ids
        else {}
    )
    return {
        "items": [
            {**card.__dict__, "teaser_tier": tier_ref(tiers.get(card.id))} for card in page.items
        ],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/catalog/items/{item_id}",
    response={200: ItemOut, **READ_ERRORS},
    summary="Read a published item",
    description=(
        "The item's published revision in the caller's language (or `locale`), with its "
        "formats, children at the revisions learners see, what changed, and product versions. "
        "404 when the item does not exist or the caller's audiences do not admit it; a teaser "
        "(title, summary and the tier it needs) when only the caller's tier keeps it from them. "
        "Opening an item as a partner person records which revision they saw."
    ),
)
def get_catalog_item(request: HttpRequest, item_id: ItemId, query: Query[ItemQuery]) -> Any:
    actor = reader_of(request)
    viewer = viewer_for(actor)
    view = browse.item_for_viewer(
        tenant=actor.tenant, viewer=viewer, item_id=item_id, locale=query.locale
    )
    if viewer is not None and view.revision is not None:
        # "Who saw which revision" concerns learners, not vendor staff previewing.
        revision_view_record(
            actor=actor, item=view.item, revision=view.revision, locale=view.locale
        )
    return _item_out(request, view)


def _item_out(request: HttpRequest, view: browse.ItemView) -> dict[str, Any]:
    item = view.item
    teaser = view.teaser

    def media(asset: MediaAsset) -> dict[str, Any]:
        return {
            "id": asset.pk,
            "kind": asset.kind,
            "title": asset.title,
            "content_type": asset.content_type,
            "size": asset.size,
            "language": asset.language,
            "download_allowed": asset.download_allowed,
            "url": media_url(request, item.pk, asset.pk),
        }

    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "revision": view.revision.number if view.revision else None,
        "published_at": None if teaser else item.published_at,
        "locale": view.locale,
        "locales": view.locales,
        "title": view.title,
        "summary": view.summary,
        "body_html": view.body_html,
        # The duration published with the revision, not the working copy's.
        "duration_minutes": view.revision.content.get("duration_minutes")
        if view.revision
        else None,
        "formats": [
            {
                "id": f.id,
                "kind": f.kind,
                "label": f.label,
                "locale": f.locale,
                "url": f.url,
                "reference": f.reference,
                "media": media(f.media) if f.media else None,
                "tracks": [media(track) for track in f.tracks],
            }
            for f in view.formats
        ],
        "children": [child.__dict__ for child in view.children],
        "electives_required": view.electives_required,
        "changes": [change.__dict__ for change in view.changes],
        "product_versions": [version.__dict__ for version in view.product_versions],
        "teaser": teaser,
        "teaser_tier": tier_ref(view.teaser_tier),
    }


def media_url(request: HttpRequest, item_id: int, media_id: int) -> str:
    """The learner's download page of a file of an item (it checks the audience again)."""
    try:
        path = reverse("web:catalog-media", args=(item_id, media_id))
    except NoReverseMatch:
        path = f"/catalog/{item_id}/media/{media_id}/"
    return request.build_absolute_uri(path)


@router.get(
    "/catalog/search",
    response={200: SearchOut, **SEARCH_ERRORS},
    summary="Search the catalog",
    description=(
        "Full-text search over the titles, summaries, bodies and transcripts of the items the "
        "caller may read, best match first, one hit per item in the caller's language where the "
        "item has it. Every word must match (as a prefix). 400 when `q` is empty or longer than "
        "200 characters."
    ),
)
def search_catalog_items(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    actor = reader_of(request)
    try:
        hits = search_catalog(
            tenant=actor.tenant,
            viewer=viewer_for(actor),
            query=query.q,
            locale=query.locale,
            limit=query.limit,
        )
    except ValidationFailed as error:
        if not any(detail.get("field") == "q" for detail in error.details):
            raise
        # An unusable query is a bad request, not an entity that failed a rule.
        raise DomainError(error.message, code=error.code, details=error.details) from error
    return {"query": query.q, "items": [hit.__dict__ for hit in hits]}


@router.get(
    "/catalog/product-lines",
    response={200: ProductLinePageOut, **LIST_ERRORS},
    summary="List product lines and their versions",
    description=(
        "For filtering the catalog by product and version. A legacy version names the version "
        "that superseded it (`superseded_by_id`) and the version to use now (`current_id`)."
    ),
)
def list_product_lines(request: HttpRequest, query: Query[ProductLineQuery]) -> Any:
    reader_of(request)
    page = keyset_page(
        ProductLine.objects.all(), ordering=("name", "pk"), cursor=query.cursor, limit=query.limit
    )
    return product_line_page(page)


def product_line_page(page: Page[ProductLine]) -> dict[str, Any]:
    """Lines with their versions, newest release first, in one query for the whole page."""
    lines = {line.pk: line for line in page.items}
    # Unreleased versions (no date) last, the same on every database.
    versions = list(
        ProductVersion.objects.filter(product_line_id__in=lines).order_by(
            "product_line_id", F("released_on").desc(nulls_last=True), "name", "pk"
        )
    )
    by_id = {version.pk: version for version in versions}
    grouped: dict[int, list[dict[str, Any]]] = {pk: [] for pk in lines}
    for version in versions:
        current = current_in(by_id, version) if version.is_legacy else None
        grouped[version.product_line_id].append(
            {
                "id": version.pk,
                "name": version.name,
                "label": f"{lines[version.product_line_id].name} {version.name}",
                "released_on": version.released_on,
                "legacy": version.is_legacy,
                "superseded_by_id": version.superseded_by_id,
                "current_id": current.pk if current else None,
            }
        )
    return {
        "items": [
            {"id": line.pk, "name": line.name, "versions": grouped[line.pk]} for line in page.items
        ],
        "next_cursor": page.next_cursor,
    }


def current_in(by_id: dict[int, ProductVersion], version: ProductVersion) -> ProductVersion:
    """Follow the successors among `by_id` (a line's versions supersede within the line)."""
    seen = {version.pk}
    successor = version.superseded_by_id
    while successor is not None and successor in by_id and successor not in seen:
        seen.add(successor)
        version = by_id[successor]
        successor = version.superseded_by_id
    return version
