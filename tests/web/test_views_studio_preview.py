"""Persona preview: the catalog exactly as a chosen partner persona sees it."""

from __future__ import annotations

from typing import Any

import pytest

from cascade.catalog.audiences import RuleSpec
from cascade.catalog.items import item_update
from cascade.catalog.services import audience_create
from tests.catalog import conftest as catalog_scenes
from tests.catalog.conftest import Studio

# The catalog tests' authoring scene: an owner team, audiences, authors and reviewers.
studio = catalog_scenes.studio


@pytest.fixture
def catalog(studio: Studio) -> dict[str, Any]:
    """Published items for every partner, for Gold organizations, and for Gold and above with a
    teaser, plus a draft."""
    author = studio.world.actor("author")
    gold_and_up = audience_create(
        actor=author, name="Gold and above", rules=[RuleSpec.of(minimum_tier_rank=3)]
    )
    teaser = studio.draft("lesson", "Firewall masterclass", audience=gold_and_up)
    item_update(actor=author, item=teaser, teaser_enabled=True)
    return {
        "everyone": studio.published("lesson", "Firewall basics", audience=studio.everyone),
        "gold": studio.published("lesson", "Firewall for Gold partners"),
        "teaser": studio.publish(teaser),
        "draft": studio.draft("lesson", "Firewall draft", audience=studio.everyone),
    }


def _titles(response: Any) -> list[tuple[str, bool]]:
    return [(card.title, card.teaser) for card, _ in response.context["cards"]]


def test_a_gold_persona_sees_gold_content(studio: Studio, catalog: dict[str, Any]) -> None:
    gold = studio.world.structure["gold"].pk
    response = studio.world.browser("author").get(f"/studio/preview/?tier={gold}")
    assert sorted(_titles(response)) == [
        ("Firewall basics", False),
        ("Firewall for Gold partners", False),
        ("Firewall masterclass", False),
    ]
    assert "Gold tier" in response.context["persona"]


def test_a_silver_persona_sees_a_teaser_of_gold_and_above_content(
    studio: Studio, catalog: dict[str, Any]
) -> None:
    silver = studio.world.structure["silver"].pk
    response = studio.world.browser("reviewer").get(f"/studio/preview/?tier={silver}")
    assert sorted(_titles(response)) == [("Firewall basics", False), ("Firewall masterclass", True)]
    assert "Available at Gold" in response.content.decode()


def test_a_real_organization_brings_its_own_tier_and_region(
    studio: Studio, catalog: dict[str, Any]
) -> None:
    silver = studio.world.structure["silver"].pk
    response = studio.world.browser("author").get(
        f"/studio/preview/?organization=distri+europe&tier={silver}&job_role=sales&locale=fr"
    )
    assert ("Firewall for Gold partners", False) in _titles(response)
    assert response.context["persona"] == (
        "someone at Distri Europe (Gold tier, EMEA, FR, distributor, sales role, reading Français)"
    )


def test_an_unknown_organization_is_a_readable_error_with_suggestions(
    studio: Studio, catalog: dict[str, Any]
) -> None:
    response = studio.world.browser("author").get("/studio/preview/?organization=Distri")
    assert response.status_code == 422
    assert "No organization is named “Distri”. Did you mean: Distri Europe?" in (
        response.content.decode()
    )


def test_searching_as_a_persona_finds_only_what_they_may_see(
    studio: Studio, catalog: dict[str, Any]
) -> None:
    silver = studio.world.structure["silver"].pk
    response = studio.world.browser("author").get(f"/studio/preview/?tier={silver}&q=firewall")
    assert [hit.title for hit in response.context["hits"]] == ["Firewall basics"]


def test_an_item_outside_the_personas_audience_is_not_visible(
    studio: Studio, catalog: dict[str, Any]
) -> None:
    silver = studio.world.structure["silver"].pk
    gold = studio.world.structure["gold"].pk
    client = studio.world.browser("author")
    item = catalog["gold"]
    # when
    outside = client.get(f"/studio/preview/items/{item.pk}/?tier={silver}")
    inside = client.get(f"/studio/preview/items/{item.pk}/?tier={gold}")
    # then
    assert outside.status_code == 200
    assert outside.context["view"] is None
    assert "Not visible to this persona" in outside.content.decode()
    assert "Its audience (“Gold”) does not include this persona." in outside.content.decode()
    assert inside.context["view"].title == "Firewall for Gold partners"
    assert "Revision 1, in en" in inside.content.decode()


def test_the_teaser_page_shows_only_title_summary_and_tier(
    studio: Studio, catalog: dict[str, Any]
) -> None:
    silver = studio.world.structure["silver"].pk
    response = studio.world.browser("author").get(
        f"/studio/preview/items/{catalog['teaser'].pk}/?tier={silver}"
    )
    assert response.context["view"].teaser is True
    assert "available at Gold." in response.content.decode()


def test_a_draft_is_not_visible_to_any_persona(studio: Studio, catalog: dict[str, Any]) -> None:
    response = studio.world.browser("author").get(f"/studio/preview/items/{catalog['draft'].pk}/")
    assert response.context["view"] is None
    assert "The item is not published yet" in response.content.decode()


def test_partner_people_cannot_preview(studio: Studio, catalog: dict[str, Any]) -> None:
    client = studio.world.browser("partner_admin")
    assert client.get("/studio/preview/").status_code == 404
    assert client.get(f"/studio/preview/items/{catalog['gold'].pk}/").status_code == 404
