"""Fiscal calendar: months as integers, Japanese fiscal years (April–March).

A *month index* is ``year * 12 + (month - 1)``: consecutive calendar months are
consecutive integers, so moving a bar by N months is plain addition. Fiscal year N
(the Western year in which it starts) runs from April of N to March of N+1.
"""

from __future__ import annotations

import re

__all__ = [
    "month_index",
    "year_month",
    "fiscal_year_of",
    "fy_first_month",
    "fy_last_month",
    "fy_months",
    "format_ym",
    "parse_ym",
    "fiscal_month_number",
    "quarter_of",
]


def month_index(year: int, month: int) -> int:
    """The month index of calendar ``year``/``month`` (month 1–12)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    return year * 12 + (month - 1)


def year_month(m: int) -> tuple[int, int]:
    """The calendar (year, month) of a month index."""
    return m // 12, m % 12 + 1


def fiscal_year_of(m: int) -> int:
    """The fiscal year (Western start year) that month index ``m`` belongs to."""
    y, mo = year_month(m)
    return y if mo >= 4 else y - 1


def fy_first_month(fy: int) -> int:
    """Month index of April of fiscal year ``fy``."""
    return month_index(fy, 4)


def fy_last_month(fy: int) -> int:
    """Month index of March closing fiscal year ``fy``."""
    return month_index(fy + 1, 3)


def fy_months(fy: int) -> range:
    """The twelve month indexes of fiscal year ``fy``."""
    first = fy_first_month(fy)
    return range(first, first + 12)


def fiscal_month_number(m: int) -> int:
    """Position of the month within its fiscal year: April = 1 … March = 12."""
    return (year_month(m)[1] - 4) % 12 + 1


def quarter_of(m: int) -> int:
    """Fiscal quarter 1–4 of month index ``m`` (Q1 = April–June)."""
    return (fiscal_month_number(m) - 1) // 3 + 1


_YM_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def format_ym(m: int) -> str:
    """``"YYYY-MM"`` as the JSON contract writes months."""
    y, mo = year_month(m)
    return f"{y:04d}-{mo:02d}"


def parse_ym(text: str) -> int:
    """Parse ``"YYYY-MM"`` into a month index; ``ValueError`` if it is not one."""
    match = _YM_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"not a month of the form YYYY-MM: {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range in {text!r}")
    return month_index(year, month)
