"""The indicator engine: the value of every statusskema row for a month. Pure.

`compute_month(extract, schemas, month)` is the one computation every front end
calls. Each kind of indikatorer.md is one small function over the tidy tables of
an `Extract`, seen "as of the measurement date" (`as_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Extract
from .skema import Row, Schema
from .status import Assessment, Targets, Tolerance, assess


@dataclass(frozen=True)
class Measurement:
    """One indicator value.

    antal: the count (numerator); population: the denominator of a share (None for
    plain counts); vaerdi: the value targets are compared on — a count, a share in
    percent (0–100) or weeks; None when there is no value (empty population).
    """

    antal: int | None
    population: int | None
    vaerdi: float | None


@dataclass(frozen=True)
class RowResult:
    schema: Schema
    row: Row
    month: date
    measurement: Measurement
    assessment: Assessment


def targets_for(schema: Schema, row: Row) -> Targets:
    """The row's targets; cumulative rows without a start value start at 0."""
    start = row.start
    if start is None and row.cumulative:
        start = 0.0
    return Targets(row.targets, row.direction, start, schema.startmaaling)


def compute_month(
    extract: Extract,
    schemas: list[Schema],
    month: date,
    maaledag: int = 1,
    tolerance: Tolerance = Tolerance(),
) -> list[RowResult]:
    """Every non-manual row of every schema for month M (manual rows are skipped)."""
    raise NotImplementedError
