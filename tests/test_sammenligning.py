"""Sammenligning (sammenligning.md §1–2): the four source shapes into the tidy table, the
number forms, suppression (never 0), bad sources named in Danish, `xlstatus sammenligning vis`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xlstatus.cli.app import app
from xlstatus.kerne.sammenligning import KildeError, Raekke, parse_csv, parse_json, tal
from xlstatus.udtraek.sammenligning import read_sources

DATA = Path(__file__).parent / "data" / "sammenligning"
runner = CliRunner()
FP = "Fuldtidspersoner i pct. af arbejdsstyrken 16-66 år"


@pytest.mark.parametrize(
    ("text", "value"),
    [("9,14", 9.14), ("1.234", 1234.0), ("1.234,5", 1234.5), ("-411", -411.0), (3, 3.0),
     (2.5, 2.5), (".", None), ("..", None), ("-", None), ("", None), (None, None)],
)  # fmt: skip
def test_numbers_danish_and_suppressed(text, value):
    assert tal(text) == value


@pytest.mark.parametrize("text", ["12,3,4", "1.23", "abc", "1,2.3", True])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        tal(text)


def test_v3_json_numbers_objects_and_null():
    rows = read_sources([DATA / "ptv_a02.json"])
    first = rows[0]
    assert first == Raekke("ptv_a02.json", FP, "Ydelsesgrupper i alt", "Hele landet", "2023M12",
                           23.4)  # fmt: skip
    udg = [r for r in rows if r.maal.startswith("Offentlige udgifter")]
    assert len(udg) == len(rows) / 2
    sk = [r for r in udg if r.omraade == "Skanderborg"]
    assert sk and all(r.vaerdi is None for r in sk)  # null: suppressed, never 0
    hed = {r.gruppe: r.vaerdi for r in udg if r.omraade == "Hedensted"}
    assert hed["Førtidspension"] == 1097 and hed["Fleksjob"] is None


def test_v2_json_danish_strings():
    rows = read_sources([DATA / "y01a27.json"])
    maal = {r.maal for r in rows}
    assert maal == {"Gennemsnitlig varighed af afsluttede forløb (uger)", "Antal afsluttede forløb"}
    var = {(r.gruppe, r.omraade, r.periode): r.vaerdi for r in rows if "varighed" in r.maal}
    assert var[("", "Hedensted", "2023QMAT11")] == 16.6  # no group column: gruppe empty
    assert var[("", "Hedensted", "2023QMAT10")] == 17.6
    assert var[("", "Skanderborg", "2023QMAT11")] is None
    antal = [r.vaerdi for r in rows if r.maal == "Antal afsluttede forløb"]
    assert 1234.0 in antal  # "1.234"


def test_jobindsats_csv_bom_and_cp1252_read_alike():
    bom = read_sources([DATA / "y60b15.csv"])
    ansi = read_sources([DATA / "y60b15_cp1252.csv"])
    assert [(r.gruppe, r.omraade, r.vaerdi) for r in ansi] == [
        (r.gruppe, r.omraade, r.vaerdi) for r in bom[: len(ansi)]
    ]
    assert bom[0].gruppe == "Jobparate – Lønmodtagerbeskæftigelse"
    rs = {r.gruppe: r.vaerdi for r in bom if r.omraade == "Ringkøbing-Skjern"}
    assert (
        rs["Jobparate – A-dagpenge"] is None and rs["Jobparate – Lønmodtagerbeskæftigelse"] == 77.5
    )


def test_statbank_csv():
    rows = read_sources([DATA / "AUF01.csv"])
    assert {r.maal for r in rows} == {"AUF01"}
    assert rows[0] == Raekke("AUF01.csv", "AUF01", "Bruttoledige – Køn i alt – Alder i alt",
                             "Hele landet", "2023M01", 87043.0)  # fmt: skip
    assert [r.vaerdi for r in rows if r.omraade == "Samsø"] == [67.0, None]


def test_saved_folder_names_sources_by_table_id(tmp_path):
    (tmp_path / "y60b15.csv").write_bytes((DATA / "y60b15.csv").read_bytes())
    (tmp_path / "kilde.json").write_text("{}", encoding="utf-8")
    assert {r.kilde for r in read_sources([tmp_path])} == {"y60b15"}


@pytest.mark.parametrize(
    ("name", "words"),
    [("fejl_tal.csv", ["række 3", "'Fuldtidspersoner'", "12,3,4", "ingen kolonne med tal"]),
     ("fejl_form.json", ["ikke en form"]),
     ("fejl_omraade.csv", ["ingen kolonne for område"]),
     ("fejl_statbank.csv", ["række 2", "INDHOLD", "mange"])],
)  # fmt: skip
def test_bad_source_is_named(name, words):
    with pytest.raises(KildeError) as info:
        read_sources([DATA / "fejl" / name])
    text = str(info.value)
    assert name in text
    for w in words:
        assert w in text


def test_a_column_with_one_stray_value_is_a_group_and_leaves_no_measure():
    text = "Område;Periode;A\nHele landet;2023M12;1,5\nHedensted;2023M12;12,3,4\n"
    with pytest.raises(KildeError):
        parse_csv(text, "x.csv")


def test_v3_row_of_wrong_length_and_bad_json():
    bad = json.dumps(
        {"columns": ["Område", "Periode", "Antal"], "rows": [["Hele landet", "2023M1"]]}
    )
    with pytest.raises(KildeError, match="række 1"):
        parse_json(bad, "y.json")
    with pytest.raises(KildeError, match="ikke gyldig JSON"):
        parse_json("{", "y.json")


def test_vis_csv_contract():
    r = runner.invoke(app, ["sammenligning", "vis", str(DATA / "AUF01.csv"), "--format", "csv"])
    assert r.exit_code == 0, r.output
    lines = list(csv.reader(io.StringIO(r.stdout), delimiter=";"))
    assert lines[0] == ["kilde", "maal", "gruppe", "omraade", "periode", "vaerdi"]
    assert lines[1][-1] == "87043" and lines[-1][-1] == ""  # suppressed: empty, never 0


def test_vis_folder_and_json():
    r = runner.invoke(app, ["sammenligning", "vis", str(DATA), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert {d["kilde"] for d in data} >= {"AUF01.csv", "ptv_a02.json", "y01a27.json", "y60b15.csv"}


def test_vis_bad_source_exit_1_danish():
    r = runner.invoke(app, ["sammenligning", "vis", str(DATA / "fejl" / "fejl_form.json")])
    assert r.exit_code == 1
    assert "fejl_form.json" in r.stderr and "kan ikke læses" in r.stderr


# --------------------------------------------------------------------------- configuration


def test_default_configuration_is_the_theme_meeting():
    from xlstatus.skabelonfiler import load_sammenligning

    o = load_sammenligning()
    assert o.eget_omraade == "Hedensted" and o.forskel_mod == "Ringkøbing-Skjern"
    assert o.omraader == ("Hele landet", "RAR Østjylland", "Ringkøbing-Skjern", "Skanderborg")
    assert o.egne_maaneder == 12
    titles = [t.titel for t in o.tabeller]
    assert titles[0] == FP and "Offentlige udgifter pr. person i arbejdsstyrken" in titles
    kinds = {t.egne for t in o.tabeller}
    assert {"varighed_uger", "status_efter"} <= kinds
    assert o.status_kategori("Job", "aarsag") == "Lønmodtagerbeskæftigelse"
    assert o.status_kategori("Fleksjob", "maalgruppe") == "Fleksjob"
    assert o.status_kategori("Anden ydelse", "aarsag") == "Andet"
    assert o.status_kategori("Ukendt", "aarsag") == "Andet"
    assert o.status_kategori("Selvforsørgelses- og hjemrejseydelse", "maalgruppe") == "Andet"


def test_own_templates_folder_replaces_it(tmp_path, monkeypatch):
    from xlstatus.skabelonfiler import ENV, load_sammenligning

    (tmp_path / "sammenligning.toml").write_text(
        'eget_omraade = "Randers"\nomraader = ["Hele landet"]\n'
        '[[tabel]]\nkilde = "y01a02"\ntitel = "A"\nmaal = "M"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(ENV, str(tmp_path))
    o = load_sammenligning()
    assert o.eget_omraade == "Randers" and [t.kilde for t in o.tabeller] == ["y01a02"]
    assert o.tabeller[0].linjer[0].gruppe is None  # no groups: every group of the source


def test_bad_configuration_names_file_and_field():
    from xlstatus.kerne.errors import TemplateError
    from xlstatus.kerne.sammenligning_opsaetning import parse_opsaetning

    with pytest.raises(TemplateError) as info:
        parse_opsaetning('omraader = "Hele landet"\n[[tabel]]\nkilde = 3\n', "egen.toml")
    text = str(info.value)
    assert "egen.toml" in text and "eget_omraade" in text and "'kilde'" in text


# --------------------------------------------------------------------------- tables


def test_tables_as_the_theme_meeting_shows_them():
    from xlstatus.kerne.sammenligning_tabel import byg_tabeller
    from xlstatus.skabelonfiler import load_sammenligning

    tabs = {t.titel: t for t in byg_tabeller(read_sources([DATA]), load_sammenligning())}
    udg = tabs["Offentlige udgifter pr. person i arbejdsstyrken"]
    assert udg.omraader == ("Hele landet", "RAR Østjylland", "Hedensted", "Ringkøbing-Skjern")
    assert udg.eget == 2 and udg.forskel_mod == "Ringkøbing-Skjern"
    first = udg.linjer[0]
    assert first.tekst == "Ydelsesgrupper i alt" and first.forskel == -411  # the seed's −411
    assert udg.saetninger[0] == (
        "Hedensted ligger 379 kr. under Hele landet, 667 kr. under RAR Østjylland og 411 kr. "
        "under Ringkøbing-Skjern (Ydelsesgrupper i alt)."
    )
    assert "Førtidspension: Hedensted ligger 465 kr. under" in udg.saetninger[1]
    assert udg.perioder == ("2023M12",) and "ptv_a02" in udg.kilde_tekst
    fp = tabs[FP]
    assert fp.omraader[-1] == "Skanderborg" and fp.linjer[1].forskel == 0.0
    jp = tabs["Jobparat, kontanthjælp: status 1 måned efter afsluttet forløb"]
    a_dp = next(ln for ln in jp.linjer if ln.tekst == "A-dagpenge")
    assert a_dp.vaerdier[3] is None and a_dp.forskel is None  # suppressed: no Forskel
    var = tabs["Gennemsnitlig varighed af afsluttede forløb (uger)"]
    assert var.perioder == ("2023QMAT11",)  # seneste
    assert var.linjer[0].vaerdier == (20.3, 20.3, 16.6, 16.8)
