"""The national plan's items by version: names, old names mapped to new, coverage of the samples."""

from pathlib import Path

import pytest

from dxroadmap.io.plan_json import read_plan_json
from dxroadmap.model.national import LATEST, PRIORITY, VERSIONS, coverage, match_item, version_of

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.json"))


def test_the_latest_version_has_seven_priority_items_including_eltax():
    latest = version_of(None)
    assert latest.version == LATEST == "2.3" and latest.published == "2024-02-05"
    names = [i.name for i in latest.items if i.category == PRIORITY]
    assert len(names) == 7 and "公金収納におけるeLTAXの活用" in names
    assert version_of("第2.3版") is latest and version_of("1.0").label == "第1.0版"
    with pytest.raises(KeyError):
        version_of("9.9")


def test_keys_are_unique_within_a_version():
    for v in VERSIONS:
        keys = [i.key for i in v.items]
        assert len(keys) == len(set(keys)), v.label


@pytest.mark.parametrize("text, version, expected", [
    ("行政手続のオンライン化", "2.3", "自治体フロントヤード改革の推進"),
    ("行政手続きのオンライン化", "2.3", "自治体フロントヤード改革の推進"),
    ("フロントヤード改革", "1.0", "行政手続のオンライン化"),
    ("【重点取組事項】マイナンバーカードの普及促進", "2.3", "マイナンバーカードの普及促進・利用の推進"),
    ("ＡＩ・ＲＰＡの利用推進", "2.3", "自治体のAI・RPAの利用推進"),
    ("地域社会のデジタル化", "2.3", "デジタル実装の取組の推進"),
    ("公金収納におけるｅＬＴＡＸの活用", "2.3", "公金収納におけるeLTAXの活用"),
])
def test_names_old_new_and_full_width_map_to_the_versions_item(text, version, expected):
    assert match_item(text, version).name == expected


def test_eltax_does_not_exist_before_2_3_and_unknown_text_is_no_item():
    assert match_item("公金収納におけるeLTAXの活用", "2.0") is None
    assert match_item("道路の維持管理", "2.3") is None
    assert match_item("", "2.3") is None


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_tag_names_an_item_and_coverage_lists_every_item(path):
    plan = read_plan_json(path)
    rows, unknown = coverage(plan)
    assert [r.item.key for r in rows] == [i.key for i in version_of(LATEST).items]
    assert unknown == []
    tagged = sum(1 for r in rows for _ in r.initiatives)
    assert tagged > 0
    assert any(not r.covered for r in rows)  # every sample leaves eLTAX (new in 2.3) uncovered
