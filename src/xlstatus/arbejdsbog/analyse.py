"""The file route's part of issue #12 in an Opdater run: make sure the Overblik and
Vandringer sheets are there (openpyxl), then compute what the plan needs besides month M."""

from __future__ import annotations

from datetime import date

from openpyxl.workbook.workbook import Workbook

from xlstatus.arbejdsbog.analyseark import ensure_analysis_sheets
from xlstatus.kerne.model import Extract
from xlstatus.kerne.skema import Schema
from xlstatus.plan.data import Analyser, WorkbookView
from xlstatus.plan.overblik import analyser_inputs
from xlstatus.plan.vandringer import groups_for


def analyse_sheets(
    wb: Workbook,
    view: WorkbookView,
    extract: Extract,
    schemas: list[Schema],
    month: date,
    all_schemas: list[Schema],
) -> Analyser:
    """Add/lay out the analysis sheets and return the plan's extra inputs."""
    ensure_analysis_sheets(wb, groups_for(view.settings.vandringer, all_schemas))
    view.sheet_names = tuple(wb.sheetnames)
    return analyser_inputs(view, extract, schemas, month, all_schemas)


__all__ = ["analyse_sheets"]
