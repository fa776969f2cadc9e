"""Fuzzing the plan JSON reader: mutated plan files give a Plan or a PlanReadError, nothing else.

Bounded for the unit suite (about 200 examples); ``benchmarks/fuzz_readers.py --seconds N``
runs the same kind of mutations for as long as asked, over JSON and xlsx.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.plan_json import dumps, plan_to_dict, read_plan_json
from dxroadmap.model.fiscal import month_index
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan


def _seed_plan() -> Plan:
    sub = Initiative("ア. 電子申請", departments=["情報政策課"], phases=[Phase(month_index(2024, 10), month_index(2025, 3), "実証実験")])
    return Plan(title="松浦市ＤＸ推進計画", organization="松浦市", start_fy=2023, end_fy=2027, pillars=[
        Pillar("行政のＤＸ", [
            Initiative("書かない窓口", summary="申請書の記入を減らす", departments=["市民課", "情報政策課"],
                       priority_items=["フロントヤード改革"], kpi="80%", status="検討中",
                       phases=[Phase(month_index(2023, 4), month_index(2024, 3), "検討", PhaseKind.STUDY, "#F4B183"),
                               Phase(month_index(2024, 4), month_index(2028, 3), "本運用")],
                       milestones=[Milestone(month_index(2024, 4), "開始")], children=[sub]),
        ], description="職員の働き方"),
        Pillar("地域のＤＸ", [Initiative("オープンデータ")]),
    ])


SEED_PRETTY = dumps(_seed_plan()).encode("utf-8")
SEED_COMPACT = json.dumps(json.loads(SEED_PRETTY), ensure_ascii=True, separators=(",", ":")).encode("ascii")
SEEDS = (SEED_PRETTY, SEED_COMPACT)
TOKENS = (b'"', b"{", b"}", b"[", b"]", b",", b":", b"null", b"NaN", b"-", b"1e999", b"\\u", b"\\ud800", b"\xff",
          b"\xef\xbb\xbf", b"\x00", b"0" * 30, b'"2023-13"', b"true", b"99999", b"\xe3\x81")


def _at(position: float, length: int) -> int:
    return min(length, int(position * (length + 1)))


def apply(data: bytes, ops: list[tuple]) -> bytes:
    """Apply mutations; positions are fractions of the current length so any order works."""
    buf = bytearray(data)
    for op in ops:
        kind = op[0]
        if kind == "flip" and buf:
            i = _at(op[1], len(buf) - 1)
            buf[i] ^= 1 << op[2]
        elif kind == "truncate":
            del buf[_at(op[1], len(buf)):]
        elif kind == "delete":
            a, b = sorted((_at(op[1], len(buf)), _at(op[2], len(buf))))
            del buf[a:b]
        elif kind == "insert":
            i = _at(op[1], len(buf))
            buf[i:i] = op[2]
        elif kind == "splice":  # a piece of a valid plan (this one or the other form) copied elsewhere
            src = SEEDS[op[4] % 2]
            a, b = sorted((_at(op[1], len(src)), _at(op[2], len(src))))
            i = _at(op[3], len(buf))
            buf[i:i] = src[a:b]
        elif kind == "duplicate":
            a, b = sorted((_at(op[1], len(buf)), _at(op[2], len(buf))))
            buf[b:b] = bytes(buf[a:b]) * 3
    return bytes(buf)


frac = st.floats(0, 1, allow_nan=False)
mutation = st.one_of(
    st.tuples(st.just("flip"), frac, st.integers(0, 7)),
    st.tuples(st.just("truncate"), frac),
    st.tuples(st.just("delete"), frac, frac),
    st.tuples(st.just("insert"), frac, st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8))),
    st.tuples(st.just("splice"), frac, frac, frac, st.integers(0, 1)),
    st.tuples(st.just("duplicate"), frac, frac),
)


@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "mutant.json"


def check_reader(path, data: bytes) -> str:
    """Read mutated bytes: "plan" or "refused"; anything else fails the test."""
    path.write_bytes(data)
    try:
        plan = read_plan_json(path)
    except PlanReadError as exc:
        assert exc.reason in {"not-json", "foreign", "newer-version", "invalid", "too-large"}, exc.reason
        assert exc.message("en") and exc.message("ja")
        return "refused"
    # whatever was accepted must save and read back the same
    again = dumps(plan)
    path.write_text(again, encoding="utf-8")
    assert plan_to_dict(read_plan_json(path)) == plan_to_dict(plan)
    return "plan"


def test_seeds_are_valid(fuzz_file):
    assert check_reader(fuzz_file, SEED_PRETTY) == "plan"
    assert check_reader(fuzz_file, SEED_COMPACT) == "plan"


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 1), ops=st.lists(mutation, min_size=1, max_size=5))
def test_mutated_plan_json_is_read_or_refused(fuzz_file, seed, ops):
    check_reader(fuzz_file, apply(SEEDS[seed], ops))


def test_mutator_changes_files():
    assert apply(b"abcdefg", [("truncate", 0.5)]) == b"abcd"
    assert apply(b"abcdefg", [("delete", 0.0, 0.5)]) == b"efg"
    assert apply(b"ab", [("flip", 0.0, 0)]) == b"`b"
    assert apply(b"abc", [("insert", 1.0, b"X")]) == b"abcX"
