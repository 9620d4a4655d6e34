"""Invariants of the engine on random small extracts (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from builders import ext, row, schema_of
from hypothesis import given, settings
from hypothesis import strategies as st

from xlstatus.kerne.indikatorer import compute_month

PEOPLE = [f"p{i}" for i in range(8)]
day = st.dates(date(2023, 1, 1), date(2025, 12, 31))


@st.composite
def periods(draw, group: str = "A-dagpenge", code_key: str = "maalgruppe"):
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(day)
        length = draw(st.one_of(st.none(), st.integers(0, 400)))
        end = None if length is None else start + timedelta(days=length)
        rows.append(
            {
                "cpr": draw(st.sampled_from(PEOPLE)),
                code_key: group,
                "startdato": start.strftime("%d-%m-%Y"),
                "slutdato": end.strftime("%d-%m-%Y") if end else None,
                "foedselsdato": "01-01-1990",
                "afgangsaarsag" if code_key == "maalgruppe" else "afslutning": (
                    draw(st.sampled_from(["Job", "Uddannelse", "Fleksjob"])) if end else None
                ),
            }
        )
    return rows


hours = st.lists(
    st.fixed_dictionaries(
        {
            "cpr": st.sampled_from(PEOPLE),
            "maaned": st.dates(date(2024, 1, 1), date(2025, 12, 1)).map(
                lambda d: d.strftime("01-%m-%Y")
            ),
            "timer": st.floats(0, 200),
        }
    ),
    max_size=20,
)
month = st.dates(date(2024, 2, 1), date(2026, 1, 1)).map(lambda d: d.replace(day=1))


@settings(max_examples=60, deadline=None)
@given(periods(), month, st.integers(1, 28))
def test_jobcenter_plus_akasse_is_bestand(forloeb, m, maaledag):
    e = ext(forloeb=forloeb)
    s = schema_of(
        row("bestand", maalgruppe="A-dagpenge"),
        row("kontaktforloeb", maalgruppe="A-dagpenge", sted="jobcenter", maaneder=3),
        row("kontaktforloeb", maalgruppe="A-dagpenge", sted="akasse", maaneder=3),
    )
    total, jobcenter, akasse = (r.measurement.antal for r in compute_month(e, [s], m, maaledag))
    assert jobcenter + akasse == total


@settings(max_examples=60, deadline=None)
@given(periods(), periods("SOCIALT-FRIKORT", "markering"), hours, month)
def test_shares_between_0_and_100_and_bands_sum_to_total(forloeb, marks, lt, m):
    e = ext(forloeb=forloeb, markeringer=marks, loentimer=lt)
    s = schema_of(
        row("med_loentimer", "antal_andel", markering="SOCIALT-FRIKORT"),
        *[
            row("med_loentimer", "antal_andel", markering="SOCIALT-FRIKORT", timer_pr_uge=b)
            for b in ("1-5", "6-10", "over 10")
        ],
        row("andel_afgang", "andel", maalgruppe="A-dagpenge", aarsager=["Job"], maaneder=12),
        row("delaftale2_12mdr", "andel", maalgruppe="A-dagpenge"),
        row("tilbagevenden", "andel", maalgruppe="A-dagpenge"),
    )
    results = compute_month(e, [s], m)
    for r in results:
        v = r.measurement
        assert v.vaerdi is None or 0 <= v.vaerdi <= 100
        assert (v.vaerdi is None) == (v.population == 0)
    total, *bands = (r.measurement.antal for r in results[:4])
    assert sum(bands) == total


@settings(max_examples=40, deadline=None)
@given(periods("KOMPETENCEPORTEN", "markering"))
def test_cumulative_rows_never_fall(marks):
    e = ext(markeringer=marks)
    s = schema_of(
        row("akkumuleret", markering="KOMPETENCEPORTEN"),
        row("akkumuleret", markering="KOMPETENCEPORTEN", afslutning=["Uddannelse"]),
    )
    months = [date(2024 + (i + 1) // 12, (i + 1) % 12 + 1, 1) for i in range(24)]
    series = [[r.measurement.antal for r in compute_month(e, [s], m)] for m in months]
    for earlier, later in pairwise(series):
        assert all(b >= a for a, b in zip(earlier, later, strict=True))
