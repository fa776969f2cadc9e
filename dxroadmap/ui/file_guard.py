"""Keeps the open plan's file safe: autosave and recovery, lock files, external changes, failed saves.

:class:`FileGuard` is a QObject owned by the window's :class:`~dxroadmap.ui.file_session.FileSession`,
which calls it at a few points (open, before and after writing, close, preference change) and
answers its requests through the small :class:`GuardHost` protocol (the guard imports neither
the session nor the window); the guard does the rest with :mod:`dxroadmap.io.storage.recovery`, :mod:`~dxroadmap.io.storage.lockfile` and
:mod:`~dxroadmap.io.storage.fingerprint`:

- an autosave timer (Preferences' interval, 0 = off) writes a recovery copy while the
  plan has unsaved changes; a clean save or a clean close removes it, and
  :func:`offer_recoveries` offers the copies of crashed sessions at start;
- opening a file takes its lock (``~$name.lock``); when someone else holds it the plan
  opens read-only (〔読み取り専用〕 in the title, Save disabled, Save As allowed; a save
  that still reaches the original, e.g. 保存 in the close prompt, asks 名前を付けて保存 /
  上書き保存 / キャンセル naming the holder), with the offer to take over a stale lock;
  the lock is refreshed on a timer (a lock taken over by someone else turns the view
  read-only) and released on close, on opening another file and after Save As elsewhere
  (which locks the new file); for workbooks, Excel's / LibreOffice's owner file is named;
- a fingerprint of the file taken when it was read and after each save tells whether
  a colleague saved it meanwhile: checked before saving (上書き保存 / 再読み込み /
  名前を付けて保存 / キャンセル) and when the window becomes active again;
- a failed save to the plan's own file shows the reason and offers Save As.

Every question goes through :func:`ask` (and :func:`choose_recovery`), which tests replace.
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.storage import fingerprint as disk_state
from dxroadmap.io.storage import lockfile, recovery
from dxroadmap.ui.strings import language, tr

if TYPE_CHECKING:  # pragma: no cover
    from dxroadmap.model.plan import Plan
    from dxroadmap.ui.document import Document

__all__ = ["FileGuard", "GuardHost", "write_message", "ask", "make_box", "choose_recovery", "RecoveryDialog", "offer_recoveries",
           "ACTIVATION_CHECK_SECONDS"]

ACTIVATION_CHECK_SECONDS = 3.0  # at most one on-disk check per this many seconds when the window is activated
_ROLES = {
    "accept": QMessageBox.ButtonRole.AcceptRole,
    "reject": QMessageBox.ButtonRole.RejectRole,
    "destructive": QMessageBox.ButtonRole.DestructiveRole,
    "action": QMessageBox.ButtonRole.ActionRole,
}
_ICONS = {
    "warning": QMessageBox.Icon.Warning,
    "critical": QMessageBox.Icon.Critical,
    "information": QMessageBox.Icon.Information,
    "question": QMessageBox.Icon.Question,
}

Choice = tuple[str, str, str]  # (id, text, role in _ROLES)


def make_box(parent: QWidget | None, icon: str, title: str, text: str, info: str,
             choices: Sequence[Choice], default: str) -> tuple[QMessageBox, dict]:
    """A message box with one button per choice; returns the box and {button: choice id}."""
    box = QMessageBox(parent)
    box.setIcon(_ICONS[icon])
    box.setWindowTitle(title)
    box.setText(text)
    if info:
        box.setInformativeText(info)
    buttons = {}
    for key, label, role in choices:
        button = box.addButton(label, _ROLES[role])
        buttons[button] = key
        if key == default:
            box.setDefaultButton(button)
    return box, buttons


def ask(parent: QWidget | None, icon: str, title: str, text: str, info: str,
        choices: Sequence[Choice], default: str, escape: str) -> str:
    """Show a modal question and return the id of the chosen button (``escape`` when closed)."""
    box, buttons = make_box(parent, icon, title, text, info, choices, default)
    for button, key in buttons.items():
        if key == escape:
            box.setEscapeButton(button)
    box.exec()
    return buttons.get(box.clickedButton(), escape)


def write_message(exc: BaseException, name: str) -> str:
    """The sentence for a failed write of the file ``name`` ("" : the reason alone)."""
    if isinstance(exc, PlanWriteError):
        reason = exc.message(language())
    elif isinstance(exc, OSError):
        reason = str(exc.strerror or exc)
    else:
        reason = tr("file.writer_failed", error=type(exc).__name__)
    return tr("file.write_failed", name=name, reason=reason) if name else reason


class GuardHost(Protocol):
    """What the guard asks of the file session it serves."""

    def show_status(self, text: str, msec: int) -> None: ...
    def show_error(self, title: str, text: str) -> None: ...
    def file_state_changed(self) -> None: ...  # read-only or title changed
    def save_as(self) -> bool: ...
    def load_file(self, path: str | os.PathLike) -> bool: ...
    def restore_plan(self, plan: "Plan", source: str | None) -> None: ...  # show a recovered plan, unsaved


def _same_path(a: str | os.PathLike | None, b: str | os.PathLike | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
    except OSError:
        return os.fspath(a) == os.fspath(b)


class FileGuard(QObject):
    """The data-safety side of one editor window (see the module docstring)."""

    def __init__(self, host: GuardHost, document: "Document", widget: QWidget | None = None) -> None:
        super().__init__(host if isinstance(host, QObject) else None)
        self.host = host
        self.widget = widget  # the window: parent of the questions, watched for activation
        self.document = document
        self.session_id = recovery.new_session_id()
        self.lock: lockfile.Lock | None = None
        self.held: lockfile.LockHeld | None = None  # who holds the lock when we opened read-only
        self.read_only = False
        self.path: str | None = None  # the file the guard's lock and fingerprint belong to
        self.fingerprint: disk_state.Fingerprint | None = None
        self._warned_digest: str | None = None  # the on-disk version we already told the user about
        self._last_check = 0.0
        self._busy = False  # a question of ours is on screen

        self.autosave_timer = QTimer(self)
        self.autosave_timer.timeout.connect(self.autosave)
        self.lock_timer = QTimer(self)
        self.lock_timer.setInterval(int(lockfile.HEARTBEAT_INTERVAL * 1000))
        self.lock_timer.timeout.connect(self.refresh_lock)
        if widget is not None:
            widget.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._on_application_state)

    # ------------------------------------------------------------ autosave and recovery

    def set_autosave_minutes(self, minutes: int) -> None:
        """Autosave every ``minutes`` (0 = off)."""
        if minutes and minutes > 0:
            self.autosave_timer.start(int(minutes) * 60_000)
        else:
            self.autosave_timer.stop()

    def autosave(self) -> bool:
        """Write the recovery copy if the plan has unsaved changes; True when one was written."""
        if not self.document.modified:
            self._discard_recovery()
            return False
        try:
            recovery.save_recovery(self.document.plan, self.document.path, self.session_id)
        except (PlanWriteError, OSError, ValueError) as exc:
            reason = exc.message(language()) if isinstance(exc, PlanWriteError) else str(exc)
            self.host.show_status(tr("guard.autosave_failed", reason=reason), 15000)
            return False
        self.host.show_status(tr("guard.autosaved", time=_dt.datetime.now().strftime("%H:%M")), 5000)
        return True

    def _discard_recovery(self) -> None:
        recovery.discard_for_session(self.session_id)

    def restore(self, entry: recovery.RecoveryEntry) -> bool:
        """Open an autosave of a crashed session as an unsaved plan, with its original path."""
        try:
            plan = entry.load()
        except (PlanReadError, OSError) as exc:
            reason = exc.message(language()) if isinstance(exc, PlanReadError) else str(exc.strerror or exc)
            self.host.show_error(tr("guard.recovery_title"), tr("guard.recovery_failed", reason=reason))
            return False
        source = str(entry.source_path) if entry.source_path else None
        before = None
        if source and os.path.exists(source):
            before = disk_state.fingerprint(source)
            try:  # saved after the autosave (by a colleague, or by hand): let the save warn about it
                if os.stat(source).st_mtime > entry.saved_at:
                    before = None
            except OSError:
                pass
        self.host.restore_plan(plan, source)  # unsaved until the user saves it
        self.opened(source, before)
        try:  # keep a copy under this session before the crashed one goes
            recovery.save_recovery(plan, source, self.session_id)
        except (PlanWriteError, OSError):
            pass
        recovery.discard(entry)
        self.host.file_state_changed()
        return True

    # ------------------------------------------------------------ opening and locks

    def snapshot(self, path: str | os.PathLike) -> disk_state.Fingerprint | None:
        """The file's fingerprint, taken just before reading it."""
        return disk_state.fingerprint(path)

    def opened(self, path: str | os.PathLike | None, before: disk_state.Fingerprint | None = None) -> None:
        """The document now shows ``path`` (None: a new plan). Takes its lock, remembers its fingerprint."""
        path = os.fspath(path) if path is not None else None
        same = path is not None and _same_path(path, self.path)
        if not same:
            self._release()
            self._discard_recovery()
            self.session_id = recovery.new_session_id()
        self.path = path
        self.fingerprint = before
        self._warned_digest = None
        if path is None:
            self._set_read_only(False)
            return
        if self.lock is not None and not self.lock.released and self.lock.is_held():
            self._set_read_only(False)
        else:
            self.lock = None
            self._lock(Path(path))
        self._office_hint(Path(path))

    def _lock(self, path: Path) -> None:
        try:
            result = lockfile.acquire(path)
        except PlanWriteError as exc:
            self._set_read_only(True)
            self._question("warning", tr("guard.lock_failed_title"), exc.message(language()), tr("guard.readonly_info"),
                           [("ok", "OK", "accept")], "ok", "ok")
            return
        if isinstance(result, lockfile.Lock):
            self._got_lock(result)
            return
        self.held = result
        self._set_read_only(True)
        if result.stale:
            answer = self._question("warning", tr("guard.locked_title"), result.message(language()),
                                    tr("guard.stale_info"),
                                    [("take", tr("btn.take_over"), "accept"), ("ro", tr("btn.read_only"), "reject")],
                                    "take", "ro")
            if answer == "take":
                self.take_over()
        else:
            self._question("information", tr("guard.locked_title"), result.message(language()),
                           tr("guard.locked_info"), [("ok", "OK", "accept")], "ok", "ok")

    def take_over(self) -> bool:
        """Take over the lock someone else left (the user chose to); True when the plan is now editable."""
        if self.path is None or self.held is None:
            return False
        result = lockfile.take_over(self.path, expected=self.held)
        if isinstance(result, lockfile.Lock):
            self._got_lock(result)
            return True
        self.held = result
        self._question("warning", tr("guard.locked_title"), result.message(language()), tr("guard.readonly_info"),
                       [("ok", "OK", "accept")], "ok", "ok")
        return False

    def _got_lock(self, lock: lockfile.Lock) -> None:
        self.lock = lock
        self.held = None
        self._set_read_only(False)
        self.lock_timer.start()

    def _office_hint(self, path: Path) -> None:
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            return
        owner = lockfile.office_lock_owner(path)
        if owner is None:
            return
        text = tr("guard.office_text", name=path.name, owner=owner) if owner else tr("guard.office_text_unknown",
                                                                                      name=path.name)
        self._question("information", tr("guard.office_title"), text, tr("guard.office_info"),
                       [("ok", "OK", "accept")], "ok", "ok")

    def refresh_lock(self) -> None:
        """Renew the lock's heartbeat; if someone took it over, say so and go read-only."""
        if self.lock is None or self.lock.released:
            return
        if self.lock.refresh():
            return
        self.lock = None
        self.lock_timer.stop()
        self.held = lockfile.read_lock(self.path) if self.path else None
        self._set_read_only(True)
        name = Path(self.path).name if self.path else ""
        self._question("warning", tr("guard.lock_lost_title"), tr("guard.lock_lost_text", name=name),
                       tr("guard.readonly_info"), [("ok", "OK", "accept")], "ok", "ok")

    def _release(self) -> None:
        self.lock_timer.stop()
        if self.lock is not None:
            self.lock.release()
        self.lock = None
        self.held = None

    def _set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.host.file_state_changed()

    def title_mark(self) -> str:
        """The mark the window title carries (〔読み取り専用〕 or nothing)."""
        return f" {tr('guard.readonly_mark')}" if self.read_only else ""

    # ------------------------------------------------------------ saving

    def before_write(self, target: str | os.PathLike) -> bool | None:
        """Checks before writing ``target``: None to go on, else the result the save should return."""
        if not _same_path(target, self.path):
            held = lockfile.read_lock(target) if os.path.exists(target) else None
            if held is not None and not held.stale and not (self.lock is not None and held.info is not None
                                                            and held.info.token == self.lock.info.token):
                answer = self._question("warning", tr("guard.locked_title"), held.message(language()),
                                        tr("guard.target_locked_info"),
                                        [("over", tr("btn.overwrite"), "destructive"),
                                         ("cancel", tr("btn.cancel"), "reject")], "cancel", "cancel")
                if answer != "over":
                    return False
            return None
        if self.read_only:  # Save As is the way; overwriting the original only when asked for by name
            name = Path(target).name
            text = self.held.message(language()) if self.held is not None else tr("guard.readonly_text", name=name)
            answer = self._question("warning", tr("guard.readonly_title"), text, tr("guard.readonly_save_info"),
                                    [("save_as", tr("btn.save_as"), "accept"), ("over", tr("btn.overwrite"), "destructive"),
                                     ("cancel", tr("btn.cancel"), "reject")], "save_as", "cancel")
            if answer == "save_as":
                return self.host.save_as()
            if answer != "over":
                return False
        if not disk_state.changed_since(target, self.fingerprint):
            return None
        answer = self._question("warning", tr("guard.changed_title"), tr("guard.changed_text", name=Path(target).name),
                                tr("guard.changed_save_info"),
                                [("over", tr("btn.overwrite"), "destructive"), ("reload", tr("btn.reload"), "action"),
                                 ("save_as", tr("btn.save_as"), "accept"), ("cancel", tr("btn.cancel"), "reject")],
                                "save_as", "cancel")
        if answer == "over":
            return None
        if answer == "reload":
            self.reload()
            return False
        if answer == "save_as":
            return self.host.save_as()
        return False

    def saved(self, target: str | os.PathLike) -> None:
        """A save to ``target`` succeeded: new fingerprint, no recovery copy, the lock follows the file."""
        target = os.fspath(target)
        if not _same_path(target, self.path):
            self._release()
            self.path = target
            self._lock_after_save(Path(target))
        self.fingerprint = disk_state.fingerprint(target)
        self._warned_digest = None
        self._discard_recovery()

    def _lock_after_save(self, path: Path) -> None:
        try:
            result = lockfile.acquire(path)
        except PlanWriteError:
            self._set_read_only(False)  # we just wrote there: saving works even without a lock file
            return
        if isinstance(result, lockfile.LockHeld) and result.stale:  # a leftover: we just wrote the file
            result = lockfile.take_over(path, expected=result)
        if isinstance(result, lockfile.Lock):
            self._got_lock(result)
        else:  # the user chose to overwrite a file someone has open: keep editing, they were warned
            self.held = result
            self._set_read_only(True)

    def write_failed(self, exc: BaseException, target: str | os.PathLike) -> bool:
        """Show why writing ``target`` failed; for the plan's own file offer Save As. Returns the save's result."""
        target = Path(target)
        message = write_message(exc, target.name)
        if not _same_path(target, self.document.path):
            self.host.show_error(tr("file.write_error_title"), message)
            return False
        answer = self._question("critical", tr("file.write_error_title"), message, tr("guard.save_failed_info"),
                                [("save_as", tr("btn.save_as"), "accept"), ("cancel", tr("btn.cancel"), "reject")],
                                "save_as", "cancel")
        if answer == "save_as":
            return self.host.save_as()
        return False

    def reload(self) -> bool:
        """Read the plan's file again (the colleague's version), dropping unsaved changes."""
        path = self.document.path
        if not path:
            return False
        ok = self.host.load_file(path)
        if ok:
            self.host.show_status(tr("guard.reloaded", name=Path(path).name), 5000)
        return ok

    # ------------------------------------------------------------ changes on disk while the window was away

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget and event.type() == QEvent.Type.WindowActivate:
            QTimer.singleShot(0, self, self.check_disk)
        return False

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if (state == Qt.ApplicationState.ApplicationActive and self.widget is not None
                and self.widget.isActiveWindow()):
            QTimer.singleShot(0, self, self.check_disk)

    def check_disk(self, force: bool = False) -> str | None:
        """If the file changed on disk since it was read or saved, tell the user once; returns their choice."""
        now = time.monotonic()
        if self._busy or (not force and now - self._last_check < ACTIVATION_CHECK_SECONDS):
            return None
        self._last_check = now
        path = self.document.path
        if not path or not _same_path(path, self.path) or not disk_state.changed_since(path, self.fingerprint):
            return None
        current = disk_state.fingerprint(path)
        digest = current.digest if current is not None else ""
        if digest == self._warned_digest:
            return None
        self._warned_digest = digest
        name = Path(path).name
        if self.document.modified:
            answer = self._question("warning", tr("guard.changed_title"), tr("guard.changed_text", name=name),
                                    tr("guard.changed_modified_info"),
                                    [("keep", tr("btn.keep_editing"), "reject"),
                                     ("save_as", tr("btn.save_as"), "accept"),
                                     ("reload", tr("btn.reload"), "destructive")], "keep", "keep")
        else:
            answer = self._question("question", tr("guard.changed_title"), tr("guard.changed_text", name=name),
                                    tr("guard.changed_clean_info"),
                                    [("reload", tr("btn.reload"), "accept"), ("keep", tr("btn.keep"), "reject")],
                                    "reload", "keep")
        if answer == "reload":
            self.reload()
        elif answer == "save_as":
            self.host.save_as()
        return answer

    # ------------------------------------------------------------ closing

    def closed(self) -> None:
        """The window closes (nothing unsaved is left): no recovery copy, no lock, no timers."""
        self.autosave_timer.stop()
        self._discard_recovery()
        self._release()

    def _question(self, icon: str, title: str, text: str, info: str, choices: Sequence[Choice], default: str,
                  escape: str) -> str:
        self._busy = True
        try:
            return ask(self.widget, icon, title, text, info, choices, default, escape)
        finally:
            self._busy = False
            self._last_check = time.monotonic()


# ------------------------------------------------------------ recovery at start


class RecoveryDialog(QDialog):
    """Lists the autosaves of sessions that did not end normally: 復元 / 破棄 / あとで."""

    def __init__(self, entries: Sequence[recovery.RecoveryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = list(entries)
        self.choice = "later"
        self.setWindowTitle(tr("guard.recovery_title"))
        text = QLabel(tr("guard.recovery_text"))
        text.setWordWrap(True)
        self.list = QListWidget()
        lang = language()
        for entry in self.entries:
            item = QListWidgetItem(entry.describe(lang))
            if entry.source_path:
                item.setToolTip(str(entry.source_path))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda *_: self._done("restore"))
        info = QLabel(tr("guard.recovery_info"))
        info.setWordWrap(True)
        buttons = QDialogButtonBox()
        for key, label, role in (("restore", tr("btn.restore"), QDialogButtonBox.ButtonRole.AcceptRole),
                                 ("discard", tr("btn.discard"), QDialogButtonBox.ButtonRole.DestructiveRole),
                                 ("later", tr("btn.later"), QDialogButtonBox.ButtonRole.RejectRole)):
            button = QPushButton(label)
            button.setObjectName(f"recovery_{key}")
            buttons.addButton(button, role)
            button.clicked.connect(lambda *_, k=key: self._done(k))
            if key == "restore":
                button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.list)
        layout.addWidget(info)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def _done(self, choice: str) -> None:
        self.choice = choice
        if choice == "later":
            self.reject()
        else:
            self.accept()

    def selected(self) -> recovery.RecoveryEntry | None:
        row = self.list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None


def choose_recovery(parent: QWidget | None,
                    entries: Sequence[recovery.RecoveryEntry]) -> tuple[str, recovery.RecoveryEntry | None]:
    """Ask what to do with the crashed sessions' autosaves: ("restore" | "discard" | "later", entry)."""
    dialog = RecoveryDialog(entries, parent)
    dialog.exec()
    return dialog.choice, dialog.selected()


class RecoveryTarget(Protocol):
    """A window whose file guard can take a restored plan (the main window)."""

    file_guard: FileGuard


def offer_recoveries(window: RecoveryTarget) -> bool:
    """At start: offer the autosaves of crashed sessions; True when one was restored into ``window``."""
    while True:
        entries = recovery.list_recoveries()
        if not entries:
            return False
        choice, entry = choose_recovery(window if isinstance(window, QWidget) else None, entries)
        if entry is None or choice == "later":
            return False
        if choice == "discard":
            recovery.discard(entry)
            continue
        return window.file_guard.restore(entry)
