"""The review of a colleague's edits before a workbook dxroadmap saved opens.

When the roadmap sheet of a workbook dxroadmap saved was edited in Excel afterwards, the
reader finds the edits (:mod:`dxroadmap.io.xlsx.reopen`). This dialog lists them — who
saved the workbook last and when, from ``docProps/core.xml`` — with a check box each; the
plan opens as saved with the checked changes applied (:func:`dxroadmap.model.merge.apply_changes`).
Removals (rows deleted on the sheet) start unchecked: an initiative goes only when the user
agrees. Strings live in ``_TEXT`` below (keyed "ja"/"en"), following :mod:`dxroadmap.ui.strings`.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dxroadmap.io.xlsx.reopen import last_saved_by
from dxroadmap.model.diff import Change
from dxroadmap.model.merge import apply_changes
from dxroadmap.model.plan import Plan
from dxroadmap.model.wareki import format_era_date
from dxroadmap.ui.strings import language

__all__ = ["WorkbookChangesDialog", "review_workbook_changes"]

_TEXT = {
    "ja": {
        "title": "ブックの変更の確認",
        "intro": "{name} は dxroadmap で保存した後に、ロードマップのシートが編集されています{who}。"
                 "反映する変更にチェックを付けてください。チェックを外した変更は反映せず、保存時の内容のまま開きます。",
        "who": "（最終更新: {who}{when}）",
        "removal_note": "行が削除された取組は、確認のうえチェックを付けると計画から削除されます。",
        "all": "すべて選択",
        "none": "すべて解除",
        "open": "反映して開く",
        "cancel": "キャンセル",
        "count": "{checked} / {total} 件を反映",
    },
    "en": {
        "title": "Review the workbook's changes",
        "intro": "The roadmap sheet of {name} was edited after dxroadmap saved it{who}. "
                 "Check the changes to apply; unchecked changes are left out and the plan opens as it was saved.",
        "who": " (last saved by {who}{when})",
        "removal_note": "Initiatives whose rows were deleted are removed from the plan only when you check them.",
        "all": "Select all",
        "none": "Select none",
        "open": "Apply and open",
        "cancel": "Cancel",
        "count": "{checked} of {total} changes to apply",
    },
}


def _t(key: str, **fmt: object) -> str:
    text = _TEXT.get(language(), _TEXT["ja"]).get(key) or _TEXT["ja"][key]
    return text.format(**fmt) if fmt else text


def _saved_by(who: str, when: _dt.datetime | None) -> str:
    if not who and when is None:
        return ""
    stamp = ""
    if when is not None:
        local = when.astimezone() if when.tzinfo else when
        try:
            day = format_era_date(local.date()) if language() == "ja" else local.date().isoformat()
        except ValueError:
            day = local.date().isoformat()
        stamp = f"{'、' if who and language() == 'ja' else ', ' if who else ''}{day} {local:%H:%M}"
    return _t("who", who=who, when=stamp)


class WorkbookChangesDialog(QDialog):
    """A checkable list of the changes found in a workbook; :meth:`accepted_changes` after ``exec()``."""

    def __init__(self, parent: QWidget | None, name: str, changes: Sequence[Change], who: str = "",
                 when: _dt.datetime | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_t("title"))
        self.resize(720, 460)
        self._changes = list(changes)
        layout = QVBoxLayout(self)
        intro = QLabel(_t("intro", name=name, who=_saved_by(who, when)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        for change in self._changes:
            item = QListWidgetItem(change.describe())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            removal = change.code.endswith(".removed")
            item.setCheckState(Qt.CheckState.Unchecked if removal else Qt.CheckState.Checked)
            self.list.addItem(item)
        layout.addWidget(self.list, 1)
        if any(c.code.endswith(".removed") for c in self._changes):
            note = QLabel(_t("removal_note"))
            note.setWordWrap(True)
            layout.addWidget(note)
        row = QHBoxLayout()
        for key, state in (("all", Qt.CheckState.Checked), ("none", Qt.CheckState.Unchecked)):
            button = QPushButton(_t(key))
            button.clicked.connect(lambda _=False, s=state: self._check_all(s))
            row.addWidget(button)
        self.count = QLabel()
        row.addStretch(1)
        row.addWidget(self.count)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("open"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_t("cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemChanged.connect(lambda _item: self._update_count())
        self._update_count()

    def _check_all(self, state: Qt.CheckState) -> None:
        for k in range(self.list.count()):
            self.list.item(k).setCheckState(state)

    def _update_count(self) -> None:
        self.count.setText(_t("count", checked=len(self.accepted_changes()), total=len(self._changes)))

    def accepted_changes(self) -> list[Change]:
        """The changes checked, in the order found."""
        return [c for k, c in enumerate(self._changes)
                if self.list.item(k).checkState() == Qt.CheckState.Checked]


def review_workbook_changes(parent: QWidget | None, path: str | Path, base: Plan, changes: Sequence[Change]) -> Plan | None:
    """Ask which of ``changes`` to apply to ``base``; the plan to open, or ``None`` when the user cancelled."""
    who, when = last_saved_by(path)
    dialog = WorkbookChangesDialog(parent, Path(path).name, changes, who, when)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return apply_changes(base, dialog.accepted_changes())
