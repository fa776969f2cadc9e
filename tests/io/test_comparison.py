"""The 新旧対照表: `dxroadmap compare` (FILE#VERSION), .xlsx that LibreOffice prints, PDF text, JSON; versions kept in files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText
from PIL import Image

from dxroadmap.cli import main
from dxroadmap.formats import read_any
from dxroadmap.io.plan_json import plan_to_dict, write_plan_json
from dxroadmap.io.xlsx.comparison import SHEET_NAME, build_comparison_workbook
from dxroadmap.io.xlsx.export import write_workbook
from dxroadmap.model.versions import compare_plans, save_version, version_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "model"))
from test_versions import edit_four, small_plan  # noqa: E402

needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm") and shutil.which("pdftotext")),
                                  reason="LibreOffice (soffice) and poppler-utils are needed")
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils are needed")


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def versioned(tmp_path) -> Path:
    plan = small_plan()
    save_version(plan, "V1.0 当初計画", "2023-03-31")
    edit_four(plan)
    plan.pillars[0].initiatives[0].summary = "電子申請を全手続に広げる"
    save_version(plan, "V2.0", "2025-03-31")
    path = tmp_path / "plan.json"
    write_plan_json(plan, path)
    return path


def test_cli_compare_versions_prints_one_line_per_change_and_writes_json(versioned, tmp_path, capsys):
    out = tmp_path / "changes.json"
    assert main(["compare", f"{versioned}#V1.0 当初計画", f"{versioned}#V2.0", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5  # the four edits and the 概要
    assert any("窓口改革" in line and "窓口のデジタル化" in line for line in lines)
    changes = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(c["code"] for c in changes) == sorted(
        ["phase.moved", "initiative.renamed", "initiative.added", "initiative.removed", "initiative.field"])
    moved = next(c for c in changes if c["code"] == "phase.moved")
    assert moved["old"] == ["2024-04", "2025-03"] and moved["new"] == ["2024-10", "2025-09"]
    assert [c["text"] for c in changes] == lines


def test_cli_compare_of_a_plan_with_itself_is_empty(versioned, tmp_path, capsys):
    out = tmp_path / "same.json"
    assert main(["compare", str(versioned), str(versioned), str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text(encoding="utf-8")) == []


def test_cli_compare_refuses_an_unknown_version_and_a_bad_extension(versioned, tmp_path, capsys):
    assert main(["compare", f"{versioned}#V9", str(versioned), str(tmp_path / "x.json")]) == 3
    assert "V9" in capsys.readouterr().err
    assert main(["compare", str(versioned), str(versioned), str(tmp_path / "x.txt")]) == 2
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "x.txt").exists()


def test_versions_and_national_version_survive_the_workbook(tmp_path):
    plan = small_plan()
    plan.national_version = "2.0"
    save_version(plan, "V1.0", "2023-03-31")
    plan.pillars[0].initiatives[0].summary = "長い" * 9000  # a snapshot larger than one cell
    save_version(plan, "V2.0", "2024-03-31")
    write_workbook(plan, tmp_path / "plan.xlsx")
    back = read_any(tmp_path / "plan.xlsx").plan
    assert back.national_version == "2.0"
    assert [(v.name, v.saved) for v in back.versions] == [("V1.0", "2023-03-31"), ("V2.0", "2024-03-31")]
    for a, b in zip(back.versions, plan.versions):
        assert plan_to_dict(a.plan) == plan_to_dict(b.plan)


def test_two_workbooks_without_ids_match_by_name_and_name_the_unmatched(tmp_path, capsys):
    old, new = small_plan(ids=False), small_plan(ids=False)
    new.pillars[0].initiatives[1].name = "窓口のデジタル化"
    new.pillars[1].initiatives[0].phases[0].end += 3
    # two office workbooks as imported: the roadmap sheet only, no data sheet, so no ids
    for plan, name in ((old, "old.xlsx"), (new, "new.xlsx")):
        write_workbook(plan, tmp_path / name)
        wb = openpyxl.load_workbook(tmp_path / name)
        del wb["dxroadmap_data"]
        for row in wb.worksheets[0].iter_rows():  # and the hidden id column: an office's own sheet has none
            for cell in row:
                if isinstance(cell.value, str) and re.fullmatch(r"[gipm]-[0-9a-f]{6,}", cell.value):
                    cell.value = None
        wb.save(tmp_path / name)
    assert not any(i.id for i in read_any(tmp_path / "old.xlsx").plan.initiatives())
    out = tmp_path / "cmp.json"
    assert main(["compare", str(tmp_path / "old.xlsx"), str(tmp_path / "new.xlsx"), str(out)]) == 0
    captured = capsys.readouterr()
    assert "工程期間変更" in captured.out and "標準化" in captured.out
    assert "名前で照合" in captured.err and "窓口改革" in captured.err and "窓口のデジタル化" in captured.err
    codes = sorted(c["code"] for c in json.loads(out.read_text(encoding="utf-8")))
    assert codes == ["initiative.added", "initiative.removed", "phase.resized"]


def test_workbook_marks_the_changed_text_and_groups_by_pillar():
    plan = small_plan()
    save_version(plan, "V1.0", "2023-03-31")
    edit_four(plan)
    old = version_plan(plan, "V1.0")
    wb = build_comparison_workbook(compare_plans(old, plan, "V1.0", "現行"), title=plan.title, paper="A3")
    ws = wb[SHEET_NAME]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [str(v) for row in values for v in row if v is not None]
    assert "暮らし" in flat and "行政" in flat and "旧（V1.0）" in flat and "新（現行）" in flat
    renamed = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, CellRichText) and "デジタル化" in str(c.value))
    marked = [block for block in renamed.value if not isinstance(block, str) and block.font.u == "single"]
    assert marked and marked[0].font.b and "デジタル化" in marked[0].text
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 8  # A3
    assert ws.print_title_rows


@needs_office
@pytest.mark.slow
def test_libreoffice_prints_the_workbook_and_page_one_shows_the_table(versioned, tmp_path, capsys):
    out = tmp_path / "taisho.xlsx"
    assert main(["compare", f"{versioned}#V1.0 当初計画", f"{versioned}#V2.0", str(out)]) == 0
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "taisho.pdf"
    assert pdf.exists(), "LibreOffice could not open the .xlsx"
    text = _squash(subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout)
    for word in ("新旧対照表", "窓口改革", "窓口のデジタル化", "キャッシュレス決済", "AI議事録", "令和6年度下期"):
        assert word in text, word
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    png = next(tmp_path.glob("page*.png"))
    img = np.asarray(Image.open(png).convert("RGB"), dtype=int)
    assert img.shape[1] > img.shape[0]  # landscape
    dark_red = (img[:, :, 0] > 150) & (img[:, :, 1] < 80) & (img[:, :, 2] < 80)
    header_blue = (img[:, :, 2] > 90) & (img[:, :, 0] < 60)
    assert dark_red.sum() > 20 and header_blue.sum() > 500


@needs_poppler
def test_pdf_is_vector_text_with_the_names(versioned, tmp_path, qapp, capsys):
    out = tmp_path / "taisho.pdf"
    assert main(["compare", f"{versioned}#V1.0 当初計画", f"{versioned}#V2.0", str(out), "--paper", "A3"]) == 0
    text = _squash(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    for word in ("新旧対照表", "窓口改革", "窓口のデジタル化", "キャッシュレス決済", "議事録", "手続のオンライン化", "全手続に"):
        assert word in text, word
    assert not list(tmp_path.glob("*.tmp*"))


def test_pdf_of_an_empty_comparison_says_so(tmp_path, qapp):
    from dxroadmap.render.comparison import write_comparison_pdf

    plan = small_plan()
    write_comparison_pdf(compare_plans(plan, plan), tmp_path / "none.pdf")
    assert (tmp_path / "none.pdf").stat().st_size > 1000
