"""QA of the editor window as a planner uses it: what the timeline shows after plan-level edits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from dxroadmap.model.fiscal import fy_first_month, fy_last_month, month_index
from dxroadmap.model.plan import Initiative, Phase, PhaseKind, Pillar, Plan
from dxroadmap.ui.document import Document
from dxroadmap.ui.main_window import MainWindow
from dxroadmap.ui.preferences import Preferences
from dxroadmap.ui.strings import set_language


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("DXROADMAP_DATA_DIR", str(tmp_path / "data"))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    set_language("ja")
    plan = Plan(title="テスト町DX推進計画", start_fy=2023, end_fy=2027, pillars=[Pillar("くらし", [
        Initiative("書かない窓口", phases=[Phase(month_index(2023, 4), month_index(2028, 3), "本運用",
                                                 PhaseKind.OPERATE)])])])
    win = MainWindow(Document(plan), prefs=Preferences())  # closed below, unmodified: no save prompt
    win.resize(1400, 600)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.document.undo_stack.setClean()
    win.close()
    win.deleteLater()


def _pick_period_end(qtbot, win, steps: int) -> None:
    """Select the plan (nothing selected) and step the inspector's 計画期間（終了） with the keyboard."""
    win.document.select(None)
    combo = win.inspector.period_end
    combo.setFocus()
    key = Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up
    for _ in range(abs(steps)):
        QTest.keyClick(combo, key)
    qtbot.wait(10)


def test_lengthening_the_period_shows_the_added_years(qtbot, window):
    """The period grew to 令和12年度 but the timeline stayed on 令和5–9: the new years were off-screen."""
    tl = window.timeline
    assert tl.x_range() == pytest.approx((fy_first_month(2023), fy_last_month(2027) + 1))
    _pick_period_end(qtbot, window, 3)
    assert (window.document.plan.start_fy, window.document.plan.end_fy) == (2023, 2030)
    x0, x1 = tl.x_range()
    assert x0 == pytest.approx(fy_first_month(2023))
    assert x1 == pytest.approx(fy_last_month(2030) + 1)
    # undo (one step per keystroke) gives back the period
    for _ in range(3):
        window.document.undo_stack.undo()
    assert window.document.plan.end_fy == 2027


def test_shortening_the_period_keeps_bars_outside_it_visible(qtbot, window):
    tl = window.timeline
    _pick_period_end(qtbot, window, -2)
    assert window.document.plan.end_fy == 2025
    x0, x1 = tl.x_range()
    # the view still reaches the bar's end (2028-03), in the shaded area after the period
    assert x1 >= month_index(2028, 3)
    assert tl.state.last_month == fy_last_month(2025)


def test_a_zoomed_view_is_left_alone_when_the_period_grows(qtbot, window):
    tl = window.timeline
    tl.zoom_in()
    tl.zoom_in()
    before = tl.x_range()
    _pick_period_end(qtbot, window, 1)
    assert window.document.plan.end_fy == 2028
    assert tl.x_range() == pytest.approx(before)
