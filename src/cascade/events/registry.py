"""Consumers of domain events, registered by name at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[[int, dict[str, Any]], None]


@dataclass(frozen=True)
class Consumer:
    name: str
    event_names: frozenset[str]
    handler: Handler


_consumers: dict[str, Consumer] = {}


def consumer(*event_names: str) -> Callable[[Handler], Handler]:
    """Register `handler(tenant_id, payload)` for the given event names.

    The handler runs inside the event's tenant scope, once per event (a receipt records it), and
    must be safe to run again if it failed half-way: do its writes in one transaction.
    """

    def register(handler: Handler) -> Handler:
        name = f"{handler.__module__}.{handler.__qualname__}"
        _consumers[name] = Consumer(name=name, event_names=frozenset(event_names), handler=handler)
        return handler

    return register


def consumers_for(event_name: str) -> list[Consumer]:
    return [c for c in _consumers.values() if event_name in c.event_names]
