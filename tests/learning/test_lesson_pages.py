"""Progress on the catalog's lesson and course pages: "I read it" completes an article lesson
(without JavaScript, and with htmx), a course page shows which lessons are done and where to
continue, and the player gets what it needs to resume and report."""

from __future__ import annotations

from typing import Any

from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import CatalogItem
from cascade.learning.models import Enrollment, EnrollmentState, LessonProgress
from cascade.learning.services import enroll_self
from tests.catalog.conftest import Studio


def _lesson(studio: Studio, title: str, *formats: FormatSpec, **kwargs: Any) -> CatalogItem:
    kwargs.setdefault("audience", studio.everyone)
    item = studio.draft("lesson", title, **kwargs)
    item_formats_set(
        actor=studio.world.actor("author"), item=item, formats=formats or [FormatSpec("article")]
    )
    return studio.publish(item)


def test_a_learner_marks_an_article_read_and_the_page_says_so(studio: Studio) -> None:
    lesson = _lesson(studio, "Reading the edge")
    client = studio.world.browser("learner")
    page = client.get(f"/catalog/{lesson.pk}/").content.decode()
    assert "I read it" in page
    # when
    response = client.post(
        f"/learning/progress/{lesson.pk}/taken/", {"kind": "article"}, follow=True
    )
    # then
    html = response.content.decode()
    assert "Marked as read." in html
    assert "Completed" in html
    assert "I read it" not in html
    progress = LessonProgress.objects.get()
    assert (progress.person, progress.completed_by) == (studio.world.people["learner"], "article")


def test_htmx_gets_the_progress_panel_back(studio: Studio) -> None:
    lesson = _lesson(studio, "Reading the edge")
    response = studio.world.browser("learner").post(
        f"/learning/progress/{lesson.pk}/taken/", {"kind": "article"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="lesson-progress"' in html
    assert "Completed" in html
    assert "<html" not in html


def test_bad_or_invisible_progress_is_refused_and_writes_nothing(studio: Studio) -> None:
    lesson = _lesson(studio, "Reading the edge")
    gold = _lesson(studio, "Gold reading", audience=studio.gold)  # the learner is Silver
    client = studio.world.browser("learner")
    assert (
        client.post(f"/learning/progress/{lesson.pk}/taken/", {"kind": "telepathy"}).status_code
        == 422
    )
    assert (
        client.post(f"/learning/progress/{gold.pk}/taken/", {"kind": "article"}).status_code == 404
    )
    assert client.post(f"/learning/progress/{2**64}/taken/", {"kind": "article"}).status_code == 404
    assert client.get(f"/learning/progress/{lesson.pk}/taken/").status_code == 405
    assert not LessonProgress.objects.exists()


def test_vendor_staff_preview_without_progress_controls(studio: Studio) -> None:
    lesson = _lesson(studio, "Reading the edge")
    page = studio.world.browser("vendor_admin").get(f"/catalog/{lesson.pk}/").content.decode()
    assert "I read it" not in page
    assert "progress.js" not in page


def test_a_course_page_shows_what_is_done_and_where_to_continue(studio: Studio) -> None:
    first = _lesson(studio, "First lesson")
    second = _lesson(studio, "Second lesson")
    course = studio.container("module", "Edge module", [first, second], audience=studio.everyone)
    learner = studio.world.actor("learner")
    enroll_self(actor=learner, item_id=course.pk)
    client = studio.world.browser("learner")
    client.post(f"/learning/progress/{first.pk}/taken/", {"kind": "article"})
    # when
    page = client.get(f"/catalog/{course.pk}/").content.decode()
    # then
    assert "1 of 2 done" in page
    assert "Continue with Second lesson" in page
    assert Enrollment.objects.get(item=course).state != EnrollmentState.COMPLETED
    # finishing the last lesson completes the course
    client.post(f"/learning/progress/{second.pk}/taken/", {"kind": "article"})
    page = client.get(f"/catalog/{course.pk}/").content.decode()
    assert "2 of 2 done" in page
    assert "Continue with" not in page
    assert Enrollment.objects.get(item=course).state == EnrollmentState.COMPLETED


def test_the_lesson_page_counts_a_fixed_number_of_queries(
    studio: Studio, django_assert_max_num_queries: Any
) -> None:
    lessons = [_lesson(studio, f"Lesson {n}") for n in range(6)]
    course = studio.container("module", "Edge module", lessons, audience=studio.everyone)
    client = studio.world.browser("learner")
    for lesson in lessons[:3]:
        client.post(f"/learning/progress/{lesson.pk}/taken/", {"kind": "article"})
    client.get(f"/catalog/{course.pk}/")
    with django_assert_max_num_queries(40) as captured:
        client.get(f"/catalog/{course.pk}/")
    few = len(captured)
    more = [_lesson(studio, f"More {n}") for n in range(6)]
    bigger = studio.container("module", "Bigger module", lessons + more, audience=studio.everyone)
    client.get(f"/catalog/{bigger.pk}/")
    with django_assert_max_num_queries(few):
        client.get(f"/catalog/{bigger.pk}/")


def test_an_invisible_lesson_is_not_found_whatever_the_form_says(studio: Studio) -> None:
    gold = _lesson(studio, "Gold reading", audience=studio.gold)  # the learner is Silver
    client = studio.world.browser("learner")
    assert client.post(f"/learning/progress/{gold.pk}/taken/", {}).status_code == 404
    assert client.post(f"/learning/progress/{gold.pk}/taken/", {"kind": "x"}).status_code == 404
