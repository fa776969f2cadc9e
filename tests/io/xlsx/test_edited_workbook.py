"""A workbook dxroadmap saved, edited by a colleague in Excel, reopens as the saved plan with exactly their edits.

Every sample is saved as .xlsx, its roadmap sheet edited with openpyxl the way a person edits it
in Excel (a department cell; a bar's fill extended by one column; a bar moved one year; a new
row with a name and a bar; a row deleted; a bar's label changed), and reopened: the plan is the
original with exactly those edits, every other key of every initiative (ids included) as saved.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from copy import copy as shallow
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import PatternFill

from dxroadmap.cli import main
from dxroadmap.formats import read_any
from dxroadmap.io.plan_json import plan_to_dict, read_plan_json
from dxroadmap.io.xlsx.export import FIRST_TIME_COL, RESOLUTIONS, SHEET_NAME, id_column, placements, time_columns, write_workbook
from dxroadmap.model.plan import Initiative, Phase, PhaseKind, Plan

REPO = Path(__file__).resolve().parents[3]
SAMPLES = sorted((REPO / "samples").glob("*.json"))
EDITS = ["department", "extend", "move", "new_row", "delete_row", "label"]


# ------------------------------------------------------------------ editing a sheet the way Excel does


def insert_rows(ws, at: int, n: int = 1) -> None:
    """Insert ``n`` rows before ``at``, moving cells, merges and row heights down as Excel does."""
    ranges = [r for r in ws.merged_cells.ranges if r.min_row >= at]
    for r in ranges:
        ws.merged_cells.ranges.remove(r)
    ws.insert_rows(at, n)
    for r in ranges:
        r.shift(0, n)
        ws.merged_cells.ranges.add(r)
    heights = {k: d.height for k, d in ws.row_dimensions.items() if k >= at}
    for k in sorted(heights, reverse=True):
        ws.row_dimensions[k + n].height = heights[k]
    for k in range(at, at + n):
        ws.row_dimensions[k].height = 18


def delete_rows(ws, at: int, n: int) -> None:
    """Delete rows ``at``..``at+n-1`` with their merges, moving what is below up."""
    below = [r for r in ws.merged_cells.ranges if r.max_row >= at]
    for r in below:
        ws.merged_cells.ranges.remove(r)
    ws.delete_rows(at, n)
    for r in below:
        if r.min_row >= at + n:
            r.shift(0, -n)
            ws.merged_cells.ranges.add(r)
        else:
            assert r.max_row < at + n, "a merge reaching into the deleted rows"


class Sheet:
    """The saved workbook, with where each initiative and bar sits."""

    def __init__(self, plan: Plan, path: Path) -> None:
        self.plan, self.path = plan, path
        self.wb = openpyxl.load_workbook(path)
        self.ws = self.wb[SHEET_NAME]
        self.columns = time_columns(plan, "quarter")
        self.per_year = 12 // RESOLUTIONS["quarter"]
        self.id_col = id_column(plan, "quarter")
        self.took_a_column = False
        self.row_of = {self.ws.cell(r, self.id_col).value: r for r in range(1, self.ws.max_row + 1)
                       if self.ws.cell(r, self.id_col).value}

    def bars(self):
        """(initiative, phase, lane, first, last, lanes used) of every bar on the sheet."""
        for _, init in self.plan.walk():
            placed = placements(init, self.columns)
            for item, lane, first, last in placed:
                if isinstance(item, Phase):
                    yield init, item, lane, first, last, placed

    def free(self, placed, lane: int, first: int, last: int, me) -> bool:
        if first < 0 or last >= len(self.columns):
            return False
        return not any(it is not me and ln == lane and f <= last and first <= la for it, ln, f, la in placed)

    def save(self) -> Path:
        out = self.path.with_name("edited.xlsx")
        self.wb.save(out)
        return out


def edit(sheet: Sheet, expected: Plan, what: str, used: set[str]) -> bool:
    """Make one edit on the sheet and the same edit on ``expected``; False when the sample has nowhere for it."""
    ws = sheet.ws
    exp = {i.id: i for _, i in expected.walk()}
    if what == "department":
        init = next(i for _, i in sheet.plan.walk() if i.id not in used)
        used.add(init.id)
        ws.cell(sheet.row_of[init.id], 3).value = "情報政策課\n総務課"
        exp[init.id].departments = ["情報政策課", "総務課"]
        return True
    if what in ("extend", "move", "label"):
        for init, phase, lane, first, last, placed in sheet.bars():
            if init.id in used:
                continue
            d = sheet.per_year
            if what == "extend":  # one more column to the right, else to the left, else into the next bar
                side = next((k for k in (1, -1) if sheet.free(placed, lane, *((last + 1,) * 2 if k > 0 else (first - 1,) * 2),
                                                              phase)), None)
                nxt = next(((it, f, la) for it, ln, f, la in placed
                            if isinstance(it, Phase) and ln == lane and f == last + 1 and la > f), None)
                if side is None and nxt is not None:
                    side = 0
            elif what == "move":  # one year later, else one year earlier
                side = next((k for k in (1, -1) if sheet.free(placed, lane, first + k * d, last + k * d, phase)), None)
            else:
                side = 1
            if side is None:
                continue
            used.add(init.id)
            row, c0, c1 = sheet.row_of[init.id] + lane, FIRST_TIME_COL + first, FIRST_TIME_COL + last
            target = next(p for p in exp[init.id].phases if p.id == phase.id)
            if what == "label":
                ws.cell(row, c0).value = "改称後の工程"
                target.label = "改称後の工程"
            elif what == "extend" and side > 0:  # the fill copied one column further, not merged
                ws.cell(row, c1 + 1).fill = shallow(ws.cell(row, c0).fill)
                target.end = sheet.columns[last + 1][1]
            elif what == "extend" and side == 0:  # the next bar gives up its first column
                other, f, la = nxt
                c2, c3 = FIRST_TIME_COL + f, FIRST_TIME_COL + la
                value, style = ws.cell(row, c2).value, shallow(ws.cell(row, c2)._style)
                ws.unmerge_cells(start_row=row, start_column=c2, end_row=row, end_column=c3)
                ws.cell(row, c2).value = None
                ws.cell(row, c2).fill = shallow(ws.cell(row, c0).fill)
                ws.cell(row, c2 + 1)._style = style
                ws.cell(row, c2 + 1).value = value
                if c3 > c2 + 1:
                    ws.merge_cells(start_row=row, start_column=c2 + 1, end_row=row, end_column=c3)
                target.end = sheet.columns[last + 1][1]
                next(p for p in exp[init.id].phases if p.id == other.id).start = sheet.columns[f + 1][0]
                sheet.took_a_column = True
            elif what == "extend":  # the whole bar re-merged one column wider to the left, its label moved along
                value, style = ws.cell(row, c0).value, shallow(ws.cell(row, c0)._style)
                if c1 > c0:
                    ws.unmerge_cells(start_row=row, start_column=c0, end_row=row, end_column=c1)
                ws.cell(row, c0).value = None
                ws.cell(row, c0 - 1)._style = style
                ws.cell(row, c0 - 1).value = value
                ws.merge_cells(start_row=row, start_column=c0 - 1, end_row=row, end_column=c1)
                target.start = sheet.columns[first - 1][0]
            else:  # cut and pasted one year later (or earlier)
                value, style = ws.cell(row, c0).value, shallow(ws.cell(row, c0)._style)
                if c1 > c0:
                    ws.unmerge_cells(start_row=row, start_column=c0, end_row=row, end_column=c1)
                for c in range(c0, c1 + 1):
                    ws.cell(row, c).value = None
                    ws.cell(row, c).fill = PatternFill()
                d = sheet.per_year * side
                for c in range(c0 + d, c1 + d + 1):
                    ws.cell(row, c)._style = shallow(style)
                ws.cell(row, c0 + d).value = value
                if c1 > c0:
                    ws.merge_cells(start_row=row, start_column=c0 + d, end_row=row, end_column=c1 + d)
                target.start, target.end = target.start + 12 * side, target.end + 12 * side
            return True
        return False
    if what == "new_row":
        for pillar in expected.pillars:
            if pillar.initiatives and pillar.initiatives[0].id not in used:
                before = pillar.initiatives[0]
                used.add(before.id)
                at = sheet.row_of[before.id]
                insert_rows(ws, at)
                sheet.row_of = {k: (v + 1 if v >= at else v) for k, v in sheet.row_of.items()}
                ws.cell(at, 1).value = "新しい取組（追記）"
                ws.cell(at, 3).value = "総務課"
                fill = PatternFill("solid", fgColor="FF" + PhaseKind.PREPARE.default_color.lstrip("#"))
                ws.cell(at, FIRST_TIME_COL + 4).value = "準備"
                ws.cell(at, FIRST_TIME_COL + 4).fill = fill
                ws.cell(at, FIRST_TIME_COL + 5).fill = shallow(fill)
                pillar.initiatives.insert(0, Initiative(
                    "新しい取組（追記）", departments=["総務課"],
                    phases=[Phase(sheet.columns[4][0], sheet.columns[5][1], "準備", PhaseKind.PREPARE)]))
                return True
        return False
    if what == "delete_row":
        for _, init in sheet.plan.walk():
            if init.id in used or init.children:
                continue
            used.add(init.id)
            lanes = max((ln for _, ln, _, _ in placements(init, sheet.columns)), default=0) + 1
            at = sheet.row_of[init.id]
            delete_rows(ws, at, lanes)
            sheet.row_of = {k: (v - lanes if v > at else v) for k, v in sheet.row_of.items() if k != init.id}
            for pillar in expected.pillars:
                for owner in [pillar] + [i for i in pillar.walk()]:
                    items = owner.initiatives if owner is pillar else owner.children
                    items[:] = [i for i in items if i.id != init.id]
            return True
        return False
    raise AssertionError(what)


def saved_sample(sample: Path, tmp_path: Path) -> tuple[Plan, Path]:
    plan = read_plan_json(sample)
    path = tmp_path / "saved.xlsx"
    write_workbook(plan, path)
    return plan, path


def keys_of(plan: Plan) -> dict:
    return plan_to_dict(plan)


# ------------------------------------------------------------------ the tests


@pytest.mark.parametrize("what", EDITS + ["all"])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_each_edit_comes_back_and_nothing_else_changes(sample, what, tmp_path):
    original, path = saved_sample(sample, tmp_path)
    assert all(i.id for _, i in original.walk())  # the samples carry ids
    sheet, expected, used = Sheet(original, path), copy.deepcopy(original), set()
    done = [w for w in (EDITS if what == "all" else [what]) if edit(sheet, expected, w, used)]
    if not done:
        pytest.skip(f"{sample.stem} has no bar for this edit")
    result = read_any(sheet.save())
    assert keys_of(result.plan) == keys_of(expected)
    assert result.base is not None and keys_of(result.base) == keys_of(original)
    codes = {"department": ["initiative.field"], "extend": ["phase.resized"], "move": ["phase.moved"],
             "new_row": ["initiative.added"], "delete_row": ["initiative.removed"], "label": ["phase.relabelled"]}
    if sheet.took_a_column:  # the bar grew into its neighbour, which got one column shorter
        codes["extend"] = ["phase.resized", "phase.resized"]
    assert sorted(c.code for c in result.changes) == sorted(x for w in done for x in codes[w])
    assert len(result.warnings) == 1 and "edited" in result.warnings[0]


def test_every_sample_has_every_edit_but_where_it_has_no_bars():
    """Which edits each sample allows (so that a skip above is a sample without bars, never a bug)."""
    for sample in SAMPLES:
        plan = read_plan_json(sample)
        has_bars = any(i.phases for _, i in plan.walk())
        assert has_bars or sample.stem == "kahoku", sample.stem


def test_an_unedited_workbook_resaved_by_openpyxl_is_the_saved_plan_without_warnings(tmp_path):
    original, path = saved_sample(SAMPLES[0], tmp_path)
    result = read_any(Sheet(original, path).save())
    assert keys_of(result.plan) == keys_of(original)
    assert result.warnings == [] and result.changes == []


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_workbook_resaved_by_libreoffice_is_exactly_the_saved_plan(sample, tmp_path):
    original, path = saved_sample(sample, tmp_path)
    out = tmp_path / "resaved"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    result = read_any(out / "saved.xlsx")
    assert keys_of(result.plan) == keys_of(original)
    assert result.warnings == [] and result.changes == []


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_an_edit_made_then_resaved_by_libreoffice_still_comes_back_alone(tmp_path):
    sample = REPO / "samples" / "abashiri.json"
    original, path = saved_sample(sample, tmp_path)
    sheet, expected, used = Sheet(original, path), copy.deepcopy(original), set()
    assert edit(sheet, expected, "department", used) and edit(sheet, expected, "move", used)
    edited = sheet.save()
    out = tmp_path / "resaved"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(edited)],
                   check=True, capture_output=True, timeout=180)
    result = read_any(out / "edited.xlsx")
    assert keys_of(result.plan) == keys_of(expected)
    assert sorted(c.code for c in result.changes) == ["initiative.field", "phase.moved"]


def test_convert_prints_each_change_and_keeps_what_the_sheet_does_not_show(tmp_path, capsys):
    sample = REPO / "samples" / "matsumae.json"
    original, path = saved_sample(sample, tmp_path)
    sheet, expected, used = Sheet(original, path), copy.deepcopy(original), set()
    for what in ("department", "delete_row", "label"):
        assert edit(sheet, expected, what, used)
    out = tmp_path / "out.json"
    assert main(["convert", str(sheet.save()), str(out)]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("dxroadmap: change: ")]
    assert len(lines) == 3
    assert any("取組を削除" in line for line in lines) and any("関係部門" in line for line in lines)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == keys_of(expected)  # KPI, notes, priority items, exact months and ids kept
    assert any("kpi" in i or "priority_items" in i for p in written["plan"]["pillars"] for i in p["initiatives"])


def test_columns_inserted_by_hand_fall_back_to_the_visible_sheet(tmp_path):
    original, path = saved_sample(REPO / "samples" / "matsumae.json", tmp_path)
    sheet = Sheet(original, path)
    sheet.ws.insert_cols(2)
    result = read_any(sheet.save())
    assert result.changes == []
    assert any("cannot be compared" in w for w in result.warnings)
    assert [i.name for _, i in result.plan.walk()]


def swap_rows(ws, a: int, b: int, last_col: int) -> None:
    """Swap two one-row blocks with everything in them (cut and paste in Excel), merges included."""
    merges = {r: [m for m in ws.merged_cells.ranges if m.min_row == m.max_row == r] for r in (a, b)}
    for r in (a, b):
        for m in merges[r]:
            ws.merged_cells.ranges.remove(m)
    cells = {r: [(ws.cell(r, c).value, shallow(ws.cell(r, c)._style)) for c in range(1, last_col + 1)] for r in (a, b)}
    for src, dst in ((a, b), (b, a)):
        for c, (value, style) in enumerate(cells[src], start=1):
            if isinstance(ws.cell(dst, c), MergedCell):  # a plain cell again once its merge is gone
                ws._cells[(dst, c)] = Cell(ws, row=dst, column=c)
            ws.cell(dst, c).value = value
            ws.cell(dst, c)._style = style
        for m in merges[src]:
            m.shift(0, dst - src)
            ws.merged_cells.ranges.add(m)


def test_rows_moved_by_hand_are_matched_by_their_ids(tmp_path):
    original, path = saved_sample(REPO / "samples" / "matsumae.json", tmp_path)
    sheet = Sheet(original, path)

    def one_row(i):
        return not i.children and max((ln for _, ln, _, _ in placements(i, sheet.columns)), default=0) == 0
    p, pair = next((p, (x, y)) for p, pillar in enumerate(original.pillars)
                   for x, y in zip(pillar.initiatives, pillar.initiatives[1:])
                   if one_row(x) and one_row(y) and sheet.row_of[y.id] == sheet.row_of[x.id] + 1)
    swap_rows(sheet.ws, sheet.row_of[pair[0].id], sheet.row_of[pair[1].id], sheet.id_col)
    sheet.ws.cell(sheet.row_of[pair[0].id], 1).value = "名前も変えた取組"  # now the row of the second one
    result = read_any(sheet.save())
    expected = copy.deepcopy(original)
    inits = expected.pillars[p].initiatives
    k = next(n for n, i in enumerate(inits) if i.id == pair[0].id)
    inits[k], inits[k + 1] = inits[k + 1], inits[k]
    inits[k].name = "名前も変えた取組"
    assert keys_of(result.plan) == keys_of(expected)
    assert sorted(c.code for c in result.changes) == ["initiative.moved", "initiative.renamed"]


def test_a_pillar_renamed_on_the_sheet_is_renamed_and_keeps_its_id(tmp_path):
    original, path = saved_sample(REPO / "samples" / "matsumae.json", tmp_path)
    sheet = Sheet(original, path)
    cell = next(c for row in sheet.ws.iter_rows() for c in row if c.value == original.pillars[1].name)
    cell.value = "暮らしのＤＸ（改）"
    result = read_any(sheet.save())
    expected = copy.deepcopy(original)
    expected.pillars[1].name = "暮らしのＤＸ（改）"
    assert keys_of(result.plan) == keys_of(expected)
    assert [c.describe() for c in result.changes] == [f"基本方針の名前: {original.pillars[1].name}: 「{original.pillars[1].name}」 → 「暮らしのＤＸ（改）」"]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_without_the_data_sheet_rows_keep_their_ids_from_the_hidden_column(sample, tmp_path):
    original, path = saved_sample(sample, tmp_path)
    sheet = Sheet(original, path)
    del sheet.wb["dxroadmap_data"]
    plan = read_any(sheet.save()).plan
    assert [i.id for _, i in plan.walk()] == [i.id for _, i in original.walk()]
