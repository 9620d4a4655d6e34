"""Danish texts of the committee copy. Pure."""

from __future__ import annotations

from datetime import date

from xlstatus.kerne.tid import month_label
from xlstatus.plan.tekster import OVERBLIK, VANDRINGER

COMMITTEE = "Udvalget for Beskæftigelse"
ABOUT_SHEET = "Om tallene"
MAALTAL_MISSING = (
    "Måltal: priser og økonomi er ikke med i kopien, fordi arkets formler ikke er regnet "
    "ud (gem arbejdsbogen i Excel, eller installer LibreOffice)."
)
MAALTAL_TABLE_MISSING = (
    "Tabellen bygger på priser og udgifter fra arket Indstillinger og er ikke regnet ud i "
    "denne kopi (gem arbejdsbogen i Excel for at få den med)."
)
ABOUT_TITLE = "Statusskemaer for investeringsprojekterne – kopi til udvalget"
CHART_PREFIX = "Grafer – "
FOOTER_LEFT = "Kopi til udvalget – uden personoplysninger"
CHART_HEADING = "Tallene bag graferne (som i skemaet; '.' og tomme måneder vises ikke)"
SERIES = ("Faktisk", "Forventet", "Mindste mål")


def chart_sheet_name(sheet: str) -> str:
    return (CHART_PREFIX + sheet)[:31]


def file_stem(stem: str, month: date) -> str:
    return f"{stem}_udvalg_{month:%Y-%m}"


def month_line(month: date, maaledag: int, data_date: date | None) -> str:
    text = f"Måling: {month_label(month)} (status primo måneden, måledag {maaledag})."
    if data_date is not None:
        text += f" Udtrækkets seneste dato: {data_date:%d-%m-%Y}."
    return text


def header_right(month: date, data_date: date | None) -> str:
    text = f"Måling {month_label(month)}"
    if data_date is not None:
        text += f" · data pr. {data_date:%d-%m-%Y}"
    return text


def folded_line(shown: int, chart_sheet: str | None) -> str:
    text = (
        f"Skemaet viser startmålingen, de seneste {shown} måneder og målene. Tidligere "
        "måneder er foldet sammen (klik + over kolonnerne for at se dem)"
    )
    if chart_sheet:
        text += f"; alle måneder står på arket '{chart_sheet}'"
    return text + "."


def shown_months_line(shown: int, chart_sheet: str | None) -> str:
    """Under a schema whose page shows only the latest months."""
    text = f"Skemaet viser startmålingen, de seneste {shown} måneder og målene."
    if chart_sheet:
        text += f" Alle måneder står i graferne på siden '{chart_sheet}'."
    return text


def empty_chart_line(title: str) -> str:
    """Instead of a chart whose values are all hidden or missing."""
    return f"{title}: ingen graf, fordi alle tallene er skjult af diskretionshensyn eller mangler."


def other_month(have: date, want: date) -> str:
    """The copy stops: the workbook's analyses belong to another month."""
    return (
        f"Udvalgets kopi er ikke lavet: Overblik, Vandringer og kolonnen Prognose er "
        f"beregnet for {month_label(have)}, men kopien er for {month_label(want)}, og "
        "udtrækket kan ikke læses. Klik Opdater for "
        f"{month_label(want)} først (eller angiv udtrækket: xlstatus udvalg ARBEJDSBOG "
        "--udtraek STI)."
    )


def recomputed_line(have: date, want: date) -> str:
    return (
        f"Overblik, Vandringer og kolonnen Prognose var beregnet for {month_label(have)}; "
        f"i kopien er de beregnet for {month_label(want)} fra udtrækket."
    )


def suppression_line(threshold: int) -> str:
    return (
        f"'.' = færre end {threshold} personer (diskretion). En andel, hvis antal er "
        "skjult, er også skjult, og kan et skjult tal regnes ud fra en vist sum, er et "
        "tal mere i summen skjult."
    )


def chart_pointer(sheet: str) -> str:
    return f"Grafer for rækkerne med mål: se arket '{sheet}'."


def chart_sheet_intro(threshold: int) -> str:
    text = (
        "Søjler: faktisk værdi pr. måned (farvet efter status: grøn på sporet, gul lidt "
        "bagud, rød bagud). Stiplet linje: forventet niveau. Sorte ruder: mindste mål."
    )
    if threshold > 0:
        text += " Skjulte tal ('.') er udeladt."
    return text


Line = tuple[str, str]  # (kind, text): kind 'title', 'h', 'status:<s>' or ''


def about_lines(
    month: date,
    maaledag: int,
    data_date: date | None,
    threshold: int,
    sheets: list[str],
    made: date,
) -> list[Line]:
    """(kind, text) of the sheet 'Om tallene': kind 'title', 'h', 'status:<s>' or ''."""
    lines = _about_intro(month, maaledag, data_date, made)
    lines += _about_diskretion(threshold)
    if OVERBLIK in sheets or VANDRINGER in sheets:
        lines += _about_analyses()
    return lines + _about_contents(sheets)


def _about_intro(month: date, maaledag: int, data_date: date | None, made: date) -> list[Line]:
    """The title, the month and how to read the schemas."""
    return [
        ("title", ABOUT_TITLE),
        ("", month_line(month, maaledag, data_date)),
        (
            "",
            f"Kopien er lavet {made:%d-%m-%Y} med xlstatus ud fra arbejdsbogens tal. Den "
            "indeholder kun tal og tekst – ingen formler, makroer eller rådata.",
        ),
        ("", ""),
        ("h", "Sådan læser du skemaerne"),
        (
            "",
            "Hver månedskolonne viser status primo måneden. Startmåling og mindste mål står "
            "i deres egne kolonner. Et antal og en andel skrives som 17 (17 pct.); '–' "
            "betyder, at der ikke er nogen at regne andelen af.",
        ),
        ("status:groen", "✔ På sporet: værdien når det forventede niveau."),
        ("status:gul", "● Lidt bagud: værdien mangler højst tolerancen."),
        ("status:roed", "✖ Bagud: værdien mangler mere end tolerancen."),
        (
            "",
            "Det forventede niveau er en lige linje fra startmålingen til næste mindste "
            "mål. Symbolet foran tallet viser status, også ved udskrift i sort-hvid.",
        ),
    ]


def _about_diskretion(threshold: int) -> list[Line]:
    lines: list[Line] = [("", ""), ("h", "Diskretion")]
    if threshold <= 0:
        return [
            *lines,
            ("", "Arbejdsbogen er sat til ikke at skjule små tal (diskretionsgrænse 0)."),
        ]
    return [
        *lines,
        (
            "",
            f"Antal under {threshold} personer vises som '.'. En andel, hvis antal er "
            f"skjult, er også skjult, og en andel af færre end {threshold} personer "
            "vises ikke.",
        ),
        (
            "",
            "Kan et skjult tal regnes ud fra en sum, der vises (kontaktforløb i "
            "jobcentret + i a-kassen = alle a-dagpengemodtagere; løntimer fordelt på "
            "timer pr. uge = alle med løntimer), er også et andet tal i summen skjult.",
        ),
        (
            "",
            "Antal virksomheder og tal, der er skrevet ind af en medarbejder, er ikke omfattet.",
        ),
    ]


def _about_analyses() -> list[Line]:
    return [
        ("", ""),
        ("h", "Tidlig varsling og vandringer"),
        (
            "",
            "Prognose: en ret linje gennem rækkens værdier de seneste 6 måneder, aflæst "
            "ved næste mindste mål (✔ nås, ✖ nås ikke). Overblik viser rækkerne, der ikke "
            "når målet, den største mangel først. En prognose for et skjult tal er skjult.",
        ),
        (
            "",
            "Vandringer: hvor forløbene i hver målgruppe kom fra, og hvor de gik hen, de "
            "seneste 14 hele måneder. Tallene tæller forløb, ikke personer; små tal er "
            "skjult som i skemaerne.",
        ),
    ]


def _about_contents(sheets: list[str]) -> list[Line]:
    return [
        ("", ""),
        ("h", "Indhold"),
        ("", " · ".join(sheets)),
        (
            "",
            "Kopien indeholder kun optællinger – ingen CPR-numre eller andre "
            "personoplysninger. Noter, som medarbejdere har skrevet i arbejdsbogen, er "
            "ikke med.",
        ),
    ]


__all__ = [
    "ABOUT_SHEET",
    "ABOUT_TITLE",
    "CHART_PREFIX",
    "COMMITTEE",
    "FOOTER_LEFT",
    "MAALTAL_MISSING",
    "MAALTAL_TABLE_MISSING",
    "SERIES",
    "about_lines",
    "chart_pointer",
    "chart_sheet_name",
    "empty_chart_line",
    "file_stem",
    "folded_line",
    "header_right",
    "month_line",
    "other_month",
    "recomputed_line",
    "shown_months_line",
    "suppression_line",
]
