"""Måltal (pure): the seed's totals, the project matrix, typos, fuldtidspersoner and money."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from builders import ext, table

from xlstatus import TEMPLATES
from xlstatus.kerne.errors import ExtractError, TemplateError
from xlstatus.kerne.maaltal import (
    Maaltal,
    Periode,
    Udgift,
    actual_fuldtidspersoner,
    actual_vs_target,
    default_period,
    fuldtidspersoner,
    group_total,
    group_totals,
    maalepunkter,
    parse_maaltal,
    parse_period,
    project_effect,
    project_matrix,
    ramp_factor,
    savings,
    typed_total_mismatches,
)
from xlstatus.kerne.model import Extract

TEMPLATE = TEMPLATES / "maaltal.toml"
SYG = "Sygedagpenge"
KH = "Kontanthjælp og uddannelseshjælp"
AD = "A-dagpenge til forsikrede ledige"
FJ = "Løntilskud til personer i fleksjob og ledighedsydelse"
RF = "Ressourceforløb"
KP, FIJ = "Kompetenceporten", "Flere i job"
HH = "Håndholdt indsats for jobparate kontanthjælpsmodtagere"
SF = "Unge i job med Socialt Frikort"


@pytest.fixture(scope="module")
def m() -> Maaltal:
    return parse_maaltal(TEMPLATE.read_text(encoding="utf-8"), TEMPLATE.name)


# --------------------------------------------------------------------------- the seed's table


def test_group_totals_are_the_seeds_exactly(m):
    assert group_totals(m) == {SYG: 649, KH: 433, AD: 385, FJ: 1212, RF: 58}
    assert [g.total for g in m.grupper] == [649, 433, 385, 1212, 58]
    assert [g.total_tekst for g in m.grupper][2:4] == [
        "Forsikrede ledige i alt",
        "Fleksjob etableret",
    ]
    assert typed_total_mismatches(m) == []
    assert group_total(m, "kontanthjælp  og UDDANNELSESHJÆLP") == 433


def test_lines_are_the_seeds_text_and_types(m):
    kh = m.gruppe(KH)
    assert [x.tekst for x in kh.linjer][:2] == [
        "Kontanthjælp",
        "Investering - Flere i job – kontanthjælp",
    ]
    assert [x.fuldtidspersoner for x in kh.linjer] == [197, -2, -1, -15, 238, -2, 10, -5, 13]
    assert [x.type for x in kh.linjer] == [
        "basis",
        "investering",
        "investering",
        "investering",
        "basis",
        "investering",
        "investering",
        "budgetforlig",
        "øvrig",
    ]
    assert sum(len(g.linjer) for g in m.grupper) == 2 + 9 + 4 + 4 + 3


def test_project_sums_and_matrix_totals(m):
    assert project_effect(m, KP) == -5
    assert project_effect(m, SF) == 0
    assert project_effect(m, HH) == -15
    assert project_effect(m, FIJ) == -6
    matrix = project_matrix(m)
    assert list(matrix.index) == [FIJ, KP, HH, SF, "I alt"]
    assert list(matrix.columns) == [SYG, KH, AD, FJ, RF, "I alt"]
    assert matrix.loc[KP].tolist() == [-1, -1, -3, 0, 0, -5]
    assert matrix.loc[SF].tolist() == [0, 10, 0, -10, 0, 0]
    assert matrix.loc["I alt"].tolist() == [-1, -10, -3, -10, -2, -26]
    with pytest.raises(KeyError, match="intet projekt"):
        project_effect(m, "Findes ikke")


def test_a_wrong_typed_total_is_flagged(m):
    syg = m.gruppe(SYG)
    edited = replace(syg, linjer=(replace(syg.linjer[0], fuldtidspersoner=660), syg.linjer[1]))
    m2 = replace(m, grupper=(edited, *m.grupper[1:]))
    (mismatch,) = typed_total_mismatches(m2)
    assert (mismatch.gruppe, mismatch.indtastet, mismatch.sum) == (SYG, 649, 659)
    assert mismatch.forskel == -10
    assert group_totals(m2)[SYG] == 659


def test_measured_lines_and_their_targets(m):
    points = {(p.gruppe, p.tekst): p for p in maalepunkter(m)}
    assert {k: p.maal for k, p in points.items()} == {
        (SYG, "Sygedagpenge"): 649,
        (KH, "Kontanthjælp"): 197 - 2 - 1 - 15,
        (KH, "Uddannelseshjælp"): 238 - 2 + 10 - 5,
        (AD, "A-dagpenge"): 393 - 3 - 12,
        (FJ, "Fleksjob etableret"): 1212,
        (RF, "Ressourceforløb"): 58,
    }
    assert points[(FJ, "Fleksjob etableret")].samlet
    assert points[(KH, "Kontanthjælp")].maalgrupper == (
        "Kontanthjælp jobparat",
        "Kontanthjælp aktivitetsparat",
    )


def test_adjustments_default_to_the_nearest_measured_line_above():
    text = """
titel = "T"
[[gruppe]]
navn = "G"
[[gruppe.linje]]
tekst = "A"
type = "basis"
fuldtidspersoner = 10
maalgrupper = ["A-dagpenge"]
[[gruppe.linje]]
tekst = "Inv"
type = "investering"
projekt = "P"
fuldtidspersoner = -2
[[gruppe.linje]]
tekst = "Løntilskud"
type = "øvrig"
fuldtidspersoner = 5
[[gruppe.linje]]
tekst = "Aftale"
type = "budgetforlig"
fuldtidspersoner = -1
maal_for = ""
[oekonomi.priser]
G = 1
"""
    m = parse_maaltal(text)
    (p,) = maalepunkter(m)
    assert [x.tekst for x in p.linjer] == ["A", "Inv"] and p.maal == 8


# --------------------------------------------------------------------------- template typos


def _broken(old: str, new: str) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str, header: str = "[[gruppe.linje]]") -> int:
    lines = text.splitlines()
    hit = next(i for i, line in enumerate(lines, 1) if needle in line)
    return max(i for i, line in enumerate(lines[:hit], 1) if line.startswith(header))


def test_unknown_type_names_file_line_and_field():
    text = _broken('type = "budgetforlig"', 'type = "budgetforlik"')
    with pytest.raises(TemplateError) as err:
        parse_maaltal(text, "maaltal.toml")
    (problem,) = err.value.problems
    assert (problem.file, problem.column, problem.value) == ("maaltal.toml", "type", "budgetforlik")
    assert problem.row == _line_of(text, "budgetforlik")
    assert "ukendt linjetype" in str(problem)


def test_several_typos_are_all_reported():
    text = _broken('maalgrupper = ["A-dagpenge"]', 'maalgrupper = ["Dagpenge"]')
    text = text.replace('projekt = "Flere i job"\n', "", 1)
    text = text.replace('maal_for = "Ressourceforløb"', 'maal_for = "Ressourceforloeb"', 1)
    text = text.replace("fuldtidspersoner = 157", "fuldtidspersoner = 157\nfuldtidsperson = 1", 1)
    with pytest.raises(TemplateError) as err:
        parse_maaltal(text, "maaltal.toml")
    found = {(p.column, p.row) for p in err.value.problems}
    assert found == {
        ("maalgrupper", _line_of(text, '"Dagpenge"')),
        ("projekt", _line_of(text, "Investering - Flere i job – kontanthjælp")),
        ("maal_for", _line_of(text, "Ressourceforloeb")),
        ("fuldtidsperson", _line_of(text, "fuldtidsperson = 1")),
    }
    assert "Skabelonen maaltal.toml har fejl (4 fejl)" in str(err.value)


def test_a_target_group_is_measured_in_one_place_only():
    text = _broken('maalgrupper = ["Ressourceforløb"]', 'maalgrupper = ["Sygedagpenge"]')
    with pytest.raises(TemplateError, match="måles allerede på 'Sygedagpenge: Sygedagpenge'"):
        parse_maaltal(text)


def test_a_group_without_a_price_and_a_non_number_are_errors():
    text = _broken('"Ressourceforløb" = 140000', "").replace(
        "fuldtidspersoner = 650", 'fuldtidspersoner = "650"', 1
    )
    with pytest.raises(TemplateError) as err:
        parse_maaltal(text)
    messages = " | ".join(str(p) for p in err.value.problems)
    assert "gruppen 'Ressourceforløb' har ingen pris" in messages
    assert "antal fuldtidspersoner skal være et tal" in messages


def test_bad_toml_is_a_template_error():
    with pytest.raises(TemplateError, match="ugyldig TOML"):
        parse_maaltal("titel = ", "x.toml")


# --------------------------------------------------------------------------- periods


def test_default_period_is_year_to_date_of_the_measurement_month():
    assert default_period(date(2025, 3, 1)) == Periode(date(2025, 1, 1), date(2025, 2, 28))
    assert default_period(date(2024, 3, 15)) == Periode(date(2024, 1, 1), date(2024, 2, 29))
    # January: the whole previous year
    assert default_period(date(2025, 1, 1)) == Periode(date(2024, 1, 1), date(2024, 12, 31))
    assert default_period(date(2024, 3, 1)).dage == 31 + 29


def test_parse_period():
    assert parse_period("2025-01:2025-03") == Periode(date(2025, 1, 1), date(2025, 3, 31))
    assert parse_period("2024-02") == Periode(date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(ValueError, match="slutter"):
        parse_period("2025-03:2025-01")
    with pytest.raises(ValueError):
        parse_period("marts")


# --------------------------------------------------------------------------- fuldtidspersoner


def periods(*rows: tuple[str, str, str, str | None]) -> pd.DataFrame:
    return table(
        "forloeb",
        [{"cpr": c, "maalgruppe": g, "startdato": s, "slutdato": e} for c, g, s, e in rows],
    )


Q1 = (date(2024, 1, 1), date(2024, 3, 31))  # 31 + 29 + 31 = 91 days


def test_fuldtidspersoner_by_hand():
    f = periods(
        ("A", "Sygedagpenge", "01-12-2023", "15-01-2024"),  # clipped at the start: 15 days
        ("B", "Sygedagpenge", "10-02-2024", None),  # open: 10-29 Feb + March = 20 + 31 = 51
        ("C", "Sygedagpenge", "01-03-2024", "20-03-2024"),  # overlapping periods of one
        ("C", "Sygedagpenge", "10-03-2024", "31-03-2024"),  # person: 1-31 March = 31
        ("D", "Sygedagpenge", "01-04-2024", None),  # after the period: 0
        ("E", "Sygedagpenge", "01-01-2023", "31-12-2023"),  # before the period: 0
        ("F", "A-dagpenge", "01-01-2024", None),  # another group: not counted
        ("G", "Sygedagpenge", "01-01-2024", "31-01-2024"),  # adjacent periods: 31 + 29
        ("G", "Sygedagpenge", "01-02-2024", "29-02-2024"),
        ("H", "Sygedagpenge", "31-12-2023", "01-01-2024"),  # one day inside each edge
        ("H", "Sygedagpenge", "31-03-2024", "02-04-2024"),
        ("I", "Sygedagpenge", "01-06-2023", "31-12-2024"),  # covers the whole period: 91
    )
    days = 15 + 51 + 31 + 60 + 2 + 91
    assert fuldtidspersoner(f, ["Sygedagpenge"], *Q1) == pytest.approx(days / 91)
    assert fuldtidspersoner(f, ["A-dagpenge"], *Q1) == pytest.approx(1.0)
    assert fuldtidspersoner(f, ["Fleksjob"], *Q1) == 0.0
    assert fuldtidspersoner(f.iloc[:0], ["Sygedagpenge"], *Q1) == 0.0
    # one month: February 2024 has 29 days; B is in 20 of them, G and I in all
    feb = (date(2024, 2, 1), date(2024, 2, 29))
    assert fuldtidspersoner(f, ["Sygedagpenge"], *feb) == pytest.approx((20 + 29 + 29) / 29)


def test_a_day_in_two_listed_groups_counts_once():
    f = periods(
        ("A", "Kontanthjælp jobparat", "01-01-2024", "31-01-2024"),
        ("A", "Kontanthjælp aktivitetsparat", "20-01-2024", "10-02-2024"),
        ("B", "Kontanthjælp aktivitetsparat", "05-03-2024", "06-03-2024"),
    )
    both = ["Kontanthjælp jobparat", "Kontanthjælp aktivitetsparat"]
    assert fuldtidspersoner(f, both, *Q1) == pytest.approx((41 + 2) / 91)
    assert fuldtidspersoner(f, both[:1], *Q1) == pytest.approx(31 / 91)
    assert fuldtidspersoner(f, both[1:], *Q1) == pytest.approx((22 + 2) / 91)


def small_maaltal(target_basis: int = 3, invest: int = -1) -> Maaltal:
    return parse_maaltal(f"""
titel = "Lille"
[[gruppe]]
navn = "Syg"
total = {target_basis + invest}
[[gruppe.linje]]
tekst = "Sygedagpenge"
type = "basis"
fuldtidspersoner = {target_basis}
maalgrupper = ["Sygedagpenge"]
[[gruppe.linje]]
tekst = "Investering"
type = "investering"
projekt = "P"
fuldtidspersoner = {invest}
[oekonomi]
start = "2024-01"
[oekonomi.priser]
Syg = 100000
""")


def test_actual_against_target_statuses_by_hand():
    # target 3 - 1 = 2 fuldtidspersoner; amber band = 5 % of 2 = 0.1; period 1-20 Jan (20 days)
    m = small_maaltal()
    period = Periode(date(2024, 1, 1), date(2024, 1, 20))
    two_full = [
        ("A", "Sygedagpenge", "01-12-2023", None),
        ("B", "Sygedagpenge", "01-01-2024", "31-01-2024"),
    ]

    def run(extra_days: int):
        rows = list(two_full)
        if extra_days:
            rows.append(("C", "Sygedagpenge", "01-01-2024", f"{extra_days:02d}-01-2024"))
        (r,) = actual_vs_target(
            ext(
                forloeb=[
                    dict(zip(("cpr", "maalgruppe", "startdato", "slutdato"), x, strict=True))
                    for x in rows
                ]
            ),
            m,
            period,
        )
        return r

    r = run(0)
    assert (r.maal, r.faktisk, r.forskel, r.status) == (2, 2.0, 0.0, "groen")
    r = run(2)  # 2 + 2/20 = 2.1: exactly the band
    assert r.faktisk == pytest.approx(2.1) and r.status == "gul"
    assert r.tolerance == pytest.approx(0.1)
    r = run(3)  # 2.15
    assert r.status == "roed" and r.forskel == pytest.approx(0.15)
    # below the target is green (lower is better)
    (r,) = actual_vs_target(periods(("A", "Sygedagpenge", "01-01-2024", None)), m, period)
    assert (r.faktisk, r.status) == (1.0, "groen")


def test_extract_without_forloeb_is_an_extract_error(m):
    extract = Extract(present=frozenset({"markeringer"}), location="udtraek/")
    with pytest.raises(ExtractError, match="forloeb"):
        actual_vs_target(extract, m, Periode(*Q1))


def test_actual_fuldtidspersoner_by_line_group_or_code(m):
    f = periods(
        ("A", "Kontanthjælp jobparat", "01-01-2024", None),
        ("B", "Uddannelseshjælp aktivitetsparat", "01-01-2024", None),
        ("C", "Fleksjob", "01-02-2024", None),
    )
    p = Periode(*Q1)
    assert actual_fuldtidspersoner(f, m, "Kontanthjælp", p) == 1.0
    assert actual_fuldtidspersoner(f, m, KH, p) == 2.0  # both measured lines of the group
    assert actual_fuldtidspersoner(f, m, FJ, p) == pytest.approx(60 / 91)
    assert actual_fuldtidspersoner(f, None, "fleksjob", p) == pytest.approx(60 / 91)
    with pytest.raises(KeyError):
        actual_fuldtidspersoner(f, m, "Noget andet", p)


# --------------------------------------------------------------------------- money


def test_ramp_factor():
    assert [ramp_factor(j, 4) for j in (0, 1, 2, 4, 5)] == [0.0, 0.25, 0.5, 1.0, 1.0]
    assert ramp_factor(1, 0) == 1.0


def test_break_even_by_hand():
    # Effect -3 fuldtidspersoner at 100.000 kr./year = 300.000 kr./year = 25.000 kr./month at
    # full effect, phased in over 4 months: 6.250, 12.500, 18.750, 25.000, 25.000, …
    # Cost 600.000 kr./year for 12 months = 50.000 kr./month; 600.000 kr. in all.
    # Accumulated saving after 12 months: 6.250+12.500+18.750 + 9 × 25.000 = 262.500.
    # Month k > 12: 262.500 + 25.000 (k - 12) ≥ 600.000  <=>  k ≥ 25,5  ->  month 26 = feb-26.
    m = small_maaltal(target_basis=10, invest=-3)
    costs = [Udgift("P", 600_000, date(2024, 1, 1), 12)]
    r = savings(m, costs=costs, start=date(2024, 1, 1), months=36, ramp=4)
    (p,) = r.projekter
    assert p.aarlig_besparelse == 300_000
    assert p.besparelse[:5] == (6250, 12500, 18750, 25000, 25000)
    assert p.udgift[11:13] == (50_000, 0)
    assert p.akk_besparelse[11] == 262_500 and p.akk_udgift[-1] == 600_000
    assert p.akk_besparelse[24] == 587_500 and p.akk_besparelse[25] == 612_500
    assert p.tjent_ind == date(2026, 2, 1)
    assert p.besparelse_i_alt == 262_500 + 24 * 25_000
    assert p.nettoprovenu == 862_500 - 600_000
    assert r.total.tjent_ind == date(2026, 2, 1)
    # not within 24 months
    assert savings(m, costs=costs, months=24, ramp=4).projekter[0].tjent_ind is None
    # a project that starts later saves and costs nothing before its first month
    late = savings(m, costs=[Udgift("P", 120_000, date(2024, 3, 1), 2)], months=6, ramp=1)
    assert late.projekter[0].udgift == (0, 0, 10_000, 10_000, 0, 0)
    assert late.projekter[0].besparelse == (0, 0, 25_000, 25_000, 25_000, 25_000)
    assert late.projekter[0].tjent_ind == date(2024, 3, 1)
    # a project with a cost but no Måltal line (Klar, parat – i job) saves nothing
    kpij = savings(m, costs=[Udgift("Klar, parat – i job", 120_000)], months=12, ramp=1)
    by = {p.projekt: p for p in kpij.projekter}
    assert by["Klar, parat – i job"].besparelse_i_alt == 0
    assert by["Klar, parat – i job"].udgift_i_alt == pytest.approx(120_000)
    assert by["Klar, parat – i job"].tjent_ind is None
    assert kpij.total.udgift_i_alt == pytest.approx(120_000)


def test_template_savings_sign_and_totals(m):
    r = savings(m)
    by = {p.projekt: p for p in r.projekter}
    # Socialt Frikort: +10 uddannelseshjælp (95.000) and -10 fleksjob (120.000)
    assert by[SF].aarlig_besparelse == 10 * (120_000 - 95_000)
    assert by[KP].aarlig_besparelse == 130_000 + 95_000 + 3 * 130_000
    assert r.total.aarlig_besparelse == sum(p.aarlig_besparelse for p in r.projekter)
    assert len(r.maaneder) == 36 and r.maaneder[0] == date(2024, 1, 1)
    assert m.oekonomi.pladsholder


def test_template_file_is_valid():
    text = Path(TEMPLATE).read_text(encoding="utf-8")
    assert "SKAL UDFYLDES AF JER" in text and "ILLUSTRATIVE" in text
