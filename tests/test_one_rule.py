"""Rules that screen, print and Excel share are one rule: the same answer everywhere.

The label colour on a bar (for a grid of bar colours) and the sheet's title must agree between
the timeline on screen, the PDF layout and the saved workbook.
"""

from __future__ import annotations

import itertools

import openpyxl
import pytest
from PySide6.QtGui import QColor

from dxroadmap.io.xlsx.export import write_workbook
from dxroadmap.model.colors import DARK_TEXT, LIGHT_TEXT, contrast_ratio, text_color_on
from dxroadmap.model.fiscal import month_index as m
from dxroadmap.model.plan import Initiative, Phase, PhaseKind, Pillar, Plan
from dxroadmap.model.titles import sheet_title
from dxroadmap.render.layout import layout_sheet
from dxroadmap.ui.timeline import style

LEVELS = ("00", "40", "80", "BF", "FF")
GRID = ["#" + "".join(rgb) for rgb in itertools.product(LEVELS, repeat=3)]  # 125 colours, pure red included


def colour_plan() -> Plan:
    inits = [Initiative(f"取組{i:03d}", phases=[Phase(m(2023, 4), m(2027, 3), "検討", PhaseKind.STUDY, colour)])
             for i, colour in enumerate(GRID)]
    return Plan(title="色の確認", organization="テスト町", start_fy=2023, end_fy=2027, pillars=[Pillar("柱", inits)])


def test_the_rule_picks_the_more_readable_text_colour():
    for colour in GRID:
        chosen = text_color_on(colour)
        other = DARK_TEXT if chosen == LIGHT_TEXT else LIGHT_TEXT
        assert contrast_ratio(colour, chosen) >= contrast_ratio(colour, other), colour
    assert text_color_on("#FF0000") == DARK_TEXT  # pure red: dark text reads better (5.3 vs 4.0)
    assert text_color_on("#1F3864") == LIGHT_TEXT and text_color_on("#FFD966") == DARK_TEXT


def test_screen_pdf_and_excel_agree_on_every_bar_colour(qapp, tmp_path):
    plan = colour_plan()
    expected = {colour: text_color_on(colour) for colour in GRID}

    screen = {colour: style.text_color_on(QColor(colour)).name().upper() for colour in GRID}
    assert screen == {c: t.upper() for c, t in expected.items()}

    layout = layout_sheet(plan)
    printed = {bar.color.upper(): bar.text_color.upper() for page in layout.pages for row in page.initiative_rows for bar in row.bars
               if bar.label_inside}
    assert len(printed) == len(GRID)
    assert printed == {c.upper(): t.upper() for c, t in expected.items()}

    path = tmp_path / "colours.xlsx"
    write_workbook(plan, path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    in_excel = {}
    for row in ws.iter_rows():
        for cell in row:
            fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
            if cell.value == "検討" and isinstance(fill, str):
                in_excel["#" + fill[-6:].upper()] = "#" + str(cell.font.color.rgb)[-6:].upper()
    assert in_excel == {c.upper(): t.upper() for c, t in expected.items()}


@pytest.mark.parametrize("title", ["松前町ＤＸ推進計画", "松前町ＤＸ推進計画 ロードマップ", "工程表", ""])
def test_pdf_and_workbook_print_the_same_title(qapp, tmp_path, title):
    plan = colour_plan()
    plan.title = title
    layout = layout_sheet(plan)
    path = tmp_path / "title.xlsx"
    write_workbook(plan, path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert layout.title == sheet_title(plan) == ws["A1"].value
