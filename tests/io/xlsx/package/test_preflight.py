"""Workbooks refused before loading: legacy, encrypted, not workbooks, bombs, absurd sizes."""

from __future__ import annotations

import struct
import time
import zipfile
from pathlib import Path

import pytest

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.package import preflight
from dxroadmap.io.xlsx.package.preflight import check_workbook, sheet_names

from ..drawing.test_shapes import BILLION_LAUGHS, build_workbook, sp, two_cell

SHARED = Path(__file__).resolve().parents[4].parent / "shared"
FIXTURES = SHARED / "fixtures"
REAL = SHARED / "real-workbooks"


def refused(path: Path) -> PlanReadError:
    """The error check_workbook raises for ``path``, asserting it came within 2 s."""
    start = time.monotonic()
    with pytest.raises(PlanReadError) as info:
        check_workbook(path)
    assert time.monotonic() - start < 2, "refusal took too long"
    error = info.value
    assert error.en and error.ja and error.en != error.ja
    return error


def shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip("../shared is absent")
    return path


# ---------------------------------------------------------------- the fixtures and real workbooks

@pytest.mark.parametrize("case", ["s01_yearfill_matsumae", "s02_yearfill_matsuura_sheets", "s03_quarter_mori",
                                  "s04_month_matsumae", "s05_card_abashiri", "s06_shapes_matsumae",
                                  "s07_list_kahoku", "s10_err_budget"])
def test_fixture_workbooks_pass(case):
    check_workbook(shared(FIXTURES / f"{case}.xlsx"))


@pytest.mark.parametrize("case,reason,words", [
    ("s08_err_legacy_xls.xls", "legacy-xls", ".xlsx"),
    ("s09_err_text_as_xlsx.xlsx", "not-a-workbook", "text"),
    ("s11_err_encrypted.xlsx", "encrypted", "password"),
])
def test_fixture_error_cases_are_refused(case, reason, words):
    error = refused(shared(FIXTURES / case))
    assert error.reason == reason
    assert words in error.en and case in error.en


def test_encrypted_message_says_how_to_remove_the_password():
    error = refused(shared(FIXTURES / "s11_err_encrypted.xlsx"))
    assert "ブックの保護" in error.ja and "パスワード" in error.ja


def test_real_workbooks_pass_and_legacy_real_one_is_refused():
    real = sorted(shared(REAL).glob("*.xls*"))
    assert len(real) >= 10
    for path in real:
        start = time.monotonic()
        if path.suffix == ".xls":
            assert refused(path).reason == "legacy-xls"
        else:
            check_workbook(path)
        assert time.monotonic() - start < 2, path.name


def test_sheet_names_in_tab_order():
    names = sheet_names(shared(FIXTURES / "s02_yearfill_matsuura_sheets.xlsx"))
    assert names[0] == "表紙" and len(names) >= 3


# ---------------------------------------------------------------- OLE2 compound files made here

def _ole(names: list[str], *, dir_chain_loops: bool = False) -> bytes:
    """A minimal compound file: header, one FAT sector, one directory sector with ``names``."""
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = preflight.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 0x2C, 1, 1)               # one FAT sector; directory starts at sector 1
    struct.pack_into("<IIIII", header, 0x38, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sect, 1 if dir_chain_loops else end, *([free] * 126))
    directory = bytearray(512)
    for i, name in enumerate(names[:4]):
        raw = (name + "\0").encode("utf-16-le")
        directory[i * 128:i * 128 + len(raw)] = raw
        struct.pack_into("<HB", directory, i * 128 + 0x40, len(raw), 5 if i == 0 else 2)
    return bytes(header) + fat + bytes(directory)


def test_compound_file_with_encryption_streams_is_encrypted(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(_ole(["Root Entry", "EncryptionInfo", "EncryptedPackage"]))
    assert refused(path).reason == "encrypted"


def test_compound_file_without_them_is_legacy_even_with_a_looping_chain(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(_ole(["Root Entry", "Workbook"], dir_chain_loops=True))
    assert refused(path).reason == "legacy-xls"
    broken = tmp_path / "broken.xls"
    broken.write_bytes(preflight.OLE_MAGIC + b"\xff" * 100)
    assert refused(broken).reason == "legacy-xls"


# ---------------------------------------------------------------- not workbooks

def test_empty_folder_missing_and_text_files(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert refused(empty).reason == "not-a-workbook"
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert refused(folder).reason == "not-a-workbook"
    assert refused(tmp_path / "nowhere.xlsx").reason == "missing"
    text = tmp_path / "list.xlsx"
    text.write_bytes("取組,担当\n電子申請,総務課\n".encode("shift_jis"))
    assert refused(text).reason == "not-a-workbook"


def test_truncated_zip_is_refused(tmp_path):
    whole = build_workbook(tmp_path / "whole.xlsx", two_cell(sp(text="検討"), 1, 0, 1, 0, 3, 0, 2, 0))
    check_workbook(whole)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    error = refused(cut)
    assert error.reason == "not-a-workbook" and "damaged" in error.en


def test_other_zips_are_not_workbooks(tmp_path):
    plain = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("a.txt", "hello")
    assert refused(plain).reason == "not-a-workbook"
    word = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(word, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", "<w:document xmlns:w='urn:w'/>")
    error = refused(word)
    assert error.reason == "not-a-workbook" and "Word" in error.en
    ods = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content xmlns:office='urn:o'/>")
    assert "OpenDocument" in refused(ods).en
    xlsb = build_workbook(tmp_path / "bin.xlsx", replace={"xl/workbook.bin": b"\0" * 16})
    assert ".xlsb" in refused(xlsb).en


# ---------------------------------------------------------------- hostile XML

def test_entity_bomb_in_content_types_is_refused_quickly(tmp_path):
    path = build_workbook(tmp_path / "ct.xlsx", replace={"[Content_Types].xml": BILLION_LAUGHS})
    error = refused(path)
    assert error.reason == "not-a-workbook" and "[Content_Types].xml" in error.en


def test_entity_bomb_in_drawing_and_external_entity_are_refused(tmp_path):
    assert refused(build_workbook(tmp_path / "d.xlsx", drawing=BILLION_LAUGHS)).reason == "not-a-workbook"
    xxe = ('<?xml version="1.0"?>\n<!-- a comment first -->\n<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&x;</workbook>')
    error = refused(build_workbook(tmp_path / "x.xlsx", replace={"xl/workbook.xml": xxe}))
    assert error.reason == "not-a-workbook" and "xl/workbook.xml" in error.en


def test_utf16_part_with_a_dtd_is_refused(tmp_path):
    sneaky = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r/>').encode("utf-16")
    path = build_workbook(tmp_path / "u.xlsx", replace={"docProps/app.xml": sneaky})
    assert refused(path).reason == "not-a-workbook"


# ---------------------------------------------------------------- bombs and absurd sizes

def _patch_sizes(path: Path, member: str, *, file_size: int, compress_size: int | None = None) -> None:
    """Rewrite the sizes a member declares in the zip's central directory."""
    data = bytearray(path.read_bytes())
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        assert pos >= 0, member
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + name_len]).decode() == member:
            struct.pack_into("<I", data, pos + 24, file_size)
            if compress_size is not None:
                struct.pack_into("<I", data, pos + 20, compress_size)
            break
        pos += 4
    path.write_bytes(bytes(data))


def test_zip_bomb_member_is_refused_from_the_directory(tmp_path):
    path = build_workbook(tmp_path / "zeros.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/media/zeros.bin", "w") as out:   # 24 MB of zeros → ~24 kB (1000:1)
            block = b"\0" * (1 << 20)
            for _ in range(24):
                out.write(block)
    error = refused(path)
    assert error.reason == "too-large" and "zeros.bin" in error.en


def test_two_gigabytes_declared_is_refused_without_decompressing(tmp_path):
    path = build_workbook(tmp_path / "declared.xlsx", replace={"xl/media/big.bin": b"x" * 1000})
    _patch_sizes(path, "xl/media/big.bin", file_size=2 * (1 << 30) - 1)
    assert refused(path).reason == "too-large"
    # the same total spread over parts of plausible size and ratio is refused by the total cap
    total = build_workbook(tmp_path / "total.xlsx", replace={f"xl/media/big{i}.bin": b"x" * 1000 for i in range(8)})
    for i in range(8):
        _patch_sizes(total, f"xl/media/big{i}.bin", file_size=250 << 20, compress_size=25 << 20)
    error = refused(total)
    assert error.reason == "too-large" and "GB" in error.en


def test_too_many_members(tmp_path, monkeypatch):
    monkeypatch.setattr(preflight, "MAX_MEMBERS", 20)
    path = build_workbook(tmp_path / "many.xlsx", replace={f"xl/media/i{i}.png": b"" for i in range(20)})
    assert refused(path).reason == "too-large"


@pytest.mark.parametrize("ref", ["A1:XFD1048576", "A1:CV60000", "B2:XFE3"])
def test_absurd_sheet_dimensions_are_refused(tmp_path, ref):
    error = refused(build_workbook(tmp_path / "huge.xlsx", dimension=ref))
    assert error.reason == "too-large" and "Sheet1" in error.en


@pytest.mark.parametrize("ref", ["A1:Z1000", "A1", "$A$1:$AB$200"])
def test_ordinary_dimensions_pass(tmp_path, ref):
    check_workbook(build_workbook(tmp_path / "fine.xlsx", dimension=ref))


def test_zip_level_password_is_refused(tmp_path):
    path = build_workbook(tmp_path / "zipcrypto.xlsx")
    data = bytearray(path.read_bytes())
    pos = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | 0x1)
    path.write_bytes(bytes(data))
    assert refused(path).reason == "encrypted"


def test_web_page_and_xml_spreadsheet_named_xlsx(tmp_path):
    page = tmp_path / "page.xlsx"
    page.write_text("<html><body><table><tr><td>取組</td></tr></table></body></html>", encoding="utf-8")
    assert "HTML" in refused(page).en
    xml2003 = tmp_path / "book.xlsx"
    xml2003.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
                       encoding="utf-8")
    error = refused(xml2003)
    assert error.reason == "not-a-workbook" and "2003 XML" in error.en


def test_entity_bomb_in_a_part_with_another_extension(tmp_path):
    path = build_workbook(tmp_path / "dat.xlsx", replace={"xl/embeddings/data.bin": BILLION_LAUGHS})
    assert refused(path).reason == "not-a-workbook"
    fine = build_workbook(tmp_path / "png.xlsx", replace={"xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64})
    check_workbook(fine)


def test_directory_counts_are_read_before_the_zip_is_opened(tmp_path, monkeypatch):
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)      # write zip64 end records
    path = build_workbook(tmp_path / "z64.xlsx")
    monkeypatch.undo()
    with open(path, "rb") as handle:
        entries, cd_size = preflight._zip_directory_size(handle, path.stat().st_size)
    assert entries == 9 and 0 < cd_size < 2000
    check_workbook(path)
    # a directory that announces 60,000 entries is refused from its end record alone
    data = bytearray(build_workbook(tmp_path / "plain.xlsx").read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 60000, 60000)
    bloated = tmp_path / "bloated.xlsx"
    bloated.write_bytes(bytes(data))
    error = refused(bloated)
    assert error.reason == "too-large" and "60,000" in error.en


def test_one_huge_part_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(preflight, "MAX_PART", 1000)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 200))
    assert refused(build_workbook(tmp_path / "big.xlsx", rows=rows)).reason == "too-large"


def test_strict_open_xml_is_told_apart(tmp_path):
    strict = ('<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main" '
              'xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships">'
              '<sheets><sheet name="S" sheetId="1" r:id="rId7"/></sheets></workbook>')
    error = refused(build_workbook(tmp_path / "strict.xlsx", replace={"xl/workbook.xml": strict}))
    assert error.reason == "not-a-workbook" and "Strict" in error.en
