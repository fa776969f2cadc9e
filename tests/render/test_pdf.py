"""PDF export: 松前町's roadmap on A3 landscape, as vectors, with Japanese text and fonts embedded."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from dxroadmap.render.export import write_pdf
from dxroadmap.render.page_setup import PageSetup

from .conftest import pdf_info, pdf_text, poppler, squash
from .plans import generated

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def matsumae_pdf(tmp_path, matsumae_plan):
    out = tmp_path / "matsumae.pdf"
    assert write_pdf(matsumae_plan, out, paper="A3", orientation="landscape", today=TODAY) == [out]
    return out


def test_a3_landscape_page_size_and_metadata(matsumae_pdf, matsumae_plan):
    info = pdf_info(matsumae_pdf)
    assert info["Page size"].startswith("1191 x 842 pts")  # 420 × 297 mm
    assert info["Title"].startswith(matsumae_plan.title) and "ロードマップ" in info["Title"]
    assert info["Creator"] == "dxroadmap"
    assert info["Author"] == matsumae_plan.organization


def test_text_has_every_initiative_the_years_and_the_print_date(matsumae_pdf, matsumae_plan):
    text = squash(pdf_text(matsumae_pdf))
    for initiative in matsumae_plan.initiatives():
        assert squash(initiative.name) in text, initiative.name
    for department in {d for i in matsumae_plan.initiatives() for d in i.departments}:
        assert department in text  # 部門 as written, not the radical ⾨
    for year in ("令和5年度", "令和9年度", "（2023）"):
        assert year in text
    assert "令和8年11月21日" in text
    assert "取組内容" in text and "概要" in text and "関係部門" in text
    for pillar in matsumae_plan.pillars:
        assert squash(pillar.name) in text
    for label in ("検討", "実証実験", "本運用", "制度開始"):
        assert label in text
    assert "1 / 1" in pdf_text(matsumae_pdf)


def test_vector_only_and_fonts_embedded(matsumae_pdf):
    images = subprocess.run([poppler("pdfimages"), "-list", str(matsumae_pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    assert len(images) == 2, images  # the two header lines and no image
    lines = subprocess.run([poppler("pdffonts"), str(matsumae_pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    header, dashes, rows = lines[0], lines[1], lines[2:]
    spans, start = [], 0
    for part in dashes.split(" "):  # columns are as wide as their dashes
        spans.append((start, start + len(part)))
        start += len(part) + 1
    names = [header[a:b].strip() for a, b in spans]
    assert rows, "no fonts in the PDF"
    for row in rows:
        cells = dict(zip(names, (row[a:b].strip() for a, b in spans)))
        assert cells["emb"] == "yes", row
        assert cells["uni"] == "yes", row
        assert "CJK" in cells["name"] or "JP" in cells["name"] or "Gothic" in cells["name"], row


@pytest.mark.parametrize("paper,orientation,size", [
    ("A4", "portrait", "595 x 842"), ("B4", "landscape", "1032 x 729"), ("B4", "portrait", "729 x 1032"),
])
def test_paper_sizes(tmp_path, matsumae_plan, paper, orientation, size):
    out = tmp_path / "x.pdf"
    write_pdf(matsumae_plan, out, paper=paper, orientation=orientation)
    assert pdf_info(out)["Page size"].startswith(size)  # B4 is JIS 257 × 364 mm, not ISO 250 × 353


def test_every_page_repeats_header_and_current_pillar(tmp_path):
    plan = generated(90, pillars=2)
    out = tmp_path / "long.pdf"
    write_pdf(plan, out, setup=PageSetup(paper="A4", orientation="landscape"))
    pages = int(pdf_info(out)["Pages"])
    assert pages >= 3
    seen = set()
    for k in range(1, pages + 1):
        text = pdf_text(out, k)
        assert "取組内容" in text and "令和5年度" in text and "令和9年度" in text, k
        assert f"{k}/{pages}" in squash(text)
        first_line_of_body = [line for line in text.splitlines() if line.startswith("基本方針")][0]
        assert first_line_of_body.startswith("基本方針"), k  # each page opens with a pillar band
        if k > 1 and "（続き）" in first_line_of_body:
            seen.add(k)
        seen_names = [i.name for i in plan.initiatives() if squash(i.name) in squash(text)]
        assert seen_names, k
    assert seen, "no page continued a pillar with a （続き） band"


def test_bad_path_leaves_nothing(tmp_path, matsumae_plan):
    with pytest.raises(OSError):
        write_pdf(matsumae_plan, tmp_path / "missing-folder" / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_failed_export_keeps_previous_file(tmp_path, matsumae_plan, monkeypatch):
    out = tmp_path / "x.pdf"
    out.write_bytes(b"previous")
    import dxroadmap.render.export as export

    def boom(*args, **kwargs):
        raise RuntimeError("paint failed")

    monkeypatch.setattr(export, "paint_page", boom)
    with pytest.raises(RuntimeError):
        write_pdf(matsumae_plan, out)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_printing_follows_the_printers_paper(tmp_path, matsumae_plan):
    from PySide6.QtPrintSupport import QPrinter

    from dxroadmap.render.export import paint_sheet

    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setPageLayout(PageSetup(paper="A4", orientation="portrait").page_layout())
    pages = paint_sheet(printer, matsumae_plan, PageSetup(paper="A3", orientation="landscape"))
    info = pdf_info(out)
    assert info["Page size"].startswith("595 x 842")  # the printer's A4 portrait wins
    assert int(info["Pages"]) == pages
    text = squash(pdf_text(out))
    assert all(squash(i.name) in text for i in matsumae_plan.initiatives())
