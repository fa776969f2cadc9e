"""``dxroadmap update`` deleting the rows of removed initiatives, adjusting formulas, pairing by id.

A removed initiative's rows go and everything below moves up, in every cell-drawn fixture and
LibreOffice-made workbook; a workbook with formulas (a 合計 row, a cross-sheet reference, a
shared formula, a conditional format, a list validation, a print area, a defined name, a
chart and pictures) keeps every reference on the same cells through an insertion and a deletion, and
LibreOffice computes the same totals from it; ids pair renamed and reordered initiatives.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.io.xlsx.read.results import SheetOverrides
from dxroadmap.io.xlsx.read.workbook import WorkbookReader, import_workbook
from dxroadmap.io.xlsx.update.layout import find_slots
from dxroadmap.io.xlsx.update.writer import update_workbook
from dxroadmap.model.ids import ensure_ids
from dxroadmap.model.plan import Initiative, Phase, Plan

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO.parent / "shared" / "fixtures"
LO = REPO / "tests" / "data" / "workbooks"
CASES = ["s01_yearfill_matsumae", "s02_yearfill_matsuura_sheets", "s03_quarter_mori", "s04_month_matsumae",
         "s07_list_kahoku", "lo_half_merged", "lo_month_children", "lo_sheets_text", "lo_western_year"]
VISIBLE = {"\0": SheetOverrides()}
HAS_LO = bool(shutil.which("soffice"))


def _path(case: str) -> Path:
    p = (LO if case.startswith("lo_") else FIXTURES) / f"{case}.xlsx"
    if not p.exists():
        pytest.skip(f"{p} is not available")
    return p


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _slots(path: Path) -> list:
    return find_slots(WorkbookReader(path).detect(VISIBLE))


def _sheet_cells(path: Path, title: str) -> list[tuple]:
    """(row, values of the row) of sheet ``title``, top to bottom, empty rows left out."""
    ws = WorkbookReader(path).wb[title]
    return [(r[0].row, tuple(c.value for c in r)) for r in ws.iter_rows() if any(c.value is not None for c in r)]


@pytest.mark.parametrize("case", CASES)
def test_a_removed_initiative_s_rows_are_deleted(tmp_path, case):
    src = _path(case)
    plan = import_workbook(src).plan
    pillar = max(plan.pillars, key=lambda p: len(p.initiatives))
    gone = pillar.initiatives.pop(len(pillar.initiatives) // 2)
    result = update_workbook(src, plan)
    assert f"deleted\t{gone.name}" in result.summary
    out = tmp_path / "out.xlsx"
    out.write_bytes(result.data)
    assert plan_to_dict(import_workbook(out).plan) == plan_to_dict(plan)  # through the data sheet
    old_slots = _slots(src)
    removed = next(s for s, (_, i) in zip(old_slots, import_workbook(src).plan.walk()) if i.name == gone.name)
    n = len(removed.rows)
    # the rows are gone: the sheet is shorter and every row below moved up by as many rows, unchanged
    # but for the 番号 column, numbered again (tests/io/xlsx/update/test_update_rows2.py)
    roles = WorkbookReader(src).detect(VISIBLE).sheet(removed.sheet).column_roles
    numbers = {c - 1 for c, role in roles.items() if role == "no"}

    def unnumbered(cells: list[tuple]) -> list[tuple]:
        return [(r, tuple(None if k in numbers else v for k, v in enumerate(values))) for r, values in cells]
    before, after = unnumbered(_sheet_cells(src, removed.sheet)), unnumbered(_sheet_cells(out, removed.sheet))
    cut = max(removed.rows)
    assert [v for r, v in before if r > cut] == [v for r, v in after if r > cut - n]
    assert [v for r, v in before if r < min(removed.rows)] == [v for r, v in after if r < min(removed.rows)]
    assert len(after) < len(before)
    # the visible form alone reads the same initiatives, in order
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert [i.name for _, i in visible.walk()] == [i.name for _, i in plan.walk()]
    assert len(_slots(out)) == len(old_slots) - 1 - len(gone.children)


# ------------------------------------------------------------------ formulas

_CACHED = re.compile(r'(<c r="([A-Z]+\d+)"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>))<v></v></c>')


def _formula_workbook(path: Path) -> Path:
    """s03 with a budget column Y, a shared formula Z = Y*2, a 合計 row 21, a conditional format,
    a list validation, a print area, a defined name, a sheet 集計 referring to the roadmap sheet
    (plain and shared formulas) and a sheet メモ with formulas of its own; cached values as a
    spreadsheet program leaves them and no fullCalcOnLoad."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    from openpyxl.drawing.image import Image
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from PIL import Image as PILImage

    wb = openpyxl.load_workbook(_path("s03_quarter_mori"))
    ws = wb["工程表"]
    for r in range(5, 20):
        ws.cell(r, 25, (r - 4) * 10)
        ws.cell(r, 26, f"=Y{r}*2")
    ws["X21"], ws["Y21"], ws["Z21"] = "合計", "=SUM(Y5:Y19)", "=SUM($Z$5:Z19)"
    ws.conditional_formatting.add("Y5:Y19", FormulaRule(formula=["Y5>AVERAGE($Y$5:$Y$19)"],
                                                         fill=PatternFill("solid", fgColor="FFFF00")))
    dv = DataValidation(type="list", formula1="$Y$5:$Y$19")
    ws.add_data_validation(dv)
    dv.add("Y23")
    ws.print_area = "A1:Z21"
    other = wb.create_sheet("集計")
    other["A1"], other["B1"], other["C1"] = "合計", "=工程表!Y21", "=工程表!Y6*1"
    other["A2"], other["B2"], other["C2"] = "二番目", "='工程表'!Y7", "=工程表!Y7*1"
    other["A3"], other["B3"], other["C3"] = "件数", "=COUNT(工程表!Y5:Y19)", "=工程表!Y8*1"
    other["A4"], other["B4"] = "文字", '="工程表!Y5"'
    memo = wb.create_sheet("メモ")
    memo["A1"], memo["A2"] = 5, "=A1*2"
    wb.defined_names["予算"] = DefinedName("予算", attr_text="工程表!$Y$5:$Y$19")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=25, min_row=5, max_row=19))
    ws.add_chart(chart, "B25")
    for color, cell in (("red", "X5"), ("blue", "X12")):  # X5: on the row that will be deleted
        png = io.BytesIO()
        PILImage.new("RGB", (8, 8), color).save(png, "PNG")
        ws.add_image(Image(png), cell)
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}

    def cached(values: dict):
        return lambda m: m.group(1) + f"<v>{values.get(m.group(2), 0)}</v></c>"
    xml = members["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace("<f>Y5*2</f>", '<f t="shared" ref="Z5:Z19" si="0">Y5*2</f>')
    for r in range(6, 20):
        xml = xml.replace(f"<f>Y{r}*2</f>", '<f t="shared" si="0"/>')
    values = {f"Z{r}": (r - 4) * 20 for r in range(5, 20)} | {"Y21": 1200, "Z21": 2400}
    members["xl/worksheets/sheet1.xml"] = _CACHED.sub(cached(values), xml).encode()
    xml = members["xl/worksheets/sheet2.xml"].decode()
    xml = re.sub(r"<f>([^<]*)</f>(?=<v></v></c><c r=\"C2\")", r'<f t="shared" ref="C1:C3" si="0">\1</f>', xml)
    xml = re.sub(r'(<c r="C1"[^>]*>)<f>([^<]*)</f>', r'\1<f t="shared" ref="C1:C3" si="0">\2</f>', xml)
    xml = re.sub(r'(<c r="C[23]"[^>]*>)<f>[^<]*</f>', r'\1<f t="shared" si="0"/>', xml)
    xml = _CACHED.sub(cached({"B1": 1200, "B2": 30, "B3": 15, "C1": 20, "C2": 30, "C3": 40}), xml)
    xml = re.sub(r'<c r="B4">(<f>[^<]*</f>)<v>0</v></c>', r'<c r="B4" t="str">\1<v>x</v></c>', xml)
    members["xl/worksheets/sheet2.xml"] = xml.encode()
    members["xl/worksheets/sheet3.xml"] = _CACHED.sub(cached({"A2": 10}), members["xl/worksheets/sheet3.xml"].decode()
                                                      ).encode()
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _formulas(path: Path, part: str) -> dict[str, str]:
    """Cell → its <f> element as written."""
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(part).decode()
    return {m.group(1): m.group(2) for m in re.finditer(r'<c r="([A-Z]+\d+)"[^>]*>(<f[^>]*/>|<f[^>]*>[^<]*</f>)', xml)}


def _grow_and_cut(src: Path) -> Plan:
    """Remove the first initiative (row 5), add one in the second pillar and one at the end of the last."""
    plan = import_workbook(src).plan
    plan.pillars[0].initiatives.pop(0)
    first = plan.first_month
    plan.pillars[1].initiatives.insert(1, Initiative(name="追加の取組", departments=["企画課"],
                                                     phases=[Phase(first + 12, first + 23)]))
    plan.pillars[-1].initiatives.append(Initiative(name="最後の取組", phases=[Phase(first, first + 5)]))
    return plan


def _libreoffice_values(path: Path, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice computes it on load (recalculating every formula)."""
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
        "<value>0</value></prop></item></oor:items>", encoding="utf-8")
    out = tmp_path / "csv"
    out.mkdir()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    import csv

    sheets = {}
    for f in out.glob("*.csv"):
        with f.open(encoding="utf-8") as handle:
            sheets[f.stem.split("-", 1)[1]] = list(csv.reader(handle))
    return sheets


def test_formulas_keep_pointing_at_the_same_cells(tmp_path):
    src = _formula_workbook(tmp_path / "office.xlsx")
    result = update_workbook(src, _grow_and_cut(src))
    out = tmp_path / "out.xlsx"
    out.write_bytes(result.data)
    assert not result.issues
    # rows: 5 deleted; 6..10 → 5..9; one added at 10; 11..19 stay; one added at 20; 21 → 22
    road = _formulas(out, "xl/worksheets/sheet1.xml")
    assert road["Y22"] == "<f>SUM(Y5:Y19)</f>"  # a row added right under a range does not join it
    assert road["Z22"] == "<f>SUM($Z$5:Z19)</f>"
    # the shared formula lost its first cell: written out cell by cell, each on its own row's Y
    for r in [*range(5, 10), *range(11, 20)]:
        assert road[f"Z{r}"] == f"<f>Y{r}*2</f>", r
    assert "Z10" not in road and "Z20" not in road
    summary = _formulas(out, "xl/worksheets/sheet2.xml")
    assert summary["B1"] == "<f>工程表!Y22</f>"
    assert summary["B2"] == "<f>'工程表'!Y6</f>"
    assert summary["B3"] == "<f>COUNT(工程表!Y5:Y19)</f>"
    assert summary["B4"] == '<f>"工程表!Y5"</f>'  # a string, not a reference
    assert summary["C1"] == '<f t="shared" ref="C1:C3" si="0">工程表!Y5*1</f>'  # still shared: reads Y5, Y6, Y7
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        workbook = zf.read("xl/workbook.xml").decode()
    assert '<conditionalFormatting sqref="Y5:Y19">' in sheet
    assert "<formula>Y5&gt;AVERAGE($Y$5:$Y$19)</formula>" in sheet  # re-anchored on the new first row
    assert '<dataValidation sqref="Y24"' in sheet and "<formula1>$Y$5:$Y$19</formula1>" in sheet
    assert "'工程表'!$A$1:$Z$22</definedName>" in workbook
    assert ">工程表!$Y$5:$Y$19</definedName>" in workbook
    assert re.search(r'<calcPr\b[^>]*fullCalcOnLoad="1"', workbook)
    # drawing anchors follow their rows (0-based): the chart under the table moves down one row, the
    # picture on row 12 stays (one row up, one down), the one on the deleted row 5 clamps to row 5
    with zipfile.ZipFile(out) as zf:
        anchors = re.findall(r"<from><col>(\d+)</col><colOff>0</colOff><row>(\d+)</row>",
                             zf.read("xl/drawings/drawing1.xml").decode())
    assert anchors == [("1", "25"), ("23", "4"), ("23", "11")]
    # untouched parts are byte-identical (メモ, styles, theme, the chart whose range ends up the same…);
    # 集計 changed and is listed
    before, after = _members(src), _members(out)
    assert "xl/worksheets/sheet2.xml" in result.changed_parts
    for name, data in before.items():
        if name not in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/workbook.xml",
                        "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/drawings/drawing1.xml"):
            assert after[name] == data, name
    back = import_workbook(out).plan
    assert [i.name for _, i in back.walk()] == [i.name for _, i in _grow_and_cut(src).walk()]


@pytest.mark.skipif(not HAS_LO, reason="LibreOffice not installed")
def test_libreoffice_computes_the_same_totals(tmp_path):
    src = _formula_workbook(tmp_path / "office.xlsx")
    out = tmp_path / "out.xlsx"
    out.write_bytes(update_workbook(src, _grow_and_cut(src)).data)
    before = _libreoffice_values(src, tmp_path / "before")
    after = _libreoffice_values(out, tmp_path / "after")
    assert before["集計"][:3] == [["合計", "1200", "20"], ["二番目", "30", "30"], ["件数", "15", "40"]]
    # the removed initiative's 10 is gone from the total; every other reference reads the same cell
    assert after["集計"][:3] == [["合計", "1190", "20"], ["二番目", "30", "30"], ["件数", "14", "40"]]
    assert after["集計"][3][:2] == ["文字", "工程表!Y5"]
    total = next(row for row in after["工程表"] if "合計" in row)
    assert total[total.index("合計") + 1:total.index("合計") + 3] == ["1190", "2380"]
    assert after["メモ"] == before["メモ"]


def test_cancelling_shifts_leave_other_sheets_byte_identical(tmp_path):
    src = _formula_workbook(tmp_path / "office.xlsx")
    plan = import_workbook(src).plan
    plan.pillars[0].initiatives.pop()  # row 9 goes …
    plan.pillars[0].initiatives.append(Initiative(name="追加の取組"))  # … and a row comes back in its place
    result = update_workbook(src, plan)
    assert "xl/worksheets/sheet2.xml" not in result.changed_parts
    out = tmp_path / "out.xlsx"
    out.write_bytes(result.data)
    assert _members(out)["xl/worksheets/sheet2.xml"] == _members(src)["xl/worksheets/sheet2.xml"]


def test_no_formulas_no_full_calc(tmp_path):
    src = _path("lo_western_year")
    plan = import_workbook(src).plan
    plan.pillars[0].initiatives.pop(0)
    plan.pillars[0].initiatives.append(Initiative(name="追加の取組"))
    out = tmp_path / "out.xlsx"
    out.write_bytes(update_workbook(src, plan).data)

    def calc(path: Path) -> list[str]:
        return re.findall(r"<calcPr\b[^>]*>", _members(path)["xl/workbook.xml"].decode())
    assert calc(out) == calc(src)
    assert "fullCalcOnLoad" not in "".join(calc(src))


# ------------------------------------------------------------------ pairing by id

def test_a_second_update_pairs_renamed_and_reordered_initiatives_by_id(tmp_path):
    src = _path("s03_quarter_mori")
    plan = import_workbook(src).plan
    ensure_ids(plan)
    first = tmp_path / "first.xlsx"
    first.write_bytes(update_workbook(src, plan).data)
    plan = import_workbook(first).plan  # through the data sheet: the same ids
    inits = plan.pillars[0].initiatives
    names = [i.name for i in inits]
    ids = [i.id for i in inits]
    assert all(ids)
    # the first goes, the second takes its name, the last moves up to third place
    inits.pop(0)
    inits[0].name = names[0]
    inits.insert(1, inits.pop())
    result = update_workbook(first, plan)
    # by name and order the renamed one would have taken the removed one's rows
    assert f"deleted\t{names[0]}" in result.summary
    assert f"renamed\t{names[1]}\t{names[0]}" in result.summary
    out = tmp_path / "second.xlsx"
    out.write_bytes(result.data)
    assert plan_to_dict(import_workbook(out).plan) == plan_to_dict(plan)
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert [i.name for _, i in visible.walk()] == [i.name for _, i in plan.walk()]
    assert [i.name for i in visible.pillars[0].initiatives] == [names[0], names[4], names[2], names[3]]


def test_pairing_by_id_keeps_the_longest_run_in_order():
    from dxroadmap.io.xlsx.update.writer import _flatten, _pair
    from dxroadmap.model.plan import Pillar

    def plan_of(names_ids):
        return Plan(title="t", pillars=[Pillar(name="柱", id="g-1",
                                               initiatives=[Initiative(name=n, id=i) for n, i in names_ids])])
    old = _flatten(plan_of([("A", "i-a"), ("B", "i-b"), ("C", "i-c"), ("D", "i-d")]))
    new = _flatten(plan_of([("Bの改", "i-b"), ("D", "i-d"), ("C", "i-c"), ("新", "i-e")]))
    ids = [(i.init.id, "g-1") for i in old]
    pairs, removed, added = _pair(old, new, ids)
    assert pairs == {0: 1, 2: 2} or pairs == {0: 1, 1: 3}  # B renamed, and C or D kept in place
    assert 0 in removed and 3 in added
    # a plan whose ids all changed (read again from the visible sheet) is paired by name and order
    fresh = _flatten(plan_of([("A", "i-1"), ("B", "i-2"), ("C", "i-3"), ("D", "i-4")]))
    assert _pair(old, fresh, ids) == _pair(old, fresh) == ({0: 0, 1: 1, 2: 2, 3: 3}, [], [])


def test_a_chart_on_the_moved_rows_follows_them(tmp_path):
    src = _formula_workbook(tmp_path / "office.xlsx")
    plan = import_workbook(src).plan
    plan.pillars[0].initiatives.pop(0)  # row 5 goes: the chart's Y5:Y19 becomes Y5:Y18
    result = update_workbook(src, plan)
    assert "xl/charts/chart1.xml" in result.changed_parts
    out = tmp_path / "out.xlsx"
    out.write_bytes(result.data)
    chart = _members(out)["xl/charts/chart1.xml"].decode()
    assert "<f>'工程表'!$Y$5:$Y$18</f>" in chart
    assert _formulas(out, "xl/worksheets/sheet2.xml")["B1"] == "<f>工程表!Y20</f>"
