"""Hostile and broken plan JSON: every file is refused with the right reason, quickly, never a crash.

The corpus is built here (nothing is stored): truncations, 100,000-deep nesting, a 50 MB
string, NaN/Infinity, wrong types at every key, impossible months, BOMs, UTF-16, binary
garbage, empty files, newer versions and other programs' JSON.
"""

from __future__ import annotations

import copy
import json
import os
import random
import time

import pytest

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.plan_json import dumps, read_plan_json
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan

LIMIT_SECONDS = 2.0


def valid_plan() -> Plan:
    child = Initiative("① 窓口の予約", summary="予約システム", departments=["市民課"],
                       phases=[Phase(month_index(2024, 4), month_index(2025, 3), "導入")])
    return Plan(title="網走市ＤＸ推進計画", organization="網走市", start_fy=2023, end_fy=2027, pillars=[
        Pillar("市民の目線", description="くらしのＤＸ", initiatives=[
            Initiative("書かない窓口", summary="申請書を書かずに手続き", departments=["市民課", "情報政策課"],
                       priority_items=["フロントヤード改革"], kpi="50%", status="実施中", notes="備考",
                       phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討", PhaseKind.STUDY, "#F4B183")],
                       milestones=[Milestone(month_index(2024, 4), "開始")], children=[child]),
        ]),
    ])


VALID_TEXT = dumps(valid_plan())
VALID_DOC = json.loads(VALID_TEXT)


def refuse(tmp_path, data: bytes | str, reason: str | tuple[str, ...], name: str = "hostile.json") -> PlanReadError:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    start = time.perf_counter()
    with pytest.raises(PlanReadError) as info:
        read_plan_json(path)
    elapsed = time.perf_counter() - start
    assert elapsed < LIMIT_SECONDS, f"took {elapsed:.2f} s"
    reasons = (reason,) if isinstance(reason, str) else reason
    assert info.value.reason in reasons, (info.value.reason, info.value.message("en"))
    for lang in ("en", "ja"):
        text = info.value.message(lang)
        assert text and "Traceback" not in text and len(text) < 400
    return info.value


def test_the_valid_plan_reads(tmp_path):
    path = tmp_path / "ok.json"
    path.write_text(VALID_TEXT, encoding="utf-8")
    assert read_plan_json(path).title == "網走市ＤＸ推進計画"


@pytest.mark.parametrize("fraction", [0.0001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
def test_truncated(tmp_path, fraction):
    cut = max(1, int(len(VALID_TEXT.encode("utf-8")) * fraction))
    data = VALID_TEXT.encode("utf-8")[:cut]
    # a cut through a multi-byte character is not UTF-8 either
    refuse(tmp_path, data, "not-json")


def test_deeply_nested_arrays(tmp_path):
    depth = 100_000
    refuse(tmp_path, "[" * depth + "]" * depth, "not-json")
    refuse(tmp_path, '{"format": "dxroadmap-plan", "version": 1, "plan": ' + "[" * depth + "]" * depth + "}", "not-json")
    refuse(tmp_path, '{"a":' * depth + "1" + "}" * depth, "not-json")


def test_deeply_nested_sub_actions(tmp_path):
    doc = copy.deepcopy(VALID_DOC)
    node = doc["plan"]["pillars"][0]["initiatives"][0]
    for level in range(80):
        child = {"name": f"段{level}", "children": []}
        node["children"] = [child]
        node = child
    error = refuse(tmp_path, json.dumps(doc, ensure_ascii=False), "invalid")
    assert "deeply" in error.message("en")


def test_huge_string(tmp_path):
    doc = copy.deepcopy(VALID_DOC)
    doc["plan"]["title"] = "あ" * (50 * 1024 * 1024 // 3)  # 50 MB of UTF-8
    error = refuse(tmp_path, json.dumps(doc, ensure_ascii=False), "too-large")
    assert "plan.title" in error.message("en")
    doc = copy.deepcopy(VALID_DOC)
    doc["plan"]["pillars"][0]["initiatives"][0]["summary"] = "x" * (50 * 1024 * 1024)
    refuse(tmp_path, json.dumps(doc), "too-large")


def test_file_larger_than_any_plan(tmp_path):
    path = tmp_path / "sparse.json"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    start = time.perf_counter()
    with pytest.raises(PlanReadError) as info:
        read_plan_json(path)
    assert info.value.reason == "too-large" and time.perf_counter() - start < LIMIT_SECONDS


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity(tmp_path, constant):
    refuse(tmp_path, VALID_TEXT.replace('"start_fy": 2023', f'"start_fy": {constant}'), "not-json")
    error = refuse(tmp_path, VALID_TEXT.replace('"version": 1,', f'"version": 1, "extra": [{constant}],'), "not-json")
    assert constant.lstrip("-") in error.message("en")


def test_absurd_numbers(tmp_path):
    refuse(tmp_path, VALID_TEXT.replace('"start_fy": 2023', '"start_fy": 1' + "0" * 5000), "not-json")
    refuse(tmp_path, VALID_TEXT.replace('"start_fy": 2023', '"start_fy": 1e999'), "invalid")
    refuse(tmp_path, VALID_TEXT.replace('"start_fy": 2023', '"start_fy": -2023'), "invalid")
    refuse(tmp_path, VALID_TEXT.replace('"end_fy": 2027', '"end_fy": 2023.5'), "invalid")


def _paths(node, prefix=()):
    """Every (path, value) in a JSON document, depth first."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from _paths(value, prefix + (k,))


def _replaced(doc, path, value):
    doc = copy.deepcopy(doc)
    if not path:
        return value
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


WRONG_VALUES = [123, 2.5, True, "文字", [], {"x": 1}, None]
TOLERANT_KEYS = {"kind", "color"}  # our own presentation keys: a value we cannot use is ignored


def test_wrong_types_everywhere(tmp_path):
    path = tmp_path / "wrong.json"
    cases = refused = 0
    for where, original in _paths(VALID_DOC):
        for wrong in WRONG_VALUES:
            if type(wrong) is type(original) or (where and where[-1] in TOLERANT_KEYS):
                continue
            cases += 1
            path.write_text(json.dumps(_replaced(VALID_DOC, where, wrong), ensure_ascii=False), encoding="utf-8")
            try:
                read_plan_json(path)
            except PlanReadError as exc:
                refused += 1
                assert exc.reason in ("invalid", "foreign", "newer-version"), (where, wrong, exc.reason)
                continue
            # accepted only as "missing" (null), where the contract lets a value be left out
            assert wrong is None, (where, wrong)
    assert cases > 150 and refused > 0.8 * cases


@pytest.mark.parametrize("month", ["2023-13", "2023-00", "abcd-ef", "2023-4-1", "2023/04", "", "R5-04", "99999-01", "2023-1a"])
def test_invalid_months(tmp_path, month):
    error = refuse(tmp_path, VALID_TEXT.replace('"start": "2023-04"', f'"start": {json.dumps(month)}'), "invalid")
    assert "YYYY-MM" in error.message("en")
    refuse(tmp_path, VALID_TEXT.replace('"date": "2024-04"', f'"date": {json.dumps(month)}'), "invalid")


def test_byte_order_marks(tmp_path):
    bom = b"\xef\xbb\xbf"
    path = tmp_path / "notepad.json"
    path.write_bytes(bom + VALID_TEXT.encode("utf-8"))  # Windows Notepad's UTF-8: a real plan, read as such
    assert read_plan_json(path).title == "網走市ＤＸ推進計画"
    refuse(tmp_path, bom, "not-json")
    refuse(tmp_path, bom + VALID_TEXT.encode("utf-8")[:100], "not-json")
    refuse(tmp_path, bom + bom + VALID_TEXT.encode("utf-8"), "not-json")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files(tmp_path, encoding):
    error = refuse(tmp_path, VALID_TEXT.encode(encoding), "not-json")
    if encoding.startswith("utf-16"):
        assert "UTF-16" in error.message("en") and "UTF-8" in error.message("ja")


def test_binary_garbage(tmp_path):
    rng = random.Random(6)
    for size in (1, 7, 1000, 100_000):
        refuse(tmp_path, bytes(rng.randrange(256) for _ in range(size)), "not-json")
    refuse(tmp_path, b"\x00" * 5000, "not-json")
    refuse(tmp_path, b"\x89PNG\r\n\x1a\n" + bytes(200), "not-json")
    error = refuse(tmp_path, b"PK\x03\x04" + bytes(200), "not-json", name="renamed.xlsx.json")
    assert "workbook" in error.message("en")
    refuse(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "not-json")
    refuse(tmp_path, VALID_TEXT.replace('"version"', '"vers\x00ion"'), "not-json")  # raw control character


@pytest.mark.parametrize("content", ["", " ", "\n\n", "\t \r\n"])
def test_empty_files(tmp_path, content):
    error = refuse(tmp_path, content, "not-json")
    assert "empty" in error.message("en")


@pytest.mark.parametrize("version, reason", [(2, "newer-version"), (10**30, "newer-version"), (0, "invalid"),
                                             (-1, "invalid"), ("1", "invalid"), (1.0, "invalid"), (None, "invalid")])
def test_versions(tmp_path, version, reason):
    error = refuse(tmp_path, json.dumps(_replaced(VALID_DOC, ("version",), version)), reason)
    if reason == "newer-version":
        assert "newer" in error.message("en") and "新しい" in error.message("ja")


@pytest.mark.parametrize("text", [
    '{"hello": "world"}', "[]", '"a string"', "123", "null", "true",
    '{"name": "my-app", "version": "1.0.0", "dependencies": {}}',
    '{"type": "FeatureCollection", "features": []}',
    '{"format": "dxroadmap-plans", "version": 1, "plan": {}}',
    '{"format": ["dxroadmap-plan"], "version": 1}',
])
def test_other_programs_json(tmp_path, text):
    refuse(tmp_path, text, "foreign")


def test_text_that_could_not_be_saved_again(tmp_path):
    refuse(tmp_path, VALID_TEXT.replace('"網走市ＤＸ推進計画"', '"\\ud800 壊れた文字"'), "invalid")


def test_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    start = time.perf_counter()
    with pytest.raises(PlanReadError) as info:
        read_plan_json(fifo)  # would block forever if it were opened
    assert info.value.reason == "unreadable" and time.perf_counter() - start < LIMIT_SECONDS
    with pytest.raises(PlanReadError) as info:
        read_plan_json(tmp_path)
    assert info.value.reason == "unreadable"
