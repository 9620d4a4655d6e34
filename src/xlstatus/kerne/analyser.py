"""Analyses beyond the statusskema (analyser.md): vandringer and prognose. Pure.

Both follow the time rules of the engine: the extract as of `måledato`, forløb merged
exactly as `kerne.indikatorer` merges them (its `Snapshot` and `merge_forloeb`), and
calendar-month arithmetic that keeps the day and clips it to the month's end.

Public API (stable; the workbook, the committee copy, the CLI and the cell functions use it):

Vandringer – where people come from and where they go:

- `vandringer(extract, month, maaledag=1, maaneder=14, maalgrupper=None) -> Vandringer`:
  every (target group, direction) table for month M. `Vandringer.tabel(g, retning)` gives
  the `Kategori` lines of one table (count descending, then category), `Vandringer.i_alt`
  their total; `Vandringer.linjer` all lines in the CSV order of the spec.
- `Kategori(maalgruppe, retning, kategori, type, antal, andel)`: one line; `retning` is
  `TILGANG`/`AFGANG`, `type` is `'maalgruppe'`, `'aarsag'` or `'ingen'`; `andel` is the
  share in percent (0–100), unrounded.
- `kategori_tekst(k) -> str`: a line's category as people read it ("Fleksjob
  (afgangsårsag)" for a reason, a target group as itself).
- `forloeb_kategorier(extract, month, maalgruppe, retning, maaledag=1, maaneder=14)`: the
  forløb behind one table, one row each (cpr, startdato, slutdato, kategori, type) – for
  checks, never for output (it holds CPR numbers).

Prognose – will the next milestone be met at today's pace?

- `prognoser(extract, schemas, month, maaledag=1, punkter=6) -> list[Prognose]`: one per
  row with milestones, the points computed by the engine, each month as of its own
  måledato; a month M before the extract's data is an ExtractError, earlier months before
  it are simply missing points.
- `prognose_for(schema, row, month, values, punkter=6) -> Prognose`: the same from values
  the caller already has (month -> value or None), e.g. a workbook's month columns.
- `fremskriv(points, milestones, direction, month, share=False) -> Linje`: the least-squares
  line (clipped: ≥ 0, ≤ 100 for a share) and what it says about the first milestone after
  month, from (month, value) points.
- `vurdering(p) -> str`: the one Danish wording every place shows ("ja", "nej – først
  ÅÅÅÅ-MM", "nej – på vej væk fra målet", "nej – ikke inden for 2 år"; "" without one).
- `Prognose`: the row (projekt, sektion, label), `maaned`, `maaneder` (k), `retning`,
  `punkter` ((month, value), …) and the `Linje` fields flattened: `haeldning`,
  `naeste_maal_maaned`, `naeste_maal`, `fremskrevet`, `naar_maalet` (bool),
  `maaned_maal_naas`; all None when there is no prognosis (`har_prognose` is False).
  `mangler` = how far the projection falls short of the target (≤ 0: met).
- `forklaring(p, vis=None) -> str`: the prognosis in one Danish sentence ("Med udviklingen
  de seneste 6 måneder nås målet 92 i aug-25"); `vis` shows a value in the row's unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from xlstatus.kerne.formatering import number_da
from xlstatus.kerne.indikatorer import FAR, Snapshot, check_has_data, compute_month, has_data
from xlstatus.kerne.koder import AFGANG, STANDARD_MAANEDER, STANDARD_PUNKTER, TILGANG
from xlstatus.kerne.model import Extract
from xlstatus.kerne.skema import Row, Schema
from xlstatus.kerne.tid import (
    add_months,
    maaledato,
    month_index,
    month_key,
    month_label,
    month_start,
)

RETNINGER = (TILGANG, AFGANG)
INGEN = "Ingen"
UKENDT = "Ukendt"
TYPE_MAALGRUPPE, TYPE_AARSAG, TYPE_INGEN = "maalgruppe", "aarsag", "ingen"
MINDST_PUNKTER = 3
HORISONT = 24  # months after the next milestone that maaned_maal_naas looks
EPS = 1e-9
ANDEL_MAX = 100.0
VURDERING_JA = "ja"
VURDERING_FOERST = "nej – først"
VURDERING_VAEK = "nej – på vej væk fra målet"
VURDERING_IKKE_INDEN = "nej – ikke inden for 2 år"


# --------------------------------------------------------------------------- vandringer


@dataclass(frozen=True)
class Kategori:
    """One line of a vandringer table."""

    maalgruppe: str
    retning: str
    kategori: str
    type: str
    antal: int
    andel: float


@dataclass(frozen=True)
class Vandringer:
    """All vandringer tables of month M (window: the n whole months before M)."""

    month: date
    maaledato: date
    fra: date
    til: date
    maaneder: int
    maalgrupper: tuple[str, ...]
    linjer: tuple[Kategori, ...]

    def tabel(self, maalgruppe: str, retning: str) -> tuple[Kategori, ...]:
        return tuple(k for k in self.linjer if k.maalgruppe == maalgruppe and k.retning == retning)

    def i_alt(self, maalgruppe: str, retning: str) -> int:
        return sum(k.antal for k in self.tabel(maalgruppe, retning))


def kategori_tekst(k: Kategori) -> str:
    """How a category reads to people: a target group as itself, a reason marked as one
    ("Fleksjob (afgangsårsag)" beside the target group "Fleksjob")."""
    return f"{k.kategori} (afgangsårsag)" if k.type == TYPE_AARSAG else k.kategori


def _shift(s: pd.Series, months: int) -> pd.Series:
    """Each date plus n calendar months, the day clipped to the month's end (NaT stays)."""
    return s + pd.DateOffset(months=months)


def _empty_text(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype(str).str.strip() == "")


def _tilgang(
    f: pd.DataFrame, groups: Sequence[str], first: pd.Timestamp, last: pd.Timestamp
) -> pd.DataFrame:
    """The groups' forløb that started in the window, each categorised by the previous
    target group. All groups in one join: a person's forløb are few, the groups many."""
    mine = f[f["maalgruppe"].isin(groups) & f["startdato"].between(first, last)]
    mine = mine[["maalgruppe", "cpr", "pid", "startdato", "slutdato"]].reset_index(drop=True)
    others = f.loc[f["pid"].isin(mine["pid"]), ["pid", "maalgruppe", "startdato", "slutdato"]]
    j = mine[["pid", "maalgruppe", "startdato"]].assign(fid=mine.index)
    j = j.merge(others, on="pid", suffixes=("", "_o"))
    border = _shift(j["startdato"], -12)
    ok = (
        (j["maalgruppe_o"] != j["maalgruppe"])
        & (j["startdato_o"] < j["startdato"])
        & (j["slutdato"].isna() | (j["slutdato"] >= border))
    )
    j = j[ok].assign(_end=j["slutdato"].fillna(FAR))
    j = j.sort_values(
        ["fid", "startdato_o", "_end", "maalgruppe_o"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    best = j.drop_duplicates("fid").set_index("fid")["maalgruppe_o"]
    mine["kategori"] = best.reindex(mine.index).fillna(INGEN).astype(object)
    mine["type"] = TYPE_MAALGRUPPE
    mine.loc[~mine.index.isin(best.index), "type"] = TYPE_INGEN
    return mine.drop(columns="pid")


def _afgang(
    f: pd.DataFrame, groups: Sequence[str], first: pd.Timestamp, last: pd.Timestamp
) -> pd.DataFrame:
    """The groups' forløb that ended in the window, categorised by the next group or the
    reason; all groups in one join."""
    known = f["slutdato"].notna() & f["slutdato"].between(first, last)
    mine = f[f["maalgruppe"].isin(groups) & known]
    cols = ["maalgruppe", "cpr", "pid", "startdato", "slutdato", "afgangsaarsag"]
    mine = mine[cols].reset_index(drop=True)
    others = f.loc[f["pid"].isin(mine["pid"]), ["pid", "maalgruppe", "startdato"]]
    j = mine[["pid", "maalgruppe", "startdato", "slutdato"]].assign(fid=mine.index)
    j = j.merge(others, on="pid", suffixes=("", "_o"))
    ok = (
        (j["maalgruppe_o"] != j["maalgruppe"])
        & (j["startdato_o"] > j["startdato"])
        & (j["startdato_o"] <= _shift(j["slutdato"], 1))
    )
    j = j[ok].sort_values(["fid", "startdato_o", "maalgruppe_o"], kind="stable")
    best = j.drop_duplicates("fid").set_index("fid")["maalgruppe_o"]
    reason = mine["afgangsaarsag"].where(~_empty_text(mine["afgangsaarsag"]), UKENDT)
    nxt = best.reindex(mine.index)
    mine["kategori"] = nxt.where(nxt.notna(), reason).astype(object)
    mine["type"] = TYPE_AARSAG
    mine.loc[nxt.notna(), "type"] = TYPE_MAALGRUPPE
    return mine.drop(columns=["pid", "afgangsaarsag"])


def _with_person_ids(snap: Snapshot) -> pd.DataFrame:
    """The snapshot's forløb with an integer person id (joins on it, not on CPR text)."""
    f = snap.forloeb
    return f.assign(pid=pd.factorize(f["cpr"])[0])


def _categorised(
    f: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp], groups: Sequence[str], retning: str
) -> pd.DataFrame:
    """The forløb of the groups' tables in one direction, a `maalgruppe` column saying whose."""
    if retning not in RETNINGER:
        raise ValueError(f"retning skal være {TILGANG} eller {AFGANG}, ikke {retning!r}")
    part = _tilgang if retning == TILGANG else _afgang
    return part(f, groups, *window)


def forloeb_kategorier(
    extract: Extract,
    month: date,
    maalgruppe: str,
    retning: str,
    maaledag: int = 1,
    maaneder: int = STANDARD_MAANEDER,
) -> pd.DataFrame:
    """The forløb of one vandringer table: cpr, startdato, slutdato, kategori, type."""
    snap = Snapshot(extract, month, maaledag)
    cat = _categorised(_with_person_ids(snap), snap.window(maaneder), [maalgruppe], retning)
    return cat.drop(columns="maalgruppe")


def _lines(cat: pd.DataFrame, g: str, retning: str) -> list[Kategori]:
    if cat.empty:
        return []
    counts = cat.groupby(["kategori", "type"]).size().reset_index(name="antal")
    counts = counts.sort_values(["kategori", "type"], kind="stable")
    counts = counts.sort_values("antal", ascending=False, kind="stable")
    total = int(counts["antal"].sum())
    return [
        Kategori(g, retning, str(k), str(t), int(n), 100.0 * int(n) / total)
        for k, t, n in counts.itertuples(index=False)
    ]


def vandringer(
    extract: Extract,
    month: date,
    maaledag: int = 1,
    maaneder: int = STANDARD_MAANEDER,
    maalgrupper: Iterable[str] | None = None,
) -> Vandringer:
    """Vandringer for month M: tilgang and afgang per target group (analyser.md §1).

    Without `maalgrupper`: every group with at least one forløb in the extract as of
    måledato, alphabetically."""
    if maaneder < 1:
        raise ValueError(f"antal måneder skal være mindst 1, ikke {maaneder}")
    snap = Snapshot(extract, month, maaledag)
    if maalgrupper is None:
        groups = tuple(sorted(str(g) for g in snap.forloeb["maalgruppe"].dropna().unique()))
    else:
        groups = tuple(dict.fromkeys(maalgrupper))
    f, (first, last) = _with_person_ids(snap), snap.window(maaneder)
    tables = {r: _categorised(f, (first, last), groups, r) for r in RETNINGER}
    parts = {r: dict(tuple(cat.groupby("maalgruppe", sort=False))) for r, cat in tables.items()}
    lines: list[Kategori] = []
    for g in groups:
        for retning in RETNINGER:
            cat = parts[retning].get(g)
            lines += [] if cat is None else _lines(cat, g, retning)
    return Vandringer(
        snap.month, snap.d.date(), first.date(), last.date(), maaneder, groups, tuple(lines)
    )


# --------------------------------------------------------------------------- prognose


@dataclass(frozen=True)
class Linje:
    """The least-squares line through a row's points and what it says (analyser.md §2)."""

    haeldning: float | None = None
    naeste_maal_maaned: date | None = None
    naeste_maal: float | None = None
    fremskrevet: float | None = None
    naar_maalet: bool | None = None
    maaned_maal_naas: date | None = None


INGEN_LINJE = Linje()


@dataclass(frozen=True)
class Prognose:
    """The prognosis of one row with milestones for month M."""

    projekt: str
    sektion: str
    label: str
    maaned: date
    maaneder: int
    retning: str | None
    punkter: tuple[tuple[date, float], ...]
    haeldning: float | None = None
    naeste_maal_maaned: date | None = None
    naeste_maal: float | None = None
    fremskrevet: float | None = None
    naar_maalet: bool | None = None
    maaned_maal_naas: date | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.sektion, self.label)

    @property
    def antal_punkter(self) -> int:
        return len(self.punkter)

    @property
    def har_prognose(self) -> bool:
        return self.fremskrevet is not None

    @property
    def mangler(self) -> float | None:
        """How far the projection falls short of the next milestone (≤ 0: it is met)."""
        if self.fremskrevet is None or self.naeste_maal is None:
            return None
        if self.retning == "lavere":
            return self.fremskrevet - self.naeste_maal
        return self.naeste_maal - self.fremskrevet


def _meets(value: float, target: float, direction: str) -> bool:
    if direction == "lavere":
        return value <= target + EPS
    return value >= target - EPS


def _from_index(i: int) -> date:
    return date(i // 12, i % 12 + 1, 1)


def _clipped(value: float, share: bool) -> float:
    """What a row can be: never below 0, a share never above 100."""
    value = max(0.0, value)
    return min(ANDEL_MAX, value) if share else value


def is_share(row: Row) -> bool:
    """A row compared on a share (display format andel or antal_andel, indikatorer.md)."""
    return row.fmt in ("andel", "antal_andel")


def fremskriv(
    points: Sequence[tuple[date, float]],
    milestones: Sequence[tuple[date, float]],
    direction: str | None,
    month: date,
    share: bool = False,
) -> Linje:
    """Fit vaerdi = a + b·t (t = year × 12 + month) through the points and read it off at
    the first milestone strictly after month (at a milestone's own month the row's status
    says whether it is met). The line is clipped to what the row can be: ≥ 0, and ≤ 100
    for a share. Fewer than 3 points, no later milestone or no direction: no line."""
    m = month_start(month)
    nxt = next((mv for mv in sorted(milestones) if month_start(mv[0]) > m), None)
    if len(points) < MINDST_PUNKTER or nxt is None or direction not in ("højere", "lavere"):
        return INGEN_LINJE
    ts = [float(month_index(p[0])) for p in points]
    vs = [float(p[1]) for p in points]
    t_mean, v_mean = sum(ts) / len(ts), sum(vs) / len(vs)
    sxx = sum((t - t_mean) ** 2 for t in ts)
    if sxx == 0:  # every point in the same month: no slope to speak of
        return INGEN_LINJE
    b = sum((t - t_mean) * (v - v_mean) for t, v in zip(ts, vs, strict=True)) / sxx

    def line(i: int) -> float:
        return _clipped(v_mean + b * (i - t_mean), share)

    target_month, target = month_start(nxt[0]), float(nxt[1])
    ti = month_index(target_month)
    projected = line(ti)
    meets_at = next(
        (i for i in range(month_index(m), ti + HORISONT + 1) if _meets(line(i), target, direction)),
        None,
    )
    return Linje(
        b,
        target_month,
        target,
        projected,
        _meets(projected, target, direction),
        None if meets_at is None else _from_index(meets_at),
    )


def vurdering(p: Prognose | Linje) -> str:
    """The prognosis as people read it (sheets, the copy, cell functions, `--format tabel`):
    "ja", "nej – først ÅÅÅÅ-MM", "nej – på vej væk fra målet" or "nej – ikke inden for
    2 år"; "" without a prognosis (analyser.md §2)."""
    if p.fremskrevet is None or p.naar_maalet is None:
        return ""
    if p.naar_maalet:
        return VURDERING_JA
    met, target_month = p.maaned_maal_naas, p.naeste_maal_maaned
    if met is None:
        return VURDERING_IKKE_INDEN
    if target_month is not None and met > target_month:
        return f"{VURDERING_FOERST} {month_key(met)}"
    return VURDERING_VAEK


def prognose_for(
    schema: Schema,
    row: Row,
    month: date,
    values: Mapping[date, float | None],
    punkter: int = STANDARD_PUNKTER,
) -> Prognose:
    """A row's prognosis from its values per month (keys: any day of the month); the k
    months M − (k−1) … M that have a value are the points."""
    m = month_start(month)
    by_month = {month_start(k): v for k, v in values.items()}
    points = []
    for i in range(punkter - 1, -1, -1):
        mi = add_months(m, -i)
        v = by_month.get(mi)
        if v is not None and not pd.isna(v):
            points.append((mi, float(v)))
    fit = fremskriv(points, row.targets, row.direction, m, is_share(row))
    return Prognose(
        schema.projekt,
        row.sektion,
        row.label,
        m,
        punkter,
        row.direction,
        tuple(points),
        fit.haeldning,
        fit.naeste_maal_maaned,
        fit.naeste_maal,
        fit.fremskrevet,
        fit.naar_maalet,
        fit.maaned_maal_naas,
    )


def prognoser(
    extract: Extract,
    schemas: Sequence[Schema],
    month: date,
    maaledag: int = 1,
    punkter: int = STANDARD_PUNKTER,
) -> list[Prognose]:
    """One prognosis per row with milestones; each of the k months is computed by the
    engine as of its own måledato (same måledag)."""
    if punkter < 1:
        raise ValueError(f"antal punkter skal være mindst 1, ikke {punkter}")
    maaledato(month, maaledag)  # a bad måledag is a ValueError before any work
    m = month_start(month)
    check_has_data(extract, m, maaledag)
    rows = [(s, r) for s in schemas for r in s.rows if r.targets]
    subset = [
        replace(s, rows=tuple(r for r in s.rows if r.targets and not r.manual)) for s in schemas
    ]
    subset = [s for s in subset if s.rows]
    values: dict[tuple[str, tuple[str, str]], dict[date, float | None]] = {}
    if subset:
        for i in range(punkter - 1, -1, -1):
            mi = add_months(m, -i)
            if not has_data(extract, mi, maaledag):  # before the data: simply missing
                continue
            for r in compute_month(extract, subset, mi, maaledag):
                values.setdefault((r.schema.kode, r.row.key), {})[mi] = r.measurement.vaerdi
    return [prognose_for(s, r, m, values.get((s.kode, r.key), {}), punkter) for s, r in rows]


def _tal(value: float) -> str:
    return number_da(value, 0 if float(value).is_integer() else 1)


def forklaring(p: Prognose, vis: Callable[[float], str] | None = None) -> str:
    """The prognosis in one Danish sentence, for notes and cells."""
    show = vis or _tal
    if not p.har_prognose or p.naeste_maal is None or p.naeste_maal_maaned is None:
        if p.antal_punkter < MINDST_PUNKTER:
            return (
                f"Ingen prognose: kun {p.antal_punkter} af de seneste {p.maaneder} "
                f"måneder har tal (der skal mindst {MINDST_PUNKTER} til)"
            )
        return "Ingen prognose: rækken har intet mål efter måneden"
    pace = f"Med udviklingen de seneste {p.maaneder} måneder"
    goal, when = show(p.naeste_maal), month_label(p.naeste_maal_maaned)
    met = p.maaned_maal_naas
    if p.naar_maalet and met is not None:
        return f"{pace} nås målet {goal} i {month_label(met)}"
    if met is not None and met > p.naeste_maal_maaned:
        return f"{pace} nås målet {goal} først i {month_label(met)} (målet gælder {when})"
    if met is not None:  # met now, but the line moves away from the goal
        fremskrevet = show(p.fremskrevet) if p.fremskrevet is not None else ""
        return f"{pace} er værdien {fremskrevet} i {when}, så målet {goal} nås ikke"
    limit = month_label(add_months(p.naeste_maal_maaned, HORISONT))
    return f"{pace} nås målet {goal} ikke inden {limit}"
