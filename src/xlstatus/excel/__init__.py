"""The Excel front end (xlwings): the Opdater button and xlstatus functions in cells.

Scripts (`@xw.script`; each takes the workbook as `book: xw.Book`):

- `opdater` – what the Opdater button does: the same run as `xlstatus opdater` on a file
  (`excel_bog.opdater_book` → `arbejdsbog.plan.make_plan`), applied to the open workbook.
- `klargoer_til_udvalg` – the committee copy (see `klargoer_bog`).

Where the book comes from:

- desktop Excel: the workbook's Opdater button runs the macro `SampleCall`, which calls
  `Statusskema.main()` through xlwings' RunPython; that calls `koer_opdater` with
  `xw.Book.caller()` (the open workbook, through COM);
- xlwings Server: `xlwings.server.custom_scripts_call(module, "opdater",
  typehint_to_value={xw.Book: xw.Book(json=payload)})`;
- xlwings Lite: the add-in builds the book from a snapshot of the workbook and applies
  the writes after the script returns; the generated main.py binds one sheet button per
  schema sheet (`@script(button="[xlstatus_opdater]'Ark'!B3")`) to `koer_opdater`.

Cell functions (`@xw.func`), Danish names and descriptions – see `FUNKTIONER`. A problem
comes back as an Excel error (#VÆRDI!/#VALUE!) with a readable Danish message; in
desktop Excel (where a UDF cannot carry a message) as the text '#FEJL! …'. Never a
traceback.

Import this module only where xlwings is wanted: `xlstatus` itself never imports it.
Server and Lite need `XLWINGS_ON_SERVER=true` set before xlwings is imported (xlwings
Lite sets it itself).
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

import xlwings as xw

from xlstatus.excel import funktioner as fn
from xlstatus.kerne.errors import DataError, XlstatusError
from xlstatus.kerne.model import Extract

TITLE = "xlstatus"
MAX_ALERT_LINES = 25


class ExcelFejl(xw.XlwingsError):
    """A readable Danish message for Excel (xlwings Server and Lite show str(error))."""

    def __repr__(self) -> str:  # Server in dev mode shows repr(): keep it readable too
        return str(self)


def _classic_desktop() -> bool:
    """Functions run by desktop Excel's COM UDF server (no error messages in cells)."""
    return sys.platform.startswith("win") and not getattr(xw, "on_server", False)


def _fejl(func):
    """Turn any problem in a cell function into a readable Excel error, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args):
        try:
            return func(*args)
        except XlstatusError as exc:
            message = str(exc)
        except Exception as exc:
            print(traceback.format_exc(), file=sys.stderr)
            message = f"uventet fejl i xlstatus ({type(exc).__name__}): {exc}"
        if _classic_desktop():
            return f"#FEJL! {message}"
        raise ExcelFejl(message)

    return wrapper


# --------------------------------------------------------------------------- cell functions

_PROJEKT = 'Projektets navn som på arket, fx "Jobperronen" eller "Flere i job".'
_RAEKKE = "Rækkens tekst som i skemaet (store/små bogstaver og bindestreger er ligegyldige)."
_MAANED = (
    "Måneden: en dato i måneden (fx DATO(2025;3;1) eller en månedsoverskrift) eller "
    'tekst som "2025-03" eller "mar-25".'
)
_SEKTION = "Valgfri: sektionen, når samme rækketekst står i flere sektioner."


@xw.func
@xw.arg("projekt", doc=_PROJEKT)
@xw.arg("raekke", doc=_RAEKKE)
@xw.arg("maaned", doc=_MAANED)
@xw.arg(
    "felt",
    doc="Valgfri: værdi (standard), antal, population, tekst, forventet, næste mål eller status.",
)
@xw.arg("sektion", doc=_SEKTION)
@xw.arg(
    "udtraek",
    ndim=2,
    doc="Valgfri: stien til FACIT-udtrækket (mappe eller .xlsx) eller "
    "området med arket FACIT-udtræk. Udeladt: udtrækket fra seneste Opdater.",
)
@xw.arg("maaledag", doc="Valgfri: dagen i måneden, der måles på (1-31, standard 1).")
@_fejl
def xlstatus_indikator(
    projekt, raekke, maaned, felt=None, sektion=None, udtraek=None, maaledag=None
):
    """Et statusskemas indikator for et projekt, en række og en måned, beregnet fra
    FACIT-udtrækket på samme måde som Opdater: værdien (antal, andel i pct. eller uger),
    antal, population, teksten som i skemaet, forventet værdi, næste mål eller status."""
    return fn.indikator(projekt, raekke, maaned, felt, sektion, _udtraek(udtraek), maaledag)


def _udtraek(value):
    """A 1×1 'range' holding text is a path."""
    if isinstance(value, list) and len(value) == 1:
        row = value[0]
        if isinstance(row, list) and len(row) == 1 and isinstance(row[0], str | type(None)):
            return row[0]
    return value


@xw.func
@xw.arg("projekt", doc=_PROJEKT)
@xw.arg("raekke", doc=_RAEKKE)
@xw.arg("maaned", doc=_MAANED)
@xw.arg("sektion", doc=_SEKTION)
@_fejl
def xlstatus_forventet(projekt, raekke, maaned, sektion=None):
    """Den forventede værdi for en række i en måned: en lige linje fra startmålingen til
    næste mindste mål (#I/T, når rækken ikke har mål)."""
    return fn.forventet(projekt, raekke, maaned, sektion)


@xw.func
@xw.arg("projekt", doc=_PROJEKT)
@xw.arg("raekke", doc=_RAEKKE)
@xw.arg("maaned", doc=_MAANED)
@xw.arg(
    "vaerdi",
    doc="Værdien, der vurderes: et antal, en andel i pct. (fx 17,5) eller "
    'uger – eller teksten fra skemaet, fx "17 (17 pct.)".',
)
@xw.arg("sektion", doc=_SEKTION)
@xw.arg(
    "tolerance_spaend",
    doc="Valgfri: gul-grænsen som andel af spændet fra start til næste mål (standard 25 %).",
)
@xw.arg("tolerance_maal", doc="Valgfri: gul-grænsen som andel af næste mål (standard 5 %).")
@_fejl
def xlstatus_status(
    projekt, raekke, maaned, vaerdi, sektion=None, tolerance_spaend=None, tolerance_maal=None
):
    """Status for en værdi mod rækkens mål: "På sporet", "Lidt bagud" eller "Bagud" (tom,
    når rækken ikke har mål eller der ikke er en værdi) – samme regel som farverne."""
    return fn.status(projekt, raekke, maaned, vaerdi, sektion, tolerance_spaend, tolerance_maal)


@xw.func
@xw.arg("antal", doc="Antallet (tælleren), fx 17.")
@xw.arg("population", doc="Populationen (nævneren), fx 100. Tom eller 0: andelen vises som –.")
@xw.arg("decimaler", doc="Valgfri: decimaler på andelen (0-3, standard 0).")
@_fejl
def xlstatus_antal_andel(antal, population, decimaler=None):
    """Antal og andel på dansk som i skemaerne: 17 (17 pct.)."""
    return fn.antal_andel(antal, population, decimaler)


@xw.func
@xw.arg("gruppe", doc='Ydelsesgruppen i Måltal, fx "Sygedagpenge". Udeladt: alle grupper.')
@xw.arg("projekt", doc="Valgfri: et investeringsprojekt – giver projektets linjer i gruppen.")
@xw.arg("felt", doc="Valgfri: sum (standard), indtastet (den trykte total) eller afvigelse.")
@_fejl
def xlstatus_maaltal(gruppe=None, projekt=None, felt=None):
    """Måltal i fuldtidspersoner: en gruppes total (summen af linjerne), et projekts
    investeringslinjer i en gruppe eller projektets samlede effekt."""
    return fn.maaltal(gruppe, projekt, felt)


@xw.func
@xw.arg(
    "gruppe",
    doc='En målt linje eller gruppe i Måltal, fx "Sygedagpenge", eller en '
    'målgruppe i udtrækket, fx "A-dagpenge".',
)
@xw.arg("fra", doc="Periodens første dag, fx DATO(2025;1;1).")
@xw.arg("til", doc="Periodens sidste dag, som også tælles med, fx DATO(2025;5;31).")
@xw.arg(
    "udtraek",
    ndim=2,
    doc="Valgfri: stien til FACIT-udtrækket eller området med arket "
    "FACIT-udtræk. Udeladt: udtrækket fra seneste Opdater.",
)
@_fejl
def xlstatus_fuldtidspersoner(gruppe, fra, til, udtraek=None):
    """Faktiske fuldtidspersoner i en periode fra FACIT-udtrækket: summen af dage i gruppen
    divideret med antal dage i perioden (samme beregning som arket Måltal)."""
    return fn.fuldtidspersoner(gruppe, fra, til, _udtraek(udtraek))


@xw.func
@_fejl
def xlstatus_projekter():
    """Projekterne i statusskemaerne: navn og arknavn, én række pr. projekt."""
    return fn.projekter()


@xw.func
@xw.arg("projekt", doc=_PROJEKT)
@_fejl
def xlstatus_raekker(projekt):
    """Rækkerne i et projekts statusskema: sektion, tekst, indikatorart og format."""
    return fn.raekker(projekt)


FUNKTIONER = [
    "xlstatus_indikator",
    "xlstatus_forventet",
    "xlstatus_status",
    "xlstatus_antal_andel",
    "xlstatus_maaltal",
    "xlstatus_fuldtidspersoner",
    "xlstatus_projekter",
    "xlstatus_raekker",
]


_MAANED_NU = 'Valgfri: måneden (fx DATO(2025;3;1) eller "2025-03"). Udeladt: denne måned.'
_UDTRAEK = (
    "Valgfri: stien til FACIT-udtrækket eller området med arket FACIT-udtræk. "
    "Udeladt: udtrækket fra seneste Opdater."
)


@xw.func
@xw.arg("projekt", doc=_PROJEKT)
@xw.arg("raekke", doc=_RAEKKE)
@xw.arg("maaned", doc=_MAANED_NU)
@xw.arg(
    "felt",
    doc="Valgfri: fremskrevet (standard: værdien ved næste mål), måned (hvornår "
    "målet nås), nås målet (ja/nej), hældning, næste mål, næste mål måned, punkter "
    "eller tekst.",
)
@xw.arg("sektion", doc=_SEKTION)
@xw.arg("udtraek", ndim=2, doc=_UDTRAEK)
@xw.arg("maaledag", doc="Valgfri: dagen i måneden, der måles på (1-31, standard 1).")
@xw.arg("punkter", doc="Valgfri: antal måneder, linjen lægges igennem (standard 6).")
@_fejl
def xlstatus_prognose(
    projekt, raekke, maaned=None, felt=None, sektion=None, udtraek=None, maaledag=None, punkter=None
):
    """Prognose for en række: en ret linje gennem de seneste måneders værdier, aflæst ved
    næste mindste mål – den fremskrevne værdi, eller med felt måneden, hvor målet nås
    (#I/T uden prognose: under 3 måneder med tal eller intet kommende mål)."""
    return fn.prognose(projekt, raekke, maaned, felt, sektion, _udtraek(udtraek), maaledag, punkter)


@xw.func
@xw.arg("maalgruppe", doc='Målgruppen som i udtrækket, fx "Kontanthjælp jobparat".')
@xw.arg("retning", doc="tilgang (hvor forløbene kom fra) eller afgang (hvor de gik hen).")
@xw.arg("maaned", doc=_MAANED_NU)
@xw.arg("maaneder", doc="Valgfri: antal hele måneder før måneden, der ses på (standard 14).")
@xw.arg("udtraek", ndim=2, doc=_UDTRAEK)
@xw.arg("maaledag", doc="Valgfri: dagen i måneden, der måles på (1-31, standard 1).")
@_fejl
def xlstatus_vandringer(
    maalgruppe, retning, maaned=None, maaneder=None, udtraek=None, maaledag=None
):
    """Vandringer for en målgruppe: hvor forløbene kom fra eller gik hen – én række pr.
    kategori med kategori, antal forløb og andel i pct., største først."""
    return fn.vandringer(maalgruppe, retning, maaned, maaneder, _udtraek(udtraek), maaledag)


FUNKTIONER += ["xlstatus_prognose", "xlstatus_vandringer"]


# --------------------------------------------------------------------------- scripts


def meld(book, text: str, title: str = TITLE, critical: bool = False) -> None:
    """Show a message box (and print it: xlwings Lite's output pane, the server log)."""
    print(text)
    lines = text.splitlines()
    if len(lines) > MAX_ALERT_LINES:
        lines = [
            *lines[:MAX_ALERT_LINES],
            f"… og {len(lines) - MAX_ALERT_LINES} linjer mere (se arket Log).",
        ]
    try:
        book.app.alert(
            "\n".join(lines), title=title, buttons="ok", mode="critical" if critical else "info"
        )
    except Exception:
        print(traceback.format_exc(), file=sys.stderr)


def _forget_actions(book) -> None:
    """Server/Lite: drop writes queued before an error, so nothing changes."""
    api = getattr(book, "api", None)
    if isinstance(api, dict):
        book.json()["actions"].clear()


def _koer(book, title: str, run) -> object:
    try:
        return run()
    except XlstatusError as exc:
        _forget_actions(book)
        text = exc.report() if isinstance(exc, DataError) else str(exc)
        if "Intet er ændret" not in text:
            text += "\n\nIntet er ændret."
        meld(book, text, f"{title} – der er et problem", True)
    except Exception as exc:
        _forget_actions(book)
        print(traceback.format_exc(), file=sys.stderr)
        meld(
            book,
            f"Der skete en uventet fejl i xlstatus ({type(exc).__name__}: {exc}). "
            "Intet er ændret. Send arket Log og denne besked til den, der vedligeholder "
            "xlstatus.",
            f"{title} – uventet fejl",
            True,
        )
    return None


def koer_opdater(
    book,
    month: date | str | None = None,
    overwrite: bool = False,
    udtraek: Callable[[], Extract | None] | None = None,
    user: str | None = None,
    sammenligning: Callable[[str], Path | None] | None = None,
):
    """What the Opdater button runs (plain function: desktop, Server and Lite call it).

    `udtraek` lets a host pick the extract (xlwings Server: its own folder; None = the
    workbook's pasted extract or path); `user` is the name written to the Log;
    `sammenligning` maps the Indstillinger row "Sammenligning" to a folder (the server's
    confined folder; None = the desktop's or Lite's rule)."""
    from xlstatus.excel.bog import opdater_book

    def run():
        m = fn.to_month(month) if month not in (None, "") else None
        extract = udtraek() if udtraek is not None else None
        run_ = opdater_book(
            book, m, overwrite, extract=extract, user=user, sammenligning=sammenligning
        )
        fn.remember(run_.extract)
        meld(book, "\n".join(run_.plan.report_lines()), "Opdater")
        return run_

    return _koer(book, "Opdater", run)


LITE_DATA = "/data"  # Lite's own file system: Files → Import/Export lists what is here
Publish = Callable[[list[tuple[str, bytes]], str | None], list[str]]


def koer_klargoer(
    book,
    publish: Publish | None = None,
    udtraek: Callable[[], Extract | None] | None = None,
    user: str | None = None,
):
    """What 'Klargør til udvalg' runs (plain function: desktop, Server and Lite call it).

    `publish(files, user) -> urls` (xlwings Server): hands the copy's files to the server,
    which returns a link to each; `udtraek` lets the host give its extract (needed only
    when the workbook's analyses belong to another month than the copy)."""
    return _koer(book, "Klargør til udvalg", lambda: klargoer_bog(book, publish, udtraek, user))


def copy_from_book(book, udtraek: Callable[[], Extract | None] | None = None):
    """The committee copy (the model) of a live or posted workbook: the same builder as
    `xlstatus udvalg` on a file, from the view the book gives."""
    from dataclasses import replace

    from xlstatus.excel.bog import _sheet, read_state, sheet_grid
    from xlstatus.plan import tekster
    from xlstatus.plan.data import SheetView
    from xlstatus.skabelonfiler import load_schemas
    from xlstatus.udvalg.bygger import Options, build_copy
    from xlstatus.udvalg.maaltal_vaerdier import fill_values

    state = read_state(book, load_schemas())
    extra = [
        SheetView(n, sheet_grid(_sheet(book, n), None, None))
        for n in (tekster.OVERBLIK, tekster.VANDRINGER, tekster.SAMMENLIGNING, tekster.MAALTAL)
        if n in state.names
    ]
    view = replace(state.view, sheets=[*state.view.sheets, *extra])
    warnings: list[str] = []
    view = fill_values(view, warnings)
    reader = udtraek if udtraek is not None else _book_extract(book, state)
    name = str(getattr(book, "name", "") or "Statusskema.xlsx")
    opts = Options(workbook_name=name, extract=reader, warnings=warnings)
    return build_copy(view, None, opts)


def _book_extract(book, state) -> Callable[[], Extract | None]:
    """The workbook's own extract (its Udtræk setting), read only when it is needed."""

    def read() -> Extract | None:
        from pathlib import Path

        from xlstatus.udtraek.laes import read_extract

        setting = state.view.settings.udtraek
        if not setting or not Path(setting).is_absolute() or not Path(setting).exists():
            return None
        return read_extract(Path(setting))

    return read


def copy_file_name(book, month: date, suffix: str = ".xlsx") -> str:
    """'Statusskema_udvalg_2026-01.xlsx': the workbook's stem + _udvalg_ÅÅÅÅ-MM."""
    from pathlib import PurePath

    from xlstatus.udvalg import tekster as udvalg_tekster

    stem = PurePath(str(getattr(book, "name", "") or "Statusskema.xlsx")).stem
    return udvalg_tekster.file_stem(stem, month) + suffix


def klargoer_bog(
    book,
    publish: Publish | None = None,
    udtraek: Callable[[], Extract | None] | None = None,
    user: str | None = None,
):
    """The committee copy from the open workbook (see docs/brugervejledning.md).

    - Desktop Excel: the workbook is saved and the file-based copy (`.xlsx` and PDF) is
      made beside it by the same code as `xlstatus udvalg`.
    - xlwings Lite: the copy's `.xlsx` is written to /data/ (download it from Files →
      Import/Export); the message says how to save it as PDF from Excel.
    - xlwings Server: the copy is built on the server from the posted workbook, its
      `.xlsx` and PDF handed to `publish`, and the message carries the links."""
    from xlstatus.excel.bog import capabilities

    ev = capabilities(book)
    if not ev.remote:
        return _klargoer_desktop(book)
    from xlstatus.udvalg.filer import render_files

    if publish is None and not ev.lite:
        raise XlstatusError(
            "Serveren kan ikke udlevere udvalgets kopi: den er ikke sat op til at dele filer. "
            "Kontakt den, der driver xlstatus-serveren, eller lav kopien på kommandolinjen: "
            "xlstatus udvalg Statusskema.xlsx"
        )
    copy = copy_from_book(book, udtraek)
    name = copy_file_name(book, copy.month)
    if ev.lite:
        xlsx, _ = render_files(copy, pdf=False)
        return _klargoer_lite(book, copy, name, xlsx)
    xlsx, pdf = render_files(copy, pdf=None)
    files = [(name, xlsx)]
    if pdf is not None:
        files.append((name.removesuffix(".xlsx") + ".pdf", pdf))
    urls = publish(files, user)
    lines = [
        f"Udvalgets kopi for {copy.month_label} er klar. Hent den her "
        "(linkene udløber om få minutter):"
    ]
    lines += [f"  {url}" for url in urls]
    if pdf is None:
        lines.append("Der er ingen PDF: åbn kopien i Excel og vælg Filer → Gem som → PDF.")
    lines += copy.warnings
    meld(book, "\n".join(lines), "Klargør til udvalg")
    return urls


def _klargoer_lite(book, copy, name: str, xlsx: bytes):
    from pathlib import Path

    target = Path(LITE_DATA) / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(xlsx)
    except OSError as exc:
        raise XlstatusError(f"Udvalgets kopi kan ikke gemmes i {target.parent}: {exc}") from exc
    lines = [
        f"Udvalgets kopi for {copy.month_label} er lavet: {target}",
        "Hent den med xlwings Lites menu → Files → Import/Export (filen står under /data).",
        "PDF: åbn kopien i Excel og vælg Filer → Gem som → PDF (xlwings Lite kan ikke selv "
        "lave PDF'en; en PDF fra Excel er ikke tilgængelig efter PDF/UA).",
        *copy.warnings,
    ]
    meld(book, "\n".join(lines), "Klargør til udvalg")
    return target


def _klargoer_desktop(book):
    """Desktop Excel: save, then the file route beside the workbook (as `xlstatus udvalg`)."""
    from xlstatus.udvalg import klargoer_fil
    from xlstatus.udvalg.filer import accessible_pdf

    book.save()
    result = klargoer_fil(book.fullname, pdf=None)  # xlstatus' or LibreOffice's PDF
    text = f"Udvalgets kopi er lavet: {result}"
    if result.pdf is None:  # otherwise Excel's own PDF export
        copy = book.app.books.open(str(result.xlsx))
        try:
            copy.to_pdf(str(result.xlsx.with_suffix(".pdf")))
        finally:
            copy.close()
        text += f" og {result.xlsx.with_suffix('.pdf').name}"
    if not accessible_pdf():
        text += (
            "\nPDF'en er ikke tilgængelig efter PDF/UA (den er lavet af Excel eller "
            "LibreOffice). Bed IT installere xlstatus' PDF-modul, før den lægges på nettet."
        )
    meld(book, text, "Klargør til udvalg")
    return result


@xw.script(name="Opdater")
def opdater(book: xw.Book, maaned: str = "", overskriv: bool = False):
    """Opdater: udfyld måneden fra FACIT-udtrækket og farv skemaerne. maaned: ÅÅÅÅ-MM
    (tom: denne måned); overskriv: erstat også celler, som en person har ændret."""
    koer_opdater(book, maaned or None, bool(overskriv))


@xw.script(name="Klargør til udvalg")
def klargoer_til_udvalg(book: xw.Book):
    """Klargør til udvalg: lav kopien, der sendes til udvalget."""
    koer_klargoer(book)


NAMESPACE = "XLSTATUS"


def office_js_navn(name: str) -> str:
    """The name after the namespace in the Office.js routes: xlstatus_indikator -> INDIKATOR
    (Excel shows XLSTATUS.INDIKATOR; desktop Excel keeps XLSTATUS_INDIKATOR)."""
    return name.removeprefix("xlstatus_").upper()


def office_js_funktioner(namespace: str | None = None) -> dict[str, Callable]:
    """The cell functions as an Office.js route (xlwings Server, Lite) registers them:
    copies named INDIKATOR, FORVENTET, … under their Python names (the dispatch key).

    The server's add-in manifest carries the namespace XLSTATUS, so it passes none; Lite
    has none of its own, so its main.py passes "XLSTATUS". Excel shows XLSTATUS.INDIKATOR
    either way. The originals are untouched (desktop Excel: XLSTATUS_INDIKATOR)."""
    out: dict[str, Callable] = {}
    for name in FUNKTIONER:
        func = globals()[name]

        @functools.wraps(func)
        def copy(*args, _func=func):
            return _func(*args)

        info = {**func.__xlfunc__, "excel_name": office_js_navn(name)}
        if namespace:
            info["namespace"] = namespace
        copy.__xlfunc__ = info
        out[name] = copy
    return out


def _one_line_descriptions() -> None:
    """Excel shows a function's description on one line: fold the docstrings."""
    for name in FUNKTIONER:
        info = getattr(globals()[name], "__xlfunc__", None)
        if info is not None:
            info["ret"]["doc"] = " ".join(str(info["ret"]["doc"]).split())


_one_line_descriptions()
