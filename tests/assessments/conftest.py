"""The people who write and take assessments, on top of the standard world."""

from __future__ import annotations

import pytest

from tests.conftest import World, make_member


@pytest.fixture
def authors(world: World) -> World:
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    return world
