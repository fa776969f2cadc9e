"""The 版 (versions) dialog: save the plan as a named version, list the versions, view one read-only,
compare it with the plan (a change list; clicking a change selects the item), restore it, delete it.

Every change to the plan or its versions runs through the document's undo stack
(:mod:`dxroadmap.model.versions` operations). The date a version is saved on is today's.
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dxroadmap.model.diff import keyed_items
from dxroadmap.model.plan import Initiative, Plan, PlanVersion
from dxroadmap.model.versions import (
    InsertVersion,
    RemoveVersion,
    ReplaceContent,
    compare_plans,
    find_version,
    schedule_words,
    snapshot,
    version_plan,
)
from dxroadmap.ui.document import Document
from dxroadmap.ui.strings import tr

__all__ = ["VersionsDialog", "ChangesDialog", "save_version_interactively", "plan_outline"]


def save_version_interactively(document: Document, parent: QWidget | None = None, today: _dt.date | None = None) -> bool:
    """Ask for a name and save the plan as a version (one undo step); False when cancelled."""
    name, ok = QInputDialog.getText(parent, tr("versions.save"), tr("versions.name_prompt"))
    name = name.strip()
    if not ok or not name:
        return False
    if find_version(document.plan, name) is not None:
        QMessageBox.warning(parent, tr("versions.save"), tr("versions.exists", name=name))
        return False
    saved = (today or _dt.date.today()).isoformat()
    document.run(InsertVersion(PlanVersion(name, saved, snapshot(document.plan))), "版を保存")
    return True


def plan_outline(tree: QTreeWidget, plan: Plan) -> None:
    """Fill ``tree`` with the plan's pillars › initiatives, each with its schedule in 年度 words."""
    tree.clear()
    tree.setColumnCount(2)

    def add(parent: QTreeWidgetItem, init: Initiative) -> None:
        item = QTreeWidgetItem(parent, [init.name, schedule_words(init).replace("\n", "　")])
        item.setToolTip(0, init.summary)
        for child in init.children:
            add(item, child)

    for pillar in plan.pillars:
        top = QTreeWidgetItem(tree, [pillar.name, ""])
        for init in pillar.initiatives:
            add(top, init)
    tree.expandAll()
    tree.resizeColumnToContents(0)


class ChangesDialog(QDialog):
    """The changes from ``old`` to the document's plan; clicking a change selects its item in the plan."""

    def __init__(self, document: Document, old: Plan, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(title)
        self.resize(720, 480)
        layout = QVBoxLayout(self)
        self.comparison = comparison = compare_plans(old, document.plan)
        _, news = keyed_items(old, document.plan)
        self.list = QListWidget()
        for change in comparison.changes:
            item = QListWidgetItem(change.describe())
            key = change.target if change.kind in ("pillar", "initiative") else (change.owner or change.old_owner or "")
            if not (change.code.endswith(".removed") and change.kind in ("pillar", "initiative")):
                item.setData(Qt.ItemDataRole.UserRole, news.get(key))
            self.list.addItem(item)
        if not comparison.changes:
            self.list.addItem(tr("versions.no_changes"))
        self.list.currentItemChanged.connect(self._select)
        layout.addWidget(self.list)
        if comparison.by_name and (comparison.unmatched_old or comparison.unmatched_new):
            note = QLabel(tr("versions.unmatched", old="、".join(comparison.unmatched_old) or "—",
                             new="、".join(comparison.unmatched_new) or "—"))
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _select(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        obj = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if obj is not None and self.document.plan.find(getattr(obj, "uid", "")) is obj:
            self.document.select(obj)


class VersionsDialog(QDialog):
    """The list of the plan's versions with save, view, compare, restore and delete."""

    def __init__(self, document: Document, parent: QWidget | None = None, today: _dt.date | None = None) -> None:
        super().__init__(parent)
        self.document, self.today = document, today
        self.setWindowTitle(tr("versions.title"))
        self.resize(560, 360)
        layout = QVBoxLayout(self)
        self.empty = QLabel(tr("versions.empty"))
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.list = QListWidget()
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, slot in (("save", self.save), ("open", self.view), ("compare", self.compare),
                          ("restore", self.restore), ("delete", self.delete)):
            button = QPushButton(tr(f"versions.{key}"))
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.list.currentRowChanged.connect(lambda *_: self._enable())
        document.structureChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        versions = self.document.plan.versions
        current = self.list.currentRow()
        self.list.clear()
        for version in versions:
            self.list.addItem(f"{version.name}　（{version.saved}）")
        self.empty.setVisible(not versions)
        if versions:
            self.list.setCurrentRow(min(max(current, 0), len(versions) - 1))
        self._enable()

    def _enable(self) -> None:
        chosen = self.current() is not None
        for key in ("open", "compare", "restore", "delete"):
            self.buttons[key].setEnabled(chosen)

    def current(self) -> PlanVersion | None:
        row = self.list.currentRow()
        versions = self.document.plan.versions
        return versions[row] if 0 <= row < len(versions) else None

    def save(self) -> None:
        if save_version_interactively(self.document, self, self.today):
            self.list.setCurrentRow(len(self.document.plan.versions) - 1)

    def view(self) -> QDialog | None:
        """Show the chosen version read-only (an outline with schedules)."""
        version = self.current()
        if version is None:
            return None
        dialog = QDialog(self)
        dialog.setWindowTitle(tr("versions.view_title", name=version.name))
        dialog.resize(760, 520)
        box = QVBoxLayout(dialog)
        dialog.tree = tree = QTreeWidget()
        tree.setHeaderHidden(True)
        plan_outline(tree, version.plan)
        box.addWidget(tree)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(dialog.reject)
        box.addWidget(close)
        dialog.show()
        return dialog

    def compare(self) -> ChangesDialog | None:
        version = self.current()
        if version is None:
            return None
        dialog = ChangesDialog(self.document, version_plan(self.document.plan, version.name),
                               tr("versions.compare_title", name=version.name), self)
        dialog.show()
        return dialog

    def restore(self, confirm: bool = True) -> None:
        version = self.current()
        if version is None:
            return
        if confirm and QMessageBox.question(self, tr("versions.restore"), tr("versions.restore_confirm", name=version.name)) \
                != QMessageBox.StandardButton.Yes:
            return
        self.document.run(ReplaceContent(version_plan(self.document.plan, version.name)), "版を復元")

    def delete(self, confirm: bool = True) -> None:
        version = self.current()
        if version is None:
            return
        if confirm and QMessageBox.question(self, tr("versions.delete"), tr("versions.delete_confirm", name=version.name)) \
                != QMessageBox.StandardButton.Yes:
            return
        self.document.run(RemoveVersion(self.document.plan.versions.index(version)), "版を削除")
