"""The demo catalog: written through the catalog's services, deterministic, and showing the
catalog's features to the demo logins; the bulk catalog of the benchmark: the same rows the
services would write."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cascade.access.actor import actor_for_person
from cascade.audit.models import AuditEntry
from cascade.catalog import browse
from cascade.catalog.audiences import Viewer
from cascade.catalog.item_models import (
    CatalogItem,
    ItemApproval,
    ItemKind,
    ItemLink,
    ItemState,
    ItemVariant,
    ProductVersion,
    VariantStatus,
)
from cascade.catalog.models import Audience, AudienceCriterion
from cascade.catalog.revisions import (
    containers_needing_republication,
    snapshot_of,
    translations_needing_update,
)
from cascade.catalog.search import search_catalog, search_index_item
from cascade.catalog.search_models import SearchEntry
from cascade.catalog.selectors import viewer_for
from cascade.core.scoping import scopes_disabled, tenant_scope
from cascade.demo import SCALES, seed_program
from cascade.demo.catalog_bulk import IMPORT_ACTION, catalog_bulk_seed
from cascade.demo.catalog_content import COURSES, LESSONS, MODULES, PATHS
from cascade.demo.catalog_seed import catalog_counts, pdf_document, seed_catalog
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.identity.roles import Role
from cascade.tenancy.models import Tenant

pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]
LEARNER = "learner@bluebird.example"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def seeded() -> Tenant:
    return seed_program(scale=TINY, seed=11).tenant


def learner_viewer(tenant: Tenant, email: str = LEARNER) -> Viewer:
    actor = actor_for_person(tenant=tenant, person=Person.objects.get(email=email))
    viewer = viewer_for(actor)
    assert viewer is not None
    return viewer


def titled(title: str) -> CatalogItem:
    return CatalogItem.objects.get(
        variants__locale="en", variants__title=title, published_revision__isnull=False
    )


def catalog_fingerprint(slug: str) -> str:
    """A digest of the catalog that does not depend on database ids or the clock."""
    lines: list[str] = []
    with scopes_disabled():
        tenant = Tenant.objects.get(slug=slug)
    with tenant_scope(tenant):
        titles = dict(
            ItemVariant.objects.filter(locale="en").values_list("item_id", "title").order_by()
        )
        for item in CatalogItem.objects.select_related(
            "audience", "owner_team", "published_revision"
        ).prefetch_related("variants", "product_versions", "child_links"):
            revision = item.published_revision
            lines.append(
                "|".join(
                    str(part)
                    for part in (
                        titles[item.pk],
                        item.kind,
                        item.state,
                        item.audience.name if item.audience else "",
                        item.owner_team.name,
                        item.duration_minutes,
                        item.teaser_enabled,
                        revision.number if revision else "",
                        revision.change if revision else "",
                        revision.note if revision else "",
                        sorted((v.locale, v.title, v.status) for v in item.variants.all()),
                        sorted(str(v.name) for v in item.product_versions.all()),
                        [
                            (titles[link.child_id], link.required)
                            for link in sorted(item.child_links.all(), key=lambda x: x.position)
                        ],
                    )
                )
            )
        for entry in SearchEntry.objects.all():
            lines.append(f"search|{titles[entry.item_id]}|{entry.locale}|{entry.text}")
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def seeded_catalog_fingerprint(seed: int) -> str:
    savepoint = transaction.savepoint()
    seed_program(scale=TINY, seed=seed, tenant_slug="alpha")
    digest = catalog_fingerprint("alpha")
    transaction.savepoint_rollback(savepoint)
    return digest


def test_seed_catalog_gives_the_same_catalog_for_the_same_seed() -> None:
    # given / when
    first = seeded_catalog_fingerprint(7)
    second = seeded_catalog_fingerprint(7)

    # then
    assert first == second


def test_seed_catalog_shows_the_demo_learner_a_catalog_of_their_audiences(seeded: Tenant) -> None:
    # given
    with tenant_scope(seeded):
        viewer = learner_viewer(seeded)

        # when
        page = browse.catalog_page(
            tenant=seeded, viewer=viewer, filters=browse.CatalogFilters(), limit=100, locale="en"
        )

        # then: a Silver EMEA reseller's presales engineer in the pilot
        cards = {card.title: card for card in page.items}
        kinds = Counter(card.kind for card in page.items)
        assert len(page.items) == 24
        assert kinds == {"lesson": 11, "module": 5, "card": 3, "course": 4, "path": 1}
        assert "Early access: the network assistant" in cards  # the pilot audience
        assert "Selling outcomes, not boxes" in cards  # sales and presales
        clinic = cards["Advanced SD-WAN Design Clinic"]
        assert clinic.teaser is True  # Gold and above, teaser enabled
        assert "Selling Firewall OS to mid-market customers" not in cards  # in review
        assert "Wi-Fi 7 for stadiums and venues" not in cards  # draft
        assert sum(card.teaser for card in page.items) == 1


def test_seed_catalog_keeps_items_from_learners_outside_their_audience(seeded: Tenant) -> None:
    # given: a learner of a Gold or Platinum partner outside the pilot
    with tenant_scope(seeded):
        pilot = Audience.objects.get(name="Pilot: early-access partners")
        pilot_organizations = AudienceCriterion.objects.filter(rule__audience=pilot).values_list(
            "value", flat=True
        )
        membership = (
            Membership.objects.filter(
                organization__tier__rank__gte=3,
                status=MembershipStatus.ACTIVE,
                roles=Membership.encode_roles([Role.LEARNER]),
            )
            .exclude(organization_id__in=[int(value) for value in pilot_organizations])
            .select_related("person")
            .order_by("pk")
            .first()
        )
        assert membership is not None
        other = membership.person
        assert other is not None
        viewer = learner_viewer(seeded, other.email)

        # when
        page = browse.catalog_page(
            tenant=seeded, viewer=viewer, filters=browse.CatalogFilters(), limit=100
        )

        # then
        titles = {card.title for card in page.items}
        assert "Early access: the network assistant" not in titles
        assert "Advanced SD-WAN Design Clinic" in titles
        assert not any(card.teaser for card in page.items)


def test_seed_catalog_finds_published_text_and_transcripts_by_search(seeded: Tenant) -> None:
    # given
    with tenant_scope(seeded):
        viewer = learner_viewer(seeded)

        # when
        by_title = search_catalog(tenant=seeded, viewer=viewer, query="zero touch", locale="en")
        by_transcript = search_catalog(
            tenant=seeded, viewer=viewer, query="thanks watching", locale="en"
        )

        # then
        assert [hit.title for hit in by_title] == ["SD-WAN fundamentals"]
        assert {hit.title for hit in by_transcript} == {
            "The Northwind portfolio in 15 minutes",
            "Firewall OS 8.0 architecture",
            "SD-WAN fundamentals",
        }


def test_seed_catalog_reuses_lessons_in_several_courses(seeded: Tenant) -> None:
    # given
    with tenant_scope(seeded):
        lesson = titled("Designing a branch network")

        # when
        modules = ItemLink.objects.filter(child=lesson).values("parent_id")
        courses = set(
            ItemVariant.objects.filter(
                locale="en",
                item_id__in=ItemLink.objects.filter(child_id__in=modules).values("parent_id"),
            ).values_list("title", flat=True)
        )

        # then
        assert courses == {"SD-WAN Design and Deployment", "Advanced SD-WAN Design Clinic"}


def test_seed_catalog_points_a_legacy_version_to_the_current_one(seeded: Tenant) -> None:
    # given
    with tenant_scope(seeded):
        legacy = ProductVersion.objects.get(product_line__name="Firewall OS", name="7.4")
        item = titled("Firewall OS 7.4: day-to-day administration")

        # when
        view = browse.item_for_viewer(tenant=seeded, viewer=learner_viewer(seeded), item_id=item.pk)

        # then
        assert legacy.superseded_by is not None
        assert legacy.superseded_by.name == "8.0"
        assert [(v.label, v.legacy, v.current_label) for v in view.product_versions] == [
            ("Firewall OS 7.4", True, "Firewall OS 8.0")
        ]


def test_seed_catalog_leaves_one_french_translation_needing_update(seeded: Tenant) -> None:
    # given
    with tenant_scope(seeded):
        items = CatalogItem.objects.select_related("tenant")

        # when
        stale = {
            item.variants.get(locale="en").title: translations_needing_update(item)
            for item in items
            if translations_needing_update(item)
        }

        # then
        assert stale == {"Firewall OS 8.0 architecture": ["fr"]}


def test_seed_catalog_tells_a_story_of_revisions(seeded: Tenant) -> None:
    # given
    with tenant_scope(seeded):
        minor = titled("Firewall OS 8.0 architecture")
        major = titled("The unified policy model")
        learner = learner_viewer(seeded)

        # when
        view = browse.item_for_viewer(tenant=seeded, viewer=learner, item_id=minor.pk, locale="en")
        stale = containers_needing_republication()

        # then
        assert minor.published_revision is not None
        assert (minor.published_revision.number, minor.published_revision.change) == (2, "minor")
        assert major.published_revision is not None
        assert (major.published_revision.number, major.published_revision.change) == (2, "major")
        assert [change.revision for change in view.changes] == [2]
        assert "dedicated cores" in view.body_html
        titles = {
            CatalogItem.objects.get(pk=pk).variants.get(locale="en").title: children
            for pk, children in stale.items()
        }
        assert titles == {"Moving from 7.4 to 8.0": [major.pk]}


def test_seed_catalog_leaves_work_in_the_studio(seeded: Tenant) -> None:
    # when
    with tenant_scope(seeded):
        states = Counter(CatalogItem.objects.values_list("state", flat=True))
        german = ItemVariant.objects.get(item__variants__title="SD-WAN fundamentals", locale="de")
        waiting = CatalogItem.objects.get(state=ItemState.IN_REVIEW)

        # then
        assert states == {"published": 26, "draft": 1, "in_review": 1}
        assert german.status == VariantStatus.IN_REVIEW
        assert german.translated_by is not None
        assert german.translated_by.email == "translator@northwind.example"
        assert ItemApproval.objects.filter(item=waiting).count() == 1
        assert CatalogItem.objects.get(state=ItemState.DRAFT).audience_id is None


def test_seed_catalog_goes_through_review_and_audit(seeded: Tenant) -> None:
    # given
    with tenant_scope(seeded):
        published = CatalogItem.objects.filter(published_revision__isnull=False)
        everyone = published.filter(published_audience__name="Every partner")

        # when
        publications = AuditEntry.objects.filter(action="catalog_item.publish")
        approvals = ItemApproval.objects.filter(item__in=everyone)
        entries = SearchEntry.objects.values_list("item_id", flat=True).distinct()

        # then
        assert publications.count() == published.count() + 3  # three later revisions
        assert approvals.filter(from_owner_team=True).values("item").distinct().count() == (
            everyone.count()
        )
        assert set(entries) == set(published.values_list("pk", flat=True))
        # First publications are dated back: seven tiny-scale items are over a year old.
        assert published.filter(published_at__lt=timezone.now() - timedelta(days=365)).count() == 7


def test_seed_catalog_does_nothing_for_a_catalog_that_exists(seeded: Tenant) -> None:
    # given
    with tenant_scope(seeded):
        before = catalog_counts()
    now = timezone.now()

    # when
    written = seed_catalog(
        tenant=seeded, scale_name="tiny", seed=11, today=now.date(), now=now, progress=None
    )

    # then
    with tenant_scope(seeded):
        assert written == {}
        assert catalog_counts() == before


def test_seed_catalog_at_demo_scale_writes_the_whole_catalog() -> None:
    # given
    tenant = seed_program(scale=SCALES["demo"], seed=2026).tenant

    # when
    with tenant_scope(tenant):
        kinds = Counter(
            CatalogItem.objects.filter(published_revision__isnull=False).values_list(
                "kind", flat=True
            )
        )
        page = browse.catalog_page(
            tenant=tenant,
            viewer=learner_viewer(tenant),
            filters=browse.CatalogFilters(),
            limit=100,
        )

    # then
    lessons = sum(1 for plan in LESSONS if plan.kind == ItemKind.LESSON)
    cards = sum(1 for plan in LESSONS if plan.kind == ItemKind.CARD)
    assert (lessons, cards) == (40, 10)
    assert kinds == {
        "lesson": lessons,
        "card": cards,
        "module": len(MODULES),
        "course": len(COURSES),
        "path": len(PATHS),
    }
    assert len(page.items) == 70


def test_pdf_document_is_a_pdf_with_a_cross_reference_table() -> None:
    # when
    document = pdf_document("Firewall OS (guide)", ["A line of text.", "Another one."])

    # then
    assert document.startswith(b"%PDF-1.4\n")
    assert document.rstrip().endswith(b"%%EOF")
    xref = int(document.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert document[xref:].startswith(b"xref\n0 7\n")
    assert b"(Firewall OS \\(guide\\)) Tj" in document


# --- the bulk catalog of the benchmark ------------------------------------------------------------


def bulk(tenant: Tenant, count: int) -> None:
    with tenant_scope(tenant):
        catalog_bulk_seed(
            tenant=tenant, count=count, seed=3, now=timezone.now(), progress=lambda message: None
        )


def search_rows(item_id: int) -> dict[str, tuple[Any, ...]]:
    return {
        entry.locale: (entry.audience_id, entry.kind, entry.title, entry.summary, entry.text)
        + ((entry.document,) if connection.vendor == "postgresql" else ())
        for entry in SearchEntry.objects.filter(item_id=item_id)
    }


def test_catalog_bulk_seed_writes_what_publishing_would(seeded: Tenant) -> None:
    # given
    bulk(seeded, 400)

    with tenant_scope(seeded):
        samples = [
            CatalogItem.objects.filter(kind=kind).select_related("tenant").order_by("-pk").first()
            for kind in ItemKind.values
        ]
        for item in samples:
            assert item is not None
            written = search_rows(item.pk)

            # when: what the services would have written for the same working copy
            snapshot = snapshot_of(item, None)
            with transaction.atomic():
                search_index_item(item)
                indexed = search_rows(item.pk)
                transaction.set_rollback(True)

            # then
            assert item.published_revision is not None
            assert item.published_revision.content == snapshot
            assert written == indexed
            assert item.published_audience_id == item.audience_id


def test_catalog_bulk_seed_writes_the_count_once(seeded: Tenant) -> None:
    # given
    with tenant_scope(seeded):
        before = CatalogItem.objects.count()
    bulk(seeded, 300)

    # when
    bulk(seeded, 300)

    # then
    with tenant_scope(seeded):
        assert CatalogItem.objects.count() == before + 300
        assert AuditEntry.objects.filter(action=IMPORT_ACTION).count() == 1


def test_catalog_bulk_seed_spreads_items_over_audiences_learners_see(seeded: Tenant) -> None:
    # given
    bulk(seeded, 600)

    with tenant_scope(seeded):
        viewer = learner_viewer(seeded)

        # when
        visible = browse.items_visible_to(viewer).count()
        hits = search_catalog(tenant=seeded, viewer=viewer, query="firewall", locale="en")

        # then
        total = CatalogItem.objects.filter(published_revision__isnull=False).count()
        assert 0.2 * total < visible < 0.9 * total
        assert len(hits) == 20
