"""Vandringer and prognose (analyser.md) on tiny hand-built extracts, answers worked by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from builders import ext, person, row, schema_of

from xlstatus.kerne.analyser import (
    AFGANG,
    TILGANG,
    Kategori,
    forklaring,
    forloeb_kategorier,
    fremskriv,
    kategori_tekst,
    prognose_for,
    prognoser,
    vandringer,
    vurdering,
)
from xlstatus.kerne.errors import ExtractError

ADP, KJ, SYG, RES = "A-dagpenge", "Kontanthjælp jobparat", "Sygedagpenge", "Ressourceforløb"
MAR25 = date(2025, 3, 1)  # window of 14 months: 01-01-2024 … 28-02-2025


def f(cpr: str, group: str, start: str, end: str | None = None, why: str | None = None) -> dict:
    return person(cpr, maalgruppe=group, startdato=start, slutdato=end, afgangsaarsag=why)


def categories(extract, group: str, retning: str, month: date = MAR25, **kw) -> dict[str, str]:
    """cpr -> category of each forløb of one table (one forløb per person in these tests)."""
    cat = forloeb_kategorier(extract, month, group, retning, **kw)
    assert cat["cpr"].is_unique
    return dict(zip(cat["cpr"], cat["kategori"], strict=True))


def table(v, group: str, retning: str) -> list[tuple[str, str, int, float]]:
    return [(k.kategori, k.type, k.antal, round(k.andel, 6)) for k in v.tabel(group, retning)]


# --------------------------------------------------------------------------- tilgang


def test_look_back_is_exactly_12_calendar_months_and_not_one_day_more():
    e = ext(forloeb=[
        f("a", ADP, "01-01-2023", "15-06-2023", "Job"), f("a", KJ, "15-06-2024"),
        f("b", ADP, "01-01-2023", "14-06-2023", "Job"), f("b", KJ, "15-06-2024"),
        # 29-02-2024 minus 12 months = 28-02-2023 (clipped)
        f("c", SYG, "01-01-2023", "28-02-2023"), f("c", KJ, "29-02-2024"),
        f("d", SYG, "01-01-2023", "27-02-2023"), f("d", KJ, "29-02-2024"),
    ])  # fmt: skip
    assert categories(e, KJ, TILGANG) == {"a": ADP, "b": "Ingen", "c": SYG, "d": "Ingen"}


def test_an_open_previous_forloeb_counts_however_long_ago_it_started():
    # Sygedagpenge since 2023 still open beside the new forløb; A-dagpenge started later but
    # ended more than 12 months before the new forløb: Sygedagpenge is the previous group
    e = ext(forloeb=[
        f("a", SYG, "01-01-2023"),
        f("a", ADP, "01-02-2023", "01-05-2023", "Job"),
        f("a", KJ, "01-06-2024"),
    ])  # fmt: skip
    assert categories(e, KJ, TILGANG) == {"a": SYG}


def test_an_end_after_maaledato_is_not_known_so_the_previous_forloeb_is_open():
    # Sygedagpenge ends 20-03-2025, after måledato 01-03-2025: on måledato it is open
    e = ext(forloeb=[f("a", SYG, "01-01-2022", "20-03-2025"), f("a", KJ, "01-06-2024")])
    assert categories(e, KJ, TILGANG) == {"a": SYG}


def test_ties_on_start_date_go_to_the_one_ending_last_then_the_group_code():
    e = ext(forloeb=[
        # same start: open beats ended
        f("a", ADP, "01-03-2024"), f("a", SYG, "01-03-2024", "31-05-2024"),
        f("a", KJ, "01-06-2024"),
        # same start and end: alphabetical group code
        f("b", SYG, "01-03-2024", "31-05-2024"), f("b", ADP, "01-03-2024", "31-05-2024"),
        f("b", KJ, "01-06-2024"),
        # same start: the later end wins even against the alphabet
        f("c", ADP, "01-03-2024", "30-04-2024"), f("c", SYG, "01-03-2024", "31-05-2024"),
        f("c", KJ, "01-06-2024"),
    ])  # fmt: skip
    assert categories(e, KJ, TILGANG) == {"a": ADP, "b": ADP, "c": SYG}


def test_the_latest_start_wins_and_later_starts_do_not_count():
    e = ext(forloeb=[
        f("a", ADP, "01-01-2024", "31-03-2024", "Anden ydelse"),
        f("a", SYG, "01-02-2024", "31-05-2024"),
        f("a", KJ, "01-06-2024"),
        f("a", RES, "01-06-2024"),  # same start as the KJ forløb: not *before* it
        f("b", KJ, "01-06-2024"),
        f("b", ADP, "15-06-2024"),
    ])  # fmt: skip
    assert categories(e, KJ, TILGANG) == {"a": SYG, "b": "Ingen"}


def test_only_starts_inside_the_window_count():
    e = ext(forloeb=[
        f("a", KJ, "31-12-2023"),  # before the 14 months
        f("b", KJ, "01-01-2024"),  # first day of the window
        f("c", KJ, "28-02-2025"),  # last day of the window
        f("d", KJ, "01-03-2025"),  # M itself: not in the window
    ])  # fmt: skip
    assert categories(e, KJ, TILGANG) == {"b": "Ingen", "c": "Ingen"}
    assert categories(e, KJ, TILGANG, maaneder=1) == {"c": "Ingen"}


# --------------------------------------------------------------------------- afgang


def test_look_ahead_one_calendar_month_clips_31_january_to_29_february():
    e = ext(forloeb=[
        f("a", ADP, "01-10-2023", "31-01-2024", "Job"), f("a", KJ, "29-02-2024"),
        f("b", ADP, "01-10-2023", "31-01-2024", "Job"), f("b", KJ, "01-03-2024"),
        # not a leap year: 31-01-2025 plus one month = 28-02-2025
        f("c", ADP, "01-10-2024", "31-01-2025", "Job"), f("c", KJ, "28-02-2025"),
        f("d", ADP, "01-10-2024", "31-01-2025", "Uddannelse"), f("d", KJ, "01-03-2025"),
    ])  # fmt: skip
    assert categories(e, ADP, AFGANG, date(2025, 4, 1), maaneder=15) == {
        "a": KJ, "b": "Job", "c": KJ, "d": "Uddannelse",
    }  # fmt: skip


def test_next_group_is_the_earliest_start_after_the_forloebs_start_ties_alphabetical():
    e = ext(forloeb=[
        # a parallel group that began during the forløb counts (starts after its start)
        f("a", ADP, "01-01-2024", "30-06-2024", "Job"), f("a", SYG, "01-05-2024"),
        f("a", KJ, "01-07-2024"),
        # two groups start the same day: alphabetical
        f("b", ADP, "01-01-2024", "30-06-2024", "Job"), f("b", SYG, "10-07-2024"),
        f("b", KJ, "10-07-2024"),
        # a group that started before the forløb is not 'next'
        f("c", SYG, "01-12-2023"), f("c", ADP, "01-01-2024", "30-06-2024", "Job"),
    ])  # fmt: skip
    assert categories(e, ADP, AFGANG) == {"a": SYG, "b": KJ, "c": "Job"}


def test_empty_reason_is_ukendt_and_an_end_not_yet_known_is_no_afgang():
    e = ext(forloeb=[
        f("a", ADP, "01-01-2024", "30-06-2024", None),
        f("b", ADP, "01-01-2024", "30-06-2024", "  "),
        f("c", ADP, "01-01-2024", "30-06-2024", "Job"),
        f("d", ADP, "01-01-2024", "01-03-2025", "Job"),  # ends on måledato: not known yet
    ])  # fmt: skip
    assert categories(e, ADP, AFGANG) == {"a": "Ukendt", "b": "Ukendt", "c": "Job"}
    v = vandringer(e, MAR25, maalgrupper=[ADP])
    assert table(v, ADP, AFGANG) == [("Ukendt", "aarsag", 2, 66.666667),
                                     ("Job", "aarsag", 1, 33.333333)]  # fmt: skip


def test_forloeb_merged_across_a_short_gap_is_counted_once():
    # ends 15-03, restarts 20-04: one forløb from 01-02 to 30-06 with the last reason
    e = ext(forloeb=[
        f("a", ADP, "01-02-2024", "15-03-2024", "Ukendt"),
        f("a", ADP, "20-04-2024", "30-06-2024", "Job"),
        f("a", KJ, "01-01-2023", "31-12-2023"),
    ])  # fmt: skip
    v = vandringer(e, MAR25, maalgrupper=[ADP])
    assert table(v, ADP, TILGANG) == [(KJ, "maalgruppe", 1, 100.0)]
    assert table(v, ADP, AFGANG) == [("Job", "aarsag", 1, 100.0)]
    # a whole free month (April) splits it: two forløb in, two out
    e = ext(forloeb=[f("a", ADP, "01-02-2024", "15-03-2024", "Ukendt"),
                     f("a", ADP, "02-05-2024", "30-06-2024", "Job")])  # fmt: skip
    v = vandringer(e, MAR25, maalgrupper=[ADP])
    assert v.i_alt(ADP, TILGANG) == 2 and v.i_alt(ADP, AFGANG) == 2


# --------------------------------------------------------------------------- the tables


def test_tables_count_share_and_order():
    e = ext(forloeb=[
        f("a", SYG, "01-01-2023", "31-03-2024"), f("a", KJ, "01-04-2024", "31-05-2024", "Job"),
        f("b", SYG, "01-01-2023", "31-03-2024"), f("b", KJ, "01-04-2024", "31-05-2024", "Job"),
        f("c", ADP, "01-01-2023", "31-03-2024"), f("c", KJ, "01-04-2024", "31-05-2024"),
        f("d", KJ, "01-04-2024"),
        f("e", RES, "01-01-2024"), f("e", KJ, "01-04-2024", "31-05-2024", "Fleksjob"),
    ])  # fmt: skip
    v = vandringer(e, MAR25)
    assert v.maalgrupper == tuple(sorted([ADP, KJ, SYG, RES]))
    assert (v.fra, v.til, v.maaledato) == (date(2024, 1, 1), date(2025, 2, 28), MAR25)
    assert table(v, KJ, TILGANG) == [
        (SYG, "maalgruppe", 2, 40.0), (ADP, "maalgruppe", 1, 20.0),
        ("Ingen", "ingen", 1, 20.0), (RES, "maalgruppe", 1, 20.0),
    ]  # fmt: skip
    assert table(v, KJ, AFGANG) == [("Job", "aarsag", 2, 50.0), ("Fleksjob", "aarsag", 1, 25.0),
                                    ("Ukendt", "aarsag", 1, 25.0)]  # fmt: skip
    # A-dagpenge started before the window and ended in it: afgang only; Ressourceforløb
    # started in the window and is open: tilgang only
    assert table(v, ADP, TILGANG) == [] and v.i_alt(ADP, AFGANG) == 1
    assert v.i_alt(RES, TILGANG) == 1 and table(v, RES, AFGANG) == []
    assert table(v, ADP, AFGANG) == [(KJ, "maalgruppe", 1, 100.0)]  # next group in April
    # every line in CSV order: group, tilgang before afgang
    keys = [(k.maalgruppe, k.retning) for k in v.linjer]
    assert keys == sorted(keys, key=lambda x: (v.maalgrupper.index(x[0]), x[1] == AFGANG))
    assert isinstance(v.linjer[0], Kategori)


def test_groups_as_given_and_a_bad_window_is_refused():
    e = ext(forloeb=[f("a", SYG, "01-01-2024", "31-03-2024"), f("a", KJ, "01-04-2024")])
    v = vandringer(e, MAR25, maalgrupper=[SYG, KJ, "Fleksjob"])
    assert v.maalgrupper == (SYG, KJ, "Fleksjob")
    assert [k.maalgruppe for k in v.linjer] == [SYG, SYG, KJ]
    assert v.tabel("Fleksjob", TILGANG) == ()
    with pytest.raises(ValueError):
        vandringer(e, MAR25, maaneder=0)


def test_the_window_follows_maaledag_and_maaneder():
    # måledag 10: an A-dagpenge forløb starting 05-03-2025 exists, but M itself is outside
    # the window; with 2 months only January–February 2025 count
    e = ext(
        forloeb=[
            f("a", KJ, "15-12-2024", "10-01-2025", "Job"),
            f("a", ADP, "20-01-2025"),
            f("b", KJ, "15-11-2024", "10-02-2025"),
            f("b", ADP, "05-03-2025"),
        ]
    )
    v = vandringer(e, MAR25, maaledag=10, maaneder=2)
    assert (v.fra, v.til, v.maaledato) == (date(2025, 1, 1), date(2025, 2, 28), date(2025, 3, 10))
    assert table(v, KJ, AFGANG) == [(ADP, "maalgruppe", 2, 100.0)]
    assert table(v, ADP, TILGANG) == [(KJ, "maalgruppe", 1, 100.0)]
    assert table(v, KJ, TILGANG) == []


# --------------------------------------------------------------------------- prognose

JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)
AUG = date(2025, 8, 1)


def test_least_squares_through_three_points():
    # t = 0, 1, 2 (jan–mar 25), values 10, 12, 17: mean t 1, mean 13,
    # b = ((-1)(-3) + 0·(-1) + 1·4) / 2 = 3.5, a = 13 − 3.5 = 9.5 (at jan-25)
    pts = [(JAN, 10.0), (FEB, 12.0), (MAR, 17.0)]
    line = fremskriv(pts, [(date(2024, 8, 1), 5.0), (AUG, 30.0)], "højere", MAR)
    assert line.haeldning == pytest.approx(3.5)
    assert line.naeste_maal_maaned == AUG and line.naeste_maal == 30.0
    assert line.fremskrevet == pytest.approx(9.5 + 3.5 * 7)  # 34 at aug-25 (t = 7)
    assert line.naar_maalet is True
    assert line.maaned_maal_naas == date(2025, 7, 1)  # 9.5 + 3.5t ≥ 30 from t = 6
    # target 40: 34 < 40; 9.5 + 3.5t ≥ 40 from t = 9 (okt-25)
    line = fremskriv(pts, [(AUG, 40.0)], "højere", MAR)
    assert (line.naar_maalet, line.maaned_maal_naas) == (False, date(2025, 10, 1))


def test_the_search_stops_24_months_after_the_milestone():
    pts = [(JAN, 10.0), (FEB, 12.0), (MAR, 17.0)]
    # 9.5 + 3.5t ≥ 115 from t = 31 = aug-27 = T + 24: found
    assert fremskriv(pts, [(AUG, 115.0)], "højere", MAR).maaned_maal_naas == date(2027, 8, 1)
    # ≥ 120 from t = 32 = sep-27: too late
    line = fremskriv(pts, [(AUG, 120.0)], "højere", MAR)
    assert line.naar_maalet is False and line.maaned_maal_naas is None


def test_a_line_that_never_meets_the_target():
    line = fremskriv([(JAN, 10.0), (FEB, 9.0), (MAR, 8.0)], [(AUG, 12.0)], "højere", MAR)
    assert line.haeldning == pytest.approx(-1.0)
    assert line.fremskrevet == pytest.approx(3.0)
    assert line.naar_maalet is False and line.maaned_maal_naas is None


def test_lavere_rows_meet_the_target_from_above():
    # 100, 98, 93: b = ((-1)(3) + 1·(-4)) / 2 = −3.5, a = 97 + 3.5 = 100.5 (at jan-25)
    pts = [(JAN, 100.0), (FEB, 98.0), (MAR, 93.0)]
    line = fremskriv(pts, [(AUG, 80.0)], "lavere", MAR)
    assert line.haeldning == pytest.approx(-3.5)
    assert line.fremskrevet == pytest.approx(76.0)
    assert line.naar_maalet is True and line.maaned_maal_naas == date(2025, 7, 1)
    line = fremskriv(pts, [(AUG, 70.0)], "lavere", MAR)  # 76 > 70; ≤ 70 from t = 9
    assert line.naar_maalet is False and line.maaned_maal_naas == date(2025, 10, 1)
    # exactly on the target is met: 8 − t at aug-25 (t = 7) is 1 (the old case, target −4,
    # is gone: the line is clipped at 0, so no row can reach a negative target)
    assert fremskriv([(JAN, 8.0), (FEB, 7.0), (MAR, 6.0)], [(AUG, 1.0)], "lavere",
                     MAR).naar_maalet is True  # fmt: skip


def test_fewer_than_three_points_or_no_next_milestone_gives_no_prognosis():
    assert fremskriv([(FEB, 1.0), (MAR, 2.0)], [(AUG, 5.0)], "højere", MAR).fremskrevet is None
    pts = [(JAN, 1.0), (FEB, 2.0), (MAR, 3.0)]
    line = fremskriv(pts, [(date(2024, 8, 1), 5.0), (date(2025, 2, 1), 6.0)], "højere", MAR)
    assert line.fremskrevet is None and line.naeste_maal is None and line.haeldning is None
    # a milestone in M itself is not forecast (changed spec: the first milestone after M)
    assert fremskriv(pts, [(MAR, 3.0)], "højere", MAR).fremskrevet is None
    assert fremskriv(pts, [(MAR, 3.0), (AUG, 9.0)], "højere", MAR).naeste_maal_maaned == AUG


def _target_row(*targets: tuple[date, float], direction: str = "højere"):
    return replace(row("bestand", maalgruppe=ADP), targets=targets, direction=direction)


def test_prognose_for_leaves_out_months_without_a_value():
    # k = 6: okt-24 … mar-25; values at t = 0, 2, 5 (okt, dec, mar): 4, 8, 15.
    # mean t 7/3, mean 9; Σ(t−t̄)(v−v̄) = 28, Σ(t−t̄)² = 38/3 → b = 42/19,
    # a = 9 − (42/19)(7/3) = 73/19; aug-25 is t = 10 → 493/19
    r = _target_row((AUG, 25.0))
    values = {date(2024, 10, 1): 4, date(2024, 11, 5): None, date(2024, 12, 1): 8,
              date(2025, 2, 1): None, date(2025, 3, 1): 15, date(2024, 9, 1): 99}  # fmt: skip
    p = prognose_for(schema_of(r), r, date(2025, 3, 17), values)
    assert p.maaned == MAR and p.maaneder == 6 and p.antal_punkter == 3
    assert [m for m, _ in p.punkter] == [date(2024, 10, 1), date(2024, 12, 1), MAR]
    assert p.haeldning == pytest.approx(42 / 19)
    assert p.fremskrevet == pytest.approx(493 / 19)
    assert p.naar_maalet is True and p.mangler == pytest.approx(25 - 493 / 19)
    # 73/19 + 42/19 t ≥ 25 → t ≥ 402/42 = 9.57 → t = 10 (aug-25)
    assert p.maaned_maal_naas == AUG
    few = prognose_for(schema_of(r), r, MAR, values, punkter=4)  # dec-24 … mar-25: 2 points
    assert few.antal_punkter == 2 and not few.har_prognose and few.naeste_maal is None


def test_prognoser_takes_each_month_as_of_its_own_maaledato():
    # A-dagpenge bestand on the 1st of jan … jun 24: p1 from 01-12-23 (ends 20-05-24, so not
    # on 01-06), p2 15-01, p3 15-02, p4 15-04, p5 20-04, p6 10-05 → 1, 2, 3, 3, 5, 5
    def adp(cpr: str, start: str, end: str | None = None) -> dict:
        return f(cpr, ADP, start, end, "Job" if end else None)

    e = ext(forloeb=[adp("p1", "01-12-2023", "20-05-2024"), adp("p2", "15-01-2024"),
                     adp("p3", "15-02-2024"), adp("p4", "15-04-2024"), adp("p5", "20-04-2024"),
                     adp("p6", "10-05-2024")])  # fmt: skip
    r = _target_row((date(2024, 8, 1), 8.0))
    plain = replace(row("bestand", maalgruppe=ADP), label="uden mål")
    schema = schema_of(r, plain)
    (p,) = prognoser(e, [schema], date(2024, 6, 1))
    assert [v for _, v in p.punkter] == [1, 2, 3, 3, 5, 5]
    # t = 0…5: t̄ 2.5, v̄ 19/6, Σ(t−t̄)v = 14.5, Σ(t−t̄)² = 17.5 → b = 29/35;
    # aug-24 is t = 7: 19/6 + 29/35 · 4.5
    assert p.haeldning == pytest.approx(29 / 35)
    assert p.fremskrevet == pytest.approx(19 / 6 + 29 / 35 * 4.5)
    assert p.naar_maalet is False and p.mangler == pytest.approx(8 - p.fremskrevet)
    # 19/6 + 29/35 (t − 2.5) ≥ 8 → t ≥ 8.33 → t = 9 (okt-24)
    assert p.maaned_maal_naas == date(2024, 10, 1)
    assert (p.projekt, p.key) == ("Test", ("", "bestand"))
    # måledag 20: p1 is still there on 20-05; 20-01 … 20-06 → 2, 3, 3, 5, 6, 5
    (p20,) = prognoser(e, [schema], date(2024, 6, 1), maaledag=20)
    assert [v for _, v in p20.punkter] == [2, 3, 3, 5, 6, 5]


# the changed spec (issue 18): the milestone after M, the clipped line, the wording, no data


def test_the_milestone_at_m_itself_is_skipped():
    # 9.5 + 3.5t from jan-25 (t = 0); M = mar-25 (t = 2) is itself a milestone (target 100,
    # missed): the row's status judges it, the prognosis reads off aug-25 (t = 7) instead
    r = _target_row((MAR, 100.0), (AUG, 30.0))
    p = prognose_for(schema_of(r), r, MAR, {JAN: 10.0, FEB: 12.0, MAR: 17.0})
    assert (p.naeste_maal_maaned, p.naeste_maal) == (AUG, 30.0)
    assert p.fremskrevet == pytest.approx(34.0) and p.naar_maalet is True
    # the last milestone in M: nothing after it, no prognosis
    r = _target_row((JAN, 5.0), (MAR, 100.0))
    p = prognose_for(schema_of(r), r, MAR, {JAN: 10.0, FEB: 12.0, MAR: 17.0})
    assert not p.har_prognose and p.naeste_maal is None and vurdering(p) == ""


def test_the_line_is_clipped_at_0():
    # 10, 6, 2: b = −4, L(t) = 10 − 4t from jan-25; at aug-25 (t = 7) −18 → 0
    pts = [(JAN, 10.0), (FEB, 6.0), (MAR, 2.0)]
    line = fremskriv(pts, [(AUG, 0.0)], "lavere", MAR)
    assert line.haeldning == pytest.approx(-4.0)  # the slope is the fitted b, unclipped
    assert line.fremskrevet == 0.0 and line.naar_maalet is True
    # ≤ 0 first at apr-25 (t = 3: −2 → 0); mar-25 (t = 2) is 2
    assert line.maaned_maal_naas == date(2025, 4, 1)
    # højere target 1: the clipped line stays at 0, never reaches it
    line = fremskriv(pts, [(AUG, 1.0)], "højere", MAR)
    assert line.fremskrevet == 0.0 and line.naar_maalet is False
    assert line.maaned_maal_naas == date(2025, 3, 1)  # L(mar-25) = 2 ≥ 1: met now, then away
    assert vurdering(line) == "nej – på vej væk fra målet"


@pytest.mark.parametrize("fmt, projected", [("andel", 100.0), ("antal_andel", 100.0),
                                            ("antal", 150.0)])  # fmt: skip
def test_a_share_is_clipped_at_100_and_a_count_is_not(fmt, projected):
    # 80, 90, 100: L(t) = 80 + 10t from jan-25; at aug-25 (t = 7) 150
    r = replace(_target_row((AUG, 100.0)), fmt=fmt)
    p = prognose_for(schema_of(r), r, MAR, {JAN: 80.0, FEB: 90.0, MAR: 100.0})
    assert p.fremskrevet == pytest.approx(projected) and p.haeldning == pytest.approx(10.0)
    assert p.naar_maalet is True and p.maaned_maal_naas == MAR
    # a share target above 100 is never met by a share (the line stops at 100)
    share = fremskriv([(JAN, 80.0), (FEB, 90.0), (MAR, 100.0)], [(AUG, 101.0)], "højere", MAR,
                      share=True)  # fmt: skip
    assert share.fremskrevet == 100.0 and share.maaned_maal_naas is None


def test_each_wording():
    values = {JAN: 10.0, FEB: 12.0, MAR: 17.0}  # 9.5 + 3.5t from jan-25; aug-25 is t = 7

    def said(target: float, direction: str = "højere") -> str:
        r = _target_row((AUG, target), direction=direction)
        return vurdering(prognose_for(schema_of(r), r, MAR, values))

    assert said(30) == "ja"  # 34 ≥ 30
    assert said(40) == "nej – først 2025-10"  # 34 < 40; ≥ 40 from t = 9 (okt-25)
    # lavere 20: 16.5 in mar-25 (t = 2) meets it, 34 in aug-25 does not: moving away
    assert said(20, "lavere") == "nej – på vej væk fra målet"
    assert said(120) == "nej – ikke inden for 2 år"  # ≥ 120 only at t = 32, after aug-27
    r = _target_row((AUG, 30.0))
    assert vurdering(prognose_for(schema_of(r), r, MAR, {MAR: 17.0})) == ""  # 1 point


def _from_march(cpr: str, start: str) -> dict:
    return f(cpr, ADP, start)


def test_a_month_before_the_extracts_data_is_refused():
    # the earliest startdato is 15-03-2024: mar-24 (måledato 01-03-2024) has no data
    e = ext(forloeb=[_from_march("a", "15-03-2024"), _from_march("b", "10-04-2024"),
                     _from_march("c", "05-05-2024"), _from_march("d", "20-05-2024")])  # fmt: skip
    schema = schema_of(_target_row((date(2024, 8, 1), 8.0)))
    with pytest.raises(ExtractError) as caught:
        prognoser(e, [schema], date(2024, 3, 1))
    text = str(caught.value)
    assert "01-03-2024" in text and "15-03-2024" in text and "mar-24" in text
    assert "Intet er beregnet" in text
    # with måledag 20 the måledato 20-03-2024 lies after it: a figure (too few points)
    (p,) = prognoser(e, [schema], date(2024, 3, 1), maaledag=20)
    assert p.antal_punkter == 1 and not p.har_prognose
    # jun-24: jan … mar-24 lie before the data and are simply missing (not zeros):
    # apr 1, maj 2, jun 4 → b = 3 / 2; aug-24 is t = 4 from apr: 7/3 + 1.5 · 3 = 6.83 < 8
    (p,) = prognoser(e, [schema], date(2024, 6, 1))
    assert p.punkter == ((date(2024, 4, 1), 1.0), (date(2024, 5, 1), 2.0), (date(2024, 6, 1), 4.0))
    assert p.haeldning == pytest.approx(1.5)
    assert p.fremskrevet == pytest.approx(7 / 3 + 4.5)
    assert vurdering(p) == "nej – først 2024-09"  # 7/3 + 1.5 · 4 = 8.33 ≥ 8 at sep-24


def test_kategori_tekst_marks_a_reason():
    assert kategori_tekst(Kategori(KJ, AFGANG, "Fleksjob", "aarsag", 1, 50.0)) == (
        "Fleksjob (afgangsårsag)"
    )
    assert kategori_tekst(Kategori(KJ, AFGANG, "Fleksjob", "maalgruppe", 1, 50.0)) == "Fleksjob"


def test_forklaring_says_it_in_danish():
    values = {JAN: 10.0, FEB: 12.0, MAR: 17.0}  # 9.5 + 3.5t from jan-25

    def said(target: float, direction: str = "højere", **kw) -> str:
        r = _target_row((AUG, target), direction=direction)
        return forklaring(prognose_for(schema_of(r), r, MAR, values, **kw))

    pace = "Med udviklingen de seneste 6 måneder"
    assert said(30) == f"{pace} nås målet 30 i jul-25"
    assert said(40) == f"{pace} nås målet 40 først i okt-25 (målet gælder aug-25)"
    assert said(120) == f"{pace} nås målet 120 ikke inden aug-27"
    assert said(20, "lavere") == f"{pace} er værdien 34 i aug-25, så målet 20 nås ikke"
    assert said(30.5) == f"{pace} nås målet 30,5 i jul-25"
    assert said(30, punkter=2) == (
        "Ingen prognose: kun 2 af de seneste 2 måneder har tal (der skal mindst 3 til)"
    )
    r = _target_row((JAN, 5.0))
    assert forklaring(prognose_for(schema_of(r), r, MAR, values)).startswith(
        "Ingen prognose: rækken har intet mål"
    )
    r = _target_row((AUG, 30.0))
    p = prognose_for(schema_of(r), r, MAR, values)
    assert forklaring(p, lambda v: f"{v:.0f} pct.") == f"{pace} nås målet 30 pct. i jul-25"


def test_demo_tables_add_up_to_the_engines_forloeb():
    from xlstatus.kerne.indikatorer import Snapshot
    from xlstatus.udtraek.generator import generate

    e = generate(seed=7, faktor=0.05)
    v = vandringer(e, MAR25, maaledag=5)
    snap = Snapshot(e, MAR25, 5)
    first, last = snap.window(14)
    assert len(v.maalgrupper) >= 8
    for g in v.maalgrupper:
        f = snap.in_group(g)
        started = int(f["startdato"].between(first, last).sum())
        ended = int((f["slutdato"].notna() & f["slutdato"].between(first, last)).sum())
        assert (v.i_alt(g, TILGANG), v.i_alt(g, AFGANG)) == (started, ended), g
        for retning in (TILGANG, AFGANG):
            lines = v.tabel(g, retning)
            assert all(k.kategori != g for k in lines if k.type == "maalgruppe")
            if lines:
                assert sum(k.andel for k in lines) == pytest.approx(100.0)
                assert [k.antal for k in lines] == sorted((k.antal for k in lines), reverse=True)


def test_all_groups_at_once_equal_each_group_alone():
    # vandringer joins every group's forløb in one pass; one group asked alone is the judge
    from collections import Counter

    from xlstatus.udtraek.generator import generate

    e = generate(seed=11, faktor=0.05)
    v = vandringer(e, MAR25, maaledag=3, maaneder=10)
    for g in v.maalgrupper:
        for retning in (TILGANG, AFGANG):
            cat = forloeb_kategorier(e, MAR25, g, retning, maaledag=3, maaneder=10)
            alone = Counter(zip(cat["kategori"], cat["type"], strict=True))
            together = {(k.kategori, k.type): k.antal for k in v.tabel(g, retning)}
            assert together == dict(alone), (g, retning)
            assert all(k != g for k, t in alone if t == "maalgruppe")
