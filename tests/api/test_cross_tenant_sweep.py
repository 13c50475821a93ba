"""Tenant isolation, swept over every route the API serves.

Routes are enumerated from the live API, so a new route is swept the day it is added: a route
whose path parameter is not mapped to one of tenant A's objects below, or a list route not mapped
to its model, makes these tests fail until it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django_scopes import scopes_disabled

from cascade.assessments.models import Attempt, AttemptItem, Exam, QuestionBank
from cascade.assessments.models import Item as AssessmentItem
from cascade.audit.models import AuditEntry
from cascade.catalog.item_models import CatalogItem, CatalogTeam, ProductLine
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.models import Audience
from cascade.identity.models import ApiToken, Invitation, Membership
from cascade.learning.models import AssignmentRule, Enrollment, LessonProgress
from cascade.notifications.models import Notification, NotificationPreference
from cascade.tenancy.models import PartnerOrganization, Region, Specialization, Tier
from tests.api.conftest import (
    SINGLE_CHOICE,
    AssessmentScene,
    CatalogScene,
    LearningScene,
    Scene,
    changed_tables,
    database_state,
    operations,
    path_parameters,
    send,
)

# Each path parameter, as one of tenant A's objects.
TENANT_A_OBJECTS: dict[str, Callable[[Scene], int]] = {
    "organization_id": lambda s: s.world.orgs["reseller"].pk,
    "tier_id": lambda s: s.world.structure["gold"].pk,
    "region_id": lambda s: s.world.structure["emea"].pk,
    "specialization_id": lambda s: s.world.structure["security"].pk,
    "person_id": lambda s: s.world.people["learner"].pk,
    "membership_id": lambda s: s.pending.pk,
    "invitation_id": lambda s: s.invitation.pk,
    "token_id": lambda s: s.integration_token.pk,
    # A published item for every partner: only another program could fail to see it.
    "item_id": lambda s: s.content.open_lesson.pk,
    "audience_id": lambda s: s.content.everyone.pk,
    "team_id": lambda s: s.content.team.pk,
    "media_id": lambda s: s.content.guide.pk,
    "version_id": lambda s: s.content.v7.pk,
    "enrollment_id": lambda s: s.learning.chosen.pk,
    "rule_id": lambda s: s.learning.rule.pk,
    "assessment_item_id": lambda s: s.assessments.item.pk,
    "bank_id": lambda s: s.assessments.bank.pk,
    "exam_id": lambda s: s.assessments.exam.pk,
    "attempt_id": lambda s: s.assessments.attempt.pk,
    "answer_id": lambda s: s.assessments.answer.pk,
    # Not an object: a place in the attempt named in the same path.
    "position": lambda s: 1,
    # Not an object: a version number. The item in the same path is what B must not reach.
    "version_number": lambda s: 1,
    # Not an object: a language. The item in the same path is what B must not reach.
    "locale": lambda s: "fr",
}

# Routes whose path parameter names no tenant-owned object, with the reason.
NOT_A_TENANT_OBJECT = {
    ("PUT", "/notification-preferences/{kind}"): (
        "a notification kind is the same word in every tenant; the preference written is the "
        "caller's own, in the caller's tenant (test_preference_written_on_b_stays_in_b)"
    ),
}

# Bodies that pass validation, so that a 404 proves the lookup, not the input check, refused.
VALID_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PATCH", "/organizations/{organization_id}"): {"name": "Taken Over"},
    ("PATCH", "/tiers/{tier_id}"): {"name": "Taken Over"},
    ("PATCH", "/regions/{region_id}"): {"name": "Taken Over"},
    ("PATCH", "/specializations/{specialization_id}"): {"name": "Taken Over"},
    ("PATCH", "/memberships/{membership_id}"): {"roles": ["partner_admin"]},
    ("POST", "/memberships/{membership_id}/end"): {"reason": "Taken over"},
    ("POST", "/memberships/{membership_id}/reject"): {"reason": "Taken over"},
    ("PATCH", "/catalog/studio/items/{item_id}"): {"duration_minutes": 20},
    ("PUT", "/catalog/studio/items/{item_id}/variants/{locale}"): {"title": "Taken over"},
    ("PUT", "/catalog/studio/items/{item_id}/structure"): {"children": []},
    ("PUT", "/catalog/studio/items/{item_id}/formats"): {"formats": []},
    ("PUT", "/catalog/studio/items/{item_id}/product-versions"): {"product_version_ids": []},
    ("POST", "/catalog/studio/items/{item_id}/request-changes"): {"note": "Taken over"},
    ("POST", "/catalog/studio/items/{item_id}/revise"): {"change": "minor", "note": "Taken over"},
    ("PUT", "/catalog/studio/items/{item_id}/translations/{locale}"): {"title": "Taken over"},
    ("POST", "/catalog/studio/items/{item_id}/translations/{locale}/review"): {"approve": True},
    ("PATCH", "/catalog/studio/audiences/{audience_id}"): {"name": "Taken over"},
    ("PATCH", "/catalog/studio/teams/{team_id}"): {"name": "Taken over"},
    ("POST", "/catalog/studio/product-versions/{version_id}/supersede"): {"superseded_by_id": 1},
    ("PATCH", "/catalog/studio/media/{media_id}"): {"title": "Taken over"},
    ("POST", "/learning/enrollments/{enrollment_id}/withdraw"): {"reason": "Taken over"},
    ("POST", "/learning/progress/{item_id}/heartbeat"): {
        "played_from": 0,
        "played_to": 10,
        "position": 10,
        "duration": 600,
    },
    ("POST", "/learning/progress/{item_id}/taken"): {"kind": "article"},
    ("POST", "/assessments/items/{assessment_item_id}/versions"): {
        "definition": SINGLE_CHOICE,
        "note": "Taken over",
    },
    ("PATCH", "/assessments/exams/{exam_id}"): {"name": "Taken over"},
    ("PUT", "/assessments/exams/{exam_id}/form"): {"item_ids": []},
    ("PUT", "/assessments/exams/{exam_id}/blueprint"): {"draws": []},
    ("PUT", "/assessments/attempts/{attempt_id}/answers/{position}"): {"response": {"choice": "a"}},
    ("POST", "/assessments/grading-queue/{answer_id}/grade"): {"levels": {"tunnel": "yes"}},
}

# Uploads, sent as multipart/form-data with a valid file.
MULTIPART_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/assessments/attempts/{attempt_id}/items/{position}/evidence"): {"caption": "x"},
    ("POST", "/assessments/banks/{bank_id}/qti"): {},
}

# What each list route lists, so its ids can be checked against tenant B's rows.
LISTED_MODEL: dict[str, type[models.Model] | None] = {
    "/organizations": PartnerOrganization,
    "/tiers": Tier,
    "/regions": Region,
    "/specializations": Specialization,
    "/people": Membership,
    "/invitations": Invitation,
    "/tokens": ApiToken,
    "/audit-log": AuditEntry,
    "/notifications": Notification,
    "/notification-preferences": None,  # kinds and choices, no rows of anyone else
    "/me": None,  # checked on its own below
    "/catalog/items": CatalogItem,
    # Needs words to find: test_api_catalog_browse checks B finds nothing of A.
    "/catalog/search": None,
    "/catalog/product-lines": ProductLine,
    "/catalog/studio/items": CatalogItem,
    "/catalog/studio/audiences": Audience,
    "/learning/enrollments": Enrollment,
    "/learning/progress": LessonProgress,
    "/learning/rules": AssignmentRule,
    "/catalog/studio/teams": CatalogTeam,
    "/catalog/studio/media": MediaAsset,
    # Tenant A has no program in this scene: test_api_onboarding checks B lists none of A's.
    "/onboarding/programs": None,
    # Rows are people by membership_id: test_api_onboarding checks B reaches none of A's.
    "/onboarding/status": None,
    "/onboarding/organizations": PartnerOrganization,
    # Domains with their competencies, not a page of rows: tests/assessments/test_api_items
    # checks that B's holds none of A's.
    "/assessments/competencies": None,
    "/assessments/banks": QuestionBank,
    "/assessments/items": AssessmentItem,
    "/assessments/exams": Exam,
    "/assessments/attempts": Attempt,
    "/assessments/grading-queue": AttemptItem,
    # Cards keyed by exam_id: tests/assessments/test_api_attempts checks B's hold none of A's.
    "/assessments/my-exams": None,
    # One's own results per competency, no rows of anyone else.
    "/assessments/competency-profile": None,
}


def test_tenant_b_admin_gets_404_for_every_object_of_tenant_a_and_nothing_changes(
    scene: Scene, catalog: CatalogScene, learning: LearningScene, assessments: AssessmentScene
) -> None:
    # given
    b_admin = scene.world.api("b_admin")
    unmapped: list[str] = []
    answers: dict[str, tuple[int, str, str, list[str]]] = {}
    # when
    for method, route, operation in operations():
        parameters = path_parameters(operation)
        if not parameters or (method, route) in NOT_A_TENANT_OBJECT:
            continue
        if any(name not in TENANT_A_OBJECTS for name in parameters):
            unmapped.append(f"{method} {route}")
            continue
        path = route.format(**{name: TENANT_A_OBJECTS[name](scene) for name in parameters})
        body = VALID_BODIES.get((method, route), {}) if "requestBody" in operation else None
        before = database_state()
        if (method, route) in MULTIPART_BODIES:
            form = {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.7\n%%EOF\n")}
            form.update(MULTIPART_BODIES[(method, route)])
            response = b_admin.client.post(f"/api/v1{path}", form, headers=b_admin.headers)
        else:
            response = send(b_admin, method, path, body)
        answers[f"{method} {route}"] = (
            response.status_code,
            response["Content-Type"],
            response.json()["code"] if response.status_code == 404 else "",
            changed_tables(before, database_state()),
        )
    # then
    assert unmapped == [], "Map these path parameters in TENANT_A_OBJECTS (or justify them)"
    with_parameters = [route for _, route, operation in operations() if path_parameters(operation)]
    assert len(answers) == len(with_parameters) - len(NOT_A_TENANT_OBJECT)
    wrong = {
        route: answer
        for route, answer in answers.items()
        if answer[0] != 404 or answer[1] != "application/problem+json" or answer[3] != []
    }
    assert wrong == {}
    assert {code for _, _, code, _ in answers.values()} <= {
        "not_found",
        "organization_not_found",
        "membership_not_found",
        "person_not_found",
        "invitation_not_found",
        "token_not_found",
        "item_not_found",
        "audience_not_found",
        "team_not_found",
        "product_version_not_found",
        "enrollment_not_found",
        "rule_not_found",
        "item_version_not_found",
        "bank_not_found",
    }


def test_preference_written_on_b_stays_in_b(scene: Scene) -> None:
    # given
    b_admin = scene.world.api("b_admin")
    # when
    response = send(
        b_admin,
        "PUT",
        "/notification-preferences/invitation.accepted",
        {"in_app": False, "email": True},
    )
    # then
    assert response.status_code == 200
    with scopes_disabled():
        written = list(NotificationPreference.objects.values_list("tenant_id", "person_id", "kind"))
    assert written == [
        (scene.world.other_tenant.pk, scene.world.people["b_admin"].pk, "invitation.accepted")
    ]


def test_tenant_b_lists_hold_only_tenant_b_rows(
    scene: Scene, catalog: CatalogScene, learning: LearningScene, assessments: AssessmentScene
) -> None:
    # given
    b_admin = scene.world.api("b_admin")
    b_tenant, a_tenant = scene.world.other_tenant, scene.world.tenant
    unmapped: list[str] = []
    leaks: dict[str, list[int]] = {}
    listed: dict[str, int] = {}
    # when
    for method, route, operation in operations():
        if method != "GET" or path_parameters(operation):
            continue
        if route not in LISTED_MODEL:
            unmapped.append(route)
            continue
        model = LISTED_MODEL[route]
        if model is None:
            continue
        response = b_admin.get(route)
        assert response.status_code == 200, (route, response.content)
        body = response.json()
        ids = {item["id"] for item in (body["items"] if isinstance(body, dict) else body)}
        with scopes_disabled():
            tenant_a_ids = set(
                model._base_manager.filter(tenant=a_tenant).values_list("pk", flat=True)
            )
            tenant_b_ids = set(
                model._base_manager.filter(tenant=b_tenant).values_list("pk", flat=True)
            )
        assert tenant_a_ids, f"{route}: tenant A needs rows for the check to mean something"
        listed[route] = len(ids)
        if ids - tenant_b_ids or ids & tenant_a_ids:
            leaks[route] = sorted(ids - tenant_b_ids)
    # then
    assert unmapped == [], "Map these list routes in LISTED_MODEL"
    assert leaks == {}
    assert all(count >= 1 for count in listed.values()), listed
    assert set(listed) == {route for route, model in LISTED_MODEL.items() if model is not None}


def test_me_on_tenant_b_describes_the_b_membership(scene: Scene) -> None:
    # when
    body = scene.world.api("b_admin").get("/me").json()
    # then
    assert body["person"]["id"] == scene.world.people["b_admin"].pk
    assert body["membership"]["id"] == scene.world.memberships["b_admin"].pk


def test_a_token_of_tenant_a_is_refused_on_tenant_b_for_every_route(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    intruder = scene.world.api("vendor_admin", host=scene.world.other_host)
    before = database_state()
    answers: dict[str, tuple[int, str]] = {}
    # when
    for method, route, operation in operations():
        path = route.format(**dict.fromkeys(path_parameters(operation), 1))
        body = {} if "requestBody" in operation else None
        response = send(intruder, method, path, body)
        answers[f"{method} {route}"] = (response.status_code, response.json()["code"])
    # then
    assert set(answers.values()) == {(401, "unauthenticated")}
    assert len(answers) == len(operations())
    assert changed_tables(before, database_state()) == []
