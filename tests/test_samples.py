"""The five sample plans in samples/: they load, validate, round-trip, and hold what the seed plans say.

Counts and names below were checked by hand against ../shared/seeds (the five published plans);
a sample that loses an initiative, a sub-action, a bar or a milestone fails here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from dxroadmap.io.plan_json import dumps, plan_from_dict, plan_to_dict, read_plan_json
from dxroadmap.model.fiscal import format_ym
from dxroadmap.model.plan import PRIORITY_ITEMS, Initiative, Plan
from dxroadmap.model.validation import validate

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
NAMES = ("matsumae", "abashiri", "matsuura", "mori", "kahoku")

# name: (title, organization, start_fy, end_fy, counts)
EXPECTED = {
    "matsumae": ("松前町ＤＸ推進計画", "松前町", 2023, 2027,
                 {"pillars": 4, "initiatives": 14, "phases": 34, "milestones": 4}),
    # 20 cards with 65 ①②… sub-actions, plus 計画の推進 with the 6 rows of the overall schedule.
    "abashiri": ("網走市ＤＸ推進計画", "網走市", 2021, 2025,
                 {"pillars": 5, "initiatives": 92, "phases": 97, "milestones": 8}),
    # 12 取組 with 28 ア.イ.ウ. sub-actions; only 標準化 has a timeline (令和7年度までに移行).
    "matsuura": ("松浦市DX推進計画", "松浦市", 2024, 2028,
                 {"pillars": 3, "initiatives": 40, "phases": 2, "milestones": 0}),
    # 15 施策; only 標準化 has a schedule in the text (令和７年度末までに移行).
    "mori": ("森町DX推進計画", "森町", 2023, 2027,
             {"pillars": 3, "initiatives": 15, "phases": 1, "milestones": 0}),
    # 14 取組事項 plus the 9 分野 of 様々な分野における地域DX; no timeline.
    "kahoku": ("河北町役場DX推進方針", "河北町", 2023, 2027,
               {"pillars": 3, "initiatives": 23, "phases": 0, "milestones": 0}),
}

PILLARS = {
    "matsumae": ["ＤＸの土台", "暮らしのＤＸ", "産業のＤＸ", "行政のＤＸ"],
    "abashiri": ["関係人口創出の取り組み", "市民サービスの取り組み", "行政運営の取り組み", "地域社会の取り組み", "推進体制"],
    "matsuura": ["利便性の高い市民サービスの実現", "豊かで安全・安心な暮らしの実現に向けたデジタル技術の活用",
                 "行政事務の効率化を図るデジタル環境の最適化"],
    "mori": ["町民サービス向上のためのICT利活用", "地域情報化のさらなる推進", "行政内部のICT環境整備による業務効率化"],
    "kahoku": ["住民目線のDX", "行政目線のDX", "地域目線のDX"],
}

# A handful of initiatives per plan, named as in the seed's roadmap tables / cards / lists.
SPOT_NAMES = {
    "matsumae": ["デジタル人材の育成", "ＤＸコンシェルジュの育成", "住民の買物環境等のデジタル化の推進",
                 "デジタルを活用した地域ブランディングの強化（オープンデータの推進）とキャッシュレス化等の推進",
                 "漁業のＤＸの推進", "業務効率化の推進（ＡＩ・ＲＰＡの活用推進）", "セキュリティ対策の徹底"],
    "abashiri": ["デジタルマーケティングの強化", "外部専門人材の登用", "ワンフロアストップサービスの導入",
                 "子育て、介護の26手続をオンライン化", "業務改革（BPR）の徹底（書面・押印・対面の見直し）",
                 "人工知能（AI）・業務自動化（RPA）などの先進技術の活用", "AIデマンドバス実証実験、導入検討",
                 "デジタル技術を活用した高齢者の見守り支援", "計画の推進"],
    "matsuura": ["行政手続のオンライン化に関する取組", "来庁予約のオンライン化", "書かない窓口への取組み",
                 "ICTリテラシーの向上に関する取組（デジタルデバイド対策）", "公開型GISの導入（再掲）",
                 "情報システムの標準化と共通化に関する取組", "テレワーク基盤の維持と活用の推進", "DX人材の育成"],
    "mori": ["行政手続のオンライン化の推進", "町公式ホームページ、公式SNS等を通じた情報発信",
             "デジタル原則に基づく条例等の規制の点検・見直し", "森町所有データのオープン化の推進",
             "庁内事務の電子決裁化", "庁内ICT環境の整備・活用"],
    "kahoku": ["行政手続きのオンライン化", "役場窓口機能の多様化", "業務の見直し・再構築（BPR）の推進",
               "基幹システムや情報インフラの最適化", "生涯学習、スポーツ、歴史と文化分野",
               "デジタル社会の構築に向けた地域基盤の整備"],
}

ENUMERATOR = re.compile(r"^\s*([①-⑳]|[ア-ン][.．]|[（(][0-9０-９]+[）)]|[0-9０-９]+[.．\s])")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {name: read_plan_json(SAMPLES / f"{name}.json") for name in NAMES}


def _top(plan: Plan) -> list[Initiative]:
    return [init for pillar in plan.pillars for init in pillar.initiatives]


def _by_name(plan: Plan, name: str) -> Initiative:
    found = [init for init in plan.initiatives() if init.name == name]
    assert len(found) == 1, f"{name!r} found {len(found)} times"
    return found[0]


def _spans(init: Initiative) -> list[tuple[str | None, str, str]]:
    return [(p.label, format_ym(p.start), format_ym(p.end)) for p in init.phases]


def test_samples_folder_holds_exactly_the_five_plans():
    assert sorted(p.stem for p in SAMPLES.glob("*.json")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_header_counts_and_pillars(plans, name):
    plan = plans[name]
    title, org, start, end, counts = EXPECTED[name]
    assert (plan.title, plan.organization, plan.start_fy, plan.end_fy) == (title, org, start, end)
    assert plan.counts() == counts
    assert [p.name for p in plan.pillars] == PILLARS[name]


@pytest.mark.parametrize("name", NAMES)
def test_validates_without_problems(plans, name):
    problems = validate(plans[name])
    assert [p.message("en") for p in problems] == []


@pytest.mark.parametrize("name", NAMES)
def test_file_is_canonical_and_round_trips(name):
    path = SAMPLES / f"{name}.json"
    text = path.read_text(encoding="utf-8")
    # written exactly as write_plan_json writes it
    assert dumps(read_plan_json(path)) == text
    doc = json.loads(text)
    assert plan_to_dict(plan_from_dict(doc)) == doc


@pytest.mark.parametrize("name", NAMES)
def test_seed_initiatives_present(plans, name):
    names = {_key(i.name) for i in plans[name].initiatives()}
    missing = [n for n in SPOT_NAMES[name] if _key(n) not in names]
    assert missing == []


@pytest.mark.parametrize("name", NAMES)
def test_names_are_clean(plans, name):
    for _, init in plans[name].walk():
        assert init.name.strip() == init.name and init.name
        assert "【重点取組事項】" not in init.name and "重点取組事項" not in init.name
        assert not ENUMERATOR.match(init.name), init.name
        assert "※" not in init.name and "\n" not in init.name
        assert not re.search(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", init.name), init.name


@pytest.mark.parametrize("name", NAMES)
def test_every_phase_inside_the_period_and_bars_in_order(plans, name):
    plan = plans[name]
    for _, init in plan.walk():
        previous_end = None
        for phase in init.phases:
            assert plan.first_month <= phase.start <= phase.end <= plan.last_month, (init.name, phase.label)
            if previous_end is not None:
                assert phase.start > previous_end, f"bars overlap on {init.name}"
            previous_end = phase.end
        for ms in init.milestones:
            assert plan.first_month <= ms.month <= plan.last_month


@pytest.mark.parametrize("name", NAMES)
def test_priority_items_are_national_items(plans, name):
    for _, init in plans[name].walk():
        assert all(item in PRIORITY_ITEMS for item in init.priority_items), init.name


@pytest.mark.parametrize("name", NAMES)
def test_every_initiative_has_a_summary(plans, name):
    assert all(init.summary.strip() for init in _top(plans[name]))


# ------------------------------------------------------------------ 松前町


def test_matsumae_departments_and_kpi(plans):
    plan = plans["matsumae"]
    for init in _top(plan):
        assert init.departments and init.departments[0] == "ＤＸ部門"
        assert init.kpi, init.name
        assert init.notes, init.name  # the スケジュール sentences behind the bars
    assert _by_name(plan, "デジタルを活用した地域ブランディングの強化（オープンデータの推進）とキャッシュレス化等の推進"
                    ).departments == ["ＤＸ部門", "商工観光課", "政策財政課"]
    assert _by_name(plan, "行政手続きの電子申請化").departments == ["ＤＸ部門", "全課等"]


def test_matsumae_bars_follow_the_schedule_sentences(plans):
    plan = plans["matsumae"]
    # 令和5年度に検討、令和6年度に実証実験、令和7年度より本運用
    assert _spans(_by_name(plan, "必要な情報を住民と共有できる仕組みの検討・導入")) == [
        ("検討", "2023-04", "2024-03"), ("実証実験", "2024-04", "2025-03"), ("本運用", "2025-04", "2028-03")]
    # 令和5年度から令和7年度の3年間で検討、令和8年度に実証実験、令和9年度より本運用
    assert _spans(_by_name(plan, "住民の買物環境等のデジタル化の推進")) == [
        ("検討", "2023-04", "2026-03"), ("実証実験", "2026-04", "2027-03"), ("本運用", "2027-04", "2028-03")]
    # 令和5年度ヒアリング、令和6年度実証実験、令和7年度より本格運用
    assert [p[1:] for p in _spans(_by_name(plan, "漁業のＤＸの推進"))] == [
        ("2023-04", "2024-03"), ("2024-04", "2025-03"), ("2025-04", "2028-03")]
    concierge = _by_name(plan, "ＤＸコンシェルジュの育成")
    assert [(m.label, format_ym(m.month)) for m in concierge.milestones] == [("制度開始", "2024-04")]
    office = _by_name(plan, "業務効率化の推進（ＡＩ・ＲＰＡの活用推進）")
    assert _spans(office)[-1] == ("全庁運用", "2025-04", "2028-03")


# ------------------------------------------------------------------ 網走市


def test_abashiri_cards_have_departments_and_sub_actions(plans):
    plan = plans["abashiri"]
    cards = [i for p in plan.pillars[:4] for i in p.initiatives]
    assert len(cards) == 20
    assert [len(c.children) for c in cards] == [3, 3, 4, 3, 3, 5, 4, 1, 3, 4, 4, 5, 3, 3, 2, 4, 3, 2, 3, 3]
    for card in cards:
        assert card.departments and card.summary and not card.phases
        for child in card.children:
            assert child.departments == [] and child.phases
    assert _by_name(plan, "情報システム標準化・共通化").departments[4] == "健康推進課"  # wrapped inside the word
    assert _by_name(plan, "人工知能（AI）・業務自動化（RPA）などの先進技術の活用").departments == ["全庁"]


def test_abashiri_bar_labels(plans):
    plan = plans["abashiri"]
    labels = {p.label for _, i in plan.walk() for p in i.phases}
    for label in ("外部人材登用", "PDCAサイクル", "作製", "検討・随時廃止", "窓口支援システム稼働",
                  "運用（一部）", "運用開始（随時更新）", "試行・検証", "データ整理", "講座などの開設", "調査・検討"):
        assert label in labels
    assert [p[0] for p in _spans(_by_name(plan, "子育て、介護の26手続をオンライン化"))] == ["検討", "導入", "運用"]


def test_abashiri_overall_schedule_milestones(plans):
    plan = plans["abashiri"]
    promotion = _by_name(plan, "計画の推進")
    versions = [(m.label, format_ym(m.month)) for c in promotion.children for m in c.milestones
                if m.label.startswith("計画V")]
    assert [v[0] for v in versions] == ["計画V1.0", "計画V2.0", "計画V3.0", "計画V4.0"]
    assert versions[0][1] == "2022-01"  # the plan period starts in January 2022
    assert [v[1] for v in versions] == sorted(v[1] for v in versions)


# ------------------------------------------------------------------ 松浦市

MATSUURA_PRIORITY = {
    "行政手続のオンライン化に関する取組": ["フロントヤード改革"],
    "市役所窓口改革に関する取組": ["フロントヤード改革"],
    "マイナンバーカードの普及促進に関する取組": ["マイナンバーカードの普及促進・利用の推進"],
    "情報システムの標準化と共通化に関する取組": ["情報システムの標準化・共通化"],
    "テレワーク基盤の維持と活用の推進": ["テレワークの推進"],
    "自治体のAI・RPAの利用に関する取組": ["AI・RPAの利用推進"],
    "情報セキュリティの強化に関する取組": ["セキュリティ対策の徹底"],
}


def test_matsuura_priority_items_are_exactly_the_tagged_ones(plans):
    tagged = {i.name: i.priority_items for _, i in plans["matsuura"].walk() if i.priority_items}
    assert tagged == MATSUURA_PRIORITY


def test_matsuura_sub_actions(plans):
    plan = plans["matsuura"]
    assert [len(i.children) for i in _top(plan)] == [3, 2, 2, 2, 3, 3, 3, 0, 3, 3, 2, 2]
    assert [c.name for c in _by_name(plan, "安全・安心な暮らしの実現に関する取組").children] == [
        "松浦市防災アプリの利用者拡大に向けた取組", "公衆Wi-Fiの整備と維持", "公開型GISの導入"]
    assert _spans(_by_name(plan, "情報システムの標準化と共通化に関する取組"))[0][1:] == ("2024-04", "2026-03")


# ------------------------------------------------------------------ 森町


def test_mori_fifteen_measures_in_system_order(plans):
    plan = plans["mori"]
    assert [len(p.initiatives) for p in plan.pillars] == [5, 4, 6]
    assert [i.name for i in plan.pillars[2].initiatives] == [
        "情報システムの標準化・共通化", "ペーパーレス化の推進", "庁内事務の電子決裁化",
        "テレワークの環境整備及び推進", "情報セキュリティ対策", "庁内ICT環境の整備・活用"]
    # 令和７年度末までに標準準拠システムへ移行: the only schedule the text gives
    phased = [i for i in plan.initiatives() if i.phases]
    assert [i.name for i in phased] == ["情報システムの標準化・共通化"]
    assert format_ym(phased[0].phases[-1].end) == "2026-03"


# ------------------------------------------------------------------ 河北町


def test_kahoku_directions_and_departments(plans):
    plan = plans["kahoku"]
    top = _top(plan)
    assert [len(p.initiatives) for p in plan.pillars] == [4, 6, 4]
    for init in top:
        assert init.summary.endswith("目指します。"), init.name  # 目指す方向性
        assert not init.phases and not init.milestones
    no_department = [i.name for i in top if not i.departments]
    assert no_department == ["様々な分野における地域DX"]  # the only 取組事項 without 主な担当課
    assert _by_name(plan, "役場窓口機能の多様化").departments == ["税務町民課", "健康福祉課", "会計課", "上下水道課"]
    assert _by_name(plan, "基幹システムや情報インフラの最適化").departments == [
        "企画財政課", "標準化・共通化対象システム所管課"]
    fields = _by_name(plan, "様々な分野における地域DX").children
    assert len(fields) == 9 and all(f.name.endswith("分野") and f.summary for f in fields)
