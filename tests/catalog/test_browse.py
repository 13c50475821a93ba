"""The learner catalog read side: filters, locale fallback, teasers, media reached only through
visible items, and a constant number of queries per page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cascade.catalog.audiences import RuleSpec
from cascade.catalog.browse import (
    CatalogFilters,
    catalog_page,
    item_for_viewer,
    locale_chain,
    media_for_viewer,
)
from cascade.catalog.formats import FormatSpec, item_formats_set
from cascade.catalog.item_models import CatalogItem
from cascade.catalog.items import (
    item_product_versions_set,
    item_update,
    product_version_create,
    product_version_supersede,
)
from cascade.catalog.media import media_asset_create
from cascade.catalog.models import Effect
from cascade.catalog.selectors import viewer_for
from cascade.catalog.services import audience_create, audience_update
from cascade.core.errors import NotFound
from tests.catalog.conftest import Studio


def _titles(studio: Studio, person: str | None, **filters: object) -> list[str]:
    world = studio.world
    viewer = viewer_for(world.actor(person)) if person else None
    page = catalog_page(
        tenant=world.tenant,
        viewer=viewer,
        filters=CatalogFilters(**filters),
        limit=50,  # type: ignore[arg-type]
    )
    return [card.title for card in page.items]


def test_locale_chain_goes_from_specific_to_the_default() -> None:
    assert locale_chain("fr-ca", "en") == ["fr-ca", "fr", "en"]
    assert locale_chain("en", "en") == ["en"]
    assert locale_chain("", "de") == ["de"]


def test_viewers_browse_only_their_audiences_newest_first(studio: Studio) -> None:
    studio.published(title="For everyone", audience=studio.everyone)
    studio.published(title="For Gold")
    studio.draft(title="Draft", audience=studio.everyone)
    assert _titles(studio, "manager") == ["For Gold", "For everyone"]
    assert _titles(studio, "learner") == ["For everyone"]
    assert _titles(studio, None) == ["For Gold", "For everyone"]


def test_filters_by_kind_duration_and_recency(studio: Studio) -> None:
    studio.published(
        kind="lesson", title="Short lesson", duration_minutes=5, audience=studio.everyone
    )
    studio.published(kind="card", title="Card", duration_minutes=3, audience=studio.everyone)
    old = studio.published(
        kind="lesson", title="Long lesson", duration_minutes=90, audience=studio.everyone
    )
    CatalogItem.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=90))
    assert _titles(studio, "learner", kind="card") == ["Card"]
    assert sorted(_titles(studio, "learner", max_minutes=10)) == ["Card", "Short lesson"]
    assert "Long lesson" not in _titles(studio, "learner", recent="new")


def test_filters_by_product_version_and_shows_legacy_pointers(studio: Studio) -> None:
    author = studio.world.actor("author")
    v7 = product_version_create(actor=author, product_line_name="EdgeOS", name="7")
    v8 = product_version_create(actor=author, product_line_name="EdgeOS", name="8")
    product_version_supersede(actor=author, version=v7, by=v8)
    old = studio.draft(title="EdgeOS 7 setup", audience=studio.everyone)
    item_product_versions_set(actor=author, item=old, versions=[v7])
    old = studio.publish(old)
    new = studio.draft(title="EdgeOS 8 setup", audience=studio.everyone)
    item_product_versions_set(actor=author, item=new, versions=[v8])
    studio.publish(new)
    assert _titles(studio, "learner", product_version_id=v7.pk) == ["EdgeOS 7 setup"]
    assert sorted(_titles(studio, "learner", product_line_id=v7.product_line_id)) == [
        "EdgeOS 7 setup",
        "EdgeOS 8 setup",
    ]
    view = item_for_viewer(
        tenant=studio.world.tenant, viewer=viewer_for(studio.world.actor("learner")), item_id=old.pk
    )
    assert [(v.label, v.legacy, v.current_label) for v in view.product_versions] == [
        ("EdgeOS 7", True, "EdgeOS 8")
    ]


def test_filters_by_job_role_targeted_by_the_audience(studio: Studio) -> None:
    author = studio.world.actor("author")
    sales = audience_create(actor=author, name="Sales", rules=[RuleSpec.of(job_role=["sales"])])
    studio.published(title="Pitching", audience=sales)
    studio.published(title="General", audience=studio.everyone)
    # the world's learner has the sales job role
    assert _titles(studio, "learner", job_role="sales") == ["Pitching"]


def test_tier_locked_items_show_as_teasers_only_when_the_author_enables_it(
    studio: Studio,
) -> None:
    author = studio.world.actor("author")
    gold_and_up = audience_create(
        actor=author,
        name="Gold and above",
        rules=[RuleSpec(minimum_tier_rank=studio.world.structure["gold"].rank)],
    )
    secret = studio.published(title="Gold lab", summary="Hands-on", audience=gold_and_up)
    teased = studio.draft(title="Gold masterclass", summary="Advanced", audience=gold_and_up)
    item_update(actor=author, item=teased, teaser_enabled=True)
    teased = studio.publish(teased)
    viewer = viewer_for(studio.world.actor("learner"))  # Silver
    # then: the teaser is listed, flagged, and its page reveals only title, summary and tier
    page = catalog_page(tenant=studio.world.tenant, viewer=viewer, filters=CatalogFilters())
    assert [(c.title, c.teaser) for c in page.items] == [("Gold masterclass", True)]
    view = item_for_viewer(tenant=studio.world.tenant, viewer=viewer, item_id=teased.pk)
    assert view.teaser
    assert view.teaser_tier == studio.world.structure["gold"]
    assert view.body_html == ""
    assert view.formats == []
    assert view.revision is None
    with pytest.raises(NotFound):
        item_for_viewer(tenant=studio.world.tenant, viewer=viewer, item_id=secret.pk)
    # a Gold viewer gets the real thing
    gold_view = item_for_viewer(
        tenant=studio.world.tenant,
        viewer=viewer_for(studio.world.actor("manager")),
        item_id=teased.pk,
    )
    assert not gold_view.teaser


def test_unknown_and_invisible_items_are_the_same_not_found(studio: Studio) -> None:
    gold = studio.published(title="Gold lab")
    viewer = viewer_for(studio.world.actor("learner"))
    with pytest.raises(NotFound) as invisible:
        item_for_viewer(tenant=studio.world.tenant, viewer=viewer, item_id=gold.pk)
    with pytest.raises(NotFound) as unknown:
        item_for_viewer(tenant=studio.world.tenant, viewer=viewer, item_id=gold.pk + 1000)
    assert (str(invisible.value), invisible.value.code) == (str(unknown.value), unknown.value.code)


def test_media_is_reached_only_through_a_visible_item_that_uses_it(studio: Studio) -> None:
    author = studio.world.actor("author")
    guide = media_asset_create(
        actor=author,
        kind="document",
        upload=SimpleUploadedFile(
            "guide.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        ),
        title="Guide",
    )
    unused = media_asset_create(
        actor=author,
        kind="document",
        upload=SimpleUploadedFile(
            "other.pdf", b"%PDF-1.4\n2 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        ),
        title="Other",
    )
    lesson = studio.draft(title="Gold guide")
    item_formats_set(
        actor=author, item=lesson, formats=[FormatSpec(kind="document", media_id=guide.pk)]
    )
    lesson = studio.publish(lesson)
    gold_viewer = viewer_for(studio.world.actor("manager"))
    assert media_for_viewer(viewer=gold_viewer, item_id=lesson.pk, media_id=guide.pk) == guide
    with pytest.raises(NotFound):
        media_for_viewer(viewer=gold_viewer, item_id=lesson.pk, media_id=unused.pk)
    with pytest.raises(NotFound):
        media_for_viewer(
            viewer=viewer_for(studio.world.actor("learner")), item_id=lesson.pk, media_id=guide.pk
        )


def test_the_page_costs_the_same_queries_for_3_or_30_items(studio: Studio) -> None:
    author = studio.world.actor("author")
    v8 = product_version_create(actor=author, product_line_name="EdgeOS", name="8")

    def add(count: int) -> None:
        for index in range(count):
            item = studio.draft(title=f"Lesson {index}", audience=studio.everyone)
            item_product_versions_set(actor=author, item=item, versions=[v8])
            studio.publish(item)

    def queries() -> int:
        viewer = viewer_for(studio.world.actor("learner"))
        cache.clear()  # the viewer's audiences are read, not cached, in both measurements
        with CaptureQueriesContext(connection) as captured:
            catalog_page(
                tenant=studio.world.tenant, viewer=viewer, filters=CatalogFilters(), limit=50
            )
        return len(captured)

    add(3)
    few = queries()
    add(27)
    assert queries() == few


def test_a_viewers_audiences_are_read_once_then_follow_rule_changes(studio: Studio) -> None:
    # given: a lesson for every partner, browsed once (the viewer's audiences are now cached)
    studio.published(title="Open lesson", audience=studio.everyone)
    assert _titles(studio, "learner") == ["Open lesson"]
    viewer = viewer_for(studio.world.actor("learner"))
    with CaptureQueriesContext(connection) as cached:
        catalog_page(tenant=studio.world.tenant, viewer=viewer, filters=CatalogFilters())
    # when the audience stops admitting the learner's organization
    audience_update(
        actor=studio.world.actor("author"),
        audience=studio.everyone,
        rules=[
            RuleSpec(),
            RuleSpec.of(Effect.EXCLUDE, organization=[studio.world.orgs["reseller"].pk]),
        ],
    )
    # then the next page knows at once
    assert _titles(studio, "learner") == []
    assert not any("catalog_audiencerule" in q["sql"] for q in cached.captured_queries)
