"""The catalog item page's "Add to my learning": partner people enroll in what they can see."""

from __future__ import annotations

from cascade.learning.models import Enrollment, EnrollmentSource
from tests.catalog.conftest import Studio


def test_a_learner_adds_an_item_to_their_learning_from_its_page(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Open lesson", audience=studio.everyone)
    client = world.browser("learner")
    page = client.get(f"/catalog/{lesson.pk}/").content.decode()
    assert "Add to my learning" in page
    # when
    response = client.post(f"/catalog/{lesson.pk}/enroll/", follow=True)
    # then
    html = response.content.decode()
    assert "It is in your learning now." in html
    assert "In your learning" in html
    assert "Add to my learning" not in html
    enrollment = Enrollment.objects.get()
    assert (enrollment.person, enrollment.source) == (
        world.people["learner"],
        EnrollmentSource.SELF,
    )
    # twice is still one enrollment
    client.post(f"/catalog/{lesson.pk}/enroll/")
    assert Enrollment.objects.count() == 1


def test_nobody_enrolls_in_what_they_cannot_see_nor_by_get(studio: Studio) -> None:
    world = studio.world
    gold = studio.published(title="Gold lesson")  # the learner is Silver
    open_lesson = studio.published(title="Open lesson", audience=studio.everyone)
    client = world.browser("learner")
    assert client.post(f"/catalog/{gold.pk}/enroll/").status_code == 404
    assert client.get(f"/catalog/{open_lesson.pk}/enroll/").status_code == 405
    assert not Enrollment.objects.exists()


def test_vendor_staff_look_without_enrolling(studio: Studio) -> None:
    lesson = studio.published(title="Open lesson", audience=studio.everyone)
    page = studio.world.browser("vendor_admin").get(f"/catalog/{lesson.pk}/").content.decode()
    assert "Add to my learning" not in page
