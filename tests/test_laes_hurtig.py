"""The reader's fast paths give exactly what the plain pandas operations give."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlstatus.udtraek.ark import _digest, _width
from xlstatus.udtraek.laes import (
    _cell_text,
    _decode,
    _duplicated,
    _fast_grid,
    _fast_grid_utf8,
    _sniff,
    _text_column,
)

cells = st.sampled_from(["", "a", "b", " a", "1", "01", "æ", "a;b"])
wide = st.integers(0, 10**6).map(str)  # many distinct values: forces the key to re-factorize


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 9).flatmap(
        lambda w: st.lists(st.lists(st.one_of(cells, wide), min_size=w, max_size=w), max_size=60)
    )
)
def test_duplicate_rows_as_pandas_finds_them(rows):
    text = pd.DataFrame(rows, dtype=str)
    codes = [pd.factorize(text[j])[0] for j in text.columns]
    expected = text.duplicated(keep="first").to_numpy() if len(text.columns) else []
    assert list(_duplicated(codes, len(text))) == list(expected)


def test_duplicate_rows_with_keys_that_would_overflow_int64():
    rng = np.random.default_rng(7)
    n = 20_000
    cols = {j: rng.permutation(n).astype(str) for j in range(6)}  # 20000**6 > 2**62
    text = pd.DataFrame(cols)
    text = pd.concat([text, text.sample(500, random_state=1)], ignore_index=True)
    text.loc[len(text)] = ["x"] * 6
    codes = [pd.factorize(text[j])[0] for j in text.columns]
    assert (_duplicated(codes, len(text)) == text.duplicated(keep="first").to_numpy()).all()
    assert _duplicated(codes, len(text)).sum() == 500


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_large_utf8_file_goes_to_pyarrow_as_bytes_with_the_same_grid(bom):
    lines = [f"{i:06d}-1234;Førtidspension;0{i % 9 + 1}-01-2024;;\r" for i in range(40_000)]
    lines[5] = lines[17] = ""  # blank lines keep their Excel row numbers
    data = bom + ("cpr;maalgruppe;startdato;slutdato;x\r\n" + "\n".join(lines) + "\n").encode()
    assert len(data) > 1 << 20
    fast = _fast_grid_utf8(data)
    text = _decode(data)
    assert fast is not None
    pd.testing.assert_frame_equal(fast, _fast_grid(text, _sniff(text)))


def test_large_non_utf8_file_is_left_to_the_decoding_path():
    data = ("cpr;tilbud\n" + "x;Løntilskud\n" * 100_000).encode("cp1252")
    assert _fast_grid_utf8(data) is None
    text = _decode(data)
    assert _fast_grid(text, _sniff(text)).iloc[1, 1] == "Løntilskud"


def test_person_keys_from_the_reader_give_the_figures_of_keys_made_afresh(tmp_path):
    from dataclasses import replace
    from datetime import date

    from xlstatus.kerne.indeks import Index
    from xlstatus.kerne.indikatorer import compute_months
    from xlstatus.skabelonfiler import load_schemas
    from xlstatus.udtraek.generator import generate, write_extract
    from xlstatus.udtraek.laes import read_extract

    e = read_extract(write_extract(generate(faktor=0.2), tmp_path / "u", "csv"))
    assert e.person_keys is not None
    assert Index.of(e).cpr is e.person_keys.cpr  # the reader's keys are used as they are
    fresh = replace(e, person_keys=None)
    assert Index.of(fresh).cpr is not e.person_keys.cpr
    keys = Index.of(e)
    assert len(keys.cpr) == len(set(keys.cpr)) == len(Index.of(fresh).cpr)
    months = [date(2024, 3, 1), date(2025, 1, 1), date(2025, 6, 1)]
    a = compute_months(e, load_schemas(), months, 10)
    b = compute_months(fresh, load_schemas(), months, 10)
    assert [r.measurement for r in a] == [r.measurement for r in b]
    e.markeringer = e.markeringer.iloc[::-1].reset_index(drop=True)  # keys no longer fit
    assert Index.of(e).cpr is not e.person_keys.cpr


def test_duplicates_judged_on_a_partial_key_first_as_pandas_finds_them():
    """Wide keys: the rows whose leading columns repeat are judged on every column."""
    rng = np.random.default_rng(20)
    for _ in range(60):
        n, w = int(rng.integers(1, 3000)), int(rng.integers(2, 9))
        cols = [rng.integers(0, int(rng.choice([2, 50, 3000])), n) for _ in range(w)]
        for _ in range(int(rng.integers(0, n // 2 + 1))):  # copy parts of rows onto others
            a, b = rng.integers(0, n, 2)
            for c in cols[: int(rng.integers(1, w + 1))]:
                c[a] = c[b]
        codes = [pd.factorize(c)[0].astype(np.int32) for c in cols]
        codes[-1][0] = 2**31 - 2  # a huge last code: the key cannot hold every column
        expected = pd.DataFrame(codes).T.duplicated(keep="first").to_numpy()
        assert (_duplicated(codes, n) == expected).all()


# what a pasted sheet's cells can hold: True == 1 == 1.0 and datetime == Timestamp, yet
# their texts differ or agree - the distinct-values path must tell them apart as cells do
pasted = st.sampled_from(
    [None, "", " a ", "a", "A", "0101801234", "2", 1, 2, 1.0, 2.0, 1.5, -0.0, 1e16, 10**16,
     True, False, np.bool_(True), np.float64(2.0), np.int64(2), np.nan, pd.NaT, pd.NA,
     datetime(2024, 1, 1), datetime(2024, 1, 1, 12), date(2024, 1, 1),
     pd.Timestamp("2024-01-01")]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(pasted, max_size=30))
def test_pasted_column_as_text_is_each_cell_made_text(values):
    col = pd.Series(values, dtype=object, index=range(5, 5 + len(values)))
    expected = col.map(_cell_text).astype(str)
    got = _text_column(col)
    assert got.dtype == expected.dtype
    assert list(got.index) == list(expected.index)
    assert list(got) == list(expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from([None, "", " ", "x", 0, 3.0]), max_size=8), max_size=12))
def test_block_width_is_the_last_filled_cell_of_any_row(rows):
    filled = [j for r in rows for j, v in enumerate(r, start=1) if v is not None and str(v).strip()]
    assert _width(rows) == max(filled, default=0)


def test_pasted_digest_reads_whole_floats_as_ints_and_dates_as_iso_text():
    assert _digest([[3.0, datetime(2024, 1, 1)]]) == _digest([[3, "2024-01-01T00:00:00"]])
    assert _digest([[3.5]]) != _digest([[3]])
