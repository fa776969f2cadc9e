"""The editor keeps planners' work safe: autosave and recovery, lock files, colleagues' saves, failed saves."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from dxroadmap.io.plan_json import plan_to_dict, read_plan_json, write_plan_json
from dxroadmap.io.storage import lockfile, recovery
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Phase, PhaseKind, Pillar, Plan
from dxroadmap.ui import file_guard
from dxroadmap.ui.main_window import MainWindow
from dxroadmap.ui.preferences import Preferences
from dxroadmap.ui.strings import set_language


def town_plan(title: str = "テスト町DX推進計画", extra: str = "書かない窓口") -> Plan:
    initiative = Initiative(extra, departments=["市民課"], phases=[
        Phase(month_index(2023, 4), month_index(2024, 3), "検討", PhaseKind.STUDY),
        Phase(month_index(2024, 4), month_index(2028, 3), "本運用", PhaseKind.OPERATE)])
    return Plan(title=title, organization="テスト町", start_fy=2023, end_fy=2027,
                pillars=[Pillar("行政手続のオンライン化", [initiative, Initiative("電子申請")])])


class Asked:
    """Every question FileGuard asks, and scripted answers (button ids) given in order."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.answers: list[str] = []
        self.critical: list[tuple[str, str]] = []

    def __call__(self, parent, icon, title, text, info, choices, default, escape):
        self.calls.append({"icon": icon, "title": title, "text": text, "info": info,
                           "choices": [c[0] for c in choices], "labels": [c[1] for c in choices]})
        return self.answers.pop(0) if self.answers else escape

    def titles(self) -> list[str]:
        return [c["title"] for c in self.calls]


@pytest.fixture
def asked(monkeypatch, tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv(recovery.ENV_VAR, str(tmp_path / "data"))
    record = Asked()
    monkeypatch.setattr(file_guard, "ask", record)
    # Only the explicit checks below: no question may pop up just because the test window got focus.
    monkeypatch.setattr(file_guard, "ACTIVATION_CHECK_SECONDS", 1e12)

    def critical(parent, title, text, *args, **kwargs):
        record.critical.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Cancel)
    set_language("ja")
    yield record
    set_language("ja")


def make_window(qtbot, minutes: int = 5) -> MainWindow:
    win = MainWindow(prefs=Preferences(autosave_minutes=minutes))
    qtbot.addWidget(win)
    win.resize(1000, 600)
    return win


def close(win: MainWindow) -> None:
    win.document.undo_stack.setClean()
    win.close()


@pytest.fixture
def window(qtbot, asked):
    win = make_window(qtbot)
    yield win
    close(win)


@pytest.fixture
def plan_path(tmp_path) -> Path:
    path = tmp_path / "共有" / "計画.json"
    path.parent.mkdir()
    write_plan_json(town_plan(), path)
    return path


def save_as_to(monkeypatch, target: Path) -> list:
    calls = []

    def fake(parent, title, default, filters, selected=""):
        calls.append(default)
        return str(target), selected
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return calls


def recovery_files() -> list[str]:
    folder = recovery.recovery_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def edit(win: MainWindow, summary: str = "来庁不要の手続を増やす") -> None:
    win.document.set_fields(win.document.plan.pillars[0].initiatives[0], summary=summary)


# ------------------------------------------------------------ autosave and recovery


def test_autosave_writes_a_recovery_copy_only_while_there_are_unsaved_changes(window, plan_path, qtbot):
    guard = window.file_guard
    assert guard.autosave_timer.isActive() and guard.autosave_timer.interval() == 5 * 60_000
    assert window.load_file(plan_path)
    guard.autosave_timer.setInterval(20)
    qtbot.wait(120)  # several ticks with nothing changed
    assert recovery_files() == []
    edit(window)
    qtbot.waitUntil(lambda: any(n.endswith(".plan.json") for n in recovery_files()), timeout=2000)
    [entry] = recovery.list_recoveries(include_running=True)
    assert entry.session_id == guard.session_id
    assert entry.source_path == plan_path.resolve() or entry.source_path == Path(os.path.abspath(plan_path))
    assert plan_to_dict(entry.load()) == plan_to_dict(window.document.plan)
    assert recovery.list_recoveries() == []  # this dxroadmap is still running: nothing to offer
    window.document.undo_stack.undo()  # back to the saved state: the copy is no longer needed
    qtbot.waitUntil(lambda: recovery_files() == [], timeout=2000)
    window.apply_preferences(Preferences(autosave_minutes=0), save=False)
    assert not guard.autosave_timer.isActive()


def crashed_session(plan: Plan, source: Path | None) -> str:
    """An autosave left by a dxroadmap process that has since died."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    session = f"{dead.pid}-deadbeef0000"
    recovery.save_recovery(plan, source, session)
    meta_path = recovery.recovery_dir() / f"{session}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(pid=dead.pid, proc=None)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return session


def test_a_crashed_session_is_offered_at_start_and_restores_the_exact_plan(asked, plan_path, monkeypatch, qtbot):
    from dxroadmap.ui.app import run

    lost = town_plan(title="クラッシュ前の編集", extra="窓口DX（未保存）")
    lost.pillars[0].initiatives[0].summary = "自動保存にだけ残っている内容"
    crashed = crashed_session(lost, plan_path)
    offered, seen = [], {}

    def choose(parent, entries):
        offered.append([(e.session_id, e.describe("ja")) for e in entries])
        return "restore", entries[0]
    monkeypatch.setattr(file_guard, "choose_recovery", choose)

    def inspect_and_close():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            QTimer.singleShot(20, inspect_and_close)
            return
        win = windows[0]
        seen.update(plan=plan_to_dict(win.document.plan), path=win.document.path, modified=win.isWindowModified(),
                    title=win.windowTitle(), files=recovery_files(), session=win.file_guard.session_id)
        save_as_to(monkeypatch, plan_path.with_name("unused.json"))
        seen["saved"] = win.save()  # goes to the original file, after the checks
        seen["after_save"] = recovery_files()
        seen["on_disk"] = plan_to_dict(read_plan_json(plan_path))
        close(win)

    QTimer.singleShot(50, inspect_and_close)
    assert run(str(plan_path)) == 0
    assert offered and offered[0][0][0] == crashed and "計画.json" in offered[0][0][1]
    assert seen["plan"] == plan_to_dict(lost)
    assert Path(seen["path"]) == Path(os.path.abspath(plan_path))
    assert seen["modified"] and seen["title"].startswith("計画.json")
    assert not any(n.startswith(crashed) for n in seen["files"])  # the crashed copy moved to this session
    assert f"{seen['session']}.plan.json" in seen["files"]
    assert seen["saved"] and seen["on_disk"] == plan_to_dict(lost)
    assert seen["after_save"] == []  # a clean save removes the recovery copy
    assert not asked.calls and not asked.critical


def test_recoveries_can_be_discarded_or_left_for_later(window, asked, monkeypatch):
    first = crashed_session(town_plan(title="一つ目"), None)
    answers = [("later", None)]
    monkeypatch.setattr(file_guard, "choose_recovery", lambda parent, entries: answers.pop(0))
    assert not file_guard.offer_recoveries(window)
    assert [e.session_id for e in recovery.list_recoveries()] == [first]
    entry = recovery.list_recoveries()[0]
    answers[:] = [("discard", entry)]
    assert not file_guard.offer_recoveries(window)
    assert recovery.list_recoveries() == [] and recovery_files() == []
    assert not window.isWindowModified()


def test_the_recovery_dialog_lists_file_and_time(asked, plan_path, qtbot):
    crashed_session(town_plan(), plan_path)
    dialog = file_guard.RecoveryDialog(recovery.list_recoveries())
    qtbot.addWidget(dialog)
    text = dialog.list.item(0).text()
    assert "計画.json" in text and "自動保存" in text
    assert dialog.selected().source_path == Path(os.path.abspath(plan_path))
    button = dialog.findChild(QPushButton, "recovery_discard")
    assert button.text() == "破棄"
    button.click()
    assert dialog.choice == "discard"


# ------------------------------------------------------------ saving never loses data


def test_save_keeps_the_previous_version_as_bak(window, plan_path):
    before = plan_path.read_bytes()
    assert window.load_file(plan_path)
    edit(window)
    assert window.save()
    backup = plan_path.with_name("計画.bak.json")
    assert backup.read_bytes() == before
    assert read_plan_json(plan_path).pillars[0].initiatives[0].summary == "来庁不要の手続を増やす"


def test_a_failed_save_explains_offers_save_as_and_leaves_the_file_alone(window, asked, plan_path, monkeypatch):
    assert window.load_file(plan_path)
    edit(window)
    before = plan_path.read_bytes()
    real_replace = os.replace

    def busy(src, dst, *args, **kwargs):
        if Path(dst).name in ("計画.json", "計画.bak.json"):
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real_replace(src, dst, *args, **kwargs)
    monkeypatch.setattr(os, "replace", busy)

    asked.answers = ["cancel"]
    assert not window.save()
    [call] = asked.calls
    assert call["icon"] == "critical" and call["title"] == "保存できませんでした"
    assert "ほかのプログラムが 計画.json を使用中" in call["text"]
    assert call["labels"] == ["名前を付けて保存…", "キャンセル"]
    assert plan_path.read_bytes() == before and window.isWindowModified()
    assert sorted(p.name for p in plan_path.parent.iterdir()) == ["~$計画.json.lock", "計画.json"]

    copy = plan_path.with_name("計画_控え.json")
    save_as_to(monkeypatch, copy)
    asked.answers = ["save_as"]
    assert window.save()
    assert plan_path.read_bytes() == before
    assert read_plan_json(copy).pillars[0].initiatives[0].summary == "来庁不要の手続を増やす"
    assert window.document.path == str(copy) and not window.isWindowModified()
    # the lock followed the plan to its new file
    assert not lockfile.lock_path_for(plan_path).exists() and lockfile.lock_path_for(copy).exists()

    set_language("en")
    monkeypatch.setattr(os, "replace", real_replace)
    copy.chmod(0o444)
    edit(window, "read-only now")
    asked.answers = ["cancel"]
    assert not window.save()
    assert "read-only" in asked.calls[-1]["text"] and asked.calls[-1]["labels"] == ["Save As…", "Cancel"]


# ------------------------------------------------------------ shared folders


def test_a_second_window_gets_a_read_only_view_naming_the_holder(window, asked, plan_path, qtbot, monkeypatch):
    assert window.load_file(plan_path)
    assert window.file_guard.lock is not None and not window.file_guard.read_only
    second = make_window(qtbot)
    try:
        assert second.load_file(plan_path)
        [call] = asked.calls
        assert call["title"] == "ほかの人が開いています"
        assert f"{lockfile.default_user()} さん（{lockfile.default_host()}）" in call["text"]
        assert second.file_guard.read_only and not second.act_save.isEnabled()
        assert second.windowTitle() == "計画.json[*] 〔読み取り専用〕 — dxroadmap"
        edit(second, "二人目の編集")  # editing is allowed
        mine = plan_path.with_name("計画_二人目.json")
        save_as_to(monkeypatch, mine)
        before = plan_path.read_bytes()
        asked.answers = ["cancel"]
        assert not second.save()  # e.g. 保存 in the close prompt: asks first
        assert asked.calls[-1]["title"] == "読み取り専用で開いています"
        assert asked.calls[-1]["labels"] == ["名前を付けて保存…", "上書き保存", "キャンセル"]
        asked.answers = ["save_as"]
        assert second.save()  # Save As, never silently to the original
        assert plan_path.read_bytes() == before and mine.exists()
        assert not second.file_guard.read_only and second.act_save.isEnabled()
        assert "読み取り専用" not in second.windowTitle()
        assert lockfile.read_lock(plan_path).info.token == window.file_guard.lock.info.token  # first keeps it
    finally:
        close(second)
    assert not lockfile.lock_path_for(mine).exists()  # released on close
    close(window)
    assert not lockfile.lock_path_for(plan_path).exists()


def test_a_colleague_on_another_machine_holds_the_plan(window, asked, plan_path):
    theirs = lockfile.acquire(plan_path, user="山田", host="SOUMU-PC12")
    assert isinstance(theirs, lockfile.Lock)
    assert window.load_file(plan_path)
    assert "山田 さん（SOUMU-PC12）" in asked.calls[0]["text"] and asked.calls[0]["choices"] == ["ok"]
    assert window.file_guard.read_only
    assert window.file_guard.held.info.user == "山田"
    edit(window, "山田さんと相談済みの修正")
    asked.answers = ["over"]  # overwriting the original only when the user says so, knowing who has it open
    assert window.save()
    assert "山田 さん（SOUMU-PC12）" in asked.calls[-1]["text"]
    assert read_plan_json(plan_path).pillars[0].initiatives[0].summary == "山田さんと相談済みの修正"
    assert window.file_guard.read_only and lockfile.read_lock(plan_path).info.user == "山田"
    theirs.release()


def stale_lock(path: Path, user: str = "山田", host: str = "SOUMU-PC12") -> lockfile.Lock:
    """A lock left 5 hours ago by a colleague's machine that has not refreshed it since."""
    lock = lockfile.acquire(path, user=user, host=host)
    old = time.time() - 5 * 3600
    info = json.loads(lock.lock_path.read_bytes())
    info.update(since=old, heartbeat=old)
    lock.lock_path.write_bytes(json.dumps(info, ensure_ascii=False).encode("utf-8"))
    os.utime(lock.lock_path, (old, old))
    return lock


def test_a_stale_lock_can_be_taken_over(window, asked, plan_path):
    stale_lock(plan_path)
    asked.answers = ["take"]
    assert window.load_file(plan_path)
    assert asked.calls[0]["choices"] == ["take", "ro"] and "引き継いで編集できます" in asked.calls[0]["text"]
    assert not window.file_guard.read_only and window.act_save.isEnabled()
    assert lockfile.read_lock(plan_path).info.user == lockfile.default_user()
    edit(window)
    assert window.save()


def test_declining_a_stale_lock_opens_read_only(window, asked, plan_path):
    stale_lock(plan_path)
    asked.answers = ["ro"]
    assert window.load_file(plan_path)
    assert window.file_guard.read_only
    assert lockfile.read_lock(plan_path).info.user == "山田"


def test_a_lock_taken_over_by_someone_else_turns_the_window_read_only(window, asked, plan_path):
    assert window.load_file(plan_path)
    assert window.file_guard.lock_timer.isActive()
    assert window.file_guard.lock_timer.interval() == int(lockfile.HEARTBEAT_INTERVAL * 1000)
    window.file_guard.refresh_lock()
    assert not asked.calls
    lockfile.take_over(plan_path, user="山田", host="SOUMU-PC12")
    window.file_guard.refresh_lock()
    assert asked.calls[-1]["title"] == "ほかの人が編集を引き継ぎました"
    assert window.file_guard.read_only and "〔読み取り専用〕" in window.windowTitle()


def test_an_excel_owner_file_is_named(window, asked, tmp_path):

    from dxroadmap.formats import write_any

    book = tmp_path / "計画.xlsx"
    write_any(town_plan(), book)
    book.with_name(".~lock.計画.xlsx#").write_text("佐藤 花子,SOUMU-PC3,sato,21.11.2026 09:00,file:///home;",
                                                  encoding="utf-8")
    assert window.load_file(book)
    assert any("佐藤 花子 さん" in c["text"] for c in asked.calls)
    assert not window.file_guard.read_only


# ------------------------------------------------------------ external changes


def colleague_saves(path: Path, title: str = "同僚が保存した版") -> Plan:
    time.sleep(0.01)
    theirs = town_plan(title=title, extra="同僚が追加した取組")
    write_plan_json(theirs, path)
    return theirs


def test_a_colleagues_save_is_noticed_before_overwriting_and_reload_loads_it(window, asked, plan_path):
    assert window.load_file(plan_path)
    edit(window)
    theirs = colleague_saves(plan_path)
    on_disk = plan_path.read_bytes()
    asked.answers = ["cancel"]
    assert not window.save()
    assert asked.calls[-1]["title"] == "ファイルがほかで変更されています"
    assert asked.calls[-1]["labels"] == ["上書き保存", "再読み込み", "名前を付けて保存…", "キャンセル"]
    assert plan_path.read_bytes() == on_disk and window.isWindowModified()
    asked.answers = ["reload"]
    assert not window.save()
    assert plan_path.read_bytes() == on_disk
    assert plan_to_dict(window.document.plan) == plan_to_dict(theirs)
    assert not window.isWindowModified() and not window.file_guard.read_only
    edit(window, "同僚の版に追記")
    n = len(asked.calls)
    assert window.save()  # no more warning: we now have their version
    assert len(asked.calls) == n


def test_overwrite_anyway_saves_ours(window, asked, plan_path):
    assert window.load_file(plan_path)
    edit(window)
    colleague_saves(plan_path)
    asked.answers = ["over"]
    assert window.save()
    assert read_plan_json(plan_path).title == "テスト町DX推進計画"


def test_coming_back_to_the_window_offers_to_reload(window, asked, plan_path, monkeypatch, qtbot):
    monkeypatch.setattr(file_guard, "ACTIVATION_CHECK_SECONDS", 0.0)
    assert window.load_file(plan_path)
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    qtbot.wait(20)
    assert not asked.calls  # nothing changed on disk
    theirs = colleague_saves(plan_path)
    asked.answers = ["reload"]
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    qtbot.waitUntil(lambda: bool(asked.calls), timeout=2000)
    assert asked.calls[0]["choices"] == ["reload", "keep"]
    assert plan_to_dict(window.document.plan) == plan_to_dict(theirs)
    # modified: keep editing, and the same on-disk version is not asked about twice
    edit(window)
    colleague_saves(plan_path, "同僚が二度目に保存した版")
    asked.answers = ["keep"]
    assert window.file_guard.check_disk(force=True) == "keep"
    assert asked.calls[-1]["choices"] == ["keep", "save_as", "reload"]
    assert window.file_guard.check_disk(force=True) is None
    assert window.isWindowModified()


def test_a_clean_close_removes_lock_and_recovery(asked, plan_path, qtbot):
    win = make_window(qtbot)
    assert win.load_file(plan_path)
    edit(win)
    assert win.file_guard.autosave()
    assert recovery_files()
    close(win)
    assert recovery_files() == []
    assert not lockfile.lock_path_for(plan_path).exists()


def test_another_process_holds_the_plan_and_its_crash_frees_it(window, asked, plan_path, qtbot):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from dxroadmap.io.storage.lockfile import acquire; "
         "lock = acquire(sys.argv[1], user='鈴木'); print(type(lock).__name__, flush=True); sys.stdin.read()",
         str(plan_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=str(Path(__file__).resolve().parents[2]))
    try:
        assert holder.stdout.readline().strip() == "Lock"
        assert window.load_file(plan_path)
        assert "鈴木 さん" in asked.calls[-1]["text"] and asked.calls[-1]["choices"] == ["ok"]
        assert window.file_guard.read_only and not window.act_save.isEnabled()
        assert window.file_guard.held.info.pid == holder.pid
    finally:
        holder.kill()
        holder.wait()
    # the holder died: opening again shows a stale lock that can be taken over
    asked.answers = ["take"]
    assert window.load_file(plan_path)
    assert asked.calls[-1]["choices"] == ["take", "ro"]
    assert not window.file_guard.read_only
    assert lockfile.read_lock(plan_path).info.pid == os.getpid()


def test_a_restored_plan_whose_file_changed_after_the_autosave_warns_before_saving(window, asked, plan_path,
                                                                                    monkeypatch):
    lost = town_plan(title="自動保存の版")
    crashed_session(lost, plan_path)
    later = time.time() + 60
    write_plan_json(town_plan(title="後から保存された版"), plan_path)
    os.utime(plan_path, (later, later))
    monkeypatch.setattr(file_guard, "choose_recovery", lambda parent, entries: ("restore", entries[0]))
    assert file_guard.offer_recoveries(window)
    assert window.document.plan.title == "自動保存の版" and window.isWindowModified()
    asked.answers = ["cancel"]
    assert not window.save()
    assert asked.calls[-1]["title"] == "ファイルがほかで変更されています"
    assert read_plan_json(plan_path).title == "後から保存された版"


def test_save_as_over_a_file_with_a_leftover_lock_takes_it(window, asked, plan_path, monkeypatch):
    target = plan_path.with_name("別の計画.json")
    write_plan_json(town_plan(title="古い"), target)
    stale_lock(target)
    save_as_to(monkeypatch, target)
    assert window.save_as()
    assert not asked.calls  # a stale lock is no reason to ask
    assert not window.file_guard.read_only
    assert lockfile.read_lock(target).info.user == lockfile.default_user()


def test_ctrl_s_saves_with_a_backup_but_does_nothing_in_a_read_only_view(window, asked, plan_path, qtbot, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    assert window.load_file(plan_path)
    before = plan_path.read_bytes()
    edit(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.tree.setFocus()
    QTest.keyClick(window.tree, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=2000)
    assert plan_path.with_name("計画.bak.json").read_bytes() == before
    saved = plan_path.read_bytes()
    second = make_window(qtbot)
    try:
        assert second.load_file(plan_path) and second.file_guard.read_only
        dialogs = save_as_to(monkeypatch, plan_path.with_name("never.json"))
        edit(second, "二人目")
        second.show()
        second.activateWindow()
        qtbot.waitUntil(second.isActiveWindow, timeout=2000)
        second.tree.setFocus()
        QTest.keyClick(second.tree, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(50)
        assert plan_path.read_bytes() == saved and not dialogs and second.isWindowModified()
    finally:
        close(second)


def test_a_damaged_autosave_is_explained_and_kept_for_later(window, asked, monkeypatch):
    session = crashed_session(town_plan(), None)
    (recovery.recovery_dir() / f"{session}.plan.json").write_bytes(b'{"app": "dxroadmap", "pillars": [')
    monkeypatch.setattr(file_guard, "choose_recovery", lambda parent, entries: ("restore", entries[0]))
    assert not file_guard.offer_recoveries(window)
    [(title, text)] = asked.critical
    assert title == "自動保存からの復元" and text.startswith("自動保存のコピーを読み込めませんでした。")
    assert not window.isWindowModified() and window.document.path is None
    assert [e.session_id for e in recovery.list_recoveries()] == [session]


def test_a_folder_that_refuses_the_lock_file_opens_read_only(window, asked, plan_path, monkeypatch):
    from dxroadmap.io.errors import PlanWriteError

    def refuse(path, *args, **kwargs):
        raise PlanWriteError("lock-failed", "Could not mark it as open.", "ロックファイルを作れませんでした。")
    monkeypatch.setattr(lockfile, "acquire", refuse)
    assert window.load_file(plan_path)
    assert asked.calls[-1]["title"] == "ファイルをロックできませんでした"
    assert asked.calls[-1]["text"] == "ロックファイルを作れませんでした。"
    assert window.file_guard.read_only and "〔読み取り専用〕" in window.windowTitle()
