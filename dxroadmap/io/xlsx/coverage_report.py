"""The 重点取組事項 coverage table as an Excel workbook: every national item and the initiatives serving it.

The rows come from :func:`dxroadmap.model.national.coverage_report`: every item of the
national plan version the plan follows (重点取組事項, 併せて取り組むべき事項, 任意に取り組む事項),
with the plan's initiatives tagged for it. An item no initiative serves says 未対応 in bold
on a shaded cell (so a greyscale print still shows it). Tags that name no item are listed
below the table. Printed landscape (A4 or A3), fitted to the page width.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.io.xlsx.export import PAPER_SIZES, sheet_text
from dxroadmap.model.national import COVERAGE_COLUMNS as COLUMNS
from dxroadmap.model.national import coverage_report
from dxroadmap.model.plan import Plan

__all__ = ["SHEET_NAME", "build_coverage_workbook", "write_coverage_workbook"]

SHEET_NAME = "重点取組事項"
_WIDTHS = (5, 16, 34, 60, 7, 10)
_FONT = "游ゴシック"
_SIZE = 9
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = "1F4E78"
_UNCOVERED_FILL = "F8CBAD"


def _put(ws: Any, row: int, col: int, text: str, *, bold: bool = False, size: float = _SIZE, color: str = "000000",
         fill: str | None = None, horizontal: str = "left", border: bool = True) -> None:
    cell = ws.cell(row, col)
    value = sheet_text(text) or None
    cell.value = value
    if value:
        cell.data_type = "s"
        if value.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True
    cell.font = Font(name=_FONT, size=size, bold=bold, color=color)
    cell.alignment = Alignment(horizontal=horizontal, vertical="top" if horizontal == "left" else "center", wrap_text=True)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if border:
        cell.border = _BORDER


def build_coverage_workbook(plan: Plan, *, paper: str = "A4") -> Workbook:
    """The openpyxl workbook of ``plan``'s coverage table."""
    if paper not in ("A4", "A3"):
        raise ValueError(f"paper must be A4 or A3, not {paper!r}")
    report = coverage_report(plan)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    wb.properties.title = sheet_text(report.title)[:255]
    wb.properties.creator = "dxroadmap"
    n = len(COLUMNS)
    for k, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(k)].width = width
    _put(ws, 1, 1, report.title, bold=True, size=14, border=False)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.row_dimensions[1].height = 24
    _put(ws, 2, 1, report.summary, size=10, border=False)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    header = 4
    for k, name in enumerate(COLUMNS, start=1):
        _put(ws, header, k, name, bold=True, color="FFFFFF", fill=_HEADER_FILL, horizontal="center")
    row = header + 1
    for cells, ok in report.table():
        for k, text in enumerate(cells, start=1):
            fill = None if ok or k not in (3, 6) else _UNCOVERED_FILL
            _put(ws, row, k, text, bold=(k == 6 and not ok) or k == 3, fill=fill,
                 horizontal="center" if k in (1, 5, 6) else "left")
        lines = max(1, cells[3].count("\n") + 1, len(cells[2]) // 17 + 1)
        ws.row_dimensions[row].height = round(min(lines * _SIZE * 1.4 + 5, 409.0), 1)
        row += 1
    last = row - 1
    if report.unknown:
        row += 1
        text = report.unknown_text
        _put(ws, row, 1, text, border=False)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        ws.row_dimensions[row].height = round(min((len(text) // 120 + 1) * _SIZE * 1.4 + 5, 409.0), 1)
        last = row
    ws.page_setup.paperSize = PAPER_SIZES[paper]
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_title_rows = f"{header}:{header}"
    ws.print_area = f"A1:{get_column_letter(n)}{last}"
    ws.freeze_panes = ws.cell(header + 1, 1).coordinate
    ws.oddFooter.center.text = "&P / &N"
    return wb


def write_coverage_workbook(plan: Plan, path: str | os.PathLike, *, paper: str = "A4") -> None:
    """Save the coverage table as ``.xlsx`` at ``path``, atomically (:class:`PlanWriteError` on failure)."""
    wb = build_coverage_workbook(plan, paper=paper)
    try:
        with atomic_path(path) as tmp:
            wb.save(tmp)
    except PlanWriteError:
        raise
    except OSError as exc:
        name = Path(path).name
        raise PlanWriteError("write-failed", f"Could not save {name} ({exc.strerror or exc}).",
                             f"{name} を保存できませんでした（{exc.strerror or exc}）。") from exc
