"""The indicator engine: the value of every statusskema row for a month. Pure.

`compute_month(extract, schemas, month)` is the one computation every front end
calls. Each kind of indikatorer.md is one small function over the tidy tables of
an `Extract`, seen "as of the measurement date" (`as_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from xlstatus.kerne.errors import ExtractError, Problem, Problems
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
                file=extract.location, expected=f"{table}.csv eller et ark med navnet {table}",
            )  # fmt: skip
    problems.raise_if_errors("Udtrækket mangler tabeller", ExtractError)


# --------------------------------------------------------------------------- as of måledato

FAR = pd.Timestamp("2262-01-01")
COMPANY_DIRECTED = ("Virksomhedspraktik", "Løntilskud")
NOT_RETURN = ("Fleksjob", "Førtidspension")


def _month_no(s: pd.Series) -> pd.Series:
    return s.dt.year * 12 + s.dt.month


def _ts(d: date) -> pd.Timestamp:
    return pd.Timestamp(d)


def _ages(birth: pd.Series, day: pd.Series | pd.Timestamp) -> pd.Series:
    """Completed years from birth to day (element-wise); NaN where birth is unknown."""
    if isinstance(day, pd.Timestamp):
        dy, dm, dd = day.year, day.month, day.day
    else:
        dy, dm, dd = day.dt.year, day.dt.month, day.dt.day
    before = (birth.dt.month > dm) | ((birth.dt.month == dm) & (birth.dt.day > dd))
    return dy - birth.dt.year - before.astype("float")


def merge_forloeb(periods: pd.DataFrame) -> pd.DataFrame:
    """Merge a person's periods in one target group into forløb.

    Two periods belong to one forløb unless a whole calendar month without any day
    in the group lies between them. A merged forløb takes the first start and the end
    and afgangsaarsag of the period that ends last (open = NaT).
    """
    cols = ["cpr", "maalgruppe", "startdato", "slutdato", "afgangsaarsag"]
    if periods.empty:
        return pd.DataFrame({c: periods[c] for c in cols})
    person = pd.factorize(periods["cpr"])[0]
    grp = pd.factorize(periods["maalgruppe"])[0]
    order = np.lexsort((periods["startdato"].to_numpy(), grp, person))
    f = periods[cols].iloc[order].reset_index(drop=True)
    person, grp = person[order], grp[order]
    end = f["slutdato"].fillna(FAR)
    group = pd.Series(np.r_[True, (person[1:] != person[:-1]) | (grp[1:] != grp[:-1])])
    gid = group.cumsum()
    running = end.groupby(gid).cummax()
    prev = running.groupby(gid).shift(1)
    new = group | (_month_no(f["startdato"]) - _month_no(prev) >= 2)
    fid = new.cumsum()
    f["_end"] = end
    last = f.sort_values(["_end", "startdato"], kind="stable").groupby(fid).tail(1)
    last = last.set_index(fid[last.index])
    first = f.groupby(fid)["startdato"].min()
    merged = pd.DataFrame(
        {
            "cpr": last["cpr"],
            "maalgruppe": last["maalgruppe"],
            "startdato": first,
            "slutdato": last["slutdato"],
            "afgangsaarsag": last["afgangsaarsag"],
        }
    )
    return merged.reset_index(drop=True)


def _as_of(df: pd.DataFrame, d: pd.Timestamp, outcome: str | None) -> pd.DataFrame:
    """Rows known on d: started on/before d; an end on/after d is not known yet."""
    out = df[df["startdato"] <= d].copy()
    unknown = out["slutdato"] >= d
    out.loc[unknown, "slutdato"] = pd.NaT
    if outcome:
        out.loc[unknown, outcome] = None
    return out


class Snapshot:
    """The extract as it looked on the measurement date of month M (lazily built views)."""

    def __init__(self, extract: Extract, month: date, maaledag: int = 1) -> None:
        self.extract = extract
        self.month = month_start(month)
        self.d = _ts(maaledato(month, maaledag))
        self._cache: dict[object, object] = {}

    def _memo(self, key: object, build):  # small per-snapshot cache
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    @property
    def periods(self) -> pd.DataFrame:
        return self._memo("periods", lambda: _as_of(self.extract.forloeb, self.d, "afgangsaarsag"))

    @property
    def forloeb(self) -> pd.DataFrame:
        return self._memo("forloeb", lambda: merge_forloeb(self.periods))

    @property
    def markeringer(self) -> pd.DataFrame:
        return self._memo(
            "markeringer", lambda: _as_of(self.extract.markeringer, self.d, "afslutning")
        )

    @property
    def tilbud(self) -> pd.DataFrame:
        return self._memo("tilbud", lambda: _as_of(self.extract.tilbud, self.d, None))

    @property
    def loentimer(self) -> pd.DataFrame:
        lt = self.extract.loentimer
        return self._memo("loentimer", lambda: lt[lt["maaned"] < _ts(self.month)])

    @property
    def births(self) -> pd.Series:
        """cpr -> foedselsdato (first known per person)."""

        def build() -> pd.Series:
            f = self.extract.forloeb.dropna(subset=["foedselsdato"])
            return f.drop_duplicates("cpr").set_index("cpr")["foedselsdato"]

        return self._memo("births", build)

    def window(self, n: int) -> tuple[pd.Timestamp, pd.Timestamp]:
        first, last = previous_months(self.month, n)
        return _ts(first), _ts(last)

    def in_group(self, maalgruppe: str) -> pd.DataFrame:
        """Merged forløb in one target group (merging only that group is much cheaper)."""
        p = self.periods
        return self._memo(
            ("grp", maalgruppe), lambda: merge_forloeb(p[p["maalgruppe"] == maalgruppe])
        )

    def active_forloeb(self, maalgruppe: str) -> pd.DataFrame:
        """Forløb in the group active on måledato, one per person."""
        g = self.in_group(maalgruppe)
        return g[g["slutdato"].isna()]

    def active_markings(self, markering: str) -> pd.DataFrame:
        m = self.markeringer
        return m[(m["markering"] == markering) & m["slutdato"].isna()]

    def age_ok(
        self, cpr: pd.Series, day: pd.Series | pd.Timestamp, alder_min: int | None
    ) -> pd.Series:
        if alder_min is None:
            return pd.Series(True, index=cpr.index)
        births = self.births
        if births.empty:  # Series.map cannot map through an empty datetime Series
            birth = pd.Series(pd.NaT, index=cpr.index, dtype="datetime64[ns]")
        else:
            birth = cpr.map(births)
        return (_ages(birth, day) >= alder_min).fillna(False)


# --------------------------------------------------------------------------- population


def population(snap: Snapshot, p: Params) -> pd.DataFrame:
    """P(M): one row per person (cpr, startdato of the current forløb when grouped)."""
    key = ("pop", p.maalgruppe, p.markering, p.alder_min)
    return snap._memo(key, lambda: _population(snap, p))


def _population(snap: Snapshot, p: Params) -> pd.DataFrame:
    if p.maalgruppe:
        pop = snap.active_forloeb(p.maalgruppe)[["cpr", "startdato"]]
        pop = pop.drop_duplicates("cpr")
        if p.markering:
            pop = pop[pop["cpr"].isin(snap.active_markings(p.markering)["cpr"])]
    else:
        marked = snap.active_markings(p.markering or "")
        pop = pd.DataFrame({"cpr": marked["cpr"].drop_duplicates(), "startdato": pd.NaT})
    return pop[snap.age_ok(pop["cpr"], snap.d, p.alder_min)]


def _share(count: int, pop: int) -> Measurement:
    return Measurement(count, pop, 100.0 * count / pop if pop else None)


def _count(n: int) -> Measurement:
    return Measurement(int(n), None, float(n))


def _company_directed(snap: Snapshot, first: pd.Timestamp, last: pd.Timestamp) -> set[str]:
    """Persons with praktik/løntilskud active on a day of [first, last] or paid hours then."""
    t = snap.tilbud
    active = t[
        t["tilbud"].isin(COMPANY_DIRECTED)
        & (t["startdato"] <= last)
        & (t["slutdato"].isna() | (t["slutdato"] >= first))
    ]
    lt = snap.loentimer
    paid = lt[(lt["maaned"] >= first.replace(day=1)) & (lt["maaned"] <= last) & (lt["timer"] > 0)]
    return set(active["cpr"]) | set(paid["cpr"])


# --------------------------------------------------------------------------- the kinds


def k_bestand(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    return _count(len(population(snap, p)))


def k_kontaktforloeb(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    pop = population(snap, p)
    border = _ts(add_months(snap.d.date(), -(p.maaneder or 3)))
    in_akasse = pop["startdato"] > border
    return _count(int(in_akasse.sum() if p.sted == "akasse" else (~in_akasse).sum()))


def k_henviste_maaned(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    first, last = snap.window(1)
    m = snap.markeringer
    m = m[(m["markering"] == p.markering) & m["startdato"].between(first, last)]
    if p.kun_akasseperiode:
        f = snap.in_group("A-dagpenge")
        j = m[["cpr", "startdato"]].merge(f, on="cpr", suffixes=("", "_f"))
        s, fs, fe = j["startdato"], j["startdato_f"], j["slutdato"]
        recent = fs > s.map(lambda x: _ts(add_months(x.date(), -3)))
        ok = (fs <= s) & (fe.isna() | (fe >= s)) & recent
        return _count(j.loc[ok, "cpr"].nunique())
    return _count(m["cpr"].nunique())


def k_akkumuleret(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    m = snap.markeringer
    m = m[(m["markering"] == p.markering) & (m["startdato"] >= _ts(schema.projektstart))]
    m = m[m["startdato"] < snap.d]
    if p.afslutning:
        m = m[m["slutdato"].notna() & (m["slutdato"] < snap.d) & m["afslutning"].isin(p.afslutning)]
    persons = set(m["cpr"])
    if p.fleksjob_timer_over is not None:
        f = snap.periods
        flex = f[
            (f["maalgruppe"] == "Fleksjob")
            & f["slutdato"].isna()
            & (f["timer_pr_uge"] > p.fleksjob_timer_over)
        ]
        persons &= set(flex["cpr"])
    return _count(len(persons))


def k_andel_afsluttet(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    m = snap.markeringer
    m = m[
        (m["markering"] == p.markering)
        & m["slutdato"].notna()
        & (m["slutdato"] >= _ts(schema.projektstart))
        & (m["slutdato"] < snap.d)
    ]
    latest = m.sort_values(["slutdato", "startdato"], kind="stable").drop_duplicates(
        "cpr", keep="last"
    )
    return _share(int(latest["afslutning"].isin(p.afslutning).sum()), len(latest))


def _ended(snap: Snapshot, p: Params, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Forløb in the group that ended within [first, last] (age filter on slutdato)."""
    g = snap.in_group(p.maalgruppe or "")
    g = g[g["slutdato"].notna() & g["slutdato"].between(first, last)]
    return g[snap.age_ok(g["cpr"], g["slutdato"], p.alder_min)]


def k_varighed(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    g = _ended(snap, p, *snap.window(p.maaneder or 3))
    if g.empty:
        return Measurement(0, None, None)
    weeks = ((g["slutdato"] - g["startdato"]).dt.days + 1) / 7
    return Measurement(len(g), None, float(weeks.mean()))


def _band(weekly: pd.Series, band: str | None) -> pd.Series:
    if band == "1-5":
        return (weekly > 0) & (weekly <= 5)
    if band == "6-10":
        return (weekly > 5) & (weekly <= 10)
    if band == "over 10":
        return weekly > 10
    return weekly > 0


def k_med_loentimer(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    pop = population(snap, p)
    first, _ = snap.window(1)
    lt = snap.loentimer
    hours = lt[(lt["maaned"] == first) & lt["cpr"].isin(pop["cpr"])]
    hours = hours.groupby("cpr")["timer"].sum()
    return _share(int(_band(hours * 12 / 52, p.timer_pr_uge).sum()), len(pop))


def k_med_tilbud(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    pop = population(snap, p)
    first, last = snap.window(1)
    t = snap.tilbud
    active = t[
        t["tilbud"].isin(p.tilbud)
        & (t["startdato"] <= last)
        & (t["slutdato"].isna() | (t["slutdato"] >= first))
    ]
    return _share(int(pop["cpr"].isin(active["cpr"]).sum()), len(pop))


def k_delaftale2_12mdr(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    pop = population(snap, p)
    pop = pop[pop["startdato"] <= _ts(add_months(snap.d.date(), -12))]
    directed = _company_directed(snap, *snap.window(12))
    return _share(int(pop["cpr"].isin(directed).sum()), len(pop))


def k_delaftale2_26uger(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    first, last = snap.window(12)
    g = snap.in_group(p.maalgruppe or "")
    day26 = g["startdato"] + pd.Timedelta(days=182)
    g = g[day26.between(first, last) & (g["slutdato"].isna() | (g["slutdato"] >= day26))]
    g = g[snap.age_ok(g["cpr"], g["startdato"] + pd.Timedelta(days=182), p.alder_min)]
    if g.empty:
        return _share(0, 0)
    win = pd.DataFrame(
        {"cpr": g["cpr"], "ws": g["startdato"], "we": g["startdato"] + pd.Timedelta(days=181)}
    )
    win["fid"] = range(len(win))
    t = snap.tilbud
    t = t[t["tilbud"].isin(COMPANY_DIRECTED)].merge(win, on="cpr")
    hit = set(
        t.loc[
            (t["startdato"] <= t["we"]) & (t["slutdato"].isna() | (t["slutdato"] >= t["ws"])), "fid"
        ]
    )
    lt = snap.loentimer
    lt = lt[lt["timer"] > 0].merge(win, on="cpr")
    ws_month = lt["ws"].dt.to_period("M").dt.to_timestamp()
    hit |= set(lt.loc[(lt["maaned"] >= ws_month) & (lt["maaned"] <= lt["we"]), "fid"])
    return _share(len(hit), len(win))


def k_andel_afgang(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    g = _ended(snap, p, *snap.window(p.maaneder or 12))
    return _share(int(g["afgangsaarsag"].isin(p.aarsager).sum()), len(g))


def k_tilbagevenden(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    first = _ts(add_months(snap.month, -24))
    last = _ts(add_months(snap.month, -12)) - pd.Timedelta(days=1)
    g = _ended(snap, p, first, last)
    if g.empty:
        return _share(0, 0)
    ended = g[["cpr", "slutdato"]].assign(fid=range(len(g)))
    periods = snap.periods  # merging only these persons' periods gives the same forløb
    periods = periods[periods["cpr"].isin(ended["cpr"]) & ~periods["maalgruppe"].isin(NOT_RETURN)]
    starts = merge_forloeb(periods)[["cpr", "startdato"]]
    j = ended.merge(starts, on="cpr")
    back = (j["startdato"] > j["slutdato"]) & (
        j["startdato"] <= j["slutdato"] + pd.Timedelta(days=365)
    )
    return _share(j.loc[back, "fid"].nunique(), len(g))


def k_virksomheder(snap: Snapshot, p: Params, schema: Schema) -> Measurement:
    v = snap.extract.virksomheder
    col = v[p.felt or ""]
    return _count(int((col.notna() & (col < snap.d)).sum()))


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


def compute_month(
    extract: Extract,
    schemas: list[Schema],
    month: date,
    maaledag: int = 1,
    tolerance: Tolerance = Tolerance(),
) -> list[RowResult]:
    """Every non-manual row of every schema for month M, with its target status."""
    check_tables(extract, schemas)
    snap = Snapshot(extract, month, maaledag)
    results = []
    for schema in schemas:
        for row in schema.rows:
            if row.manual:
                continue
            value = compute_row(snap, schema, row)
            assessment = assess(value.vaerdi, targets_for(schema, row), snap.month, tolerance)
            results.append(RowResult(schema, row, snap.month, value, assessment))
    return results


def future_warnings(extract: Extract, month: date, maaledag: int = 1) -> list[Problem]:
    """One warning per table with dates after the measurement date (ignored for M)."""
    d = _ts(maaledato(month, maaledag))
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
