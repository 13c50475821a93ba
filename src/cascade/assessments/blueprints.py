"""Drawing an attempt's items from an exam's blueprint.

A blueprint is a list of draws: "3 hard items measuring Firewall install", "5 items from the
SD-WAN bank". Each draw names what its items must match (a bank, a competency, a difficulty; one
left out matches everything) and how many to take; no item is taken twice.

Taking the draws one after the other at random can fail although a valid draw exists: an
earlier draw may take the very items a later one needs. So a draw is a **bipartite matching**
between the blueprint's slots (one per item a draw takes) and the live items: a blueprint can be
filled exactly when a matching covers every slot (`scipy.sparse.csgraph`'s maximum bipartite
matching, Hopcroft-Karp), which is what publishing an exam checks. An attempt's items are a
matching over the candidates in random order, so each attempt gets a different valid draw, in one
matching however many draws there are.

Items shown to many people already can be held back (`max_exposure`): the matching is tried on
the items below the limit first, and only if it cannot cover every slot on all of them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching


@dataclass(frozen=True)
class Candidate:
    """A live item as a draw sees it."""

    item_id: int
    bank_id: int
    competency_ids: frozenset[int]
    difficulty: int
    # How many attempts have shown it (for exposure limits).
    exposure: int = 0


@dataclass(frozen=True)
class Draw:
    count: int
    bank_id: int | None = None
    competency_id: int | None = None
    difficulty: int | None = None

    def admits(self, candidate: Candidate) -> bool:
        return (
            (self.bank_id is None or candidate.bank_id == self.bank_id)
            and (self.competency_id is None or self.competency_id in candidate.competency_ids)
            and (self.difficulty is None or candidate.difficulty == self.difficulty)
        )


class BlueprintShort(ValueError):
    """The live items cannot fill the blueprint: `filled` of its `wanted` items at most."""

    def __init__(self, wanted: int, filled: int) -> None:
        super().__init__(
            f"The blueprint takes {wanted} items; the items that match fill {filled} of them."
        )
        self.wanted = wanted
        self.filled = filled


def _matching(draws: Sequence[Draw], candidates: Sequence[Candidate]) -> list[int]:
    """For each slot (draws expanded by their counts, in order), the index of the candidate it
    takes, or -1: a maximum matching."""
    slots = [draw for draw in draws for _ in range(draw.count)]
    if not slots:
        return []
    if not candidates:
        return [-1] * len(slots)
    rows, columns = [], []
    for slot, draw in enumerate(slots):
        for index, candidate in enumerate(candidates):
            if draw.admits(candidate):
                rows.append(slot)
                columns.append(index)
    graph = csr_array(
        (np.ones(len(rows), dtype=np.int8), (rows, columns)),
        shape=(len(slots), len(candidates)),
    )
    return [int(i) for i in maximum_bipartite_matching(graph, perm_type="column")]


def blueprint_capacity(draws: Sequence[Draw], candidates: Sequence[Candidate]) -> int:
    """How many of the blueprint's slots the candidates can fill at once (all of them: every
    attempt can be drawn)."""
    return sum(1 for taken in _matching(draws, candidates) if taken >= 0)


def draw_items(
    draws: Sequence[Draw],
    candidates: Sequence[Candidate],
    rng: random.Random,
    *,
    max_exposure: int | None = None,
    shuffle: bool = True,
) -> list[int]:
    """The item ids of one attempt: every draw filled, no item twice (in draw order, or shuffled
    when asked). Raises `BlueprintShort` when the candidates cannot fill it."""
    wanted = sum(draw.count for draw in draws)
    pools = [list(candidates)]
    if max_exposure is not None:
        fresh = [c for c in candidates if c.exposure < max_exposure]
        if len(fresh) < len(candidates):
            pools.insert(0, fresh)
    best = 0
    for pool in pools:
        order = pool[:]
        rng.shuffle(order)
        matched = _matching(draws, order)
        filled = sum(1 for taken in matched if taken >= 0)
        if filled == wanted:
            items = [order[taken].item_id for taken in matched]
            if shuffle:
                rng.shuffle(items)
            return items
        best = max(best, filled)
    raise BlueprintShort(wanted, best)
