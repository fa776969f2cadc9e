"""The differences between two plans, as a list of changes a person can read.

``diff_plans(old, new)`` matches pillars, initiatives, phases and milestones by their stable
``id`` (:mod:`dxroadmap.model.ids`); items without a shared id fall back to their names
(Unicode NFKC, white space removed; labels and months for phases and milestones). What
cannot be matched is reported as added or removed. Each :class:`Change` carries a stable
``code`` (the UI words it), the item's key, old and new values, and the names of where it
is, and :meth:`Change.describe` gives a plain Japanese line for the command line.

Keys name items in the *old* plan: an item's id, or ``@o:…`` (its position) when it has no
usable id. Items that exist only in the new plan are keyed by their id or ``@n:…``. Changes
are applied to the old plan by :func:`dxroadmap.model.merge.apply_changes`; the department
survey and the 新旧対照表 build on the same list.
"""

from __future__ import annotations

import copy
import dataclasses
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

from dxroadmap.model.fiscal import format_ym
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan
from dxroadmap.model.wareki import format_month, format_span

__all__ = ["Change", "CODES", "diff_plans", "name_key", "FIELD_NAMES_JA"]

# Every change code, with its Japanese name (the UI may word them its own way).
CODES: dict[str, str] = {
    "plan.field": "計画の項目を変更",
    "pillar.added": "基本方針を追加",
    "pillar.removed": "基本方針を削除",
    "pillar.renamed": "基本方針の名前を変更",
    "pillar.moved": "基本方針の順序を変更",
    "pillar.field": "基本方針の項目を変更",
    "initiative.added": "取組を追加",
    "initiative.removed": "取組を削除",
    "initiative.moved": "取組の位置を変更",
    "initiative.renamed": "取組名を変更",
    "initiative.field": "取組の項目を変更",
    "phase.added": "工程を追加",
    "phase.removed": "工程を削除",
    "phase.moved": "工程を移動",
    "phase.resized": "工程の期間を変更",
    "phase.relabelled": "工程名を変更",
    "phase.reordered": "工程の順序を変更",
    "phase.field": "工程の項目を変更",
    "milestone.added": "マイルストーンを追加",
    "milestone.removed": "マイルストーンを削除",
    "milestone.moved": "マイルストーンを移動",
    "milestone.relabelled": "マイルストーン名を変更",
    "milestone.reordered": "マイルストーンの順序を変更",
    "milestone.field": "マイルストーンの項目を変更",
}

FIELD_NAMES_JA: dict[str, str] = {
    "title": "表題", "organization": "団体名", "start_fy": "計画期間の開始年度", "end_fy": "計画期間の終了年度",
    "summary": "概要", "departments": "関係部門", "priority_items": "重点取組事項", "kpi": "KPI", "status": "状況",
    "notes": "備考", "description": "説明", "kind": "種類", "color": "色", "id": "ID", "label": "名前",
}

_KIND_JA = {"plan": "計画", "pillar": "基本方針", "initiative": "取組", "phase": "工程", "milestone": "マイルストーン"}


def name_key(text: str | None) -> str:
    """How names are compared: Unicode NFKC with all white space removed."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass
class Change:
    """One difference between two plans.

    ``target`` is the key of the item (see the module docstring); ``owner`` the key of the
    pillar or initiative it sits in (in the new plan for additions and moves), ``old_owner``
    where it was. ``anchors`` are the keys of the siblings before it in the new plan, nearest
    first (where an addition or a move goes). ``path`` names the item for people (pillar,
    initiatives…, phase label) as it was, ``new_path`` as it is. ``matched`` says how the item
    was matched: ``id``, ``name`` or ``position`` (empty for additions and removals).
    ``source`` names who made the change (a department in a survey; ``ours``/``theirs``).
    """

    code: str
    kind: str
    target: str
    path: tuple[str, ...] = ()
    field: str | None = None
    old: Any = None
    new: Any = None
    owner: str | None = None
    old_owner: str | None = None
    anchors: tuple[str, ...] = ()
    new_path: tuple[str, ...] = ()
    matched: str = ""
    source: str = ""
    order: int = 0  # position of the item in the new plan (placements are applied in this order)
    keys: tuple[str, ...] = ()  # for additions: the keys of the added items, in pre-order

    def with_source(self, source: str) -> "Change":
        return dataclasses.replace(self, source=source)

    @property
    def slot(self) -> tuple[str, str]:
        """What this change touches: two changes with the same slot conflict unless they agree."""
        if self.code.endswith((".added", ".removed")):
            return (self.target, "*")
        if self.code.endswith((".moved", ".reordered")) and self.kind in ("pillar", "initiative"):
            return (self.target, "place")
        if self.code.endswith(".reordered"):
            return (self.target, "place")
        if self.code in ("phase.moved", "phase.resized"):
            return (self.target, "span")
        if self.code == "milestone.moved":
            return (self.target, "month")
        return (self.target, self.field or self.code)

    def same_effect(self, other: "Change") -> bool:
        """True when ``other`` makes exactly this change (both sides did the same thing)."""
        if self.code != other.code or self.target != other.target or self.field != other.field:
            return False
        if self.code.endswith(".removed"):
            return True
        if self.code.endswith(".added"):
            return False
        if self.code.endswith((".moved", ".reordered")) and self.kind in ("pillar", "initiative"):
            return self.owner == other.owner and self.anchors[:1] == other.anchors[:1]
        return _comparable(self.new) == _comparable(other.new)

    def describe(self) -> str:
        """One plain Japanese line: 「工程 検討: 令和5年度 4月 – 令和6年度 3月 → …」."""
        where = "／".join(p for p in self.path if p) or "（名前なし）"
        label = _KIND_JA.get(self.kind, self.kind)
        prefix = f"[{self.source}] " if self.source else ""
        code = self.code
        if code.endswith(".added"):
            where = "／".join(p for p in self.new_path if p) or where
            return f"{prefix}{label}を追加: {where}{_detail(self.new)}"
        if code.endswith(".removed"):
            return f"{prefix}{label}を削除: {where}{_detail(self.old)}"
        if code.endswith(".renamed") or code.endswith(".relabelled"):
            return f"{prefix}{label}の名前: {where}: {_text(self.old)} → {_text(self.new)}"
        if code in ("phase.moved", "phase.resized"):
            verb = "移動" if code == "phase.moved" else "期間変更"
            return f"{prefix}工程{verb}: {where}: {format_span(*self.old)} → {format_span(*self.new)}"
        if code == "milestone.moved":
            return f"{prefix}マイルストーン移動: {where}: {_month(self.old)} → {_month(self.new)}"
        if code.endswith((".moved", ".reordered")):
            to = "／".join(p for p in self.new_path if p)
            return f"{prefix}{label}の位置を変更: {where}" + (f" → {to}" if to and to != where else "")
        name = FIELD_NAMES_JA.get(self.field or "", self.field or "")
        return f"{prefix}{label}の{name}: {where}: {_value(self.old)} → {_value(self.new)}"


def _month(m: int) -> str:
    try:
        return format_month(m)
    except ValueError:
        return format_ym(m)


def _text(value: Any) -> str:
    return f"「{value}」" if value else "（なし）"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value) if value else "（なし）"
    if value is None or value == "":
        return "（なし）"
    if hasattr(value, "label_ja"):
        return value.label_ja
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _detail(obj: Any) -> str:
    if isinstance(obj, Phase):
        try:
            return f"（{format_span(obj.start, obj.end)}）"
        except ValueError:
            return f"（{format_ym(obj.start)}〜{format_ym(obj.end)}）"
    if isinstance(obj, Milestone):
        return f"（{_month(obj.month)}）"
    return ""


def _comparable(value: Any) -> Any:
    if isinstance(value, (Phase, Milestone, Initiative, Pillar)):
        return id(value)
    return value


# ------------------------------------------------------------------ matching


@dataclass
class _Node:
    """An item of one plan with where it sits."""

    obj: Any
    kind: str
    key: str
    owner: str  # key of the pillar or initiative it belongs to ("" for pillars)
    index: int
    path: tuple[str, ...]
    order: int = 0


def _label(obj: Any) -> str:
    if isinstance(obj, (Pillar, Initiative)):
        return obj.name
    if isinstance(obj, Phase):
        return obj.label or ""
    return obj.label or ""


def _index(plan: Plan, tag: str) -> tuple[list[_Node], dict[int, _Node]]:
    """Every item of ``plan`` in pre-order, keyed by id (when unique) or position."""
    counts: dict[str, int] = {}
    items: list[tuple[Any, str, str, int, tuple[str, ...], str]] = []  # obj, kind, owner pos, index, path, pos

    def visit_init(init: Initiative, owner_pos: str, k: int, path: tuple[str, ...]) -> None:
        pos = f"{owner_pos}/{k}"
        here = path + (init.name,)
        items.append((init, "initiative", owner_pos, k, here, pos))
        for j, ph in enumerate(init.phases):
            items.append((ph, "phase", pos, j, here + (ph.label or "",), f"{pos}/p{j}"))
        for j, ms in enumerate(init.milestones):
            items.append((ms, "milestone", pos, j, here + (ms.label or "",), f"{pos}/m{j}"))
        for j, child in enumerate(init.children):
            visit_init(child, pos, j, here)

    for k, pillar in enumerate(plan.pillars):
        items.append((pillar, "pillar", "", k, (pillar.name,), f"{k}"))
        for j, init in enumerate(pillar.initiatives):
            visit_init(init, f"{k}", j, (pillar.name,))
    for obj, *_ in items:
        if obj.id:
            counts[obj.id] = counts.get(obj.id, 0) + 1
    key_of_pos: dict[str, str] = {}
    for obj, _kind, _owner, _k, _path, pos in items:
        key_of_pos[pos] = obj.id if obj.id and counts[obj.id] == 1 else f"@{tag}:{pos}"
    nodes, by_obj = [], {}
    for n, (obj, kind, owner, k, path, pos) in enumerate(items):
        node = _Node(obj, kind, key_of_pos[pos], key_of_pos.get(owner, ""), k, path, n)
        nodes.append(node)
        by_obj[id(obj)] = node
    return nodes, by_obj


class _Pairs(dict):
    """``id(old node) -> (new node, how)``, keeping the set of the new nodes' ids taken (so a look-up is not a scan)."""

    def __init__(self) -> None:
        super().__init__()
        self.taken: set[int] = set()

    def __setitem__(self, key: int, value: tuple[_Node, str]) -> None:
        super().__setitem__(key, value)
        self.taken.add(id(value[0]))


def _taken(pairs: dict[int, tuple[_Node, str]]) -> set[int]:
    return pairs.taken if isinstance(pairs, _Pairs) else {id(v[0]) for v in pairs.values()}


def _pair(old: list[_Node], new: list[_Node], pairs: dict[int, tuple[_Node, str]], rules) -> None:
    """Match the still unmatched ``old`` and ``new`` nodes rule by rule (each a key function)."""
    for how, rule in rules:
        left = [o for o in old if id(o) not in pairs]
        taken = _taken(pairs)
        right = [n for n in new if id(n) not in taken]
        if not left or not right:
            return
        by_key: dict[Any, list[_Node]] = {}
        for o in left:
            k = rule(o)
            if k is not None:
                by_key.setdefault(k, []).append(o)
        for n in right:
            k = rule(n)
            if k is None:
                continue
            bucket = by_key.get(k)
            if bucket:
                pairs[id(bucket.pop(0))] = (n, how)


class _Matching:
    """Which item of the new plan is which item of the old one."""

    def __init__(self, old: Plan, new: Plan) -> None:
        self.old_nodes, self.old_by_obj = _index(old, "o")
        self.new_nodes, self.new_by_obj = _index(new, "n")
        self.pairs: dict[int, tuple[_Node, str]] = _Pairs()  # id(old node) -> (new node, how)
        self._old_node_map = {id(n): n for n in self.old_nodes}
        olds = {k: [n for n in self.old_nodes if n.kind == k] for k in _KIND_JA}
        news = {k: [n for n in self.new_nodes if n.kind == k] for k in _KIND_JA}

        def by_id(n: _Node):
            return n.obj.id or None

        _pair(olds["pillar"], news["pillar"], self.pairs, [("id", by_id), ("name", lambda n: name_key(n.obj.name))])
        _pair(olds["initiative"], news["initiative"], self.pairs, [
            ("id", by_id),
            ("name", lambda n: tuple(name_key(p) for p in n.path)),
            ("name", lambda n: name_key(n.obj.name) or None),
        ])
        # pillars renamed in a plan without ids: the one most of whose initiatives went there
        self._pair_pillars_by_content(olds["pillar"], news["pillar"])
        self.new_key: dict[int, str] = {}  # id(new obj) -> key in the old plan's terms
        # phases and milestones are matched inside matched initiatives only
        back = {id(v[0]): self.old_by_obj_node(k) for k, v in self.pairs.items()}
        for n in news["initiative"]:
            o = back.get(id(n))
            if o is None:
                continue
            for kind, attr in (("phase", "phases"), ("milestone", "milestones")):
                ol = [self.old_by_obj[id(x)] for x in getattr(o.obj, attr)]
                nl = [self.new_by_obj[id(x)] for x in getattr(n.obj, attr)]
                if kind == "phase":
                    rules = [("id", by_id), ("name", lambda x: (name_key(x.obj.label), x.obj.start, x.obj.end)),
                             ("name", lambda x: name_key(x.obj.label) or None)]
                else:
                    rules = [("id", by_id), ("name", lambda x: (name_key(x.obj.label), x.obj.month)),
                             ("name", lambda x: name_key(x.obj.label) or None)]
                _pair(ol, nl, self.pairs, rules)
                self._pair_by_overlap(ol, nl, kind)
        self.old_of: dict[int, tuple[_Node, str]] = {}
        for ok, (n, how) in self.pairs.items():
            self.old_of[id(n)] = (self._old_node[ok], how)
        for n in self.new_nodes:
            hit = self.old_of.get(id(n))
            self.new_key[id(n.obj)] = hit[0].key if hit else self._fresh_key(n)

    @property
    def _old_node(self) -> dict[int, _Node]:
        return self._old_node_map

    def old_by_obj_node(self, node_id: int) -> _Node:
        return self._old_node[node_id]

    def _fresh_key(self, n: _Node) -> str:
        if n.obj.id and not n.key.startswith("@") and n.obj.id not in {o.key for o in self.old_nodes}:
            return n.obj.id
        return n.key if n.key.startswith("@") else f"@n:{n.order}"

    def _pair_pillars_by_content(self, olds: list[_Node], news: list[_Node]) -> None:
        taken = _taken(self.pairs)
        left = [o for o in olds if id(o) not in self.pairs]
        right = [n for n in news if id(n) not in taken]
        for o in left:
            votes: dict[int, int] = {}
            inits = [self.old_by_obj[id(i)] for i in o.obj.initiatives]
            for node in inits:
                hit = self.pairs.get(id(node))
                if hit is None:
                    continue
                for n in right:
                    if any(i is hit[0].obj for i in n.obj.initiatives):
                        votes[id(n)] = votes.get(id(n), 0) + 1
            if votes and inits:
                best = max(right, key=lambda n: votes.get(id(n), 0))
                if 2 * votes.get(id(best), 0) > len(inits):
                    self.pairs[id(o)] = (best, "position")
                    right.remove(best)

    def _pair_by_overlap(self, ol: list[_Node], nl: list[_Node], kind: str) -> None:
        taken = _taken(self.pairs)
        left = [o for o in ol if id(o) not in self.pairs]
        right = [n for n in nl if id(n) not in taken]
        for o in left:
            if kind == "phase":
                def overlap(n: _Node, o: _Node = o) -> int:
                    return min(o.obj.end, n.obj.end) - max(o.obj.start, n.obj.start) + 1
            else:
                def overlap(n: _Node, o: _Node = o) -> int:
                    return 1 if n.obj.month == o.obj.month else 0
            best = max(right, key=overlap, default=None)
            if best is not None and overlap(best) > 0:
                self.pairs[id(o)] = (best, "position")
                right.remove(best)


# ------------------------------------------------------------------ the diff


def _lcs_keep(old_order: list[str], new_order: list[str]) -> set[str]:
    """Keys that keep their relative order (a longest common subsequence)."""
    n, m = len(old_order), len(new_order)
    if n * m > 4_000_000:  # a huge reshuffle: keep the common prefix only
        keep = set()
        for a, b in zip(old_order, new_order):
            if a != b:
                break
            keep.add(a)
        return keep
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if old_order[i] == new_order[j] else max(table[i + 1][j], table[i][j + 1])
    keep, i, j = set(), 0, 0
    while i < n and j < m:
        if old_order[i] == new_order[j]:
            keep.add(old_order[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


_INIT_SKIP = {"name", "phases", "milestones", "children", "uid"}
_PILLAR_SKIP = {"name", "initiatives", "uid"}
_PLAN_SKIP = {"pillars", "uid"}


def _fields(obj: Any, skip: set[str]) -> Iterator[str]:
    for f in dataclasses.fields(obj):
        if f.name not in skip:
            yield f.name


def _children_lists(obj: Any) -> list[tuple[str, list]]:
    if isinstance(obj, Plan):
        return [("pillar", obj.pillars)]
    if isinstance(obj, Pillar):
        return [("initiative", obj.initiatives)]
    if isinstance(obj, Initiative):
        return [("phase", obj.phases), ("milestone", obj.milestones), ("initiative", obj.children)]
    return []


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    """What changed from ``old`` to ``new``: a list of :class:`Change` in the new plan's order.

    Removals come first, then the changes to each item in the new plan's order.
    """
    match = _Matching(old, new)
    out: list[Change] = []
    new_key = match.new_key
    matched_old = {id(v[0]) for v in match.old_of.values()}

    # removals: old items with no counterpart; what is inside a removed item goes with it, except the
    # kept items inside, which are reported as moved (and are taken out before the removal)
    removed_keys: set[str] = set()
    for o in match.old_nodes:
        if id(o) in matched_old:
            continue
        removed_keys.add(o.key)
        if o.owner and o.owner in removed_keys:
            continue
        out.append(Change(f"{o.kind}.removed", o.kind, o.key, o.path, old=o.obj, old_owner=o.owner or None,
                          order=o.order))

    for field_name in _fields(new, _PLAN_SKIP):
        a, b = getattr(old, field_name), getattr(new, field_name)
        if a != b:
            out.append(Change("plan.field", "plan", "plan", (), field_name, copy.deepcopy(a), copy.deepcopy(b)))

    def walk(owner_new: Any, owner_key: str, owner_old: Any | None) -> None:
        """Changes inside ``owner_new``; ``owner_old`` is its old self (``None`` when it was added)."""
        for kind, siblings in _children_lists(owner_new):
            keys = [new_key[id(x)] for x in siblings]
            # the old order of the matched items that were already here
            old_list = _list_of(owner_old, kind) if owner_old is not None else []
            old_keys = [match.old_by_obj[id(x)].key for x in old_list]
            stayed = [k for k in keys if k in set(old_keys)]
            keep = _lcs_keep([k for k in old_keys if k in set(stayed)], stayed)
            for k, obj in enumerate(siblings):
                node = match.new_by_obj[id(obj)]
                hit = match.old_of.get(id(node))
                key = keys[k]
                anchors = tuple(reversed(keys[:k]))
                if hit is None:
                    if owner_old is not None:  # inside an added item, it came with that item's payload
                        payload, payload_keys = _payload(obj, match)
                        out.append(Change(f"{kind}.added", kind, key, node.path, new=payload, owner=owner_key or None,
                                          anchors=anchors, new_path=node.path, order=node.order, keys=payload_keys))
                    if kind in ("pillar", "initiative"):
                        walk(obj, key, None)  # kept items moved into it
                    continue
                o, how = hit
                if key not in keep:
                    code = f"{kind}.moved" if kind in ("pillar", "initiative") else f"{kind}.reordered"
                    out.append(Change(code, kind, key, o.path, old=(o.owner, o.index), new=(owner_key, k),
                                      owner=owner_key or None, old_owner=o.owner or None, anchors=anchors,
                                      new_path=node.path, matched=how, order=node.order))
                out.extend(_item_changes(o, node, how))
                if kind in ("pillar", "initiative"):
                    walk(obj, key, o.obj)

    walk(new, "", old)
    return out


def _list_of(owner: Any, kind: str) -> list:
    for k, items in _children_lists(owner):
        if k == kind:
            return items
    return []


def _payload(obj: Any, match: _Matching) -> tuple[Any, tuple[str, ...]]:
    """A copy of an added item without the kept items inside it (they arrive by their own moves)."""
    dup = copy.copy(obj)
    keys = [match.new_key[id(obj)]]
    if isinstance(obj, Pillar):
        dup.initiatives = []
        for child in obj.initiatives:
            if match.old_of.get(id(match.new_by_obj[id(child)])) is None:
                sub, sub_keys = _payload(child, match)
                dup.initiatives.append(sub)
                keys.extend(sub_keys)
    elif isinstance(obj, Initiative):
        dup.departments = list(obj.departments)
        dup.priority_items = list(obj.priority_items)
        dup.phases = [copy.deepcopy(p) for p in obj.phases]
        dup.milestones = [copy.deepcopy(m) for m in obj.milestones]
        keys.extend(match.new_key[id(p)] for p in obj.phases)
        keys.extend(match.new_key[id(m)] for m in obj.milestones)
        dup.children = []
        for child in obj.children:
            if match.old_of.get(id(match.new_by_obj[id(child)])) is None:
                sub, sub_keys = _payload(child, match)
                dup.children.append(sub)
                keys.extend(sub_keys)
        for f in dataclasses.fields(obj):
            if f.name not in ("phases", "milestones", "children", "departments", "priority_items"):
                setattr(dup, f.name, copy.deepcopy(getattr(obj, f.name)))
    else:
        dup = copy.deepcopy(obj)
    return dup, tuple(keys)


def _item_changes(o: _Node, n: _Node, how: str) -> list[Change]:
    """Field changes of one matched item."""
    a, b, kind = o.obj, n.obj, o.kind
    out: list[Change] = []

    def add(code: str, field_name: str | None, old: Any, new: Any) -> None:
        out.append(Change(code, kind, o.key, o.path, field_name, copy.deepcopy(old), copy.deepcopy(new),
                          owner=o.owner or None, new_path=n.path, matched=how, order=n.order))

    if kind in ("pillar", "initiative"):
        if a.name != b.name:
            add(f"{kind}.renamed", "name", a.name, b.name)
        for f in _fields(a, _INIT_SKIP if kind == "initiative" else _PILLAR_SKIP):
            if getattr(a, f) != getattr(b, f):
                add(f"{kind}.field", f, getattr(a, f), getattr(b, f))
    elif kind == "phase":
        if (a.start, a.end) != (b.start, b.end):
            moved = b.start - a.start == b.end - a.end
            add("phase.moved" if moved else "phase.resized", "span", (a.start, a.end), (b.start, b.end))
        if a.label != b.label:
            add("phase.relabelled", "label", a.label, b.label)
        for f in _fields(a, {"start", "end", "label", "uid"}):
            if getattr(a, f) != getattr(b, f):
                add("phase.field", f, getattr(a, f), getattr(b, f))
    else:
        if a.month != b.month:
            add("milestone.moved", "month", a.month, b.month)
        if a.label != b.label:
            add("milestone.relabelled", "label", a.label, b.label)
        for f in _fields(a, {"month", "label", "uid"}):
            if getattr(a, f) != getattr(b, f):
                add("milestone.field", f, getattr(a, f), getattr(b, f))
    return out

