"""Regressions found by fuzzing the readers."""

import zipfile

import pytest

from dxroadmap.formats import read_any
from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.export import write_workbook
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Phase, Pillar, Plan


def test_a_saved_workbook_with_a_broken_stylesheet_is_refused_not_a_traceback(tmp_path):
    """The quick data-sheet path let openpyxl's XML ParseError escape (found by benchmarks/fuzz_readers.py)."""
    good = tmp_path / "good.xlsx"
    plan = Plan(pillars=[Pillar("柱", [Initiative("取組", phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討")])])])
    write_workbook(plan, good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = data[:300] + b"<\x01broken" + data[300:]
            dst.writestr(item, data)
    with pytest.raises(PlanReadError):
        read_any(bad)
