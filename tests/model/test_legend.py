"""The one 凡例 rule (model.legend): one entry per colour meaning, the workbook's own words first."""

from __future__ import annotations

import json

from dxroadmap.io.plan_json import dumps, loads
from dxroadmap.model.fiscal import month_index as m
from dxroadmap.model.legend import LegendItem, legend_entries, legend_from_json
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan


def plan_of(*phases: tuple[str | None, PhaseKind, str | None], milestones: bool = False, legend=None) -> Plan:
    """A plan with one initiative per phase (label, kind, colour)."""
    inits = [Initiative(f"取組{k}", phases=[Phase(m(2024, 4), m(2025, 3), label, kind, color)],
                        milestones=[Milestone(m(2024, 4), "開始")] if milestones and k == 0 else [])
             for k, (label, kind, color) in enumerate(phases)]
    return Plan(start_fy=2024, end_fy=2026, pillars=[Pillar("柱", inits)], legend=list(legend or []))


def labels(plan: Plan) -> list[tuple[str, str]]:
    return [(e.color, e.label) for e in legend_entries(plan)]


def test_a_colour_used_by_several_kinds_is_one_entry():
    # 森町's quarter sheet: one blue for 運用, 継続 and その他 bars gave three 凡例 entries before
    plan = plan_of(("運用", PhaseKind.OPERATE, "#95b3d7"), ("推進", PhaseKind.OPERATE, "#95B3D7"),
                   ("拡大", PhaseKind.CONTINUE, "#95B3D7"), ("普及促進", PhaseKind.CUSTOM, "#95B3D7"))
    assert labels(plan) == [("#95B3D7", "運用・継続")]  # commonest kind first; その他 does not count
    assert legend_entries(plan)[0].kind is PhaseKind.OPERATE


def test_agreeing_phases_give_the_kind_word():
    plan = plan_of(("検討", PhaseKind.STUDY, "#CCC1DA"), ("SNS活用検討", PhaseKind.STUDY, "#CCC1DA"),
                   ("点検", PhaseKind.CUSTOM, "#CCC1DA"), ("X", PhaseKind.CUSTOM, "#123456"))
    assert labels(plan) == [("#CCC1DA", "検討"), ("#123456", "その他")]


def test_at_most_two_words_ties_in_kind_order():
    plan = plan_of(("a", PhaseKind.CONTINUE, "#FAC090"), ("b", PhaseKind.INTRODUCE, "#FAC090"),
                   ("c", PhaseKind.PREPARE, "#FAC090"))
    assert labels(plan) == [("#FAC090", "準備・導入")]


def test_tints_with_the_same_word_are_one_entry_in_the_commonest_colour():
    # theme blue (#4F81BD) at tint 0.4 and 0.8: the office separates adjacent bars by tint only
    plan = plan_of(("運用", PhaseKind.OPERATE, "#95B3D7"), ("運用", PhaseKind.OPERATE, "#95B3D7"),
                   ("運用", PhaseKind.OPERATE, "#DCE6F2"))
    assert labels(plan) == [("#95B3D7", "運用")]


def test_other_hues_or_other_words_stay_apart():
    # the default 導入 and 運用 blues share a hue but not a word; an orange 運用 is another hue
    plan = plan_of((None, PhaseKind.INTRODUCE, None), (None, PhaseKind.OPERATE, None),
                   ("運用", PhaseKind.OPERATE, "#F4B183"))
    assert labels(plan) == [(PhaseKind.INTRODUCE.default_color, "導入"), (PhaseKind.OPERATE.default_color, "運用"),
                            ("#F4B183", "運用")]


def test_kind_order_then_first_use_and_milestones_last():
    plan = plan_of(("運用", PhaseKind.OPERATE, "#9BC2E6"), ("検討", PhaseKind.STUDY, "#F8CBAD"), milestones=True)
    assert legend_entries(plan) == [LegendItem("#F8CBAD", "検討", PhaseKind.STUDY),
                                    LegendItem("#9BC2E6", "運用", PhaseKind.OPERATE),
                                    LegendItem("", "マイルストーン", None, milestone=True)]


def test_the_workbook_legend_names_its_colours_in_its_order():
    plan = plan_of(("調査", PhaseKind.STUDY, "#F8CBAD"), ("本格運用", PhaseKind.OPERATE, "#9BC2E6"),
                   ("移行", PhaseKind.PREPARE, "#FFE699"), ("別色", PhaseKind.CUSTOM, "#00FF00"),
                   legend=[("#9BC2E6", "運用・実施"), ("#ABCDEF", "使われない色"), ("#f8cbad", "検討・準備"),
                           ("#FFE699", "構築・実証")])
    # block order; the unused colour left out; a colour the block does not name falls back to rule 3
    assert labels(plan) == [("#9BC2E6", "運用・実施"), ("#F8CBAD", "検討・準備"), ("#FFE699", "構築・実証"),
                            ("#00FF00", "その他")]


def test_an_empty_plan_has_no_legend():
    assert legend_entries(Plan()) == []


def test_the_legend_round_trips_through_plan_json():
    plan = plan_of(("調査", PhaseKind.STUDY, "#F8CBAD"), legend=[("#F8CBAD", "検討・準備"), ("#9BC2E6", "運用")])
    doc = json.loads(dumps(plan))
    assert doc["plan"]["legend"] == [{"color": "#F8CBAD", "label": "検討・準備"}, {"color": "#9BC2E6", "label": "運用"}]
    assert loads(dumps(plan)).legend == plan.legend
    assert "legend" not in json.loads(dumps(plan_of(("a", PhaseKind.STUDY, None))))["plan"]


def test_a_damaged_legend_key_costs_only_its_bad_entries():
    assert legend_from_json([{"color": "#f8cbad", "label": "検討"}, {"color": "red", "label": "x"}, "x",
                             {"color": "#9BC2E6"}, {"color": "#9BC2E6", "label": "  "}]) == [("#F8CBAD", "検討")]
    assert legend_from_json({"color": "#F8CBAD"}) == []
    doc = json.loads(dumps(plan_of(("a", PhaseKind.STUDY, None))))
    doc["plan"]["legend"] = "not a list"
    assert loads(json.dumps(doc)).legend == []
