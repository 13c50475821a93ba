"""Items tagged with product versions; legacy versions point to their successor."""

from __future__ import annotations

from typing import Any

import pytest

from cascade.catalog.item_models import CatalogItem, CatalogTeam, ProductVersion
from cascade.catalog.items import (
    current_version,
    item_create,
    item_product_versions_set,
    product_version_create,
    product_version_supersede,
)
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.conftest import World, make_member


@pytest.fixture
def author(world: World) -> Any:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    return world.actor("author")


def test_versions_side_by_side_with_the_old_one_pointing_to_the_new(author: Any) -> None:
    old = product_version_create(actor=author, product_line_name="X series", name="7.2")
    new = product_version_create(actor=author, product_line_name="X series", name="8.0")
    newest = product_version_create(actor=author, product_line_name="X series", name="8.1")
    product_version_supersede(actor=author, version=old, by=new)
    product_version_supersede(actor=author, version=new, by=newest)
    assert ProductVersion.objects.get(pk=old.pk).is_legacy is True
    assert newest.is_legacy is False
    assert current_version(ProductVersion.objects.get(pk=old.pk)) == newest


def test_succession_stays_in_one_line_and_never_loops(author: Any) -> None:
    first = product_version_create(actor=author, product_line_name="X series", name="1")
    second = product_version_create(actor=author, product_line_name="X series", name="2")
    other = product_version_create(actor=author, product_line_name="Y series", name="1")
    with pytest.raises(ValidationFailed) as wrong_line:
        product_version_supersede(actor=author, version=first, by=other)
    assert wrong_line.value.code == "invalid_successor"
    product_version_supersede(actor=author, version=first, by=second)
    with pytest.raises(ValidationFailed) as loop:
        product_version_supersede(actor=author, version=second, by=first)
    assert loop.value.code == "succession_cycle"


def test_duplicate_version_is_a_conflict(author: Any) -> None:
    product_version_create(actor=author, product_line_name="X series", name="8.0")
    with pytest.raises(Conflict) as error:
        product_version_create(actor=author, product_line_name="X series", name="8.0")
    assert error.value.code == "duplicate_version"
    assert ProductVersion.objects.count() == 1


def test_items_are_found_by_version(world: World, author: Any) -> None:
    team = CatalogTeam.objects.create(tenant=world.tenant, name="Product")
    v8 = product_version_create(actor=author, product_line_name="X series", name="8.0")
    v7 = product_version_create(actor=author, product_line_name="X series", name="7.2")
    item = item_create(actor=author, kind="lesson", owner_team=team, title="Upgrading to 8.0")
    item_product_versions_set(actor=author, item=item, versions=[v7, v8])
    assert list(CatalogItem.objects.filter(product_versions=v8)) == [item]
    assert list(v7.items.all()) == [item]


def test_partners_do_not_manage_versions(world: World) -> None:
    with pytest.raises(PermissionDenied):
        product_version_create(actor=world.actor("partner_admin"), product_line_name="X", name="1")
    assert ProductVersion.objects.count() == 0
