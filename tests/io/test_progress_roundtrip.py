"""Progress and KPIs survive JSON → xlsx (hidden data sheet) → JSON, value for value; old files load without loss."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.plan_json import loads, plan_from_dict, plan_to_dict, read_plan_json
from dxroadmap.io.xlsx.datasheet import SHEET_NAME, read_plan_from_data_sheet
from dxroadmap.io.xlsx.export import write_workbook
from dxroadmap.model.plan import Initiative, Pillar, Plan
from dxroadmap.model.progress import GRADES, STATUSES, Baseline, Kpi, ProgressEntry

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

CONTRACT_INITIATIVE = {
    "name": "行政手続のオンライン化", "summary": "", "departments": ["デジタル推進課"], "phases": [], "milestones": [],
    "children": [],
    "progress": {"2024": {"status": "in-progress", "grade": "B", "actual": "子育て関連20手続をオンライン化",
                          "next": "令和7年度は税関係へ拡大", "updated": "2025-05"}},
    "kpis": [{"name": "オンライン申請が可能な手続の割合", "unit": "%", "baseline": {"fy": 2022, "value": 12},
              "targets": {"2027": 100}, "actuals": {"2023": 25, "2024": 40}}],
}


def doc_with(*initiatives: dict) -> dict:
    return {"format": "dxroadmap-plan", "version": 1,
            "plan": {"title": "t", "organization": "o", "period": {"start_fy": 2023, "end_fy": 2027},
                     "pillars": [{"name": "p", "initiatives": list(initiatives)}]}}


def through_xlsx(plan: Plan, path: Path) -> Plan:
    write_workbook(plan, path)
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        again = read_plan_from_data_sheet(wb)
    finally:
        wb.close()
    assert again is not None
    return again


def test_contract_example_round_trips_through_json_and_xlsx(tmp_path):
    doc = doc_with(CONTRACT_INITIATIVE)
    plan = plan_from_dict(doc)
    assert plan_to_dict(plan) == doc
    again = through_xlsx(plan, tmp_path / "a.xlsx")  # saving gives the plan its ids
    assert plan_to_dict(again) == plan_to_dict(plan)
    init = plan_to_dict(again)["plan"]["pillars"][0]["initiatives"][0]
    assert init["progress"] == CONTRACT_INITIATIVE["progress"] and init["kpis"] == CONTRACT_INITIATIVE["kpis"]


def test_old_file_kpi_text_becomes_a_kpi_and_keeps_the_text(tmp_path):
    old = {"name": "研修", "summary": "", "departments": [], "phases": [], "milestones": [], "children": [],
           "kpi": "情報セキュリティ研修の受講率 40%→100%（令和9年度）", "status": "実施中"}
    plan = plan_from_dict(doc_with(old))
    init = plan.pillars[0].initiatives[0]
    assert init.kpi == old["kpi"] and init.status == "実施中"
    assert init.kpis == [Kpi("情報セキュリティ研修の受講率", "%", Baseline(None, 40), {2027: 100})]
    out = plan_to_dict(plan)["plan"]["pillars"][0]["initiatives"][0]
    assert out["kpi"] == old["kpi"] and out["status"] == "実施中" and out["kpis"][0]["targets"] == {"2027": 100}
    # removing the KPI sticks: the old text does not bring it back
    init.kpis = []
    again = plan_from_dict(plan_to_dict(plan)).pillars[0].initiatives[0]
    assert again.kpis == [] and again.kpi == old["kpi"]
    assert through_xlsx(plan, tmp_path / "b.xlsx").pillars[0].initiatives[0].kpis == []


def test_old_workbook_without_the_columns_derives_kpis_from_the_text(tmp_path):
    plan = Plan(pillars=[Pillar("p", [Initiative("a", kpi="研修を年1回以上開催")])])
    path = tmp_path / "old.xlsx"
    write_workbook(plan, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_NAME]
    for col in range(ws.max_column, 0, -1):  # an older dxroadmap wrote no progress / kpis columns
        if ws.cell(2, col).value in ("progress", "kpis"):
            ws.delete_cols(col)
    wb.save(path)
    wb = openpyxl.load_workbook(path, data_only=True)
    init = read_plan_from_data_sheet(wb).pillars[0].initiatives[0]
    assert init.kpis == [Kpi("研修を年1回以上開催")] and init.kpi == "研修を年1回以上開催"


@pytest.mark.parametrize("bad, where", [('{"2024": {"status": "late"}}', "status"), ("{not json", "progress")])
def test_damaged_progress_cell_is_refused_by_name(tmp_path, bad, where):
    plan = Plan(pillars=[Pillar("p", [Initiative("a", progress={2024: ProgressEntry("done")})])])
    path = tmp_path / "bad.xlsx"
    write_workbook(plan, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_NAME]
    col = [c.value for c in ws[2]].index("progress") + 1
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "initiative")
    ws.cell(row, col).value = bad
    wb.save(path)
    with pytest.raises(PlanReadError) as info:
        read_plan_from_data_sheet(openpyxl.load_workbook(path, data_only=True))
    assert where in info.value.message()


def test_damaged_progress_in_json_is_a_plan_read_error():
    bad = dict(CONTRACT_INITIATIVE, progress={"2024": {"status": "done", "grade": "Z"}})
    with pytest.raises(PlanReadError) as info:
        loads(json.dumps(doc_with(bad)))
    assert "grade" in info.value.message()


def test_every_sample_round_trips_through_xlsx_with_its_progress(tmp_path):
    for path in sorted(SAMPLES.glob("*.json")):
        plan = read_plan_json(path)
        assert plan_to_dict(through_xlsx(plan, tmp_path / f"{path.stem}.xlsx")) == plan_to_dict(plan), path.name


# ------------------------------------------------------------------ property test over random data

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
years = st.integers(1990, 2100)
values = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False, width=64),
                   texts)
months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1990, 2100), st.integers(1, 12))
entries = st.builds(ProgressEntry, status=st.sampled_from(STATUSES), grade=st.one_of(st.none(), st.sampled_from(GRADES)),
                    actual=texts, next=texts, updated=st.one_of(st.none(), months))
kpis = st.builds(Kpi, name=texts, unit=st.sampled_from(["", "%", "件", "人", "分"]),
                 baseline=st.one_of(st.none(), st.builds(Baseline, st.one_of(st.none(), years), values)),
                 targets=st.dictionaries(years, values, max_size=4), actuals=st.dictionaries(years, values, max_size=4),
                 direction=st.sampled_from([None, "higher", "lower"]))
initiatives = st.builds(lambda name, kpi, progress, ks: Initiative(name=name, kpi=kpi, progress=progress, kpis=ks),
                        texts, texts, st.dictionaries(years, entries, max_size=4), st.lists(kpis, max_size=3))


@given(st.lists(initiatives, min_size=1, max_size=4))
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_random_progress_and_kpis_survive_json_then_xlsx_then_json(tmp_path, inits):
    plan = Plan(pillars=[Pillar("柱", inits)])
    doc = json.loads(json.dumps(plan_to_dict(plan), ensure_ascii=False))
    from_json = plan_from_dict(doc)
    assert plan_to_dict(from_json) == doc
    assert [(i.progress, i.kpis) for i in from_json.initiatives()] == [(i.progress, i.kpis) for i in inits]
    back = through_xlsx(from_json, tmp_path / "p.xlsx")  # saving gives from_json its ids
    assert plan_to_dict(back) == plan_to_dict(from_json)
    assert [(i.progress, i.kpis) for i in back.initiatives()] == [(i.progress, i.kpis) for i in inits]
