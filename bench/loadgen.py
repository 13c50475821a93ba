"""An open-loop HTTP load generator on the standard library.

Open loop: request i is due at start + i / rate whatever happened to the earlier ones, so a slow
server builds a queue instead of slowing the client down (no coordinated omission). Latency is
measured from the moment a request was due, so the time spent waiting for a free connection
counts. A pool of threads, each with one keep-alive connection, sends the requests.

Bounded and self-stopping: exactly rate x duration requests are scheduled, and whatever has not
completed `drain` seconds after the last one was due is abandoned and counted as an error.
Loopback only: the host must be 127.0.0.1, localhost or ::1.

A run sends one request (path and headers) over and over, or rotates through several: request i
is the (i mod n)-th, so a target can mix callers (learners of several tiers) and queries. A
rotated request may carry a method and a body too: (path, headers, method, body).
"""

from __future__ import annotations

import http.client
import math
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# What a request on a kept-alive connection the server has just closed fails with.
STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass
class LoadResult:
    rate: float  # requested per second
    duration: float  # seconds of scheduled load
    latencies: list[float] = field(default_factory=list)  # seconds, successful responses
    statuses: dict[int, int] = field(default_factory=dict)
    # Requests that got no response (status 0), by the client's exception, and requests sent
    # again after the server closed their kept-alive connection ("retried after ...").
    failures: dict[str, int] = field(default_factory=dict)
    errors: int = 0  # non-2xx/3xx statuses, failures and abandoned requests
    scheduled: int = 0
    completed: int = 0
    elapsed: float = 0.0  # from the first due time to the last completion

    @property
    def achieved_rate(self) -> float:
        """Successful responses per second over the run."""
        return len(self.latencies) / self.elapsed if self.elapsed > 0 else 0.0

    def percentile(self, fraction: float) -> float:
        """Nearest-rank percentile of the successful latencies, in milliseconds."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(fraction * len(ordered)))
        return ordered[rank - 1] * 1000


def drive(
    *,
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    rate: float,
    duration: float,
    connections: int = 32,
    timeout: float = 10.0,
    drain: float = 10.0,
    rotate: Sequence[tuple[Any, ...]] = (),
) -> LoadResult:
    """Send GET `path` at `rate` requests per second for `duration` seconds (or, when `rotate`
    lists (path, headers) pairs or (path, headers, method, body) requests, each in turn)."""
    if host not in LOOPBACK:
        raise ValueError(f"Refusing to load {host}: the benchmark only targets loopback.")
    requests = [
        (
            entry[0],
            entry[1],
            entry[2] if len(entry) > 2 else "GET",
            entry[3] if len(entry) > 3 else None,
        )
        for entry in (list(rotate) or [(path, headers)])
    ]
    total = max(1, round(rate * duration))
    result = LoadResult(rate=rate, duration=duration, scheduled=total)
    due: queue.SimpleQueue[tuple[float, int] | None] = queue.SimpleQueue()
    lock = threading.Lock()
    start = time.perf_counter() + 0.1
    deadline = start + duration + drain
    last_done = [start]

    def schedule() -> None:
        for index in range(total):
            at = start + index / rate
            pause = at - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            due.put((at, index % len(requests)))
        for _ in range(connections):
            due.put(None)

    def exchange(
        connection: http.client.HTTPConnection, which: int
    ) -> tuple[int, http.client.HTTPConnection]:
        target, sent_headers, method, body = requests[which]
        connection.request(method, target, body=body, headers=sent_headers)
        response = connection.getresponse()
        response.read()
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
        return response.status, connection

    def send() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        used = False  # whether this connection already carried a request (kept alive)
        while True:
            scheduled = due.get()
            if scheduled is None:
                break
            at, which = scheduled
            if time.perf_counter() > deadline:
                with lock:
                    result.errors += 1  # abandoned: the server fell too far behind
                continue
            status = 0
            try:
                try:
                    status, connection = exchange(connection, which)
                except STALE_CONNECTION as exc:
                    if not used:
                        raise
                    # The server closed the kept-alive connection as the request went out:
                    # browsers and HTTP libraries send it again on a new connection, once.
                    with lock:
                        name = f"retried after {type(exc).__name__}"
                        result.failures[name] = result.failures.get(name, 0) + 1
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=timeout)
                    status, connection = exchange(connection, which)
                used = True
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    name = type(exc).__name__
                    result.failures[name] = result.failures.get(name, 0) + 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
                used = False
            done = time.perf_counter()
            with lock:
                result.completed += 1
                result.statuses[status] = result.statuses.get(status, 0) + 1
                last_done[0] = max(last_done[0], done)
                if 200 <= status < 400:
                    result.latencies.append(done - at)
                else:
                    result.errors += 1
        connection.close()

    workers = [threading.Thread(target=send, daemon=True) for _ in range(connections)]
    for worker in workers:
        worker.start()
    scheduler = threading.Thread(target=schedule, daemon=True)
    scheduler.start()
    scheduler.join()
    for worker in workers:
        worker.join(timeout=max(0.0, deadline - time.perf_counter()) + timeout)
    result.elapsed = last_done[0] - start
    return result
