"""The committee copy's pure parts: suppression, sum groups, chart data, the month window."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlstatus.kerne.indikatorer import targets_for
from xlstatus.kerne.status import expected_value
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udvalg.diskretion import HIDE, HIDE_SHARE, Figure, SumGroup, sum_groups, suppress
from xlstatus.udvalg.grafer import chart_data, chart_title
from xlstatus.udvalg.plan import count_in_text, visible_months
from xlstatus.udvalg.scan import cpr_like

SCHEMAS = {s.projekt: s for s in load_schemas()}


def schema(name: str):
    return next(s for p, s in SCHEMAS.items() if p.startswith(name))


# --------------------------------------------------------------------------- primary


def test_counts_below_the_threshold_are_hidden_zero_and_larger_are_shown():
    figures = {k: Figure(k) for k in range(0, 8)}
    hidden = suppress(figures, threshold=5)
    assert hidden == {1: HIDE, 2: HIDE, 3: HIDE, 4: HIDE}
    assert suppress(figures, threshold=3) == {1: HIDE, 2: HIDE}
    assert suppress(figures, threshold=0) == {}
    assert suppress({0: Figure(0)}, threshold=5, hide_zero=True) == {0: HIDE}


def test_unknown_counts_and_exempt_rows_are_never_hidden():
    figures = {"firma": Figure(2, exempt=True), "ukendt": Figure(None), "manuel": Figure(None)}
    assert suppress(figures) == {}


def test_a_share_goes_with_its_count_and_a_share_of_a_tiny_population_is_hidden():
    figures = {
        "lille antal": Figure(3, population=60),  # 3 (5 pct.) -> .
        "lille gruppe": Figure(0, population=3),  # 0 (0 pct.) -> 0 (.)
        "stor": Figure(0, population=60),  # 0 (0 pct.) stays
        "fin": Figure(12, population=60),
    }
    assert suppress(figures) == {"lille antal": HIDE, "lille gruppe": HIDE_SHARE}


# --------------------------------------------------------------------------- secondary

BANDS = SumGroup("i alt", ("1-5", "6-10", "over 10"))


def test_one_hidden_band_hides_the_smallest_other_band():
    figures = {"i alt": Figure(30), "1-5": Figure(3), "6-10": Figure(9), "over 10": Figure(18)}
    hidden = suppress(figures, [BANDS])
    assert hidden == {"1-5": HIDE, "6-10": HIDE}  # 30 - 18 = 12 = 3 + 9, no more


def test_two_hidden_bands_that_add_up_to_a_small_number_hide_a_third():
    figures = {"i alt": Figure(22), "1-5": Figure(1), "6-10": Figure(1), "over 10": Figure(20)}
    assert suppress(figures, [BANDS]) == {"1-5": HIDE, "6-10": HIDE, "over 10": HIDE}


def test_zero_bands_stay_and_two_small_bands_that_add_up_enough_are_left():
    figures = {"i alt": Figure(7), "1-5": Figure(0), "6-10": Figure(3), "over 10": Figure(4)}
    # the reader knows 6-10 + over 10 = 7, not how it splits
    assert suppress(figures, [BANDS]) == {"6-10": HIDE, "over 10": HIDE}
    small = {"i alt": Figure(2), "1-5": Figure(0), "6-10": Figure(0), "over 10": Figure(2)}
    assert suppress(small, [BANDS]) == {"over 10": HIDE, "i alt": HIDE}


def test_contact_places_add_up_to_the_stock():
    group = SumGroup("bestand", ("jobcenter", "akasse"))
    figures = {"bestand": Figure(438), "jobcenter": Figure(435), "akasse": Figure(3)}
    assert suppress(figures, [group]) == {"akasse": HIDE, "jobcenter": HIDE}


def _recoverable(figures, hidden, group, threshold) -> bool:
    """Can a reader compute a hidden part, or a hidden sum below the threshold?"""
    if hidden.get(group.total) == HIDE:
        return False
    gone = [p for p in group.parts if hidden.get(p) == HIDE]
    if not gone:
        return False
    return len(gone) == 1 or sum(figures[p].count for p in gone) < threshold


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=3, max_size=3), st.integers(1, 10))
def test_no_hidden_band_can_be_recovered_from_the_total(parts, threshold):
    bands = {p: Figure(n) for p, n in zip(BANDS.parts, parts, strict=True)}
    figures = {"i alt": Figure(sum(parts)), **bands}
    hidden = suppress(figures, [BANDS], threshold)
    shown = [k for k, f in figures.items() if k not in hidden]
    assert not any(0 < figures[k].count < threshold for k in shown)
    assert not _recoverable(figures, hidden, BANDS, threshold)


# --------------------------------------------------------------------------- groups


def test_sum_groups_come_from_the_schemas():
    klar = schema("Klar")
    groups = sum_groups(klar)
    assert len(groups) == 1
    assert groups[0].total[1] == "Antal a-dagpengemodtagere i alt (personer)"
    assert {p[1] for p in groups[0].parts} == {
        "Antal a-dagpengemodtagere med kontaktforløb i jobcentret (personer)",
        "Antal a-dagpengemodtagere med kontaktforløb i a-kassen",
    }
    frikort = sum_groups(schema("Unge"))
    assert len(frikort) == 1
    assert frikort[0].total[1] == "Antal/andel med løntimer"
    assert len(frikort[0].parts) == 3
    for name in ("Flere", "Kompetence", "Håndholdt"):
        assert sum_groups(schema(name)) == []


# --------------------------------------------------------------------------- charts


def test_chart_data_has_the_expected_line_the_milestones_and_stops_at_the_month():
    s = schema("Flere")
    row = s.rows[0]  # Aktivitetsparate kontanthjælpsmodtagere, 103 -> 100/98/92, lavere
    values = {m: 100.0 + i for i, m in enumerate(s.months)}
    data = chart_data(s, row, values, date(2024, 9, 1), start=103.0)
    assert data.months[0] == date(2024, 1, 1) and data.labels[0] == "Start"
    assert data.labels[1] == "feb-24" and data.labels[-1] == "jan-26"
    assert data.actual[0] == 103 and data.actual[1] == 100 and data.actual[8] == 107
    assert all(v is None for v in data.actual[9:])  # after sep-24: not yet
    targets = targets_for(s, row)
    for m, e in zip(data.months[1:], data.expected[1:], strict=True):
        assert e == pytest.approx(expected_value(targets, m), abs=0.01)
    assert data.expected[0] == 103
    marks = {m: v for m, v in zip(data.months, data.milestones, strict=True) if v is not None}
    assert marks == {date(2024, 8, 1): 100, date(2025, 1, 1): 98, date(2026, 1, 1): 92}
    assert data.status[1] == "roed" or data.status[1] in ("gul", "groen")
    assert data.unit == "antal" and data.subtitle == "antal, lavere er bedre"
    assert data.title == "Målgruppeantal: Aktivitetsparate kontanthjælpsmodtagere"


def test_a_hidden_start_is_not_given_away_by_the_expected_line():
    s = schema("Flere")
    row = next(r for r in s.rows if r.label == "Ressourceforløb - alle")  # start 4 (5 pct.)
    data = chart_data(s, row, {}, date(2024, 9, 1), start=None)
    assert data.actual[0] is None and data.expected[0] is None
    assert chart_data(s, row, {}, date(2024, 9, 1), start=5.0).expected[0] == 5


def test_chart_title_does_not_double_a_colon():
    s = schema("Kompetence")
    row = next(r for r in s.rows if r.label == "Voksenlære")
    assert chart_title(row).endswith("afsluttes til: Voksenlære")


# --------------------------------------------------------------------------- small helpers


def test_count_in_text():
    assert count_in_text("17 (17 pct.)") == 17
    assert count_in_text("1.234 (5,5 pct.)") == 1234
    assert count_in_text("✔ 3 (4 pct.)") == 3
    assert count_in_text("–") is None and count_in_text(17) is None


def test_the_printed_window_keeps_the_latest_months_that_fit():
    months = [(date(2024, m, 1), 14.0) for m in range(1, 13)]
    shown = visible_months(months, fixed_px=700, month=date(2024, 10, 1))
    assert shown[-1] == date(2024, 10, 1)
    assert 3 <= len(shown) <= 12
    assert shown == sorted(shown) and all(m <= date(2024, 10, 1) for m in shown)
    narrow = visible_months([(m, 8.5) for m, _ in months], fixed_px=700, month=date(2024, 12, 1))
    assert len(narrow) > len(visible_months(months, 700, date(2024, 12, 1)))
    assert len(visible_months(months, fixed_px=5000, month=date(2024, 12, 1))) == 3


def test_cpr_like():
    assert cpr_like("0101901234") and cpr_like("CPR 010190-1234 ")
    assert not cpr_like("87.9") and not cpr_like("12345-6789")
