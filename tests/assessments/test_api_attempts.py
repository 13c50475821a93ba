"""Exams, attempts, grading and results over the REST API, as a client would use them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.assessments.exam_services import ExamRules
from cascade.assessments.models import Attempt, AttemptItem, AttemptState
from tests.assessments.exam_helpers import (
    CONFIGURATION,
    EVIDENCE,
    MATCHING,
    MULTIPLE,
    ORDERING,
    SCENARIO,
    SHORT,
    SINGLE,
    fixed_exam,
)
from tests.assessments.test_item_types import SECRETS
from tests.conftest import World

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
EVERY_TYPE = [SINGLE, MULTIPLE, SHORT, ORDERING, MATCHING, SCENARIO, CONFIGURATION, EVIDENCE]


def _start(world: World, exam_id: int, who: str = "learner") -> Any:
    return world.api(who).post(f"/assessments/exams/{exam_id}/attempts")


def _put(world: World, path: str, body: Any, who: str = "learner") -> Any:
    api = world.api(who)
    return api.client.put(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=api.headers
    )


def test_an_author_writes_and_publishes_an_exam_over_the_api(authors: World) -> None:
    author = authors.api("author")
    bank = author.post("/assessments/banks", {"name": "API bank"}).json()
    items = [
        author.post("/assessments/items", {"bank_id": bank["id"], "definition": SINGLE}).json()
        for _ in range(2)
    ]
    created = author.post(
        "/assessments/exams",
        {
            "name": "API exam",
            "mode": "fixed",
            "rules": {"time_limit_minutes": 30, "attempts_limit": 2, "passing_share": "0.8"},
        },
    )
    assert created.status_code == 201, created.json()
    exam_id = created.json()["id"]
    form = _put(
        authors,
        f"/assessments/exams/{exam_id}/form",
        {"item_ids": [i["id"] for i in items]},
        "author",
    )
    assert form.json()["item_ids"] == [items[0]["id"], items[1]["id"]]
    published = author.post(f"/assessments/exams/{exam_id}/publish")
    assert published.json()["state"] == "published"
    again = _put(authors, f"/assessments/exams/{exam_id}/form", {"item_ids": []}, "author")
    assert (again.status_code, again.json()["code"]) == (409, "not_draft")
    listed = author.get("/assessments/exams", state="published").json()
    assert [e["name"] for e in listed["items"]] == ["API exam"]


def test_publishing_an_empty_blueprint_is_a_clear_422(authors: World) -> None:
    author = authors.api("author")
    exam = author.post("/assessments/exams", {"name": "Drawn", "mode": "blueprint"}).json()
    bank = author.post("/assessments/banks", {"name": "Tiny"}).json()
    _put(
        authors,
        f"/assessments/exams/{exam['id']}/blueprint",
        {"draws": [{"count": 3, "bank_id": bank["id"]}]},
        "author",
    )
    refused = author.post(f"/assessments/exams/{exam['id']}/publish")
    assert (refused.status_code, refused.json()["code"]) == (422, "blueprint_short")


def test_a_learner_takes_an_exam_start_resume_answer_submit(authors: World) -> None:
    exam, _ = fixed_exam(
        authors, [SINGLE, SCENARIO], rules=ExamRules(time_limit_minutes=30, shuffle_items=False)
    )
    learner = authors.api("learner")
    cards = learner.get("/assessments/my-exams").json()
    assert [(c["name"], c["can_start"]) for c in cards] == [("Firewall associate", True)]
    with time_machine.travel(NOON, tick=False) as clock:
        started = _start(authors, exam.pk)
        assert started.status_code == 201
        attempt = started.json()
        assert (attempt["remaining_seconds"], len(attempt["items"])) == (1800, 2)
        base = f"/assessments/attempts/{attempt['id']}"
        saved = _put(authors, f"{base}/answers/1", {"response": {"choice": "a"}})
        assert saved.status_code == 200, saved.json()
        step = _put(authors, f"{base}/answers/2", {"response": {"path": ["ask"]}}).json()
        assert step["next_step"]["id"] == "logs"
        clock.shift(timedelta(minutes=10))
        resumed = _start(authors, exam.pk)
        assert resumed.status_code == 200
        body = resumed.json()
        assert (body["id"], body["remaining_seconds"]) == (attempt["id"], 1200)
        assert body["items"][0]["response"] == {"choice": "a"}
        assert body["items"][1]["content"]["step"]["id"] == "logs"
        _put(authors, f"{base}/answers/2", {"response": {"path": ["ask", "check"]}})
        submitted = learner.post(f"{base}/submit")
    assert submitted.status_code == 200
    result = submitted.json()["result"]
    assert (result["share"], result["passed"], result["details_released"]) == (
        "1.0000",
        True,
        True,
    )
    assert result["items"][1]["feedback"] == ["The counters show CRC errors: a bad cable."]
    twice = learner.post(f"{base}/submit")
    assert (twice.status_code, twice.json()["code"]) == (409, "attempt_submitted")
    late = _put(authors, f"{base}/answers/1", {"response": {"choice": "b"}})
    assert (late.status_code, late.json()["code"]) == (409, "attempt_submitted")


def test_bad_answers_get_clear_errors_and_change_nothing(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SINGLE])
    attempt = _start(authors, exam.pk).json()
    base = f"/assessments/attempts/{attempt['id']}"
    not_there = _put(authors, f"{base}/answers/9", {"response": {"choice": "a"}})
    unknown = _put(authors, f"{base}/answers/1", {"response": {"choice": "nope"}})
    malformed = _put(authors, f"{base}/answers/1", {"response": {"choice": ["a"]}})
    extra = _put(authors, f"{base}/answers/1", {"response": {"choice": "a"}, "score": 1})
    assert [(r.status_code, r.json()["code"]) for r in (not_there, unknown, malformed, extra)] == [
        (422, "not_in_attempt"),
        (422, "unknown_option"),
        (422, "invalid_response"),
        (422, "invalid_input"),
    ]
    assert AttemptItem.objects.get(attempt_id=attempt["id"]).response is None


def test_a_late_answer_is_refused_and_the_attempt_is_submitted(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SINGLE], rules=ExamRules(time_limit_minutes=5))
    with time_machine.travel(NOON, tick=False) as clock:
        attempt = _start(authors, exam.pk).json()
        clock.shift(timedelta(minutes=6))
        late = _put(
            authors,
            f"/assessments/attempts/{attempt['id']}/answers/1",
            {"response": {"choice": "a"}},
        )
    assert (late.status_code, late.json()["code"]) == (409, "attempt_timed_out")
    assert Attempt.objects.get(pk=attempt["id"]).state == AttemptState.GRADED


def test_reading_an_attempt_whose_time_ran_out_submits_it(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SINGLE], rules=ExamRules(time_limit_minutes=5))
    with time_machine.travel(NOON, tick=False) as clock:
        attempt = _start(authors, exam.pk).json()
        clock.shift(timedelta(hours=1))
        read = authors.api("learner").get(f"/assessments/attempts/{attempt['id']}").json()
    assert (read["state"], read["timed_out"], read["items"]) == ("graded", True, [])


def test_what_an_attempt_in_progress_serves_holds_no_key_score_branch_or_feedback(
    authors: World,
) -> None:
    # given: an exam with every item type, and an attempt with answers saved on the way
    exam, _ = fixed_exam(authors, EVERY_TYPE)
    learner = authors.api("learner")
    served = [_start(authors, exam.pk), _start(authors, exam.pk)]
    attempt_id = served[0].json()["id"]
    base = f"/assessments/attempts/{attempt_id}"
    served.append(_put(authors, f"{base}/answers/1", {"response": {"choice": "a"}}))
    served.append(_put(authors, f"{base}/answers/6", {"response": {"path": ["ask"]}}))
    served.append(learner.get(base))
    served.append(learner.get("/assessments/my-exams"))
    served.append(learner.get("/assessments/attempts"))
    # then
    for response in served:
        assert response.status_code in (200, 201), response.json()
        text = response.content.decode()
        assert [secret for secret in SECRETS if secret in text] == []
    sheet = served[-3].json()
    scenario = sheet["items"][5]["content"]
    assert scenario["walked"] == [
        {"situation": "The customer is upset. What do you do first?", "chosen": "Ask what changed"}
    ]


def test_feedback_follows_the_exams_policy(authors: World) -> None:
    exam, _ = fixed_exam(
        authors, [SINGLE], rules=ExamRules(feedback_policy="after_passing", shuffle_options=False)
    )
    learner = authors.api("learner")
    attempt = _start(authors, exam.pk).json()
    base = f"/assessments/attempts/{attempt['id']}"
    _put(authors, f"{base}/answers/1", {"response": {"choice": "b"}})
    failed = learner.post(f"{base}/submit").json()["result"]
    assert (failed["passed"], failed["details_released"], failed["items"]) == (False, False, [])
    assert "Plain HTTP" not in json.dumps(failed)
    # The exam's reviewers see the details whatever the policy.
    staff = authors.api("reviewer").get(base).json()["result"]
    assert staff["items"][0]["feedback"] == ["Plain HTTP is disabled."]


def test_attempts_are_private_to_their_person(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SINGLE])
    attempt = _start(authors, exam.pk).json()
    base = f"/assessments/attempts/{attempt['id']}"
    assert authors.api("manager").get(base).status_code == 404
    refused = _put(authors, f"{base}/answers/1", {"response": {"choice": "a"}}, "manager")
    assert refused.status_code == 404
    assert authors.api("manager").post(f"{base}/submit").status_code == 404
    assert authors.api("b_admin").get(base).status_code == 404
    assert AttemptItem.objects.get(attempt_id=attempt["id"]).response is None


def test_evidence_is_uploaded_graded_from_the_queue_and_concludes_the_attempt(
    authors: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    exam, _ = fixed_exam(authors, [EVIDENCE])
    learner = authors.api("learner")
    attempt = _start(authors, exam.pk).json()
    base = f"/assessments/attempts/{attempt['id']}"
    png = SimpleUploadedFile("tunnel.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")
    uploaded = learner.client.post(
        f"/api/v1{base}/items/1/evidence", {"file": png}, headers=learner.headers
    )
    assert uploaded.status_code == 201, uploaded.json()
    file_id = uploaded.json()["id"]
    _put(authors, f"{base}/answers/1", {"response": {"files": [str(file_id)], "note": "Up."}})
    assert learner.post(f"{base}/submit").json()["state"] == "awaiting_grading"
    reviewer = authors.api("reviewer")
    queue = reviewer.get("/assessments/grading-queue").json()["items"]
    assert [(q["exam_name"], q["note"], len(q["files"])) for q in queue] == [
        ("Firewall associate", "Up.", 1)
    ]
    assert "learner" not in json.dumps(queue).lower()
    assert learner.get("/assessments/grading-queue").status_code == 403
    graded = reviewer.post(
        f"/assessments/grading-queue/{queue[0]['id']}/grade",
        {"levels": {"tunnel": "yes", "crypto": "strong"}, "comment": "Clean."},
    )
    assert graded.json()["attempt_state"] == "graded"
    assert reviewer.get("/assessments/grading-queue").json()["items"] == []
    profile = learner.get("/assessments/competency-profile").json()
    assert profile == {"competencies": []}


def test_regrade_and_item_analysis_over_the_api(authors: World) -> None:
    exam, items = fixed_exam(authors, [SINGLE, MULTIPLE], competency_names=["Ports"])
    for name, choice in (("learner", "a"), ("manager", "b"), ("partner_admin", "a")):
        attempt = _start(authors, exam.pk, name).json()
        base = f"/assessments/attempts/{attempt['id']}"
        _put(authors, f"{base}/answers/1", {"response": {"choice": choice}}, name)
        authors.api(name).post(f"{base}/submit")
    reviewer = authors.api("reviewer")
    analysis = reviewer.get(f"/assessments/exams/{exam.pk}/analysis").json()
    assert analysis["attempts"] == 3
    first = next(i for i in analysis["items"] if i["item_id"] == items[0].pk)
    assert first["difficulty"] == pytest.approx(2 / 3)
    assert {c["option_id"]: c["share"] for c in first["choices"]}["b"] == pytest.approx(1 / 3)
    author = authors.api("author")
    author.post(
        f"/assessments/items/{items[0].pk}/versions",
        {
            "definition": {
                **SINGLE,
                "options": [
                    {"id": "a", "text": "443", "correct": True},
                    {"id": "b", "text": "80", "correct": False},
                    {"id": "c", "text": "22"},
                ],
            },
            "note": "Feedback removed",
        },
    )
    report = author.post(f"/assessments/items/{items[0].pk}/regrade").json()
    assert (report["version"], report["attempts_checked"], report["attempts_changed"]) == (2, 3, 0)
    assert (
        authors.api("learner").post(f"/assessments/items/{items[0].pk}/regrade").status_code == 403
    )


def test_a_draft_is_edited_and_a_published_exam_only_closed(authors: World) -> None:
    author = authors.api("author")
    exam = author.post("/assessments/exams", {"name": "Editable", "mode": "fixed"}).json()
    path = f"/assessments/exams/{exam['id']}"
    edited = author.patch(
        path, {"name": "Edited", "rules": {"time_limit_minutes": 20, "passing_share": "0.6"}}
    )
    assert edited.status_code == 200, edited.json()
    body = edited.json()
    assert (body["name"], body["rules"]["time_limit_minutes"], body["rules"]["passing_share"]) == (
        "Edited",
        20,
        "0.600",
    )
    not_yet = author.post(f"{path}/close")
    assert (not_yet.status_code, not_yet.json()["code"]) == (409, "not_published")
    published, _ = fixed_exam(authors, [SINGLE], name="Closing")
    closing = f"/assessments/exams/{published.pk}"
    attempt = _start(authors, published.pk).json()
    frozen = author.patch(closing, {"name": "Renamed"})
    assert (frozen.status_code, frozen.json()["code"]) == (409, "not_draft")
    assert author.post(f"{closing}/close").json()["state"] == "closed"
    # An attempt in progress can still be finished; nobody can start a new one.
    resumed = _start(authors, published.pk)
    assert (resumed.status_code, resumed.json()["id"]) == (200, attempt["id"])
    refused = _start(authors, published.pk, "manager")
    assert (refused.status_code, refused.json()["code"]) == (409, "exam_not_published")
    cards = authors.api("manager").get("/assessments/my-exams").json()
    assert "Closing" not in [c["name"] for c in cards]
    mine = authors.api("learner").get("/assessments/my-exams").json()
    assert [(c["name"], c["in_progress_attempt_id"]) for c in mine] == [("Closing", attempt["id"])]
