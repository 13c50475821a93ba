"""The learner catalog pages: browsing with filters, search, an item's page and its media, each
showing a partner person only what their audience admits (anything else is a 404 like an item
that does not exist)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cascade.catalog.audiences import RuleSpec
from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import CatalogItem, CatalogTeam
from cascade.catalog.items import (
    item_approve,
    item_create,
    item_product_versions_set,
    item_publish,
    item_structure_set,
    item_submit,
    item_update,
    product_version_create,
    product_version_supersede,
    variant_save,
)
from cascade.catalog.media import media_asset_create
from cascade.catalog.media_models import MediaAsset
from cascade.catalog.models import Audience
from cascade.catalog.revision_models import ItemRevision, RevisionView
from cascade.catalog.revisions import item_revise
from cascade.catalog.services import audience_create
from tests.conftest import World, make_member
from tests.web.conftest import queries

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"v" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
CAPTIONS_FR = b"WEBVTT\n\n00:00.000 --> 00:02.000\nBienvenue dans le laboratoire.\n"
TRANSCRIPT_EN = b"WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome to the edge lab.\n"


@dataclass
class Scene:
    """Tenant A's catalog team, and audiences for every partner and for Gold and above. The
    Gold learner works for Distri Europe (Gold); the world's learner for Reseller Paris
    (Silver)."""

    world: World
    team: CatalogTeam
    everyone: Audience
    gold: Audience

    def draft(self, kind: str = "lesson", title: str = "Edge basics", **kwargs: Any) -> Any:
        kwargs.setdefault("audience", self.gold)
        return item_create(
            actor=self.world.actor("author"),
            kind=kind,
            owner_team=self.team,
            title=title,
            **kwargs,
        )

    def publish(self, item: CatalogItem) -> CatalogItem:
        item = item_submit(actor=self.world.actor("author"), item=item)
        item_approve(actor=self.world.actor("product_reviewer"), item=item)
        item.refresh_from_db()
        if item.state == "in_review":
            item_approve(actor=self.world.actor("reviewer"), item=item)
        item = item_publish(actor=self.world.actor("author"), item=item)
        item.refresh_from_db()
        return item

    def published(self, kind: str = "lesson", title: str = "Edge basics", **kwargs: Any) -> Any:
        return self.publish(self.draft(kind, title, **kwargs))

    def container(
        self,
        kind: str,
        title: str,
        children: list[tuple[Any, bool]],
        electives_required: int = 0,
        **kwargs: Any,
    ) -> Any:
        item = self.draft(kind, title, **kwargs)
        item_structure_set(
            actor=self.world.actor("author"),
            item=item,
            children=children,
            electives_required=electives_required,
        )
        return self.publish(item)

    def media(self, kind: str, name: str, content: bytes, **fields: Any) -> MediaAsset:
        fields.setdefault("title", name)
        return media_asset_create(
            actor=self.world.actor("author"),
            kind=kind,
            upload=SimpleUploadedFile(name, content),
            **fields,
        )


def build_scene(world: World) -> Scene:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    make_member(world, "product_reviewer", world.tenant, None, ["reviewer"], "other")
    make_member(world, "gold_learner", world.tenant, world.orgs["dist"], ["learner"])
    world.tenant.supported_locales = ["en", "fr", "fr-ca", "de"]
    world.tenant.save(update_fields=["supported_locales"])
    team = CatalogTeam.objects.create(tenant=world.tenant, name="Product")
    team.members.add(world.people["product_reviewer"])
    author = world.actor("author")
    everyone = audience_create(actor=author, name="Every partner", rules=[RuleSpec()])
    gold = audience_create(
        actor=author,
        name="Gold and above",
        rules=[RuleSpec.of(minimum_tier_rank=world.structure["gold"].rank)],
    )
    return Scene(world=world, team=team, everyone=everyone, gold=gold)


@pytest.fixture
def scene(world: World, settings: Any, tmp_path: Path) -> Scene:
    settings.MEDIA_ROOT = str(tmp_path)
    return build_scene(world)


def _without_csrf(response: Any) -> str:
    """The page with its per-response CSRF token blanked, to compare two pages."""
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _titles(response: Any) -> list[str]:
    return [entry.card.title for entry in response.context["cards"]]


def _lesson_with_formats(
    scene: Scene, *, download_allowed: bool = False
) -> tuple[Any, dict[str, MediaAsset]]:
    video = scene.media(
        "video", "edge-lab.mp4", MP4, language="en", download_allowed=download_allowed
    )
    captions = scene.media("captions", "edge-lab.fr.vtt", CAPTIONS_FR, language="fr", video=video)
    transcript = scene.media(
        "transcript", "edge-lab.en.vtt", TRANSCRIPT_EN, language="en", video=video
    )
    guide = scene.media(
        "document", "edge-guide.pdf", PDF, title="Edge guide", download_allowed=download_allowed
    )
    lesson = scene.draft(
        "lesson",
        "Edge lab",
        summary="Set up an edge device.",
        body="## Steps\n\nPlug the device in.",
        duration_minutes=20,
    )
    item_formats_set(
        actor=scene.world.actor("author"),
        item=lesson,
        formats=[
            FormatSpec(kind="video", media_id=video.pk, track_ids=[captions.pk, transcript.pk]),
            FormatSpec(kind="article"),
            FormatSpec(kind="document", media_id=guide.pk),
            FormatSpec(kind="link", url="https://docs.example.com/edge"),
            FormatSpec(kind="assessment", reference="later"),
        ],
    )
    media = {"video": video, "captions": captions, "transcript": transcript, "guide": guide}
    return scene.publish(lesson), media


# --- browsing -----------------------------------------------------------------------------------


def test_gold_learner_browses_and_opens_a_published_course(scene: Scene) -> None:
    # given
    lesson = scene.published("lesson", "Edge lab", duration_minutes=20)
    module = scene.container("module", "Edge module", [(lesson, True)])
    course = scene.container(
        "course",
        "Configuring SD-WAN edge devices",
        [(module, True)],
        summary="Hands-on setup of an edge device.",
        body="## Before you start\n\nHave a device ready.",
        duration_minutes=45,
    )
    client = scene.world.browser("gold_learner")
    # when
    listing = client.get("/catalog/")
    opened = client.get(f"/catalog/{course.pk}/")
    # then
    assert listing.status_code == 200
    assert _titles(listing) == ["Configuring SD-WAN edge devices", "Edge module", "Edge lab"]
    assert f'href="/catalog/{course.pk}/"' in listing.content.decode()
    assert opened.status_code == 200
    html = opened.content.decode()
    assert '<h1 id="item-title" lang="en">Configuring SD-WAN edge devices</h1>' in html
    assert "Hands-on setup of an edge device." in html
    assert "<h2>Before you start</h2>" in html
    assert f'<a href="/catalog/{module.pk}/">Edge module</a>' in html
    assert [
        (v.person_id, v.item_id, v.revision_id, v.locale) for v in RevisionView.objects.all()
    ] == [(scene.world.people["gold_learner"].pk, course.pk, course.published_revision_id, "en")]


def test_learner_of_another_tier_finds_the_item_nowhere(scene: Scene) -> None:
    # given: Gold content with a file; the world's learner works for a Silver partner
    lesson, media = _lesson_with_formats(scene)
    client = scene.world.browser("learner")
    # when
    listing = client.get("/catalog/")
    found = client.get("/catalog/search/", {"q": "edge"})
    opened = client.get(f"/catalog/{lesson.pk}/")
    unknown = client.get(f"/catalog/{lesson.pk + 1000}/")
    file = client.get(f"/catalog/{lesson.pk}/media/{media['video'].pk}/")
    # then
    assert _titles(listing) == []
    assert "Edge lab" not in listing.content.decode()
    assert found.context["hits"] == []
    assert "Edge lab" not in found.content.decode()
    assert (opened.status_code, unknown.status_code, file.status_code) == (404, 404, 404)
    assert _without_csrf(opened) == _without_csrf(unknown)
    assert "Edge lab" not in opened.content.decode()
    assert RevisionView.objects.count() == 0


def test_other_tenants_people_never_see_tenant_a_items(scene: Scene) -> None:
    # given
    lesson = scene.published("lesson", "Edge lab", audience=scene.everyone)
    client = scene.world.browser("b_admin")
    # when
    listing = client.get("/catalog/")
    opened = client.get(f"/catalog/{lesson.pk}/")
    # then
    assert (listing.status_code, _titles(listing), opened.status_code) == (200, [], 404)


def test_filters_narrow_the_catalog(scene: Scene) -> None:
    # given
    author = scene.world.actor("author")
    old_version = product_version_create(actor=author, product_line_name="Edge OS", name="1.0")
    new_version = product_version_create(actor=author, product_line_name="Edge OS", name="2.0")
    product_version_supersede(actor=author, version=old_version, by=new_version)
    short_card = scene.draft("card", "Edge in five", duration_minutes=5, audience=scene.everyone)
    item_product_versions_set(actor=author, item=short_card, versions=[old_version])
    scene.publish(short_card)
    course = scene.draft("course", "Edge deep dive", duration_minutes=90)
    item_product_versions_set(actor=author, item=course, versions=[new_version])
    variant_save(actor=author, item=course, locale="fr", title="Edge en profondeur")
    scene.publish(course)
    sales = audience_create(actor=author, name="Sales", rules=[RuleSpec.of(job_role=["sales"])])
    scene.published("lesson", "Selling edge", audience=sales, duration_minutes=30)
    client = scene.world.browser("gold_learner")

    def titles(**params: str) -> list[str]:
        response = client.get("/catalog/", params)
        assert response.status_code == 200, response.content
        return _titles(response)

    # then
    assert titles(kind="card") == ["Edge in five"]
    assert titles(duration="30") == ["Selling edge", "Edge in five"]
    assert titles(product=str(new_version.product_line_id)) == ["Edge deep dive", "Edge in five"]
    assert titles(version=str(old_version.pk)) == ["Edge in five"]
    assert titles(language="fr") == ["Edge en profondeur"]
    assert titles(job_role="sales") == ["Selling edge"]
    assert titles(kind="course", duration="60") == []


def test_version_filter_labels_legacy_versions_with_the_current_one(scene: Scene) -> None:
    # given
    author = scene.world.actor("author")
    old_version = product_version_create(actor=author, product_line_name="Edge OS", name="1.0")
    new_version = product_version_create(actor=author, product_line_name="Edge OS", name="2.0")
    product_version_supersede(actor=author, version=old_version, by=new_version)
    # when
    response = scene.world.browser("gold_learner").get("/catalog/")
    # then
    html = response.content.decode()
    assert '<optgroup label="Edge OS">' in html
    assert (
        f'<option value="{old_version.pk}">Edge OS 1.0 (legacy: see Edge OS 2.0)</option>' in html
    )
    assert f'<option value="{new_version.pk}">Edge OS 2.0</option>' in html


def test_an_item_for_a_legacy_version_points_to_the_current_one(scene: Scene) -> None:
    # given
    author = scene.world.actor("author")
    old_version = product_version_create(actor=author, product_line_name="Edge OS", name="1.0")
    new_version = product_version_create(actor=author, product_line_name="Edge OS", name="2.0")
    product_version_supersede(actor=author, version=old_version, by=new_version)
    lesson = scene.draft("lesson", "Edge OS 1.0 upgrade", audience=scene.everyone)
    item_product_versions_set(actor=author, item=lesson, versions=[old_version])
    scene.publish(lesson)
    client = scene.world.browser("learner")
    # when
    html = client.get(f"/catalog/{lesson.pk}/").content.decode()
    card = client.get("/catalog/").content.decode()
    # then
    assert (
        '<li>Edge OS 1.0 <span class="tag tag--legacy">Legacy</span> '
        '<span class="version-current">The current version is '
        f'<a href="/catalog/?version={new_version.pk}">Edge OS 2.0</a>.</span></li>'
    ) in html
    assert '<li class="tag">Edge OS 1.0</li>' in card


def test_new_and_updated_items_are_marked_and_filtered(scene: Scene) -> None:
    # given: an old item, an old item revised today, and a new one
    old = scene.published("lesson", "Old lesson", audience=scene.everyone)
    revised = scene.published("lesson", "Revised lesson", audience=scene.everyone)
    long_ago = timezone.now() - timedelta(days=90)
    CatalogItem.objects.filter(pk__in=[old.pk, revised.pk]).update(published_at=long_ago)
    ItemRevision.objects.filter(item_id__in=[old.pk, revised.pk]).update(published_at=long_ago)
    item_revise(
        actor=scene.world.actor("author"),
        item=revised,
        change="minor",
        note="New screenshots of the setup wizard.",
    )
    scene.publish(CatalogItem.objects.get(pk=revised.pk))
    scene.published("lesson", "New lesson", audience=scene.everyone)
    client = scene.world.browser("learner")
    # when
    everything = client.get("/catalog/")
    new = client.get("/catalog/", {"recent": "new"})
    updated = client.get("/catalog/", {"recent": "updated"})
    page = client.get(f"/catalog/{revised.pk}/")
    # then
    badges = {
        entry.card.title: (entry.card.is_new, entry.card.is_updated)
        for entry in everything.context["cards"]
    }
    assert badges == {
        "New lesson": (True, False),
        "Revised lesson": (False, True),
        "Old lesson": (False, False),
    }
    assert '<li class="tag tag--updated">Updated</li>' in everything.content.decode()
    assert _titles(new) == ["New lesson"]
    assert _titles(updated) == ["Revised lesson"]
    html = page.content.decode()
    assert '<h2 id="changes-heading">What changed</h2>' in html
    assert "New screenshots of the setup wizard." in html


def test_invalid_filters_are_explained_not_crashed(scene: Scene) -> None:
    # when
    response = scene.world.browser("learner").get("/catalog/", {"kind": "spaceship"})
    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the following" in html
    assert "Select a valid choice. spaceship is not one of the available choices." in html


@pytest.mark.parametrize(
    ("cursor", "message"),
    [
        ("not-a-cursor", "This link to more results is not valid."),
        ("WzEsMiwzXQ", "This link to more results is not valid."),  # [1, 2, 3]: one too many
        ("WyJ4IiwieSJd", "This link to more results is not valid."),  # ["x", "y"]: not a date
    ],
)
def test_a_hand_edited_cursor_is_refused_readably(scene: Scene, cursor: str, message: str) -> None:
    # given
    scene.published("lesson", "Edge lab", audience=scene.everyone)
    # when
    response = scene.world.browser("learner").get("/catalog/", {"cursor": cursor})
    # then
    assert response.status_code == 422
    assert message in response.content.decode()


def test_more_items_load_a_page_at_a_time(scene: Scene) -> None:
    # given
    for number in range(26):
        scene.published("card", f"Card {number:02}", audience=scene.everyone)
    client = scene.world.browser("learner")
    # when
    first = client.get("/catalog/", {"kind": "card"})
    cursor = first.context["next_cursor"]
    second = client.get(
        "/catalog/", {"kind": "card", "cursor": cursor}, headers={"HX-Request": "true"}
    )
    # then
    assert len(first.context["cards"]) == 24
    assert _titles(second) == ["Card 01", "Card 00"]
    assert second.context["next_cursor"] is None
    html = second.content.decode()
    assert "<html" not in html
    assert "2 more items loaded." in html
    assert f"?kind=card&amp;cursor={cursor}" in first.content.decode()


def test_htmx_filtering_swaps_only_the_results(scene: Scene) -> None:
    # given
    scene.published("card", "Edge in five", audience=scene.everyone)
    # when
    response = scene.world.browser("learner").get(
        "/catalog/", {"kind": "card"}, headers={"HX-Request": "true"}
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<p class="results-status" id="results-status" role="status">')
    assert "1 item shown." in html
    # the count of active filters, beside the Filters heading outside the results
    assert (
        '<span id="active-filters" hx-swap-oob="true"><span class="badge badge--inverse">1'
        '<span class="visually-hidden"> active</span></span></span>'
    ) in html
    assert "HX-Request" in response["Vary"].split(", ")


def test_browse_page_queries_do_not_grow_with_items(scene: Scene) -> None:
    # given
    author = scene.world.actor("author")
    version = product_version_create(actor=author, product_line_name="Edge OS", name="2.0")

    def add(count: int) -> None:
        for _ in range(count):
            item = scene.draft("card", "Edge card", audience=scene.everyone)
            item_product_versions_set(actor=author, item=item, versions=[version])
            scene.publish(item)
            teaser = scene.draft("card", "Gold card")
            item_update(actor=author, item=teaser, teaser_enabled=True)
            scene.publish(teaser)

    add(2)
    client = scene.world.browser("learner")
    client.get("/catalog/")
    few = queries(lambda: client.get("/catalog/"))
    add(6)
    # when
    many = queries(lambda: client.get("/catalog/"))
    # then
    assert many == few
    assert len(client.get("/catalog/").context["cards"]) == 16


def test_item_page_queries_do_not_grow_with_its_steps(scene: Scene) -> None:
    # given: two paths, one with two steps and one with six
    def path(steps: int) -> Any:
        children = [
            (scene.published("card", f"Step {n}", audience=scene.everyone), n % 2 == 0)
            for n in range(steps)
        ]
        return scene.container(
            "path", f"Path of {steps}", children, electives_required=1, audience=scene.everyone
        )

    short, long = path(2), path(6)
    client = scene.world.browser("learner")
    client.get(f"/catalog/{short.pk}/")
    client.get(f"/catalog/{long.pk}/")
    # when
    few = queries(lambda: client.get(f"/catalog/{short.pk}/"))
    many = queries(lambda: client.get(f"/catalog/{long.pk}/"))
    # then
    assert many == few
    html = client.get(f"/catalog/{long.pk}/").content.decode()
    assert html.count('<span class="tag tag--elective">Elective</span>') == 3
    assert html.count('<span class="tag tag--required">Required</span>') == 3
    assert "Complete every required step and 1 of 3 electives." in html


def test_teasers_show_the_tier_they_need_and_nothing_else(scene: Scene) -> None:
    # given: Gold-and-above content with a teaser, seen by a Silver learner
    lesson, media = _lesson_with_formats(scene)
    item_update(actor=scene.world.actor("author"), item=lesson, teaser_enabled=True)
    client = scene.world.browser("learner")
    # when
    listing = client.get("/catalog/")
    opened = client.get(f"/catalog/{lesson.pk}/")
    file = client.get(f"/catalog/{lesson.pk}/media/{media['guide'].pk}/")
    found = client.get("/catalog/search/", {"q": "edge"})
    # then
    html = listing.content.decode()
    assert _titles(listing) == ["Edge lab"]
    assert '<li class="tag tag--teaser">Available at Gold</li>' in html
    assert f"/catalog/{lesson.pk}/" not in html
    assert opened.status_code == 200
    page = opened.content.decode()
    assert "Available to Gold partners" in page
    assert "Set up an edge device." in page
    assert "Plug the device in." not in page
    assert "/media/" not in page
    assert file.status_code == 404
    assert found.context["hits"] == []
    assert RevisionView.objects.count() == 0


# --- languages ----------------------------------------------------------------------------------


def _multilingual(scene: Scene) -> Any:
    author = scene.world.actor("author")
    item = scene.draft(
        "lesson",
        "Edge lab",
        summary="Set up an edge device.",
        body="Plug it in.",
        audience=scene.everyone,
    )
    variant_save(
        actor=author, item=item, locale="fr", title="Laboratoire edge", body="Branchez-le."
    )
    variant_save(actor=author, item=item, locale="de", title="Edge-Labor", body="Einstecken.")
    return scene.publish(item)


def test_item_text_follows_the_locale_chain(scene: Scene) -> None:
    # given: a Canadian French reader; the item has French but no Canadian French
    item = _multilingual(scene)
    person = scene.world.people["learner"]
    person.preferred_locale = "fr-ca"
    person.save(update_fields=["preferred_locale"])
    client = scene.world.browser("learner")
    # when
    own = client.get(f"/catalog/{item.pk}/")
    german = client.get(f"/catalog/{item.pk}/", {"locale": "de"})
    japanese = client.get(f"/catalog/{item.pk}/", {"locale": "ja"})
    unknown = client.get(f"/catalog/{item.pk}/", {"locale": "xx-klingon"})
    listing = client.get("/catalog/")
    # then
    assert own.context["view"].title == "Laboratoire edge"
    assert '<h1 id="item-title" lang="fr">Laboratoire edge</h1>' in own.content.decode()
    assert german.context["view"].title == "Edge-Labor"
    assert japanese.context["view"].title == "Edge lab"  # no Japanese: the program's default
    assert unknown.context["view"].title == "Laboratoire edge"  # ignored: the reader's own
    assert _titles(listing) == ["Laboratoire edge"]
    switcher = own.content.decode()
    assert '<nav class="language-switcher" aria-label="Languages of this lesson">' in switcher
    assert 'href="?locale=de" hreflang="de" lang="de">Deutsch</a>' in switcher
    assert 'href="?locale=fr" hreflang="fr" lang="fr" aria-current="page">Français</a>' in (
        switcher
    )
    # one row per person and revision, in the language last read
    assert [v.locale for v in RevisionView.objects.all()] == ["fr"]


# --- formats and media --------------------------------------------------------------------------


def test_a_lesson_offers_its_formats_to_pick_from(scene: Scene) -> None:
    # given
    lesson, media = _lesson_with_formats(scene)
    client = scene.world.browser("gold_learner")
    # when
    video = client.get(f"/catalog/{lesson.pk}/").content.decode()
    article = client.get(f"/catalog/{lesson.pk}/", {"format": "article"}).content.decode()
    document = client.get(f"/catalog/{lesson.pk}/", {"format": "document"}).content.decode()
    link = client.get(f"/catalog/{lesson.pk}/", {"format": "link"}).content.decode()
    slot = client.get(f"/catalog/{lesson.pk}/", {"format": "assessment"}).content.decode()
    # then
    base = f"/catalog/{lesson.pk}/media/"
    assert '<nav aria-label="Formats">' in video
    assert 'href="?format=video#formats"' in video
    assert 'aria-current="page">Video</a>' in video
    # The player reports progress (data-heartbeat-url) and offers no download button.
    assert re.search(
        rf'src="{base}{media["video"].pk}/" data-heartbeat-url="/learning/progress/{lesson.pk}/'
        r'heartbeat/"[^>]* controlslist="nodownload">',
        video,
    )
    assert (
        f'<track kind="captions" srclang="fr" label="Français" src="{base}{media["captions"].pk}/">'
        in video
    )
    assert (
        f'<a href="{base}{media["transcript"].pk}/" hreflang="en">Read the transcript</a>' in video
    )
    assert "Plug the device in." not in video
    assert "<h2>Steps</h2>" in article
    assert (
        f'<a class="button" href="{base}{media["guide"].pk}/" data-records-progress>'
        "View Edge guide</a>"
    ) in document
    assert "View only: this document cannot be downloaded." in document
    assert (
        'href="https://docs.example.com/edge" rel="noopener noreferrer" data-records-progress>'
        "Open the page</a>" in link
    )
    assert "on docs.example.com" in link
    assert "<strong>Coming soon.</strong> This assessment will open here" in slot


def test_downloadable_documents_offer_a_download(scene: Scene) -> None:
    # given
    lesson, media = _lesson_with_formats(scene, download_allowed=True)
    # when
    html = (
        scene.world.browser("gold_learner")
        .get(f"/catalog/{lesson.pk}/", {"format": "document"})
        .content.decode()
    )
    # then
    assert (
        f'<a class="button" href="/catalog/{lesson.pk}/media/{media["guide"].pk}/" download '
        "data-records-progress>Download Edge guide</a>"
    ) in html
    assert "PDF, 65\xa0bytes" in html


def test_captions_in_the_readers_language_come_on_for_a_video_in_another(scene: Scene) -> None:
    # given
    lesson, _ = _lesson_with_formats(scene)
    person = scene.world.people["gold_learner"]
    person.preferred_locale = "fr"
    person.save(update_fields=["preferred_locale"])
    # when
    html = scene.world.browser("gold_learner").get(f"/catalog/{lesson.pk}/").content.decode()
    # then
    assert 'srclang="fr" label="Français"' in html
    assert html.count(" default>") == 1


def test_switching_format_with_htmx_swaps_only_the_formats(scene: Scene) -> None:
    # given
    lesson, _ = _lesson_with_formats(scene)
    # when
    response = scene.world.browser("gold_learner").get(
        f"/catalog/{lesson.pk}/", {"format": "article"}, headers={"HX-Request": "true"}
    )
    # then
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="catalog-item-section formats" id="formats"')
    assert '<a id="format-article"' in html
    assert "<h2>Steps</h2>" in html


def test_media_is_served_whole_with_its_type_and_disposition(scene: Scene) -> None:
    # given
    lesson, media = _lesson_with_formats(scene)
    client = scene.world.browser("gold_learner")
    # when
    response = client.get(f"/catalog/{lesson.pk}/media/{media['video'].pk}/")
    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MP4
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(len(MP4))
    assert response["Content-Disposition"] == 'inline; filename="edge-lab.mp4"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "private, no-cache"


def test_downloadable_media_is_an_attachment(scene: Scene) -> None:
    lesson, media = _lesson_with_formats(scene, download_allowed=True)
    response = scene.world.browser("gold_learner").get(
        f"/catalog/{lesson.pk}/media/{media['guide'].pk}/"
    )
    assert response["Content-Disposition"] == 'attachment; filename="edge-guide.pdf"'
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("header", "status", "content_range", "body"),
    [
        ("bytes=0-3", 206, "bytes 0-3/96", MP4[:4]),
        ("bytes=90-", 206, "bytes 90-95/96", MP4[90:]),
        ("bytes=-6", 206, "bytes 90-95/96", MP4[-6:]),
        ("bytes=10-1000", 206, "bytes 10-95/96", MP4[10:]),
        ("bytes=96-", 416, "bytes */96", b""),
        ("bytes=0-1,4-5", 200, None, MP4),  # several ranges: the whole file
        ("items=0-3", 200, None, MP4),  # another unit: ignored
        ("bytes=5-2", 200, None, MP4),  # invalid: ignored
    ],
)
def test_media_answers_range_requests(
    scene: Scene, header: str, status: int, content_range: str | None, body: bytes
) -> None:
    # given
    assert len(MP4) == 96
    lesson, media = _lesson_with_formats(scene)
    # when
    response = scene.world.browser("gold_learner").get(
        f"/catalog/{lesson.pk}/media/{media['video'].pk}/", headers={"Range": header}
    )
    # then
    assert response.status_code == status
    assert response.get("Content-Range") == content_range
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content == body
    if status == 206:
        assert response["Content-Length"] == str(len(body))


def test_a_stale_if_range_gets_the_whole_file(scene: Scene) -> None:
    lesson, media = _lesson_with_formats(scene)
    url = f"/catalog/{lesson.pk}/media/{media['video'].pk}/"
    client = scene.world.browser("gold_learner")
    current = client.get(
        url, headers={"Range": "bytes=0-3", "If-Range": f'"{media["video"].sha256}"'}
    )
    stale = client.get(url, headers={"Range": "bytes=0-3", "If-Range": '"something-else"'})
    assert (current.status_code, stale.status_code) == (206, 200)


def test_media_revalidates_with_its_etag(scene: Scene) -> None:
    lesson, media = _lesson_with_formats(scene)
    response = scene.world.browser("gold_learner").get(
        f"/catalog/{lesson.pk}/media/{media['video'].pk}/",
        headers={"If-None-Match": f'"{media["video"].sha256}"'},
    )
    assert response.status_code == 304


def test_media_of_another_item_or_unused_is_not_found(scene: Scene) -> None:
    # given: a visible item that does not use the file, and a file no item uses
    lesson, media = _lesson_with_formats(scene)
    other = scene.published("lesson", "Other", audience=scene.everyone)
    loose = scene.media("document", "loose.pdf", PDF + b"%loose")
    client = scene.world.browser("gold_learner")
    # then
    assert client.get(f"/catalog/{other.pk}/media/{media['video'].pk}/").status_code == 404
    assert client.get(f"/catalog/{lesson.pk}/media/{loose.pk}/").status_code == 404


# --- search -------------------------------------------------------------------------------------


def test_search_ranks_visible_items_with_highlighted_snippets(scene: Scene) -> None:
    # given
    scene.published(
        "lesson",
        "Policies",
        summary="Rules & zones of the firewall",
        audience=scene.everyone,
    )
    scene.published("lesson", "Routing", body="A word on the firewall.", audience=scene.everyone)
    scene.published("lesson", "Gold firewall lab")
    # when
    response = scene.world.browser("learner").get("/catalog/search/", {"q": "firewall"})
    # then
    assert response.status_code == 200
    assert [hit.title for hit in response.context["hits"]] == ["Policies", "Routing"]
    html = response.content.decode()
    assert "<mark>firewall</mark>" in html.lower()
    assert "&amp;" in html
    assert "Gold firewall lab" not in html
    assert "2 results for “firewall”." in html


def test_search_without_words_shows_the_box_and_a_hint(scene: Scene) -> None:
    client = scene.world.browser("learner")
    empty = client.get("/catalog/search/")
    blank = client.get("/catalog/search/", {"q": "   "})
    assert (empty.status_code, blank.status_code) == (200, 200)
    assert 'role="search"' in empty.content.decode()
    assert "Type words from a title" in blank.content.decode()


def test_a_search_that_is_too_long_is_explained(scene: Scene) -> None:
    response = scene.world.browser("learner").get("/catalog/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "Use at most 200 characters." in response.content.decode()


def test_nothing_found_says_so(scene: Scene) -> None:
    scene.published("lesson", "Routing", audience=scene.everyone)
    response = scene.world.browser("learner").get("/catalog/search/", {"q": "zebra"})
    assert "Nothing in the catalog matches “zebra”." in response.content.decode()


# --- edges --------------------------------------------------------------------------------------


def test_vendor_staff_preview_items_without_being_counted_as_viewers(scene: Scene) -> None:
    lesson = scene.published("lesson", "Gold only lesson")
    response = scene.world.browser("vendor_admin").get(f"/catalog/{lesson.pk}/")
    assert response.status_code == 200
    assert RevisionView.objects.count() == 0


def test_ids_beyond_any_row_are_not_found(scene: Scene) -> None:
    client = scene.world.browser("learner")
    assert client.get(f"/catalog/{10**30}/").status_code == 404
    assert client.get(f"/catalog/1/media/{10**30}/").status_code == 404


def test_posting_to_an_item_page_is_not_allowed(scene: Scene) -> None:
    lesson = scene.published("lesson", "Edge lab", audience=scene.everyone)
    client = scene.world.browser("learner")
    assert client.post(f"/catalog/{lesson.pk}/").status_code == 405
    assert client.post(f"/catalog/{lesson.pk + 1000}/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(scene: Scene) -> None:
    response = scene.world.browser().get("/catalog/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=/catalog/"


def test_learner_home_leads_to_the_catalog(scene: Scene) -> None:
    html = scene.world.browser("learner").get("/").content.decode()
    assert '<a class="button button--secondary" href="/catalog/">Browse the catalog</a>' in html
