"""Card layouts: a block per initiative with its own schedule header and ①②③ sub-actions.

A card reads, top to bottom: a title row (the initiative's name), key/value rows
(概要 | text, 担当 | departments, 目標 | …), a schedule header (No | 主な取組 | years),
then one row per sub-action (① name + bars). A schedule row with no sub-action text
holds the card's own phases. Rows like よくなる点 | text after the schedule are notes of
the card, not sub-actions. Heading rows between cards that start with an enumerator
(（1）, 1., 第1) are pillars.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxroadmap.io.xlsx.read.axis import Axis
from dxroadmap.io.xlsx.read.cell_marks import row_marks
from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.io.xlsx.read.headings import column_roles, key_role
from dxroadmap.io.xlsx.read.results import RowDecision
from dxroadmap.io.xlsx.read.shape_marks import interpret_shapes
from dxroadmap.io.xlsx.read.table import TableResult
from dxroadmap.io.xlsx.read.words import (
    clean_name,
    enumerator_of,
    is_enumerator,
    is_legend,
    is_note,
    split_departments,
    strip_enumerator,
)
from dxroadmap.model.plan import Initiative, Milestone, Phase, guess_kind

__all__ = ["is_card_sheet", "read_cards"]


def _row_texts(grid: SheetGrid, r: int) -> list[tuple[int, str]]:
    out = []
    for c in grid.row_cells(r):
        t = as_text(grid.values[(r, c)])
        if t:
            out.append((c, t))
    return out


def _keys_above(grid: SheetGrid, axis: Axis, limit: int = 6) -> list[int]:
    """Key/value rows (概要, 担当 …) right above an axis header, bottom-up."""
    rows = []
    r = axis.year_row - 1
    while r >= 1 and len(rows) < limit:
        texts = _row_texts(grid, r)
        if not texts:
            break
        if key_role(texts[0][1]) is None:
            break
        rows.append(r)
        r -= 1
    return rows


def is_card_sheet(grid: SheetGrid, axes: list[Axis]) -> bool:
    """Cards: schedule headers with 概要/担当 key rows above them."""
    if not axes:
        return False
    with_keys = sum(1 for a in axes if _keys_above(grid, a))
    return with_keys >= 1 and with_keys >= len(axes) / 2


@dataclass
class _Card:
    axis: Axis
    title_row: int | None
    key_rows: list[int]
    pillar_rows: list[int]


def read_cards(grid: SheetGrid, axes: list[Axis], shapes: list | None = None) -> TableResult:
    """Read every card of the sheet."""
    out = TableResult()
    cards: list[_Card] = []
    prev_end = 0
    for a in axes:
        keys = _keys_above(grid, a)
        top = min(keys) if keys else a.year_row
        title_row = None
        r = top - 1
        while r > prev_end:
            texts = _row_texts(grid, r)
            if texts:
                if len(texts) == 1 and not is_note(texts[0][1]):
                    title_row = r
                break
            r -= 1
        pillar_rows = []
        if title_row is not None:
            r = title_row - 1
            while r > prev_end:
                texts = _row_texts(grid, r)
                if texts and len(texts) == 1 and texts[0][0] < a.first_col:  # not a bar label of the card above
                    pillar_rows.append(r)
                elif texts:
                    break
                r -= 1
        cards.append(_Card(a, title_row, sorted(keys), sorted(pillar_rows)))
        prev_end = a.last_header_row
    pillar = None
    for k, card in enumerate(cards):
        a = card.axis
        g = grid
        for r in card.pillar_rows:
            t = as_text(g.value(r, _row_texts(g, r)[0][0]))
            enum = enumerator_of(t)
            if enum and not is_enumerator(t) or any(w in t for w in ("基本方針", "分野", "目標", "の取り組み", "の取組")) \
                    and r > 2:
                pillar = strip_enumerator(t) or t
                out.decisions.append(RowDecision(g.title, r, "pillar", f"heading “{pillar}” above the cards"))
            else:
                out.decisions.append(RowDecision(g.title, r, "title", "a title line above the cards"))
        if card.title_row is None:
            out.decisions.append(RowDecision(g.title, a.year_row, "unplaced", "a schedule header without a card title"))
            continue
        name = clean_name(as_text(g.value(card.title_row, _row_texts(g, card.title_row)[0][0])))
        init = Initiative(name=name)
        out.decisions.append(RowDecision(g.title, card.title_row, "initiative", f"card title “{name}”"))
        for r in card.key_rows:
            texts = _row_texts(g, r)
            role = key_role(texts[0][1])
            value = "\n".join(t for _, t in texts[1:])
            if role == "summary":
                init.summary = value
            elif role == "departments":
                init.departments = split_departments(value)
            elif role == "kpi":
                init.kpi = value
            else:
                init.notes = (init.notes + "\n" if init.notes else "") + f"{texts[0][1]}: {value}"
            out.decisions.append(RowDecision(g.title, r, "header", f"card field {texts[0][1]}"))
        for r in a.header_rows:
            out.decisions.append(RowDecision(g.title, r, "header", "the card's schedule header"))
        roles = column_roles(g, a.header_rows, a.col_set)
        no_col = next((c for c, ro in roles.items() if ro == "no"), None)
        name_col = next((c for c, ro in roles.items() if ro == "name"), None)
        if name_col is None:
            label_cols = sorted(c for c in g.row_cells(a.year_row) if c < a.first_col and c != no_col)
            name_col = label_cols[-1] if label_cols else None
        end = cards[k + 1].pillar_rows[0] - 1 if k + 1 < len(cards) and cards[k + 1].pillar_rows else (
            (cards[k + 1].title_row - 1 if cards[k + 1].title_row else cards[k + 1].axis.year_row - 1)
            if k + 1 < len(cards) else g.max_row)
        start = a.last_header_row + 1
        sbars, smarks = [], []
        if shapes:
            sbars, smarks, _ = interpret_shapes(shapes, a.cols, g, (start, end))
        rows = sorted({r for r in g.rows_with_content if start <= r <= end} | {b.row for b in sbars}
                      | {m.row for m in smarks})
        for r in rows:
            texts = _row_texts(g, r)
            label_texts = [(c, t) for c, t in texts if c < a.first_col]
            if any(is_legend(t) for _, t in texts):
                out.decisions.append(RowDecision(g.title, r, "legend", "a 凡例 (legend) block"))
                continue
            if label_texts and is_note(label_texts[0][1]):
                out.decisions.append(RowDecision(g.title, r, "note", "a note line"))
                continue
            no_text = g.text(r, no_col) if no_col is not None else ""
            if no_text and not is_enumerator(no_text):
                value = "\n".join(t for c, t in label_texts if c != no_col)
                init.notes = (init.notes + "\n" if init.notes else "") + f"{no_text}: {value}"
                out.decisions.append(RowDecision(g.title, r, "note", f"card field {no_text} (not a sub-action)"))
                continue
            bars, marks = row_marks(g, r, a.cols)
            phases = [Phase(a.cols[b.first].start, a.cols[b.last].end, b.label, guess_kind(b.label), b.color)
                      for b in bars]
            phases += [Phase(a.cols[b.first].start, a.cols[b.last].end, b.label, guess_kind(b.label), b.color)
                       for b in sbars if b.row == r]
            milestones = [Milestone(a.cols[m.index].start, m.label) for m in marks]
            milestones += [Milestone(a.cols[m.index].start, m.label) for m in smarks if m.row == r]
            out.phases_from.update(b.source for b in bars)
            sub = clean_name(g.text(r, name_col)) if name_col is not None and g.origin(r, name_col)[0] == r else ""
            if sub:
                child = Initiative(name=sub, phases=phases, milestones=milestones)
                init.children.append(child)
                out.count += 1
                out.decisions.append(RowDecision(g.title, r, "child", f"sub-action {no_text} of “{name}”".replace("  ", " ")))
            elif phases or milestones:
                init.phases.extend(phases)
                init.milestones.extend(milestones)
                out.decisions.append(RowDecision(g.title, r, "initiative", f"the card “{name}”'s own schedule"))
            elif texts:
                out.decisions.append(RowDecision(g.title, r, "unplaced", "text in a card that is not a sub-action"))
        out.entries.append((pillar or g.title, init))
        out.count += 1
    return out
