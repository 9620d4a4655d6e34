"""The extract as compact arrays for the engine: built once, read for many months. Pure.

`Index.of(extract)` turns the tidy tables into numpy arrays: one integer key per person
(assigned once, over every table), codes as small integers, dates as int32 day numbers
(days since 1970-01-01; an empty end date is `OPEN`). The target-group periods are sorted
once by (group, person, start) and merged into forløb once: merging does not depend on
the measurement date (a period that is still open on it merges with every later start, in
the full data as in the data known then), so the forløb as of any date is a cut of the
same arrays (`Index.forloeb_asof`). Only numpy and pandas: it runs under Pyodide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import pairwise

import numpy as np
import pandas as pd

from xlstatus.kerne.model import Extract

OPEN = 2**30  # day number of an empty end date (after any real date)
NO_BIRTH = 2**40  # birth key of an unknown birth date: every age test fails
EPOCH = date(1970, 1, 1).toordinal()
OFFSET = 2**20  # day numbers as non-negative 21-bit values in combined (person, day) keys
SPAN = 2**21  # person key * SPAN + day + OFFSET


def day_of(d: date) -> int:
    """The day number of a date."""
    return d.toordinal() - EPOCH


def days(s: pd.Series) -> np.ndarray:
    """datetime64 column -> int32 day numbers; NaT -> OPEN."""
    values = s.to_numpy(dtype="datetime64[ns]")
    out = values.astype("datetime64[D]").astype(np.int64)
    out[np.isnat(values)] = OPEN
    return out.astype(np.int32)


def _by_table(day: np.ndarray | int, convert) -> np.ndarray:
    """convert(day numbers) through a table of the days spanned (calendar maths once per day)."""
    day = np.asarray(day, dtype=np.int64)
    real = day < OPEN
    if day.size < 4096 or not real.any():
        return convert(day)
    lo, hi = int(day[real].min()), int(day[real].max())
    table = convert(np.arange(lo, hi + 1, dtype=np.int64))
    return np.where(real, table[np.clip(day - lo, 0, hi - lo)], convert(np.int64(OPEN - 1)))


def _ymd(day: np.ndarray) -> np.ndarray:
    dt = day.astype("datetime64[D]")
    months = dt.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    dom = (dt - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year * 10000 + month * 100 + dom


def ymd_key(day: np.ndarray | int) -> np.ndarray:
    """Day numbers -> year*10000 + month*100 + day (completed years = key difference // 10000)."""
    return _by_table(day, _ymd)


def add_months_days(day: np.ndarray, n: int) -> np.ndarray:
    """Day numbers plus n calendar months, the day clipped to the month's end (tid.add_months)."""
    dt = np.asarray(day, dtype=np.int64).astype("datetime64[D]")
    month = dt.astype("datetime64[M]")
    dom = (dt - month.astype("datetime64[D]")).astype(np.int64)
    target = month + n
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(int)
    return target.astype("datetime64[D]").astype(np.int64) + np.minimum(dom, length - 1)


def _months(day: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_no(day: np.ndarray) -> np.ndarray:
    """Day numbers -> months since 1970-01 (OPEN stays far in the future)."""
    day = np.asarray(day, dtype=np.int64)
    out = _by_table(day, _months)
    return np.where(day >= OPEN, OPEN, out)


def _int_codes(values: pd.Series) -> tuple[np.ndarray, dict[str, int]]:
    """Text codes -> int16 codes (-1 when empty) and the code of each text."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int16), {str(u): i for i, u in enumerate(uniques)}


def _first_true(flags: np.ndarray) -> np.ndarray:
    """For each position, the index of the latest True at or before it (flags[0] must be True)."""
    idx = np.where(flags, np.arange(len(flags)), 0)
    return np.maximum.accumulate(idx) if len(idx) else idx


@dataclass
class Periods:
    """Target-group periods sorted by (group, person, start), merged into forløb.

    Per row: fid (the forløb it belongs to), first (the forløb's first start), runend (the
    latest end among the forløb's periods up to this one) and runafg (the afgangsaarsag of
    the period holding runend; ties go to the later period)."""

    person: np.ndarray
    grp: np.ndarray
    start: np.ndarray
    end: np.ndarray
    afgang: np.ndarray
    timer: np.ndarray
    fid: np.ndarray
    first: np.ndarray
    runend: np.ndarray
    runafg: np.ndarray
    bounds: dict[int, tuple[int, int]]


def _merge(person, grp, start, end) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """fid, first start, running end and running arg-max row of sorted periods."""
    n = len(person)
    if n == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, empty
    # (each array is let go as soon as it is used: at millions of rows they add up)
    chain = np.r_[True, (person[1:] != person[:-1]) | (grp[1:] != grp[:-1])]
    cid = np.cumsum(chain) - 1
    # running max of end within a (person, group) chain: offset each chain above the last
    runmax = np.maximum.accumulate(end.astype(np.int64) + cid * (2 * OPEN))
    runmax -= cid * (2 * OPEN)
    del cid
    prev = np.r_[0, runmax[:-1]]
    del runmax
    new = chain | ((month_no(start) - month_no(prev)) >= 2)  # a gap of a month or more
    del chain, prev
    fid = np.cumsum(new) - 1
    first = start[_first_true(new)]
    runend = np.maximum.accumulate(end.astype(np.int64) + fid * (2 * OPEN))
    runend -= fid * (2 * OPEN)
    is_max = new | (end >= np.r_[-1, runend[:-1]])
    del new
    return fid, first, runend, _first_true(is_max)


def _periods(f: pd.DataFrame, person: np.ndarray) -> tuple[Periods, dict[str, int]]:
    grp, grp_code = _int_codes(f["maalgruppe"])
    afgang, afg_code = _int_codes(f["afgangsaarsag"])
    start, end = days(f["startdato"]), days(f["slutdato"])
    key = ((grp.astype(np.int64) + 1) * 2**26 + person) * 2**21 + (start.astype(np.int64) + OFFSET)
    order = np.argsort(key, kind="stable")
    del key
    person, grp, start, end = person[order], grp[order], start[order], end[order]
    afgang = afgang[order]
    timer = f["timer_pr_uge"].to_numpy(dtype=np.float64, na_value=np.nan)[order]
    fid, first, runend, argrow = _merge(person, grp, start, end)
    cuts = np.flatnonzero(np.r_[True, grp[1:] != grp[:-1]]) if len(grp) else np.zeros(0, int)
    bounds = {int(grp[a]): (int(a), int(b)) for a, b in pairwise([*cuts, len(grp)])}
    periods = Periods(
        person,
        grp,
        start,
        end,
        afgang,
        timer,
        fid,
        first,
        runend,
        afgang[argrow] if len(argrow) else afgang,
        bounds,
    )
    return periods, {"maalgruppe": grp_code, "afgangsaarsag": afg_code}  # type: ignore[dict-item]


@dataclass
class Forloeb:
    """Merged forløb of one group as of a date: one entry per forløb."""

    person: np.ndarray
    start: np.ndarray
    end: np.ndarray  # OPEN while open on the date
    afgang: np.ndarray  # -1 while open


@dataclass
class Index:
    """The compact, month-independent form of an extract (see the module docstring)."""

    cpr: np.ndarray  # person key -> cpr text
    birth: np.ndarray  # person key -> ymd_key of the birth date (NO_BIRTH when unknown)
    periods: Periods
    codes: dict[str, dict[str, int]]  # column -> text -> code
    m_person: np.ndarray
    m_code: np.ndarray
    m_start: np.ndarray
    m_end: np.ndarray
    m_afslutning: np.ndarray
    t_person: np.ndarray
    t_code: np.ndarray
    t_start: np.ndarray
    t_end: np.ndarray
    l_person: np.ndarray
    l_month: np.ndarray
    l_timer: np.ndarray

    @property
    def persons(self) -> int:
        return len(self.cpr)

    def code(self, column: str, text: str | None) -> int:
        """The integer code of a text (-2 when the extract never uses it)."""
        return self.codes[column].get(text or "", -2)

    def code_set(self, column: str, texts: tuple[str, ...] | list[str]) -> np.ndarray:
        return np.array([self.code(column, t) for t in texts], dtype=np.int16)

    def group_slice(self, maalgruppe: str | None) -> slice:
        a, b = self.periods.bounds.get(self.code("maalgruppe", maalgruppe), (0, 0))
        return slice(a, b)

    def forloeb_asof(self, maalgruppe: str | None, d: int) -> Forloeb:
        """The group's forløb as known on day d (periods starting later do not exist yet; an
        end on or after d is not known yet)."""
        p, s = self.periods, self.group_slice(maalgruppe)
        included = p.start[s] <= d
        fid = p.fid[s]
        later = np.r_[included[1:] & (fid[1:] == fid[:-1]), False]
        rows = np.flatnonzero(included & ~later) + s.start
        end = p.runend[rows]
        is_open = end >= d
        return Forloeb(
            person=p.person[rows],
            start=p.first[rows],
            end=np.where(is_open, OPEN, end),
            afgang=np.where(is_open, -1, p.runafg[rows]),
        )

    @cached_property
    def _memo(self) -> dict[object, np.ndarray]:
        return {}

    def _once(self, key: object, build: Callable[[], np.ndarray]) -> np.ndarray:
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def starts_outside(self, groups: tuple[str, ...]) -> np.ndarray:
        """Sorted (person, day) keys of every forløb start outside the given groups."""

        def build() -> np.ndarray:
            p = self.periods
            keep = np.r_[True, p.fid[1:] != p.fid[:-1]] if len(p.fid) else p.fid.astype(bool)
            keep &= ~np.isin(p.grp, self.code_set("maalgruppe", groups))
            return np.sort(p.person[keep].astype(np.int64) * SPAN + p.start[keep] + OFFSET)

        return self._once(("starts", groups), build)

    def marking_rows(self, markering: str | None) -> np.ndarray:
        """Rows of the markeringer table with this marking."""
        code = self.code("markering", markering)
        return self._once(("marking", code), lambda: np.flatnonzero(self.m_code == code))

    def offer_rows(self, tilbud: tuple[str, ...]) -> np.ndarray:
        """Rows of the tilbud table with one of these offers."""
        codes = self.code_set("tilbud", tilbud)
        return self._once(("offer", tilbud), lambda: np.flatnonzero(np.isin(self.t_code, codes)))

    def hour_rows(self, first_month: int, last_month: int) -> np.ndarray:
        """Rows of the loentimer table for the months first..last (month numbers)."""
        order = self._once("hours", lambda: np.argsort(self.l_month, kind="stable"))
        months = self._once("hour months", lambda: self.l_month[order])
        a, b = np.searchsorted(months, [first_month, last_month + 1])
        return order[a:b]

    def mask(self, persons: np.ndarray) -> np.ndarray:
        """A boolean array over person keys, True for the given persons."""
        out = np.zeros(self.persons, dtype=bool)
        out[persons] = True
        return out

    @classmethod
    def of(cls, extract: Extract) -> Index:
        """The index of an extract, built once and kept on it (rebuilt when a table is
        replaced or changes length; a table changed in place needs a fresh Extract)."""
        tables = (extract.forloeb, extract.markeringer, extract.tilbud, extract.loentimer)
        stamp = tuple(len(t) for t in tables)
        cached = extract.__dict__.get("_index")  # (tables, their lengths, index)
        same = cached is not None and cached[1] == stamp
        if same and all(a is b for a, b in zip(cached[0], tables, strict=True)):
            return cached[2]
        index = cls._build(extract)
        extract.__dict__["_index"] = (tables, stamp, index)
        return index

    @classmethod
    def _build(cls, e: Extract) -> Index:
        cpr, (fp, mp, tp, lp) = _person_keys(e)
        periods, codes = _periods(e.forloeb, fp)
        m_code, codes["markering"] = _int_codes(e.markeringer["markering"])
        m_afsl, codes["afslutning"] = _int_codes(e.markeringer["afslutning"])
        t_code, codes["tilbud"] = _int_codes(e.tilbud["tilbud"])
        return cls(
            cpr=cpr,
            birth=_births(e.forloeb, fp, len(cpr)),
            periods=periods,
            codes=codes,
            m_person=mp,
            m_code=m_code,
            m_start=days(e.markeringer["startdato"]),
            m_end=days(e.markeringer["slutdato"]),
            m_afslutning=m_afsl,
            t_person=tp,
            t_code=t_code,
            t_start=days(e.tilbud["startdato"]),
            t_end=days(e.tilbud["slutdato"]),
            l_person=lp,
            l_month=month_no(days(e.loentimer["maaned"])),
            l_timer=e.loentimer["timer"].to_numpy(dtype=np.float64, na_value=np.nan),
        )


PERSON_TABLES = ("forloeb", "markeringer", "tilbud", "loentimer")


def _person_keys(e: Extract) -> tuple[np.ndarray, list[np.ndarray]]:
    """Person key of every row of the four person tables: the reader's keys when it made them
    for these very tables, else one factorize over all of them."""
    tables = [e.table(name) for name in PERSON_TABLES]
    if e.person_keys is not None:
        given = [e.person_keys.of(name, t) for name, t in zip(PERSON_TABLES, tables, strict=True)]
        if all(g is not None or not len(t) for g, t in zip(given, tables, strict=True)):
            empty = np.zeros(0, dtype=np.int32)
            return e.person_keys.cpr, [empty if g is None else g for g in given]
    keys, cpr = pd.factorize(pd.concat([t["cpr"] for t in tables], ignore_index=True))
    keys = keys.astype(np.int32)
    cuts = np.cumsum([0, *(len(t) for t in tables)])
    return np.asarray(cpr, dtype=object), [keys[a:b] for a, b in pairwise(cuts)]


def _births(f: pd.DataFrame, person: np.ndarray, n: int) -> np.ndarray:
    """Person key -> birth key of the first known foedselsdato in the forløb table."""
    out = np.full(n, NO_BIRTH, dtype=np.int64)
    born = days(f["foedselsdato"])
    known = born != OPEN
    first_persons, first_rows = np.unique(person[known], return_index=True)
    out[first_persons] = ymd_key(born[known][first_rows])
    return out
