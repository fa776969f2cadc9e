"""Merging returned surveys into the master plan (取りまとめ), three-way.

For each returned workbook (:func:`dxroadmap.io.surveys.read.read_returned`) we build
"theirs": the plan as sent (``survey.json`` of the round) with that department's answers
applied — status, the year's 実績 and 今後の方向性 (kept in the notes, see
:mod:`.layout`), the requested new start / end, a bar repainted by hand (the filled quarter
cells; a phase whose quarters did not change keeps its exact months), a new sub-action row
— and hand all of them to :func:`dxroadmap.model.merge.merge_many` with the master as it is
now. A workbook that is not a survey of this plan's current round is refused with the
reason and contributes nothing. The round is recorded in ``plan.survey_rounds``: who
answered, from which file, when it was saved; :attr:`MergeOutcome.not_yet` lists the
departments that have not answered.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.plan_json import plan_from_dict
from dxroadmap.io.surveys.layout import (
    NEXT_LABEL,
    SURVEY_JSON,
    Quarter,
    actual_label,
    department_plan,
    department_rows,
    get_block,
    plan_fingerprint,
    quarters,
    set_block,
)
from dxroadmap.io.surveys.read import AnswerRow, NotASurvey, ReturnedSurvey, read_returned
from dxroadmap.model.diff import Change, diff_plans
from dxroadmap.model.merge import Conflict, merge_change_lists
from dxroadmap.model.plan import Initiative, Phase, Plan
from dxroadmap.model.wareki import parse_era_month

__all__ = ["Refused", "SentRound", "MergeOutcome", "load_sent", "theirs_from", "merge_returned", "change_line"]


@dataclass
class Refused:
    """A returned file that was not merged, and why."""

    path: Path
    code: str  # unreadable, not-a-survey, no-table, another-plan, older-round, no-sent-plan
    en: str
    ja: str


@dataclass
class SentRound:
    """A survey round as sent: the plan, its identity and the departments asked."""

    plan: Plan
    round: str
    fy: int
    fingerprint: str
    sent: str
    departments: list[str]
    path: Path | None = None


@dataclass
class MergeOutcome:
    """What a merge did: the merged plan, changes applied, conflicts, files refused, answers and notes."""

    plan: Plan
    applied: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    answered: list[dict] = field(default_factory=list)
    not_yet: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (department, text) not applied: stray text, remarks
    round: SentRound | None = None


def load_sent(path: str | os.PathLike) -> SentRound:
    """The round kept in ``survey.json`` (:class:`PlanReadError` when it is not one)."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise PlanReadError("unreadable", f"{path.name} cannot be read ({type(exc).__name__}).",
                            f"{path.name} を読み込めません。") from None
    meta = doc.get("survey") if isinstance(doc, dict) else None
    if not isinstance(meta, dict) or not isinstance(meta.get("fingerprint"), str):
        raise PlanReadError("foreign", f"{path.name} is not a survey round.", f"{path.name} は照会の記録ではありません。")
    plan = plan_from_dict(doc)
    departments = [d.get("department", "") for d in meta.get("departments", []) if isinstance(d, dict)]
    return SentRound(plan, str(meta.get("round", "")), int(meta.get("fy", plan.start_fy)), meta["fingerprint"],
                     str(meta.get("sent", "")), departments, path)


# ------------------------------------------------------------------ theirs


def _sent_colours(init: Initiative, qs: list[Quarter]) -> dict[Quarter, str]:
    """The quarters the survey painted for ``init``, with their colours (as the writer paints them)."""
    out: dict[Quarter, str] = {}
    for q in qs:
        phase = next((p for p in init.phases if p.start <= q.last and p.end >= q.first), None)
        if phase is not None:
            out[q] = phase.display_color.lstrip("#").upper()
    return out


def _runs(filled: dict[Quarter, str], qs: list[Quarter]) -> list[tuple[int, int]]:
    """Runs of painted quarters as (first, last) positions in ``qs``: contiguous and of one colour."""
    runs: list[tuple[int, int]] = []
    previous = None
    for k, q in enumerate(qs):
        if q in filled:
            if runs and runs[-1][1] == k - 1 and filled[q] == previous:
                runs[-1] = (runs[-1][0], k)
            else:
                runs.append((k, k))
            previous = filled[q]
        else:
            previous = None
    return runs


def _phase_run(phase: Phase, qs: list[Quarter]) -> tuple[int, int] | None:
    ks = [k for k, q in enumerate(qs) if phase.start <= q.last and phase.end >= q.first]
    return (ks[0], ks[-1]) if ks else None


def _repaint(init: Initiative, filled: dict[Quarter, str], qs: list[Quarter]) -> None:
    """Phases of ``init`` redrawn from the filled quarters (called only when they differ from what was sent)."""
    runs = _runs(filled, qs)
    inside = sorted((p for p in init.phases if _phase_run(p, qs) is not None), key=lambda p: (p.start, p.end))
    pairs: list[tuple[Phase | None, tuple[int, int]]] = []
    if len(runs) == len(inside):
        pairs = list(zip(inside, runs))
    else:
        free = list(inside)
        for run in runs:
            best = max(free, key=lambda p: _overlap(_phase_run(p, qs), run), default=None)
            if best is not None and _overlap(_phase_run(best, qs), run) > 0:
                free.remove(best)
                pairs.append((best, run))
            else:
                pairs.append((None, run))
        for gone in free:
            init.phases.remove(gone)
    for phase, run in pairs:
        first, last = qs[run[0]].first, qs[run[1]].last
        if phase is None:
            init.phases.append(Phase(start=first, end=last))
            continue
        was = _phase_run(phase, qs)
        if was == run:
            continue
        if was is None or run[0] != was[0] or phase.start > first:
            phase.start = first if not (run[0] == 0 and was and was[0] == 0) else phase.start
        if was is None or run[1] != was[1] or phase.end < last:
            phase.end = last if not (run[1] == len(qs) - 1 and was and was[1] == len(qs) - 1) else phase.end
        if phase.end < phase.start:
            phase.end = phase.start


def _overlap(a: tuple[int, int] | None, b: tuple[int, int]) -> int:
    if a is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)


def _apply_answer(init: Initiative, row: AnswerRow, sent: Initiative | None, fy: int, qs: list[Quarter],
                  notes: list[str]) -> None:
    label = actual_label(fy)
    before = sent if sent is not None else Initiative(name="")
    status = row.values.get("status", "")
    if status != before.status:
        init.status = status
    for key, block in (("actual", label), ("next", NEXT_LABEL)):
        text = row.values.get(key, "")
        if text != get_block(before.notes, block):
            init.notes = set_block(init.notes, block, text)
    if sent is not None and row.name and row.name != sent.name:
        init.name = row.name
    sent_paint = _sent_colours(before, qs)
    if set(row.filled) != set(sent_paint) or _runs(row.filled, qs) != _runs(sent_paint, qs):
        _repaint(init, row.filled, qs)
    for key in ("new_start", "new_end"):
        text = row.values.get(key, "")
        if not text:
            continue
        month = parse_era_month(text)
        if month is None:
            notes.append(f"{init.name}: 「{text}」は 令和N年M月 として読めないため適用しませんでした")
            continue
        if not init.phases:
            init.phases.append(Phase(start=month, end=month))
        elif key == "new_start":
            first = min(init.phases, key=lambda p: p.start)
            first.start = min(month, first.end)
        else:
            last = max(init.phases, key=lambda p: p.end)
            last.end = max(month, last.start)
    if row.values.get("remarks"):
        notes.append(f"{init.name}: 意見・要望「{row.values['remarks']}」")


def _locate(plan: Plan) -> dict[str, tuple[Initiative, list[Initiative]]]:
    """Every initiative by id, with the list it sits in."""
    out: dict[str, tuple[Initiative, list[Initiative]]] = {}

    def visit(items: list[Initiative]) -> None:
        for init in items:
            if init.id:
                out[init.id] = (init, items)
            visit(init.children)

    for pillar in plan.pillars:
        visit(pillar.initiatives)
    return out


def _clone_initiative(init: Initiative) -> Initiative:
    out = copy.copy(init)
    out.departments, out.priority_items = list(init.departments), list(init.priority_items)
    out.phases = [copy.copy(p) for p in init.phases]
    out.milestones = [copy.copy(m) for m in init.milestones]
    out.children = [_clone_initiative(c) for c in init.children]
    return out


def _clone(plan: Plan) -> Plan:
    """A copy of ``plan`` sharing nothing mutable with it (uids kept; much faster than ``deepcopy``)."""
    out = copy.copy(plan)
    out.survey_rounds = copy.deepcopy(plan.survey_rounds)
    out.pillars = []
    for pillar in plan.pillars:
        p = copy.copy(pillar)
        p.initiatives = [_clone_initiative(i) for i in pillar.initiatives]
        out.pillars.append(p)
    return out


def theirs_from(base: Plan, returned: ReturnedSurvey, fy: int, notes: list[str] | None = None) -> Plan:
    """The plan as sent with one department's answers applied."""
    notes = notes if notes is not None else []
    theirs = _clone(base)
    qs = quarters(base)
    sent_at = _locate(base)
    here = _locate(theirs)
    listed = {r.initiative.id for r in department_rows(base, returned.identity.get("department", ""))}
    placed_after: dict[str, tuple[list[Initiative], Initiative]] = {}
    for row in returned.rows:
        if row.id:
            if row.id not in here:
                notes.append(f"行 {row.row}: ID {row.id} はこの計画にないため無視しました")
                continue
            _apply_answer(here[row.id][0], row, sent_at[row.id][0], fy, qs, notes)
            continue
        if not row.parent_row_id or row.parent_row_id not in here:
            notes.append(f"行 {row.row}: 「{row.name}」は取組の行の下にないため追加しませんでした")
            continue
        above, siblings = here[row.parent_row_id]
        new = Initiative(name=row.name)
        _apply_answer(new, row, None, fy, qs, notes)
        parent_of_above = next((p for p, _ in here.values() if any(c is above for c in p.children)), None)
        if row.parent_row_id in placed_after:  # several new rows in a row: keep their order
            container, previous = placed_after[row.parent_row_id]
            at = next(k for k, x in enumerate(container) if x is previous) + 1
        elif parent_of_above is not None and parent_of_above.id in listed:
            container = siblings  # under a sub-action: another sub-action
            at = next(k for k, x in enumerate(container) if x is above) + 1
        else:
            container, at = above.children, 0  # right under the initiative: its first sub-action
        container.insert(at, new)
        placed_after[row.parent_row_id] = (container, new)
    return theirs


# ------------------------------------------------------------------ merging


def change_line(change: Change) -> tuple[str, str, str]:
    """(department, initiative, what) for a change."""
    path = change.new_path if change.code.endswith(".added") and change.new_path else change.path
    if change.kind in ("phase", "milestone"):
        name = path[-2] if len(path) >= 2 else ""
    elif change.kind == "initiative":
        name = path[-1] if path else ""
    else:
        name = ""
    return change.source, name, dataclasses.replace(change, source="").describe()


def _refuse(path: Path, code: str, en: str, ja: str) -> Refused:
    return Refused(path, code, en, ja)


def merge_returned(ours: Plan, returned: Sequence[str | os.PathLike], rounds: Sequence[SentRound],
                   current: SentRound | None = None) -> MergeOutcome:
    """Merge the returned workbooks into ``ours`` (the master now) against the round they answer.

    ``rounds`` are the rounds found (``survey.json`` files); ``current`` the round to merge
    (default: the newest one any returned file answers). Files of other rounds are refused.
    """
    by_fp = {r.fingerprint: r for r in rounds}
    ours_fp = plan_fingerprint(ours)
    read: list[ReturnedSurvey] = []
    refused: list[Refused] = []
    for p in returned:
        path = Path(p)
        try:
            survey = read_returned(path)
        except NotASurvey as exc:
            refused.append(_refuse(path, exc.code, exc.en, exc.ja))
            continue
        read.append(survey)
    answering = [s for s in read if s.identity.get("fingerprint") in by_fp]
    if current is not None:
        by_fp.setdefault(current.fingerprint, current)
    else:
        current = max((by_fp[s.identity["fingerprint"]] for s in answering), key=lambda r: (r.sent, r.fy), default=None)
    if current is None and rounds:
        current = max(rounds, key=lambda r: (r.sent, r.fy))
    accepted: list[ReturnedSurvey] = []
    for s in read:
        fp, title = s.identity.get("fingerprint", ""), s.identity.get("title", "")
        name = s.path.name
        if current is not None and fp == current.fingerprint:
            accepted.append(s)
        elif title != ours.title and (current is None or title != current.plan.title):
            refused.append(_refuse(s.path, "another-plan", f"{name} is a survey of another plan ({title}).",
                                   f"{name} は別の計画（{title}）の照会票です。"))
        elif fp in by_fp or (current is not None and fp != current.fingerprint) or fp == ours_fp:
            rnd = s.identity.get("round", "")
            refused.append(_refuse(s.path, "older-round", f"{name} answers another survey round ({rnd}); "
                                   f"this merge uses round {current.round if current else '?'}.",
                                   f"{name} は別の回（{rnd}）の照会票です。今回の照会（{current.round if current else '?'}）の回答ではありません。"))
        else:
            refused.append(_refuse(s.path, "no-sent-plan", f"{name}: the plan as sent ({SURVEY_JSON} of round "
                                   f"{s.identity.get('round', '')}) was not found; put it beside the returned files.",
                                   f"{name}：送付時の計画（{SURVEY_JSON}）が見つかりません。回答ファイルと同じフォルダーに置いてください。"))
    outcome = MergeOutcome(copy.deepcopy(ours), refused=refused, round=current)
    if current is None:
        return outcome
    base = copy.deepcopy(current.plan)
    kept_rounds = copy.deepcopy(ours.survey_rounds)
    base.survey_rounds = []
    mine = copy.copy(ours)
    mine.survey_rounds = []
    sources: list[tuple[str, list[Change]]] = []
    names: dict[str, int] = {}
    for s in accepted:
        department = s.identity.get("department", "") or s.path.stem
        names[department] = names.get(department, 0) + 1
        source = department if names[department] == 1 else f"{department}（{s.path.name}）"
        notes: list[str] = []
        # a department changes only its own rows: diff that part of the plan alone
        sent_part = department_plan(base, department)
        theirs = theirs_from(sent_part, s, current.fy, notes)
        sources.append((source, diff_plans(sent_part, theirs)))
        outcome.notes.extend((source, n) for n in notes)
        outcome.notes.extend((source, f"記入欄以外の記入 {t}") for t in s.stray)
        outcome.answered.append({"department": department, "file": s.path.name, "modified": s.modified})
    result = merge_change_lists(base, sources, diff_plans(base, mine))
    outcome.plan = result.plan
    outcome.applied, outcome.conflicts = result.applied, result.conflicts
    record = next((r for r in kept_rounds if r.get("round") == current.round), None)
    if record is None:
        record = {"round": current.round, "fy": current.fy, "fingerprint": current.fingerprint, "sent": current.sent,
                  "departments": list(current.departments), "answered": []}
        kept_rounds.append(record)
    answered = [a for a in record.get("answered", []) if isinstance(a, dict)]
    for a in outcome.answered:
        answered = [x for x in answered if not (x.get("department") == a["department"] and x.get("file") == a["file"])]
        answered.append(a)
    record["answered"] = answered
    done = {a.get("department") for a in answered}
    outcome.not_yet = [d for d in record.get("departments", current.departments) if d not in done]
    record["not_yet"] = list(outcome.not_yet)
    outcome.plan.survey_rounds = kept_rounds
    return outcome
