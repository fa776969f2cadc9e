"""Crowded rows on screen (issue 13): a row grows a lane per stack of overlapping bars, in the
timeline and in the tree alike; milestones never cover a bar label; clicks, drags and hover find
each bar in its lane. Driven with the real mouse (pytest-qt) on the main window.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRectF, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from dxroadmap.model.colors import bar_text
from dxroadmap.model.fiscal import month_index as mi
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan
from dxroadmap.ui.document import Document
from dxroadmap.ui.main_window import MainWindow
from dxroadmap.ui.preferences import Preferences

L = Qt.MouseButton.LeftButton
NoMod = Qt.KeyboardModifier.NoModifier


def make_plan() -> Plan:
    """P | A: two bars side by side | B: a milestone inside its bar | C: a milestone after its bars | D."""
    a = Initiative("A", phases=[Phase(mi(2023, 4), mi(2024, 3), "検討", PhaseKind.STUDY),
                                Phase(mi(2025, 4), mi(2026, 3), "導入", PhaseKind.INTRODUCE)])
    b = Initiative("B", phases=[Phase(mi(2023, 4), mi(2027, 3), "本運用の長い名前の工程", PhaseKind.OPERATE)],
                   milestones=[Milestone(mi(2023, 6), "システム稼働開始のお知らせ")])
    c = Initiative("C", phases=[Phase(mi(2023, 4), mi(2024, 3), "検討", PhaseKind.STUDY)],
                   milestones=[Milestone(mi(2025, 4), "稼働開始")])
    d = Initiative("D", phases=[Phase(mi(2023, 10), mi(2026, 3), None, PhaseKind.TRIAL)])
    return Plan(title="テスト町DX推進計画", start_fy=2023, end_fy=2027, pillars=[Pillar("P", [a, b, c, d])])


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    # no modal question may hold a test: an unsaved-changes box answers 破棄
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Discard)
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    win = MainWindow(Document(make_plan()), prefs=Preferences())
    qtbot.addWidget(win)
    win.resize(1500, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.document.undo_stack.setClean()
    win.close()


def find(win, name: str) -> Initiative:
    return next(i for _, i in win.document.plan.walk() if i.name == name)


def tree_row_span(win, obj) -> tuple[int, int]:
    """Top and bottom of ``obj``'s tree row, in window pixels."""
    rect = win.tree.visualRect(win.model.index_of(obj))
    top = win.tree.viewport().mapTo(win, rect.topLeft()).y()
    return top, top + rect.height()


def timeline_row_span(win, obj) -> tuple[int, int]:
    """Top and bottom of ``obj``'s timeline row, in window pixels."""
    tl = win.timeline
    r = tl.state.index.row_of(obj)
    vp = tl.viewport()
    return vp.mapTo(win, tl.map_to_viewport(0, r)).y(), vp.mapTo(win, tl.map_to_viewport(0, r + 1)).y()


def assert_aligned(win) -> None:
    """Every row is as tall in the tree as on the timeline, at the same window pixels."""
    tl = win.timeline
    for row in win.rows():
        lanes = int(tl.state.index.row_lanes[tl.state.index.row_of(row.obj)])
        t_top, t_bottom = tree_row_span(win, row.obj)
        l_top, l_bottom = timeline_row_span(win, row.obj)
        assert t_bottom - t_top == lanes * tl.ROW_HEIGHT == l_bottom - l_top, row.obj.name
        assert abs(t_top - l_top) <= 1, row.obj.name


def center(rect: QRectF) -> QPoint:
    return QPoint(round(rect.center().x()), round(rect.center().y()))


def mouse_drag(qtbot, vp, start: QPoint, end: QPoint, steps: int = 6) -> None:
    """A real drag: press, move with the button held, release."""
    qtbot.mouseMove(vp, start)
    qtbot.mousePress(vp, L, NoMod, start)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        qtbot.mouseMove(vp, QPoint(round(p.x()), round(p.y())))
    qtbot.mouseRelease(vp, L, NoMod, end)


def painted(win) -> None:
    """Paint the timeline now, recording what each layer drew."""
    tl = win.timeline
    tl.bars.reset_drawn()
    tl.milestones.reset_drawn()
    tl.canvas.viewport().repaint()
    tl.grab()


def test_dragging_a_bar_onto_another_grows_the_row_on_both_sides_and_undo_shrinks_it(window, qtbot):
    tl, doc = window.timeline, window.document
    a = find(window, "A")
    first, second = a.phases
    idx = tl.state.index
    assert int(idx.row_lanes[idx.row_of(a)]) == 1
    assert_aligned(window)
    below_before = tree_row_span(window, find(window, "B"))[0]
    vp = tl.viewport()
    px_per_month = tl.mapper().sx
    start = center(tl.bar_rect(second))
    mouse_drag(qtbot, vp, start, start - QPoint(round(18 * px_per_month), 0))
    assert (second.start, second.end) == (mi(2023, 10), mi(2024, 9))
    assert doc.undo_stack.count() == 1
    # the row holds two lanes at once, in the tree too, and the rows below moved down one lane
    assert int(idx.row_lanes[idx.row_of(a)]) == 2
    assert_aligned(window)
    assert tree_row_span(window, find(window, "B"))[0] == below_before + tl.ROW_HEIGHT
    r1, r2 = tl.bar_rect(first), tl.bar_rect(second)
    assert r1.bottom() < r2.top() and r1.height() == r2.height() == tl.ROW_HEIGHT - 8  # no thinner bars
    # both labels are drawn whole, in their own lanes
    painted(window)
    assert tl.bars.labels[first][0] == "検討" and tl.bars.labels[second][0] == "導入"
    assert not tl.bars.labels[first][1].intersects(tl.bars.labels[second][1])
    doc.undo_stack.undo()
    assert int(idx.row_lanes[idx.row_of(a)]) == 1
    assert_aligned(window)
    assert tree_row_span(window, find(window, "B"))[0] == below_before
    doc.undo_stack.redo()
    assert int(idx.row_lanes[idx.row_of(a)]) == 2
    assert_aligned(window)


def test_clicks_drags_and_hover_find_each_bar_in_its_lane(window, qtbot):
    tl, doc = window.timeline, window.document
    a = find(window, "A")
    first, second = a.phases
    doc.set_phase_span(second, mi(2023, 10), mi(2024, 9))  # overlaps the first: two lanes
    vp = tl.viewport()
    # the lower lane's bar, where the upper one lies above it
    p2 = center(tl.bar_rect(second))
    qtbot.mouseMove(vp, p2)
    assert tl.state.hover_item is second
    assert vp.cursor().shape() == Qt.CursorShape.OpenHandCursor
    qtbot.mouseClick(vp, L, NoMod, p2)
    assert doc.selection is second
    # the upper lane's bar at the same months
    p1 = QPoint(p2.x(), round(tl.bar_rect(first).center().y()))
    qtbot.mouseMove(vp, p1)
    assert tl.state.hover_item is first
    qtbot.mouseClick(vp, L, NoMod, p1)
    assert doc.selection is first
    # the end of the lower bar resizes it, not the bar above
    r2 = tl.bar_rect(second)
    end = QPoint(round(r2.right()) - 2, round(r2.center().y()))
    mouse_drag(qtbot, vp, end, end + QPoint(round(3 * tl.mapper().sx), 0))
    assert (second.start, second.end) == (mi(2023, 10), mi(2024, 12))
    assert (first.start, first.end) == (mi(2023, 4), mi(2024, 3))
    # a click between the lanes' bars, in the row's empty part, selects nothing
    empty = tl.map_to_viewport(mi(2026, 10) + 0.5, tl.state.index.row_of(a) + 0.75)
    qtbot.mouseClick(vp, L, NoMod, empty)
    assert doc.selection is None
    assert_aligned(window)


def test_a_milestone_on_a_bar_goes_above_it_and_covers_no_label(window, qtbot):
    tl = window.timeline
    idx = tl.state.index
    b = find(window, "B")
    ms = b.milestones[0]
    r = idx.row_of(b)
    assert int(idx.row_lanes[r]) == 2  # the milestone's lane above the bar
    k = idx.milestone_index(ms)
    assert int(idx.m_lane[k]) == 0 and int(idx.p_lane[idx.phase_index(b.phases[0])]) == 1
    painted(window)
    text, label = tl.bars.labels[b.phases[0]]
    assert text == "本運用の長い名前の工程"
    ms_text, ms_rect = tl.milestones.labels[ms]
    assert ms_text == "システム稼働開始のお知らせ"
    assert not ms_rect.intersects(label)
    # the milestone is picked where it is drawn
    vp = tl.viewport()
    qtbot.mouseClick(vp, L, NoMod, tl.item_point(ms))
    assert window.document.selection is ms
    assert_aligned(window)


def test_a_milestone_in_a_gap_stays_beside_the_bars_and_its_label_stops_before_the_next(window, qtbot):
    tl, doc = window.timeline, window.document
    idx = tl.state.index
    c = find(window, "C")
    ms = c.milestones[0]
    assert int(idx.row_lanes[idx.row_of(c)]) == 1  # room after the bars: no extra lane
    # a bar a little after the milestone: the label ends before it, elided, and covers no label
    doc.add_phase(c, Phase(mi(2025, 7), mi(2026, 3), "本運用", PhaseKind.OPERATE))
    assert int(idx.row_lanes[idx.row_of(c)]) == 1
    later = c.phases[1]
    tl.zoom_fit()
    painted(window)
    shown = tl.milestones.labels.get(ms)
    assert shown is None or shown[1].right() <= tl.bar_rect(later).left()
    assert not any(rect.intersects(tl.bars.labels[later][1]) for _, rect in tl.milestones.labels.values())
    tl.zoom_by(0.25, center=mi(2025, 6))  # zoomed in, the whole label fits before the bar
    painted(window)
    text, rect = tl.milestones.labels[ms]
    assert text == "稼働開始" and rect.right() <= tl.bar_rect(later).left()
    assert not rect.intersects(tl.bars.labels[later][1])
    # a bar over the milestone's month moves the milestone above
    doc.add_phase(c, Phase(mi(2025, 1), mi(2025, 6), "準備", PhaseKind.PREPARE))
    assert int(idx.row_lanes[idx.row_of(c)]) == 2
    assert int(idx.m_lane[idx.milestone_index(ms)]) == 0
    assert_aligned(window)


def test_no_label_covers_another_in_a_crowded_plan(window, qtbot):
    doc, tl = window.document, window.timeline
    a = find(window, "A")
    for k in range(4):  # four more bars piled on A's first
        doc.add_phase(a, Phase(mi(2023, 5) + 2 * k, mi(2024, 8) + k, f"追加工程{k}", PhaseKind.TRIAL))
    doc.add_milestone(a, Milestone(mi(2023, 9), "中間報告"))
    painted(window)
    idx = tl.state.index
    assert int(idx.row_lanes[idx.row_of(a)]) >= 5
    bar_labels = list(tl.bars.labels.values())
    for i, (text, rect) in enumerate(bar_labels):
        assert text, "every bar of the crowded row keeps a label"
        for _, other in bar_labels[i + 1:]:
            assert not rect.intersects(other)
        for _, ms_rect in tl.milestones.labels.values():
            assert not rect.intersects(ms_rect)
    assert_aligned(window)


def test_a_labelless_bar_says_its_kind_on_screen_as_in_print(window, qtbot):
    from dxroadmap.render.layout import layout_sheet

    d = find(window, "D")
    phase = d.phases[0]
    assert bar_text(phase) == "実証"
    painted(window)
    assert window.timeline.bars.labels[phase][0] == "実証"
    printed = next(row for page in layout_sheet(window.document.plan).pages for row in page.initiative_rows
                   if row.name == "D")
    assert printed.bars[0].label == "実証"


def test_the_tree_keeps_fast_uniform_rows_until_a_row_needs_more_lanes(window, qtbot):
    doc, tl = window.document, window.timeline
    doc.remove_milestone(find(window, "B").milestones[0])  # now every row is one lane
    assert window.tree.uniformRowHeights()
    assert_aligned(window)
    second = find(window, "A").phases[1]
    start = center(tl.bar_rect(second))
    mouse_drag(qtbot, tl.viewport(), start, start - QPoint(round(18 * tl.mapper().sx), 0))
    assert not window.tree.uniformRowHeights()
    assert_aligned(window)
    doc.undo_stack.undo()
    assert window.tree.uniformRowHeights()
    assert_aligned(window)
