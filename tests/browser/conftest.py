"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Each page a journey visits is checked with axe-core (no serious or critical violation), and
photographed at desktop (1280 px) and phone (360 px) widths under test-artifacts/screenshots/,
where the phone width must not scroll sideways.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled

from cascade.tenancy.models import TenantDomain
from tests.conftest import PASSWORD, World, build_world, make_member

# Playwright's sync API keeps an event loop in the test thread; the test's own database calls
# (reading fixtures, asserting rows) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_world(transactional_db: None, live_server: Any) -> World:
    """The standard two-tenant world, with tenant A also served on the live server's host, and
    one vendor staff member for each remaining vendor role."""
    with scopes_disabled():
        world = build_world()
        TenantDomain.objects.create(tenant=world.tenant, domain="localhost")
        make_member(world, "content_author", world.tenant, None, ["content_author"], "other")
        make_member(world, "analyst", world.tenant, None, ["analyst"], "other")
        make_member(
            world,
            "channel_manager",
            world.tenant,
            None,
            ["channel_account_manager"],
            "sales",
        )
    return world


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=DESKTOP, base_url=live_server.url)
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def check_page(page: Any, name: str) -> None:
    """axe-core finds nothing serious, and the page fits a 360 px phone without sideways scroll.

    Screenshots of both widths land in test-artifacts/screenshots/<name>-{desktop,phone}.png.
    """
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        for violation in blocking:
            print(f"[{name}] {violation['impact']} {violation['id']}: {violation['help']}")
            for node in violation["nodes"][:5]:
                print("   ", node["target"], node.get("failureSummary", "")[:300])
    assert [v["id"] for v in blocking] == [], f"accessibility violations on {name}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9-]+", "-", name.lower())
    page.screenshot(path=str(SCREENSHOTS / f"{slug}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(SCREENSHOTS / f"{slug}-phone.png"), full_page=True)
        assert scroll_width <= PHONE["width"], f"{name} scrolls sideways at 360 px"
        phone_results = Axe().run(page)
        phone_blocking = [
            v["id"]
            for v in phone_results.response["violations"]
            if v.get("impact") in BLOCKING_IMPACTS
        ]
        assert phone_blocking == [], f"accessibility violations on {name} at 360 px"
    finally:
        page.set_viewport_size(DESKTOP)
