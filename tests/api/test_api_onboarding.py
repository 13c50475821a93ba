"""Onboarding through the API: the PRM reports business events (retries are safe), programs are
read with their phases, people's and organizations' status, visibility, other tenants, bad
input and query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cascade.core.scoping import tenant_scope
from cascade.identity.models import ApiToken, TokenKind
from cascade.identity.services.tokens import _digest
from cascade.learning.onboarding import milestone_add, phase_add, program_create
from cascade.learning.onboarding_models import BusinessEventRecord, OnboardingProgram
from tests.api.conftest import (
    CatalogScene,
    Scene,
    assert_problem,
    changed_tables,
    database_state,
    iso,
)
from tests.conftest import ApiClient, make_member

PRM_SECRET = "cas_prm_onboarding_" + "z" * 20


@pytest.fixture
def program(scene: Scene, catalog: CatalogScene) -> OnboardingProgram:
    """Week 1 (days 0-7): complete the open lesson; Month 3 (30-90): the organization's first
    deal. A PRM integration token may read learning and report events."""
    world = scene.world
    admin = world.actor("vendor_admin")
    program = program_create(
        actor=admin,
        name="New partner onboarding",
        audience_id=catalog.everyone.pk,
        effective_from=timezone.localdate() - timedelta(days=3650),
    )
    week1 = phase_add(
        actor=admin, program=program, name="Week 1", starts_after_days=0, due_after_days=7
    )
    month3 = phase_add(
        actor=admin, program=program, name="Month 3", starts_after_days=30, due_after_days=90
    )
    milestone_add(actor=admin, phase=week1, kind="learning", item_id=catalog.open_lesson.pk)
    milestone_add(
        actor=admin,
        phase=month3,
        kind="business_event",
        event_key="deal_registered",
        event_scope="organization",
        label="First deal registered",
    )
    ApiToken.objects.create(
        tenant=world.tenant,
        kind=TokenKind.INTEGRATION,
        name="PRM onboarding",
        prefix="prmonboarding",
        digest=_digest(PRM_SECRET),
        scopes=["learning:read", "learning:write", "organizations:read", "people:read"],
        created_by=world.people["vendor_admin"],
    )
    return program


def _prm(scene: Scene) -> ApiClient:
    return ApiClient(scene.world.host, PRM_SECRET)


def _deal(scene: Scene, **fields: Any) -> dict[str, Any]:
    return {
        "key": "deal_registered",
        "external_id": "SF-0001",
        "source": "salesforce",
        "occurred_at": "2026-11-01T09:30:00Z",
        "organization_id": scene.world.orgs["reseller"].pk,
        **fields,
    }


def test_the_prm_reports_an_event_once_however_often_it_retries(
    scene: Scene, program: OnboardingProgram
) -> None:
    # given
    prm = _prm(scene)
    # when
    first = prm.post("/onboarding/business-events", _deal(scene))
    again = prm.post("/onboarding/business-events", _deal(scene))
    # then
    assert first.status_code == 201, first.content
    assert again.status_code == 200
    record = BusinessEventRecord.objects.get()
    assert first.json() == {
        "id": record.pk,
        "key": "deal_registered",
        "external_id": "SF-0001",
        "source": "salesforce",
        "occurred_at": "2026-11-01T09:30:00Z",
        "person_id": None,
        "organization_id": scene.world.orgs["reseller"].pk,
        "recorded_at": iso(record.recorded_at),
        "created": True,
    }
    assert again.json() == {**first.json(), "created": False}


def test_an_external_id_reused_for_another_event_is_a_409_and_writes_nothing(
    scene: Scene, program: OnboardingProgram
) -> None:
    # given
    prm = _prm(scene)
    prm.post("/onboarding/business-events", _deal(scene))
    before = database_state()
    # when
    response = prm.post(
        "/onboarding/business-events", _deal(scene, organization_id=scene.world.orgs["dist"].pk)
    )
    # then
    assert_problem(response, 409, "external_id_reused")
    assert changed_tables(before, database_state()) == []


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"organization_id": None}, 422, "required"),
        ({"key": "Deal Registered"}, 422, "invalid_event_key"),
        ({"occurred_at": "2026-11-01T09:30:00"}, 422, "naive_time"),
        ({"occurred_at": "2999-01-01T00:00:00Z"}, 422, "in_future"),
        ({"person_id": 2**62}, 422, "unknown_reference"),
        ({"occurred_at": "yesterday"}, 422, "invalid_input"),
        ({"external_id": ""}, 422, "invalid_input"),
    ],
)
def test_bad_events_are_refused_and_write_nothing(
    scene: Scene, program: OnboardingProgram, change: dict[str, Any], status: int, code: str
) -> None:
    # given
    before = database_state()
    # when
    response = _prm(scene).post("/onboarding/business-events", _deal(scene, **change))
    # then
    assert_problem(response, status, code)
    assert changed_tables(before, database_state()) == []


def test_a_token_without_learning_write_cannot_report(
    scene: Scene, program: OnboardingProgram
) -> None:
    # given: the scene's PRM token reads organizations and people only
    client = ApiClient(scene.world.host, scene.integration_secret)
    # when
    response = client.post("/onboarding/business-events", _deal(scene))
    # then
    assert_problem(response, 403, "forbidden")
    assert BusinessEventRecord.objects.count() == 0


def test_programs_are_listed_with_their_phases_and_milestones(
    scene: Scene, catalog: CatalogScene, program: OnboardingProgram
) -> None:
    # when
    body = _prm(scene).get("/onboarding/programs").json()
    # then
    (listed,) = body["items"]
    assert (listed["id"], listed["name"], listed["relative_to"], listed["active"]) == (
        program.pk,
        "New partner onboarding",
        "person",
        True,
    )
    assert [
        (
            p["name"],
            p["starts_after_days"],
            p["due_after_days"],
            [m["kind"] for m in p["milestones"]],
        )
        for p in listed["phases"]
    ] == [("Week 1", 0, 7, ["learning"]), ("Month 3", 30, 90, ["business_event"])]
    assert listed["phases"][0]["milestones"][0]["item_id"] == catalog.open_lesson.pk
    assert listed["phases"][1]["milestones"][0]["event_scope"] == "organization"


def test_status_shows_each_person_phase_by_phase(scene: Scene, program: OnboardingProgram) -> None:
    # given: the learner joined 10 days ago (week 1 late); Reseller Paris registered a deal
    world = scene.world
    membership = world.memberships["learner"]
    membership.started_on = timezone.localdate() - timedelta(days=10)
    membership.save()
    _prm(scene).post("/onboarding/business-events", _deal(scene))
    # when
    body = (
        world.api("manager")
        .get("/onboarding/status", organization_id=world.orgs["reseller"].pk)
        .json()
    )
    # then
    (person,) = body["items"]
    assert (person["membership_id"], person["person"]["email"], person["status"]) == (
        membership.pk,
        "learner@partner.example",
        "late",
    )
    (entry,) = person["programs"]
    assert [
        (p["name"], p["status"], [m["done"] for m in p["milestones"]]) for p in entry["phases"]
    ] == [
        ("Week 1", "late", [False]),
        ("Month 3", "done", [True]),
    ]
    assert entry["anchor_on"] == iso(membership.started_on)


def test_learners_read_only_themselves_and_other_partners_are_not_found(
    scene: Scene, program: OnboardingProgram
) -> None:
    world = scene.world
    mine = world.api("learner").get("/onboarding/status").json()
    assert [p["person"]["email"] for p in mine["items"]] == ["learner@partner.example"]
    response = world.api("other_admin").get(
        "/onboarding/status", organization_id=world.orgs["reseller"].pk
    )
    assert_problem(response, 404, "organization_not_found")
    response = world.api("manager").get("/onboarding/status", program_id=2**62)
    assert_problem(response, 404, "program_not_found")


def test_organizations_are_counted_by_status(scene: Scene, program: OnboardingProgram) -> None:
    # given: the manager joined 8 days ago (late), the partner admin 5 (at risk)
    world = scene.world
    for name, days in (("manager", 8), ("partner_admin", 5)):
        membership = world.memberships[name]
        membership.started_on = timezone.localdate() - timedelta(days=days)
        membership.save()
    # when
    body = world.api("vendor_admin").get("/onboarding/organizations", program_id=program.pk).json()
    # then
    assert [
        (o["name"], o["people"], o["on_track"], o["at_risk"], o["late"]) for o in body["items"]
    ] == [
        ("Distri Europe", 2, 0, 1, 1),
        ("Other Partner", 1, 1, 0, 0),
        ("Reseller Paris", 1, 1, 0, 0),
        ("Spare Reseller", 0, 0, 0, 0),
    ]


def test_another_program_sees_none_of_this_one(scene: Scene, program: OnboardingProgram) -> None:
    b_admin = scene.world.api("b_admin")
    assert b_admin.get("/onboarding/programs").json()["items"] == []
    assert_problem(
        b_admin.get("/onboarding/organizations", program_id=program.pk), 404, "program_not_found"
    )
    assert_problem(
        b_admin.get("/onboarding/status", organization_id=scene.world.orgs["reseller"].pk),
        404,
        "organization_not_found",
    )
    before = database_state()
    response = b_admin.post("/onboarding/business-events", _deal(scene, external_id="B-1"))
    assert_problem(response, 422, "unknown_reference")
    assert changed_tables(before, database_state()) == []
    with tenant_scope(scene.world.other_tenant):
        assert BusinessEventRecord.objects.count() == 0


def test_status_pages_cost_the_same_queries_for_few_or_many_people(
    scene: Scene, program: OnboardingProgram
) -> None:
    # given
    world = scene.world
    client = world.api("vendor_admin")
    client.get("/onboarding/status")

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/onboarding/status")
        return len(queries), len(response.json()["items"])

    few = count()
    for index in range(20):
        make_member(world, f"extra{index}", world.tenant, world.orgs["dist"], ["learner"])
    # when
    many = count()
    # then
    assert (few[1], many[1]) == (4, 24)
    assert many[0] == few[0]
