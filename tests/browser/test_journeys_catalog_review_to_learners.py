"""The catalog's whole way, in browsers: a course an author built from reusable lessons waits in
review; a reviewer approves it, the author publishes it; a learner of an eligible tier finds it by
search and opens it; a learner of another tier neither finds it nor opens its address.

(How the author builds and submits the course is the studio journey; how a Gold learner walks a
course's formats is the catalog journey; this one joins review, publication and visibility.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import CatalogItem
from cascade.catalog.items import item_structure_set, item_submit
from cascade.core.scoping import tenant_scope
from tests.browser.conftest import check_page, sign_in
from tests.conftest import World
from tests.web.test_views_catalog_learner import build_scene

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COURSE = "Segmenting branch networks"


@pytest.fixture
def in_review(live_world: World, settings: Any, tmp_path: Path) -> dict[str, Any]:
    """Two published Gold lessons reused by a module; the module and a course holding it are
    submitted by the author and wait for a reviewer."""
    settings.MEDIA_ROOT = str(tmp_path)
    with tenant_scope(live_world.tenant):
        scene = build_scene(live_world)
        author = live_world.actor("author")
        lessons = []
        for title in ("Branch VLAN design", "Guest isolation"):
            lesson = scene.draft(
                "lesson",
                title,
                summary=f"{title} for branch offices.",
                body=f"## {title}\n\nMicro-segmentation keeps a branch's devices apart.",
                audience=scene.gold,
            )
            item_formats_set(actor=author, item=lesson, formats=[FormatSpec(kind="article")])
            lessons.append(scene.publish(lesson))
        module = scene.draft("module", "Segmentation basics", audience=scene.gold)
        item_structure_set(
            actor=author, item=module, children=[(lesson, True) for lesson in lessons]
        )
        course = scene.draft(
            "course",
            COURSE,
            summary="Design segmented branch networks with the edge device.",
            body="## Why segment\n\nOn a flat network one infected laptop reaches the tills.",
            audience=scene.gold,
            duration_minutes=40,
        )
        item_structure_set(actor=author, item=course, children=[(module, True)])
        item_submit(actor=author, item=module)
        item_submit(actor=author, item=course)
    return {"course": course, "module": module}


def test_a_reviewed_and_published_course_reaches_gold_learners_only(
    live_world: World, in_review: dict[str, Any], chromium: Any, live_server: Any, page: Any
) -> None:
    from playwright.sync_api import expect

    def browser_for(email: str) -> Any:
        context = chromium.new_context(
            viewport={"width": 1280, "height": 800}, base_url=live_server.url
        )
        context.set_default_timeout(10_000)
        opened = context.new_page()
        sign_in(opened, email)
        return context, opened

    # when: the reviewer approves the module and the course from their review list
    context, reviewer = browser_for(live_world.people["reviewer"].email)
    try:
        reviewer.goto("/studio/")
        reviewer.get_by_role("link", name="Waiting for my review").click()
        for title in ("Segmentation basics", COURSE):
            reviewer.get_by_role("link", name=title).first.click()
            reviewer.get_by_role("button", name="Approve").click()
            expect(reviewer.get_by_role("heading", name="Approved")).to_be_visible()
            reviewer.goto("/studio/?view=review")
        check_page(reviewer, "journey-review-list-empty")
    finally:
        context.close()

    # and the author publishes them, the module first
    sign_in(page, live_world.people["author"].email)
    for item in (in_review["module"], in_review["course"]):
        page.goto(f"/studio/items/{item.pk}/")
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_role("heading", name="Published")).to_be_visible()
    with tenant_scope(live_world.tenant):
        assert CatalogItem.objects.get(pk=in_review["course"].pk).state == "published"

    # then: a Gold learner finds the course by a word of its body and opens it
    context, gold = browser_for(live_world.people["gold_learner"].email)
    try:
        gold.goto("/catalog/")
        gold.get_by_role("searchbox", name="Search the catalog").fill("infected laptop")
        gold.get_by_role("button", name="Search").click()
        expect(gold.locator("p.results-status")).to_contain_text("1 result")
        gold.get_by_role("link", name=COURSE).click()
        expect(gold.get_by_role("heading", level=1)).to_have_text(COURSE)
        outline = gold.get_by_role("region", name="Contents")
        expect(outline.get_by_role("link", name="Segmentation basics")).to_be_visible()
        check_page(gold, "journey-gold-course")
    finally:
        context.close()

    # and a Silver learner finds nothing and gets "not found" at the course's address
    context, silver = browser_for(live_world.people["learner"].email)
    try:
        silver.goto("/catalog/search/?q=infected+laptop")
        expect(silver.locator("p.results-status")).to_contain_text("Nothing in the catalog matches")
        expect(silver.get_by_role("link", name=COURSE)).to_have_count(0)
        response = silver.goto(f"/catalog/{in_review['course'].pk}/")
        assert response is not None
        assert response.status == 404
        expect(silver.get_by_text(COURSE)).to_have_count(0)
    finally:
        context.close()
