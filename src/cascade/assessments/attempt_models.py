"""Attempts: one person taking one exam, with the item versions they were shown.

An attempt pins what it asked: each `AttemptItem` names the item version served (a correction
written later never changes what the person saw) and the order its options were presented in.
The server keeps the clock: `deadline` is set when the attempt starts, answers saved after it are
refused, and an attempt still open after it is submitted for the person (`timed_out`).

One person has at most one attempt in progress per exam (a partial unique constraint, so two
tabs starting at once cannot both win). Submitting moves the attempt out of `in_progress`
exactly once (the row is locked); afterwards nothing in it changes, except grading by a
reviewer and an explicit regrade with a corrected key, both audited.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cascade.core.scoping import TenantOwned


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    # Submitted, with evidence waiting for a reviewer.
    AWAITING_GRADING = "awaiting_grading", "Awaiting grading"
    GRADED = "graded", "Graded"


class Attempt(TenantOwned):
    exam = models.ForeignKey("assessments.Exam", on_delete=models.PROTECT, related_name="attempts")
    # The person owns the record; the organization is where they were when they took it.
    person = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="exam_attempts"
    )
    organization = models.ForeignKey(
        "tenancy.PartnerOrganization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    # Null for an untimed exam.
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Submitted by the server at the deadline rather than by the person.
    timed_out = models.BooleanField(default=False)
    graded_at = models.DateTimeField(null=True, blank=True)
    earned = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    possible = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    share = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    # Competency id (as a string) -> {"earned", "possible", "share", "passed"}.
    competency_results = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "exam", "person"],
                condition=Q(state="in_progress"),
                name="attempt_one_in_progress",
            ),
            models.UniqueConstraint(
                fields=["tenant", "exam", "person", "number"], name="attempt_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "person", "exam"], name="attempt_person_exam"),
            models.Index(fields=["tenant", "state", "deadline"], name="attempt_state_deadline"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.exam_id} by {self.person_id}"


class AttemptItem(TenantOwned):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    item = models.ForeignKey("assessments.Item", on_delete=models.PROTECT, related_name="+")
    # The version served; never changes.
    version = models.ForeignKey(
        "assessments.ItemVersion", on_delete=models.PROTECT, related_name="+"
    )
    # The version whose key scored the response (a later one after a regrade).
    scored_with = models.ForeignKey(
        "assessments.ItemVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # List name of the public view ("options", "steps", "responses") -> ids in the order shown.
    presented_order = models.JSONField(default=dict, blank=True)
    response = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Share of the item's points earned (0 to 1); null until scored, or while a reviewer grades.
    fraction = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    earned = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    feedback = models.JSONField(default=list, blank=True)
    needs_grading = models.BooleanField(default=False)
    # A reviewer's grading of evidence: {"levels": {...}, "comment": "..."}.
    grading = models.JSONField(null=True, blank=True)
    graded_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "attempt", "position"], name="attempt_item_position_unique"
            ),
            models.UniqueConstraint(fields=["tenant", "attempt", "item"], name="attempt_item_once"),
        ]
        indexes = [
            models.Index(fields=["tenant", "item"], name="attempt_item_item"),
            models.Index(
                fields=["tenant", "needs_grading"],
                condition=Q(needs_grading=True),
                name="attempt_item_to_grade",
            ),
        ]


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    return f"evidence/{instance.tenant_id}/{instance.sha256[:2]}/{instance.sha256}.{filename}"


class EvidenceFile(TenantOwned):
    """A file uploaded as evidence for an item of an attempt (the response names these)."""

    attempt_item = models.ForeignKey(
        AttemptItem, on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(max_length=200)
    # What the file shows, in the learner's words ("Tunnel status after the change").
    caption = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempt_item", "id"]


class CompetencyResult(TenantOwned):
    """A person's standing on one competency, from their graded attempts: the latest share
    and the best. The competency profile (and later the knowledge-gap analysis) reads these."""

    person = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="competency_results"
    )
    competency = models.ForeignKey(
        "assessments.Competency", on_delete=models.CASCADE, related_name="results"
    )
    latest_share = models.DecimalField(max_digits=5, decimal_places=4)
    best_share = models.DecimalField(max_digits=5, decimal_places=4)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt = models.ForeignKey(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["competency", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "person", "competency"], name="competency_result_once"
            ),
        ]
