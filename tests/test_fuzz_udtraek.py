"""Bounded fuzz test of extracts (#11): damaged CSV and .xlsx extracts never crash.

A small valid generated extract is mutated in a few hundred fixed-seed ways (files cut
off, stray quotes and bytes, long values, huge numbers, headers dropped or swapped,
encodings, damaged .xlsx zips and XML …). Each goes through `xlstatus opdater` on a small
workbook and through `xlstatus indikatorer`, in-process via typer's CliRunner: no
traceback, exit code 0 or 1, the workbook unchanged (bytes) on exit 1, a Danish message
on stderr, and no CPR number in any output.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import warnings
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlstatus.cli.app import app
from xlstatus.udtraek.generator import generate, write_extract

SEED = 11
CASES = 100  # through both commands (~0.3 s of CPU each)
READER_CASES = 250  # through the reader alone (fast)
MONTH = "2026-01"  # the generated extract's last month
CPR_IN_OUTPUT = re.compile(r"(?<!\d)\d{6}-\d{4}(?!\d)")
runner = CliRunner()

Mutation = Callable[[random.Random, Path], str]  # mutates the extract in place, says how


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fuzz")
    ext = generate(seed=3, faktor=0.01)
    csv = write_extract(ext, root / "csv", "csv")
    xlsx = write_extract(ext, root / "xlsx", "xlsx")
    book = root / "bog.xlsx"
    result = runner.invoke(app, ["ny", str(book)])
    assert result.exit_code == 0, result.output
    return {"csv": csv, "xlsx": xlsx, "book": book}


# --------------------------------------------------------------------------- CSV mutations


def _csv_file(rng: random.Random, folder: Path) -> Path:
    return rng.choice(sorted(folder.glob("*.csv")))


def _text(f: Path) -> str:
    """The file as text; bytes that are no UTF-8 (an earlier fault) survive a rewrite."""
    return f.read_bytes().decode("utf-8", errors="surrogateescape")


def _edit_text(folder: Path, rng: random.Random, change: Callable[[str], str]) -> Path:
    f = _csv_file(rng, folder)
    f.write_bytes(change(_text(f)).encode("utf-8", errors="surrogateescape"))
    return f


def cut_off(rng: random.Random, folder: Path) -> str:
    f = _csv_file(rng, folder)
    data = f.read_bytes()
    f.write_bytes(data[: rng.randrange(len(data) + 1)])
    return f"{f.name} afskåret"


def insert_at(rng: random.Random, folder: Path, what: str) -> str:
    def change(t: str) -> str:
        i = rng.randrange(len(t) + 1)
        return t[:i] + what + t[i:]

    return f"{_edit_text(folder, rng, change).name}: {what[:10]!r} indsat"


def stray_quote(rng: random.Random, folder: Path) -> str:
    return insert_at(rng, folder, rng.choice(['"', '"', '""', '";', '\n"']))


def stray_bytes(rng: random.Random, folder: Path) -> str:
    f = _csv_file(rng, folder)
    data = bytearray(f.read_bytes())
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(data) + 1)
        data[i:i] = bytes([rng.choice([0, 0xFF, 0xFE, 0x0D, 0x0A, 0x3B, 0x22, 0x09, 0xE6,
                                       rng.randrange(256)])])  # fmt: skip
    f.write_bytes(bytes(data))
    return f"{f.name}: bytes indsat"


def _replace_field(rng: random.Random, folder: Path, value: Callable[[], str]) -> str:
    def change(t: str) -> str:
        lines = t.split("\r\n")
        i = rng.randrange(1, max(2, len(lines) - 1)) if len(lines) > 2 else 0
        fields = lines[i].split(";")
        fields[rng.randrange(len(fields))] = value()
        lines[i] = ";".join(fields)
        return "\r\n".join(lines)

    return f"{_edit_text(folder, rng, change).name}: felt erstattet"


def long_value(rng: random.Random, folder: Path) -> str:
    return _replace_field(rng, folder, lambda: rng.choice("Xæ9-") * rng.choice([300, 200_000]))


def huge_number(rng: random.Random, folder: Path) -> str:
    numbers = ["9" * 400, "1" + "0" * 30, "1e300", "inf", "-5", "NaN", "745", "169", "1,5e3",
               "0101801234", "010180-1234", "=1+1", "@SUM(A1)"]  # fmt: skip
    return _replace_field(rng, folder, lambda: rng.choice(numbers))


def drop_header(rng: random.Random, folder: Path) -> str:
    return f"{_edit_text(folder, rng, lambda t: t.split(chr(10), 1)[-1]).name}: uden overskrift"


def swap_columns(rng: random.Random, folder: Path) -> str:
    def change(t: str) -> str:
        head, _, rest = t.partition("\r\n")
        names = head.split(";")
        a, b = rng.sample(range(len(names)), 2) if len(names) > 1 else (0, 0)
        names[a], names[b] = names[b], names[a]
        return ";".join(names) + "\r\n" + rest

    return f"{_edit_text(folder, rng, change).name}: overskrifter byttet"


def header_only(rng: random.Random, folder: Path) -> str:
    return f"{_edit_text(folder, rng, lambda t: t.split(chr(13), 1)[0] + chr(10)).name}: tom"


def empty_file(rng: random.Random, folder: Path) -> str:
    f = _csv_file(rng, folder)
    f.write_bytes(rng.choice([b"", b"\r\n", b"\xef\xbb\xbf", b";;;\r\n"]))
    return f"{f.name} tømt"


def drop_lines(rng: random.Random, folder: Path) -> str:
    def change(t: str) -> str:
        lines = t.split("\r\n")
        for _ in range(rng.randint(1, 3)):
            if lines:
                lines.insert(rng.randrange(len(lines)), lines.pop(rng.randrange(len(lines))))
            if lines and rng.random() < 0.5:
                del lines[rng.randrange(len(lines))]
        return "\r\n".join(lines)

    return f"{_edit_text(folder, rng, change).name}: linjer flyttet/slettet"


def encoding(rng: random.Random, folder: Path) -> str:
    f = _csv_file(rng, folder)
    text = _text(f).lstrip("\ufeff")
    enc = rng.choice(["utf-16", "cp1252", "latin-1", "utf-8"])
    f.write_bytes(text.encode(enc, errors="replace"))
    return f"{f.name} som {enc}"


def separator(rng: random.Random, folder: Path) -> str:
    sep = rng.choice([",", "\t", "|"])
    n = rng.choice([1, 10**9])
    return f"{_edit_text(folder, rng, lambda t: t.replace(';', sep, n)).name}: skilletegn {sep!r}"


def remove_or_folder(rng: random.Random, folder: Path) -> str:
    f = _csv_file(rng, folder)
    f.unlink()
    if rng.random() < 0.5:
        f.mkdir()
        return f"{f.name} er en mappe"
    return f"{f.name} mangler"


CSV_MUTATIONS: list[Mutation] = [
    cut_off, stray_quote, stray_bytes, long_value, huge_number, drop_header, swap_columns,
    header_only, empty_file, drop_lines, encoding, separator, remove_or_folder,
]  # fmt: skip


# --------------------------------------------------------------------------- xlsx mutations


def xlsx_bytes(rng: random.Random, path: Path) -> str:
    data = bytearray(path.read_bytes())
    how = rng.choice(["cut", "flip", "zero"])
    i = rng.randrange(len(data))
    if how == "cut":
        del data[i:]
    elif how == "flip":
        for j in rng.sample(range(len(data)), min(len(data), rng.randint(1, 20))):
            data[j] ^= 0xFF
    else:
        data[i : i + 512] = bytes(min(512, len(data) - i))
    path.write_bytes(bytes(data))
    return f"xlsx: bytes ({how})"


def xlsx_parts(rng: random.Random, path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    name = rng.choice(sorted(parts))
    how = rng.choice(["half", "drop", "garbage"])
    if how == "half":
        parts[name] = parts[name][: len(parts[name]) // 2]
    elif how == "drop":
        del parts[name]
    else:
        parts[name] = bytes(rng.randrange(256) for _ in range(200))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    path.write_bytes(buf.getvalue())
    return f"xlsx: {name} ({how})"


def xlsx_cells(rng: random.Random, path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    ws = rng.choice(wb.worksheets)
    values = [1e300, -1.0, 10**30, "X" * 50_000, "0101801234", date(1066, 10, 14), True, None,
              "=1+1", 3.14, "", " ", "31-02-2024"]  # fmt: skip
    how = rng.choice(["cell", "header", "clear", "delete"])
    if how == "delete" and len(wb.worksheets) > 1:
        wb.remove(ws)
    elif how == "clear":
        ws.delete_rows(2, ws.max_row)
    else:
        row = 1 if how == "header" else rng.randint(2, max(2, ws.max_row))
        ws.cell(row, rng.randint(1, max(1, ws.max_column)), rng.choice(values))
    wb.save(path)
    return f"xlsx: ark {ws.title} ({how})"


XLSX_MUTATIONS: list[Callable[[random.Random, Path], str]] = [xlsx_bytes, xlsx_parts, xlsx_cells]


# --------------------------------------------------------------------------- the test


def _check(args: list[str], what: str, book: Path | None, before: bytes | None) -> int:
    result = runner.invoke(app, args)
    out = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        what, repr(result.exception))  # fmt: skip
    assert result.exit_code in (0, 1), (what, result.exit_code, out[-2000:])
    assert "Traceback" not in out and "Error:" not in out, (what, out[-2000:])
    assert not CPR_IN_OUTPUT.search(out), (what, CPR_IN_OUTPUT.search(out))
    if result.exit_code == 1:
        assert "Fejl" in result.stderr or "fejl" in result.stderr, (what, result.stderr[-2000:])
        if book is not None:
            assert book.read_bytes() == before, what
    return result.exit_code


def _mutated(rng: random.Random, base: dict[str, Path], target: Path) -> tuple[Path, str]:
    """A damaged copy of the base extract in `target`: (its location, what was done)."""
    if rng.random() < 0.75:
        shutil.copytree(base["csv"], target)
        what = rng.choice(CSV_MUTATIONS)(rng, target)
        if rng.random() < 0.3:  # sometimes two faults at once
            what += " + " + rng.choice(CSV_MUTATIONS)(rng, target)
        return target, what
    target.mkdir()
    location = target / "udtraek.xlsx"
    shutil.copy(base["xlsx"], location)
    return location, rng.choice(XLSX_MUTATIONS)(rng, location)


def test_fuzzed_extracts_read_or_give_danish_problems(base, tmp_path) -> None:
    from xlstatus.kerne.errors import ExtractError
    from xlstatus.udtraek.laes import read_extract

    rng = random.Random(SEED + 1)
    outcomes = {"ok": 0, "fejl": 0}
    for case in range(READER_CASES):
        location, what = _mutated(rng, base, tmp_path / f"r{case}")
        try:
            ext = read_extract(location)
        except ExtractError as exc:
            texts = [exc.report()]
            assert exc.problems and all(p.file for p in exc.problems), what
            outcomes["fejl"] += 1
        else:
            texts = [str(w) for w in ext.warnings]
            outcomes["ok"] += 1
        for text in texts:
            assert not CPR_IN_OUTPUT.search(text), (what, text)
            assert len(text) < 200 * 1000, what  # at most 200 problems of bounded length
        shutil.rmtree(tmp_path / f"r{case}")
    assert outcomes["ok"] and outcomes["fejl"] > READER_CASES // 3, outcomes


def test_fuzzed_extracts_never_crash_and_change_nothing_on_error(base, tmp_path) -> None:
    rng = random.Random(SEED)
    original = base["book"].read_bytes()
    book = tmp_path / "bog.xlsx"
    exits = {0: 0, 1: 0}
    for case in range(CASES):
        target = tmp_path / f"u{case}"
        location, what = _mutated(rng, base, target)
        book.write_bytes(original)
        for leftover in tmp_path.glob("bog.backup*"):
            leftover.unlink()
        what = f"tilfælde {case}: {what}"
        with warnings.catch_warnings(record=True) as shown:
            warnings.simplefilter("always")
            code = _check(["opdater", str(book), "--udtraek", str(location), "--maaned", MONTH],
                          what, book, original)  # fmt: skip
            _check(["indikatorer", "--udtraek", str(location), "--maaned", MONTH,
                    "--format", "csv"], what, None, None)  # fmt: skip
        # a library's English warning would reach the person on stderr
        loud = [w for w in shown if issubclass(w.category, UserWarning | RuntimeWarning)]
        assert not loud, (what, [str(w.message)[:200] for w in loud])
        exits[code] += 1
        shutil.rmtree(target)
    assert exits[0] and exits[1] > CASES // 3, exits  # both outcomes are exercised


@pytest.mark.parametrize("table", ["forloeb", "loentimer"])
def test_indikatorer_on_a_header_only_table(base, tmp_path, table: str) -> None:
    folder = shutil.copytree(base["csv"], tmp_path / "u")
    f = folder / f"{table}.csv"
    f.write_text(_text(f).split("\r\n", 1)[0] + "\r\n", encoding="utf-8")
    result = runner.invoke(app, ["indikatorer", "--udtraek", str(folder), "--maaned", MONTH,
                                 "--format", "csv"])  # fmt: skip
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if table == "forloeb":
        assert result.exit_code == 1 and result.stdout == ""
        assert "tabellen 'forloeb' har ingen rækker" in result.stderr
    else:
        assert result.exit_code == 0 and len(result.stdout.splitlines()) == 40
        assert "tabellen 'loentimer' har ingen rækker" in result.stderr
