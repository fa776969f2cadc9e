"""Display rows: the plan flattened into the order the tree and the timeline both show.

A pillar is a band row followed by its initiatives; a sub-action follows its parent
when the parent is expanded. The tree and the timeline read the same list, so row N
on the left is row N on the right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from dxroadmap.model.plan import Initiative, Pillar, Plan

__all__ = ["Row", "flatten_rows"]


@dataclass(frozen=True)
class Row:
    """One display row: a pillar band or an initiative (``depth`` 0) / sub-action (1, 2…)."""

    kind: str  # "pillar" | "initiative"
    obj: Pillar | Initiative
    pillar: Pillar
    depth: int = 0


def flatten_rows(plan: Plan, is_expanded: Callable[[object], bool] | None = None) -> list[Row]:
    """All rows in display order; ``is_expanded(obj)`` hides the contents of collapsed items."""
    expanded = is_expanded or (lambda obj: True)
    rows: list[Row] = []

    def add(items: list[Initiative], pillar: Pillar, depth: int) -> None:
        for init in items:
            rows.append(Row("initiative", init, pillar, depth))
            if init.children and expanded(init):
                add(init.children, pillar, depth + 1)

    for pillar in plan.pillars:
        rows.append(Row("pillar", pillar, pillar, 0))
        if expanded(pillar):
            add(pillar.initiatives, pillar, 0)
    return rows
