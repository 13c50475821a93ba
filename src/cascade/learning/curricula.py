"""Role-based curricula: the vendor maps job role x business model to recommended items, and a
person's home shows theirs (only items they can see, the specific business model's curriculum
before the one for every business model)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record
from cascade.catalog.browse import items_visible_to, live_items
from cascade.catalog.item_models import CatalogItem
from cascade.catalog.selectors import viewer_for
from cascade.core.errors import Conflict, ValidationFailed
from cascade.core.generations import Cached, generation_bump, generation_cached_many
from cascade.identity.roles import JobRole
from cascade.learning.models import (
    OPEN_STATES,
    Curriculum,
    CurriculumStep,
    Enrollment,
    EnrollmentState,
)
from cascade.tenancy.models import BusinessModel

MAX_STEPS = 50
# Recommendations leave out what the person is enrolled in or completed (not what they
# withdrew from or saw expire).
TAKEN_STATES = frozenset({*OPEN_STATES, EnrollmentState.COMPLETED})
CURRICULA = "learning:curricula"
CURRICULA_SECONDS = 600


@transaction.atomic
def curriculum_set(
    *,
    actor: Actor,
    job_role: str,
    business_model: str,
    name: str,
    item_ids: Sequence[int],
) -> Curriculum:
    """Create or replace the curriculum of a job role (in a business model, or in all of them)."""
    require(actor, Action.LEARNING_RULES_MANAGE)
    if job_role not in JobRole.values:
        raise ValidationFailed.field("job_role", "Unknown job role.", code="invalid_choice")
    if business_model and business_model not in BusinessModel.values:
        raise ValidationFailed.field(
            "business_model", "Unknown business model.", code="invalid_choice"
        )
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise ValidationFailed.field("name", "Use 1 to 120 characters.", code="invalid_name")
    ids = list(dict.fromkeys(item_ids))
    if len(ids) > MAX_STEPS:
        raise ValidationFailed.field("item_ids", f"Use at most {MAX_STEPS} items.", code="too_many")
    found = set(live_items().filter(pk__in=ids).values_list("pk", flat=True))
    if found != set(ids):
        raise ValidationFailed.field(
            "item_ids", "Choose published items only.", code="unknown_reference"
        )
    try:
        with transaction.atomic():
            curriculum, _ = Curriculum.objects.update_or_create(
                tenant=actor.tenant,
                job_role=job_role,
                business_model=business_model,
                defaults={"name": name},
            )
    except IntegrityError as exc:  # the same role created by someone else in the same instant
        raise Conflict("That curriculum was just created.", code="conflict") from exc
    CurriculumStep.objects.filter(curriculum=curriculum).delete()
    CurriculumStep.objects.bulk_create(
        CurriculumStep(tenant=actor.tenant, curriculum=curriculum, item_id=item_id, position=n)
        for n, item_id in enumerate(ids, start=1)
    )
    generation_bump(CURRICULA, actor.tenant.pk)
    audit_record(
        actor=actor,
        action="curriculum.set",
        target=curriculum,
        after={"job_role": job_role, "business_model": business_model, "items": ids},
    )
    return curriculum


def recommended_for(actor: Actor, limit: int = 12) -> list[CatalogItem]:
    """The person's curriculum (see `recommended_among`)."""
    return recommended_among(actor, items_visible_to(viewer_for(actor)), limit)


def recommended_among(
    actor: Actor, visible: QuerySet[CatalogItem], limit: int, *, untaken: bool = False
) -> list[CatalogItem]:
    """The person's curriculum: their business model's first, then the one for every business
    model, in the vendor's order, among the items the actor sees (`visible`, which the caller
    may already hold), leaving out with `untaken` what the person is already enrolled in or
    completed (one query while the curriculum is cached)."""
    ordered = curriculum_for(actor)
    if not ordered:
        return []
    candidates = visible.filter(pk__any_of=ordered)
    if untaken and actor.person is not None:
        candidates = candidates.exclude(
            pk__in=Enrollment.objects.filter(
                person=actor.person, state__in=sorted(TAKEN_STATES)
            ).values("item_id")
        )
    found = {item.pk: item for item in candidates}
    return [found[pk] for pk in ordered if pk in found][:limit]


def curriculum_for(actor: Actor) -> list[int]:
    """The items of the actor's curriculum (their job role in their organization's business
    model), in order; none without a partner organization."""
    wanted = curriculum_cached(actor)
    return generation_cached_many(wanted)[0] if wanted is not None else []


def curriculum_cached(actor: Actor) -> Cached[list[int]] | None:
    """`curriculum_for` as one of several values read from the cache at once (None without a
    partner organization)."""
    membership = actor.membership
    if membership is None or membership.organization is None:
        return None
    job_role, business_model = membership.job_role, membership.organization.business_model

    def compute() -> list[int]:
        """The job role's curriculum in the business model, in the vendor's order: the
        business model's own first, then the one for every business model."""
        steps = (
            CurriculumStep.objects.filter(
                curriculum__job_role=job_role,
                curriculum__business_model__in=[business_model, ""],
            )
            .annotate(
                general=Case(
                    When(curriculum__business_model="", then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("general", "position")
            .values_list("item_id", flat=True)
        )
        return list(dict.fromkeys(steps))

    # Cached until the next `curriculum_set`: every learner home reads it.
    return Cached(
        CURRICULA, actor.tenant.pk, f"{job_role}:{business_model}", compute, CURRICULA_SECONDS
    )
