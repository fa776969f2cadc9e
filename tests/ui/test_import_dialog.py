"""The Excel import preview: see the detected plan, correct header/time columns/roles, remember per office."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from dxroadmap.io.xlsx.read.workbook import WorkbookReader
from dxroadmap.model.fiscal import format_ym
from dxroadmap.ui import import_dialog as mod
from dxroadmap.ui.import_dialog import ImportDialog, run_import_dialog


def _fill(rgb):
    return PatternFill("solid", fgColor=rgb)


def _standard_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工程表"
    ws.append(["取組", "担当", "令和7年度", "令和8年度", "令和9年度"])
    ws.append(["電子申請", "総務課", "検討", "運用", None])
    ws["C2"].fill = _fill("F8CBAD")
    ws["D2"].fill = ws["E2"].fill = _fill("9BC2E6")
    ws.append(["窓口改革", "市民課", None, "導入", None])
    ws["D3"].fill = _fill("FFE699")
    wb.save(path)
    return path


def _office_book(path: Path, name: str) -> Path:
    """Headings the reader cannot understand on its own (the same office writes them every year)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "計画"
    ws.append(["区分け", "やること", "係", "ことし", "らいねん"])
    ws.append(["くらし", name, "防災係", "検討", "運用"])
    ws["D2"].fill = _fill("F8CBAD")
    ws["E2"].fill = _fill("9BC2E6")
    wb.save(path)
    return path


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


def _open(qtbot, path, settings):
    dialog = ImportDialog(WorkbookReader(path), None, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _tree_names(dialog):
    names = []
    for i in range(dialog.tree.topLevelItemCount()):
        top = dialog.tree.topLevelItem(i)
        for k in range(top.childCount()):
            names.append(top.child(k).text(0))
    return names


def test_preview_shows_the_detected_plan_and_accepts_it(qtbot, tmp_path, settings):
    dialog = _open(qtbot, _standard_book(tmp_path / "a.xlsx"), settings)
    assert _tree_names(dialog) == ["電子申請", "窓口改革"]
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert ok.isEnabled()
    model = dialog.grid_view.model()
    assert model.header_row == 1 and set(model.time_cols) == {3, 4, 5}
    # time columns are tagged with the fiscal year they were read as, not a raw cell value
    assert model.headerData(2, Qt.Horizontal) == "C [R7]" and model.headerData(4, Qt.Horizontal) == "E [R9]"
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    plan = dialog.plan()
    first = plan.initiatives()[0]
    assert [(format_ym(p.start), format_ym(p.end), p.label) for p in first.phases] == \
        [("2025-04", "2026-03", "検討"), ("2026-04", "2028-03", "運用")]


def test_corrections_update_the_plan_live_and_are_remembered_for_the_office(qtbot, tmp_path, settings):
    dialog = _open(qtbot, _office_book(tmp_path / "y1.xlsx", "防災メール"), settings)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert not ok.isEnabled() and _tree_names(dialog) == []
    # header row 1, time columns D..E, one fiscal year each from 2025
    dialog.header_spin.setValue(1)
    qtbot.mouseClick(dialog.time_auto, Qt.LeftButton, pos=QPoint(8, dialog.time_auto.height() // 2))
    assert not dialog.time_auto.isChecked()
    dialog.time_from.setValue(4)
    dialog.time_to.selectAll()
    qtbot.keyClicks(dialog.time_to, "E")
    dialog.time_fy.setValue(2025)
    dialog.time_step.setCurrentIndex(dialog.time_step.findData(12))
    dialog.role_combo(2).setCurrentIndex(mod.ROLE_CHOICES.index("name"))
    dialog.role_combo(1).setCurrentIndex(mod.ROLE_CHOICES.index("pillar"))
    dialog.role_combo(3).setCurrentIndex(mod.ROLE_CHOICES.index("departments"))
    assert dialog.time_to.value() == 5
    assert _tree_names(dialog) == ["防災メール"]
    assert ok.isEnabled()
    plan = dialog.plan()
    init = plan.initiatives()[0]
    assert plan.pillars[0].name == "くらし" and init.departments == ["防災係"]
    assert [(format_ym(p.start), format_ym(p.end)) for p in init.phases] == [("2025-04", "2026-03"), ("2026-04", "2027-03")]
    qtbot.mouseClick(ok, Qt.LeftButton)

    # next year's workbook from the same office opens already corrected
    again = _open(qtbot, _office_book(tmp_path / "y2.xlsx", "避難所マップ"), settings)
    assert again.notice.text()
    assert _tree_names(again) == ["避難所マップ"]
    assert again.buttons.button(QDialogButtonBox.Ok).isEnabled()


def test_skipping_a_sheet(qtbot, tmp_path, settings):
    dialog = _open(qtbot, _standard_book(tmp_path / "a.xlsx"), settings)
    qtbot.mouseClick(dialog.skip_box, Qt.LeftButton)
    assert _tree_names(dialog) == []
    assert not dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()
    qtbot.mouseClick(dialog.skip_box, Qt.LeftButton)
    assert _tree_names(dialog) == ["電子申請", "窓口改革"]


def test_a_file_that_is_not_a_workbook_shows_a_message_not_a_traceback(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "memo.xlsx"
    bad.write_text("取組,担当\n", encoding="utf-8")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert run_import_dialog(None, str(bad)) is None
    assert shown and "xlsx" in shown[0]


def test_large_workbooks_load_behind_a_progress_dialog(qtbot, tmp_path, monkeypatch):
    path = _standard_book(tmp_path / "a.xlsx")
    monkeypatch.setattr(mod, "LARGE_FILE_BYTES", 0)
    reader = mod.load_with_progress(None, path)
    assert reader is not None and reader.sheet_titles == ["工程表"]
