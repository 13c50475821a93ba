"""Onboarding programs: what a new partner person (or a new partner organization's people) should
have done by when, counted from a join date.

A program applies to the people of an audience (the catalog's audiences, read the other way
round). It is a sequence of phases ("Week 1: foundations", "Month 3: certified"), each open from
`starts_after_days` to `due_after_days` after the anchor date: the person's join date (their
current membership's start) or their organization's (`PartnerOrganization.joined_on`, the
membership's start when the organization has none). Nobody is measured from before the program
existed: the anchor is never earlier than the program's `effective_from`.

A phase holds milestones. A learning milestone is complete when the person has completed its
catalog item (any completed enrollment, at any time: records are the person's). A business
milestone is complete when the PRM integration has reported the event (`BusinessEventRecord`)
for the person, or for their current organization when the milestone is an organization's
("first deal registered").
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from cascade.core.scoping import TenantOwned


class OnboardingAnchor(models.TextChoices):
    PERSON = "person", "The person's join date"
    ORGANIZATION = "organization", "The organization's join date"


class MilestoneKind(models.TextChoices):
    LEARNING = "learning", "Complete a catalog item"
    BUSINESS_EVENT = "business_event", "A business event reported by the PRM"


class EventScope(models.TextChoices):
    PERSON = "person", "Of the person"
    ORGANIZATION = "organization", "Of the person's organization"


class OnboardingProgram(TenantOwned):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    audience = models.ForeignKey("catalog.Audience", on_delete=models.PROTECT, related_name="+")
    relative_to = models.CharField(
        max_length=12, choices=OnboardingAnchor.choices, default=OnboardingAnchor.PERSON
    )
    # People who joined earlier are measured from this date (the program's start).
    effective_from = models.DateField()
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "name"], name="onboarding_program_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(relative_to__in=OnboardingAnchor.values),
                name="onboarding_program_anchor_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OnboardingPhase(TenantOwned):
    program = models.ForeignKey(OnboardingProgram, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    starts_after_days = models.PositiveIntegerField(default=0)
    due_after_days = models.PositiveIntegerField()

    class Meta:
        ordering = ["program", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "program", "position"], name="onboarding_phase_position"
            ),
            models.CheckConstraint(
                condition=Q(due_after_days__gt=F("starts_after_days")),
                name="onboarding_phase_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def window_days(self) -> int:
        return self.due_after_days - self.starts_after_days


class OnboardingMilestone(TenantOwned):
    phase = models.ForeignKey(OnboardingPhase, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=MilestoneKind.choices)
    item = models.ForeignKey(
        "catalog.CatalogItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event_key = models.CharField(max_length=60, blank=True)
    event_scope = models.CharField(
        max_length=12, choices=EventScope.choices, default=EventScope.PERSON
    )
    label = models.CharField(max_length=160)

    class Meta:
        ordering = ["phase", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "phase", "position"], name="onboarding_milestone_position"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=MilestoneKind.LEARNING, item__isnull=False, event_key="")
                    | Q(kind=MilestoneKind.BUSINESS_EVENT, item__isnull=True) & ~Q(event_key="")
                ),
                name="onboarding_milestone_target",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class OnboardingAssignment(TenantOwned):
    """A learning milestone's item given to a person once (never again, even after a withdrawal):
    the marker that makes starting onboarding idempotent."""

    person = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(OnboardingMilestone, on_delete=models.CASCADE, related_name="+")
    # Empty when the person already had the item open or completed: nothing was written for them.
    enrollment = models.ForeignKey(
        "learning.Enrollment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "person", "milestone"], name="onboarding_assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} for milestone {self.milestone_id}"


class BusinessEventRecord(TenantOwned):
    """A business event the PRM reported ("deal_registered"), for a person, an organization or
    both. `(source, external_id)` is the PRM's own id: reporting the same event again is a
    no-op, so the integration may retry freely."""

    key = models.CharField(max_length=60)
    person = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        "tenancy.PartnerOrganization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField()
    source = models.CharField(max_length=60)
    external_id = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source", "external_id"], name="business_event_external_id"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="business_event_has_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "key", "person"], name="business_event_person"),
            models.Index(
                fields=["tenant", "key", "organization"], name="business_event_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.source}:{self.external_id})"
