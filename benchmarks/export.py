"""Time PDF (and, when available, xlsx) output of a 2,000-initiative plan.

Run: ``python benchmarks/export.py`` — prints ``name: value`` lines.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dxroadmap.model.fiscal import month_index  # noqa: E402
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan, guess_kind  # noqa: E402

N_INITIATIVES = 2000
LABELS = ("検討", "準備", "実証実験", "導入", "本運用", "継続", "システム構築・移行")


def big_plan(n: int = N_INITIATIVES, pillars: int = 8, seed: int = 5) -> Plan:
    rnd = random.Random(seed)
    plan = Plan(f"ベンチマーク計画（{n}取組）", "ベンチマーク市", 2023, 2027,
                [Pillar(f"基本方針{k + 1} デジタルで便利なまちづくり") for k in range(pillars)])
    first, last = month_index(2023, 4), month_index(2028, 3)
    for i in range(n):
        start = first + rnd.randrange(0, 30)
        phases = []
        while start <= last and len(phases) < 4:
            end = min(last, start + rnd.randrange(2, 24))
            label = rnd.choice(LABELS)
            phases.append(Phase(start, end, label, guess_kind(label)))
            start = end + 1
        init = Initiative(f"取組{i + 1:04d} " + "デジタル技術の活用" * rnd.randrange(1, 3),
                          "業務の効率化と住民サービスの向上を目指します。" * rnd.randrange(1, 5),
                          ["ＤＸ推進課", f"関係課{i % 13}"], phases=phases,
                          milestones=[Milestone(first + rnd.randrange(0, 60), "稼働開始")] if i % 4 == 0 else [])
        plan.pillars[i % pillars].initiatives.append(init)
    return plan


def main() -> None:
    from dxroadmap.render.export import ensure_app, sheet_for, write_pdf

    ensure_app()
    plan = big_plan()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "big.pdf"
        t0 = time.perf_counter()
        write_pdf(plan, out, paper="A3", orientation="landscape")
        pdf_s = time.perf_counter() - t0
        pages = len(sheet_for(plan).pages)
        print(f"pdf_s: {pdf_s:.2f}")
        print(f"pdf_pages: {pages}")
        print(f"pdf_bytes: {out.stat().st_size}")
        from dxroadmap.formats import read_any
        from dxroadmap.io.xlsx.export import write_workbook

        t0 = time.perf_counter()
        write_workbook(plan, Path(folder) / "big.xlsx")
        print(f"xlsx_s: {time.perf_counter() - t0:.2f}")
        t0 = time.perf_counter()
        read_any(Path(folder) / "big.xlsx")
        print(f"xlsx_reopen_s: {time.perf_counter() - t0:.2f}")


if __name__ == "__main__":
    main()
