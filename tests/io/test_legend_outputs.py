"""Issue #13: an imported workbook's 凡例 lists each colour once in every output (xlsx, PDF layout, pptx, html),
and the workbook's own legend words survive the saved workbook's data sheet."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

from dxroadmap.io.html_export import write_html
from dxroadmap.io.pptx_export import write_pptx
from dxroadmap.io.xlsx.export import write_workbook
from dxroadmap.io.xlsx.read.workbook import import_workbook
from dxroadmap.model.legend import legend_entries
from dxroadmap.render.layout import layout_sheet

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
pytestmark = pytest.mark.skipif(not (FIXTURES / "s03_quarter_mori.xlsx").is_file(), reason="../shared/fixtures is absent")


@pytest.fixture(scope="module")
def mori():
    return import_workbook(FIXTURES / "s03_quarter_mori.xlsx").plan


def _xlsx_legend(path: Path) -> list[tuple[str, str]]:
    """(word, fill) of the saved roadmap sheet's legend cells: the 凡例 label's row and the next."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    where = [(c.row, c.column) for row in ws.iter_rows() for c in row if c.value == "凡例"]
    assert len(where) == 1
    r, c = where[0]
    out = []
    for row in (r, r + 1):
        for col in range(c + 1, ws.max_column + 1):
            cell = ws.cell(row, col)
            if cell.value and cell.fill.fill_type == "solid":
                out.append((cell.value, cell.fill.fgColor.rgb[-6:]))
    return out


def test_mori_legend_lists_each_colour_and_word_once(mori):
    entries = legend_entries(mori)
    colours = [e.color for e in entries]
    words = [e.label for e in entries]
    assert len(colours) == len(set(colours)) and len(words) == len(set(words))
    used = {(p.color or "").upper() for i in mori.initiatives() for p in i.phases}
    assert set(colours) <= used
    assert "その他" not in words  # no colour is named by the kind of its unlabelled bars alone


def test_mori_saved_workbook_legend(mori, tmp_path):
    path = tmp_path / "mori.xlsx"
    write_workbook(mori, path)
    cells = _xlsx_legend(path)
    assert cells == [(e.label, e.color[1:]) for e in legend_entries(mori)]
    assert len({fill for _, fill in cells}) == len(cells) and len({w for w, _ in cells}) == len(cells)


def test_mori_pdf_layout_legend(mori, qapp):
    legend = layout_sheet(mori).legend
    phase = [(e.color.upper(), e.label) for e in legend if e.kind == "phase"]
    assert phase == [(e.color, e.label) for e in legend_entries(mori)]
    assert [e.label for e in legend if e.kind == "title"] == ["凡例"]


def test_mori_slides_and_web_page_legend(mori, tmp_path):
    expected = [e.label for e in legend_entries(mori)]
    write_pptx(mori, tmp_path / "mori.pptx")
    slide = Presentation(str(tmp_path / "mori.pptx")).slides[1]
    swatches = [s.name[3:] for s in slide.shapes if s.name.startswith("凡例 ")]
    assert swatches == expected
    html = write_html(mori, tmp_path / "mori.html").read_text(encoding="utf-8")
    block = html.split('<ul class="legend"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"</span>([^<]+)</li>", block) == expected


def test_the_workbook_legend_survives_saving_and_reopening(tmp_path):
    imported = import_workbook(FIXTURES / "s01_yearfill_matsumae.xlsx").plan
    assert [w for _, w in imported.legend] == ["検討・準備", "構築・実証", "運用・実施"]
    path = tmp_path / "matsumae.xlsx"
    write_workbook(imported, path)
    assert [w for w, _ in _xlsx_legend(path)] == ["検討・準備", "構築・実証", "運用・実施"]
    reopened = import_workbook(path)
    assert reopened.layout == "datasheet"
    assert reopened.plan.legend == imported.legend
