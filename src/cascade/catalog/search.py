"""Full-text search of the learner catalog: keeping the index in step, and asking it.

The index (`SearchEntry`) holds one row per live item and language, written from the published
revision, so a search sees exactly what learners may read, and carries the published audience, so
visibility is a filter on the index itself (one query per language configuration, whatever the
catalog's size).

- PostgreSQL: a tsvector per row with the language's text-search configuration (stemming for
  English, French, German, Spanish, Portuguese; Japanese falls back to "simple"), title weighted
  over summary over body and transcripts, ranked by ts_rank, snippets by ts_headline; when
  words match nothing (a typo), titles are matched by trigram word similarity.
- SQLite (embedded development database): an FTS5 table ranked by BM25 with weighted columns,
  snippets by snippet(); prefix matching, no typo tolerance.
Every word of the query must match; the last one also matches as the start of a word, so
results arrive while it is still being typed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import nh3
from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Concat, Left
from django.utils.safestring import SafeString, mark_safe

from cascade.catalog.audiences import Viewer
from cascade.catalog.format_models import FormatKind
from cascade.catalog.item_models import CatalogItem, ItemKind, ItemState
from cascade.catalog.media_models import MediaAsset, MediaKind
from cascade.catalog.rendering import render_markdown
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.selectors import admitted_audience_ids
from cascade.core.errors import ValidationFailed
from cascade.core.generations import generation_bump
from cascade.tenancy.models import Tenant

# PostgreSQL text-search configuration per content language.
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "fr-ca": "french",
    "de": "german",
    "es": "spanish",
    "pt-br": "portuguese",
    "ja": "simple",
}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_INDEXED_TEXT = 100_000
MAX_TRANSCRIPT_BYTES = 2_000_000
_TERM = re.compile(r"\w+", re.UNICODE)
# Highlight markers no text contains (private-use characters), turned into <mark> after escaping.
_START, _STOP = "\ue000", "\ue001"


def search_config(locale: str) -> str:
    return SEARCH_CONFIGS.get(locale, "simple")


@dataclass(frozen=True)
class SearchHit:
    item_id: int
    kind: str
    kind_label: str
    title: str
    snippet_html: SafeString
    locale: str
    score: float


# --- indexing -----------------------------------------------------------------------------------


def plain_text(markdown_text: str) -> str:
    """What a reader reads of a Markdown body: rendered, sanitized, then stripped of tags."""
    if not markdown_text:
        return ""
    text = nh3.clean(render_markdown(markdown_text), tags=set())
    return " ".join(html.unescape(text).split())


def transcript_text(asset: MediaAsset) -> str:
    """The words of a WebVTT (or plain text) track, without timings, cue ids and notes."""
    try:
        with asset.file.open("rb") as stream:
            raw = stream.read(MAX_TRANSCRIPT_BYTES)
    except OSError:
        return ""
    words: list[str] = []
    in_note = False
    for line in raw.decode("utf-8", errors="replace").splitlines():
        stripped = line.strip()
        if not stripped:
            in_note = False
            continue
        if stripped.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            in_note = not stripped.startswith("WEBVTT")
            continue
        if in_note or "-->" in stripped or stripped.isdigit():
            continue
        words.append(re.sub(r"<[^>]+>", "", stripped))
    return " ".join(words)


def _transcripts(content: dict[str, Any]) -> dict[str, str]:
    """Transcript text per language ("" for language-neutral tracks) of the revision's videos;
    captions stand in where a video has no transcript."""
    track_ids = [
        t
        for f in content.get("formats", [])
        if f["kind"] == FormatKind.VIDEO
        for t in f["track_ids"]
    ]
    if not track_ids:
        return {}
    assets = list(MediaAsset.objects.filter(pk__in=track_ids))
    by_language: dict[str, list[MediaAsset]] = {}
    for asset in assets:
        by_language.setdefault(asset.language, []).append(asset)
    texts: dict[str, str] = {}
    for language, tracks in by_language.items():
        chosen = [t for t in tracks if t.kind == MediaKind.TRANSCRIPT] or [
            t for t in tracks if t.kind == MediaKind.CAPTIONS
        ]
        texts[language] = " ".join(transcript_text(t) for t in chosen)
    return texts


# What learners may see changed (an item published, revised, re-audienced or retired): whatever
# caches a reading of the index (the learner home's recently updated content) is stale.
PUBLISHED = "catalog:published"


def search_index_item(item: CatalogItem) -> None:
    """Bring the item's entries in line with what learners may see of it: its published
    revision in every language, or nothing once retired or before publication."""
    generation_bump(PUBLISHED, item.tenant_id)
    SearchEntry.objects.filter(item_id=item.pk).delete()
    revision = item.published_revision
    if revision is None or item.state == ItemState.RETIRED or item.published_audience_id is None:
        return
    content = revision.content
    transcripts = _transcripts(content)
    entries = []
    for locale, variant in content["variants"].items():
        spoken = " ".join(filter(None, [transcripts.get(""), transcripts.get(locale)]))
        text = " ".join(filter(None, [plain_text(variant["body"]), spoken]))
        entries.append(
            SearchEntry(
                tenant_id=item.tenant_id,
                item_id=item.pk,
                audience_id=item.published_audience_id,
                locale=locale,
                kind=item.kind,
                title=variant["title"],
                summary=variant["summary"],
                text=text[:MAX_INDEXED_TEXT],
            )
        )
    SearchEntry.objects.bulk_create(entries)
    if connection.vendor == "postgresql":
        for locale in content["variants"]:
            SearchEntry.objects.filter(item_id=item.pk, locale=locale).update(
                document=document_vector(search_config(locale))
            )


def document_vector(config: str) -> CombinedExpression:
    """The weighted document of an entry: title (A) over summary (B) over text (C)."""
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("text", weight="C", config=config)
    )


# --- searching ----------------------------------------------------------------------------------


def search_terms(query: str) -> list[str]:
    query = (query or "").strip()
    if not query:
        raise ValidationFailed.field("q", "Type something to search for.", code="required")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationFailed.field(
            "q", f"Use at most {MAX_QUERY_LENGTH} characters.", code="too_long"
        )
    return _TERM.findall(query.lower())[:MAX_TERMS]


def _highlighted(text: str) -> SafeString:
    escaped = html.escape(text, quote=False)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def search_catalog(
    *,
    tenant: Tenant,
    viewer: Viewer | None,
    query: str,
    locale: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Items the viewer may see that match every word of `query` (the last as a prefix), best
    first, one hit per item in the viewer's language where the item has it. Vendor staff (no
    viewer) search every live item."""
    from cascade.catalog.browse import locale_chain

    if not 1 <= limit <= 50:
        raise ValidationFailed.field("limit", "Use 1 to 50 results.", code="invalid_limit")
    terms = search_terms(query)
    if not terms:
        return []
    languages = dict(settings.LANGUAGES)
    chain = [
        code
        for code in locale_chain(locale or (viewer.locale if viewer else ""), tenant.default_locale)
        if code in languages
    ]
    entries = SearchEntry.objects.filter(locale__in=chain)
    if viewer is not None:
        entries = entries.filter(audience_id__any_of=admitted_audience_ids(viewer))
    if connection.vendor == "postgresql":
        hits = _postgresql_hits(entries, terms, chain, limit)
        if not hits:
            hits = _similar_titles(entries, " ".join(terms), limit)
    else:
        hits = _sqlite_hits(
            tenant, None if viewer is None else admitted_audience_ids(viewer), terms, chain, limit
        )
    return _best_per_item(hits, chain, limit)


def _best_per_item(hits: list[SearchHit], chain: list[str], limit: int) -> list[SearchHit]:
    """One hit per item: in the first language of the chain it matched in."""
    best: dict[int, SearchHit] = {}
    for hit in hits:
        current = best.get(hit.item_id)
        if current is None or chain.index(hit.locale) < chain.index(current.locale):
            best[hit.item_id] = hit
    return sorted(best.values(), key=lambda h: (-h.score, h.item_id))[:limit]


def _hit(row: Mapping[str, Any], snippet: str, score: float) -> SearchHit:
    return SearchHit(
        item_id=row["item_id"],
        kind=row["kind"],
        kind_label=ItemKind(row["kind"]).label,
        title=row["title"],
        snippet_html=_highlighted(snippet),
        locale=row["locale"],
        score=score,
    )


def _postgresql_hits(
    entries: QuerySet[SearchEntry], terms: list[str], chain: list[str], limit: int
) -> list[SearchHit]:
    """One query per text-search configuration among the chain's languages (at most three)."""
    by_config: dict[str, list[str]] = {}
    for code in chain:
        by_config.setdefault(search_config(code), []).append(code)
    hits: list[SearchHit] = []
    # Every word as typed, the last one also as the start of a word (results while typing);
    # prefixes of every word would make common short words match most of the catalog.
    raw = " & ".join([*terms[:-1], f"{terms[-1]}:*"])
    for config, locales in by_config.items():
        query = SearchQuery(raw, config=config, search_type="raw")
        rows = (
            entries.filter(locale__in=locales, document=query)
            .annotate(
                # ts_rank, not ts_rank_cd: as good on short catalog texts, a third cheaper on
                # the thousands of rows a common word matches.
                score=SearchRank(F("document"), query),
                snippet=SearchHeadline(
                    Concat(F("summary"), Value(" "), Left(F("text"), 20_000)),
                    query,
                    config=config,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=24,
                    min_words=10,
                    max_fragments=2,
                ),
            )
            .order_by("-score", "item_id")
            # One hit per item and language at most: enough rows for `limit` items.
            .values("item_id", "kind", "title", "locale", "score", "snippet")[
                : limit * len(locales)
            ]
        )
        hits.extend(_hit(row, row["snippet"], float(row["score"])) for row in rows)
    return hits


def _similar_titles(entries: QuerySet[SearchEntry], text: str, limit: int) -> list[SearchHit]:
    """Typo tolerance: titles containing a word close to the query (pg_trgm word similarity,
    served by the trigram index)."""
    rows = (
        entries.filter(title__trigram_word_similar=text)
        .annotate(score=TrigramWordSimilarity(text, "title"))
        .order_by("-score", "item_id")
        .values("item_id", "kind", "title", "locale", "score", "summary")[: limit * 2]
    )
    return [_hit(row, row["summary"][:200], float(row["score"])) for row in rows]


def _sqlite_hits(
    tenant: Tenant, audience_ids: list[int] | None, terms: list[str], chain: list[str], limit: int
) -> list[SearchHit]:
    match = " AND ".join(
        '"' + term.replace('"', "") + '"' + ("*" if last else "")
        for last, term in ((i == len(terms) - 1, t) for i, t in enumerate(terms))
    )
    params: list[Any] = [_START, _STOP, _START, _STOP, match, tenant.pk, *chain]
    audience_filter = ""
    if audience_ids is not None:
        if not audience_ids:
            return []
        audience_filter = f"AND e.audience_id IN ({', '.join(['%s'] * len(audience_ids))})"
        params.extend(audience_ids)
    params.append(limit * 2)
    placeholders = ", ".join(["%s"] * len(chain))
    sql = f"""
        SELECT e.item_id, e.kind, e.title, e.locale,
               bm25(catalog_search_fts, 10.0, 4.0, 1.0) AS rank,
               snippet(catalog_search_fts, 1, %s, %s, '…', 20) AS summary_snippet,
               snippet(catalog_search_fts, 2, %s, %s, '…', 20) AS text_snippet
        FROM catalog_search_fts
        JOIN catalog_searchentry e ON e.id = catalog_search_fts.rowid
        WHERE catalog_search_fts MATCH %s AND e.tenant_id = %s
          AND e.locale IN ({placeholders}) {audience_filter}
        ORDER BY rank, e.item_id
        LIMIT %s
    """  # noqa: S608 - only placeholders and Django-compiled SQL are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    # BM25 is lower for better matches. The snippet comes from the summary or the text, where the
    # words matched (the title is shown anyway), as PostgreSQL's headline does.
    return [_hit(row, _sqlite_snippet(row), -float(row["rank"])) for row in rows]


def _sqlite_snippet(row: Mapping[str, Any]) -> str:
    summary, text = row["summary_snippet"] or "", row["text_snippet"] or ""
    if _START in summary or (summary and _START not in text):
        return str(summary)
    return str(text)
