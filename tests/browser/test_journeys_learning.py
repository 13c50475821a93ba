"""Browser journeys through team and program learning: a partner manager assigns a learning path
to two of their people with a due date; one of them, on a phone, opens it from their home and
reads its two lessons; the manager sees the completion in the team table. Vendor staff read the
program's progress and keep assignment rules."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.core.scoping import tenant_scope
from cascade.learning.models import Enrollment, EnrollmentState
from tests.browser.conftest import SCREENSHOTS, check_page, sign_in
from tests.conftest import World
from tests.web.test_views_catalog_learner import build_scene

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE_375 = {"width": 375, "height": 812}
PATH = "Partner onboarding path"
LESSONS = ("Meet the portal", "Register your first deal")


@pytest.fixture
def learning_path(live_world: World) -> dict[str, Any]:
    """A learning path for every partner made of two article lessons."""
    with tenant_scope(live_world.tenant):
        scene = build_scene(live_world)
        author = live_world.actor("author")
        lessons = []
        for title in LESSONS:
            lesson = scene.draft(
                "lesson",
                title,
                audience=scene.everyone,
                summary=f"{title}, step by step.",
                body=f"## {title}\n\nRead this through once.",
                duration_minutes=5,
            )
            item_formats_set(actor=author, item=lesson, formats=[FormatSpec(kind="article")])
            lessons.append(scene.publish(lesson))
        path = scene.container(
            "path",
            PATH,
            [(lesson, True) for lesson in lessons],
            audience=scene.everyone,
            summary="Your first week as a partner.",
        )
    return {"path": path, "lessons": lessons}


def _shot_375(page: Any, name: str) -> None:
    """The width most phones have, besides the narrower one check_page tries."""
    size = page.viewport_size
    page.set_viewport_size(PHONE_375)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_375["width"]
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone-375.png"), full_page=True)
    finally:
        page.set_viewport_size(size)


def test_a_manager_assigns_a_path_and_sees_a_completion_made_on_a_phone(
    live_world: World, learning_path: dict[str, Any], page: Any, chromium: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    due = timezone.localdate() + timedelta(days=21)
    # given: the manager opens their team's learning
    sign_in(page, live_world.people["manager"].email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team learning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team learning")
    check_page(page, "team-learning")
    _shot_375(page, "team-learning")

    # when: they tick two people and assign the path to them
    page.get_by_label("Choose Gold Learner").check()
    page.get_by_label("Choose Partner Admin").check()
    page.get_by_role("button", name="Assign learning to the people chosen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assign learning")
    page.get_by_role("searchbox", name="Search the catalog by title").fill("onboarding")
    page.get_by_role("button", name="Find items").click()
    expect(page.get_by_role("radio", name=re.compile(PATH))).to_be_visible()
    check_page(page, "team-learning-assign")
    _shot_375(page, "team-learning-assign")
    page.get_by_role("radio", name=re.compile(PATH)).check()
    expect(page.get_by_role("checkbox", name=re.compile("Gold Learner"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("Partner Admin"))).to_be_checked()
    page.get_by_role("radio", name="On a date").check()
    page.get_by_label("Due date", exact=True).fill(due.isoformat())
    page.get_by_role("button", name="Assign", exact=True).click()

    # then
    expect(page.locator("#messages")).to_contain_text("Assigned to 2 people.")
    path_id = learning_path["path"].pk
    with tenant_scope(live_world.tenant):
        assigned = sorted(
            Enrollment.objects.filter(item_id=path_id).values_list("person__email", "due_on")
        )
    assert assigned == [
        ("gold_learner@partner.example", due),
        ("partner_admin@partner.example", due),
    ]

    # when: the learner, on a phone, opens the path from their home and reads both lessons
    phone = chromium.new_context(viewport=PHONE_375, base_url=live_server.url)
    phone.set_default_timeout(10_000)
    learner = phone.new_page()
    try:
        sign_in(learner, live_world.people["gold_learner"].email)
        learner.get_by_role("link", name=PATH).first.click()
        expect(learner.get_by_role("heading", level=1)).to_have_text(PATH)
        for title in LESSONS:
            learner.get_by_role("region", name="Steps").get_by_role("link", name=title).click()
            expect(learner.get_by_role("heading", level=1)).to_have_text(title)
            learner.get_by_role("button", name="I read it").click()
            expect(learner.locator("#lesson-progress")).to_contain_text("Completed")
            assert learner.evaluate("document.documentElement.scrollWidth") <= PHONE_375["width"]
            learner.go_back()
            learner.reload()
        learner.screenshot(path=str(SCREENSHOTS / "learning-path-done-phone-375.png"))
    finally:
        phone.close()
    with tenant_scope(live_world.tenant):
        state = Enrollment.objects.get(
            item_id=path_id, person=live_world.people["gold_learner"]
        ).state
    assert state == EnrollmentState.COMPLETED

    # then: the manager sees it in the team table, filtered to the path
    page.goto("/partner/learning/")
    page.get_by_label("Item").select_option(label=PATH)
    page.get_by_role("button", name="Apply filters").click()
    row = page.get_by_role("row", name=re.compile("Gold Learner"))
    expect(row.locator("td[data-label='Completed']")).to_have_text("1")
    expect(row.locator("td[data-label='Not started']")).to_have_text("0")
    other = page.get_by_role("row", name=re.compile("Partner Admin"))
    expect(other.locator("td[data-label='Not started']")).to_have_text("1")
    check_page(page, "team-learning-filtered")

    # and in the learner's own page
    row.get_by_role("link", name="Gold Learner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gold Learner")
    expect(page.get_by_role("row", name=re.compile(PATH))).to_contain_text("Completed")
    check_page(page, "team-learning-person")
    _shot_375(page, "team-learning-person")

    # and the overdue view says nobody is late
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Team learning"
    ).click()
    page.get_by_role("navigation", name="Team learning").get_by_role("link", name="Overdue").click()
    expect(page.get_by_text("Nobody in your team is late with their learning.")).to_be_visible()
    check_page(page, "team-learning-overdue")


def test_vendor_staff_read_program_progress_and_keep_rules(
    live_world: World, learning_path: dict[str, Any], page: Any
) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["vendor_admin"].email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Learning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning progress")
    check_page(page, "program-learning")
    _shot_375(page, "program-learning")
    page.get_by_role("link", name="By organization").click()
    expect(page.get_by_role("cell", name="Distri Europe")).to_be_visible()
    check_page(page, "program-learning-organizations")

    # when: a rule gives the path to every partner, due 30 days after joining
    page.get_by_role("link", name="Assignment rules").click()
    expect(page.locator("#item-options input[type=radio]")).to_have_count(3)
    # the search narrows the choices as one types (htmx), without leaving the page
    page.get_by_role("searchbox", name="Search the catalog by title").fill("onboarding")
    expect(page.locator("#item-options input[type=radio]")).to_have_count(1)
    page.get_by_role("radio", name=re.compile(PATH)).check()
    page.get_by_label("Name").fill("Onboarding for everyone")
    page.get_by_label("Audience").select_option(label="Every partner")
    page.get_by_label("Due after (days)").fill("30")
    page.get_by_label("Counted from").select_option(
        label="After the person joined their organization"
    )
    page.get_by_role("button", name="Create and apply the rule").click()

    # then
    expect(page.locator("#messages")).to_contain_text("is active and applied")
    expect(page.get_by_role("cell", name="Onboarding for everyone", exact=True)).to_be_visible()
    check_page(page, "program-learning-rules")
    _shot_375(page, "program-learning-rules")
    with tenant_scope(live_world.tenant):
        assert Enrollment.objects.filter(item=learning_path["path"]).count() == 5
