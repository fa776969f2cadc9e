"""Every town-office fixture in ../shared/fixtures imports to its expected plan (score.py at 100%)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from dxroadmap.formats import read_any
from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.plan_json import plan_to_dict

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"

pytestmark = pytest.mark.skipif(not (FIXTURES / "score.py").is_file(), reason="../shared/fixtures is absent")


def _score_module():
    spec = importlib.util.spec_from_file_location("fixture_score", FIXTURES / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _convert_all(out: Path) -> dict[str, str]:
    """Import every case like `dxroadmap convert` does: CASE.json, or CASE.error + CASE.rc."""
    reasons = {}
    for path in sorted(FIXTURES.glob("s*.xls*")):
        case = path.name.rsplit(".", 1)[0]
        try:
            result = read_any(path)
        except PlanReadError as exc:
            (out / f"{case}.error").write_text(exc.reason + "\n", encoding="utf-8")
            (out / f"{case}.rc").write_text("3\n")
            reasons[case] = exc.reason
            assert exc.message("en") and exc.message("ja")
            continue
        (out / f"{case}.json").write_text(json.dumps(plan_to_dict(result.plan), ensure_ascii=False), encoding="utf-8")
    return reasons


def _expected_dir(tmp: Path) -> Path:
    """The fixtures' expected plans, with CASE.imported.json in place of CASE.expected.json where a case that
    used to be refused is now read (s08: a legacy .xls workbook, read through xlrd; see the fixtures README)."""
    for path in FIXTURES.glob("*.expected.json"):
        case = path.name[: -len(".expected.json")]
        imported = FIXTURES / f"{case}.imported.json"
        (tmp / path.name).write_text((imported if imported.is_file() else path).read_text(encoding="utf-8"), encoding="utf-8")
    return tmp


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    out = tmp_path_factory.mktemp("pred")
    reasons = _convert_all(out)
    report = _score_module().run(out, _expected_dir(tmp_path_factory.mktemp("expected")), quiet=True)
    return report, reasons


METRICS = ("init_recall", "init_precision", "phase_recall", "phase_precision", "label_match", "milestone_recall",
           "department_match", "pillar_match", "parent_match", "period_correct", "error_case_correct")


@pytest.mark.parametrize("metric", METRICS)
def test_total_metric_is_perfect(scored, metric):
    report, _ = scored
    assert report["total"][metric] == 1.0, {k: v for k, v in report["cases"].items()}


def test_every_case_is_perfect(scored):
    report, _ = scored
    bad = {}
    for case, data in report["cases"].items():
        if "error_expected" in data:
            if not data["pass"]:
                bad[case] = data
            continue
        misses = {k: data[k] for k in METRICS[:9] if data[k] != 1.0}
        if misses or data["status"] != "plan" or not data["counts"]["period_ok"]:
            bad[case] = misses or data["status"]
    assert not bad


def test_error_cases_are_refused_with_the_named_reason(scored):
    _, reasons = scored
    for path in sorted(FIXTURES.glob("*.expected.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        if exp["error"] and not (FIXTURES / f"{exp['case']}.imported.json").is_file():
            assert reasons.get(exp["case"]) == exp["error"], exp["case"]
