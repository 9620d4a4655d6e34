"""The workbook's settings (sheet `Indstillinger`): read and write them. Pure.

The sheet is a two-column table (Indstilling, Værdi) plus an explanation column; each
value cell also has a workbook-level defined name (`xlstatus_maaledag`, …), so formulas,
VBA and the Excel front end can find it. `read_settings` accepts the sheet's rows (or a
mapping name -> value) from any front end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from xlstatus.kerne.errors import Problems, TemplateError, WorkbookError
from xlstatus.kerne.maaltal import Maaltal, Oekonomi, Udgift
from xlstatus.kerne.noegler import spaceless_key
from xlstatus.kerne.status import Tolerance
from xlstatus.plan.celler import (
    HEADING,
    ITALIC,
    Block,
    Look,
    cell_number,
    month_value,
    sheet_ref,
    text_of,
)
from xlstatus.plan.stil import KR_FORMAT, MONTH_FORMAT

SHEET = "Indstillinger"
TABLE_NAME = "Indstillinger"


@dataclass(frozen=True)
class Setting:
    name: str  # defined name
    label: str  # Danish label in column A
    default: object
    number_format: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "xlstatus_maaledag",
        "Måledag",
        1,
        "0",
        "Dag i måneden, der måles på (1-31). Månedskolonnen feb-24 viser status på "
        "denne dag i februar 2024.",
    ),
    Setting(
        "xlstatus_udtraek",
        "Udtræk (mappe eller fil)",
        "",
        "@",
        "Hvor FACIT-udtrækket ligger: en mappe med CSV-filer eller én .xlsx-fil. "
        "Bruges, når Opdater ikke får en anden placering.",
    ),
    Setting(
        "xlstatus_tolerance_spaend",
        "Tolerance (andel af spændet)",
        0.25,
        "0%",
        "Gul (lidt bagud), når værdien højst mangler denne andel af afstanden fra "
        "startmålingen til næste mål …",
    ),
    Setting(
        "xlstatus_tolerance_maal",
        "Tolerance (andel af målet)",
        0.05,
        "0%",
        "… eller højst denne andel af næste mål (den største af de to gælder).",
    ),
    Setting(
        "xlstatus_diskretion",
        "Diskretionsgrænse (antal)",
        5,
        "0",
        "I udvalgets kopi vises antal under grænsen som '.', og en andel, hvis antal "
        "er skjult, skjules også. 0 = ingen diskretion.",
    ),
    Setting(
        "xlstatus_vandringer",
        "Vandringer: målgrupper",
        "",
        "@",
        "Målgrupperne på arket Vandringer, adskilt af semikolon (fx A-dagpenge; "
        "Sygedagpenge). Tom = målgrupperne i de fem skemaer og Sygedagpenge.",
    ),
    Setting(
        "xlstatus_sammenligning",
        "Sammenligning",
        "",
        "@",
        "Mappe med tal fra jobindsats.dk, dets API eller Statistikbanken (fx hentet med "
        "xlstatus sammenligning hent). Opdater fylder arket Sammenligning fra den; tom = "
        "arket røres ikke.",
    ),
    Setting(
        "xlstatus_tillad_gammelt_udtraek",
        "Tillad gammelt udtræk",
        "Nej",
        "@",
        "Ja: Opdater udfylder også en måned, hvis måledato ligger mere end en måned "
        "efter udtrækkets seneste dato. Nej (standard): den stopper og beder om et nyt "
        "udtræk.",
    ),
)
YES = ("ja", "j", "yes", "true", "sand", "1", "x")
NO = ("nej", "n", "no", "false", "falsk", "0", "")
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    maaledag: int = 1
    udtraek: str = ""
    tolerance_spaend: float = 0.25
    tolerance_maal: float = 0.05
    diskretion: int = 5
    vandringer: tuple[str, ...] = ()  # empty: the schemas' groups and Sygedagpenge
    tillad_gammelt_udtraek: bool = False
    sammenligning: str = ""  # the folder of comparison sources ('': leave the sheet)

    @property
    def tolerance(self) -> Tolerance:
        return Tolerance(self.tolerance_spaend, self.tolerance_maal)

    def values(self) -> dict[str, object]:
        """defined name -> value."""
        return {
            "xlstatus_maaledag": self.maaledag,
            "xlstatus_udtraek": self.udtraek,
            "xlstatus_tolerance_spaend": self.tolerance_spaend,
            "xlstatus_tolerance_maal": self.tolerance_maal,
            "xlstatus_diskretion": self.diskretion,
            "xlstatus_vandringer": "; ".join(self.vandringer),
            "xlstatus_tillad_gammelt_udtraek": "Ja" if self.tillad_gammelt_udtraek else "Nej",
            "xlstatus_sammenligning": self.sammenligning,
        }


def settings_rows(settings: Settings = Settings()) -> list[list[object]]:
    """The sheet's table: header and one row per setting (label, value, explanation)."""
    values = settings.values()
    rows: list[list[object]] = [["Indstilling", "Værdi", "Forklaring"]]
    rows += [[s.label, values[s.name], s.help] for s in SETTINGS]
    return rows


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("%", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _share(value: object, label: str, problems: list[str]) -> float | None:
    """0.25, '25 %' or 25 -> 0.25."""
    x = _number(value)
    if x is None or x < 0:
        problems.append(f"'{label}' skal være en procentsats, fx 25 % (fundet: {value!r})")
        return None
    if (isinstance(value, str) and "%" in value) or x > 1:
        x /= 100
    return x


def _groups(value: object, problems: list[str]) -> tuple[str, ...]:
    """'A-dagpenge; sygedagpenge' -> the target group codes in their canonical spelling."""
    from xlstatus.kerne.model import MAALGRUPPER

    known = {spaceless_key(g): g for g in MAALGRUPPER}
    out: list[str] = []
    for part in str(value).replace("\n", ";").split(";"):
        if not part.strip():
            continue
        code = known.get(spaceless_key(part))
        if code is None:
            problems.append(
                f"'Vandringer: målgrupper' kender ikke målgruppen {part.strip()!r} "
                f"(kendte: {', '.join(MAALGRUPPER)})"
            )
        elif code not in out:
            out.append(code)
    return tuple(out)


def read_settings(values: Mapping[str, object] | list[list[object]] | None) -> Settings:
    """Settings from the sheet's rows ([label, value, …]) or a mapping name -> value.

    Missing settings take their default; an invalid one is a WorkbookError in Danish."""
    if not values:
        return Settings()
    found: dict[str, object] = {}
    by_label = {spaceless_key(s.label): s.name for s in SETTINGS}
    if isinstance(values, Mapping):
        for key, v in values.items():
            name = key if key in BY_NAME else by_label.get(spaceless_key(key))
            if name:
                found[name] = v
    else:
        for row in values:
            if len(row) >= 2 and isinstance(row[0], str):
                name = by_label.get(spaceless_key(row[0]))
                if name:
                    found[name] = row[1]
    problems: list[str] = []
    kwargs: dict[str, object] = {}
    if "xlstatus_maaledag" in found and found["xlstatus_maaledag"] not in (None, ""):
        day = _number(found["xlstatus_maaledag"])
        if day is None or not day.is_integer() or not 1 <= day <= 31:
            problems.append(
                f"'Måledag' skal være et helt tal fra 1 til 31 "
                f"(fundet: {found['xlstatus_maaledag']!r})"
            )
        else:
            kwargs["maaledag"] = int(day)
    if found.get("xlstatus_udtraek") not in (None, ""):
        kwargs["udtraek"] = str(found["xlstatus_udtraek"]).strip()
    if found.get("xlstatus_sammenligning") not in (None, ""):
        kwargs["sammenligning"] = str(found["xlstatus_sammenligning"]).strip()
    for name, field in (
        ("xlstatus_tolerance_spaend", "tolerance_spaend"),
        ("xlstatus_tolerance_maal", "tolerance_maal"),
    ):
        if found.get(name) not in (None, ""):
            x = _share(found[name], BY_NAME[name].label, problems)
            if x is not None:
                kwargs[field] = x
    if found.get("xlstatus_diskretion") not in (None, ""):
        n = _number(found["xlstatus_diskretion"])
        if n is None or n < 0 or not n.is_integer():
            problems.append(
                f"'Diskretionsgrænse (antal)' skal være et helt tal ≥ 0 "
                f"(fundet: {found['xlstatus_diskretion']!r})"
            )
        else:
            kwargs["diskretion"] = int(n)
    if found.get("xlstatus_vandringer") not in (None, ""):
        kwargs["vandringer"] = _groups(found["xlstatus_vandringer"], problems)
    allow = found.get("xlstatus_tillad_gammelt_udtraek")
    if allow is not None:
        text = str(allow).strip().lower()
        if allow is True or text in YES:
            kwargs["tillad_gammelt_udtraek"] = True
        elif allow is not False and text not in NO:
            problems.append(f"'Tillad gammelt udtræk' skal være Ja eller Nej (fundet: {allow!r})")
    if problems:
        raise WorkbookError(
            "Arket Indstillinger har ugyldige værdier:\n" + "\n".join(f"  {p}" for p in problems)
        )
    return Settings(**kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- Måltal's prices
# The price table, investment costs and calculation period that the Måltal sheet's formulas
# use, below the settings table, under the defined names `xlstatus_maaltal_*`.

MUST_FILL = "Skal udfyldes af jer"
PLACEHOLDER_NOTE = (
    "PLADSHOLDERTAL: tallene nedenfor er illustrative og ikke kommunens egne. Erstat dem med "
    "jeres priser pr. fuldtidsperson (netto efter statsrefusion) og projekternes udgifter, og "
    "sæt 'Pladsholdertal' til nej."
)

N_PRICES = "xlstatus_maaltal_priser"
N_COSTS = "xlstatus_maaltal_udgifter"
N_START = "xlstatus_maaltal_start"
N_MONTHS = "xlstatus_maaltal_maaneder"
N_RAMP = "xlstatus_maaltal_indfasning"
N_PLACEHOLDER = "xlstatus_maaltal_pladsholder"
SETTING_NAMES = (N_PRICES, N_COSTS, N_START, N_MONTHS, N_RAMP, N_PLACEHOLDER)
INPUT_FILL = "FFCC99"  # Excel's "Input" style
INPUT_COLOR = "3F3F76"
MUST_FILL_FILL = "FFC000"
INPUT_LOOK = Look(color=INPUT_COLOR)


Named = Callable[[str], list[list[object]] | None]


def price_settings_block(
    sheet: str, start_row: int, maaltal: Maaltal
) -> tuple[Block, dict[str, str], int]:
    """The price table, investment costs and calculation period for `Indstillinger` from
    `start_row` down (columns A-D), marked "Skal udfyldes af jer". Returns the cells, the
    defined name -> reference of every cell/range, and the row of the ja/nej choice."""
    b = Block()
    o = maaltal.oekonomi
    r = start_row
    b.put(r, 1, f"Måltal: priser og investeringer – {MUST_FILL}", font=HEADING, fill=MUST_FILL_FILL)
    b.put(r, 2, None, fill=MUST_FILL_FILL)
    b.put(r + 1, 1, PLACEHOLDER_NOTE, font=Look(bold=True, color="9C0006"))
    b.put(r + 2, 1, "Kilde")
    b.put(r + 2, 2, o.kilde or "")
    rows = [
        ("Pladsholdertal (ja/nej)", "ja" if o.pladsholder else "nej", None, N_PLACEHOLDER),
        ("Første måned i beregningen", o.start, MONTH_FORMAT, N_START),
        ("Antal måneder i beregningen", o.maaneder, "0", N_MONTHS),
        ("Indfasning af effekt (måneder)", o.indfasning, "0", N_RAMP),
    ]
    refs: dict[str, str] = {}
    for row, (label, value, fmt, name) in enumerate(rows, r + 3):
        b.put(row, 1, label)
        _input(b, row, 2, value, fmt)
        refs[name] = sheet_ref(sheet, f"B{row}")
    row = r + 8
    b.head(row, ("Gruppe", "Kr. pr. fuldtidsperson pr. år (netto efter refusion)"))
    for i, g in enumerate(maaltal.grupper, row + 1):
        b.put(i, 1, g.navn)
        _input(b, i, 2, o.pris(g.navn), KR_FORMAT)
    refs[N_PRICES] = sheet_ref(sheet, f"A{row + 1}", f"B{max(row + len(maaltal.grupper), row + 1)}")
    refs[N_COSTS], row = _cost_table(b, sheet, row + len(maaltal.grupper) + 2, o.udgifter)
    b.put(
        row + 1,
        1,
        "Tom første måned = beregningens første måned; tomt antal måneder = "
        "hele beregningsperioden. Besparelsen indfases lineært over indfasningen.",
        font=ITALIC,
    )
    return b, refs, r + 3


def _input(b: Block, row: int, col: int, value: object, fmt: str | None = None) -> None:
    """A cell for the user to fill in (Excel's Input style)."""
    b.put(row, col, value, fill=INPUT_FILL, font=INPUT_LOOK)
    if fmt:
        b.style(row, col, number_format=fmt)


def _cost_table(b: Block, sheet: str, row: int, costs: tuple[Udgift, ...]) -> tuple[str, int]:
    """The investment costs from `row` (header) down, with three empty rows for more
    projects; returns the reference of the rows and the last row."""
    b.head(
        row,
        ("Projekt", "Udgift pr. år (kr.)", "Første måned med udgift", "Antal måneder med udgift"),
    )
    first = row + 1
    for u in costs:
        row += 1
        b.put(row, 1, u.projekt)
        for col, value, fmt in (
            (2, u.udgift_pr_aar, KR_FORMAT),
            (3, u.start, MONTH_FORMAT),
            (4, u.maaneder, "0"),
        ):
            _input(b, row, col, value, fmt)
    for _ in range(3):  # room for more projects inside the named range
        row += 1
        for col in range(1, 5):
            _input(b, row, col, None)
        b.style(row, 3, number_format=MONTH_FORMAT)
    return sheet_ref(sheet, f"A{first}", f"D{row}"), row


Named = Callable[[str], list[list[object]] | None]  # a defined name's values


def has_settings(names: set[str] | dict) -> bool:
    return all(name in names for name in SETTING_NAMES)


def read_price_settings(named: Named, fallback: Oekonomi) -> Oekonomi:
    """Prices, costs and period from the `xlstatus_maaltal_*` names (values through
    `named`); a value that is not a number or a month is a TemplateError."""
    problems = Problems()
    where = SHEET

    def number(value: object, label: str) -> float | None:
        try:
            return cell_number(value)
        except ValueError:
            problems.error(f"'{label}' er ikke et tal", file=where, value=value, expected="tal")
            return None

    def month(value: object, label: str) -> date | None:
        try:
            return month_value(value)
        except ValueError:
            problems.error(
                f"'{label}' er ikke en måned",
                file=where,
                value=value,
                expected="en dato eller ÅÅÅÅ-MM",
            )
            return None

    prices: dict[str, float] = {}
    for row in named(N_PRICES) or []:
        name = text_of(row[0])
        if name:
            prices[name] = number(row[1], f"Pris for {name}") or 0.0
    costs = []
    for row in named(N_COSTS) or []:
        project = text_of(row[0])
        if not project:
            continue
        months = number(row[3], f"Antal måneder for {project}") if len(row) > 3 else None
        costs.append(
            Udgift(
                projekt=project,
                udgift_pr_aar=number(row[1], f"Udgift for {project}") or 0.0,
                start=month(row[2], f"Første måned for {project}") if len(row) > 2 else None,
                maaneder=int(months) if months and months > 0 else None,
            )
        )

    def single(name: str) -> object:
        cells = named(name)
        return cells[0][0] if cells and cells[0] else None

    flag = text_of(single(N_PLACEHOLDER)).casefold()
    start = month(single(N_START), "Første måned i beregningen") or fallback.start
    n = number(single(N_MONTHS), "Antal måneder i beregningen")
    ramp = number(single(N_RAMP), "Indfasning af effekt (måneder)")
    problems.raise_if_errors("Arket Indstillinger har fejl i Måltal-priserne", TemplateError)
    return Oekonomi(
        priser=prices,
        udgifter=tuple(costs),
        start=start,
        maaneder=int(n) if n and n >= 1 else fallback.maaneder,
        indfasning=int(ramp) if ramp is not None and ramp >= 0 else fallback.indfasning,
        pladsholder=flag not in ("nej", "n", "no", "false", "0"),
        kilde=fallback.kilde,
    )
