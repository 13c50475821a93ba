"""Browser journey through QTI exchange: an author opens a bank's QTI page, reads what an export
would leave out, imports a QTI 2.1 package written by another tool and reads what was imported
and skipped, then downloads the bank as a QTI 3.0 package. Every page visited is checked with
axe and photographed at desktop and phone widths."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from cascade.assessments.models import Item
from cascade.assessments.services import bank_create, item_create
from cascade.core.scoping import tenant_scope
from tests.assessments.qti_helpers import NOT_COVERED, sample_package
from tests.browser.conftest import check_page, sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_an_author_imports_a_qti_package_and_exports_the_bank(
    live_world: World, page: Any, tmp_path: Any
) -> None:
    from playwright.sync_api import expect

    # given: a bank with a scenario, which QTI cannot carry
    sign_in(page, live_world.people["content_author"].email)
    with tenant_scope(live_world.tenant):
        author = live_world.actor("content_author")
        bank = bank_create(actor=author, name="SD-WAN")
        item_create(actor=author, bank_id=bank.pk, definition=NOT_COVERED["scenario"])
    package = tmp_path / "network-basics.zip"
    package.write_bytes(sample_package("qti21_package"))
    page.goto(f"/program/assessments/banks/{bank.pk}/")

    # when: the author opens the bank's QTI page
    page.get_by_role("link", name="QTI import and export").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("QTI import and export")
    expect(page.get_by_text("The bank has no item QTI can hold yet")).to_be_visible()
    expect(page.get_by_role("heading", name="Left out of the package")).to_be_visible()
    check_page(page, "assessments-qti")

    # when: a QTI 2.1 package is imported
    page.get_by_label("QTI package or item").set_input_files(str(package))
    page.get_by_role("button", name="Import the file").click()
    # then
    expect(page.get_by_role("heading", name="Imported 3 items, skipped 2")).to_be_visible()
    expect(page.get_by_role("link", name="VPN protocols")).to_be_visible()
    expect(
        page.get_by_text("It uses a hotspot interaction, which no Cascade item type answers.")
    ).to_be_visible()
    check_page(page, "assessments-qti-imported")
    with tenant_scope(live_world.tenant):
        assert Item.objects.filter(bank=bank).count() == 4

    # when: the bank is downloaded
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the QTI package").click()
    # then
    path = download.value.path()
    assert download.value.suggested_filename == "sd-wan-qti.zip"
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert len(archive.namelist()) == 4  # the manifest and the three imported items
