"""The open plan as the editor sees it: one model, one undo stack, change signals.

Every view (tree, timeline, inspector) reads ``Document.plan`` and changes it only
through the methods here. Each method builds one operation from
:mod:`dxroadmap.model.operations` (plain Python: ``apply(plan)`` returns the inverse),
applies it and pushes one QUndoCommand whose undo/redo apply the inverse / the
operation again; this class only adds the undo stack, the selection and the signals.
Views listen to the signals instead of to each other, as Qt's model/view and napari's
events do.

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
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from dxroadmap.model import edits, versions
from dxroadmap.model import operations as ops
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan

__all__ = ["Document", "PlanCommand"]

_STRUCTURAL = (ops.InsertInitiative, ops.RemoveInitiative, ops.MoveInitiative, ops.InsertPillar, ops.RemovePillar,
               ops.MovePillar, ops.SetPeriod, versions.InsertVersion, versions.RemoveVersion, versions.ReplaceContent)


class PlanCommand(QUndoCommand):
    """One undo step: an operation already applied, and its inverse; ``merge_key`` merges successive edits.

    ``redo`` applies the operation (except the first time: the Document applied it
    before pushing, so that an invalid edit raises to the caller), ``undo`` applies the
    inverse; each application returns the other one, so redo after undo replays exactly.
    ``owner`` is the initiative whose row repaints for a span or month change.

    The command holds its document weakly: the document owns the undo stack that owns
    the command, and a strong reference back would make a cycle through Qt's ownership
    that Python's garbage collector may tear down in the wrong order (a crash at exit).
    """

    def __init__(self, doc: "Document", text: str, op: ops.Operation, inverse: ops.Operation,
                 merge_key: Any = None, owner: Initiative | None = None) -> None:
        super().__init__(text)
        self._doc = weakref.ref(doc)
        self.op, self.inverse = op, inverse
        self.merge_key = merge_key
        self.owner = owner
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push calls redo: the edit is already applied
            self._pushed = True
            return
        doc = self._doc()
        if doc is not None:
            self.inverse = self.op.apply(doc.plan)
            doc._notify(self.op, self.owner)

    def undo(self) -> None:
        doc = self._doc()
        if doc is not None:
            self.op = self.inverse.apply(doc.plan)
            doc._notify(self.inverse, self.owner)

    def id(self) -> int:
        return 1 if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, PlanCommand) or other.merge_key is None or other.merge_key != self.merge_key:
            return False
        self.op = other.op  # keep our inverse (the values before the first edit), take their result
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

    # ------------------------------------------------------------ running operations

    def run(self, op: ops.Operation, text: str = "編集", merge_key: Any = None, owner: Initiative | None = None) -> None:
        """Apply ``op`` as one undo step (``ValueError`` for an invalid edit, before anything changes)."""
        inverse = op.apply(self.plan)
        self._notify(op, owner)
        self.undo_stack.push(PlanCommand(self, text, op, inverse, merge_key, owner))

    def _notify(self, op: ops.Operation, owner: Initiative | None = None) -> None:
        """Emit the signals for ``op`` just applied, and drop a selection it removed."""
        if isinstance(op, ops.SetFields):
            obj = op.obj
            if isinstance(obj, Plan):
                if "start_fy" in op.values or "end_fy" in op.values:
                    self.structureChanged.emit()
                self.itemChanged.emit(obj)
            elif isinstance(obj, (Phase, Milestone)):
                self.itemChanged.emit(obj)
                self.scheduleChanged.emit(self.owner_of(obj))
            else:
                self.itemChanged.emit(obj)
        elif isinstance(op, (ops.SetPhaseSpan, ops.SetMilestoneMonth)):
            item = op.phase if isinstance(op, ops.SetPhaseSpan) else op.milestone
            self.itemChanged.emit(item)
            self.scheduleChanged.emit(owner if owner is not None else self.owner_of(item))
        elif isinstance(op, (ops.InsertItem, ops.RemoveItem)):
            if isinstance(op, ops.RemoveItem) and self.selection is op.item:
                self.select(None)
            self.scheduleChanged.emit(op.owner)
        elif isinstance(op, (ops.SetProgress, ops.SetKpis)):
            self.itemChanged.emit(op.initiative)
        elif isinstance(op, _STRUCTURAL):
            if self.selection is not None and self.plan.find(getattr(self.selection, "uid", "")) is None:
                self.select(None)
            self.structureChanged.emit()
        else:
            raise TypeError(f"no signals known for {type(op).__name__}")

    # ------------------------------------------------------------ fields

    def set_fields(self, obj: Plan | Pillar | Initiative | Phase | Milestone, text: str = "", merge: bool = False,
                   **values: Any) -> None:
        """Set attributes of one object as one undo step (``merge``: typing in one field merges)."""
        if all(getattr(obj, k) == v for k, v in values.items()):
            return
        key = (obj.uid, tuple(sorted(values))) if merge else None
        self.run(ops.SetFields(obj, values), text or "編集", key)

    # ------------------------------------------------------------ schedule

    def set_phase_span(self, phase: Phase, start: int, end: int, text: str = "工程の移動") -> None:
        """Move and/or resize a phase (one undo step, e.g. one whole drag)."""
        if end < start:
            raise ValueError("a phase cannot end before it starts")
        if (phase.start, phase.end) == (start, end):
            return
        self.run(ops.SetPhaseSpan(phase, start, end), text, owner=self.owner_of(phase))

    def set_milestone_month(self, milestone: Milestone, month: int, text: str = "マイルストーンの移動") -> None:
        if milestone.month == month:
            return
        self.run(ops.SetMilestoneMonth(milestone, month), text, owner=self.owner_of(milestone))

    def add_phase(self, initiative: Initiative, phase: Phase, index: int | None = None) -> None:
        self.run(ops.InsertItem(initiative, phase, index), "工程の追加")

    def remove_phase(self, phase: Phase) -> None:
        self.run(ops.RemoveItem(self.owner_of(phase), phase), "工程の削除")

    def add_milestone(self, initiative: Initiative, milestone: Milestone) -> None:
        self.run(ops.InsertItem(initiative, milestone), "マイルストーンの追加")

    def remove_milestone(self, milestone: Milestone) -> None:
        self.run(ops.RemoveItem(self.owner_of(milestone), milestone), "マイルストーンの削除")

    # ------------------------------------------------------------ structure

    def insert_initiative(self, owner: Pillar | Initiative, index: int, initiative: Initiative) -> None:
        """Add a 取組 to a pillar, or a sub-action to an initiative, at ``index``."""
        self.run(ops.InsertInitiative(owner, index, initiative), "取組の追加")

    def remove_initiative(self, initiative: Initiative) -> None:
        self.run(ops.RemoveInitiative(initiative), "取組の削除")

    def move_initiative(self, initiative: Initiative, owner: Pillar | Initiative, index: int) -> None:
        """Move to ``owner`` at ``index`` (counted after removal). Raises ValueError for a move into itself."""
        if isinstance(owner, Initiative) and any(i is owner for i in initiative.walk()):
            raise ValueError("an initiative cannot be moved into itself")
        loc = edits.locate(self.plan, initiative)
        if loc.owner is owner and loc.index == index:
            return
        self.run(ops.MoveInitiative(initiative, owner, index), "取組の移動")

    def insert_pillar(self, index: int, pillar: Pillar) -> None:
        self.run(ops.InsertPillar(index, pillar), "基本方針の追加")

    def remove_pillar(self, pillar: Pillar) -> None:
        self.run(ops.RemovePillar(pillar), "基本方針の削除")

    def move_pillar(self, pillar: Pillar, index: int) -> None:
        if self.plan.pillars.index(pillar) == index:
            return
        self.run(ops.MovePillar(pillar, index), "基本方針の移動")

    def set_period(self, start_fy: int, end_fy: int) -> None:
        if end_fy < start_fy:
            raise ValueError("the plan period cannot end before it starts")
        if (self.plan.start_fy, self.plan.end_fy) == (start_fy, end_fy):
            return
        self.run(ops.SetPeriod(start_fy, end_fy), "計画期間の変更")
