"""PowerPoint export: every sample converts, reads back with python-pptx, and renders in LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from dxroadmap.cli import main
from dxroadmap.formats import read_any, write_any
from dxroadmap.io.pptx_export import BAR_NAME_PREFIX, DEFAULT_FONT, slide_plan, text_width_em, write_pptx
from dxroadmap.model.colors import text_color_on
from dxroadmap.model.fiscal import month_index as m
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan
from dxroadmap.model.titles import sheet_title
from tests.conftest import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))
BAR_RE = re.compile(rf"^{BAR_NAME_PREFIX}(\d{{4}}) ")
A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _texts(slide) -> list[str]:
    return ["".join(p.text for p in shape.text_frame.paragraphs) for shape in slide.shapes if shape.has_text_frame]


def _texts_all(slide) -> list[str]:
    return ["".join(p.text for p in sh.text_frame.paragraphs) if sh.has_text_frame else "" for sh in slide.shapes]


def _bars(prs) -> list[tuple[int, object, object]]:
    found = []
    for slide in prs.slides:
        for shape in slide.shapes:
            match = BAR_RE.match(shape.name)
            if match:
                found.append((int(match.group(1)), shape, slide))
    return found


@pytest.fixture(scope="module", params=SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def converted(request, tmp_path_factory):
    plan = read_any(request.param).plan
    out = tmp_path_factory.mktemp("pptx") / f"{request.param.stem}.pptx"
    assert main(["convert", str(request.param), str(out)]) == 0
    return plan, out


def test_every_initiative_name_is_on_exactly_one_slide(converted):
    plan, out = converted
    prs = Presentation(str(out))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 16:9
    per_slide = [[t for sh, t in zip(s.shapes, _texts_all(s)) if sh.name.startswith("取組 ")] for s in prs.slides]
    for _, init in plan.walk():
        hits = [i for i, texts in enumerate(per_slide) if any(t.removeprefix("└ ") == init.name for t in texts)]
        assert len(hits) == 1, (init.name, hits)
    assert len(prs.slides) == len(slide_plan(plan))


def test_one_bar_shape_per_phase_in_its_colour(converted):
    plan, out = converted
    prs = Presentation(str(out))
    phases = [ph for _, init in plan.walk() for ph in init.phases]
    bars = _bars(prs)
    assert sorted(n for n, _, _ in bars) == list(range(len(phases)))  # each phase once, none twice
    for n, shape, _ in bars:
        ph = phases[n]
        assert str(shape.fill.fore_color.rgb) == ph.display_color.lstrip("#").upper()
        text = shape.text_frame.text
        if text:  # the label inside the bar takes the one rule's colour
            for para in shape.text_frame.paragraphs:
                for run in para.runs:
                    assert str(run.font.color.rgb) == text_color_on(ph.display_color).lstrip("#").upper()
        label = ph.label or ph.kind.label_ja
        assert shape.name.endswith(label)


def test_header_pillars_and_japanese_font(converted):
    plan, out = converted
    prs = Presentation(str(out))
    first = _texts(prs.slides[0])
    assert "令和5年度" in first or plan.start_fy != 2023
    assert any(t.startswith(plan.pillars[0].name) for t in first)
    assert sheet_title(plan) in first
    runs = [r for s in prs.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        ea = run._r.rPr.find(f"{A_NS}ea")
        assert ea is not None and ea.get("typeface") == DEFAULT_FONT


def _plan_with_overlaps() -> Plan:
    inits = []
    for i in range(30):
        phases = [Phase(m(2023, 4), m(2024, 3), "検討", PhaseKind.STUDY),
                  Phase(m(2023, 10), m(2024, 3), "とても長いラベルの準備工程です", PhaseKind.PREPARE),
                  Phase(m(2026, 4), m(2028, 3), "運用", PhaseKind.OPERATE)]
        children = [Initiative(f"子{i}-{k}", phases=[Phase(m(2024, 4), m(2024, 6), "実証", PhaseKind.TRIAL)]) for k in range(i % 3)]
        inits.append(Initiative(f"取組{i:02d}", phases=phases, children=children,
                                milestones=[Milestone(m(2025, 4), "開始")]))
    return Plan(title="テスト計画", organization="テスト町", pillars=[Pillar("柱A", inits[:20]), Pillar("柱B", inits[20:])])


def test_pagination_keeps_initiatives_whole():
    plan = _plan_with_overlaps()
    by_pillar = slide_plan(plan)
    by_rows = slide_plan(plan, paginate="rows", rows_per_slide=7)
    for slides in (by_pillar, by_rows):
        names = [n for s in slides for n in s]
        assert names == [i.name for _, i in plan.walk()]  # every row once, in order
        for slide in slides:  # a parent and its sub-actions stay together
            for init in plan.initiatives():
                if init.name in slide and init.children:
                    assert all(c.name in slide for c in init.children)
    assert all(len(s) <= 7 for s in by_rows)
    assert len(by_pillar) >= 2
    first_b = next(i for i, s in enumerate(by_pillar) if "取組20" in s)
    assert by_pillar[first_b][0] == "取組20"  # by pillar: 柱B starts its own slide


def test_title_slide_overlaps_and_outside_labels(tmp_path):
    plan = _plan_with_overlaps()
    out = write_pptx(plan, tmp_path / "t.pptx", title_slide=True)
    prs = Presentation(str(out))
    assert sheet_title(plan) in _texts(prs.slides[0])
    assert not any(BAR_RE.match(sh.name) for sh in prs.slides[0].shapes)
    bars = _bars(prs)
    assert len(bars) == plan.counts()["phases"]
    # overlapping bars of one initiative sit in different lanes, never on top of each other
    for slide in prs.slides:
        shapes = [sh for n, sh, s in bars if s is slide]
        for a in shapes:
            for b in shapes:
                if a is not b and a.top == b.top:
                    assert a.left + a.width <= b.left or b.left + b.width <= a.left
    # a label too long for its bar is beside it, in dark text
    long_labels = [sh for sh in prs.slides[1].shapes if sh.name.startswith(f"{BAR_NAME_PREFIX}ラベル")]
    assert long_labels and all("準備" in sh.text_frame.text for sh in long_labels)


def test_page_options_are_refused(tmp_path):
    out = tmp_path / "x.pptx"
    assert main(["convert", str(SAMPLE_FILES[0]), str(out), "--paper", "A4"]) == 2  # a usage error
    assert not out.exists()
    plan = read_any(SAMPLE_FILES[0]).plan
    write_any(plan, out)
    assert out.stat().st_size > 0


def test_text_width_counts_full_width_as_one_em():
    assert text_width_em("令和") == 2.0
    assert text_width_em("ＤＸ") == 2.0
    assert text_width_em("DX") == pytest.approx(1.1)


# ---- LibreOffice opens it and page 1 shows the roadmap ---------------------------------------

needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm") and shutil.which("pdftotext")),
                                  reason="LibreOffice (soffice) and poppler-utils are needed")


def _coloured_pixels(img: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels in ``box`` that are clearly coloured or dark (not white, not light grey grid)."""
    px = np.asarray(img.crop(box), dtype=int)
    spread = px.max(axis=2) - px.min(axis=2)
    return int(((spread > 40) | (px.max(axis=2) < 200)).sum())


def _to_pdf(pptx: Path, folder: Path) -> Path:
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(folder), str(pptx)], check=True, capture_output=True, timeout=180)
    return folder / f"{pptx.stem}.pdf"


@pytest.fixture(scope="module")
def impress(tmp_path_factory) -> None:
    """Skips unless LibreOffice can open a plain python-pptx deck (Debian: libreoffice-impress-nogui)."""
    folder = tmp_path_factory.mktemp("impress")
    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_textbox(0, 0, 914400, 914400).text_frame.text = "試験"
    prs.save(str(folder / "plain.pptx"))
    if not _to_pdf(folder / "plain.pptx", folder).exists():
        pytest.skip("LibreOffice has no Impress here (install libreoffice-impress-nogui)")


@needs_office
@pytest.mark.slow
def test_libreoffice_renders_page_one(converted, impress, tmp_path):
    plan, out = converted
    pdf = _to_pdf(out, tmp_path)
    assert pdf.exists(), "LibreOffice could not open the .pptx"
    prs = Presentation(str(out))
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(rf"Pages:\s+{len(prs.slides)}\b", pages)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    squashed = re.sub(r"\s+", "", text)
    for name in slide_plan(plan)[0]:
        assert name.replace(" ", "").replace("\u3000", "") in squashed, name
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "p1")],
                   check=True, timeout=120)
    img = Image.open(tmp_path / "p1.png").convert("RGB")
    sx, sy = img.width / prs.slide_width, img.height / prs.slide_height
    bars = [sh for n, sh, s in _bars(prs) if s is prs.slides[0]]
    # the timeline area: right of the name column, below the header
    area = (int(sx * 3.7 * 914400), int(sy * 1.1 * 914400), img.width - 5, int(img.height * 0.9))
    inked = _coloured_pixels(img, area)
    bar_px = sum(sh.width * sx * sh.height * sy for sh in bars)
    if bars:
        assert inked >= 0.6 * bar_px > 0, (inked, bar_px)
    # the pillar band and the header are drawn whatever the plan holds
    band = (int(sx * 0.4 * 914400), int(sy * 1.12 * 914400), int(sx * 3.0 * 914400), int(sy * 1.35 * 914400))
    assert _coloured_pixels(img, band) > 0.5 * (band[2] - band[0]) * (band[3] - band[1])


def test_lxml_from_python_pptx_leaves_openpyxl_as_it_was(tmp_path):
    """python-pptx installs lxml; openpyxl must still parse with defusedxml and write the same XML."""
    import os
    import sys

    code = ("import dxroadmap.io.pptx_export, openpyxl, io, zipfile\n"
            "from dxroadmap.formats import write_any, read_any\n"
            f"write_any(read_any({str(SAMPLE_FILES[0])!r}).plan, {str(tmp_path / 'b.xlsx')!r})\n"
            "print(openpyxl.LXML, b'<dc:creator>dxroadmap</dc:creator>' in "
            f"zipfile.ZipFile({str(tmp_path / 'b.xlsx')!r}).read('docProps/core.xml'))\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    env["PYTHONPATH"] = str(SAMPLES.parent)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.stdout.split() == ["False", "True"], done.stderr


def test_unlabelled_bars_say_what_they_say_on_screen_and_in_print(tmp_path):
    """A bar without a label shows its kind (検討); an その他 bar without one shows nothing, as the timeline and PDF do."""
    from dxroadmap.model.colors import bar_text

    study = Phase(m(2023, 4), m(2024, 3), None, PhaseKind.STUDY)
    other = Phase(m(2024, 4), m(2026, 3), None, PhaseKind.CUSTOM)
    plan = Plan(title="t", start_fy=2023, end_fy=2027, pillars=[Pillar("p", [Initiative("a", phases=[study, other])])])
    out = write_pptx(plan, tmp_path / "bars.pptx")
    bars = sorted(_bars(Presentation(str(out))), key=lambda b: b[0])
    assert [b[1].text_frame.text for b in bars] == [bar_text(study), bar_text(other)] == ["検討", ""]
