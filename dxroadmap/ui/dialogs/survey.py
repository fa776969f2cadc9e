"""File › 各課照会 and File › 回答の取り込み: department surveys out, their answers back in.

:func:`send_surveys` writes one survey workbook per department into a folder the user picks
(:mod:`dxroadmap.io.surveys.write`). :func:`import_answers` reads returned workbooks, merges
them three-way (:func:`dxroadmap.io.surveys.merge_back.merge_returned`) and shows
:class:`SurveyAnswersDialog`: the changes grouped by department, each with a check box;
conflicts listed and never applied; refused files with their reason; the departments that
have not answered. The checked changes are applied to the open plan as one undo step.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.surveys.layout import SURVEY_JSON
from dxroadmap.io.surveys.merge_back import MergeOutcome, SentRound, change_line, load_sent, merge_returned
from dxroadmap.io.surveys.write import write_surveys
from dxroadmap.model import operations as ops
from dxroadmap.model.diff import Change
from dxroadmap.model.merge import apply_changes
from dxroadmap.ui.document import Document
from dxroadmap.ui.strings import language, tr

__all__ = ["SurveyAnswersDialog", "send_surveys", "find_rounds", "apply_answers", "import_answers"]


def send_surveys(parent: QWidget, document: Document, folder: str | None = None, fy: int | None = None) -> list:
    """Ask for a folder and a fiscal year (unless given) and write the surveys; returns the files written."""
    plan = document.plan
    if folder is None:
        folder = QFileDialog.getExistingDirectory(parent, tr("survey.folder"))
        if not folder:
            return []
    if fy is None:
        today = _dt.date.today()
        current = min(max(today.year if today.month >= 4 else today.year - 1, plan.start_fy), plan.end_fy)
        fy, ok = QInputDialog.getInt(parent, tr("survey.fy_title"), tr("survey.fy_label"), current,
                                     plan.start_fy, plan.end_fy)
        if not ok:
            return []
    try:
        files = write_surveys(plan, folder, fy)  # gives items without an id their id (kept when the plan is saved)
    except (PlanWriteError, OSError) as exc:
        QMessageBox.critical(parent, tr("survey.fy_title"), str(exc))
        return []
    text = tr("survey.written", count=len(files), folder=folder) if files else tr("survey.none")
    if parent is not None and parent.isVisible():
        QMessageBox.information(parent, tr("survey.fy_title"), text)
    return files


def find_rounds(paths: Sequence[str], plan_path: str | None) -> list[SentRound]:
    """The survey rounds (``survey.json``) beside the returned files and the plan."""
    rounds, seen = [], set()
    folders = [Path(p).parent for p in paths] + ([Path(plan_path).parent] if plan_path else [])
    for folder in folders:
        candidate = folder / SURVEY_JSON
        if candidate in seen or not candidate.is_file():
            continue
        seen.add(candidate)
        try:
            rounds.append(load_sent(candidate))
        except PlanReadError:
            continue
    return rounds


class SurveyAnswersDialog(QDialog):
    """The changes from the answers, by department, each to accept or reject; conflicts and refusals shown."""

    def __init__(self, outcome: MergeOutcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("survey.review_title"))
        self.resize(820, 560)
        self.outcome = outcome
        self._items: list[tuple[QTreeWidgetItem, Change]] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("survey.review_head")))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("survey.review_title")])
        self.tree.setHeaderHidden(True)
        layout.addWidget(self.tree, 1)
        groups: dict[str, QTreeWidgetItem] = {}

        def group(name: str) -> QTreeWidgetItem:
            if name not in groups:
                groups[name] = QTreeWidgetItem(self.tree, [name])
                groups[name].setExpanded(True)
            return groups[name]

        for change in outcome.applied:
            source, initiative, what = change_line(change)
            item = QTreeWidgetItem(group(source), [what])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setToolTip(0, initiative)
            self._items.append((item, change))
        for conflict in outcome.conflicts:
            for change in conflict.changes:
                if change.source == "ours":
                    continue
                _, _, what = change_line(change)
                item = QTreeWidgetItem(group(change.source), [f"{tr('survey.conflict')}: {what}"])
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                item.setForeground(0, Qt.GlobalColor.darkRed)
                item.setToolTip(0, conflict.describe())
        if outcome.refused:
            head = group(tr("survey.refused"))
            for refused in outcome.refused:
                QTreeWidgetItem(head, [refused.ja if language() == "ja" else refused.en])
        if outcome.notes:
            head = group(tr("survey.notes"))
            for source, note in outcome.notes:
                QTreeWidgetItem(head, [f"{source}: {note}"])
        self.not_yet = QLabel(tr("survey.not_yet", names="、".join(outcome.not_yet)) if outcome.not_yet
                              else tr("survey.all_answered"))
        self.not_yet.setWordWrap(True)
        self.not_yet.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.not_yet)
        row = QHBoxLayout()
        for key, state in (("survey.check_all", Qt.CheckState.Checked), ("survey.check_none", Qt.CheckState.Unchecked)):
            button = QPushButton(tr(key))
            button.clicked.connect(lambda *_, s=state: self._check_all(s))
            row.addWidget(button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)

    def _check_all(self, state: Qt.CheckState) -> None:
        for item, _ in self._items:
            item.setCheckState(0, state)

    def set_checked(self, change: Change, checked: bool) -> None:
        for item, ch in self._items:
            if ch is change:
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def accepted_changes(self) -> list[Change]:
        return [ch for item, ch in self._items if item.checkState(0) == Qt.CheckState.Checked]


def apply_answers(document: Document, outcome: MergeOutcome, changes: Sequence[Change]) -> list[Change]:
    """Apply ``changes`` (from ``outcome``) to the open plan as one undo step; returns those that could not apply.

    The changes are keyed by the stable ids the survey was sent with, so they apply to the
    plan as it is now; the record of who answered goes in with them.
    """
    skipped: list[Change] = []
    merged = apply_changes(document.plan, list(changes), skipped=skipped)
    plan = document.plan
    document.run(ops.SetFields(plan, {"pillars": merged.pillars, "survey_rounds": outcome.plan.survey_rounds,
                                      # the period is named so the views rebuild every row
                                      "start_fy": plan.start_fy, "end_fy": plan.end_fy}),
                 tr("survey.undo_text"))
    return skipped


def import_answers(parent: QWidget, document: Document, paths: Sequence[str] | None = None,
                   *, review: bool = True) -> MergeOutcome | None:
    """Choose returned surveys (unless given), review their changes, and apply the accepted ones."""
    if paths is None:
        paths, _ = QFileDialog.getOpenFileNames(parent, tr("survey.choose"), "", tr("survey.filter"))
        if not paths:
            return None
    rounds = find_rounds(paths, document.path)
    if not rounds:
        QMessageBox.warning(parent, tr("survey.review_title"), tr("survey.no_round"))
        return None
    outcome = merge_returned(document.plan, paths, rounds)
    if outcome.round is None:
        QMessageBox.warning(parent, tr("survey.review_title"), tr("survey.nothing"))
        return outcome
    dialog = SurveyAnswersDialog(outcome, parent)
    if review and dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    apply_answers(document, outcome, dialog.accepted_changes())
    return outcome
