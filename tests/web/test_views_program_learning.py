"""Program learning pages: vendor staff read progress by tier, region and organization (totals
only, also for organizations that hide their people); program admins keep assignment rules."""

from __future__ import annotations

from typing import Any

import pytest

from cascade.audit.models import AuditEntry
from cascade.learning.models import AssignmentRule, Enrollment, EnrollmentSource, EnrollmentState
from cascade.tenancy.models import VendorDataAccess
from tests.catalog import conftest as catalog_scenes
from tests.catalog.conftest import Studio
from tests.conftest import World
from tests.learning.test_team import enroll
from tests.web.conftest import queries

studio = catalog_scenes.studio


@pytest.fixture
def scene(studio: Studio) -> dict[str, Any]:
    world = studio.world
    basics = studio.published(title="Portal basics", audience=studio.everyone)
    enroll(world, "learner", basics, EnrollmentState.COMPLETED)
    enroll(world, "other_admin", basics, due_in=-2)
    return {"basics": basics}


def _rules() -> list[tuple[str, bool]]:
    return list(AssignmentRule.objects.order_by("name").values_list("name", "active"))


def test_vendor_staff_read_progress_by_tier_and_region(staff: World, scene: Any) -> None:
    response = staff.browser("analyst").get("/program/learning/")
    assert response.status_code == 200
    tiers = {
        r.label: (r.people, r.enrollments, r.completed, r.overdue)
        for r in response.context["tiers"]
    }
    assert tiers == {"Gold": (2, 0, 0, 0), "Silver": (2, 2, 1, 1)}
    html = response.content.decode()
    assert "By region" in html
    # An analyst reads progress and the rules, but does not keep them.
    assert "Assignment rules" in html
    rules = staff.browser("analyst").get("/program/learning/rules/")
    assert rules.status_code == 200
    assert "New rule" not in rules.content.decode()
    refused = staff.browser("analyst").post("/program/learning/rules/", {"name": "Mine"})
    assert refused.status_code == 403
    assert _rules() == []


def test_organizations_hiding_their_people_still_count(world: World, scene: Any) -> None:
    other = world.orgs["other"]
    other.vendor_data_access = VendorDataAccess.AGGREGATES
    other.save()
    response = world.browser("vendor_admin").get("/program/learning/organizations/")
    rows = {
        r.label: (r.people, r.enrollments, r.overdue)
        for r in response.context["organizations"].items
    }
    assert rows["Other Partner"] == (1, 1, 1)
    assert "other_admin@partner.example" not in response.content.decode()
    found = world.browser("vendor_admin").get("/program/learning/organizations/?q=reseller")
    assert [r.label for r in found.context["organizations"].items] == ["Reseller Paris"]


def test_progress_pages_take_a_fixed_number_of_queries(world: World, scene: Any) -> None:
    client = world.browser("vendor_admin")
    client.get("/program/learning/")
    overview = queries(lambda: client.get("/program/learning/"))
    organizations = queries(lambda: client.get("/program/learning/organizations/"))
    for name in ("manager", "partner_admin"):
        enroll(world, name, scene["basics"], due_in=-1)
    assert queries(lambda: client.get("/program/learning/")) == overview
    assert queries(lambda: client.get("/program/learning/organizations/")) == organizations


@pytest.mark.parametrize(
    "path", ["/program/learning/", "/program/learning/organizations/", "/program/learning/rules/"]
)
def test_partner_people_have_no_program_pages(world: World, path: str) -> None:
    for name in ("learner", "manager", "partner_admin"):
        assert world.browser(name).get(path).status_code == 403, (name, path)


def test_a_program_admin_creates_a_rule_that_applies_at_once(
    world: World, scene: Any, studio: Studio
) -> None:
    # given
    security = studio.published(title="Security essentials", audience=studio.everyone)
    client = world.browser("vendor_admin")
    assert [
        i.title for i in client.get("/program/learning/rules/?item_q=secur").context["items"]
    ] == ["Security essentials"]
    # when
    response = client.post(
        "/program/learning/rules/",
        {
            "name": "Security for everyone",
            "audience": studio.everyone.pk,
            "item": security.pk,
            "required": "yes",
            "due_days": "30",
            "due_from": "joining",
        },
    )
    # then
    assert response.status_code == 302
    assert _rules() == [("Security for everyone", True)]
    assigned = Enrollment.objects.filter(item=security, source=EnrollmentSource.RULE)
    assert assigned.count() == 4  # every active partner person
    page = client.get("/program/learning/rules/").content.decode()
    assert "Security for everyone" in page
    assert "30 days after joining" in page


def test_a_bad_rule_is_refused_beside_its_fields_with_nothing_written(
    world: World, scene: Any, studio: Studio
) -> None:
    client = world.browser("vendor_admin")
    before = (AuditEntry.objects.count(), Enrollment.objects.count())
    response = client.post(
        "/program/learning/rules/",
        {
            "name": "  ",
            "audience": studio.everyone.pk,
            "item": "999999",
            "required": "yes",
            "due_days": "0",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "due_days"}
    unknown = client.post(
        "/program/learning/rules/",
        {"name": "Ghost", "audience": studio.everyone.pk, "item": "999999", "required": "yes"},
    )
    assert unknown.status_code == 400
    assert unknown.context["form"].errors == {"item": ["Choose a published item."]}
    assert _rules() == []
    assert (AuditEntry.objects.count(), Enrollment.objects.count()) == before


def test_a_rule_is_stopped_started_and_applied_on_request(
    world: World, scene: Any, studio: Studio
) -> None:
    # given
    client = world.browser("vendor_admin")
    rule = AssignmentRule.objects.create(
        tenant=world.tenant, name="Basics", audience=studio.everyone, item=scene["basics"]
    )
    # when / then: applying assigns the people who never had it from this rule
    response = client.post(f"/program/learning/rules/{rule.pk}/apply/")
    assert response.status_code == 302
    # Other Admin keeps the enrollment they have open; the learner completed theirs long ago.
    assert Enrollment.objects.filter(rule=rule).count() == 3
    client.post(f"/program/learning/rules/{rule.pk}/deactivate/")
    assert _rules() == [("Basics", False)]
    stopped = client.post(f"/program/learning/rules/{rule.pk}/apply/", follow=True)
    assert "This rule is stopped" in stopped.content.decode()
    client.post(f"/program/learning/rules/{rule.pk}/activate/")
    assert _rules() == [("Basics", True)]
    # and partner people cannot touch it
    assert (
        world.browser("manager").post(f"/program/learning/rules/{rule.pk}/deactivate/").status_code
        == 403
    )
    assert _rules() == [("Basics", True)]
