"""Catalog items: governance (who may move an item through its lifecycle, how many approvals)
and what partner people may see of them."""

from __future__ import annotations

from typing import Any

import pytest

from cascade.audit.models import AuditEntry
from cascade.catalog.audiences import RuleSpec
from cascade.catalog.item_models import CatalogItem, CatalogTeam, ItemState, ItemVariant
from cascade.catalog.items import (
    item_approve,
    item_create,
    item_publish,
    item_request_changes,
    item_retire,
    item_submit,
    item_update,
    variant_needs_update,
    variant_save,
)
from cascade.catalog.models import Effect
from cascade.catalog.selectors import catalog_items_visible
from cascade.catalog.services import audience_create
from cascade.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.conftest import World, make_member


@pytest.fixture
def authoring(world: World) -> dict[str, Any]:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    make_member(world, "product_reviewer", world.tenant, None, ["reviewer"], "other")
    team = CatalogTeam.objects.create(tenant=world.tenant, name="Product")
    team.members.add(world.people["product_reviewer"])
    author = world.actor("author")
    everyone = audience_create(actor=author, name="Every partner", rules=[RuleSpec()])
    gold_only = audience_create(
        actor=author,
        name="Gold",
        rules=[RuleSpec.of(tier=[world.structure["gold"].pk])],
    )
    return {"team": team, "everyone": everyone, "gold_only": gold_only}


def _draft(world: World, authoring: dict[str, Any], audience: str = "gold_only") -> CatalogItem:
    return item_create(
        actor=world.actor("author"),
        kind="course",
        owner_team=authoring["team"],
        title="Configuring SD-WAN edge devices",
        summary="Hands-on setup of an edge device.",
        body="## Before you start\n\nHave a device ready.",
        audience=authoring[audience],
        duration_minutes=45,
    )


def _published(world: World, authoring: dict[str, Any], audience: str) -> CatalogItem:
    item = item_submit(actor=world.actor("author"), item=_draft(world, authoring, audience))
    item_approve(actor=world.actor("product_reviewer"), item=item)
    if audience == "everyone":
        item_approve(actor=world.actor("reviewer"), item=item)
    return item_publish(actor=world.actor("author"), item=item)


def test_narrow_content_needs_one_approval_then_can_be_published(
    world: World, authoring: dict[str, Any]
) -> None:
    # given
    item = item_submit(actor=world.actor("author"), item=_draft(world, authoring))
    # when
    item_approve(actor=world.actor("reviewer"), item=item)
    item = item_publish(actor=world.actor("author"), item=item)
    # then
    assert item.state == ItemState.PUBLISHED
    assert [
        e.action
        for e in AuditEntry.objects.filter(
            target_type="catalog.catalogitem", target_id=str(item.pk)
        ).order_by("id")
    ] == [
        "catalog_item.text",
        "catalog_item.create",
        "catalog_item.submit",
        "catalog_item.approve",
        "catalog_item.approved",
        "catalog_item.publish",
    ]


def test_content_for_every_partner_needs_two_approvals_including_the_owner_team(
    world: World, authoring: dict[str, Any]
) -> None:
    item = item_submit(actor=world.actor("author"), item=_draft(world, authoring, "everyone"))
    item_approve(actor=world.actor("reviewer"), item=item)
    assert CatalogItem.objects.get(pk=item.pk).state == ItemState.IN_REVIEW
    make_member(world, "third_reviewer", world.tenant, None, ["reviewer"], "other")
    item_approve(actor=world.actor("third_reviewer"), item=item)
    # two approvals, but none from the owning team
    assert CatalogItem.objects.get(pk=item.pk).state == ItemState.IN_REVIEW
    item_approve(actor=world.actor("product_reviewer"), item=item)
    assert CatalogItem.objects.get(pk=item.pk).state == ItemState.APPROVED


def test_nobody_approves_their_own_work(world: World, authoring: dict[str, Any]) -> None:
    make_member(world, "author_reviewer", world.tenant, None, ["content_author", "reviewer"])
    item = _draft(world, authoring)
    item = item_submit(actor=world.actor("author_reviewer"), item=item)
    with pytest.raises(PermissionDenied) as error:
        item_approve(actor=world.actor("author_reviewer"), item=item)
    assert error.value.code == "own_work"
    assert CatalogItem.objects.get(pk=item.pk).state == ItemState.IN_REVIEW


def test_sending_back_discards_the_rounds_approvals(
    world: World, authoring: dict[str, Any]
) -> None:
    item = item_submit(actor=world.actor("author"), item=_draft(world, authoring, "everyone"))
    item_approve(actor=world.actor("product_reviewer"), item=item)
    item_request_changes(actor=world.actor("reviewer"), item=item, note="Add a diagram.")
    item = item_submit(actor=world.actor("author"), item=item)
    item_approve(actor=world.actor("reviewer"), item=item)
    # the owner team's approval of the first round does not count any more
    assert CatalogItem.objects.get(pk=item.pk).state == ItemState.IN_REVIEW


@pytest.mark.parametrize(
    ("step", "code"),
    [("publish_draft", "not_approved"), ("approve_draft", "not_in_review")],
)
def test_lifecycle_refuses_skipping_states(
    world: World, authoring: dict[str, Any], step: str, code: str
) -> None:
    item = _draft(world, authoring)
    action = {
        "publish_draft": lambda: item_publish(actor=world.actor("author"), item=item),
        "approve_draft": lambda: item_approve(actor=world.actor("reviewer"), item=item),
    }[step]
    with pytest.raises(Conflict) as error:
        action()
    assert error.value.code == code
    assert CatalogItem.objects.get(pk=item.pk).state == ItemState.DRAFT


def test_an_item_without_audience_cannot_be_submitted(
    world: World, authoring: dict[str, Any]
) -> None:
    item = item_create(
        actor=world.actor("author"), kind="lesson", owner_team=authoring["team"], title="Intro"
    )
    with pytest.raises(ValidationFailed) as error:
        item_submit(actor=world.actor("author"), item=item)
    assert error.value.code == "no_audience"


def test_partners_see_published_items_of_their_audience_only(
    world: World, authoring: dict[str, Any]
) -> None:
    # given: dist is Gold, reseller and other are Silver
    gold_course = _published(world, authoring, "gold_only")
    everyone_course = _published(world, authoring, "everyone")
    _draft(world, authoring, "everyone")  # never visible to partners while a draft
    retired = _published(world, authoring, "everyone")
    item_retire(actor=world.actor("author"), item=retired)
    # then
    assert set(catalog_items_visible(world.actor("manager"))) == {gold_course, everyone_course}
    assert set(catalog_items_visible(world.actor("learner"))) == {everyone_course}
    assert catalog_items_visible(world.actor("vendor_admin")).count() == 4


def test_exclusions_hide_items_from_an_organization(
    world: World, authoring: dict[str, Any]
) -> None:
    audience = audience_create(
        actor=world.actor("author"),
        name="All but Other Partner",
        rules=[RuleSpec(), RuleSpec.of(Effect.EXCLUDE, organization=[world.orgs["other"].pk])],
    )
    authoring["all_but_other"] = audience
    item = _published(world, authoring, "all_but_other")
    assert list(catalog_items_visible(world.actor("other_admin"))) == []
    assert list(catalog_items_visible(world.actor("learner"))) == [item]


def test_another_tenant_never_sees_the_items(world: World, authoring: dict[str, Any]) -> None:
    _published(world, authoring, "everyone")
    from cascade.core.scoping import tenant_scope

    with tenant_scope(world.other_tenant):
        assert catalog_items_visible(world.actor("b_admin")).count() == 0


def test_translation_needs_update_after_the_source_changes(
    world: World, authoring: dict[str, Any]
) -> None:
    author = world.actor("author")
    item = _draft(world, authoring)
    french = variant_save(actor=author, item=item, locale="fr", title="Configurer le SD-WAN")
    source = ItemVariant.objects.get(item=item, locale="en")
    assert variant_needs_update(variant=french, source=source) is False
    source = variant_save(actor=author, item=item, locale="en", title="Configuring SD-WAN edges")
    french.refresh_from_db()
    assert variant_needs_update(variant=french, source=source) is True


def test_partners_cannot_author(world: World, authoring: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        item_create(
            actor=world.actor("partner_admin"), kind="card", owner_team=authoring["team"], title="x"
        )
    assert CatalogItem.objects.count() == 0


@pytest.mark.parametrize("minutes", [0, 6, 30])
def test_a_microlearning_card_takes_one_to_five_minutes(
    world: World, authoring: dict[str, Any], minutes: int
) -> None:
    author = world.actor("author")
    with pytest.raises(ValidationFailed) as error:
        item_create(
            actor=author,
            kind="card",
            owner_team=authoring["team"],
            title="Objection: too expensive",
            duration_minutes=minutes,
        )
    assert error.value.code == "invalid_duration"
    card = item_create(
        actor=author,
        kind="card",
        owner_team=authoring["team"],
        title="Quick tip",
        duration_minutes=3,
    )
    with pytest.raises(ValidationFailed):
        item_update(actor=author, item=card, duration_minutes=minutes)
