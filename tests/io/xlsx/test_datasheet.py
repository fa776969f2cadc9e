"""The hidden data sheet: an exported workbook reopens as exactly the plan that was saved."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.plan_json import read_plan_json
from dxroadmap.io.xlsx.datasheet import (
    MARKER,
    SHEET_NAME,
    decode_text,
    encode_text,
    read_data_sheet_quickly,
    read_plan_from_data_sheet,
    write_data_sheet,
)
from dxroadmap.io.xlsx.export import SHEET_NAME as ROADMAP_SHEET
from dxroadmap.io.xlsx.export import write_workbook
from dxroadmap.model.fiscal import month_index, parse_ym
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan, guess_kind

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO.parent / "shared" / "fixtures"

TRICKY = ["=SUM(A1)", "+81", "-1", "@x", "=1+1", " lead", "trail ", "  ", "a\nb", "a\r\nb", "x\ry", "\ttab",
          "ＤＸ推進　全角", "", "\x00\x01\x1f", "\ufffe\uffff", "_x0041_", "_x005F_x0041_", "\\e", "\\u0041",
          "\\", "a\\\\b", "😀 emoji", "\u2028\u0085", "【重点】①ア．（1）", '["json", "like"]', "2023-04", "0012"]


def snapshot(obj):
    """Every field of a plan object, recursively, without the uids (which are per session)."""
    if isinstance(obj, list):
        return [snapshot(x) for x in obj]
    if dataclasses.is_dataclass(obj):
        return {f.name: snapshot(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "uid"}
    if isinstance(obj, PhaseKind):
        return obj.value
    return obj


def reopen(plan: Plan, path: Path, *, read_only: bool = False, **options) -> Plan:
    write_workbook(plan, path, **options)
    wb = openpyxl.load_workbook(path, data_only=True, read_only=read_only)
    try:
        again = read_plan_from_data_sheet(wb)
    finally:
        wb.close()
    assert again is not None
    return again


def rich_plan() -> Plan:
    m = month_index
    sub = Initiative("サブ①", summary="子", departments=["課A"], phases=[Phase(m(2024, 4), m(2024, 9), "実証", PhaseKind.TRIAL)],
                     children=[Initiative("孫", notes="深い")])
    init = Initiative(
        "ＤＸコンシェルジュの育成", summary="デジタルの扱いが苦手な住民に…\n2行目", departments=["ＤＸ部門", "関係課等"],
        priority_items=["デジタルデバイド対策", "BPRの取組の徹底"], kpi="講座 20回/年", status="実施中", notes="=備考",
        phases=[Phase(m(2023, 4), m(2024, 3), "検討", PhaseKind.STUDY),
                Phase(m(2024, 4), m(2028, 3), "制度運用", PhaseKind.OPERATE, "#123ABC"),
                Phase(m(2023, 6), m(2023, 7), None, PhaseKind.CUSTOM),
                Phase(m(2023, 8), m(2023, 8), "", PhaseKind.PREPARE, "")],
        milestones=[Milestone(m(2024, 4), "制度開始"), Milestone(m(2025, 1), None), Milestone(m(2025, 2), "")],
        children=[sub, Initiative("サブ②")])
    return Plan(title="松前町ＤＸ推進計画　ロードマップ", organization="松前町", start_fy=2023, end_fy=2027, pillars=[
        Pillar("ＤＸの土台", [init, Initiative("空の取組")], description="基本方針の説明"),
        Pillar("", []),
        Pillar("暮らしのＤＸ", [Initiative(t, summary=t, departments=[t, t], kpi=t, status=t, notes=t,
                                         phases=[Phase(m(2025, 4), m(2025, 6), t, guess_kind(t), None)],
                                         milestones=[Milestone(m(2025, 5), t)]) for t in TRICKY]),
    ])


# ------------------------------------------------------------------ exact round trips


@pytest.mark.parametrize("read_only", [False, True])
def test_rich_plan_round_trips_exactly(tmp_path, read_only):
    plan = rich_plan()
    again = reopen(plan, tmp_path / "roadmap.xlsx", read_only=read_only)
    assert snapshot(again) == snapshot(plan)


@pytest.mark.parametrize("columns", ["year", "half", "quarter", "month"])
def test_round_trip_does_not_depend_on_the_column_setting(tmp_path, columns):
    plan = rich_plan()
    assert snapshot(reopen(plan, tmp_path / "r.xlsx", columns=columns)) == snapshot(plan)


def test_empty_plan_round_trips(tmp_path):
    plan = Plan(title="", organization="", start_fy=2030, end_fy=2030)
    assert snapshot(reopen(plan, tmp_path / "empty.xlsx")) == snapshot(plan)


def test_phase_ending_before_it_starts_is_kept_as_the_editor_had_it(tmp_path):
    # validate() reports it, but saving must not lose or "fix" what the user has.
    plan = Plan(pillars=[Pillar("p", [Initiative("i", phases=[Phase(month_index(2025, 3), month_index(2024, 5), "逆")])])])
    assert snapshot(reopen(plan, tmp_path / "r.xlsx")) == snapshot(plan)


def test_text_escape_is_reversible_and_xml_safe():
    for text in TRICKY:
        encoded = encode_text(text)
        assert decode_text(encoded) == text
        assert "\r" not in encoded and "\x00" not in encoded and "_x0041_" not in encoded


def plans_from_fixtures() -> list[tuple[str, Plan]]:
    """The town-office fixtures' expected plans, as plans (real names, departments, phases)."""
    out = []
    for path in sorted(FIXTURES.glob("s0*.expected.json")):
        doc = json.loads(path.read_text("utf-8"))
        if not doc.get("initiatives"):
            continue
        plan = Plan(title=doc["case"], organization="町", start_fy=doc["period"]["start_fy"], end_fy=doc["period"]["end_fy"])
        pillars: dict = {}
        inits: dict = {}
        for item in doc["initiatives"]:
            pillar = pillars.get(item["pillar"])
            if pillar is None:
                pillar = pillars[item["pillar"]] = Pillar(item["pillar"] or "")
                plan.pillars.append(pillar)
            init = Initiative(item["name"], departments=item["departments"], phases=[
                Phase(parse_ym(p["start"]), parse_ym(p["end"]), p["label"], guess_kind(p["label"])) for p in item["phases"]],
                milestones=[Milestone(parse_ym(ms["date"]), ms["label"]) for ms in item["milestones"]])
            parent = inits.get(item.get("parent"))
            (parent.children if parent else pillar.initiatives).append(init)
            inits[item["name"]] = init
        out.append((path.name.split(".")[0], plan))
    return out


def sample_plans() -> list[tuple[str, Plan]]:
    samples = sorted((REPO / "samples").glob("*.json"))
    return [(p.name, read_plan_json(p)) for p in samples] + plans_from_fixtures()


def test_every_sample_and_fixture_plan_round_trips(tmp_path):
    plans = sample_plans()
    if not plans:
        pytest.skip("no samples/*.json and no ../shared fixtures")
    try:
        import dxroadmap.io.xlsx.read.workbook  # noqa: F401
        from dxroadmap.formats import read_any
    except ImportError:
        read_any = None
    for name, plan in plans:
        path = tmp_path / f"{name}.xlsx"
        assert snapshot(reopen(plan, path)) == snapshot(plan), name
        if read_any is not None:  # and as dxroadmap opens it
            assert snapshot(read_any(path).plan) == snapshot(plan), name


def test_through_the_importer_when_it_exists(tmp_path):

    from dxroadmap.formats import read_any, write_any

    plan = rich_plan()
    path = tmp_path / "via_formats.xlsx"
    write_any(plan, path)
    assert snapshot(read_any(path).plan) == snapshot(plan)


# ------------------------------------------------------------------ property test


_texts = st.one_of(st.text(max_size=12), st.sampled_from(TRICKY))
_months = st.integers(month_index(2018, 1), month_index(2036, 12))


@st.composite
def _phases(draw):
    a, b = draw(_months), draw(_months)
    return Phase(min(a, b), max(a, b), draw(st.none() | _texts), draw(st.sampled_from(list(PhaseKind))),
                 draw(st.none() | st.sampled_from(["#123456", "#ABCDEF", "", "red"])))


def _initiatives(depth: int):
    children = st.lists(_initiatives(depth - 1), max_size=2) if depth > 0 else st.just([])
    return st.builds(
        Initiative, name=_texts, summary=_texts, departments=st.lists(_texts, max_size=3),
        priority_items=st.lists(_texts, max_size=2), kpi=_texts, status=_texts, notes=_texts,
        phases=st.lists(_phases(), max_size=3),
        milestones=st.lists(st.builds(Milestone, month=_months, label=st.none() | _texts), max_size=2),
        children=children)


@st.composite
def plans(draw):
    start = draw(st.integers(2015, 2032))
    pillars = draw(st.lists(st.builds(Pillar, name=_texts, initiatives=st.lists(_initiatives(2), max_size=3),
                                      description=_texts), max_size=3))
    return Plan(title=draw(_texts), organization=draw(_texts), start_fy=start,
                end_fy=start + draw(st.integers(0, 6)), pillars=pillars)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(plan=plans(), columns=st.sampled_from(["year", "half", "quarter", "month"]))
def test_property_xlsx_round_trip_is_exact_and_text_stays_text(tmp_path, plan, columns):
    path = tmp_path / "prop.xlsx"
    again = reopen(plan, path, columns=columns)
    assert snapshot(again) == snapshot(plan)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    if cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)


# ------------------------------------------------------------------ the sheet itself and refusals


def test_data_sheet_is_hidden_but_unhideable_and_roadmap_comes_first(tmp_path):
    path = tmp_path / "r.xlsx"
    write_workbook(rich_plan(), path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [ROADMAP_SHEET, SHEET_NAME]
    assert wb[SHEET_NAME].sheet_state == "hidden"
    assert wb.active.title == ROADMAP_SHEET
    ws = wb[SHEET_NAME]
    assert ws["A1"].value == MARKER and ws["B1"].value == 1
    header = [c.value for c in ws[2]]
    for name in ("record", "parent", "depth", "order", "kind", "color", "priority_items", "kpi", "status", "notes"):
        assert name in header
    records = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    plan = rich_plan()
    counts = plan.counts()
    assert records.count("plan") == 1
    assert records.count("pillar") == counts["pillars"]
    assert records.count("initiative") == counts["initiatives"]
    assert records.count("phase") == counts["phases"]
    assert records.count("milestone") == counts["milestones"]


def test_workbook_without_data_sheet_gives_none():
    wb = openpyxl.Workbook()
    wb.active["A1"] = "取組"
    assert read_plan_from_data_sheet(wb) is None


def _saved_and_damaged(tmp_path, damage) -> openpyxl.Workbook:
    path = tmp_path / "d.xlsx"
    write_workbook(rich_plan(), path)
    wb = openpyxl.load_workbook(path)
    damage(wb[SHEET_NAME])
    wb.save(path)
    return openpyxl.load_workbook(path, data_only=True)


def _find_row(ws, record: str) -> int:
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == record)


@pytest.mark.parametrize("damage, words", [
    (lambda ws: ws.cell(1, 1, "something else"), "format marker"),
    (lambda ws: ws.cell(2, 3, "renamed"), "header lacks the column parent"),
    (lambda ws: ws.cell(_find_row(ws, "phase"), 3, "I999"), "parent names no pillar"),
    (lambda ws: ws.cell(_find_row(ws, "phase"), 8, "2023/04"), "should be a month"),
    (lambda ws: ws.cell(_find_row(ws, "phase"), 11, "sleeping"), "not a phase kind"),
    (lambda ws: ws.cell(_find_row(ws, "initiative"), 14, "[1, 2"), "list of texts"),
    (lambda ws: ws.cell(_find_row(ws, "plan"), 21, "二〇二三"), "whole number"),
    (lambda ws: ws.cell(_find_row(ws, "plan"), 1, "plans"), "unknown record type"),
    (lambda ws: ws.delete_rows(_find_row(ws, "plan")), "plan record is missing"),
    (lambda ws: ws.cell(_find_row(ws, "pillar") + 1, 2, "P1"), "used twice"),
])
def test_damaged_data_sheet_is_refused_with_a_reason(tmp_path, damage, words):
    wb = _saved_and_damaged(tmp_path, damage)
    with pytest.raises(PlanReadError) as info:
        read_plan_from_data_sheet(wb)
    assert info.value.reason == "invalid"
    assert words in info.value.message("en")
    assert "データシートが壊れています" in info.value.message("ja")


def test_sub_actions_that_loop_are_refused(tmp_path):
    def loop(ws):
        rows = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "initiative"]
        first, second = rows[0], rows[1]  # the initiative and its first sub-action
        ws.cell(first, 3, ws.cell(second, 2).value)
    wb = _saved_and_damaged(tmp_path, loop)
    with pytest.raises(PlanReadError, match="loop"):
        read_plan_from_data_sheet(wb)


def test_newer_data_version_asks_for_an_update(tmp_path):
    wb = _saved_and_damaged(tmp_path, lambda ws: ws.cell(1, 2, 99))
    with pytest.raises(PlanReadError) as info:
        read_plan_from_data_sheet(wb)
    assert info.value.reason == "newer-version"


def test_rows_sorted_by_hand_still_read_in_order(tmp_path):
    def reverse_body(ws):
        body = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
        for k, values in enumerate(reversed(body)):
            for j, v in enumerate(values, start=1):
                ws.cell(3 + k, j).value = v
                if isinstance(v, str):
                    ws.cell(3 + k, j).data_type = "s"
    wb = _saved_and_damaged(tmp_path, reverse_body)
    assert snapshot(read_plan_from_data_sheet(wb)) == snapshot(rich_plan())


def test_text_too_long_for_a_cell_is_refused_before_writing():
    wb = openpyxl.Workbook()
    plan = Plan(pillars=[Pillar("p", [Initiative("i", notes="長" * 40000)])])
    with pytest.raises(PlanWriteError) as info:
        write_data_sheet(wb, plan)
    assert info.value.reason == "too-long"
    assert "32,767" in info.value.message("en")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_plan_survives_a_colleague_resaving_the_workbook_in_libreoffice(tmp_path):
    path = tmp_path / "roadmap.xlsx"
    write_workbook(rich_plan(), path)
    out = tmp_path / "resaved"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=120)
    wb = openpyxl.load_workbook(out / "roadmap.xlsx", data_only=True)
    assert wb[SHEET_NAME].sheet_state == "hidden"
    assert snapshot(read_plan_from_data_sheet(wb)) == snapshot(rich_plan())


# ------------------------------------------------------------------ a colleague edits the visible sheet


def _edit_roadmap(tmp_path, edit) -> Path:
    path = tmp_path / "edited.xlsx"
    write_workbook(rich_plan(), path)
    wb = openpyxl.load_workbook(path)
    edit(wb[ROADMAP_SHEET])
    wb.save(path)
    return path


def _rename_first_initiative(ws):
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "ＤＸコンシェルジュの育成")
    cell.value = "ＤＸコンシェルジュの育成と派遣"


def _stretch_first_bar(ws):
    rng = next(r for r in ws.merged_cells.ranges if ws.cell(r.min_row, r.min_col).value == "検討")
    ws.unmerge_cells(rng.coord)
    ws.merge_cells(start_row=rng.min_row, start_column=rng.min_col, end_row=rng.max_row, end_column=rng.max_col + 1)


@pytest.mark.parametrize("quickly", [False, True])
@pytest.mark.parametrize("edit", [_rename_first_initiative, _stretch_first_bar])
def test_an_edited_roadmap_sheet_makes_the_data_sheet_step_aside(tmp_path, edit, quickly):
    path = _edit_roadmap(tmp_path, edit)
    with pytest.raises(PlanReadError) as info:
        if quickly:  # read-only mode: merges come from the sheet XML
            read_data_sheet_quickly(path)
        else:
            read_plan_from_data_sheet(openpyxl.load_workbook(path, data_only=True))
    assert "edited after dxroadmap saved" in info.value.message("en")
    assert "編集されている" in info.value.message("ja")


def test_unedited_workbook_resaved_by_openpyxl_still_reads_from_the_data_sheet(tmp_path):
    path = _edit_roadmap(tmp_path, lambda ws: None)
    for read_only in (False, True):
        wb = openpyxl.load_workbook(path, data_only=True, read_only=read_only)
        assert snapshot(read_plan_from_data_sheet(wb)) == snapshot(rich_plan())


def test_without_the_roadmap_sheet_the_data_sheet_is_all_there_is(tmp_path):
    def drop(ws):
        ws.parent.remove(ws)
        ws.parent.create_sheet("メモ")
    path = tmp_path / "dropped.xlsx"
    write_workbook(rich_plan(), path)
    wb = openpyxl.load_workbook(path)
    drop(wb[ROADMAP_SHEET])
    wb.save(path)
    assert snapshot(read_plan_from_data_sheet(openpyxl.load_workbook(path, data_only=True))) == snapshot(rich_plan())


def test_importer_takes_the_colleagues_edit_from_the_visible_sheet(tmp_path):

    from dxroadmap.formats import read_any

    result = read_any(_edit_roadmap(tmp_path, _rename_first_initiative))
    names = [i.name for i in result.plan.initiatives()]
    assert "ＤＸコンシェルジュの育成と派遣" in names
    assert any("edited after dxroadmap saved" in w for w in result.warnings)


def test_the_visible_sheet_alone_reads_back_by_month(tmp_path):
    """With the data sheet gone, the month-resolution roadmap sheet still carries every contract key."""

    from dxroadmap.formats import read_any

    sample = REPO / "samples" / "matsumae.json"
    if not sample.exists():
        pytest.skip("samples/matsumae.json not there")
    plan = read_plan_json(sample)
    path = tmp_path / "visible_only.xlsx"
    write_workbook(plan, path, columns="month")
    wb = openpyxl.load_workbook(path)
    del wb[SHEET_NAME]
    wb.save(path)

    def contract(p: Plan):
        return [(pl.name, i.name, i.departments, [(ph.label, ph.start, ph.end) for ph in i.phases],
                 [(ms.label, ms.month) for ms in i.milestones]) for pl, i in p.walk()]

    again = read_any(path).plan
    assert (again.start_fy, again.end_fy) == (plan.start_fy, plan.end_fy)
    assert contract(again) == contract(plan)


def test_quick_read_in_read_only_mode(tmp_path):
    path = tmp_path / "r.xlsx"
    write_workbook(rich_plan(), path)
    assert snapshot(read_data_sheet_quickly(path)) == snapshot(rich_plan())
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    assert read_data_sheet_quickly(plain) is None
    text = tmp_path / "text.xlsx"
    text.write_text("取組,概要\n", encoding="shift_jis")
    assert read_data_sheet_quickly(text) is None
