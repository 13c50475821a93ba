"""`field__any_of=[...]` matches exactly what `field__in=[...]` matches, on columns and on
relations, with the whole list as one parameter on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascade.tenancy.models import PartnerOrganization
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_it_matches_what_in_matches(world: World) -> None:
    organizations = PartnerOrganization.unscoped.all()
    ids = sorted(organizations.values_list("pk", flat=True))
    some = [*ids[::2], 10**9]  # an id that exists nowhere is fine
    assert sorted(organizations.filter(pk__any_of=some).values_list("pk", flat=True)) == sorted(
        organizations.filter(pk__in=some).values_list("pk", flat=True)
    )
    tenants = [world.tenant.pk]
    assert set(organizations.filter(tenant__any_of=tenants)) == set(
        organizations.filter(tenant__in=tenants)
    )
    assert set(organizations.exclude(pk__any_of=some)) == set(organizations.exclude(pk__in=some))


def test_an_empty_list_matches_nothing(world: World) -> None:
    assert not PartnerOrganization.unscoped.filter(pk__any_of=[]).exists()
    assert PartnerOrganization.unscoped.exclude(pk__any_of=[]).exists()


def test_postgresql_gets_one_array_parameter(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with CaptureQueriesContext(connection) as captured:
        list(PartnerOrganization.unscoped.filter(pk__any_of=list(range(1, 500))))
    sql = captured.captured_queries[0]["sql"]
    assert "= ANY(" in sql
    assert " IN (" not in sql


def test_only_lists_of_integers_are_accepted(world: World) -> None:
    with pytest.raises(TypeError):
        PartnerOrganization.unscoped.filter(pk__any_of="1,2")
    with pytest.raises(ValueError, match="invalid literal"):
        PartnerOrganization.unscoped.filter(pk__any_of=["one"])
