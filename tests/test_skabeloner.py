"""Templates travel inside the package; a municipality's own folder adds or replaces them.

The sixth project below is written from the template format alone (docs and the packaged
schemas), put in an override folder, and gets its own sheet and figures from the same
engine as the five packaged ones.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlstatus import skabelonfiler as skabeloner
from xlstatus.cli.app import app
from xlstatus.kerne.indikatorer import compute_month
from xlstatus.kerne.status import Tolerance
from xlstatus.kerne.tid import parse_month
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.generator import generate, write_extract
from xlstatus.udtraek.laes import read_extract

SIXTH = """\
projekt = "Ledige i fokus"
ark = "Ledige i fokus"
titel = "Ledige i fokus"
overskrift = "Statusskema Ledige i fokus – månedsvis opfølgning"
startmaaling = 2024-01-10
projektstart = 2024-01-10
maaneder = ["2024-02", "2026-01"]

[[milepael]]
maaned = "2026-01"
overskrift = "Mål Januar 2026"

[[raekke]]
label = "Antal A-dagpengemodtagere i bestand"
art = "bestand"
maalgruppe = "A-dagpenge"
maal = { "2026-01" = 400 }
retning = "lavere"

[[raekke]]
label = "Antal ledige, som indgår i Kompetenceporten (akkumuleret)"
art = "akkumuleret"
markering = "KOMPETENCEPORTEN"
maal = { "2026-01" = 30 }
retning = "højere"
"""


@pytest.fixture
def own(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "egne"
    (folder / "skemaer").mkdir(parents=True)
    (folder / "skemaer" / "6_ledige_i_fokus.toml").write_text(SIXTH, encoding="utf-8")
    # set (empty = none) through monkeypatch, so what `--skabeloner` sets is undone afterwards
    monkeypatch.setenv(skabeloner.ENV, "")
    monkeypatch.setenv(skabeloner.ENV_OLD, "")
    return folder


def test_templates_are_package_data():
    assert skabeloner.TEMPLATES.parent.name == "xlstatus"
    assert (skabeloner.TEMPLATES / "maaltal.toml").is_file()
    assert len(skabeloner.schema_files()) == 5
    assert not (Path(__file__).resolve().parents[1] / "templates").exists()


def test_override_adds_and_replaces_schemas(own, monkeypatch):
    packaged = skabeloner.TEMPLATES / "skemaer" / "3_kompetenceporten.toml"
    changed = packaged.read_text(encoding="utf-8").replace(
        'titel = "Kompetenceporten"', 'titel = "Kompetenceporten (egen)"'
    )
    (own / "3_kompetenceporten.toml").write_text(changed, encoding="utf-8")
    monkeypatch.setenv(skabeloner.ENV, str(own))
    names = [p.name for p in skabeloner.schema_files()]
    assert len(names) == 6 and names[-1] == "6_ledige_i_fokus.toml"
    assert skabeloner.schema_files()[2].parent == own
    titles = [s.titel for s in load_schemas()]
    assert "Kompetenceporten (egen)" in titles and "Ledige i fokus" in titles


def test_old_variable_still_works_and_single_files_replace(own, monkeypatch):
    shutil.copy(skabeloner.TEMPLATES / "maaltal.toml", own / "maaltal.toml")
    monkeypatch.setenv(skabeloner.ENV_OLD, str(own))
    assert skabeloner.template_file("maaltal.toml") == own / "maaltal.toml"
    assert skabeloner.template_file("kolonnealiaser.toml").parent == skabeloner.TEMPLATES
    assert len(skabeloner.schema_files()) == 6


def test_a_sixth_project_gets_its_sheet_and_figures(own, tmp_path, monkeypatch):
    udtraek = write_extract(generate(seed=3, faktor=0.1), tmp_path / "udtraek", "csv")
    book = tmp_path / "Statusskema.xlsx"
    runner = CliRunner()
    made = runner.invoke(app, ["--skabeloner", str(own), "ny", str(book)])
    assert made.exit_code == 0, made.output
    done = runner.invoke(app, ["--skabeloner", str(own), "opdater", str(book), "--udtraek",
                               str(udtraek), "--maaned", "2025-03"])  # fmt: skip
    assert done.exit_code == 0, done.output
    # the sheet is named as its schema: Opdater does not repeat "genkendt som" (issue 18)
    assert "Opdateret mar-25" in done.output and "genkendt som" not in done.output
    wb = openpyxl.load_workbook(book)
    assert "Ledige i fokus" in wb.sheetnames
    monkeypatch.setenv(skabeloner.ENV, str(own))
    sixth = next(s for s in load_schemas() if s.projekt == "Ledige i fokus")
    extract = read_extract(udtraek)
    results = compute_month(extract, [sixth], parse_month("2025-03"), 1, Tolerance())
    grid = list(wb["Ledige i fokus"].iter_rows(values_only=True))
    header = next(r for r in grid if datetime(2025, 3, 1) in r)
    col = header.index(datetime(2025, 3, 1))
    for r in results:
        line = next(row for row in grid if row[0] == r.row.label)
        assert r.measurement.antal is not None and r.measurement.antal > 0
        assert line[col] == r.measurement.antal, (r.row.label, line[col])


def test_unknown_override_folder_is_a_danish_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["--skabeloner", str(tmp_path / "nej"), "indikatorer",
                                      "--udtraek", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 2 and "mappen findes ikke" in result.output
