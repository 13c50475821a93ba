"""A partner admin's own organization settings: what the vendor sees of its people, and whether
the parent organization's managers may assign them learning."""

from __future__ import annotations

from cascade.audit.models import AuditEntry
from cascade.tenancy.models import PartnerOrganization, VendorDataAccess
from tests.conftest import World, make_member
from tests.web.conftest import state


def test_partner_admin_sees_the_choices_explained(world: World) -> None:
    # when
    response = world.browser("partner_admin").get("/partner/settings/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].initial == {
        "vendor_data_access": "individuals",
        "allow_parent_assignment": False,
    }
    assert "<h1>Organization settings</h1>" in html
    assert "The vendor&#x27;s team sees only numbers for your organization as a whole." in html
    assert "<li>who your people are: no names, e-mail addresses or roles</li>" in html
    assert 'aria-describedby="id_vendor_data_access_1_details"' in html
    assert "Distri Europe has no parent organization today, so this changes nothing now" in html


def test_an_admin_below_a_parent_sees_the_parent_named(world: World) -> None:
    # given
    make_member(world, "reseller_admin", world.tenant, world.orgs["reseller"], ["partner_admin"])
    # when
    html = world.browser("reseller_admin").get("/partner/settings/").content.decode()
    # then
    assert "Managers of Distri Europe may assign learning to our people" in html
    assert "your own admins and managers, and those of Distri Europe, see your people" in html


def test_partner_admin_changes_the_settings_and_the_change_is_audited(world: World) -> None:
    # given
    dist = world.orgs["dist"]
    # when
    response = world.browser("partner_admin").post(
        "/partner/settings/",
        {"vendor_data_access": "aggregates", "allow_parent_assignment": "on"},
        follow=True,
    )
    # then
    assert response.redirect_chain == [("/partner/settings/", 302)]
    assert (
        "Your settings are saved. The vendor now sees only aggregate numbers about your people."
        in response.content.decode()
    )
    dist.refresh_from_db()
    assert (dist.vendor_data_access, dist.allow_parent_assignment) == ("aggregates", True)
    entry = AuditEntry.objects.get(action="organization.update")
    assert (entry.before["vendor_data_access"], entry.after["vendor_data_access"]) == (
        "individuals",
        "aggregates",
    )
    assert entry.actor_label == "partner_admin@partner.example"


def test_unticking_parent_assignment_turns_it_off(world: World) -> None:
    # given
    dist = world.orgs["dist"]
    PartnerOrganization.objects.filter(pk=dist.pk).update(allow_parent_assignment=True)
    # when
    world.browser("partner_admin").post("/partner/settings/", {"vendor_data_access": "individuals"})
    # then
    dist.refresh_from_db()
    assert (dist.vendor_data_access, dist.allow_parent_assignment) == ("individuals", False)


def test_the_vendor_then_sees_the_count_but_not_the_people(world: World) -> None:
    # given
    dist = world.orgs["dist"]
    world.browser("partner_admin").post("/partner/settings/", {"vendor_data_access": "aggregates"})
    # when
    response = world.browser("vendor_admin").get(f"/organizations/{dist.pk}/")
    # then
    assert response.context["people"].active_count == 2
    assert response.context["people"].individuals_hidden is True
    assert b"partner_admin@partner.example" not in response.content


def test_only_the_two_settings_reach_the_service(world: World) -> None:
    # given
    dist = world.orgs["dist"]
    # when: other organization fields are posted along
    world.browser("partner_admin").post(
        "/partner/settings/",
        {
            "vendor_data_access": "aggregates",
            "name": "Taken over",
            "status": "terminated",
            "tier_id": str(world.structure["silver"].pk),
            "parent_id": str(world.orgs["other"].pk),
        },
    )
    # then
    dist.refresh_from_db()
    assert (dist.name, dist.status, dist.tier, dist.parent, dist.vendor_data_access) == (
        "Distri Europe",
        "active",
        world.structure["gold"],
        None,
        VendorDataAccess.AGGREGATES,
    )


def test_an_unknown_choice_is_shown_as_an_error_and_nothing_changes(world: World) -> None:
    # given
    before = state()
    # when
    response = world.browser("partner_admin").post(
        "/partner/settings/", {"vendor_data_access": "everything"}
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "vendor_data_access": [
            "Select a valid choice. everything is not one of the available choices."
        ]
    }
    assert state() == before


def test_managers_learners_and_vendor_staff_cannot_use_the_page(world: World) -> None:
    # given
    before = state()
    answers = {}
    # when
    for name in ("manager", "learner", "vendor_admin"):
        client = world.browser(name)
        answers[name] = (
            client.get("/partner/settings/").status_code,
            client.post(
                "/partner/settings/",
                {"vendor_data_access": "aggregates", "allow_parent_assignment": "on"},
            ).status_code,
        )
    # then
    assert answers == {"manager": (403, 403), "learner": (403, 403), "vendor_admin": (404, 404)}
    assert state() == before


def test_a_partner_admin_of_another_tenant_changes_nothing_here(world: World) -> None:
    # given
    make_member(
        world, "b_partner_admin", world.other_tenant, world.orgs["b_org"], ["partner_admin"]
    )
    client = world.browser("b_partner_admin")
    client.defaults["HTTP_HOST"] = world.host
    before = state()
    # when
    response = client.post("/partner/settings/", {"vendor_data_access": "aggregates"})
    # then
    assert response.status_code == 403
    assert state() == before


def test_home_and_navigation_lead_admins_to_the_settings(world: World) -> None:
    admin_home = world.browser("partner_admin").get("/").content.decode()
    manager_home = world.browser("manager").get("/").content.decode()
    link = '<a class="button button--secondary" href="/partner/settings/">Organization settings</a>'
    assert link in admin_home
    assert '<li><a href="/partner/settings/">Organization settings</a></li>' in admin_home
    assert "/partner/settings/" not in manager_home


def test_the_detail_page_offers_the_settings_on_ones_own_organization_only(world: World) -> None:
    client = world.browser("partner_admin")
    own = client.get(f"/organizations/{world.orgs['dist'].pk}/").content.decode()
    below = client.get(f"/organizations/{world.orgs['reseller'].pk}/").content.decode()
    vendor = world.browser("vendor_admin").get(f"/organizations/{world.orgs['dist'].pk}/").content
    assert 'Individuals <a href="/partner/settings/">Change the settings</a>' in own
    assert "Change the settings" not in below
    assert b"/partner/settings/" not in vendor
