"""Cached reads that a write makes stale at once, for every process.

A family of cached values (say, a tenant's onboarding programs) shares a generation number in
the cache. Each value is stored with the generation it was computed in; a write bumps the
generation, so every process finds its value stale on its next read and computes it again.

The bump happens twice: at once, so that the writing request reads its own write, and after the
transaction commits, so that no other process caches the old rows between the first bump and
the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def generation_key(family: str, tenant_id: int) -> str:
    return f"cascade:{family}:{tenant_id}:generation"


def generation_bump(family: str, tenant_id: int) -> None:
    """Make every cached value of `family` in the tenant stale."""
    key = generation_key(family, tenant_id)

    def bump() -> None:
        try:
            cache.incr(key)
        except ValueError:  # never bumped yet (or evicted): start above the implicit 0
            cache.set(key, 1, None)

    bump()
    transaction.on_commit(bump)


@dataclass(frozen=True)
class Cached(Generic[T]):
    """One value for `generation_cached_many`: `compute()` for `part` of `family`."""

    family: str
    tenant_id: int
    part: str
    compute: Callable[[], T]
    seconds: int


def generation_cached(
    family: str, tenant_id: int, part: str, compute: Callable[[], T], *, seconds: int
) -> T:
    """The value of `compute()` for `part` of the family, cached for `seconds` or until the
    family's next bump. One cache round trip on a hit (the generation and the value at once)."""
    (value,) = generation_cached_many(Cached(family, tenant_id, part, compute, seconds))
    return cast(T, value)


def generation_cached_many(*wanted: Cached[Any]) -> list[Any]:
    """Several cached values in one cache round trip (each computed and stored on a miss)."""
    keys = [
        key
        for one in wanted
        for key in (generation_key(one.family, one.tenant_id), _value_key(one))
    ]
    found = cache.get_many(keys)
    values: list[Any] = []
    for one in wanted:
        generation = found.get(generation_key(one.family, one.tenant_id), 0)
        cached = found.get(_value_key(one))
        if isinstance(cached, tuple) and cached[0] == generation:
            values.append(cached[1])
            continue
        value = one.compute()
        cache.set(_value_key(one), (generation, value), one.seconds)
        values.append(value)
    return values


def _value_key(one: Cached[Any]) -> str:
    return f"cascade:{one.family}:{one.tenant_id}:{one.part}"
