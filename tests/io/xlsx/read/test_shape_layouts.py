"""Bars drawn as shapes over the grid (written here as DrawingML): snapping, connectors, milestones, groups."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from dxroadmap.io.xlsx.read.workbook import import_workbook
from dxroadmap.model.fiscal import format_ym

EMU_PX = 9525
COL_PX = {0: 140, 1: 84}  # A (20 chars), B (12 chars); time columns 10 chars = 70 px
TIME_PX = 70
ROW_EMU = 20 * EMU_PX  # default 15 pt rows

NS = ('xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')


def col_x(col: float) -> int:
    """Absolute EMU of a fractional 0-based column position."""
    whole = int(col)
    x = sum(COL_PX.get(c, TIME_PX) for c in range(whole)) * EMU_PX
    return x + int((col - whole) * COL_PX.get(whole, TIME_PX) * EMU_PX)


def marker(tag: str, col: float, row: float) -> str:
    c, r = int(col), int(row)
    off = int((col - c) * COL_PX.get(c, TIME_PX) * EMU_PX)
    roff = int((row - r) * ROW_EMU)
    return f"<xdr:{tag}><xdr:col>{c}</xdr:col><xdr:colOff>{off}</xdr:colOff><xdr:row>{r}</xdr:row><xdr:rowOff>{roff}</xdr:rowOff></xdr:{tag}>"


def sp(prst: str, text: str = "", fill: str = "9BC2E6", box: tuple[float, float, float, float] | None = None,
       txbox: bool = False) -> str:
    xfrm = ""
    if box:
        x0, x1, y0, y1 = box
        xfrm = (f'<a:xfrm><a:off x="{col_x(x0)}" y="{int(y0 * ROW_EMU)}"/>'
                f'<a:ext cx="{col_x(x1) - col_x(x0)}" cy="{int((y1 - y0) * ROW_EMU)}"/></a:xfrm>')
    body = f"<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></xdr:txBody>" if text else ""
    nv = '<xdr:cNvSpPr txBox="1"/>' if txbox else "<xdr:cNvSpPr/>"
    return (f'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="9" name="s"/>{nv}</xdr:nvSpPr><xdr:spPr>{xfrm}'
            f'<a:prstGeom prst="{prst}"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>'
            f'</xdr:spPr>{body}</xdr:sp>')


def connector() -> str:
    return ('<xdr:cxnSp><xdr:nvCxnSpPr><xdr:cNvPr id="20" name="c"/><xdr:cNvCxnSpPr/></xdr:nvCxnSpPr><xdr:spPr>'
            '<a:prstGeom prst="straightConnector1"><a:avLst/></a:prstGeom>'
            '<a:ln w="19050"><a:solidFill><a:srgbClr val="000000"/></a:solidFill><a:tailEnd type="triangle"/></a:ln>'
            '</xdr:spPr></xdr:cxnSp>')


def anchor(x0: float, x1: float, y0: float, y1: float, body: str) -> str:
    return f"<xdr:twoCellAnchor>{marker('from', x0, y0)}{marker('to', x1, y1)}{body}<xdr:clientData/></xdr:twoCellAnchor>"


def inject(path: Path, anchors: list[str]) -> None:
    """Add one drawing part with ``anchors`` to the first sheet of an openpyxl-written workbook."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    drawing = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xdr:wsDr {NS}>{"".join(anchors)}</xdr:wsDr>'
    parts["xl/drawings/drawing1.xml"] = drawing.encode("utf-8")
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdDr1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
        'Target="../drawings/drawing1.xml"/></Relationships>').encode()
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    if 'xmlns:r="' not in sheet[:500]:
        sheet = sheet.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
    sheet = sheet.replace("</worksheet>", '<drawing r:id="rIdDr1"/></worksheet>')
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    types = types.replace("</Types>", '<Override PartName="/xl/drawings/drawing1.xml" '
                          'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert re.search(rb"<drawing ", parts["xl/worksheets/sheet1.xml"])


def build(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 12
    for k in range(12):
        ws.column_dimensions[openpyxl.utils.get_column_letter(3 + k)].width = 10
    ws.append(["取組", "担当"] + [y if q == 0 else None for y in ("R6", "R7", "R8") for q in range(4)])
    for k in range(3):
        ws.merge_cells(start_row=1, start_column=3 + 4 * k, end_row=1, end_column=6 + 4 * k)
    ws.append([None, None] + [f"Q{q}" for _ in range(3) for q in (1, 2, 3, 4)])
    ws.append(["防災アプリ", "防災課"])
    ws.append(["電子決裁", "総務課", None, None, "試行"])
    ws.append(["窓口改革", "市民課"])
    ws.append(["※ 図形は実施時期を示す。"])
    path = tmp_path / "shapes.xlsx"
    wb.save(path)
    # rows are 0-based in drawings: row 2 = sheet row 3
    inject(path, [
        # undershoots its start boundary (C) by 8% and its end (F|G) by 10%: 2024-04 .. 2025-03
        anchor(1.92, 5.9, 2.2, 2.8, sp("homePlate", "検討", "F8CBAD")),
        # overshoots both ends by a little: G..N = 2025-04 .. 2027-03
        anchor(6.06, 14.08, 2.2, 2.8, sp("rightArrow", "本運用")),
        # a connector with an arrowhead, labelled by the cell it starts in (E4 "試行"): E..H
        anchor(4.05, 7.95, 3.6, 3.6, connector()),
        # a diamond milestone in the R8 Q1 column (K), and a text box that is not plan content
        anchor(10.05, 10.3, 4.1, 4.9, sp("diamond", "開始", "FFC000")),
        anchor(3.0, 9.0, 4.1, 4.9, sp("rect", "説明の吹き出し", "FFFFFF", txbox=True)),
        # a group holding two bars (children carry absolute EMU positions)
        '<xdr:twoCellAnchor>' + marker("from", 2.0, 4.2) + marker("to", 8.0, 4.8) +
        '<xdr:grpSp><xdr:nvGrpSpPr><xdr:cNvPr id="30" name="g"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr><xdr:grpSpPr>'
        f'<a:xfrm><a:off x="{col_x(2.0)}" y="{int(4.2 * ROW_EMU)}"/><a:ext cx="{col_x(8.0) - col_x(2.0)}" cy="{int(0.6 * ROW_EMU)}"/>'
        f'<a:chOff x="{col_x(2.0)}" y="{int(4.2 * ROW_EMU)}"/><a:chExt cx="{col_x(8.0) - col_x(2.0)}" cy="{int(0.6 * ROW_EMU)}"/></a:xfrm>'
        '</xdr:grpSpPr>'
        + sp("rect", "準備", "FFE699", (2.04, 3.97, 4.2, 4.8)) + sp("chevron", "導入", "9BC2E6", (3.97, 8.03, 4.2, 4.8))
        + '</xdr:grpSp><xdr:clientData/></xdr:twoCellAnchor>',
    ])
    return path


def test_shapes_become_bars_and_milestones_with_exact_months(tmp_path):
    result = import_workbook(build(tmp_path))
    inits = {i.name: i for i in result.plan.initiatives()}
    assert list(inits) == ["防災アプリ", "電子決裁", "窓口改革"]

    def spans(name):
        return sorted((format_ym(p.start), format_ym(p.end), p.label) for p in inits[name].phases)

    assert spans("防災アプリ") == [("2024-04", "2025-03", "検討"), ("2025-04", "2027-03", "本運用")]
    assert spans("電子決裁") == [("2024-10", "2025-09", "試行")]
    assert spans("窓口改革") == [("2024-04", "2024-09", "準備"), ("2024-10", "2025-09", "導入")]
    assert [(format_ym(m.month), m.label) for m in inits["窓口改革"].milestones] == [("2026-04", "開始")]
    assert result.layout == "quarter-shapes"
    roles = {d.row: d.role for d in result.report}
    assert roles[6] == "note"


def test_a_connector_takes_its_label_from_the_cell_above(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 12
    for k in range(12):
        ws.column_dimensions[openpyxl.utils.get_column_letter(3 + k)].width = 10
    ws.append(["取組", "担当"] + [y if q == 0 else None for y in ("R6", "R7", "R8") for q in range(4)])
    ws.append([None, None] + [f"Q{q}" for _ in range(3) for q in (1, 2, 3, 4)])
    ws.append([None, None, None, None, None, None, "本格運用"])  # label row above the line
    ws.append(["テレワーク", "総務課"])
    path = tmp_path / "line.xlsx"
    wb.save(path)
    inject(path, [anchor(6.03, 13.96, 3.5, 3.5, connector())])  # G..N on sheet row 4
    result = import_workbook(path)
    init = result.plan.initiatives()[0]
    assert [(format_ym(p.start), format_ym(p.end), p.label) for p in init.phases] == [("2025-04", "2027-03", "本格運用")]
    assert {d.row: d.role for d in result.report}[3] == "ignored"
    assert not result.unplaced()
