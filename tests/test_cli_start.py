"""The command line starts at once: each command imports only what it needs (issue 20).

Run in a fresh interpreter (a subprocess), since this test process has long imported
everything; the child prints which heavy modules it reached.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("pandas", "numpy", "pyarrow", "openpyxl", "xlstatus.kerne.analyser")

CHILD = """
import json, sys
from xlstatus.cli.app import app
try:
    app({args!r})
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({{"code": code, "loaded": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def loaded_by(*args: str) -> tuple[int, list[str], str]:
    """(exit code, the heavy modules in sys.modules afterwards, stdout) of `xlstatus ARGS`."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    code = CHILD.format(args=list(args), heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    last = json.loads(done.stdout.strip().splitlines()[-1])
    return last["code"], last["loaded"], done.stdout


@pytest.mark.parametrize("args", [["--help"], ["indikatorer", "--help"], ["server", "--help"]])
def test_help_imports_no_data_library(args):
    code, loaded, stdout = loaded_by(*args)
    assert code == 0
    assert "Usage" in stdout or "Brug" in stdout
    assert loaded == []


def test_indikatorer_imports_no_analyses(tmp_path):
    from xlstatus.udtraek.generator import generate, write_extract

    folder = write_extract(generate(faktor=0.05), tmp_path / "udtraek", "csv")
    code, loaded, stdout = loaded_by(
        "indikatorer", "--udtraek", str(folder), "--maaned", "2025-03", "--format", "csv"
    )
    assert code == 0
    assert stdout.startswith("projekt;sektion;label")
    assert "xlstatus.kerne.analyser" not in loaded
    assert "openpyxl" not in loaded  # a CSV folder needs no spreadsheet library
