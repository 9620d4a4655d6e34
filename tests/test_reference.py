"""The engine against a slow, obvious reference written straight from indikatorer.md.

The reference works on plain Python rows and dates, one person and one period at a time:
it cuts the extract as of the measurement date first and merges forløb afterwards (the
engine merges once and cuts per month), so agreement on random small extracts (every kind,
forløb merging across month ends, any måledag) is evidence that both read the spec alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from builders import ext, row, schema_of
from hypothesis import given, settings
from hypothesis import strategies as st

from xlstatus.kerne.indeks import Index
from xlstatus.kerne.indikatorer import Snapshot, compute_month, compute_months
from xlstatus.kerne.skema import Row
from xlstatus.kerne.tid import add_months, age_on, maaledato, month_index, previous_months

PROJECT_START = date(2024, 1, 10)
PEOPLE = ["p0", "p1", "p2", "p3", "p4"]
BIRTHS = {
    "p0": date(1994, 6, 15),
    "p1": date(1960, 2, 29),
    "p2": None,
    "p3": date(2000, 1, 1),
    "p4": date(1994, 3, 31),
}
GROUPS = ["A-dagpenge", "Kontanthjælp jobparat", "Fleksjob", "Førtidspension"]
REASONS = ["Job", "Uddannelse", "Fleksjob", "Ukendt"]
MARKS = ["KPIJ-HENVIST", "SOCIALT-FRIKORT", "KOMPETENCEPORTEN"]
OUTCOMES = ["Job", "Uddannelse", "Fleksjob", "Udviklingsfleksjob", "Andet"]
OFFERS = ["Virksomhedspraktik", "Løntilskud", "Mentor"]
DIRECTED = {"Virksomhedspraktik", "Løntilskud"}

day = st.dates(date(2022, 6, 1), date(2025, 12, 31))
length = st.one_of(st.none(), st.integers(0, 500))


def text(d: date | None) -> str | None:
    return d.strftime("%d-%m-%Y") if d else None


@st.composite
def forloeb_rows(draw) -> list[dict]:
    """Chains of periods per person and group, gaps of 0–75 days (merging across month ends)."""
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        cpr, group = draw(st.sampled_from(PEOPLE)), draw(st.sampled_from(GROUPS))
        start = draw(day)
        for _ in range(draw(st.integers(1, 3))):
            n = draw(length)
            end = None if n is None else start + timedelta(days=n)
            birth = BIRTHS[cpr]
            rows.append(
                {
                    "cpr": cpr,
                    "maalgruppe": group,
                    "startdato": text(start),
                    "slutdato": text(end),
                    "afgangsaarsag": draw(st.sampled_from(REASONS)) if end else None,
                    "foedselsdato": text(birth),
                    "timer_pr_uge": draw(st.sampled_from([None, 3.0, 5.0, 8.0])),
                }
            )
            if end is None:
                break
            start = end + timedelta(days=draw(st.integers(1, 75)))
    closed = [r for r in rows if r["slutdato"]]
    if closed and draw(st.booleans()):  # a twin ending the same day: whose reason wins?
        twin = dict(draw(st.sampled_from(closed)))
        end = parse(twin["slutdato"])
        start = parse(twin["startdato"]) + timedelta(days=draw(st.integers(-30, 30)))
        twin["startdato"] = text(min(start, end))
        twin["afgangsaarsag"] = draw(st.sampled_from(REASONS))
        rows.insert(draw(st.integers(0, len(rows))), twin)
    return rows


@st.composite
def dated_rows(draw, code_key: str, codes: list[str], outcome: str | None) -> list[dict]:
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(day)
        n = draw(length)
        end = None if n is None else start + timedelta(days=n)
        r = {
            "cpr": draw(st.sampled_from(PEOPLE)),
            code_key: draw(st.sampled_from(codes)),
            "startdato": text(start),
            "slutdato": text(end),
        }
        if outcome:
            r[outcome] = draw(st.sampled_from(OUTCOMES)) if end else None
        rows.append(r)
    return rows


hours_rows = st.lists(
    st.fixed_dictionaries(
        {
            "cpr": st.sampled_from(PEOPLE),
            "maaned": st.dates(date(2022, 6, 1), date(2025, 12, 1)).map(
                lambda d: d.strftime("01-%m-%Y")
            ),
            "timer": st.sampled_from([0.0, 4.0, 130 / 6, 30.0, 130 / 3, 60.0]),
        }
    ),
    max_size=12,
)
company_rows = st.lists(
    st.fixed_dictionaries(
        {"cvr": st.just("12345678"), "behovsafdaekket": st.one_of(st.none(), day.map(text))}
    ),
    max_size=4,
)
ROWS = [
    row("bestand", maalgruppe="A-dagpenge"),
    row("bestand", maalgruppe="Kontanthjælp jobparat", alder_min=30),
    row("bestand", markering="SOCIALT-FRIKORT"),
    row("bestand", maalgruppe="A-dagpenge", markering="SOCIALT-FRIKORT"),
    row("kontaktforloeb", maalgruppe="A-dagpenge", sted="jobcenter", maaneder=3),
    row("kontaktforloeb", maalgruppe="A-dagpenge", sted="akasse", maaneder=3),
    row("henviste_maaned", markering="KPIJ-HENVIST"),
    row("henviste_maaned", markering="KPIJ-HENVIST", kun_akasseperiode=True),
    row("akkumuleret", markering="KOMPETENCEPORTEN"),
    row("akkumuleret", markering="KOMPETENCEPORTEN", afslutning=["Uddannelse"]),
    row(
        "akkumuleret",
        markering="SOCIALT-FRIKORT",
        afslutning=["Fleksjob", "Udviklingsfleksjob"],
        fleksjob_timer_over=5,
    ),
    row("andel_afsluttet", "andel", markering="KPIJ-HENVIST", afslutning=["Job"]),
    row("varighed", "uger", maalgruppe="A-dagpenge", maaneder=3),
    row("med_loentimer", "antal_andel", maalgruppe="A-dagpenge"),
    *[
        row("med_loentimer", "antal_andel", markering="SOCIALT-FRIKORT", timer_pr_uge=b)
        for b in (None, "1-5", "6-10", "over 10")
    ],
    row(
        "med_tilbud",
        "antal_andel",
        maalgruppe="Kontanthjælp jobparat",
        alder_min=30,
        tilbud=["Løntilskud", "Virksomhedspraktik"],
    ),
    row("delaftale2_12mdr", "andel", maalgruppe="A-dagpenge"),
    row("delaftale2_12mdr", "andel", markering="SOCIALT-FRIKORT"),
    row("delaftale2_26uger", "andel", maalgruppe="Kontanthjælp jobparat", alder_min=30),
    row("delaftale2_26uger", "andel", maalgruppe="A-dagpenge"),
    row("andel_afgang", "andel", maalgruppe="A-dagpenge", aarsager=["Job"], maaneder=12),
    row(
        "andel_afgang",
        "andel",
        maalgruppe="Kontanthjælp jobparat",
        alder_min=30,
        aarsager=["Job", "Uddannelse"],
        maaneder=12,
    ),
    row("tilbagevenden", "andel", maalgruppe="A-dagpenge"),
    row("tilbagevenden", "andel", maalgruppe="Kontanthjælp jobparat", alder_min=30),
    row("virksomheder", felt="behovsafdaekket"),
]


# --------------------------------------------------------------------------- the reference


def parse(v: str | None) -> date | None:
    return None if v is None else date(int(v[6:]), int(v[3:5]), int(v[:2]))


@dataclass
class Rec:
    """One period (forløb, marking or offer) as known on a day."""

    cpr: str
    code: str
    start: date
    end: date | None
    outcome: str | None = None
    hours: float | None = None


def as_of(rows: list[dict], code: str, outcome: str | None, d: date) -> list[Rec]:
    """Started on/before d; an end on/after d is not known yet (open, no outcome)."""
    out = []
    for r in rows:
        start, end = parse(r["startdato"]), parse(r["slutdato"])
        if start > d:
            continue
        known = end is not None and end < d
        out.append(
            Rec(
                r["cpr"],
                r[code],
                start,
                end if known else None,
                r.get(outcome) if known and outcome else None,
                r.get("timer_pr_uge"),
            )
        )
    return out


def merge(periods: list[Rec]) -> list[Rec]:
    """Forløb: a person's periods in one group, split only by a whole free calendar month."""
    out: list[Rec] = []
    keys = sorted({(p.cpr, p.code) for p in periods})
    for cpr, code in keys:
        mine = sorted((p for p in periods if (p.cpr, p.code) == (cpr, code)), key=lambda p: p.start)
        group: list[Rec] = []
        for p in mine:
            ends = [q.end for q in group]
            latest = None if None in ends else max(ends, default=None)
            if group and latest is not None and month_index(p.start) - month_index(latest) >= 2:
                out.append(combine(group))
                group = []
            group.append(p)
        out.append(combine(group))
    return out


def combine(group: list[Rec]) -> Rec:
    last = max(enumerate(group), key=lambda ip: (ip[1].end or date.max, ip[1].start, ip[0]))[1]
    return Rec(group[0].cpr, group[0].code, group[0].start, last.end, last.outcome)


class Reference:
    def __init__(self, tables: dict[str, list[dict]], month: date, maaledag: int) -> None:
        self.t, self.m = tables, month
        self.d = maaledato(month, maaledag)
        self.periods = as_of(tables["forloeb"], "maalgruppe", "afgangsaarsag", self.d)
        self.forloeb = merge(self.periods)
        self.marks = as_of(tables["markeringer"], "markering", "afslutning", self.d)
        self.offers = as_of(tables["tilbud"], "tilbud", None, self.d)
        self.births: dict[str, date] = {}
        for r in tables["forloeb"]:
            if r["foedselsdato"]:
                self.births.setdefault(r["cpr"], parse(r["foedselsdato"]))

    def old_enough(self, cpr: str, on: date, alder_min: int | None) -> bool:
        birth = self.births.get(cpr)
        return alder_min is None or (birth is not None and age_on(birth, on) >= alder_min)

    def population(self, p) -> dict[str, date | None]:
        """cpr -> start of the current forløb (None for a population by marking only)."""
        marked = {m.cpr for m in self.marks if m.code == p.markering and m.end is None}
        if p.maalgruppe:
            pop = {f.cpr: f.start for f in self.forloeb if f.code == p.maalgruppe and f.end is None}
            if p.markering:
                pop = {c: s for c, s in pop.items() if c in marked}
        else:
            pop = dict.fromkeys(marked)
        return {c: s for c, s in pop.items() if self.old_enough(c, self.d, p.alder_min)}

    def paid(self, cpr: str, first: date, last: date) -> bool:
        return any(
            r["cpr"] == cpr
            and r["timer"] > 0
            and first.replace(day=1) <= parse(r["maaned"]) <= last
            and parse(r["maaned"]) < self.m
            for r in self.t["loentimer"]
        )

    def directed(self, cpr: str, first: date, last: date) -> bool:
        return self.paid(cpr, first, last) or any(
            o.cpr == cpr
            and o.code in DIRECTED
            and o.start <= last
            and (o.end is None or o.end >= first)
            for o in self.offers
        )

    def ended(self, p, first: date, last: date) -> list[Rec]:
        return [
            f
            for f in self.forloeb
            if f.code == p.maalgruppe
            and f.end is not None
            and first <= f.end <= last
            and self.old_enough(f.cpr, f.end, p.alder_min)
        ]

    def value(self, r: Row) -> tuple[int | None, int | None, float | None]:
        return getattr(self, r.kind)(r.params)

    @staticmethod
    def share(n: int, pop: int) -> tuple[int, int, float | None]:
        return n, pop, 100 * n / pop if pop else None

    def bestand(self, p):
        n = len(self.population(p))
        return n, None, float(n)

    def kontaktforloeb(self, p):
        border = add_months(self.d, -p.maaneder)
        pop = self.population(p).values()
        n = sum(1 for s in pop if (s > border) == (p.sted == "akasse"))
        return n, None, float(n)

    def henviste_maaned(self, p):
        first, last = previous_months(self.m, 1)
        who = set()
        for mk in self.marks:
            if mk.code != p.markering or not first <= mk.start <= last:
                continue
            s = mk.start
            if not p.kun_akasseperiode or any(
                f.cpr == mk.cpr
                and f.code == "A-dagpenge"
                and f.start <= s
                and (f.end is None or f.end >= s)
                and f.start > add_months(s, -3)
                for f in self.forloeb
            ):
                who.add(mk.cpr)
        return len(who), None, float(len(who))

    def akkumuleret(self, p):
        who = {
            m.cpr
            for m in self.marks
            if m.code == p.markering
            and PROJECT_START <= m.start < self.d
            and (
                not p.afslutning
                or (m.end is not None and m.end < self.d and m.outcome in p.afslutning)
            )
        }
        if p.fleksjob_timer_over is not None:
            flex = {
                f.cpr
                for f in self.periods
                if f.code == "Fleksjob"
                and f.end is None
                and f.hours is not None
                and f.hours > p.fleksjob_timer_over
            }
            who &= flex
        return len(who), None, float(len(who))

    def andel_afsluttet(self, p):
        latest: dict[str, Rec] = {}
        for m in self.marks:
            if m.code == p.markering and m.end is not None and PROJECT_START <= m.end < self.d:
                old = latest.get(m.cpr)
                if old is None or (m.end, m.start) >= (old.end, old.start):
                    latest[m.cpr] = m
        return self.share(sum(m.outcome in p.afslutning for m in latest.values()), len(latest))

    def varighed(self, p):
        g = self.ended(p, *previous_months(self.m, p.maaneder))
        if not g:
            return 0, None, None
        return len(g), None, sum(((f.end - f.start).days + 1) / 7 for f in g) / len(g)

    def med_loentimer(self, p):
        first, _ = previous_months(self.m, 1)
        pop = self.population(p)
        lo, hi = {"1-5": (0, 5), "6-10": (5, 10), "over 10": (10, 1e9)}.get(
            p.timer_pr_uge, (0, 1e9)
        )
        n = 0
        for cpr in pop:
            rows = [
                r for r in self.t["loentimer"] if r["cpr"] == cpr and parse(r["maaned"]) == first
            ]
            weekly = sum(r["timer"] for r in rows) * 12 / 52
            n += bool(rows) and lo < weekly <= hi
        return self.share(n, len(pop))

    def med_tilbud(self, p):
        first, last = previous_months(self.m, 1)
        pop = self.population(p)
        n = sum(
            any(
                o.cpr == c
                and o.code in p.tilbud
                and o.start <= last
                and (o.end is None or o.end >= first)
                for o in self.offers
            )
            for c in pop
        )
        return self.share(n, len(pop))

    def delaftale2_12mdr(self, p):
        border = add_months(self.d, -12)
        pop = [c for c, s in self.population(p).items() if s is not None and s <= border]
        first, last = previous_months(self.m, 12)
        return self.share(sum(self.directed(c, first, last) for c in pop), len(pop))

    def delaftale2_26uger(self, p):
        first, last = previous_months(self.m, 12)
        n = hits = 0
        for f in self.forloeb:
            day26 = f.start + timedelta(days=182)
            if (
                f.code != p.maalgruppe
                or not first <= day26 <= last
                or (f.end is not None and f.end < day26)
                or not self.old_enough(f.cpr, day26, p.alder_min)
            ):
                continue
            n += 1
            hits += self.directed(f.cpr, f.start, f.start + timedelta(days=181))
        return self.share(hits, n)

    def andel_afgang(self, p):
        g = self.ended(p, *previous_months(self.m, p.maaneder))
        return self.share(sum(f.outcome in p.aarsager for f in g), len(g))

    def tilbagevenden(self, p):
        first = add_months(self.m, -24)
        last = add_months(self.m, -12) - timedelta(days=1)
        g = self.ended(p, first, last)
        back = sum(
            any(
                f.cpr == e.cpr
                and f.code not in ("Fleksjob", "Førtidspension")
                and e.end < f.start <= e.end + timedelta(days=365)
                for f in self.forloeb
            )
            for e in g
        )
        return self.share(back, len(g))

    def virksomheder(self, p):
        n = sum(1 for v in self.t["virksomheder"] if v[p.felt] and parse(v[p.felt]) < self.d)
        return n, None, float(n)


# --------------------------------------------------------------------------- the properties

months = st.dates(date(2023, 6, 1), date(2026, 1, 1)).map(lambda d: d.replace(day=1))
extracts = st.fixed_dictionaries(
    {
        "forloeb": forloeb_rows(),
        "markeringer": dated_rows("markering", MARKS, "afslutning"),
        "tilbud": dated_rows("tilbud", OFFERS, None),
        "loentimer": hours_rows,
        "virksomheder": company_rows,
    }
)


def close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


@settings(max_examples=300, deadline=None)
@given(extracts, months, st.integers(1, 31))
def test_engine_equals_reference_for_every_kind(tables, month, maaledag):
    results = compute_month(ext(**tables), [schema_of(*ROWS)], month, maaledag)
    ref = Reference(tables, month, maaledag)
    for r in results:
        antal, population, vaerdi = ref.value(r.row)
        m = r.measurement
        assert (m.antal, m.population) == (antal, population), r.row.params
        assert close(m.vaerdi, vaerdi), r.row.params


@settings(max_examples=15, deadline=None)
@given(extracts, st.integers(1, 31))
def test_many_months_at_once_equal_month_by_month(tables, maaledag):
    e = ext(**tables)
    schema = schema_of(*ROWS)
    months = [add_months(date(2024, 1, 1), i) for i in range(0, 24, 2)]
    together = compute_months(e, [schema], months, maaledag)
    one_by_one = [r for m in months for r in compute_month(ext(**tables), [schema], m, maaledag)]
    assert [(r.month, r.row, r.measurement, r.assessment) for r in together] == [
        (r.month, r.row, r.measurement, r.assessment) for r in one_by_one
    ]


def test_the_index_is_built_once_and_rebuilt_when_a_table_is_replaced():
    period = {
        "cpr": "p0",
        "maalgruppe": "A-dagpenge",
        "startdato": "01-01-2024",
        "slutdato": None,
        "afgangsaarsag": None,
        "foedselsdato": None,
    }
    e = ext(forloeb=[period])
    index = Index.of(e)
    assert Index.of(e) is index
    schema = schema_of(row("bestand", maalgruppe="A-dagpenge"))
    assert compute_month(e, [schema], date(2024, 6, 1))[0].measurement.antal == 1
    e.forloeb = e.forloeb.iloc[:0]
    assert Index.of(e) is not index
    assert compute_month(e, [schema], date(2024, 6, 1))[0].measurement.antal == 0


@settings(max_examples=100, deadline=None)
@given(extracts, months, st.integers(1, 31))
def test_snapshot_forloeb_table_equals_the_reference_merge(tables, month, maaledag):
    snap = Snapshot(ext(**tables), month, maaledag)
    assert snap.d == pd.Timestamp(maaledato(month, maaledag))
    assert snap.window(3) == tuple(pd.Timestamp(x) for x in previous_months(month, 3))
    got = sorted(
        (
            r.cpr,
            r.maalgruppe,
            r.startdato.date(),
            None if pd.isna(r.slutdato) else r.slutdato.date(),
            r.afgangsaarsag,
        )
        for r in snap.forloeb.itertuples()
    )
    ref = Reference(tables, month, maaledag)
    assert got == sorted((f.cpr, f.code, f.start, f.end, f.outcome) for f in ref.forloeb)
    for group in GROUPS:
        assert len(snap.in_group(group)) == sum(f.code == group for f in ref.forloeb)
