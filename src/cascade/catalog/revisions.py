"""Revisions: freezing an item at publication, revising it, translations, who saw what.

Learners read `CatalogItem.published_revision`, a snapshot; authors edit the working copy. An
author revising a published item chooses the kind of change:
- minor: once published, it flows into every course, module and path that uses the item;
- major: containers that use the item keep showing the revision they were published with, and
  are listed as needing re-publication, until an author publishes them again.
A child's revision as shown inside a container is therefore "the newest revision reachable from
the pinned one through minor changes only" (`effective_child_revisions`).

Translations have their own review: an approved translation of a published item reaches learners
at once as a minor revision that changes only that language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record
from cascade.catalog.format_models import LessonFormat
from cascade.catalog.item_models import (
    CatalogItem,
    ItemLink,
    ItemState,
    ItemVariant,
    VariantStatus,
)
from cascade.catalog.revision_models import (
    ChangeKind,
    ItemRevision,
    RevisionChild,
    RevisionMedia,
    RevisionView,
)
from cascade.catalog.search import search_index_item
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from cascade.events.services import event_record


def _variant_content(variant: ItemVariant) -> dict[str, str]:
    return {"title": variant.title, "summary": variant.summary, "body": variant.body}


def snapshot_of(item: CatalogItem, previous: ItemRevision | None) -> dict[str, Any]:
    """The working copy as learners will see it. Translations still in translation or review
    keep their previously published text (or are left out until approved)."""
    source_locale = item.tenant.default_locale
    previous_variants: dict[str, Any] = previous.content["variants"] if previous else {}
    variants: dict[str, Any] = {}
    for variant in ItemVariant.objects.filter(item=item):
        if variant.locale == source_locale or variant.status == VariantStatus.APPROVED:
            variants[variant.locale] = _variant_content(variant)
        elif variant.locale in previous_variants:
            variants[variant.locale] = previous_variants[variant.locale]
    links = list(
        ItemLink.objects.filter(parent=item)
        .select_related("child__published_revision")
        .order_by("position")
    )
    formats = LessonFormat.objects.filter(item=item).prefetch_related("tracks").order_by("position")
    return {
        "variants": variants,
        "source_locale": source_locale,
        "children": [
            {
                "id": link.child_id,
                "required": link.required,
                "revision": link.child.published_revision.number
                if link.child.published_revision
                else None,
            }
            for link in links
        ],
        "formats": [
            {
                "id": f.pk,
                "kind": f.kind,
                "locale": f.locale,
                "media_id": f.media_id,
                "url": f.url,
                "track_ids": sorted(t.pk for t in f.tracks.all()),
                "reference": f.reference,
            }
            for f in formats
        ],
        "electives_required": item.electives_required,
        "duration_minutes": item.duration_minutes,
        "product_version_ids": sorted(item.product_versions.values_list("pk", flat=True)),
    }


def revision_publish(*, actor: Actor, item: CatalogItem) -> ItemRevision:
    """Freeze the (locked, approved) working copy as the item's next revision."""
    unpublished = ItemLink.objects.filter(parent=item, child__published_revision__isnull=True)
    if unpublished.exists():
        raise Conflict("Publish every item this one contains first.", code="children_unpublished")
    previous = item.published_revision
    number = (previous.number if previous else 0) + 1
    if previous is None:
        change = ChangeKind.INITIAL
    else:
        change = ChangeKind.MAJOR if item.pending_change == ChangeKind.MAJOR else ChangeKind.MINOR
    revision = ItemRevision.objects.create(
        tenant=actor.tenant,
        item=item,
        number=number,
        change=change,
        note=item.change_note,
        content=snapshot_of(item, previous),
        published_by=actor.person,
        published_at=timezone.now(),
    )
    RevisionChild.objects.bulk_create(
        RevisionChild(
            tenant=actor.tenant,
            revision=revision,
            child_id=child["id"],
            pinned_number=child["revision"],
        )
        for child in revision.content["children"]
    )
    _record_media(revision)
    if change == ChangeKind.MAJOR:
        item.latest_major_number = number
    item.published_revision = revision
    item.published_audience_id = item.audience_id
    item.pending_change = ""
    item.change_note = ""
    return revision


def media_ids_of(content: dict[str, Any]) -> set[int]:
    """The media files a revision's formats use, as the file or as a track."""
    formats = content.get("formats", [])
    used = {f["media_id"] for f in formats if f.get("media_id")}
    return used | {t for f in formats for t in f.get("track_ids", [])}


def _record_media(revision: ItemRevision) -> None:
    RevisionMedia.objects.bulk_create(
        RevisionMedia(tenant_id=revision.tenant_id, revision=revision, media_id=media_id)
        for media_id in sorted(media_ids_of(revision.content))
    )


def release_media(item: CatalogItem) -> None:
    """A retired item is never shown again: its revisions stop holding files in the library."""
    RevisionMedia.objects.filter(revision__item=item).delete()


@transaction.atomic
def item_revise(*, actor: Actor, item: CatalogItem, change: str, note: str) -> CatalogItem:
    """Start the next revision of a published item: its working copy becomes a draft again,
    while learners keep the published revision."""
    from cascade.catalog.items import locked, move

    require(actor, Action.CATALOG_AUTHOR)
    if change not in (ChangeKind.MINOR, ChangeKind.MAJOR):
        raise ValidationFailed.field("change", "Choose minor or major.", code="invalid_choice")
    note = (note or "").strip()
    if not note or len(note) > 2000:
        raise ValidationFailed.field(
            "note", "Say what changes, in up to 2000 characters.", code="note_required"
        )
    item = locked(item)
    if item.state != ItemState.PUBLISHED:
        raise Conflict("Only published items are revised.", code="not_published")
    item.pending_change = change
    item.change_note = note
    move(actor, item, ItemState.DRAFT, "catalog_item.revise")
    return item


def effective_child_revisions(
    children: Iterable[dict[str, Any]],
) -> dict[int, ItemRevision]:
    """For a container's frozen children, the revision of each child learners see: the newest
    revision after the pinned one with no major change in between (one query)."""
    children = [c for c in children if c.get("revision")]
    if not children:
        return {}
    pinned = {c["id"]: c["revision"] for c in children}
    candidates = ItemRevision.objects.filter(item_id__in=pinned).order_by("item_id", "number")
    chosen: dict[int, ItemRevision] = {}
    blocked: set[int] = set()
    for revision in candidates:
        item_id = revision.item_id
        if revision.number < pinned[item_id] or item_id in blocked:
            continue
        if revision.number > pinned[item_id] and revision.change == ChangeKind.MAJOR:
            blocked.add(item_id)
            continue
        chosen[item_id] = revision
    return chosen


def containers_needing_republication(item_ids: Iterable[int] | None = None) -> dict[int, list[int]]:
    """Live containers whose published revision pins a child older than the child's latest
    major revision: {container id: [child ids]} (one query)."""
    rows = RevisionChild.objects.filter(
        revision_id=F("revision__item__published_revision_id"),
        child__latest_major_number__gt=F("pinned_number"),
    ).exclude(revision__item__state=ItemState.RETIRED)
    if item_ids is not None:
        rows = rows.filter(revision__item_id__in=list(item_ids))
    stale: dict[int, list[int]] = {}
    for container_id, child_id in rows.order_by("revision__item_id", "id").values_list(
        "revision__item_id", "child_id"
    ):
        stale.setdefault(container_id, []).append(child_id)
    return stale


def revision_view_record(
    *, actor: Actor, item: CatalogItem, revision: ItemRevision, locale: str
) -> None:
    """Remember that the person opened this revision (first and last time)."""
    if actor.person is None:
        return
    view, created = RevisionView.objects.get_or_create(
        tenant=actor.tenant,
        person=actor.person,
        revision=revision,
        defaults={"item": item, "locale": locale},
    )
    if not created:
        view.locale = locale
        view.save(update_fields=["locale", "last_seen_at"])


# --- translations (transcreation) ---------------------------------------------------------------


def _translation(item: CatalogItem, locale: str) -> ItemVariant:
    if locale == item.tenant.default_locale:
        raise ValidationFailed.field(
            "locale", "The source language is edited with the item.", code="source_locale"
        )
    variant = ItemVariant.objects.select_for_update().filter(item=item, locale=locale).first()
    if variant is None:
        raise ValidationFailed.field("locale", "No translation in that language.", code="unknown")
    return variant


@transaction.atomic
def translation_save(
    *, actor: Actor, item: CatalogItem, locale: str, title: str, summary: str = "", body: str = ""
) -> ItemVariant:
    """A translator writes a language variant, at any point of the item's life: it follows the
    current source text and waits for review."""
    from cascade.catalog.items import check_locale, check_title, locked

    require(actor, Action.CATALOG_TRANSLATE)
    item = locked(item)
    if item.state == ItemState.RETIRED:
        raise Conflict("Retired items are not translated.", code="retired")
    check_locale(locale)
    if locale == actor.tenant.default_locale:
        raise ValidationFailed.field(
            "locale", "The source language is edited with the item.", code="source_locale"
        )
    source = ItemVariant.objects.filter(item=item, locale=actor.tenant.default_locale).first()
    if source is None:
        raise Conflict("Write the source language first.", code="no_source_variant")
    before = ItemVariant.objects.filter(item=item, locale=locale).first()
    variant, _ = ItemVariant.objects.update_or_create(
        tenant=actor.tenant,
        item=item,
        locale=locale,
        defaults={
            "title": check_title(title),
            "summary": (summary or "").strip(),
            "body": body or "",
            "source_updated_at": source.updated_at,
            "status": VariantStatus.DRAFT,
            "translated_by": actor.person,
        },
    )
    audit_record(
        actor=actor,
        action="catalog_item.translation_save",
        target=item,
        before={"locale": locale, "title": before.title} if before else None,
        after={"locale": locale, "title": variant.title},
    )
    return variant


@transaction.atomic
def translation_submit(*, actor: Actor, item: CatalogItem, locale: str) -> ItemVariant:
    require(actor, Action.CATALOG_TRANSLATE)
    variant = _translation(item, locale)
    if variant.status != VariantStatus.DRAFT:
        raise Conflict("Only draft translations are submitted.", code="not_draft")
    variant.status = VariantStatus.IN_REVIEW
    variant.save(update_fields=["status"])
    audit_record(
        actor=actor, action="catalog_item.translation_submit", target=item, after={"locale": locale}
    )
    return variant


@transaction.atomic
def translation_review(
    *, actor: Actor, item: CatalogItem, locale: str, approve: bool, note: str = ""
) -> ItemVariant:
    """A reviewer (never the translator) approves a translation, which reaches learners of a
    published item at once as a minor revision, or sends it back."""
    from cascade.catalog.items import locked

    require(actor, Action.CATALOG_REVIEW)
    item = locked(item)
    variant = _translation(item, locale)
    if variant.status != VariantStatus.IN_REVIEW:
        raise Conflict("Only translations in review are reviewed.", code="not_in_review")
    if actor.person is not None and actor.person.pk == variant.translated_by_id:
        raise PermissionDenied("You cannot approve your own translation.", code="own_work")
    if not approve and not (note or "").strip():
        raise ValidationFailed.field("note", "Say what should change.", code="note_required")
    variant.status = VariantStatus.APPROVED if approve else VariantStatus.DRAFT
    variant.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="catalog_item.translation_approve" if approve else "catalog_item.translation_return",
        target=item,
        after={"locale": locale, "note": (note or "").strip()},
    )
    previous = item.published_revision
    if approve and previous is not None:
        content = dict(previous.content)
        content["variants"] = {**previous.content["variants"], locale: _variant_content(variant)}
        revision = ItemRevision.objects.create(
            tenant=actor.tenant,
            item=item,
            number=previous.number + 1,
            change=ChangeKind.MINOR,
            note=f"Translation updated ({locale}).",
            content=content,
            published_by=actor.person,
            published_at=timezone.now(),
        )
        _record_media(revision)
        item.published_revision = revision
        item.save(update_fields=["published_revision", "updated_at"])
        search_index_item(item)
        event_record(
            tenant=actor.tenant,
            name="catalog.item_revised",
            payload={"item_id": item.pk, "revision": revision.number, "change": revision.change},
        )
    return variant


def translations_needing_update(item: CatalogItem) -> list[str]:
    """Locales whose translation was made from an older source text than the current one."""
    source = ItemVariant.objects.filter(item=item, locale=item.tenant.default_locale).first()
    if source is None:
        return []
    return sorted(
        ItemVariant.objects.filter(item=item, source_updated_at__lt=source.updated_at)
        .exclude(locale=source.locale)
        .values_list("locale", flat=True)
    )
