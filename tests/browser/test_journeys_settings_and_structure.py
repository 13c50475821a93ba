"""Browser journeys: a partner admin's data-sharing settings, the program structure pages, and
the parent organization picker (with and without JavaScript)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cascade.core.scoping import tenant_scope
from cascade.tenancy.models import PartnerOrganization, Tier
from tests.browser.conftest import DESKTOP, check_page, sign_in
from tests.conftest import World
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_partner_admin_chooses_what_the_vendor_sees(live_world: World, page: Any) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["partner_admin"].email)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Organization settings"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organization settings")
    expect(page.get_by_role("radio", name="Individuals")).to_be_checked()
    check_page(page, "organization-settings")
    # when
    page.get_by_role("radio", name="Aggregates only").check()
    page.get_by_label("Managers of a parent organization may assign learning").check()
    page.get_by_role("button", name="Save the settings").click()
    # then
    expect(
        page.get_by_text(
            "Your settings are saved. The vendor now sees only aggregate numbers about your people."
        )
    ).to_be_visible()
    expect(page.get_by_role("radio", name="Aggregates only")).to_be_checked()
    check_page(page, "organization-settings-saved")
    with tenant_scope(live_world.tenant):
        dist = PartnerOrganization.objects.get(pk=live_world.orgs["dist"].pk)
    assert (dist.vendor_data_access, dist.allow_parent_assignment) == ("aggregates", True)
    # and the home page leads there too
    page.get_by_role("link", name="Home").first.click()
    page.get_by_role("main").get_by_role("link", name="Organization settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organization settings")


def test_program_admin_manages_tiers_regions_and_specializations(
    live_world: World, page: Any
) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["vendor_admin"].email)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Program structure"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Program structure")
    check_page(page, "program-structure")

    # when: a tier is added
    page.get_by_role("link", name="Add a tier").click()
    page.get_by_label("Name").fill("Platinum")
    page.get_by_label("Rank").fill("4")
    page.get_by_label("Description").fill("Our most committed partners.")
    page.get_by_role("button", name="Create the tier").click()
    # then
    expect(page.get_by_text("The tier Platinum is created.")).to_be_visible()
    tiers = page.locator("section[aria-labelledby='tiers-heading'] tbody tr")
    expect(tiers).to_have_count(3)
    expect(tiers.last).to_contain_text("Platinum")

    # when: a region is given a country code that is not one
    page.get_by_role("link", name="Add a region").click()
    page.get_by_label("Name").fill("Nordics")
    page.get_by_label("Code", exact=True).fill("NORDICS")
    page.get_by_label("Countries").fill("SE, NO, Denmark")
    page.get_by_role("button", name="Create the region").click()
    # then
    expect(page.get_by_role("alert")).to_contain_text(
        "'Denmark' is not a two-letter ISO 3166 code."
    )
    check_page(page, "structure-form-errors")
    page.get_by_label("Countries").fill("SE, NO, DK, FI")
    page.get_by_role("button", name="Create the region").click()
    expect(page.get_by_text("The region Nordics is created.")).to_be_visible()
    expect(page.get_by_role("cell", name="DK, FI, NO, SE")).to_be_visible()

    # when: a tier still in use is opened
    page.get_by_role("link", name="Edit Gold").click()
    # then: it says who uses it and offers no delete button
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the tier Gold")
    expect(page.get_by_text("1 partner organization uses Gold")).to_be_visible()
    expect(page.get_by_role("button", name="Delete Gold")).to_have_count(0)
    check_page(page, "structure-form-in-use")

    # when: the unused tier is deleted
    page.get_by_role("link", name="Program structure").first.click()
    page.get_by_role("link", name="Edit Platinum").click()
    page.get_by_role("button", name="Delete Platinum").click()
    # then
    expect(page.get_by_text("The tier Platinum is deleted.")).to_be_visible()
    expect(tiers).to_have_count(2)
    with tenant_scope(live_world.tenant):
        assert sorted(Tier.objects.values_list("name", flat=True)) == ["Gold", "Silver"]


def test_other_vendor_staff_read_the_program_structure(live_world: World, page: Any) -> None:
    from playwright.sync_api import expect

    sign_in(page, live_world.people["analyst"].email)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Program structure"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Program structure")
    expect(page.get_by_role("link", name="Add a tier")).to_have_count(0)
    check_page(page, "program-structure-read-only")


def test_program_admin_picks_a_parent_by_searching(live_world: World, page: Any) -> None:
    from playwright.sync_api import expect

    # given many organizations
    with tenant_scope(live_world.tenant):
        for number in range(30):
            OrganizationFactory(tenant=live_world.tenant, name=f"Zeta Partner {number:02d}")
    other = live_world.orgs["other"]
    sign_in(page, live_world.people["vendor_admin"].email)
    page.goto(f"/organizations/{other.pk}/edit/")
    expect(page.get_by_role("radio", name="None: a top-level partner")).to_be_checked()
    # when: typing narrows the list without a reload
    page.get_by_label("Search by name").fill("zeta")
    # then
    expect(page.get_by_role("status").filter(has_text="More than 20 organizations")).to_be_visible()
    expect(page.locator("#parent-options input[type=radio]")).to_have_count(21)
    # when
    page.get_by_label("Search by name").fill("distri")
    expect(page.get_by_role("radio", name=re.compile("^Distri Europe"))).to_be_visible()
    page.get_by_role("radio", name=re.compile("^Distri Europe")).check()
    check_page(page, "organization-form-parent-picker")
    # and: searching again keeps the choice
    page.get_by_label("Search by name").fill("zeta partner 0")
    expect(page.get_by_role("status").filter(has_text="10 organizations match")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("^Distri Europe"))).to_be_checked()
    # when: pressing Enter in the search box searches, it does not save the organization
    page.get_by_label("Search by name").press("Enter")
    expect(page).to_have_url(re.compile(rf"/organizations/{other.pk}/edit/$"))
    page.get_by_role("button", name="Save changes").click()
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Other Partner")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Distri Europe")
    with tenant_scope(live_world.tenant):
        assert PartnerOrganization.objects.get(pk=other.pk).parent_id == live_world.orgs["dist"].pk


def test_the_parent_picker_works_without_javascript(
    live_world: World, chromium: Any, live_server: Any, page: Any
) -> None:
    from playwright.sync_api import expect

    # given a browser with JavaScript turned off
    context = chromium.new_context(
        viewport=DESKTOP, base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    plain = context.new_page()
    other = live_world.orgs["other"]
    try:
        sign_in(plain, live_world.people["vendor_admin"].email)
        plain.goto(f"/organizations/{other.pk}/edit/")
        # when: the search reloads the page with the matches
        plain.get_by_label("Search by name").fill("Paris")
        plain.get_by_role("button", name="Search").click()
        # then
        expect(plain).to_have_url(re.compile(r"parent_q=Paris"))
        expect(
            plain.get_by_role("status").filter(has_text="1 organization matches")
        ).to_be_visible()
        # when
        plain.get_by_role("radio", name=re.compile("^Reseller Paris")).check()
        plain.get_by_role("button", name="Save changes").click()
        # then
        expect(plain.get_by_role("heading", level=1)).to_have_text("Other Partner")
        with tenant_scope(live_world.tenant):
            parent_id = PartnerOrganization.objects.get(pk=other.pk).parent_id
        assert parent_id == live_world.orgs["reseller"].pk
    finally:
        context.close()
    # and the page the search reloads passes the checks (axe-core needs JavaScript to run)
    sign_in(page, live_world.people["vendor_admin"].email)
    page.goto(f"/organizations/{other.pk}/edit/?parent_q=Distri")
    expect(page.get_by_role("status").filter(has_text="1 organization matches")).to_be_visible()
    check_page(page, "organization-form-parent-picker-search-reload")
