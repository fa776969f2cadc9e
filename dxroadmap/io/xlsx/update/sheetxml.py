"""One worksheet part edited as text: cells, merged ranges and row shifts, the rest kept byte for byte.

The worksheet XML is cut into three pieces: everything before ``<sheetData>``, the rows,
and everything after. Rows that are not edited keep their exact original text; edited
rows are rebuilt from their original ``<row>`` start tag and their cells, where cells that
were not touched keep their original text too. Elements and attributes this module does
not know are never dropped, because they are never parsed into a model and written back.

Edits:

* :meth:`SheetXml.set_cell` — a cell's value (an existing shared string is referenced by
  its index, any other text goes in as an inline string, so ``sharedStrings.xml`` is
  never rewritten) and style index ``s``;
* :meth:`SheetXml.add_merge` / :meth:`SheetXml.remove_merges_in` — ``<mergeCells>``;
* :meth:`SheetXml.insert_rows` / :meth:`SheetXml.delete_rows` — rows below move down or up:
  cells, merges (grown or shrunk), formulas (:mod:`.formulas`, shared formulas written out
  cell by cell when they would no longer read the same), conditional formats, data
  validations, hyperlinks, auto filter, the dimension, row breaks and the sheet view
  (top-left cells, selection); the caller moves defined names, drawing anchors, comments,
  tables and other sheets' formulas
  (:meth:`SheetXml.adjust_formulas`) with the same :class:`~.formulas.RowShift`.
* :meth:`SheetXml.insert_cols` — the same for columns inserted after a column
  (:class:`~.formulas.ColShift`): cells, merges, formulas, conditional formats, data
  validations, hyperlinks, auto filter, the dimension, column breaks and the column
  widths (``<cols>``) move right; :meth:`SheetXml.copy_col_format` gives the new
  columns the width and format of existing ones.

Only worksheets written with the SpreadsheetML namespace as the default namespace are
supported (Excel, LibreOffice and openpyxl all write them so); others raise ``ValueError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from dxroadmap.io.xlsx.update.formulas import ColShift, RowShift, Shift, shift_area, shift_formula, translate_formula

__all__ = ["SheetXml", "col_letter", "col_number", "parse_shared_strings"]

_ROW = re.compile(r"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL = re.compile(r"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_ATTR_R = re.compile(r'\br="([A-Z]*)(\d*)"')
_ROW_R = re.compile(r'\br="(\d+)"')
_ATTR_S = re.compile(r'\bs="(\d+)"')
_MERGE = re.compile(r'<mergeCell\b[^>]*\bref="([^"]+)"[^>]*/>')
_MERGES_BLOCK = re.compile(r"<mergeCells\b[^>]*?(?:/>|>.*?</mergeCells>)", re.S)
# elements that follow <mergeCells> in CT_Worksheet order
_AFTER_MERGES = ("phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
                 "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties",
                 "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF",
                 "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst")


def col_letter(c: int) -> str:
    """``1`` → ``A``, ``28`` → ``AB``."""
    out = ""
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_number(letters: str) -> int:
    """``A`` → ``1``, ``AB`` → ``28``."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_shared_strings(xml: str | None) -> dict[str, int]:
    """Plain (unformatted) shared strings → their index, for reuse by reference."""
    out: dict[str, int] = {}
    if not xml:
        return out
    for k, m in enumerate(re.finditer(r"<si\b[^>]*?(?:/>|>(.*?)</si>)", xml, re.S)):
        body = m.group(1) or ""
        t = re.fullmatch(r"\s*<t(?:\s[^>]*)?>([^<]*)</t>\s*", body)
        if t is not None:
            text = t.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"') \
                .replace("&apos;", "'").replace("&amp;", "&")
            out.setdefault(text, k)
    return out


@dataclass
class _Row:
    number: int
    original: str  # the row's exact text in the part
    tag: str  # the <row ...> start tag (without the closing '>' or '/>')
    cells: dict[int, str] = field(default_factory=dict)  # column -> cell XML
    edited: bool = False


class SheetXml:
    """A worksheet part open for editing (see the module docstring)."""

    def __init__(self, xml: str, shared: dict[str, int] | None = None, title: str = "") -> None:
        start = re.search(r"<sheetData\b[^>]*?(/?)>", xml)
        if start is None or not re.search(r"<worksheet\b[^>]*\bxmlns=\"http://schemas\.openxmlformats\.org/"
                                          r"spreadsheetml/2006/main\"", xml):
            raise ValueError("worksheet without a default-namespace <sheetData>")
        self.shared = shared or {}
        self.title = title  # the sheet's name, for references that name it
        self.formulas_adjusted = False  # any formula changed (cells, conditional formats, validations, links)
        self.cells_adjusted = False  # a cell's formula changed (its cached value may be stale)
        if start.group(1):  # <sheetData/>
            self.head, body, self.tail = xml[:start.start()] + "<sheetData>", "", "</sheetData>" + xml[start.end():]
        else:
            end = xml.index("</sheetData>", start.end())
            self.head, body, self.tail = xml[:start.end()], xml[start.end():end], xml[end:]
        self.rows: dict[int, _Row] = {}
        self.order: list[int] = []
        prev = 0
        for m in _ROW.finditer(body):
            text = m.group()
            tag = re.match(r"<row\b[^>]*?(?=/?>)", text).group()
            rm = _ROW_R.search(tag)
            number = int(rm.group(1)) if rm else prev + 1
            if rm is None:
                tag += f' r="{number}"'
            prev = number
            row = _Row(number, text, tag)
            ccol = 0
            for cm in _CELL.finditer(text):
                cell = cm.group()
                a = _ATTR_R.search(cell[:cell.find(">")])
                ccol = col_number(a.group(1)) if a and a.group(1) else ccol + 1
                if a is None:
                    cell = cell.replace("<c", f'<c r="{col_letter(ccol)}{number}"', 1)
                    row.edited = True
                row.cells[ccol] = cell
            self.rows[number] = row
            self.order.append(number)
        self.merges: list[tuple[int, int, int, int]] = []  # (min_row, min_col, max_row, max_col)
        mb = _MERGES_BLOCK.search(self.tail)
        self._merges_original = mb.group() if mb else None
        for m in _MERGE.finditer(mb.group() if mb else ""):
            rng = _parse_range(m.group(1))
            if rng:
                self.merges.append(rng)
        self._merges_edited = False
        self._shifted = False
        self._originals: dict[int, tuple[dict[int, str], bool]] = {}  # row -> its cells before formulas changed
        self._tail_original = self.tail

    # ------------------------------------------------------------------ reading

    def style(self, r: int, c: int) -> int | None:
        """The style index ``s`` of cell (r, c), or ``None`` when the cell is not written."""
        row = self.rows.get(r)
        cell = row.cells.get(c) if row else None
        if cell is None:
            return None
        m = _ATTR_S.search(cell[:cell.find(">")])
        return int(m.group(1)) if m else 0

    def has_formulas(self) -> bool:
        return any("<f" in cell for row in self.rows.values() for cell in row.cells.values())

    def has_value(self, r: int, c: int) -> bool:
        """Whether cell (r, c) holds a value or a formula (not just a style)."""
        row = self.rows.get(r)
        cell = row.cells.get(c) if row else None
        return cell is not None and any(tag in cell for tag in ("<v>", "<v ", "<is>", "<f"))

    def merge_at(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        for m in self.merges:
            if m[0] <= r <= m[2] and m[1] <= c <= m[3]:
                return m
        return None

    # ------------------------------------------------------------------ editing

    def _row(self, r: int) -> _Row:
        row = self.rows.get(r)
        if row is None:
            row = self.rows[r] = _Row(r, "", f'<row r="{r}"')
            self.order.append(r)
            self.order.sort()
        row.edited = True
        return row

    def set_cell(self, r: int, c: int, value: str | int | float | None, style: int | None) -> None:
        """Write cell (r, c): ``value`` (``None`` for an empty cell) with style index ``style``."""
        ref = f"{col_letter(c)}{r}"
        s = f' s="{style}"' if style else ""
        if value is None:
            cell = f'<c r="{ref}"{s}/>'
        elif isinstance(value, str):
            k = self.shared.get(value)
            if k is not None:
                cell = f'<c r="{ref}"{s} t="s"><v>{k}</v></c>'
            else:
                space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
                cell = f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
        else:
            cell = f'<c r="{ref}"{s}><v>{value}</v></c>'
        self._row(r).cells[c] = cell

    def set_style(self, r: int, c: int, style: int | None) -> None:
        """Change only the style of cell (r, c), keeping its value."""
        row = self.rows.get(r)
        cell = row.cells.get(c) if row else None
        if cell is None:
            if style:
                self.set_cell(r, c, None, style)
            return
        head_end = cell.find(">")
        head = _ATTR_S.sub("", cell[:head_end]).rstrip("/").rstrip()
        if style:
            head += f' s="{style}"'
        rest = cell[head_end:]
        if cell[head_end - 1] == "/":
            rest = "/>"
        self._row(r).cells[c] = head + rest

    def move_cell(self, r: int, c: int, to_row: int) -> None:
        """Move cell (r, c) — value and style — to row ``to_row`` of the same column; (r, c) is left empty."""
        row = self.rows.get(r)
        cell = row.cells.get(c) if row else None
        if cell is None:
            return
        self._row(to_row).cells[c] = _ATTR_R.sub(f'r="{col_letter(c)}{to_row}"', cell, count=1)
        self.set_cell(r, c, None, self.style(r, c))

    def copy_row_tag(self, source: int, target: int) -> None:
        """Give row ``target`` the attributes (height, style) of row ``source``."""
        src = self.rows.get(source)
        if src is None:
            return
        row = self._row(target)
        row.tag = _ROW_R.sub(f'r="{target}"', src.tag, count=1)
        row.tag = re.sub(r'\sspans="[^"]*"', "", row.tag)

    def add_merge(self, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
        if (min_row, min_col) == (max_row, max_col):
            return
        self.merges.append((min_row, min_col, max_row, max_col))
        self._merges_edited = True

    def remove_merges_in(self, rows: set[int], cols: set[int]) -> list[tuple[int, int, int, int]]:
        """Drop the merged ranges lying wholly within ``rows`` × ``cols``; return them."""
        gone = [m for m in self.merges if all(r in rows for r in range(m[0], m[2] + 1))
                and all(c in cols for c in range(m[1], m[3] + 1))]
        if gone:
            self.merges = [m for m in self.merges if m not in gone]
            self._merges_edited = True
        return gone

    def insert_rows(self, after: int, n: int) -> None:
        """Move every row below ``after`` down by ``n`` rows (see :meth:`shift_rows`)."""
        if n > 0:
            self.shift_rows(RowShift.insert(self.title, after, n))

    def delete_rows(self, first: int, last: int) -> None:
        """Delete rows ``first..last``; every row below moves up (see :meth:`shift_rows`)."""
        if last >= first:
            self.shift_rows(RowShift.delete(self.title, first, last))

    def shift_rows(self, shift: RowShift) -> None:
        """Insert or delete rows of this sheet: cells, merges, formulas and sheet-level ranges move.

        Merged ranges grow over inserted rows and shrink over deleted ones (a merge left as one
        cell, or with all its rows deleted, is dropped); conditional formats, data validations
        and hyperlinks whose ranges are all deleted are dropped; formulas are adjusted with
        :mod:`.formulas` (:meth:`adjust_formulas`), the dimension and row breaks move.
        """
        self.adjust_formulas(shift, self.title, moving=True)
        moved: dict[int, _Row] = {}
        for number, row in self.rows.items():
            new = shift.row(number)
            if new is None:
                continue
            if new != number:
                row.tag = _ROW_R.sub(f'r="{new}"', row.tag, count=1)
                row.cells = {c: _ATTR_R.sub(lambda m, new=new: f'r="{m.group(1)}{new}"', cell, count=1)
                             for c, cell in row.cells.items()}
                row.number = new
                row.edited = True
            moved[new] = row
        self.rows = moved
        self.order = sorted(moved)
        merges = []
        for a, b, c, d in self.merges:
            span = shift.span(a, c)
            if span is not None and (span[0], b) != (span[1], d):
                merges.append((span[0], b, span[1], d))
        if merges != self.merges:
            self.merges = merges
            self._merges_edited = True

        def area(m: re.Match) -> str:
            new = shift_area(m.group(2), shift)
            return m.group(1) + (new if new is not None else m.group(2)) + m.group(3)
        self.head = re.sub(r'(<dimension\b[^>]*\bref=")([^"]*)(")', area, self.head)
        self.head = _shift_views(self.head, shift)
        tail = self.tail
        for pattern in (r'(<autoFilter\b[^>]*\bref=")([^"]*)(")', r'(<ignoredError\b[^>]*\bsqref=")([^"]*)(")',
                        r"(<xm:sqref>)([^<]*)(</xm:sqref>)"):
            tail = re.sub(pattern, area, tail)
        tail = _drop_or_shift(tail, "hyperlink", "ref", shift, None)
        tail = _shift_breaks(tail, shift)
        self.tail = tail
        self._shifted = True

    def insert_cols(self, after: int, n: int, whole: tuple[int, int] | None = None) -> ColShift:
        """Move every column right of ``after`` right by ``n`` columns (see :meth:`shift_cols`); the shift made.

        ``whole`` (first, last column of the time axis): ranges spanning it grow over
        columns inserted at its edge (:class:`~.formulas.ColShift`).
        """
        shift = ColShift(self.title, after, n, whole)
        if n > 0:
            self.shift_cols(shift)
        return shift

    def shift_cols(self, shift: ColShift) -> None:
        """Insert columns: cells, merges, formulas, sheet-level ranges and column widths move right.

        The new columns are left empty, with no width of their own unless a ``<col>`` range
        spans them; :meth:`copy_col_format` and :meth:`set_cell` fill them.
        """
        self.adjust_formulas(shift, self.title, moving=True)
        for row in self.rows.values():
            cells = {}
            for c, cell in row.cells.items():
                new = shift.col(c)
                if new != c:
                    cell = _ATTR_R.sub(f'r="{col_letter(new)}{row.number}"', cell, count=1)
                cells[new] = cell
            row.cells = cells
            row.edited = True  # its spans change
        merges = []
        for a, b, c, d in self.merges:
            lo, hi = shift.col_span(b, d)
            merges.append((a, lo, c, hi))
        if merges != self.merges:
            self.merges = merges
            self._merges_edited = True

        def area(m: re.Match) -> str:
            new = shift_area(m.group(2), shift)
            return m.group(1) + (new if new is not None else m.group(2)) + m.group(3)
        self.head = re.sub(r'(<dimension\b[^>]*\bref=")([^"]*)(")', area, self.head)
        defs = self._col_defs()
        if defs is not None:
            moved: dict[int, str] = {}
            for c, attrs in defs.items():
                moved[shift.col(c)] = attrs
                if shift.at < c <= shift.at + 1 and c - 1 in defs and defs[c - 1] == attrs:
                    for k in range(shift.at + 1, shift.at + shift.n + 1):  # a <col> range spanning the gap grows
                        moved[k] = attrs
            self._set_col_defs(moved)
        tail = self.tail
        for pattern in (r'(<autoFilter\b[^>]*\bref=")([^"]*)(")', r'(<ignoredError\b[^>]*\bsqref=")([^"]*)(")',
                        r"(<xm:sqref>)([^<]*)(</xm:sqref>)", r'(<hyperlink\b[^>]*\bref=")([^"]*)(")'):
            tail = re.sub(pattern, area, tail)
        self.tail = _shift_col_breaks(tail, shift)
        self._shifted = True

    def copy_col_format(self, source: int, target: int) -> None:
        """Give column ``target`` the width and format (``<col>`` attributes) of column ``source``."""
        defs = self._col_defs()
        if defs is None:
            return
        if source in defs:
            defs[target] = defs[source]
        else:
            defs.pop(target, None)
        self._set_col_defs(defs)

    def _col_defs(self) -> dict[int, str] | None:
        """Column → its ``<col>`` attributes other than min/max; ``None`` without a ``<cols>`` element."""
        block = re.search(r"<cols\b[^>]*>(.*?)</cols>", self.head, re.S)
        if block is None:
            return None
        out: dict[int, str] = {}
        for m in re.finditer(r"<col\b([^>]*?)/?>", block.group(1)):
            attrs = m.group(1)
            lo, hi = _attr(attrs, "min"), _attr(attrs, "max")
            if lo is None or hi is None:
                continue
            rest = re.sub(r'\s(?:min|max)="[^"]*"', "", attrs).strip()
            for c in range(int(lo), min(int(hi), 16384) + 1):
                out[c] = rest
        return out

    def _set_col_defs(self, defs: dict[int, str]) -> None:
        """Write ``<cols>`` back from :meth:`_col_defs`' form, runs of equal columns joined."""
        items = []
        run: list = []
        for c in sorted(defs):
            if run and run[1] == c - 1 and run[2] == defs[c]:
                run[1] = c
                continue
            if run:
                items.append(run)
            run = [c, c, defs[c]]
        if run:
            items.append(run)
        body = "".join(f'<col min="{a}" max="{b}"{" " + attrs if attrs else ""}/>' for a, b, attrs in items)
        self.head = re.sub(r"(<cols\b[^>]*>).*?(</cols>)", lambda m: m.group(1) + body + m.group(2), self.head,
                           count=1, flags=re.S)

    def adjust_formulas(self, shift: Shift, host: str | None = None, *, moving: bool = False) -> bool:
        """Adjust the formulas of this sheet (named ``host``) for ``shift``; True when any changed.

        ``moving`` is set when ``shift`` is on this sheet itself (:meth:`shift_rows`): then the
        ranges of conditional formats, data validations and array formulas move too, and a
        formula whose relative references are anchored on a deleted row is re-anchored first.
        A shared formula whose cells would no longer read the same when translated from its
        first cell is written out cell by cell.
        """
        host = self.title if host is None else host
        changed = self._adjust_cells(shift, host, moving)
        self.cells_adjusted = self.cells_adjusted or changed
        tail = self.tail
        for element in ("conditionalFormatting", "dataValidation"):
            tail = _drop_or_shift(tail, element, "sqref", shift if moving else None, (shift, host))
        tail = re.sub(r'(<hyperlink\b[^>]*\blocation=")([^"]*)(")',
                      lambda m: m.group(1) + _esc_attr(shift_formula(_unesc(m.group(2)), shift, host)) + m.group(3)
                      if shift_formula(_unesc(m.group(2)), shift, host) != _unesc(m.group(2)) else m.group(), tail)
        tail = re.sub(r"(<xm:f>)([^<]*)(</xm:f>)", lambda m: _formula_text(m, shift, host), tail)
        if tail != self.tail:
            self.tail = tail
            changed = True
        self.formulas_adjusted = self.formulas_adjusted or changed
        return changed

    def settle(self) -> bool:
        """Put back formulas that came back to their original text; True when any still differs.

        For a sheet whose rows do not move (another sheet referring to moved rows): after an
        insertion and a deletion that cancel out, its part stays byte for byte as it was.
        """
        for r, (cells, edited) in self._originals.items():
            row = self.rows[r]
            for c, original in cells.items():
                if c in row.cells and row.cells[c] != original and _unesc(row.cells[c]) == _unesc(original):
                    row.cells[c] = original
            if row.cells == cells:
                row.edited = edited
        if self.tail != self._tail_original and _unesc(self.tail) == _unesc(self._tail_original):
            self.tail = self._tail_original
        self.cells_adjusted = any(self.rows[r].cells != cells for r, (cells, _) in self._originals.items())
        self.formulas_adjusted = self.cells_adjusted or self.tail != self._tail_original
        return self.formulas_adjusted

    def _adjust_cells(self, shift: Shift, host: str, moving: bool) -> bool:
        def pos(r: int) -> int | None:
            return shift.row(r) if moving else r

        def cpos(c: int) -> int:
            return shift.col(c) if moving else c

        groups: dict[str, dict] = {}
        new_cells: dict[tuple[int, int], str] = {}
        for r, row in self.rows.items():
            for c, cell in row.cells.items():
                if "<f" not in cell:
                    continue
                m = _F.search(cell)
                if m is None:
                    continue
                attrs, text = m.group(1), _unesc(m.group(2) or "")
                t = _attr(attrs, "t")
                if t == "shared":
                    g = groups.setdefault(_attr(attrs, "si") or "", {"members": [], "master": None})
                    g["members"].append((r, c))
                    if m.group(2) is not None and _attr(attrs, "ref"):
                        g["master"] = (r, c, text, _attr(attrs, "ref"))
                    continue
                if moving and pos(r) is None:
                    continue
                new_text = shift_formula(text, shift, host)
                new_attrs = attrs
                if moving and t == "array" and _attr(attrs, "ref"):
                    ref = shift_area(_attr(attrs, "ref"), shift)
                    new_attrs = _set_attr(new_attrs, "ref", ref or f"{col_letter(cpos(c))}{pos(r)}")
                if t == "dataTable":
                    for key in ("r1", "r2"):
                        if _attr(attrs, key):
                            new_attrs = _set_attr(new_attrs, key, shift_formula(_attr(attrs, key), shift, host))
                if new_text != text or new_attrs != attrs:
                    new_cells[(r, c)] = _put_f(cell, m, new_attrs, new_text)
        for g in groups.values():
            if g["master"] is None:
                continue
            mr, mc, mt, ref = g["master"]
            members = [(r, c) for r, c in g["members"] if pos(r) is not None]
            expected = {(r, c): shift_formula(translate_formula(mt, r - mr, c - mc), shift, host) for r, c in members}
            if pos(mr) is not None:
                mt2, nmr = shift_formula(mt, shift, host), pos(mr)
                if all(translate_formula(mt2, pos(r) - nmr, cpos(c) - cpos(mc)) == expected[(r, c)] for r, c in members):
                    new_ref = (shift_area(ref, shift) or ref) if moving else ref
                    if mt2 != mt or new_ref != ref:
                        cell = self.rows[mr].cells[mc]
                        m = _F.search(cell)
                        new_cells[(mr, mc)] = _put_f(cell, m, _set_attr(m.group(1), "ref", new_ref), mt2)
                    continue
            for r, c in members:  # written out cell by cell
                cell = self.rows[r].cells[c]
                m = _F.search(cell)
                attrs = re.sub(r'\s(?:t|si|ref)="[^"]*"', "", m.group(1))
                new_cells[(r, c)] = _put_f(cell, m, attrs, expected[(r, c)])
        for (r, c), cell in new_cells.items():
            row = self.rows[r]
            if not moving:
                self._originals.setdefault(r, (dict(row.cells), row.edited))
            row.cells[c] = cell
            row.edited = True
        return bool(new_cells)

    # ------------------------------------------------------------------ writing

    def xml(self) -> str:
        parts = [self.head]
        for number in self.order:
            row = self.rows[number]
            if not row.edited:
                parts.append(row.original)
                continue
            tag = re.sub(r'\sspans="[^"]*"', "", row.tag)
            cells = "".join(row.cells[c] for c in sorted(row.cells))
            parts.append(f"{tag}>{cells}</row>" if cells or not tag.endswith("/") else f"{tag}/>")
        parts.append(self._tail())
        return "".join(parts)

    def _tail(self) -> str:
        tail = self.tail
        if not self._merges_edited:
            return tail
        block = ""
        if self.merges:
            items = "".join(f'<mergeCell ref="{col_letter(b)}{a}:{col_letter(d)}{c}"/>' for a, b, c, d in self.merges)
            block = f'<mergeCells count="{len(self.merges)}">{items}</mergeCells>'
        if self._merges_original is not None:
            return tail.replace(self._merges_original, block, 1)
        if not block:
            return tail
        positions = [m.start() for name in _AFTER_MERGES if (m := re.search(rf"<{name}\b", tail))]
        at = min(positions) if positions else tail.rindex("</worksheet>")
        return tail[:at] + block + tail[at:]


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?", ref.strip())
    if m is None:
        return None
    a, b = int(m.group(2)), col_number(m.group(1))
    c, d = (int(m.group(4)), col_number(m.group(3))) if m.group(3) else (a, b)
    return (min(a, c), min(b, d), max(a, c), max(b, d))


_F = re.compile(r"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
_ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9A-Fa-f]+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unesc(text: str) -> str:
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: chr(int(m.group(1))) if m.group(1) else chr(int(m.group(2), 16)) if m.group(2)
                       else _NAMED[m.group(3)], text)


def _esc_attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(rf'\s{name}="([^"]*)"', attrs)
    return _unesc(m.group(1)) if m else None


def _set_attr(attrs: str, name: str, value: str) -> str:
    if re.search(rf'\s{name}="[^"]*"', attrs):
        return re.sub(rf'(\s{name}=")[^"]*(")', lambda m: m.group(1) + _esc_attr(value) + m.group(2), attrs, count=1)
    return attrs + f' {name}="{_esc_attr(value)}"'


def _put_f(cell: str, m: re.Match, attrs: str, text: str) -> str:
    return cell[:m.start()] + f"<f{attrs}>{escape(text)}</f>" + cell[m.end():]


def _formula_text(m: re.Match, shift: Shift, host: str | None, dr: int = 0) -> str:
    text = _unesc(m.group(2))
    new = shift_formula(translate_formula(text, dr, 0) if dr else text, shift, host)
    return m.group() if new == text else m.group(1) + escape(new) + m.group(3)


def _drop_or_shift(tail: str, element: str, attr: str, moving: Shift | None,
                   formulas: tuple[Shift, str | None] | None) -> str:
    """Every ``<element>`` of ``tail``: its ``attr`` range moved by ``moving`` (dropped when all deleted), its formulas adjusted."""
    pattern = re.compile(rf"<{element}\b[^>]*?(?:/>|>.*?</{element}>)", re.S)
    dropped = 0

    def one(m: re.Match) -> str:
        nonlocal dropped
        text = m.group()
        head_end = text.find(">")
        am = re.search(rf'\s{attr}="([^"]*)"', text[:head_end])
        dr = 0
        if moving is not None and am is not None:
            new = shift_area(am.group(1), moving)
            if new is None:
                dropped += 1
                return ""
            first = _parse_range(am.group(1).split()[0]) if am.group(1).split() else None
            if first is not None and moving.row(first[0]) is None:
                # its formulas are anchored on a deleted row: re-anchor them on the first row after the gap
                dr = moving.at - moving.n - first[0]
            text = text[:am.start(1)] + new + text[am.end(1):]
        if formulas is not None:
            shift, host = formulas
            text = re.sub(r"(<(?:formula|formula1|formula2)>)([^<]*)(</(?:formula|formula1|formula2)>)",
                          lambda f: _formula_text(f, shift, host, dr), text)
        return text
    new_tail = pattern.sub(one, tail)
    if dropped and element == "dataValidation":
        new_tail = re.sub(r"(<dataValidations\b[^>]*\bcount=\")(\d+)(\")",
                          lambda m: f"{m.group(1)}{max(0, int(m.group(2)) - dropped)}{m.group(3)}", new_tail)
        new_tail = re.sub(r"<dataValidations\b[^>]*>\s*</dataValidations>", "", new_tail)
    if dropped and element == "hyperlink":
        new_tail = re.sub(r"<hyperlinks\b[^>]*>\s*</hyperlinks>", "", new_tail)
    return new_tail


def _shift_views(head: str, shift: RowShift) -> str:
    """The sheet views follow the rows: ``topLeftCell`` of a view or pane, a selection's ``activeCell`` and
    ``sqref``. A cell on a deleted row moves to the first row after the gap; a selection wholly
    deleted becomes its active cell."""
    def cell(ref: str) -> str:
        new = shift_formula(ref, shift, shift.sheet)
        if "#REF!" not in new:
            return new
        m = re.fullmatch(r"(\$?[A-Z]{1,3}\$?)\d+", ref)
        return f"{m.group(1)}{shift.at}" if m else ref

    def element(m: re.Match) -> str:
        tag = m.group()
        tag = re.sub(r'(\s(?:topLeftCell|activeCell)=")([^"]*)(")', lambda a: a.group(1) + cell(a.group(2)) + a.group(3),
                     tag)
        active = re.search(r'\sactiveCell="([^"]*)"', tag)
        return re.sub(r'(\ssqref=")([^"]*)(")',
                      lambda a: a.group(1) + (shift_area(a.group(2), shift) or (active.group(1) if active else a.group(2)))
                      + a.group(3), tag)
    return re.sub(r"<(?:sheetView|pane|selection)\b[^>]*>", element, head)


def _shift_col_breaks(tail: str, shift: ColShift) -> str:
    """Manual page breaks right of columns (``<colBreaks><brk id="col"/>``) move right."""
    block = re.search(r"<colBreaks\b[^>]*?(?:/>|>.*?</colBreaks>)", tail, re.S)
    if block is None:
        return tail
    new = re.sub(r'(<brk\b[^>]*\bid=")(\d+)(")', lambda m: f"{m.group(1)}{shift.col(int(m.group(2)))}{m.group(3)}",
                 block.group())
    return tail[:block.start()] + new + tail[block.end():]


def _shift_breaks(tail: str, shift: RowShift) -> str:
    """Manual page breaks under rows (``<rowBreaks><brk id="row"/>``) move; a break on a deleted row goes."""
    block = re.search(r"<rowBreaks\b[^>]*?(?:/>|>.*?</rowBreaks>)", tail, re.S)
    if block is None:
        return tail
    kept = []
    for m in re.finditer(r"<brk\b[^>]*/>", block.group()):
        bm = re.search(r'\bid="(\d+)"', m.group())
        new = shift.row(int(bm.group(1))) if bm else None
        if bm is None:
            kept.append(m.group())
        elif new is not None:
            kept.append(m.group()[:bm.start(1)] + str(new) + m.group()[bm.end(1):])
    if not kept:
        return tail[:block.start()] + tail[block.end():]
    head = re.match(r"<rowBreaks\b[^>]*?(?=/?>)", block.group()).group()
    head = re.sub(r'\b(count|manualBreakCount)="\d+"', lambda m: f'{m.group(1)}="{len(kept)}"', head)
    return tail[:block.start()] + head + ">" + "".join(kept) + "</rowBreaks>" + tail[block.end():]
