"""Reading the program's learning as the vendor: progress by partner organization, tier and
region, and the assignment rules.

Counts are allowed for every organization, including those that keep their people's individual
data from the vendor (`vendor_data_access` = aggregates): the policy hides individuals, not
totals, so these tables never name a person. Every table is a fixed number of queries (GROUP BY
in SQL) whatever the number of people or enrollments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require, sees_whole_tenant
from cascade.core.errors import NotFound, PermissionDenied
from cascade.core.pagination import Page, keyset_page
from cascade.identity.models import Membership, MembershipStatus
from cascade.learning.models import OPEN_STATES, AssignmentRule, Enrollment, EnrollmentState
from cascade.learning.team import COUNTED_STATES, title_of
from cascade.tenancy.models import PartnerOrganization, Region, Tier


@dataclass(frozen=True)
class ProgressRow:
    key: int | None
    label: str
    people: int
    enrollments: int
    completed: int
    open: int
    overdue: int

    @property
    def completion_percent(self) -> int | None:
        """Completed enrollments out of all that count, rounded down (None when there are none)."""
        return (100 * self.completed) // self.enrollments if self.enrollments else None


def _require_program(actor: Actor) -> None:
    require(actor, Action.LEARNING_PROGRESS_VIEW)
    if not sees_whole_tenant(actor):
        raise PermissionDenied("This page is for the vendor's team.", code="not_vendor_staff")


def _enrollment_totals(
    actor: Actor, key: str, keys: list[int] | None = None
) -> dict[Any, dict[str, int]]:
    """Counts of enrollments grouped by the current partner organization's `key` (one GROUP BY
    query). The join to the person's active membership is one join, reused by the grouping."""
    today = timezone.localdate()
    path = (
        f"person__memberships__organization__{key}"
        if key != "id"
        else ("person__memberships__organization_id")
    )
    conditions: dict[str, Any] = {
        "person__memberships__tenant_id": actor.tenant.pk,
        "person__memberships__status": MembershipStatus.ACTIVE,
        "person__memberships__organization__isnull": False,
    }
    if keys is not None:
        conditions["person__memberships__organization_id__in"] = keys
    rows = (
        Enrollment.objects.filter(state__in=COUNTED_STATES, **conditions)
        .values(group=F(path))
        .annotate(
            enrollments=Count("id"),
            completed=Count("id", filter=Q(state=EnrollmentState.COMPLETED)),
            open=Count("id", filter=Q(state__in=OPEN_STATES)),
            overdue=Count("id", filter=Q(state__in=OPEN_STATES, due_on__lt=today)),
        )
        .order_by()
    )
    return {row.pop("group"): row for row in rows}


def _people_totals(key: str, keys: list[int] | None = None) -> dict[Any, int]:
    path = f"organization__{key}" if key != "id" else "organization_id"
    people = Membership.objects.filter(status=MembershipStatus.ACTIVE, organization__isnull=False)
    if keys is not None:
        people = people.filter(organization_id__in=keys)
    return {
        row["group"]: row["people"]
        for row in people.values(group=F(path)).annotate(people=Count("id")).order_by()
    }


def _progress_rows(
    labels: list[tuple[int | None, str]],
    enrollments: dict[Any, dict[str, int]],
    people: dict[Any, int],
) -> list[ProgressRow]:
    empty = {"enrollments": 0, "completed": 0, "open": 0, "overdue": 0}
    return [
        ProgressRow(key=key, label=label, people=people.get(key, 0), **enrollments.get(key, empty))
        for key, label in labels
    ]


def progress_by_tier(*, actor: Actor) -> list[ProgressRow]:
    """Progress per partner tier, highest tier first; organizations without a tier last."""
    _require_program(actor)
    enrollments = _enrollment_totals(actor, "tier_id")
    people = _people_totals("tier_id")
    labels: list[tuple[int | None, str]] = list(
        Tier.objects.order_by("-rank", "name").values_list("pk", "name")
    )
    if None in enrollments or None in people:
        labels.append((None, "No tier"))
    return _progress_rows(labels, enrollments, people)


def progress_by_region(*, actor: Actor) -> list[ProgressRow]:
    """Progress per region, by name; organizations without a region last."""
    _require_program(actor)
    enrollments = _enrollment_totals(actor, "region_id")
    people = _people_totals("region_id")
    labels: list[tuple[int | None, str]] = list(
        Region.objects.order_by("name", "pk").values_list("pk", "name")
    )
    if None in enrollments or None in people:
        labels.append((None, "No region"))
    return _progress_rows(labels, enrollments, people)


def progress_by_organization(
    *, actor: Actor, q: str | None = None, cursor: str | None, limit: int
) -> Page[ProgressRow]:
    """One page of partner organizations by name with their progress (three queries a page,
    however many organizations and enrollments the program has)."""
    _require_program(actor)
    organizations = PartnerOrganization.objects.all()
    if q:
        organizations = organizations.filter(name__icontains=q)
    page = keyset_page(
        organizations.values("id", "name"), ordering=("name", "id"), cursor=cursor, limit=limit
    )
    keys = [row["id"] for row in page.items]
    enrollments = _enrollment_totals(actor, "id", keys)
    people = _people_totals("id", keys)
    labels = [(row["id"], row["name"]) for row in page.items]
    return Page(items=_progress_rows(labels, enrollments, people), next_cursor=page.next_cursor)


def rule_list(*, actor: Actor) -> QuerySet[AssignmentRule]:
    """The program's assignment rules, active first, by name, with their audience and the
    item's title."""
    require(actor, Action.LEARNING_RULES_VIEW)
    return (
        AssignmentRule.objects.select_related("audience")
        .annotate(title=title_of("item_id", actor.tenant.default_locale))
        .order_by("-active", "name", "id")
    )


def rule_get(*, actor: Actor, rule_id: int) -> AssignmentRule:
    require(actor, Action.LEARNING_RULES_MANAGE)
    rule = AssignmentRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound("No such rule.", code="rule_not_found")
    return rule
