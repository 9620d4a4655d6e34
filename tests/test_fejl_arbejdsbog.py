"""Workbook files under faults (issue #11): concurrent runs, broken files, merged cells,
links and modes, parts openpyxl drops, images, and a stale extract.

Concurrency and killed processes are tested with real processes; nothing is mocked.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import typer
from legacy_fixtures import USER, log_rows, run, small_extract
from typer.testing import CliRunner

from xlstatus.arbejdsbog import fil, gem
from xlstatus.arbejdsbog.bygger import create_workbook
from xlstatus.arbejdsbog.opdater import Arbejdsbog, check_extract_age, current_user
from xlstatus.cli.arbejdsbog import register
from xlstatus.kerne.errors import WorkbookError
from xlstatus.plan.indstillinger import Settings, read_settings
from xlstatus.udtraek.generator import generate, write_extract

MAR, MAJ = date(2024, 3, 1), date(2024, 5, 1)
PYTHON = sys.executable
XLSTATUS = str(Path(sys.executable).with_name("xlstatus"))


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return create_workbook(tmp_path / "Statusskema.xlsx")


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory) -> Path:
    """A small synthetic extract whose newest date is 31-01-2026."""
    return write_extract(generate(faktor=0.05), tmp_path_factory.mktemp("x") / "udtraek", "csv")


def cli(*args: str):
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, list(args))


def opdater(path: Path, udtraek: Path, maaned: str = "2024-03", *extra: str):
    return cli("opdater", str(path), "--udtraek", str(udtraek), "--maaned", maaned, *extra)


def months_in_data(path: Path) -> set[date]:
    wb = openpyxl.load_workbook(path)
    return {d.maaned for d in fil.read_data(wb)}


def log_months(path: Path) -> list[date]:
    col = 3  # Måned
    return sorted(r[col - 1].date() for r in log_rows(path))


# --------------------------------------------------------------------------- 1: two runs at once


def test_runs_started_at_once_lose_no_month_and_no_log_row(tmp_path: Path, udtraek: Path):
    """Three workbooks, each updated by two processes started at the same time (waiting as
    long as a slow, shared test machine needs: XLSTATUS_LAAS_VENT)."""
    books = [create_workbook(tmp_path / f"Bog{i}.xlsx") for i in range(3)]
    env = {**os.environ, "XLSTATUS_LAAS_VENT": "300"}
    procs = []
    for path in books:
        for m in ("2024-03", "2024-05"):
            cmd = [XLSTATUS, "opdater", str(path), "--udtraek", str(udtraek), "--maaned", m]
            procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          text=True, env=env))  # fmt: skip
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0 and "Traceback" not in out + err, err
    for path in books:
        assert months_in_data(path) == {MAR, MAJ}
        assert log_months(path) == [MAR, MAJ]
        assert MAR in months_in_data(fil.backup_path(path)) or MAJ in months_in_data(
            fil.backup_path(path)
        )  # the backup: after the first run
    leftovers = [p.name for p in tmp_path.iterdir() if "xlstatus-" in p.name]
    assert leftovers == []


HOLD = textwrap.dedent("""
    import sys, time
    from xlstatus.arbejdsbog.gem import OpdaterLaas
    laas = OpdaterLaas(sys.argv[1])
    laas.acquire()
    print("klar", flush=True)
    time.sleep(120)
""")


def _holder(path: Path) -> subprocess.Popen:
    p = subprocess.Popen([PYTHON, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "klar"
    return p


def test_a_second_run_waits_then_stops_naming_who_holds_the_workbook(
    book: Path, udtraek: Path, monkeypatch
):
    monkeypatch.setattr(gem, "LAAS_VENT", 0.5)
    holder = _holder(book)
    try:
        before = book.read_bytes()
        result = opdater(book, udtraek)
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    who = f"{current_user()} på {socket.gethostname()}"
    assert f"Arbejdsbogen Statusskema.xlsx opdateres allerede af {who} (siden kl." in result.output
    assert "Intet er ændret" in result.output and "Traceback" not in result.output
    assert book.read_bytes() == before


def test_the_lock_dies_with_a_killed_process(book: Path, udtraek: Path):
    holder = _holder(book)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert gem.lock_path(book).exists()  # left behind, but no longer locked
    result = opdater(book, udtraek)
    assert result.exit_code == 0, result.output
    assert MAR in months_in_data(book)
    assert not gem.lock_path(book).exists()


def test_temporary_files_of_killed_runs_are_removed(book: Path, udtraek: Path):
    old = [book.with_name(".Statusskema.xlstatus-tmp.xlsx"),  # the former fixed name
           book.with_name(".Statusskema.xlstatus-tmp-k1ll3d.xlsx")]  # fmt: skip
    other = book.with_name(".Andet.xlstatus-tmp-x.xlsx")  # another workbook's: not ours
    for p in [*old, other]:
        p.write_bytes(b"PK half a workbook")
    assert opdater(book, udtraek).exit_code == 0
    assert [p.exists() for p in old] == [False, False]
    assert other.exists()


def test_runs_killed_at_any_moment_leave_a_workbook_that_opens_and_no_debris(
    book: Path, udtraek: Path
):
    import time

    for i, delay in enumerate((0.6, 1.0, 1.4, 1.8, 2.2)):
        m = f"2024-{3 + i:02d}"
        p = subprocess.Popen(
            [XLSTATUS, "opdater", str(book), "--udtraek", str(udtraek), "--maaned", m],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        openpyxl.load_workbook(book)  # the old or the new version, never a broken one
    assert opdater(book, udtraek, "2024-09").exit_code == 0
    assert date(2024, 9, 1) in months_in_data(book)
    assert [p.name for p in book.parent.iterdir() if "xlstatus-" in p.name] == []


def test_one_process_may_nest_the_lock(book: Path):
    """The save inside a held run (and the demo's one Arbejdsbog) takes it again."""
    with Arbejdsbog(book) as b, gem.OpdaterLaas(book):
        b.opdater(small_extract(), MAR, user=USER)
        b.save()
    assert not gem.lock_path(book).exists()


# --------------------------------------------------------------------------- 7: broken files


def _corrupt_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + 10
    data[start : start + 200] = bytes(200)
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _half_xml(path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                body = body[: len(body) // 2]
            dst.writestr(item, body)
    path.write_bytes(buf.getvalue())


def _password(path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(path, "rb") as f:
        OOXMLFile(f).encrypt("hemmelig", out)
    path.write_bytes(out.getvalue())


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "indhold.txt").write_text("x", encoding="utf-8")


@pytest.mark.parametrize(("damage", "words"), [
    (_corrupt_bytes, "er beskadiget"),
    (_truncate, "er beskadiget"),
    (_half_xml, "er beskadiget"),
    (_password, "er beskyttet med adgangskode"),
    (_folder, "er en mappe"),
])  # fmt: skip
def test_a_broken_workbook_is_named_in_danish_and_left_unchanged(book, udtraek, damage, words):
    damage(book)
    before = book.read_bytes() if book.is_file() else sorted(os.listdir(book))
    result = opdater(book, udtraek)
    assert result.exit_code == 1
    assert words in result.output and "Intet er ændret" in result.output
    for english in ("Traceback", "zip file", "Errno", "CRC", "Error"):
        assert english not in result.output
    after = book.read_bytes() if book.is_file() else sorted(os.listdir(book))
    assert after == before
    assert not fil.backup_path(book).exists()


# --------------------------------------------------------------------------- 8: merged cells


def _filled_pair(path: Path) -> tuple[int, int]:
    """Two rows in a row of 'Flere i job' that Opdater fills for March (column D)."""
    copy = path.with_name("kopi.xlsx")
    shutil.copy(path, copy)
    run(copy, MAR)
    ws = openpyxl.load_workbook(copy)["Flere i job"]
    rows = [r for r in range(5, ws.max_row + 1) if isinstance(ws.cell(r, 4).value, int | float)]
    r = next(r for r in rows if r + 1 in rows)
    return r, ws.cell(r, 4).value


def test_a_month_cell_inside_merged_cells_is_skipped_and_reported(book: Path):
    top, value = _filled_pair(book)
    wb = openpyxl.load_workbook(book)
    wb["Flere i job"].merge_cells(start_row=top, start_column=4, end_row=top + 1, end_column=4)
    wb.save(book)
    plan, _ = run(book, MAR)
    ws = openpyxl.load_workbook(book)["Flere i job"]
    assert ws.cell(top, 4).value == value  # the top-left cell holds its own row's value
    assert f"D{top}:D{top + 1}" in {str(r) for r in ws.merged_cells.ranges}
    assert plan.merged == [("Flere i job", f"D{top + 1}", f"D{top}:D{top + 1}")]
    lines = plan.report_lines()
    assert f"  Flere i job!D{top + 1} (flettet D{top}:D{top + 1})" in lines


# --------------------------------------------------------------------------- 9: links and modes


def test_a_symlinked_workbook_updates_its_target_and_stays_a_link(book: Path, udtraek: Path):
    link = book.with_name("Genvej.xlsx")
    link.symlink_to(book.name)
    assert opdater(link, udtraek).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == book.name
    assert MAR in months_in_data(book)
    assert fil.backup_path(book).exists()


def test_hard_links_all_see_the_new_version(book: Path, udtraek: Path):
    other = book.with_name("Anden.xlsx")
    os.link(book, other)
    assert opdater(book, udtraek).exit_code == 0
    assert os.stat(book).st_ino == os.stat(other).st_ino and os.stat(book).st_nlink == 2
    assert MAR in months_in_data(other)
    assert MAR not in months_in_data(fil.backup_path(book))  # the backup is the old version


def test_the_file_keeps_its_mode(book: Path, udtraek: Path):
    os.chmod(book, 0o600)
    assert opdater(book, udtraek).exit_code == 0
    assert os.stat(book).st_mode & 0o777 == 0o600


def test_a_read_only_workbook_is_refused_even_for_root(book: Path, udtraek: Path):
    os.chmod(book, 0o444)
    before = book.read_bytes()
    result = opdater(book, udtraek)
    assert result.exit_code == 1
    assert "Arbejdsbogen Statusskema.xlsx er skrivebeskyttet" in result.output
    assert book.read_bytes() == before and os.stat(book).st_mode & 0o777 == 0o444


# --------------------------------------------------------------------------- 10: kept parts

CUSTOM_XML = {
    "customXml/item1.xml": b'<?xml version="1.0"?><p:properties xmlns:p="http://schemas.'
                           b'microsoft.com/office/2006/metadata/properties"><Sag>42</Sag>'
                           b"</p:properties>",
    "customXml/itemProps1.xml": b'<?xml version="1.0"?><ds:datastoreItem ds:itemID="{A1}" '
                                b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/'
                                b'2006/customXml"/>',
    "customXml/_rels/item1.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://'
                                      b'schemas.openxmlformats.org/package/2006/relationships">'
                                      b'<Relationship Id="rId1" Type="http://schemas.openxmlfo'
                                      b'rmats.org/officeDocument/2006/relationships/customXmlP'
                                      b'rops" Target="itemProps1.xml"/></Relationships>',
    "docMetadata/LabelInfo.xml": b'<?xml version="1.0"?><clbl:labelList xmlns:clbl="http://'
                                 b'schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:'
                                 b'label id="{L1}" enabled="1" method="Standard"/></clbl:'
                                 b"labelList>",
}  # fmt: skip
ITEM_REL = (b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/customXml" Target="../customXml/item1.xml"/>')  # fmt: skip
LABEL_REL = (
    b'<Relationship Id="rId98" Type="http://schemas.microsoft.com/office/2020/02/'
    b'relationships/classificationlabels" Target="docMetadata/LabelInfo.xml"/>'
)
TYPES = (
    b'<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxml'
    b'formats-officedocument.customXmlProperties+xml"/><Override PartName="/docMetadata/'
    b'LabelInfo.xml" ContentType="application/vnd.ms-office.classificationlabels+xml"/>'
)


def _add_parts(path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", ITEM_REL + b"</Relationships>")
            elif item.filename == "_rels/.rels":
                body = body.replace(b"</Relationships>", LABEL_REL + b"</Relationships>")
            elif item.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", TYPES + b"</Types>")
            dst.writestr(item, body)
        for name, body in CUSTOM_XML.items():
            dst.writestr(name, body)
    path.write_bytes(buf.getvalue())


def test_sharepoint_properties_and_sensitivity_labels_survive_opdater(book: Path):
    _add_parts(book)
    wb = openpyxl.load_workbook(book)
    wb.custom_doc_props.append(
        openpyxl.packaging.custom.StringProperty(
            name="MSIP_Label_11111111-2222_Enabled", value="true"
        )
    )
    wb.save(book)
    _add_parts(book)  # openpyxl's save above dropped them again
    assert fil.lost_parts(book) == []
    run(book, MAR)
    run(book, MAJ)
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        for name, body in CUSTOM_XML.items():
            assert z.read(name) == body
        assert len(names) == len(set(names))
        assert b"../customXml/item1.xml" in z.read("xl/_rels/workbook.xml.rels")
        assert z.read("xl/_rels/workbook.xml.rels").count(b"customXml/item1.xml") == 1
        assert b"docMetadata/LabelInfo.xml" in z.read("_rels/.rels")
        types = z.read("[Content_Types].xml")
        assert b"/customXml/itemProps1.xml" in types and b"classificationlabels+xml" in types
    wb = openpyxl.load_workbook(book)
    assert "MSIP_Label_11111111-2222_Enabled" in [p.name for p in wb.custom_doc_props]
    assert MAJ in months_in_data(book)


def test_a_workbook_with_a_picture_is_updated_and_keeps_it(book: Path, tmp_path: Path):
    from openpyxl.drawing.image import Image
    from PIL import Image as PILImage

    png = tmp_path / "logo.png"
    PILImage.new("RGB", (40, 20), (200, 30, 30)).save(png)
    wb = openpyxl.load_workbook(book)
    wb["Flere i job"].add_image(Image(str(png)), "AC2")
    wb.save(book)
    assert fil.lost_parts(book) == []
    run(book, MAR)
    wb = openpyxl.load_workbook(book)
    assert len(wb["Flere i job"]._images) == 1
    assert MAR in months_in_data(book)


# --------------------------------------------------------------------------- 11: stale extract


def test_a_stale_extract_is_refused_naming_both_dates(book: Path, udtraek: Path):
    before = book.read_bytes()
    result = opdater(book, udtraek, "2026-12")
    assert result.exit_code == 1
    assert ("Udtrækket er for gammelt til dec-26: dets seneste dato er 31-01-2026, men "
            "måledatoen er 01-12-2026") in result.output  # fmt: skip
    assert "--tillad-gammelt-udtraek" in result.output and "Intet er ændret" in result.output
    assert book.read_bytes() == before and not fil.backup_path(book).exists()
    allowed = opdater(book, udtraek, "2026-12", "--tillad-gammelt-udtraek")
    assert allowed.exit_code == 0, allowed.output
    assert date(2026, 12, 1) in months_in_data(book)


def test_months_before_the_data_date_and_one_month_after_are_never_stale():
    extract = generate(faktor=0.02)  # newest date 31-01-2026
    for month in (date(2024, 2, 1), date(2026, 1, 1), date(2026, 2, 1)):
        check_extract_age(extract, month, 1)
    check_extract_age(extract, date(2026, 2, 1), 28)  # 28-02-2026: one month after
    with pytest.raises(WorkbookError, match="måledatoen er 01-03-2026"):
        check_extract_age(extract, date(2026, 3, 1), 1)
    check_extract_age(extract, date(2026, 3, 1), 1, allow=True)


def test_the_workbook_setting_allows_an_old_extract(tmp_path: Path, udtraek: Path):
    settings = Settings(udtraek=str(udtraek), tillad_gammelt_udtraek=True)
    path = create_workbook(tmp_path / "Bog.xlsx", settings)
    assert read_settings([["Tillad gammelt udtræk", "ja"]]).tillad_gammelt_udtraek
    with pytest.raises(WorkbookError, match="'Tillad gammelt udtræk' skal være Ja eller Nej"):
        read_settings([["Tillad gammelt udtræk", "måske"]])
    result = cli("opdater", str(path), "--maaned", "2026-12")
    assert result.exit_code == 0, result.output


def _excel_run(path: Path, month: str):
    import xlwings as xw
    from xlwings.server import custom_scripts_call

    from xlstatus import excel
    from xlstatus.excel.payload import book_payload, replay

    payload = book_payload(path)
    xbook = xw.Book(json=payload)
    asyncio.run(custom_scripts_call(excel, "opdater", typehint_to_value={xw.Book: xbook},
                                    args=[month]))  # fmt: skip
    return replay(xbook.json()["actions"], payload)


@pytest.mark.parametrize("allow", [False, True])
def test_the_excel_button_refuses_a_stale_extract_unless_the_setting_allows_it(
    tmp_path: Path, udtraek: Path, monkeypatch, allow: bool
):
    monkeypatch.setenv("XLSTATUS_BRUGER", USER)
    settings = Settings(udtraek=str(udtraek), tillad_gammelt_udtraek=allow)
    path = create_workbook(tmp_path / "Bog.xlsx", settings)
    rp = _excel_run(path, "2026-12")
    texts = " ".join(text for text, *_ in rp.alerts)
    if allow:
        assert "Opdateret dec-26" in texts and rp.cells
    else:
        assert "Udtrækket er for gammelt til dec-26" in texts
        assert "'Tillad gammelt udtræk' på arket Indstillinger" in texts
        assert not rp.cells  # nothing changed, the Log sheet included
