"""The time axis found on literal sheets: fiscal-year headers in every spelling, months, quarters, halves."""

from __future__ import annotations

import pytest

from dxroadmap.io.xlsx.read.axis import find_axes
from dxroadmap.model.fiscal import fy_first_month, fy_last_month, month_index

from .literal import literal_grid

MONTHS = ["4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月", "3月"]


def _years(axis) -> list[tuple[int, int, int]]:
    return [(t.col, t.start, t.end) for t in axis.cols]


@pytest.mark.parametrize("heads", [
    ["令和5年度", "令和6年度", "令和7年度"],
    ["R5", "R6", "R7"],
    ["Ｒ５", "Ｒ６", "Ｒ７"],
    ["2023年度", "2024年度", "2025年度"],
    ["FY2023", "FY2024", "FY2025"],
    ["2023", "2024", "2025"],
])
def test_a_row_of_fiscal_years_is_a_yearly_axis(heads):
    grid = literal_grid([["取組", "担当", *heads], ["電子申請", "総務課", "●", None, None]])
    [axis] = find_axes(grid)
    assert axis.granularity == "year"
    assert axis.year_row == 1 and axis.sub_row is None
    assert _years(axis) == [(3 + i, fy_first_month(fy), fy_last_month(fy)) for i, fy in enumerate((2023, 2024, 2025))]


def test_a_month_row_under_a_merged_year_is_a_monthly_axis():
    grid = literal_grid([["取組", "担当", "令和6年度", *[None] * 11], [None, None, *MONTHS], ["電子申請", "総務課", "■"]],
                        merges=["C1:N1"])
    [axis] = find_axes(grid)
    assert axis.granularity == "month"
    assert (axis.year_row, axis.sub_row) == (1, 2)
    assert [(t.start, t.end) for t in axis.cols] == [(month_index(2024, 4) + i,) * 2 for i in range(12)]
    assert axis.first_col == 3 and axis.last_col == 14


@pytest.mark.parametrize("quarters", [["Q1", "Q2", "Q3", "Q4"], ["4-6月", "7-9月", "10-12月", "1-3月"]])
def test_a_quarter_row_under_merged_years_is_a_quarterly_axis(quarters):
    grid = literal_grid([["取組", "担当", "令和6年度", None, None, None, "令和7年度", None, None, None],
                         [None, None, *quarters, *quarters], ["電子申請", "総務課", "■"]],
                        merges=["C1:F1", "G1:J1"])
    [axis] = find_axes(grid)
    assert axis.granularity == "quarter"
    first = month_index(2024, 4)
    assert [(t.start, t.end) for t in axis.cols] == [(first + 3 * i, first + 3 * i + 2) for i in range(8)]


def test_a_half_year_row_is_a_half_axis():
    grid = literal_grid([["取組", "担当", "令和6年度", None], [None, None, "上期", "下期"], ["電子申請", "総務課", "■"]],
                        merges=["C1:D1"])
    [axis] = find_axes(grid)
    assert axis.granularity == "half"
    assert [(t.start, t.end) for t in axis.cols] == [(month_index(2024, 4), month_index(2024, 9)),
                                                      (month_index(2024, 10), month_index(2025, 3))]


def test_a_row_of_calendar_months_is_a_monthly_axis():
    grid = literal_grid([["取組", "担当", "2024年4月", "2024年5月", "2024年6月"], ["電子申請", "総務課", "■"]])
    [axis] = find_axes(grid)
    assert axis.granularity == "month" and axis.sub_row is None
    assert [(t.col, t.start) for t in axis.cols] == [(3, month_index(2024, 4)), (4, month_index(2024, 5)),
                                                     (5, month_index(2024, 6))]


def test_a_sheet_without_years_has_no_axis():
    grid = literal_grid([["取組", "担当", "概要"], ["電子申請", "総務課", "オンライン化"]])
    assert find_axes(grid) == []
