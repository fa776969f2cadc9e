"""The national 自治体DX推進計画's items by version, and which of a plan's initiatives serve each.

Sources (総務省「自治体デジタル・トランスフォーメーション（DX）推進計画」):
- 第1.0版, 2020-12-25 (令和2年12月25日策定): six 重点取組事項 (情報システムの標準化・共通化,
  マイナンバーカードの普及促進, 行政手続のオンライン化, AI・RPAの利用推進, テレワークの推進,
  セキュリティ対策の徹底) and, to be done alongside, 地域社会のデジタル化 and デジタルデバイド対策.
- 第2.0版, 2022-09-02 (令和4年9月2日改定): the same six; 地域社会のデジタル化 became デジタル実装の
  取組の推進, and デジタル原則に基づく条例等の規制の点検・見直し was added alongside.
- 第2.3版, 2024-02-05 (令和6年2月5日): its table of contents lists seven 重点取組事項 — (1) 自治体
  フロントヤード改革の推進, (2) 自治体の情報システムの標準化・共通化, (3) 公金収納における eLTAX の
  活用, (4) マイナンバーカードの普及促進・利用の推進, (5) セキュリティ対策の徹底, (6) 自治体の
  AI・RPA の利用推進, (7) テレワークの推進.
The 併せて取り組むべき事項 and その他 (任意に取り組む事項) wordings of 2.0 and 2.3 follow the
published plans as this project read them; check them against the PDF when a new version is added.

Every item has a stable ``key`` across versions, so a plan tagged under an old version's names
(行政手続のオンライン化) is counted under the new name (自治体フロントヤード改革の推進).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from dxroadmap.model.plan import Initiative, Plan

__all__ = ["PRIORITY", "ALONGSIDE", "OPTIONAL", "CATEGORY_NAMES", "NationalItem", "NationalVersion", "VERSIONS",
           "LATEST", "version_of", "match_item", "coverage", "CoverageRow"]

PRIORITY = "priority"  # 重点取組事項
ALONGSIDE = "alongside"  # 自治体DXの取組とあわせて取り組むべき事項
OPTIONAL = "optional"  # その他（任意に取り組む事項）
CATEGORY_NAMES = {PRIORITY: "重点取組事項", ALONGSIDE: "併せて取り組むべき事項", OPTIONAL: "任意に取り組む事項"}


@dataclass(frozen=True)
class NationalItem:
    """One item of one version: a stable key, the version's name for it, its category."""

    key: str
    name: str
    category: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class NationalVersion:
    """One published version of the national plan."""

    version: str  # "2.3"
    label: str  # "第2.3版"
    published: str  # "2024-02-05"
    items: tuple[NationalItem, ...] = field(default_factory=tuple)


# Short names offices write (松浦市 tags, checklists) for each key, in any version.
_ALIASES: dict[str, tuple[str, ...]] = {
    "frontyard": ("フロントヤード改革", "行政手続のオンライン化", "行政手続きのオンライン化", "オンライン化"),
    "standardization": ("情報システムの標準化・共通化", "システムの標準化・共通化", "標準化・共通化", "標準化"),
    "eltax": ("eLTAXの活用", "公金収納", "公金納付におけるeLTAXの活用"),
    "mynumber": ("マイナンバーカードの普及促進", "マイナンバーカードの普及促進・利用の推進", "マイナンバーカード"),
    "security": ("セキュリティ対策", "情報セキュリティ対策の徹底"),
    "ai-rpa": ("AI・RPAの利用推進", "AI・RPAの活用", "AI・RPA"),
    "telework": ("テレワーク",),
    "digital-implementation": ("地域社会のデジタル化", "デジタル実装の取組の推進", "デジタル田園都市国家構想"),
    "digital-divide": ("デジタルデバイド対策", "デジタル・デバイド対策"),
    "regulation-review": ("デジタル原則に基づく規制の点検・見直し", "規制の点検・見直し"),
    "bpr": ("BPRの取組の徹底", "BPR", "書面・押印・対面の見直し"),
    "open-data": ("オープンデータの推進・官民データ活用の推進", "オープンデータの推進", "官民データ活用"),
}


def _item(key: str, name: str, category: str) -> NationalItem:
    return NationalItem(key, name, category, _ALIASES.get(key, ()))


VERSIONS: tuple[NationalVersion, ...] = (
    NationalVersion("1.0", "第1.0版", "2020-12-25", (
        _item("standardization", "自治体の情報システムの標準化・共通化", PRIORITY),
        _item("mynumber", "マイナンバーカードの普及促進", PRIORITY),
        _item("frontyard", "行政手続のオンライン化", PRIORITY),
        _item("ai-rpa", "自治体のAI・RPAの利用推進", PRIORITY),
        _item("telework", "テレワークの推進", PRIORITY),
        _item("security", "セキュリティ対策の徹底", PRIORITY),
        _item("digital-implementation", "地域社会のデジタル化", ALONGSIDE),
        _item("digital-divide", "デジタルデバイド対策", ALONGSIDE),
        _item("bpr", "BPRの取組の徹底（書面・押印・対面の見直し）", OPTIONAL),
        _item("open-data", "オープンデータの推進・官民データ活用推進計画策定の推進", OPTIONAL),
    )),
    NationalVersion("2.0", "第2.0版", "2022-09-02", (
        _item("standardization", "自治体の情報システムの標準化・共通化", PRIORITY),
        _item("mynumber", "マイナンバーカードの普及促進", PRIORITY),
        _item("frontyard", "行政手続のオンライン化", PRIORITY),
        _item("ai-rpa", "自治体のAI・RPAの利用推進", PRIORITY),
        _item("telework", "テレワークの推進", PRIORITY),
        _item("security", "セキュリティ対策の徹底", PRIORITY),
        _item("digital-implementation", "デジタル実装の取組の推進", ALONGSIDE),
        _item("digital-divide", "デジタルデバイド対策", ALONGSIDE),
        _item("regulation-review", "デジタル原則に基づく条例等の規制の点検・見直し", ALONGSIDE),
        _item("bpr", "BPRの取組の徹底（書面・押印・対面の見直し）", OPTIONAL),
        _item("open-data", "オープンデータの推進・官民データ活用の推進", OPTIONAL),
    )),
    NationalVersion("2.3", "第2.3版", "2024-02-05", (
        _item("frontyard", "自治体フロントヤード改革の推進", PRIORITY),
        _item("standardization", "自治体の情報システムの標準化・共通化", PRIORITY),
        _item("eltax", "公金収納におけるeLTAXの活用", PRIORITY),
        _item("mynumber", "マイナンバーカードの普及促進・利用の推進", PRIORITY),
        _item("security", "セキュリティ対策の徹底", PRIORITY),
        _item("ai-rpa", "自治体のAI・RPAの利用推進", PRIORITY),
        _item("telework", "テレワークの推進", PRIORITY),
        _item("digital-implementation", "デジタル実装の取組の推進", ALONGSIDE),
        _item("digital-divide", "デジタルデバイド対策", ALONGSIDE),
        _item("regulation-review", "デジタル原則に基づく条例等の規制の点検・見直し", ALONGSIDE),
        _item("bpr", "BPRの取組の徹底（書面・押印・対面の見直し）", OPTIONAL),
        _item("open-data", "オープンデータの推進・官民データ活用の推進", OPTIONAL),
    )),
)
LATEST = VERSIONS[-1].version


def version_of(version: str | None) -> NationalVersion:
    """The catalogue of ``version`` ("2.3", "第2.3版", "v2.3"); the latest for ``None`` or ""."""
    if not version:
        return VERSIONS[-1]
    wanted = re.sub(r"[^0-9.]", "", unicodedata.normalize("NFKC", version))
    for v in VERSIONS:
        if v.version == wanted or v.version == wanted.rstrip("0").rstrip(".") or f"{wanted}.0" == v.version:
            return v
    raise KeyError(f"unknown national plan version {version!r}; known: {', '.join(v.version for v in VERSIONS)}")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s【】\[\]「」『』()（）]", "", text)
    return text.replace("行政手続き", "行政手続").lower()


def _key_of(text: str) -> str | None:
    """The stable key an item name (of any version, or a common short form) stands for."""
    t = _norm(text)
    if not t:
        return None
    for v in reversed(VERSIONS):
        for item in v.items:
            if t == _norm(item.name):
                return item.key
    best: tuple[int, str] | None = None  # the longest alias the text contains, or that contains the text
    for key, aliases in _ALIASES.items():
        for alias in aliases:
            a = _norm(alias)
            if a and (a in t or (len(t) >= 4 and t in a)) and (best is None or len(a) > best[0]):
                best = (len(a), key)
    return best[1] if best else None


def match_item(text: str, version: str | None = None) -> NationalItem | None:
    """The item of ``version`` that ``text`` names (old names map to new), or None."""
    key = _key_of(text)
    if key is None:
        return None
    return next((item for item in version_of(version).items if item.key == key), None)


@dataclass
class CoverageRow:
    """One national item and the plan's initiatives that serve it (in plan order)."""

    item: NationalItem
    initiatives: list[Initiative]

    @property
    def covered(self) -> bool:
        return bool(self.initiatives)


def coverage(plan: Plan, version: str | None = None) -> tuple[list[CoverageRow], list[tuple[Initiative, str]]]:
    """Each item of ``version`` with the initiatives tagged for it; plus tags that name no item.

    An initiative serves an item when one of its ``priority_items`` names that item (by the
    version's name, an older version's name or a common short form).
    """
    catalogue = version_of(version)
    rows = [CoverageRow(item, []) for item in catalogue.items]
    by_key = {row.item.key: row for row in rows}
    unknown: list[tuple[Initiative, str]] = []

    def walk(items: list[Initiative]) -> None:
        for init in items:
            for tag in init.priority_items:
                item = match_item(tag, catalogue.version)
                if item is None:
                    unknown.append((init, tag))
                elif init not in by_key[item.key].initiatives:
                    by_key[item.key].initiatives.append(init)
            walk(init.children)

    for pillar in plan.pillars:
        walk(pillar.initiatives)
    return rows, unknown
