"""The FACIT extract reader (udtraek.md): containers, dialects, aliases, errors, warnings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xlstatus.kerne.errors import MAX_PROBLEMS, ExtractError, Problems, TemplateError
from xlstatus.kerne.model import MAALGRUPPER, TABLES
from xlstatus.udtraek.laes import (
    _careful_grid,
    _fast_grid,
    _split_header,
    birth_dates,
    load_aliases,
    parse_frame,
    read_extract,
)

FORLOEB_HEADER = "cpr;maalgruppe;startdato;slutdato;afgangsaarsag;foedselsdato;timer_pr_uge"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def forloeb(tmp_path: Path, *rows: str, header: str = FORLOEB_HEADER) -> Path:
    write(tmp_path, "forloeb.csv", "\n".join([header, *rows]) + "\n")
    return tmp_path


def problems_of(exc: pytest.ExceptionInfo[ExtractError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(datetime.strptime(text, "%d-%m-%Y"))


# --------------------------------------------------------------------------- the happy path


def test_reads_canonical_csv_with_dtypes_and_sources(tmp_path: Path) -> None:
    forloeb(
        tmp_path,
        "150380-1234;A-dagpenge;01-02-2024;15-03-2024;Job;;",
        "2001904321;Fleksjob;01-01-2024;;;;12,5",
    )
    ext = read_extract(tmp_path, {"forloeb"})
    f = ext.forloeb
    assert list(f.columns) == list(TABLES["forloeb"])
    assert f["cpr"].tolist() == ["150380-1234", "200190-4321"]
    assert f["maalgruppe"].tolist() == ["A-dagpenge", "Fleksjob"]
    assert f["startdato"].tolist() == [ts("01-02-2024"), ts("01-01-2024")]
    assert f["slutdato"].iloc[0] == ts("15-03-2024") and pd.isna(f["slutdato"].iloc[1])
    assert f["afgangsaarsag"].tolist() == ["Job", None]
    assert f["foedselsdato"].tolist() == [ts("15-03-1980"), ts("20-01-1990")]
    assert np.isnan(f["timer_pr_uge"].iloc[0]) and f["timer_pr_uge"].iloc[1] == 12.5
    assert str(f["startdato"].dtype) == "datetime64[ns]"
    assert f["timer_pr_uge"].dtype == "float64" and f["cpr"].dtype == object
    assert ext.present == frozenset({"forloeb"})
    assert ext.markeringer.empty and list(ext.markeringer.columns) == list(TABLES["markeringer"])
    assert ext.location == str(tmp_path) and ext.warnings == []
    [src] = ext.sources
    assert src.name == "forloeb.csv" and src.rows == 2 and len(src.sha256) == 64


def test_cp1252_bytes_keep_aeoeaa(tmp_path: Path) -> None:
    text = "CPR;Målgruppe;Startdato\n150380-1234;Førtidspension;01-02-2024\n"
    write(tmp_path, "forloeb.csv", text, encoding="cp1252")
    assert "Målgruppe".encode("cp1252") in (tmp_path / "forloeb.csv").read_bytes()
    ext = read_extract(tmp_path)
    assert ext.forloeb["maalgruppe"].tolist() == ["Førtidspension"]


def test_utf8_bom_and_tab_delimiter(tmp_path: Path) -> None:
    text = "cpr\tmaalgruppe\tstartdato\n150380-1234\tKontanthjælp jobparat\t2024-02-01\n"
    (tmp_path / "forloeb.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    ext = read_extract(tmp_path)
    assert ext.forloeb["cpr"].tolist() == ["150380-1234"]  # BOM is not part of 'cpr'
    assert ext.forloeb["maalgruppe"].tolist() == ["Kontanthjælp jobparat"]


def test_comma_delimiter_with_dot_decimals_and_quotes(tmp_path: Path) -> None:
    write(
        tmp_path, "loentimer.csv", 'cpr,maaned,timer\n150380-1234,2024-03,"7,5"\nX1,2024-03,7.5\n'
    )
    ext = read_extract(tmp_path, {"loentimer"})
    assert ext.loentimer["timer"].tolist() == [7.5, 7.5]


def test_blank_trailing_lines_and_empty_separator_lines_are_ignored(tmp_path: Path) -> None:
    forloeb(tmp_path, "150380-1234;Fleksjob;01-02-2024;;;;", ";;;;;;", "", "  ", "")
    ext = read_extract(tmp_path)
    assert len(ext.forloeb) == 1 and ext.sources[0].rows == 1


@pytest.mark.parametrize(
    "text", ["05-03-2024", "2024-03-05", "05.03.2024", "05/03/2024", "5-3-2024", "45356",
             "05-03-2024 00:00", "2024-03-05 13:45:00"],
)  # fmt: skip
def test_date_formats(tmp_path: Path, text: str) -> None:
    forloeb(tmp_path, f"150380-1234;Fleksjob;{text};;;;")
    assert read_extract(tmp_path).forloeb["startdato"].tolist() == [ts("05-03-2024")]


def test_xlsx_with_real_dates_serials_and_numbers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Forløb"  # sheet names fold like headers: Forløb = forloeb
    ws.append(["CPR-nr.", "Målgruppe", "Startdato", "Slutdato", "Timer pr. uge"])
    ws.append([103801234, "Dagpenge", datetime(2024, 2, 1), 45366, 7.5])  # serial 45366
    ws.append(["150380-1234", "Fleksjob", "01-02-2024", None, 12])
    lt = wb.create_sheet("Løntimer")
    lt.append(["cpr", "maaned", "timer"])
    lt.append(["150380-1234", datetime(2024, 3, 17), 37])
    lt.append(["150380-1234", "2024-03", 3.5])
    wb.create_sheet("Noter").append(["ignoreres"])
    path = tmp_path / "udtraek.xlsx"
    wb.save(path)

    ext = read_extract(path, {"forloeb", "loentimer"})
    f = ext.forloeb
    assert f["cpr"].tolist() == ["010380-1234", "150380-1234"]
    assert f["maalgruppe"].tolist() == ["A-dagpenge", "Fleksjob"]
    assert f["startdato"].tolist() == [ts("01-02-2024"), ts("01-02-2024")]
    assert f["slutdato"].iloc[0] == ts("15-03-2024") and pd.isna(f["slutdato"].iloc[1])
    assert f["timer_pr_uge"].tolist() == [7.5, 12.0]
    assert ext.loentimer.to_dict("records") == [
        {"cpr": "150380-1234", "maaned": ts("01-03-2024"), "timer": 40.5}
    ]
    assert ext.present == frozenset({"forloeb", "loentimer"})
    assert [s.name for s in ext.sources] == ["udtraek.xlsx, ark 'Forløb'",
                                             "udtraek.xlsx, ark 'Løntimer'"]  # fmt: skip
    assert ext.sources[0].sha256 == ext.sources[1].sha256
    [w] = ext.warnings
    assert str(w).startswith("Advarsel: udtraek.xlsx, ark 'Forløb', række 2, kolonne 'CPR-nr.': ")


def test_xlsx_bad_value_names_sheet_row_and_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "tilbud"
    ws.append(["cpr", "tilbud", "startdato"])
    ws.append(["X1", "Mentor", "snart"])
    wb.save(tmp_path / "u.xlsx")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path / "u.xlsx")
    assert problems_of(exc) == [
        "Fejl: u.xlsx, ark 'tilbud', række 2, kolonne 'startdato': datoen kan ikke læses "
        "(fundet: 'snart') – forventet: dd-mm-åååå"
    ]


# --------------------------------------------------------------------------- aliases


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("CPR-nr.", "cpr"), ("Personnummer", "cpr"), ("  cpr nr ", "cpr"),
        ("Målgruppe", "maalgruppe"), ("MAALGRUPPE", "maalgruppe"),
        ("Startdato", "startdato"), ("Start dato", "startdato"), ("Fra dato", "startdato"),
        ("Slutdato", "slutdato"), ("Til dato", "slutdato"),
        ("Timer pr. uge", "timer_pr_uge"), ("Afgangsårsag", "afgangsaarsag"),
        ("Fødselsdato", "foedselsdato"),
    ],
)  # fmt: skip
def test_alias_headers(tmp_path: Path, header: str, column: str) -> None:
    values = {
        "cpr": "150380-1234", "maalgruppe": "Fleksjob", "startdato": "01-02-2024",
        "slutdato": "01-03-2024", "afgangsaarsag": "Job", "timer_pr_uge": "10",
        "foedselsdato": "02-02-1999",
    }  # fmt: skip
    cols = [c for c in ("cpr", "maalgruppe", "startdato") if c != column] + [header]
    vals = [values[c] for c in cols[:-1]] + [values[column]]
    if column == "afgangsaarsag":
        cols, vals = [*cols, "slutdato"], [*vals, "01-03-2024"]
    forloeb(tmp_path, ";".join(vals), header=";".join(cols))
    f = read_extract(tmp_path).forloeb
    expected = {"startdato": ts("01-02-2024"), "slutdato": ts("01-03-2024"),
                "foedselsdato": ts("02-02-1999"), "timer_pr_uge": 10.0}  # fmt: skip
    assert f[column].iloc[0] == expected.get(column, values[column])


def test_alias_headers_in_other_tables(tmp_path: Path) -> None:
    write(tmp_path, "virksomheder.csv", "CVR-nr.;Virksomhedsnavn\nDK 12345678;=Hansen & Co\n")
    write(tmp_path, "markeringer.csv",
          "CPR-nr.;Markeringskode;Fra dato;Til dato;Afslutningsårsag\n"
          "150380-1234;kompetenceporten;01-02-2024;01-05-2024;job\n")  # fmt: skip
    ext = read_extract(tmp_path)
    assert ext.virksomheder.to_dict("records")[0] == {
        "cvr": "12345678", "navn": "=Hansen & Co",  # a formula-like text stays plain text
        "behovsafdaekket": pd.NaT, "oensker_kompetenceloeft": pd.NaT,
    }  # fmt: skip
    m = ext.markeringer.iloc[0]
    assert (m["markering"], m["afslutning"], m["slutdato"]) == (
        "KOMPETENCEPORTEN", "Job", ts("01-05-2024"))  # fmt: skip


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Dagpenge", "A-dagpenge"), ("Forsikrede ledige", "A-dagpenge"),
        ("A-dagpengemodtager", "A-dagpenge"),
        ("Jobparat kontanthjælp", "Kontanthjælp jobparat"),
        ("Kontanthjælpsmodtager (jobparat)", "Kontanthjælp jobparat"),
        ("Aktivitetsparat kontanthjælp", "Kontanthjælp aktivitetsparat"),
        ("Kontanthjælpsmodtager (aktivitetsparat)", "Kontanthjælp aktivitetsparat"),
        ("Uddannelseshjælp (uddannelsesparat)", "Uddannelseshjælp uddannelsesparat"),
        ("Åbenlyst uddannelsesparat", "Uddannelseshjælp uddannelsesparat"),
        ("Uddannelseshjælp (aktivitetsparat)", "Uddannelseshjælp aktivitetsparat"),
        ("Jobafklaringsforløb", "Jobafklaring"),
        ("Integrationsydelse", "Selvforsørgelses- og hjemrejseydelse"),
        ("  kontanthjaelp JOBPARAT ", "Kontanthjælp jobparat"),
        ("ressourceforloeb", "Ressourceforløb"),
    ],
)  # fmt: skip
def test_target_group_aliases(tmp_path: Path, written: str, code: str) -> None:
    forloeb(tmp_path, f"150380-1234;{written};01-02-2024;;;;")
    assert read_extract(tmp_path).forloeb["maalgruppe"].tolist() == [code]


def test_every_canonical_code_is_accepted(tmp_path: Path) -> None:
    forloeb(tmp_path, *[f"P{i};{c};01-02-2024;;;;" for i, c in enumerate(MAALGRUPPER)])
    assert read_extract(tmp_path).forloeb["maalgruppe"].tolist() == MAALGRUPPER


def test_malformed_alias_file_is_a_template_error(tmp_path: Path) -> None:
    path = tmp_path / "aliaser.toml"
    path.write_text('[kolonner]\ncpr = ["Nr"]\nstartdato = ["Nr"]\nfoo = ["x"]\n', "utf-8")
    with pytest.raises(TemplateError) as exc:
        load_aliases(path)
    text = exc.value.report()
    assert "ukendt navn i aliasfilen" in text and "'foo'" in text
    assert "aliaset peger på både 'cpr' og 'startdato'" in text


# --------------------------------------------------------------------------- CPR and birth dates


def test_cpr_normalisation_restore_and_modulus11(tmp_path: Path) -> None:
    # 150380-1235 fails the modulus-11 check; it must be accepted all the same.
    weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]
    assert sum(int(d) * w for d, w in zip("1503801235", weights, strict=True)) % 11 != 0
    forloeb(
        tmp_path,
        "1503801235;Fleksjob;01-02-2024;;;;",
        "150380-1234;Fleksjob;01-02-2024;;;;",
        "103801234;Fleksjob;01-02-2024;;;;",
        "203801234;Fleksjob;01-02-2024;;;;",
        "PSEUDO-0042;Fleksjob;01-02-2024;;;01-06-1975;",
        "12345;Fleksjob;01-02-2024;;;;",
    )
    ext = read_extract(tmp_path)
    f = ext.forloeb
    assert f["cpr"].tolist() == [
        "150380-1235", "150380-1234", "010380-1234", "020380-1234", "PSEUDO-0042", "12345",
    ]  # fmt: skip
    assert f["foedselsdato"].tolist()[:5] == [
        ts("15-03-1980"), ts("15-03-1980"), ts("01-03-1980"), ts("02-03-1980"),
        ts("01-06-1975"),
    ]  # fmt: skip
    assert pd.isna(f["foedselsdato"].iloc[5])
    [w] = ext.warnings
    assert str(w) == (
        "Advarsel: forloeb.csv, række 4, kolonne 'cpr': 2 CPR-numre havde kun 9 cifre "
        "(et regneark har fjernet det foranstillede 0); nullet er sat på igen (første vist)"
    )
    assert "1234" not in str(w)


def test_given_birth_date_wins_over_cpr(tmp_path: Path) -> None:
    forloeb(tmp_path, "150380-1234;Fleksjob;01-02-2024;;;16-03-1980;")
    assert read_extract(tmp_path).forloeb["foedselsdato"].tolist() == [ts("16-03-1980")]


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("010136-0000", "01-01-1936"), ("010199-3999", "01-01-1999"),
        ("010136-4000", "01-01-2036"), ("010137-4000", "01-01-1937"),
        ("010136-9000", "01-01-2036"), ("010137-9000", "01-01-1937"),
        ("010157-5000", "01-01-2057"), ("010158-5000", "01-01-1858"),
        ("010157-8999", "01-01-2057"), ("010158-8999", "01-01-1858"),
        ("610190-1234", "01-01-1990"),  # substitute CPR number: day + 60
    ],
)  # fmt: skip
def test_century_rule(cpr: str, born: str) -> None:
    assert birth_dates(pd.Series([cpr]))[0] == np.datetime64(ts(born))


def test_no_birth_date_for_pseudonyms_or_impossible_dates() -> None:
    out = birth_dates(pd.Series(["abc", "311380-1234", "PSEUDO"]))
    assert np.isnat(out).all()


# --------------------------------------------------------------------------- errors


def test_unreadable_date_message_exactly(tmp_path: Path) -> None:
    forloeb(tmp_path, *[f"P{i};Fleksjob;01-02-2024;;;;" for i in range(5)],
            "P9;Fleksjob;31-02-2024;;;;")  # fmt: skip
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert problems_of(exc) == [
        "Fejl: forloeb.csv, række 7, kolonne 'startdato': datoen kan ikke læses "
        "(fundet: '31-02-2024') – forventet: dd-mm-åååå"
    ]
    assert exc.value.report().startswith("Udtrækket indeholder fejl (1 fejl):")


def test_missing_required_column(tmp_path: Path) -> None:
    forloeb(tmp_path, "150380-1234;Fleksjob", header="CPR-nr.;Målgruppe")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    [p] = exc.value.problems
    assert (p.file, p.row, p.column, p.message) == (
        "forloeb.csv", 1, "startdato", "kolonnen mangler")  # fmt: skip
    assert "fundne kolonner: CPR-nr., Målgruppe" in p.expected


def test_unreadable_number(tmp_path: Path) -> None:
    write(tmp_path, "loentimer.csv", "cpr;maaned;timer\nP1;2024-03;1.234,5\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert problems_of(exc) == [
        "Fejl: loentimer.csv, række 2, kolonne 'timer': tallet kan ikke læses "
        "(fundet: '1.234,5') – forventet: et tal, fx 7,5"
    ]


def test_unreadable_month(tmp_path: Path) -> None:
    write(tmp_path, "loentimer.csv", "cpr;maaned;timer\nP1;2024-13;1\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert problems_of(exc) == [
        "Fejl: loentimer.csv, række 2, kolonne 'maaned': måneden kan ikke læses "
        "(fundet: '2024-13') – forventet: åååå-mm, mm-åååå eller en dato i måneden"
    ]


def test_unknown_target_group_lists_known_codes(tmp_path: Path) -> None:
    forloeb(tmp_path, "P1;Revalidering;01-02-2024;;;;", "P2;Revalidering;01-03-2024;;;;")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert problems_of(exc) == [
        "Fejl: forloeb.csv, række 2, kolonne 'maalgruppe': ukendt målgruppe – 2 rækker har "
        "denne værdi, den første er vist (fundet: 'Revalidering') – forventet: en af: "
        + ", ".join(MAALGRUPPER)
    ]


def test_slutdato_before_startdato(tmp_path: Path) -> None:
    forloeb(tmp_path, "P1;Fleksjob;01-02-2024;31-01-2024;;;")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert problems_of(exc) == [
        "Fejl: forloeb.csv, række 2, kolonne 'slutdato': slutdato ligger før startdato "
        "(fundet: '31-01-2024') – forventet: en dato på eller efter startdato"
    ]


def test_negative_hours(tmp_path: Path) -> None:
    write(tmp_path, "loentimer.csv", "cpr;maaned;timer\nP1;2024-03;-3\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert problems_of(exc) == [
        "Fejl: loentimer.csv, række 2, kolonne 'timer': antallet af timer er negativt "
        "(fundet: '-3') – forventet: et tal ≥ 0"
    ]


def test_empty_required_field(tmp_path: Path) -> None:
    write(tmp_path, "tilbud.csv", "cpr;tilbud;startdato\n;Mentor;01-02-2024\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert problems_of(exc) == [
        "Fejl: tilbud.csv, række 2, kolonne 'cpr': feltet er tomt – forventet: en værdi"
    ]


@pytest.mark.parametrize(
    ("name", "text", "column", "message"),
    [
        ("forloeb.csv", FORLOEB_HEADER + "\nP1;Fleksjob;01-02-2024;01-03-2024;Lotto;;",
         "afgangsaarsag", "ukendt afgangsårsag"),
        ("markeringer.csv", "cpr;markering;startdato;slutdato;afslutning\n"
         "P1;JOBPERRONEN;01-02-2024;01-03-2024;Lotto", "afslutning", "ukendt afslutning"),
        ("tilbud.csv", "cpr;tilbud;startdato\nP1;Lotto;01-02-2024", "tilbud", "ukendt tilbud"),
    ],
)  # fmt: skip
def test_unknown_codes_are_errors(
    tmp_path: Path, name: str, text: str, column: str, message: str
) -> None:
    write(tmp_path, name, text + "\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    [p] = exc.value.problems
    assert (p.file, p.row, p.column, p.message, p.value) == (name, 2, column, message, "Lotto")
    assert p.expected.startswith("en af: ")


def test_extract_not_found(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path / "findes-ikke")
    assert problems_of(exc) == [
        f"Fejl: {tmp_path / 'findes-ikke'}: udtrækket findes ikke – forventet: en mappe med "
        "CSV-filer eller én .xlsx-fil"
    ]


def test_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "forloeb.csv").mkdir()  # a folder where a file should be: unreadable
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert problems_of(exc) == [
        "Fejl: forloeb.csv: filen kan ikke læses (det er en mappe, ikke en fil)"
    ]
    (tmp_path / "u.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path / "u.xlsx")
    assert "u.xlsx: filen er beskadiget eller ikke en .xlsx-fil" in problems_of(exc)[0]


def test_row_with_too_many_fields(tmp_path: Path) -> None:
    write(tmp_path, "loentimer.csv", "cpr;maaned;timer\nP1;2024-03;7\nP2;2024-03;7;5\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    [p] = exc.value.problems
    assert (p.file, p.row) == ("loentimer.csv", 3)
    assert p.message == "rækken har 4 felter, men overskriften har 3"


def test_missing_required_table_names_the_indicator(tmp_path: Path) -> None:
    forloeb(tmp_path, "P1;Fleksjob;01-02-2024;;;;")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path, {"forloeb", "loentimer"},
                     {"loentimer": "Flere i job: Antal i ordinære løntimer"})  # fmt: skip
    assert problems_of(exc) == [
        f"Fejl: {tmp_path}: tabellen 'loentimer' mangler i udtrækket, men bruges af "
        "indikatoren 'Flere i job: Antal i ordinære løntimer' – forventet: en fil med navnet "
        "loentimer.csv i mappen"
    ]


def test_all_problems_in_one_run_in_row_order(tmp_path: Path) -> None:
    forloeb(
        tmp_path,
        "P1;Fleksjob;01-02-2024;;;;",
        "P2;Fleksjob;01-02-2024;;;;-1",
        "P3;Fleksjob;01-02-2024;01-01-2024;;;",
        "P4;Fleksjob;2024/31/12;;;;",
    )
    write(tmp_path, "tilbud.csv", "cpr;tilbud;startdato\nP1;;01-02-2024\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert [(p.file, p.row, p.column) for p in exc.value.problems] == [
        ("forloeb.csv", 3, "timer_pr_uge"),
        ("forloeb.csv", 4, "slutdato"),
        ("forloeb.csv", 5, "startdato"),
        ("tilbud.csv", 2, "tilbud"),
    ]
    assert "(4 fejl)" in exc.value.report()


def test_problems_are_capped(tmp_path: Path) -> None:
    forloeb(tmp_path, *[f"P{i};Fleksjob;x{i};;;;" for i in range(MAX_PROBLEMS + 50)])
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert len(exc.value.problems) == MAX_PROBLEMS and exc.value.dropped == 50
    assert "… og 50 problemer mere" in exc.value.report()


def test_a_cpr_number_never_appears_in_a_message(tmp_path: Path) -> None:
    forloeb(tmp_path, "P1;Fleksjob;150380-1234;;;;")  # columns shifted by mistake
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert "150380" not in exc.value.report()


# --------------------------------------------------------------------------- warnings


def test_exact_duplicates_dropped_and_counted_per_table(tmp_path: Path) -> None:
    row = "P1;Fleksjob;01-02-2024;;;;"
    forloeb(tmp_path, row, "P2;Fleksjob;01-02-2024;;;;", row, row, row)
    write(tmp_path, "tilbud.csv", "cpr;tilbud;startdato\nP1;Mentor;01-02-2024\n"
          "P1;Mentor;01-02-2024\n")  # fmt: skip
    ext = read_extract(tmp_path)
    assert ext.forloeb["cpr"].tolist() == ["P1", "P2"] and len(ext.tilbud) == 1
    assert [str(w) for w in ext.warnings] == [
        "Advarsel: forloeb.csv, række 4: 3 rækker er nøjagtige dubletter af en tidligere række "
        "og er sprunget over (første dublet vist)",
        "Advarsel: tilbud.csv, række 3: 1 række er en nøjagtig dublet af en tidligere række "
        "og er sprunget over (første dublet vist)",
    ]
    assert ext.sources[0].rows == 5  # rows read, before dropping duplicates


def test_unknown_markings_are_ignored_with_one_warning_per_code(tmp_path: Path) -> None:
    write(tmp_path, "markeringer.csv", "\n".join([
        "cpr;markering;startdato",
        "P1;KPIJ-HENVIST;01-02-2024",
        "P2;UNG-MENTOR;01-02-2024",
        "P3;ANDET;01-02-2024",
        "P4;UNG-MENTOR;02-02-2024",
        "P5;socialt frikort;01-02-2024",
    ]))  # fmt: skip
    ext = read_extract(tmp_path)
    assert ext.markeringer["cpr"].tolist() == ["P1", "P5"]
    assert ext.markeringer["markering"].tolist() == ["KPIJ-HENVIST", "SOCIALT-FRIKORT"]
    w1, w2 = ext.warnings
    assert str(w1).startswith(
        "Advarsel: markeringer.csv, række 3, kolonne 'markering': ukendt markering – 2 rækker "
        "med denne kode er sprunget over (første vist) (fundet: 'UNG-MENTOR')"
    )
    assert (w2.row, w2.value, w2.message.split(" – ")[1][:8]) == (4, "ANDET", "1 række ")


def test_afgangsaarsag_without_slutdato_is_ignored_with_a_warning(tmp_path: Path) -> None:
    forloeb(tmp_path, "P1;Fleksjob;01-02-2024;;Job;;")
    ext = read_extract(tmp_path)
    assert ext.forloeb["afgangsaarsag"].tolist() == [None]
    [w] = ext.warnings
    assert (w.row, w.column, w.severity) == (2, "afgangsaarsag", "advarsel")


# --------------------------------------------------------------------------- loentimer


def test_loentimer_months_and_summing(tmp_path: Path) -> None:
    write(tmp_path, "loentimer.csv", "\n".join([
        "cpr;maaned;timer",
        "P1;2024-03;10",
        "P1;03-2024;5,5",      # another employer, same month: summed
        "P1;17-03-2024;2",     # any date inside the month
        "P1;2024-03;10",       # exact duplicate of row 2: dropped, not summed
        "P1;2024-4;1",
        "P2;mar-24;8",
        "P2;45366;1",          # Excel serial (15-03-2024)
    ]) + "\n")  # fmt: skip
    ext = read_extract(tmp_path)
    assert ext.loentimer.to_dict("records") == [
        {"cpr": "P1", "maaned": ts("01-03-2024"), "timer": 17.5},
        {"cpr": "P1", "maaned": ts("01-04-2024"), "timer": 1.0},
        {"cpr": "P2", "maaned": ts("01-03-2024"), "timer": 9.0},
    ]
    assert [w.row for w in ext.warnings] == [5]


# --------------------------------------------------------------------------- parse_frame


def test_parse_frame_on_pasted_values_with_header_lower_down() -> None:
    raw = pd.DataFrame(
        [
            [1503801234.0, "Dagpenge", datetime(2024, 2, 1), None],
            [None, None, None, None],
            ["+4512", "Fleksjob", 45366.0, "=1+1"],
            ["P2", "Fleksjob", "primo", None],
        ],
        columns=["CPR-nr.", "Målgruppe", "Startdato", "Noter"],
    )
    problems = Problems()
    out = parse_frame(raw, "forloeb", "Ark 'Indsæt'", problems, header_row=4)
    assert [str(p) for p in problems.errors] == [
        "Fejl: Ark 'Indsæt', række 8, kolonne 'Startdato': datoen kan ikke læses "
        "(fundet: 'primo') – forventet: dd-mm-åååå"
    ]
    assert out["cpr"].tolist()[:2] == ["150380-1234", "+4512"]
    assert out["startdato"].tolist()[:2] == [ts("01-02-2024"), ts("15-03-2024")]
    assert out.attrs["raekker"] == 3


def test_large_table_drops_repeats_and_keeps_values() -> None:
    # correctness at scale; speed is measured by benchmarks/, not by a timed test
    n = 200_000
    raw = pd.DataFrame({
        "cpr": pd.Series([f"{i % 28 + 1:02d}0380{i % 10000:04d}" for i in range(n)], dtype=str),
        "maalgruppe": pd.Series(["Fleksjob", "Dagpenge"] * (n // 2), dtype=str),
        "startdato": pd.Series([f"{i % 28 + 1:02d}-02-2024" for i in range(n)], dtype=str),
        "timer_pr_uge": pd.Series(["7,5"] * n, dtype=str),
    })  # fmt: skip
    out = parse_frame(raw, "forloeb", "forloeb.csv", Problems())
    assert len(out) == 70_000  # the rows repeat every lcm(28, 10000) = 70000: duplicates
    assert out["foedselsdato"].iloc[0] == ts("01-03-1980")
    assert out["timer_pr_uge"].iloc[-1] == 7.5


def test_empty_file_or_sheet_counts_as_absent_unless_required(tmp_path: Path) -> None:
    (tmp_path / "tilbud.csv").write_bytes(b"")
    write(tmp_path, "markeringer.csv", "cpr;markering;startdato\n")  # header only: present
    ext = read_extract(tmp_path)
    assert ext.present == frozenset({"markeringer"}) and ext.tilbud.empty
    assert list(ext.markeringer.columns) == list(TABLES["markeringer"])
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path, {"tilbud"}, {"tilbud": "Flere i job: Virksomhedsrettede tilbud"})
    assert problems_of(exc) == [
        "Fejl: tilbud.csv: tabellen 'tilbud' er tom, men tabellen bruges af indikatoren "
        "'Flere i job: Virksomhedsrettede tilbud' – forventet: en overskriftsrække og rækker "
        "med data"
    ]


def test_utf16_and_table_name_aliases(tmp_path: Path) -> None:
    text = "CPR-nr.\tMåned\tTimer\r\nP1\t2024-03\t7,5\r\n"
    (tmp_path / "Løntimer.csv").write_bytes(text.encode("utf-16"))
    assert read_extract(tmp_path).loentimer["timer"].tolist() == [7.5]


def test_two_files_for_one_table(tmp_path: Path) -> None:
    write(tmp_path, "Forløb.csv", FORLOEB_HEADER + "\n")
    write(tmp_path, "forloeb.csv", FORLOEB_HEADER + "\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert "tabellen 'forloeb' findes i to filer" in problems_of(exc)[0]


cell_text = st.text(alphabet="abcæøå0129-,. ", max_size=6)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.one_of(st.just(None), st.lists(cell_text, min_size=3, max_size=3)), min_size=1),
    st.sampled_from([";", "\t"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_fast_csv_grid_equals_the_careful_parser(rows, sep, newline) -> None:
    # None stands for a blank line; the fast path must keep row numbers as Excel shows them
    # (pandas drops blank lines before the first record, so those are left out here)
    assume(rows[0] is not None)
    text = newline.join("" if r is None else sep.join(r) for r in rows) + newline
    fast = _fast_grid(text, sep)
    if fast is not None:
        (a, row_a), (b, row_b) = _split_header(fast), _split_header(_careful_grid(text, sep))
        assert row_a == row_b and list(a.columns) == list(b.columns)
        assert a.astype(object).values.tolist() == b.astype(object).values.tolist()


# --------------------------------------------------------------------------- faults (#11)

VIRKSOMHEDER = "cvr;navn;behovsafdaekket;oensker_kompetenceloeft\n" + "".join(
    f"{10000000 + i};Firma {i} ApS;01-02-2024;\n" for i in range(42)
)


def test_a_stray_quote_does_not_swallow_the_rest_of_the_file(tmp_path: Path) -> None:
    lines = VIRKSOMHEDER.splitlines(keepends=True)
    lines[3] = lines[3].replace("Firma", '"Firma')  # Excel row 4
    write(tmp_path, "virksomheder.csv", "".join(lines))
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    [p] = exc.value.problems
    assert (p.file, p.row) == ("virksomheder.csv", 4)
    assert "anførselstegn lukkes aldrig" in p.message


def test_a_stray_quote_in_a_large_file_is_no_field_limit_traceback(tmp_path: Path) -> None:
    rows = [f"{10000000 + i};Firma {i} med et langt navn {'x' * 40};01-02-2024;"
            for i in range(4000)]  # fmt: skip
    rows[10] = rows[10].replace("Firma", '"Firma')
    write(tmp_path, "virksomheder.csv", "cvr;navn;behovsafdaekket;oensker\n" + "\n".join(rows))
    assert (tmp_path / "virksomheder.csv").stat().st_size > 131072  # the csv module's limit
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert [(p.row, "lukkes aldrig" in p.message) for p in exc.value.problems] == [(12, True)]


def test_a_quote_closing_many_lines_later_is_an_error(tmp_path: Path) -> None:
    lines = VIRKSOMHEDER.splitlines(keepends=True)
    lines[3] = lines[3].replace("Firma", '"Firma')
    lines[9] = lines[9].replace(" ApS;", ' ApS";')  # closes 6 lines later, then a separator
    write(tmp_path, "virksomheder.csv", "".join(lines))
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert [p.row for p in exc.value.problems] == [4]
    assert "flere linjer" in exc.value.problems[0].message


def test_a_quote_inside_a_field_and_doubled_quotes_are_data(tmp_path: Path) -> None:
    text = 'cvr;navn\n10000001;Skærme 24" ApS\n10000002;"Firma ""Øst"";"\n'
    write(tmp_path, "virksomheder.csv", text)
    names = read_extract(tmp_path).virksomheder["navn"].tolist()
    assert names == ['Skærme 24" ApS', 'Firma "Øst";']


def test_a_file_cut_off_mid_row_is_an_error(tmp_path: Path) -> None:
    text = VIRKSOMHEDER[: VIRKSOMHEDER.index("10000021;Firma 21") + 12]  # '10000021;Fir'
    write(tmp_path, "virksomheder.csv", text)
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    [p] = exc.value.problems
    assert (p.file, p.row) == ("virksomheder.csv", 23)
    assert p.message.startswith("filen slutter midt i rækken (2 af 4 felter")


def test_a_row_with_fewer_fields_is_an_error_quoted_or_not(tmp_path: Path) -> None:
    for body in ("P1;2024-03;7\nP2;2024-03\nP3;2024-03;7\n",
                 'P1;2024-03;"7,5"\nP2;2024-03\nP3;2024-03;7\n'):  # fmt: skip
        write(tmp_path, "loentimer.csv", "cpr;maaned;timer\n" + body)
        with pytest.raises(ExtractError) as exc:
            read_extract(tmp_path)
        [p] = exc.value.problems
        assert (p.row, p.message) == (3, "rækken har 2 felter, men overskriften har 3")


def test_blank_lines_and_trailing_empty_fields_are_still_fine(tmp_path: Path) -> None:
    write(tmp_path, "loentimer.csv", '\n\ncpr;maaned;timer\nP1;2024-03;"7"\n\n;\nP2;2024-03;8;;\n')
    ext = read_extract(tmp_path)
    assert ext.loentimer["timer"].tolist() == [7.0, 8.0] and ext.warnings == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_header_only_forloeb_is_an_error_when_needed(tmp_path: Path, fmt: str) -> None:
    if fmt == "csv":
        forloeb(tmp_path)
        path, label = tmp_path, "forloeb.csv"
    else:
        wb = openpyxl.Workbook()
        wb.active.title = "forloeb"
        wb.active.append(FORLOEB_HEADER.split(";"))
        wb.save(path := tmp_path / "u.xlsx")
        label = "u.xlsx, ark 'forloeb'"
    assert read_extract(path).forloeb.empty  # not needed: an empty table
    with pytest.raises(ExtractError) as exc:
        read_extract(path, {"forloeb"}, {"forloeb": "Flere i job: Antal"})
    assert problems_of(exc) == [
        f"Fejl: {label}: tabellen 'forloeb' har ingen rækker (bruges af indikatoren 'Flere i "
        "job: Antal') – forventet: en række pr. forløb under overskriftsrækken"
    ]


def test_other_header_only_tables_are_empty_with_a_warning_and_compute(tmp_path: Path) -> None:
    from xlstatus.kerne.indikatorer import compute_month, needed_tables
    from xlstatus.skabelonfiler import load_schemas

    forloeb(tmp_path, "150380-1234;Fleksjob;01-02-2024;;;;12")
    headers = {"markeringer": "cpr;markering;startdato", "tilbud": "cpr;tilbud;startdato",
               "loentimer": "cpr;maaned;timer", "virksomheder": "cvr"}  # fmt: skip
    for table, header in headers.items():
        write(tmp_path, f"{table}.csv", header + "\n")
    schemas = load_schemas()
    ext = read_extract(tmp_path, set(needed_tables(schemas)), needed_tables(schemas))
    assert sorted(w.message.split("'")[1] for w in ext.warnings) == sorted(headers)
    assert all("har ingen rækker" in w.message for w in ext.warnings)
    results = compute_month(ext, schemas, datetime(2024, 6, 1).date())
    assert len(results) == 39  # computed, no traceback


def test_engine_computes_on_an_entirely_empty_extract() -> None:
    from xlstatus.kerne.indikatorer import compute_month
    from xlstatus.kerne.model import Extract
    from xlstatus.skabelonfiler import load_schemas

    results = compute_month(Extract(), load_schemas(), datetime(2024, 6, 1).date())
    assert len(results) == 39 and {r.measurement.antal for r in results} <= {0, None}


@pytest.mark.parametrize(
    ("value", "message"),
    [("9" * 400, "tallet kan ikke læses"), ("1" + "0" * 30, "flere timer, end der er i en måned"),
     ("1e300", "tallet kan ikke læses"), ("744,5", "flere timer, end der er i en måned"),
     ("-0,5", "antallet af timer er negativt"), ("inf", "tallet kan ikke læses"),
     ("NaN", "tallet kan ikke læses")],
)  # fmt: skip
def test_impossible_monthly_hours_are_errors(tmp_path: Path, value: str, message: str) -> None:
    write(tmp_path, "loentimer.csv", f"cpr;maaned;timer\nP1;2024-03;7\nP2;2024-03;{value}\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    [p] = exc.value.problems
    assert (p.row, p.column, p.message) == (3, "timer", message)
    assert len(str(p)) < 300


def test_hour_limits_and_implausible_hours_warn(tmp_path: Path) -> None:
    write(tmp_path, "loentimer.csv", "cpr;maaned;timer\nP1;2024-03;744\nP2;2024-03;301\n"
          "P3;2024-03;300\n")  # fmt: skip
    forloeb(tmp_path, "P1;Fleksjob;01-02-2024;;;;168", "P2;Fleksjob;01-02-2024;;;;61",
            "P3;Fleksjob;01-02-2024;;;;60")  # fmt: skip
    ext = read_extract(tmp_path)
    assert ext.loentimer["timer"].tolist() == [744.0, 301.0, 300.0]
    assert [(w.file, w.row, w.column) for w in ext.warnings] == [
        ("forloeb.csv", 2, "timer_pr_uge"), ("loentimer.csv", 2, "timer"),
    ]  # fmt: skip
    assert "2 rækker har over 300 timer i en måned" in ext.warnings[1].message
    forloeb(tmp_path, "P1;Fleksjob;01-02-2024;;;;168,5")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert [(p.row, p.message) for p in exc.value.problems] == [
        (2, "flere timer, end der er på en uge")
    ]


def test_huge_numbers_in_an_xlsx_extract(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "loentimer"
    for row in (["cpr", "maaned", "timer"], ["P1", "2024-03", 1e300], ["P2", "2024-03", 1e30]):
        wb.active.append(row)
    wb.save(tmp_path / "u.xlsx")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path / "u.xlsx")
    assert [(p.row, p.message) for p in exc.value.problems] == [
        (2, "flere timer, end der er i en måned"), (3, "flere timer, end der er i en måned")
    ]  # fmt: skip
    assert len(exc.value.report()) < 1000


@pytest.mark.parametrize("cpr", ["0101801234", "010180-1234", "010180 1234"])
def test_cpr_numbers_in_the_wrong_column_are_masked_in_warnings(tmp_path: Path, cpr: str) -> None:
    write(tmp_path, "markeringer.csv", f"cpr;markering;startdato\nP1;{cpr};01-02-2024\n")
    write(tmp_path, "virksomheder.csv", f"cvr;navn\n{cpr};Firma\n")
    ext = read_extract(tmp_path)
    assert len(ext.warnings) == 2
    for w in ext.warnings:
        assert "0101" not in str(w) and "1234" not in str(w)
        assert "skjult – ligner et CPR-nummer" in str(w)


def test_problems_mask_cpr_numbers_and_shorten_values_centrally() -> None:
    from xlstatus.kerne.errors import MAX_VALUE_CHARS, Problem

    p = Problem("personen 010180-1234 findes to gange", file="f.csv", row=2,
                value="fundet hos 0101801234 og 3112999999",
                expected="ikke 010180 1234")  # fmt: skip
    text = str(p)
    assert not any(d in text for d in ("010180", "0101801234", "311299"))
    assert "findes to gange" in text and text.count("skjult") == 4
    long = Problem("ukendt kode", value="Æ" * 1_000_000)
    assert len(str(long)) < 200 and "1000000 tegn i alt" in str(long)
    assert len(long.value) <= MAX_VALUE_CHARS
    assert Problem("x", value=7.5).value == 7.5 and Problem("x", value=12).value == 12
    for cpr in (1801011234, 101801234, 101801234.0, "101801234", " 010180-123 "):
        assert Problem("x", value=cpr).value == "(skjult – ligner et CPR-nummer)", cpr
    assert "20240101" in str(Problem("x", value="20240101"))  # 8 digits: not a CPR number


def test_a_one_megabyte_bad_value_is_shortened(tmp_path: Path) -> None:
    write(tmp_path, "tilbud.csv", f"cpr;tilbud;startdato\nP1;{'X' * 1_000_000};01-02-2024\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert len(exc.value.report()) < 500


def _valid_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "forloeb"
    wb.active.append(FORLOEB_HEADER.split(";"))
    for i in range(200):
        wb.active.append([f"P{i}", "Fleksjob", "01-02-2024", None, None, None, 7.5])
    wb.save(path)
    return path


def _rezip(src: Path, dst: Path, change) -> Path:
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, change(item.filename, zin.read(item.filename)))
    return dst


def test_broken_xlsx_extracts_get_danish_messages(tmp_path: Path) -> None:
    good = _valid_xlsx(tmp_path / "god.xlsx")
    data = good.read_bytes()
    cases = {
        "afkortet.xlsx": data[: len(data) // 2],
        "tom.xlsx": b"",
        "tekst.xlsx": b"File is not a zip file",
        "adgangskode.xlsx": (Path(__file__).parent / "data/udtraek_adgangskode.xlsx").read_bytes(),
    }
    half = _rezip(good, tmp_path / "halv-xml.xlsx",
                  lambda n, b: b[: len(b) // 2] if n.endswith("sheet1.xml") else b)  # fmt: skip
    flipped = bytearray(data)
    start = data.index(b"xl/worksheets/sheet1.xml") + 40  # inside the sheet's compressed data
    flipped[start : start + 200] = bytes(200)
    cases["crc.xlsx"] = bytes(flipped)
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    expected = {
        "afkortet.xlsx": "beskadiget", "tom.xlsx": "filen er tom", "tekst.xlsx": "beskadiget",
        "adgangskode.xlsx": "beskyttet med adgangskode", "halv-xml.xlsx": "beskadiget",
        "crc.xlsx": "beskadiget",
    }  # fmt: skip
    assert half.exists()
    for name, word in expected.items():
        with pytest.raises(ExtractError) as exc:
            read_extract(tmp_path / name, {"forloeb"})
        report = exc.value.report()
        assert word in report and name in report, (name, report)
        assert "zip" not in report.lower() and "Error" not in report, report
    (tmp_path / "mappe.xlsx").mkdir()
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path / "mappe.xlsx")
    assert "er en mappe" in exc.value.report()


def test_os_errors_are_danish(tmp_path: Path) -> None:
    from xlstatus.udtraek.laes import _os_reason

    assert _os_reason(IsADirectoryError(21, "Is a directory")) == "det er en mappe, ikke en fil"
    assert "fejlkode ENOSPC" in _os_reason(OSError(28, "No space left on device"))
    assert "netværksforbindelsen" in _os_reason(OSError(5, "Input/output error"))


def test_hours_summed_over_a_month_warn(tmp_path: Path) -> None:
    write(tmp_path, "loentimer.csv", "cpr;maaned;timer\nP1;2024-03;7\nP2;2024-03;400\n"
          "P2;2024-03;400,5\nP3;2024-04;744\n")  # fmt: skip
    ext = read_extract(tmp_path)
    assert ext.loentimer["timer"].tolist() == [7.0, 800.5, 744.0]
    w = [w for w in ext.warnings if "tilsammen" in w.message]
    assert [(x.row, x.value) for x in w] == [(3, "800,5")]
    assert w[0].message.startswith("1 person har rækker, der tilsammen giver over 744 timer")


quoted_cell = st.text(alphabet='ab;"\n\r æ,\t', max_size=6)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(quoted_cell, min_size=3, max_size=3), min_size=1, max_size=8),
       st.sampled_from([";", "\t", ","]))  # fmt: skip
def test_well_formed_csv_is_read_back_exactly(rows, sep) -> None:
    # what Excel (or Python's csv module) writes, quotes and line breaks in fields included
    import csv
    import io

    from xlstatus.udtraek.laes import _records

    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    records, failure = _records(buf.getvalue(), sep)
    assert failure is None and records == rows


def test_text_after_a_closing_quote_is_an_error_naming_the_row(tmp_path: Path) -> None:
    write(tmp_path, "virksomheder.csv", 'cvr;navn\n10000001;Firma\n10000002;"Hansen" & Co\n')
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert problems_of(exc)[0].startswith(
        "Fejl: virksomheder.csv, række 3: rækken kan ikke læses: tegn efter et afsluttende "
        "anførselstegn – forventet: felter adskilt af semikolon"
    )


def test_pasted_extract_header_only_impossible_hours_and_cpr_in_a_code() -> None:
    from xlstatus.udtraek.ark import extract_from_grid

    grid = [["forloeb"], ["cpr", "maalgruppe", "startdato"], [None, None, None],
            ["loentimer"], ["cpr", "maaned", "timer"], ["P1", "2024-03", 1e300],
            ["markeringer"], ["cpr", "markering", "startdato"],
            ["P1", 101801234, "01-02-2024"]]  # fmt: skip
    with pytest.raises(ExtractError) as exc:
        extract_from_grid(grid, tables={"forloeb", "loentimer"})
    assert [(p.file, p.row, p.message) for p in exc.value.problems] == [
        ("FACIT-udtræk, tabel 'forloeb'", None, "tabellen 'forloeb' har ingen rækker"),
        ("FACIT-udtræk, tabel 'loentimer'", 6, "flere timer, end der er i en måned"),
    ]
    [w] = exc.value.warnings
    assert "ukendt markering" in w.message and "101801234" not in str(w)
    assert len(exc.value.report()) < 1000


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(cell_text, min_size=2, max_size=4), min_size=2, max_size=8),
    st.sampled_from([";", "\t"]),
    st.booleans(),
)
def test_the_fast_path_only_takes_what_the_careful_checks_accept(rows, sep, newline_at_end):
    # ragged rows and files without a final line ending: whenever pyarrow takes a text, the
    # careful parser must find nothing wrong with it and read the same grid
    from xlstatus.udtraek.laes import _check_records, _records

    text = "\n".join(sep.join(r) for r in rows) + ("\n" if newline_at_end else "")
    fast = _fast_grid(text, sep)
    if fast is not None:
        records, failure = _records(text, sep)
        problems = Problems()
        assert _check_records(records, failure, text, sep, "x.csv", problems), problems.errors
        (a, row_a), (b, row_b) = _split_header(fast), _split_header(_careful_grid(text, sep))
        assert row_a == row_b and list(a.columns) == list(b.columns)
        assert a.astype(object).values.tolist() == b.astype(object).values.tolist()


def test_a_one_megabyte_header_is_shortened_too(tmp_path: Path) -> None:
    forloeb(tmp_path, "P1;Fleksjob;01-02-2024", header="cpr;maalgruppe;" + "H" * 1_000_000)
    with pytest.raises(ExtractError) as exc:
        read_extract(tmp_path)
    assert len(exc.value.report()) < 2000 and "tegn i alt)" in exc.value.report()
