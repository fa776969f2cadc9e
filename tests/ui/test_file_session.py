"""FileSession through its public API, with a tiny fake window: open, save, save as, changes on disk, locks."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from dxroadmap.io.plan_json import plan_to_dict, read_plan_json, write_plan_json
from dxroadmap.io.storage import lockfile, recovery
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Phase, PhaseKind, Pillar, Plan
from dxroadmap.ui import file_guard
from dxroadmap.ui.document import Document
from dxroadmap.ui.file_session import FileSession, written_by_dxroadmap
from dxroadmap.ui.strings import set_language


def town_plan(title: str = "テスト町DX推進計画") -> Plan:
    initiative = Initiative("書かない窓口", departments=["市民課"], phases=[
        Phase(month_index(2023, 4), month_index(2024, 3), "検討", PhaseKind.STUDY)])
    return Plan(title=title, organization="テスト町", start_fy=2023, end_fy=2027,
                pillars=[Pillar("行政手続のオンライン化", [initiative])])


class FakeWindow:
    """The window side of a session (FileHost): records what it was told, answers Save As from a list."""

    def __init__(self) -> None:
        self.save_paths: list[str] = []
        self.save_dialogs: list[tuple[str, str]] = []  # (default name, selected filter)
        self.errors: list[tuple[str, str]] = []
        self.status: list[str] = []
        self.state_changes = 0
        self.replacing = 0
        self.opened: list[Path] = []

    def ask_save_path(self, title, default, filters, selected):
        self.save_dialogs.append((Path(default).name, selected))
        return (self.save_paths.pop(0) if self.save_paths else ""), selected

    def show_status(self, text, msec):
        self.status.append(text)

    def show_error(self, title, text):
        self.errors.append((title, text))

    def show_warnings(self, name, warnings):
        self.status.extend(warnings)

    def file_state_changed(self):
        self.state_changes += 1

    def plan_replacing(self):
        self.replacing += 1

    def file_opened(self, path):
        self.opened.append(path)


class Asked:
    """The guard's questions, answered from a list (else the escape answer)."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.answers: list[str] = []

    def __call__(self, parent, icon, title, text, info, choices, default, escape):
        self.titles.append(title)
        return self.answers.pop(0) if self.answers else escape


@pytest.fixture
def asked(monkeypatch, tmp_path, qapp):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv(recovery.ENV_VAR, str(tmp_path / "data"))
    record = Asked()
    monkeypatch.setattr(file_guard, "ask", record)
    set_language("ja")
    return record


def make_session(plan: Plan | None = None) -> tuple[FileSession, FakeWindow]:
    host = FakeWindow()
    session = FileSession(Document(plan or Plan(title="", start_fy=2023, end_fy=2027)), host)
    return session, host


@pytest.fixture
def sessions(asked):
    made: list[FileSession] = []

    def make(plan: Plan | None = None) -> tuple[FileSession, FakeWindow]:
        session, host = make_session(plan)
        made.append(session)
        return session, host
    yield make
    for session in made:
        session.closed()


@pytest.fixture
def plan_path(tmp_path) -> Path:
    path = tmp_path / "共有" / "計画.json"
    path.parent.mkdir()
    write_plan_json(town_plan(), path)
    return path


def edit(session: FileSession, summary: str = "来庁不要の手続を増やす") -> None:
    session.document.set_fields(session.document.plan.pillars[0].initiatives[0], summary=summary)


def test_opening_a_plan_fills_the_document_and_takes_the_lock(sessions, plan_path):
    session, host = sessions()
    assert session.load_file(plan_path)
    assert plan_to_dict(session.document.plan) == plan_to_dict(town_plan())
    assert session.path == str(plan_path) and session.display_name() == "計画.json"
    assert host.replacing == 1 and host.opened == [plan_path] and host.errors == []
    assert not session.read_only and session.title_mark() == ""
    assert lockfile.read_lock(plan_path).info.token == session.guard.lock.info.token


def test_a_file_that_cannot_be_read_is_explained_and_the_plan_stays(sessions, tmp_path):
    session, host = sessions(town_plan("元の計画"))
    broken = tmp_path / "壊れた.json"
    broken.write_text("{ not json", encoding="utf-8")
    assert not session.load_file(broken)
    assert host.errors and host.errors[0][0] == "開けませんでした" and "壊れた.json" in host.errors[0][1]
    assert session.document.plan.title == "元の計画" and host.replacing == 0


def test_save_writes_the_file_with_a_backup_and_clears_the_modified_state(sessions, plan_path):
    session, host = sessions()
    before = plan_path.read_bytes()
    assert session.load_file(plan_path)
    edit(session)
    assert session.document.modified
    assert session.save()
    assert not session.document.modified
    saved = read_plan_json(plan_path)
    assert saved.pillars[0].initiatives[0].summary == "来庁不要の手続を増やす"
    assert plan_path.with_name("計画.bak.json").read_bytes() == before
    assert host.status[-1] == "計画.json に保存しました"


@pytest.mark.parametrize("name, suffix", [("新計画.xlsx", ".xlsx"), ("新計画.json", ".json"), ("拡張子なし", ".json")])
def test_save_as_writes_xlsx_or_json_and_the_lock_follows(sessions, plan_path, name, suffix):
    session, host = sessions()
    assert session.load_file(plan_path)
    target = plan_path.with_name(name)
    host.save_paths = [str(target)]
    assert session.save_as()
    written = target if target.suffix else target.with_name(target.name + suffix)
    assert written.exists() and session.path == str(written)
    assert host.save_dialogs == [("計画.json", "計画 JSON (*.json)")]  # a .json plan offers .json first
    if suffix == ".xlsx":
        assert zipfile.is_zipfile(written) and written_by_dxroadmap(written)
    else:
        assert read_plan_json(written).title == "テスト町DX推進計画"
    assert lockfile.read_lock(plan_path) is None  # the old file's lock went
    assert lockfile.read_lock(written).info.token == session.guard.lock.info.token
    assert not session.foreign_workbook


def test_a_workbook_saved_by_dxroadmap_reopens_as_ours(sessions, tmp_path, monkeypatch):
    """Regression: openpyxl writes <dc:creator xmlns:dc=…>, which the creator check used to miss, so our
    own workbooks went through the import dialog and Save asked as if they were an office's original."""
    session, host = sessions(town_plan())
    book = tmp_path / "計画.xlsx"
    host.save_paths = [str(book)]
    assert session.save_as()
    assert written_by_dxroadmap(book)
    monkeypatch.setattr("dxroadmap.ui.import_dialog.run_import_dialog",
                        lambda parent, path: pytest.fail("our own workbook went to the import dialog"))
    session.closed()
    again, _ = sessions()
    assert again.load_file(book)
    assert not again.foreign_workbook
    assert again.document.plan.title == "テスト町DX推進計画"


def test_a_new_plan_is_saved_as_xlsx_by_default_and_a_cancelled_dialog_writes_nothing(sessions, tmp_path):
    session, host = sessions(town_plan("白紙の計画"))
    assert not session.save()  # no path: Save As, which the user cancels
    assert host.save_dialogs == [("白紙の計画.xlsx", "Excel ブック (*.xlsx)")]
    assert list(tmp_path.iterdir()) == []


def test_a_file_changed_on_disk_is_noticed_before_saving_and_on_return(sessions, asked, plan_path):
    session, host = sessions()
    assert session.load_file(plan_path)
    edit(session)
    time.sleep(0.01)
    write_plan_json(town_plan("同僚が保存した版"), plan_path)
    asked.answers = ["cancel"]
    assert not session.save()
    assert asked.titles[-1] == "ファイルがほかで変更されています"
    assert read_plan_json(plan_path).title == "同僚が保存した版"

    asked.answers = ["keep"]
    assert session.guard.check_disk(force=True) == "keep"
    assert session.guard.check_disk(force=True) is None  # told once per version

    asked.answers = ["reload"]
    assert not session.save()  # reload instead of saving: their version is now ours
    assert session.document.plan.title == "同僚が保存した版" and not session.document.modified
    assert host.status[-1] == "計画.json を読み込み直しました"


def test_a_plan_locked_by_someone_else_opens_read_only_and_save_as_frees_it(sessions, asked, plan_path):
    first, _ = sessions()
    assert first.load_file(plan_path)
    second, host = sessions()
    assert second.load_file(plan_path)
    assert second.read_only and second.title_mark().strip() == "〔読み取り専用〕"
    assert host.state_changes > 0 and asked.titles == ["ほかの人が開いています"]
    edit(second)
    asked.answers = ["cancel"]
    before = plan_path.read_bytes()
    assert not second.save()  # the original is not overwritten
    assert plan_path.read_bytes() == before
    mine = plan_path.with_name("自分の版.json")
    host.save_paths = [str(mine)]
    assert second.save_as()
    assert not second.read_only and second.path == str(mine) and mine.exists()
    assert lockfile.read_lock(plan_path).info.token == first.guard.lock.info.token  # the first keeps its lock
