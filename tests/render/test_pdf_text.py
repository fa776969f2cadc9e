"""ToUnicode repair: radicals become the kanji that share their glyph, and the file keeps its length."""

from __future__ import annotations

from dxroadmap.render.fonts import find_japanese_font, make_font
from dxroadmap.render.pdf_text import preferred_code_points, repair_to_unicode

CMAP = (b"%PDF-1.4\n1 0 obj\n<< /Length 200 >>\nstream\nbegincmap\n"
        b"2 beginbfrange\n<0001> <0003> [<2F08> <2F8F> <0041>]\n<0004> <0005> <2F08>\n<0006> <0006> <2FA8>\n"
        b"endbfrange\n1 beginbfchar\n<0007> <2027>\nendbfchar\nendcmap\nendstream\nendobj\n"
        b"xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 >>\nstartxref\n999\n%%EOF\n")


def test_radicals_map_to_kanji_without_moving_bytes(tmp_path):
    fix = preferred_code_points(make_font(find_japanese_font(), 100))
    assert fix[0x2F08] == ord("人") and fix[0x2FA8] == ord("門") and fix[0x2F8F] == ord("行")
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(CMAP)
    assert repair_to_unicode(pdf, fix) == 1
    out = pdf.read_bytes()
    assert len(out) == len(CMAP)
    assert b"[<4EBA> <884C> <0041>]" in out  # array entries repaired
    assert b"<0004> <0005> <2F08>" in out  # a run of consecutive codes is left whole
    assert b"<0006> <0006> <9580>" in out  # a single-code range is repaired
    if 0x2027 in fix:
        assert b"<0007> <30FB>" in out  # ・ not ‧
    assert out.endswith(b"startxref\n999\n%%EOF\n")


def test_nothing_to_fix_leaves_the_file_alone(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\nno cmaps here\n%%EOF\n")
    assert repair_to_unicode(pdf, {0x2F08: 0x4EBA}) == 0
    assert pdf.read_bytes() == b"%PDF-1.4\nno cmaps here\n%%EOF\n"
