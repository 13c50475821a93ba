"""The Redis cache keeps one redis-py client per server instead of building one per call, and
still behaves as Django's Redis cache."""

from __future__ import annotations

import os
import threading
import uuid

import pytest
import redis

from cascade.core.redis_cache import KeptClientRedisCache

LOCATION = os.environ.get("CASCADE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def backend() -> KeptClientRedisCache:
    try:
        redis.Redis.from_url(LOCATION, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {LOCATION}")
    cache = KeptClientRedisCache(LOCATION, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    client = redis.Redis.from_url(LOCATION)
    for key in client.scan_iter(f"{cache.key_prefix}:*"):
        client.delete(key)


def test_every_call_uses_the_same_client(backend: KeptClientRedisCache) -> None:
    first = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is first
    assert backend._cache.get_client("some-key") is first


def test_it_reads_and_writes_as_djangos_cache(backend: KeptClientRedisCache) -> None:
    backend.set("a", {"x": [1, 2]}, 30)
    backend.set_many({"b": 2, "c": None}, 30)
    assert backend.get("a") == {"x": [1, 2]}
    assert backend.get_many(["a", "b", "c", "missing"]) == {"a": {"x": [1, 2]}, "b": 2, "c": None}
    assert backend.incr("b") == 3
    assert backend.add("b", 10) is False
    backend.delete("a")
    assert backend.get("a", "gone") == "gone"


def test_threads_share_the_client_safely(backend: KeptClientRedisCache) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                backend.set(f"t{n}:{i}", i, 30)
                assert backend.get(f"t{n}:{i}") == i
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
