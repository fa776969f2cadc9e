"""Print pagination keeps headings with what they head: a pillar band or a parent initiative is never the
last thing on a page without the first of its rows, on every paper size and orientation."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxroadmap.io.plan_json import read_plan_json
from dxroadmap.model.plan import Initiative, Pillar, Plan
from dxroadmap.render.layout import layout_sheet
from dxroadmap.render.page_setup import PageSetup

from .plans import generated

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.json"))
SETUPS = [(paper, orient) for paper in ("A3", "B4", "A4") for orient in ("landscape", "portrait")]


def _nested(n: int, seed: int = 3) -> Plan:
    """A long plan where every third initiative is a parent of two to four sub-actions."""
    plan = generated(n, pillars=5, seed=seed)
    for pillar in plan.pillars:
        for k, init in enumerate(pillar.initiatives):
            if k % 3 == 0:
                init.children = [Initiative(f"{init.name} 小取組{j + 1}", "細目の説明。" * (j + 1), ["課"],
                                            phases=[p for p in init.phases[:1]]) for j in range(2 + k % 3)]
    return plan


def _parents(plan: Plan) -> set[str]:
    return {init.uid for _, init in plan.walk() if init.children}


def _violations(plan: Plan, setup: PageSetup) -> list[str]:
    sheet = layout_sheet(plan, setup)
    parents = _parents(plan)
    bad = []
    for page in sheet.pages[:-1]:
        if not page.rows:
            continue
        last = page.rows[-1][1]
        if last.kind in ("pillar", "continued"):
            bad.append(f"page {page.number} ends with the band {last.name}")
        elif last.uid in parents:
            bad.append(f"page {page.number} ends with the parent {last.name} without its first sub-action")
    return bad


@pytest.mark.parametrize("paper,orientation", SETUPS)
def test_a_long_plan_keeps_headings_with_their_first_row(paper, orientation):
    setup = PageSetup(paper=paper, orientation=orientation)
    for seed in (3, 4):
        plan = _nested(70, seed)
        assert _violations(plan, setup) == []


@pytest.mark.parametrize("paper,orientation", SETUPS)
def test_the_samples_keep_headings_with_their_first_row(paper, orientation):
    setup = PageSetup(paper=paper, orientation=orientation)
    for path in SAMPLES:
        assert _violations(read_plan_json(path), setup) == [], path.name


def test_a_parent_that_would_end_a_page_moves_to_the_next_one():
    # a pillar whose initiatives fill the page up to a parent whose sub-action no longer fits
    setup = PageSetup(paper="A4", orientation="landscape")
    base = generated(40, pillars=1, seed=7)
    plan = Plan(base.title, base.organization, base.start_fy, base.end_fy, [Pillar("基本方針1")])
    sheet = layout_sheet(base, setup)
    on_first = len(sheet.pages[0].initiative_rows)
    inits = base.pillars[0].initiatives
    parent = inits[on_first - 1]
    parent.children = [Initiative("小取組", "説明", ["課"], phases=list(parent.phases[:1]))]
    plan.pillars[0].initiatives = inits
    pages = layout_sheet(plan, setup).pages
    assert pages[0].rows[-1][1].uid != parent.uid
    second = [r.uid for _, r in pages[1].rows]
    assert second.index(parent.uid) + 1 == second.index(parent.children[0].uid)
