"""The security suite of issue 21 (item 8): every request of the audit sent to a real
`xlstatus server` (uvicorn in a subprocess on 127.0.0.1, Entra ID sign-in on with a
local key set given as a file, the group rule on), asserting the fix, beside the path
payloads that already held. The subprocess is always terminated; every wait is bounded."""

from __future__ import annotations

import base64
import importlib.util
import json
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from test_excel import new_book, settings_row
from test_server_uvicorn import XLSTATUS, clean_env, free_port

from xlstatus.excel.payload import book_payload, replay
from xlstatus.udtraek.generator import generate, write_extract

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(importlib.util.find_spec("xlwings_server") is None,
                       reason='kræver pip install "xlstatus[server]"'),
]  # fmt: skip

TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT_ID = "66666666-7777-8888-9999-000000000000"
GROUP = "g-statusskema"
INJECTED = 'sub\nINFO:     127.0.0.1:1 - "GET /FAKE-LOG-LINE HTTP/1.1" 200 OK'
CPR = "080575-2335"


@pytest.fixture(scope="module")
def noegle():
    from joserfc.jwk import RSAKey

    return RSAKey.generate_key(2048, parameters={"kid": "xlstatus-test"})


def token(key, **claims) -> str:
    from joserfc import jwt

    now = int(time.time())
    base = {"ver": "2.0", "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
            "aud": CLIENT_ID, "iat": now, "nbf": now, "exp": now + 600, "name": "Anna",
            "oid": "oid-anna", "groups": [GROUP]}  # fmt: skip
    return "Bearer " + jwt.encode({"alg": "RS256", "kid": "xlstatus-test"}, {**base, **claims}, key)


def alg_none() -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = {"ver": "2.0", "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
              "aud": CLIENT_ID, "exp": 4102444800, "name": "Anna", "groups": [GROUP]}  # fmt: skip
    return "Bearer " + f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.fixture(scope="module")
def udtraek(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sikker") / "udtraek"
    write_extract(generate(seed=11, faktor=0.05), folder, "csv")
    return folder


class Server:
    def __init__(self, url: str, log: Path, member: dict, outsider: dict) -> None:
        self.url, self.log, self.member, self.outsider = url, log, member, outsider

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def server(udtraek, noegle, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sikker-server")
    keys = folder / "noegler.json"
    keys.write_text(json.dumps({"keys": [noegle.as_dict(private=False)]}), encoding="utf-8")
    port, log = free_port(), folder / "server.log"
    env = clean_env(XLWINGS_LICENSE_KEY="noncommercial", XLWINGS_AUTH_PROVIDERS='["entraid"]',
                    XLWINGS_AUTH_ENTRAID_CLIENT_ID=CLIENT_ID,
                    XLWINGS_AUTH_ENTRAID_TENANT_ID=TENANT, XLSTATUS_SERVER_NOEGLER=str(keys),
                    XLSTATUS_SERVER_TILSTAND=str(folder / "tilstand"))  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen([str(XLSTATUS), "server", "--port", str(port), "--udtraek",
                                 str(udtraek), "--gruppe", GROUP, "--workers", "2"],
                                env=env, stdout=out, stderr=out)  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while f"klar på {url}" not in log.read_text(encoding="utf-8", errors="replace"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("serveren startede ikke:\n" + log.read_text()[-3000:])
                time.sleep(0.2)
            member = {"Authorization": token(noegle)}
            outsider = {"Authorization": token(noegle, groups=["g-andet"], name="Bo")}
            yield Server(url, log, member, outsider)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def with_path(tmp_path: Path, typed: str) -> Path:
    import openpyxl

    from xlstatus.plan import tekster

    path = new_book(tmp_path / f"bog{len(list(tmp_path.glob('bog*.xlsx')))}.xlsx", None)
    wb = openpyxl.load_workbook(path)
    ws = wb[tekster.SETTINGS]
    ws.cell(settings_row(ws, "Udtræk"), 2).value = typed
    wb.save(path)
    return path


def opdater(server: Server, path: Path, headers: dict | None = None):
    payload = {**book_payload(path), "args": ["2025-03", False]}
    headers = server.member if headers is None else headers
    response = httpx.post(f"{server.url}/xlwings/custom-scripts-call/opdater", json=payload,
                          headers=headers, timeout=300)  # fmt: skip
    return response, payload


def cell(server: Server, typed: str, headers: dict | None = None) -> httpx.Response:
    data = {"func_name": "xlstatus_indikator", "args": [[["Jobperronen"]],
            [["Andel afsluttet til job"]], [["2025-03"]], [["antal"]], [[""]], [[typed]]],
            "caller_address": "A!B2", "version": "0", "client": "Office.js", "runtime": "1.4",
            "culture_info_name": "da-DK", "date_format": "dd-mm-åååå"}  # fmt: skip
    headers = server.member if headers is None else headers
    return httpx.post(f"{server.url}/xlwings/custom-functions-call", json=data,
                      headers=headers, timeout=120)  # fmt: skip


# --------------------------------------------------------------------------- 1-3: messages


@pytest.mark.parametrize("typed", [INJECTED, "a" * 300 + "\n" + CPR, "~/", "x" * 5000],
                         ids=["log-injection", "cpr", "home", "long"])  # fmt: skip
def test_what_a_user_typed_comes_back_safe(server, tmp_path, udtraek, typed):
    response, payload = opdater(server, with_path(tmp_path, typed))
    assert response.status_code == 200, response.text[:500]
    ((alert, _title, mode),) = replay(response.json()["actions"], payload).alerts
    answer = cell(server, typed)
    assert mode == "critical" and answer.status_code == 400
    for text in (alert, answer.text, server.text()):
        assert CPR not in text and CPR.replace("-", "") not in text
        assert not any(line.startswith("INFO:     127.0.0.1:1 -") for line in text.splitlines())
    for text in (alert, answer.text):
        assert str(udtraek) not in text and len(text) < 1200 and "Traceback" not in text


def test_paths_out_of_the_extract_folder_are_still_refused(server, tmp_path):
    for typed in ("/etc/passwd", "../../etc/passwd", "file:///etc/passwd", "\\\\srv\\c$\\x",
                  "udtraek/../../etc/passwd"):  # fmt: skip
        response, payload = opdater(server, with_path(tmp_path, typed))
        ((alert, _t, _m),) = replay(response.json()["actions"], payload).alerts
        assert "root:" not in alert and "root:" not in cell(server, typed).text, typed


# --------------------------------------------------------------------------- 4: bodies


def test_bodies_are_bounded_and_sign_in_comes_first(server):
    route = f"{server.url}/xlwings/custom-scripts-call/opdater"
    bad = httpx.post(route, content=b"{not json", headers=server.member, timeout=30)
    assert bad.status_code == 400 and "kan ikke læses" in bad.text
    big = b"{" + b" " * (80 * 1024 * 1024) + b"}"
    too_big = httpx.post(route, content=big, headers=server.member, timeout=120)
    assert too_big.status_code == 413 and "for stor" in too_big.text
    anonymous = httpx.post(route, content=big[: 51 * 1024 * 1024], timeout=120)
    assert anonymous.status_code == 401 and "ikke logget ind" in anonymous.text


# --------------------------------------------------------------------------- 5: heavy work


def test_the_task_pane_answers_while_two_opdater_run(server, tmp_path):
    books = [new_book(tmp_path / f"tung{i}.xlsx", None) for i in range(2)]
    done: list[int] = []

    def run(path: Path) -> None:
        response, _ = opdater(server, path)
        assert response.status_code == 200
        done.append(1)

    threads = [threading.Thread(target=run, args=(b,)) for b in books]
    for t in threads:
        t.start()
    answered_meanwhile = 0
    while any(t.is_alive() for t in threads):
        response = httpx.get(server.url + "/static/js/xlstatus-opgaverude.js", timeout=60)
        if response.status_code == 200 and len(done) < 2:
            answered_meanwhile += 1
        time.sleep(0.05)
    for t in threads:
        t.join(timeout=300)
    assert len(done) == 2 and answered_meanwhile > 0


# --------------------------------------------------------------------------- 6: the rule


def test_one_access_rule_for_figures_and_files(server, noegle):
    from joserfc.jwk import RSAKey

    assert cell(server, "").status_code in (200, 400)  # a member gets an answer
    assert cell(server, "", server.outsider).status_code == 403
    other_key = RSAKey.generate_key(2048, parameters={"kid": "xlstatus-test"})
    for headers in ({"Authorization": token(other_key)}, {"Authorization": alg_none()},
                    {"Authorization": token(noegle, aud="api://andet")},
                    {"Authorization": token(noegle, iss="https://evil.example/v2.0")},
                    {"Authorization": token(noegle, exp=1000, iat=900, nbf=900)}, {}):  # fmt: skip
        assert cell(server, "", headers).status_code == 401
    for route in ("/Statusskema.xlsx", "/xlstatus/maaned"):
        assert httpx.get(server.url + route, headers=server.member, timeout=30).status_code == 200
        assert httpx.get(server.url + route, headers=server.outsider, timeout=30).status_code == 403
        assert httpx.get(server.url + route, timeout=30).status_code == 401


# --------------------------------------------------------------------------- 7: headers


def test_the_start_says_where_the_keys_come_from_and_when_it_is_ready(server):
    log = server.text()
    assert "Entra ID-nøgler fra" in log and "noegler.json" in log
    assert log.count(f"klar på {server.url}") == 1 and "xlstatus drift" in log


def test_hosts_and_forwarded_headers_are_not_trusted(server):
    foreign = httpx.get(server.url + "/manifest.xml", headers={"Host": "evil.example"}, timeout=30)
    assert foreign.status_code == 400
    httpx.get(server.url + "/", headers={"X-Forwarded-For": "6.6.6.6"}, timeout=30)
    cell(server, "", {**server.member, "X-Forwarded-For": "6.6.6.6"})
    assert "6.6.6.6" not in server.text()
    manifest = httpx.get(server.url + "/manifest.xml", headers={"X-Forwarded-Proto": "https"},
                         timeout=30).text  # fmt: skip
    assert f"{server.url}/taskpane.html" in manifest


# --------------------------------------------------------------------------- 8: no internet


def test_without_a_key_set_the_server_does_not_start_and_says_why(tmp_path, udtraek):
    env = clean_env(XLWINGS_LICENSE_KEY="noncommercial", XLWINGS_AUTH_PROVIDERS='["entraid"]',
                    XLWINGS_AUTH_ENTRAID_CLIENT_ID=CLIENT_ID,
                    XLWINGS_AUTH_ENTRAID_TENANT_ID=TENANT,
                    XLSTATUS_SERVER_NOEGLER=str(tmp_path / "mangler.json"))  # fmt: skip
    result = subprocess.run([str(XLSTATUS), "server", "--port", str(free_port()), "--udtraek",
                             str(udtraek)], env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 1, result.stdout[-2000:]
    assert "Entra ID" in result.stderr and "XLSTATUS_SERVER_NOEGLER" in result.stderr
    assert "xlstatus drift" in result.stderr and "Traceback" not in result.stderr
