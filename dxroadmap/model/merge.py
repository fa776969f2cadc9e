"""Applying changes to a plan, and merging what several people changed in copies of one plan.

``apply_changes(base, changes)`` gives a new plan: ``base`` with the changes of
:func:`dxroadmap.model.diff.diff_plans` (or any subset of them: a person may reject some)
applied; ``apply_changes(old, diff_plans(old, new))`` is ``new``. ``base`` is not touched.

``merge_many(base, sources, ours=None)`` is the department survey: many returned copies
("theirs", each tagged with a source name such as the department) against the one plan
they were made from. Changes that do not collide are applied; changes that do — the same
item changed differently by two sources, or edited by one and removed by another — are
left out and reported as :class:`Conflict`. With ``ours`` (the master as it is now), the
master's own changes since ``base`` always stay, and a returned change that collides with
one of them is the one left out. ``merge3(base, ours, theirs)`` is the two-sided case.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from dxroadmap.model.diff import Change, _children_lists, _index, diff_plans
from dxroadmap.model.plan import Plan

__all__ = ["apply_changes", "Conflict", "MergeResult", "merge_many", "merge_change_lists", "merge3"]

@dataclass
class Conflict:
    """Changes that collide: ``reason`` is ``both-changed`` or ``edit-vs-delete``."""

    reason: str
    changes: list[Change]

    @property
    def sources(self) -> list[str]:
        return [c.source for c in self.changes]

    def describe(self) -> str:
        head = "競合（双方が別の変更）" if self.reason == "both-changed" else "競合（変更と削除）"
        return head + ": " + " ／ ".join(c.describe() for c in self.changes)


@dataclass
class MergeResult:
    """The merged plan, the changes applied to ``base`` to make it, and the conflicts left out."""

    plan: Plan
    applied: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


# ------------------------------------------------------------------ applying


def _list_of(owner: Any, kind: str) -> list | None:
    for k, items in _children_lists(owner):
        if k == kind:
            return items
    return None


def _remove_from(owner: Any, kind: str, obj: Any) -> bool:
    items = _list_of(owner, kind)
    if items is None:
        return False
    for k, x in enumerate(items):
        if x is obj:
            del items[k]
            return True
    return False


def _register(item: Any, owner_key: str, keys: Iterator[str], index: dict[str, Any], owner_of: dict[str, str]) -> None:
    """Index an added item and everything inside it under the keys its change gives, in pre-order."""
    key = next(keys, None)
    if key is None:
        return
    index[key], owner_of[key] = item, owner_key
    for _, inner in _children_lists(item):
        for x in inner:
            _register(x, key, keys, index, owner_of)


def _is_placement(ch: Change) -> bool:
    """An addition, or a move to another place among siblings (not a phase's or milestone's new months)."""
    return ch.code.endswith(".added") or (ch.code.endswith((".moved", ".reordered")) and ch.field is None)


def apply_changes(base: Plan, changes: Sequence[Change], *, skipped: list[Change] | None = None) -> Plan:
    """A copy of ``base`` with ``changes`` applied (see the module docstring).

    A change whose item or owner is not there (its addition was rejected, say) is left out and
    appended to ``skipped`` when given.
    """
    plan = copy.deepcopy(base)
    nodes, _ = _index(plan, "o")
    index: dict[str, Any] = {n.key: n.obj for n in nodes}
    owner_of: dict[str, str] = {n.key: n.owner for n in nodes}
    index[""] = plan

    def skip(change: Change) -> None:
        if skipped is not None:
            skipped.append(change)

    # 1. values of items that are there
    for ch in changes:
        if _is_placement(ch) or ch.code.endswith(".removed"):
            continue
        obj = plan if ch.kind == "plan" else index.get(ch.target)
        if obj is None or obj is plan and ch.kind != "plan":
            skip(ch)
            continue
        value = copy.deepcopy(ch.new)
        if ch.field == "span":
            obj.start, obj.end = value
        else:
            setattr(obj, ch.field, value)
    # 2. take out what moves, then what goes (what is inside a removed item goes with it)
    taken_out: dict[str, tuple[Any, int]] = {}  # target -> (owner, index) of what moves, to put back if it cannot
    for ch in changes:
        if _is_placement(ch) and not ch.code.endswith(".added"):
            obj, owner = index.get(ch.target), index.get(owner_of.get(ch.target, "\0"))
            items = _list_of(owner, ch.kind) if owner is not None else None
            at = next((k for k, x in enumerate(items or []) if x is obj), None)
            if obj is None or at is None:
                continue  # skipped when it is placed
            del items[at]
            taken_out[ch.target] = (owner, at)
    for ch in changes:
        if ch.code.endswith(".removed"):
            obj, owner = index.get(ch.target), index.get(owner_of.get(ch.target, "\0"))
            if obj is not None and owner is not None:
                _remove_from(owner, ch.kind, obj)
    # 3. put in what arrives and what moved, in the order of the plan they came from
    rank = {s: k for k, s in enumerate(dict.fromkeys(ch.source for ch in changes))}
    placing = sorted((ch for ch in changes if _is_placement(ch)), key=lambda ch: (rank[ch.source], ch.order))
    placed_by: dict[int, int] = {}
    for ch in placing:
        owner = index.get(ch.owner or "")
        items = _list_of(owner, ch.kind) if owner is not None else None
        if items is None or (not ch.code.endswith(".added") and ch.target not in taken_out):
            skip(ch)
            if ch.target in taken_out:  # a move with nowhere to go: back where it was
                back, at = taken_out.pop(ch.target)
                _list_of(back, ch.kind).insert(at, index[ch.target])
            continue
        if ch.code.endswith(".added"):
            obj = copy.deepcopy(ch.new)
            keys = iter(ch.keys)

            _register(obj, ch.owner or "", keys, index, owner_of)
        else:
            obj = index[ch.target]
            taken_out.pop(ch.target)
            owner_of[ch.target] = ch.owner or ""
        at = 0
        for anchor in ch.anchors:
            a = index.get(anchor)
            pos = next((k for k, x in enumerate(items) if x is a), None) if a is not None else None
            if pos is not None:
                at = pos + 1
                break
        mine = rank[ch.source]
        while at < len(items) and placed_by.get(id(items[at]), mine) < mine:
            at += 1  # after what an earlier source put at the same place
        items.insert(at, obj)
        placed_by[id(obj)] = mine
    return plan


# ------------------------------------------------------------------ merging


def _descendant_keys(base: Plan) -> dict[str, set[str]]:
    """For each key of ``base``: the keys of everything inside it (itself included)."""
    nodes, _ = _index(base, "o")
    inside: dict[str, set[str]] = {n.key: {n.key} for n in nodes}
    for n in reversed(nodes):
        if n.owner:
            inside[n.owner] |= inside[n.key]
    return inside


def _rekey(changes: list[Change], tag: int) -> list[Change]:
    """Keys of items new in one source (``@n:…``) made distinct from those of other sources."""
    def fix(key: str | None) -> str | None:
        return f"@n{tag}:{key[3:]}" if key and key.startswith("@n:") else key
    return [dataclasses.replace(ch, target=fix(ch.target), owner=fix(ch.owner),
                                anchors=tuple(fix(a) for a in ch.anchors), keys=tuple(fix(k) for k in ch.keys))
            for ch in changes]


def merge_many(base: Plan, sources: Sequence[tuple[str, Plan]], ours: Plan | None = None) -> MergeResult:
    """Merge the copies in ``sources`` (``(name, plan)`` pairs) into ``base`` (see the module docstring)."""
    return merge_change_lists(base, [(name, diff_plans(base, plan)) for name, plan in sources],
                              diff_plans(base, ours) if ours is not None else None)


def merge_change_lists(base: Plan, sources: Sequence[tuple[str, Sequence[Change]]],
                       ours: Sequence[Change] | None = None) -> MergeResult:
    """:func:`merge_many` given each copy's changes against ``base`` (``diff_plans(base, copy)``) instead of the copy.

    For callers that know a copy differs from ``base`` only in part of it (a department's rows)
    and diff that part alone; keys must be those of ``base`` (stable ids).
    """
    groups: list[list[Change]] = []
    if ours is not None:
        groups.append([ch.with_source("ours") for ch in ours])
    for name, changes in sources:
        groups.append([ch.with_source(name) for ch in changes])
    groups = [_rekey(g, k) for k, g in enumerate(groups)]
    has_ours = ours is not None
    inside = _descendant_keys(base)

    conflicts: list[Conflict] = []
    out: set[int] = set()  # id() of changes left out

    all_changes = [ch for g in groups for ch in g]
    # the same slot changed by more than one source
    by_slot: dict[tuple[str, str], list[Change]] = {}
    for ch in all_changes:
        if ch.code.endswith(".added") and ch.target.startswith("@n"):
            continue  # an item new in one copy only
        by_slot.setdefault(ch.slot, []).append(ch)
    for chs in by_slot.values():
        if len({c.source for c in chs}) < 2:
            continue
        first = chs[0]
        if all(first.same_effect(c) for c in chs[1:]):
            out.update(id(c) for c in chs[1:])  # the same change twice is applied once
            continue
        losers = [c for c in chs if not (has_ours and c.source == "ours")]
        out.update(id(c) for c in losers)
        conflicts.append(Conflict("both-changed", chs))
    # an item removed by one source and changed (or given new contents) by another
    for ch in all_changes:
        if not ch.code.endswith(".removed"):
            continue
        gone = inside.get(ch.target, {ch.target})
        others = [c for c in all_changes if c.source != ch.source and not c.code.endswith(".removed")
                  and (c.target in gone or (c.owner in gone and _is_placement(c)))]
        if not others:
            continue
        group = [ch] + others
        losers = [c for c in group if not (has_ours and c.source == "ours")]
        out.update(id(c) for c in losers)
        conflicts.append(Conflict("edit-vs-delete", group))
    applied = [ch for ch in all_changes if id(ch) not in out]
    plan = apply_changes(base, applied)
    return MergeResult(plan, [c for c in applied if c.source != "ours" or not has_ours] if has_ours else applied,
                       conflicts)


def merge3(base: Plan, ours: Plan, theirs: Plan, *, source: str = "theirs") -> MergeResult:
    """Three-way merge: ``ours`` with what ``theirs`` changed since ``base``, where it does not collide.

    ``applied`` lists their changes that were applied; ``conflicts`` those left out, each with
    the change of ours it collided with.
    """
    return merge_many(base, [(source, theirs)], ours=ours)

