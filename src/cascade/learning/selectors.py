"""What a learner's home shows: where to continue, what is due soon, what else is assigned or
chosen, what the vendor recommends for their role, content updated lately (what they took
first) and their onboarding. A fixed number of queries, whatever their history."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet, Value
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import memberships_visible
from cascade.catalog.browse import RECENT, items_visible_to, locale_chain, pick_locale
from cascade.catalog.item_models import CatalogItem, ItemKind
from cascade.catalog.revision_models import ItemRevision
from cascade.catalog.search import PUBLISHED
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.selectors import admitted_audience_ids, viewer_for
from cascade.core.generations import Cached, generation_cached_many
from cascade.identity.models import Membership, MembershipStatus
from cascade.learning.curricula import TAKEN_STATES, curriculum_cached
from cascade.learning.models import (
    OPEN_STATES,
    Enrollment,
    EnrollmentSource,
    EnrollmentState,
    LessonProgress,
)
from cascade.learning.onboarding_selectors import (
    PersonOnboarding,
    active_programs_cached,
    onboarding_for_person,
    onboarding_milestone_items,
)
from cascade.learning.progress import resume_points

HOME_LIMIT = 6
DUE_SOON = timedelta(days=14)


@dataclass(frozen=True)
class HomeItem:
    item_id: int
    title: str
    kind_label: str
    due_on: date | None = None
    overdue: bool = False
    required: bool = False
    # Why it is there: "required", "recommended" (assigned without obligation) or "chosen".
    reason: str = ""
    watched_share: float | None = None
    # Recently updated content: "new" (first published lately) or "updated" (revised lately),
    # and whether the person took it before (an enrollment or progress of theirs).
    change: str = ""
    taken: bool = False


@dataclass(frozen=True)
class LearnerHome:
    resume: list[HomeItem] = field(default_factory=list)
    # Open learning that is late or due within DUE_SOON days, soonest first.
    due_soon: list[HomeItem] = field(default_factory=list)
    assigned: list[HomeItem] = field(default_factory=list)
    recommended: list[HomeItem] = field(default_factory=list)
    updated: list[HomeItem] = field(default_factory=list)
    # The person's onboarding programs (`onboarding_for_person`), judged by the same viewer.
    onboarding: list[PersonOnboarding] = field(default_factory=list)


@dataclass(frozen=True)
class _Shown:
    """What the home shows of an item: its title in the reader's language and its kind."""

    title: str
    kind: str


def _shown(item_ids: set[int], admitted: list[int] | None, chain: list[str]) -> dict[int, _Shown]:
    """The title and kind of each of these items the viewer may see (`admitted` audiences, or
    None for everything live), from the search index: it holds one row per live item and
    language with the published audience, so visibility, title and kind are one query."""
    if not item_ids:
        return {}
    entries = SearchEntry.objects.filter(item_id__any_of=sorted(item_ids))
    if admitted is not None:
        entries = entries.filter(audience_id__any_of=admitted)
    texts: dict[int, dict[str, str]] = {}
    kinds: dict[int, str] = {}
    for item_id, locale, title, kind in entries.order_by().values_list(
        "item_id", "locale", "title", "kind"
    ):
        texts.setdefault(item_id, {})[locale] = title
        kinds[item_id] = kind
    return {
        item_id: _Shown(title=by_locale[chosen], kind=kinds[item_id])
        for item_id, by_locale in texts.items()
        if (chosen := pick_locale(by_locale, chain)) is not None
    }


# What the person holds of an item, as `_held` reads it.
PROGRESS = "progress"


def _held(person_id: int, item_ids: set[int]) -> dict[int, set[str]]:
    """Of these items, which the person has an enrollment in (its states) or lesson progress
    on (PROGRESS): one query, whatever their history."""
    if not item_ids:
        return {}
    ids = sorted(item_ids)
    enrollments = (
        Enrollment.objects.filter(person_id=person_id, item_id__any_of=ids)
        .order_by()
        .values_list("item_id", "state")
    )
    progress = (
        LessonProgress.objects.filter(person_id=person_id, item_id__any_of=ids)
        .order_by()
        .annotate(state=Value(PROGRESS))
        .values_list("item_id", "state")
    )
    held: dict[int, set[str]] = {}
    for item_id, state in enrollments.union(progress):
        held.setdefault(item_id, set()).add(state)
    return held


def learner_home(actor: Actor) -> LearnerHome:
    """The person's home, in a fixed number of queries whatever their history: where they
    left off, their open enrollments, what they hold of the candidates for the other sections,
    the titles of everything shown, and their onboarding."""
    person = actor.person
    if person is None:
        return LearnerHome()
    viewer = viewer_for(actor)
    admitted = None if viewer is None else admitted_audience_ids(viewer)
    chain = locale_chain(viewer.locale if viewer else "", actor.tenant.default_locale)
    today = timezone.localdate()
    resume = resume_points(actor=actor, limit=HOME_LIMIT)
    assigned = list(
        Enrollment.objects.filter(person=person, state__in=OPEN_STATES)
        .filter(item__in=items_visible_to(viewer))
        .order_by("due_on", "-required", "-created_at", "-id")[:HOME_LIMIT]
    )
    # Read from the cache at once: the recent changes their audiences see, the onboarding
    # programs and the person's curriculum (none without a partner organization).
    wanted = curriculum_cached(actor)
    recent, programs, *found = generation_cached_many(
        _visible_recent_changes_cached(actor.tenant.pk, admitted),
        active_programs_cached(actor.tenant.pk),
        *([wanted] if wanted is not None else []),
    )
    curriculum: list[int] = found[0] if found else []
    milestone_items = onboarding_milestone_items(programs)
    held = _held(person.pk, {*curriculum, *(pk for pk, _ in recent), *milestone_items})
    # What the person already has is listed above (or done): recommend the rest.
    recommended = [pk for pk in curriculum if not held.get(pk, set()) & TAKEN_STATES]
    # Of recent changes, what they took first (they may want to see what changed).
    updated = sorted(recent, key=lambda entry: entry[0] not in held)[:HOME_LIMIT]
    shown = _shown(
        {
            *(p.item_id for p in resume),
            *(e.item_id for e in assigned),
            *recommended,
            *(pk for pk, _ in updated),
        },
        admitted,
        chain,
    )

    def item(item_id: int, **extra: object) -> HomeItem:
        what = shown[item_id]
        return HomeItem(
            item_id=item_id,
            title=what.title,
            kind_label=ItemKind(what.kind).label,
            **extra,  # type: ignore[arg-type]
        )

    open_items = [
        item(
            e.item_id,
            due_on=e.due_on,
            overdue=e.is_overdue(today),
            required=e.required,
            reason="chosen"
            if e.source == EnrollmentSource.SELF
            else ("required" if e.required else "recommended"),
        )
        for e in assigned
        if e.item_id in shown
    ]
    soon = today + DUE_SOON
    due_soon = [i for i in open_items if i.due_on is not None and i.due_on <= soon]
    completed = {pk for pk in milestone_items if EnrollmentState.COMPLETED in held.get(pk, set())}
    return LearnerHome(
        resume=[
            item(p.item_id, watched_share=p.watched_share if p.video_seconds else None)
            for p in resume
            if p.item_id in shown
        ],
        due_soon=due_soon,
        assigned=[i for i in open_items if i not in due_soon],
        recommended=[item(pk) for pk in recommended if pk in shown][:HOME_LIMIT],
        updated=[
            item(pk, change=change, taken=pk in held) for pk, change in updated if pk in shown
        ],
        onboarding=onboarding_for_person(
            actor, viewer=viewer, programs=programs, completed_items=completed
        )
        if viewer is not None
        else [],
    )


# How many of the tenant's latest publications are candidates for "recently updated": enough
# for every audience to find its six, few enough to check in one small query.
RECENT_CANDIDATES = 200
RECENT_CACHE_SECONDS = 60


def _recent_changes() -> list[tuple[int, str]]:
    """The tenant's items first published or revised in the last RECENT days, newest first,
    as (item id, "new" or "updated"): two index scans (new items, revisions after the first)."""
    since = timezone.now() - RECENT
    changes: dict[int, tuple[datetime, str]] = {}
    for item_id, at in (
        CatalogItem.objects.filter(published_revision__isnull=False, published_at__gte=since)
        .order_by("-published_at", "-id")
        .values_list("pk", "published_at")[:RECENT_CANDIDATES]
    ):
        changes[item_id] = (at, "new")
    for item_id, at in (
        ItemRevision.objects.filter(number__gt=1, published_at__gte=since)
        .order_by("-published_at")
        .values_list("item_id", "published_at")[:RECENT_CANDIDATES]
    ):
        if item_id not in changes or changes[item_id][0] < at:
            changes[item_id] = (at, changes.get(item_id, (at, "updated"))[1])
    ordered = sorted(changes.items(), key=lambda entry: entry[1][0], reverse=True)
    return [(item_id, change) for item_id, (_, change) in ordered[:RECENT_CANDIDATES]]


def _visible_recent_changes_cached(
    tenant_id: int, admitted: list[int] | None
) -> Cached[list[tuple[int, str]]]:
    """`_recent_changes` that the audiences `admitted` let see, newest first. The same for
    everyone those audiences admit, so cached per set of audiences, until the next
    publication or retirement, or a minute (what counts as recent moves on)."""
    audiences = "all" if admitted is None else ",".join(map(str, admitted))
    signature = hashlib.sha256(audiences.encode()).hexdigest()[:32]

    def visible() -> list[tuple[int, str]]:
        (changes,) = generation_cached_many(
            Cached(PUBLISHED, tenant_id, "recent", _recent_changes, RECENT_CACHE_SECONDS)
        )
        if not changes:
            return []
        entries = SearchEntry.objects.filter(item_id__any_of=[pk for pk, _ in changes])
        if admitted is not None:
            entries = entries.filter(audience_id__any_of=admitted)
        seen = set(entries.order_by().values_list("item_id", flat=True).distinct())
        return [(pk, change) for pk, change in changes if pk in seen]

    return Cached(PUBLISHED, tenant_id, f"recent:{signature}", visible, RECENT_CACHE_SECONDS)


def open_enrollment(*, actor: Actor, item_id: int) -> Enrollment | None:
    """The person's open enrollment in the item, if any (one query)."""
    if actor.person is None:
        return None
    return Enrollment.objects.filter(
        person=actor.person, item_id=item_id, state__in=OPEN_STATES
    ).first()


def enrollments_visible_to(actor: Actor) -> QuerySet[Enrollment]:
    """Enrollments the actor may read: their own; a partner manager's or admin's people (those
    with an active membership in their organization or below it); for vendor staff and
    integrations, every person whose organization shares individual data with the vendor.
    Records are the person's, so a manager sees the history people bring when they join."""
    visible_people = memberships_visible(
        actor, Membership.objects.filter(status=MembershipStatus.ACTIVE)
    ).values("person_id")
    own = Q(person_id=actor.person.pk) if actor.person is not None else Q(pk__in=[])
    return Enrollment.objects.filter(own | Q(person_id__in=visible_people))


@dataclass(frozen=True)
class ItemProgress:
    """What the item page shows of the person's progress: the lesson's own progress, which of
    a container's children are done, and the child to continue with."""

    lesson: LessonProgress | None = None
    done_children: frozenset[int] = frozenset()
    next_child_id: int | None = None
    completed_on: date | None = None

    @property
    def done(self) -> bool:
        return self.completed_on is not None


def item_progress(*, actor: Actor, item_id: int, child_ids: list[int]) -> ItemProgress:
    """The person's progress in an item and its children (three queries). A child is done
    when the person completed it as a lesson (`LessonProgress`) or as an enrollment."""
    if actor.person is None:
        return ItemProgress()
    ids = [item_id, *child_ids]
    lessons = {
        p.item_id: p for p in LessonProgress.objects.filter(person=actor.person, item_id__in=ids)
    }
    completions: dict[int, date] = {}
    for done_id, completed_at in Enrollment.objects.filter(
        person=actor.person, item_id__in=ids, state=EnrollmentState.COMPLETED
    ).values_list("item_id", "completed_at"):
        if completed_at is not None:
            day = timezone.localdate(completed_at)
            completions[done_id] = max(day, completions.get(done_id, day))
    for lesson in lessons.values():
        if lesson.completed_at is not None:
            day = timezone.localdate(lesson.completed_at)
            completions[lesson.item_id] = max(day, completions.get(lesson.item_id, day))
    done = frozenset(i for i in child_ids if i in completions)
    return ItemProgress(
        lesson=lessons.get(item_id),
        done_children=done,
        next_child_id=next((i for i in child_ids if i not in done), None),
        completed_on=completions.get(item_id),
    )
