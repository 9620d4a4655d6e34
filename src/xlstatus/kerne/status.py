"""Target status of a value (indikatorer.md, "Targets and colours"). Pure functions.

The expected value runs in a straight line from the start value to the next
milestone, milestone to milestone, and stays at the last target afterwards.
Milestones are minimum goals, so the line never asks for more than the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from xlstatus.kerne.tid import month_index, month_start

Status = Literal["groen", "gul", "roed"]
STATUS_TEXT: dict[str, str] = {"groen": "På sporet", "gul": "Lidt bagud", "roed": "Bagud"}
STATUS_SYMBOL: dict[str, str] = {"groen": "✔", "gul": "●", "roed": "✖"}
EPS = 1e-9


@dataclass(frozen=True)
class Tolerance:
    """Amber band: max(span × |next − start|, goal × |next|); both settable."""

    span: float = 0.25
    goal: float = 0.05


@dataclass(frozen=True)
class Targets:
    """A row's start value, milestones and direction ('højere' or 'lavere')."""

    milestones: tuple[tuple[date, float], ...]
    direction: str | None
    start: float | None = None
    start_month: date | None = None


@dataclass(frozen=True)
class Assessment:
    expected: float | None
    next_target: float | None
    next_target_month: date | None
    tolerance: float | None
    status: Status | None


NO_TARGET = Assessment(None, None, None, None, None)


def next_milestone(targets: Targets, month: date) -> tuple[date, float] | None:
    """The next milestone at or after month; after the last one, the last one."""
    if not targets.milestones:
        return None
    for m, v in targets.milestones:
        if m >= month_start(month):
            return m, v
    return targets.milestones[-1]


def expected_value(targets: Targets, month: date) -> float | None:
    nxt = next_milestone(targets, month)
    if nxt is None:
        return None
    m_next, v_next = nxt
    month = month_start(month)
    if month > m_next:  # after the last milestone
        return v_next
    earlier = [(m, v) for m, v in targets.milestones if m < month]
    if earlier:
        m0, v0 = earlier[-1]
    elif targets.start is not None and targets.start_month is not None:
        m0, v0 = month_start(targets.start_month), targets.start
    else:  # no start value: the first milestone applies from the start
        return v_next
    span = month_index(m_next) - month_index(m0)
    t = (month_index(month) - month_index(m0)) / span if span > 0 else 1.0
    line = v0 + (v_next - v0) * min(max(t, 0.0), 1.0)
    return min(line, v_next) if targets.direction == "højere" else max(line, v_next)


def tolerance(targets: Targets, month: date, tol: Tolerance = Tolerance()) -> float | None:
    nxt = next_milestone(targets, month)
    if nxt is None:
        return None
    v_next = nxt[1]
    goal_term = tol.goal * abs(v_next)
    if targets.start is None:
        return goal_term
    return max(tol.span * abs(v_next - targets.start), goal_term)


def classify(value: float, expected: float, tol: float, direction: str) -> Status:
    shortfall = expected - value if direction == "højere" else value - expected
    if shortfall <= EPS:
        return "groen"
    return "gul" if shortfall <= tol + EPS else "roed"


def assess(
    value: float | None, targets: Targets, month: date, tol: Tolerance = Tolerance()
) -> Assessment:
    """Expected value, next milestone, tolerance and status of value at month."""
    nxt = next_milestone(targets, month)
    if nxt is None or targets.direction is None:
        return NO_TARGET
    expected = expected_value(targets, month)
    band = tolerance(targets, month, tol)
    status = None
    if value is not None and expected is not None and band is not None:
        status = classify(value, expected, band, targets.direction)
    return Assessment(expected, nxt[1], nxt[0], band, status)
