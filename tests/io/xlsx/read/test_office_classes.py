"""The classes of issue 10 on small hand-made workbooks: no clock, no silent loss, 予定/実績, arrows, sub-actions."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.read.workbook import detect, import_workbook
from dxroadmap.model.fiscal import format_ym


def _save(wb, tmp_path, name="book.xlsx"):
    path = tmp_path / name
    wb.save(path)
    return path


def _spans(init):
    return [(format_ym(p.start), format_ym(p.end), p.label) for p in init.phases]


def test_a_list_without_a_period_takes_the_years_it_names_never_today(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["令和7年度 DX推進 取組一覧"])
    ws.append([])
    ws.append(["No", "取組", "担当課"])
    ws.append([1, "電子申請の拡大", "総務課"])
    ws.append([2, "窓口改革", "住民課"])
    result = import_workbook(_save(wb, tmp_path))
    assert (result.plan.start_fy, result.plan.end_fy) == (2025, 2025)
    assert any("names no plan period" in w for w in result.warnings)


def test_a_list_naming_no_year_at_all_is_refused_and_says_what_is_missing(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No", "取組", "担当課"])
    ws.append([1, "電子申請の拡大", "総務課"])
    ws.append([2, "窓口改革", "住民課"])
    with pytest.raises(PlanReadError) as info:
        import_workbook(_save(wb, tmp_path))
    assert info.value.reason == "no-roadmap" and "no fiscal year" in info.value.message("en")


def test_rows_that_cannot_be_placed_are_each_listed_then_counted(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組", "令和6年度", "令和7年度", "令和8年度"])
    ws.append(["電子申請の拡大", "検討", None, None])
    ws["B2"].fill = PatternFill("solid", fgColor="F4B183")
    for r in range(4, 4 + 25):  # rows with bars but no name, each separated by a blank row
        ws.cell(2 * r, 3, "導入").fill = PatternFill("solid", fgColor="9DC3E6")
    result = import_workbook(_save(wb, tmp_path))
    lines = [w for w in result.warnings if "not imported —" in w]
    assert len(lines) == 20 and all("row" in w for w in lines)
    assert any("and 5 more rows not imported" in w for w in result.warnings)


def test_plan_and_actual_row_pairs_keep_the_plan_and_report_the_actuals(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["進捗管理表 令和6年度～令和8年度"])
    ws.append([])
    ws.append(["取組", "区分", "令和6年度", "令和7年度", "令和8年度"])
    ws.append(["電子申請の拡大", "予定", "検討", "導入", None])
    ws.append([None, "実績", None, None, None])
    ws.merge_cells("A4:A5")
    for ref, rgb in (("C4", "F4B183"), ("D4", "9DC3E6"), ("C5", "7F7F7F")):
        ws[ref].fill = PatternFill("solid", fgColor=rgb)
    result = import_workbook(_save(wb, tmp_path))
    init = result.plan.initiatives()[0]
    assert init.name == "電子申請の拡大" and [p.name for p in result.plan.pillars] != ["予定"]
    assert _spans(init) == [("2024-04", "2025-03", "検討"), ("2025-04", "2026-03", "導入")]
    assert any("実績" in w for w in result.warnings)


def test_a_label_then_a_merged_arrow_is_one_bar(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組", "令和6年度", "令和7年度", "令和8年度", "令和9年度"])
    ws.append(["電子申請の拡大", "検討", "━━━━━━▶", None, None])
    ws.merge_cells("C2:D2")
    result = import_workbook(_save(wb, tmp_path))
    assert _spans(result.plan.initiatives()[0]) == [("2024-04", "2027-03", "検討")]


def test_sub_actions_in_their_own_column_beside_a_merged_initiative(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組", "具体的な取組", "R6年度", "R7年度"])
    ws.append(["窓口改革", "ア．方針の検討", "検討", None])
    ws.append([None, "イ．システムの導入", None, "導入"])
    ws.merge_cells("A2:A3")
    for ref in ("C2", "D3"):
        ws[ref].fill = PatternFill("solid", fgColor="9DC3E6")
    plan = import_workbook(_save(wb, tmp_path)).plan
    top = plan.pillars[0].initiatives
    assert [i.name for i in top] == ["窓口改革"] and not top[0].phases
    assert [(c.name, _spans(c)) for c in top[0].children] == [
        ("方針の検討", [("2024-04", "2025-03", "検討")]), ("システムの導入", [("2025-04", "2026-03", "導入")])]


def test_the_detection_says_why_it_chose_its_axis(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "R6年度"
    ws.append(["DX推進 年間スケジュール"])
    ws.append([])
    ws.append(["取組", *[f"{(k + 3) % 12 + 1}月" for k in range(12)]])
    ws.append(["電子申請の拡大", "検討", None, None])
    for ref in ("B4", "C4"):
        ws[ref].fill = PatternFill("solid", fgColor="9DC3E6")
    det = detect(_save(wb, tmp_path))
    sheet = det.sheet("R6年度")
    assert "sheet name" in sheet.reason and "1 of 1 rows" in sheet.reason
    init = det.result.plan.initiatives()[0]
    assert _spans(init) == [("2024-04", "2024-05", "検討")]
