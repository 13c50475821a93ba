"""Bad input on every write: always a 4xx problem+json with a stable code, never a 500, and
never anything written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import (
    SINGLE_CHOICE,
    Scene,
    assert_problem,
    changed_tables,
    database_state,
    operations,
    send,
)
from tests.assessments.qti_helpers import QTI_ITEM
from tests.conftest import ApiClient


@dataclass(frozen=True)
class Write:
    method: str
    route: str
    path: Callable[[Scene], str]
    valid: Callable[[Scene], dict[str, Any]]
    wrong_type: dict[str, Any]
    too_long: dict[str, Any] | None = None
    too_long_path: Callable[[Scene], str] | None = None
    expected_success: int = 200
    extra: dict[str, Any] = field(default_factory=dict)
    # Sent as multipart/form-data with a file (uploads); never JSON, so never malformed JSON.
    multipart: bool = False
    # The file a valid upload sends (a PDF unless the upload needs another kind of file).
    upload: Callable[[], SimpleUploadedFile] | None = None


def _fixed(path: str) -> Callable[[Scene], str]:
    return lambda scene: path


def _item(name: str, suffix: str = "") -> Callable[[Scene], str]:
    return lambda s: f"/catalog/studio/items/{getattr(s.content, name).pk}{suffix}"


PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


WRITES = [
    Write(
        "POST",
        "/organizations",
        _fixed("/organizations"),
        lambda s: {"name": "Reseller Lyon", "business_model": "reseller"},
        wrong_type={"tier_id": "gold"},
        too_long={"name": "x" * 201},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/organizations/{organization_id}",
        lambda s: f"/organizations/{s.world.orgs['reseller'].pk}",
        lambda s: {"name": "Reseller Paris Nord"},
        wrong_type={"parent_id": [1]},
        too_long={"country": "FRA"},
    ),
    Write(
        "POST",
        "/tiers",
        _fixed("/tiers"),
        lambda s: {"name": "Platinum", "rank": 4},
        wrong_type={"rank": "four"},
        too_long={"name": "x" * 61},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/tiers/{tier_id}",
        lambda s: f"/tiers/{s.world.structure['gold'].pk}",
        lambda s: {"description": "Top partners"},
        wrong_type={"rank": "high"},
        too_long={"description": "x" * 2001},
    ),
    Write(
        "POST",
        "/regions",
        _fixed("/regions"),
        lambda s: {"name": "APAC", "code": "APAC", "countries": ["JP"]},
        wrong_type={"countries": "JP"},
        too_long={"code": "x" * 21},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/regions/{region_id}",
        lambda s: f"/regions/{s.world.structure['emea'].pk}",
        lambda s: {"name": "Europe"},
        wrong_type={"name": 12},
        too_long={"name": "x" * 61},
    ),
    Write(
        "POST",
        "/specializations",
        _fixed("/specializations"),
        lambda s: {"name": "Data Center", "code": "data-center"},
        wrong_type={"code": 5},
        too_long={"description": "x" * 2001},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/specializations/{specialization_id}",
        lambda s: f"/specializations/{s.world.structure['security'].pk}",
        lambda s: {"description": "Firewalls"},
        wrong_type={"description": True},
        too_long={"code": "x" * 41},
    ),
    Write(
        "POST",
        "/memberships",
        _fixed("/memberships"),
        lambda s: {
            "email": "new.hire@reseller-paris.example",
            "full_name": "New Hire",
            "organization_id": s.world.orgs["reseller"].pk,
            "roles": ["learner"],
        },
        wrong_type={"roles": "learner"},
        too_long={"full_name": "x" * 151},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/memberships/{membership_id}",
        lambda s: f"/memberships/{s.world.memberships['learner'].pk}",
        lambda s: {"job_role": "presales"},
        wrong_type={"roles": ["learner", 3]},
        too_long={"job_role": "presales" * 10},
    ),
    Write(
        "POST",
        "/memberships/{membership_id}/end",
        lambda s: f"/memberships/{s.world.memberships['learner'].pk}/end",
        lambda s: {"reason": "Left the company"},
        wrong_type={"ended_on": "yesterday"},
        too_long={"reason": "x" * 201},
    ),
    Write(
        "POST",
        "/memberships/{membership_id}/reject",
        lambda s: f"/memberships/{s.pending.pk}/reject",
        lambda s: {"reason": "Unknown to us"},
        wrong_type={"reason": 5},
        too_long={"reason": "x" * 201},
    ),
    Write(
        "POST",
        "/invitations",
        _fixed("/invitations"),
        lambda s: {
            "email": "colleague@reseller-paris.example",
            "organization_id": s.world.orgs["reseller"].pk,
            "roles": ["learner"],
        },
        wrong_type={"organization_id": "reseller"},
        too_long={"message": "x" * 1001},
        expected_success=201,
    ),
    Write(
        "POST",
        "/tokens",
        _fixed("/tokens"),
        lambda s: {"name": "Laptop", "scopes": ["people:read"]},
        wrong_type={"scopes": "people:read"},
        too_long={"name": "x" * 101},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/me",
        _fixed("/me"),
        lambda s: {"full_name": "Vendor Administrator"},
        wrong_type={"time_zone": 1},
        too_long={"time_zone": "x" * 65},
    ),
    Write(
        "POST",
        "/notifications/read",
        _fixed("/notifications/read"),
        lambda s: {"all": True},
        wrong_type={"ids": "all"},
        too_long={"all": False, "ids": list(range(1, 502))},
    ),
    Write(
        "PUT",
        "/notification-preferences/{kind}",
        _fixed("/notification-preferences/registration.pending"),
        lambda s: {"in_app": True, "email": False},
        wrong_type={"in_app": "often"},
        too_long_path=_fixed("/notification-preferences/" + "k" * 81),
    ),
    # --- the catalog ---
    Write(
        "POST",
        "/catalog/studio/items",
        _fixed("/catalog/studio/items"),
        lambda s: {"kind": "lesson", "owner_team_id": s.content.team.pk, "title": "Routing"},
        wrong_type={"duration_minutes": "long"},
        too_long={"title": "x" * 201},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/catalog/studio/items/{item_id}",
        _item("draft"),
        lambda s: {"duration_minutes": 20},
        wrong_type={"review_by": "soon"},
        too_long={"duration_minutes": 10_001},
    ),
    Write(
        "PUT",
        "/catalog/studio/items/{item_id}/variants/{locale}",
        _item("draft", "/variants/fr"),
        lambda s: {"title": "Mises à jour du firmware"},
        wrong_type={"title": 5},
        too_long={"summary": "x" * 2001},
    ),
    Write(
        "PUT",
        "/catalog/studio/items/{item_id}/structure",
        _item("draft", "/structure"),
        lambda s: {"children": []},
        wrong_type={"children": "none"},
        too_long={"children": [{"id": n} for n in range(1, 202)]},
    ),
    Write(
        "PUT",
        "/catalog/studio/items/{item_id}/formats",
        _item("draft", "/formats"),
        lambda s: {"formats": [{"kind": "article"}]},
        wrong_type={"formats": [{"kind": "hologram"}]},
        too_long={"formats": [{"kind": "article"}] * 51},
    ),
    Write(
        "PUT",
        "/catalog/studio/items/{item_id}/product-versions",
        _item("draft", "/product-versions"),
        lambda s: {"product_version_ids": [s.content.v8.pk]},
        wrong_type={"product_version_ids": "v8"},
        too_long={"product_version_ids": list(range(1, 202))},
    ),
    Write(
        "POST",
        "/catalog/studio/items/{item_id}/request-changes",
        _item("in_review", "/request-changes"),
        lambda s: {"note": "Add a diagram."},
        wrong_type={"note": ["Add", "a diagram"]},
        too_long={"note": "x" * 2001},
    ),
    Write(
        "POST",
        "/catalog/studio/items/{item_id}/revise",
        _item("gold_lesson", "/revise"),
        lambda s: {"change": "minor", "note": "Fixed a typo."},
        wrong_type={"change": 2},
        too_long={"note": "x" * 2001},
    ),
    Write(
        "PUT",
        "/catalog/studio/items/{item_id}/translations/{locale}",
        _item("translated", "/translations/fr"),
        lambda s: {"title": "Dépanner les tunnels"},
        wrong_type={"body": 1},
        too_long={"title": "x" * 201},
    ),
    Write(
        "POST",
        "/catalog/studio/items/{item_id}/translations/{locale}/review",
        _item("translated", "/translations/de/review"),
        lambda s: {"approve": True},
        wrong_type={"approve": "maybe"},
        too_long={"note": "x" * 2001},
    ),
    Write(
        "POST",
        "/learning/enrollments",
        _fixed("/learning/enrollments"),
        lambda s: {"item_id": s.content.open_lesson.pk},
        wrong_type={"item_id": "basics"},
        too_long={"item_id": 2**63},
        expected_success=201,
    ),
    Write(
        "POST",
        "/learning/enrollments/{enrollment_id}/withdraw",
        lambda s: f"/learning/enrollments/{s.learning.vendor_chosen.pk}/withdraw",
        lambda s: {"reason": "Not now"},
        wrong_type={"reason": 5},
        too_long={"reason": "x" * 301},
    ),
    Write(
        "POST",
        "/learning/assignments",
        _fixed("/learning/assignments"),
        lambda s: {
            "item_id": s.content.open_lesson.pk,
            "membership_ids": [s.world.memberships["partner_admin"].pk],
        },
        wrong_type={"membership_ids": "everyone"},
        too_long={"membership_ids": list(range(1, 502))},
        expected_success=201,
    ),
    Write(
        "POST",
        "/learning/progress/{item_id}/heartbeat",
        lambda s: f"/learning/progress/{s.content.open_lesson.pk}/heartbeat",
        lambda s: {"played_from": 0, "played_to": 10, "position": 10, "duration": 600},
        wrong_type={"duration": "long"},
        too_long={"locale": "x" * 13},
    ),
    Write(
        "POST",
        "/learning/progress/{item_id}/taken",
        lambda s: f"/learning/progress/{s.content.open_lesson.pk}/taken",
        lambda s: {"kind": "article"},
        wrong_type={"kind": 5},
        too_long={"locale": "x" * 13},
    ),
    Write(
        "POST",
        "/learning/rules",
        _fixed("/learning/rules"),
        lambda s: {
            "name": "Basics for everyone",
            "audience_id": s.content.everyone.pk,
            "item_id": s.content.open_lesson.pk,
        },
        wrong_type={"required": "often"},
        too_long={"name": "x" * 121},
        expected_success=201,
    ),
    Write(
        "POST",
        "/catalog/studio/audiences",
        _fixed("/catalog/studio/audiences"),
        lambda s: {"name": "Pilot", "rules": [{}]},
        wrong_type={"rules": "all"},
        too_long={"name": "x" * 121},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/catalog/studio/audiences/{audience_id}",
        lambda s: f"/catalog/studio/audiences/{s.content.gold.pk}",
        lambda s: {"description": "Top partners"},
        wrong_type={"rules": [{"minimum_tier_rank": "gold"}]},
        too_long={"description": "x" * 2001},
    ),
    Write(
        "POST",
        "/catalog/studio/teams",
        _fixed("/catalog/studio/teams"),
        lambda s: {"name": "Marketing"},
        wrong_type={"member_ids": "everyone"},
        too_long={"name": "x" * 81},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/catalog/studio/teams/{team_id}",
        lambda s: f"/catalog/studio/teams/{s.content.team.pk}",
        lambda s: {"name": "Product marketing"},
        wrong_type={"member_ids": ["x"]},
        too_long={"name": "x" * 81},
    ),
    Write(
        "POST",
        "/catalog/studio/product-versions",
        _fixed("/catalog/studio/product-versions"),
        lambda s: {"product_line": "EdgeOS", "name": "9"},
        wrong_type={"released_on": "soon"},
        too_long={"name": "x" * 41},
        expected_success=201,
    ),
    Write(
        "POST",
        "/catalog/studio/product-versions/{version_id}/supersede",
        lambda s: f"/catalog/studio/product-versions/{s.content.v7.pk}/supersede",
        lambda s: {"superseded_by_id": s.content.v8.pk},
        wrong_type={"superseded_by_id": "v8"},
        too_long={"superseded_by_id": 2**63},
    ),
    Write(
        "POST",
        "/catalog/studio/media",
        _fixed("/catalog/studio/media"),
        lambda s: {"kind": "document", "title": "Datasheet"},
        wrong_type={"download_allowed": "often"},
        too_long={"title": "x" * 201},
        expected_success=201,
        multipart=True,
    ),
    Write(
        "PATCH",
        "/catalog/studio/media/{media_id}",
        lambda s: f"/catalog/studio/media/{s.content.guide.pk}",
        lambda s: {"title": "Installation guide v2"},
        wrong_type={"download_allowed": "often"},
        too_long={"title": "x" * 201},
    ),
    Write(
        "POST",
        "/onboarding/business-events",
        _fixed("/onboarding/business-events"),
        lambda s: {
            "key": "deal_registered",
            "external_id": "deal-1",
            "occurred_at": "2026-11-01T09:30:00Z",
            "organization_id": s.world.orgs["reseller"].pk,
        },
        wrong_type={"organization_id": "reseller"},
        too_long={"external_id": "x" * 201},
        expected_success=201,
    ),
]

ASSESSMENT_WRITES = [
    Write(
        "POST",
        "/assessments/competency-domains",
        _fixed("/assessments/competency-domains"),
        lambda s: {"name": "Selling"},
        wrong_type={"position": "first"},
        too_long={"name": "x" * 121},
        expected_success=201,
    ),
    Write(
        "POST",
        "/assessments/competencies",
        _fixed("/assessments/competencies"),
        lambda s: {"domain_id": s.assessments.domain.pk, "name": "Objection handling"},
        wrong_type={"domain_id": "deployment"},
        too_long={"name": "x" * 121},
        expected_success=201,
    ),
    Write(
        "POST",
        "/assessments/banks",
        _fixed("/assessments/banks"),
        lambda s: {"name": "SD-WAN"},
        wrong_type={"description": ["a", "list"]},
        too_long={"description": "x" * 2001},
        expected_success=201,
    ),
    Write(
        "POST",
        "/assessments/items",
        _fixed("/assessments/items"),
        lambda s: {"bank_id": s.assessments.bank.pk, "definition": SINGLE_CHOICE},
        wrong_type={"difficulty": "hard"},
        too_long={"competency_ids": list(range(1, 22))},
        expected_success=201,
    ),
    Write(
        "POST",
        "/assessments/items/{assessment_item_id}/versions",
        lambda s: f"/assessments/items/{s.assessments.item.pk}/versions",
        lambda s: {"definition": SINGLE_CHOICE, "note": "Clearer prompt"},
        wrong_type={"points": "many"},
        too_long={"note": "x" * 301},
        expected_success=201,
    ),
    Write(
        "POST",
        "/assessments/item-preview",
        _fixed("/assessments/item-preview"),
        lambda s: {"definition": SINGLE_CHOICE},
        wrong_type={"definition": "single choice"},
        too_long={"definition": {**SINGLE_CHOICE, "prompt": "x" * 200_001}},
    ),
    Write(
        "POST",
        "/assessments/exams",
        _fixed("/assessments/exams"),
        lambda s: {"name": "Bad input exam", "mode": "fixed"},
        wrong_type={"mode": 3},
        too_long={"name": "x" * 121},
        expected_success=201,
    ),
    Write(
        "PATCH",
        "/assessments/exams/{exam_id}",
        lambda s: f"/assessments/exams/{s.assessments.draft.pk}",
        lambda s: {"name": "Draft check, edited"},
        wrong_type={"rules": "strict"},
        too_long={"description": "x" * 2001},
    ),
    Write(
        "PUT",
        "/assessments/exams/{exam_id}/form",
        lambda s: f"/assessments/exams/{s.assessments.draft.pk}/form",
        lambda s: {"item_ids": [s.assessments.item.pk]},
        wrong_type={"item_ids": "all"},
        too_long={"item_ids": list(range(1, 202))},
    ),
    Write(
        "PUT",
        "/assessments/exams/{exam_id}/blueprint",
        lambda s: f"/assessments/exams/{s.assessments.draft_blueprint.pk}/blueprint",
        lambda s: {"draws": [{"count": 1, "bank_id": s.assessments.bank.pk}]},
        wrong_type={"draws": "many"},
        too_long={"draws": [{"count": 1}] * 51},
    ),
    Write(
        "PUT",
        "/assessments/attempts/{attempt_id}/answers/{position}",
        lambda s: f"/assessments/attempts/{s.assessments.vendor_attempt.pk}/answers/1",
        lambda s: {"response": {"choice": "a"}},
        wrong_type={"response": "a"},
        too_long={"response": {"text": "x" * 20_001}},
    ),
    Write(
        "POST",
        "/assessments/attempts/{attempt_id}/items/{position}/evidence",
        lambda s: f"/assessments/attempts/{s.assessments.vendor_attempt.pk}/items/2/evidence",
        lambda s: {"caption": "Tunnel status"},
        wrong_type={"replaces": "first"},
        too_long={"caption": "x" * 201},
        expected_success=201,
        multipart=True,
    ),
    Write(
        "POST",
        "/assessments/grading-queue/{answer_id}/grade",
        lambda s: f"/assessments/grading-queue/{s.assessments.answer.pk}/grade",
        lambda s: {"levels": {"tunnel": "yes"}},
        wrong_type={"levels": "all"},
        too_long={"comment": "x" * 4001},
    ),
    Write(
        "POST",
        "/assessments/banks/{bank_id}/qti",
        lambda s: f"/assessments/banks/{s.assessments.bank.pk}/qti",
        lambda s: {},
        # The file is the only field: text sent in its place is no file. Files too large or
        # not QTI are the service's to refuse (tests/assessments/test_api_qti.py).
        wrong_type={"file": "bank.zip"},
        too_long={"file": "x" * 300},
        expected_success=201,
        multipart=True,
        upload=lambda: SimpleUploadedFile("mgmt-port.xml", QTI_ITEM),
    ),
]
WRITES += ASSESSMENT_WRITES

MALFORMED = '{"name": "Reseller Lyon",'


def test_every_operation_with_a_body_is_in_the_table() -> None:
    # given
    with_body = {(m, r) for m, r, operation in operations() if "requestBody" in operation}
    # when
    covered = {(w.method, w.route) for w in WRITES}
    # then
    assert with_body == covered


def _id(write: Write) -> str:
    return f"{write.method} {write.route}"


@pytest.fixture
def ready(
    scene: Scene, request: pytest.FixtureRequest, settings: Any, tmp_path: Any
) -> Callable[[Write], Scene]:
    """The scene, with the catalog's content when the write is one of the catalog's (and any
    upload stored in a temporary directory)."""
    settings.MEDIA_ROOT = str(tmp_path)

    def prepare(write: Write) -> Scene:
        if write.route.startswith("/catalog"):
            request.getfixturevalue("catalog")
        if write.route.startswith("/learning"):
            request.getfixturevalue("learning")
        if write.route.startswith("/assessments"):
            request.getfixturevalue("assessments")
        return scene

    return prepare


def _send(client: ApiClient, write: Write, path: str, body: dict[str, Any]) -> Any:
    if not write.multipart:
        return send(client, write.method, path, body)
    upload = write.upload() if write.upload else SimpleUploadedFile("datasheet.pdf", PDF)
    form = {"file": upload, **body}
    return client.client.post(f"/api/v1{path}", form, headers=client.headers)


@pytest.mark.parametrize("write", WRITES, ids=_id)
def test_the_valid_body_is_accepted(ready: Callable[[Write], Scene], write: Write) -> None:
    # The other cases change one thing in this body, so it must pass on its own.
    scene = ready(write)
    response = _send(scene.world.api("vendor_admin"), write, write.path(scene), write.valid(scene))
    assert response.status_code == write.expected_success, response.content


@pytest.mark.parametrize("write", [w for w in WRITES if not w.multipart], ids=_id)
def test_malformed_json_is_a_400(ready: Callable[[Write], Scene], write: Write) -> None:
    # given
    scene = ready(write)
    before = database_state()
    # when
    response = send(scene.world.api("vendor_admin"), write.method, write.path(scene), raw=MALFORMED)
    # then
    assert_problem(response, 400, "malformed_json")
    assert changed_tables(before, database_state()) == []


@pytest.mark.parametrize("write", WRITES, ids=_id)
def test_unknown_fields_are_refused(ready: Callable[[Write], Scene], write: Write) -> None:
    # given
    scene = ready(write)
    before = database_state()
    body = {**write.valid(scene), "colour": "blue"}
    # when
    response = _send(scene.world.api("vendor_admin"), write, write.path(scene), body)
    # then
    problem = assert_problem(response, 422, "invalid_input")
    assert problem["errors"] == [
        {"field": "colour", "message": "Extra inputs are not permitted", "type": "extra_forbidden"}
    ]
    assert changed_tables(before, database_state()) == []


@pytest.mark.parametrize("write", WRITES, ids=_id)
def test_wrong_types_are_refused(ready: Callable[[Write], Scene], write: Write) -> None:
    # given
    scene = ready(write)
    before = database_state()
    body = {**write.valid(scene), **write.wrong_type}
    # when
    response = _send(scene.world.api("vendor_admin"), write, write.path(scene), body)
    # then
    problem = assert_problem(response, 422, "invalid_input")
    wrong_field = next(iter(write.wrong_type))
    assert {e["field"].split(".")[0] for e in problem["errors"]} == {wrong_field}
    assert changed_tables(before, database_state()) == []


@pytest.mark.parametrize("write", WRITES, ids=_id)
def test_too_long_values_are_refused(ready: Callable[[Write], Scene], write: Write) -> None:
    # given
    scene = ready(write)
    before = database_state()
    body = {**write.valid(scene), **(write.too_long or {})}
    path = write.too_long_path(scene) if write.too_long_path else write.path(scene)
    # when
    response = _send(scene.world.api("vendor_admin"), write, path, body)
    # then
    problem = assert_problem(response, 422, "invalid_input")
    expected_field = next(iter(write.too_long)) if write.too_long else "kind"
    if write.route == "/notifications/read":
        expected_field = "ids"
    assert [e["field"] for e in problem["errors"]] == [expected_field]
    assert changed_tables(before, database_state()) == []


# --- rules the services enforce ---------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    label: str
    method: str
    path: Callable[[Scene], str]
    body: Callable[[Scene], dict[str, Any]]
    status: int
    code: str
    principal: str = "vendor_admin"


REFUSALS = [
    Refusal(
        "member e-mail already in the program, in another case",
        "POST",
        _fixed("/memberships"),
        lambda s: {
            "email": "LEARNER@partner.example",
            "full_name": "Learner Again",
            "organization_id": s.world.orgs["other"].pk,
            "roles": ["learner"],
        },
        409,
        "already_member",
    ),
    Refusal(
        "second pending invitation for one e-mail",
        "POST",
        _fixed("/invitations"),
        lambda s: {
            "email": "Invitee@Reseller-Paris.example",
            "organization_id": s.world.orgs["dist"].pk,
            "roles": ["learner"],
        },
        409,
        "duplicate_invitation",
    ),
    Refusal(
        "invitation to the organization the person already belongs to",
        "POST",
        _fixed("/invitations"),
        lambda s: {
            "email": "learner@partner.example",
            "organization_id": s.world.orgs["reseller"].pk,
            "roles": ["learner"],
        },
        409,
        "already_member",
    ),
    Refusal(
        "organization name taken, in another case",
        "POST",
        _fixed("/organizations"),
        lambda s: {"name": "DISTRI europe", "business_model": "reseller"},
        409,
        "duplicate_name",
    ),
    Refusal(
        "organization below its own child",
        "PATCH",
        lambda s: f"/organizations/{s.world.orgs['dist'].pk}",
        lambda s: {"parent_id": s.world.orgs["reseller"].pk},
        422,
        "hierarchy_cycle",
    ),
    Refusal(
        "organization below itself",
        "PATCH",
        lambda s: f"/organizations/{s.world.orgs['dist'].pk}",
        lambda s: {"parent_id": s.world.orgs["dist"].pk},
        422,
        "hierarchy_cycle",
    ),
    Refusal(
        "unknown tier",
        "POST",
        _fixed("/organizations"),
        lambda s: {"name": "Reseller Lyon", "business_model": "reseller", "tier_id": 987654},
        422,
        "unknown_reference",
    ),
    Refusal(
        "unknown specialization",
        "PATCH",
        lambda s: f"/organizations/{s.world.orgs['reseller'].pk}",
        lambda s: {"specialization_ids": [s.world.structure["security"].pk, 987654]},
        422,
        "unknown_reference",
    ),
    Refusal(
        "unknown parent organization",
        "PATCH",
        lambda s: f"/organizations/{s.world.orgs['reseller'].pk}",
        lambda s: {"parent_id": 987654},
        422,
        "unknown_reference",
    ),
    Refusal(
        "tenant B's tier on tenant A",
        "POST",
        _fixed("/organizations"),
        lambda s: {"name": "Reseller Lyon", "business_model": "reseller", "tier_id": s.b_tier.pk},
        422,
        "unknown_reference",
    ),
    Refusal(
        "membership in an unknown organization",
        "POST",
        _fixed("/memberships"),
        lambda s: {
            "email": "new.hire@example.com",
            "full_name": "New Hire",
            "organization_id": 987654,
            "roles": ["learner"],
        },
        404,
        "organization_not_found",
    ),
    Refusal(
        "invitation to tenant B's organization",
        "POST",
        _fixed("/invitations"),
        lambda s: {
            "email": "new.hire@example.com",
            "organization_id": s.world.orgs["b_org"].pk,
            "roles": ["learner"],
        },
        404,
        "organization_not_found",
    ),
    Refusal(
        "vendor role in a partner organization",
        "POST",
        _fixed("/memberships"),
        lambda s: {
            "email": "new.hire@example.com",
            "full_name": "New Hire",
            "organization_id": s.world.orgs["reseller"].pk,
            "roles": ["program_admin"],
        },
        422,
        "role_not_applicable",
    ),
    Refusal(
        "partner admin adding vendor staff",
        "POST",
        _fixed("/memberships"),
        lambda s: {
            "email": "new.hire@example.com",
            "full_name": "New Hire",
            "organization_id": None,
            "roles": ["learner"],
        },
        403,
        "forbidden",
        principal="partner_admin",
    ),
    Refusal(
        "partner admin inviting vendor staff",
        "POST",
        _fixed("/invitations"),
        lambda s: {"email": "new.hire@example.com", "organization_id": None, "roles": ["learner"]},
        403,
        "forbidden",
        principal="partner_admin",
    ),
    Refusal(
        "address that is not an e-mail",
        "POST",
        _fixed("/memberships"),
        lambda s: {
            "email": "not-an-address",
            "full_name": "New Hire",
            "organization_id": None,
            "roles": ["analyst"],
        },
        422,
        "invalid_email",
    ),
    Refusal(
        "membership ending before it started",
        "POST",
        lambda s: f"/memberships/{s.world.memberships['learner'].pk}/end",
        lambda s: {"ended_on": "2001-01-01"},
        422,
        "invalid_date",
    ),
    Refusal(
        "approving an active membership",
        "POST",
        lambda s: f"/memberships/{s.world.memberships['learner'].pk}/approve",
        lambda s: {},
        409,
        "not_pending",
    ),
    Refusal(
        "a program admin dropping their own admin role",
        "PATCH",
        lambda s: f"/memberships/{s.world.memberships['vendor_admin'].pk}",
        lambda s: {"roles": ["analyst"]},
        409,
        "self_demotion",
    ),
    Refusal(
        "token expiring in the past",
        "POST",
        _fixed("/tokens"),
        lambda s: {"name": "Old", "scopes": ["people:read"], "expires_at": "2001-01-01T00:00:00Z"},
        422,
        "invalid_date",
    ),
    Refusal(
        "unknown scope",
        "POST",
        _fixed("/tokens"),
        lambda s: {"name": "Laptop", "scopes": ["everything"]},
        422,
        "invalid_input",
    ),
    Refusal(
        "unknown time zone",
        "PATCH",
        _fixed("/me"),
        lambda s: {"time_zone": "Mars/Olympus"},
        422,
        "invalid_choice",
    ),
    Refusal(
        "unknown notification kind",
        "PUT",
        _fixed("/notification-preferences/weather.report"),
        lambda s: {"in_app": True, "email": True},
        422,
        "invalid_choice",
    ),
    Refusal(
        "ids and all at once",
        "POST",
        _fixed("/notifications/read"),
        lambda s: {"ids": [s.notification.pk], "all": True},
        422,
        "invalid_input",
    ),
    Refusal(
        "tier rank taken",
        "POST",
        _fixed("/tiers"),
        lambda s: {"name": "Gold Plus", "rank": 3},
        409,
        "duplicate",
    ),
    Refusal(
        "deleting a tier in use",
        "DELETE",
        lambda s: f"/tiers/{s.world.structure['gold'].pk}",
        lambda s: {},
        409,
        "in_use",
    ),
    Refusal(
        "deleting an organization people belonged to",
        "DELETE",
        lambda s: f"/organizations/{s.world.orgs['other'].pk}",
        lambda s: {},
        409,
        "has_history",
    ),
    Refusal(
        "a region with a country that is not ISO 3166",
        "POST",
        _fixed("/regions"),
        lambda s: {"name": "Nowhere", "code": "NW", "countries": ["XXX"]},
        422,
        "invalid_country",
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: r.label)
def test_refused_writes_explain_themselves_and_write_nothing(
    scene: Scene, refusal: Refusal
) -> None:
    # given
    before = database_state()
    body = refusal.body(scene) if refusal.method != "DELETE" else None
    # when
    response = send(scene.world.api(refusal.principal), refusal.method, refusal.path(scene), body)
    # then
    assert_problem(response, refusal.status, refusal.code)
    assert changed_tables(before, database_state()) == []


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/people", {"cursor": "not a cursor"}, "cursor"),
        ("/invitations", {"limit": 0}, "limit"),
        ("/audit-log", {"limit": 201}, "limit"),
        ("/notifications", {"cursor": "W10"}, "cursor"),
        ("/people", {"status": "sleeping"}, "status"),
        ("/people", {"q": "x" * 201}, "q"),
        ("/organizations", {"tier_id": "gold"}, "tier_id"),
        ("/catalog/items", {"cursor": "not a cursor"}, "cursor"),
        ("/catalog/items", {"kind": "podcast"}, "kind"),
        ("/catalog/search", {"q": "edge", "limit": 51}, "limit"),
        ("/catalog/product-lines", {"limit": 0}, "limit"),
        ("/catalog/studio/items", {"state": "lost"}, "state"),
        ("/learning/enrollments", {"state": "lost"}, "state"),
        ("/learning/enrollments", {"updated_since": "yesterday"}, "updated_since"),
        ("/learning/enrollments", {"person_id": 2**63}, "person_id"),
        ("/learning/progress", {"limit": 0}, "limit"),
        ("/learning/rules", {"cursor": "W10"}, "cursor"),
        ("/catalog/studio/audiences", {"cursor": "W10"}, "cursor"),
        ("/catalog/studio/teams", {"limit": 201}, "limit"),
        ("/catalog/studio/media", {"kind": "hologram"}, "kind"),
        ("/onboarding/programs", {"limit": 0}, "limit"),
        ("/onboarding/status", {"organization_id": "dist"}, "organization_id"),
        ("/onboarding/organizations", {"cursor": "W10"}, "cursor"),
        ("/assessments/banks", {"cursor": "W10"}, "cursor"),
        ("/assessments/items", {"difficulty": 9}, "difficulty"),
        ("/assessments/items", {"bank_id": "firewall"}, "bank_id"),
    ],
)
def test_bad_list_parameters_are_refused(
    scene: Scene, path: str, params: dict[str, Any], field: str
) -> None:
    # when
    response = scene.world.api("vendor_admin").get(path, **params)
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] in {"invalid_input", "invalid_cursor"}
    assert [e["field"] for e in body["errors"]] == [field]
