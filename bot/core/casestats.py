"""Single-case statistics for the research export: each participant their own case. Pure.

Every function states its formula and source; "improvement" is a *decrease* in stress
unless ``decrease_is_improvement=False`` (the published fixtures are mostly written for an
increase).

- Reliable change index (Jacobson & Truax 1991): S_E = SD * sqrt(1 - r),
  S_diff = sqrt(2) * S_E, RC = (post - pre) / S_diff; reliable when |RC| > 1.96.
- NAP, non-overlap of all pairs (Parker & Vannest 2009): the share of (A, B) pairs where B
  is better, ties half; equal to Mann-Whitney U / (m n). Counted here from the same pairs
  as Tau-U, (S_AB + m n) / (2 m n), in exact integers: scipy's ``mannwhitneyu`` gives the
  same U (the tests hold the two together) but costs a millisecond a call, too much for an
  export of a thousand people with six phases each.
- Tau = 2 NAP - 1; Tau-U, A against B with the baseline's trend taken out (Parker, Vannest,
  Davis & Sauber 2011): (S_AB - S_AA) / (m n), S_AA the Kendall S of the baseline in time
  order. No library has it, so it is written here and checked against SingleCaseES.
- Theil-Sen slope with Kendall's test of trend: scipy's ``theilslopes`` and ``kendalltau``.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

RELIABLE = 1.96


class Change(enum.StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DETERIORATED = "deteriorated"


@dataclass(frozen=True, slots=True)
class ReliableChange:
    se: float  # standard error of measurement
    s_diff: float
    rc: float
    change: Change


def reliable_change(pre: float, post: float, sd: float, r: float,
                    decrease_is_improvement: bool = True) -> ReliableChange:
    """Jacobson & Truax (1991) with the instrument's SD and reliability r."""
    if sd <= 0 or not 0 <= r < 1:
        raise ValueError("the SD must be positive and the reliability in [0, 1)")
    se = sd * math.sqrt(1 - r)
    s_diff = math.sqrt(2) * se
    rc = (post - pre) / s_diff
    better = -rc if decrease_is_improvement else rc
    change = (Change.IMPROVED if better > RELIABLE else
              Change.DETERIORATED if better < -RELIABLE else Change.UNCHANGED)
    return ReliableChange(se, s_diff, rc, change)


def nap(a: Sequence[float], b: Sequence[float], decrease_is_improvement: bool = True) -> float:
    """Non-overlap of all pairs: U / (m n), B better than A (ties count half)."""
    if not a or not b:
        raise ValueError("NAP needs points in both phases")
    pairs = len(a) * len(b)
    return (_s(a, b, -1 if decrease_is_improvement else 1) + pairs) / (2 * pairs)


def tau(a: Sequence[float], b: Sequence[float], decrease_is_improvement: bool = True) -> float:
    return 2 * nap(a, b, decrease_is_improvement) - 1


def _signs(earlier: Sequence[float], later: Sequence[float]) -> np.ndarray:
    """sign(later - earlier) for every pair, as a (len(earlier), len(later)) matrix."""
    signs: np.ndarray = np.sign(np.subtract.outer(np.asarray(later, dtype=float),
                                                  np.asarray(earlier, dtype=float))).T
    return signs


def _s(earlier: Sequence[float], later: Sequence[float], better: int) -> int:
    """Kendall-type S: pairs where the later value is better minus pairs where it is worse
    (exact: a sum of -1, 0 and 1; numpy, as a year has tens of thousands of pairs)."""
    return better * int(_signs(earlier, later).sum())


def tau_u(a: Sequence[float], b: Sequence[float], decrease_is_improvement: bool = True) -> float:
    """Tau-U, A vs B with the baseline trend corrected: (S_AB - S_AA) / (m n); ``a`` in
    time order."""
    if not a or not b:
        raise ValueError("Tau-U needs points in both phases")
    better = -1 if decrease_is_improvement else 1
    s_ab = _s(a, b, better)
    s_aa = better * int(np.triu(_signs(a, a), 1).sum())  # each earlier point vs later ones
    return (s_ab - s_aa) / (len(a) * len(b))


@dataclass(frozen=True, slots=True)
class Trend:
    slope: float  # per time unit (a day)
    intercept: float
    kendall_tau: float
    p: float  # Kendall's test of trend, two-sided


def trend(times: Sequence[float], values: Sequence[float]) -> Trend | None:
    """Theil-Sen slope and Kendall's test; None with fewer than 3 points. A flat series
    has slope 0 and no test (Kendall's tau is undefined without any variation: NaN)."""
    if len(values) < 3:
        return None
    if len(set(values)) < 2:
        return Trend(0.0, float(values[0]), math.nan, math.nan)
    from scipy import stats  # here, not at import: scipy.stats is 70 MB of memory that only
    # the processes computing a trend need (the bot's main process and the CLI's do not)

    sen = stats.theilslopes(values, times)
    kendall = stats.kendalltau(times, values)
    return Trend(float(sen.slope), float(sen.intercept), float(kendall.statistic),
                 float(kendall.pvalue))
