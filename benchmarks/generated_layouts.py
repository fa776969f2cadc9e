"""Import many generated office-style workbooks and score them against the plans they were built from.

Run: .venv/bin/python benchmarks/generated_layouts.py [--seeds 3] [--count 400] [--libreoffice 8] [--show 5]
Prints `name: value` lines: phases_exact_pct, non_roadmaps_refused_pct, cases, … and
`fail[dimension=value]: N` for every dimension value of a case that was not exact. The
layout generator (its dimensions are listed in tests/generators/layouts.py) is the one the
suite runs with a fixed seed; here it runs over more seeds, and a handful of the workbooks
are re-saved by LibreOffice (the third writer) when soffice is installed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.generators.layouts import make_cases  # noqa: E402
from tests.generators.scoring import score_case, summarize  # noqa: E402
from tests.generators.sheets import resave_with_libreoffice  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="how many seeds (1000, 1001, …)")
    parser.add_argument("--count", type=int, default=400, help="cases per seed")
    parser.add_argument("--libreoffice", type=int, default=8, help="cases re-saved by LibreOffice (0: none)")
    parser.add_argument("--show", type=int, default=0, help="print the misses of this many failed cases")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        saved = []
        for seed in range(1000, 1000 + args.seeds):
            seed_dir = out / str(seed)
            seed_dir.mkdir()
            for case in make_cases(seed, args.count):
                saved.append((case, case.save(seed_dir)))
        for case, path in saved:
            scores.append(score_case(case, path))
        if args.libreoffice:
            rng = random.Random(7)
            picked = rng.sample(saved, min(args.libreoffice, len(saved)))
            converted = resave_with_libreoffice([p for _, p in picked], out / "libreoffice")
            for case, path in picked:
                if path in converted:
                    case.dims = {**case.dims, "writer": "libreoffice"}
                    scores.append(score_case(case, converted[path]))
            print(f"libreoffice_cases: {len(converted)}")
    summary = summarize(scores)
    failures = summary.pop("failures")
    for key, value in summary.items():
        print(f"{key}: {value}")
    print(f"seconds: {time.perf_counter() - started:.1f}")
    for key, value in failures.items():
        print(f"fail[{key}]: {value}")
    shown = 0
    for s in scores:
        if shown >= args.show:
            break
        if not s.ok:
            shown += 1
            print(f"--- {s.case.name} {s.case.dims}")
            for miss in s.misses[:6]:
                print(f"    {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
