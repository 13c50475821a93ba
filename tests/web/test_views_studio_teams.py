"""Studio teams pages: authors name and staff teams; others read; partners never see them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascade.catalog.item_models import CatalogTeam
from tests.conftest import World, make_member


def _staff(world: World) -> None:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")


def test_an_author_creates_a_team_with_staff_members(world: World) -> None:
    _staff(world)
    client = world.browser("author")
    # when
    response = client.post(
        "/studio/teams/new/",
        {"name": "Channel", "members": [str(world.people["reviewer"].pk)]},
    )
    # then
    assert response.status_code == 302
    team = CatalogTeam.objects.get(name="Channel")
    assert list(team.members.all()) == [world.people["reviewer"]]
    listing = client.get("/studio/teams/").content.decode()
    assert "Channel" in listing
    assert "Reviewer" in listing


def test_partner_people_are_not_offered_and_cannot_be_posted(world: World) -> None:
    _staff(world)
    client = world.browser("author")
    form = client.get("/studio/teams/new/").content.decode()
    assert "learner@partner.example" not in form
    response = client.post(
        "/studio/teams/new/", {"name": "Mixed", "members": [str(world.people["learner"].pk)]}
    )
    assert response.status_code == 422
    assert not CatalogTeam.objects.filter(name="Mixed").exists()


def test_a_duplicate_name_is_explained(world: World) -> None:
    _staff(world)
    CatalogTeam.objects.create(tenant=world.tenant, name="Product")
    response = world.browser("author").post("/studio/teams/new/", {"name": "Product"})
    assert response.status_code == 409
    assert "A team with that name exists." in response.content.decode()


def test_reviewers_read_but_do_not_write_and_partners_get_nothing(world: World) -> None:
    _staff(world)
    team = CatalogTeam.objects.create(tenant=world.tenant, name="Product")
    reviewer = world.browser("reviewer")
    assert reviewer.get(f"/studio/teams/{team.pk}/").status_code == 200
    assert reviewer.post(f"/studio/teams/{team.pk}/", {"name": "Renamed"}).status_code == 403
    assert world.browser("learner").get("/studio/teams/").status_code in (403, 404)
    team.refresh_from_db()
    assert team.name == "Product"


def test_the_list_costs_the_same_queries_for_many_teams(world: World) -> None:
    _staff(world)
    client = world.browser("author")
    client.get("/studio/teams/")
    for index in range(15):
        team = CatalogTeam.objects.create(tenant=world.tenant, name=f"Team {index}")
        team.members.add(world.people["reviewer"])
    with CaptureQueriesContext(connection) as few:
        client.get("/studio/teams/")
    for index in range(15, 40):
        CatalogTeam.objects.create(tenant=world.tenant, name=f"Team {index}")
    with CaptureQueriesContext(connection) as many:
        client.get("/studio/teams/")
    assert len(many) == len(few)
