"""Benchmark of issues #9 and #20: the engine against the parse floor, backfill and opdater.

For each factor the synthetic extract is written as CSV once; then every figure is a fresh
process, so start-up, imports and peak memory are its own:
  floor        – pyarrow parses the same CSV files (the parse alone, timed inside the process),
  indikatorer  – `xlstatus indikatorer --format csv` for one month, the whole process,
  ratio        – indikatorer / floor; peak MB – the indikatorer process's peak memory,
  24 mdr       – `indikatorer --fra` over 24 months (feb-24 … jan-26, the schemas' own columns),
                 whole process, and its cost against one month.
At Hedensted size (factor 1) also `xlstatus opdater` on a fresh workbook for one month and for
24 months (`--fra`) against `indikatorer` for one month. The best of --gentag runs counts.
First `xlstatus --help`: its time, and which of pandas, numpy, pyarrow, openpyxl it imports.
Goals (issue #20): factors 20 and 100 ≤ 3× floor; ≤ 600 MB at factor 20 and ≤ 1 GB at 100;
24 months ≤ 2× one month; opdater one month ≤ 1.5× indikatorer one month; --help imports
none of the four. Not a test: run `./run bench` (benchmarks/bench_server.py: the server).
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MONTH = "2025-06"  # one month
FIRST, LAST = "2024-02", "2026-01"  # 24 months: the schemas' columns feb-24 … jan-26
BIN = Path(sys.executable).parent
WRAP = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)"
    ".returncode\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
)
FLOOR = (
    "import sys, time, pathlib\n"
    "import pyarrow.csv as pacsv\n"
    "t = time.perf_counter()\n"
    "for f in sorted(pathlib.Path(sys.argv[1]).glob('*.csv')):\n"
    "    pacsv.read_csv(f, parse_options=pacsv.ParseOptions(delimiter=';'))\n"
    "print(time.perf_counter() - t)\n"
)


def run(cmd: list[str], repeat: int, prepare=None) -> tuple[float, float]:
    """Best wall time (s) and its peak memory (MB) of a whole process."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        if prepare:
            prepare()
        out = subprocess.run([sys.executable, "-c", WRAP, *cmd], capture_output=True, text=True)
        secs, kb, rc = out.stdout.split()
        if rc != "0":
            raise SystemExit(f"{' '.join(cmd)} endte med {rc}")
        best = min(best, (float(secs), int(kb) / 1024))
    return best


def floor(folder: Path, repeat: int) -> float:
    runs = [
        subprocess.run(
            [sys.executable, "-c", FLOOR, str(folder)], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(repeat)
    ]
    return min(float(r) for r in runs)


def indikatorer(folder: Path, *extra: str, month: str = MONTH) -> list[str]:
    return [
        str(BIN / "xlstatus"),
        "indikatorer",
        "--udtraek",
        str(folder),
        "--maaned",
        month,
        "--format",
        "csv",
        *extra,
    ]


def opdater(folder: Path, tmp: Path, repeat: int, *extra: str, month: str = MONTH) -> float:
    """opdater on a fresh copy of a new workbook (the copy is made outside the timing)."""
    clean, book = tmp / "ny.xlsx", tmp / "Statusskema.xlsx"
    if not clean.exists():
        subprocess.run([str(BIN / "xlstatus"), "ny", str(clean)], check=True, capture_output=True)

    def fresh() -> None:
        for old in tmp.glob("Statusskema*"):
            old.unlink()
        shutil.copy(clean, book)

    cmd = [
        str(BIN / "xlstatus"),
        "opdater",
        str(book),
        "--udtraek",
        str(folder),
        "--maaned",
        month,
        *extra,
    ]
    return run(cmd, repeat, fresh)[0]


HELP = (
    "import sys\n"
    "from xlstatus.cli.app import app\n"
    "try:\n"
    "    app(['--help'])\n"
    "except SystemExit:\n"
    "    pass\n"
    "heavy = ('pandas', 'numpy', 'pyarrow', 'openpyxl')\n"
    "print(' '.join(m for m in heavy if m in sys.modules) or '-', file=sys.stderr)\n"
)


def help_line(repeat: int) -> str:
    """`xlstatus --help`: the best whole-process time and the heavy modules it imported."""
    best = run([str(BIN / "xlstatus"), "--help"], max(repeat, 3))[0]
    out = subprocess.run([sys.executable, "-c", HELP], capture_output=True, text=True)
    heavy = out.stderr.strip().splitlines()[-1]
    return (
        f"xlstatus --help {best:.2f} s; importerer: {heavy} (mål: ingen af pandas, numpy, "
        f"pyarrow, openpyxl) {mark(heavy == '-')}"
    )


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--faktorer", default="1,20,100")
    parser.add_argument("--gentag", type=int, default=2, help="runs per figure (best counts)")
    args = parser.parse_args()
    import xlstatus
    from xlstatus.udtraek.generator import generate, write_extract

    # byte-compiled first, as installing the wheel does (an editable install under
    # PYTHONDONTWRITEBYTECODE would compile every module in every timed process)
    compileall.compile_dir(Path(xlstatus.__file__).parent, quiet=1)

    goals = {20.0: 3.0, 100.0: 3.0}
    memory = {20.0: 600, 100.0: 1024}
    print(help_line(args.gentag), flush=True)
    print(
        f"{'faktor':>6} {'rækker':>10} {'floor s':>8} {'indik. s':>8} {'ratio':>6} "
        f"{'peak MB':>8} {'24 mdr s':>8} {'24/1':>5}"
    )
    notes = []
    for factor in (float(f) for f in args.faktorer.split(",")):
        repeat = 1 if factor >= 100 else args.gentag
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_extract(generate(faktor=factor), Path(tmp) / "udtraek", "csv")
            rows = sum(sum(1 for _ in f.open("rb")) - 1 for f in folder.glob("*.csv"))
            base = floor(folder, repeat)
            one, peak = run(indikatorer(folder), repeat)
            many, _ = run(indikatorer(folder, "--fra", FIRST, month=LAST), repeat)
            print(
                f"{factor:>6g} {rows:>10,} {base:>8.2f} {one:>8.2f} {one / base:>6.1f} "
                f"{peak:>8.0f} {many:>8.2f} {many / one:>5.1f}",
                flush=True,
            )
            if factor in goals:
                notes.append(
                    f"faktor {factor:g}: {one / base:.1f}× floor (mål ≤ {goals[factor]:g}×)"
                    f" {mark(one / base <= goals[factor])}"
                )
            if factor in memory:
                limit = memory[factor]
                notes.append(
                    f"faktor {factor:g}: {peak:.0f} MB (mål ≤ {limit} MB) {mark(peak <= limit)}"
                )
            notes.append(
                f"faktor {factor:g}: 24 måneder {many / one:.1f}× én måned (mål ≤ 2×) "
                f"{mark(many / one <= 2)}"
            )
            if factor == 1:
                work = Path(tmp) / "bog"
                work.mkdir()
                op1 = opdater(folder, work, repeat)
                op24 = opdater(folder, work, repeat, "--fra", FIRST, month=LAST)
                print(
                    f"       opdater 1 mdr {op1:.2f} s = {op1 / one:.1f}× indikatorer; "
                    f"opdater 24 mdr {op24:.2f} s = {op24 / op1:.1f}× opdater 1 mdr"
                )
                notes.append(
                    f"faktor 1: opdater {op1 / one:.1f}× indikatorer (mål ≤ 1,5×) "
                    f"{mark(op1 / one <= 1.5)}; opdater 24 mdr {op24 / op1:.1f}× "
                    f"én måned (mål ≤ 3×) {mark(op24 / op1 <= 3)}"
                )
    print("\n".join(notes))


if __name__ == "__main__":
    main()
