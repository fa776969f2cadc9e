"""The import preview shows what the reader found: bars and milestones over the grid, marked heading rows,
cells as Excel shows them, and no made-up settings for a workbook it refuses."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor

from dxroadmap.io.xlsx.read.workbook import WorkbookReader
from dxroadmap.ui import strings
from dxroadmap.ui.import_dialog import ImportDialog, preview_marks

FIXTURES = Path("/work/shared/fixtures")
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared fixtures not present")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


def _open(qtbot, path, settings):
    dialog = ImportDialog(WorkbookReader(path), None, settings)
    qtbot.addWidget(dialog)
    dialog.resize(1400, 900)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _cell_colour(dialog, row: int, col: int) -> QColor:
    """The colour drawn at the centre of sheet cell (row, col), 1-based, as the user sees it."""
    view = dialog.grid_view
    view.scrollTo(view.model().index(row - 1, col - 1))
    rect = view.visualRect(view.model().index(row - 1, col - 1))
    image = view.viewport().grab().toImage()
    return image.pixelColor(rect.center().x(), rect.top() + rect.height() // 2)


def _close_to(a: QColor, hex_rgb: str, tol: int = 40) -> bool:
    b = QColor(hex_rgb)
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tol


def _fill(rgb):
    return PatternFill("solid", fgColor=rgb)


def _era_serial_book(path: Path) -> Path:
    """Years written as date serials (45017 = 2023-04-01) with an era number format, as Excel users do."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工程表"
    ws.append(["取組", "担当", 45017, 45383, 45748])
    for cell in ("C1", "D1", "E1"):
        ws[cell].number_format = '[$-ja-JP]ggge"年度"'
    ws.append(["電子申請", "総務課", "検討", "運用", None])
    ws["C2"].fill = _fill("F8CBAD")
    ws["D2"].fill = _fill("9BC2E6")
    ws.append(["窓口改革", "市民課", None, "導入", None])
    ws["D3"].fill = _fill("FFE699")
    wb.save(path)
    return path


@needs_fixtures
def test_a_shapes_workbook_shows_its_bars_over_the_empty_grid(qtbot, settings):
    dialog = _open(qtbot, FIXTURES / "s06_shapes_matsumae.xlsx", settings)
    marks = preview_marks(dialog.detection, dialog.current_sheet, dialog.grid_view.model().grid)
    bars = [m for m in marks if not m.milestone]
    assert len(bars) >= 20 and any(m.milestone for m in marks)
    assert {m.row for m in bars} >= {6, 7, 8, 10, 11}
    # row 6 (デジタル人材の育成) has an empty cell at E6 in the workbook; the preview paints the drawn bar there
    grid = dialog.grid_view.model().grid
    assert grid.raw(6, 5) is None and grid.fill(6, 5) is None
    assert _close_to(_cell_colour(dialog, 6, 5), "#9BC2E6")


def test_cell_drawn_bars_are_outlined_with_their_labels(qtbot, tmp_path, settings):
    dialog = _open(qtbot, _era_serial_book(tmp_path / "a.xlsx"), settings)
    marks = preview_marks(dialog.detection, dialog.current_sheet, dialog.grid_view.model().grid)
    assert sorted((m.row, m.start, m.end, m.label) for m in marks) == [
        (2, 3.0, 4.0, "検討"), (2, 4.0, 5.0, "運用"), (3, 4.0, 5.0, "導入")]


def test_cells_read_as_excel_shows_them_and_heading_rows_are_marked(qtbot, tmp_path, settings):
    dialog = _open(qtbot, _era_serial_book(tmp_path / "a.xlsx"), settings)
    model = dialog.grid_view.model()
    assert model.data(model.index(0, 2)) == "令和5年度"
    assert model.data(model.index(0, 4)) == "令和7年度"
    assert model.headerData(0, Qt.Vertical) == "1 時間軸"
    assert model.headerData(1, Qt.Vertical) == "2"
    assert model.data(model.index(0, 0), Qt.BackgroundRole) is not None


def test_excel_text_follows_number_formats(tmp_path):
    from dxroadmap.ui.import_dialog import excel_text

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A1"].number_format = 45017, 'ggge"年"m"月"d"日"'
    ws["A2"], ws["A2"].number_format = 45017, "yyyy/m/d"
    ws["A3"], ws["A3"].number_format = 1234567, "#,##0"
    ws["A4"], ws["A4"].number_format = 0.25, "0%"
    ws["A5"] = 2023
    ws["A6"], ws["A6"].number_format = 43586, '[$-ja-JP]gge"年度"'
    wb.save(tmp_path / "f.xlsx")
    grid = WorkbookReader(tmp_path / "f.xlsx").grid("Sheet")
    assert [excel_text(grid, r, 1) for r in range(1, 7)] == [
        "令和5年4月1日", "2023/4/1", "1,234,567", "25%", "2023", "令1年度"]


@needs_fixtures
def test_a_refused_workbook_shows_its_reason_and_no_made_up_settings(qtbot, settings):
    dialog = _open(qtbot, FIXTURES / "s10_err_budget.xlsx", settings)
    assert dialog.plan() is None
    for spin in (dialog.time_from, dialog.time_to, dialog.time_fy):
        assert spin.text().strip() == "", spin.text()
        assert not spin.isEnabled()
    assert "A" not in dialog.time_from.text() and "1989" not in dialog.time_fy.text()
    assert dialog.refusal.isVisible() and "budget" in dialog.refusal.text()
    # switching to manual offers editable fields that start from the sheet, not column A / 1989
    qtbot.mouseClick(dialog.time_auto, Qt.LeftButton, pos=QPoint(8, dialog.time_auto.height() // 2))
    assert not dialog.time_auto.isChecked()
    assert dialog.time_from.isEnabled() and dialog.time_from.value() >= 1 and dialog.time_fy.value() > 2000


def test_the_preview_speaks_english(qtbot, tmp_path, settings):
    strings.set_language("en")
    try:
        dialog = _open(qtbot, _era_serial_book(tmp_path / "a.xlsx"), settings)
        model = dialog.grid_view.model()
        assert model.headerData(2, Qt.Horizontal) == "C [FY2023]"
        assert model.headerData(0, Qt.Vertical) == "1 time axis"
        top = dialog.tree.topLevelItem(0)
        phases = top.child(0).text(2)
        assert "FY2023 Apr" in phases and "月" not in phases and "R5" not in phases
    finally:
        strings.set_language("ja")


def test_an_imported_title_drops_the_plan_period_the_sheet_repeats(qtbot, tmp_path, settings):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工程表"
    ws.append(["テスト町DX推進計画（令和7年度～令和9年度）"])
    ws.append([])
    ws.append(["取組", "担当", "令和7年度", "令和8年度", "令和9年度"])
    ws.append(["電子申請", "総務課", "検討", "運用", None])
    ws["C4"].fill = _fill("F8CBAD")
    ws["D4"].fill = _fill("9BC2E6")
    wb.save(tmp_path / "t.xlsx")
    dialog = _open(qtbot, tmp_path / "t.xlsx", settings)
    plan = dialog.plan()
    assert (plan.start_fy, plan.end_fy) == (2025, 2027)
    assert plan.title == "テスト町DX推進計画"


@needs_fixtures
def test_a_bar_running_to_the_last_time_column_is_drawn_whole(qtbot, settings):
    # 利活用拡大 (row 10) runs from column I to the sheet's last column V
    dialog = _open(qtbot, FIXTURES / "s06_shapes_matsumae.xlsx", settings)
    for col in (10, 15, 22):
        assert _close_to(_cell_colour(dialog, 10, col), "#9BC2E6"), col
