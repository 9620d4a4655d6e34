"""Small-count suppression (diskretion) for the committee copy. Pure: values in, keys out.

The jobindsats convention, applied to one column (one month, or the start measurement)
of one statusskema at a time:

1. **Primary.** A value built on a count of persons between 1 and the threshold − 1
   (default 5, sheet `Indstillinger`) is hidden and shown as `.`. The count is the number a
   reader sees (antal), or the persons/forløb behind a share or an average (for `andel`
   rows the numerator, for `uger` rows the number of ended forløb). A zero is shown: it
   names nobody, and jobindsats shows 0 too (set `hide_zero` to hide it anyway).
2. **Shares.** A share whose count is hidden is hidden with it (the whole cell is `.`).
   A share of a population between 1 and the threshold − 1 is hidden even when its count
   is 0 (0 of 3 tells something about each of the three); the count stays.
3. **Secondary.** Where rows add up to another row that is shown, one hidden row could be
   recovered by subtraction. For each such sum group: while the total is shown and its
   hidden parts are fewer than two or add up to less than the threshold, the smallest
   shown part with a positive count is hidden as well; when no such part is left, the
   total is hidden. Repeated over all groups until nothing changes.

Which rows add up (`sum_groups`, derived from the schema so a new template gets it free):

- `kontaktforloeb` with `sted = jobcenter` + `sted = akasse` = the `bestand` row of the
  same population (same maalgruppe, markering, alder_min; indikatorer.md: "the two add up
  to the bestand");
- `med_loentimer` bands `1-5` + `6-10` + `over 10` = the `med_loentimer` row without a
  band of the same population (the bands split weekly hours > 0 without gaps).

Rows that only contain each other (Udviklingsfleksjob within Afsluttede til fleksjob,
Uddannelse within Antal ledige i projektet) are not sums: the rest is not shown, so
nothing can be subtracted. Not covered (as at jobindsats): differences between months of
a cumulative row, and the complement of a large share. Counts of companies
(`virksomheder`) and rows typed by a person (`manuel`) are never hidden. The Måltal sheet
holds full-time equivalents of whole benefit groups and is not suppressed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from xlstatus.kerne.skema import BANDS, Params, Row, Schema

K = TypeVar("K", bound=Hashable)

HIDE = "skjul"  # the whole cell is shown as '.'
HIDE_SHARE = "andel"  # the count is shown, the share is '.'
DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Figure:
    """What suppression needs to know about one cell.

    count: persons (or forløb) the value is built on; None when unknown.
    population: the denominator of a share (None for counts and averages).
    exempt: never hidden (companies, values typed by a person)."""

    count: int | None
    population: int | None = None
    exempt: bool = False


@dataclass(frozen=True)
class SumGroup:
    """Rows whose counts add up exactly to the total row's count."""

    total: Hashable
    parts: tuple[Hashable, ...]


def _small(n: int | None, threshold: int, hide_zero: bool) -> bool:
    if n is None:
        return False
    return (n >= 0 if hide_zero else n > 0) and n < threshold


def _next_to_hide(figures: Mapping, group: SumGroup, shown: list[Hashable]) -> Hashable:
    """The smallest shown part with a positive count; else the total."""
    positive = [p for p in shown if (figures[p].count or 0) > 0]
    if positive:
        return min(positive, key=lambda p: figures[p].count or 0)
    return group.total


def suppress(
    figures: Mapping[K, Figure],
    groups: Sequence[SumGroup] = (),
    threshold: int = DEFAULT_THRESHOLD,
    hide_zero: bool = False,
) -> dict[K, str]:
    """The cells to hide: key -> HIDE (the whole value) or HIDE_SHARE (only the share).

    Keys not in the result are shown. threshold <= 0 hides nothing."""
    if threshold <= 0:
        return {}
    out: dict[K, str] = {}
    for key, f in figures.items():
        if f.exempt:
            continue
        if _small(f.count, threshold, hide_zero):
            out[key] = HIDE
        elif f.population is not None and 0 < f.population < threshold:
            out[key] = HIDE_SHARE

    def hidden(k: Hashable) -> bool:
        return out.get(k) == HIDE  # type: ignore[call-overload]

    def usable(k: Hashable) -> bool:
        f = figures.get(k)  # type: ignore[call-overload]
        return f is not None and f.count is not None and not f.exempt

    changed = True
    while changed:
        changed = False
        for g in groups:
            if not usable(g.total) or hidden(g.total):
                continue
            parts = [p for p in g.parts if usable(p)]
            if len(parts) != len(g.parts):
                continue  # a part without a count: the sum is not exact here
            gone = [p for p in parts if hidden(p)]
            if not gone:
                continue
            hidden_sum = sum(figures[p].count or 0 for p in gone)  # type: ignore[index]
            if len(gone) >= 2 and hidden_sum >= threshold:
                continue
            out[_next_to_hide(figures, g, [p for p in parts if not hidden(p)])] = HIDE  # type: ignore[index]
            changed = True
    return out


# --------------------------------------------------------------------------- schema


def _population(p: Params) -> tuple[object, ...]:
    return (p.maalgruppe, p.markering, p.alder_min)


def sum_groups(schema: Schema) -> list[SumGroup]:
    """The schema's rows that add up to another of its rows (see the module text)."""
    groups: list[SumGroup] = []
    rows = schema.rows
    for row in rows:
        if row.kind == "bestand":
            contact = [
                r
                for r in rows
                if r.kind == "kontaktforloeb" and _population(r.params) == _population(row.params)
            ]
            places = sorted(str(r.params.sted) for r in contact)
            months = {r.params.maaneder or 3 for r in contact}
            if places == ["akasse", "jobcenter"] and len(months) == 1:
                groups.append(SumGroup(row.key, tuple(r.key for r in contact)))
        if row.kind == "med_loentimer" and row.params.timer_pr_uge is None:
            bands = [
                r
                for r in rows
                if r.kind == "med_loentimer"
                and r.params.timer_pr_uge
                and _population(r.params) == _population(row.params)
            ]
            if len(bands) == len(BANDS) and {r.params.timer_pr_uge for r in bands} == BANDS:
                groups.append(SumGroup(row.key, tuple(r.key for r in bands)))
    return groups


def exempt(row: Row) -> bool:
    """Rows never suppressed: companies, not persons, and values typed by a person."""
    return row.kind in ("virksomheder", "manuel")


__all__ = [
    "DEFAULT_THRESHOLD",
    "HIDE",
    "HIDE_SHARE",
    "Figure",
    "SumGroup",
    "exempt",
    "sum_groups",
    "suppress",
]
