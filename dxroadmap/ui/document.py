"""The open plan as the editor sees it: one model, one undo stack, change signals.

Every view (tree, timeline, inspector) reads ``Document.plan`` and changes it only
through the methods here, each of which pushes one QUndoCommand. Views listen to the
signals instead of to each other, as Qt's model/view and napari's events do.

Signals:
- ``structureChanged``: rows were added, removed or reordered, or the period changed —
  rebuild rows.
- ``itemChanged(object)``: fields of a pillar, initiative, phase or milestone changed
  (name, departments, label, colour…) — update that item.
- ``scheduleChanged(object)``: an initiative's phases or milestones changed (moved,
  resized, added, removed) — repaint that row.
- ``planChanged``: a different plan was loaded (``set_plan``).
- ``selectionChanged(object)``: the selected object (or ``None``).
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from dxroadmap.model import edits
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan

__all__ = ["Document", "PlanCommand"]


Action = Callable[["Document"], None]


class PlanCommand(QUndoCommand):
    """An undoable edit given as two functions of the document; ``merge_key`` merges successive edits.

    The command holds its document weakly: the document owns the undo stack that owns
    the command, and a strong reference back would make a cycle through Qt's ownership
    that Python's garbage collector may tear down in the wrong order (a crash at exit).
    """

    def __init__(self, doc: "Document", text: str, do: Action, undo: Action, merge_key: Any = None) -> None:
        super().__init__(text)
        self._doc = weakref.ref(doc)
        self._do, self._undo = do, undo
        self.merge_key = merge_key

    def redo(self) -> None:
        doc = self._doc()
        if doc is not None:
            self._do(doc)

    def undo(self) -> None:
        doc = self._doc()
        if doc is not None:
            self._undo(doc)

    def id(self) -> int:
        return 1 if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, PlanCommand) or other.merge_key is None or other.merge_key != self.merge_key:
            return False
        self._do = other._do  # keep our undo (the value before the first edit), take their result
        return True


class Document(QObject):
    """The plan being edited, its file path, selection and undo history."""

    structureChanged = Signal()
    itemChanged = Signal(object)
    scheduleChanged = Signal(object)
    planChanged = Signal()
    selectionChanged = Signal(object)

    def __init__(self, plan: Plan | None = None, path: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.plan = plan or Plan()
        self.path = path
        self.selection: object | None = None

    # ------------------------------------------------------------ whole plan

    def set_plan(self, plan: Plan, path: str | None = None) -> None:
        """Replace the plan (open/new); clears the history and marks it clean."""
        self.plan = plan
        self.path = path
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.select(None)
        self.planChanged.emit()
        self.structureChanged.emit()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self, path: str | None = None) -> None:
        if path is not None:
            self.path = path
        self.undo_stack.setClean()

    def select(self, obj: object | None) -> None:
        if obj is not self.selection:
            self.selection = obj
            self.selectionChanged.emit(obj)

    def owner_of(self, item: Phase | Milestone) -> Initiative:
        return edits.owner_of(self.plan, item)

    def _push(self, text: str, do: Action, undo: Action, merge_key: Any = None) -> None:
        self.undo_stack.push(PlanCommand(self, text, do, undo, merge_key))

    # ------------------------------------------------------------ fields

    def set_fields(self, obj: Plan | Pillar | Initiative | Phase | Milestone, text: str = "", merge: bool = False,
                   **values: Any) -> None:
        """Set attributes of one object as one undo step (``merge``: typing in one field merges)."""
        old = {k: getattr(obj, k) for k in values}
        if all(old[k] == v for k, v in values.items()):
            return
        old = {k: list(v) if isinstance(v, list) else v for k, v in old.items()}
        new = {k: list(v) if isinstance(v, list) else v for k, v in values.items()}

        def apply(vals: dict) -> Action:
            def run(doc: Document) -> None:
                for k, v in vals.items():
                    setattr(obj, k, list(v) if isinstance(v, list) else v)
                if isinstance(obj, Plan):
                    if "start_fy" in vals or "end_fy" in vals:
                        doc.structureChanged.emit()
                    doc.itemChanged.emit(obj)
                elif isinstance(obj, (Phase, Milestone)):
                    doc.itemChanged.emit(obj)
                    doc.scheduleChanged.emit(doc.owner_of(obj))
                else:
                    doc.itemChanged.emit(obj)
            return run

        key = (obj.uid, tuple(sorted(values))) if merge else None
        self._push(text or "編集", apply(new), apply(old), key)

    # ------------------------------------------------------------ schedule

    def set_phase_span(self, phase: Phase, start: int, end: int, text: str = "工程の移動") -> None:
        """Move and/or resize a phase (one undo step, e.g. one whole drag)."""
        if end < start:
            raise ValueError("a phase cannot end before it starts")
        old = (phase.start, phase.end)
        if old == (start, end):
            return
        owner = self.owner_of(phase)

        def apply(span: tuple[int, int]) -> Action:
            def run(doc: Document) -> None:
                edits.set_phase_span(phase, *span)
                doc.itemChanged.emit(phase)
                doc.scheduleChanged.emit(owner)
            return run

        self._push(text, apply((start, end)), apply(old))

    def set_milestone_month(self, milestone: Milestone, month: int, text: str = "マイルストーンの移動") -> None:
        old = milestone.month
        if old == month:
            return
        owner = self.owner_of(milestone)

        def apply(m: int) -> Action:
            def run(doc: Document) -> None:
                edits.move_milestone(milestone, m)
                doc.itemChanged.emit(milestone)
                doc.scheduleChanged.emit(owner)
            return run

        self._push(text, apply(month), apply(old))

    def _list_edit(self, text: str, owner: Initiative, items: list, item: Any, index: int | None, add: bool) -> None:
        position = len(items) if index is None else index
        if not add:
            position = next(i for i, x in enumerate(items) if x is item)

        def insert(doc: Document) -> None:
            items.insert(min(position, len(items)), item)
            doc.scheduleChanged.emit(owner)

        def remove(doc: Document) -> None:
            for i, x in enumerate(items):
                if x is item:
                    del items[i]
                    break
            if doc.selection is item:
                doc.select(None)
            doc.scheduleChanged.emit(owner)

        self._push(text, insert if add else remove, remove if add else insert)

    def add_phase(self, initiative: Initiative, phase: Phase, index: int | None = None) -> None:
        self._list_edit("工程の追加", initiative, initiative.phases, phase, index, True)

    def remove_phase(self, phase: Phase) -> None:
        owner = self.owner_of(phase)
        self._list_edit("工程の削除", owner, owner.phases, phase, None, False)

    def add_milestone(self, initiative: Initiative, milestone: Milestone) -> None:
        self._list_edit("マイルストーンの追加", initiative, initiative.milestones, milestone, None, True)

    def remove_milestone(self, milestone: Milestone) -> None:
        owner = self.owner_of(milestone)
        self._list_edit("マイルストーンの削除", owner, owner.milestones, milestone, None, False)

    # ------------------------------------------------------------ structure

    def _structure(self, text: str, do: Action, undo: Action) -> None:
        def wrap(fn: Action) -> Action:
            def run(doc: Document) -> None:
                fn(doc)
                if doc.selection is not None and doc.plan.find(getattr(doc.selection, "uid", "")) is None:
                    doc.select(None)
                doc.structureChanged.emit()
            return run

        self._push(text, wrap(do), wrap(undo))

    def insert_initiative(self, owner: Pillar | Initiative, index: int, initiative: Initiative) -> None:
        """Add a 取組 to a pillar, or a sub-action to an initiative, at ``index``."""
        self._structure("取組の追加", lambda d: edits.insert_initiative(owner, index, initiative),
                        lambda d: edits.remove_initiative(d.plan, initiative))

    def remove_initiative(self, initiative: Initiative) -> None:
        loc = edits.locate(self.plan, initiative)
        self._structure("取組の削除", lambda d: edits.remove_initiative(d.plan, initiative),
                        lambda d: edits.insert_initiative(loc.owner, loc.index, initiative))

    def move_initiative(self, initiative: Initiative, owner: Pillar | Initiative, index: int) -> None:
        """Move to ``owner`` at ``index`` (counted after removal). Raises ValueError for a move into itself."""
        if isinstance(owner, Initiative) and any(i is owner for i in initiative.walk()):
            raise ValueError("an initiative cannot be moved into itself")
        loc = edits.locate(self.plan, initiative)
        if loc.owner is owner and loc.index == index:
            return
        self._structure("取組の移動", lambda d: edits.move_initiative(d.plan, initiative, owner, index),
                        lambda d: edits.move_initiative(d.plan, initiative, loc.owner, loc.index))

    def insert_pillar(self, index: int, pillar: Pillar) -> None:
        self._structure("基本方針の追加", lambda d: edits.insert_pillar(d.plan, index, pillar),
                        lambda d: edits.remove_pillar(d.plan, pillar))

    def remove_pillar(self, pillar: Pillar) -> None:
        index = self.plan.pillars.index(pillar)
        self._structure("基本方針の削除", lambda d: edits.remove_pillar(d.plan, pillar),
                        lambda d: edits.insert_pillar(d.plan, index, pillar))

    def move_pillar(self, pillar: Pillar, index: int) -> None:
        old = self.plan.pillars.index(pillar)
        if old == index:
            return
        self._structure("基本方針の移動", lambda d: edits.move_pillar(d.plan, pillar, index),
                        lambda d: edits.move_pillar(d.plan, pillar, old))

    def set_period(self, start_fy: int, end_fy: int) -> None:
        if end_fy < start_fy:
            raise ValueError("the plan period cannot end before it starts")
        old = (self.plan.start_fy, self.plan.end_fy)
        if old == (start_fy, end_fy):
            return
        self._structure("計画期間の変更", lambda d: edits.set_period(d.plan, start_fy, end_fy),
                        lambda d: edits.set_period(d.plan, *old))
