"""The learner's home: continue where you left off, assigned (due first, late flagged),
recommended for your role; a fixed number of queries whatever the person's history."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cascade.catalog.item_models import CatalogItem
from cascade.catalog.items import item_retire
from cascade.catalog.revision_models import ItemRevision
from cascade.learning.curricula import curriculum_set
from cascade.learning.models import Enrollment
from cascade.learning.onboarding import phase_add, program_update
from cascade.learning.progress import video_heartbeat
from cascade.learning.services import assign
from tests.catalog.conftest import Studio
from tests.learning.onboarding_scene import build_onboarding


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
    client.get("/")  # publishing made the cached recent changes stale: read them again
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)


def test_due_soon_comes_first_and_later_learning_stays_below(studio: Studio) -> None:
    world = studio.world
    today = timezone.localdate()
    soon = studio.published(title="Due this week", audience=studio.everyone)
    later = studio.published(title="Due next quarter", audience=studio.everyone)
    for item, days in ((soon, 5), (later, 90)):
        Enrollment.objects.create(
            tenant=world.tenant,
            person=world.people["learner"],
            item=item,
            source="vendor",
            required=True,
            due_on=today + timedelta(days=days),
        )
    html = _home(studio)
    due_soon = html.index("Due soon")
    also = html.index("Also assigned to you or chosen")
    assert due_soon < html.index("Due this week") < also < html.index("Due next quarter")


def test_recently_updated_content_shows_what_the_person_took_first(studio: Studio) -> None:
    world = studio.world
    taken = studio.published(title="Edge basics, taken", audience=studio.everyone)
    studio.published(title="Another new lesson", audience=studio.everyone)
    old = studio.published(title="Old lesson", audience=studio.everyone)
    long_ago = timezone.now() - timedelta(days=400)
    CatalogItem.objects.filter(pk=old.pk).update(published_at=long_ago)
    ItemRevision.objects.filter(item=old).update(published_at=long_ago)
    Enrollment.objects.create(
        tenant=world.tenant, person=world.people["learner"], item=taken, source="self"
    )
    html = _home(studio)
    section = html[html.index("Recently updated") :]
    assert section.index("Edge basics, taken") < section.index("Another new lesson")
    assert "you took it before" in section
    assert "Old lesson" not in section


def test_recently_updated_content_follows_publication_and_retirement_at_once(
    studio: Studio,
) -> None:
    # What each audience sees of the recent changes is cached: publishing or retiring makes it
    # stale at once.
    first = studio.published(title="First new lesson", audience=studio.everyone)
    assert "First new lesson" in _home(studio)
    studio.published(title="Second new lesson", audience=studio.everyone)
    html = _home(studio)
    assert "Second new lesson" in html[html.index("Recently updated") :]
    item_retire(actor=studio.world.actor("author"), item=first)
    assert "First new lesson" not in _home(studio)


def test_recommendations_leave_out_what_the_person_already_has(studio: Studio) -> None:
    world = studio.world
    enrolled = studio.published(title="Already enrolled", audience=studio.everyone)
    fresh = studio.published(title="Not taken yet", audience=studio.everyone)
    curriculum_set(
        actor=world.actor("vendor_admin"),
        job_role="sales",
        business_model="",
        name="Sales",
        item_ids=[enrolled.pk, fresh.pk],
    )
    Enrollment.objects.create(
        tenant=world.tenant, person=world.people["learner"], item=enrolled, source="self"
    )
    html = _home(studio)
    section = html[html.index("Recommended for your role") :]
    section = section[: section.index("</ul>")]
    assert "Not taken yet" in section
    assert "Already enrolled" not in section


def test_the_home_reads_curricula_and_onboarding_changes_at_once(studio: Studio) -> None:
    # Both are cached for every learner home; a change must not wait for the cache to expire.
    world = studio.world
    onboarding = build_onboarding(studio)
    first = studio.published(title="Selling the platform", audience=studio.everyone)
    second = studio.published(title="Advanced objection handling", audience=studio.everyone)
    admin = world.actor("vendor_admin")
    curriculum_set(
        actor=admin, job_role="sales", business_model="", name="Sales", item_ids=[first.pk]
    )
    html = _home(studio)
    assert "Selling the platform" in html.split("Recommended for your role", 1)[1]
    assert "Week 1: foundations" in html
    assert "Quarter 2: specialist" not in html
    curriculum_set(
        actor=admin, job_role="sales", business_model="", name="Sales", item_ids=[second.pk]
    )
    phase_add(
        actor=admin,
        program=onboarding.program,
        name="Quarter 2: specialist",
        starts_after_days=90,
        due_after_days=180,
    )
    html = _home(studio)
    recommended = html.split("Recommended for your role", 1)[1].split("<h3", 1)[0]
    assert "Advanced objection handling" in recommended
    assert "Selling the platform" not in recommended
    assert "Quarter 2: specialist" in html
    program_update(actor=admin, program=onboarding.program, active=False)
    assert "Week 1: foundations" not in _home(studio)


def test_a_warm_home_makes_a_known_number_of_queries(studio: Studio) -> None:
    world = studio.world
    build_onboarding(studio)
    item = studio.published(title="Selling the platform", audience=studio.everyone)
    curriculum_set(
        actor=world.actor("vendor_admin"),
        job_role="sales",
        business_model="",
        name="Sales",
        item_ids=[item.pk],
    )
    video = studio.published(title="Edge video", audience=studio.everyone)
    video_heartbeat(
        actor=world.actor("learner"),
        item_id=video.pk,
        played_from=0,
        played_to=30,
        position=30,
        duration=120,
    )
    client = world.browser("learner")
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    assert "Selling the platform" in response.content.decode()
    assert "Edge video" in response.content.decode()
    # The session; the person; their membership with its person, organization and tier (who
    # they are for audience rules, with the organization's specializations and the audiences
    # admitting them cached); where they left off; their open enrollments; which of the
    # candidates for the other sections they hold (their curriculum, the recent changes their
    # audiences see and the onboarding milestones, all cached); the titles and kinds of
    # everything shown. (The business events reported for their onboarding and their unread
    # notifications count are cached too.)
    assert len(captured) == HOME_QUERIES, "\n".join(q["sql"][:120] for q in captured)


HOME_QUERIES = 7
