"""`xlstatus sammenligning hent` against a real HTTP server on 127.0.0.1 that answers like
the Jobindsats API v3 and Statistikbanken (tests/data/sammenligning/KILDER.md): success,
401, 429, a time-out, a bad answer – and never a half-written folder."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from xlstatus.cli.app import app

DATA = Path(__file__).parent / "data" / "sammenligning"
KEY = "hemmelig-testnoegle"
runner = CliRunner()
CONFIG = """
eget_omraade = "Hedensted"
omraader = ["Hele landet", "RAR Østjylland"]
[[tabel]]
kilde = "ptv_a02"
titel = "Fuldtidspersoner"
maal = "Fuldtidspersoner i pct. af arbejdsstyrken 16-66 år"
[[tabel]]
kilde = "AUF01"
titel = "Bruttoledige"
maal = "AUF01"
"""


class Handler(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict]] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, code: int, body: bytes, kind: str, extra: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        mode = url.path.split("/")[1]
        Handler.seen.append({"path": url.path, "query": parse_qs(url.query),
                             "auth": self.headers.get("Authorization")})  # fmt: skip
        if mode == "langsom":
            time.sleep(3)
        if mode == "429":
            return self._send(429, b'{"message": "Too many requests"}', "application/json",
                              {"Retry-After": "30"})  # fmt: skip
        if self.headers.get("Authorization") != f"Bearer {KEY}" or mode == "401":
            return self._send(401, "Forkert nøgle".encode(), "application/json")
        if mode == "daarlig":
            return self._send(200, b'{"data": []}', "application/json")
        table = url.path.rsplit("/", 1)[1]
        self._send(200, (DATA / f"{table}.json").read_bytes(), "application/json")

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Handler.seen.append({"path": self.path, "body": body})
        self._send(200, (DATA / f"{body['table']}.csv").read_bytes(), "text/csv; charset=utf-8")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def env(tmp_path, monkeypatch, server):
    skab = tmp_path / "skabeloner"
    skab.mkdir()
    (skab / "sammenligning.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("XLSTATUS_SKABELONER", str(skab))
    monkeypatch.setenv("JOBINDSATS_API_NOEGLE", KEY)
    monkeypatch.setenv("STATBANK_API_URL", f"{server}/ok/statbank/")

    def mode(m: str) -> None:
        monkeypatch.setenv("JOBINDSATS_API_URL", f"{server}/{m}/v3/")

    mode("ok")
    Handler.seen.clear()
    return mode


def hent(ud: Path, *extra: str):
    return runner.invoke(app, ["sammenligning", "hent", "--ud", str(ud), *extra])


def test_success_saves_answers_unchanged_with_kilde_json(env, tmp_path):
    ud = tmp_path / "sammenligning"
    ud.mkdir()
    (ud / "y99x99.json").write_text("en gammel tabel", encoding="utf-8")  # replaced whole
    r = hent(ud)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in ud.iterdir()) == ["AUF01.csv", "kilde.json", "ptv_a02.json"]
    assert (ud / "ptv_a02.json").read_bytes() == (DATA / "ptv_a02.json").read_bytes()
    assert (ud / "AUF01.csv").read_bytes() == (DATA / "AUF01.csv").read_bytes()
    meta = json.loads((ud / "kilde.json").read_text(encoding="utf-8"))
    assert set(meta["tabeller"]) == {"ptv_a02", "AUF01"} and meta["tabeller"]["AUF01"]["krop"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert KEY not in (ud / "kilde.json").read_text(encoding="utf-8")  # never the key
    get = next(s for s in Handler.seen if "query" in s)
    assert get["path"].endswith("/v3/data/ptv_a02") and get["auth"] == f"Bearer {KEY}"
    assert get["query"]["format"] == ["json"] and get["query"]["period.M"] == ["latest:1"]
    post = next(s for s in Handler.seen if "body" in s)
    assert post["body"]["table"] == "AUF01" and post["body"]["format"] == "CSV"
    # the saved folder reads back with each file's kilde = its table id
    r = runner.invoke(app, ["sammenligning", "vis", str(ud), "--format", "json"])
    assert {d["kilde"] for d in json.loads(r.stdout)} == {"ptv_a02", "AUF01"}


def old_folder(tmp_path: Path) -> Path:
    ud = tmp_path / "sammenligning"
    ud.mkdir()
    (ud / "ptv_a02.json").write_text("forrige", encoding="utf-8")
    return ud


def unchanged(ud: Path) -> None:
    assert [p.name for p in ud.iterdir()] == ["ptv_a02.json"]
    assert (ud / "ptv_a02.json").read_text(encoding="utf-8") == "forrige"
    assert [p.name for p in ud.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("mode", "words"),
    [("401", ["HTTP 401", "JOBINDSATS_API_NOEGLE"]), ("429", ["HTTP 429", "30 sekunder"]),
     ("daarlig", ["kan ikke bruges", "ptv_a02.json"])],
)  # fmt: skip
def test_refusals_leave_the_folder_as_it_was(env, tmp_path, mode, words):
    ud = old_folder(tmp_path)
    env(mode)
    r = hent(ud)
    assert r.exit_code == 1
    for w in words:
        assert w in r.stderr
    unchanged(ud)


def test_time_out(env, tmp_path):
    ud = old_folder(tmp_path)
    env("langsom")
    r = hent(ud, "--timeout", "1")
    assert r.exit_code == 1 and "svarede ikke inden for 1 sekunder" in r.stderr
    unchanged(ud)


def test_missing_key(env, tmp_path, monkeypatch):
    monkeypatch.delenv("JOBINDSATS_API_NOEGLE")
    r = hent(tmp_path / "ny")
    assert r.exit_code == 1 and "JOBINDSATS_API_NOEGLE mangler" in r.stderr
    assert not (tmp_path / "ny").exists()


def test_no_network(env, tmp_path, monkeypatch):
    monkeypatch.setenv("JOBINDSATS_API_URL", "http://127.0.0.1:9/v3/")  # discard port: closed
    r = hent(tmp_path / "ny")
    assert r.exit_code == 1 and "Ingen forbindelse" in r.stderr
    assert not (tmp_path / "ny").exists()
    assert list(tmp_path.glob(".ny*")) == []
