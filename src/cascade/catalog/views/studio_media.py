"""The studio's media library: the list with filters, uploading a file with its metadata, an
asset's page (metadata, tracks, the lessons that use it, deletion) and the file itself for staff.

Files are reused across lessons, so the asset page shows every lesson format that names the file
as its media or as a captions or transcript track. The file never changes once uploaded: a new
version is a new asset, so lessons using the old one do not change silently. Refusals of the
library (type, size, duplicates, files in use) are shown beside the field they concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.access.policies import Action, can, require
from cascade.catalog.format_models import LessonFormat
from cascade.catalog.media import (
    inspect_upload,
    media_asset_create,
    media_asset_delete,
    media_asset_update,
)
from cascade.catalog.media_models import TRACK_KINDS, MediaAsset, MediaKind
from cascade.catalog.media_selectors import media_asset_get, media_asset_list, media_asset_visible
from cascade.catalog.studio_media_forms import (
    Choices,
    MediaEditForm,
    MediaFilterForm,
    MediaMetadataForm,
    MediaUploadForm,
)
from cascade.catalog.studio_selectors import source_title
from cascade.catalog.views.studio_pages import studio_actor
from cascade.core.errors import Conflict, DomainError, NotFound
from cascade.core.pagination import keyset_page
from cascade.web.pages import form_error, page, parse_int

PAGE_SIZE = 25
NEWEST_FIRST = ("-created_at", "-pk")
# The track form offers the most recent videos; a video asked for by id is added to them.
VIDEO_CHOICES_SHOWN = 200
PRODUCTS_SHOWN = 200
# Types the library accepts as text are checked to be UTF-8 when uploaded.
TEXT_TYPES = ("text/vtt", "text/plain")
LANGUAGE_NAMES = {code: str(name) for code, name in settings.LANGUAGES}


@dataclass(frozen=True)
class MediaUse:
    """A lesson format that uses the asset, as its media or as one of its video's tracks."""

    item_id: int
    item_title: str
    item_kind: str
    item_state: str
    format_kind: str
    locale: str
    as_track: bool


@dataclass(frozen=True)
class MediaRow:
    """An asset as the list shows it, with its language and tracks said in words."""

    asset: MediaAsset
    language: str
    tracks: list[tuple[MediaAsset, str]]


# --- reads --------------------------------------------------------------------------------------


def _products(actor: Actor) -> list[str]:
    return list(
        media_asset_visible(actor)
        .exclude(product="")
        .order_by("product")
        .values_list("product", flat=True)
        .distinct()[:PRODUCTS_SHOWN]
    )


def _with_tracks(assets: Any) -> Any:
    """The assets with their video (for a track) and their tracks (for a video), in two queries
    whatever the number of rows."""
    return assets.select_related("video").prefetch_related(
        Prefetch("tracks", queryset=MediaAsset.objects.order_by("kind", "language", "title"))
    )


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code) if code else ""


def _track_label(track: MediaAsset) -> str:
    kind = "Captions" if track.kind == MediaKind.CAPTIONS else "Transcript"
    return f"{kind} ({language_name(track.language)})" if track.language else kind


def media_rows(assets: list[MediaAsset]) -> list[MediaRow]:
    return [
        MediaRow(
            asset=asset,
            language=language_name(asset.language),
            tracks=[(track, _track_label(track)) for track in asset.tracks.all()],
        )
        for asset in assets
    ]


def _video_choices(actor: Actor, also: int | None = None) -> Choices:
    videos = media_asset_visible(actor).filter(kind=MediaKind.VIDEO)
    recent = list(videos.order_by("-created_at", "-pk")[:VIDEO_CHOICES_SHOWN])
    if also is not None and all(video.pk != also for video in recent):
        recent += list(videos.filter(pk=also))
    recent.sort(key=lambda video: (video.title.lower(), video.pk))
    return [(str(video.pk), _video_label(video)) for video in recent]


def _video_label(video: MediaAsset) -> str:
    return f"{video.title} ({language_name(video.language)})" if video.language else video.title


def media_asset_uses(*, actor: Actor, asset: MediaAsset) -> list[MediaUse]:
    """The lesson formats of the actor's tenant that use `asset`, as media or as a track, in
    the order of their items and positions."""
    formats = (
        LessonFormat.objects.filter(Q(media=asset) | Q(tracks=asset))
        .distinct()
        .select_related("item")
        .annotate(item_title=source_title(actor.tenant, "item"))
        .order_by("item_id", "position")
    )
    return [
        MediaUse(
            item_id=f.item_id,
            item_title=getattr(f, "item_title", None)
            or f"Untitled {f.item.get_kind_display().lower()}",
            item_kind=f.item.get_kind_display(),
            item_state=f.item.state,
            format_kind=f.get_kind_display(),
            locale=f.locale,
            as_track=f.media_id != asset.pk,
        )
        for f in formats
    ]


# --- the list -----------------------------------------------------------------------------------


@page
@require_http_methods(["GET"])
def studio_media(request: HttpRequest) -> HttpResponse:
    actor = studio_actor(request)
    form = MediaFilterForm(request.GET or None, products=_products(actor))
    filters = form.selector_arguments()
    result = keyset_page(
        _with_tracks(media_asset_list(actor=actor, **filters)),
        ordering=NEWEST_FIRST,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "rows": media_rows(result.items),
        "next_cursor": result.next_cursor,
        "filtered": any(value is not None for value in filters.values()),
        "query": query.urlencode(),
        "appending": bool(request.GET.get("cursor")),
        "can_author": can(actor, Action.CATALOG_AUTHOR),
    }
    if getattr(request, "htmx", False):
        template = (
            "catalog/studio/media_rows.html"
            if context["appending"]
            else "catalog/studio/media_results.html"
        )
        return render(request, template, context)
    return render(request, "catalog/studio/media_list.html", context)


# --- uploading ----------------------------------------------------------------------------------


def _chosen_video(actor: Actor, form: MediaMetadataForm) -> MediaAsset | None:
    video_id = parse_int(form.cleaned_data.get("video"))
    return media_asset_get(actor=actor, asset_id=video_id) if video_id else None


def _metadata(form: MediaMetadataForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "tags": data["tags"],
        "product": data["product"],
        "language": data["language"],
        "owner": data["owner"],
        "rights_notes": data["rights_notes"],
        "download_allowed": data["download_allowed"],
    }


def _upload_refused(actor: Actor, form: MediaUploadForm, error: DomainError) -> None:
    """A refusal beside the file field; a duplicate links to the asset already holding it."""
    if isinstance(error, Conflict) and error.code == "duplicate_asset":
        upload = form.cleaned_data["file"]
        existing = (
            media_asset_visible(actor)
            .filter(sha256=inspect_upload(upload, form.cleaned_data["kind"]).sha256)
            .first()
        )
        if existing is None:
            form.add_error("file", error.message)
        else:
            form.add_error(
                "file",
                format_html(
                    '{} It is <a href="{}">{}</a>: use that one, or change its details.',
                    error.message,
                    reverse("web:studio-media-asset", args=[existing.pk]),
                    existing.title,
                ),
            )
        return
    form_error(form, error)


@page
@require_http_methods(["GET", "POST"])
def studio_media_upload(request: HttpRequest) -> HttpResponse:
    actor = studio_actor(request)
    require(actor, Action.CATALOG_AUTHOR)
    source = request.POST if request.method == "POST" else request.GET
    videos = _video_choices(actor, also=parse_int(source.get("video")))
    status = 200
    if request.method == "POST":
        form = MediaUploadForm(request.POST, request.FILES, videos=videos)
        if form.is_valid():
            try:
                asset = media_asset_create(
                    actor=actor,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    video=_chosen_video(actor, form),
                    **_metadata(form),
                )
            except DomainError as error:
                _upload_refused(actor, form, error)
                status = error.status
            else:
                messages.success(request, f"“{asset.title}” is in the media library.")
                return redirect("web:studio-media-asset", asset_id=asset.pk)
        else:
            status = 422
    else:
        kind = request.GET.get("kind", "")
        form = MediaUploadForm(
            videos=videos,
            initial={
                "kind": kind if kind in MediaKind.values else "",
                "video": request.GET.get("video", ""),
            },
        )
    return render(
        request,
        "catalog/studio/media_upload.html",
        {"form": form, "reselect_file": form.is_bound and not form.is_valid()},
        status=status,
    )


# --- an asset's page ----------------------------------------------------------------------------


def _asset_page(
    request: HttpRequest,
    actor: Actor,
    asset: MediaAsset,
    *,
    form: MediaEditForm | None = None,
    error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    uses = media_asset_uses(actor=actor, asset=asset)
    tracks = [
        (track, _track_label(track)) for track in asset.tracks.order_by("kind", "language", "title")
    ]
    if form is None:
        form = _edit_form(actor, asset)
    return render(
        request,
        "catalog/studio/media_asset.html",
        {
            "asset": asset,
            "form": form,
            "uses": uses,
            "tracks": tracks,
            "language": language_name(asset.language),
            "video_label": _video_label(asset.video) if asset.video else "",
            "is_track": asset.kind in TRACK_KINDS,
            "is_video": asset.kind == MediaKind.VIDEO,
            "filename": asset.original_name or PurePosixPath(asset.file.name or "").name,
            "can_edit": can(actor, Action.CATALOG_AUTHOR),
            "error": error,
        },
        status=status,
    )


def _edit_form(actor: Actor, asset: MediaAsset, data: Any = None) -> MediaEditForm:
    wanted = parse_int(data.get("video")) if data is not None else asset.video_id
    form = MediaEditForm(
        data,
        videos=_video_choices(actor, also=wanted) if asset.kind in TRACK_KINDS else [],
        initial={
            "title": asset.title,
            "description": asset.description,
            "tags": ", ".join(asset.tags),
            "product": asset.product,
            "language": asset.language,
            "owner": asset.owner,
            "rights_notes": asset.rights_notes,
            "download_allowed": asset.download_allowed,
            "video": str(asset.video_id or ""),
        },
    )
    if asset.kind not in TRACK_KINDS:
        del form.fields["video"]
    return form


@page
@require_http_methods(["GET", "POST"])
def studio_media_asset(request: HttpRequest, asset_id: int) -> HttpResponse:
    actor = studio_actor(request)
    asset = media_asset_get(actor=actor, asset_id=asset_id)
    if request.method == "GET":
        return _asset_page(request, actor, asset)
    require(actor, Action.CATALOG_AUTHOR)
    form = _edit_form(actor, asset, request.POST)
    if not form.is_valid():
        return _asset_page(request, actor, asset, form=form, status=422)
    video = _chosen_video(actor, form) if "video" in form.fields else None
    try:
        media_asset_update(
            actor=actor,
            asset=asset,
            video=video,
            clear_video=video is None,
            **_metadata(form),
        )
    except DomainError as error:
        form_error(form, error)
        return _asset_page(request, actor, asset, form=form, status=error.status)
    messages.success(request, "The details are saved.")
    return redirect("web:studio-media-asset", asset_id=asset.pk)


@page
@require_POST
def studio_media_delete(request: HttpRequest, asset_id: int) -> HttpResponse:
    actor = studio_actor(request)
    asset = media_asset_get(actor=actor, asset_id=asset_id)
    require(actor, Action.CATALOG_AUTHOR)
    try:
        # The library refuses to delete a file a lesson names as its media, or a video with
        # tracks; a track chosen for a lesson's video is only a link that deletion would drop
        # silently, so while any lesson uses the file it stays.
        if media_asset_uses(actor=actor, asset=asset):
            raise Conflict(f"{asset.title!r} is in use and cannot be deleted.", code="in_use")
        media_asset_delete(actor=actor, asset=asset)
    except DomainError as error:
        return _asset_page(request, actor, asset, error=error, status=error.status)
    messages.success(request, f"“{asset.title}” is deleted from the media library.")
    return redirect("web:studio-media")


# --- the file -----------------------------------------------------------------------------------


@page
def studio_media_file(request: HttpRequest, asset_id: int) -> HttpResponseBase:
    """The file as stored, for staff checking it: shown in the browser where it can be, with the
    type decided at upload and no sniffing by the browser."""
    actor = studio_actor(request)
    asset = media_asset_get(actor=actor, asset_id=asset_id)
    # The method is checked after the asset, so another program's id is a 404 whatever the method.
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    try:
        stream = asset.file.open("rb")
    except OSError as error:
        raise NotFound("The file is missing from storage.", code="media_not_found") from error
    content_type = asset.content_type
    if content_type in TEXT_TYPES:
        content_type += "; charset=utf-8"
    response = FileResponse(
        stream,
        content_type=content_type,
        as_attachment=False,
        filename=asset.original_name or PurePosixPath(asset.file.name or "file").name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Who may read the file depends on the reader: no shared cache may keep it.
    response["Cache-Control"] = "private, no-cache"
    return response
