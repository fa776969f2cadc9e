"""Writing a plan into a card layout: a block of rows per initiative, each with its own time strip.

A card (as :mod:`dxroadmap.io.xlsx.read.cards` reads it) is a title row, key/value rows
(概要, 担当, 目標 …), a schedule header (No | 主な取組 | years) and schedule rows: one per
sub-action (① name + bars) and rows without a sub-action name that hold the card's own
bars. :func:`write_cards` does for card sheets what the writer's ``run`` does for tables:

* a kept card: its title, departments, summary (and 目標 when the card has that row)
  rewritten in place in the cells' own styles; its own bars and each sub-action's
  repainted by :func:`~.paint.paint_slot` — a card's strip is just the sheet's encoding on
  the card's schedule rows, with the card's own time columns; more own rows are inserted
  when its bars need them;
* a new card: cloned from its neighbour card (title, key rows, schedule header, one
  schedule row per lane of its own bars and one per sub-action, and the blank rows
  between cards: row heights, styles and merges of the neighbour) and inserted after it
  (or before the pillar's first card); rows below move down with everything anchored to
  them, as the writer moves them for tables;
* a new sub-action: a schedule row cloned from a sibling's, inserted after the previous
  sibling; the sub-actions of a card whose list changed are numbered again (①②③ or
  1 2 3) when the sheet numbers them so;
* a removed card: its rows deleted, with the blank rows after it (before it, for the
  sheet's last card), and the cards below move up with everything anchored to them; a
  removed sub-action: its row deleted and the others numbered again. When deleting would
  break a merged range reaching out of the rows, the bars are shapes, or the card is its
  pillar's last one, the rows are blanked instead (values, styles and merges) and a
  sub-action's texts and time cells cleared, so nothing else moves.

What a card cannot show becomes an :class:`~.paint.Issue`: sub-actions of sub-actions,
a sub-action whose bars need more than its one row, departments or a summary on a
sub-action, departments or a summary for a card without that key row.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Protocol

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.read.axis import TimeCol, find_axes
from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.io.xlsx.read.headings import column_roles, key_role
from dxroadmap.io.xlsx.read.results import Detection
from dxroadmap.io.xlsx.read.words import norm
from dxroadmap.io.xlsx.read.workbook import WorkbookReader
from dxroadmap.io.xlsx.update.formulas import RowShift
from dxroadmap.io.xlsx.update.layout import SheetLayout, Slot
from dxroadmap.io.xlsx.update.paint import Issue, form_view, lanes_needed, paint_slot
from dxroadmap.io.xlsx.update.sheetxml import SheetXml, col_letter
from dxroadmap.model.plan import Initiative, Pillar

__all__ = ["write_cards"]

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_KEY_ROLES = ("summary", "departments", "kpi")
_CELL_REF = re.compile(r'\br="[A-Z]+\d+"')


class PlanItem(Protocol):
    """One initiative of a flattened plan (the writer's ``_Item``)."""

    pillar: Pillar
    init: Initiative
    depth: int
    parent: int | None


class UpdateJob(Protocol):
    """What :func:`write_cards` uses of the writer's update job."""

    det: Detection
    reader: WorkbookReader
    slots: list[Slot]
    old_items: list
    sheets: dict[str, SheetXml]
    layouts: dict[str, SheetLayout]
    issues: list[Issue]
    summary: list[str]
    edited: set[str]
    force: bool

    def _shift_outside(self, title: str, after: int, n: int) -> None: ...


@dataclass
class _Sub:
    """A sub-action's schedule row; ``alive`` is false once it is cleared."""

    row: int
    alive: bool = True


@dataclass
class _Card:
    """The rows of one card on ``sheet`` (all kept up to date when rows are inserted)."""

    sheet: str
    title: int
    title_col: int
    lay: SheetLayout
    key_rows: list[int] = field(default_factory=list)
    keys: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # role -> (row, label col, value col)
    header: list[int] = field(default_factory=list)
    own: list[int] = field(default_factory=list)
    subs: list[_Sub] = field(default_factory=list)
    last: int = 0
    gap: int | None = None  # blank rows before the next block; None for the sheet's last card
    no_col: int | None = None
    name_col: int | None = None
    renumber: bool = False
    removed: bool = False

    def schedule_source(self) -> int | None:
        rows = [s.row for s in self.subs] + self.own
        return rows[0] if rows else None


def write_cards(job: UpdateJob, new_items: list, pairs: dict[int, int], removed: list[int],
                added: list[int]) -> None:
    """Write ``new_items`` into the card sheets of ``job`` (pairs, removed and added as the writer found them)."""
    _CardWriter(job).run(new_items, dict(pairs), list(removed), list(added))


class _CardWriter:
    def __init__(self, job: UpdateJob) -> None:
        self.job = job
        self.cards: list[_Card] = []
        self.card_of_old: dict[int, _Card] = {}
        self.sub_of_old: dict[int, tuple[_Card, _Sub]] = {}
        self.numbering: dict[str, str | None] = {}
        titles = list(dict.fromkeys(s.sheet for s in job.slots))
        for title in titles:
            sdet = job.det.sheet(title)
            if sdet is None or sdet.layout != "card":
                raise PlanReadError("unsupported", "a workbook with both card sheets and table sheets cannot be "
                                                   "updated in place yet; save the plan as a dxroadmap workbook instead.",
                                    "カード型と表型のシートが混在するブックには、まだ書き込めません。"
                                    "dxroadmap 形式のブックとして保存してください。")
            self._learn(title)
        by_title = {(c.sheet, c.title): c for c in self.cards}
        by_sub = {(c.sheet, s.row): (c, s) for c in self.cards for s in c.subs}
        for i, slot in enumerate(job.slots):
            if slot.card:
                card = by_title.get((slot.sheet, slot.rows[0]))
                if card is not None:
                    self.card_of_old[i] = card
            elif slot.child and (slot.sheet, slot.rows[0]) in by_sub:
                self.sub_of_old[i] = by_sub[(slot.sheet, slot.rows[0])]
        for i, item in enumerate(job.old_items):
            if (item.depth == 0 and i not in self.card_of_old) or (item.depth == 1 and i not in self.sub_of_old):
                raise PlanReadError("unsupported", "the cards of this workbook could not be matched to its "
                                                   "initiatives, so it cannot be updated in place.",
                                    "このブックのカードと取組を対応付けられないため、この様式には書き込めません。")

    # ------------------------------------------------------------------ learning the cards

    def _learn(self, title: str) -> None:
        job = self.job
        grid = job.reader.grid(title)
        sheet = job.sheets[title]
        base = job.layouts[title]
        axes = {r: a for a in find_axes(grid) for r in a.header_rows or [a.year_row]}
        cards: list[_Card] = []
        cur: _Card | None = None
        next_start: dict[int, int] = {}  # index of a card -> first row of the next block
        assert job.det.result is not None
        for d in job.det.result.report:
            if d.sheet != title:
                continue
            if d.role == "initiative" and d.reason.startswith("card title "):
                if cards:
                    next_start.setdefault(len(cards) - 1, d.row)
                cur = _Card(title, d.row, grid.row_cells(d.row)[0] if grid.row_cells(d.row) else 1, base, last=d.row)
                cards.append(cur)
                continue
            if d.role in ("pillar", "title"):
                if cards:
                    next_start.setdefault(len(cards) - 1, d.row)
                cur = None
                continue
            if cur is None:
                continue
            if d.role in ("note", "legend", "unplaced") and d.row > cur.last + 1:
                cur = None  # a footnote after a blank row: below the card, not part of it
                continue
            cur.last = max(cur.last, d.row)
            if d.role == "header" and d.reason.startswith("card field"):
                cur.key_rows.append(d.row)
                cells = grid.row_cells(d.row)
                role = key_role(as_text(grid.value(d.row, cells[0]))) if cells else None
                if role in _KEY_ROLES and role not in cur.keys:
                    label = cells[0]
                    after = [c for c in sorted(sheet.rows[d.row].cells) if c > label] if d.row in sheet.rows else []
                    value = grid.origin(d.row, after[0])[1] if after else label + 1
                    cur.keys[role] = (d.row, label, value)
            elif d.role == "header":
                cur.header.append(d.row)
            elif d.role == "child":
                cur.subs.append(_Sub(d.row))
            elif d.role == "initiative":
                cur.own.append(d.row)
        for k, card in enumerate(cards):
            if k in next_start:
                card.gap = max(0, next_start[k] - card.last - 1)
            axis = next((axes[r] for r in card.header if r in axes), None)
            if axis is not None:
                roles = column_roles(grid, axis.header_rows or [axis.year_row], axis.col_set)
                card.no_col = next((c for c, ro in roles.items() if ro == "no"), None)
                card.name_col = next((c for c, ro in roles.items() if ro == "name"), None)
                if card.name_col is None:
                    labels = sorted(c for c in grid.row_cells(axis.year_row) if c < axis.first_col and c != card.no_col)
                    card.name_col = labels[-1] if labels else None
                cols = [TimeCol(t.col, t.start, t.end) for t in axis.cols]
                if [(t.col, t.start, t.end) for t in cols] != [(t.col, t.start, t.end) for t in base.time_cols]:
                    card.lay = dataclasses.replace(base, time_cols=cols)
        self.numbering[title] = _numbering(grid, cards)
        self.cards.extend(cards)

    # ------------------------------------------------------------------ the plan

    def run(self, new_items: list, pairs: dict[int, int], removed: list[int], added: list[int]) -> None:
        job = self.job
        old = job.old_items
        # a sub-action paired by name under another card is a removal and an addition
        for j, i in sorted(pairs.items()):
            if new_items[j].depth and pairs.get(new_items[j].parent) != old[i].parent:
                del pairs[j]
                removed.append(i)
                added.append(j)
        removed.sort()
        added.sort()
        self.card_of_new: dict[int, _Card] = {}
        self.sub_of_new: dict[int, _Sub] = {}
        repaint: list[tuple[int, int]] = []
        # 1. texts in place (original row numbers: before anything is inserted)
        for j, i in sorted(pairs.items()):
            o, n = old[i].init, new_items[j].init
            if new_items[j].depth == 0:
                card = self.card_of_old[i]
                self.card_of_new[j] = card
                self._write_card_texts(card, o, n)
                if form_view(card.lay, o) != form_view(card.lay, n):
                    repaint.append((j, i))
            else:
                card, sub = self.sub_of_old[i]
                self.sub_of_new[j] = sub
                self._write_sub_texts(card, sub, o, n)
                if form_view(card.lay, o) != form_view(card.lay, n):
                    repaint.append((j, i))
            if norm(o.name) != norm(n.name):
                job.summary.append(f"renamed\t{o.name}\t{n.name}")
        # 2. removals: whole cards first (bottom up), then the sub-actions of the cards that stay
        gone: set[int] = set()
        for i in sorted((i for i in removed if old[i].depth == 0), key=lambda k: -self.card_of_old[k].title):
            card = self.card_of_old[i]
            block = self._card_block(card, i, gone)
            if block is not None:
                for sub in card.subs:
                    sub.alive = False
                card.removed = True
                self._delete(card.sheet, *block)
                gone.add(i)
                job.summary.append(f"deleted\t{old[i].init.name}")
            else:
                self._clear_card(card)
                job.summary.append(f"cleared\t{old[i].init.name}")
        for i in removed:
            if old[i].depth == 0 or i not in self.sub_of_old or not self.sub_of_old[i][1].alive:
                if old[i].depth:
                    job.summary.append(f"cleared\t{old[i].init.name}")
                continue
            card, sub = self.sub_of_old[i]
            if self._sub_deletable(card, sub):
                card.subs.remove(sub)
                sub.alive = False
                card.renumber = True
                self._delete(card.sheet, sub.row, sub.row)
                job.summary.append(f"deleted\t{old[i].init.name}")
            else:
                self._clear_sub(card, sub)
                job.summary.append(f"cleared\t{old[i].init.name}")
        # 3. more own rows for kept cards whose bars need them
        for j, _i in repaint:
            if new_items[j].depth == 0:
                card = self.card_of_new[j]
                need = lanes_needed(card.lay, new_items[j].init) if _has_schedule(new_items[j].init) else 0
                if need > len(card.own):
                    self._add_own_rows(card, need - len(card.own))
        # 4. new cards and sub-actions, in plan order
        done: set[int] = set()
        for j in added:
            if j in done:
                continue
            item = new_items[j]
            if item.depth == 0:
                self._add_card(new_items, j, done)
            elif item.depth == 1 and item.parent in self.card_of_new:
                self._add_sub(new_items, j)
            else:
                job.issues.append(Issue(f"“{item.init.name}”: a card holds one level of sub-actions only",
                                        f"「{item.init.name}」：カードに書ける小項目は一段だけです"))
        # 5. bars
        for j, _i in repaint:
            item = new_items[j]
            if item.depth == 0:
                card = self.card_of_new[j]
                self._paint(card, card.own, item.init)
            else:
                card = self.card_of_new[item.parent]
                self._paint(card, [self.sub_of_new[j].row], item.init)
            job.summary.append(f"repainted\t{item.init.name}")
        # 6. numbers of the sub-actions of cards whose list changed
        for card in self.cards:
            if card.renumber and not card.removed:
                self._renumber(card)

    # ------------------------------------------------------------------ cells

    def _sheet(self, card: _Card) -> SheetXml:
        self.job.edited.add(card.sheet)
        return self.job.sheets[card.sheet]

    def _set_text(self, card: _Card, r: int, c: int, text: str) -> None:
        sheet = self._sheet(card)
        m = sheet.merge_at(r, c)
        rr, cc = (m[0], m[1]) if m else (r, c)
        sheet.set_cell(rr, cc, text or None, sheet.style(rr, cc))

    def _raw(self, card: _Card, r: int, c: int) -> str:
        return as_text(self.job.reader.grid(card.sheet).value(r, c))

    def _write_card_texts(self, card: _Card, old: Initiative | None, new: Initiative) -> None:
        if old is None or norm(old.name) != norm(new.name):
            raw = self._raw(card, card.title, card.title_col) if old is not None else ""
            prefix = raw[:-len(old.name)] if old is not None and old.name and raw.endswith(old.name) else ""
            self._set_text(card, card.title, card.title_col, prefix + new.name)
        for role, value, before in (("summary", new.summary, old.summary if old else ""),
                                    ("departments", new.departments, old.departments if old else []),
                                    ("kpi", new.kpi, old.kpi if old else "")):
            same = (norm(value) == norm(before)) if isinstance(value, str) else value == before
            if old is not None and same:
                continue
            if role not in card.keys:
                if value and role != "kpi":
                    word = {"departments": "担当", "summary": "概要"}[role]
                    self.job.issues.append(Issue(f"the card “{new.name}” has no {role} row",
                                                 f"カード「{new.name}」に{word}の行がありません"))
                continue
            r, _label, c = card.keys[role]
            if role == "departments":
                raw = self._raw(card, r, c) if old is not None else ""
                text = ("\n" if "\n" in raw else "、").join(value)
            else:
                text = value or ""
            self._set_text(card, r, c, text)

    def _write_sub_texts(self, card: _Card, sub: _Sub, old: Initiative | None, new: Initiative) -> None:
        if card.name_col is not None and (old is None or norm(old.name) != norm(new.name)):
            raw = self._raw(card, sub.row, card.name_col) if old is not None else ""
            prefix = raw[:-len(old.name)] if old is not None and old.name and raw.endswith(old.name) else ""
            self._set_text(card, sub.row, card.name_col, prefix + new.name)
        for role, value, before in (("departments", new.departments, old.departments if old else []),
                                    ("summary", new.summary, old.summary if old else "")):
            if value and value != before:
                word = {"departments": "担当", "summary": "概要"}[role]
                self.job.issues.append(Issue(f"the sub-action “{new.name}” of a card has no {role} cell",
                                             f"カードの小項目「{new.name}」には{word}の欄がありません"))

    def _paint(self, card: _Card, rows: list[int], init: Initiative | None) -> None:
        paint_slot(self._sheet(card), card.lay, rows, init, self.job.issues)

    def _clear_card(self, card: _Card) -> None:
        sheet = self._sheet(card)
        rows = set(range(card.title, card.last + 1))
        cols = {c for r in rows if r in sheet.rows for c in sheet.rows[r].cells}
        cols |= {c for m in sheet.merges if m[0] in rows for c in range(m[1], m[3] + 1)}
        sheet.remove_merges_in(rows, cols)
        for r in sorted(rows):
            for c in sorted(sheet.rows[r].cells) if r in sheet.rows else []:
                sheet.set_cell(r, c, None, None)
        for sub in card.subs:
            sub.alive = False
        card.removed = True

    def _crossing_merge(self, sheet_title: str, first: int, last: int) -> bool:
        """Whether a merged range reaches both into rows ``first..last`` and out of them (deleting would break it)."""
        return any(a <= last and c >= first and not (first <= a and c <= last)
                   for a, _b, c, _d in self.job.sheets[sheet_title].merges)

    def _card_block(self, card: _Card, i: int, gone: set[int]) -> tuple[int, int] | None:
        """The rows removed card ``card`` (old item ``i``) takes with it, or ``None`` when it must be cleared.

        Like the writer's rule for table rows: the card's rows go (with the blank rows after it,
        or for the sheet's last card the blank rows before it) unless its bars are shapes, a
        merged range reaches out of the block, or its pillar would keep no other card on the sheet.
        """
        job = self.job
        if card.lay.encoding == "shapes":
            return None
        pillar = job.old_items[i].pillar
        others = [k for k, c in self.card_of_old.items()
                  if k != i and k not in gone and c.sheet == card.sheet and job.old_items[k].pillar is pillar]
        if not others:
            return None
        first, last = card.title, card.last
        prev = None
        if card.gap is not None:
            last += card.gap
        else:
            deleted = [self.card_of_old[k] for k in gone]
            live = [c for c in self.cards if c.sheet == card.sheet and c is not card and all(c is not d for d in deleted)]
            prev = next((c for c in reversed(live) if c.title < card.title), None)
            if prev is not None and prev.gap is not None and prev.last + prev.gap + 1 == card.title:
                first = prev.last + 1
            else:
                prev = None
        if self._crossing_merge(card.sheet, first, last):
            return None
        if prev is not None:
            prev.gap = None  # the sheet's last card now
        return first, last

    def _sub_deletable(self, card: _Card, sub: _Sub) -> bool:
        """Whether a removed sub-action's row can go: the card keeps a schedule row and no merge crosses it."""
        if card.lay.encoding == "shapes":
            return False
        if not card.own and not any(s.alive and s is not sub for s in card.subs):
            return False
        return not self._crossing_merge(card.sheet, sub.row, sub.row)

    def _clear_sub(self, card: _Card, sub: _Sub) -> None:
        for c in (card.no_col, card.name_col):
            if c is not None:
                self._set_text(card, sub.row, c, "")
        self._paint(card, [sub.row], None)
        sub.alive = False
        card.renumber = True

    def _renumber(self, card: _Card) -> None:
        style = self.numbering.get(card.sheet)
        if style is None or card.no_col is None:
            return
        for k, sub in enumerate(s for s in card.subs if s.alive):
            self._set_text(card, sub.row, card.no_col, _number(style, k))

    # ------------------------------------------------------------------ rows

    def _insert(self, sheet_title: str, after: int, n: int) -> None:
        job = self.job
        sheet = job.sheets[sheet_title]
        sheet.insert_rows(after, n)  # formulas, merges, formats … follow (sheetxml); outside: _shift_outside

        def f(r: int) -> int:
            return r + n if r > after else r
        for card in self.cards:
            if card.sheet != sheet_title:
                continue
            card.title, card.last = f(card.title), f(card.last)
            card.key_rows = [f(r) for r in card.key_rows]
            card.keys = {k: (f(r), a, b) for k, (r, a, b) in card.keys.items()}
            card.header = [f(r) for r in card.header]
            card.own = [f(r) for r in card.own]
            for sub in card.subs:
                sub.row = f(sub.row)
        for slot in job.slots:
            if slot.sheet == sheet_title:
                slot.rows = [f(r) for r in slot.rows]
        job._shift_outside(sheet_title, after, n)
        job.edited.add(sheet_title)

    def _delete(self, sheet_title: str, first: int, last: int) -> None:
        """Delete rows ``first..last`` of ``sheet_title``; the cards below move up, with everything anchored
        to them (the writer's :meth:`_shift_outside`)."""
        job = self.job
        job.sheets[sheet_title].delete_rows(first, last)
        shift = RowShift.delete(sheet_title, first, last)

        def f(r: int) -> int:
            new = shift.row(r)
            return shift.at if new is None else new
        for card in self.cards:
            if card.sheet != sheet_title:
                continue
            span = shift.span(card.title, card.last)
            card.title = f(card.title)
            card.last = span[1] if span is not None else card.title
            card.key_rows = [f(r) for r in card.key_rows]
            card.keys = {k: (f(r), a, b) for k, (r, a, b) in card.keys.items()}
            card.header = [f(r) for r in card.header]
            card.own = [f(r) for r in card.own]
            for sub in card.subs:
                sub.row = f(sub.row)
        for slot in job.slots:
            if slot.sheet == sheet_title:
                slot.rows = [r2 for r in slot.rows if (r2 := shift.row(r)) is not None]
        job._shift_outside(sheet_title, first - 1, -(last - first + 1))
        job.edited.add(sheet_title)

    def _clone(self, card: _Card, plan: list[tuple[str, int | None]], after: int) -> list[int]:
        """Insert rows after ``after``, each cloned from a source row (``(mode, source)``); their numbers."""
        sheet = self.job.sheets[card.sheet]
        n = len(plan)
        self._insert(card.sheet, after, n)
        sources = [(mode, None if src is None else (src + n if src > after else src)) for mode, src in plan]
        targets = list(range(after + 1, after + n + 1))
        time_cols = {t.col for t in card.lay.time_cols}
        for (mode, src), dst in zip(sources, targets):
            if src is None:
                continue
            sheet.copy_row_tag(src, dst)
            row = sheet.rows.get(src)
            label = min((c for c in row.cells if as_text(_cell_text(row.cells[c]))), default=None) if row else None
            for c in sorted(row.cells) if row else []:
                style = sheet.style(src, c)
                if mode == "schedule" and c in time_cols:
                    sheet.set_cell(dst, c, None, card.lay.empty_style.get(c, style))
                    continue
                sheet.set_cell(dst, c, None, style)
                cell = row.cells[c]
                if (mode == "header" or (mode == "key" and c == label)) and "<f" not in cell:
                    head_end = cell.find(">")
                    head = _CELL_REF.sub(f'r="{col_letter(c)}{dst}"', cell[:head_end], count=1)
                    sheet.rows[dst].cells[c] = head + cell[head_end:]
        mapping = {src: dst for (_mode, src), dst in zip(sources, targets) if src is not None}
        schedule = {src for mode, src in sources if mode == "schedule"}
        for a, b, c, d in list(sheet.merges):
            if not all(r in mapping for r in range(a, c + 1)):
                continue
            if any(mapping[r] != mapping[a] + (r - a) for r in range(a, c + 1)):
                continue
            if any(r in schedule for r in range(a, c + 1)) and any(b <= t <= d for t in time_cols):
                continue  # a bar: painted afresh
            sheet.add_merge(mapping[a], b, mapping[c], d)
        return targets

    def _schedule_source(self, card: _Card) -> int | None:
        src = card.schedule_source()
        if src is None:
            src = next((c.schedule_source() for c in self.cards if c.sheet == card.sheet and c.schedule_source()), None)
        return src

    def _add_own_rows(self, card: _Card, n: int) -> None:
        src = self._schedule_source(card)
        after = card.own[-1] if card.own else card.header[-1]
        rows = self._clone(card, [("schedule", src)] * n, after)
        card.own.extend(rows)
        card.last = max(card.last, rows[-1])

    def _add_sub(self, new_items: list, j: int) -> None:
        item = new_items[j]
        card = self.card_of_new[item.parent]
        prev = next((self.sub_of_new[k] for k in range(j - 1, item.parent, -1)
                     if new_items[k].parent == item.parent and k in self.sub_of_new), None)
        after = prev.row if prev else (card.own[-1] if card.own else card.header[-1])
        src = self._schedule_source(card)
        row = self._clone(card, [("schedule", src)], after)[0]
        sub = _Sub(row)
        index = card.subs.index(prev) + 1 if prev else 0
        card.subs.insert(index, sub)
        card.last = max(card.last, row)
        card.renumber = True
        self.sub_of_new[j] = sub
        self._write_sub_texts(card, sub, None, item.init)
        self._paint(card, [row], item.init)
        self.job.summary.append(f"added\t{item.init.name}")

    def _add_card(self, new_items: list, j: int, done: set[int]) -> None:
        job = self.job
        item = new_items[j]
        anchor: tuple[str, _Card] | None = None
        for k in range(j - 1, -1, -1):
            if new_items[k].pillar is not item.pillar:
                break
            if new_items[k].depth == 0 and k in self.card_of_new:
                anchor = ("after", self.card_of_new[k])
                break
        if anchor is None:
            for k in range(j + 1, len(new_items)):
                if new_items[k].pillar is not item.pillar:
                    break
                if new_items[k].depth == 0 and k in self.card_of_new:
                    anchor = ("before", self.card_of_new[k])
                    break
        if anchor is None:
            job.issues.append(Issue(f"“{item.init.name}” is in a pillar the form does not have ({item.pillar.name})",
                                    f"「{item.init.name}」の基本方針（{item.pillar.name}）が様式にありません"))
            return
        where, like = anchor
        init = item.init
        children = [k for k in range(j + 1, len(new_items)) if new_items[k].parent == j]
        grandchildren = [k for k in range(j + 1, len(new_items)) if new_items[k].parent in children]
        done.update(children)
        own_n = lanes_needed(like.lay, init) if _has_schedule(init) else 0
        sched = self._schedule_source(like)
        if sched is None and (own_n or children):
            job.issues.append(Issue(f"“{init.name}”: no card of the form has a schedule row to copy",
                                    f"「{init.name}」：様式のカードに写せるスケジュールの行がありません"))
            own_n, children = 0, []
        content: list[tuple[str, int | None]] = [("title", like.title)]
        key_of_row = {r: role for role, (r, _a, _b) in like.keys.items()}
        content += [("key", r) for r in like.key_rows if r in key_of_row]
        content += [("header", r) for r in like.header]
        content += [("schedule", sched)] * (own_n + len(children))
        gap_n = like.gap if like.gap is not None else next((c.gap for c in self.cards if c.gap is not None), 1)
        gap_src = like.last + 1 if like.gap else None
        gap = [("blank", gap_src + k if gap_src is not None else None) for k in range(gap_n)]
        if where == "after":
            rows = self._clone(like, gap + content, like.last)[len(gap):]
        else:
            rows = self._clone(like, content + gap, like.title - 1)[:len(content)]
        it = iter(rows)
        card = _Card(like.sheet, next(it), like.title_col, like.lay, no_col=like.no_col, name_col=like.name_col,
                     gap=gap_n, renumber=True)
        for r in like.key_rows:
            if r in key_of_row:
                new_r = next(it)
                card.key_rows.append(new_r)
                _row, label, value = like.keys[key_of_row[r]]
                card.keys[key_of_row[r]] = (new_r, label, value)
        card.header = [next(it) for _ in like.header]
        card.own = [next(it) for _ in range(own_n)]
        card.subs = [_Sub(next(it)) for _ in children]
        card.last = rows[-1]
        self.cards.insert(self.cards.index(like) + (1 if where == "after" else 0), card)
        self.card_of_new[j] = card
        self._write_card_texts(card, None, init)
        self._paint(card, card.own, init)
        for k, sub in zip(children, card.subs):
            self.sub_of_new[k] = sub
            self._write_sub_texts(card, sub, None, new_items[k].init)
            self._paint(card, [sub.row], new_items[k].init)
        for k in grandchildren:
            done.add(k)
            job.issues.append(Issue(f"“{new_items[k].init.name}”: a card holds one level of sub-actions only",
                                    f"「{new_items[k].init.name}」：カードに書ける小項目は一段だけです"))
        job.summary.append(f"added\t{init.name}")


def _has_schedule(init: Initiative) -> bool:
    return bool(init.phases or init.milestones)


def _cell_text(cell: str) -> str:
    m = re.search(r"<(?:v|t)(?:\s[^>]*)?>([^<]*)</(?:v|t)>", cell)
    return m.group(1) if m else ""


def _numbering(grid: SheetGrid, cards: list[_Card]) -> str | None:
    """How the sheet numbers sub-actions: "circled" (①②③), "digits" (1 2 3) or ``None`` (not numbered)."""
    for card in cards:
        if card.no_col is None or not card.subs:
            continue
        texts = [grid.text(s.row, card.no_col) for s in card.subs]
        if all(t == _number("circled", k) for k, t in enumerate(texts)):
            return "circled"
        if all(norm(t) == str(k + 1) for k, t in enumerate(texts)):
            return "digits"
        return None
    return None


def _number(style: str, k: int) -> str:
    if style == "circled" and k < len(_CIRCLED):
        return _CIRCLED[k]
    return str(k + 1)
