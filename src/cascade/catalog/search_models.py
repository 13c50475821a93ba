"""The search index of the learner catalog: one row per published item and language.

Rows exist only for items learners may be shown (published, not retired) and carry the item's
audience, so a search filters by visibility on this table alone. The text comes from the
published revision (never the working copy): title, summary, body and video transcripts.
PostgreSQL ranks with a tsvector column (`document`, weighted title > summary > body) and a GIN
index; SQLite uses an FTS5 table kept in step with this one (see migration 0006).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from cascade.core.scoping import TenantOwned


class SearchEntry(TenantOwned):
    item = models.ForeignKey(
        "catalog.CatalogItem", on_delete=models.CASCADE, related_name="search_entries"
    )
    audience = models.ForeignKey("catalog.Audience", on_delete=models.CASCADE, related_name="+")
    locale = models.CharField(max_length=12)
    kind = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    # Body text (Markdown as written) and transcripts, as plain text.
    text = models.TextField(blank=True)
    # PostgreSQL only (null on SQLite).
    document = SearchVectorField(null=True)

    class Meta:
        ordering = ["item", "locale"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "item", "locale"], name="search_entry_one_per_locale"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "audience", "locale"], name="search_entry_audience"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.locale}"
