"""The tidy tables of a FACIT extract (udtraek.md) and the codes they use.

After reading, every table is a pandas DataFrame with exactly the columns below:
dates as datetime64 (NaT when empty), codes in their canonical spelling, `cpr` as
a normalised 10-character text key (or the pseudonymous id as given).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from xlstatus.kerne.errors import Problem
from xlstatus.kerne.koder import (  # noqa: F401 (the codes live in koder; here too)
    AFGANGSAARSAGER,
    AFSLUTNINGER,
    MAALGRUPPER,
    MARKERINGER,
    TABLES,
    TILBUD,
)


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the canonical columns and dtypes."""
    cols = {}
    for col, (kind, _) in TABLES[name].items():
        if kind in ("date", "month"):
            cols[col] = pd.Series([], dtype="datetime64[ns]")
        elif kind == "decimal":
            cols[col] = pd.Series([], dtype="float64")
        else:
            cols[col] = pd.Series([], dtype="object")
    return pd.DataFrame(cols)


@dataclass(frozen=True)
class SourceFile:
    """One file (or sheet) the extract was read from, for the workbook's Log."""

    name: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class PersonKeys:
    """Integer person keys assigned once, when the extract was read: `cpr[k]` is person k's
    key; `codes[table]` is (that table's DataFrame, the person of each of its rows). A table
    replaced since (another object) is simply not covered any more."""

    cpr: np.ndarray
    codes: dict[str, tuple[pd.DataFrame, np.ndarray]]

    def of(self, name: str, table: pd.DataFrame) -> np.ndarray | None:
        """The person of each row of `table`, when the keys were made for this very table."""
        entry = self.codes.get(name)
        return entry[1] if entry is not None and entry[0] is table else None


@dataclass
class Extract:
    """A validated FACIT extract: one tidy DataFrame per table.

    `foedselsdato` in `forloeb` is filled for every row where it is known (given, or
    derived from the CPR number). `loentimer.maaned` is the first day of the month,
    and rows for the same person and month are already summed.
    """

    forloeb: pd.DataFrame = field(default_factory=lambda: empty_table("forloeb"))
    markeringer: pd.DataFrame = field(default_factory=lambda: empty_table("markeringer"))
    tilbud: pd.DataFrame = field(default_factory=lambda: empty_table("tilbud"))
    loentimer: pd.DataFrame = field(default_factory=lambda: empty_table("loentimer"))
    virksomheder: pd.DataFrame = field(default_factory=lambda: empty_table("virksomheder"))
    present: frozenset[str] = frozenset(TABLES)  # tables that were in the source
    warnings: list[Problem] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    location: str = ""
    person_keys: PersonKeys | None = field(default=None, repr=False, compare=False)

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    @property
    def rows_read(self) -> int:
        return sum(s.rows for s in self.sources)

    @property
    def data_date(self) -> pd.Timestamp | None:
        """The latest date anywhere in the extract (its 'data date')."""
        stamps = []
        for name, spec in TABLES.items():
            df = self.table(name)
            for col, (kind, _) in spec.items():
                if kind == "date" and len(df):
                    stamps.append(df[col].max())
        stamps = [s for s in stamps if pd.notna(s)]
        return max(stamps) if stamps else None
