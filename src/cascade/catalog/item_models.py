"""Catalog items and their governance: what authors write, reviewers approve and learners see.

One table holds every kind of item (course, module, lesson, microlearning card, learning path):
they share an owner team, an audience, a lifecycle and locale variants. The text of an item lives
in its variants, one per language; the variant in the tenant's default language is the source
that translations follow.
"""

from __future__ import annotations

from django.db import models

from cascade.core.scoping import TenantOwned


class ItemKind(models.TextChoices):
    COURSE = "course", "Course"
    MODULE = "module", "Module"
    LESSON = "lesson", "Lesson"
    CARD = "card", "Microlearning card"
    PATH = "path", "Learning path"


class ItemState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class VariantStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"


class CatalogTeam(TenantOwned):
    """A team that owns content (channel, product, marketing...). For content meant for every
    partner, one of the approvals must come from a member of the owning team."""

    name = models.CharField(max_length=80)
    members = models.ManyToManyField("identity.Person", blank=True, related_name="+")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="catalog_team_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CatalogItem(TenantOwned):
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    owner_team = models.ForeignKey(CatalogTeam, on_delete=models.PROTECT, related_name="items")
    # Null while drafting: an item must have an audience before it can be submitted.
    audience = models.ForeignKey(
        "catalog.Audience", on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.DRAFT)
    # Each submission opens a review round; only approvals of the current round count.
    review_round = models.PositiveIntegerField(default=0)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    review_by = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    # For paths: how many elective steps complete the path (besides every required step).
    electives_required = models.PositiveSmallIntegerField(default=0)
    product_versions = models.ManyToManyField(
        "catalog.ProductVersion", blank=True, related_name="items"
    )
    # What learners see: the last published revision (a snapshot), while the working copy (the
    # variants, links and formats) may be a draft of the next one. Null until first published.
    published_revision = models.ForeignKey(
        "catalog.ItemRevision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who the published revision is for: the audience as approved at publication. Authors may
    # change `audience` in the next draft; learners' visibility changes only once it is published.
    published_audience = models.ForeignKey(
        "catalog.Audience", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The number of the latest major revision (0 if none): containers pinned to an older revision
    # of this item must be published again to show it.
    latest_major_number = models.PositiveIntegerField(default=0)
    # The next revision's kind and "what changed" note, chosen when an author starts revising.
    pending_change = models.CharField(max_length=10, blank=True)
    change_note = models.TextField(blank=True, max_length=2000)
    # Viewers outside the audience only by tier see an "available at <tier>" teaser.
    teaser_enabled = models.BooleanField(default=False)
    review_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["tenant", "state", "audience", "id"], name="catalog_item_visible"),
            # The learner catalog: live items newest first, filtered by a list of audiences.
            models.Index(
                fields=["tenant", "-published_at", "-id"],
                name="catalog_item_newest",
                condition=models.Q(published_revision__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class ItemVariant(TenantOwned):
    """An item's text in one language. `source_updated_at` records which version of the source
    (default-language) text a translation was made from: when the source changes later, the
    translation needs an update."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="variants")
    locale = models.CharField(max_length=12)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, max_length=2000)
    body = models.TextField(blank=True, max_length=200_000)
    updated_at = models.DateTimeField(auto_now=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    # Translations have their own review (transcreation): a translator writes, a reviewer
    # approves, and an approved translation reaches learners as a minor revision. The source
    # variant is reviewed with the item itself.
    status = models.CharField(
        max_length=10, choices=VariantStatus.choices, default=VariantStatus.DRAFT
    )
    translated_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["locale"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "item", "locale"], name="item_variant_one_per_locale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.locale}"


class ItemApproval(TenantOwned):
    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="approvals")
    review_round = models.PositiveIntegerField()
    reviewer = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    # Whether the reviewer belonged to the owning team when approving.
    from_owner_team = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "item", "review_round", "reviewer"],
                name="one_approval_per_reviewer_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"approval of {self.item_id} by {self.reviewer_id}"


class ItemLink(TenantOwned):
    """One child of a structured item, in order: a course's modules, a module's lessons (lessons
    are reusable: the same lesson may be linked from many modules), a path's steps. `required`
    matters for paths (electives) and modules (optional lessons)."""

    parent = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(CatalogItem, on_delete=models.PROTECT, related_name="parent_links")
    position = models.PositiveIntegerField()
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["parent", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "parent", "position"], name="item_link_position_unique"
            ),
            models.UniqueConstraint(
                fields=["tenant", "parent", "child"], name="item_link_child_once_per_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id}[{self.position}] -> {self.child_id}"


class ProductLine(TenantOwned):
    """A product family the vendor trains on (e.g. "X series switches")."""

    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="product_line_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductVersion(TenantOwned):
    """A version of a product line. Several stay available side by side; an older one is marked
    legacy and points to the version that supersedes it, so learners can be sent to the current
    content."""

    product_line = models.ForeignKey(ProductLine, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=40)
    released_on = models.DateField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["product_line", "-released_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "product_line", "name"], name="product_version_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_line_id} {self.name}"

    @property
    def is_legacy(self) -> bool:
        return self.superseded_by_id is not None
