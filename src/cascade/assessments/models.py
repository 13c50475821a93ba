"""The competency framework and the question banks.

A tenant's **competency framework** groups competencies ("Product X installation", "Objection
handling") by domain ("Deployment", "Selling"). Items are tagged with the competencies they
measure; exam results by competency feed each person's competency profile.

A **question bank** holds items. An **item** is the stable identity (its bank, its type) and
points to its current **version**: the definition (`cascade.assessments.items`, validated JSON
with the answer key), the points it is worth, its difficulty, the competencies it measures and
the product versions it applies to. Correcting an item writes a new version; nothing edits a
version in place, so an attempt that saw version 3 can always be shown and scored as version 3.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cascade.core.scoping import TenantOwned


class CompetencyDomain(TenantOwned):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "name"], name="competency_domain_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Competency(TenantOwned):
    domain = models.ForeignKey(
        CompetencyDomain, on_delete=models.PROTECT, related_name="competencies"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["domain__position", "domain__name", "name", "id"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="competency_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionBank(TenantOwned):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="question_bank_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Difficulty(models.IntegerChoices):
    """How hard the author judges an item (exam blueprints draw by it); item analysis measures
    the real difficulty from attempts."""

    EASY = 1, "Easy"
    MEDIUM = 2, "Medium"
    HARD = 3, "Hard"


class Item(TenantOwned):
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="items")
    # The type of every version (a correction never changes what kind of item it is).
    type = models.CharField(max_length=20)
    # Set in the transaction that writes version 1; null only inside it.
    current_version = models.ForeignKey(
        "ItemVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "bank", "type"], name="item_bank_type")]

    def __str__(self) -> str:
        return f"{self.type} {self.pk}"


class ItemVersion(TenantOwned):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    points = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    difficulty = models.PositiveSmallIntegerField(
        choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="item_versions")
    product_versions = models.ManyToManyField(
        "catalog.ProductVersion", blank=True, related_name="+"
    )
    # Why this version exists ("Corrected the key: option C is also right").
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "item", "number"], name="item_version_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="item_version_number_positive"),
            models.CheckConstraint(condition=Q(points__gt=0), name="item_version_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


# Exams and attempts live in their own modules; imported here so that Django registers them.
from cascade.assessments.attempt_models import (  # noqa: E402
    Attempt,
    AttemptItem,
    AttemptState,
    CompetencyResult,
    EvidenceFile,
)
from cascade.assessments.exam_models import (  # noqa: E402
    Exam,
    ExamDraw,
    ExamItem,
    ExamMode,
    ExamState,
    FeedbackPolicy,
)

__all__ = [
    "Attempt",
    "AttemptItem",
    "AttemptState",
    "Competency",
    "CompetencyDomain",
    "CompetencyResult",
    "Difficulty",
    "EvidenceFile",
    "Exam",
    "ExamDraw",
    "ExamItem",
    "ExamMode",
    "ExamState",
    "FeedbackPolicy",
    "Item",
    "ItemVersion",
    "QuestionBank",
]
