"""A partner manager chooses everyone shown in the team table at once, and the header checkbox
follows what is ticked row by row."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_choose_everyone_shown(live_world: World, page: Any) -> None:
    from playwright.sync_api import expect

    sign_in(page, live_world.people["manager"].email)
    page.goto("/partner/learning/")
    everyone = page.get_by_role("checkbox", name="Choose everyone shown")
    rows = page.locator('tbody input[name="membership_ids"]')
    assert rows.count() >= 2
    # when
    everyone.check()
    # then
    for index in range(rows.count()):
        expect(rows.nth(index)).to_be_checked()
    # unticking one row leaves the header neither ticked nor unticked
    rows.first.uncheck()
    expect(everyone).not_to_be_checked()
    assert page.evaluate("document.querySelector('input[data-select-all]').indeterminate")
    # clicking it then chooses everyone again, and once more nobody
    everyone.click()
    expect(rows.first).to_be_checked()
    everyone.uncheck()
    for index in range(rows.count()):
        expect(rows.nth(index)).not_to_be_checked()
