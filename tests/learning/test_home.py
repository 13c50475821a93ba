"""The learner's home: continue where you left off, assigned (due first, late flagged),
recommended for your role; a fixed number of queries whatever the person's history."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cascade.learning.curricula import curriculum_set
from cascade.learning.models import Enrollment
from cascade.learning.progress import video_heartbeat
from cascade.learning.services import assign
from tests.catalog.conftest import Studio


def _home(studio: Studio) -> str:
    return studio.world.browser("learner").get("/").content.decode()


def test_the_home_shows_what_to_continue_what_is_assigned_and_what_is_recommended(
    studio: Studio,
) -> None:
    world = studio.world
    reseller = world.orgs["reseller"]
    reseller.allow_parent_assignment = True
    reseller.save()
    today = timezone.localdate()
    video = studio.published(title="Edge video", audience=studio.everyone)
    assigned = studio.published(title="Firewall basics", audience=studio.everyone)
    recommended = studio.published(title="Pitching SD-WAN", audience=studio.everyone)
    video_heartbeat(
        actor=world.actor("learner"),
        item_id=video.pk,
        played_from=0,
        played_to=30,
        position=30,
        duration=120,
    )
    assign(
        actor=world.actor("manager"),
        item_id=assigned.pk,
        membership_ids=[world.memberships["learner"].pk],
        due_on=today + timedelta(days=3),
    )
    curriculum_set(
        actor=world.actor("vendor_admin"),
        job_role="sales",
        business_model="",
        name="Sales",
        item_ids=[recommended.pk],
    )
    html = _home(studio)
    assert "Continue where you left off" in html
    assert "Edge video" in html
    assert "25% watched" in html
    assert "Firewall basics" in html
    assert "required" in html
    assert f"Due {(today + timedelta(days=3)):%-d %b %Y}" in html
    assert "Recommended for your role" in html
    assert "Pitching SD-WAN" in html
    # late learning is flagged
    Enrollment.objects.update(due_on=today - timedelta(days=2))
    assert f"Overdue since {(today - timedelta(days=2)):%-d %b %Y}" in _home(studio)


def test_the_home_costs_the_same_queries_for_a_long_history(studio: Studio) -> None:
    world = studio.world
    client = world.browser("learner")

    def add(count: int) -> None:
        for index in range(count):
            lesson = studio.published(title=f"Lesson {index}", audience=studio.everyone)
            video_heartbeat(
                actor=world.actor("learner"),
                item_id=lesson.pk,
                played_from=0,
                played_to=5,
                position=5,
                duration=100,
            )

    add(2)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    add(8)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)
