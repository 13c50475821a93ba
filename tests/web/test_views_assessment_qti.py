"""A bank's QTI page: reviewers see what an export carries and download it; authors upload a
package and read what was imported and skipped; a file that cannot be read is shown beside the
field and imports nothing; other people are refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.assessments.models import Item
from cascade.assessments.services import bank_create
from tests.assessments.qti_helpers import QTI_ITEM, bank_of_every_type, sample_package
from tests.conftest import World, make_member


@pytest.fixture
def authors(world: World) -> World:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    return world


def _page(bank_id: int) -> str:
    return f"/program/assessments/banks/{bank_id}/qti/"


def test_a_reviewer_sees_what_the_export_leaves_out_and_downloads_it(authors: World) -> None:
    # given
    source = bank_of_every_type(authors)
    browser = authors.browser("reviewer")
    # when
    page = browser.get(_page(source.bank.pk))
    download = browser.get(f"{_page(source.bank.pk)}export/")
    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert "A QTI 3.0 content package (a zip) with 8 items" in html
    assert "Left out of the package" in html
    scenario = source.not_covered["scenario"]
    assert f'href="/program/assessments/items/{scenario.pk}/"' in html
    assert "A branching scenario (steps whose options score and lead on to other steps)" in html
    assert "Carried with a difference" in html
    assert "Import into this bank" not in html  # reviewers read, authors import
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == 'attachment; filename="firewall-basics-qti.zip"'
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert len(archive.namelist()) == 9


def test_an_author_imports_a_package_and_reads_the_report(authors: World) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="SD-WAN")
    browser = authors.browser("author")
    # when
    response = browser.post(
        _page(bank.pk), {"file": SimpleUploadedFile("sdwan.zip", sample_package("qti21_package"))}
    )
    # then
    assert response.status_code == 200
    html = response.content.decode()
    items = list(Item.objects.filter(bank=bank).order_by("pk"))
    assert [i.type for i in items] == ["multiple_response", "short_text", "ordering"]
    assert "Imported 3 items, skipped 2" in html
    assert f'href="/program/assessments/items/{items[0].pk}/">VPN protocols</a>' in html
    assert "It uses a hotspot interaction, which no Cascade item type answers." in html
    assert (
        "Not in this program&#x27;s competency framework, so not tagged: Firewall install, "
        "Quantum routing."
    ) in html
    assert "The assessment test test-network-basics is not imported" in html


def test_a_file_that_cannot_be_read_is_shown_beside_the_field(authors: World) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="SD-WAN")
    # when
    response = authors.browser("author").post(
        _page(bank.pk), {"file": SimpleUploadedFile("notes.txt", b"Question 1: which port?")}
    )
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert "The file is neither a QTI content package (a zip) nor a QTI item" in html
    assert "choose the file again" in html
    assert Item.objects.count() == 0


def test_sending_no_file_is_refused(authors: World) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="SD-WAN")
    # when
    response = authors.browser("author").post(_page(bank.pk), {})
    # then
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert Item.objects.count() == 0


def test_reviewers_cannot_import_and_learners_cannot_reach_the_page(authors: World) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="SD-WAN")
    upload = {"file": SimpleUploadedFile("item.xml", QTI_ITEM)}
    # when
    reviewer = authors.browser("reviewer").post(_page(bank.pk), upload)
    learner = authors.browser("learner").get(_page(bank.pk))
    download = authors.browser("learner").get(f"{_page(bank.pk)}export/")
    # then
    assert reviewer.status_code == 403
    assert (learner.status_code, download.status_code) == (403, 403)
    assert Item.objects.count() == 0


def test_the_bank_page_links_to_its_qti_page(authors: World) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="SD-WAN")
    # when
    response = authors.browser("reviewer").get(f"/program/assessments/banks/{bank.pk}/")
    # then
    assert f'href="{_page(bank.pk)}">QTI import and export</a>' in response.content.decode()
