"""What a learner's home shows: where to continue, what is due soon, what else is assigned or
chosen, what the vendor recommends for their role, content updated lately (what they took
first) and their onboarding. A fixed number of queries, whatever their history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import memberships_visible
from cascade.catalog.browse import RECENT, items_visible_to, locale_chain, pick_locale
from cascade.catalog.item_models import CatalogItem, ItemKind
from cascade.catalog.revision_models import ItemRevision
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.selectors import viewer_for
from cascade.identity.models import Membership, MembershipStatus
from cascade.learning.curricula import recommended_among
from cascade.learning.models import (
    OPEN_STATES,
    Enrollment,
    EnrollmentSource,
    EnrollmentState,
    LessonProgress,
)
from cascade.learning.onboarding_selectors import PersonOnboarding, onboarding_for_person
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


def _titles(item_ids: set[int], chain: list[str]) -> dict[int, str]:
    """Titles in the reader's language (from the search index: published text only)."""
    texts: dict[int, dict[str, str]] = {}
    for item_id, locale, title in SearchEntry.objects.filter(item_id__in=item_ids).values_list(
        "item_id", "locale", "title"
    ):
        texts.setdefault(item_id, {})[locale] = title
    return {
        item_id: by_locale[chosen]
        for item_id, by_locale in texts.items()
        if (chosen := pick_locale(by_locale, chain)) is not None
    }


def learner_home(actor: Actor) -> LearnerHome:
    if actor.person is None:
        return LearnerHome()
    viewer = viewer_for(actor)
    chain = locale_chain(viewer.locale if viewer else "", actor.tenant.default_locale)
    visible = items_visible_to(viewer)
    today = timezone.localdate()
    resume = resume_points(actor=actor, limit=HOME_LIMIT)
    assigned = list(
        Enrollment.objects.filter(person=actor.person, state__in=OPEN_STATES)
        .filter(item__in=visible)
        .select_related("item")
        .order_by("due_on", "-required", "-created_at", "-id")[:HOME_LIMIT]
    )
    # What the person already has is listed above (or done): recommend the rest.
    recommended = recommended_among(actor, visible, HOME_LIMIT, untaken=True)
    updated = _recently_updated(actor, visible)
    kinds = (
        {e.item_id: e.item.kind for e in assigned}
        | {i.pk: i.kind for i in recommended}
        | {row["pk"]: row["kind"] for row in updated}
    )
    resume_kinds = dict(
        visible.filter(pk__in=[p.item_id for p in resume]).values_list("pk", "kind")
    )
    kinds |= resume_kinds
    titles = _titles(set(kinds), chain)

    def item(item_id: int, **extra: object) -> HomeItem:
        return HomeItem(
            item_id=item_id,
            title=titles.get(item_id, ""),
            kind_label=ItemKind(kinds[item_id]).label,
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
    ]
    soon = today + DUE_SOON
    due_soon = [i for i in open_items if i.due_on is not None and i.due_on <= soon]
    return LearnerHome(
        resume=[
            item(p.item_id, watched_share=p.watched_share if p.video_seconds else None)
            for p in resume
            if p.item_id in resume_kinds
        ],
        due_soon=due_soon,
        assigned=[i for i in open_items if i not in due_soon],
        recommended=[item(i.pk) for i in recommended],
        updated=[
            item(row["pk"], change=row["change"], taken=row["taken"])
            for row in updated
            if row["pk"] in titles
        ],
        onboarding=onboarding_for_person(actor, viewer=viewer) if viewer is not None else [],
    )


# How many of the tenant's latest publications are candidates for "recently updated": enough
# for every audience to find its six, few enough to check in one small query.
RECENT_CANDIDATES = 200
RECENT_CACHE_SECONDS = 60


def _recent_changes(tenant_id: int) -> list[tuple[int, str]]:
    """The tenant's items first published or revised in the last RECENT days, newest first,
    as (item id, "new" or "updated"). The same for everyone in the program, so it is cached a
    minute; two index scans (new items, revisions after the first) compute it."""

    def compute() -> list[tuple[int, str]]:
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

    key = f"learning:recent-changes:{tenant_id}"
    return cast(list[tuple[int, str]], cache.get_or_set(key, compute, RECENT_CACHE_SECONDS))


def _recently_updated(actor: Actor, visible: QuerySet[CatalogItem]) -> list[dict[str, Any]]:
    """Recently published or revised items the person may see: those they took first (they may
    want to see what changed), then the most recent. One query over the cached candidates."""
    assert actor.person is not None
    changes = _recent_changes(actor.tenant.pk)
    if not changes:
        return []
    rank = {item_id: index for index, (item_id, _) in enumerate(changes)}
    change_of = dict(changes)
    taken = Exists(Enrollment.objects.filter(person=actor.person, item=OuterRef("pk"))) | Exists(
        LessonProgress.objects.filter(person=actor.person, item=OuterRef("pk"))
    )
    rows = list(
        visible.filter(pk__any_of=list(rank)).annotate(taken=taken).values("pk", "kind", "taken")
    )
    rows.sort(key=lambda row: (not row["taken"], rank[row["pk"]]))
    return [{**row, "change": change_of[row["pk"]]} for row in rows[:HOME_LIMIT]]


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
