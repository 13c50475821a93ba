"""Onboarding pages: program admins build a program, vendor staff follow organizations, partner
managers follow their people, people see their own onboarding; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cascade.learning.models import Enrollment
from cascade.learning.onboarding_models import (
    OnboardingMilestone,
    OnboardingPhase,
    OnboardingProgram,
)
from tests.catalog import conftest as catalog_scene
from tests.catalog.conftest import Studio
from tests.conftest import World, make_member
from tests.learning.onboarding_scene import Onboarding, build_onboarding
from tests.web.conftest import queries

# The catalog's scene (authors, reviewers, audiences) for these pages.
studio = catalog_scene.studio


@pytest.fixture
def onboarding_scene(studio: Studio) -> Onboarding:
    """The onboarding scene of tests/learning: three phases for every partner."""
    return build_onboarding(studio)


def _rows() -> tuple[int, int, int, int]:
    return (
        OnboardingProgram.objects.count(),
        OnboardingPhase.objects.count(),
        OnboardingMilestone.objects.count(),
        Enrollment.objects.count(),
    )


def test_a_program_admin_builds_a_program_from_the_pages(studio: Studio) -> None:
    # given
    world = studio.world
    lesson = studio.published(title="Platform foundations", audience=studio.everyone)
    browser = world.browser("vendor_admin")
    # when: the program, a phase, a learning and a business milestone
    created = browser.post(
        "/onboarding/new/",
        {
            "name": "New partner onboarding",
            "audience": str(studio.everyone.pk),
            "relative_to": "person",
            "active": "on",
        },
    )
    program = OnboardingProgram.objects.get()
    phase_added = browser.post(
        f"/onboarding/{program.pk}/phases/",
        {"name": "Week 1: foundations", "starts_after_days": "0", "due_after_days": "7"},
    )
    phase = OnboardingPhase.objects.get()
    learning = browser.post(
        f"/onboarding/phases/{phase.pk}/milestones/",
        {"kind": "learning", "item": str(lesson.pk), "event_scope": "person"},
    )
    business = browser.post(
        f"/onboarding/phases/{phase.pk}/milestones/",
        {
            "kind": "business_event",
            "event_key": "deal_registered",
            "event_scope": "organization",
            "label": "First deal registered",
        },
    )
    # then
    assert (created.status_code, created["Location"]) == (302, f"/onboarding/{program.pk}/")
    assert (phase_added.status_code, phase_added["Location"]) == (
        302,
        f"/onboarding/phases/{phase.pk}/",
    )
    assert (learning.status_code, business.status_code) == (302, 302)
    assert list(OnboardingMilestone.objects.values_list("kind", "label", "event_scope")) == [
        ("learning", "Platform foundations", "person"),
        ("business_event", "First deal registered", "organization"),
    ]
    # every partner person got the lesson, due a week after joining (today)
    assert set(Enrollment.objects.values_list("item_id", "due_on")) == {
        (lesson.pk, timezone.localdate() + timedelta(days=7))
    }
    assert Enrollment.objects.count() == 4
    page = browser.get(f"/onboarding/{program.pk}/").content.decode()
    assert "Week 1: foundations" in page
    assert "First deal registered" in page
    assert "complete “Platform foundations”" in page


def test_a_phase_due_before_it_opens_is_refused_and_nothing_is_written(studio: Studio) -> None:
    # given
    onboarding = build_onboarding(studio)
    before = _rows()
    # when
    response = onboarding.world.browser("vendor_admin").post(
        f"/onboarding/{onboarding.program.pk}/phases/",
        {"name": "Month 6", "starts_after_days": "180", "due_after_days": "90"},
    )
    # then
    assert response.status_code == 422
    assert "A phase is due after it starts." in response.content.decode()
    assert _rows() == before


def test_vendor_staff_read_programs_only_program_admins_change_them(
    studio: Studio, staff: World
) -> None:
    # given
    onboarding = build_onboarding(studio)
    analyst = staff.browser("analyst")
    before = _rows()
    # when
    listed = analyst.get("/onboarding/")
    renamed = analyst.post(
        f"/onboarding/{onboarding.program.pk}/",
        {"name": "Mine now", "audience": str(studio.everyone.pk), "relative_to": "person"},
    )
    removed = analyst.post(f"/onboarding/phases/{onboarding.week1.pk}/remove/")
    # then
    assert listed.status_code == 200
    assert "New partner onboarding" in listed.content.decode()
    assert (renamed.status_code, removed.status_code) == (403, 403)
    assert _rows() == before
    assert OnboardingProgram.objects.get().name == "New partner onboarding"


def test_partners_cannot_reach_the_vendors_pages(studio: Studio) -> None:
    onboarding = build_onboarding(studio)
    world = onboarding.world
    before = _rows()
    for name in ("learner", "manager", "partner_admin"):
        browser = world.browser(name)
        assert browser.get("/onboarding/").status_code == 403
        assert browser.get(f"/onboarding/{onboarding.program.pk}/status/").status_code == 403
        posted = browser.post(
            f"/onboarding/{onboarding.program.pk}/phases/",
            {"name": "Mine", "starts_after_days": "0", "due_after_days": "3"},
        )
        assert posted.status_code == 403
    assert _rows() == before


def test_the_status_page_counts_each_organizations_people(studio: Studio) -> None:
    # given: the manager is late, the partner admin at risk
    onboarding = build_onboarding(studio)
    onboarding.joined("manager", 8)
    onboarding.joined("partner_admin", 5)
    # when
    html = (
        onboarding.world.browser("vendor_admin")
        .get(f"/onboarding/{onboarding.program.pk}/status/")
        .content.decode()
    )
    # then
    row = html[html.index("Distri Europe") :]
    row = row[: row.index("</tr>")]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    # People, late, at risk, on track, not started, done
    assert cells[1:] == ["2", "1", "1", "0", "0", "0"]


def test_a_partner_manager_follows_their_people_phase_by_phase(
    onboarding_scene: Onboarding,
) -> None:
    # given: the learner (reseller, below dist) joined 8 days ago and has done nothing
    onboarding = onboarding_scene
    world = onboarding.world
    onboarding.joined("learner", 8)
    browser = world.browser("manager")
    # when
    people = browser.get("/onboarding/people/").content.decode()
    person = browser.get(f"/onboarding/people/{world.memberships['learner'].pk}/")
    # then
    assert "Learner" in people
    assert "Other Admin" not in people
    assert '<span class="tag tag--onboarding-late">Late</span>' in people
    assert person.status_code == 200
    html = person.content.decode()
    assert html.index("Week 1: foundations") < html.index("Month 1: first customer pitch")
    assert "To do: </span>Platform foundations" in html


def test_people_of_another_partner_are_not_found(onboarding_scene: Onboarding) -> None:
    world = onboarding_scene.world
    response = world.browser("other_admin").get(
        f"/onboarding/people/{world.memberships['learner'].pk}/"
    )
    assert response.status_code == 404
    assert world.browser("learner").get("/onboarding/people/").status_code == 403


def test_a_person_sees_their_own_onboarding(onboarding_scene: Onboarding) -> None:
    # given: the foundations done
    onboarding = onboarding_scene
    onboarding.complete("learner", onboarding.foundations)
    # when
    html = onboarding.world.browser("learner").get("/onboarding/mine/").content.decode()
    # then
    assert '<h1 id="onboarding-heading">Your onboarding</h1>' in html
    assert "Done: </span><a href=" in html
    assert "1 of 5 milestones done" in html
    assert "now: Month 1: first customer pitch" in html
    nobody = onboarding.world.browser("vendor_admin").get("/onboarding/mine/").content.decode()
    assert "No onboarding program applies to you right now." in nobody


def test_the_people_page_costs_the_same_queries_for_few_or_many_people(
    onboarding_scene: Onboarding,
) -> None:
    # given
    world = onboarding_scene.world
    browser = world.browser("manager")
    browser.get("/onboarding/people/")
    few = queries(lambda: browser.get("/onboarding/people/"))
    for index in range(15):
        make_member(world, f"extra{index}", world.tenant, world.orgs["dist"], ["learner"])
    # when
    many = queries(lambda: browser.get("/onboarding/people/"))
    # then
    assert many == few
