"""Row shifts in formulas (dxroadmap.io.xlsx.update.formulas): refs move, strings and names do not."""

from __future__ import annotations

import pytest

from dxroadmap.io.xlsx.update.formulas import RowShift, shift_area, shift_formula, translate_formula

INS = RowShift.insert("Roadmap", 10, 2)  # two rows after row 10
DEL = RowShift.delete("Roadmap", 10, 12)  # rows 10..12 deleted


@pytest.mark.parametrize("text, host, expected", [
    ("SUM(A5:A20)", "Roadmap", "SUM(A5:A22)"),  # a range across the insertion grows
    ("A11+$B$11+B$10", "Roadmap", "A13+$B$13+B$10"),
    ("SUM($5:$11)", "Roadmap", "SUM($5:$13)"),
    ("SUM(A:C)", "Roadmap", "SUM(A:C)"),
    ('"A11"&A11', "Roadmap", '"A11"&A13'),  # the string stays
    ('"say ""A11"""&A11', "Roadmap", '"say ""A11"""&A13'),
    ("LOG10(A11)+XYZ2019", "Roadmap", "LOG10(A13)+XYZ2019"),  # a function and a name past XFD stay
    ("Roadmap!A11", "Other", "Roadmap!A13"),
    ("'Roadmap'!A11:B20", "Other", "'Roadmap'!A13:B22"),
    ("roadmap!A11", "Other", "roadmap!A13"),  # sheet names ignore case
    ("A11", "Other", "A11"),  # another sheet's own cells
    ("Other!A11+A11", "Roadmap", "Other!A11+A13"),
    ("[1]Roadmap!A11", "Other", "[1]Roadmap!A11"),  # another workbook
    ("'[1]Roadmap'!A11", "Other", "'[1]Roadmap'!A11"),
    ("'It''s'!A11", "Other", "'It''s'!A11"),
    ("Table1[[#This Row],[A11]]+A11", "Roadmap", "Table1[[#This Row],[A11]]+A13"),
    ("IF(ISERROR(A11),#N/A,A11)", "Roadmap", "IF(ISERROR(A13),#N/A,A13)"),
    ("A10", "Roadmap", "A10"),
    ("1.5E+3*A12", "Roadmap", "1.5E+3*A14"),
])
def test_insertion(text, host, expected):
    assert shift_formula(text, INS, host) == expected


@pytest.mark.parametrize("text, expected", [
    ("SUM(A5:A20)", "SUM(A5:A17)"),  # shrinks
    ("SUM(A10:A12)", "SUM(#REF!)"),  # all gone
    ("SUM(A11:A15)", "SUM(A10:A12)"),  # starts in the gap: the first row after it
    ("SUM(A5:A11)", "SUM(A5:A9)"),  # ends in the gap
    ("A11", "#REF!"),
    ("Roadmap!$A$11", "Roadmap!#REF!"),
    ("A13*B9", "A10*B9"),
    ("SUM(12:20)", "SUM(10:17)"),
])
def test_deletion(text, expected):
    assert shift_formula(text, DEL, "Roadmap") == expected


def test_unchanged_text_is_the_same_object():
    text = "SUM(B1:B9)&\"x\""
    assert shift_formula(text, INS, "Roadmap") is text


def test_areas():
    assert shift_area("A5:C20 E11", INS) == "A5:C22 E13"
    assert shift_area("A11 B5", DEL) == "B5"
    assert shift_area("A10:A12", DEL) is None


def test_translate():
    assert translate_formula("A5+$A$5+A$5+$A5+SUM(B1:B4)", 2, 1) == "B7+$A$5+B$5+$A7+SUM(C3:C6)"
    assert translate_formula('"A5"&Other!A5', 1, 0) == '"A5"&Other!A6'
    assert translate_formula("A1", -1, 0) == "#REF!"


# ------------------------------------------------------------------ a worksheet part

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(rows: str, tail: str):
    from dxroadmap.io.xlsx.update.sheetxml import SheetXml

    xml = (f'<?xml version="1.0"?><worksheet {_NS}><dimension ref="A1:C12"/><sheetData>{rows}</sheetData>'
           f"{tail}</worksheet>")
    return SheetXml(xml, title="Roadmap")


def test_deleting_rows_moves_and_shrinks_everything_below():
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 11))
    rows += '<row r="11"><c r="B11"><f t="array" ref="B11:B12">A5:A6*2</f><v>10</v></c></row>'
    rows += '<row r="12"><c r="C12"><f>SUM(A1:A10)</f><v>55</v></c></row>'
    tail = ('<mergeCells count="3"><mergeCell ref="A2:A6"/><mergeCell ref="B4:C5"/><mergeCell ref="B8:B9"/></mergeCells>'
            '<dataValidations count="2"><dataValidation type="list" sqref="C4:C5"><formula1>$A$1:$A$3</formula1>'
            '</dataValidation><dataValidation type="list" sqref="C8"><formula1>$A$7:$A$9</formula1></dataValidation>'
            '</dataValidations><hyperlinks><hyperlink ref="A5" location="Roadmap!A9"/></hyperlinks>'
            '<rowBreaks count="2" manualBreakCount="2"><brk id="4" man="1"/><brk id="9" man="1"/></rowBreaks>')
    sheet = _sheet(rows, tail)
    sheet.delete_rows(4, 5)
    xml = sheet.xml()
    assert [r for r in sheet.order] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert '<c r="A4"><v>6</v></c>' in xml and '<c r="A8"><v>10</v></c>' in xml
    assert '<mergeCell ref="A2:A4"/>' in xml and "B4:C5" not in xml and '<mergeCell ref="B6:B7"/>' in xml
    assert '<f t="array" ref="B9:B10">A4:A4*2</f>' in xml  # A5:A6 lost row 5: what is left of it
    assert "<f>SUM(A1:A8)</f>" in xml
    assert '<dataValidations count="1"><dataValidation type="list" sqref="C6"><formula1>$A$5:$A$7</formula1>' in xml
    assert "<hyperlinks>" not in xml  # its only cell was deleted
    assert '<rowBreaks count="1" manualBreakCount="1"><brk id="7" man="1"/></rowBreaks>' in xml
    assert '<dimension ref="A1:C10"/>' in xml
    assert sheet.cells_adjusted
