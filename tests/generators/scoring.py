"""Score what the reader made of generated workbooks against the plans they were built from.

A phase is *exact* when it sits in the right initiative (same name, same parent) with the
same first month, last month and label (NFKC, white space ignored, as the fixture scorer
compares). Phases the reader invented count against it: ``phases_exact_pct`` is
matched / (expected + spurious). A non-roadmap is right only when it is refused as
``no-roadmap``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dxroadmap.formats import read_any
from dxroadmap.io.errors import PlanReadError
from tests.generators.layouts import Case

__all__ = ["CaseScore", "score_case", "summarize", "norm"]


def norm(text: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))) if text else ""


@dataclass
class CaseScore:
    """How one case came out."""

    case: Case
    refused: str | None = None  # the PlanReadError reason, if the reader refused the file
    crashed: str | None = None  # any other exception (always a failure)
    expected_phases: int = 0
    matched_phases: int = 0
    spurious_phases: int = 0
    initiatives_found: int = 0
    pillar_misses: int = 0
    parent_misses: int = 0
    period_ok: bool = True
    misses: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if not self.case.roadmap:
            return self.refused == "no-roadmap" and not self.crashed
        return (not self.refused and not self.crashed and self.matched_phases == self.expected_phases
                and not self.spurious_phases and self.period_ok)


def _flatten(plan) -> list[tuple[str, str, str, list]]:
    out = []

    def walk(init, pillar, parent):
        out.append((pillar, init.name, parent, [(p.start, p.end, norm(p.label)) for p in init.phases]))
        for child in init.children:
            walk(child, pillar, init.name)

    for pillar in plan.pillars:
        for init in pillar.initiatives:
            walk(init, pillar.name, "")
    return out


def score_case(case: Case, path: Path) -> CaseScore:
    """Import ``path`` (the saved ``case``) as `dxroadmap convert` does and compare."""
    score = CaseScore(case, expected_phases=case.phase_count)
    try:
        result = read_any(path)
    except PlanReadError as exc:
        score.refused = exc.reason
        if case.roadmap:
            score.misses.append(f"refused: {exc.reason}")
        return score
    except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not to hide
        score.crashed = f"{type(exc).__name__}: {exc}"
        score.misses.append(score.crashed)
        return score
    if not case.roadmap:
        score.misses.append("imported a non-roadmap")
        return score
    plan = result.plan
    score.period_ok = (plan.start_fy, plan.end_fy) == (case.start_fy, case.end_fy)
    if not score.period_ok:
        score.misses.append(f"period {plan.start_fy}-{plan.end_fy} != {case.start_fy}-{case.end_fy}")
    got = _flatten(plan)
    used: set[int] = set()
    for exp in case.initiatives:
        key = norm(exp.name)
        candidates = [k for k, g in enumerate(got) if k not in used and norm(g[1]) == key]
        same_parent = [k for k in candidates if norm(got[k][2]) == norm(exp.parent)]
        pick = (same_parent or candidates or [None])[0]
        if pick is None:
            score.misses.append(f"initiative missing: {exp.name}")
            continue
        used.add(pick)
        score.initiatives_found += 1
        g_pillar, _, g_parent, g_phases = got[pick]
        if exp.pillar is not None and norm(exp.pillar) not in norm(g_pillar):
            score.pillar_misses += 1
            score.misses.append(f"pillar of {exp.name}: {g_pillar!r} != {exp.pillar!r}")
        if norm(g_parent) != norm(exp.parent):
            score.parent_misses += 1
            score.misses.append(f"parent of {exp.name}: {g_parent!r} != {exp.parent!r}")
        remaining = list(g_phases)
        for s, e, label in exp.phases:
            want = (s, e, norm(label))
            if want in remaining:
                remaining.remove(want)
                score.matched_phases += 1
            else:
                score.misses.append(f"phase of {exp.name}: want {want}, got {g_phases}")
        score.spurious_phases += len(remaining)
        if remaining:
            score.misses.append(f"extra phases in {exp.name}: {remaining}")
    for k, g in enumerate(got):
        if k not in used and g[3]:
            score.spurious_phases += len(g[3])
            score.misses.append(f"phases in an unexpected initiative {g[1]!r}: {g[3]}")
    return score


def summarize(scores: list[CaseScore]) -> dict[str, object]:
    """Totals: phases_exact_pct, non_roadmaps_refused_pct, cases, and failures per dimension value."""
    roadmaps = [s for s in scores if s.case.roadmap]
    others = [s for s in scores if not s.case.roadmap]
    expected = sum(s.expected_phases for s in roadmaps)
    matched = sum(s.matched_phases for s in roadmaps)
    spurious = sum(s.spurious_phases for s in roadmaps)
    failures: Counter[str] = Counter()
    for s in scores:
        if not s.ok:
            for key, value in s.case.dims.items():
                failures[f"{key}={value}"] += 1
    return {
        "cases": len(scores),
        "roadmaps": len(roadmaps),
        "non_roadmaps": len(others),
        "phases_expected": expected,
        "phases_exact_pct": round(100.0 * matched / max(1, expected + spurious), 2),
        "phases_spurious": spurious,
        "roadmaps_exact_pct": round(100.0 * sum(s.ok for s in roadmaps) / max(1, len(roadmaps)), 2),
        "roadmaps_refused": sum(1 for s in roadmaps if s.refused),
        "periods_ok_pct": round(100.0 * sum(s.period_ok and not s.refused for s in roadmaps) / max(1, len(roadmaps)), 2),
        "non_roadmaps_refused_pct": round(100.0 * sum(s.ok for s in others) / max(1, len(others)), 2),
        "crashes": sum(1 for s in scores if s.crashed),
        "failures": dict(failures.most_common()),
    }
