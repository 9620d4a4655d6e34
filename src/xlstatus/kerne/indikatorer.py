"""The indicator engine: the value of every statusskema row for a month. Pure.

`compute_month(extract, schemas, month)` is the one computation every front end
calls; `compute_months` does many months (a backfill) from one index. Each kind of
indikatorer.md is one small function over the extract's compact `Index` (kerne.indeks),
seen "as of the measurement date" (`Snapshot`): integer person keys, int32 day numbers,
numpy masks – nothing per row in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from xlstatus.kerne.errors import ExtractError, Problem, Problems
from xlstatus.kerne.indeks import (
    OFFSET,
    OPEN,
    SPAN,
    Forloeb,
    Index,
    add_months_days,
    day_of,
    month_no,
    ymd_key,
)
from xlstatus.kerne.model import Extract
from xlstatus.kerne.skema import Params, Row, Schema
from xlstatus.kerne.status import Assessment, Targets, Tolerance, assess
from xlstatus.kerne.tid import add_months, maaledato, month_label, month_start, previous_months


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


# --------------------------------------------------------------------------- tables needed


def tables_for(row: Row) -> set[str]:
    """The extract tables a row's kind reads."""
    p, kind = row.params, row.kind
    need: set[str] = set()
    if kind in ("manuel",):
        return need
    if kind == "virksomheder":
        return {"virksomheder"}
    if p.maalgruppe or kind in ("kontaktforloeb", "varighed", "andel_afgang", "tilbagevenden"):
        need.add("forloeb")
    if p.markering and kind not in (
        "varighed",
        "andel_afgang",
        "tilbagevenden",
        "delaftale2_26uger",
    ):
        need.add("markeringer")
    if (kind == "henviste_maaned" and p.kun_akasseperiode) or p.fleksjob_timer_over is not None:
        need.add("forloeb")
    if kind in ("med_loentimer", "delaftale2_12mdr", "delaftale2_26uger"):
        need.add("loentimer")
    if kind in ("med_tilbud", "delaftale2_12mdr", "delaftale2_26uger"):
        need.add("tilbud")
    return need


def needed_tables(schemas: list[Schema]) -> dict[str, str]:
    """table -> the first indicator (project: label) that needs it."""
    out: dict[str, str] = {}
    for schema in schemas:
        for row in schema.rows:
            for table in sorted(tables_for(row)):
                out.setdefault(table, f"{schema.projekt}: {row.label}")
    return out


def check_tables(extract: Extract, schemas: list[Schema]) -> None:
    """A table a requested indicator needs but the extract lacks is an ExtractError."""
    problems = Problems()
    for table, indicator in needed_tables(schemas).items():
        if table not in extract.present:
            problems.error(
                f"tabellen '{table}' mangler i udtrækket, men bruges af indikatoren '{indicator}'",
                file=extract.location,
                expected=f"{table}.csv eller et ark med navnet {table}",
            )
    problems.raise_if_errors("Udtrækket mangler tabeller", ExtractError)


# --------------------------------------------------------------------------- as of måledato

FAR = pd.Timestamp("2262-01-01")  # an open end, for callers that compare Timestamps
COMPANY_DIRECTED = ("Virksomhedspraktik", "Løntilskud")
NOT_RETURN = ("Fleksjob", "Førtidspension")


def _dates(day: np.ndarray) -> pd.Series:
    """Day numbers -> datetime64 (OPEN -> NaT)."""
    out = np.asarray(day, dtype=np.int64).astype("datetime64[D]")
    out[np.asarray(day) >= OPEN] = np.datetime64("NaT")
    return pd.Series(out.astype("datetime64[ns]"))


@dataclass(frozen=True)
class Population:
    """P(M): distinct person keys, with the start of their current forløb when grouped."""

    person: np.ndarray
    start: np.ndarray | None  # None: a population by marking only (no forløb)


class Snapshot:
    """The extract as it looked on the measurement date of month M: views cut from the
    month-independent `Index` (kept per snapshot, built lazily)."""

    def __init__(
        self, extract: Extract, month: date, maaledag: int = 1, index: Index | None = None
    ) -> None:
        self.extract = extract
        self.index = index if index is not None else Index.of(extract)
        self.month = month_start(month)
        self.day = maaledato(month, maaledag)
        self.dn = day_of(self.day)  # the measurement date's day number
        self._cache: dict[object, object] = {}

    def _memo(self, key: object, build: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    @property
    def d(self) -> pd.Timestamp:
        """The measurement date (as a Timestamp; `dn` is its day number)."""
        return pd.Timestamp(self.day)

    def window(self, n: int) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day of the n whole months before M."""
        first, last = previous_months(self.month, n)
        return pd.Timestamp(first), pd.Timestamp(last)

    def day_window(self, n: int) -> tuple[int, int]:
        """`window` as day numbers."""
        first, last = previous_months(self.month, n)
        return day_of(first), day_of(last)

    def group(self, maalgruppe: str | None) -> Forloeb:
        """The group's merged forløb as of måledato (arrays)."""
        return self._memo(("grp", maalgruppe), lambda: self.index.forloeb_asof(maalgruppe, self.dn))

    def in_group(self, maalgruppe: str) -> pd.DataFrame:
        """The group's merged forløb as of måledato, as a table (cpr, maalgruppe, startdato,
        slutdato, afgangsaarsag)."""
        f = self.forloeb
        return f[f["maalgruppe"] == maalgruppe].reset_index(drop=True)

    def active_marked(self, markering: str | None) -> np.ndarray:
        """Person mask: the marking is active on måledato."""

        def build() -> np.ndarray:
            ix = self.index
            rows = ix.marking_rows(markering)
            ok = (ix.m_start[rows] <= self.dn) & (ix.m_end[rows] >= self.dn)
            return ix.mask(ix.m_person[rows[ok]])

        return self._memo(("marked", markering), build)

    def hours(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """Paid hours per person in one month (month number), and who has a row then."""

        def build() -> tuple[np.ndarray, np.ndarray]:
            ix = self.index
            rows = ix.hour_rows(month, month)
            total = np.bincount(ix.l_person[rows], weights=ix.l_timer[rows], minlength=ix.persons)
            return total, ix.mask(ix.l_person[rows])

        return self._memo(("hours", month), build)

    def age_ok(
        self, person: np.ndarray, day: np.ndarray | int, alder_min: int | None
    ) -> np.ndarray:
        """Age (completed years) on day at least alder_min; an unknown birth date fails."""
        if alder_min is None:
            return np.ones(len(person), dtype=bool)
        return ymd_key(day) - self.index.birth[person] >= alder_min * 10000

    @property
    def forloeb(self) -> pd.DataFrame:
        """Every group's merged forløb as of måledato, as a table (cpr, maalgruppe, startdato,
        slutdato, afgangsaarsag; open forløb have no slutdato)."""
        return self._memo("forloeb table", self._forloeb_table)

    def _forloeb_table(self) -> pd.DataFrame:
        ix = self.index
        groups = {v: k for k, v in ix.codes["maalgruppe"].items()}
        reasons = np.empty(len(ix.codes["afgangsaarsag"]) + 1, dtype=object)  # [-1] -> None
        for text, code in ix.codes["afgangsaarsag"].items():
            reasons[code] = text
        frames = []
        for code in ix.periods.bounds:
            f = self.group(groups[code])
            frames.append(
                pd.DataFrame(
                    {
                        "cpr": ix.cpr[f.person],
                        "maalgruppe": groups[code],
                        "startdato": _dates(f.start),
                        "slutdato": _dates(f.end),
                        "afgangsaarsag": reasons[f.afgang],
                    }
                )
            )
        if not frames:
            return self.extract.forloeb[
                ["cpr", "maalgruppe", "startdato", "slutdato", "afgangsaarsag"]
            ].iloc[:0]
        out = pd.concat(frames, ignore_index=True)
        reason = out["afgangsaarsag"].astype(object)
        out["afgangsaarsag"] = reason.where(reason.notna(), None)  # None, as in the extract
        return out


# --------------------------------------------------------------------------- population


def population(snap: Snapshot, p: Params) -> Population:
    """P(M), computed once per snapshot and population parameters."""
    key = ("pop", p.maalgruppe, p.markering, p.alder_min)
    return snap._memo(key, lambda: _population(snap, p))


def _population(snap: Snapshot, p: Params) -> Population:
    start: np.ndarray | None = None
    if p.maalgruppe:
        f = snap.group(p.maalgruppe)
        is_open = f.end == OPEN
        person, first = np.unique(f.person[is_open], return_index=True)
        start = f.start[is_open][first]
        if p.markering:
            ok = snap.active_marked(p.markering)[person]
            person, start = person[ok], start[ok]
    else:
        person = np.flatnonzero(snap.active_marked(p.markering))
    ok = snap.age_ok(person, snap.dn, p.alder_min)
    return Population(person[ok], None if start is None else start[ok])


def _share(count: int, pop: int) -> Measurement:
    return Measurement(int(count), int(pop), 100.0 * count / pop if pop else None)


def _count(n: int) -> Measurement:
    return Measurement(int(n), None, float(n))


def _company_directed(snap: Snapshot, first: int, last: int) -> np.ndarray:
    """Person mask: praktik/løntilskud active on a day of [first, last] or paid hours then."""
    ix = snap.index
    t = ix.offer_rows(COMPANY_DIRECTED)
    t = t[(ix.t_start[t] <= last) & (ix.t_end[t] >= first)]
    paid = ix.hour_rows(int(month_no(first)), int(month_no(last)))
    paid = paid[ix.l_timer[paid] > 0]
    return ix.mask(np.concatenate([ix.t_person[t], ix.l_person[paid]]))


# --------------------------------------------------------------------------- the kinds


def k_bestand(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    return _count(len(population(snap, p).person))


def k_kontaktforloeb(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    pop = population(snap, p)
    border = day_of(add_months(snap.day, -(p.maaneder or 3)))
    in_akasse = 0 if pop.start is None else int((pop.start > border).sum())
    return _count(in_akasse if p.sted == "akasse" else len(pop.person) - in_akasse)


def k_henviste_maaned(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    first, last = snap.day_window(1)
    ix = snap.index
    rows = ix.marking_rows(p.markering)
    rows = rows[(ix.m_start[rows] >= first) & (ix.m_start[rows] <= last)]
    person, start = ix.m_person[rows], ix.m_start[rows]
    if p.kun_akasseperiode:
        f = snap.group("A-dagpenge")
        marks = pd.DataFrame({"person": person, "s": start})
        j = marks.merge(pd.DataFrame({"person": f.person, "fs": f.start, "fe": f.end}))
        s, fs, fe = (j[c].to_numpy(np.int64) for c in ("s", "fs", "fe"))
        hit = (fs <= s) & (fe >= s) & (fs > add_months_days(s, -3))
        person = j["person"].to_numpy()[hit]
    return _count(len(np.unique(person)))


def k_akkumuleret(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    ix = snap.index
    rows = ix.marking_rows(p.markering)
    start = ix.m_start[rows]
    ok = (start < snap.dn) & (start >= day_of(schema.projektstart))
    if p.afslutning:
        outcome = np.isin(ix.m_afslutning[rows], ix.code_set("afslutning", p.afslutning))
        ok &= (ix.m_end[rows] < snap.dn) & outcome
    persons = ix.mask(ix.m_person[rows[ok]])
    if p.fleksjob_timer_over is not None:
        pr, s = ix.periods, ix.group_slice("Fleksjob")
        flex = (pr.start[s] <= snap.dn) & (pr.end[s] >= snap.dn)
        flex &= pr.timer[s] > p.fleksjob_timer_over
        persons &= ix.mask(pr.person[s][flex])
    return _count(int(persons.sum()))


def k_andel_afsluttet(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    ix = snap.index
    rows = ix.marking_rows(p.markering)
    end = ix.m_end[rows]
    ok = (ix.m_start[rows] <= snap.dn) & (end < snap.dn)
    rows = rows[ok & (end >= day_of(schema.projektstart))]
    rows = rows[np.lexsort((rows, ix.m_start[rows], ix.m_end[rows], ix.m_person[rows]))]
    person = ix.m_person[rows]
    latest = rows[np.r_[person[1:] != person[:-1], True]] if len(rows) else rows
    hits = np.isin(ix.m_afslutning[latest], ix.code_set("afslutning", p.afslutning)).sum()
    return _share(int(hits), len(latest))


def _ended(snap: Snapshot, p: Params, first: int, last: int) -> Forloeb:
    """Forløb in the group that ended within [first, last] (age filter on slutdato)."""
    f = snap.group(p.maalgruppe)
    ok = (f.end != OPEN) & (f.end >= first) & (f.end <= last)
    ok[ok] = snap.age_ok(f.person[ok], f.end[ok], p.alder_min)
    return Forloeb(f.person[ok], f.start[ok], f.end[ok], f.afgang[ok])


def k_varighed(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    g = _ended(snap, p, *snap.day_window(p.maaneder or 3))
    n = len(g.person)
    if n == 0:
        return Measurement(0, None, None)
    total_days = int((g.end.astype(np.int64) - g.start + 1).sum())
    return Measurement(n, None, total_days / 7 / n)


def _band(weekly: np.ndarray, band: str | None) -> np.ndarray:
    if band == "1-5":
        return (weekly > 0) & (weekly <= 5)
    if band == "6-10":
        return (weekly > 5) & (weekly <= 10)
    if band == "over 10":
        return weekly > 10
    return weekly > 0


def k_med_loentimer(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    pop = population(snap, p)
    first, _ = snap.day_window(1)
    total, has_row = snap.hours(int(month_no(first)))
    weekly = total[pop.person] * 12 / 52
    return _share(int((_band(weekly, p.timer_pr_uge) & has_row[pop.person]).sum()), len(pop.person))


def k_med_tilbud(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    pop = population(snap, p)
    first, last = snap.day_window(1)
    ix = snap.index
    rows = ix.offer_rows(p.tilbud)
    rows = rows[(ix.t_start[rows] <= last) & (ix.t_end[rows] >= first)]
    return _share(int(ix.mask(ix.t_person[rows])[pop.person].sum()), len(pop.person))


def k_delaftale2_12mdr(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    pop = population(snap, p)
    if pop.start is None:
        return _share(0, 0)
    eligible = pop.person[pop.start <= day_of(add_months(snap.day, -12))]
    directed = _company_directed(snap, *snap.day_window(12))
    return _share(int(directed[eligible].sum()), len(eligible))


def _directed_in_windows(snap: Snapshot, person: np.ndarray, ws: np.ndarray) -> int:
    """How many windows [ws, ws + 181] of a person hold a company-directed activity."""
    ix = snap.index
    win = pd.DataFrame({"person": person, "ws": ws, "we": ws + 181, "fid": np.arange(len(ws))})
    among = ix.mask(person)
    t = ix.offer_rows(COMPANY_DIRECTED)
    t = t[among[ix.t_person[t]]]
    t = pd.DataFrame({"person": ix.t_person[t], "ts": ix.t_start[t], "te": ix.t_end[t]})
    t = t.merge(win, on="person")
    hit = t["fid"].to_numpy()[((t["ts"] <= t["we"]) & (t["te"] >= t["ws"])).to_numpy()]
    paid = ix.hour_rows(int(month_no(ws.min())), int(month_no(ws.max() + 181)))
    paid = paid[(ix.l_timer[paid] > 0) & among[ix.l_person[paid]]]
    lt = pd.DataFrame({"person": ix.l_person[paid], "lm": ix.l_month[paid]}).merge(win)
    lm = lt["lm"].to_numpy()
    inside = (lm >= month_no(lt["ws"].to_numpy())) & (lm <= month_no(lt["we"].to_numpy()))
    return len(np.union1d(hit, lt["fid"].to_numpy()[inside]))


def k_delaftale2_26uger(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    first, last = snap.day_window(12)
    g = snap.group(p.maalgruppe)
    day26 = g.start + 182
    ok = (day26 >= first) & (day26 <= last) & (g.end >= day26)
    ok[ok] = snap.age_ok(g.person[ok], day26[ok], p.alder_min)
    if not ok.any():
        return _share(0, 0)
    return _share(_directed_in_windows(snap, g.person[ok], g.start[ok]), int(ok.sum()))


def k_andel_afgang(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    g = _ended(snap, p, *snap.day_window(p.maaneder or 12))
    hits = np.isin(g.afgang, snap.index.code_set("afgangsaarsag", p.aarsager)).sum()
    return _share(int(hits), len(g.person))


def k_tilbagevenden(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    first = day_of(add_months(snap.month, -24))
    last = day_of(add_months(snap.month, -12)) - 1
    g = _ended(snap, p, first, last)
    if not len(g.person):
        return _share(0, 0)
    starts = snap.index.starts_outside(NOT_RETURN)  # forløb starts as sorted (person, day) keys
    base = g.person.astype(np.int64) * SPAN
    lo = base + g.end + OFFSET
    hi = base + np.minimum(g.end.astype(np.int64) + 365, snap.dn) + OFFSET
    back = np.searchsorted(starts, hi, "right") > np.searchsorted(starts, lo, "right")
    return _share(int(back.sum()), len(g.person))


def k_virksomheder(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    col = snap.extract.virksomheder[p.felt or ""]
    return _count(int((col.notna() & (col < pd.Timestamp(snap.day))).sum()))


KINDS: dict[str, Callable[[Snapshot, Params, Schema], Measurement]] = {
    "bestand": k_bestand,
    "kontaktforloeb": k_kontaktforloeb,
    "henviste_maaned": k_henviste_maaned,
    "akkumuleret": k_akkumuleret,
    "andel_afsluttet": k_andel_afsluttet,
    "varighed": k_varighed,
    "med_loentimer": k_med_loentimer,
    "med_tilbud": k_med_tilbud,
    "delaftale2_12mdr": k_delaftale2_12mdr,
    "delaftale2_26uger": k_delaftale2_26uger,
    "andel_afgang": k_andel_afgang,
    "tilbagevenden": k_tilbagevenden,
    "virksomheder": k_virksomheder,
}


# --------------------------------------------------------------------------- entry points


def compute_row(snap: Snapshot, schema: Schema, row: Row) -> Measurement:
    return KINDS[row.kind](snap, row.params, schema)


def compute_months(
    extract: Extract,
    schemas: list[Schema],
    months: list[date],
    maaledag: int = 1,
    tolerance: Tolerance = Tolerance(),
) -> list[RowResult]:
    """Every non-manual row of every schema for each month (month by month, in order).

    The extract's index is built once; each month is a cut of it, so many months cost
    little more than one."""
    check_tables(extract, schemas)
    index = Index.of(extract)
    results = []
    for month in months:
        snap = Snapshot(extract, month, maaledag, index)
        for schema in schemas:
            for row in schema.rows:
                if row.manual:
                    continue
                value = compute_row(snap, schema, row)
                assessment = assess(value.vaerdi, targets_for(schema, row), snap.month, tolerance)
                results.append(RowResult(schema, row, snap.month, value, assessment))
    return results


def compute_month(
    extract: Extract,
    schemas: list[Schema],
    month: date,
    maaledag: int = 1,
    tolerance: Tolerance = Tolerance(),
) -> list[RowResult]:
    """Every non-manual row of every schema for month M, with its target status."""
    return compute_months(extract, schemas, [month], maaledag, tolerance)


def future_warnings(extract: Extract, month: date, maaledag: int = 1) -> list[Problem]:
    """One warning per table with dates after the measurement date (ignored for M)."""
    d = pd.Timestamp(maaledato(month, maaledag))
    out = []
    for name in ("forloeb", "markeringer", "tilbud"):
        df = extract.table(name)
        later = int((df["startdato"] > d).sum() + (df["slutdato"] >= d).sum())
        if later:
            out.append(
                Problem(
                    f"{later} datoer ligger på eller efter måledatoen {d:%d-%m-%Y} og er ikke "
                    f"med i opgørelsen for {month_label(month)}",
                    file=name,
                    severity="advarsel",
                )
            )
    return out


def data_start(extract: Extract) -> date | None:
    """The extract's earliest `startdato` in `forloeb` (None when it has none)."""
    first = extract.table("forloeb")["startdato"].min()
    return None if pd.isna(first) else pd.Timestamp(first).date()


def has_data(extract: Extract, month: date, maaledag: int = 1) -> bool:
    """False when month M's måledato lies before the extract's data (indikatorer.md:
    "No data, no figures"). Without any forløb there is no first date to compare with."""
    first = data_start(extract)
    return first is None or maaledato(month, maaledag) >= first


def check_has_data(extract: Extract, month: date, maaledag: int = 1) -> None:
    """An ExtractError naming both dates when month M lies before the extract's data."""
    if has_data(extract, month, maaledag):
        return
    day, first = maaledato(month, maaledag), data_start(extract)
    message = (
        f"måledatoen {day:%d-%m-%Y} ligger før udtrækkets tidligste startdato "
        f"{first:%d-%m-%Y}, så der er ingen data for {month_label(month)}. Intet er beregnet. "
        "Vælg en senere måned, eller brug et udtræk, der går længere tilbage."
    )
    raise ExtractError(
        f"Ingen tal for {month_label(month)}",
        [Problem(message, file="forloeb", column="startdato")],
    )
