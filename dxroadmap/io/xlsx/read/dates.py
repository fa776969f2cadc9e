"""Dates in roadmap cells: fiscal years, era months, periods and real date cells, each rule written once.

Fiscal-year headings (令和5年度, Ｒ５, 2023年度, 5年度 in the era the sheet writes, dates or
serials shown with a 年度 format), date cells (a datetime, or a serial with a date format),
months in text (令和6年7月, 2024/7, 2024-07-15), 実施時期 periods (令和6年度～令和8年度,
R6～R8, 令和6年度以降) and plan periods written above a table (対象期間：令和6年度～令和10年度).
Era words themselves are parsed by :mod:`dxroadmap.model.wareki`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.model.fiscal import fiscal_year_of, fy_first_month, fy_last_month, month_index
from dxroadmap.model.wareki import normalize, parse_era_month, parse_fiscal_period, parse_fiscal_year, parse_month_bound

__all__ = ["EXCEL_EPOCH", "YEARISH", "serial_to_date", "year_of_cell", "date_of_cell", "month_of_value",
           "period_of_text", "period_from_text"]


EXCEL_EPOCH = _dt.datetime(1899, 12, 30)


YEARISH = re.compile(r"[0-9０-９元]")  # a year is written with digits (or 元)


_ERALESS = re.compile(r"^(元|\d{1,2})年度$")


def _era_hint(grid: SheetGrid) -> str:
    hint = getattr(grid, "_era_hint", None)
    if hint is None:
        texts = [v for v in grid.values.values() if isinstance(v, str)]
        heisei = any("平成" in t for t in texts)
        reiwa = any("令和" in t for t in texts)
        hint = grid._era_hint = "平成" if heisei and not reiwa else "令和"
    return hint


def serial_to_date(v: float) -> _dt.datetime | None:
    """The date an Excel serial number (days since 1899-12-30) stands for; None outside Excel's dates."""
    if not 1 <= v <= 2958465:
        return None
    try:
        return EXCEL_EPOCH + _dt.timedelta(days=float(v))
    except OverflowError:
        return None


def year_of_cell(grid: SheetGrid, r: int, c: int) -> int | None:
    """The fiscal year a header cell names, or ``None``."""
    v = grid.raw(r, c)
    if v is None:
        return None
    if isinstance(v, str):
        if len(v) > 24 or not YEARISH.search(v):
            return None
        fy = parse_fiscal_year(v)
        if fy is None:
            m = _ERALESS.match(normalize(v))
            if m:  # 5年度, ６年度: the era the sheet writes elsewhere (令和 unless only 平成 appears)
                n = 1 if m.group(1) == "元" else int(m.group(1))
                return (1988 if _era_hint(grid) == "平成" else 2018) + n if 1 <= n <= 64 else None
        return fy
    if isinstance(v, bool):
        return None
    fmt = grid.number_format(r, c) if grid.formats.get((r, c)) else "General"
    if isinstance(v, (_dt.datetime, _dt.date)):
        if "年度" in fmt:
            return v.year if v.month >= 4 or "ggg" in fmt or "e" in fmt.replace('"', "") else v.year - 1
        return None
    if isinstance(v, (int, float)):
        if "年度" in fmt or "ggg" in fmt:
            d = serial_to_date(v)
            return d.year if d else None  # the displayed era/Western year of that date
        if float(v).is_integer() and 1950 <= v <= 2150:
            return int(v)
    return None


def date_of_cell(grid: SheetGrid, r: int, c: int) -> _dt.datetime | None:
    """The date a cell holds: a date value, or a serial number shown with a date format (not a 年度 format)."""
    v = grid.raw(r, c)
    if isinstance(v, _dt.datetime):
        return v if v.year >= 1950 else None
    if isinstance(v, _dt.date):
        return _dt.datetime(v.year, v.month, v.day) if v.year >= 1950 else None
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 18000 <= v <= 80000:
        fmt = grid.number_format(r, c)
        if fmt != "General" and re.search(r"[dy]", fmt.lower()) and "年度" not in fmt:
            return serial_to_date(v)
    return None


def month_of_value(v: Any, end: bool = False) -> int | None:
    """The month of a date cell: a datetime, a serial shown as a number, or text in any form
    :func:`~dxroadmap.model.wareki.parse_month_bound` reads (2024/7, 令和6年7月, R6.4, 令和7年度,
    令和8年度末, 令和6年度上半期 …); with ``end``, a whole fiscal year or half gives its last month."""
    if isinstance(v, (_dt.datetime, _dt.date)):
        return month_index(v.year, v.month) if 1950 <= v.year <= 2150 else None
    if isinstance(v, str):
        return parse_month_bound(v.strip(), end=end)
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 20000 <= v <= 80000:
        d = EXCEL_EPOCH + _dt.timedelta(days=float(v))  # a date serial shown as a number
        return month_index(d.year, d.month)
    return None


_PERIOD_SPLIT = re.compile(r"\s*(?:～|〜|~|－|−|―|–|—|-|から|ｰ)\s*")


_OPEN_END = re.compile(r"(?:以降|から|～|〜|~|－|-)\s*$")


def period_of_text(text: str) -> tuple[int, int | None] | None:
    """(first month, last month or None when open-ended) of a 実施時期 text.

    令和6年度～令和8年度, R6～R8, 2024年度, 令和6年7月～令和7年3月, 令和6年度以降, 令和6年度～.
    """
    t = (text or "").strip().replace("\n", "")
    if not t or len(t) > 40:
        return None
    open_end = bool(_OPEN_END.search(t))
    t = re.sub(r"(?:以降|から)$", "", t).strip()
    parts = [p for p in _PERIOD_SPLIT.split(t) if p]
    if not parts or len(parts) > 2:
        return None

    def first(p: str) -> int | None:
        m = parse_month_bound(p)
        if m is not None:
            return m
        fy = parse_fiscal_year(p)
        return fy_first_month(fy) if fy is not None else None

    def last(p: str) -> int | None:
        m = parse_month_bound(p, end=True)
        if m is not None:
            return m
        fy = parse_fiscal_year(p)
        return fy_last_month(fy) if fy is not None else None

    a = first(parts[0])
    if a is None:
        return None
    if len(parts) == 2:
        b = last(parts[1])
        return (a, b) if b is not None and b >= a else None
    if open_end:
        return a, None
    return a, last(parts[0])


_PERIOD_FY = re.compile(r"((?:令和|平成|R|H|Ｒ|Ｈ)\s*[0-9０-９元]{1,2}\s*年度|[0-9０-９]{4}\s*年度)\s*[～〜~\-－ー―から]+\s*"
                        r"((?:令和|平成|R|H|Ｒ|Ｈ)\s*[0-9０-９元]{1,2}\s*年度|[0-9０-９]{4}\s*年度)")


_PERIOD_MONTH = re.compile(r"((?:令和|平成)\s*[0-9０-９元]{1,2}\s*年\s*[0-9０-９]{1,2}\s*月|[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月)"
                           r"\s*[～〜~\-－ー―から]+\s*"
                           r"((?:令和|平成)\s*[0-9０-９元]{1,2}\s*年\s*[0-9０-９]{1,2}\s*月|[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月)")


def period_from_text(g: SheetGrid, before_row: int) -> tuple[int, int] | None:
    """A period written as text (対象期間：令和6年度～令和10年度, 令和5年4月～令和10年3月) above a table."""
    for (r, c) in sorted(g.values):
        if r >= before_row:
            break
        t = as_text(g.values[(r, c)])
        if len(t) <= 120:
            period = parse_fiscal_period(t)
            if period is not None:
                return period
        m = _PERIOD_FY.search(t)
        if m:
            a, b = parse_fiscal_year(m.group(1)), parse_fiscal_year(m.group(2))
            if a and b and a <= b:
                return a, b
        m = _PERIOD_MONTH.search(t)
        if m:
            a, b = parse_era_month(m.group(1)), parse_era_month(m.group(2))
            if a is not None and b is not None and a <= b:
                return fiscal_year_of(a), fiscal_year_of(b)
    return None
