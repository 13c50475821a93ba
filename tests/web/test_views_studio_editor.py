"""The item editor's tabs: text with a Markdown preview, settings, structure (courses built from
reusable items), formats, product versions and history."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.audit.models import AuditEntry
from cascade.catalog.format_models import LessonFormat
from cascade.catalog.item_models import CatalogItem, ItemLink, ItemVariant, ProductVersion
from cascade.catalog.items import item_product_versions_set, product_version_create
from cascade.catalog.media import media_asset_create
from cascade.catalog.revision_models import RevisionView
from cascade.catalog.revisions import revision_view_record
from cascade.tenancy.models import VendorDataAccess
from tests.catalog import conftest as catalog_scenes
from tests.catalog.conftest import Studio
from tests.conftest import make_member

# The catalog tests' authoring scene: an owner team, audiences, authors and reviewers.
studio = catalog_scenes.studio

VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello partners.\n"


def _steps(item: CatalogItem) -> list[tuple[str, bool]]:
    titles = dict(ItemVariant.objects.values_list("item_id", "title"))
    return [
        (titles[link.child_id], link.required)
        for link in ItemLink.objects.filter(parent=item).order_by("position")
    ]


def _audit_count() -> int:
    return AuditEntry.objects.count()


# --- text ---------------------------------------------------------------------------------------


def test_an_author_writes_the_source_text(studio: Studio) -> None:
    # given
    item = studio.draft("lesson", "Draft title")
    # when
    response = studio.world.browser("author").post(
        f"/studio/items/{item.pk}/text/",
        {"title": "Firewall basics", "summary": "Why zones matter.", "body": "## Zones\n\nText."},
        follow=True,
    )
    # then
    source = ItemVariant.objects.get(item=item, locale="en")
    assert (source.title, source.summary, source.body) == (
        "Firewall basics",
        "Why zones matter.",
        "## Zones\n\nText.",
    )
    assert "The text is saved." in response.content.decode()
    assert '<div class="rendered"><h2>Zones</h2>' in response.content.decode()


def test_the_preview_button_renders_without_saving_and_strips_scripts(studio: Studio) -> None:
    # given
    item = studio.draft("lesson", "Draft title")
    client = studio.world.browser("author")
    body = "# Title\n\n<script>alert(1)</script>**bold**"
    # when
    without_javascript = client.post(
        f"/studio/items/{item.pk}/text/", {"title": "Changed", "body": body, "preview": "1"}
    )
    with_htmx = client.post(
        f"/studio/items/{item.pk}/preview/", {"body": body}, headers={"HX-Request": "true"}
    )
    # then
    assert ItemVariant.objects.get(item=item).title == "Draft title"
    assert "Not saved yet." in without_javascript.content.decode()
    fragment = with_htmx.content.decode()
    assert fragment.strip() == (
        '<div class="rendered"><h2>Title</h2>\n\n<p><strong>bold</strong></p></div>'
    )
    assert "<script>" not in without_javascript.content.decode().split('id="preview"')[1]


def test_an_empty_title_is_refused_beside_the_field(studio: Studio) -> None:
    item = studio.draft("lesson", "Draft title")
    response = studio.world.browser("author").post(
        f"/studio/items/{item.pk}/text/", {"title": "", "body": "x"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"title": ["This field is required."]}
    assert ItemVariant.objects.get(item=item).title == "Draft title"


def test_text_of_an_item_in_review_is_read_only(studio: Studio) -> None:
    # given
    item = studio.published("lesson", "Published title")
    client = studio.world.browser("author")
    # when
    page = client.get(f"/studio/items/{item.pk}/text/")
    refused = client.post(f"/studio/items/{item.pk}/text/", {"title": "Sneaky edit"})
    # then
    assert b"<textarea" not in page.content
    assert b"Start a new revision from the Overview" in page.content
    assert refused.status_code == 409
    assert b"Only drafts can be edited." in refused.content
    assert ItemVariant.objects.get(item=item).title == "Published title"


# --- settings -----------------------------------------------------------------------------------


def test_settings_change_audience_duration_review_date_and_teaser(studio: Studio) -> None:
    # given
    item = studio.draft("lesson", "Firewall basics")
    # when
    response = studio.world.browser("author").post(
        f"/studio/items/{item.pk}/settings/",
        {
            "audience": str(studio.everyone.pk),
            "owner_team": str(studio.team.pk),
            "duration_minutes": "25",
            "review_by": "2031-03-01",
            "teaser_enabled": "on",
        },
        follow=True,
    )
    # then
    item.refresh_from_db()
    assert (item.audience_id, item.duration_minutes, item.review_by, item.teaser_enabled) == (
        studio.everyone.pk,
        25,
        date(2031, 3, 1),
        True,
    )
    assert "The settings are saved." in response.content.decode()


def test_a_published_item_keeps_its_audience_but_its_review_date_changes(studio: Studio) -> None:
    # given
    item = studio.published("lesson", "Firewall basics")
    # when: a crafted post tries to change the audience too
    response = studio.world.browser("author").post(
        f"/studio/items/{item.pk}/settings/",
        {
            "audience": str(studio.everyone.pk),
            "owner_team": str(studio.team.pk),
            "review_by": "2031-03-01",
        },
    )
    # then
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.audience_id, item.review_by) == (studio.gold.pk, date(2031, 3, 1))


def test_bad_settings_are_shown_beside_their_fields(studio: Studio) -> None:
    item = studio.draft("lesson", "Firewall basics")
    response = studio.world.browser("author").post(
        f"/studio/items/{item.pk}/settings/",
        {"owner_team": str(studio.team.pk), "duration_minutes": "0", "review_by": "soon"},
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"duration_minutes", "review_by"}


def test_the_teaser_toggle_names_the_tier_the_audience_asks_for(studio: Studio) -> None:
    from cascade.catalog.audiences import RuleSpec
    from cascade.catalog.services import audience_create

    gold_and_up = audience_create(
        actor=studio.world.actor("author"),
        name="Gold and above",
        rules=[RuleSpec.of(minimum_tier_rank=3)],
    )
    item = studio.draft("lesson", "Exclusive", audience=gold_and_up)
    response = studio.world.browser("author").get(f"/studio/items/{item.pk}/settings/")
    assert "Partners below the tier see “Available at Gold”." in response.content.decode()


# --- structure ----------------------------------------------------------------------------------


def test_an_author_builds_a_module_from_reusable_lessons(studio: Studio) -> None:
    # given
    first = studio.published("lesson", "Zones")
    second = studio.published("lesson", "Policies")
    module = studio.draft("module", "Firewall module")
    client = studio.world.browser("author")
    url = f"/studio/items/{module.pk}/structure/"
    # when
    client.post(url, {"op": "add", "child": first.pk})
    client.post(url, {"op": "add", "child": second.pk})
    client.post(url, {"op": "up", "child": second.pk})
    response = client.post(url, {"op": "required", "child": first.pk, "required": "0"}, follow=True)
    # then
    assert _steps(module) == [("Policies", True), ("Zones", False)]
    assert "“Zones” is now optional." in response.content.decode()
    # when
    client.post(url, {"op": "remove", "child": second.pk})
    # then
    assert _steps(module) == [("Zones", False)]


def test_the_search_offers_only_kinds_the_item_may_contain(studio: Studio) -> None:
    # given
    studio.published("lesson", "Firewall zones")
    studio.published("card", "Firewall tip")
    studio.published("module", "Firewall module")
    course = studio.draft("course", "Firewall course")
    module = studio.draft("module", "Another module")
    client = studio.world.browser("author")
    # when
    for_module = client.get(
        f"/studio/items/{module.pk}/structure/?q=firewall",
        headers={"HX-Request": "true", "HX-Target": "candidates"},
    )
    for_course = client.get(f"/studio/items/{course.pk}/structure/?q=firewall")
    # then
    assert [c.title for c in for_module.context["candidates"]] == ["Firewall tip", "Firewall zones"]
    assert "<html" not in for_module.content.decode()
    assert [c.title for c in for_course.context["candidates"]] == ["Firewall module"]


def test_adding_a_kind_the_item_cannot_contain_is_refused_readably(studio: Studio) -> None:
    # given
    lesson = studio.published("lesson", "Zones")
    course = studio.draft("course", "Firewall course")
    before = _audit_count()
    # when
    response = studio.world.browser("author").post(
        f"/studio/items/{course.pk}/structure/", {"op": "add", "child": lesson.pk}
    )
    # then
    assert response.status_code == 422
    assert "A course cannot contain a lesson." in response.content.decode()
    assert (_steps(course), _audit_count()) == ([], before)


def test_a_course_author_creates_a_module_in_place(studio: Studio) -> None:
    # given
    course = studio.draft("course", "Firewall course")
    # when
    response = studio.world.browser("author").post(
        f"/studio/items/{course.pk}/structure/",
        {"op": "new", "starter": "course-module", "title": "Module 1: Why customers buy"},
        follow=True,
    )
    # then
    assert _steps(course) == [("Module 1: Why customers buy", True)]
    module = CatalogItem.objects.get(kind="module")
    assert (module.owner_team_id, module.audience_id, module.state) == (
        course.owner_team_id,
        course.audience_id,
        "draft",
    )
    assert "is created and added as the last step." in response.content.decode()


def test_a_new_step_of_a_kind_the_item_cannot_contain_is_refused(studio: Studio) -> None:
    course = studio.draft("course", "Firewall course")
    response = studio.world.browser("author").post(
        f"/studio/items/{course.pk}/structure/",
        {"op": "new", "starter": "video-lesson", "title": "A lesson"},
    )
    assert response.status_code == 422
    assert "A course cannot contain a lesson." in response.content.decode()
    assert CatalogItem.objects.count() == 1


def test_a_path_asks_how_many_electives_complete_it(studio: Studio) -> None:
    # given
    path = studio.draft("path", "Security path")
    lessons = [studio.published("lesson", f"Lesson {n}") for n in range(3)]
    client = studio.world.browser("author")
    url = f"/studio/items/{path.pk}/structure/"
    for lesson in lessons:
        client.post(url, {"op": "add", "child": lesson.pk})
    for lesson in lessons[1:]:
        client.post(url, {"op": "required", "child": lesson.pk, "required": "0"})
    # when
    too_many = client.post(url, {"op": "electives", "electives_required": "3"})
    fine = client.post(url, {"op": "electives", "electives_required": "1"})
    # then
    assert too_many.status_code == 422
    assert "Choose between 0 and 2 electives." in too_many.content.decode()
    assert fine.status_code == 302
    assert CatalogItem.objects.get(pk=path.pk).electives_required == 1


def test_the_structure_of_a_published_item_does_not_change(studio: Studio) -> None:
    lesson = studio.published("lesson", "Zones")
    module = studio.container("module", "Module", [lesson])
    response = studio.world.browser("author").post(
        f"/studio/items/{module.pk}/structure/", {"op": "remove", "child": lesson.pk}
    )
    assert response.status_code == 409
    assert _steps(module) == [("Zones", True)]


def test_an_unknown_step_is_a_readable_error(studio: Studio) -> None:
    module = studio.draft("module", "Module")
    response = studio.world.browser("author").post(
        f"/studio/items/{module.pk}/structure/", {"op": "up", "child": "99999"}
    )
    assert response.status_code == 422
    assert "That step is no longer there." in response.content.decode()


# --- formats ------------------------------------------------------------------------------------


def test_an_author_offers_a_video_with_captions_and_an_article(studio: Studio) -> None:
    # given
    author = studio.world.actor("author")
    captions = media_asset_create(
        actor=author,
        kind="captions",
        upload=SimpleUploadedFile("demo.vtt", VTT),
        title="Demo captions",
        language="en",
    )
    lesson = studio.draft("lesson", "Demo")
    client = studio.world.browser("author")
    url = f"/studio/items/{lesson.pk}/formats/"
    # when
    client.post(
        url,
        {
            "op": "add",
            "kind": "video",
            "url": "https://video.example/demo.mp4",
            "track_ids": [str(captions.pk)],
        },
    )
    client.post(url, {"op": "add", "kind": "article"})
    article = LessonFormat.objects.get(item=lesson, kind="article")
    response = client.post(url, {"op": "up", "format": article.pk}, follow=True)
    # then
    formats = list(LessonFormat.objects.filter(item=lesson).order_by("position"))
    assert [(f.kind, f.url) for f in formats] == [
        ("article", ""),
        ("video", "https://video.example/demo.mp4"),
    ]
    assert list(formats[1].tracks.values_list("pk", flat=True)) == [captions.pk]
    assert "The formats are reordered." in response.content.decode()
    assert "Demo captions" in response.content.decode()


def test_a_video_without_a_source_is_refused_with_the_reason(studio: Studio) -> None:
    lesson = studio.draft("lesson", "Demo")
    response = studio.world.browser("author").post(
        f"/studio/items/{lesson.pk}/formats/", {"op": "add", "kind": "video"}
    )
    assert response.status_code == 422
    assert "A video is either a file or an address." in response.content.decode()
    assert LessonFormat.objects.filter(item=lesson).count() == 0


def test_a_plain_http_address_is_refused(studio: Studio) -> None:
    lesson = studio.draft("lesson", "Demo")
    response = studio.world.browser("author").post(
        f"/studio/items/{lesson.pk}/formats/",
        {"op": "add", "kind": "link", "url": "http://insecure.example/"},
    )
    assert response.status_code == 422
    assert "Use an https:// address." in response.content.decode()


def test_removing_a_format(studio: Studio) -> None:
    lesson = studio.draft("lesson", "Demo")
    client = studio.world.browser("author")
    client.post(f"/studio/items/{lesson.pk}/formats/", {"op": "add", "kind": "article"})
    article = LessonFormat.objects.get(item=lesson)
    client.post(f"/studio/items/{lesson.pk}/formats/", {"op": "remove", "format": article.pk})
    assert LessonFormat.objects.filter(item=lesson).count() == 0


def test_courses_have_no_formats_tab_but_a_structure_tab(studio: Studio) -> None:
    course = studio.draft("course", "Course")
    tabs = studio.world.browser("author").get(f"/studio/items/{course.pk}/").context["tabs"]
    assert [t.label for t in tabs] == [
        "Overview",
        "Text",
        "Settings",
        "Structure",
        "Product versions",
        "Translations",
        "History",
    ]


# --- product versions ---------------------------------------------------------------------------


def test_an_author_tags_an_item_with_product_versions(studio: Studio) -> None:
    # given
    author = studio.world.actor("author")
    old = product_version_create(actor=author, product_line_name="Edge", name="7.0")
    new = product_version_create(actor=author, product_line_name="Edge", name="8.0")
    lesson = studio.draft("lesson", "Demo")
    # when
    response = studio.world.browser("author").post(
        f"/studio/items/{lesson.pk}/versions/", {"versions": [str(old.pk), str(new.pk)]}
    )
    # then
    assert response.status_code == 302
    assert sorted(lesson.product_versions.values_list("name", flat=True)) == ["7.0", "8.0"]


def test_product_versions_are_added_and_marked_legacy(studio: Studio) -> None:
    # given
    client = studio.world.browser("author")
    url = "/studio/product-versions/"
    # when
    client.post(url, {"form": "create", "product_line": "Edge", "name": "7.0"})
    client.post(url, {"form": "create", "product_line": "Edge", "name": "8.0"})
    duplicate = client.post(url, {"form": "create", "product_line": "Edge", "name": "8.0"})
    old = ProductVersion.objects.get(name="7.0")
    new = ProductVersion.objects.get(name="8.0")
    legacy = client.post(
        url, {"form": "supersede", "version": old.pk, "superseded_by": new.pk}, follow=True
    )
    # then
    assert duplicate.status_code == 409
    assert "Edge 8.0 exists already." in duplicate.content.decode()
    assert ProductVersion.objects.get(pk=old.pk).superseded_by_id == new.pk
    assert "7.0 is now legacy; learners are pointed to 8.0." in legacy.content.decode()


def test_a_version_cannot_replace_itself(studio: Studio) -> None:
    version = product_version_create(
        actor=studio.world.actor("author"), product_line_name="Edge", name="7.0"
    )
    response = studio.world.browser("author").post(
        "/studio/product-versions/",
        {"form": "supersede", "version": version.pk, "superseded_by": version.pk},
    )
    assert response.status_code == 422
    assert "Choose another version of the same product line." in response.content.decode()


def test_reviewers_see_product_versions_but_cannot_add_them(studio: Studio) -> None:
    client = studio.world.browser("reviewer")
    assert b"Add the version" not in client.get("/studio/product-versions/").content
    refused = client.post(
        "/studio/product-versions/", {"form": "create", "product_line": "Edge", "name": "9"}
    )
    assert refused.status_code == 403
    assert ProductVersion.objects.count() == 0


# --- history ------------------------------------------------------------------------------------


def test_the_history_shows_changes_revisions_and_who_saw_them(studio: Studio) -> None:
    # given
    world = studio.world
    item = studio.published("lesson", "Firewall basics")
    item_product_versions_set(actor=world.actor("author"), item=item, versions=[])
    revision_view_record(
        actor=world.actor("learner"),
        item=item,
        revision=item.published_revision,  # type: ignore[arg-type]
        locale="en",
    )
    # someone of an organization that shares only aggregates with the vendor
    world.orgs["other"].vendor_data_access = VendorDataAccess.AGGREGATES
    world.orgs["other"].save()
    make_member(world, "private_learner", world.tenant, world.orgs["other"], ["learner"])
    revision_view_record(
        actor=world.actor("private_learner"),
        item=item,
        revision=item.published_revision,  # type: ignore[arg-type]
        locale="en",
    )
    # when
    response = world.browser("author").get(f"/studio/items/{item.pk}/history/")
    # then
    labels = [label for _, label in response.context["history"]]
    assert labels == [
        "Changed the product versions",
        "Published",
        "Approval complete",
        "Approved",
        "Submitted for review",
        "Created",
        "Edited the text",
    ]
    assert [r.viewer_count for r in response.context["revisions"]] == [2]
    assert [v.person.full_name for v in response.context["viewers"]] == ["Learner"]
    assert RevisionView.objects.count() == 2
