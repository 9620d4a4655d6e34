"""What the Excel cell functions compute, without xlwings. Pure apart from a cache.

`xlstatus.excel` wraps these as `@xw.func` UDFs; they take Excel's arguments as Excel
passes them (dates as serial numbers in Office.js, as datetimes in desktop Excel, or as
text such as '2025-03' / 'mar-25') and call the same core as the command line:
`indikatorer.compute_month`, `status.assess`, `formatering`, `maaltal`. A bad argument
is a `FunktionsFejl` with a Danish message, which the wrapper turns into an Excel error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from xlstatus.kerne.errors import DataError, XlstatusError
from xlstatus.kerne.formatering import EMPTY, antal_andel_da
from xlstatus.kerne.indikatorer import RowResult, compute_month, needed_tables, targets_for
from xlstatus.kerne.model import Extract
from xlstatus.kerne.noegler import alnum_key, spaced_key, spaceless_key
from xlstatus.kerne.skema import Row, Schema
from xlstatus.kerne.status import STATUS_TEXT, Tolerance, assess
from xlstatus.kerne.tid import MONTH_NAMES_DA, MONTHS_DA, cell_date, month_start, parse_month
from xlstatus.skabelonfiler import load_schemas

EXCEL_EPOCH = date(1899, 12, 30)
NA = "#N/A"


class FunktionsFejl(XlstatusError):
    """A cell function cannot answer: the message says why, in Danish."""


# --------------------------------------------------------------------------- arguments


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_month(value: object, name: str = "maaned") -> date:
    """A month from what Excel passes: a serial number, a date, or text like '2025-03',
    'mar-25', 'marts 2025', '01-03-2025'."""
    if is_missing(value):
        raise FunktionsFejl(f"'{name}' mangler: angiv en måned, fx DATO(2025;3;1)")
    if isinstance(value, bool):
        raise FunktionsFejl(f"'{name}' skal være en dato eller en måned, ikke {value!r}")
    if (day := cell_date(value)) is not None:  # date, serial number or ISO text
        return month_start(day)
    if isinstance(value, int | float):
        raise FunktionsFejl(f"'{name}' er ikke en gyldig dato: {value!r}")
    text = str(value).strip().lower().rstrip(".")
    try:
        return parse_month(text)
    except ValueError:
        pass
    if m := re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})", text):
        return date(int(m[3]), int(m[2]), 1)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?", text):
        return date(int(m[1]), int(m[2]), 1)
    if m := re.fullmatch(r"([a-zæøå]+)\.?[-. ]?(\d{2}|\d{4})", text):
        word, year = m[1], int(m[2])
        year += 2000 if year < 100 else 0
        for i, (short, full) in enumerate(zip(MONTHS_DA, MONTH_NAMES_DA, strict=True)):
            if word in (short, full) or (len(word) >= 3 and full.startswith(word)):
                return date(year, i + 1, 1)
    raise FunktionsFejl(
        f"'{name}' er ikke en måned: {value!r} – skriv fx DATO(2025;3;1), \"2025-03\" eller "
        '"mar-25"'
    )


def to_int(
    value: object, name: str, default: int | None = None, lo: int = 0, hi: int = 10**9
) -> int:
    if is_missing(value):
        if default is None:
            raise FunktionsFejl(f"'{name}' mangler")
        return default
    try:
        x = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise FunktionsFejl(f"'{name}' skal være et helt tal (fundet: {value!r})") from None
    if not x.is_integer() or not lo <= x <= hi:
        raise FunktionsFejl(f"'{name}' skal være et helt tal fra {lo} til {hi} (fundet: {value!r})")
    return int(x)


def to_number(value: object, name: str) -> float:
    if isinstance(value, bool) or is_missing(value):
        raise FunktionsFejl(f"'{name}' skal være et tal (fundet: {value!r})")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(" ", "").replace("%", "")
    text = text.replace(".", "").replace(",", ".") if "," in text else text
    try:
        return float(text)
    except ValueError:
        raise FunktionsFejl(f"'{name}' skal være et tal (fundet: {value!r})") from None


def to_share(value: object, name: str, default: float) -> float:
    """0.25, 25 or '25 %' -> 0.25."""
    if is_missing(value):
        return default
    x = to_number(value, name)
    if (isinstance(value, str) and "%" in value) or x > 1:
        x /= 100
    if x < 0:
        raise FunktionsFejl(f"'{name}' skal være en andel ≥ 0, fx 25 % (fundet: {value!r})")
    return x


# --------------------------------------------------------------------------- schemas and rows


@lru_cache(maxsize=2)
def _schemas_cached(folder: str, override: str) -> tuple[Schema, ...]:
    return tuple(load_schemas(Path(folder)) if folder else load_schemas())


def schemas() -> list[Schema]:
    from xlstatus.skabelonfiler import override_folder

    extra = str(override_folder() or "")
    return list(_schemas_cached(os.environ.get("XLSTATUS_SKEMAER", ""), extra))


def find_schema(projekt: object) -> Schema:
    """A project by its name, sheet name or template code, ignoring case and dashes."""
    if is_missing(projekt):
        raise FunktionsFejl("'projekt' mangler: angiv projektets navn, fx \"Jobperronen\"")
    key = spaceless_key(projekt)
    all_ = schemas()
    for s in all_:
        if key in {
            spaceless_key(s.projekt),
            spaceless_key(s.ark),
            spaceless_key(s.kode),
            spaceless_key(s.titel),
        }:
            return s
    hits = [
        s for s in all_ if key and (key in spaceless_key(s.projekt) or key in spaceless_key(s.ark))
    ]
    if len(hits) == 1:
        return hits[0]
    names = "; ".join(s.projekt for s in all_)
    raise FunktionsFejl(f"ukendt projekt {projekt!r} – kendte projekter: {names}")


def find_row(schema: Schema, raekke: object, sektion: object = None) -> Row:
    """A row by its label (and section when the label is used in several sections)."""
    if is_missing(raekke):
        raise FunktionsFejl("'raekke' mangler: angiv rækkens tekst som i skemaet")
    key = spaceless_key(raekke)
    rows = [r for r in schema.rows if spaceless_key(r.label) == key]
    if not is_missing(sektion):
        skey = spaceless_key(sektion)
        rows = [
            r
            for r in rows
            if spaceless_key(r.sektion) == skey or (skey and skey in spaceless_key(r.sektion))
        ]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        labels = "; ".join(r.label for r in schema.rows)
        where = f" i sektionen {sektion!r}" if not is_missing(sektion) else ""
        raise FunktionsFejl(
            f"rækken {raekke!r}{where} findes ikke i '{schema.projekt}' – rækkerne er: {labels}"
        )
    sections = "; ".join(f'"{r.sektion}"' for r in rows)
    raise FunktionsFejl(
        f"rækken {raekke!r} findes i flere sektioner af '{schema.projekt}' – angiv sektionen: "
        f"{sections}"
    )


# --------------------------------------------------------------------------- extracts

_LAST: dict[str, Extract] = {}
_CACHE: dict[tuple, Extract] = {}


@dataclass
class Politik:
    """How a host lets cell functions reach extracts. The xlwings Server sets both: a
    path typed in a cell is checked (`sti`: returns the path to read or raises), and a
    function without an extract uses the server's own (`standard`)."""

    sti: Callable[[Path], Path] | None = None
    standard: Callable[[], Extract] | None = None
    rod: Callable[[], str | None] | None = None  # the folder messages show paths from


POLITIK = Politik()


def remember(extract: Extract) -> None:
    """Make extract the one cell functions use when no extract is given (set by Opdater)."""
    _LAST["seneste"] = extract


def _cached(key: tuple, load) -> Extract:
    if key not in _CACHE:
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = load()
    return _CACHE[key]


def extract_for(udtraek: object) -> Extract:
    """The extract a cell function uses: a path (folder or .xlsx), the values of a pasted
    FACIT-udtræk range, or – when left out – the one the last Opdater in this Python
    session read."""
    tables = needed_tables(schemas())
    if is_missing(udtraek) or (
        isinstance(udtraek, list)
        and not any(
            not is_missing(v) for row in udtraek for v in (row if isinstance(row, list) else [row])
        )
    ):
        if POLITIK.standard is not None:
            return POLITIK.standard()
        if "seneste" in _LAST:
            return _LAST["seneste"]
        raise FunktionsFejl(
            "intet udtræk er indlæst – angiv 'udtraek': stien til udtrækket (en mappe eller en "
            ".xlsx-fil) eller området med arket FACIT-udtræk, eller klik Opdater først"
        )
    try:
        if isinstance(udtraek, list):
            from xlstatus.udtraek.ark import extract_from_grid, grid_token

            return _cached(
                ("grid", grid_token(udtraek)),
                lambda: extract_from_grid(udtraek, tables=set(tables), needed_by=tables),
            )
        from xlstatus.udtraek.lager import read_extract_cached

        path = Path(str(udtraek).strip().strip('"'))
        if POLITIK.sti is not None:
            path = POLITIK.sti(path)
        return read_extract_cached(path, set(tables), tables)  # kept until a file changes
    except DataError as exc:
        raise FunktionsFejl(short_report(exc)) from None


def short_report(exc: DataError, n: int = 3) -> str:
    """The first problems of a DataError on one line (a cell's error text is short)."""
    first = "; ".join(str(p) for p in exc.problems[:n])
    more = f" (og {len(exc.problems) - n} fejl mere)" if len(exc.problems) > n else ""
    return f"{exc.summary}: {first}{more}"


# --------------------------------------------------------------------------- the functions

FIELDS = {  # keys as `alnum_key` gives them: 'Næste mål' -> 'naestemaal'
    "vaerdi": "vaerdi",
    "antal": "antal",
    "population": "population",
    "naevner": "population",
    "tekst": "tekst",
    "visning": "tekst",
    "forventet": "forventet",
    "naestemaal": "naeste_maal",
    "status": "status",
    "symbol": "symbol",
}


def _field(felt: object) -> str:
    if is_missing(felt):
        return "vaerdi"
    key = alnum_key(felt)
    if key in FIELDS:
        return FIELDS[key]
    raise FunktionsFejl(
        f"ukendt felt {felt!r} – brug et af: værdi, antal, population, tekst, forventet, "
        "næste mål, status"
    )


def row_result(
    projekt: object,
    raekke: object,
    maaned: object,
    sektion: object = None,
    udtraek: object = None,
    maaledag: object = None,
    tolerance: Tolerance = Tolerance(),
) -> RowResult:
    schema = find_schema(projekt)
    row = find_row(schema, raekke, sektion)
    if row.manual:
        raise FunktionsFejl(f"rækken '{row.label}' udfyldes manuelt og beregnes ikke")
    month = to_month(maaned)
    day = to_int(maaledag, "maaledag", 1, 1, 31)
    extract = extract_for(udtraek)
    one = replace(schema, rows=(row,))
    try:
        results = compute_month(extract, [one], month, day, tolerance)
    except DataError as exc:
        raise FunktionsFejl(short_report(exc)) from None
    return results[0]


def indikator(
    projekt: object,
    raekke: object,
    maaned: object,
    felt: object = None,
    sektion: object = None,
    udtraek: object = None,
    maaledag: object = None,
) -> object:
    """One indicator of a project's row for a month, as the field asks."""
    what = _field(felt)
    r = row_result(projekt, raekke, maaned, sektion, udtraek, maaledag)
    m, a = r.measurement, r.assessment
    if what == "tekst":
        from xlstatus.kerne.formatering import display

        return display(r.row.fmt, m.antal, m.vaerdi, r.row.decimals)
    if what == "status":
        return STATUS_TEXT.get(a.status or "", "")
    if what == "symbol":
        from xlstatus.kerne.status import STATUS_SYMBOL

        return STATUS_SYMBOL.get(a.status or "", "")
    value = {
        "vaerdi": m.vaerdi,
        "antal": m.antal,
        "population": m.population,
        "forventet": a.expected,
        "naeste_maal": a.next_target,
    }[what]
    return NA if value is None else value


def _targets(projekt: object, raekke: object, sektion: object):
    schema = find_schema(projekt)
    row = find_row(schema, raekke, sektion)
    if not row.targeted:
        return schema, row, None
    return schema, row, targets_for(schema, row)


def forventet(projekt: object, raekke: object, maaned: object, sektion: object = None) -> object:
    """The expected value of a row in a month (the straight line to the next milestone)."""
    _, _, targets = _targets(projekt, raekke, sektion)
    if targets is None:
        return NA
    a = assess(None, targets, to_month(maaned))
    return NA if a.expected is None else a.expected


def status(
    projekt: object,
    raekke: object,
    maaned: object,
    vaerdi: object,
    sektion: object = None,
    tolerance_spaend: object = None,
    tolerance_maal: object = None,
) -> str:
    """'På sporet', 'Lidt bagud' or 'Bagud' for value against the row's targets; '' when
    the row has no milestone or there is no value."""
    _, row, targets = _targets(projekt, raekke, sektion)
    month = to_month(maaned)
    if targets is None or is_missing(vaerdi) or vaerdi == EMPTY:
        return ""
    if isinstance(vaerdi, int | float) and not isinstance(vaerdi, bool):
        x: float | None = float(vaerdi)
    else:
        from xlstatus.plan.skemaer import parse_value

        x = parse_value(vaerdi, row.fmt)
        if x is None:
            raise FunktionsFejl(f"'vaerdi' er ikke et tal: {vaerdi!r}")
    tol = Tolerance(
        to_share(tolerance_spaend, "tolerance_spaend", Tolerance().span),
        to_share(tolerance_maal, "tolerance_maal", Tolerance().goal),
    )
    a = assess(x, targets, month, tol)
    return STATUS_TEXT.get(a.status or "", "")


def antal_andel(antal: object, population: object, decimaler: object = None) -> str:
    """'17 (17 pct.)' from a count and its population; '–' without a count."""
    if is_missing(antal):
        return EMPTY
    count = to_number(antal, "antal")
    if not count.is_integer() or count < 0:
        raise FunktionsFejl(f"'antal' skal være et helt tal ≥ 0 (fundet: {antal!r})")
    dec = to_int(decimaler, "decimaler", 0, 0, 3)
    pop = None if is_missing(population) else to_number(population, "population")
    if pop is not None and pop < count:
        raise FunktionsFejl(f"'population' ({population!r}) er mindre end 'antal' ({antal!r})")
    share = 100.0 * count / pop if pop else None
    return antal_andel_da(int(count), share, dec)


def projekter() -> list[list[object]]:
    """One row per project: name, sheet name."""
    return [[s.projekt, s.ark] for s in schemas()]


def raekker(projekt: object) -> list[list[object]]:
    """One row per row of the project's schema: section, label, kind, format."""
    schema = find_schema(projekt)
    return [[r.sektion, r.label, r.kind, r.fmt] for r in schema.rows]


# --------------------------------------------------------------------------- Måltal


@lru_cache(maxsize=2)
def _maaltal_cached(path: str, stamp: tuple):
    from xlstatus.skabelonfiler import load_maaltal

    return load_maaltal(Path(path))


def maaltal_table():
    """The Måltal table of maaltal.toml (what the workbook's Måltal sheet is
    built from)."""
    from xlstatus.skabelonfiler import MAALTAL_FILE, template_file

    path = template_file(MAALTAL_FILE)
    try:
        stat = path.stat()
    except OSError:
        raise FunktionsFejl(f"Måltal-skabelonen findes ikke: {path}") from None
    try:
        return _maaltal_cached(str(path), (stat.st_mtime_ns, stat.st_size))
    except DataError as exc:
        raise FunktionsFejl(short_report(exc)) from None


MAALTAL_FIELDS = {
    "sum": "sum",
    "ialt": "sum",
    "total": "sum",
    "indtastet": "indtastet",
    "trykt": "indtastet",
    "afvigelse": "afvigelse",
    "forskel": "afvigelse",
}


def maaltal(gruppe: object = None, projekt: object = None, felt: object = None) -> object:
    """Måltal in fuldtidspersoner: a group's total (the sum of its lines), a project's
    investment lines in a group, or – without a group – the project's effect in all groups.

    felt: 'sum' (default); for a group also 'indtastet' (the printed total) or
    'afvigelse' (printed total minus the sum; 0 when they agree)."""
    from xlstatus.kerne.maaltal import TOTAL_LABEL, project_effect, project_matrix

    m = maaltal_table()
    what = "sum"
    if not is_missing(felt):
        key = alnum_key(felt)
        if key not in MAALTAL_FIELDS:
            raise FunktionsFejl(f"ukendt felt {felt!r} – brug sum, indtastet eller afvigelse")
        what = MAALTAL_FIELDS[key]
    whole = is_missing(gruppe) or spaced_key(gruppe) in (spaced_key(TOTAL_LABEL), "alle")
    if whole and is_missing(projekt):
        raise FunktionsFejl('angiv en gruppe (fx "Sygedagpenge") og/eller et projekt')
    group = None
    if not whole:
        try:
            group = m.gruppe(str(gruppe))
        except KeyError as exc:
            raise FunktionsFejl(str(exc.args[0])) from None
    if is_missing(projekt):
        assert group is not None
        if what == "indtastet":
            return NA if group.total is None else group.total
        if what == "afvigelse":
            return 0.0 if group.total is None else group.total - group.sum
        return group.sum
    if what != "sum":
        raise FunktionsFejl("'indtastet' og 'afvigelse' gælder kun en gruppe uden projekt")
    name = str(projekt)
    try:
        schema = find_schema(projekt)
        candidates = [schema.projekt, name]
    except FunktionsFejl:
        candidates = [name]
    known = {spaced_key(p): p for p in m.projekter}
    found = next((known[spaced_key(c)] for c in candidates if spaced_key(c) in known), None)
    if found is None:
        raise FunktionsFejl(
            f"Måltal har intet projekt {projekt!r} – kendte projekter: " + "; ".join(m.projekter)
        )
    if group is None:
        return project_effect(m, found)
    matrix = project_matrix(m)
    if found not in matrix.index:
        return 0.0
    return float(matrix.loc[found, group.navn])


def to_day(value: object, name: str) -> date:
    """A day from what Excel passes: a serial number, a date, ISO text
    ('2025-01-01T00:00:00.000Z') or text 'dd-mm-åååå'/'åååå-mm-dd'."""
    if not isinstance(value, bool) and (day := cell_date(value)) is not None:
        return day
    text = "" if value is None else str(value).strip()
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise FunktionsFejl(f"'{name}' er ikke en dato: {value!r} – skriv fx DATO(2025;1;1)")


def fuldtidspersoner(gruppe: object, fra: object, til: object, udtraek: object = None) -> float:
    """Actual fuldtidspersoner from the extract: Σ days in the group(s) ÷ days in the period.
    gruppe: a measured Måltal line, a Måltal group or a target-group code."""
    from xlstatus.kerne.maaltal import Periode, actual_fuldtidspersoner

    if is_missing(gruppe):
        raise FunktionsFejl('\'gruppe\' mangler: fx "Sygedagpenge" eller "A-dagpenge"')
    try:
        period = Periode(to_day(fra, "fra"), to_day(til, "til"))
    except ValueError as exc:
        raise FunktionsFejl(str(exc)) from None
    try:
        return actual_fuldtidspersoner(extract_for(udtraek), maaltal_table(), str(gruppe), period)
    except KeyError as exc:
        raise FunktionsFejl(str(exc.args[0])) from None


# --------------------------------------------------------------------------- analyses

PROGNOSE_FIELDS = {  # as `alnum_key` gives them: 'Nås målet' -> 'naasmaalet'
    "fremskrevet": "fremskrevet",
    "vaerdi": "fremskrevet",
    "maaned": "maaned",
    "naas": "maaned",
    "naasi": "maaned",
    "maanedmaalnaas": "maaned",
    "dato": "maaned",
    "naarmaalet": "naar_maalet",
    "naasmaalet": "naar_maalet",
    "janej": "naar_maalet",
    "haeldning": "haeldning",
    "naestemaal": "naeste_maal",
    "naestemaalmaaned": "naeste_maal_maaned",
    "punkter": "punkter",
    "tekst": "tekst",
    "forklaring": "tekst",
}
RETNINGER = {
    "tilgang": "tilgang",
    "fra": "tilgang",
    "komfra": "tilgang",
    "ind": "tilgang",
    "afgang": "afgang",
    "til": "afgang",
    "giktil": "afgang",
    "ud": "afgang",
}


def _month_or_now(maaned: object) -> date:
    """The month asked for; left out: this month (as Opdater)."""
    return month_start(date.today()) if is_missing(maaned) else to_month(maaned)


def _as_datetime(d: date | None) -> object:
    return "" if d is None else datetime(d.year, d.month, d.day)


_ANALYSES: dict[tuple, tuple[Extract, object]] = {}


def _analysis(key: tuple, extract: Extract, build):
    """A small cache of analyses per extract (a sheet's cells ask for the same month)."""
    hit = _ANALYSES.get(key)
    if hit is not None and hit[0] is extract:
        return hit[1]
    if len(_ANALYSES) >= 8:
        _ANALYSES.pop(next(iter(_ANALYSES)))
    value = build()
    _ANALYSES[key] = (extract, value)
    return value


def _prognoser(extract: Extract, month: date, day: int, k: int) -> dict:
    """(schema code, row key) -> Prognose for every row with milestones."""
    from xlstatus.kerne.analyser import prognoser

    def build() -> dict:
        try:
            result = prognoser(extract, schemas(), month, day, k)
        except DataError as exc:
            raise FunktionsFejl(short_report(exc)) from None
        codes = {s.projekt: s.kode for s in schemas()}
        return {(codes[p.projekt], p.key): p for p in result}

    key = ("prognose", os.environ.get("XLSTATUS_SKEMAER", ""), id(extract), month, day, k)
    return _analysis(key, extract, build)


def prognose(
    projekt: object,
    raekke: object,
    maaned: object = None,
    felt: object = None,
    sektion: object = None,
    udtraek: object = None,
    maaledag: object = None,
    punkter: object = None,
) -> object:
    """A row's prognosis (analyser.md §2): the projected value at the next milestone, or
    what `felt` asks: the month the goal is met (a date; '' when not within 24 months
    after the milestone), the wording ("ja", "nej – først ÅÅÅÅ-MM", …), the slope, the
    next goal and its month, the points, or the Danish sentence. #N/A when the row has no
    prognosis."""
    from xlstatus.kerne.analyser import STANDARD_PUNKTER, forklaring, vurdering

    what = "fremskrevet" if is_missing(felt) else PROGNOSE_FIELDS.get(alnum_key(felt))
    if what is None:
        raise FunktionsFejl(
            f"ukendt felt {felt!r} – brug et af: fremskrevet, måned, nås målet, hældning, "
            "næste mål, næste mål måned, punkter, tekst"
        )
    schema = find_schema(projekt)
    row = find_row(schema, raekke, sektion)
    if not row.targeted:
        return NA
    month, day = _month_or_now(maaned), to_int(maaledag, "maaledag", 1, 1, 31)
    k = to_int(punkter, "punkter", STANDARD_PUNKTER, 1, 120)
    p = _prognoser(extract_for(udtraek), month, day, k)[(schema.kode, row.key)]
    if what == "tekst":
        return forklaring(p)
    if what == "punkter":
        return p.antal_punkter
    if not p.har_prognose:
        return NA
    if what == "maaned":
        return _as_datetime(p.maaned_maal_naas)
    if what == "naeste_maal_maaned":
        return _as_datetime(p.naeste_maal_maaned)
    if what == "naar_maalet":
        return vurdering(p)
    return {"fremskrevet": p.fremskrevet, "haeldning": p.haeldning, "naeste_maal": p.naeste_maal}[
        what
    ]


def target_group(maalgruppe: object) -> str:
    """A target-group code as in the extract, ignoring case."""
    from xlstatus.kerne.model import MAALGRUPPER

    if is_missing(maalgruppe):
        raise FunktionsFejl("'maalgruppe' mangler: fx \"A-dagpenge\"")
    for g in MAALGRUPPER:
        if alnum_key(g) == alnum_key(maalgruppe):
            return g
    raise FunktionsFejl(
        f"ukendt målgruppe {maalgruppe!r} – kendte målgrupper: " + "; ".join(MAALGRUPPER)
    )


def vandringer(
    maalgruppe: object,
    retning: object,
    maaned: object = None,
    maaneder: object = None,
    udtraek: object = None,
    maaledag: object = None,
) -> object:
    """One vandringer table (analyser.md §1): a row per category – category, number of
    forløb, share in percent – largest first. #N/A when no forløb began/ended."""
    from xlstatus.kerne.analyser import STANDARD_MAANEDER
    from xlstatus.kerne.analyser import vandringer as compute

    group = target_group(maalgruppe)
    way = RETNINGER.get(alnum_key(retning)) if not is_missing(retning) else None
    if way is None:
        raise FunktionsFejl(f"'retning' skal være tilgang eller afgang (fundet: {retning!r})")
    month, day = _month_or_now(maaned), to_int(maaledag, "maaledag", 1, 1, 31)
    n = to_int(maaneder, "maaneder", STANDARD_MAANEDER, 1, 120)
    extract = extract_for(udtraek)
    result = _analysis(
        ("vandringer", id(extract), month, day, n, group),
        extract,
        lambda: compute(extract, month, day, n, [group]),
    )
    lines = result.tabel(group, way)
    if not lines:
        return NA
    return [[k.kategori, k.antal, k.andel] for k in lines]
