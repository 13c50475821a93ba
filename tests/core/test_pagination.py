from __future__ import annotations

import base64
import json

import pytest

from cascade.core.errors import ValidationFailed
from cascade.core.pagination import keyset_page
from cascade.tenancy.models import PartnerOrganization
from tests.conftest import World
from tests.factories import OrganizationFactory


def test_keyset_pages_cover_every_row_once_even_with_equal_sort_keys(world: World) -> None:
    for index in range(7):
        OrganizationFactory(tenant=world.tenant, name=f"Same Name {index % 2} {index}")
    seen: list[int] = []
    cursor = None
    while True:
        page = keyset_page(
            PartnerOrganization.objects.all(), ordering=("country", "id"), cursor=cursor, limit=3
        )
        seen.extend(o.pk for o in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(PartnerOrganization.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 10


def test_descending_keyset(world: World) -> None:
    first = keyset_page(PartnerOrganization.objects.all(), ordering=("-id",), cursor=None, limit=2)
    second = keyset_page(
        PartnerOrganization.objects.all(), ordering=("-id",), cursor=first.next_cursor, limit=2
    )
    ids = sorted(PartnerOrganization.objects.values_list("pk", flat=True), reverse=True)
    assert [o.pk for o in first.items + second.items] == ids
    assert second.next_cursor is None


@pytest.mark.parametrize("cursor", ["!!!", "WzFd", "bm90IGpzb24"])
def test_bad_cursor_is_a_validation_error(world: World, cursor: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        keyset_page(
            PartnerOrganization.objects.all(), ordering=("name", "id"), cursor=cursor, limit=2
        )
    assert error.value.code == "invalid_cursor"


@pytest.mark.parametrize("values", [["not a date", 3], [{"x": 1}, 3], ["2026-01-01", "abc"]])
def test_a_cursor_with_values_of_the_wrong_type_is_refused(
    world: World, values: list[object]
) -> None:
    # given: a well-formed cursor we never made
    raw = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    # then
    with pytest.raises(ValidationFailed) as error:
        keyset_page(
            PartnerOrganization.objects.all(), ordering=("-joined_on", "-pk"), cursor=raw, limit=2
        )
    assert error.value.code == "invalid_cursor"
