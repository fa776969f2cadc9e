"""Plans for the render tests: 松前町's roadmap (samples/matsumae.json when present) and generated ones."""

from __future__ import annotations

from pathlib import Path

from dxroadmap.model.fiscal import month_index as mi
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan, guess_kind

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "matsumae.json"


def _ph(label: str, start: tuple[int, int], end: tuple[int, int]) -> Phase:
    return Phase(mi(*start), mi(*end), label, guess_kind(label))


def _init(name, summary, depts, phases, milestones=()):
    return Initiative(name, summary, list(depts), phases=[_ph(*p) for p in phases],
                      milestones=[Milestone(mi(*m[1]), m[0]) for m in milestones])


def built_matsumae() -> Plan:
    """松前町ＤＸ推進計画's roadmap tables 7-1..7-4 (names, summaries and schedules from the plan text)."""
    base = Pillar("ＤＸの土台", [
        _init("デジタル人材の育成",
              "今後職員の減員が想定されることから、業務量の削減が急務となっています。実際の現場の課題をテーマとし、"
              "外部講師による職員のリスキリングを行いながら、業務改革プロジェクトを推進します。",
              ["ＤＸ部門", "全課等"],
              [("実践型プログラム", (2023, 4), (2027, 3)), ("自立運用", (2027, 4), (2028, 3))]),
        _init("ＤＸコンシェルジュの育成",
              "デジタルの扱いが苦手な住民に対して、使い方のサポートを行うことができるＤＸコンシェルジュを育成します。",
              ["ＤＸ部門", "関係課等"],
              [("検討", (2023, 4), (2024, 3)), ("制度運用", (2024, 4), (2028, 3))], [("制度開始", (2024, 4))]),
        _init("誰もがデジタルを活用できる環境の整備",
              "誰もがデジタルを活用できるようにするため、デジタル端末やネットワーク環境を活用できる拠点の整備を行います。",
              ["ＤＸ部門", "関係課等"],
              [("検討", (2023, 4), (2024, 3)), ("整備", (2024, 4), (2026, 3)), ("順次運用", (2025, 4), (2028, 3))]),
    ])
    life = Pillar("暮らしのＤＸ", [
        _init("住民の買物環境等のデジタル化の推進",
              "高齢者の買い物や移動等の課題解決をデジタルで支援し、地域で安心して暮らし続けられる環境づくりを推進する。",
              ["ＤＸ部門", "関係課等"],
              [("検討", (2023, 4), (2026, 3)), ("実証実験", (2026, 4), (2027, 3)), ("本運用", (2027, 4), (2028, 3))]),
        _init("必要な情報を住民と共有できる仕組みの検討・導入",
              "行政情報や防災情報など、日頃住民が必要とする情報をリアルタイムに届けることで、安心安全な地域づくりを推進する。",
              ["ＤＸ部門", "総務課"],
              [("検討", (2023, 4), (2024, 3)), ("実証実験", (2024, 4), (2025, 3)), ("本運用", (2025, 4), (2028, 3))],
              [("各家庭1端末", (2026, 3))]),
    ])
    industry = Pillar("産業のＤＸ", [
        _init("デジタルを活用した地域ブランディングの強化（オープンデータの推進）とキャッシュレス化等の推進",
              "地域の観光情報や特産品等の情報の整備、発信を通して地域ブランディングを強化するとともに、キャッシュレス化等、"
              "来訪者が便利に地域を楽しめる環境づくりを支援します。情報の整備・発信にはオープンデータも活用し、"
              "業務効率化と情報発信を推進します。",
              ["ＤＸ部門", "商工観光課", "政策財政課"],
              [("オープンデータ順次公開", (2023, 4), (2028, 3)), ("キャッシュレス検討", (2023, 4), (2025, 3)),
               ("導入", (2025, 4), (2026, 3))]),
        _init("畜産のＤＸの推進",
              "畜産現場へのＩｏＴ導入やデジタル活用を支援することで、業務負荷を削減し、新たな担い手が参入しやすい環境づくりと"
              "松前牛（仮称）のブランド化を推進します。",
              ["ＤＸ部門", "関係課等"],
              [("検討", (2023, 4), (2025, 3)), ("実証実験", (2025, 4), (2026, 3)), ("本格運用", (2026, 4), (2028, 3))]),
        _init("漁業のＤＸの推進",
              "漁業の業務効率化及び漁獲量増加を目指した支援を行うとともに、漁場管理や密漁監視等の効率化も支援します。",
              ["ＤＸ部門", "関係課等"],
              [("検討", (2023, 4), (2024, 3)), ("実証実験", (2024, 4), (2025, 3)), ("本格運用", (2025, 4), (2028, 3))]),
    ])
    admin = Pillar("行政のＤＸ", [
        _init("マイナンバーカードの普及・活用促進",
              "本人確認が必要な申請のオンライン化を見据え、デジタル社会の基盤となるマイナンバーカードの普及を図り、"
              "利便性向上と申請業務の効率化を目指します。",
              ["ＤＸ部門", "関係課等"],
              [("普及促進", (2023, 4), (2025, 3)), ("コンビニ交付検討", (2023, 10), (2024, 9)),
               ("導入", (2024, 10), (2025, 3)), ("運用", (2025, 4), (2028, 3))], [("保険証廃止", (2024, 12))]),
        _init("行政手続きの電子申請化",
              "まず国が定める子育て・介護等の電子申請の仕組みを導入し、順次電子申請対象の申請を追加します。",
              ["ＤＸ部門", "関係課等"],
              [("導入", (2023, 4), (2024, 3)), ("順次拡大", (2024, 4), (2028, 3))]),
        _init("自治体情報システムの標準化・共通化",
              "国の標準仕様に準拠したシステムへ移行します。",
              ["ＤＸ部門", "政策財政課"],
              [("移行準備", (2023, 4), (2025, 9)), ("移行", (2025, 10), (2026, 3)), ("運用", (2026, 4), (2028, 3))],
              [("標準準拠システム稼働", (2026, 1))]),
    ])
    return Plan("松前町ＤＸ推進計画 ロードマップ", "松前町", 2023, 2027, [base, life, industry, admin])


def matsumae() -> Plan:
    """samples/matsumae.json when it exists, else the plan built above."""
    if SAMPLE.exists():
        from dxroadmap.io.plan_json import read_plan_json

        result = read_plan_json(SAMPLE)
        return getattr(result, "plan", result)
    return built_matsumae()


def generated(n_initiatives: int, pillars: int = 4, seed: int = 1) -> Plan:
    """A plan of ``n_initiatives`` initiatives spread over ``pillars`` pillars, with varied text and bars."""
    import random

    rnd = random.Random(seed)
    labels = ["検討", "準備", "実証実験", "導入", "本運用", "継続"]
    plan = Plan(f"生成計画 {n_initiatives}件", "テスト町", 2023, 2027,
                [Pillar(f"基本方針{k + 1}") for k in range(pillars)])
    for i in range(n_initiatives):
        start = mi(2023, 4) + rnd.randrange(0, 24)
        phases = []
        for label in rnd.sample(labels, rnd.randrange(1, 4)):
            end = min(start + rnd.randrange(2, 20), mi(2028, 3))
            phases.append(Phase(start, end, label, guess_kind(label)))
            start = end + 1
            if start > mi(2028, 3):
                break
        init = Initiative(f"取組{i + 1:04d} " + "デジタル" * rnd.randrange(0, 4),
                          "概要の説明文です。" * rnd.randrange(1, 8), ["ＤＸ部門", f"課{i % 7}"], phases=phases,
                          milestones=[Milestone(mi(2024, 4) + rnd.randrange(0, 30), "開始")] if i % 5 == 0 else [])
        plan.pillars[i % pillars].initiatives.append(init)
    return plan
