"""apply_changes, merge3 and merge_many: non-colliding changes merge, conflicts are reported and left out."""

from __future__ import annotations

import copy

from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.model.fiscal import month_index as m
from dxroadmap.model.merge import apply_changes, merge3, merge_many
from dxroadmap.model.plan import Initiative, Phase
from tests.model.test_diff import small_plan


def names(plan):
    return [i.name for _, i in plan.walk()]


def test_merge3_applies_both_sides_when_they_do_not_collide():
    base = small_plan()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.pillars[0].initiatives[0].kpi = "60%"
    theirs.pillars[0].initiatives[1].departments = ["市民課"]
    theirs.pillars[1].initiatives.append(Initiative("新しい取組", id="i-0000abcd"))
    result = merge3(base, ours, theirs)
    assert not result.conflicts
    assert result.plan.pillars[0].initiatives[0].kpi == "60%"
    assert result.plan.pillars[0].initiatives[1].departments == ["市民課"]
    assert names(result.plan)[-1] == "新しい取組"
    assert sorted(c.code for c in result.applied) == ["initiative.added", "initiative.field"]
    assert all(c.source == "theirs" for c in result.applied)


def test_the_same_field_changed_differently_is_a_conflict_and_ours_stays():
    base = small_plan()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.pillars[0].initiatives[0].summary = "私たちの概要"
    theirs.pillars[0].initiatives[0].summary = "あちらの概要"
    theirs.pillars[0].initiatives[0].notes = "備考あり"
    result = merge3(base, ours, theirs)
    assert [c.reason for c in result.conflicts] == ["both-changed"]
    assert sorted(result.conflicts[0].sources) == ["ours", "theirs"]
    assert result.plan.pillars[0].initiatives[0].summary == "私たちの概要"
    assert result.plan.pillars[0].initiatives[0].notes == "備考あり"
    assert "競合" in result.conflicts[0].describe()


def test_the_same_change_on_both_sides_is_no_conflict():
    base = small_plan()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for p in (ours, theirs):
        p.pillars[0].initiatives[0].phases[0].end = m(2024, 9)
    result = merge3(base, ours, theirs)
    assert not result.conflicts
    assert plan_to_dict(result.plan) == plan_to_dict(ours)


def test_edit_against_delete_is_a_conflict():
    base = small_plan()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    del ours.pillars[0].initiatives[0]  # the master removed it
    theirs.pillars[0].initiatives[0].phases[1].end = m(2029, 3)  # a department extended its bar
    result = merge3(base, ours, theirs)
    assert [c.reason for c in result.conflicts] == ["edit-vs-delete"]
    assert "手続のオンライン化" not in names(result.plan)
    # and the other way round: their removal of what we edited is left out
    ours2, theirs2 = copy.deepcopy(base), copy.deepcopy(base)
    ours2.pillars[1].initiatives[0].kpi = "全システム移行"
    del theirs2.pillars[1].initiatives[0]
    result = merge3(base, ours2, theirs2)
    assert [c.reason for c in result.conflicts] == ["edit-vs-delete"]
    assert "標準化" in names(result.plan)


def test_adding_under_an_initiative_another_side_removed_is_a_conflict():
    base = small_plan()
    a, b = copy.deepcopy(base), copy.deepcopy(base)
    del a.pillars[0].initiatives[0]
    b.pillars[0].initiatives[0].children.append(Initiative("孫の取組"))
    result = merge_many(base, [("総務課", a), ("住民課", b)])
    assert [c.reason for c in result.conflicts] == ["edit-vs-delete"]
    assert plan_to_dict(result.plan) == plan_to_dict(base)  # neither department wins


def test_many_departments_against_one_base():
    base = small_plan()
    returns = []
    for k, dept in enumerate(["総務課", "住民課", "情報政策課"]):
        copy_ = copy.deepcopy(base)
        copy_.pillars[0].initiatives[0].children[0].notes = f"{dept}の記入" if k == 0 else ""
        if k == 1:
            copy_.pillars[0].initiatives[1].phases.append(Phase(m(2025, 4), m(2026, 3), "導入"))
        if k == 2:
            copy_.pillars[1].initiatives[0].departments = ["情報政策課"]
        returns.append((dept, copy_))
    result = merge_many(base, returns)
    assert not result.conflicts
    assert {c.source for c in result.applied} == {"総務課", "住民課", "情報政策課"}
    plan = result.plan
    assert plan.pillars[0].initiatives[0].children[0].notes == "総務課の記入"
    assert [p.label for p in plan.pillars[0].initiatives[1].phases] == ["導入"]
    assert plan.pillars[1].initiatives[0].departments == ["情報政策課"]


def test_two_departments_adding_things_keep_both():
    base = small_plan()
    a, b = copy.deepcopy(base), copy.deepcopy(base)
    a.pillars[1].initiatives.append(Initiative("Ａの新規"))
    b.pillars[1].initiatives.append(Initiative("Ｂの新規"))
    result = merge_many(base, [("A", a), ("B", b)])
    assert not result.conflicts
    assert names(result.plan)[-2:] == ["Ａの新規", "Ｂの新規"]


def test_apply_changes_skips_what_has_nowhere_to_go():
    base = small_plan()
    new = copy.deepcopy(base)
    parent = Initiative("新しい親", id="i-00000002")
    new.pillars[1].initiatives.append(parent)
    parent.children.append(new.pillars[0].initiatives.pop(1))  # an existing initiative moved under it
    from dxroadmap.model.diff import diff_plans

    changes = diff_plans(base, new)
    move = [c for c in changes if c.code == "initiative.moved"]
    skipped = []
    result = apply_changes(base, move, skipped=skipped)  # the new parent was rejected
    assert skipped == move
    assert plan_to_dict(result) == plan_to_dict(base)
    assert plan_to_dict(apply_changes(base, changes)) == plan_to_dict(new)
