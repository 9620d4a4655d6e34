"""`xlstatus sammenligning egne` (sammenligning.md §5): varighed and status efter afsluttet
forløb from a tiny extract, worked by hand, and the CSV contract."""

from __future__ import annotations

from datetime import date

import pytest
from builders import ext, person
from typer.testing import CliRunner

from xlstatus.cli.app import app
from xlstatus.kerne.sammenligning_egne import egne_tal
from xlstatus.skabelonfiler import load_sammenligning
from xlstatus.udtraek.generator import write_extract

runner = CliRunner()
KJ, SYG, FJ = "Kontanthjælp jobparat", "Sygedagpenge", "Fleksjob"


def f(cpr: str, group: str, start: str, end: str | None = None, why: str | None = None) -> dict:
    return person(cpr, maalgruppe=group, startdato=start, slutdato=end, afgangsaarsag=why)


EXTRACT = ext(forloeb=[
    f("P01", SYG, "01-01-2024", "31-03-2024"), f("P01", KJ, "01-04-2024", "31-05-2024", "Job"),
    f("P02", SYG, "01-03-2024", "14-03-2024", "Uddannelse"),
    f("P03", KJ, "01-02-2024", "29-02-2024", "Job"),  # ends before the window
    f("P04", KJ, "01-04-2024", "30-04-2024", "Ukendt"), f("P04", FJ, "01-05-2024"),
    f("P05", KJ, "01-03-2024", "31-05-2024", "Anden ydelse"),
    f("P06", SYG, "01-05-2024"),
    f("P07", KJ, "01-05-2024", "15-06-2024", "Job"),  # ends after the window
])  # fmt: skip

EXPECTED = [
    "maalgruppe;maal;kategori;antal;vaerdi",
    # KJ: P01 61 days, P04 30, P05 92 -> 183 / 7 / 3
    f"{KJ};varighed_uger;;3;8.714285714285714",
    f"{KJ};status_efter;Andet;1;33.333333333333336",  # Anden ydelse
    f"{KJ};status_efter;Fleksjob;1;33.333333333333336",  # next target group Fleksjob
    f"{KJ};status_efter;Lønmodtagerbeskæftigelse;1;33.333333333333336",  # Job
    # SYG: P01 91 days, P02 14 -> 105 / 7 / 2
    f"{SYG};varighed_uger;;2;7.5",
    f"{SYG};status_efter;Kontanthjælp;1;50",  # next target group KJ within a month
    f"{SYG};status_efter;Uddannelse;1;50",
]


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory):
    return write_extract(EXTRACT, tmp_path_factory.mktemp("egne") / "udtraek", "csv")


def test_egne_csv_contract(udtraek):
    r = runner.invoke(app, ["sammenligning", "egne", "--udtraek", str(udtraek), "--fra",
                            "2024-03", "--til", "2024-05", "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == EXPECTED  # Fleksjob: no ended forløb, no lines


def test_egne_model_and_lookups():
    e = egne_tal(EXTRACT, date(2024, 3, 1), date(2024, 5, 1), 1, load_sammenligning())
    assert e.maaledato == date(2024, 6, 1)
    assert e.varighed(SYG).vaerdi == 7.5 and e.varighed(FJ) is None
    assert e.status(SYG, "Fleksjob") == 0.0 and e.status(FJ, "Fleksjob") is None
    assert e.afgang(KJ) == 3


def test_egne_maaledag_cuts_what_is_known(udtraek):
    # måledato 1 June: P07's end (15 June) is not yet known, so it is outside either way;
    # a window of only May leaves P01, P05 (KJ) and none of SYG
    e = egne_tal(EXTRACT, date(2024, 5, 1), date(2024, 5, 1), 1, load_sammenligning())
    assert e.varighed(KJ).antal == 2 and e.varighed(SYG) is None


def test_egne_json_and_table(udtraek):
    r = runner.invoke(app, ["sammenligning", "egne", "--udtraek", str(udtraek), "--fra",
                            "2024-03", "--til", "2024-05", "--format", "json"])  # fmt: skip
    assert r.exit_code == 0 and '"antal": 3' in r.stdout
    r = runner.invoke(app, ["sammenligning", "egne", "--udtraek", str(udtraek), "--fra",
                            "2024-03", "--til", "2024-05"])  # fmt: skip
    assert r.exit_code == 0 and "8,7 uger" in r.stdout


def test_egne_til_before_fra_is_usage_error(udtraek):
    r = runner.invoke(app, ["sammenligning", "egne", "--udtraek", str(udtraek), "--fra",
                            "2024-05", "--til", "2024-03"])  # fmt: skip
    assert r.exit_code == 2
