"""Progress: video seconds actually played (seeking and replays counted right), equivalent
formats, and completion rolling up from lessons to modules, courses and paths."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cascade.catalog.items import item_structure_set
from cascade.core.errors import NotFound, ValidationFailed
from cascade.events.models import OutboxEvent
from cascade.learning.models import Enrollment, EnrollmentState, LessonProgress
from cascade.learning.progress import (
    covered_seconds,
    lesson_taken,
    merge_intervals,
    resume_points,
    video_heartbeat,
)
from cascade.learning.services import enroll_self
from tests.catalog.conftest import Studio


def test_merging_counts_each_second_once() -> None:
    assert merge_intervals([[10, 20], [0, 5], [15, 30], [30, 31]]) == [[0, 5], [10, 31]]
    assert covered_seconds([[0, 10], [0, 10], [5, 12]]) == 12


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)), max_size=30))
def test_coverage_never_exceeds_the_span_nor_counts_overlaps(
    pairs: list[tuple[float, float]],
) -> None:
    intervals = [[min(a, b), max(a, b)] for a, b in pairs]
    merged = merge_intervals(intervals)
    assert all(a < b for a, b in merged)
    assert all(merged[i][1] < merged[i + 1][0] for i in range(len(merged) - 1))
    assert covered_seconds(merged) <= 100
    assert covered_seconds(merged) == pytest.approx(covered_seconds(intervals))


def _backdate_heartbeat(learner_pk: int, item_pk: int, seconds: float) -> None:
    LessonProgress.objects.filter(person_id=learner_pk, item_id=item_pk).update(
        last_heartbeat_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_seeking_skips_nothing_into_the_count_and_replays_add_nothing(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    learner = world.actor("learner")
    person = world.people["learner"]
    # plays 0-30, seeks to 90 and plays to 100, replays 0-30
    video_heartbeat(
        actor=learner, item_id=lesson.pk, played_from=0, played_to=30, position=30, duration=100
    )
    _backdate_heartbeat(person.pk, lesson.pk, 30)
    video_heartbeat(
        actor=learner, item_id=lesson.pk, played_from=90, played_to=100, position=100, duration=100
    )
    _backdate_heartbeat(person.pk, lesson.pk, 30)
    progress = video_heartbeat(
        actor=learner, item_id=lesson.pk, played_from=0, played_to=30, position=30, duration=100
    )
    assert progress.watched == [[0, 30], [90, 100]]
    assert progress.watched_share == pytest.approx(0.4)
    assert progress.position_seconds == 30
    assert progress.completed_at is None


def test_a_stretch_longer_than_time_allows_is_cut(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    learner = world.actor("learner")
    video_heartbeat(
        actor=learner, item_id=lesson.pk, played_from=0, played_to=10, position=10, duration=3600
    )
    # a second later, the player claims the whole hour was played
    _backdate_heartbeat(world.people["learner"].pk, lesson.pk, 1)
    progress = video_heartbeat(
        actor=learner,
        item_id=lesson.pk,
        played_from=10,
        played_to=3600,
        position=3600,
        duration=3600,
    )
    assert covered_seconds(progress.watched) < 20
    assert progress.completed_at is None


def test_the_video_completes_at_ninety_percent_and_so_does_the_enrollment(
    studio: Studio,
) -> None:
    world = studio.world
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    learner = world.actor("learner")
    enrollment = enroll_self(actor=learner, item_id=lesson.pk)
    start = 0.0
    while start < 90:
        video_heartbeat(
            actor=learner,
            item_id=lesson.pk,
            played_from=start,
            played_to=start + 15,
            position=start + 15,
            duration=100,
        )
        _backdate_heartbeat(world.people["learner"].pk, lesson.pk, 15)
        start += 15
    progress = LessonProgress.objects.get(item=lesson)
    assert progress.completed_at is not None
    assert progress.completed_by == "video"
    enrollment.refresh_from_db()
    assert enrollment.state == EnrollmentState.COMPLETED
    assert OutboxEvent.objects.filter(name="learning.lesson_completed").count() == 1


def test_reading_the_article_completes_the_lesson_in_every_course_using_it(
    studio: Studio,
) -> None:
    # given: one lesson reused by two modules; the learner enrolled in both
    world = studio.world
    shared = studio.published(title="Shared lesson", audience=studio.everyone)
    other = studio.published(title="Other lesson", audience=studio.everyone)
    module_a = studio.container("module", "Module A", [shared], audience=studio.everyone)
    module_b = studio.container("module", "Module B", [shared, other], audience=studio.everyone)
    learner = world.actor("learner")
    enroll_self(actor=learner, item_id=module_a.pk)
    enroll_self(actor=learner, item_id=module_b.pk)
    # when
    lesson_taken(actor=learner, item_id=shared.pk, kind="article")
    # then: module A is complete, module B waits for its other lesson
    states = dict(Enrollment.objects.values_list("item_id", "state"))
    assert states[module_a.pk] == EnrollmentState.COMPLETED
    assert states[module_b.pk] == EnrollmentState.IN_PROGRESS
    lesson_taken(actor=learner, item_id=other.pk, kind="document")
    assert Enrollment.objects.get(item=module_b).state == EnrollmentState.COMPLETED


def test_a_path_needs_its_required_steps_and_n_of_m_electives(studio: Studio) -> None:
    world = studio.world
    author = world.actor("author")
    required = studio.published(title="Required", audience=studio.everyone)
    electives = [
        studio.published(title=f"Elective {n}", audience=studio.everyone) for n in range(3)
    ]
    path = studio.draft("path", "Security path", audience=studio.everyone)
    item_structure_set(
        actor=author,
        item=path,
        children=[(required, True), *[(e, False) for e in electives]],
        electives_required=2,
    )
    path = studio.publish(path)
    learner = world.actor("learner")
    enroll_self(actor=learner, item_id=path.pk)
    lesson_taken(actor=learner, item_id=electives[0].pk, kind="link")
    lesson_taken(actor=learner, item_id=electives[1].pk, kind="link")
    assert Enrollment.objects.get(item=path).state != EnrollmentState.COMPLETED
    lesson_taken(actor=learner, item_id=required.pk, kind="article")
    assert Enrollment.objects.get(item=path).state == EnrollmentState.COMPLETED


def test_a_course_completes_through_its_modules(studio: Studio) -> None:
    lesson = studio.published(title="Lesson", audience=studio.everyone)
    module = studio.container("module", "Module", [lesson], audience=studio.everyone)
    course = studio.container("course", "Course", [module], audience=studio.everyone)
    learner = studio.world.actor("learner")
    enroll_self(actor=learner, item_id=course.pk)
    lesson_taken(actor=learner, item_id=lesson.pk, kind="article")
    assert Enrollment.objects.get(item=course).state == EnrollmentState.COMPLETED


def test_progress_needs_a_visible_lesson_and_sane_numbers(studio: Studio) -> None:
    world = studio.world
    gold = studio.published(title="Gold lesson")  # the learner is Silver
    open_lesson = studio.published(title="Open", audience=studio.everyone)
    learner = world.actor("learner")
    with pytest.raises(NotFound):
        lesson_taken(actor=learner, item_id=gold.pk, kind="article")
    for bad in (
        {"played_from": 10, "played_to": 5, "position": 5, "duration": 100},
        {"played_from": 0, "played_to": 200, "position": 5, "duration": 100},
        {"played_from": 0, "played_to": 5, "position": 5, "duration": 0},
        {"played_from": -1, "played_to": 5, "position": 5, "duration": 100},
        {"played_from": float("nan"), "played_to": 5, "position": 5, "duration": 100},
    ):
        with pytest.raises(ValidationFailed):
            video_heartbeat(actor=learner, item_id=open_lesson.pk, **bad)
    with pytest.raises(ValidationFailed):
        lesson_taken(actor=learner, item_id=open_lesson.pk, kind="telepathy")
    assert not LessonProgress.objects.exists()


def test_resume_where_the_learner_left_off(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    learner = world.actor("learner")
    video_heartbeat(
        actor=learner, item_id=lesson.pk, played_from=0, played_to=42, position=42, duration=600
    )
    [point] = resume_points(actor=learner)
    assert (point.item_id, point.position_seconds) == (lesson.pk, 42)
