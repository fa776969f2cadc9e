"""Bars and milestones drawn as autoshapes, moved, resized, relabelled, copied and removed in the drawing part.

A roadmap whose bars are DrawingML shapes (layout ``shapes`` / ``*-shapes``) is written back
by editing the sheet's drawing part as text: the part is split into its top-level anchors
(``twoCellAnchor``, ``oneCellAnchor``, ``absoluteAnchor``, …) and only the anchors that
change are rewritten, so every other byte — untouched shapes, connectors, pictures, charts,
text boxes, namespaces — stays as the office wrote it.

:class:`ShapeCanvas` knows, from the reader's own shape marks
(:func:`~dxroadmap.io.xlsx.read.shape_marks.interpret_shapes`, whose marks keep the index
of their shape, and each :class:`~dxroadmap.io.xlsx.drawing.shapes.Shape` keeps its anchor),
which anchor drew which bar. :meth:`ShapeCanvas.paint` makes an initiative's rows show its
new schedule:

* a bar still at the same columns with the same label is left alone;
* a moved or resized bar: its anchor's horizontal position (``from``/``to`` col and colOff,
  or ``ext``/``pos``) and its ``a:xfrm`` rewritten to the new columns; the shape keeps the
  small overshoot or inset it had at each edge; positions go through the reader's grid
  (:func:`~dxroadmap.io.xlsx.drawing.shapes.drawing_geometry`,
  :meth:`~dxroadmap.io.xlsx.drawing.geometry.EmuAxis.locate`, the inverse of the rule the
  reader places shapes with);
* a renamed label: the shape's first text run changed in place (other runs removed); a
  label that came from a text box lying on the bar, or from a cell (connectors), is
  changed there, and moves with its bar;
* a new bar: a copy of an existing bar shape of the same colour, else of the same kind of
  phase, else of the commonest bar shape, with a fresh ``cNvPr`` id and name, inserted
  right after the shape it copies (same z-order), on the first of the rows where it does
  not overlap another bar;
* a removed bar: its anchor (and its label text box) removed, a label cell cleared;
* milestones likewise, moved by whole columns.

Row insertions made later by the writer shift anchors in the same part text; the canvas
follows them (a bar's row is read back from its anchor's current ``from`` row). A group
that draws one bar (with its label text box) is moved and scaled as a whole; bars in a group
of several bars, rotated bars and bars in a second drawing part are not moved: changing
them is an issue.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable
from xml.sax.saxutils import escape

from dxroadmap.io.xlsx.drawing.shapes import drawing_geometry
from dxroadmap.io.xlsx.package.ns import NS_A
from dxroadmap.io.xlsx.package.parts import EXCEL_MAX_ROWS
from dxroadmap.io.xlsx.read.axis import TimeCol
from dxroadmap.io.xlsx.read.grid import SheetGrid, as_text
from dxroadmap.io.xlsx.read.shape_marks import interpret_shapes
from dxroadmap.io.xlsx.update.sheetxml import SheetXml
from dxroadmap.model.plan import PhaseKind, guess_kind

__all__ = ["ShapeCanvas", "ShapeItem", "split_top_level"]

_EDGE = 0.3  # at most this much of a column of overshoot or inset is kept at a moved edge
_ANCHORS = ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor")
_TAG = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>"
                  r"|<(/?)([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>", re.S)
_P = r"(?:[\w.-]+:)?"


@dataclass
class ShapeItem:
    """What the form should show: a bar over time columns ``first..last`` (indexes) or a milestone at ``first``."""

    first: int
    last: int
    label: str | None
    milestone: bool = False
    color: str | None = None
    kind: PhaseKind | None = None


@dataclass
class _Drawn:
    """A bar or milestone shape the reader matched, as first read."""

    token: str
    row: int  # 1-based sheet row (as first read)
    first: int
    last: int
    label: str | None
    color: str | None
    kind: str
    milestone: bool
    col0: float
    col1: float
    from_row: int | None  # the anchor's from row (0-based) as first read
    movable: bool
    own_text: bool
    label_cell: tuple[int, int] | None = None
    label_token: str | None = None
    label_col0: float = 0.0
    label_col1: float = 0.0
    in_group: bool = False  # drawn inside a group that holds no other bar (the group is moved)


def split_top_level(xml: str) -> tuple[list[tuple[int, int]], str]:
    """Spans of the root element's child elements, and the root's namespace prefix (with its colon)."""
    depth = 0
    spans: list[tuple[int, int]] = []
    start = -1
    root_prefix = ""
    for m in _TAG.finditer(xml):
        head, name, empty = m.group(1), m.group(2), m.group(4)
        if name is None:
            continue  # comment, CDATA, processing instruction, declaration
        if head == "/":
            depth -= 1
            if depth == 1:
                spans.append((start, m.end()))
            continue
        if depth == 0:
            root_prefix = name[:name.find(":") + 1]
        if depth == 1:
            start = m.start()
            if empty:
                spans.append((start, m.end()))
                continue
        if not empty:
            depth += 1
    return spans, root_prefix


def _local(chunk: str) -> str:
    m = re.match(r"<([^\s/>]+)", chunk)
    name = m.group(1) if m else ""
    return name[name.find(":") + 1:]


def _marker(chunk: str, which: str) -> dict[str, int] | None:
    m = re.search(rf"<{_P}{which}>(.*?)</{_P}{which}>", chunk, re.S)
    if m is None:
        return None
    out = {}
    for key in ("col", "colOff", "row", "rowOff"):
        v = re.search(rf"<{_P}{key}>\s*(-?\d+)\s*</{_P}{key}>", m.group(1))
        out[key] = int(v.group(1)) if v else 0
    return out


def _set_marker(chunk: str, which: str, **values: int) -> str:
    def marker(m: re.Match) -> str:
        body = m.group(2)
        for key, value in values.items():
            body = re.sub(rf"(<{_P}{key}>)\s*-?\d+\s*(</{_P}{key}>)", lambda x, v=value: f"{x.group(1)}{v}{x.group(2)}",
                          body, count=1)
        return m.group(1) + body + m.group(3)
    return re.sub(rf"(<{_P}{which}>)(.*?)(</{_P}{which}>)", marker, chunk, count=1, flags=re.S)


def _set_attrs(tag: str, **values: int) -> str:
    for key, value in values.items():
        tag = re.sub(rf'(\s{key}=")-?\d+(")', lambda x, v=value: f"{x.group(1)}{v}{x.group(2)}", tag, count=1)
    return tag


def _object_start(chunk: str) -> int:
    m = re.search(rf"<{_P}(?:sp|cxnSp|grpSp|pic|graphicFrame)[\s>]", chunk)
    return m.start() if m else len(chunk)


def _xfrm(chunk: str) -> re.Match | None:
    """The first a:xfrm of the anchor's object (its spPr's)."""
    return re.search(rf"<{_P}xfrm\b[^>]*>(.*?)</{_P}xfrm>", chunk[_object_start(chunk):], re.S)


def _rotated(chunk: str) -> bool:
    m = re.search(rf"<{_P}xfrm\b[^>]*\brot=\"(-?\d+)\"", chunk[_object_start(chunk):])
    return bool(m) and 45 <= (int(m.group(1)) / 60000) % 180 < 135


class ShapeCanvas:
    """The bar shapes of one roadmap sheet's drawing part, edited in ``replaced`` (see the module docstring)."""

    def __init__(self, zf: zipfile.ZipFile, replaced: dict[str, bytes], sheet_part: str, drawing: str,
                 shapes: list[Any], cols: list[TimeCol], grid: SheetGrid, sheet: SheetXml, label: str,
                 table_rows: set[int] | frozenset[int] = frozenset()) -> None:
        self.zf, self.replaced, self.drawing, self.cols, self.sheet = zf, replaced, drawing, cols, sheet
        self.table_rows = set(table_rows)  # the initiatives' rows: shapes there are models for copies before others
        self.geometry, self._layout = drawing_geometry(zf, sheet_part, drawing, label)
        xml = self._xml()
        spans, _ = split_top_level(xml)
        chunks = [xml[a:b] for a, b in spans]
        self.order = [f"o{k}" for k in range(len(spans))]
        self.serial = 0
        self.next_id = max((int(x) for x in re.findall(rf"<{_P}cNvPr\b[^>]*\bid=\"(\d+)\"", xml)), default=0) + 1
        self.drawn: list[_Drawn] = []
        bars, marks, _ = interpret_shapes(shapes, cols, grid, (1, EXCEL_MAX_ROWS))

        def drawn(mark: Any, first: int, last: int, label: str | None, color: str | None, kind: str,
                   milestone: bool) -> _Drawn | None:
            s = shapes[mark.shape]
            if s.part != drawing or not 0 <= s.anchor < len(chunks):
                return None
            chunk = chunks[s.anchor]
            frm = _marker(chunk, "from")
            d = _Drawn(f"o{s.anchor}", mark.row, first, last, label, color, kind, milestone, s.col0, s.col1,
                       frm["row"] if frm else None,
                       movable=_local(chunk) in _ANCHORS and not _rotated(chunk),
                       own_text=bool((s.text or "").strip()), in_group=s.in_group)
            if mark.label_shape is not None:
                box = shapes[mark.label_shape]
                if box.part == drawing and not box.in_group:
                    d.label_token, d.label_col0, d.label_col1 = f"o{box.anchor}", box.col0, box.col1
            return d

        for b in bars:
            d = drawn(b, b.first, b.last, b.label, b.color, b.kind, False)
            if d is not None:
                d.label_cell = b.label_cell
                self.drawn.append(d)
        for m in marks:
            d = drawn(m, m.index, m.index, m.label, None, shapes[m.shape].kind, True)
            if d is None:
                continue
            if d.label is None and d.label_token is None:
                d.label_cell, d.label = self._mark_cell(grid, m.row, cols[m.index].col)
            self.drawn.append(d)
        # a group is moved as a whole when it draws one bar (with its label); groups of several bars stay put
        per_anchor = Counter(d.token for d in self.drawn)
        for d in self.drawn:
            if d.in_group:
                d.movable = d.movable and per_anchor[d.token] == 1 and _local(chunks[int(d.token[1:])]) == "twoCellAnchor"
                if d.label_token == d.token:
                    d.label_token = None
        self.labels = any(d.label for d in self.drawn if not d.milestone)

    @staticmethod
    def _mark_cell(grid: SheetGrid, row: int, col: int) -> tuple[tuple[int, int] | None, str | None]:
        """The cell whose text the reader gives an unlabelled milestone (its own, else the one above)."""
        for r in (row, row - 1):
            origin = grid.origin(r, col)
            text = as_text(grid.value(*origin))
            if text and grid.fills.get(origin) is None:
                return origin, text
        return None, None

    def close(self) -> None:
        self._layout.close()

    # ------------------------------------------------------------------ the part text

    def _xml(self) -> str:
        return self.replaced.get(self.drawing, self.zf.read(self.drawing)).decode("utf-8")

    def _split(self) -> tuple[str, list[str], str] | None:
        xml = self._xml()
        spans, _ = split_top_level(xml)
        if len(spans) != len(self.order):
            return None
        chunks = [xml[a:b] for a, b in spans]
        seps = [xml[:spans[0][0]] if spans else xml]
        seps += [xml[spans[k][1]:spans[k + 1][0]] for k in range(len(spans) - 1)]
        tail = xml[spans[-1][1]:] if spans else ""
        self._seps = seps
        return seps[0], chunks, tail

    def _join(self, head: str, chunks: list[str | None], order: list[str], tail: str) -> None:
        parts = [head]
        for chunk in chunks:
            if chunk is not None:
                parts.append(chunk)
        xml = "".join(parts) + tail
        if xml.encode("utf-8") != self.replaced.get(self.drawing, self.zf.read(self.drawing)):
            self.replaced[self.drawing] = xml.encode("utf-8")
        self.order = order

    # ------------------------------------------------------------------ positions

    def _emu(self, x: float) -> tuple[int, int, int]:
        """(column, colOff, sheet EMU) of fractional column ``x``."""
        col, off = self.geometry.cols.locate(x)
        return col, off, self.geometry.cols.start(col) + off

    def _left(self, i: int) -> float:
        return float(self.cols[i].col - 1)

    def _right(self, i: int) -> float:
        return float(self.cols[i].col)

    def _place_x(self, chunk: str, x0: float, x1: float) -> str:
        c0, o0, e0 = self._emu(x0)
        c1, o1, e1 = self._emu(x1)
        name = _local(chunk)
        cut = _object_start(chunk)
        head, body = chunk[:cut], chunk[cut:]
        if name == "twoCellAnchor":
            head = _set_marker(head, "from", col=c0, colOff=o0)
            head = _set_marker(head, "to", col=c1, colOff=o1)
        elif name == "oneCellAnchor":
            head = _set_marker(head, "from", col=c0, colOff=o0)
            head = re.sub(rf"<{_P}ext\b[^>]*>", lambda m: _set_attrs(m.group(0), cx=e1 - e0), head, count=1)
        elif name == "absoluteAnchor":
            head = re.sub(rf"<{_P}pos\b[^>]*>", lambda m: _set_attrs(m.group(0), x=e0), head, count=1)
            head = re.sub(rf"<{_P}ext\b[^>]*>", lambda m: _set_attrs(m.group(0), cx=e1 - e0), head, count=1)
        return head + self._xfrm_edit(body, x=e0, cx=e1 - e0)

    @staticmethod
    def _xfrm_edit(body: str, **values: int) -> str:
        m = re.search(rf"<{_P}xfrm\b[^>]*>(.*?)</{_P}xfrm>", body, re.S)
        if m is None:
            return body
        inner = m.group(1)
        off = {k: v for k, v in values.items() if k in ("x", "y")}
        ext = {k: v for k, v in values.items() if k in ("cx", "cy")}
        inner = re.sub(rf"<{_P}off\b[^>]*>", lambda t: _set_attrs(t.group(0), **off), inner, count=1)
        inner = re.sub(rf"<{_P}ext\b[^>]*>", lambda t: _set_attrs(t.group(0), **ext), inner, count=1)
        return body[:m.start(1)] + inner + body[m.end(1):]

    def _move(self, d: _Drawn, chunk: str, x0: float, x1: float) -> str:
        """``d``'s anchor placed so that its shape spans fractional columns ``x0..x1`` (a group: scaled around it)."""
        if not d.in_group:
            return self._place_x(chunk, x0, x1)
        cols = self.geometry.cols
        frm, to = _marker(chunk, "from"), _marker(chunk, "to")
        if frm is None or to is None:
            return chunk
        g0, g1 = cols.emu(frm["col"], frm["colOff"]), cols.emu(to["col"], to["colOff"])
        b0, b1 = self._emu(d.col0)[2], self._emu(d.col1)[2]
        n0, n1 = self._emu(x0)[2], self._emu(x1)[2]
        scale = (n1 - n0) / (b1 - b0) if b1 > b0 else 1.0
        return self._place_x(chunk, cols.frac(n0 + (g0 - b0) * scale), cols.frac(n0 + (g1 - b0) * scale))

    @classmethod
    def _group_text(cls, chunk: str, old: str | None, label: str | None) -> str:
        """The text of the shape in a group that shows ``old`` made ``label``."""
        want = " ".join((old or "").split())
        found = None
        for m in re.finditer(rf"<({_P})sp\b.*?</\1sp>", chunk, re.S):
            if not re.search(rf"<{_P}txBody\b", m.group(0)):
                continue
            words = " ".join("".join(re.findall(rf"<{_P}t\b[^>]*>(.*?)</{_P}t>", m.group(0), re.S)).split())
            if found is None or words == want:
                found = m
            if words == want:
                break
        if found is None:
            return chunk
        return chunk[:found.start()] + cls._set_text(found.group(0), label) + chunk[found.end():]

    def _place_rows(self, chunk: str, delta: int, tmpl_row: int, new_row: int) -> str:
        """Move a copied anchor down/up by ``delta`` rows (its xfrm by the rows' heights)."""
        rows = self.geometry.rows
        dy = rows.start(max(0, new_row - 1)) - rows.start(max(0, tmpl_row - 1))
        cut = _object_start(chunk)
        head, body = chunk[:cut], chunk[cut:]
        for which in ("from", "to"):
            mk = _marker(head, which)
            if mk is not None:
                head = _set_marker(head, which, row=max(0, mk["row"] + delta))
        if _local(chunk) == "absoluteAnchor":
            head = re.sub(rf"<{_P}pos\b[^>]*>",
                          lambda m: _set_attrs(m.group(0), y=int(re.search(r'\by="(-?\d+)"', m.group(0)).group(1)) + dy)
                          if re.search(r'\by="(-?\d+)"', m.group(0)) else m.group(0), head, count=1)
        x = _xfrm(chunk)
        if x is not None:
            off = re.search(rf"<{_P}off\b[^>]*\by=\"(-?\d+)\"", x.group(1))
            if off is not None:
                body = self._xfrm_edit(body, y=int(off.group(1)) + dy)
        return head + body

    # ------------------------------------------------------------------ text

    @staticmethod
    def _set_text(chunk: str, label: str | None) -> str:
        """The object's text made ``label``: the first run kept with the new words, the others removed."""
        m = re.search(rf"(<{_P}txBody\b[^>]*>)(.*?)(</{_P}txBody>)", chunk, re.S)
        text = escape(label or "")
        if m is None:
            close = list(re.finditer(rf"</({_P})sp>", chunk))
            if not label or not close or _local_object(chunk) != "sp":
                return chunk
            prefix = close[-1].group(1)
            body = (f'<{prefix}txBody><a:bodyPr xmlns:a="{NS_A}"/><a:p xmlns:a="{NS_A}"><a:r><a:t>{text}</a:t>'
                    f'</a:r></a:p></{prefix}txBody>')
            at = close[-1].start()
            return chunk[:at] + body + chunk[at:]
        body = m.group(2)
        run = re.search(rf"<({_P})r>.*?</{_P}r>", body, re.S)
        pieces = rf"<{_P}r>.*?</{_P}r>|<{_P}fld\b.*?</{_P}fld>|<{_P}br\b[^>]*/>|<{_P}br\b[^>]*>.*?</{_P}br>"
        if run is None:
            body = re.sub(pieces, "", body, flags=re.S)
            if label:
                para = re.search(rf"<({_P})p(?:\s[^>]*)?(/?)>", body)
                if para is None:
                    return chunk
                a = para.group(1)
                new_run = f"<{a}r><{a}t>{text}</{a}t></{a}r>"
                if para.group(2):
                    body = body[:para.start()] + f"<{a}p>{new_run}</{a}p>" + body[para.end():]
                else:
                    end = re.search(rf"<{_P}endParaRPr\b|</{_P}p>", body[para.end():])
                    at = para.end() + (end.start() if end else 0)
                    pp = re.match(rf"<{_P}pPr\b[^>]*/>|<{_P}pPr\b.*?</{_P}pPr>", body[para.end():], re.S)
                    if pp is not None and (end is None or pp.end() <= end.start()):
                        at = para.end() + pp.end()
                    body = body[:at] + new_run + body[at:]
            return chunk[:m.start(2)] + body + chunk[m.end(2):]
        a = run.group(1)
        first = run.group(0)
        if label:
            if re.search(rf"<{_P}t\b[^>]*/>", first) and not re.search(rf"<{_P}t\b[^>]*>.*?</{_P}t>", first, re.S):
                first = re.sub(rf"<{_P}t\b[^>]*/>", f"<{a}t>{text}</{a}t>", first, count=1)
            else:
                first = re.sub(rf"(<{_P}t\b[^>]*>).*?(</{_P}t>)", lambda x: x.group(1) + text + x.group(2), first,
                               count=1, flags=re.S)
            rest = re.sub(pieces, "", body[run.end():], flags=re.S)
            body = re.sub(pieces, "", body[:run.start()], flags=re.S) + first + rest
        else:
            body = re.sub(pieces, "", body, flags=re.S)
        return chunk[:m.start(2)] + body + chunk[m.end(2):]

    def _fresh_ids(self, chunk: str, xml_chunks: list[str | None]) -> str:
        text = "".join(c for c in xml_chunks if c)
        ids = {int(x) for x in re.findall(rf"<{_P}cNvPr\b[^>]*\bid=\"(\d+)\"", text)}
        names = set(re.findall(rf"<{_P}cNvPr\b[^>]*\bname=\"([^\"]*)\"", text))
        new_id = max(max(ids, default=0) + 1, self.next_id)

        def cnvpr(m: re.Match) -> str:
            nonlocal new_id
            tag = m.group(0)
            old_name = re.search(r'\bname="([^"]*)"', tag)
            base = re.sub(r"\s*\d+$", "", old_name.group(1) if old_name else "") or "図形"
            name = f"{base} {new_id}"
            while name in names:
                new_id += 1
                name = f"{base} {new_id}"
            names.add(name)
            tag = re.sub(r'\bid="\d+"', f'id="{new_id}"', tag, count=1)
            tag = re.sub(r'\bname="[^"]*"', lambda _m: f'name="{escape(name, {chr(34): "&quot;"})}"', tag, count=1)
            new_id += 1
            self.next_id = new_id
            return tag
        chunk = re.sub(rf"<{_P}cNvPr\b[^>]*>", cnvpr, chunk)
        return re.sub(r'(<[\w.-]*:?creationId\b[^>]*\bid=")\{[0-9A-Fa-f-]+\}(")',
                      lambda m: m.group(1) + "{" + str(uuid.uuid4()).upper() + "}" + m.group(2), chunk)

    # ------------------------------------------------------------------ painting

    def paint(self, rows: list[int], items: list[ShapeItem], issues: list, name: str,
              issue: Callable[[str, str], Any]) -> None:
        """Make ``rows`` show ``items`` (see the module docstring); what cannot be done goes to ``issues``."""
        split = self._split()
        if split is None:
            issues.append(issue(f"“{name}”: the drawing of its sheet changed in a way this version cannot follow",
                                f"「{name}」：シートの図形の構成が変わったため図形を動かせません"))
            return
        job = _Paint(self, split, rows, issues, name, issue)
        for milestone in (False, True):
            pairs, gone, new = job.pair(items, milestone)
            for k, i in pairs:
                job.change(k, i)
            for k in gone:
                job.remove(k)
            for i in new:
                job.copy(i)
        job.finish()

    def _template(self, item: ShapeItem, alive: list[int]) -> int | None:
        """The drawn shape to copy for ``item``: same colour, else same kind of phase, else the commonest."""
        cands = [k for k in alive if self.drawn[k].milestone == item.milestone and self.drawn[k].movable
                 and not self.drawn[k].token.startswith("n") and not self.drawn[k].in_group]
        if not cands:
            return None
        in_table = [k for k in cands if self.drawn[k].row in self.table_rows]
        cands = in_table or cands   # not a legend's sample shape when a bar of the table will do
        if item.color:
            same = [k for k in cands if (self.drawn[k].color or "").upper() == item.color.upper()]
            if same:
                return same[0]
        if item.kind is not None and item.kind != PhaseKind.CUSTOM:
            same = [k for k in cands if guess_kind(self.drawn[k].label) == item.kind]
            if same:
                return same[0]
        common = Counter((self.drawn[k].kind, self.drawn[k].color) for k in cands).most_common(1)[0][0]
        return next(k for k in cands if (self.drawn[k].kind, self.drawn[k].color) == common)

    def _free_row(self, rows: list[int], item: ShapeItem, current: dict[int, int], removed: set[str]) -> int:
        for r in rows:
            if not any(r == current[k] and self.drawn[k].token not in removed and not self.drawn[k].milestone
                       and self.drawn[k].first <= item.last and item.first <= self.drawn[k].last
                       for k in current):
                return r
        return rows[0]



def _norm(label: str | None) -> str:
    return " ".join((label or "").split())


def _edges(canvas: ShapeCanvas, d: _Drawn, i: ShapeItem) -> tuple[float, float]:
    """Where ``d``'s shape goes to show ``i``: a milestone moved by whole columns, a bar's edges to the
    new columns keeping a little of the overshoot or inset it had."""
    if i.milestone:
        dx = canvas._left(i.first) - canvas._left(d.first)
        return d.col0 + dx, d.col1 + dx
    return (canvas._left(i.first) + max(-_EDGE, min(_EDGE, d.col0 - canvas._left(d.first))),
            canvas._right(i.last) + max(-_EDGE, min(_EDGE, d.col1 - canvas._right(d.last))))


class _Paint:
    """One :meth:`ShapeCanvas.paint`: the split part text, the bars on the rows, the edits collected."""

    def __init__(self, canvas: ShapeCanvas, split: tuple[str, list[str], str], rows: list[int], issues: list,
                 name: str, issue: Callable[[str, str], Any]) -> None:
        self.c, self.rows, self.issues, self.name, self.issue = canvas, rows, issues, name, issue
        self.head, chunks, self.tail = split
        self.seps = canvas._seps
        self.chunks: list[str | None] = list(chunks)
        self.pos = {t: k for k, t in enumerate(canvas.order)}
        self.inserts: dict[str, list[tuple[str, str]]] = {}
        self.removed: set[str] = set()
        self.clears: list[tuple[int, int]] = []   # label cells emptied first, then written: a label may
        self.writes: list[tuple[int, int, str, int | None]] = []   # move into another one's old cell
        # current rows of the drawn bars (rows inserted since they were read shift their anchors)
        self.current: dict[int, int] = {}
        for k, d in enumerate(canvas.drawn):
            if d.token not in self.pos:
                continue
            shift = 0
            if d.from_row is not None:
                frm = _marker(self.chunks[self.pos[d.token]] or "", "from")
                shift = frm["row"] - d.from_row if frm else 0
            self.current[k] = d.row + shift
        row_set = set(rows)
        self.old = [k for k, r in self.current.items() if r in row_set]

    def shift(self, k: int) -> int:
        return self.current[k] - self.c.drawn[k].row

    def pair(self, items: list[ShapeItem], milestone: bool) -> tuple[list[tuple[int, ShapeItem]], list[int],
                                                                     list[ShapeItem]]:
        """(kept or changed shape, item) pairs — same place and label, then same label, then in order —
        and the shapes and items left over."""
        drawn = self.c.drawn
        olds = sorted((k for k in self.old if drawn[k].milestone == milestone),
                      key=lambda k: (drawn[k].first, drawn[k].last))
        news = sorted((i for i in items if i.milestone == milestone), key=lambda i: (i.first, i.last))
        pairs: list[tuple[int, ShapeItem]] = []
        for test in (lambda d, i: (d.first, d.last, _norm(d.label)) == (i.first, i.last, _norm(i.label)),
                     lambda d, i: bool(_norm(i.label)) and _norm(d.label) == _norm(i.label),
                     lambda d, i: True):
            for i in list(news):
                k = next((k for k in olds if test(drawn[k], i)), None)
                if k is not None:
                    pairs.append((k, i))
                    olds.remove(k)
                    news.remove(i)
        return pairs, olds, news

    def edit(self, token: str, fn: Callable[[str], str]) -> None:
        k = self.pos[token]
        chunk = self.chunks[k]
        if chunk is not None:
            self.chunks[k] = fn(chunk)

    def set_label(self, k: int, label: str | None, dx: float, first: int) -> None:
        """``label`` written where the shape's label is: its own text, the text box on it, or its cell."""
        c, d = self.c, self.c.drawn[k]
        if d.in_group:
            self.edit(d.token, lambda ch: c._group_text(ch, d.label, label))
            return
        if d.own_text or (d.label_token is None and d.label_cell is None):
            self.edit(d.token, lambda ch: c._set_text(ch, label))
        if d.label_token is not None and d.label_token in self.pos:
            x0, x1 = d.label_col0 + dx, d.label_col1 + dx
            self.edit(d.label_token, lambda ch: c._set_text(c._place_x(ch, x0, x1) if dx else ch, label))
        if d.label_cell is not None:
            r, col = d.label_cell[0] + self.shift(k), d.label_cell[1]
            style = c.sheet.style(r, col)
            self.clears.append((r, col))
            if label:
                new_col = c.cols[first].col
                self.writes.append((r, new_col, label, style if style is not None else c.sheet.style(r, new_col)))

    def change(self, k: int, i: ShapeItem) -> None:
        """Shape ``k`` moved, resized and relabelled to show ``i``."""
        c, d = self.c, self.c.drawn[k]
        same_place = (d.first, d.last) == (i.first, i.last)
        if same_place and _norm(d.label) == _norm(i.label):
            return
        if not d.movable:
            self.issues.append(self.issue(f"“{self.name}”: a bar drawn inside a group or rotated cannot be moved",
                                          f"「{self.name}」：グループ化または回転された図形のバーは動かせません"))
            return
        x0, x1 = _edges(c, d, i)
        dx = 0.0 if same_place else x0 - d.col0
        if not same_place:
            self.edit(d.token, lambda ch: c._move(d, ch, x0, x1))
        if _norm(d.label) != _norm(i.label) or (not same_place and (d.label_cell or d.label_token)):
            self.set_label(k, i.label, dx, i.first)
        # the record follows the shape (for the rows of copies and a later paint)
        if d.label_cell is not None:
            d.label_cell = (d.label_cell[0], c.cols[i.first].col) if i.label else None
        d.label_col0, d.label_col1 = d.label_col0 + dx, d.label_col1 + dx
        d.first, d.last, d.col0, d.col1, d.label = i.first, i.last, x0, x1, i.label

    def remove(self, k: int) -> None:
        d = self.c.drawn[k]
        if not d.movable:
            self.issues.append(self.issue(f"“{self.name}”: a bar drawn inside a group cannot be removed",
                                          f"「{self.name}」：グループ化された図形のバーは削除できません"))
            return
        self.removed.add(d.token)
        if d.label_token is not None and d.label_token in self.pos:
            self.removed.add(d.label_token)
        if d.label_cell is not None:
            self.clears.append((d.label_cell[0] + self.shift(k), d.label_cell[1]))

    def copy(self, i: ShapeItem) -> None:
        """A copy of a like shape showing ``i``, right after it in z-order, on the first free row."""
        c = self.c
        k = c._template(i, [k for k in self.current if c.drawn[k].token not in self.removed])
        if k is None:
            what = ("milestone", "マイルストーン") if i.milestone else ("bar", "バー")
            self.issues.append(self.issue(f"“{self.name}”: the sheet has no {what[0]} shape to copy",
                                          f"「{self.name}」：写せる{what[1]}の図形がシートにありません"))
            return
        d = c.drawn[k]
        target = c._free_row(self.rows, i, self.current, self.removed)
        x0, x1 = _edges(c, d, i)
        src = self.chunks[self.pos[d.token]] or ""
        clone = c._place_rows(c._place_x(src, x0, x1), target - self.current[k], self.current[k], target)
        if _local_object(src) == "sp":
            clone = c._set_text(clone, i.label)
        elif i.label:   # a line: its label is the text of a cell in its row
            lr = target + ((d.label_cell[0] - d.row) if d.label_cell else 0)
            lr = lr if lr in self.rows else target
            style = c.sheet.style(d.label_cell[0] + self.shift(k), d.label_cell[1]) if d.label_cell else None
            self.writes.append((lr, c.cols[i.first].col, i.label, style))
        clone = c._fresh_ids(clone, self.chunks + [x for v in self.inserts.values() for _, x in v])
        c.serial += 1
        token = f"n{c.serial}"
        self.inserts.setdefault(d.token, []).append((token, clone))
        c.drawn.append(_Drawn(token, target, i.first, i.last, i.label, d.color, d.kind, i.milestone, x0, x1, None,
                              True, d.own_text))
        self.current[len(c.drawn) - 1] = target

    def finish(self) -> None:
        """Cells written, and the part rebuilt: removed anchors dropped, copies after the shape they copy."""
        sheet = self.c.sheet
        for r, col in self.clears:
            sheet.set_cell(r, col, None, sheet.style(r, col))
        for r, col, text, style in self.writes:
            sheet.set_cell(r, col, text, style)
        parts: list[str | None] = []
        order: list[str] = []
        for k, token in enumerate(self.c.order):
            if k:
                parts.append(self.seps[k])
            if token in self.removed:
                continue
            parts.append(self.chunks[k])
            order.append(token)
            for t, clone in self.inserts.get(token, []):
                parts.append(clone)
                order.append(t)
        self.c._join(self.head, parts, order, self.tail)


def _local_object(chunk: str) -> str:
    m = re.search(rf"<{_P}(sp|cxnSp|grpSp|pic|graphicFrame)[\s>]", chunk)
    return m.group(1) if m else ""

