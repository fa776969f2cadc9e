"""Bars drawn only by conditional formatting come from each row's start and end dates.

Gantt workbooks often colour the timeline with a formula rule (“header date between $D5 and
$E5”) and leave the cells themselves blank. The importer never evaluates formulas: when the
sheet has start/end date columns and a row has no drawn bar, the row's dates are its bar,
rounded to whole months, with a warning saying so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from dxroadmap.io.xlsx.read.workbook import import_workbook
from dxroadmap.model.fiscal import format_ym

REAL = Path(__file__).resolve().parents[4].parent / "shared" / "real-workbooks"


def _phases(init) -> list[tuple[str, str]]:
    return [(format_ym(p.start), format_ym(p.end)) for p in init.phases]


def _cf_workbook(path: Path, header: str, start_word: str = "開始日", end_word: str = "終了日",
                 outline: bool = False) -> None:
    """FY × month timeline (令和6年度 merged over 12 months) whose bars exist only as a CF rule.

    With ``outline``, the 取組 heading is merged over two columns and the second task is written
    in the second one (a step of the first)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工程"
    ws["A1"] = "DX推進 工程表"
    shift = 1 if outline else 0
    headings = ["No", "取組"] + ([None] if outline else []) + ["担当課", start_word, end_word]
    for c, heading in enumerate(headings, 1):
        if heading is None:
            continue
        ws.cell(3, c, heading)
        last = c + 1 if (outline and heading == "取組") else c
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=last)
    first_time = 6 + shift
    for k, fy in enumerate((2024, 2025)):
        c0 = first_time + 12 * k
        ws.cell(3, c0, f"令和{fy - 2018}年度")
        ws.merge_cells(start_row=3, start_column=c0, end_row=3, end_column=c0 + 11)
        for j in range(12):
            month = (j + 3) % 12 + 1
            cell = ws.cell(4, c0 + j)
            if header == "text":
                cell.value = f"{month}月"
            else:  # the first day of each month, shown as 4月, 5月…
                cell.value = dt.datetime(fy if month >= 4 else fy + 1, month, 1)
                cell.number_format = 'm"月"'
    rows = [("1", "電子申請の拡大", "総務課", dt.date(2024, 4, 1), dt.date(2024, 12, 20)),
            ("2", "RPAの導入", "情報政策課", dt.date(2024, 10, 15), dt.date(2025, 9, 30)),
            ("3", "窓口のキャッシュレス化", "会計課", dt.date(2025, 1, 6), dt.date(2026, 3, 31)),
            ("4", "日程未定の取組", "企画課", None, None)]
    for r, (no, name, dept, start, end) in enumerate(rows, 5):
        ws.cell(r, 1, no)
        ws.cell(r, 2 + (1 if outline and r == 6 else 0), name)
        ws.cell(r, 3 + shift, dept)
        for c, value in ((4 + shift, start), (5 + shift, end)):
            if value is not None:
                ws.cell(r, c, value).number_format = "yyyy/m/d"
    d, e, f = (get_column_letter(4 + shift), get_column_letter(5 + shift), get_column_letter(first_time))
    ws.conditional_formatting.add(
        f"{f}5:{get_column_letter(first_time + 23)}40",
        FormulaRule(formula=[f'AND(${d}5<>"",{f}$4>=DATE(YEAR(${d}5),MONTH(${d}5),1),{f}$4<=${e}5)'],
                    fill=PatternFill("solid", fgColor="5B9BD5")))
    wb.save(path)


@pytest.mark.parametrize("header", ["text", "dates"])
def test_conditional_formatting_bars_come_from_the_date_columns(tmp_path, header):
    path = tmp_path / f"cf_{header}.xlsx"
    _cf_workbook(path, header)
    result = import_workbook(path)
    inits = {i.name: i for _p, i in result.plan.walk()}
    assert list(inits) == ["電子申請の拡大", "RPAの導入", "窓口のキャッシュレス化", "日程未定の取組"]
    assert _phases(inits["電子申請の拡大"]) == [("2024-04", "2024-12")]
    assert _phases(inits["RPAの導入"]) == [("2024-10", "2025-09")]
    assert _phases(inits["窓口のキャッシュレス化"]) == [("2025-01", "2026-03")]
    assert _phases(inits["日程未定の取組"]) == []
    assert inits["RPAの導入"].departments == ["情報政策課"]
    assert (result.plan.start_fy, result.plan.end_fy) == (2024, 2025)
    assert any("rounded to whole months" in w for w in result.warnings)


def test_planned_dates_named_like_a_gantt_and_outline_columns(tmp_path):
    """始予定/終予定 headings; a name written one column deeper under the merged 取組 heading is a child."""
    path = tmp_path / "outline.xlsx"
    _cf_workbook(path, "text", "始予定", "終予定", outline=True)
    result = import_workbook(path)
    tops = [i for p in result.plan.pillars for i in p.initiatives]
    assert [t.name for t in tops] == ["電子申請の拡大", "窓口のキャッシュレス化", "日程未定の取組"]
    assert [c.name for c in tops[0].children] == ["RPAの導入"]
    assert _phases(tops[0]) == [("2024-04", "2024-12")]
    assert _phases(tops[0].children[0]) == [("2024-10", "2025-09")]
    assert _phases(tops[1]) == [("2025-01", "2026-03")]


def _real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        pytest.skip("../shared/real-workbooks is absent")
    return path


def test_ohtake_gantt_rows_get_their_planned_dates_and_outline():
    result = import_workbook(_real("ohtake_gantt.xlsx"))
    inits = {i.name: i for _p, i in result.plan.walk()}
    a = inits["作業A"]
    assert _phases(a) == [("2018-09", "2018-10")]  # 始予定 9/20 … 終予定 10/2
    assert [c.name for c in a.children] == ["作業A-1", "作業A-2"]
    assert [c.name for c in a.children[0].children] == ["作業A-1-a", "作業A-1-b"]
    assert _phases(inits["作業A-1-b"]) == [("2018-09", "2018-09")]
    assert any("rounded" in w for w in result.warnings)


def test_alopezrivera_names_are_the_tasks_not_their_numbers():
    result = import_workbook(_real("alopezrivera_gantt.xlsx"))
    pillar = next(p for p in result.plan.pillars if p.name == "example")
    names = [i.name for i in pillar.initiatives]
    assert "Impulsive Trajectory Design" in names and not any(n.replace(".", "").isdigit() for n in names)
    ltt = next(i for i in pillar.initiatives if i.name == "Low-Thrust Trajectory Design")
    qlaw = next(c for c in ltt.children if c.name == "Q-Law")  # 2.2 under 2
    assert "Guidance law" in [c.name for c in qlaw.children]  # 2.2.1 under 2.2
    assert _phases(ltt) == [("2025-02", "2025-04")]


def test_kamiya_wbs_bars_from_planned_dates():
    result = import_workbook(_real("kamiya_WBS.xlsx"))
    inits = {i.name: i for _p, i in result.plan.walk()}
    assert _phases(inits["Task 1"]) == [("2023-06", "2023-06")]
    assert _phases(inits["Task 8"]) == []  # no dates: no bar, still an initiative
