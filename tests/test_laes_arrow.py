"""The columnar CSV reader (pyarrow) against the reader without pyarrow (issue 20, items 1–2).

Where pyarrow is importable a CSV file goes through `pyarrow.csv` and `pyarrow.compute`
(trimmed and dictionary-encoded without Python per row); where it is missing (xlwings Lite,
Pyodide) the csv module and pandas do it. `read_extract(..., arrow=False)` is the second
way. On random extracts, good and bad, both give the same tables, the same warnings and
the same problems (file, row, column, value, expected), in the same order.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlstatus.kerne.errors import ExtractError
from xlstatus.kerne.model import TABLES
from xlstatus.udtraek.laes import _arrow_csv, read_extract

# cell values of every kind, good and bad, with and without padding
CPR = ["010190-1234", "0101901234", "101901234", "311299-4321", "PSEUDO-7", "", " 010190-1234 "]
CODES = ["A-dagpenge", "a-dagpenge", "Sygedagpenge", "Fleksjob", "Job", "Uddannelse", "Mentor",
         "Løntilskud", "KPIJ-HENVIST", "JOBPERRONEN", "Ukendt", "Andet", "Nej", ""]  # fmt: skip
DATES = ["01-02-2024", "2024-02-01", "1.2.2024", "31-02-2024", "45000", "i går", "",
         "15-06-2025 10:30", " 03-03-2023 "]  # fmt: skip
MONTHS = ["2024-02", "02-2024", "feb-24", "marts 2025", "2024-13", "15-06-2025", ""]
DECIMALS = ["7,5", "7.5", "-1", "800", "350", "abc", "", "1e3", " 12 "]
OTHER = ["\u00a0x", "\u2003", "æøå", "12345678", "DK-12345678", "Firma A/S"]
KIND_VALUES = {"text": CPR + OTHER, "code": CODES + OTHER[:2], "date": DATES,
               "month": MONTHS, "decimal": DECIMALS}  # fmt: skip
HEADER_ALIASES = {"cpr": ["cpr", "CPR-nummer", " Cpr "], "startdato": ["startdato", "Start dato"]}


@st.composite
def csv_table(draw, table: str) -> str:
    spec = TABLES[table]
    cols = [c for c in spec if draw(st.integers(0, 9)) > 0]  # now and then a column is missing
    if draw(st.booleans()):
        cols = draw(st.permutations(cols))
    heads = [draw(st.sampled_from(HEADER_ALIASES.get(c, [c]))) for c in cols]
    sep = draw(st.sampled_from([";", ";", "\t", ","]))
    cell = {c: st.sampled_from(KIND_VALUES[spec[c][0]] if c != "cpr" else CPR) for c in cols}
    row = st.tuples(*(cell[c] for c in cols)) if cols else st.just(())
    rows = draw(st.lists(row, max_size=25))
    if rows and draw(st.booleans()):
        rows += draw(st.lists(st.sampled_from(rows), max_size=4))  # exact duplicates
    fit = {",": "."}.get(sep, sep)  # a comma-separated file writes decimals with '.'
    lines = [sep.join(heads)] + [sep.join(v.replace(sep, fit) for v in r) for r in rows]
    for _ in range(draw(st.integers(0, 2))):  # blank lines keep their row numbers
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["", sep * 2])))
    if draw(st.integers(0, 14)) == 0:
        lines.insert(draw(st.integers(1, len(lines))), '"quoted";x')  # the careful path
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return end.join(lines) + draw(st.sampled_from([end, ""]))


@st.composite
def extracts(draw) -> dict[str, str]:
    names = [t for t in TABLES if t == "forloeb" or draw(st.booleans())]
    return {t: draw(csv_table(t)) for t in names}


def outcome(folder: Path, arrow: bool) -> tuple:
    try:
        e = read_extract(folder, arrow=arrow)
    except ExtractError as exc:
        return ("fejl", exc.problems, exc.warnings)
    return ("ok", {t: e.table(t) for t in TABLES}, e.warnings, e.sources, e.present)


def assert_same(a: tuple, b: tuple) -> None:
    assert a[0] == b[0]
    if a[0] == "fejl":
        assert a[1:] == b[1:]
        return
    for t in TABLES:
        pd.testing.assert_frame_equal(a[1][t], b[1][t], check_exact=True)
    assert a[2:] == b[2:]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=extracts(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_pyarrow_and_the_reader_without_it_agree(tmp_path_factory, files, encoding):
    folder = tmp_path_factory.mktemp("u")
    for table, text in files.items():
        (folder / f"{table}.csv").write_bytes(text.encode(encoding, errors="replace"))
    assert_same(outcome(folder, arrow=True), outcome(folder, arrow=False))


def test_a_generated_extract_goes_through_pyarrow_and_agrees(tmp_path):
    from xlstatus.udtraek.generator import generate, write_extract

    folder = write_extract(generate(seed=5, faktor=0.3), tmp_path / "u", "csv")
    for f in folder.glob("*.csv"):
        assert _arrow_csv(f.read_bytes()) is not None  # the columnar path, not a fallback
    assert_same(outcome(folder, arrow=True), outcome(folder, arrow=False))


def test_pyarrow_trims_what_python_strips():
    """The columnar path trims with pyarrow; every code point's verdict equals str.strip."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    values = [f"{c}x{c}" for c in chars]
    trimmed = pc.utf8_trim_whitespace(pa.array(values)).to_pylist()
    assert trimmed == [v.strip() for v in values]


@pytest.mark.parametrize("text", ["", "\n\n", ";;\n;;\n"])
def test_no_header_is_no_table_in_both(tmp_path, text):
    (tmp_path / "forloeb.csv").write_text(text, encoding="utf-8")
    assert_same(outcome(tmp_path, arrow=True), outcome(tmp_path, arrow=False))
