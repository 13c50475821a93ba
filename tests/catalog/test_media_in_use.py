"""A media file stays in the library while a lesson's draft or a revision learners may still be
shown uses it; once nothing can show it (the item retired), it may go."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.items import item_retire
from cascade.catalog.media import media_asset_create, media_asset_delete
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.revisions import item_revise
from cascade.core.errors import Conflict
from tests.catalog.conftest import Studio

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n"


def test_a_track_used_by_a_draft_video_is_kept(studio: Studio) -> None:
    author = studio.world.actor("author")
    track = media_asset_create(
        actor=author,
        kind="captions",
        upload=SimpleUploadedFile("c.vtt", VTT),
        title="Captions",
        language="en",
    )
    lesson = studio.draft()
    item_formats_set(
        actor=author,
        item=lesson,
        formats=[FormatSpec(kind="video", url="https://v.example/a", track_ids=[track.pk])],
    )
    with pytest.raises(Conflict) as error:
        media_asset_delete(actor=author, asset=track)
    assert error.value.code == "in_use"
    assert MediaAsset.objects.filter(pk=track.pk).exists()


def test_a_file_the_published_revision_uses_is_kept_until_the_item_is_retired(
    studio: Studio,
) -> None:
    # given: a published lesson with a guide; the next draft drops the guide
    author = studio.world.actor("author")
    guide = media_asset_create(
        actor=author, kind="document", upload=SimpleUploadedFile("g.pdf", PDF), title="Guide"
    )
    lesson = studio.draft()
    item_formats_set(
        actor=author, item=lesson, formats=[FormatSpec(kind="document", media_id=guide.pk)]
    )
    lesson = studio.publish(lesson)
    lesson = item_revise(actor=author, item=lesson, change="minor", note="Guide goes.")
    item_formats_set(actor=author, item=lesson, formats=[FormatSpec(kind="article")])
    # then: learners still read the revision with the guide, so it stays
    with pytest.raises(Conflict):
        media_asset_delete(actor=author, asset=guide)
    # when the item is retired, nothing can show the guide any more
    item_retire(actor=author, item=lesson)
    media_asset_delete(actor=author, asset=guide)
    assert not MediaAsset.objects.filter(pk=guide.pk).exists()
