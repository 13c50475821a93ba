"""Reading learning progress as a partner manager: their team (the vendor's program view is
`cascade.learning.program_progress`).

A partner manager or admin sees their people (active memberships in their organization and below
it, the visibility policy's `memberships_visible`), with how many items each has not started, is
taking, has completed and is late with; one person's learning; who is late. Records are the
person's, so a manager also sees the completions people bring from a previous organization.

Every list is a fixed number of queries whatever the number of people or enrollments: counts are
correlated subqueries or GROUP BY in SQL, titles come in the same query.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import (
    Action,
    manages_partner_people,
    memberships_visible,
    require,
)
from cascade.catalog.browse import items_visible_to
from cascade.catalog.item_models import ItemKind
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.selectors import viewer_for
from cascade.core.errors import NotFound, PermissionDenied
from cascade.core.pagination import Page, keyset_page
from cascade.identity.models import Membership, MembershipStatus
from cascade.identity.roles import JobRole
from cascade.learning.models import (
    OPEN_STATES,
    Enrollment,
    EnrollmentSource,
    EnrollmentState,
)

# Enrollments that count in progress: withdrawn and expired ones were closed without an outcome.
COUNTED_STATES = (
    EnrollmentState.ASSIGNED,
    EnrollmentState.IN_PROGRESS,
    EnrollmentState.COMPLETED,
)
TEAM_ORDERING = ("person__full_name", "id")
OVERDUE_ORDERING = ("due_on", "id")


class TeamState:
    """What the team table filters on: people with at least one enrollment in that state."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"

    CHOICES = [
        (NOT_STARTED, "Not started"),
        (IN_PROGRESS, "In progress"),
        (COMPLETED, "Completed"),
        (OVERDUE, "Overdue"),
    ]


@dataclass(frozen=True)
class TeamFilters:
    q: str | None = None
    state: str | None = None
    overdue_only: bool = False
    item_id: int | None = None


@dataclass(frozen=True)
class TeamRow:
    membership_id: int
    person_id: int
    name: str
    email: str
    organization: str
    job_role: str
    not_started: int
    in_progress: int
    completed: int
    overdue: int


@dataclass(frozen=True)
class EnrollmentRow:
    enrollment_id: int
    item_id: int
    title: str
    kind_label: str
    state: str
    state_label: str
    required: bool
    source_label: str
    due_on: date | None
    overdue: bool
    completed_on: date | None


@dataclass(frozen=True)
class OverdueRow:
    enrollment_id: int
    membership_id: int | None
    name: str
    email: str
    item_id: int
    title: str
    due_on: date
    days_late: int
    required: bool


# --- the team ---------------------------------------------------------------------------------


def team_memberships(*, actor: Actor) -> QuerySet[Membership]:
    """The partner manager's or admin's people: active memberships they may see. Vendor staff
    have no team (they read the program's aggregates); learners have no team either."""
    require(actor, Action.LEARNING_PROGRESS_VIEW)
    if not manages_partner_people(actor):
        raise PermissionDenied("This page is for partner managers.", code="not_partner_manager")
    return memberships_visible(
        actor, Membership.objects.filter(status=MembershipStatus.ACTIVE)
    ).filter(organization__isnull=False)


def title_of(ref: str, locale: str) -> Coalesce:
    """An item's published title in `locale`, else in any language, as a subquery on the search
    index (published text only) for the item id at `ref`."""
    entries = SearchEntry.objects.filter(item_id=OuterRef(ref))
    return Coalesce(
        Subquery(entries.filter(locale=locale).values("title")[:1]),
        Subquery(entries.order_by("locale").values("title")[:1]),
        Value(""),
    )


def _count(today: date, item_id: int | None, **conditions: Any) -> Coalesce:
    enrollments = Enrollment.objects.filter(person_id=OuterRef("person_id"), **conditions)
    if item_id is not None:
        enrollments = enrollments.filter(item_id=item_id)
    return Coalesce(
        Subquery(
            enrollments.order_by()
            .values("person_id")
            .annotate(total=Count("pk"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _team_rows(actor: Actor, filters: TeamFilters, today: date) -> QuerySet[Membership, Any]:
    people = team_memberships(actor=actor)
    if filters.q:
        people = people.filter(
            Q(person__full_name__icontains=filters.q) | Q(person__email__icontains=filters.q)
        )
    item_id = filters.item_id
    if item_id is not None:
        people = people.filter(
            Exists(
                Enrollment.objects.filter(
                    person_id=OuterRef("person_id"), item_id=item_id, state__in=COUNTED_STATES
                )
            )
        )
    people = people.annotate(
        not_started=_count(today, item_id, state=EnrollmentState.ASSIGNED),
        in_progress=_count(today, item_id, state=EnrollmentState.IN_PROGRESS),
        completed=_count(today, item_id, state=EnrollmentState.COMPLETED),
        overdue=_count(today, item_id, state__in=OPEN_STATES, due_on__lt=today),
    )
    wanted = {
        TeamState.NOT_STARTED: "not_started",
        TeamState.IN_PROGRESS: "in_progress",
        TeamState.COMPLETED: "completed",
        TeamState.OVERDUE: "overdue",
    }.get(filters.state or "")
    if wanted is not None:
        people = people.filter(**{f"{wanted}__gt": 0})
    if filters.overdue_only:
        people = people.filter(overdue__gt=0)
    return people.values(
        "id",
        "person_id",
        "person__full_name",
        "person__email",
        "organization__name",
        "job_role",
        "not_started",
        "in_progress",
        "completed",
        "overdue",
    )


def _team_row(row: dict[str, Any]) -> TeamRow:
    return TeamRow(
        membership_id=row["id"],
        person_id=row["person_id"],
        name=row["person__full_name"] or row["person__email"],
        email=row["person__email"],
        organization=row["organization__name"] or "",
        job_role=JobRole(row["job_role"]).label if row["job_role"] in JobRole.values else "",
        not_started=row["not_started"],
        in_progress=row["in_progress"],
        completed=row["completed"],
        overdue=row["overdue"],
    )


def team_progress(
    *, actor: Actor, filters: TeamFilters | None = None, cursor: str | None, limit: int
) -> Page[TeamRow]:
    """One page of the manager's people by name, with their counts (one query)."""
    today = timezone.localdate()
    rows = _team_rows(actor, filters or TeamFilters(), today)
    page = keyset_page(rows, ordering=TEAM_ORDERING, cursor=cursor, limit=limit)
    return Page(items=[_team_row(row) for row in page.items], next_cursor=page.next_cursor)


def team_member_get(*, actor: Actor, membership_id: int) -> Membership:
    """One of the manager's people (NotFound for anyone else, as if they did not exist; also
    for actors with no team, who may not learn whether the id exists)."""
    if not manages_partner_people(actor):
        raise NotFound("No such person.", code="membership_not_found")
    membership = (
        team_memberships(actor=actor)
        .select_related("person", "organization")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound("No such person.", code="membership_not_found")
    return membership


def _kind_label(kind: str) -> str:
    return ItemKind(kind).label if kind in ItemKind.values else kind


def person_enrollments(*, actor: Actor, membership: Membership) -> list[EnrollmentRow]:
    """A person's learning, open first (due first), then what they completed, newest first; the
    withdrawn and expired ones last (one query). `membership` comes from `team_member_get`."""
    today = timezone.localdate()
    rows = (
        Enrollment.objects.filter(person_id=membership.person_id)
        .annotate(title=title_of("item_id", actor.tenant.default_locale))
        .values(
            "pk",
            "item_id",
            "item__kind",
            "title",
            "state",
            "required",
            "source",
            "due_on",
            "completed_at",
        )
    )
    order: dict[str, int] = {
        EnrollmentState.IN_PROGRESS.value: 0,
        EnrollmentState.ASSIGNED.value: 0,
        EnrollmentState.COMPLETED.value: 1,
    }
    found = [
        EnrollmentRow(
            enrollment_id=row["pk"],
            item_id=row["item_id"],
            title=row["title"],
            kind_label=_kind_label(row["item__kind"]),
            state=row["state"],
            state_label=EnrollmentState(row["state"]).label,
            required=row["required"],
            source_label=EnrollmentSource(row["source"]).label,
            due_on=row["due_on"],
            overdue=row["state"] in OPEN_STATES
            and row["due_on"] is not None
            and row["due_on"] < today,
            completed_on=timezone.localdate(row["completed_at"]) if row["completed_at"] else None,
        )
        for row in rows
    ]
    return sorted(
        found,
        key=lambda r: (
            order.get(r.state, 2),
            r.due_on or date.max if r.state in OPEN_STATES else date.max,
            -(r.completed_on or date.min).toordinal(),
            -r.enrollment_id,
        ),
    )


def team_overdue(*, actor: Actor, cursor: str | None, limit: int) -> Page[OverdueRow]:
    """The manager's people's late learning, longest late first (one query a page)."""
    today = timezone.localdate()
    people = team_memberships(actor=actor)
    rows = (
        Enrollment.objects.filter(
            state__in=OPEN_STATES,
            due_on__lt=today,
            person_id__in=people.values("person_id"),
        )
        .annotate(
            membership_id=Subquery(people.filter(person_id=OuterRef("person_id")).values("id")[:1]),
            title=title_of("item_id", actor.tenant.default_locale),
        )
        .values(
            "id",
            "membership_id",
            "person__full_name",
            "person__email",
            "item_id",
            "title",
            "due_on",
            "required",
        )
    )
    page = keyset_page(rows, ordering=OVERDUE_ORDERING, cursor=cursor, limit=limit)
    return Page(
        items=[
            OverdueRow(
                enrollment_id=row["id"],
                membership_id=row["membership_id"],
                name=row["person__full_name"] or row["person__email"],
                email=row["person__email"],
                item_id=row["item_id"],
                title=row["title"],
                due_on=row["due_on"],
                days_late=(today - row["due_on"]).days,
                required=row["required"],
            )
            for row in page.items
        ],
        next_cursor=page.next_cursor,
    )


def team_items(*, actor: Actor) -> list[tuple[int, str]]:
    """The items the manager's people are enrolled in (for the table's item filter), by title."""
    people = team_memberships(actor=actor)
    rows = (
        Enrollment.objects.filter(
            person_id__in=people.values("person_id"), state__in=COUNTED_STATES
        )
        .order_by()
        .values("item_id")
        .distinct()
        .annotate(title=title_of("item_id", actor.tenant.default_locale))
        .values_list("item_id", "title")
    )
    return sorted(((pk, title) for pk, title in rows), key=lambda row: (row[1].lower(), row[0]))


# --- the export -------------------------------------------------------------------------------

EXPORT_HEADER = [
    "Name",
    "E-mail",
    "Organization",
    "Item",
    "Kind",
    "Required",
    "State",
    "Due on",
    "Overdue",
    "Completed on",
]


def team_export_rows(*, actor: Actor, filters: TeamFilters | None = None) -> Iterator[list[str]]:
    """One line per enrollment of the manager's people (those the filters keep), for a CSV
    file: one query, read in chunks, whatever the size of the team."""
    filters = filters or TeamFilters()
    today = timezone.localdate()
    people = _team_rows(actor, filters, today)
    enrollments = Enrollment.objects.filter(
        person_id__in=people.values("person_id"), state__in=COUNTED_STATES
    )
    if filters.item_id is not None:
        enrollments = enrollments.filter(item_id=filters.item_id)
    membership = team_memberships(actor=actor).filter(person_id=OuterRef("person_id"))
    rows = (
        enrollments.annotate(
            organization_name=Subquery(membership.values("organization__name")[:1]),
            title=title_of("item_id", actor.tenant.default_locale),
        )
        .order_by("person__full_name", "person_id", F("due_on").asc(nulls_last=True), "id")
        .values_list(
            "person__full_name",
            "person__email",
            "organization_name",
            "title",
            "item__kind",
            "required",
            "state",
            "due_on",
            "completed_at",
        )
    )
    for name, email, organization, title, kind, required, state, due_on, completed in rows.iterator(
        chunk_size=2_000
    ):
        yield [
            name,
            email,
            organization or "",
            title,
            _kind_label(kind),
            "yes" if required else "no",
            EnrollmentState(state).label,
            due_on.isoformat() if due_on else "",
            "yes" if state in OPEN_STATES and due_on is not None and due_on < today else "no",
            timezone.localdate(completed).isoformat() if completed else "",
        ]


# --- choosing an item -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemChoice:
    item_id: int
    title: str
    kind_label: str


def item_choices(
    *, actor: Actor, q: str | None, selected: int | None = None, limit: int = 20
) -> list[ItemChoice]:
    """Items the actor may hand out (those they see: a partner manager's audiences, every live
    item for vendor staff) whose published title contains `q`, by title, and the `selected` one
    whatever `q` says (one query)."""
    items = items_visible_to(viewer_for(actor)).annotate(
        title=title_of("pk", actor.tenant.default_locale)
    )
    q = (q or "").strip()
    if q:
        condition = Q(title__icontains=q)
        if selected is not None:
            condition |= Q(pk=selected)
        items = items.filter(condition)
    rows = items.order_by("title", "pk").values_list("pk", "title", "kind")[:limit]
    found = [
        ItemChoice(item_id=pk, title=title, kind_label=_kind_label(kind))
        for pk, title, kind in rows
    ]
    return found


def assignable_memberships(*, actor: Actor) -> QuerySet[Membership]:
    """The manager's people they may assign to: their own organization's, and those of an
    organization below that lets its parent assign (the policy's rule, in SQL)."""
    own = Q(organization_id=actor.organization_id or 0)
    return (
        team_memberships(actor=actor)
        .filter(own | Q(organization__allow_parent_assignment=True))
        .select_related("person", "organization")
        .order_by("person__full_name", "id")
    )
