"""版: saving, restoring and deleting named snapshots, and the 新旧対照表 of two plans."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from dxroadmap.io.plan_json import dumps, loads, plan_to_dict, read_plan_json
from dxroadmap.model.fiscal import month_index as m
from dxroadmap.model.ids import ensure_ids
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan
from dxroadmap.model.versions import (
    compare_plans,
    delete_version,
    find_version,
    mark_changes,
    restore_version,
    save_version,
    schedule_words,
    snapshot,
    span_words,
    version_plan,
)

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.json"))


def small_plan(ids: bool = True) -> Plan:
    plan = Plan(title="町ＤＸ計画", organization="町", start_fy=2023, end_fy=2027, pillars=[
        Pillar("暮らし", [
            Initiative("手続のオンライン化", summary="電子申請を広げる", departments=["総務課"],
                       phases=[Phase(m(2024, 4), m(2025, 3), "検討", PhaseKind.STUDY),
                               Phase(m(2025, 4), m(2028, 3), "運用", PhaseKind.OPERATE)],
                       milestones=[Milestone(m(2025, 4), "開始")]),
            Initiative("窓口改革", departments=["住民課"], phases=[Phase(m(2023, 4), m(2024, 3), "検討")]),
            Initiative("キャッシュレス決済", departments=["会計課"]),
        ]),
        Pillar("行政", [Initiative("標準化", phases=[Phase(m(2023, 4), m(2025, 12), "移行")])]),
    ])
    if ids:
        ensure_ids(plan, random.Random(1))
    return plan


def same(a: Plan, b: Plan) -> bool:
    return plan_to_dict(a) == plan_to_dict(b)


def edit_four(plan: Plan) -> None:
    """Move a bar, rename an initiative, add one, delete one."""
    online, window, cashless = plan.pillars[0].initiatives
    online.phases[0].start, online.phases[0].end = m(2024, 10), m(2025, 9)  # moved by half a year
    window.name = "窓口のデジタル化"
    plan.pillars[1].initiatives.append(Initiative("AI議事録", departments=["総務課"],
                                                  phases=[Phase(m(2025, 4), m(2026, 3), "実証")]))
    plan.pillars[0].initiatives.remove(cashless)


def test_save_edit_save_compare_lists_exactly_the_four_changes():
    plan = small_plan()
    save_version(plan, "V1.0 当初計画", "2023-03-31")
    edit_four(plan)
    save_version(plan, "V2.0", "2025-03-31")
    assert [v.name for v in plan.versions] == ["V1.0 当初計画", "V2.0"]
    result = compare_plans(version_plan(plan, "V1.0 当初計画"), version_plan(plan, "V2.0"))
    assert sorted(c.code for c in result.changes) == sorted(
        ["phase.moved", "initiative.renamed", "initiative.added", "initiative.removed"])
    assert len(result.lines()) == 4
    rows = {row.status: row for row in result.rows}
    assert len(result.rows) == 4
    moved = next(r for r in result.rows if r.new and r.new.name == "手続のオンライン化")
    assert moved.changed == {"schedule"}
    assert moved.old.schedule.startswith("令和6年度 検討 → 令和7年度〜令和9年度 運用")
    assert "令和6年度下期〜令和7年度上期 検討" in moved.new.schedule
    assert rows["removed"].old.name == "キャッシュレス決済" and rows["removed"].new is None
    assert rows["added"].new.name == "AI議事録" and rows["added"].pillar == "行政"
    renamed = next(r for r in result.rows if r.old and r.old.name == "窓口改革")
    assert renamed.changed == {"name"} and renamed.new.name == "窓口のデジタル化"
    assert [(name, [r.status for r in rows]) for name, rows in result.groups] == [
        ("暮らし", ["changed", "changed", "removed"]), ("行政", ["added"])]
    assert not result.by_name


def test_compare_with_itself_is_empty():
    for path in SAMPLES:
        plan = read_plan_json(path)
        result = compare_plans(plan, copy.deepcopy(plan))
        assert result.changes == [] and result.rows == [], path.name


def test_plans_without_ids_match_by_name_and_name_the_unmatched():
    old, new = small_plan(ids=False), small_plan(ids=False)
    new.pillars[0].initiatives[1].name = "窓口のデジタル化"  # without ids a rename cannot be told from a swap
    new.pillars[0].initiatives[0].summary = "電子申請を全手続に広げる"
    result = compare_plans(old, new)
    assert result.by_name
    assert result.unmatched_old == ["窓口改革"] and result.unmatched_new == ["窓口のデジタル化"]
    online = next(r for r in result.rows if r.new and r.new.name == "手続のオンライン化")
    assert online.status == "changed" and online.changed == {"summary"}


def test_versions_round_trip_through_json_and_stay_out_of_the_diff():
    plan = small_plan()
    plan.national_version = "2.0"
    save_version(plan, "V1.0", "2023-03-31")
    plan.pillars[0].initiatives[0].name = "オンライン手続"
    back = loads(dumps(plan))
    assert back.national_version == "2.0"
    assert [(v.name, v.saved) for v in back.versions] == [("V1.0", "2023-03-31")]
    assert same(back.versions[0].plan, plan.versions[0].plan)
    assert back.versions[0].plan.versions == []
    assert plan_to_dict(back) == plan_to_dict(plan)
    assert [c.code for c in compare_plans(back.versions[0].plan, back).changes] == ["initiative.renamed"]


def test_restore_and_delete_return_their_inverse():
    plan = small_plan()
    before = plan_to_dict(snapshot(plan))
    undo_save = save_version(plan, "V1.0", "2023-03-31")
    edit_four(plan)
    edited = plan_to_dict(snapshot(plan))
    undo_restore = restore_version(plan, "Ｖ１．０ ")  # names compare NFKC, white space ignored
    assert plan_to_dict(snapshot(plan)) == before and len(plan.versions) == 1
    undo_restore.apply(plan)
    assert plan_to_dict(snapshot(plan)) == edited
    undo_delete = delete_version(plan, "V1.0")
    assert plan.versions == [] and find_version(plan, "V1.0") is None
    undo_delete.apply(plan)
    assert find_version(plan, "V1.0") is not None
    undo_save.apply(plan)
    assert plan.versions == []


def test_snapshot_is_independent_and_names_and_dates_are_checked():
    plan = small_plan()
    save_version(plan, "V1.0", "2023-03-31")
    plan.pillars[0].initiatives[0].name = "changed"
    assert plan.versions[0].plan.pillars[0].initiatives[0].name == "手続のオンライン化"
    with pytest.raises(ValueError):
        save_version(plan, "V1.0", "2024-03-31")
    with pytest.raises(ValueError):
        save_version(plan, "V3", "2024/03/31")
    with pytest.raises(KeyError):
        version_plan(plan, "V9")


@pytest.mark.parametrize(("start", "end", "words"), [
    ((2024, 4), (2025, 3), "令和6年度"),
    ((2024, 10), (2025, 3), "令和6年度下期"),
    ((2024, 4), (2024, 9), "令和6年度上期"),
    ((2024, 7), (2024, 9), "令和6年度第2四半期"),
    ((2024, 5), (2024, 5), "令和6年度5月"),
    ((2024, 4), (2027, 3), "令和6年度〜令和8年度"),
    ((2024, 10), (2025, 9), "令和6年度下期〜令和7年度上期"),
])
def test_span_words(start, end, words):
    assert span_words(m(*start), m(*end)) == words


def test_schedule_words_and_marks():
    init = small_plan().pillars[0].initiatives[0]
    assert schedule_words(init) == "令和6年度 検討 → 令和7年度〜令和9年度 運用\n令和7年度4月 ◆開始"
    left, right = mark_changes("電子申請を広げる", "電子申請を全手続に広げる")
    assert left == [("電子申請を広げる", False)]
    assert ("全手続に", True) in right and "".join(t for t, _ in right) == "電子申請を全手続に広げる"
    left, right = mark_changes("令和6年度 検討 → 令和7年度 運用", "令和6年度下期 検討 → 令和7年度 運用", words=True)
    assert [t for t, c in left if c] == ["令和6年度"] and [t for t, c in right if c] == ["令和6年度下期"]
