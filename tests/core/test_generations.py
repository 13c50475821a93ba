"""Generation-cached reads: a hit needs no computation, a bump makes every value of the family
stale at once (only in its tenant), and empty values are cached too."""

from __future__ import annotations

import pytest

from cascade.core.generations import generation_bump, generation_cached

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_a_value_is_computed_once_until_its_family_is_bumped() -> None:
    compute = Counter(["a", "b"])
    assert generation_cached("things", 1, "x", compute, seconds=60) == ["a", "b"]
    assert generation_cached("things", 1, "x", compute, seconds=60) == ["a", "b"]
    assert compute.calls == 1
    generation_bump("things", 1)
    compute.value = ["c"]
    assert generation_cached("things", 1, "x", compute, seconds=60) == ["c"]
    assert compute.calls == 2


def test_a_bump_touches_only_its_family_and_tenant() -> None:
    mine, other_tenant, other_family = Counter(1), Counter(2), Counter(3)
    for _ in range(2):
        generation_cached("things", 1, "x", mine, seconds=60)
        generation_cached("things", 2, "x", other_tenant, seconds=60)
        generation_cached("others", 1, "x", other_family, seconds=60)
        generation_bump("things", 1)
    assert (mine.calls, other_tenant.calls, other_family.calls) == (2, 1, 1)


def test_empty_and_none_values_are_cached_too() -> None:
    for value in ([], None, 0):
        compute = Counter(value)
        generation_cached("empties", 1, repr(value), compute, seconds=60)
        assert generation_cached("empties", 1, repr(value), compute, seconds=60) == value
        assert compute.calls == 1


def test_the_bump_after_commit_makes_a_value_cached_meanwhile_stale(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    # Another process may cache the old rows between the first bump and the commit: the bump
    # after the commit makes that value stale again.
    compute = Counter("read before the commit")
    with django_capture_on_commit_callbacks(execute=True):
        generation_bump("things", 1)
        generation_cached("things", 1, "x", compute, seconds=60)
    compute.value = "new"
    assert generation_cached("things", 1, "x", compute, seconds=60) == "new"
