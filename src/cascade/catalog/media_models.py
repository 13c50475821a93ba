"""The media library: uploaded files with their metadata, reused across lessons.

A MediaAsset is one stored file (video, audio, image, document, captions or transcript track)
owned by a tenant. Its type is decided from the file's content when it is uploaded (see
`cascade.catalog.media`), its SHA-256 detects the same file uploaded twice in a tenant, and
`download_allowed` False means the file may be streamed to learners but not downloaded.
Captions and transcript tracks may point to the video they belong to.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify

from cascade.core.scoping import TenantOwned


class MediaKind(models.TextChoices):
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    IMAGE = "image", "Image"
    DOCUMENT = "document", "Document"
    CAPTIONS = "captions", "Captions or subtitles track"
    TRANSCRIPT = "transcript", "Transcript"


# Kinds that are tracks of a video (and may name it).
TRACK_KINDS = (MediaKind.CAPTIONS, MediaKind.TRANSCRIPT)


def media_upload_to(instance: MediaAsset, filename: str) -> str:
    """`tenants/<tenant id>/media/<random>/<slug>.<ext>`: the tenant in the path, a random
    directory so names never collide or can be guessed, and only a slug of the name given."""
    path = PurePosixPath(filename)
    stem = slugify(path.stem)[:60] or "file"
    suffix = slugify(path.suffix.lstrip("."))[:10]
    name = f"{stem}.{suffix}" if suffix else stem
    return f"tenants/{instance.tenant_id}/media/{secrets.token_hex(12)}/{name}"


class MediaAsset(TenantOwned):
    kind = models.CharField(max_length=20, choices=MediaKind.choices)
    file = models.FileField(upload_to=media_upload_to, max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    # Decided from the content when uploaded, never taken from the browser.
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    tags = models.JSONField(default=list, blank=True)
    product = models.CharField(max_length=100, blank=True)
    # A code from settings.LANGUAGES, or empty for language-neutral media.
    language = models.CharField(max_length=10, blank=True)
    owner = models.CharField("owner or rights holder", max_length=200, blank=True)
    rights_notes = models.TextField(blank=True, max_length=2000)
    # False: learners may stream the file but not download it.
    download_allowed = models.BooleanField(default=True)
    # For captions and transcript tracks: the video they belong to.
    video = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "sha256"], name="media_asset_sha256_unique"),
            models.CheckConstraint(
                condition=Q(video__isnull=True)
                | Q(kind__in=[MediaKind.CAPTIONS, MediaKind.TRANSCRIPT]),
                name="media_asset_video_only_for_tracks",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MediaKind.values), name="media_asset_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "kind", "-created_at"], name="media_asset_kind_recent"),
        ]

    def __str__(self) -> str:
        return self.title
