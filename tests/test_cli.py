"""The command line: formats, exit codes, Danish messages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from xlstatus.cli.app import COLUMNS, app
from xlstatus.udtraek.generator import generate, write_extract

runner = CliRunner()


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory):
    return write_extract(generate(), tmp_path_factory.mktemp("cli") / "udtraek", "csv")


def run(*args: str):
    return runner.invoke(app, list(args))


def test_csv_has_the_contract_columns_and_every_row(udtraek):
    result = run("indikatorer", "--udtraek", str(udtraek), "--maaned", "2025-03", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 39  # 40 rows in the five schemas, one of them manual
    assert {r["status"] for r in rows} <= {"groen", "gul", "roed", ""}
    assert all(r["maaned"] == "2025-03" and r["vaerdi"] for r in rows)
    float(rows[0]["vaerdi"])  # decimal point, not comma


def test_json_and_maaledag(udtraek):
    first = run("indikatorer", "--udtraek", str(udtraek), "--maaned", "2025-03", "--format", "json")
    tenth = run("indikatorer", "--udtraek", str(udtraek), "--maaned", "2025-03",
                "--maaledag", "10", "--format", "json")  # fmt: skip
    a, b = json.loads(first.stdout), json.loads(tenth.stdout)
    assert len(a) == len(b) == 39
    assert [r["vaerdi"] for r in a] != [r["vaerdi"] for r in b]


def test_bad_extract_exits_1_with_danish_messages(tmp_path, udtraek):
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in udtraek.glob("*.csv"):
        (bad / f.name).write_bytes(f.read_bytes())
    text = (bad / "forloeb.csv").read_text(encoding="utf-8-sig").splitlines()
    text[1] = text[1].replace(text[1].split(";")[2], "31-02-2024", 1)
    (bad / "forloeb.csv").write_text("\n".join(text), encoding="utf-8")
    result = run("indikatorer", "--udtraek", str(bad), "--maaned", "2025-03")
    assert result.exit_code == 1
    assert "forloeb.csv, række 2, kolonne 'startdato'" in result.stderr
    assert "31-02-2024" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "args", [["--maaned", "2025-13"], ["--format", "pdf", "--maaned", "2025-01"]]
)
def test_usage_errors_exit_2(udtraek, args):
    result = run("indikatorer", "--udtraek", str(udtraek), *args)
    assert result.exit_code == 2
    assert "Ugyldig værdi" in result.stderr
