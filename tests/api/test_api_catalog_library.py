"""What authors pick from through the API: audiences, teams, product versions, media files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.models import Audience
from tests.api.conftest import CatalogScene, Scene, assert_problem, changed_tables, database_state
from tests.conftest import ApiClient

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nBienvenue à la formation.\n".encode()
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"v" * 64


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _upload(client: ApiClient, name: str, content: bytes, **fields: Any) -> Any:
    data = {"file": SimpleUploadedFile(name, content), "kind": "document", "title": name, **fields}
    return client.client.post("/api/v1/catalog/studio/media", data, headers=client.headers)


def _stored(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


# --- audiences ----------------------------------------------------------------------------------


def test_an_author_creates_an_audience_and_learners_are_judged_by_it(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    world = scene.world
    author = world.api("author")
    security = world.structure["security"]
    # when: EMEA security partners, except the reseller
    created = _ok(
        author.post(
            "/catalog/studio/audiences",
            {
                "name": "EMEA security",
                "description": "Pilot",
                "rules": [
                    {"criteria": {"region": [world.structure["emea"].pk], "country": ["FR"]}},
                    {
                        "effect": "exclude",
                        "criteria": {"organization": [world.orgs["reseller"].pk]},
                    },
                    {"minimum_tier_rank": 3, "criteria": {"specialization": [str(security.pk)]}},
                ],
            },
        ),
        201,
    )
    # then
    assert created["name"] == "EMEA security"
    assert created["reaches_every_partner"] is False
    assert created["rules"] == [
        {
            "effect": "include",
            "minimum_tier_rank": None,
            "criteria": {"country": ["FR"], "region": [str(world.structure["emea"].pk)]},
        },
        {
            "effect": "exclude",
            "minimum_tier_rank": None,
            "criteria": {"organization": [str(world.orgs["reseller"].pk)]},
        },
        {
            "effect": "include",
            "minimum_tier_rank": 3,
            "criteria": {"specialization": [str(security.pk)]},
        },
    ]
    assert _ok(author.get(f"/catalog/studio/audiences/{created['id']}")) == created


def test_replacing_an_audiences_rules(scene: Scene, catalog: CatalogScene) -> None:
    # given
    path = f"/catalog/studio/audiences/{catalog.gold.pk}"
    # when
    renamed = _ok(scene.world.api("author").patch(path, {"name": "Gold (2027)"}))
    widened = _ok(scene.world.api("author").patch(path, {"rules": [{}]}))
    # then: the rules stay until new ones are given
    assert renamed["rules"] == [
        {
            "effect": "include",
            "minimum_tier_rank": None,
            "criteria": {"tier": [str(scene.world.structure["gold"].pk)]},
        }
    ]
    assert (widened["name"], widened["reaches_every_partner"]) == ("Gold (2027)", True)
    assert _ok(scene.world.api("learner").get(f"/catalog/items/{catalog.gold_lesson.pk}"))


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"name": "Every partner", "rules": [{}]}, 409, "duplicate_name", None),
        ({"name": "Nobody", "rules": []}, 422, "required", "rules"),
        ({"name": "Nobody", "rules": [{"effect": "exclude"}]}, 422, "no_include_rule", "rules"),
        (
            {"name": "Mars", "rules": [{"criteria": {"country": ["MARS"]}}]},
            422,
            "invalid_country",
            "rules.0",
        ),
        (
            {"name": "Ghosts", "rules": [{"criteria": {"tier": [987654]}}]},
            422,
            "unknown_reference",
            "rules.0",
        ),
        (
            {"name": "Pilots", "rules": [{"criteria": {"job_role": ["pilot"]}}]},
            422,
            "invalid_choice",
            "rules.0",
        ),
        (
            {"name": "Moods", "rules": [{"criteria": {"mood": ["happy"]}}]},
            422,
            "invalid_input",
            "rules.0.criteria.mood.[key]",
        ),
    ],
)
def test_audience_rules_are_checked(
    scene: Scene,
    catalog: CatalogScene,
    body: dict[str, Any],
    status: int,
    code: str,
    field: str | None,
) -> None:
    # given
    before = database_state()
    # when
    response = scene.world.api("author").post("/catalog/studio/audiences", body)
    # then
    problem = assert_problem(response, status, code)
    if field is not None:
        assert [e["field"] for e in problem["errors"]] == [field]
    assert changed_tables(before, database_state()) == []


def test_audiences_of_tenant_b_cannot_be_given_to_items_of_tenant_a(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    b_audience = Audience.unscoped.get(tenant=scene.world.other_tenant)
    # when
    response = scene.world.api("author").patch(
        f"/catalog/studio/items/{catalog.draft.pk}", {"audience_id": b_audience.pk}
    )
    # then
    assert_problem(response, 422, "unknown_reference")


def test_audiences_are_listed_by_name_page_by_page(scene: Scene, catalog: CatalogScene) -> None:
    # given
    client = scene.world.api("reviewer")
    # when
    first = _ok(client.get("/catalog/studio/audiences", limit=1))
    second = _ok(client.get("/catalog/studio/audiences", limit=1, cursor=first["next_cursor"]))
    # then
    assert [a["name"] for a in first["items"] + second["items"]] == [
        "Every partner",
        "Gold partners",
    ]
    assert second["next_cursor"] is None


# --- teams and product versions -----------------------------------------------------------------


def test_teams_are_listed_with_their_members(scene: Scene, catalog: CatalogScene) -> None:
    # when
    body = _ok(scene.world.api("author").get("/catalog/studio/teams"))
    # then
    reviewer = scene.world.people["product_reviewer"]
    assert body == {
        "items": [
            {
                "id": catalog.team.pk,
                "name": "Product",
                "members": [
                    {"id": reviewer.pk, "email": reviewer.email, "full_name": "Product Reviewer"}
                ],
            }
        ],
        "next_cursor": None,
    }


def test_a_new_version_supersedes_the_old_one(scene: Scene, catalog: CatalogScene) -> None:
    # given
    author = scene.world.api("author")
    # when
    created = _ok(
        author.post(
            "/catalog/studio/product-versions",
            {"product_line": "EdgeOS", "name": "9", "released_on": "2027-03-01"},
        ),
        201,
    )
    nine = next(v for v in created["versions"] if v["name"] == "9")
    superseded = _ok(
        author.post(
            f"/catalog/studio/product-versions/{catalog.v8.pk}/supersede",
            {"superseded_by_id": nine["id"]},
        )
    )
    again = _ok(
        author.post(
            f"/catalog/studio/product-versions/{catalog.v7.pk}/supersede",
            {"superseded_by_id": catalog.v8.pk},
        )
    )
    # then: 7 -> 8 -> 9, so 7's current version is 9
    assert [(v["name"], v["released_on"]) for v in created["versions"]] == [
        ("9", "2027-03-01"),
        ("7", None),
        ("8", None),
    ]
    assert [(v["name"], v["legacy"], v["current_id"]) for v in superseded["versions"]] == [
        ("9", False, None),
        ("7", False, None),
        ("8", True, nine["id"]),
    ]
    assert [(v["name"], v["current_id"]) for v in again["versions"]] == [
        ("9", None),
        ("7", nine["id"]),
        ("8", nine["id"]),
    ]
    page = _ok(scene.world.api("learner").get(f"/catalog/items/{catalog.open_lesson.pk}"))
    assert page["product_versions"] == [
        {
            "id": catalog.v8.pk,
            "label": "EdgeOS 8",
            "legacy": True,
            "current_label": "EdgeOS 9",
            "current_id": nine["id"],
        }
    ]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"product_line": "EdgeOS", "name": "8"}, 409, "duplicate_version"),
        ({"product_line": "  ", "name": "8"}, 422, "invalid_input"),
    ],
)
def test_product_versions_are_unique_per_line(
    scene: Scene, catalog: CatalogScene, body: dict[str, Any], status: int, code: str
) -> None:
    # when
    response = scene.world.api("author").post("/catalog/studio/product-versions", body)
    # then
    assert_problem(response, status, code)


def test_a_version_cannot_be_superseded_by_itself_or_in_a_cycle(
    scene: Scene, catalog: CatalogScene
) -> None:
    # given
    author = scene.world.api("author")
    path = "/catalog/studio/product-versions/{}/supersede"
    author.post(path.format(catalog.v7.pk), {"superseded_by_id": catalog.v8.pk})
    # when
    itself = author.post(path.format(catalog.v8.pk), {"superseded_by_id": catalog.v8.pk})
    cycle = author.post(path.format(catalog.v8.pk), {"superseded_by_id": catalog.v7.pk})
    unknown = author.post(path.format(catalog.v8.pk), {"superseded_by_id": 987654})
    # then
    assert_problem(itself, 422, "invalid_successor")
    assert_problem(cycle, 422, "succession_cycle")
    assert_problem(unknown, 422, "unknown_reference")


# --- media library ------------------------------------------------------------------------------


def test_an_author_uploads_a_document_with_its_metadata(
    scene: Scene, catalog: CatalogScene, media_root: Path
) -> None:
    # when
    response = _upload(
        scene.world.api("author"),
        "Datasheet.PDF",
        PDF,
        title="EdgeOS datasheet",
        tags=["Setup", "edge"],
        product="EdgeOS",
        language="en",
        owner="Northwind",
        download_allowed="false",
    )
    # then
    body = _ok(response, 201)
    author = scene.world.people["author"]
    assert {k: v for k, v in body.items() if k not in ("id", "created_at", "updated_at")} == {
        "kind": "document",
        "title": "EdgeOS datasheet",
        "description": "",
        "tags": ["setup", "edge"],
        "product": "EdgeOS",
        "language": "en",
        "owner": "Northwind",
        "rights_notes": "",
        "download_allowed": False,
        "content_type": "application/pdf",
        "size": len(PDF),
        "original_name": "Datasheet.PDF",
        "video_id": None,
        "created_by": {"id": author.pk, "email": author.email, "full_name": "Author"},
    }
    assert len(_stored(media_root)) == 1


def test_a_captions_track_belongs_to_its_video(
    scene: Scene, catalog: CatalogScene, media_root: Path
) -> None:
    # given
    author = scene.world.api("author")
    video = _ok(_upload(author, "intro.mp4", MP4, kind="video"), 201)
    # when
    track = _ok(
        _upload(author, "intro.fr.vtt", VTT, kind="captions", language="fr", video_id=video["id"]),
        201,
    )
    refused = author.delete(f"/catalog/studio/media/{video['id']}")
    detached = _ok(author.patch(f"/catalog/studio/media/{track['id']}", {"video_id": None}))
    # then
    assert track["video_id"] == video["id"]
    assert_problem(refused, 409, "in_use")
    assert detached["video_id"] is None
    assert author.delete(f"/catalog/studio/media/{video['id']}").status_code == 204


@pytest.mark.parametrize(
    ("name", "content", "fields", "code", "field"),
    [
        ("page.pdf", b"<html><script>x()</script></html>", {}, "unsupported_type", "file"),
        ("empty.pdf", b"", {}, "empty_file", "file"),
        ("guide.pdf", PDF, {"kind": "image"}, "kind_mismatch", "file"),
        ("guide.pdf", PDF, {"language": "xx"}, "invalid_choice", "language"),
        ("guide.pdf", PDF, {"video_id": 987654}, "unknown_reference", "video_id"),
        ("guide.pdf", PDF, {"colour": "blue"}, "invalid_input", "colour"),
        ("guide.pdf", PDF, {"download_allowed": "often"}, "invalid_input", "download_allowed"),
        ("guide.pdf", PDF, {"title": "x" * 201}, "invalid_input", "title"),
    ],
)
def test_bad_uploads_are_refused_and_store_nothing(
    scene: Scene,
    catalog: CatalogScene,
    media_root: Path,
    name: str,
    content: bytes,
    fields: dict[str, Any],
    code: str,
    field: str,
) -> None:
    # given
    before = database_state()
    # when
    response = _upload(scene.world.api("author"), name, content, **fields)
    # then
    problem = assert_problem(response, 422, code)
    assert [e["field"] for e in problem["errors"]] == [field]
    assert changed_tables(before, database_state()) == []
    assert _stored(media_root) == []


def test_an_upload_without_a_file_names_the_missing_field(
    scene: Scene, catalog: CatalogScene, media_root: Path
) -> None:
    # given
    client = scene.world.api("author")
    # when
    response = client.client.post(
        "/api/v1/catalog/studio/media",
        {"kind": "document", "title": "Guide"},
        headers=client.headers,
    )
    # then
    problem = assert_problem(response, 422, "invalid_input")
    assert [e["field"] for e in problem["errors"]] == ["file"]


def test_the_same_file_twice_is_a_conflict(
    scene: Scene, catalog: CatalogScene, media_root: Path
) -> None:
    # given
    author = scene.world.api("author")
    _ok(_upload(author, "guide.pdf", PDF), 201)
    # when
    again = _upload(author, "copy.pdf", PDF)
    # then
    assert_problem(again, 409, "duplicate_asset")
    assert len(_stored(media_root)) == 1


def test_the_library_is_filtered_and_paged(
    scene: Scene, catalog: CatalogScene, media_root: Path
) -> None:
    # given
    author = scene.world.api("author")
    _ok(_upload(author, "intro.mp4", MP4, kind="video", title="Intro video", tags=["edge"]), 201)
    _ok(_upload(author, "sheet.pdf", PDF, title="Edge sheet", language="fr"), 201)

    def titles(**params: Any) -> list[str]:
        return [a["title"] for a in _ok(author.get("/catalog/studio/media", **params))["items"]]

    # when / then
    assert titles() == ["Edge sheet", "Intro video", "Installation guide"]
    assert titles(kind="video") == ["Intro video"]
    assert titles(language="fr") == ["Edge sheet"]
    assert titles(tag="EDGE") == ["Intro video"]
    assert titles(q="guide install") == ["Installation guide"]
    first = _ok(author.get("/catalog/studio/media", limit=2))
    rest = _ok(author.get("/catalog/studio/media", limit=2, cursor=first["next_cursor"]))
    assert [a["title"] for a in rest["items"]] == ["Installation guide"]


def test_metadata_changes_and_a_file_in_use_stays(scene: Scene, catalog: CatalogScene) -> None:
    # given: the guide is a lesson's document
    author = scene.world.api("author")
    path = f"/catalog/studio/media/{catalog.guide.pk}"
    item_formats_set(
        actor=scene.world.actor("author"),
        item=catalog.draft,
        formats=[FormatSpec(kind="document", media_id=catalog.guide.pk)],
    )
    # when
    changed = _ok(author.patch(path, {"title": "Install guide v2", "tags": ["Install"]}))
    refused = author.delete(path)
    # then
    assert (changed["title"], changed["tags"]) == ("Install guide v2", ["install"])
    assert_problem(refused, 409, "in_use")
    assert MediaAsset.objects.filter(pk=catalog.guide.pk).exists()


def test_partner_people_never_see_the_library(scene: Scene, catalog: CatalogScene) -> None:
    # when
    listing = scene.world.api("partner_admin").get("/catalog/studio/media")
    asset = scene.world.api("learner").get(f"/catalog/studio/media/{catalog.guide.pk}")
    # then
    assert_problem(listing, 403, "forbidden")
    assert_problem(asset, 403, "forbidden")
