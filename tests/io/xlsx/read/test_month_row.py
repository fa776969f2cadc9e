"""A month row whose fiscal year is written only in the title, a period line or the sheet name."""

from __future__ import annotations

import openpyxl

from dxroadmap.io.xlsx.read.month_row import fiscal_year_outside_grid, month_row_axes
from dxroadmap.io.xlsx.read.workbook import WorkbookReader
from dxroadmap.model.fiscal import format_ym

MONTHS = [f"{(k + 3) % 12 + 1}月" for k in range(12)]


def _grid(tmp_path, build, title="Sheet"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    build(ws)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    reader = WorkbookReader(path)
    return reader.grid(title)


def _months(axis):
    return [(t.col, format_ym(t.start)) for t in axis.cols]


def test_title_gives_the_year_and_january_falls_in_the_next_calendar_year(tmp_path):
    def build(ws):
        ws["A1"] = "令和6年度 DX推進 年間スケジュール"
        ws.append([])
        ws.append(["取組", "担当", *MONTHS])
    g = _grid(tmp_path, build)
    axes, why = month_row_axes(g)
    assert len(axes) == 1 and "2024" in why and "title" in why
    cols = _months(axes[0])
    assert cols[0] == (3, "2024-04") and cols[8] == (11, "2024-12") and cols[9] == (12, "2025-01") and cols[-1] == (14, "2025-03")
    assert axes[0].granularity == "month" and axes[0].header_rows == [3]


def test_sheet_name_gives_the_year_and_every_week_column_is_on_the_axis(tmp_path):
    def build(ws):
        ws["A1"] = "年間スケジュール"
        ws.cell(3, 1, "取組")
        for k, month in enumerate(MONTHS):
            col = 2 + 4 * k
            ws.cell(3, col, month)
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + 3)
            for w in range(4):
                ws.cell(4, col + w, f"{w + 1}週")
    g = _grid(tmp_path, build, title="R7年度")
    axes, why = month_row_axes(g)
    assert "sheet name" in why
    axis = axes[0]
    assert len(axis.cols) == 48 and axis.granularity == "week" and axis.header_rows == [3, 4]
    assert [format_ym(t.start) for t in axis.cols[:5]] == ["2025-04"] * 4 + ["2025-05"]
    assert format_ym(axis.cols[-1].start) == "2026-03"


def test_unmerged_months_over_jun_columns(tmp_path):
    def build(ws):
        ws["A1"] = "計画期間：令和5（2023）年度"
        ws.cell(3, 1, "取組")
        for k, month in enumerate(MONTHS):
            ws.cell(3, 2 + 3 * k, month)
            for j, word in enumerate(("上旬", "中旬", "下旬")):
                ws.cell(4, 2 + 3 * k + j, word)
    g = _grid(tmp_path, build)
    axis = month_row_axes(g)[0][0]
    assert len(axis.cols) == 36 and {format_ym(t.start) for t in axis.cols[3:6]} == {"2023-05"}


def test_no_year_anywhere_gives_no_axis_and_says_why(tmp_path):
    def build(ws):
        ws["A1"] = "年間スケジュール"
        ws.append([])
        ws.append(["取組", *MONTHS])
    g = _grid(tmp_path, build)
    axes, why = month_row_axes(g)
    assert axes == [] and "no fiscal year" in why


def test_a_multi_year_period_line_is_not_a_single_year(tmp_path):
    def build(ws):
        ws["A1"] = "計画期間：令和6年度～令和10年度"
        ws.append([])
        ws.append(["取組", *MONTHS])
    g = _grid(tmp_path, build)
    assert fiscal_year_outside_grid(g, 3) is None
