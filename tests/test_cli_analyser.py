"""`xlstatus vandringer` and `xlstatus prognose`: the CSV contract of analyser.md, worked by
hand on tiny extracts written as CSV files, plus JSON, exit codes and Danish messages."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

import pytest
from builders import ext, person, row, schema_of
from typer.testing import CliRunner

from xlstatus.cli.analyser import PROGNOSE_COLUMNS, VANDRINGER_COLUMNS
from xlstatus.cli.app import app
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.generator import write_extract

runner = CliRunner()
JAN, FEB, MAR, AUG = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 8, 1)
ADP, KJ, SYG, RES = "A-dagpenge", "Kontanthjælp jobparat", "Sygedagpenge", "Ressourceforløb"


def f(cpr: str, group: str, start: str, end: str | None = None, why: str | None = None) -> dict:
    return person(cpr, maalgruppe=group, startdato=start, slutdato=end, afgangsaarsag=why)


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def vandring_udtraek(tmp_path_factory):
    e = ext(forloeb=[
        f("P01", SYG, "01-01-2023", "31-03-2024"), f("P01", KJ, "01-04-2024", "31-05-2024", "Job"),
        f("P02", SYG, "01-01-2023", "31-03-2024"), f("P02", KJ, "01-04-2024", "31-05-2024", "Job"),
        f("P03", ADP, "01-01-2023", "31-03-2024"), f("P03", KJ, "01-04-2024", "31-05-2024"),
        f("P04", KJ, "01-04-2024"),
        f("P05", RES, "01-01-2024"), f("P05", KJ, "01-04-2024", "31-05-2024", "Fleksjob"),
    ])  # fmt: skip
    return write_extract(e, tmp_path_factory.mktemp("vandringer") / "udtraek", "csv")


def lines(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_vandringer_csv_is_the_contract(vandring_udtraek):
    out = lines(run("vandringer", "--udtraek", str(vandring_udtraek), "--maaned", "2025-03",
                    "--format", "csv"))  # fmt: skip
    assert out[0] == "maalgruppe;retning;kategori;type;antal;andel"
    assert out[0].split(";") == VANDRINGER_COLUMNS
    # groups alphabetically; tilgang before afgang; count descending, then category
    assert out[1:] == [
        "A-dagpenge;afgang;Kontanthjælp jobparat;maalgruppe;1;100",
        "Kontanthjælp jobparat;tilgang;Sygedagpenge;maalgruppe;2;40",
        "Kontanthjælp jobparat;tilgang;A-dagpenge;maalgruppe;1;20",
        "Kontanthjælp jobparat;tilgang;Ingen;ingen;1;20",
        "Kontanthjælp jobparat;tilgang;Ressourceforløb;maalgruppe;1;20",
        "Kontanthjælp jobparat;afgang;Job;aarsag;2;50",
        "Kontanthjælp jobparat;afgang;Fleksjob;aarsag;1;25",
        "Kontanthjælp jobparat;afgang;Ukendt;aarsag;1;25",
        "Ressourceforløb;tilgang;Ingen;ingen;1;100",
        "Sygedagpenge;afgang;Kontanthjælp jobparat;maalgruppe;2;100",
    ]


def test_vandringer_groups_as_given_window_and_unrounded_shares(vandring_udtraek):
    out = lines(run("vandringer", "--udtraek", str(vandring_udtraek), "--maaned", "2024-06",
                    "--maaneder", "3", "--maalgruppe", "sygedagpenge", "--maalgruppe", KJ,
                    "--format", "csv"))  # fmt: skip
    # window mar-24 … maj-24 as of 01-06-2024: the KJ forløb ending 31-05 are known
    assert out[1:] == [
        "Sygedagpenge;afgang;Kontanthjælp jobparat;maalgruppe;2;100",
        "Kontanthjælp jobparat;tilgang;Sygedagpenge;maalgruppe;2;40",
        "Kontanthjælp jobparat;tilgang;A-dagpenge;maalgruppe;1;20",
        "Kontanthjælp jobparat;tilgang;Ingen;ingen;1;20",
        "Kontanthjælp jobparat;tilgang;Ressourceforløb;maalgruppe;1;20",
        "Kontanthjælp jobparat;afgang;Job;aarsag;2;50",
        "Kontanthjælp jobparat;afgang;Fleksjob;aarsag;1;25",
        "Kontanthjælp jobparat;afgang;Ukendt;aarsag;1;25",
    ]
    # window march 2024 as of 01-04-2024: the A-dagpenge and Sygedagpenge forløb ending
    # 31-03 go to Kontanthjælp jobparat, which starts on måledato itself (known then)
    out = lines(run("vandringer", "--udtraek", str(vandring_udtraek), "--maaned", "2024-04",
                    "--maaneder", "1", "--maalgruppe", SYG, "--maalgruppe", ADP,
                    "--maalgruppe", KJ, "--format", "csv"))  # fmt: skip
    assert out[1:] == [
        "Sygedagpenge;afgang;Kontanthjælp jobparat;maalgruppe;2;100",
        "A-dagpenge;afgang;Kontanthjælp jobparat;maalgruppe;1;100",
    ]
    same = run("vandringer", "--udtraek", str(vandring_udtraek), "--maaned", "2024-04",
               "--maaneder", "1", "--maalgruppe", f"{SYG}, {ADP},{KJ}",
               "--format", "csv")  # fmt: skip
    assert lines(same) == out


def test_vandringer_json_matches_the_csv(vandring_udtraek):
    base = ("vandringer", "--udtraek", str(vandring_udtraek), "--maaned", "2025-03")
    rows = list(csv.DictReader(io.StringIO(run(*base, "--format", "csv").stdout), delimiter=";"))
    data = json.loads(run(*base, "--format", "json").stdout)
    assert [list(d) for d in data] == [VANDRINGER_COLUMNS] * len(rows)
    assert [(d["kategori"], d["antal"]) for d in data] == [(r["kategori"], int(r["antal"]))
                                                          for r in rows]  # fmt: skip
    assert data[1]["andel"] == pytest.approx(40.0)
    table = run(*base)
    assert table.exit_code == 0 and "Tilgang (kom fra)" in table.stdout
    assert "40,0 pct." in table.stdout


@pytest.mark.parametrize("args, message", [
    (["--maaned", "2025-13"], "Ugyldig værdi"),
    (["--maaned", "2025-03", "--maaneder", "0"], "Ugyldig værdi"),
    (["--maaned", "2025-03", "--format", "pdf"], "Ugyldig værdi"),
    (["--maaned", "2025-03", "--maalgruppe", "Pension"], "ukendt målgruppe 'Pension'"),
])  # fmt: skip
def test_vandringer_usage_errors_exit_2(vandring_udtraek, args, message):
    result = run("vandringer", "--udtraek", str(vandring_udtraek), *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_a_bad_extract_exits_1_with_danish_messages(tmp_path, vandring_udtraek):
    bad = tmp_path / "bad"
    bad.mkdir()
    for p in vandring_udtraek.glob("*.csv"):
        (bad / p.name).write_bytes(p.read_bytes())
    text = (bad / "forloeb.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[3].startswith("P02;") and "01-01-2023" in text[3]
    text[3] = text[3].replace("01-01-2023", "31-02-2023", 1)
    (bad / "forloeb.csv").write_text("\n".join(text), encoding="utf-8")
    for command in ("vandringer", "prognose"):
        result = run(command, "--udtraek", str(bad), "--maaned", "2025-03", "--format", "csv")
        assert result.exit_code == 1
        assert "forloeb.csv, række 4, kolonne 'startdato'" in result.stderr
        assert "31-02-2023" in result.stderr and result.stdout == ""
        assert "Traceback" not in result.output


# --------------------------------------------------------------------------- prognose


@pytest.fixture(scope="module")
def prognose_udtraek(tmp_path_factory):
    # Jobparate kontanthjælpsmodtagere over 30 on the 1st of jan … jun 24: p1 from 01-12-23
    # (ends 20-05-24), p2 15-01, p3 15-02, p4 15-04, p5 20-04, p6 10-05 → 1, 2, 3, 3, 5, 5
    e = ext(forloeb=[
        f("P1", KJ, "01-12-2023", "20-05-2024", "Job"), f("P2", KJ, "15-01-2024"),
        f("P3", KJ, "15-02-2024"), f("P4", KJ, "15-04-2024"), f("P5", KJ, "20-04-2024"),
        f("P6", KJ, "10-05-2024"),
    ])  # fmt: skip
    return write_extract(e, tmp_path_factory.mktemp("prognose") / "udtraek", "csv")


def test_prognose_csv_is_the_contract(prognose_udtraek):
    result = run("prognose", "--udtraek", str(prognose_udtraek), "--maaned", "2024-06",
                 "--format", "csv")  # fmt: skip
    out = lines(result)
    assert out[0] == ("projekt;sektion;label;maaned;punkter;haeldning;naeste_maal_maaned;"
                      "naeste_maal;fremskrevet;naar_maalet;maaned_maal_naas")  # fmt: skip
    assert out[0].split(";") == PROGNOSE_COLUMNS
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
    with_targets = [(s.projekt, r.sektion, r.label) for s in load_schemas() for r in s.rows
                    if r.targets]  # fmt: skip
    assert [(r["projekt"], r["sektion"], r["label"]) for r in rows] == with_targets
    assert all(r["maaned"] == "2024-06" for r in rows)
    jp = next(r for r in rows if r["label"] == "Antal jobparate kontanthjælpsmodtagere over 30 år")
    # t = 0…5: b = 29/35; next milestone aug-24 (72, lavere) at t = 7: 19/6 + 29/35 · 4.5;
    # already at or below 72 in M itself
    assert jp["punkter"] == "6"
    assert float(jp["haeldning"]) == pytest.approx(29 / 35)
    assert (jp["naeste_maal_maaned"], float(jp["naeste_maal"])) == ("2024-08", 72.0)
    assert float(jp["fremskrevet"]) == pytest.approx(19 / 6 + 29 / 35 * 4.5)
    assert (jp["naar_maalet"], jp["maaned_maal_naas"]) == ("ja", "2024-06")
    for r in rows:  # numbers with '.' as decimal point, never a comma or e-notation
        for col in ("haeldning", "naeste_maal", "fremskrevet"):
            assert "," not in r[col] and "e" not in r[col].lower()
    # a share with an empty population has no value: only June has one (P1 ended 20-05, known
    # from 01-06), fewer than 3 points: the first five fields only
    job = next(r for r in rows if r["label"] == "Andel afsluttet til job")
    assert job["punkter"] == "1"
    assert [job[c] for c in PROGNOSE_COLUMNS[5:]] == [""] * 6


def test_prognose_punkter_json_and_table(prognose_udtraek):
    base = ("prognose", "--udtraek", str(prognose_udtraek), "--maaned", "2024-06")
    data = json.loads(run(*base, "--punkter", "2", "--format", "json").stdout)
    jp = next(d for d in data if d["label"] == "Antal jobparate kontanthjælpsmodtagere over 30 år")
    assert jp["punkter"] == 2 and jp["fremskrevet"] is None and jp["naar_maalet"] is None
    data = json.loads(run(*base, "--format", "json").stdout)
    jp = next(d for d in data if d["label"] == "Antal jobparate kontanthjælpsmodtagere over 30 år")
    assert jp["haeldning"] == pytest.approx(29 / 35) and jp["naar_maalet"] == "ja"
    assert list(jp) == PROGNOSE_COLUMNS
    table = run(*base)
    assert table.exit_code == 0 and "Næste mål" in table.stdout
    assert run(*base, "--punkter", "0").exit_code == 2


# --------------------------------------------------------------------------- issue 18


def test_a_month_before_the_data_exits_1_naming_both_dates(prognose_udtraek, vandring_udtraek):
    # the prognose extract starts 01-12-2023, the vandringer extract 01-01-2023
    for command, udtraek, month, first in (
        ("prognose", prognose_udtraek, "2023-11", "01-12-2023"),
        ("vandringer", vandring_udtraek, "2022-12", "01-01-2023"),
        ("indikatorer", prognose_udtraek, "2023-11", "01-12-2023"),
    ):
        result = run(command, "--udtraek", str(udtraek), "--maaned", month, "--format", "csv")
        assert result.exit_code == 1, result.output
        assert result.stdout == "" and "Traceback" not in result.output
        flat = " ".join(result.stderr.split())
        assert f"måledatoen 01-{month[5:]}-{month[:4]}" in flat and first in flat
        assert "Ingen tal for" in flat
    # indikatorer --fra: the range's first month decides
    fra = run("indikatorer", "--udtraek", str(prognose_udtraek), "--fra", "2023-11",
              "--maaned", "2024-02", "--format", "csv")  # fmt: skip
    assert fra.exit_code == 1 and "01-11-2023" in " ".join(fra.stderr.split())
    # the first month with data is computed
    assert run("prognose", "--udtraek", str(prognose_udtraek), "--maaned", "2023-12",
               "--format", "csv").exit_code == 0  # fmt: skip


def test_vandringer_table_tells_a_reason_from_a_target_group(vandring_udtraek):
    table = run("vandringer", "--udtraek", str(vandring_udtraek), "--maaned", "2025-03")
    assert table.exit_code == 0
    assert "Fleksjob (afgangsårsag)" in table.stdout and "Job (afgangsårsag)" in table.stdout
    assert "Sygedagpenge (afgangsårsag)" not in table.stdout and "Sygedagpenge" in table.stdout


def test_prognose_table_says_the_wording_in_the_rows_unit(prognose_udtraek):
    table = run("prognose", "--udtraek", str(prognose_udtraek), "--maaned", "2024-06")
    assert table.exit_code == 0
    assert "Nås målet?" in table.stdout and "Nås i" not in table.stdout
    assert "-0,0" not in table.stdout
    # the JP row: 72,0 at aug-24 (a count, one decimal as the projection), slope 29/35
    line = next(x for x in table.stdout.splitlines() if "72,0 (2024-08)" in x)
    cells = [c.strip() for c in line.split("│")]
    assert cells[5:9] == [
        "0,8",
        "72,0 (2024-08)",
        f"{19 / 6 + 29 / 35 * 4.5:.1f}".replace(".", ","),
        "ja",
    ]


def test_prognose_table_formats(capsys):
    from xlstatus.cli.analyser import in_unit, print_prognoser, slope_text
    from xlstatus.kerne.analyser import Prognose

    share = replace(row("andel_afsluttet", fmt="andel"), label="Andel", targets=((AUG, 20.0),),
                    direction="højere")  # fmt: skip
    count = replace(row("bestand"), label="Antal", targets=((AUG, 20.0),), direction="lavere")
    assert in_unit(share, 20.0) == "20,0 pct." and in_unit(count, 20.0) == "20,0"
    assert in_unit(count, -0.04) == "0,0" and slope_text(count, -0.04) == "0,0"
    assert slope_text(share, -1.26) == "-1,3 pct.-point" and in_unit(share, None) == ""
    pts = ((JAN, 1.0), (FEB, 1.0), (MAR, 1.0))
    schema = schema_of(share, count)
    made = [
        Prognose("Test", "", "Andel", MAR, 6, "højere", pts, -0.01, AUG, 20.0, 19.96, False,
                 date(2025, 11, 1)),
        Prognose("Test", "", "Antal", MAR, 6, "lavere", pts, 0.0, AUG, 20.0, 25.0, False, None),
    ]  # fmt: skip
    print_prognoser(made, [schema])
    out = capsys.readouterr().out
    andel = next(x for x in out.splitlines() if "Andel" in x)
    assert "20,0 pct. (2025-08)" in andel and "20,0 pct." in andel.split("(2025-08)")[1]
    assert "0,0 pct.-point" in andel and "-0,0" not in andel
    assert "nej – først 2025-11" in andel
    antal = next(x for x in out.splitlines() if "Antal" in x)
    assert "nej – ikke inden for 2 år" in antal and "25,0" in antal


@pytest.mark.parametrize("args, danish, english", [
    (["--format", "xml"], "'xml' er ikke en af mulighederne: 'tabel', 'csv', 'json'",
     "is not one of"),
    (["--maaledag", "40"], "40 skal være højst 31", "less than"),
    (["--maaledag", "0"], "0 skal være mindst 1", "greater than"),
    (["--punkter", "x"], "'x' skal være et helt tal", "valid integer"),
    (["--punkt", "3"], "Ukendt tilvalg: --punkt (mente du --punkter?)", "Possible"),
    (["ekstra"], "For mange argumenter: ekstra", "unexpected"),
    (["--udtraek"], "Tilvalget '--udtraek' skal have en værdi", "requires"),
])  # fmt: skip
def test_usage_errors_are_danish_with_exit_2(prognose_udtraek, args, danish, english):
    result = run("prognose", "--udtraek", str(prognose_udtraek), "--maaned", "2024-06", *args)
    assert result.exit_code == 2
    flat = " ".join(result.stderr.replace("│", " ").split())
    assert danish in flat and english not in flat and "Value error" not in flat


def test_an_unknown_command_is_danish():
    result = run("proggnose")
    assert result.exit_code == 2
    flat = " ".join(result.stderr.replace("│", " ").split())
    assert "Ukendt kommando 'proggnose'. Mente du 'prognose'?" in flat
    assert "No such command" not in flat


def test_opdater_refuses_a_month_before_the_data_and_changes_nothing(prognose_udtraek, tmp_path):
    book = tmp_path / "Statusskema.xlsx"
    assert run("ny", str(book)).exit_code == 0
    before = book.read_bytes()
    for args in (("--maaned", "2023-11"), ("--fra", "2023-11", "--maaned", "2023-12")):
        result = run("opdater", str(book), "--udtraek", str(prognose_udtraek), *args)
        assert result.exit_code == 1, result.output
        flat = " ".join(result.stderr.split())
        assert "Ingen tal for nov-23" in flat and "01-12-2023" in flat
        assert book.read_bytes() == before
