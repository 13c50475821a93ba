"""Audience rules: the SQL evaluation agrees with the plain-Python definition, and the services
validate what they store."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.catalog.audiences import RuleSpec, Viewer, audience_admits
from cascade.catalog.models import Audience, AudienceRule, Dimension, Effect
from cascade.catalog.selectors import audiences_admitting, viewer_for
from cascade.catalog.services import audience_create, audience_update
from cascade.core.errors import PermissionDenied, ValidationFailed
from cascade.tenancy.models import BusinessModel, PartnerOrganization
from tests.conftest import World, make_member
from tests.factories import OrganizationFactory, RegionFactory, SpecializationFactory, TierFactory

JOB_ROLES = ["sales", "presales", "support"]
LOCALES = ["en", "fr", "de"]
COUNTRIES = ["FR", "DE", "US", "JP"]
BUSINESS_MODELS = [BusinessModel.RESELLER, BusinessModel.MSP, BusinessModel.DISTRIBUTOR]


@pytest.fixture
def program(world: World) -> dict[str, Any]:
    """Tiers of rank 1 to 4, three regions, four specializations and a dozen organizations
    with every mix of them; an author to write audiences."""
    tenant = world.tenant
    tiers = [TierFactory(tenant=tenant, name=f"Level {r}", rank=r + 10) for r in range(1, 5)]
    regions = [RegionFactory(tenant=tenant, code=f"RG{i}") for i in range(3)]
    specializations = [SpecializationFactory(tenant=tenant) for _ in range(4)]
    organizations = []
    for index in range(12):
        organization = OrganizationFactory(
            tenant=tenant,
            tier=tiers[index % 4] if index % 5 else None,
            region=regions[index % 3],
            country=COUNTRIES[index % 4],
            business_model=BUSINESS_MODELS[index % 3],
        )
        organization.specializations.set(specializations[index % 4 : index % 4 + index % 3])
        organizations.append(organization)
    make_member(world, "author", tenant, None, ["content_author"], "other")
    return {
        "tiers": tiers,
        "regions": regions,
        "specializations": specializations,
        "organizations": organizations,
        "author": world.actor("author"),
    }


def _viewer(organization: PartnerOrganization, job_role: str, locale: str) -> Viewer:
    return Viewer(
        organization_id=organization.pk,
        tier_id=organization.tier_id,
        tier_rank=organization.tier.rank if organization.tier else None,
        region_id=organization.region_id,
        country=organization.country,
        specialization_ids=frozenset(organization.specializations.values_list("pk", flat=True)),
        business_model=organization.business_model,
        job_role=job_role,
        locale=locale,
    )


def _rules(program: dict[str, Any]) -> st.SearchStrategy[list[RuleSpec]]:
    def subset(values: list[Any]) -> st.SearchStrategy[list[Any]]:
        return st.lists(st.sampled_from(values), max_size=3, unique=True)

    rule = st.builds(
        RuleSpec.of,
        effect=st.sampled_from([Effect.INCLUDE, Effect.INCLUDE, Effect.EXCLUDE]),
        minimum_tier_rank=st.one_of(st.none(), st.integers(min_value=11, max_value=14)),
        tier=subset([t.pk for t in program["tiers"]]),
        region=subset([r.pk for r in program["regions"]]),
        country=subset(COUNTRIES),
        specialization=subset([s.pk for s in program["specializations"]]),
        business_model=subset([str(b) for b in BUSINESS_MODELS]),
        job_role=subset(JOB_ROLES),
        locale=subset(LOCALES),
        organization=subset([o.pk for o in program["organizations"]]),
    )
    return st.lists(rule, min_size=1, max_size=4).filter(
        lambda rules: any(r.effect == Effect.INCLUDE for r in rules)
    )


@pytest.mark.django_db
def test_sql_visibility_equals_the_python_definition(program: dict[str, Any]) -> None:
    counter = itertools.count()
    viewers = [
        _viewer(organization, JOB_ROLES[i % 3], LOCALES[i % 3 - 1])
        for i, organization in enumerate(program["organizations"])
    ]

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(rules=_rules(program))
    def check(rules: list[RuleSpec]) -> None:
        audience = audience_create(
            actor=program["author"], name=f"Audience {next(counter)}", rules=rules
        )
        for viewer in viewers:
            in_sql = audiences_admitting(viewer).filter(pk=audience.pk).exists()
            assert in_sql == audience_admits(rules, viewer), (rules, viewer)

    check()


def test_everyone_rule_admits_every_partner_viewer(program: dict[str, Any]) -> None:
    everyone = audience_create(actor=program["author"], name="All partners", rules=[RuleSpec()])
    viewer = _viewer(program["organizations"][0], "sales", "en")
    assert list(audiences_admitting(viewer)) == [everyone]


def test_exclude_rule_wins_over_include(program: dict[str, Any]) -> None:
    first = program["organizations"][0]
    audience = audience_create(
        actor=program["author"],
        name="All but one",
        rules=[RuleSpec(), RuleSpec.of(Effect.EXCLUDE, organization=[first.pk])],
    )
    assert not audiences_admitting(_viewer(first, "sales", "en")).filter(pk=audience.pk).exists()
    other = _viewer(program["organizations"][1], "sales", "en")
    assert audiences_admitting(other).filter(pk=audience.pk).exists()


def test_viewer_of_a_partner_person_and_of_vendor_staff(world: World, program: Any) -> None:
    viewer = viewer_for(world.actor("learner"))
    reseller = world.orgs["reseller"]
    assert viewer == Viewer(
        organization_id=reseller.pk,
        tier_id=reseller.tier_id,
        tier_rank=2,
        region_id=reseller.region_id,
        country="FR",
        specialization_ids=frozenset(),
        business_model="reseller",
        job_role="sales",
        locale="en",
    )
    assert viewer_for(world.actor("vendor_admin")) is None
    assert audiences_admitting(None).count() == Audience.objects.count()


def test_rules_store_their_dimension_count(program: dict[str, Any]) -> None:
    audience = audience_create(
        actor=program["author"],
        name="French sales",
        rules=[RuleSpec.of(country=["FR"], job_role=["sales", "presales"])],
    )
    rule = AudienceRule.objects.get(audience=audience)
    assert rule.dimension_count == 2
    assert sorted(rule.criteria.values_list("dimension", "value")) == [
        (Dimension.COUNTRY, "FR"),
        (Dimension.JOB_ROLE, "presales"),
        (Dimension.JOB_ROLE, "sales"),
    ]


@pytest.mark.parametrize(
    ("rules", "code"),
    [
        ([], "required"),
        ([RuleSpec.of(Effect.EXCLUDE, country=["FR"])], "no_include_rule"),
        ([RuleSpec.of(country=["France"])], "invalid_country"),
        ([RuleSpec.of(job_role=["astronaut"])], "invalid_choice"),
        ([RuleSpec.of(tier=[999999])], "unknown_reference"),
        ([RuleSpec.of(minimum_tier_rank=0)], "invalid_rank"),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_written(
    program: dict[str, Any], rules: list[RuleSpec], code: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        audience_create(actor=program["author"], name="Broken", rules=rules)
    assert error.value.code == code
    assert Audience.objects.count() == 0


def test_another_tenants_tier_is_an_unknown_reference(world: World, program: Any) -> None:
    from tests.factories import TierFactory as Tiers

    foreign = Tiers(tenant=world.other_tenant, name="Foreign", rank=1)
    with pytest.raises(ValidationFailed) as error:
        audience_create(actor=program["author"], name="X", rules=[RuleSpec.of(tier=[foreign.pk])])
    assert error.value.code == "unknown_reference"


def test_only_authors_and_program_admins_write_audiences(world: World, program: Any) -> None:
    with pytest.raises(PermissionDenied):
        audience_create(actor=world.actor("partner_admin"), name="Mine", rules=[RuleSpec()])
    made = audience_create(actor=world.actor("vendor_admin"), name="Admins may", rules=[RuleSpec()])
    renamed = audience_update(
        actor=program["author"], audience=made, name="Renamed", rules=[RuleSpec.of(locale=["fr"])]
    )
    assert renamed.name == "Renamed"
    assert AudienceRule.objects.filter(audience=made).count() == 1
