"""The studio's media library pages: who may use them, the list (filters, tracks, paging),
uploads and every refusal shown beside the file, editing metadata, the lessons using a file,
deletion refused while used, and the file itself for staff."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.media import media_asset_create
from cascade.catalog.media_models import MediaAsset
from tests.catalog import conftest as catalog_scenes
from tests.catalog.conftest import Studio
from tests.conftest import make_member
from tests.web.conftest import queries

# The catalog tests' authoring scene: an owner team, audiences, authors and reviewers.
studio = catalog_scenes.studio

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"v" * 64
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nBienvenue à la formation.\n".encode()
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _asset(studio: Studio, name: str, content: bytes, **kwargs: Any) -> MediaAsset:
    kwargs.setdefault("kind", "document")
    kwargs.setdefault("title", name)
    return media_asset_create(
        actor=studio.world.actor("author"),
        upload=SimpleUploadedFile(name, content),
        **kwargs,
    )


def _pdf(studio: Studio, title: str = "Firewall datasheet", **kwargs: Any) -> MediaAsset:
    # Each PDF differs by a comment line, so that none is a duplicate of another.
    return _asset(studio, f"{title}.pdf", PDF + f"% {title}\n".encode(), title=title, **kwargs)


def _upload(client: Any, name: str, content: bytes, **fields: Any) -> Any:
    data = {
        "kind": "document",
        "title": "Firewall datasheet",
        "tags": "",
        "download_allowed": "on",
        **fields,
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    }
    return client.post("/studio/media/upload/", data)


def _titles(response: Any) -> list[str]:
    return [row.asset.title for row in response.context["rows"]]


def _file_errors(response: Any) -> list[str]:
    return [str(error) for error in response.context["form"].errors.get("file", [])]


def _snapshot() -> list[tuple[Any, ...]]:
    return sorted(
        MediaAsset.objects.values_list(
            "id", "title", "description", "tags", "download_allowed", "video_id", "updated_at"
        )
    )


# --- who may use the library --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["learner", "manager", "partner_admin"])
def test_partner_people_are_told_the_library_does_not_exist(studio: Studio, name: str) -> None:
    # given
    asset = _pdf(studio, "Secret roadmap")
    client = studio.world.browser(name)
    # when
    pages = [
        client.get("/studio/media/"),
        client.get("/studio/media/upload/"),
        client.get(f"/studio/media/{asset.pk}/"),
        client.get(f"/studio/media/{asset.pk}/file/"),
        client.post(f"/studio/media/{asset.pk}/", {"title": "Taken"}),
        client.post(f"/studio/media/{asset.pk}/delete/"),
    ]
    # then
    assert [p.status_code for p in pages] == [404, 404, 404, 404, 404, 404]
    assert all(b"Secret roadmap" not in p.content for p in pages)
    assert MediaAsset.objects.get(pk=asset.pk).title == "Secret roadmap"


def test_vendor_staff_without_a_catalog_role_are_refused(studio: Studio) -> None:
    make_member(studio.world, "analyst", studio.world.tenant, None, ["analyst"], "other")
    response = studio.world.browser("analyst").get("/studio/media/")
    assert response.status_code == 403
    assert b"The studio is for content authors, reviewers and translators." in response.content


def test_anonymous_visitors_are_sent_to_sign_in(studio: Studio) -> None:
    response = studio.world.browser().get("/studio/media/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/sign-in/?next=/studio/media/",
    )


@pytest.mark.parametrize("name", ["reviewer", "translator"])
def test_reviewers_and_translators_read_the_library_but_change_nothing(
    studio: Studio, name: str
) -> None:
    # given
    asset = _pdf(studio)
    client = studio.world.browser(name)
    before = _snapshot()
    # when
    listing = client.get("/studio/media/")
    detail = client.get(f"/studio/media/{asset.pk}/")
    upload_form = client.get("/studio/media/upload/")
    upload = _upload(client, "other.pdf", PDF + b"% other\n")
    edit = client.post(f"/studio/media/{asset.pk}/", {"title": "Renamed"})
    delete = client.post(f"/studio/media/{asset.pk}/delete/")
    # then
    assert (listing.status_code, detail.status_code) == (200, 200)
    assert _titles(listing) == ["Firewall datasheet"]
    assert b"Upload a file</a>" not in listing.content
    assert b"Save the details" not in detail.content
    assert b"Delete this file" not in detail.content
    assert [upload_form.status_code, upload.status_code, edit.status_code, delete.status_code] == [
        403,
        403,
        403,
        403,
    ]
    assert _snapshot() == before


def test_another_programs_admin_finds_no_asset_and_changes_nothing(studio: Studio) -> None:
    # given
    asset = _pdf(studio)
    client = studio.world.browser("b_admin")
    before = _snapshot()
    # when
    listing = client.get("/studio/media/")
    pages = [
        client.get(f"/studio/media/{asset.pk}/"),
        client.get(f"/studio/media/{asset.pk}/file/"),
        client.post(f"/studio/media/{asset.pk}/", {"title": "Taken over"}),
        client.post(f"/studio/media/{asset.pk}/delete/"),
    ]
    # then
    assert _titles(listing) == []
    assert [p.status_code for p in pages] == [404, 404, 404, 404]
    assert _snapshot() == before


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_kind_size_language_rights_and_a_videos_tracks(studio: Studio) -> None:
    # given
    video = _asset(studio, "demo.mp4", MP4, kind="video", title="Product demo", language="en")
    _asset(
        studio,
        "demo.fr.vtt",
        VTT,
        kind="captions",
        title="Démo, sous-titres",
        language="fr",
        video=video,
    )
    _pdf(studio, download_allowed=False, tags=["firewall"], product="Edge")
    # when
    response = studio.world.browser("author").get("/studio/media/")
    # then
    assert _titles(response) == ["Firewall datasheet", "Démo, sous-titres", "Product demo"]
    html = response.content.decode()
    assert '<td data-label="Kind">Video</td>' in html
    assert '<td data-label="Language">Français</td>' in html
    assert f'<td data-label="Size">{len(MP4)}\xa0bytes</td>' in html
    assert '<span class="tag">Stream only</span>' in html
    assert re.search(r"Captions \(Français\)</a>", html)
    assert f'Track of <a href="/studio/media/{video.pk}/">Product demo</a>' in html
    assert b"Upload a file</a>" in response.content
    assert 'aria-current="page">Media library</a>' in html


def test_filters_narrow_the_list(studio: Studio) -> None:
    # given
    _pdf(studio, "Firewall datasheet", tags=["firewall", "Sales kit"], product="Edge")
    _pdf(studio, "Firewall quick start", language="fr", product="edge")
    _pdf(studio, "Switch datasheet", language="en", product="Core")
    _asset(studio, "demo.mp4", MP4, kind="video", title="Firewall demo")
    client = studio.world.browser("author")
    # then
    assert _titles(client.get("/studio/media/?kind=video")) == ["Firewall demo"]
    assert _titles(client.get("/studio/media/?language=fr")) == ["Firewall quick start"]
    assert _titles(client.get("/studio/media/?language=none")) == [
        "Firewall demo",
        "Firewall datasheet",
    ]
    assert _titles(client.get("/studio/media/?tag=sales+kit")) == ["Firewall datasheet"]
    assert _titles(client.get("/studio/media/?product=Edge")) == [
        "Firewall quick start",
        "Firewall datasheet",
    ]
    assert _titles(client.get("/studio/media/?q=firewall+sheet")) == ["Firewall datasheet"]
    empty = client.get("/studio/media/?q=nothing")
    assert b"No file matches these filters." in empty.content


def test_unknown_filter_values_are_shown_as_errors_not_failures(studio: Studio) -> None:
    # given
    _pdf(studio)
    # when
    response = studio.world.browser("author").get("/studio/media/?kind=boat&language=xx")
    # then
    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["kind", "language"]
    assert _titles(response) == ["Firewall datasheet"]


def test_the_list_pages_with_a_cursor_in_a_constant_number_of_queries(studio: Studio) -> None:
    # given
    client = studio.world.browser("author")
    video = _asset(studio, "v0.mp4", MP4, kind="video", title="Video 0")
    _asset(studio, "t0.vtt", VTT, kind="captions", title="Track 0", language="fr", video=video)
    client.get("/studio/media/")
    before = queries(lambda: client.get("/studio/media/"))
    # when
    for number in range(1, 16):
        video = _asset(studio, f"v{number}.mp4", MP4 + bytes([number]), kind="video")
        _asset(
            studio,
            f"t{number}.vtt",
            VTT + f"\n{number}\n".encode(),
            kind="captions",
            language="fr",
            video=video,
            product=f"Product {number}",
        )
    # then
    assert queries(lambda: client.get("/studio/media/")) == before
    first = client.get("/studio/media/")
    assert len(first.context["rows"]) == 25
    cursor = first.context["next_cursor"]
    second = client.get(f"/studio/media/?cursor={cursor}")
    assert len(second.context["rows"]) == 7
    assert second.context["next_cursor"] is None
    seen = {row.asset.pk for row in first.context["rows"]} | {
        row.asset.pk for row in second.context["rows"]
    }
    assert len(seen) == 32


def test_more_rows_come_as_an_htmx_partial(studio: Studio) -> None:
    # given
    for number in range(26):
        _pdf(studio, f"Guide {number:02}")
    client = studio.world.browser("author")
    cursor = client.get("/studio/media/").context["next_cursor"]
    # when
    more = client.get(f"/studio/media/?cursor={cursor}", headers={"HX-Request": "true"})
    # then
    assert more.templates[0].name == "catalog/studio/media_rows.html"
    assert _titles(more) == ["Guide 00"]


def test_a_forged_cursor_is_a_readable_refusal(studio: Studio) -> None:
    response = studio.world.browser("author").get("/studio/media/?cursor=bm90LWpzb24")
    assert response.status_code == 422
    assert b"The cursor is not valid." in response.content


# --- uploading ----------------------------------------------------------------------------------


def test_an_author_uploads_a_document_with_its_metadata(studio: Studio) -> None:
    # given
    client = studio.world.browser("author")
    # when
    response = _upload(
        client,
        "datasheet.pdf",
        PDF,
        title="Firewall datasheet",
        description="Specifications of the Edge range.",
        tags="Firewall, sales kit , ,firewall",
        product="Edge",
        language="en",
        owner="Product marketing",
        rights_notes="Internal use until launch.",
        download_allowed="",
    )
    # then
    asset = MediaAsset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/studio/media/{asset.pk}/"
    assert (
        asset.kind,
        asset.content_type,
        asset.original_name,
        asset.title,
        asset.description,
        asset.tags,
        asset.product,
        asset.language,
        asset.owner,
        asset.rights_notes,
        asset.download_allowed,
        asset.created_by,
    ) == (
        "document",
        "application/pdf",
        "datasheet.pdf",
        "Firewall datasheet",
        "Specifications of the Edge range.",
        ["firewall", "sales kit"],
        "Edge",
        "en",
        "Product marketing",
        "Internal use until launch.",
        False,
        studio.world.people["author"],
    )
    assert asset.file.read() == PDF
    page = client.get(response["Location"])
    assert "“Firewall datasheet” is in the media library." in page.content.decode()


def test_a_captions_track_is_uploaded_for_its_video(studio: Studio) -> None:
    # given
    video = _asset(studio, "demo.mp4", MP4, kind="video", title="Product demo")
    client = studio.world.browser("author")
    form_page = client.get(f"/studio/media/upload/?kind=captions&video={video.pk}")
    # when
    response = _upload(
        client,
        "demo.fr.vtt",
        VTT,
        kind="captions",
        title="Démo, sous-titres",
        language="fr",
        video=str(video.pk),
    )
    # then
    assert form_page.context["form"].initial == {"kind": "captions", "video": str(video.pk)}
    assert "Largest accepted: video 2 GiB, audio 500 MiB, image 10 MiB, document 100 MiB, " in (
        form_page.content.decode()
    )
    assert response.status_code == 302
    track = MediaAsset.objects.get(kind="captions")
    assert (track.video, track.language, track.content_type) == (video, "fr", "text/vtt")
    video_page = client.get(f"/studio/media/{video.pk}/").content.decode()
    assert f'<a href="/studio/media/{track.pk}/">Démo, sous-titres</a>' in video_page


@pytest.mark.parametrize(
    ("name", "content", "fields", "status", "message"),
    [
        (
            "page.png",
            HTML,
            {},
            422,
            "This type of file is not accepted. Upload MP4 or WebM video, MP3 or M4A audio, "
            "PNG, JPEG or WebP images, PDF or Office (docx, xlsx, pptx) documents, WebVTT "
            "captions, or plain-text transcripts.",
        ),
        (
            "guide.pdf",
            PDF,
            {"kind": "video"},
            422,
            "This file is application/pdf, which is not a video file.",
        ),
        ("empty.pdf", b"", {}, 422, "The file is empty."),
        ("big.pdf", PDF + b"x" * 2048, {}, 422, "A document file may be at most 1 KiB."),
    ],
    ids=["unsupported_type", "kind_mismatch", "empty_file", "too_large"],
)
def test_each_refused_upload_says_why_beside_the_file(
    studio: Studio,
    settings: Any,
    name: str,
    content: bytes,
    fields: dict[str, str],
    status: int,
    message: str,
) -> None:
    # given
    settings.CASCADE_MEDIA_SIZE_LIMITS = {**settings.CASCADE_MEDIA_SIZE_LIMITS, "document": 1024}
    client = studio.world.browser("author")
    # when
    response = _upload(client, name, content, **fields)
    # then
    assert response.status_code == status
    assert _file_errors(response) == [message]
    html = response.content.decode()
    assert '<a href="#id_file">File</a>' in html
    assert "choose the file again" in html
    assert MediaAsset.objects.count() == 0


def test_a_duplicate_upload_links_to_the_asset_already_holding_the_file(studio: Studio) -> None:
    # given
    existing = _pdf(studio, "Firewall datasheet")
    client = studio.world.browser("author")
    # when
    response = _upload(
        client, "copy.pdf", PDF + b"% Firewall datasheet\n", title="Another datasheet"
    )
    # then
    assert response.status_code == 409
    assert _file_errors(response) == [
        "This file is already in the media library. It is "
        f'<a href="/studio/media/{existing.pk}/">Firewall datasheet</a>: use that one, or '
        "change its details."
    ]
    assert MediaAsset.objects.count() == 1


def test_an_upload_without_a_file_or_kind_is_refused_field_by_field(studio: Studio) -> None:
    # when
    response = studio.world.browser("author").post(
        "/studio/media/upload/", {"title": "", "kind": "boat"}
    )
    # then
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["file"] == ["Choose a file to upload."]
    assert errors["title"] == ["This field is required."]
    assert errors["kind"] == ["Select a valid choice. boat is not one of the available choices."]


def test_a_captions_track_without_a_language_is_refused_beside_the_language(
    studio: Studio,
) -> None:
    response = _upload(studio.world.browser("author"), "c.vtt", VTT, kind="captions")
    assert response.status_code == 422
    assert response.context["form"].errors["language"] == ["A captions track needs its language."]
    assert MediaAsset.objects.count() == 0


def test_only_tracks_belong_to_a_video(studio: Studio) -> None:
    # given
    video = _asset(studio, "demo.mp4", MP4, kind="video", title="Product demo")
    # when
    response = _upload(studio.world.browser("author"), "g.pdf", PDF, video=str(video.pk))
    # then
    assert response.status_code == 422
    assert response.context["form"].errors["video"] == [
        "Only captions and transcript tracks belong to a video."
    ]


def test_another_tenants_video_cannot_be_chosen(studio: Studio) -> None:
    # given
    with_other = studio.world
    other_video = MediaAsset.unscoped.create(
        tenant=with_other.other_tenant,
        kind="video",
        file="tenants/b/video.mp4",
        content_type="video/mp4",
        size=1,
        sha256="1" * 64,
        title="B video",
    )
    # when
    response = _upload(
        studio.world.browser("author"),
        "c.vtt",
        VTT,
        kind="captions",
        language="fr",
        video=str(other_video.pk),
    )
    # then
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["video"]
    assert b"B video" not in response.content


# --- an asset's page ----------------------------------------------------------------------------


def test_an_author_edits_the_metadata_and_the_file_stays(studio: Studio) -> None:
    # given
    asset = _pdf(studio, tags=["firewall"])
    client = studio.world.browser("author")
    page = client.get(f"/studio/media/{asset.pk}/")
    # when
    response = client.post(
        f"/studio/media/{asset.pk}/",
        {
            "title": "Edge datasheet",
            "description": "Updated for 7.4.",
            "tags": "edge, datasheet",
            "product": "Edge",
            "language": "en",
            "owner": "Product marketing",
            "rights_notes": "",
        },
    )
    # then
    assert "The file itself never changes." in page.content.decode()
    assert page.context["form"].initial["tags"] == "firewall"
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.title, asset.tags, asset.language, asset.download_allowed) == (
        "Edge datasheet",
        ["edge", "datasheet"],
        "en",
        False,
    )
    assert asset.file.read().startswith(PDF)


def test_a_refused_edit_is_shown_beside_the_field(studio: Studio) -> None:
    # given
    asset = _pdf(studio)
    # when
    response = studio.world.browser("author").post(
        f"/studio/media/{asset.pk}/", {"title": "Guide", "tags": "ok, <script>"}
    )
    # then
    assert response.status_code == 422
    assert response.context["form"].errors["tags"] == [
        "A tag is 1 to 40 letters, digits, spaces, dots, dashes or underscores: '<script>'."
    ]
    assert MediaAsset.objects.get(pk=asset.pk).title == "Firewall datasheet"


def test_a_track_is_moved_to_another_video_or_untied(studio: Studio) -> None:
    # given
    first = _asset(studio, "a.mp4", MP4, kind="video", title="First")
    second = _asset(studio, "b.mp4", MP4 + b"b", kind="video", title="Second")
    track = _asset(studio, "c.vtt", VTT, kind="captions", language="fr", video=first)
    client = studio.world.browser("author")
    data = {"title": "Captions", "language": "fr", "tags": ""}
    # when
    client.post(f"/studio/media/{track.pk}/", {**data, "video": str(second.pk)})
    moved = MediaAsset.objects.get(pk=track.pk).video
    client.post(f"/studio/media/{track.pk}/", {**data, "video": ""})
    # then
    assert moved == second
    assert MediaAsset.objects.get(pk=track.pk).video is None


def test_the_page_lists_the_lessons_using_the_file_as_media_or_track(studio: Studio) -> None:
    # given
    guide = _pdf(studio)
    track = _asset(studio, "c.vtt", VTT, kind="captions", language="fr", title="Captions")
    lesson = studio.draft("lesson", "Firewall zones")
    item_formats_set(
        actor=studio.world.actor("author"),
        item=lesson,
        formats=[
            FormatSpec(kind="document", media_id=guide.pk),
            FormatSpec(kind="video", url="https://video.example/zones", track_ids=(track.pk,)),
        ],
    )
    client = studio.world.browser("reviewer")
    # when
    guide_page = client.get(f"/studio/media/{guide.pk}/")
    track_page = client.get(f"/studio/media/{track.pk}/")
    # then
    assert [
        (u.item_id, u.item_title, u.format_kind, u.as_track) for u in guide_page.context["uses"]
    ] == [(lesson.pk, "Firewall zones", "Document or download", False)]
    assert [(u.item_id, u.as_track) for u in track_page.context["uses"]] == [(lesson.pk, True)]
    assert f'<a href="/studio/items/{lesson.pk}/">Firewall zones</a>' in guide_page.content.decode()


# --- deleting -----------------------------------------------------------------------------------


def test_an_unused_file_is_deleted_with_its_stored_file(
    studio: Studio, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    asset = _pdf(studio)
    stored = media_root / asset.file.name
    client = studio.world.browser("author")
    # when: the stored file goes once the deletion has committed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/studio/media/{asset.pk}/delete/", follow=True)
    # then
    assert MediaAsset.objects.filter(pk=asset.pk).exists() is False
    assert stored.exists() is False
    assert response.redirect_chain == [("/studio/media/", 302)]
    assert "“Firewall datasheet” is deleted from the media library." in response.content.decode()


def test_deleting_a_file_a_lesson_uses_is_refused_readably(studio: Studio) -> None:
    # given
    guide = _pdf(studio)
    lesson = studio.draft("lesson", "Firewall zones")
    item_formats_set(
        actor=studio.world.actor("author"),
        item=lesson,
        formats=[FormatSpec(kind="document", media_id=guide.pk)],
    )
    client = studio.world.browser("author")
    # when
    page = client.get(f"/studio/media/{guide.pk}/")
    response = client.post(f"/studio/media/{guide.pk}/delete/")
    # then
    assert b"This file cannot be deleted while lessons use it." in page.content
    assert b"Delete this file" not in page.content
    assert response.status_code == 409
    assert (
        "&#x27;Firewall datasheet&#x27; is in use and cannot be deleted. Remove it from the "
        "lessons below first."
    ) in response.content.decode()
    assert MediaAsset.objects.filter(pk=guide.pk).exists() is True


def test_deleting_a_track_a_lesson_uses_is_refused(studio: Studio) -> None:
    # given
    track = _asset(studio, "c.vtt", VTT, kind="captions", language="fr", title="Captions")
    lesson = studio.draft("lesson", "Firewall zones")
    item_formats_set(
        actor=studio.world.actor("author"),
        item=lesson,
        formats=[
            FormatSpec(kind="video", url="https://video.example/zones", track_ids=(track.pk,))
        ],
    )
    # when
    response = studio.world.browser("author").post(f"/studio/media/{track.pk}/delete/")
    # then
    assert response.status_code == 409
    assert MediaAsset.objects.filter(pk=track.pk).exists() is True
    assert list(lesson.formats.get().tracks.all()) == [track]


def test_deleting_a_video_with_tracks_is_refused(studio: Studio) -> None:
    # given
    video = _asset(studio, "demo.mp4", MP4, kind="video", title="Product demo")
    _asset(studio, "c.vtt", VTT, kind="captions", language="fr", video=video)
    # when
    response = studio.world.browser("author").post(f"/studio/media/{video.pk}/delete/")
    # then
    assert response.status_code == 409
    assert b"and delete its tracks first." in response.content
    assert MediaAsset.objects.filter(pk=video.pk).exists() is True


# --- the file -----------------------------------------------------------------------------------


def test_staff_open_the_file_inline_without_sniffing(studio: Studio) -> None:
    # given
    asset = _pdf(studio, download_allowed=False)
    track = _asset(studio, "c.vtt", VTT, kind="captions", language="fr")
    client = studio.world.browser("reviewer")
    # when
    response = client.get(f"/studio/media/{asset.pk}/file/")
    captions = client.get(f"/studio/media/{track.pk}/file/")
    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF + b"% Firewall datasheet\n"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="Firewall datasheet.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"
    assert captions["Content-Type"] == "text/vtt; charset=utf-8"


def test_the_file_is_only_read(studio: Studio) -> None:
    asset = _pdf(studio)
    response = studio.world.browser("author").post(f"/studio/media/{asset.pk}/file/")
    assert response.status_code == 405


def test_a_file_missing_from_storage_is_a_404(studio: Studio, media_root: Path) -> None:
    # given
    asset = _pdf(studio)
    (media_root / asset.file.name).unlink()
    # when
    response = studio.world.browser("author").get(f"/studio/media/{asset.pk}/file/")
    # then
    assert response.status_code == 404
