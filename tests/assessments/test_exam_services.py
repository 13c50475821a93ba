"""Exams: their rules, their fixed form or blueprint, and publishing only what can be taken."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cascade.assessments.exam_services import (
    DrawSpec,
    ExamRules,
    exam_blueprint_set,
    exam_create,
    exam_form_set,
    exam_publish,
)
from cascade.assessments.models import Exam, ExamItem, ExamState
from cascade.assessments.services import (
    bank_create,
    competency_create,
    competency_domain_create,
    item_create,
    item_retire,
)
from cascade.audit.models import AuditEntry
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.conftest import World

SINGLE = {
    "type": "single_choice",
    "prompt": "Which port?",
    "options": [{"id": "a", "text": "443", "correct": True}, {"id": "b", "text": "80"}],
}


def _items(world: World, count: int, **tags: object) -> tuple[int, list[int]]:
    author = world.actor("author")
    bank = bank_create(actor=author, name=f"Bank {count} {sorted(tags.items())}")
    ids = [
        item_create(actor=author, bank_id=bank.pk, definition=SINGLE, **tags).pk  # type: ignore[arg-type]
        for _ in range(count)
    ]
    return bank.pk, ids


def test_a_fixed_exam_is_written_then_published(authors: World) -> None:
    # given
    author = authors.actor("author")
    _, ids = _items(authors, 3)
    exam = exam_create(
        actor=author,
        name="Firewall associate",
        mode="fixed",
        rules=ExamRules(time_limit_minutes=45, attempts_limit=3, cooldown_hours=24),
    )
    # when
    exam_form_set(actor=author, exam=exam, item_ids=[ids[2], ids[0], ids[1]])
    published = exam_publish(actor=author, exam=exam)
    # then
    assert published.state == ExamState.PUBLISHED
    assert list(ExamItem.objects.filter(exam=exam).values_list("item_id", flat=True)) == [
        ids[2],
        ids[0],
        ids[1],
    ]
    assert (
        published.time_limit_minutes,
        published.attempts_limit,
        str(published.passing_share),
    ) == (
        45,
        3,
        "0.700",
    )
    assert AuditEntry.objects.filter(action="exam.publish").count() == 1


def test_a_published_exam_does_not_change(authors: World) -> None:
    author = authors.actor("author")
    _, ids = _items(authors, 2)
    exam = exam_create(actor=author, name="Locked", mode="fixed")
    exam_form_set(actor=author, exam=exam, item_ids=ids)
    exam_publish(actor=author, exam=exam)
    with pytest.raises(Conflict) as error:
        exam_form_set(actor=author, exam=exam, item_ids=ids[:1])
    assert error.value.code == "not_draft"
    assert ExamItem.objects.filter(exam=exam).count() == 2


def test_publishing_refuses_what_cannot_be_taken(authors: World) -> None:
    author = authors.actor("author")
    empty = exam_create(actor=author, name="Empty", mode="fixed")
    with pytest.raises(ValidationFailed) as nothing:
        exam_publish(actor=author, exam=empty)
    _, ids = _items(authors, 2)
    stale = exam_create(actor=author, name="Stale", mode="fixed")
    exam_form_set(actor=author, exam=stale, item_ids=ids)
    item_retire(actor=author, item=stale.form_items.first().item)  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed) as retired:
        exam_publish(actor=author, exam=stale)
    assert (nothing.value.code, retired.value.code) == ("empty_exam", "retired_items")
    assert not Exam.objects.filter(state=ExamState.PUBLISHED).exists()


def test_a_blueprint_is_published_only_when_the_items_can_fill_it(authors: World) -> None:
    author = authors.actor("author")
    domain = competency_domain_create(actor=author, name="Deployment")
    install = competency_create(actor=author, domain_id=domain.pk, name="Install")
    bank, _ = _items(authors, 3, competency_ids=[install.pk], difficulty=3)
    _items(authors, 2, difficulty=1)
    exam = exam_create(actor=author, name="Drawn", mode="blueprint")
    exam_blueprint_set(
        actor=author,
        exam=exam,
        draws=[DrawSpec(count=3, competency_id=install.pk), DrawSpec(count=2, difficulty=1)],
    )
    assert exam_publish(actor=author, exam=exam).state == ExamState.PUBLISHED
    short = exam_create(actor=author, name="Too greedy", mode="blueprint")
    exam_blueprint_set(
        actor=author,
        exam=short,
        draws=[DrawSpec(count=2, bank_id=bank), DrawSpec(count=2, competency_id=install.pk)],
    )
    with pytest.raises(ValidationFailed) as error:
        exam_publish(actor=author, exam=short)
    assert error.value.code == "blueprint_short"
    assert "takes 4 items; the live items fill 3" in error.value.message


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        (ExamRules(passing_share=0), "passing_share"),
        (ExamRules(passing_share="1.5"), "passing_share"),
        (ExamRules(time_limit_minutes=0), "time_limit_minutes"),
        (ExamRules(attempts_limit=1000), "attempts_limit"),
        (ExamRules(feedback_policy="always"), "feedback_policy"),
        (ExamRules(competency_passing={999_999: "0.5"}), "competency_passing"),
        (ExamRules(competency_passing={"firewall": "0.5"}), "competency_passing"),  # type: ignore[dict-item]
        (
            ExamRules(opens_at=timezone.now(), closes_at=timezone.now() - timedelta(days=1)),
            "closes_at",
        ),
    ],
)
def test_bad_rules_get_a_clear_error_and_write_nothing(
    authors: World, rules: ExamRules, field: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        exam_create(actor=authors.actor("author"), name="Bad", mode="fixed", rules=rules)
    assert error.value.details[0]["field"] == field
    assert not Exam.objects.exists()


def test_forms_and_blueprints_refuse_bad_references(authors: World) -> None:
    author = authors.actor("author")
    _, ids = _items(authors, 1)
    fixed = exam_create(actor=author, name="Fixed", mode="fixed")
    drawn = exam_create(actor=author, name="Drawn", mode="blueprint")
    with pytest.raises(ValidationFailed):
        exam_form_set(actor=author, exam=fixed, item_ids=[ids[0], ids[0]])
    with pytest.raises(ValidationFailed):
        exam_form_set(actor=author, exam=fixed, item_ids=[999_999])
    with pytest.raises(Conflict) as wrong_mode:
        exam_form_set(actor=author, exam=drawn, item_ids=ids)
    with pytest.raises(ValidationFailed) as bad_draw:
        exam_blueprint_set(actor=author, exam=drawn, draws=[DrawSpec(count=1, bank_id=999_999)])
    assert (wrong_mode.value.code, bad_draw.value.details[0]["field"]) == (
        "wrong_mode",
        "draws.0.bank_id",
    )
    assert ExamItem.objects.count() == 0


def test_only_authors_write_exams(authors: World) -> None:
    for name in ("reviewer", "learner"):
        with pytest.raises(PermissionDenied):
            exam_create(actor=authors.actor(name), name="Mine", mode="fixed")
    exam_create(actor=authors.actor("author"), name="Twice", mode="fixed")
    with pytest.raises(Conflict):
        exam_create(actor=authors.actor("author"), name="Twice", mode="fixed")
