"""Autoshapes, connectors, text boxes and pictures of each worksheet, placed on the cell grid.

openpyxl drops drawings when it loads a workbook, so this module reads the DrawingML parts
itself: workbook.xml → its relationships → each sheet part → the sheet's relationships →
its drawing part(s). Each object (shapes, connectors, text, groups, pictures, frames) becomes
a :class:`Shape` with its kind, text, fill and line colours and arrowheads, placed in
fractional columns and rows by :mod:`dxroadmap.io.xlsx.drawing.geometry`; theme colours come
from :mod:`dxroadmap.io.xlsx.package.color`.

XML: drawings, rels and the theme go through defusedxml. Shapes per drawing are capped.
Call :func:`dxroadmap.io.xlsx.package.preflight.check_workbook` first.
"""

from __future__ import annotations

import io
import math
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.drawing.geometry import (
    PARSE_ERRORS,
    SheetGeometry,
    SheetLayout,
    anchor_box,
    attr_int,
    calibrated_digit_width,
    default_digit_width,
    finite_float,
    xml_int,
)
from dxroadmap.io.xlsx.package.color import element_rgb, read_theme, to_hex
from dxroadmap.io.xlsx.package.ns import NS_A, NS_A14, NS_A16, NS_MC, NS_REL, NS_XDR, REL_DRAWING
from dxroadmap.io.xlsx.package.parts import part_relationships, too_large_error, unsafe_xml_error, workbook_sheets

__all__ = ["Shape", "read_sheet_shapes", "drawing_geometry", "MAX_SHAPES_PER_DRAWING", "MAX_SHAPES_PER_WORKBOOK"]

MAX_SHAPES_PER_DRAWING = 20_000
MAX_SHAPES_PER_WORKBOOK = 100_000
MAX_DRAWING_PART = 32 << 20          # one drawing part (20,000 shapes take ~30 MB)
MAX_DRAWING_BYTES = 256 << 20        # all drawing parts of a workbook
MAX_GROUP_DEPTH = 32

# Namespaces whose mc:Choice content we understand (everything else takes mc:Fallback).
_KNOWN_NS = {NS_XDR, NS_A, NS_MC, NS_REL, NS_A14, NS_A16}

_X = f"{{{NS_XDR}}}"
_A = f"{{{NS_A}}}"
_MC = f"{{{NS_MC}}}"
_LINE_PRESETS = {"line", "straightConnector1"} | {f"{k}Connector{n}" for k in ("bent", "curved") for n in range(2, 6)}


@dataclass(frozen=True)
class Shape:
    """One drawing object of a sheet, placed on the grid.

    ``col0 <= col1`` and ``row0 <= row1`` always (flips and rotation already applied).
    For lines and connectors ``head_end`` is an arrowhead at the end that lies at the left
    (``col0``; the top for a vertical line) and ``tail_end`` one at the other end, whatever
    the flips and rotation in the file.
    """

    kind: str        # DrawingML prst geometry ("rect", "rightArrow", "line"…); "textbox", "picture",
                     # "custom" (custGeom), "graphicFrame" (charts and other frames)
    text: str        # all paragraphs' text joined with "\n", stripped
    col0: float      # 0-based fractional column of the left edge (3.25 = ¼ into column D)
    col1: float      # right edge
    row0: float      # top edge (0-based fractional row)
    row1: float      # bottom edge
    fill: str | None  # "#RRGGBB"; schemeClr resolved via the theme; None for no fill
    head_end: bool   # arrowhead at the line's head (see the class docstring)
    tail_end: bool
    in_group: bool
    hidden: bool     # cNvPr hidden="1" (or inside a hidden group)
    line: str | None = None  # outline / line colour "#RRGGBB", None when there is none
    # where the object is written: its drawing part and the index of its top-level element there
    # (for writing it back, see dxroadmap.io.xlsx.update.shapes); not part of equality
    part: str = field(default="", compare=False)
    anchor: int = field(default=-1, compare=False)


# ---------------------------------------------------------------- colours

def _colour(parent: Element | None, theme: dict[str, str], placeholder: str | None = None) -> str | None:
    """The "#RRGGBB" of the first colour element under ``parent`` (None if there is none)."""
    return to_hex(element_rgb(parent, theme, placeholder))


def _gradient_colour(grad: Element, theme: dict[str, str]) -> str | None:
    """The average colour a gradient shows (stops weighted by the length they cover)."""
    stops = []
    for gs in grad.iter(f"{_A}gs"):
        rgb = element_rgb(gs, theme)
        if rgb is not None:
            stops.append((min(max((finite_float(gs.get("pos"), 0) or 0) / 100000, 0.0), 1.0), rgb))
    if not stops:
        return None
    stops.sort(key=lambda s: s[0])
    stops = [(0.0, stops[0][1])] + stops + [(1.0, stops[-1][1])]
    total = [0.0, 0.0, 0.0]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
        for i in range(3):
            total[i] += (p1 - p0) * (c0[i] + c1[i]) / 2
    return to_hex((total[0], total[1], total[2]))


def _fill_of(props: Element | None, style: Element | None, theme: dict[str, str],
             group_fill: str | None) -> str | None:
    if props is not None:
        for child in props:
            name = child.tag.rsplit("}", 1)[-1]
            if name == "noFill":
                return None
            if name == "solidFill":
                return _colour(child, theme)
            if name == "gradFill":
                return _gradient_colour(child, theme)
            if name == "pattFill":
                return _colour(child.find(f"{_A}fgClr"), theme)
            if name == "grpFill":
                return group_fill
            if name == "blipFill":
                return None
    if style is not None:
        ref = style.find(f"{_A}fillRef")
        if ref is not None and (finite_float(ref.get("idx"), 0) or 0) > 0:
            return _colour(ref, theme)
    return None


def _line_of(props: Element | None, style: Element | None, theme: dict[str, str]) -> str | None:
    ln = props.find(f"{_A}ln") if props is not None else None
    if ln is not None:
        if ln.find(f"{_A}noFill") is not None:
            return None
        solid = ln.find(f"{_A}solidFill")
        if solid is not None:
            return _colour(solid, theme)
        grad = ln.find(f"{_A}gradFill")
        if grad is not None:
            return _gradient_colour(grad, theme)
    if style is not None:
        ref = style.find(f"{_A}lnRef")
        if ref is not None and (finite_float(ref.get("idx"), 0) or 0) > 0:
            return _colour(ref, theme)
    return None


# ---------------------------------------------------------------- drawing parts

def _parse_drawing(zf: zipfile.ZipFile, part: str, label: str) -> tuple[Element | None, dict[str, str]]:
    """The drawing's root and every namespace prefix it declares (for mc:Choice Requires)."""
    info = zf.NameToInfo.get(part)
    if info is None:
        return None, {}
    if info.file_size > MAX_DRAWING_PART:
        raise PlanReadError("too-large", f"{label} is too large to open safely: its drawing {part} is too big.",
                            f"{label} は大きすぎるため安全に開けません（図形の部品 {part} が大きすぎます）。")
    prefixes: dict[str, str] = {}
    root = None
    try:
        with zf.open(info) as handle:
            data = handle.read(MAX_DRAWING_PART + 1)
        for event, item in DET.iterparse(io.BytesIO(data), events=("start-ns", "start"), forbid_dtd=True):
            if event == "start-ns":
                prefix, uri = item
                prefixes.setdefault(prefix, uri)
            elif root is None:
                root = item
        # iterparse leaves the full tree under the first element
    except DefusedXmlException:
        raise unsafe_xml_error(label, part) from None
    except PARSE_ERRORS:
        return None, {}
    return root, prefixes


def _expand(children, prefixes: dict[str, str], depth: int = 0):
    """Children with mc:AlternateContent replaced by its understood Choice (or its Fallback)."""
    for child in children:
        if child.tag != f"{_MC}AlternateContent":
            yield child
            continue
        if depth >= 8:        # nested alternate content deeper than any writer makes: skipped
            continue
        chosen = None
        for branch in child:
            if branch.tag == f"{_MC}Choice":
                needs = (branch.get("Requires") or "").split()
                if all(prefixes.get(p) in _KNOWN_NS for p in needs):
                    chosen = branch
                    break
            elif branch.tag == f"{_MC}Fallback":
                chosen = branch
                break
        if chosen is not None:
            yield from _expand(list(chosen), prefixes, depth + 1)


def _xfrm(props: Element | None):
    """(off, ext, chOff, chExt, rot°, flipH, flipV) of a shape's or group's a:xfrm."""
    xfrm = props.find(f"{_A}xfrm") if props is not None else None
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{_A}off"), xfrm.find(f"{_A}ext")
    ch_off, ch_ext = xfrm.find(f"{_A}chOff"), xfrm.find(f"{_A}chExt")
    return ((attr_int(off, "x"), attr_int(off, "y")), (attr_int(ext, "cx"), attr_int(ext, "cy")),
            (attr_int(ch_off, "x"), attr_int(ch_off, "y")) if ch_off is not None else None,
            (attr_int(ch_ext, "cx"), attr_int(ch_ext, "cy")) if ch_ext is not None else None,
            attr_int(xfrm, "rot") / 60000.0,
            xfrm.get("flipH") in ("1", "true"), xfrm.get("flipV") in ("1", "true"))


def _text_of(body: Element | None) -> str:
    if body is None:
        return ""
    paragraphs = []
    for p in body.iter(f"{_A}p"):
        parts = []
        for item in p:
            name = item.tag.rsplit("}", 1)[-1]
            if name in ("r", "fld"):
                t = item.find(f"{_A}t")
                if t is not None and t.text:
                    parts.append(t.text)
            elif name == "br":
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs).strip()


def _anchor_edges(root: Element, prefixes: dict[str, str]) -> list[tuple[int, int, int]]:
    """(anchor column, column offset, absolute x) of the left and right edges of unrotated two-cell-anchored objects.

    The input of :func:`~dxroadmap.io.xlsx.drawing.geometry.calibrated_digit_width` (at most 400 edges).
    """
    pairs: list[tuple[int, int, int]] = []     # (marker col, colOff, xfrm x) for left and right edges
    for anchor in _expand(list(root), prefixes):
        if anchor.tag != f"{_X}twoCellAnchor":
            continue
        for obj in _expand(list(anchor), prefixes):
            props = obj.find(f"{_X}spPr")
            if props is None:
                props = obj.find(f"{_X}grpSpPr")
            xf = _xfrm(props) if props is not None else None
            if xf is None or xf[4] % 180:
                continue
            frm, to = anchor.find(f"{_X}from"), anchor.find(f"{_X}to")
            if frm is None or to is None:
                continue
            pairs.append((xml_int(frm.find(f"{_X}col")), xml_int(frm.find(f"{_X}colOff")), xf[0][0]))
            pairs.append((xml_int(to.find(f"{_X}col")), xml_int(to.find(f"{_X}colOff")), xf[0][0] + xf[1][0]))
            break
        if len(pairs) >= 400:
            break
    return pairs


class _Reader:
    """Turns one drawing part into :class:`Shape` objects (bounded)."""

    def __init__(self, grid: SheetGeometry, theme: dict[str, str], prefixes: dict[str, str], part: str = "") -> None:
        self.grid = grid
        self.part = part
        self.index = -1   # the top-level element being read
        self.theme = theme
        self.prefixes = prefixes
        self.shapes: list[Shape] = []

    def full(self) -> bool:
        return len(self.shapes) >= MAX_SHAPES_PER_DRAWING

    def anchor(self, anchor: Element) -> None:
        box = anchor_box(self.grid, anchor)
        if box is None:
            return
        for obj in _expand(list(anchor), self.prefixes):
            name = obj.tag.rsplit("}", 1)[-1]
            if name in ("sp", "cxnSp", "pic", "graphicFrame", "grpSp"):
                self.object(obj, box, None, 0, False, None)
                return

    def object(self, obj: Element, box, transform, depth: int, hidden_parent: bool,
               group_fill: str | None) -> None:
        """``box``: sheet-EMU box of a top-level object; ``transform``: child-space → sheet EMU for group children."""
        if self.full() or depth > MAX_GROUP_DEPTH:
            return
        name = obj.tag.rsplit("}", 1)[-1]
        nv = next((c for c in obj if c.tag.startswith(_X) and c.tag.endswith("Pr") and c.tag[len(_X):].startswith("nv")),
                  None)
        c_nv = nv.find(f"{_X}cNvPr") if nv is not None else None
        hidden = hidden_parent or (c_nv is not None and c_nv.get("hidden") in ("1", "true"))
        props_tag = {"grpSp": "grpSpPr", "graphicFrame": "xfrm"}.get(name, "spPr")
        props = obj.find(f"{_X}{props_tag}")
        if name == "graphicFrame":
            xf = None
            frame = obj.find(f"{_X}xfrm")
            if frame is not None:
                holder = Element("holder")
                holder.append(Element(f"{_A}xfrm", frame.attrib))
                holder[0].extend(list(frame))
                xf = _xfrm(holder)
        else:
            xf = _xfrm(props)

        # where the object sits, in sheet EMU, before rotation/flip
        if transform is None:
            x0, y0, x1, y1 = box
        else:
            if xf is None:
                return
            (ox, oy), (cx, cy) = xf[0], xf[1]
            ax, bx, ay, by = transform
            x0, y0, x1, y1 = ax * ox + bx, ay * oy + by, ax * (ox + cx) + bx, ay * (oy + cy) + by

        if name == "grpSp":
            if xf is None:
                return
            ch_off, ch_ext = xf[2] or xf[0], xf[3] or xf[1]
            # child space → this group's box in sheet EMU (a flipped group mirrors its children;
            # group rotation is not applied)
            sx = (x1 - x0) / ch_ext[0] if ch_ext[0] else 1.0
            sy = (y1 - y0) / ch_ext[1] if ch_ext[1] else 1.0
            ax, bx = (-sx, x1 + ch_off[0] * sx) if xf[5] else (sx, x0 - ch_off[0] * sx)
            ay, by = (-sy, y1 + ch_off[1] * sy) if xf[6] else (sy, y0 - ch_off[1] * sy)
            child_transform = (ax, bx, ay, by)
            gfill = _fill_of(props, None, self.theme, group_fill)
            for child in _expand(list(obj), self.prefixes):
                cname = child.tag.rsplit("}", 1)[-1]
                if cname in ("sp", "cxnSp", "pic", "graphicFrame", "grpSp"):
                    self.object(child, None, child_transform, depth + 1, hidden, gfill)
                    if self.full():
                        return
            return

        rot, flip_h, flip_v = (xf[4], xf[5], xf[6]) if xf is not None else (0.0, False, False)
        geom = props.find(f"{_A}prstGeom") if props is not None else None
        style = obj.find(f"{_X}style")
        if name == "pic":
            kind = "picture"
        elif name == "graphicFrame":
            kind = "graphicFrame"
        elif name == "sp" and nv is not None and nv.find(f"{_X}cNvSpPr") is not None \
                and nv.find(f"{_X}cNvSpPr").get("txBox") in ("1", "true"):
            kind = "textbox"
        elif geom is not None:
            kind = geom.get("prst") or "custom"
        elif props is not None and props.find(f"{_A}custGeom") is not None:
            kind = "custom"
        else:
            kind = "line" if name == "cxnSp" else "rect"
        is_line = name == "cxnSp" or kind in _LINE_PRESETS

        ln = props.find(f"{_A}ln") if props is not None else None

        def has_end(tag: str) -> bool:
            end = ln.find(f"{_A}{tag}") if ln is not None else None
            return end is not None and end.get("type", "none") != "none"

        head, tail = has_end("headEnd"), has_end("tailEnd")
        cxm, cym = (x0 + x1) / 2, (y0 + y1) / 2
        if is_line:
            sx0, sx1 = (x1, x0) if flip_h else (x0, x1)
            sy0, sy1 = (y1, y0) if flip_v else (y0, y1)
            start, end = (sx0, sy0), (sx1, sy1)
            if rot % 360:
                start, end = _rotate(start, cxm, cym, rot), _rotate(end, cxm, cym, rot)
            if (start[0] > end[0] + 0.5) or (abs(start[0] - end[0]) <= 0.5 and start[1] > end[1]):
                start, end, head, tail = end, start, tail, head
            x0, x1 = sorted((start[0], end[0]))
            y0, y1 = sorted((start[1], end[1]))
        else:
            if 45 <= rot % 180 < 135:
                hw, hh = abs(x1 - x0) / 2, abs(y1 - y0) / 2
                x0, x1, y0, y1 = cxm - hh, cxm + hh, cym - hw, cym + hw
            x0, x1 = sorted((x0, x1))
            y0, y1 = sorted((y0, y1))
            if flip_h:
                head, tail = tail, head
        body = obj.find(f"{_X}txBody")
        cols, rows = self.grid.cols, self.grid.rows
        fill = None if is_line or name in ("pic", "graphicFrame") else _fill_of(props, style, self.theme, group_fill)
        line = _line_of(props, style, self.theme) if name != "graphicFrame" else None
        self.shapes.append(Shape(
            kind=kind, text=_text_of(body),
            col0=cols.frac(x0), col1=cols.frac(x1), row0=rows.frac(y0), row1=rows.frac(y1),
            fill=fill, head_end=head, tail_end=tail, in_group=transform is not None, hidden=hidden, line=line,
            part=self.part, anchor=self.index))


def _rotate(point: tuple[float, float], cx: float, cy: float, degrees: float) -> tuple[float, float]:
    t = math.radians(degrees)   # DrawingML rotates clockwise with y pointing down
    dx, dy = point[0] - cx, point[1] - cy
    return cx + dx * math.cos(t) - dy * math.sin(t), cy + dx * math.sin(t) + dy * math.cos(t)


def read_sheet_shapes(path: str | os.PathLike) -> dict[str, list[Shape]]:
    """Every drawing object of every worksheet, keyed by worksheet title (sheets without any left out).

    Objects come in document order (their z-order, back to front). Pictures, text boxes, charts
    and hidden objects are included and marked; a drawing holds at most
    :data:`MAX_SHAPES_PER_DRAWING` objects. Raises :class:`PlanReadError` only for unsafe or
    oversized parts; a damaged drawing yields no shapes for its sheet.
    """
    path = Path(path)
    label = path.name
    try:
        return _read_all(path, label)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        if isinstance(exc, RecursionError):
            reason = ("its drawings are nested too deeply.", "図形の入れ子が深すぎます。")
        else:
            reason = ("the file is damaged or incomplete.", "ファイルが壊れているか途中で切れています。")
        raise PlanReadError("not-a-workbook", f"The drawings of {label} cannot be read: {reason[0]}",
                            f"{label} の図形を読み込めません。{reason[1]}") from None


def drawing_geometry(zf: zipfile.ZipFile, sheet_part: str, drawing: str, label: str) -> tuple[SheetGeometry, SheetLayout]:
    """The grid the reader placed ``drawing``'s objects on (same digit width), and its layout (close it after use)."""
    root, prefixes = _parse_drawing(zf, drawing, label)
    layout = SheetLayout(zf, sheet_part, label)
    edges = _anchor_edges(root, prefixes) if root is not None else []
    mdw = calibrated_digit_width(layout, edges, default_digit_width(zf, label))
    return SheetGeometry(layout.columns(mdw), layout.rows()), layout


def _read_all(path: Path, label: str) -> dict[str, list[Shape]]:
    out: dict[str, list[Shape]] = {}
    parsed_bytes = 0
    total = 0
    with zipfile.ZipFile(path) as zf:
        theme = read_theme(zf, label)
        font_mdw = default_digit_width(zf, label)
        for sheet in workbook_sheets(zf, label):
            drawings = sorted({target for rtype, target in part_relationships(zf, sheet.part, label).values()
                               if rtype.endswith(REL_DRAWING) and target in zf.NameToInfo})
            shapes: list[Shape] = []
            for drawing in drawings:
                parsed_bytes += zf.NameToInfo[drawing].file_size
                if parsed_bytes > MAX_DRAWING_BYTES:
                    raise too_large_error(label, "its drawings are too large in all.", "図形の部品が全体で大きすぎます。")
                root, prefixes = _parse_drawing(zf, drawing, label)
                if root is None:
                    continue
                layout = SheetLayout(zf, sheet.part, label)
                try:
                    mdw = calibrated_digit_width(layout, _anchor_edges(root, prefixes), font_mdw)
                    reader = _Reader(SheetGeometry(layout.columns(mdw), layout.rows()), theme, prefixes, drawing)
                    for reader.index, top in enumerate(list(root)):
                        for anchor in _expand([top], prefixes):
                            reader.anchor(anchor)
                        if reader.full():
                            break
                finally:
                    layout.close()
                del root
                shapes.extend(reader.shapes)
                total += len(reader.shapes)
                if total > MAX_SHAPES_PER_WORKBOOK:
                    raise too_large_error(label, f"it holds more than {MAX_SHAPES_PER_WORKBOOK:,} drawn shapes.",
                                          f"図形が {MAX_SHAPES_PER_WORKBOOK:,} 個を超えています。")
            if shapes:
                out[sheet.title] = shapes
    return out

