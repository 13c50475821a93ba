"""Course > module > lesson, reusable lessons, and learning paths with electives."""

from __future__ import annotations

from typing import Any

import pytest

from cascade.catalog.audiences import RuleSpec
from cascade.catalog.item_models import CatalogItem, CatalogTeam, ItemLink
from cascade.catalog.items import item_create, item_structure_set, item_submit
from cascade.catalog.services import audience_create
from cascade.core.errors import Conflict, ValidationFailed
from tests.conftest import World, make_member


@pytest.fixture
def author(world: World) -> Any:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    return world.actor("author")


@pytest.fixture
def team(world: World) -> CatalogTeam:
    return CatalogTeam.objects.create(tenant=world.tenant, name="Channel")


def _item(author: Any, team: CatalogTeam, kind: str, title: str) -> CatalogItem:
    return item_create(actor=author, kind=kind, owner_team=team, title=title)


def _children(item: CatalogItem) -> list[tuple[str, bool]]:
    return [
        (link.child.variants.get().title, link.required)
        for link in ItemLink.objects.filter(parent=item)
        .select_related("child")
        .order_by("position")
    ]


def test_one_lesson_is_reused_by_modules_of_two_courses(author: Any, team: CatalogTeam) -> None:
    # given
    safety = _item(author, team, "lesson", "Electrical safety")
    install = _item(author, team, "lesson", "Rack installation")
    module_a = _item(author, team, "module", "Installing the X100")
    module_b = _item(author, team, "module", "Installing the X200")
    # when
    item_structure_set(actor=author, item=module_a, children=[(safety, True), (install, True)])
    item_structure_set(actor=author, item=module_b, children=[(safety, True)])
    course = _item(author, team, "course", "X series installation")
    item_structure_set(actor=author, item=course, children=[(module_a, True), (module_b, False)])
    # then
    assert _children(module_a) == [("Electrical safety", True), ("Rack installation", True)]
    assert _children(course) == [("Installing the X100", True), ("Installing the X200", False)]
    assert ItemLink.objects.filter(child=safety).count() == 2


def test_a_path_counts_its_electives(author: Any, team: CatalogTeam) -> None:
    path = _item(author, team, "path", "SD-WAN specialist")
    steps = [
        _item(author, team, kind, f"Step {i}")
        for i, kind in enumerate(["course", "card", "lesson"])
    ]
    item_structure_set(
        actor=author,
        item=path,
        children=[(steps[0], True), (steps[1], False), (steps[2], False)],
        electives_required=1,
    )
    assert CatalogItem.objects.get(pk=path.pk).electives_required == 1
    with pytest.raises(ValidationFailed) as error:
        item_structure_set(
            actor=author,
            item=path,
            children=[(steps[0], True), (steps[1], False)],
            electives_required=2,
        )
    assert error.value.code == "invalid_electives"


@pytest.mark.parametrize(
    ("parent_kind", "child_kind"),
    [("course", "lesson"), ("module", "course"), ("lesson", "card"), ("path", "path")],
)
def test_kinds_decide_what_may_be_nested(
    author: Any, team: CatalogTeam, parent_kind: str, child_kind: str
) -> None:
    parent = _item(author, team, parent_kind, "Parent")
    child = _item(author, team, child_kind, "Child")
    with pytest.raises(ValidationFailed) as error:
        item_structure_set(actor=author, item=parent, children=[(child, True)])
    assert error.value.code in {"child_kind_not_allowed", "no_children_allowed"}
    assert ItemLink.objects.count() == 0


def test_an_item_appears_once_among_the_children(author: Any, team: CatalogTeam) -> None:
    module = _item(author, team, "module", "Module")
    lesson = _item(author, team, "lesson", "Lesson")
    with pytest.raises(ValidationFailed) as error:
        item_structure_set(actor=author, item=module, children=[(lesson, True), (lesson, False)])
    assert error.value.code == "duplicate"


def test_structure_changes_only_while_drafting(
    world: World, author: Any, team: CatalogTeam
) -> None:
    module = _item(author, team, "module", "Module")
    module.audience = audience_create(actor=author, name="All", rules=[RuleSpec()])
    module.save()
    item_submit(actor=author, item=module)
    lesson = _item(author, team, "lesson", "Lesson")
    with pytest.raises(Conflict) as error:
        item_structure_set(actor=author, item=module, children=[(lesson, True)])
    assert error.value.code == "not_draft"
