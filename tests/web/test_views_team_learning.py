"""Team learning pages: a partner manager follows, assigns, reminds and exports their people's
learning; nobody else sees it, and bad input is refused with nothing written."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cascade.audit.models import AuditEntry
from cascade.identity.models import Person
from cascade.learning.models import Enrollment, EnrollmentState
from cascade.notifications.models import Notification
from tests.catalog import conftest as catalog_scenes
from tests.catalog.conftest import Studio
from tests.conftest import World, make_member
from tests.learning.test_team import enroll
from tests.web.conftest import queries

# The catalog tests' authoring scene: an owner team, audiences, authors and reviewers.
studio = catalog_scenes.studio


def _written() -> dict[str, Any]:
    return {
        "enrollments": sorted(
            Enrollment.unscoped.values_list("id", "person_id", "item_id", "state", "due_on")
        ),
        "notifications": Notification.unscoped.count(),
        "audit": AuditEntry.unscoped.count(),
    }


@pytest.fixture
def scene(studio: Studio) -> dict[str, Any]:
    world = studio.world
    basics = studio.published(title="Portal basics", audience=studio.everyone)
    security = studio.published(title="Security essentials", audience=studio.everyone)
    gold_only = studio.published(title="Gold playbook")  # Gold audience: Distri Europe only
    enroll(world, "learner", basics, EnrollmentState.COMPLETED)
    enroll(world, "learner", security, due_in=-3)
    enroll(world, "partner_admin", basics, EnrollmentState.IN_PROGRESS, due_in=10)
    return {"basics": basics, "security": security, "gold_only": gold_only}


def _names(response: Any) -> list[str]:
    return [row.name for row, _ in response.context["rows"]]


def test_the_manager_sees_their_team_with_counts(world: World, scene: Any) -> None:
    response = world.browser("manager").get("/partner/learning/")
    assert response.status_code == 200
    assert _names(response) == ["Learner", "Manager", "Partner Admin"]
    html = response.content.decode()
    assert '<span class="tag tag--overdue">1</span>' in html
    assert "Other Admin" not in html


def test_filters_keep_the_people_asked_for(world: World, scene: Any) -> None:
    client = world.browser("manager")
    assert _names(client.get("/partner/learning/?overdue=on")) == ["Learner"]
    assert _names(client.get("/partner/learning/?state=in_progress")) == ["Partner Admin"]
    assert _names(client.get("/partner/learning/?q=admin")) == ["Partner Admin"]
    assert _names(client.get(f"/partner/learning/?item={scene['basics'].pk}")) == [
        "Learner",
        "Partner Admin",
    ]
    htmx = client.get("/partner/learning/?q=learn", headers={"HX-Request": "true"})
    assert "<html" not in htmx.content.decode()
    assert _names(htmx) == ["Learner"]


def test_the_team_page_takes_a_fixed_number_of_queries(world: World, scene: Any) -> None:
    client = world.browser("manager")
    client.get("/partner/learning/")
    before = queries(lambda: client.get("/partner/learning/"))
    for index in range(10):
        make_member(world, f"extra_{index}", world.tenant, world.orgs["dist"], ["learner"])
        enroll(world, f"extra_{index}", scene["basics"], due_in=-1)
    assert queries(lambda: client.get("/partner/learning/")) == before


@pytest.mark.parametrize(
    "path",
    [
        "/partner/learning/",
        "/partner/learning/overdue/",
        "/partner/learning/assign/",
        "/partner/learning/export.csv",
    ],
)
def test_learners_and_vendor_staff_have_no_team_pages(world: World, path: str) -> None:
    for name in ("learner", "vendor_admin"):
        assert world.browser(name).get(path).status_code == 403, (name, path)
    assert world.browser().get(path).status_code == 302  # to the sign-in page


def test_a_manager_cannot_open_someone_elses_person(world: World, scene: Any) -> None:
    other = world.memberships["other_admin"].pk
    assert world.browser("manager").get(f"/partner/learning/people/{other}/").status_code == 404
    learner = world.memberships["learner"].pk
    response = world.browser("other_admin").get(f"/partner/learning/people/{learner}/")
    assert response.status_code == 404


def test_a_persons_learning(world: World, scene: Any) -> None:
    learner = world.memberships["learner"].pk
    response = world.browser("manager").get(f"/partner/learning/people/{learner}/")
    html = response.content.decode()
    assert [r.title for r in response.context["enrollments"]] == [
        "Security essentials",
        "Portal basics",
    ]
    assert "Overdue" in html
    assert "Remind Learner of their learning" in html


def test_the_overdue_page_lists_late_learning(world: World, scene: Any) -> None:
    response = world.browser("manager").get("/partner/learning/overdue/")
    assert [(r.name, r.title, r.days_late) for r in response.context["late"].items] == [
        ("Learner", "Security essentials", 3)
    ]


# --- assigning --------------------------------------------------------------------------------


def _assign(client: Any, **data: Any) -> Any:
    return client.post("/partner/learning/assign/", {"due": "none", "required": "yes", **data})


def test_the_manager_assigns_an_item_with_a_due_date(world: World, scene: Any) -> None:
    # given
    due = timezone.localdate() + timedelta(days=14)
    people = [world.memberships["partner_admin"].pk, world.memberships["manager"].pk]
    # when
    response = _assign(
        world.browser("manager"),
        item=scene["security"].pk,
        people=people,
        due="date",
        due_on=due.isoformat(),
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/partner/learning/"
    assigned = Enrollment.objects.filter(
        item=scene["security"],
        person__email__in=["partner_admin@partner.example", "manager@partner.example"],
    ).order_by("person_id")
    assert [(e.person_id, e.due_on, e.required) for e in assigned] == sorted(
        [(world.people["partner_admin"].pk, due, True), (world.people["manager"].pk, due, True)]
    )


def test_a_due_date_in_days_after_joining(world: World, scene: Any) -> None:
    response = _assign(
        world.browser("manager"),
        item=scene["security"].pk,
        people=[world.memberships["partner_admin"].pk],
        required="no",
        due="days",
        due_days="30",
        due_from="joining",
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(
        item=scene["security"], person=world.people["partner_admin"]
    )
    assert enrollment.required is False
    assert enrollment.due_on == timezone.localdate() + timedelta(days=30)


def test_a_due_date_in_the_past_is_refused_beside_its_field(world: World, scene: Any) -> None:
    before = _written()
    response = _assign(
        world.browser("manager"),
        item=scene["security"].pk,
        people=[world.memberships["partner_admin"].pk],
        due="date",
        due_on=(timezone.localdate() - timedelta(days=1)).isoformat(),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"due_on": ["Choose a due date from today on."]}
    assert _written() == before


def test_people_of_another_organization_are_refused(world: World, scene: Any) -> None:
    before = _written()
    response = _assign(
        world.browser("manager"),
        item=scene["basics"].pk,
        people=[world.memberships["partner_admin"].pk, world.memberships["other_admin"].pk],
    )
    assert response.status_code == 400
    assert response.context["form"].errors["people"] == [
        "Some of these people are not yours to assign learning to."
    ]
    assert _written() == before


def test_an_item_the_people_cannot_see_is_refused(world: World, scene: Any) -> None:
    # given: the learner's Reseller Paris (Silver) lets its parent assign, but the item is Gold
    reseller = world.orgs["reseller"]
    reseller.allow_parent_assignment = True
    reseller.save()
    before = _written()
    # when
    response = _assign(
        world.browser("manager"),
        item=scene["gold_only"].pk,
        people=[world.memberships["learner"].pk],
    )
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["people"] == [
        "Some of these people cannot see this item, so it cannot be assigned to them."
    ]
    assert _written() == before


def test_an_item_the_manager_cannot_see_is_refused(
    world: World, scene: Any, studio: Studio
) -> None:
    # given: an item only for Silver partners (the manager's Distri Europe is Gold)
    from cascade.catalog.audiences import RuleSpec
    from cascade.catalog.services import audience_create

    silver = audience_create(
        actor=world.actor("author"),
        name="Silver",
        rules=[RuleSpec.of(tier=[world.structure["silver"].pk])],
    )
    hidden = studio.published(title="Silver secrets", audience=silver)
    before = _written()
    # when
    response = _assign(
        world.browser("manager"), item=hidden.pk, people=[world.memberships["partner_admin"].pk]
    )
    # then
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "item": ["Choose an item from the catalog you can see."]
    }
    assert _written() == before


def test_missing_choices_are_field_errors(world: World, scene: Any) -> None:
    before = _written()
    response = _assign(world.browser("manager"), due="days")
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "item": ["Choose the item to assign."],
        "people": ["Choose at least one person."],
        "due_days": ["Give the number of days."],
    }
    assert _written() == before


def test_the_form_searches_items_by_title_and_opens_with_the_people_ticked(
    world: World, scene: Any
) -> None:
    client = world.browser("manager")
    picked = world.memberships["partner_admin"].pk
    response = client.post("/partner/learning/", {})  # only GET on the table
    assert response.status_code == 405
    opened = client.post(
        "/partner/learning/assign/", {"start": "1", "membership_ids": [str(picked)]}
    )
    assert opened.status_code == 200
    assert opened.context["form"]["people"].value() == [str(picked)]
    found = client.get("/partner/learning/assign/?item_q=secur")
    assert [i.title for i in found.context["items"]] == ["Security essentials"]
    options = client.get("/partner/learning/assign/items/?item_q=playbook")
    assert "Gold playbook" in options.content.decode()
    assert "<html" not in options.content.decode()


# --- reminding --------------------------------------------------------------------------------


def test_the_manager_reminds_the_people_chosen(world: World, scene: Any) -> None:
    people = [world.memberships["learner"].pk, world.memberships["partner_admin"].pk]
    response = world.browser("manager").post(
        "/partner/learning/remind/", {"membership_ids": people}
    )
    assert response.status_code == 302
    assert sorted(
        Notification.objects.filter(kind="learning.reminder").values_list("person_id", flat=True)
    ) == sorted([world.people["learner"].pk, world.people["partner_admin"].pk])


def test_reminding_someone_elses_people_is_refused(world: World, scene: Any) -> None:
    before = _written()
    response = world.browser("other_admin").post(
        "/partner/learning/remind/", {"membership_ids": [world.memberships["learner"].pk]}
    )
    assert response.status_code == 422
    assert "not yours to remind" in response.content.decode()
    assert (
        world.browser("learner")
        .post("/partner/learning/remind/", {"membership_ids": [world.memberships["learner"].pk]})
        .status_code
        == 403
    )
    assert (
        world.browser("manager")
        .post("/partner/learning/remind/", {"membership_ids": ["x"]})
        .status_code
        == 422
    )
    assert _written() == before


# --- the export -------------------------------------------------------------------------------


def _csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_export_is_a_streamed_csv_of_the_filtered_team(world: World, scene: Any) -> None:
    response = world.browser("manager").get("/partner/learning/export.csv?q=learner")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="team-learning-')
    rows = _csv(response)
    assert rows[0][:4] == ["Name", "E-mail", "Organization", "Item"]
    assert [(r[0], r[3], r[6], r[8]) for r in rows[1:]] == [
        ("Learner", "Security essentials", "Assigned", "yes"),
        ("Learner", "Portal basics", "Completed", "no"),
    ]


def test_the_export_defuses_formulas(world: World, scene: Any) -> None:
    # given: a person whose name a spreadsheet would run as a formula
    Person.objects.filter(pk=world.people["partner_admin"].pk).update(
        full_name='=HYPERLINK("http://evil.example","x")'
    )
    make_member(world, "plus", world.tenant, world.orgs["dist"], ["learner"])
    Person.objects.filter(pk=world.people["plus"].pk).update(full_name="+1 555 0100")
    enroll(world, "plus", scene["basics"])
    # when
    rows = _csv(world.browser("manager").get("/partner/learning/export.csv"))
    # then
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert "'+1 555 0100" in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_export_takes_a_fixed_number_of_queries(world: World, scene: Any) -> None:
    client = world.browser("manager")
    _csv(client.get("/partner/learning/export.csv"))
    before = queries(lambda: _csv(client.get("/partner/learning/export.csv")))
    for index in range(10):
        make_member(world, f"extra_{index}", world.tenant, world.orgs["dist"], ["learner"])
        enroll(world, f"extra_{index}", scene["basics"], due_in=-1)
    assert queries(lambda: _csv(client.get("/partner/learning/export.csv"))) == before


def test_the_onboarding_column_shows_each_persons_worst_status(
    world: World, scene: Any, studio: Studio
) -> None:
    # given: everyone is in the onboarding program; the learner joined eight days ago, so the
    # first week's phase is late
    from tests.learning.onboarding_scene import build_onboarding

    onboarding = build_onboarding(studio)
    onboarding.joined("learner", 8)
    client = world.browser("manager")
    client.get("/partner/learning/")
    # when
    response = client.get("/partner/learning/")
    # then
    statuses = {
        row.name: status.label if status else None for row, status in response.context["rows"]
    }
    assert statuses["Learner"] == "Late"
    assert '<span class="tag tag--onboarding-late">Late</span>' in response.content.decode()
    learner = world.memberships["learner"].pk
    person = client.get(f"/partner/learning/people/{learner}/").content.decode()
    assert '<span class="tag tag--onboarding-late">Late</span>' in person
    # and the page stays a fixed number of queries as the team grows
    before = queries(lambda: client.get("/partner/learning/"))
    for index in range(6):
        make_member(world, f"newcomer_{index}", world.tenant, world.orgs["dist"], ["learner"])
    assert queries(lambda: client.get("/partner/learning/")) == before
