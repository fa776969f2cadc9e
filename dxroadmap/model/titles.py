"""The roadmap's heading: one rule for the title printed on the sheet, the PDF and the workbook.

Imported titles often end in the plan period — 「松前町DX推進計画（令和5年度～令和9年度）」 —
which the printed sheet states anyway under its title; :func:`title_without_period`
drops it so the heading does not say it twice.
"""

from __future__ import annotations

import re

from dxroadmap.model.plan import Plan
from dxroadmap.model.wareki import parse_fiscal_year

__all__ = ["DEFAULT_TITLE", "sheet_title", "title_without_period"]

DEFAULT_TITLE = "DX推進計画"
_ROADMAP_WORDS = ("ロードマップ", "工程表")

_YEAR = r"[^\s（()）\[\]【】［］〔〕～〜~\-–—ー－から]{2,12}"
_SPAN = rf"(?:計画期間[:：]?\s*)?({_YEAR})\s*(?:～|〜|~|-|–|—|－|ー|から)\s*({_YEAR}?)(?:まで)?"
_TRAILING_PERIOD = re.compile(
    rf"\s*(?:[（(]\s*{_SPAN}\s*[)）]|[【\[［〔]\s*{_SPAN}\s*[】\]］〕]|\s+{_SPAN})\s*$")


def sheet_title(plan: Plan) -> str:
    """The plan title, saying ロードマップ as the source plans' tables do (工程表 counts too)."""
    title = plan.title.strip() or DEFAULT_TITLE
    return title if any(word in title for word in _ROADMAP_WORDS) else f"{title} ロードマップ"


def title_without_period(title: str, start_fy: int | None = None, end_fy: int | None = None) -> str:
    """``title`` without a trailing plan period: 「松前町DX推進計画（令和5年度～令和9年度）」 → 「松前町DX推進計画」.

    The period must name two fiscal years (any form :func:`parse_fiscal_year` reads, 計画期間：
    allowed in front); with ``start_fy``/``end_fy`` given, they must be those years. Anything
    else in brackets — 「（第2期）」, 「（案）」 — and a title that is only a period stay as written.
    """
    match = _TRAILING_PERIOD.search(title)
    if not match:
        return title
    years = [g for g in match.groups() if g is not None]
    first, last = (parse_fiscal_year(y) for y in years[:2])
    if first is None or last is None or first > last:
        return title
    if start_fy is not None and end_fy is not None and (first, last) != (start_fy, end_fy):
        return title
    rest = title[:match.start()].rstrip()
    return rest or title
