"""The five schema templates load, match the spec, and typos give clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xlstatus import TEMPLATES
from xlstatus.kerne.errors import TemplateError
from xlstatus.skabelonfiler import load_schema, load_schemas


def test_five_schemas_with_the_seed_rows():
    schemas = load_schemas()
    assert [len(s.rows) for s in schemas] == [7, 10, 6, 7, 10]
    assert all(len(s.months) == 24 for s in schemas)
    flere = schemas[1]
    assert len(flere.sections) == 5
    row = flere.row("Målgruppeantal", "Borgere i ressourceforløb")
    assert (row.start, row.direction, row.targets[-1][1]) == (74, "lavere", 62)


def copy_with(tmp_path: Path, old: str, new: str) -> Path:
    src = TEMPLATES / "skemaer" / "2_flere_i_job.toml"
    dst = tmp_path / src.name
    shutil.copy(src, dst)
    text = dst.read_text(encoding="utf-8")
    assert old in text
    dst.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dst


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    hit = next(i for i, line in enumerate(lines, 1) if needle in line)
    return max(i for i, line in enumerate(lines[:hit], 1) if line.startswith("[[raekke]]"))


def test_unknown_kind_names_file_line_and_field(tmp_path):
    path = copy_with(tmp_path, 'art = "med_loentimer"', 'art = "med_lontimer"')
    with pytest.raises(TemplateError) as err:
        load_schema(path)
    (problem,) = err.value.problems
    assert problem.file == "2_flere_i_job.toml" and problem.column == "art"
    assert problem.row == line_of(path, "med_lontimer") and problem.value == "med_lontimer"
    assert "ukendt indikatorart" in str(problem)


def test_several_typos_are_all_reported(tmp_path):
    path = copy_with(tmp_path, 'retning = "lavere"', 'retning = "lavre"')
    text = path.read_text(encoding="utf-8").replace(
        "Kontanthjælp aktivitetsparat", "Kontanthjælp aktiv", 1
    )
    path.write_text(
        text.replace("maaneder = 12", "maaneder = 12\nmaengde = 3", 1), encoding="utf-8"
    )
    with pytest.raises(TemplateError) as err:
        load_schema(path)
    columns = sorted(p.column for p in err.value.problems)
    assert columns == ["maalgruppe", "maengde", "retning"]


def test_missing_parameter_for_kind(tmp_path):
    path = copy_with(tmp_path, 'tilbud = ["Virksomhedspraktik"]\n', "")
    with pytest.raises(TemplateError, match="kræver parameteren"):
        load_schema(path)
