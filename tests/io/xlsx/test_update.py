"""``dxroadmap update``: a plan written into the office's own workbook, changing only the roadmap.

For every shared fixture layout that can be written into and every LibreOffice-made workbook:
import → move a bar, resize one, rename an initiative, add one with a bar, remove one →
update → the re-import (through the data sheet) is exactly the edited plan, the visible form
alone re-imports to it at the form's resolution, every other package part is byte-identical,
and the roadmap sheet's rows outside the roadmap keep their cells (values and styles).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from dxroadmap.cli import main
from dxroadmap.io.plan_json import plan_to_dict, write_plan_json
from dxroadmap.io.xlsx.read.results import SheetOverrides
from dxroadmap.io.xlsx.read.workbook import WorkbookReader, import_workbook
from dxroadmap.io.xlsx.update.layout import find_slots
from dxroadmap.io.xlsx.update.sheetxml import SheetXml
from dxroadmap.io.xlsx.update.writer import UpdateRefused, update_workbook
from dxroadmap.model.plan import Initiative, Milestone, Phase, Plan

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO.parent / "shared" / "fixtures"
LO = REPO / "tests" / "data" / "workbooks"
CELL_CASES = ["s01_yearfill_matsumae", "s02_yearfill_matsuura_sheets", "s03_quarter_mori", "s04_month_matsumae",
              "s07_list_kahoku"]
LO_CELLS = ["lo_half_merged", "lo_month_children", "lo_sheets_text", "lo_western_year"]
SHAPES = ["s06_shapes_matsumae", "lo_connectors_month", "lo_shapes_half"]
VISIBLE = {"\0": SheetOverrides()}
ALLOWED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}


def _path(case: str) -> Path:
    p = (LO if case.startswith("lo_") else FIXTURES) / f"{case}.xlsx"
    if not p.exists():
        pytest.skip(f"{p} is not available")
    return p


def _edit(plan: Plan) -> Plan:
    """Move a bar, resize one, rename an initiative, add one with a bar, remove one."""
    tops = [i for p in plan.pillars for i in p.initiatives]
    with_bars = [i for i in tops if i.phases and not i.milestones]
    first = plan.first_month
    if len(with_bars) >= 2:
        moved = with_bars[0]
        moved.phases = [Phase(first + 12, first + 23, moved.phases[0].label, moved.phases[0].kind,
                              moved.phases[0].color)]
        resized = with_bars[1]
        last = max(resized.phases, key=lambda p: p.start)
        last.end = last.start + 5
    tops[1].name = tops[1].name + "（改）"
    has_timeline = any(i.phases for i in tops)
    new = Initiative(name="新規の取組", departments=["企画課"],
                     phases=[Phase(first + 12, first + 23)] if has_timeline else [])
    plan.pillars[0].initiatives.insert(1, new)
    plan.pillars[-1].initiatives.pop()
    return plan


def _update(tmp_path: Path, case: str, **kw) -> tuple[Path, Path, Plan]:
    src = _path(case)
    plan = _edit(import_workbook(src).plan)
    out = tmp_path / f"{case}.updated{src.suffix}"
    out.write_bytes(update_workbook(src, plan, **kw).data)
    return src, out, plan


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _roadmap_parts(path: Path) -> set[str]:
    from dxroadmap.io.xlsx.package.parts import workbook_sheets

    det = WorkbookReader(path).detect(VISIBLE)
    titles = {s.sheet for s in find_slots(det)} | {"dxroadmap_data"}
    with zipfile.ZipFile(path) as zf:
        return {s.part for s in workbook_sheets(zf) if s.title in titles}


def _shape(plan: Plan, cols=None, labels=True) -> list:
    out = []
    for pillar, init in plan.walk():
        phases = []
        for p in init.phases:
            a, b = p.start, p.end
            if cols:
                a = next(s for s, e in cols if s <= a <= e)
                b = next(e for s, e in cols if s <= b <= e)
            phases.append((a, b, p.label if labels else None))
        out.append((pillar.name, init.name, list(init.departments), sorted(phases),
                    sorted((m.month, m.label) for m in init.milestones)))
    return out


def _rows_outside(path: Path, sheet_part: str, slot_rows: set[int]) -> list[list[str]]:
    with zipfile.ZipFile(path) as zf:
        sheet = SheetXml(zf.read(sheet_part).decode("utf-8"))
    out = []
    for r in sheet.order:
        if r in slot_rows:
            continue
        out.append([re.sub(r'\sr="[A-Z]+\d+"', "", sheet.rows[r].cells[c]) for c in sorted(sheet.rows[r].cells)])
    return out


def _is_subsequence(small: list, big: list) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


@pytest.mark.parametrize("case", CELL_CASES + LO_CELLS)
def test_update_gives_back_the_edited_plan(tmp_path, case):
    src, out, plan = _update(tmp_path, case)
    # exact through the data sheet
    back = import_workbook(out)
    assert back.layout == "datasheet"
    assert plan_to_dict(back.plan) == plan_to_dict(plan)
    # the visible form alone: the same plan at the form's resolution
    det = WorkbookReader(src).detect(VISIBLE)
    cols = sorted({v for s in det.sheets for v in s.time_columns.values()})
    labels = any(p.label for _, i in det.result.plan.walk() for p in i.phases)
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert _shape(visible, cols, labels) == _shape(plan, cols, labels)


@pytest.mark.parametrize("case", CELL_CASES + LO_CELLS)
def test_update_changes_only_the_roadmap(tmp_path, case):
    src, out, _plan = _update(tmp_path, case)
    before, after = _members(src), _members(out)
    edited = _roadmap_parts(out)
    assert set(before) <= set(after) and len(after) == len(before) + 1
    for name, data in before.items():
        if name not in edited and name not in ALLOWED:
            assert after[name] == data, name
    # the rows outside the roadmap keep their cells, values and styles alike
    old_det, new_det = WorkbookReader(src).detect(VISIBLE), WorkbookReader(out).detect(VISIBLE)
    from dxroadmap.io.xlsx.package.parts import workbook_sheets

    with zipfile.ZipFile(src) as zf:
        parts = {s.title: s.part for s in workbook_sheets(zf)}
    for title in {s.sheet for s in find_slots(old_det)}:
        old_rows = {r for s in find_slots(old_det) if s.sheet == title for r in s.rows}
        new_rows = {r for s in find_slots(new_det) if s.sheet == title for r in s.rows}
        kept = _rows_outside(src, parts[title], old_rows)
        assert _is_subsequence(kept, _rows_outside(out, parts[title], new_rows)), title


def test_untouched_plan_changes_no_sheet(tmp_path):
    src = _path("s03_quarter_mori")
    result = update_workbook(src, import_workbook(src).plan)
    assert "xl/worksheets/sheet1.xml" not in result.changed_parts
    assert result.summary == []


def test_second_update_replaces_the_data_sheet(tmp_path):
    src, out, plan = _update(tmp_path, "s04_month_matsumae")
    plan.pillars[0].initiatives[0].name = "二度目の変更"
    again = tmp_path / "again.xlsx"
    again.write_bytes(update_workbook(out, plan).data)
    assert len(_members(again)) == len(_members(out))
    assert plan_to_dict(import_workbook(again).plan) == plan_to_dict(plan)


def test_exact_months_of_a_quarter_grid_come_back_through_the_data_sheet(tmp_path):
    src = _path("s03_quarter_mori")
    plan = import_workbook(src).plan
    init = plan.pillars[0].initiatives[0]
    init.phases = [Phase(plan.first_month + 1, plan.first_month + 7, None)]  # May..Nov: not on quarter edges
    init.kpi, init.notes = "申請率 50%", "備考"
    out = tmp_path / "q.xlsx"
    out.write_bytes(update_workbook(src, plan).data)
    back = import_workbook(out).plan.pillars[0].initiatives[0]
    assert (back.phases[0].start, back.phases[0].end, back.kpi, back.notes) == \
        (plan.first_month + 1, plan.first_month + 7, "申請率 50%", "備考")
    visible = WorkbookReader(out).read(VISIBLE).plan.pillars[0].initiatives[0]
    assert (visible.phases[0].start, visible.phases[0].end) == (plan.first_month, plan.first_month + 8)


def test_an_edit_of_the_sheet_in_excel_wins_over_the_data_sheet(tmp_path):
    src, out, plan = _update(tmp_path, "s01_yearfill_matsumae")
    members = _members(out)
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        "新規の取組".encode(), "表で直した取組".encode())
    edited = tmp_path / "edited.xlsx"
    with zipfile.ZipFile(edited, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    names = [i.name for _, i in import_workbook(edited).plan.walk()]
    assert "表で直した取組" in names and "新規の取組" not in names


def test_a_bar_outside_the_forms_years_is_refused_unless_forced(tmp_path):
    src = _path("s01_yearfill_matsumae")
    plan = import_workbook(src).plan
    init = plan.pillars[0].initiatives[0]
    init.phases.append(Phase(plan.last_month + 13, plan.last_month + 24, None))
    with pytest.raises(UpdateRefused) as caught:
        update_workbook(src, plan)
    assert "outside the form's years" in caught.value.en
    forced = update_workbook(src, plan, force=True)
    assert forced.issues
    out = tmp_path / "forced.xlsx"
    out.write_bytes(forced.data)
    assert plan_to_dict(import_workbook(out).plan) == plan_to_dict(plan)


def test_a_label_in_a_form_without_labels_is_refused(tmp_path):
    src = _path("s03_quarter_mori")
    plan = import_workbook(src).plan
    for _, init in plan.walk():
        for phase in init.phases:
            phase.label = None
    unlabelled = tmp_path / "unlabelled.xlsx"
    unlabelled.write_bytes(update_workbook(src, plan, data_sheet=False).data)
    plan.pillars[0].initiatives[0].phases[0].label = "実証実験"
    with pytest.raises(UpdateRefused) as caught:
        update_workbook(unlabelled, plan)
    assert "shows no labels" in caught.value.en


def test_a_schedule_in_a_list_form_is_refused(tmp_path):
    src = _path("s07_list_kahoku")
    plan = import_workbook(src).plan
    plan.pillars[0].initiatives[0].phases = [Phase(plan.first_month, plan.first_month + 11)]
    with pytest.raises(UpdateRefused) as caught:
        update_workbook(src, plan)
    assert "no time columns" in caught.value.en


def test_milestones_are_written_as_marks(tmp_path):
    src = _path("s04_month_matsumae")
    plan = import_workbook(src).plan
    init = plan.pillars[0].initiatives[0]
    init.phases = []
    init.milestones = [Milestone(plan.first_month + 30, "稼働")]
    out = tmp_path / "m.xlsx"
    out.write_bytes(update_workbook(src, plan, data_sheet=False).data)
    visible = WorkbookReader(out).read(VISIBLE).plan.pillars[0].initiatives[0]
    assert [(m.month, m.label) for m in visible.milestones] == [(plan.first_month + 30, "稼働")]


@pytest.mark.parametrize("case", SHAPES)
def test_shapes_layouts_move_their_shapes_and_keep_names(tmp_path, case):
    # bars drawn as shapes are moved in the drawing part (tests/io/xlsx/update/test_update_shapes.py)
    src, out, plan = _update(tmp_path, case)
    assert plan_to_dict(import_workbook(out).plan) == plan_to_dict(plan)
    visible = WorkbookReader(out).read(VISIBLE).plan
    assert [i.name for _, i in visible.walk()] == [i.name for _, i in plan.walk()]
    before, after = _members(src), _members(out)
    edited = _roadmap_parts(out)
    for name, data in before.items():
        if name not in edited and name not in ALLOWED and "drawings/drawing" not in name:
            assert after[name] == data, name


def _make_xlsm(src: Path, target: Path, vba: bytes) -> None:
    members = _members(src)
    ct = members["[Content_Types].xml"].decode()
    ct = ct.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    ct = ct.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    members["[Content_Types].xml"] = ct.encode()
    rels = members["xl/_rels/workbook.xml.rels"].decode().replace(
        "</Relationships>", '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
                            'vbaProject" Target="vbaProject.bin"/></Relationships>')
    members["xl/_rels/workbook.xml.rels"] = rels.encode()
    members["xl/vbaProject.bin"] = vba
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_xlsm_keeps_its_vba_part(tmp_path):
    vba = bytes(range(256)) * 40
    office = tmp_path / "office.xlsm"
    _make_xlsm(_path("s01_yearfill_matsumae"), office, vba)
    plan = _edit(import_workbook(office).plan)
    json_path = tmp_path / "plan.json"
    write_plan_json(plan, json_path)
    out = tmp_path / "out.xlsm"
    assert main(["update", str(office), str(json_path), str(out)]) == 0
    after = _members(out)
    assert after["xl/vbaProject.bin"] == vba
    assert 'Target="vbaProject.bin"' in after["xl/_rels/workbook.xml.rels"].decode()
    assert "macroEnabled" in after["[Content_Types].xml"].decode()
    assert plan_to_dict(import_workbook(out).plan) == plan_to_dict(plan)


def test_cli_exit_statuses(tmp_path, capsys):
    office = _path("s01_yearfill_matsumae")
    plan = import_workbook(office).plan
    json_path = tmp_path / "plan.json"
    write_plan_json(plan, json_path)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert main(["update", str(bad), str(json_path), str(tmp_path / "o.xlsx")]) == 3
    assert main(["update", str(office), str(tmp_path / "missing.json"), str(tmp_path / "o.xlsx")]) == 3
    assert main(["update", str(office), str(json_path), str(tmp_path / "o.pdf")]) == 2
    assert not (tmp_path / "o.xlsx").exists()
    plan.pillars[0].initiatives[0].phases.append(Phase(plan.last_month + 13, plan.last_month + 20))
    write_plan_json(plan, json_path)
    assert main(["update", str(office), str(json_path), str(tmp_path / "o.xlsx")]) == 1
    assert not (tmp_path / "o.xlsx").exists()
    assert main(["update", "--force", str(office), str(json_path), str(tmp_path / "o.xlsx")]) == 0
    assert (tmp_path / "o.xlsx").exists()
    assert "Traceback" not in capsys.readouterr().err


def _page_one(path: Path, tmp_path: Path, name: str):
    from PIL import Image

    folder = tmp_path / name
    folder.mkdir()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(path)], check=True, capture_output=True,
                   timeout=180)
    pdf = next(folder.glob("*.pdf"))
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(folder / "p")], check=True,
                   timeout=60)
    return Image.open(next(folder.glob("p*.png"))).convert("L")


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice not installed")
def test_libreoffice_renders_the_update_with_only_the_roadmap_changed(tmp_path):
    import numpy as np

    src = _path("s03_quarter_mori")
    plan = import_workbook(src).plan
    last = plan.pillars[-1].initiatives[-1]
    last.phases = [Phase(plan.first_month, plan.first_month + 2)]  # the bottom initiative: one quarter only
    out = tmp_path / "updated.xlsx"
    out.write_bytes(update_workbook(src, plan).data)
    before = np.asarray(_page_one(src, tmp_path, "before"), dtype=int)
    after = np.asarray(_page_one(out, tmp_path, "after"), dtype=int)
    assert before.shape == after.shape
    changed = np.argwhere(np.abs(before - after) > 40)
    assert len(changed), "the roadmap did not change on the page"
    # everything above the changed row (title, headings, the other initiatives) is the same
    top = changed[:, 0].min()
    assert top > before.shape[0] * 0.3
    assert np.abs(before[:top] - after[:top]).max() <= 40
