"""``update --extend``: a bar after the form's last year (or before its first) grows the form by the missing years.

For year-fill (s01), quarter (s03), month-text (s04) and a LibreOffice-made workbook: the
update without ``--extend`` is refused for the years alone; with it, the visible form
re-imports to the plan at the form's resolution, the new year's header reads in the form's
notation, and every part other than the roadmap sheet, workbook.xml and the data sheet (with
its registration) is byte-identical. Column shifting itself (formulas, merges, widths,
sheet-level ranges) is tested on SheetXml and the formula shifter.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from dxroadmap.cli import main
from dxroadmap.io.plan_json import write_plan_json
from dxroadmap.io.xlsx.read.results import SheetOverrides
from dxroadmap.io.xlsx.read.workbook import WorkbookReader, import_workbook
from dxroadmap.io.xlsx.update.extend import year_label_like
from dxroadmap.io.xlsx.update.formulas import ColShift, shift_area, shift_formula
from dxroadmap.io.xlsx.update.sheetxml import SheetXml
from dxroadmap.io.xlsx.update.writer import UpdateRefused, update_workbook
from dxroadmap.model.fiscal import fiscal_year_of
from dxroadmap.model.plan import Milestone, Phase, Plan
from tests.io.xlsx.test_update import ALLOWED, _members, _path, _roadmap_parts, _shape

VISIBLE = {"\0": SheetOverrides()}
# case -> (sheet, header cell of the new year, its value)
NEW_HEADER = {
    "s01_yearfill_matsumae": ("J4", "令和10年度"),
    "s03_quarter_mori": ("X3", 46844),  # 2028-04-01 as a date serial shown as 年度, like its neighbours
    "s04_month_matsumae": ("BL3", "2028年度"),
    "lo_western_year": ("J3", "2029年度"),
}


def _past_the_last_year(src: Path) -> Plan:
    plan = import_workbook(src).plan
    last = plan.last_month
    tops = [i for p in plan.pillars for i in p.initiatives]
    tops[0].phases = [Phase(last - 5, last + 6, tops[0].phases[0].label if tops[0].phases else None)]
    return plan


def _cols(path: Path) -> list[tuple[int, int]]:
    det = WorkbookReader(path).detect(VISIBLE)
    return sorted({v for s in det.sheets for v in s.time_columns.values()})


@pytest.mark.parametrize("case", sorted(NEW_HEADER))
def test_extend_adds_the_next_year_and_the_form_shows_the_plan(tmp_path, case):
    src = _path(case)
    plan = _past_the_last_year(src)
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(src, plan)
    assert refused.value.issues and all(i.years for i in refused.value.issues)
    assert "--extend" in str(refused.value)
    plan_json, out = tmp_path / "plan.json", tmp_path / f"{case}.xlsx"
    write_plan_json(plan, plan_json)
    assert main(["update", str(src), str(plan_json), str(out), "--extend"]) == 0
    # the visible form: one more fiscal year, as many columns as its neighbour, the plan at its resolution
    before, after = _cols(src), _cols(out)
    last_fy = fiscal_year_of(before[-1][1])
    old_year = [c for c in before if fiscal_year_of(c[0]) == last_fy]
    new_year = [c for c in after if fiscal_year_of(c[0]) == last_fy + 1]
    assert after[:len(before)] == before and len(new_year) == len(old_year)
    assert [(a + 12, b + 12) for a, b in old_year] == new_year
    labels = any(p.label for _, i in import_workbook(src).plan.walk() for p in i.phases)
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert _shape(visible, after, labels) == _shape(plan, after, labels)
    # the header in the form's notation
    title = next(s.title for s in WorkbookReader(out).detect(VISIBLE).sheets if s.time_columns)
    cell, value = NEW_HEADER[case]
    assert WorkbookReader(out).wb[title][cell].value == value
    # every other part as it was
    old, new = _members(src), _members(out)
    edited = _roadmap_parts(out)
    for name, data in old.items():
        if name not in edited and name not in ALLOWED:
            assert new[name] == data, name


def _widths(path: Path) -> dict[int, str]:
    """Column → its width, from the roadmap sheet's ``<cols>``."""
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    out = {}
    for m in re.finditer(r"<col\b([^>]*)/>", xml):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        for c in range(int(attrs["min"]), int(attrs["max"]) + 1):
            out[c] = attrs.get("width")
    return out


def test_new_columns_copy_the_neighbour_year(tmp_path):
    src = _path("s03_quarter_mori")
    out = tmp_path / "q.xlsx"
    out.write_bytes(update_workbook(src, _past_the_last_year(src), extend=True).data)
    ws_old, ws = WorkbookReader(src).wb["工程表"], WorkbookReader(out).wb["工程表"]
    for k in range(4):  # T..W (FY2027) -> X..AA (FY2028)
        old_col, new_col = chr(ord("T") + k), "XYZ"[k] if k < 3 else "AA"
        assert _widths(out)[20 + k + 4] == _widths(src)[20 + k]
        assert ws[f"{new_col}4"].value == ws_old[f"{old_col}4"].value  # 4-6月 … 1-3月
        assert ws[f"{new_col}4"].style_id == ws_old[f"{old_col}4"].style_id
        assert ws[f"{new_col}3"].style_id == ws_old[f"{old_col}3"].style_id
        assert ws[f"{new_col}19"].border.left.style == ws_old[f"{old_col}19"].border.left.style
    merges = {str(m) for m in ws.merged_cells.ranges}
    assert {"X3:AA3", "A1:AA1"} <= merges  # the new year's header merged like its neighbour's; the title widened


def test_a_bar_before_the_first_year_adds_a_year_in_front(tmp_path):
    src = _path("s01_yearfill_matsumae")
    plan = import_workbook(src).plan
    first = plan.first_month
    tops = [i for p in plan.pillars for i in p.initiatives]
    tops[1].phases = [Phase(first - 12, first + 5, tops[1].phases[0].label)]
    tops[2].milestones = [Milestone(first - 12, "前年度の準備")]
    out = tmp_path / "front.xlsx"
    out.write_bytes(update_workbook(src, plan, extend=True).data)
    ws = WorkbookReader(out).wb["ロードマップ"]
    assert [ws.cell(4, c).value for c in range(5, 11)] == ["令和4年度", "令和5年度", "令和6年度", "令和7年度",
                                                           "令和8年度", "令和9年度"]
    cols = _cols(out)
    assert fiscal_year_of(cols[0][0]) == fiscal_year_of(first) - 1
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert _shape(visible, cols, True) == _shape(plan, cols, True)
    assert import_workbook(out).layout == "datasheet"


def test_a_plan_within_the_years_is_not_extended():
    src = _path("s03_quarter_mori")
    plan = import_workbook(src).plan
    assert update_workbook(src, plan, extend=True).data == update_workbook(src, plan).data


def test_a_card_layout_keeps_the_issue():
    src = _path("s05_card_abashiri")
    plan = _past_the_last_year(src)
    with pytest.raises(UpdateRefused):
        update_workbook(src, plan, extend=True)


@pytest.mark.parametrize("text,fy,expected", [
    ("令和9年度", 2028, "令和10年度"), ("R10", 2029, "R11"), ("2027年度", 2028, "2028年度"),
    ("令和５年度", 2024, "令和６年度"), ("FY2023", 2024, "FY2024"), ("平成30年度", 2019, "令和元年度"),
    ("R5年度", 2024, "R6年度"), ("令和5年度（2023）", 2024, "令和6年度（2024）"), ("4-6月", 2024, None),
])
def test_year_labels_keep_the_form_s_notation(text, fy, expected):
    assert year_label_like(text, fy) == expected


def test_column_shift_of_references():
    append = ColShift("S", 9, 4, (5, 9))  # a year of 4 columns after I, the axis E..I
    assert shift_formula("SUM(E6:I6)", append, "S") == "SUM(E6:M6)"  # spans the axis: grows
    assert shift_formula("H6:I6+I6+J6+$K$7", append, "S") == "H6:I6+I6+N6+$O$7"
    assert shift_formula("Other!J2+S!J2", append, "Other") == "Other!J2+S!N2"
    assert shift_formula("J2", append, "Other") == "J2"
    assert shift_formula("E:I+5:9", append, "S") == "E:M+5:9"
    assert shift_formula('"J2"&XFE2', append, "S") == '"J2"&XFE2'
    front = ColShift("S", 4, 1, (5, 9))  # a year column before E
    assert shift_formula("SUM(E6:I6)+E6+D6", front, "S") == "SUM(E6:J6)+F6+D6"
    assert shift_area("E6:I30 K1", append) == "E6:M30 O1"


def test_insert_cols_moves_what_lies_right_of_the_gap():
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:K3"/>'
           '<cols><col min="1" max="1" width="20" customWidth="1"/><col min="5" max="9" width="8" customWidth="1"/>'
           '<col min="11" max="11" width="30" customWidth="1"/></cols><sheetData>'
           '<row r="1" spans="1:11"><c r="A1" t="inlineStr"><is><t>T</t></is></c><c r="K1" s="3"/></row>'
           '<row r="2"><c r="I2" s="2"/><c r="K2"><f>SUM(E2:I2)</f><v>0</v></c></row></sheetData>'
           '<mergeCells count="2"><mergeCell ref="A1:I1"/><mergeCell ref="H2:I2"/></mergeCells>'
           '<conditionalFormatting sqref="E2:I3 K2"><cfRule type="expression" priority="1"><formula>K2&gt;0</formula>'
           '</cfRule></conditionalFormatting><dataValidations count="1"><dataValidation sqref="K2:K3"/>'
           '</dataValidations><colBreaks count="1" manualBreakCount="1"><brk id="10" max="1048575" man="1"/></colBreaks>'
           '</worksheet>')
    sheet = SheetXml(xml, title="S")
    sheet.insert_cols(9, 1, (5, 9))
    sheet.copy_col_format(9, 10)
    out = sheet.xml()
    assert '<dimension ref="A1:L3"/>' in out
    assert '<col min="5" max="10" width="8" customWidth="1"/><col min="12" max="12" width="30"' in out
    assert '<c r="L1" s="3"/>' in out and "<f>SUM(E2:J2)</f>" in out and '<c r="I2" s="2"/>' in out
    assert sheet.merges == [(1, 1, 1, 10), (2, 8, 2, 9)]  # the title grows, a bar does not
    assert 'sqref="E2:J3 L2"' in out and "<formula>L2&gt;0</formula>" in out and 'sqref="L2:L3"' in out
    assert '<brk id="11"' in out
