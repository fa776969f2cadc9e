"""The main window as a planner uses it: open, see every row, rename, reorder, undo, save, switch language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QInputMethodEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from dxroadmap.io.plan_json import plan_to_dict, write_plan_json
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan
from dxroadmap.model.rows import flatten_rows
from dxroadmap.ui import print_dialog
from dxroadmap.ui.context_menus import build_context_menu
from dxroadmap.ui.file_session import copy_name
from dxroadmap.ui.main_window import MainWindow, written_by_dxroadmap
from dxroadmap.ui.preferences import Preferences, recent_files
from dxroadmap.ui.strings import set_language, tr
from dxroadmap.ui.tree_model import COL_NAME

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "samples").glob("*.json"))
SHARED = REPO.parent / "shared"
B = QMessageBox.StandardButton


def built_plan() -> Plan:
    a = Initiative("書かない窓口", departments=["市民課"],
                   phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討", PhaseKind.STUDY),
                           Phase(month_index(2024, 4), month_index(2028, 3), "本運用", PhaseKind.OPERATE)],
                   milestones=[Milestone(month_index(2024, 4), "開始")],
                   children=[Initiative("申請書の見直し"), Initiative("窓口端末の導入")])
    pillars = [Pillar(f"基本方針{p}", [a] if p == 1 else []) for p in range(1, 4)]
    for p, pillar in enumerate(pillars):
        for n in range(12):
            pillar.initiatives.append(Initiative(f"取組{p}-{n}", phases=[
                Phase(month_index(2023 + n % 4, 4), month_index(2024 + n % 4, 3), "導入", PhaseKind.INTRODUCE)]))
    return Plan(title="テスト町DX推進計画", organization="テスト町", start_fy=2023, end_fy=2027, pillars=pillars)


class Dialogs:
    """Records every message box instead of showing it; ``answer`` is what exec() returns."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = B.Cancel


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    record = Dialogs()

    def static(kind):
        def show(parent, title, text, *args, **kwargs):
            record.shown.append((kind, title, text))
            return B.Ok
        return staticmethod(show)

    def exec_(box):
        record.shown.append(("box", box.windowTitle(), box.text() + "\n" + box.informativeText()))
        return record.answer

    for kind in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, static(kind))
    monkeypatch.setattr(QMessageBox, "exec", exec_)
    set_language("ja")
    yield record
    set_language("ja")


@pytest.fixture
def window(qtbot, dialogs):
    win = MainWindow(prefs=Preferences())
    qtbot.addWidget(win)
    win.resize(1400, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.document.undo_stack.setClean()
    win.close()


def plan_file(tmp_path, plan: Plan | None = None, name: str = "plan.json") -> Path:
    path = tmp_path / name
    write_plan_json(plan or built_plan(), path)
    return path


def tree_rows(win) -> list:
    """The objects of the tree's visible rows, top to bottom."""
    out = []
    index = win.tree.model().index(0, 0, QModelIndex())
    while index.isValid():
        out.append(win.model.object_at(index))
        index = win.tree.indexBelow(index)
    return out


def timeline_rows(win) -> list:
    return [row.obj for row in win.timeline.state.index.rows]


def assert_rows_agree(win):
    model_rows = [r.obj for r in flatten_rows(win.document.plan, win._is_expanded)]
    assert tree_rows(win) == model_rows
    assert timeline_rows(win) == model_rows
    assert [r.obj for r in win.rows()] == model_rows


@pytest.mark.parametrize("sample", SAMPLES or [None], ids=lambda p: p.name if p else "built-plan")
def test_every_sample_shows_the_same_rows_in_tree_and_timeline(window, sample, tmp_path, dialogs):
    path = sample or plan_file(tmp_path)
    if sample is not None:  # a copy: a dxroadmap running elsewhere may hold the repo sample's lock (read-only view)
        path = tmp_path / sample.name
        path.write_bytes(sample.read_bytes())
    assert window.load_file(path)
    plan = window.document.plan
    counts = plan.counts()
    assert len(tree_rows(window)) == counts["pillars"] + counts["initiatives"]
    assert_rows_agree(window)
    assert window.tree.header().height() == window.timeline.header_height()
    first = window.model.index(0, 0)
    assert window.tree.visualRect(first).height() == window.timeline.ROW_HEIGHT
    assert window.windowTitle() == f"{path.name}[*] — dxroadmap"
    assert not window.isWindowModified()
    assert recent_files()[0] == str(path.resolve())
    assert not [d for d in dialogs.shown if d[0] == "critical"]
    # collapsing a pillar hides its rows on both sides
    window.tree.collapse(window.model.index_of(plan.pillars[0]))
    assert len(tree_rows(window)) == counts["pillars"] + counts["initiatives"] - sum(1 for _ in plan.pillars[0].walk())
    assert_rows_agree(window)
    window.tree.expand(window.model.index_of(plan.pillars[0]))
    assert_rows_agree(window)


def test_f2_renames_in_the_tree_and_undo_restores(window, tmp_path, qtbot):
    window.load_file(plan_file(tmp_path))
    init = window.document.plan.pillars[1].initiatives[0]
    window.document.select(init)
    assert window.tree.currentIndex() == window.model.index_of(init)
    window.tree.setFocus()
    QTest.keyClick(window.tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not window.tree and editor.text() == "取組1-0"
    editor.selectAll()
    event = QInputMethodEvent("", [])
    event.setCommitString("公共施設予約のオンライン化")
    QApplication.sendEvent(editor, event)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: init.name != "取組1-0", timeout=1000)  # the delegate commits in a queued call
    assert init.name == "公共施設予約のオンライン化"
    assert window.isWindowModified()
    assert window.act_undo.text() == "元に戻す: 名前の変更"
    window.act_undo.trigger()
    assert init.name == "取組1-0"
    assert window.model.data(window.model.index_of(init)) == "取組1-0"
    assert not window.isWindowModified()
    window.act_redo.trigger()
    assert init.name == "公共施設予約のオンライン化"


def drop_on_view(view, obj_index: QModelIndex, data: QMimeData, where: str) -> None:
    """Drop ``data`` on the tree's viewport just above, onto or just below the row of ``obj_index``."""
    view.scrollTo(obj_index)
    rect = view.visualRect(obj_index)
    y = {"above": rect.top() + 2, "on": rect.center().y(), "below": rect.bottom() - 1}[where]
    pos = QPointF(rect.left() + 60, y)
    move = Qt.DropAction.MoveAction
    enter = QDragEnterEvent(pos.toPoint(), move, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), enter)
    over = QDragMoveEvent(pos.toPoint(), move, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), over)
    assert over.isAccepted()
    drop = QDropEvent(pos, move, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), drop)


def test_dropping_rows_on_the_tree_reorders_them_as_single_undo_steps(window, tmp_path):
    window.load_file(plan_file(tmp_path))
    plan = window.document.plan
    p1, p2, p3 = plan.pillars
    before = plan_to_dict(plan)
    moved = p2.initiatives[3]
    # the drag's payload as the view builds it, dropped just above p3's first initiative
    data = window.model.mimeData([window.model.index_of(moved)])
    drop_on_view(window.tree, window.model.index_of(p3.initiatives[0]), data, "above")
    assert p3.initiatives[0] is moved and moved not in p2.initiatives
    # onto an initiative: becomes its sub-action
    target = p1.initiatives[0]
    drop_on_view(window.tree, window.model.index_of(target), window.model.mimeData([window.model.index_of(moved)]), "on")
    assert target.children[-1] is moved
    assert window.document.undo_stack.count() == 2
    assert_rows_agree(window)
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert plan_to_dict(plan) == before
    assert_rows_agree(window)


def test_unsaved_mark_and_the_close_prompt(window, tmp_path, dialogs, qtbot):
    path = plan_file(tmp_path)
    window.load_file(path)
    init = window.document.plan.pillars[0].initiatives[0]
    window.document.set_fields(init, name="変更後")
    assert window.isWindowModified() and "[*]" in window.windowTitle()
    dialogs.answer = B.Cancel
    assert not window.close()
    assert window.isVisible()
    assert dialogs.shown[-1][0] == "box" and "plan.json" in dialogs.shown[-1][2]
    dialogs.answer = B.Save
    assert window.close()
    assert json.loads(path.read_text(encoding="utf-8"))["plan"]["pillars"][0]["initiatives"][0]["name"] == "変更後"


def test_discard_closes_without_writing_and_new_asks_too(window, tmp_path, dialogs):
    path = plan_file(tmp_path)
    window.load_file(path)
    original = path.read_bytes()
    window.document.set_fields(window.document.plan.pillars[0], name="X")
    dialogs.answer = B.Cancel
    window.act_new.trigger()
    assert window.document.path == str(path)  # cancelled: still the same plan
    dialogs.answer = B.Discard
    window.act_new.trigger()
    assert window.document.path is None and not window.isWindowModified()
    assert window.windowTitle() == "無題[*] — dxroadmap"
    assert path.read_bytes() == original


def test_a_broken_file_shows_a_dialog_and_keeps_the_plan(window, tmp_path, dialogs):
    before = plan_to_dict(window.document.plan)
    broken = tmp_path / "壊れた.json"
    broken.write_text('{"format": "dxroadmap-plan", "pillars": [', encoding="utf-8")
    assert not window.load_file(broken)
    kind, title, text = dialogs.shown[-1]
    assert kind == "critical" and title == "開けませんでした" and "壊れた.json" in text
    assert "Traceback" not in text
    (tmp_path / "メモ.txt").write_bytes(b"hello")
    assert not window.load_file(tmp_path / "メモ.txt")
    assert dialogs.shown[-1][0] == "critical" and "メモ.txt" in dialogs.shown[-1][2]
    n = len(dialogs.shown)
    (tmp_path / "空.xlsx").write_bytes(b"")  # the import dialog (if installed) explains this one itself
    assert not window.load_file(tmp_path / "空.xlsx")
    assert len(dialogs.shown) == n + 1 and dialogs.shown[-1][0] in ("critical", "warning")
    assert not window.load_file(tmp_path / "ない.json")
    assert plan_to_dict(window.document.plan) == before
    assert window.document.path is None


def test_dropping_a_file_on_the_window_opens_it(window, tmp_path, qtbot):
    path = plan_file(tmp_path, name="落とした計画.json")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(300, 300), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(300, 300), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: window.document.path == str(path), timeout=2000)
    assert window.document.plan.title == "テスト町DX推進計画"
    plain = QMimeData()
    plain.setText("not a file")
    enter = QDragEnterEvent(QPoint(300, 300), Qt.DropAction.CopyAction, plain, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_language_switch_changes_menus_headers_and_inspector(window):
    assert window.menu_file.title() == "ファイル(&F)"
    assert window.model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "取組内容"
    window.apply_preferences(Preferences(language="en"))
    assert window.menu_file.title() == "&File"
    assert window.act_save.text() == "&Save"
    assert window.act_open.text() == "&Open…"
    assert window.model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "Initiative"
    assert window.inspector_dock.windowTitle() == "Inspector"
    assert window.timeline.state.lang == "en"
    window.document.set_fields(window.document.plan, title="T")
    assert window.act_undo.text() == "Undo Edit"
    window.apply_preferences(Preferences(language="ja"))
    assert window.menu_edit.title() == "編集(&E)"
    assert window.act_undo.text() == "元に戻す: 編集"


def test_language_switch_renames_the_inspectors_month_and_year_pickers(window, tmp_path):
    """The pickers built in Japanese read Apr / FY2023 after switching to English, and 4月 / 令和5年度 back."""
    assert window.load_file(plan_file(tmp_path))
    phase = next(ph for _p, i in window.document.plan.walk() for ph in i.phases)
    window.document.select(phase)
    picker = window.inspector.phase_start
    assert picker.month.itemText(0) == "4月" and "令和" in picker.year.currentText()
    window.apply_preferences(Preferences(language="en"))
    texts = [picker.month.itemText(i) for i in range(12)] + [picker.year.itemText(i) for i in range(picker.year.count())]
    texts += [window.inspector.period_start.itemText(i) for i in range(window.inspector.period_start.count())]
    assert picker.month.itemText(0) == "Apr" and picker.year.currentText().startswith("FY")
    assert not [t for t in texts if "月" in t or "令和" in t or "年度" in t], texts
    window.apply_preferences(Preferences(language="ja"))
    assert picker.month.itemText(0) == "4月" and "令和" in picker.year.currentText()


def save_as_to(monkeypatch, target: Path):
    calls = []

    def fake(parent, title, default, filters, selected=""):
        calls.append((default, filters, selected))
        return str(target), selected
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return calls


def test_save_as_json_and_xlsx_then_reopen_keeps_the_plan(window, tmp_path, monkeypatch, dialogs):
    window.load_file(plan_file(tmp_path))
    window.document.set_fields(window.document.plan.pillars[0].initiatives[0], summary="来庁不要の手続を増やす")
    expected = plan_to_dict(window.document.plan)
    for ext in (".json", ".xlsx"):
        target = tmp_path / f"保存{ext}"
        calls = save_as_to(monkeypatch, target)
        assert window.act_save_as.trigger() is None and target.exists()
        assert calls[0][1].split(";;")[0].endswith("(*.xlsx)")  # .xlsx is offered first
        assert window.document.path == str(target) and not window.isWindowModified()
        assert window.windowTitle() == f"{target.name}[*] — dxroadmap"
        if ext == ".xlsx":
            assert written_by_dxroadmap(target)  # so it reopens without the import dialog
        window.act_new.trigger()
        assert window.load_file(target), dialogs.shown
        assert plan_to_dict(window.document.plan) == expected
    assert not [d for d in dialogs.shown if d[0] == "critical"]


def test_a_new_plan_saves_as_xlsx_by_default(window, tmp_path, monkeypatch):
    target = tmp_path / "新しい計画.xlsx"
    calls = save_as_to(monkeypatch, target)
    assert window.save()
    default, filters, selected = calls[0]
    assert default.endswith(".xlsx") and selected == filters.split(";;")[0]
    assert target.read_bytes()[:2] == b"PK"


@pytest.mark.skipif(not (SHARED / "fixtures" / "s01_yearfill_matsumae.xlsx").exists(), reason="needs ../shared")
def test_saving_an_offices_own_workbook_writes_into_its_form(window, tmp_path, monkeypatch, dialogs):
    """Issue 12: Save writes into the office's workbook (its form, a .bak of the original); a dxroadmap
    workbook is one File-menu action away (「dxroadmap 形式のブックとして保存…」)."""
    from dxroadmap.io.xlsx.read.workbook import import_workbook

    monkeypatch.setattr("dxroadmap.ui.import_dialog.run_import_dialog", lambda parent, path: import_workbook(path).plan)
    original = tmp_path / "松前町.xlsx"
    original.write_bytes((SHARED / "fixtures" / "s01_yearfill_matsumae.xlsx").read_bytes())  # writable, unlike the fixture
    assert not written_by_dxroadmap(original)
    assert window.load_file(original), dialogs.shown
    content = original.read_bytes()
    window.document.set_fields(window.document.plan, title="改訂版")
    n = len(dialogs.shown)
    assert window.save(), dialogs.shown[n:]  # no question: into their form
    assert len(dialogs.shown) == n and not window.isWindowModified()
    assert not written_by_dxroadmap(original) and original.read_bytes() != content
    assert (tmp_path / "松前町.bak.xlsx").read_bytes() == content
    copy = tmp_path / "松前町_dxroadmap.xlsx"
    save_as_to(monkeypatch, copy)
    assert window.act_save_as_workbook in window.menu_file.actions()
    window.act_save_as_workbook.trigger()
    assert copy.exists() and written_by_dxroadmap(copy)
    window.document.set_fields(window.document.plan, title="再改訂")
    assert window.save()  # our own workbook now: no question
    assert len(dialogs.shown) == n


def test_write_failure_shows_a_dialog_and_keeps_the_unsaved_mark(window, tmp_path, monkeypatch, dialogs):
    folder = tmp_path / "読み取り専用"
    folder.mkdir()
    save_as_to(monkeypatch, folder / "missing" / "plan.json")
    window.document.set_fields(window.document.plan, title="T")
    assert not window.save()
    assert dialogs.shown[-1][0] == "critical" and dialogs.shown[-1][1] == "保存できませんでした"
    assert window.isWindowModified()


def menu_action(menu, text):
    found = [a for a in menu.actions() if a.text() == text]
    assert found, [a.text() for a in menu.actions()]
    return found[0]


def test_context_menus_add_and_delete_everything(window, tmp_path, qtbot):
    window.load_file(plan_file(tmp_path))
    doc = window.document
    plan = doc.plan
    init = plan.pillars[0].initiatives[0]
    before = plan_to_dict(plan)
    # right-click on the timeline at 令和7年度 8月 in the initiative's row
    menu = build_context_menu(window, None, init, month_index(2025, 8), window)
    menu_action(menu, "ここに工程を追加").trigger()
    added = init.phases[-1]
    assert (added.start, added.end, added.label, added.kind) == (month_index(2025, 4), month_index(2026, 3), "検討",
                                                                 PhaseKind.STUDY)
    assert doc.selection is added
    menu_action(build_context_menu(window, None, init, month_index(2026, 1), window), "ここにマイルストーンを追加").trigger()
    assert init.milestones[-1].month == month_index(2026, 1)
    menu_action(build_context_menu(window, added, init, added.start, window), "工程を削除").trigger()
    assert added not in init.phases
    menu_action(build_context_menu(window, None, init, None, window), "下に取組を追加").trigger()
    new = plan.pillars[0].initiatives[1]
    assert new.name == "新しい取組" and doc.selection is new
    assert window.tree.state() == window.tree.State.EditingState  # ready to type its name
    window.tree.closePersistentEditor(window.tree.currentIndex())
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    menu_action(build_context_menu(window, None, init, None, window), "サブ取組を追加").trigger()
    assert init.children[-1].name == "新しいサブ取組"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    menu_action(build_context_menu(window, None, plan.pillars[2], None, window), "下に基本方針を追加").trigger()
    assert plan.pillars[3].name == "新しい基本方針"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    menu_action(build_context_menu(window, None, plan.pillars[1], None, window), "基本方針を削除").trigger()
    assert len(plan.pillars) == 3
    menu_action(build_context_menu(window, None, new, None, window), "取組を削除").trigger()
    assert new not in plan.pillars[0].initiatives
    assert_rows_agree(window)
    while doc.undo_stack.canUndo():
        window.act_undo.trigger()
    assert plan_to_dict(plan) == before
    assert_rows_agree(window)


def test_delete_key_action_removes_the_selected_bar_and_problems_show_in_the_status_bar(window, tmp_path, qtbot):
    window.load_file(plan_file(tmp_path))
    doc = window.document
    init = doc.plan.pillars[0].initiatives[0]
    phase = init.phases[0]
    doc.select(phase)
    assert window.tree.currentIndex() == window.model.index_of(init)  # the tree follows the bar's row
    assert doc.selection is phase
    window.act_focus_inspector.trigger()  # Delete while in the inspector's fields deletes nothing
    window.act_delete.trigger()
    assert init.phases[0] is phase
    window.act_focus_timeline.trigger()
    window.act_delete.trigger()
    assert phase not in init.phases and doc.selection is None
    window.act_undo.trigger()
    assert init.phases[0] is phase
    window.update_problems()
    assert window.problems_button.text() == "問題なし"
    doc.set_fields(init, name="")
    doc.set_phase_span(init.phases[1], month_index(2030, 4), month_index(2031, 3))
    window.update_problems()
    assert window.problems_button.text() == "問題 2 件"
    actions = window.problems_menu.actions()
    assert len(actions) == 2 and "計画期間の外" in actions[1].text()
    actions[1].trigger()
    assert doc.selection is init.phases[1]


def test_tree_and_timeline_scroll_together(window, tmp_path, qtbot):
    window.resize(1200, 420)
    window.load_file(plan_file(tmp_path))
    qtbot.wait(10)
    bar = window.tree.verticalScrollBar()
    assert bar.maximum() > 200
    bar.setValue(150)
    assert window.timeline.scroll_y() == 150
    # a wheel turn over the timeline scrolls the tree too
    viewport = window.timeline.viewport()
    center = QPointF(viewport.width() / 2, viewport.height() / 2)
    wheel = QWheelEvent(center, viewport.mapToGlobal(center), QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, wheel)
    assert window.timeline.scroll_y() > 150
    assert bar.value() == round(window.timeline.scroll_y())
    # at the bottom, the last row is on the same pixel row on both sides
    bar.setValue(bar.maximum())
    last = window.rows()[-1].obj
    tree_y = window.tree.viewport().mapTo(window, window.tree.visualRect(window.model.index_of(last)).topLeft()).y()
    timeline_y = viewport.mapTo(window, window.timeline.map_to_viewport(0, len(window.rows()) - 1)).y()
    assert abs(tree_y - timeline_y) <= 1


def test_keyboard_reaches_every_pane(window, qtbot):
    window.activateWindow()
    window.act_focus_inspector.trigger()
    assert window.inspector.isAncestorOf(QApplication.focusWidget())
    window.act_focus_tree.trigger()
    assert QApplication.focusWidget() is window.tree
    window.act_focus_timeline.trigger()
    assert window.timeline.isAncestorOf(QApplication.focusWidget())
    for action, key in ((window.act_new, "Ctrl+N"), (window.act_open, "Ctrl+O"), (window.act_save, "Ctrl+S"),
                        (window.act_undo, "Ctrl+Z"), (window.act_zoom_fit, "Ctrl+0"), (window.act_print, "Ctrl+P")):
        assert action.shortcut().toString() == key


def test_keyboard_selection_in_the_tree_drives_the_inspector_and_esc_shows_the_plan(window, tmp_path, qtbot):
    window.load_file(plan_file(tmp_path))
    doc = window.document
    window.tree.setFocus()
    assert doc.selection is None  # focusing the tree alone selects nothing
    assert window.inspector.stack.currentWidget() is window.inspector.plan_page
    QTest.keyClick(window.tree, Qt.Key.Key_Down)
    QTest.keyClick(window.tree, Qt.Key.Key_Down)
    first = doc.plan.pillars[0].initiatives[0]
    assert doc.selection in (first, doc.plan.pillars[0])
    while doc.selection is not first:
        QTest.keyClick(window.tree, Qt.Key.Key_Down)
    assert window.inspector.stack.currentWidget() is window.inspector.initiative_page
    assert window.inspector.init_name.text() == "書かない窓口"
    assert window.selection_label.text() == "取組: 書かない窓口"
    QTest.keyClick(window.tree, Qt.Key.Key_Escape)
    assert doc.selection is None
    assert window.inspector.stack.currentWidget() is window.inspector.plan_page
    window.act_plan.trigger()
    assert QApplication.focusWidget() is window.inspector.plan_title


def test_the_timelines_right_click_opens_the_shared_menu(window, tmp_path, monkeypatch):
    window.load_file(plan_file(tmp_path))
    shown = []
    monkeypatch.setattr(window, "show_menu", lambda menu, pos: shown.append([x.text() for x in menu.actions()]))
    init = window.document.plan.pillars[0].initiatives[0]
    phase = init.phases[1]
    window.timeline.contextMenuRequested.emit(phase, init, month_index(2025, 5), QPoint(10, 10))
    assert window.document.selection is phase
    assert shown[-1][:2] == ["工程を編集…", "工程を削除"]
    assert "ここにマイルストーンを追加" in shown[-1] and "サブ取組を追加" in shown[-1]
    window.timeline.contextMenuRequested.emit(None, window.document.plan.pillars[1], month_index(2025, 5),
                                              QPoint(10, 10))
    assert "基本方針を削除" in shown[-1] and "ここに工程を追加" not in shown[-1]
    window.timeline.contextMenuRequested.emit(None, None, month_index(2025, 5), QPoint(10, 10))
    assert shown[-1][0] == "基本方針を追加"


def test_preferences_persist_and_recent_files_fill_the_menu(window, tmp_path):
    from dxroadmap.model.edits import Snap
    from dxroadmap.model.wareki import YearStyle
    from dxroadmap.ui.preferences import PreferencesDialog, load_preferences

    prefs = Preferences(language="ja", year_style=YearStyle.ERA_SHORT, snap=Snap.QUARTER, autosave_minutes=10)
    dialog = PreferencesDialog(prefs, window)
    assert dialog.preferences() == prefs
    dialog.snap.setCurrentIndex(0)
    dialog.autosave.setValue(0)
    chosen = dialog.preferences()
    assert (chosen.snap, chosen.autosave_minutes) == (Snap.MONTH, 0)
    assert dialog.autosave.text() == "しない"
    window.apply_preferences(prefs)
    assert load_preferences() == prefs
    assert window.timeline.snap is Snap.QUARTER
    assert window.timeline.state.year_style is YearStyle.ERA_SHORT
    paths = [plan_file(tmp_path, name=f"計画{n}.json") for n in range(12)]
    for path in paths:
        window.load_file(path)
    assert recent_files() == [str(p.resolve()) for p in reversed(paths)][:10]
    window.menu_recent.aboutToShow.emit()
    texts = [a.text() for a in window.menu_recent.actions()]
    assert texts[0] == "&1 計画11.json" and texts[-1] == "履歴を消去"
    window.menu_recent.actions()[3].trigger()  # 計画8.json
    assert window.document.path == str(paths[8].resolve())


def test_print_and_export_call_the_print_module_with_the_plan(window, monkeypatch):
    import dxroadmap.ui.print_dialog as print_dialog

    calls = []
    for name in ("print_preview", "export_pdf", "export_image"):
        monkeypatch.setattr(print_dialog, name, lambda parent, plan, _n=name, **_kw: calls.append((_n, parent, plan)))
    for action in (window.act_print, window.act_export_pdf, window.act_export_image):
        assert action.isEnabled()
        action.trigger()
    assert calls == [(n, window, window.document.plan) for n in ("print_preview", "export_pdf", "export_image")]


@pytest.mark.skipif(not (SHARED / "fixtures" / "s01_yearfill_matsumae.xlsx").exists(), reason="needs ../shared")
def test_an_offices_workbook_goes_through_the_import_dialog(window, tmp_path, monkeypatch):
    import shutil

    import dxroadmap.ui.import_dialog as import_dialog

    source = tmp_path / "松前町.xlsx"
    shutil.copy(SHARED / "fixtures" / "s01_yearfill_matsumae.xlsx", source)
    imported = built_plan()
    seen = []
    monkeypatch.setattr(import_dialog, "run_import_dialog", lambda parent, path: seen.append(path) or imported)
    assert window.load_file(source)
    assert seen == [str(source)] and window.document.plan is imported
    assert window.document.path == str(source)
    monkeypatch.setattr(import_dialog, "run_import_dialog", lambda parent, path: None)  # cancelled
    assert not window.load_file(source)
    assert window.document.plan is imported


# ---- selection and keys as a planner uses them (issue 13): real mouse and key events


def _open(window, tmp_path):
    assert window.load_file(plan_file(tmp_path))
    return window.document.plan.pillars[0].initiatives[0]  # 書かない窓口: two phases, a milestone


def _bar_point(view, phase: Phase) -> QPoint:
    view.ensure_visible(phase)
    QApplication.processEvents()
    rect = view.bar_rect(phase)
    return QPoint(round(rect.left() + min(20, rect.width() / 2)), round(rect.center().y()))


def test_clicking_the_row_of_a_selected_bar_shows_its_initiative(qtbot, window, tmp_path):
    init = _open(window, tmp_path)
    phase = init.phases[1]
    qtbot.mouseClick(window.timeline.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     _bar_point(window.timeline, phase))
    assert window.document.selection is phase
    index = window.model.index_of(init, COL_NAME)
    rect = window.tree.visualRect(index)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())
    assert window.document.selection is init
    assert window.inspector.stack.currentWidget() is not window.inspector.phase_page


def test_f2_on_a_selected_bar_or_milestone_edits_its_name(qtbot, window, tmp_path):
    init = _open(window, tmp_path)
    phase = init.phases[0]
    vp = window.timeline.viewport()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _bar_point(window.timeline, phase))
    assert window.document.selection is phase
    qtbot.keyClick(vp, Qt.Key.Key_F2)
    field = window.inspector.phase_label
    qtbot.waitUntil(lambda: field.hasFocus(), timeout=2000)
    assert field.selectedText() == "検討"
    qtbot.keyClicks(field, "Kihon")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert phase.label == "Kihon"

    ms: Milestone = init.milestones[0]
    window.document.select(ms)
    window.timeline.setFocus()
    qtbot.keyClick(vp, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.inspector.ms_label.hasFocus(), timeout=2000)
    assert window.inspector.ms_label.selectedText() == "開始"


def test_the_open_dialog_offers_xls_workbooks(window, monkeypatch):
    seen = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (seen.append(a), ("", ""))[1])
    window.open_dialog()
    filters = seen[0][3]
    assert "*.xls)" in filters.split(";;")[0] and "*.xls)" in filters.split(";;")[1]


def test_saving_over_an_offices_workbook_proposes_a_different_name(window, tmp_path, monkeypatch, dialogs):
    office = tmp_path / "計画.xlsx"
    office.write_bytes(b"x")
    session = window.file_session
    window.document.path = str(office)
    session.foreign_workbook = True
    proposed = []
    monkeypatch.setattr(window, "ask_save_path", lambda title, default, filters, selected: (proposed.append(default), ("", ""))[1])
    dialogs.answer = QMessageBox.StandardButton.Save  # 「別の名前で保存」
    assert session.save() is False
    assert proposed == [str(tmp_path / "計画（コピー）.xlsx")]
    (tmp_path / "計画（コピー）.xlsx").write_bytes(b"x")
    assert copy_name(office) == tmp_path / "計画（コピー2）.xlsx"


def test_pdf_and_image_exports_start_in_the_plans_folder(window, tmp_path, monkeypatch):
    folder = tmp_path / "企画課"
    folder.mkdir()
    assert window.load_file(plan_file(folder))
    asked = []
    monkeypatch.setattr(print_dialog.PageSetupDialog, "exec", lambda self: print_dialog.QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, title, start, flt: (asked.append(start), ("", ""))[1])
    window.act_export_pdf.trigger()
    window.act_export_image.trigger()
    assert [Path(p).parent for p in asked] == [folder, folder]
    assert Path(asked[0]).name.endswith(".pdf")


def test_translation_key_of_the_open_filter_exists():
    assert "*.xls" in tr("file.filter.open")


@pytest.mark.skipif(not (SHARED / "fixtures").is_dir(), reason="needs ../shared")
def test_unreadable_files_share_one_title_one_icon_and_plain_words(window, tmp_path, dialogs):
    truncated = tmp_path / "途中まで.xlsx"
    truncated.write_bytes((SHARED / "fixtures" / "s01_yearfill_matsumae.xlsx").read_bytes()[:3000])
    damaged_xls = tmp_path / "壊れた.xls"  # legacy .xls files are read now (s08 imports); a damaged one is not
    damaged_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 700)
    bad = [SHARED / "fixtures" / n for n in ("s09_err_text_as_xlsx.xlsx", "s11_err_encrypted.xlsx")] + [truncated, damaged_xls]
    for path in bad:
        copy = tmp_path / path.name
        if copy != path:
            copy.write_bytes(path.read_bytes())
        assert window.load_file(copy) is False
    assert len(dialogs.shown) == len(bad)
    assert {kind for kind, _, _ in dialogs.shown} == {"critical"}
    assert {title for _, title, _ in dialogs.shown} == {"開けませんでした"}
    for (_, _, text), path in zip(dialogs.shown, bad):
        assert path.name in text
        assert "zip" not in text.lower() and "目次" not in text


def test_the_status_bar_speaks_english(window, tmp_path):
    set_language("en")
    window.retranslate()
    init = _open(window, tmp_path)
    window.document.select(init.phases[0])
    text = window.selection_label.text()
    assert "FY2023" in text and "Apr" in text
    assert not any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text.replace("検討", "")), text
    window.document.select(init.milestones[0])
    assert "Apr FY2024" in window.selection_label.text() and "年度" not in window.selection_label.text()


def test_widening_the_tree_gives_the_room_to_the_names_first(qtbot, window, tmp_path):
    _open(window, tmp_path)
    header = window.tree.header()
    name0, dept0, width0 = header.sectionSize(COL_NAME), header.sectionSize(1), window.tree.viewport().width()
    sizes = window.splitter.sizes()
    window.splitter.setSizes([sizes[0] + 200, sizes[1] - 200])
    qtbot.waitUntil(lambda: header.sectionSize(COL_NAME) > name0, timeout=2000)
    grown = window.tree.viewport().width() - width0
    assert grown > 100 and header.sectionSize(COL_NAME) - name0 == grown
    assert header.sectionSize(1) == dept0
    # the columns fill the tree exactly: no empty strip, no hidden overflow
    visible = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
    assert abs(visible - window.tree.viewport().width()) <= 1


def test_the_quarter_heading_preference_reaches_the_timeline(window):
    assert window.timeline.state.quarter_months is False
    window.apply_preferences(Preferences(quarter_labels="months"), save=False)
    assert window.timeline.state.quarter_months is True


def test_export_slides_and_web_page_from_the_file_menu(window, tmp_path, monkeypatch, qtbot):
    """File › スライドに書き出し: the options chosen in the dialog shape the deck; the web page follows."""
    from pptx import Presentation

    from dxroadmap.ui.dialogs.slides_export import SlidesDialog

    folder = tmp_path / "企画課"
    folder.mkdir()
    assert window.load_file(plan_file(folder))
    asked = []

    def save_name(parent, title, start, flt):
        asked.append(start)
        return str(Path(start).with_suffix("")), ""  # the user drops the extension: it is added back

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)

    def answer():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SlidesDialog) and w.isVisible())
        dialog.paginate.setFocus()
        qtbot.keyClick(dialog.paginate, Qt.Key.Key_Down)  # 行を詰めて並べる
        dialog.rows.setFocus()
        dialog.rows.selectAll()
        qtbot.keyClicks(dialog.rows, "1")
        if dialog.cover.isChecked():
            qtbot.mouseClick(dialog.cover, Qt.MouseButton.LeftButton,
                             pos=dialog.cover.rect().topLeft() + QPoint(8, dialog.cover.height() // 2))
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    QTimer.singleShot(200, answer)
    window.act_export_slides.trigger()
    deck = folder / (Path(asked[0]).stem + ".pptx")
    assert Path(asked[0]).parent == folder and deck.exists()
    rows = sum(1 for _p, _i in window.document.plan.walk())
    slides = Presentation(str(deck)).slides
    assert rows > 1 and len(slides) == rows  # one initiative row a slide, no cover slide
    window.act_export_web.trigger()
    page = folder / (Path(asked[1]).stem + ".html")
    assert page.exists() and window.document.plan.pillars[0].initiatives[0].name in page.read_text(encoding="utf-8")
