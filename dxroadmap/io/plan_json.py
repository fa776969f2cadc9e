"""The plan JSON file (``dxroadmap-plan``, version 1): read, write, and refuse what is not one.

The keys of ../shared/spec/plan-json.md are a contract and keep their names and
meanings. We add our own keys (``kind``, ``color``, ``priority_items``, ``kpi``,
``status``, ``notes``, pillar ``description``, plan ``survey_rounds``, plan ``legend`` — the office workbook's
own 凡例 as ``[{"color": "#RRGGBB", "label": "…"}]``), the yearly cycle's ``progress`` and ``kpis``
(shapes in :mod:`dxroadmap.model.progress`) and ignore keys we do not know. Every pillar,
initiative, phase and milestone carries its stable ``id`` (:mod:`dxroadmap.model.ids`); a plan
without ids gets them when it is first saved (:func:`dumps`, :func:`write_plan_json`).
"""

from __future__ import annotations

import copy
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from dxroadmap.io.errors import PlanReadError, PlanWriteError
from dxroadmap.io.storage.atomic import atomic_write_bytes
from dxroadmap.model.fiscal import format_ym, parse_ym
from dxroadmap.model.ids import clear_duplicate_ids, ensure_ids
from dxroadmap.model.legend import legend_from_json, legend_to_json
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan, PlanVersion, guess_kind
from dxroadmap.model.progress import ProgressFormatError, kpis_from_json, kpis_to_json, progress_from_json, progress_to_json

__all__ = ["FORMAT", "VERSION", "plan_to_dict", "plan_from_dict", "dumps", "loads", "read_plan_json", "write_plan_json"]

FORMAT = "dxroadmap-plan"
VERSION = 1
MAX_JSON_BYTES = 64 * 1024 * 1024  # a plan with thousands of initiatives is a few MB
MAX_TEXT_CHARS = 1_000_000  # one name, summary or note; far beyond any real 概要
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_JSON_START = b'{[ \t\r\n"'  # bytes a JSON text starts with: with a NUL beside them it is UTF-16


# ------------------------------------------------------------------ writing


def _with_id(value: str) -> dict[str, Any]:
    return {"id": value} if value else {}


def _phase_to_dict(phase: Phase) -> dict[str, Any]:
    out: dict[str, Any] = _with_id(phase.id)
    out.update({"label": phase.label, "start": format_ym(phase.start), "end": format_ym(phase.end),
                "kind": phase.kind.value})
    if phase.color:
        out["color"] = phase.color
    return out


def _initiative_to_dict(init: Initiative) -> dict[str, Any]:
    out: dict[str, Any] = _with_id(init.id)
    out.update({
        "name": init.name,
        "summary": init.summary,
        "departments": list(init.departments),
        "phases": [_phase_to_dict(p) for p in init.phases],
        "milestones": [{**_with_id(m.id), "label": m.label, "date": format_ym(m.month)} for m in init.milestones],
        "children": [_initiative_to_dict(c) for c in init.children],
    })
    if init.priority_items:
        out["priority_items"] = list(init.priority_items)
    for key in ("kpi", "status", "notes"):
        if getattr(init, key):
            out[key] = getattr(init, key)
    if init.progress:
        out["progress"] = progress_to_json(init.progress)
    if init.kpis or init.kpi:  # [] when every KPI was removed: the old kpi text must not bring one back
        out["kpis"] = kpis_to_json(init.kpis)
    return out


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The whole JSON document for ``plan``."""
    pillars = []
    for pillar in plan.pillars:
        p: dict[str, Any] = {**_with_id(pillar.id), "name": pillar.name, "initiatives": [_initiative_to_dict(i) for i in pillar.initiatives]}
        if pillar.description:
            p["description"] = pillar.description
        pillars.append(p)
    body: dict[str, Any] = {
        "title": plan.title,
        "organization": plan.organization,
        "period": {"start_fy": plan.start_fy, "end_fy": plan.end_fy},
        "pillars": pillars,
        **({"survey_rounds": copy.deepcopy(plan.survey_rounds)} if plan.survey_rounds else {}),
    }
    if plan.national_version:
        body["national_version"] = plan.national_version
    if plan.legend:
        body["legend"] = legend_to_json(plan.legend)
    if plan.versions:  # named snapshots, each a whole plan without versions (dxroadmap.model.versions)
        body["versions"] = [{"name": v.name, "saved": v.saved, "plan": plan_to_dict(v.plan)["plan"]}
                            for v in plan.versions]
    return {"format": FORMAT, "version": VERSION, "plan": body}


def dumps(plan: Plan) -> str:
    """Pretty, diffable JSON text (UTF-8, Japanese kept as written); items without an id get one first."""
    ensure_ids(plan)
    for version in plan.versions:
        ensure_ids(version.plan)
    return json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2) + "\n"


def write_plan_json(plan: Plan, path: str | os.PathLike, *, backup: bool = False) -> None:
    """Save atomically; on failure (:class:`PlanWriteError`) the old file is left as it was.

    With ``backup=True`` the previous file is kept as ``plan.bak.json`` (see :mod:`.atomic`).
    """
    try:
        atomic_write_bytes(path, dumps(plan).encode("utf-8"), backup=backup)
    except PlanWriteError:
        raise
    except OSError as exc:
        raise PlanWriteError("write-failed", f"Could not save {Path(path).name}: {exc.strerror or exc}.",
                             f"{Path(path).name} を保存できませんでした（{exc.strerror or exc}）。") from exc


# ------------------------------------------------------------------ reading


class _Invalid(Exception):
    def __init__(self, where: str, what: str, reason: str = "invalid") -> None:
        super().__init__(f"{where}: {what}")
        self.where, self.what, self.reason = where, what, reason


def _str(value: Any, where: str, *, optional: bool = False, default: str = "") -> str | None:
    if value is None:
        if optional:
            return None
        return default
    if not isinstance(value, str):
        raise _Invalid(where, "should be text")
    if len(value) > MAX_TEXT_CHARS:
        raise _Invalid(where, f"is {len(value):,} characters long, too long for a plan", "too-large")
    if _SURROGATE_RE.search(value):
        raise _Invalid(where, "contains an invalid character (a lone UTF-16 surrogate)")
    return value


def _id(value: Any, where: str) -> str:
    """A stable id as read ("" when absent: the item gets a fresh one on save)."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 64 or not value.isprintable() or _SURROGATE_RE.search(value):
        raise _Invalid(where, "should be a short id such as i-3f9c2a7b")
    return value


def _list(value: Any, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Invalid(where, "should be a list")
    return value


def _month(value: Any, where: str) -> int:
    try:
        return parse_ym(value)
    except ValueError:
        raise _Invalid(where, f"should be a month written YYYY-MM, not {value!r}") from None


def _phase_from(d: Any, where: str) -> Phase:
    if not isinstance(d, dict):
        raise _Invalid(where, "should be an object")
    label = _str(d.get("label"), f"{where}.label", optional=True)
    start, end = _month(d.get("start"), f"{where}.start"), _month(d.get("end"), f"{where}.end")
    if end < start:
        raise _Invalid(where, "ends before it starts")
    kind_value = d.get("kind")
    try:
        kind = PhaseKind(kind_value) if kind_value else guess_kind(label)
    except ValueError:
        kind = guess_kind(label)
    color = d.get("color") if isinstance(d.get("color"), str) and _COLOR_RE.match(d.get("color")) else None
    return Phase(start=start, end=end, label=label, kind=kind, color=color, id=_id(d.get("id"), f"{where}.id"))


def _initiative_from(d: Any, where: str, depth: int = 0) -> Initiative:
    if not isinstance(d, dict):
        raise _Invalid(where, "should be an object")
    if depth > 50:
        raise _Invalid(where, "sub-actions are nested too deeply")
    name = _str(d.get("name"), f"{where}.name")
    departments = [_str(x, f"{where}.departments[{k}]") for k, x in enumerate(_list(d.get("departments"), f"{where}.departments"))]
    phases = [_phase_from(p, f"{where}.phases[{k}]") for k, p in enumerate(_list(d.get("phases"), f"{where}.phases"))]
    milestones = []
    for k, m in enumerate(_list(d.get("milestones"), f"{where}.milestones")):
        if not isinstance(m, dict):
            raise _Invalid(f"{where}.milestones[{k}]", "should be an object")
        milestones.append(Milestone(month=_month(m.get("date"), f"{where}.milestones[{k}].date"),
                                    label=_str(m.get("label"), f"{where}.milestones[{k}].label", optional=True),
                                    id=_id(m.get("id"), f"{where}.milestones[{k}].id")))
    children = [_initiative_from(c, f"{where}.children[{k}]", depth + 1)
                for k, c in enumerate(_list(d.get("children"), f"{where}.children"))]
    priority = [_str(x, f"{where}.priority_items") for x in _list(d.get("priority_items"), f"{where}.priority_items")]
    try:
        progress, kpis = progress_from_json(d.get("progress")), kpis_from_json(d.get("kpis"), d.get("kpi"))
    except ProgressFormatError as bad:
        raise _Invalid(f"{where}.{bad.where}", bad.what) from None
    return Initiative(
        name=name, summary=_str(d.get("summary"), f"{where}.summary"), departments=departments,
        priority_items=priority, kpi=_str(d.get("kpi"), f"{where}.kpi"), status=_str(d.get("status"), f"{where}.status"),
        notes=_str(d.get("notes"), f"{where}.notes"), phases=phases, milestones=milestones, children=children,
        id=_id(d.get("id"), f"{where}.id"),
        progress=progress, kpis=kpis,
    )


def _survey_rounds(value: Any) -> list[dict]:
    """The department survey rounds (objects kept as read; see :mod:`dxroadmap.io.surveys`)."""
    rounds = _list(value, "plan.survey_rounds")
    if not all(isinstance(r, dict) for r in rounds):
        raise _Invalid("plan.survey_rounds", "should be a list of objects")
    return rounds


def _year(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise _Invalid(where, "should be a year such as 2023")
    return value


def plan_from_dict(doc: Any) -> Plan:
    """Build a plan from a parsed JSON document; :class:`PlanReadError` if it is not one we can read."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PlanReadError("foreign", "This JSON file is not a dxroadmap plan.",
                            "この JSON ファイルは dxroadmap の計画ファイルではありません。")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise PlanReadError("invalid", "The plan file has no valid version number.",
                            "計画ファイルのバージョン番号が正しくありません。")
    if version < 1:
        raise PlanReadError("invalid", f"The plan file has an impossible version number ({version}).",
                            f"計画ファイルのバージョン番号（{version}）が正しくありません。")
    if version > VERSION:
        raise PlanReadError("newer-version",
                            f"This plan was saved by a newer dxroadmap (file version {version}); update dxroadmap to open it.",
                            f"この計画は新しい dxroadmap で保存されています（形式バージョン {version}）。dxroadmap を更新してから開いてください。")
    try:
        body = doc.get("plan")
        if not isinstance(body, dict):
            raise _Invalid("plan", "is missing")
        period = body.get("period")
        if not isinstance(period, dict):
            raise _Invalid("plan.period", "is missing")
        start_fy, end_fy = _year(period.get("start_fy"), "plan.period.start_fy"), _year(period.get("end_fy"), "plan.period.end_fy")
        if end_fy < start_fy:
            raise _Invalid("plan.period", "ends before it starts")
        pillars = []
        for k, p in enumerate(_list(body.get("pillars"), "plan.pillars")):
            if not isinstance(p, dict):
                raise _Invalid(f"plan.pillars[{k}]", "should be an object")
            inits = [_initiative_from(i, f"plan.pillars[{k}].initiatives[{j}]")
                     for j, i in enumerate(_list(p.get("initiatives"), f"plan.pillars[{k}].initiatives"))]
            pillars.append(Pillar(name=_str(p.get("name"), f"plan.pillars[{k}].name"), initiatives=inits,
                                  description=_str(p.get("description"), f"plan.pillars[{k}].description"),
                                  id=_id(p.get("id"), f"plan.pillars[{k}].id")))
        plan = Plan(title=_str(body.get("title"), "plan.title"), organization=_str(body.get("organization"), "plan.organization"),
                    start_fy=start_fy, end_fy=end_fy, pillars=pillars,
                    national_version=_str(body.get("national_version"), "plan.national_version"),
                    survey_rounds=_survey_rounds(body.get("survey_rounds")),
                    legend=legend_from_json(body.get("legend")))
        clear_duplicate_ids(plan)
        plan.versions = _versions_from(body.get("versions"))
        return plan
    except _Invalid as bad:
        where = bad.where if len(bad.where) <= 120 else f"{bad.where[:60]}…{bad.where[-50:]}"
        raise PlanReadError(bad.reason, f"The plan file is damaged: {where} {bad.what}.",
                            f"計画ファイルが壊れています（{where}：{bad.what}）。") from None


def _versions_from(value: Any) -> list[PlanVersion]:
    """The ``versions`` list: each snapshot is read as a plan of its own (its nested versions ignored)."""
    out: list[PlanVersion] = []
    for k, v in enumerate(_list(value, "plan.versions")):
        where = f"plan.versions[{k}]"
        if not isinstance(v, dict) or not isinstance(v.get("plan"), dict):
            raise _Invalid(where, "should be an object with a name, a date and a plan")
        saved = _str(v.get("saved"), f"{where}.saved")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", saved):
            raise _Invalid(f"{where}.saved", f"should be a date written YYYY-MM-DD, not {saved!r}")
        try:
            snap = plan_from_dict({"format": FORMAT, "version": VERSION, "plan": {**v["plan"], "versions": None}})
        except PlanReadError as bad:
            raise _Invalid(where, f"is not a readable plan ({bad})") from None
        out.append(PlanVersion(_str(v.get("name"), f"{where}.name"), saved, snap))
    return out


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"it contains {name}, which JSON does not allow", f"JSON では使えない {name} が含まれています")


class _NotJson(ValueError):
    def __init__(self, en: str, ja: str) -> None:
        super().__init__(en)
        self.en, self.ja = en, ja


def loads(text: str) -> Plan:
    """A plan from JSON text; :class:`PlanReadError` for anything that is not a readable plan."""
    if not text.strip():
        raise PlanReadError("not-json", "The file is empty; it is not a plan.", "ファイルが空です。計画ファイルではありません。")
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except _NotJson as exc:
        raise PlanReadError("not-json", f"The file is not valid JSON: {exc.en}.", f"ファイルが正しい JSON ではありません（{exc.ja}）。") from None
    except RecursionError:
        raise PlanReadError("not-json", "The file is not a plan: its JSON is nested too deeply.",
                            "計画ファイルではありません（JSON の入れ子が深すぎます）。") from None
    except MemoryError:
        raise PlanReadError("too-large", "The file is too large to read as a plan.", "ファイルが大きすぎて計画として読み込めません。") from None
    except ValueError as exc:  # JSONDecodeError, or an integer with thousands of digits
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        where_ja = f"（{line} 行目）" if line else ""
        raise PlanReadError("not-json", f"The file is not valid JSON{where}; it may be truncated or damaged.",
                            f"ファイルが正しい JSON ではありません{where_ja}。途中で切れているか壊れている可能性があります。") from None
    return plan_from_dict(doc)


def read_plan_json(path: str | os.PathLike) -> Plan:
    """Read a plan file; every failure is a :class:`PlanReadError` with a plain reason."""
    path = Path(path)
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(st.st_mode):  # a pipe or a device would never end
            raise PlanReadError("unreadable", f"{path.name} is not an ordinary file.", f"{path.name} は通常のファイルではありません。")
        size = st.st_size
        if size > MAX_JSON_BYTES:
            raise PlanReadError("too-large", f"{path.name} is too large to be a plan file ({size // 1_000_000} MB).",
                                f"{path.name} は計画ファイルとしては大きすぎます（{size // 1_000_000} MB）。")
        with open(path, "rb") as handle:
            data = handle.read(MAX_JSON_BYTES + 1)
        if len(data) > MAX_JSON_BYTES:
            raise PlanReadError("too-large", f"{path.name} is too large to be a plan file.", f"{path.name} は計画ファイルとしては大きすぎます。")
    except FileNotFoundError:
        raise PlanReadError("missing", f"There is no file {path}.", f"ファイル {path} がありません。") from None
    except IsADirectoryError:
        raise PlanReadError("unreadable", f"{path} is a folder, not a plan file.", f"{path} はフォルダーです。") from None
    except OSError as exc:
        raise PlanReadError("unreadable", f"Could not read {path.name}: {exc.strerror or exc}.",
                            f"{path.name} を読み込めませんでした（{exc.strerror or exc}）。") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) >= 2 and (
            (data[1] == 0 and data[0] in _JSON_START) or (data[0] == 0 and data[1] in _JSON_START))):
        raise PlanReadError("not-json", f"{path.name} is saved as UTF-16 text; plan files are UTF-8, so save it again as UTF-8.",
                            f"{path.name} は UTF-16 で保存されています。計画ファイルは UTF-8 なので、UTF-8 で保存し直してください。")
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise PlanReadError("not-json", f"{path.name} is an Excel workbook (or another packed file), not a JSON plan; open it as a workbook.",
                            f"{path.name} は JSON の計画ではなく、Excel ブックなどのファイルです。ブックとして開いてください。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlanReadError("not-json", f"{path.name} is not a UTF-8 JSON plan file.",
                            f"{path.name} は UTF-8 の JSON 計画ファイルではありません。") from None
    return loads(text)
