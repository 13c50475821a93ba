"""The learner catalog through the API: what each caller may list, open and find, and how."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascade.catalog.audiences import RuleSpec
from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import CatalogItem
from cascade.catalog.items import (
    item_product_versions_set,
    item_structure_set,
    item_update,
    product_version_supersede,
)
from cascade.catalog.revision_models import RevisionView
from cascade.catalog.revisions import item_revise
from cascade.catalog.services import audience_create
from cascade.identity.models import ApiToken, Membership, MembershipStatus, TokenKind
from cascade.identity.services.tokens import _digest
from tests.api.conftest import CatalogScene, Scene, assert_problem, iso, publish


def _titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [card["title"] for card in response.json()["items"]]


def _draft(scene: Scene, title: str, audience: Any, kind: str = "lesson", **kwargs: Any) -> Any:
    from cascade.catalog.items import item_create

    return item_create(
        actor=scene.world.actor("author"),
        kind=kind,
        owner_team=scene.content.team,
        title=title,
        audience=audience,
        **kwargs,
    )


def _token(scene: Scene, scopes: list[str], name: str = "learner") -> str:
    person = scene.world.people[name]
    raw = f"cas_scoped_{name}_" + "z" * 20
    ApiToken.objects.create(
        tenant=scene.world.tenant,
        kind=TokenKind.PERSONAL,
        name="Scoped",
        person=person,
        prefix=f"scoped{person.pk}",
        digest=_digest(raw),
        scopes=scopes,
    )
    return raw


# --- listing ------------------------------------------------------------------------------------


def test_partner_people_list_only_what_their_audiences_admit(
    scene: Scene, catalog: CatalogScene
) -> None:
    # when
    learner = scene.world.api("learner").get("/catalog/items")  # Silver reseller
    manager = scene.world.api("manager").get("/catalog/items")  # Gold distributor
    vendor = scene.world.api("vendor_admin").get("/catalog/items")
    # then: drafts, items in review and approved items are never listed
    assert _titles(learner) == ["Edge device basics"]
    assert _titles(manager) == [
        "Troubleshooting tunnels",
        "Gold partner pricing",
        "Edge device basics",
    ]
    assert _titles(vendor) == _titles(manager)


def test_a_card_says_what_a_learner_needs_to_choose(scene: Scene, catalog: CatalogScene) -> None:
    # when
    body = scene.world.api("learner").get("/catalog/items").json()
    # then
    lesson = catalog.open_lesson
    assert body == {
        "items": [
            {
                "id": lesson.pk,
                "kind": "lesson",
                "kind_label": "Lesson",
                "title": "Edge device basics",
                "summary": "About edge device basics.",
                "locale": "en",
                "duration_minutes": 10,
                "published_at": iso(lesson.published_at),
                "revision": 1,
                "is_new": True,
                "is_updated": False,
                "teaser": False,
                "teaser_tier": None,
                "product_versions": ["EdgeOS 8"],
            }
        ],
        "next_cursor": None,
    }


def test_filters_narrow_the_catalog(scene: Scene, catalog: CatalogScene) -> None:
    # given
    author = scene.world.actor("author")
    card = _draft(scene, "Quick tip", catalog.everyone, kind="card", duration_minutes=3)
    publish(scene.world, card, broad=True)
    sales = audience_create(actor=author, name="Sales", rules=[RuleSpec.of(job_role=["sales"])])
    publish(scene.world, _draft(scene, "Pitching the edge", sales, duration_minutes=30))
    client = scene.world.api("manager")
    # when / then
    assert _titles(client.get("/catalog/items", kind="card")) == ["Quick tip"]
    assert _titles(client.get("/catalog/items", max_minutes=5)) == ["Quick tip"]
    assert _titles(client.get("/catalog/items", product_version=catalog.v8.pk)) == [
        "Edge device basics"
    ]
    assert _titles(client.get("/catalog/items", product_line=catalog.v8.product_line_id)) == [
        "Edge device basics"
    ]
    assert _titles(client.get("/catalog/items", job_role="sales")) == ["Pitching the edge"]
    assert _titles(client.get("/catalog/items", recent="updated")) == []
    assert len(_titles(client.get("/catalog/items", recent="new"))) == 5


def test_the_locale_filter_lists_items_in_that_language_with_their_text_in_it(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given: the French title of the translated lesson is approved and published
    from cascade.catalog.revisions import translation_submit

    translator = scene.world.actor("translator")
    translation_submit(actor=translator, item=catalog.translated, locale="fr")
    scene.world.api("reviewer").post(
        f"/catalog/studio/items/{catalog.translated.pk}/translations/fr/review", {"approve": True}
    )
    # when
    body = scene.world.api("manager").get("/catalog/items", locale="FR").json()
    # then
    assert [(c["title"], c["locale"]) for c in body["items"]] == [("Dépanner les tunnels", "fr")]


def test_pages_follow_each_other_with_the_cursor(scene: Scene, catalog: CatalogScene) -> None:
    # given
    client = scene.world.api("manager")
    # when
    first = client.get("/catalog/items", limit=2).json()
    second = client.get("/catalog/items", limit=2, cursor=first["next_cursor"]).json()
    # then
    assert [c["title"] for c in first["items"]] == [
        "Troubleshooting tunnels",
        "Gold partner pricing",
    ]
    assert [c["title"] for c in second["items"]] == ["Edge device basics"]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not a cursor"}, "cursor"),
        ({"cursor": "WyJub3QgYSBkYXRlIiwgMV0"}, "cursor"),  # ["not a date", 1]
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"kind": "podcast"}, "kind"),
        ({"max_minutes": 0}, "max_minutes"),
        ({"product_version": "eight"}, "product_version"),
        ({"product_line": 2**63}, "product_line"),
        ({"locale": "klingon"}, "locale"),
        ({"job_role": "astronaut"}, "job_role"),
        ({"recent": "yesterday"}, "recent"),
    ],
)
def test_bad_catalog_parameters_are_refused_with_the_field(
    scene: Scene, catalog: CatalogScene, params: dict[str, Any], field: str
) -> None:
    # when
    response = scene.world.api("learner").get("/catalog/items", **params)
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_tier_locked_items_show_as_teasers_when_the_author_enables_it(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given: a Gold-and-above lesson with a teaser; the learner's reseller is Silver
    author = scene.world.actor("author")
    gold_rank = scene.world.structure["gold"].rank
    gold_and_up = audience_create(
        actor=author, name="Gold and above", rules=[RuleSpec(minimum_tier_rank=gold_rank)]
    )
    teased = _draft(scene, "Gold masterclass", gold_and_up, summary="Advanced routing")
    item_update(actor=author, item=teased, teaser_enabled=True)
    teased = publish(scene.world, teased)
    client = scene.world.api("learner")
    gold = scene.world.structure["gold"]
    tier = {"id": gold.pk, "name": "Gold", "rank": gold.rank}
    # when
    cards = client.get("/catalog/items").json()["items"]
    page = client.get(f"/catalog/items/{teased.pk}").json()
    # then: the card and the page reveal the title, the summary and the tier, nothing more
    assert [(c["title"], c["teaser"], c["teaser_tier"]) for c in cards] == [
        ("Gold masterclass", True, tier),
        ("Edge device basics", False, None),
    ]
    assert page == {
        "id": teased.pk,
        "kind": "lesson",
        "kind_label": "Lesson",
        "revision": None,
        "published_at": None,
        "locale": "en",
        "locales": ["en"],
        "title": "Gold masterclass",
        "summary": "Advanced routing",
        "body_html": "",
        "duration_minutes": None,
        "formats": [],
        "children": [],
        "electives_required": 0,
        "changes": [],
        "product_versions": [],
        "teaser": True,
        "teaser_tier": tier,
    }
    assert RevisionView.objects.filter(item=teased).count() == 0


# --- one item -----------------------------------------------------------------------------------


def test_an_item_outside_the_audience_is_the_same_404_as_a_missing_one(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    client = scene.world.api("learner")
    missing = CatalogItem.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    # when
    invisible = client.get(f"/catalog/items/{catalog.gold_lesson.pk}")
    unknown = client.get(f"/catalog/items/{missing}")
    draft = scene.world.api("manager").get(f"/catalog/items/{catalog.draft.pk}")
    # then
    body = assert_problem(invisible, 404, "item_not_found")
    assert body == assert_problem(unknown, 404, "item_not_found")
    assert body == assert_problem(draft, 404, "item_not_found")
    assert invisible.content == unknown.content


def test_an_item_page_holds_formats_children_changes_and_versions(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given: a lesson with a video URL and a document, inside a module, revised once
    author = scene.world.actor("author")
    guide = catalog.guide
    product_version_supersede(actor=author, version=catalog.v7, by=catalog.v8)
    lesson = _draft(scene, "Edge setup", catalog.everyone, body="Plug it **in**.")
    item_formats_set(
        actor=author,
        item=lesson,
        formats=[
            FormatSpec(kind="video", url="https://videos.example/edge"),
            FormatSpec(kind="article"),
            FormatSpec(kind="document", media_id=guide.pk),
        ],
    )
    item_product_versions_set(actor=author, item=lesson, versions=[catalog.v7])
    lesson = publish(scene.world, lesson, broad=True)
    module = _draft(scene, "Edge module", catalog.everyone, kind="module")
    item_structure_set(actor=author, item=module, children=[(lesson, True)])
    module = publish(scene.world, module, broad=True)
    item_revise(actor=author, item=lesson, change="minor", note="Fixed a typo.")
    lesson = publish(scene.world, CatalogItem.objects.get(pk=lesson.pk), broad=True)
    client = scene.world.api("learner")
    # when
    page = client.get(f"/catalog/items/{lesson.pk}").json()
    container = client.get(f"/catalog/items/{module.pk}").json()
    # then
    url = f"http://a.test/catalog/{lesson.pk}/media/{guide.pk}/"
    assert page["revision"] == 2
    assert page["body_html"] == "<p>Plug it <strong>in</strong>.</p>"
    assert [(f["kind"], f["url"], f["media"]) for f in page["formats"]] == [
        ("video", "https://videos.example/edge", None),
        ("article", "", None),
        (
            "document",
            "",
            {
                "id": guide.pk,
                "kind": "document",
                "title": "Installation guide",
                "content_type": "application/pdf",
                "size": 1234,
                "language": "",
                "download_allowed": True,
                "url": url,
            },
        ),
    ]
    assert [(c["revision"], c["note"]) for c in page["changes"]] == [(2, "Fixed a typo.")]
    assert page["product_versions"] == [
        {
            "id": catalog.v7.pk,
            "label": "EdgeOS 7",
            "legacy": True,
            "current_label": "EdgeOS 8",
            "current_id": catalog.v8.pk,
        }
    ]
    # a minor change flows into the module that uses the lesson
    assert container["children"] == [
        {
            "id": lesson.pk,
            "kind": "lesson",
            "kind_label": "Lesson",
            "title": "Edge setup",
            "required": True,
            "revision": 2,
            "duration_minutes": None,
        }
    ]


def test_opening_an_item_records_which_revision_a_learner_saw(
    scene: Scene, catalog: CatalogScene
) -> None:
    # when
    scene.world.api("learner").get(f"/catalog/items/{catalog.open_lesson.pk}", locale="fr-CA")
    scene.world.api("vendor_admin").get(f"/catalog/items/{catalog.open_lesson.pk}")
    # then: the learner's view is kept (in the language they asked for); staff previews are not
    assert list(RevisionView.objects.values_list("person_id", "revision__number", "locale")) == [
        (scene.world.people["learner"].pk, 1, "en")
    ]


def test_item_ids_beyond_the_database_range_are_input_errors(
    scene: Scene, catalog: CatalogScene
) -> None:
    # when
    response = scene.world.api("learner").get(f"/catalog/items/{2**63}")
    # then
    body = assert_problem(response, 422, "invalid_input")
    assert [e["field"] for e in body["errors"]] == ["item_id"]


# --- search -------------------------------------------------------------------------------------


def test_search_finds_only_what_the_caller_may_read(scene: Scene, catalog: CatalogScene) -> None:
    # when
    learner = scene.world.api("learner").get("/catalog/search", q="pricing edge")
    manager = scene.world.api("manager").get("/catalog/search", q="pricing")
    b_admin = scene.world.api("b_admin").get("/catalog/search", q="pricing")
    # then
    assert learner.json() == {"query": "pricing edge", "items": []}
    assert [(h["item_id"], h["title"], h["kind"]) for h in manager.json()["items"]] == [
        (catalog.gold_lesson.pk, "Gold partner pricing", "lesson")
    ]
    assert "<mark>" in manager.json()["items"][0]["snippet_html"]
    assert b_admin.json()["items"] == []


@pytest.mark.parametrize("q", ["", "   ", "x" * 201])
def test_an_empty_or_too_long_search_is_a_bad_request(
    scene: Scene, catalog: CatalogScene, q: str
) -> None:
    # when
    response = scene.world.api("learner").get("/catalog/search", q=q)
    # then
    body = assert_problem(response, 400, "required" if not q.strip() else "too_long")
    assert [e["field"] for e in body["errors"]] == ["q"]


@pytest.mark.parametrize(
    ("params", "field"), [({"limit": 51}, "limit"), ({"locale": "xx-yy"}, "locale")]
)
def test_bad_search_parameters_are_refused(
    scene: Scene, catalog: CatalogScene, params: dict[str, Any], field: str
) -> None:
    # when
    response = scene.world.api("learner").get("/catalog/search", q="edge", **params)
    # then
    body = assert_problem(response, 422, "invalid_input")
    assert [e["field"] for e in body["errors"]] == [field]


# --- who may browse -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/catalog/items", "/catalog/search?q=edge", "/catalog/product-lines"]
)
def test_a_token_without_catalog_read_is_refused(
    scene: Scene, catalog: CatalogScene, path: str
) -> None:
    # given
    raw = _token(scene, ["people:read"])
    client = scene.world.api("learner")
    client.headers = {"Authorization": f"Bearer {raw}"}
    # when
    response = client.get(path)
    # then
    assert_problem(response, 403, "forbidden")


def test_a_person_whose_membership_ended_cannot_browse(scene: Scene, catalog: CatalogScene) -> None:
    # given
    Membership.objects.filter(pk=scene.world.memberships["learner"].pk).update(
        status=MembershipStatus.ENDED
    )
    # when
    response = scene.world.api("learner").get("/catalog/items")
    # then: the token speaks for nobody in the program any more
    assert_problem(response, 401, "unauthenticated")


def test_an_integration_token_with_catalog_read_browses_every_live_item(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    token = scene.integration_token
    token.scopes = ["catalog:read"]
    token.save(update_fields=["scopes"])
    client = scene.world.api("learner")
    client.headers = {"Authorization": f"Bearer {scene.integration_secret}"}
    # when
    response = client.get("/catalog/items")
    item = client.get(f"/catalog/items/{catalog.gold_lesson.pk}")
    # then
    assert len(_titles(response)) == 3
    assert item.status_code == 200


def test_product_lines_list_versions_with_their_legacy_pointer(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    product_version_supersede(actor=scene.world.actor("author"), version=catalog.v7, by=catalog.v8)
    # when
    body = scene.world.api("learner").get("/catalog/product-lines").json()
    # then
    assert body == {
        "items": [
            {
                "id": catalog.v7.product_line_id,
                "name": "EdgeOS",
                "versions": [
                    {
                        "id": catalog.v7.pk,
                        "name": "7",
                        "label": "EdgeOS 7",
                        "released_on": None,
                        "legacy": True,
                        "superseded_by_id": catalog.v8.pk,
                        "current_id": catalog.v8.pk,
                    },
                    {
                        "id": catalog.v8.pk,
                        "name": "8",
                        "label": "EdgeOS 8",
                        "released_on": None,
                        "legacy": False,
                        "superseded_by_id": None,
                        "current_id": None,
                    },
                ],
            }
        ],
        "next_cursor": None,
    }


# --- cost ---------------------------------------------------------------------------------------


def _queries(scene: Scene, name: str, path: str, **params: Any) -> tuple[int, int]:
    client = scene.world.api(name)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **params)
    assert response.status_code == 200, response.content
    return len(captured), len(response.json()["items"])


@pytest.mark.parametrize("name", ["learner", "manager"])
def test_a_partner_persons_catalog_page_costs_the_same_for_3_or_30_items(
    scene: Scene, catalog: CatalogScene, name: str
) -> None:
    # given: tier-locked teasers too, so the teaser queries run in both cases
    author = scene.world.actor("author")
    gold_and_up = audience_create(
        actor=author,
        name="Gold and above",
        rules=[RuleSpec(minimum_tier_rank=scene.world.structure["gold"].rank)],
    )

    def add(count: int) -> None:
        for index in range(count):
            teased = index % 2 == 0
            item = _draft(scene, f"Counted {index}", gold_and_up if teased else catalog.everyone)
            item_product_versions_set(actor=author, item=item, versions=[catalog.v8])
            if teased:
                item_update(actor=author, item=item, teaser_enabled=True)
            publish(scene.world, item, broad=not teased)

    add(2)
    scene.world.api(name).get("/catalog/items", limit=100)
    few = _queries(scene, name, "/catalog/items", limit=100)
    # when
    add(27)
    many = _queries(scene, name, "/catalog/items", limit=100)
    # then
    assert many[1] - few[1] == 27
    assert many[0] == few[0]


def test_an_item_page_costs_the_same_for_1_or_10_children(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    author = scene.world.actor("author")

    def module_of(count: int) -> CatalogItem:
        lessons = [
            publish(scene.world, _draft(scene, f"Part {n}", catalog.everyone), broad=True)
            for n in range(count)
        ]
        module = _draft(scene, f"Module of {count}", catalog.everyone, kind="module")
        item_structure_set(actor=author, item=module, children=[(x, True) for x in lessons])
        return publish(scene.world, module, broad=True)

    small, large = module_of(1), module_of(10)
    client = scene.world.api("learner")
    client.get(f"/catalog/items/{small.pk}")
    client.get(f"/catalog/items/{large.pk}")

    def count(item: CatalogItem) -> int:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/catalog/items/{item.pk}").json()
        assert len(body["children"]) in (1, 10)
        return len(captured)

    # when / then
    assert count(small) == count(large)
