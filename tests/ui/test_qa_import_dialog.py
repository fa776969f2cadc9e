"""QA of the import preview as a planner sees it: every role row reachable, whole messages, plain words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from dxroadmap.io.xlsx.read.workbook import WorkbookReader
from dxroadmap.ui import strings
from dxroadmap.ui.import_dialog import ROLE_ROWS, ImportDialog, layout_text


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture(params=["ja", "en"])
def lang(request):
    before = strings.language()
    strings.set_language(request.param)
    yield request.param
    strings.set_language(before)


def _open(qtbot, path, settings):
    dialog = ImportDialog(WorkbookReader(path), None, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_role_table_shows_five_rows(qtbot, settings, shared_dir, lang):
    """It showed one and a half rows at the dialog's size: a planner could not see the roles to correct."""
    dialog = _open(qtbot, shared_dir / "fixtures" / "s10_err_budget.xlsx", settings)
    table = dialog.roles_table
    assert table.rowCount() >= ROLE_ROWS
    visible = table.viewport().height()
    assert visible >= sum(table.rowHeight(i) for i in range(ROLE_ROWS))
    # the role names are not cut: the combo is as wide as its longest text needs
    combo = table.cellWidget(1, 2)
    assert table.columnWidth(2) >= combo.fontMetrics().horizontalAdvance(combo.itemText(0)) + 24


def test_refusal_reason_is_shown_whole(qtbot, settings, shared_dir, lang):
    """The reason a workbook has no roadmap was one line cut at the list's edge."""
    dialog = _open(qtbot, shared_dir / "fixtures" / "s10_err_budget.xlsx", settings)
    problems = dialog.problems
    assert problems.count() >= 1
    assert problems.wordWrap()
    item = problems.item(0)
    rect = problems.visualItemRect(item)
    assert rect.right() <= problems.viewport().width()
    line = problems.fontMetrics().height()
    assert rect.height() >= 2 * line  # the long sentence wraps onto more lines instead


def test_summary_names_the_layout_in_words(qtbot, settings, shared_dir, lang):
    dialog = _open(qtbot, shared_dir / "fixtures" / "s06_shapes_matsumae.xlsx", settings)
    text = dialog.summary.text()
    assert "quarter-shapes" not in text
    assert ("四半期ごとの列・図形のバー" if lang == "ja" else "a column per quarter, drawn shapes") in text
    # the phases column of the preview writes months as the time-column headings do (R5 7月), not 2023-07
    first = dialog.tree.topLevelItem(0).child(0)
    # (in English: FY2023 Jul, no Japanese-only month words)
    assert ("R5 7月" if lang == "ja" else "FY2023 Jul") in first.text(2) and "2023-" not in first.text(2)
    if lang == "en":
        assert "月" not in first.text(2) and "〜" not in first.text(2)


def test_every_layout_the_reader_names_has_words(lang):
    for layout in ("year-fill", "half-text", "quarter-shapes", "month-dates", "day-fill", "week-text", "card",
                   "list-only", "period-column", "date-columns"):
        text = layout_text(layout)
        assert text != layout and (("-" not in layout) or layout not in text)
