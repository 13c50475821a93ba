"""Browser journeys through exams: a learner takes a timed exam with a scenario using the keyboard
only, reloads half-way and finds their answers and time kept, submits and reads the feedback; a
learner on a phone answers every kind of question, loses the connection for a moment and carries
on; the page submits by itself when time runs out; a grader grades evidence. Axe finds no
violation at all on the player, the submit page, the result and the grading pages."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled

from cascade.assessments.attempt_services import attempt_answer, attempt_start, attempt_submit
from cascade.assessments.exam_services import ExamRules
from cascade.assessments.grading_services import evidence_upload
from cascade.assessments.models import Attempt, AttemptItem, AttemptState, Exam
from cascade.core.scoping import tenant_scope
from tests.assessments.exam_helpers import fixed_exam
from tests.browser.conftest import check_page, sign_in
from tests.conftest import World, make_member
from tests.web.test_views_exam_player import (
    EVIDENCE,
    MATCHING,
    MULTIPLE,
    NUMERIC,
    ORDERING,
    SCENARIO,
    SHORT,
    SINGLE,
    TRUE_FALSE,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ORDER = ["backup", "upload", "verify", "reboot"]
STEP_TEXT = {
    "backup": "Back up the configuration",
    "upload": "Upload the image",
    "verify": "Verify the checksum",
    "reboot": "Reboot",
}


@pytest.fixture
def examiners(live_world: World, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    with scopes_disabled():
        make_member(live_world, "author", live_world.tenant, None, ["content_author"], "other")
        make_member(live_world, "reviewer", live_world.tenant, None, ["reviewer"], "other")
    return live_world


def _exam(
    world: World,
    definitions: list[dict[str, Any]],
    name: str,
    points: list[int] | None = None,
    competency_names: tuple[str, ...] = (),
    **rules: Any,
) -> Exam:
    with tenant_scope(world.tenant):
        exam, _ = fixed_exam(
            world,
            definitions,
            name=name,
            points=points,
            competency_names=competency_names,
            rules=ExamRules(shuffle_items=False, shuffle_options=False, **rules),
        )
    return exam


def _saved(world: World, exam: Exam, position: int) -> Any:
    with tenant_scope(world.tenant):
        return AttemptItem.objects.get(attempt__exam=exam, position=position).response


def axe_clean(page: Any, name: str) -> None:
    """No axe-core violation of any impact, and photographs of the page in /tmp/shots."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("networkidle")
    violations = Axe().run(page).response["violations"]
    for violation in violations:
        print(f"[{name}] {violation['impact']} {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            print("   ", node["target"], node.get("failureSummary", "")[:300])
    assert [v["id"] for v in violations] == [], f"accessibility violations on {name}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def tab_to(page: Any, locator: Any, limit: int = 80) -> None:
    """Press Tab until `locator` has the focus (it must be reachable by keyboard)."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} cannot be reached with Tab")


def focused_id(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def wait_saved(page: Any, position: int) -> None:
    page.locator(f"#q{position}-status").get_by_text("Saved at").wait_for()


def test_a_learner_takes_a_scenario_exam_with_the_keyboard_only(
    examiners: World, page: Any
) -> None:
    # given: a timed exam of a single choice, a scenario, an ordering and a number
    exam = _exam(
        examiners,
        [SINGLE, SCENARIO, ORDERING, NUMERIC],
        "Branch office troubleshooting",
        competency_names=("Diagnosis", "Upgrades"),
        time_limit_minutes=30,
    )
    sign_in(page, examiners.people["learner"].email)
    # when: from the list of exams to the start, by keyboard
    page.goto("/exams/")
    axe_clean(page, "exams-list")
    tab_to(page, page.get_by_role("link", name="Start Branch office troubleshooting"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="The rules").wait_for()
    axe_clean(page, "exam-start")
    tab_to(page, page.get_by_role("button", name="Start the exam"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Question 1 of 4").wait_for()
    check_page(page, "exam-player")
    axe_clean(page, "exam-player")
    # question 1: into the radio group, Space chooses, the arrows change the choice (each saved)
    tab_to(page, page.get_by_label("443"))
    page.keyboard.press("Space")
    wait_saved(page, 1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.wait_for_function("!document.querySelector('form.htmx-request')")
    page.locator("#save-status").get_by_text("Question 1: saved at").wait_for()
    page.wait_for_timeout(300)
    assert _saved(examiners, exam, 1) == {"choice": "a"}
    assert page.locator("#nav-q1 a").get_attribute("class") == "exam-nav-link is-answered"
    # question 2, the scenario: choose, then confirm; the next step replaces it and has focus
    tab_to(page, page.get_by_label("Ask what changed"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Choose and continue"))
    page.keyboard.press("Enter")
    page.get_by_text("They changed the WAN cable yesterday.").wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'q2-step'")
    assert "Ask what changed" in page.locator(".scenario-walked").inner_text()
    assert "Reboot the device" not in page.content()
    remaining_before = int(page.locator("#exam-timer").get_attribute("data-remaining"))
    # the connection drops, the page is reloaded: same questions, answers and time
    page.wait_for_timeout(1500)
    page.reload()
    assert page.get_by_label("443").is_checked()
    assert "They changed the WAN cable yesterday." in page.locator("#q2-body").inner_text()
    remaining_after = int(page.locator("#exam-timer").get_attribute("data-remaining"))
    assert remaining_after <= remaining_before
    assert remaining_after > 29 * 60 - 60
    assert re.fullmatch(r"2\d:\d\d", page.locator("[data-clock]").inner_text())
    # the case goes on to its end
    tab_to(page, page.get_by_label("Check the interface counters"))
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused_id(page) == "q2-save"
    page.keyboard.press("Enter")
    page.get_by_text("The case has ended. Your path is saved.").wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'q2-end'")
    # question 3: each step moved up with its button; focus stays on the button moved
    for target, step in enumerate(ORDER):
        while True:
            texts = page.locator("#q3-body .exam-order-text").all_inner_texts()
            at = texts.index(STEP_TEXT[step])
            if at == target:
                break
            button_id = page.locator(f'#q3-body button[value="{step}:up"]').get_attribute("id")
            tab_to(page, page.locator(f"#{button_id}"))
            with page.expect_response(lambda r: "/questions/3/" in r.url):
                page.keyboard.press("Enter")
            page.wait_for_function(
                f"document.activeElement && document.activeElement.id === '{button_id}'"
            )
    tab_to(page, page.get_by_role("button", name="Save this order"))
    with page.expect_response(lambda r: "/questions/3/" in r.url):
        page.keyboard.press("Enter")
    assert _saved(examiners, exam, 3) == {"order": ORDER}
    # question 4: type, Enter saves
    tab_to(page, page.get_by_label("The MTU of the overlay?"))
    page.keyboard.type("1450")
    with page.expect_response(lambda r: "/questions/4/" in r.url):
        page.keyboard.press("Enter")
    wait_saved(page, 4)
    assert _saved(examiners, exam, 4) == {"value": 1450.0}
    assert page.locator("#answered-count").inner_text() == "4"
    # then: review and submit, by keyboard
    tab_to(page, page.get_by_role("link", name="Review and submit"))
    page.keyboard.press("Enter")
    page.get_by_text("Every question is answered.").wait_for()
    check_page(page, "exam-submit")
    axe_clean(page, "exam-submit")
    tab_to(page, page.get_by_role("button", name="Submit my answers"))
    page.keyboard.press("Enter")
    page.get_by_text("Your answers are submitted.").wait_for()
    assert page.locator(".result-percent").inner_text() == "100%"
    assert "Passed" in page.locator(".result-summary").inner_text()
    page.get_by_text("The counters show CRC errors: a bad cable.").wait_for()
    check_page(page, "exam-result")
    axe_clean(page, "exam-result")
    tab_to(page, page.get_by_role("link", name="My competencies").last)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Branch office troubleshooting skills").wait_for()
    check_page(page, "exam-competencies")
    axe_clean(page, "exam-competencies")
    with tenant_scope(examiners.tenant):
        attempt = Attempt.objects.get(exam=exam)
    assert (attempt.state, attempt.passed) == (AttemptState.GRADED, True)


def test_a_learner_on_a_phone_answers_every_kind_of_question(
    examiners: World, chromium: Any, live_server: Any
) -> None:
    # given
    exam = _exam(
        examiners,
        [MULTIPLE, TRUE_FALSE, SHORT, MATCHING, SCENARIO, EVIDENCE],
        "Partner practical",
        time_limit_minutes=45,
    )
    context = chromium.new_context(
        viewport=PHONE, base_url=live_server.url, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, examiners.people["learner"].email)
        page.goto("/exams/")
        page.get_by_role("link", name="Start Partner practical").tap()
        page.get_by_role("button", name="Start the exam").tap()
        page.get_by_role("heading", name="Question 1 of 6").wait_for()
        axe_clean(page, "exam-player-phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # when: each question answered with taps
        page.get_by_label("IPS").tap()
        page.get_by_label("SD-WAN").tap()
        page.locator("#q1-status").get_by_text("Saved at").wait_for()
        page.get_by_label("False", exact=True).tap()
        wait_saved(page, 2)
        page.get_by_label("Which command shows the routing table?").fill("show ip route")
        page.get_by_label("Which command shows the routing table?").blur()
        wait_saved(page, 3)
        for prompt, answer in (("22", "SSH"), ("53", "DNS"), ("443", "HTTPS")):
            page.locator("#q4-body").get_by_label(prompt, exact=True).select_option(label=answer)
        wait_saved(page, 4)
        page.get_by_label("Ask what changed").tap()
        page.get_by_role("button", name="Choose and continue").tap()
        page.get_by_label("Check the interface counters").tap()
        page.get_by_role("button", name="Choose and continue").tap()
        page.get_by_text("The case has ended. Your path is saved.").wait_for()
        page.get_by_label("Upload a file").set_input_files(
            {"name": "tunnel.png", "mimeType": "image/png", "buffer": PNG}
        )
        page.locator("#q6-status").get_by_text("“tunnel.png” is uploaded.").wait_for()
        # the connection drops while the note is written: said unsaved, sent again when back
        context.set_offline(True)
        page.get_by_label("Note for the grader").fill("Both phases are up.")
        page.get_by_label("Note for the grader").blur()
        page.locator("#q6-status").get_by_text("the connection is lost").wait_for()
        context.set_offline(False)
        page.locator("#q6-status").get_by_text("Saved at").wait_for(timeout=20_000)
        assert _saved(examiners, exam, 6)["note"] == "Both phases are up."
        assert page.locator("#answered-count").inner_text() == "6"
        axe_clean(page, "exam-player-phone-answered")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        for position in range(1, 7):
            page.locator(f"#q{position}").screenshot(path=str(SHOTS / f"phone-q{position}.png"))
        page.locator("#q6").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "phone-viewport-q6.png"))
        # then
        page.get_by_role("link", name="Review and submit").first.tap()
        page.get_by_role("button", name="Submit my answers").tap()
        page.get_by_text("A grader will look at your evidence.").wait_for()
        page.get_by_role("heading", name="Awaiting grading").wait_for()
        axe_clean(page, "exam-result-phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_the_page_warns_and_submits_when_time_runs_out(examiners: World, page: Any) -> None:
    # given: an attempt with a little over a minute left
    exam = _exam(examiners, [SINGLE, MULTIPLE], "Quick check", time_limit_minutes=10)
    with tenant_scope(examiners.tenant):
        attempt = attempt_start(actor=examiners.actor("learner"), exam=exam)
        Attempt.objects.filter(pk=attempt.pk).update(
            deadline=timezone.now() + timedelta(seconds=75)
        )
    sign_in(page, examiners.people["learner"].email)
    page.goto(f"/exams/attempts/{attempt.pk}/")
    # then: the page says little time is left, and the one-minute warning is read out
    page.locator("#time-alert").get_by_text("Less than 2 minutes left.").wait_for()
    page.locator("#time-alert").get_by_text("1 minute left.").wait_for(timeout=30_000)
    assert "exam-timer--urgent" in page.locator("#exam-timer").get_attribute("class")
    # when: a little time is left, an answer is being given as time runs out
    with tenant_scope(examiners.tenant):
        Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    page.reload()
    page.get_by_label("443").check()
    # then: the page submits by itself and shows the result
    page.get_by_text("Time is up: your answers saved before the deadline were submitted.").wait_for(
        timeout=20_000
    )
    assert page.url.endswith(f"/exams/attempts/{attempt.pk}/result/")
    with tenant_scope(examiners.tenant):
        attempt.refresh_from_db()
        assert attempt.state == AttemptState.GRADED
        assert AttemptItem.objects.get(attempt=attempt, position=1).response == {"choice": "a"}


def test_a_grader_grades_evidence_from_the_queue(examiners: World, page: Any) -> None:
    # given: evidence handed in
    exam = _exam(examiners, [SINGLE, EVIDENCE], "Firewall practical", points=[1, 5])
    with tenant_scope(examiners.tenant):
        learner = examiners.actor("learner")
        attempt = attempt_start(actor=learner, exam=exam)
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
        upload = evidence_upload(
            actor=learner,
            attempt=attempt,
            position=2,
            upload=SimpleUploadedFile("tunnel.png", PNG, content_type="image/png"),
        )
        attempt_answer(
            actor=learner,
            attempt=attempt,
            position=2,
            response={"files": [str(upload.pk)], "note": "Both phases are up."},
        )
        attempt_submit(actor=learner, attempt=attempt)
    sign_in(page, examiners.people["reviewer"].email)
    # when
    page.get_by_role("link", name="Grading").click()
    page.get_by_role("heading", name="Grading queue").wait_for()
    check_page(page, "grading-queue")
    axe_clean(page, "grading-queue")
    page.get_by_role("link", name=re.compile("^Grade")).click()
    page.get_by_text("Both phases are up.").wait_for()
    download = page.request.get(page.get_by_role("link", name="tunnel.png").get_attribute("href"))
    assert download.headers["content-disposition"] == 'attachment; filename="tunnel.png"'
    assert download.headers["x-content-type-options"] == "nosniff"
    check_page(page, "grading-entry")
    axe_clean(page, "grading-entry")
    # a level missing is explained, and focus goes to the reason
    page.get_by_label(re.compile("^Up, both phases")).check()
    page.get_by_role("button", name="Save the grade").click()
    page.get_by_text("Choose a level for every criterion: Strong crypto.").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    axe_clean(page, "grading-entry-error")
    page.get_by_label(re.compile("^Acceptable")).check()
    page.get_by_label("Comment for the person").fill("Use AES-256 next time.")
    page.get_by_role("button", name="Save the grade").click()
    # then
    page.get_by_text("Graded: 4 of 5 points.").wait_for()
    page.get_by_text("Nothing is waiting for a grade.").wait_for()
    with tenant_scope(examiners.tenant):
        attempt.refresh_from_db()
        assert attempt.state == AttemptState.GRADED
    page.get_by_role("link", name="Item analysis").click()
    page.get_by_role("link", name="Firewall practical").click()
    page.get_by_role("heading", name="Firewall practical: item analysis").wait_for()
    check_page(page, "item-analysis")
    axe_clean(page, "item-analysis")
