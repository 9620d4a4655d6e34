"""The synthetic Hedensted extract: canonical form, realistic sizes, determinism, writing,
and a non-trivial value for every schema row in every month."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest

from xlstatus.kerne.indikatorer import compute_month
from xlstatus.kerne.model import (
    AFGANGSAARSAGER,
    AFSLUTNINGER,
    MAALGRUPPER,
    MARKERINGER,
    TABLES,
    TILBUD,
    Extract,
    empty_table,
)
from xlstatus.kerne.tid import month_label, month_range
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.generator import DEFAULT_SEED, generate, write_extract

SLUT = pd.Timestamp("2026-01-31")
PROJECT_START = pd.Timestamp("2024-01-10")
MONTHS = month_range(date(2024, 2, 1), date(2026, 1, 1))


@pytest.fixture(scope="module")
def ext() -> Extract:
    return generate()


def active_persons(ext: Extract, maalgruppe: str, day: str, alder_min: int | None = None) -> int:
    f = ext.forloeb
    d = pd.Timestamp(day)
    on = f[
        (f["maalgruppe"] == maalgruppe)
        & (f["startdato"] <= d)
        & (f["slutdato"].isna() | (f["slutdato"] >= d))
    ]
    if alder_min is not None:
        b = on["foedselsdato"]
        age = (
            d.year
            - b.dt.year
            - ((b.dt.month > d.month) | ((b.dt.month == d.month) & (b.dt.day > d.day)))
        )
        on = on[age >= alder_min]
    return on["cpr"].nunique()


def marked_persons(ext: Extract, markering: str, day: str) -> int:
    m = ext.markeringer
    d = pd.Timestamp(day)
    on = m[(m["markering"] == markering) & (m["startdato"] <= d)]
    on = on[on["slutdato"].isna() | (on["slutdato"] >= d)]
    return on["cpr"].nunique()


# --------------------------------------------------------------------------- canonical form


def test_tables_have_exactly_the_canonical_columns_and_dtypes(ext):
    for name in TABLES:
        df, empty = ext.table(name), empty_table(name)
        assert list(df.columns) == list(empty.columns), name
        assert list(df.dtypes) == list(empty.dtypes), name
        assert len(df) > 0, name
        for col, (_, required) in TABLES[name].items():
            if required:
                assert df[col].notna().all(), (name, col)


def test_codes_are_the_canonical_ones_and_outcomes_only_come_with_an_end(ext):
    f, m, t = ext.forloeb, ext.markeringer, ext.tilbud
    assert set(f["maalgruppe"]) == set(MAALGRUPPER)
    assert set(f["afgangsaarsag"].dropna()) <= set(AFGANGSAARSAGER)
    assert (f["afgangsaarsag"].notna() == f["slutdato"].notna()).all()
    assert set(m["markering"]) == set(MARKERINGER)  # every code used, no unknown ones
    assert set(m["afslutning"].dropna()) <= set(AFSLUTNINGER)
    assert m.loc[m["afslutning"].notna(), "slutdato"].notna().all()
    assert m.loc[m["slutdato"].notna(), "afslutning"].notna().all()
    assert set(t["tilbud"]) == set(TILBUD)
    for df in (f, m, t):
        assert (df["slutdato"].isna() | (df["slutdato"] >= df["startdato"])).all()
        assert df["startdato"].max() <= SLUT and df["slutdato"].max() <= SLUT
    assert ext.data_date == SLUT


def test_cpr_numbers_fit_the_birth_dates_by_the_century_rule(ext):
    f = ext.forloeb
    assert f["foedselsdato"].notna().all()
    persons = f.drop_duplicates(["cpr", "foedselsdato"])
    assert persons["cpr"].is_unique  # one birth date per person
    cpr = persons["cpr"]
    assert cpr.str.fullmatch(r"\d{6}-\d{4}").all()
    birth = persons["foedselsdato"]
    assert (cpr.str[:6] == birth.dt.strftime("%d%m%y")).all()
    seventh = cpr.str[7].astype(int)
    modern = birth.dt.year >= 2000
    assert seventh[~modern].between(0, 3).all()
    assert (seventh[modern] == 4).all()
    assert birth.dt.year.between(1950, 2008).all()
    # most pass modulus 11, a few do not (both must be accepted by the reader)
    digits = np.array([[int(c) for c in x.replace("-", "")] for x in cpr])
    passes = (digits @ np.array([4, 3, 2, 7, 6, 5, 4, 3, 2, 1])) % 11 == 0
    assert 0.8 < passes.mean() < 1.0


def test_a_persons_periods_follow_one_another_without_overlap(ext):
    f = ext.forloeb.sort_values(["cpr", "startdato"])
    prev_end = f.groupby("cpr")["slutdato"].shift()
    same = f["cpr"] == f["cpr"].shift()
    assert prev_end[same].notna().all()  # only a person's last period is open
    assert (f.loc[same, "startdato"] > prev_end[same]).all()


def test_there_are_short_gaps_the_engine_merges_and_long_gaps_it_does_not(ext):
    f = ext.forloeb.sort_values(["cpr", "maalgruppe", "startdato"])
    same = (f["cpr"] == f["cpr"].shift()) & (f["maalgruppe"] == f["maalgruppe"].shift())
    gap = (f["startdato"] - f["slutdato"].shift()).dt.days[same]
    assert (gap <= 28).sum() > 100  # no whole calendar month between them -> one forløb
    assert (gap > 62).sum() > 100  # a whole free month -> two forløb


def test_fleksjob_periods_have_weekly_hours_some_below_and_most_above_5(ext):
    f = ext.forloeb
    flex = f["maalgruppe"] == "Fleksjob"
    assert f.loc[flex, "timer_pr_uge"].notna().all()
    assert f.loc[~flex, "timer_pr_uge"].isna().all()
    hours = f.loc[flex, "timer_pr_uge"]
    assert 0.1 < (hours <= 5).mean() < 0.4
    assert hours.between(1, 37).all()


def test_wage_hours_are_one_summed_row_per_person_and_month_before_the_extract_month(ext):
    lt = ext.loentimer
    assert (lt["maaned"].dt.day == 1).all()
    assert not lt.duplicated(["cpr", "maaned"]).any()
    assert (lt["timer"] > 0).all()
    assert lt["maaned"].max() == pd.Timestamp("2025-12-01")
    assert set(lt["cpr"]) <= set(ext.forloeb["cpr"])


def test_companies_have_cvr_numbers_and_dates_in_order(ext):
    v = ext.virksomheder
    assert v["cvr"].str.fullmatch(r"[1-9]\d{7}").all() and v["cvr"].is_unique
    assert v["navn"].notna().all()
    assert 30 <= v["behovsafdaekket"].notna().sum() <= 50
    assert v["behovsafdaekket"].min() >= PROJECT_START
    assert 18 <= v["oensker_kompetenceloeft"].notna().sum() <= 32
    both = v.dropna(subset=["oensker_kompetenceloeft"])
    assert (both["oensker_kompetenceloeft"] >= both["behovsafdaekket"]).all()


# --------------------------------------------------------------------------- sizes


TARGETS = {
    "A-dagpenge": 650,
    "Kontanthjælp aktivitetsparat": 100,
    "Kontanthjælp jobparat": 80,
    "Ressourceforløb": 75,
    "Sygedagpenge": 650,
    "Fleksjob": 1200,
}


@pytest.mark.parametrize("day", ["2024-02-01", "2024-10-01", "2025-06-01", "2026-01-01"])
def test_stocks_are_hedensted_sized(ext, day):
    for group, target in TARGETS.items():
        assert 0.75 * target <= active_persons(ext, group, day) <= 1.25 * target, group
    for group in ("Kontanthjælp aktivitetsparat", "Kontanthjælp jobparat"):
        assert 60 <= active_persons(ext, group, day, alder_min=30) <= 100, group
    assert 52 <= marked_persons(ext, "SOCIALT-FRIKORT", day) <= 88
    for group in MAALGRUPPER:
        assert active_persons(ext, group, day) > 20, group


def test_socialt_frikort_holders_are_young_and_on_a_benefit(ext):
    m = ext.markeringer[ext.markeringer["markering"] == "SOCIALT-FRIKORT"]
    births = ext.forloeb.drop_duplicates("cpr").set_index("cpr")["foedselsdato"]
    age = (m["startdato"] - m["cpr"].map(births)).dt.days / 365.25
    assert age.between(18, 30).all()
    f = ext.forloeb.merge(m[["cpr", "startdato"]], on="cpr", suffixes=("", "_m"))
    on_benefit = f[
        (f["startdato"] <= f["startdato_m"])
        & (f["slutdato"].isna() | (f["slutdato"] >= f["startdato_m"]))
    ]
    assert on_benefit["cpr"].nunique() == m["cpr"].nunique()
    assert set(on_benefit["maalgruppe"]) <= {
        "Uddannelseshjælp aktivitetsparat", "Ressourceforløb", "Kontanthjælp aktivitetsparat",
    }  # fmt: skip


def test_marking_volumes_match_the_projects(ext):
    m = ext.markeringer
    kpij = m[m["markering"] == "KPIJ-HENVIST"]
    per_month = (
        kpij[kpij["startdato"] >= "2024-02-01"].groupby(kpij["startdato"].dt.to_period("M")).size()
    )
    assert len(per_month) == 24 and 8 <= per_month.mean() <= 22 and per_month.min() >= 3
    ended = kpij.dropna(subset=["afslutning"])
    assert 0.5 <= (ended["afslutning"] == "Job").mean() <= 0.7
    since = m[m["startdato"] >= PROJECT_START]
    kp = since[since["markering"] == "KOMPETENCEPORTEN"]
    assert 20 <= kp["cpr"].nunique() <= 45
    assert (kp["afslutning"] == "Uddannelse").sum() >= 3
    assert (kp["afslutning"] == "Voksenlære").sum() >= 2
    assert 12 <= (since["markering"] == "KP-OPKVALIFICERET").sum() <= 40
    fk = m[m["markering"] == "SOCIALT-FRIKORT"]
    assert fk["afslutning"].isin(["Fleksjob", "Udviklingsfleksjob"]).sum() >= 5
    # those who end in (udviklings)fleksjob get a Fleksjob period
    to_flex = fk.loc[fk["afslutning"].isin(["Fleksjob", "Udviklingsfleksjob"]), "cpr"]
    flex = ext.forloeb[ext.forloeb["maalgruppe"] == "Fleksjob"]
    assert to_flex.isin(flex["cpr"]).all()


def test_kpij_referrals_mostly_fall_in_the_first_three_months_of_dagpenge(ext):
    m = ext.markeringer
    kpij = m[m["markering"] == "KPIJ-HENVIST"][["cpr", "startdato"]]
    f = ext.forloeb[ext.forloeb["maalgruppe"] == "A-dagpenge"]
    j = kpij.merge(f, on="cpr", suffixes=("", "_f"))
    on = j[
        (j["startdato_f"] <= j["startdato"])
        & (j["slutdato"].isna() | (j["slutdato"] >= j["startdato"]))
    ]
    assert on["cpr"].nunique() == kpij["cpr"].nunique()  # always during a dagpenge period
    early = (on["startdato"] - on["startdato_f"]).dt.days < 90
    assert 0.8 <= early.mean() < 1.0


def test_social_frikort_hours_cover_every_weekly_band(ext):
    m = ext.markeringer
    holders = set(m.loc[m["markering"] == "SOCIALT-FRIKORT", "cpr"])
    lt = ext.loentimer[ext.loentimer["cpr"].isin(holders)]
    weekly = lt["timer"] * 12 / 52
    assert (weekly <= 5).sum() > 50 and weekly.between(5, 10, inclusive="right").sum() > 50
    assert (weekly > 10).sum() > 50


# --------------------------------------------------------------------------- determinism and scale


def test_the_same_seed_gives_identical_tables_and_another_seed_does_not(ext):
    again = generate(DEFAULT_SEED)
    for name in TABLES:
        pd.testing.assert_frame_equal(ext.table(name), again.table(name))
    other = generate(seed=7)
    assert not ext.forloeb.equals(other.forloeb)
    assert not ext.markeringer.equals(other.markeringer)


def test_faktor_scales_persons_and_companies_linearly(ext):
    big = generate(faktor=3)
    ratio = big.forloeb["cpr"].nunique() / ext.forloeb["cpr"].nunique()
    assert 2.7 <= ratio <= 3.3
    assert len(big.virksomheder) == 3 * len(ext.virksomheder)
    assert big.forloeb.drop_duplicates("cpr")["cpr"].is_unique


def test_an_earlier_end_date_gives_the_extract_as_it_looked_then(ext):
    early = generate(slut=date(2024, 6, 30))
    cut = pd.Timestamp("2024-06-30")
    for name in ("forloeb", "markeringer", "tilbud"):
        df = early.table(name)
        assert df["startdato"].max() <= cut and df["slutdato"].max() <= cut
    assert early.loentimer["maaned"].max() == pd.Timestamp("2024-05-01")
    assert early.virksomheder["behovsafdaekket"].max() <= cut


# --------------------------------------------------------------------------- writing


def test_csv_extract_is_written_as_danish_excel_does_and_reads_back(ext, tmp_path):
    folder = write_extract(ext, tmp_path / "udtraek")
    assert folder == tmp_path / "udtraek"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.csv" for n in TABLES)
    for name, spec in TABLES.items():
        raw = (folder / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
        header = raw[3:].split(b"\r\n", 1)[0].decode()
        assert header == ";".join(spec)
        back = pd.read_csv(
            folder / f"{name}.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False
        )
        orig = ext.table(name)
        assert len(back) == len(orig)
        for col, (kind, _) in spec.items():
            text = back[col]
            filled = text != ""
            assert (filled == orig[col].notna().to_numpy()).all(), (name, col)
            if kind == "date":
                assert text[filled].str.fullmatch(r"\d{2}-\d{2}-\d{4}").all()
                parsed = pd.to_datetime(text[filled], format="%d-%m-%Y")
                assert (parsed.to_numpy() == orig[col].dropna().to_numpy()).all()
            elif kind == "month":
                assert text.str.fullmatch(r"\d{4}-\d{2}").all()
                parsed = pd.to_datetime(text, format="%Y-%m")
                assert (parsed.to_numpy() == orig[col].to_numpy()).all()
            elif kind == "decimal":
                assert not text.str.contains(".", regex=False).any()
                parsed = text[filled].str.replace(",", ".").astype(float)
                assert np.allclose(parsed.to_numpy(), orig[col].dropna().to_numpy())
            else:
                assert (text[filled].to_numpy() == orig[col].dropna().to_numpy()).all()
    forloeb = (folder / "forloeb.csv").read_bytes().decode("utf-8-sig")
    assert "Førtidspension" in forloeb and re.search(r";\d+,5\r\n", forloeb)


def test_xlsx_extract_has_one_sheet_per_table_with_real_dates(ext, tmp_path):
    small = Extract(**{name: ext.table(name).head(200) for name in TABLES})
    path = write_extract(small, tmp_path, fmt="xlsx")
    assert path == tmp_path / "udtraek.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == list(TABLES)
    for name, spec in TABLES.items():
        ws = wb[name]
        rows = list(ws.iter_rows())
        assert [c.value for c in rows[0]] == list(spec)
        orig = small.table(name)
        assert len(rows) == len(orig) + 1
        for j, (col, (kind, _)) in enumerate(spec.items()):
            for i, value in enumerate(orig[col]):
                cell = rows[i + 1][j] if j < len(rows[i + 1]) else None
                got = None if cell is None else cell.value
                if pd.isna(value):
                    assert got is None, (name, col, i)
                elif kind in ("date", "month"):
                    assert cell.is_date and cell.number_format == "dd-mm-yyyy"
                    assert pd.Timestamp(got) == value
                elif kind == "decimal":
                    assert got == pytest.approx(value)
                else:
                    assert got == value and cell.data_type == "s"
    wb.close()


def test_unknown_format_is_refused(ext, tmp_path):
    with pytest.raises(ValueError, match="ukendt format"):
        write_extract(ext, tmp_path, fmt="json")


# --------------------------------------------------------------------------- the engine


def test_every_row_of_every_schema_has_a_nontrivial_value_every_month(ext):
    schemas = load_schemas()
    values: dict[tuple[str, str, str], list[float]] = {}
    for month in MONTHS:
        results = compute_month(ext, schemas, month)
        assert len(results) == sum(1 for s in schemas for r in s.rows if not r.manual)
        for r in results:
            key = (r.schema.ark, r.row.sektion, r.row.label)
            where = f"{r.schema.ark} / {r.row.label} / {month_label(month)}"
            me = r.measurement
            assert me.vaerdi is not None, where
            assert me.antal is not None and me.antal > 0, where
            if me.population is not None:
                assert me.population > me.antal, where  # a share strictly below 100
                assert 0 < me.vaerdi < 100, where
            values.setdefault(key, []).append(me.vaerdi)
    for key, series in values.items():
        assert len(set(series)) > 1, key  # the figures move from month to month
