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
from typing import TypeVar, cast

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


def generation_cached(
    family: str, tenant_id: int, part: str, compute: Callable[[], T], *, seconds: int
) -> T:
    """The value of `compute()` for `part` of the family, cached for `seconds` or until the
    family's next bump. One cache round trip on a hit (the generation and the value at once)."""
    generation_at = generation_key(family, tenant_id)
    key = f"cascade:{family}:{tenant_id}:{part}"
    found = cache.get_many([generation_at, key])
    generation = found.get(generation_at, 0)
    cached = found.get(key)
    if isinstance(cached, tuple) and cached[0] == generation:
        return cast(T, cached[1])
    value = compute()
    cache.set(key, (generation, value), seconds)
    return value
