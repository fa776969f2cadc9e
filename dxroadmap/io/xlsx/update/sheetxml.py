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
* :meth:`SheetXml.insert_rows` — rows after a given row move down (cells, merges,
  conditional formats, data validations, hyperlinks, the dimension); the caller moves
  defined names and drawing anchors with :func:`shift_ref_rows`.

Only worksheets written with the SpreadsheetML namespace as the default namespace are
supported (Excel, LibreOffice and openpyxl all write them so); others raise ``ValueError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

__all__ = ["SheetXml", "col_letter", "col_number", "shift_ref_rows", "parse_shared_strings"]

_ROW = re.compile(r"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL = re.compile(r"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_ATTR_R = re.compile(r'\br="([A-Z]*)(\d*)"')
_ROW_R = re.compile(r'\br="(\d+)"')
_ATTR_S = re.compile(r'\bs="(\d+)"')
_MERGE = re.compile(r'<mergeCell\b[^>]*\bref="([^"]+)"[^>]*/>')
_MERGES_BLOCK = re.compile(r"<mergeCells\b[^>]*?(?:/>|>.*?</mergeCells>)", re.S)
_REF = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")
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


def shift_ref_rows(text: str, after_row: int, n: int) -> str:
    """Every A1 reference in ``text`` whose row is below ``after_row`` moved down by ``n`` rows."""
    def one(m: re.Match) -> str:
        row = int(m.group(4))
        if row > after_row:
            row += n
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{row}"
    return _REF.sub(one, text)


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

    def __init__(self, xml: str, shared: dict[str, int] | None = None) -> None:
        start = re.search(r"<sheetData\b[^>]*?(/?)>", xml)
        if start is None or not re.search(r"<worksheet\b[^>]*\bxmlns=\"http://schemas\.openxmlformats\.org/"
                                          r"spreadsheetml/2006/main\"", xml):
            raise ValueError("worksheet without a default-namespace <sheetData>")
        self.shared = shared or {}
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
        """Move every row below ``after`` down by ``n`` rows (cells, merges and sheet-level ranges)."""
        if n <= 0:
            return
        moved: dict[int, _Row] = {}
        for number, row in self.rows.items():
            if number > after:
                new = number + n
                row.tag = _ROW_R.sub(f'r="{new}"', row.tag, count=1)
                row.cells = {c: _ATTR_R.sub(lambda m, new=new: f'r="{m.group(1)}{new}"', cell, count=1)
                             for c, cell in row.cells.items()}
                row.number = new
                row.edited = True
                moved[new] = row
            else:
                moved[number] = row
        self.rows = moved
        self.order = sorted(moved)
        merges = []
        for a, b, c, d in self.merges:
            if a > after:
                merges.append((a + n, b, c + n, d))
            elif c > after:
                merges.append((a, b, c + n, d))  # a merge spanning the insertion point grows
            else:
                merges.append((a, b, c, d))
        self.merges = merges
        self._merges_edited = True

        def sqref(m: re.Match) -> str:
            return m.group(1) + shift_ref_rows(m.group(2), after, n) + m.group(3)
        tail = self.tail
        tail = re.sub(r'(<conditionalFormatting\b[^>]*\bsqref=")([^"]*)(")', sqref, tail)
        tail = re.sub(r'(<dataValidation\b[^>]*\bsqref=")([^"]*)(")', sqref, tail)
        tail = re.sub(r'(<hyperlink\b[^>]*\bref=")([^"]*)(")', sqref, tail)
        tail = re.sub(r"(<formula>)([^<]*)(</formula>)", sqref, tail)
        self.tail = tail
        self.head = re.sub(r'(<dimension\b[^>]*\bref=")([^"]*)(")', sqref, self.head)
        self._shifted = True

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
