"""The formats of a lesson or card: equivalent ways to take the same content.

A lesson may offer one piece of content as a video, as text and as a downloadable guide; the
learner picks. The article format reads the item's text (its locale variants); the other formats
point at the media library or an external address. Interactive packages (cmi5/SCORM),
assessments and live sessions are slots that later capabilities fill through `reference`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cascade.core.scoping import TenantOwned


class FormatKind(models.TextChoices):
    VIDEO = "video", "Video"
    ARTICLE = "article", "Article"
    DOCUMENT = "document", "Document or download"
    LINK = "link", "External link"
    PACKAGE = "package", "Interactive package (cmi5/SCORM)"
    ASSESSMENT = "assessment", "Assessment"
    LIVE = "live", "Live session"


# Formats whose content is a media library file, and the media kinds each accepts.
MEDIA_KINDS_FOR_FORMAT: dict[str, tuple[str, ...]] = {
    FormatKind.VIDEO: ("video", "audio"),
    FormatKind.DOCUMENT: ("document", "image"),
}
# Formats filled by later capabilities: they hold an opaque reference until then.
SLOT_FORMATS = (FormatKind.PACKAGE, FormatKind.ASSESSMENT, FormatKind.LIVE)


class LessonFormat(TenantOwned):
    item = models.ForeignKey(
        "catalog.CatalogItem", on_delete=models.CASCADE, related_name="formats"
    )
    kind = models.CharField(max_length=12, choices=FormatKind.choices)
    position = models.PositiveSmallIntegerField()
    # Empty: the format serves every language; otherwise only viewers of that language (with the
    # item's fallback chain) are offered it.
    locale = models.CharField(max_length=12, blank=True)
    media = models.ForeignKey(
        "catalog.MediaAsset", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    url = models.URLField(max_length=500, blank=True)
    # Captions and transcript tracks of a video (media assets of those kinds).
    tracks = models.ManyToManyField("catalog.MediaAsset", blank=True, related_name="+")
    reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "item", "position"], name="lesson_format_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FormatKind.values), name="lesson_format_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"
