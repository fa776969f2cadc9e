"""Drawing objects read from workbooks: the shapes fixture, real workbooks and hand-made packages."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.drawing import shapes as drawing_shapes
from dxroadmap.io.xlsx.drawing.shapes import Shape, read_sheet_shapes

SHARED = Path(__file__).resolve().parents[4].parent / "shared"
FIXTURES = SHARED / "fixtures"
REAL = SHARED / "real-workbooks"

COL = 64 * 9525          # default column, EMU
ROW = 15 * 12700         # default row, EMU

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '<Override PartName="/xl/drawings/drawing1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
       '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
       '</Types>')
_ROOT_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="{title}" sheetId="1" r:id="rId7"/></sheets></workbook>')
_WB_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" '
            'Target="/xl/theme/theme1.xml"/>'
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>')
_STYLES = ('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1">'
           '<font><sz val="{size}"/><name val="{font}"/></font></fonts></styleSheet>')
_SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
          '<dimension ref="{dimension}"/>{fmt}{cols}<sheetData>{rows}</sheetData><drawing r:id="rId3"/></worksheet>')
_SHEET_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
               'Target="../drawings/drawing1.xml"/></Relationships>')
_THEME = ('<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">'
          '<a:themeElements><a:clrScheme name="Office">'
          '<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>'
          '<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>'
          '<a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2>'
          '<a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4>'
          '<a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6>'
          '<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink>'
          '</a:clrScheme></a:themeElements></a:theme>')
DRAWING_OPEN = ('<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
                'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">')


def build_workbook(path: Path, anchors: str = "", *, cols: str = "", rows: str = "", fmt: str = "",
                   dimension: str = "A1:Z20", title: str = "Sheet1", drawing: str | None = None,
                   font: str = "Calibri", font_size: int = 11,
                   replace: dict[str, bytes | str] | None = None) -> Path:
    """Write a minimal .xlsx with one sheet and one drawing made of ``anchors`` (hand-written XML)."""
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK.format(title=title),
        "xl/_rels/workbook.xml.rels": _WB_RELS,
        "xl/worksheets/sheet1.xml": _SHEET.format(dimension=dimension, fmt=fmt,
                                                  cols=f"<cols>{cols}</cols>" if cols else "", rows=rows),
        "xl/worksheets/_rels/sheet1.xml.rels": _SHEET_RELS,
        "xl/drawings/drawing1.xml": drawing if drawing is not None else DRAWING_OPEN + anchors + "</xdr:wsDr>",
        "xl/theme/theme1.xml": _THEME,
        "xl/styles.xml": _STYLES.format(font=font, size=font_size),
    }
    parts.update(replace or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def sp(prst: str = "rect", *, text: str = "", fill: str = '<a:solidFill><a:srgbClr val="9BC2E6"/></a:solidFill>',
       xfrm: str = '<a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></a:xfrm>', hidden: bool = False,
       txbox: bool = False, ln: str = "", ident: int = 2) -> str:
    hid = ' hidden="1"' if hidden else ""
    box = ' txBox="1"' if txbox else ""
    body = "".join(f"<a:p><a:r><a:t>{line}</a:t></a:r></a:p>" for line in text.split("\n")) if text else "<a:p/>"
    return (f'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="{ident}" name="s{ident}"{hid}/>'
            f'<xdr:cNvSpPr{box}/></xdr:nvSpPr>'
            f'<xdr:spPr>{xfrm}<a:prstGeom prst="{prst}"><a:avLst/></a:prstGeom>{fill}{ln}</xdr:spPr>'
            f'<xdr:txBody><a:bodyPr/><a:lstStyle/>{body}</xdr:txBody></xdr:sp>')


def two_cell(obj: str, c0: int, co0: int, r0: int, ro0: int, c1: int, co1: int, r1: int, ro1: int) -> str:
    return (f"<xdr:twoCellAnchor><xdr:from><xdr:col>{c0}</xdr:col><xdr:colOff>{co0}</xdr:colOff>"
            f"<xdr:row>{r0}</xdr:row><xdr:rowOff>{ro0}</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{c1}</xdr:col><xdr:colOff>{co1}</xdr:colOff><xdr:row>{r1}</xdr:row>"
            f"<xdr:rowOff>{ro1}</xdr:rowOff></xdr:to>{obj}<xdr:clientData/></xdr:twoCellAnchor>")


def only_sheet(path: Path) -> list[Shape]:
    shapes = read_sheet_shapes(path)
    assert list(shapes) == ["Sheet1"]
    return shapes["Sheet1"]


# ---------------------------------------------------------------- the shapes fixture

def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@pytest.fixture(scope="module")
def s06() -> list[Shape]:
    path = FIXTURES / "s06_shapes_matsumae.xlsx"
    if not path.exists():
        pytest.skip("../shared fixtures are absent")
    return read_sheet_shapes(path)["ロードマップ"]


def test_s06_bars_land_on_their_quarters(s06):
    expected = json.loads((FIXTURES / "s06_shapes_matsumae.expected.json").read_text("utf-8"))
    phases = {p["label"]: (p["start"], p["end"]) for i in expected["initiatives"] for p in i["phases"]}
    bars = [s for s in s06 if s.kind != "diamond"]
    assert len(bars) == len(phases) == 22
    assert {s.kind for s in bars} == {"rect", "homePlate", "rightArrow"}
    first_quarter_col, first_month = 2, 2023 * 12 + 3          # column C is R5 Q1 (2023-04)
    for bar in bars:
        for edge in (bar.col0, bar.col1):
            assert abs(edge - round(edge)) < 0.2, (bar.text, edge)
        start = first_month + 3 * (round(bar.col0) - first_quarter_col)
        end = first_month + 3 * (round(bar.col1) - first_quarter_col) - 1
        assert phases[bar.text] == (_month(start), _month(end)), bar.text
        assert bar.row1 - bar.row0 == pytest.approx(0.64, abs=0.02)
        assert not bar.in_group and not bar.hidden and not bar.head_end and not bar.tail_end


def test_s06_diamonds_mark_milestone_quarters(s06):
    expected = json.loads((FIXTURES / "s06_shapes_matsumae.expected.json").read_text("utf-8"))
    milestones = {m["label"]: m["date"] for i in expected["initiatives"] for m in i["milestones"]}
    diamonds = [s for s in s06 if s.kind == "diamond"]
    assert len(diamonds) == len(milestones) == 3
    for d in diamonds:
        assert 0.029 <= d.col0 % 1 <= 0.3 and d.col1 - d.col0 < 0.5
        assert milestones[d.text] == _month(2023 * 12 + 3 + 3 * (int(d.col0) - 2))
        assert d.fill == "#FFC000"


def test_s06_fills_and_rows(s06):
    by_text = {s.text: s for s in s06}
    assert by_text["検討"].fill == "#F8CBAD" and by_text["検討"].kind == "homePlate"
    assert by_text["拠点整備"].fill == "#FFE699"
    assert by_text["実践型プログラム"].line == "#404040"
    assert int(by_text["実践型プログラム"].row0) == 5 and int(by_text["検討"].row0) == 6


# ---------------------------------------------------------------- real workbooks

def _real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip("../shared/real-workbooks is absent")
    return path


def test_miyagi_rect_bars_and_hidden_camera_pictures():
    shapes = read_sheet_shapes(_real("miyagi_schedule.xlsx"))
    bars = shapes["マイルストーン"]
    assert [s.kind for s in bars] == ["rect"] * 13
    assert all(s.fill == "#D0E2F3" for s in bars)              # gradFill of accent1 tints, averaged
    assert all(s.col1 - s.col0 > 0.5 and 7 <= s.row0 < 15 for s in bars)
    # mc:AlternateContent (a14 camera pictures) taken from mc:Choice: hidden pictures are reported hidden
    pictures = shapes["テーブル定義"]
    assert {s.kind for s in pictures} == {"picture"}
    assert sum(s.hidden for s in pictures) == 5


def test_dojo_july_connector_and_crosses():
    shapes = read_sheet_shapes(_real("dojo_dev_schedule.xlsx"))["7 月"]
    crosses = [s for s in shapes if s.kind == "mathMultiply"]
    lines = [s for s in shapes if s.kind == "line"]
    assert len(crosses) == 15 and lines
    first = lines[0]
    assert first.row0 == first.row1 and first.col1 - first.col0 > 1.5
    assert first.line == "#0070C0" and first.fill is None
    assert all(c.fill == "#969696" for c in crosses)           # accent3 + alpha: colour without the alpha


def test_big_real_sheet_is_read_in_bounded_time():
    start = time.monotonic()
    shapes = read_sheet_shapes(_real("hayanari_koteihyo.xlsx"))
    assert time.monotonic() - start < 5
    (only,) = [s for v in shapes.values() for s in v]
    assert only.kind == "textbox" and only.text == "トキト分完了"


# ---------------------------------------------------------------- hand-made packages

def test_group_with_child_space_offset_and_nested_group(tmp_path):
    # the group covers columns B..E (1..5) and rows 2..3 (1..3); its child space is half-size and shifted
    child = sp(text="子", xfrm=f'<a:xfrm><a:off x="{100000 + COL // 2}" y="50000"/><a:ext cx="{COL}" cy="{ROW}"/></a:xfrm>',
               fill="<a:grpFill/>", ident=3)
    line = ('<xdr:cxnSp macro=""><xdr:nvCxnSpPr><xdr:cNvPr id="4" name="c"/><xdr:cNvCxnSpPr/></xdr:nvCxnSpPr>'
            f'<xdr:spPr><a:xfrm flipH="1"><a:off x="100000" y="{50000 + ROW // 4}"/><a:ext cx="{2 * COL}" cy="0"/></a:xfrm>'
            '<a:prstGeom prst="straightConnector1"><a:avLst/></a:prstGeom>'
            '<a:ln w="9525"><a:solidFill><a:srgbClr val="FF0000"/></a:solidFill><a:headEnd type="none"/>'
            '<a:tailEnd type="triangle"/></a:ln></xdr:spPr></xdr:cxnSp>')
    nested = ('<xdr:grpSp><xdr:nvGrpSpPr><xdr:cNvPr id="5" name="g2" hidden="1"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr>'
              f'<xdr:grpSpPr><a:xfrm><a:off x="100000" y="50000"/><a:ext cx="{COL}" cy="{ROW // 2}"/>'
              f'<a:chOff x="0" y="0"/><a:chExt cx="{2 * COL}" cy="{ROW}"/></a:xfrm></xdr:grpSpPr>'
              + sp("chevron", text="孫", xfrm=f'<a:xfrm><a:off x="{COL}" y="0"/><a:ext cx="{COL}" cy="{ROW}"/></a:xfrm>',
                   ident=6)
              + '</xdr:grpSp>')
    group = ('<xdr:grpSp><xdr:nvGrpSpPr><xdr:cNvPr id="2" name="g"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr>'
             f'<xdr:grpSpPr><a:xfrm><a:off x="{COL}" y="{ROW}"/><a:ext cx="{4 * COL}" cy="{2 * ROW}"/>'
             f'<a:chOff x="100000" y="50000"/><a:chExt cx="{2 * COL}" cy="{ROW}"/></a:xfrm>'
             '<a:solidFill><a:srgbClr val="00B050"/></a:solidFill></xdr:grpSpPr>'
             + child + line + nested + '</xdr:grpSp>')
    shapes = only_sheet(build_workbook(tmp_path / "g.xlsx", two_cell(group, 1, 0, 1, 0, 5, 0, 3, 0)))
    assert [s.kind for s in shapes] == ["rect", "straightConnector1", "chevron"]
    rect, conn, grandchild = shapes
    assert (rect.col0, rect.col1, rect.row0, rect.row1) == pytest.approx((2.0, 4.0, 1.0, 3.0))
    assert rect.in_group and rect.fill == "#00B050" and rect.text == "子" and not rect.hidden
    assert (conn.col0, conn.col1, conn.row0, conn.row1) == pytest.approx((1.0, 5.0, 1.5, 1.5))
    # flipH: the line is drawn right to left, so its tail arrowhead sits at the left end
    assert conn.head_end and not conn.tail_end and conn.fill is None and conn.line == "#FF0000"
    assert (grandchild.col0, grandchild.col1, grandchild.row0, grandchild.row1) == pytest.approx((2.0, 3.0, 1.0, 2.0))
    assert grandchild.hidden and grandchild.in_group


def test_one_cell_and_absolute_anchors(tmp_path):
    one = (f'<xdr:oneCellAnchor><xdr:from><xdr:col>2</xdr:col><xdr:colOff>{20 * 9525}</xdr:colOff><xdr:row>4</xdr:row>'
           f'<xdr:rowOff>{ROW // 2}</xdr:rowOff></xdr:from><xdr:ext cx="{2 * COL}" cy="{ROW}"/>'
           + sp("homePlate", text="検討") + '<xdr:clientData/></xdr:oneCellAnchor>')
    absolute = (f'<xdr:absoluteAnchor><xdr:pos x="{3 * COL}" y="{6 * ROW}"/><xdr:ext cx="{COL}" cy="{ROW}"/>'
                + sp("diamond", fill='<a:solidFill><a:schemeClr val="accent1"><a:lumMod val="60000"/>'
                     '<a:lumOff val="40000"/></a:schemeClr></a:solidFill>')
                + '<xdr:clientData/></xdr:absoluteAnchor>')
    plate, diamond = only_sheet(build_workbook(tmp_path / "a.xlsx", one + absolute))
    assert (plate.col0, plate.col1, plate.row0, plate.row1) == pytest.approx((2.3125, 4.3125, 4.5, 5.5))
    assert plate.kind == "homePlate" and plate.text == "検討"
    assert (diamond.col0, diamond.col1, diamond.row0, diamond.row1) == pytest.approx((3.0, 4.0, 6.0, 7.0))
    assert diamond.fill == "#8FAADC"                           # accent1, lighter 40%


def test_column_widths_row_heights_and_hidden_columns(tmp_path):
    cols = ('<col min="1" max="1" width="30.7109375" customWidth="1"/>'      # 215 px
            '<col min="2" max="3" width="5.7109375" customWidth="1"/>'       # 40 px each
            '<col min="4" max="4" width="5.7109375" hidden="1"/>')           # hidden: no width
    rows = '<row r="2" ht="30" customHeight="1"><c r="A2"><v>1</v></c></row><row r="4" hidden="1"/>'
    px = 9525
    a = two_cell(sp(text="a"), 1, 10 * px, 1, 95250, 3, 0, 4, 0)     # ends at the hidden column D → E's start
    b = two_cell(sp(text="b"), 0, 215 * px + 30 * px, 0, 0, 2, 20 * px, 1, 0)   # offset past column A's width
    c = (f'<xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>{10 * px}</xdr:colOff><xdr:row>2</xdr:row>'
         f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{70 * px}" cy="{ROW // 2}"/>'
         + sp(text="c") + '<xdr:clientData/></xdr:oneCellAnchor>')
    sa, sb, sc = only_sheet(build_workbook(tmp_path / "w.xlsx", a + b + c, cols=cols, rows=rows))
    assert (sa.col0, sa.col1) == pytest.approx((1.25, 4.0))
    assert (sa.row0, sa.row1) == pytest.approx((1.25, 4.0))            # row 2 is 30 pt; row 4 hidden
    assert (sb.col0, sb.col1) == pytest.approx((1.75, 2.5))
    assert (sc.col0, sc.col1, sc.row0, sc.row1) == pytest.approx((1.25, 4.0, 2.0, 2.5))


def test_default_width_from_sheet_format(tmp_path):
    fmt = '<sheetFormatPr defaultColWidth="12.7109375" defaultRowHeight="18.75"/>'   # 89 px, 25 px
    one = (f'<xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>'
           f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{89 * 9525 * 3 // 2}" cy="{25 * 9525}"/>'
           + sp() + '<xdr:clientData/></xdr:oneCellAnchor>')
    (shape,) = only_sheet(build_workbook(tmp_path / "d.xlsx", one, fmt=fmt))
    assert (shape.col0, shape.col1, shape.row0, shape.row1) == pytest.approx((1.0, 2.5, 1.0, 2.0), abs=1e-5)


def _one_cell(col: int, cx: int, obj: str) -> str:
    return (f'<xdr:oneCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>'
            f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{cx}" cy="{ROW}"/>{obj}<xdr:clientData/></xdr:oneCellAnchor>')


def test_column_unit_follows_the_default_font(tmp_path):
    # 游ゴシック 11: digits are 8 px, so a default column is 72 px (Excel's 8.38), not 64
    (shape,) = only_sheet(build_workbook(tmp_path / "yu.xlsx", _one_cell(1, 108 * 9525, sp()), font="游ゴシック"))
    assert shape.col1 == pytest.approx(2.5)


def test_column_unit_is_calibrated_on_the_positions_excel_stored(tmp_path):
    # the file says Calibri, but Excel stored shape positions of 80 px columns (a 9 px digit font)
    px80 = 80 * 9525
    placed = two_cell(sp(xfrm=f'<a:xfrm><a:off x="{2 * px80}" y="{ROW}"/><a:ext cx="{2 * px80}" cy="{ROW}"/></a:xfrm>'),
                      2, 0, 1, 0, 4, 0, 2, 0)
    shapes = only_sheet(build_workbook(tmp_path / "cal.xlsx", placed + _one_cell(1, 120 * 9525, sp(ident=3))))
    assert shapes[1].col1 == pytest.approx(2.5)


def test_flips_rotation_and_arrowheads(tmp_path):
    def connector(attrs: str, head: str, tail: str, ident: int) -> str:
        return ('<xdr:cxnSp macro=""><xdr:nvCxnSpPr>'
                f'<xdr:cNvPr id="{ident}" name="c{ident}"/><xdr:cNvCxnSpPr/></xdr:nvCxnSpPr>'
                f'<xdr:spPr><a:xfrm{attrs}><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></a:xfrm>'
                '<a:prstGeom prst="straightConnector1"><a:avLst/></a:prstGeom>'
                f'<a:ln><a:headEnd type="{head}"/><a:tailEnd type="{tail}"/></a:ln></xdr:spPr></xdr:cxnSp>')
    plain = two_cell(connector("", "none", "arrow", 2), 1, 0, 2, 0, 5, 0, 2, 0)         # → at the right
    flipped_v = two_cell(connector(' flipV="1"', "none", "arrow", 3), 1, 0, 3, 0, 5, 0, 5, 0)  # ↗ still right
    both = two_cell(connector(' flipH="1" flipV="1"', "triangle", "none", 4), 1, 0, 6, 0, 5, 0, 8, 0)
    upright = two_cell(connector(' rot="5400000"', "none", "arrow", 5), 1, 0, 10, 0, 3, 0, 10, 0)
    s1, s2, s3, s4 = only_sheet(build_workbook(tmp_path / "f.xlsx", plain + flipped_v + both + upright))
    assert (s1.head_end, s1.tail_end) == (False, True)
    assert (s2.head_end, s2.tail_end) == (False, True) and (s2.row0, s2.row1) == (3.0, 5.0)
    assert (s3.head_end, s3.tail_end) == (False, True)        # drawn from bottom-right: its head is at the right
    # a horizontal 2-column line turned 90° stands at its centre column; its tail arrow points down
    assert s4.col0 == pytest.approx(2.0) and s4.col1 == pytest.approx(2.0)
    assert s4.row1 - s4.row0 == pytest.approx(2 * COL / ROW)
    assert (s4.head_end, s4.tail_end) == (False, True)


def test_alternate_content_text_kinds_and_hidden(tmp_path):
    alt = ('<mc:AlternateContent><mc:Choice xmlns:cx1="http://schemas.microsoft.com/office/drawing/2015/9/8/chartex" '
           'Requires="cx1">' + two_cell(sp(text="未知の拡張"), 1, 0, 1, 0, 2, 0, 2, 0) + '</mc:Choice><mc:Fallback>'
           + two_cell(sp(text="代替"), 1, 0, 1, 0, 2, 0, 2, 0) + '</mc:Fallback></mc:AlternateContent>'
           '<mc:AlternateContent><mc:Choice xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main" '
           'Requires="a14">' + two_cell(sp(text="選択"), 1, 0, 1, 0, 2, 0, 2, 0) + '</mc:Choice><mc:Fallback>'
           + two_cell(sp(text="使わない"), 1, 0, 1, 0, 2, 0, 2, 0) + '</mc:Fallback></mc:AlternateContent>')
    textbox = two_cell(sp(text="凡例\n矢印は計画", txbox=True, hidden=True, fill="<a:noFill/>"), 3, 0, 3, 0, 6, 0, 5, 0)
    multi = two_cell(sp("custom", text="  導入\n本運用  "), 1, 0, 6, 0, 4, 0, 7, 0).replace(
        '<a:prstGeom prst="custom"><a:avLst/></a:prstGeom>', "<a:custGeom/>")
    shapes = only_sheet(build_workbook(tmp_path / "m.xlsx", alt + textbox + multi))
    assert [s.text for s in shapes] == ["代替", "選択", "凡例\n矢印は計画", "導入\n本運用"]
    assert shapes[2].kind == "textbox" and shapes[2].hidden and shapes[2].fill is None
    assert shapes[3].kind == "custom" and not shapes[3].hidden


def test_shapes_per_drawing_are_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(drawing_shapes, "MAX_SHAPES_PER_DRAWING", 3)
    anchors = "".join(two_cell(sp(text=str(i), ident=i + 2), 1, 0, i, 0, 2, 0, i + 1, 0) for i in range(6))
    assert [s.text for s in only_sheet(build_workbook(tmp_path / "c.xlsx", anchors))] == ["0", "1", "2"]


def test_damaged_drawing_gives_no_shapes_and_sheets_without_drawings_are_left_out(tmp_path):
    path = build_workbook(tmp_path / "x.xlsx", drawing="<xdr:wsDr><unclosed>")
    assert read_sheet_shapes(path) == {}


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10))
                  + ']><xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
                  '&lol9;</xdr:wsDr>')


def test_entity_bomb_in_drawing_is_refused_quickly(tmp_path):
    path = build_workbook(tmp_path / "bomb.xlsx", drawing=BILLION_LAUGHS)
    start = time.monotonic()
    with pytest.raises(PlanReadError) as info:
        read_sheet_shapes(path)
    assert time.monotonic() - start < 2
    assert info.value.reason == "not-a-workbook"
    assert "xl/drawings/drawing1.xml" in info.value.en


def test_flipped_group_mirrors_its_children(tmp_path):
    left = sp(text="左", xfrm=f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{COL}" cy="{ROW}"/></a:xfrm>', ident=3)
    arrow = ('<xdr:cxnSp macro=""><xdr:nvCxnSpPr><xdr:cNvPr id="4" name="c"/><xdr:cNvCxnSpPr/></xdr:nvCxnSpPr>'
             f'<xdr:spPr><a:xfrm><a:off x="0" y="{ROW}"/><a:ext cx="{2 * COL}" cy="0"/></a:xfrm>'
             '<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln><a:headEnd type="arrow"/></a:ln></xdr:spPr></xdr:cxnSp>')
    group = ('<xdr:grpSp><xdr:nvGrpSpPr><xdr:cNvPr id="2" name="g"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr>'
             f'<xdr:grpSpPr><a:xfrm flipH="1"><a:off x="{COL}" y="{ROW}"/><a:ext cx="{4 * COL}" cy="{2 * ROW}"/>'
             f'<a:chOff x="0" y="0"/><a:chExt cx="{4 * COL}" cy="{2 * ROW}"/></a:xfrm></xdr:grpSpPr>'
             + left + arrow + '</xdr:grpSp>')
    box, line = only_sheet(build_workbook(tmp_path / "flip.xlsx", two_cell(group, 1, 0, 1, 0, 5, 0, 3, 0)))
    assert (box.col0, box.col1, box.row0, box.row1) == pytest.approx((4.0, 5.0, 1.0, 2.0))
    assert (line.col0, line.col1, line.row0) == pytest.approx((3.0, 5.0, 2.0))
    assert (line.head_end, line.tail_end) == (False, True)     # the head now points right


def test_deeply_nested_alternate_content_is_bounded(tmp_path):
    inner = two_cell(sp(text="深い"), 1, 0, 1, 0, 2, 0, 2, 0)
    for _ in range(200):
        inner = f"<mc:AlternateContent><mc:Fallback>{inner}</mc:Fallback></mc:AlternateContent>"
    start = time.monotonic()
    assert read_sheet_shapes(build_workbook(tmp_path / "deep.xlsx", inner)) == {}
    assert time.monotonic() - start < 2


def test_not_a_zip_gives_a_plain_error(tmp_path):
    path = tmp_path / "text.xlsx"
    path.write_text("取組,担当\n", encoding="utf-8")
    with pytest.raises(PlanReadError) as info:
        read_sheet_shapes(path)
    assert info.value.reason == "not-a-workbook"


def test_entity_bomb_in_the_sheet_is_refused_quickly(tmp_path):
    sheet = BILLION_LAUGHS.replace("xdr:wsDr", "worksheet").replace(
        'xmlns:worksheet="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"',
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
    path = build_workbook(tmp_path / "sheetbomb.xlsx", two_cell(sp(), 1, 0, 1, 0, 2, 0, 2, 0),
                          replace={"xl/worksheets/sheet1.xml": sheet})
    start = time.monotonic()
    with pytest.raises(PlanReadError) as info:
        read_sheet_shapes(path)
    assert time.monotonic() - start < 2
    assert info.value.reason == "not-a-workbook" and "xl/worksheets/sheet1.xml" in info.value.en


def test_s06_bars_regrouped_as_excel_groups_them_keep_their_places(tmp_path):
    """Excel groups keep absolute EMU child positions (chOff = off): grouping changes nothing."""
    import xml.etree.ElementTree as ET

    source = FIXTURES / "s06_shapes_matsumae.xlsx"
    if not source.exists():
        pytest.skip("../shared fixtures are absent")
    xdr, a = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing", "http://schemas.openxmlformats.org/drawingml/2006/main"
    ET.register_namespace("xdr", xdr)
    ET.register_namespace("a", a)
    with zipfile.ZipFile(source) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    root = ET.fromstring(parts["xl/drawings/drawing1.xml"])
    anchors = list(root)[2:5]                     # 検討, 制度運用, 自走化 (one row)
    shapes = [anc.find(f"{{{xdr}}}sp") for anc in anchors]
    offs = [(int(s.find(f".//{{{a}}}off").get("x")), int(s.find(f".//{{{a}}}off").get("y")),
             int(s.find(f".//{{{a}}}ext").get("cx")), int(s.find(f".//{{{a}}}ext").get("cy"))) for s in shapes]
    x0, y0 = min(o[0] for o in offs), min(o[1] for o in offs)
    x1, y1 = max(o[0] + o[2] for o in offs), max(o[1] + o[3] for o in offs)
    group_anchor = ET.Element(f"{{{xdr}}}twoCellAnchor")
    group_anchor.append(anchors[0].find(f"{{{xdr}}}from"))
    group_anchor.append(anchors[-1].find(f"{{{xdr}}}to"))
    grp = ET.SubElement(group_anchor, f"{{{xdr}}}grpSp")
    nv = ET.SubElement(grp, f"{{{xdr}}}nvGrpSpPr")
    ET.SubElement(nv, f"{{{xdr}}}cNvPr", id="99", name="グループ化 98")
    ET.SubElement(nv, f"{{{xdr}}}cNvGrpSpPr")
    xfrm = ET.SubElement(ET.SubElement(grp, f"{{{xdr}}}grpSpPr"), f"{{{a}}}xfrm")
    ET.SubElement(xfrm, f"{{{a}}}off", x=str(x0), y=str(y0))
    ET.SubElement(xfrm, f"{{{a}}}ext", cx=str(x1 - x0), cy=str(y1 - y0))
    ET.SubElement(xfrm, f"{{{a}}}chOff", x=str(x0), y=str(y0))
    ET.SubElement(xfrm, f"{{{a}}}chExt", cx=str(x1 - x0), cy=str(y1 - y0))
    grp.extend(shapes)
    ET.SubElement(group_anchor, f"{{{xdr}}}clientData")
    for anc in anchors:
        root.remove(anc)
    root.insert(2, group_anchor)
    parts["xl/drawings/drawing1.xml"] = ET.tostring(root, xml_declaration=True, encoding="UTF-8")
    grouped_path = tmp_path / "grouped.xlsx"
    with zipfile.ZipFile(grouped_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)

    before = {s.text: s for s in read_sheet_shapes(source)["ロードマップ"]}
    after = read_sheet_shapes(grouped_path)["ロードマップ"]
    grouped = [s for s in after if s.in_group]
    assert [s.text for s in grouped] == ["検討", "制度運用", "自走化"]
    for s in after:
        b = before[s.text]
        assert (s.col0, s.col1, s.row0, s.row1) == pytest.approx((b.col0, b.col1, b.row0, b.row1), abs=0.005), s.text


_FUZZ_TOKENS = [b"nan", b"inf", b"-inf", b"1e400", b"-99999999999999999999", b"-1", b"0", b"<", b">", b'"', b"</", b"&"]


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory) -> dict[str, bytes]:
    group = ('<xdr:grpSp><xdr:nvGrpSpPr><xdr:cNvPr id="2" name="g"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr>'
             f'<xdr:grpSpPr><a:xfrm flipV="1"><a:off x="{COL}" y="{ROW}"/><a:ext cx="{4 * COL}" cy="{2 * ROW}"/>'
             f'<a:chOff x="100000" y="50000"/><a:chExt cx="{2 * COL}" cy="{ROW}"/></a:xfrm></xdr:grpSpPr>'
             + sp(text="子", xfrm=f'<a:xfrm rot="600000"><a:off x="100000" y="50000"/><a:ext cx="{COL}" cy="{ROW}"/></a:xfrm>',
                  fill="<a:grpFill/>", ident=3) + '</xdr:grpSp>')
    one = (f'<xdr:oneCellAnchor><xdr:from><xdr:col>2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row>'
           f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{2 * COL}" cy="{ROW}"/>' + sp("homePlate", text="x")
           + '<xdr:clientData/></xdr:oneCellAnchor>')
    path = build_workbook(tmp_path_factory.mktemp("fuzz") / "base.xlsx", two_cell(group, 1, 0, 1, 0, 5, 0, 3, 0) + one,
                          cols='<col min="1" max="3" width="9" customWidth="1"/>', rows='<row r="2" ht="20"/>')
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_damaged_parts_never_crash(fuzz_base, tmp_path):
    """Corrupted XML parts give shapes or a PlanReadError, never another exception, a hang or a NaN."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from dxroadmap.io.xlsx.package.preflight import check_workbook

    names = sorted(n for n in fuzz_base if n.endswith((".xml", ".rels")))

    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(names), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(_FUZZ_TOKENS),
                                                      st.integers(0, 40)), min_size=1, max_size=6))
    def run(name, edits):
        data = bytearray(fuzz_base[name])
        for where, token, cut in edits:
            i = int(where * (len(data) - 1))
            data[i:i + cut] = token
        parts = dict(fuzz_base, **{name: bytes(data)})
        path = tmp_path / "f.xlsx"
        with zipfile.ZipFile(path, "w") as zf:
            for n, d in parts.items():
                zf.writestr(n, d)
        start = time.monotonic()
        try:
            check_workbook(path)
            shapes = read_sheet_shapes(path)
        except PlanReadError:
            return
        finally:
            assert time.monotonic() - start < 2
        for s in (s for v in shapes.values() for s in v):
            assert all(v == v for v in (s.col0, s.col1, s.row0, s.row1))     # no NaN
            assert s.col0 <= s.col1 and s.row0 <= s.row1

    run()


def test_workbook_wide_limits_refuse_plainly(tmp_path, monkeypatch):
    anchors = "".join(two_cell(sp(text=str(i), ident=i + 2), 1, 0, i, 0, 2, 0, i + 1, 0) for i in range(3))
    path = build_workbook(tmp_path / "many.xlsx", anchors)
    monkeypatch.setattr(drawing_shapes, "MAX_SHAPES_PER_WORKBOOK", 2)
    with pytest.raises(PlanReadError) as info:
        read_sheet_shapes(path)
    assert info.value.reason == "too-large" and "shapes" in info.value.en
    monkeypatch.setattr(drawing_shapes, "MAX_SHAPES_PER_WORKBOOK", 100)
    monkeypatch.setattr(drawing_shapes, "MAX_DRAWING_PART", 200)
    with pytest.raises(PlanReadError) as info:
        read_sheet_shapes(path)
    assert info.value.reason == "too-large" and "drawing1.xml" in info.value.en
