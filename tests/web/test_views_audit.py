"""The audit log page: program admins only, with what changed before and after."""

from __future__ import annotations

from cascade.tenancy.services import organization_update
from tests.conftest import World
from tests.web.conftest import queries


def test_program_admins_see_changes_with_before_and_after(world: World) -> None:
    # given
    organization_update(
        actor=world.actor("vendor_admin"),
        organization=world.orgs["other"],
        fields={"status": "suspended"},
    )
    # when
    response = world.browser("vendor_admin").get("/audit/")
    # then
    html = response.content.decode()
    entry = response.context["entries"].items[0]
    assert entry.action == "organization.update"
    assert (
        '<li><strong>status</strong>: <del aria-label="before">active</del> → '
        '<ins aria-label="after">suspended</ins></li>' in html
    )
    assert "vendor_admin@vendor.example" in html


def test_filter_by_action(world: World) -> None:
    organization_update(
        actor=world.actor("vendor_admin"),
        organization=world.orgs["other"],
        fields={"country": "DE"},
    )
    client = world.browser("vendor_admin")
    assert [
        e.action for e in client.get("/audit/?action=organization.update").context["entries"].items
    ] == ["organization.update"]
    assert client.get("/audit/?action=tier.create").context["entries"].items == []


def test_other_roles_may_not_read_the_audit_log(staff: World) -> None:
    for name in ("analyst", "partner_admin", "manager", "learner"):
        assert staff.browser(name).get("/audit/").status_code == 403


def test_audit_query_count_does_not_grow_with_rows(world: World) -> None:
    client = world.browser("vendor_admin")
    actor = world.actor("vendor_admin")
    organization_update(actor=actor, organization=world.orgs["other"], fields={"country": "DE"})
    client.get("/audit/")
    before = queries(lambda: client.get("/audit/"))
    for country in ("ES", "IT", "PT", "NL", "BE"):
        organization_update(
            actor=actor, organization=world.orgs["other"], fields={"country": country}
        )
    assert queries(lambda: client.get("/audit/")) == before
