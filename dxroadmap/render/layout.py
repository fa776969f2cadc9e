"""Pure geometry of a printed roadmap sheet: columns, rows, bars, milestones and pages.

Nothing is painted here. Text is measured with QFontMetricsF and wrapped with
QTextLayout once, and the painter draws exactly the lines decided here, so what was
measured is what is printed.

Units: a *layout unit* is a decipoint (1/720 inch) of the sheet at scale 1. The sheet
is laid out ``width`` units wide; ``scale`` maps it onto the paper's printable width
(fit to width) or onto one page (fit to page). Rows are paginated whole: a row never
splits across pages; the header rows, the title block and the legend repeat on every
page, and a page that opens in the middle of a pillar starts with that pillar's band
marked （続き）.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption

from dxroadmap.model.colors import DARK_TEXT, bar_text, text_color_on
from dxroadmap.model.fiscal import fy_first_month, fy_last_month, year_month
from dxroadmap.model.lanes import assign_lanes
from dxroadmap.model.legend import legend_entries
from dxroadmap.model.plan import Initiative, PhaseKind, Pillar, Plan
from dxroadmap.model.titles import sheet_title
from dxroadmap.model.wareki import YearStyle, format_era_date, format_fiscal_year
from dxroadmap.render.fonts import find_japanese_font, make_font
from dxroadmap.render.page_setup import DateStyle, PageSetup

__all__ = [
    "UNITS_PER_MM",
    "TextBox",
    "BarGeom",
    "MilestoneGeom",
    "RowGeom",
    "PageGeom",
    "Column",
    "LegendEntry",
    "SheetLayout",
    "layout_sheet",
    "wrap_text",
    "format_print_date",
]

UNITS_PER_MM = 720 / 25.4

# Font sizes (layout units = decipoints) by role.
FONT_SIZES = {
    "title": 170, "subtitle": 85, "header": 85, "tick": 62, "pillar": 95, "name": 82,
    "summary": 72, "dept": 72, "bar": 70, "milestone": 64, "legend": 70, "page": 75,
}
BOLD_ROLES = {"title", "header", "pillar"}

PAD = 28  # cell padding
LANE_H = 150  # one bar lane
BAR_H = 108
MS_LANE_H = 120  # one milestone lane
MS_SIZE = 80  # diamond width
INDENT = 110  # per sub-action depth
TEXT_COLUMNS = (("name", "取組内容", 1150), ("summary", "概要", 2050), ("dept", "関係部門", 720))
MIN_YEAR_W = 560  # narrower years scale the sheet down instead
COMFORT_YEAR_W = 900  # below this, text columns give up width first
MIN_COLUMN_W = {"summary": 1300, "name": 950}
TITLE_GAP = 60
FOOTER_GAP = 50
CONTINUED = "（続き）"


def format_print_date(day: _dt.date, style: DateStyle = DateStyle.ERA) -> str:
    """令和8年11月21日 (or 2026年11月21日): the date printed on the sheet."""
    if style is DateStyle.ERA:
        return format_era_date(day)
    return f"{day.year}年{day.month}月{day.day}日"


def wrap_text(text: str, font: QFont, width: float, max_lines: int | None = None) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (Japanese breaks anywhere but before 。、).

    Explicit newlines are kept. With ``max_lines`` the last kept line ends in "…".
    """
    lines: list[str] = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    width = max(width, 1.0)
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        para = para.rstrip()
        if not para:
            lines.append("")
            continue
        layout = QTextLayout(para, font)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(para[line.textStart():line.textStart() + line.textLength()].rstrip())
        layout.endLayout()
    while lines and lines[-1] == "":
        lines.pop()
    if max_lines is not None and len(lines) > max_lines:
        keep = lines[:max(max_lines, 1)]
        fm = QFontMetricsF(font)
        keep[-1] = fm.elidedText(keep[-1] + "……", Qt.TextElideMode.ElideRight, width)
        lines = keep
    return lines


@dataclass
class TextBox:
    """Lines of text set in ``rect`` with font ``role``; ``align`` is left, center or right."""

    rect: QRectF
    lines: list[str]
    role: str
    align: str = "left"
    color: str = "#1A1A1A"
    valign: str = "top"  # top | center


@dataclass
class BarGeom:
    """A phase bar clipped to the printed years, with where its label goes."""

    rect: QRectF
    color: str
    label: str  # as printed (may be elided); "" when the phase has none or it cannot fit
    label_rect: QRectF | None
    label_inside: bool
    text_color: str
    open_left: bool  # the phase starts before the printed years
    open_right: bool  # the phase continues after them
    kind: PhaseKind
    uid: str
    full_label: str = ""


@dataclass
class MilestoneGeom:
    """A ◆ at the start of its month and its label beside it."""

    center: QPointF
    size: float
    label: str
    label_rect: QRectF | None
    uid: str


@dataclass
class RowGeom:
    """One table row; coordinates are relative to the row's top-left corner."""

    kind: str  # "pillar" | "continued" | "initiative"
    height: float
    texts: list[TextBox]
    bars: list[BarGeom] = field(default_factory=list)
    milestones: list[MilestoneGeom] = field(default_factory=list)
    uid: str = ""
    pillar_uid: str = ""
    name: str = ""
    depth: int = 0
    truncated: bool = False


@dataclass
class PageGeom:
    """The rows on one page, each with its top ``y`` relative to the body top."""

    number: int
    rows: list[tuple[float, RowGeom]]

    @property
    def initiative_rows(self) -> list[RowGeom]:
        return [r for _, r in self.rows if r.kind == "initiative"]


@dataclass
class Column:
    key: str
    title: str
    x: float
    width: float


@dataclass
class LegendEntry:
    kind: str  # "phase" | "milestone"
    color: str
    label: str
    swatch: QRectF
    text_rect: QRectF


@dataclass
class SheetLayout:
    """Everything the painter needs; ``pages`` holds the rows page by page."""

    setup: PageSetup
    family: str
    fonts: dict[str, QFont]
    scale: float  # paper decipoints per layout unit
    width: float  # sheet width (layout units)
    page_height: float  # printable height (layout units)
    paper_size: tuple[float, float]  # paper in decipoints
    margins: tuple[float, float, float, float]  # paper decipoints: left, top, right, bottom
    columns: list[Column]
    timeline_x0: float
    first_fy: int
    last_fy: int
    month_w: float
    title_texts: list[TextBox]
    header_texts: list[TextBox]
    header_cells: list[tuple[QRectF, str]]  # rect, fill role ("header" | "tick")
    header_top: float
    header_height: float
    grid: list[tuple[float, str]]  # x, "year" | "minor"
    tick_mode: str | None
    body_top: float
    body_bottom: float
    legend: list[LegendEntry]
    page_number_rect: QRectF
    pages: list[PageGeom]
    title: str
    date_text: str

    @property
    def first_month(self) -> int:
        return fy_first_month(self.first_fy)

    @property
    def last_month(self) -> int:
        return fy_last_month(self.last_fy)

    def month_x(self, m: int) -> float:
        """x of the start of month index ``m``."""
        return self.timeline_x0 + (m - self.first_month) * self.month_w

    def page_text(self, page: PageGeom) -> str:
        return f"{page.number} / {len(self.pages)}"


class _Measure:
    """Fonts and their metrics by role."""

    def __init__(self, family: str) -> None:
        self.family = family
        self.fonts = {role: make_font(family, size, role in BOLD_ROLES) for role, size in FONT_SIZES.items()}
        self.metrics = {role: QFontMetricsF(font) for role, font in self.fonts.items()}

    def line(self, role: str) -> float:
        return self.metrics[role].lineSpacing()

    def width(self, role: str, text: str) -> float:
        return self.metrics[role].horizontalAdvance(text)

    def elide(self, role: str, text: str, width: float) -> str:
        return self.metrics[role].elidedText(text, Qt.TextElideMode.ElideRight, width)




class _Builder:
    def __init__(self, plan: Plan, setup: PageSetup, measure: _Measure, avail_w: float) -> None:
        self.plan = plan
        self.setup = setup
        self.m = measure
        self.first_fy, self.last_fy = setup.years(plan)
        self.first_month = fy_first_month(self.first_fy)
        self.last_month = fy_last_month(self.last_fy)
        self.n_months = self.last_month - self.first_month + 1
        self.columns: list[Column] = []
        # 概要 / 関係部門 show when chosen and when some initiative has something to put in them
        inits = plan.initiatives()
        show = {"name": True,
                "summary": setup.show_summary and any(i.summary.strip() for i in inits),
                "dept": setup.show_departments and any(d.strip() for i in inits for d in i.departments)}
        widths = {key: w for key, _, w in TEXT_COLUMNS if show[key]}
        # On narrow paper give the years room first by narrowing 概要, then 取組内容, down to a floor.
        n_years = self.last_fy - self.first_fy + 1
        short = sum(widths.values()) + COMFORT_YEAR_W * n_years - avail_w
        for key in ("summary", "name"):
            if short > 0 and key in widths:
                cut = min(short, widths[key] - MIN_COLUMN_W[key])
                widths[key] -= cut
                short -= cut
        self.text_w = 0.0
        for key, title, _ in TEXT_COLUMNS:
            if key in widths:
                self.columns.append(Column(key, title, self.text_w, widths[key]))
                self.text_w += widths[key]
        self.min_width = self.text_w + MIN_YEAR_W * (self.last_fy - self.first_fy + 1)

    def set_width(self, width: float) -> None:
        self.width = width
        self.month_w = (width - self.text_w) / self.n_months

    def x(self, m: int) -> float:
        return self.text_w + (m - self.first_month) * self.month_w

    # ---- rows -------------------------------------------------------------------------

    def pillar_row(self, pillar: Pillar, continued: bool = False) -> RowGeom:
        name = pillar.name + (CONTINUED if continued else "")
        line = self.m.line("pillar")
        text = self.m.elide("pillar", name, self.width - 2 * PAD - 60)
        h = line + 2 * PAD
        box = TextBox(QRectF(PAD + 60, PAD, self.width - 2 * PAD - 60, line), [text], "pillar", color="#FFFFFF")
        return RowGeom("continued" if continued else "pillar", h, [box], uid=pillar.uid, pillar_uid=pillar.uid,
                       name=name)

    def initiative_row(self, init: Initiative, pillar: Pillar, depth: int, max_height: float | None = None) -> RowGeom:
        texts: list[TextBox] = []
        cells = []
        for col in self.columns:
            if col.key == "name":
                indent = INDENT * depth
                cells.append((col, "name", init.name, indent))
            elif col.key == "summary":
                cells.append((col, "summary", init.summary, 0))
            else:
                cells.append((col, "dept", "\n".join(d for d in init.departments if d), 0))
        wrapped = []
        for col, role, text, indent in cells:
            width = col.width - 2 * PAD - indent
            wrapped.append(wrap_text(text or "", self.m.fonts[role], width))
        bars, milestones, timeline_h = self._schedule(init)
        text_h = max((len(lines) * self.m.line(role) for (_, role, _, _), lines in zip(cells, wrapped)), default=0)
        height = max(text_h + 2 * PAD, timeline_h)
        truncated = False
        if max_height is not None and height > max_height:
            truncated = True
            wrapped = [wrap_text(text or "", self.m.fonts[role], col.width - 2 * PAD - indent,
                                 max_lines=max(1, int((max_height - 2 * PAD) // self.m.line(role))))
                       for col, role, text, indent in cells]
            height = max_height
        for (col, role, _text, indent), lines in zip(cells, wrapped):
            texts.append(TextBox(QRectF(col.x + PAD + indent, PAD, col.width - 2 * PAD - indent,
                                        len(lines) * self.m.line(role)), lines, role))
        if timeline_h > height:  # more lanes than a page holds: squeeze them to fit the row
            _squeeze(bars, milestones, height / timeline_h)
            timeline_h = height
        # centre the schedule vertically in a row made taller by its text
        dy = (height - timeline_h) / 2
        for bar in bars:
            bar.rect.translate(0, dy)
            if bar.label_rect is not None:
                bar.label_rect.translate(0, dy)
        for ms in milestones:
            ms.center += QPointF(0, dy)
            if ms.label_rect is not None:
                ms.label_rect.translate(0, dy)
        return RowGeom("initiative", height, texts, bars, milestones, uid=init.uid, pillar_uid=pillar.uid,
                       name=init.name, depth=depth, truncated=truncated)

    def _schedule(self, init: Initiative) -> tuple[list[BarGeom], list[MilestoneGeom], float]:
        x_end = self.width
        # milestones first: they take lanes above the bars
        ms_items = []
        for ms in sorted(init.milestones, key=lambda ms: ms.month):
            if not self.first_month <= ms.month <= self.last_month + 1:
                continue
            cx = self.x(ms.month)
            label = ms.label or ""
            lw = self.m.width("milestone", label) if label else 0.0
            right_end = cx + MS_SIZE / 2 + 25 + lw
            if label and right_end > x_end - 10:
                a, b, side = cx - MS_SIZE / 2 - 25 - lw, cx + MS_SIZE / 2, "left"
                if a < self.text_w:
                    a, b, side = cx - MS_SIZE / 2, min(right_end, x_end - 10), "right"
            else:
                a, b, side = cx - MS_SIZE / 2, right_end, "right"
            ms_items.append((ms, cx, label, a, b, side))
        ms_lanes = assign_lanes([(a, b + 30) for _, _, _, a, b, _ in ms_items])
        n_ms = max(ms_lanes, default=-1) + 1
        milestones = []
        line = self.m.line("milestone")
        for (ms, cx, label, a, b, side), lane in zip(ms_items, ms_lanes):
            cy = PAD / 2 + lane * MS_LANE_H + MS_LANE_H / 2
            rect = None
            if label:
                if side == "right":
                    rect = QRectF(cx + MS_SIZE / 2 + 25, cy - line / 2, max(b - (cx + MS_SIZE / 2 + 25), 1), line)
                else:
                    rect = QRectF(a, cy - line / 2, cx - MS_SIZE / 2 - 25 - a, line)
                label = self.m.elide("milestone", label, rect.width() + 1)
            milestones.append(MilestoneGeom(QPointF(cx, cy), MS_SIZE, label, rect, ms.uid))

        phases = []
        for ph in init.phases:
            s, e = max(ph.start, self.first_month), min(ph.end, self.last_month)
            if s > e:
                continue
            phases.append((ph, s, e))
        phases.sort(key=lambda t: (t[1], t[2]))
        lanes = assign_lanes([(s, e + 1) for _, s, e in phases])
        n_lanes = max(lanes, default=0) + 1
        top = PAD / 2 + n_ms * MS_LANE_H
        bars: list[BarGeom] = []
        by_lane: dict[int, list[int]] = {}
        for idx, ((ph, s, e), lane) in enumerate(zip(phases, lanes)):
            y = top + lane * LANE_H + (LANE_H - BAR_H) / 2
            rect = QRectF(self.x(s), y, (e - s + 1) * self.month_w, BAR_H)
            color = ph.display_color
            bars.append(BarGeom(rect, color, "", None, True, text_color_on(color), ph.start < self.first_month,
                                ph.end > self.last_month, ph.kind, ph.uid, bar_text(ph)))
            by_lane.setdefault(lane, []).append(idx)
        for idxs in by_lane.values():
            for pos, idx in enumerate(idxs):
                left_limit = self.text_w
                if pos > 0:  # not over the previous bar, nor over a label it put beside itself
                    prev = bars[idxs[pos - 1]]
                    left_limit = prev.rect.right()
                    if prev.label_rect is not None and not prev.label_inside:
                        left_limit = max(left_limit, prev.label_rect.right())
                right_limit = bars[idxs[pos + 1]].rect.left() if pos + 1 < len(idxs) else x_end
                self._place_label(bars[idx], left_limit, right_limit)
        height = PAD + n_ms * MS_LANE_H + n_lanes * LANE_H
        return bars, milestones, height

    def _place_label(self, bar: BarGeom, left_limit: float, right_limit: float) -> None:
        text = bar.full_label
        if not text:
            return
        tw = self.m.width("bar", text)
        line = self.m.line("bar")
        r = bar.rect
        cy = r.center().y()
        inner = r.width() - 2 * 30
        gap = 25
        right_space = right_limit - r.right() - 2 * gap
        left_space = r.left() - left_limit - 2 * gap
        if tw <= inner:
            bar.label, bar.label_inside = text, True
            bar.label_rect = QRectF(r.left() + 30, cy - line / 2, inner, line)
        elif tw <= right_space:
            bar.label, bar.label_inside, bar.text_color = text, False, DARK_TEXT
            bar.label_rect = QRectF(r.right() + gap, cy - line / 2, tw + 2, line)
        elif tw <= left_space:
            bar.label, bar.label_inside, bar.text_color = text, False, DARK_TEXT
            bar.label_rect = QRectF(r.left() - gap - tw - 2, cy - line / 2, tw + 2, line)
        elif inner >= self.m.width("bar", text[:2] + "…"):
            bar.label, bar.label_inside = self.m.elide("bar", text, inner), True
            bar.label_rect = QRectF(r.left() + 30, cy - line / 2, inner, line)
        elif right_space >= self.m.width("bar", text[:1] + "…"):
            bar.label, bar.label_inside, bar.text_color = self.m.elide("bar", text, right_space), False, DARK_TEXT
            bar.label_rect = QRectF(r.right() + gap, cy - line / 2, right_space, line)
        # else: nowhere legible to put it; the legend still names the kind by colour

    # ---- sheet parts --------------------------------------------------------------------

    def year_text(self, fy: int, width: float) -> list[str]:
        style = self.setup.year_style
        full = format_fiscal_year(fy, style) if fy >= 1926 else f"{fy}年度"
        if self.m.width("header", full) <= width:
            return [full]
        if style is YearStyle.ERA_WESTERN and fy >= 1926:
            era, west = format_fiscal_year(fy, YearStyle.ERA), f"（{fy}）"
            if self.m.width("header", era) <= width:
                return [era, west]
        if fy >= 1926:
            short = format_fiscal_year(fy, YearStyle.ERA_SHORT)
            if self.m.width("header", short) <= width:
                return [short]
        return [str(fy)]

    def header(self, top: float) -> tuple[list[TextBox], list[tuple[QRectF, str]], float, list[tuple[float, str]], str | None]:
        year_w = 12 * self.month_w
        year_lines = [self.year_text(fy, year_w - 2 * 20) for fy in range(self.first_fy, self.last_fy + 1)]
        n_lines = max(len(lines) for lines in year_lines)
        row1 = n_lines * self.m.line("header") + 2 * PAD
        tick_w_month = self.m.width("tick", "12") + 16
        if self.month_w >= tick_w_month:
            mode = "month"
        elif 3 * self.month_w >= self.m.width("tick", "Q4") + 16:
            mode = "quarter"
        elif 6 * self.month_w >= self.m.width("tick", "下期") + 16:
            mode = "half"
        else:
            mode = None
        row2 = self.m.line("tick") + 24 if mode else 0
        texts: list[TextBox] = []
        cells: list[tuple[QRectF, str]] = []
        total = row1 + row2
        for col in self.columns:
            rect = QRectF(col.x, top, col.width, total)
            cells.append((rect, "header"))
            texts.append(TextBox(rect, [col.title], "header", "center", "#FFFFFF", "center"))
        grid: list[tuple[float, str]] = []
        for i, fy in enumerate(range(self.first_fy, self.last_fy + 1)):
            x0 = self.x(fy_first_month(fy))
            rect = QRectF(x0, top, year_w, row1)
            cells.append((rect, "header"))
            texts.append(TextBox(rect, year_lines[i], "header", "center", "#FFFFFF", "center"))
            grid.append((x0, "year"))
            if mode:
                step = {"month": 1, "quarter": 3, "half": 6}[mode]
                for k in range(0, 12, step):
                    m = fy_first_month(fy) + k
                    tr = QRectF(self.x(m), top + row1, step * self.month_w, row2)
                    cells.append((tr, "tick"))
                    if mode == "month":
                        label = str(year_month(m)[1])
                    elif mode == "quarter":
                        label = f"Q{k // 3 + 1}"
                    else:
                        label = "上期" if k == 0 else "下期"
                    texts.append(TextBox(tr, [label], "tick", "center", "#1A1A1A", "center"))
                    if k:
                        grid.append((self.x(m), "minor"))
        # quarter lines are enough when months are narrow
        if mode == "month" and self.month_w < 60:
            grid = [(x, kind) for x, kind in grid if kind == "year" or
                    round((x - self.text_w) / self.month_w) % 3 == 0]
        return texts, cells, total, grid, mode

    def title_block(self, today: _dt.date) -> tuple[list[TextBox], float, str]:
        plan, setup = self.plan, self.setup
        date_text = format_print_date(today, setup.date_style)
        period = (f"計画期間　{format_fiscal_year(plan.start_fy)}〜{format_fiscal_year(plan.end_fy)}"
                  if plan.start_fy >= 1926 else f"計画期間　{plan.start_fy}〜{plan.end_fy}年度")
        right_lines = [s for s in (plan.organization, f"{period}　　印刷日　{date_text}") if s]
        right_w = max((self.m.width("subtitle", s) for s in right_lines), default=0) + 10
        title_line = self.m.line("title")
        sub_line = self.m.line("subtitle")
        title = sheet_title(plan)
        title_w = max(self.width - right_w - 200, self.width * 0.4)
        title_lines = wrap_text(title, self.m.fonts["title"], title_w, max_lines=2)
        h = max(len(title_lines) * title_line, len(right_lines) * sub_line)
        boxes = [TextBox(QRectF(0, 0, title_w, len(title_lines) * title_line), title_lines, "title", color="#1F3864")]
        right_h = len(right_lines) * sub_line
        boxes.append(TextBox(QRectF(self.width - right_w, h - right_h, right_w, right_h), right_lines, "subtitle",
                             "right"))
        return boxes, h + TITLE_GAP, date_text

    def legend(self, bottom: float) -> tuple[list[LegendEntry], QRectF, float]:
        """The 凡例 line at the foot of every page: one entry per colour meaning (:func:`legend_entries`)."""
        items = [("milestone", "#1A1A1A", item.label) if item.milestone else ("phase", item.color, item.label)
                 for item in legend_entries(self.plan)]
        line = self.m.line("legend")
        h = max(line, BAR_H) + FOOTER_GAP
        top = bottom - max(line, BAR_H)
        entries: list[LegendEntry] = []
        x = 0.0
        title_w = self.m.width("legend", "凡例") + 60
        if items:
            entries.append(LegendEntry("title", "", "凡例", QRectF(), QRectF(0, top, title_w, max(line, BAR_H))))
            x = title_w
        for kind, color, label in items:
            sw = QRectF(x, top + (max(line, BAR_H) - BAR_H * 0.8) / 2, 220 if kind == "phase" else MS_SIZE,
                        BAR_H * 0.8)
            tw = self.m.width("legend", label) + 4
            tr = QRectF(sw.right() + 30, top, tw, max(line, BAR_H))
            entries.append(LegendEntry(kind, color, label, sw, tr))
            x = tr.right() + 120
        page_w = self.m.width("page", "9999 / 9999") + 10
        page_rect = QRectF(self.width - page_w, top, page_w, max(line, BAR_H))
        return entries, page_rect, h


def _squeeze(bars: list[BarGeom], milestones: list[MilestoneGeom], f: float) -> None:
    """Scale a row's schedule vertically by ``f`` (labels keep their size, centred where they were)."""
    for bar in bars:
        cy = bar.rect.center().y() * f
        bar.rect = QRectF(bar.rect.left(), cy - bar.rect.height() * f / 2, bar.rect.width(), bar.rect.height() * f)
        if bar.label_rect is not None:
            bar.label_rect.moveCenter(QPointF(bar.label_rect.center().x(), cy))
    for ms in milestones:
        ms.center = QPointF(ms.center.x(), ms.center.y() * f)
        ms.size *= f
        if ms.label_rect is not None:
            ms.label_rect.moveCenter(QPointF(ms.label_rect.center().x(), ms.center.y()))


def _initiative_rows(plan: Plan, pillar: Pillar) -> list[tuple[Initiative, int]]:
    rows = []

    def add(items: list[Initiative], depth: int) -> None:
        for init in items:
            rows.append((init, depth))
            add(init.children, depth + 1)

    add(pillar.initiatives, 0)
    return rows


def _paginate(b: _Builder, groups: list[list[tuple[str, object]]], body_h: float) -> list[PageGeom]:
    """Rows into pages. ``groups`` are pillars (each may force a new page)."""
    pages: list[PageGeom] = []
    rows: list[tuple[float, RowGeom]] = []
    y = 0.0

    def new_page() -> None:
        nonlocal rows, y
        if rows:
            pages.append(PageGeom(len(pages) + 1, rows))
        rows, y = [], 0.0

    for group in groups:
        pillar: Pillar = group[0][1]  # type: ignore[assignment]
        if b.setup.pillar_per_page:
            new_page()
        band = b.pillar_row(pillar)
        cont = b.pillar_row(pillar, continued=True)
        items = [payload for _, payload in group[1:]]
        built: list[RowGeom] = [
            b.initiative_row(init, pillar, depth,  # type: ignore[arg-type]
                             max_height=body_h - (band.height if k == 0 else cont.height))
            for k, (init, depth) in enumerate(items)]  # type: ignore[misc]

        def keep(k: int, built: list[RowGeom] = built, items: list = items) -> float:
            """Row k with the rows that must share its page: a parent's first sub-action, and so on down."""
            h = built[k].height
            while k + 1 < len(items) and items[k + 1][1] > items[k][1]:  # type: ignore[index]
                k += 1
                h += built[k].height
            return h

        # keep the band with its first row (and that row's first sub-action)
        need = band.height + (keep(0) if built else 0)
        if rows and y + need > body_h:
            new_page()
        rows.append((y, band))
        y += band.height
        for k, row in enumerate(built):
            need = keep(k) if k > 0 else row.height
            alone = not rows or (len(rows) == 1 and rows[0][1].kind == "continued")
            if y + need > body_h and not alone and (y + row.height > body_h or need + cont.height <= body_h):
                # the row does not fit, or a parent would end the page without its first sub-action
                new_page()
                rows.append((y, cont))
                y += cont.height
            rows.append((y, row))
            y += row.height
    new_page()
    if not pages:
        pages.append(PageGeom(1, []))
    return pages


def layout_sheet(plan: Plan, setup: PageSetup | None = None, *, today: _dt.date | None = None,
                 family: str | None = None) -> SheetLayout:
    """Lay ``plan`` out on pages of ``setup`` (needs a QGuiApplication for fonts).

    Raises :class:`~dxroadmap.render.fonts.NoJapaneseFontError` when no Japanese font is
    installed.
    """
    setup = setup or PageSetup()
    family = family or find_japanese_font()
    measure = _Measure(family)
    today = today or _dt.date.today()
    paper_w, paper_h = (v * UNITS_PER_MM for v in setup.size_mm)
    ml, mt, mr, mb = (v * UNITS_PER_MM for v in setup.margins_mm)
    avail_w, avail_h = paper_w - ml - mr, paper_h - mt - mb
    b = _Builder(plan, setup, measure, avail_w)

    groups: list[list[tuple[str, object]]] = []
    for pillar in plan.pillars:
        groups.append([("pillar", pillar)] + [("initiative", item) for item in _initiative_rows(plan, pillar)])

    width_scale = min(1.0, avail_w / b.min_width) if b.min_width > avail_w else 1.0

    def build(scale: float):
        width = avail_w / scale
        b.set_width(width)
        title_texts, title_h, date_text = b.title_block(today)
        header_texts, header_cells, header_h, grid, mode = b.header(title_h)
        page_h = avail_h / scale
        legend, page_rect, footer_h = b.legend(page_h)
        body_top = title_h + header_h
        body_bottom = page_h - footer_h
        return (width, page_h, title_texts, date_text, header_texts, header_cells, header_h, grid, mode,
                legend, page_rect, body_top, body_bottom)

    scale = width_scale
    parts = build(scale)
    if setup.fit == "page":
        # shrink until every group (the whole plan, or each pillar) fits on one page
        expected = max(1, len(groups)) if setup.pillar_per_page else 1
        for _attempt in range(12):
            body_h = parts[12] - parts[11]
            if len(_paginate(b, groups, body_h)) <= expected:
                break
            needed = _content_height(b, groups, setup.pillar_per_page)
            fixed = parts[11] + (parts[1] - parts[12])  # title + header, and footer (layout units)
            scale = min(scale * 0.98, avail_h / (needed + fixed + 1))
            parts = build(scale)
    (width, page_h, title_texts, date_text, header_texts, header_cells, header_h, grid, mode,
     legend, page_rect, body_top, body_bottom) = parts
    pages = _paginate(b, groups, body_bottom - body_top)
    return SheetLayout(
        setup=setup, family=family, fonts=measure.fonts, scale=scale, width=width, page_height=page_h,
        paper_size=(paper_w, paper_h), margins=(ml, mt, mr, mb), columns=b.columns, timeline_x0=b.text_w,
        first_fy=b.first_fy, last_fy=b.last_fy, month_w=b.month_w, title_texts=title_texts,
        header_texts=header_texts, header_cells=header_cells, header_top=body_top - header_h,
        header_height=header_h, grid=grid, tick_mode=mode, body_top=body_top, body_bottom=body_bottom,
        legend=legend, page_number_rect=page_rect, pages=pages, title=sheet_title(plan), date_text=date_text,
    )


def _content_height(b: _Builder, groups: list[list[tuple[str, object]]], per_group: bool) -> float:
    """Height of all rows (the tallest group when each group gets its own page)."""
    heights = []
    for group in groups:
        pillar = group[0][1]
        h = b.pillar_row(pillar).height  # type: ignore[arg-type]
        for _, payload in group[1:]:
            init, depth = payload  # type: ignore[misc]
            h += b.initiative_row(init, pillar, depth).height  # type: ignore[arg-type]
        heights.append(h)
    if not heights:
        return 0.0
    return max(heights) if per_group else sum(heights)
