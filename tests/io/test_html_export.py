"""Accessible HTML export: table structure, bar texts, contrast, and axe-core in headless Chromium."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dxroadmap.cli import main
from dxroadmap.formats import read_any
from dxroadmap.io.html_export import MIN_CONTRAST, bar_text, html_document, span_text, write_html
from dxroadmap.model.colors import contrast_ratio, text_color_on
from dxroadmap.model.fiscal import month_index as m
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan
from dxroadmap.model.titles import sheet_title
from dxroadmap.model.wareki import format_fiscal_year
from tests.conftest import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))
AXE_JS = Path(os.environ.get("DXROADMAP_AXE", "/tmp/dxroadmap-axe/node_modules/axe-core/axe.min.js"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class _Page(HTMLParser):
    """Collects what the checks need: elements with attributes, and the text inside each kind."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.elements: list[tuple[str, dict]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag not in ("meta", "br", "link"):
            self.stack.append((tag, a))
            key = tag + ("." + a["class"].split()[0] if a.get("class") else "")
            self._open.append((key, []))
            if tag == "th":
                self._open.append((f"th[scope={a.get('scope')}]", []))

    def handle_endtag(self, tag):
        while self.stack:
            t, a = self.stack.pop()
            key, parts = self._open.pop()
            if t == "th":
                self.texts.setdefault(key, []).append("".join(parts).strip())
                key, parts = self._open.pop()
            self.texts.setdefault(key, []).append("".join(parts).strip())
            if t == tag:
                break

    def handle_data(self, data):
        for _, parts in self._open:
            parts.append(data)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def test_table_structure_names_and_bar_texts(sample, tmp_path):
    out = tmp_path / f"{sample.stem}.html"
    assert main(["convert", str(sample), str(out)]) == 0
    plan = read_any(sample).plan
    text = out.read_text(encoding="utf-8")
    page = _parse(text)
    tags = [t for t, _ in page.elements]
    html_attrs = next(a for t, a in page.elements if t == "html")
    assert html_attrs.get("lang") == "ja"
    assert "<script" not in text.lower() and "http://" not in text and "https://" not in text  # self-contained
    assert tags.count("table") == 1 and tags.count("caption") == 1
    assert sheet_title(plan) in page.texts["caption"][0]
    col_heads = page.texts["th[scope=col]"]
    for fy in range(plan.start_fy, plan.end_fy + 1):
        assert format_fiscal_year(fy) in col_heads
    assert all(a.get("scope") in ("col", "row", "rowgroup") for t, a in page.elements if t == "th")
    assert page.texts["th[scope=rowgroup]"] == [p.name for p in plan.pillars]
    assert tags.count("tbody") == len(plan.pillars)
    row_heads = page.texts["th[scope=row]"]
    assert row_heads == [i.name for _, i in plan.walk()]  # one row per initiative, in order
    bars = page.texts.get("li.bar", [])
    expected = []
    for _, init in plan.walk():
        for ph in init.phases:
            expected.append(bar_text(ph.start, ph.end, ph.label or ph.kind.label_ja))
    assert len(bars) == len(expected)
    for got, want in zip(sorted(bars), sorted(expected)):
        assert re.sub(r"\s+", " ", got).startswith(want)
    milestones = page.texts.get("li.milestone", [])
    assert len(milestones) == plan.counts()["milestones"]


def test_bar_text_reads_like_the_plan():
    assert bar_text(m(2023, 4), m(2025, 3), "検討") == "令和5年度4月〜令和6年度3月 検討"
    assert span_text(m(2024, 1), m(2024, 1)) == "令和5年度1月"  # January 2024 is in 令和5年度


def _contrast_pairs(text: str) -> list[tuple[str, str]]:
    return re.findall(r"background:(#[0-9A-Fa-f]{6});color:(#[0-9A-Fa-f]{6})", text)


def test_contrast_on_every_bar_colour_and_outlined_fallback():
    colours = ["#" + f"{r:02X}{g:02X}{b:02X}" for r in (0, 0x40, 0x80, 0xBF, 0xFF) for g in (0, 0x80, 0xFF) for b in (0, 0x80, 0xFF)]
    colours += ["#777777", "#808080", "#6B6B6B", "#FF0000", "#2E75B6"]
    inits = [Initiative(f"取組{i}", phases=[Phase(m(2023, 4), m(2024, 3), "検討", PhaseKind.STUDY, c)]) for i, c in enumerate(colours)]
    plan = Plan(title="色", pillars=[Pillar("柱", inits)])
    text = html_document(plan)
    pairs = _contrast_pairs(text)
    for bg, fg in pairs:
        assert fg == text_color_on(bg)  # the one rule
        assert contrast_ratio(bg, fg) >= MIN_CONTRAST
    outlined = re.findall(r'class="bar outlined" style="[^"]*border-color:(#[0-9A-Fa-f]{6})', text)
    assert len(pairs) + len(outlined) == len(colours)
    assert "#808080" in outlined  # mid grey reads under 4.5:1 with either text colour
    assert all(contrast_ratio(c, text_color_on(c)) < MIN_CONTRAST for c in outlined)


def test_escaping_and_out_of_period_phases(tmp_path):
    plan = Plan(title="<script>alert(1)</script>", organization="A&B町", start_fy=2023, end_fy=2024, pillars=[
        Pillar("柱<1>", [Initiative("取組 & <b>", phases=[Phase(m(2022, 4), m(2030, 3), "長い<工程>")],
                                    milestones=[Milestone(m(2023, 7), "開始"), Milestone(m(2040, 1), "範囲外")],
                                    children=[Initiative("子")])])])
    out = write_html(plan, tmp_path / "x.html")
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text
    page = _parse(text)
    assert page.texts["th[scope=row]"] == ["取組 & <b>", "子"]
    assert "計画期間外" in page.texts["li.bar"][0]
    assert len(page.texts["li.milestone"]) == 1
    assert "工程の記載なし" in text  # the sub-action without phases says so in words


def test_page_options_are_refused(tmp_path):
    out = tmp_path / "x.html"
    assert main(["convert", str(SAMPLE_FILES[0]), str(out), "--orientation", "portrait"]) == 2  # a usage error
    assert not out.exists()


# ---- axe-core in headless Chromium -------------------------------------------------------------

needs_browser = pytest.mark.skipif(not (CHROMIUM and AXE_JS.is_file()),
                                   reason="needs Debian's chromium and axe-core from npm (DXROADMAP_AXE=…/axe.min.js)")

_RUNNER = """<script>%s</script><script>
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(function (r) {
  var pre = document.createElement('pre'); pre.id = 'axe-results';
  function brief(v) { return {id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(' '); })}; }
  pre.textContent = JSON.stringify({violations: r.violations.map(brief), incomplete: r.incomplete.map(brief),
                                    passes: r.passes.map(function (v) { return v.id; })});
  document.body.appendChild(pre);
});</script>"""


def _chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                          capture_output=True, text=True, timeout=180)


def _axe(page: Path, tmp_path: Path, width: int = 1280) -> dict:
    probe = tmp_path / f"axe-{page.name}"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _RUNNER % AXE_JS.read_text() + "</body>"),
                     encoding="utf-8")
    done = _chromium(f"--user-data-dir={tmp_path / 'chromium'}", f"--window-size={width},900",
                     "--virtual-time-budget=60000", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="axe-results">(.*?)</pre>', done.stdout, re.S)
    assert found, f"axe-core did not finish: {done.stderr[-500:]}"
    return json.loads(html.unescape(found.group(1)))


@needs_browser
@pytest.mark.slow
@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def test_axe_finds_no_wcag21_aa_violations(sample, tmp_path):
    out = write_html(read_any(sample).plan, tmp_path / f"{sample.stem}.html")
    for width in (1280, 640):  # 640 CSS px is a 1280-pixel window at 200 % zoom
        result = _axe(out, tmp_path, width)
        assert result["violations"] == [], result["violations"]
        for must_pass in ("color-contrast", "html-has-lang", "td-headers-attr", "th-has-data-cells", "document-title"):
            assert must_pass in result["passes"]
        if width == 1280:
            assert not any(v["id"] == "color-contrast" for v in result["incomplete"]), result["incomplete"]


@needs_browser
@pytest.mark.slow
def test_screenshot_at_200_percent_shows_the_table(tmp_path):
    import numpy as np
    from PIL import Image

    out = write_html(read_any(SAMPLES / "matsumae.json").plan, tmp_path / "matsumae.html")
    shot = tmp_path / "shot.png"
    _chromium(f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=640,900", "--force-device-scale-factor=2",
              f"--screenshot={shot}", out.as_uri())
    img = np.asarray(Image.open(shot).convert("RGB"), dtype=int)
    assert img.shape[:2] == (1800, 1280)
    # the pillar band (#1F3864) and the bar colours of the sample are on screen
    def share(colour: str) -> float:
        target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        return float((np.abs(img - target).sum(axis=2) < 12).mean())

    assert share("#1F3864") > 0.01
    assert share("#2E75B6") > 0.002
