"""Content teams: named, staffed by the program's own people, audited."""

from __future__ import annotations

import pytest

from cascade.audit.models import AuditEntry
from cascade.catalog.item_models import CatalogTeam
from cascade.catalog.teams import team_create, team_update
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.catalog.conftest import Studio


def test_authors_create_and_staff_a_team(studio: Studio) -> None:
    world = studio.world
    team = team_create(
        actor=world.actor("author"),
        name="  Channel   marketing ",
        member_ids=[world.people["reviewer"].pk],
    )
    assert team.name == "Channel marketing"
    assert list(team.members.all()) == [world.people["reviewer"]]
    team_update(actor=world.actor("author"), team=team, member_ids=[world.people["author"].pk])
    assert list(team.members.all()) == [world.people["author"]]
    assert AuditEntry.objects.filter(action__startswith="catalog_team.").count() == 2


def test_partner_people_cannot_be_members(studio: Studio) -> None:
    world = studio.world
    with pytest.raises(ValidationFailed) as error:
        team_create(
            actor=world.actor("author"), name="Mixed", member_ids=[world.people["learner"].pk]
        )
    assert error.value.code == "unknown_reference"
    assert not CatalogTeam.objects.filter(name="Mixed").exists()


def test_names_are_unique_and_required(studio: Studio) -> None:
    author = studio.world.actor("author")
    with pytest.raises(Conflict):
        team_create(actor=author, name="Product")
    with pytest.raises(ValidationFailed):
        team_create(actor=author, name="  ")


def test_only_authors_write_teams(studio: Studio) -> None:
    with pytest.raises(PermissionDenied):
        team_create(actor=studio.world.actor("reviewer"), name="Reviewers' own")
