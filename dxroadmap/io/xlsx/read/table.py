"""Reading a roadmap table: one row (or a merged group of rows) per initiative.

Given the header row, the time axis (or none, for a list of initiatives) and the role
of each label column, :class:`TableReader` walks the data rows and decides, row by row,
whether a row is a pillar (section row, pillar column, or the sheet itself), an
initiative, a sub-action (ア./イ. names, indented rows without a number), a legend, a
note, or a row it cannot place — and says why. Bars come from cells
(:mod:`.cell_marks`) and from shapes (:mod:`.shape_marks`); headings are read by :mod:`.headings`,
dates and periods by :mod:`.dates`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from dxroadmap.io.xlsx.read.axis import Axis, TimeCol
from dxroadmap.io.xlsx.read.cell_marks import row_marks
from dxroadmap.io.xlsx.read.dates import month_of_value, period_of_text
from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.io.xlsx.read.headings import heading_role, is_heading_word
from dxroadmap.io.xlsx.read.results import RowDecision
from dxroadmap.io.xlsx.read.shape_marks import interpret_shapes
from dxroadmap.io.xlsx.read.words import (
    clean_name,
    enumerator_of,
    is_enumerator,
    is_katakana_item,
    is_legend,
    is_note,
    milestone_label,
    norm,
    split_departments,
    strip_arrows,
    strip_enumerator,
)
from dxroadmap.model.fiscal import fiscal_year_of, fy_last_month
from dxroadmap.model.plan import PRIORITY_ITEMS, Initiative, Milestone, Phase, guess_kind

__all__ = ["TableReader", "TableResult"]


@dataclass
class TableResult:
    entries: list[tuple[str, Initiative]] = field(default_factory=list)  # (pillar name, top-level initiative)
    decisions: list[RowDecision] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    phases_from: set[str] = field(default_factory=set)  # "fill", "merge", "text", "shape", "dates", "period"
    open_ended: list[Phase] = field(default_factory=list)  # run to the end of the plan period
    count: int = 0


_PILLAR_PREFIX = re.compile(r"^(?:基本方針|基本目標|基本施策|施策の柱|重点分野|重点目標|取組分野|分野|方針|目標|柱|視点)\s*"
                            r"[0-9０-９一二三四五六七八九十ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,3}\s*[:：.．、)）\s　]\s*(?=\S)")

_kind = functools.lru_cache(maxsize=4096)(guess_kind)

_PLAN_ACTUAL = {"予定", "実績", "計画", "見込", "見込み", "予定/実績", "実績値", "予実", "計画/実績"}
_STAGE_WORDS = {"段階", "工程", "フェーズ", "ステップ", "phase", "step", "stage", "実施段階", "工程・段階"}
# roles a row may fill in without naming a new initiative (its next phase, on the row below)
_CONTINUATION_ROLES = {"stage", "start", "end", "period", "departments", "notes", "kubun"}


def _merge_rounded(phases: list[Phase]) -> list[Phase]:
    """Day or week bars rounded to months: those that touch or overlap become one month-based bar.

    The label is the first real word among them (bare numbers such as head counts are not labels).
    """
    out: list[Phase] = []
    for p in sorted(phases, key=lambda p: (p.start, p.end)):
        label = p.label if p.label and not re.fullmatch(r"[0-9０-９.,]+", p.label) else None
        last = out[-1] if out else None
        if last is not None and p.start <= last.end + 1:
            last.end = max(last.end, p.end)
            if last.label is None and label:
                last.label, last.kind = label, guess_kind(label)
        else:
            out.append(Phase(p.start, p.end, label, guess_kind(label), p.color))
    return out


@dataclass
class _Walk:
    """What reading the rows of a table carries from one row to the next."""

    pillar: str | None
    numbered_rows: int                     # rows with a number in the number column
    current: Initiative | None = None      # the initiative the previous row belonged to
    current_row_end: int = -1
    top: Initiative | None = None          # last top-level initiative in this pillar
    top_indent: float = 0.0
    top_has_no: bool = False
    by_origin: dict[tuple[int, int], Initiative] = field(default_factory=dict)
    outline: list[tuple[int, Initiative]] = field(default_factory=list)  # (level, initiative) of the open outline
    legend_mode: bool = False
    prev_row: int | None = None


@dataclass
class _RowMarks:
    """Bars and milestones drawn as shapes by row, cells whose text labels them, and column shading."""

    bars_by_row: dict[int, list]
    marks_by_row: dict[int, list]
    consumed: set
    shading: set


class TableReader:
    """Reads the rows of one table on one sheet."""

    def __init__(self, grid: SheetGrid, axis: Axis | None, header_rows: list[int], roles: dict[int, str],
                 data_start: int, data_end: int, shapes: list[Any] | None = None, sheet_pillar: str | None = None,
                 label_area_end: int | None = None, adjust_roles: bool = True) -> None:
        self.grid = grid
        self.axis = axis
        self.cols: list[TimeCol] = axis.cols if axis else []
        self.time_set = {t.col for t in self.cols}
        self.header_rows = header_rows
        self.roles = roles
        self.data_start = data_start
        self.data_end = data_end
        self.shapes = shapes or []
        self.sheet_pillar = sheet_pillar
        if adjust_roles:
            self._adjust_roles()
        self.role_cols = {role: [c for c, r in roles.items() if r == role] for role in set(roles.values())}
        self.name_col = self._name_col()
        self.name_cols = self._outline_columns()
        self.wbs = self._wbs_numbers()
        first_time = self.cols[0].col if self.cols else (grid.max_col + 1)
        self.first_time = first_time
        self.label_area_end = label_area_end or first_time - 1
        self.open_ended: list[Phase] = []  # phases written as 令和6年度～ (to the end of the plan)
        self._dated_source = "dates"

    # ---------------------------------------------------------------- columns

    def _column_values(self, c: int) -> list[tuple[int, str]]:
        g = self.grid
        out = []
        for r in range(self.data_start, min(self.data_end, self.data_start + 400) + 1):
            origin = g.origin(r, c)
            t = as_text(g.values.get(origin))
            if t:
                out.append((origin[0], t))
        return out

    def _adjust_roles(self) -> None:
        """Two initiative-like columns (施策 | 取組): the coarser one is the pillar. An unnamed column
        left of the names whose cells are merged down over several initiatives is the pillar too."""
        roles = self.roles
        self._mark_special_columns()
        if "pillar" in roles.values():
            return
        g = self.grid
        heads = {c: [as_text(g.value(r, c)) for r in self.header_rows] for c in roles}
        names = sorted(c for c, ro in roles.items() if ro == "name" or
                       (ro == "summary" and any(heading_role(h) == "name" for h in heads[c] if h)))
        if len(names) >= 2:
            first, second = names[0], names[1]
            a, b = self._column_values(first), self._column_values(second)
            distinct_a = {t for _, t in a}
            distinct_b = {t for _, t in b}
            rows_a = {r for r, _ in a}
            repeated = len(rows_a) < len({r for r, _ in b}) or len(a) > len(distinct_a)
            if distinct_a and len(distinct_b) > len(distinct_a) and repeated:
                roles[first] = "pillar"
                roles[second] = "name"
                return
        name = next((c for c, ro in roles.items() if ro == "name"), None)
        if name is None:
            return
        for c in range(1, name):
            if c in roles or c in self.time_set:
                continue
            merged = [m for m in g.merges if m.min_col == c and m.max_col >= c and m.height >= 2
                      and self.data_start <= m.min_row <= self.data_end and (m.min_row, m.min_col) in g.values
                      and not is_enumerator(as_text(g.values[(m.min_row, m.min_col)]))]
            if len(merged) >= 1 and sum(m.height for m in merged) >= 3:
                roles[c] = "pillar"
                return

    def _mark_special_columns(self) -> None:
        """Columns that are neither names nor pillars though their headings may say so:

        - ``kubun``: a 区分 column holding only 予定/実績 (a 進捗管理表's row pairs);
        - ``stage``: a 段階/工程/フェーズ column beside the names (the label of each phase row);
        - ``sub``: a column right of the names whose items are enumerated (ア./①/・), the 取組
          merged down over them — sub-actions in their own column.
        """
        g, roles = self.grid, self.roles
        last_label = (min(self.time_set) - 1) if self.time_set else g.max_col
        heads = {c: " ".join(norm(as_text(g.value(r, c))) for r in self.header_rows) for c in range(1, last_label + 1)}
        values = {c: self._column_values(c) for c in range(1, last_label + 1)}
        for c, vals in values.items():
            texts = [norm(t) for r, t in vals if g.origin(r, c)[1] == c]  # section rows merged across do not count
            marks = [t for t in texts if t in _PLAN_ACTUAL]
            if len(marks) >= 2 and len(marks) >= 0.8 * len(texts) and any("実績" in t for t in marks):
                roles[c] = "kubun"
        for c, h in heads.items():
            if h not in _STAGE_WORDS or roles.get(c) not in (None, "name", "summary", "pillar"):
                continue
            named = [cc for cc in range(1, c) if heading_role(heads.get(cc, "")) == "name" and cc != c]
            if named:  # 取組 | 工程: the 工程 column labels the phases of the 取組 on its left
                roles[c] = "stage"
                roles[named[-1]] = "name"
        names = sorted(c for c, ro in roles.items() if ro == "name")
        if not names:
            return
        first = names[0]
        merged_names = sum(1 for m in g.merges if m.min_col == first and m.height >= 2
                           and self.data_start <= m.min_row <= self.data_end)
        for c in range(first + 1, last_label + 1):
            if roles.get(c) not in (None, "name", "summary"):
                continue
            texts = [t for _r, t in values.get(c, [])]
            marked = sum(1 for t in texts if enumerator_of(t) and not is_enumerator(t))
            if merged_names and len(texts) >= 2 and marked >= max(2, 0.6 * len(texts)):
                roles[c] = "sub"
                break

    def _col(self, role: str) -> int | None:
        cols = self.role_cols.get(role)
        return cols[0] if cols else None

    def _name_col(self) -> int | None:
        c = self._col("name")
        if c is not None:
            return c
        # no heading names the initiative column: the label column with the most text
        counts: dict[int, int] = {}
        for (r, cc), v in self.grid.values.items():
            if self.data_start <= r <= self.data_end and cc not in self.time_set and isinstance(v, str) \
                    and self.roles.get(cc) in (None,) and len(v.strip()) > 1 and not is_enumerator(v):
                counts[cc] = counts.get(cc, 0) + 1
        if not counts:
            return None
        c = max(counts, key=lambda k: (counts[k], -k))
        self.roles[c] = "name"
        self.role_cols["name"] = [c]
        return c

    def _outline_columns(self) -> list[int]:
        """The columns a name heading is merged across (作業内容 over A:C): names written one column
        further right are one level deeper. When the first of them holds only numbers (1, 1.1, 2.2.1)
        it is the number column and the names are in the next one."""
        c = self.name_col
        if c is None:
            return []
        g = self.grid
        span = None
        for r in self.header_rows:
            m = g.merge_at(r, c)
            if m is not None and m.min_col == c and m.max_col > c:
                span = m
                break
        if span is None:
            return [c]
        cols = [c]
        for cc in range(c + 1, span.max_col + 1):
            if cc in self.time_set or cc in g.hidden_cols or (cc in self.roles and self.roles[cc] != "name"):
                break
            cols.append(cc)
        values = {cc: [t for _r, t in self._column_values(cc)] for cc in cols}
        if len(cols) >= 2 and values[cols[0]] and all(is_enumerator(t) for t in values[cols[0]]) \
                and any(not is_enumerator(t) for cc in cols[1:] for t in values[cc]):
            if "no" not in self.roles.values():
                self.roles[cols[0]] = "no"
                self.role_cols["no"] = [cols[0]]
            cols = cols[1:]
            self.roles[cols[0]] = "name"
            self.role_cols["name"] = [cols[0]]
            self.name_col = cols[0]
        return cols

    def _label_marks(self, marks: list, consumed: set) -> None:
        """A milestone shape with no words of its own takes the plain text in its cell, or in the cell
        above it when that row belongs to the same initiative (a name merged over both rows)."""
        g = self.grid
        for m in marks:
            if m.label:
                continue
            col = self.cols[m.index].col
            for rr in (m.row, m.row - 1):
                if rr < self.data_start or (rr != m.row and (self.name_col is None or
                                                             g.origin(rr, self.name_col) != g.origin(m.row, self.name_col))):
                    break
                origin = g.origin(rr, col)
                t = as_text(g.values.get(origin))
                if t and origin not in consumed and g.fills.get(origin) is None and strip_arrows(t) == t \
                        and milestone_label(t) is None:
                    m.label = t
                    consumed.add(origin)
                    break

    def _wbs_numbers(self) -> bool:
        """True when the number column holds outline numbers (1, 1.1, 2.2.1): their depth is the level."""
        c = self._col("no")
        if c is None:
            return False
        values = [t.strip() for _r, t in self._column_values(c)]
        return any(re.fullmatch(r"\d+(?:\.\d+)+", t) for t in values) and \
            all(re.fullmatch(r"\d+(?:\.\d+)*\.?", t) for t in values)

    def _name_origin(self, r: int) -> tuple[tuple[int, int], int]:
        """The cell holding row ``r``'s name and its outline level (0 unless names are written in
        deeper columns, see :meth:`_outline_columns`)."""
        g = self.grid
        first = g.origin(r, self.name_col)
        if len(self.name_cols) > 1 and not as_text(g.values.get(first)):
            for level, c in enumerate(self.name_cols[1:], 1):
                origin = g.origin(r, c)
                if origin[0] == r and as_text(g.values.get(origin)):
                    return origin, level
        return first, 0

    def _text(self, r: int, role: str) -> str:
        c = self._col(role)
        return self.grid.text(r, c) if c is not None else ""

    # ---------------------------------------------------------------- rows

    def read(self) -> TableResult:
        """Every data row decided: initiatives (with their bars, milestones and children), pillars, notes…"""
        out = TableResult()
        if self.name_col is None:
            return out
        bars_by_row, marks_by_row, consumed = self._shape_rows(out)
        rows = sorted({r for r in self.grid.rows_with_content if self.data_start <= r <= self.data_end}
                      | set(bars_by_row) | set(marks_by_row))
        shading = self._column_shading(rows)
        if shading:
            out.warnings.append(f"{self.grid.title}: columns shaded from top to bottom (weekends, holidays) were taken as "
                                f"background, not bars.")
        no_col = self._col("no")
        walk = _Walk(pillar=self.sheet_pillar,
                     numbered_rows=sum(1 for r in rows if no_col is not None and self.grid.text(r, no_col)))
        for r in rows:
            self._read_row(r, walk, out, _RowMarks(bars_by_row, marks_by_row, consumed, shading))
        out.open_ended = self.open_ended
        if self.axis is not None and self.axis.rounded:
            for _p, top_init in out.entries:
                for i in top_init.walk():
                    i.phases = _merge_rounded(i.phases)
        return out

    def _shape_rows(self, out: TableResult) -> tuple[dict[int, list], dict[int, list], set]:
        """Bars and milestones drawn as shapes, by row, and the cells whose text labels them."""
        g = self.grid
        shape_bars, shape_marks, odd = ([], [], [])
        if self.shapes and self.cols:
            shape_bars, shape_marks, odd = interpret_shapes(self.shapes, self.cols, g, (self.data_start, self.data_end))
            if odd:
                kinds = ", ".join(sorted(set(odd)))
                out.warnings.append(f"{g.title}: shapes that are neither bars nor milestones were ignored ({kinds}).")
        bars_by_row: dict[int, list] = {}
        for b in shape_bars:
            bars_by_row.setdefault(b.row, []).append(b)
        marks_by_row: dict[int, list] = {}
        for m in shape_marks:
            marks_by_row.setdefault(m.row, []).append(m)
        consumed = {b.label_cell for b in shape_bars if b.label_cell}
        self._label_marks(shape_marks, consumed)
        return bars_by_row, marks_by_row, consumed

    def _read_row(self, r: int, walk: _Walk, out: TableResult, marks: _RowMarks) -> None:
        """Decide one row: legend, note, pillar, section, more bars of the initiative above, or a new initiative."""
        g = self.grid
        if walk.prev_row is not None and r > walk.prev_row + 1:
            walk.legend_mode = False
        walk.prev_row = r
        texts = [(c, t) for c in g.row_cells(r) if (t := as_text(g.values[(r, c)]))]
        name_origin, level = self._name_origin(r)
        name_raw = as_text(g.values.get(name_origin))
        continuing = name_origin[0] < r and name_origin in walk.by_origin
        if self._legend_or_note(r, walk, out, texts, name_origin, name_raw, continuing):
            return
        if self._pillar_row(r, walk, out, texts, name_origin, continuing, marks):
            return
        phases, milestones = self._row_timeline(r, out, marks)
        if not phases:
            dated = self._dated_phase(r)
            if dated is not None:
                phases = [dated]
                out.phases_from.add(self._dated_source)
        if continuing and "実績" in self._text(r, "kubun"):
            what = f"{len(phases)} bar(s)" if phases else "no bars"
            out.decisions.append(RowDecision(g.title, r, "ignored", f"a 実績 (actual progress) row of the initiative above "
                                                                  f"({what}): actual progress is not a phase"))
            if phases:
                out.warnings.append(f"{g.title} row {r}: 実績 (actual progress) bars were not imported as phases "
                                    f"(実績の行は工程として取り込んでいません).")
            return
        if self._sub_action_row(r, walk, out, name_origin, name_raw, level, continuing, phases, milestones):
            return
        if continuing:
            init = walk.by_origin[name_origin]
            init.phases.extend(phases)
            init.milestones.extend(milestones)
            walk.current, walk.current_row_end = init, r
            out.decisions.append(RowDecision(g.title, r, "initiative",
                                             f"second row of “{init.name}” (its name cell is merged from row {name_origin[0]})"))
            return
        name = clean_name(name_raw) if name_origin[0] == r else ""
        if name and r <= self.data_start + 2 and is_heading_word(name) == "name" and not out.entries:
            out.decisions.append(RowDecision(g.title, r, "header", f"column headings (“{name}”)"))
            return
        if not name:
            self._nameless_row(r, walk, out, texts, phases, milestones, marks.consumed)
            return
        init = self._new_initiative(r, name, name_raw)
        init.phases = phases
        init.milestones = milestones
        walk.by_origin[name_origin] = init
        self._place(r, init, name, name_raw, name_origin, level, walk, out)

    def _sub_action_row(self, r: int, walk: _Walk, out: TableResult, name_origin: tuple[int, int], name_raw: str,
                        level: int, continuing: bool, phases: list[Phase], milestones: list[Milestone]) -> bool:
        """A row whose sub-action is written in its own column, under the 取組 merged down beside it."""
        c = self._col("sub")
        if c is None:
            return False
        g = self.grid
        origin = g.origin(r, c)
        sub_raw = as_text(g.values.get(origin)) if origin[0] == r else ""
        sub = clean_name(sub_raw)
        if not sub:
            return False
        parent = walk.by_origin.get(name_origin) if continuing else None
        name = clean_name(name_raw)
        if parent is None and name_origin[0] == r and name:
            parent = self._new_initiative(r, name, name_raw)
            walk.by_origin[name_origin] = parent
            self._place(r, parent, name, name_raw, name_origin, level, walk, out)
        if parent is None:
            return False
        child = Initiative(name=sub, phases=list(phases), milestones=list(milestones))
        parent.children.append(child)
        out.count += 1
        out.decisions.append(RowDecision(g.title, r, "child", f"sub-action “{sub}” in its own column under “{parent.name}”"))
        walk.current, walk.current_row_end = child, r
        return True

    def _legend_or_note(self, r: int, walk: _Walk, out: TableResult, texts: list[tuple[int, str]],
                        name_origin: tuple[int, int], name_raw: str, continuing: bool) -> bool:
        """True (and the row decided) when row ``r`` is a 凡例 heading, part of a legend block, or a note."""
        g = self.grid
        if any("凡例" in t and is_legend(t) for _, t in texts):
            walk.legend_mode = True
            out.decisions.append(RowDecision(g.title, r, "legend", "a 凡例 (legend) heading"))
            return True
        if walk.legend_mode and not (name_raw and name_origin[0] == r and not continuing and r > 0 and
                                     self._looks_like_initiative(r)):
            out.decisions.append(RowDecision(g.title, r, "legend", "part of the legend block"))
            return True
        first_text = texts[0][1] if texts else ""
        if first_text and is_note(first_text) and not continuing:
            out.decisions.append(RowDecision(g.title, r, "note", f"a note line ({first_text[:20]}…)"))
            return True
        return False

    def _pillar_row(self, r: int, walk: _Walk, out: TableResult, texts: list[tuple[int, str]],
                    name_origin: tuple[int, int], continuing: bool, marks: _RowMarks) -> bool:
        """Follow the pillar column; True (and the row decided) when row ``r`` is a section or pillar-only row."""
        g = self.grid
        pillar_col = self._col("pillar")
        if pillar_col is not None:
            ptext = g.text(r, pillar_col)
            if ptext:
                new_pillar = clean_name(ptext) or ptext
                if new_pillar != walk.pillar:
                    walk.pillar = new_pillar
                    walk.top = None
        section = self._section_text(r, texts, name_origin, continuing, pillar_col)
        if section is not None:
            walk.pillar = section
            walk.top = None
            walk.current = None
            out.decisions.append(RowDecision(g.title, r, "pillar", f"section row “{section}”"))
            return True
        if pillar_col is not None and texts and all(c == pillar_col or g.origin(r, c)[1] == pillar_col for c, _ in texts) \
                and not self._has_time_content(r, marks.bars_by_row, marks.marks_by_row):
            out.decisions.append(RowDecision(g.title, r, "pillar", "pillar column only"))
            return True
        return False

    def _row_timeline(self, r: int, out: TableResult, marks: _RowMarks) -> tuple[list[Phase], list[Milestone]]:
        """The bars and milestones of row ``r``, from its cells and from shapes."""
        cbars, cmarks = (row_marks(self.grid, r, self.cols, marks.shading) if self.cols else ([], []))
        if marks.consumed:
            cbars = [b for b in cbars if not (b.source == "text" and (r, self.cols[b.first].col) in marks.consumed)]
        phases = [Phase(self.cols[b.first].start, self.cols[b.last].end, b.label, _kind(b.label), b.color)
                  for b in cbars]
        phases += [Phase(self.cols[b.first].start, self.cols[b.last].end, b.label, _kind(b.label), b.color)
                   for b in marks.bars_by_row.get(r, [])]
        milestones = [Milestone(self.cols[m.index].start, m.label) for m in cmarks]
        milestones += [Milestone(self.cols[m.index].start, m.label) for m in marks.marks_by_row.get(r, [])]
        if cbars:
            out.phases_from.update(b.source for b in cbars)
        if marks.bars_by_row.get(r):
            out.phases_from.add("shape")
        return phases, milestones

    def _nameless_row(self, r: int, walk: _Walk, out: TableResult, texts: list[tuple[int, str]],
                      phases: list[Phase], milestones: list[Milestone], consumed: set) -> None:
        """A row without a name: connector labels, more bars of the initiative above, or unplaced."""
        g = self.grid
        if texts and not phases and not milestones and all((r, c) in consumed for c, _ in texts):
            out.decisions.append(RowDecision(g.title, r, "ignored", "labels of the connector lines below"))
            return
        current = walk.current
        if (phases or milestones) and current is not None and walk.current_row_end == r - 1 \
                and all(c >= self.first_time or self.roles.get(g.origin(r, c)[1]) in _CONTINUATION_ROLES for c, _ in texts):
            current.phases.extend(phases)
            current.milestones.extend(milestones)
            walk.current_row_end = r
            out.decisions.append(RowDecision(g.title, r, "initiative", f"more bars of “{current.name}” on the row below it"))
            return
        if texts or phases or milestones:
            what = "; ".join(t for _, t in texts)[:40] or ("bars" if phases else "milestones")
            out.decisions.append(RowDecision(g.title, r, "unplaced", f"no initiative name in this row ({what})"))
            if phases or milestones or any(c in self.time_set for c, _ in texts):
                out.warnings.append(f"{g.title} row {r}: bars or text without an initiative name were not imported.")
        walk.current = None

    def _new_initiative(self, r: int, name: str, name_raw: str) -> Initiative:
        """The initiative named on row ``r`` with its label columns (departments, summary, KPI, priority…)."""
        init = Initiative(name=name)
        init.departments = split_departments(self._text(r, "departments"))
        init.summary = self._text(r, "summary")
        init.kpi = self._text(r, "kpi")
        init.status = self._text(r, "status")
        init.notes = self._text(r, "notes")
        prio = self._text(r, "priority")
        if prio:
            init.priority_items = [p for p in PRIORITY_ITEMS if norm(p) in norm(prio)]
            if not init.priority_items and prio not in ("○", "〇", "◯", "●", "✓", "✔", "レ"):
                init.notes = (init.notes + "\n" if init.notes else "") + f"重点: {prio}"
            elif not init.priority_items:
                init.notes = (init.notes + "\n" if init.notes else "") + "重点取組"
        if "【重点" in name_raw and not init.priority_items:
            init.notes = (init.notes + "\n" if init.notes else "") + "重点取組"
        return init

    def _place(self, r: int, init: Initiative, name: str, name_raw: str, name_origin: tuple[int, int], level: int,
               walk: _Walk, out: TableResult) -> None:
        """Put a new initiative under its parent (outline level, ア./イ. item, unnumbered or indented row) or at the top."""
        g = self.grid
        no_col = self._col("no")
        indent = g.indents.get(name_origin, 0.0)
        no_text = g.text(r, no_col) if no_col is not None else ""
        top = walk.top
        is_child = False
        reason = ""
        parent = top
        if self.wbs and re.fullmatch(r"\d+(?:\.\d+)*\.?", no_text.strip()):
            level = no_text.strip().rstrip(".").count(".")
        outlined = len(self.name_cols) > 1 or self.wbs
        outline = walk.outline
        if outlined:
            while outline and outline[-1][0] >= level:
                outline.pop()
            if outline and top is not None:
                parent = outline[-1][1]
                is_child, reason = True, f"outline level {level + 1} under “{parent.name}”"
        elif top is not None:
            if is_katakana_item(name_raw):
                is_child, reason = True, f"an ア./イ. item under “{top.name}”"
            elif no_col is not None and not no_text and walk.top_has_no and walk.numbered_rows >= 2:
                is_child, reason = True, f"no number, under numbered “{top.name}”"
            elif indent > walk.top_indent:
                is_child, reason = True, f"indented under “{top.name}”"
        if outlined:
            outline.append((level, init))
        if is_child and parent is not None:
            init.departments = init.departments if self._dept_own(r) else []
            parent.children.append(init)
            out.decisions.append(RowDecision(g.title, r, "child", reason))
        else:
            pillar = walk.pillar
            out.entries.append((pillar or self.sheet_pillar or g.title, init))
            walk.top, walk.top_indent, walk.top_has_no = init, indent, bool(no_text)
            why = f"initiative “{name}”" + (f" in pillar “{pillar}”" if pillar else "")
            out.decisions.append(RowDecision(g.title, r, "initiative", why))
        out.count += 1
        merge = g.merge_at(*name_origin)
        walk.current, walk.current_row_end = init, max(r, merge.max_row if merge else r)

    def _dated_phase(self, r: int) -> Phase | None:
        """A phase from start/end date columns (開始日 | 終了日), or a 実施時期 text (令和6年度～令和8年度)."""
        pc = self._col("period")
        if pc is not None:
            span = period_of_text(self.grid.text(r, pc))
            if span is not None:
                a, b = span
                open_end = b is None
                if open_end:  # 令和6年度～ / 令和6年度以降: runs to the end of the plan (set when assembling)
                    b = fy_last_month(fiscal_year_of(a))
                self._dated_source = "period"
                stage = self._text(r, "stage") or None
                phase = Phase(a, b, stage, guess_kind(stage))
                if open_end:
                    self.open_ended.append(phase)
                return phase
        sc, ec = self._col("start"), self._col("end")
        if sc is None or ec is None:
            return None
        a, b = month_of_value(self.grid.value(r, sc)), month_of_value(self.grid.value(r, ec), end=True)
        if a is None or b is None or b < a or b - a > 1200:
            return None
        self._dated_source = "dates"
        stage = self._text(r, "stage") or None
        return Phase(a, b, stage, guess_kind(stage))

    def _column_shading(self, rows: list[int]) -> set:
        """(column, fill) pairs that shade whole columns — weekends, holidays — rather than draw bars.

        A time column whose header cell carries a fill the other header cells do not, and whose
        data cells repeat it, is shading; on day and week axes so is a fill found in nearly
        every data row of a column.
        """
        g = self.grid
        if not self.cols:
            return set()
        out: set = set()
        heads = {}
        for hr in self.header_rows:
            for t in self.cols:
                f = g.fills.get((hr, t.col))
                if f is not None:
                    heads.setdefault(t.col, f)
        distinct = set(heads.values())
        if heads and (len(heads) < len(self.cols) or len(distinct) > 1):
            out.update(heads.items())
        if self.axis is not None and self.axis.rounded and len(rows) >= 5:
            counts: dict = {}
            time_set = self.time_set
            row_set = set(rows)
            for (r, c), f in g.fills.items():
                if c in time_set and r in row_set:
                    counts[(c, f)] = counts.get((c, f), 0) + 1
            out.update(k for k, n in counts.items() if n >= 0.8 * len(rows))
        return out

    def _dept_own(self, r: int) -> bool:
        c = self._col("departments")
        if c is None:
            return False
        origin = self.grid.origin(r, c)
        return origin[0] == r and bool(as_text(self.grid.values.get(origin)))

    def _has_time_content(self, r: int, bars_by_row, marks_by_row) -> bool:
        g = self.grid
        if r in bars_by_row or r in marks_by_row:
            return True
        return any(c in self.time_set for c in g.row_cells(r)) or any(c in self.time_set for c in g.row_fills(r))

    def _looks_like_initiative(self, r: int) -> bool:
        # under a legend, a row is an initiative again only if it has a department or summary too
        return bool(self._text(r, "departments") or self._text(r, "summary"))

    def _section_text(self, r: int, texts: list[tuple[int, str]], name_origin, continuing: bool,
                      pillar_col: int | None) -> str | None:
        """The pillar name when row ``r`` is a section row, else ``None``."""
        if continuing or len(texts) != 1:
            return None
        c, t = texts[0]
        if c in self.time_set or c > self.label_area_end:
            return None
        if pillar_col is not None and (c == pillar_col):
            return None
        g = self.grid
        m = g.merge_at(r, c)
        wide = m is not None and m.min_row == r and m.max_col > max(c, self.name_col or c) and m.max_col >= self.label_area_end
        spans_time = m is not None and m.max_col >= self.first_time
        filled = g.fills.get((r, c)) is not None
        enum = enumerator_of(t)
        has_other = any(self._text(r, role) for role in ("departments", "summary")) if not m else False
        if has_other:
            return None
        # bars in the time area (other than the section's own merge) make it an initiative
        if not spans_time and any(cc in self.time_set for cc in g.row_fills(r)):
            return None
        if wide or spans_time or (filled and c <= (self.name_col or c)) or \
                (enum and not is_enumerator(t) and enum[0] in "（(第■□●◆【[" and pillar_col is None):
            t1 = t.replace("\n", "")
            t1 = re.sub(r"^[【\[［][^】\]］]*[】\]］]\s*(?=\S)", "", t1)
            name = strip_enumerator(t1).strip("【】[]［］〔〕《》〈〉■□●◆ 　")
            # 基本方針Ⅰ　行政サービスの… / 基本目標２：… — the numbered heading word is not the name
            name = _PILLAR_PREFIX.sub("", name, count=1).strip() or name
            return name or t
        return None
