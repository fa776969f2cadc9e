"""The plan's yearly cycle (PDCA): per-fiscal-year progress of an initiative and its structured KPIs.

Pure data and rules, no Qt and no files. The JSON shapes are those of
../shared/spec/plan-json.md ("Additions for the yearly cycle"): ``progress`` maps a fiscal
year (the Western year it starts in, as a string key) to ``{status, grade, actual, next,
updated}``; ``kpis`` is a list of ``{name, unit, baseline: {fy, value}, targets: {fy: v},
actuals: {fy: v}}``. We add ``direction`` (``higher`` / ``lower``) only when it was set
explicitly; otherwise it is inferred from the baseline and the targets.

Also here: the reading of an old free-text ``kpi`` (「オンライン申請率 12%→100%（令和9年度）」
becomes a baseline and a target; any other text becomes a KPI's name), the achievement of a
KPI, the counts by grade and status a progress report prints, and helpers that turn a
進捗管理表's 実績 row into progress entries for the workbook reader.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Union

from dxroadmap.model.fiscal import fiscal_year_of, format_ym, fy_first_month, fy_last_month, parse_ym
from dxroadmap.model.wareki import YearStyle, format_fiscal_year, parse_fiscal_year

if TYPE_CHECKING:  # plan.py imports this module for its field types
    from dxroadmap.model.plan import Plan

__all__ = [
    "STATUSES",
    "STATUS_JA",
    "STATUS_SYMBOL",
    "STATUS_COLOR",
    "GRADES",
    "GRADE_JA",
    "DIRECTIONS",
    "KpiValue",
    "ProgressEntry",
    "Baseline",
    "Kpi",
    "ProgressFormatError",
    "status_from_text",
    "grade_from_text",
    "kpi_from_text",
    "parse_value",
    "format_value",
    "achievement",
    "target_for",
    "summary",
    "progress_to_json",
    "progress_from_json",
    "kpis_to_json",
    "kpis_from_json",
    "actual_from_phase_row",
    "progress_from_actual_spans",
    "REPORT_COLUMNS",
    "ReportRow",
    "ReportSection",
    "ProgressReport",
    "report_fiscal_year",
    "progress_report",
]

STATUSES: tuple[str, ...] = ("not-started", "in-progress", "done", "delayed", "suspended")
STATUS_JA = {"not-started": "未着手", "in-progress": "実施中", "done": "完了", "delayed": "遅延", "suspended": "休止"}
# A symbol per status that still reads in greyscale print.
STATUS_SYMBOL = {"not-started": "－", "in-progress": "○", "done": "◎", "delayed": "▲", "suspended": "×"}
# Light fills behind a status (screen, xlsx and PDF alike) that keep black text readable.
STATUS_COLOR = {"not-started": "#F2F2F2", "in-progress": "#DDEBF7", "done": "#E2EFDA", "delayed": "#FCE4D6",
                "suspended": "#D9D9D9"}
GRADES: tuple[str, ...] = ("A", "B", "C", "D")
GRADE_JA = {"A": "計画以上", "B": "計画どおり", "C": "遅れ", "D": "判断不能"}
DIRECTIONS: tuple[str, ...] = ("higher", "lower")

KpiValue = Union[int, float, str]

MAX_TEXT_CHARS = 1_000_000
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_YM_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ProgressFormatError(ValueError):
    """A progress or KPI value in a file is not of the shape the contract describes.

    ``where`` is the path inside the object (``progress.2024.status``), ``what`` the complaint.
    """

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where} {what}")
        self.where, self.what = where, what


# ------------------------------------------------------------------ the data


@dataclass
class ProgressEntry:
    """One fiscal year of one initiative: status, grade (評価), 実績, 今後の方向性, when it was updated."""

    status: str = "not-started"
    grade: str | None = None
    actual: str = ""
    next: str = ""
    updated: str | None = None  # "YYYY-MM"

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
        if self.grade is not None and self.grade not in GRADES:
            raise ValueError(f"grade must be A, B, C, D or None, not {self.grade!r}")
        if self.updated is not None and not _YM_RE.match(self.updated):
            raise ValueError(f"updated must be a month written YYYY-MM, not {self.updated!r}")


@dataclass
class Baseline:
    """The value a KPI starts from (現状値), measured in fiscal year ``fy`` (``None`` when unknown)."""

    fy: int | None
    value: KpiValue


@dataclass
class Kpi:
    """A KPI (指標): targets (目標値) and actuals (実績値) by fiscal year.

    ``direction`` is ``higher`` (more is better), ``lower`` or ``None`` (inferred by
    :meth:`effective_direction` from the baseline and the final target).
    """

    name: str
    unit: str = ""
    baseline: Baseline | None = None
    targets: dict[int, KpiValue] = field(default_factory=dict)
    actuals: dict[int, KpiValue] = field(default_factory=dict)
    direction: str | None = None

    def __post_init__(self) -> None:
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be 'higher', 'lower' or None, not {self.direction!r}")

    def effective_direction(self) -> str:
        """``higher`` or ``lower``: as set, else lower when the final target is below the baseline."""
        if self.direction:
            return self.direction
        final = self.targets[max(self.targets)] if self.targets else None
        if self.baseline is not None and _is_number(self.baseline.value) and _is_number(final):
            if final < self.baseline.value:
                return "lower"
        return "higher"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# ------------------------------------------------------------------ rules


_STATUS_WORDS = (
    ("done", ("完了", "達成", "済", "終了", "done", "complete")),
    ("suspended", ("休止", "中断", "中止", "見送", "凍結", "suspend")),
    ("delayed", ("遅延", "遅れ", "延期", "delay")),
    ("not-started", ("未着手", "未実施", "未開始", "not started", "not-started")),
    ("in-progress", ("実施中", "進行中", "取組中", "対応中", "検討中", "運用中", "着手", "実施", "継続", "in progress",
                     "in-progress")),
)


def status_from_text(text: str | None) -> str | None:
    """The status a word in an office's sheet names (完了 → done, 遅れ → delayed…); ``None`` if none."""
    if not text:
        return None
    t = unicodedata.normalize("NFKC", text).strip().lower()
    if t in STATUSES:
        return t
    for status, words in _STATUS_WORDS:
        if any(w in t for w in words):
            return status
    return None


def grade_from_text(text: str | None) -> str | None:
    """``A``–``D`` from a cell (``Ａ``, ``b``, ``B評価``…); ``None`` when it names no grade."""
    if not text:
        return None
    t = unicodedata.normalize("NFKC", str(text)).strip().upper()
    m = re.match(r"^([ABCD])(?![A-Z])", t)
    return m.group(1) if m else None


_NUMBER = r"[-+]?\d[\d,]*(?:\.\d+)?"
_UNITS = r"%|％|件|人|回|団体|手続|箇所|か所|カ所|ヶ所|社|校|台|円|万円|千円|億円|時間|日|分|倍|割|世帯|名|施設|人日|種類"
_KPI_RE = re.compile(
    rf"^\s*(?P<name>.*?)[\s:：]*(?:現状値?|基準値?)?[\s:：]*(?P<base>{_NUMBER})\s*(?P<unit1>{_UNITS})?\s*"
    rf"(?:\((?P<base_fy>[^()]*?)\))?\s*(?:→|⇒|->|=>|➡|~|〜)\s*(?:目標値?)?[\s:：]*(?P<target>{_NUMBER})\s*(?P<unit2>{_UNITS})?"
    rf"\s*(?:\((?P<target_fy>[^()]*?)\))?\s*$")


def parse_value(text: str) -> KpiValue:
    """A cell's value as a number when it is one (``1,200`` → 1200, ``12.5`` → 12.5), else the text."""
    t = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if re.fullmatch(r"[-+]?\d+", t):
        return int(t)
    if re.fullmatch(r"[-+]?\d+\.\d+", t):
        return float(t)
    return text


def format_value(value: KpiValue | None, unit: str = "") -> str:
    """A KPI value as a report prints it (``40%``, ``1,200件``, text as it is)."""
    if value is None:
        return ""
    if _is_number(value):
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.10g}"
        return f"{text}{unit}"
    return str(value)


def kpi_from_text(text: str, default_target_fy: int | None = None) -> Kpi:
    """A :class:`Kpi` from an old free-text ``kpi`` field.

    「オンライン申請率 12%→100%（令和9年度）」 gives name, unit, baseline and a target in
    令和9年度 (2027), or in ``default_target_fy`` when the text names no year; a text
    that is not of that shape becomes the KPI's name, whole, with nothing else set.
    """
    normal = unicodedata.normalize("NFKC", text)
    m = _KPI_RE.match(normal)
    if m and m.group("name").strip():
        target_fy = parse_fiscal_year(m.group("target_fy")) if m.group("target_fy") else None
        target_fy = target_fy if target_fy is not None else default_target_fy
        if target_fy is not None:
            base_fy = parse_fiscal_year(m.group("base_fy")) if m.group("base_fy") else None
            unit = m.group("unit2") or m.group("unit1") or ""
            # The name as the source wrote it (full-width kept) when normalising kept every position.
            name = text[m.start("name"):m.end("name")] if len(normal) == len(text) else m.group("name")
            return Kpi(name=name.strip().rstrip(":：").strip(), unit=unit.replace("％", "%"),
                       baseline=Baseline(base_fy, parse_value(m.group("base"))),
                       targets={target_fy: parse_value(m.group("target"))})
    return Kpi(name=text)


def target_for(kpi: Kpi, fy: int) -> KpiValue | None:
    """The target that applies in ``fy``: that year's, else the next one set after it, else the last one."""
    if not kpi.targets:
        return None
    if fy in kpi.targets:
        return kpi.targets[fy]
    later = [y for y in kpi.targets if y > fy]
    return kpi.targets[min(later)] if later else kpi.targets[max(kpi.targets)]


def achievement(kpi: Kpi, fy: int) -> float | None:
    """Actual against target in ``fy`` (1.0 = met): actual/target, or target/actual when lower is better.

    ``None`` when the year has no actual, there is no target, either is text, or the
    ratio is undefined (a zero denominator).
    """
    actual, target = kpi.actuals.get(fy), target_for(kpi, fy)
    if not (_is_number(actual) and _is_number(target)):
        return None
    if kpi.effective_direction() == "lower":
        if actual == 0:
            return None if target == 0 else math.inf
        return target / actual
    if target == 0:
        return None
    return actual / target


def summary(entries: Iterable[ProgressEntry | None]) -> dict[str, Counter]:
    """Counts for a fiscal year: ``{"status": Counter, "grade": Counter}``.

    ``None`` (an initiative with no entry that year) counts as status ``none``; an entry
    without grade counts as grade ``none``. Every status and grade is present, zero or not.
    """
    statuses: Counter = Counter({s: 0 for s in (*STATUSES, "none")})
    grades: Counter = Counter({g: 0 for g in (*GRADES, "none")})
    for entry in entries:
        if entry is None:
            statuses["none"] += 1
            grades["none"] += 1
            continue
        statuses[entry.status] += 1
        grades[entry.grade or "none"] += 1
    return {"status": statuses, "grade": grades}


# ------------------------------------------------------------------ JSON


def _check_text(value: Any, where: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ProgressFormatError(where, "should be text")
    if len(value) > MAX_TEXT_CHARS:
        raise ProgressFormatError(where, "is too long")
    if _SURROGATE_RE.search(value):
        raise ProgressFormatError(where, "contains an invalid character (a lone UTF-16 surrogate)")
    return value


def _fy_key(key: Any, where: str) -> int:
    if isinstance(key, str) and re.fullmatch(r"\d{4}", key):
        key = int(key)
    if isinstance(key, bool) or not isinstance(key, int) or not 1900 <= key <= 2200:
        raise ProgressFormatError(where, f"should be a fiscal year such as 2024, not {key!r}")
    return key


def _value(value: Any, where: str) -> KpiValue:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ProgressFormatError(where, "should be a number or a text")
    if isinstance(value, float) and not math.isfinite(value):
        raise ProgressFormatError(where, "should be a finite number")
    if isinstance(value, str):
        _check_text(value, where)
    return value


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ProgressFormatError(where, "should be an object")
    return value


def progress_to_json(progress: dict[int, ProgressEntry]) -> dict[str, dict[str, Any]]:
    """``progress`` as the JSON object of the contract (years ascending; empty texts and no grade left out)."""
    out: dict[str, dict[str, Any]] = {}
    for fy in sorted(progress):
        entry = progress[fy]
        d: dict[str, Any] = {"status": entry.status}
        if entry.grade:
            d["grade"] = entry.grade
        if entry.actual:
            d["actual"] = entry.actual
        if entry.next:
            d["next"] = entry.next
        if entry.updated:
            d["updated"] = entry.updated
        out[str(fy)] = d
    return out


def progress_from_json(value: Any, where: str = "progress") -> dict[int, ProgressEntry]:
    """The progress of one initiative from its JSON value (``None`` → none); :class:`ProgressFormatError`."""
    if value is None:
        return {}
    out: dict[int, ProgressEntry] = {}
    for key, d in _object(value, where).items():
        fy = _fy_key(key, f"{where}.{key}")
        at = f"{where}.{key}"
        d = _object(d, at)
        status = d.get("status", "not-started")
        if status not in STATUSES:
            raise ProgressFormatError(f"{at}.status", f"should be one of {', '.join(STATUSES)}, not {status!r}")
        grade = d.get("grade")
        if grade is not None and grade not in GRADES:
            raise ProgressFormatError(f"{at}.grade", f"should be A, B, C or D, not {grade!r}")
        updated = _check_text(d.get("updated"), f"{at}.updated", optional=True)
        if updated is not None and not _YM_RE.match(updated):
            raise ProgressFormatError(f"{at}.updated", f"should be a month written YYYY-MM, not {updated!r}")
        if fy in out:
            raise ProgressFormatError(at, "is given twice")
        out[fy] = ProgressEntry(status=status, grade=grade, actual=_check_text(d.get("actual", ""), f"{at}.actual"),
                                next=_check_text(d.get("next", ""), f"{at}.next"), updated=updated)
    return dict(sorted(out.items()))


def _by_year_to_json(values: dict[int, KpiValue]) -> dict[str, KpiValue]:
    return {str(fy): values[fy] for fy in sorted(values)}


def kpis_to_json(kpis: list[Kpi]) -> list[dict[str, Any]]:
    """``kpis`` as the JSON list of the contract."""
    out = []
    for kpi in kpis:
        d: dict[str, Any] = {"name": kpi.name}
        if kpi.unit:
            d["unit"] = kpi.unit
        if kpi.baseline is not None:
            d["baseline"] = {"fy": kpi.baseline.fy, "value": kpi.baseline.value}
        d["targets"] = _by_year_to_json(kpi.targets)
        d["actuals"] = _by_year_to_json(kpi.actuals)
        if kpi.direction:
            d["direction"] = kpi.direction
        out.append(d)
    return out


def _by_year_from_json(value: Any, where: str) -> dict[int, KpiValue]:
    if value is None:
        return {}
    out: dict[int, KpiValue] = {}
    for key, v in _object(value, where).items():
        fy = _fy_key(key, f"{where}.{key}")
        if fy in out:
            raise ProgressFormatError(f"{where}.{key}", "is given twice")
        out[fy] = _value(v, f"{where}.{key}")
    return dict(sorted(out.items()))


def kpis_from_json(value: Any, legacy_kpi: Any = None, where: str = "kpis") -> list[Kpi]:
    """The KPIs of one initiative from its JSON value; :class:`ProgressFormatError` if malformed.

    When there is no ``kpis`` value (an older file) and ``legacy_kpi`` is a non-empty
    text, that text becomes one KPI (see :func:`kpi_from_text`), so nothing is lost.
    """
    if value is None:
        if isinstance(legacy_kpi, str) and legacy_kpi.strip():
            return [kpi_from_text(legacy_kpi)]
        return []
    if not isinstance(value, list):
        raise ProgressFormatError(where, "should be a list")
    out = []
    for k, d in enumerate(value):
        at = f"{where}[{k}]"
        d = _object(d, at)
        baseline = None
        if d.get("baseline") is not None:
            b = _object(d["baseline"], f"{at}.baseline")
            fy = None if b.get("fy") is None else _fy_key(b.get("fy"), f"{at}.baseline.fy")
            if "value" not in b or b["value"] is None:
                raise ProgressFormatError(f"{at}.baseline.value", "is missing")
            baseline = Baseline(fy, _value(b["value"], f"{at}.baseline.value"))
        direction = d.get("direction")
        if direction is not None and direction not in DIRECTIONS:
            raise ProgressFormatError(f"{at}.direction", f"should be 'higher' or 'lower', not {direction!r}")
        out.append(Kpi(name=_check_text(d.get("name", ""), f"{at}.name"),
                       unit=_check_text(d.get("unit", ""), f"{at}.unit"), baseline=baseline,
                       targets=_by_year_from_json(d.get("targets"), f"{at}.targets"),
                       actuals=_by_year_from_json(d.get("actuals"), f"{at}.actuals"), direction=direction))
    return out


# ------------------------------------------------------------------ 進捗管理表 (予定/実績 row pairs)


def actual_from_phase_row(spans: Iterable[tuple[int, int]], label: str | None = None, *,
                          planned: Iterable[tuple[int, int]] = (), through_fy: int | None = None,
                          updated: int | None = None) -> dict[int, ProgressEntry]:
    """Progress entries from the 実績 row of a 予定/実績 pair in a 進捗管理表.

    ``spans`` are the month ranges (start, end inclusive, month indexes) the 実績 row marks;
    ``planned`` those of its 予定 row; ``label`` the text on the 実績 row, if any.
    For every fiscal year touched by either row up to ``through_fy`` (default: the last
    year the 実績 row reaches): ``done`` when the plan's work of that year has all been
    carried out and the plan ends in it, ``in-progress`` when work was done that year,
    ``delayed`` when planned work that year has no 実績, ``not-started`` otherwise. A
    status word in ``label`` (完了, 遅れ, 休止…) decides the last year. ``actual`` gets
    ``label`` and the months done; ``updated`` (a month index) is stamped when given.
    """
    actual_months = {m for s, e in spans for m in range(s, e + 1)}
    planned_months = {m for s, e in planned for m in range(s, e + 1)}
    if not actual_months and not planned_months:
        return {}
    years = sorted({fiscal_year_of(m) for m in actual_months | planned_months})
    last = through_fy if through_fy is not None else (
        max(fiscal_year_of(m) for m in actual_months) if actual_months else years[0] - 1)
    stamp = format_ym(updated) if updated is not None else None
    out: dict[int, ProgressEntry] = {}
    plan_end = max(planned_months) if planned_months else None
    for fy in (y for y in years if y <= last):
        months = range(fy_first_month(fy), fy_last_month(fy) + 1)
        done_here = [m for m in months if m in actual_months]
        planned_here = [m for m in months if m in planned_months]
        if done_here:
            finished = plan_end is not None and fiscal_year_of(plan_end) == fy and all(
                m in actual_months for m in planned_here) and max(done_here) >= plan_end
            status = "done" if finished else "in-progress"
        elif planned_here:
            status = "delayed"
        else:
            status = "not-started"
        text = ""
        if done_here:
            text = f"{format_ym(min(done_here))}〜{format_ym(max(done_here))} 実施"
            if label:
                text = f"{label}（{text}）"
        out[fy] = ProgressEntry(status=status, actual=text, updated=stamp)
    if out and label:
        said = status_from_text(label)
        if said is not None:
            out[max(out)].status = said
    return out


def progress_from_actual_spans(rows: Iterable[tuple[str, str, str | None]], **kwargs: Any) -> dict[int, ProgressEntry]:
    """Like :func:`actual_from_phase_row` for spans written ``("YYYY-MM", "YYYY-MM", label)``.

    Handy for a reader that reports 実績 bars in the JSON month form; the label of the
    last span is the one whose status word counts.
    """
    rows = list(rows)
    spans = [(parse_ym(s), parse_ym(e)) for s, e, _ in rows]
    label = next((lab for _, _, lab in reversed(rows) if lab), None)
    return actual_from_phase_row(spans, label, **kwargs)


# ------------------------------------------------------------------ the 進捗状況一覧 (progress report)

REPORT_COLUMNS: tuple[str, ...] = ("取組名", "担当課", "指標", "基準値", "目標値", "実績値", "達成状況", "評価", "今後の方向性")


@dataclass
class ReportRow:
    """One line of the report: an initiative (first line) or one more of its KPIs (``first`` False).

    ``cells`` follow :data:`REPORT_COLUMNS`; ``status`` / ``grade`` are codes (or ``None``) for
    colouring; ``depth`` is 0 for an initiative, 1 for a sub-action…
    """

    cells: tuple[str, ...]
    depth: int
    first: bool
    status: str | None
    grade: str | None
    rows_of_initiative: int = 1


@dataclass
class ReportSection:
    """A pillar and its rows."""

    pillar: str
    rows: list[ReportRow]


@dataclass
class ProgressReport:
    """Everything a 進捗状況一覧 prints, in order, independent of the medium (xlsx or PDF)."""

    title: str
    fiscal_year: int
    fiscal_year_label: str
    sections: list[ReportSection]
    counts: dict[str, Counter]
    initiative_names: list[str]

    def summary_lines(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """The summary block: ``[("状況", [("◎ 完了", 3), …]), ("評価", [("A 計画以上", 1), …])]``."""
        status = [(f"{STATUS_SYMBOL[s]} {STATUS_JA[s]}", self.counts["status"][s]) for s in STATUSES]
        status.append(("未記入", self.counts["status"]["none"]))
        grade = [(f"{g} {GRADE_JA[g]}", self.counts["grade"][g]) for g in GRADES]
        grade.append(("未評価", self.counts["grade"]["none"]))
        return [("状況", status), ("評価", grade)]


def report_fiscal_year(plan: "Plan") -> int:
    """The year a report shows by default: the latest one any initiative has progress for, else the first."""
    years = [fy for _, init in plan.walk() for fy in init.progress]
    return max(years) if years else plan.start_fy


def _year_note(value: KpiValue | None, unit: str, fy: int | None, shown_fy: int) -> str:
    text = format_value(value, unit)
    if text and fy is not None and fy != shown_fy and fy >= 1926:
        text += f"（{format_fiscal_year(fy, YearStyle.ERA_SHORT)}）"
    return text


def _target_year(kpi: Kpi, fy: int) -> int | None:
    if not kpi.targets:
        return None
    if fy in kpi.targets:
        return fy
    later = [y for y in kpi.targets if y > fy]
    return min(later) if later else max(kpi.targets)


def _achievement_text(kpi: Kpi, fy: int) -> str:
    ratio = achievement(kpi, fy)
    if ratio is None:
        return ""
    return "達成率 ∞" if math.isinf(ratio) else f"達成率 {ratio * 100:.0f}%"


def progress_report(plan: "Plan", fy: int | None = None) -> ProgressReport:
    """The rows of ``plan``'s progress report for fiscal year ``fy`` (default :func:`report_fiscal_year`)."""
    fy = report_fiscal_year(plan) if fy is None else fy
    label = format_fiscal_year(fy, YearStyle.ERA_WESTERN) if fy >= 1926 else f"{fy}年度"
    sections: list[ReportSection] = []
    names: list[str] = []
    entries: list[ProgressEntry | None] = []

    def add(init: Any, depth: int, rows: list[ReportRow]) -> None:
        entry = init.progress.get(fy)
        entries.append(entry)
        names.append(init.name)
        kpis = list(init.kpis) or [None]
        status_text = f"{STATUS_SYMBOL[entry.status]} {STATUS_JA[entry.status]}" if entry else ""
        grade = entry.grade if entry else None
        for k, kpi in enumerate(kpis):
            state = status_text if k == 0 else ""
            if kpi is not None:
                kpi_cells = (kpi.name,
                             _year_note(kpi.baseline.value, kpi.unit, kpi.baseline.fy, fy) if kpi.baseline else "",
                             _year_note(target_for(kpi, fy), kpi.unit, _target_year(kpi, fy), fy),
                             format_value(kpi.actuals.get(fy), kpi.unit))
                reached = _achievement_text(kpi, fy)
                state = "\n".join(x for x in (state, reached) if x)
            else:
                kpi_cells = ("", "", "", "")
            if k == 0 and entry and entry.actual:
                state = "\n".join(x for x in (state, entry.actual) if x)
            first = k == 0
            cells = (init.name if first else "", "、".join(init.departments) if first else "", *kpi_cells, state,
                     f"{grade} {GRADE_JA[grade]}" if first and grade else "", entry.next if first and entry else "")
            rows.append(ReportRow(cells=cells, depth=depth, first=first, status=entry.status if entry else None,
                                  grade=grade, rows_of_initiative=len(kpis)))
        for child in init.children:
            add(child, depth + 1, rows)

    for pillar in plan.pillars:
        rows: list[ReportRow] = []
        for init in pillar.initiatives:
            add(init, 0, rows)
        sections.append(ReportSection(pillar.name, rows))
    title = f"{plan.title or plan.organization or 'DX推進計画'} 進捗状況一覧（{label}）"
    return ProgressReport(title=title, fiscal_year=fy, fiscal_year_label=label, sections=sections,
                          counts=summary(entries), initiative_names=names)
