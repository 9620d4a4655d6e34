"""`xlstatus server`: the real xlwings Server (FastAPI) with xlstatus's project folder.

Fast tests go through FastAPI's TestClient in this process; one test starts the real
server with uvicorn on 127.0.0.1 (see test_server_uvicorn.py). Payloads are built from
workbook files exactly as the Office.js add-in sends them (`excel.payload`), and the
returned actions are replayed onto the file's cells.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from test_excel import differences, file_looks, log_time, new_book

from xlstatus.arbejdsbog.opdater import opdater_fil
from xlstatus.excel import FUNKTIONER, office_js_navn
from xlstatus.excel.payload import book_payload, replay
from xlstatus.server import ENV_GRUPPE, ENV_UDTRAEK, sikkerhed, udlevering
from xlstatus.server.start import Opsaetning, StartFejl, miljoe, tjek_licens
from xlstatus.skabelonfiler import load_schemas
from xlstatus.udtraek.generator import generate, write_extract
from xlstatus.udtraek.laes import read_extract

# not importorskip: xlwings Server reads its settings when first imported (see `client`)
pytestmark = pytest.mark.skipif(importlib.util.find_spec("xlwings_server") is None,
                                reason='kræver pip install "xlstatus[server]"')  # fmt: skip

SERVER_USER = "via serveren (ingen login)"
OFFICE = "{http://schemas.microsoft.com/office/appforoffice/1.1}"
BT = "{http://schemas.microsoft.com/office/officeappbasictypes/1.0}"
LABEL = "Antal jobparate kontanthjælpsmodtagere over 30 år"


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("serverens") / "udtraek"
    write_extract(generate(seed=7, faktor=0.05), folder, "csv")
    return folder


@pytest.fixture(scope="module")
def tilstand(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tilstand")


@pytest.fixture(scope="module")
def client(udtraek, tilstand):
    """xlwings Server's FastAPI app as `xlstatus server` starts it (settings from the
    environment, read when xlwings_server is first imported), behind xlstatus's guard."""
    from xlstatus.byg import server_arbejdsbog

    env = {**miljoe(Opsaetning(udtraek=udtraek)), udlevering.ENV_TILSTAND: str(tilstand)}
    (tilstand / "Statusskema.xlsx").write_bytes(server_arbejdsbog())
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from fastapi.testclient import TestClient

    from xlstatus.excel import funktioner as fn
    from xlstatus.server.app import app as main_app

    try:
        with TestClient(main_app) as c:
            yield c
    finally:  # later test modules get the Excel front end as it is without the server
        fn.POLITIK.sti = fn.POLITIK.standard = fn.POLITIK.rod = None
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(autouse=True)
def _server_extract(monkeypatch, udtraek, tilstand):
    monkeypatch.setenv(ENV_UDTRAEK, str(udtraek))
    monkeypatch.setenv(udlevering.ENV_TILSTAND, str(tilstand))
    monkeypatch.delenv("XLSTATUS_BRUGER", raising=False)


def opdater(client, path: Path, *args, script: str = "opdater"):
    payload = book_payload(path)
    response = client.post(f"/xlwings/custom-scripts-call/{script}",
                           json={**payload, "args": list(args)})  # fmt: skip
    assert response.status_code == 200, response.text[:2000]
    actions = response.json()["actions"]
    return actions, replay(actions, payload)


def after(base: Path, rp):
    from test_excel import after_actions

    return after_actions(base, rp)


# --------------------------------------------------------------------------- Opdater


def test_opdater_over_http_writes_what_the_command_line_writes(client, tmp_path, udtraek):
    base = new_book(tmp_path / "Statusskema.xlsx", None)  # no extract path in it
    cli = tmp_path / "cli.xlsx"
    shutil.copy(base, cli)
    opdater_fil(cli, udtraek, date(2025, 3, 1), user=SERVER_USER)

    actions, rp = opdater(client, base, "2025-03", False)

    assert differences(file_looks(cli), after(base, rp), skip=log_time) == []
    ((text, title, mode),) = rp.alerts
    assert title == "Opdater" and mode == "info" and text.startswith("Opdateret mar-25")
    assert any(a["func"] == "addNote" for a in actions)


def test_the_task_panes_default_month_is_the_newest_in_the_extract(client, udtraek):
    """The month is task-pane data: the page itself carries none (it is served before
    sign-in); the pane asks /xlstatus/maaned, which follows the access rule."""
    newest = read_extract(udtraek).data_date
    month = f"{newest.year:04d}-{newest.month:02d}"
    html = client.get("/taskpane").text
    assert 'id="xlstatus-maaned"' in html, html[-3000:]
    assert month not in html and "xw-args='[\"\", false]'" in html
    assert client.get("/xlstatus/maaned").json() == {"maaned": month}
    for text in ("Opdater", "Klargør til udvalg", "Måned", "Overskriv", 'lang="da"',
                 'href="/Statusskema.xlsx"'):  # fmt: skip
        assert text in html


def test_the_server_hands_out_its_workbook(client):
    import io

    import openpyxl

    response = client.get("/Statusskema.xlsx")
    assert response.status_code == 200 and "Statusskema.xlsx" in response.headers[
        "content-disposition"]  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [s.ark for s in load_schemas()] == wb.sheetnames[: len(load_schemas())]


def test_two_opdater_requests_at_once_get_two_correct_answers(client, tmp_path, udtraek):
    books = [new_book(tmp_path / f"b{i}.xlsx", None) for i in range(2)]
    months = ["2025-03", "2025-06"]
    with ThreadPoolExecutor(2) as pool:
        pairs = zip(books, months, strict=True)
        jobs = [pool.submit(opdater, client, b, m, False) for b, m in pairs]
        results = [job.result() for job in jobs]
    for book, month, (_, rp) in zip(books, months, results, strict=True):
        cli = tmp_path / f"cli-{month}.xlsx"
        shutil.copy(book, cli)
        opdater_fil(cli, udtraek, date.fromisoformat(month + "-01"), user=SERVER_USER)
        assert differences(file_looks(cli), after(book, rp), skip=log_time) == []


def test_a_bad_extract_gives_the_danish_alert_and_writes_nothing(client, tmp_path, udtraek,
                                                                 monkeypatch):  # fmt: skip
    bad = tmp_path / "bad"
    shutil.copytree(udtraek, bad)
    lines = (bad / "forloeb.csv").read_text(encoding="utf-8-sig").splitlines()
    fields = lines[2].split(";")
    fields[1] = "Kontanthjaelp ukendt"
    lines[2] = ";".join(fields)
    (bad / "forloeb.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv(ENV_UDTRAEK, str(bad))
    base = new_book(tmp_path / "Statusskema.xlsx", None)

    actions, rp = opdater(client, base, "2025-03", False)

    assert [a["func"] for a in actions] == ["alert"]
    ((message, _title, mode),) = rp.alerts
    assert mode == "critical" and "forloeb.csv" in message and "række 3" in message
    assert "Intet er ændret" in message and "Traceback" not in message


# --------------------------------------------------------------------------- Klargør til udvalg

COPY = "Statusskema_udvalg_2024-05.xlsx"


@pytest.fixture(scope="module")
def opdateret(tmp_path_factory) -> Path:
    """A workbook updated for maj-24 (as test_udvalg_ruter makes it)."""
    from datetime import datetime

    from xlstatus.arbejdsbog.bygger import create_workbook
    from xlstatus.arbejdsbog.opdater import Arbejdsbog

    path = create_workbook(tmp_path_factory.mktemp("udvalg") / "Statusskema.xlsx")
    book = Arbejdsbog(path)
    book.opdater(generate(seed=7, faktor=0.05), date(2024, 5, 1),
                 when=datetime(2024, 6, 3, 8, 0), user="test", allow_old=True)  # fmt: skip
    book.save()
    return path


def klargoer(client, path: Path):
    payload = book_payload(path)
    response = client.post("/xlwings/custom-scripts-call/klargoer_til_udvalg", json=payload)
    assert response.status_code == 200, response.text[:2000]
    actions = response.json()["actions"]
    return actions, replay(actions, payload)


def test_klargoer_over_http_gives_links_to_the_copy(client, opdateret, udtraek, tilstand):
    import io

    import openpyxl

    from xlstatus.udvalg import kopi

    before = sorted(p.name for p in udtraek.rglob("*"))
    actions, rp = klargoer(client, opdateret)
    ((text, title, mode),) = rp.alerts
    assert mode == "info" and title == "Klargør til udvalg", text
    (pane,) = [a for a in actions if a["func"] == "xlstatusUdvalg"]
    files = pane["args"][0]
    assert files[0]["navn"] == COPY
    for f in files:  # …/udvalg/<secret>/<the file's own name>, in the message too
        assert f["url"].startswith("http://testserver/udvalg/") and f["url"] in text
        secret = f["url"].split("/")[-2]
        assert udlevering.SECRET.match(secret) and f["url"].endswith("/" + f["navn"])
        assert str(tilstand) not in text and "/tmp" not in text
    xlsx = client.get(files[0]["url"])
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    served = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    same, _ = kopi.build_copy(opdateret)
    assert served.sheetnames == same.sheetnames
    if len(files) > 1:
        pdf = client.get(files[1]["url"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # the files live in the state folder (shared by the workers), not the extract folder
    assert (tilstand / "udvalg" / secret / COPY).is_file()
    assert sorted(p.name for p in udtraek.rglob("*")) == before


def test_a_link_is_only_for_its_user_and_expires_with_its_files(client, tilstand, monkeypatch):
    import time

    monkeypatch.setenv(udlevering.ENV_MINUTTER, "0.01")  # 0.6 s
    (url,) = udlevering.publish([("Statusskema_udvalg_2024-05.pdf", b"%PDF-1.7")], "anna-id")
    secret, name = url.split("/")[-2:]
    assert udlevering.hent(secret, name, "bo-id") is None
    assert udlevering.hent(secret, name, "anna-id") is not None
    assert udlevering.hent(secret, "../" + name, "anna-id") is None
    time.sleep(1.2)
    assert udlevering.hent(secret, name, "anna-id") is None
    assert not (tilstand / "udvalg" / secret).exists()
    response = client.get(f"/udvalg/{secret}/{name}")
    assert response.status_code == 404 and "udløbet" in response.text


def test_a_workbook_name_with_spaces_and_danish_letters_gets_its_own_link(client, tilstand):
    from urllib.parse import unquote

    name = "Statusskema Hedensted (kopi)_udvalg_2026-01.xlsx"
    (url,) = udlevering.publish([(name, b"PK\x03\x04")], "")
    assert unquote(url).endswith("/" + name) and " " not in url
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"PK\x03\x04"
    for bad in ("../x.xlsx", "a/b.xlsx", ".skjult.xlsx", "x.exe"):
        with pytest.raises(Exception, match="kan ikke udleveres"):
            udlevering.publish([(bad, b"")], "")


def test_guessed_links_get_404_in_danish(client):
    for path in ("/udvalg/abc/Statusskema.xlsx", "/udvalg/" + "A" * 43 + "/x.xlsx",
                 "/udvalg/" + "A" * 43 + "/..%2F..%2Fetc%2Fpasswd"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404 and "root:" not in response.text, path


# --------------------------------------------------------------------------- security


def _with_path(tmp_path: Path, typed: str) -> Path:
    import openpyxl
    from test_excel import settings_row

    from xlstatus.plan import tekster

    path = new_book(tmp_path / f"bog{len(list(tmp_path.glob('bog*.xlsx')))}.xlsx", None)
    wb = openpyxl.load_workbook(path)
    ws = wb[tekster.SETTINGS]
    ws.cell(settings_row(ws, "Udtræk"), 2).value = typed
    wb.save(path)
    return path


def _refused(client, path: Path) -> str:
    actions, rp = opdater(client, path, "2025-03", False)
    assert [a["func"] for a in actions] == ["alert"]
    ((message, _title, mode),) = rp.alerts
    assert mode == "critical" and "udtræksmappe" in message and "Intet er ændret" in message
    assert "root:" not in message  # nothing of the file itself
    return message


def test_a_workbook_cannot_make_the_server_read_etc_passwd(client, tmp_path):
    message = _refused(client, _with_path(tmp_path, "/etc/passwd"))
    assert "/etc/passwd" in message


def test_dot_dot_out_of_the_extract_folder_is_refused(client, tmp_path, udtraek):
    _refused(client, _with_path(tmp_path, f"../{udtraek.parent.name}/../../etc/passwd"))
    _refused(client, _with_path(tmp_path, "../udtraek"))


def test_a_link_out_of_the_extract_folder_is_refused(client, tmp_path, udtraek, monkeypatch):
    folder = tmp_path / "mappe"
    shutil.copytree(udtraek, folder)
    outside = tmp_path / "udenfor"
    shutil.copytree(udtraek, outside)
    (folder / "genvej").symlink_to(outside, target_is_directory=True)
    monkeypatch.setenv(ENV_UDTRAEK, str(folder))
    _refused(client, _with_path(tmp_path, "genvej"))
    _refused(client, _with_path(tmp_path, str(folder / "genvej")))


def test_a_path_inside_the_extract_folder_is_read(client, tmp_path, udtraek, monkeypatch):
    root = tmp_path / "rod"
    shutil.copytree(udtraek, root / "marts")
    monkeypatch.setenv(ENV_UDTRAEK, str(root))
    _, rp = opdater(client, _with_path(tmp_path, "marts"), "2025-03", False)
    ((text, _title, mode),) = rp.alerts
    assert mode == "info" and text.startswith("Opdateret mar-25"), text


INJECTED = 'sub\nINFO:     127.0.0.1:1 - "GET /FAKE-LOG-LINE HTTP/1.1" 200 OK'


def function_answer(client, typed: str) -> str:
    response = client.post("/xlwings/custom-functions-call", json={
        "func_name": "xlstatus_indikator", "args": [[["Jobperronen"]],
        [[LABEL]], [["2025-03"]], [["antal"]], [[""]], [[typed]]],
        "caller_address": "Ark1!B2", "version": "0", "client": "Office.js", "runtime": "1.4",
        "culture_info_name": "da-DK", "date_format": "dd-mm-åååå"})  # fmt: skip
    assert response.status_code == 400, response.text[:500]
    return response.text


def alert_for(client, tmp_path: Path, typed: str) -> str:
    actions, rp = opdater(client, _with_path(tmp_path, typed), "2025-03", False)
    assert [a["func"] for a in actions] == ["alert"]
    return rp.alerts[0][0]


@pytest.mark.parametrize(
    "typed",
    [INJECTED, "a" * 300 + "\n080575-2335", "~/", "x" * 5000, "/etc/pass\rwd\t\x85\u2028"],
    ids=["log-injection", "cpr", "home", "long", "control"],
)
def test_a_typed_path_comes_back_safe_in_alert_log_and_cell(client, tmp_path, udtraek, capfd,
                                                           typed):  # fmt: skip
    """Issue 21, item 1: one sanitiser (`kerne.errors.vist`) for every message built
    from workbook input: no control character (so no forged log line), no CPR number,
    a capped length, paths relative to the extract folder."""
    texts = [alert_for(client, tmp_path, typed), function_answer(client, typed)]
    out, err = capfd.readouterr()
    for text in [*texts, out + err]:
        assert "080575-2335" not in text and "0805752335" not in text
        assert not any(c in text for c in "\r\t\x85\u2028")
        assert str(udtraek) not in text  # the server's own paths
        assert not any(line.startswith("INFO:     127.0.0.1:1") for line in text.splitlines())
    for text in texts:
        assert len(text) < 1200, len(text)
        assert "Traceback" not in text
    if typed == "~/":
        assert texts[0].count("~") == 1 and "findes ikke" in texts[0]


def test_vist_is_the_one_sanitiser():
    from xlstatus.kerne.errors import CPR_HIDDEN, vist

    root = "/srv/facit"
    assert vist("/srv/facit/2025-03/forloeb.csv: findes ikke", root) == (
        "2025-03/forloeb.csv: findes ikke"
    )
    assert vist("/srv/facit", root) == "udtræksmappen"
    assert vist("a\nb\r\x1b[31mc\u2028d") == "a b  [31mc d"
    assert vist("linje 1\nlinje 2", lines=True) == "linje 1\nlinje 2"
    assert vist("cpr 080575-2335") == f"cpr {CPR_HIDDEN}"
    assert len(vist("x" * 5000, limit=100)) == 100


def test_messages_show_only_a_short_masked_value():
    shown = sikkerhed.kort("/data/0102031234 " + "x" * 200)
    assert "0102031234" not in shown and len(shown) <= sikkerhed.MAX_SHOWN


def test_only_the_configured_group_may_opdater_when_sign_in_is_on(monkeypatch):
    from xlwings_server.models import User

    monkeypatch.setenv(ENV_GRUPPE, "g-statusskema")
    member = User(name="Anna", claims={"name": "Anna", "groups": ["g-statusskema"]})
    other = User(name="Bo", claims={"name": "Bo", "groups": ["g-andet"]})
    sikkerhed.adgang(member, sign_in=True)
    sikkerhed.adgang(other, sign_in=False)  # without sign-in: bind to the intranet
    with pytest.raises(Exception, match="ikke med i gruppen"):
        sikkerhed.adgang(other, sign_in=True)
    assert sikkerhed.bruger(member, True) == "Anna (via serveren)"
    assert sikkerhed.bruger(other, False) == SERVER_USER


# --------------------------------------------------------------------------- functions


def test_scripts_meta_has_the_task_pane_scripts_and_one_button_per_sheet(client):
    meta = {m["function_name"]: m for m in client.get("/xlwings/custom-scripts-meta").json()}
    assert meta["opdater"]["name"] == "Opdater"
    assert meta["klargoer_til_udvalg"]["name"] == "Klargør til udvalg"
    buttons = {m.get("button") for m in meta.values()}
    for schema in load_schemas():
        assert f"[xlstatus_opdater]'{schema.ark}'!B3" in buttons


def test_functions_read_xlstatus_dot_name(client):
    meta = client.get("/xlwings/custom-functions-meta").json()["functions"]
    assert sorted(f["name"] for f in meta) == sorted(office_js_navn(n) for n in FUNKTIONER)
    assert all("." not in f["name"] and not f["name"].startswith("XLSTATUS_") for f in meta)
    manifest = ET.fromstring(client.get("/manifest.xml").content)
    strings = {s.get("id"): s.get("DefaultValue") for s in manifest.iter(f"{BT}String")}
    assert strings["Functions.Namespace"] == "XLSTATUS"  # Excel: XLSTATUS.INDIKATOR


def call(client, name: str, *args):
    data = {"func_name": name, "args": [a if isinstance(a, list) else [[a]] for a in args],
            "caller_address": "Ark1!B2", "version": "0", "client": "Office.js",
            "runtime": "1.4", "culture_info_name": "da-DK",
            "date_format": "dd-mm-åååå"}  # fmt: skip
    response = client.post("/xlwings/custom-functions-call", json=data)
    assert response.status_code == 200, response.text[:1000]
    result = response.json()["result"]
    return result[0][0] if len(result) == 1 and len(result[0]) == 1 else result


def test_every_cell_function_over_http(client, udtraek):
    from test_excel import serial

    from xlstatus.kerne.indikatorer import compute_month
    from xlstatus.kerne.status import Tolerance

    march = serial(date(2025, 3, 1))
    schema = next(s for s in load_schemas() if s.ark == "Jobperronen")
    results = compute_month(read_extract(udtraek), [schema], date(2025, 3, 1), 1, Tolerance())
    expected = next(r for r in results if r.row.label == LABEL).measurement.antal
    got = {
        "xlstatus_indikator": call(client, "xlstatus_indikator", "Jobperronen", LABEL, march,
                                   "antal"),
        "xlstatus_forventet": call(client, "xlstatus_forventet", "Jobperronen", LABEL, march),
        "xlstatus_status": call(client, "xlstatus_status", "Jobperronen", LABEL, march, 10),
        "xlstatus_antal_andel": call(client, "xlstatus_antal_andel", 17, 100),
        "xlstatus_maaltal": call(client, "xlstatus_maaltal", "Sygedagpenge"),
        "xlstatus_fuldtidspersoner": call(client, "xlstatus_fuldtidspersoner", "A-dagpenge",
                                          serial(date(2025, 1, 1)), serial(date(2025, 1, 31))),
        "xlstatus_projekter": call(client, "xlstatus_projekter"),
        "xlstatus_raekker": call(client, "xlstatus_raekker", "Jobperronen"),
        "xlstatus_prognose": call(client, "xlstatus_prognose", "Jobperronen", LABEL, march),
        "xlstatus_vandringer": call(client, "xlstatus_vandringer", "A-dagpenge", "tilgang",
                                    march),
    }  # fmt: skip
    assert set(got) == set(FUNKTIONER)
    assert got["xlstatus_indikator"] == expected  # the server's own extract
    assert got["xlstatus_antal_andel"] == "17 (17 pct.)"
    assert isinstance(got["xlstatus_fuldtidspersoner"], float)
    assert len(got["xlstatus_projekter"]) == len(load_schemas())
    assert isinstance(got["xlstatus_prognose"], float)
    counts = [line[1] for line in got["xlstatus_vandringer"]]  # category, count, share
    assert counts == sorted(counts, reverse=True) and sum(counts) > 0


def test_a_cell_function_cannot_read_outside_the_extract_folder(client):
    response = client.post("/xlwings/custom-functions-call", json={
        "func_name": "xlstatus_indikator", "args": [[["Jobperronen"]],
        [[LABEL]], [["2025-03"]], [["antal"]], [[""]], [["/etc/passwd"]]],
        "caller_address": "Ark1!B2", "version": "0", "client": "Office.js", "runtime": "1.4",
        "culture_info_name": "da-DK", "date_format": "dd-mm-åååå"})  # fmt: skip
    assert "root:" not in response.text
    assert "udtræksmappe" in response.text


# --------------------------------------------------------------------------- manifest, licence


def test_manifest_is_what_excel_requires_in_danish(client):
    response = client.get("/manifest.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{OFFICE}OfficeApp"
    for tag in (
        "Id",
        "Version",
        "ProviderName",
        "DefaultLocale",
        "DisplayName",
        "Description",
        "IconUrl",
        "SupportUrl",
        "Hosts",
        "DefaultSettings",
        "Permissions",
    ):
        assert root.find(f"{OFFICE}{tag}") is not None, tag
    assert root.find(f"{OFFICE}DefaultLocale").text == "da-DK"
    assert root.find(f"{OFFICE}DisplayName").get("DefaultValue") == "xlstatus"
    assert "FACIT-udtrækket" in root.find(f"{OFFICE}Description").get("DefaultValue")
    source = root.find(f"{OFFICE}DefaultSettings/{OFFICE}SourceLocation").get("DefaultValue")
    assert source.endswith("/taskpane.html")
    strings = {s.get("id"): s.get("DefaultValue") for s in root.iter(f"{BT}String")}
    assert "Åbn xlstatus" in strings["XlstatusTaskpaneButton.Tooltip"]


def test_the_server_refuses_to_start_without_a_licence_key(monkeypatch):
    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    with pytest.raises(StartFejl, match="XLWINGS_LICENSE_KEY") as info:
        tjek_licens()
    assert "PolyForm" in str(info.value) and "skriftlige bekræftelse" in str(info.value)


def test_a_missing_server_extract_stops_the_start_in_danish(tmp_path):
    with pytest.raises(StartFejl, match="Udtrækket findes ikke"):
        miljoe(Opsaetning(udtraek=tmp_path / "findes-ikke"))
    env = miljoe(Opsaetning(udtraek=tmp_path, gruppe="g-1"))
    assert env[ENV_UDTRAEK] == str(tmp_path.resolve()) and env[ENV_GRUPPE] == "g-1"
    assert env["XLWINGS_FUNCTIONS_NAMESPACE"] == "XLSTATUS"


# --------------------------------------------------------------------------- bodies, sign-in

TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT_ID = "66666666-7777-8888-9999-000000000000"
GROUP = "g-statusskema"


@pytest.fixture(scope="module")
def noegle():
    from joserfc.jwk import RSAKey

    return RSAKey.generate_key(2048, parameters={"kid": "xlstatus-test"})


def token(key, **claims) -> str:
    """A token as Entra ID signs it (v2.0), with the test's key unless told otherwise."""
    import time

    from joserfc import jwt

    now = int(time.time())
    base = {"ver": "2.0", "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
            "aud": CLIENT_ID, "iat": now, "nbf": now, "exp": now + 600, "name": "Anna",
            "oid": "oid-anna", "preferred_username": "anna@kommune.dk",
            "groups": [GROUP]}  # fmt: skip
    return "Bearer " + jwt.encode({"alg": "RS256", "kid": "xlstatus-test"}, {**base, **claims}, key)


@pytest.fixture
def entraid(monkeypatch, tmp_path, noegle):
    """Sign-in on, the key set from a file (no internet needed), the group rule on."""
    import json

    from xlwings_server.config import settings

    keys = tmp_path / "noegler.json"
    keys.write_text(json.dumps({"keys": [noegle.as_dict(private=False)]}), encoding="utf-8")
    monkeypatch.setenv("XLSTATUS_SERVER_NOEGLER", str(keys))
    monkeypatch.setenv(ENV_GRUPPE, GROUP)
    monkeypatch.setattr(settings, "auth_providers", ["entraid"])
    monkeypatch.setattr(settings, "auth_entraid_client_id", CLIENT_ID)
    monkeypatch.setattr(settings, "auth_entraid_tenant_id", TENANT)
    return noegle


def test_a_body_over_the_limit_gets_413_in_danish_before_it_is_read(client, monkeypatch):
    monkeypatch.setenv("XLSTATUS_SERVER_MAKS_MB", "1")
    big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    response = client.post("/xlwings/custom-scripts-call/opdater", content=big,
                           headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413 and "for stor" in response.text
    assert "XLSTATUS_SERVER_MAKS_MB" in response.text

    def chunks():  # no Content-Length: the stream is cut at the limit
        for _ in range(40):
            yield b" " * 65536

    response = client.post("/xlwings/custom-functions-call", content=chunks())
    assert response.status_code == 413 and "for stor" in response.text


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"sheets": 3}',
                                  b'"text"', b""])  # fmt: skip
def test_a_malformed_body_gets_400_in_danish_never_500(client, body):
    for route in ("/xlwings/custom-scripts-call/opdater", "/xlwings/custom-functions-call"):
        response = client.post(route, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400, (route, body, response.status_code, response.text)
        assert "An error occurred" not in response.text and "Traceback" not in response.text


def test_sign_in_is_checked_before_the_body_is_read(client, entraid, monkeypatch):
    monkeypatch.setenv("XLSTATUS_SERVER_MAKS_MB", "1")
    big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    response = client.post("/xlwings/custom-scripts-call/opdater", content=big)
    assert response.status_code == 401 and "ikke logget ind" in response.text
    response = client.post("/xlwings/custom-functions-call", content=b"{not json")
    assert response.status_code == 401


def function_call(client, headers: dict | None = None):
    data = {"func_name": "xlstatus_indikator", "args": [[["Jobperronen"]], [[LABEL]],
            [["2025-03"]], [["antal"]]], "caller_address": "Ark1!B2", "version": "0",
            "client": "Office.js", "runtime": "1.4", "culture_info_name": "da-DK",
            "date_format": "dd-mm-åååå"}  # fmt: skip
    return client.post("/xlwings/custom-functions-call", json=data, headers=headers or {})


def test_one_access_rule_with_real_signed_tokens(client, entraid, tmp_path, opdateret):
    """Issue 21, item 4: scripts, cell functions, task-pane data, the copy's links and
    the workbook download follow one rule, with tokens signed against a local key set."""
    from joserfc.jwk import RSAKey

    member = {"Authorization": token(entraid)}
    outsider = {"Authorization": token(entraid, groups=["g-andet"], oid="oid-bo", name="Bo")}
    stranger = RSAKey.generate_key(2048, parameters={"kid": "xlstatus-test"})
    forged = [
        {"Authorization": token(stranger)},  # another key
        {"Authorization": token(entraid, aud="api://andet")},  # wrong audience
        {"Authorization": token(entraid, iss="https://evil.example/v2.0")},  # wrong issuer
        {"Authorization": token(entraid, exp=1000, iat=900, nbf=900)},  # expired
        {"Authorization": "Bearer " + _alg_none()},
        {},
    ]
    assert function_call(client, member).status_code == 200
    response = function_call(client, outsider)
    assert response.status_code == 403 and "ikke med i gruppen" in response.text
    for headers in forged:
        response = function_call(client, headers)
        assert response.status_code == 401 and "ikke logget ind" in response.text, headers
    payload = {**book_payload(opdateret), "args": ["2024-05", False]}
    for script in ("opdater", "klargoer_til_udvalg"):
        route = f"/xlwings/custom-scripts-call/{script}"
        assert client.post(route, json=payload, headers=outsider).status_code == 403
        assert client.post(route, json=payload).status_code == 401
    answer = client.post("/xlwings/custom-scripts-call/klargoer_til_udvalg",
                         json=book_payload(opdateret), headers=member)  # fmt: skip
    actions = answer.json()["actions"]
    (pane,) = [a for a in actions if a["func"] == "xlstatusUdvalg"]
    link = pane["args"][0][0]["url"]
    assert client.get(link, headers=member).status_code == 200
    assert client.get(link, headers=outsider).status_code == 403
    assert client.get(link).status_code == 401
    other_member = {"Authorization": token(entraid, oid="oid-carl", name="Carl")}
    assert client.get(link, headers=other_member).status_code == 404  # made for Anna
    for route in ("/Statusskema.xlsx", "/xlstatus/maaned"):
        assert client.get(route, headers=member).status_code == 200, route
        assert client.get(route, headers=outsider).status_code == 403, route
        assert client.get(route).status_code == 401, route


def _alg_none() -> str:
    import base64
    import json

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = {"ver": "2.0", "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
              "aud": CLIENT_ID, "exp": 4102444800, "name": "Anna", "groups": [GROUP]}  # fmt: skip
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


# --------------------------------------------------------------------------- IT's first hour


def test_the_operating_guide_ships_in_the_package_and_xlstatus_drift_prints_it():
    from xlstatus.server import DRIFT

    docs = Path(__file__).resolve().parents[1] / "docs" / "drift.md"
    assert DRIFT.read_text(encoding="utf-8") == docs.read_text(encoding="utf-8"), (
        "kør xlstatus byg-arbejdsbog (kopierer docs/drift.md ind i pakken)"
    )
    from typer.testing import CliRunner

    from xlstatus.cli.app import app

    result = CliRunner().invoke(app, ["drift"])
    assert CliRunner().invoke(app, ["drift", "--sti"]).stdout.strip() == str(DRIFT)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Drift – xlstatus-serveren")
    for setting in ("XLSTATUS_SERVER_MAKS_MB", "XLSTATUS_SERVER_PROXYER", "XLSTATUS_SERVER_NOEGLER",
                    "XLSTATUS_SERVER_TILSTAND", "XLSTATUS_SERVER_LINK_MINUTTER",
                    "XLSTATUS_SERVER_TRAADE", "xlstatus drift"):  # fmt: skip
        assert setting in result.stdout, setting


def test_every_message_naming_the_guide_says_how_to_read_it(monkeypatch):
    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    with pytest.raises(StartFejl) as info:
        tjek_licens()
    assert "xlstatus drift" in str(info.value) and "docs/drift.md" not in str(info.value)
    import ast

    src = Path(__file__).resolve().parents[1] / "src" / "xlstatus"
    for path in src.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):  # a message (not a docstring) naming the guide
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and "docs/drift.md" in text and id(node) not in docs:
                assert "xlstatus drift" in text, (path, text)


def test_the_task_pane_is_danish_throughout(client):
    html = client.get("/taskpane").text
    assert '<html lang="da">' in html and "<title>xlstatus" in html
    for english in ("Task pane", "didn't load", ">Reload<", ">Cancel<", 'aria-label="Close"'):
        assert english not in html, english
    query = {"prompt": "x", "title": "t", "buttons": "yes_no_cancel", "mode": "info",
             "callback": ""}  # fmt: skip
    alert = client.get("/xlwings/alert", params=query).text
    assert ">Ja<" in alert and ">Nej<" in alert and ">Annuller<" in alert and 'lang="da"' in alert


# --------------------------------------------------------------------------- hosts, proxies


def test_a_foreign_host_gets_400_and_never_reaches_the_manifest(client):
    for path in ("/manifest.xml", "/taskpane", "/", "/static/js/xlstatus-opgaverude.js"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 400 and "værtsnavn" in response.text, path
    manifest = client.get("/manifest.xml").text
    assert "evil.example" not in manifest and "http://testserver/taskpane.html" in manifest


def test_forwarded_headers_count_only_from_a_configured_proxy(client, monkeypatch):
    from xlstatus.server import vagt

    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example",
              "X-Forwarded-For": "6.6.6.6"}  # fmt: skip
    manifest = client.get("/manifest.xml", headers=forged).text
    assert "https://" not in manifest.replace("https://www.xlwings.org", "")
    scope = {"type": "http", "client": ("10.0.0.5", 1234), "server": ("127.0.0.1", 8000),
             "headers": [(b"x-forwarded-for", b"6.6.6.6, 10.1.1.1"),
                         (b"x-forwarded-proto", b"https")]}  # fmt: skip
    assert (
        vagt.forwarded(scope)["headers"] == [] and vagt.forwarded(scope)["client"][0] == "10.0.0.5"
    )
    monkeypatch.setenv(vagt.ENV_PROXYER, "10.0.0.0/24")
    trusted = vagt.forwarded(scope)
    assert trusted["client"][0] == "10.1.1.1" and trusted["scheme"] == "https"


def test_with_xlwings_hostname_the_manifest_and_links_use_it(client, monkeypatch, opdateret):
    from xlwings_server.config import settings

    monkeypatch.setattr(settings, "hostname", "xlstatus.kommune.dk")
    manifest = client.get("/manifest.xml").text
    assert "https://xlstatus.kommune.dk/taskpane.html" in manifest
    assert client.get("/", headers={"Host": "xlstatus.kommune.dk"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    actions, _ = klargoer(client, opdateret)
    (pane,) = [a for a in actions if a["func"] == "xlstatusUdvalg"]
    assert pane["args"][0][0]["url"].startswith("https://xlstatus.kommune.dk/udvalg/")


def test_the_key_set_is_kept_for_when_the_internet_goes(tilstand):
    """Without a key file, what xlwings Server downloads is kept in the state folder and
    used when the download fails (the download itself is xlwings Server's; here two
    stand-ins for it with and without a connection)."""
    import asyncio
    import json

    from xlstatus.server import noegler

    async def online():
        return {"keys": [{"kid": "a", "kty": "RSA"}]}

    async def offline():
        raise OSError("ingen forbindelse")

    cache = tilstand / noegler.CACHE
    cache.unlink(missing_ok=True)
    with pytest.raises(OSError):
        asyncio.run(noegler._hent(offline)())
    assert asyncio.run(noegler._hent(online)()) == json.loads(cache.read_text(encoding="utf-8"))
    assert asyncio.run(noegler._hent(offline)())["keys"][0]["kid"] == "a"
