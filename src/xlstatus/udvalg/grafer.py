"""The data behind the committee copy's charts: one chart per targeted row. Pure.

A chart shows, month by month from the start measurement to the last month of the schema
(and any later milestone):

- `actual`: the value the table shows (a count, a share in percent or weeks) up to the
  copy's measurement month; None where the table shows nothing, `–` or a hidden `.`;
- `expected`: the expected value (`status.expected_value`): the straight line from the
  start value to the milestones that the colours are judged against;
- `milestones`: the minimum goals, only in their months;
- `status`: the status of each actual value (for the bar colours).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from xlstatus.kerne.indikatorer import targets_for
from xlstatus.kerne.skema import Row, Schema
from xlstatus.kerne.status import Tolerance, assess, expected_value
from xlstatus.kerne.tid import month_label, month_start

UNITS = {"antal": "antal", "antal_andel": "pct.", "andel": "pct.", "uger": "uger"}


@dataclass(frozen=True)
class ChartData:
    projekt: str
    title: str
    unit: str  # 'antal' | 'pct.' | 'uger'
    decimals: int
    direction: str  # 'højere' | 'lavere'
    months: tuple[date, ...]
    actual: tuple[float | None, ...]
    expected: tuple[float | None, ...]
    milestones: tuple[float | None, ...]
    status: tuple[str | None, ...]
    start_month: bool = True  # the first month is the start measurement's

    @property
    def labels(self) -> tuple[str, ...]:
        """Danish month labels ('feb-24'); the start measurement's own month is 'Start'."""
        return tuple(
            "Start" if i == 0 and self.start_month else month_label(m)
            for i, m in enumerate(self.months)
        )

    @property
    def subtitle(self) -> str:
        better = "højere er bedre" if self.direction == "højere" else "lavere er bedre"
        return f"{self.unit}, {better}"


def chart_title(row: Row) -> str:
    """The row's label, with its section when the schema has sections."""
    if not row.sektion:
        return row.label
    joiner = " " if row.sektion.rstrip().endswith(":") else ": "
    return f"{row.sektion.rstrip()}{joiner}{row.label}"


def _round(x: float | None, decimals: int) -> float | None:
    return None if x is None else round(float(x), decimals)


def chart_data(
    schema: Schema,
    row: Row,
    values: Mapping[date, float | None],
    upto: date,
    start: float | None = None,
    tol: Tolerance = Tolerance(),
) -> ChartData:
    """The chart of one targeted row.

    values: month -> the value shown in the table (None: empty, '–' or hidden);
    upto: the copy's measurement month (later values are left out);
    start: the start measurement as shown (None when hidden or empty: then the expected
    line starts in the first month, so the chart does not give a hidden start away)."""
    targets = targets_for(schema, row)
    start_month = month_start(schema.startmaaling)
    milestone_months = {m: v for m, v in row.targets}
    months = sorted({start_month, *schema.months, *milestone_months})
    decimals = 0 if row.fmt == "antal" else (1 if row.fmt == "uger" else max(row.decimals, 1))
    actual: list[float | None] = []
    expected: list[float | None] = []
    marks: list[float | None] = []
    status: list[str | None] = []
    for m in months:
        if m == start_month and m not in schema.months:
            value = start
            exp = targets.start if start is not None else None  # a hidden start stays hidden
            st = None
        else:
            value = values.get(m) if m <= upto else None
            exp = expected_value(targets, m)
            st = assess(value, targets, m, tol).status if value is not None else None
        actual.append(_round(value, decimals))
        expected.append(_round(exp, 2))
        marks.append(_round(milestone_months.get(m), 2))
        status.append(st)
    return ChartData(
        projekt=schema.projekt,
        title=chart_title(row),
        unit=UNITS.get(row.fmt, ""),
        decimals=decimals,
        direction=row.direction or "højere",
        months=tuple(months),
        actual=tuple(actual),
        expected=tuple(expected),
        milestones=tuple(marks),
        status=tuple(status),
        start_month=start_month not in schema.months,
    )


__all__ = ["ChartData", "chart_data", "chart_title"]
