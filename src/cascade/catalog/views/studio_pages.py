"""What the studio's pages share: access, the item's tabs, and answering a refused change.

A refused change (a domain error) is shown on the page it came from with the error's status
(409, 422...), beside the field it concerns when there is one, never as a server error. Forms
posted by htmx get the same page: the studio's layout tells htmx to swap those answers in too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.catalog.item_models import CatalogItem, ItemKind
from cascade.catalog.items import CHILD_KINDS
from cascade.catalog.studio_selectors import source_variant, studio_access, studio_item_get
from cascade.web.pages import actor_of


@dataclass(frozen=True)
class Tab:
    name: str
    label: str
    url: str


def today() -> date:
    return timezone.localdate()


def studio_actor(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    studio_access(actor)
    return actor


def studio_item(request: HttpRequest, item_id: int) -> tuple[Actor, CatalogItem]:
    actor = studio_actor(request)
    return actor, studio_item_get(actor=actor, item_id=item_id)


def item_tabs(item: CatalogItem) -> list[Tab]:
    """The item's pages, in the order an author works through them."""
    tabs = [("studio-item", "Overview"), ("studio-item-text", "Text")]
    tabs.append(("studio-item-settings", "Settings"))
    if CHILD_KINDS[item.kind]:
        tabs.append(("studio-item-structure", "Structure"))
    if item.kind in (ItemKind.LESSON, ItemKind.CARD):
        tabs.append(("studio-item-formats", "Formats"))
    tabs += [
        ("studio-item-versions", "Product versions"),
        ("studio-item-translations", "Translations"),
        ("studio-item-history", "History"),
    ]
    return [Tab(name, label, reverse(f"web:{name}", args=[item.pk])) for name, label in tabs]


def item_title(item: CatalogItem) -> str:
    source = source_variant(item)
    return source.title if source else f"Untitled {item.get_kind_display().lower()}"


def item_page(
    request: HttpRequest,
    template: str,
    item: CatalogItem,
    tab: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    context = {
        "item": item,
        "item_title": context.pop("item_title", None) or item_title(item),
        "tabs": item_tabs(item),
        "tab": tab,
        **context,
    }
    return render(request, template, context, status=status)
