"""Shared catalog scenes: an authoring team, audiences, and a quick way to publish items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from cascade.catalog.audiences import RuleSpec
from cascade.catalog.item_models import CatalogItem, CatalogTeam
from cascade.catalog.items import (
    item_approve,
    item_create,
    item_publish,
    item_structure_set,
    item_submit,
)
from cascade.catalog.models import Audience
from cascade.catalog.services import audience_create
from tests.conftest import World, make_member


@dataclass
class Studio:
    world: World
    team: CatalogTeam
    everyone: Audience
    gold: Audience

    def draft(
        self, kind: str = "lesson", title: str = "Edge device basics", **kwargs: Any
    ) -> CatalogItem:
        kwargs.setdefault("audience", self.gold)
        return item_create(
            actor=self.world.actor("author"),
            kind=kind,
            owner_team=self.team,
            title=title,
            **kwargs,
        )

    def publish(self, item: CatalogItem) -> CatalogItem:
        """Through review: one approval, two (one from the owning team) for every partner."""
        item = item_submit(actor=self.world.actor("author"), item=item)
        item_approve(actor=self.world.actor("product_reviewer"), item=item)
        item.refresh_from_db()
        if item.state == "in_review":
            item_approve(actor=self.world.actor("reviewer"), item=item)
        item = item_publish(actor=self.world.actor("author"), item=item)
        item.refresh_from_db()
        return item

    def published(
        self, kind: str = "lesson", title: str = "Edge device basics", **kwargs: Any
    ) -> CatalogItem:
        return self.publish(self.draft(kind, title, **kwargs))

    def container(
        self, kind: str, title: str, children: list[CatalogItem], **kwargs: Any
    ) -> CatalogItem:
        item = self.draft(kind, title, **kwargs)
        item_structure_set(
            actor=self.world.actor("author"), item=item, children=[(c, True) for c in children]
        )
        return self.publish(item)


@pytest.fixture
def studio(world: World) -> Studio:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    make_member(world, "product_reviewer", world.tenant, None, ["reviewer"], "other")
    make_member(world, "translator", world.tenant, None, ["translator"], "other")
    team = CatalogTeam.objects.create(tenant=world.tenant, name="Product")
    team.members.add(world.people["product_reviewer"])
    author = world.actor("author")
    everyone = audience_create(actor=author, name="Every partner", rules=[RuleSpec()])
    gold = audience_create(
        actor=author, name="Gold", rules=[RuleSpec.of(tier=[world.structure["gold"].pk])]
    )
    return Studio(world=world, team=team, everyone=everyone, gold=gold)
