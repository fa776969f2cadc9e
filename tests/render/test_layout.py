"""Sheet layout: pagination, repeated pillar bands, fit, year range, bar labels, fonts."""

from __future__ import annotations

import datetime as dt

import pytest

from dxroadmap.model.colors import text_color_on as text_color_for
from dxroadmap.model.fiscal import month_index as mi
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan
from dxroadmap.render import fonts
from dxroadmap.render.export import write_pdf
from dxroadmap.render.layout import format_print_date, layout_sheet
from dxroadmap.render.page_setup import DateStyle, PageSetup, page_size, paper_mm

from .plans import generated


def _all_rows(sheet):
    return [row for page in sheet.pages for _, row in page.rows]


def test_rows_never_split_and_each_initiative_is_printed_once():
    plan = generated(150)
    sheet = layout_sheet(plan, PageSetup(paper="A4", orientation="portrait"))
    body = sheet.body_bottom - sheet.body_top
    assert len(sheet.pages) > 3
    for page in sheet.pages:
        assert page.rows
        for y, row in page.rows:
            assert y >= 0 and y + row.height <= body + 1e-6  # whole row inside the page body
    printed = [row.uid for row in _all_rows(sheet) if row.kind == "initiative"]
    assert printed == [i.uid for i in plan.initiatives()]


def test_each_page_opens_with_its_pillar_band():
    plan = generated(150, pillars=3)
    sheet = layout_sheet(plan, PageSetup(paper="A4", orientation="landscape"))
    continued = 0
    for page in sheet.pages:
        first = page.rows[0][1]
        assert first.kind in ("pillar", "continued")
        following = [r for _, r in page.rows[1:2]]
        if following and following[0].kind == "initiative":
            assert following[0].pillar_uid == first.pillar_uid
        if first.kind == "continued":
            continued += 1
            assert first.name.endswith("（続き）")
    assert continued >= 1
    # a pillar band is never the last row of a page (it keeps its first initiative)
    for page in sheet.pages:
        assert page.rows[-1][1].kind == "initiative"


def test_page_count_grows_with_initiatives():
    counts = [len(layout_sheet(generated(n), PageSetup()).pages) for n in (20, 80, 200)]
    assert counts[0] < counts[1] < counts[2]


def test_one_pillar_per_page():
    plan = generated(12, pillars=4)
    sheet = layout_sheet(plan, PageSetup(pillar_per_page=True))
    assert len(sheet.pages) >= 4
    for page in sheet.pages:
        assert len({row.pillar_uid for _, row in page.rows}) == 1


def test_fit_to_page_puts_everything_on_one_page_smaller():
    plan = generated(80)
    by_width = layout_sheet(plan, PageSetup(fit="width"))
    one = layout_sheet(plan, PageSetup(fit="page"))
    assert len(by_width.pages) > 1
    assert len(one.pages) == 1
    assert one.scale < by_width.scale
    assert len(one.pages[0].initiative_rows) == 80
    per_pillar = layout_sheet(plan, PageSetup(fit="page", pillar_per_page=True))
    assert len(per_pillar.pages) == 4


def test_fit_to_width_scales_a_narrow_page_down():
    plan = generated(5)
    wide = layout_sheet(plan, PageSetup(paper="A3", orientation="landscape"))
    narrow = layout_sheet(plan, PageSetup(paper="A4", orientation="portrait"))
    assert wide.scale == 1.0
    assert narrow.scale < 1.0
    paper_w = paper_mm("A4", "portrait")[0] - 20  # minus margins
    assert narrow.width * narrow.scale == pytest.approx(paper_w * 720 / 25.4)


def _one_row_plan(phases, milestones=(), start=2023, end=2027):
    init = Initiative("取組A", "概要", ["ＤＸ部門"], phases=list(phases), milestones=list(milestones))
    return Plan("計画", "町", start, end, [Pillar("柱", [init])])


def test_bars_sit_on_their_exact_months():
    phase = Phase(mi(2024, 7), mi(2025, 3), "実証実験", PhaseKind.TRIAL)
    sheet = layout_sheet(_one_row_plan([phase]))
    bar = sheet.pages[0].initiative_rows[0].bars[0]
    assert bar.rect.left() == pytest.approx(sheet.month_x(mi(2024, 7)))
    assert bar.rect.right() == pytest.approx(sheet.month_x(mi(2025, 4)))
    assert bar.label == "実証実験" and bar.label_inside


def test_year_range_clips_bars_and_header():
    phase = Phase(mi(2023, 4), mi(2027, 3), "本運用", PhaseKind.OPERATE)
    sheet = layout_sheet(_one_row_plan([phase]), PageSetup(first_fy=2024, last_fy=2025))
    years = [line for box in sheet.header_texts for line in box.lines if "年度" in line]
    assert years == ["令和6年度（2024）", "令和7年度（2025）"]
    bar = sheet.pages[0].initiative_rows[0].bars[0]
    assert bar.open_left and bar.open_right
    assert bar.rect.left() == pytest.approx(sheet.timeline_x0)
    assert bar.rect.right() == pytest.approx(sheet.width)


def test_short_bar_label_goes_beside_or_is_elided():
    short = Phase(mi(2023, 4), mi(2023, 4), "システム移行リハーサル", PhaseKind.PREPARE)
    later = Phase(mi(2023, 6), mi(2023, 6), "実証実験の結果報告会", PhaseKind.TRIAL)
    sheet = layout_sheet(_one_row_plan([short, later]))
    first, second = sheet.pages[0].initiative_rows[0].bars
    # the first label cannot pass the next bar: elided inside or cut before it
    assert first.label_rect is None or first.label_rect.right() <= second.rect.left() + 1
    # the last one has room to its right: drawn beside the bar in dark text
    assert second.label == "実証実験の結果報告会" and not second.label_inside
    assert second.label_rect.left() >= second.rect.right()
    assert second.text_color == "#1A1A1A"


def test_overlapping_phases_take_separate_lanes_and_milestones_their_own():
    a = Phase(mi(2023, 4), mi(2024, 3), "検討", PhaseKind.STUDY)
    b = Phase(mi(2023, 10), mi(2024, 9), "準備", PhaseKind.PREPARE)
    ms = Milestone(mi(2024, 4), "稼働開始")
    row = layout_sheet(_one_row_plan([a, b], [ms])).pages[0].initiative_rows[0]
    ra, rb = (bar.rect for bar in row.bars)
    assert not ra.intersects(rb)
    diamond = row.milestones[0]
    assert diamond.center.y() < min(ra.top(), rb.top())
    assert diamond.label == "稼働開始"


def test_label_colour_contrasts_with_fill():
    assert text_color_for("#2E75B6") == "#FFFFFF"  # 運用 blue
    assert text_color_for("#1F3864") == "#FFFFFF"
    assert text_color_for("#FFD966") == "#1A1A1A"  # 準備 yellow
    assert text_color_for("#F4B183") == "#1A1A1A"
    row = layout_sheet(_one_row_plan([Phase(mi(2023, 4), mi(2025, 3), "本運用", PhaseKind.OPERATE)])).pages[0]
    assert row.initiative_rows[0].bars[0].text_color == "#FFFFFF"


def test_huge_summary_is_cut_to_one_page_not_split():
    init = Initiative("長い取組", "とても長い説明。" * 3000, ["ＤＸ部門"])
    plan = Plan("計画", "町", 2023, 2027, [Pillar("柱", [init, Initiative("次の取組")])])
    sheet = layout_sheet(plan, PageSetup(paper="A4", orientation="landscape"))
    rows = [r for page in sheet.pages for r in page.initiative_rows]
    assert rows[0].truncated and rows[0].texts[1].lines[-1].endswith("…")
    for page in sheet.pages:
        for y, row in page.rows:
            assert y + row.height <= sheet.body_bottom - sheet.body_top + 1e-6


def test_print_date_in_reiwa():
    assert format_print_date(dt.date(2026, 11, 21)) == "令和8年11月21日"
    assert format_print_date(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert format_print_date(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert format_print_date(dt.date(2026, 11, 21), DateStyle.WESTERN) == "2026年11月21日"
    sheet = layout_sheet(generated(2), today=dt.date(2026, 11, 21))
    assert any("令和8年11月21日" in line for box in sheet.title_texts for line in box.lines)


def test_hidden_columns_give_the_timeline_more_room():
    plan = generated(3)
    full = layout_sheet(plan)
    lean = layout_sheet(plan, PageSetup(show_summary=False, show_departments=False))
    assert [c.title for c in full.columns] == ["取組内容", "概要", "関係部門"]
    assert [c.title for c in lean.columns] == ["取組内容"]
    assert lean.month_w > full.month_w


def test_jis_b4_and_bad_setup():
    from PySide6.QtGui import QPageSize

    size = page_size("B4").size(QPageSize.Unit.Millimeter)
    assert (round(size.width()), round(size.height())) == (257, 364)
    with pytest.raises(ValueError):
        PageSetup(paper="B5")
    with pytest.raises(ValueError):
        PageSetup(orientation="sideways")
    with pytest.raises(ValueError):
        PageSetup(first_fy=2026, last_fy=2024)


def test_no_japanese_font_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "_installed_families", lambda: [])
    monkeypatch.setattr(fonts, "_cache", {})
    with pytest.raises(fonts.NoJapaneseFontError) as info:
        write_pdf(generated(2), tmp_path / "x.pdf")
    assert "install fonts-noto-cjk" in info.value.message("en")
    assert "日本語フォント" in info.value.message("ja")
    assert list(tmp_path.iterdir()) == []


def test_font_choice_prefers_listed_japanese_families(monkeypatch):
    monkeypatch.setattr(fonts, "_cache", {})
    monkeypatch.setattr(fonts, "_installed_families", lambda: ["Some Serif", "IPAexGothic", "Meiryo"])
    assert fonts.find_japanese_font() == "IPAexGothic"
    monkeypatch.setattr(fonts, "_cache", {})
    monkeypatch.setattr(fonts, "_installed_families", lambda: ["Droid Sans Fallback"])
    assert fonts.find_japanese_font() == "Droid Sans Fallback"


def test_empty_and_odd_plans_still_print(tmp_path):
    odd = Plan("", "", 1990, 2031, [
        Pillar("空の柱"),
        Pillar("深い柱", [Initiative("親", children=[Initiative("子", children=[Initiative("孫" * 80)])],
                                    phases=[Phase(mi(2030, 1), mi(2020, 1), "逆")],  # end before start: skipped
                                    milestones=[Milestone(mi(1980, 1), "範囲外"), Milestone(mi(2032, 3), "期間の最後")])]),
    ])
    for plan in (Plan(), odd):
        out = tmp_path / "x.pdf"
        write_pdf(plan, out)
        assert out.stat().st_size > 1000
    sheet = layout_sheet(odd)
    depths = [row.depth for row in _all_rows(sheet) if row.kind == "initiative"]
    assert depths == [0, 1, 2]
    name_boxes = [row.texts[0] for row in _all_rows(sheet) if row.kind == "initiative"]
    assert name_boxes[2].rect.left() > name_boxes[1].rect.left() > name_boxes[0].rect.left()
    assert all(not row.bars for row in _all_rows(sheet) if row.kind == "initiative")


def test_narrow_paper_narrows_the_summary_before_scaling():
    plan = generated(3)
    wide = {c.key: c.width for c in layout_sheet(plan, PageSetup(paper="A3")).columns}
    narrow = {c.key: c.width for c in layout_sheet(plan, PageSetup(paper="A4", orientation="portrait")).columns}
    assert narrow["summary"] < wide["summary"]
    assert narrow["dept"] == wide["dept"]


def test_labels_beside_bars_never_overlap_in_a_lane():
    # short bars with long labels, a gap between them: at most one label uses the gap
    a = Phase(mi(2023, 4), mi(2023, 4), "要件定義と調達仕様の作成", PhaseKind.STUDY)
    b = Phase(mi(2024, 4), mi(2024, 4), "試行運用の開始と評価", PhaseKind.TRIAL)
    c = Phase(mi(2024, 6), mi(2024, 6), "本格運用への移行判断", PhaseKind.OPERATE)
    row = layout_sheet(_one_row_plan([a, b, c])).pages[0].initiative_rows[0]
    rects = [bar.label_rect for bar in row.bars if bar.label_rect is not None and not bar.label_inside]
    assert rects
    for i, r in enumerate(rects):
        for other in rects[i + 1:]:
            assert not r.intersects(other)
        for bar in row.bars:
            assert not r.intersects(bar.rect)


def test_more_lanes_than_a_page_holds_are_squeezed_into_the_row():
    phases = [Phase(mi(2023, 4), mi(2027, 3), f"工程{k}", PhaseKind.OPERATE) for k in range(60)]
    sheet = layout_sheet(_one_row_plan(phases), PageSetup(paper="A4", orientation="landscape"))
    row = sheet.pages[0].initiative_rows[0]
    assert row.height <= sheet.body_bottom - sheet.body_top
    assert len(row.bars) == 60
    tops = sorted(bar.rect.top() for bar in row.bars)
    assert tops == sorted(set(tops))  # still one lane each
    assert all(0 <= bar.rect.top() and bar.rect.bottom() <= row.height + 1e-6 for bar in row.bars)


def test_a_column_nobody_filled_is_left_out():
    plan = _one_row_plan([])
    plan.pillars[0].initiatives[0].summary = ""
    assert [c.title for c in layout_sheet(plan).columns] == ["取組内容", "関係部門"]
    plan.pillars[0].initiatives[0].departments = []
    assert [c.title for c in layout_sheet(plan).columns] == ["取組内容"]
