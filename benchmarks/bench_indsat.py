"""Benchmark of issue 20, item 5: a pasted FACIT-udtræk against the same data as CSV.

For each --faktor the synthetic extract is written as CSV once and pasted on FACIT-udtræk of
a fresh workbook (as `bench_server_load.py` does: texts, dates as dates). Each figure is a
fresh process running what the server runs for Opdater: the task pane's JSON payload parsed
by xlwings (`xw.Book(json=…)`), the Opdater script through `custom_scripts_call`, the
actions written back as JSON; once with the extract pasted in the payload, once with the
payload's Indstillinger naming the CSV folder (the extract cache off, so the files are read).
Prints the time of reading the extract alone (`extract_from_grid` on the sheet's values
against `read_extract` on the folder), of the whole request, and the peak memory.
Goal: pasted ≤ 3× CSV. Not a test: `./run bench indsat`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_server_load import pasted_book

CHILD = r"""
import asyncio, json, os, resource, sys, time
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ["XLSTATUS_UDTRAEK_CACHE_MB"] = "0"
import xlwings as xw
from xlwings.server import custom_scripts_call
from xlstatus import excel
from xlstatus.udtraek.ark import extract_from_grid
from xlstatus.udtraek.laes import read_extract

payload_file, mode, folder = sys.argv[1:4]
t0 = time.perf_counter()
if mode == "indsat":
    grid = xw.Book(json=json.loads(open(payload_file, encoding="utf-8").read()))
    grid = grid.sheets["FACIT-udtræk"].used_range.value
    t1 = time.perf_counter()
    extract_from_grid(grid)
else:
    t1 = time.perf_counter()
    read_extract(folder)
read = time.perf_counter() - t1
grid = None
t0 = time.perf_counter()
book = xw.Book(json=json.loads(open(payload_file, encoding="utf-8").read()))
asyncio.run(custom_scripts_call(excel, "opdater", typehint_to_value={xw.Book: book},
                                args=["2025-06"]))
answer = json.dumps(book.json())
whole = time.perf_counter() - t0
alerts = [a["args"] for a in book.json()["actions"]
          if a["func"] == "alert" and a["args"][3] != "info"]  # a failed Opdater
print(json.dumps(alerts, ensure_ascii=False), file=sys.stderr)
# this process's own peak: ru_maxrss would carry the parent's over (Linux keeps it across exec)
try:
    status = open("/proc/self/status", encoding="ascii").read()
    peak = int(next(ln for ln in status.splitlines() if ln.startswith("VmHWM:")).split()[1])
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(read, whole, peak / 1024, len(alerts))
"""


def measure(payload: Path, mode: str, folder: Path, repeat: int) -> tuple[float, float, float]:
    """Best read time, best whole time, peak MB of `repeat` fresh processes."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(payload), mode, str(folder)],
            capture_output=True,
            text=True,
            check=True,
        )
        out, err = done.stdout.splitlines()[-1].split(), done.stderr.strip()[-800:]
        read, whole, peak, alerts = float(out[0]), float(out[1]), float(out[2]), int(out[3])
        if alerts:
            raise SystemExit(f"Opdater ({mode}) answered with an alert: {err}")
        runs.append((read, whole, peak))
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faktor", type=float, nargs="+", default=[1.0, 3.0])
    parser.add_argument("--gentag", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    os.environ["XLWINGS_ON_SERVER"] = "true"
    from xlstatus.arbejdsbog.bygger import create_workbook
    from xlstatus.excel.payload import book_payload
    from xlstatus.plan import tekster

    print("faktor  celler  JSON MB | læs: indsat  CSV  forhold | Opdater: indsat  CSV  forhold"
          " | top MB indsat/CSV")  # fmt: skip
    for faktor in args.faktor:
        with tempfile.TemporaryDirectory() as tmp:
            book, udtraek = pasted_book(Path(tmp), faktor)
            pasted = book_payload(book)
            cells = sum(len(r) for s in pasted["sheets"] if s["name"] == "FACIT-udtræk"
                        for r in s["values"])  # fmt: skip
            (Path(tmp) / "indsat.json").write_text(json.dumps(pasted), encoding="utf-8")
            plain = book_payload(create_workbook(Path(tmp) / "csv.xlsx"))
            settings = next(s for s in plain["sheets"] if s["name"] == tekster.SETTINGS)
            row = next(r for r in settings["values"] if str(r[0]).startswith("Udtræk"))
            row[1] = str(udtraek)
            (Path(tmp) / "csv.json").write_text(json.dumps(plain), encoding="utf-8")
            size = (Path(tmp) / "indsat.json").stat().st_size / 1e6
            p = measure(Path(tmp) / "indsat.json", "indsat", udtraek, args.gentag)
            c = measure(Path(tmp) / "csv.json", "csv", udtraek, args.gentag)
            ok = "✔" if p[1] <= 3 * c[1] else "✖"
            print(
                f"{faktor:6g}  {cells / 1e6:5.2f}M  {size:6.1f} | {p[0]:9.2f}s {c[0]:5.2f}s "
                f"{p[0] / c[0]:5.1f}× | {p[1]:11.2f}s {c[1]:5.2f}s {p[1] / c[1]:5.1f}× {ok}"
                f" | {p[2]:.0f}/{c[2]:.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
