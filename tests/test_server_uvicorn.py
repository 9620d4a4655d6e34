"""`xlstatus server` for real: uvicorn on 127.0.0.1 at a free port, in a subprocess, with a
server-side extract; a workbook made by `xlstatus ny` is filled over HTTP exactly as the
command line fills it. The subprocess is always terminated; every wait is bounded."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest
from test_excel import after_actions, differences, file_looks, log_time, new_book

from xlstatus.arbejdsbog.opdater import opdater_fil
from xlstatus.excel import FUNKTIONER, office_js_navn
from xlstatus.excel.payload import book_payload, replay
from xlstatus.udtraek.generator import generate, write_extract

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(importlib.util.find_spec("xlwings_server") is None,
                       reason='kræver pip install "xlstatus[server]"'),
]  # fmt: skip

XLSTATUS = Path(sys.executable).with_name("xlstatus")
SERVER_USER = "via serveren (ingen login)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "XLSTATUS_"))}
    return {**env, **extra}


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("server") / "udtraek"
    write_extract(generate(seed=11, faktor=0.05), folder, "csv")
    return folder


@pytest.fixture(scope="module")
def server(udtraek, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("log") / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(XLSTATUS), "server", "--host", "127.0.0.1", "--port", str(port), "--udtraek",
             str(udtraek), "--workers", "1"],
            env=clean_env(XLWINGS_LICENSE_KEY="noncommercial"), stdout=out, stderr=out,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/manifest.xml", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("serveren startede ikke:\n" + log.read_text()[-3000:])
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def post_opdater(url: str, path: Path, *args) -> tuple[list, object]:
    payload = book_payload(path)
    response = httpx.post(f"{url}/xlwings/custom-scripts-call/opdater",
                          json={**payload, "args": list(args)}, timeout=120)  # fmt: skip
    assert response.status_code == 200, response.text[:2000]
    actions = response.json()["actions"]
    return actions, replay(actions, payload)


def test_a_new_workbook_is_filled_over_http_as_the_command_line_fills_it(server, udtraek,
                                                                         tmp_path):  # fmt: skip
    books = [new_book(tmp_path / f"Statusskema{i}.xlsx", None) for i in range(2)]
    months = ["2025-03", "2025-09"]
    with ThreadPoolExecutor(2) as pool:  # two Opdater at once
        jobs = [pool.submit(post_opdater, server, b, m, False)
                for b, m in zip(books, months, strict=True)]  # fmt: skip
        results = [job.result(timeout=300) for job in jobs]
    for book, month, (actions, rp) in zip(books, months, results, strict=True):
        cli = tmp_path / f"cli-{month}.xlsx"
        shutil.copy(book, cli)
        opdater_fil(cli, udtraek, date.fromisoformat(month + "-01"), user=SERVER_USER)
        assert differences(file_looks(cli), after_actions(book, rp), skip=log_time) == []
        assert {"setValues", "setRangeColor", "addNote"} <= {a["func"] for a in actions}


def test_every_cell_function_answers_over_http(server):
    meta = httpx.get(server + "/xlwings/custom-functions-meta", timeout=30).json()["functions"]
    assert sorted(f["name"] for f in meta) == sorted(office_js_navn(n) for n in FUNKTIONER)
    args = {
        "xlstatus_indikator": ["Jobperronen", "Andel afsluttet til job", "2025-03"],
        "xlstatus_forventet": ["Jobperronen", "Andel afsluttet til job", "2025-03"],
        "xlstatus_status": ["Jobperronen", "Andel afsluttet til job", "2025-03", 10],
        "xlstatus_antal_andel": [17, 100],
        "xlstatus_maaltal": ["Sygedagpenge"],
        "xlstatus_fuldtidspersoner": ["A-dagpenge", 45658, 45688],
        "xlstatus_projekter": [],
        "xlstatus_raekker": ["Jobperronen"],
        "xlstatus_prognose": ["Jobperronen", "Andel afsluttet til job", "2025-03"],
        "xlstatus_vandringer": ["A-dagpenge", "tilgang", "2025-03"],
    }
    assert set(args) == set(FUNKTIONER)
    for name, values in args.items():
        data = {"func_name": name, "args": [[[v]] for v in values], "caller_address": "A!B2",
                "version": "0", "client": "Office.js", "runtime": "1.4",
                "culture_info_name": "da-DK", "date_format": "dd-mm-åååå"}  # fmt: skip
        response = httpx.post(server + "/xlwings/custom-functions-call", json=data, timeout=60)
        assert response.status_code == 200, (name, response.text[:500])
        assert response.json()["result"] not in (None, [], [[]]), name


def test_manifest_and_task_pane_are_served(server):
    root = ET.fromstring(httpx.get(server + "/manifest.xml", timeout=30).content)
    ns = "{http://schemas.microsoft.com/office/appforoffice/1.1}"
    assert root.find(f"{ns}DefaultLocale").text == "da-DK"
    html = httpx.get(server + "/taskpane", timeout=30).text
    assert "Klargør til udvalg" in html and 'type="month"' in html


def test_a_workbook_path_outside_the_folder_is_refused_without_500(server, tmp_path):
    import openpyxl
    from test_excel import settings_row

    from xlstatus.plan import tekster

    book = new_book(tmp_path / "Statusskema.xlsx", None)
    wb = openpyxl.load_workbook(book)
    ws = wb[tekster.SETTINGS]
    ws.cell(settings_row(ws, "Udtræk"), 2).value = "/etc/passwd"
    wb.save(book)
    actions, rp = post_opdater(server, book, "2025-03", False)
    assert [a["func"] for a in actions] == ["alert"]
    assert "udtræksmappe" in rp.alerts[0][0] and "root:" not in rp.alerts[0][0]


def test_the_task_pane_in_headless_chromium(server, tmp_path):
    """A screenshot of the served task pane. Outside Excel Office.onReady never comes, and
    xlwings then covers the pane with its "not loaded" notice, so the page is shot as
    served minus that one watchdog script (all styles and scripts from the server)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium er ikke installeret (apt-get install chromium)")
    html = httpx.get(server + "/taskpane", timeout=30).text
    watchdog = '<script src="/static/js/officejs/taskpane-reload.js"></script>'
    assert watchdog in html
    page = tmp_path / "opgaverude.html"
    page.write_text(html.replace("<head hx-head=\"merge\">",
                                 f'<head hx-head="merge"><base href="{server}/">')
                    .replace(watchdog, "").replace('src="/', 'src="').replace('href="/', 'href="'),
                    encoding="utf-8")  # fmt: skip
    png = tmp_path / "opgaverude.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    f"--screenshot={png}", "--window-size=400,800", page.as_uri()],
                   capture_output=True, timeout=120, check=False)  # fmt: skip
    assert png.exists() and png.stat().st_size > 5000
    keep = os.environ.get("XLSTATUS_SKAERMBILLEDE")
    if keep:
        shutil.copy(png, keep)


@pytest.fixture(scope="module")
def opdateret(tmp_path_factory) -> Path:
    from datetime import datetime

    from xlstatus.arbejdsbog.bygger import create_workbook
    from xlstatus.arbejdsbog.opdater import Arbejdsbog

    path = create_workbook(tmp_path_factory.mktemp("udvalg") / "Statusskema.xlsx")
    book = Arbejdsbog(path)
    book.opdater(generate(seed=7, faktor=0.05), date(2024, 5, 1),
                 when=datetime(2024, 6, 3, 8, 0), user="test", allow_old=True)  # fmt: skip
    book.save()
    return path


def klargoer(url: str, path: Path) -> list[dict]:
    response = httpx.post(f"{url}/xlwings/custom-scripts-call/klargoer_til_udvalg",
                          json=book_payload(path), timeout=300)  # fmt: skip
    assert response.status_code == 200, response.text[:2000]
    (pane,) = [a for a in response.json()["actions"] if a["func"] == "xlstatusUdvalg"]
    return pane["args"][0]


def test_klargoer_links_are_served_by_the_real_server(server, opdateret):
    files = klargoer(server, opdateret)
    assert files[0]["navn"] == "Statusskema_udvalg_2024-05.xlsx"
    for f in files:
        assert f["url"].startswith(server + "/udvalg/") and f["url"].endswith("/" + f["navn"])
        got = httpx.get(f["url"], timeout=30)
        assert got.status_code == 200 and got.content[:4] in (b"PK\x03\x04", b"%PDF")
    other = httpx.get(files[0]["url"].replace(files[0]["url"].split("/")[-2], "A" * 43))
    assert other.status_code == 404 and "udløbet" in other.text


PANE_TEST = """<!doctype html><html lang="da"><body>
<section class="d-none"><ul id="xlstatus-filer"></ul></section>
<div id="xlstatus-udvalg-fejl" class="d-none"></div><pre id="resultat">venter</pre>
<script>
  globalThis.Office = {context: {requirements: {isSetSupported: (s, v) => s === "ExcelApi"}}};
  globalThis.Excel = {createWorkbook: async (b64) => { globalThis.aabnet = b64; }};
</script>
<script src="SERVER/static/js/xlstatus-opgaverude.js"></script>
<script>
  xlstatus.xlstatusUdvalg(null, {func: "xlstatusUdvalg", args: [FILES]}).then(() => {
    const links = [...document.querySelectorAll("a.xlstatus-hent")].map(
      (a) => [a.download, a.textContent, a.href.startsWith("blob:")]);
    const fejl = document.getElementById("xlstatus-udvalg-fejl").textContent;
    document.getElementById("resultat").textContent = JSON.stringify(
      {links, fejl, aabnet: globalThis.aabnet || null});
  });
</script></body></html>"""


def test_the_task_pane_opens_the_copy_and_offers_the_pdf_in_chromium(server, opdateret,
                                                                     tmp_path):  # fmt: skip
    """The task pane's part up to Office.js: the JS from the server fetches the links the
    script returned, hands the .xlsx to Excel.createWorkbook as base64 (a stub: the only
    thing not real here) and lists the PDF as a download."""
    import base64
    import json
    import re

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium er ikke installeret (apt-get install chromium)")
    files = klargoer(server, opdateret)
    page = tmp_path / "rude.html"
    page.write_text(PANE_TEST.replace("SERVER", server).replace("FILES", json.dumps(files)),
                    encoding="utf-8")  # fmt: skip
    result = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                             "--disable-web-security", f"--user-data-dir={tmp_path / 'profil'}",
                             "--virtual-time-budget=20000", "--dump-dom", page.as_uri()],
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    found = re.search(r'<pre id="resultat">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stdout[-2000:] + result.stderr[-2000:]
    import html as html_

    got = json.loads(html_.unescape(found.group(1)))
    assert got["fejl"] == ""
    xlsx = httpx.get(files[0]["url"], timeout=30).content
    assert got["aabnet"] == base64.b64encode(xlsx).decode("ascii")
    names = [name for name, _text, blob in got["links"] if blob]
    assert names == [f["navn"] for f in files]
    if len(files) > 1:
        assert "Hent PDF'en" in got["links"][1][1]


def test_the_server_refuses_to_start_without_a_licence_key(udtraek):
    result = subprocess.run([str(XLSTATUS), "server", "--port", str(free_port()), "--udtraek",
                             str(udtraek)], env=clean_env(), capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert "XLWINGS_LICENSE_KEY" in result.stderr and "PolyForm" in result.stderr
    assert "Traceback" not in result.stderr
