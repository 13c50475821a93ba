"""Audience rules as plain values, and their meaning in plain Python.

The same rules are evaluated in SQL by `cascade.catalog.selectors` (for lists, search and pages);
this module is the readable definition the SQL must agree with, used where one viewer is judged
at a time (a persona preview) and by the property test that compares the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cascade.catalog.models import Dimension, Effect


@dataclass(frozen=True)
class Viewer:
    """What audience rules look at: the viewer's organization and their own job role and
    language. Vendor staff are not viewers: they see the whole catalog."""

    organization_id: int
    tier_id: int | None
    tier_rank: int | None
    region_id: int | None
    country: str
    specialization_ids: frozenset[int]
    business_model: str
    job_role: str
    locale: str

    def values(self) -> dict[str, frozenset[str]]:
        """The viewer's value(s) per dimension, as criteria store them (text)."""
        single = {
            Dimension.ORGANIZATION: str(self.organization_id),
            Dimension.TIER: str(self.tier_id) if self.tier_id is not None else None,
            Dimension.REGION: str(self.region_id) if self.region_id is not None else None,
            Dimension.COUNTRY: self.country or None,
            Dimension.BUSINESS_MODEL: self.business_model or None,
            Dimension.JOB_ROLE: self.job_role or None,
            Dimension.LOCALE: self.locale or None,
        }
        values = {str(d): frozenset({v}) for d, v in single.items() if v is not None}
        if self.specialization_ids:
            values[Dimension.SPECIALIZATION.value] = frozenset(
                str(i) for i in self.specialization_ids
            )
        return values


@dataclass(frozen=True)
class RuleSpec:
    effect: str = Effect.INCLUDE
    minimum_tier_rank: int | None = None
    criteria: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @staticmethod
    def of(
        effect: str = Effect.INCLUDE,
        minimum_tier_rank: int | None = None,
        **criteria: Iterable[object],
    ) -> RuleSpec:
        return RuleSpec(
            effect=effect,
            minimum_tier_rank=minimum_tier_rank,
            criteria={
                dimension: frozenset(str(v) for v in values)
                for dimension, values in criteria.items()
                if values
            },
        )


def rule_matches(rule: RuleSpec, viewer: Viewer) -> bool:
    if rule.minimum_tier_rank is not None and (
        viewer.tier_rank is None or viewer.tier_rank < rule.minimum_tier_rank
    ):
        return False
    mine = viewer.values()
    return all(
        bool(wanted & mine.get(dimension, frozenset()))
        for dimension, wanted in rule.criteria.items()
        if wanted
    )


def audience_admits(rules: Iterable[RuleSpec], viewer: Viewer) -> bool:
    """In the audience: some include rule matches and no exclude rule does."""
    rules = list(rules)
    included = any(r.effect == Effect.INCLUDE and rule_matches(r, viewer) for r in rules)
    excluded = any(r.effect == Effect.EXCLUDE and rule_matches(r, viewer) for r in rules)
    return included and not excluded
