"""Column headings: which heading words name which column role, and where the heading row is.

``heading_role`` maps a heading (取組内容, 関係部門, 担当課, 概要, 実施時期, 開始日 …) to a
role among :data:`ROLES`, by exact synonyms first and then by the words it contains;
``column_roles`` reads the roles of a sheet's columns from its heading rows; the header-row
helpers find a list's heading row or the heading row above hand-picked time columns.
Card layouts' key cells (概要 | text) have their own table, :data:`KEY_ROLES`.
"""

from __future__ import annotations

from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.io.xlsx.read.words import norm

__all__ = ["ROLES", "heading_role", "is_heading_word", "KEY_ROLES", "key_role", "column_roles", "find_list_header",
           "guess_header_row"]


ROLES = ("name", "summary", "departments", "pillar", "no", "notes", "priority", "kpi", "status", "start", "end", "period",
         "ignore")


_EXACT = {
    "name": ("取組内容", "取組", "取り組み", "取組み", "取組事項", "取組項目", "施策", "施策名", "事業", "事業名", "項目",
             "施策・取組", "施策取組", "主な取組", "主な取り組み", "具体的な取組", "具体的取組", "取組名", "実施内容",
             "タスク", "task", "作業", "作業内容", "作業項目", "工程", "工程名", "タスク名", "名称", "内容・項目",
             "取組の内容", "主な事業", "個別施策", "施策の内容", "アクション", "手段"),
    "summary": ("概要", "内容", "説明", "取組概要", "事業概要", "施策概要", "目指す方向性", "方向性", "詳細", "取組の概要",
                "概要・目的", "目的"),
    "departments": ("関係部門", "担当課", "主な担当課", "所管課", "担当", "担当部署", "担当部局", "関係課", "主管課",
                    "関係課等", "担当部門", "所管", "所管部署", "実施主体", "担当者", "責任者", "担当課等", "推進体制",
                    "関係部署", "主担当"),
    "pillar": ("基本方針", "分野", "目線", "柱", "施策の柱", "基本目標", "重点分野", "方針", "区分", "カテゴリ",
               "大項目", "視点", "取組分野", "施策分野", "基本施策", "政策", "分類"),
    "no": ("no", "no.", "番号", "項番", "#", "通番", "№", "番"),
    "notes": ("備考", "特記事項", "メモ", "注記", "補足", "備考欄"),
    "priority": ("重点", "重点取組", "重点取組事項", "重点項目"),
    "kpi": ("kpi", "目標", "指標", "成果指標", "目標値", "kpi(目標)"),
    "status": ("状況", "進捗", "ステータス", "進捗状況", "status"),
    "period": ("実施時期", "実施期間", "実施年度", "取組期間", "スケジュール", "予定時期", "実施予定", "実施予定時期",
               "期間", "時期", "実施スケジュール", "取組時期"),
    "start": ("開始日", "開始", "開始予定", "開始予定日", "着手", "着手日", "start", "startdate", "予定開始日", "開始時期",
              "始予定", "予定開始", "開始予定月", "開始年月", "開始月", "着手時期", "着手予定", "着工日", "着工予定日",
              "startday", "開始日(予定)", "予定(開始)", "始期"),
    "end": ("終了日", "終了", "終了予定", "終了予定日", "完了", "完了予定", "完了日", "end", "enddate", "予定終了日",
            "終了時期", "期限", "終予定", "予定終了", "終了予定月", "終了年月", "終了月", "完了時期", "最終日", "締切",
            "endday", "終了日(予定)", "予定(終了)", "完了予定日", "finish", "finishdate", "完了時期(予定)", "終期"),
}


_EXACT_LOOKUP = {norm(w).lower(): role for role, words in _EXACT.items() for w in words}


_CONTAINS = (
    ("no", ("no.",)),
    ("priority", ("重点取組事項",)),
    ("departments", ("担当", "所管", "部門", "部署", "主管")),
    ("pillar", ("基本方針", "目線", "施策の柱", "基本目標")),
    ("notes", ("備考",)),
    ("kpi", ("kpi", "指標")),
    ("summary", ("概要",)),
    ("name", ("取組", "取り組", "施策", "事業", "項目", "タスク", "task")),
    ("summary", ("内容", "説明", "方向性")),
    ("pillar", ("分野",)),
)


def heading_role(text: str) -> str | None:
    """The role a column heading names (``name``, ``departments`` …), or ``None``."""
    t = norm(text).lower().strip(":：・")
    if not t or len(t) > 20:
        return None
    role = _EXACT_LOOKUP.get(t)
    if role:
        return role
    for role, words in _CONTAINS:
        if any(w in t for w in words):
            return role
    return None


def is_heading_word(text: str) -> str | None:
    """The role when ``text`` is exactly a heading word (タスク, 取組, 担当 …), else ``None``."""
    return _EXACT_LOOKUP.get(norm(text).lower().strip(":：・"))


# Keys of key/value rows in card layouts (概要 | text).
KEY_ROLES = {
    "概要": "summary", "内容": "summary", "取組概要": "summary", "事業概要": "summary", "目的": "summary",
    "担当": "departments", "担当課": "departments", "関係部門": "departments", "所管課": "departments",
    "主な担当課": "departments", "担当部署": "departments", "関係課": "departments", "所管": "departments",
    "目標": "kpi", "kpi": "kpi", "指標": "kpi", "成果指標": "kpi",
    "よくなる点": "notes", "効果": "notes", "期待される効果": "notes", "備考": "notes", "課題": "notes",
    "現状と課題": "notes", "現状": "notes", "重点取組事項": "priority",
}


def key_role(text: str) -> str | None:
    """The role of a card's key cell (概要 → summary, 担当 → departments, よくなる点 → notes)."""
    t = norm(text).lower().strip(":：")
    return KEY_ROLES.get(t)


# ------------------------------------------------------------------ heading rows

def column_roles(grid: SheetGrid, rows: list[int], time_cols: set[int]) -> dict[int, str]:
    """Roles of the non-time columns, read from the headings on ``rows`` (first recognised wins)."""
    roles: dict[int, str] = {}
    cols = set()
    for r in rows:
        for c in grid.row_cells(r):
            cols.add(c)
        for m in grid.merges:
            if m.min_row <= r <= m.max_row and (m.min_row, m.min_col) in grid.values:
                cols.add(m.min_col)
    for c in sorted(cols):
        if c in time_cols or c in grid.hidden_cols:
            continue
        for r in rows:
            origin = grid.origin(r, c)
            if origin[1] != c:
                continue
            role = heading_role(as_text(grid.values.get(origin)))
            if role:
                roles[c] = role
                break
    # one name column: the first; a second one is a summary-like column
    names = [c for c, r in roles.items() if r == "name"]
    for c in names[1:]:
        roles[c] = "summary" if "summary" not in roles.values() else "ignore"
    return roles


def find_list_header(grid: SheetGrid, max_row: int = 40) -> tuple[int, dict[int, str]] | None:
    """A heading row naming an initiative column and at least one other known column."""
    best = None
    for r in range(1, min(grid.max_row, max_row) + 1):
        texts = grid.row_cells(r)
        if len(texts) < 2:
            continue
        roles = column_roles(grid, [r], set())
        if "name" in roles.values() and len(roles) >= 2:
            score = len(roles)
            if best is None or score > best[0]:
                best = (score, r, roles)
            if score >= 3:
                break
    return (best[1], best[2]) if best else None


def guess_header_row(g: SheetGrid, cols: list[int]) -> int:
    """The first row with a value in one of ``cols`` (1 when none): the heading row of hand-picked time columns."""
    for r in sorted({r for r, _ in g.values}):
        if any(c in cols for c in g.row_cells(r)):
            return r
    return 1
