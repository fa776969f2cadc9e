"""Random office-style roadmap workbooks, each with the exact plan it must import to.

A plan is drawn from the sample plans (pillar names, initiative names, departments) with
random phases whose months are exact at the layout's resolution; it is then written in a
random combination of the dimensions below. :func:`make_case` gives one :class:`Case`
(sheets, writer, expected plan, and the dimensions it was built from); :func:`make_cases`
a reproducible list for a seed.

Dimensions (``Case.dims`` keys and their values)
------------------------------------------------
- ``kind``: ``roadmap`` or a non-roadmap that must be refused as ``no-roadmap``:
  ``survey`` (調査票: 設問, ○/×, 回答欄 input cells filled, 令和N年度 words and year columns),
  ``log`` (review / change log: 版, dates, reviewer names, comments),
  ``scores`` (skill / score sheet: names × 4月…3月 columns of figures with heat-map fills).
- ``style``: ``grid`` (time columns) or ``table`` (開始/終了 date columns).
- ``year_form`` — how a fiscal year is written (grid year row, title, sheet name):
  ``era`` 令和5年度 · ``era_paren`` 令和5（2023）年度 · ``era_paren_fw`` 令和５（２０２３）年度 ·
  ``r`` R5年度 · ``fy`` FY2023 · ``west_paren`` 2023（令和5）年度 · ``west`` 2023年度 ·
  ``date`` a date cell formatted ``[$-411]ggge"年度"``.
- ``granularity`` (grid): ``year`` · ``half`` (上期/下期, 上半期/下半期, 前期/後期, 4-9月/10-3月) ·
  ``quarter`` (Q1…Q4, 第1四半期…, 4-6月…, 1Q…) · ``month`` (4月…3月 or bare numbers) ·
  ``week`` (a month merged over 1週…4週, 第1週…, or 上旬/中旬/下旬; a bar's months are those
  of its first and last columns).
- ``year_place`` (grid): ``row`` (a year row over the sub-headers) · ``title`` (a single-FY
  年間計画: the year only in the title over 4月…3月) · ``sheet`` (only in the sheet name).
- ``period_line``: ``yes`` (a 計画期間 line such as 令和6（2024）年度～令和10（2028）年度) or ``no``.
- ``head``: non-time headings ``merged`` over the header rows or only in the ``bottom`` one.
- ``bar`` (grid): ``rgb`` solid fill · ``theme`` theme colour + tint · ``merged`` labelled merged
  cells · ``arrow`` label cell followed by ━━━▶ (cell by cell) · ``arrow_merged`` label cell then
  one merged ━━━━▶ cell · ``bracket`` ←─検討─→ in a merged cell.
- ``label``: ``in`` (the phase label in the bar's first cell) or ``none``.
- ``pillar``: ``section`` (a pillar row, merged and filled; sometimes across the whole width) ·
  ``merged`` (a pillar column merged down over its initiatives) · ``repeated`` (the pillar in
  every row) · ``none`` (one pillar; its name is not checked).
- ``subs``: ``none`` · ``column`` (sub-actions ア./①/・ in their own column beside a 取組 cell
  merged over them) · ``indented`` (sub-action rows indented under the 取組 row).
- ``actual`` (grid): ``no`` or ``pairs`` (予定/実績 row pairs in a 区分 column; 実績 bars are
  not phases).
- ``table_rows`` (table): ``one`` (one row and one unlabelled phase per initiative) or
  ``stages`` (several rows per initiative, a 段階/工程 column giving each phase's label, the
  取組 merged down over them or written once).
- ``columns`` (table): ``two`` (開始/終了, 着手/完了予定, Start/Finish …) or ``one`` (実施時期
  / 期間 holding ``start～end``).
- ``date_form`` (table): ``era_month`` 令和5年4月 · ``r_dot`` R6.4 · ``west_month`` 2024年10月 ·
  ``slash`` 2025/7 · ``date_cell`` real dates in 和暦 or Western formats · ``fiscal``
  令和7年度 (whole FY), 令和8年度末, 令和6年度上半期/下半期 · ``mixed`` any of them per cell.
- ``writer``: ``openpyxl`` or ``xlsxwriter`` (LibreOffice re-saves are made by the benchmark
  and a couple of suite tests with :func:`tests.generators.sheets.resave_with_libreoffice`).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dxroadmap.model.fiscal import fy_first_month, fy_last_month, year_month
from tests.generators.sheets import WRITERS, Fill, SheetSpec, save_book

__all__ = ["ExpectedInitiative", "Case", "make_case", "make_cases", "fy_text"]

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

YEAR_FORMS = ("era", "era_paren", "era_paren_fw", "r", "fy", "west_paren", "west", "date")
GRANULARITIES = ("year", "half", "quarter", "month", "week")
BARS = ("rgb", "theme", "merged", "arrow", "arrow_merged", "bracket")
PILLARS = ("section", "merged", "repeated", "none")
DATE_FORMS = ("era_month", "r_dot", "west_month", "slash", "date_cell", "fiscal", "mixed")
NON_ROADMAPS = ("survey", "log", "scores")

PHASE_LABELS = ("検討", "準備", "導入", "運用", "実証", "試行", "構築", "本格運用", "調査・研究", "システム改修",
                "順次拡大", "継続実施", "要件定義", "設計・開発", "周知・啓発")
CHILD_NAMES = ("方針の検討", "システムの導入", "職員研修の実施", "住民への周知", "効果検証", "業務フローの見直し",
               "先進事例の調査", "実証実験の実施", "運用ルールの策定", "庁内への展開", "利用状況の分析")
DEPARTMENTS = ("総務課", "企画課", "住民課", "情報政策課", "税務課", "健康福祉課", "産業振興課", "教育委員会")
COLORS = ("4472C4", "ED7D31", "FFC000", "5B9BD5", "70AD47", "9DC3E6", "F4B183", "A9D18E", "FFD966", "8FAADC",
          "C55A11", "2E75B6")
SECTION_FILL = Fill(rgb="D9E1F2")
ACTUAL_FILL = Fill(rgb="7F7F7F")

_ENUM_RE = re.compile(r"^[\s　]*([(（]?[0-9０-９]+[)）.．、]|[①-⑳]|[ア-ン][.．、]|・)")


@dataclass
class ExpectedInitiative:
    """An initiative the workbook must import to; phases are (first month, last month, label)."""

    name: str
    pillar: str | None
    parent: str | None = None
    departments: list[str] = field(default_factory=list)
    phases: list[tuple[int, int, str | None]] = field(default_factory=list)


@dataclass
class Case:
    """One generated workbook and the plan it must import to (``roadmap`` False: must be refused)."""

    name: str
    dims: dict[str, str]
    sheets: list[SheetSpec]
    writer: str
    roadmap: bool
    start_fy: int | None = None
    end_fy: int | None = None
    initiatives: list[ExpectedInitiative] = field(default_factory=list)

    def save(self, directory: Path) -> Path:
        return save_book(self.sheets, directory / f"{self.name}.xlsx", self.writer)

    @property
    def phase_count(self) -> int:
        return sum(len(i.phases) for i in self.initiatives)


# ------------------------------------------------------------------ words


def _fw(text: str) -> str:
    """Full-width digits and parentheses."""
    return text.translate(str.maketrans("0123456789()", "０１２３４５６７８９（）"))


def _era_n(year: int) -> int:
    return year - 2018


def fy_text(fy: int, form: str) -> str:
    """Fiscal year ``fy`` (≥ 2019) written in ``form`` (one of :data:`YEAR_FORMS` but ``date``)."""
    n = _era_n(fy)
    era = "元" if n == 1 else str(n)
    return {
        "era": f"令和{era}年度",
        "era_paren": f"令和{era}（{fy}）年度",
        "era_paren_fw": _fw(f"令和{n}({fy})年度"),
        "r": f"R{n}年度",
        "fy": f"FY{fy}",
        "west_paren": f"{fy}（令和{era}）年度",
        "west": f"{fy}年度",
    }[form]


def _put_fy(sheet: SheetSpec, row: int, col: int, fy: int, form: str) -> None:
    if form == "date":
        sheet.put(row, col, dt.datetime(fy, 4, 1), '[$-411]ggge"年度"')
    else:
        sheet.put(row, col, fy_text(fy, form))


def _period_line(rng: random.Random, start_fy: int, end_fy: int) -> str:
    form = rng.choice(("paren", "era", "r", "west", "kara"))
    if form == "paren":
        return f"計画期間：{fy_text(start_fy, 'era_paren')}～{fy_text(end_fy, 'era_paren')}"
    if form == "era":
        return f"計画期間　{fy_text(start_fy, 'era')}～{fy_text(end_fy, 'era')}"
    if form == "r":
        return f"【計画期間】{fy_text(start_fy, 'r')}～{fy_text(end_fy, 'r')}"
    if form == "west":
        return f"計画期間：{start_fy}年度～{end_fy}年度"
    return f"本計画の期間は{fy_text(start_fy, 'era')}から{fy_text(end_fy, 'era')}までの{end_fy - start_fy + 1}年間とします。"


@lru_cache(maxsize=1)
def _samples() -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """(pillar names, (initiative name, departments)) from samples/*.json, cleaned to one line."""
    pillars, inits = [], []
    seen = set()
    for path in sorted(SAMPLES.glob("*.json")):
        plan = json.loads(path.read_text(encoding="utf-8"))["plan"]
        for pillar in plan["pillars"]:
            name = re.sub(r"\s+", "", pillar["name"])
            if name and not _ENUM_RE.match(name) and len(name) <= 30:
                pillars.append(name)
            for init in pillar["initiatives"]:
                iname = re.sub(r"\s+", "", init["name"])
                if not iname or _ENUM_RE.match(iname) or len(iname) > 36 or iname in seen:
                    continue
                seen.add(iname)
                inits.append((iname, tuple(d for d in init.get("departments") or [] if "、" not in d)))
    return tuple(dict.fromkeys(pillars)), tuple(inits)


def _plan_skeleton(rng: random.Random, pillar_mode: str, subs: str) -> list[tuple[str, list[tuple[str, list[str], list[str]]]]]:
    """[(pillar, [(initiative, departments, children)])] drawn from the samples."""
    pillar_names, init_pool = _samples()
    n_pillars = 1 if pillar_mode == "none" else rng.randint(2, 3)
    pillars = rng.sample(pillar_names, n_pillars)
    pool = rng.sample(init_pool, min(len(init_pool), 4 * n_pillars))
    out = []
    for p in pillars:
        inits = []
        for _ in range(rng.randint(1, 3 if n_pillars > 1 else 5)):
            if not pool:
                break
            name, depts = pool.pop()
            depts = list(depts[:2]) or rng.sample(DEPARTMENTS, rng.randint(1, 2))
            children = []
            if subs != "none" and rng.random() < 0.6:
                children = rng.sample(CHILD_NAMES, rng.randint(2, 3))
            inits.append((name, depts, children))
        if inits:
            out.append((p, inits))
    return out


def _units(granularity: str, start_fy: int, n_years: int, per_month: int) -> list[tuple[int, int]]:
    """The time columns as (first month, last month)."""
    size = {"year": 12, "half": 6, "quarter": 3, "month": 1, "week": 1}[granularity]
    units = []
    for fy in range(start_fy, start_fy + n_years):
        for m in range(fy_first_month(fy), fy_last_month(fy) + 1, size):
            units.extend([(m, m + size - 1)] * (per_month if granularity == "week" else 1))
    return units


def _random_runs(rng: random.Random, n_units: int, min_len: int, min_gap: int, count: int) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    pos = rng.randint(0, max(0, n_units // 3))
    for _ in range(count):
        room = n_units - pos
        if room < min_len:
            break
        length = rng.randint(min_len, max(min_len, min(room, max(min_len, n_units // 2))))
        runs.append((pos, pos + length - 1))
        pos += length + rng.randint(min_gap, min_gap + 2)
    return runs


# ------------------------------------------------------------------ grid roadmaps

_HALF_WORDS = (("上期", "下期"), ("上半期", "下半期"), ("前期", "後期"), ("4-9月", "10-3月"))
_QUARTER_WORDS = (("Q1", "Q2", "Q3", "Q4"), ("第1四半期", "第2四半期", "第3四半期", "第4四半期"),
                  ("4-6月", "7-9月", "10-12月", "1-3月"), ("1Q", "2Q", "3Q", "4Q"))
_WEEK_WORDS = (("1週", "2週", "3週", "4週"), ("第1週", "第2週", "第3週", "第4週"), ("上旬", "中旬", "下旬"))


def _write_bar(sheet: SheetSpec, rng: random.Random, row: int, c0: int, c1: int, label: str | None, bar: str,
               fill: Fill) -> None:
    if bar in ("rgb", "theme"):
        for c in range(c0, c1 + 1):
            sheet.fills[(row, c)] = fill
        if label:
            sheet.put(row, c0, label)
    elif bar == "merged":
        sheet.merge(row, c0, row, c1, label, fill)
    elif bar == "arrow":
        head = rng.choice(("▶", "→"))
        first = c0
        if label:
            sheet.put(row, c0, label)
            first = c0 + 1
        for c in range(first, c1 + 1):
            sheet.put(row, c, "━━━" + (head if c == c1 else ""))
    elif bar == "arrow_merged":
        head = rng.choice(("▶", "→"))
        first = c0
        if label:
            sheet.put(row, c0, label)
            first = c0 + 1
        sheet.merge(row, first, row, c1, "━━━━━━" + head)
    elif bar == "bracket":
        sheet.merge(row, c0, row, c1, f"←──{label}──→" if label else "←────→")


def _write_time_headers(sheet: SheetSpec, rng: random.Random, hr: int, t0: int, levels: list[str],
                        units: list[tuple[int, int]], n_years: int, start_fy: int, year_form: str, granularity: str,
                        week_words: tuple[str, ...], year_place: str) -> None:
    per_fy = len(units) // n_years
    half_words, quarter_words = rng.choice(_HALF_WORDS), rng.choice(_QUARTER_WORDS)
    month_numbers = rng.random() < 0.25 and year_place == "row"
    for k in range(n_years):
        fy = start_fy + k
        c_first = t0 + k * per_fy
        r = hr
        if "year" in levels:
            if per_fy > 1:
                sheet.merge(r, c_first, r, c_first + per_fy - 1)
            _put_fy(sheet, r, c_first, fy, year_form)
            r += 1
        if granularity == "half":
            for j, w in enumerate(half_words):
                sheet.put(r, c_first + j, w)
        elif granularity == "quarter":
            for j, w in enumerate(quarter_words):
                sheet.put(r, c_first + j, w)
        elif granularity in ("month", "week"):
            span = len(week_words) or 1
            for j in range(12):
                mo = (j + 3) % 12 + 1
                c = c_first + j * span
                if span > 1:
                    sheet.merge(r, c, r, c + span - 1)
                sheet.put(r, c, mo if month_numbers else f"{mo}月")
                for w, word in enumerate(week_words):
                    sheet.put(r + 1, c + w, word)


def _grid_case(rng: random.Random, name: str, writer: str) -> Case:
    year_place = rng.choice(("row", "row", "row", "title", "sheet"))
    if year_place == "row":
        granularity = rng.choice(GRANULARITIES)
    else:
        granularity = rng.choice(("month", "week"))
    year_form = rng.choice(YEAR_FORMS if year_place == "row" else YEAR_FORMS[:-1])
    bar = rng.choice(BARS)
    label_mode = "in" if bar == "merged" else rng.choice(("in", "none"))
    pillar_mode = rng.choice(PILLARS)
    actual = rng.choice(("no", "no", "pairs"))
    subs = "none" if actual == "pairs" else rng.choice(("none", "column", "indented"))
    head = rng.choice(("merged", "bottom"))
    n_years = 1 if year_place != "row" else {"year": rng.randint(3, 6), "half": rng.randint(2, 5),
                                             "quarter": rng.randint(2, 4), "month": rng.randint(1, 3),
                                             "week": rng.randint(1, 2)}[granularity]
    start_fy = rng.randint(2019, 2027)
    end_fy = start_fy + n_years - 1
    period_line = rng.choice(("yes", "no")) if year_place == "row" else "no"
    dims = {"kind": "roadmap", "style": "grid", "year_form": year_form, "granularity": granularity,
            "year_place": year_place, "bar": bar, "label": label_mode, "pillar": pillar_mode, "subs": subs,
            "actual": actual, "head": head, "period_line": period_line, "writer": writer}

    week_words = rng.choice(_WEEK_WORDS) if granularity == "week" else ()
    units = _units(granularity, start_fy, n_years, len(week_words))
    skeleton = _plan_skeleton(rng, pillar_mode, subs)
    organization = rng.choice(("森町", "松前町", "河北町", "テスト村", "架空市"))

    sheet_title = "ロードマップ"
    if year_place == "sheet":
        sheet_title = fy_text(start_fy, rng.choice(("era", "r", "west")))
    elif rng.random() < 0.3:
        sheet_title = rng.choice(("工程表", "スケジュール", "Sheet1"))
    sheet = SheetSpec(sheet_title)
    if year_place == "title":
        sheet.put(1, 1, f"{fy_text(start_fy, year_form)} DX推進 年間スケジュール")
    elif year_place == "sheet":
        sheet.put(1, 1, f"{organization} DX推進 年間スケジュール")
    else:
        sheet.put(1, 1, f"{organization}DX推進計画 ロードマップ")
    hr = 3
    if period_line == "yes":
        sheet.put(2, 1, _period_line(rng, start_fy, end_fy))
        hr = 4

    # columns
    cols: list[str] = []
    if rng.random() < 0.3:
        cols.append("no")
    if pillar_mode in ("merged", "repeated"):
        cols.append("pillar")
    cols.append("name")
    if subs == "column":
        cols.append("sub")
    if actual == "pairs":
        cols.append("kubun")
    if rng.random() < 0.7:
        cols.append("dept")
    col_of = {role: k + 1 for k, role in enumerate(cols)}
    t0 = len(cols) + 1
    note_col = t0 + len(units) if rng.random() < 0.2 else None
    headings = {"no": rng.choice(("No", "番号", "No.")), "pillar": rng.choice(("基本方針", "分野", "施策の柱")),
                "name": rng.choice(("取組", "取組内容", "施策名", "主な取組")),
                "sub": rng.choice(("具体的な取組", "実施項目", "取組の内容")), "kubun": rng.choice(("区分", "予定/実績")),
                "dept": rng.choice(("担当課", "所管課", "担当"))}

    levels = []
    if year_place == "row":
        levels.append("year")
    if granularity in ("half", "quarter", "month", "week"):
        levels.append("sub")
    if granularity == "week":
        levels.append("week")
    bottom = hr + len(levels) - 1
    for role, c in col_of.items():
        if head == "merged" and bottom > hr:
            sheet.merge(hr, c, bottom, c, headings[role])
        else:
            sheet.put(bottom, c, headings[role])
    if note_col:
        sheet.put(bottom, note_col, "備考")
    # time headers
    _write_time_headers(sheet, rng, hr, t0, levels, units, n_years, start_fy, year_form, granularity, week_words,
                        year_place)

    # rows
    row = bottom + 1
    expected: list[ExpectedInitiative] = []
    min_len = 2 if bar in ("arrow", "arrow_merged", "bracket") else 1
    if granularity == "week":
        min_len = max(min_len, 2)
    min_gap = 1 if bar in ("arrow", "arrow_merged", "bracket") or label_mode == "none" else rng.choice((0, 1))
    palette = [Fill(rgb=c) for c in COLORS] if bar != "theme" else [Fill(theme=t, shade=s) for t in range(4, 10)
                                                                     for s in (0, 2, 3, 4)]
    theme_ok = bar == "theme"
    width = t0 + len(units) - 1 if note_col is None else note_col
    number = 0

    def bars_for(r: int) -> list[tuple[int, int, str | None]]:
        runs = _random_runs(rng, len(units), min_len, min_gap, rng.randint(1, 3))
        fills = rng.sample(palette, len(runs))
        out = []
        for (u0, u1), fill in zip(runs, fills):
            label = rng.choice(PHASE_LABELS) if label_mode == "in" else None
            _write_bar(sheet, rng, r, t0 + u0, t0 + u1, label, bar, fill if (theme_ok or bar != "theme") else fill)
            out.append((units[u0][0], units[u1][1], label))
        return out

    for p_index, (pillar, inits) in enumerate(skeleton):
        pillar_rows_start = row
        if pillar_mode == "section":
            prefix = rng.choice(("", f"{p_index + 1}　", f"基本方針{p_index + 1}　", "■"))
            across = width if rng.random() < 0.4 else t0 - 1
            sheet.merge(row, 1, row, max(1, across), prefix + pillar, SECTION_FILL)
            row += 1
            pillar_rows_start = row
        for init_name, depts, children in inits:
            number += 1
            exp = ExpectedInitiative(init_name, None if pillar_mode == "none" else pillar, None,
                                     list(depts) if "dept" in col_of else [])
            expected.append(exp)
            if children and subs == "column":
                n = len(children)
                sheet.merge(row, col_of["name"], row + n - 1, col_of["name"], init_name)
                if "no" in col_of:
                    sheet.merge(row, col_of["no"], row + n - 1, col_of["no"], number)
                if "dept" in col_of:
                    sheet.merge(row, col_of["dept"], row + n - 1, col_of["dept"], "、".join(depts))
                style = rng.choice(("kana", "circled", "dot"))
                for j, child in enumerate(children):
                    mark = {"kana": "アイウエオ"[j] + "．", "circled": "①②③④⑤"[j], "dot": "・"}[style]
                    sheet.put(row + j, col_of["sub"], mark + child)
                    if pillar_mode == "repeated":
                        sheet.put(row + j, col_of["pillar"], pillar)
                    expected.append(ExpectedInitiative(child, exp.pillar, init_name, [], bars_for(row + j)))
                row += n
                continue
            if "no" in col_of:
                sheet.put(row, col_of["no"], number)
            if pillar_mode == "repeated":
                sheet.put(row, col_of["pillar"], pillar)
            if "dept" in col_of:
                sheet.put(row, col_of["dept"], "、".join(depts))
            if children and subs == "indented":
                sheet.put(row, col_of["name"], init_name)
                row += 1
                style = rng.choice(("　・", "　", "  ア．", "　①"))
                for j, child in enumerate(children):
                    mark = style.replace("ア", "アイウエオ"[j]).replace("①", "①②③④⑤"[j])
                    sheet.put(row, col_of["name"], mark + child)
                    if pillar_mode == "repeated":
                        sheet.put(row, col_of["pillar"], pillar)
                    expected.append(ExpectedInitiative(child, exp.pillar, init_name, [], bars_for(row)))
                    row += 1
                continue
            if actual == "pairs":
                sheet.merge(row, col_of["name"], row + 1, col_of["name"], init_name)
                sheet.put(row, col_of["kubun"], "予定")
                sheet.put(row + 1, col_of["kubun"], "実績")
                exp.phases = bars_for(row)
                first = exp.phases[0]
                u0 = next(k for k, u in enumerate(units) if u[0] == first[0])
                u_end = max(k for k, u in enumerate(units) if u[1] <= first[1])
                u1 = rng.randint(u0, u_end)
                done = Fill(rgb="7F7F7F") if bar != "theme" else Fill(theme=rng.randint(4, 9), shade=5)
                _write_bar(sheet, rng, row + 1, t0 + u0, t0 + u1, None if bar not in ("merged",) else "完了",
                           "rgb" if bar in ("arrow", "arrow_merged", "bracket") else bar, done)
                row += 2
                continue
            sheet.put(row, col_of["name"], init_name)
            exp.phases = bars_for(row)
            row += 1
        if pillar_mode == "merged" and row - 1 > pillar_rows_start:
            sheet.merge(pillar_rows_start, col_of["pillar"], row - 1, col_of["pillar"], pillar)
        elif pillar_mode == "merged":
            sheet.put(pillar_rows_start, col_of["pillar"], pillar)
    if rng.random() < 0.3:
        sheet.put(row + 1, 1, rng.choice(("※スケジュールは予定であり、変更となる場合があります。", "凡例：■ 実施期間")))
    sheet.widths[col_of["name"]] = 28
    return Case(name, dims, [sheet], writer, True, start_fy, end_fy, expected)


# ------------------------------------------------------------------ table roadmaps

_START_WORDS = ("開始", "開始時期", "着手", "開始予定", "Start")
_END_WORDS = ("終了", "終了時期", "完了予定", "完了", "Finish", "End")
_SPAN_WORDS = ("実施時期", "期間", "スケジュール")
_STAGE_WORDS = ("段階", "工程", "フェーズ")
_DATE_FORMATS = ('[$-411]ggge"年"m"月"', "yyyy/m/d", 'yyyy"年"m"月"', '[$-411]ge.m.d')


def _month_text(rng: random.Random, m: int, form: str, end: bool) -> tuple[object, str | None]:
    """Month index ``m`` written as ``form``; (value, number format)."""
    y, mo = year_month(m)
    n = _era_n(y)
    if form == "fiscal":
        fy = y if mo >= 4 else y - 1
        if not end and mo == 4:
            return rng.choice((fy_text(fy, "era"), fy_text(fy, "r"), f"{fy_text(fy, 'era')}上半期")), None
        if not end and mo == 10:
            return f"{fy_text(fy, 'era')}下半期", None
        if end and mo == 3:
            return rng.choice((fy_text(fy, "era"), f"{fy_text(fy, 'era')}末", f"{fy_text(fy, 'r')}末",
                               f"{fy_text(fy, 'era')}下半期")), None
        if end and mo == 9:
            return f"{fy_text(fy, 'era')}上半期", None
        form = "era_month"
    heisei = (y, mo) < (2019, 5)  # 令和 began in May 2019: April 2019 is 平成31年4月
    if form == "era_month":
        return (f"平成{y - 1988}年{mo}月" if heisei else f"令和{'元' if n == 1 else n}年{mo}月"), None
    if form == "r_dot":
        return (f"H{y - 1988}.{mo}" if heisei else f"R{n}.{mo}"), None
    if form == "west_month":
        return f"{y}年{mo}月", None
    if form == "slash":
        return f"{y}/{mo}", None
    day = 1 if not end or rng.random() < 0.5 else (dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.datetime(y, mo, day), rng.choice(_DATE_FORMATS)


def _table_case(rng: random.Random, name: str, writer: str) -> Case:
    pillar_mode = rng.choice(PILLARS)
    table_rows = rng.choice(("one", "stages"))
    columns = rng.choice(("two", "two", "one"))
    date_form = rng.choice(DATE_FORMS)
    period_line = rng.choice(("yes", "no"))
    start_fy = rng.randint(2019, 2027)
    n_years = rng.randint(2, 5)
    end_fy = start_fy + n_years - 1
    dims = {"kind": "roadmap", "style": "table", "pillar": pillar_mode, "table_rows": table_rows, "columns": columns,
            "date_form": date_form, "period_line": period_line, "subs": "none", "writer": writer,
            "label": "in" if table_rows == "stages" else "none"}
    skeleton = _plan_skeleton(rng, pillar_mode, "none")
    sheet = SheetSpec(rng.choice(("取組一覧", "スケジュール", "Sheet1")))
    sheet.put(1, 1, rng.choice(("DX推進計画 取組スケジュール", "デジタル化推進 実施計画表", "DX推進計画　工程表")))
    hr = 3
    if period_line == "yes":
        sheet.put(2, 1, _period_line(rng, start_fy, end_fy))
    cols: list[str] = []
    if rng.random() < 0.4:
        cols.append("no")
    if pillar_mode in ("merged", "repeated"):
        cols.append("pillar")
    cols.append("name")
    if table_rows == "stages":
        cols.append("stage")
    if rng.random() < 0.7:
        cols.append("dept")
    cols += ["start", "end"] if columns == "two" else ["span"]
    if rng.random() < 0.3:
        cols.append("note")
    col_of = {role: k + 1 for k, role in enumerate(cols)}
    words = {"no": "No", "pillar": rng.choice(("分野", "基本方針")), "name": rng.choice(("取組名", "取組", "施策")),
             "stage": rng.choice(_STAGE_WORDS), "dept": rng.choice(("担当課", "所管課")), "note": "備考"}
    pair = rng.randrange(len(_START_WORDS))
    words["start"] = _START_WORDS[pair]
    words["end"] = _END_WORDS[min(pair, len(_END_WORDS) - 1) if rng.random() < 0.5 else rng.randrange(len(_END_WORDS))]
    words["span"] = rng.choice(_SPAN_WORDS)
    for role, c in col_of.items():
        sheet.put(hr, c, words[role])
    first, last = fy_first_month(start_fy), fy_last_month(end_fy)
    aligned = date_form == "fiscal" or rng.random() < 0.3

    def random_phase(lo: int) -> tuple[int, int] | None:
        if lo > last - 1:
            return None
        if aligned:
            starts = [m for m in range(lo, last) if year_month(m)[1] in (4, 10)]
            if not starts:
                return None
            s = rng.choice(starts[:4])
            ends = [m for m in range(s + 1, last + 1) if year_month(m)[1] in (3, 9)]
            e = rng.choice(ends[:4]) if ends else last
        else:
            s = rng.randint(lo, min(last - 1, lo + 18))
            e = rng.randint(s + 1, min(last, s + 24))
        return s, e

    def write_dates(r: int, s: int, e: int) -> None:
        fs = rng.choice(DATE_FORMS[:-1]) if date_form == "mixed" else date_form
        fe = rng.choice(DATE_FORMS[:-1]) if date_form == "mixed" else date_form
        sv, sf = _month_text(rng, s, fs, False)
        ev, ef = _month_text(rng, e, fe, True)
        if columns == "two":
            sheet.put(r, col_of["start"], sv, sf)
            sheet.put(r, col_of["end"], ev, ef)
        else:
            def text(v):
                return f"{v.year}/{v.month}" if isinstance(v, dt.datetime) else v
            sheet.put(r, col_of["span"], f"{text(sv)}{rng.choice(('～', '〜', '~'))}{text(ev)}")

    row = hr + 1
    expected = []
    number = 0
    for p_index, (pillar, inits) in enumerate(skeleton):
        p_start = row
        if pillar_mode == "section":
            sheet.merge(row, 1, row, len(cols), f"{p_index + 1}．{pillar}" if rng.random() < 0.5 else pillar, SECTION_FILL)
            row += 1
            p_start = row
        for init_name, depts, _children in inits:
            number += 1
            exp = ExpectedInitiative(init_name, None if pillar_mode == "none" else pillar, None,
                                     list(depts) if "dept" in col_of else [])
            phases = []
            lo = first
            for _ in range(1 if table_rows == "one" else rng.randint(2, 3)):
                ph = random_phase(lo)
                if ph is None:
                    break
                phases.append(ph)
                lo = ph[1] + 1
            if not phases:
                continue
            expected.append(exp)
            n = len(phases)
            merged = table_rows == "stages" and n > 1 and rng.random() < 0.7
            for role in ("no", "name", "dept") + (("pillar",) if pillar_mode == "repeated" else ()):
                if role not in col_of:
                    continue
                value = {"no": number, "name": init_name, "dept": "、".join(depts), "pillar": pillar}[role]
                if merged:
                    sheet.merge(row, col_of[role], row + n - 1, col_of[role], value)
                else:
                    sheet.put(row, col_of[role], value)
            for j, (s, e) in enumerate(phases):
                label = None
                if table_rows == "stages":
                    label = rng.choice(PHASE_LABELS)
                    sheet.put(row + j, col_of["stage"], label)
                write_dates(row + j, s, e)
                exp.phases.append((s, e, label))
            row += n
        if pillar_mode == "merged":
            if row - 1 > p_start:
                sheet.merge(p_start, col_of["pillar"], row - 1, col_of["pillar"], pillar)
            else:
                sheet.put(p_start, col_of["pillar"], pillar)
    if period_line == "no":
        fys = [year_month(s)[0] - (year_month(s)[1] < 4) for i in expected for s, _, _ in i.phases]
        fye = [year_month(e)[0] - (year_month(e)[1] < 4) for i in expected for _, e, _ in i.phases]
        start_fy, end_fy = min(fys), max(fye)
    sheet.widths[col_of["name"]] = 30
    return Case(name, dims, [sheet], writer, True, start_fy, end_fy, expected)


# ------------------------------------------------------------------ non-roadmaps


def _survey(rng: random.Random, name: str, writer: str) -> Case:
    fy = rng.randint(2020, 2027)
    sheet = SheetSpec(rng.choice(("調査票", "回答票", "アンケート")))
    sheet.put(1, 1, f"{fy_text(fy, rng.choice(('era', 'era_paren', 'r')))} 自治体DXの取組状況に関する調査票")
    sheet.put(2, 1, "回答欄に ○ または × を記入してください。")
    heads = ["No", "設問", "回答欄", fy_text(fy - 1, "era"), fy_text(fy, "era"), "備考"]
    for c, h in enumerate(heads, 1):
        sheet.put(4, c, h)
    questions = ("行政手続のオンライン化に取り組んでいますか", "情報システムの標準化に着手していますか",
                 "テレワーク環境を整備していますか", "AI・RPAを導入していますか", "オープンデータを公開していますか",
                 "マイナンバーカードの利活用を検討していますか", "デジタル人材の育成計画がありますか",
                 "セキュリティポリシーを見直しましたか")
    input_fill = Fill(rgb="FFF2CC")
    for k, q in enumerate(rng.sample(questions, rng.randint(5, 8))):
        r = 5 + k
        sheet.put(r, 1, f"問{k + 1}")
        sheet.put(r, 2, q)
        sheet.put(r, 3, rng.choice(("○", "×", "はい", "いいえ", None)))
        sheet.fills[(r, 3)] = input_fill
        for c in (4, 5):
            sheet.put(r, c, rng.choice(("○", "×", "○", "")))
            if rng.random() < 0.5:
                sheet.fills[(r, c)] = input_fill
        if rng.random() < 0.3:
            sheet.put(r, 6, "令和7年度に予定")
    return Case(name, {"kind": "survey", "writer": writer}, [sheet], writer, False)


def _log(rng: random.Random, name: str, writer: str) -> Case:
    sheet = SheetSpec(rng.choice(("変更履歴", "レビュー記録", "改訂履歴")))
    sheet.put(1, 1, rng.choice(("DX推進計画 改訂履歴", "設計書レビュー記録表", "変更履歴")))
    for c, h in enumerate(("版", "日付", "確認者", "区分", "指摘・変更内容", "対応状況"), 1):
        sheet.put(3, c, h)
    day = dt.datetime(rng.randint(2021, 2026), rng.randint(1, 12), rng.randint(1, 28))
    people = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺")
    comments = ("誤字を修正", "工程表の期間を見直し", "第3章を追加", "指摘事項を反映", "表現を統一", "KPIの数値を更新",
                "令和6年度の取組を追記", "図表番号を修正")
    for k in range(rng.randint(6, 15)):
        r = 4 + k
        day += dt.timedelta(days=rng.randint(3, 60))
        sheet.put(r, 1, f"第{k + 1}版" if rng.random() < 0.5 else f"1.{k}")
        if rng.random() < 0.7:
            sheet.put(r, 2, day, rng.choice(("yyyy/m/d", '[$-411]ggge"年"m"月"d"日"')))
        else:
            sheet.put(r, 2, f"令和{_era_n(day.year)}年{day.month}月{day.day}日")
        sheet.put(r, 3, rng.choice(people))
        sheet.put(r, 4, rng.choice(("指摘", "変更", "追加", "削除")))
        sheet.put(r, 5, rng.choice(comments))
        sheet.put(r, 6, rng.choice(("対応済", "未対応", "確認中")))
        if rng.random() < 0.3:
            sheet.fills[(r, 6)] = Fill(rgb=rng.choice(("FFC7CE", "C6EFCE", "FFEB9C")))
    return Case(name, {"kind": "log", "writer": writer}, [sheet], writer, False)


def _scores(rng: random.Random, name: str, writer: str) -> Case:
    fy = rng.randint(2020, 2027)
    sheet = SheetSpec(rng.choice(("スキル評価", "評価表", "得点")))
    sheet.put(1, 1, f"{fy_text(fy, 'era')} 職員デジタルスキル評価表")
    months = [f"{(j + 3) % 12 + 1}月" for j in range(12)]
    for c, h in enumerate(["氏名", "所属", *months, "平均"], 1):
        sheet.put(3, c, h)
    heat = {1: "F8696B", 2: "FBAA77", 3: "FFEB84", 4: "B1D580", 5: "63BE7B"}
    people = ("佐藤 一郎", "鈴木 花子", "高橋 次郎", "田中 三郎", "伊藤 桃子", "渡辺 健", "山本 亮", "中村 優")
    for k, person in enumerate(rng.sample(people, rng.randint(4, 8))):
        r = 4 + k
        sheet.put(r, 1, person)
        sheet.put(r, 2, rng.choice(DEPARTMENTS))
        scores = []
        for j in range(12):
            if rng.random() < 0.15:
                continue
            s = rng.randint(1, 5)
            scores.append(s)
            sheet.put(r, 3 + j, s)
            if rng.random() < 0.7:
                sheet.fills[(r, 3 + j)] = Fill(rgb=heat[s])
        sheet.put(r, 15, round(sum(scores) / max(1, len(scores)), 1))
    return Case(name, {"kind": "scores", "writer": writer}, [sheet], writer, False)


# ------------------------------------------------------------------ cases


def make_case(rng: random.Random, index: int, non_roadmap_share: float = 0.1) -> Case:
    """One random case (``gen{index:04d}``)."""
    name = f"gen{index:04d}"
    writer = rng.choice(WRITERS)
    if rng.random() < non_roadmap_share:
        kind = rng.choice(NON_ROADMAPS)
        return {"survey": _survey, "log": _log, "scores": _scores}[kind](rng, name, writer)
    if rng.random() < 0.3:
        return _table_case(rng, name, writer)
    return _grid_case(rng, name, writer)


def make_cases(seed: int, count: int, non_roadmap_share: float = 0.1) -> list[Case]:
    """``count`` cases, the same for the same seed."""
    rng = random.Random(seed)
    return [make_case(rng, k, non_roadmap_share) for k in range(count)]

