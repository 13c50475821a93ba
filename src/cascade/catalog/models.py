"""The catalog's audiences: who may see a piece of content (content segregation).

An Audience is a named, reusable set of rules ("EMEA Gold security partners"). It holds include
and exclude rules; a viewer is in the audience when at least one include rule matches them and no
exclude rule does. A rule matches when every dimension it constrains matches (AND across
dimensions, OR among the values of one dimension); a rule that constrains nothing matches
everyone. The dimensions are stored as rows (AudienceCriterion) so that the question "which
audiences is this viewer in?" is one SQL query whatever the number of audiences and items.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cascade.core.scoping import TenantOwned


class Dimension(models.TextChoices):
    """What a rule can constrain. Values are stored as text: ids for tiers, regions,
    specializations and organizations; codes for the rest."""

    TIER = "tier", "Tier"
    REGION = "region", "Region"
    COUNTRY = "country", "Country"
    SPECIALIZATION = "specialization", "Specialization"
    BUSINESS_MODEL = "business_model", "Business model"
    JOB_ROLE = "job_role", "Job role"
    LOCALE = "locale", "Language"
    ORGANIZATION = "organization", "Organization"


class Effect(models.TextChoices):
    INCLUDE = "include", "Include"
    EXCLUDE = "exclude", "Exclude"


class Audience(TenantOwned):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="audience_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AudienceRule(TenantOwned):
    audience = models.ForeignKey(Audience, on_delete=models.CASCADE, related_name="rules")
    effect = models.CharField(max_length=10, choices=Effect.choices, default=Effect.INCLUDE)
    # "Gold and above": compared with the rank of the viewer's organization's tier.
    minimum_tier_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # How many distinct dimensions the rule constrains (derived by the services), so a match is
    # "as many dimensions matched as constrained": one aggregate, no per-dimension subqueries.
    dimension_count = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_tier_rank__isnull=True) | Q(minimum_tier_rank__gte=1),
                name="audience_rule_minimum_rank_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effect} rule {self.pk} of audience {self.audience_id}"


class AudienceCriterion(TenantOwned):
    rule = models.ForeignKey(AudienceRule, on_delete=models.CASCADE, related_name="criteria")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    value = models.CharField(max_length=40)

    class Meta:
        ordering = ["dimension", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "rule", "dimension", "value"], name="audience_criterion_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "dimension", "value"], name="audience_criterion_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}"


# Items and the media library live in their own modules; importing them registers their models.
from cascade.catalog.format_models import FormatKind, LessonFormat  # noqa: E402, F401
from cascade.catalog.item_models import (  # noqa: E402, F401
    CatalogItem,
    CatalogTeam,
    ItemApproval,
    ItemLink,
    ItemVariant,
    ProductLine,
    ProductVersion,
)
from cascade.catalog.media_models import MediaAsset, MediaKind  # noqa: E402, F401
from cascade.catalog.revision_models import (  # noqa: E402, F401
    ChangeKind,
    ItemRevision,
    RevisionChild,
    RevisionMedia,
    RevisionView,
)
from cascade.catalog.search_models import SearchEntry  # noqa: E402, F401
