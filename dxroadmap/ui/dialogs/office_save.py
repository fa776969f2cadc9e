"""The questions of saving into an office's own workbook, when its form cannot take the plan as it is.

Save on a plan imported from an office's workbook writes into that workbook's own layout
(:func:`dxroadmap.formats.update_office`). Two things stop it before anything is written:

* the form cannot show the plan as it is (``UpdateRefused``: a bar outside the form's years,
  overlapping bars in a one-row initiative, …): :class:`OfficeRefusalDialog` lists the issues in
  the UI language and offers 様式に書き込む (``force``: the exact plan goes to the hidden data
  sheet), dxroadmap 形式で別名保存… (Save As under a copy's name) or キャンセル, and — when
  every issue is about fiscal years the form lacks — 様式の年度を広げて書き込む (``extend``: the
  missing years' columns are added to the form first) —
  :func:`ask_refused` returns ``"extend"``, ``"force"``, ``"save_as"`` or ``"cancel"``;
* the layout cannot be written into at all (a ``PlanReadError``, e.g. a card layout):
  :func:`ask_unwritable` says why and offers dxroadmap 形式で別名保存… or キャンセル
  (``"save_as"`` / ``"cancel"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from dxroadmap.ui.strings import language, tr

if TYPE_CHECKING:  # pragma: no cover
    from dxroadmap.io.xlsx.update.writer import Issue

__all__ = ["OfficeRefusalDialog", "ask_refused", "ask_unwritable", "issue_text"]

def issue_text(issue: Issue, lang: str | None = None) -> str:
    """One issue in the UI language (its Japanese or English sentence)."""
    return issue.ja if (lang or language()) == "ja" else issue.en


class OfficeRefusalDialog(QDialog):
    """Lists what the office's form cannot show; [様式の年度を広げて書き込む /] 様式に書き込む / dxroadmap 形式で別名保存… / キャンセル.

    The extend choice is offered only when ``can_extend`` and every issue is about fiscal
    years the form lacks (``Issue.years``).
    """

    def __init__(self, name: str, issues: Sequence[Issue], parent: QWidget | None = None,
                 can_extend: bool = True) -> None:
        super().__init__(parent)
        self.choice = "cancel"  # also when closed with Esc or the title bar
        self.setWindowTitle(tr("office.refused_title"))
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning, None, self).pixmap(size, size))
        text = QLabel(tr("office.refused_text", name=name))
        text.setWordWrap(True)
        self.issue_texts = [issue_text(issue) for issue in issues]
        bullet = "・" if language() == "ja" else "• "
        self.issues = QPlainTextEdit("\n".join(bullet + line for line in self.issue_texts))
        self.issues.setObjectName("office_issues")
        self.issues.setReadOnly(True)
        lines = self.issues.fontMetrics().lineSpacing()
        self.issues.setFixedHeight(lines * min(max(len(issues) * 2, 3), 8) + 12)  # a long sentence wraps once
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(text, 1)
        self.buttons: dict[str, QAbstractButton] = {}
        if can_extend and issues and all(getattr(issue, "years", False) for issue in issues):
            self.buttons["extend"] = QCommandLinkButton(tr("office.extend"), tr("office.extend_info"))
        self.buttons |= {
            "force": QCommandLinkButton(tr("office.force"), tr("office.force_info")),
            "save_as": QCommandLinkButton(tr("office.save_as_copy"), tr("office.save_as_info")),
            "cancel": QPushButton(tr("btn.cancel")),
        }
        for key, button in self.buttons.items():
            button.setObjectName(f"office_{key}")
            button.clicked.connect(lambda *_, k=key: self._done(k))
        self.buttons["extend" if "extend" in self.buttons else "force"].setDefault(True)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.buttons["cancel"])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.issues)
        if "extend" in self.buttons:
            layout.addWidget(self.buttons["extend"])
        layout.addWidget(self.buttons["force"])
        layout.addWidget(self.buttons["save_as"])
        layout.addLayout(bottom)
        self.resize(640, self.sizeHint().height())

    def _done(self, choice: str) -> None:
        self.choice = choice
        if choice == "cancel":
            self.reject()
        else:
            self.accept()


def ask_refused(parent: QWidget | None, name: str, issues: Sequence[Issue], can_extend: bool = True) -> str:
    """Ask what to do when the form of workbook ``name`` cannot show the plan: "extend", "force", "save_as" or "cancel"."""
    dialog = OfficeRefusalDialog(name, issues, parent, can_extend)
    try:
        dialog.exec()
        return dialog.choice
    finally:
        dialog.deleteLater()


def ask_unwritable(parent: QWidget | None, name: str, reason: str) -> str:
    """Say that the form of workbook ``name`` cannot be written into (``reason``): "save_as" or "cancel"."""
    B = QMessageBox.StandardButton
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("office.unwritable_title"))
    box.setText(tr("office.unwritable_text", name=name, reason=reason))
    box.setInformativeText(tr("office.unwritable_info"))
    box.setStandardButtons(B.Save | B.Cancel)
    box.button(B.Save).setText(tr("office.save_as_copy"))
    box.button(B.Cancel).setText(tr("btn.cancel"))
    box.setDefaultButton(B.Save)
    box.setEscapeButton(B.Cancel)
    try:
        return "save_as" if B(box.exec()) == B.Save else "cancel"
    finally:
        box.deleteLater()
