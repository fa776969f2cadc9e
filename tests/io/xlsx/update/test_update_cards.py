"""``dxroadmap update`` into card layouts: a block of rows per initiative with its own time strip.

For the shared card fixture (s05, 網走市) and a card workbook made by another writer
(openpyxl, then re-saved by LibreOffice; fill bars with labels instead of merged ones,
own schedule rows, milestones, a 目標 row, a footnote and a print area): import → move a
bar, resize one, rename a card and a sub-action, add a card with a bar, remove one →
update without ``force`` → the visible form alone re-imports to the edited plan at the
form's resolution, the data sheet to the exact plan, every other package part is
byte-identical and the rows outside the cards keep their cells.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.plan_json import plan_to_dict
from dxroadmap.io.xlsx.package.parts import workbook_sheets
from dxroadmap.io.xlsx.read.results import SheetOverrides
from dxroadmap.io.xlsx.read.workbook import WorkbookReader, import_workbook
from dxroadmap.io.xlsx.update.sheetxml import SheetXml
from dxroadmap.io.xlsx.update.writer import UpdateRefused, update_workbook
from dxroadmap.model.plan import Initiative, Milestone, Phase, Plan
from tests.generators.sheets import resave_with_libreoffice

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO.parent / "shared" / "fixtures"
VISIBLE = {"\0": SheetOverrides()}
ALLOWED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
HAS_LO = bool(shutil.which("soffice"))

# ---------------------------------------------------------------- a card workbook by another writer

_THIN = Side(style="thin", color="FF808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_COLORS = {"検討": "FFF8CBAD", "構築": "FFFFE699", "導入": "FFFFE699", "運用": "FF9BC2E6", "": "FF9BC2E6"}
# (pillar, [(title, summary, departments, kpi, own bars, own milestones, [(sub-action, bars)], note)])
# bars: (first year index, last year index, label); years R7..R10
_CARDS = [
    ("１．暮らしの取り組み", [
        ("スマート窓口の導入", "窓口の手続をオンラインで完結できるようにします。", "住民課、情報政策課", "待ち時間を半分に",
         [(0, 0, "検討")], [(1, "稼働")],
         [("キャッシュレス決済の導入", [(1, 3, "導入")]), ("書かない窓口", [(0, 1, "検討"), (2, 3, "運用")])],
         "来庁者の負担が減ります。"),
        ("子育て手続のオンライン化", "保育園の申込などをオンラインで受け付けます。", "子育て支援課", "",
         [], [], [("電子申請の拡充", [(0, 3, "運用")]), ("相談のオンライン予約", [(1, 2, "構築")])], None),
    ]),
    ("２．行政の取り組み", [
        ("テレワークの推進", "職員が場所を問わず働ける環境を整えます。", "総務課、情報政策課", "実施率 30%",
         [(0, 1, "検討")], [], [("端末の更新", [(1, 1, "導入")]), ("規程の整備", [(0, 0, "検討")]),
                                ("研修の実施", [(2, 3, "運用")])], None),
        ("文書管理の電子化", "紙の決裁をなくします。", "総務課", "",
         [], [], [("電子決裁の導入", [(1, 2, "構築")])], "ペーパーレス化が進みます。"),
    ]),
]


def _card_workbook(path: Path) -> Path:
    """An openpyxl-made card workbook (the shape of many offices' 取組カード)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "取組カード"
    for col, width in zip("ABCDEF", (6, 40, 12, 12, 12, 12)):
        ws.column_dimensions[col].width = width
    ws["A1"] = "かわせみ町ＤＸ推進計画　取組カード"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    r = 3

    def boxed(row: int, c0: int = 1, c1: int = 6) -> None:
        for c in range(c0, c1 + 1):
            ws.cell(row, c).border = _BOX

    def bars(row: int, items: list, marks: list) -> None:
        for a, b, label in items:
            for k in range(a, b + 1):
                ws.cell(row, 3 + k).fill = PatternFill("solid", fgColor=_COLORS[label])
            ws.cell(row, 3 + a, label)
        for k, label in marks:
            ws.cell(row, 3 + k, "◆" + label)

    for pillar, cards in _CARDS:
        ws.cell(r, 1, pillar).font = Font(bold=True, size=12)
        r += 2
        for title, summary, depts, kpi, own, marks, subs, note in cards:
            ws.cell(r, 1, title).font = Font(bold=True, color="FFFFFFFF")
            for c in range(1, 7):
                ws.cell(r, c).fill = PatternFill("solid", fgColor="FF375623")
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
            ws.row_dimensions[r].height = 22
            r += 1
            for key, value in (("取組概要", summary), ("担当課", depts), ("目標", kpi)):
                ws.cell(r, 1, key).fill = PatternFill("solid", fgColor="FFE2EFDA")
                ws.cell(r, 2, value or None).alignment = Alignment(wrap_text=True, vertical="center")
                ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=6)
                ws.row_dimensions[r].height = 28 if key == "取組概要" else 18
                boxed(r)
                r += 1
            for c, text in enumerate(("No", "主な取組", "R7", "R8", "R9", "R10"), start=1):
                ws.cell(r, c, text).fill = PatternFill("solid", fgColor="FFD9D9D9")
                ws.cell(r, c).alignment = Alignment(horizontal="center")
            boxed(r)
            r += 1
            if own or marks:
                bars(r, own, marks)
                boxed(r)
                ws.row_dimensions[r].height = 18
                r += 1
            for k, (name, items) in enumerate(subs):
                ws.cell(r, 1, "①②③④⑤"[k]).alignment = Alignment(horizontal="center")
                ws.cell(r, 2, name)
                bars(r, items, [])
                boxed(r)
                ws.row_dimensions[r].height = 18
                r += 1
            if note:
                ws.cell(r, 1, "効果")
                ws.cell(r, 2, note)
                ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=6)
                boxed(r)
                r += 1
            r += 1
    ws.cell(r + 1, 1, "※ 各年度の取組は予算の状況により変わることがあります。")
    ws.print_area = f"A1:F{r + 1}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def lo_cards(tmp_path_factory) -> Path:
    if not HAS_LO:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("lo_cards")
    (folder / "made").mkdir()
    made = _card_workbook(folder / "made" / "kawasemi_cards.xlsx")
    done = resave_with_libreoffice([made], folder / "lo")
    if made not in done:
        pytest.skip("LibreOffice could not re-save the card workbook")
    return done[made]


@pytest.fixture(params=["s05", "lo"])
def office(request, tmp_path) -> Path:
    if request.param == "s05":
        path = FIXTURES / "s05_card_abashiri.xlsx"
        if not path.exists():
            pytest.skip(f"{path} is not available")
        return path
    return request.getfixturevalue("lo_cards")


# ---------------------------------------------------------------- helpers


def _edit(plan: Plan) -> Plan:
    """Move a bar, resize one, rename a card and a sub-action, add a card with a bar, remove the last card."""
    first = plan.first_month
    cards = [i for p in plan.pillars for i in p.initiatives]
    subs = [c for card in cards for c in card.children if c.phases]
    moved = subs[0]
    moved.phases[0] = Phase(first + 12, first + 23, moved.phases[0].label, moved.phases[0].kind, moved.phases[0].color)
    resized = max(subs[1].phases, key=lambda p: p.start)
    resized.end = resized.start + 11 if resized.end > resized.start + 11 else resized.end + 12
    cards[1].name += "（改）"
    subs[2].name += "（改）"
    plan.pillars[0].initiatives.insert(1, Initiative(name="新規の取組", departments=["企画課"], summary="新しい取組です。",
                                                     phases=[Phase(first + 12, first + 23)]))
    plan.pillars[-1].initiatives.pop()
    return plan


def _shape(plan: Plan, cols: list[tuple[int, int]]) -> list:
    def span(a: int, b: int) -> tuple[int, int]:
        return next(s for s, e in cols if s <= a <= e), next(e for s, e in cols if s <= b <= e)
    return [(pillar.name, init.name, list(init.departments), init.summary,
             sorted((*span(p.start, p.end), p.label) for p in init.phases),
             sorted((span(m.month, m.month)[0], m.label) for m in init.milestones))
            for pillar, init in plan.walk()]


def _cols(path: Path) -> list[tuple[int, int]]:
    det = WorkbookReader(path).detect(VISIBLE)
    return sorted({v for s in det.sheets for v in s.time_columns.values()})


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _card_rows(path: Path) -> tuple[str, set[int]]:
    """The roadmap sheet's part and the rows of its cards (title … last row read as part of a card)."""
    det = WorkbookReader(path).detect(VISIBLE)
    rows: set[int] = set()
    start = last = None
    for d in det.result.report:
        if d.role == "initiative" and d.reason.startswith("card title"):
            if start is not None:
                rows |= set(range(start, last + 1))
            start = last = d.row
        elif d.role in ("pillar", "title"):
            if start is not None:
                rows |= set(range(start, last + 1))
            start = None
        elif start is not None and d.role in ("header", "child", "initiative") or \
                start is not None and d.row == last + 1:
            last = max(last, d.row)
    if start is not None:
        rows |= set(range(start, last + 1))
    title = det.sheets[0].title
    with zipfile.ZipFile(path) as zf:
        part = next(s.part for s in workbook_sheets(zf) if s.title == title)
    return part, rows


def _rows_outside(path: Path) -> list[list[str]]:
    part, inside = _card_rows(path)
    with zipfile.ZipFile(path) as zf:
        sheet = SheetXml(zf.read(part).decode("utf-8"))
    return [[re.sub(r'\sr="[A-Z]+\d+"', "", sheet.rows[r].cells[c]) for c in sorted(sheet.rows[r].cells)]
            for r in sheet.order if r not in inside and sheet.rows[r].cells]


def _is_subsequence(small: list, big: list) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def _update(office: Path, tmp_path: Path, plan: Plan, **kw) -> Path:
    out = tmp_path / f"{office.stem}.updated.xlsx"
    out.write_bytes(update_workbook(office, plan, **kw).data)
    return out


# ---------------------------------------------------------------- the edit round trip


def test_update_of_cards_gives_back_the_edited_plan(office, tmp_path):
    plan = _edit(import_workbook(office).plan)
    out = _update(office, tmp_path, plan)
    back = import_workbook(out)
    assert back.layout == "datasheet"
    assert plan_to_dict(back.plan) == plan_to_dict(plan)
    visible = WorkbookReader(out).read(VISIBLE).plan
    cols = _cols(office)
    assert _shape(visible, cols) == _shape(plan, cols)


def test_update_of_cards_changes_only_the_cards(office, tmp_path):
    plan = _edit(import_workbook(office).plan)
    out = _update(office, tmp_path, plan)
    before, after = _members(office), _members(out)
    sheet_part, _rows = _card_rows(office)
    assert set(before) <= set(after) and len(after) == len(before) + 1
    for name, data in before.items():
        if name != sheet_part and name not in ALLOWED:
            assert after[name] == data, name
    kept = _rows_outside(office)
    assert kept and _is_subsequence(kept, _rows_outside(out))


def test_a_new_card_is_a_clone_of_its_neighbour(office, tmp_path):
    plan = _edit(import_workbook(office).plan)
    out = _update(office, tmp_path, plan, data_sheet=False)
    ws = openpyxl.load_workbook(out)[WorkbookReader(office).detect(VISIBLE).sheets[0].title]
    old = openpyxl.load_workbook(office)[ws.title]
    titles = {ws.cell(r, c).value: r for r in range(1, ws.max_row + 1) for c in range(1, 4)
              if isinstance(ws.cell(r, c).value, str)}
    new_row = titles["新規の取組"]
    first = next(i.name for i in import_workbook(office).plan.pillars[0].initiatives)
    like_row = next(r for r in range(1, old.max_row + 1) for c in range(1, 4) if old.cell(r, c).value == first)
    for k in range(3):  # the title and the first key rows: same heights, fills and merges
        assert ws.row_dimensions[new_row + k].height == old.row_dimensions[like_row + k].height
        for c in range(1, 7):
            assert ws.cell(new_row + k, c).fill.fgColor.rgb == old.cell(like_row + k, c).fill.fgColor.rgb
    merged = {(m.min_row - new_row, m.min_col, m.max_row - new_row, m.max_col) for m in ws.merged_cells.ranges
              if new_row <= m.min_row <= new_row + 2}
    like = {(m.min_row - like_row, m.min_col, m.max_row - like_row, m.max_col) for m in old.merged_cells.ranges
            if like_row <= m.min_row <= like_row + 2}
    assert merged == like


def test_untouched_cards_change_no_sheet(office):
    result = update_workbook(office, import_workbook(office).plan)
    assert result.summary == [] and not result.issues
    sheet_part, _rows = _card_rows(office)
    assert sheet_part not in result.changed_parts


# ---------------------------------------------------------------- sub-actions, own rows, issues


def test_sub_actions_added_and_removed_are_renumbered(tmp_path):
    office = FIXTURES / "s05_card_abashiri.xlsx"
    if not office.exists():
        pytest.skip(f"{office} is not available")
    plan = import_workbook(office).plan
    first = plan.first_month
    card = plan.pillars[0].initiatives[0]
    card.children.insert(1, Initiative(name="新しい小項目", phases=[Phase(first + 24, first + 35, "試行")]))
    del plan.pillars[0].initiatives[1].children[0]
    out = _update(office, tmp_path, plan, data_sheet=False)
    visible = WorkbookReader(out).read(VISIBLE).plan
    cols = _cols(office)
    assert _shape(visible, cols) == _shape(plan, cols)
    ws = openpyxl.load_workbook(out).active
    numbers = {}
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 3).value in ("新しい小項目", "デジタルマーケティング研修の実施", "SNS広告や動画広告など、"
                                                                          "ターゲットを意識したプロモーションの検討、実施"):
            numbers[ws.cell(r, 3).value[:4]] = ws.cell(r, 2).value
    assert numbers == {"新しい小": "②", "デジタル": "③", "SNS広": "①"}


def test_a_card_gets_more_own_rows_when_its_bars_overlap(lo_cards, tmp_path):
    plan = import_workbook(lo_cards).plan
    first = plan.first_month
    card = plan.pillars[0].initiatives[0]  # one own row: 検討 in R7, ◆稼働 in R8
    card.phases = [Phase(first, first + 23, "検討"), Phase(first + 12, first + 35, "運用")]
    card.milestones = [Milestone(first + 36, "稼働")]
    out = _update(lo_cards, tmp_path, plan, data_sheet=False)
    visible = WorkbookReader(out).read(VISIBLE).plan
    cols = _cols(lo_cards)
    assert _shape(visible, cols) == _shape(plan, cols)


def test_what_a_card_cannot_show_is_refused(tmp_path):
    office = FIXTURES / "s05_card_abashiri.xlsx"
    if not office.exists():
        pytest.skip(f"{office} is not available")
    plan = import_workbook(office).plan
    first = plan.first_month
    sub = plan.pillars[0].initiatives[0].children[0]
    sub.phases = [Phase(first, first + 23), Phase(first + 12, first + 35)]  # two lanes in a one-row sub-action
    sub.children.append(Initiative(name="孫の項目"))
    plan.pillars[0].initiatives[1].children[0].departments = ["企画課"]
    with pytest.raises(UpdateRefused) as caught:
        update_workbook(office, plan)
    text = caught.value.en
    assert "need 2 rows" in text and "one level of sub-actions" in text and "has no departments cell" in text
    forced = update_workbook(office, plan, force=True)
    out = tmp_path / "forced.xlsx"
    out.write_bytes(forced.data)
    assert plan_to_dict(import_workbook(out).plan) == plan_to_dict(plan)


def test_a_new_card_with_one_labelled_bar_reads_back_before_the_next_card(tmp_path):
    # its only schedule row holds a single text (the bar's label) in a time column: not a heading of the next card
    office = FIXTURES / "s05_card_abashiri.xlsx"
    if not office.exists():
        pytest.skip(f"{office} is not available")
    plan = import_workbook(office).plan
    first = plan.first_month
    plan.pillars[0].initiatives.insert(1, Initiative(name="新規の取組", departments=["企画課"],
                                                     phases=[Phase(first + 12, first + 23, "構築")]))
    out = _update(office, tmp_path, plan, data_sheet=False)
    visible = WorkbookReader(out).read(VISIBLE).plan
    cols = _cols(office)
    assert _shape(visible, cols) == _shape(plan, cols)


def test_a_card_without_a_departments_row_refuses_departments(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B2"] = "１．暮らしの取り組み"
    ws["B4"] = "スマート窓口の導入"
    ws["B5"], ws["C5"] = "概要", "窓口をデジタル化します。"
    ws["B6"], ws["C6"], ws["D6"], ws["E6"], ws["F6"] = "No", "主な取組", "R7", "R8", "R9"
    ws["B7"], ws["C7"], ws["D7"] = "①", "電子申請", "構築"
    ws["D7"].fill = PatternFill("solid", fgColor="FFFFE699")
    path = tmp_path / "nodept.xlsx"
    wb.save(path)
    plan = import_workbook(path).plan
    assert import_workbook(path).layout == "card"
    plan.pillars[0].initiatives[0].departments = ["住民課"]
    with pytest.raises(UpdateRefused) as caught:
        update_workbook(path, plan)
    assert "has no departments row" in caught.value.en


def test_a_workbook_mixing_card_and_table_sheets_is_refused_plainly(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "カード"
    ws["B2"] = "１．暮らしの取り組み"
    ws["B4"] = "スマート窓口の導入"
    ws["B5"], ws["C5"] = "概要", "窓口をデジタル化します。"
    ws["B6"], ws["C6"], ws["D6"], ws["E6"], ws["F6"] = "No", "主な取組", "R7", "R8", "R9"
    ws["B7"], ws["C7"], ws["D7"] = "①", "電子申請", "構築"
    ws["D7"].fill = PatternFill("solid", fgColor="FFFFE699")
    table = wb.create_sheet("工程表")
    table["A1"], table["B1"], table["C1"], table["D1"] = "取組", "R7", "R8", "R9"
    for k, name in enumerate(["庁内LANの更新", "ペーパーレス会議", "電子契約"], start=2):
        table.cell(k, 1, name)
        table.cell(k, 2 + k % 3).fill = PatternFill("solid", fgColor="FF9BC2E6")
    path = tmp_path / "mixed.xlsx"
    wb.save(path)
    plan = import_workbook(path).plan
    assert len(plan.pillars) == 2
    with pytest.raises(PlanReadError) as caught:
        update_workbook(path, plan)
    assert caught.value.reason == "unsupported" and "card sheets and table sheets" in str(caught.value)


def test_the_print_area_moves_with_inserted_cards(lo_cards, tmp_path):
    plan = _edit(import_workbook(lo_cards).plan)
    out = _update(lo_cards, tmp_path, plan, data_sheet=False)

    def area(path: Path) -> int:
        xml = _members(path)["xl/workbook.xml"].decode()
        return int(re.search(r"Print_Area[^>]*>[^<]*\$(\d+)<", xml).group(1))
    old_ws = openpyxl.load_workbook(lo_cards).active
    new_ws = openpyxl.load_workbook(out).active
    # a card added and one removed (rows deleted): the print area follows the net change
    assert area(out) - area(lo_cards) == new_ws.max_row - old_ws.max_row != 0
    footnote = next(r for r in range(1, new_ws.max_row + 1) if str(new_ws.cell(r, 1).value or "").startswith("※"))
    assert footnote == new_ws.max_row  # the footnote below the removed last card is kept


# ---------------------------------------------------------------- LibreOffice draws it


def _page_png(path: Path, tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(path)], check=True, capture_output=True,
                   timeout=180)
    pdf = next(folder.glob("*.pdf"))
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(folder / "p")], check=True,
                   timeout=60)
    return next(folder.glob("p*.png"))


@pytest.mark.skipif(not (HAS_LO and shutil.which("pdftoppm")), reason="LibreOffice not installed")
def test_libreoffice_renders_the_updated_cards(tmp_path):
    import numpy as np
    from PIL import Image

    office = FIXTURES / "s05_card_abashiri.xlsx"
    if not office.exists():
        pytest.skip(f"{office} is not available")
    out = _update(office, tmp_path, _edit(import_workbook(office).plan))
    before = np.asarray(Image.open(_page_png(office, tmp_path, "before")).convert("L"), dtype=int)
    after = np.asarray(Image.open(_page_png(out, tmp_path, "after")).convert("L"), dtype=int)
    assert before.shape == after.shape
    rows = np.argwhere(np.abs(before - after) > 40)[:, 0]
    assert len(rows), "the cards did not change on the page"
    top = rows.min()
    assert top > before.shape[0] * 0.1  # the title and the first pillar heading are drawn as before
    assert np.abs(before[:top] - after[:top]).max() <= 40
    assert (after < 128).mean() > 0.01  # something is drawn


def test_a_card_inserted_above_formulas_moves_them_instead_of_refusing(tmp_path):
    """Inserted card rows adjust formulas (as table rows do); the update is not refused for holding formulas."""
    src = FIXTURES / "s05_card_abashiri.xlsx"
    if not src.exists():
        pytest.skip(f"{src} is not available")
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    below = ws.max_row + 3
    ws.cell(below, 1, f"=COUNTA(A1:A{below - 1})")
    wb.create_sheet("集計")["A1"] = f"='{ws.title}'!A{below}"
    office = tmp_path / "網走市（数式）.xlsx"
    wb.save(office)
    plan = import_workbook(office).plan
    first = plan.first_month
    plan.pillars[0].initiatives.insert(1, Initiative(name="新規の取組", departments=["企画課"],
                                                     phases=[Phase(first + 12, first + 23)]))
    out = _update(office, tmp_path, plan)  # no --force: not refused
    back = openpyxl.load_workbook(out)
    moved = [(c.row, c.value) for row in back.worksheets[0].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=COUNTA(")]
    assert len(moved) == 1
    row, formula = moved[0]
    assert row > below and formula == f"=COUNTA(A1:A{row - 1})"
    assert back["集計"]["A1"].value == f"='{ws.title}'!A{row}"
