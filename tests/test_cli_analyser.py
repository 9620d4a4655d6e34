"""`xlstatus vandringer` and `xlstatus prognose`: the CSV contract of analyser.md, worked by
hand on tiny extracts written as CSV files, plus JSON, exit codes and Danish messages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from builders import ext, person
from typer.testing import CliRunner

from xlstatus.cli.analyser import PROGNOSE_COLUMNS, VANDRINGER_COLUMNS
from xlstatus.cli.app import app
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.generator import write_extract

runner = CliRunner()
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
