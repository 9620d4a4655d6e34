"""Opdater for a workbook file: lock check, load, recognise, compute, plan, apply, save.

`opdater_fil(path, udtraek=…, maaned=…)` is what the command line runs; `Arbejdsbog`
keeps one workbook open for several months (the demo) and saves once. It holds
xlstatus's own lock on the file (`gem.OpdaterLaas`) from loading until `save`/`close`,
so two runs never interleave their read–modify–write.

The run's facts for the Log and the old-extract check are pure: `plan.koersel`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from xlstatus.arbejdsbog import fil, gem
from xlstatus.arbejdsbog.analyse import analyse_sheets
from xlstatus.arbejdsbog.gem import current_user
from xlstatus.kerne.errors import WorkbookError
from xlstatus.kerne.indikatorer import (
    compute_month,
    compute_months,
    needed_tables,
)
from xlstatus.kerne.model import Extract
from xlstatus.kerne.skema import Schema
from xlstatus.kerne.status import Tolerance
from xlstatus.kerne.tid import month_range, month_start
from xlstatus.plan import tekster
from xlstatus.plan.data import OpdaterPlan, RunInfo, WorkbookView
from xlstatus.plan.indstillinger import Settings
from xlstatus.plan.koersel import check_extract_age, run_info
from xlstatus.plan.layout import Recognition, recognise_workbook
from xlstatus.plan.skemaer import make_plan
from xlstatus.skabelonfiler import load_schemas


@dataclass
class Arbejdsbog:
    """An open workbook file being updated (openpyxl)."""

    path: Path

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        fil.check_file(self.path)
        fil.check_lock(self.path)
        self.laas = gem.OpdaterLaas(self.path)
        self.laas.acquire()
        try:
            self.wb = fil.load(self.path)
        except BaseException:
            self.laas.release()
            raise
        self.schemas: list[Schema] = load_schemas()

    def close(self) -> None:
        """Give up the lock without saving."""
        self.laas.release()

    def __enter__(self) -> Arbejdsbog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def view(self) -> WorkbookView:
        return fil.read_view(self.wb)

    def recognise(self, view: WorkbookView | None = None) -> Recognition:
        view = view or self.view()
        recognition = recognise_workbook([(s.name, s.grid) for s in view.sheets], self.schemas)
        if not recognition.layouts:
            raise WorkbookError(
                f"Arbejdsbogen {self.path.name} har ingen ark, der ligner et af statusskemaerne "
                "(rækkernes tekster blev ikke genkendt). Intet er ændret."
            )
        return recognition

    def needed_tables(self) -> dict[str, str]:
        view = self.view()
        needed = needed_tables([lay.schema for lay in self.recognise(view).layouts])
        if tekster.MAALTAL in self.wb.sheetnames:
            needed.setdefault("forloeb", "Måltal: faktisk mod mål")
        if view.settings.sammenligning:
            needed.setdefault("forloeb", "Sammenligning: egne tal fra FACIT")
        return needed

    def opdater(
        self,
        extract: Extract,
        month: date,
        overwrite: bool = False,
        when: datetime | None = None,
        user: str | None = None,
        allow_old: bool = False,
    ) -> OpdaterPlan:
        """Compute month M and apply the plan in memory (call `save` afterwards)."""
        month = month_start(month)
        view = self.view()
        recognition = self.recognise(view)
        schemas = [lay.schema for lay in recognition.layouts]
        settings = view.settings
        check_extract_age(
            extract, month, settings.maaledag, allow_old or settings.tillad_gammelt_udtraek
        )
        results = compute_month(extract, schemas, month, settings.maaledag, settings.tolerance)
        run = run_info(extract, month, settings.maaledag, when, user or current_user())
        analyser = analyse_sheets(self.wb, view, extract, schemas, month, self.schemas)  # #12
        plan = make_plan(view, recognition, results, month, run, overwrite, self.schemas, analyser)
        fil.apply_plan(self.wb, plan)
        self.update_maaltal(extract, month, settings.tolerance)
        plan.notes.append(self.update_sammenligning(extract, month, settings))
        return plan

    def opdater_maaneder(
        self,
        extract: Extract,
        months: list[date],
        overwrite: bool = False,
        when: datetime | None = None,
        user: str | None = None,
        on_month: Callable[[date], None] | None = None,
        allow_old: bool = False,
    ) -> list[OpdaterPlan]:
        """A backfill: every month of `months` in one pass (the engine's index is built once;
        the Måltal sheet and the analyses, which show only the latest month, are made once, at
        the end). The workbook ends as after month-by-month runs; call `save` afterwards."""
        months = sorted({month_start(m) for m in months})
        if not months:
            return []
        view = self.view()
        schemas = [lay.schema for lay in self.recognise(view).layouts]
        settings = view.settings
        from xlstatus.kerne.indikatorer import check_has_data

        check_has_data(extract, months[0], settings.maaledag)  # the range's first month
        check_extract_age(
            extract, months[-1], settings.maaledag, allow_old or settings.tillad_gammelt_udtraek
        )
        results = compute_months(extract, schemas, months, settings.maaledag, settings.tolerance)
        by_month: dict[date, list] = {m: [] for m in months}
        for r in results:
            by_month[r.month].append(r)
        plans: list[OpdaterPlan] = []
        for month in months:
            if on_month:
                on_month(month)
            if plans:  # the cells as written so far; Data and the record as the last plan left them
                view = self._view_after(plans[-1], settings)
            plan = self._plan_month(
                view,
                extract,
                by_month[month],
                month,
                overwrite,
                run_info(extract, month, settings.maaledag, when, user or current_user()),
                last=month == months[-1],
            )
            plans.append(plan)
        fil.write_data(self.wb, plans[-1].data)  # which are written once, at the end
        fil.write_record(self.wb, plans[-1].record)
        self.update_maaltal(extract, months[-1], settings.tolerance)
        plans[-1].notes.append(self.update_sammenligning(extract, months[-1], settings))
        return plans

    def _view_after(self, plan: OpdaterPlan, settings: Settings) -> WorkbookView:
        sheets = [
            fil.sheet_view(ws) for ws in self.wb.worksheets if ws.title not in tekster.SYSTEM_SHEETS
        ]
        return WorkbookView(sheets, plan.record, plan.data, settings, tuple(self.wb.sheetnames))

    def _plan_month(
        self,
        view: WorkbookView,
        extract: Extract,
        results: list,
        month: date,
        overwrite: bool,
        run: RunInfo,
        last: bool,
    ) -> OpdaterPlan:
        """One month of a backfill: its plan, applied without the Data and record tables."""
        recognition = self.recognise(view)
        schemas = [lay.schema for lay in recognition.layouts]
        analyser = (
            analyse_sheets(self.wb, view, extract, schemas, month, self.schemas) if last else None
        )
        plan = make_plan(view, recognition, results, month, run, overwrite, self.schemas, analyser)
        for ins in plan.inserts:
            fil.insert_column(self.wb, self.wb[ins.sheet], ins.col, ins.style_from)
        for w in plan.writes:
            fil.apply_write(self.wb[w.sheet], w)
        fil.append_log(self.wb, plan)
        return plan

    def update_maaltal(self, extract: Extract, month: date, tolerance: Tolerance) -> bool:
        """Step 5 of Opdater: the Måltal sheet's aggregations, when the sheet is there."""
        try:
            from xlstatus.arbejdsbog.maaltal import find_maaltal_sheet, update_maaltal_sheet
        except ImportError:
            return False
        if find_maaltal_sheet(self.wb) is None:
            return False
        update_maaltal_sheet(self.wb, extract, month, tolerance=tolerance)
        return True

    def sammenligning_folder(self, settings: Settings) -> Path | None:
        """The folder named in the Indstillinger row "Sammenligning" (relative to the
        workbook's folder), or None."""
        if not settings.sammenligning:
            return None
        p = Path(settings.sammenligning).expanduser()
        return p if p.is_absolute() else self.path.parent / p

    def indlaes_sammenligning(
        self, kilder: list[Path], extract: Extract | None, month: date
    ) -> str:
        """Fill the Sammenligning sheet from `kilder` (a bad source: KildeError, nothing
        changed); returns the Danish report line."""
        from xlstatus.arbejdsbog.sammenligning import skriv_sammenligning
        from xlstatus.skabelonfiler import load_sammenligning
        from xlstatus.udtraek.sammenligning import laes_og_byg

        o = load_sammenligning()
        tabeller, info = laes_og_byg(kilder, extract, month, o)
        skriv_sammenligning(self.wb, tabeller, info, o.eget_omraade, o.forskel_mod or "")
        shown = ", ".join(str(k) for k in kilder)
        return f"Arket Sammenligning er opdateret fra {shown} ({len(tabeller)} tabeller)."

    def update_sammenligning(self, extract: Extract, month: date, settings: Settings) -> str:
        """Opdater's Sammenligning step: from the folder on Indstillinger, else untouched."""
        folder = self.sammenligning_folder(settings)
        if folder is None:
            return tekster.SAMMENLIGNING_UROERT
        return self.indlaes_sammenligning([folder], extract, month)

    def save(self) -> Path | None:
        """Save atomically and give up the lock; returns the backup's path."""
        try:
            fil.check_lock(self.path)
            return fil.save_atomic(self.wb, self.path)
        finally:
            self.close()


def extract_location(path: Path, udtraek: str | Path | None, book: Arbejdsbog) -> Path:
    """--udtraek, else the workbook setting (relative to the workbook's folder)."""
    if udtraek:
        return Path(udtraek)
    setting = book.view().settings.udtraek
    if not setting:
        raise WorkbookError(
            "Der er ikke angivet noget udtræk: brug --udtraek STI, eller skriv stien på "
            "arket Indstillinger."
        )
    p = Path(setting)
    return p if p.is_absolute() else Path(path).parent / p


def opdater_fil(
    path: str | Path,
    udtraek: str | Path | None = None,
    month: date | None = None,
    overwrite: bool = False,
    extract: Extract | None = None,
    when: datetime | None = None,
    user: str | None = None,
    allow_old: bool = False,
) -> tuple[OpdaterPlan, Path | None]:
    """Run Opdater on a workbook file; returns the plan and the backup's path.

    Any error (extract, template, stale extract, locked or unreadable workbook) is raised
    before the file is touched; the lock is held from reading to saving."""
    from xlstatus.udtraek.laes import read_extract

    with Arbejdsbog(Path(path)) as book:
        if extract is None:
            needed = book.needed_tables()
            where = extract_location(Path(path), udtraek, book)
            extract = read_extract(where, set(needed), needed)
        plan = book.opdater(
            extract, month or month_start(date.today()), overwrite, when, user, allow_old
        )
        backup = book.save()
    return plan, backup


def opdater_fil_maaneder(
    path: str | Path,
    fra: date,
    til: date | None = None,
    udtraek: str | Path | None = None,
    overwrite: bool = False,
    when: datetime | None = None,
    user: str | None = None,
    allow_old: bool = False,
) -> tuple[list[OpdaterPlan], Path | None]:
    """Opdater every month from `fra` to `til` (default: this month) in one pass: one read
    of the extract, one save, the lock held throughout. Raises before the file is touched,
    like `opdater_fil`."""
    from xlstatus.udtraek.laes import read_extract

    til = month_start(til or date.today())
    if month_start(fra) > til:
        raise WorkbookError(
            f"--fra ({fra:%Y-%m}) ligger efter --maaned ({til:%Y-%m}). Intet er ændret."
        )
    with Arbejdsbog(Path(path)) as book:
        needed = book.needed_tables()
        extract = read_extract(extract_location(Path(path), udtraek, book), set(needed), needed)
        plans = book.opdater_maaneder(
            extract, month_range(fra, til), overwrite, when, user, allow_old=allow_old
        )
        backup = book.save()
    return plans, backup


def indlaes_fil(
    path: str | Path,
    kilder: list[Path],
    udtraek: str | Path | None = None,
    month: date | None = None,
) -> tuple[str, Path | None]:
    """`xlstatus sammenligning indlaes`: the Sammenligning sheet of a workbook file from
    `kilder`, with the own FACIT column when an extract is given (or named on
    Indstillinger). Raises before the file is touched; saved atomically."""
    from xlstatus.udtraek.laes import read_extract

    with Arbejdsbog(Path(path)) as book:
        extract = None
        if udtraek or book.view().settings.udtraek:
            where = extract_location(Path(path), udtraek, book)
            extract = read_extract(where, {"forloeb"}, {"forloeb": "Sammenligning: egne tal"})
        line = book.indlaes_sammenligning(kilder, extract, month or month_start(date.today()))
        backup = book.save()
    return line, backup
