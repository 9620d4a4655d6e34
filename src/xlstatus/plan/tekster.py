"""Danish texts of the workbook: legend, notes, guide. Pure."""

from __future__ import annotations

import re
from datetime import date

from xlstatus.kerne.formatering import number_da, pct_da
from xlstatus.kerne.skema import Row
from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT, Assessment
from xlstatus.kerne.tid import month_label

NOTE_AUTHOR = "xlstatus"

# sheet names
DATA = "Data"
LOG = "Log"
RECORD = "_xlstatus"
SETTINGS = "Indstillinger"
GUIDE = "Vejledning"
MAALTAL = "Måltal"
OVERBLIK = "Overblik"
VANDRINGER = "Vandringer"
SAMMENLIGNING = "Sammenligning"
SAMMENLIGNING_UROERT = (
    "Arket Sammenligning er ikke ændret: der står ingen mappe i rækken 'Sammenligning' på "
    "arket Indstillinger."
)
SYSTEM_SHEETS = (MAALTAL, OVERBLIK, VANDRINGER, SAMMENLIGNING, DATA, LOG, SETTINGS, GUIDE, RECORD)
DATA_TABLE = "Statusdata"

VANDRINGER_TITLE = "Vandringer – hvor kommer borgerne fra, og hvor går de hen?"
VANDRINGER_EXPLAIN = (
    "Kom fra: forløb i målgruppen, der startede i vinduet, efter den målgruppe, borgeren "
    "var i før (et forløb, der stadig var åbent eller sluttede højst 12 måneder før "
    "starten; det senest startede).",
    "Ingen: borgeren havde ikke noget andet forløb i udtrækket før – typisk job, "
    "uddannelse, tilflytning eller ingen ydelse.",
    "Gik til: forløb i målgruppen, der sluttede i vinduet, efter den målgruppe, borgeren "
    "startede i højst en måned efter slut; ellers afgangsårsagen fra FACIT (Ukendt, når "
    "den mangler).",
    "Andel: kategoriens andel af alle forløb i tabellen. Flere end otte kategorier: de "
    "mindste er lagt sammen i Øvrige. Arket skrives om ved hver Opdater.",
)
VANDRINGER_HEADERS = {
    "tilgang": ("Kom fra", "Antal", "Andel"),
    "afgang": ("Gik til", "Antal", "Andel"),
}
VANDRINGER_EMPTY = "Ingen forløb i vinduet"
OVERBLIK_TITLE = "Overblik – tidlig varsling"
OVERBLIK_EXPLAIN = (
    "Tidlig varsling: rækkerne, der med udviklingen de seneste måneder ikke når deres "
    "næste mindste mål – den største mangel (i procent af målet) først.",
    "Prognosen er en ret linje gennem rækkens værdier de seneste 6 måneder (mindst 3), "
    "aflæst i målets måned. Se også kolonnen Prognose på hvert projektark.",
)
OVERBLIK_HEADERS = ("Projekt", "Række", "Næste mål", "Mål", "Fremskrevet", "Mangler", "Målet nås")
OVERBLIK_NONE = "Ingen rækker forventes at misse deres næste mål."
PROGNOSE_HEADER = "Prognose (næste mål)"

LEGEND_TITLE = "Forklaring:"
LEGEND_LINES = (
    "Farve og symbol viser status mod det forventede niveau:",
    "en lige linje fra startmålingen til næste mindste mål.",
    "Hold musen over en farvet celle for forventet værdi og næste mål.",
    "Ingen farve: ingen værdi eller intet mål.",
)
NOT_UPDATED = "Seneste måling: endnu ikke opdateret – kør Opdater."
NO_CHART = (
    "Diagrammet mangler: arket er lavet fra Excel, og Excel-knappen tegner ikke "
    "diagrammer. Slet arket Vandringer og kør xlstatus opdater for at få dem."
)
ANALYSES_BEFORE = (MAALTAL, DATA, LOG, SETTINGS, GUIDE)  # Overblik/Vandringer go before these

# the area where the project lead types the month's text (Opdater never writes there)
NOTES_TITLE = "Status og bemærkninger"
NOTES_HINT = (
    "Skriv månedens status og bemærkninger i rækkerne herunder. Opdater ændrer "
    "dem aldrig; udvalgets kopi viser dem under skemaet."
)


def info_text(latest: date | None, maaledag: int, data_date: date | None) -> str:
    """The line that states the measurement month and the data date."""
    if latest is None:
        return NOT_UPDATED
    text = f"Seneste måling: {month_label(latest)} (måledag {maaledag})."
    if data_date is not None:
        text += f" Udtrækkets seneste dato: {data_date:%d-%m-%Y}."
    return text


def value_text(row: Row, value: float | None) -> str:
    """A compared value (count, share or weeks) the Danish way, for notes."""
    if value is None:
        return "–"
    if row.fmt in ("andel", "antal_andel"):
        return pct_da(value, 0 if float(value).is_integer() else 1)
    if row.fmt == "uger":
        return number_da(value, 1)
    return number_da(value, 0 if float(value).is_integer() else 1)


def status_note(row: Row, month: date, a: Assessment, last_target_month: date | None) -> str:
    """The note of a coloured month cell: status, expected value, next milestone."""
    if a.status is None:
        return ""
    lines = [f"{STATUS_SYMBOL[a.status]} {STATUS_TEXT[a.status]} ({month_label(month)})"]
    word = "mindst" if row.direction == "højere" else "højst"
    lines.append(f"Forventet: {word} {value_text(row, a.expected)}")
    if a.next_target is not None and a.next_target_month is not None:
        if last_target_month is not None and month > last_target_month:
            lines.append(
                f"Sidste mål: {value_text(row, a.next_target)} ({month_label(a.next_target_month)})"
            )
        else:
            lines.append(
                f"Næste mål: {value_text(row, a.next_target)} i {month_label(a.next_target_month)}"
            )
    if a.tolerance is not None:
        lines.append(f"Lidt bagud: op til {value_text(row, a.tolerance)} fra det forventede")
    return "\n".join(lines)


_OWN_NOTE = re.compile(
    r"^(?:[✔●✖] (?:På sporet|Lidt bagud|Bagud) \(\w{3}-\d{2}\)\nForventet: "
    r"|Værdien er indtastet af en person|Prognose: )"
)


def is_own_note(text: str, author: str) -> bool:
    """A note xlstatus wrote: by its author, or – where the client cannot set an author
    (Office.js: xlwings Server and Lite) – by the shape of its text."""
    return author == NOTE_AUTHOR or bool(_OWN_NOTE.match(text or ""))


def person_note(computed: str) -> str:
    return (
        f"Værdien er indtastet af en person og er ikke overskrevet. xlstatus beregnede: {computed}."
    )


GUIDE_LINES: list[tuple[str, str]] = [
    ("title", "Vejledning – statusskemaer for investeringsprojekterne"),
    ("", ""),
    ("h", "Sådan opdaterer du en måned"),
    (
        "",
        "1. Læg månedens FACIT-udtræk i mappen, der står på arket Indstillinger "
        "(eller angiv stien, når du opdaterer).",
    ),
    ("", "2. Klik Opdater i Excel – eller kør på kommandolinjen:"),
    ("code", "xlstatus opdater Statusskema.xlsx --udtraek STI --maaned ÅÅÅÅ-MM"),
    (
        "",
        "3. Månedens kolonne udfyldes på hvert projektark, alle udfyldte måneder farves "
        "igen, og arket Data og arket Log opdateres.",
    ),
    ("", ""),
    ("h", "Sådan læser du skemaet"),
    (
        "",
        "Hver månedskolonne viser status primo måneden (på måledagen). Startmåling og "
        "mindste mål står i deres egne kolonner.",
    ),
    ("", "✔ På sporet (grøn): værdien når det forventede niveau."),
    ("", "● Lidt bagud (gul): værdien mangler højst tolerancen (se Indstillinger)."),
    ("", "✖ Bagud (rød): værdien mangler mere end tolerancen."),
    (
        "",
        "Det forventede niveau er en lige linje fra startmålingen til næste mindste mål. "
        "Hold musen over en farvet celle for at se forventet værdi og næste mål.",
    ),
    (
        "",
        "Et antal og en andel skrives som 17 (17 pct.); '–' betyder, at der ikke er "
        "nogen at regne andelen af.",
    ),
    ("", ""),
    ("h", "Intet går tabt"),
    (
        "",
        "Rækker, der udfyldes manuelt (fx tilfredshed), og celler, som en person har "
        "rettet, overskrives ikke. Kørslen viser, hvilke celler den sprang over; brug "
        "--overskriv, hvis de skal erstattes af de beregnede tal.",
    ),
    (
        "",
        "Før hver gemning lægges den forrige udgave ved siden af som en backup (Navn.backup.xlsx).",
    ),
    (
        "",
        "Egne ark, kommentarer, diagrammer og kolonnebredder bliver stående. Indeholder "
        "arbejdsbogen noget, xlstatus ikke kan gemme (fx figurer eller kommentartråde), "
        "stopper kørslen uden at ændre noget og siger hvad.",
    ),
    ("", ""),
    ("h", "Arkene"),
    (
        "",
        "Et ark pr. projekt · Overblik: tidlig varsling – rækker, der med udviklingen de "
        "seneste 6 måneder ikke når næste mål · Vandringer: hvor borgerne i hver målgruppe "
        "kom fra, og hvor de gik hen (de seneste 14 måneder) · Måltal: budgettets måltal · "
        "Data: alle tal i én tabel (til pivottabeller, Power BI og diagrammer) · Log: hvem, "
        "hvornår og hvilket udtræk · Indstillinger: måledag, udtræk, tolerance, diskretion "
        "og vandringernes målgrupper.",
    ),
    (
        "",
        "Kolonnen Prognose på hvert projektark viser, hvor rækken ender ved næste mindste "
        "mål, hvis udviklingen fortsætter (✔ nås, ✖ nås ikke); noten siger hvornår.",
    ),
    (
        "",
        "Under hvert skema skriver projektlederen månedens tekst i området Status og "
        "bemærkninger. Opdater ændrer den aldrig, og udvalgets kopi viser den under skemaet. "
        "Skriv aldrig CPR-numre eller navne – så laves kopien ikke.",
    ),
    (
        "",
        "Arbejdsbogen indeholder kun optællinger – aldrig CPR-numre eller andre personoplysninger.",
    ),
]
