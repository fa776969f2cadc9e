"""Time importing a 2,000-initiative roadmap workbook against openpyxl's bare load of the same file.

Run: .venv/bin/python benchmarks/import_xlsx.py   (prints `name: value` lines; target ratio <= 1.3)
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402
from openpyxl.styles import PatternFill  # noqa: E402

from dxroadmap.io.xlsx.read.workbook import import_workbook  # noqa: E402

N_INITIATIVES = 2000
YEARS = 5
COLORS = ("F8CBAD", "FFE699", "9BC2E6")
LABELS = ("検討", "実証実験", "導入", "本運用")


def build(path: Path, n: int = N_INITIATIVES) -> None:
    """A quarter-column roadmap: pillar section rows, name/summary/departments, bars as fills."""
    rng = random.Random(4)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ロードマップ"
    ws["A1"] = "ベンチマーク町ＤＸ推進計画　ロードマップ"
    ws.append([])
    heads = ["取組内容", "概要", "関係部門"]
    ws.append(heads + [f"令和{5 + y}年度" if q == 0 else None for y in range(YEARS) for q in range(4)])
    ws.append([None] * 3 + [f"Q{q + 1}" for _ in range(YEARS) for q in range(4)])
    fills = [PatternFill("solid", fgColor=c) for c in COLORS]
    row = 5
    for i in range(n):
        if i % 50 == 0:
            ws.cell(row, 1, f"基本方針{i // 50 + 1}")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3 + 4 * YEARS)
            row += 1
        ws.cell(row, 1, f"取組{i + 1}　デジタル化の推進")
        ws.cell(row, 2, "業務の効率化と住民サービスの向上を目指して、段階的に導入を進めます。")
        ws.cell(row, 3, "ＤＸ推進課、関係課")
        col, k = 4, 0
        end = 4 + 4 * YEARS
        while col < end and k < 4:
            length = rng.randint(2, 8)
            ws.cell(row, col, LABELS[k])
            for c in range(col, min(col + length, end)):
                ws.cell(row, c).fill = fills[k % 3]
            col += length
            k += 1
        row += 1
    wb.save(path)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roadmap_2000.xlsx"
        build(path)
        best_import = best_load = float("inf")
        for _ in range(5):  # best of five: other processes share the machine
            t = time.perf_counter()
            openpyxl.load_workbook(path)
            best_load = min(best_load, time.perf_counter() - t)
            t = time.perf_counter()
            result = import_workbook(path)
            best_import = min(best_import, time.perf_counter() - t)
        count = result.plan.counts()
        print(f"initiatives: {count['initiatives']}")
        print(f"phases: {count['phases']}")
        print(f"import_s: {best_import:.3f}")
        print(f"load_workbook_s: {best_load:.3f}")
        print(f"ratio: {best_import / best_load:.2f}")


if __name__ == "__main__":
    main()
