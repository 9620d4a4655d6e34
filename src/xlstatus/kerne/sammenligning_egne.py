"""The municipality's own figures from FACIT beside the published ones (sammenligning.md §5).
Pure.

For months `fra` … `til` (inclusive), måledato = day `maaledag` of the month after `til`,
the extract as of måledato and forløb merged exactly as the engine does (`Snapshot`):

- `varighed_uger` per target group: the forløb whose slutdato lies in the window; `antal`
  = how many, `vaerdi` = their mean duration in weeks ((slutdato − startdato + 1 day) / 7,
  as `indikatorer.varighed`);
- `status_efter` per target group and status category: the afgang of vandringer with the
  same window, each category mapped by `Opsaetning.status_kategori`; `antal` = forløb in
  the category, `vaerdi` = their share of the group's afgang in percent, unrounded.

`egne_tal(extract, fra, til, maaledag, opsaetning) -> Egne`; `Egne.linjer` are in the CSV
order of the spec (target group alphabetical, varighed before status, count descending,
category alphabetical); a group with no ended forløb has no lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from xlstatus.kerne.analyser import AFGANG, vandringer
from xlstatus.kerne.indikatorer import Snapshot
from xlstatus.kerne.model import Extract
from xlstatus.kerne.sammenligning_opsaetning import EGNE_STATUS, EGNE_VARIGHED, Opsaetning
from xlstatus.kerne.tid import add_months, month_index, month_start

EGNE_KOLONNER = ("maalgruppe", "maal", "kategori", "antal", "vaerdi")


@dataclass(frozen=True)
class EgenLinje:
    maalgruppe: str
    maal: str  # EGNE_VARIGHED or EGNE_STATUS
    kategori: str  # "" for varighed
    antal: int
    vaerdi: float


@dataclass(frozen=True)
class Egne:
    fra: date
    til: date
    maaledato: date
    linjer: tuple[EgenLinje, ...]

    def varighed(self, maalgruppe: str) -> EgenLinje | None:
        return next(
            (x for x in self.linjer if x.maal == EGNE_VARIGHED and x.maalgruppe == maalgruppe),
            None,
        )

    def status(self, maalgruppe: str, kategori: str) -> float | None:
        """The share in the category; 0 when the group has afgang but none in it, None when
        the group has no ended forløb."""
        mine = [x for x in self.linjer if x.maal == EGNE_STATUS and x.maalgruppe == maalgruppe]
        if not mine:
            return None
        return next((x.vaerdi for x in mine if x.kategori == kategori), 0.0)

    def afgang(self, maalgruppe: str) -> int:
        return sum(
            x.antal for x in self.linjer if x.maal == EGNE_STATUS and x.maalgruppe == maalgruppe
        )


def window_months(fra: date, til: date) -> int:
    """How many months fra … til holds (inclusive); ValueError when til is before fra."""
    n = month_index(til) - month_index(fra) + 1
    if n < 1:
        raise ValueError(f"--til ({til:%Y-%m}) ligger før --fra ({fra:%Y-%m})")
    return n


def _varighed(snap: Snapshot, n: int) -> dict[str, EgenLinje]:
    first, last = snap.window(n)
    f = snap.forloeb
    ended = f[f["slutdato"].notna() & f["slutdato"].between(first, last)]
    days = (ended["slutdato"] - ended["startdato"]).dt.days + 1
    out = {}
    for g, d in days.groupby(ended["maalgruppe"], sort=True):
        out[str(g)] = EgenLinje(str(g), EGNE_VARIGHED, "", len(d), int(d.sum()) / 7 / len(d))
    return out


def _status(extract: Extract, month: date, maaledag: int, n: int, o: Opsaetning):
    v = vandringer(extract, month, maaledag, n)
    out: dict[str, list[EgenLinje]] = {}
    for g in v.maalgrupper:
        counts: Counter[str] = Counter()
        for k in v.tabel(g, AFGANG):
            counts[o.status_kategori(k.kategori, k.type)] += k.antal
        total = sum(counts.values())
        if not total:
            continue
        ordered = sorted(counts.items(), key=lambda kv: kv[0])
        ordered.sort(key=lambda kv: kv[1], reverse=True)
        out[g] = [EgenLinje(g, EGNE_STATUS, c, a, 100.0 * a / total) for c, a in ordered]
    return out, v.maaledato


def egne_tal(extract: Extract, fra: date, til: date, maaledag: int, o: Opsaetning) -> Egne:
    """Varighed and status efter afsluttet forløb for fra … til (§5)."""
    fra, til = month_start(fra), month_start(til)
    n = window_months(fra, til)
    month = add_months(til, 1)
    snap = Snapshot(extract, month, maaledag)
    varighed = _varighed(snap, n)
    status, maaledato = _status(extract, month, maaledag, n, o)
    linjer: list[EgenLinje] = []
    for g in sorted(set(varighed) | set(status)):
        if g in varighed:
            linjer.append(varighed[g])
        linjer += status.get(g, [])
    return Egne(fra, til, maaledato, tuple(linjer))
