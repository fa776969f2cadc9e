"""What a department survey workbook says, shared by the writer and the reader (no openpyxl here).

The words of the header (the reader finds the table by them), the status words and the
spec's status codes they stand for, the blocks that keep 実績 and 今後の方向性 inside an
initiative's notes, which initiatives go to which department, the quarters of the plan
period, and the survey's identity (plan title, round, fingerprint of the plan as sent).

Until the plan keeps progress per fiscal year, a survey's answers are stored in the
initiative itself: the status word in ``Initiative.status`` and 実績 / 今後の方向性 as
``【令和7年度実績】…`` and ``【今後の方向性】…`` blocks in ``Initiative.notes``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from dxroadmap.model.fiscal import fy_first_month
from dxroadmap.model.plan import Initiative, Plan
from dxroadmap.model.wareki import format_fiscal_year

__all__ = [
    "INFO_SHEET", "TABLE_SHEET", "SURVEY_JSON", "INFO_MARKER", "STATUS_CODES", "STATUS_WORDS", "HEAD",
    "Quarter", "quarters", "quarter_label", "SurveyRow", "department_plan", "department_rows", "departments_of",
    "plan_fingerprint", "get_block", "set_block", "actual_label", "NEXT_LABEL", "safe_file_name",
    "era_year_month",
]

SURVEY_JSON = "survey.json"  # the plan as sent, kept by the secretariat beside the surveys
TABLE_SHEET = "照会票"
INFO_SHEET = "dxroadmap_survey"
INFO_MARKER = "dxroadmap-survey"

# The status words a department picks from (the data-validation list), and the spec's codes.
STATUS_CODES: dict[str, str] = {
    "未着手": "not-started",
    "実施中": "in-progress",
    "完了": "done",
    "遅延": "delayed",
    "休止": "suspended",
}
STATUS_WORDS: dict[str, str] = {code: word for word, code in STATUS_CODES.items()}

# Header words: the reader finds each column by the word its header cell contains.
HEAD = {
    "id": "ID",
    "pillar": "基本方針",
    "name": "取組名",
    "departments": "関係部門",
    "schedule": "現在の工程",
    "status": "状況",
    "actual": "実績",
    "next": "今後の方向性",
    "new_start": "変更後の開始",
    "new_end": "変更後の終了",
    "remarks": "意見・要望",
}

NEXT_LABEL = "今後の方向性"


def actual_label(fy: int) -> str:
    """The block name of a year's 実績 in the notes: ``令和7年度実績``."""
    return f"{format_fiscal_year(fy)}実績"


def _block_re(label: str) -> re.Pattern:
    return re.compile(r"【" + re.escape(label) + r"】(.*?)(?=\n?【[^】\n]+】|\Z)", re.S)


def get_block(notes: str, label: str) -> str:
    """The text of block ``【label】…`` in ``notes`` ("" when there is none)."""
    match = _block_re(label).search(notes or "")
    return match.group(1).strip() if match else ""


def set_block(notes: str, label: str, text: str) -> str:
    """``notes`` with block ``【label】`` holding ``text`` (added at the end; removed when ``text`` is empty)."""
    notes = notes or ""
    text = text.strip()
    pattern = _block_re(label)
    if pattern.search(notes):
        new = pattern.sub(lambda _m: f"【{label}】{text}" if text else "", notes, count=1)
        return re.sub(r"\n{2,}", "\n", new).strip("\n")
    if not text:
        return notes
    return f"{notes}\n【{label}】{text}" if notes else f"【{label}】{text}"


@dataclass(frozen=True)
class Quarter:
    """A quarter of a fiscal year: months ``first``..``last`` (month indexes)."""

    fy: int
    q: int  # 1 (Apr–Jun) … 4 (Jan–Mar)

    @property
    def first(self) -> int:
        return fy_first_month(self.fy) + 3 * (self.q - 1)

    @property
    def last(self) -> int:
        return self.first + 2


_QUARTER_WORDS = ("4-6月", "7-9月", "10-12月", "1-3月")


def quarter_label(q: int) -> str:
    return _QUARTER_WORDS[q - 1]


def quarters(plan: Plan) -> list[Quarter]:
    """Every quarter of the plan period, in order."""
    return [Quarter(fy, q) for fy in range(plan.start_fy, plan.end_fy + 1) for q in (1, 2, 3, 4)]


def era_year_month(m: int) -> str:
    """A month as 令和N年M月 (calendar year and month), the way the change columns are written."""
    from dxroadmap.model.fiscal import year_month

    year, month = year_month(m)
    if year >= 2019 and (year, month) >= (2019, 5):
        n = year - 2018
        return f"令和{'元' if n == 1 else n}年{month}月"
    return f"平成{year - 1988}年{month}月"


@dataclass
class SurveyRow:
    """One row of a department's table: an initiative and how deep it sits below the department's own."""

    pillar: str
    initiative: Initiative
    depth: int


def _effective(init: Initiative, inherited: list[str]) -> list[str]:
    return list(init.departments) or inherited


def departments_of(plan: Plan) -> list[str]:
    """Every department named in the plan (a sub-action without any takes its parent's), in order of appearance."""
    seen: dict[str, None] = {}

    def visit(init: Initiative, inherited: list[str]) -> None:
        mine = _effective(init, inherited)
        for d in mine:
            if d.strip():
                seen.setdefault(d.strip(), None)
        for child in init.children:
            visit(child, mine)

    for pillar in plan.pillars:
        for init in pillar.initiatives:
            visit(init, [])
    return list(seen)


def department_rows(plan: Plan, department: str) -> list[SurveyRow]:
    """The rows of ``department``'s survey: its initiatives with their sub-actions, in plan order."""
    rows: list[SurveyRow] = []

    def visit(pillar: str, init: Initiative, inherited: list[str], depth: int | None) -> None:
        mine = _effective(init, inherited)
        here = depth if depth is not None else (0 if department in [d.strip() for d in mine] else None)
        if here is not None:
            rows.append(SurveyRow(pillar, init, here))
        for child in init.children:
            visit(pillar, child, mine, None if here is None else here + 1)

    for pillar in plan.pillars:
        for init in pillar.initiatives:
            visit(pillar.name, init, [], None)
    return rows


def department_plan(plan: Plan, department: str) -> Plan:
    """``plan`` cut down to ``department``'s rows and the initiatives they sit in (shallow copies: do not change it)."""
    keep_ids = {id(r.initiative) for r in department_rows(plan, department)}

    def keep(init: Initiative) -> Initiative | None:
        kids = [k for k in (keep(c) for c in init.children) if k is not None]
        if id(init) in keep_ids or kids:
            out = copy.copy(init)
            out.children = kids
            return out
        return None

    out = copy.copy(plan)
    out.survey_rounds = []
    out.pillars = []
    for pillar in plan.pillars:
        inits = [k for k in (keep(i) for i in pillar.initiatives) if k is not None]
        if inits:
            p = copy.copy(pillar)
            p.initiatives = inits
            out.pillars.append(p)
    return out


def plan_fingerprint(plan: Plan) -> str:
    """A short fingerprint of the plan's contents (its survey rounds left out): which plan a survey was made from."""
    from dxroadmap.io.plan_json import plan_to_dict

    body = plan_to_dict(plan)["plan"]
    body.pop("survey_rounds", None)
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_file_name(name: str, taken: set[str]) -> str:
    """A file name (without extension) for ``name`` that Windows and macOS accept, unique among ``taken``."""
    base = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .") or "部門"
    base = base[:60]
    if base.upper() in {"CON", "PRN", "AUX", "NUL"} or re.fullmatch(r"(?i)(COM|LPT)\d", base):
        base = "_" + base
    out, k = base, 2
    while out.casefold() in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out.casefold())
    return out
