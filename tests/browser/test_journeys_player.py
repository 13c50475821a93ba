"""The lesson player reports what was actually played: a learner plays the start of a recording,
jumps ahead and plays a little more; the lesson counts both stretches once (not the skipped
part), the page shows the share watched, and opening the lesson again resumes where they
stopped. Article lessons are completed with "I read it"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.core.scoping import tenant_scope
from cascade.learning.models import LessonProgress
from tests.browser.conftest import check_page, sign_in
from tests.conftest import World
from tests.web.test_views_catalog_learner import PDF, build_scene

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SECONDS = 40
# Playback runs in real time; a busy machine (the suite runs in parallel) may stall it a while.
PLAYBACK_TIMEOUT_MS = 30_000


def silent_mp3(seconds: float) -> bytes:
    """MPEG-1 Layer III frames of silence (128 kbit/s, 44.1 kHz, mono): every frame is a header
    and side information of zeros, which decoders play as 1,152 samples of silence."""
    header = bytes([0xFF, 0xFB, 0x90, 0xC4])
    frame = header + bytes(417 - len(header))
    return frame * round(seconds * 44_100 / 1_152)


@pytest.fixture
def lessons(live_world: World, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path)
    with tenant_scope(live_world.tenant):
        scene = build_scene(live_world)
        author = live_world.actor("author")
        recording = scene.media("audio", "briefing.mp3", silent_mp3(SECONDS), language="en")
        listened = scene.draft("lesson", "Partner briefing", audience=scene.everyone)
        item_formats_set(
            actor=author, item=listened, formats=[FormatSpec(kind="video", media_id=recording.pk)]
        )
        read = scene.draft(
            "lesson",
            "Quoting rules",
            audience=scene.everyone,
            body="## Quotes\n\nEvery quote names the customer's project.",
        )
        item_formats_set(actor=author, item=read, formats=[FormatSpec(kind="article")])
        guide = scene.media("document", "pricing-guide.pdf", PDF, title="Pricing guide")
        document = scene.draft("lesson", "Pricing guide", audience=scene.everyone)
        item_formats_set(
            actor=author, item=document, formats=[FormatSpec(kind="document", media_id=guide.pk)]
        )
        return {
            "listened": scene.publish(listened),
            "read": scene.publish(read),
            "document": scene.publish(document),
        }


def _play_until(page: Any, seconds: float) -> None:
    page.evaluate("document.querySelector('audio').play()")
    page.wait_for_function(
        f"document.querySelector('audio').currentTime >= {seconds}", timeout=PLAYBACK_TIMEOUT_MS
    )
    with page.expect_response(lambda r: "/heartbeat/" in r.url):
        page.evaluate("document.querySelector('audio').pause()")


def test_played_stretches_count_once_and_the_lesson_resumes(
    live_world: World, lessons: dict[str, Any], page: Any
) -> None:
    lesson = lessons["listened"]
    sign_in(page, live_world.people["learner"].email)
    page.goto(f"/catalog/{lesson.pk}/")
    page.wait_for_function(
        "document.querySelector('audio').readyState >= 1", timeout=PLAYBACK_TIMEOUT_MS
    )
    # when: the first two seconds, then a jump to 30 s and two more seconds
    _play_until(page, 2)
    with page.expect_response(lambda r: "/heartbeat/" in r.url):
        page.evaluate("document.querySelector('audio').currentTime = 30")
        page.evaluate("document.querySelector('audio').play()")
        page.wait_for_function(
            "document.querySelector('audio').currentTime >= 30.5", timeout=PLAYBACK_TIMEOUT_MS
        )
        page.evaluate("document.querySelector('audio').pause()")
    _play_until(page, 32)
    # then: two stretches, the skipped part not counted, and the page says so
    with tenant_scope(live_world.tenant):
        progress = LessonProgress.objects.get(item=lesson)
    starts = [round(start) for start, _ in progress.watched]
    assert starts == [0, 30]
    assert 0.08 <= progress.watched_share <= 0.2
    assert progress.completed_at is None
    percent = round(progress.watched_share * 100)
    page.get_by_text(f"{percent}% watched").wait_for()
    check_page(page, "lesson-player-progress")
    # opening the lesson again (on any device) resumes where it stopped
    page.goto(f"/catalog/{lesson.pk}/")
    page.wait_for_function(
        "document.querySelector('audio').currentTime >= 31", timeout=PLAYBACK_TIMEOUT_MS
    )


def test_an_article_lesson_is_completed_with_i_read_it(
    live_world: World, lessons: dict[str, Any], page: Any
) -> None:
    lesson = lessons["read"]
    sign_in(page, live_world.people["learner"].email)
    page.goto(f"/catalog/{lesson.pk}/")
    page.get_by_role("button", name="I read it").click()
    page.locator("#lesson-progress").get_by_text("Completed").wait_for()
    with tenant_scope(live_world.tenant):
        assert LessonProgress.objects.get(item=lesson).completed_by == "article"
    check_page(page, "lesson-read")


def test_downloading_the_document_completes_the_lesson(
    live_world: World, lessons: dict[str, Any], page: Any
) -> None:
    lesson = lessons["document"]
    sign_in(page, live_world.people["learner"].email)
    page.goto(f"/catalog/{lesson.pk}/")
    with page.expect_response(lambda r: "/taken/" in r.url) as taken, page.expect_download():
        page.get_by_role("link", name="Download Pricing guide").click()
    assert taken.value.status == 200
    page.locator("#lesson-progress").get_by_text("Completed").wait_for()
    with tenant_scope(live_world.tenant):
        assert LessonProgress.objects.get(item=lesson).completed_by == "document"
