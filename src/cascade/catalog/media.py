"""Writing the media library: uploads checked by their content, stored once per tenant, audited.

A file's type is decided from its first bytes (and, for Office documents, from the ZIP's
`[Content_Types].xml` part), never from its name or the type the browser claims: a script renamed
`.png` is refused. SVG and HTML are refused outright, since they can carry scripts that would run
in the program's domain. Each kind has a size limit (settings.CASCADE_MEDIA_SIZE_LIMITS). Uploads
are read in chunks to hash and sniff them, so a 2 GiB video never sits in memory.

The file is stored before the row is written; when the write fails, the file is removed again, and
a deleted asset's file is removed only once the deletion has committed. No orphan files, no rows
pointing at nothing.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from cascade.access.actor import Actor
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record, snapshot
from cascade.catalog.format_models import LessonFormat
from cascade.catalog.media_models import TRACK_KINDS, MediaAsset, MediaKind
from cascade.catalog.revision_models import RevisionMedia
from cascade.core.errors import Conflict, ValidationFailed

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB
DEFAULT_SIZE_LIMITS: dict[str, int] = {
    MediaKind.VIDEO: 2 * GiB,
    MediaKind.AUDIO: 500 * MiB,
    MediaKind.IMAGE: 10 * MiB,
    MediaKind.DOCUMENT: 100 * MiB,
    MediaKind.CAPTIONS: 2 * MiB,
    MediaKind.TRANSCRIPT: 10 * MiB,
}
CHUNK_SIZE = 64 * KiB
HEAD_SIZE = 4 * KiB
MAX_TAGS = 20
MAX_TAG_LENGTH = 40
# Tags are short words: lower-case letters, digits, spaces, dots, dashes and underscores.
_TAG = re.compile(r"^[\w][\w .\-]*$")
# The largest [Content_Types].xml part read from an Office document.
_MAX_CONTENT_TYPES_PART = 256 * KiB

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# The main part's content type that makes a ZIP one of the three Office documents.
_OFFICE_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    kinds: tuple[str, ...]


MP4_VIDEO = FileType("video/mp4", "mp4", (MediaKind.VIDEO,))
WEBM = FileType("video/webm", "webm", (MediaKind.VIDEO,))
MP3 = FileType("audio/mpeg", "mp3", (MediaKind.AUDIO,))
M4A = FileType("audio/mp4", "m4a", (MediaKind.AUDIO,))
PNG = FileType("image/png", "png", (MediaKind.IMAGE,))
JPEG = FileType("image/jpeg", "jpg", (MediaKind.IMAGE,))
WEBP = FileType("image/webp", "webp", (MediaKind.IMAGE,))
PDF = FileType("application/pdf", "pdf", (MediaKind.DOCUMENT,))
OFFICE = {
    DOCX: FileType(DOCX, "docx", (MediaKind.DOCUMENT,)),
    XLSX: FileType(XLSX, "xlsx", (MediaKind.DOCUMENT,)),
    PPTX: FileType(PPTX, "pptx", (MediaKind.DOCUMENT,)),
}
WEBVTT = FileType("text/vtt", "vtt", (MediaKind.CAPTIONS, MediaKind.TRANSCRIPT))
PLAIN_TEXT = FileType("text/plain", "txt", (MediaKind.TRANSCRIPT,))

# ISO base media brands (the 'ftyp' box) of audio-only MPEG-4 files; other brands are video.
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"dash",
    b"mmp4",
    b"msnv",
}
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Inspection:
    file_type: FileType
    size: int
    sha256: str


def media_size_limit(kind: str) -> int:
    """The largest upload accepted for `kind`, in bytes."""
    limits: dict[str, int] = getattr(settings, "CASCADE_MEDIA_SIZE_LIMITS", {})
    return int(limits.get(kind, DEFAULT_SIZE_LIMITS[kind]))


def media_asset_create(
    *,
    actor: Actor,
    kind: str,
    upload: UploadedFile,
    title: str,
    description: str = "",
    tags: Sequence[str] = (),
    product: str = "",
    language: str = "",
    owner: str = "",
    rights_notes: str = "",
    download_allowed: bool = True,
    video: MediaAsset | None = None,
) -> MediaAsset:
    """Add a file to the library (content authors).

    Refuses a file whose content is not one of the accepted types (`unsupported_type`), does not
    fit `kind` (`kind_mismatch`), is empty (`empty_file`) or over the kind's limit (`too_large`),
    and the same content already in the library (`duplicate_asset`).
    """
    require(actor, Action.CATALOG_AUTHOR)
    if kind not in MediaKind.values:
        raise ValidationFailed.field("kind", f"Unknown kind {kind!r}.", code="invalid_choice")
    asset = MediaAsset(
        tenant=actor.tenant,
        kind=kind,
        original_name=_original_name(upload.name),
        created_by=actor.person,
    )
    _apply_metadata(
        asset,
        title=title,
        description=description,
        tags=tags,
        product=product,
        language=language,
        owner=owner,
        rights_notes=rights_notes,
        download_allowed=download_allowed,
        video=video,
    )
    inspection = inspect_upload(upload, kind)
    asset.content_type = inspection.file_type.content_type
    asset.size = inspection.size
    asset.sha256 = inspection.sha256
    if MediaAsset.objects.filter(sha256=inspection.sha256).exists():
        raise _duplicate()
    upload.seek(0)
    asset.file.save(_stored_name(asset, inspection.file_type), upload, save=False)
    try:
        with transaction.atomic():
            asset.save()
            audit_record(
                actor=actor, action="media_asset.create", target=asset, after=_picture(asset)
            )
    except IntegrityError as exc:
        _remove_file(asset.file.storage, asset.file.name)
        raise _duplicate() from exc
    except BaseException:
        _remove_file(asset.file.storage, asset.file.name)
        raise
    return asset


@transaction.atomic
def media_asset_update(
    *,
    actor: Actor,
    asset: MediaAsset,
    title: str | None = None,
    description: str | None = None,
    tags: Sequence[str] | None = None,
    product: str | None = None,
    language: str | None = None,
    owner: str | None = None,
    rights_notes: str | None = None,
    download_allowed: bool | None = None,
    video: MediaAsset | None = None,
    clear_video: bool = False,
) -> MediaAsset:
    """Change an asset's metadata (content authors). The file itself never changes: a new
    version of a file is a new asset, so lessons using the old one are not changed silently."""
    require(actor, Action.CATALOG_AUTHOR)
    asset = MediaAsset.objects.select_for_update().get(pk=asset.pk)
    before = _picture(asset)
    _apply_metadata(
        asset,
        title=asset.title if title is None else title,
        description=asset.description if description is None else description,
        tags=asset.tags if tags is None else tags,
        product=asset.product if product is None else product,
        language=asset.language if language is None else language,
        owner=asset.owner if owner is None else owner,
        rights_notes=asset.rights_notes if rights_notes is None else rights_notes,
        download_allowed=asset.download_allowed if download_allowed is None else download_allowed,
        video=None if clear_video else (video or asset.video),
    )
    asset.save()
    audit_record(
        actor=actor,
        action="media_asset.update",
        target=asset,
        before=before,
        after=_picture(asset),
    )
    return asset


@transaction.atomic
def media_asset_delete(*, actor: Actor, asset: MediaAsset) -> None:
    """Remove an asset from the library (content authors), refusing while something uses it
    (`in_use`: a captions or transcript track of this video). The stored file is removed once
    the deletion has committed, so a rolled-back deletion keeps its file."""
    require(actor, Action.CATALOG_AUTHOR)
    asset = MediaAsset.objects.select_for_update().get(pk=asset.pk)
    if MediaAsset.objects.filter(video=asset).exists():
        raise _in_use(asset)
    # A lesson's draft formats, and every revision learners may still be shown (RevisionMedia,
    # protected in the schema too), keep the file.
    if (
        LessonFormat.objects.filter(tracks=asset).exists()
        or LessonFormat.objects.filter(media=asset).exists()
        or RevisionMedia.objects.filter(media=asset).exists()
    ):
        raise _in_use(asset)
    storage, name = asset.file.storage, asset.file.name
    audit_record(actor=actor, action="media_asset.delete", target=asset, before=_picture(asset))
    try:
        with transaction.atomic():
            asset.delete()
    except ProtectedError as exc:
        raise _in_use(asset) from exc
    transaction.on_commit(lambda: _remove_file(storage, name))


def inspect_upload(upload: UploadedFile, kind: str) -> Inspection:
    """Size, SHA-256 and type of an upload, read in chunks; raise ValidationFailed on `file`
    when it is empty, too large, of no accepted type or of a type that does not fit `kind`."""
    limit = media_size_limit(kind)
    file_type, size, sha256 = sniff_upload(upload, limit=limit, too_large=_too_large(kind, limit))
    if file_type is None:
        raise ValidationFailed.field(
            "file",
            "This type of file is not accepted. Upload MP4 or WebM video, MP3 or M4A audio, "
            "PNG, JPEG or WebP images, PDF or Office (docx, xlsx, pptx) documents, WebVTT "
            "captions, or plain-text transcripts.",
            code="unsupported_type",
        )
    if kind not in file_type.kinds:
        raise ValidationFailed.field(
            "file",
            f"This file is {file_type.content_type}, which is not a {MediaKind(kind).label.lower()}"
            " file.",
            code="kind_mismatch",
        )
    return Inspection(file_type=file_type, size=size, sha256=sha256)


def sniff_upload(
    upload: UploadedFile, *, limit: int, too_large: ValidationFailed
) -> tuple[FileType | None, int, str]:
    """The type read from an upload's content (None: none accepted), its size and SHA-256,
    read in chunks; raises `too_large` past `limit` bytes and `empty_file` for no bytes."""
    declared = upload.size or 0
    if declared > limit:
        raise too_large
    upload.seek(0)
    digest = hashlib.sha256()
    head = b""
    size = 0
    text = _TextCheck()
    for chunk in upload.chunks(CHUNK_SIZE):
        size += len(chunk)
        if size > limit:
            raise too_large
        digest.update(chunk)
        if len(head) < HEAD_SIZE:
            head += chunk[: HEAD_SIZE - len(head)]
        text.feed(chunk)
    if size == 0:
        raise ValidationFailed.field("file", "The file is empty.", code="empty_file")
    return _sniff(head, upload.file, text.finish()), size, digest.hexdigest()


class _TextCheck:
    """Whether the whole stream is UTF-8 text without control characters (other than tab,
    line feed, carriage return and form feed), decided chunk by chunk."""

    _CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._ok = True

    def feed(self, chunk: bytes) -> None:
        if not self._ok:
            return
        try:
            decoded = self._decoder.decode(chunk)
        except UnicodeDecodeError:
            self._ok = False
            return
        if self._CONTROL.search(decoded):
            self._ok = False

    def finish(self) -> bool:
        if self._ok:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self._ok = False
        return self._ok


def _sniff(head: bytes, stream: IO[bytes] | Any, is_text: bool) -> FileType | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _AUDIO_BRANDS:
            return M4A
        if brand in _VIDEO_BRANDS:
            return MP4_VIDEO
        return None
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # Matroska's EBML header names its document type; only WebM is accepted.
        return WEBM if b"\x42\x82\x84webm" in head[:64] else None
    if head.startswith(b"ID3") or _is_mp3_frame(head):
        return MP3
    if head.startswith(b"PK\x03\x04"):
        return _office_type(stream)
    if is_text:
        text = head.removeprefix(_UTF8_BOM)
        if text.lstrip().startswith(b"<"):
            # HTML, SVG or XML: markup a browser could run; never accepted.
            return None
        if re.match(rb"WEBVTT(?:[ \t\r\n]|$)", text):
            return WEBVTT
        return PLAIN_TEXT
    return None


def _is_mp3_frame(head: bytes) -> bool:
    """An MPEG audio layer III frame header: 11 sync bits, a known version, layer III."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0x03
    layer = (head[1] >> 1) & 0x03
    bitrate = head[2] >> 4
    return version != 0x01 and layer == 0x01 and bitrate not in (0x00, 0x0F)


def _office_type(stream: IO[bytes] | Any) -> FileType | None:
    """The Office Open XML document a ZIP is, from its [Content_Types].xml part (ECMA-376
    Part 2), or None for any other ZIP. Reads only the central directory and that part."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_PART:
                return None
            with archive.open(info) as part:
                content = part.read(_MAX_CONTENT_TYPES_PART + 1)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        return None
    finally:
        stream.seek(0)
    if len(content) > _MAX_CONTENT_TYPES_PART:
        return None
    text = content.decode("utf-8", errors="replace")
    for main_part, content_type in _OFFICE_MAIN_PARTS.items():
        if f'ContentType="{main_part}"' in text:
            return OFFICE[content_type]
    return None


def _apply_metadata(
    asset: MediaAsset,
    *,
    title: str,
    description: str,
    tags: Sequence[str],
    product: str,
    language: str,
    owner: str,
    rights_notes: str,
    download_allowed: bool,
    video: MediaAsset | None,
) -> None:
    asset.title = _text("title", title, 200, required=True)
    asset.description = _text("description", description, 5000)
    asset.tags = _tags(tags)
    asset.product = _text("product", product, 100)
    asset.language = _language(language)
    asset.owner = _text("owner", owner, 200)
    asset.rights_notes = _text("rights_notes", rights_notes, 2000)
    asset.download_allowed = bool(download_allowed)
    if asset.kind == MediaKind.CAPTIONS and not asset.language:
        raise ValidationFailed.field(
            "language", "A captions track needs its language.", code="required"
        )
    if video is not None:
        if asset.kind not in TRACK_KINDS:
            raise ValidationFailed.field(
                "video",
                "Only captions and transcript tracks belong to a video.",
                code="not_a_track",
            )
        if video.tenant_id != asset.tenant_id or video.kind != MediaKind.VIDEO:
            raise ValidationFailed.field(
                "video", "Choose a video of the library.", code="not_video"
            )
    asset.video = video


def _text(field: str, value: str, max_length: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed.field(field, "This field is required.", code="required")
    if len(value) > max_length:
        raise ValidationFailed.field(
            field, f"Use at most {max_length} characters.", code="too_long"
        )
    return value


def _tags(tags: Sequence[str]) -> list[str]:
    if isinstance(tags, str):
        raise ValidationFailed.field("tags", "Tags are a list of words.", code="invalid")
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH or not _TAG.match(tag):
            raise ValidationFailed.field(
                "tags",
                f"A tag is 1 to {MAX_TAG_LENGTH} letters, digits, spaces, dots, dashes or "
                f"underscores: {tag[:MAX_TAG_LENGTH]!r}.",
                code="invalid_tag",
            )
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationFailed.field("tags", f"Use at most {MAX_TAGS} tags.", code="too_many")
    return cleaned


def _language(language: str) -> str:
    language = (language or "").strip()
    if language and language not in {code for code, _ in settings.LANGUAGES}:
        raise ValidationFailed.field(
            "language", f"Unknown language {language!r}.", code="invalid_choice"
        )
    return language


def _original_name(name: str | None) -> str:
    """The name the file had on the uploader's computer, without any directory part."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return base.strip()[:255]


def _stored_name(asset: MediaAsset, file_type: FileType) -> str:
    stem = asset.original_name.rsplit(".", 1)[0] if "." in asset.original_name else ""
    return f"{stem or asset.kind}.{file_type.extension}"


def _remove_file(storage: Storage, name: str | None) -> None:
    if name:
        storage.delete(name)


def _duplicate() -> Conflict:
    return Conflict("This file is already in the media library.", code="duplicate_asset")


def _in_use(asset: MediaAsset) -> Conflict:
    return Conflict(f"{asset.title!r} is in use and cannot be deleted.", code="in_use")


def _too_large(kind: str, limit: int) -> ValidationFailed:
    return ValidationFailed.field(
        "file",
        f"A {MediaKind(kind).label.lower()} file may be at most {_human(limit)}.",
        code="too_large",
    )


def _human(size: int) -> str:
    for unit, factor in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def _picture(asset: MediaAsset) -> dict[str, Any]:
    return snapshot(
        asset,
        [
            "kind",
            "file",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "title",
            "description",
            "tags",
            "product",
            "language",
            "owner",
            "rights_notes",
            "download_allowed",
            "video",
        ],
    )
