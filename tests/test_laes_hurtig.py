"""The reader's fast paths give exactly what the plain pandas operations give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlstatus.udtraek.laes import _decode, _duplicated, _fast_grid, _fast_grid_utf8, _sniff

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
