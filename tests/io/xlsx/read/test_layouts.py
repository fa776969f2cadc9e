"""Workbooks in styles the fixtures do not have, built here with openpyxl; exact months are asserted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment, PatternFill
from openpyxl.styles.colors import Color

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.read.workbook import SheetOverrides, detect, import_workbook
from dxroadmap.model.fiscal import format_ym, month_index


def ym(text: str) -> int:
    y, m = text.split("-")
    return month_index(int(y), int(m))


def spans(init):
    return [(format_ym(p.start), format_ym(p.end), p.label) for p in init.phases]


def by_name(plan):
    return {i.name: i for i in plan.initiatives()}


def solid(rgb: str) -> PatternFill:
    return PatternFill("solid", fgColor=rgb)


def save(wb, tmp_path: Path, name: str = "book.xlsx") -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


# ---------------------------------------------------------------- half years, 令和元年度, two header rows


def test_half_year_columns_under_reiwa_gannen_headers_with_indexed_fills(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工程"
    ws["A1"] = "テスト村ＤＸ推進計画　工程表"
    ws["A3"], ws["B3"] = "施策名", "所管課"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    for k, year in enumerate(["令和元年度", "令和２年度", "令和3年度"]):
        col = 3 + 2 * k
        ws.cell(3, col, year)
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + 1)
        ws.cell(4, col, "上期")
        ws.cell(4, col + 1, "下期")
    ws["A5"], ws["B5"] = "電子申請の拡大", "総務課、各課"
    indexed = PatternFill("solid", fgColor=Color(indexed=22))  # grey from the legacy palette
    for c in (3, 4, 5):
        ws.cell(5, c).fill = indexed
    ws["C5"] = "検討"
    ws["F5"] = "導入"
    ws["F5"].fill = PatternFill("solid", fgColor=Color(indexed=44))
    ws["G5"].fill = PatternFill("solid", fgColor=Color(indexed=44))
    result = import_workbook(save(wb, tmp_path))
    plan = result.plan
    assert (plan.start_fy, plan.end_fy) == (2019, 2021)
    init = by_name(plan)["電子申請の拡大"]
    assert init.departments == ["総務課", "各課"]
    assert spans(init) == [("2019-04", "2020-09", "検討"), ("2020-10", "2021-09", "導入")]
    assert init.phases[0].color and init.phases[0].color.startswith("#")
    assert result.layout == "half-fill"


def test_heisei_reiwa_doubled_header_and_western_fy_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組", "担当", "平成31年度（令和元年度）", "令和2年度", "R3"])
    ws.append(["窓口改革", "市民課", "検討", None, None])
    ws["C2"].fill = solid("F8CBAD")
    ws["D2"], ws["E2"] = "本運用", None
    ws["D2"].fill = ws["E2"].fill = solid("9BC2E6")
    plan = import_workbook(save(wb, tmp_path)).plan
    assert (plan.start_fy, plan.end_fy) == (2019, 2021)
    assert spans(by_name(plan)["窓口改革"]) == [("2019-04", "2020-03", "検討"), ("2020-04", "2022-03", "本運用")]


def test_years_merged_over_four_columns_without_sub_header_are_quarters(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組内容", "関係部門"] + ["2024年度", None, None, None, "2025年度", None, None, None])
    ws.merge_cells("C1:F1")
    ws.merge_cells("G1:J1")
    ws.append(["標準化", "情報政策課"])
    for c in range(4, 8):  # D..G: 2024-07 .. 2025-06
        ws.cell(2, c).fill = solid("FFE699")
    ws["D2"] = "移行"
    init = by_name(import_workbook(save(wb, tmp_path)).plan)["標準化"]
    assert spans(init) == [("2024-07", "2025-06", "移行")]


def test_theme_colours_that_differ_only_by_tint_are_two_bars(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組", "担当"] + [f"R{n}" for n in range(6, 10)])
    ws.append(["データ連携", "企画課"])
    for c, tint in ((3, 0.4), (4, 0.4), (5, 0.8), (6, 0.8)):
        ws.cell(2, c).fill = PatternFill("solid", fgColor=Color(theme=4, tint=tint))
    init = by_name(import_workbook(save(wb, tmp_path)).plan)["データ連携"]
    assert spans(init) == [("2024-04", "2026-03", None), ("2026-04", "2028-03", None)]
    assert init.phases[0].color != init.phases[1].color


# ---------------------------------------------------------------- text arrows


def test_text_arrows_left_right_and_merged(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組", "担当"] + [f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)])
    ws.insert_rows(1)
    ws["C1"] = "2025年度"
    ws.merge_cells("C1:N1")
    ws.append(["ＡＩ議事録", "総務課", "←", "─", "試行", "─", "→", None, "導入", "━", "━", "▶", "★本稼働", None])
    ws.append(["ＲＰＡ", "総務課", None, None, None, None, None, None, None, None, None, None, None, None])
    ws["E4"] = "←── 拡大 ──→"
    ws.merge_cells("E4:J4")
    ws["K4"] = "◆"
    ws["L4"] = "評価"
    plan = import_workbook(save(wb, tmp_path)).plan
    inits = by_name(plan)
    assert spans(inits["ＡＩ議事録"]) == [("2025-04", "2025-08", "試行"), ("2025-10", "2026-01", "導入")]
    assert [(format_ym(m.month), m.label) for m in inits["ＡＩ議事録"].milestones] == [("2026-02", "本稼働")]
    assert spans(inits["ＲＰＡ"]) == [("2025-06", "2025-11", "拡大")]
    assert [(format_ym(m.month), m.label) for m in inits["ＲＰＡ"].milestones] == [("2025-12", "評価")]


# ---------------------------------------------------------------- sheets per pillar, cover, hidden sheet


def test_pillar_per_sheet_book_with_a_cover_and_a_hidden_sheet(tmp_path):
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "表紙"
    cover["B4"] = "やまなみ市デジタル推進計画"
    cover["B6"] = "令和7年3月"
    for title, names in (("暮らし", ["防災アプリ", "オンライン相談"]), ("行政", ["電子決裁"])):
        ws = wb.create_sheet(title)
        ws["A1"] = f"工程表　{title}"
        ws.append([])
        ws.append(["No", "取組", "担当課", "令和7年度", "令和8年度", "令和9年度"])
        for k, name in enumerate(names, start=1):
            ws.append([k, name, "デジタル推進課", "検討", "実施", None])
            row = ws.max_row
            ws.cell(row, 4).fill = solid("F8CBAD")
            ws.cell(row, 5).fill = solid("9BC2E6")
            ws.cell(row, 6).fill = solid("9BC2E6")
    hidden = wb.create_sheet("作業用")
    hidden.append(["取組", "担当", "令和7年度", "令和8年度"])
    hidden.append(["消えるべき行", "誰か", "x", "y"])
    hidden.sheet_state = "hidden"
    result = import_workbook(save(wb, tmp_path))
    plan = result.plan
    assert [p.name for p in plan.pillars] == ["暮らし", "行政"]
    assert [i.name for i in plan.initiatives()] == ["防災アプリ", "オンライン相談", "電子決裁"]
    assert spans(plan.initiatives()[2]) == [("2025-04", "2026-03", "検討"), ("2026-04", "2028-03", "実施")]
    assert plan.title == "やまなみ市デジタル推進計画" and plan.organization == "やまなみ市"
    roles = {(d.sheet, d.row): d.role for d in result.report}
    assert roles[("表紙", 4)] == "cover"
    assert roles[("作業用", 1)] == "ignored"


# ---------------------------------------------------------------- rows that cannot be placed


def test_rows_without_a_name_are_listed_as_unplaced_never_dropped(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組内容", "関係部門", "令和6年度", "令和7年度", "令和8年度"])
    ws.append(["オープンデータ", "企画課", "整備", None, None])
    ws["C2"].fill = solid("FFE699")
    ws.append([])
    ws.append([None, "財政課", None, "検討", None])  # a department and a bar, but no initiative name
    ws["D4"].fill = solid("F8CBAD")
    ws.append([])
    ws.append(["※ 状況により見直します。"])
    result = import_workbook(save(wb, tmp_path))
    assert [i.name for i in result.plan.initiatives()] == ["オープンデータ"]
    decisions = {d.row: d for d in result.report}
    assert decisions[1].role == "header"
    assert decisions[2].role == "initiative"
    assert decisions[4].role == "unplaced" and "財政課" in decisions[4].reason
    assert decisions[6].role == "note"
    assert [d.row for d in result.unplaced()] == [4]
    assert any("row 4" in w for w in result.warnings)


def test_legend_and_pillar_rows_are_not_initiatives(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組", "担当", "R6", "R7"])
    ws.append(["【基本方針１】行政のＤＸ"])
    ws.merge_cells("A2:D2")
    ws.append(["（ア）文書の電子化", "総務課", "移行", None])
    ws["C3"].fill = solid("FFE699")
    ws.append(["ア．電子決裁", None, None, "運用"])
    ws["D4"].fill = solid("9BC2E6")
    ws.append([])
    ws.append(["凡例", None, None, None])
    ws.append([None, None, None, "検討"])
    ws["C7"].fill = solid("F8CBAD")
    plan = import_workbook(save(wb, tmp_path)).plan
    assert [p.name for p in plan.pillars] == ["行政のＤＸ"]
    tops = plan.pillars[0].initiatives
    assert [i.name for i in tops] == ["文書の電子化"]
    assert [c.name for c in tops[0].children] == ["電子決裁"]
    assert spans(tops[0].children[0]) == [("2025-04", "2026-03", "運用")]


# ---------------------------------------------------------------- calendar month headers, list with children


def test_calendar_month_headers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["事業名", "担当"] + [f"2026年{m}月" for m in range(1, 7)])
    ws.append(["キャッシュレス", "会計課", None, "準備", None, "開始", None, None])
    for c in (4, 5):
        ws.cell(2, c).fill = solid("FFE699")
    for c in (6, 7, 8):
        ws.cell(2, c).fill = solid("9BC2E6")
    plan = import_workbook(save(wb, tmp_path)).plan
    assert spans(by_name(plan)["キャッシュレス"]) == [("2026-02", "2026-03", "準備"), ("2026-04", "2026-06", "開始")]
    assert (plan.start_fy, plan.end_fy) == (2025, 2026)


def test_list_without_timeline_takes_the_period_from_text_and_indented_children(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "みどり町ＤＸ取組一覧"
    ws["A2"] = "計画期間：令和7年度～令和11年度"
    ws.append([])
    ws.append(["No", "取組事項", "主な担当課"])
    ws.append([1, "窓口のデジタル化", "住民課、総務課"])
    ws.append([None, "書かない窓口", None])
    ws["B6"].alignment = Alignment(indent=2)
    ws.append([2, "職員のデジタル人材育成", "総務課"])
    result = import_workbook(save(wb, tmp_path))
    plan = result.plan
    assert result.layout == "list-only"
    assert (plan.start_fy, plan.end_fy) == (2025, 2029)
    tops = plan.pillars[0].initiatives
    assert [i.name for i in tops] == ["窓口のデジタル化", "職員のデジタル人材育成"]
    assert [c.name for c in tops[0].children] == ["書かない窓口"]
    assert tops[0].departments == ["住民課", "総務課"]
    assert plan.organization == "みどり町"


def test_day_schedule_becomes_month_bars_with_a_warning(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    days = [dt.datetime(2025, 3, 25) + dt.timedelta(days=k) for k in range(20)]
    ws.append(["タスク", "担当者"] + days)
    ws.append(["設計", "山田"])
    for c in range(3, 3 + 12):  # 3/25 .. 4/5
        ws.cell(2, c).fill = solid("5B9BD5")
    result = import_workbook(save(wb, tmp_path))
    assert any("rounded" in w for w in result.warnings)
    assert spans(by_name(result.plan)["設計"]) == [("2025-03", "2025-04", None)]


# ---------------------------------------------------------------- refusals


def test_a_table_of_figures_is_no_roadmap(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["事業名", "担当課", "令和6年度予算", "令和7年度予算"])
    ws.append(["電子申請", "総務課", 1200, 3400])
    ws.append(["標準化", "総務課", 15000, 42000])
    with pytest.raises(PlanReadError) as info:
        import_workbook(save(wb, tmp_path))
    assert info.value.reason == "no-roadmap"
    assert "ロードマップ" in info.value.message("ja")


def test_empty_workbook_is_no_roadmap(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "メモ"
    with pytest.raises(PlanReadError) as info:
        import_workbook(save(wb, tmp_path))
    assert info.value.reason == "no-roadmap"


def test_formulas_are_never_evaluated(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["取組", "担当", "R6", "R7"])
    ws.append(["=HYPERLINK(\"http://example.invalid\",\"x\")", "=WEBSERVICE(\"http://example.invalid\")", "検討", None])
    ws.append(["実在の取組", "課", "検討", None])
    ws["C2"].fill = ws["C3"].fill = solid("F8CBAD")
    plan = import_workbook(save(wb, tmp_path)).plan
    # openpyxl wrote no cached values: formula cells read as empty, nothing is fetched or computed
    assert [i.name for i in plan.initiatives()] == ["実在の取組"]


# ---------------------------------------------------------------- detection and overrides (GUI preview API)


def _ambiguous_book(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "計画"
    ws.append(["区分け", "やること", "係", "ことし", "らいねん"])  # headings the reader cannot know
    ws.append(["くらし", "防災メール", "防災係", "検討", "運用"])
    ws["D2"].fill = solid("F8CBAD")
    ws["E2"].fill = solid("9BC2E6")
    return save(wb, tmp_path)


def test_detect_reports_header_time_columns_and_roles(tmp_path):
    det = detect(Path(__file__).resolve().parents[4].parent / "shared" / "fixtures" / "s03_quarter_mori.xlsx") \
        if (Path(__file__).resolve().parents[4].parent / "shared" / "fixtures").is_dir() else None
    if det is None:
        pytest.skip("fixtures absent")
    sheet = det.sheets[0]
    assert sheet.header_row == 3 and sheet.data_start == 5
    assert sheet.time_columns[4] == (ym("2023-04"), ym("2023-06"))
    assert sheet.time_columns[23] == (ym("2028-01"), ym("2028-03"))
    assert sheet.column_roles == {1: "pillar", 2: "name", 3: "departments"}
    assert det.signature and det.result is not None


def test_overrides_set_time_columns_and_roles(tmp_path):
    path = _ambiguous_book(tmp_path)
    det = detect(path)
    assert det.error is not None and det.error.reason == "no-roadmap"
    overrides = {"計画": SheetOverrides(header_row=1,
                                      time_columns={4: (ym("2025-04"), ym("2026-03")), 5: (ym("2026-04"), ym("2027-03"))},
                                      column_roles={1: "pillar", 2: "name", 3: "departments"})}
    result = import_workbook(path, overrides=overrides)
    plan = result.plan
    assert [p.name for p in plan.pillars] == ["くらし"]
    init = plan.initiatives()[0]
    assert init.name == "防災メール" and init.departments == ["防災係"]
    assert spans(init) == [("2025-04", "2026-03", "検討"), ("2026-04", "2027-03", "運用")]
    # the same detection without a timeline: a list
    listed = import_workbook(path, overrides={"計画": SheetOverrides(header_row=1, time_columns={},
                                                                   column_roles={2: "name"})})
    assert [i.name for i in listed.plan.initiatives()] == ["防災メール"] and not listed.plan.initiatives()[0].phases


def test_overrides_can_skip_a_sheet_and_ignore_a_column(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "A"
    ws.append(["取組", "担当", "備考", "R6", "R7"])
    ws.append(["一", "甲課", "メモ", "検討", None])
    ws["D2"].fill = solid("F8CBAD")
    ws2 = wb.create_sheet("B")
    ws2.append(["取組", "担当", "R6", "R7"])
    ws2.append(["二", "乙課", "検討", None])
    ws2["C2"].fill = solid("F8CBAD")
    path = save(wb, tmp_path)
    plan = import_workbook(path, overrides={"B": SheetOverrides(skip=True),
                                            "A": SheetOverrides(column_roles={2: "ignore"})}).plan
    assert [i.name for i in plan.initiatives()] == ["一"]
    assert plan.initiatives()[0].departments == []


# ---------------------------------------------------------------- our own workbooks come back


def test_exported_workbook_reads_back_the_same_plan_even_without_its_data_sheet(tmp_path):
    from dxroadmap.io.xlsx.export import write_workbook
    from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan

    plan = Plan(title="往復町ＤＸ推進計画", start_fy=2024, end_fy=2026, pillars=[
        Pillar("暮らし", [Initiative("防災アプリ", departments=["防災課"], phases=[
            Phase(ym("2024-04"), ym("2025-03"), "検討"), Phase(ym("2025-04"), ym("2027-03"), "本運用")],
            children=[Initiative("避難所表示", phases=[Phase(ym("2025-04"), ym("2026-03"), "導入")])])]),
        Pillar("行政", [Initiative("電子決裁", departments=["総務課", "情報課"], phases=[
            Phase(ym("2024-04"), ym("2025-03"), "準備")], milestones=[Milestone(ym("2025-04"), "開始")])]),
    ])
    path = tmp_path / "out.xlsx"
    write_workbook(plan, path)
    back = import_workbook(path)
    assert back.layout == "datasheet"

    def flat(p):
        return [(pl.name, i.name, tuple(i.departments), tuple((x.start, x.end, x.label) for x in i.phases),
                 tuple(len(i.children) for _ in [0])) for pl, i in p.walk()]

    assert flat(back.plan) == flat(plan)
    wb = openpyxl.load_workbook(path)
    for ws in list(wb.worksheets):
        if ws.sheet_state != "visible":
            wb.remove(ws)
    wb.save(path)
    cells = import_workbook(path)
    assert cells.layout != "datasheet"
    assert flat(cells.plan) == flat(plan)


# ---------------------------------------------------------------- cards


def test_cards_with_own_schedule_rows_sub_actions_and_notes(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "かわせみ町ＤＸ推進計画　取組カード"
    ws["B3"] = "１．暮らしの取り組み"
    rows = [
        ("B5", "スマート窓口の導入"),
        ("B6", "概　要"), ("C6", "窓口の手続をデジタル化します。"),
        ("B7", "担　当"), ("C7", "住民課\n情報政策課"),
        ("B8", "目　標"), ("C8", "待ち時間を半分に"),
    ]
    for ref, text in rows:
        ws[ref] = text
    ws.append([])
    ws["B9"], ws["C9"] = "No", "主な取組"
    for k, year in enumerate(["R7", "R8", "R9"]):
        ws.cell(9, 4 + k, year)
    ws["C10"] = None  # a schedule row with no sub-action text: the card's own phases
    ws["D10"], ws["E10"] = "検討", "◆稼働"
    ws["D10"].fill = solid("F8CBAD")
    ws["B11"], ws["C11"], ws["E11"] = "①", "キャッシュレス決済", "導入"
    ws["E11"].fill = ws["F11"].fill = solid("9BC2E6")
    ws.merge_cells("E11:F11")
    ws["B12"], ws["C12"] = "効果", "来庁者の負担が減ります。"
    result = import_workbook(save(wb, tmp_path))
    plan = result.plan
    assert result.layout == "card"
    assert [p.name for p in plan.pillars] == ["暮らしの取り組み"]
    card = plan.pillars[0].initiatives[0]
    assert card.name == "スマート窓口の導入"
    assert card.departments == ["住民課", "情報政策課"] and card.kpi == "待ち時間を半分に"
    assert spans(card) == [("2025-04", "2026-03", "検討")]
    assert [(format_ym(m.month), m.label) for m in card.milestones] == [("2026-04", "稼働")]
    assert [c.name for c in card.children] == ["キャッシュレス決済"]
    assert spans(card.children[0]) == [("2026-04", "2028-03", "導入")]
    assert "来庁者" in card.notes
    assert (plan.start_fy, plan.end_fy) == (2025, 2027)


def test_merge_mapping_is_bounded(monkeypatch):
    from dxroadmap.io.xlsx.read import grid as xlsx_grid

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "大きな結合"
    ws.merge_cells("A1:Z100")  # 2,600 cells
    ws["A200"] = "小さな結合"
    ws.merge_cells("A200:B200")
    monkeypatch.setattr(xlsx_grid, "MAX_MERGED_CELLS", 100)
    grid = xlsx_grid.SheetGrid(ws, xlsx_grid.theme_palette(None))
    assert grid.merge_at(50, 10) is None  # over budget: read cell by cell
    assert grid.merge_at(200, 2) is not None and grid.text(200, 2) == "小さな結合"


def test_a_damaged_data_sheet_falls_back_to_the_visible_roadmap(tmp_path):
    from dxroadmap.io.xlsx.export import write_workbook
    from dxroadmap.model.plan import Initiative, Phase, Pillar, Plan

    plan = Plan(title="壊れ町", start_fy=2024, end_fy=2025, pillars=[
        Pillar("行政", [Initiative("電子決裁", departments=["総務課"], phases=[Phase(ym("2024-04"), ym("2025-03"), "準備")])])])
    path = tmp_path / "out.xlsx"
    write_workbook(plan, path)
    wb = openpyxl.load_workbook(path)
    data = next(ws for ws in wb.worksheets if ws.sheet_state != "visible")
    data["A1"] = "edited by hand"
    wb.save(path)
    result = import_workbook(path)
    assert result.layout != "datasheet"
    assert any("damaged" in w for w in result.warnings)
    init = result.plan.initiatives()[0]
    assert init.name == "電子決裁" and spans(init) == [("2024-04", "2025-03", "準備")]


def test_a_schedule_column_written_as_text_gives_fiscal_year_bars(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "計画期間：令和6年度～令和10年度"
    ws.append([])
    ws.append(["取組", "担当課", "実施時期"])
    ws.append(["電子申請", "総務課", "令和6年度～令和8年度"])
    ws.append(["キャッシュレス", "会計課", "R7"])
    ws.append(["ＡＩ活用", "企画課", "令和7年10月～令和8年3月"])
    ws.append(["データ連携", "情報課", "令和8年度以降"])
    ws.append(["窓口の見直し", "市民課", "随時"])
    result = import_workbook(save(wb, tmp_path))
    inits = by_name(result.plan)
    assert result.layout == "period-column"
    assert spans(inits["電子申請"]) == [("2024-04", "2027-03", None)]
    assert spans(inits["キャッシュレス"]) == [("2025-04", "2026-03", None)]
    assert spans(inits["ＡＩ活用"]) == [("2025-10", "2026-03", None)]
    assert spans(inits["データ連携"]) == [("2026-04", "2029-03", None)]  # open-ended: to the end of the plan
    assert spans(inits["窓口の見直し"]) == []
    assert (result.plan.start_fy, result.plan.end_fy) == (2024, 2028)


def test_year_headers_without_the_era_name(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "令和6年3月策定"
    ws.append(["取組", "担当", "６年度", "７年度", "８年度"])
    ws.append(["防災ＤＸ", "防災課", "検討", "導入", None])
    ws["C3"].fill = solid("F8CBAD")
    ws["D3"].fill = ws["E3"].fill = solid("FFE699")
    plan = import_workbook(save(wb, tmp_path)).plan
    assert (plan.start_fy, plan.end_fy) == (2024, 2026)
    assert spans(by_name(plan)["防災ＤＸ"]) == [("2024-04", "2025-03", "検討"), ("2025-04", "2027-03", "導入")]


def test_two_initiative_like_columns_the_coarser_one_is_the_pillar(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["施策", "取組内容", "担当課", "R6", "R7"])
    ws.append(["行政のデジタル化", "電子申請", "総務課", "導入", None])
    ws.append(["行政のデジタル化", "電子決裁", "総務課", None, "導入"])
    ws.append(["地域のデジタル化", "公衆Wi-Fi", "企画課", "整備", None])
    for ref in ("D2", "E3", "D4"):
        ws[ref].fill = solid("FFE699")
    plan = import_workbook(save(wb, tmp_path)).plan
    assert [p.name for p in plan.pillars] == ["行政のデジタル化", "地域のデジタル化"]
    assert [i.name for i in plan.initiatives()] == ["電子申請", "電子決裁", "公衆Wi-Fi"]


def test_an_unnamed_column_merged_down_over_initiatives_is_the_pillar(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([None, "取組", "担当", "R6", "R7"])
    ws.append(["くらし", "防災アプリ", "防災課", "検討", None])
    ws.append([None, "子育てアプリ", "こども課", None, "導入"])
    ws.append([None, "オンライン相談", "福祉課", "試行", None])
    ws.merge_cells("A2:A4")
    ws.append(["しごと", "電子決裁", "総務課", "導入", None])
    ws.append([None, "テレワーク", "総務課", None, "拡大"])
    ws.merge_cells("A5:A6")
    plan = import_workbook(save(wb, tmp_path)).plan
    assert [p.name for p in plan.pillars] == ["くらし", "しごと"]
    assert [len(p.initiatives) for p in plan.pillars] == [3, 2]


def test_weekend_columns_shaded_top_to_bottom_are_not_bars(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    days = [dt.datetime(2025, 6, 2) + dt.timedelta(days=k) for k in range(70)]  # Monday 2 June
    ws.append(["タスク", "担当者"] + days)
    grey = solid("D9D9D9")
    weekend = [3 + k for k, d in enumerate(days) if d.weekday() >= 5]
    for c in weekend:
        ws.cell(1, c).fill = grey
    for n in range(6):
        ws.append([f"作業{n + 1}", "山田"])
        row = ws.max_row
        for c in weekend:
            ws.cell(row, c).fill = grey
        for c in range(3 + 10 * n, 3 + 10 * n + 3):  # three working days each, in June, then July
            ws.cell(row, c).fill = solid("5B9BD5")
    result = import_workbook(save(wb, tmp_path))
    got = [spans(i) for i in result.plan.initiatives()]
    assert got[0] == [("2025-06", "2025-06", None)]
    assert got[3] == [("2025-07", "2025-07", None)]
    assert all(len(s) == 1 for s in got)


def test_day_numbers_under_a_month_and_a_year_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["C1"] = "工程", 2024
    ws["C2"] = 3  # March 2024, then the days run over into April
    ws.append(["No", "作業"] + list(range(25, 32)) + list(range(1, 11)))
    ws.merge_cells("C1:S1")
    ws.append([1, "移行テスト"])
    for c in range(8, 13):  # 30, 31, 1, 2, 3
        ws.cell(4, c).fill = solid("FFC0C0")
    result = import_workbook(save(wb, tmp_path))
    assert spans(by_name(result.plan)["移行テスト"]) == [("2024-03", "2024-04", None)]
    assert any("rounded" in w for w in result.warnings)
