"""The roadmap as one accessible, self-contained HTML page (for a town's website, JIS X 8341-3).

The roadmap is a real ``<table>``: a caption, 年度 column headers with ``scope``, one row per
initiative with its name as the row header, and each pillar as a ``<tbody>`` group headed by a
``scope="rowgroup"`` cell. Every bar is written as text (「令和5年度4月〜令和6年度3月 検討」)
and drawn from the same element with CSS grid placement and its colour, so the schedule reads
without the picture and without a script. Text on a bar takes the colour
:func:`dxroadmap.model.colors.text_color_on` picks; where even that stays under 4.5:1 the
label sits on white inside a border of the bar's colour. Sizes are in rem so 200 % zoom
enlarges everything; a print style sheet keeps colours and repeats the year header.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from dxroadmap.io.storage.atomic import atomic_path
from dxroadmap.model.colors import DARK_TEXT, contrast_ratio, text_color_on
from dxroadmap.model.fiscal import fiscal_year_of, fy_first_month, fy_last_month, year_month
from dxroadmap.model.lanes import assign_lanes
from dxroadmap.model.legend import legend_entries
from dxroadmap.model.plan import Initiative, PhaseKind, Plan
from dxroadmap.model.titles import sheet_title
from dxroadmap.model.wareki import format_fiscal_year

__all__ = ["MIN_CONTRAST", "month_text", "span_text", "bar_text", "html_document", "write_html"]

MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text
PILLAR_FILL = "#1F3864"
HEADER_FILL = "#D6DCE5"


def _year_text(fy: int) -> str:
    return format_fiscal_year(fy) if fy >= 1926 else f"{fy}年度"


def month_text(m: int) -> str:
    """令和5年度4月: the fiscal year (和暦) and the calendar month of month index ``m``."""
    return f"{_year_text(fiscal_year_of(m))}{year_month(m)[1]}月"


def span_text(start: int, end: int) -> str:
    """令和5年度4月〜令和6年度3月 (one month alone: 令和5年度4月)."""
    return month_text(start) if start == end else f"{month_text(start)}〜{month_text(end)}"


def bar_text(start: int, end: int, label: str) -> str:
    """The text a bar reads as: 「令和5年度4月〜令和6年度3月 検討」."""
    return f"{span_text(start, end)} {label}".strip()




_CSS = """
:root { --grid: #8c8c8c; --pillar: %(pillar)s; --head: %(head)s; --text: %(text)s; }
* { box-sizing: border-box; }
html { font-family: "游ゴシック", "Yu Gothic", "Meiryo UI", Meiryo, "Hiragino Sans", "Noto Sans CJK JP",
       "Noto Sans JP", sans-serif; font-size: 100%%; color: var(--text); background: #FFFFFF; line-height: 1.5; }
body { margin: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; color: #1F3864; }
h2 { font-size: 1.1rem; margin: 1rem 0 .25rem; }
p.meta { margin: 0 0 .75rem; }
.legend { list-style: none; margin: 0 0 1rem; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
.legend li { display: flex; align-items: center; gap: .4rem; }
.swatch { display: inline-block; width: 2rem; height: 1rem; border: 1px solid #595959; }
.diamond { display: inline-block; width: .8rem; height: .8rem; transform: rotate(45deg); background: %(text)s; }
.scroll { overflow-x: auto; max-width: 100%%; }
.scroll:focus { outline: 3px solid #1F3864; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%%; min-width: 48rem; }
caption { text-align: left; font-weight: bold; font-size: 1.1rem; padding: .25rem 0 .5rem; }
th, td { border: 1px solid var(--grid); padding: .3rem .4rem; vertical-align: middle; text-align: left; }
thead th { background: var(--head); color: %(head_text)s; text-align: center; font-weight: bold; }
thead th.name { width: 13rem; }
thead th.dept { width: 7rem; }
tbody th.pillar { background: var(--pillar); color: %(pillar_text)s; font-size: 1.05rem; }
tbody th[scope=row] { font-weight: normal; }
tbody th.depth1, tbody th.depth2, tbody th.depth3 { text-indent: -1.1em; }
tbody th.depth1::before, tbody th.depth2::before, tbody th.depth3::before { content: "└\\2002" / ""; }
tbody th.depth1 { padding-left: 1.4rem; }
tbody th.depth2 { padding-left: 2.4rem; }
tbody th.depth3 { padding-left: 3.4rem; }
td.schedule { padding: .3rem 0; background-image: linear-gradient(to right, var(--grid) 1px, transparent 1px);
              background-size: calc(100%% / %(years)d) 100%%; background-position: -1px 0; }
td.empty { color: #595959; text-align: center; }
ul.bars { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(%(months)d, minmax(0, 1fr));
          row-gap: .25rem; align-items: center; }
ul.bars li { min-width: 0; }
li.bar { border-radius: .2rem; padding: .1rem .3rem; font-size: .85rem; overflow-wrap: anywhere; text-align: center; }
li.bar.outlined { background: #FFFFFF !important; color: %(text)s !important; border: .3rem solid; }
li.bar .period { display: block; font-size: .75rem; }
li.milestone { font-size: .85rem; justify-self: start; overflow-wrap: anywhere; background: #FFFFFF; padding: 0 .3rem; }
li.milestone .diamond { width: .6rem; height: .6rem; margin: 0 .2rem; }
td.empty span { background: #FFFFFF; padding: 0 .3rem; }
.note { font-size: .85rem; color: #595959; margin-top: .5rem; }
@media print {
  @page { size: A3 landscape; margin: 10mm; }
  body { margin: 0; }
  .scroll { overflow: visible; }
  table { min-width: 0; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _legend(plan: Plan) -> list[tuple[str, str, str]]:
    """(mark, colour, word) per 凡例 entry: one per colour meaning (:func:`legend_entries`), ◆ last."""
    return [("milestone", DARK_TEXT, item.label) if item.milestone else ("phase", item.color, item.label)
            for item in legend_entries(plan)]


def _schedule(init: Initiative, first: int, last: int) -> list[str]:
    """The ``<li>`` items of one initiative's schedule: milestones first, then bars lane by lane."""
    items: list[str] = []
    row = 1
    for ms in sorted(init.milestones, key=lambda x: x.month):
        if not first <= ms.month <= last:
            continue
        col = ms.month - first + 1
        text = f"{month_text(ms.month)} {ms.label or ''}".strip()
        items.append(f'<li class="milestone" style="grid-row:{row};grid-column:{col}/-1">'
                     f'<span class="diamond" aria-hidden="true"></span> <span class="visually">マイルストーン：</span>'
                     f'{escape(text)}</li>')
        row += 1
    phases = []
    for ph in init.phases:
        s, e = max(ph.start, first), min(ph.end, last)
        if s <= e:
            phases.append((ph, s, e))
    phases.sort(key=lambda t: (t[1], t[2]))
    lanes = assign_lanes([(s, e + 1) for _, s, e in phases])
    for (ph, s, e), lane in zip(phases, lanes):
        color = ph.display_color
        fg = text_color_on(color)
        outlined = contrast_ratio(color, fg) < MIN_CONTRAST
        style = (f"grid-row:{row + lane};grid-column:{s - first + 1}/{e - first + 2};"
                 + (f"border-color:{color}" if outlined else f"background:{color};color:{fg}"))
        label = ph.label or ph.kind.label_ja
        kind = f"（{ph.kind.label_ja}）" if ph.label and ph.kind is not PhaseKind.CUSTOM and ph.kind.label_ja not in ph.label else ""
        cls = "bar outlined" if outlined else "bar"
        clipped = "（計画期間外に続く）" if (ph.start < first or ph.end > last) else ""
        items.append(f'<li class="{cls}" style="{style}"><span class="period">{escape(span_text(ph.start, ph.end))}</span> '
                     f'<span class="label">{escape(label)}{escape(kind)}{clipped}</span></li>')
    return items


def html_document(plan: Plan) -> str:
    """The whole page as a string."""
    title = sheet_title(plan)
    first, last = fy_first_month(plan.start_fy), fy_last_month(plan.end_fy)
    years = list(range(plan.start_fy, plan.end_fy + 1))
    period = f"{_year_text(plan.start_fy)}〜{_year_text(plan.end_fy)}"
    show_dept = any(d.strip() for _, i in plan.walk() for d in i.departments)
    n_cols = 1 + (1 if show_dept else 0) + len(years)
    css = _CSS % {"pillar": PILLAR_FILL, "head": HEADER_FILL, "text": DARK_TEXT, "years": len(years),
                  "months": last - first + 1, "head_text": text_color_on(HEADER_FILL),
                  "pillar_text": text_color_on(PILLAR_FILL)}
    css += ".visually { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }\n"
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="ja">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        '<meta name="generator" content="dxroadmap">',
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(plan.organization) + "　" if plan.organization else ""}計画期間：{escape(period)}</p>',
    ]
    legend = _legend(plan)
    if legend:
        out.append('<h2 id="legend-heading">凡例</h2>')
        out.append('<ul class="legend" aria-labelledby="legend-heading">')
        for kind, color, label in legend:
            mark = (f'<span class="swatch" style="background:{color}" aria-hidden="true"></span>' if kind == "phase"
                    else '<span class="diamond" aria-hidden="true"></span>')
            out.append(f"<li>{mark}{escape(label)}</li>")
        out.append("</ul>")
    out.append('<div class="scroll" role="region" aria-labelledby="roadmap-caption" tabindex="0">')
    out.append("<table>")
    out.append(f'<caption id="roadmap-caption">{escape(title)}（{escape(period)}）：取組ごとの工程（期間と内容）'
               "</caption>")
    out.append("<thead><tr>")
    out.append('<th scope="col" class="name" id="h-name">取組</th>')
    if show_dept:
        out.append('<th scope="col" class="dept" id="h-dept">関係部門</th>')
    for fy in years:
        out.append(f'<th scope="col" id="h-fy{fy}">{escape(_year_text(fy))}</th>')
    out.append("</tr></thead>")
    year_ids = " ".join(f"h-fy{fy}" for fy in years)
    for p_index, pillar in enumerate(plan.pillars):
        out.append("<tbody>")
        out.append(f'<tr><th scope="rowgroup" colspan="{n_cols}" class="pillar" id="p{p_index}">'
                   f"{escape(pillar.name or '（分野名なし）')}</th></tr>")
        rows: list[tuple[Initiative, int]] = []

        def add(items: list[Initiative], depth: int, rows: list[tuple[Initiative, int]] = rows) -> None:
            for init in items:
                rows.append((init, depth))
                add(init.children, depth + 1)

        add(pillar.initiatives, 0)
        for r_index, (init, depth) in enumerate(rows):
            rid = f"p{p_index}r{r_index}"
            out.append(f'<tr><th scope="row" id="{rid}" class="depth{min(depth, 3)}">'
                       f"{escape(init.name or '（名称なし）')}</th>")
            if show_dept:
                out.append(f'<td headers="{rid} h-dept">{escape("、".join(d for d in init.departments if d.strip()))}</td>')
            items = _schedule(init, first, last)
            headers = f"{rid} {year_ids} p{p_index}"
            if items:
                out.append(f'<td colspan="{len(years)}" class="schedule" headers="{headers}"><ul class="bars">'
                           + "".join(items) + "</ul></td>")
            else:
                out.append(f'<td colspan="{len(years)}" class="schedule empty" headers="{headers}"><span>工程の記載なし</span></td>')
            out.append("</tr>")
        out.append("</tbody>")
    out.append("</table>")
    out.append("</div>")
    out.append('<p class="note">工程の期間は年度と月で示しています（例：令和5年度4月〜令和6年度3月）。'
               "色は工程の種類を表し、凡例に対応します。</p>")
    out.append("</main>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def write_html(plan: Plan, path: str | os.PathLike) -> Path:
    """Write ``plan`` as one self-contained, accessible HTML page (UTF-8, atomically); return the path."""
    path = Path(path)
    text = html_document(plan)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
