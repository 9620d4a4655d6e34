"""Benchmark: all five schemas for one month at factor 1, 20 and 100.

For each factor the synthetic extract is written as CSV once; then, each in a fresh
process so peak memory is its own:
  floor    – pyarrow parses the same CSV files (nothing else),
  read     – xlstatus reads and validates the extract,
  compute  – xlstatus computes every row of the five schemas for one month,
and the ratio (read + compute) / floor is printed. Not a test: run `./run bench`.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

MONTH = date(2025, 6, 1)


def _floor(folder: Path) -> None:
    import pyarrow.csv as pacsv

    for f in sorted(folder.glob("*.csv")):
        pacsv.read_csv(f, parse_options=pacsv.ParseOptions(delimiter=";"))


def _read(folder: Path) -> None:
    from xlstatus.udtraek.laes import read_extract

    read_extract(folder)


def _read_compute(folder: Path) -> None:
    from xlstatus.kerne.indikatorer import compute_month
    from xlstatus.kerne.skema import load_schemas
    from xlstatus.udtraek.laes import read_extract

    extract = read_extract(folder)
    started = time.perf_counter()
    compute_month(extract, load_schemas(), MONTH)
    print(f"  (compute alone: {time.perf_counter() - started:.2f} s)", flush=True)


def _child(stage: str, folder: str, out: mp.Queue) -> None:
    func = {"floor": _floor, "read": _read, "read+compute": _read_compute}[stage]
    started = time.perf_counter()
    func(Path(folder))
    elapsed = time.perf_counter() - started
    out.put((elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(stage: str, folder: Path) -> tuple[float, float]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_child, args=(stage, str(folder), out))
    proc.start()
    result = out.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--faktorer", default="1,20,100")
    args = parser.parse_args()
    from xlstatus.udtraek.generator import generate, write_extract

    print(f"{'faktor':>6} {'rækker':>10} {'floor s':>8} {'read s':>8} {'read+comp s':>11} "
          f"{'peak MB':>8} {'ratio':>6}")  # fmt: skip
    for factor in (float(f) for f in args.faktorer.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_extract(generate(faktor=factor), Path(tmp) / "udtraek", "csv")
            rows = sum(sum(1 for _ in f.open("rb")) - 1 for f in folder.glob("*.csv"))
            floor, _ = measure("floor", folder)
            read, _ = measure("read", folder)
            total, peak = measure("read+compute", folder)
            print(f"{factor:>6g} {rows:>10,} {floor:>8.2f} {read:>8.2f} {total:>11.2f} "
                  f"{peak:>8.0f} {total / floor:>6.1f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
