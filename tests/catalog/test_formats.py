"""Lesson formats: equivalent ways to take a lesson, each checked for what it needs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.catalog.browse import item_for_viewer
from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.media import media_asset_create
from cascade.catalog.selectors import viewer_for
from cascade.core.errors import Conflict, ValidationFailed
from tests.catalog.conftest import Studio

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n"


def test_a_lesson_offers_video_text_and_a_guide_and_the_learner_gets_all_three(
    studio: Studio,
) -> None:
    author = studio.world.actor("author")
    guide = media_asset_create(
        actor=author, kind="document", upload=SimpleUploadedFile("g.pdf", PDF), title="Guide"
    )
    captions_fr = media_asset_create(
        actor=author,
        kind="captions",
        upload=SimpleUploadedFile("fr.vtt", VTT),
        title="Sous-titres",
        language="fr",
    )
    lesson = studio.draft(title="Edge basics", body="Read me.", audience=studio.everyone)
    item_formats_set(
        actor=author,
        item=lesson,
        formats=[
            FormatSpec(kind="video", url="https://video.example/edge", track_ids=[captions_fr.pk]),
            FormatSpec(kind="article"),
            FormatSpec(kind="document", media_id=guide.pk),
            FormatSpec(kind="assessment", reference="later"),
        ],
    )
    lesson = studio.publish(lesson)
    view = item_for_viewer(
        tenant=studio.world.tenant,
        viewer=viewer_for(studio.world.actor("learner")),
        item_id=lesson.pk,
    )
    assert [f.kind for f in view.formats] == ["video", "article", "document", "assessment"]
    assert view.formats[0].tracks == [captions_fr]
    assert view.formats[2].media == guide


def test_language_specific_formats_follow_the_fallback_chain(studio: Studio) -> None:
    author = studio.world.actor("author")
    lesson = studio.draft(title="Edge basics", audience=studio.everyone)
    item_formats_set(
        actor=author,
        item=lesson,
        formats=[
            FormatSpec(kind="video", url="https://video.example/en"),
            FormatSpec(kind="video", url="https://video.example/fr", locale="fr"),
        ],
    )
    lesson = studio.publish(lesson)
    viewer = viewer_for(studio.world.actor("learner"))
    tenant = studio.world.tenant

    def video_for(locale: str) -> str:
        view = item_for_viewer(tenant=tenant, viewer=viewer, item_id=lesson.pk, locale=locale)
        return next(f.url for f in view.formats if f.kind == "video")

    assert video_for("fr-ca") == "https://video.example/fr"
    assert video_for("de") == "https://video.example/en"


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        (FormatSpec(kind="hologram"), "invalid_choice"),
        (FormatSpec(kind="video"), "video_source"),
        (FormatSpec(kind="link", url="http://insecure.example"), "invalid_url"),
        (FormatSpec(kind="link"), "url_required"),
        (FormatSpec(kind="document"), "media_required"),
        (FormatSpec(kind="document", url="https://x.example"), "url_not_allowed"),
        (FormatSpec(kind="link", url="https://x.example", reference="r"), "reference_not_allowed"),
        (FormatSpec(kind="document", media_id=999_999), "unknown_reference"),
        (FormatSpec(kind="article", locale="xx"), "invalid_locale"),
    ],
)
def test_bad_formats_are_refused_and_nothing_is_written(
    studio: Studio, spec: FormatSpec, code: str
) -> None:
    author = studio.world.actor("author")
    lesson = studio.draft()
    item_formats_set(actor=author, item=lesson, formats=[FormatSpec(kind="article")])
    with pytest.raises(ValidationFailed) as error:
        item_formats_set(actor=author, item=lesson, formats=[FormatSpec(kind="article"), spec])
    assert error.value.code == code
    assert list(lesson.formats.values_list("kind", flat=True)) == ["article"]


def test_a_video_file_cannot_be_a_document_and_tracks_belong_to_videos(studio: Studio) -> None:
    author = studio.world.actor("author")
    track = media_asset_create(
        actor=author,
        kind="captions",
        upload=SimpleUploadedFile("c.vtt", VTT),
        title="Captions",
        language="en",
    )
    lesson = studio.draft()
    with pytest.raises(ValidationFailed) as error:
        item_formats_set(
            actor=author, item=lesson, formats=[FormatSpec(kind="document", media_id=track.pk)]
        )
    assert error.value.code == "wrong_media_kind"
    with pytest.raises(ValidationFailed) as error:
        item_formats_set(
            actor=author,
            item=lesson,
            formats=[FormatSpec(kind="link", url="https://x.example", track_ids=[track.pk])],
        )
    assert error.value.code == "tracks_not_allowed"


def test_only_draft_lessons_and_cards_have_formats(studio: Studio) -> None:
    author = studio.world.actor("author")
    course = studio.draft(kind="course")
    with pytest.raises(ValidationFailed):
        item_formats_set(actor=author, item=course, formats=[FormatSpec(kind="article")])
    published = studio.published()
    with pytest.raises(Conflict):
        item_formats_set(actor=author, item=published, formats=[FormatSpec(kind="article")])
