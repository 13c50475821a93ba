"""Exams: what is asked (a fixed form, or a blueprint drawn per attempt) and under which rules.

An exam is written as a draft, then published; once published its questions and rules do not
change (attempts are judged by them): a changed exam is a new exam. Rules:

- a time limit, enforced by the server (null: untimed);
- how many attempts a person may make (null: any), and the hours to wait between two;
- the passing share of the points, overall and optionally per competency;
- when feedback is shown: never, after submitting, or only once passed;
- when it can be taken (`opens_at`, `closes_at`);
- shuffling of items and of options, and how often an item may be shown before others are
  preferred (`max_exposure`, for blueprints).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from cascade.core.scoping import TenantOwned


class ExamMode(models.TextChoices):
    FIXED = "fixed", "A fixed form: the same items for everyone"
    BLUEPRINT = "blueprint", "Drawn per attempt from a blueprint"


class ExamState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


class FeedbackPolicy(models.TextChoices):
    NONE = "none", "Never (the score only)"
    AFTER_SUBMISSION = "after_submission", "After submitting"
    AFTER_PASSING = "after_passing", "Only once passed"


class Exam(TenantOwned):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    mode = models.CharField(max_length=10, choices=ExamMode.choices, default=ExamMode.FIXED)
    state = models.CharField(max_length=10, choices=ExamState.choices, default=ExamState.DRAFT)
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    attempts_limit = models.PositiveIntegerField(null=True, blank=True)
    cooldown_hours = models.PositiveIntegerField(default=0)
    passing_share = models.DecimalField(max_digits=4, decimal_places=3, default=0.7)
    # Competency id (as a string) -> the share of that competency's points to reach.
    competency_passing = models.JSONField(default=dict, blank=True)
    feedback_policy = models.CharField(
        max_length=20, choices=FeedbackPolicy.choices, default=FeedbackPolicy.AFTER_SUBMISSION
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    shuffle_items = models.BooleanField(default=True)
    shuffle_options = models.BooleanField(default=True)
    max_exposure = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="exam_name_unique"),
            models.CheckConstraint(
                condition=Q(passing_share__gt=0) & Q(passing_share__lte=1),
                name="exam_passing_share_range",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__isnull=True) | Q(time_limit_minutes__gte=1),
                name="exam_time_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(attempts_limit__isnull=True) | Q(attempts_limit__gte=1),
                name="exam_attempts_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="exam_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExamItem(TenantOwned):
    """An item of a fixed form, in its place."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="form_items")
    item = models.ForeignKey("assessments.Item", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["exam", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "exam", "item"], name="exam_item_once"),
            models.UniqueConstraint(
                fields=["tenant", "exam", "position"], name="exam_item_position_unique"
            ),
        ]


class ExamDraw(TenantOwned):
    """A draw of a blueprint: `count` items matching its bank, competency and difficulty (any
    left empty matches everything). See `cascade.assessments.blueprints`."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="draws")
    position = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    bank = models.ForeignKey(
        "assessments.QuestionBank",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    competency = models.ForeignKey(
        "assessments.Competency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    difficulty = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["exam", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "exam", "position"], name="exam_draw_position_unique"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="exam_draw_count_positive"),
        ]
