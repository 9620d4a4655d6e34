"""Benchmark of issue 21, item 3: do heavy requests stall everyone else?

Starts `xlstatus server` (uvicorn, 1 worker, 127.0.0.1, a free port) with a server-side
extract, builds a workbook with an extract pasted on FACIT-udtræk (--faktor sets its
size; 1.0 is about Hedensted's), and sends --samtidige Opdater at once while asking
`GET /` and the task pane's script every 50 ms. Prints each Opdater's time, the payload
size and the slowest and median answer to the light requests meanwhile.
Not a test: run `./run bench last` (needs XLWINGS_LICENSE_KEY, or sets `noncommercial`
for the run).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pasted_book(folder: Path, faktor: float) -> tuple[Path, Path]:
    import openpyxl

    from xlstatus.arbejdsbog.bygger import create_workbook
    from xlstatus.kerne.model import TABLES
    from xlstatus.udtraek.ark import SHEET as EXTRACT_SHEET
    from xlstatus.udtraek.generator import generate, write_extract

    udtraek = folder / "udtraek"
    write_extract(generate(seed=3, faktor=faktor), udtraek, "csv")
    book = create_workbook(folder / "Statusskema.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb.create_sheet(EXTRACT_SHEET)
    r = 1
    for table in TABLES:
        ws.cell(r, 1).value = table
        with (udtraek / f"{table}.csv").open(encoding="utf-8-sig") as f:
            i = 0
            for i, values in enumerate(csv.reader(f, delimiter=";")):
                for c, v in enumerate(values, start=1):
                    if i and re.fullmatch(r"\d\d-\d\d-\d{4}", v):
                        v = datetime.strptime(v, "%d-%m-%Y")
                    ws.cell(r + 1 + i, c).value = v or None
        r += i + 3
    wb.save(book)
    return book, udtraek


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faktor", type=float, default=0.5)
    parser.add_argument("--samtidige", type=int, default=2)
    args = parser.parse_args()
    from xlstatus.excel.payload import book_payload

    with tempfile.TemporaryDirectory() as tmp:
        book, udtraek = pasted_book(Path(tmp), args.faktor)
        payload = {**book_payload(book), "args": ["", False]}
        body = httpx.Request("POST", "http://x", json=payload).read()
        port = free_port()
        key = os.environ.get("XLWINGS_LICENSE_KEY") or "noncommercial"
        state = str(Path(tmp) / "tilstand")
        env = {**os.environ, "XLWINGS_LICENSE_KEY": key, "XLSTATUS_SERVER_TILSTAND": state}
        log = (Path(tmp) / "server.log").open("w")
        command = [str(BIN / "xlstatus"), "server", "--port", str(port), "--udtraek", str(udtraek)]
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            run(url, body, args.samtidige)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def run(url: str, body: bytes, samtidige: int) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("serveren startede ikke")
        time.sleep(0.2)
    times: list[float] = []

    def opdater() -> None:
        t = time.perf_counter()
        json_type = {"content-type": "application/json"}
        response = httpx.post(url + "/xlwings/custom-scripts-call/opdater", content=body,
                              headers=json_type, timeout=600)  # fmt: skip
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, response.text[:300]

    threads = [threading.Thread(target=opdater) for _ in range(samtidige)]
    for t in threads:
        t.start()
    light: list[float] = []
    while any(t.is_alive() for t in threads):
        for path in ("/", "/static/js/xlstatus-opgaverude.js"):
            t = time.perf_counter()
            httpx.get(url + path, timeout=600)
            light.append(time.perf_counter() - t)
        time.sleep(0.05)
    for t in threads:
        t.join()
    print(f"arbejdsbog med indsat udtræk: {len(body) / 1e6:.1f} MB")
    print("Opdater: " + ", ".join(f"{x:.1f} s" for x in sorted(times)))
    print(f"lette kald imens: {len(light)}, median {statistics.median(light) * 1000:.0f} ms, "
          f"længst {max(light) * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
