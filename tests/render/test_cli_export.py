"""`dxroadmap convert` to .pdf/.png/.svg end to end, in a fresh process without a display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from dxroadmap.io.plan_json import write_plan_json

from .conftest import pdf_info, pdf_text, squash

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["DXROADMAP_LANG"] = "en"
    return subprocess.run([sys.executable, "-m", "dxroadmap.cli", "convert", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_convert_json_to_pdf_png_svg(tmp_path, matsumae_plan):
    src = tmp_path / "matsumae.json"
    write_plan_json(matsumae_plan, src)
    pdf, png, svg = tmp_path / "out.pdf", tmp_path / "out.png", tmp_path / "out.svg"
    result = _run(str(src), str(pdf), "--paper", "A3", "--orientation", "landscape")
    assert result.returncode == 0, result.stderr
    assert pdf_info(pdf)["Page size"].startswith("1191 x 842")
    text = squash(pdf_text(pdf))
    assert "令和5年度" in text
    assert all(squash(i.name) in text for i in matsumae_plan.initiatives())
    result = _run(str(src), str(png), "--dpi", "60", "--paper", "A4")
    assert result.returncode == 0, result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (702, 496)  # A4 landscape at 60 dpi
    result = _run(str(src), str(svg), "--paper", "b4")
    assert result.returncode == 0, result.stderr
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_bad_input_leaves_no_output(tmp_path):
    src = tmp_path / "broken.json"
    src.write_text("{not json", encoding="utf-8")
    for name in ("out.pdf", "out.png", "out.svg"):
        result = _run(str(src), str(tmp_path / name))
        assert result.returncode == 3, result.stderr
        assert "Traceback" not in result.stderr and result.stderr.strip()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json"]
