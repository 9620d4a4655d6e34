"""The committee copy's files from its model, for every route (no workbook file needed):
the checked .xlsx (`xlsx.render_xlsx`) and its PDF, made in ONE place (`make_pdf`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from xlstatus import libreoffice
from xlstatus.kerne.errors import WorkbookError
from xlstatus.udvalg.model import CommitteeCopy
from xlstatus.udvalg.scan import cpr_like, scan_xlsx


def check_xlsx(data: bytes) -> None:
    """Refuse a copy that holds anything unsafe (a formula, a macro, a link, a CPR-like
    number); nothing is saved then."""
    with tempfile.TemporaryDirectory(prefix="xlstatus-scan-") as tmp:
        f = Path(tmp) / "kopi.xlsx"
        f.write_bytes(data)
        problems = scan_xlsx(f)
    if problems:
        raise WorkbookError(
            "Udvalgets kopi er ikke gemt, fordi den indeholder:\n"
            + "\n".join(f"  {p}" for p in problems)
        )


def libreoffice_pdf(xlsx_bytes: bytes) -> bytes:
    """LibreOffice's PDF export of the .xlsx copy (not accessible; issue 19 replaces it)."""
    with tempfile.TemporaryDirectory(prefix="xlstatus-pdf-") as tmp:
        src = Path(tmp) / "Udvalgets_kopi.xlsx"
        src.write_bytes(xlsx_bytes)
        return libreoffice.convert(src, "pdf", tmp).read_bytes()


def accessible_pdf() -> bool:
    """Is xlstatus' own accessible PDF renderer (`udvalg.pdf`) installed?"""
    try:
        from xlstatus.udvalg.pdf import render_pdf  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


def make_pdf(copy: CommitteeCopy, xlsx_bytes: bytes) -> bytes | None:
    """THE one place the copy's PDF is made: xlstatus's accessible PDF
    (`udvalg.pdf.render_pdf`, typeset from the model) when it is installed, else
    LibreOffice's export of the .xlsx, else None (no PDF renderer on this machine)."""
    try:
        from xlstatus.udvalg.pdf import render_pdf  # type: ignore[import-not-found]
    except ImportError:
        render_pdf = None
    if render_pdf is not None:
        data = render_pdf(copy)
    elif libreoffice.available():
        data = libreoffice_pdf(xlsx_bytes)
    else:
        return None
    with tempfile.TemporaryDirectory(prefix="xlstatus-pdf-") as tmp:
        f = Path(tmp) / "kopi.pdf"
        f.write_bytes(data)
        if cpr_like(libreoffice.pdf_text(f, layout=False)):
            raise WorkbookError(
                "PDF'en er ikke gemt: den indeholder noget, der ligner et CPR-nummer."
            )
    return data


def render_files(copy: CommitteeCopy, pdf: bool | None = True) -> tuple[bytes, bytes | None]:
    """The copy's .xlsx (checked) and its PDF (pdf=None: when a renderer is installed)."""
    from xlstatus.udvalg.xlsx import render_xlsx

    data = render_xlsx(copy)
    check_xlsx(data)
    if pdf is False:
        return data, None
    made = make_pdf(copy, data)
    if made is None and pdf:
        raise WorkbookError(
            "PDF'en kan ikke laves: hverken xlstatus' PDF-modul eller LibreOffice er installeret."
        )
    return data, made


__all__ = ["accessible_pdf", "check_xlsx", "libreoffice_pdf", "make_pdf", "render_files"]
