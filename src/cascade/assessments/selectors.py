"""Reading the competency framework, banks and items as their authors see them (answer keys
included: only for `ASSESSMENT_VIEW`). Lists cost a fixed number of queries per page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.assessments.models import (
    Competency,
    CompetencyDomain,
    Item,
    ItemVersion,
    QuestionBank,
)
from cascade.core.errors import NotFound


def competency_framework(*, actor: Actor) -> list[CompetencyDomain]:
    """Every domain with its competencies, in order (two queries)."""
    require(actor, Action.ASSESSMENT_VIEW)
    return list(
        CompetencyDomain.objects.prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("name", "id"))
        )
    )


def bank_list(*, actor: Actor) -> QuerySet[QuestionBank]:
    require(actor, Action.ASSESSMENT_VIEW)
    return QuestionBank.objects.annotate(item_count=Count("items"))


def bank_get(*, actor: Actor, bank_id: int) -> QuestionBank:
    require(actor, Action.ASSESSMENT_VIEW)
    bank = QuestionBank.objects.filter(pk=bank_id).first()
    if bank is None:
        raise NotFound("No such question bank.", code="bank_not_found")
    return bank


def item_list(
    *,
    actor: Actor,
    bank_id: int | None = None,
    type: str | None = None,
    competency_id: int | None = None,
    difficulty: int | None = None,
    retired: bool = False,
) -> QuerySet[Item]:
    """Items with their current version; filters apply to the current version's tags."""
    require(actor, Action.ASSESSMENT_VIEW)
    items = Item.objects.filter(retired_at__isnull=not retired)
    if bank_id is not None:
        items = items.filter(bank_id=bank_id)
    if type is not None:
        items = items.filter(type=type)
    if competency_id is not None:
        items = items.filter(current_version__competencies=competency_id)
    if difficulty is not None:
        items = items.filter(current_version__difficulty=difficulty)
    return items


def with_current_version(items: QuerySet[Item]) -> QuerySet[Item]:
    """The current version and its tags come with each item (two more queries per page)."""
    return items.select_related("current_version").prefetch_related(
        "current_version__competencies", "current_version__product_versions"
    )


def item_get(*, actor: Actor, item_id: int) -> Item:
    require(actor, Action.ASSESSMENT_VIEW)
    item = with_current_version(Item.objects.filter(pk=item_id)).first()
    if item is None:
        raise NotFound("No such item.", code="item_not_found")
    return item


def item_version_get(*, actor: Actor, item_id: int, number: int) -> ItemVersion:
    """One version of an item, the one an attempt saw for instance."""
    require(actor, Action.ASSESSMENT_VIEW)
    version = (
        ItemVersion.objects.filter(item_id=item_id, number=number)
        .prefetch_related("competencies", "product_versions")
        .first()
    )
    if version is None:
        raise NotFound("No such item version.", code="item_version_not_found")
    return version


def version_out(version: ItemVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "definition": version.definition,
        "points": version.points,
        "difficulty": version.difficulty,
        "competency_ids": sorted(c.pk for c in version.competencies.all()),
        "product_version_ids": sorted(p.pk for p in version.product_versions.all()),
        "note": version.note,
        "created_at": version.created_at,
    }


def item_out(item: Item) -> dict[str, Any]:
    assert item.current_version is not None  # written with version 1
    return {
        "id": item.pk,
        "bank_id": item.bank_id,
        "type": item.type,
        "retired": item.retired_at is not None,
        "current": version_out(item.current_version),
        "created_at": item.created_at,
    }
