"""Fuzz the plan readers for a fixed time: mutated JSON plans and mutated .xlsx workbooks.

Run: ``python benchmarks/fuzz_readers.py --seconds 60`` — prints ``name: value`` lines
(``json_cases``, ``xlsx_cases``, ``failures`` …) and exits 1 when any case failed.

A case passes when the reader returns a plan or raises ``PlanReadError``; any other
exception, or a case running longer than ``--case-timeout`` seconds, is a failure, and
its input is kept in ``--save-dir`` for replay. JSON seeds are built here; xlsx seeds
are workbooks written by ``dxroadmap.io.xlsx.export`` plus, when ``../shared`` is beside
the repository, its fixture workbooks (read in place, never copied into the repo).
xlsx cases mutate either the raw zip bytes or one XML part inside an intact zip (so the
XML and workbook logic are reached, not just the zip checksum).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dxroadmap.io.errors import PlanReadError  # noqa: E402
from dxroadmap.io.plan_json import dumps, read_plan_json  # noqa: E402
from dxroadmap.model.fiscal import month_index  # noqa: E402
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan  # noqa: E402

TOKENS = (b'"', b"{", b"}", b"[", b"]", b",", b":", b"null", b"NaN", b"-", b"1e999", b"\\u", b"\\ud800", b"\xff",
          b"\xef\xbb\xbf", b"\x00", b"0" * 30, b'"2023-13"', b"true", b"99999", b"\xe3\x81")
XML_TOKENS = (b"<", b">", b"</c>", b"<row r=\"1048577\">", b"&amp;", b"&#0;", b"&xxe;", b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
              b"r=\"XFD1048576\"", b"t=\"s\"", b"<v>99999999</v>", b"ref=\"A1:XFD1048576\"", b"\xff\xfe", b"\"", b"=")


class CaseTimeout(Exception):
    pass


def sample_plan(seed: int = 1, n: int = 12) -> Plan:
    rnd = random.Random(seed)
    pillars = []
    for p in range(3):
        inits = []
        for i in range(n // 3):
            start = month_index(2023, 4) + rnd.randrange(0, 24)
            phases = [Phase(start, start + rnd.randrange(2, 20), rnd.choice(["検討", "実証実験", "導入", "本運用"]))]
            inits.append(Initiative(f"取組{p}-{i} デジタル窓口", summary="住民の手続きをオンライン化する" * rnd.randrange(1, 3),
                                    departments=["ＤＸ推進課", "市民課"], phases=phases,
                                    milestones=[Milestone(start + 3, "開始")] if i % 2 else [],
                                    children=[Initiative("① 予約", phases=[Phase(start, start + 5, "準備", PhaseKind.PREPARE)])] if i % 3 == 0 else []))
        pillars.append(Pillar(f"基本方針{p + 1}", inits))
    return Plan(f"ＤＸ推進計画 {seed}", "サンプル町", 2023, 2027, pillars)


def mutate_bytes(rnd: random.Random, data: bytes, tokens: tuple[bytes, ...], seeds: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 5)):
        kind = rnd.choice(("flip", "truncate", "delete", "insert", "splice", "duplicate"))
        n = len(buf)
        if kind == "flip" and n:
            buf[rnd.randrange(n)] ^= 1 << rnd.randrange(8)
        elif kind == "truncate":
            del buf[rnd.randint(0, n):]
        elif kind == "delete" and n:
            a = rnd.randrange(n)
            del buf[a:a + rnd.randint(1, 64)]
        elif kind == "insert":
            i = rnd.randint(0, n)
            buf[i:i] = rnd.choice(tokens) if rnd.random() < 0.7 else bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
        elif kind == "splice":
            src = rnd.choice(seeds)
            a = rnd.randint(0, len(src))
            b = min(len(src), a + rnd.randint(1, 200))
            i = rnd.randint(0, n)
            buf[i:i] = src[a:b]
        elif kind == "duplicate" and n:
            a = rnd.randrange(n)
            b = min(n, a + rnd.randint(1, 100))
            buf[b:b] = bytes(buf[a:b]) * rnd.randint(2, 4)
    return bytes(buf)


def mutate_xlsx(rnd: random.Random, data: bytes) -> bytes:
    if rnd.random() < 0.25:  # the raw package
        return mutate_bytes(rnd, data, (b"PK\x03\x04", b"\x00" * 8, b"\xff" * 4), [data])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zin:
            members = [(info, zin.read(info)) for info in zin.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return data
    xml_parts = [k for k, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    choice = rnd.random()
    if choice < 0.1 and members:  # drop a part
        del members[rnd.randrange(len(members))]
    elif choice < 0.15 and members:  # duplicate a part under another name in the same folder
        info, body = rnd.choice(members)
        members.append((zipfile.ZipInfo(info.filename.rsplit("/", 1)[0] + "/extra.xml"), body))
    elif xml_parts:
        k = rnd.choice(xml_parts)
        info, body = members[k]
        members[k] = (info, mutate_bytes(rnd, body, XML_TOKENS, [b for _, b in members]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, body in members:
            zout.writestr(info.filename, body)
    return out.getvalue()


def xlsx_seeds() -> list[bytes]:
    seeds: list[bytes] = []
    try:
        from dxroadmap.io.xlsx.export import write_workbook
    except ImportError:
        write_workbook = None
    if write_workbook is not None:
        with tempfile.TemporaryDirectory() as tmp:
            for seed in (1, 2):
                path = Path(tmp) / f"seed{seed}.xlsx"
                write_workbook(sample_plan(seed), path)
                seeds.append(path.read_bytes())
    fixtures = REPO.parent / "shared" / "fixtures"
    if fixtures.is_dir():
        for path in sorted(fixtures.glob("s0[1-7]_*.xlsx")):
            if path.stat().st_size < 2_000_000:
                seeds.append(path.read_bytes())
    return seeds


def run_case(reader, path: Path, data: bytes, timeout: float) -> tuple[bool, str]:
    """(passed, what happened)."""
    path.write_bytes(data)

    def on_alarm(signum, frame):
        raise CaseTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        reader(path)
        return True, "plan"
    except PlanReadError:
        return True, "refused"
    except CaseTimeout:
        return False, f"no answer within {timeout:g} s"
    except Exception:  # noqa: BLE001 - exactly what we are looking for
        return False, traceback.format_exc(limit=6)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to fuzz (default 30)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock)")
    parser.add_argument("--case-timeout", type=float, default=20.0, help="seconds after which one case counts as hung")
    parser.add_argument("--save-dir", default=os.path.join(tempfile.gettempdir(), "dxroadmap-fuzz-failures"))
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else int(time.time())
    rnd = random.Random(seed)

    json_seeds = [dumps(sample_plan(s)).encode("utf-8") for s in (1, 2)]
    json_seeds.append(json.dumps(json.loads(json_seeds[0]), separators=(",", ":")).encode("ascii"))
    from dxroadmap.io.xlsx.read.workbook import import_workbook

    xlsx = xlsx_seeds()

    counts = {"json": 0, "xlsx": 0, "json_refused": 0, "xlsx_refused": 0}
    spent = {"json": 0.0, "xlsx": 0.0}
    failures = 0
    save_dir = Path(args.save_dir)
    deadline = time.monotonic() + args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < deadline:
            kind = "xlsx" if xlsx and spent["xlsx"] <= spent["json"] else "json"
            began = time.monotonic()
            if kind == "json":
                data = mutate_bytes(rnd, rnd.choice(json_seeds), TOKENS, json_seeds)
                ok, what = run_case(read_plan_json, Path(tmp) / "case.json", data, args.case_timeout)
            else:
                data = mutate_xlsx(rnd, rnd.choice(xlsx))
                ok, what = run_case(import_workbook, Path(tmp) / "case.xlsx", data, args.case_timeout)
            spent[kind] += time.monotonic() - began
            counts[kind] += 1
            counts[f"{kind}_refused"] += what == "refused"
            if not ok:
                failures += 1
                save_dir.mkdir(parents=True, exist_ok=True)
                saved = save_dir / f"failure-{seed}-{counts[kind]}.{kind}"
                saved.write_bytes(data)
                print(f"FAILED {kind} case -> {saved}\n{what}", file=sys.stderr)
    print(f"seed: {seed}")
    print(f"json_cases: {counts['json']}")
    print(f"json_refused: {counts['json_refused']}")
    print(f"xlsx_cases: {counts['xlsx']}")
    print(f"xlsx_refused: {counts['xlsx_refused']}")
    print(f"xlsx_seeds: {len(xlsx)}")
    print(f"failures: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
