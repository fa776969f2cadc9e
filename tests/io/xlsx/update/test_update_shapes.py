"""``dxroadmap update`` into forms whose bars are drawn as autoshapes: shapes moved, resized, relabelled, copied, removed.

For the shared fixture s06, the LibreOffice-made shape workbooks and a generated one (written
as openpyxl + DrawingML, and the same converted by LibreOffice when it is installed):
import → move a bar, resize one, rename a bar's label, move and rename a milestone, add an
initiative with a bar and a milestone, remove one → update (no --force) → the visible form
alone re-imports to exactly the edited plan at the form's resolution, every other package
part is byte-identical, and the shapes that were not edited keep their XML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.io.xlsx.read.results import SheetOverrides
from dxroadmap.io.xlsx.read.workbook import WorkbookReader, import_workbook
from dxroadmap.io.xlsx.update.shapes import split_top_level
from dxroadmap.io.xlsx.update.writer import UpdateRefused, update_workbook
from dxroadmap.model.plan import Initiative, Milestone, Phase, Plan
from tests.io.xlsx.read.test_shape_layouts import ROW_EMU, anchor, build, col_x, connector, inject, marker, sp

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO.parent / "shared" / "fixtures"
LO = REPO / "tests" / "data" / "workbooks"
VISIBLE = {"\0": SheetOverrides()}
ALLOWED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
SOFFICE = shutil.which("soffice")


def _one_cell(x0: float, x1: float, y0: float, y1: float, body: str) -> str:
    return (f"<xdr:oneCellAnchor>{marker('from', x0, y0)}<xdr:ext cx=\"{col_x(x1) - col_x(x0)}\" "
            f"cy=\"{int((y1 - y0) * ROW_EMU)}\"/>{body}<xdr:clientData/></xdr:oneCellAnchor>")


def _generated(folder: Path) -> Path:
    """A quarter grid whose bars are shapes of several sorts: labelled shapes, a connector labelled by
    its cell, a bar labelled by a text box lying on it, a one-cell anchor, milestones (one labelled by a
    text box beside it), and a text box that is no bar."""
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
    ws.append(["電子決裁", "総務課", None, None, "試行"])
    ws.append(["窓口改革", "市民課"])
    ws.append(["ペーパーレス", "総務課"])
    ws.append(["オープンデータ", "企画課"])
    ws.append(["※ 図形は実施時期を示す。"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "generated_shapes.xlsx"
    wb.save(path)
    inject(path, [
        anchor(1.92, 5.9, 2.2, 2.8, sp("homePlate", "検討", "F8CBAD")),
        anchor(6.06, 14.08, 2.2, 2.8, sp("rightArrow", "本運用")),
        anchor(4.05, 7.95, 3.6, 3.6, connector()),
        anchor(2.04, 3.97, 4.2, 4.8, sp("rect", "", "FFE699")),
        anchor(2.3, 3.6, 4.25, 4.75, sp("rect", "準備", "FFFFFF", txbox=True)),
        _one_cell(3.97, 8.03, 4.2, 4.8, sp("chevron", "導入", "9BC2E6")),
        anchor(10.05, 10.3, 4.1, 4.9, sp("diamond", "開始", "FFC000")),
        anchor(6.0, 10.0, 5.2, 5.8, sp("rect", "展開", "9BC2E6")),
        anchor(10.1, 10.35, 5.1, 5.9, sp("diamond", "", "FFC000")),
        anchor(10.4, 12.0, 5.1, 5.9, sp("rect", "電子決裁", "FFFFFF", txbox=True)),
        anchor(2.0, 6.0, 6.2, 6.8, sp("rect", "公開", "9BC2E6")),
        anchor(9.0, 13.5, 3.1, 3.9, sp("rect", "説明の吹き出し", "FFFFFF", txbox=True)),
    ])
    return path


def _lo_converted(src: Path, folder: Path) -> Path:
    if not SOFFICE:
        pytest.skip("LibreOffice is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder), str(src)], check=True, capture_output=True,
                   timeout=180)
    return folder / src.name


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("shape-forms")
    out = {"s06_shapes_matsumae": FIXTURES / "s06_shapes_matsumae.xlsx",
           "lo_connectors_month": LO / "lo_connectors_month.xlsx",
           "lo_shapes_half": LO / "lo_shapes_half.xlsx",
           "generated": _generated(base / "gen")}
    return out


CASES = ["s06_shapes_matsumae", "lo_connectors_month", "lo_shapes_half", "generated", "generated_lo"]


def _source(workbooks: dict[str, Path], case: str, tmp_path: Path) -> Path:
    if case == "generated_lo":
        if case not in workbooks:   # converted once for the module
            workbooks[case] = _lo_converted(workbooks["generated"], workbooks["generated"].parent.parent / "lo")
        return workbooks[case]
    path = workbooks[case]
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def _edit(plan: Plan) -> Plan:
    """Move a bar, resize one, rename a bar's label, move and rename a milestone, add an initiative with a
    bar (and a milestone when the form draws milestones), remove the last initiative."""
    tops = [i for p in plan.pillars for i in p.initiatives]
    first, last = plan.first_month, plan.last_month
    with_bars = [i for i in tops if i.phases]
    moved = with_bars[0]
    p = moved.phases[0]
    moved.phases[0] = Phase(first + 12, first + 23, p.label, p.kind, p.color)
    resized = with_bars[1]
    q = max(resized.phases, key=lambda x: x.start)
    q.end = min(q.start + 5, last)
    labelled = [ph for i in with_bars[2:] + with_bars[:2] for ph in i.phases if ph.label]
    labels = bool(labelled)
    if labelled:
        labelled[0].label += "改"
    with_marks = [i for i in tops[:-1] if i.milestones]
    if with_marks:
        m = with_marks[0].milestones[0]
        m.month = m.month + 6 if m.month + 6 <= last else m.month - 6
        m.label = (m.label or "") + "改"
    new = Initiative(name="新規の取組", departments=["企画課"],
                     phases=[Phase(first + 12, first + 23, "新規" if labels else None)],
                     milestones=[Milestone(min(first + 18, last), "稼働")] if with_marks else [])
    plan.pillars[0].initiatives.insert(1, new)
    plan.pillars[-1].initiatives.pop()
    return plan


def _shape(plan: Plan, cols: list[tuple[int, int]]) -> list:
    def snap(a: int, b: int) -> tuple[int, int]:
        return next(s for s, e in cols if s <= a <= e), next(e for s, e in cols if s <= b <= e)

    return [(pillar.name, init.name, list(init.departments),
             sorted((*snap(p.start, p.end), p.label or "") for p in init.phases),
             sorted((snap(m.month, m.month)[0], m.label or "") for m in init.milestones))
            for pillar, init in plan.walk()]


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _drawing(members: dict[str, bytes]) -> str:
    name = next(n for n in members if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n))
    return members[name].decode("utf-8")


def _chunks(xml: str) -> list[str]:
    spans, _ = split_top_level(xml)
    return [xml[a:b] for a, b in spans]


def _masked(chunk: str) -> str:
    """An anchor with its rows (which move when rows are inserted above it) left out."""
    return re.sub(r"(<(?:\w+:)?row>)\d+(</(?:\w+:)?row>)", r"\1\2", re.sub(r'\by="\d+"', 'y=""', chunk))


def _update(src: Path, tmp_path: Path) -> tuple[Path, Plan]:
    plan = _edit(import_workbook(src).plan)
    out = tmp_path / f"{src.stem}.updated.xlsx"
    out.write_bytes(update_workbook(src, plan).data)
    return out, plan


@pytest.mark.parametrize("case", CASES)
def test_shapes_follow_the_edited_plan(workbooks, tmp_path, case):
    src = _source(workbooks, case, tmp_path)
    assert import_workbook(src).layout.endswith("shapes")
    out, plan = _update(src, tmp_path)
    # exact through the data sheet; the visible form alone at the form's resolution
    assert plan_to_dict(import_workbook(out).plan) == plan_to_dict(plan)
    det = WorkbookReader(src).detect(VISIBLE)
    cols = sorted({v for s in det.sheets for v in s.time_columns.values()})
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert _shape(visible, cols) == _shape(plan, cols)


@pytest.mark.parametrize("case", CASES)
def test_only_the_sheet_its_drawing_and_the_data_sheet_change(workbooks, tmp_path, case):
    src = _source(workbooks, case, tmp_path)
    out, _plan = _update(src, tmp_path)
    before, after = _members(src), _members(out)
    assert set(before) <= set(after) and len(after) == len(before) + 1
    changed = {n for n in before if after[n] != before[n]}
    assert changed - ALLOWED == {"xl/worksheets/sheet1.xml", next(n for n in before if "drawings/drawing" in n
                                                                  and n.endswith(".xml") and "_rels" not in n)}
    # every shape that was not edited keeps its XML (only its rows move down under inserted rows)
    old, new = _chunks(_drawing(before)), _chunks(_drawing(after))
    kept = Counter(_masked(c) for c in old) & Counter(_masked(c) for c in new)
    edited = sum(Counter(_masked(c) for c in old).values()) - sum(kept.values())
    assert edited <= 12, edited
    kinds = re.compile(r"<(?:\w+:)?(?:pic|graphicFrame)\b|txBox=\"1\"")
    labels = {x.label for _, i in import_workbook(src).plan.walk() for x in i.phases + i.milestones if x.label}
    for c in old:
        words = "".join(re.findall(r"<a:t>([^<]*)</a:t>", c))
        if kinds.search(c) and words not in labels:   # a picture, a chart, a text box that is not a bar's label
            assert kept[_masked(c)], c[:200]
    # copies keep the z-order (right after their model) and have ids of their own
    ids = [m for c in new for m in re.findall(r'<(?:\w+:)?cNvPr\b[^>]*\bid="(\d+)"', c)]
    old_ids = [m for c in old for m in re.findall(r'<(?:\w+:)?cNvPr\b[^>]*\bid="(\d+)"', c)]
    fresh = [i for i in ids if i not in old_ids]
    assert fresh and len(set(fresh)) == len(fresh)


def test_a_moved_bar_changes_only_its_anchor(tmp_path):
    src = FIXTURES / "s06_shapes_matsumae.xlsx"
    if not src.exists():
        pytest.skip(f"{src} is not available")
    plan = import_workbook(src).plan
    init = plan.pillars[0].initiatives[1]            # ＤＸコンシェルジュの育成: 検討 2023-04..2023-12
    init.phases[0].end = plan.first_month + 5        # → 2023-04..2023-09 (two quarters)
    init.phases[1].label = "制度の運用"
    out = tmp_path / "moved.xlsx"
    out.write_bytes(update_workbook(src, plan, data_sheet=False).data)
    old, new = _chunks(_drawing(_members(src))), _chunks(_drawing(_members(out)))
    assert len(old) == len(new)
    diff = [(a, b) for a, b in zip(old, new) if a != b]
    assert len(diff) == 2
    (a0, b0), (a1, b1) = diff
    # the resized bar: only its right edge (to col/colOff) and the width of its xfrm changed
    strip = re.compile(r"<xdr:to>.*?</xdr:to>|<a:ext [^>]*>")
    assert strip.sub("", a0) == strip.sub("", b0) and a0 != b0
    assert re.search(r"<a:off x=\"(\d+)\"", a0).group(1) == re.search(r"<a:off x=\"(\d+)\"", b0).group(1)
    # the relabelled bar: only its text
    assert a1.replace("<a:t>制度運用</a:t>", "<a:t>制度の運用</a:t>") == b1
    back = WorkbookReader(out).read(VISIBLE).plan.pillars[0].initiatives[1]
    assert [(p.start, p.end, p.label) for p in back.phases][:2] == \
        [(plan.first_month, plan.first_month + 5, "検討"), (init.phases[1].start, init.phases[1].end, "制度の運用")]


def test_a_bar_labelled_by_a_text_box_takes_its_box_along(workbooks, tmp_path):
    src = workbooks["generated"]
    plan = import_workbook(src).plan
    init = next(i for i in plan.initiatives() if i.name == "窓口改革")
    prep = next(p for p in init.phases if p.label == "準備")
    prep.start, prep.end = plan.first_month + 12, plan.first_month + 17   # R7 Q1..Q2
    out = tmp_path / "box.xlsx"
    out.write_bytes(update_workbook(src, plan, data_sheet=False).data)
    box = next(c for c in _chunks(_drawing(_members(out))) if "準備" in c)
    assert re.search(r"<xdr:from><xdr:col>(\d+)</xdr:col>", box).group(1) == "6"   # column G, R7 Q1
    back = next(i for i in WorkbookReader(out).read(VISIBLE).plan.initiatives() if i.name == "窓口改革")
    assert (plan.first_month + 12, plan.first_month + 17, "準備") in [(p.start, p.end, p.label) for p in back.phases]


def test_a_changed_bar_inside_a_group_is_refused(tmp_path):
    src = build(tmp_path)                  # 窓口改革's bars are two shapes in a group
    plan = import_workbook(src).plan
    init = next(i for i in plan.initiatives() if i.name == "窓口改革")
    init.phases[0].end = plan.first_month + 2
    with pytest.raises(UpdateRefused) as caught:
        update_workbook(src, plan)
    assert "group" in caught.value.en
    # the same bar left alone, another one moved: fine
    plan = import_workbook(src).plan
    app = next(i for i in plan.initiatives() if i.name == "防災アプリ")
    app.phases[0].end = plan.first_month + 5
    update_workbook(src, plan)


def _page_one(path: Path, tmp_path: Path, name: str):
    from PIL import Image

    folder = tmp_path / name
    folder.mkdir()
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(path)], check=True, capture_output=True,
                   timeout=180)
    pdf = next(folder.glob("*.pdf"))
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(folder / "p")], check=True,
                   timeout=60)
    return Image.open(next(folder.glob("p*.png"))).convert("L")


@pytest.mark.skipif(not (SOFFICE and shutil.which("pdftoppm")), reason="LibreOffice not installed")
def test_libreoffice_draws_the_moved_bar_in_its_new_place(tmp_path):
    import numpy as np

    src = FIXTURES / "s06_shapes_matsumae.xlsx"
    if not src.exists():
        pytest.skip(f"{src} is not available")
    plan = import_workbook(src).plan
    last = plan.pillars[-1].initiatives[-1]          # the bottom initiative: its last bar shortened to a year
    last.phases[-1].end = last.phases[-1].start + 11
    out = tmp_path / "updated.xlsx"
    out.write_bytes(update_workbook(src, plan).data)
    before = np.asarray(_page_one(src, tmp_path, "before"), dtype=int)
    after = np.asarray(_page_one(out, tmp_path, "after"), dtype=int)
    assert before.shape == after.shape
    changed = np.argwhere(np.abs(before - after) > 40)
    assert len(changed), "the bar did not move on the page"
    top, bottom = changed[:, 0].min(), changed[:, 0].max()
    left = changed[:, 1].min()
    assert bottom - top < before.shape[0] * 0.06      # one row band
    assert left > before.shape[1] * 0.4               # right of where the shortened bar now ends
    assert np.abs(before[:top] - after[:top]).max() <= 40


def test_an_unchanged_plan_leaves_the_drawing_alone(workbooks):
    for case in ("s06_shapes_matsumae", "lo_shapes_half", "generated"):
        src = workbooks[case]
        if not src.exists():
            continue
        result = update_workbook(src, import_workbook(src).plan)
        assert not [n for n in result.changed_parts if "drawings/" in n], case


def test_a_second_update_moves_the_copied_shapes_again(workbooks, tmp_path):
    src = workbooks["generated"]
    out, plan = _update(src, tmp_path)
    new = next(i for i in plan.initiatives() if i.name == "新規の取組")
    new.phases[0] = Phase(plan.first_month, plan.first_month + 2, "新規")   # R6 Q1 only
    new.milestones = []
    again = tmp_path / "again.xlsx"
    again.write_bytes(update_workbook(out, plan, data_sheet=False).data)
    det = WorkbookReader(src).detect(VISIBLE)
    cols = sorted({v for s in det.sheets for v in s.time_columns.values()})
    assert _shape(WorkbookReader(again).read(VISIBLE).plan, cols) == _shape(plan, cols)
    assert "稼働" not in _drawing(_members(again))


def test_split_top_level_skips_declarations_comments_and_quoted_brackets():
    xml = ('<?xml version="1.0"?><!-- a <comment> --><w:root xmlns:w="u"><w:a t="x>y"><w:b/></w:a>'
           '<!-- <w:c> --><w:c/><w:d><![CDATA[<w:e>]]></w:d></w:root>')
    spans, prefix = split_top_level(xml)
    assert prefix == "w:"
    assert [xml[a:b] for a, b in spans] == ['<w:a t="x>y"><w:b/></w:a>', "<w:c/>", "<w:d><![CDATA[<w:e>]]></w:d>"]


def test_text_is_changed_in_the_first_run_only():
    from dxroadmap.io.xlsx.update.shapes import ShapeCanvas

    body = ('<xdr:sp><xdr:txBody><a:bodyPr/><a:p><a:pPr algn="ctr"/><a:r><a:rPr sz="800"/><a:t>旧い</a:t></a:r>'
            '<a:br/><a:r><a:t>名前</a:t></a:r><a:endParaRPr/></a:p></xdr:txBody></xdr:sp>')
    assert ShapeCanvas._set_text(body, "新 & <改>") == (
        '<xdr:sp><xdr:txBody><a:bodyPr/><a:p><a:pPr algn="ctr"/><a:r><a:rPr sz="800"/><a:t>新 &amp; &lt;改&gt;</a:t>'
        '</a:r><a:endParaRPr/></a:p></xdr:txBody></xdr:sp>')
    assert "<a:r>" not in ShapeCanvas._set_text(body, None)
    empty = '<xdr:sp><xdr:txBody><a:bodyPr/><a:p><a:pPr/><a:endParaRPr lang="ja-JP"/></a:p></xdr:txBody></xdr:sp>'
    assert ShapeCanvas._set_text(empty, "検討") == (
        '<xdr:sp><xdr:txBody><a:bodyPr/><a:p><a:pPr/><a:r><a:t>検討</a:t></a:r><a:endParaRPr lang="ja-JP"/></a:p>'
        '</xdr:txBody></xdr:sp>')
    bare = "<xdr:sp><xdr:spPr/></xdr:sp>"
    assert "<a:t>検討</a:t>" in ShapeCanvas._set_text(bare, "検討")
    assert ShapeCanvas._set_text("<xdr:cxnSp><xdr:spPr/></xdr:cxnSp>", "検討") == "<xdr:cxnSp><xdr:spPr/></xdr:cxnSp>"


def test_locate_is_the_inverse_of_frac():
    from dxroadmap.io.xlsx.drawing.geometry import EmuAxis

    axis = EmuAxis(600000, {2: 0, 3: 1200000}, 100)
    for x in (0.0, 0.25, 1.5, 3.0, 3.75, 4.1):
        col, off = axis.locate(x)
        assert axis.frac(axis.emu(col, off)) == pytest.approx(x, abs=1e-5)
    assert axis.locate(3.5) == (3, 600000)
