"""The review dialog for a colleague's edits of a saved workbook, and opening such a workbook in the window."""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from dxroadmap.io.plan_json import plan_to_dict, read_plan_json
from dxroadmap.io.xlsx.export import SHEET_NAME, id_column, placements, time_columns, write_workbook
from dxroadmap.io.xlsx.reopen import last_saved_by
from dxroadmap.model.diff import diff_plans
from dxroadmap.ui.dialogs import workbook_changes
from dxroadmap.ui.dialogs.workbook_changes import WorkbookChangesDialog
from dxroadmap.ui.main_window import written_by_dxroadmap
from tests.io.xlsx.test_edited_workbook import delete_rows
from tests.ui.test_main_window import dialogs, window  # noqa: F401 (fixtures)

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "matsumae.json"


def edited_workbook(tmp_path: Path):
    """matsumae saved, then a department changed and the second initiative's rows deleted, as a colleague would."""
    plan = read_plan_json(SAMPLE)
    path = tmp_path / "saved.xlsx"
    write_workbook(plan, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_NAME]
    col = id_column(plan, "quarter")
    rows = {ws.cell(r, col).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value}
    first, second = [i for _, i in plan.walk()][:2]
    ws.cell(rows[first.id], 3).value = "情報政策課"
    lanes = max((lane for _, lane, _, _ in placements(second, time_columns(plan, "quarter"))), default=0) + 1
    delete_rows(ws, rows[second.id], lanes)
    wb.properties.lastModifiedBy = "総務課 山田"
    wb.save(path)
    return plan, path, first, second


def test_removals_start_unchecked_and_the_checked_changes_are_returned(qtbot):
    plan = read_plan_json(SAMPLE)
    new = copy.deepcopy(plan)
    new.pillars[0].initiatives[0].departments = ["情報政策課"]
    del new.pillars[0].initiatives[1]
    changes = diff_plans(plan, new)
    dialog = WorkbookChangesDialog(None, "x.xlsx", changes, "山田", None)
    qtbot.addWidget(dialog)
    states = [dialog.list.item(k).checkState() for k in range(dialog.list.count())]
    assert [c.code for c in changes] == ["initiative.removed", "initiative.field"]
    assert states == [Qt.CheckState.Unchecked, Qt.CheckState.Checked]
    assert dialog.accepted_changes() == [changes[1]]
    dialog._check_all(Qt.CheckState.Checked)
    assert dialog.accepted_changes() == changes
    assert "山田" in dialog.findChildren(type(dialog.count))[0].text()


def test_opening_an_edited_workbook_asks_and_applies_what_was_accepted(window, tmp_path, monkeypatch):  # noqa: F811
    plan, path, first, second = edited_workbook(tmp_path)
    assert last_saved_by(path)[0] == "総務課 山田"
    assert written_by_dxroadmap(path)  # still ours after openpyxl re-saved it (xmlns on dc:creator)
    seen = []

    def accept(dialog):
        seen.append([dialog.list.item(k).text() for k in range(dialog.list.count())])
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(workbook_changes.WorkbookChangesDialog, "exec", accept)
    assert window.load_file(path)
    assert len(seen) == 1 and any("関係部門" in line for line in seen[0]) and any("削除" in line for line in seen[0])
    opened = {i.id: i for _, i in window.document.plan.walk()}
    assert opened[first.id].departments == ["情報政策課"]
    assert second.id in opened  # the deletion was not agreed to
    assert opened[first.id].kpi == first.kpi and opened[first.id].phases[0].start == first.phases[0].start


def test_cancelling_the_review_opens_nothing(window, tmp_path, monkeypatch):  # noqa: F811
    _, path, _, _ = edited_workbook(tmp_path)
    before = plan_to_dict(window.document.plan)
    monkeypatch.setattr(workbook_changes.WorkbookChangesDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert not window.load_file(path)
    assert plan_to_dict(window.document.plan) == before
