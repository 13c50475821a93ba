"""Program settings: program admins rename the program and set its brand and languages."""

from __future__ import annotations

from typing import Any

import pytest

from cascade.audit.models import AuditEntry
from cascade.tenancy.models import Tenant
from tests.conftest import World

URL = "/program/settings/"
VALID = {
    "name": "Northwind Partner Network",
    "logo_url": "https://cdn.northwind.example/logo.png",
    "primary_colour": "#aa3300",
    "accent_colour": "#005f73",
    "default_locale": "fr",
    "supported_locales": ["en", "fr"],
}


def _tenant(world: World) -> Tenant:
    return Tenant.objects.get(pk=world.tenant.pk)


def test_program_admin_changes_name_brand_and_languages(world: World, commit: Any) -> None:
    client = world.browser("vendor_admin")
    # when
    with commit():
        response = client.post(URL, VALID)
    # then
    assert response.status_code == 302
    tenant = _tenant(world)
    assert (tenant.name, tenant.primary_colour, tenant.default_locale) == (
        "Northwind Partner Network",
        "#aa3300",
        "fr",
    )
    assert tenant.supported_locales == ["en", "fr"]
    entry = AuditEntry.objects.get(action="tenant.update")
    assert entry.before["name"] == "Northwind Networks"
    assert entry.after["name"] == "Northwind Partner Network"
    # the very next page is themed with the new brand (the cached tenant was dropped)
    page = client.get("/")
    assert b"Northwind Partner Network" in page.content
    assert b"--brand:#aa3300" in page.content
    assert b'src="https://cdn.northwind.example/logo.png"' in page.content


def test_default_language_joins_the_supported_ones(world: World) -> None:
    world.browser("vendor_admin").post(URL, {**VALID, "supported_locales": ["en", "de"]})
    assert _tenant(world).supported_locales == ["fr", "en", "de"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("primary_colour", "red"), ("logo_url", "not a url"), ("name", ""), ("default_locale", "xx")],
)
def test_bad_input_is_shown_and_nothing_changes(world: World, field: str, value: str) -> None:
    response = world.browser("vendor_admin").post(URL, {**VALID, field: value})
    assert response.status_code == 200
    assert len(response.context["form"].errors[field]) == 1
    assert _tenant(world).name == "Northwind Networks"
    assert not AuditEntry.objects.filter(action="tenant.update").exists()


@pytest.mark.parametrize(("name", "status"), [("partner_admin", 404), ("learner", 404)])
def test_partner_people_do_not_find_the_page(world: World, name: str, status: int) -> None:
    assert world.browser(name).post(URL, VALID).status_code == status
    assert _tenant(world).name == "Northwind Networks"


def test_other_vendor_staff_may_not_change_settings(staff: World) -> None:
    assert staff.browser("analyst").get(URL).status_code == 403
    assert staff.browser("analyst").post(URL, VALID).status_code == 403
    assert _tenant(staff).name == "Northwind Networks"


def test_another_tenants_admin_changes_only_their_own_program(world: World) -> None:
    world.browser("b_admin").post(URL, {**VALID, "name": "Contoso Partner Hub"})
    assert _tenant(world).name == "Northwind Networks"
    assert Tenant.objects.get(pk=world.other_tenant.pk).name == "Contoso Partner Hub"
