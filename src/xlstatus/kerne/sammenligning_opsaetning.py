"""`sammenligning.toml` (sammenligning.md §4): which comparisons to show and how. Pure: the
text in, an `Opsaetning` out; `skabelonfiler.load_sammenligning()` finds the file (the
municipality's own templates folder replaces the packaged one).

- `Opsaetning`: `eget_omraade`, `omraader` (columns in order), `forskel_mod`, the window of
  the own FACIT figures (`egne_maaneder` whole months before the month, `maaledag`), the
  mapping of vandringer categories to jobindsats' status categories (`status_aarsag`,
  `status_maalgruppe`, `status_ellers`) and `tabeller`.
- `Tabel`: one comparison: `kilde` (table id), `titel`, `maal`, `periode` ("seneste" or a
  code), `linjer` (the groups in display order: a text, with `gruppe_foran` put before
  it, or a table), `lavere_er_bedre`, `enhed`, `decimaler`,
  `omraader` (when the table has its own columns), `egne` ("varighed_uger" or
  "status_efter": the FACIT column), `egen_maalgruppe` (for status_efter) and `periodetype`
  (M, Q, QMAT, Y: what `hent` asks Jobindsats for).
- `Linje`: a row of a table: `vis` (its text), which source rows it takes (`kilde`,
  `gruppe`, `maal`; by default the table's and `vis` itself), `egen_maalgruppe` (the FACIT
  target group of a varighed row).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from xlstatus.kerne.errors import Problems, TemplateError
from xlstatus.kerne.sammenligning import SKILLE

SENESTE = "seneste"
EGNE_VARIGHED, EGNE_STATUS = "varighed_uger", "status_efter"
EGNE_ARTER = (EGNE_VARIGHED, EGNE_STATUS)
STANDARD_MAANEDER = 12
ELLERS = "Andet"


@dataclass(frozen=True)
class Linje:
    vis: str
    kilde: str
    gruppe: str | None  # None: every group of the source (a table without `grupper`)
    maal: str
    egen_maalgruppe: str | None = None


@dataclass(frozen=True)
class Tabel:
    kilde: str
    titel: str
    maal: str
    periode: str = SENESTE
    linjer: tuple[Linje, ...] = ()
    lavere_er_bedre: bool = True
    enhed: str = ""
    decimaler: int = 1
    omraader: tuple[str, ...] = ()
    egne: str | None = None
    egen_maalgruppe: str | None = None
    periodetype: str = "M"  # Jobindsats' period type for `hent`: M, Q, QMAT or Y

    @property
    def kilder(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([self.kilde, *(ln.kilde for ln in self.linjer)]))


@dataclass(frozen=True)
class Opsaetning:
    eget_omraade: str
    omraader: tuple[str, ...]
    forskel_mod: str | None
    tabeller: tuple[Tabel, ...]
    egne_maaneder: int = STANDARD_MAANEDER
    maaledag: int = 1
    status_aarsag: dict[str, str] = field(default_factory=dict)
    status_maalgruppe: dict[str, str] = field(default_factory=dict)
    status_ellers: str = ELLERS

    def status_kategori(self, kategori: str, type_: str) -> str:
        """A vandringer afgang category -> jobindsats' status category (§5's table)."""
        table = self.status_maalgruppe if type_ == "maalgruppe" else self.status_aarsag
        return table.get(kategori, self.status_ellers)


class _Reader:
    def __init__(self, source: str, problems: Problems) -> None:
        self.source, self.problems = source, problems

    def get(self, d: dict, key: str, kind: type | tuple, where: str, default: object = ...):
        if key not in d:
            if default is ...:
                self.problems.error(f"feltet '{key}' mangler", file=self.source, column=where)
            return None if default is ... else default
        value = d[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            self.problems.error(
                f"feltet '{key}' har forkert type", file=self.source, column=where, value=value
            )
            return None if default is ... else default
        return value

    def texts(self, d: dict, key: str, where: str) -> tuple[str, ...]:
        value = self.get(d, key, list, where, [])
        if not all(isinstance(v, str) for v in value):
            self.problems.error(f"'{key}' skal være en liste af tekster", file=self.source,
                                column=where)  # fmt: skip
            return ()
        return tuple(value)

    def mapping(self, d: dict, key: str, where: str) -> dict[str, str]:
        value = self.get(d, key, dict, where, {})
        if not all(isinstance(v, str) for v in value.values()):
            self.problems.error(f"'{key}' skal kun have tekster", file=self.source, column=where)
            return {}
        return dict(value)


def _linje(r: _Reader, item: object, t: dict, where: str) -> Linje | None:
    kilde, maal = str(t.get("kilde", "")), str(t.get("maal", ""))
    foran = str(t.get("gruppe_foran", ""))
    if isinstance(item, str):
        return Linje(item, kilde, f"{foran}{SKILLE}{item}" if foran else item, maal)
    if not isinstance(item, dict):
        r.problems.error("en linje skal være en tekst eller en tabel", file=r.source, column=where)
        return None
    vis = r.get(item, "vis", str, where)
    if vis is None:
        return None
    return Linje(
        vis,
        r.get(item, "kilde", str, where, kilde),
        r.get(item, "gruppe", str, where, vis),
        r.get(item, "maal", str, where, maal),
        r.get(item, "egen_maalgruppe", str, where, None),
    )


def _tabel(r: _Reader, t: dict, n: int) -> Tabel | None:
    where = f"tabel {n}"
    kilde, titel, maal = (r.get(t, k, str, where) for k in ("kilde", "titel", "maal"))
    egne = r.get(t, "egne", str, where, None)
    if egne is not None and egne not in EGNE_ARTER:
        r.problems.error("ukendt 'egne'", file=r.source, column=where, value=egne,
                         expected=" eller ".join(EGNE_ARTER))  # fmt: skip
    items = r.get(t, "grupper", list, where, [])
    linjer = [_linje(r, item, t, where) for item in items]
    if kilde is None or titel is None or maal is None or None in linjer:
        return None
    if not linjer:
        linjer = [Linje("", kilde, None, maal)]
    return Tabel(
        kilde,
        titel,
        maal,
        r.get(t, "periode", str, where, SENESTE),
        tuple(ln for ln in linjer if ln is not None),
        r.get(t, "lavere_er_bedre", bool, where, True),
        r.get(t, "enhed", str, where, ""),
        r.get(t, "decimaler", int, where, 1),
        r.texts(t, "omraader", where),
        egne,
        r.get(t, "egen_maalgruppe", str, where, None),
        r.get(t, "periodetype", str, where, "M"),
    )


def parse_opsaetning(text: str, source: str = "sammenligning.toml") -> Opsaetning:
    """The configuration; every problem in it at once (TemplateError naming the file)."""
    problems = Problems()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.error(f"filen er ikke gyldig TOML ({exc})", file=source)
        problems.raise_if_errors("Sammenligningens opsætning har fejl", TemplateError)
    r = _Reader(source, problems)
    eget = r.get(data, "eget_omraade", str, "eget_omraade")
    egne = r.get(data, "egne", dict, "egne", {})
    status = r.get(data, "status_efter", dict, "status_efter", {})
    items = r.get(data, "tabel", list, "tabel", [])
    tabeller = [_tabel(r, t, n) for n, t in enumerate(items, 1) if isinstance(t, dict)]
    maaneder = r.get(egne, "maaneder", int, "egne", STANDARD_MAANEDER)
    maaledag = r.get(egne, "maaledag", int, "egne", 1)
    if not 1 <= maaneder <= 120 or not 1 <= maaledag <= 31:
        problems.error("egne.maaneder skal være 1–120 og egne.maaledag 1–31", file=source)
    problems.raise_if_errors("Sammenligningens opsætning har fejl", TemplateError)
    return Opsaetning(
        eget or "",
        r.texts(data, "omraader", "omraader"),
        r.get(data, "forskel_mod", str, "forskel_mod", None),
        tuple(t for t in tabeller if t is not None),
        maaneder,
        maaledag,
        r.mapping(status, "aarsag", "status_efter"),
        r.mapping(status, "maalgruppe", "status_efter"),
        r.get(status, "ellers", str, "status_efter", ELLERS),
    )
