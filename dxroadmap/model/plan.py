"""The plan: pillars (基本方針/分野/目線) › initiatives (取組) › sub-actions, with phases and milestones.

Plain dataclasses, no Qt. Months are month indexes (see :mod:`dxroadmap.model.fiscal`);
a phase covers every month from ``start`` to ``end`` inclusive. Every object carries
an ``uid`` that stays fixed for its life, so editors and undo commands can name it; pillars,
initiatives, phases and milestones also carry an ``id`` that is saved in files and kept for
good (see :mod:`dxroadmap.model.ids`; empty until the plan is first saved).
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass, field
from typing import Iterator

from dxroadmap.model.fiscal import fy_first_month, fy_last_month
from dxroadmap.model.progress import Kpi, ProgressEntry

__all__ = [
    "PhaseKind",
    "PRIORITY_ITEMS",
    "Phase",
    "Milestone",
    "Initiative",
    "Pillar",
    "Plan",
    "PlanVersion",
    "new_uid",
    "guess_kind",
]

_uid_counter = itertools.count(1)


def new_uid() -> str:
    """A process-unique identifier for a plan object."""
    return f"u{next(_uid_counter)}"


class PhaseKind(enum.Enum):
    """What a phase is doing; decides its default colour."""

    STUDY = "study"  # 検討
    PREPARE = "prepare"  # 準備
    TRIAL = "trial"  # 実証
    INTRODUCE = "introduce"  # 導入
    OPERATE = "operate"  # 運用
    CONTINUE = "continue"  # 継続
    CUSTOM = "custom"  # anything else

    @property
    def label_ja(self) -> str:
        return _KIND_JA[self]

    @property
    def default_color(self) -> str:
        """``#RRGGBB`` used when the phase sets no colour of its own."""
        return _KIND_COLOR[self]


_KIND_JA = {
    PhaseKind.STUDY: "検討",
    PhaseKind.PREPARE: "準備",
    PhaseKind.TRIAL: "実証",
    PhaseKind.INTRODUCE: "導入",
    PhaseKind.OPERATE: "運用",
    PhaseKind.CONTINUE: "継続",
    PhaseKind.CUSTOM: "その他",
}

# Muted, print-friendly colours that stay distinct in greyscale order.
_KIND_COLOR = {
    PhaseKind.STUDY: "#F4B183",
    PhaseKind.PREPARE: "#FFD966",
    PhaseKind.TRIAL: "#A9D18E",
    PhaseKind.INTRODUCE: "#9DC3E6",
    PhaseKind.OPERATE: "#2E75B6",
    PhaseKind.CONTINUE: "#8FAADC",
    PhaseKind.CUSTOM: "#BFBFBF",
}

# Words in a label that reveal the kind, checked in this order.
_KIND_WORDS = (
    (PhaseKind.TRIAL, ("実証", "試行", "トライアル", "試験")),
    (PhaseKind.STUDY, ("検討", "調査", "研究", "分析", "計画策定", "協議")),
    (PhaseKind.PREPARE, ("準備", "構築", "設計", "調達", "整備", "開発", "移行")),
    (PhaseKind.INTRODUCE, ("導入", "開始", "着手", "展開")),
    (PhaseKind.CONTINUE, ("継続", "拡充", "拡大", "改善", "見直し")),
    (PhaseKind.OPERATE, ("運用", "実施", "稼働", "運営", "活用", "推進")),
)


def guess_kind(label: str | None) -> PhaseKind:
    """The kind a label names (検討 → STUDY, 本運用 → OPERATE, …); CUSTOM if none."""
    if not label:
        return PhaseKind.CUSTOM
    for kind, words in _KIND_WORDS:
        if any(w in label for w in words):
            return kind
    return PhaseKind.CUSTOM


# The national 自治体DX推進計画 items (重点取組事項 and those pursued alongside them).
PRIORITY_ITEMS: tuple[str, ...] = (
    "フロントヤード改革",
    "情報システムの標準化・共通化",
    "マイナンバーカードの普及促進・利用の推進",
    "セキュリティ対策の徹底",
    "AI・RPAの利用推進",
    "テレワークの推進",
    "デジタル実装の取組の推進",
    "デジタルデバイド対策",
    "デジタル原則に基づく規制の点検・見直し",
    "BPRの取組の徹底",
    "オープンデータの推進・官民データ活用の推進",
)


@dataclass(eq=False)
class Phase:
    """A bar: ``label`` over months ``start``..``end`` (both included)."""

    start: int
    end: int
    label: str | None = None
    kind: PhaseKind = PhaseKind.CUSTOM
    color: str | None = None  # "#RRGGBB" overriding the kind's colour
    uid: str = field(default_factory=new_uid)
    id: str = ""  # stable id saved in files ("i-3f9c2a7b"); "" until first assigned

    @property
    def display_color(self) -> str:
        return self.color or self.kind.default_color

    @property
    def length(self) -> int:
        return self.end - self.start + 1


@dataclass(eq=False)
class Milestone:
    """A point event at the start of ``month``."""

    month: int
    label: str | None = None
    uid: str = field(default_factory=new_uid)
    id: str = ""  # stable id saved in files ("i-3f9c2a7b"); "" until first assigned


@dataclass(eq=False)
class Initiative:
    """A 取組 (or a sub-action of one, in ``children``)."""

    name: str
    summary: str = ""
    departments: list[str] = field(default_factory=list)
    priority_items: list[str] = field(default_factory=list)
    kpi: str = ""
    status: str = ""
    notes: str = ""
    phases: list[Phase] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    children: list["Initiative"] = field(default_factory=list)
    progress: dict[int, ProgressEntry] = field(default_factory=dict)  # by fiscal year
    kpis: list[Kpi] = field(default_factory=list)
    uid: str = field(default_factory=new_uid)
    id: str = ""  # stable id saved in files ("i-3f9c2a7b"); "" until first assigned

    def walk(self) -> Iterator["Initiative"]:
        """This initiative and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(eq=False)
class Pillar:
    """A 基本方針 / 分野 / 目線 grouping initiatives."""

    name: str
    initiatives: list[Initiative] = field(default_factory=list)
    description: str = ""
    uid: str = field(default_factory=new_uid)
    id: str = ""  # stable id saved in files ("i-3f9c2a7b"); "" until first assigned

    def walk(self) -> Iterator[Initiative]:
        for initiative in self.initiatives:
            yield from initiative.walk()


@dataclass(eq=False)
class Plan:
    """A DX推進計画 roadmap over fiscal years ``start_fy``..``end_fy``."""

    title: str = ""
    organization: str = ""
    start_fy: int = 2023
    end_fy: int = 2027
    pillars: list[Pillar] = field(default_factory=list)
    uid: str = field(default_factory=new_uid)
    # 版: named snapshots, oldest first (see dxroadmap.model.versions); the national plan version followed ("" = latest)
    versions: list["PlanVersion"] = field(default_factory=list)
    national_version: str = ""
    # department surveys (各課照会): one JSON-ready record per round, who answered and when
    # (see :mod:`dxroadmap.io.surveys`); kept as plain dicts so the model knows nothing of files
    survey_rounds: list[dict] = field(default_factory=list)
    # 凡例: the office workbook's own legend, (colour "#RRGGBB", word) in its order, when it had one;
    # outputs name those colours with those words (see dxroadmap.model.legend)
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def first_month(self) -> int:
        return fy_first_month(self.start_fy)

    @property
    def last_month(self) -> int:
        return fy_last_month(self.end_fy)

    def walk(self) -> Iterator[tuple[Pillar, Initiative]]:
        """Every initiative and sub-action with its pillar, in display order."""
        for pillar in self.pillars:
            for initiative in pillar.walk():
                yield pillar, initiative

    def initiatives(self) -> list[Initiative]:
        return [i for _, i in self.walk()]

    def counts(self) -> dict[str, int]:
        """How many pillars, initiatives (with sub-actions), phases and milestones."""
        inits = self.initiatives()
        return {
            "pillars": len(self.pillars),
            "initiatives": len(inits),
            "phases": sum(len(i.phases) for i in inits),
            "milestones": sum(len(i.milestones) for i in inits),
        }

    def find(self, uid: str):
        """The pillar, initiative, phase or milestone with this ``uid``, or ``None``."""
        for pillar in self.pillars:
            if pillar.uid == uid:
                return pillar
            for initiative in pillar.walk():
                if initiative.uid == uid:
                    return initiative
                for item in itertools.chain(initiative.phases, initiative.milestones):
                    if item.uid == uid:
                        return item
        return None


@dataclass(eq=False)
class PlanVersion:
    """A named snapshot of the whole plan (without its own versions), saved on ``saved`` ("YYYY-MM-DD")."""

    name: str
    saved: str
    plan: Plan
