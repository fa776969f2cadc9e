"""``dxroadmap update`` deleting the rows of removed initiatives, adjusting formulas, pairing by id.

A removed initiative's rows go and everything below moves up, in every cell-drawn fixture and
LibreOffice-made workbook; a workbook with formulas (a 合計 row, a cross-sheet reference, a
shared formula, a conditional format, a list validation, a print area, a chart-less defined
name) keeps every reference on the same cells through an insertion and a deletion, and
LibreOffice computes the same totals from it; ids pair renamed and reordered initiatives.
"""

from __future__ import annotations

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
    before, after = _sheet_cells(src, removed.sheet), _sheet_cells(out, removed.sheet)
    cut = max(removed.rows)
    assert [v for r, v in before if r > cut] == [v for r, v in after if r > cut - n]
    assert [v for r, v in before if r < min(removed.rows)] == [v for r, v in after if r < min(removed.rows)]
    assert len(after) < len(before)
    # the visible form alone reads the same initiatives, in order
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert [i.name for _, i in visible.walk()] == [i.name for _, i in plan.walk()]
    assert len(_slots(out)) == len(old_slots) - 1 - len(gone.children)
