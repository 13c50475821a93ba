"""The learner catalog: browsing with filters, search, an item's page, and its media files.

Every page asks the catalog's read side (`cascade.catalog.browse`, `cascade.catalog.search`) as
the actor's viewer (`viewer_for`), so what a partner person may not see is neither listed, nor
found, nor opened: an item outside their audience answers the same 404 as an item that does not
exist. Vendor staff (no viewer) see every published item, as a preview.

Browsing is a GET form: without JavaScript it reloads the page; with htmx only the results are
swapped and the address follows the filters, so a filtered catalog can be bookmarked and shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from cascade.catalog import browse
from cascade.catalog.audiences import Viewer
from cascade.catalog.format_models import SLOT_FORMATS, FormatKind
from cascade.catalog.item_models import ItemKind
from cascade.catalog.media_models import MediaAsset, MediaKind
from cascade.catalog.revisions import revision_view_record
from cascade.catalog.search import SearchHit, search_catalog
from cascade.catalog.selectors import viewer_for
from cascade.catalog.views.learner_forms import (
    CatalogFilterForm,
    SearchForm,
    language_name,
    tenant_languages,
)
from cascade.catalog.views.learner_media import media_response
from cascade.core.errors import DomainError, ValidationFailed
from cascade.core.pagination import Page
from cascade.learning.selectors import ItemProgress, item_progress, open_enrollment
from cascade.learning.services import enroll_self
from cascade.tenancy.models import Tenant, Tier
from cascade.web.pages import actor_of, page, tenant_of

PAGE_SIZE = 24
SEARCH_RESULTS = 20
# Ids beyond a 64-bit integer cannot exist; asking the database about them would fail.
MAX_ID = 2**63 - 1
DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint presentation"
    ),
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/webp": "WebP image",
}
# What a learner is told about parts of a lesson that later capabilities will run.
SLOT_NOTES = {
    FormatKind.PACKAGE: "This interactive activity will open here once interactive packages "
    "are available in the program.",
    FormatKind.ASSESSMENT: "This assessment will open here once assessments are available in "
    "the program.",
    FormatKind.LIVE: "Dates and registration for this live session will appear here once live "
    "sessions are available in the program.",
}


def _htmx_partial(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page (a history restore needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "history_restore_request", False)


def _varies_with_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


def _existing_id(value: int) -> int:
    if value > MAX_ID:
        raise Http404("No such item.")
    return value


def _known_locale(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if value in dict(settings.LANGUAGES) else None


# --- browsing -----------------------------------------------------------------------------------


@page
def catalog(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    tenant = tenant_of(request)
    viewer = viewer_for(actor)
    product_lines = browse.product_line_options()
    bound = any(name in request.GET for name in CatalogFilterForm.base_fields)
    form = CatalogFilterForm(
        request.GET if bound else None,
        product_lines=product_lines,
        languages=tenant_languages(tenant),
    )
    cursor = request.GET.get("cursor") or None
    query = request.GET.copy()
    query.pop("cursor", None)
    context: dict[str, Any] = {
        "form": form,
        "search_form": SearchForm(),
        "query": query.urlencode(),
        "appending": bool(cursor),
        "active_filters": form.active_count(),
    }
    status = 200
    if bound and not form.is_valid():
        context.update(cards=[], next_cursor=None, invalid=True)
        status = 400
    else:
        filters = form.filters() if bound else browse.CatalogFilters()
        cards_page = _catalog_page(tenant, viewer, filters, cursor)
        teaser_ids = [card.id for card in cards_page.items if card.teaser]
        tiers = (
            browse.teaser_tiers(viewer=viewer, item_ids=teaser_ids)
            if viewer is not None and teaser_ids
            else {}
        )
        context.update(
            cards=[Card(card, tiers.get(card.id)) for card in cards_page.items],
            next_cursor=cards_page.next_cursor,
            invalid=False,
        )
    if _htmx_partial(request):
        template = "catalog/learner/_page.html" if cursor else "catalog/learner/_results.html"
        return _varies_with_htmx(render(request, template, context, status=status))
    return _varies_with_htmx(
        render(request, "catalog/learner/catalog.html", context, status=status)
    )


def _catalog_page(
    tenant: Tenant, viewer: Viewer | None, filters: browse.CatalogFilters, cursor: str | None
) -> Page[browse.CatalogCard]:
    try:
        return browse.catalog_page(
            tenant=tenant,
            viewer=viewer,
            filters=filters,
            cursor=cursor,
            limit=PAGE_SIZE,
            locale=filters.locale,
        )
    except ValidationFailed as error:
        # A cursor that does not decode, or holds values of the wrong type (edited by hand).
        if error.code != "invalid_cursor":
            raise
        raise ValidationFailed.field(
            "cursor", "This link to more results is not valid.", code="invalid_cursor"
        ) from error


@dataclass(frozen=True)
class Card:
    """A catalog card and, for a teaser, the tier it is available at."""

    card: browse.CatalogCard
    teaser_tier: Tier | None = None


# --- search -------------------------------------------------------------------------------------


@page
def search(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    tenant = tenant_of(request)
    form = SearchForm(request.GET or None)
    hits: list[SearchHit] = []
    searched = False
    status = 200
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"].strip()
        if text:
            searched = True
            try:
                hits = search_catalog(
                    tenant=tenant,
                    viewer=viewer_for(actor),
                    query=text,
                    limit=SEARCH_RESULTS,
                )
            except DomainError as error:
                form.add_error("q", error.message)
                status = error.status
    elif form.is_bound:
        status = 400
    return render(
        request,
        "catalog/learner/search.html",
        {"search_form": form, "hits": hits, "searched": searched},
        status=status,
    )


# --- one item -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    current: bool


@dataclass(frozen=True)
class Track:
    """A captions or transcript file of a video, named by its language."""

    asset: MediaAsset
    url: str
    label: str
    # Captions in the reader's language come on by default when the video is spoken in another.
    default: bool = False


@dataclass(frozen=True)
class FormatChoice:
    """A format as the page shows it, with what its template needs already worked out."""

    format: browse.FormatView
    selected: bool
    media_url: str
    captions: list[Track]
    transcripts: list[Track]
    host: str
    document_type: str
    slot_note: str

    @property
    def kind(self) -> str:
        return self.format.kind

    @property
    def label(self) -> str:
        return self.format.label

    @property
    def media(self) -> MediaAsset | None:
        return self.format.media

    @property
    def is_audio(self) -> bool:
        return self.media is not None and self.media.kind == MediaKind.AUDIO

    @property
    def is_image(self) -> bool:
        return self.media is not None and self.media.kind == MediaKind.IMAGE


@page
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = actor_of(request)
    tenant = tenant_of(request)
    viewer = viewer_for(actor)
    view = browse.item_for_viewer(
        tenant=tenant,
        viewer=viewer,
        item_id=_existing_id(item_id),
        locale=_known_locale(request.GET.get("locale")),
    )
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    if view.teaser:
        return render(request, "catalog/learner/teaser.html", {"view": view})
    if viewer is not None and view.revision is not None:
        # Who saw which revision is kept for partner people; vendor staff only preview.
        revision_view_record(
            actor=actor, item=view.item, revision=view.revision, locale=view.locale
        )
    chosen_locale = _known_locale(request.GET.get("locale"))
    reader_locale = chosen_locale or (viewer.locale if viewer is not None else view.locale)
    formats = _format_choices(view, request.GET.get("format"), reader_locale)
    electives = [child for child in view.children if not child.required]
    # Partner people keep learning records; vendor staff only look.
    records = viewer is not None and actor.person is not None
    progress = (
        item_progress(
            actor=actor, item_id=view.item.pk, child_ids=[child.id for child in view.children]
        )
        if records
        else ItemProgress()
    )
    context = {
        "view": view,
        "item_kind": ItemKind(view.item.kind),
        "languages": [
            Language(code, language_name(code), code == view.locale) for code in view.locales
        ],
        "locale_query": urlencode({"locale": chosen_locale}) if chosen_locale else "",
        "formats": formats,
        "selected_format": next((f for f in formats if f.selected), None),
        "has_article": any(f.kind == FormatKind.ARTICLE for f in formats),
        "elective_count": len(electives),
        "is_container": view.item.kind in (ItemKind.COURSE, ItemKind.MODULE, ItemKind.PATH),
        "can_enroll": records,
        "can_record": records and view.item.kind in (ItemKind.LESSON, ItemKind.CARD),
        "enrollment": open_enrollment(actor=actor, item_id=view.item.pk) if records else None,
        "progress": progress,
        "next_child": next((c for c in view.children if c.id == progress.next_child_id), None),
    }
    if _htmx_partial(request):
        return _varies_with_htmx(render(request, "catalog/learner/_formats.html", context))
    return _varies_with_htmx(render(request, "catalog/learner/item.html", context))


def _format_choices(
    view: browse.ItemView, wanted: str | None, reader_locale: str
) -> list[FormatChoice]:
    kinds = [f.kind for f in view.formats]
    selected = wanted if wanted in kinds else (kinds[0] if kinds else None)
    choices = []
    for offered in view.formats:
        media_url = _media_url(view.item.pk, offered.media.pk) if offered.media is not None else ""
        spoken = offered.media.language if offered.media is not None else ""
        captions = [
            Track(
                asset=track,
                url=_media_url(view.item.pk, track.pk),
                label=_track_label(track),
                default=bool(track.language)
                and track.language == reader_locale
                and spoken != reader_locale,
            )
            for track in offered.tracks
            if track.kind == MediaKind.CAPTIONS
        ]
        transcripts = [
            Track(
                asset=track,
                url=_media_url(view.item.pk, track.pk),
                label=_track_label(track),
            )
            for track in offered.tracks
            if track.kind == MediaKind.TRANSCRIPT
        ]
        choices.append(
            FormatChoice(
                format=offered,
                selected=offered.kind == selected,
                media_url=media_url,
                captions=captions,
                transcripts=transcripts,
                host=(urlsplit(offered.url).hostname or "") if offered.url else "",
                document_type=DOCUMENT_TYPES.get(offered.media.content_type, "File")
                if offered.media is not None
                else "",
                slot_note=SLOT_NOTES.get(FormatKind(offered.kind), "")
                if offered.kind in SLOT_FORMATS
                else "",
            )
        )
    return choices


def _track_label(track: MediaAsset) -> str:
    return language_name(track.language) if track.language else track.title


def _media_url(item_id: int, media_id: int) -> str:
    return reverse("web:catalog-media", args=[item_id, media_id])


# --- media --------------------------------------------------------------------------------------


@page
def media(request: HttpRequest, item_id: int, media_id: int) -> HttpResponseBase:
    asset = browse.media_for_viewer(
        viewer=viewer_for(actor_of(request)),
        item_id=_existing_id(item_id),
        media_id=_existing_id(media_id),
    )
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    return media_response(request, asset)


@page
@require_POST
def enroll(request: HttpRequest, item_id: int) -> HttpResponse:
    """Add a visible item to one's learning (an item one cannot see answers 404)."""
    actor = actor_of(request)
    enrollment = enroll_self(actor=actor, item_id=_existing_id(item_id))
    messages.success(
        request,
        "It is in your learning now."
        if enrollment.source == "self"
        else "It is already in your learning.",
    )
    return redirect("web:catalog-item", item_id=item_id)
