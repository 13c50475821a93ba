"""Reading the media library. Vendor staff browse it (authors pick files for lessons); partner
people never list it: they reach a file only through a lesson they may see."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import Q, QuerySet

from cascade.access.actor import Actor
from cascade.access.policies import sees_whole_tenant
from cascade.catalog.media_models import MediaAsset
from cascade.core.errors import NotFound


def media_asset_visible(actor: Actor) -> QuerySet[MediaAsset]:
    """The library as `actor` may browse it: all of the tenant's assets for vendor staff,
    integrations and the system; nothing for anyone else."""
    assets = MediaAsset.objects.select_related("created_by")
    if not sees_whole_tenant(actor):
        return assets.none()
    return assets


def media_asset_list(
    *,
    actor: Actor,
    kind: str | None = None,
    language: str | None = None,
    tag: str | None = None,
    product: str | None = None,
    q: str | None = None,
) -> QuerySet[MediaAsset]:
    """The library, newest first, narrowed by kind, language ("" for language-neutral media),
    a tag, a product line (exact, case-insensitive) and words of the title."""
    assets = media_asset_visible(actor)
    if kind:
        assets = assets.filter(kind=kind)
    if language is not None:
        assets = assets.filter(language=language)
    if tag:
        assets = assets.filter(_has_tag(" ".join(tag.split()).lower()))
    if product:
        assets = assets.filter(product__iexact=product.strip())
    for word in (q or "").split():
        assets = assets.filter(title__icontains=word)
    return assets


def media_asset_get(*, actor: Actor, asset_id: int) -> MediaAsset:
    """One asset of the library, or NotFound (also when the actor may not browse it or it
    belongs to another tenant)."""
    try:
        return media_asset_visible(actor).get(pk=asset_id)
    except MediaAsset.DoesNotExist as exc:
        raise NotFound("No such media asset.") from exc


def _has_tag(tag: str) -> Q:
    """Tags are stored lower-case without quotes or backslashes (the services see to it), so on
    SQLite, which has no JSON containment, the tag encoded as JSON (quoted, escaped as the
    column is) found in the column's text is an exact match."""
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])
    return Q(tags__icontains=json.dumps(tag))
