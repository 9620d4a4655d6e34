"""One Opdater run's facts, pure: what the Log records (`run_info`) and the refusal of a
forgotten, old extract (`check_extract_age`). Every front end calls these; who runs it
(the user name) is the front end's to find out.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from xlstatus.kerne.errors import WorkbookError, mask_cpr
from xlstatus.kerne.indikatorer import future_warnings
from xlstatus.kerne.model import Extract
from xlstatus.kerne.tid import add_months, maaledato, month_label, month_start
from xlstatus.plan.data import RunInfo

OLD_EXTRACT_HINT = (
    "brug --tillad-gammelt-udtraek på kommandolinjen, eller skriv Ja ud for "
    "'Tillad gammelt udtræk' på arket Indstillinger"
)


def check_extract_age(
    extract: Extract, month: date, maaledag: int, allow: bool = False, hint: str = OLD_EXTRACT_HINT
) -> None:
    """A WorkbookError when month M's måledato lies more than one calendar month after the
    extract's data date (its newest date): a forgotten, old extract. Earlier months (the
    demo, backfills) are never stale. A month before the extract's data is refused always
    (indikatorer.md: "No data, no figures")."""
    from xlstatus.kerne.indikatorer import check_has_data

    check_has_data(extract, month, maaledag)
    if allow or extract.data_date is None:
        return
    newest = extract.data_date.date()
    day = maaledato(month_start(month), maaledag)
    if day <= add_months(newest, 1):
        return
    raise WorkbookError(
        f"Udtrækket er for gammelt til {month_label(month)}: dets seneste dato er "
        f"{newest:%d-%m-%Y}, men måledatoen er {day:%d-%m-%Y} – mere end en måned senere. "
        f"Intet er ændret. Hent et nyt udtræk fra FACIT, eller – hvis det gamle udtræk "
        f"virkelig skal bruges – {hint}."
    )


def content_hash(extract: Extract) -> str:
    """SHA-256 over the extract files' own SHA-256 hashes (first 16 hex digits)."""
    text = "\n".join(f"{s.name}:{s.sha256}" for s in sorted(extract.sources, key=lambda s: s.name))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def run_info(
    extract: Extract,
    month: date,
    maaledag: int,
    when: datetime | None = None,
    user: str = "ukendt",
) -> RunInfo:
    """Facts about the run for the Log (no personal data: CPR numbers are masked)."""
    found = [*extract.warnings, *future_warnings(extract, month, maaledag)]
    warnings = [mask_cpr(str(w)) for w in found]
    data_date = extract.data_date
    return RunInfo(
        when=when or datetime.now(),
        user=user,
        files=tuple(s.name for s in extract.sources),
        content_hash=content_hash(extract),
        rows_read=extract.rows_read,
        warnings=tuple(warnings),
        data_date=data_date.date() if data_date is not None else None,
    )
