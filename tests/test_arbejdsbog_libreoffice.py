"""A real spreadsheet engine opens what xlstatus writes: LibreOffice headless → PDF → text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from legacy_fixtures import run

from xlstatus import libreoffice
from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.kerne.errors import WorkbookError

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice er ikke installeret"),
]

TITLES = [
    "Klar, parat – i job – målrettet jobsøgningstilbud til a-dagpengemodtagere",
    "Flere i job",
    "Kompetenceporten",
    "Håndholdt indsats for jobparate kontanthjælpsmodtagere (Jobperronen)",
    "Unge i job med Socialt Frikort",
]


def pdf_pages(path: Path, tmp_path: Path) -> list[str]:
    pdf = libreoffice.convert(path, "pdf", tmp_path / "pdf")
    assert pdf.suffix == ".pdf" and pdf.stat().st_size > 10_000
    return libreoffice.pdf_text(pdf).split("\f")


def test_the_new_workbook_prints_its_titles_and_danish_months(tmp_path: Path):
    pages = pdf_pages(create_workbook(tmp_path / "Ny.xlsx"), tmp_path)
    for title, page in zip(TITLES, pages, strict=False):
        assert title in page
        assert "Startmåling" in page and "10-01-2024" in page
        for month in ("feb-24", "maj-24", "okt-24", "dec-25", "jan-26"):  # Danish names
            assert month in page, (title, month)
        assert "May-24" not in page and "Oct-24" not in page
    assert "Mindste mål" in pages[0] and "pr. aug-24" in pages[0]  # wrapped milestone header
    assert "Seneste måling: endnu ikke opdateret" in pages[0]


def test_the_updated_workbook_prints_values_symbols_and_the_measurement_month(tmp_path: Path):
    path = create_workbook(tmp_path / "Opdateret.xlsx")
    run(path, date(2024, 3, 1))
    run(path, date(2024, 9, 1))
    pages = pdf_pages(path, tmp_path)
    flere = pages[1]
    assert "Seneste måling: sep-24 (måledag 1)" in flere
    for text in ("1 (50 pct.)", "1 (100 pct.)", "100,0 pct.", "50,0 pct.", "17 (17 pct.)",
                 "87,9 pct.", "✔", "✖", "Forklaring:", "● Lidt bagud"):  # fmt: skip
        assert text in flere, text
    klar = pages[0]
    assert "58,0" in klar and "18,8*" in klar  # weeks with a decimal comma, the start note


def test_a_missing_file_is_a_danish_error(tmp_path: Path):
    with pytest.raises(WorkbookError, match="findes ikke"):
        libreoffice.convert(tmp_path / "nej.xlsx", "pdf", tmp_path)
