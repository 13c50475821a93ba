from __future__ import annotations

import pytest

from cascade.audit.models import AuditEntry
from cascade.catalog.selectors import viewer_for
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from cascade.events.models import OutboxEvent
from cascade.tenancy.models import PartnerOrganization
from cascade.tenancy.services import organization_create, organization_delete, organization_update
from tests.conftest import World


def test_organization_create_derives_path_and_records_audit_and_event(world: World) -> None:
    # given
    admin = world.actor("vendor_admin")
    # when
    created = organization_create(
        actor=admin,
        fields={
            "name": "Reseller Lyon",
            "business_model": "reseller",
            "parent_id": world.orgs["dist"].pk,
            "email_domains": ["Lyon.Example"],
            "specialization_ids": [world.structure["security"].pk],
        },
    )
    # then
    assert created.path == f"/{world.orgs['dist'].pk}/{created.pk}/"
    assert created.depth == 1
    assert list(created.email_domains.values_list("domain", flat=True)) == ["lyon.example"]
    entry = AuditEntry.objects.get(action="organization.create")
    assert entry.target_id == str(created.pk)
    assert entry.after["name"] == "Reseller Lyon"
    assert OutboxEvent.objects.filter(name="organization.created").count() == 1


def test_organization_update_refuses_a_cycle_and_changes_nothing(world: World) -> None:
    dist = world.orgs["dist"]
    with pytest.raises(ValidationFailed) as error:
        organization_update(
            actor=world.actor("vendor_admin"),
            organization=dist,
            fields={"parent_id": world.orgs["reseller"].pk},
        )
    assert error.value.code == "hierarchy_cycle"
    dist.refresh_from_db()
    assert dist.parent_id is None
    assert not AuditEntry.objects.filter(action="organization.update").exists()


def test_organization_update_moves_the_whole_subtree(world: World) -> None:
    # given: dist > reseller; move dist below other
    admin = world.actor("vendor_admin")
    # when
    organization_update(
        actor=admin, organization=world.orgs["dist"], fields={"parent_id": world.orgs["other"].pk}
    )
    # then
    reseller = PartnerOrganization.objects.get(pk=world.orgs["reseller"].pk)
    other, dist = world.orgs["other"], world.orgs["dist"]
    assert reseller.path == f"/{other.pk}/{dist.pk}/{reseller.pk}/"
    assert reseller.depth == 2


def test_organization_create_rejects_duplicate_name_case_insensitively(world: World) -> None:
    with pytest.raises(Conflict) as error:
        organization_create(
            actor=world.actor("vendor_admin"),
            fields={"name": "distri europe", "business_model": "reseller"},
        )
    assert error.value.code == "duplicate_name"
    assert PartnerOrganization.objects.count() == 3


def test_partner_admin_may_change_only_sharing_settings_of_own_organization(world: World) -> None:
    admin = world.actor("partner_admin")
    updated = organization_update(
        actor=admin, organization=world.orgs["dist"], fields={"vendor_data_access": "aggregates"}
    )
    assert updated.vendor_data_access == "aggregates"
    with pytest.raises(PermissionDenied):
        organization_update(actor=admin, organization=world.orgs["dist"], fields={"name": "Mine"})
    with pytest.raises(PermissionDenied):
        organization_update(
            actor=admin,
            organization=world.orgs["reseller"],
            fields={"vendor_data_access": "aggregates"},
        )


def test_organization_delete_refuses_when_people_belonged(world: World) -> None:
    with pytest.raises(Conflict) as error:
        organization_delete(actor=world.actor("vendor_admin"), organization=world.orgs["other"])
    assert error.value.code == "has_history"
    assert PartnerOrganization.objects.filter(pk=world.orgs["other"].pk).exists()


def test_email_domain_cannot_belong_to_two_organizations(world: World) -> None:
    with pytest.raises(Conflict) as error:
        organization_update(
            actor=world.actor("vendor_admin"),
            organization=world.orgs["other"],
            fields={"email_domains": ["reseller-paris.example"]},
        )
    assert error.value.code == "domain_taken"


@pytest.mark.django_db
def test_tenant_create_refuses_duplicates_and_unknown_locales() -> None:
    from cascade.tenancy.models import Tenant
    from cascade.tenancy.services import tenant_create

    tenant = tenant_create(
        name="Acme", slug="acme", domains=["Partners.Acme.Example"], supported_locales=["fr"]
    )
    assert tenant.supported_locales == ["en", "fr"]
    assert list(tenant.domains.values_list("domain", flat=True)) == ["partners.acme.example"]
    with pytest.raises(Conflict) as duplicate:
        tenant_create(name="Acme again", slug="acme")
    assert duplicate.value.code == "duplicate_slug"
    with pytest.raises(ValidationFailed) as locale:
        tenant_create(name="Other", slug="other", supported_locales=["xx"])
    assert locale.value.code == "invalid_locale"
    assert Tenant.objects.count() == 1


def test_a_new_specialization_counts_for_audiences_at_once(world: World) -> None:
    # Who a person is for audience rules caches their organization's specializations.
    security = world.structure["security"]
    before = viewer_for(world.actor("learner"))
    assert before is not None
    assert security.pk not in before.specialization_ids
    organization_update(
        actor=world.actor("vendor_admin"),
        organization=world.memberships["learner"].organization,
        fields={"specialization_ids": [security.pk]},
    )
    after = viewer_for(world.actor("learner"))
    assert after is not None
    assert security.pk in after.specialization_ids
