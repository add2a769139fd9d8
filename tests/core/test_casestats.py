"""Single-case statistics against published fixtures (SingleCaseES, suddengains)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from bot.core import casestats
from bot.core.casestats import Change

PV2009_A = [4, 3, 4, 3, 4, 7, 5, 2, 3, 2]
PV2009_B = [5, 9, 7, 9, 7, 5, 9, 11, 11, 10, 9]
PVDS_A = [20, 20, 26, 25, 22, 23]
PVDS_B = [28, 25, 24, 27, 30, 30, 29]


def test_reliable_change_matches_suddengains() -> None:
    rc = casestats.reliable_change(20, 10, sd=10.5, r=0.961)
    assert rc.se == pytest.approx(2.073584, abs=1e-6)
    assert rc.s_diff == pytest.approx(2.93249, abs=1e-5)
    assert 1.96 * rc.s_diff == pytest.approx(5.747681, abs=1e-5)  # the cut-off
    assert rc.change is Change.IMPROVED  # 10 points down on a scale where lower is better
    assert casestats.reliable_change(20, 25, 10.5, 0.961).change is Change.UNCHANGED
    assert casestats.reliable_change(20, 26, 10.5, 0.961).change is Change.DETERIORATED
    with pytest.raises(ValueError):
        casestats.reliable_change(1, 2, sd=0, r=0.5)


def test_nap_matches_parker_and_vannest_2009() -> None:
    assert casestats.nap(PV2009_A, PV2009_B, decrease_is_improvement=False) == pytest.approx(
        106 / 110)
    # for stress a fall is better: the same data read the other way round
    assert casestats.nap(PV2009_A, PV2009_B) == pytest.approx(4 / 110)


def test_nap_tau_and_tau_u_match_singlecasees() -> None:
    up = {"decrease_is_improvement": False}
    assert casestats.nap(PVDS_A, PVDS_B, **up) == pytest.approx(38.5 / 42)
    assert casestats.tau(PVDS_A, PVDS_B, **up) == pytest.approx(35 / 42)
    assert casestats.tau_u(PVDS_A, PVDS_B, **up) == pytest.approx(0.738, abs=5e-4)
    assert casestats.tau([3, 3, 4, 5], [4, 5, 6, 7, 7], **up) == pytest.approx(16 / 20)
    assert casestats.tau_u([3, 3, 4, 5], [4, 5, 6, 7, 7], **up) == pytest.approx(11 / 20)
    assert casestats.tau(list(range(1, 6)), list(range(6, 11)), **up) == pytest.approx(1)
    assert casestats.tau_u(list(range(1, 6)), list(range(6, 11)), **up) == pytest.approx(0.6)
    # a fall in stress mirrored: the same size, improvement the other way
    down_a, down_b = [-v for v in PVDS_A], [-v for v in PVDS_B]
    assert casestats.tau_u(down_a, down_b) == pytest.approx(0.738, abs=5e-4)


def test_trend_is_theil_sen_with_kendall() -> None:
    found = casestats.trend([0, 1, 2, 3, 4], [5, 4, 4, 2, 1])
    assert found is not None and found.slope == pytest.approx(-1.0)
    assert found.kendall_tau < 0 and 0 < found.p < 1
    assert casestats.trend([0, 1], [3, 4]) is None
    flat = casestats.trend([0, 1, 2], [3, 3, 3])  # no change: slope 0, no test
    assert flat is not None and flat.slope == 0 and math.isnan(flat.p)


@given(st.lists(st.integers(0, 10), min_size=1, max_size=30),
       st.lists(st.integers(0, 10), min_size=1, max_size=30), st.booleans())
def test_nap_equals_scipys_mann_whitney_u(a: list[int], b: list[int], decrease: bool) -> None:
    """NAP is counted from pairs; scipy's Mann-Whitney U / (m n) is the oracle."""
    first, second = (a, b) if decrease else (b, a)
    u = stats.mannwhitneyu(first, second, alternative="two-sided").statistic
    assert casestats.nap(a, b, decrease) == pytest.approx(float(u) / (len(a) * len(b)))


@given(st.lists(st.integers(0, 10), min_size=1, max_size=30),
       st.lists(st.integers(0, 10), min_size=1, max_size=30), st.booleans())
def test_tau_u_equals_its_definition_pair_by_pair(a: list[int], b: list[int],
                                                  decrease: bool) -> None:
    """Tau-U's counts are vectorised; the definition, one pair at a time, is the oracle:
    (S_AB - S_AA) / (m n), S over pairs of +1 (later better), -1 (later worse), 0."""
    better = -1 if decrease else 1

    def sign(earlier: int, later: int) -> int:
        return better * ((later > earlier) - (later < earlier))

    s_ab = sum(sign(x, y) for x in a for y in b)
    s_aa = sum(sign(a[i], a[j]) for i in range(len(a)) for j in range(i + 1, len(a)))
    assert casestats.tau_u(a, b, decrease) == (s_ab - s_aa) / (len(a) * len(b))
