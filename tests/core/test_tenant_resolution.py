from __future__ import annotations

import pytest

from cascade.tenancy.resolution import tenant_for_host
from tests.conftest import World
from tests.factories import TenantFactory


def test_host_resolves_to_its_tenant(world: World) -> None:
    assert tenant_for_host("a.test") == world.tenant
    assert tenant_for_host("B.TEST:8000") == world.other_tenant


def test_unknown_host_with_several_tenants_resolves_to_nothing(world: World) -> None:
    assert tenant_for_host("unknown.test") is None


@pytest.mark.django_db
def test_single_tenant_install_serves_any_host() -> None:
    only = TenantFactory()
    assert tenant_for_host("127.0.0.1:8000") == only


def test_links_use_the_primary_domain_and_the_public_port(world: World, settings: object) -> None:
    from cascade.tenancy.resolution import tenant_base_url

    assert tenant_base_url(world.tenant) == "http://a.test"
    settings.CASCADE_PUBLIC_PORT = "8000"  # type: ignore[attr-defined]
    assert tenant_base_url(world.tenant) == "http://a.test:8000"
