"""The file route's part of issue #12 in an Opdater run: make sure the Overblik and
Vandringer sheets are there, and compute what the plan needs besides month M."""

from __future__ import annotations

from datetime import date

from openpyxl.workbook.workbook import Workbook

from xlstatus.arbejdsbog.analyseark import ensure_analysis_sheets
from xlstatus.arbejdsbog.overblik import computed_history
from xlstatus.arbejdsbog.plan import Analyser, WorkbookView
from xlstatus.arbejdsbog.vandringer import groups_for
from xlstatus.kerne.analyser import vandringer
from xlstatus.kerne.model import Extract
from xlstatus.kerne.skema import Schema


def analyse_sheets(wb: Workbook, view: WorkbookView, extract: Extract, schemas: list[Schema],
                   month: date, all_schemas: list[Schema]) -> Analyser:  # fmt: skip
    """Add/lay out the analysis sheets (openpyxl) and return the plan's extra inputs:
    the vandringer of M for the listed groups and the prognoses' missing months."""
    settings = view.settings
    groups = groups_for(settings.vandringer, all_schemas)
    ensure_analysis_sheets(wb, groups)
    view.sheet_names = tuple(wb.sheetnames)
    v = vandringer(extract, month, settings.maaledag, maalgrupper=groups)
    history = computed_history(extract, schemas, view.data, month, settings.maaledag,
                               settings.tolerance)  # fmt: skip
    return Analyser(v, groups, history)


__all__ = ["analyse_sheets"]
