"""A workbook's own 凡例 block is read (colour → word), kept out of the bars, and names the legend.

The workbooks are generated in the ways offices draw a legend: a swatch with the word right of it,
the word in the coloured cell itself, a vertical list under 【凡例】, a legend beside the table,
theme colours, and swatches drawn as shapes; each written by openpyxl and by xlsxwriter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dxroadmap.io.xlsx.read.results import Notice
from dxroadmap.io.xlsx.read.workbook import import_workbook
from dxroadmap.model.legend import legend_entries
from dxroadmap.model.plan import PhaseKind
from tests.generators.sheets import WRITERS, Fill, SheetSpec, save_book
from tests.io.xlsx.read.test_shape_layouts import anchor, inject, sp

STUDY, BUILD, RUN = "F8CBAD", "FFE699", "9BC2E6"
WORDS = {STUDY: "検討・準備", BUILD: "構築・実証", RUN: "運用・実施"}
LEGEND = [("#" + c, w) for c, w in WORDS.items()]


def roadmap(title: str = "ロードマップ") -> SheetSpec:
    """Three initiatives over 令和5〜9年度 (columns C..G), bars whose labels do not say their kind."""
    s = SheetSpec(title)
    s.put(1, 1, "取組")
    s.put(1, 2, "担当課")
    for k in range(5):
        s.put(1, 3 + k, f"令和{5 + k}年度")
    rows = [("窓口のデジタル化", "市民課", [(3, 3, STUDY, "ヒアリング"), (4, 5, BUILD, "システム構築"), (6, 7, RUN, "本格運用")]),
            ("電子申請の拡大", "総務課", [(3, 4, STUDY, "要件整理"), (5, 7, RUN, "対象拡大")]),
            ("オープンデータ", "企画課", [(3, 3, BUILD, "サイト作成"), (4, 7, RUN, None)])]
    for r, (name, dept, bars) in enumerate(rows, start=2):
        s.put(r, 1, name)
        s.put(r, 2, dept)
        for c0, c1, color, label in bars:
            s.merge(r, c0, r, c1, label, Fill(rgb=color))
    s.put(6, 1, "出典：テスト町ＤＸ推進計画")
    return s


def swatch_right(s: SheetSpec) -> None:
    s.put(8, 1, "凡例")
    for k, (color, word) in enumerate(WORDS.items()):
        s.fills[(8, 3 + 2 * k)] = Fill(rgb=color)
        s.put(8, 4 + 2 * k, word)


def word_in_cell(s: SheetSpec) -> None:
    s.put(8, 1, "【凡例】")
    for k, (color, word) in enumerate(WORDS.items()):
        s.merge(8, 3 + k, 8, 3 + k, word, Fill(rgb=color))


def vertical(s: SheetSpec) -> None:
    s.put(8, 2, "【凡例】")
    for k, (color, word) in enumerate(WORDS.items()):
        s.fills[(9 + k, 3)] = Fill(rgb=color)
        s.put(9 + k, 4, word)


def beside_table(s: SheetSpec) -> None:
    s.put(1, 9, "■凡例")
    for k, (color, word) in enumerate(WORDS.items()):
        s.fills[(2 + k, 9)] = Fill(rgb=color)
        s.put(2 + k, 10, word)


def merged_swatches(s: SheetSpec) -> None:
    s.put(8, 1, "凡例：")
    for k, (color, word) in enumerate(WORDS.items()):
        s.merge(9, 3 + 2 * k, 9, 3 + 2 * k, None, Fill(rgb=color))
        s.merge(9, 4 + 2 * k, 9, 4 + 2 * k, f"■{word}")


SHAPES = {"swatch_right": (swatch_right, "A8:H8"), "word_in_cell": (word_in_cell, "A8:E8"),
          "vertical": (vertical, "B8:D11"), "beside_table": (beside_table, "I1:J4"),
          "merged_swatches": (merged_swatches, "A8:H9")}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_legend_block_is_read_in_every_shape(tmp_path: Path, shape: str, writer: str) -> None:
    s = roadmap()
    draw, ref = SHAPES[shape]
    draw(s)
    result = import_workbook(save_book([s], tmp_path / f"{shape}.xlsx", writer))
    plan = result.plan
    # the block is not taken for bars or initiatives
    assert [i.name for i in plan.initiatives()] == ["窓口のデジタル化", "電子申請の拡大", "オープンデータ"]
    assert [len(i.phases) for i in plan.initiatives()] == [3, 2, 2]
    assert plan.legend == LEGEND
    assert [(e.color, e.label) for e in legend_entries(plan)] == LEGEND
    # the phases take the kind their colour's word names
    kinds = {(p.color or "").upper(): p.kind for i in plan.initiatives() for p in i.phases}
    assert kinds == {"#" + STUDY: PhaseKind.STUDY, "#" + BUILD: PhaseKind.TRIAL, "#" + RUN: PhaseKind.OPERATE}
    notices = [w for w in result.warnings if isinstance(w, Notice) and w.code == "legend-read"]
    assert [n.params for n in notices] == [{"sheet": "ロードマップ", "range": ref, "count": 3}]
    assert f"凡例 read at {ref} (3 colours)" in str(notices[0])
    assert any(d.role == "legend" for d in result.report) or shape == "beside_table"


@pytest.mark.parametrize("writer", WRITERS)
def test_theme_colour_legend_matches_theme_bars(tmp_path: Path, writer: str) -> None:
    s = SheetSpec("工程表")
    s.put(1, 1, "取組")
    for k in range(4):
        s.put(1, 2 + k, f"令和{6 + k}年度")
    s.put(2, 1, "窓口改革")
    s.merge(2, 2, 2, 3, "調査", Fill(theme=5, shade=2))
    s.merge(2, 4, 2, 5, "全庁展開", Fill(theme=8, shade=1))
    s.put(3, 1, "庁内ネットワーク")
    s.merge(3, 2, 3, 5, None, Fill(theme=8, shade=1))
    s.put(5, 1, "【凡例】")
    s.fills[(5, 2)] = Fill(theme=5, shade=2)
    s.put(5, 3, "計画・設計")
    s.fills[(5, 4)] = Fill(theme=8, shade=1)
    s.put(5, 5, "運用")
    plan = import_workbook(save_book([s], tmp_path / "theme.xlsx", writer)).plan
    assert [w for _, w in plan.legend] == ["計画・設計", "運用"]
    assert [e.label for e in legend_entries(plan)] == ["計画・設計", "運用"]
    assert len(plan.initiatives()) == 2


def test_a_header_row_under_a_legend_title_is_not_legend(tmp_path: Path) -> None:
    """A 凡例 above the table's grey headings: the headings (one colour, year words) end the block."""
    s = roadmap()
    # move the table down two rows, with grey headings, and put the legend at the top right
    moved = SheetSpec("ロードマップ")
    for (r, c), v in s.values.items():
        moved.put(r + 2, c, v)
    for (r, c), f in s.fills.items():
        moved.fills[(r + 2, c)] = f
    moved.merges = [(r1 + 2, c1, r2 + 2, c2) for r1, c1, r2, c2 in s.merges]
    for c in range(1, 8):
        moved.fills[(3, c)] = Fill(rgb="D9D9D9")
    moved.put(1, 1, "テスト町ＤＸ推進計画")
    moved.put(2, 4, "凡例")
    for k, (color, word) in enumerate(WORDS.items()):
        moved.merge(2, 5 + k, 2, 5 + k, word, Fill(rgb=color))
    plan = import_workbook(save_book([moved], tmp_path / "top.xlsx", "openpyxl")).plan
    assert plan.legend == LEGEND
    assert len(plan.initiatives()) == 3


def test_no_legend_block_leaves_the_plan_without_one(tmp_path: Path) -> None:
    result = import_workbook(save_book([roadmap()], tmp_path / "none.xlsx", "openpyxl"))
    assert result.plan.legend == []
    assert not [w for w in result.warnings if isinstance(w, Notice) and w.code == "legend-read"]
    # one entry per colour, named from the bars' kinds (no invented words)
    labels = [e.label for e in legend_entries(result.plan)]
    assert len(labels) == len(set(labels)) == 3


def _shape_sheet(tmp_path: Path, title_as_textbox: bool) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 12
    for k in range(12):
        ws.column_dimensions[openpyxl.utils.get_column_letter(3 + k)].width = 10
    ws.append(["取組", "担当"] + [y if q == 0 else None for y in ("R6", "R7", "R8") for q in range(4)])
    for k in range(3):
        ws.merge_cells(start_row=1, start_column=3 + 4 * k, end_row=1, end_column=6 + 4 * k)
    ws.append([None, None] + [f"Q{q}" for _ in range(3) for q in (1, 2, 3, 4)])
    ws.append(["防災アプリ", "防災課"])
    ws.append(["電子決裁", "総務課"])
    ws.append([])
    if not title_as_textbox:
        ws.append(["凡例", None, None, None, "運用・実施"])  # row 6: the word of the second swatch in E6
    path = tmp_path / "shapes.xlsx"
    wb.save(path)
    anchors = [
        anchor(1.92, 5.9, 2.2, 2.8, sp("homePlate", "調査", STUDY)),
        anchor(6.06, 14.08, 2.2, 2.8, sp("rightArrow", "本格展開", RUN)),
        anchor(2.05, 9.95, 3.2, 3.8, sp("rect", "", RUN)),
        # the legend: two swatch rectangles on row 6 (0-based 5)
        anchor(2.1, 2.9, 5.2, 5.8, sp("rect", "検討・準備", STUDY)),   # the word in the shape itself
        anchor(3.1, 3.9, 5.2, 5.8, sp("rect", "", RUN)),             # the word in the cell right of it (E6)
    ]
    if title_as_textbox:
        anchors[-1] = anchor(3.1, 3.9, 5.2, 5.8, sp("rect", "", RUN))
        anchors.append(anchor(4.0, 5.5, 5.1, 5.9, sp("rect", "運用・実施", "FFFFFF", txbox=True)))
        anchors.append(anchor(0.2, 0.9, 5.1, 5.9, sp("rect", "【凡例】", "FFFFFF", txbox=True)))
    inject(path, anchors)
    return path


@pytest.mark.parametrize("title_as_textbox", [False, True])
def test_legend_drawn_with_shapes(tmp_path: Path, title_as_textbox: bool) -> None:
    result = import_workbook(_shape_sheet(tmp_path, title_as_textbox))
    plan = result.plan
    assert [i.name for i in plan.initiatives()] == ["防災アプリ", "電子決裁"]
    assert [len(i.phases) for i in plan.initiatives()] == [2, 1]  # the swatches are not bars
    assert plan.legend == [("#" + STUDY, "検討・準備"), ("#" + RUN, "運用・実施")]
    assert [e.label for e in legend_entries(plan)] == ["検討・準備", "運用・実施"]
    notices = [w for w in result.warnings if isinstance(w, Notice) and w.code == "legend-read"]
    assert [n.params for n in notices] == [{"sheet": "Sheet", "range": "A6:F6" if title_as_textbox else "A6:E6", "count": 2}]
    assert not result.unplaced()  # the swatches were not taken for nameless bars
    assert not any("row 6" in str(w) for w in result.warnings)
