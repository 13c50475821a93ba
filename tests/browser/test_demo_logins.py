"""The demo program as `make demo` serves it: every printed login signs in with the printed
password and lands on the home page of its role."""

from __future__ import annotations

from typing import Any

import pytest

from cascade.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from cascade.demo.scales import SCALES
from cascade.demo.seed import seed_program
from tests.browser.conftest import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

VENDOR_HOME = "Northwind Networks partner program"


def _expected_heading(login: DemoLogin) -> str:
    if login.organization_key is None:
        return VENDOR_HOME
    if "partner_admin" in login.roles or "partner_manager" in login.roles:
        return (
            "Atlas Distribution" if login.organization_key == "distributor" else "Bluebird Networks"
        )
    return f"Welcome, {login.full_name.split(' ')[0]}"


@pytest.fixture
def demo_program(transactional_db: None, live_server: Any) -> None:
    # A single-tenant install: the live server's host resolves to the only program.
    seed_program(scale=SCALES["tiny"], seed=7)


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=[login.label for login in DEMO_LOGINS])
def test_each_demo_login_signs_in_and_sees_its_home(
    demo_program: None, page: Any, login: DemoLogin
) -> None:
    from playwright.sync_api import expect

    # when
    sign_in(page, login.email(), DEMO_PASSWORD)
    # then
    expect(page.get_by_role("heading", level=1)).to_contain_text(_expected_heading(login))
    check_page(page, f"demo-home-{login.label}")
