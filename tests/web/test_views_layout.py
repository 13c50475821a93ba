"""The shared layout: tenant theming, navigation per role, the notification bell, and the
pages for unknown hosts and anonymous visitors."""

from __future__ import annotations

from django.test import Client

from cascade.notifications.models import Notification
from tests.conftest import World


def _nav(html: str) -> str:
    start = html.index('<nav class="main-nav"')
    return html[start : html.index("</nav>", start)]


def test_unknown_host_shows_the_no_program_page(world: World) -> None:
    # when
    response = Client(HTTP_HOST="nowhere.test").get("/")
    # then
    assert response.status_code == 404
    assert b"No partner program is served at <strong>nowhere.test</strong>" in response.content


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    # when
    response = world.browser().get("/organizations/?status=active")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=/organizations/%3Fstatus%3Dactive"


def test_pages_use_the_tenants_colours_and_logo(world: World) -> None:
    # given: a pale primary colour that white text would not read on
    world.tenant.primary_colour = "#ffd500"
    world.tenant.accent_colour = "#0f7b6c"
    world.tenant.logo_url = "https://cdn.example/northwind.svg"
    world.tenant.save()
    # when
    html = world.browser("learner").get("/").content.decode()
    # then: the brand colour is used as given, with dark text on it and a darker variant as text
    assert "--brand:#ffd500;--brand-ink:#111827;--brand-text:#" in html
    assert '<img src="https://cdn.example/northwind.svg" alt="Northwind Networks home">' in html


def test_without_a_logo_the_header_shows_the_tenant_name(world: World) -> None:
    html = world.browser("learner").get("/").content.decode()
    assert '<a class="brand" href="/">\n        Northwind Networks\n      </a>' in html


def test_navigation_follows_the_role(staff: World) -> None:
    # when
    navs = {name: _nav(staff.browser(name).get("/").content.decode()) for name in staff.people}

    # then
    def labels(nav: str) -> list[str]:
        import re

        return re.findall(r'<a href="[^"]+"(?: aria-current="page")?>([^<]+)</a>', nav)

    assert labels(navs["learner"]) == ["Home", "Catalog", "Exams"]
    assert labels(navs["manager"]) == [
        "Home",
        "Catalog",
        "Exams",
        "My people",
        "Team learning",
        "Onboarding",
    ]
    assert labels(navs["partner_admin"]) == [
        "Home",
        "Catalog",
        "Exams",
        "My people",
        "Team learning",
        "Onboarding",
        "Organization settings",
    ]
    assert labels(navs["vendor_admin"]) == [
        "Home",
        "Catalog",
        "Studio",
        "Exams",
        "Grading",
        "Assessments",
        "Partner organizations",
        "Program structure",
        "Invitations",
        "Learning",
        "Onboarding",
        "Audit log",
    ]
    assert labels(navs["analyst"]) == [
        "Home",
        "Catalog",
        "Exams",
        "Partner organizations",
        "Program structure",
        "Invitations",
        "Learning",
        "Onboarding",
    ]
    assert labels(navs["content_author"]) == [
        "Home",
        "Catalog",
        "Studio",
        "Exams",
        "Grading",
        "Assessments",
        "Partner organizations",
        "Program structure",
        "Invitations",
        "Learning",
        "Onboarding",
    ]


def test_the_current_section_is_marked_for_assistive_technology(world: World) -> None:
    html = world.browser("vendor_admin").get("/organizations/").content.decode()
    assert '<a href="/organizations/" aria-current="page">Partner organizations</a>' in html


def test_the_bell_shows_the_unread_count(world: World) -> None:
    # given
    learner = world.people["learner"]
    for title in ("One", "Two"):
        Notification.objects.create(tenant=world.tenant, person=learner, kind="x", title=title)
    Notification.objects.create(
        tenant=world.other_tenant, person=learner, kind="x", title="Elsewhere"
    )
    # when
    html = world.browser("learner").get("/").content.decode()
    # then: only this tenant's notifications count
    assert '<span class="badge">2<span class="visually-hidden"> unread</span></span>' in html


def test_every_page_has_a_skip_link_and_landmarks(world: World) -> None:
    html = world.browser("partner_admin").get("/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<nav class="main-nav" aria-label="Main">' in html
    assert '<div id="messages" role="status" aria-live="polite">' in html


def test_sign_out_is_a_post_with_csrf(world: World) -> None:
    html = world.browser("learner").get("/").content.decode()
    assert '<form method="post" action="/accounts/sign-out/">' in html
