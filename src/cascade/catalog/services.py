"""Writing audiences: validated, audited, with each rule's dimension count derived here."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record
from cascade.catalog.audiences import RuleSpec
from cascade.catalog.models import Audience, AudienceCriterion, AudienceRule, Dimension, Effect
from cascade.catalog.selectors import audiences_changed
from cascade.core.errors import Conflict, ValidationFailed
from cascade.identity.roles import JobRole
from cascade.tenancy.models import (
    BusinessModel,
    PartnerOrganization,
    Region,
    Specialization,
    Tier,
)

MAX_RULES = 50
MAX_VALUES_PER_DIMENSION = 500
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_REFERENCES = {
    Dimension.TIER: Tier,
    Dimension.REGION: Region,
    Dimension.SPECIALIZATION: Specialization,
    Dimension.ORGANIZATION: PartnerOrganization,
}


@transaction.atomic
def audience_create(
    *, actor: Actor, name: str, description: str = "", rules: Sequence[RuleSpec]
) -> Audience:
    require(actor, Action.CATALOG_AUTHOR)
    audience = Audience(tenant=actor.tenant, name=_name(name), description=description.strip())
    try:
        with transaction.atomic():
            audience.save()
    except IntegrityError as exc:
        raise Conflict(f"An audience named {name!r} exists.", code="duplicate_name") from exc
    _write_rules(actor, audience, rules)
    audit_record(actor=actor, action="audience.create", target=audience, after=_picture(audience))
    return audience


@transaction.atomic
def audience_update(
    *,
    actor: Actor,
    audience: Audience,
    name: str | None = None,
    description: str | None = None,
    rules: Sequence[RuleSpec] | None = None,
) -> Audience:
    """Change an audience; `rules`, when given, replace all of its rules."""
    require(actor, Action.CATALOG_AUTHOR)
    audience = Audience.objects.select_for_update().get(pk=audience.pk)
    before = _picture(audience)
    if name is not None:
        audience.name = _name(name)
    if description is not None:
        audience.description = description.strip()
    try:
        with transaction.atomic():
            audience.save()
    except IntegrityError as exc:
        raise Conflict(f"An audience named {name!r} exists.", code="duplicate_name") from exc
    if rules is not None:
        AudienceRule.objects.filter(audience=audience).delete()
        _write_rules(actor, audience, rules)
    audit_record(
        actor=actor,
        action="audience.update",
        target=audience,
        before=before,
        after=_picture(audience),
    )
    return audience


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed.field("name", "Use 1 to 120 characters.", code="invalid_name")
    return name


def _write_rules(actor: Actor, audience: Audience, rules: Sequence[RuleSpec]) -> None:
    audiences_changed(actor.tenant.pk)
    if not rules:
        raise ValidationFailed.field(
            "rules", "An audience needs at least one include rule.", code="required"
        )
    if len(rules) > MAX_RULES:
        raise ValidationFailed.field("rules", f"Use at most {MAX_RULES} rules.", code="too_many")
    if not any(rule.effect == Effect.INCLUDE for rule in rules):
        raise ValidationFailed.field(
            "rules", "An audience needs at least one include rule.", code="no_include_rule"
        )
    criteria: list[AudienceCriterion] = []
    for index, spec in enumerate(rules):
        _check_rule(index, spec)
        constrained = {d: v for d, v in spec.criteria.items() if v}
        rule = AudienceRule.objects.create(
            tenant=actor.tenant,
            audience=audience,
            effect=spec.effect,
            minimum_tier_rank=spec.minimum_tier_rank,
            dimension_count=len(constrained),
        )
        criteria.extend(
            AudienceCriterion(tenant=actor.tenant, rule=rule, dimension=dimension, value=value)
            for dimension, values in constrained.items()
            for value in sorted(values)
        )
    AudienceCriterion.objects.bulk_create(criteria)


def _check_rule(index: int, spec: RuleSpec) -> None:
    field = f"rules.{index}"
    if spec.effect not in Effect.values:
        raise ValidationFailed.field(
            field, f"Unknown effect {spec.effect!r}.", code="invalid_choice"
        )
    if spec.minimum_tier_rank is not None and spec.minimum_tier_rank < 1:
        raise ValidationFailed.field(field, "A minimum tier rank starts at 1.", code="invalid_rank")
    allowed_codes = {
        Dimension.COUNTRY: None,
        Dimension.BUSINESS_MODEL: set(BusinessModel.values),
        Dimension.JOB_ROLE: set(JobRole.values),
        Dimension.LOCALE: {code for code, _ in settings.LANGUAGES},
    }
    for dimension, values in spec.criteria.items():
        if dimension not in Dimension.values:
            raise ValidationFailed.field(
                field, f"Unknown dimension {dimension!r}.", code="invalid_dimension"
            )
        if len(values) > MAX_VALUES_PER_DIMENSION:
            raise ValidationFailed.field(field, "Too many values.", code="too_many")
        model = _REFERENCES.get(Dimension(dimension))
        if model is not None:
            ids = {int(v) for v in values if v.isdigit()}
            found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
            unknown = sorted(values - {str(i) for i in found})
            if unknown:
                raise ValidationFailed.field(
                    field,
                    f"Unknown {dimension} ids: {', '.join(unknown)}.",
                    code="unknown_reference",
                )
        elif dimension == Dimension.COUNTRY:
            bad = sorted(v for v in values if not _COUNTRY.match(v))
            if bad:
                raise ValidationFailed.field(
                    field,
                    f"Not ISO 3166 country codes: {', '.join(bad)}.",
                    code="invalid_country",
                )
        else:
            allowed = allowed_codes[Dimension(dimension)] or set()
            bad = sorted(values - allowed)
            if bad:
                raise ValidationFailed.field(
                    field, f"Unknown {dimension} values: {', '.join(bad)}.", code="invalid_choice"
                )


def _picture(audience: Audience) -> dict[str, object]:
    rules = AudienceRule.objects.filter(audience=audience).prefetch_related("criteria")
    return {
        "name": audience.name,
        "description": audience.description,
        "rules": [
            {
                "effect": rule.effect,
                "minimum_tier_rank": rule.minimum_tier_rank,
                "criteria": [f"{c.dimension}={c.value}" for c in rule.criteria.all()],
            }
            for rule in rules
        ],
    }
