"""Write a plan into a copy of an office's own roadmap workbook, part by part.

:func:`update_workbook` reads the office workbook with the importer (ignoring any data
sheet, so the visible form is what is learned), pairs the initiatives it found with the
plan's (by id first when the workbook carries our data sheet from an earlier update, then
same pillar, name and order; renamed ones by position), and then edits only what changed:

* a kept initiative: its name, departments and summary cells rewritten in place when
  they changed (an enumerator such as ア. in front of the name is kept); its bars
  repainted in the sheet's own encoding when its phases or milestones changed at the
  form's resolution (:mod:`.paint`; bars drawn as shapes are moved, resized, relabelled,
  copied or removed in the drawing part by :mod:`.shapes`);
* a removed initiative: its rows deleted when it owns whole rows of a cell-drawn table
  (everything below moves up: cells, merges, which shrink, formulas, conditional formats,
  data validations, hyperlinks, the dimension, row breaks, the sheet view's selection,
  defined names, other sheets' and charts' references, drawing anchors, tables, cell
  comments and their VML notes, a comment on a deleted row going with its note);
  otherwise — bars drawn as shapes, a merged cell reaching over the time columns of other
  rows, the last row of its pillar — its cells are cleared (label columns other than the pillar column, and the time cells);
* a new initiative: new rows inserted after its predecessor in the plan (or before its
  successor when it comes first in its pillar), styled like the neighbouring row; all
  that lies below moves down with them, as for a deletion;
* a 番号 column holding a plain 1..n sequence (per pillar or through the sheet; numbers,
  ``１``, ``①``, ``(1)`` …) is numbered again in its own notation after rows came and went;
* formulas are adjusted with :mod:`.formulas` (same sheet, other sheets, shared and array
  formulas, defined names, conditional formats, validations); their cached values are
  kept and ``fullCalcOnLoad`` is set so that Excel recalculates on opening;
* the hidden data sheet holds the whole plan, stamped with the roadmap sheet's
  fingerprint, so reopening gives the exact plan.

Layouts written: table layouts with bars as filled cells (``fill``), merged cells
(``merge``) or ━→ text (``text``); lists without time columns (``none``); bars drawn as
shapes (:mod:`.shapes`); and card layouts — a block of rows per initiative with its own
time strip and ①②③ sub-actions — written by :mod:`.cards` (new cards cloned from their
neighbour, removed ones deleted like table rows).

Every zip member other than the edited worksheets, their drawings (when rows moved or
shapes changed), their comments, VML notes and tables (when rows moved), other worksheets
and charts whose formulas changed, ``workbook.xml`` (defined names moved,
``fullCalcOnLoad``, a new data sheet), its rels and ``[Content_Types].xml`` (only when the
data sheet is added) and the data sheet is copied byte for byte. ``sharedStrings.xml`` and
``styles.xml`` are never rewritten: new texts are inline strings and every style index
comes from an existing cell.

What the form cannot show is collected as :class:`Issue` s (a bar outside the form's
years, a label in a form without labels, more overlapping bars than the initiative has
rows, a changed bar drawn inside a group of shapes, …). Unless ``force`` is given, any issue stops the
update with :class:`UpdateRefused` before anything is written. With ``extend`` the form
first grows the fiscal years the plan needs (:mod:`.extend`), and the plan is then written
into the grown form as into any other.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape
from xml.sax.saxutils import unescape as _xml_unescape

from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.xlsx.datasheet import SHEET_NAME, read_data_sheet
from dxroadmap.io.xlsx.package.parts import part_relationships, rels_name, workbook_part, workbook_sheets
from dxroadmap.io.xlsx.read.grid import as_text
from dxroadmap.io.xlsx.read.results import SheetOverrides
from dxroadmap.io.xlsx.read.words import norm
from dxroadmap.io.xlsx.read.workbook import WorkbookReader
from dxroadmap.io.xlsx.update.cards import write_cards
from dxroadmap.io.xlsx.update.datasheet_xml import data_sheet_xml
from dxroadmap.io.xlsx.update.extend import extend_form
from dxroadmap.io.xlsx.update.formulas import ColShift, RowShift, shift_area, shift_formula
from dxroadmap.io.xlsx.update.layout import SheetLayout, Slot, find_slots, sheet_layout
from dxroadmap.io.xlsx.update.paint import Issue, form_view, lanes_needed, paint_slot
from dxroadmap.io.xlsx.update.shapes import ShapeCanvas
from dxroadmap.io.xlsx.update.sheetxml import SheetXml, parse_shared_strings
from dxroadmap.model.ids import is_stable_id
from dxroadmap.model.plan import Initiative, Pillar, Plan

__all__ = ["update_workbook", "UpdateResult", "UpdateRefused", "Issue"]

_NO_DETECTION = {"\0": SheetOverrides()}  # any override makes the reader read the visible sheets
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_REL_SHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


class UpdateRefused(PlanWriteError):
    """The form cannot show the plan as it is; ``issues`` says where (pass ``force`` to write anyway)."""

    def __init__(self, issues: list[Issue]) -> None:
        lines_en = "; ".join(i.en for i in issues[:5]) + (" …" if len(issues) > 5 else "")
        lines_ja = "；".join(i.ja for i in issues[:5]) + (" …" if len(issues) > 5 else "")
        extendable = bool(issues) and all(i.years for i in issues)
        super().__init__("cannot-express",
                         f"The office's form cannot show this plan as it is: {lines_en}. Use --force to write it anyway "
                         f"(the hidden data sheet keeps the exact plan), or save as a dxroadmap workbook."
                         + (" Use --extend to add the missing fiscal years to the form." if extendable else ""),
                         f"この様式では計画をそのまま表せません：{lines_ja}。--force で書き込むか"
                         f"（正確な計画は非表示のデータシートに残ります）、dxroadmap 形式のブックとして保存してください。"
                         + ("--extend で様式に足りない年度を加えることもできます。" if extendable else ""))
        self.issues = issues


@dataclass
class UpdateResult:
    """The updated workbook's bytes, the issues written through (``force``), and what was done."""

    data: bytes
    issues: list[Issue] = field(default_factory=list)
    changed_parts: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


@dataclass
class _Item:
    pillar: Pillar
    init: Initiative
    depth: int
    parent: int | None  # index of the parent item


def _flatten(plan: Plan) -> list[_Item]:
    out: list[_Item] = []

    def visit(pillar: Pillar, init: Initiative, depth: int, parent: int | None) -> None:
        out.append(_Item(pillar, init, depth, parent))
        me = len(out) - 1
        for child in init.children:
            visit(pillar, child, depth + 1, me)

    for pillar in plan.pillars:
        for init in pillar.initiatives:
            visit(pillar, init, 0, None)
    return out


def _key(item: _Item) -> tuple:
    return norm(item.pillar.name), item.depth, norm(item.init.name)


def _pair(old: list[_Item], new: list[_Item],
          old_ids: list[tuple[str, str]] | None = None) -> tuple[dict[int, int], list[int], list[int]]:
    """(new index → old index, removed old indexes, added new indexes).

    ``old_ids`` (the initiative and pillar ids of the old items, "" where unknown; known when
    the workbook carries our data sheet from an earlier update) pair items by id first: an
    item keeps its rows when its id, depth and pillar (by id or name) are the same, however it
    was renamed. Pairs that would cross (a reordered item) keep the longest run in order; the
    others are written as removed and added, so the rows end up in the plan's order. When
    any id matched, ids are trusted: only items without an id are paired by name and order,
    between the id-paired ones; when none matched (the plan lost its ids), all are.
    """
    id_pairs: list[tuple[int, int]] = []
    if old_ids:
        by_id = {ids[0]: k for k, ids in enumerate(old_ids) if ids[0]}
        for j, item in enumerate(new):
            k = by_id.get(item.init.id) if item.init.id else None
            if k is None or old[k].depth != item.depth:
                continue
            same_pillar = (old_ids[k][1] and old_ids[k][1] == item.pillar.id) or \
                norm(old[k].pillar.name) == norm(item.pillar.name)
            if same_pillar:
                id_pairs.append((j, k))
    if not id_pairs:
        return _pair_by_name(old, new, range(len(old)), range(len(new)))
    kept = _in_order(id_pairs)
    pairs = {j: k for j, k in kept}
    removed: list[int] = []
    added: list[int] = []
    bounds = [(-1, -1)] + sorted((k, j) for j, k in kept) + [(len(old), len(new))]
    for (a0, b0), (a1, b1) in zip(bounds, bounds[1:]):
        olds = [a for a in range(a0 + 1, a1) if not (old_ids and old_ids[a][0])]
        news = [b for b in range(b0 + 1, b1) if not new[b].init.id]
        p, r, ad = _pair_by_name(old, new, olds, news)
        pairs.update(p)
        removed.extend(r)
        added.extend(ad)
        removed.extend(a for a in range(a0 + 1, a1) if a not in olds)
        added.extend(b for b in range(b0 + 1, b1) if b not in news)
    return pairs, sorted(removed), sorted(added)


def _in_order(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of (new, old) pairs, sorted by new index, whose old indexes increase too."""
    pairs = sorted(pairs)
    best: list[int] = []  # best[k]: index into pairs of the smallest tail of a run of length k + 1
    back: list[int | None] = [None] * len(pairs)
    for n, (_, k) in enumerate(pairs):
        lo, hi = 0, len(best)
        while lo < hi:
            mid = (lo + hi) // 2
            if pairs[best[mid]][1] < k:
                lo = mid + 1
            else:
                hi = mid
        back[n] = best[lo - 1] if lo else None
        if lo == len(best):
            best.append(n)
        else:
            best[lo] = n
    out = []
    n = best[-1] if best else None
    while n is not None:
        out.append(pairs[n])
        n = back[n]
    return out[::-1]


def _pair_by_name(old: list[_Item], new: list[_Item], olds, news) -> tuple[dict[int, int], list[int], list[int]]:
    """Pair the old items ``olds`` with the new items ``news`` (index lists) by pillar, name and order."""
    olds, news = list(olds), list(news)
    sub_old = [old[a] for a in olds]
    sub_new = [new[b] for b in news]
    sm = difflib.SequenceMatcher(None, [_key(i) for i in sub_old], [_key(i) for i in sub_new], autojunk=False)
    pairs: dict[int, int] = {}
    removed: list[int] = []
    added: list[int] = []
    for tag, a0, a1, b0, b1 in sm.get_opcodes():
        if tag == "equal":
            pairs.update({news[b0 + k]: olds[a0 + k] for k in range(a1 - a0)})
            continue
        # renames: a similar name in the same pillar at the same depth, in order; a block of as many
        # old as new items with no similar names is renamed position by position
        similar = _similar_pairs(sub_old, sub_new, a0, a1, b0, b1)
        if not similar and a1 - a0 == b1 - b0:
            similar = [(a0 + k, b0 + k) for k in range(a1 - a0)
                       if _key(sub_old[a0 + k])[:2] == _key(sub_new[b0 + k])[:2]]
        paired_a = {a for a, _ in similar}
        paired_b = {b for _, b in similar}
        pairs.update({news[b]: olds[a] for a, b in similar})
        removed.extend(olds[a] for a in range(a0, a1) if a not in paired_a)
        added.extend(news[b] for b in range(b0, b1) if b not in paired_b)
    return pairs, removed, added


def _similar_pairs(old: list[_Item], new: list[_Item], a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int]]:
    out = []
    b = b0
    for a in range(a0, a1):
        best, score = None, 0.5
        for k in range(b, b1):
            if _key(old[a])[:2] != _key(new[k])[:2]:
                continue
            ratio = difflib.SequenceMatcher(None, _key(old[a])[2], _key(new[k])[2]).ratio()
            if ratio >= score:
                best, score = k, ratio
        if best is not None:
            out.append((a, best))
            b = best + 1
    return out


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    return {s.title: s.part for s in workbook_sheets(zf)}


def _drawing_part(zf: zipfile.ZipFile, sheet_part: str) -> str | None:
    for rtype, target in part_relationships(zf, sheet_part).values():
        if rtype.endswith("/drawing") and target in zf.NameToInfo:
            return target
    return None


class _Job:
    """One update: the office package open, the sheets being edited, the issues found."""

    def __init__(self, office: Path, plan: Plan, force: bool) -> None:
        self.office, self.plan, self.force = office, plan, force
        self.reader = WorkbookReader(office)
        det = self.reader.detect(_NO_DETECTION)
        if det.error is not None:
            raise det.error
        assert det.result is not None
        self.det = det
        self.slots = find_slots(det)
        self.old_items = _flatten(det.result.plan)
        if len(self.slots) != len(self.old_items):
            raise PlanReadError("unsupported", f"{office.name}: the rows of its roadmap could not be matched to "
                                               f"its initiatives, so it cannot be updated in place.",
                                f"{office.name} のロードマップの行と取組を対応付けられないため、この様式には書き込めません。")
        self.zf = zipfile.ZipFile(office)
        self.parts = _sheet_parts(self.zf)
        shared_name = next((n for n in self.zf.namelist() if n.lower().endswith("sharedstrings.xml")), None)
        self.shared = parse_shared_strings(self.zf.read(shared_name).decode("utf-8") if shared_name else None)
        self.sheets: dict[str, SheetXml] = {}
        self.layouts: dict[str, SheetLayout] = {}
        self.edited: set[str] = set()
        self.replaced: dict[str, bytes] = {}
        self.formula_sheets: dict[str, SheetXml] = {}  # other sheets whose formulas may follow moved rows
        self.issues: list[Issue] = []
        self.summary: list[str] = []
        self.card_sheets: set[str] = set()  # card layouts: written by .cards (see run)
        self.added_slots: dict[int, Slot] = {}  # new item index -> the rows inserted for it (kept up to date)
        for title in dict.fromkeys(s.sheet for s in self.slots):
            sdet = det.sheet(title)
            if sdet is None:
                raise PlanReadError("unsupported", f"{office.name}: the sheet {title} could not be read as a roadmap.",
                                    f"{office.name} のシート {title} をロードマップとして読めません。")
            if sdet.layout == "card":
                self.card_sheets.add(title)
            part = self.parts.get(title)
            if part is None:
                raise PlanReadError("unsupported", f"{office.name}: the sheet {title} was not found in the package.",
                                    f"{office.name} にシート {title} が見つかりません。")
            try:
                sheet = SheetXml(self.zf.read(part).decode("utf-8"), self.shared, title=title)
            except (ValueError, UnicodeDecodeError):
                raise PlanReadError("unsupported", f"{office.name}: the sheet {title} is written in a way this version "
                                                   f"cannot edit.", f"{office.name} のシート {title} は編集できない形式です。") from None
            self.sheets[title] = sheet
            self.layouts[title] = lay = sheet_layout(self.reader.grid(title), sdet, sheet, self.slots)
            drawing = _drawing_part(self.zf, part)
            if lay.encoding == "shapes" and drawing is not None:  # bars drawn as shapes: edited in the drawing part
                lay.canvas = ShapeCanvas(self.zf, self.replaced, part, drawing, self.reader.shapes.get(title, []),
                                         lay.time_cols, self.reader.grid(title), sheet, office.name,
                                         {r for s in self.slots if s.sheet == title for r in s.rows})
                lay.labels = lay.labels or lay.canvas.labels

    # ------------------------------------------------------------------ cells

    def _raw(self, title: str, r: int, c: int) -> str:
        g = self.reader.grid(title)
        return as_text(g.value(r, c))

    def _write_roles(self, slot: Slot, old: Initiative | None, new: Initiative, rows_moved: int = 0) -> None:
        lay, sheet = self.layouts[slot.sheet], self.sheets[slot.sheet]
        r = slot.rows[0]
        src_r = r - rows_moved
        for role, value, old_value in (
                ("name", new.name, old.name if old else None),
                ("departments", new.departments, old.departments if old else None),
                ("summary", new.summary, old.summary if old else None)):
            c = lay.role_col(role)
            if c is None:
                if old is None or value != old_value:
                    if value and role != "name":
                        self.issues.append(Issue(f"the form has no {role} column (“{new.name}”)",
                                                 f"様式に{ {'departments': '担当課', 'summary': '概要'}[role] }の列がありません（{new.name}）"))
                continue
            if old is not None and (norm(value) if isinstance(value, str) else value) == \
                    (norm(old_value) if isinstance(old_value, str) else old_value):
                continue
            raw = self._raw(slot.sheet, src_r, c) if old is not None else ""
            if role == "name":
                prefix = raw[:-len(old.name)] if old is not None and old.name and raw.endswith(old.name) else ""
                text = prefix + value
            elif role == "departments":
                sep = "\n" if "\n" in raw else "、"
                text = sep.join(value)
            else:
                text = value
            m = sheet.merge_at(r, c)
            rr, cc = (m[0], m[1]) if m else (r, c)
            style = sheet.style(rr, cc)
            sheet.set_cell(rr, cc, text or None, style)
        self.edited.add(slot.sheet)

    def _clear(self, slot: Slot) -> None:
        lay, sheet = self.layouts[slot.sheet], self.sheets[slot.sheet]
        for c, role in lay.roles.items():
            if role == "pillar":
                continue
            for r in slot.rows:
                m = sheet.merge_at(r, c)
                rr, cc = (m[0], m[1]) if m else (r, c)
                if rr in slot.rows and sheet.style(rr, cc) is not None:
                    sheet.set_cell(rr, cc, None, sheet.style(rr, cc))
        paint_slot(sheet, lay, slot.rows, None, self.issues)
        self.edited.add(slot.sheet)

    # ------------------------------------------------------------------ rows

    def _renumber(self, title: str, new_items: list[_Item], pairs: dict[int, int], first_rows: list[int]) -> None:
        """Number the 番号 column of sheet ``title`` again after rows came and went.

        Only when the column held a plain sequence on the initiatives (not the sub-actions) of
        the sheet: 1, 2, 3 … per pillar or through the sheet, written as numbers or as text
        (``1``, ``１``, ``①``, ``(1)``, ``No.1`` …: one notation with the same text around the
        number). The new numbers keep that notation and each cell its style; cells that already
        read right are not touched. Cleared rows (removed but kept) are not counted.
        """
        lay, sheet = self.layouts[title], self.sheets[title]
        col = lay.role_col("no")
        if col is None:
            return
        grid = self.reader.grid(title)
        olds = [i for i, item in enumerate(self.old_items) if item.depth == 0 and self.slots[i].sheet == title]
        parsed = [_parse_number(grid.value(first_rows[i], col)) for i in olds]
        if not olds or any(p is None for p in parsed) or len({p[:3] for p in parsed}) != 1:
            return
        numbers = [p[3] for p in parsed]
        per_pillar = _sequence([self.old_items[i].pillar for i in olds])
        if numbers == per_pillar:
            restart = True
        elif numbers == list(range(1, len(numbers) + 1)):
            restart = False
        else:
            return
        kind, prefix, suffix = parsed[0][:3]
        old_value = {i: grid.value(first_rows[i], col) for i in olds}
        order = []
        for j, item in enumerate(new_items):
            if item.depth:
                continue
            slot = self.added_slots.get(j) or (self.slots[pairs[j]] if j in pairs else None)
            if slot is not None and slot.sheet == title and slot.rows:
                order.append((j, slot))
        wanted = _sequence([new_items[j].pillar for j, _ in order]) if restart else list(range(1, len(order) + 1))
        for (j, slot), k in zip(order, wanted):
            value = _format_number(kind, prefix, suffix, k)
            if value is None:
                return
            if j in pairs and old_value.get(pairs[j]) == value:
                continue
            m = sheet.merge_at(slot.rows[0], col)
            r, c = (m[0], m[1]) if m else (slot.rows[0], col)
            sheet.set_cell(r, c, value, sheet.style(r, c))
            self.edited.add(title)

    def _old_ids(self) -> list[tuple[str, str]] | None:
        """The (initiative id, pillar id) of each old item, from our data sheet if the workbook has one.

        The data sheet's plan is matched to the items read from the visible sheet by name and
        order (the sheet may have been edited since); unmatched items get ("", "").
        """
        if self.reader.wb is None:
            return None
        try:
            data = read_data_sheet(self.reader.wb)
        except PlanReadError:
            return None
        if data is None:
            return None
        saved = _flatten(data.plan)
        pairs, _, _ = _pair_by_name(saved, self.old_items, range(len(saved)), range(len(self.old_items)))
        out = [("", "")] * len(self.old_items)
        for k, s in pairs.items():
            if is_stable_id(saved[s].init.id):
                out[k] = (saved[s].init.id, saved[s].pillar.id if is_stable_id(saved[s].pillar.id) else "")
        return out

    def _deletable(self, i: int, gone: set[int]) -> bool:
        """Whether the rows of removed item ``i`` can go (see :meth:`_delete`); if not they are cleared.

        They can when the initiative owns whole rows of a cell-drawn table: its rows are one
        block no other item shares, every merged range reaching out of the block lies in the
        label columns (a pillar cell spanning several initiatives: it shrinks), and its pillar
        keeps at least one other row on the sheet.
        """
        slot = self.slots[i]
        lay, sheet = self.layouts[slot.sheet], self.sheets[slot.sheet]
        if lay.encoding == "shapes" or not slot.rows:
            return False
        first, last = min(slot.rows), max(slot.rows)
        if last - first + 1 != len(set(slot.rows)):
            return False
        others = [k for k, s in enumerate(self.slots) if k != i and k not in gone and s.sheet == slot.sheet]
        if any(first <= r <= last for k in others for r in self.slots[k].rows):
            return False
        for a, b, c, d in sheet.merges:
            if a <= last and c >= first and not (first <= a and c <= last) \
                    and not all(col in lay.roles for col in range(b, d + 1)):
                return False
        pillar = self.old_items[i].pillar
        return any(self.old_items[k].pillar is pillar for k in others)

    def _delete(self, i: int) -> None:
        """Delete the rows of removed item ``i``: everything below moves up (see :meth:`SheetXml.delete_rows`).

        A merged label cell that starts in the deleted rows and reaches below them (a pillar
        spanning several initiatives) keeps its text: the text moves to the first row after the
        gap, where the shrunk merge starts; so does an unmerged pillar label written only on the
        first row of its block.
        """
        slot = self.slots[i]
        title = slot.sheet
        lay, sheet = self.layouts[title], self.sheets[title]
        first, last = min(slot.rows), max(slot.rows)
        for a, b, c, _d in list(sheet.merges):
            if first <= a <= last < c:
                sheet.move_cell(a, b, last + 1)
        pillar_col = lay.role_col("pillar")
        below = next((k for k, s in enumerate(self.slots) if s.sheet == title and last + 1 in s.rows), None)
        if pillar_col is not None and sheet.merge_at(first, pillar_col) is None and sheet.has_value(first, pillar_col) \
                and below is not None and self.old_items[below].pillar is self.old_items[i].pillar \
                and not sheet.has_value(last + 1, pillar_col):
            sheet.move_cell(first, pillar_col, last + 1)
        sheet.delete_rows(first, last)
        shift = RowShift.delete(title, first, last)
        for s in [*self.slots, *self.added_slots.values()]:
            if s.sheet == title:
                s.rows = [r2 for r in s.rows if (r2 := shift.row(r)) is not None]
        self._shift_outside(title, first - 1, -(last - first + 1))
        self.edited.add(title)

    def _insert(self, title: str, after: int, n: int, like: int) -> list[int]:
        """Insert ``n`` rows after row ``after`` of sheet ``title``, styled like row ``like``."""
        sheet, lay = self.sheets[title], self.layouts[title]
        sheet.insert_rows(after, n)
        for s in [*self.slots, *self.added_slots.values()]:
            if s.sheet == title:
                s.rows = [r + n if r > after else r for r in s.rows]
        like = like + n if like > after else like
        new_rows = list(range(after + 1, after + n + 1))
        time_set = {t.col for t in lay.time_cols}
        src = sheet.rows.get(like)
        for r in new_rows:
            sheet.copy_row_tag(like, r)
            for c in (sorted(src.cells) if src else []):
                style = lay.empty_style.get(c) if c in time_set else sheet.style(like, c)
                m = sheet.merge_at(like, c)
                if m is not None and m[1] == c and m[0] <= r - 1 < m[2] and m[2] >= r:
                    continue  # inside a merge that grew over the new row (a pillar column)
                if m is not None and m[1] < c:
                    continue
                sheet.set_cell(r, c, None, style)
        self._shift_outside(title, after, n)
        self.edited.add(title)
        return new_rows

    def shift_references(self, title: str, shift: RowShift | ColShift) -> None:
        """References to sheet ``title`` outside it follow ``shift`` (rows or columns): defined
        names (print area, print titles), the other sheets' formulas and the charts' series.

        Other sheets are read lazily and kept (in :attr:`formula_sheets`, or the charts and
        workbook.xml in :attr:`replaced`) only when something in them changes.
        """
        wb = workbook_part(self.zf) or "xl/workbook.xml"
        xml = self.replaced.get(wb, self.zf.read(wb)).decode("utf-8")

        def ref(m: re.Match) -> str:
            body = _unescape(m.group(2))
            new = shift_formula(body, shift, None)
            return m.group() if new == body else m.group(1) + escape(new) + m.group(3)
        new_xml = re.sub(r"(<definedName\b[^>]*>)([^<]*)(</definedName>)", ref, xml)
        if new_xml != xml:
            self.replaced[wb] = new_xml.encode("utf-8")
        for other, part in self.parts.items():
            if other == title or other == SHEET_NAME:
                continue
            sheet = self.sheets.get(other) or self.formula_sheets.get(other)
            if sheet is None:
                raw = self.zf.read(part).decode("utf-8", "replace")
                if "<f" not in raw and "<formula" not in raw and "<xm:f" not in raw and "location=" not in raw:
                    continue
                try:
                    sheet = SheetXml(raw, self.shared, title=other)
                except ValueError:
                    continue
                self.formula_sheets[other] = sheet
            sheet.adjust_formulas(shift, other)
        for chart in (c for c in self.zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", c)):
            cx = self.replaced.get(chart, self.zf.read(chart)).decode("utf-8")
            new_cx = re.sub(r"(<(?:\w+:)?f>)([^<]*)(</(?:\w+:)?f>)", ref, cx)
            if new_cx != cx:
                self.replaced[chart] = new_cx.encode("utf-8")

    def _shift_outside(self, title: str, after: int, n: int) -> None:
        """What lies outside sheet ``title`` follows its rows: ``n`` rows inserted after row ``after``
        (``n`` < 0: the ``-n`` rows after ``after`` deleted).

        References from outside (:meth:`shift_references`), the drawing anchors of ``title``
        (an anchor on a deleted row clamps to the row below the gap), its comments, VML notes
        and tables move.
        """
        shift = RowShift.insert(title, after, n) if n >= 0 else RowShift.delete(title, after + 1, after - n)
        self.shift_references(title, shift)
        drawing = _drawing_part(self.zf, self.parts[title])
        if drawing:
            dx = self.replaced.get(drawing, self.zf.read(drawing)).decode("utf-8")

            def anchor(m: re.Match) -> str:
                row = int(m.group(2)) + 1  # anchors count rows from 0
                new = shift.row(row)
                offset = m.group(4)
                if new is None:  # on a deleted row: the top of the row below the gap
                    new, offset = shift.at, "0"
                return f"{m.group(1)}{new - 1}{m.group(3)}{offset}{m.group(5)}"
            new_dx = re.sub(r"(<(?:xdr:)?row>)(\d+)(</(?:xdr:)?row>\s*<(?:xdr:)?rowOff>)(-?\d+)(</)", anchor, dx)
            if new_dx != dx:
                self.replaced[drawing] = new_dx.encode("utf-8")
        self._shift_attached(title, shift)

    def _shift_attached(self, title: str, shift: RowShift) -> None:
        """The cell comments, their legacy VML shapes, threaded comments and tables of sheet ``title`` follow its rows.

        A comment's ``ref`` moves with :func:`shift_formula` (one rule with formulas); a comment on a
        deleted row is removed, and so is its VML note shape (``<x:Row>`` on that row). Other VML
        anchors (``<x:Anchor>``, ``<x:Row>``) move like drawing anchors; a table's ``ref`` and its auto
        filter's and sort state's ranges move like ``sqref`` ranges (:func:`shift_area`).
        """
        for rtype, part in part_relationships(self.zf, self.parts[title]).values():
            kind = rtype.rsplit("/", 1)[-1]
            if part not in self.zf.NameToInfo or kind not in ("comments", "threadedComment", "vmlDrawing", "table"):
                continue
            raw = self.replaced.get(part, self.zf.read(part))
            try:
                text, encoding = raw.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:  # legacy VML in a single-byte code page: kept byte for byte
                text, encoding = raw.decode("latin-1"), "latin-1"
            if kind == "vmlDrawing":
                new = _shift_vml(text, shift)
            elif kind == "table":
                new = re.sub(r'(<(?:\w+:)?(?:table|autoFilter|sortState|sortCondition)\b[^>]*?\sref=")([^"]*)(")',
                             lambda m: m.group(1) + (shift_area(m.group(2), shift) or m.group(2)) + m.group(3), text)
            else:
                element = "comment" if kind == "comments" else "threadedComment"
                new = _shift_comments(text, element, shift)
            if new != text:
                self.replaced[part] = new.encode(encoding)

    # ------------------------------------------------------------------ the whole plan

    def run(self) -> None:
        new_items = _flatten(self.plan)
        pairs, removed, added = _pair(self.old_items, new_items, self._old_ids())
        # ---- card layouts: one block of rows per initiative (.cards) ----
        if self.card_sheets:
            write_cards(self, new_items, pairs, removed, added)
            return
        # ----
        old_of_new = pairs
        first_rows = [min(s.rows) for s in self.slots]  # before any row moves: where the old 番号 are read
        for j, i in sorted(pairs.items()):
            slot, old, new = self.slots[i], self.old_items[i].init, new_items[j].init
            lay = self.layouts[slot.sheet]
            self._write_roles(slot, old, new)
            if form_view(lay, old) != form_view(lay, new):
                paint_slot(self.sheets[slot.sheet], lay, slot.rows, new, self.issues)
                self.edited.add(slot.sheet)
                self.summary.append(f"repainted\t{new.name}")
            if norm(old.name) != norm(new.name):
                self.summary.append(f"renamed\t{old.name}\t{new.name}")
        gone: set[int] = set()
        for i in sorted(removed, key=lambda k: -min(self.slots[k].rows)):
            if self._deletable(i, gone):
                self._delete(i)
                gone.add(i)
                self.summary.append(f"deleted\t{self.old_items[i].init.name}")
            else:
                self._clear(self.slots[i])
                self.summary.append(f"cleared\t{self.old_items[i].init.name}")
        # new rows from the bottom up, so that the anchors above stay where they are
        placements = []
        for j in added:
            item = new_items[j]
            anchor = None
            for k in range(j - 1, -1, -1):
                if new_items[k].pillar is not item.pillar:
                    break
                if k in old_of_new:
                    anchor = ("after", self.slots[old_of_new[k]])
                    break
            if anchor is None:
                for k in range(j + 1, len(new_items)):
                    if new_items[k].pillar is not item.pillar:
                        break
                    if k in old_of_new:
                        anchor = ("before", self.slots[old_of_new[k]])
                        break
            if anchor is None:
                self.issues.append(Issue(f"“{item.init.name}” is in a pillar the form does not have ({item.pillar.name})",
                                         f"「{item.init.name}」の基本方針（{item.pillar.name}）が様式にありません"))
                continue
            if item.depth:
                self.issues.append(Issue(f"new sub-action “{item.init.name}” is written as an initiative row",
                                         f"新しい小項目「{item.init.name}」は取組の行として書き込みます"))
            placements.append((j, anchor))
        placements.sort(key=lambda p: -(max(p[1][1].rows) if p[1][0] == "after" else min(p[1][1].rows) - 0.5))
        for j, (where, slot) in placements:
            lay = self.layouts[slot.sheet]
            n = max(1, lanes_needed(lay, new_items[j].init))
            after = max(slot.rows) if where == "after" else min(slot.rows) - 1
            like = max(slot.rows) if where == "after" else min(slot.rows)
            rows = self._insert(slot.sheet, after, n, like)
            new_slot = Slot(slot.sheet, rows)
            self._write_roles(new_slot, None, new_items[j].init)
            pillar_col = lay.role_col("pillar")
            sheet = self.sheets[slot.sheet]
            if pillar_col is not None and sheet.merge_at(rows[0], pillar_col) is None:
                sheet.set_cell(rows[0], pillar_col, new_items[j].pillar.name, sheet.style(rows[0], pillar_col))
            paint_slot(sheet, lay, rows, new_items[j].init, self.issues)
            self.added_slots[j] = new_slot
            self.summary.append(f"added\t{new_items[j].init.name}")
        if removed or added:
            for title in self.layouts:
                self._renumber(title, new_items, pairs, first_rows)

    # ------------------------------------------------------------------ the package

    def package(self, data_xml: str | None) -> tuple[bytes, list[str]]:
        """The new package bytes and the names of the members that differ from the original."""
        replaced = dict(self.replaced)
        for title in self.edited:
            replaced[self.parts[title]] = self.sheets[title].xml().encode("utf-8")
        for title, sheet in self.formula_sheets.items():
            if sheet.formulas_adjusted and sheet.settle():
                replaced[self.parts[title]] = sheet.xml().encode("utf-8")
        if any(s.cells_adjusted for s in [*self.sheets.values(), *self.formula_sheets.values()]):
            self._full_calc_on_load(replaced)
        extra: dict[str, bytes] = {}
        if data_xml is not None:
            part = self.parts.get(SHEET_NAME)
            if part is None:
                part = self._add_data_sheet(replaced)
                extra[part] = data_xml.encode("utf-8")
            else:
                replaced[part] = data_xml.encode("utf-8")
        buf = io.BytesIO()
        changed = []
        with zipfile.ZipFile(buf, "w") as out:
            for info in self.zf.infolist():
                if info.filename in replaced:
                    data = replaced[info.filename]
                    if data != self.zf.read(info):
                        changed.append(info.filename)
                    out.writestr(_info_like(info), data, compress_type=zipfile.ZIP_DEFLATED)
                else:
                    out.writestr(_info_like(info), self.zf.read(info), compress_type=info.compress_type)
            for name, data in extra.items():
                changed.append(name)
                out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
        return buf.getvalue(), changed

    def _full_calc_on_load(self, replaced: dict[str, bytes]) -> None:
        """Ask the spreadsheet to recalculate everything when the workbook is opened.

        Adjusted formulas keep their cached values (``<v>``), which were computed over the old
        rows (a SUM over a range that just grew still shows the old total). Excel recalculates
        only what it thinks is dirty and trusts cached values otherwise, so ``fullCalcOnLoad``
        is set; it is set only when formulas were adjusted, so that a workbook without moved
        formulas keeps its ``workbook.xml`` as it was.
        """
        wb = workbook_part(self.zf) or "xl/workbook.xml"
        xml = replaced.get(wb, self.zf.read(wb)).decode("utf-8")
        m = re.search(r"<(\w+:)?calcPr\b[^>]*?(/?)>", xml)
        if m is not None:
            tag = m.group()
            if re.search(r'\sfullCalcOnLoad="', tag):
                new = re.sub(r'(\sfullCalcOnLoad=")[^"]*(")', r"\g<1>1\g<2>", tag)
            else:
                end = len(tag) - (2 if m.group(2) else 1)
                new = tag[:end] + ' fullCalcOnLoad="1"' + tag[end:]
            xml = xml[:m.start()] + new + xml[m.end():]
        else:
            prefix = re.search(r"<(\w+:)?sheets\b", xml)
            p = (prefix.group(1) or "") if prefix else ""
            later = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
                     "fileRecoveryPr", "webPublishObjects", "extLst")
            positions = [m2.start() for name in later if (m2 := re.search(rf"<{p}{name}\b", xml))]
            at = min(positions) if positions else xml.rindex(f"</{p}workbook>")
            xml = xml[:at] + f'<{p}calcPr fullCalcOnLoad="1"/>' + xml[at:]
        replaced[wb] = xml.encode("utf-8")

    def _add_data_sheet(self, replaced: dict[str, bytes]) -> str:
        """Register a new hidden worksheet part in workbook.xml, its rels and [Content_Types].xml."""
        wb = workbook_part(self.zf) or "xl/workbook.xml"
        names = set(self.zf.namelist())
        k = 1
        while f"xl/worksheets/sheet{k}.xml" in names:
            k += 1
        part = f"xl/worksheets/sheet{k}.xml"
        rels = rels_name(wb)
        rels_xml = replaced.get(rels, self.zf.read(rels)).decode("utf-8")
        ids = {int(x) for x in re.findall(r'Id="rId(\d+)"', rels_xml)}
        rid = f"rId{max(ids, default=0) + 1}"
        target = os.path.relpath(part, os.path.dirname(wb)).replace(os.sep, "/")
        rel = f'<Relationship Id="{rid}" Type="{_REL_SHEET}" Target="{target}"/>'
        replaced[rels] = rels_xml.replace("</Relationships>", rel + "</Relationships>", 1).encode("utf-8")
        wb_xml = replaced.get(wb, self.zf.read(wb)).decode("utf-8")
        sheet_ids = [int(x) for x in re.findall(r'<sheet\b[^>]*\bsheetId="(\d+)"', wb_xml)]
        prefix = re.search(r"<(\w+:)?sheets\b", wb_xml)
        p = prefix.group(1) or "" if prefix else ""
        root = re.search(r"<(\w+:)?workbook\b[^>]*>", wb_xml)  # a prefix declared on the root only (openpyxl
        # declares it on each <sheet>, where it does not reach a new one)
        rel_prefix = re.search(r'xmlns:(\w+)="http://schemas\.openxmlformats\.org/officeDocument/2006/relationships"',
                               root.group() if root else "")
        rp = rel_prefix.group(1) if rel_prefix else None
        ns_decl = "" if rp else ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        entry = (f'<{p}sheet name="{SHEET_NAME}" sheetId="{max(sheet_ids, default=0) + 1}" state="hidden" '
                 f'{rp or "r"}:id="{rid}"{ns_decl}/>')
        wb_xml = wb_xml.replace(f"</{p}sheets>", entry + f"</{p}sheets>", 1)
        replaced[wb] = wb_xml.encode("utf-8")
        ct = replaced.get("[Content_Types].xml", self.zf.read("[Content_Types].xml")).decode("utf-8")
        ct = ct.replace("</Types>", f'<Override PartName="/{part}" ContentType="{_CT_SHEET}"/></Types>', 1)
        replaced["[Content_Types].xml"] = ct.encode("utf-8")
        return part

    def close(self) -> None:
        for lay in self.layouts.values():
            if lay.canvas is not None:
                lay.canvas.close()
        self.zf.close()


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
_NUMBER = re.compile(r"(\D*?)([0-9]+|[０-９]+|[①-⑳])(\D*)")


def _parse_number(value: object) -> tuple[str, str, str, int] | None:
    """A 番号 cell as (notation, text before, text after, number): ``3`` → ("number", "", "", 3),
    ``"（３）"`` → ("wide", "（", "）", 3), ``"②"`` → ("circled", "", "", 2); ``None`` for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return ("number", "", "", int(value)) if float(value).is_integer() and value > 0 else None
    if not isinstance(value, str):
        return None
    m = _NUMBER.fullmatch(value.strip())
    if m is None:
        return None
    digits = m.group(2)
    if digits in _CIRCLED:
        return "circled", m.group(1), m.group(3), _CIRCLED.index(digits) + 1
    kind = "ascii" if digits.isascii() else "wide"
    return kind, m.group(1), m.group(3), int(digits.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def _format_number(kind: str, prefix: str, suffix: str, k: int) -> int | str | None:
    """Number ``k`` in a notation :func:`_parse_number` found; ``None`` past ⑳."""
    if kind == "number":
        return k
    if kind == "circled":
        return prefix + _CIRCLED[k - 1] + suffix if k <= len(_CIRCLED) else None
    return prefix + (str(k) if kind == "ascii" else str(k).translate(_WIDE)) + suffix


def _sequence(groups: list) -> list[int]:
    """1, 2, 3 … restarting whenever the group (a pillar, by identity) changes."""
    out: list[int] = []
    for k, g in enumerate(groups):
        out.append(1 if k == 0 or g is not groups[k - 1] else out[-1] + 1)
    return out


def _shift_comments(xml: str, element: str, shift: RowShift) -> str:
    """Every ``<element ref="…">`` of a comments part moved by ``shift``; one on a deleted row removed."""
    pattern = re.compile(rf"<(?:\w+:)?{element}\b[^>]*?(?:/>|>.*?</(?:\w+:)?{element}>)", re.S)

    def one(m: re.Match) -> str:
        text = m.group()
        ref = re.search(r'\sref="([^"]*)"', text[:text.find(">")])
        if ref is None:
            return text
        new = shift_formula(ref.group(1), shift, shift.sheet)
        if "#REF!" in new:
            return ""
        return text[:ref.start(1)] + new + text[ref.end(1):]
    return pattern.sub(one, xml)


def _shift_vml(xml: str, shift: RowShift) -> str:
    """Legacy VML shapes (comment notes, form controls) moved by ``shift``; a note on a deleted row removed.

    ``<x:Row>`` (the note's cell, from 0) and the rows of ``<x:Anchor>`` (left column, offset,
    top row, offset, right column, offset, bottom row, offset; rows from 0) follow their rows;
    an anchor row that is deleted clamps to the first row after the gap.
    """
    def row0(r0: int) -> int:
        new = shift.row(r0 + 1)
        return (shift.at if new is None else new) - 1

    def shape(m: re.Match) -> str:
        text = m.group()
        row = re.search(r"(<(?:\w+:)?Row>)\s*(\d+)\s*(</(?:\w+:)?Row>)", text)
        if row is not None and re.search(r'ObjectType="Note"', text) and shift.row(int(row.group(2)) + 1) is None:
            return ""
        if row is not None and row0(int(row.group(2))) != int(row.group(2)):
            text = text[:row.start(2)] + str(row0(int(row.group(2)))) + text[row.end(2):]

        def anchor(a: re.Match) -> str:
            pieces = a.group(2).split(",")
            if len(pieces) != 8 or not all(p.strip().lstrip("-").isdigit() for p in pieces):
                return a.group()
            top = row0(int(pieces[2]))
            bottom = max(top, row0(int(pieces[6])))
            pieces[2] = re.sub(r"-?\d+", str(top), pieces[2])
            pieces[6] = re.sub(r"-?\d+", str(bottom), pieces[6])
            return a.group(1) + ",".join(pieces) + a.group(3)
        return re.sub(r"(<(?:\w+:)?Anchor>)([^<]*)(</(?:\w+:)?Anchor>)", anchor, text)
    return re.sub(r"<(\w+:)?shape\b[^>]*?(?:/>|>.*?</\1shape>)", shape, xml, flags=re.S)


def _unescape(text: str) -> str:
    return _xml_unescape(text, {"&quot;": '"', "&apos;": "'"})


def _info_like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.external_attr, new.comment, new.create_system = info.external_attr, info.comment, info.create_system
    return new


def _update_extended(office: Path, plan: Plan, force: bool, data_sheet: bool) -> UpdateResult:
    """:func:`update_workbook` into the form grown by the fiscal years the plan needs (:mod:`.extend`)."""
    pre = _Job(office, plan, force)
    try:
        grown = pre.package(None)[0] if extend_form(pre, plan) else None
    finally:
        pre.close()
    if grown is None:
        return update_workbook(office, plan, force=force, data_sheet=data_sheet)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / office.name
        path.write_bytes(grown)
        result = update_workbook(path, plan, force=force, data_sheet=data_sheet)
    with zipfile.ZipFile(office) as zf, zipfile.ZipFile(io.BytesIO(result.data)) as out:
        old = set(zf.namelist())
        result.changed_parts = [n for n in out.namelist() if n not in old or out.read(n) != zf.read(n)]
    result.summary.insert(0, "extended\tthe form's fiscal years")
    return result


def update_workbook(office: str | os.PathLike, plan: Plan, *, force: bool = False,
                    data_sheet: bool = True, extend: bool = False) -> UpdateResult:
    """``plan`` written into a copy of the office workbook ``office`` (returned as bytes; see the module docstring).

    Raises :class:`PlanReadError` when ``office`` cannot be read or its layout cannot be
    written into, and :class:`UpdateRefused` when the form cannot show the plan and
    ``force`` is false. ``data_sheet=False`` leaves out the hidden data sheet (for tests
    of what the visible form alone says). ``extend`` first adds the fiscal years the plan
    needs and the form lacks to its time axis (:func:`.extend.extend_form`).
    """
    if extend:
        return _update_extended(Path(office), plan, force, data_sheet)
    job = _Job(Path(office), plan, force)
    try:
        job.run()
        if job.issues and not force:
            raise UpdateRefused(job.issues)
        if not data_sheet:
            data, changed = job.package(None)
            return UpdateResult(data, job.issues, changed, job.summary)
        main = max(job.layouts, key=lambda t: sum(1 for s in job.slots if s.sheet == t))
        data, _ = job.package(data_sheet_xml(plan))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / ("stamp" + Path(office).suffix.lower())
            path.write_bytes(data)
            ws = WorkbookReader(path).wb[main]
            stamped = data_sheet_xml(plan, (main, ws))
        data, changed = job.package(stamped)
        return UpdateResult(data, job.issues, changed, job.summary)
    finally:
        job.close()
