"""Workbooks drawn by LibreOffice (tests/data/make_lo_workbooks.py) import to exactly their expected plans.

The files and their ``NAME.expected.json`` are committed in tests/data/workbooks; they are in
styles the town-office fixtures do not cover (LibreOffice shapes and column widths, half-year
columns under 平成31年度（令和元年度）, Western years with R6 below, legends, 備考 columns…).
Every initiative is compared field by field: pillar, parent, departments, phases (exact start
and end months and labels, in order) and milestones (months and labels), plus the plan period,
and nothing may be imported that is not in the expected plan.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from dxroadmap.formats import read_any
from dxroadmap.io.xlsx.read.workbook import import_workbook
from dxroadmap.model.fiscal import format_ym

DATA = Path(__file__).resolve().parents[3] / "data" / "workbooks"
CASES = sorted(p.name[: -len(".expected.json")] for p in DATA.glob("*.expected.json"))


def _norm(text) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _flatten(plan) -> list[dict]:
    out = []

    def walk(init, pillar, parent):
        out.append({"pillar": pillar, "name": init.name, "parent": parent, "departments": list(init.departments),
                    "phases": [{"label": p.label, "start": format_ym(p.start), "end": format_ym(p.end)}
                               for p in init.phases],
                    "milestones": [{"label": m.label, "date": format_ym(m.month)} for m in init.milestones]})
        for child in init.children:
            walk(child, pillar, init.name)

    for pillar in plan.pillars:
        for init in pillar.initiatives:
            walk(init, pillar.name, None)
    return out


def _comparable(init: dict) -> dict:
    return {"pillar": _norm(init["pillar"]), "name": _norm(init["name"]),
            "parent": _norm(init["parent"]) if init["parent"] else None,
            "departments": [_norm(d) for d in init["departments"]],
            "phases": sorted((p["start"], p["end"], _norm(p["label"]) or None) for p in init["phases"]),
            "milestones": sorted((m["date"], _norm(m["label"]) or None) for m in init["milestones"])}


def test_the_corpus_is_there_and_small():
    assert len(CASES) >= 3
    files = list(DATA.iterdir())
    assert len(files) <= 12
    for path in files:
        assert path.stat().st_size <= 60_000, path.name
    for case in CASES:
        assert (DATA / f"{case}.xlsx").is_file()


@pytest.mark.parametrize("case", CASES)
def test_imports_to_the_expected_plan(case):
    expected = json.loads((DATA / f"{case}.expected.json").read_text(encoding="utf-8"))
    result = read_any(DATA / f"{case}.xlsx")
    plan = result.plan
    assert (plan.start_fy, plan.end_fy) == (expected["period"]["start_fy"], expected["period"]["end_fy"])
    got = [_comparable(i) for i in _flatten(plan)]
    want = [_comparable(i) for i in expected["initiatives"]]
    assert [g["name"] for g in got] == [w["name"] for w in want]
    for g, w in zip(got, want):
        assert g == w, w["name"]


@pytest.mark.parametrize("case", CASES)
def test_no_row_is_dropped_silently(case):
    """Rows that are not initiatives are reported with a role (legend, note, pillar…), never skipped."""
    result = import_workbook(DATA / f"{case}.xlsx")
    roles = {d.role for d in result.report}
    assert "initiative" in roles
    assert not [d for d in result.report if d.role == "unplaced"]
