"""After submission: evidence graded by reviewers, regrading with a corrected key, blueprint
draws with exposure limits, and two tabs submitting at once."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cascade.assessments.attempt_services import attempt_answer, attempt_start, attempt_submit
from cascade.assessments.exam_services import DrawSpec, ExamRules
from cascade.assessments.grading_services import (
    attempt_item_grade,
    evidence_upload,
    item_regrade,
)
from cascade.assessments.models import Attempt, AttemptItem, AttemptState, EvidenceFile
from cascade.assessments.services import bank_create, item_create, item_revise
from cascade.audit.models import AuditEntry
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from cascade.core.scoping import tenant_scope
from cascade.events.models import OutboxEvent
from tests.assessments.exam_helpers import EVIDENCE, SINGLE, blueprint_exam, fixed_exam
from tests.conftest import World

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _png(name: str = "tunnel.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _evidence_attempt(world: World) -> Attempt:
    exam, _ = fixed_exam(world, [SINGLE, EVIDENCE], points=[1, 5])
    learner = world.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
    upload = evidence_upload(actor=learner, attempt=attempt, position=2, upload=_png())
    attempt_answer(
        actor=learner,
        attempt=attempt,
        position=2,
        response={"files": [str(upload.pk)], "note": "Both phases up."},
    )
    return attempt_submit(actor=learner, attempt=attempt)


def test_evidence_waits_in_the_queue_and_the_reviewers_grade_concludes_the_attempt(
    authors: World,
) -> None:
    # given
    attempt = _evidence_attempt(authors)
    assert attempt.state == AttemptState.AWAITING_GRADING
    assert not OutboxEvent.objects.filter(name="assessment.graded").exists()
    waiting = AttemptItem.objects.get(attempt=attempt, needs_grading=True)
    # when: 3 + 1 of the rubric's 5 points
    attempt_item_grade(
        actor=authors.actor("reviewer"),
        attempt_item=waiting,
        levels={"tunnel": "yes", "crypto": "ok"},
        comment="Use AES-256 next time.",
    )
    # then
    attempt.refresh_from_db()
    graded = AttemptItem.objects.get(pk=waiting.pk)
    assert (graded.fraction, graded.earned, graded.feedback) == (
        Decimal("0.8000"),
        Decimal("4.000"),
        ["Use AES-256 next time."],
    )
    assert graded.graded_by == authors.people["reviewer"]
    assert (attempt.state, attempt.earned, attempt.possible) == (
        AttemptState.GRADED,
        Decimal("5.000"),
        Decimal("6.000"),
    )
    assert OutboxEvent.objects.filter(name="assessment.graded").count() == 1
    with pytest.raises(Conflict) as twice:
        attempt_item_grade(
            actor=authors.actor("reviewer"),
            attempt_item=waiting,
            levels={"tunnel": "no", "crypto": "weak"},
        )
    assert twice.value.code == "already_graded"


def test_a_grade_must_name_a_level_of_every_criterion_and_learners_cannot_grade(
    authors: World,
) -> None:
    attempt = _evidence_attempt(authors)
    waiting = AttemptItem.objects.get(attempt=attempt, needs_grading=True)
    with pytest.raises(ValidationFailed) as incomplete:
        attempt_item_grade(
            actor=authors.actor("reviewer"), attempt_item=waiting, levels={"tunnel": "yes"}
        )
    assert incomplete.value.code == "incomplete_grading"
    with pytest.raises(ValidationFailed) as unknown:
        attempt_item_grade(
            actor=authors.actor("reviewer"),
            attempt_item=waiting,
            levels={"tunnel": "maybe", "crypto": "ok"},
        )
    assert unknown.value.code == "unknown_level"
    with pytest.raises(PermissionDenied):
        attempt_item_grade(
            actor=authors.actor("learner"),
            attempt_item=waiting,
            levels={"tunnel": "yes", "crypto": "strong"},
        )
    assert AttemptItem.objects.get(pk=waiting.pk).needs_grading


def test_evidence_uploads_are_checked_by_content_and_belong_to_an_evidence_item(
    authors: World,
) -> None:
    exam, _ = fixed_exam(authors, [SINGLE, EVIDENCE])
    learner = authors.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    script = SimpleUploadedFile("shot.png", b"<script>alert(1)</script>", "image/png")
    with pytest.raises(ValidationFailed) as disguised:
        evidence_upload(actor=learner, attempt=attempt, position=2, upload=script)
    with pytest.raises(ValidationFailed) as not_evidence:
        evidence_upload(actor=learner, attempt=attempt, position=1, upload=_png())
    with pytest.raises(ValidationFailed) as unknown_file:
        attempt_answer(actor=learner, attempt=attempt, position=2, response={"files": ["999"]})
    assert (disguised.value.code, not_evidence.value.code, unknown_file.value.code) == (
        "unsupported_type",
        "not_evidence",
        "unknown_file",
    )
    assert not EvidenceFile.objects.exists()


def test_a_corrected_key_regrades_past_attempts_with_an_audit_trail(authors: World) -> None:
    # given: the key said "b"; two people answered "a" (really right) and one "b"
    wrong_key = {
        **SINGLE,
        "options": [
            {"id": "a", "text": "443"},
            {"id": "b", "text": "80", "correct": True},
            {"id": "c", "text": "22"},
        ],
    }
    exam, items = fixed_exam(authors, [wrong_key])
    answers = {"learner": "a", "manager": "a", "partner_admin": "b"}
    attempts = {}
    for name, choice in answers.items():
        actor = authors.actor(name)
        attempt = attempt_start(actor=actor, exam=exam)
        attempt_answer(actor=actor, attempt=attempt, position=1, response={"choice": choice})
        attempts[name] = attempt_submit(actor=actor, attempt=attempt)
    assert [a.passed for a in attempts.values()] == [False, False, True]
    author = authors.actor("author")
    item_revise(actor=author, item=items[0], definition=SINGLE, note="The key was wrong: 443.")
    # when
    report = item_regrade(actor=author, item=items[0])
    # then
    assert (report.version, report.attempts_checked, report.attempts_changed) == (2, 3, 3)
    for name, attempt in attempts.items():
        attempt.refresh_from_db()
        assert attempt.passed is (answers[name] == "a")
        row = AttemptItem.objects.get(attempt=attempt)
        assert (row.version.number, row.scored_with.number) == (1, 2)
    trail = AuditEntry.objects.filter(action="attempt.regrade").order_by("id")
    assert [(e.before["passed"], e.after["passed"]) for e in trail] == [
        (False, True),
        (False, True),
        (True, False),
    ]
    assert AuditEntry.objects.filter(action="item.regrade").count() == 1
    regraded = OutboxEvent.objects.filter(name="assessment.graded", payload__regraded=True)
    assert regraded.count() == 3
    # Asking again changes nothing: every attempt is scored with the current key.
    assert item_regrade(actor=author, item=items[0]).attempts_checked == 0


def test_blueprint_attempts_respect_the_blueprint_and_prefer_less_exposed_items(
    authors: World,
) -> None:
    author = authors.actor("author")
    bank = bank_create(actor=author, name="Exposure bank")
    easy = [
        item_create(actor=author, bank_id=bank.pk, definition=SINGLE, difficulty=1).pk
        for _ in range(4)
    ]
    hard = [
        item_create(actor=author, bank_id=bank.pk, definition=SINGLE, difficulty=3).pk
        for _ in range(2)
    ]
    exam = blueprint_exam(
        authors,
        [DrawSpec(count=2, bank_id=bank.pk, difficulty=1), DrawSpec(count=1, difficulty=3)],
        name="Drawn exam",
        rules=ExamRules(max_exposure=1),
    )
    shown: Counter[int] = Counter()
    for name in ("learner", "manager"):
        attempt = attempt_start(actor=authors.actor(name), exam=exam)
        drawn = list(AttemptItem.objects.filter(attempt=attempt).values_list("item_id", flat=True))
        assert len(drawn) == 3
        assert len([i for i in drawn if i in easy]) == 2
        assert len([i for i in drawn if i in hard]) == 1
        shown.update(drawn)
    # With max exposure 1 the second attempt took items nobody had seen.
    assert max(shown.values()) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_two_tabs_submitting_at_once_count_once(world_committed: World) -> None:
    world = world_committed
    with tenant_scope(world.tenant):
        exam, _ = fixed_exam(world, [SINGLE])
        learner = world.actor("learner")
        attempt = attempt_start(actor=learner, exam=exam)
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            with tenant_scope(world.tenant):
                barrier.wait()
                attempt_submit(actor=learner, attempt=attempt)
            outcomes.append("submitted")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    tabs = [threading.Thread(target=submit) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()
    assert sorted(outcomes) == ["attempt_submitted", "submitted"]
    with tenant_scope(world.tenant):
        assert OutboxEvent.objects.filter(name="assessment.submitted").count() == 1
        assert OutboxEvent.objects.filter(name="assessment.graded").count() == 1


@pytest.mark.django_db(transaction=True)
def test_autosaves_outside_any_enclosing_transaction_keep_the_layout_and_still_save_right(
    world_committed: World,
) -> None:
    """As in production: each request's transaction is the outermost one, so an attempt's
    layout and its items' definitions are kept after the first save and reused."""
    from cascade.assessments import attempt_services
    from cascade.assessments.versions import _KEPT

    world = world_committed
    with tenant_scope(world.tenant):
        exam, _ = fixed_exam(world, [SINGLE, EVIDENCE], rules=ExamRules(shuffle_items=False))
        learner = world.actor("learner")
        attempt = attempt_start(actor=learner, exam=exam)
        attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "b"})
        assert (world.tenant.pk, attempt.pk) in attempt_services._LAYOUTS
        assert _KEPT  # the definitions read on the way
        attempt_answer(actor=learner, attempt=attempt.pk, position=1, response={"choice": "a"})
        with pytest.raises(ValidationFailed) as missing:
            attempt_answer(actor=learner, attempt=attempt.pk, position=3, response={"choice": "a"})
        assert missing.value.code == "not_in_attempt"
        assert AttemptItem.objects.get(attempt=attempt, position=1).response == {"choice": "a"}
        assert attempt_submit(actor=learner, attempt=attempt).earned == Decimal("1.000")


def test_nothing_read_inside_an_enclosing_transaction_is_kept(authors: World) -> None:
    from cascade.assessments import attempt_services
    from cascade.assessments.versions import _KEPT

    # The test's own transaction encloses the service's: a rollback could reuse these ids.
    exam, _ = fixed_exam(authors, [SINGLE])
    learner = authors.actor("learner")
    attempt = attempt_start(actor=learner, exam=exam)
    attempt_answer(actor=learner, attempt=attempt, position=1, response={"choice": "a"})
    assert attempt_services._LAYOUTS == {}
    assert (authors.tenant.pk, attempt.items.get().version_id) not in _KEPT
