"""REST endpoints of the catalog studio: items as authors write them and reviewers approve them.

Vendor staff who write, review or translate content (and program admins) read working copies;
integration tokens need `catalog:read` to read and `catalog:write` to write. Partner people are
refused before any lookup, and ids of other programs answer 404. Each write goes through one
service of `cascade.catalog.items`, `.revisions` or `.formats`, which hold every rule (who may
approve, which transitions exist) and answers the item as the studio shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from ninja import Query, Router, Status

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, require
from cascade.api.auth import actor_of
from cascade.catalog import items as item_services
from cascade.catalog import revisions
from cascade.catalog.api_browse import current_in
from cascade.catalog.format_models import LessonFormat
from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import (
    CatalogItem,
    CatalogTeam,
    ItemApproval,
    ItemLink,
    ItemState,
    ItemVariant,
    ProductVersion,
)
from cascade.catalog.models import Audience
from cascade.catalog.revision_models import ItemRevision
from cascade.catalog.schemas import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    FormatsIn,
    ItemCreateIn,
    ItemId,
    ItemUpdateIn,
    LocalePath,
    NoteIn,
    ProductVersionsIn,
    ReviseIn,
    StructureIn,
    StudioItemDetailOut,
    StudioItemPageOut,
    StudioItemQuery,
    TranslationReviewIn,
    VariantIn,
)
from cascade.catalog.selectors import catalog_items_visible
from cascade.core.errors import NotFound, ValidationFailed
from cascade.core.pagination import keyset_page
from cascade.identity.models import Person

router = Router(tags=["catalog studio"])

NEWEST_FIRST = ("-id",)
_WRITE_ACTIONS = (Action.CATALOG_AUTHOR, Action.CATALOG_REVIEW, Action.CATALOG_TRANSLATE)


def studio_reader(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    require(actor, Action.CATALOG_STUDIO_VIEW)
    return actor


def studio_writer(request: HttpRequest) -> Actor:
    """Someone who may write in the studio at all; each service then checks its own action
    (a reviewer may not publish, an author may not approve)."""
    actor = actor_of(request)
    if not any(can(actor, action) for action in _WRITE_ACTIONS):
        require(actor, Action.CATALOG_AUTHOR)
    return actor


def person_ref(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "email": person.email, "full_name": person.full_name}


def studio_item(actor: Actor, item_id: int) -> CatalogItem:
    item = catalog_items_visible(actor).filter(pk=item_id).first()
    if item is None:
        raise NotFound("No such item.", code="item_not_found")
    return item


def _team(team_id: int) -> CatalogTeam:
    team = CatalogTeam.objects.filter(pk=team_id).first()
    if team is None:
        raise ValidationFailed.field("owner_team_id", "Unknown team.", code="unknown_reference")
    return team


def _audience(audience_id: int | None) -> Audience | None:
    if audience_id is None:
        return None
    audience = Audience.objects.filter(pk=audience_id).first()
    if audience is None:
        raise ValidationFailed.field("audience_id", "Unknown audience.", code="unknown_reference")
    return audience


def _unknown(field: str, ids: Iterable[int]) -> ValidationFailed:
    listed = ", ".join(str(i) for i in sorted(ids))
    return ValidationFailed.field(field, f"Unknown ids: {listed}.", code="unknown_reference")


# --- items --------------------------------------------------------------------------------------


@router.get(
    "/catalog/studio/items",
    response={200: StudioItemPageOut, **LIST_ERRORS},
    summary="List items in every state, newest first",
)
def list_studio_items(request: HttpRequest, query: Query[StudioItemQuery]) -> Any:
    actor = studio_reader(request)
    items: QuerySet[CatalogItem] = catalog_items_visible(actor)
    if query.state:
        items = items.filter(state=query.state)
    if query.kind:
        items = items.filter(kind=query.kind)
    if query.owner_team:
        items = items.filter(owner_team_id=query.owner_team)
    words = (query.q or "").split()
    if words:
        titles = ItemVariant.objects.all()
        for word in words:
            titles = titles.filter(title__icontains=word)
        items = items.filter(pk__in=titles.values("item_id"))
    source_title = ItemVariant.objects.filter(
        item=OuterRef("pk"), locale=actor.tenant.default_locale
    ).values("title")[:1]
    rows = items.annotate(source_title=Subquery(source_title)).values(
        "id",
        "kind",
        "state",
        "source_title",
        "owner_team_id",
        "owner_team__name",
        "audience_id",
        "audience__name",
        "duration_minutes",
        "review_by",
        "published_revision__number",
        "pending_change",
        "created_at",
        "updated_at",
    )
    page = keyset_page(rows, ordering=NEWEST_FIRST, cursor=query.cursor, limit=query.limit)
    return {
        "items": [
            {
                "id": row["id"],
                "kind": row["kind"],
                "state": row["state"],
                "title": row["source_title"] or "",
                "owner_team": {"id": row["owner_team_id"], "name": row["owner_team__name"]},
                "audience": {"id": row["audience_id"], "name": row["audience__name"]}
                if row["audience_id"]
                else None,
                "duration_minutes": row["duration_minutes"],
                "review_by": row["review_by"],
                "published_revision": row["published_revision__number"],
                "pending_change": row["pending_change"],
                "created_at": row["created_at"],
                "updated_at": row["updated_at"],
            }
            for row in page.items
        ],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/catalog/studio/items",
    response={201: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Create a draft item",
    description="The text is written in the program's default language, the source of "
    "translations.",
)
def create_studio_item(request: HttpRequest, payload: ItemCreateIn) -> Any:
    actor = studio_writer(request)
    item = item_services.item_create(
        actor=actor,
        kind=payload.kind,
        owner_team=_team(payload.owner_team_id),
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        audience=_audience(payload.audience_id),
        duration_minutes=payload.duration_minutes,
    )
    return Status(201, studio_detail(actor, item.pk))


@router.get(
    "/catalog/studio/items/{item_id}",
    response={200: StudioItemDetailOut, **READ_ERRORS},
    summary="Get an item's working copy and governance",
)
def get_studio_item(request: HttpRequest, item_id: ItemId) -> Any:
    actor = studio_reader(request)
    return studio_detail(actor, item_id)


@router.patch(
    "/catalog/studio/items/{item_id}",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Change an item's settings",
    description="Audience and owner team change only in drafts; duration, review-by date and "
    "teaser until the item is retired.",
)
def update_studio_item(request: HttpRequest, item_id: ItemId, payload: ItemUpdateIn) -> Any:
    actor = studio_writer(request)
    item = studio_item(actor, item_id)
    changes: dict[str, Any] = {}
    given = payload.model_fields_set
    if "audience_id" in given:
        changes["audience"] = _audience(payload.audience_id)
    if "owner_team_id" in given:
        if payload.owner_team_id is None:
            raise ValidationFailed.field(
                "owner_team_id", "An item always has an owner team.", code="required"
            )
        changes["owner_team"] = _team(payload.owner_team_id)
    if "duration_minutes" in given:
        changes["duration_minutes"] = payload.duration_minutes
    if "review_by" in given:
        changes["review_by"] = payload.review_by
    if "teaser_enabled" in given:
        if payload.teaser_enabled is None:
            raise ValidationFailed.field("teaser_enabled", "Say true or false.", code="required")
        changes["teaser_enabled"] = payload.teaser_enabled
    item_services.item_update(actor=actor, item=item, **changes)
    return studio_detail(actor, item.pk)


@router.put(
    "/catalog/studio/items/{item_id}/variants/{locale}",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Write a draft's text in one language",
    description="Editing the source language flags translations made from older text as "
    "needing an update.",
)
def save_studio_variant(
    request: HttpRequest, item_id: ItemId, locale: LocalePath, payload: VariantIn
) -> Any:
    actor = studio_writer(request)
    item = studio_item(actor, item_id)
    item_services.variant_save(
        actor=actor,
        item=item,
        locale=locale.lower(),
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
    )
    return studio_detail(actor, item.pk)


@router.put(
    "/catalog/studio/items/{item_id}/structure",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Replace a draft's children, in order",
    description="A course holds modules; a module holds lessons and cards (reused, never "
    "copied); a path holds courses, lessons and cards, of which the non-required ones are "
    "electives.",
)
def set_studio_structure(request: HttpRequest, item_id: ItemId, payload: StructureIn) -> Any:
    actor = studio_writer(request)
    item = studio_item(actor, item_id)
    wanted = [child.id for child in payload.children]
    found = {child.pk: child for child in catalog_items_visible(actor).filter(pk__in=wanted)}
    if missing := set(wanted) - set(found):
        raise _unknown("children", missing)
    item_services.item_structure_set(
        actor=actor,
        item=item,
        children=[(found[child.id], child.required) for child in payload.children],
        electives_required=payload.electives_required,
    )
    return studio_detail(actor, item.pk)


@router.put(
    "/catalog/studio/items/{item_id}/formats",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Replace a draft lesson's or card's formats, in order",
    description="Equivalent ways to take the content: video (a library file or an https "
    "address, with captions and transcript tracks), article (the item's text), document, "
    "link, and slots for packages, assessments and live sessions.",
)
def set_studio_formats(request: HttpRequest, item_id: ItemId, payload: FormatsIn) -> Any:
    actor = studio_writer(request)
    item = studio_item(actor, item_id)
    item_formats_set(
        actor=actor,
        item=item,
        formats=[
            FormatSpec(
                kind=f.kind,
                locale=f.locale.lower(),
                media_id=f.media_id,
                url=f.url,
                track_ids=tuple(f.track_ids),
                reference=f.reference,
            )
            for f in payload.formats
        ],
    )
    return studio_detail(actor, item.pk)


@router.put(
    "/catalog/studio/items/{item_id}/product-versions",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Replace the product versions an item applies to",
)
def set_studio_product_versions(
    request: HttpRequest, item_id: ItemId, payload: ProductVersionsIn
) -> Any:
    actor = studio_writer(request)
    item = studio_item(actor, item_id)
    wanted = set(payload.product_version_ids)
    versions = list(ProductVersion.objects.filter(pk__in=wanted))
    if missing := wanted - {version.pk for version in versions}:
        raise _unknown("product_version_ids", missing)
    item_services.item_product_versions_set(actor=actor, item=item, versions=versions)
    return studio_detail(actor, item.pk)


# --- lifecycle ----------------------------------------------------------------------------------


@router.post(
    "/catalog/studio/items/{item_id}/submit",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Submit a draft for review",
    description="Opens a new review round: approvals of earlier rounds no longer count.",
)
def submit_studio_item(request: HttpRequest, item_id: ItemId) -> Any:
    actor = studio_writer(request)
    item = item_services.item_submit(actor=actor, item=studio_item(actor, item_id))
    return studio_detail(actor, item.pk)


@router.post(
    "/catalog/studio/items/{item_id}/approve",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Approve an item in review",
    description="Never by the item's creator or submitter (403 own_work). Content for every "
    "partner needs two approvals, one from the owning team; narrower content needs one. The "
    "item becomes approved once enough approvals are given.",
)
def approve_studio_item(request: HttpRequest, item_id: ItemId) -> Any:
    actor = studio_writer(request)
    item = item_services.item_approve(actor=actor, item=studio_item(actor, item_id))
    return studio_detail(actor, item.pk)


@router.post(
    "/catalog/studio/items/{item_id}/request-changes",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Send an item in review back to its authors",
)
def request_studio_changes(request: HttpRequest, item_id: ItemId, payload: NoteIn) -> Any:
    actor = studio_writer(request)
    item = item_services.item_request_changes(
        actor=actor, item=studio_item(actor, item_id), note=payload.note
    )
    return studio_detail(actor, item.pk)


@router.post(
    "/catalog/studio/items/{item_id}/publish",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Publish an approved item",
    description="Freezes the working copy as the next revision, which learners then read.",
)
def publish_studio_item(request: HttpRequest, item_id: ItemId) -> Any:
    actor = studio_writer(request)
    item = item_services.item_publish(actor=actor, item=studio_item(actor, item_id))
    return studio_detail(actor, item.pk)


@router.post(
    "/catalog/studio/items/{item_id}/revise",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Start the next revision of a published item",
    description="The working copy becomes a draft again while learners keep the published "
    'revision; `note` is the "what changed" learners will see.',
)
def revise_studio_item(request: HttpRequest, item_id: ItemId, payload: ReviseIn) -> Any:
    actor = studio_writer(request)
    item = revisions.item_revise(
        actor=actor, item=studio_item(actor, item_id), change=payload.change, note=payload.note
    )
    return studio_detail(actor, item.pk)


@router.post(
    "/catalog/studio/items/{item_id}/retire",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Withdraw a published item from learners",
)
def retire_studio_item(request: HttpRequest, item_id: ItemId) -> Any:
    actor = studio_writer(request)
    item = item_services.item_retire(actor=actor, item=studio_item(actor, item_id))
    return studio_detail(actor, item.pk)


# --- translations -------------------------------------------------------------------------------


@router.put(
    "/catalog/studio/items/{item_id}/translations/{locale}",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Write a translation (at any point of the item's life)",
    description="The translation follows the current source text and waits for review.",
)
def save_studio_translation(
    request: HttpRequest, item_id: ItemId, locale: LocalePath, payload: VariantIn
) -> Any:
    actor = studio_writer(request)
    item = studio_item(actor, item_id)
    revisions.translation_save(
        actor=actor,
        item=item,
        locale=locale.lower(),
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
    )
    return studio_detail(actor, item.pk)


@router.post(
    "/catalog/studio/items/{item_id}/translations/{locale}/submit",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Submit a translation for review",
)
def submit_studio_translation(request: HttpRequest, item_id: ItemId, locale: LocalePath) -> Any:
    actor = studio_writer(request)
    item = studio_item(actor, item_id)
    revisions.translation_submit(actor=actor, item=item, locale=locale.lower())
    return studio_detail(actor, item.pk)


@router.post(
    "/catalog/studio/items/{item_id}/translations/{locale}/review",
    response={200: StudioItemDetailOut, **WRITE_ERRORS},
    summary="Approve a translation or send it back",
    description="Never by its translator. Approving the translation of a published item "
    "publishes it at once as a minor revision; sending back needs a note.",
)
def review_studio_translation(
    request: HttpRequest, item_id: ItemId, locale: LocalePath, payload: TranslationReviewIn
) -> Any:
    actor = studio_writer(request)
    item = studio_item(actor, item_id)
    revisions.translation_review(
        actor=actor, item=item, locale=locale.lower(), approve=payload.approve, note=payload.note
    )
    return studio_detail(actor, item.pk)


# --- the working copy as the studio shows it ----------------------------------------------------


def studio_detail(actor: Actor, item_id: int) -> dict[str, Any]:
    """An item's working copy, governance and history, in a fixed number of queries."""
    item = (
        catalog_items_visible(actor)
        .select_related(
            "owner_team",
            "audience",
            "published_audience",
            "published_revision",
            "created_by",
            "submitted_by",
            "tenant",
        )
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound("No such item.", code="item_not_found")
    source_locale = item.tenant.default_locale
    variants = list(ItemVariant.objects.filter(item=item).select_related("translated_by"))
    source = next((v for v in variants if v.locale == source_locale), None)
    links = list(
        ItemLink.objects.filter(parent=item)
        .select_related("child__published_revision")
        .order_by("position")
    )
    child_titles = dict(
        ItemVariant.objects.filter(
            item_id__in=[link.child_id for link in links], locale=source_locale
        ).values_list("item_id", "title")
    )
    formats = list(
        LessonFormat.objects.filter(item=item).prefetch_related("tracks").order_by("position")
    )
    in_review = item.state in (ItemState.IN_REVIEW, ItemState.APPROVED)
    approvals = (
        list(
            ItemApproval.objects.filter(item=item, review_round=item.review_round)
            .select_related("reviewer")
            .order_by("created_at", "id")
        )
        if in_review
        else []
    )
    broad = item.audience_id is not None and item_services.reaches_every_partner(item)
    history = (
        ItemRevision.objects.filter(item=item)
        .select_related("published_by")
        .defer("content")
        .order_by("-number")
    )
    stale = revisions.containers_needing_republication([item.pk]).get(item.pk, [])
    published = item.published_revision
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "state": item.state,
        "next_states": sorted(item_services.TRANSITIONS[item.state]),
        "owner_team": {"id": item.owner_team.pk, "name": item.owner_team.name},
        "audience": _audience_ref(item.audience),
        "published_audience": _audience_ref(item.published_audience),
        "duration_minutes": item.duration_minutes,
        "review_by": item.review_by,
        "teaser_enabled": item.teaser_enabled,
        "electives_required": item.electives_required,
        "source_locale": source_locale,
        "variants": [
            {
                "locale": v.locale,
                "title": v.title,
                "summary": v.summary,
                "body": v.body,
                "status": v.status,
                "is_source": v.locale == source_locale,
                "needs_update": source is not None
                and item_services.variant_needs_update(variant=v, source=source),
                "source_updated_at": v.source_updated_at,
                "updated_at": v.updated_at,
                "translated_by": person_ref(v.translated_by),
            }
            for v in sorted(variants, key=lambda v: (v.locale != source_locale, v.locale))
        ],
        "children": [
            {
                "id": link.child_id,
                "kind": link.child.kind,
                "title": child_titles.get(link.child_id, ""),
                "state": link.child.state,
                "position": link.position,
                "required": link.required,
                "published_revision": link.child.published_revision.number
                if link.child.published_revision
                else None,
            }
            for link in links
        ],
        "children_with_major_changes": sorted(stale),
        "formats": [
            {
                "id": f.pk,
                "kind": f.kind,
                "locale": f.locale,
                "media_id": f.media_id,
                "url": f.url,
                "track_ids": sorted(track.pk for track in f.tracks.all()),
                "reference": f.reference,
            }
            for f in formats
        ],
        "product_versions": version_refs(item),
        "review_round": item.review_round,
        "approvals": [
            {
                "reviewer": person_ref(a.reviewer),
                "from_owner_team": a.from_owner_team,
                "created_at": a.created_at,
            }
            for a in approvals
        ],
        "approvals_required": 2 if broad else 1,
        "owner_team_approval_required": broad,
        "created_by": person_ref(item.created_by),
        "submitted_by": person_ref(item.submitted_by),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "published_at": item.published_at,
        "retired_at": item.retired_at,
        "published_revision": published.number if published else None,
        "pending_change": {"change": item.pending_change, "note": item.change_note}
        if item.pending_change
        else None,
        "revisions": [
            {
                "number": r.number,
                "change": r.change,
                "note": r.note,
                "published_at": r.published_at,
                "published_by": person_ref(r.published_by),
            }
            for r in history
        ],
    }


def _audience_ref(audience: Audience | None) -> dict[str, Any] | None:
    return None if audience is None else {"id": audience.pk, "name": audience.name}


def version_refs(item: CatalogItem) -> list[dict[str, Any]]:
    """The item's versions, each legacy one with the version to use now (the chain is
    followed among the versions of the same lines, fetched at once)."""
    versions = list(item.product_versions.select_related("product_line").order_by("pk"))
    lines = {version.product_line_id for version in versions}
    by_id = {
        version.pk: version
        for version in ProductVersion.objects.filter(Q(product_line_id__in=lines)).select_related(
            "product_line"
        )
    }
    refs = []
    for version in versions:
        current = current_in(by_id, version) if version.is_legacy else None
        line = version.product_line.name
        refs.append(
            {
                "id": version.pk,
                "label": f"{line} {version.name}",
                "legacy": version.is_legacy,
                "current_label": f"{line} {current.name}" if current else None,
                "current_id": current.pk if current else None,
            }
        )
    return refs
