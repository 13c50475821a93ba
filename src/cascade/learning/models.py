"""Enrollments: a person taking a catalog item, by their own choice or assigned to them.

An enrollment belongs to the person (not to the membership that existed when it started): when
they move to another partner organization their completions stay theirs, and only the open
assignments made by the old organization are closed. Completing an item again later is a new
enrollment, so the history of completions is never overwritten.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from cascade.core.scoping import TenantOwned


class EnrollmentState(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


OPEN_STATES = (EnrollmentState.ASSIGNED, EnrollmentState.IN_PROGRESS)


class EnrollmentSource(models.TextChoices):
    SELF = "self", "Self-enrolled"
    MANAGER = "manager", "Assigned by a partner manager"
    VENDOR = "vendor", "Assigned by the vendor"
    RULE = "rule", "Assigned by a rule"


class DueFrom(models.TextChoices):
    ASSIGNMENT = "assignment", "After it is assigned"
    JOINING = "joining", "After the person joined their organization"


class AssignmentRule(TenantOwned):
    """The vendor's standing instruction: everyone in `audience` gets `item`, now and whenever
    someone comes to match later (a new person, a tier change)."""

    name = models.CharField(max_length=120)
    audience = models.ForeignKey("catalog.Audience", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(default=True)
    due_days = models.PositiveIntegerField(null=True, blank=True)
    due_from = models.CharField(max_length=12, choices=DueFrom.choices, default=DueFrom.ASSIGNMENT)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="assignment_rule_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Enrollment(TenantOwned):
    person = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=EnrollmentSource.choices)
    # Required learning counts against the person and their manager when late; recommended
    # learning is offered, never chased.
    required = models.BooleanField(default=False)
    state = models.CharField(
        max_length=12, choices=EnrollmentState.choices, default=EnrollmentState.ASSIGNED
    )
    due_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule = models.ForeignKey(
        AssignmentRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The partner organization whose manager assigned it: those assignments close when the
    # person leaves that organization.
    assigning_organization = models.ForeignKey(
        "tenancy.PartnerOrganization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=300, blank=True)
    # Reminders sent, so that the daily sweep never repeats one.
    reminded_due_soon_on = models.DateField(null=True, blank=True)
    reminded_overdue_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open enrollment per person and item; closed ones are history.
            models.UniqueConstraint(
                fields=["tenant", "person", "item"],
                condition=Q(state__in=["assigned", "in_progress"]),
                name="enrollment_one_open_per_item",
            ),
            models.CheckConstraint(
                condition=Q(state__in=EnrollmentState.values), name="enrollment_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "person", "state"], name="enrollment_person_state"),
            models.Index(fields=["tenant", "state", "due_on"], name="enrollment_due"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.item_id} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, today: date) -> bool:
        """Late: still open after its due date (a condition, not a state of its own)."""
        return self.is_open and self.due_on is not None and self.due_on < today


class ProgressKind(models.TextChoices):
    VIDEO = "video", "Watched the video"
    ARTICLE = "article", "Read the article"
    DOCUMENT = "document", "Opened or downloaded the document"
    LINK = "link", "Visited the link"


class LessonProgress(TenantOwned):
    """A person's progress in one lesson or card, wherever they take it: a lesson reused by
    several courses is completed once and counts in all of them. Kept per person (not per
    enrollment) so that progress survives withdrawals, retakes and moves between partners."""

    person = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.PROTECT, related_name="+")
    # The revision and language last taken (which learner saw which revision is kept by the
    # catalog's RevisionView; this is where to resume).
    revision_number = models.PositiveIntegerField(default=0)
    locale = models.CharField(max_length=12, blank=True)
    last_format = models.CharField(max_length=12, blank=True)
    # Video: the seconds actually played, as merged [start, end] intervals, so that seeking
    # skips nothing into the count and replays add nothing twice.
    watched = models.JSONField(default=list)
    video_seconds = models.FloatField(default=0)
    watched_share = models.FloatField(default=0)
    position_seconds = models.FloatField(default=0)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.CharField(max_length=12, choices=ProgressKind.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "person", "item"], name="lesson_progress_one_per_person"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "person", "-updated_at"], name="lesson_progress_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.item_id}: {self.watched_share:.0%}"


class Curriculum(TenantOwned):
    """The vendor's recommended learning for a job role in a business model (e.g. presales at a
    managed-service provider). A blank business model applies to every business model."""

    job_role = models.CharField(max_length=20)
    business_model = models.CharField(max_length=30, blank=True)
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job_role", "business_model", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "job_role", "business_model"], name="curriculum_one_per_role"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CurriculumStep(TenantOwned):
    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="steps")
    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["curriculum", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "curriculum", "position"], name="curriculum_step_position"
            ),
            models.UniqueConstraint(
                fields=["tenant", "curriculum", "item"], name="curriculum_step_item_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.curriculum_id}[{self.position}] {self.item_id}"


# Onboarding programs live in their own module; importing them registers their models.
from cascade.learning.onboarding_models import (  # noqa: E402, F401
    BusinessEventRecord,
    OnboardingAssignment,
    OnboardingMilestone,
    OnboardingPhase,
    OnboardingProgram,
)
