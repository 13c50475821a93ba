"""Item analysis: how well an exam's items measure, from the scores of its attempts.

Classical test theory, per exam (one attempt per person, the first or the last, as the caller
chooses) and per item:

- **difficulty**: the mean share of the item's points earned (for right/wrong items, the
  proportion who got it right): 0.9 is an easy item, 0.2 a hard one;
- **discrimination**: the point-biserial correlation between the item's score and the score on
  the *other* items (the corrected item-total correlation: counting the item in the total
  would inflate it, most for short exams). Good items are answered right by those who do well
  overall; a negative value means the strong candidates get it wrong: a wrong key, or a trick;
- **choice rates** (choice items): the share of respondents who chose each option, and the mean
  rest score of those who did, so that a distractor that attracts strong candidates shows;
- **reliability** of the exam: Cronbach's alpha, which for right/wrong items equals KR-20;
- **flags** for items to look at again (`ItemFlag`).

Computed with numpy (arrays of scores) and scipy (the correlations); an exam of thousands of
attempts is analysed in milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from scipy import stats

# Below this many attempts the figures say little; they are computed, and flagged.
FEW_ATTEMPTS = 30
TOO_EASY = 0.95
TOO_HARD = 0.20
LOW_DISCRIMINATION = 0.20


class ItemFlag(StrEnum):
    NEGATIVE_DISCRIMINATION = "negative_discrimination"  # strong candidates do worse on it
    LOW_DISCRIMINATION = "low_discrimination"  # under 0.20: it hardly separates anyone
    TOO_EASY = "too_easy"  # over 95% right: it measures little
    TOO_HARD = "too_hard"  # under 20% right: a wrong key, or unclear
    NO_VARIANCE = "no_variance"  # everyone scored the same on it: no discrimination at all
    DISTRACTOR_BEATS_KEY = "distractor_beats_key"  # a wrong option chosen more than the key
    UNUSED_DISTRACTOR = "unused_distractor"  # a wrong option nobody chose
    FEW_ATTEMPTS = "few_attempts"  # under 30 attempts: read the figures with care


@dataclass(frozen=True)
class ChoiceRate:
    option_id: str
    correct: bool
    share: float  # of the item's respondents
    # Mean score on the other items of those who chose it (None when nobody did).
    mean_rest_score: float | None


@dataclass(frozen=True)
class ItemStatistics:
    item_id: int
    respondents: int
    difficulty: float
    discrimination: float | None  # None when the item or the rest has no variance
    choices: list[ChoiceRate] = field(default_factory=list)
    flags: list[ItemFlag] = field(default_factory=list)


@dataclass(frozen=True)
class ExamStatistics:
    attempts: int
    mean_share: float  # the mean share of the exam's points earned
    reliability: float | None  # Cronbach's alpha (KR-20 for right/wrong items)
    items: list[ItemStatistics]


def cronbach_alpha(scores: NDArray[np.float64]) -> float | None:
    """alpha = k / (k - 1) * (1 - sum of item variances / variance of totals), for a people x
    items matrix of scores. Equals KR-20 when every score is 0 or 1 (the variance of a 0/1 item
    is p * q). None for fewer than two items or people, or totals with no variance."""
    people, items = scores.shape
    if items < 2 or people < 2:
        return None
    total_variance = float(scores.sum(axis=1).var())
    if total_variance == 0:
        return None
    item_variances = float(scores.var(axis=0).sum())
    return items / (items - 1) * (1 - item_variances / total_variance)


def _correlation(x: NDArray[np.float64], y: NDArray[np.float64]) -> float | None:
    if len(x) < 2 or float(x.std()) == 0 or float(y.std()) == 0:
        return None
    return float(stats.pearsonr(x, y).statistic)


def analyse(
    item_ids: Sequence[int],
    scores: Sequence[Sequence[float]],
    *,
    choices: Mapping[int, Sequence[str | None]] | None = None,
    options: Mapping[int, Mapping[str, bool]] | None = None,
) -> ExamStatistics:
    """Statistics of an exam from a people x items matrix of earned shares (0 to 1, one row
    per attempt, columns in the order of `item_ids`). For choice items, `choices[item_id]` is
    the option each person chose (None: no answer), in the rows' order, and
    `options[item_id]` maps each option to whether it is correct.

    An exam drawn from a blueprint shows each person some of the items: a score of NaN marks an
    item not shown. Each item is then measured over the people who were shown it (the rest
    score is what they earned on the other items they were shown), and reliability, which needs
    the same items for everyone, is left out (None)."""
    matrix = np.asarray(scores, dtype=np.float64).reshape(len(scores), len(item_ids))
    if matrix.size and (np.nanmin(matrix) < 0 or np.nanmax(matrix) > 1):
        raise ValueError("Scores are shares of an item's points, from 0 to 1.")
    shown = ~np.isnan(matrix)
    totals = np.nansum(matrix, axis=1)
    statistics = []
    for column, item_id in enumerate(item_ids):
        rows = shown[:, column]
        item = matrix[rows, column]
        rest = totals[rows] - item
        respondents = int(rows.sum())
        difficulty = float(item.mean()) if respondents else 0.0
        discrimination = _correlation(item, rest)
        chosen = (choices or {}).get(item_id)
        if chosen is not None:
            chosen = [c for c, row in zip(chosen, rows, strict=True) if row]
        rates = _choice_rates(chosen, (options or {}).get(item_id), rest)
        statistics.append(
            ItemStatistics(
                item_id=item_id,
                respondents=respondents,
                difficulty=difficulty,
                discrimination=discrimination,
                choices=rates,
                flags=_flags(respondents, item, difficulty, discrimination, rates),
            )
        )
    complete = bool(shown.all())
    return ExamStatistics(
        attempts=matrix.shape[0],
        mean_share=float(np.nanmean(matrix)) if shown.any() else 0.0,
        reliability=cronbach_alpha(matrix) if complete else None,
        items=statistics,
    )


def _choice_rates(
    chosen: Sequence[str | None] | None,
    options: Mapping[str, bool] | None,
    rest: NDArray[np.float64],
) -> list[ChoiceRate]:
    if chosen is None or options is None:
        return []
    if len(chosen) != len(rest):
        raise ValueError("Give one choice per attempt, in the rows' order.")
    picked = np.asarray([c if c is not None else "" for c in chosen], dtype=object)
    answered = int((picked != "").sum())
    rates = []
    for option_id, correct in options.items():
        mask = picked == option_id
        count = int(mask.sum())
        rates.append(
            ChoiceRate(
                option_id=option_id,
                correct=correct,
                share=count / answered if answered else 0.0,
                mean_rest_score=float(rest[mask].mean()) if count else None,
            )
        )
    return rates


def _flags(
    people: int,
    item: NDArray[np.float64],
    difficulty: float,
    discrimination: float | None,
    rates: list[ChoiceRate],
) -> list[ItemFlag]:
    flags: list[ItemFlag] = []
    if people < FEW_ATTEMPTS:
        flags.append(ItemFlag.FEW_ATTEMPTS)
    if people and float(item.std()) == 0:
        flags.append(ItemFlag.NO_VARIANCE)
    if discrimination is not None:
        if discrimination < 0:
            flags.append(ItemFlag.NEGATIVE_DISCRIMINATION)
        elif discrimination < LOW_DISCRIMINATION:
            flags.append(ItemFlag.LOW_DISCRIMINATION)
    if people and difficulty > TOO_EASY:
        flags.append(ItemFlag.TOO_EASY)
    if people and difficulty < TOO_HARD:
        flags.append(ItemFlag.TOO_HARD)
    key_share = max((r.share for r in rates if r.correct), default=None)
    wrong = [r for r in rates if not r.correct]
    if key_share is not None and any(r.share > key_share for r in wrong):
        flags.append(ItemFlag.DISTRACTOR_BEATS_KEY)
    if people and any(r.share == 0 for r in wrong):
        flags.append(ItemFlag.UNUSED_DISTRACTOR)
    return flags
