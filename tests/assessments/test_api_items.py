"""The assessments API: authors build the framework, banks and items, correct items into new
versions and preview definitions; reviewers read; nobody else reaches it; bad input is a 4xx
that writes nothing."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascade.assessments.models import Item, ItemVersion
from cascade.assessments.services import bank_create
from cascade.core.scoping import tenant_scope
from tests.api.conftest import assert_problem
from tests.conftest import World

SINGLE = {
    "type": "single_choice",
    "prompt": "Which port does the management plane listen on?",
    "options": [
        {"id": "a", "text": "443", "correct": True, "feedback": "HTTPS."},
        {"id": "b", "text": "80"},
    ],
}


def _setup(world: World) -> dict[str, int]:
    api = world.api("author")
    domain = api.post("/assessments/competency-domains", {"name": "Deployment"}).json()
    competency = api.post(
        "/assessments/competencies", {"domain_id": domain["id"], "name": "Firewall install"}
    ).json()
    bank = api.post("/assessments/banks", {"name": "Firewall basics"}).json()
    return {"bank": bank["id"], "competency": competency["id"]}


def _create(world: World, ids: dict[str, int], **changes: Any) -> Any:
    body = {
        "bank_id": ids["bank"],
        "definition": SINGLE,
        "points": "2",
        "difficulty": 1,
        "competency_ids": [ids["competency"]],
        **changes,
    }
    return world.api("author").post("/assessments/items", body)


def test_an_author_builds_the_framework_a_bank_and_an_item(authors: World) -> None:
    ids = _setup(authors)
    created = _create(authors, ids)
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["type"], item["current"]["number"], item["current"]["points"]) == (
        "single_choice",
        1,
        "2.00",
    )
    assert item["current"]["competency_ids"] == [ids["competency"]]
    assert item["current"]["definition"]["options"][0]["correct"] is True
    framework = authors.api("reviewer").get("/assessments/competencies").json()
    assert [(d["name"], [c["name"] for c in d["competencies"]]) for d in framework["domains"]] == [
        ("Deployment", ["Firewall install"])
    ]
    banks = authors.api("reviewer").get("/assessments/banks").json()
    assert [(b["name"], b["items"]) for b in banks["items"]] == [("Firewall basics", 1)]


def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(authors: World) -> None:
    ids = _setup(authors)
    item_id = _create(authors, ids).json()["id"]
    corrected = {
        **SINGLE,
        "options": [{"id": "a", "text": "443"}, {"id": "b", "text": "80", "correct": True}],
    }
    api = authors.api("author")
    revised = api.post(
        f"/assessments/items/{item_id}/versions", {"definition": corrected, "note": "Key fixed"}
    )
    assert revised.status_code == 201, revised.content
    body = revised.json()
    assert body["current"]["number"] == 2
    assert body["current"]["competency_ids"] == [ids["competency"]]  # kept
    assert [(v["number"], v["note"]) for v in body["versions"]] == [(2, "Key fixed"), (1, "")]
    first = api.get(f"/assessments/items/{item_id}/versions/1").json()
    assert first["definition"]["options"][0]["correct"] is True


def test_items_list_by_tag_in_a_fixed_number_of_queries(authors: World) -> None:
    ids = _setup(authors)
    api = authors.api("reviewer")

    def listed() -> tuple[list[int], int]:
        with CaptureQueriesContext(connection) as captured:
            response = api.get("/assessments/items", competency_id=ids["competency"])
        assert response.status_code == 200
        return [i["id"] for i in response.json()["items"]], len(captured)

    _create(authors, ids)
    listed()  # the token's first use of the minute records it
    few, queries = listed()
    for _ in range(4):
        _create(authors, ids)
    _create(authors, ids, competency_ids=[])
    many, more_queries = listed()
    assert (len(few), len(many)) == (1, 5)
    assert more_queries == queries


def test_an_invalid_definition_is_a_422_naming_the_field_and_writes_nothing(
    authors: World,
) -> None:
    ids = _setup(authors)
    broken = {**SINGLE, "options": [SINGLE["options"][0], {"id": "b", "text": ""}]}
    body = assert_problem(_create(authors, ids, definition=broken), 422, "invalid_definition")
    assert [e["field"] for e in body["errors"]] == ["definition.options.1.text"]
    unknown = assert_problem(
        _create(authors, ids, competency_ids=[999_999]), 422, "unknown_reference"
    )
    assert unknown["errors"][0]["field"] == "competency_ids"
    assert (Item.objects.count(), ItemVersion.objects.count()) == (0, 0)


def test_only_authors_write_and_only_authors_and_reviewers_read(authors: World) -> None:
    ids = _setup(authors)
    item_id = _create(authors, ids).json()["id"]
    for name in ("learner", "partner_admin"):
        assert_problem(authors.api(name).get("/assessments/items"), 403, "forbidden")
        assert_problem(authors.api(name).get(f"/assessments/items/{item_id}"), 403, "forbidden")
    assert_problem(
        authors.api("reviewer").post("/assessments/banks", {"name": "Mine"}),
        403,
        "forbidden",
    )
    assert authors.api("reviewer").get(f"/assessments/items/{item_id}").status_code == 200


def test_another_tenants_item_is_not_found(authors: World) -> None:
    ids = _setup(authors)
    item_id = _create(authors, ids).json()["id"]
    assert_problem(
        authors.api("b_admin").get(f"/assessments/items/{item_id}"), 404, "item_not_found"
    )
    revised = authors.api("b_admin").post(
        f"/assessments/items/{item_id}/versions", {"definition": SINGLE, "note": "Mine now"}
    )
    assert_problem(revised, 404, "item_not_found")
    assert ItemVersion.objects.count() == 1


def test_the_preview_shows_what_a_learner_gets_and_scores_a_sample(authors: World) -> None:
    api = authors.api("author")
    shown = api.post("/assessments/item-preview", {"definition": SINGLE})
    assert shown.status_code == 200, shown.content
    served = json.dumps(shown.json()["public"])
    assert '"correct"' not in served
    assert "HTTPS." not in served
    assert shown.json()["scored"] is None
    scored = api.post(
        "/assessments/item-preview", {"definition": SINGLE, "response": {"choice": "a"}}
    ).json()["scored"]
    assert scored == {"fraction": 1.0, "feedback": ["HTTPS."]}
    bad = api.post("/assessments/item-preview", {"definition": SINGLE, "response": {"choice": "z"}})
    assert_problem(bad, 422, "unknown_option")


def test_another_tenants_framework_and_lists_hold_nothing_of_ours(authors: World) -> None:
    ids = _setup(authors)
    _create(authors, ids)
    b_admin = authors.api("b_admin")
    assert b_admin.get("/assessments/competencies").json() == {"domains": []}
    assert b_admin.get("/assessments/banks").json()["items"] == []
    assert b_admin.get("/assessments/items").json()["items"] == []
    # and a competency of ours cannot tag their item
    with tenant_scope(authors.other_tenant):
        b_bank = bank_create(actor=authors.actor("b_admin"), name="Contoso")
    tagged = b_admin.post(
        "/assessments/items",
        {"bank_id": b_bank.pk, "definition": SINGLE, "competency_ids": [ids["competency"]]},
    )
    assert_problem(tagged, 422, "unknown_reference")
