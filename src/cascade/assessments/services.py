"""Writing the competency framework, question banks and items.

Every write checks the actor, runs in a transaction and leaves an audit row. An item's
definition is validated whole (`cascade.assessments.items.item_definition`) before anything is
written; a correction writes a new version and moves the item's current version to it, so the
versions attempts saw stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.assessments.items import (
    DefinitionInvalid,
    ItemDefinition,
    ResponseInvalid,
    Scored,
    item_definition,
)
from cascade.assessments.models import (
    Competency,
    CompetencyDomain,
    Difficulty,
    Item,
    ItemVersion,
    QuestionBank,
)
from cascade.audit.services import audit_record
from cascade.catalog.item_models import ProductVersion
from cascade.core.errors import Conflict, ValidationFailed

MAX_POINTS = Decimal("1000")


def clean_name(value: str, field: str = "name", limit: int = 120) -> str:
    name = " ".join((value or "").split())
    if not name or len(name) > limit:
        raise ValidationFailed.field(field, f"Use 1 to {limit} characters.", code="invalid_name")
    return name


def clean_description(value: str) -> str:
    text = (value or "").strip()
    if len(text) > 2000:
        raise ValidationFailed.field("description", "Use up to 2000 characters.", code="too_long")
    return text


def created_uniquely(create: Any, what: str) -> Any:
    """Run `create()`; a unique name already taken (even by a racing request) is a conflict."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as exc:
        raise Conflict(f"{what} with that name exists.", code="duplicate_name") from exc


# --- the competency framework -----------------------------------------------------------------


@transaction.atomic
def competency_domain_create(
    *, actor: Actor, name: str, description: str = "", position: int = 0
) -> CompetencyDomain:
    require(actor, Action.ASSESSMENT_AUTHOR)
    fields = {"name": clean_name(name), "description": clean_description(description)}
    domain: CompetencyDomain = created_uniquely(
        lambda: CompetencyDomain.objects.create(
            tenant=actor.tenant, position=max(0, position), **fields
        ),
        "A domain",
    )
    audit_record(actor=actor, action="competency_domain.create", target=domain, after=fields)
    return domain


@transaction.atomic
def competency_create(
    *, actor: Actor, domain_id: int, name: str, description: str = ""
) -> Competency:
    require(actor, Action.ASSESSMENT_AUTHOR)
    domain = CompetencyDomain.objects.filter(pk=domain_id).first()
    if domain is None:
        raise ValidationFailed.field("domain_id", "Unknown domain.", code="unknown_reference")
    fields = {"name": clean_name(name), "description": clean_description(description)}
    competency: Competency = created_uniquely(
        lambda: Competency.objects.create(tenant=actor.tenant, domain=domain, **fields),
        "A competency",
    )
    audit_record(
        actor=actor,
        action="competency.create",
        target=competency,
        after={**fields, "domain": domain.pk},
    )
    return competency


# --- banks and items ---------------------------------------------------------------------------


@transaction.atomic
def bank_create(*, actor: Actor, name: str, description: str = "") -> QuestionBank:
    require(actor, Action.ASSESSMENT_AUTHOR)
    fields = {"name": clean_name(name), "description": clean_description(description)}
    bank: QuestionBank = created_uniquely(
        lambda: QuestionBank.objects.create(tenant=actor.tenant, created_by=actor.person, **fields),
        "A bank",
    )
    audit_record(actor=actor, action="question_bank.create", target=bank, after=fields)
    return bank


def definition_checked(data: Any) -> ItemDefinition:
    """The item `data` defines, validated; each error says where it is inside it."""
    try:
        return item_definition(data)
    except DefinitionInvalid as exc:
        raise ValidationFailed(
            "The item definition is not valid.",
            code="invalid_definition",
            details=[
                {
                    "field": ".".join(filter(None, ["definition", e["field"]])),
                    "message": e["message"],
                }
                for e in exc.errors
            ],
        ) from None


def _inside(field: str, path: str) -> str:
    return f"{field}.{path}" if path else field


def _definition(data: Any) -> dict[str, Any]:
    """The definition validated, as it is stored (defaults filled in, JSON-ready)."""
    return definition_checked(data).model_dump(mode="json")


def item_preview(
    *, actor: Actor, definition: Any, response: Any = None
) -> tuple[dict[str, Any], Scored | None]:
    """What a learner would be sent of a definition not saved yet, and how a sample response
    scores (authoring tools' live preview). Writes nothing."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    item = definition_checked(definition)
    if response is None:
        return item.public(), None
    try:
        return item.public(), item.score(item.parse_response(response))
    except ResponseInvalid as exc:
        raise ValidationFailed.field("response", str(exc), code=exc.code) from None


def decimal_within(
    value: Decimal | float | int | str, field: str, *, at_most: Decimal, places: str
) -> Decimal:
    """`value` as a decimal above 0 and at most `at_most`, rounded to `places` ("0.01")."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(0)
    if not number.is_finite() or number <= 0 or number > at_most:
        raise ValidationFailed.field(
            field, f"Give a number above 0 and at most {at_most}.", code="out_of_range"
        )
    return number.quantize(Decimal(places))


def _points(value: Decimal | float | int | str) -> Decimal:
    return decimal_within(value, "points", at_most=MAX_POINTS, places="0.01")


def _difficulty(value: int) -> int:
    if value not in Difficulty.values:
        raise ValidationFailed.field(
            "difficulty", "Choose easy (1), medium (2) or hard (3).", code="invalid_choice"
        )
    return value


def _found(model: Any, ids: Sequence[int], field: str) -> list[Any]:
    wanted = sorted(set(ids))
    found = list(model.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationFailed.field(field, "Unknown reference.", code="unknown_reference")
    return found


def _write_version(
    *,
    actor: Actor,
    item: Item,
    number: int,
    definition: dict[str, Any],
    points: Decimal,
    difficulty: int,
    competency_ids: Sequence[int],
    product_version_ids: Sequence[int],
    note: str,
) -> ItemVersion:
    competencies = _found(Competency, competency_ids, "competency_ids")
    if any(c.retired for c in competencies):
        raise ValidationFailed.field(
            "competency_ids", "A retired competency cannot be tagged.", code="retired"
        )
    product_versions = _found(ProductVersion, product_version_ids, "product_version_ids")
    if len(note) > 300:
        raise ValidationFailed.field("note", "Use up to 300 characters.", code="too_long")
    version = ItemVersion.objects.create(
        tenant=actor.tenant,
        item=item,
        number=number,
        definition=definition,
        points=points,
        difficulty=difficulty,
        note=note.strip(),
        created_by=actor.person,
    )
    version.competencies.set(competencies)
    version.product_versions.set(product_versions)
    item.current_version = version
    item.save(update_fields=["current_version"])
    return version


def _snapshot(version: ItemVersion) -> dict[str, Any]:
    return {
        "version": version.number,
        "points": str(version.points),
        "difficulty": version.difficulty,
        "competencies": sorted(c.pk for c in version.competencies.all()),
        "product_versions": sorted(p.pk for p in version.product_versions.all()),
    }


@transaction.atomic
def item_create(
    *,
    actor: Actor,
    bank_id: int,
    definition: Any,
    points: Decimal | float | int | str = 1,
    difficulty: int = Difficulty.MEDIUM,
    competency_ids: Sequence[int] = (),
    product_version_ids: Sequence[int] = (),
) -> Item:
    """A new item in a bank, at version 1."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    bank = QuestionBank.objects.filter(pk=bank_id).first()
    if bank is None:
        raise ValidationFailed.field("bank_id", "Unknown bank.", code="unknown_reference")
    stored = _definition(definition)
    item = Item.objects.create(
        tenant=actor.tenant, bank=bank, type=stored["type"], created_by=actor.person
    )
    version = _write_version(
        actor=actor,
        item=item,
        number=1,
        definition=stored,
        points=_points(points),
        difficulty=_difficulty(difficulty),
        competency_ids=competency_ids,
        product_version_ids=product_version_ids,
        note="",
    )
    audit_record(actor=actor, action="item.create", target=item, after=_snapshot(version))
    return item


@transaction.atomic
def item_revise(
    *,
    actor: Actor,
    item: Item,
    definition: Any,
    note: str,
    points: Decimal | float | int | str | None = None,
    difficulty: int | None = None,
    competency_ids: Sequence[int] | None = None,
    product_version_ids: Sequence[int] | None = None,
) -> ItemVersion:
    """A correction: a new version becomes current; what is not given is kept from the
    current version. The item's type cannot change (write a new item instead). Concurrent
    corrections are serialized on the item's row: each gets the next number."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.retired_at is not None:
        raise Conflict("A retired item cannot be corrected.", code="retired")
    current = ItemVersion.objects.prefetch_related("competencies", "product_versions").get(
        pk=item.current_version_id
    )
    stored = _definition(definition)
    if stored["type"] != item.type:
        raise ValidationFailed.field(
            "definition.type", "An item keeps its type; write a new item.", code="type_changed"
        )
    if not (note or "").strip():
        raise ValidationFailed.field("note", "Say what this version corrects.", code="required")
    before = _snapshot(current)
    number = (ItemVersion.objects.filter(item=item).aggregate(n=Max("number"))["n"] or 0) + 1
    version = _write_version(
        actor=actor,
        item=item,
        number=number,
        definition=stored,
        points=_points(points) if points is not None else current.points,
        difficulty=_difficulty(difficulty) if difficulty is not None else current.difficulty,
        competency_ids=competency_ids
        if competency_ids is not None
        else [c.pk for c in current.competencies.all()],
        product_version_ids=product_version_ids
        if product_version_ids is not None
        else [p.pk for p in current.product_versions.all()],
        note=note,
    )
    audit_record(
        actor=actor,
        action="item.revise",
        target=item,
        before=before,
        after={**_snapshot(version), "note": version.note},
    )
    return version


@transaction.atomic
def item_retire(*, actor: Actor, item: Item) -> Item:
    """Withdraw an item from new exams (attempts that hold it keep it)."""
    require(actor, Action.ASSESSMENT_AUTHOR)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.retired_at is None:
        item.retired_at = timezone.now()
        item.save(update_fields=["retired_at"])
        audit_record(actor=actor, action="item.retire", target=item, after={"retired": True})
    return item
