"""A deterministic synthetic FACIT extract for Jobcenter Hedensted (the built-in demo data).

`generate()` simulates benefit periods (forløb) for the twelve target groups as a
stock-and-flow process: people arrive, stay for a drawn duration, leave with an
afgangsaarsag and some come back (after a short gap that the engine merges, or a long
one), move on to another group (Anden ydelse, Fleksjob, Førtidspension) and so on.
Project markings, offers (tilbud), monthly paid hours and Kompetenceporten companies
are derived from those periods so that every row of the five statusskemas has a
plausible, non-trivial value for every month from feb-24 to jan-26.

Everything is vectorised with numpy (one loop over the twelve groups, none over
persons); days are int64 day numbers (days since 1970-01-01) until the tables are
built. `faktor` scales the number of persons and companies for benchmarks. `_Sim` holds
the state (random source, time frame, persons); each phase is a function of it, in the
order `_run` calls them: periods, markings, offers, hours, companies, then the tables.
The order of the random draws is the data: reordering calls changes every extract.

`write_extract()` writes an extract as FACIT / Danish Excel would: a folder of
`;`-separated UTF-8-with-BOM CSV files, or one `.xlsx` workbook with a sheet per table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from xlstatus.kerne.model import AFGANGSAARSAGER, AFSLUTNINGER, MAALGRUPPER, TABLES, TILBUD, Extract
from xlstatus.kerne.tid import add_months

DEFAULT_SEED = 2024
DEFAULT_SLUT = date(2026, 1, 31)
PROJECT_START = date(2024, 1, 10)  # the start measurement of all five schemas
HISTORY_MONTHS = 55  # periods that ended before this many months ahead of `slut` are cut
EXCEL_MAX_ROWS = 1_048_576

Y = 365.25  # days per year

# --------------------------------------------------------------------------- target groups

ADP, KHJ, KHA, UHU, UHA, SDP, JAF, RES, LHY, FLX, SHY, FTP = range(12)
assert len(MAALGRUPPER) == 12 and MAALGRUPPER[RES] == "Ressourceforløb"
R = {name: i for i, name in enumerate(AFGANGSAARSAGER)}
JOB, UDD, RFLEX, RUDV, ANDEN, RFTP, SELV, UKENDT = (
    R["Job"],
    R["Uddannelse"],
    R["Fleksjob"],
    R["Udviklingsfleksjob"],
    R["Anden ydelse"],
    R["Førtidspension"],
    R["Selvforsørgelse"],
    R["Ukendt"],
)


class Duration(NamedTuple):
    """One part of a group's duration mixture: days = minimum + gamma(mean extra, shape)."""

    weight: float
    min_days: float
    mean_extra_days: float
    shape: float


class AgeBand(NamedTuple):
    """One part of a group's age-at-entry mixture (uniform between the two ages)."""

    weight: float
    min_years: float
    max_years: float


@dataclass(frozen=True)
class Group:
    """How one target group behaves.

    stock: persons in the group on a day (faktor 1) the arrivals are scaled for;
    durations: the duration mixture; ages: the age at entry mixture;
    reasons: afgangsaarsag -> probability; next_groups: destinations after 'Anden ydelse';
    return_chance: chance of coming back after Job/Uddannelse/Selvforsørgelse/Ukendt;
    short_gap_share: share of those returns after a gap shorter than a whole calendar month;
    same_group_share: share of returns to the same group (else to `back`).
    """

    stock: float
    durations: tuple[Duration, ...]
    ages: tuple[AgeBand, ...]
    reasons: dict[int, float]
    next_groups: dict[int, float]
    return_chance: float = 0.0
    short_gap_share: float = 0.3
    same_group_share: float = 0.7
    back: int = ADP


# Arrival rates are scaled by CAL so that the mean stocks of feb-24 … jan-26 hit `stock`
# once the follow-up periods (returns, transfers) are added. CAL was found by iterating
# CAL *= (stock / measured stock) over a few seeds at faktor 3; retune it after changing
# any group's durations, reasons or destinations.
GROUPS: dict[int, Group] = {
    ADP: Group(
        stock=650,
        durations=(Duration(0.55, 7, 18, 1.0), Duration(0.45, 14, 236, 1.3)),
        ages=(AgeBand(1, 25, 63),),
        reasons={JOB: 0.63, UDD: 0.06, ANDEN: 0.08, SELV: 0.1, UKENDT: 0.13},
        next_groups={SDP: 0.75, KHJ: 0.25},
        return_chance=0.22,
        short_gap_share=0.25,
        same_group_share=0.97,
        back=KHJ,
    ),
    KHJ: Group(
        stock=85,
        durations=(Duration(0.45, 14, 50, 1.0), Duration(0.55, 30, 260, 1.2)),
        ages=(AgeBand(0.92, 30, 62), AgeBand(0.08, 22, 29.9)),
        reasons={JOB: 0.52, UDD: 0.09, ANDEN: 0.1, SELV: 0.16, UKENDT: 0.13},
        next_groups={KHA: 0.5, SDP: 0.35, ADP: 0.15},
        return_chance=0.17,
        short_gap_share=0.25,
        same_group_share=0.75,
        back=KHA,
    ),
    KHA: Group(
        stock=100,
        durations=(Duration(0.3, 30, 150, 1.0), Duration(0.7, 120, 800, 1.5)),
        ages=(AgeBand(0.85, 30, 62), AgeBand(0.15, 25, 29.9)),
        reasons={
            JOB: 0.25,
            UDD: 0.08,
            RFLEX: 0.12,
            RUDV: 0.03,
            ANDEN: 0.3,
            RFTP: 0.07,
            SELV: 0.08,
            UKENDT: 0.07,
        },
        next_groups={RES: 0.3, KHJ: 0.2, SDP: 0.5},
        return_chance=0.25,
        short_gap_share=0.3,
        same_group_share=0.8,
        back=KHJ,
    ),
    UHU: Group(
        stock=120,
        durations=(Duration(1, 14, 140, 1.0),),
        ages=(AgeBand(1, 18, 29.9),),
        reasons={UDD: 0.45, JOB: 0.25, ANDEN: 0.1, SELV: 0.12, UKENDT: 0.08},
        next_groups={UHA: 0.6, KHJ: 0.4},
        return_chance=0.2,
        short_gap_share=0.3,
        same_group_share=0.8,
        back=UHA,
    ),
    UHA: Group(
        stock=130,
        durations=(Duration(1, 30, 570, 1.5),),
        ages=(AgeBand(1, 18, 29.9),),
        reasons={UDD: 0.2, JOB: 0.15, ANDEN: 0.35, RFLEX: 0.03, SELV: 0.12, UKENDT: 0.15},
        next_groups={RES: 0.25, UHU: 0.5, SDP: 0.25},
        return_chance=0.2,
        short_gap_share=0.3,
        same_group_share=0.8,
        back=UHU,
    ),
    SDP: Group(
        stock=650,
        durations=(Duration(0.6, 3, 28, 1.0), Duration(0.4, 14, 170, 1.2)),
        ages=(AgeBand(1, 20, 66),),
        reasons={JOB: 0.74, ANDEN: 0.08, SELV: 0.06, RFTP: 0.02, UKENDT: 0.1},
        next_groups={JAF: 0.6, ADP: 0.32, KHJ: 0.08},
        return_chance=0.12,
        short_gap_share=0.2,
        same_group_share=0.9,
        back=ADP,
    ),
    JAF: Group(
        stock=150,
        durations=(Duration(1, 30, 270, 2.0),),
        ages=(AgeBand(1, 30, 64),),
        reasons={JOB: 0.3, ANDEN: 0.35, RFLEX: 0.15, RFTP: 0.1, UKENDT: 0.1},
        next_groups={RES: 0.3, SDP: 0.5, KHA: 0.2},
        return_chance=0.1,
        short_gap_share=0.2,
        same_group_share=0.5,
        back=SDP,
    ),
    RES: Group(
        stock=75,
        durations=(Duration(1, 150, 500, 2.0),),
        ages=(AgeBand(0.75, 30, 60), AgeBand(0.25, 20, 29.9)),
        reasons={
            RFLEX: 0.22,
            RUDV: 0.05,
            JOB: 0.05,
            UDD: 0.03,
            RFTP: 0.23,
            ANDEN: 0.35,
            UKENDT: 0.07,
        },
        next_groups={KHA: 0.6, JAF: 0.25, UHA: 0.15},
        return_chance=0.1,
        short_gap_share=0.3,
        same_group_share=0.6,
        back=KHA,
    ),
    LHY: Group(
        stock=130,
        durations=(Duration(1, 14, 200, 1.0),),
        ages=(AgeBand(1, 30, 64),),
        reasons={RFLEX: 0.65, ANDEN: 0.15, RFTP: 0.05, UKENDT: 0.15},
        next_groups={SDP: 1.0},
        return_chance=0.05,
        short_gap_share=0.3,
        same_group_share=1.0,
    ),
    FLX: Group(
        stock=1200,
        durations=(Duration(1, 60, 2900, 1.0),),
        ages=(AgeBand(1, 30, 64),),
        reasons={ANDEN: 0.4, RFTP: 0.1, SELV: 0.2, UKENDT: 0.3},
        next_groups={LHY: 0.75, SDP: 0.25},
        return_chance=0.0,
    ),
    SHY: Group(
        stock=40,
        durations=(Duration(1, 30, 470, 1.0),),
        ages=(AgeBand(1, 20, 55),),
        reasons={JOB: 0.4, UDD: 0.1, ANDEN: 0.2, SELV: 0.1, UKENDT: 0.2},
        next_groups={KHJ: 1.0},
        return_chance=0.15,
        short_gap_share=0.3,
        same_group_share=0.7,
        back=KHJ,
    ),
    FTP: Group(
        stock=1700,
        durations=(Duration(1, 365, 30 * 365, 1.0),),
        ages=(AgeBand(0.3, 35, 50), AgeBand(0.7, 50, 64)),
        reasons={UKENDT: 1.0},
        next_groups={},
        return_chance=0.0,
    ),
}
CAL = {
    ADP: 0.773,
    KHJ: 0.447,
    KHA: 0.174,
    UHU: 0.803,
    UHA: 0.074,
    SDP: 0.829,
    JAF: 0.324,
    RES: 0.233,
    LHY: 0.818,
    FLX: 0.29,
    SHY: 0.95,
    FTP: 1.765,
}
# inflow falls a little during the projects (the schemas' stock targets go down)
INFLOW_DROP = {KHJ: 0.3, KHA: 0.10, RES: 0.10}
UH_TO_KH = {UHU: KHJ, UHA: KHA}
MAX_DAYS = {ADP: 730}  # the dagpenge period is two years

# --------------------------------------------------------------------------- offers and hours

T_PRAKTIK, T_LOENTILSKUD, T_VEJL, T_NYTTE, T_MENTOR = (
    TILBUD.index(t)
    for t in (
        "Virksomhedspraktik",
        "Løntilskud",
        "Vejledning og opkvalificering",
        "Nytteindsats",
        "Mentor",
    )
)
# duration (min, max days) per offer type
TILBUD_DUR = {
    T_PRAKTIK: (21, 91),
    T_LOENTILSKUD: (91, 365),
    T_VEJL: (14, 120),
    T_NYTTE: (28, 91),
    T_MENTOR: (91, 365),
}
# offers per person-year in the group: type -> (rate before the projects, rate at the end)
TILBUD_RATES: dict[int, dict[int, tuple[float, float]]] = {
    KHA: {
        T_PRAKTIK: (1.35, 1.6),
        T_LOENTILSKUD: (0.15, 0.2),
        T_MENTOR: (0.4, 0.4),
        T_NYTTE: (0.2, 0.2),
        T_VEJL: (0.4, 0.4),
    },
    KHJ: {
        T_PRAKTIK: (0.45, 1.1),
        T_LOENTILSKUD: (0.12, 0.4),
        T_NYTTE: (0.5, 0.5),
        T_VEJL: (0.6, 0.6),
    },
    RES: {
        T_PRAKTIK: (1.0, 1.3),
        T_LOENTILSKUD: (0.1, 0.15),
        T_MENTOR: (0.6, 0.6),
        T_VEJL: (0.3, 0.3),
    },
    UHA: {T_PRAKTIK: (0.9, 0.9), T_MENTOR: (0.5, 0.5), T_VEJL: (0.3, 0.3)},
    UHU: {T_PRAKTIK: (0.4, 0.4), T_VEJL: (0.8, 0.8), T_NYTTE: (0.3, 0.3)},
    ADP: {T_PRAKTIK: (0.2, 0.2), T_LOENTILSKUD: (0.15, 0.15), T_VEJL: (0.6, 0.6)},
    JAF: {T_PRAKTIK: (0.5, 0.5), T_MENTOR: (0.3, 0.3)},
    LHY: {T_PRAKTIK: (0.3, 0.3)},
    SHY: {T_PRAKTIK: (0.5, 0.5), T_VEJL: (0.6, 0.6)},
}
FRIKORT_BOOST = {T_PRAKTIK: 2.2, T_LOENTILSKUD: 2.0}
COMPANY_TYPES = (T_PRAKTIK, T_LOENTILSKUD)
# share of periods that never get a company-directed offer (too ill, caring duties, …);
# the others get correspondingly more, so the monthly shares stay the same
NO_COMPANY_OFFER = {RES: 0.3, KHA: 0.1, KHJ: 0.1}

# paid hours: (share of periods with a job on the side, chance of hours in a month
# (before, end of projects), weekly-hours mixture [(weight, min, max)])
HOURS: dict[int, tuple[float, tuple[float, float], tuple[tuple[float, float, float], ...]]] = {
    KHA: (0.26, (0.66, 0.76), ((0.55, 1, 5), (0.3, 5, 10), (0.15, 10, 20))),
    RES: (0.05, (0.6, 0.8), ((0.7, 1, 5), (0.3, 5, 10))),
    KHJ: (0.16, (0.25, 0.65), ((0.3, 2, 10), (0.7, 8, 30))),
    UHA: (0.10, (0.6, 0.6), ((0.6, 1, 5), (0.4, 5, 12))),
    UHU: (0.22, (0.7, 0.7), ((0.3, 2, 8), (0.7, 6, 20))),
    SHY: (0.15, (0.7, 0.7), ((1, 5, 25),)),
}
FRIKORT_HOURS = (0.5, (0.62, 0.72), ((0.36, 1, 5), (0.34, 5, 10), (0.30, 10, 18)))
AFTER_JOB_GROUPS = (KHJ, KHA, UHU, UHA, RES, SHY, JAF)

# --------------------------------------------------------------------------- markings

M = {
    name: i
    for i, name in enumerate(
        [
            "KPIJ-HENVIST",
            "JOBPERRONEN",
            "FLERE-I-JOB",
            "KOMPETENCEPORTEN",
            "KP-OPKVALIFICERET",
            "SOCIALT-FRIKORT",
        ]
    )
}
A = {name: i for i, name in enumerate(AFSLUTNINGER)}
# afgangsaarsag of the period -> afslutning of a marking that ends with it
REASON_TO_AFSLUTNING = np.full(len(AFGANGSAARSAGER), A["Andet"])
AFSLUTNING_TO_REASON = np.full(len(AFSLUTNINGER), R["Ukendt"])
for _reason in ("Job", "Uddannelse", "Fleksjob", "Udviklingsfleksjob", "Voksenlære"):
    REASON_TO_AFSLUTNING[R[_reason]] = A[_reason]
    AFSLUTNING_TO_REASON[A[_reason]] = R[_reason]

PLACES = [
    "Hedensted",
    "Juelsminde",
    "Tørring",
    "Løsning",
    "Uldum",
    "Daugård",
    "Stouby",
    "Barrit",
    "Hornsyld",
    "Glud",
    "Rårup",
    "Ørum",
    "Lindved",
    "Øster Snede",
    "Korning",
    "Ølsted",
    "Klakring",
    "Aale",
    "Hvirring",
    "Bjerre",
]
TRADES = [
    "Maskinfabrik",
    "VVS",
    "Tømrer og Snedker",
    "Autoværksted",
    "Plast",
    "Transport",
    "Gartneri",
    "Rengøring",
    "El-service",
    "Smedie",
    "Betonvarer",
    "Trælast",
    "Købmand",
    "Bageri",
    "Entreprenør",
    "Møbelfabrik",
    "Logistik",
    "Vinduer",
    "Stål og Metal",
    "Plejecenter",
    "Malerfirma",
    "Anlægsgartner",
    "Vognmand",
    "Kantine",
    "Fjerkræ",
]
FORMS = ["A/S", "ApS", "ApS", "I/S", "A/S"]

EPOCH = date(1970, 1, 1)
OPEN = np.int64(10**7)  # "no end date" while simulating (far beyond 2262)


def _day(d: date) -> int:
    return (d - EPOCH).days


# --------------------------------------------------------------------------- public API


def generate(seed: int = DEFAULT_SEED, faktor: float = 1.0, slut: date = DEFAULT_SLUT) -> Extract:
    """A synthetic extract as FACIT would give it on `slut` (deterministic for a seed)."""
    if faktor <= 0:
        raise ValueError(f"faktor skal være større end 0, ikke {faktor}")
    return _run(_Sim(np.random.default_rng(seed), faktor, slut))


def write_extract(extract: Extract, target: Path, fmt: str = "csv") -> Path:
    """Write an extract as a folder of CSV files (`fmt='csv'`) or one `udtraek.xlsx`.

    `target` is the folder; it is created when missing. Returns the folder (CSV) or
    the workbook's path (xlsx).
    """
    target = Path(target)
    if fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            _csv_frame(extract.table(name), name).to_csv(
                target / f"{name}.csv",
                sep=";",
                index=False,
                encoding="utf-8-sig",
                lineterminator="\r\n",
            )
        return target
    if fmt == "xlsx":
        target.mkdir(parents=True, exist_ok=True)
        path = target / "udtraek.xlsx"
        _write_xlsx(extract, path)
        return path
    raise ValueError(f"ukendt format '{fmt}': brug 'csv' eller 'xlsx'")


# --------------------------------------------------------------------------- the simulation


class _Spells:
    """Benefit periods as parallel arrays (a struct of arrays)."""

    FIELDS = ("pid", "grp", "start", "end", "reason", "nofollow", "frikort", "timer")

    def __init__(self, **cols: np.ndarray) -> None:
        for f in self.FIELDS:
            setattr(self, f, cols[f])

    def __len__(self) -> int:
        return len(self.pid)

    def take(self, idx: np.ndarray) -> _Spells:
        return _Spells(**{f: getattr(self, f)[idx] for f in self.FIELDS})

    @staticmethod
    def concat(parts: list[_Spells]) -> _Spells:
        fields = _Spells.FIELDS
        return _Spells(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in fields})


class _Sim:
    """The simulation's state: random source, time frame and the persons drawn so far."""

    def __init__(self, rng: np.random.Generator, faktor: float, slut: date) -> None:
        self.rng = rng
        self.f = faktor
        self.slut = _day(slut)
        self.ps = _day(PROJECT_START)
        self.cut = _day(add_months(date(slut.year, slut.month, 1), -HISTORY_MONTHS))
        self.births: list[np.ndarray] = []  # birth day per person id, in id order
        self._all_births = np.zeros(0, np.int64)
        self.n_persons = 0

    def trend(self, day: np.ndarray) -> np.ndarray:
        """0 before the projects, rising linearly to 1 on 2026-01-31."""
        return np.clip((day - self.ps) / (_day(date(2026, 1, 31)) - self.ps), 0.0, 1.0)

    def uniform_days(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """A random day in [lo, hi] (element-wise, inclusive)."""
        lo, hi = np.asarray(lo, np.int64), np.asarray(hi, np.int64)
        return lo + np.floor(self.rng.random(lo.shape) * (hi - lo + 1)).astype(np.int64)

    def choice(self, probs: dict[int, float], n: int) -> np.ndarray:
        keys = np.fromiter(probs, np.int64, len(probs))
        p = np.array(list(probs.values()), float)
        return keys[self.rng.choice(len(keys), size=n, p=p / p.sum())]

    def mixture(self, comps, n: int) -> np.ndarray:
        """Draws from [(weight, lo, hi)] uniform mixtures."""
        w = np.array([c[0] for c in comps], float)
        k = self.rng.choice(len(comps), size=n, p=w / w.sum())
        lo = np.array([c[1] for c in comps])[k]
        hi = np.array([c[2] for c in comps])[k]
        return lo + self.rng.random(n) * (hi - lo)

    def new_persons(self, births: np.ndarray) -> np.ndarray:
        pid = np.arange(self.n_persons, self.n_persons + len(births), dtype=np.int64)
        self.births.append(births.astype(np.int64))
        self.n_persons += len(births)
        return pid

    def birth_of(self, pid: np.ndarray) -> np.ndarray:
        if len(self._all_births) != self.n_persons:
            self._all_births = np.concatenate(self.births)
        return self._all_births[pid]

    def to_dates(self, days: np.ndarray) -> np.ndarray:
        """Day numbers -> datetime64[ns]; after `slut` (not known yet) -> NaT."""
        days = np.asarray(days, np.int64)
        out = days.astype("datetime64[D]").astype("datetime64[ns]")
        out[days > self.slut] = np.datetime64("NaT")
        return out


# --------------------------------------------------------------------------- periods


def _durations(sim: _Sim, g: Group, n: int) -> np.ndarray:
    w = np.array([c.weight for c in g.durations], float)
    k = sim.rng.choice(len(g.durations), size=n, p=w / w.sum())
    lo, mean, shape = (
        np.array([getattr(c, f) for c in g.durations])[k]
        for f in ("min_days", "mean_extra_days", "shape")
    )
    return np.maximum(1, np.round(lo + sim.rng.gamma(shape, mean / shape))).astype(np.int64)


def _finish(sim: _Sim, grp: np.ndarray, start: np.ndarray, birth: np.ndarray) -> dict:
    """End day, afgangsaarsag and Fleksjob hours for new periods (by group)."""
    n = len(grp)
    end = np.zeros(n, np.int64)
    reason = np.zeros(n, np.int64)
    for gi, g in GROUPS.items():
        idx = np.flatnonzero(grp == gi)
        if len(idx):
            days = np.minimum(_durations(sim, g, len(idx)), MAX_DAYS.get(gi, OPEN))
            end[idx] = start[idx] + days - 1
            reason[idx] = sim.choice(g.reasons, len(idx))
    # a little more Job among jobparat leaving during the Jobperronen project
    jp = (grp == KHJ) & np.isin(reason, (SELV, UKENDT))
    jp &= sim.rng.random(n) < 0.5 * sim.trend(end)
    reason[jp] = JOB
    # folkepension at 67: the period ends, nothing follows
    pension = birth + np.int64(67 * Y)
    nofollow = end >= pension
    end = np.minimum(end, pension - 1)
    reason[nofollow] = ANDEN
    timer = np.full(n, np.nan)
    flex = grp == FLX
    timer[flex] = _fleks_timer(sim, int(flex.sum()), frikort=False)
    return {"end": end, "reason": reason, "nofollow": nofollow, "timer": timer}


def _fleks_timer(sim: _Sim, n: int, frikort: bool) -> np.ndarray:
    comps = ((0.15, 2, 5), (0.85, 5.5, 20)) if frikort else ((0.25, 2, 5), (0.75, 5.5, 30))
    return np.round(sim.mixture(comps, n) * 2) / 2


def _arrivals(sim: _Sim) -> _Spells:
    """First periods of people who enter a group (Poisson arrivals, calibrated)."""
    parts = []
    for gi, g in GROUPS.items():
        mean = sum(c.weight * (c.min_days + c.mean_extra_days) for c in g.durations) / sum(
            c.weight for c in g.durations
        )
        # long enough for the long-lived groups (Fleksjob, Førtidspension) that others
        # feed to be in balance; the high-turnover groups need less
        horizon = min(max(4 * mean, (2 if gi in (ADP, SDP, UHU) else 10) * Y), 33 * Y)
        lo = sim.cut - int(horizon)
        rate = g.stock * CAL[gi] * sim.f / mean  # arrivals per day
        n = sim.rng.poisson(rate * (sim.slut - lo + 1))
        start = np.sort(sim.uniform_days(np.full(n, lo), np.full(n, sim.slut)))
        if gi in INFLOW_DROP:
            start = start[sim.rng.random(n) >= INFLOW_DROP[gi] * sim.trend(start)]
            n = len(start)
        age = sim.mixture(g.ages, n)
        birth = start - np.round(age * Y).astype(np.int64)
        grp = np.full(n, gi, np.int64)
        pid = sim.new_persons(birth)
        cols = _finish(sim, grp, start, birth)
        parts.append(_Spells(pid=pid, grp=grp, start=start, frikort=np.zeros(n, bool), **cols))
    return _Spells.concat(parts)


def _frikort_cohort(sim: _Sim) -> tuple[_Spells, dict[str, np.ndarray]]:
    """Young Socialt Frikort holders: the marking and the benefit period around it."""
    rng, ps, f = sim.rng, sim.ps, sim.f
    jan_end = _day(date(2024, 1, 31))
    n_pre = rng.poisson(16 * f)
    n_kick = rng.poisson(50 * f)
    months = max(0.0, (sim.slut - _day(date(2024, 2, 1))) / 30.44)
    n_flow = rng.poisson(3.6 * f * months)
    mstart = np.concatenate(
        [
            sim.uniform_days(np.full(n_pre, _day(date(2022, 9, 1))), np.full(n_pre, ps - 1)),
            sim.uniform_days(np.full(n_kick, ps), np.full(n_kick, jan_end)),
            sim.uniform_days(np.full(n_flow, jan_end + 1), np.full(n_flow, sim.slut)),
        ]
    )
    n = len(mstart)
    mend = mstart + 90 + np.round(rng.gamma(1.3, 440 / 1.3, n)).astype(np.int64)
    outcome = sim.choice(
        {
            A["Job"]: 0.25,
            A["Uddannelse"]: 0.14,
            A["Fleksjob"]: 0.14,
            A["Udviklingsfleksjob"]: 0.10,
            A["Andet"]: 0.37,
        },
        n,
    )
    # the project's first weeks: some holders already on their way into (udviklings)fleksjob
    plant = np.array([A["Fleksjob"], A["Udviklingsfleksjob"], A["Fleksjob"]])
    k = min(len(plant), n_kick)
    idx = n_pre + np.arange(k)
    mstart[idx] = ps + np.arange(k)
    mend[idx] = _day(date(2024, 1, 22)) + np.arange(k)
    outcome[idx] = plant[:k]
    age = rng.uniform(18, 29.9, n)
    birth = mstart - np.round(age * Y).astype(np.int64)
    pid = sim.new_persons(birth)
    grp = sim.choice({UHA: 0.7, RES: 0.15, KHA: 0.15}, n)
    start = mstart - sim.uniform_days(np.full(n, 20), np.full(n, 800))
    start[idx] = mstart[idx] - 200
    ends_with = np.isin(
        outcome, [A[x] for x in ("Job", "Uddannelse", "Fleksjob", "Udviklingsfleksjob")]
    )
    cols = _finish(sim, grp, start, birth)
    end = np.where(ends_with, mend, np.maximum(cols["end"], mend + 30))
    reason = np.where(ends_with, AFSLUTNING_TO_REASON[outcome], cols["reason"])
    cols.update(end=end, reason=reason, nofollow=np.zeros(n, bool))  # 18-29: far from 67
    spells = _Spells(pid=pid, grp=grp, start=start, frikort=np.ones(n, bool), **cols)
    marks = {
        "pid": pid,
        "code": np.full(n, M["SOCIALT-FRIKORT"]),
        "start": mstart,
        "end": mend,
        "afslutning": outcome,
    }
    return spells, marks


def _follow_ups(sim: _Sim, cur: _Spells) -> _Spells:
    """The next period of each person whose period ended (returns and transfers)."""
    rng = sim.rng
    n = len(cur)
    ended = (cur.end < sim.slut) & ~cur.nofollow
    r = cur.reason
    u = rng.random(n)
    to_flex = np.isin(r, (RFLEX, RUDV)) & (u < np.where(cur.frikort, 1.0, 0.9))
    to_ftp = r == RFTP
    anden = (r == ANDEN) & (u < 0.95)
    ret_p = np.array([GROUPS[g].return_chance for g in range(12)])[cur.grp]
    other = np.isin(r, (JOB, UDD, SELV, UKENDT)) & (u < ret_p)
    go = ended & (to_flex | to_ftp | anden | other)
    idx = np.flatnonzero(go)
    if not len(idx):
        return cur.take(idx)
    c = cur.take(idx)
    m = len(idx)
    to_flex, to_ftp, anden, other = to_flex[idx], to_ftp[idx], anden[idx], other[idx]
    grp = np.full(m, FLX, np.int64)
    grp[to_ftp] = FTP
    gap = np.where(
        c.frikort,
        sim.uniform_days(np.ones(m), np.full(m, 6)),
        sim.uniform_days(np.ones(m), np.full(m, 30)),
    )
    gap[to_ftp] = sim.uniform_days(np.ones(int(to_ftp.sum())), np.full(int(to_ftp.sum()), 60))
    for gi, g in GROUPS.items():
        sel = anden & (c.grp == gi)
        if sel.any() and g.next_groups:
            grp[sel] = sim.choice(g.next_groups, int(sel.sum()))
        sel = other & (c.grp == gi)
        if sel.any():
            same = rng.random(int(sel.sum())) < g.same_group_share
            grp[sel] = np.where(same, gi, g.back)
    gap[anden] = sim.uniform_days(np.ones(int(anden.sum())), np.full(int(anden.sum()), 14))
    k = int(other.sum())
    short = rng.random(k) < np.array([GROUPS[g].short_gap_share for g in range(12)])[c.grp[other]]
    long_gap = 29 + np.minimum(np.round(rng.gamma(1.2, 150 / 1.2, k)), 900).astype(np.int64)
    gap[other] = np.where(short, sim.uniform_days(np.full(k, 3), np.full(k, 28)), long_gap)
    start = c.end + gap
    birth = sim.birth_of(c.pid)
    age = (start - birth) / Y
    for uh, kh in UH_TO_KH.items():
        grp[(grp == uh) & (age >= 30)] = kh
    for kh, uh in ((KHJ, UHU), (KHA, UHA)):
        young = (grp == kh) & (age < 30) & (rng.random(m) < 0.5)
        grp[young] = uh
    keep = (start <= sim.slut) & (age < 66.5)
    cols = _finish(sim, grp, start, birth)
    frik_flex = (grp == FLX) & c.frikort
    cols["timer"][frik_flex] = _fleks_timer(sim, int(frik_flex.sum()), frikort=True)
    new = _Spells(pid=c.pid, grp=grp, start=start, frikort=np.zeros(m, bool), **cols)
    # the project's planted early fleksjob holders work more than 5 hours a week
    early = frik_flex & (start <= _day(date(2024, 2, 1))) & (start >= sim.ps)
    new.timer[early] = np.maximum(new.timer[early], 8.0)
    return new.take(np.flatnonzero(keep))


# --------------------------------------------------------------------------- markings


def _marks_on(
    sim: _Sim,
    sp: _Spells,
    mask: np.ndarray,
    code: int,
    delay: tuple[int, int],
    dur: tuple[int, int],
    lo: int,
) -> dict[str, np.ndarray]:
    """A marking within chosen periods: starts `delay` days after max(start, lo)."""
    idx = np.flatnonzero(mask)
    s = np.maximum(sp.start[idx], lo) + sim.uniform_days(
        np.full(len(idx), delay[0]), np.full(len(idx), delay[1])
    )
    ok = (s <= sp.end[idx]) & (s <= sim.slut)
    idx, s = idx[ok], s[ok]
    planned = s + sim.uniform_days(np.full(len(idx), dur[0]), np.full(len(idx), dur[1]))
    e = np.minimum(planned, sp.end[idx])
    afsl = np.where(planned >= sp.end[idx], REASON_TO_AFSLUTNING[sp.reason[idx]], A["Andet"])
    return {
        "pid": sp.pid[idx],
        "code": np.full(len(idx), code),
        "start": s,
        "end": e,
        "afslutning": afsl,
    }


def _pick_by_overlap(sim: _Sim, sp: _Spells, mask: np.ndarray, n: int, lo: int, hi: int):
    """n periods chosen with probability ∝ days inside [lo, hi], and a day in each."""
    s = np.maximum(sp.start, lo)
    e = np.minimum(sp.end, hi)
    w = np.where(mask, np.maximum(e - s + 1, 0), 0).astype(float)
    cand = np.flatnonzero(w > 0)
    n = min(n, len(cand))
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    idx = sim.rng.choice(cand, size=n, replace=False, p=w[cand] / w[cand].sum())
    return idx, sim.uniform_days(s[idx], e[idx])


def _markings(sim: _Sim, sp: _Spells, frikort_marks: dict) -> list[dict]:
    """Every marking: Socialt Frikort, KPIJ, Jobperronen, Flere i job, Kompetenceporten."""
    rng, ps = sim.rng, sim.ps
    age_ps = (np.maximum(sp.start, ps) - sim.birth_of(sp.pid)) / Y
    active_after_ps = sp.end >= ps
    out = [frikort_marks, _kpij_marks(sim, sp)]
    # Jobperronen on jobparat 30+, Flere i job on aktivitetsparat 30+ / ressourceforløb
    jp = (sp.grp == KHJ) & active_after_ps & (age_ps >= 30) & (rng.random(len(sp)) < 0.55)
    out.append(_marks_on(sim, sp, jp, M["JOBPERRONEN"], (0, 45), (60, 240), ps))
    fij = ((sp.grp == RES) | ((sp.grp == KHA) & (age_ps >= 30))) & active_after_ps
    fij &= rng.random(len(sp)) < 0.45
    out.append(_marks_on(sim, sp, fij, M["FLERE-I-JOB"], (0, 60), (90, 365), ps))
    return out + _kompetenceporten_marks(sim, sp)


def _kpij_marks(sim: _Sim, sp: _Spells) -> dict[str, np.ndarray]:
    """Klar, parat – i job: A-dagpenge in their first 3 months (pilot from oct-23)."""
    rng, ps, slut = sim.rng, sim.ps, sim.slut
    pilot = _day(date(2023, 10, 1))
    adp = np.flatnonzero(sp.grp == ADP)
    late = rng.random(len(adp)) < 0.1
    offset = np.where(
        late,
        sim.uniform_days(np.full(len(adp), 95), np.full(len(adp), 200)),
        sim.uniform_days(np.full(len(adp), 7), np.full(len(adp), 80)),
    )
    ref = sp.start[adp] + offset
    p = np.where(ref >= ps, 0.19, 0.16)
    ok = (ref >= pilot) & (ref <= sp.end[adp]) & (ref <= slut) & (rng.random(len(adp)) < p)
    adp, ref = adp[ok], ref[ok]
    planned = ref + sim.uniform_days(np.full(len(adp), 28), np.full(len(adp), 91))
    during = sp.end[adp] <= planned
    e = np.minimum(planned, sp.end[adp])
    afsl = np.where(
        during,
        REASON_TO_AFSLUTNING[sp.reason[adp]],
        np.where(rng.random(len(adp)) < 0.55, A["Job"], A["Andet"]),
    )
    # the pilot's first completers (one to a job, one not) end in the project's first weeks
    pilots = np.flatnonzero((ref < ps - 5) & (e > _day(date(2024, 1, 31))))[:2]
    e[pilots] = _day(date(2024, 1, 15)) + np.arange(len(pilots))
    afsl[pilots] = np.array([A["Job"], A["Andet"]])[: len(pilots)]
    return {
        "pid": sp.pid[adp],
        "code": np.full(len(adp), M["KPIJ-HENVIST"]),
        "start": ref,
        "end": e,
        "afslutning": afsl,
    }


def _kompetenceporten_marks(sim: _Sim, sp: _Spells) -> list[dict[str, np.ndarray]]:
    """Kompetenceporten (ledige and sygemeldte, 1-2 a month, two early outcomes planted)
    and the up-skilled status marking that follows most of them."""
    rng, ps, slut, f = sim.rng, sim.ps, sim.slut, sim.f
    out = []
    months = max(0.0, (slut - ps) / 30.44)
    n_kp = rng.poisson(1.25 * f * months)
    pool = (sp.grp == ADP) | ((sp.grp == SDP) & (rng.random(len(sp)) < 0.5))
    idx, kstart = _pick_by_overlap(sim, sp, pool, n_kp, ps, slut)
    kend = kstart + sim.uniform_days(np.full(len(idx), 45), np.full(len(idx), 240))
    kout = sim.choice(
        {A["Uddannelse"]: 0.32, A["Voksenlære"]: 0.18, A["Job"]: 0.28, A["Andet"]: 0.22}, len(idx)
    )
    jan = _day(date(2024, 1, 31))
    whole_jan = (sp.grp == ADP) & (sp.start <= ps) & (sp.end >= jan)
    early, _ = _pick_by_overlap(sim, sp, whole_jan, 2 if slut > jan else 0, ps, jan)
    estart = ps + np.arange(len(early))
    idx = np.concatenate([early, idx])
    kstart = np.concatenate([estart, kstart])
    kend = np.concatenate([_day(date(2024, 1, 24)) + np.arange(len(early)), kend])
    kout = np.concatenate([np.array([A["Uddannelse"], A["Voksenlære"]])[: len(early)], kout])
    out.append(
        {
            "pid": sp.pid[idx],
            "code": np.full(len(idx), M["KOMPETENCEPORTEN"]),
            "start": kstart,
            "end": kend,
            "afslutning": kout,
        }
    )
    # up-skilled through Kompetenceporten (a status marking without an end)
    up = rng.random(len(idx)) < 0.72
    up[: len(early)] = [True, False][: len(early)]
    ustart = kstart + np.where(
        np.arange(len(idx)) < len(early),
        7,
        sim.uniform_days(np.full(len(idx), 14), np.full(len(idx), 120)),
    )
    up &= ustart <= slut
    out.append(
        {
            "pid": sp.pid[idx][up],
            "code": np.full(int(up.sum()), M["KP-OPKVALIFICERET"]),
            "start": ustart[up],
            "end": np.full(int(up.sum()), OPEN),
            "afslutning": np.full(int(up.sum()), -1),
        }
    )
    return out


# --------------------------------------------------------------------------- offers and hours


def _tilbud(sim: _Sim, sp: _Spells) -> dict[str, np.ndarray]:
    rng = sim.rng
    parts = []
    s = np.maximum(sp.start, sim.cut)
    e = np.minimum(sp.end, sim.slut)
    for gi, rates in TILBUD_RATES.items():
        idx = np.flatnonzero((sp.grp == gi) & (e >= s))
        none = NO_COMPANY_OFFER.get(gi, 0.0)
        company = np.where(rng.random(len(idx)) < none, 0.0, 1.0 / (1.0 - none))
        for t, (r0, r1) in rates.items():
            boost = np.where(sp.frikort[idx], FRIKORT_BOOST.get(t, 1.0), 1.0)
            if t in COMPANY_TYPES:
                boost = boost * company
            rmax = max(r0, r1) * boost
            k = rng.poisson(rmax * (e[idx] - s[idx] + 1) / Y)
            rep = np.repeat(idx, k)
            start = sim.uniform_days(s[rep], e[rep])
            acc = rng.random(len(rep)) * max(r0, r1) < r0 + (r1 - r0) * sim.trend(start)
            rep, start = rep[acc], start[acc]
            lo, hi = TILBUD_DUR[t]
            end = np.minimum(
                start + sim.uniform_days(np.full(len(rep), lo), np.full(len(rep), hi)),
                sp.end[rep],
            )
            parts.append((sp.pid[rep], np.full(len(rep), t), start, end))
    pid, t, start, end = (np.concatenate(x) for x in zip(*parts, strict=True))
    return {"pid": pid, "tilbud": t, "start": start, "end": end}


def _loentimer(sim: _Sim, sp: _Spells) -> dict[str, np.ndarray]:
    rng = sim.rng
    first_month = _month(sim.cut)
    last_month = _month(sim.slut) - 1  # the income register lags: no hours for `slut`'s month
    parts = []
    specs = [(gi, HOURS[gi], (sp.grp == gi) & ~sp.frikort) for gi in HOURS]
    specs.append((-1, FRIKORT_HOURS, sp.frikort))
    for _gi, (share, (p0, p1), weekly), mask in specs:
        idx = np.flatnonzero(mask & (rng.random(len(sp)) < share))
        m0 = np.maximum(_month(sp.start[idx]), first_month)
        m1 = np.minimum(_month(np.minimum(sp.end[idx], sim.slut)), last_month)
        ok = m1 >= m0
        idx, m0, m1 = idx[ok], m0[ok], m1[ok]
        level = sim.mixture(weekly, len(idx))  # weekly hours of the side job
        k = m1 - m0 + 1
        rep = np.repeat(np.arange(len(idx)), k)
        month = m0[rep] + (np.arange(len(rep)) - np.repeat(np.cumsum(k) - k, k))
        p = p0 + (p1 - p0) * sim.trend(_month_day(month))
        has = rng.random(len(rep)) < p
        rep, month = rep[has], month[has]
        weekly_h = level[rep] * rng.uniform(0.8, 1.2, len(rep))
        parts.append((sp.pid[idx][rep], month, weekly_h * 52 / 12))
    # ordinary jobs after leaving for one
    after = np.isin(sp.grp, AFTER_JOB_GROUPS) | ((sp.grp == ADP) & (rng.random(len(sp)) < 0.1))
    idx = np.flatnonzero(after & (sp.reason == JOB) & (sp.end < sim.slut))
    m0 = _month(sp.end[idx])
    m1 = np.minimum(m0 + rng.integers(2, 13, len(idx)), last_month)
    ok = m1 >= m0
    idx, m0, m1 = idx[ok], m0[ok], m1[ok]
    k = m1 - m0 + 1
    rep = np.repeat(np.arange(len(idx)), k)
    month = m0[rep] + (np.arange(len(rep)) - np.repeat(np.cumsum(k) - k, k))
    has = rng.random(len(rep)) < 0.9
    parts.append((sp.pid[idx][rep[has]], month[has], rng.uniform(60, 160, int(has.sum()))))
    pid, month, timer = (np.concatenate(x) for x in zip(*parts, strict=True))
    month_ok = month >= first_month
    pid, month, timer = pid[month_ok], month[month_ok], timer[month_ok]
    # one row per person and month (the model's form): sum
    key = pid * 100_000 + month
    order = np.argsort(key, kind="stable")
    key, timer = key[order], timer[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key[:0]
    uniq = key[first]
    total = np.add.reduceat(timer, first) if len(first) else timer[:0]
    return {"pid": uniq // 100_000, "month": uniq % 100_000, "timer": np.round(total, 2)}


def _companies(sim: _Sim) -> pd.DataFrame:
    rng = sim.rng
    n = max(1, round(44 * sim.f))
    cvr = _cvr_numbers(rng, n)
    names = [
        f"{PLACES[a]} {TRADES[b]} {FORMS[c]}"
        for a, b, c in zip(
            rng.integers(0, len(PLACES), n),
            rng.integers(0, len(TRADES), n),
            rng.integers(0, len(FORMS), n),
            strict=True,
        )
    ]
    # needs assessments from project start, most in 2024, thinning out in 2025
    jan = _day(date(2024, 1, 31))
    u = rng.beta(1.0, 2.2, n)
    behov = sim.ps + 20 + np.round(u * (_day(date(2025, 12, 20)) - sim.ps - 20))
    behov = behov.astype(np.int64)
    k_early = min(n, max(1, round(4 * sim.f)))
    behov[(rng.random(n) < 0.05) & (np.arange(n) >= k_early)] = OPEN  # not assessed
    behov[:k_early] = sim.uniform_days(np.full(k_early, sim.ps), np.full(k_early, jan))
    behov[0] = sim.ps + rng.integers(0, 8)
    wants = rng.random(n) < 0.62
    wants[0] = True
    oensker = behov + sim.uniform_days(np.zeros(n), np.full(n, 150))
    oensker[0] = behov[0] + rng.integers(0, 10)
    oensker = np.where(wants & (behov < OPEN), oensker, OPEN)
    return _frame(
        "virksomheder",
        {
            "cvr": np.array(cvr, dtype=object),
            "navn": np.array(names, dtype=object),
            "behovsafdaekket": sim.to_dates(behov),
            "oensker_kompetenceloeft": sim.to_dates(oensker),
        },
    )


def _run(sim: _Sim) -> Extract:
    """Simulate periods, derive markings, offers, hours and companies, build the tables."""
    sp, frik_marks = _periods(sim)
    marks = _markings(sim, sp, frik_marks)
    tilbud = _tilbud(sim, sp)
    hours = _loentimer(sim, sp)
    companies = _companies(sim)
    cpr, rank = _persons(sim, sp, marks)
    return Extract(
        forloeb=_forloeb_table(sim, sp, cpr, rank),
        markeringer=_markeringer_table(sim, marks, cpr, rank),
        tilbud=_tilbud_table(sim, tilbud, cpr, rank),
        loentimer=_loentimer_table(hours, cpr, rank),
        virksomheder=companies,
        location="syntetisk udtræk (xlstatus.udtraek.generator)",
    )


def _periods(sim: _Sim) -> tuple[_Spells, dict[str, np.ndarray]]:
    """All benefit periods inside the extract's window, and the Socialt Frikort markings."""
    frik, frik_marks = _frikort_cohort(sim)
    gen = _Spells.concat([_arrivals(sim), frik])
    parts = [gen]
    for _ in range(8):
        gen = _follow_ups(sim, gen)
        if not len(gen):
            break
        parts.append(gen)
    sp = _Spells.concat(parts)
    sp = sp.take(np.flatnonzero((sp.start <= sim.slut) & (sp.end >= sim.cut)))
    return sp, frik_marks


# --------------------------------------------------------------------------- tables


def _persons(sim: _Sim, sp: _Spells, marks: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """A CPR number per used person id, and a random order of the ids (rank)."""
    is_used = np.zeros(sim.n_persons, bool)
    for pids in (sp.pid, *(m["pid"] for m in marks)):
        is_used[pids] = True
    used = np.flatnonzero(is_used)
    births = sim.birth_of(used)
    cpr = np.empty(sim.n_persons, dtype=object)
    cpr[used] = _cpr_numbers(sim.rng, births)
    rank = np.empty(sim.n_persons, np.int64)
    rank[used] = sim.rng.permutation(len(used))
    return cpr, rank


def _forloeb_table(sim: _Sim, sp: _Spells, cpr: np.ndarray, rank: np.ndarray) -> pd.DataFrame:
    sp = sp.take(np.lexsort((sp.start, rank[sp.pid])))
    reasons = np.array(AFGANGSAARSAGER, dtype=object)[sp.reason]
    reasons[sp.end > sim.slut] = None
    return _frame(
        "forloeb",
        {
            "cpr": cpr[sp.pid],
            "maalgruppe": np.array(MAALGRUPPER, dtype=object)[sp.grp],
            "startdato": sim.to_dates(sp.start),
            "slutdato": sim.to_dates(sp.end),
            "afgangsaarsag": reasons,
            "foedselsdato": sim.to_dates(sim.birth_of(sp.pid)),
            "timer_pr_uge": sp.timer.astype("float64"),
        },
    )


def _markeringer_table(
    sim: _Sim, marks: list[dict], cpr: np.ndarray, rank: np.ndarray
) -> pd.DataFrame:
    mk = {k: np.concatenate([m[k] for m in marks]) for k in marks[0]}
    mk = {k: v[mk["start"] <= sim.slut] for k, v in mk.items()}
    order = np.lexsort((mk["start"], rank[mk["pid"]]))
    mk = {k: v[order] for k, v in mk.items()}
    afsl = np.array([*AFSLUTNINGER, None], dtype=object)[mk["afslutning"]]
    afsl[(mk["end"] > sim.slut) | (mk["afslutning"] < 0)] = None
    codes = np.array(list(M), dtype=object)[mk["code"]]
    return _frame(
        "markeringer",
        {
            "cpr": cpr[mk["pid"]],
            "markering": codes,
            "startdato": sim.to_dates(mk["start"]),
            "slutdato": sim.to_dates(mk["end"]),
            "afslutning": afsl,
        },
    )


def _tilbud_table(
    sim: _Sim, tilbud: dict[str, np.ndarray], cpr: np.ndarray, rank: np.ndarray
) -> pd.DataFrame:
    order = np.lexsort((tilbud["start"], rank[tilbud["pid"]]))
    tb = {k: v[order] for k, v in tilbud.items()}
    return _frame(
        "tilbud",
        {
            "cpr": cpr[tb["pid"]],
            "tilbud": np.array(TILBUD, dtype=object)[tb["tilbud"]],
            "startdato": sim.to_dates(tb["start"]),
            "slutdato": sim.to_dates(tb["end"]),
        },
    )


def _loentimer_table(
    hours: dict[str, np.ndarray], cpr: np.ndarray, rank: np.ndarray
) -> pd.DataFrame:
    order = np.lexsort((hours["month"], rank[hours["pid"]]))
    hr = {k: v[order] for k, v in hours.items()}
    return _frame(
        "loentimer",
        {
            "cpr": cpr[hr["pid"]],
            "maaned": _month_day(hr["month"]).astype("datetime64[D]").astype("datetime64[ns]"),
            "timer": hr["timer"].astype("float64"),
        },
    )


# --------------------------------------------------------------------------- numbers


def _frame(name: str, cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """A table with exactly the canonical columns and dtypes of `model.empty_table`."""
    out = {}
    for col, (kind, _) in TABLES[name].items():
        values = cols[col]
        if kind in ("date", "month"):
            out[col] = pd.Series(values, dtype="datetime64[ns]", copy=False)
        elif kind == "decimal":
            out[col] = pd.Series(values, dtype="float64", copy=False)
        else:
            out[col] = pd.Series(values, dtype=object, copy=False)
    return pd.DataFrame(out, columns=list(TABLES[name]))


def _month(days: np.ndarray) -> np.ndarray:
    """Day number -> month number (months since 1970-01)."""
    return (
        np.asarray(days, np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    )


def _month_day(months: np.ndarray) -> np.ndarray:
    """Month number -> day number of its first day."""
    return (
        np.asarray(months, np.int64)
        .astype("datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


CPR_WEIGHTS = np.array([4, 3, 2, 7, 6, 5, 4, 3, 2])


def _cpr_numbers(rng: np.random.Generator, births: np.ndarray) -> np.ndarray:
    """Unique synthetic CPR numbers `ddmmyy-xxxx` that fit the birth days.

    The 7th digit follows the CPR office's century table (0-3 for births in 1900-1999,
    4 — then 5-8 when a birthday runs out — for 2000-2036). The check digit makes the
    number pass the modulus-11 test when that is possible; the rest (about 1 in 11, and
    any overflow on a crowded birthday) fail it, as numbers issued since 2007 may.
    """
    n = len(births)
    b = births.astype("datetime64[D]")
    year = b.astype("datetime64[Y]").astype(np.int64) + 1970
    month = b.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (b - b.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    if n and (year.min() < 1900 or year.max() > 2036):
        raise ValueError("fødselsår uden for 1900-2036")
    # k = how many persons before this one share the birthday (in a random order)
    order = np.argsort((births - births.min(initial=0)) * 2**24 + rng.integers(0, 2**24, n))
    sb = births[order]
    new = np.r_[True, sb[1:] != sb[:-1]] if n else np.zeros(0, bool)
    first = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    k = np.empty(n, np.int64)
    k[order] = np.arange(n) - first
    h = (births * 2654435761) % 1000
    modern = year >= 2000
    block = np.where(modern, (h + k * 7919) % 100 + 100 * ((k // 100) % 5), (h + k * 7919) % 400)
    rounds = np.where(modern, k // 500, k // 400)
    if n and rounds.max() > 9:
        raise ValueError("for mange syntetiske personer med samme fødselsdag")
    digits = np.empty((n, 11), np.int64)  # ddmmyy-xxxx
    digits[:, 0], digits[:, 1] = day // 10, day % 10
    digits[:, 2], digits[:, 3] = month // 10, month % 10
    digits[:, 4], digits[:, 5] = (year % 100) // 10, year % 10
    digits[:, 6] = ord("-") - ord("0")
    digits[:, 7] = np.where(modern, 4 + block // 100, block // 100)
    digits[:, 8], digits[:, 9] = (block % 100) // 10, block % 10
    check = (-(digits[:, [0, 1, 2, 3, 4, 5, 7, 8, 9]] @ CPR_WEIGHTS)) % 11
    base = np.where(check == 10, (h // 10) % 10, check)
    digits[:, 10] = (base + rounds) % 10
    text = (digits + ord("0")).astype(np.uint8).tobytes().decode("ascii")
    out = np.empty(n, dtype=object)
    out[:] = [text[i : i + 11] for i in range(0, 11 * n, 11)]
    return out


def _cvr_numbers(rng: np.random.Generator, n: int) -> list[str]:
    """Unique 8-digit CVR numbers that pass the modulus-11 check."""
    weights = np.array([2, 7, 6, 5, 4, 3, 2, 1])
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        d = rng.integers(0, 10, (max(2 * n, 16), 8))
        d[:, 0] = rng.integers(1, 10, len(d))
        d[:, 7] = 0
        d[:, 7] = (-(d @ weights)) % 11
        for digits in d[d[:, 7] < 10]:
            text = "".join(map(str, digits))
            if text not in seen and len(out) < n:
                seen.add(text)
                out.append(text)
    return out


# --------------------------------------------------------------------------- writing


def _csv_frame(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """The table as text, Danish style: dd-mm-yyyy, decimal comma, yyyy-mm months."""
    out = {}
    for col, (kind, _) in TABLES[name].items():
        s = df[col]
        if kind == "date":
            out[col] = s.dt.strftime("%d-%m-%Y").fillna("")
        elif kind == "month":
            out[col] = s.dt.strftime("%Y-%m").fillna("")
        elif kind == "decimal":
            text = s.round(2).astype(str).str.replace(r"\.0$", "", regex=True)
            out[col] = text.str.replace(".", ",", regex=False).where(s.notna(), "")
        else:
            out[col] = s.fillna("").astype(str)
    return pd.DataFrame(out, columns=list(TABLES[name]))


def _write_xlsx(extract: Extract, path: Path) -> None:
    import xlsxwriter

    too_big = [n for n in TABLES if len(extract.table(n)) >= EXCEL_MAX_ROWS]
    if too_big:
        raise ValueError(
            f"tabellen {', '.join(too_big)} har for mange rækker til et Excel-ark "
            f"(højst {EXCEL_MAX_ROWS - 1}); skriv udtrækket som CSV i stedet"
        )
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    excel_epoch = np.datetime64("1899-12-30", "D")
    try:
        for name, spec in TABLES.items():
            df = extract.table(name)
            ws = wb.add_worksheet(name)
            cols = list(spec)
            for j, col in enumerate(cols):
                ws.write_string(0, j, col)
            ws.set_column(0, len(cols) - 1, 14)
            values = []
            for col, (kind, _) in spec.items():
                s = df[col]
                if kind in ("date", "month"):
                    serial = (s.values.astype("datetime64[D]") - excel_epoch).astype(float)
                    serial[s.isna().to_numpy()] = np.nan
                    values.append(("d", serial.tolist()))
                elif kind == "decimal":
                    values.append(("n", s.astype(float).tolist()))
                else:
                    values.append(("s", s.tolist()))
            for i in range(len(df)):
                r = i + 1
                for j, (kind, vals) in enumerate(values):
                    v = vals[i]
                    if v is None or (isinstance(v, float) and v != v):
                        continue
                    if kind == "d":
                        ws.write_number(r, j, v, date_fmt)
                    elif kind == "n":
                        ws.write_number(r, j, v)
                    else:
                        ws.write_string(r, j, str(v))
    finally:
        wb.close()
