"""The media library: uploads accepted by their content, limited in size, stored once per tenant,
never leaving orphan files, and browsed by vendor staff only."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.audit.models import AuditEntry
from cascade.catalog.media import media_asset_create, media_asset_delete, media_asset_update
from cascade.catalog.media_models import MediaAsset, MediaKind
from cascade.catalog.media_selectors import media_asset_get, media_asset_list
from cascade.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from cascade.core.scoping import tenant_scope
from tests.conftest import World, make_member


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/main.xml" ContentType="{main_part}"/></Types>',
        )
        archive.writestr("main.xml", "<document/>")
    return buffer.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"v" * 64
M4A = b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00M4A isom" + b"a" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 32
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nBienvenue à la formation.\n".encode()
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def author(world: World, media_root: Path) -> Any:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    return world.actor("author")


def _stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _create(actor: Any, kind: str, name: str, content: bytes, **fields: Any) -> MediaAsset:
    fields.setdefault("title", name)
    return media_asset_create(actor=actor, kind=kind, upload=_upload(name, content), **fields)


@pytest.mark.parametrize(
    ("kind", "name", "content", "content_type"),
    [
        (MediaKind.VIDEO, "intro.mp4", MP4, "video/mp4"),
        (MediaKind.VIDEO, "intro.webm", WEBM, "video/webm"),
        (MediaKind.AUDIO, "podcast.mp3", MP3, "audio/mpeg"),
        (MediaKind.AUDIO, "podcast.m4a", M4A, "audio/mp4"),
        (MediaKind.IMAGE, "diagram.png", _png(), "image/png"),
        (MediaKind.IMAGE, "photo.jpg", JPEG, "image/jpeg"),
        (MediaKind.IMAGE, "photo.webp", WEBP, "image/webp"),
        (MediaKind.DOCUMENT, "datasheet.pdf", PDF, "application/pdf"),
        (
            MediaKind.DOCUMENT,
            "guide.docx",
            _office(DOCX_MAIN),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            MediaKind.DOCUMENT,
            "prices.xlsx",
            _office(XLSX_MAIN),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (MediaKind.TRANSCRIPT, "transcript.txt", "Bonjour à tous.\n".encode(), "text/plain"),
        (MediaKind.TRANSCRIPT, "transcript.vtt", VTT, "text/vtt"),
    ],
)
def test_media_asset_create_accepts_each_type_by_its_content(
    world: World,
    author: Any,
    media_root: Path,
    kind: str,
    name: str,
    content: bytes,
    content_type: str,
) -> None:
    # given a file of an accepted type, sent with a misleading name and browser type
    upload = _upload("Q3 Launch (final) " + name, content, content_type="text/html")

    # when
    asset = media_asset_create(
        actor=author, kind=kind, upload=upload, title=" Launch ", tags=["Launch", "launch", "q3"]
    )

    # then
    asset.refresh_from_db()
    assert asset.content_type == content_type
    assert asset.size == len(content)
    assert asset.title == "Launch"
    assert asset.tags == ["launch", "q3"]
    assert asset.original_name == "Q3 Launch (final) " + name
    assert asset.created_by == world.people["author"]
    stored_name = re.fullmatch(
        rf"tenants/{world.tenant.pk}/media/[0-9a-f]{{24}}/q3-launch-final-([a-z0-9.-]+)",
        asset.file.name,
    )
    assert stored_name is not None
    assert stored_name.group(1) == name
    assert (media_root / asset.file.name).read_bytes() == content
    assert (
        AuditEntry.objects.filter(action="media_asset.create", target_id=str(asset.pk)).count() == 1
    )


def test_media_asset_create_names_the_stored_file_after_its_content(author: Any) -> None:
    # given / when
    asset = _create(author, MediaKind.DOCUMENT, "../../Price List.exe", PDF)

    # then
    assert asset.sha256 == hashlib.sha256(PDF).hexdigest()
    assert asset.original_name == "Price List.exe"
    assert asset.file.name.rsplit("/", 1)[1] == "price-list.pdf"


@pytest.mark.parametrize(("name", "content"), [("logo.png", SVG), ("logo.png", HTML)])
def test_media_asset_create_refuses_markup_renamed_as_an_image(
    author: Any, media_root: Path, name: str, content: bytes
) -> None:
    # when
    with pytest.raises(ValidationFailed) as raised:
        media_asset_create(
            actor=author,
            kind=MediaKind.IMAGE,
            upload=_upload(name, content, content_type="image/png"),
            title="Logo",
        )

    # then
    assert raised.value.code == "unsupported_type"
    assert raised.value.details[0]["field"] == "file"
    assert MediaAsset.objects.count() == 0
    assert _stored_files(media_root) == []


def test_media_asset_create_refuses_a_zip_that_is_not_an_office_document(author: Any) -> None:
    # given
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")

    # when
    with pytest.raises(ValidationFailed) as raised:
        _create(author, MediaKind.DOCUMENT, "guide.docx", buffer.getvalue())

    # then
    assert raised.value.code == "unsupported_type"


def test_media_asset_create_refuses_content_of_another_kind(author: Any) -> None:
    # when
    with pytest.raises(ValidationFailed) as raised:
        _create(author, MediaKind.VIDEO, "intro.mp4", PDF)

    # then
    assert raised.value.code == "kind_mismatch"
    assert raised.value.message == "This file is application/pdf, which is not a video file."


def test_media_asset_create_refuses_a_file_over_the_kind_limit(
    author: Any, settings: Any, media_root: Path
) -> None:
    # given
    settings.CASCADE_MEDIA_SIZE_LIMITS = {MediaKind.IMAGE: 64}
    content = _png() + b"\x00" * 64

    # when
    with pytest.raises(ValidationFailed) as raised:
        _create(author, MediaKind.IMAGE, "big.png", content)

    # then
    assert raised.value.code == "too_large"
    assert raised.value.message == "A image file may be at most 64 bytes."
    assert MediaAsset.objects.count() == 0
    assert _stored_files(media_root) == []


def test_media_asset_create_refuses_an_empty_file(author: Any) -> None:
    # when
    with pytest.raises(ValidationFailed) as raised:
        _create(author, MediaKind.DOCUMENT, "empty.pdf", b"")

    # then
    assert raised.value.code == "empty_file"


def test_media_asset_create_refuses_the_same_content_twice(author: Any, media_root: Path) -> None:
    # given
    first = _create(author, MediaKind.DOCUMENT, "datasheet.pdf", PDF)

    # when
    with pytest.raises(Conflict) as raised:
        _create(author, MediaKind.DOCUMENT, "copy of datasheet.pdf", PDF)

    # then
    assert raised.value.code == "duplicate_asset"
    assert list(MediaAsset.objects.values_list("pk", flat=True)) == [first.pk]
    assert _stored_files(media_root) == [first.file.name]


def test_media_asset_create_allows_the_same_content_in_another_tenant(
    world: World, author: Any
) -> None:
    # given
    _create(author, MediaKind.DOCUMENT, "datasheet.pdf", PDF)

    # when
    with tenant_scope(world.other_tenant):
        other = _create(world.actor("b_admin"), MediaKind.DOCUMENT, "datasheet.pdf", PDF)

    # then
    assert other.tenant == world.other_tenant


def test_media_asset_create_refuses_a_partner_admin_writing_nothing(
    world: World, media_root: Path
) -> None:
    # when
    with pytest.raises(PermissionDenied):
        _create(world.actor("partner_admin"), MediaKind.DOCUMENT, "datasheet.pdf", PDF)

    # then
    assert MediaAsset.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="media_asset").count() == 0
    assert _stored_files(media_root) == []


def test_media_asset_create_removes_the_file_when_the_row_cannot_be_written(
    author: Any, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an audit write that fails after the file is stored
    def broken(**_: Any) -> None:
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("cascade.catalog.media.audit_record", broken)

    # when
    with pytest.raises(RuntimeError):
        _create(author, MediaKind.DOCUMENT, "datasheet.pdf", PDF)

    # then
    assert MediaAsset.objects.count() == 0
    assert _stored_files(media_root) == []


def test_media_asset_create_validates_metadata_before_storing(
    author: Any, media_root: Path
) -> None:
    # when
    with pytest.raises(ValidationFailed) as raised:
        _create(author, MediaKind.DOCUMENT, "datasheet.pdf", PDF, language="xx")

    # then
    assert raised.value.code == "invalid_choice"
    assert raised.value.details == [{"field": "language", "message": "Unknown language 'xx'."}]
    assert _stored_files(media_root) == []


def test_media_asset_delete_removes_the_file_after_commit(
    author: Any, media_root: Path, commit: Any
) -> None:
    # given
    asset = _create(author, MediaKind.DOCUMENT, "datasheet.pdf", PDF, download_allowed=False)
    stored = media_root / asset.file.name

    # when
    with commit():
        media_asset_delete(actor=author, asset=asset)

    # then
    assert MediaAsset.objects.count() == 0
    assert stored.exists() is False
    assert AuditEntry.objects.filter(action="media_asset.delete").count() == 1


def test_captions_track_belongs_to_its_video_and_keeps_it_from_deletion(
    author: Any, media_root: Path, commit: Any
) -> None:
    # given
    video = _create(author, MediaKind.VIDEO, "intro.mp4", MP4)
    captions = _create(author, MediaKind.CAPTIONS, "intro.fr.vtt", VTT, language="fr", video=video)

    # when
    with pytest.raises(Conflict) as raised:
        media_asset_delete(actor=author, asset=video)

    # then
    assert raised.value.code == "in_use"
    assert list(video.tracks.values_list("pk", "kind", "language")) == [
        (captions.pk, "captions", "fr")
    ]
    assert (media_root / video.file.name).exists() is True

    # and once the track is gone, the video can go
    with commit():
        media_asset_delete(actor=author, asset=captions)
        media_asset_delete(actor=author, asset=video)
    assert MediaAsset.objects.count() == 0
    assert _stored_files(media_root) == []


def test_captions_track_needs_a_language_and_a_video(author: Any) -> None:
    # given
    document = _create(author, MediaKind.DOCUMENT, "datasheet.pdf", PDF)

    # when
    with pytest.raises(ValidationFailed) as no_language:
        _create(author, MediaKind.CAPTIONS, "intro.vtt", VTT)
    with pytest.raises(ValidationFailed) as not_video:
        _create(author, MediaKind.CAPTIONS, "intro.vtt", VTT, language="en", video=document)

    # then
    assert no_language.value.code == "required"
    assert not_video.value.code == "not_video"


def test_media_asset_update_changes_metadata_and_audits_it(author: Any) -> None:
    # given
    asset = _create(author, MediaKind.DOCUMENT, "datasheet.pdf", PDF, product="Firewall")

    # when
    media_asset_update(
        actor=author, asset=asset, title="Datasheet 2026", tags=["pricing"], download_allowed=False
    )

    # then
    asset.refresh_from_db()
    assert (asset.title, asset.tags, asset.product, asset.download_allowed) == (
        "Datasheet 2026",
        ["pricing"],
        "Firewall",
        False,
    )
    entry = AuditEntry.objects.get(action="media_asset.update")
    assert entry.before == {"title": "datasheet.pdf", "tags": [], "download_allowed": True}
    assert entry.after == {
        "title": "Datasheet 2026",
        "tags": ["pricing"],
        "download_allowed": False,
    }


def test_media_asset_list_filters_for_vendor_staff(
    world: World, author: Any, django_assert_num_queries: Any
) -> None:
    # given
    video = _create(author, MediaKind.VIDEO, "intro.mp4", MP4, tags=["launch"], language="en")
    pdf = _create(
        author, MediaKind.DOCUMENT, "Firewall datasheet.pdf", PDF, product="Firewall", tags=["é"]
    )
    image = _create(author, MediaKind.IMAGE, "diagram.png", _png(), tags=["launch", "diagram"])

    # when / then
    def ids(**filters: Any) -> list[int]:
        return [a.pk for a in media_asset_list(actor=author, **filters)]

    assert ids() == [image.pk, pdf.pk, video.pk]
    assert ids(kind="video") == [video.pk]
    assert ids(language="en") == [video.pk]
    assert ids(language="") == [image.pk, pdf.pk]
    assert ids(tag="Launch") == [image.pk, video.pk]
    assert ids(tag="é") == [pdf.pk]
    assert ids(tag="launc") == []
    assert ids(product="firewall") == [pdf.pk]
    assert ids(q="datasheet fire") == [pdf.pk]
    assert [a.pk for a in media_asset_list(actor=world.actor("vendor_admin"))] == ids()
    assert list(media_asset_list(actor=world.actor("partner_admin"))) == []
    with django_assert_num_queries(1):
        assert [a.created_by.email for a in media_asset_list(actor=author)] == [
            "author@vendor.example"
        ] * 3


def test_media_asset_get_hides_other_tenants_and_partners(world: World, author: Any) -> None:
    # given
    mine = _create(author, MediaKind.DOCUMENT, "datasheet.pdf", PDF)
    with tenant_scope(world.other_tenant):
        theirs = _create(world.actor("b_admin"), MediaKind.IMAGE, "logo.png", _png())

    # when / then
    assert media_asset_get(actor=author, asset_id=mine.pk) == mine
    with pytest.raises(NotFound):
        media_asset_get(actor=author, asset_id=theirs.pk)
    with pytest.raises(NotFound):
        media_asset_get(actor=world.actor("partner_admin"), asset_id=mine.pk)


@pytest.mark.parametrize(
    ("kind", "content", "code"),
    [
        (
            MediaKind.VIDEO,
            b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 32,
            "unsupported_type",
        ),
        (MediaKind.VIDEO, WEBM.replace(b"webm", b"mkvx"), "unsupported_type"),
        (MediaKind.AUDIO, b"\xff\xfb\x90\x64" + b"\x00" * 64, None),
        (MediaKind.CAPTIONS, "Bonjour à tous.\n".encode(), "kind_mismatch"),
        (MediaKind.TRANSCRIPT, b"\xef\xbb\xbfWEBVTT\n\n", None),
        (MediaKind.TRANSCRIPT, b"  <html><body>hi</body></html>", "unsupported_type"),
        (MediaKind.TRANSCRIPT, b"caf\xe9 latin-1 text", "unsupported_type"),
        (MediaKind.IMAGE, b"GIF89a" + b"\x00" * 32, "unsupported_type"),
    ],
)
def test_media_asset_create_decides_the_type_from_the_first_bytes(
    author: Any, kind: str, content: bytes, code: str | None
) -> None:
    # when
    try:
        _create(author, kind, "upload.bin", content, language="en")
        refused = None
    except ValidationFailed as error:
        refused = error.code

    # then
    assert refused == code


def test_media_asset_create_counts_the_bytes_it_reads_not_the_declared_size(
    author: Any, settings: Any, media_root: Path
) -> None:
    # given an upload that claims to be smaller than it is
    settings.CASCADE_MEDIA_SIZE_LIMITS = {MediaKind.DOCUMENT: 32}
    upload = _upload("datasheet.pdf", PDF)
    upload.size = 10

    # when
    with pytest.raises(ValidationFailed) as raised:
        media_asset_create(actor=author, kind=MediaKind.DOCUMENT, upload=upload, title="Sheet")

    # then
    assert raised.value.code == "too_large"
    assert _stored_files(media_root) == []
