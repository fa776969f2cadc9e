"""Public Gantt workbooks nobody on this project wrote: each imports, or is refused cleanly, in bounded time.

They are read from ../shared/real-workbooks (never copied into the repository).
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from dxroadmap.formats import read_any
from dxroadmap.io.errors import PlanReadError
from dxroadmap.model.validation import validate

REAL = Path(__file__).resolve().parents[4].parent / "shared" / "real-workbooks"
FILES = sorted(REAL.glob("*.xls*")) if REAL.is_dir() else []
LIMIT_S = 60

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/real-workbooks is absent")


class _TooSlow(Exception):
    pass


def _import_with_limit(path: Path):
    def alarm(_sig, _frame):
        raise _TooSlow(path.name)

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(LIMIT_S)
    start = time.perf_counter()
    try:
        try:
            return read_any(path), None, time.perf_counter() - start
        except PlanReadError as exc:
            return None, exc, time.perf_counter() - start
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_imports_or_refuses_cleanly(path):
    result, error, elapsed = _import_with_limit(path)
    assert elapsed < LIMIT_S
    if error is not None:
        assert error.reason in ("legacy-xls", "no-roadmap", "not-a-workbook", "encrypted", "too-large")
        for lang in ("en", "ja"):
            text = error.message(lang)
            assert text and "Traceback" not in text and text.count("\n") == 0
        return
    plan = result.plan
    assert plan.initiatives(), "a plan with no initiative should have been refused"
    assert not [p for p in validate(plan) if p.code in ("phase-order", "initiative-name", "pillar-name")]
    for _pillar, init in plan.walk():
        assert init.name.strip()
        for ph in init.phases:
            assert ph.start <= ph.end


def _read(name: str):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared/real-workbooks")
    return read_any(path)


def test_legacy_xls_is_read_through_xlrd_not_refused_for_its_format():
    """The legacy .xls (a 工程表 template with no fiscal-year schedule) is read like any workbook, not refused for its format."""
    path = REAL / "chacouru_koteihyo_legacy.xls"
    if not path.exists():
        pytest.skip("no legacy workbook")
    with pytest.raises(PlanReadError) as info:
        read_any(path)
    assert info.value.reason == "no-roadmap"


def test_daily_schedule_becomes_month_bars_with_a_rounding_warning():
    result = _read("ganaha_WBS.xlsx")
    assert any("rounded" in w for w in result.warnings)
    inits = result.plan.initiatives()
    assert len(inits) > 20
    with_bars = [i for i in inits if i.phases]
    assert len(with_bars) > 20
    # one month-based bar per row here: the daily cells of a task touch each other
    assert all(len(i.phases) <= 3 for i in with_bars)
    assert all(ph.start >= 2018 * 12 for i in with_bars for ph in i.phases)


def test_start_and_end_date_columns_give_bars():
    result = _read("deepika_simple_gantt.xlsx")
    names = [i.name for i in result.plan.initiatives()]
    assert names == [f"Task-{n}" for n in range(1, 8)]
    first = result.plan.initiatives()[0]
    assert [(p.start, p.end) for p in first.phases] == [(2022 * 12 + 9, 2022 * 12 + 10)]  # Oct–Nov 2022
