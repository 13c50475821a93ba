"""End-to-end journeys through the web UI in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from tests.browser.conftest import check_page, sign_in
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

HOME_HEADINGS = {
    "learner": "Welcome, Learner",
    "manager": "Distri Europe",
    "partner_admin": "Distri Europe",
    "vendor_admin": "Northwind Networks partner program",
    "content_author": "Northwind Networks partner program",
    "analyst": "Northwind Networks partner program",
    "channel_manager": "Northwind Networks partner program",
}


@pytest.mark.parametrize("name", list(HOME_HEADINGS))
def test_each_role_signs_in_and_sees_its_home(live_world: World, page: Any, name: str) -> None:
    # given
    from playwright.sync_api import expect

    page.goto("/")
    check_page(page, "sign-in")
    # when
    sign_in(page, live_world.people[name].email)
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADINGS[name])
    check_page(page, f"home-{name}")


def test_partner_admin_invites_a_colleague_who_joins(
    live_world: World, page: Any, chromium: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["partner_admin"].email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My people")
    check_page(page, "partner-people")
    page.get_by_role("link", name="Invite a colleague").click()
    check_page(page, "partner-invite")
    # when
    page.get_by_label("E-mail address").fill("new.colleague@partner.example")
    page.get_by_label("Personal message").fill("Welcome aboard!")
    page.get_by_role("button", name="Send the invitation").click()
    # then
    expect(page.get_by_text("Invitation sent to new.colleague@partner.example.")).to_be_visible()
    invitation_mail = [m for m in mail.outbox if m.to == ["new.colleague@partner.example"]]
    assert len(invitation_mail) == 1
    link = re.search(r"https?://[^/\s]+(/invitations/\S+/)", invitation_mail[0].body)
    assert link is not None

    # when the colleague opens the link in their own browser
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, base_url=live_server.url
    )
    colleague = context.new_page()
    try:
        colleague.goto(link.group(1))
        expect(colleague.get_by_role("heading", level=1)).to_have_text("Join Distri Europe")
        expect(colleague.get_by_text("Welcome aboard!")).to_be_visible()
        check_page(colleague, "invitation-accept")
        colleague.get_by_label("Full name").fill("Nina Colleague")
        colleague.get_by_label("Choose a password").fill("a-long-enough-passphrase")
        colleague.get_by_label("Password again").fill("a-long-enough-passphrase")
        colleague.get_by_role("button", name="Accept and create my account").click()
        # then
        expect(colleague.get_by_role("heading", level=1)).to_have_text("Welcome, Nina")
        expect(
            colleague.get_by_text("Welcome! You are now a member of Distri Europe.")
        ).to_be_visible()
        check_page(colleague, "home-new-colleague")
    finally:
        context.close()


def test_vendor_admin_filters_searches_and_opens_an_organization(
    live_world: World, page: Any
) -> None:
    from playwright.sync_api import expect

    from cascade.core.scoping import tenant_scope
    from tests.factories import OrganizationFactory

    # given more organizations than one page holds
    with tenant_scope(live_world.tenant):
        for number in range(30):
            OrganizationFactory(
                tenant=live_world.tenant,
                name=f"Zeta Partner {number:02d}",
                tier=live_world.structure["gold"],
            )
    sign_in(page, live_world.people["vendor_admin"].email)
    page.get_by_role("link", name="Partner organizations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner organizations")
    check_page(page, "organization-list")
    rows = page.locator("#organization-results tbody tr:not(#more-organizations)")
    expect(rows).to_have_count(25)
    # when: the next page is appended in place
    page.get_by_role("link", name="Show more organizations").click()
    # then
    expect(rows).to_have_count(33)
    expect(page.get_by_role("status").filter(has_text="More organizations loaded.")).to_be_visible()

    # when: filtering by tier updates the results without a reload
    page.get_by_label("Tier").select_option(label="Silver")
    # then
    expect(rows).to_have_count(2)
    expect(page).to_have_url(re.compile(r"tier_id="))
    # when: searching narrows it further
    page.get_by_label("Search").fill("Paris")
    # then
    expect(rows).to_have_count(1)
    check_page(page, "organization-list-filtered")
    page.get_by_role("link", name="Reseller Paris").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reseller Paris")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Distri Europe")
    check_page(page, "organization-detail")


def test_repeated_wrong_passwords_lock_the_sign_in(live_world: World, page: Any) -> None:
    from playwright.sync_api import expect

    # given
    email = live_world.people["learner"].email
    # when
    for _ in range(5):
        sign_in(page, email, password="not-the-password")
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in paused")
    check_page(page, "locked-out")
    # and even the right password is refused for now
    sign_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in paused")


def test_vendor_admin_pages_pass_the_accessibility_checks(live_world: World, page: Any) -> None:
    from playwright.sync_api import expect

    from cascade.core.scoping import tenant_scope
    from cascade.notifications.models import Notification

    # given
    with tenant_scope(live_world.tenant):
        Notification.objects.create(
            tenant=live_world.tenant,
            person=live_world.people["vendor_admin"],
            kind="registration.pending",
            title="Nina asks to join Reseller Paris",
            body="Approve or decline the request.",
        )
    sign_in(page, live_world.people["vendor_admin"].email)
    # when / then: each page of the vendor area
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Invitations").click()
    page.get_by_label("E-mail address").fill("boss@other.example")
    page.get_by_label("Joins").select_option(label="Other Partner")
    page.get_by_label("Partner admin").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to boss@other.example.")).to_be_visible()
    check_page(page, "invitations")
    main_nav.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    check_page(page, "audit-log")
    page.goto("/organizations/new/")
    page.get_by_role("button", name="Create the organization").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    check_page(page, "organization-form-errors")
    page.get_by_role("link", name="Notifications").click()
    expect(page.locator("#notification-bell .badge")).to_have_text("1 unread")
    page.get_by_role(
        "button", name=re.compile(r"Mark as read\W+Nina asks to join Reseller Paris")
    ).click()
    expect(page.locator("#notification-bell .badge")).to_have_count(0)
    check_page(page, "notifications")
    page.get_by_role("link", name="Profile").click()
    page.get_by_label("Token name").fill("CRM sync")
    page.get_by_label("people:read").check()
    page.get_by_role("button", name="Create the token").click()
    expect(page.locator("#new-token-secret")).to_contain_text("cas_")
    check_page(page, "profile")


def test_partner_admin_manages_a_person(live_world: World, page: Any) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["partner_admin"].email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My people").click()
    # when
    page.get_by_role("link", name="Manage Learner").click()
    page.get_by_label("Partner manager").check()
    page.get_by_role("button", name="Save roles").click()
    # then
    expect(page.get_by_text("Learner is updated.")).to_be_visible()
    expect(page.locator("dl.details")).to_contain_text("Learner, Partner manager")
    check_page(page, "partner-membership")
