"""Undoable edits as plain operations: ``op.apply(plan)`` changes the plan and returns the inverse.

Every edit the editor makes is one of the small frozen dataclasses here, modelled on
Anki's operations layer: applying an operation mutates the :class:`Plan` and returns
the operation that undoes it, so undo/redo is testable without Qt
(``ui.document`` only wraps them in QUndoCommands and emits signals).

Objects are addressed by identity: an operation holds the pillar, initiative, phase
or milestone itself (never a row number that later edits could shift), and a removal
keeps the removed object, so its inverse puts back the very same object at the index
it had. Undoing a history in reverse order therefore restores the plan exactly.
An invalid operation raises ``ValueError`` before it changes anything.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Protocol, Union

from dxroadmap.model import edits
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan
from dxroadmap.model.progress import Kpi, ProgressEntry

__all__ = [
    "Operation",
    "Editable",
    "SetFields",
    "SetPhaseSpan",
    "SetMilestoneMonth",
    "InsertItem",
    "RemoveItem",
    "InsertInitiative",
    "RemoveInitiative",
    "MoveInitiative",
    "InsertPillar",
    "RemovePillar",
    "MovePillar",
    "SetPeriod",
    "SetProgress",
    "SetKpis",
]

Editable = Union[Plan, Pillar, Initiative, Phase, Milestone]
Owner = Union[Pillar, Initiative]


class Operation(Protocol):
    """An edit: ``apply`` changes the plan and returns the operation that undoes it."""

    def apply(self, plan: Plan) -> "Operation": ...


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


@dataclass(frozen=True, eq=False)
class SetFields:
    """Set attributes of one object (name, departments, label, colour, title…)."""

    obj: Editable
    values: dict[str, Any]

    def apply(self, plan: Plan) -> "SetFields":
        for key in self.values:
            if not hasattr(self.obj, key) or key == "uid":
                raise ValueError(f"{type(self.obj).__name__} has no editable field {key!r}")
        if isinstance(self.obj, Plan) and {"start_fy", "end_fy"} & self.values.keys():
            if self.values.get("end_fy", self.obj.end_fy) < self.values.get("start_fy", self.obj.start_fy):
                raise ValueError("the plan period cannot end before it starts")
        if isinstance(self.obj, Phase) and {"start", "end"} & self.values.keys():
            if self.values.get("end", self.obj.end) < self.values.get("start", self.obj.start):
                raise ValueError("a phase cannot end before it starts")
        old = {key: _copy(getattr(self.obj, key)) for key in self.values}
        for key, value in self.values.items():
            setattr(self.obj, key, _copy(value))
        return SetFields(self.obj, old)


@dataclass(frozen=True, eq=False)
class SetPhaseSpan:
    """Move and/or resize a phase to ``start``..``end``."""

    phase: Phase
    start: int
    end: int

    def apply(self, plan: Plan) -> "SetPhaseSpan":
        old = SetPhaseSpan(self.phase, self.phase.start, self.phase.end)
        edits.set_phase_span(self.phase, self.start, self.end)
        return old


@dataclass(frozen=True, eq=False)
class SetMilestoneMonth:
    """Move a milestone to ``month``."""

    milestone: Milestone
    month: int

    def apply(self, plan: Plan) -> "SetMilestoneMonth":
        old = SetMilestoneMonth(self.milestone, self.milestone.month)
        edits.move_milestone(self.milestone, self.month)
        return old


def _items_of(owner: Initiative, item: Phase | Milestone) -> list:
    if isinstance(item, Phase):
        return owner.phases
    if isinstance(item, Milestone):
        return owner.milestones
    raise TypeError(f"not a phase or milestone: {item!r}")


@dataclass(frozen=True, eq=False)
class InsertItem:
    """Add a phase or milestone to ``owner`` at ``index`` (``None``: at the end)."""

    owner: Initiative
    item: Phase | Milestone
    index: int | None = None

    def apply(self, plan: Plan) -> "RemoveItem":
        items = _items_of(self.owner, self.item)
        if any(x is self.item for x in items):
            raise ValueError("the item is already there")
        index = len(items) if self.index is None else max(0, min(self.index, len(items)))
        items.insert(index, self.item)
        return RemoveItem(self.owner, self.item)


@dataclass(frozen=True, eq=False)
class RemoveItem:
    """Remove a phase or milestone from ``owner``."""

    owner: Initiative
    item: Phase | Milestone

    def apply(self, plan: Plan) -> InsertItem:
        items = _items_of(self.owner, self.item)
        for index, x in enumerate(items):
            if x is self.item:
                del items[index]
                return InsertItem(self.owner, self.item, index)
        raise ValueError("the item is not in its owner")


@dataclass(frozen=True, eq=False)
class InsertInitiative:
    """Add a 取組 to a pillar, or a sub-action to an initiative, at ``index``."""

    owner: Owner
    index: int
    initiative: Initiative

    def apply(self, plan: Plan) -> "RemoveInitiative":
        edits.insert_initiative(self.owner, self.index, self.initiative)
        return RemoveInitiative(self.initiative)


@dataclass(frozen=True, eq=False)
class RemoveInitiative:
    """Remove an initiative with its sub-actions."""

    initiative: Initiative

    def apply(self, plan: Plan) -> InsertInitiative:
        loc = edits.remove_initiative(plan, self.initiative)
        return InsertInitiative(loc.owner, loc.index, self.initiative)


@dataclass(frozen=True, eq=False)
class MoveInitiative:
    """Move an initiative to ``owner`` at ``index`` (counted after removal)."""

    initiative: Initiative
    owner: Owner
    index: int

    def apply(self, plan: Plan) -> "MoveInitiative":
        old = edits.move_initiative(plan, self.initiative, self.owner, self.index)
        return MoveInitiative(self.initiative, old.owner, old.index)


@dataclass(frozen=True, eq=False)
class InsertPillar:
    """Add a pillar at ``index``."""

    index: int
    pillar: Pillar

    def apply(self, plan: Plan) -> "RemovePillar":
        edits.insert_pillar(plan, self.index, self.pillar)
        return RemovePillar(self.pillar)


@dataclass(frozen=True, eq=False)
class RemovePillar:
    """Remove a pillar with its initiatives."""

    pillar: Pillar

    def apply(self, plan: Plan) -> InsertPillar:
        if not any(p is self.pillar for p in plan.pillars):
            raise ValueError("the pillar is not in the plan")
        return InsertPillar(edits.remove_pillar(plan, self.pillar), self.pillar)


@dataclass(frozen=True, eq=False)
class MovePillar:
    """Move a pillar to ``index`` (counted after removal)."""

    pillar: Pillar
    index: int

    def apply(self, plan: Plan) -> "MovePillar":
        if not any(p is self.pillar for p in plan.pillars):
            raise ValueError("the pillar is not in the plan")
        return MovePillar(self.pillar, edits.move_pillar(plan, self.pillar, self.index))


@dataclass(frozen=True, eq=False)
class SetPeriod:
    """Change the plan period to fiscal years ``start_fy``..``end_fy``."""

    start_fy: int
    end_fy: int

    def apply(self, plan: Plan) -> "SetPeriod":
        return SetPeriod(*edits.set_period(plan, self.start_fy, self.end_fy))



@dataclass(frozen=True, eq=False)
class SetProgress:
    """Set (or, with ``entry`` ``None``, remove) an initiative's progress entry for fiscal year ``fy``.

    The entry is stored as a copy, so later changes to the object given here cannot
    reach the plan behind the undo history's back; the years stay in ascending order.
    """

    initiative: Initiative
    fy: int
    entry: ProgressEntry | None

    def apply(self, plan: Plan) -> "SetProgress":
        if isinstance(self.fy, bool) or not isinstance(self.fy, int):
            raise ValueError(f"a fiscal year is a whole number, not {self.fy!r}")
        progress = self.initiative.progress
        old = progress.get(self.fy)
        if self.entry is None:
            progress.pop(self.fy, None)
        else:
            progress[self.fy] = copy.deepcopy(self.entry)
            if list(progress) != sorted(progress):
                ordered = sorted(progress.items())
                progress.clear()
                progress.update(ordered)
        return SetProgress(self.initiative, self.fy, old)


@dataclass(frozen=True, eq=False)
class SetKpis:
    """Replace an initiative's KPIs with ``kpis`` (copies; the inverse holds the old list)."""

    initiative: Initiative
    kpis: tuple[Kpi, ...] | list[Kpi]

    def apply(self, plan: Plan) -> "SetKpis":
        if not all(isinstance(k, Kpi) for k in self.kpis):
            raise ValueError("every KPI must be a Kpi")
        old = tuple(self.initiative.kpis)
        self.initiative.kpis = [copy.deepcopy(k) for k in self.kpis]
        return SetKpis(self.initiative, old)
