"""The video player's heartbeats, buffered in Redis between database writes.

Every person watching a video sends a heartbeat every 10-30 s, so heartbeats are the busiest
write of the program by far; written one by one (`progress.video_heartbeat`: who the person is,
whether they may see the lesson, the progress row locked and updated) each costs seven queries
and about 10 ms of CPU, which caps two cores near 200 heartbeats a second. Decision 0007 gives
the figures. This path keeps the same rules (merged stretches, stretches cut to what the time
since the previous heartbeat allows, completion at the configured share, its domain events and
the roll-up to modules, courses and paths) but keeps the person's progress in a lesson in Redis
and writes it to the database:

- at the first heartbeat of a lesson (through `progress.video_heartbeat`, which also checks
  everything), and when the lesson becomes complete (the row is locked, the completion and its
  events recorded in the same transaction, exactly once);
- at the latest `CASCADE_HEARTBEAT_FLUSH_SECONDS` (60 s) after the previous write, by the
  heartbeat that finds it due;
- for the rest, by `heartbeats_flush` (`cascade flush_heartbeats`, every minute beside the task
  workers), which writes every progress buffered since: so what the database shows (resume
  points, progress pages, reports) is at most about two minutes behind the player.

Who the session's person is (the session read from its store, its authentication hash checked
against the account, their membership and what the audience rules see of them) and what the
lesson is (kind, audience, published or not) are cached for `IDENTITY_SECONDS`: a session
signed out, a person deactivated or moved, or a lesson retired, may still record heartbeats for
that long. Which audiences admit the viewer comes from
the catalog's cache, which audience changes invalidate at once.

Without Redis (development, tests by default) or with the flush period set to 0, nothing is
buffered: every heartbeat goes through `progress.video_heartbeat`.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache, RedisSerializer
from django.db import transaction
from django.utils.crypto import constant_time_compare

from cascade.access.actor import actor_for_person
from cascade.catalog.browse import live_items
from cascade.catalog.selectors import admitted_audience_ids, audience_generation_key, viewer_for
from cascade.core.errors import NotFound, PermissionDenied
from cascade.identity.models import Person
from cascade.learning.models import LessonProgress, ProgressKind
from cascade.learning.progress import (
    HEARTBEAT_FIELDS,
    LESSON_KINDS,
    believable_seconds,
    buffered_state_key,
    checked_stretch,
    completion_share,
    covered_seconds,
    merge_intervals,
    record_lesson_completion,
    video_heartbeat,
)
from cascade.tenancy.models import Tenant

IDENTITY_SECONDS = 60
# Buffered progress outlives any flush period by far; it is dropped once written or stale.
STATE_SECONDS = 24 * 3600
PENDING_KEY = "cascade:heartbeat:pending"
FLUSH_BATCH = 500


@dataclass(frozen=True)
class HeartbeatAnswer:
    """What the player is told back."""

    watched_share: float
    completed: bool
    position: float


def flush_seconds() -> float:
    return float(getattr(settings, "CASCADE_HEARTBEAT_FLUSH_SECONDS", 60))


# Values are stored as Django's Redis cache stores them (pickle), so that both read them.
_serializer = RedisSerializer(protocol=pickle.HIGHEST_PROTOCOL)


def buffer_client() -> Any | None:
    """The Redis client heartbeats are buffered in, or None when they are not buffered."""
    backend = caches["default"]
    if flush_seconds() <= 0 or not isinstance(backend, RedisCache):
        return None
    # The cache's own client: `KeptClientRedisCache` keeps it (Django's builds one per call,
    # about 0.5 ms of CPU, when a heartbeat is budgeted at about a millisecond in all).
    return backend._cache.get_client(write=True)


def _get_many(client: Any | None, keys: list[str]) -> dict[str, Any]:
    """Like `cache.get_many`, through the kept client when there is one."""
    if client is None:
        return cache.get_many(keys)
    values = client.mget([cache.make_key(key) for key in keys])
    return {
        key: _serializer.loads(value)
        for key, value in zip(keys, values, strict=True)
        if value is not None
    }


def _signed_in(tenant: Tenant, session: SessionBase) -> tuple[int, list[int] | None]:
    """The person a session signed in and the audiences admitting them (None: vendor staff,
    who see every live lesson). The session must carry the account's current authentication
    hash, as Django's authentication checks it."""
    person_id = str(session.get(SESSION_KEY) or "")
    person = (
        Person.objects.filter(pk=int(person_id), is_active=True).first()
        if (person_id.isdigit())
        else None
    )
    if person is None or not constant_time_compare(
        person.get_session_auth_hash(), str(session.get(HASH_SESSION_KEY) or "")
    ):
        raise PermissionDenied("Sign in to record progress.", code="not_signed_in")
    viewer = viewer_for(actor_for_person(tenant=tenant, person=person))
    return person.pk, None if viewer is None else admitted_audience_ids(viewer)


def _lesson_audience(item_id: int) -> tuple[str, int | None]:
    """("live", its audience id) for a published lesson or card, ("absent", None) otherwise."""
    audience_id = (
        live_items()
        .filter(pk=item_id, kind__in=LESSON_KINDS)
        .values_list("published_audience_id", flat=True)
        .first()
    )
    return ("live", audience_id) if audience_id is not None else ("absent", None)


def _state_of(progress: LessonProgress, flushed: float) -> dict[str, Any]:
    at = progress.last_heartbeat_at
    return {
        "tenant": progress.tenant_id,
        "person": progress.person_id,
        "item": progress.item_id,
        "revision": progress.revision_number,
        "watched": progress.watched,
        "duration": progress.video_seconds,
        "share": progress.watched_share,
        "position": progress.position_seconds,
        "locale": progress.locale,
        "at": at.timestamp() if at is not None else None,
        "completed": progress.completed_at is not None,
        "flushed": flushed,
    }


def _answer(state: dict[str, Any]) -> HeartbeatAnswer:
    return HeartbeatAnswer(
        watched_share=state["share"], completed=state["completed"], position=state["position"]
    )


def heartbeat_record(
    *,
    tenant: Tenant,
    session: SessionBase,
    item_id: int,
    played_from: float,
    played_to: float,
    position: float,
    duration: float,
    locale: str = "",
) -> HeartbeatAnswer:
    """Record a heartbeat of the person `session` (the request's) signed in: in Redis when it
    can wait, in the database when it cannot (see the module's docstring).

    A warm heartbeat makes no query: one round trip reads who the session's person is, the
    lesson and the audiences' generation, one the buffered progress, one writes it back."""
    start, end, position, duration = checked_stretch(played_from, played_to, position, duration)
    if not session.session_key:
        raise PermissionDenied("Sign in to record progress.", code="not_signed_in")
    digest = hashlib.sha256(session.session_key.encode()).hexdigest()[:32]
    who_key = f"cascade:heartbeat:session:{tenant.pk}:{digest}"
    lesson_key = f"cascade:heartbeat:lesson:{tenant.pk}:{item_id}"
    # Audience changes bump the catalog's generation: the cached reach is stale at once.
    generation_key = audience_generation_key(tenant.pk)
    client = buffer_client()
    found = _get_many(client, [who_key, lesson_key, generation_key])
    generation = found.get(generation_key, 0)
    who = found.get(who_key)
    if who is None or who[0] != generation:
        who = (generation, *_signed_in(tenant, session))
        cache.set(who_key, who, IDENTITY_SECONDS)
    lesson = found.get(lesson_key)
    if lesson is None:
        lesson = _lesson_audience(item_id)
        cache.set(lesson_key, lesson, IDENTITY_SECONDS)
    _, person_id, admitted = who
    status, audience_id = lesson
    if status != "live" or (admitted is not None and audience_id not in admitted):
        raise NotFound("No such lesson.", code="item_not_found")
    state_key = buffered_state_key(tenant.pk, person_id, item_id)
    state = _get_many(client, [state_key]).get(state_key)
    if client is None or state is None:
        # The first heartbeat here (or nothing buffered): the database path, checked in full.
        person = Person.objects.get(pk=person_id)
        progress = video_heartbeat(
            actor=actor_for_person(tenant=tenant, person=person),
            item_id=item_id,
            played_from=start,
            played_to=end,
            position=position,
            duration=duration,
            locale=locale,
        )
        state = _state_of(progress, flushed=time.time())
        if client is not None:
            client.set(cache.make_key(state_key), _dumps(state), ex=STATE_SECONDS)
        return _answer(state)
    now = time.time()
    elapsed = now - state["at"] if state["at"] is not None else None
    end = min(end, start + believable_seconds(elapsed))
    state["watched"] = merge_intervals([*state["watched"], [start, end]])
    state["duration"] = duration
    state["share"] = min(covered_seconds(state["watched"]) / duration, 1.0)
    state["position"] = position
    state["locale"] = locale[:12]
    state["at"] = now
    completes = not state["completed"] and state["share"] >= completion_share()
    pipeline = client.pipeline(transaction=False)
    if completes or now - state["flushed"] >= flush_seconds():
        _write(state, complete=completes)
        state["flushed"] = now
        pipeline.srem(cache.make_key(PENDING_KEY), state_key)
    else:
        pipeline.sadd(cache.make_key(PENDING_KEY), state_key)
    pipeline.set(cache.make_key(state_key), _dumps(state), ex=STATE_SECONDS)
    pipeline.execute()
    return _answer(state)


def _dumps(state: dict[str, Any]) -> bytes:
    # Written with the Redis client itself (to add the key to the pending set in the same round
    # trip), in the format of Django's Redis cache, which reads it back.
    return bytes(_serializer.dumps(state))


@transaction.atomic
def _write(state: dict[str, Any], *, complete: bool = False) -> None:
    """Write buffered progress to its row (locked); complete the lesson when it is due and the
    row does not say so already (another path may have completed it meanwhile)."""
    progress = (
        LessonProgress.unscoped.select_for_update()
        .filter(tenant_id=state["tenant"], person_id=state["person"], item_id=state["item"])
        .first()
    )
    if progress is None:
        return
    progress.watched = state["watched"]
    progress.video_seconds = state["duration"]
    progress.watched_share = state["share"]
    progress.position_seconds = state["position"]
    progress.locale = state["locale"]
    progress.last_format = ProgressKind.VIDEO
    progress.last_heartbeat_at = datetime.fromtimestamp(state["at"], tz=UTC)
    progress.save(update_fields=HEARTBEAT_FIELDS)
    if complete and progress.completed_at is None:
        person = Person.objects.get(pk=state["person"])
        actor = actor_for_person(tenant=Tenant.objects.get(pk=state["tenant"]), person=person)
        record_lesson_completion(actor, state["item"], progress, ProgressKind.VIDEO)
    state["completed"] = progress.completed_at is not None


def heartbeats_flush() -> int:
    """Write every buffered progress to the database (run every minute). Returns how many."""
    client = buffer_client()
    if client is None:
        return 0
    pending = cache.make_key(PENDING_KEY)
    written = 0
    while keys := client.spop(pending, FLUSH_BATCH):
        for state in cache.get_many([key.decode() for key in keys]).values():
            _write(state)
            written += 1
    return written
