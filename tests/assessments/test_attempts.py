"""Taking an exam: start and resume, autosave, submit, the server's clock, and the result."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from cascade.assessments.attempt_presenting import served_item
from cascade.assessments.attempt_services import (
    attempt_answer,
    attempt_start,
    attempt_submit,
    attempts_submit_overdue_all,
    exam_availability,
)
from cascade.assessments.exam_services import ExamRules
from cascade.assessments.items import item_definition
from cascade.assessments.models import Attempt, AttemptItem, AttemptState, CompetencyResult
from cascade.assessments.services import item_revise
from cascade.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from cascade.events.models import OutboxEvent
from tests.assessments.exam_helpers import MULTIPLE, RIGHT, SCENARIO, SINGLE, fixed_exam
from tests.conftest import World

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def test_starting_draws_the_form_and_pins_each_items_version(authors: World) -> None:
    # given
    exam, items = fixed_exam(authors, [SINGLE, MULTIPLE])
    learner = authors.actor("learner")
    # when
    attempt = attempt_start(actor=learner, exam=exam)
    item_revise(
        actor=authors.actor("author"),
        item=items[0],
        definition={**SINGLE, "prompt": "Corrected prompt"},
        note="Reworded",
    )
    # then
    rows = list(AttemptItem.objects.filter(attempt=attempt).order_by("position"))
    assert [r.item_id for r in rows] == [items[0].pk, items[1].pk]
    assert [r.version.number for r in rows] == [1, 1]
    assert (attempt.number, attempt.state, attempt.deadline) == (1, AttemptState.IN_PROGRESS, None)
    assert OutboxEvent.objects.filter(name="assessment.started").count() == 1


def test_starting_again_resumes_the_attempt_in_progress_with_its_items_and_order(
    authors: World,
) -> None:
    exam, _ = fixed_exam(
        authors, [SINGLE, MULTIPLE], rules=ExamRules(shuffle_items=True, shuffle_options=True)
    )
    learner = authors.actor("learner")
    first = attempt_start(actor=learner, exam=exam)
    shown = list(
        AttemptItem.objects.filter(attempt=first).values_list("item_id", "presented_order")
    )
    again = attempt_start(actor=learner, exam=exam)
    assert again.pk == first.pk
    assert (
        list(AttemptItem.objects.filter(attempt=again).values_list("item_id", "presented_order"))
        == shown
    )
    assert Attempt.objects.filter(exam=exam).count() == 1


def test_options_are_shown_in_the_order_drawn_for_the_attempt(authors: World) -> None:
    exam, _ = fixed_exam(authors, [MULTIPLE], rules=ExamRules(shuffle_options=True))
    attempt = attempt_start(actor=authors.actor("learner"), exam=exam)
    row = AttemptItem.objects.get(attempt=attempt)
    served = served_item(item_definition(row.version.definition), row.presented_order, None)
    assert [o["id"] for o in served["options"]] == row.presented_order["options"]
    assert sorted(row.presented_order["options"]) == ["ips", "nat", "sdwan", "vlan"]
    # Over a few attempts by different people, the order is not always the author's.
    orders = {tuple(row.presented_order["options"])}
    for name in ("manager", "partner_admin", "other_admin"):
        other = attempt_start(actor=authors.actor(name), exam=exam)
        orders.add(tuple(AttemptItem.objects.get(attempt=other).presented_order["options"]))
    assert len(orders) > 1 or orders != {("ips", "sdwan", "nat", "vlan")}


def test_an_answer_is_saved_replaced_and_scored_on_submit(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SINGLE, MULTIPLE], competency_names=["Ports", "Licences"])
    learner = authors.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "b"})
    attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
    attempt_answer(actor=learner, attempt=attempt, position=2, response={"choices": ["ips"]})
    # when
    submitted = attempt_submit(actor=learner, attempt=attempt)
    # then: 1 + 0.5 (right minus wrong: half the correct options, no wrong one) of 2 points
    assert submitted.state == AttemptState.GRADED
    assert (submitted.earned, submitted.possible, submitted.share) == (
        Decimal("1.500"),
        Decimal("2.000"),
        Decimal("0.7500"),
    )
    assert submitted.passed is True
    results = sorted(v["share"] for v in submitted.competency_results.values())
    assert results == ["0.5000", "1.0000"]
    names = set(OutboxEvent.objects.values_list("name", flat=True))
    assert {"assessment.submitted", "assessment.graded", "assessment.passed"} <= names


def test_an_unanswered_item_earns_nothing_and_a_low_score_fails(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SINGLE, MULTIPLE])
    learner = authors.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
    submitted = attempt_submit(actor=learner, attempt=attempt)
    assert (submitted.share, submitted.passed) == (Decimal("0.5000"), False)
    assert not OutboxEvent.objects.filter(name="assessment.passed").exists()


def test_a_competency_below_its_bar_fails_the_exam_despite_the_overall_share(
    authors: World,
) -> None:
    exam, _ = fixed_exam(
        authors,
        [SINGLE, SINGLE, SINGLE, MULTIPLE],
        competency_names=["Ports", "Ports", "Ports", "Licences"],
        rules=ExamRules(shuffle_items=False, shuffle_options=False),
    )
    licences = next(
        int(key)
        for key in attempt_start(actor=authors.actor("manager"), exam=exam)
        .items.get(position=4)
        .version.competencies.values_list("pk", flat=True)
    )
    exam.competency_passing = {str(licences): "0.800"}
    exam.save(update_fields=["competency_passing"])
    learner = authors.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    for position in (1, 2, 3):
        attempt_answer(actor=learner, attempt=attempt, position=position, response={"choice": "a"})
    attempt_answer(actor=learner, attempt=attempt, position=4, response={"choices": ["ips"]})
    submitted = attempt_submit(actor=learner, attempt=attempt)
    assert submitted.share == Decimal("0.8750")
    assert submitted.competency_results[str(licences)]["passed"] is False
    assert submitted.passed is False


def test_the_competency_profile_keeps_the_latest_and_best_share(authors: World) -> None:
    exam, _ = fixed_exam(
        authors, [SINGLE], competency_names=["Ports"], rules=ExamRules(shuffle_options=False)
    )
    learner = authors.actor("learner")
    first = attempt_start(actor=learner, exam=exam)
    attempt_answer(actor=learner, attempt=first, position=1, response={"choice": "a"})
    attempt_submit(actor=learner, attempt=first)
    second = attempt_start(actor=learner, exam=exam)
    attempt_answer(actor=learner, attempt=second, position=1, response={"choice": "b"})
    attempt_submit(actor=learner, attempt=second)
    result = CompetencyResult.objects.get(person=authors.people["learner"])
    assert (result.latest_share, result.best_share, result.attempts) == (
        Decimal("0"),
        Decimal("1"),
        2,
    )
    assert result.last_attempt_id == second.pk


def test_answers_to_items_not_in_the_attempt_or_malformed_are_refused_and_nothing_changes(
    authors: World,
) -> None:
    exam, _ = fixed_exam(authors, [SINGLE])
    learner = authors.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    with pytest.raises(ValidationFailed) as missing:
        attempt_answer(actor=learner, attempt=attempt, position=7, response={"choice": "a"})
    assert missing.value.code == "not_in_attempt"
    with pytest.raises(ValidationFailed) as unknown:
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "zz"})
    assert unknown.value.code == "unknown_option"
    with pytest.raises(ValidationFailed) as malformed:
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choices": "a"})
    assert malformed.value.code == "invalid_response"
    assert AttemptItem.objects.get(attempt=attempt).response is None


def test_only_the_person_who_started_an_attempt_answers_or_submits_it(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SINGLE])
    attempt = attempt_start(actor=authors.actor("learner"), exam=exam)
    with pytest.raises(NotFound):
        attempt_answer(
            actor=authors.actor("manager"), attempt=attempt, position=1, response={"choice": "a"}
        )
    with pytest.raises(NotFound):
        attempt_submit(actor=authors.actor("manager"), attempt=attempt)
    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.IN_PROGRESS


def test_a_submitted_attempt_cannot_be_changed_or_submitted_again(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SINGLE])
    learner = authors.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
    attempt_submit(actor=learner, attempt=attempt)
    with pytest.raises(Conflict) as again:
        attempt_submit(actor=learner, attempt=attempt)
    with pytest.raises(Conflict) as change:
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "b"})
    assert (again.value.code, change.value.code) == ("attempt_submitted", "attempt_submitted")
    assert AttemptItem.objects.get(attempt=attempt).response == {"choice": "a"}
    assert OutboxEvent.objects.filter(name="assessment.submitted").count() == 1


def test_a_scenario_is_saved_step_by_step_and_scored_on_its_path(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SCENARIO])
    learner = authors.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    first = attempt_answer(actor=learner, attempt=attempt, position=1, response={"path": ["ask"]})
    assert first.next_step is not None
    assert first.next_step["id"] == "logs"
    assert "score" not in json.dumps(first.next_step)
    with pytest.raises(ValidationFailed) as off_path:
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"path": ["check"]})
    assert off_path.value.code == "unknown_option"
    last = attempt_answer(actor=learner, attempt=attempt, position=1, response=RIGHT["scenario"])
    assert (last.next_step, last.finished) == (None, True)
    submitted = attempt_submit(actor=learner, attempt=attempt)
    assert submitted.share == Decimal("1.0000")
    feedback = AttemptItem.objects.get(attempt=attempt).feedback
    assert feedback == ["The counters show CRC errors: a bad cable."]


def test_an_unfinished_scenario_earns_the_options_taken(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SCENARIO])
    learner = authors.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    attempt_answer(actor=learner, attempt=attempt, position=1, response={"path": ["ask"]})
    assert attempt_submit(actor=learner, attempt=attempt).share == Decimal("0.4000")


# --- the server's clock ----------------------------------------------------------------------


def test_answers_after_the_deadline_are_refused_and_the_attempt_is_submitted(
    authors: World,
) -> None:
    exam, _ = fixed_exam(
        authors, [SINGLE, MULTIPLE], rules=ExamRules(time_limit_minutes=30, shuffle_items=False)
    )
    learner = authors.actor("learner")
    with time_machine.travel(NOON, tick=False) as clock:
        attempt = attempt_start(actor=learner, exam=exam)
        assert attempt.deadline == NOON + timedelta(minutes=30)
        clock.shift(timedelta(minutes=29, seconds=59))
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
        clock.shift(timedelta(minutes=1))
        with pytest.raises(Conflict) as late:
            attempt_answer(
                actor=learner, attempt=attempt, position=2, response={"choices": ["ips"]}
            )
    assert late.value.code == "attempt_timed_out"
    attempt.refresh_from_db()
    assert (attempt.state, attempt.timed_out, attempt.share) == (
        AttemptState.GRADED,
        True,
        Decimal("0.5000"),
    )
    assert AttemptItem.objects.get(attempt=attempt, position=2).response is None


def test_an_autosave_in_flight_at_the_deadline_is_kept(authors: World) -> None:
    exam, _ = fixed_exam(authors, [SINGLE], rules=ExamRules(time_limit_minutes=10))
    learner = authors.actor("learner")
    with time_machine.travel(NOON, tick=False) as clock:
        attempt = attempt_start(actor=learner, exam=exam)
        clock.shift(timedelta(minutes=10, seconds=3))
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
    assert AttemptItem.objects.get(attempt=attempt).response == {"choice": "a"}


def test_resuming_keeps_the_time_left_and_an_attempt_left_open_is_submitted_at_timeout(
    authors: World,
) -> None:
    exam, _ = fixed_exam(authors, [SINGLE], rules=ExamRules(time_limit_minutes=20))
    learner = authors.actor("learner")
    with time_machine.travel(NOON, tick=False) as clock:
        attempt = attempt_start(actor=learner, exam=exam)
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
        clock.shift(timedelta(minutes=12))  # the connection was lost; the person comes back
        resumed = attempt_start(actor=learner, exam=exam)
        assert resumed.pk == attempt.pk
        assert resumed.deadline - timezone.now() == timedelta(minutes=8)
        clock.shift(timedelta(minutes=9))
        assert attempts_submit_overdue_all() == 1
        assert attempts_submit_overdue_all() == 0
    attempt.refresh_from_db()
    assert (attempt.state, attempt.timed_out, attempt.share) == (
        AttemptState.GRADED,
        True,
        Decimal("1.0000"),
    )


def test_starting_after_the_deadline_submits_the_old_attempt_and_starts_a_new_one(
    authors: World,
) -> None:
    exam, _ = fixed_exam(authors, [SINGLE], rules=ExamRules(time_limit_minutes=5))
    learner = authors.actor("learner")
    with time_machine.travel(NOON, tick=False) as clock:
        old = attempt_start(actor=learner, exam=exam)
        clock.shift(timedelta(hours=1))
        new = attempt_start(actor=learner, exam=exam)
    old.refresh_from_db()
    assert (old.state, old.timed_out, new.number) == (AttemptState.GRADED, True, 2)


def test_attempts_limit_cooldown_and_window_are_enforced(authors: World) -> None:
    exam, _ = fixed_exam(
        authors,
        [SINGLE],
        rules=ExamRules(
            attempts_limit=2,
            cooldown_hours=24,
            opens_at=NOON,
            closes_at=NOON + timedelta(days=30),
        ),
    )
    learner = authors.actor("learner")
    with time_machine.travel(NOON - timedelta(hours=1), tick=False) as clock:
        with pytest.raises(Conflict) as early:
            attempt_start(actor=learner, exam=exam)
        assert early.value.code == "exam_not_open"
        clock.shift(timedelta(hours=1))
        attempt_submit(actor=learner, attempt=attempt_start(actor=learner, exam=exam))
        clock.shift(timedelta(hours=23))
        with pytest.raises(Conflict) as cooling:
            attempt_start(actor=learner, exam=exam)
        assert cooling.value.code == "cooldown"
        assert cooling.value.details[0]["field"] == "next_start_at"
        availability = exam_availability(actor=learner, exam=exam)
        assert availability.next_start_at == NOON + timedelta(hours=24)
        clock.shift(timedelta(hours=1))
        attempt_submit(actor=learner, attempt=attempt_start(actor=learner, exam=exam))
        clock.shift(timedelta(days=2))
        with pytest.raises(Conflict) as spent:
            attempt_start(actor=learner, exam=exam)
        assert spent.value.code == "attempts_exhausted"
        clock.shift(timedelta(days=30))
        assert exam_availability(actor=authors.actor("manager"), exam=exam).code == "exam_closed"
    assert Attempt.objects.filter(exam=exam).count() == 2


def test_integrations_cannot_take_exams(authors: World) -> None:
    from cascade.access.actor import Actor, ActorKind

    exam, _ = fixed_exam(authors, [SINGLE])
    integration = Actor(tenant=authors.tenant, kind=ActorKind.INTEGRATION)
    with pytest.raises(PermissionDenied):
        attempt_start(actor=integration, exam=exam)


def test_the_sweep_command_submits_attempts_in_every_program(authors: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    exam, _ = fixed_exam(authors, [SINGLE], rules=ExamRules(time_limit_minutes=15))
    with time_machine.travel(NOON, tick=False) as clock:
        attempt = attempt_start(actor=authors.actor("learner"), exam=exam)
        clock.shift(timedelta(minutes=16))
        out = StringIO()
        call_command("submit_overdue_attempts", stdout=out)
    assert out.getvalue().strip() == "Submitted 1 attempts that ran out of time."
    attempt.refresh_from_db()
    assert (attempt.state, attempt.timed_out) == (AttemptState.GRADED, True)
