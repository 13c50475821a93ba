"""Browser journey through the studio's media library: an author uploads a PDF, is told why a
disguised web page is refused, adds French captions to a video of the library, and finds both in
the list. Every page visited is checked with axe and photographed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.catalog.media import media_asset_create
from cascade.catalog.media_models import MediaAsset
from cascade.core.scoping import tenant_scope
from tests.browser.conftest import check_page, sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"v" * 64
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nBienvenue dans la démo.\n".encode()
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def video(live_world: World, settings: Any, tmp_path: Path) -> MediaAsset:
    settings.MEDIA_ROOT = str(tmp_path)
    with tenant_scope(live_world.tenant):
        return media_asset_create(
            actor=live_world.actor("content_author"),
            kind="video",
            upload=SimpleUploadedFile("demo.mp4", MP4),
            title="Edge firewall demo",
            language="en",
            product="Edge",
            download_allowed=False,
        )


def test_an_author_uploads_a_pdf_and_captions_for_a_video(
    live_world: World, page: Any, video: MediaAsset
) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["content_author"].email)
    page.goto("/studio/")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Media library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Media library")

    # when: a PDF is uploaded with its metadata
    page.get_by_role("link", name="Upload a file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a file")
    check_page(page, "studio-media-upload")
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "datasheet.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Document", exact=True).check()
    page.get_by_label("Title", exact=True).fill("Edge firewall datasheet")
    page.get_by_label("Tags").fill("firewall, datasheet")
    page.get_by_label("Product", exact=True).fill("Edge")
    page.get_by_label("Owner or rights holder").fill("Product marketing")
    page.get_by_role("button", name="Upload the file").click()
    # then
    expect(page.get_by_text("“Edge firewall datasheet” is in the media library.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edge firewall datasheet")
    expect(page.get_by_text("The file itself never changes.")).to_be_visible()
    check_page(page, "studio-media-asset")

    # when: a web page renamed .pdf is uploaded
    page.goto("/studio/media/upload/")
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "brochure.pdf", "mimeType": "application/pdf", "buffer": HTML}
    )
    page.get_by_label("Document", exact=True).check()
    page.get_by_label("Title", exact=True).fill("Brochure")
    page.get_by_role("button", name="Upload the file").click()
    # then: the reason is in the summary, linked to the file field, and beside it
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("This type of file is not accepted.")
    summary.get_by_role("link", name="File").click()
    expect(page.get_by_label("File", exact=True)).to_be_focused()
    check_page(page, "studio-media-upload-refused")

    # when: French captions are added from the video's page
    page.goto(f"/studio/media/{video.pk}/")
    expect(page.get_by_text("No track yet.")).to_be_visible()
    page.get_by_role("link", name="Add captions").click()
    expect(page.get_by_label("Captions or subtitles track")).to_be_checked()
    expect(page.get_by_label("Video this track belongs to")).to_have_value(str(video.pk))
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "demo.fr.vtt", "mimeType": "text/vtt", "buffer": VTT}
    )
    page.get_by_label("Title", exact=True).fill("Edge firewall demo, sous-titres")
    page.get_by_label("Language", exact=True).select_option(label="Français")
    page.get_by_role("button", name="Upload the file").click()
    # then
    expect(page.get_by_text("A track of Edge firewall demo (English).")).to_be_visible()
    page.get_by_role("link", name="Edge firewall demo (English)").click()
    expect(page.get_by_role("link", name="Edge firewall demo, sous-titres")).to_be_visible()
    check_page(page, "studio-media-video")

    # and the list shows the three files, the video with its captions
    page.goto("/studio/media/")
    rows = page.get_by_role("row")
    expect(rows).to_have_count(4)
    video_row = page.get_by_role("row", name=re.compile(r"^Edge firewall demo · Edge Video"))
    expect(video_row).to_contain_text("Captions (Français)")
    expect(video_row).to_contain_text("Stream only")
    expect(page.get_by_role("row", name=re.compile("Edge firewall datasheet"))).to_contain_text(
        "Download"
    )
    check_page(page, "studio-media-list")

    # and the filters narrow it
    page.get_by_label("Kind").select_option(label="Document")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-status")).to_have_text("1 file shown.")
    with tenant_scope(live_world.tenant):
        assert sorted(MediaAsset.objects.values_list("kind", "language", "video_id")) == [
            ("captions", "fr", video.pk),
            ("document", "", None),
            ("video", "en", None),
        ]
