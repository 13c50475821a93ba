"""The player's heartbeat endpoint: signed-in session and CSRF, JSON in and out, bad input as
problem+json (never a 500), invisible items as 404, and a fixed number of queries."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cascade.events.models import OutboxEvent
from cascade.learning.heartbeats import heartbeats_flush
from cascade.learning.models import Enrollment, EnrollmentState, LessonProgress
from cascade.learning.progress import buffered_state_key, lesson_taken
from cascade.learning.services import enroll_self
from tests.catalog.conftest import Studio

CSRF = "a" * 32  # the form of a CSRF secret; the header must repeat the cookie


def _url(item_id: int) -> str:
    return f"/learning/progress/{item_id}/heartbeat/"


def _player(studio: Studio, name: str = "learner") -> Client:
    client = studio.world.browser(name)
    client.cookies["csrftoken"] = CSRF
    return client


def _beat(client: Client, item_id: int, body: Any, csrf: str | None = CSRF) -> Any:
    headers = {"X-CSRFToken": csrf} if csrf else {}
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(_url(item_id), raw, content_type="application/json", headers=headers)


def _backdate(item_id: int, seconds: float) -> None:
    LessonProgress.objects.filter(item_id=item_id).update(
        last_heartbeat_at=timezone.now() - timedelta(seconds=seconds)
    )


def _stretch(start: float, end: float, duration: float = 100) -> dict[str, Any]:
    return {
        "played_from": start,
        "played_to": end,
        "position": end,
        "duration": duration,
        "locale": "en",
    }


def test_a_heartbeat_records_the_stretch_and_answers_the_share(studio: Studio) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    client = _player(studio)
    # when
    response = _beat(client, lesson.pk, _stretch(0, 30))
    # then
    assert response.status_code == 200
    assert response.json() == {"watched_share": 0.3, "completed": False, "position": 30.0}
    progress = LessonProgress.objects.get()
    assert (progress.person, progress.item_id, progress.watched, progress.locale) == (
        studio.world.people["learner"],
        lesson.pk,
        [[0.0, 30.0]],
        "en",
    )


def test_seeking_adds_nothing_and_replays_count_once(studio: Studio) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    client = _player(studio)
    _beat(client, lesson.pk, _stretch(0, 30))
    _backdate(lesson.pk, 30)
    # seeks to 90 and plays to the end, then replays the beginning
    _beat(client, lesson.pk, _stretch(90, 100))
    _backdate(lesson.pk, 30)
    response = _beat(client, lesson.pk, _stretch(0, 30))
    assert response.json() == {"watched_share": 0.4, "completed": False, "position": 30.0}
    assert LessonProgress.objects.get().watched == [[0.0, 30.0], [90.0, 100.0]]


def test_a_stretch_longer_than_the_time_since_the_last_heartbeat_is_cut(studio: Studio) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    client = _player(studio)
    _beat(client, lesson.pk, _stretch(0, 10, duration=3600))
    _backdate(lesson.pk, 10)
    # claims 1,000 s played 10 s later: 10 s at twice the speed plus 5 s of slack are believed
    response = _beat(client, lesson.pk, _stretch(10, 1010, duration=3600))
    [[start, end]] = LessonProgress.objects.get().watched
    assert (start, end) == (0.0, pytest.approx(35, abs=0.5))
    assert response.json()["watched_share"] == pytest.approx(35 / 3600, abs=0.5 / 3600)


def test_watching_enough_completes_the_lesson_and_the_enrollment(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    enroll_self(actor=world.actor("learner"), item_id=lesson.pk)
    client = _player(studio)
    _beat(client, lesson.pk, _stretch(0, 50))
    _backdate(lesson.pk, 30)
    # when
    response = _beat(client, lesson.pk, _stretch(50, 95))
    # then
    assert response.status_code == 200
    assert response.json() == {"watched_share": 0.95, "completed": True, "position": 95.0}
    assert Enrollment.objects.get().state == EnrollmentState.COMPLETED
    assert OutboxEvent.objects.filter(name="learning.lesson_completed").count() == 1
    # another heartbeat after completion completes nothing twice
    _backdate(lesson.pk, 30)
    assert _beat(client, lesson.pk, _stretch(95, 100)).json()["completed"] is True
    assert OutboxEvent.objects.filter(name="learning.lesson_completed").count() == 1


def test_an_item_the_person_cannot_see_is_not_found(studio: Studio) -> None:
    gold_lesson = studio.published(title="Gold lesson")  # the learner's organization is Silver
    module = studio.container(
        "module", "A module", [studio.published(title="Inside", audience=studio.everyone)]
    )
    client = _player(studio)
    for item_id, body in (
        (gold_lesson.pk, _stretch(0, 10)),
        (module.pk, _stretch(0, 10)),
        (999_999, _stretch(0, 10)),
        (2**64, _stretch(0, 10)),
        # bad input about a lesson one cannot see is still "no such lesson"
        (gold_lesson.pk, "not json"),
        (gold_lesson.pk, {"played_from": "a while"}),
    ):
        response = _beat(client, item_id, body)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "item_not_found"
    assert not LessonProgress.objects.exists()


def test_another_programs_person_gets_404(studio: Studio) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    client = Client(HTTP_HOST=studio.world.other_host)
    client.force_login(studio.world.people["b_admin"])
    client.cookies["csrftoken"] = CSRF
    assert _beat(client, lesson.pk, _stretch(0, 10)).status_code == 404
    assert not LessonProgress.objects.exists()


def test_signed_out_visitors_and_requests_without_csrf_are_refused(studio: Studio) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    anonymous = Client(HTTP_HOST=studio.world.host)
    anonymous.cookies["csrftoken"] = CSRF
    response = _beat(anonymous, lesson.pk, _stretch(0, 10))
    assert (response.status_code, response.json()["code"]) == (401, "not_signed_in")
    signed_in = Client(HTTP_HOST=studio.world.host, enforce_csrf_checks=True)
    signed_in.force_login(studio.world.people["learner"])
    assert _beat(signed_in, lesson.pk, _stretch(0, 10), csrf=None).status_code == 403
    signed_in.cookies["csrftoken"] = CSRF
    assert _beat(signed_in, lesson.pk, _stretch(0, 10), csrf="b" * 32).status_code == 403
    assert not LessonProgress.objects.exists()
    # the same client with the token in the header, as the player sends it
    assert _beat(signed_in, lesson.pk, _stretch(0, 10)).status_code == 200


def test_only_post_is_accepted(studio: Studio) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    assert _player(studio).get(_url(lesson.pk)).status_code == 405


@pytest.mark.parametrize(
    ("body", "status", "fields"),
    [
        ("not json", 400, []),
        (b"\xff\xfe", 400, []),
        ("[1, 2]", 400, []),
        ({}, 422, ["played_from", "played_to", "position", "duration"]),
        ({**_stretch(0, 10), "played_to": "10"}, 422, ["played_to"]),
        ({**_stretch(0, 10), "position": True}, 422, ["position"]),
        ({**_stretch(0, 10), "duration": None}, 422, ["duration"]),
        ({**_stretch(0, 10), "locale": 7}, 422, ["locale"]),
        ({**_stretch(0, 10), "duration": 0}, 422, ["duration"]),
        ({**_stretch(0, 10), "played_to": 500}, 422, ["played_to"]),
        ({**_stretch(20, 10)}, 422, ["played_to"]),
        ({**_stretch(0, 10), "played_from": -1}, 422, ["played_from"]),
        ({**_stretch(0, 10), "duration": 10**9}, 422, ["duration"]),
        ('{"played_from": 0, "played_to": NaN, "position": 0, "duration": 10}', 422, None),
        ('{"played_from": 0, "played_to": 1e999, "position": 0, "duration": 10}', 422, None),
        ("x" * 5000, 413, []),
    ],
)
def test_bad_input_is_a_problem_never_a_server_error(
    studio: Studio, body: Any, status: int, fields: list[str] | None
) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    response = _beat(_player(studio), lesson.pk, body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    if fields is not None:
        assert [e["field"] for e in problem["errors"]] == fields
    assert not LessonProgress.objects.exists()


def test_a_heartbeat_costs_a_fixed_number_of_queries(studio: Studio) -> None:
    lessons = [
        studio.published(title=f"Video lesson {n}", audience=studio.everyone) for n in range(3)
    ]
    client = _player(studio)
    for lesson in lessons:
        _beat(client, lesson.pk, _stretch(0, 10))  # warm: the progress row exists
    counts = []
    for lesson in lessons:
        _backdate(lesson.pk, 30)
        with CaptureQueriesContext(connection) as captured:
            response = _beat(client, lesson.pk, _stretch(10, 40))
        assert response.status_code == 200
        # (the transaction's own statements aside: savepoints here, BEGIN and COMMIT in a server)
        counts.append(
            sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].upper())
        )
    assert counts == [HEARTBEAT_QUERIES] * 3


# The session, the person, their membership with its organization (who they are for audience
# rules; the organization's specializations and the admitted audience ids are cached); the
# progress row, locked, on the condition that the lesson is visible; its update.
HEARTBEAT_QUERIES = 5


# --- buffered in Redis (production's cache) ------------------------------------------------


@pytest.fixture
def buffered(settings: Any) -> Iterator[None]:
    """The production cache: Redis, with a prefix of this test's own (skipped without Redis)."""
    import redis

    location = os.environ.get("CASCADE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(location, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {location}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "cascade.core.redis_cache.KeptClientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    client = redis.Redis.from_url(location)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def _buffered_state(person_id: int, item_id: int) -> dict[str, Any]:
    return cache.get(buffered_state_key(studio_tenant_id(), person_id, item_id))  # type: ignore[no-any-return]


def studio_tenant_id() -> int:
    from cascade.core.scoping import current_tenant_id

    tenant_id = current_tenant_id()
    assert tenant_id is not None
    return tenant_id


def _backdate_buffered(person_id: int, item_id: int, seconds: float) -> None:
    key = buffered_state_key(studio_tenant_id(), person_id, item_id)
    state = cache.get(key)
    state["at"] -= seconds
    cache.set(key, state)


@pytest.mark.usefixtures("buffered")
def test_buffered_heartbeats_wait_in_redis_and_are_flushed(studio: Studio) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    person = studio.world.people["learner"]
    client = _player(studio)
    # the first heartbeat goes to the database
    assert _beat(client, lesson.pk, _stretch(0, 30)).json()["watched_share"] == 0.3
    assert LessonProgress.objects.get().watched == [[0.0, 30.0]]
    _backdate_buffered(person.pk, lesson.pk, 30)
    # the next ones wait in Redis, without a query
    with CaptureQueriesContext(connection) as captured:
        response = _beat(client, lesson.pk, _stretch(90, 100))
    assert response.json() == {"watched_share": 0.4, "completed": False, "position": 100.0}
    assert captured.captured_queries == []
    assert LessonProgress.objects.get().watched == [[0.0, 30.0]]
    _backdate_buffered(person.pk, lesson.pk, 30)
    # replaying the beginning adds nothing
    assert _beat(client, lesson.pk, _stretch(0, 30)).json()["watched_share"] == 0.4
    # when the minute's sweep runs
    assert heartbeats_flush() == 1
    # then
    progress = LessonProgress.objects.get()
    assert (progress.watched, progress.watched_share, progress.position_seconds) == (
        [[0.0, 30.0], [90.0, 100.0]],
        0.4,
        30.0,
    )
    assert heartbeats_flush() == 0


@pytest.mark.usefixtures("buffered")
def test_a_buffered_stretch_is_cut_to_what_time_allows(studio: Studio) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    person = studio.world.people["learner"]
    client = _player(studio)
    _beat(client, lesson.pk, _stretch(0, 10, duration=3600))
    _backdate_buffered(person.pk, lesson.pk, 10)
    _beat(client, lesson.pk, _stretch(10, 1010, duration=3600))
    [[start, end]] = _buffered_state(person.pk, lesson.pk)["watched"]
    assert (start, end) == (0.0, pytest.approx(35, abs=0.5))


@pytest.mark.usefixtures("buffered")
def test_a_buffered_heartbeat_that_completes_writes_at_once_and_only_once(
    studio: Studio,
) -> None:
    world = studio.world
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    enroll_self(actor=world.actor("learner"), item_id=lesson.pk)
    person = world.people["learner"]
    client = _player(studio)
    _beat(client, lesson.pk, _stretch(0, 50))
    _backdate_buffered(person.pk, lesson.pk, 30)
    # when
    response = _beat(client, lesson.pk, _stretch(50, 95))
    # then
    assert response.json() == {"watched_share": 0.95, "completed": True, "position": 95.0}
    progress = LessonProgress.objects.get()
    assert (progress.watched_share, progress.completed_by) == (0.95, "video")
    assert Enrollment.objects.get().state == EnrollmentState.COMPLETED
    _backdate_buffered(person.pk, lesson.pk, 30)
    assert _beat(client, lesson.pk, _stretch(95, 100)).json()["completed"] is True
    assert OutboxEvent.objects.filter(name="learning.lesson_completed").count() == 1


@pytest.mark.usefixtures("buffered")
def test_buffered_heartbeats_refuse_what_the_database_path_refuses(studio: Studio) -> None:
    world = studio.world
    gold_lesson = studio.published(title="Gold lesson")  # the learner's organization is Silver
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    client = _player(studio)
    # a session from before a password change no longer counts (checked when not cached)
    person = world.people["learner"]
    person.set_password("a-new-password-entirely")
    person.save()
    assert _beat(client, lesson.pk, _stretch(0, 10)).status_code == 401
    client = _player(studio)
    assert _beat(client, gold_lesson.pk, _stretch(0, 10)).status_code == 404
    assert _beat(client, lesson.pk, {**_stretch(0, 10), "duration": 0}).status_code == 422
    anonymous = Client(HTTP_HOST=world.host)
    anonymous.cookies["csrftoken"] = CSRF
    assert _beat(anonymous, lesson.pk, _stretch(0, 10)).status_code == 401
    assert not LessonProgress.objects.exists()


@pytest.mark.usefixtures("buffered")
def test_a_write_through_the_database_path_drops_the_buffered_copy(
    studio: Studio, commit: Any
) -> None:
    lesson = studio.published(title="Video lesson", audience=studio.everyone)
    person = studio.world.people["learner"]
    client = _player(studio)
    _beat(client, lesson.pk, _stretch(0, 10))
    assert _buffered_state(person.pk, lesson.pk) is not None
    # when the lesson is completed another way (the headless player's API, say)
    with commit():
        lesson_taken(actor=studio.world.actor("learner"), item_id=lesson.pk, kind="link")
    # then the next heartbeat starts again from the database
    assert _buffered_state(person.pk, lesson.pk) is None
    assert _beat(client, lesson.pk, _stretch(10, 20)).json()["completed"] is True
