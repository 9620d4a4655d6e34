"""An extract read once per process (issue 20, item 4): kept by the identity of its files,
shared by the server's Opdater and the cell functions, read again when a file changes in
place, bounded by XLSTATUS_UDTRAEK_CACHE_MB. Cell functions go through xlwings' own
`custom_functions_call`, as Office.js sends them (conftest sets the xlwings licence)."""

from __future__ import annotations

import asyncio
import os
from datetime import date
from pathlib import Path

import pytest
import xlwings as xw
from xlwings.server import custom_functions_call

from xlstatus import excel
from xlstatus.kerne.indikatorer import compute_month
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek import lager
from xlstatus.udtraek.generator import generate, write_extract
from xlstatus.udtraek.laes import read_extract

MONTH = date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setenv("XLSTATUS_BRUGER", "test")
    monkeypatch.delenv(lager.ENV, raising=False)
    lager.clear()
    yield
    lager.clear()


@pytest.fixture
def udtraek(tmp_path) -> Path:
    return write_extract(generate(seed=7, faktor=0.05), tmp_path / "udtraek", "csv")


def call(name: str, *args):
    data = {
        "func_name": name,
        "args": [a if isinstance(a, list) else [[a]] for a in args],
        "caller_address": "Ark1!B2",
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "culture_info_name": "da-DK",
        "date_format": "dd-mm-åååå",
    }
    result = asyncio.run(custom_functions_call(data, excel))
    return result[0][0]


def serial(d: date) -> float:
    return float((d - date(1899, 12, 30)).days)


def cell_values(folder: Path) -> dict[tuple, object]:
    """XLSTATUS_INDIKATOR for every computed row of the month, through xlwings."""
    rows = compute_month(read_extract(folder), load_schemas(), MONTH)
    return {
        (r.schema.projekt, r.row.sektion, r.row.label): call(
            "xlstatus_indikator",
            r.schema.projekt,
            r.row.label,
            serial(MONTH),
            None,
            r.row.sektion or None,
            str(folder),
        )
        for r in rows
    }


def core_values(folder: Path) -> dict[tuple, object]:
    rows = compute_month(read_extract(folder), load_schemas(), MONTH)
    na = {"type": "Error", "errorType": "NotAvailable"}
    return {
        (r.schema.projekt, r.row.sektion, r.row.label): na
        if r.measurement.vaerdi is None
        else pytest.approx(r.measurement.vaerdi)
        for r in rows
    }


def test_a_file_changed_in_place_is_read_again_by_the_cell_functions(udtraek):
    before = cell_values(udtraek)
    assert before == core_values(udtraek)
    reads = lager.stats["reads"]
    assert cell_values(udtraek) == before
    assert lager.stats["reads"] == reads  # the second sheet of cells read nothing

    folder_times = os.stat(udtraek)
    f = udtraek / "forloeb.csv"
    lines = f.read_text(encoding="utf-8-sig").splitlines()
    f.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")  # in place
    os.utime(udtraek, ns=(folder_times.st_atime_ns, folder_times.st_mtime_ns))
    assert os.stat(udtraek).st_mtime_ns == folder_times.st_mtime_ns  # the folder looks the same

    after = cell_values(udtraek)
    assert lager.stats["reads"] == reads + 1
    assert after == core_values(udtraek)
    assert after != before


def test_opdater_and_the_cell_functions_share_one_read(udtraek):
    from xlstatus.server import udtraek as server_udtraek

    extract = server_udtraek.les(udtraek)  # what Opdater over the server reads
    reads = lager.stats["reads"]
    assert cell_values(udtraek) == core_values(udtraek)
    assert lager.stats["reads"] == reads
    assert server_udtraek.les(udtraek) is extract


def test_cache_off_and_bound(udtraek, monkeypatch):
    monkeypatch.setenv(lager.ENV, "0")  # off: every call reads
    first = lager.read_extract_cached(udtraek)
    assert lager.read_extract_cached(udtraek) is not first
    monkeypatch.setenv(lager.ENV, "0.001")  # a kilobyte: an extract is larger, so not kept
    assert lager.read_extract_cached(udtraek) is not lager.read_extract_cached(udtraek)
    monkeypatch.delenv(lager.ENV)
    kept = lager.read_extract_cached(udtraek)
    assert lager.read_extract_cached(udtraek) is kept
    assert 0 < lager.size_of(kept) < lager.limit_bytes()


def test_a_bad_extract_is_not_kept(udtraek):
    from xlstatus.kerne.errors import ExtractError

    f = udtraek / "forloeb.csv"
    good = f.read_bytes()
    lines = f.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(lines[1].split(";")[2], "31-02-2024", 1)
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ExtractError, match="31-02-2024"):
            lager.read_extract_cached(udtraek)
    f.write_bytes(good)
    assert len(lager.read_extract_cached(udtraek).forloeb) == len(lines) - 1
