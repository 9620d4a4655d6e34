"""A wheel built from the committed tree installs into a fresh venv (with the server extra)
and runs the demo and `xlstatus server` from another folder (templates and the server's
project folder are package data, nothing is read from the checkout).

Slow (a venv and an install; pip's cache makes it about half a minute), so marked `wheel`;
`./run test` still runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]


def committed_tree(target: Path) -> Path:
    """The checkout's tracked files (what a fresh clone has), copied to `target`."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True, timeout=60).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
    return target


@pytest.mark.wheel
@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                    reason="bygger fra git-checkoutet")  # fmt: skip
def test_wheel_installs_and_runs_the_demo_outside_the_checkout(tmp_path):
    tree = committed_tree(tmp_path / "kilde")
    wheels = tmp_path / "hjul"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XLSTATUS_", "XLWINGS_", "PYTHON"))}  # fmt: skip
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(tree)], check=True, timeout=300, env=env)  # fmt: skip
    (wheel,) = wheels.glob("xlstatus-*.whl")
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=True)
    py = fresh / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", f"{wheel}[server]"], check=True,
                   timeout=600, env=env)  # fmt: skip
    elsewhere = tmp_path / "et-andet-sted"
    elsewhere.mkdir()
    result = subprocess.run([str(fresh / "bin" / "xlstatus"), "demo", "--mappe", "demo",
                             "--faktor", "0.05"], cwd=elsewhere, capture_output=True,
                            text=True, timeout=600, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    book = elsewhere / "demo" / "Statusskema.xlsx"
    assert len(openpyxl.load_workbook(book, read_only=True).sheetnames) >= 5
    where = subprocess.run([str(py), "-c", "import xlstatus; print(xlstatus.TEMPLATES)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True,
                           env=env).stdout.strip()  # fmt: skip
    assert str(fresh) in where and str(ROOT) not in where
    guide = subprocess.run([str(fresh / "bin" / "xlstatus"), "drift"], cwd=elsewhere,
                           capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert guide.returncode == 0 and guide.stdout.startswith("# Drift – xlstatus-serveren")
    served_from_the_wheel(fresh, elsewhere, env)


def served_from_the_wheel(fresh: Path, cwd: Path, env: dict[str, str]) -> None:
    """`xlstatus server` from the installed wheel serves the Danish task pane and its
    script (the project folder is package data too)."""
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(fresh / "bin" / "xlstatus"), "server", "--port", str(port)],
                            cwd=cwd, env={**env, "XLWINGS_LICENSE_KEY": "noncommercial"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(url + "/taskpane", timeout=2)
                if page.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serveren startede ikke"
            time.sleep(0.2)
        assert "Klargør til udvalg" in page.text and '<html lang="da">' in page.text
        assert httpx.get(url + "/static/js/xlstatus-opgaverude.js", timeout=10).status_code == 200
        book = httpx.get(url + "/Statusskema.xlsx", timeout=30)  # IT's first hour (issue 21)
        assert book.status_code == 200 and book.content[:2] == b"PK"
        link = httpx.get(url + "/udvalg/" + "A" * 43 + "/Statusskema_udvalg_2026-01.xlsx")
        assert link.status_code == 404 and "udløbet" in link.text  # xlstatus' own routes
        meta = httpx.get(url + "/xlwings/custom-functions-meta", timeout=10).json()
        assert "INDIKATOR" in {f["name"] for f in meta["functions"]}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
