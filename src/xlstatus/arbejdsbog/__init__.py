"""The statusskema workbook file: the openpyxl adapter of the plan (`xlstatus.plan`).

- `fil`        — read a file into a `WorkbookView`, apply an `OpdaterPlan` to it;
- `gem`        — locks and atomic saving;
- `kolonner`   — inserting a month column (formulas, merges, conditional formats);
- `sider`      — the one page setup (the workbook's sheets and the committee copy);
- `bygger`     — a new workbook from the templates;
- `analyseark` — the Overblik and Vandringer sheets' frames and charts;
- `maaltal`    — the Måltal sheet and the price settings on Indstillinger;
- `analyse`, `opdater` — one Opdater run on a file.
"""
