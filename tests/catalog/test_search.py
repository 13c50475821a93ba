"""Catalog search: ranked, highlighted, prefix-matching, only what the viewer may see, fed by the
published revision (never a draft), transcripts included; typo tolerance on PostgreSQL."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.items import item_retire, variant_save
from cascade.catalog.media import media_asset_create
from cascade.catalog.revisions import item_revise
from cascade.catalog.search import search_catalog
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.selectors import viewer_for
from cascade.core.errors import ValidationFailed
from tests.catalog.conftest import Studio


def _search(studio: Studio, person: str | None, query: str, locale: str | None = None) -> list[str]:
    world = studio.world
    viewer = viewer_for(world.actor(person)) if person else None
    hits = search_catalog(tenant=world.tenant, viewer=viewer, query=query, locale=locale)
    return [hit.title for hit in hits]


def test_finds_words_of_titles_summaries_and_bodies_best_first(studio: Studio) -> None:
    # given
    studio.published(title="Firewall policies", summary="Rules and zones", audience=studio.everyone)
    studio.published(
        title="Routing basics",
        body="Static routes, then a word on the firewall.",
        audience=studio.everyone,
    )
    studio.published(title="Switching", audience=studio.everyone)
    # when
    titles = _search(studio, "learner", "firewall")
    # then: the title match outranks the body match; unrelated items are left out
    assert titles == ["Firewall policies", "Routing basics"]


def test_words_match_as_prefixes_and_all_words_must_match(studio: Studio) -> None:
    studio.published(title="Firewall policies", audience=studio.everyone)
    studio.published(title="Firewall hardware", audience=studio.everyone)
    assert sorted(_search(studio, "learner", "firew")) == ["Firewall hardware", "Firewall policies"]
    assert _search(studio, "learner", "firewall polic") == ["Firewall policies"]


def test_snippets_highlight_matches_and_escape_the_text(studio: Studio) -> None:
    studio.published(
        title="Zones",
        summary="Trust <zones> & the firewall between them",
        audience=studio.everyone,
    )
    hits = search_catalog(
        tenant=studio.world.tenant,
        viewer=viewer_for(studio.world.actor("learner")),
        query="firewall",
    )
    assert len(hits) == 1
    assert "<mark>firewall</mark>" in hits[0].snippet_html.lower()
    # Text is escaped (PostgreSQL's headline drops tag-like words, SQLite's keeps them escaped)
    assert "&amp;" in hits[0].snippet_html
    assert "<zones>" not in hits[0].snippet_html


def test_only_items_the_viewer_may_see_are_found(studio: Studio) -> None:
    # given: Gold content; the manager's organization is Gold, the learner's Silver
    studio.published(title="Gold firewall lab")
    studio.draft(title="Draft firewall notes", audience=studio.everyone)
    # then
    assert _search(studio, "manager", "firewall") == ["Gold firewall lab"]
    assert _search(studio, "learner", "firewall") == []
    # vendor staff search every live item (but never drafts: the index holds published text)
    assert _search(studio, None, "firewall") == ["Gold firewall lab"]


def test_retired_items_leave_the_index_and_drafts_never_enter_it(studio: Studio) -> None:
    lesson = studio.published(title="Firewall policies", audience=studio.everyone)
    author = studio.world.actor("author")
    lesson = item_revise(actor=author, item=lesson, change="minor", note="New title")
    variant_save(actor=author, item=lesson, locale="en", title="Packet filters")
    # the draft's new title is not searchable, the published one still is
    assert _search(studio, "learner", "packet") == []
    assert _search(studio, "learner", "firewall") == ["Firewall policies"]
    item_retire(actor=author, item=lesson)
    assert _search(studio, "learner", "firewall") == []
    assert not SearchEntry.objects.filter(item=lesson).exists()


def test_results_come_in_the_viewers_language_when_the_item_has_it(studio: Studio) -> None:
    lesson = studio.draft(title="Firewall policies", audience=studio.everyone)
    variant_save(
        actor=studio.world.actor("author"), item=lesson, locale="fr", title="Politiques de pare-feu"
    )
    studio.publish(lesson)
    assert _search(studio, "learner", "pare", locale="fr-ca") == ["Politiques de pare-feu"]
    # an English word finds the item too, shown in French where the reader reads French
    assert _search(studio, "learner", "firewall", locale="fr") == ["Firewall policies"]
    assert _search(studio, "learner", "firewall", locale="en") == ["Firewall policies"]


def test_video_transcripts_are_searched(studio: Studio) -> None:
    author = studio.world.actor("author")
    track = media_asset_create(
        actor=author,
        kind="transcript",
        upload=SimpleUploadedFile(
            "talk.vtt",
            b"WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nWelcome to the segmentation demo.\n",
        ),
        title="Talk transcript",
        language="en",
    )
    lesson = studio.draft(title="Keynote", audience=studio.everyone)
    item_formats_set(
        actor=author,
        item=lesson,
        formats=[
            FormatSpec(kind="video", url="https://video.example/keynote", track_ids=[track.pk])
        ],
    )
    studio.publish(lesson)
    assert _search(studio, "learner", "segmentation") == ["Keynote"]


@pytest.mark.parametrize("query", ["", "   ", "x" * 201])
def test_empty_or_overlong_queries_are_refused(studio: Studio, query: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        _search(studio, "learner", query)
    assert error.value.details[0]["field"] == "q"


def test_punctuation_only_finds_nothing(studio: Studio) -> None:
    studio.published(title="Firewall policies", audience=studio.everyone)
    assert _search(studio, "learner", "\"'*&|!") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typo tolerance needs pg_trgm")
def test_a_mistyped_word_still_finds_titles_on_postgresql(studio: Studio) -> None:
    studio.published(title="Firewall policies", audience=studio.everyone)
    assert _search(studio, "learner", "firewal policys") == ["Firewall policies"]
