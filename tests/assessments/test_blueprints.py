"""Blueprint draws: every draw filled, no item twice, a valid draw found whenever one exists,
exposure limits honoured while they can be."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from cascade.assessments.blueprints import (
    BlueprintShort,
    Candidate,
    Draw,
    blueprint_capacity,
    draw_items,
)

FIREWALL, SDWAN = 1, 2  # competencies
EASY, HARD = 1, 3


def _pool() -> list[Candidate]:
    # items 1-4: firewall, hard; 5-6: firewall and sd-wan, easy; 7-10: sd-wan, easy
    pool = [Candidate(i, 10, frozenset({FIREWALL}), HARD) for i in range(1, 5)]
    pool += [Candidate(i, 10, frozenset({FIREWALL, SDWAN}), EASY) for i in (5, 6)]
    pool += [Candidate(i, 20, frozenset({SDWAN}), EASY) for i in range(7, 11)]
    return pool


def _meets(items: list[int], draws: list[Draw], pool: list[Candidate]) -> bool:
    """Whether the items can be assigned to the draws' slots (checked by brute force here)."""
    by_id = {c.item_id: c for c in pool}
    slots = [d for d in draws for _ in range(d.count)]

    def place(index: int, left: list[Draw]) -> bool:
        if index == len(items):
            return not left
        return any(
            draw.admits(by_id[items[index]]) and place(index + 1, left[:n] + left[n + 1 :])
            for n, draw in enumerate(left)
        )

    return len(items) == len(set(items)) == len(slots) and place(0, slots)


def test_every_attempt_meets_the_blueprint_and_attempts_differ() -> None:
    pool = _pool()
    draws = [
        Draw(count=2, competency_id=FIREWALL, difficulty=HARD),
        Draw(count=3, competency_id=SDWAN),
        Draw(count=1, bank_id=10),
    ]
    rng = random.Random(7)
    attempts = [draw_items(draws, pool, rng) for _ in range(50)]
    assert all(_meets(items, draws, pool) for items in attempts)
    assert len({tuple(sorted(items)) for items in attempts}) > 10


def test_a_valid_draw_is_found_where_taking_draws_in_turn_could_fail() -> None:
    # "any two firewall items" then "both sd-wan-and-firewall items": drawing the first at
    # random may take item 5 or 6, leaving the second unfillable; a matching never does.
    pool = _pool()
    draws = [Draw(count=2, competency_id=FIREWALL), Draw(count=2, competency_id=SDWAN, bank_id=10)]
    for seed in range(200):
        items = draw_items(draws, pool, random.Random(seed))
        assert {5, 6} <= set(items)
        assert _meets(items, draws, pool)


def test_a_blueprint_the_items_cannot_fill_is_refused() -> None:
    pool = _pool()
    draws = [Draw(count=5, competency_id=FIREWALL, difficulty=HARD)]
    assert blueprint_capacity(draws, pool) == 4
    with pytest.raises(BlueprintShort, match="fill 4 of them"):
        draw_items(draws, pool, random.Random(1))
    # together the draws want more items than match either
    overlapping = [Draw(count=4, competency_id=SDWAN), Draw(count=3, bank_id=20)]
    assert blueprint_capacity(overlapping, pool) == 6


def test_exposed_items_are_held_back_while_others_can_fill_the_draw() -> None:
    pool = [
        Candidate(i, 10, frozenset({FIREWALL}), HARD, exposure=100 if i <= 2 else 0)
        for i in range(1, 6)
    ]
    draws = [Draw(count=3, competency_id=FIREWALL)]
    rng = random.Random(3)
    shown = Counter(i for _ in range(30) for i in draw_items(draws, pool, rng, max_exposure=50))
    assert set(shown) == {3, 4, 5}
    # when too few are below the limit, the exposed ones are used rather than failing
    items = draw_items([Draw(count=4)], pool, rng, max_exposure=50)
    assert len(set(items)) == 4


def test_without_shuffling_items_come_in_draw_order() -> None:
    pool = _pool()
    draws = [Draw(count=1, bank_id=20), Draw(count=1, difficulty=HARD)]
    items = draw_items(draws, pool, random.Random(5), shuffle=False)
    assert items[0] in range(7, 11)
    assert items[1] in range(1, 5)
