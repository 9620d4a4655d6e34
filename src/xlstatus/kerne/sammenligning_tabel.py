"""The comparison tables as people read them (sammenligning.md §6), from the tidy rows, the
configuration and the own FACIT figures. Pure; the Sammenligning sheet (`plan.sammenligning`)
and the committee copy show these.

`byg_tabeller(rows, opsaetning, egne=None) -> list[Sammenligningstabel]`: one per
`[[tabel]]` – its groups as rows, the areas as columns (configured order, the own area after
Hele landet and the RAR areas unless listed), `Forskel` = own area − `forskel_mod`, the own
FACIT column where the table has one, the source and period, and Danish sentences about
the largest differences ("Hedensted ligger 379 kr. under Hele landet, …").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from xlstatus.kerne.formatering import number_da
from xlstatus.kerne.noegler import spaced_key
from xlstatus.kerne.sammenligning import Raekke
from xlstatus.kerne.sammenligning_egne import Egne
from xlstatus.kerne.sammenligning_opsaetning import (
    EGNE_STATUS,
    EGNE_VARIGHED,
    SENESTE,
    Linje,
    Opsaetning,
    Tabel,
)
from xlstatus.kerne.tid import month_label

FORSKEL = "Forskel"
EPS = 1e-9


@dataclass(frozen=True)
class TabelLinje:
    tekst: str
    vaerdier: tuple[float | None, ...]  # per area, in `omraader` order
    forskel: float | None = None
    egen: float | None = None


@dataclass(frozen=True)
class Sammenligningstabel:
    tabel: Tabel
    omraader: tuple[str, ...]
    eget: int | None  # the own area's column index in `omraader`
    forskel_mod: str | None  # the Forskel column's other area (None: no Forskel column)
    perioder: tuple[str, ...]
    linjer: tuple[TabelLinje, ...]
    egen_overskrift: str | None  # the FACIT column's header (None: no such column)
    kilde_tekst: str
    egne_tekst: str
    saetninger: tuple[str, ...]

    @property
    def titel(self) -> str:
        return self.tabel.titel


def area_key(name: str) -> str:
    """Areas compare as texts do (`spaced_key`) and without a trailing ' Kommune'."""
    return spaced_key(name).removesuffix(" kommune")


def columns_for(t: Tabel, o: Opsaetning) -> tuple[str, ...]:
    """The table's areas in order, the own area placed after Hele landet/RAR when missing."""
    areas = list(t.omraader or o.omraader)
    if o.eget_omraade and area_key(o.eget_omraade) not in {area_key(a) for a in areas}:
        at = 0
        while at < len(areas) and (
            area_key(areas[at]) == "hele landet" or area_key(areas[at]).startswith("rar ")
        ):
            at += 1
        areas.insert(at, o.eget_omraade)
    return tuple(areas)


def _source_rows(rows: Sequence[Raekke], kilde: str, maal: str) -> list[Raekke]:
    k, m = kilde.casefold(), spaced_key(maal)
    return [
        r
        for r in rows
        if (r.kilde.casefold() == k or r.kilde.rsplit(".", 1)[0].casefold() == k)
        and spaced_key(r.maal) == m
    ]


def _period(mine: Sequence[Raekke], periode: str) -> str | None:
    if periode != SENESTE:
        return periode
    return max((r.periode for r in mine), default=None)


def _expand(t: Tabel, rows: Sequence[Raekke]) -> list[Linje]:
    """A table without groups: every group of its source, in source order."""
    out: list[Linje] = []
    for ln in t.linjer:
        if ln.gruppe is not None:
            out.append(ln)
            continue
        mine = _source_rows(rows, ln.kilde, ln.maal)
        groups = dict.fromkeys(r.gruppe for r in mine)
        out += [Linje(g or ln.maal, ln.kilde, g, ln.maal) for g in groups]
    return out


def _egen(t: Tabel, ln: Linje, egne: Egne | None) -> float | None:
    if egne is None:
        return None
    if t.egne == EGNE_VARIGHED and ln.egen_maalgruppe:
        x = egne.varighed(ln.egen_maalgruppe)
        return None if x is None else x.vaerdi
    if t.egne == EGNE_STATUS and t.egen_maalgruppe:
        return egne.status(t.egen_maalgruppe, ln.vis)
    return None


def _line(t, ln, rows, areas, eget, mod, egne, perioder) -> TabelLinje:
    mine = _source_rows(rows, ln.kilde, ln.maal)
    period = _period(mine, t.periode)
    if period is not None and period not in perioder:
        perioder.append(period)
    g = spaced_key(ln.gruppe)
    found = {
        area_key(r.omraade): r.vaerdi
        for r in mine
        if r.periode == period and spaced_key(r.gruppe) == g
    }
    values = tuple(found.get(area_key(a)) for a in areas)
    forskel = None
    if eget is not None and mod is not None:
        a, b = values[eget], values[mod]
        forskel = None if a is None or b is None else a - b
    return TabelLinje(ln.vis, values, forskel, _egen(t, ln, egne))


def _unit(t: Tabel) -> str:
    return "pct.-point" if t.enhed == "pct." else t.enhed


def forskel_tekst(t: Tabel, diff: float) -> str:
    """'379 kr. under', '0,7 pct.-point over', 'på niveau med' (rounded as the table)."""
    rounded = round(abs(diff), t.decimaler)
    if rounded < EPS:
        return "på niveau med"
    unit = _unit(t)
    amount = number_da(rounded, t.decimaler) + (f" {unit}" if unit else "")
    return f"{amount} {'under' if diff < 0 else 'over'}"


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def saetninger(tab: Sammenligningstabel, eget_navn: str) -> tuple[str, ...]:
    """Danish sentences: the first row against every area, then the largest differences
    against the Forskel area."""
    if tab.eget is None or not tab.linjer or not tab.tabel.enhed:
        return ()  # counts (no unit) of areas of different size are not compared
    out = []
    first = tab.linjer[0]
    own = first.vaerdier[tab.eget]
    if own is not None:
        parts = [
            f"{forskel_tekst(tab.tabel, own - v)} {a}"
            for i, (a, v) in enumerate(zip(tab.omraader, first.vaerdier, strict=True))
            if i != tab.eget and v is not None
        ]
        if parts:
            what = f" ({first.tekst})" if first.tekst else ""
            out.append(f"{eget_navn} ligger {_join(parts)}{what}.")
    rest = [ln for ln in tab.linjer[1:] if ln.forskel is not None and abs(ln.forskel) >= EPS]
    rest.sort(key=lambda ln: abs(ln.forskel or 0.0), reverse=True)
    if rest and tab.forskel_mod:
        big = rest[0]
        out.append(
            f"Den største forskel til {tab.forskel_mod} er {big.tekst}: {eget_navn} ligger "
            f"{forskel_tekst(tab.tabel, big.forskel or 0.0)}."
        )
        if len(rest) > 1:
            nxt = rest[1]
            out.append(f"Dernæst {nxt.tekst}: {forskel_tekst(tab.tabel, nxt.forskel or 0.0)}.")
    return tuple(out)


def _texts(t: Tabel, perioder: Sequence[str], egne: Egne | None) -> tuple[str, str]:
    site = "Statistikbanken" if t.kilde.isupper() else "jobindsats.dk"
    period = ", ".join(perioder) if perioder else "ingen data"
    kilde = f"Kilde: {site}, {', '.join(t.kilder)}. Periode: {period}."
    if t.lavere_er_bedre is not None and t.enhed:
        kilde += " Lavere er bedre." if t.lavere_er_bedre else " Højere er bedre."
    egne_tekst = ""
    if t.egne and egne is not None:
        span = f"{month_label(egne.fra)} – {month_label(egne.til)}"
        if t.egne == EGNE_VARIGHED:
            egne_tekst = (
                f"Egne tal fra FACIT: gennemsnitlig varighed i uger af forløb, der sluttede "
                f"{span} (opgjort pr. {egne.maaledato:%d-%m-%Y})."
            )
        else:
            egne_tekst = (
                f"Egne tal fra FACIT: forløb, der sluttede {span}, efter næste målgruppe "
                "inden for en måned, ellers afgangsårsagen – kommunens egen optælling, ikke "
                f"jobindsats' måling (opgjort pr. {egne.maaledato:%d-%m-%Y})."
            )
    return kilde, egne_tekst


def byg_tabel(
    t: Tabel, rows: Sequence[Raekke], o: Opsaetning, egne: Egne | None = None
) -> Sammenligningstabel:
    areas = columns_for(t, o)
    keys = [area_key(a) for a in areas]
    eget = keys.index(area_key(o.eget_omraade)) if o.eget_omraade else None
    mod_name = o.forskel_mod if o.forskel_mod and area_key(o.forskel_mod) in keys else None
    mod = keys.index(area_key(mod_name)) if mod_name else None
    perioder: list[str] = []
    linjer = tuple(_line(t, ln, rows, areas, eget, mod, egne, perioder) for ln in _expand(t, rows))
    header = None
    if t.egne and egne is not None:
        header = f"{o.eget_omraade}, egne tal (FACIT)"
    kilde, egne_tekst = _texts(t, perioder, egne)
    tab = Sammenligningstabel(
        t, areas, eget, mod_name, tuple(perioder), linjer, header, kilde, egne_tekst, ()
    )
    return replace(tab, saetninger=saetninger(tab, o.eget_omraade))


def byg_tabeller(
    rows: Sequence[Raekke], o: Opsaetning, egne: Egne | None = None
) -> list[Sammenligningstabel]:
    """Every configured comparison."""
    return [byg_tabel(t, rows, o, egne) for t in o.tabeller]
