"""Partner organization pages: filtered list with htmx and keyset pages, create and edit forms,
and the detail page."""

from __future__ import annotations

from typing import Any

from cascade.identity.models import Membership
from cascade.tenancy.models import PartnerOrganization, VendorDataAccess
from tests.conftest import World
from tests.factories import OrganizationFactory, PersonFactory
from tests.web.conftest import queries, state


def _names(response: Any) -> list[str]:
    return [o.name for o in response.context["organizations"].items]


def test_vendor_staff_see_every_organization_alphabetically(staff: World) -> None:
    response = staff.browser("analyst").get("/organizations/")
    assert _names(response) == ["Distri Europe", "Other Partner", "Reseller Paris"]


def test_filters_narrow_the_list(world: World) -> None:
    client = world.browser("vendor_admin")
    silver = world.structure["silver"].pk
    assert _names(client.get(f"/organizations/?tier_id={silver}")) == [
        "Other Partner",
        "Reseller Paris",
    ]
    assert _names(client.get("/organizations/?business_model=distributor")) == ["Distri Europe"]
    assert _names(client.get("/organizations/?q=paris")) == ["Reseller Paris"]
    assert _names(client.get("/organizations/?q=reseller-paris.example")) == ["Reseller Paris"]
    assert _names(client.get("/organizations/?country=fr&status=active")) == [
        "Distri Europe",
        "Other Partner",
        "Reseller Paris",
    ]
    assert _names(client.get("/organizations/?status=suspended")) == []


def test_unknown_filter_values_are_shown_as_errors_not_failures(world: World) -> None:
    response = world.browser("vendor_admin").get("/organizations/?tier_id=999999&status=nope")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"tier_id", "status"}


def test_htmx_requests_get_only_the_results(world: World) -> None:
    response = world.browser("vendor_admin").get(
        "/organizations/?q=paris", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert '<p class="results-status" id="results-status" role="status">1 organization shown.' in (
        html
    )


def test_next_page_is_appended_with_a_keyset_cursor(world: World) -> None:
    # given
    for number in range(30):
        OrganizationFactory(tenant=world.tenant, name=f"Zeta {number:02d}")
    client = world.browser("vendor_admin")
    first = client.get("/organizations/")
    cursor = first.context["organizations"].next_cursor
    # when
    more = client.get(f"/organizations/?cursor={cursor}", headers={"HX-Request": "true"})
    # then
    assert len(_names(first)) == 25
    assert _names(more) == [f"Zeta {n:02d}" for n in range(22, 30)]
    assert "<table" not in more.content.decode()
    assert "More organizations loaded." in more.content.decode()


def test_a_broken_cursor_is_a_readable_error(world: World) -> None:
    response = world.browser("vendor_admin").get("/organizations/?cursor=%%%")
    assert response.status_code == 422
    assert b"The cursor is not valid." in response.content


def test_list_query_count_does_not_grow_with_rows(world: World) -> None:
    client = world.browser("vendor_admin")
    client.get("/organizations/")
    before = queries(lambda: client.get("/organizations/"))
    for number in range(15):
        organization = OrganizationFactory(
            tenant=world.tenant, name=f"More {number}", parent=world.orgs["dist"]
        )
        organization.specializations.add(world.structure["security"])
    assert queries(lambda: client.get("/organizations/")) == before


def test_partner_admin_sees_only_their_subtree(world: World) -> None:
    response = world.browser("partner_admin").get("/organizations/")
    assert _names(response) == ["Distri Europe", "Reseller Paris"]


FORM = {
    "name": "Nordic Systems",
    "business_model": "msp",
    "status": "active",
    "tier_id": "",
    "region_id": "",
    "parent_id": "",
    "country": "se",
    "joined_on": "2024-03-01",
    "email_domains": "nordic.example\nNORDIC-systems.example",
    "vendor_data_access": "aggregates",
}


def test_program_admin_creates_an_organization(world: World) -> None:
    # when
    response = world.browser("vendor_admin").post(
        "/organizations/new/",
        {
            **FORM,
            "tier_id": world.structure["gold"].pk,
            "parent_id": world.orgs["dist"].pk,
            "specialization_ids": [world.structure["security"].pk],
        },
    )
    # then
    organization = PartnerOrganization.objects.get(name="Nordic Systems")
    assert response["Location"] == f"/organizations/{organization.pk}/"
    assert organization.parent == world.orgs["dist"]
    assert organization.path == f"{world.orgs['dist'].path}{organization.pk}/"
    assert organization.country == "SE"
    assert sorted(organization.email_domains.values_list("domain", flat=True)) == [
        "nordic-systems.example",
        "nordic.example",
    ]
    assert list(organization.specializations.all()) == [world.structure["security"]]


def test_a_duplicate_name_is_shown_beside_the_field_and_nothing_is_written(world: World) -> None:
    # given
    before = state()
    # when
    response = world.browser("vendor_admin").post(
        "/organizations/new/", {**FORM, "name": "distri europe"}
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["An organization named 'distri europe' already exists."]
    }
    assert state() == before


def test_a_domain_owned_by_another_organization_is_refused(world: World) -> None:
    before = state()
    response = world.browser("vendor_admin").post(
        "/organizations/new/", {**FORM, "email_domains": "reseller-paris.example"}
    )
    assert response.context["form"].errors == {
        "email_domains": ["These domains belong to another organization: reseller-paris.example."]
    }
    assert state() == before


def test_an_invalid_country_is_refused(world: World) -> None:
    before = state()
    response = world.browser("vendor_admin").post("/organizations/new/", {**FORM, "country": "1"})
    assert response.context["form"].errors == {
        "country": ["Use a two-letter ISO 3166 country code."]
    }
    assert state() == before


def test_editing_refuses_a_cycle_in_the_hierarchy(world: World) -> None:
    # given
    dist = world.orgs["dist"]
    before = state()
    # when: the distributor would sit below its own reseller
    response = world.browser("vendor_admin").post(
        f"/organizations/{dist.pk}/edit/",
        {
            **FORM,
            "name": "Distri Europe",
            "business_model": "distributor",
            "email_domains": "",
            "parent_id": world.orgs["reseller"].pk,
        },
    )
    # then
    assert response.context["form"].errors == {
        "parent_id": ["An organization cannot sit below itself or one of its own children."]
    }
    assert state() == before


def test_editing_saves_and_is_audited(world: World) -> None:
    # given
    other = world.orgs["other"]
    # when
    response = world.browser("vendor_admin").post(
        f"/organizations/{other.pk}/edit/",
        {
            **FORM,
            "name": "Other Partner",
            "business_model": "reseller",
            "status": "suspended",
            "email_domains": "",
            "tier_id": world.structure["gold"].pk,
        },
    )
    # then
    assert response["Location"] == f"/organizations/{other.pk}/"
    other.refresh_from_db()
    assert (other.status, other.tier) == ("suspended", world.structure["gold"])
    from cascade.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="organization.update")
    assert entry.before["status"] == "active"
    assert entry.after["status"] == "suspended"


def test_the_edit_form_starts_from_the_current_values(world: World) -> None:
    response = world.browser("vendor_admin").get(
        f"/organizations/{world.orgs['reseller'].pk}/edit/"
    )
    initial = response.context["form"].initial
    assert initial["name"] == "Reseller Paris"
    assert initial["parent_id"] == str(world.orgs["dist"].pk)
    assert initial["email_domains"] == "reseller-paris.example"


def test_people_without_the_right_cannot_create_or_edit(staff: World) -> None:
    before = state()
    for name in ("analyst", "partner_admin", "learner"):
        client = staff.browser(name)
        assert client.get("/organizations/new/").status_code == 403
        assert client.post("/organizations/new/", FORM).status_code == 403
    assert (
        staff.browser("partner_admin")
        .post(f"/organizations/{staff.orgs['dist'].pk}/edit/", {**FORM, "name": "Mine"})
        .status_code
        == 403
    )
    assert state() == before


def test_detail_shows_hierarchy_people_and_domains(world: World) -> None:
    # when
    response = world.browser("vendor_admin").get(f"/organizations/{world.orgs['reseller'].pk}/")
    # then
    html = response.content.decode()
    assert [a.name for a in response.context["ancestors"]] == ["Distri Europe"]
    people = response.context["people"]
    assert people.active_count == 1
    assert [m.person.email for m in people.page.items] == ["learner@partner.example"]
    assert "reseller-paris.example" in html
    parent = world.browser("vendor_admin").get(f"/organizations/{world.orgs['dist'].pk}/")
    assert [(c.name, c.active_people) for c in parent.context["children"]] == [
        ("Reseller Paris", 1)
    ]


def test_an_organization_sharing_aggregates_shows_the_count_not_the_people(world: World) -> None:
    # given
    reseller = world.orgs["reseller"]
    PartnerOrganization.objects.filter(pk=reseller.pk).update(
        vendor_data_access=VendorDataAccess.AGGREGATES
    )
    # when
    vendor = world.browser("vendor_admin").get(f"/organizations/{reseller.pk}/")
    partner = world.browser("partner_admin").get(f"/organizations/{reseller.pk}/")
    # then
    assert vendor.context["people"].active_count == 1
    assert vendor.context["people"].individuals_hidden is True
    assert b"learner@partner.example" not in vendor.content
    assert b"shares only aggregate numbers" in vendor.content
    assert b"learner@partner.example" in partner.content


def test_detail_people_query_count_does_not_grow(world: World) -> None:
    reseller = world.orgs["reseller"]
    client = world.browser("vendor_admin")
    client.get(f"/organizations/{reseller.pk}/")
    before = queries(lambda: client.get(f"/organizations/{reseller.pk}/"))
    for number in range(10):
        Membership.objects.create(
            tenant=world.tenant,
            person=PersonFactory(email=f"p{number}@reseller-paris.example"),
            organization=reseller,
        )
    assert queries(lambda: client.get(f"/organizations/{reseller.pk}/")) == before


def test_organizations_outside_ones_view_are_not_found(world: World) -> None:
    assert (
        world.browser("learner").get(f"/organizations/{world.orgs['other'].pk}/").status_code == 404
    )
    assert (
        world.browser("partner_admin").get(f"/organizations/{world.orgs['other'].pk}/").status_code
        == 404
    )
