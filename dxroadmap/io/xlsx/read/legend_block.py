"""A workbook's own 凡例 (legend) block: which colour means which word, as the office wrote it.

:func:`find_legend_block` looks for a cell (or a text box / shape text) reading 凡例, 【凡例】,
■凡例… (:func:`~dxroadmap.io.xlsx.read.words.is_legend`) and reads the entries around it:

- in cells, right of the title on its row and on the rows under it, starting at the title's
  column: a filled cell holding a word is an entry (the word in the coloured cell itself); a
  filled cell without text is a swatch whose word is the first text cell right of it (within
  :data:`_WORD_REACH` columns, unfilled). Rows of entries may run across (a row of swatches) or
  down (a vertical list); the block ends at the first row without an entry, at a row that
  repeats a colour (table headings are all one grey) or that holds a year heading, and after
  :data:`_MAX_ROWS` rows;
- in shapes (sheets drawn with shapes), filled rectangles and arrows near the title: the word is
  the shape's own text, else a text box or cell text just right of it on its row.

Each colour is read once (the first word wins). The block's ``ref`` (``B40:F41``) and colour count
go into the reader's notice, and its shapes are kept out of bar detection (its cell rows are
already decided as ``legend`` rows by the table reader).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.io.xlsx.read.results import Notice
from dxroadmap.io.xlsx.read.shape_marks import BAR_KINDS
from dxroadmap.io.xlsx.read.words import is_legend, norm
from dxroadmap.model.legend import normalize_color
from dxroadmap.model.plan import PhaseKind, Plan, guess_kind
from dxroadmap.model.wareki import find_fiscal_year

__all__ = ["LegendBlock", "find_legend_block", "apply_legend_blocks"]

_MAX_ROWS = 12        # rows a legend block may span under its title
_MAX_COLS = 40        # columns right of the title searched
_WORD_REACH = 3       # columns right of a swatch where its word may stand
_MAX_WORD = 30        # characters: longer text is a note, not a legend word
_SHAPE_ROWS = 6.0     # rows under a legend title searched for swatch shapes


def _col_letter(c: int) -> str:
    out = ""
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class LegendBlock:
    """A 凡例 block: its sheet, its cell range (1-based, inclusive) and its entries in reading order."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    entries: list[tuple[str, str]] = field(default_factory=list)  # ("#RRGGBB", word)
    shapes: list[Any] = field(default_factory=list)  # shapes that are part of the block

    @property
    def ref(self) -> str:
        """The block's range as Excel writes it (``B40:F41``)."""
        return f"{_col_letter(self.first_col)}{self.first_row}:{_col_letter(self.last_col)}{self.last_row}"


def _word(text: str) -> str:
    """A legend word from a cell or shape text: one line, no leading ■/□ marks."""
    t = " ".join(text.split())
    t = t.lstrip("■□●○◆◇▲△・:：")
    return t.strip()


def _good_word(t: str) -> bool:
    return bool(t) and len(t) <= _MAX_WORD and not is_legend(t) and find_fiscal_year(t) is None


def _titles(g: SheetGrid) -> list[tuple[int, int]]:
    out = []
    for (r, c), v in g.values.items():
        t = as_text(v)
        if t and len(norm(t)) <= 8 and is_legend(t):
            out.append((r, c))
    return sorted(out)


def _cell_block(g: SheetGrid, tr: int, tc: int) -> LegendBlock | None:
    block = LegendBlock(g.title, tr, tc, tr, tc)
    colors: set[str] = set()
    used: set[tuple[int, int]] = {(tr, tc)}
    for r in range(tr, tr + _MAX_ROWS + 1):
        row_entries: list[tuple[str, str, int, int]] = []  # colour, word, first col, last col
        stop = False
        c = tc + 1 if r == tr else tc
        last = tc + _MAX_COLS
        while c <= last:
            origin = g.origin(r, c)
            m = g.merge_at(r, c)
            right = m.max_col if m else c
            if origin in used or origin[0] != r:
                c = right + 1
                continue
            color = normalize_color(g.color_of(g.fill(r, c)))
            text = _word(as_text(g.values.get(origin)))
            if color is None:
                if text and row_entries and not _good_word(text):
                    stop = True
                c = right + 1
                continue
            if text:
                if not _good_word(text):
                    stop = True
                    break
                row_entries.append((color, text, c, right))
                used.add(origin)
                c = right + 1
                continue
            # a swatch: its word is the next text right of it, in an unfilled cell
            word, wc = "", right
            for k in range(right + 1, right + 1 + _WORD_REACH):
                o = g.origin(r, k)
                if g.fill(r, k) is not None:
                    break
                t = _word(as_text(g.values.get(o)))
                if t:
                    word, wc = t, (g.merge_at(r, k).max_col if g.merge_at(r, k) else k)
                    used.add(o)
                    break
            if word and _good_word(word):
                row_entries.append((color, word, c, wc))
            c = wc + 1
        new = [e for e in row_entries if e[0] not in colors]
        if stop or not row_entries or len(new) < len(row_entries) or len({e[0] for e in row_entries}) < len(row_entries):
            if r == tr:
                continue  # the title alone on its row: the entries may start under it
            break
        for color, word, c0, c1 in row_entries:
            colors.add(color)
            block.entries.append((color, word))
            block.first_col = min(block.first_col, c0)
            block.last_col = max(block.last_col, c1)
        block.last_row = r
    return block if block.entries else None


def _shape_block(g: SheetGrid, shapes: Sequence[Any], title: tuple[float, float, float, float]) -> LegendBlock | None:
    """Swatch shapes near a legend title at ``title`` = (col0, col1, row0, row1), 0-based fractional."""
    x0, x1, y0, y1 = title
    live = [s for s in shapes if not getattr(s, "hidden", False)]
    boxes = [s for s in live if s.kind == "textbox" and (s.text or "").strip()]
    swatches = []
    for s in live:
        if s.kind not in BAR_KINDS or not s.fill:
            continue
        cx, cy = (s.col0 + s.col1) / 2, (s.row0 + s.row1) / 2
        if y0 - 0.5 <= cy <= y1 + _SHAPE_ROWS and x0 - 0.5 <= cx <= x1 + _MAX_COLS:
            swatches.append(s)
    block = LegendBlock(g.title, int(y0) + 1, int(x0) + 1, int(y0) + 1, int(x0) + 1)
    colors: set[str] = set()
    for s in sorted(swatches, key=lambda s: (round(s.row0), s.col0)):
        color = normalize_color(s.fill)
        word = _word(s.text or "")
        part = [s]
        word_col = 0  # a cell holding the word (1-based column), when it came from one
        if not word:  # a text box, then a cell, just right of the swatch on its row
            cy = (s.row0 + s.row1) / 2
            best = None
            for b in boxes:
                d = b.col0 - s.col1
                if -0.3 <= d <= _WORD_REACH and b.row0 <= cy <= b.row1 and (best is None or d < best[0]):
                    best = (d, b)
            if best is not None:
                word = _word(best[1].text)
                part.append(best[1])
            else:
                r = int(math.floor(cy)) + 1
                first = math.ceil(s.col1) + 1  # the first whole column right of the swatch (1-based)
                for k in range(first, first + _WORD_REACH):
                    word = _word(g.text(r, k))
                    if word:
                        word_col = k
                        break
        if color is None or color in colors or not _good_word(word):
            continue
        colors.add(color)
        block.entries.append((color, word))
        block.shapes.extend(part)
        block.first_row = min(block.first_row, int(s.row0) + 1)
        block.last_row = max(block.last_row, int(s.row1 - 1e-6) + 1)
        block.first_col = min(block.first_col, int(s.col0) + 1)
        block.last_col = max(block.last_col, int(max(p.col1 for p in part) - 1e-6) + 1, word_col)
    return block if block.entries else None


def find_legend_block(g: SheetGrid, shapes: Sequence[Any] = ()) -> LegendBlock | None:
    """The sheet's 凡例 block (the one with most colours when there are several), or ``None``."""
    found: list[LegendBlock] = []
    for r, c in _titles(g):
        block = _cell_block(g, r, c)
        if block is None and shapes:
            block = _shape_block(g, shapes, (c - 1, c, r - 1, r))
        if block is not None:
            found.append(block)
    for s in shapes:
        if not getattr(s, "hidden", False) and (s.text or "").strip() and len(norm(s.text)) <= 8 and is_legend(s.text):
            block = _shape_block(g, [x for x in shapes if x is not s], (s.col0, s.col1, s.row0, s.row1))
            if block is not None:
                block.shapes.append(s)
                found.append(block)
    if not found:
        return None
    return max(found, key=lambda b: len(b.entries))


def apply_legend_blocks(plan: Plan, blocks: Sequence[LegendBlock]) -> list[Notice]:
    """Give ``plan`` the workbooks' own 凡例 and say where it was read.

    The blocks' entries become :attr:`Plan.legend` (the first block naming a colour wins); a phase
    whose colour the legend names takes the kind that word names (構築・実証 → 実証), when the word
    names one. Returns one ``legend-read`` notice per block (sheet, range, number of colours).
    """
    legend: dict[str, str] = {}
    notices: list[Notice] = []
    for block in blocks:
        for color, word in block.entries:
            legend.setdefault(color, word)
        n = len(block.entries)
        notices.append(Notice("legend-read", {"sheet": block.sheet, "range": block.ref, "count": n},
                              f"{block.sheet}: 凡例 read at {block.ref} ({n} colour{'s' if n != 1 else ''}); "
                              f"bars of those colours are named by its words."))
    if not legend:
        return notices
    plan.legend = list(legend.items())
    kinds = {color: guess_kind(word) for color, word in legend.items()}
    for _, init in plan.walk():
        for phase in init.phases:
            kind = kinds.get(normalize_color(phase.color) or "")
            if kind is not None and kind is not PhaseKind.CUSTOM:
                phase.kind = kind
    return notices
