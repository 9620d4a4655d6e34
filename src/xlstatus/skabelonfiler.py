"""The templates on disk (schemas, Måltal, column aliases): the one place that finds and
reads them, for every front end. The core parses their text (`kerne.skema.parse_schema`,
`kerne.maaltal.parse_maaltal`) and does no I/O itself.

The templates travel inside the package (`xlstatus/skabeloner/`, read through
importlib.resources), so a wheel, the workbook builder, xlwings Lite's main.py and the
server all find them the same way. A municipality's own templates live in an *override
folder* named by the environment variable `XLSTATUS_SKABELONER` (or the CLI option
`--skabeloner DIR`, which sets it; the older `XLSTATUS_TEMPLATES` still works):

- `DIR/skemaer/*.toml` (or `DIR/*.toml`) are schemas; they ADD to the packaged ones, and a
  file with the same name as a packaged schema REPLACES it;
- `DIR/maaltal.toml`, `DIR/kolonnealiaser.toml` and `DIR/sammenligning.toml` replace the
  packaged files.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from xlstatus.kerne.sammenligning_opsaetning import Opsaetning, parse_opsaetning
from xlstatus.kerne.skema import Schema, parse_schema

if TYPE_CHECKING:  # kerne.maaltal needs pandas: imported when a Måltal is read
    from xlstatus.kerne.maaltal import Maaltal

ENV = "XLSTATUS_SKABELONER"
ENV_OLD = "XLSTATUS_TEMPLATES"  # the name before the templates moved into the package
SCHEMA_FOLDER = "skemaer"
MAALTAL_FILE = "maaltal.toml"
ALIAS_FILE = "kolonnealiaser.toml"
SAMMENLIGNING_FILE = "sammenligning.toml"
RESERVED = (MAALTAL_FILE, ALIAS_FILE, SAMMENLIGNING_FILE)

# the packaged templates (a real folder: setuptools installs package data as files)
TEMPLATES = Path(str(files("xlstatus") / "skabeloner"))


def override_folder() -> Path | None:
    """The municipality's own template folder, when one is set."""
    value = os.environ.get(ENV) or os.environ.get(ENV_OLD)
    return Path(value).expanduser() if value else None


def set_override(folder: str | Path | None) -> None:
    """Use `folder` as the override folder for this process and the ones it starts."""
    if folder is None:
        os.environ.pop(ENV, None)
        os.environ.pop(ENV_OLD, None)
    else:
        os.environ[ENV] = str(Path(folder).expanduser().resolve())
        os.environ.pop(ENV_OLD, None)


def template_file(name: str) -> Path:
    """A single template file (maaltal.toml, kolonnealiaser.toml): the override's copy
    when it has one, else the packaged file."""
    extra = override_folder()
    if extra is not None and (extra / name).is_file():
        return extra / name
    return TEMPLATES / name


def schema_files() -> list[Path]:
    """Every schema file in file-name order: packaged ones, plus or replaced by the
    override folder's (`skemaer/*.toml` or `*.toml` beside maaltal.toml)."""
    by_name = {p.name: p for p in (TEMPLATES / SCHEMA_FOLDER).glob("*.toml")}
    extra = override_folder()
    if extra is not None:
        own = [p for p in extra.glob("*.toml") if p.name not in RESERVED]
        own += list((extra / SCHEMA_FOLDER).glob("*.toml"))
        by_name.update({p.name: p for p in own})
    return [by_name[name] for name in sorted(by_name)]


def describe() -> str:
    """Where the templates come from, in Danish (for help texts and logs)."""
    extra = override_folder()
    where = f"pakkens skabeloner ({TEMPLATES})"
    return where if extra is None else f"{where} + egne skabeloner i {extra}"


def load_schema(path: Path) -> Schema:
    """Load one schema template; every problem in it is reported at once."""
    return parse_schema(path.read_text(encoding="utf-8"), path.name)


def load_schemas(folder: Path | None = None) -> list[Schema]:
    """All schemas in file-name order: the packaged ones plus the override folder's, or
    those in `folder`."""
    paths = sorted(folder.glob("*.toml")) if folder else schema_files()
    return [load_schema(p) for p in paths]


def load_maaltal(path: Path | None = None) -> Maaltal:
    """The Måltal template (maaltal.toml: the override's copy or the packaged one) unless
    `path` is given."""
    from xlstatus.kerne.maaltal import parse_maaltal

    path = path or template_file(MAALTAL_FILE)
    return parse_maaltal(path.read_text(encoding="utf-8"), path.name)


def load_sammenligning(path: Path | None = None) -> Opsaetning:
    """The comparisons (sammenligning.toml: the override folder's copy, which replaces the
    packaged one, or the packaged default) unless `path` is given."""
    path = path or template_file(SAMMENLIGNING_FILE)
    return parse_opsaetning(path.read_text(encoding="utf-8"), path.name)
