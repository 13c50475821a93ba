"""What the assessment authoring pages read beyond `selectors`: one bank, banks with their live
item counts, a page of a bank's items, an item's versions, exams with the size of their form or
blueprint, items to add to a fixed form, and how far the live items fill a blueprint.

Everything here is for people who may see answer keys (`ASSESSMENT_VIEW`), and each list costs a
fixed number of queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.assessments import selectors
from cascade.assessments.blueprints import Draw, blueprint_capacity
from cascade.assessments.exam_services import live_candidates
from cascade.assessments.models import (
    Competency,
    Exam,
    ExamDraw,
    ExamItem,
    Item,
    ItemVersion,
    QuestionBank,
)
from cascade.catalog.item_models import ProductVersion
from cascade.core.errors import NotFound

CANDIDATES_SHOWN = 50


def bank_get(*, actor: Actor, bank_id: int) -> QuestionBank:
    require(actor, Action.ASSESSMENT_VIEW)
    bank = QuestionBank.objects.filter(pk=bank_id).first()
    if bank is None:
        raise NotFound("No such question bank.", code="bank_not_found")
    return bank


def bank_rows(*, actor: Actor) -> QuerySet[QuestionBank]:
    """Banks by name, each with `item_count` (all its items), `live_count` and
    `retired_count`."""
    return selectors.bank_list(actor=actor).annotate(
        live_count=Count("items", filter=Q(items__retired_at__isnull=True)),
        retired_count=Count("items", filter=Q(items__retired_at__isnull=False)),
    )


def bank_items(
    *,
    actor: Actor,
    bank_id: int,
    type: str | None = None,
    competency_id: int | None = None,
    difficulty: int | None = None,
    retired: bool = False,
) -> QuerySet[Item]:
    """A bank's items with their current version and its competencies (two queries a page)."""
    items = selectors.item_list(
        actor=actor,
        bank_id=bank_id,
        type=type,
        competency_id=competency_id,
        difficulty=difficulty,
        retired=retired,
    )
    return items.select_related("current_version").prefetch_related(
        Prefetch(
            "current_version__competencies", queryset=Competency.objects.order_by("name", "id")
        )
    )


def item_with_bank(*, actor: Actor, item_id: int) -> Item:
    """An item with its bank, its current version and that version's tags."""
    require(actor, Action.ASSESSMENT_VIEW)
    item = (
        selectors.with_current_version(Item.objects.filter(pk=item_id).select_related("bank"))
        .prefetch_related("current_version__product_versions__product_line")
        .first()
    )
    if item is None:
        raise NotFound("No such item.", code="item_not_found")
    return item


def item_versions(*, actor: Actor, item: Item) -> list[ItemVersion]:
    """Every version of the item, newest first, with who wrote it (one query)."""
    require(actor, Action.ASSESSMENT_VIEW)
    return list(
        ItemVersion.objects.filter(item=item)
        .select_related("created_by")
        .order_by("-number")
        .defer("definition")
    )


def item_version(*, actor: Actor, item: Item, number: int) -> ItemVersion:
    """One version of the item (the one an attempt saw, say), with its tags and author."""
    require(actor, Action.ASSESSMENT_VIEW)
    version = (
        ItemVersion.objects.filter(item=item, number=number)
        .select_related("created_by")
        .prefetch_related("competencies", "product_versions__product_line")
        .first()
    )
    if version is None:
        raise NotFound("No such item version.", code="item_version_not_found")
    return version


def competency_choices(*, actor: Actor) -> list[tuple[str, list[tuple[str, str]]]]:
    """Live competencies grouped by domain, as (domain name, [(id, name)]) for pickers."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for domain in selectors.competency_framework(actor=actor):
        live = [(str(c.pk), c.name) for c in domain.competencies.all() if not c.retired]
        if live:
            groups.append((domain.name, live))
    return groups


def product_version_choices() -> list[tuple[str, str]]:
    versions = ProductVersion.objects.select_related("product_line").order_by(
        "product_line__name", "-released_on", "name", "pk"
    )
    return [(str(v.pk), f"{v.product_line.name} {v.name}") for v in versions]


def bank_choices(*, actor: Actor) -> list[tuple[str, str]]:
    require(actor, Action.ASSESSMENT_VIEW)
    return [(str(pk), name) for pk, name in QuestionBank.objects.values_list("pk", "name")]


# --- exams ------------------------------------------------------------------------------------


def exam_rows(*, actor: Actor) -> QuerySet[Exam]:
    """Exams by name, each with `form_count` (items of its fixed form) and `draw_total` (items
    its blueprint draws), counted in subqueries so that neither multiplies the other."""
    require(actor, Action.ASSESSMENT_VIEW)
    form_count = (
        ExamItem.objects.filter(exam=OuterRef("pk"))
        .order_by()
        .values("exam")
        .annotate(n=Count("pk"))
        .values("n")
    )
    draw_total = (
        ExamDraw.objects.filter(exam=OuterRef("pk"))
        .order_by()
        .values("exam")
        .annotate(n=Sum("count"))
        .values("n")
    )
    return Exam.objects.annotate(
        form_count=Coalesce(Subquery(form_count, output_field=IntegerField()), Value(0)),
        draw_total=Coalesce(Subquery(draw_total, output_field=IntegerField()), Value(0)),
    )


def exam_get(*, actor: Actor, exam_id: int) -> Exam:
    require(actor, Action.ASSESSMENT_VIEW)
    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None:
        raise NotFound("No such exam.", code="exam_not_found")
    return exam


def exam_form_items(*, actor: Actor, exam: Exam) -> list[Item]:
    """The items of a fixed form in their order, with their bank and current version."""
    require(actor, Action.ASSESSMENT_VIEW)
    places = list(
        ExamItem.objects.filter(exam=exam)
        .order_by("position")
        .select_related("item__bank", "item__current_version")
    )
    return [place.item for place in places]


def exam_draw_rows(*, actor: Actor, exam: Exam) -> list[ExamDraw]:
    require(actor, Action.ASSESSMENT_VIEW)
    return list(
        ExamDraw.objects.filter(exam=exam).order_by("position").select_related("bank", "competency")
    )


def form_candidates(
    *,
    actor: Actor,
    exclude: Sequence[int],
    bank_id: int | None = None,
    type: str | None = None,
    competency_id: int | None = None,
    text: str = "",
) -> tuple[list[Item], bool]:
    """Live items a fixed form may take (not in it already), newest first: the first
    `CANDIDATES_SHOWN`, and whether more match."""
    items = selectors.item_list(
        actor=actor, bank_id=bank_id, type=type, competency_id=competency_id
    ).exclude(pk__in=list(exclude))
    if text:
        items = items.filter(current_version__definition__prompt__icontains=text)
    found = list(
        items.select_related("bank", "current_version").order_by("-created_at", "-pk")[
            : CANDIDATES_SHOWN + 1
        ]
    )
    return found[:CANDIDATES_SHOWN], len(found) > CANDIDATES_SHOWN


@dataclass(frozen=True)
class BlueprintCheck:
    """How the live items meet a blueprint: per draw, how many could serve it alone; and how
    many of all the draws' items they fill at once (each item once)."""

    matching: list[int]
    wanted: int
    filled: int

    @property
    def short(self) -> bool:
        return self.filled < self.wanted


def blueprint_check(*, actor: Actor, draws: Sequence[ExamDraw]) -> BlueprintCheck:
    require(actor, Action.ASSESSMENT_VIEW)
    specs = [
        Draw(
            count=d.count,
            bank_id=d.bank_id,
            competency_id=d.competency_id,
            difficulty=d.difficulty,
        )
        for d in draws
    ]
    candidates = live_candidates()
    return BlueprintCheck(
        matching=[sum(1 for c in candidates if spec.admits(c)) for spec in specs],
        wanted=sum(d.count for d in specs),
        filled=blueprint_capacity(specs, candidates),
    )
