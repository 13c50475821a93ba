"""Writing a lesson's formats: the equivalent ways (video, text, download...) to take it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record
from cascade.catalog.format_models import (
    MEDIA_KINDS_FOR_FORMAT,
    SLOT_FORMATS,
    FormatKind,
    LessonFormat,
)
from cascade.catalog.item_models import CatalogItem, ItemKind, ItemState
from cascade.catalog.media_models import TRACK_KINDS, MediaAsset
from cascade.core.errors import Conflict, ValidationFailed

MAX_FORMATS = 12
_URL = URLValidator(schemes=["https"])


@dataclass(frozen=True)
class FormatSpec:
    kind: str
    locale: str = ""
    media_id: int | None = None
    url: str = ""
    track_ids: Sequence[int] = field(default_factory=tuple)
    reference: str = ""


def _invalid(index: int, message: str, code: str) -> ValidationFailed:
    return ValidationFailed.field(f"formats[{index}]", message, code=code)


@transaction.atomic
def item_formats_set(
    *, actor: Actor, item: CatalogItem, formats: Sequence[FormatSpec]
) -> list[LessonFormat]:
    """Replace a draft lesson's or card's formats, in the order given.

    - video: a video or audio file of the library, or an https address, with optional
      captions/transcript tracks;
    - article: the item's own text (no file);
    - document: a document or image file of the library;
    - link: an https address;
    - package, assessment, live: a reference filled in by the capability that runs them.
    """
    from cascade.catalog.items import check_locale, locked

    require(actor, Action.CATALOG_AUTHOR)
    item = locked(item)
    if item.state != ItemState.DRAFT:
        raise Conflict("Only drafts can change their formats.", code="not_draft")
    if item.kind not in (ItemKind.LESSON, ItemKind.CARD) and formats:
        raise ValidationFailed.field(
            "formats", "Only lessons and cards have formats.", code="no_formats_allowed"
        )
    if len(formats) > MAX_FORMATS:
        raise ValidationFailed.field(
            "formats", f"Use at most {MAX_FORMATS} formats.", code="too_many"
        )
    media_ids = {f.media_id for f in formats if f.media_id} | {
        t for f in formats for t in f.track_ids
    }
    media = {m.pk: m for m in MediaAsset.objects.filter(pk__in=media_ids)}
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[LessonFormat, list[MediaAsset]]] = []
    for index, spec in enumerate(formats):
        if spec.kind not in FormatKind.values:
            raise _invalid(index, f"Unknown format {spec.kind!r}.", "invalid_choice")
        if spec.locale:
            check_locale(spec.locale)
        if (spec.kind, spec.locale) in seen:
            raise _invalid(index, "One format of each kind per language.", "duplicate")
        seen.add((spec.kind, spec.locale))
        asset = media.get(spec.media_id) if spec.media_id else None
        if spec.media_id and asset is None:
            raise _invalid(index, "Unknown media file.", "unknown_reference")
        accepted = MEDIA_KINDS_FOR_FORMAT.get(spec.kind, ())
        if asset is not None and asset.kind not in accepted:
            raise _invalid(
                index, f"A {spec.kind} format cannot use a {asset.kind} file.", "wrong_media_kind"
            )
        url = (spec.url or "").strip()
        if url:
            if spec.kind not in (FormatKind.VIDEO, FormatKind.LINK):
                raise _invalid(index, "Only videos and links take an address.", "url_not_allowed")
            try:
                _URL(url)
            except DjangoValidationError as exc:
                raise _invalid(index, "Use an https:// address.", "invalid_url") from exc
        if spec.kind == FormatKind.VIDEO and (asset is None) == (not url):
            raise _invalid(index, "A video is either a file or an address.", "video_source")
        if spec.kind == FormatKind.DOCUMENT and asset is None:
            raise _invalid(index, "Choose the document file.", "media_required")
        if spec.kind == FormatKind.LINK and not url:
            raise _invalid(index, "Give the link's address.", "url_required")
        if spec.kind == FormatKind.ARTICLE and (asset or url):
            raise _invalid(index, "An article is the item's own text.", "article_has_text")
        if spec.kind not in SLOT_FORMATS and spec.reference:
            raise _invalid(index, "Only slot formats take a reference.", "reference_not_allowed")
        tracks = []
        for track_id in spec.track_ids:
            track = media.get(track_id)
            if track is None or track.kind not in TRACK_KINDS:
                raise _invalid(index, "Tracks are captions or transcripts.", "invalid_track")
            tracks.append(track)
        if tracks and spec.kind != FormatKind.VIDEO:
            raise _invalid(index, "Only videos have tracks.", "tracks_not_allowed")
        rows.append(
            (
                LessonFormat(
                    tenant=actor.tenant,
                    item=item,
                    kind=spec.kind,
                    position=index + 1,
                    locale=spec.locale,
                    media=asset,
                    url=url,
                    reference=(spec.reference or "").strip()[:200],
                ),
                tracks,
            )
        )
    before = list(LessonFormat.objects.filter(item=item).values_list("kind", "locale"))
    LessonFormat.objects.filter(item=item).delete()
    created = LessonFormat.objects.bulk_create(row for row, _ in rows)
    for lesson_format, (_, tracks) in zip(created, rows, strict=True):
        if tracks:
            lesson_format.tracks.set(tracks)
    audit_record(
        actor=actor,
        action="catalog_item.formats",
        target=item,
        before={"formats": before},
        after={"formats": [[f.kind, f.locale] for f in created]},
    )
    return created
