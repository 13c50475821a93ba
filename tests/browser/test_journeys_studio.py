"""Browser journeys through the studio: an author starts a course from a starter, builds it from
two reusable lessons (through a module created in place), and submits it; a translator updates a
French translation the source text left behind, and a reviewer approves it. Every studio page
visited is checked with axe and photographed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_scopes import scopes_disabled

from cascade.catalog.audiences import RuleSpec
from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import CatalogItem, CatalogTeam, ItemVariant
from cascade.catalog.items import (
    item_approve,
    item_create,
    item_publish,
    item_submit,
    variant_save,
)
from cascade.catalog.revisions import (
    item_revise,
    translation_review,
    translation_save,
    translation_submit,
)
from cascade.catalog.services import audience_create
from cascade.core.scoping import tenant_scope
from tests.browser.conftest import check_page, sign_in
from tests.conftest import World, make_member

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ZONES = "Edge firewall zones"
POLICIES = "Edge VPN policies"


def _publish(world: World, item: CatalogItem) -> CatalogItem:
    item_submit(actor=world.actor("content_author"), item=item)
    item_approve(actor=world.actor("reviewer"), item=item)
    return item_publish(actor=world.actor("content_author"), item=item)


@pytest.fixture
def scene(live_world: World) -> dict[str, Any]:
    """Two published reusable lessons for Gold partners and above; the first has a French
    translation made before its English text was revised, so it needs an update."""
    with scopes_disabled():
        make_member(live_world, "reviewer", live_world.tenant, None, ["reviewer"], "other")
        make_member(live_world, "translator", live_world.tenant, None, ["translator"], "other")
        live_world.tenant.supported_locales = ["en", "fr"]
        live_world.tenant.save()
    with tenant_scope(live_world.tenant):
        author = live_world.actor("content_author")
        team = CatalogTeam.objects.create(tenant=live_world.tenant, name="Product")
        gold = audience_create(
            actor=author, name="Gold and above", rules=[RuleSpec.of(minimum_tier_rank=3)]
        )
        lessons = {}
        for title, summary in (
            (ZONES, "Why an edge device separates traffic into zones."),
            (POLICIES, "Writing VPN policies customers understand."),
        ):
            lesson = item_create(
                actor=author,
                kind="lesson",
                owner_team=team,
                title=title,
                summary=summary,
                body=f"## {title}\n\nThe essentials, with an example.",
                audience=gold,
                duration_minutes=10,
            )
            item_formats_set(actor=author, item=lesson, formats=[FormatSpec(kind="article")])
            lessons[title] = _publish(live_world, lesson)
        zones = lessons[ZONES]
        translator = live_world.actor("translator")
        translation_save(
            actor=translator,
            item=zones,
            locale="fr",
            title="Zones du pare-feu",
            body="## Zones\n\nL'essentiel.",
        )
        translation_submit(actor=translator, item=zones, locale="fr")
        translation_review(
            actor=live_world.actor("reviewer"), item=zones, locale="fr", approve=True
        )
        item_revise(actor=author, item=zones, change="minor", note="Adds the guest zone.")
        variant_save(
            actor=author,
            item=zones,
            locale="en",
            title=ZONES,
            summary="Why an edge device separates traffic into zones, guests included.",
            body=f"## {ZONES}\n\nThe essentials, with an example.\n\n## Guest zone\n\nNew.",
        )
        _publish(live_world, zones)
    return {"team": team, "gold": gold, "zones": zones}


def test_an_author_builds_a_course_from_two_reusable_lessons_and_submits_it(
    live_world: World, page: Any, scene: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["content_author"].email)
    page.goto("/studio/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Studio")
    check_page(page, "studio-home")

    # when: a course is started from the "Product course" starter
    page.get_by_role("link", name="New item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What are you making?")
    check_page(page, "studio-new-item")
    page.get_by_label("Product course").check()
    page.get_by_label("Title").fill("Securing the edge")
    page.get_by_label("Owner team").select_option(label="Product")
    page.get_by_label("Who is it for?").select_option(label="Gold and above")
    page.get_by_role("button", name="Create the draft").click()
    # then: the outline waits on the Text tab, and the preview shows it as learners will read it
    expect(page.get_by_text("Your product course is created.")).to_be_visible()
    expect(page.get_by_label("Body")).to_have_value(re.compile(r"^## Who this course is for"))
    page.get_by_label("Summary").fill("Zones and VPN policies for edge devices.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview h2").first).to_have_text("Who this course is for")
    check_page(page, "studio-item-text")
    page.get_by_role("button", name="Save the text").click()
    expect(page.get_by_text("The text is saved.")).to_be_visible()

    # when: a module is created in place, from the course's structure
    tabs = page.get_by_role("navigation", name="Parts of this item")
    tabs.get_by_role("link", name="Structure").click()
    check_page(page, "studio-course-structure")
    page.get_by_label("Title of the new module").fill("Module 1: Why zones matter")
    page.get_by_role("button", name="Create and add").click()
    expect(page.get_by_text("is created and added as the last step.")).to_be_visible()
    page.get_by_role("link", name="Module 1: Why zones matter").click()
    page.get_by_role("navigation", name="Parts of this item").get_by_role(
        "link", name="Structure"
    ).click()

    # and the two reusable lessons are found by title and added, then reordered
    page.get_by_label("Title contains").fill("edge")
    results = page.locator("#candidates")
    expect(results.get_by_role("status")).to_have_text(re.compile(r"2 items found for “edge”"))
    results.get_by_role("button", name=f"Add “{POLICIES}”").click()
    expect(page.get_by_text("Added. It is now the last step.")).to_be_visible()
    page.locator("#candidates").get_by_role("button", name=f"Add “{ZONES}”").click()
    steps = page.get_by_role("list", name="Steps, in order").get_by_role("listitem")
    expect(steps).to_have_count(2)
    page.get_by_role("button", name=f"Move up “{ZONES}”").click()
    expect(page.get_by_text(f"Moved “{ZONES}” up.")).to_be_visible()
    expect(steps.first).to_contain_text(ZONES)
    check_page(page, "studio-module-structure")

    # when: the module and then the course are submitted
    page.get_by_role("navigation", name="Parts of this item").get_by_role(
        "link", name="Overview"
    ).click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()
    page.get_by_role("link", name="Securing the edge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Securing the edge")
    page.get_by_role("button", name="Submit for review").click()
    # then
    expect(page.get_by_text("Submitted for review.")).to_be_visible()
    expect(page.get_by_role("heading", name="In review")).to_be_visible()
    expect(page.get_by_text("It needs one approval from a reviewer")).to_be_visible()
    check_page(page, "studio-item-overview")
    with tenant_scope(live_world.tenant):
        course = CatalogItem.objects.get(kind="course")
        module = CatalogItem.objects.get(kind="module")
        assert (course.state, module.state) == ("in_review", "in_review")
        titles = dict(ItemVariant.objects.filter(locale="en").values_list("item_id", "title"))
        assert [titles[link.child_id] for link in module.child_links.order_by("position")] == [
            ZONES,
            POLICIES,
        ]

    # and the other studio pages pass the same checks
    tabs = page.get_by_role("navigation", name="Parts of this item")
    tabs.get_by_role("link", name="Settings").click()
    check_page(page, "studio-item-settings")
    tabs.get_by_role("link", name="History").click()
    expect(page.get_by_role("cell", name="Submitted for review")).to_be_visible()
    check_page(page, "studio-item-history")
    page.goto(f"/studio/items/{scene['zones'].pk}/formats/")
    expect(page.get_by_role("heading", name="Formats", exact=True)).to_be_visible()
    check_page(page, "studio-item-formats")
    page.get_by_role("navigation", name="Parts of this item").get_by_role(
        "link", name="Product versions"
    ).click()
    check_page(page, "studio-item-versions")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Audiences").click()
    check_page(page, "studio-audiences")
    page.get_by_role("link", name="New pilot audience").click()
    check_page(page, "studio-audience-form")
    page.get_by_role("navigation", name="Studio").get_by_role(
        "link", name="Product versions"
    ).click()
    check_page(page, "studio-product-versions")


def test_a_translator_updates_a_french_translation_and_a_reviewer_approves_it(
    live_world: World, page: Any, chromium: Any, live_server: Any, scene: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    zones = scene["zones"]
    # given: the French translation was made from an older English text
    sign_in(page, live_world.people["translator"].email)
    page.goto(f"/studio/items/{zones.pk}/translations/")
    expect(page.get_by_role("row", name=re.compile("Français"))).to_contain_text("Needs update")
    check_page(page, "studio-translations")
    # when
    page.get_by_role("link", name="Update into Français").click()
    expect(
        page.get_by_text("The English text changed after this translation was made.")
    ).to_be_visible()
    expect(page.get_by_label("Source body in Markdown")).to_contain_text("## Guest zone")
    check_page(page, "studio-translation-editor")
    page.get_by_label("Summary in Français").fill(
        "Pourquoi un équipement de bordure sépare le trafic en zones, invités compris."
    )
    page.get_by_label("Body in Français").fill(
        "## Zones du pare-feu\n\nL'essentiel, avec un exemple.\n\n## Zone invités\n\nNouveau."
    )
    page.get_by_role("button", name="Save and send for review").click()
    # then
    expect(
        page.get_by_text("The Français translation is saved and sent for review.")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Français translation"))
    ).to_contain_text("In review")

    # when a reviewer opens their list in their own browser
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, base_url=live_server.url
    )
    reviewer = context.new_page()
    try:
        sign_in(reviewer, live_world.people["reviewer"].email)
        reviewer.goto("/studio/")
        reviewer.get_by_role("link", name="Waiting for my review").click()
        expect(
            reviewer.get_by_role("heading", name="Translations waiting for review")
        ).to_be_visible()
        check_page(reviewer, "studio-review-list")
        reviewer.get_by_role("row", name=re.compile("Français")).get_by_role(
            "link", name=ZONES
        ).click()
        check_page(reviewer, "studio-translation-review")
        reviewer.get_by_role("button", name="Approve the translation").click()
        # then
        expect(
            reviewer.get_by_text(
                "The Français translation is approved. Learners reading it see it now."
            )
        ).to_be_visible()
        expect(reviewer.get_by_role("row", name=re.compile("Français"))).to_contain_text("Approved")
    finally:
        context.close()
    with tenant_scope(live_world.tenant):
        zones = CatalogItem.objects.get(pk=zones.pk)
        assert zones.published_revision is not None
        assert zones.published_revision.content["variants"]["fr"]["body"].endswith("Nouveau.")


def test_an_author_previews_the_catalog_as_a_partner_persona(
    live_world: World, page: Any, scene: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    # given
    sign_in(page, live_world.people["content_author"].email)
    page.goto("/studio/preview/")
    # when: a Silver persona
    page.get_by_label("Tier", exact=True).select_option(label="Silver")
    page.get_by_role("button", name="Preview as this persona").click()
    # then
    expect(page.get_by_role("status").filter(has_text="This persona sees no item.")).to_be_visible()
    # when: a real Gold organization
    page.get_by_label("A real organization (optional)").fill("Distri Europe")
    page.get_by_label("Language", exact=True).select_option(label="Français")
    page.get_by_role("button", name="Preview as this persona").click()
    # then: both lessons, the first in French
    expect(page.locator(".cards > li")).to_have_count(2)
    expect(page.get_by_role("link", name="Zones du pare-feu")).to_be_visible()
    check_page(page, "studio-preview")
    page.get_by_role("link", name="Zones du pare-feu").click()
    expect(page.get_by_role("status").filter(has_text="Visible")).to_be_visible()
    check_page(page, "studio-preview-item")
