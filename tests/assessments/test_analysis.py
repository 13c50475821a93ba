"""Item analysis checked against values computed by hand.

Five people, three right/wrong items:

    person  item1 item2 item3  total
    p1        1     1     1      3
    p2        1     1     0      2
    p3        1     0     0      1
    p4        0     0     0      0
    p5        1     1     0      2
"""

from __future__ import annotations

import numpy as np
import pytest

from cascade.assessments.analysis import ItemFlag, analyse, cronbach_alpha

ITEMS = [101, 102, 103]
SCORES = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0], [1, 1, 0]]


def test_difficulty_is_the_proportion_right() -> None:
    result = analyse(ITEMS, SCORES)
    assert [i.difficulty for i in result.items] == [0.8, 0.6, 0.2]
    assert result.attempts == 5
    assert result.mean_share == pytest.approx(8 / 15)


def test_discrimination_is_the_point_biserial_with_the_rest_of_the_exam() -> None:
    # item1 against the rest (item2 + item3 = 2, 1, 0, 0, 1): x - mean = .2 .2 .2 -.8 .2,
    # y - mean = 1.2 .2 -.8 -.8 .2; sum of products .8; sums of squares .8 and 2.8:
    # r = .8 / sqrt(.8 * 2.8) = 0.534522.
    # item2 against 2, 1, 1, 0, 1: products sum 1.0, squares 1.2 and 2: r = 1 / sqrt(2.4).
    # item3 against 2, 2, 1, 0, 2: products sum .6, squares .8 and 3.2: r = .6 / 1.6 = .375.
    result = analyse(ITEMS, SCORES)
    assert [i.discrimination for i in result.items] == pytest.approx(
        [0.534522, 0.645497, 0.375], abs=1e-6
    )


def test_reliability_is_kr20_for_right_wrong_items() -> None:
    # KR-20 = k / (k - 1) * (1 - sum(p q) / variance of totals)
    # sum(p q) = .8*.2 + .6*.4 + .2*.8 = .56; totals 3 2 1 0 2, mean 1.6, variance 5.2 / 5 = 1.04
    # KR-20 = 1.5 * (1 - .56 / 1.04) = 0.692308
    assert analyse(ITEMS, SCORES).reliability == pytest.approx(0.692308, abs=1e-6)


def test_alpha_takes_partial_credit() -> None:
    # Two items in step (0, .5, 1 each): item variances 1/6 each, totals 0 1 2 with variance
    # 2/3: alpha = 2 * (1 - (1/3) / (2/3)) = 1.
    in_step = np.array([[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]])
    assert cronbach_alpha(in_step) == pytest.approx(1.0)
    unrelated = np.array([[0.25, 0.25], [0.5, 0.5], [0.5, 1.0], [0.75, 1.25]])
    unrelated[:, 1] = [0.0, 1.0, 0.0, 1.0]
    # items .25 .5 .5 .75 (variance .03125) and 0 1 0 1 (variance .25); totals .25 1.5 .5 1.75,
    # mean 1.0, variance (.5625 + .25 + .25 + .5625) / 4 = .40625:
    # alpha = 2 * (1 - .28125 / .40625) = 0.615385
    assert cronbach_alpha(unrelated) == pytest.approx(0.615385, abs=1e-6)


def test_choice_rates_show_what_each_option_attracted() -> None:
    result = analyse(
        ITEMS,
        SCORES,
        choices={101: ["a", "a", "a", "b", "a"]},
        options={101: {"a": True, "b": False, "c": False}},
    )
    rates = {r.option_id: (r.share, r.mean_rest_score) for r in result.items[0].choices}
    # rest scores of item1: 2 1 0 0 1; "a" chosen by p1 p2 p3 p5: (2 + 1 + 0 + 1) / 4 = 1
    assert rates == {"a": (0.8, 1.0), "b": (0.2, 0.0), "c": (0.0, None)}
    assert ItemFlag.UNUSED_DISTRACTOR in result.items[0].flags


def test_weak_items_are_flagged() -> None:
    # item A: the strong get it wrong (negative discrimination); item B: everyone right.
    scores = [[0, 1, 1, 1], [0, 1, 1, 0], [1, 1, 0, 0], [1, 1, 0, 0]]
    result = analyse([1, 2, 3, 4], scores)
    first, second = result.items[0], result.items[1]
    assert ItemFlag.NEGATIVE_DISCRIMINATION in first.flags
    # A = 0 0 1 1 against the rest 3 2 1 1: products sum -1.5, squares 1 and 2.75
    assert first.discrimination == pytest.approx(-1.5 / 2.75**0.5)
    assert (second.discrimination, ItemFlag.NO_VARIANCE in second.flags) == (None, True)
    assert ItemFlag.TOO_EASY in second.flags
    assert all(ItemFlag.FEW_ATTEMPTS in i.flags for i in result.items)


def test_a_distractor_chosen_more_than_the_key_is_flagged() -> None:
    result = analyse(
        [7],
        [[0], [0], [1], [0]],
        choices={7: ["b", "b", "a", None]},
        options={7: {"a": True, "b": False}},
    )
    item = result.items[0]
    # three answered: "b" by two of them, "a" by one
    assert [(r.option_id, r.share) for r in item.choices] == [("a", 1 / 3), ("b", 2 / 3)]
    assert ItemFlag.DISTRACTOR_BEATS_KEY in item.flags


def test_scores_outside_zero_to_one_are_refused() -> None:
    with pytest.raises(ValueError, match="from 0 to 1"):
        analyse([1], [[2.0]])


def test_blueprint_exams_measure_each_item_over_those_shown_it() -> None:
    # Five people, each shown two of three items (NaN: not shown). By hand:
    # item 1 over P1, P2, P4, P5: scores 1 0 1 0, rest 1 1 1 0: r = 0.5 / sqrt(0.75) = 1/sqrt(3)
    # item 2 over P1, P3, P5: scores 1 0 0, rest 1 0 0: r = 1
    # item 3 over P2, P3, P4: scores 1 0 1, rest 0 0 1: r = (1/3) / (6/9) = 0.5
    nan = float("nan")
    scores = [[1, 1, nan], [0, nan, 1], [nan, 0, 0], [1, nan, 1], [0, 0, nan]]
    statistics = analyse([1, 2, 3], scores)
    by_item = {s.item_id: s for s in statistics.items}
    assert [by_item[i].respondents for i in (1, 2, 3)] == [4, 3, 3]
    assert by_item[1].difficulty == pytest.approx(0.5)
    assert by_item[2].difficulty == pytest.approx(1 / 3)
    assert by_item[1].discrimination == pytest.approx(1 / np.sqrt(3))
    assert by_item[2].discrimination == pytest.approx(1.0)
    assert by_item[3].discrimination == pytest.approx(0.5)
    # Alpha needs the same items for everyone.
    assert statistics.reliability is None
    assert (statistics.attempts, statistics.mean_share) == (5, pytest.approx(0.5))
