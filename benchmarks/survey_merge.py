"""Time merging 40 returned department surveys into a 300-initiative plan, against openpyxl just loading them.

Run: ``python benchmarks/survey_merge.py`` — prints ``name: value`` lines: ``merge_s`` (reading
every returned workbook, building each department's answers and the three-way merge),
``openpyxl_load_s`` (``openpyxl.load_workbook`` of the same files, nothing else) and
``ratio`` (target ≤ 1.5).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402

from dxroadmap.io.surveys.merge_back import load_sent, merge_returned  # noqa: E402
from dxroadmap.io.surveys.write import write_surveys  # noqa: E402
from dxroadmap.model.fiscal import month_index  # noqa: E402
from dxroadmap.model.plan import Initiative, Phase, Pillar, Plan, guess_kind  # noqa: E402

N_INITIATIVES, N_DEPARTMENTS = 300, 40
LABELS = ("検討", "準備", "実証実験", "導入", "本運用", "継続")


def plan_of(n: int = N_INITIATIVES, seed: int = 7) -> Plan:
    rnd = random.Random(seed)
    plan = Plan("ベンチマーク市ＤＸ推進計画", "ベンチマーク市", 2023, 2027, [Pillar(f"基本方針{k + 1}") for k in range(6)])
    first, last = month_index(2023, 4), month_index(2028, 3)
    for i in range(n):
        start, phases = first + rnd.randrange(0, 24), []
        while start <= last and len(phases) < 3:
            end = min(last, start + rnd.randrange(3, 24))
            label = rnd.choice(LABELS)
            phases.append(Phase(start, end, label, guess_kind(label)))
            start = end + 1
        departments = sorted({f"{k:02d}課" for k in rnd.sample(range(N_DEPARTMENTS), rnd.choice((1, 1, 2)))})
        init = Initiative(f"取組{i + 1:03d} デジタル技術の活用", "業務の効率化を目指します。", departments, phases=phases)
        if i % 3 == 0:
            init.children = [Initiative(f"細目{i + 1:03d}-{k}", phases=[Phase(phases[0].start, phases[0].end, "実施")])
                             for k in range(2)]
        plan.pillars[i % 6].initiatives.append(init)
    return plan


def fill(path: Path, k: int) -> None:
    """A department answers: status and 実績 on every other row."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = next(r[0].row for r in ws.iter_rows() if {"取組名", "状況"} <= {c.value for c in r})
    cols = {c.value: c.column for c in ws[header] if isinstance(c.value, str)}
    status = cols["状況"]
    actual = next(c for name, c in cols.items() if name.endswith("実績"))
    for n, r in enumerate(range(header + 2, ws.max_row + 1)):
        if ws.cell(r, 1).value and n % 2 == 0:
            ws.cell(r, status).value = ("実施中", "完了", "遅延")[(k + n) % 3]
            ws.cell(r, actual).value = f"令和5年度は計画どおり実施した（{k}-{n}）。"
    wb.save(path)


def main() -> None:
    plan = plan_of()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        files = write_surveys(plan, out, 2023)
        paths = [f.path for f in files]
        for k, p in enumerate(paths):
            fill(p, k)
        sent = load_sent(out / "survey.json")
        t0 = time.perf_counter()
        for p in paths:
            openpyxl.load_workbook(p)
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        outcome = merge_returned(plan, paths, [sent])
        merge_s = time.perf_counter() - t0
    print(f"workbooks: {len(paths)}")
    print(f"initiatives: {len(plan.initiatives())}")
    print(f"changes_merged: {len(outcome.applied)}")
    print(f"conflicts: {len(outcome.conflicts)}")
    print(f"merge_s: {merge_s:.3f}")
    print(f"openpyxl_load_s: {load_s:.3f}")
    print(f"ratio: {merge_s / load_s:.2f}")


if __name__ == "__main__":
    main()
