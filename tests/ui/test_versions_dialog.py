"""版 in the editor: File › 版を保存, the version list (view, compare, restore, delete) and the coverage matrix."""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.model.versions import snapshot
from dxroadmap.ui.dialogs.coverage import CoverageDialog
from dxroadmap.ui.dialogs.versions import VersionsDialog, save_version_interactively
from dxroadmap.ui.document import Document
from dxroadmap.ui.strings import set_language

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "model"))
from test_versions import edit_four, small_plan  # noqa: E402


@pytest.fixture
def doc(qapp):
    set_language("ja")
    return Document(small_plan())


def test_save_compare_restore_delete_all_undoable(doc, qtbot, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("V1.0 当初計画", True))
    assert save_version_interactively(doc, None, _dt.date(2023, 3, 31))
    assert [(v.name, v.saved) for v in doc.plan.versions] == [("V1.0 当初計画", "2023-03-31")]
    before = plan_to_dict(snapshot(doc.plan))
    edit_four(doc.plan)
    doc.structureChanged.emit()
    dialog = VersionsDialog(doc)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and dialog.buttons["restore"].isEnabled()
    view = dialog.view()
    assert view.tree.topLevelItem(0).text(0) == "暮らし" and view.tree.topLevelItem(0).childCount() == 3
    changes = dialog.compare()
    assert changes.list.count() == 4
    renamed = next(i for i in range(4) if "窓口のデジタル化" in changes.list.item(i).text())
    changes.list.setCurrentRow(renamed)
    assert doc.selection is doc.plan.pillars[0].initiatives[1]
    dialog.restore(confirm=False)
    assert plan_to_dict(snapshot(doc.plan)) == before and len(doc.plan.versions) == 1
    doc.undo_stack.undo()
    assert doc.plan.pillars[0].initiatives[1].name == "窓口のデジタル化"
    dialog.delete(confirm=False)
    assert doc.plan.versions == [] and dialog.list.count() == 0 and not dialog.buttons["delete"].isEnabled()
    doc.undo_stack.undo()
    assert len(doc.plan.versions) == 1 and dialog.list.count() == 1


def test_coverage_matrix_marks_uncovered_items_and_selects_initiatives(doc, qtbot):
    doc.plan.pillars[0].initiatives[0].priority_items = ["行政手続のオンライン化"]
    dialog = CoverageDialog(doc)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == len(dialog.report.rows) == 12  # 第2.3版
    assert table.item(0, 1).text() == "自治体フロントヤード改革の推進" and table.item(0, 3).text() == "○"
    assert table.item(2, 2).text() == "未対応"
    dialog._clicked(0, 3)
    assert doc.selection is doc.plan.pillars[0].initiatives[0]
