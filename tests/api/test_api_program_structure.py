"""Program-structure endpoints: organizations, tiers, regions, specializations."""

from __future__ import annotations

from typing import Any

from cascade.audit.models import AuditEntry
from cascade.events.models import OutboxEvent
from cascade.tenancy.models import PartnerOrganization, Region, Specialization, Tier
from tests.api.conftest import iso, send
from tests.conftest import World
from tests.factories import OrganizationFactory


def _organization(world: World, name: str) -> dict[str, Any]:
    """The list representation of one of the world's organizations, from the database."""
    organization = PartnerOrganization.objects.get(name=name)
    tier, region, parent = organization.tier, organization.region, organization.parent
    return {
        "id": organization.pk,
        "name": name,
        "parent": {"id": parent.pk, "name": parent.name} if parent else None,
        "depth": organization.depth,
        "tier": {"id": tier.pk, "name": tier.name, "rank": tier.rank} if tier else None,
        "business_model": organization.business_model,
        "region": {"id": region.pk, "name": region.name, "code": region.code} if region else None,
        "country": "FR",
        "specializations": [],
        "status": "active",
        "joined_on": None,
        "vendor_data_access": "individuals",
        "allow_parent_assignment": False,
        "email_domains": list(organization.email_domains.values_list("domain", flat=True)),
        "created_at": iso(organization.created_at),
        "updated_at": iso(organization.updated_at),
    }


def test_list_organizations_gives_every_organization_by_name_to_a_program_admin(
    world: World,
) -> None:
    # when
    response = world.api("vendor_admin").get("/organizations")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            _organization(world, "Distri Europe"),
            _organization(world, "Other Partner"),
            _organization(world, "Reseller Paris"),
        ],
        "next_cursor": None,
    }
    reseller = response.json()["items"][2]
    assert reseller["parent"] == {"id": world.orgs["dist"].pk, "name": "Distri Europe"}
    assert reseller["tier"] == {"id": world.structure["silver"].pk, "name": "Silver", "rank": 2}
    assert reseller["email_domains"] == ["reseller-paris.example"]
    assert reseller["depth"] == 1


def test_list_organizations_shows_a_partner_admin_their_subtree_only(world: World) -> None:
    # when
    response = world.api("partner_admin").get("/organizations")
    # then
    assert [o["name"] for o in response.json()["items"]] == ["Distri Europe", "Reseller Paris"]


def test_list_organizations_pages_with_a_cursor(world: World) -> None:
    # given
    client = world.api("vendor_admin")
    # when
    first = client.get("/organizations", limit=2).json()
    second = client.get("/organizations", limit=2, cursor=first["next_cursor"]).json()
    # then
    assert [o["name"] for o in first["items"]] == ["Distri Europe", "Other Partner"]
    assert isinstance(first["next_cursor"], str)
    assert [o["name"] for o in second["items"]] == ["Reseller Paris"]
    assert second["next_cursor"] is None


def test_list_organizations_filters(world: World) -> None:
    # given
    client = world.api("vendor_admin")

    def names(**params: Any) -> list[str]:
        return [o["name"] for o in client.get("/organizations", **params).json()["items"]]

    # then
    assert names(q="reseller-paris.example") == ["Reseller Paris"]
    assert names(q="partner") == ["Other Partner"]
    assert names(tier_id=world.structure["silver"].pk) == ["Other Partner", "Reseller Paris"]
    assert names(region_id=world.structure["emea"].pk) == ["Distri Europe", "Reseller Paris"]
    assert names(business_model="distributor") == ["Distri Europe"]
    assert names(parent_id=world.orgs["dist"].pk) == ["Reseller Paris"]
    assert names(root_only="true") == ["Distri Europe", "Other Partner"]
    assert names(status="prospect") == []
    assert names(country="fr") == ["Distri Europe", "Other Partner", "Reseller Paris"]


def test_create_organization_derives_the_hierarchy_and_records_audit_and_event(
    world: World,
) -> None:
    # given
    dist, silver = world.orgs["dist"], world.structure["silver"]
    security = world.structure["security"]
    body = {
        "name": "Reseller Lyon",
        "business_model": "reseller",
        "parent_id": dist.pk,
        "tier_id": silver.pk,
        "country": "fr",
        "specialization_ids": [security.pk],
        "email_domains": ["Lyon.Example"],
        "joined_on": "2025-03-01",
    }
    # when
    response = world.api("vendor_admin").post("/organizations", body)
    # then
    assert response.status_code == 201
    created = PartnerOrganization.objects.get(name="Reseller Lyon")
    assert response.json() == {
        "id": created.pk,
        "name": "Reseller Lyon",
        "parent": {"id": dist.pk, "name": "Distri Europe"},
        "depth": 1,
        "tier": {"id": silver.pk, "name": "Silver", "rank": 2},
        "business_model": "reseller",
        "region": None,
        "country": "FR",
        "specializations": [{"id": security.pk, "name": "Security", "code": "security"}],
        "status": "prospect",
        "joined_on": "2025-03-01",
        "vendor_data_access": "individuals",
        "allow_parent_assignment": False,
        "email_domains": ["lyon.example"],
        "created_at": iso(created.created_at),
        "updated_at": iso(created.updated_at),
    }
    assert created.path == f"/{dist.pk}/{created.pk}/"
    entry = AuditEntry.objects.get(action="organization.create")
    assert (entry.actor_id, entry.target_id) == (world.people["vendor_admin"].pk, str(created.pk))
    assert list(OutboxEvent.objects.values_list("name", "payload")) == [
        ("organization.created", {"organization_id": created.pk})
    ]


def test_get_organization_gives_ancestors_children_and_head_count(world: World) -> None:
    # given
    dist, reseller = world.orgs["dist"], world.orgs["reseller"]
    # when
    at_top = world.api("vendor_admin").get(f"/organizations/{dist.pk}").json()
    below = world.api("vendor_admin").get(f"/organizations/{reseller.pk}").json()
    # then
    assert at_top == {
        **_organization(world, "Distri Europe"),
        "ancestors": [],
        "children": [{"id": reseller.pk, "name": "Reseller Paris"}],
        "active_people": 2,
    }
    assert below["ancestors"] == [{"id": dist.pk, "name": "Distri Europe"}]
    assert below["children"] == []
    assert below["active_people"] == 1


def test_update_organization_changes_only_what_is_sent(world: World) -> None:
    # given
    reseller, gold = world.orgs["reseller"], world.structure["gold"]
    # when
    response = world.api("vendor_admin").patch(
        f"/organizations/{reseller.pk}", {"name": "Reseller Paris Nord", "tier_id": gold.pk}
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Reseller Paris Nord"
    assert body["tier"] == {"id": gold.pk, "name": "Gold", "rank": 3}
    assert body["region"] == {"id": world.structure["emea"].pk, "name": "EMEA", "code": "EMEA"}
    assert body["email_domains"] == ["reseller-paris.example"]
    assert body["ancestors"] == [{"id": world.orgs["dist"].pk, "name": "Distri Europe"}]
    entry = AuditEntry.objects.get(action="organization.update")
    assert entry.before == {"name": "Reseller Paris", "tier": world.structure["silver"].pk}
    assert entry.after == {"name": "Reseller Paris Nord", "tier": gold.pk}
    assert OutboxEvent.objects.get().name == "tier.changed"


def test_update_organization_moves_the_subtree(world: World) -> None:
    # given
    dist, other, reseller = world.orgs["dist"], world.orgs["other"], world.orgs["reseller"]
    # when
    response = world.api("vendor_admin").patch(f"/organizations/{dist.pk}", {"parent_id": other.pk})
    # then
    assert response.status_code == 200
    assert response.json()["depth"] == 1
    assert response.json()["parent"] == {"id": other.pk, "name": "Other Partner"}
    reseller.refresh_from_db()
    assert (reseller.path, reseller.depth) == (f"/{other.pk}/{dist.pk}/{reseller.pk}/", 2)


def test_partner_admin_changes_their_sharing_settings(world: World) -> None:
    # when
    response = world.api("partner_admin").patch(
        f"/organizations/{world.orgs['dist'].pk}",
        {"vendor_data_access": "aggregates", "allow_parent_assignment": True},
    )
    # then
    assert response.status_code == 200
    assert response.json()["vendor_data_access"] == "aggregates"
    assert response.json()["allow_parent_assignment"] is True


def test_delete_organization_without_history(world: World) -> None:
    # given
    empty = OrganizationFactory(tenant=world.tenant, name="Never Used")
    # when
    response = world.api("vendor_admin").delete(f"/organizations/{empty.pk}")
    # then
    assert response.status_code == 204
    assert response.content == b""
    assert not PartnerOrganization.objects.filter(pk=empty.pk).exists()
    assert AuditEntry.objects.get().action == "organization.delete"


def test_tiers_list_create_update_delete(world: World) -> None:
    # given
    client = world.api("vendor_admin")
    gold, silver = world.structure["gold"], world.structure["silver"]
    # when
    listed = client.get("/tiers")
    created = client.post("/tiers", {"name": " Platinum ", "rank": 4, "description": "Best"})
    tier = Tier.objects.get(name="Platinum")
    updated = client.patch(f"/tiers/{gold.pk}", {"description": "Committed partners"})
    deleted = client.delete(f"/tiers/{tier.pk}")
    # then
    assert listed.json() == [
        {"id": silver.pk, "name": "Silver", "rank": 2, "description": ""},
        {"id": gold.pk, "name": "Gold", "rank": 3, "description": ""},
    ]
    assert created.status_code == 201
    assert created.json() == {"id": tier.pk, "name": "Platinum", "rank": 4, "description": "Best"}
    assert updated.json() == {
        "id": gold.pk,
        "name": "Gold",
        "rank": 3,
        "description": "Committed partners",
    }
    assert deleted.status_code == 204
    assert list(Tier.objects.values_list("name", flat=True)) == ["Silver", "Gold"]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "tier.create",
        "tier.update",
        "tier.delete",
    ]


def test_regions_list_create_update_delete(world: World) -> None:
    # given
    client = world.api("vendor_admin")
    emea = world.structure["emea"]
    # when
    listed = client.get("/regions")
    created = client.post("/regions", {"name": "APAC", "code": "APAC", "countries": ["jp", "AU"]})
    region = Region.objects.get(code="APAC")
    updated = client.patch(f"/regions/{emea.pk}", {"name": "Europe", "countries": ["FR"]})
    deleted = client.delete(f"/regions/{region.pk}")
    # then
    assert listed.json() == [
        {"id": emea.pk, "name": "EMEA", "code": "EMEA", "countries": ["FR", "DE"]}
    ]
    assert created.status_code == 201
    assert created.json() == {
        "id": region.pk,
        "name": "APAC",
        "code": "APAC",
        "countries": ["AU", "JP"],
    }
    assert updated.json() == {"id": emea.pk, "name": "Europe", "code": "EMEA", "countries": ["FR"]}
    assert deleted.status_code == 204
    assert list(Region.objects.values_list("name", flat=True)) == ["Europe"]


def test_specializations_list_create_update_delete(world: World) -> None:
    # given
    client = world.api("vendor_admin")
    security = world.structure["security"]
    # when
    listed = client.get("/specializations")
    created = client.post("/specializations", {"name": "Cloud", "code": "cloud"})
    cloud = Specialization.objects.get(code="cloud")
    updated = send(client, "PATCH", f"/specializations/{security.pk}", {"description": "Firewalls"})
    deleted = client.delete(f"/specializations/{cloud.pk}")
    # then
    assert listed.json() == [
        {"id": security.pk, "name": "Security", "code": "security", "description": ""}
    ]
    assert created.status_code == 201
    assert created.json() == {"id": cloud.pk, "name": "Cloud", "code": "cloud", "description": ""}
    assert updated.json() == {
        "id": security.pk,
        "name": "Security",
        "code": "security",
        "description": "Firewalls",
    }
    assert deleted.status_code == 204
    assert list(Specialization.objects.values_list("code", flat=True)) == ["security"]
