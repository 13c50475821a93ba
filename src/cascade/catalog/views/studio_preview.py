"""Persona preview: the learner catalog exactly as a chosen partner persona would see it.

The persona is a `Viewer` built from the form and handed to the same read functions the learner
pages use (`catalog_page`, `search_catalog`, `item_for_viewer`), so the preview cannot drift from
what partners get: the same audiences, teasers, language fallback and published revisions.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cascade.catalog.audiences import Viewer
from cascade.catalog.browse import CatalogFilters, catalog_page, item_for_viewer, teaser_tiers
from cascade.catalog.search import search_catalog
from cascade.catalog.studio_forms import PersonaForm
from cascade.catalog.studio_selectors import source_variant
from cascade.catalog.views.studio_pages import studio_actor, studio_item
from cascade.core.errors import DomainError, NotFound
from cascade.tenancy.models import Region, Specialization, Tenant, Tier
from cascade.web.pages import page

PAGE_SIZE = 24
SEARCH_RESULTS = 20


def _persona_form(request: HttpRequest, tenant: Tenant) -> PersonaForm:
    form = PersonaForm(
        request.GET or None,
        tiers=list(Tier.objects.order_by("rank")),
        regions=list(Region.objects.order_by("name")),
        specializations=list(Specialization.objects.order_by("name")),
        default_locale=tenant.default_locale,
    )
    if form.is_bound:
        form.is_valid()
    return form


def _persona_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in ("cursor", "q"):
        query.pop(name, None)
    return query.urlencode()


@page
@require_http_methods(["GET"])
def studio_preview(request: HttpRequest) -> HttpResponse:
    actor = studio_actor(request)
    tenant = actor.tenant
    form = _persona_form(request, tenant)
    viewer = form.viewer()
    query = (form.cleaned_data.get("q") or "").strip() if form.is_bound else ""
    context: dict[str, object] = {
        "form": form,
        "persona": form.description(),
        "persona_query": _persona_query(request),
        "query": query,
        "cards": [],
        "hits": [],
        "next_cursor": None,
        "error": None,
    }
    # A persona that could not be read (an unknown organization) is shown with the reason, and
    # the catalog of the persona as far as it could be read.
    status = 422 if form.is_bound and form.errors else 200
    try:
        if query:
            context["hits"] = search_catalog(
                tenant=tenant,
                viewer=viewer,
                query=query,
                locale=viewer.locale,
                limit=SEARCH_RESULTS,
            )
        else:
            cards = catalog_page(
                tenant=tenant,
                viewer=viewer,
                filters=CatalogFilters(),
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
                locale=viewer.locale,
            )
            tiers = teaser_tiers(
                viewer=viewer, item_ids=[card.id for card in cards.items if card.teaser]
            )
            context["cards"] = [(card, tiers.get(card.id)) for card in cards.items]
            context["next_cursor"] = cards.next_cursor
    except DomainError as error:
        context["error"] = error
        status = error.status
    return render(request, "catalog/studio/preview.html", context, status=status)


@page
def studio_preview_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """One item as the persona would open it: the page, the teaser, or nothing at all."""
    actor, item = studio_item(request, item_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    form = _persona_form(request, actor.tenant)
    viewer: Viewer = form.viewer()
    source = source_variant(item)
    try:
        view = item_for_viewer(
            tenant=actor.tenant, viewer=viewer, item_id=item.pk, locale=viewer.locale
        )
    except NotFound:
        view = None
    return render(
        request,
        "catalog/studio/preview_item.html",
        {
            "form": form,
            "item": item,
            "item_title": source.title if source else "",
            "persona": form.description(),
            "persona_query": _persona_query(request),
            "view": view,
            "published": item.published_revision_id is not None,
        },
        status=422 if form.is_bound and form.errors else 200,
    )
