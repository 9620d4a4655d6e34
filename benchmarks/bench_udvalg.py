"""Benchmark of issue 19: the committee PDF typeset by xlstatus against LibreOffice's export.

One run, one copy: the demo workbook (built once in a temporary folder, or --arbejdsbog) gives
the copy's model (`udvalg.kopi.model_of`); its .xlsx (`udvalg.xlsx.render_xlsx`) is what
LibreOffice headless prints to PDF today, and `udvalg.pdf.render_pdf` typesets the same model.
Every figure is a fresh process, so start-up and imports are its own (as in `xlstatus
udvalg`); the best of --gentag runs counts. Also the CPU seconds (user + system) of that run,
which a machine busy with other work disturbs less than the wall clock.
Goal (issue 19, item 5): the new PDF no slower than LibreOffice's. Not a test: run
`./run bench udvalg`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PREPARE = (
    "import pickle, sys\n"
    "from pathlib import Path\n"
    "from xlstatus.udvalg.kopi import model_of\n"
    "from xlstatus.udvalg.xlsx import render_xlsx\n"
    "copy = model_of(Path(sys.argv[1]))\n"
    "Path(sys.argv[2]).write_bytes(pickle.dumps(copy))\n"
    "Path(sys.argv[3]).write_bytes(render_xlsx(copy))\n"
    "print(len(copy.pages))\n"
)
NEW = (
    "import pickle, sys, time, resource\n"
    "from pathlib import Path\n"
    "t = time.perf_counter()\n"
    "from xlstatus.udvalg.pdf import render_pdf\n"
    "data = render_pdf(pickle.loads(Path(sys.argv[1]).read_bytes()))\n"
    "Path(sys.argv[2]).write_bytes(data)\n"
    "r = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(time.perf_counter() - t, r.ru_utime + r.ru_stime)\n"
)
OLD = (
    "import sys, time, resource\n"
    "from pathlib import Path\n"
    "t = time.perf_counter()\n"
    "from xlstatus import libreoffice\n"
    "libreoffice.convert(Path(sys.argv[1]), 'pdf', Path(sys.argv[2]))\n"
    "r = resource.getrusage(resource.RUSAGE_SELF)\n"
    "c = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - t, r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime)\n"
)


def python(code: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr.strip().splitlines()[-1] if out.stderr else "fejl")
    return out.stdout.split()


def best(code: str, repeat: int, *args: str) -> tuple[float, float]:
    """Best (wall, cpu) seconds of `repeat` fresh processes."""
    runs = [tuple(map(float, python(code, *args))) for _ in range(repeat)]
    return min(runs)  # type: ignore[return-value]


RECALC = (
    "import sys, time, resource\n"
    "from pathlib import Path\n"
    "t = time.perf_counter()\n"
    "from xlstatus import libreoffice\n"
    "libreoffice.convert(Path(sys.argv[1]), 'xlsx', Path(sys.argv[2]))\n"
    "c = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - t, c.ru_utime + c.ru_stime)\n"
)


def command(book: Path, out: Path, repeat: int) -> float:
    """Best wall seconds of the whole `xlstatus udvalg` (a fresh process each time)."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        cmd = [str(BIN / "xlstatus"), "udvalg", str(book), "--ud", str(out)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - t)
    return min(runs)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    counts = [int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")]
    return counts[0] if counts else 0


def demo_workbook(tmp: Path) -> Path:
    folder = tmp / "demo"
    command = [str(BIN / "xlstatus"), "demo", "--mappe", str(folder)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return folder / "Statusskema.xlsx"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--arbejdsbog", type=Path, help="arbejdsbog (standard: demoens)")
    parser.add_argument("--gentag", type=int, default=3, help="kørsler pr. tal (den bedste tæller)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlstatus-bench-") as name:
        tmp = Path(name)
        book = args.arbejdsbog or demo_workbook(tmp)
        model, xlsx = tmp / "kopi.pickle", tmp / "kopi.xlsx"
        (n,) = python(PREPARE, str(book), str(model), str(xlsx))
        old_wall, old_cpu = best(OLD, args.gentag, str(xlsx), str(tmp))
        new_wall, new_cpu = best(NEW, args.gentag, str(model), str(tmp / "ny.pdf"))
        old_pages, new_pages = pages(tmp / "kopi.pdf"), pages(tmp / "ny.pdf")
        recalc_wall, _ = best(RECALC, args.gentag, str(book), str(tmp / "genberegnet"))
        whole = command(book, tmp / "ud", args.gentag)
    print(f"Udvalgets kopi af {book.name}: {n} sider i modellen (bedste af {args.gentag})")
    print(f"{'':32}{'væg (s)':>10}{'CPU (s)':>10}{'PDF-sider':>11}")
    print(f"{'LibreOffice (xlsx → PDF)':32}{old_wall:10.2f}{old_cpu:10.2f}{old_pages:11d}")
    print(f"{'xlstatus (model → PDF/UA-1)':32}{new_wall:10.2f}{new_cpu:10.2f}{new_pages:11d}")
    ok = new_wall <= old_wall
    print(f"ny/gammel væg {new_wall / old_wall:.2f}× – {'ok' if ok else 'LANGSOMMERE'} (mål ≤ 1×)")
    # The whole command: today's, and as it was with LibreOffice (it recalculated the
    # workbook's formulas and exported the PDF; the rest of the work is the same).
    before = whole - new_wall + old_wall + recalc_wall
    print(f"{'xlstatus udvalg i dag (hele)':32}{whole:10.2f}")
    parts = f"genberegning {recalc_wall:.2f} + eksport {old_wall:.2f} i stedet for PDF/UA"
    print(f"{'  med LibreOffice som før':32}{before:10.2f}   (anslået: {parts})")
    ok = whole <= before
    print(f"hele kommandoen i dag/før {whole / before:.2f}× – {'ok' if ok else 'LANGSOMMERE'}")


if __name__ == "__main__":
    main()
