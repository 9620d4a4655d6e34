"""Reading comparison sources (sammenligning.md §2) from files and folders: the file side of
`kerne.sammenligning`. A folder gives every `*.json` and `*.csv` in it, by name; a folder
made by `xlstatus sammenligning hent` has `kilde.json`, and then a file's `kilde` is its
table id (the file name without extension), else the file name.

Every problem in every file is collected first; `KildeError` then names them all and
nothing is returned (so a caller changes nothing). `laes_og_byg` reads the sources and
computes the comparison tables (with the own FACIT figures when an extract is given), for
the file route and live Excel alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from xlstatus.kerne.errors import Problems
from xlstatus.kerne.model import Extract
from xlstatus.kerne.sammenligning import KildeError, Raekke, parse_csv, parse_json
from xlstatus.kerne.sammenligning_opsaetning import Opsaetning
from xlstatus.kerne.sammenligning_tabel import Sammenligningstabel, byg_tabeller
from xlstatus.kerne.tid import add_months, month_label, month_start

METADATA = "kilde.json"  # written by `hent`: what was asked for, and when
SUFFIXES = (".json", ".csv")
SUMMARY = "Sammenligningskilden kan ikke læses"


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM, else Windows-1252 (jobindsats.dk's and Excel's forms)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def source_files(paths: list[Path], problems: Problems) -> list[tuple[Path, str]]:
    """(file, kilde) for every source named: files as given, folders by file name."""
    out: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            saved = (path / METADATA).is_file()
            files = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUFFIXES and p.name != METADATA
            )
            if not files:
                problems.error("mappen har ingen .json- eller .csv-filer", file=str(path))
            out += [(p, p.stem if saved else p.name) for p in files]
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                problems.error("filtypen kendes ikke", file=path.name, expected=".json eller .csv")
            else:
                out.append((path, path.name))
        else:
            problems.error("filen eller mappen findes ikke", file=str(path))
    return out


def read_file(path: Path, kilde: str, maal: str | None = None) -> list[Raekke]:
    """One source file -> tidy rows (KildeError naming the file when it is bad)."""
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        problems = Problems()
        problems.error(f"filen kan ikke læses ({exc.strerror or exc})", file=kilde)
        problems.raise_if_errors(SUMMARY, KildeError)
    if path.suffix.lower() == ".json":
        return parse_json(text, kilde)
    return parse_csv(text, kilde, maal or path.stem)


def read_sources(paths: list[Path]) -> list[Raekke]:
    """Every source file of `paths` (files or folders) -> tidy rows, in file order."""
    problems = Problems()
    rows: list[Raekke] = []
    for path, kilde in source_files(paths, problems):
        try:
            rows += read_file(path, kilde)
        except KildeError as exc:
            for p in exc.problems:
                problems.errors.append(p)
    problems.raise_if_errors(SUMMARY, KildeError)
    return rows


def egne_window(month: date, o: Opsaetning) -> tuple[date, date]:
    """The own FACIT figures' months: the `egne_maaneder` whole months before `month`."""
    til = add_months(month_start(month), -1)
    return add_months(til, 1 - o.egne_maaneder), til


def laes_og_byg(
    kilder: Sequence[Path], extract: Extract | None, month: date, o: Opsaetning
) -> tuple[list[Sammenligningstabel], str]:
    """The tables and the sheet's info line; KildeError (nothing written) on a bad source."""
    from xlstatus.kerne.sammenligning_egne import egne_tal

    rows = read_sources(list(kilder))
    egne = None
    if extract is not None and len(extract.forloeb):
        fra, til = egne_window(month, o)
        egne = egne_tal(extract, fra, til, o.maaledag, o)
    names = ", ".join(p.name for p in kilder)
    info = f"Tal fra {names}, indlæst til {month_label(month_start(month))}."
    if egne is not None:
        info += (
            f" Egne tal fra FACIT: {month_label(egne.fra)} – {month_label(egne.til)} "
            f"(opgjort pr. {egne.maaledato:%d-%m-%Y})."
        )
    return byg_tabeller(rows, o, egne), info
