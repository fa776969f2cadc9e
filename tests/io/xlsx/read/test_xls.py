"""Legacy .xls workbooks are read through xlrd with the same reader as .xlsx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dxroadmap.formats import read_any
from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.io.xlsx.read import xls as xls_module
from dxroadmap.io.xlsx.read.xls import load_xls

FIXTURES = Path(__file__).resolve().parents[4].parent / "shared" / "fixtures"
S08 = FIXTURES / "s08_err_legacy_xls.xls"

needs_fixture = pytest.mark.skipif(not S08.is_file(), reason="../shared/fixtures is absent")


@needs_fixture
def test_the_xls_grid_has_cells_merges_and_fills():
    book = load_xls(S08)
    assert [t.title for t in book.tabs] == ["ロードマップ"] and book.tabs[0].state == "visible"
    g = book.grid("ロードマップ")
    assert g.raw(3, 4) == "令和5年度"
    assert g.fill(5, 4) == ("rgb", "CCFFFF") and g.color_of(g.fill(5, 4)) == "#CCFFFF"
    assert g.fill(1, 1) is None
    assert g.merges and all(m.width * m.height > 1 for m in g.merges)
    assert g.merge_at(g.merges[0].max_row, g.merges[0].max_col) is g.merges[0]


@needs_fixture
def test_the_legacy_fixture_imports_to_its_plan():
    result = read_any(S08)
    got = plan_to_dict(result.plan)["plan"]
    expected = json.loads((FIXTURES / "s08_err_legacy_xls.imported.json").read_text(encoding="utf-8"))
    assert (got["period"]["start_fy"], got["period"]["end_fy"]) == (2023, 2027)
    names = [i["name"] for p in got["pillars"] for i in p["initiatives"]]
    assert names == [i["name"] for i in expected["initiatives"]]


def test_a_password_protected_xls_is_refused_as_encrypted(tmp_path, monkeypatch):
    import xlrd

    def encrypted(*_args, **_kwargs):
        raise xlrd.XLRDError("Workbook is encrypted")

    monkeypatch.setattr(xlrd, "open_workbook", encrypted)
    path = tmp_path / "locked.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(PlanReadError) as info:
        xls_module.load_xls(path)
    assert info.value.reason == "encrypted"


def test_a_damaged_xls_is_not_a_workbook(tmp_path):
    path = tmp_path / "broken.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 700)
    with pytest.raises(PlanReadError) as info:
        read_any(path)
    assert info.value.reason == "not-a-workbook"
