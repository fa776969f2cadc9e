"""Edit rules on a plan, testable without Qt: snapping, the span rule, where things sit.

``clamp_span`` is the one home of the rule for a phase's span (whole months, quarter
snapping, start ≤ end). The structural helpers below move objects between lists and
report where they were; :mod:`dxroadmap.model.operations` builds undoable operations
on them.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan

__all__ = [
    "Snap",
    "snap_month",
    "clamp_span",
    "move_phase",
    "resize_phase",
    "set_phase_span",
    "move_milestone",
    "Location",
    "locate",
    "insert_initiative",
    "remove_initiative",
    "move_initiative",
    "insert_pillar",
    "remove_pillar",
    "move_pillar",
    "set_period",
    "owner_of",
]


class Snap(enum.Enum):
    MONTH = 1
    QUARTER = 3  # fiscal quarters start in April, July, October and January


def snap_month(x: float, snap: Snap = Snap.MONTH) -> int:
    """The month boundary nearest to ``x`` (x in months; a boundary is a month's start).

    With ``Snap.QUARTER`` only fiscal-quarter starts count; month indexes of April,
    July, October and January are exactly the multiples of three.
    """
    step = snap.value
    return int(math.floor(x / step + 0.5)) * step


def clamp_span(span: tuple[int, int], part: str, delta: float, snap: Snap = Snap.MONTH,
               push: bool = False) -> tuple[int, int]:
    """The span ``(start, end)`` after moving its ``part`` by ``delta`` months (may be fractional).

    ``part`` is ``"move"`` (the whole bar, keeping its length; the start lands on a
    snap boundary), ``"start"`` or ``"end"`` (one edge lands on a snap boundary; for
    ``"end"`` the boundary is the one after the last month). A phase keeps at least one
    month: a moved edge stops at the other edge, or with ``push`` (a month picker,
    where the picked month must win) carries the other edge along.
    """
    s, e = span
    if part == "move":
        new_s = snap_month(s + delta, snap)
        return new_s, new_s + (e - s)
    if part == "start":
        new_s = snap_month(s + delta, snap)
        return (new_s, max(e, new_s)) if push else (min(new_s, e), e)
    if part == "end":
        new_e = snap_month(e + 1 + delta, snap) - 1
        return (min(s, new_e), new_e) if push else (s, max(new_e, s))
    raise ValueError(f"part must be 'move', 'start' or 'end', not {part!r}")


def move_phase(phase: Phase, delta: int) -> tuple[int, int]:
    """Shift a phase by ``delta`` months, keeping its length."""
    phase.start, phase.end = clamp_span((phase.start, phase.end), "move", delta)
    return phase.start, phase.end


def resize_phase(phase: Phase, edge: str, delta: int) -> tuple[int, int]:
    """Move the ``"start"`` or ``"end"`` edge by ``delta`` months; a phase keeps at least one month."""
    if edge not in ("start", "end"):
        raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
    phase.start, phase.end = clamp_span((phase.start, phase.end), edge, delta)
    return phase.start, phase.end


def set_phase_span(phase: Phase, start: int, end: int) -> tuple[int, int]:
    """Set both months; refuses a span that ends before it starts."""
    if end < start:
        raise ValueError("a phase cannot end before it starts")
    phase.start, phase.end = start, end
    return start, end


def move_milestone(milestone: Milestone, month: int) -> int:
    milestone.month = month
    return month


@dataclass(frozen=True)
class Location:
    """Where an initiative sits: the list holding it, its index, and the owning object."""

    container: list
    index: int
    owner: Pillar | Initiative


def _find_in(items: list[Initiative], target: Initiative, owner) -> Location | None:
    for index, item in enumerate(items):
        if item is target:
            return Location(items, index, owner)
        found = _find_in(item.children, target, item)
        if found:
            return found
    return None


def locate(plan: Plan, initiative: Initiative) -> Location:
    """Where ``initiative`` sits in ``plan``; ``LookupError`` if it is not there."""
    for pillar in plan.pillars:
        found = _find_in(pillar.initiatives, initiative, pillar)
        if found:
            return found
    raise LookupError(f"initiative {initiative.name!r} is not in the plan")


def owner_of(plan: Plan, item: Phase | Milestone) -> Initiative:
    """The initiative holding a phase or milestone."""
    for _, init in plan.walk():
        if any(p is item for p in init.phases) or any(m is item for m in init.milestones):
            return init
    raise LookupError("item is not in the plan")


def insert_initiative(owner: Pillar | Initiative, index: int, initiative: Initiative) -> Location:
    """Insert into a pillar (as a 取組) or an initiative (as a sub-action) at ``index``."""
    items = owner.initiatives if isinstance(owner, Pillar) else owner.children
    index = max(0, min(index, len(items)))
    items.insert(index, initiative)
    return Location(items, index, owner)


def remove_initiative(plan: Plan, initiative: Initiative) -> Location:
    """Remove an initiative (with its sub-actions); returns where it was."""
    loc = locate(plan, initiative)
    del loc.container[loc.index]
    return loc


def _is_within(plan: Plan, ancestor: Initiative, owner: Pillar | Initiative) -> bool:
    return isinstance(owner, Initiative) and any(i is owner for i in ancestor.walk())


def move_initiative(plan: Plan, initiative: Initiative, owner: Pillar | Initiative, index: int) -> Location:
    """Move an initiative to ``owner`` at ``index`` (counted after removal); returns the old location.

    Moving an initiative into itself or one of its own sub-actions is refused.
    """
    if _is_within(plan, initiative, owner):
        raise ValueError("an initiative cannot be moved into itself")
    old = remove_initiative(plan, initiative)
    insert_initiative(owner, index, initiative)
    return old


def insert_pillar(plan: Plan, index: int, pillar: Pillar) -> int:
    index = max(0, min(index, len(plan.pillars)))
    plan.pillars.insert(index, pillar)
    return index


def remove_pillar(plan: Plan, pillar: Pillar) -> int:
    index = next(i for i, p in enumerate(plan.pillars) if p is pillar)
    del plan.pillars[index]
    return index


def move_pillar(plan: Plan, pillar: Pillar, index: int) -> int:
    """Move a pillar to ``index`` (counted after removal); returns its old index."""
    old = remove_pillar(plan, pillar)
    insert_pillar(plan, index, pillar)
    return old


def set_period(plan: Plan, start_fy: int, end_fy: int) -> tuple[int, int]:
    """Change the plan period; returns the old one."""
    if end_fy < start_fy:
        raise ValueError("the plan period cannot end before it starts")
    old = plan.start_fy, plan.end_fy
    plan.start_fy, plan.end_fy = start_fy, end_fy
    return old
