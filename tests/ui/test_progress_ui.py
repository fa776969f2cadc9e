"""進捗管理 in the window, driven by real input: the inspector's 進捗 section and KPI table, undo,
the timeline's 進捗 view, the tree's progress filter and File › 進捗状況一覧."""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from dxroadmap.model.fiscal import fy_first_month, month_index
from dxroadmap.model.plan import Initiative, Phase, PhaseKind, Pillar, Plan
from dxroadmap.model.progress import STATUS_COLOR, Baseline, Kpi, ProgressEntry
from dxroadmap.ui.dialogs.progress_report import ProgressReportDialog
from dxroadmap.ui.main_window import MainWindow
from dxroadmap.ui.preferences import Preferences
from dxroadmap.ui.progress_panel import COL_ACHIEVED, COL_ACTUAL, COL_TARGET, default_fiscal_year
from dxroadmap.ui.strings import set_language
from dxroadmap.ui.timeline.progress_layer import STATUS_FRAME, badge_rect


def progress_plan() -> Plan:
    a = Initiative("電子申請の拡充", phases=[Phase(month_index(2023, 4), month_index(2026, 3), "導入", PhaseKind.INTRODUCE)],
                   progress={2023: ProgressEntry("done"), 2024: ProgressEntry("in-progress", actual="10手続")},
                   kpis=[Kpi("オンライン申請率", "%", Baseline(2022, 12), {2024: 50, 2027: 100})])
    b = Initiative("窓口のキャッシュレス化", progress={2024: ProgressEntry("delayed")})
    c = Initiative("AI-OCRの導入", progress={2024: ProgressEntry("not-started")})
    d = Initiative("RPAの導入", progress={2024: ProgressEntry("suspended")},
                   children=[Initiative("帳票の自動作成", progress={2024: ProgressEntry("delayed")})])
    e = Initiative("記録なし")
    return Plan(title="テスト町DX推進計画", organization="テスト町", start_fy=2023, end_fy=2027,
                pillars=[Pillar("行政のDX", [a, b, c]), Pillar("地域のDX", [d, e])])


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    boxes = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box.text()) or QMessageBox.StandardButton.Cancel)
    set_language("ja")
    win = MainWindow(prefs=Preferences())  # closed below, after the history is marked clean (no save question)
    win.resize(1500, 900)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.document.set_plan(progress_plan())
    yield win
    assert not boxes, boxes
    win.document.undo_stack.setClean()
    win.close()
    win.deleteLater()
    set_language("ja")


def click_tree_row(win, obj) -> None:
    rect = win.tree.visualRect(win.model.index_of(obj))
    QTest.mouseClick(win.tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def pick_in_popup(combo, index: int) -> None:
    """Open a combo's list with the mouse and click one of its entries."""
    QTest.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    assert view.isVisible()
    QTest.qWait(QApplication.doubleClickInterval() + 50)  # the popup ignores a release right after it opens
    rect = view.visualRect(view.model().index(index, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def type_in_cell(table, row: int, col: int, text: str) -> None:
    """Click a cell, F2 to edit, type, Enter."""
    table.scrollToItem(table.item(row, col))
    rect = table.visualItemRect(table.item(row, col))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table and table.isAncestorOf(editor)
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on Return through a queued call
    assert table.state() != table.State.EditingState


def badge_pixel(win, init, fy: int) -> QColor:
    """The colour painted inside the status badge of ``init`` in ``fy`` (its left padding, clear of the text)."""
    tl = win.timeline
    image = tl.viewport().grab().toImage()
    row = tl.state.index.row_of(init)
    rect = badge_rect(tl.mapper(), row, fy, tl.progress._words("ja")[1])
    return image.pixelColor(QPoint(int(rect.left()) + 3, int(rect.center().y())))


def test_status_and_kpi_actual_set_through_the_inspector_show_in_the_progress_view_and_ctrl_z_undoes_both(window):
    doc, panel = window.document, window.inspector.progress
    a = doc.plan.pillars[0].initiatives[0]
    click_tree_row(window, a)
    assert doc.selection is a
    assert panel.fy == 2024  # the latest year with progress (not today's date)
    assert panel.status.currentData() == "in-progress"
    # the 進捗 view, switched on from the keyboard (表示 › 進捗を表示)
    QTest.keyClick(window.tree, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.act_progress_view.isChecked() and window.timeline.progress_mode()
    assert badge_pixel(window, a, 2024) == QColor(STATUS_COLOR["in-progress"])
    assert window.timeline.progress.drawn[(a.uid, 2024)] == "in-progress"

    pick_in_popup(panel.status, panel.status.findData("delayed"))
    assert a.progress[2024].status == "delayed" and a.progress[2024].actual == "10手続"
    type_in_cell(panel.kpis, 0, COL_ACTUAL, "40")
    assert a.kpis[0].actuals == {2024: 40}
    assert panel.kpis.item(0, COL_ACHIEVED).text() == "↑ 80%"  # 40 of the 2024 target 50
    assert doc.undo_stack.count() == 2  # one step each

    window.timeline.progress.reset_drawn()
    assert badge_pixel(window, a, 2024) == QColor(STATUS_COLOR["delayed"])
    assert window.timeline.progress.drawn[(a.uid, 2024)] == "delayed"
    # a delayed year is framed in red across its whole cell
    image = window.timeline.viewport().grab().toImage()
    m, row = window.timeline.mapper(), window.timeline.state.index.row_of(a)
    frame = image.pixelColor(QPoint(int(m.x(fy_first_month(2024)) + 2), int(m.y(row + 0.5))))
    assert frame.red() - frame.green() > 60 and frame.red() - frame.blue() > 50, frame.name()

    click_tree_row(window, a)  # focus out of the table: Ctrl+Z is the window's undo
    QTest.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert a.kpis[0].actuals == {} and panel.kpis.item(0, COL_ACTUAL).text() == ""
    QTest.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert a.progress[2024].status == "in-progress"
    assert panel.status.currentData() == "in-progress"
    window.timeline.progress.reset_drawn()
    assert badge_pixel(window, a, 2024) == QColor(STATUS_COLOR["in-progress"])
    assert window.timeline.progress.drawn[(a.uid, 2024)] == "in-progress"
    QTest.keyClick(window.tree, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not window.timeline.progress_mode()


def test_year_picker_text_fields_grade_and_kpi_rows_are_undoable(window):
    doc, panel = window.document, window.inspector.progress
    e = doc.plan.pillars[1].initiatives[1]
    click_tree_row(window, e)
    assert panel.fy == 2023 and panel.status.currentData() is None  # no progress: the plan's first year
    pick_in_popup(panel.year, panel.year.findData(2025))
    assert panel.fy == 2025
    panel.actual.setFocus()
    QTest.keyClicks(panel.actual, "ok")
    assert e.progress[2025].actual == "ok" and e.progress[2025].status == "not-started"
    assert doc.undo_stack.count() == 1  # typing merges into one step
    pick_in_popup(panel.grade, panel.grade.findData("B"))
    assert e.progress[2025].grade == "B"
    panel.updated.setFocus()
    QTest.keyClicks(panel.updated, "2026-03")
    QTest.keyClick(panel.updated, Qt.Key.Key_Tab)
    assert e.progress[2025].updated == "2026-03"
    QTest.mouseClick(panel.add_kpi, Qt.MouseButton.LeftButton)
    assert [k.name for k in e.kpis] == ["新しい指標"]
    type_in_cell(panel.kpis, 0, COL_TARGET, "120")
    assert e.kpis[0].targets == {2025: 120}
    panel.kpis.setCurrentCell(0, 0)
    QTest.mouseClick(panel.remove_kpi, Qt.MouseButton.LeftButton)
    assert e.kpis == []
    pick_in_popup(panel.status, 0)  # （未記入）: the year's entry goes
    assert 2025 not in e.progress
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert e.progress == {} and e.kpis == []
    doc.undo_stack.redo()
    assert e.progress[2025].actual == "ok"


def test_the_tree_filter_keeps_only_delayed_and_not_started_initiatives_on_both_sides(window):
    doc = window.document
    a, b, c = doc.plan.pillars[0].initiatives
    d, e = doc.plan.pillars[1].initiatives
    sub = d.children[0]
    box = window.filter_box
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Down)  # すべて → 遅延・未着手
    assert box.currentData() == "attention" and window.filter_actions["attention"].isChecked()
    shown = [r.obj for r in window.rows()]
    assert b in shown and c in shown and sub in shown
    assert d in shown  # the parent of a delayed sub-action stays
    assert a not in shown and e not in shown
    assert window.tree.isRowHidden(0, window.model.index_of(doc.plan.pillars[0]))  # a
    assert not window.tree.isRowHidden(1, window.model.index_of(doc.plan.pillars[0]))  # b
    assert [r.obj for r in window.timeline.state.index.rows] == shown  # the timeline shows the same rows
    QTest.keyClick(box, Qt.Key.Key_Down)  # 遅延 only
    shown = [r.obj for r in window.rows()]
    assert b in shown and c not in shown
    # a status changed in the inspector updates the filter
    doc.select(b)
    panel = window.inspector.progress
    pick_in_popup(panel.status, panel.status.findData("done"))
    assert b not in [r.obj for r in window.rows()]
    doc.undo_stack.undo()
    assert b in [r.obj for r in window.rows()]
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Home)  # すべて
    assert len(window.rows()) == 8


def test_default_year_is_the_latest_with_progress_else_the_first_year():
    assert default_fiscal_year(Initiative("x", progress={2022: ProgressEntry(), 2024: ProgressEntry()}), 2021) == 2024
    assert default_fiscal_year(Initiative("x"), 2021) == 2021


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_file_progress_report_writes_the_chosen_year_and_format(window, monkeypatch, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    chosen = {}

    def exec_(dialog):
        assert dialog.year.currentData() == 2024  # the latest year with progress
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        dialog.paper.setCurrentText("A3")
        chosen["choices"] = dialog.choices()
        return 1

    monkeypatch.setattr(ProgressReportDialog, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out)[:-len(fmt) - 1], "")))
    window.act_progress_report.trigger()
    assert chosen["choices"] == (2024, "A3", fmt)
    assert out.exists() and out.stat().st_size > 1000
    head = Path(out).read_bytes()[:4]
    assert head == (b"%PDF" if fmt == "pdf" else b"PK\x03\x04")
    if fmt == "xlsx":
        from openpyxl import load_workbook

        text = " ".join(str(c.value) for row in load_workbook(out).active.iter_rows() for c in row if c.value)
        assert "窓口のキャッシュレス化" in text and "遅延" in text


def test_suspended_years_get_a_dashed_dark_frame_and_every_badge_is_painted(window):
    window.set_progress_view(True)
    QApplication.processEvents()
    window.timeline.viewport().grab()
    drawn = window.timeline.progress.drawn
    d = window.document.plan.pillars[1].initiatives[0]
    assert drawn[(d.uid, 2024)] == "suspended"
    assert STATUS_FRAME["suspended"].lightness() < 100
    assert {s for s in drawn.values()} == {"done", "in-progress", "delayed", "not-started", "suspended"}


def test_a_delayed_frame_covers_every_lane_of_a_crowded_row(window):
    """A row grown for overlapping bars is framed whole (遅延), not only its top lane."""
    b = window.document.plan.pillars[0].initiatives[1]
    b.phases = [Phase(month_index(2024, 4), month_index(2025, 3), "検討", PhaseKind.STUDY),
                Phase(month_index(2024, 7), month_index(2025, 9), "導入", PhaseKind.INTRODUCE)]
    window.document.set_plan(window.document.plan)
    window.set_progress_view(True)
    QApplication.processEvents()
    tl = window.timeline
    m = tl.mapper()
    row = tl.state.index.row_of(b)
    assert m.row_height(row) >= 2 * m.sy - 1  # two lanes
    image = tl.viewport().grab().toImage()
    x = int(m.x(month_index(2024, 4)) + 1.5)
    frame = STATUS_FRAME["delayed"]
    # the frame's left edge, down in the second lane
    y = int(m.y(row) + m.sy * 1.5)
    near = [image.pixelColor(QPoint(x + dx, y)) for dx in (-1, 0, 1)]
    assert any(abs(c.red() - frame.red()) + abs(c.green() - frame.green()) + abs(c.blue() - frame.blue()) < 60
               for c in near), [c.name() for c in near]
