"""A program admin re-brands the program and sees the new theme at once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import check_page, sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_program_admin_rebrands_the_program(live_world: World, page: Any) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["vendor_admin"].email)
    page.goto("/program/")
    page.get_by_role("link", name="Program name, brand and languages").click()
    check_page(page, "program-settings")
    # when
    page.get_by_label("Program name").fill("Northwind Partner Network")
    page.get_by_label("Primary colour").fill("#7a1f5c")
    page.get_by_role("button", name="Save the settings").click()
    # then
    expect(page.locator(".message--success")).to_have_text("The program settings are saved.")
    expect(page.locator("header").first).to_contain_text("Northwind Partner Network")
    brand = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()"
    )
    assert brand == "#7a1f5c"
