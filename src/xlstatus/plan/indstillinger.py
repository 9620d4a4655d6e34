"""The workbook's settings (sheet `Indstillinger`): read and write them. Pure.

The sheet is a two-column table (Indstilling, Værdi) plus an explanation column; each
value cell also has a workbook-level defined name (`xlstatus_maaledag`, …), so formulas,
VBA and the Excel front end can find it. `read_settings` accepts the sheet's rows (or a
mapping name -> value) from any front end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.status import Tolerance
from xlstatus.plan.layout import label_key

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

    known = {label_key(g): g for g in MAALGRUPPER}
    out: list[str] = []
    for part in str(value).replace("\n", ";").split(";"):
        if not part.strip():
            continue
        code = known.get(label_key(part))
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
    by_label = {label_key(s.label): s.name for s in SETTINGS}
    if isinstance(values, Mapping):
        for key, v in values.items():
            name = key if key in BY_NAME else by_label.get(label_key(key))
            if name:
                found[name] = v
    else:
        for row in values:
            if len(row) >= 2 and isinstance(row[0], str):
                name = by_label.get(label_key(row[0]))
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
