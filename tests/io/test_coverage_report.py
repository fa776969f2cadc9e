"""`dxroadmap report coverage`: every national item of the plan's version with the initiatives serving it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from dxroadmap.cli import main
from dxroadmap.io.plan_json import read_plan_json, write_plan_json
from dxroadmap.io.xlsx.coverage_report import SHEET_NAME, build_coverage_workbook
from dxroadmap.model.national import (
    UNCOVERED,
    coverage,
    coverage_report,
    is_mark,
    items_in_text,
    version_of,
)
from dxroadmap.model.plan import Initiative, Pillar, Plan

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.json"))
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils are needed")


def _squash(text: str) -> str:
    return "".join(text.split())


def _table(ws) -> list[list[str]]:
    return [[str(c.value) if c.value is not None else "" for c in row] for row in ws.iter_rows(min_row=5)]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_lists_every_item_of_its_version_with_its_initiatives(path):
    plan = read_plan_json(path)
    catalogue = version_of(plan.national_version)
    rows, _ = coverage(plan, catalogue.version)
    ws = build_coverage_workbook(plan)[SHEET_NAME]
    table = [r for r in _table(ws) if r[0].isdigit()]
    assert [r[2] for r in table] == [item.name for item in catalogue.items]
    for cells, row in zip(table, rows):
        for init in row.initiatives:
            assert init.name in cells[3]
        assert cells[4] == str(len(row.initiatives))
        assert (cells[5] == UNCOVERED) == (not row.initiatives)
    assert any(r[5] == UNCOVERED for r in table) == any(not r.covered for r in rows)


def test_the_plans_national_version_decides_the_items():
    plan = Plan(title="町", pillars=[Pillar("柱", [Initiative("電子申請", priority_items=["行政手続のオンライン化"])])])
    plan.national_version = "1.0"
    report = coverage_report(plan)
    assert report.version.label == "第1.0版" and "公金収納におけるeLTAXの活用" not in [r.item.name for r in report.rows]
    assert report.rows[2].item.name == "行政手続のオンライン化" and report.rows[2].covered
    plan.national_version = ""
    report = coverage_report(plan)
    assert report.version.label == "第2.3版"
    assert [r.item.name for r in report.rows if r.covered] == ["自治体フロントヤード改革の推進"]
    assert "公金収納におけるeLTAXの活用" in [i.name for i in report.uncovered]


@needs_poppler
def test_cli_writes_xlsx_and_pdf_and_the_pdf_names_items_and_initiatives(tmp_path, qapp):
    plan = read_plan_json(SAMPLES[0])
    src = tmp_path / "plan.json"
    write_plan_json(plan, src)
    assert main(["report", "coverage", str(src), str(tmp_path / "cov.xlsx")]) == 0
    assert main(["report", "coverage", str(src), str(tmp_path / "cov.pdf"), "--paper", "A3"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "cov.xlsx")
    assert wb[SHEET_NAME].page_setup.orientation == "landscape"
    text = _squash(subprocess.run(["pdftotext", str(tmp_path / "cov.pdf"), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    report = coverage_report(plan)
    for row in report.rows:
        assert _squash(row.item.name) in text, row.item.name
    served = [i for row in report.rows for i in row.initiatives]
    assert _squash(served[0].name) in text
    assert (UNCOVERED in text) == bool(report.uncovered)
    assert main(["report", "coverage", str(src), str(tmp_path / "cov.txt")]) == 2


@pytest.mark.parametrize("text, version, expected", [
    ("【重点取組事項】行政手続のオンライン化、AI・RPAの利用推進", "2.3",
     ["自治体フロントヤード改革の推進", "自治体のAI・RPAの利用推進"]),
    ("重点取組事項：④テレワークの推進 ／ セキュリティ対策の徹底", None, ["テレワークの推進", "セキュリティ対策の徹底"]),
    ("マイナンバーカードの普及促進・利用の推進", "2.3", ["マイナンバーカードの普及促進・利用の推進"]),
    ("公金収納におけるeLTAXの活用", "1.0", []),  # not an item of 第1.0版
    ("情報システムの標準化・共通化、標準化", "2.3", ["自治体の情報システムの標準化・共通化"]),
    ("", "2.3", []),
])
def test_items_in_text(text, version, expected):
    assert [i.name for i in items_in_text(text, version)] == expected


def test_is_mark():
    assert all(is_mark(t) for t in ("○", "◯", "〇", "●", "◎", "レ", "✓", " ○ ", 1))
    assert not any(is_mark(t) for t in ("", "－", "×", "×予定なし", None, 0, True))


def test_cli_refuses_a_national_version_it_does_not_know(tmp_path, capsys):
    plan = read_plan_json(SAMPLES[0])
    plan.national_version = "9.9"
    write_plan_json(plan, tmp_path / "plan.json")
    assert main(["report", "coverage", str(tmp_path / "plan.json"), str(tmp_path / "cov.xlsx")]) == 3
    assert "9.9" in capsys.readouterr().err and not (tmp_path / "cov.xlsx").exists()
