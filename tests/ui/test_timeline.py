"""The timeline with the real mouse and keyboard: exact months on bars, one undo step per drag."""

from __future__ import annotations

import warnings

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.model.edits import Snap
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan
from dxroadmap.model.rows import flatten_rows
from dxroadmap.ui.document import Document
from dxroadmap.ui.timeline import TimelineView

L = Qt.MouseButton.LeftButton
NoMod = Qt.KeyboardModifier.NoModifier


def make_plan() -> Plan:
    """Rows: 0 P1 | 1 A (phase 2024-04..2025-03, milestone 2025-10) | 2 B (2023-07..2023-12, 2024-01..2024-09)
    | 3 C (empty) | 4 P2 | 5 D (2023-04..2027-03)."""
    a = Initiative("A", phases=[Phase(month_index(2024, 4), month_index(2025, 3), "実証実験", PhaseKind.TRIAL)],
                   milestones=[Milestone(month_index(2025, 10), "稼働開始")])
    b = Initiative("B", phases=[Phase(month_index(2023, 7), month_index(2023, 12), "検討", PhaseKind.STUDY),
                                Phase(month_index(2024, 1), month_index(2024, 9), "導入", PhaseKind.INTRODUCE)])
    d = Initiative("D", phases=[Phase(month_index(2023, 4), month_index(2027, 3), "本運用", PhaseKind.OPERATE)])
    return Plan(title="テスト町DX推進計画", start_fy=2023, end_fy=2027,
                pillars=[Pillar("P1", [a, b, Initiative("C")]), Pillar("P2", [d])])


@pytest.fixture
def setup(qtbot):
    pg.setConfigOptions(mouseRateLimit=-1)
    plan = make_plan()
    doc = Document(plan)
    view = TimelineView(doc)
    qtbot.addWidget(view)
    view.resize(1200, 400)
    view.set_rows(flatten_rows(plan))
    view.show()
    qtbot.waitExposed(view)
    return plan, doc, view


def init(plan: Plan, name: str) -> Initiative:
    return next(i for _, i in plan.walk() if i.name == name)


def send_move(view: TimelineView, pos: QPoint, buttons=L, mods=NoMod) -> None:
    """A mouse move with buttons held (QTest's mouseMove carries no buttons)."""
    vp = view.viewport()
    ev = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(vp.mapToGlobal(pos)), Qt.MouseButton.NoButton,
                     buttons, mods)
    QApplication.sendEvent(vp, ev)


def drag(qtbot, view: TimelineView, start: QPoint, end: QPoint, steps: int = 6, mods=NoMod) -> None:
    """Press at ``start``, move in ``steps`` to ``end`` with the button held, release there."""
    vp = view.viewport()
    qtbot.mouseMove(vp, start)
    qtbot.mousePress(vp, L, mods, start)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        send_move(view, QPoint(round(p.x()), round(p.y())), mods=mods)
    qtbot.mouseRelease(vp, L, mods, end)


def bar_point(view: TimelineView, phase: Phase, where: str = "middle") -> QPoint:
    rect = view.bar_rect(phase)
    y = round(rect.center().y())
    if where == "start":
        return QPoint(round(rect.left()) + 2, y)
    if where == "end":
        return QPoint(round(rect.right()) - 2, y)
    return QPoint(round(rect.center().x()), y)


def months_px(view: TimelineView, n: float) -> int:
    return round(n * view.mapper().sx)


# ------------------------------------------------------------------ mouse editing


@pytest.mark.parametrize("n", [3, -2, 14])
def test_dragging_a_bar_moves_it_by_exactly_n_months_and_undo_redo_restore(setup, qtbot, n):
    plan, doc, view = setup
    phase = init(plan, "A").phases[0]
    s, e = phase.start, phase.end
    p0 = bar_point(view, phase)
    drag(qtbot, view, p0, p0 + QPoint(months_px(view, n), 0))
    assert (phase.start, phase.end) == (s + n, e + n)
    assert doc.undo_stack.count() == 1  # one drag, one undo step
    assert doc.selection is phase
    doc.undo_stack.undo()
    assert (phase.start, phase.end) == (s, e)
    doc.undo_stack.redo()
    assert (phase.start, phase.end) == (s + n, e + n)
    # The bar is drawn where the model says.
    rect = view.bar_rect(phase)
    assert rect.left() == pytest.approx(view.mapper().x(s + n), abs=0.01)


def test_dragging_the_end_resizes_only_the_end(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "A").phases[0]
    s, e = phase.start, phase.end
    p0 = bar_point(view, phase, "end")
    drag(qtbot, view, p0, p0 + QPoint(months_px(view, 5), 0))
    assert (phase.start, phase.end) == (s, e + 5)
    p0 = bar_point(view, phase, "end")
    drag(qtbot, view, p0, p0 + QPoint(months_px(view, -9), 0))
    assert (phase.start, phase.end) == (s, e - 4)
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert (phase.start, phase.end) == (s, e)


def test_dragging_the_start_resizes_only_the_start_and_keeps_one_month(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "A").phases[0]
    s, e = phase.start, phase.end
    p0 = bar_point(view, phase, "start")
    drag(qtbot, view, p0, p0 + QPoint(months_px(view, -4), 0))
    assert (phase.start, phase.end) == (s - 4, e)
    p0 = bar_point(view, phase, "start")
    drag(qtbot, view, p0, p0 + QPoint(months_px(view, 40), 0))  # past the end: one month remains
    assert (phase.start, phase.end) == (e, e)
    doc.undo_stack.undo()
    assert (phase.start, phase.end) == (s - 4, e)


def test_shift_drag_snaps_the_start_to_a_fiscal_quarter(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "B").phases[0]  # starts 2023-07 (a quarter start), 6 months
    p0 = bar_point(view, phase)
    drag(qtbot, view, p0, p0 + QPoint(months_px(view, 4), 0), mods=Qt.KeyboardModifier.ShiftModifier)
    assert (phase.start, phase.end) == (month_index(2023, 10), month_index(2024, 3))


def test_dragging_a_milestone_moves_it(setup, qtbot):
    plan, doc, view = setup
    ms = init(plan, "A").milestones[0]
    row = view.state.index.row_of(ms)
    p0 = view.map_to_viewport(ms.month + 0.5, row + 0.5)
    drag(qtbot, view, p0, p0 + QPoint(months_px(view, -7), 0))
    assert ms.month == month_index(2025, 3)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert ms.month == month_index(2025, 10)
    doc.undo_stack.redo()
    assert ms.month == month_index(2025, 3)


def test_a_drag_that_ends_where_it_started_pushes_nothing(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "A").phases[0]
    p0 = bar_point(view, phase)
    vp = view.viewport()
    qtbot.mouseMove(vp, p0)
    qtbot.mousePress(vp, L, NoMod, p0)
    send_move(view, p0 + QPoint(months_px(view, 3), 0))
    send_move(view, p0 + QPoint(months_px(view, 3), 0) + QPoint(0, 1))
    assert view.state.preview_span == (phase.start + 3, phase.end + 3)  # previewed, not committed
    assert doc.undo_stack.count() == 0
    send_move(view, p0)
    qtbot.mouseRelease(vp, L, NoMod, p0)
    assert doc.undo_stack.count() == 0
    assert view.state.preview_item is None


def test_the_drag_tooltip_names_the_span_in_users_terms(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "A").phases[0]  # 令和6年度 4月 – 令和6年度 3月
    p0 = bar_point(view, phase)
    vp = view.viewport()
    qtbot.mouseMove(vp, p0)
    qtbot.mousePress(vp, L, NoMod, p0)
    send_move(view, p0 + QPoint(months_px(view, 3), 0))
    send_move(view, p0 + QPoint(months_px(view, 3), 1))
    assert view.drag_tip == "令和6年度 7月 – 令和7年度 6月（12か月）"
    qtbot.keyClick(vp, Qt.Key.Key_Escape)  # cancels: nothing changes
    qtbot.mouseRelease(vp, L, NoMod, p0 + QPoint(months_px(view, 3), 1))
    assert (phase.start, phase.end) == (month_index(2024, 4), month_index(2025, 3))
    assert doc.undo_stack.count() == 0
    assert view.drag_tip == ""


def test_dragging_empty_space_pans_and_changes_nothing(setup, qtbot):
    plan, doc, view = setup
    before = plan_to_dict(plan)
    x0, x1 = view.x_range()
    _, (y0, y1) = view.viewbox.viewRange()
    row_c = view.state.index.row_of(init(plan, "C"))
    p0 = view.map_to_viewport(month_index(2025, 6), row_c + 0.5)
    drag(qtbot, view, p0, p0 + QPoint(-months_px(view, 6), 40))
    nx0, nx1 = view.x_range()
    assert nx0 - x0 == pytest.approx(6, abs=0.05)
    assert nx1 - nx0 == pytest.approx(x1 - x0)
    assert view.viewbox.viewRange()[1] == pytest.approx([y0, y1])  # y never moves
    assert plan_to_dict(plan) == before
    assert doc.undo_stack.count() == 0


def wheel(view: TimelineView, pos: QPoint, dy: int, mods=NoMod) -> None:
    vp = view.viewport()
    ev = QWheelEvent(QPointF(pos), QPointF(vp.mapToGlobal(pos)), QPoint(), QPoint(0, dy), Qt.MouseButton.NoButton,
                     mods, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, ev)


def test_ctrl_wheel_zooms_x_only_around_the_cursor(setup, qtbot):
    plan, doc, view = setup
    x0, x1 = view.x_range()
    _, yr = view.viewbox.viewRange()
    pos = view.map_to_viewport(month_index(2024, 10), 2.5)
    under = view.mapper().month(pos.x())
    wheel(view, pos, 120, Qt.KeyboardModifier.ControlModifier)
    nx0, nx1 = view.x_range()
    assert nx1 - nx0 < (x1 - x0) * 0.8
    assert view.mapper().month(pos.x()) == pytest.approx(under, abs=0.01)
    assert view.viewbox.viewRange()[1] == pytest.approx(yr)
    wheel(view, pos, -240, Qt.KeyboardModifier.ControlModifier)
    assert view.x_range()[1] - view.x_range()[0] > nx1 - nx0
    view.zoom_fit()
    assert view.x_range() == pytest.approx((month_index(2023, 4), month_index(2028, 4)))


def test_plain_wheel_scrolls_rows_and_reports_it(qtbot):
    plan = Plan(pillars=[Pillar("P", [Initiative(f"I{i}") for i in range(60)])])
    doc = Document(plan)
    view = TimelineView(doc)
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.set_rows(flatten_rows(plan))
    view.show()
    qtbot.waitExposed(view)
    x = view.x_range()
    with qtbot.waitSignal(view.scrolledY) as sig:
        wheel(view, QPoint(100, 100), -120)
    assert sig.args[0] == 3 * view.ROW_HEIGHT
    assert view.viewbox.viewRange()[1][0] == pytest.approx(3.0)
    assert view.x_range() == pytest.approx(x)
    view.set_scroll_y(10 * view.ROW_HEIGHT)  # the tree scrolled: rows follow, nothing emitted
    assert view.viewbox.viewRange()[1][0] == pytest.approx(10.0)
    rows_visible = view.viewbox.viewRange()[1][1] - view.viewbox.viewRange()[1][0]
    assert rows_visible * view.ROW_HEIGHT == pytest.approx(view.viewbox.height())


def test_click_selects_and_click_on_empty_space_deselects(setup, qtbot):
    plan, doc, view = setup
    ms = init(plan, "A").milestones[0]
    vp = view.viewport()
    row = view.state.index.row_of(ms)
    qtbot.mouseClick(vp, L, NoMod, view.map_to_viewport(ms.month + 0.5, row + 0.5))
    assert doc.selection is ms
    phase = init(plan, "B").phases[1]
    qtbot.mouseClick(vp, L, NoMod, bar_point(view, phase))
    assert doc.selection is phase
    qtbot.mouseClick(vp, L, NoMod, view.map_to_viewport(month_index(2026, 1), 3.5))
    assert doc.selection is None
    assert doc.undo_stack.count() == 0


def test_double_click_on_an_empty_spot_adds_a_fiscal_year_phase(setup, qtbot):
    plan, doc, view = setup
    c = init(plan, "C")
    row = view.state.index.row_of(c)
    pos = view.map_to_viewport(month_index(2025, 8) + 0.5, row + 0.5)
    vp = view.viewport()
    # What a platform sends for a double-click: press, release, double-click, release.
    qtbot.mouseClick(vp, L, NoMod, pos)
    qtbot.mouseDClick(vp, L, NoMod, pos)
    qtbot.mouseRelease(vp, L, NoMod, pos)
    assert len(c.phases) == 1
    phase = c.phases[0]
    assert (phase.start, phase.end) == (month_index(2025, 4), month_index(2026, 3))
    assert phase.kind is PhaseKind.STUDY and phase.label == "検討"
    assert doc.selection is phase
    assert view.bar_rect(phase) is not None  # drawn at once
    doc.undo_stack.undo()
    assert c.phases == []


def test_right_click_reports_the_object_row_and_month(setup, qtbot):
    plan, doc, view = setup
    got = []
    view.contextMenuRequested.connect(lambda *args: got.append(args))
    phase = init(plan, "B").phases[1]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, NoMod, bar_point(view, phase))
    c = init(plan, "C")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, NoMod,
                     view.map_to_viewport(month_index(2026, 2) + 0.5, view.state.index.row_of(c) + 0.5))
    assert got[0][0] is phase and got[0][1] is init(plan, "B")
    assert month_index(2024, 1) <= got[0][2] <= month_index(2024, 9)
    assert got[1][0] is c and got[1][1] is c and got[1][2] == month_index(2026, 2)
    assert doc.undo_stack.count() == 0


def test_cursor_changes_over_bar_ends_and_bodies(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "A").phases[0]
    vp = view.viewport()
    qtbot.mouseMove(vp, bar_point(view, phase, "end"))
    assert vp.cursor().shape() == Qt.CursorShape.SizeHorCursor
    qtbot.mouseMove(vp, bar_point(view, phase))
    assert vp.cursor().shape() == Qt.CursorShape.OpenHandCursor
    qtbot.mouseMove(vp, view.map_to_viewport(month_index(2026, 1), 3.5))
    assert vp.cursor().shape() == Qt.CursorShape.ArrowCursor


# ------------------------------------------------------------------ keyboard


def test_keyboard_moves_resizes_and_deletes(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "A").phases[0]
    s, e = phase.start, phase.end
    vp = view.viewport()
    doc.select(phase)
    view.setFocus()
    qtbot.keyClick(vp, Qt.Key.Key_Right)
    qtbot.keyClick(vp, Qt.Key.Key_Right)
    assert (phase.start, phase.end) == (s + 2, e + 2)
    qtbot.keyClick(vp, Qt.Key.Key_Left)
    assert (phase.start, phase.end) == (s + 1, e + 1)
    qtbot.keyClick(vp, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert (phase.start, phase.end) == (s + 1, e + 2)
    qtbot.keyClick(vp, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    assert (phase.start, phase.end) == (s, e + 2)
    qtbot.keyClick(vp, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier)
    assert (phase.start, phase.end) == (s + 1, e + 2)
    assert doc.undo_stack.count() == 6
    for _ in range(6):
        doc.undo_stack.undo()
    assert (phase.start, phase.end) == (s, e)
    ms = init(plan, "A").milestones[0]
    doc.select(ms)
    qtbot.keyClick(vp, Qt.Key.Key_Left)
    assert ms.month == month_index(2025, 9)
    qtbot.keyClick(vp, Qt.Key.Key_Delete)
    assert init(plan, "A").milestones == []
    doc.select(phase)
    qtbot.keyClick(vp, Qt.Key.Key_Delete)
    assert init(plan, "A").phases == []
    assert doc.selection is None
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert init(plan, "A").phases == [phase] and init(plan, "A").milestones == [ms]


def test_keyboard_reaches_every_item_without_a_mouse(setup, qtbot):
    plan, doc, view = setup
    vp = view.viewport()
    view.setFocus()
    seen = []
    qtbot.keyClick(vp, Qt.Key.Key_Right)  # nothing selected: the first item
    for _ in range(10):
        if doc.selection is None or doc.selection in seen:
            break
        seen.append(doc.selection)
        qtbot.keyClick(vp, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    everything = [x for _, i in plan.walk() for x in sorted(i.phases + i.milestones,
                                                               key=lambda o: getattr(o, "start", getattr(o, "month", 0)))]
    assert seen == everything
    assert doc.undo_stack.count() == 0  # moving the selection edits nothing
    qtbot.keyClick(vp, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert doc.selection is everything[-2]
    qtbot.keyClick(vp, Qt.Key.Key_Escape)  # back to the row; then → picks the row's first item
    assert doc.selection is init(plan, "B")
    qtbot.keyClick(vp, Qt.Key.Key_Right)
    assert doc.selection is init(plan, "B").phases[0]
    doc.select(init(plan, "A").phases[0])
    qtbot.keyClick(vp, Qt.Key.Key_Down)
    assert doc.selection is init(plan, "B").phases[1]  # the one overlapping in time
    qtbot.keyClick(vp, Qt.Key.Key_Down)
    assert doc.selection is init(plan, "D").phases[0]  # skips the empty row
    got = []
    view.contextMenuRequested.connect(lambda *a: got.append(a))
    qtbot.keyClick(vp, Qt.Key.Key_Menu)
    assert got and got[0][0] is init(plan, "D").phases[0] and got[0][1] is init(plan, "D")


# ------------------------------------------------------------------ drawing


def test_overlapping_phases_get_lanes_and_both_can_be_picked(setup, qtbot):
    plan, doc, view = setup
    c = init(plan, "C")
    doc.add_phase(c, Phase(month_index(2024, 4), month_index(2025, 3), "検討"))
    doc.add_phase(c, Phase(month_index(2024, 10), month_index(2025, 9), "実証"))
    r1, r2 = (view.bar_rect(p) for p in c.phases)
    assert r1.bottom() <= r2.top() + 1e-6 and r1.height() > 5
    qtbot.mouseClick(view.viewport(), L, NoMod, QPoint(round(r2.center().x()), round(r2.center().y())))
    assert doc.selection is c.phases[1]
    qtbot.mouseClick(view.viewport(), L, NoMod, QPoint(round(r1.left() + 20), round(r1.center().y())))
    assert doc.selection is c.phases[0]


def test_schedule_edits_from_elsewhere_are_drawn(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "B").phases[0]
    doc.set_phase_span(phase, month_index(2025, 4), month_index(2025, 6))  # e.g. from the inspector
    rect = view.bar_rect(phase)
    m = view.mapper()
    assert (rect.left(), rect.right()) == pytest.approx((m.x(month_index(2025, 4)), m.x(month_index(2025, 7))))
    assert view.state.index.phase_count == plan.counts()["phases"]


def test_year_style_and_snap_setters(setup, qtbot):
    from dxroadmap.model.wareki import YearStyle
    from dxroadmap.ui.timeline.axis import sub_unit, year_labels
    plan, doc, view = setup
    assert year_labels(2023, YearStyle.ERA_WESTERN)[0] == "令和5年度（2023）"
    assert year_labels(2023, YearStyle.ERA_WESTERN) == ["令和5年度（2023）", "令和5年度", "R5"]
    assert year_labels(2019, YearStyle.ERA)[0] == "令和元年度"
    assert year_labels(2023, YearStyle.WESTERN) == ["2023年度", "2023"]
    assert year_labels(2023, YearStyle.ERA_WESTERN, "en")[0] == "R5 (FY2023)"
    assert sub_unit(40) == 1 and sub_unit(12) == 3 and sub_unit(1) == 0
    view.set_year_style(YearStyle.WESTERN)
    assert view.header.grab().width() == view.width()
    view.set_snap(Snap.QUARTER)
    phase = init(plan, "B").phases[1]  # 2024-01..2024-09
    p0 = bar_point(view, phase)
    drag(qtbot, view, p0, p0 + QPoint(months_px(view, 2), 0))
    assert phase.start == month_index(2024, 4)


def test_hover_tooltips_in_japanese_and_english(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "A").phases[0]
    ms = init(plan, "A").milestones[0]
    row = view.state.index.row_of(phase)
    tip = view.controller.tooltip_at(QPointF(phase.start + 3.5, row + 0.5))
    assert tip.splitlines() == ["実証実験", "令和6年度 4月 – 令和6年度 3月（12か月）", "種別: 実証"]
    view.set_language("en")
    tip = view.controller.tooltip_at(QPointF(phase.start + 3.5, row + 0.5))
    assert tip.splitlines()[1:] == ["Apr FY2024 – Mar FY2024 (12 months)", "Kind: Trial"]
    assert view.controller.tooltip_at(QPointF(ms.month + 0.5, row + 0.5)) == "◆ 稼働開始\nOct FY2025"
    assert view.controller.tooltip_at(QPointF(month_index(2026, 1), 3.5)) == "C"  # an empty spot names the row


def test_period_change_and_new_plan_reset_the_range(setup, qtbot):
    plan, doc, view = setup
    doc.set_period(2023, 2030)  # structureChanged: the window calls set_rows after it
    view.set_rows(flatten_rows(plan))
    view.zoom_fit()
    assert view.x_range() == pytest.approx((month_index(2023, 4), month_index(2031, 4)))
    new = Plan(start_fy=2030, end_fy=2034, pillars=[Pillar("X", [Initiative("Y")])])
    doc.set_plan(new)
    view.set_rows(flatten_rows(new))
    assert view.x_range() == pytest.approx((month_index(2030, 4), month_index(2035, 4)))
    assert view.state.index.rows[1].obj is new.pillars[0].initiatives[0]
    assert view.state.index.phase_count == 0


def test_an_empty_plan_shows_and_ignores_clicks(qtbot):
    doc = Document(Plan())
    view = TimelineView(doc)
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.set_rows([])
    view.show()
    qtbot.waitExposed(view)
    vp = view.viewport()
    qtbot.mouseClick(vp, L, NoMod, QPoint(100, 100))
    qtbot.mouseClick(vp, L, NoMod, QPoint(100, 100))
    qtbot.keyClick(vp, Qt.Key.Key_Right)
    qtbot.keyClick(vp, Qt.Key.Key_Delete)
    drag(qtbot, view, QPoint(300, 50), QPoint(200, 60))
    assert doc.undo_stack.count() == 0 and doc.selection is None
    assert not view.grab().isNull()


def test_relabelling_a_phase_repaints_it(setup, qtbot):
    plan, doc, view = setup
    phase = init(plan, "A").phases[0]
    view.grab()
    view.bars.reset_drawn()
    doc.set_fields(phase, label="本運用", color="#C00000")
    qtbot.waitUntil(lambda: phase in view.bars.drawn, timeout=2000)
    assert view.bars._palette(phase.display_color)[0].name() == "#c00000"


def test_window_shortcuts_cannot_change_the_plan_under_a_drag(qtbot):
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QVBoxLayout, QWidget
    plan = make_plan()
    doc = Document(plan)
    window = QWidget()
    qtbot.addWidget(window)
    undo = QAction("undo", window)
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    undo.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # offscreen windows are not always active
    undo.triggered.connect(lambda: doc.undo_stack.undo())
    window.addAction(undo)
    view = TimelineView(doc)
    QVBoxLayout(window).addWidget(view)
    window.resize(1200, 400)
    view.set_rows(flatten_rows(plan))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    with warnings.catch_warnings():  # shortcuts need an active window; offscreen may not give one
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(window)
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.canvas, timeout=2000)
    phase = init(plan, "A").phases[0]
    s, e = phase.start, phase.end
    vp = view.viewport()
    doc.select(phase)
    view.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the shortcut works normally
    assert (phase.start, phase.end) == (s, e)
    doc.undo_stack.redo()
    p0 = bar_point(view, phase)
    qtbot.mouseMove(vp, p0)
    qtbot.mousePress(vp, L, NoMod, p0)
    p1 = p0 + QPoint(months_px(view, 2), 0)
    send_move(view, p1)
    send_move(view, p1 + QPoint(0, 1))
    qtbot.keyClick(view.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # swallowed mid-drag
    assert (phase.start, phase.end) == (s + 1, e + 1)
    qtbot.mouseRelease(vp, L, NoMod, p1 + QPoint(0, 1))
    assert (phase.start, phase.end) == (s + 3, e + 3)
    assert doc.undo_stack.count() == 2


def test_holding_a_bar_at_the_right_edge_scrolls_and_keeps_moving_it(setup, qtbot):
    plan, doc, view = setup
    view.zoom_by(0.4)  # two years visible: the bar must travel beyond the view
    phase = init(plan, "A").phases[0]
    s, e = phase.start, phase.end
    view._set_x(s - 2, s - 2 + (view.x_range()[1] - view.x_range()[0]))
    x0 = view.x_range()[0]
    p0 = bar_point(view, phase)
    press_month = view.mapper().month(p0.x())
    vp = view.viewport()
    edge = QPoint(vp.width() - 8, p0.y())
    qtbot.mouseMove(vp, p0)
    qtbot.mousePress(vp, L, NoMod, p0)
    send_move(view, p0 + QPoint(20, 0))
    send_move(view, edge)
    qtbot.waitUntil(lambda: view.x_range()[0] > x0 + 4, timeout=3000)
    assert doc.undo_stack.count() == 0  # still only a preview
    qtbot.mouseRelease(vp, L, NoMod, edge)
    assert view.x_range()[0] > x0 + 4
    # The bar lands under the pointer: the month at the release point, in the scrolled view.
    assert phase.start - s == round(view.mapper().month(edge.x()) - press_month)
    assert phase.end - phase.start == e - s and doc.undo_stack.count() == 1


def test_quarter_headings_can_read_months_like_the_prints(qtbot):
    from dxroadmap.ui.preferences import Preferences, PreferencesDialog
    from dxroadmap.ui.timeline.axis import sub_label

    q1, q4 = month_index(2023, 4), month_index(2024, 1)
    assert [sub_label(m, 3) for m in (q1, q4)] == ["Q1", "Q4"]
    assert [sub_label(m, 3, "ja", True) for m in (q1, q1 + 3, q1 + 6, q4)] == ["4-6月", "7-9月", "10-12月", "1-3月"]
    assert sub_label(q4, 3, "en", True) == "Jan–Mar"
    # the choice is a preference, kept by the dialog
    dialog = PreferencesDialog(Preferences())
    qtbot.addWidget(dialog)
    assert dialog.preferences().quarter_labels == "q"
    dialog.quarter_labels.setCurrentIndex(dialog.quarter_labels.findData("months"))
    assert dialog.preferences().quarter_labels == "months"
