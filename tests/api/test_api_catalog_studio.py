"""The catalog studio through the API: an item's whole life over HTTP, governance refusals,
translations, and the studio's lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascade.catalog.item_models import CatalogItem, ItemState
from cascade.catalog.revision_models import ItemRevision
from tests.api.conftest import (
    CatalogScene,
    Scene,
    assert_problem,
    changed_tables,
    database_state,
    send,
)
from tests.conftest import ApiClient


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    return body


def _put(client: ApiClient, path: str, body: Any) -> Any:
    return send(client, "PUT", path, body)


def _create(client: ApiClient, catalog: CatalogScene, **fields: Any) -> dict[str, Any]:
    body = {
        "kind": "lesson",
        "owner_team_id": catalog.team.pk,
        "title": "Configuring tunnels",
        "summary": "Set up an encrypted tunnel.",
        "body": "## Steps\n\n1. Open the console.",
        "audience_id": catalog.gold.pk,
        "duration_minutes": 15,
        **fields,
    }
    return _ok(client.post("/catalog/studio/items", body), 201)


# --- the whole life of a course -----------------------------------------------------------------


def test_an_author_builds_a_course_from_reusable_lessons_and_learners_read_it(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    world = scene.world
    author, reviewer = world.api("author"), world.api("reviewer")
    owner = world.api("product_reviewer")
    lesson = _create(author, catalog, title="Opening the console", audience_id=None)
    # when: the author writes the lesson, its formats and its audience
    _ok(
        _put(
            author,
            f"/catalog/studio/items/{lesson['id']}/formats",
            {"formats": [{"kind": "article"}, {"kind": "document", "media_id": catalog.guide.pk}]},
        )
    )
    settings = _ok(
        author.patch(
            f"/catalog/studio/items/{lesson['id']}",
            {"audience_id": catalog.everyone.pk, "review_by": "2030-01-31"},
        )
    )
    _ok(author.post(f"/catalog/studio/items/{lesson['id']}/submit"))
    first = _ok(reviewer.post(f"/catalog/studio/items/{lesson['id']}/approve"))
    second = _ok(owner.post(f"/catalog/studio/items/{lesson['id']}/approve"))
    published = _ok(author.post(f"/catalog/studio/items/{lesson['id']}/publish"))
    # then: content for every partner needed two approvals, one from the owning team
    assert settings["audience"] == {"id": catalog.everyone.pk, "name": "Every partner"}
    assert settings["review_by"] == "2030-01-31"
    assert (first["state"], first["approvals_required"]) == ("in_review", 2)
    assert first["owner_team_approval_required"] is True
    assert [a["reviewer"]["full_name"] for a in second["approvals"]] == [
        "Reviewer",
        "Product Reviewer",
    ]
    assert second["state"] == "approved"
    assert (published["state"], published["published_revision"]) == ("published", 1)
    # when: a module and a course reuse the lesson
    module = _create(author, catalog, kind="module", title="Console module")
    _ok(
        _put(
            author,
            f"/catalog/studio/items/{module['id']}/structure",
            {"children": [{"id": lesson["id"]}, {"id": catalog.open_lesson.pk, "required": False}]},
        )
    )
    course = _create(author, catalog, kind="course", title="Tunnels from scratch")
    structured = _ok(
        _put(
            author,
            f"/catalog/studio/items/{course['id']}/structure",
            {"children": [{"id": module["id"]}]},
        )
    )
    for item in (module, course):
        _ok(author.post(f"/catalog/studio/items/{item['id']}/submit"))
        _ok(reviewer.post(f"/catalog/studio/items/{item['id']}/approve"))
        _ok(author.post(f"/catalog/studio/items/{item['id']}/publish"))
    # then: a Gold learner finds and opens the course; a Silver learner does not
    assert [(c["id"], c["kind"], c["state"]) for c in structured["children"]] == [
        (module["id"], "module", "draft")
    ]
    gold = world.api("manager")
    found = gold.get("/catalog/search", q="tunnels scratch").json()["items"]
    assert [hit["item_id"] for hit in found] == [course["id"]]
    page = _ok(gold.get(f"/catalog/items/{course['id']}"))
    assert [(c["title"], c["kind"]) for c in page["children"]] == [("Console module", "module")]
    silver = world.api("learner")
    assert silver.get("/catalog/search", q="tunnels scratch").json()["items"] == []
    assert_problem(silver.get(f"/catalog/items/{course['id']}"), 404, "item_not_found")
    lesson_page = _ok(silver.get(f"/catalog/items/{lesson['id']}"))
    assert [f["kind"] for f in lesson_page["formats"]] == ["article", "document"]


def test_a_major_revision_waits_for_the_course_to_be_published_again(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given: a published module using the published open lesson
    world = scene.world
    author, reviewer, owner = (
        world.api("author"),
        world.api("reviewer"),
        world.api("product_reviewer"),
    )
    lesson_id = catalog.open_lesson.pk
    module = _create(author, catalog, kind="module", title="Basics module")
    _put(
        author, f"/catalog/studio/items/{module['id']}/structure", {"children": [{"id": lesson_id}]}
    )
    author.post(f"/catalog/studio/items/{module['id']}/submit")
    reviewer.post(f"/catalog/studio/items/{module['id']}/approve")
    author.post(f"/catalog/studio/items/{module['id']}/publish")
    # when: the lesson is revised with a major change and published
    revising = _ok(
        author.post(
            f"/catalog/studio/items/{lesson_id}/revise",
            {"change": "major", "note": "Rewritten for EdgeOS 8."},
        )
    )
    _ok(
        _put(
            author,
            f"/catalog/studio/items/{lesson_id}/variants/en",
            {"title": "Edge device basics (EdgeOS 8)"},
        )
    )
    author.post(f"/catalog/studio/items/{lesson_id}/submit")
    reviewer.post(f"/catalog/studio/items/{lesson_id}/approve")
    owner.post(f"/catalog/studio/items/{lesson_id}/approve")
    republished = _ok(author.post(f"/catalog/studio/items/{lesson_id}/publish"))
    # then
    assert revising["state"] == "draft"
    assert revising["pending_change"] == {"change": "major", "note": "Rewritten for EdgeOS 8."}
    assert [(r["number"], r["change"]) for r in republished["revisions"]] == [
        (2, "major"),
        (1, "initial"),
    ]
    container = _ok(author.get(f"/catalog/studio/items/{module['id']}"))
    assert container["children_with_major_changes"] == [lesson_id]
    gold = world.api("manager")
    learner_view = _ok(gold.get(f"/catalog/items/{module['id']}"))
    assert [(c["title"], c["revision"]) for c in learner_view["children"]] == [
        ("Edge device basics", 1)
    ]
    assert _ok(gold.get(f"/catalog/items/{lesson_id}"))["changes"] == [
        {
            "revision": 2,
            "change": "Major change",
            "note": "Rewritten for EdgeOS 8.",
            "published_at": republished["revisions"][0]["published_at"],
        }
    ]


def test_a_reviewer_sends_an_item_back_and_the_round_starts_over(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    reviewer = scene.world.api("reviewer")
    path = f"/catalog/studio/items/{catalog.in_review.pk}"
    # when
    sent_back = _ok(reviewer.post(f"{path}/request-changes", {"note": "Add a diagram."}))
    resubmitted = _ok(scene.world.api("author").post(f"{path}/submit"))
    # then
    assert (sent_back["state"], sent_back["approvals"]) == ("draft", [])
    assert (resubmitted["state"], resubmitted["review_round"]) == ("in_review", 2)


def test_retiring_withdraws_an_item_from_learners(scene: Scene, catalog: CatalogScene) -> None:
    # when
    retired = _ok(
        scene.world.api("author").post(f"/catalog/studio/items/{catalog.open_lesson.pk}/retire")
    )
    # then
    assert (retired["state"], retired["next_states"]) == ("retired", [])
    assert retired["retired_at"] is not None
    assert_problem(
        scene.world.api("learner").get(f"/catalog/items/{catalog.open_lesson.pk}"),
        404,
        "item_not_found",
    )


# --- governance refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "method", "suffix", "body", "status", "code"),
    [
        ("learner", "POST", "/submit", None, 403, "forbidden"),
        ("partner_admin", "PATCH", "", {"duration_minutes": 5}, 403, "forbidden"),
        ("translator", "POST", "/submit", None, 403, "forbidden"),
        ("reviewer", "PUT", "/variants/en", {"title": "Reviewer's take"}, 403, "forbidden"),
        ("author", "POST", "/approve", None, 403, "forbidden"),
        ("reviewer", "POST", "/approve", None, 409, "not_in_review"),
        ("author", "POST", "/publish", None, 409, "not_approved"),
        ("author", "POST", "/retire", None, 409, "not_published"),
        ("author", "POST", "/revise", {"change": "minor", "note": "x"}, 409, "not_published"),
    ],
)
def test_refused_moves_on_a_draft_change_nothing(
    scene: Scene,
    catalog: CatalogScene,
    principal: str,
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
    status: int,
    code: str,
) -> None:
    # given
    before = database_state()
    client = scene.world.api(principal)
    # when
    response = send(client, method, f"/catalog/studio/items/{catalog.draft.pk}{suffix}", body)
    # then
    assert_problem(response, status, code)
    assert changed_tables(before, database_state()) == []


def test_an_author_who_is_also_a_reviewer_cannot_approve_their_own_work(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    from tests.conftest import make_member

    make_member(
        scene.world, "author_reviewer", scene.world.tenant, None, ["content_author", "reviewer"]
    )
    client = scene.world.api("author_reviewer")
    item = _create(client, catalog)
    _ok(client.post(f"/catalog/studio/items/{item['id']}/submit"))
    before = database_state()
    # when
    response = client.post(f"/catalog/studio/items/{item['id']}/approve")
    # then
    assert_problem(response, 403, "own_work")
    assert changed_tables(before, database_state()) == []
    assert CatalogItem.objects.get(pk=item["id"]).state == ItemState.IN_REVIEW


def test_a_reviewer_approves_once_per_round(scene: Scene, catalog: CatalogScene) -> None:
    # given: broad content needs a second approval, so the first leaves it in review
    author, reviewer = scene.world.api("author"), scene.world.api("reviewer")
    item = _create(author, catalog, audience_id=catalog.everyone.pk)
    author.post(f"/catalog/studio/items/{item['id']}/submit")
    _ok(reviewer.post(f"/catalog/studio/items/{item['id']}/approve"))
    # when
    again = reviewer.post(f"/catalog/studio/items/{item['id']}/approve")
    # then
    assert_problem(again, 409, "already_approved")


def test_audience_and_team_change_only_in_drafts(scene: Scene, catalog: CatalogScene) -> None:
    # when
    response = scene.world.api("author").patch(
        f"/catalog/studio/items/{catalog.in_review.pk}", {"audience_id": catalog.everyone.pk}
    )
    teaser = scene.world.api("author").patch(
        f"/catalog/studio/items/{catalog.gold_lesson.pk}", {"teaser_enabled": True}
    )
    # then
    assert_problem(response, 409, "not_draft")
    assert _ok(teaser)["teaser_enabled"] is True


@pytest.mark.parametrize(
    ("path", "body", "field", "code"),
    [
        ("", {"owner_team_id": None}, "owner_team_id", "required"),
        ("", {"owner_team_id": 987654}, "owner_team_id", "unknown_reference"),
        ("", {"audience_id": 987654}, "audience_id", "unknown_reference"),
        ("", {"teaser_enabled": None}, "teaser_enabled", "required"),
        ("/structure", {"children": [{"id": 987654}]}, "children", "unknown_reference"),
        (
            "/product-versions",
            {"product_version_ids": [987654]},
            "product_version_ids",
            "unknown_reference",
        ),
        ("/variants/xx", {"title": "Hm"}, "locale", "invalid_locale"),
        (
            "/formats",
            {"formats": [{"kind": "link", "url": "http://insecure.example"}]},
            "formats[0]",
            "invalid_url",
        ),
    ],
)
def test_unknown_references_and_broken_rules_name_their_field(
    scene: Scene, catalog: CatalogScene, path: str, body: dict[str, Any], field: str, code: str
) -> None:
    # given
    before = database_state()
    method = "PATCH" if not path else "PUT"
    # when
    response = send(
        scene.world.api("author"), method, f"/catalog/studio/items/{catalog.draft.pk}{path}", body
    )
    # then
    problem = assert_problem(response, 422, code)
    assert [e["field"] for e in problem["errors"]] == [field]
    assert changed_tables(before, database_state()) == []


def test_a_module_cannot_hold_a_course(scene: Scene, catalog: CatalogScene) -> None:
    # given
    author = scene.world.api("author")
    module = _create(author, catalog, kind="module")
    course = _create(author, catalog, kind="course")
    # when
    response = _put(
        author,
        f"/catalog/studio/items/{module['id']}/structure",
        {"children": [{"id": course["id"]}]},
    )
    # then
    assert_problem(response, 422, "child_kind_not_allowed")


def test_tenant_b_items_cannot_be_linked_into_tenant_a(scene: Scene, catalog: CatalogScene) -> None:
    # given
    author = scene.world.api("author")
    module = _create(author, catalog, kind="module")
    # when
    response = _put(
        author,
        f"/catalog/studio/items/{module['id']}/structure",
        {"children": [{"id": catalog.b_item.pk}]},
    )
    # then
    problem = assert_problem(response, 422, "unknown_reference")
    assert problem["errors"][0]["message"] == f"Unknown ids: {catalog.b_item.pk}."


# --- translations -------------------------------------------------------------------------------


def test_a_translator_updates_a_french_variant_and_a_reviewer_publishes_it(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    translator, reviewer = scene.world.api("translator"), scene.world.api("reviewer")
    path = f"/catalog/studio/items/{catalog.translated.pk}/translations/fr"
    # when
    written = _ok(
        _put(
            translator,
            path,
            {"title": "Dépanner les tunnels chiffrés", "summary": "Pas à pas.", "body": "Voilà."},
        )
    )
    submitted = _ok(translator.post(f"{path}/submit"))
    own = translator.post(f"{path}/review", {"approve": True})
    reviewed = _ok(reviewer.post(f"{path}/review", {"approve": True, "note": "Parfait."}))
    # then
    assert [(v["locale"], v["status"]) for v in written["variants"]] == [
        ("en", "approved"),
        ("de", "in_review"),
        ("fr", "draft"),
    ]
    assert [v["status"] for v in submitted["variants"] if v["locale"] == "fr"] == ["in_review"]
    assert_problem(own, 403, "forbidden")
    assert [v["status"] for v in reviewed["variants"] if v["locale"] == "fr"] == ["approved"]
    assert next((r["number"], r["change"], r["note"]) for r in reviewed["revisions"]) == (
        2,
        "minor",
        "Translation updated (fr).",
    )
    french = _ok(
        scene.world.api("manager").get(f"/catalog/items/{catalog.translated.pk}", locale="fr-ca")
    )
    assert (french["locale"], french["title"], french["body_html"]) == (
        "fr",
        "Dépanner les tunnels chiffrés",
        "<p>Voilà.</p>",
    )


def test_a_reviewer_sends_a_translation_back_with_a_note(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    path = f"/catalog/studio/items/{catalog.translated.pk}/translations/de/review"
    reviewer = scene.world.api("reviewer")
    # when
    without_note = reviewer.post(path, {"approve": False})
    with_note = reviewer.post(path, {"approve": False, "note": "Zu wörtlich."})
    # then
    assert_problem(without_note, 422, "note_required")
    assert [v["status"] for v in _ok(with_note)["variants"] if v["locale"] == "de"] == ["draft"]


def test_editing_the_source_flags_translations_as_needing_an_update(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    author = scene.world.api("author")
    item = _create(author, catalog)
    path = f"/catalog/studio/items/{item['id']}/variants"
    _ok(_put(author, f"{path}/fr", {"title": "Configurer les tunnels"}))
    # when
    changed = _ok(_put(author, f"{path}/en", {"title": "Configuring encrypted tunnels"}))
    # then
    assert [(v["locale"], v["is_source"], v["needs_update"]) for v in changed["variants"]] == [
        ("en", True, False),
        ("fr", False, True),
    ]


def test_the_source_language_is_not_a_translation(scene: Scene, catalog: CatalogScene) -> None:
    # when
    response = _put(
        scene.world.api("translator"),
        f"/catalog/studio/items/{catalog.translated.pk}/translations/en",
        {"title": "Hijack"},
    )
    # then
    assert_problem(response, 422, "source_locale")


# --- the studio's list --------------------------------------------------------------------------


def test_the_studio_lists_items_in_every_state_with_filters(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    client = scene.world.api("reviewer")

    def titles(**params: Any) -> list[str]:
        body = _ok(client.get("/catalog/studio/items", **params))
        return [row["title"] for row in body["items"]]

    # when / then
    assert titles() == [
        "Troubleshooting tunnels",
        "Routing policies",
        "Zero-touch provisioning",
        "Firmware upgrades",
        "Gold partner pricing",
        "Edge device basics",
    ]
    assert titles(state="in_review") == ["Zero-touch provisioning"]
    assert titles(kind="course") == []
    assert titles(owner_team=catalog.team.pk, q="tunnels TROUBLE") == ["Troubleshooting tunnels"]
    assert titles(q="tunnel fehlt") == []
    assert titles(q="Fehlersuche") == ["Troubleshooting tunnels"]  # any language's title


def test_a_studio_row_names_its_team_audience_and_revision(
    scene: Scene, catalog: CatalogScene
) -> None:
    # when
    body = _ok(scene.world.api("vendor_admin").get("/catalog/studio/items", limit=1))
    # then
    item = catalog.translated
    assert body["items"] == [
        {
            "id": item.pk,
            "kind": "lesson",
            "state": "published",
            "title": "Troubleshooting tunnels",
            "owner_team": {"id": catalog.team.pk, "name": "Product"},
            "audience": {"id": catalog.gold.pk, "name": "Gold partners"},
            "duration_minutes": 10,
            "review_by": None,
            "published_revision": 1,
            "pending_change": "",
            "created_at": body["items"][0]["created_at"],
            "updated_at": body["items"][0]["updated_at"],
        }
    ]
    assert body["next_cursor"] is not None


@pytest.mark.parametrize("principal", ["learner", "manager", "partner_admin", "other_admin"])
def test_partner_people_never_read_the_studio(
    scene: Scene, catalog: CatalogScene, principal: str
) -> None:
    # when
    listing = scene.world.api(principal).get("/catalog/studio/items")
    draft = scene.world.api(principal).get(f"/catalog/studio/items/{catalog.draft.pk}")
    # then
    assert_problem(listing, 403, "forbidden")
    assert_problem(draft, 403, "forbidden")


def test_a_translator_reads_the_studio(scene: Scene, catalog: CatalogScene) -> None:
    # when
    response = scene.world.api("translator").get(f"/catalog/studio/items/{catalog.draft.pk}")
    # then
    assert _ok(response)["state"] == "draft"


def test_the_working_copy_costs_the_same_for_1_or_12_children(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    author = scene.world.api("author")
    lessons = [_create(author, catalog, title=f"Part {n}") for n in range(12)]

    def module_with(count: int) -> int:
        module = _create(author, catalog, kind="module")
        children = [{"id": lesson["id"]} for lesson in lessons[:count]]
        _ok(_put(author, f"/catalog/studio/items/{module['id']}/structure", {"children": children}))
        return int(module["id"])

    small, large = module_with(1), module_with(12)

    def count(item_id: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            _ok(author.get(f"/catalog/studio/items/{item_id}"))
        return len(captured)

    # when / then
    count(small)
    assert count(small) == count(large)


def test_publishing_records_a_revision_snapshot(scene: Scene, catalog: CatalogScene) -> None:
    # when
    _ok(scene.world.api("author").post(f"/catalog/studio/items/{catalog.approved.pk}/publish"))
    # then
    revision = ItemRevision.objects.get(item=catalog.approved)
    assert (revision.number, revision.content["variants"]["en"]["title"]) == (
        1,
        "Routing policies",
    )
