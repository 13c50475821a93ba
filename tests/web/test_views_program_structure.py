"""Program structure pages: tiers by rank, regions with their countries, specializations; program
admins create, edit and delete them, other vendor staff only read them."""

from __future__ import annotations

from typing import Any

from cascade.audit.models import AuditEntry
from cascade.tenancy.models import Region, Specialization, Tier
from tests.conftest import World
from tests.factories import RegionFactory, SpecializationFactory, TierFactory
from tests.web.conftest import queries, state


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_vendor_staff_read_tiers_by_rank_regions_and_specializations(staff: World) -> None:
    # when
    response = staff.browser("analyst").get("/program/")
    # then
    html = response.content.decode()
    assert [(t.rank, t.name) for t in response.context["tiers"]] == [(2, "Silver"), (3, "Gold")]
    assert [r.name for r in response.context["regions"]] == ["EMEA"]
    assert [s.name for s in response.context["specializations"]] == ["Security"]
    assert '<td data-label="Countries">FR, DE</td>' in html
    assert f'href="/organizations/?tier_id={staff.structure["gold"].pk}"' in html
    assert response.context["can_manage"] is False
    assert "Add a tier" not in html
    assert "/program/tiers/" not in html


def test_program_admins_get_the_add_and_edit_links(world: World) -> None:
    html = world.browser("vendor_admin").get("/program/").content.decode()
    gold = world.structure["gold"]
    assert '<a class="button button--secondary" href="/program/tiers/new/">Add a tier</a>' in html
    assert (
        f'href="/program/tiers/{gold.pk}/">Edit<span class="visually-hidden"> Gold</span></a>'
        in html
    )


def test_the_page_query_count_does_not_grow_with_rows(world: World) -> None:
    # given
    client = world.browser("vendor_admin")
    client.get("/program/")
    before = queries(lambda: client.get("/program/"))
    # when
    for number in range(10):
        TierFactory(tenant=world.tenant, name=f"Tier {number}", rank=10 + number)
        RegionFactory(tenant=world.tenant, name=f"Region {number}", code=f"R{number}")
        SpecializationFactory(tenant=world.tenant, name=f"Spec {number}", code=f"s{number}")
    # then
    assert queries(lambda: client.get("/program/")) == before


def test_program_admin_creates_a_tier_a_region_and_a_specialization(world: World) -> None:
    # given
    client = world.browser("vendor_admin")
    # when
    tier = client.post(
        "/program/tiers/new/", {"name": "Platinum", "rank": "4", "description": "The best."}
    )
    region = client.post(
        "/program/regions/new/",
        {"name": "Southern Europe", "code": "SEU", "countries": "it, es;pt"},
    )
    specialization = client.post(
        "/program/specializations/new/", {"name": "Cloud", "code": "cloud", "description": ""}
    )
    # then
    assert tier["Location"] == "/program/#tiers-heading"
    assert region["Location"] == "/program/#regions-heading"
    assert specialization["Location"] == "/program/#specializations-heading"
    assert Tier.objects.filter(name="Platinum").values_list("rank", "description").get() == (
        4,
        "The best.",
    )
    assert Region.objects.get(code="SEU").countries == ["ES", "IT", "PT"]
    assert Specialization.objects.filter(code="cloud").count() == 1
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "region.create",
        "specialization.create",
        "tier.create",
    ]


def test_a_taken_rank_is_a_readable_error_and_nothing_is_written(world: World) -> None:
    # given
    before = state()
    # when
    response = world.browser("vendor_admin").post(
        "/program/tiers/new/", {"name": "Bronze", "rank": "3"}
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Another tier already has this name or rank."]
    }
    assert b"Please correct the following" in response.content
    assert state() == before


def test_bad_country_codes_are_shown_beside_the_field(world: World) -> None:
    before = state()
    response = world.browser("vendor_admin").post(
        "/program/regions/new/", {"name": "Europe", "code": "EU", "countries": "FR France"}
    )
    assert response.context["form"].errors == {
        "countries": ["'France' is not a two-letter ISO 3166 code."]
    }
    assert state() == before


def test_form_limits_are_checked_before_the_service(world: World) -> None:
    response = world.browser("vendor_admin").post("/program/tiers/new/", {"name": "", "rank": "0"})
    assert response.context["form"].errors == {
        "name": ["This field is required."],
        "rank": ["Ensure this value is greater than or equal to 1."],
    }


def test_program_admin_edits_a_tier_and_the_change_is_audited(world: World) -> None:
    # given
    silver = world.structure["silver"]
    client = world.browser("vendor_admin")
    # when
    form = client.get(f"/program/tiers/{silver.pk}/").context["form"]
    response = client.post(
        f"/program/tiers/{silver.pk}/",
        {"name": "Silver Plus", "rank": "2", "description": "Renamed."},
    )
    # then
    assert form.initial == {"name": "Silver", "rank": 2, "description": ""}
    assert response["Location"] == "/program/#tiers-heading"
    silver.refresh_from_db()
    assert (silver.name, silver.description) == ("Silver Plus", "Renamed.")
    entry = AuditEntry.objects.get(action="tier.update")
    assert (entry.before["name"], entry.after["name"]) == ("Silver", "Silver Plus")


def test_program_admin_edits_a_region_and_a_specialization(world: World) -> None:
    # given
    emea = world.structure["emea"]
    security = world.structure["security"]
    client = world.browser("vendor_admin")
    # when
    initial = client.get(f"/program/regions/{emea.pk}/").context["form"].initial
    client.post(
        f"/program/regions/{emea.pk}/", {"name": "EMEA", "code": "EMEA", "countries": "fr de gb"}
    )
    client.post(
        f"/program/specializations/{security.pk}/",
        {"name": "Security", "code": "sec", "description": "Firewalls and more."},
    )
    # then
    assert initial == {"name": "EMEA", "code": "EMEA", "countries": "FR, DE"}
    emea.refresh_from_db()
    security.refresh_from_db()
    assert emea.countries == ["DE", "FR", "GB"]
    assert (security.code, security.description) == ("sec", "Firewalls and more.")


def test_a_failed_edit_shows_the_saved_name_not_the_refused_one(world: World) -> None:
    # given
    silver = world.structure["silver"]
    before = state()
    # when: the rank belongs to Gold
    response = world.browser("vendor_admin").post(
        f"/program/tiers/{silver.pk}/", {"name": "Renamed", "rank": "3"}
    )
    # then
    assert response.context["form"].errors == {
        "__all__": ["Another tier already has this name or rank."]
    }
    assert "<h1>Edit the tier Silver</h1>" in response.content.decode()
    assert state() == before


def test_an_item_in_use_says_by_how_many_and_offers_no_delete_button(world: World) -> None:
    # when
    html = world.browser("vendor_admin").get(f"/program/tiers/{world.structure['silver'].pk}/")
    # then
    content = html.content.decode()
    assert html.context["used_by"] == 2
    assert (
        f'2 partner organizations use Silver: <a href="/organizations/?tier_id='
        f'{world.structure["silver"].pk}">see them</a>.' in content
    )
    assert "Delete Silver" not in content


def test_program_admin_deletes_an_unused_tier(world: World) -> None:
    # given
    bronze = TierFactory(tenant=world.tenant, name="Bronze", rank=1)
    client = world.browser("vendor_admin")
    page = client.get(f"/program/tiers/{bronze.pk}/").content.decode()
    # when
    response = client.post(f"/program/tiers/{bronze.pk}/delete/", follow=True)
    # then
    assert f'<form method="post" action="/program/tiers/{bronze.pk}/delete/">' in page
    assert response.redirect_chain == [("/program/#tiers-heading", 302)]
    assert _messages(response) == ["The tier Bronze is deleted."]
    assert not Tier.objects.filter(pk=bronze.pk).exists()
    assert AuditEntry.objects.filter(action="tier.delete").count() == 1


def test_deleting_what_organizations_use_is_refused_with_the_reason(world: World) -> None:
    # given
    world.orgs["other"].specializations.add(world.structure["security"])
    client = world.browser("vendor_admin")
    before = state()
    cases = [
        ("tiers", world.structure["gold"], "tier"),
        ("regions", world.structure["emea"], "region"),
        ("specializations", world.structure["security"], "specialization"),
    ]
    # when
    responses = {
        noun: client.post(f"/program/{path}/{item.pk}/delete/", follow=True)
        for path, item, noun in cases
    }
    # then
    for path, item, noun in cases:
        response = responses[noun]
        assert response.redirect_chain == [(f"/program/{path}/{item.pk}/", 302)]
        assert _messages(response) == [
            f"{item.name} is still used by partner organizations. Move them to another {noun} "
            "first; then it can be deleted."
        ]
    assert state() == before


def test_other_vendor_staff_cannot_change_the_structure(staff: World) -> None:
    # given
    gold = staff.structure["gold"]
    client = staff.browser("analyst")
    before = state()
    # when
    answers = [
        client.get("/program/tiers/new/").status_code,
        client.post("/program/tiers/new/", {"name": "X", "rank": "9"}).status_code,
        client.get(f"/program/tiers/{gold.pk}/").status_code,
        client.post(f"/program/tiers/{gold.pk}/", {"name": "X", "rank": "9"}).status_code,
        client.post(f"/program/tiers/{gold.pk}/delete/").status_code,
        client.post("/program/regions/new/", {"name": "X", "code": "X"}).status_code,
        client.post("/program/specializations/new/", {"name": "X", "code": "X"}).status_code,
    ]
    # then
    assert answers == [403, 403, 403, 403, 403, 403, 403]
    assert state() == before


def test_the_pages_do_not_exist_for_partner_people(world: World) -> None:
    # given
    gold = world.structure["gold"]
    before = state()
    # when
    answers = {
        name: [
            world.browser(name).get("/program/").status_code,
            world.browser(name).post("/program/tiers/new/", {"name": "X", "rank": "9"}).status_code,
            world.browser(name).post(f"/program/tiers/{gold.pk}/delete/").status_code,
        ]
        for name in ("partner_admin", "manager", "learner")
    }
    # then
    assert answers == {
        "partner_admin": [404, 404, 404],
        "manager": [404, 404, 404],
        "learner": [404, 404, 404],
    }
    assert state() == before


def test_unknown_items_are_not_found(world: World) -> None:
    client = world.browser("vendor_admin")
    assert client.get("/program/tiers/999999/").status_code == 404
    assert client.get("/program/regions/999999/").status_code == 404
    assert client.post("/program/specializations/999999/delete/").status_code == 404


def test_navigation_marks_the_structure_section_current(world: World) -> None:
    html = world.browser("vendor_admin").get("/program/regions/new/").content.decode()
    assert '<a href="/program/" aria-current="page">Program structure</a>' in html
