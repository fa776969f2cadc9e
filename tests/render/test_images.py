"""PNG and SVG export: pixel size at the chosen resolution, one file per page, real text in SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QColor, QImage

from dxroadmap.render.export import page_paths, write_png, write_svg
from dxroadmap.render.page_setup import PageSetup

from .plans import generated


def test_png_has_the_pixel_size_of_the_paper_at_the_chosen_dpi(tmp_path, matsumae_plan):
    out = tmp_path / "roadmap.png"
    assert write_png(matsumae_plan, out, paper="A3", orientation="landscape", dpi=100) == [out]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1654, 1169)  # 420 × 297 mm at 100 dpi
    assert round(image.dotsPerMeterX() * 0.0254) == 100
    # something was drawn: the header band is dark blue, the bottom-right corner is paper white
    assert image.pixelColor(image.width() - 3, image.height() - 3) == QColor("#FFFFFF")
    dark = sum(1 for x in range(0, image.width(), 10) for y in range(0, 300, 10)
               if image.pixelColor(x, y).lightness() < 100)
    assert dark > 50


def test_png_portrait_a4_at_other_dpi(tmp_path):
    out = tmp_path / "a4.png"
    write_png(generated(3), out, paper="A4", orientation="portrait", dpi=72)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (595, 842)


def test_several_pages_become_numbered_images(tmp_path):
    plan = generated(8, pillars=3)
    out = tmp_path / "plan.png"
    written = write_png(plan, out, setup=PageSetup(pillar_per_page=True), dpi=40)
    assert [p.name for p in written] == ["plan-1.png", "plan-2.png", "plan-3.png"]
    assert written == page_paths(out, 3)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan-1.png", "plan-2.png", "plan-3.png"]


def test_svg_is_xml_with_the_text(tmp_path, matsumae_plan):
    out = tmp_path / "roadmap.svg"
    assert write_svg(matsumae_plan, out) == [out]
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = "".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    for initiative in matsumae_plan.initiatives():
        assert "".join(initiative.name.split())[:8] in text, initiative.name
    assert "令和5年度" in text
    assert "mm" in root.get("width", "") or float(root.get("width", "0").rstrip("px")) > 0


def test_bad_dpi_is_refused(tmp_path):
    with pytest.raises(ValueError):
        write_png(generated(1), tmp_path / "x.png", dpi=5)
    assert list(tmp_path.iterdir()) == []


def test_huge_image_is_refused_with_a_reason(tmp_path):
    from dxroadmap.io.errors import PlanWriteError

    with pytest.raises(PlanWriteError) as info:
        write_png(generated(1), tmp_path / "x.png", paper="A3", dpi=1200)
    assert "dpi or less" in info.value.message("en")
    assert list(tmp_path.iterdir()) == []
