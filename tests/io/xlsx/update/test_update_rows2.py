"""``dxroadmap update``: removed cards deleted, 番号 renumbered, comments and tables follow row shifts.

A removed card's block of rows (and a removed sub-action's row) goes and the cards below
move up; a 番号 column holding a plain 1..n sequence (per pillar or through the sheet, in
digits, ①② or (1)(2)) is numbered again after rows come and go; cell comments (and their
legacy VML note shapes), Excel tables and the sheet view's selection follow their rows, a
comment on a deleted row going with its shape.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.worksheet.table import Table

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.io.xlsx.read.results import SheetOverrides
from dxroadmap.io.xlsx.read.workbook import WorkbookReader, import_workbook
from dxroadmap.io.xlsx.update.formulas import RowShift
from dxroadmap.io.xlsx.update.sheetxml import SheetXml
from dxroadmap.io.xlsx.update.writer import _shift_vml, update_workbook
from dxroadmap.model.plan import Initiative, Phase

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO.parent / "shared" / "fixtures"
VISIBLE = {"\0": SheetOverrides()}
HAS_LO = bool(shutil.which("soffice"))


def _fixture(name: str) -> Path:
    path = FIXTURES / f"{name}.xlsx"
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(tmp_path: Path, data: bytes, name: str = "out.xlsx") -> Path:
    out = tmp_path / name
    out.write_bytes(data)
    return out


# ---------------------------------------------------------------- comments, tables, views

_NOTES = {"B5": "消える行のメモ", "B6": "二番目の取組のメモ", "B12": "教育のメモ", "B24": "表の中のメモ"}


def _commented_workbook(path: Path) -> Path:
    """s03 with comments on roadmap rows (B5, which will be deleted, B6, B12) and below (B24), an Excel
    table B23:D26 below the roadmap, and the selection on B12."""
    wb = openpyxl.load_workbook(_fixture("s03_quarter_mori"))
    ws = wb["工程表"]
    for r, values in enumerate((["項目", "数量", "備考"], ["端末", 10, "更新"], ["回線", 2, "増速"],
                                ["ソフト", 5, "なし"]), start=23):
        for c, v in enumerate(values, start=2):
            ws.cell(r, c, v)
    ws.add_table(Table(displayName="備品表", ref="B23:D26"))
    for ref, text in _NOTES.items():
        ws[ref].comment = Comment(text, "担当")
    ws.sheet_view.selection[0].activeCell = "B12"
    ws.sheet_view.selection[0].sqref = "B12"
    wb.save(path)
    return path


def _comments(path: Path) -> dict[str, str]:
    """Comment text → the value of the cell it is on."""
    ws = openpyxl.load_workbook(path)["工程表"]
    return {cell.comment.text.strip(): cell.value for row in ws.iter_rows() for cell in row if cell.comment}


def _vml_rows(path: Path) -> list[int]:
    xml = next(data for name, data in _members(path).items() if name.endswith(".vml")).decode()
    return sorted(int(r) for r in re.findall(r"<(?:\w+:)?Row>(\d+)</(?:\w+:)?Row>", xml))


def test_comments_and_tables_follow_a_removed_and_an_added_initiative(tmp_path):
    src = _commented_workbook(tmp_path / "office.xlsx")
    before = {text: value for text, value in _comments(src).items()}
    plan = import_workbook(src).plan
    plan.pillars[0].initiatives.pop(0)  # row 5 goes: 6..19 move up; two rows come before row 14
    first = plan.first_month
    plan.pillars[2].initiatives.insert(0, Initiative(name="追加の取組", phases=[Phase(first, first + 5)]))
    plan.pillars[2].initiatives.insert(0, Initiative(name="もう一つの取組", phases=[Phase(first, first + 5)]))
    result = update_workbook(src, plan)
    assert not result.issues
    out = _write(tmp_path, result.data)
    after = _comments(out)
    # the comment on the deleted row is gone; the others are on the cells they were on
    assert set(after) == set(_NOTES.values()) - {"消える行のメモ"}
    for text, value in after.items():
        assert value == before[text], text
    ws = openpyxl.load_workbook(out)["工程表"]
    assert ws["B5"].comment.text == "二番目の取組のメモ" and ws["B11"].comment.text == "教育のメモ"
    assert ws["B25"].comment.text == "表の中のメモ"
    # the legacy VML note shapes: one fewer, on the comments' rows (from 0)
    assert _vml_rows(src) == [4, 5, 11, 23]
    assert _vml_rows(out) == [4, 10, 24]
    # the table moved down one row (one deleted, two added above it; 教育 at row 12 is above them)
    table = ws.tables["備品表"]
    assert table.ref == "B24:D27" and table.autoFilter.ref == "B24:D27"
    assert [ws.cell(24, c).value for c in (2, 3, 4)] == ["項目", "数量", "備考"]
    # the selection follows its cell
    assert ws.sheet_view.selection[0].activeCell == "B11" and ws.sheet_view.selection[0].sqref == "B11"
    assert plan_to_dict(import_workbook(out).plan) == plan_to_dict(plan)


@pytest.mark.skipif(not HAS_LO, reason="LibreOffice not installed")
def test_libreoffice_keeps_the_moved_comments_and_table(tmp_path):
    src = _commented_workbook(tmp_path / "office.xlsx")
    before = _comments(src)
    plan = import_workbook(src).plan
    plan.pillars[0].initiatives.pop(0)
    out = _write(tmp_path, update_workbook(src, plan).data)
    folder = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(folder), str(out)], check=True, capture_output=True,
                   timeout=180)
    again = folder / out.name
    after = _comments(again)
    assert set(after) == set(_NOTES.values()) - {"消える行のメモ"}
    for text, value in after.items():
        assert value == before[text], text
    ws = openpyxl.load_workbook(again)["工程表"]
    assert ws["B23"].comment.text == "表の中のメモ"
    assert [ws.cell(22, c).value for c in (2, 3, 4)] == ["項目", "数量", "備考"]
    assert any(t.ref == "B22:D25" for t in ws.tables.values())


def test_vml_anchors_move_and_a_note_on_a_deleted_row_goes():
    def note(row: int, top: int, bottom: int) -> str:
        return (f'<v:shape id="_x0000_s{row}" type="#_x0000_t202"><x:ClientData ObjectType="Note">'
                f"<x:Anchor>\n    3, 15, {top}, 10, 5, 31, {bottom}, 9</x:Anchor>"
                f"<x:Row>{row}</x:Row><x:Column>1</x:Column></x:ClientData></v:shape>")
    button = ('<v:shape id="_x0000_s9" type="#_x0000_t201"><x:ClientData ObjectType="Button">'
              "<x:Anchor>1, 0, 6, 0, 2, 0, 8, 0</x:Anchor></x:ClientData></v:shape>")
    xml = f'<xml xmlns:v="urn:schemas-microsoft-com:vml">{note(4, 3, 7)}{note(9, 8, 12)}{button}</xml>'
    shifted = _shift_vml(xml, RowShift.delete("S", 5, 6))  # rows 5..6 (4..5 from 0) deleted
    assert "_x0000_s4" not in shifted  # the note on row 5
    assert "<x:Row>7</x:Row>" in shifted and "3, 15, 6, 10, 5, 31, 10, 9" in shifted
    assert "1, 0, 4, 0, 2, 0, 6, 0" in shifted  # the button moves up too
    inserted = _shift_vml(xml, RowShift.insert("S", 2, 3))
    assert "<x:Row>7</x:Row>" in inserted and "<x:Row>12</x:Row>" in inserted
    assert "\n    3, 15, 6, 10, 5, 31, 10, 9" in inserted  # the anchor's own spacing is kept
    assert _shift_vml(xml, RowShift.insert("S", 40, 3)) == xml


def test_the_sheet_view_follows_deleted_and_inserted_rows():
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews>'
           '<sheetView workbookViewId="0" topLeftCell="A8"><pane ySplit="2" topLeftCell="A9" activePane="bottomLeft" '
           'state="frozen"/><selection pane="bottomLeft" activeCell="C10" sqref="C10:D12 F5"/></sheetView>'
           '</sheetViews><sheetData/></worksheet>')
    sheet = SheetXml(xml, title="S")
    sheet.delete_rows(4, 5)
    assert 'topLeftCell="A6"' in sheet.xml() and 'topLeftCell="A7"' in sheet.xml()
    assert 'activeCell="C8" sqref="C8:D10"' in sheet.xml()
    sheet = SheetXml(xml, title="S")
    sheet.delete_rows(10, 10)
    assert 'activeCell="C10" sqref="C10:D11 F5"' in sheet.xml()  # the active cell's row went: the row below
    sheet = SheetXml(xml, title="S")
    sheet.insert_rows(1, 2)
    assert 'activeCell="C12" sqref="C12:D14 F7"' in sheet.xml() and 'topLeftCell="A10"' in sheet.xml()


# ---------------------------------------------------------------- cards


def _values(path: Path) -> list[tuple]:
    """The values of the card sheet, row by row (rows with no value kept as empty tuples)."""
    ws = openpyxl.load_workbook(path).active
    return [tuple(c.value for c in row if c.value is not None) for row in ws.iter_rows()]


def _merges(path: Path) -> set[str]:
    return {str(m) for m in openpyxl.load_workbook(path).active.merged_cells.ranges}


def test_a_removed_card_s_rows_are_deleted_and_the_cards_below_move_up(tmp_path):
    office = _fixture("s05_card_abashiri")
    plan = import_workbook(office).plan
    gone = plan.pillars[0].initiatives.pop(1)  # 観光プロモーションの改革: rows 13..19 and the blank row 20
    assert gone.name == "観光プロモーションの改革"
    result = update_workbook(office, plan)
    assert f"deleted\t{gone.name}" in result.summary and not result.issues
    out = _write(tmp_path, result.data)
    assert plan_to_dict(import_workbook(out).plan) == plan_to_dict(plan)
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert [i.name for _, i in visible.walk()] == [i.name for _, i in plan.walk()]
    before, after = _values(office), _values(out)
    assert after == before[:12] + before[20:]  # rows 13..20 gone, everything below 8 rows up
    moved = {re.sub(r"\d+", lambda m: str(int(m.group()) - 8 if int(m.group()) > 20 else int(m.group())), ref)
             for ref in _merges(office) if not 13 <= int(re.search(r"\d+", ref).group()) <= 20}
    assert _merges(out) == moved
    sheet_part = "xl/worksheets/sheet1.xml"
    old, new = _members(office), _members(out)
    for name, data in old.items():
        if name not in (sheet_part, "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
            assert new[name] == data, name


def test_the_last_card_goes_with_the_blank_rows_before_it(tmp_path):
    office = _fixture("s05_card_abashiri")
    plan = import_workbook(office).plan
    gone = plan.pillars[-1].initiatives.pop()  # 証明書などのコンビニ交付: rows 50..54, after the blank row 49
    result = update_workbook(office, plan, data_sheet=False)
    assert f"deleted\t{gone.name}" in result.summary
    out = _write(tmp_path, result.data)
    assert _values(out) == _values(office)[:48]
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert [i.name for _, i in visible.walk()] == [i.name for _, i in plan.walk()]


def test_a_pillar_s_only_card_is_cleared_not_deleted(tmp_path):
    office = _card_single_pillar(tmp_path)
    plan = import_workbook(office).plan
    gone = plan.pillars[-1].initiatives.pop()
    result = update_workbook(office, plan, data_sheet=False)
    assert f"cleared\t{gone.name}" in result.summary
    out = _write(tmp_path, result.data)
    assert len(_values(out)) == len(_values(office))  # nothing moved


def _card_single_pillar(tmp_path: Path) -> Path:
    """s05 with its second pillar's first card removed by the first update: that pillar has one card left."""
    office = _fixture("s05_card_abashiri")
    plan = import_workbook(office).plan
    plan.pillars[-1].initiatives.pop(0)
    return _write(tmp_path, update_workbook(office, plan, data_sheet=False).data, "single.xlsx")


def test_a_removed_sub_action_s_row_is_deleted_and_the_rest_renumbered(tmp_path):
    office = _fixture("s05_card_abashiri")
    plan = import_workbook(office).plan
    card = plan.pillars[0].initiatives[2]  # デジタルコンテンツの充実: ①..④ on rows 25..28
    gone = card.children.pop(1)
    result = update_workbook(office, plan, data_sheet=False)
    assert f"deleted\t{gone.name}" in result.summary
    out = _write(tmp_path, result.data)
    before, after = _values(office), _values(out)
    assert after[:25] == before[:25] and after[27:] == before[28:]
    assert [row[0] for row in after[24:27]] == ["①", "②", "③"]
    assert after[25][1:] == before[26][1:] and after[26][1:] == before[27][1:]
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert [i.name for _, i in visible.walk()] == [i.name for _, i in plan.walk()]


# ---------------------------------------------------------------- 番号


def _numbers(path: Path, col: int = 2) -> list[tuple[object, object]]:
    """(番号, name) of every row with a name in column C, from row 5 on."""
    ws = openpyxl.load_workbook(path).active
    return [(ws.cell(r, col).value, ws.cell(r, 3).value) for r in range(5, ws.max_row + 1) if ws.cell(r, 3).value]


def test_the_number_column_is_renumbered_per_pillar(tmp_path):
    office = _fixture("s07_list_kahoku")
    plan = import_workbook(office).plan
    plan.pillars[0].initiatives.pop(0)
    plan.pillars[1].initiatives.insert(2, Initiative(name="新しい取組", departments=["企画財政課"]))
    plan.pillars[2].initiatives.append(Initiative(name="最後の取組", departments=["全課"]))
    result = update_workbook(office, plan, data_sheet=False)
    assert not result.issues
    out = _write(tmp_path, result.data)
    rows = {name: no for no, name in _numbers(out)}
    for pillar in plan.pillars:
        assert [rows[i.name] for i in pillar.initiatives] == list(range(1, len(pillar.initiatives) + 1)), pillar.name
    assert all(rows[c.name] is None for _, i in plan.walk() for c in i.children)  # sub-items stay unnumbered
    ws, old = openpyxl.load_workbook(out).active, openpyxl.load_workbook(office).active
    assert ws["B5"].style_id == old["B6"].style_id and isinstance(ws["B5"].value, int)
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert [i.name for _, i in visible.walk()] == [i.name for _, i in plan.walk()]


def _numbered_workbook(path: Path, numbers: list[str | int | None]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工程表"
    for c, text in enumerate(("基本方針", "No.", "取組", "R7", "R8", "R9"), start=1):
        ws.cell(1, c, text)
    names = ["電子申請", "キャッシュレス", "窓口改革", "庁内LAN", "電子決裁", "テレワーク"]
    for k, (name, no) in enumerate(zip(names, numbers)):
        r = k + 2
        ws.cell(r, 1, "暮らし" if k < 3 else "行政")
        ws.cell(r, 2, no)
        ws.cell(r, 3, name)
        ws.cell(r, 4 + k % 3).fill = openpyxl.styles.PatternFill("solid", fgColor="FF9BC2E6")
    wb.save(path)
    return path


@pytest.mark.parametrize("numbers, expected", [
    (["①", "②", "③", "④", "⑤", "⑥"], ["①", "②", "③", "④", "⑤", "⑥"]),
    (["(1)", "(2)", "(3)", "(1)", "(2)", "(3)"], ["(1)", "(2)", "(3)", "(1)", "(2)", "(3)"]),
    (["（１）", "（２）", "（３）", "（４）", "（５）", "（６）"], ["（１）", "（２）", "（３）", "（４）", "（５）", "（６）"]),
    (["1", "3", "5", "7", "9", "11"], ["3", "5", None, "7", "9", "11"]),  # not a 1..n sequence: left alone
    (["A-1", "A-2", "A-3", "B-1", "B-2", "B-3"], ["A-2", "A-3", None, "B-1", "B-2", "B-3"]),  # two numbers: alone
])
def test_numbering_notations_are_kept(tmp_path, numbers, expected):
    office = _numbered_workbook(tmp_path / "numbered.xlsx", numbers)
    plan = import_workbook(office).plan
    assert [i.name for i in plan.pillars[0].initiatives] == ["電子申請", "キャッシュレス", "窓口改革"]
    plan.pillars[0].initiatives.pop(0)
    plan.pillars[0].initiatives.append(Initiative(name="新しい取組"))
    out = _write(tmp_path, update_workbook(office, plan, data_sheet=False).data)
    ws = openpyxl.load_workbook(out).active
    assert [ws.cell(r, 3).value for r in range(2, 8)] == ["キャッシュレス", "窓口改革", "新しい取組", "庁内LAN", "電子決裁",
                                                          "テレワーク"]
    assert [ws.cell(r, 2).value for r in range(2, 8)] == expected
