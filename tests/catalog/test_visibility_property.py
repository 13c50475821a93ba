"""Property: for random partner organizations, people and audience rules, what the catalog
(list, item page and search, all in SQL) shows a person, and whether the audience's members (read
the other way round, for assignment rules) include them, is exactly what the plain-Python
definition of the rules admits."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.access.actor import actor_for_person
from cascade.catalog.audiences import RuleSpec, audience_admits
from cascade.catalog.browse import CatalogFilters, catalog_page, item_for_viewer
from cascade.catalog.item_models import CatalogItem, CatalogTeam, ItemState
from cascade.catalog.models import Effect
from cascade.catalog.revision_models import ItemRevision
from cascade.catalog.search import search_catalog, search_index_item
from cascade.catalog.selectors import memberships_in_audience, viewer_for
from cascade.catalog.services import audience_create
from cascade.core.errors import NotFound
from cascade.identity.models import Membership
from cascade.tenancy.models import BusinessModel
from tests.conftest import World, make_member
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    SpecializationFactory,
    TierFactory,
)

JOB_ROLES = ["sales", "presales", "support"]
LOCALES = ["en", "fr", "de"]
COUNTRIES = ["FR", "DE", "US"]
BUSINESS_MODELS = [
    str(BusinessModel.RESELLER),
    str(BusinessModel.MSP),
    str(BusinessModel.DISTRIBUTOR),
]


@pytest.fixture
def program(world: World) -> dict[str, Any]:
    tenant = world.tenant
    make_member(world, "author", tenant, None, ["content_author"], "other")
    return {
        "tiers": [TierFactory(tenant=tenant, name=f"Rank {r}", rank=r + 20) for r in range(1, 4)],
        "regions": [RegionFactory(tenant=tenant, code=f"PR{i}") for i in range(2)],
        "specializations": [SpecializationFactory(tenant=tenant) for _ in range(3)],
        "team": CatalogTeam.objects.create(tenant=tenant, name="Property team"),
        "author": world.actor("author"),
    }


def _subset(values: list[Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.sampled_from(values), max_size=2, unique=True)


@pytest.mark.django_db
def test_catalog_visibility_in_sql_equals_the_python_definition(
    world: World, program: dict[str, Any]
) -> None:
    counter = itertools.count()
    tiers, regions, specializations = (
        program["tiers"],
        program["regions"],
        program["specializations"],
    )
    organization_strategy = st.fixed_dictionaries(
        {
            "tier": st.one_of(st.none(), st.sampled_from(tiers)),
            "region": st.one_of(st.none(), st.sampled_from(regions)),
            "country": st.sampled_from(COUNTRIES),
            "business_model": st.sampled_from(BUSINESS_MODELS),
            "specializations": _subset(specializations),
            "job_role": st.sampled_from(JOB_ROLES),
            # "" : no preference, so the program's default language
            "locale": st.sampled_from([*LOCALES, ""]),
        }
    )
    rule_strategy = st.builds(
        RuleSpec.of,
        effect=st.sampled_from([Effect.INCLUDE, Effect.INCLUDE, Effect.EXCLUDE]),
        minimum_tier_rank=st.one_of(st.none(), st.integers(min_value=21, max_value=23)),
        tier=_subset([t.pk for t in tiers]),
        region=_subset([r.pk for r in regions]),
        country=_subset(COUNTRIES),
        specialization=_subset([s.pk for s in specializations]),
        business_model=_subset(BUSINESS_MODELS),
        job_role=_subset(JOB_ROLES),
        locale=_subset(LOCALES),
    )

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        organization_spec=organization_strategy,
        rules=st.lists(rule_strategy, min_size=1, max_size=3).filter(
            lambda rules: any(r.effect == Effect.INCLUDE for r in rules)
        ),
    )
    def check(organization_spec: dict[str, Any], rules: list[RuleSpec]) -> None:
        n = next(counter)
        organization = OrganizationFactory(
            tenant=world.tenant,
            tier=organization_spec["tier"],
            region=organization_spec["region"],
            country=organization_spec["country"],
            business_model=organization_spec["business_model"],
        )
        organization.specializations.set(organization_spec["specializations"])
        person = PersonFactory(
            email=f"p{n}@property.example", preferred_locale=organization_spec["locale"]
        )
        Membership.objects.create(
            tenant=world.tenant,
            person=person,
            organization=organization,
            roles=Membership.encode_roles(["learner"]),
            job_role=organization_spec["job_role"],
        )
        audience = audience_create(actor=program["author"], name=f"Property {n}", rules=rules)
        item = CatalogItem.objects.create(
            tenant=world.tenant,
            kind="lesson",
            owner_team=program["team"],
            audience=audience,
            published_audience=audience,
            state=ItemState.PUBLISHED,
            published_at=timezone.now(),
        )
        word = f"zebra{n}"
        item.published_revision = ItemRevision.objects.create(
            tenant=world.tenant,
            item=item,
            number=1,
            change="initial",
            content={"variants": {"en": {"title": word, "summary": "", "body": ""}}},
            published_at=timezone.now(),
        )
        item.save()
        search_index_item(item)
        viewer = viewer_for(actor_for_person(tenant=world.tenant, person=person))
        assert viewer is not None
        expected = audience_admits(rules, viewer)
        # the list
        page = catalog_page(tenant=world.tenant, viewer=viewer, filters=CatalogFilters(), limit=200)
        assert (item.pk in [c.id for c in page.items if not c.teaser]) == expected, rules
        # the item page
        try:
            item_for_viewer(tenant=world.tenant, viewer=viewer, item_id=item.pk)
            opened = True
        except NotFound:
            opened = False
        assert opened == expected, rules
        # search
        hits = search_catalog(tenant=world.tenant, viewer=viewer, query=word)
        assert (item.pk in [h.item_id for h in hits]) == expected, rules
        # and the other way round: who is in the audience (assignment rules)
        members = memberships_in_audience(audience.pk, default_locale=world.tenant.default_locale)
        assert members.filter(person=person).exists() == expected, rules

    check()
