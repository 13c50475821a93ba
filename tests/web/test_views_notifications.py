"""The notifications page: one's own inbox, marking read (one by htmx, or all)."""

from __future__ import annotations

from cascade.notifications.models import Notification
from tests.conftest import World
from tests.web.conftest import queries


def _notify(world: World, name: str, title: str) -> Notification:
    notification: Notification = Notification.objects.create(
        tenant=world.tenant, person=world.people[name], kind="registration.pending", title=title
    )
    return notification


def test_the_list_shows_only_ones_own_notifications_newest_first(world: World) -> None:
    # given
    _notify(world, "learner", "First")
    _notify(world, "learner", "Second")
    _notify(world, "manager", "Not yours")
    # when
    response = world.browser("learner").get("/notifications/")
    # then
    assert [n.title for n in response.context["notifications"].items] == ["Second", "First"]
    assert b"Not yours" not in response.content


def test_marking_one_read_with_htmx_returns_the_item_and_the_bell(world: World) -> None:
    # given
    first = _notify(world, "learner", "First")
    _notify(world, "learner", "Second")
    # when
    response = world.browser("learner").post(
        "/notifications/read/", {"id": first.pk}, headers={"HX-Request": "true"}
    )
    # then
    html = response.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None
    assert f'id="notification-{first.pk}"' in html
    assert 'id="notification-bell" class="bell" href="/notifications/" hx-swap-oob="true"' in html
    assert '<span class="badge">1<span class="visually-hidden"> unread</span></span>' in html


def test_marking_someone_elses_notification_changes_nothing(world: World) -> None:
    # given
    theirs = _notify(world, "manager", "Theirs")
    # when
    world.browser("learner").post("/notifications/read/", {"id": theirs.pk})
    # then
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(world: World) -> None:
    # given
    for title in ("A", "B"):
        _notify(world, "learner", title)
    # when
    response = world.browser("learner").post("/notifications/read/")
    # then
    assert response["Location"] == "/notifications/"
    assert Notification.objects.filter(person=world.people["learner"], read_at=None).count() == 0


def test_the_list_query_count_does_not_grow_with_rows(world: World) -> None:
    client = world.browser("learner")
    _notify(world, "learner", "One")
    client.get("/notifications/")
    before = queries(lambda: client.get("/notifications/"))
    for number in range(10):
        _notify(world, "learner", f"More {number}")
    assert queries(lambda: client.get("/notifications/")) == before
