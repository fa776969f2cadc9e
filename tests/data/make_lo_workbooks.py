#!/usr/bin/python3
"""Build roadmap workbooks in LibreOffice Calc (through UNO) with the plan each must import to.

Run by hand, not by CI — it needs LibreOffice and Debian's UNO bridge for the system Python:

    apt-get install -y libreoffice-calc python3-uno
    /usr/bin/python3 tests/data/make_lo_workbooks.py            # writes tests/data/workbooks/

Each case is drawn by a real spreadsheet program (not openpyxl), in styles the town-office
fixtures do not cover, and saved as ``workbooks/NAME.xlsx`` next to ``NAME.expected.json``
(the format of ../shared/fixtures/*.expected.json, so score.py-style scoring works):

- ``lo_half_merged``: half-year columns (上期/下期) under merged year cells 平成31年度（令和元年度）,
  令和2年度…; bars as merged labelled cells, ◆ milestone cells, pillar rows merged and filled,
  a 分野 pillar given by section rows, departments split on 、.
- ``lo_western_year``: one column per fiscal year headed 2024年度 with R6 in a second row; bars
  as filled cells with the label in the first cell; a 分野 column merged down; a 備考 column right
  of the grid; a notes row containing ━ and ◆; a 凡例 legend block under the table.
- ``lo_month_children``: 令和N年度 merged over month numbers 4…3; a hidden label column; names
  written 1　名前 with ア．/イ． steps (children); fill bars labelled in their first cell; ★ marks
  (on the row below when they fall on a bar); 〔pillar〕 section row; 【凡例】 block; 出典 line.
- ``lo_shapes_half``: 令和２年度 (full-width) over 4～9月/10～3月; LibreOffice shapes whose edges fall
  short of or overshoot the boundaries next to a wide 担当 column; connector lines labelled by the
  cell above; a bar grouped from a rectangle and a text box; diamonds labelled by a text box beside
  them; a legend drawn with shapes right of the grid.
- ``lo_sheets_text``: a cover sheet, one sheet per pillar, a hidden scratch sheet; a hidden
  令和5年度 block; text-drawn bars (←─ 検討 ─→ merged, 導入━━ | ━━━ | ━━→); ●label milestones.
- ``lo_connectors_month``: 2025年度（R7） over full-width month names; connector shapes (one drawn
  right to left), a left-right arrow, circle and star milestones labelled by the cell above, a
  vertical "today" line and a text box over the grid; 基本方針１　… section rows.

The plans are written once (CASES below); the drawing code places them on the grid and the
expected JSON is derived from the same data, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "workbooks"


# ------------------------------------------------------------------ the plans

def mi(text: str) -> int:
    y, m = text.split("-")
    return int(y) * 12 + int(m) - 1


def P(label, start, end):
    return {"label": label, "start": start, "end": end}


def M(label, date):
    return {"label": label, "date": date}


def I(pillar, name, depts, phases, milestones=(), parent=None, no=None, note=None):
    return {"pillar": pillar, "name": name, "parent": parent, "departments": list(depts),
            "phases": list(phases), "milestones": list(milestones), "_no": no, "_note": note}


PA = "行政サービスのデジタル化"
PB = "庁内業務の効率化"
PC = "デジタルデバイド対策"

HALF_MERGED = {
    "case": "lo_half_merged", "layout": "half-merge", "period": (2019, 2023),
    "initiatives": [
        I("住民の視点", "スマート窓口の推進", ["市民課", "情報政策課"],
          [P("検討", "2019-04", "2020-03"), P("実証実験", "2020-04", "2020-09"),
           P("本運用", "2020-10", "2024-03")], [M("開設", "2020-10")]),
        I("住民の視点", "公共施設予約のオンライン化", ["生涯学習課"],
          [P("導入", "2021-04", "2022-03")], [M("予約開始", "2022-04")]),
        I("住民の視点", "子育て手続の電子化", ["こども家庭課"],
          [P("準備", "2019-10", "2020-09"), P("運用", "2020-10", "2022-09")]),
        I("職員の視点", "AI議事録作成の活用", ["秘書広報課"],
          [P("試行", "2020-04", "2020-09"), P("全庁展開", "2021-04", "2024-03")]),
        I("職員の視点", "ペーパーレス会議", ["総務課", "議会事務局"],
          [P(None, "2022-10", "2024-03")], [M("タブレット配備", "2022-10")]),
    ],
}

WESTERN_YEAR = {
    "case": "lo_western_year", "layout": "year-fill", "period": (2024, 2028),
    "initiatives": [
        I(PC, "スマホ教室の開催", ["高齢福祉課"],
          [P("試行", "2024-04", "2025-03"), P("定期開催", "2025-04", "2029-03")], no="1",
          note="公民館で実施"),
        I(PC, "デジタル支援員の配置", ["企画課", "地域振興課"],
          [P("検討", "2024-04", "2025-03"), P("配置", "2025-04", "2027-03")], no="2"),
        I(PC, "公衆Wi-Fiの整備", ["情報政策課"],
          [P(None, "2026-04", "2028-03")], no="3", note="避難所を優先"),
        I(PB, "基幹業務システムの標準化", ["情報政策課", "各業務所管課"],
          [P("移行準備", "2024-04", "2025-03"), P("移行", "2025-04", "2026-03"),
           P("運用", "2026-04", "2029-03")], no="4"),
        I(PB, "情報セキュリティ研修", ["総務課"],
          [P("全職員研修", "2024-04", "2029-03")], no="5"),
    ],
}

MY = "マイナンバーカードの利活用"
MONTH_CHILDREN = {
    "case": "lo_month_children", "layout": "month-fill", "period": (2024, 2025),
    "initiatives": [
        I("スマート自治体", MY, ["市民課"], [], no="1"),
        I("スマート自治体", "コンビニ交付の導入", ["市民課"],
          [P("準備", "2024-06", "2024-11"), P("交付開始", "2024-12", "2025-03")], [M("開始", "2024-12")], parent=MY),
        I("スマート自治体", "図書館カードとの一体化", ["生涯学習課"],
          [P("システム改修", "2025-01", "2025-08")], [M("一体化", "2025-10")], parent=MY),
        I("スマート自治体", "オープンデータの公開", ["情報政策課", "総務課"],
          [P("データ整備", "2024-04", "2024-09"), P("公開", "2024-10", "2026-03")], no="2"),
        I("スマート自治体", "庁内チャットの導入", ["情報政策課"],
          [P("試行", "2024-07", "2024-12"), P("全庁導入", "2025-01", "2025-06")], [M("全庁展開", "2025-01")], no="3"),
    ],
}

HALF_SHAPES = {
    "case": "lo_shapes_half", "layout": "shapes", "period": (2020, 2023),
    "initiatives": [
        I("市民サービスの向上", "電子申請サービスの拡充", ["企画政策課"],
          [P("検討", "2020-04", "2021-03"), P("拡充", "2021-04", "2024-03")], [M("100手続", "2022-10")]),
        I("市民サービスの向上", "AIチャットボットの導入", ["広報課"],
          [P("実証実験", "2020-10", "2021-09"), P("本運用", "2021-10", "2023-09")]),
        I("行政運営の効率化", "ＲＰＡ・ＡＩ－ＯＣＲの導入", ["行政改革推進室"],
          [P("導入", "2021-04", "2022-03"), P(None, "2022-04", "2024-03")]),
        I("行政運営の効率化", "ペーパーレスの推進", ["総務課"],
          [P("準備", "2020-04", "2020-09"), P("展開", "2020-10", "2022-03")], [M("電子決裁", "2022-04")]),
    ],
}

SHEETS_TEXT = {
    "case": "lo_sheets_text", "layout": "quarter-text", "period": (2024, 2026),
    "initiatives": [
        I("くらしのDX", "防災情報の一斉配信", ["危機管理課"],
          [P("検討", "2024-04", "2024-09"), P("導入", "2024-10", "2025-06")], [M("稼働", "2025-07")]),
        I("くらしのDX", "デマンド交通の予約システム", ["交通政策課", "企画課"],
          [P("実証実験", "2025-01", "2025-12"), P("本運用", "2026-01", "2027-03")]),
        I("しごとのDX", "電子契約の導入", ["契約管財課"],
          [P("準備", "2024-07", "2025-03"), P("運用", "2025-04", "2027-03")], [M("開始", "2025-04")]),
        I("しごとのDX", "会議録作成の自動化", ["議会事務局"],
          [P("試行", "2024-04", "2024-12")]),
    ],
}

CONNECTORS_MONTH = {
    "case": "lo_connectors_month", "layout": "shapes", "period": (2025, 2026),
    "initiatives": [
        I("行政DX", "窓口のオンライン予約", ["市民課"],
          [P("設計", "2025-05", "2025-08"), P("構築", "2025-09", "2026-02")], [M("予約受付開始", "2026-04")]),
        I("行政DX", "公金収納のキャッシュレス化", ["会計課"],
          [P("実証", "2025-07", "2025-12"), P("拡大", "2026-01", "2027-03")]),
        I("行政DX", "職員研修のeラーニング化", ["人事課"],
          [P(None, "2025-04", "2025-09")], [M("受講開始", "2025-10")]),
        I("地域DX", "地域ポイントのアプリ化", ["商工観光課"],
          [P("両方向調整", "2026-04", "2026-11")], [M("リリース", "2026-12")]),
    ],
}

CASES = [HALF_MERGED, WESTERN_YEAR, MONTH_CHILDREN, HALF_SHAPES, SHEETS_TEXT, CONNECTORS_MONTH]


def expected(case: dict) -> dict:
    start, end = case["period"]
    return {"case": case["case"], "layout": case["layout"], "period": {"start_fy": start, "end_fy": end},
            "error": None,
            "initiatives": [{k: v for k, v in i.items() if not k.startswith("_")} for i in case["initiatives"]]}


# ------------------------------------------------------------------ LibreOffice

REMOTE: dict = {}  # the office's component context once connected


def connect(port: int):
    import uno

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
            REMOTE["ctx"] = ctx
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            time.sleep(0.5)
    raise RuntimeError("LibreOffice did not start")


def pv(name, value):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


class Sheet:
    """Small helpers over a Calc sheet (0-based columns and rows, like UNO)."""

    def __init__(self, doc, sheet):
        self.doc, self.sh = doc, sheet

    def set(self, c, r, value, fill=None, bold=False, wrap=False):
        cell = self.sh.getCellByPosition(c, r)
        if isinstance(value, (int, float)):
            cell.setValue(value)
        elif value is not None:
            cell.setString(value)
        if fill is not None:
            cell.CellBackColor = fill
        if bold:
            cell.CharWeight = 150.0
        if wrap:
            cell.IsTextWrapped = True
        return cell

    def merge(self, c1, r1, c2, r2, value=None, fill=None, bold=False):
        rng = self.sh.getCellRangeByPosition(c1, r1, c2, r2)
        if fill is not None:
            rng.CellBackColor = fill
        if value is not None:
            self.set(c1, r1, value, bold=bold)
        rng.merge(True)
        from com.sun.star.table.CellHoriJustify import CENTER

        rng.HoriJustify = CENTER

    def width(self, c, mm100):
        self.sh.Columns.getByIndex(c).Width = mm100

    def height(self, r, mm100):
        self.sh.Rows.getByIndex(r).Height = mm100

    def box(self, c, r):
        """(x, y, w, h) of a cell in 1/100 mm."""
        cell = self.sh.getCellByPosition(c, r)
        p, s = cell.Position, cell.Size
        return p.X, p.Y, s.Width, s.Height

    def shape(self, kind, x, y, w, h, text=None, fill=None, geometry=None, arrow=False):
        from com.sun.star.awt import Point, Size

        shp = self.doc.createInstance(f"com.sun.star.drawing.{kind}")
        self.sh.DrawPage.add(shp)
        if geometry:  # first: setting the geometry resets the size
            shp.CustomShapeGeometry = (pv("Type", geometry),)
        if kind != "LineShape":  # text must not resize the shape (LibreOffice grows it by default)
            shp.TextAutoGrowHeight = False
            shp.TextAutoGrowWidth = False
        shp.Position = Point(int(x), int(y))
        shp.Size = Size(int(w), int(h))
        if fill is not None and kind != "LineShape":
            shp.FillColor = fill
        if arrow:
            shp.LineEndName = "Arrow"
            shp.LineEndWidth = 250
            shp.LineWidth = 50
        if text:
            shp.setString(text)
        return shp


def header_half(s: Sheet, fy0: int, years: int, col0: int, row: int, fill: int) -> None:
    for k in range(years):
        fy = fy0 + k
        name = "平成31年度\n（令和元年度）" if fy == 2019 else f"令和{fy - 2018}年度"
        s.merge(col0 + 2 * k, row, col0 + 2 * k + 1, row, name, fill=fill, bold=True)
        s.sh.getCellByPosition(col0 + 2 * k, row).IsTextWrapped = True
        for h, word in enumerate(("上期", "下期")):
            s.set(col0 + 2 * k + h, row + 1, word, fill=fill)
            s.width(col0 + 2 * k + h, 1900)


def draw_half_merged(doc, case: dict) -> None:
    sheet = doc.Sheets.getByIndex(0)
    sheet.Name = "推進計画"
    s = Sheet(doc, sheet)
    fy0, fy1 = case["period"]
    years = fy1 - fy0 + 1
    head = 0xE2EFDA
    s.set(0, 0, "△△町 デジタル・トランスフォーメーション推進計画　工程表", bold=True)
    s.set(0, 1, "計画期間：平成31年度（令和元年度）～令和5年度")
    s.merge(0, 3, 0, 4, "施策名", fill=head)
    s.merge(1, 3, 1, 4, "所管課", fill=head)
    s.width(0, 5400)
    s.width(1, 3000)
    s.height(3, 1000)
    col0 = 2
    header_half(s, fy0, years, col0, 3, head)
    last_col = col0 + 2 * years - 1
    r = 5
    pillar = None
    for init in case["initiatives"]:
        if init["pillar"] != pillar:
            pillar = init["pillar"]
            s.merge(0, r, last_col, r, f"【{pillar}】", fill=0xC6E0B4, bold=True)
            s.sh.getCellRangeByPosition(0, r, last_col, r).HoriJustify = 1
            r += 1
        s.set(0, r, init["name"], wrap=True)
        s.set(1, r, "、".join(init["departments"]), wrap=True)
        base = fy0 * 12 + 3
        for ph in init["phases"]:
            h0 = (mi(ph["start"]) - base) // 6
            h1 = (mi(ph["end"]) - base) // 6
            h1 = min(h1, 2 * years - 1)
            if h1 > h0:
                s.merge(col0 + h0, r, col0 + h1, r, ph["label"], fill=0xF4B084)
            else:
                s.set(col0 + h0, r, ph["label"], fill=0xF4B084)
        if init["milestones"]:
            r += 1  # milestones on the row below, as ◆label cells
            for m in init["milestones"]:
                h = (mi(m["date"]) - base) // 6
                s.set(col0 + h, r, f"◆{m['label']}")
        r += 1
    s.set(0, r + 1, "※ 網掛けは実施期間、◆は主な到達点を示す。")


def draw_western_year(doc, case: dict) -> None:
    sheet = doc.Sheets.getByIndex(0)
    sheet.Name = "工程表"
    s = Sheet(doc, sheet)
    fy0, fy1 = case["period"]
    years = fy1 - fy0 + 1
    head = 0xDDEBF7
    s.set(0, 0, "□□村 DX推進計画 取組工程表", bold=True)
    for c, word in enumerate(("No.", "分野", "取組項目", "担当")):
        s.merge(c, 2, c, 3, word, fill=head)
    s.width(0, 1000)
    s.width(1, 3600)
    s.width(2, 5600)
    s.width(3, 3400)
    col0 = 4
    for k in range(years):
        s.set(col0 + k, 2, f"{fy0 + k}年度", fill=head, bold=True)
        s.set(col0 + k, 3, f"R{fy0 + k - 2018}", fill=head)
        s.width(col0 + k, 2200)
    notes_col = col0 + years
    s.merge(notes_col, 2, notes_col, 3, "備考", fill=head)
    s.width(notes_col, 3600)
    colours = {"試行": 0xA9D08E, "検討": 0xFFE699, "移行準備": 0xFFE699, "定期開催": 0x5B9BD5,
               "配置": 0x5B9BD5, "移行": 0xF4B084, "運用": 0x5B9BD5, "全職員研修": 0x8EA9DB, None: 0xBFBFBF}
    r = 4
    pillar = None
    for init in case["initiatives"]:
        s.set(0, r, init["_no"])
        if init["pillar"] != pillar:
            pillar = init["pillar"]
            span = sum(1 for i in case["initiatives"] if i["pillar"] == pillar)
            s.merge(1, r, 1, r + span - 1, pillar)
        s.set(2, r, init["name"], wrap=True)
        s.set(3, r, "\n".join(init["departments"]), wrap=True)
        for ph in init["phases"]:
            y0 = (mi(ph["start"]) - (fy0 * 12 + 3)) // 12
            y1 = (mi(ph["end"]) - (fy0 * 12 + 3)) // 12
            for y in range(y0, y1 + 1):
                s.set(col0 + y, r, ph["label"] if y == y0 else None, fill=colours[ph["label"]])
        if init["_note"]:
            s.set(notes_col, r, init["_note"])
        r += 1
    s.set(0, r, "※ ━ は実施期間、◆ は目標時期を示す（年度ごとに見直し）。")
    r += 2
    s.set(2, r, "凡例")
    for k, (word, colour) in enumerate((("検討・準備", 0xFFE699), ("試行・移行", 0xA9D08E), ("運用", 0x5B9BD5))):
        s.set(col0 + k, r + 1, word, fill=colour)


def draw_month_children(doc, case: dict) -> None:
    sheet = doc.Sheets.getByIndex(0)
    sheet.Name = "スケジュール"
    s = Sheet(doc, sheet)
    fy0, fy1 = case["period"]
    years = fy1 - fy0 + 1
    head = 0xFFF2CC
    s.set(0, 0, "◇◇町 自治体DX 推進スケジュール", bold=True)
    s.set(0, 1, "対象期間：令和6年度～令和7年度")
    s.merge(0, 3, 0, 4, "項目", fill=head)
    s.merge(1, 3, 1, 4, "内部メモ", fill=head)
    s.merge(2, 3, 2, 4, "担当部署", fill=head)
    s.width(0, 6000)
    s.width(1, 2000)
    s.sh.Columns.getByIndex(1).IsVisible = False  # a hidden label column
    s.width(2, 3000)
    col0 = 3
    for k in range(years):
        s.merge(col0 + 12 * k, 3, col0 + 12 * k + 11, 3, f"令和{fy0 + k - 2018}年度", fill=head, bold=True)
        for j in range(12):
            s.set(col0 + 12 * k + j, 4, (j + 3) % 12 + 1, fill=head)
            s.width(col0 + 12 * k + j, 700)
    base = fy0 * 12 + 3
    colours = [0x8FAADC, 0xA9D18E, 0xF4B183]
    s.merge(0, 5, 2, 5, f"〔{case['initiatives'][0]['pillar']}〕", fill=0xEDEDED)
    r = 6
    for n, init in enumerate(case["initiatives"]):
        if init["parent"]:
            kana = "アイウエオ"[sum(1 for i in case["initiatives"][:n] if i["parent"] == init["parent"])]
            s.set(0, r, f"　{kana}．{init['name']}")
        else:
            s.set(0, r, f"{init['_no']}　{init['name']}")
        s.set(1, r, "要確認" if n % 2 else None)
        s.set(2, r, "、".join(init["departments"]))
        for k, ph in enumerate(init["phases"]):
            a, b = mi(ph["start"]) - base, min(mi(ph["end"]) - base, 12 * years - 1)
            for m in range(a, b + 1):
                s.set(col0 + m, r, ph["label"] if m == a else None, fill=colours[k % 3])
        for m in init["milestones"]:
            c = col0 + mi(m["date"]) - base
            if s.sh.getCellByPosition(c, r).CellBackColor == -1:
                s.set(c, r, f"★{m['label']}")
            else:  # on a bar: the mark goes on the row below
                s.set(c, r + 1, f"★{m['label']}")
                r += 1
        r += 1
    r += 1
    s.set(0, r, "【凡例】")
    s.set(3, r + 1, "準備・試行", fill=colours[0])
    s.set(3, r + 2, "運用", fill=colours[1])
    s.set(3, r + 3, "★ 主な到達点")
    s.set(0, r + 5, "出典：◇◇町デジタル推進本部資料")


def draw_shapes_half(doc, case: dict) -> None:
    """Shapes whose edges fall short of the half-year boundaries (undershoot), a connector whose label
    is in the cell above it (the initiative's name is merged over both rows), a grouped bar, and a
    legend drawn with shapes right of the grid."""
    sheet = doc.Sheets.getByIndex(0)
    sheet.Name = "DX工程"
    s = Sheet(doc, sheet)
    fy0, fy1 = case["period"]
    years = fy1 - fy0 + 1
    head = 0xDEEBF7
    s.set(0, 0, "☆☆市 DX推進計画 工程表（令和２年度～令和５年度）", bold=True)
    s.merge(0, 2, 0, 3, "施策", fill=head)
    s.merge(1, 2, 1, 3, "主な担当課", fill=head)
    s.width(0, 5200)
    s.width(1, 3800)  # a wide department column right before the grid
    col0 = 2
    zen = "０１２３４５６７８９"
    for k in range(years):
        s.merge(col0 + 2 * k, 2, col0 + 2 * k + 1, 2, f"令和{zen[fy0 + k - 2018]}年度", fill=head, bold=True)
        s.set(col0 + 2 * k, 3, "4～9月", fill=head)
        s.set(col0 + 2 * k + 1, 3, "10～3月", fill=head)
        s.width(col0 + 2 * k, 1700)
        s.width(col0 + 2 * k + 1, 1700)
    last_col = col0 + 2 * years - 1
    base = fy0 * 12 + 3
    r = 4
    pillar = None
    for n, init in enumerate(case["initiatives"]):
        if init["pillar"] != pillar:
            pillar = init["pillar"]
            s.merge(0, r, last_col, r, f"■ {pillar}", fill=0xBDD7EE, bold=True)
            s.sh.getCellRangeByPosition(0, r, last_col, r).HoriJustify = 1
            r += 1
        two_rows = n == 1  # this one: connector lines with their labels in the row above
        if two_rows:
            s.merge(0, r, 0, r + 1)
            s.merge(1, r, 1, r + 1)
        s.set(0, r, init["name"], wrap=True)
        s.set(1, r, "\n".join(init["departments"]), wrap=True)
        for k, ph in enumerate(init["phases"]):
            h0, h1 = (mi(ph["start"]) - base) // 6, (mi(ph["end"]) - base) // 6
            x0, y, w0, h = s.box(col0 + h0, r + (1 if two_rows else 0))
            x1, _y, w1, _h = s.box(col0 + h1, r)
            left = x0 + w0 * (0.10 if k % 2 == 0 else -0.06)   # falls short / overshoots
            right = x1 + w1 * (0.90 if k % 2 == 0 else 1.05)
            if two_rows:
                s.set(col0 + h0, r, ph["label"])
                s.shape("LineShape", left, y + h / 2, right - left, 0, arrow=True)
            elif n == 2 and k == 0:  # a grouped bar: a rectangle and a text box made into one group

                rect = s.shape("RectangleShape", left, y + h * 0.2, right - left, h * 0.6, fill=0xF8CBAD)
                label = s.shape("TextShape", left + 100, y + h * 0.25, 1500, h * 0.5, text=ph["label"])
                ctx = REMOTE["ctx"]
                group = ctx.ServiceManager.createInstanceWithContext("com.sun.star.drawing.ShapeCollection", ctx)
                group.add(rect)
                group.add(label)
                s.sh.DrawPage.group(group)
            else:
                geo = ("ooxml-rightArrow", "ooxml-homePlate", "ooxml-chevron")[(n + k) % 3]
                s.shape("CustomShape", left, y + h * 0.2, right - left, h * 0.6, text=ph["label"], fill=0xF8CBAD,
                        geometry=geo)
        for m in init["milestones"]:
            hh = (mi(m["date"]) - base) // 6
            x, y, w, h = s.box(col0 + hh, r)
            d = h * 0.45
            s.shape("CustomShape", x + w * 0.05, y + h * 0.3, d, d, fill=0xC00000, geometry="ooxml-diamond")
            s.shape("TextShape", x + w * 0.05 + d, y + h * 0.05, 1600, h * 0.4, text=m["label"])
        for rr in range(r, r + (2 if two_rows else 1)):
            s.height(rr, 800)
        r += 2 if two_rows else 1
    # a legend drawn with shapes right of the grid
    x, y, w, h = s.box(last_col + 2, 5)
    s.shape("RectangleShape", x, y, 1200, 350, fill=0xF8CBAD)
    s.shape("TextShape", x + 1300, y, 1500, 350, text="実施期間")
    s.shape("CustomShape", x + 300, y + 600, 350, 350, fill=0xC00000, geometry="ooxml-diamond")
    s.shape("TextShape", x + 1300, y + 600, 1500, 350, text="目標時期")


def draw_sheets_text(doc, case: dict) -> None:
    """A cover sheet, one sheet per pillar and a hidden scratch sheet; text-drawn bars by quarter:
    ←─ 検討 ─→ in merged cells and 導入━━ | ━━━ | ━━→ over plain cells; ●label milestones;
    a hidden 令和5年度 block before the grid; a 備考 column after it."""
    sheets = doc.Sheets
    cover = sheets.getByIndex(0)
    cover.Name = "表紙"
    c = Sheet(doc, cover)
    c.set(1, 3, "▽▽市 DX推進計画 アクションプラン", bold=True)
    c.set(1, 5, "計画期間　令和6年度～令和8年度")
    c.set(1, 7, "令和6年3月　▽▽市 企画部 DX推進課")
    fy0, fy1 = case["period"]
    years = fy1 - fy0 + 1
    pillars = []
    for init in case["initiatives"]:
        if init["pillar"] not in pillars:
            pillars.append(init["pillar"])
    for n, pillar in enumerate(pillars, 1):
        sheets.insertNewByName(pillar, n)
        s = Sheet(doc, sheets.getByName(pillar))
        head = 0xE7E6E6
        s.set(0, 0, f"（{n}）{pillar}", bold=True)
        s.merge(0, 2, 0, 3, "取組", fill=head)
        s.merge(1, 2, 1, 3, "担当", fill=head)
        s.width(0, 5600)
        s.width(1, 3200)
        # a hidden block for the year before the plan
        s.merge(2, 2, 5, 2, "令和5年度", fill=head)
        for q in range(4):
            s.set(2 + q, 3, f"{4 + 3 * q}-{6 + 3 * q}月" if q < 3 else "1-3月", fill=head)
            s.sh.Columns.getByIndex(2 + q).IsVisible = False
        col0 = 6
        for k in range(years):
            s.merge(col0 + 4 * k, 2, col0 + 4 * k + 3, 2, f"令和{fy0 + k - 2018}年度", fill=head, bold=True)
            for q in range(4):
                s.set(col0 + 4 * k + q, 3, f"{4 + 3 * q}-{6 + 3 * q}月" if q < 3 else "1-3月", fill=head)
                s.width(col0 + 4 * k + q, 1500)
        notes = col0 + 4 * years
        s.merge(notes, 2, notes, 3, "備考", fill=head)
        s.width(notes, 3000)
        base = fy0 * 12 + 3
        r = 4
        for k, init in enumerate(i for i in case["initiatives"] if i["pillar"] == pillar):
            s.set(0, r, init["name"], wrap=True)
            s.set(1, r, "\n".join(init["departments"]), wrap=True)
            for j, ph in enumerate(init["phases"]):
                q0, q1 = (mi(ph["start"]) - base) // 3, (mi(ph["end"]) - base) // 3
                if (k + j) % 2 == 0 and q1 > q0:
                    s.merge(col0 + q0, r, col0 + q1, r, f"←─ {ph['label']} ─→")
                else:
                    for q in range(q0, q1 + 1):
                        text = "━━━" if q < q1 else "━━→"
                        s.set(col0 + q, r, (ph["label"] + "━━") if q == q0 else text)
            if init["milestones"]:
                for m in init["milestones"]:
                    q = (mi(m["date"]) - base) // 3
                    if s.sh.getCellByPosition(col0 + q, r).getString():
                        s.set(col0 + q, r + 1, f"●{m['label']}")
                    else:
                        s.set(col0 + q, r, f"●{m['label']}")
            s.set(notes, r, "国の補助事業を活用" if k == 0 else None)
            r += 2 if any(s.sh.getCellByPosition(cc, r + 1).getString() for cc in range(col0, notes)) else 1
        s.set(0, r + 1, "※ 各年度の予算編成で見直します。")
    sheets.insertNewByName("作業用", len(pillars) + 1)
    scratch = sheets.getByName("作業用")
    Sheet(doc, scratch).set(0, 0, "取組")
    Sheet(doc, scratch).set(1, 0, "令和6年度")
    Sheet(doc, scratch).set(0, 1, "下書きの取組")
    Sheet(doc, scratch).set(1, 1, "━━→")
    scratch.IsVisible = False


def draw_connectors_month(doc, case: dict) -> None:
    """Month grid under 2025年度（R7） headers with full-width month names; connector lines whose
    label is the cell above them (the name is merged over two rows); one drawn right to left with
    the arrowhead at its start; a left-right arrow; small circles and a star as milestones; a
    vertical "today" line across the table that is not a bar."""
    from com.sun.star.awt import Point

    sheet = doc.Sheets.getByIndex(0)
    sheet.Name = "月別工程"
    s = Sheet(doc, sheet)
    fy0, fy1 = case["period"]
    years = fy1 - fy0 + 1
    head = 0xFBE5D6
    s.set(0, 0, "◎◎町 DX推進 月別工程表", bold=True)
    s.merge(0, 2, 0, 3, "取組名", fill=head)
    s.merge(1, 2, 1, 3, "所管課", fill=head)
    s.width(0, 5000)
    s.width(1, 2600)
    col0 = 2
    zen = "０１２３４５６７８９"
    for k in range(years):
        s.merge(col0 + 12 * k, 2, col0 + 12 * k + 11, 2, f"{fy0 + k}年度（R{fy0 + k - 2018}）", fill=head, bold=True)
        for j in range(12):
            month = (j + 3) % 12 + 1
            s.set(col0 + 12 * k + j, 3, "".join(zen[int(d)] for d in str(month)) + "月", fill=head)
            s.width(col0 + 12 * k + j, 850)
    base = fy0 * 12 + 3
    r = 4
    pillar = None
    top = None
    for n, init in enumerate(case["initiatives"]):
        if init["pillar"] != pillar:
            pillar = init["pillar"]
            number = "１２３"[sum(1 for i in case["initiatives"][:n] if i["pillar"] != init["pillar"]) and 1]
            s.merge(0, r, col0 + 12 * years - 1, r, f"基本方針{number}　{pillar}", fill=0xF8CBAD, bold=True)
            s.sh.getCellRangeByPosition(0, r, col0 + 12 * years - 1, r).HoriJustify = 1
            r += 1
        if top is None:
            top = r
        s.merge(0, r, 0, r + 1, init["name"])
        s.merge(1, r, 1, r + 1, "、".join(init["departments"]))
        for k, ph in enumerate(init["phases"]):
            a, b = mi(ph["start"]) - base, mi(ph["end"]) - base
            b = min(b, 12 * years - 1)
            x0, y, _w, h = s.box(col0 + a, r + 1)
            x1, _y, w1, _h = s.box(col0 + b, r + 1)
            left, right = x0 + 40, x1 + w1 - 50
            if ph["label"] and n == 3:  # a left-right arrow with its text
                s.shape("CustomShape", left, y + h * 0.15, right - left, h * 0.7, text=ph["label"], fill=0xC5E0B4,
                        geometry="ooxml-leftRightArrow")
                continue
            if ph["label"]:
                s.set(col0 + a, r, ph["label"])
            con = doc.createInstance("com.sun.star.drawing.ConnectorShape")
            s.sh.DrawPage.add(con)
            if n == 1 and k == 1:  # drawn from right to left: the arrowhead is at its start
                con.StartPosition, con.EndPosition = Point(int(right), int(y + h / 2)), Point(int(left), int(y + h / 2))
                con.LineStartName = "Arrow"
            else:
                con.StartPosition, con.EndPosition = Point(int(left), int(y + h / 2)), Point(int(right), int(y + h / 2))
                con.LineEndName = "Arrow"
            con.LineWidth = 40
        for m in init["milestones"]:
            c = col0 + mi(m["date"]) - base
            x, y, w, h = s.box(c, r + 1)
            d = min(w, h) * 0.6
            geo = "ooxml-star5" if n == 3 else "ooxml-ellipse"
            s.shape("CustomShape", x + (w - d) / 2, y + (h - d) / 2, d, d, fill=0xFF0000, geometry=geo)
            s.set(c, r, m["label"])
        r += 2
    # the "today" line: vertical, over all rows of the table
    x, y, w, _h = s.box(col0 + 7, top)
    _x, y1, _w, h1 = s.box(col0 + 7, r - 1)
    s.shape("LineShape", x + w / 2, y, 0, y1 + h1 - y)
    # a text box over the grid: a comment, not plan content
    x, y, _w, h = s.box(col0 + 14, top + 1)
    s.shape("TextShape", x, y + h * 0.2, 4000, h * 0.6, text="※ 国の標準化の動向により変更あり")
    s.set(0, r + 1, "※ 赤の縦線は作成時点（令和7年11月）を示す。")


DRAW = {"lo_half_merged": draw_half_merged,
        "lo_western_year": draw_western_year, "lo_month_children": draw_month_children,
        "lo_shapes_half": draw_shapes_half, "lo_sheets_text": draw_sheets_text,
        "lo_connectors_month": draw_connectors_month}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    port = 20000 + os.getpid() % 10000
    profile = tempfile.mkdtemp(prefix="lo_profile_")
    proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                             f"-env:UserInstallation=file://{profile}",
                             f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        desktop = connect(port)
        for case in CASES:
            doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (pv("Hidden", True),))
            DRAW[case["case"]](doc, case)
            target = OUT / f"{case['case']}.xlsx"
            doc.storeToURL(target.as_uri(), (pv("FilterName", "Calc MS Excel 2007 XML"),))
            doc.close(True)
            (OUT / f"{case['case']}.expected.json").write_text(
                json.dumps(expected(case), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"{target.name}: {target.stat().st_size} bytes")
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
