"""The learning issue's edge cases: content revised mid-course, a person changing organization
mid-path, and content retired while people are on it."""

from __future__ import annotations

from typing import Any

from cascade.catalog.items import item_retire, item_structure_set
from cascade.catalog.revisions import item_revise
from cascade.events.models import OutboxEvent
from cascade.identity.services.memberships import membership_move
from cascade.learning.models import Enrollment, EnrollmentState, LessonProgress
from cascade.learning.progress import lesson_taken, video_heartbeat
from cascade.learning.rules import rule_create
from cascade.learning.services import enroll_self
from tests.catalog.conftest import Studio


def test_a_module_revised_mid_course_asks_for_its_new_lesson_and_keeps_what_was_done(
    studio: Studio,
) -> None:
    # given: the learner finished one of the module's two lessons
    world = studio.world
    first = studio.published(title="First", audience=studio.everyone)
    second = studio.published(title="Second", audience=studio.everyone)
    added = studio.published(title="Added later", audience=studio.everyone)
    module = studio.container("module", "Module", [first, second], audience=studio.everyone)
    learner = world.actor("learner")
    enroll_self(actor=learner, item_id=module.pk)
    lesson_taken(actor=learner, item_id=first.pk, kind="article")
    # when: the author publishes a major revision that adds a required lesson
    author = world.actor("author")
    module = item_revise(actor=author, item=module, change="major", note="A lesson on X.")
    item_structure_set(
        actor=author, item=module, children=[(first, True), (second, True), (added, True)]
    )
    studio.publish(module)
    lesson_taken(actor=learner, item_id=second.pk, kind="article")
    # then: the published revision decides; what was done still counts
    assert Enrollment.objects.get(item=module).state == EnrollmentState.IN_PROGRESS
    lesson_taken(actor=learner, item_id=added.pk, kind="article")
    assert Enrollment.objects.get(item=module).state == EnrollmentState.COMPLETED


def test_a_lesson_revised_after_completion_stays_completed(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Lesson", audience=studio.everyone)
    learner = world.actor("learner")
    lesson_taken(actor=learner, item_id=lesson.pk, kind="article")
    lesson = item_revise(actor=world.actor("author"), item=lesson, change="major", note="New.")
    studio.publish(lesson)
    assert LessonProgress.objects.get(item=lesson).completed_at is not None


def test_moving_mid_path_keeps_progress_and_the_path_completes_at_the_new_partner(
    studio: Studio, commit: Any
) -> None:
    # given: the partner admin (Distri Europe) is half-way through a path they chose
    world = studio.world
    steps = [studio.published(title=f"Step {n}", audience=studio.everyone) for n in range(2)]
    module = studio.container("module", "Module", steps, audience=studio.everyone)
    mover = world.actor("partner_admin")
    enrollment = enroll_self(actor=mover, item_id=module.pk)
    lesson_taken(actor=mover, item_id=steps[0].pk, kind="article")
    # when: they move to Other Partner
    with commit():
        membership_move(
            actor=world.actor("vendor_admin"),
            person=world.people["partner_admin"],
            to_organization=world.orgs["other"],
            roles=["learner"],
            job_role="sales",
            reason="Joined Other Partner",
        )
    # then: their own enrollment and progress went with them; the last step completes the path
    enrollment.refresh_from_db()
    assert enrollment.state == EnrollmentState.IN_PROGRESS
    moved = world.actor("partner_admin")
    assert moved.organization_id == world.orgs["other"].pk
    lesson_taken(actor=moved, item_id=steps[1].pk, kind="article")
    enrollment.refresh_from_db()
    assert enrollment.state == EnrollmentState.COMPLETED


def test_retiring_content_expires_open_enrollments_and_keeps_completions(
    studio: Studio, commit: Any
) -> None:
    world = studio.world
    lesson = studio.published(title="Old lesson", audience=studio.everyone)
    done = enroll_self(actor=world.actor("partner_admin"), item_id=lesson.pk)
    lesson_taken(actor=world.actor("partner_admin"), item_id=lesson.pk, kind="article")
    rule_create(
        actor=world.actor("vendor_admin"),
        name="Everyone",
        audience=studio.everyone,
        item_id=lesson.pk,
    )
    open_ones = list(Enrollment.objects.filter(state=EnrollmentState.ASSIGNED))
    assert open_ones
    # when
    with commit():
        item_retire(actor=world.actor("author"), item=lesson)
    # then
    done.refresh_from_db()
    assert done.state == EnrollmentState.COMPLETED
    for enrollment in open_ones:
        enrollment.refresh_from_db()
        assert enrollment.state == EnrollmentState.EXPIRED
        assert enrollment.close_reason == "The vendor retired this content."
    assert OutboxEvent.objects.filter(name="learning.expired").count() == len(open_ones)


def test_working_on_a_lesson_starts_the_learning_that_contains_it(studio: Studio) -> None:
    world = studio.world
    steps = [studio.published(title=f"Step {n}", audience=studio.everyone) for n in range(2)]
    video = studio.published(title="Video", audience=studio.everyone)
    module = studio.container("module", "Module", steps, audience=studio.everyone)
    other = studio.container("module", "Other", [video], audience=studio.everyone)
    learner = world.actor("learner")
    enroll_self(actor=learner, item_id=module.pk)
    enroll_self(actor=learner, item_id=other.pk)
    # reading one step starts the module, not the other one
    lesson_taken(actor=learner, item_id=steps[0].pk, kind="article")
    states = dict(Enrollment.objects.values_list("item_id", "state"))
    assert states == {module.pk: EnrollmentState.IN_PROGRESS, other.pk: EnrollmentState.ASSIGNED}
    # the first seconds of a video start its module too
    video_heartbeat(
        actor=learner, item_id=video.pk, played_from=0, played_to=5, position=5, duration=100
    )
    assert Enrollment.objects.get(item=other).state == EnrollmentState.IN_PROGRESS
    assert OutboxEvent.objects.filter(name="learning.started").count() == 2
