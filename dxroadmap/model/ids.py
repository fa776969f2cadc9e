"""Stable ids of pillars, initiatives, phases and milestones (``g-…``, ``i-…``, ``p-…``, ``m-…``).

An id is assigned once, kept through every save, export and re-import, and never reused:
two plans that share an id are talking about the same thing, which is how comparisons and
merges match items (see ../shared/spec/plan-json.md, "Additions for the yearly cycle").
Ids are random; tests pass their own :class:`random.Random` so they never depend on the
values. Unlike ``uid`` (unique within one session only), ids are saved in files.
"""

from __future__ import annotations

import copy
import random
from typing import Iterator

from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan, new_uid

__all__ = ["PREFIXES", "new_id", "ensure_ids", "clear_duplicate_ids", "iter_items", "copy_with_new_ids", "is_stable_id"]

PREFIXES: dict[type, str] = {Pillar: "g", Initiative: "i", Phase: "p", Milestone: "m"}
_SYSTEM_RNG = random.SystemRandom()


def new_id(prefix: str, rng: random.Random | None = None) -> str:
    """A fresh id such as ``i-3f9c2a7b`` (32 random bits after the prefix)."""
    return f"{prefix}-{(rng or _SYSTEM_RNG).getrandbits(32):08x}"


def is_stable_id(value: object) -> bool:
    """True for an id of the form ``x-hex`` (not the row numbers ``P1``/``I1`` older data sheets used)."""
    return isinstance(value, str) and len(value) > 2 and value[1] == "-" and value[0] in "gipm"


def _walk_initiative(init: Initiative) -> Iterator[object]:
    yield init
    yield from init.phases
    yield from init.milestones
    for child in init.children:
        yield from _walk_initiative(child)


def iter_items(plan: Plan) -> Iterator[object]:
    """Every pillar, initiative, phase and milestone of ``plan``, depth first."""
    for pillar in plan.pillars:
        yield pillar
        for init in pillar.initiatives:
            yield from _walk_initiative(init)


def ensure_ids(plan: Plan, rng: random.Random | None = None) -> int:
    """Give every item without an id (or with one already used earlier in the plan) a fresh id.

    Items keep the ids they have. Returns how many ids were assigned. Called before every save,
    so a plan without ids (an older file, a fresh import) gets them on first save.
    """
    seen: set[str] = set()
    items = list(iter_items(plan))
    assigned = 0
    taken = {item.id for item in items if item.id}
    for item in items:
        if item.id and item.id not in seen:
            seen.add(item.id)
            continue
        while True:
            candidate = new_id(PREFIXES[type(item)], rng)
            if candidate not in taken:
                break
        item.id = candidate
        taken.add(candidate)
        seen.add(candidate)
        assigned += 1
    return assigned


def copy_with_new_ids(obj, rng: random.Random | None = None, taken: set[str] | None = None):
    """A deep copy of a pillar, initiative, phase or milestone with new ids and uids throughout.

    What copy/paste and "duplicate" use: a copy is a new thing, so it must not share ids
    with the original. ``taken`` (ids already in the plan) avoids collisions.
    """
    dup = copy.deepcopy(obj)
    taken = set(taken or ())
    stack = [dup]
    while stack:
        item = stack.pop()
        while True:
            candidate = new_id(PREFIXES[type(item)], rng)
            if candidate not in taken:
                break
        item.id = candidate
        taken.add(candidate)
        item.uid = new_uid()
        if isinstance(item, Pillar):
            stack.extend(item.initiatives)
        elif isinstance(item, Initiative):
            stack.extend(item.phases)
            stack.extend(item.milestones)
            stack.extend(item.children)
    return dup


def clear_duplicate_ids(plan: Plan) -> int:
    """Clear the id of every item whose id an earlier item already has (a hand-edited file).

    The first holder keeps it; the others get a fresh id on the next save. Returns how many
    were cleared.
    """
    seen: set[str] = set()
    cleared = 0
    for item in iter_items(plan):
        if not item.id:
            continue
        if item.id in seen:
            item.id = ""
            cleared += 1
        else:
            seen.add(item.id)
    return cleared
