"""XLSTATUS_PROGNOSE and XLSTATUS_VANDRINGER through xlwings' own server engine (no mocks):
calls go through `custom_functions_call` as Office.js sends them and must give the core's
numbers (kerne/analyser.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_excel import call, serial  # an Office.js call through xlwings' engine
from xlwings.server import custom_functions_meta

from xlstatus import excel
from xlstatus.excel import funktioner
from xlstatus.kerne.analyser import forklaring, prognoser, vandringer, vurdering
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.generator import generate, write_extract
from xlstatus.udtraek.laes import read_extract

NA = {"type": "Error", "errorType": "NotAvailable"}
MAR25 = date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _fresh():
    funktioner._LAST.clear()


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("udtraek")
    write_extract(generate(seed=7, faktor=0.05), folder, "csv")
    return folder


def as_date(value) -> date:
    """An Office.js FormattedNumber date back to a date."""
    assert value["type"] == "FormattedNumber", value
    return date.fromordinal(date(1899, 12, 30).toordinal() + int(value["basicValue"]))


def test_both_functions_are_listed_with_danish_parameters():
    listed = {f["id"]: f for f in custom_functions_meta(excel)["functions"]}
    for name, first in (("XLSTATUS_PROGNOSE", "projekt"), ("XLSTATUS_VANDRINGER", "maalgruppe")):
        f = listed[name]
        assert f["parameters"][0]["name"] == first
        assert "Valgfri" in f["parameters"][2]["description"]
        assert "\n" not in f["description"]


def test_prognose_gives_the_cores_numbers(udtraek):
    schemas = load_schemas()
    core = prognoser(read_extract(udtraek), schemas, MAR25)
    assert any(p.har_prognose for p in core) and any(p.maaned_maal_naas for p in core)
    for p in core:
        args = (p.projekt, p.label, serial(MAR25))
        sektion = p.sektion or None
        value = call("xlstatus_prognose", *args, None, sektion, str(udtraek))
        when = call("xlstatus_prognose", *args, "måned", sektion, str(udtraek))
        text = call("xlstatus_prognose", *args, "tekst", sektion, str(udtraek))
        assert text == forklaring(p)
        if not p.har_prognose:
            assert value == NA and when == NA
            continue
        assert value == pytest.approx(p.fremskrevet)
        if p.maaned_maal_naas is None:
            assert when == ""
        else:
            assert as_date(when) == p.maaned_maal_naas
    p = next(p for p in core if p.har_prognose)
    args = (p.projekt, p.label, "2025-03")
    extra = (p.sektion or None, str(udtraek))
    assert call("xlstatus_prognose", *args, "hældning", *extra) == pytest.approx(p.haeldning)
    # the wording people read (analyser.md §2, changed spec), not the CSV's bare ja/nej
    assert call("xlstatus_prognose", *args, "Nås målet", *extra) == vurdering(p)
    for q in [q for q in core if q.har_prognose and not q.naar_maalet][:1]:
        said = call("xlstatus_prognose", q.projekt, q.label, "2025-03", "nås målet",
                    q.sektion or None, str(udtraek))  # fmt: skip
        assert said == vurdering(q) and said.startswith("nej – ")
    assert call("xlstatus_prognose", *args, "næste mål", *extra) == p.naeste_maal
    assert as_date(call("xlstatus_prognose", *args, "næste mål måned", *extra)) == (
        p.naeste_maal_maaned
    )
    assert call("xlstatus_prognose", *args, "punkter", *extra) == 6


def test_prognose_punkter_maaledag_and_rows_without_goals(udtraek):
    schemas = load_schemas()
    extract = read_extract(udtraek)
    (p,) = [p for p in prognoser(extract, schemas, MAR25, 10, 4)
            if p.label == "Antal jobparate kontanthjælpsmodtagere over 30 år"]  # fmt: skip
    assert call("xlstatus_prognose", "Jobperronen", p.label, "mar-25", None, None, str(udtraek),
                10, 4) == pytest.approx(p.fremskrevet)  # fmt: skip
    # a row without milestones has no prognosis
    assert call("xlstatus_prognose", "Unge i job med Socialt Frikort", "Antal unge med Socialt "
                "Frikort", "2025-03", None, None, str(udtraek)) == NA  # fmt: skip
    # without a month: this month, computed as the core does it
    today = date.today().replace(day=1)
    (now,) = [p for p in prognoser(extract, schemas, today)
              if p.label == "Antal jobparate kontanthjælpsmodtagere over 30 år"]  # fmt: skip
    assert call("xlstatus_prognose", "Jobperronen", now.label, None, "punkter", None,
                str(udtraek)) == now.antal_punkter  # fmt: skip


def test_vandringer_gives_the_cores_table(udtraek):
    core = vandringer(read_extract(udtraek), MAR25)
    shown = 0
    for group in core.maalgrupper:
        for way, word in (("tilgang", "Tilgang"), ("afgang", "gik til")):
            lines = core.tabel(group, way)
            value = call("xlstatus_vandringer", group.upper(), word if way == "afgang" else way,
                         serial(MAR25), None, str(udtraek))  # fmt: skip
            if not lines:
                assert value == NA
                continue
            rows = value  # always a list of [kategori, antal, andel] rows
            assert [r[0] for r in rows] == [k.kategori for k in lines]
            assert [r[1] for r in rows] == [k.antal for k in lines]
            assert [r[2] for r in rows] == pytest.approx([k.andel for k in lines])
            shown += 1
    assert shown >= 10
    short = vandringer(read_extract(udtraek), MAR25, 1, 3, ["A-dagpenge"])
    value = call("xlstatus_vandringer", "A-dagpenge", "afgang", "2025-03", 3, str(udtraek))
    assert [r[1] for r in value] == [k.antal for k in short.tabel("A-dagpenge", "afgang")]


def test_analysis_errors_are_readable(udtraek):
    with pytest.raises(excel.ExcelFejl, match="ukendt målgruppe 'Pension'"):
        call("xlstatus_vandringer", "Pension", "tilgang", "2025-03", None, str(udtraek))
    with pytest.raises(excel.ExcelFejl, match="'retning' skal være tilgang eller afgang"):
        call("xlstatus_vandringer", "A-dagpenge", "sidelæns", "2025-03", None, str(udtraek))
    with pytest.raises(excel.ExcelFejl, match="ukendt felt 'farve'"):
        call("xlstatus_prognose", "Jobperronen", "Andel afsluttet til job", "2025-03", "farve")
    with pytest.raises(excel.ExcelFejl, match="intet udtræk er indlæst"):
        call("xlstatus_prognose", "Jobperronen", "Andel afsluttet til job", "2025-03")
    with pytest.raises(excel.ExcelFejl, match="'punkter' skal være et helt tal"):
        call("xlstatus_prognose", "Jobperronen", "Andel afsluttet til job", "2025-03", None,
             None, str(udtraek), None, 0)  # fmt: skip
