"""The reader's fast paths give exactly what the plain pandas operations give."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xlstatus.udtraek.laes import _duplicated

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
