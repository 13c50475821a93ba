"""Published revisions of catalog items, and which learner saw which revision.

Publishing an item freezes its working copy (text in every approved language, children, formats,
product versions) into an ItemRevision; learners always read a revision, never the working copy,
so authors can prepare the next revision while the current one stays online. A revision is
"initial", "minor" (flows into every course that uses the item) or "major" (a course that uses
the item keeps showing the revision it was published with until it is published again).
"""

from __future__ import annotations

from django.db import models

from cascade.core.scoping import TenantOwned


class ChangeKind(models.TextChoices):
    INITIAL = "initial", "First publication"
    MINOR = "minor", "Minor change"
    MAJOR = "major", "Major change"


class ItemRevision(TenantOwned):
    item = models.ForeignKey(
        "catalog.CatalogItem", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=10, choices=ChangeKind.choices)
    # "What changed", shown to learners on updated items.
    note = models.TextField(blank=True, max_length=2000)
    # The frozen content: {"variants": {locale: {title, summary, body}}, "children": [{id,
    # required, revision}], "formats": [...], "electives_required", "duration_minutes",
    # "product_version_ids"}. See cascade.catalog.revisions.snapshot_of.
    content = models.JSONField()
    published_by = models.ForeignKey(
        "identity.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "item", "number"], name="item_revision_number_unique"
            ),
        ]
        indexes = [
            # "Recently updated" on learners' homes: revisions after the first, newest first.
            models.Index(
                fields=["tenant", "-published_at"],
                name="item_revision_recent",
                condition=models.Q(number__gt=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} r{self.number}"


class RevisionView(TenantOwned):
    """A person opened a revision of an item: kept so that "who saw what" survives revisions."""

    person = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(ItemRevision, on_delete=models.CASCADE, related_name="views")
    item = models.ForeignKey("catalog.CatalogItem", on_delete=models.CASCADE, related_name="+")
    locale = models.CharField(max_length=12)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "person", "revision"], name="revision_view_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "item", "person"], name="revision_view_item")]

    def __str__(self) -> str:
        return f"{self.person_id} saw {self.revision_id}"


class RevisionChild(TenantOwned):
    """A child of a published container revision, at the child revision it was published with:
    the same as `content["children"]`, as rows, so "which containers must be re-published after
    a major change" is one indexed query instead of a scan of every snapshot."""

    revision = models.ForeignKey(ItemRevision, on_delete=models.CASCADE, related_name="child_rows")
    child = models.ForeignKey("catalog.CatalogItem", on_delete=models.CASCADE, related_name="+")
    pinned_number = models.PositiveIntegerField()

    class Meta:
        ordering = ["revision", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "revision", "child"], name="revision_child_once"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "child"], name="revision_child_by_child")]

    def __str__(self) -> str:
        return f"{self.revision_id} pins {self.child_id} r{self.pinned_number}"


class RevisionMedia(TenantOwned):
    """A media file a revision's formats use (as the file or as a track). Kept as rows so that a
    file learners may still be shown cannot be deleted from the library (PROTECT), while a file
    only an abandoned draft used can."""

    revision = models.ForeignKey(ItemRevision, on_delete=models.CASCADE, related_name="media_rows")
    media = models.ForeignKey("catalog.MediaAsset", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["revision", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "revision", "media"], name="revision_media_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.revision_id} uses {self.media_id}"
