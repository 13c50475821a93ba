"""The graders' pages: the blind queue of evidence waiting for a grade, grading one answer with
the rubric, the evidence files, and the item analysis of an exam."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.assessments.attempt_services import attempt_answer, attempt_start, attempt_submit
from cascade.assessments.exam_services import ExamRules
from cascade.assessments.grading_services import evidence_upload
from cascade.assessments.models import Attempt, AttemptItem, AttemptState, Exam
from tests.assessments.exam_helpers import EVIDENCE, MULTIPLE, SINGLE, fixed_exam
from tests.conftest import World, make_member
from tests.web.conftest import queries

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def graders(world: World, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    make_member(world, "analyst", world.tenant, None, ["analyst"], "other")
    return world


def _evidence_exam(world: World, name: str = "Firewall practical") -> Exam:
    exam, _ = fixed_exam(world, [SINGLE, EVIDENCE], name=name, points=[1, 5])
    return exam


def _handed_in(world: World, exam: Exam, who: str = "learner", note: str = "Both up.") -> Attempt:
    actor = world.actor(who)
    attempt = attempt_start(actor=actor, exam=exam)
    attempt_answer(actor=actor, attempt=attempt, position=1, response={"choice": "a"})
    upload = evidence_upload(
        actor=actor,
        attempt=attempt,
        position=2,
        upload=SimpleUploadedFile("tunnel.png", PNG, content_type="image/png"),
    )
    attempt_answer(
        actor=actor,
        attempt=attempt,
        position=2,
        response={"files": [str(upload.pk)], "note": note},
    )
    return attempt_submit(actor=actor, attempt=attempt)


def _waiting(attempt: Attempt) -> AttemptItem:
    return AttemptItem.objects.get(attempt=attempt, needs_grading=True)


# --- the queue -------------------------------------------------------------------------------


def test_the_queue_lists_waiting_evidence_without_naming_anyone(graders: World) -> None:
    # given
    exam = _evidence_exam(graders)
    first = _waiting(_handed_in(graders, exam))
    second = _waiting(_handed_in(graders, exam, who="manager"))
    # when
    response = graders.browser("reviewer").get("/program/grading/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'href="/program/grading/(\d+)/"', html) == [str(first.pk), str(second.pk)]
    assert "Firewall practical" in html
    assert "Upload a screenshot of the working site-to-site tunnel." in html
    for name in ("Learner", "Manager", "learner@partner.example", "manager@partner.example"):
        assert name not in html.split('<main id="main"')[1]


def test_the_queue_queries_do_not_grow_with_its_entries(
    graders: World, django_assert_max_num_queries: Any
) -> None:
    # given
    exam = _evidence_exam(graders)
    _handed_in(graders, exam)
    client = graders.browser("reviewer")
    client.get("/program/grading/")
    few = queries(lambda: client.get("/program/grading/"))
    for who in ("manager", "partner_admin", "other_admin"):
        _handed_in(graders, exam, who=who)
    # when
    many = queries(lambda: client.get("/program/grading/"))
    # then
    assert many == few
    with django_assert_max_num_queries(10):
        client.get("/program/grading/")


def test_people_who_do_not_grade_cannot_open_the_queue_or_an_answer(graders: World) -> None:
    # given
    waiting = _waiting(_handed_in(graders, _evidence_exam(graders)))
    for who in ("learner", "manager", "analyst"):
        client = graders.browser(who)
        # when
        queue = client.get("/program/grading/")
        entry = client.get(f"/program/grading/{waiting.pk}/")
        graded = client.post(
            f"/program/grading/{waiting.pk}/", {"level-tunnel": "yes", "level-crypto": "strong"}
        )
        # then
        assert (queue.status_code, entry.status_code, graded.status_code) == (403, 404, 404), who
    assert AttemptItem.objects.get(pk=waiting.pk).needs_grading


# --- grading ---------------------------------------------------------------------------------


def test_the_grading_page_shows_the_work_and_the_rubric(graders: World) -> None:
    # given
    waiting = _waiting(_handed_in(graders, _evidence_exam(graders), note="Phase 2 is up too."))
    # when
    response = graders.browser("reviewer").get(f"/program/grading/{waiting.pk}/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Upload a screenshot of the working site-to-site tunnel." in html
    assert "Phase 2 is up too." in html
    file_id = waiting.evidence_files.get().pk
    assert f'<a href="/exams/evidence/{file_id}/">tunnel.png</a>' in html
    assert "<legend>Tunnel is up</legend>" in html
    assert "<legend>Strong crypto</legend>" in html
    assert html.count('type="radio" name="level-crypto"') == 3
    assert 'Up, both phases <span class="muted">(3 points)</span>' in html
    assert "Learner" not in html.split('<main id="main"')[1]


def test_a_grade_concludes_the_attempt_and_returns_to_the_queue(graders: World) -> None:
    # given
    attempt = _handed_in(graders, _evidence_exam(graders))
    waiting = _waiting(attempt)
    client = graders.browser("reviewer")
    # when: 3 + 1 of the rubric's 5 points, on an item worth 5
    response = client.post(
        f"/program/grading/{waiting.pk}/",
        {"level-tunnel": "yes", "level-crypto": "ok", "comment": "Use AES-256 next time."},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/program/grading/"
    graded = AttemptItem.objects.get(pk=waiting.pk)
    assert (graded.needs_grading, graded.earned, graded.feedback) == (
        False,
        Decimal("4.000"),
        ["Use AES-256 next time."],
    )
    attempt.refresh_from_db()
    assert (attempt.state, attempt.earned) == (AttemptState.GRADED, Decimal("5.000"))
    queue = client.get("/program/grading/").content.decode()
    assert "Graded: 4 of 5 points." in queue
    assert "Nothing is waiting for a grade." in queue
    # the graded answer reads back as graded, with no form
    page = client.get(f"/program/grading/{waiting.pk}/").content.decode()
    assert "This answer is graded: 4 of 5 points." in page
    assert "<form" not in page.split('<section class="panel" aria-labelledby="rubric-heading">')[1]
    # and the person sees the grader's comment on the result
    result = graders.browser("learner").get(f"/exams/attempts/{attempt.pk}/result/")
    assert "Use AES-256 next time." in result.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level-tunnel": "yes"}, "Choose a level for every criterion: Strong crypto."),
        ({}, "Choose a level for every criterion: Tunnel is up, Strong crypto."),
        ({"level-tunnel": "maybe", "level-crypto": "ok"}, "tunnel: unknown level."),
    ],
)
def test_an_incomplete_or_unknown_grade_is_explained_and_nothing_changes(
    graders: World, data: dict[str, str], message: str
) -> None:
    # given
    waiting = _waiting(_handed_in(graders, _evidence_exam(graders)))
    # when
    response = graders.browser("reviewer").post(
        f"/program/grading/{waiting.pk}/", {**data, "comment": "Kept"}
    )
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert '<div class="error-summary" role="alert"' in html
    assert ">Kept</textarea>" in html
    after = AttemptItem.objects.get(pk=waiting.pk)
    assert (after.needs_grading, after.grading, after.earned) == (True, None, None)


def test_a_second_grade_is_refused_readably(graders: World) -> None:
    waiting = _waiting(_handed_in(graders, _evidence_exam(graders)))
    client = graders.browser("reviewer")
    client.post(f"/program/grading/{waiting.pk}/", {"level-tunnel": "no", "level-crypto": "weak"})
    again = client.post(
        f"/program/grading/{waiting.pk}/", {"level-tunnel": "yes", "level-crypto": "strong"}
    )
    assert again["Location"] == f"/program/grading/{waiting.pk}/"
    assert "This answer has already been graded." in client.get(again["Location"]).content.decode()
    assert AttemptItem.objects.get(pk=waiting.pk).earned == Decimal("0.000")


def test_only_evidence_of_submitted_attempts_is_graded_here(graders: World) -> None:
    # given: a choice answer, and evidence of an attempt still in progress
    attempt = _handed_in(graders, _evidence_exam(graders))
    choice = AttemptItem.objects.get(attempt=attempt, position=1)
    open_attempt = attempt_start(
        actor=graders.actor("manager"), exam=_evidence_exam(graders, "Second practical")
    )
    open_evidence = AttemptItem.objects.get(attempt=open_attempt, position=2)
    client = graders.browser("reviewer")
    # then
    assert client.get(f"/program/grading/{choice.pk}/").status_code == 404
    assert client.get(f"/program/grading/{open_evidence.pk}/").status_code == 404
    assert client.get("/program/grading/999999/").status_code == 404


def test_evidence_files_are_attachments_for_graders(graders: World) -> None:
    waiting = _waiting(_handed_in(graders, _evidence_exam(graders)))
    url = f"/exams/evidence/{waiting.evidence_files.get().pk}/"
    response = graders.browser("reviewer").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tunnel.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert graders.browser("manager").get(url).status_code == 404
    assert graders.browser("reviewer").post(url).status_code == 405


# --- item analysis ---------------------------------------------------------------------------


def _analysed(world: World) -> Exam:
    """An exam of two choice items taken by four people (first attempts)."""
    exam, _ = fixed_exam(
        world,
        [SINGLE, MULTIPLE],
        name="Analysed exam",
        rules=ExamRules(shuffle_items=False, shuffle_options=False),
    )
    answers = {
        "learner": ("a", ["ips", "sdwan"]),
        "manager": ("a", ["ips"]),
        "partner_admin": ("b", ["nat"]),
        "other_admin": ("c", ["ips", "sdwan"]),
    }
    for who, (choice, choices) in answers.items():
        actor = world.actor(who)
        attempt = attempt_start(actor=actor, exam=exam)
        attempt_answer(actor=actor, attempt=attempt, position=1, response={"choice": choice})
        attempt_answer(actor=actor, attempt=attempt, position=2, response={"choices": choices})
        attempt_submit(actor=actor, attempt=attempt)
    return exam


def test_item_analysis_explains_each_question_in_plain_words(graders: World) -> None:
    # given
    exam = _analysed(graders)
    client = graders.browser("reviewer")
    # when
    listed = client.get("/program/grading/analysis/").content.decode()
    page = client.get(f"/program/grading/analysis/{exam.pk}/").content.decode()
    # then
    assert f'<a href="/program/grading/analysis/{exam.pk}/">Analysed exam</a>' in listed
    assert '<dl class="stat"><dt>People</dt><dd>4</dd></dl>' in page
    assert "Which port does the management plane listen on?" in page
    # half chose the key: a question of medium difficulty, each option's share shown
    assert "0.50: of medium difficulty" in page
    assert re.search(r"443 <span class=\"tag tag--passed\">Key</span></th>\s*<td[^>]*>50%", page)
    assert re.search(r"22</th>\s*<td[^>]*>25%", page)
    assert "Fewer than 30 people answered it: read the figures with care." in page
    assert "Reliability" in page


def test_item_analysis_is_for_those_who_read_results(graders: World) -> None:
    exam = _analysed(graders)
    for who in ("learner", "analyst"):
        client = graders.browser(who)
        assert client.get("/program/grading/analysis/").status_code == 403, who
        assert client.get(f"/program/grading/analysis/{exam.pk}/").status_code == 404, who
    assert graders.browser("reviewer").get("/program/grading/analysis/999999/").status_code == 404


def test_item_analysis_queries_do_not_grow_with_attempts(
    graders: World, django_assert_max_num_queries: Any
) -> None:
    exam = _analysed(graders)
    client = graders.browser("reviewer")
    client.get(f"/program/grading/analysis/{exam.pk}/")
    with django_assert_max_num_queries(16):
        assert client.get(f"/program/grading/analysis/{exam.pk}/").status_code == 200
