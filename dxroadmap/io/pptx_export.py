"""The roadmap as a PowerPoint deck: 16:9 slides of native, editable shapes (python-pptx).

Each roadmap slide has the plan's title, a fiscal-year header (令和5年度 …), pillar bands,
initiative names, one rectangle per phase in the phase's colour with its label in the colour
:func:`dxroadmap.model.colors.text_color_on` picks, ◆ milestones and a legend. Rows are
paginated by pillar (default: every pillar starts a slide) or by rows per slide; an initiative
(with its sub-actions where they fit) never splits across slides. Text widths are estimated from
character counts (full-width characters 1 em, others about half), so no Qt is needed.

All text names a Japanese font as its east-asian typeface (``a:ea``): 游ゴシック by default,
which Windows has; where it is missing PowerPoint and LibreOffice substitute a Japanese font
(on Linux, fontconfig picks Noto Sans CJK JP).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.model.colors import DARK_TEXT, bar_text, text_color_on
from dxroadmap.model.fiscal import fy_first_month, fy_last_month
from dxroadmap.model.lanes import assign_lanes
from dxroadmap.model.legend import legend_entries
from dxroadmap.model.plan import Initiative, Pillar, Plan
from dxroadmap.model.titles import sheet_title
from dxroadmap.model.wareki import format_fiscal_year, format_month

__all__ = ["DEFAULT_FONT", "BAR_NAME_PREFIX", "MILESTONE_NAME_PREFIX", "text_width_em", "slide_plan", "write_pptx"]

DEFAULT_FONT = "游ゴシック"
BAR_NAME_PREFIX = "工程"  # shape names "工程0001 検討": the plan-wide phase number, then the label
MILESTONE_NAME_PREFIX = "マイルストーン"

EMU_PER_INCH = 914400
SLIDE_W = 12192000  # 13.333 in: 16:9
SLIDE_H = 6858000  # 7.5 in

PILLAR_FILL = "#1F3864"
HEADER_FILL = "#D6DCE5"
GRID_LINE = "#BFBFBF"
ROW_LINE = "#E0E0E0"
TITLE_COLOR = "#1F3864"
CONTINUED = "（続き）"

# Geometry in inches.
MARGIN = 0.35
TITLE_TOP, TITLE_H = 0.2, 0.45
HEADER_TOP, HEADER_H = 0.75, 0.34
NAME_W = 3.2
LEGEND_H = 0.34
FOOTER_GAP = 0.12
PILLAR_H = 0.3
LANE_H = 0.27
BAR_H = 0.21
MS_LANE_H = 0.22
MS_SIZE = 0.15
ROW_PAD = 0.06
INDENT = 0.2

# Font sizes in points.
SIZE = {"title": 18, "header": 11, "pillar": 11, "name": 10, "bar": 8.5, "milestone": 8, "legend": 9, "page": 9,
        "cover": 32, "cover_sub": 16}
LINE_FACTOR = 1.3  # line height / font size
WIDTH_SAFETY = 1.08  # estimated widths run a little short of real fonts' (Meiryo UI, Noto Sans CJK)


def _in(x: float) -> Emu:
    return Emu(int(round(x * EMU_PER_INCH)))


def text_width_em(text: str) -> float:
    """Width of ``text`` in em: full-width and wide characters 1 em, the rest 0.55 em."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


def _text_width_in(text: str, size_pt: float) -> float:
    return text_width_em(text) * size_pt / 72 * WIDTH_SAFETY


def _line_h(size_pt: float) -> float:
    return size_pt * LINE_FACTOR / 72


def _wrap(text: str, size_pt: float, width_in: float, max_lines: int) -> list[str]:
    """``text`` broken into lines no wider than ``width_in``; the last kept line ends in … if cut."""
    limit = width_in * 72 / size_pt  # in em
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        current, used = "", 0.0
        for ch in para:
            w = text_width_em(ch)
            if used + w > limit and current and ch not in "。、）」":
                lines.append(current)
                current, used = "", 0.0
            current += ch
            used += w
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width_em(last + "…") > limit:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def _elide(text: str, size_pt: float, width_in: float) -> str:
    if _text_width_in(text, size_pt) <= width_in:
        return text
    while text and _text_width_in(text + "…", size_pt) > width_in:
        text = text[:-1]
    return text + "…" if text else ""




# ---- layout (pure) --------------------------------------------------------------------------------


@dataclass
class _Row:
    """One initiative or sub-action row as it will be drawn."""

    init: Initiative
    depth: int
    name_lines: list[str]
    phases: list[tuple[int, int, int, int]]  # (phase number, visible start, visible end, lane)
    milestones: list[int]  # milestone indexes in init.milestones that are in the period
    n_lanes: int
    has_ms: bool
    height: float


@dataclass
class _Block:
    """Rows that stay on one slide: an initiative with its sub-actions."""

    pillar: Pillar
    rows: list[_Row]

    @property
    def height(self) -> float:
        return sum(r.height for r in self.rows)


@dataclass
class _Slide:
    pillar_parts: list[tuple[Pillar, bool, list[_Row]]] = field(default_factory=list)  # (pillar, continued, rows)

    def height(self) -> float:
        return sum(PILLAR_H + sum(r.height for r in rows) for _, _, rows in self.pillar_parts)

    def n_rows(self) -> int:
        return sum(len(rows) for _, _, rows in self.pillar_parts)


class _Geometry:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.first_month = fy_first_month(plan.start_fy)
        self.last_month = fy_last_month(plan.end_fy)
        self.n_months = max(1, self.last_month - self.first_month + 1)
        self.left = MARGIN
        self.timeline_left = MARGIN + NAME_W
        self.right = SLIDE_W / EMU_PER_INCH - MARGIN
        self.month_w = (self.right - self.timeline_left) / self.n_months
        self.body_top = HEADER_TOP + HEADER_H
        self.legend_top = SLIDE_H / EMU_PER_INCH - MARGIN + 0.1 - LEGEND_H
        self.body_bottom = self.legend_top - FOOTER_GAP

    def x(self, month: int) -> float:
        return self.timeline_left + (month - self.first_month) * self.month_w

    @property
    def body_h(self) -> float:
        return self.body_bottom - self.body_top


def _build_rows(plan: Plan, geo: _Geometry) -> list[_Block]:
    blocks: list[_Block] = []
    counter = 0

    def row_for(init: Initiative, depth: int) -> _Row:
        nonlocal counter
        phases = []
        for ph in init.phases:
            number = counter
            counter += 1
            s, e = max(ph.start, geo.first_month), min(ph.end, geo.last_month)
            if s <= e:
                phases.append((number, s, e))
        phases.sort(key=lambda t: (t[1], t[2]))
        lanes = assign_lanes([(s, e + 1) for _, s, e in phases])
        placed = [(n, s, e, lane) for (n, s, e), lane in zip(phases, lanes)]
        ms = [i for i, m in enumerate(init.milestones) if geo.first_month <= m.month <= geo.last_month]
        n_lanes = max(lanes, default=0) + 1
        name_w = (NAME_W - 0.14 - depth * INDENT) / WIDTH_SAFETY
        name_lines = _wrap(("└ " if depth else "") + (init.name or "（名称なし）"), SIZE["name"], name_w, 6)
        height = max(len(name_lines) * _line_h(SIZE["name"]), n_lanes * LANE_H + (MS_LANE_H if ms else 0)) + ROW_PAD * 2
        return _Row(init, depth, name_lines, placed, ms, n_lanes, bool(ms), height)

    def add(items: list[Initiative], depth: int, into: list[_Row]) -> None:
        for init in items:
            into.append(row_for(init, depth))
            add(init.children, depth + 1, into)

    for pillar in plan.pillars:
        if not pillar.initiatives:
            blocks.append(_Block(pillar, []))
        for init in pillar.initiatives:
            rows: list[_Row] = []
            add([init], 0, rows)
            blocks.append(_Block(pillar, rows))
    return blocks


def _paginate(blocks: list[_Block], geo: _Geometry, by_pillar: bool, rows_per_slide: int | None) -> list[_Slide]:
    """Slides holding whole blocks; a block taller than a slide is split between its rows."""
    avail = geo.body_h
    slides: list[_Slide] = [_Slide()]

    def fits(slide: _Slide, pillar: Pillar, rows: list[_Row]) -> bool:
        if not slide.pillar_parts:
            return True
        extra = sum(r.height for r in rows)
        if slide.pillar_parts[-1][0] is not pillar:
            extra += PILLAR_H
        if rows_per_slide and slide.n_rows() + len(rows) > rows_per_slide:
            return False
        return slide.height() + extra <= avail + 1e-9

    def place(pillar: Pillar, rows: list[_Row]) -> None:
        slide = slides[-1]
        if not fits(slide, pillar, rows):
            slide = _Slide()
            slides.append(slide)
        if slide.pillar_parts and slide.pillar_parts[-1][0] is pillar:
            slide.pillar_parts[-1][2].extend(rows)
        else:
            continued = any(p is pillar for s in slides[:-1] for p, _, _ in s.pillar_parts)
            slide.pillar_parts.append((pillar, continued, list(rows)))

    previous: Pillar | None = None
    for block in blocks:
        if by_pillar and previous is not None and block.pillar is not previous and slides[-1].pillar_parts:
            slides.append(_Slide())
        previous = block.pillar
        if not block.rows:
            place(block.pillar, [])
            continue
        whole_fits_a_slide = PILLAR_H + block.height <= avail and (not rows_per_slide or len(block.rows) <= rows_per_slide)
        if whole_fits_a_slide:
            place(block.pillar, block.rows)
        else:
            for row in block.rows:
                place(block.pillar, [row])
    return [s for s in slides if s.pillar_parts]


# ---- drawing ----------------------------------------------------------------------------------


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#")[-6:].upper())


def _set_font(run, font: str, size: float, color: str, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(color)
    run.font.name = font  # a:latin
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "ja-JP")
    rpr.set("altLang", "en-US")
    for tag in ("a:ea", "a:cs"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    latin = rpr.find(qn("a:latin"))
    ea = etree.SubElement(rpr, qn("a:ea"))
    ea.set("typeface", font)
    ea.set("pitchFamily", "50")
    ea.set("charset", "-128")  # Shift_JIS: a substitute must be a Japanese font
    cs = etree.SubElement(rpr, qn("a:cs"))
    cs.set("typeface", font)
    latin.addnext(ea)
    ea.addnext(cs)


def _fill_text(shape, lines: list[str] | str, font: str, size: float, color: str, *, bold: bool = False,
               align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.MIDDLE, margin: float = 0.04, wrap: bool = False) -> None:
    tf = shape.text_frame
    tf.word_wrap = wrap
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = _in(margin)
    tf.margin_top = tf.margin_bottom = _in(0.01)
    if isinstance(lines, str):
        lines = [lines]
    for i, line in enumerate(lines):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.alignment = align
        para.line_spacing = 1.0
        run = para.add_run()
        run.text = line
        _set_font(run, font, size, color, bold)


def _plain(shape, fill: str | None, line: str | None = None, line_w: float = 0.75) -> None:
    if fill is None:
        shape.fill.background()
    else:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fill)
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = _rgb(line)
        shape.line.width = Pt(line_w)
    shape.shadow.inherit = False


def _rect(shapes, x: float, y: float, w: float, h: float, fill: str | None, line: str | None = None,
          kind=MSO_SHAPE.RECTANGLE, name: str | None = None):
    shape = shapes.add_shape(kind, _in(x), _in(y), _in(max(w, 0.01)), _in(max(h, 0.01)))
    _plain(shape, fill, line)
    if name:
        shape.name = name
    return shape


def _text(shapes, x: float, y: float, w: float, h: float, lines, font: str, size: float, color: str = DARK_TEXT,
          name: str | None = None, **kw):
    box = shapes.add_textbox(_in(x), _in(y), _in(max(w, 0.01)), _in(max(h, 0.01)))
    _fill_text(box, lines, font, size, color, **kw)
    if name:
        box.name = name
    return box


def _line(shapes, x1: float, y1: float, x2: float, y2: float, color: str, width: float = 0.5) -> None:
    conn = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, _in(x1), _in(y1), _in(x2), _in(y2))
    conn.line.color.rgb = _rgb(color)
    conn.line.width = Pt(width)
    conn.shadow.inherit = False


def _legend_items(plan: Plan) -> list[tuple[str, str, str]]:
    """(mark, colour, word) per 凡例 entry: one per colour meaning (:func:`legend_entries`), ◆ last."""
    return [("milestone", DARK_TEXT, item.label) if item.milestone else ("phase", item.color, item.label)
            for item in legend_entries(plan)]


class _Painter:
    def __init__(self, plan: Plan, geo: _Geometry, font: str) -> None:
        self.plan, self.geo, self.font = plan, geo, font
        self.title = sheet_title(plan)
        self.legend = _legend_items(plan)
        self.phase_list = [(init, ph) for _, init in plan.walk() for ph in init.phases]

    def cover(self, slide) -> None:
        sh = slide.shapes
        w = SLIDE_W / EMU_PER_INCH
        _rect(sh, 0, 2.3, w, 0.08, PILLAR_FILL)
        _text(sh, 0.8, 2.6, w - 1.6, 1.2, _wrap(self.title, SIZE["cover"], w - 1.8, 2), self.font, SIZE["cover"],
              TITLE_COLOR, bold=True, name="タイトル", anchor=MSO_ANCHOR.TOP, wrap=True)
        period = f"計画期間　{format_fiscal_year(self.plan.start_fy)}〜{format_fiscal_year(self.plan.end_fy)}"
        sub = [s for s in (self.plan.organization, period) if s]
        _text(sh, 0.8, 4.1, w - 1.6, 1.0, sub, self.font, SIZE["cover_sub"], DARK_TEXT, name="サブタイトル",
              anchor=MSO_ANCHOR.TOP)

    def roadmap(self, slide, part: _Slide, number: int, total: int) -> None:
        sh, geo = slide.shapes, self.geo
        # title and organisation
        _text(sh, geo.left, TITLE_TOP, geo.right - geo.left - 2.5, TITLE_H, _elide(self.title, SIZE["title"], 9.8),
              self.font, SIZE["title"], TITLE_COLOR, bold=True, name="タイトル", margin=0)
        if self.plan.organization:
            _text(sh, geo.right - 2.5, TITLE_TOP, 2.5, TITLE_H, self.plan.organization, self.font, SIZE["header"],
                  DARK_TEXT, align=PP_ALIGN.RIGHT, margin=0, name="団体名")
        # header: 取組 and one cell per fiscal year
        _fill_text(_rect(sh, geo.left, HEADER_TOP, NAME_W, HEADER_H, HEADER_FILL, GRID_LINE, name="見出し 取組"),
                   "取組", self.font, SIZE["header"], text_color_on(HEADER_FILL), bold=True, align=PP_ALIGN.CENTER)
        year_w = 12 * geo.month_w
        for fy in range(self.plan.start_fy, self.plan.end_fy + 1):
            x = geo.x(fy_first_month(fy))
            text = format_fiscal_year(fy) if fy >= 1926 else f"{fy}年度"
            if _text_width_in(text, SIZE["header"]) > year_w - 0.08:
                text = f"{fy}年度" if _text_width_in(f"{fy}年度", SIZE["header"]) <= year_w - 0.08 else str(fy)
            cell = _rect(sh, x, HEADER_TOP, year_w, HEADER_H, HEADER_FILL, GRID_LINE, name=f"見出し {text}")
            _fill_text(cell, text, self.font, SIZE["header"], text_color_on(HEADER_FILL), bold=True,
                       align=PP_ALIGN.CENTER, margin=0.02)
        # body
        y = geo.body_top
        body_end = geo.body_top + part.height()
        for fy in range(self.plan.start_fy, self.plan.end_fy + 2):
            x = geo.x(fy_first_month(fy))
            _line(sh, x, geo.body_top, x, body_end, GRID_LINE, 0.75)
        for pillar, continued, rows in part.pillar_parts:
            name = (pillar.name or "（分野名なし）") + (CONTINUED if continued else "")
            band = _rect(sh, geo.left, y, geo.right - geo.left, PILLAR_H, PILLAR_FILL, name=f"柱 {pillar.name}")
            _fill_text(band, _elide(name, SIZE["pillar"], geo.right - geo.left - 0.2), self.font, SIZE["pillar"],
                       text_color_on(PILLAR_FILL), bold=True, margin=0.08)
            y += PILLAR_H
            for row in rows:
                self.row(sh, row, y)
                y += row.height
                _line(sh, geo.left, y, geo.right, y, ROW_LINE, 0.5)
        _line(sh, geo.left, geo.body_top, geo.left, body_end, GRID_LINE, 0.75)
        self.legend_and_page(sh, number, total)

    def row(self, sh, row: _Row, top: float) -> None:
        geo = self.geo
        indent = row.depth * INDENT
        _text(sh, geo.left + indent, top, NAME_W - indent, row.height,
              row.name_lines,
              self.font, SIZE["name"], DARK_TEXT, name=f"取組 {row.init.name}", margin=0.06)
        schedule_h = row.n_lanes * LANE_H + (MS_LANE_H if row.has_ms else 0)
        ms_top = top + (row.height - schedule_h) / 2  # the schedule centred beside a name of several lines
        bar_top = ms_top + (MS_LANE_H if row.has_ms else 0)
        # milestones
        for idx in row.milestones:
            ms = row.init.milestones[idx]
            cx, cy = geo.x(ms.month), ms_top + MS_LANE_H / 2
            label = ms.label or ""
            _rect(sh, cx - MS_SIZE / 2, cy - MS_SIZE / 2, MS_SIZE, MS_SIZE, DARK_TEXT, kind=MSO_SHAPE.DIAMOND,
                  name=f"{MILESTONE_NAME_PREFIX} {label or format_month(ms.month)}")
            if label:
                room = geo.right - (cx + MS_SIZE)
                width = _text_width_in(label, SIZE["milestone"]) + 0.1
                if width <= room or room >= 1.0:
                    _text(sh, cx + MS_SIZE / 2 + 0.03, cy - MS_LANE_H / 2, min(width, room), MS_LANE_H,
                          _elide(label, SIZE["milestone"], min(width, room) - 0.08), self.font, SIZE["milestone"],
                          name=f"{MILESTONE_NAME_PREFIX}ラベル {label}", margin=0.02)
                else:
                    w = min(width, cx - MS_SIZE / 2 - geo.timeline_left)
                    _text(sh, cx - MS_SIZE / 2 - 0.03 - w, cy - MS_LANE_H / 2, w, MS_LANE_H,
                          _elide(label, SIZE["milestone"], w - 0.08), self.font, SIZE["milestone"],
                          name=f"{MILESTONE_NAME_PREFIX}ラベル {label}", margin=0.02, align=PP_ALIGN.RIGHT)
        # bars, lane by lane so an outside label knows its neighbours
        by_lane: dict[int, list[tuple[int, int, int]]] = {}
        for number, s, e, lane in row.phases:
            by_lane.setdefault(lane, []).append((number, s, e))
        for lane, bars in by_lane.items():
            y = bar_top + lane * LANE_H + (LANE_H - BAR_H) / 2
            used_right = geo.timeline_left
            for pos, (number, s, e) in enumerate(bars):
                init, ph = self.phase_list[number]
                x, w = geo.x(s), (e - s + 1) * geo.month_w
                color = ph.display_color
                label = bar_text(ph)  # the same words as on screen and in print
                bar = _rect(sh, x, y, w, BAR_H, color, name=f"{BAR_NAME_PREFIX}{number:04d} {label}")
                inner = w - 0.06
                right_limit = geo.x(bars[pos + 1][1]) if pos + 1 < len(bars) else geo.right
                text_w = _text_width_in(label, SIZE["bar"])
                size = SIZE["bar"]
                if text_w > inner and _text_width_in(label, 7) <= inner:
                    size, text_w = 7, _text_width_in(label, 7)
                if text_w <= inner:
                    _fill_text(bar, label, self.font, size, text_color_on(color), align=PP_ALIGN.CENTER, margin=0.02)
                    used_right = x + w
                elif text_w + 0.1 <= right_limit - (x + w):
                    _text(sh, x + w + 0.02, y - 0.03, text_w + 0.1, BAR_H + 0.06, label, self.font, SIZE["bar"],
                          name=f"{BAR_NAME_PREFIX}ラベル{number:04d} {label}", margin=0.03)
                    used_right = x + w + text_w + 0.12
                elif text_w + 0.1 <= x - used_right:
                    _text(sh, x - text_w - 0.12, y - 0.03, text_w + 0.1, BAR_H + 0.06, label, self.font, SIZE["bar"],
                          name=f"{BAR_NAME_PREFIX}ラベル{number:04d} {label}", margin=0.03, align=PP_ALIGN.RIGHT)
                    used_right = x + w
                else:
                    _fill_text(bar, _elide(label, 7, inner), self.font, 7, text_color_on(color), align=PP_ALIGN.CENTER,
                               margin=0.02)
                    used_right = x + w
                # the whole label and period stay with the shape for people editing the deck
                bar.element.nvSpPr.cNvPr.set("descr", f"{label or ph.kind.label_ja}：{_span_text(ph.start, ph.end)}")

    def legend_and_page(self, sh, number: int, total: int) -> None:
        geo = self.geo
        top = geo.legend_top
        x = geo.left
        size = SIZE["legend"]
        if self.legend:
            _text(sh, x, top, 0.5, LEGEND_H, "凡例", self.font, size, DARK_TEXT, bold=True, margin=0, name="凡例")
            x += 0.5
        for kind, color, label in self.legend:
            if kind == "phase":
                _rect(sh, x, top + (LEGEND_H - 0.18) / 2, 0.45, 0.18, color, name=f"凡例 {label}")
                x += 0.5
            else:
                _rect(sh, x, top + (LEGEND_H - MS_SIZE) / 2, MS_SIZE, MS_SIZE, color, kind=MSO_SHAPE.DIAMOND,
                      name=f"凡例 {label}")
                x += MS_SIZE + 0.05
            w = _text_width_in(label, size) + 0.1
            _text(sh, x, top, w, LEGEND_H, label, self.font, size, DARK_TEXT, margin=0.02, name=f"凡例ラベル {label}")
            x += w + 0.2
        _text(sh, geo.right - 1.0, top, 1.0, LEGEND_H, f"{number} / {total}", self.font, SIZE["page"], DARK_TEXT,
              align=PP_ALIGN.RIGHT, margin=0, name="ページ番号")


def _span_text(start: int, end: int) -> str:
    return f"{format_month(start)}〜{format_month(end)}"


def slide_plan(plan: Plan, *, paginate: str = "pillar", rows_per_slide: int | None = None) -> list[list[str]]:
    """The initiative names on each roadmap slide, in order (what :func:`write_pptx` would draw)."""
    geo = _Geometry(plan)
    slides = _paginate(_build_rows(plan, geo), geo, paginate == "pillar", rows_per_slide)
    return [[row.init.name for _, _, rows in s.pillar_parts for row in rows] for s in slides]


def write_pptx(plan: Plan, path: str | os.PathLike, *, paginate: str = "pillar", rows_per_slide: int | None = None,
               title_slide: bool = False, font: str = DEFAULT_FONT) -> Path:
    """Write ``plan`` as a 16:9 PowerPoint deck of editable shapes (atomically); return the path.

    ``paginate="pillar"`` starts every pillar on a new slide; ``"rows"`` fills slides. Either way
    ``rows_per_slide`` caps the initiative rows on a slide and no initiative row splits.
    ``title_slide`` adds a cover slide with the title, 団体名 and 計画期間.
    """
    if paginate not in ("pillar", "rows"):
        raise ValueError(f"paginate must be 'pillar' or 'rows', not {paginate!r}")
    if rows_per_slide is not None and rows_per_slide < 1:
        raise ValueError("rows_per_slide must be at least 1")
    geo = _Geometry(plan)
    slides = _paginate(_build_rows(plan, geo), geo, paginate == "pillar", rows_per_slide)
    if not slides:  # a plan with no pillars still gets its header, so the deck is not empty
        slides = [_Slide()]
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    blank = prs.slide_layouts[6]
    painter = _Painter(plan, geo, font)
    if title_slide:
        painter.cover(prs.slides.add_slide(blank))
    for i, part in enumerate(slides, 1):
        painter.roadmap(prs.slides.add_slide(blank), part, i, len(slides))
    props = prs.core_properties
    props.title = painter.title
    props.author = plan.organization or ""
    props.subject = f"{format_fiscal_year(plan.start_fy)}〜{format_fiscal_year(plan.end_fy)}" if plan.start_fy >= 1926 else ""
    props.keywords = "DX推進計画; ロードマップ"
    props.last_modified_by = "dxroadmap"
    path = Path(path)
    with atomic_path(path) as tmp:
        prs.save(str(tmp))
    return path
