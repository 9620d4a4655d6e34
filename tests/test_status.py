"""The colour rule of indikatorer.md at its boundaries."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlstatus.kerne.indikatorer import targets_for
from xlstatus.kerne.status import Targets, Tolerance, assess, expected_value, tolerance
from xlstatus.skabelonfiler import load_schemas

JAN24 = date(2024, 1, 10)
LOWER = Targets(
    ((date(2024, 8, 1), 100.0), (date(2025, 1, 1), 98.0), (date(2026, 1, 1), 92.0)),
    "lavere", 103.0, JAN24,
)  # fmt: skip
HIGHER = Targets(((date(2024, 8, 1), 10.0), (date(2026, 1, 1), 30.0)), "højere", 0.0, JAN24)


def test_expected_runs_straight_from_start_to_milestone():
    assert expected_value(LOWER, date(2024, 2, 1)) == pytest.approx(103 - 3 / 7)
    assert expected_value(LOWER, date(2024, 8, 1)) == 100
    assert expected_value(LOWER, date(2024, 10, 1)) == pytest.approx(100 - 2 * 2 / 5)
    assert expected_value(LOWER, date(2026, 1, 1)) == 92
    assert expected_value(LOWER, date(2026, 6, 1)) == 92  # after the last: the last target


def test_line_never_asks_more_than_next_milestone():
    # start 87.9, minimum goal 70: the expectation is 70, not the line down from 87.9
    t = Targets(((date(2024, 8, 1), 70.0),), "højere", 87.9, JAN24)
    assert expected_value(t, date(2024, 2, 1)) == 70


def test_row_without_start_expects_first_milestone_and_only_the_5pct_term():
    t = Targets(((date(2024, 8, 1), 50.0), (date(2025, 1, 1), 70.0)), "højere", None, JAN24)
    assert expected_value(t, date(2024, 2, 1)) == 50
    assert tolerance(t, date(2024, 2, 1)) == pytest.approx(2.5)
    assert expected_value(t, date(2024, 10, 1)) == pytest.approx(50 + 20 * 2 / 5)


def test_tolerance_is_the_larger_of_the_two_terms_and_settable():
    assert tolerance(LOWER, date(2024, 2, 1)) == pytest.approx(5.0)  # max(0.75, 5)
    assert tolerance(HIGHER, date(2024, 2, 1)) == pytest.approx(2.5)  # max(2.5, 0.5)
    assert tolerance(HIGHER, date(2024, 2, 1), Tolerance(0.5, 0.05)) == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("value", "status"),
    [(102.0, "groen"), (103 - 3 / 7, "groen"), (108 - 3 / 7, "gul"), (108.0, "roed")],
)
def test_lower_is_better_boundaries(value, status):
    assert assess(value, LOWER, date(2024, 2, 1)).status == status


@pytest.mark.parametrize(("value", "status"), [(10.0, "groen"), (7.5, "gul"), (7.49, "roed")])
def test_higher_is_better_boundaries(value, status):
    a = assess(value, HIGHER, date(2024, 8, 1))
    assert (a.expected, a.next_target, a.status) == (10, 10, status)


def test_no_colour_without_value_or_milestone():
    assert assess(None, HIGHER, date(2024, 2, 1)).status is None
    assert assess(None, HIGHER, date(2024, 2, 1)).expected is not None
    assert assess(5.0, Targets((), None), date(2024, 2, 1)).status is None


def test_cumulative_rows_start_from_zero_at_project_start():
    kp = next(s for s in load_schemas() if s.projekt == "Kompetenceporten")
    t = targets_for(kp, kp.row("", "Antal ledige, som indgår i projektet"))
    assert t.start == 0 and expected_value(t, date(2024, 2, 1)) == pytest.approx(10 / 7)


@given(st.floats(-1000, 1000), st.integers(0, 40))
def test_green_means_meeting_expected(value, offset):
    month = date(2024 + (offset + 1) // 12, (offset + 1) % 12 + 1, 1)
    a = assess(value, HIGHER, month)
    assert (a.status == "groen") == (value >= a.expected - 1e-9)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(1234.5, 1, "1.234,5"), (-1234.5, 1, "-1.234,5"), (-0.04, 1, "0,0"), (-0.0, 0, "0"),
     (-0.4, 0, "0"), (-0.6, 0, "-1"), (1212, 0, "1.212")],
)  # fmt: skip
def test_danish_numbers_have_no_negative_zero(value: float, decimals: int, text: str):
    from xlstatus.kerne.formatering import number_da

    assert number_da(value, decimals) == text
