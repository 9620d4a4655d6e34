"""Each indicator kind on small hand-built extracts, answers worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest
from builders import ext, person, row, schema_of

from xlstatus.kerne.errors import ExtractError
from xlstatus.kerne.indikatorer import Snapshot, compute_month, future_warnings
from xlstatus.kerne.model import Extract

FEB, JUN = date(2024, 2, 1), date(2024, 6, 1)


def value(extract: Extract, r, month: date = JUN, maaledag: int = 1):
    (result,) = compute_month(extract, [schema_of(r)], month, maaledag)
    return result.measurement


def adp(cpr: str, start: str, end: str | None = None, why: str | None = None, **kw) -> dict:
    return person(
        cpr, maalgruppe="A-dagpenge", startdato=start, slutdato=end, afgangsaarsag=why, **kw
    )


# --- forløb merging -----------------------------------------------------------------


def test_gap_shorter_than_a_whole_month_merges_into_one_forloeb():
    # ends 15-03, restarts 20-04: no whole calendar month free -> one forløb from 01-01
    e = ext(forloeb=[adp("a", "01-01-2024", "15-03-2024", "Job"), adp("a", "20-04-2024")])
    f = Snapshot(e, JUN).forloeb
    assert len(f) == 1 and f.iloc[0]["startdato"].day == 1 and f.iloc[0]["startdato"].month == 1


def test_whole_free_calendar_month_splits_the_forloeb():
    # ends 15-03, restarts 02-05: April is free -> two forløb
    e = ext(forloeb=[adp("a", "01-01-2024", "15-03-2024", "Job"), adp("a", "02-05-2024")])
    f = Snapshot(e, JUN).forloeb.sort_values("startdato")
    assert len(f) == 2
    assert f.iloc[0]["afgangsaarsag"] == "Job"


def test_month_end_to_month_start_two_months_later_splits():
    e = ext(forloeb=[adp("a", "01-01-2024", "31-03-2024", "Job"), adp("a", "01-05-2024")])
    assert len(Snapshot(e, JUN).forloeb) == 2
    e = ext(forloeb=[adp("a", "01-01-2024", "31-03-2024", "Job"), adp("a", "30-04-2024")])
    assert len(Snapshot(e, JUN).forloeb) == 1


def test_merged_forloeb_takes_end_and_reason_of_its_last_period():
    e = ext(
        forloeb=[
            adp("a", "01-01-2024", "15-02-2024", "Ukendt"),
            adp("a", "01-03-2024", "10-04-2024", "Job"),
        ]
    )
    (f,) = Snapshot(e, JUN).forloeb.itertuples()
    assert (f.startdato.month, f.slutdato.day, f.slutdato.month, f.afgangsaarsag) == (
        1,
        10,
        4,
        "Job",
    )


# --- bestand, as of the measurement date -------------------------------------------------


def test_bestand_counts_persons_active_on_maaledato_with_maaledag():
    e = ext(
        forloeb=[
            adp("a", "01-01-2024"),
            adp("b", "01-01-2024", "31-05-2024", "Job"),  # ended before 01-06
            adp("c", "05-06-2024"),  # starts after 01-06, before 10-06
            adp("d", "01-01-2024", "05-06-2024", "Job"),  # active 01-06, ended by 10-06
        ]
    )
    r = row("bestand", maalgruppe="A-dagpenge")
    assert value(e, r).antal == 2  # a, d
    assert value(e, r, maaledag=10).antal == 2  # a, c


def test_a_past_month_is_the_same_whatever_later_data_arrives():
    early = ext(forloeb=[adp("a", "01-01-2024")])
    later = ext(forloeb=[adp("a", "01-01-2024", "01-06-2024", "Job"), adp("b", "02-06-2024")])
    r = row("varighed", maalgruppe="A-dagpenge", maaneder=3)
    assert value(early, r) == value(later, r)  # end on måledato is not known yet
    assert value(later, row("bestand", maalgruppe="A-dagpenge")).antal == 1


def test_age_boundary_uses_completed_years_on_maaledato():
    e = ext(
        forloeb=[
            person("a", "01-06-1994", maalgruppe="Kontanthjælp jobparat", startdato="01-01-2024"),
            person("b", "02-06-1994", maalgruppe="Kontanthjælp jobparat", startdato="01-01-2024"),
        ]
    )
    r = row("bestand", maalgruppe="Kontanthjælp jobparat", alder_min=30)
    assert value(e, r).antal == 1  # a turns 30 on 01-06-2024, b the day after


def test_bestand_by_marking_only():
    e = ext(
        markeringer=[
            {"cpr": "a", "markering": "SOCIALT-FRIKORT", "startdato": "01-02-2024"},
            {
                "cpr": "b",
                "markering": "SOCIALT-FRIKORT",
                "startdato": "01-02-2024",
                "slutdato": "01-03-2024",
            },
            {"cpr": "c", "markering": "KPIJ-HENVIST", "startdato": "01-02-2024"},
        ]
    )
    assert value(e, row("bestand", markering="SOCIALT-FRIKORT")).antal == 1


# --- kontaktforløb ------------------------------------------------------------------------


def test_kontaktforloeb_three_month_boundary():
    # måledato 01-06-2024; minus 3 months = 01-03-2024. Started after it -> a-kasse.
    e = ext(forloeb=[adp("a", "01-03-2024"), adp("b", "02-03-2024"), adp("c", "29-02-2024")])
    akasse = value(e, row("kontaktforloeb", maalgruppe="A-dagpenge", sted="akasse", maaneder=3))
    jobc = value(e, row("kontaktforloeb", maalgruppe="A-dagpenge", sted="jobcenter", maaneder=3))
    assert (akasse.antal, jobc.antal) == (1, 2)


def test_kontaktforloeb_uses_merged_forloeb_start():
    # restart 20-05 after a short gap: forløb began 01-01, so jobcentre
    e = ext(forloeb=[adp("a", "01-01-2024", "15-04-2024", "Job"), adp("a", "20-05-2024")])
    r = row("kontaktforloeb", maalgruppe="A-dagpenge", sted="jobcenter", maaneder=3)
    assert value(e, r).antal == 1


def test_day_clipping_at_month_end_in_leap_year():
    # måledag 31 in May: 31-05-2024 minus 3 months = 29-02-2024
    e = ext(forloeb=[adp("a", "29-02-2024"), adp("b", "01-03-2024")])
    r = row("kontaktforloeb", maalgruppe="A-dagpenge", sted="akasse", maaneder=3)
    assert value(e, r, date(2024, 5, 1), maaledag=31).antal == 1


# --- markings ---------------------------------------------------------------------------


def mark(cpr, start, end=None, how=None, code="KPIJ-HENVIST"):
    return {"cpr": cpr, "markering": code, "startdato": start, "slutdato": end, "afslutning": how}


def test_henviste_maaned_counts_previous_month_and_akasse_period():
    e = ext(
        forloeb=[adp("a", "15-03-2024"), adp("b", "01-01-2024"), adp("c", "10-03-2024")],
        markeringer=[
            mark("a", "02-05-2024"),  # forløb started < 3 months before -> counts
            mark("b", "10-05-2024"),  # forløb started > 3 months before -> not
            mark("c", "02-04-2024"),  # April, not the previous month of June
            mark("a", "20-05-2024"),  # same person twice -> once
        ],
    )
    assert value(e, row("henviste_maaned", markering="KPIJ-HENVIST")).antal == 2
    r = row("henviste_maaned", markering="KPIJ-HENVIST", kun_akasseperiode=True)
    assert value(e, r).antal == 1


def test_akkumuleret_from_project_start_and_never_falls():
    e = ext(
        markeringer=[
            mark("a", "09-01-2024"),  # before the project start
            mark("b", "10-01-2024"),
            mark("c", "15-03-2024", "20-04-2024", "Job"),
            mark("d", "31-05-2024"),
        ]
    )
    r = row("akkumuleret", markering="KPIJ-HENVIST")
    assert [value(e, r, date(2024, m, 1)).antal for m in (2, 4, 6)] == [1, 2, 3]


def test_akkumuleret_with_outcome_and_fleksjob_hours():
    e = ext(
        forloeb=[
            person("a", maalgruppe="Fleksjob", startdato="01-04-2024", timer_pr_uge=5.0),
            person("b", maalgruppe="Fleksjob", startdato="01-04-2024", timer_pr_uge=12.0),
        ],
        markeringer=[
            mark("a", "01-02-2024", "31-03-2024", "Fleksjob", "SOCIALT-FRIKORT"),
            mark("b", "01-02-2024", "31-03-2024", "Udviklingsfleksjob", "SOCIALT-FRIKORT"),
            mark(
                "c", "01-02-2024", "01-06-2024", "Fleksjob", "SOCIALT-FRIKORT"
            ),  # ends on måledato
        ],
    )
    both = ["Fleksjob", "Udviklingsfleksjob"]
    assert value(e, row("akkumuleret", markering="SOCIALT-FRIKORT", afslutning=both)).antal == 2
    r = row("akkumuleret", markering="SOCIALT-FRIKORT", afslutning=both, fleksjob_timer_over=5)
    assert value(e, r).antal == 1  # exactly 5 hours is not over 5


def test_andel_afsluttet_uses_latest_ended_marking_per_person():
    e = ext(
        markeringer=[
            mark("a", "01-02-2024", "01-03-2024", "Andet"),
            mark("a", "05-03-2024", "01-05-2024", "Job"),
            mark("b", "01-02-2024", "01-04-2024", "Uddannelse"),
            mark("c", "01-02-2024"),  # still open
        ]
    )
    m = value(e, row("andel_afsluttet", fmt="andel", markering="KPIJ-HENVIST", afslutning=["Job"]))
    assert (m.antal, m.population, m.vaerdi) == (1, 2, 50.0)


# --- durations and exits -------------------------------------------------------------------


def test_varighed_mean_weeks_of_forloeb_ended_last_three_months():
    e = ext(
        forloeb=[
            adp("a", "01-03-2024", "13-03-2024", "Job"),  # 13 days -> 13/7
            adp("b", "01-01-2024", "29-02-2024", "Job"),  # ended in Feb: outside Mar-May
            adp("c", "01-04-2024", "29-04-2024", "Job"),  # 29 days -> 29/7
        ]
    )
    m = value(e, row("varighed", fmt="uger", maalgruppe="A-dagpenge", maaneder=3))
    assert m.antal == 2 and m.vaerdi == pytest.approx((13 + 29) / 2 / 7)


def test_varighed_without_ended_forloeb_has_no_value():
    e = ext(forloeb=[adp("a", "01-01-2024")])
    assert value(e, row("varighed", maalgruppe="A-dagpenge")).vaerdi is None


def kh(cpr, start, end=None, why=None, birth="01-01-1980"):
    return person(
        cpr,
        birth,
        maalgruppe="Kontanthjælp jobparat",
        startdato=start,
        slutdato=end,
        afgangsaarsag=why,
    )


def test_andel_afgang_with_age_on_end_date():
    e = ext(
        forloeb=[
            kh("a", "01-01-2023", "10-01-2024", "Job"),
            kh("b", "01-01-2023", "10-02-2024", "Uddannelse"),
            kh("c", "01-01-2023", "10-03-2024", "Job", birth="11-03-1994"),  # 29 on its end date
            kh("d", "01-01-2022", "10-05-2023", "Job"),  # ended more than 12 months ago
        ]
    )
    r = row("andel_afgang", fmt="andel", maalgruppe="Kontanthjælp jobparat", alder_min=30,
            aarsager=["Job"], maaneder=12)  # fmt: skip
    m = value(e, r)
    assert (m.antal, m.population) == (1, 2)


def test_tilbagevenden_within_365_days_except_fleksjob():
    # M = 2025-06: ended in 2023-06-01 .. 2024-05-31
    e = ext(
        forloeb=[
            kh("a", "01-01-2023", "10-01-2024", "Job"),
            person("a", maalgruppe="Sygedagpenge", startdato="09-01-2025"),  # within 365 days
            kh("b", "01-01-2023", "10-02-2024", "Job"),
            person("b", maalgruppe="Fleksjob", startdato="01-03-2024"),  # does not count
            kh("c", "01-01-2023", "10-03-2024", "Job"),
            kh("c", "11-03-2025"),  # day 366 -> not within a year
            kh("d", "01-01-2023", "10-07-2024", "Job"),  # ended outside the window
        ]
    )
    m = value(
        e, row("tilbagevenden", fmt="andel", maalgruppe="Kontanthjælp jobparat"), date(2025, 6, 1)
    )
    assert (m.antal, m.population) == (1, 3)


# --- hours and offers -------------------------------------------------------------------


def lt(cpr, month, hours):
    return {"cpr": cpr, "maaned": month, "timer": hours}


def sf(cpr):
    return mark(cpr, "01-02-2024", code="SOCIALT-FRIKORT")


def test_weekly_hour_bands_at_exactly_5_and_10_hours():
    # weekly = monthly * 12 / 52: 5 h/week = 21.666.. h/month, 10 h/week = 43.333.. h/month
    five, ten = 5 * 52 / 12, 10 * 52 / 12
    e = ext(
        markeringer=[sf(c) for c in "abcdef"],
        loentimer=[
            lt("a", "01-05-2024", five),
            lt("b", "01-05-2024", five + 0.01),
            lt("c", "01-05-2024", ten),
            lt("d", "01-05-2024", ten + 0.01),
            lt("e", "01-04-2024", 40),  # not the previous month
            lt("f", "01-06-2024", 40),  # month M itself does not exist yet
        ],
    )
    counts = {
        band: value(
            e, row("med_loentimer", "antal_andel", markering="SOCIALT-FRIKORT", timer_pr_uge=band)
        )
        for band in ("1-5", "6-10", "over 10")
    }
    assert [counts[b].antal for b in ("1-5", "6-10", "over 10")] == [1, 2, 1]
    total = value(e, row("med_loentimer", "antal_andel", markering="SOCIALT-FRIKORT"))
    assert (total.antal, total.population) == (4, 6)
    assert total.vaerdi == pytest.approx(400 / 6)


def test_med_loentimer_sums_rows_and_handles_empty_population():
    e = ext(markeringer=[], loentimer=[lt("a", "01-05-2024", 3)])
    m = value(e, row("med_loentimer", "antal_andel", markering="SOCIALT-FRIKORT"))
    assert (m.antal, m.population, m.vaerdi) == (0, 0, None)


def test_med_tilbud_active_on_a_day_of_previous_month():
    e = ext(
        forloeb=[kh(c, "01-01-2024") for c in "abcd"],
        tilbud=[
            {"cpr": "a", "tilbud": "Virksomhedspraktik", "startdato": "31-05-2024"},
            {
                "cpr": "b",
                "tilbud": "Løntilskud",
                "startdato": "01-03-2024",
                "slutdato": "01-05-2024",
            },
            {
                "cpr": "c",
                "tilbud": "Virksomhedspraktik",
                "startdato": "01-03-2024",
                "slutdato": "30-04-2024",
            },
            {"cpr": "d", "tilbud": "Mentor", "startdato": "01-05-2024"},
        ],
    )
    r = row("med_tilbud", "antal_andel", maalgruppe="Kontanthjælp jobparat",
            tilbud=["Virksomhedspraktik", "Løntilskud"])  # fmt: skip
    m = value(e, r)
    assert (m.antal, m.population, m.vaerdi) == (2, 4, 50.0)


# --- delaftale 2 -------------------------------------------------------------------------


def test_delaftale2_12mdr():
    # M = 2025-06, måledato 01-06-2025: forløb must have started on/before 01-06-2024
    e = ext(
        forloeb=[
            kh("a", "01-06-2024"),
            kh("b", "01-01-2024"),
            kh("c", "01-01-2024"),
            kh("d", "02-06-2024"),
        ],
        tilbud=[
            {
                "cpr": "a",
                "tilbud": "Virksomhedspraktik",
                "startdato": "01-01-2024",
                "slutdato": "01-06-2024",
            }
        ],
        loentimer=[lt("b", "01-05-2025", 2), lt("c", "01-05-2024", 20)],  # c: 13 months ago
    )
    m = value(
        e, row("delaftale2_12mdr", "andel", maalgruppe="Kontanthjælp jobparat"), date(2025, 6, 1)
    )
    assert (m.antal, m.population) == (2, 3)


def test_delaftale2_26uger():
    # M = 2025-01: 26-week day (start + 182) must fall in Jan..Dec 2024 with the forløb active
    e = ext(
        forloeb=[
            kh("a", "01-03-2024"),  # day 182 = 30-08-2024; praktik in week 10 -> yes
            kh("b", "01-03-2024"),  # hours only in a month after the window -> no
            kh("c", "01-03-2024", "01-06-2024", "Job"),  # ended before day 182 -> not counted
            kh("d", "01-09-2024"),  # day 182 = 02-03-2025 -> outside
            kh("e", "15-02-2024"),  # hours in the start month -> yes
        ],
        tilbud=[
            {
                "cpr": "a",
                "tilbud": "Virksomhedspraktik",
                "startdato": "10-05-2024",
                "slutdato": "20-05-2024",
            }
        ],
        loentimer=[lt("b", "01-09-2024", 10), lt("e", "01-02-2024", 5)],
    )
    m = value(
        e, row("delaftale2_26uger", "andel", maalgruppe="Kontanthjælp jobparat"), date(2025, 1, 1)
    )
    assert (m.antal, m.population) == (2, 3)


def test_virksomheder_counts_dates_before_maaledato():
    e = ext(
        virksomheder=[
            {"cvr": "11111111", "behovsafdaekket": "01-03-2024"},
            {"cvr": "22222222", "behovsafdaekket": "01-06-2024"},  # on måledato: not before
            {"cvr": "33333333"},
        ]
    )
    assert value(e, row("virksomheder", felt="behovsafdaekket")).antal == 1


# --- plumbing -----------------------------------------------------------------------------


def test_missing_table_names_table_and_indicator():
    e = ext(forloeb=[adp("a", "01-01-2024")])
    e.present = frozenset({"forloeb"})
    with pytest.raises(ExtractError) as err:
        compute_month(
            e, [schema_of(row("med_tilbud", maalgruppe="A-dagpenge", tilbud=["Mentor"]))], JUN
        )
    assert "tilbud" in str(err.value) and "med_tilbud" in str(err.value)


def test_future_dates_give_a_warning():
    e = ext(forloeb=[adp("a", "01-01-2024"), adp("b", "01-07-2024")])
    (w,) = future_warnings(e, JUN)
    assert w.severity == "advarsel" and "forloeb" in w.file


def test_manual_rows_are_not_computed():
    s = schema_of(row("manuel", "tekst"), row("virksomheder", felt="behovsafdaekket"))
    assert [r.row.kind for r in compute_month(ext(), [s], FEB)] == ["virksomheder"]
