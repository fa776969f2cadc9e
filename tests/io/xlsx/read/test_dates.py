"""Date-like cell values: era months, calendar months, fiscal years in cells, periods, real date cells."""

from __future__ import annotations

import datetime as dt

import pytest

from dxroadmap.io.xlsx.read.dates import month_of_value, period_from_text, period_of_text, serial_to_date, year_of_cell
from dxroadmap.model.fiscal import month_index

from .literal import literal_grid


@pytest.mark.parametrize("value, year, month", [
    ("令和5年4月", 2023, 4), ("令和6年10月", 2024, 10), ("令和元年5月", 2019, 5), ("R6年4月", 2024, 4),
    ("2024年10月", 2024, 10), ("2025/7", 2025, 7), ("2024-07-15", 2024, 7), ("2024.4", 2024, 4),
    (dt.datetime(2024, 6, 1), 2024, 6), (dt.date(2025, 2, 28), 2025, 2),
    (45474, 2024, 7),                    # a date serial shown as a number (2024-07-01)
])
def test_month_of_value(value, year, month):
    assert month_of_value(value) == month_index(year, month)


@pytest.mark.parametrize("value, year, month", [("R6.4", 2024, 4), ("H31.4", 2019, 4)])
def test_month_of_dotted_era_abbreviation(value, year, month):
    assert month_of_value(value) == month_index(year, month)


@pytest.mark.parametrize("value", ["未定", "", None, True, 12, dt.datetime(1900, 1, 5), "2024/13"])
def test_values_that_are_no_month(value):
    assert month_of_value(value) is None


@pytest.mark.parametrize("text, first, last", [
    ("令和6年度～令和8年度", (2024, 4), (2027, 3)),
    ("R6～R8", (2024, 4), (2027, 3)),
    ("2024年度", (2024, 4), (2025, 3)),
    ("令和6年7月～令和7年3月", (2024, 7), (2025, 3)),
    ("令和6年度以降", (2024, 4), None),
    ("令和6年度～", (2024, 4), None),
])
def test_period_of_text(text, first, last):
    assert period_of_text(text) == (month_index(*first), month_index(*last) if last else None)


@pytest.mark.parametrize("text", ["随時", "令和8年度～令和6年度", ""])
def test_texts_that_are_no_period(text):
    assert period_of_text(text) is None


def test_fiscal_years_in_cells():
    grid = literal_grid([["令和5年度", "R6", "2025年度", "FY2026", 2027, "5年度", "取組"]])
    assert [year_of_cell(grid, 1, c) for c in range(1, 8)] == [2023, 2024, 2025, 2026, 2027, 2023, None]


def test_an_eraless_year_follows_the_era_the_sheet_writes():
    grid = literal_grid([["平成30年度の計画"], ["元年度", "2年度"]])
    assert [year_of_cell(grid, 2, c) for c in (1, 2)] == [1989, 1990]


def test_a_date_cell_formatted_as_a_fiscal_year():
    grid = literal_grid([[dt.datetime(2024, 4, 1), dt.datetime(2025, 1, 1), dt.datetime(2024, 4, 1)]],
                        formats={"A1": 'yyyy"年度"', "B1": 'yyyy"年度"', "C1": "yyyy/m/d"})
    assert [year_of_cell(grid, 1, c) for c in (1, 2, 3)] == [2024, 2024, None]


def test_serial_dates():
    assert serial_to_date(45474) == dt.datetime(2024, 7, 1)
    assert serial_to_date(0) is None and serial_to_date(3_000_000) is None


def test_period_written_above_a_table():
    grid = literal_grid([["対象期間：令和6年度～令和10年度"], ["取組", "担当"]])
    assert period_from_text(grid, 2) == (2024, 2028)
    grid = literal_grid([["計画期間 令和5年4月～令和8年3月"], ["取組", "担当"]])
    assert period_from_text(grid, 2) == (2023, 2025)   # 令和8年3月 is the last month of fiscal 2025
    assert period_from_text(grid, 1) is None      # only rows above ``before_row`` count
