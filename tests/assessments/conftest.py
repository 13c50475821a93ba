"""The people who write and take assessments, on top of the standard world."""

from __future__ import annotations

import pytest

from tests.conftest import World, make_member


@pytest.fixture
def authors(world: World) -> World:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    return world


@pytest.fixture
def world_committed(transactional_db: None) -> World:
    """The standard world with its authors, committed: for tests whose threads each open their
    own connection (row locks between two requests)."""
    from cascade.core.scoping import scopes_disabled
    from tests.conftest import build_world

    with scopes_disabled():
        world = build_world()
        make_member(world, "author", world.tenant, None, ["content_author"], "other")
        make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    return world
