"""Issue 12 (GUI): Save on a plan imported from an office's workbook writes into that workbook's own form.

Real files: 森町's quarter workbook (s03) is opened through the session (the import dialog
replaced by the importer, as in test_file_session.py), edited through the document's undoable
operations and saved; the refusal dialog is driven with qtbot; the guard's questions are answered
through file_guard.ask.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.io.storage import lockfile, recovery
from dxroadmap.io.xlsx.datasheet import SHEET_NAME as DATA_SHEET
from dxroadmap.io.xlsx.package.parts import workbook_sheets
from dxroadmap.io.xlsx.read.workbook import import_workbook
from dxroadmap.io.xlsx.update.paint import Issue
from dxroadmap.model.fiscal import month_index
from dxroadmap.ui import file_guard
from dxroadmap.ui.dialogs.office_save import OfficeRefusalDialog, issue_text
from dxroadmap.ui.document import Document
from dxroadmap.ui.file_session import FileSession, written_by_dxroadmap
from dxroadmap.ui.strings import set_language
from tests.ui.test_file_session import Asked, FakeWindow

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"  # ../shared beside the repository
pytestmark = pytest.mark.skipif(not (FIXTURES / "s03_quarter_mori.xlsx").exists(), reason="needs the shared fixtures")

# the parts an update may change: the roadmap sheet, the data sheet and its registration
REGISTRATION = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}


@pytest.fixture
def asked(monkeypatch, tmp_path, qapp):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv(recovery.ENV_VAR, str(tmp_path / "data"))
    record = Asked()
    monkeypatch.setattr(file_guard, "ask", record)
    set_language("ja")
    yield record
    set_language("ja")


@pytest.fixture
def imports(monkeypatch):
    """The import dialog, accepted as the importer reads the workbook; records the paths it was shown."""
    shown: list[str] = []

    def run(parent, path):
        shown.append(Path(path).name)
        return import_workbook(path).plan
    monkeypatch.setattr("dxroadmap.ui.import_dialog.run_import_dialog", run)
    return shown


@pytest.fixture
def sessions(asked, imports):
    made: list[FileSession] = []

    def make() -> tuple[FileSession, FakeWindow]:
        host = FakeWindow()
        session = FileSession(Document(), host)
        made.append(session)
        return session, host
    yield make
    for session in made:
        session.closed()


@pytest.fixture
def office(tmp_path) -> Path:
    path = tmp_path / "森町" / "森町DX推進計画.xlsx"
    path.parent.mkdir()
    path.write_bytes((FIXTURES / "s03_quarter_mori.xlsx").read_bytes())  # writable, unlike the fixture
    return path


def find(session: FileSession, name: str):
    return next(i for _, i in session.document.plan.walk() if i.name == name)


def move_divide_bar(session: FileSession, months: int = 3) -> None:
    """デジタルデバイド対策's one bar (2023-04…2027-12) moved by a quarter, as a drag would."""
    phase = find(session, "デジタルデバイド対策").phases[0]
    session.document.set_phase_span(phase, phase.start + months, phase.end + months)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {sheet.title: sheet.part for sheet in workbook_sheets(archive)}


def answer_modal(qtbot, kind: type, click) -> list:
    """When a modal ``kind`` comes up, record it and ``click(dialog)``; gives up (closing it) after ~5 s."""
    seen: list = []
    tries = [0]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            seen.append(widget)
            click(widget)
            return
        tries[0] += 1
        if tries[0] < 250:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(0, poll)
    return seen


def refusal_answer(qtbot, key: str) -> list:
    def click(dialog: OfficeRefusalDialog) -> None:
        dialog.setProperty("texts", dialog.issue_texts)
        qtbot.mouseClick(dialog.buttons[key], Qt.MouseButton.LeftButton)
    return answer_modal(qtbot, OfficeRefusalDialog, click)


# ------------------------------------------------------------------ the plain case


def test_save_writes_into_their_workbook_and_reopening_gives_the_edited_plan(sessions, office, imports):
    session, host = sessions()
    original = office.read_bytes()
    assert session.load_file(office) and imports == [office.name]
    assert session.foreign_workbook
    move_divide_bar(session)
    assert session.document.modified
    edited = plan_to_dict(session.document.plan)

    assert session.save()
    assert not session.document.modified and host.errors == []
    assert host.status[-1] == f"{office.name} の様式に書き込みました（元のブックは 森町DX推進計画.bak.xlsx に残しました）"
    # still their workbook: every part byte for byte but the roadmap sheet, the new data sheet and its registration
    assert not written_by_dxroadmap(office)
    before, after = parts(office.with_name("森町DX推進計画.bak.xlsx")), parts(office)
    assert office.with_name("森町DX推進計画.bak.xlsx").read_bytes() == original
    sheets = sheet_parts(office)
    assert list(sheets) == ["工程表", DATA_SHEET]
    assert set(after) - set(before) == {sheets[DATA_SHEET]}
    changed = {name for name in before if before[name] != after[name]}
    assert changed == REGISTRATION | {sheets["工程表"]}, changed
    assert session.foreign_workbook  # still the office's: the next Save writes into it again

    # reopening: the exact plan, without the import dialog guessing again
    session.closed()
    again, _ = sessions()
    assert again.load_file(office)
    assert imports == [office.name]
    assert plan_to_dict(again.document.plan) == edited
    assert again.foreign_workbook

    # a second Save writes into it again; the backup is now the first saved version
    first_saved = office.read_bytes()
    move_divide_bar(again, -3)
    assert again.save()
    assert office.with_name("森町DX推進計画.bak.xlsx").read_bytes() == first_saved
    assert not written_by_dxroadmap(office)
    with zipfile.ZipFile(office) as archive:
        assert sum(1 for n in archive.namelist() if n.startswith("xl/worksheets/sheet")) == \
               sum(1 for n in before if n.startswith("xl/worksheets/sheet")) + 1  # one data sheet, replaced
    assert plan_to_dict(import_workbook(office).plan) == plan_to_dict(again.document.plan)


def test_a_form_edited_in_excel_after_the_save_goes_through_the_import_dialog(sessions, office, imports):
    session, _ = sessions()
    assert session.load_file(office)
    move_divide_bar(session)
    assert session.save()
    session.closed()
    wb = openpyxl.load_workbook(office)  # a colleague renames an initiative on the form in Excel
    ws = next(ws for ws in wb.worksheets if ws.sheet_state == "visible")
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "デジタルデバイド対策")
    cell.value = "デジタルデバイド対策の強化"
    wb.save(office)
    again, _ = sessions()
    assert again.load_file(office)
    assert imports == [office.name, office.name]  # the visible form is the truth now
    assert any(i.name == "デジタルデバイド対策の強化" for _, i in again.document.plan.walk())


# ------------------------------------------------------------------ the form cannot show the plan


def past_the_form(session: FileSession) -> None:
    """The bar runs two years past the form's last year (FY2027)."""
    phase = find(session, "デジタルデバイド対策").phases[0]
    session.document.set_phase_span(phase, phase.start, month_index(2029, 12))


def test_refusal_force_writes_into_the_form_and_keeps_the_exact_plan(qtbot, sessions, office):
    session, host = sessions()
    original = office.read_bytes()
    assert session.load_file(office)
    past_the_form(session)
    edited = plan_to_dict(session.document.plan)
    seen = refusal_answer(qtbot, "force")
    assert session.save()
    assert len(seen) == 1
    texts = seen[0].property("texts")
    assert any("デジタルデバイド対策" in t and "はみ出す" in t for t in texts), texts
    assert not session.document.modified and host.errors == []
    assert office.with_name("森町DX推進計画.bak.xlsx").read_bytes() == original
    assert not written_by_dxroadmap(office)
    assert plan_to_dict(import_workbook(office).plan) == edited  # the data sheet keeps the 2029 bar


def test_refusal_save_as_writes_a_dxroadmap_copy_and_leaves_their_workbook(qtbot, sessions, office):
    session, host = sessions()
    original = office.read_bytes()
    assert session.load_file(office)
    past_the_form(session)
    copy = office.with_name("森町DX推進計画（コピー）.xlsx")
    host.save_paths = [str(copy)]
    seen = refusal_answer(qtbot, "save_as")
    assert session.save()
    assert len(seen) == 1
    assert host.save_dialogs == [(copy.name, "Excel ブック (*.xlsx)")]  # a copy's name, the workbook filter
    assert office.read_bytes() == original and not office.with_name("森町DX推進計画.bak.xlsx").exists()
    assert written_by_dxroadmap(copy) and session.path == str(copy) and not session.foreign_workbook
    assert lockfile.read_lock(office) is None  # the lock followed the copy


def test_refusal_cancel_writes_nothing(qtbot, sessions, office):
    session, host = sessions()
    original = office.read_bytes()
    assert session.load_file(office)
    past_the_form(session)
    seen = refusal_answer(qtbot, "cancel")
    assert not session.save()
    assert len(seen) == 1 and host.save_dialogs == []
    assert office.read_bytes() == original and not office.with_name("森町DX推進計画.bak.xlsx").exists()
    assert session.document.modified and session.path == str(office)


def test_the_refusal_dialog_speaks_the_ui_language(qtbot):
    issues = [Issue("“A”: the bar 2023-10–2032-03 runs past the form's years and is cut at its edge",
                    "「A」の 2023-10～2032-03 のバーは様式の年度をはみ出すため端で切れます")]
    for lang, force, first in (("ja", "様式に書き込む（正確な計画はデータシートに保存）", "・" + issues[0].ja),
                               ("en", "Write into the form (exact plan kept in the data sheet)", "• " + issues[0].en)):
        set_language(lang)
        dialog = OfficeRefusalDialog("森町.xlsx", issues)
        qtbot.addWidget(dialog)
        assert dialog.buttons["force"].text() == force
        assert dialog.issues.toPlainText() == first and first.endswith(issue_text(issues[0]))
        assert dialog.choice == "cancel"
        dialog.reject()  # Esc
        assert dialog.choice == "cancel"
    set_language("ja")


# ------------------------------------------------------------------ a layout that cannot be written into


def prefixed_copy(source: Path, target: Path) -> None:
    """``source`` with its roadmap sheet written in prefixed SpreadsheetML (<x:worksheet …>), as some
    generators write it: the reader reads it, the in-place writer cannot edit it."""
    import re
    import zipfile

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet") and info.filename.endswith(".xml"):
                xml = data.decode("utf-8")
                xml = re.sub(r"<(/?)([A-Za-z]+)(?=[\s/>])", r"<\1x:\2", xml)
                xml = xml.replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                                  'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 1)
                data = xml.encode("utf-8")
            zout.writestr(info, data)


@pytest.mark.parametrize("answer", ["save_as", "cancel"])
def test_a_layout_that_cannot_be_written_says_so_and_offers_save_as(qtbot, sessions, tmp_path, answer):
    odd = tmp_path / "森町.xlsx"
    prefixed_copy(FIXTURES / "s03_quarter_mori.xlsx", odd)
    original = odd.read_bytes()
    session, host = sessions()
    assert session.load_file(odd)
    session.document.set_fields(session.document.plan, title="森町DX推進計画（改訂）")
    copy = odd.with_name("森町（コピー）.xlsx")
    host.save_paths = [str(copy)]
    B = QMessageBox.StandardButton

    def click(box: QMessageBox) -> None:
        box.setProperty("shown", (box.windowTitle(), box.text()))
        box.button(B.Save if answer == "save_as" else B.Cancel).click()
    seen = answer_modal(qtbot, QMessageBox, click)
    assert session.save() is (answer == "save_as")
    assert len(seen) == 1
    title, text = seen[0].property("shown")
    assert title == "この様式には書き込めません" and "森町.xlsx" in text and "編集できない形式" in text
    assert odd.read_bytes() == original and not odd.with_name("森町.bak.xlsx").exists()
    if answer == "save_as":
        assert host.save_dialogs == [(copy.name, "Excel ブック (*.xlsx)")] and written_by_dxroadmap(copy)
    else:
        assert host.save_dialogs == [] and session.document.modified


# ------------------------------------------------------------------ the guard's checks come first


def test_a_locked_original_gets_the_read_only_question_and_nothing_is_written(sessions, asked, office):
    first, _ = sessions()
    assert first.load_file(office)
    second, _ = sessions()
    assert second.load_file(office)
    assert second.read_only
    move_divide_bar(second)
    original = office.read_bytes()
    asked.answers = ["cancel"]
    assert not second.save()
    assert asked.titles[-1] == "読み取り専用で開いています"
    assert office.read_bytes() == original and not office.with_name("森町DX推進計画.bak.xlsx").exists()


def test_an_original_changed_on_disk_gets_the_changed_question_and_nothing_is_written(sessions, asked, office):
    session, _ = sessions()
    assert session.load_file(office)
    move_divide_bar(session)
    theirs = (FIXTURES / "s01_yearfill_matsumae.xlsx").read_bytes()  # a colleague saved another version
    office.write_bytes(theirs)
    asked.answers = ["cancel"]
    assert not session.save()
    assert asked.titles[-1] == "ファイルがほかで変更されています"
    assert office.read_bytes() == theirs and not office.with_name("森町DX推進計画.bak.xlsx").exists()
    assert session.document.modified


def test_a_change_on_disk_while_the_refusal_is_open_is_caught_before_forcing(qtbot, sessions, asked, office):
    session, _ = sessions()
    assert session.load_file(office)
    past_the_form(session)
    theirs = (FIXTURES / "s01_yearfill_matsumae.xlsx").read_bytes()

    def colleague_saves_then_force(dialog: OfficeRefusalDialog) -> None:
        office.write_bytes(theirs)
        qtbot.mouseClick(dialog.buttons["force"], Qt.MouseButton.LeftButton)
    seen = answer_modal(qtbot, OfficeRefusalDialog, colleague_saves_then_force)
    asked.answers = ["cancel"]
    assert not session.save()
    assert len(seen) == 1 and asked.titles == ["ファイルがほかで変更されています"]
    assert office.read_bytes() == theirs and not office.with_name("森町DX推進計画.bak.xlsx").exists()
