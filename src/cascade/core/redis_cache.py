"""Django's Redis cache, keeping its redis-py clients instead of building one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the shared connection
pool for every cache operation. Building one costs a quarter to half a millisecond of CPU (it
fills a table of about 170 response callbacks), which a page making ten cache reads pays ten
times. A `redis.Redis` is safe to share between threads (each command borrows a connection
from the pool), so one per pool is kept for the life of the process.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # its pool helpers are private, and not in the type stubs
        pool = django_client._get_connection_pool(write)  # as Django picks it (kept for life)
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads may both build one here: either will do, one is kept.
            client = self._clients.setdefault(id(pool), django_client._client(connection_pool=pool))
        return client


class KeptClientRedisCache(RedisCache):
    """Configure as `BACKEND: "cascade.core.redis_cache.KeptClientRedisCache"`."""

    @cached_property
    def _cache(self) -> KeptClientRedisCacheClient:
        django_cache: Any = self
        return KeptClientRedisCacheClient(django_cache._servers, **django_cache._options)
