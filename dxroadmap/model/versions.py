"""版 (named snapshots of a plan) and the 新旧対照表 (old and new side by side) of two plans.

``plan.versions`` holds :class:`~dxroadmap.model.plan.PlanVersion` snapshots, oldest first;
each snapshot is a whole plan without versions of its own. Saving, restoring and deleting a
version are operations in the manner of :mod:`dxroadmap.model.operations`: ``op.apply(plan)``
changes the plan and returns the operation that undoes it. The date a version is saved on is
an input ("YYYY-MM-DD"): the caller (GUI, command line) passes today's date, nothing here
reads the clock.

:func:`compare_plans` builds the 新旧対照表 from :func:`dxroadmap.model.diff.diff_plans`: one
row per changed initiative, grouped by pillar, with each side's name, 概要, 関係部門 and
schedule in 年度 words (「令和6年度 検討 → 令和6年度下期 実証」), and the changed parts of the
text marked (:func:`mark_changes`). Plans without shared ids are matched by name; what could
not be matched is listed.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from dxroadmap.model.diff import CODES, FIELD_NAMES_JA, Change, diff_plans, keyed_items, name_key
from dxroadmap.model.fiscal import fiscal_year_of, format_ym, fy_first_month, year_month
from dxroadmap.model.ids import iter_items
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan, PlanVersion, new_uid
from dxroadmap.model.wareki import format_fiscal_year

__all__ = [
    "snapshot",
    "find_version",
    "version_plan",
    "InsertVersion",
    "RemoveVersion",
    "ReplaceContent",
    "save_version",
    "restore_version",
    "delete_version",
    "span_words",
    "schedule_words",
    "mark_changes",
    "SideText",
    "ComparisonRow",
    "Comparison",
    "compare_plans",
    "COMPARED_FIELDS",
    "FIELD_HEADINGS",
    "STATUS_JA",
    "changes_json",
]

_DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_CONTENT = ("title", "organization", "start_fy", "end_fy", "pillars", "national_version")


def _fresh_uids(plan: Plan) -> Plan:
    plan.uid = new_uid()
    for item in iter_items(plan):
        item.uid = new_uid()
    return plan


def snapshot(plan: Plan) -> Plan:
    """A deep copy of ``plan`` without its versions (ids kept, fresh uids)."""
    versions, plan.versions = plan.versions, []
    try:
        dup = copy.deepcopy(plan)
    finally:
        plan.versions = versions
    return _fresh_uids(dup)


def find_version(plan: Plan, name: str) -> PlanVersion | None:
    """The version of ``plan`` called ``name`` (compared NFKC, white space ignored), or ``None``."""
    wanted = name_key(name)
    return next((v for v in plan.versions if name_key(v.name) == wanted), None)


def version_plan(plan: Plan, name: str) -> Plan:
    """A copy of the snapshot called ``name`` to view or compare; :class:`KeyError` when there is none."""
    version = find_version(plan, name)
    if version is None:
        known = "、".join(v.name for v in plan.versions) or "（なし）"
        raise KeyError(f"版「{name}」はありません（保存されている版: {known}）")
    return snapshot(version.plan)


@dataclass(frozen=True, eq=False)
class InsertVersion:
    """Put ``version`` into ``plan.versions`` at ``index`` (the end when ``None``)."""

    version: PlanVersion
    index: int | None = None

    def apply(self, plan: Plan) -> "RemoveVersion":
        if not self.version.name.strip():
            raise ValueError("a version needs a name")
        if not _DATE_RE.match(self.version.saved or ""):
            raise ValueError(f"a version's date is written YYYY-MM-DD, not {self.version.saved!r}")
        if find_version(plan, self.version.name) is not None:
            raise ValueError(f"there is already a version called {self.version.name!r}")
        index = len(plan.versions) if self.index is None else self.index
        if not 0 <= index <= len(plan.versions):
            raise ValueError(f"no place {index} among {len(plan.versions)} versions")
        plan.versions.insert(index, self.version)
        return RemoveVersion(index)


@dataclass(frozen=True, eq=False)
class RemoveVersion:
    """Take the version at ``index`` out of ``plan.versions``."""

    index: int

    def apply(self, plan: Plan) -> InsertVersion:
        if not 0 <= self.index < len(plan.versions):
            raise ValueError(f"no version {self.index} among {len(plan.versions)}")
        return InsertVersion(plan.versions.pop(self.index), self.index)


@dataclass(frozen=True, eq=False)
class ReplaceContent:
    """Give ``plan`` the title, organisation, period, pillars and national version of ``content``.

    The plan's versions stay. The inverse puts back the very objects the plan had.
    """

    content: Plan

    def apply(self, plan: Plan) -> "ReplaceContent":
        if self.content.end_fy < self.content.start_fy:
            raise ValueError("the plan period cannot end before it starts")
        before = Plan(versions=[])
        for name in _CONTENT:
            setattr(before, name, getattr(plan, name))
            setattr(plan, name, getattr(self.content, name))
        return ReplaceContent(before)


def save_version(plan: Plan, name: str, saved: str) -> RemoveVersion:
    """Store a snapshot of ``plan`` as version ``name`` saved on ``saved`` ("YYYY-MM-DD"); returns the undo."""
    return InsertVersion(PlanVersion(name.strip(), saved, snapshot(plan))).apply(plan)


def restore_version(plan: Plan, name: str) -> ReplaceContent:
    """Make ``plan`` what version ``name`` was (its versions kept); returns the undo."""
    return ReplaceContent(version_plan(plan, name)).apply(plan)


def delete_version(plan: Plan, name: str) -> InsertVersion:
    """Delete version ``name``; returns the undo."""
    version = find_version(plan, name)
    if version is None:
        raise KeyError(f"版「{name}」はありません")
    return RemoveVersion(plan.versions.index(version)).apply(plan)


# ------------------------------------------------------------------ 年度 words


def _pos(m: int) -> tuple[int, int]:
    """(fiscal year, position 0 = April … 11 = March)."""
    fy = fiscal_year_of(m)
    return fy, m - fy_first_month(fy)


def _fy(fy: int) -> str:
    try:
        return format_fiscal_year(fy)
    except ValueError:
        return f"{fy}年度"


def _part(fy: int, first: int, last: int) -> str:
    """Months ``first``..``last`` (0 = April) of fiscal year ``fy`` in words."""
    if (first, last) == (0, 11):
        return _fy(fy)
    if (first, last) == (0, 5):
        return f"{_fy(fy)}上期"
    if (first, last) == (6, 11):
        return f"{_fy(fy)}下期"
    if first % 3 == 0 and last % 3 == 2:
        q1, q2 = first // 3 + 1, last // 3 + 1
        return f"{_fy(fy)}第{q1}四半期" if q1 == q2 else f"{_fy(fy)}第{q1}〜{q2}四半期"
    m1, m2 = (first + 3) % 12 + 1, (last + 3) % 12 + 1
    return f"{_fy(fy)}{m1}月" if first == last else f"{_fy(fy)}{m1}〜{m2}月"


def span_words(start: int, end: int) -> str:
    """Months ``start``..``end`` as people write them: 令和6年度, 令和6年度下期, 令和6年度〜令和8年度…"""
    fy1, p1 = _pos(start)
    fy2, p2 = _pos(end)
    if fy1 == fy2:
        return _part(fy1, p1, p2)
    head = _fy(fy1) if p1 == 0 else (f"{_fy(fy1)}下期" if p1 == 6 else _part(fy1, p1, p1))
    tail = _fy(fy2) if p2 == 11 else (f"{_fy(fy2)}上期" if p2 == 5 else _part(fy2, p2, p2))
    return f"{head}〜{tail}"


def schedule_words(init: Initiative) -> str:
    """The schedule of ``init``: phases in time order joined by →, then milestones (◆) on a second line."""
    phases = sorted(init.phases, key=lambda p: (p.start, p.end))
    lines = []
    if phases:
        lines.append(" → ".join(f"{span_words(p.start, p.end)} {p.label or p.kind.label_ja}" for p in phases))
    if init.milestones:
        parts = []
        for ms in sorted(init.milestones, key=lambda m: m.month):
            fy, pos = _pos(ms.month)
            parts.append(f"{_fy(fy)}{year_month(ms.month)[1]}月 ◆{ms.label or ''}".rstrip())
        lines.append("、".join(parts))
    return "\n".join(lines)


# ------------------------------------------------------------------ marking what changed

_TOKEN_RE = re.compile(r"\s+|[→、〜◆/／]|[^\s→、〜◆/／]+")


def mark_changes(old: str, new: str, *, words: bool = False) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """``old`` and ``new`` cut into (text, changed) runs: what was deleted in old, what was added in new.

    Characters are compared (``words=True``: runs between → 、 〜 spaces, for schedules).
    """
    a = _TOKEN_RE.findall(old) if words else list(old)
    b = _TOKEN_RE.findall(new) if words else list(new)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []

    def add(runs: list[tuple[str, bool]], text: str, changed: bool) -> None:
        if not text:
            return
        if runs and runs[-1][1] == changed:
            runs[-1] = (runs[-1][0] + text, changed)
        else:
            runs.append((text, changed))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        add(left, "".join(a[i1:i2]), op != "equal")
        add(right, "".join(b[j1:j2]), op != "equal")
    return left, right


# ------------------------------------------------------------------ the 新旧対照表

COMPARED_FIELDS = ("name", "summary", "departments", "schedule")
FIELD_HEADINGS = {"name": "取組名", "summary": "概要", "departments": "関係部門", "schedule": "スケジュール"}
STATUS_JA = {"changed": "変更", "added": "追加", "removed": "削除"}


@dataclass
class SideText:
    """One side of a row: what a person reads in each column."""

    name: str
    summary: str
    departments: str
    schedule: str

    @classmethod
    def of(cls, init: Initiative) -> "SideText":
        return cls(init.name, init.summary, "、".join(init.departments), schedule_words(init))

    def get(self, field_name: str) -> str:
        return getattr(self, field_name)


@dataclass
class ComparisonRow:
    """One changed initiative (or pillar): ``status`` is ``changed``, ``added`` or ``removed``."""

    pillar: str
    status: str
    old: SideText | None
    new: SideText | None
    changes: list[Change] = field(default_factory=list)
    kind: str = "initiative"  # or "pillar"
    depth: int = 0

    @property
    def changed(self) -> frozenset[str]:
        """The columns whose text differs between the sides."""
        if self.old is None or self.new is None:
            return frozenset(COMPARED_FIELDS)
        return frozenset(f for f in COMPARED_FIELDS if self.old.get(f) != self.new.get(f))

    @property
    def what(self) -> str:
        """What changed, in words (取組名を変更、工程を移動…), each kind once."""
        seen: list[str] = []
        for change in self.changes:
            text = CODES.get(change.code, change.code)
            if change.code == "initiative.field":
                text = f"{FIELD_NAMES_JA.get(change.field or '', change.field or '')}を変更"
            if text not in seen:
                seen.append(text)
        return "、".join(seen)


@dataclass
class Comparison:
    """The 新旧対照表 of two plans."""

    old_label: str
    new_label: str
    changes: list[Change]
    groups: list[tuple[str, list[ComparisonRow]]]
    unmatched_old: list[str]  # initiatives of the old plan nothing in the new one matched
    unmatched_new: list[str]
    by_name: bool  # True when the plans share no ids, so items were matched by name

    @property
    def rows(self) -> list[ComparisonRow]:
        return [row for _, rows in self.groups for row in rows]

    def lines(self) -> list[str]:
        """One plain line per change (what the command line prints)."""
        return [change.describe() for change in self.changes]


def _owners(plan: Plan) -> dict[int, tuple[Pillar, int]]:
    """id(initiative) -> (its pillar, its depth)."""
    out: dict[int, tuple[Pillar, int]] = {}

    def walk(init: Initiative, pillar: Pillar, depth: int) -> None:
        out[id(init)] = (pillar, depth)
        for child in init.children:
            walk(child, pillar, depth + 1)

    for pillar in plan.pillars:
        for init in pillar.initiatives:
            walk(init, pillar, 0)
    return out


def _row_key(change: Change) -> str | None:
    if change.kind in ("initiative", "pillar"):
        return change.target
    if change.kind in ("phase", "milestone"):
        return change.owner or change.old_owner
    return None


def compare_plans(old: Plan, new: Plan, old_label: str = "旧", new_label: str = "新") -> Comparison:
    """The 新旧対照表 of ``old`` and ``new`` (a plan compared with itself has no rows)."""
    changes = diff_plans(old, new)
    olds, news = keyed_items(old, new)
    old_owner, new_owner = _owners(old), _owners(new)
    by_key: dict[str, list[Change]] = {}
    for change in changes:
        key = _row_key(change)
        if key is not None:
            by_key.setdefault(key, []).append(change)

    rows: list[tuple[tuple[int, int], str, ComparisonRow]] = []  # (sort key, pillar, row)
    new_pillars = [p.name for p in new.pillars]
    for key, its in by_key.items():
        o, n = olds.get(key), news.get(key)
        # an item that exists only in one plan: the key names it there
        if its and its[0].code.endswith(".removed"):
            n = None
        if its and its[0].code.endswith(".added"):
            o = None
        obj = n if n is not None else o
        status = "changed" if o is not None and n is not None else ("added" if o is None else "removed")
        if isinstance(obj, Pillar):
            row = ComparisonRow(obj.name, status, SideText(o.name, o.description, "", "") if o else None,
                                SideText(n.name, n.description, "", "") if n else None, its, "pillar")
            place = new_pillars.index(obj.name) if obj.name in new_pillars else len(new_pillars)
            rows.append(((place, -1), obj.name, row))
            continue
        if not isinstance(obj, Initiative):
            continue
        owner = new_owner.get(id(n)) if n is not None else old_owner.get(id(o))
        pillar, depth = owner if owner else (Pillar(""), 0)
        row = ComparisonRow(pillar.name, status, SideText.of(o) if o is not None else None,
                            SideText.of(n) if n is not None else None, its, "initiative", depth)
        order = min(c.order for c in its)
        place = new_pillars.index(pillar.name) if pillar.name in new_pillars else len(new_pillars)
        rows.append(((place, order if n is not None else 10**9 + order), pillar.name, row))
    rows.sort(key=lambda t: t[0])
    groups: list[tuple[str, list[ComparisonRow]]] = []
    for _, pillar_name, row in rows:
        if groups and groups[-1][0] == pillar_name:
            groups[-1][1].append(row)
        else:
            groups.append((pillar_name, [row]))

    old_ids = {i.id for i in iter_items(old) if i.id}
    by_name = not (old_ids & {i.id for i in iter_items(new) if i.id})
    unmatched_old = [c.old.name for c in changes if c.code == "initiative.removed" and isinstance(c.old, Initiative)]
    unmatched_new = [c.new.name for c in changes if c.code == "initiative.added" and isinstance(c.new, Initiative)]
    return Comparison(old_label, new_label, changes, groups, unmatched_old, unmatched_new, by_name)


def _plain(value: Any, field_name: str | None) -> Any:
    """A change's old or new value as JSON: months YYYY-MM, items by name, kinds by value."""
    if value is None or isinstance(value, (str, bool, int, float)):
        if field_name == "month" and isinstance(value, int):
            return format_ym(value)
        return value
    if isinstance(value, (list, tuple)):
        if field_name == "span" and len(value) == 2:
            return [format_ym(value[0]), format_ym(value[1])]
        return [_plain(v, None) for v in value]
    if isinstance(value, (Pillar, Initiative)):
        return {"name": value.name, "id": value.id or None}
    if isinstance(value, Phase):
        return {"label": value.label, "start": format_ym(value.start), "end": format_ym(value.end), "id": value.id or None}
    if isinstance(value, Milestone):
        return {"label": value.label, "date": format_ym(value.month), "id": value.id or None}
    if hasattr(value, "value"):
        return value.value
    return str(value)


def changes_json(comparison: Comparison) -> str:
    """The comparison's changes as a JSON list (what ``dxroadmap compare … OUT.json`` writes).

    Each change: ``code`` (see :data:`dxroadmap.model.diff.CODES`), ``kind``, ``text`` (the line the
    command prints), ``path`` (where it was) and ``new_path``, ``field``, ``old`` and ``new``, and
    ``matched`` (``id``, ``name`` or ``position``; empty for additions and removals).
    """
    out = []
    for c in comparison.changes:
        where_new = c.new_path or c.path
        moved = c.code.endswith((".moved", ".reordered")) and c.kind in ("pillar", "initiative")
        out.append({"code": c.code, "kind": c.kind, "text": c.describe(), "path": list(c.path),
                    "new_path": list(where_new), "field": c.field,
                    "old": None if moved else _plain(c.old, c.field), "new": None if moved else _plain(c.new, c.field),
                    "matched": c.matched})
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
