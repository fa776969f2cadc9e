"""The roadmap's heading: one rule for the title printed on the sheet, the PDF and the workbook."""

from __future__ import annotations

from dxroadmap.model.plan import Plan

__all__ = ["DEFAULT_TITLE", "sheet_title"]

DEFAULT_TITLE = "DX推進計画"
_ROADMAP_WORDS = ("ロードマップ", "工程表")


def sheet_title(plan: Plan) -> str:
    """The plan title, saying ロードマップ as the source plans' tables do (工程表 counts too)."""
    title = plan.title.strip() or DEFAULT_TITLE
    return title if any(word in title for word in _ROADMAP_WORDS) else f"{title} ロードマップ"
