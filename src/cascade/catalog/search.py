"""Full-text search of the learner catalog (index maintenance and queries)."""

from __future__ import annotations

from cascade.catalog.item_models import CatalogItem


def search_index_item(item: CatalogItem) -> None:
    """Bring the item's search entries in line with its published revision."""
