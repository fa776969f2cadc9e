"""This plan's file: open, save, save as, write, and the data safety around them.

:class:`FileSession` is a QObject the main window creates for its Document. It reads a
file into the document (an office's workbook through the import dialog, unless dxroadmap
already wrote the plan into it), writes the plan (format from the extension, atomically, with a
backup) — into an office's own workbook's form when the plan came from one
(:func:`dxroadmap.formats.update_office`, asking first when the form cannot show it, see
:mod:`dxroadmap.ui.dialogs.office_save`) —, asks before dropping unsaved changes, and drives the :class:`~dxroadmap.ui.file_guard.FileGuard`
(lock, fingerprint and change-on-disk checks, autosave and recovery).

It never imports the window: it talks to it through the small :class:`FileHost` protocol
(ask for a save path, show a message or an error, report that the title / read-only state
changed, drop view state before another plan comes in). Tests pass a tiny fake host.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from dxroadmap.formats import OFFICE_EXTENSIONS
from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.storage import fingerprint as disk_state
from dxroadmap.io.storage.atomic import backup_path_for
from dxroadmap.io.xlsx.read.results import Notice
from dxroadmap.model.plan import Plan
from dxroadmap.ui.document import Document
from dxroadmap.ui.file_guard import FileGuard, write_message
from dxroadmap.ui.preferences import add_recent_file
from dxroadmap.ui.strings import error_text, tr

__all__ = ["FileSession", "FileHost", "written_by_dxroadmap", "OPEN_EXTENSIONS", "SAVE_EXTENSIONS"]

OPEN_EXTENSIONS = (".json", ".xlsx", ".xlsm", ".xls")
SAVE_EXTENSIONS = (".xlsx", ".json")
# openpyxl writes the namespace on the element itself: <dc:creator xmlns:dc="…">dxroadmap</dc:creator>
_CREATOR_RE = re.compile(rb"<dc:creator(?:\s[^>]*)?>\s*dxroadmap\s*</dc:creator>")


def written_by_dxroadmap(path: str | os.PathLike) -> bool:
    """True for a workbook dxroadmap saved (its core properties name dxroadmap as the creator)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "docProps/core.xml" in archive.namelist():
                return bool(_CREATOR_RE.search(archive.read("docProps/core.xml")[:65536]))
    except (OSError, zipfile.BadZipFile, KeyError, RuntimeError):
        return False
    return False


def _office_workbook(path: str | os.PathLike) -> bool:
    """An office's own workbook (not one dxroadmap made), also after dxroadmap wrote a plan into its form."""
    return Path(path).suffix.lower() in (".xlsx", ".xlsm") and not written_by_dxroadmap(path)


def copy_name(path: Path) -> Path:
    """A free name beside ``path`` for a copy: 計画.xlsx → 計画（コピー）.xlsx, then 計画（コピー2）.xlsx …"""
    stem = path.stem
    for n in range(1, 1000):
        candidate = path.with_name(f"{stem}（コピー{'' if n == 1 else n}）{path.suffix}")
        if not candidate.exists():
            return candidate
    return path.with_name(f"{stem}（コピー）{path.suffix}")

class FileHost(Protocol):
    """What the session asks of the window it serves."""

    def ask_save_path(self, title: str, default: str, filters: list[str], selected: str) -> tuple[str, str]:
        """(chosen path or "", chosen filter) — the Save As dialog."""
        ...

    def show_status(self, text: str, msec: int) -> None: ...
    def show_error(self, title: str, text: str) -> None: ...
    def show_warnings(self, name: str, warnings: list[Notice | str]) -> None: ...

    def file_state_changed(self) -> None:
        """The title, the modified mark or the read-only state may have changed."""
        ...

    def plan_replacing(self) -> None:
        """Another plan is about to replace the document's (new, open): drop per-plan view state."""
        ...

    def file_opened(self, path: Path) -> None:
        """A file was read into the document (e.g. fit the timeline to it)."""
        ...


class FileSession(QObject):
    """The file behind one editor window's Document (see the module docstring)."""

    def __init__(self, document: Document, host: FileHost, widget: QWidget | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else widget)
        self.document = document
        self.host = host
        self.widget = widget  # parent of the dialogs
        # the open workbook is an office's own (not made by dxroadmap): Save writes into its form
        self.foreign_workbook = False
        self.guard = FileGuard(self, document, widget)  # autosave, lock file, changes on disk

    # ------------------------------------------------------------ state

    @property
    def path(self) -> str | None:
        """The plan's file (None: never saved)."""
        return self.document.path

    @property
    def read_only(self) -> bool:
        """True when someone else holds the file's lock (Save is off, Save As works)."""
        return self.guard.read_only

    def display_name(self) -> str:
        """The file's name, else the plan's title, else 無題."""
        if self.document.path:
            return Path(self.document.path).name
        return self.document.plan.title or tr("untitled")

    def title_mark(self) -> str:
        """The mark the window title carries (〔読み取り専用〕 or nothing)."""
        return self.guard.title_mark()

    def set_autosave_minutes(self, minutes: int) -> None:
        """Autosave every ``minutes`` (0 = off)."""
        self.guard.set_autosave_minutes(minutes)

    # ------------------------------------------------------------ the guard's requests (GuardHost)

    def show_status(self, text: str, msec: int) -> None:
        self.host.show_status(text, msec)

    def show_error(self, title: str, text: str) -> None:
        self.host.show_error(title, text)

    def file_state_changed(self) -> None:
        self.host.file_state_changed()

    def restore_plan(self, plan: Plan, source: str | None) -> None:
        """Show a recovered plan under its original path, unsaved until the user saves it."""
        self.foreign_workbook = bool(source and os.path.exists(source) and _office_workbook(source))
        self.document.set_plan(plan, source)
        self.document.undo_stack.resetClean()

    # ------------------------------------------------------------ questions

    def _ask_three(self, title: str, text: str, info: str, first: tuple, second: tuple) -> QMessageBox.StandardButton:
        """A warning with two answers and キャンセル (the first answer is the default); returns the button chosen."""
        B = QMessageBox.StandardButton
        box = QMessageBox(self.widget)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(text)
        box.setInformativeText(info)
        box.setStandardButtons(first[0] | second[0] | B.Cancel)
        for button, key in (first, second, (B.Cancel, "btn.cancel")):
            box.button(button).setText(tr(key))
        box.setDefaultButton(first[0])
        box.setEscapeButton(B.Cancel)
        return B(box.exec())

    def maybe_save(self) -> bool:
        """Ask about unsaved changes (保存 / 破棄 / キャンセル); True when it is fine to go on."""
        if not self.document.modified:
            return True
        B = QMessageBox.StandardButton
        answer = self._ask_three(tr("file.unsaved_title"), tr("file.unsaved_text", name=self.display_name()),
                                 tr("file.unsaved_info"), (B.Save, "btn.save"), (B.Discard, "btn.discard"))
        if answer == B.Save:
            return self.save()
        return answer == B.Discard

    # ------------------------------------------------------------ opening

    def new(self, plan: Plan) -> None:
        """Show ``plan`` as a new, never-saved plan (the caller asked about unsaved changes)."""
        self.host.plan_replacing()
        self.foreign_workbook = False
        self.document.set_plan(plan, None)
        self.guard.opened(None)

    def open_file(self, path: str | os.PathLike) -> bool:
        """Open ``path`` after asking about unsaved changes; errors go to a dialog."""
        if not self.maybe_save():
            return False
        return self.load_file(path)

    def _read(self, path: Path) -> tuple[Plan, list[Notice | str]] | None:
        """(plan, warnings) or None when the user cancelled the import dialog."""
        # An office's workbook goes through the import dialog (when installed); our own files read back losslessly,
        # and so does an office's workbook dxroadmap saved the plan into (its data sheet, while the form matches it).
        if path.exists() and _office_workbook(path):
            from dxroadmap.formats import saved_office_plan
            from dxroadmap.ui.import_dialog import run_import_dialog

            saved = saved_office_plan(path)
            if saved is not None:
                return saved, []

            plan = run_import_dialog(self.widget, str(path))
            return None if plan is None else (plan, [])
        from dxroadmap.formats import read_any

        result = read_any(path)
        if result.changes and result.base is not None:  # a colleague edited the saved workbook's sheet: ask first
            from dxroadmap.io.xlsx.reopen import EDITED_WARNING
            from dxroadmap.ui.dialogs.workbook_changes import review_workbook_changes

            plan = review_workbook_changes(self.widget, path, result.base, result.changes)
            warnings = [w for w in result.warnings if not (isinstance(w, str) and w.startswith(EDITED_WARNING))]
            return None if plan is None else (plan, warnings)
        return result.plan, list(result.warnings)

    def load_file(self, path: str | os.PathLike) -> bool:
        """Read ``path`` into the document without asking; False (after a dialog) if it cannot be read."""
        path = Path(path)

        def fail(reason: str) -> bool:
            self.host.show_error(tr("file.read_error_title"), tr("file.read_failed", name=path.name, reason=reason))
            return False

        before = self.guard.snapshot(path)
        try:
            read = self._read(path)
        except PlanReadError as exc:
            return fail(error_text(exc))
        except OSError as exc:
            return fail(str(exc.strerror or exc))
        except MemoryError:
            return fail(tr("file.too_large"))
        except Exception as exc:  # a reader bug must still end in a sentence, not a traceback
            return fail(tr("file.reader_failed", error=type(exc).__name__))
        if read is None:
            return False
        plan, warnings = read
        self.host.plan_replacing()
        self.foreign_workbook = _office_workbook(path)
        self.document.set_plan(plan, str(path))
        self.guard.opened(path, before)
        add_recent_file(str(path.resolve()))
        self.host.show_status(tr("file.opened", name=path.name), 5000)
        if warnings:
            self.host.show_warnings(path.name, warnings)
        self.host.file_opened(path)
        return True

    # ------------------------------------------------------------ saving

    def save(self) -> bool:
        """Save to the current file (an office's own workbook: into its form)."""
        path = self.document.path
        if path and self.foreign_workbook and Path(path).suffix.lower() in OFFICE_EXTENSIONS:
            return self.write_into_office(path)
        if not path or Path(path).suffix.lower() not in SAVE_EXTENSIONS:
            return self.save_as()
        return self.write_to(path)

    def save_as_workbook(self) -> bool:
        """Save As a dxroadmap workbook (.xlsx offered first; a copy's name beside an office's workbook)."""
        return self.save_as(workbook=True)

    def save_as(self, copy: bool | None = None, workbook: bool = False) -> bool:
        """Ask for a file name (.xlsx by default, .json when the plan came from one) and write there.

        With ``copy`` (by default: when the open file is an office's own workbook or cannot be
        written) the proposed name is a new one beside it — 計画（コピー）.xlsx — not the original.
        ``workbook`` offers .xlsx first even for a plan from a .json file.
        """
        filters = [tr("file.filter.xlsx"), tr("file.filter.json")]
        current = Path(self.document.path) if self.document.path else None
        ext = ".xlsx" if "xlsx" in filters[0] else ".json"
        if current is not None:
            keep = current.suffix.lower() in SAVE_EXTENSIONS and not workbook
            default = str(current.with_suffix(current.suffix if keep else ext))
            if copy is None:
                copy = self.foreign_workbook or (current.exists() and not os.access(current, os.W_OK))
            if copy:
                default = str(copy_name(Path(default)))
        else:
            default = (self.document.plan.title or tr("untitled")) + ext
        as_json = current is not None and current.suffix.lower() == ".json" and not workbook
        selected = filters[1] if as_json else filters[0]
        path, chosen = self.host.ask_save_path(tr("file.save_title"), default, filters, selected)
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() not in SAVE_EXTENSIONS:
            target = target.with_name(target.name + (".json" if "json" in (chosen or "") else ".xlsx"))
        return self.write_to(str(target))

    def write_to(self, path: str | os.PathLike) -> bool:
        """Write the plan to ``path`` (format from the extension, atomically, with a backup); a dialog on failure."""
        from dxroadmap.formats import write_any

        target = Path(path)
        verdict = self.guard.before_write(target)  # read-only, changed on disk, locked by someone
        if verdict is not None:
            return verdict
        try:
            write_any(self.document.plan, target, backup=True)
        except ImportError:
            self.host.show_error(tr("file.write_error_title"),
                                 tr("file.write_failed", name=target.name,
                                    reason=tr("file.write_unavailable", ext=target.suffix)))
            return False
        except ValueError:
            self.host.show_error(tr("file.write_error_title"),
                                 tr("file.write_failed", name=target.name,
                                    reason=tr("file.write_unsupported", ext=target.suffix or target.name)))
            return False
        except (PlanWriteError, OSError) as exc:
            return self.guard.write_failed(exc, target)
        except Exception as exc:  # a writer bug must still end in a sentence
            self.host.show_error(tr("file.write_error_title"), write_message(exc, target.name))
            return False
        self.foreign_workbook = False  # a workbook dxroadmap made, or a plan file
        self._saved(target, tr("file.saved", name=target.name))
        return True

    def _saved(self, target: Path, status: str) -> None:
        self.document.mark_saved(str(target))
        self.guard.saved(target)
        add_recent_file(str(target.resolve()))
        self.host.file_state_changed()
        self.host.show_status(status, 5000)

    def write_into_office(self, path: str | os.PathLike) -> bool:
        """Write the plan into the form of the office's workbook ``path`` and save it there (with a backup).

        Behind the same checks as any save (read-only, changed on disk, locked by someone).
        When the form cannot show the plan, asks first (様式に書き込む / dxroadmap 形式で別名保存… /
        キャンセル); when the layout cannot be written into at all, says so and offers Save As.
        The workbook stays the office's: the next Save writes into it again.
        """
        target = Path(path)
        verdict = self.guard.before_write(target)
        if verdict is not None:
            return verdict
        return self._update_office(target, False, disk_state.fingerprint(target))

    def _update_office(self, target: Path, force: bool, checked: disk_state.Fingerprint | None,
                       extend: bool = False) -> bool:
        """The update itself; ``checked``: the file as it was when the guard's checks passed.

        ``extend``: the form's missing fiscal years are added first (chosen in the refusal dialog).
        """
        from dxroadmap.formats import update_office
        from dxroadmap.io.xlsx.update.writer import UpdateRefused
        from dxroadmap.ui.dialogs.office_save import ask_refused, ask_unwritable

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a big workbook takes a moment
        try:
            try:
                update_office(target, self.document.plan, target, force=force, backup=True, extend=extend)
            finally:
                QApplication.restoreOverrideCursor()
        except UpdateRefused as exc:  # nothing written: ask what to do
            answer = ask_refused(self.widget, target.name, exc.issues, can_extend=not extend)
            if answer in ("force", "extend"):
                if disk_state.changed_since(target, checked):  # saved elsewhere while we asked: the guard asks
                    verdict = self.guard.before_write(target)
                    if verdict is not None:
                        return verdict
                    checked = disk_state.fingerprint(target)
                if answer == "extend":
                    return self._update_office(target, False, checked, extend=True)
                return self._update_office(target, True, checked, extend)
            if answer == "save_as":
                return self.save_as(copy=True, workbook=True)
            return False
        except PlanReadError as exc:  # a layout that cannot be written into (or the workbook cannot be read)
            if ask_unwritable(self.widget, target.name, error_text(exc)) == "save_as":
                return self.save_as(copy=True, workbook=True)
            return False
        except MemoryError:
            self.host.show_error(tr("file.write_error_title"),
                                 tr("file.write_failed", name=target.name, reason=tr("file.too_large")))
            return False
        except (PlanWriteError, OSError) as exc:
            return self.guard.write_failed(exc, target)
        except Exception as exc:  # a writer bug must still end in a sentence
            self.host.show_error(tr("file.write_error_title"), write_message(exc, target.name))
            return False
        self._saved(target, tr("office.saved", name=target.name, backup=backup_path_for(target).name))
        return True

    # ------------------------------------------------------------ closing

    def closed(self) -> None:
        """The window closes (nothing unsaved is left): no recovery copy, no lock, no timers."""
        self.guard.closed()
