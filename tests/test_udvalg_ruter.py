"""Klargør til udvalg from every route (issue 18, item 1): xlwings Lite writes the copy's
.xlsx to /data/, xlwings Server builds it from the posted workbook and hands the files to
the server's `publish`, and both copies are the copy `xlstatus udvalg` makes from the same
workbook. Through xlwings' own engine (`xw.Book(json=payload)`), no mocks of xlwings: the
payload is what the add-in sends, the alert is read back from the returned actions."""

from __future__ import annotations

import asyncio
import io
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw
from xlwings.server import custom_scripts_call

from xlstatus import excel, libreoffice
from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import Arbejdsbog
from xlstatus.excel.payload import OFFICE_JS, book_payload, replay
from xlstatus.udtraek.generator import generate
from xlstatus.udvalg import kopi

WHEN = datetime(2024, 6, 3, 8, 0)
NAME = "Statusskema_udvalg_2024-05.xlsx"


@pytest.fixture(autouse=True)
def _user(monkeypatch):
    monkeypatch.setenv("XLSTATUS_BRUGER", "test")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    """A workbook updated for apr-24 and maj-24 (Måltal left out: its formulas have no
    values in a payload made from a file, which no Excel has computed)."""
    path = create_workbook(tmp_path_factory.mktemp("ruter") / "Statusskema.xlsx")
    book = Arbejdsbog(path)
    extract = generate(seed=7, faktor=0.05)
    for m in (date(2024, 4, 1), date(2024, 5, 1)):
        book.opdater(extract, m, when=WHEN, user="test", allow_old=True)
    del book.wb["Måltal"]
    book.save()
    return path


def sheet_values(wb) -> dict[str, list[tuple]]:
    """Every printed value of every page but 'Om tallene' (it states the day it was made)."""
    out = {}
    for ws in wb.worksheets:
        if ws.title == "Om tallene":
            continue
        out[ws.title] = [tuple(r) for r in ws.iter_rows(values_only=True, max_col=14)]
    return out


def run(path: Path, script: str = "klargoer_til_udvalg"):
    payload = book_payload(path, OFFICE_JS)
    book = xw.Book(json=payload)
    asyncio.run(custom_scripts_call(excel, script, typehint_to_value={xw.Book: book}))
    return replay(book.json()["actions"], payload)


def test_lite_writes_the_copy_to_data_and_says_how_to_make_the_pdf(workbook, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "emscripten")  # what tells xlstatus it is Lite
    monkeypatch.setattr(excel, "LITE_DATA", str(tmp_path / "data"))
    rp = run(workbook)
    ((text, title, mode),) = rp.alerts
    made = tmp_path / "data" / NAME
    assert mode == "info" and title == "Klargør til udvalg", text
    assert str(made) in text and "Files → Import/Export" in text and "Gem som → PDF" in text
    lite = openpyxl.load_workbook(made)
    same, _ = kopi.build_copy(workbook)
    assert lite.sheetnames == same.sheetnames
    assert sheet_values(lite) == sheet_values(same)  # the copy `xlstatus udvalg` makes


def test_the_server_builds_the_copy_and_the_message_carries_the_links(workbook):
    payload = book_payload(workbook, OFFICE_JS)
    book = xw.Book(json=payload)
    handed: list = []

    def publish(files: list[tuple[str, bytes]], user: str | None) -> list[str]:
        handed.append((files, user))
        return [f"https://xlstatus.example/udvalg/s3cr3t/{name}" for name, _ in files]

    excel.koer_klargoer(book, publish=publish, user="anna")
    rp = replay(book.json()["actions"], payload)
    ((text, _title, mode),) = rp.alerts
    ((files, user),) = handed
    names = [n for n, _ in files]
    assert user == "anna" and mode == "info"
    assert names[0] == NAME
    if libreoffice.available():
        assert names == [NAME, NAME.replace(".xlsx", ".pdf")]
        assert files[1][1].startswith(b"%PDF")
    for name in names:
        assert f"https://xlstatus.example/udvalg/s3cr3t/{name}" in text
    served = openpyxl.load_workbook(io.BytesIO(files[0][1]))
    same, _ = kopi.build_copy(workbook)
    assert sheet_values(served) == sheet_values(same)


def test_the_server_without_a_publish_function_says_so_and_changes_nothing(workbook):
    rp = run(workbook)
    ((text, _title, mode),) = rp.alerts
    assert mode == "critical" and "xlstatus udvalg" in text and "Intet er ændret" in text
