"""Audiences in the studio: the list in words, and include/exclude rules written in a form."""

from __future__ import annotations

from typing import Any

from cascade.catalog.audiences import RuleSpec
from cascade.catalog.models import Audience, AudienceCriterion, AudienceRule
from cascade.catalog.services import audience_create
from tests.catalog import conftest as catalog_scenes
from tests.catalog.conftest import Studio
from tests.web.conftest import queries

# The catalog tests' authoring scene: an owner team, audiences, authors and reviewers.
studio = catalog_scenes.studio


def _management(total: int, initial: int = 0) -> dict[str, str]:
    return {
        "rules-TOTAL_FORMS": str(total),
        "rules-INITIAL_FORMS": str(initial),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "50",
    }


def _rules(audience: Audience) -> list[tuple[str, int | None, list[str]]]:
    return [
        (
            rule.effect,
            rule.minimum_tier_rank,
            sorted(f"{c.dimension}={c.value}" for c in rule.criteria.all()),
        )
        for rule in AudienceRule.objects.filter(audience=audience).order_by("id")
    ]


def test_the_list_says_each_audiences_rules_in_words(studio: Studio) -> None:
    # given
    world = studio.world
    audience_create(
        actor=world.actor("author"),
        name="EMEA security, not resellers",
        rules=[
            RuleSpec.of(
                minimum_tier_rank=2,
                region=[world.structure["emea"].pk],
                specialization=[world.structure["security"].pk],
            ),
            RuleSpec.of(effect="exclude", business_model=["reseller"]),
        ],
    )
    audience_create(
        actor=world.actor("author"),
        name="Pilot: Distri",
        rules=[RuleSpec.of(organization=[world.orgs["dist"].pk])],
    )
    studio.draft("lesson", "Uses gold")
    # when
    response = world.browser("reviewer").get("/studio/audiences/")
    # then
    summaries = {s.audience.name: s for s in response.context["summaries"]}
    assert [(r.effect, r.text) for r in summaries["EMEA security, not resellers"].rules] == [
        ("include", "Minimum tier: Silver; Regions: EMEA; Specializations: Security"),
        ("exclude", "Business models: Reseller"),
    ]
    assert summaries["Every partner"].reaches_everyone is True
    assert summaries["Pilot: Distri"].is_pilot is True
    assert summaries["Gold"].item_count == 1
    assert b"New audience</a>" not in response.content


def test_the_list_query_count_does_not_grow_with_audiences(studio: Studio) -> None:
    # given
    world = studio.world
    client = world.browser("author")

    def another(number: int) -> None:
        audience_create(
            actor=world.actor("author"),
            name=f"Audience {number}",
            rules=[
                RuleSpec.of(tier=[world.structure["gold"].pk], organization=[world.orgs["dist"].pk])
            ],
        )

    another(0)
    client.get("/studio/audiences/")
    before = queries(lambda: client.get("/studio/audiences/"))
    # when
    for number in range(1, 11):
        another(number)
    # then
    assert queries(lambda: client.get("/studio/audiences/")) == before


def test_an_author_creates_an_audience_with_include_and_exclude_rules(studio: Studio) -> None:
    # given
    world = studio.world
    data: dict[str, Any] = {
        "name": "Gold presales in France",
        "description": "Deep technical content.",
        **_management(2, 1),
        "rules-0-effect": "include",
        "rules-0-minimum_tier": "3",
        "rules-0-job_roles": ["presales"],
        "rules-0-countries": "fr, be",
        "rules-1-effect": "exclude",
        "rules-1-organizations": "Other Partner",
    }
    # when
    response = world.browser("author").post("/studio/audiences/new/", data, follow=True)
    # then
    audience = Audience.objects.get(name="Gold presales in France")
    assert _rules(audience) == [
        ("include", 3, ["country=BE", "country=FR", "job_role=presales"]),
        ("exclude", None, [f"organization={world.orgs['other'].pk}"]),
    ]
    assert "The audience “Gold presales in France” is saved." in response.content.decode()


def test_a_pilot_names_organizations_by_their_exact_names(studio: Studio) -> None:
    # given
    world = studio.world
    client = world.browser("author")
    page = client.get("/studio/audiences/new/?pilot=1")
    # when
    response = client.post(
        "/studio/audiences/new/",
        {
            "name": "Pilot: Paris",
            **_management(1, 1),
            "rules-0-effect": "include",
            "rules-0-organizations": "reseller paris\nDistri Europe",
        },
    )
    # then
    assert "New pilot audience" in page.content.decode()
    assert page.context["form"]["name"].value() == "Pilot: "
    assert response.status_code == 302
    assert _rules(Audience.objects.get(name="Pilot: Paris")) == [
        (
            "include",
            None,
            sorted(f"organization={world.orgs[n].pk}" for n in ("dist", "reseller")),
        )
    ]


def test_unknown_organizations_and_countries_are_refused_beside_the_rule(studio: Studio) -> None:
    response = studio.world.browser("author").post(
        "/studio/audiences/new/",
        {
            "name": "Broken",
            **_management(1, 1),
            "rules-0-effect": "include",
            "rules-0-organizations": "Nobody Inc",
            "rules-0-countries": "France",
        },
    )
    assert response.status_code == 422
    errors = response.context["rules"].forms[0].errors
    assert errors == {
        "organizations": ["No organization is named Nobody Inc."],
        "countries": ["Not two-letter country codes: France."],
    }
    assert not Audience.objects.filter(name="Broken").exists()


def test_an_audience_without_an_include_rule_is_refused_readably(studio: Studio) -> None:
    response = studio.world.browser("author").post(
        "/studio/audiences/new/",
        {
            "name": "Only exclusions",
            **_management(1, 1),
            "rules-0-effect": "exclude",
            "rules-0-business_models": ["reseller"],
        },
    )
    assert response.status_code == 422
    assert "An audience needs at least one include rule." in response.content.decode()
    assert not Audience.objects.filter(name="Only exclusions").exists()


def test_a_duplicate_name_is_a_readable_conflict(studio: Studio) -> None:
    response = studio.world.browser("author").post(
        "/studio/audiences/new/",
        {"name": "Gold", **_management(1, 1), "rules-0-effect": "include"},
    )
    assert response.status_code == 409
    assert "An audience named &#x27;Gold&#x27; exists." in response.content.decode()


def test_add_another_rule_returns_the_form_with_one_more_rule_and_saves_nothing(
    studio: Studio,
) -> None:
    response = studio.world.browser("author").post(
        "/studio/audiences/new/",
        {
            "name": "Growing",
            **_management(1, 1),
            "rules-0-effect": "include",
            "add_rule": "1",
        },
    )
    assert response.status_code == 200
    assert len(response.context["rules"].forms) == 2
    assert "Rule 2" in response.content.decode()
    assert not Audience.objects.filter(name="Growing").exists()


def test_an_untouched_added_rule_is_left_out(studio: Studio) -> None:
    studio.world.browser("author").post(
        "/studio/audiences/new/",
        {
            "name": "Gold only",
            **_management(2, 1),
            "rules-0-effect": "include",
            "rules-0-tiers": [str(studio.world.structure["gold"].pk)],
            "rules-1-effect": "include",
        },
    )
    assert _rules(Audience.objects.get(name="Gold only")) == [
        ("include", None, [f"tier={studio.world.structure['gold'].pk}"])
    ]


def test_editing_an_audience_replaces_its_rules(studio: Studio) -> None:
    # given
    world = studio.world
    client = world.browser("author")
    url = f"/studio/audiences/{studio.gold.pk}/"
    page = client.get(url)
    # when
    response = client.post(
        url,
        {
            "name": "Gold and Silver",
            **_management(2, 1),
            "rules-0-effect": "include",
            "rules-0-tiers": [str(world.structure["gold"].pk), str(world.structure["silver"].pk)],
            "rules-1-effect": "exclude",
            "rules-1-job_roles": ["support"],
        },
    )
    # then
    assert page.context["rules"].forms[0].initial["tiers"] == [str(world.structure["gold"].pk)]
    assert response.status_code == 302
    audience = Audience.objects.get(pk=studio.gold.pk)
    assert audience.name == "Gold and Silver"
    assert _rules(audience) == [
        (
            "include",
            None,
            sorted(f"tier={world.structure[n].pk}" for n in ("gold", "silver")),
        ),
        ("exclude", None, ["job_role=support"]),
    ]


def test_removing_a_rule(studio: Studio) -> None:
    world = studio.world
    audience = audience_create(
        actor=world.actor("author"),
        name="Two rules",
        rules=[RuleSpec.of(tier=[world.structure["gold"].pk]), RuleSpec.of(job_role=["sales"])],
    )
    world.browser("author").post(
        f"/studio/audiences/{audience.pk}/",
        {
            "name": "Two rules",
            **_management(2, 2),
            "rules-0-effect": "include",
            "rules-0-tiers": [str(world.structure["gold"].pk)],
            "rules-1-effect": "include",
            "rules-1-job_roles": ["sales"],
            "rules-1-DELETE": "on",
        },
    )
    assert _rules(audience) == [("include", None, [f"tier={world.structure['gold'].pk}"])]


def test_reviewers_read_audiences_but_cannot_change_them(studio: Studio) -> None:
    client = studio.world.browser("reviewer")
    assert client.get(f"/studio/audiences/{studio.gold.pk}/").status_code == 200
    before = AudienceCriterion.objects.count()
    response = client.post(
        f"/studio/audiences/{studio.gold.pk}/",
        {"name": "Hijacked", **_management(1, 1), "rules-0-effect": "include"},
    )
    assert response.status_code == 403
    assert Audience.objects.get(pk=studio.gold.pk).name == "Gold"
    assert AudienceCriterion.objects.count() == before
    assert client.get("/studio/audiences/new/").status_code == 403


def test_a_post_without_the_rules_management_data_is_a_readable_error(studio: Studio) -> None:
    response = studio.world.browser("author").post("/studio/audiences/new/", {"name": "x"})
    assert response.status_code == 422
    assert "ManagementForm data is missing or has been tampered with" in response.content.decode()
