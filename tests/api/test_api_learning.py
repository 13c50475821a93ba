"""The learning API: enrollments, assignments, progress for headless players, assignment rules,
and who reads whose learning (learner, partner manager, another partner's admin, the vendor,
integration tokens with and without the learning scopes)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from cascade.audit.models import AuditEntry
from cascade.identity.models import ApiToken, Membership, TokenKind
from cascade.identity.services.tokens import _digest
from cascade.learning.models import (
    AssignmentRule,
    Enrollment,
    EnrollmentSource,
    EnrollmentState,
    LessonProgress,
)
from tests.api.conftest import (
    CatalogScene,
    LearningScene,
    Scene,
    assert_problem,
    changed_tables,
    database_state,
    iso,
)
from tests.conftest import ApiClient
from tests.factories import PersonFactory


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def _enrollment_ids(**filters: Any) -> set[int]:
    return set(Enrollment.objects.filter(**filters).values_list("pk", flat=True))


def _integration(scene: Scene, scopes: list[str]) -> ApiClient:
    token = scene.integration_token
    token.scopes = scopes
    token.save(update_fields=["scopes"])
    client = scene.world.api("learner")
    client.headers = {"Authorization": f"Bearer {scene.integration_secret}"}
    return client


def _personal(scene: Scene, name: str, scopes: list[str]) -> ApiClient:
    person = scene.world.people[name]
    raw = f"cas_scoped_{name}_" + "z" * 20
    ApiToken.objects.create(
        tenant=scene.world.tenant,
        kind=TokenKind.PERSONAL,
        name="Scoped",
        person=person,
        prefix=f"scoped{person.pk}",
        digest=_digest(raw),
        scopes=scopes,
    )
    client = scene.world.api(name)
    client.headers = {"Authorization": f"Bearer {raw}"}
    return client


def _backdate_heartbeat(scene: Scene, item_id: int, seconds: float) -> None:
    LessonProgress.objects.filter(person=scene.world.people["learner"], item_id=item_id).update(
        last_heartbeat_at=timezone.now() - timedelta(seconds=seconds)
    )


# --- enrolling ----------------------------------------------------------------------------------


def test_a_learner_enrolls_once_and_gets_the_same_enrollment_again(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    learner = scene.world.api("learner")
    # when
    first = learner.post("/learning/enrollments", {"item_id": catalog.open_lesson.pk})
    again = learner.post("/learning/enrollments", {"item_id": catalog.open_lesson.pk})
    # then
    assert first.status_code == 201
    assert again.status_code == 200
    enrollment = Enrollment.objects.get()
    assert first.json() == again.json()
    assert first.json() == {
        "id": enrollment.pk,
        "person": {
            "id": scene.world.people["learner"].pk,
            "email": "learner@partner.example",
            "full_name": "Learner",
        },
        "item_id": catalog.open_lesson.pk,
        "item_kind": "lesson",
        "source": "self",
        "required": False,
        "state": "assigned",
        "due_on": None,
        "overdue": False,
        "assigned_by_id": None,
        "assigning_organization_id": None,
        "rule_id": None,
        "created_at": iso(enrollment.created_at),
        "started_at": None,
        "completed_at": None,
        "closed_at": None,
        "close_reason": "",
    }


def test_enrolling_in_an_item_outside_ones_audience_is_a_404_and_writes_nothing(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given: the learner's reseller is Silver
    before = database_state()
    # when
    response = scene.world.api("learner").post(
        "/learning/enrollments", {"item_id": catalog.gold_lesson.pk}
    )
    # then
    assert_problem(response, 404, "item_not_found")
    assert changed_tables(before, database_state()) == []


# --- who reads whose enrollments ----------------------------------------------------------------


def test_each_role_lists_the_enrollments_of_the_people_it_may_see(
    scene: Scene, learning: LearningScene
) -> None:
    # given
    world = scene.world
    dist_people = [world.people["manager"].pk, world.people["partner_admin"].pk]
    learner_pk = world.people["learner"].pk
    # when
    seen = {
        name: _ids(world.api(name).get("/learning/enrollments"))
        for name in ("learner", "manager", "other_admin", "vendor_admin", "b_admin")
    }
    # then
    assert seen["learner"] == {learning.chosen.pk, learning.assigned.pk}
    assert seen["manager"] == _enrollment_ids(person_id__in=[learner_pk, *dist_people])
    assert len(seen["manager"]) == 4  # the learner's two and the rule's two
    assert seen["other_admin"] == set()
    assert seen["vendor_admin"] == _enrollment_ids()  # every enrollment of tenant A
    # b_admin, on tenant B's host, sees tenant B's enrollment and nothing of tenant A
    with scopes_disabled():
        b_enrollments = set(
            Enrollment.objects.filter(tenant=world.other_tenant).values_list("pk", flat=True)
        )
    assert len(b_enrollments) == 1
    assert seen["b_admin"] == b_enrollments


def test_an_organization_keeping_individuals_from_the_vendor_hides_its_enrollments(
    scene: Scene, learning: LearningScene
) -> None:
    # given
    reseller = scene.world.orgs["reseller"]
    reseller.vendor_data_access = "aggregates"
    reseller.save(update_fields=["vendor_data_access"])
    # when
    vendor = _ids(scene.world.api("vendor_admin").get("/learning/enrollments"))
    manager = _ids(scene.world.api("manager").get("/learning/enrollments"))
    # then
    assert learning.chosen.pk not in vendor
    assert learning.chosen.pk in manager


def test_reading_one_enrollment_follows_the_same_visibility(
    scene: Scene, learning: LearningScene
) -> None:
    # given
    path = f"/learning/enrollments/{learning.chosen.pk}"
    # when
    answers = {
        name: scene.world.api(name).get(path).status_code
        for name in ("learner", "manager", "partner_admin", "other_admin", "vendor_admin")
    }
    # then
    assert answers == {
        "learner": 200,
        "manager": 200,
        "partner_admin": 200,
        "other_admin": 404,
        "vendor_admin": 200,
    }
    assert_problem(scene.world.api("other_admin").get(path), 404, "enrollment_not_found")


def test_integration_tokens_need_the_learning_scopes(scene: Scene, learning: LearningScene) -> None:
    # given
    everything = _enrollment_ids()
    # when
    without = _integration(scene, ["organizations:read", "people:read"]).get(
        "/learning/enrollments"
    )
    learning_only = _integration(scene, ["learning:read"]).get("/learning/enrollments")
    with_people = _integration(scene, ["learning:read", "people:read"]).get("/learning/enrollments")
    rules = _integration(scene, ["learning:read"]).get("/learning/rules")
    before = database_state()
    assign = _integration(scene, ["learning:read", "people:read"]).post(
        "/learning/assignments",
        {
            "item_id": learning.lesson.pk,
            "membership_ids": [scene.world.memberships["partner_admin"].pk],
        },
    )
    # then
    assert_problem(without, 403, "forbidden")
    # learning:read without people:read reads nobody's: a token sees the people it may list
    assert _ids(learning_only) == set()
    assert _ids(with_people) == everything
    assert _ids(rules) == {learning.rule.pk}
    assert_problem(assign, 403, "forbidden")
    assert changed_tables(before, database_state()) == ["identity.apitoken"]


def test_an_integration_with_learning_write_assigns_for_the_program(
    scene: Scene, learning: LearningScene
) -> None:
    # given
    client = _integration(scene, ["learning:write", "learning:read", "people:read"])
    # when
    response = client.post(
        "/learning/assignments",
        {
            "item_id": learning.lesson.pk,
            "membership_ids": [scene.world.memberships["partner_admin"].pk],
        },
    )
    # then
    assert response.status_code == 201, response.content
    assert [row["person"]["id"] for row in response.json()["created"]] == [
        scene.world.people["partner_admin"].pk
    ]


def test_a_personal_token_without_learning_scopes_is_refused(
    scene: Scene, learning: LearningScene
) -> None:
    # given
    reader = _personal(scene, "learner", ["catalog:read", "learning:read"])
    # when
    listed = reader.get("/learning/enrollments")
    enroll = reader.post("/learning/enrollments", {"item_id": learning.lesson.pk})
    heartbeat = reader.post(
        f"/learning/progress/{learning.lesson.pk}/heartbeat",
        {"played_from": 0, "played_to": 10, "position": 10, "duration": 100},
    )
    # then
    assert _ids(listed) == {learning.chosen.pk, learning.assigned.pk}
    assert_problem(enroll, 403, "forbidden")
    assert_problem(heartbeat, 403, "forbidden")


# --- filters and pages --------------------------------------------------------------------------


def test_enrollments_filter_by_person_item_state_source_and_overdue(
    scene: Scene, learning: LearningScene
) -> None:
    # given: the assignment is late
    Enrollment.objects.filter(pk=learning.assigned.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    vendor = scene.world.api("vendor_admin")
    learner_pk = scene.world.people["learner"].pk
    # when
    overdue = vendor.get("/learning/enrollments", overdue="true")
    on_time = vendor.get("/learning/enrollments", overdue="false")
    by_person = vendor.get("/learning/enrollments", person_id=learner_pk)
    by_item = vendor.get("/learning/enrollments", item_id=learning.lesson.pk)
    by_rule = vendor.get("/learning/enrollments", source="rule")
    required = vendor.get("/learning/enrollments", required="true", person_id=learner_pk)
    of_dist = vendor.get("/learning/enrollments", organization_id=scene.world.orgs["dist"].pk)
    # then
    assert _ids(overdue) == {learning.assigned.pk}
    assert overdue.json()["items"][0]["overdue"] is True
    assert _ids(on_time) == _enrollment_ids() - {learning.assigned.pk}
    assert _ids(by_person) == {learning.chosen.pk, learning.assigned.pk}
    assert _ids(by_item) == {learning.assigned.pk, learning.vendor_chosen.pk}
    assert _ids(by_rule) == _enrollment_ids(source=EnrollmentSource.RULE)
    assert len(_ids(by_rule)) == 2
    assert _ids(required) == {learning.assigned.pk}
    assert _ids(of_dist) == _enrollment_ids(
        person__in=[scene.world.people["manager"], scene.world.people["partner_admin"]]
    )


def test_updated_and_completed_since_find_what_changed(
    scene: Scene, learning: LearningScene
) -> None:
    # given: everything was created an hour ago; the learner then withdrew their choice and
    # completed the assignment
    hour_ago = timezone.now() - timedelta(hours=1)
    Enrollment.objects.update(created_at=hour_ago)
    since = (timezone.now() - timedelta(minutes=5)).isoformat()
    learner = scene.world.api("learner")
    learner.post(f"/learning/enrollments/{learning.chosen.pk}/withdraw", {"reason": "Not now"})
    learner.post(f"/learning/progress/{learning.lesson.pk}/taken", {"kind": "article"})
    vendor = scene.world.api("vendor_admin")
    # when
    updated = vendor.get("/learning/enrollments", updated_since=since)
    completed = vendor.get("/learning/enrollments", completed_since=since)
    # then
    assert _ids(updated) == {learning.chosen.pk, learning.assigned.pk}
    assert _ids(completed) == {learning.assigned.pk}


def test_enrollment_pages_follow_each_other_without_overlap(
    scene: Scene, learning: LearningScene
) -> None:
    # given
    vendor = scene.world.api("vendor_admin")
    seen: list[int] = []
    cursor = None
    # when
    for _ in range(10):
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = vendor.get("/learning/enrollments", **params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    # then: newest first
    assert seen == sorted(_enrollment_ids(), reverse=True)


def test_the_enrollment_list_costs_the_same_queries_for_a_manager_whatever_the_rows(
    scene: Scene, learning: LearningScene
) -> None:
    # given
    manager = scene.world.api("manager")
    manager.get("/learning/enrollments")

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = manager.get("/learning/enrollments", limit=200)
        return len(queries), len(response.json()["items"])

    few = count()
    for n in range(25):
        person = PersonFactory(email=f"hire{n}@reseller-paris.example")
        Membership.objects.create(
            tenant=scene.world.tenant, person=person, organization=scene.world.orgs["reseller"]
        )
        Enrollment.objects.create(
            tenant=scene.world.tenant, person=person, item=learning.lesson, source="self"
        )
    # when
    many = count()
    # then
    assert many[1] == few[1] + 25
    assert many[0] == few[0]


# --- assigning ----------------------------------------------------------------------------------


def test_a_manager_assigns_with_a_due_date_relative_to_joining(
    scene: Scene, learning: LearningScene, catalog: CatalogScene
) -> None:
    # given: partner_admin joined dist 5 days ago; the learner already chose open_lesson
    world = scene.world
    today = timezone.localdate()
    Membership.objects.filter(pk=world.memberships["partner_admin"].pk).update(
        started_on=today - timedelta(days=5)
    )
    # when
    response = world.api("manager").post(
        "/learning/assignments",
        {
            "item_id": catalog.open_lesson.pk,
            "membership_ids": [
                world.memberships["partner_admin"].pk,
                world.memberships["learner"].pk,
            ],
            "due_days": 10,
            "due_from": "joining",
        },
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    created = Enrollment.objects.get(person=world.people["partner_admin"], item=catalog.open_lesson)
    assert [row["id"] for row in body["created"]] == [created.pk]
    assert body["created"][0]["due_on"] == (today + timedelta(days=5)).isoformat()
    assert body["created"][0]["source"] == "manager"
    assert body["created"][0]["required"] is True
    assert body["created"][0]["assigned_by_id"] == world.people["manager"].pk
    assert body["created"][0]["assigning_organization_id"] == world.orgs["dist"].pk
    assert [row["id"] for row in body["already_enrolled"]] == [learning.chosen.pk]


def test_a_due_date_relative_to_assignment_counts_from_today(
    scene: Scene, learning: LearningScene, catalog: CatalogScene
) -> None:
    # when
    response = scene.world.api("manager").post(
        "/learning/assignments",
        {
            "item_id": catalog.open_lesson.pk,
            "membership_ids": [scene.world.memberships["partner_admin"].pk],
            "due_days": 14,
            "required": False,
        },
    )
    # then
    assert response.status_code == 201, response.content
    row = response.json()["created"][0]
    assert row["due_on"] == (timezone.localdate() + timedelta(days=14)).isoformat()
    assert row["required"] is False


def test_assigning_everyone_already_enrolled_answers_200_and_writes_nothing(
    scene: Scene, learning: LearningScene, catalog: CatalogScene
) -> None:
    # given
    before = database_state()
    # when
    response = scene.world.api("manager").post(
        "/learning/assignments",
        {
            "item_id": catalog.open_lesson.pk,
            "membership_ids": [scene.world.memberships["learner"].pk],
        },
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["created"] == []
    assert [row["id"] for row in response.json()["already_enrolled"]] == [learning.chosen.pk]
    assert [label for label in changed_tables(before, database_state())] == ["audit.auditentry"]


@pytest.mark.parametrize(
    ("label", "principal", "body", "status", "code", "field"),
    [
        (
            "due date in the past",
            "manager",
            lambda s: {"due_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
            422,
            "due_in_past",
            "due_on",
        ),
        (
            "a date and a number of days",
            "manager",
            lambda s: {"due_on": timezone.localdate().isoformat(), "due_days": 3},
            422,
            "conflicting",
            "due_days",
        ),
        (
            "someone of another partner among them",
            "manager",
            lambda s: {
                "membership_ids": [
                    s.world.memberships["partner_admin"].pk,
                    s.world.memberships["other_admin"].pk,
                ]
            },
            422,
            "not_assignable",
            "membership_ids",
        ),
        (
            "an item an assignee cannot see",
            "manager",
            lambda s: {
                "item_id": s.content.gold_lesson.pk,
                "membership_ids": [
                    s.world.memberships["partner_admin"].pk,
                    s.world.memberships["learner"].pk,
                ],
            },
            422,
            "item_not_visible_to_assignee",
            "membership_ids",
        ),
        (
            "an item the manager cannot see",
            "other_admin",
            lambda s: {
                "item_id": s.content.gold_lesson.pk,
                "membership_ids": [s.world.memberships["other_admin"].pk],
            },
            404,
            "item_not_found",
            None,
        ),
        ("a learner", "learner", lambda s: {}, 403, "forbidden", None),
    ],
    ids=lambda value: value if isinstance(value, str) and " " in value else "",
)
def test_refused_assignments_write_nothing(
    scene: Scene,
    learning: LearningScene,
    label: str,
    principal: str,
    body: Any,
    status: int,
    code: str,
    field: str | None,
) -> None:
    # given
    payload = {
        "item_id": scene.content.open_lesson.pk,
        "membership_ids": [scene.world.memberships["partner_admin"].pk],
        **body(scene),
    }
    before = database_state()
    # when
    response = scene.world.api(principal).post("/learning/assignments", payload)
    # then
    problem = assert_problem(response, status, code)
    if field is not None:
        assert {error["field"] for error in problem["errors"]} == {field}
    assert changed_tables(before, database_state()) == []


# --- starting ------------------------------------------------------------------------------------


def test_a_learner_starts_their_own_enrollment_once(scene: Scene, learning: LearningScene) -> None:
    # given
    world = scene.world
    path = f"/learning/enrollments/{learning.assigned.pk}/start"
    before = database_state()
    # when
    by_manager = world.api("manager").post(path)
    nothing_changed = changed_tables(before, database_state())
    started = world.api("learner").post(path)
    again = world.api("learner").post(path)
    in_progress = world.api("learner").get("/learning/enrollments", state="in_progress")
    # then
    assert_problem(by_manager, 404, "enrollment_not_found")
    assert nothing_changed == []
    assert started.status_code == 200
    assert started.json()["state"] == "in_progress"
    assert started.json()["started_at"] is not None
    assert again.json() == started.json()
    # the learner's choice started with their first heartbeat (the scene)
    assert _ids(in_progress) == {learning.chosen.pk, learning.assigned.pk}


def test_a_closed_enrollment_does_not_start(scene: Scene, learning: LearningScene) -> None:
    # given
    learner = scene.world.api("learner")
    learner.post(f"/learning/enrollments/{learning.chosen.pk}/withdraw", {"reason": "Not now"})
    # when
    response = learner.post(f"/learning/enrollments/{learning.chosen.pk}/start")
    # then
    assert_problem(response, 409, "invalid_transition")


# --- withdrawing --------------------------------------------------------------------------------


def test_who_may_withdraw_what(scene: Scene, learning: LearningScene) -> None:
    # given
    world = scene.world
    reason = {"reason": "Changed role"}
    chosen = f"/learning/enrollments/{learning.chosen.pk}/withdraw"
    assigned = f"/learning/enrollments/{learning.assigned.pk}/withdraw"
    # when
    manager_on_chosen = world.api("manager").post(chosen, reason)
    vendor_on_chosen = world.api("vendor_admin").post(chosen, reason)
    learner_on_assigned = world.api("learner").post(assigned, reason)
    other_on_assigned = world.api("other_admin").post(assigned, reason)
    learner_on_chosen = world.api("learner").post(chosen, reason)
    manager_on_assigned = world.api("manager").post(assigned, reason)
    again = world.api("manager").post(assigned, reason)
    # then
    assert_problem(manager_on_chosen, 403, "forbidden")
    assert_problem(vendor_on_chosen, 403, "forbidden")
    assert_problem(learner_on_assigned, 403, "forbidden")
    assert_problem(other_on_assigned, 404, "enrollment_not_found")
    assert learner_on_chosen.status_code == 200
    assert learner_on_chosen.json()["state"] == "withdrawn"
    assert learner_on_chosen.json()["close_reason"] == "Changed role"
    assert manager_on_assigned.status_code == 200
    assert manager_on_assigned.json()["closed_at"] is not None
    assert_problem(again, 409, "not_open")
    assert set(
        Enrollment.objects.filter(pk__in=[learning.chosen.pk, learning.assigned.pk]).values_list(
            "state", flat=True
        )
    ) == {EnrollmentState.WITHDRAWN}


def test_a_blank_reason_is_refused(scene: Scene, learning: LearningScene) -> None:
    # when
    response = scene.world.api("learner").post(
        f"/learning/enrollments/{learning.chosen.pk}/withdraw", {"reason": "   "}
    )
    # then
    problem = assert_problem(response, 422, "invalid_input")
    assert [error["field"] for error in problem["errors"]] == ["reason"]


# --- progress -----------------------------------------------------------------------------------


def test_heartbeats_count_seconds_played_once_whatever_the_seeking_and_replays(
    scene: Scene, learning: LearningScene
) -> None:
    # given
    learner = scene.world.api("learner")
    path = f"/learning/progress/{learning.lesson.pk}/heartbeat"

    def beat(start: float, end: float, position: float) -> Any:
        response = learner.post(
            path, {"played_from": start, "played_to": end, "position": position, "duration": 100}
        )
        assert response.status_code == 200, response.content
        _backdate_heartbeat(scene, learning.lesson.pk, 60)
        return response.json()

    # when: plays 0-30, seeks to 90 and plays to 100, replays 0-30
    beat(0, 30, 30)
    beat(90, 100, 100)
    replayed = beat(0, 30, 30)
    # then
    assert replayed["watched_share"] == pytest.approx(0.4)
    assert replayed["position"] == 30
    assert replayed["duration"] == 100
    assert replayed["completed"] is False
    assert replayed["last_format"] == "video"
    # when: plays the rest, and the lesson (and the assignment of it) completes
    done = beat(30, 90, 90)
    # then
    assert done["watched_share"] == 1.0
    assert done["completed"] is True
    assert done["completed_by"] == "video"
    enrollment = scene.world.api("learner").get(f"/learning/enrollments/{learning.assigned.pk}")
    assert enrollment.json()["state"] == "completed"


def test_a_stretch_longer_than_the_time_since_the_last_heartbeat_is_cut(
    scene: Scene, learning: LearningScene
) -> None:
    # when: a first heartbeat claims the whole hour
    response = scene.world.api("learner").post(
        f"/learning/progress/{learning.lesson.pk}/heartbeat",
        {"played_from": 0, "played_to": 3600, "position": 3600, "duration": 3600, "locale": "fr"},
    )
    # then: at most the first minute is believed
    assert response.status_code == 200
    assert response.json()["watched_share"] == pytest.approx(60 / 3600)
    assert response.json()["locale"] == "fr"


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (
            {"played_from": 0, "played_to": 10, "position": 120, "duration": 100},
            422,
            "out_of_range",
            "position",
        ),
        (
            {"played_from": 20, "played_to": 10, "position": 10, "duration": 100},
            422,
            "out_of_range",
            "played_to",
        ),
        (
            {"played_from": 0, "played_to": 10, "position": 10, "duration": 0},
            422,
            "invalid_input",
            "duration",
        ),
        (
            {"played_from": -1, "played_to": 10, "position": 10, "duration": 100},
            422,
            "invalid_input",
            "played_from",
        ),
    ],
)
def test_impossible_heartbeats_are_refused_and_write_nothing(
    scene: Scene,
    learning: LearningScene,
    body: dict[str, Any],
    status: int,
    code: str,
    field: str,
) -> None:
    # given
    before = database_state()
    # when
    response = scene.world.api("learner").post(
        f"/learning/progress/{learning.lesson.pk}/heartbeat", body
    )
    # then
    problem = assert_problem(response, status, code)
    assert [error["field"] for error in problem["errors"]] == [field]
    assert changed_tables(before, database_state()) == []


def test_not_a_number_is_refused(scene: Scene, learning: LearningScene) -> None:
    # when
    response = scene.world.api("learner").post(
        f"/learning/progress/{learning.lesson.pk}/heartbeat",
        raw='{"played_from": NaN, "played_to": 10, "position": 10, "duration": 100}',
    )
    # then
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_taking_an_article_completes_the_lesson_and_the_assignment(
    scene: Scene, learning: LearningScene
) -> None:
    # when
    response = scene.world.api("learner").post(
        f"/learning/progress/{learning.lesson.pk}/taken", {"kind": "article", "locale": "en"}
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["completed"], body["completed_by"], body["last_format"]) == (
        True,
        "article",
        "article",
    )
    assigned = Enrollment.objects.get(pk=learning.assigned.pk)
    assert assigned.state == EnrollmentState.COMPLETED


def test_progress_is_for_lessons_the_person_may_see(
    scene: Scene, learning: LearningScene, catalog: CatalogScene
) -> None:
    # given
    before = database_state()
    # when
    gold = scene.world.api("learner").post(
        f"/learning/progress/{catalog.gold_lesson.pk}/taken", {"kind": "link"}
    )
    integration = _integration(scene, ["learning:write"]).post(
        f"/learning/progress/{learning.lesson.pk}/taken", {"kind": "link"}
    )
    # then
    assert_problem(gold, 404, "item_not_found")
    assert_problem(integration, 403, "person_required")
    assert changed_tables(before, database_state()) == ["identity.apitoken"]


def test_the_progress_list_gives_where_to_resume(
    scene: Scene, learning: LearningScene, catalog: CatalogScene
) -> None:
    # given: the learner finished `lesson` and is 30 s into open_lesson (the scene)
    learner = scene.world.api("learner")
    learner.post(f"/learning/progress/{learning.lesson.pk}/taken", {"kind": "document"})
    # when
    everything = learner.get("/learning/progress").json()
    to_resume = learner.get("/learning/progress", completed="false").json()
    done = learner.get("/learning/progress", completed="true").json()
    # then
    assert [row["item_id"] for row in everything["items"]] == [
        learning.lesson.pk,
        catalog.open_lesson.pk,
    ]
    assert [(row["item_id"], row["position"], row["duration"]) for row in to_resume["items"]] == [
        (catalog.open_lesson.pk, 30, 600)
    ]
    assert [row["item_id"] for row in done["items"]] == [learning.lesson.pk]
    assert scene.world.api("manager").get("/learning/progress").json()["items"] == []


# --- assignment rules ---------------------------------------------------------------------------


def test_the_vendor_creates_stops_and_restarts_a_rule(
    scene: Scene, learning: LearningScene, catalog: CatalogScene
) -> None:
    # given
    vendor = scene.world.api("vendor_admin")
    # when
    created = vendor.post(
        "/learning/rules",
        {
            "name": "Basics for everyone",
            "audience_id": catalog.everyone.pk,
            "item_id": learning.lesson.pk,
            "due_days": 30,
            "due_from": "joining",
        },
    )
    # then: every active partner person without an open enrollment in it (not the learner,
    # assigned it already)
    assert created.status_code == 201, created.content
    body = created.json()
    rule = AssignmentRule.objects.get(name="Basics for everyone")
    given = Enrollment.objects.filter(rule=rule)
    assert set(given.values_list("person_id", flat=True)) == {
        scene.world.people[name].pk for name in ("manager", "partner_admin", "other_admin")
    }
    assert body["assigned_now"] == 3
    assert body["rule"] == {
        "id": rule.pk,
        "name": "Basics for everyone",
        "audience": {"id": catalog.everyone.pk, "name": "Every partner"},
        "item_id": learning.lesson.pk,
        "required": True,
        "due_days": 30,
        "due_from": "joining",
        "active": True,
        "assigned": 3,
        "created_by": {
            "id": scene.world.people["vendor_admin"].pk,
            "email": "vendor_admin@vendor.example",
            "full_name": "Vendor Admin",
        },
        "created_at": iso(rule.created_at),
        "last_applied_at": iso(rule.last_applied_at),
    }
    # when
    listed = vendor.get("/learning/rules").json()
    stopped = vendor.post(f"/learning/rules/{rule.pk}/deactivate")
    applied_while_stopped = vendor.post(f"/learning/rules/{rule.pk}/apply")
    inactive = vendor.get("/learning/rules", active="false").json()
    restarted = vendor.post(f"/learning/rules/{rule.pk}/activate")
    applied = vendor.post(f"/learning/rules/{rule.pk}/apply")
    # then
    assert [item["name"] for item in listed["items"]] == [
        "Basics for everyone",
        "Gold pricing for Gold partners",
    ]
    assert stopped.status_code == 200
    assert stopped.json()["active"] is False
    assert_problem(applied_while_stopped, 409, "rule_inactive")
    assert [item["id"] for item in inactive["items"]] == [rule.pk]
    assert restarted.json()["active"] is True
    assert applied.json()["assigned_now"] == 0
    assert applied.json()["rule"]["assigned"] == 3
    assert list(
        AuditEntry.objects.filter(target_type="learning.assignmentrule", target_id=str(rule.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "assignment_rule.create",
        "assignment_rule.deactivate",
        "assignment_rule.activate",
        "assignment_rule.apply",
    ]


def test_rules_are_the_vendors(
    scene: Scene, learning: LearningScene, catalog: CatalogScene
) -> None:
    # given
    before = database_state()
    body = {"name": "Mine", "audience_id": catalog.everyone.pk, "item_id": learning.lesson.pk}
    # when
    answers = {
        name: (
            scene.world.api(name).get("/learning/rules").status_code,
            scene.world.api(name).post("/learning/rules", body).status_code,
            scene.world.api(name)
            .post(f"/learning/rules/{learning.rule.pk}/deactivate")
            .status_code,
        )
        for name in ("learner", "manager", "partner_admin")
    }
    # then
    assert set(answers.values()) == {(403, 403, 403)}
    assert changed_tables(before, database_state()) == []


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"name": "Gold pricing for Gold partners"}, 409, "duplicate_name", None),
        ({"audience_id": 987654}, 422, "unknown_reference", "audience_id"),
        ({"item_id": 987654}, 422, "unknown_reference", "item_id"),
        ({"name": "  "}, 422, "invalid_input", "name"),
    ],
)
def test_refused_rules_write_nothing(
    scene: Scene,
    learning: LearningScene,
    body: dict[str, Any],
    status: int,
    code: str,
    field: str | None,
) -> None:
    # given
    payload = {
        "name": "Another",
        "audience_id": scene.content.everyone.pk,
        "item_id": learning.lesson.pk,
        **body,
    }
    before = database_state()
    # when
    response = scene.world.api("vendor_admin").post("/learning/rules", payload)
    # then
    problem = assert_problem(response, status, code)
    if field is not None:
        assert [error["field"] for error in problem["errors"]] == [field]
    assert changed_tables(before, database_state()) == []


def test_a_draft_cannot_be_given_by_a_rule(scene: Scene, learning: LearningScene) -> None:
    # when
    response = scene.world.api("vendor_admin").post(
        "/learning/rules",
        {
            "name": "Drafts",
            "audience_id": scene.content.everyone.pk,
            "item_id": scene.content.draft.pk,
        },
    )
    # then
    assert_problem(response, 422, "unknown_reference")
