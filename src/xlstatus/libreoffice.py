"""LibreOffice headless: convert a workbook (to PDF, …) and read a PDF's text.

Used by the tests (a real spreadsheet engine opens what xlstatus writes) and for the
committee copy's PDF on a server. Each call gets its own LibreOffice profile folder, so
parallel calls and a LibreOffice a person has open do not get in each other's way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from xlstatus.kerne.errors import WorkbookError

TIMEOUT = 180
_CANDIDATES = (
    "soffice",
    "libreoffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


def soffice() -> str:
    """The LibreOffice program ($XLSTATUS_SOFFICE, then the usual names and places)."""
    for candidate in (os.environ.get("XLSTATUS_SOFFICE"), *_CANDIDATES):
        if not candidate:
            continue
        found = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
        if found:
            return found
    raise WorkbookError(
        "LibreOffice (soffice) er ikke installeret eller kan ikke findes. Installer "
        "LibreOffice, eller angiv programmet i miljøvariablen XLSTATUS_SOFFICE."
    )


def available() -> bool:
    try:
        soffice()
    except WorkbookError:
        return False
    return True


def convert(path: str | Path, fmt: str, outdir: str | Path, timeout: int = TIMEOUT) -> Path:
    """Convert path with LibreOffice headless to fmt ('pdf', 'xlsx', 'csv', …) in outdir.

    Returns the new file's path; a WorkbookError in Danish when LibreOffice is missing,
    fails or takes longer than `timeout` seconds."""
    path = Path(path).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        raise WorkbookError(f"Filen {path} findes ikke og kan ikke konverteres.")
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="xlstatus-lo-") as profile:
        cmd = [
            program,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(path),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise WorkbookError(
                f"LibreOffice blev ikke færdig med at konvertere {path.name} på {timeout} sekunder."
            ) from exc
    target = outdir / f"{path.stem}.{fmt.split(':')[0]}"
    if done.returncode != 0 or not target.exists():
        detail = (done.stderr or done.stdout or "").strip()
        raise WorkbookError(
            f"LibreOffice kunne ikke konvertere {path.name} til {fmt}"
            + (f": {detail}" if detail else ".")
        )
    return target


def pdf_text(pdf: str | Path, layout: bool = True) -> str:
    """The text of a PDF (pdftotext from poppler, with -layout by default)."""
    program = shutil.which("pdftotext")
    if program is None:
        raise WorkbookError("pdftotext (poppler) er ikke installeret.")
    cmd = [program, *(["-layout"] if layout else []), str(pdf), "-"]
    done = subprocess.run(cmd, capture_output=True, timeout=60, check=False)
    if done.returncode != 0:
        raise WorkbookError(
            f"Teksten i {Path(pdf).name} kan ikke læses: "
            f"{done.stderr.decode('utf-8', 'replace').strip()}"
        )
    return done.stdout.decode("utf-8", errors="replace")
