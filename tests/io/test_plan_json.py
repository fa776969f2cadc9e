"""Plan JSON: the contract keys, versioning, and clear refusals."""

import json

import pytest

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.plan_json import dumps, loads, plan_from_dict, plan_to_dict, read_plan_json, write_plan_json
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan

SPEC_EXAMPLE = {
    "format": "dxroadmap-plan", "version": 1,
    "plan": {
        "title": "松前町ＤＸ推進計画 ロードマップ", "organization": "松前町",
        "period": {"start_fy": 2023, "end_fy": 2027},
        "pillars": [{"name": "ＤＸの土台", "initiatives": [{
            "name": "ＤＸコンシェルジュの育成", "summary": "デジタルの扱いが苦手な住民に対して…",
            "departments": ["ＤＸ部門", "関係課等"],
            "phases": [{"label": "検討", "start": "2023-04", "end": "2024-03"},
                       {"label": "制度運用", "start": "2024-04", "end": "2028-03"}],
            "milestones": [{"label": "制度開始", "date": "2024-04"}],
            "children": [],
            "some_other_tools_key": {"ignored": True},
        }]}],
    },
}


def strip_extras(doc):
    """Only the contract keys, for comparing with the spec example."""
    def init(d):
        return {"name": d["name"], "summary": d["summary"], "departments": d["departments"],
                "phases": [{k: p[k] for k in ("label", "start", "end")} for p in d["phases"]],
                "milestones": d["milestones"], "children": [init(c) for c in d["children"]]}
    p = doc["plan"]
    return {"format": doc["format"], "version": doc["version"], "plan": {
        "title": p["title"], "organization": p["organization"], "period": p["period"],
        "pillars": [{"name": x["name"], "initiatives": [init(i) for i in x["initiatives"]]} for x in p["pillars"]]}}


def test_spec_example_reads_and_writes_back_every_contract_key():
    plan = loads(json.dumps(SPEC_EXAMPLE))
    init = plan.pillars[0].initiatives[0]
    assert init.phases[0].start == month_index(2023, 4) and init.phases[1].end == month_index(2028, 3)
    assert init.phases[0].kind is PhaseKind.STUDY
    assert init.milestones[0].month == month_index(2024, 4)
    expected = json.loads(json.dumps(SPEC_EXAMPLE))
    del expected["plan"]["pillars"][0]["initiatives"][0]["some_other_tools_key"]
    assert strip_extras(plan_to_dict(plan)) == expected


def test_extra_fields_round_trip(tmp_path):
    plan = Plan(title="t", organization="o", start_fy=2024, end_fy=2028, pillars=[Pillar("p", [Initiative(
        "i", summary="s\n2行目", departments=["a", "b"], priority_items=["テレワークの推進"], kpi="100%", status="実施中",
        notes="=SUM(A1)", phases=[Phase(month_index(2024, 7), month_index(2025, 3), None, PhaseKind.TRIAL, "#123456")],
        milestones=[Milestone(month_index(2025, 1), None)], children=[Initiative("c")])], description="d")])
    path = tmp_path / "plan.json"
    write_plan_json(plan, path)
    again = read_plan_json(path)
    assert plan_to_dict(again) == plan_to_dict(plan)
    assert dumps(again) == path.read_text(encoding="utf-8")
    assert list(tmp_path.iterdir()) == [path]  # no temp files left behind


@pytest.mark.parametrize("content, reason", [
    ('{"format": "dxroadmap-plan", "version": 1, "plan": {', "not-json"),
    ('{"format": "dxroadmap-plan", "version": 2, "plan": {}}', "newer-version"),
    ('{"hello": "world"}', "foreign"),
    ('[1, 2, 3]', "foreign"),
    ('{"format": "dxroadmap-plan", "version": 1, "plan": {"period": {"start_fy": 2023, "end_fy": 2027}, '
     '"pillars": [{"name": "p", "initiatives": [{"name": "x", "phases": [{"label": "a", "start": "2023-13", "end": "2024-01"}]}]}]}}',
     "invalid"),
    ('{"format": "dxroadmap-plan", "version": 1, "plan": {"period": {"start_fy": 2027, "end_fy": 2023}}}', "invalid"),
    ('{"format": "dxroadmap-plan", "version": 1, "plan": {"period": {"start_fy": 2023, "end_fy": 2027}, '
     '"pillars": [{"name": "p", "initiatives": [{"name": "x", "phases": [{"label": "a", "start": "2024-04", "end": "2023-04"}]}]}]}}',
     "invalid"),
    ('', "not-json"),
])
def test_bad_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlanReadError) as info:
        read_plan_json(path)
    assert info.value.reason == reason
    message = info.value.message("en")
    assert message.endswith(".") and "Traceback" not in message and message.count(". ") <= 1
    assert info.value.message("ja")


def test_missing_file(tmp_path):
    with pytest.raises(PlanReadError) as info:
        read_plan_json(tmp_path / "none.json")
    assert info.value.reason == "missing"


def test_failed_save_leaves_old_file(tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    path.write_text("old contents", encoding="utf-8")
    import os
    def boom(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", boom)
    from dxroadmap.io.errors import PlanWriteError
    with pytest.raises(PlanWriteError):
        write_plan_json(Plan(), path)
    assert path.read_text(encoding="utf-8") == "old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_write_any_keeps_a_backup_of_plan_files_only(tmp_path):
    from dxroadmap.formats import write_any
    from dxroadmap.io.storage.atomic import backup_path_for
    path = tmp_path / "plan.json"
    write_any(Plan(title="first"), path, backup=True)
    write_any(Plan(title="second"), path, backup=True)
    assert read_plan_json(path).title == "second"
    assert read_plan_json(backup_path_for(path)).title == "first"


# ------------------------------------------------------------------ stable ids


def test_a_plan_without_ids_gets_them_on_first_save_and_keeps_them(tmp_path):
    plan = Plan(pillars=[Pillar("p", [Initiative("i", phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討")],
                                                milestones=[Milestone(month_index(2024, 4), "開始")])])])
    assert "id" not in json.dumps(plan_to_dict(plan))  # nothing invented before the first save
    path = tmp_path / "plan.json"
    write_plan_json(plan, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    pillar = doc["plan"]["pillars"][0]
    init = pillar["initiatives"][0]
    ids = [pillar["id"], init["id"], init["phases"][0]["id"], init["milestones"][0]["id"]]
    assert [x[:2] for x in ids] == ["g-", "i-", "p-", "m-"] and len(set(ids)) == 4
    again = read_plan_json(path)
    write_plan_json(again, path)
    assert json.loads(path.read_text(encoding="utf-8")) == doc  # kept, not renewed
    assert [plan.pillars[0].id, plan.pillars[0].initiatives[0].id] == ids[:2]  # the saved plan holds them too


def test_a_repeated_id_is_kept_by_its_first_holder_only():
    doc = json.loads(dumps(Plan(pillars=[Pillar("p", [Initiative("a"), Initiative("b")])])))
    inits = doc["plan"]["pillars"][0]["initiatives"]
    inits[1]["id"] = inits[0]["id"]
    plan = plan_from_dict(doc)
    assert plan.pillars[0].initiatives[0].id == inits[0]["id"]
    assert plan.pillars[0].initiatives[1].id == ""
    again = json.loads(dumps(plan))["plan"]["pillars"][0]["initiatives"]
    assert again[1]["id"] and again[1]["id"] != again[0]["id"]


@pytest.mark.parametrize("bad", [123, "", ["i-1"], "x" * 65, "a\nb"])
def test_an_id_that_is_not_a_short_text_is_refused(bad):
    doc = json.loads(dumps(Plan(pillars=[Pillar("p", [Initiative("a")])])))
    doc["plan"]["pillars"][0]["initiatives"][0]["id"] = bad
    if bad == "":
        assert plan_from_dict(doc).pillars[0].initiatives[0].id == ""
        return
    with pytest.raises(PlanReadError):
        plan_from_dict(doc)
