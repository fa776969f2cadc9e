"""The 進捗状況一覧: rows and counts, the .xlsx (opened by LibreOffice, printed landscape), the PDF's text, the CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from dxroadmap.cli import main
from dxroadmap.io.plan_json import read_plan_json
from dxroadmap.io.xlsx.progress_report import SHEET_NAME, build_progress_workbook, write_progress_report
from dxroadmap.model.plan import Initiative, Pillar, Plan
from dxroadmap.model.progress import REPORT_COLUMNS, Baseline, Kpi, ProgressEntry, progress_report

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
NAMES = ("abashiri", "matsumae", "matsuura", "mori", "kahoku")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(autouse=True)
def _gui_app(qapp):
    """pytest-qt's QApplication: a QGuiApplication made by the PDF writer would break later widget tests."""
    return qapp


@pytest.fixture(scope="module")
def abashiri() -> Plan:
    return read_plan_json(SAMPLES / "abashiri.json")


def small_plan() -> Plan:
    online = Initiative("行政手続のオンライン化", departments=["デジタル推進課", "総務課"],
                        progress={2024: ProgressEntry("in-progress", "B", "子育て関連20手続をオンライン化",
                                                      "令和7年度は税関係へ拡大", "2025-05")},
                        kpis=[Kpi("オンライン申請が可能な手続の割合", "%", Baseline(2022, 12), {2027: 100},
                                  {2023: 25, 2024: 40}),
                              Kpi("窓口の待ち時間", "分", Baseline(2022, 30), {2027: 10}, {2024: 20})])
    late = Initiative("庁内ペーパーレス化", progress={2024: ProgressEntry("delayed", "C")},
                      children=[Initiative("電子決裁の導入", progress={2024: ProgressEntry("suspended", "D")})])
    return Plan(title="テスト町DX推進計画", organization="テスト町", start_fy=2023, end_fy=2027,
                pillars=[Pillar("行政のDX", [online, late]), Pillar("暮らしのDX", [Initiative("見守り")])])


# ------------------------------------------------------------------ rows and counts


def test_rows_hold_kpis_achievement_grade_and_direction():
    report = progress_report(small_plan(), 2024)
    assert report.fiscal_year == 2024 and "令和6年度" in report.title
    rows = report.sections[0].rows
    first, second = rows[0].cells, rows[1].cells
    assert dict(zip(REPORT_COLUMNS, first)) == {
        "取組名": "行政手続のオンライン化", "担当課": "デジタル推進課、総務課", "指標": "オンライン申請が可能な手続の割合",
        "基準値": "12%（R4）", "目標値": "100%（R9）", "実績値": "40%",
        "達成状況": "○ 実施中\n達成率 40%\n子育て関連20手続をオンライン化", "評価": "B 計画どおり",
        "今後の方向性": "令和7年度は税関係へ拡大"}
    assert second[0] == "" and second[2] == "窓口の待ち時間" and "達成率 50%" in second[6]  # lower is better
    assert rows[0].rows_of_initiative == 2 and not rows[1].first
    assert [r.depth for r in rows] == [0, 0, 0, 1]
    assert rows[3].cells[6] == "× 休止" and rows[3].grade == "D"
    counts = report.counts
    assert counts["status"]["in-progress"] == 1 and counts["status"]["delayed"] == 1
    assert counts["status"]["suspended"] == 1 and counts["status"]["none"] == 1
    assert counts["grade"]["B"] == 1 and counts["grade"]["none"] == 1
    assert report.initiative_names == ["行政手続のオンライン化", "庁内ペーパーレス化", "電子決裁の導入", "見守り"]


def test_default_year_is_the_latest_with_progress_else_the_first():
    assert progress_report(small_plan()).fiscal_year == 2024
    assert progress_report(Plan(start_fy=2023, pillars=[Pillar("p", [Initiative("a")])])).fiscal_year == 2023


# ------------------------------------------------------------------ samples' first year


@pytest.mark.parametrize("name", NAMES)
def test_every_sample_initiative_has_a_first_year_and_none_is_marked_done(name):
    plan = read_plan_json(SAMPLES / f"{name}.json")
    for _, init in plan.walk():
        assert set(init.progress) == {plan.start_fy}, init.name
        assert init.progress[plan.start_fy].status != "done", init.name
    assert progress_report(plan).counts["status"]["none"] == 0


def test_samples_carry_the_seed_facts_and_baselines():
    matsumae = read_plan_json(SAMPLES / "matsumae.json")
    card = next(i for i in matsumae.initiatives() if i.name == "マイナンバーカードの普及・活用促進")
    assert card.kpis[0].baseline == Baseline(2022, 58) and card.kpis[0].unit == "%"
    assert "58％" in card.progress[2023].actual
    abashiri = read_plan_json(SAMPLES / "abashiri.json")
    v1 = next(i for i in abashiri.initiatives() if i.name == "推進計画策定")
    assert "V1.0" in v1.progress[2021].actual and v1.progress[2021].grade == "B"


# ------------------------------------------------------------------ the workbook


def test_workbook_layout_and_print_setup(abashiri):
    ws = build_progress_workbook(abashiri, paper="A3")[SHEET_NAME]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 8
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "取組名")
    assert [ws.cell(header, k).value for k in range(1, 10)] == list(REPORT_COLUMNS)
    assert ws.print_title_rows == f"${header}:${header}"
    names = [ws.cell(r, 1).value for r in range(header + 1, ws.max_row + 1)]
    for pillar in abashiri.pillars:
        assert pillar.name in names
    assert [n for n in names if n] == [x for p in abashiri.pillars for x in
                                       [p.name, *[i.name for i in p.walk()]]]
    assert "未記入" in [ws.cell(r, k).value for r in range(3, header) for k in range(1, 10)]
    with pytest.raises(ValueError):
        build_progress_workbook(abashiri, paper="B4")


def test_multi_kpi_initiative_cells_are_merged(tmp_path):
    path = tmp_path / "r.xlsx"
    write_progress_report(small_plan(), path, 2024, paper="A4")
    ws = openpyxl.load_workbook(path)[SHEET_NAME]
    assert ws.page_setup.paperSize == 9
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "行政手続のオンライン化")
    assert f"A{row}:A{row + 1}" in {str(m) for m in ws.merged_cells.ranges}
    assert ws.cell(row + 1, 3).value == "窓口の待ち時間"


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm") and shutil.which("pdfinfo")),
                    reason="LibreOffice / poppler not installed")
def test_abashiri_workbook_opens_in_libreoffice_and_prints_landscape(abashiri, tmp_path):
    xlsx = tmp_path / "abashiri-progress.xlsx"
    write_progress_report(abashiri, xlsx)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(xlsx)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "abashiri-progress.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(w), round(h)) in {(842, 595), (1191, 842)}  # A4 or A3, landscape
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 2 <= pages <= 15
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    png = next(tmp_path.glob("page*.png"))
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert image.width() > image.height()
    # not blank: a good share of the page is ink (grid, header band, text)
    dark = sum(1 for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)
               if image.pixelColor(x, y).lightness() < 200)
    assert dark > 0.02 * (image.width() // 3) * (image.height() // 3)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "進捗状況一覧" in text and "取組名" in text


# ------------------------------------------------------------------ the PDF and the command line


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler not installed")
@pytest.mark.parametrize("paper, size", [("A4", (842, 595)), ("A3", (1191, 842))])
def test_pdf_has_every_initiative_name_as_text(abashiri, tmp_path, paper, size):
    pdf = tmp_path / "r.pdf"
    assert main(["report", "progress", str(SAMPLES / "abashiri.json"), str(pdf), "--paper", paper]) == 0
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(w), round(h)) == size
    raw = _key(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout)
    missing = [i.name for i in abashiri.initiatives() if _key(i.name) not in raw]
    assert missing == []
    assert "進捗状況一覧" in raw and "令和3年度" in raw


def test_cli_report_refuses_bad_output_and_unreadable_input(tmp_path, capsys):
    assert main(["report", "progress", str(SAMPLES / "mori.json"), str(tmp_path / "r.csv")]) == 2
    assert main(["report", "progress", str(tmp_path / "none.json"), str(tmp_path / "r.xlsx")]) == 3
    assert main(["report", "progress", str(SAMPLES / "mori.json"), str(tmp_path / "r.xlsx"), "--fy", "99"]) == 2
    assert not list(tmp_path.iterdir())
    assert "Traceback" not in capsys.readouterr().err
    assert main(["report", "progress", str(SAMPLES / "mori.json"), str(tmp_path / "r.xlsx"), "--fy", "2023"]) == 0
    assert openpyxl.load_workbook(tmp_path / "r.xlsx")[SHEET_NAME]["A1"].value.endswith("（令和5年度（2023））")
