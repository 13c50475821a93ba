"""Progress in lessons, and the completion of what contains them.

- A video counts the seconds actually played: the player reports each played stretch
  [from, to] in its heartbeats; stretches are merged, so seeking adds nothing and replays add
  nothing twice. A stretch longer than the time since the previous heartbeat allows (at the
  fastest playback rate, plus a little slack) is cut to what was possible. The video is complete
  at `CASCADE_VIDEO_COMPLETION_SHARE` of its length (90% unless configured).
- An article read, a document opened or downloaded, a link visited complete the lesson at once:
  formats are equivalent, the learner picks one.
- A lesson completed once counts in every module, course and path that uses it. A module or
  course is complete when every required child is; a path when every required step is and as
  many electives as it asks for. Containers follow their published revision.
Completing anything records a domain event (`learning.lesson_completed`, `learning.completed`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.catalog.browse import items_visible_to
from cascade.catalog.item_models import CatalogItem, ItemKind
from cascade.catalog.revision_models import ItemRevision
from cascade.catalog.selectors import viewer_for
from cascade.core.errors import NotFound, PermissionDenied, ValidationFailed
from cascade.events.services import event_record
from cascade.learning.models import (
    OPEN_STATES,
    Enrollment,
    EnrollmentState,
    LessonProgress,
    ProgressKind,
)
from cascade.learning.services import enrollment_complete, enrollment_start

MAX_PLAYBACK_RATE = 2.0
HEARTBEAT_SLACK_SECONDS = 5.0
# Before any heartbeat, the longest stretch believed (players report every 10-30 s).
FIRST_HEARTBEAT_SECONDS = 60.0
MAX_VIDEO_SECONDS = 24 * 3600.0
LESSON_KINDS = (ItemKind.LESSON, ItemKind.CARD)
CONTAINER_KINDS = (ItemKind.MODULE, ItemKind.COURSE, ItemKind.PATH)
# What a heartbeat changes (one UPDATE of these columns).
HEARTBEAT_FIELDS = [
    "revision_number",
    "watched",
    "video_seconds",
    "watched_share",
    "position_seconds",
    "last_heartbeat_at",
    "last_format",
    "locale",
    "updated_at",
]


def completion_share() -> float:
    return float(getattr(settings, "CASCADE_VIDEO_COMPLETION_SHARE", 0.9))


def merge_intervals(intervals: Iterable[Iterable[float]]) -> list[list[float]]:
    """Sorted, non-overlapping intervals covering the same seconds."""
    merged: list[list[float]] = []
    for start, end in sorted((float(a), float(b)) for a, b in intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def covered_seconds(intervals: Iterable[Iterable[float]]) -> float:
    return sum(end - start for start, end in merge_intervals(intervals))


def _visible_lessons(actor: Actor) -> QuerySet[CatalogItem]:
    if actor.person is None:
        raise PermissionDenied("Sign in to record progress.", code="not_signed_in")
    return items_visible_to(viewer_for(actor)).filter(kind__in=LESSON_KINDS)


def lesson_exists_for(actor: Actor, item_id: int) -> bool:
    """Whether the person may record progress in this lesson (one query)."""
    return _visible_lessons(actor).filter(pk=item_id).exists()


def _lesson(actor: Actor, item_id: int) -> CatalogItem:
    item = _visible_lessons(actor).select_related("published_revision").filter(pk=item_id).first()
    if item is None:
        raise NotFound("No such lesson.", code="item_not_found")
    return item


def _progress(actor: Actor, item: CatalogItem) -> LessonProgress:
    assert actor.person is not None
    progress, _ = LessonProgress.objects.select_for_update().get_or_create(
        tenant=actor.tenant, person=actor.person, item=item
    )
    revision = item.published_revision
    if revision is not None:
        progress.revision_number = revision.number
    return progress


def _locked_progress(actor: Actor, item_id: int) -> LessonProgress:
    """The person's progress in a lesson they may see, locked until the transaction ends.

    A heartbeat is the busiest write there is (every viewer, every 10-30 s), so the usual case
    is one query: the progress row, locked, on the condition that the lesson is visible (the
    viewer's admitted audiences come from the cache). Only the first heartbeat of a lesson, or
    one for a lesson the person may not see, asks about the lesson itself.
    """
    visible = _visible_lessons(actor)
    progress = (
        LessonProgress.objects.select_for_update(of=("self",))
        .filter(person=actor.person, item_id=item_id, item__in=visible.values("pk"))
        .annotate(live_revision=F("item__published_revision__number"))
        .first()
    )
    if progress is None:
        return _progress(actor, _lesson(actor, item_id))
    live_revision = getattr(progress, "live_revision", None)
    if live_revision is not None:
        progress.revision_number = live_revision
    return progress


def _seconds(field: str, value: float, upper: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed.field(field, "Give a number of seconds.", code="invalid") from exc
    if not 0 <= number <= upper or number != number:  # NaN is not a time
        raise ValidationFailed.field(
            field, f"Give seconds between 0 and {upper:.0f}.", code="out_of_range"
        )
    return number


def checked_stretch(
    played_from: float, played_to: float, position: float, duration: float
) -> tuple[float, float, float, float]:
    """A heartbeat's numbers, checked: (start, end, position, duration) in seconds."""
    duration = _seconds("duration", duration, MAX_VIDEO_SECONDS)
    if duration == 0:
        raise ValidationFailed.field("duration", "The video has no length.", code="out_of_range")
    start = _seconds("played_from", played_from, duration)
    end = _seconds("played_to", played_to, duration)
    position = _seconds("position", position, duration)
    if end < start:
        raise ValidationFailed.field(
            "played_to", "A stretch ends after it starts.", code="out_of_range"
        )
    return start, end, position, duration


def believable_seconds(elapsed: float | None) -> float:
    """The longest stretch a heartbeat may add `elapsed` seconds after the previous one (None:
    the first heartbeat), at the fastest playback rate plus a little slack."""
    if elapsed is None:
        return FIRST_HEARTBEAT_SECONDS
    return max(elapsed, 0.0) * MAX_PLAYBACK_RATE + HEARTBEAT_SLACK_SECONDS


def buffered_state_key(tenant_id: int, person_id: int, item_id: int) -> str:
    """Where the buffered heartbeat path (`cascade.learning.heartbeats`) keeps a person's
    progress in a lesson between database writes."""
    return f"cascade:heartbeat:progress:{tenant_id}:{person_id}:{item_id}"


def _forget_buffered(progress: LessonProgress) -> None:
    """The database row changed here: the buffered copy, if any, is stale from the commit on
    (the next buffered heartbeat starts again from the row)."""
    key = buffered_state_key(progress.tenant_id, progress.person_id, progress.item_id)
    transaction.on_commit(lambda: cache.delete(key))


@transaction.atomic
def video_heartbeat(
    *,
    actor: Actor,
    item_id: int,
    played_from: float,
    played_to: float,
    position: float,
    duration: float,
    locale: str = "",
) -> LessonProgress:
    """Record a stretch the player played and where it stands now (to resume there)."""
    start, end, position, duration = checked_stretch(played_from, played_to, position, duration)
    progress = _locked_progress(actor, item_id)
    now = timezone.now()
    elapsed = None
    if progress.last_heartbeat_at is not None:
        elapsed = (now - progress.last_heartbeat_at).total_seconds()
    end = min(end, start + believable_seconds(elapsed))
    progress.watched = merge_intervals([*progress.watched, [start, end]])
    progress.video_seconds = duration
    progress.watched_share = min(covered_seconds(progress.watched) / duration, 1.0)
    progress.position_seconds = position
    progress.last_heartbeat_at = now
    progress.last_format = ProgressKind.VIDEO
    progress.locale = locale[:12]
    progress.save(update_fields=HEARTBEAT_FIELDS)
    _forget_buffered(progress)
    if progress.completed_at is None and progress.watched_share >= completion_share():
        record_lesson_completion(actor, item_id, progress, ProgressKind.VIDEO)
    elif elapsed is None:
        # The first heartbeat of the lesson: the learning that contains it has started.
        complete_what_is_done(actor=actor, touched=item_id)
    return progress


@transaction.atomic
def lesson_taken(*, actor: Actor, item_id: int, kind: str, locale: str = "") -> LessonProgress:
    """The learner read the article, opened or downloaded the document, or visited the link:
    the lesson is complete. A lesson the person may not see is not found, whatever was sent."""
    item = _lesson(actor, item_id)
    if kind not in (ProgressKind.ARTICLE, ProgressKind.DOCUMENT, ProgressKind.LINK):
        raise ValidationFailed.field("kind", "Unknown kind of progress.", code="invalid_choice")
    progress = _progress(actor, item)
    progress.last_format = kind
    progress.locale = locale[:12]
    progress.save()
    _forget_buffered(progress)
    if progress.completed_at is None:
        record_lesson_completion(actor, item.pk, progress, kind)
    return progress


def record_lesson_completion(
    actor: Actor, item_id: int, progress: LessonProgress, kind: str
) -> None:
    """Complete the lesson (its progress row locked by the caller), record the domain event, and
    complete or start what contains it."""
    progress.completed_at = timezone.now()
    progress.completed_by = kind
    progress.save(update_fields=["completed_at", "completed_by", "updated_at"])
    event_record(
        tenant=actor.tenant,
        name="learning.lesson_completed",
        payload={
            "person_id": progress.person_id,
            "item_id": item_id,
            "revision": progress.revision_number,
            "by": kind,
            "locale": progress.locale,
        },
    )
    complete_what_is_done(actor=actor, touched=item_id)


def _children(revision: ItemRevision | None) -> list[dict[str, Any]]:
    return list(revision.content.get("children", [])) if revision is not None else []


def complete_what_is_done(*, actor: Actor, touched: int | None = None) -> list[Enrollment]:
    """Complete the person's open enrollments whose item is now done (the lesson itself, and
    the modules, courses and paths containing it), and start those not started yet whose item
    is or contains `touched`, the lesson just worked on (assigned becomes in progress). A fixed
    handful of queries per call. Returns the enrollments completed."""
    person = actor.person
    assert person is not None
    done = set(
        LessonProgress.objects.filter(person=person, completed_at__isnull=False).values_list(
            "item_id", flat=True
        )
    )
    open_enrollments = list(
        Enrollment.objects.filter(person=person, state__in=OPEN_STATES).select_related(
            "item__published_revision"
        )
    )
    if not open_enrollments:
        return []
    # The structure below the enrolled containers, down to lessons (at most three levels).
    revisions: dict[int, ItemRevision | None] = {
        e.item_id: e.item.published_revision for e in open_enrollments
    }
    frontier = {c["id"] for r in revisions.values() for c in _children(r)}
    for _ in range(3):
        frontier -= set(revisions)
        if not frontier:
            break
        for loaded in CatalogItem.objects.filter(pk__in=frontier).select_related(
            "published_revision"
        ):
            revisions[loaded.pk] = loaded.published_revision
        frontier = {c["id"] for r in revisions.values() for c in _children(r)}
    kinds = dict(CatalogItem.objects.filter(pk__in=list(revisions)).values_list("pk", "kind"))

    def is_done(item_id: int, depth: int = 0) -> bool:
        if kinds.get(item_id) in LESSON_KINDS or depth > 4:
            return item_id in done
        revision = revisions.get(item_id)
        children = _children(revision)
        if not children:
            return False
        required = [c for c in children if c["required"]]
        electives = [c for c in children if not c["required"]]
        if not all(is_done(c["id"], depth + 1) for c in required):
            return False
        wanted = revision.content.get("electives_required", 0) if revision else 0
        return sum(1 for c in electives if is_done(c["id"], depth + 1)) >= wanted

    def contains(item_id: int, depth: int = 0) -> bool:
        if item_id == touched:
            return True
        if kinds.get(item_id) in LESSON_KINDS or depth > 4:
            return False
        return any(contains(c["id"], depth + 1) for c in _children(revisions.get(item_id)))

    completed = []
    for enrollment in open_enrollments:
        if is_done(enrollment.item_id):
            completed.append(enrollment_complete(actor=actor, enrollment=enrollment))
        elif (
            touched is not None
            and enrollment.state == EnrollmentState.ASSIGNED
            and contains(enrollment.item_id)
        ):
            enrollment_start(actor=actor, enrollment=enrollment)
    return completed


def resume_points(*, actor: Actor, limit: int = 5) -> list[LessonProgress]:
    """Lessons the person started and did not finish, most recent first (continue where you
    left off, on any device)."""
    if actor.person is None:
        return []
    recent = timezone.now() - timedelta(days=180)
    return list(
        LessonProgress.objects.filter(
            person=actor.person, completed_at__isnull=True, updated_at__gte=recent
        ).order_by("-updated_at", "-id")[:limit]
    )
