"""Browser journeys through the learner catalog: a Gold partner's learner finds a published course
by search, opens it, walks down to a lesson and picks a format; a Silver partner's learner
neither finds the course nor opens its address, and sees only the teaser the author allowed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.items import item_update
from cascade.core.scoping import tenant_scope
from tests.browser.conftest import SCREENSHOTS, check_page, sign_in
from tests.conftest import World
from tests.web.test_views_catalog_learner import CAPTIONS_FR, MP4, TRANSCRIPT_EN, build_scene

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# The phone most partner people carry, besides the narrower one check_page tries.
PHONE_390 = {"width": 390, "height": 844}
COURSE = "Configuring SD-WAN edge devices"


@pytest.fixture
def catalog(live_world: World, settings: Any, tmp_path: Path) -> dict[str, Any]:
    """A Gold-and-above course of one module and one lesson (video with captions, article,
    slot for an assessment), a Gold card with a teaser, and a lesson for every partner."""
    settings.MEDIA_ROOT = str(tmp_path)
    with tenant_scope(live_world.tenant):
        scene = build_scene(live_world)
        author = live_world.actor("author")
        video = scene.media("video", "edge-lab.mp4", MP4, language="en", download_allowed=False)
        captions = scene.media(
            "captions", "edge-lab.fr.vtt", CAPTIONS_FR, language="fr", video=video
        )
        transcript = scene.media(
            "transcript", "edge-lab.en.vtt", TRANSCRIPT_EN, language="en", video=video
        )
        lesson = scene.draft(
            "lesson",
            "Edge lab",
            summary="Plug in and register an edge device.",
            body="## Steps\n\n1. Plug the device in.\n2. Register it in the portal.",
            duration_minutes=20,
        )
        item_formats_set(
            actor=author,
            item=lesson,
            formats=[
                FormatSpec(kind="video", media_id=video.pk, track_ids=[captions.pk, transcript.pk]),
                FormatSpec(kind="article"),
                FormatSpec(kind="assessment", reference="later"),
            ],
        )
        lesson = scene.publish(lesson)
        module = scene.container("module", "Edge device setup", [(lesson, True)])
        course = scene.container(
            "course",
            COURSE,
            [(module, True)],
            summary="Hands-on SD-WAN setup of an edge device, from unboxing to the first tunnel.",
            body="## Before you start\n\nHave a device and a portal account ready.",
            duration_minutes=45,
        )
        playbook = scene.draft("card", "Gold partner playbook", summary="How Gold partners win.")
        item_update(actor=author, item=playbook, teaser_enabled=True)
        scene.publish(playbook)
        scene.published(
            "lesson",
            "Portal basics",
            summary="Find your way around the partner portal.",
            audience=scene.everyone,
            duration_minutes=10,
        )
    return {"course": course, "module": module, "lesson": lesson}


def _phone_shot(page: Any, name: str) -> None:
    size = page.viewport_size
    page.set_viewport_size(PHONE_390)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone-390.png"), full_page=True)
    finally:
        page.set_viewport_size(size)


def test_gold_learner_finds_the_course_by_search_and_opens_it(
    live_world: World, catalog: dict[str, Any], page: Any
) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["gold_learner"].email)
    page.get_by_role("link", name="Browse the catalog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalog")
    cards = page.locator(".catalog-cards > li")
    expect(cards).to_have_count(5)
    check_page(page, "catalog-browse")
    _phone_shot(page, "catalog-browse")

    # when: the learner searches from the catalog's header
    page.get_by_role("searchbox", name="Search the catalog").fill("sd-wan edge")
    page.get_by_role("button", name="Search").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the catalog")
    expect(page.locator("p.results-status")).to_contain_text("1 result for “sd-wan edge”.")
    expect(page.locator(".search-results mark").first).to_be_visible()
    check_page(page, "catalog-search")

    # when: the result is opened
    page.get_by_role("link", name=COURSE).click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    outline = page.get_by_role("region", name="Contents")
    expect(outline.get_by_role("listitem")).to_have_count(1)
    expect(outline).to_contain_text("Required")
    check_page(page, "catalog-course")
    _phone_shot(page, "catalog-course")

    # when: the learner walks down to the lesson
    outline.get_by_role("link", name="Edge device setup").click()
    page.get_by_role("region", name="Contents").get_by_role("link", name="Edge lab").click()
    # then: the video comes first, with its captions and transcript
    expect(page.get_by_role("heading", level=1)).to_have_text("Edge lab")
    formats = page.get_by_role("navigation", name="Formats")
    expect(formats.get_by_role("link", name="Video")).to_have_attribute("aria-current", "page")
    expect(page.locator("video track[kind=captions][srclang=fr]")).to_have_count(1)
    expect(page.get_by_role("link", name="Read the transcript")).to_be_visible()
    check_page(page, "catalog-lesson-video")

    # when: the learner prefers to read
    formats.get_by_role("link", name="Article").click()
    # then: only the formats are swapped, the address follows, and focus stays on the choice
    expect(formats.get_by_role("link", name="Article")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Register it in the portal.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"format=article"))
    expect(page.locator("video")).to_have_count(0)
    assert page.evaluate("document.activeElement.id") == "format-article"
    check_page(page, "catalog-lesson-article")
    _phone_shot(page, "catalog-lesson-article")

    # when: the assessment slot is picked
    formats.get_by_role("link", name="Assessment").click()
    # then
    expect(page.get_by_text("Coming soon.")).to_be_visible()


def test_catalog_filters_refresh_the_results_in_place(
    live_world: World, catalog: dict[str, Any], page: Any
) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["gold_learner"].email)
    page.goto("/catalog/")
    cards = page.locator(".catalog-cards > li")
    expect(cards).to_have_count(5)
    # when
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Type").select_option(label="Course")
    # then
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(COURSE)
    expect(page).to_have_url(re.compile(r"kind=course"))
    expect(page.locator("p.results-status")).to_have_text("1 item shown.")
    check_page(page, "catalog-filtered")
    # when: nothing matches
    page.get_by_label("Duration").select_option(label="5 minutes or less")
    # then
    expect(page.locator("p.results-status")).to_have_text(
        "Nothing in the catalog matches these filters."
    )
    expect(cards).to_have_count(0)


def test_silver_learner_can_neither_find_nor_open_the_gold_course(
    live_world: World, catalog: dict[str, Any], page: Any
) -> None:
    from playwright.sync_api import expect

    # given: the world's learner works for a Silver partner
    sign_in(page, live_world.people["learner"].email)
    page.goto("/catalog/")
    # then: the teaser the author allowed, without a way in, and the open lesson
    cards = page.locator(".catalog-cards > li")
    expect(cards).to_have_count(2)
    teaser = cards.filter(has_text="Gold partner playbook")
    expect(teaser).to_contain_text("Available at Gold")
    expect(teaser.get_by_role("link")).to_have_count(0)
    expect(page.get_by_text(COURSE)).to_have_count(0)
    check_page(page, "catalog-browse-silver")
    _phone_shot(page, "catalog-browse-silver")

    # when: they search for it
    page.get_by_role("searchbox", name="Search the catalog").fill("sd-wan")
    page.get_by_role("button", name="Search").click()
    # then
    expect(page.locator("p.results-status")).to_contain_text(
        "Nothing in the catalog matches “sd-wan”."
    )
    check_page(page, "catalog-search-nothing")

    # when: they open its address directly, or a file of its lesson
    response = page.goto(f"/catalog/{catalog['course'].pk}/")
    # then
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text(COURSE)).to_have_count(0)
    check_page(page, "catalog-item-not-found")
