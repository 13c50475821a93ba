"""The parent organization picker of the organization form: a search box and a short radio list
instead of a dropdown of every organization, with an htmx endpoint and a no-JavaScript reload."""

from __future__ import annotations

from typing import Any

from cascade.tenancy.models import PartnerOrganization
from tests.conftest import World
from tests.factories import OrganizationFactory
from tests.web.conftest import queries, state
from tests.web.test_views_organizations import FORM

OPTIONS = "/organizations/parent-options/"
HTMX = {"HX-Request": "true"}


def _matches(response: Any) -> list[str]:
    return [o.name for o in response.context["picker"].matches]


def _many(world: World, count: int, prefix: str = "Zeta") -> None:
    for number in range(count):
        OrganizationFactory(tenant=world.tenant, name=f"{prefix} {number:02d}")


def test_the_form_no_longer_lists_every_organization(world: World) -> None:
    # when
    html = world.browser("vendor_admin").get("/organizations/new/").content.decode()
    # then: only "None" is offered until one searches
    assert "Other Partner" not in html
    assert "Reseller Paris" not in html
    assert (
        '<input type="radio" name="parent_id" value="" id="id_parent_id" checked> '
        "<span>None: a top-level partner</span>" in html
    )
    assert (
        '<input type="search" id="id_parent_q" name="parent_q" value="" form="parent-search"'
        in (html)
    )
    assert '<form id="parent-search" method="get" action="/organizations/new/"' in html


def test_the_form_query_count_does_not_grow_with_organizations(world: World) -> None:
    client = world.browser("vendor_admin")
    client.get("/organizations/new/")
    before = queries(lambda: client.get("/organizations/new/"))
    _many(world, 30)
    assert queries(lambda: client.get("/organizations/new/")) == before


def test_the_endpoint_answers_matching_organizations_as_radio_options(world: World) -> None:
    # when
    response = world.browser("vendor_admin").get(OPTIONS, {"parent_q": "par"}, headers=HTMX)
    # then
    html = response.content.decode()
    reseller = world.orgs["reseller"]
    assert _matches(response) == ["Other Partner", "Reseller Paris"]
    assert "<html" not in html
    assert (
        f'<input type="radio" name="parent_id" value="{reseller.pk}" id="id_parent_id_'
        f'{reseller.pk}"> <span>Reseller Paris <span class="muted">below Distri Europe</span>'
        in html
    )
    assert (
        '<p id="parent-options-status" hx-swap-oob="innerHTML">2 organizations match “par”.</p>'
        in html
    )


def test_an_exact_email_domain_finds_its_organization(world: World) -> None:
    response = world.browser("vendor_admin").get(OPTIONS, {"parent_q": "reseller-paris.example"})
    assert _matches(response) == ["Reseller Paris"]


def test_at_most_twenty_are_offered_and_the_status_says_there_are_more(world: World) -> None:
    # given
    _many(world, 25)
    # when
    response = world.browser("vendor_admin").get(OPTIONS, {"parent_q": "zeta"}, headers=HTMX)
    # then
    assert _matches(response) == [f"Zeta {n:02d}" for n in range(20)]
    assert response.context["picker"].more is True
    assert (
        "More than 20 organizations match “zeta”; the first 20 are shown. "
        "Type more of the name to narrow the list." in response.content.decode()
    )


def test_no_match_is_said_plainly(world: World) -> None:
    response = world.browser("vendor_admin").get(OPTIONS, {"parent_q": "nothing like it"})
    assert _matches(response) == []
    assert "No organization matches “nothing like it”." in response.content.decode()


def test_the_chosen_parent_stays_chosen_and_is_not_offered_twice(world: World) -> None:
    # given
    _many(world, 3, prefix="Distri Zeta")
    dist = world.orgs["dist"]
    # when
    response = world.browser("vendor_admin").get(
        OPTIONS, {"parent_q": "distri", "parent_id": str(dist.pk)}, headers=HTMX
    )
    # then
    html = response.content.decode()
    assert response.context["picker"].selected == dist
    assert _matches(response) == ["Distri Zeta 00", "Distri Zeta 01", "Distri Zeta 02"]
    assert html.count(f'value="{dist.pk}"') == 1
    assert f'value="{dist.pk}" id="id_parent_id" checked>' in html
    assert 'value="" id="id_parent_id_none">' in html


def test_the_endpoint_query_count_does_not_grow_with_matches(world: World) -> None:
    # given
    client = world.browser("vendor_admin")
    dist = str(world.orgs["dist"].pk)

    def search() -> Any:
        return client.get(OPTIONS, {"parent_q": "zeta", "parent_id": dist}, headers=HTMX)

    _many(world, 2)
    search()
    few = queries(search)
    # when
    _many(world, 40, prefix="More Zeta")
    # then
    assert queries(search) == few
    assert len(_matches(search())) == 20


def test_the_endpoint_is_for_those_who_create_or_edit_organizations(staff: World) -> None:
    answers = {
        name: staff.browser(name).get(OPTIONS, {"parent_q": "par"}).status_code
        for name in ("analyst", "partner_admin", "manager", "learner")
    }
    assert answers == {"analyst": 403, "partner_admin": 403, "manager": 403, "learner": 403}


def test_the_endpoint_only_reads(world: World) -> None:
    response = world.browser("vendor_admin").post(OPTIONS, {"parent_q": "par"})
    assert response.status_code == 405


def test_without_javascript_the_search_reloads_the_form_with_matches(world: World) -> None:
    # when: the search form is a plain GET of the same page
    response = world.browser("vendor_admin").get("/organizations/new/", {"parent_q": "Paris"})
    # then
    html = response.content.decode()
    reseller = world.orgs["reseller"]
    assert '<p id="parent-options-status" class="picker-status" role="status">1 organization ' in (
        html
    )
    assert f'<input type="radio" name="parent_id" value="{reseller.pk}"' in html
    assert 'name="parent_q" value="Paris"' in html


def test_the_edit_form_starts_with_the_current_parent_chosen(world: World) -> None:
    reseller = world.orgs["reseller"]
    dist = world.orgs["dist"]
    html = world.browser("vendor_admin").get(f"/organizations/{reseller.pk}/edit/").content
    assert (
        f'<input type="radio" name="parent_id" value="{dist.pk}" id="id_parent_id" checked> '
        "<span>Distri Europe</span>" in html.decode()
    )


def test_choosing_a_parent_from_the_picker_moves_the_organization(world: World) -> None:
    # given
    other = world.orgs["other"]
    dist = world.orgs["dist"]
    # when
    response = world.browser("vendor_admin").post(
        f"/organizations/{other.pk}/edit/",
        {**FORM, "name": "Other Partner", "email_domains": "", "parent_id": str(dist.pk)},
    )
    # then
    assert response["Location"] == f"/organizations/{other.pk}/"
    other.refresh_from_db()
    assert (other.parent, other.path) == (dist, f"{dist.path}{other.pk}/")


def test_a_refused_cycle_keeps_the_chosen_parent_on_the_form(world: World) -> None:
    # given
    dist = world.orgs["dist"]
    reseller = world.orgs["reseller"]
    before = state()
    # when
    response = world.browser("vendor_admin").post(
        f"/organizations/{dist.pk}/edit/",
        {
            **FORM,
            "name": "Distri Europe",
            "business_model": "distributor",
            "email_domains": "",
            "parent_id": str(reseller.pk),
        },
    )
    # then
    html = response.content.decode()
    assert response.context["form"].errors == {
        "parent_id": ["An organization cannot sit below itself or one of its own children."]
    }
    assert f'value="{reseller.pk}" id="id_parent_id" checked>' in html
    assert '<a href="#id_parent_id">Parent organization</a>' in html
    assert state() == before


def test_a_parent_that_is_not_a_number_is_a_form_error(world: World) -> None:
    before = state()
    response = world.browser("vendor_admin").post(
        "/organizations/new/", {**FORM, "parent_id": "Distri Europe"}
    )
    assert response.context["form"].errors == {
        "parent_id": ["Choose the parent organization from the list."]
    }
    assert state() == before


def test_a_parent_of_another_tenant_is_unknown(world: World) -> None:
    before = state()
    response = world.browser("vendor_admin").post(
        "/organizations/new/", {**FORM, "parent_id": str(world.orgs["b_org"].pk)}
    )
    assert response.context["form"].errors == {
        "parent_id": [f"No such partner organization: {world.orgs['b_org'].pk}."]
    }
    assert not PartnerOrganization.objects.filter(name="Nordic Systems").exists()
    assert state() == before
