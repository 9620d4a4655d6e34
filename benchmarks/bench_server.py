"""Benchmark of issue 20, item 4: an extract read once per process (`udtraek.lager`).

At Hedensted size (factor 1, or --faktor) the synthetic extract is written as CSV once; then
  celle  – XLSTATUS_INDIKATOR through xlwings' custom_functions_call in a fresh process:
           the first call (cold: reads the extract), the median of the next calls (warm), and
           the same with XLSTATUS_UDTRAEK_CACHE_MB=0 (every call reads the files);
  server – `xlstatus server --workers 2` on 127.0.0.1: Opdater for one month (the server's own
           extract) – the first request, the median of sequential requests (warm), and the
           median with 4 and 16 clients at once; with the cache on and off.
Goal: warm ≤ half of the same request with the cache off. Not a test: `./run bench server`.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BIN = Path(sys.executable).parent
MONTH = "2025-06"
ENV = "XLSTATUS_UDTRAEK_CACHE_MB"
CELL = """
import asyncio, json, statistics, sys, time
import xlwings as xw
from xlwings.server import custom_functions_call
from xlstatus import excel
from xlstatus.skabelonfiler import load_schemas

schema = load_schemas()[0]
row = schema.rows[0]

def call():
    data = {"func_name": "xlstatus_indikator", "caller_address": "Ark1!B2",
            "args": [[[schema.projekt]], [[row.label]], [["2025-06"]], [[None]],
                     [[row.sektion or None]], [[sys.argv[1]]]],
            "version": xw.__version__, "client": "Office.js", "runtime": "1.4",
            "culture_info_name": "da-DK", "date_format": "dd-mm-åååå"}
    t = time.perf_counter()
    value = asyncio.run(custom_functions_call(data, excel))
    assert isinstance(value[0][0], (int, float)), value
    return time.perf_counter() - t

first = call()
print(json.dumps([first, statistics.median(call() for _ in range(5))]))
"""


def cells(folder: Path, cache: bool) -> tuple[float, float]:
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true"}
    env[ENV] = "1024" if cache else "0"
    out = subprocess.run(
        [sys.executable, "-c", CELL, str(folder)], capture_output=True, text=True, env=env
    )
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    first, warm = json.loads(out.stdout.strip().splitlines()[-1])
    return first, warm


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, cache: bool, log: Path) -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "XLSTATUS_"))}
    env.update({"XLWINGS_LICENSE_KEY": "noncommercial", ENV: "1024" if cache else "0"})
    cmd = [str(BIN / "xlstatus"), "server", "--host", "127.0.0.1", "--port", str(port),
           "--udtraek", str(folder), "--workers", "2"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/manifest.xml", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("serveren startede ikke:\n" + log.read_text()[-2000:])


def post(url: str, payload: dict) -> float:
    import httpx

    t = time.perf_counter()
    r = httpx.post(f"{url}/xlwings/custom-scripts-call/opdater",
                   json={**payload, "args": [MONTH, False]}, timeout=600)  # fmt: skip
    if r.status_code != 200 or "Intet er ændret" in r.text:
        raise SystemExit(f"Opdater fejlede: {r.status_code} {r.text[:500]}")
    return time.perf_counter() - t


def at_once(url: str, payload: dict, n: int) -> float:
    with ThreadPoolExecutor(n) as pool:
        return statistics.median(pool.map(lambda _: post(url, payload), range(n)))


def server(folder: Path, payload: dict, cache: bool, tmp: Path) -> list[float]:
    proc, url = start_server(folder, cache, tmp / f"server-{cache}.log")
    try:
        first = post(url, payload)
        post(url, payload)  # the second worker reads its own copy once
        warm = statistics.median(post(url, payload) for _ in range(6))
        return [first, warm, at_once(url, payload, 4), at_once(url, payload, 16)]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--faktor", type=float, default=1.0)
    parser.add_argument("--uden-server", action="store_true", help="kun celle-funktionerne")
    args = parser.parse_args()
    from xlstatus.arbejdsbog.bygger import create_workbook
    from xlstatus.excel.payload import book_payload
    from xlstatus.udtraek.generator import generate, write_extract

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = write_extract(generate(faktor=args.faktor), tmp / "udtraek", "csv")
        on, off = cells(folder, True), cells(folder, False)
        mark = "ok" if on[1] <= off[1] / 2 else "MISSET"
        print(f"celle-funktion (faktor {args.faktor:g}): første kald {on[0]:.2f} s; "
              f"varm {on[1] * 1000:.0f} ms; uden mellemlager {off[1] * 1000:.0f} ms "
              f"= {on[1] / off[1]:.2f}× (mål ≤ 0,5×) {mark}")  # fmt: skip
        if args.uden_server:
            return
        book = tmp / "Statusskema.xlsx"
        create_workbook(book)
        payload = book_payload(book)
        print(f"{'server Opdater':<22} {'første s':>8} {'varm s':>7} {'4 ad gangen':>11} "
              f"{'16 ad gangen':>12}")  # fmt: skip
        rows = {}
        for cache in (True, False):
            rows[cache] = server(folder, payload, cache, tmp)
            first, warm, four, sixteen = rows[cache]
            label = "med mellemlager" if cache else "uden mellemlager"
            print(f"{label:<22} {first:>8.2f} {warm:>7.2f} {four:>11.2f} {sixteen:>12.2f}",
                  flush=True)  # fmt: skip
        ratio = rows[True][1] / rows[False][1]
        print(
            f"varm Opdater {ratio:.2f}× uden mellemlager (mål ≤ 0,5×) "
            f"{'ok' if ratio <= 0.5 else 'MISSET'}"
        )


if __name__ == "__main__":
    main()
