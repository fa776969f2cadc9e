"""Writing the survey: one workbook per department (関係部門) that a person fills in with Excel alone.

Sheet ``照会票``: a title and instructions at the top, then a two-row header and one row per
initiative of the department (sub-actions indented below their initiative): the pillar, the
name, the departments, the current schedule in words, the roadmap bars at quarter
resolution for the plan period (the cells' fills; milestones as ◆), and the columns to fill:
状況 (a list), the year's 実績, 今後の方向性, the requested new start and end (令和N年M月) and
意見・要望. Column A holds the initiative ids and is hidden. Input, name and schedule cells are
unlocked and the sheet is protected without a password (rows may be inserted and cells
painted). A4 landscape, fit to width, header rows repeated on every page.

Hidden sheet ``dxroadmap_survey`` holds the survey's identity (plan title, round, fiscal year,
fingerprint of the plan as sent, department); the hidden data sheet holds the plan as sent
for the department's rows (:func:`dxroadmap.io.xlsx.datasheet.write_data_sheet`).
"""

from __future__ import annotations

import datetime as _dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dxroadmap.io.storage.atomic import atomic_write_bytes
from dxroadmap.io.surveys.layout import (
    HEAD,
    INFO_MARKER,
    INFO_SHEET,
    NEXT_LABEL,
    STATUS_CODES,
    SURVEY_JSON,
    TABLE_SHEET,
    actual_label,
    department_plan,
    department_rows,
    departments_of,
    get_block,
    plan_fingerprint,
    quarter_label,
    quarters,
    safe_file_name,
)
from dxroadmap.io.xlsx.datasheet import put_text, write_data_sheet
from dxroadmap.model.ids import ensure_ids
from dxroadmap.model.plan import Initiative, Plan
from dxroadmap.model.wareki import format_fiscal_year, format_span

__all__ = ["SurveyFile", "SURVEY_JSON", "survey_identity", "write_surveys", "survey_workbook_bytes"]

INFO_VERSION = 1
HEADER_ROW = 7  # first of the two header rows as written (the reader never relies on it)

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_UNLOCKED = Protection(locked=False)


@dataclass
class SurveyFile:
    """A written survey: the department, its file, and how many initiative rows it holds."""

    department: str
    path: Path
    rows: int


def survey_identity(plan: Plan, fy: int, department: str, sent: str, fingerprint: str | None = None) -> dict[str, str]:
    """The key/value pairs of the hidden identity sheet (``fingerprint`` of ``plan`` when already known)."""
    fingerprint = fingerprint or plan_fingerprint(plan)
    return {"marker": INFO_MARKER, "version": str(INFO_VERSION), "title": plan.title,
            "organization": plan.organization, "fy": str(fy), "fingerprint": fingerprint,
            "round": f"{fy}-{fingerprint[:8]}", "department": department, "sent": sent}


def _instructions(fy: int) -> list[str]:
    year = format_fiscal_year(fy)
    return [
        "【記入のしかた】黄色のセルに記入してください。基本方針・関係部門・現在の工程の欄は変更できません（シートの保護はパスワードなしで解除できます）。",
        f"・状況：一覧から選んでください（{'／'.join(STATUS_CODES)}）。 ・{year}の実績、今後の方向性：文章で記入してください。",
        "・予定を変更する場合は「変更後の開始」「変更後の終了」に 令和N年M月 の形で記入するか、工程欄のセルを塗り直してください。",
        "・新しい細目を追加する場合は、取組の行のすぐ下に行を挿入して取組名を記入してください（取組名の修正も反映されます）。A列（非表示）は変更しないでください。",
    ]


def _schedule_text(init: Initiative) -> str:
    parts = [f"{p.label or '工程'}：{format_span(p.start, p.end)}" for p in init.phases]
    parts += [f"◆{m.label or ''}：{format_span(m.month, m.month).split(' – ')[0]}" for m in init.milestones]
    return "\n".join(parts)


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` wraps to in a column ``width`` characters wide (full-width counts 2)."""
    total = 0
    for part in (text or "").split("\n"):
        size = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
        total += max(1, -(-size // int(max(width * 0.9, 4))))
    return total


def survey_workbook_bytes(plan: Plan, department: str, fy: int, *, sent: str | None = None,
                          fingerprint: str | None = None) -> tuple[bytes, int]:
    """The survey workbook of ``department`` (as .xlsx bytes) and its number of initiative rows.

    ``plan`` must already carry its ids (:func:`dxroadmap.model.ids.ensure_ids`).
    """
    sent = sent or _dt.datetime.now().isoformat(timespec="seconds")
    rows = department_rows(plan, department)
    qs = quarters(plan)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = TABLE_SHEET

    fixed = ["id", "pillar", "name", "departments", "schedule"]
    inputs = ["status", "actual", "next", "new_start", "new_end", "remarks"]
    col: dict[str, int] = {key: k + 1 for k, key in enumerate(fixed)}
    q0 = len(fixed) + 1
    for k, key in enumerate(inputs):
        col[key] = q0 + len(qs) + k
    last_col = col["remarks"]
    head_text = dict(HEAD)
    head_text["actual"] = f"{format_fiscal_year(fy)}の{HEAD['actual']}"
    head_text["new_start"] = f"{HEAD['new_start']}（令和N年M月）"
    head_text["new_end"] = f"{HEAD['new_end']}（令和N年M月）"

    put_text(ws.cell(1, 2), f"{plan.title}　{format_fiscal_year(fy)} 取組状況照会票（{department}）")
    ws.cell(1, 2).font = Font(bold=True, size=14)
    for k, line in enumerate(_instructions(fy)):
        cell = ws.cell(2 + k, 2)
        put_text(cell, line)
        cell.alignment = Alignment(wrap_text=False, vertical="center")
    top, second = HEADER_ROW, HEADER_ROW + 1
    for key in fixed + inputs:
        c = ws.cell(top, col[key])
        put_text(c, head_text[key])
        ws.merge_cells(start_row=top, start_column=col[key], end_row=second, end_column=col[key])
    for k, q in enumerate(qs):
        c = q0 + k
        if q.q == 1:
            put_text(ws.cell(top, c), format_fiscal_year(q.fy))
            ws.merge_cells(start_row=top, start_column=c, end_row=top, end_column=c + 3)
        put_text(ws.cell(second, c), quarter_label(q.q))
    for r in (top, second):
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            cell.fill, cell.border, cell.alignment, cell.font = _HEAD_FILL, _BORDER, _CENTER, Font(bold=True, size=9)

    label = actual_label(fy)
    for k, row in enumerate(rows):
        r = second + 1 + k
        init = row.initiative
        put_text(ws.cell(r, col["id"]), init.id)
        put_text(ws.cell(r, col["pillar"]), row.pillar)
        put_text(ws.cell(r, col["name"]), init.name)
        ws.cell(r, col["name"]).alignment = Alignment(wrap_text=True, vertical="top", indent=2 * row.depth)
        put_text(ws.cell(r, col["departments"]), "、".join(init.departments))
        put_text(ws.cell(r, col["schedule"]), _schedule_text(init))
        for j, q in enumerate(qs):
            cell = ws.cell(r, q0 + j)
            phase = next((p for p in init.phases if p.start <= q.last and p.end >= q.first), None)
            if phase is not None:
                cell.fill = PatternFill("solid", fgColor=phase.display_color.lstrip("#").upper())
            if any(q.first <= m.month <= q.last for m in init.milestones):
                put_text(cell, "◆")
                cell.alignment = _CENTER
            cell.border = _BORDER
            cell.protection = _UNLOCKED
        values = {"status": init.status, "actual": get_block(init.notes, label), "next": get_block(init.notes, NEXT_LABEL)}
        for key in inputs:
            cell = ws.cell(r, col[key])
            if values.get(key):
                put_text(cell, values[key])
            cell.fill, cell.protection, cell.alignment = _INPUT_FILL, _UNLOCKED, _WRAP
        lines = max(_lines(init.name, 34 - 2 * row.depth), _lines(_schedule_text(init), 26),
                    *(_lines(values[k], 34) for k in ("actual", "next") if values.get(k)))
        ws.row_dimensions[r].height = 13.5 * min(max(lines, 1), 8) + 3
        for key in fixed:
            ws.cell(r, col[key]).border = _BORDER
            if key != "name":
                ws.cell(r, col[key]).alignment = _WRAP
        # the name stays editable: Excel gives an inserted row the formats of the row above, and a
        # new sub-action needs its name typed there (a changed name comes back as a rename)
        ws.cell(r, col["name"]).protection = _UNLOCKED
        for key in inputs:
            ws.cell(r, col[key]).border = _BORDER
    end_row = second + max(len(rows), 1)
    # a few spare rows below, unlocked, for sub-actions added at the end
    for r in range(end_row + 1, end_row + 6):
        for c in range(2, last_col + 1):
            ws.cell(r, c).protection = _UNLOCKED

    validation = DataValidation(type="list", formula1='"' + ",".join(STATUS_CODES) + '"', allow_blank=True,
                                showErrorMessage=True, errorStyle="warning", errorTitle="状況",
                                error="一覧から選んでください。", promptTitle="状況", prompt="一覧から選んでください。")
    ws.add_data_validation(validation)
    letter = get_column_letter(col["status"])
    validation.add(f"{letter}{second + 1}:{letter}{end_row + 200}")

    widths = {"id": 12, "pillar": 14, "name": 34, "departments": 12, "schedule": 26, "status": 9, "actual": 34,
              "next": 30, "new_start": 13, "new_end": 13, "remarks": 22}
    for key, width in widths.items():
        ws.column_dimensions[get_column_letter(col[key])].width = width
    for j in range(len(qs)):
        ws.column_dimensions[get_column_letter(q0 + j)].width = 3.2
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = ws.cell(second + 1, col["schedule"])

    ws.protection.sheet = True
    for option in ("formatCells", "formatColumns", "formatRows", "insertRows", "autoFilter", "sort"):
        setattr(ws.protection, option, False)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{top}:{second}"
    ws.print_area = f"A1:{get_column_letter(last_col)}{end_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"

    info = wb.create_sheet(INFO_SHEET)
    info.sheet_state = "hidden"
    for k, (key, value) in enumerate(survey_identity(plan, fy, department, sent, fingerprint).items(), start=1):
        put_text(info.cell(k, 1), key)
        put_text(info.cell(k, 2), value)
    info.protection.sheet = True
    write_data_sheet(wb, department_plan(plan, department))
    wb.properties.title = f"取組状況照会票（{department}）"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), len(rows)


def write_surveys(plan: Plan, outdir: str | os.PathLike, fy: int | None = None) -> list[SurveyFile]:
    """Write one survey per department into ``outdir`` and the plan as sent as ``survey.json``.

    ``fy`` is the fiscal year asked about (default: the current one, kept inside the plan
    period). Items without ids get them first. Raises ``OSError`` / :class:`PlanWriteError`.
    """
    from dxroadmap.io.plan_json import dumps

    ensure_ids(plan)
    if fy is None:
        today = _dt.date.today()
        fy = today.year if today.month >= 4 else today.year - 1
        fy = min(max(fy, plan.start_fy), plan.end_fy)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    sent = _dt.datetime.now().isoformat(timespec="microseconds")
    taken: set[str] = set()
    written: list[SurveyFile] = []
    departments = departments_of(plan)
    files: dict[str, str] = {}
    fingerprint = plan_fingerprint(plan)
    for department in departments:
        data, count = survey_workbook_bytes(plan, department, fy, sent=sent, fingerprint=fingerprint)
        path = out / f"{safe_file_name(department, taken)}.xlsx"
        atomic_write_bytes(path, data)
        files[department] = path.name
        written.append(SurveyFile(department, path, count))
    doc_text = dumps(plan)
    import json

    doc = json.loads(doc_text)
    identity = survey_identity(plan, fy, "", sent, fingerprint)
    doc["survey"] = {"round": identity["round"], "fy": fy, "fingerprint": identity["fingerprint"], "sent": sent,
                     "departments": [{"department": d, "file": files[d]} for d in departments]}
    atomic_write_bytes(out / SURVEY_JSON, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return written
