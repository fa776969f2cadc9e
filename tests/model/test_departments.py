"""Department cells as offices write them: one split, the same everywhere."""

import pytest

from dxroadmap.model.departments import join_departments, split_departments


@pytest.mark.parametrize("text, expected", [
    ("総務課、企画課", ["総務課", "企画課"]),
    ("総務課､企画課", ["総務課", "企画課"]),
    ("総務課，企画課,税務課", ["総務課", "企画課", "税務課"]),
    ("総務課／企画課/税務課", ["総務課", "企画課", "税務課"]),
    ("総務課；企画課; 市民課", ["総務課", "企画課", "市民課"]),
    ("情報政策課\n市民課\r\n税務課", ["情報政策課", "市民課", "税務課"]),
    ("総務課　企画課", ["総務課", "企画課"]),  # full-width space after a complete 課
    ("防災係 住民係", ["防災係", "住民係"]),
    ("企画部　企画課", ["企画部　企画課"]),  # a 部 with its 課 is one name
    ("保険・年金課", ["保険・年金課"]),  # ・ joins words inside a name
    ("標準化・共通化対象システム所管課", ["標準化・共通化対象システム所管課"]),
    ("ＤＸ部門、全課等", ["ＤＸ部門", "全課等"]),
    ("総務課（情報係）、企画課", ["総務課（情報係）", "企画課"]),
    ("　総務課　", ["総務課"]),
    ("－", []),
    ("-", []),
    (" 、 ", []),
    ("", []),
    (None, []),
])
def test_split_departments_on_real_office_spellings(text, expected):
    assert split_departments(text) == expected


def test_join_then_split_gives_the_list_back():
    departments = ["税務町民課", "健康福祉課", "会計課", "上下水道課"]
    assert join_departments(departments) == "税務町民課、健康福祉課、会計課、上下水道課"
    assert split_departments(join_departments(departments)) == departments
