"""The learner's exam pages: the exams open to them, an exam's rules and start, the player (every
item type, autosave with and without htmx, scenarios walked step by step, evidence uploads, the
server's clock, resuming), submitting, the result as the feedback policy releases it, and the
competency profile. The integrity test takes an attempt of every type through the player and
looks for keys, scores, branches and feedback in everything served before grading."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cascade.assessments.attempt_services import attempt_answer, attempt_start, attempt_submit
from cascade.assessments.exam_services import ExamRules
from cascade.assessments.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    EvidenceFile,
    Exam,
    FeedbackPolicy,
)
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
from tests.conftest import World, make_member
from tests.web.conftest import queries

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTMX = {"HX-Request": "true"}
TRUE_FALSE = {
    "type": "true_false",
    "prompt": "VLAN 1 can be deleted.",
    "statement_is_true": False,
    "feedback_true": "VLAN 1 is the default VLAN.",
}
NUMERIC = {
    "type": "numeric",
    "prompt": "The MTU of the overlay?",
    "answer": 1450,
    "tolerance": 0,
    "unit": "bytes",
}
EVERY_TYPE = [
    SINGLE,
    MULTIPLE,
    TRUE_FALSE,
    NUMERIC,
    SHORT,
    ORDERING,
    MATCHING,
    SCENARIO,
    CONFIGURATION,
    EVIDENCE,
]


@pytest.fixture
def exams(world: World, settings: Any, tmp_path: Path) -> World:
    """The world with an author and a reviewer (who grades), evidence stored under tmp_path."""
    settings.MEDIA_ROOT = str(tmp_path)
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    return world


def _exam(world: World, definitions: list[dict[str, Any]], **kwargs: Any) -> Exam:
    exam, _ = fixed_exam(world, definitions, **kwargs)
    return exam


def _started(world: World, exam: Exam, who: str = "learner") -> Attempt:
    return attempt_start(actor=world.actor(who), exam=exam)


def _answer_url(attempt: Attempt, position: int) -> str:
    return f"/exams/attempts/{attempt.pk}/questions/{position}/"


def _saved(attempt: Attempt, position: int) -> Any:
    return AttemptItem.objects.get(attempt=attempt, position=position).response


# --- my exams --------------------------------------------------------------------------------


def test_my_exams_lists_each_exam_with_attempts_and_why_one_cannot_start(exams: World) -> None:
    # given: an exam never tried, one with its only attempt used, one in its cooldown, one not
    # open yet and one in progress
    learner = exams.actor("learner")
    fresh = _exam(exams, [SINGLE], name="Fresh exam")
    once = _exam(exams, [SINGLE], name="Once only", rules=ExamRules(attempts_limit=1))
    resting = _exam(exams, [SINGLE], name="Cooling down", rules=ExamRules(cooldown_hours=24))
    later = _exam(
        exams,
        [SINGLE],
        name="Opens later",
        rules=ExamRules(opens_at=timezone.now() + timedelta(days=3)),
    )
    going = _exam(exams, [SINGLE], name="Going on")
    for exam in (once, resting):
        attempt = _started(exams, exam)
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
        attempt_submit(actor=learner, attempt=attempt)
    in_progress = _started(exams, going)
    # when
    response = exams.browser("learner").get("/exams/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    cards = dict(
        re.findall(r'<h2 class="exam-card-title"><a href="[^"]+">([^<]+)</a>(.*?)</li>', html, re.S)
    )
    assert f'href="/exams/{fresh.pk}/">Start' in cards["Fresh exam"]
    assert "You have used all 1 attempts at this exam." in cards["Once only"]
    assert "1 of 1" in cards["Once only"]
    assert "100%" in cards["Once only"]
    assert "Passed" in cards["Once only"]
    assert "Wait before trying again" in cards["Cooling down"]
    assert "You can start again on" in cards["Cooling down"]
    assert "This exam has not opened yet." in cards["Opens later"]
    assert f'href="/exams/{later.pk}/"' in html
    assert f'href="/exams/attempts/{in_progress.pk}/">Resume' in cards["Going on"]


def test_my_exams_queries_do_not_grow_with_exams_or_attempts(exams: World) -> None:
    # given
    first = _exam(exams, [SINGLE], name="Exam 0")
    _exam(exams, [SINGLE], name="Exam 1")
    _started(exams, first)
    client = exams.browser("learner")
    client.get("/exams/")
    few = queries(lambda: client.get("/exams/"))
    learner = exams.actor("learner")
    for n in range(2, 8):
        exam = _exam(exams, [SINGLE], name=f"Exam {n}", rules=ExamRules(attempts_limit=1))
        if n % 2:
            attempt_submit(actor=learner, attempt=_started(exams, exam))
        elif n > 4:
            _started(exams, exam)
    # when
    many = queries(lambda: client.get("/exams/"))
    # then
    assert many == few
    html = client.get("/exams/").content.decode()
    assert html.count('class="exam-card"') == 8
    assert html.count("You have used all 1 attempts at this exam.") == 3
    assert html.count(">Resume<") == 2


def test_my_exams_page_stays_within_its_query_budget(
    exams: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        _exam(exams, [SINGLE], name=f"Exam {n}")
    client = exams.browser("learner")
    client.get("/exams/")
    with django_assert_max_num_queries(12):
        assert client.get("/exams/").status_code == 200


# --- an exam's rules and its start -------------------------------------------------------------


def test_the_start_page_shows_the_rules_and_starting_twice_resumes(exams: World) -> None:
    # given
    exam = _exam(
        exams,
        [SINGLE],
        rules=ExamRules(
            time_limit_minutes=30,
            attempts_limit=3,
            cooldown_hours=2,
            passing_share="0.8",
            feedback_policy=FeedbackPolicy.AFTER_PASSING,
        ),
    )
    client = exams.browser("learner")
    # when
    page = client.get(f"/exams/{exam.pk}/").content.decode()
    first = client.post(f"/exams/{exam.pk}/")
    second = client.post(f"/exams/{exam.pk}/")
    # then
    assert "30 minutes from the start" in page
    assert "3 in all; you have used 0." in page
    assert "Wait 2 hours between two attempts." in page
    assert "80% of the points" in page
    assert "once you pass" in page
    attempt = Attempt.objects.get(exam=exam)
    assert first.status_code == 302
    assert first["Location"] == f"/exams/attempts/{attempt.pk}/"
    assert second["Location"] == first["Location"]
    assert "Resume the exam" in client.get(f"/exams/{exam.pk}/").content.decode()


def test_a_refused_start_says_why_and_starts_nothing(exams: World) -> None:
    # given: the only attempt is used
    exam = _exam(exams, [SINGLE], rules=ExamRules(attempts_limit=1))
    attempt_submit(actor=exams.actor("learner"), attempt=_started(exams, exam))
    client = exams.browser("learner")
    # when
    response = client.post(f"/exams/{exam.pk}/")
    # then
    assert response.status_code == 409
    assert "You have used all 1 attempts at this exam." in response.content.decode()
    assert Attempt.objects.filter(exam=exam).count() == 1


def test_drafts_and_other_programs_exams_are_not_found(exams: World) -> None:
    exam = _exam(exams, [SINGLE])
    assert exams.browser("b_admin").get(f"/exams/{exam.pk}/").status_code == 404
    assert exams.browser("b_admin").post(f"/exams/{exam.pk}/").status_code == 404
    assert exams.browser("learner").get("/exams/999999/").status_code == 404
    assert Attempt.objects.count() == 0


# --- the player ------------------------------------------------------------------------------


def test_the_player_shows_every_item_type_with_its_controls(exams: World) -> None:
    # given
    exam = _exam(exams, EVERY_TYPE, rules=ExamRules(time_limit_minutes=45, shuffle_items=False))
    attempt = _started(exams, exam)
    # when
    response = exams.browser("learner").get(f"/exams/attempts/{attempt.pk}/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert re.search(r'data-remaining="(26\d\d|27\d\d)"', html)
    # the navigator: one entry per question, none answered
    assert html.count('class="exam-nav-link is-unanswered"') == 10
    assert '<span id="answered-count">0</span> of 10 answered' in html
    # single choice and true/false: radios in a fieldset whose legend is the question
    assert '<legend class="exam-prompt">Which port does the management plane listen on?' in html
    assert html.count('type="radio" name="choice"') == 3
    assert 'type="radio" name="value" value="true"' in html
    # multiple response: check boxes
    assert html.count('type="checkbox" name="choices"') == 4
    # numeric and short text: labelled text inputs, the unit beside the number
    assert '<label class="exam-prompt" for="q4-value">The MTU of the overlay?</label>' in html
    assert 'inputmode="decimal"' in html
    assert ">bytes</span>" in html
    assert '<label class="exam-prompt" for="q5-text">' in html
    # ordering: every step with keyboard-operable Up and Down buttons
    assert html.count('name="move" value="') == 8
    assert 'aria-disabled="true"' in html
    # matching: a select per prompt
    assert html.count('<select name="pair-') == 3
    # scenario: the first step only, and a button to choose
    assert "The customer is upset. What do you do first?" in html
    assert "They changed the WAN cable yesterday." not in html
    assert "Choose and continue" in html
    # configuration: its fields; evidence: an upload, the rubric's levels without points
    assert 'name="field-vlan"' in html
    assert '<option value="access">access</option>' in html
    assert 'type="file" name="file"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "Up, both phases" in html
    # autosave with htmx on change
    assert html.count('hx-trigger="change, submit"') == 9
    assert html.count('hx-trigger="submit"') == 1


def test_the_player_queries_do_not_grow_with_its_questions(
    exams: World, django_assert_max_num_queries: Any
) -> None:
    # given
    # Both hold evidence: its uploads are one query, whatever the number of questions.
    short = _started(exams, _exam(exams, [SINGLE, EVIDENCE], name="Short"))
    long = _started(exams, _exam(exams, EVERY_TYPE, name="Long"))
    client = exams.browser("learner")
    # Each item version's definition is read once per process, then kept.
    client.get(f"/exams/attempts/{short.pk}/")
    client.get(f"/exams/attempts/{long.pk}/")
    # when
    few = queries(lambda: client.get(f"/exams/attempts/{short.pk}/"))
    many = queries(lambda: client.get(f"/exams/attempts/{long.pk}/"))
    # then
    assert many == few
    with django_assert_max_num_queries(12):
        client.get(f"/exams/attempts/{long.pk}/")


def test_an_htmx_autosave_answers_with_the_status_the_navigator_and_the_clock(
    exams: World,
) -> None:
    # given
    exam = _exam(
        exams, [SINGLE, MULTIPLE], rules=ExamRules(time_limit_minutes=20, shuffle_items=False)
    )
    attempt = _started(exams, exam)
    # when
    response = exams.browser("learner").post(_answer_url(attempt, 1), {"choice": "b"}, headers=HTMX)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert _saved(attempt, 1) == {"choice": "b"}
    assert response["HX-Retarget"] == "#q1-status"
    assert 1190 <= int(response["X-Exam-Remaining"]) <= 1200
    assert html.startswith("Saved at <time")
    assert '<li id="nav-q1" hx-swap-oob="true"><a class="exam-nav-link is-answered"' in html
    assert '<span id="answered-count" hx-swap-oob="innerHTML">1</span>' in html
    assert re.search(r'<span id="save-status" hx-swap-oob="innerHTML">Question 1: saved at', html)


def test_without_javascript_an_answer_comes_back_to_its_question(exams: World) -> None:
    # given
    attempt = _started(exams, _exam(exams, [SINGLE, MULTIPLE]))
    client = exams.browser("learner")
    # when
    response = client.post(_answer_url(attempt, 2), {"choices": ["ips", "nat"]})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/exams/attempts/{attempt.pk}/#q2"
    assert _saved(attempt, 2) == {"choices": ["ips", "nat"]}
    page = client.get(response["Location"]).content.decode()
    assert "Your answer to question 2 is saved." in page
    assert 'value="ips" id="q2-o1" checked' in page
    assert 'value="nat" id="q2-o3" checked' in page


@pytest.mark.parametrize(
    ("definition", "data", "message"),
    [
        (NUMERIC, {"value": "fifteen"}, "“fifteen” is not a number."),
        (NUMERIC, {"value": ""}, "Type a number."),
        (SHORT, {"text": "   "}, "Write an answer."),
        (SINGLE, {"choice": "zzz"}, "Unknown option: zzz."),
        (SINGLE, {}, "Choose an answer."),
        (ORDERING, {"order": ["backup", "upload"]}, "Place every step exactly once."),
        (CONFIGURATION, {"field-mode": "hybrid"}, "mode: not one of its choices."),
        (MATCHING, {"pair-p22": "telnet"}, "Unknown response: telnet."),
        (SCENARIO, {"step": "call", "option": "check"}, "Step call has no option check."),
        (EVIDENCE, {"note": "Here it is"}, "Upload a file first"),
    ],
    ids=lambda value: value["type"] if isinstance(value, dict) and "type" in value else None,
)
def test_bad_answers_are_explained_and_nothing_is_saved(
    exams: World, definition: dict[str, Any], data: dict[str, Any], message: str
) -> None:
    # given
    attempt = _started(exams, _exam(exams, [definition]))
    client = exams.browser("learner")
    # when
    with_htmx = client.post(_answer_url(attempt, 1), data, headers=HTMX)
    without = client.post(_answer_url(attempt, 1), data)
    # then
    assert (with_htmx.status_code, without.status_code) == (422, 422)
    assert message in with_htmx.content.decode()
    page = without.content.decode()
    assert message in page
    assert '<div class="error-summary" role="alert"' in page
    assert '<a href="#q1">Question 1</a>' in page
    assert _saved(attempt, 1) is None
    assert EvidenceFile.objects.count() == 0


def test_a_refused_number_is_shown_as_typed(exams: World) -> None:
    attempt = _started(exams, _exam(exams, [NUMERIC]))
    page = exams.browser("learner").post(_answer_url(attempt, 1), {"value": "14 5o"})
    assert 'value="14 5o"' in page.content.decode()
    assert 'aria-invalid="true"' in page.content.decode()


def test_numbers_are_read_as_people_type_them(exams: World) -> None:
    attempt = _started(exams, _exam(exams, [NUMERIC]))
    exams.browser("learner").post(_answer_url(attempt, 1), {"value": " 1 450,5 "}, headers=HTMX)
    assert _saved(attempt, 1) == {"value": 1450.5}


def test_ordering_steps_move_with_the_buttons_and_the_order_is_saved(exams: World) -> None:
    # given: the steps as shown
    attempt = _started(exams, _exam(exams, [ORDERING]))
    shown = AttemptItem.objects.get(attempt=attempt).presented_order["steps"]
    client = exams.browser("learner")
    # when: the third step moves up, with htmx; then the first moves down, without
    moved_up = client.post(
        _answer_url(attempt, 1), {"order": shown, "move": f"{shown[2]}:up"}, headers=HTMX
    )
    after_up = [shown[0], shown[2], shown[1], shown[3]]
    client.post(_answer_url(attempt, 1), {"order": after_up, "move": f"{after_up[0]}:down"})
    # then
    assert moved_up["HX-Retarget"] == "#q1-body"
    assert "is now step 2 of 4." in moved_up.content.decode()
    assert 'id="q1-body"' in moved_up.content.decode()
    assert _saved(attempt, 1) == {"order": [shown[2], shown[0], shown[1], shown[3]]}


def test_a_scenario_is_walked_a_step_at_a_time(exams: World) -> None:
    # given
    attempt = _started(exams, _exam(exams, [SINGLE, SCENARIO]))
    client = exams.browser("learner")
    # when: the first choice
    first = client.post(_answer_url(attempt, 2), {"step": "call", "option": "ask"}, headers=HTMX)
    # then: the next step replaces the first, the path walked shown above it
    html = first.content.decode()
    assert first["HX-Retarget"] == "#q2-body"
    assert "They changed the WAN cable yesterday." in html
    assert "The customer is upset. What do you do first?" in html
    assert '<span class="scenario-chosen-label">You chose:</span> Ask what changed' in html
    assert "data-focus-here" in html
    assert _saved(attempt, 2) == {"path": ["ask"]}
    assert 'class="exam-nav-link is-started"' in html
    # when: the first step's choice is sent again (a second tab): refused, path unchanged
    again = client.post(_answer_url(attempt, 2), {"step": "call", "option": "reboot"}, headers=HTMX)
    assert again.status_code == 422
    assert "That step was already answered; the case goes on from here." in again.content.decode()
    assert "They changed the WAN cable yesterday." in again.content.decode()
    assert _saved(attempt, 2) == {"path": ["ask"]}
    # when: the last step
    last = client.post(_answer_url(attempt, 2), {"step": "logs", "option": "check"}, headers=HTMX)
    assert "The case has ended. Your path is saved." in last.content.decode()
    assert 'class="exam-nav-link is-answered"' in last.content.decode()
    assert _saved(attempt, 2) == {"path": ["ask", "check"]}
    # and without JavaScript the page shows the path walked
    page = client.get(f"/exams/attempts/{attempt.pk}/").content.decode()
    assert "The case has ended. Your path is saved." in page


def test_evidence_is_uploaded_listed_and_noted(exams: World) -> None:
    # given
    attempt = _started(exams, _exam(exams, [EVIDENCE]))
    client = exams.browser("learner")
    # when: a file is chosen (the form posts at once)
    uploaded = client.post(
        _answer_url(attempt, 1),
        {"file": SimpleUploadedFile("tunnel.png", PNG, content_type="image/png"), "note": ""},
        headers=HTMX,
    )
    # then
    evidence = EvidenceFile.objects.get()
    html = uploaded.content.decode()
    assert uploaded["HX-Retarget"] == "#q1-body"
    assert "“tunnel.png” is uploaded." in html
    assert f'href="/exams/evidence/{evidence.pk}/"' in html
    assert f'value="{evidence.pk}" id="q1-file-{evidence.pk}" checked' in html
    assert _saved(attempt, 1) == {"files": [str(evidence.pk)], "note": ""}
    # when: the note is written
    client.post(
        _answer_url(attempt, 1),
        {"files": [str(evidence.pk)], "note": "Both phases up."},
        headers=HTMX,
    )
    assert _saved(attempt, 1) == {"files": [str(evidence.pk)], "note": "Both phases up."}
    # a file of a type the item does not take is refused readably, and not stored
    refused = client.post(
        _answer_url(attempt, 1),
        {"file": SimpleUploadedFile("notes.txt", b"plain words", content_type="image/png")},
        headers=HTMX,
    )
    assert refused.status_code == 422
    assert "This type of file is not accepted here" in refused.content.decode()
    assert EvidenceFile.objects.count() == 1


def test_evidence_files_go_to_their_owner_and_graders_only(exams: World) -> None:
    # given
    attempt = _started(exams, _exam(exams, [EVIDENCE]))
    exams.browser("learner").post(
        _answer_url(attempt, 1),
        {"file": SimpleUploadedFile("tunnel.png", PNG, content_type="image/png")},
    )
    url = f"/exams/evidence/{EvidenceFile.objects.get().pk}/"
    # when
    owner = exams.browser("learner").get(url)
    grader = exams.browser("reviewer").get(url)
    # then
    assert owner.status_code == grader.status_code == 200
    assert b"".join(owner.streaming_content) == PNG
    assert owner["Content-Disposition"] == 'attachment; filename="tunnel.png"'
    assert owner["X-Content-Type-Options"] == "nosniff"
    assert owner["Content-Type"] == "image/png"
    for stranger in ("manager", "partner_admin", "b_admin"):
        assert exams.browser(stranger).get(url).status_code == 404, stranger


# --- the clock, resuming and submitting ------------------------------------------------------


def test_reopening_the_attempt_shows_the_same_questions_answers_and_time_left(
    exams: World,
) -> None:
    # given: a shuffled exam, one answer saved, then the connection lost for ten minutes
    exam = _exam(
        exams,
        [SINGLE, MULTIPLE, ORDERING],
        rules=ExamRules(time_limit_minutes=30, shuffle_items=True, shuffle_options=True),
    )
    client = exams.browser("learner")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.post(f"/exams/{exam.pk}/")
        attempt = Attempt.objects.get(exam=exam)
        single = AttemptItem.objects.get(attempt=attempt, item__type="single_choice")
        client.post(_answer_url(attempt, single.position), {"choice": "c"}, headers=HTMX)
        before = client.get(f"/exams/attempts/{attempt.pk}/").content.decode()
        clock.shift(timedelta(minutes=10))
        # when
        resumed = client.post(f"/exams/{exam.pk}/")
        after = client.get(resumed["Location"]).content.decode()
    # then
    assert resumed["Location"] == f"/exams/attempts/{attempt.pk}/"
    assert 'data-remaining="1200"' in after
    assert f'value="c" id="q{single.position}-o' in after
    assert re.search(r'value="c" id="q\d-o\d" checked', after)

    def layout(html: str) -> list[str]:
        return re.findall(r'(?:name="(?:choice|choices|order)" value="[^"]+")', html)

    assert layout(after) == layout(before)


def test_a_save_after_the_deadline_is_refused_and_the_page_goes_to_the_result(
    exams: World,
) -> None:
    # given
    exam = _exam(
        exams, [SINGLE, MULTIPLE], rules=ExamRules(time_limit_minutes=10, shuffle_items=False)
    )
    client = exams.browser("learner")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        attempt = _started(exams, exam)
        client.post(_answer_url(attempt, 1), {"choice": "a"}, headers=HTMX)
        clock.shift(timedelta(minutes=10, seconds=30))
        # when
        late = client.post(_answer_url(attempt, 2), {"choices": ["ips"]}, headers=HTMX)
    # then
    result_url = f"/exams/attempts/{attempt.pk}/result/"
    assert (late.status_code, late["HX-Redirect"]) == (204, result_url)
    attempt.refresh_from_db()
    assert (attempt.state, attempt.timed_out) == (AttemptState.GRADED, True)
    assert _saved(attempt, 2) is None
    page = client.get(result_url).content.decode()
    assert "Time is up: your answers saved before the deadline were submitted." in page
    # the player of a submitted attempt leads to its result
    assert client.get(f"/exams/attempts/{attempt.pk}/")["Location"] == result_url


def test_opening_an_attempt_whose_time_ran_out_submits_it(exams: World) -> None:
    exam = _exam(exams, [SINGLE], rules=ExamRules(time_limit_minutes=5))
    client = exams.browser("learner")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        attempt = _started(exams, exam)
        clock.shift(timedelta(minutes=6))
        response = client.get(f"/exams/attempts/{attempt.pk}/")
    assert response["Location"] == f"/exams/attempts/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert (attempt.state, attempt.timed_out) == (AttemptState.GRADED, True)


def test_submitting_lists_the_open_questions_then_shows_the_result(exams: World) -> None:
    # given: the first question answered, a scenario started, the third untouched
    attempt = _started(exams, _exam(exams, [SINGLE, SCENARIO, MULTIPLE]))
    client = exams.browser("learner")
    client.post(_answer_url(attempt, 1), {"choice": "a"})
    client.post(_answer_url(attempt, 2), {"step": "call", "option": "ask"})
    # when
    confirm = client.get(f"/exams/attempts/{attempt.pk}/submit/").content.decode()
    submitted = client.post(f"/exams/attempts/{attempt.pk}/submit/")
    again = client.post(f"/exams/attempts/{attempt.pk}/submit/")
    # then
    assert "You answered 1 of 3 questions." in confirm
    assert "2 questions are not answered." in confirm
    assert (
        f'href="/exams/attempts/{attempt.pk}/#q2">Question 2</a>: the case is not finished'
        in confirm
    )
    assert f'href="/exams/attempts/{attempt.pk}/#q3">Question 3</a>: not answered' in confirm
    result_url = f"/exams/attempts/{attempt.pk}/result/"
    assert submitted["Location"] == again["Location"] == result_url
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    page = client.get(result_url).content.decode()
    assert "Your answers are submitted." in page


def test_the_timer_submits_when_time_is_up(exams: World) -> None:
    attempt = _started(exams, _exam(exams, [SINGLE], rules=ExamRules(time_limit_minutes=5)))
    client = exams.browser("learner")
    response = client.post(f"/exams/attempts/{attempt.pk}/submit/", {"reason": "time_up"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Time is up: your answers saved before the deadline were submitted." in page


def test_other_peoples_attempts_are_not_found_and_nothing_changes(exams: World) -> None:
    # given
    attempt = _started(exams, _exam(exams, [SINGLE]))
    paths = [
        f"/exams/attempts/{attempt.pk}/",
        _answer_url(attempt, 1),
        f"/exams/attempts/{attempt.pk}/submit/",
        f"/exams/attempts/{attempt.pk}/result/",
    ]
    for who in ("manager", "partner_admin", "b_admin"):
        client = exams.browser(who)
        for path in paths:
            # when
            got = client.get(path)
            posted = client.post(path, {"choice": "a"})
            # then
            assert got.status_code in (404, 405), (who, path)
            assert posted.status_code in (404, 405), (who, path)
    attempt.refresh_from_db()
    assert (attempt.state, _saved(attempt, 1)) == (AttemptState.IN_PROGRESS, None)
    # vendor staff who read results see the result page, never the player
    reviewer = exams.browser("reviewer")
    assert reviewer.get(f"/exams/attempts/{attempt.pk}/").status_code == 404
    assert reviewer.get(f"/exams/attempts/{attempt.pk}/result/").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(exams: World) -> None:
    attempt = _started(exams, _exam(exams, [SINGLE]))
    response = exams.browser().get(f"/exams/attempts/{attempt.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


# --- the result ------------------------------------------------------------------------------


def _taken(world: World, policy: str, choice: str) -> Attempt:
    explained = {**SINGLE, "explanation": "The management plane only speaks HTTPS."}
    exam = _exam(
        world,
        [explained, MULTIPLE],
        name=f"Policy {policy} {choice}",
        rules=ExamRules(feedback_policy=policy, shuffle_items=False, shuffle_options=False),
        competency_names=["Ports", "Licences"],
    )
    learner = world.actor("learner")
    attempt = _started(world, exam)
    attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": choice})
    attempt_answer(
        actor=learner, attempt=attempt, position=2, response={"choices": ["ips", "sdwan"]}
    )
    return attempt_submit(actor=learner, attempt=attempt)


def test_the_result_shows_score_competencies_and_released_feedback(exams: World) -> None:
    # given
    attempt = _taken(exams, FeedbackPolicy.AFTER_SUBMISSION, "b")
    # when
    page = exams.browser("learner").get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    # then
    assert '<span class="result-percent">50%</span>' in page
    assert "Not passed" in page
    assert "1 of 2 points. The pass mark is 70%" in page
    assert re.search(r"Policy after_submission b: Ports</th>\s*<td[^>]*>0%", page)
    assert re.search(r"Policy after_submission b: Licences</th>\s*<td[^>]*>100%", page)
    assert "Plain HTTP is disabled." in page
    assert "The management plane only speaks HTTPS." in page
    assert "0 of 1 point" in page
    assert "1 of 1 point" in page


@pytest.mark.parametrize(
    ("policy", "choice", "words"),
    [
        (FeedbackPolicy.NONE, "b", "This exam shows the score only"),
        (FeedbackPolicy.AFTER_PASSING, "b", "shown once you pass this exam"),
    ],
)
def test_feedback_is_withheld_as_the_exam_says(
    exams: World, policy: str, choice: str, words: str
) -> None:
    attempt = _taken(exams, policy, choice)
    page = exams.browser("learner").get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    assert words in page
    assert "Plain HTTP is disabled." not in page
    assert "The management plane only speaks HTTPS." not in page
    assert '<span class="result-percent">50%</span>' in page


def test_evidence_waiting_for_a_grader_is_said_to_be_waiting(exams: World) -> None:
    # given
    attempt = _started(exams, _exam(exams, [SINGLE, EVIDENCE]))
    client = exams.browser("learner")
    client.post(_answer_url(attempt, 1), {"choice": "a"})
    client.post(
        _answer_url(attempt, 2),
        {"file": SimpleUploadedFile("tunnel.png", PNG, content_type="image/png")},
    )
    client.post(f"/exams/attempts/{attempt.pk}/submit/")
    # when
    page = client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    # then
    assert "Awaiting grading" in page
    assert "Your score appears here once it is graded." in page
    assert "result-percent" not in page


def test_the_competency_profile_lists_latest_and_best_by_domain(exams: World) -> None:
    _taken(exams, FeedbackPolicy.AFTER_SUBMISSION, "b")
    _taken(exams, FeedbackPolicy.NONE, "a")
    page = exams.browser("learner").get("/exams/competencies/").content.decode()
    assert "Policy after_submission b skills" in page
    assert re.search(r"Policy none a: Ports</th>\s*<td[^>]*>.*?100%", page, re.S)
    empty = exams.browser("manager").get("/exams/competencies/").content.decode()
    assert "No competency measured yet." in empty


# --- integrity: nothing of the key reaches the browser before grading -------------------------

SECRET_SINGLE = {
    **SINGLE,
    "explanation": "EXPLAIN-single",
    "options": [
        {"id": "a", "text": "443", "correct": True, "feedback": "FEEDBACK-single-right"},
        {"id": "b", "text": "80", "feedback": "FEEDBACK-single-wrong"},
    ],
}
SECRET_MULTIPLE = {
    **MULTIPLE,
    "options": [
        {"id": "ips", "text": "IPS", "correct": True, "feedback": "FEEDBACK-multiple"},
        {"id": "nat", "text": "NAT"},
    ],
}
SECRET_TRUE_FALSE = {
    **TRUE_FALSE,
    "feedback_true": "FEEDBACK-tf-true",
    "feedback_false": "FEEDBACK-tf-false",
}
SECRET_NUMERIC = {**NUMERIC, "answer": 1437.5, "tolerance": 0.0625}
SECRET_SHORT = {
    **SHORT,
    "accepted": [
        {"value": "route-secret-answer"},
        {"match": "pattern", "value": "secret-pattern-[0-9]+", "credit": 0.5},
    ],
}
SECRET_SCENARIO = {
    "type": "scenario",
    "prompt": "A customer calls.",
    "start": "first-step",
    "steps": [
        {
            "id": "first-step",
            "situation": "What do you do first?",
            "options": [
                {"id": "ask", "text": "Ask", "next": "hidden-branch-step", "score": 2.375},
                {
                    "id": "reboot",
                    "text": "Reboot",
                    "score": -1.125,
                    "feedback": "FEEDBACK-scenario-reboot",
                },
            ],
        },
        {
            "id": "hidden-branch-step",
            "situation": "SITUATION-only-after-ask",
            "options": [
                {"id": "check", "text": "Check", "score": 3.625, "feedback": "FEEDBACK-check"},
                {"id": "escalate", "text": "Escalate", "score": 1.875},
            ],
        },
    ],
}
SECRET_CONFIGURATION = {
    "type": "configuration",
    "prompt": "Configure the guest VLAN.",
    "fields": [
        {
            "id": "vlan",
            "label": "VLAN id",
            "kind": "number",
            "check": "range",
            "minimum": 4321,
            "maximum": 4399,
            "points": 7.125,
            "feedback": "FEEDBACK-config-range",
        },
        {"id": "name", "label": "VLAN name", "check": "equals", "value": "expected-secret-value"},
        {"id": "tag", "label": "Tag", "check": "pattern", "value": "cfg-secret-[a-z]+"},
    ],
}
SECRET_EVIDENCE = {
    "type": "evidence",
    "prompt": "Upload a screenshot.",
    "rubric": [
        {
            "id": "tunnel",
            "title": "Tunnel is up",
            "levels": [
                {"id": "no", "label": "Not shown", "points": 0},
                {"id": "yes", "label": "Up", "points": 6.625},
            ],
        },
        {
            "id": "crypto",
            "title": "Crypto",
            "levels": [
                {"id": "weak", "label": "Weak", "points": 0},
                {"id": "strong", "label": "Strong", "points": 3.375},
            ],
        },
    ],
}
INTEGRITY_TYPES = [
    SECRET_SINGLE,
    SECRET_MULTIPLE,
    SECRET_TRUE_FALSE,
    SECRET_NUMERIC,
    SECRET_SHORT,
    ORDERING,
    MATCHING,
    SECRET_SCENARIO,
    SECRET_CONFIGURATION,
    SECRET_EVIDENCE,
]
# Keys, scores, branches, accepted answers, rules and feedback of the definitions above, and the
# JSON names that would carry them.
NEVER_SERVED = [
    "FEEDBACK-",
    "EXPLAIN-",
    "1437.5",
    "0.0625",
    "route-secret-answer",
    "secret-pattern",
    "2.375",
    "1.125",
    "3.625",
    "1.875",
    "4321",
    "4399",
    "7.125",
    "expected-secret-value",
    "cfg-secret",
    "6.625",
    "3.375",
    '"correct"',
    '"score"',
    '"key"',
    '"next"',
    '"accepted"',
    '"points"',
    "data-correct",
    "data-score",
    "statement_is_true",
]
# Where the scenario's first option leads, until the learner goes there.
BRANCH = ["hidden-branch-step", "SITUATION-only-after-ask"]


def _leaks(body: bytes, extra: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    text = body.decode()
    return [secret for secret in [*NEVER_SERVED, *extra] if secret in text]


def test_nothing_of_the_key_is_served_while_an_attempt_of_every_type_is_taken(
    exams: World,
) -> None:
    # given
    exam = _exam(
        exams,
        INTEGRITY_TYPES,
        rules=ExamRules(time_limit_minutes=60, shuffle_items=False, shuffle_options=False),
    )
    client = exams.browser("learner")
    served: list[tuple[str, bytes, list[str]]] = []

    def keep(label: str, response: Any, extra: list[str] = ()) -> Any:  # type: ignore[assignment]
        assert response.status_code in (200, 302, 422), (label, response.status_code)
        served.append((label, response.content, list(extra)))
        return response

    # when: every page and fragment of the attempt, answers right, wrong and refused
    keep("my exams", client.get("/exams/"), BRANCH)
    keep("start page", client.get(f"/exams/{exam.pk}/"), BRANCH)
    attempt = Attempt.objects.get(
        pk=int(client.post(f"/exams/{exam.pk}/")["Location"].split("/")[3])
    )
    url = f"/exams/attempts/{attempt.pk}/"
    keep("player", client.get(url), BRANCH)
    posts: list[tuple[int, dict[str, Any]]] = [
        (1, {"choice": "a"}),
        (1, {"choice": "b"}),
        (1, {"choice": "nope"}),
        (2, {"choices": ["ips", "nat"]}),
        (3, {"value": "true"}),
        (4, {"value": "1500"}),
        (4, {"value": "abc"}),
        (5, {"text": "route-secret"}),
        (5, {"text": ""}),
        (6, {"order": ["verify", "reboot", "backup", "upload"], "move": "reboot:up"}),
        (7, {"pair-p22": "ssh", "pair-p53": "https"}),
        (9, {"field-vlan": "4300", "field-name": "guest", "field-tag": "x"}),
        (
            10,
            {
                "file": SimpleUploadedFile("shot.png", PNG, content_type="image/png"),
                "note": "Tunnel up",
            },
        ),
    ]
    for position, data in posts:
        for headers in (HTMX, {}):
            if "file" in data:
                data["file"].seek(0)
            keep(
                f"answer {position}",
                client.post(_answer_url(attempt, position), data, headers=headers),
                BRANCH,
            )
    keep("player, answered", client.get(url), BRANCH)
    keep(
        "scenario step 1",
        client.post(_answer_url(attempt, 8), {"step": "first-step", "option": "ask"}, headers=HTMX),
    )
    keep(
        "scenario refused",
        client.post(
            _answer_url(attempt, 8), {"step": "first-step", "option": "reboot"}, headers=HTMX
        ),
    )
    keep("player, mid-case", client.get(url))
    keep(
        "scenario step 2",
        client.post(_answer_url(attempt, 8), {"step": "hidden-branch-step", "option": "check"}),
    )
    keep("player, case ended", client.get(url))
    keep("submit page", client.get(f"{url}submit/"))
    keep("submitted", client.post(f"{url}submit/"))
    # evidence waits for a grader: the result is not released yet
    keep("result before grading", client.get(f"{url}result/"))
    # then
    assert len(served) == 38
    leaks = [(label, _leaks(body, extra)) for label, body, extra in served]
    assert [(label, found) for label, found in leaks if found] == []
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.AWAITING_GRADING


def test_every_secret_looked_for_is_in_the_definitions() -> None:
    """The integrity test looks for things that are there to find."""
    everything = json.dumps(INTEGRITY_TYPES)
    looked_for = [s for s in [*NEVER_SERVED, *BRANCH] if not s.startswith("data-")]
    assert [secret for secret in looked_for if secret not in everything] == []
