"""Checks made on a workbook file before anything loads it.

``check_workbook(path)`` refuses, with a plain :class:`PlanReadError`, files that are not
.xlsx workbooks (legacy .xls, password-protected packages, text, other zips), zip bombs and
absurd sheet sizes — all decided from headers, the zip directory and a few bounded reads,
never by decompressing a whole member. Legacy and encrypted files are told apart by
sniffing the OLE2 compound file's directory. The parts themselves are read through
:mod:`dxroadmap.io.xlsx.package.parts`.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

from dxroadmap.io.errors import PlanReadError
from dxroadmap.io.xlsx.package.parts import (
    EXCEL_MAX_COLS,
    EXCEL_MAX_ROWS,
    declared_dimension,
    not_workbook_error,
    read_xml_part,
    too_large_error,
    unsafe_xml_error,
    workbook_part,
    workbook_sheets,
)

__all__ = [
    "check_workbook", "sheet_names", "MAX_TOTAL_UNCOMPRESSED", "MAX_MEMBERS", "MAX_CELLS",
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MAX_TOTAL_UNCOMPRESSED = 1 << 30        # 1 GiB of XML and media in all
MAX_MEMBERS = 10_000                    # parts in the zip
MAX_RATIO = 200                         # compression ratio refused on big members …
RATIO_MIN_SIZE = 8 << 20                # … of more than 8 MiB uncompressed
MAX_CELLS = 5_000_000                   # cells a sheet may declare in <dimension>
MAX_PART = 256 << 20                   # any one part (a sheet of ~5 million cells is ~150 MB)
PROLOG_LIMIT = 16 << 10                 # bytes read to find the root element of any XML part


# ---------------------------------------------------------------- messages

def _legacy(name: str) -> PlanReadError:
    return PlanReadError(
        "legacy-xls",
        f"{name} is in the old Excel 97–2003 format (.xls); open it in Excel and save it as .xlsx, then try again.",
        f"{name} は古い Excel 97–2003 形式（.xls）です。Excel で開いて .xlsx 形式で保存し直してから読み込んでください。")


def _encrypted(name: str) -> PlanReadError:
    return PlanReadError(
        "encrypted",
        f"{name} is password-protected. Remove the password in Excel (File › Info › Protect Workbook › "
        "Encrypt with Password, clear it) and save it again.",
        f"{name} はパスワードで保護されています。Excel の「ファイル › 情報 › ブックの保護 › パスワードを使用して暗号化」"
        "でパスワードを消してから保存し直してください。")


# ---------------------------------------------------------------- OLE2 compound files

class _OleError(Exception):
    pass


def _ole_stream_names(handle, file_size: int) -> list[str]:
    """Names of the entries in an OLE2 compound file's directory (bounded, loop-safe)."""
    handle.seek(0)
    header = handle.read(512)
    if len(header) < 512:
        raise _OleError("short header")
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise _OleError("bad sector size")
    ssize = 1 << sector_shift
    n_fat, first_dir = struct.unpack_from("<II", header, 0x2C)
    first_difat, n_difat = struct.unpack_from("<II", header, 0x44)
    n_sectors = max(0, (file_size - ssize) // ssize + 1)

    def read_sector(index: int) -> bytes:
        if index >= n_sectors:
            raise _OleError("sector out of range")
        handle.seek(ssize + index * ssize)
        data = handle.read(ssize)
        if len(data) < ssize:
            data += b"\0" * (ssize - len(data))
        return data

    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA]
    seen = set()
    difat = first_difat
    per = ssize // 4 - 1
    while difat < 0xFFFFFFFA and len(fat_sectors) < n_fat and difat not in seen:
        seen.add(difat)
        entries = struct.unpack(f"<{per + 1}I", read_sector(difat))
        fat_sectors += [s for s in entries[:per] if s < 0xFFFFFFFA]
        difat = entries[per]
    fat_sectors = fat_sectors[:max(n_fat, 0)]
    if len(fat_sectors) * (ssize // 4) > 64 * n_sectors + 1024:
        raise _OleError("FAT larger than the file")

    def next_sector(index: int) -> int:
        per_fat = ssize // 4
        which, offset = divmod(index, per_fat)
        if which >= len(fat_sectors):
            return 0xFFFFFFFE
        handle.seek(ssize + fat_sectors[which] * ssize + offset * 4)
        raw = handle.read(4)
        return struct.unpack("<I", raw)[0] if len(raw) == 4 else 0xFFFFFFFE

    names: list[str] = []
    sector = first_dir
    visited = set()
    while sector < 0xFFFFFFFA and sector not in visited and len(visited) < n_sectors:
        visited.add(sector)
        data = read_sector(sector)
        for pos in range(0, ssize, 128):
            length = struct.unpack_from("<H", data, pos + 0x40)[0]
            kind = data[pos + 0x42]
            if kind == 0 or length < 2 or length > 64:
                continue
            names.append(data[pos:pos + length - 2].decode("utf-16-le", "replace"))
        sector = next_sector(sector)
    return names


# ---------------------------------------------------------------- zip and XML heads

_DECL_RE = re.compile(rb"<!(DOCTYPE|ENTITY)")


def _prolog_is_safe(member: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Read a part up to its root element (bounded) and say whether it declares no DTD.

    Parts that do not start like XML (pictures, binary parts) are safe by this test.
    """
    buf = b""
    with member.open(info) as handle:
        while len(buf) < PROLOG_LIMIT:
            chunk = handle.read(4096)
            if not chunk:
                break
            buf += chunk
            text = buf
            if text.startswith((b"\xff\xfe", b"\xfe\xff")):
                text = buf.decode("utf-16", "ignore").encode("utf-8")
            elif text.startswith(b"<\x00"):
                text = buf.decode("utf-16-le", "ignore").encode("utf-8")
            elif text.startswith(b"\x00<"):
                text = buf.decode("utf-16-be", "ignore").encode("utf-8")
            elif text.startswith(b"\xef\xbb\xbf"):
                text = text[3:]
            if not text.lstrip().startswith(b"<"):
                return bool(text.strip()) or len(buf) < PROLOG_LIMIT  # not XML (or only blanks so far)
            # the root element is the first '<' followed by a name character
            match = re.search(rb"<[A-Za-z_:]", text)
            head = text if match is None else text[:match.start()]
            if _DECL_RE.search(head):
                return False
            if match is not None:
                return True
    return len(buf) < PROLOG_LIMIT  # a part that is only a prolog (or empty) is harmless; a huge prolog is not


def _zip_directory_size(handle, size: int) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end-of-central-directory record, or None if absent."""
    tail_len = min(size, 22 + 65535 + 20)
    handle.seek(size - tail_len)
    tail = handle.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        return None
    entries, cd_size = struct.unpack_from("<HI", tail, pos + 10)
    locator = pos - 20
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", tail, locator + 8)
        if record + 56 <= size:
            handle.seek(record)
            raw = handle.read(56)
            if raw[:4] == b"PK\x06\x06" and len(raw) == 56:
                entries, cd_size = struct.unpack_from("<QQ", raw, 32)
    return entries, cd_size


def sheet_names(path: str | os.PathLike) -> list[str]:
    """Titles of the workbook's worksheets in tab order (after :func:`check_workbook`)."""
    check_workbook(path)
    with zipfile.ZipFile(path) as zf:
        return [s.title for s in workbook_sheets(zf, Path(path).name)]


# ---------------------------------------------------------------- the check

def check_workbook(path: str | os.PathLike) -> None:
    """Refuse, with a plain :class:`PlanReadError`, a file that is not a safe .xlsx workbook.

    Bounded time and memory: reads the file header, the zip directory, the head of every XML
    part and of every sheet; never decompresses a whole member.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
            if head.startswith(b"PK"):
                counts = _zip_directory_size(handle, size)
                if counts is not None and (counts[0] > MAX_MEMBERS or counts[1] > MAX_MEMBERS * 1024):
                    raise too_large_error(name, f"it holds {counts[0]:,} parts.", f"内部に {counts[0]:,} 個の部品があります。")
            if head == OLE_MAGIC:
                try:
                    streams = _ole_stream_names(handle, size)
                except (_OleError, struct.error, OSError):
                    streams = []
                lowered = {s.lower() for s in streams}
                if "encryptedpackage" in lowered or "encryptioninfo" in lowered:
                    raise _encrypted(name)
                raise _legacy(name)
    except FileNotFoundError:
        raise PlanReadError("missing", f"There is no file {path}.", f"ファイル {path} がありません。") from None
    except IsADirectoryError:
        raise not_workbook_error(name, "it is a folder.", "フォルダーです。") from None
    except PermissionError:
        raise PlanReadError("unreadable", f"{name} cannot be read (permission denied).",
                            f"{name} を読む権限がありません。") from None
    except OSError as exc:
        raise PlanReadError("unreadable", f"{name} cannot be read: {exc.strerror or exc}.",
                            f"{name} を読み込めません（{exc.strerror or exc}）。") from None

    if size == 0:
        raise not_workbook_error(name, "the file is empty.", "ファイルが空です。")
    if not head.startswith(b"PK"):
        raise _not_zip(path, name)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError):
        raise not_workbook_error(name, "the file is damaged or was not saved completely.",
                                 "ファイルが壊れているか、最後まで保存されていません。") from None
    with zf:
        _check_package(zf, name)


def _not_zip(path: Path, name: str) -> PlanReadError:
    """The refusal for a file that is not a zip: says what it looks like when that is clear."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(4096)
    except OSError:
        start = b""
    lowered = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        return not_workbook_error(name, "it is an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx.",
                             "Excel 2003 XML 形式のファイルです。Excel で開いて .xlsx 形式で保存し直してください。")
    if lowered.startswith((b"<html", b"<!doctype html")) or b"<html" in lowered[:1024]:
        return not_workbook_error(name, "it is a web page (HTML); open it in Excel and save it as .xlsx.",
                             "Web ページ（HTML）形式のファイルです。Excel で開いて .xlsx 形式で保存し直してください。")
    return not_workbook_error(name, "it looks like a text or other file that was given an .xlsx name.",
                         "テキストなど別の種類のファイルに .xlsx の名前が付いているようです。")


def _check_package(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise too_large_error(name, f"it holds {len(infos)} parts.", f"内部に {len(infos)} 個の部品があります。")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise PlanReadError(
                "encrypted", f"{name} is a password-protected zip archive, not an Excel workbook that can be opened.",
                f"{name} はパスワード付きの zip 圧縮ファイルで、開ける Excel ブックではありません。")
        total += info.file_size
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise too_large_error(
                name, f"its part {info.filename} expands {info.file_size // max(info.compress_size, 1)} times "
                "(a compression bomb).",
                f"内部の {info.filename} が {info.file_size // max(info.compress_size, 1)} 倍に膨らみます（圧縮爆弾）。")
        if info.file_size > MAX_PART:
            raise too_large_error(name, f"its part {info.filename} holds {info.file_size >> 20} MB.",
                             f"内部の {info.filename} が {info.file_size >> 20} MB あります。")
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise too_large_error(name, f"it expands to {total / (1 << 30):.1f} GB.",
                         f"展開すると {total / (1 << 30):.1f} GB になります。")

    names = set(zf.NameToInfo)
    if "mimetype" in names and any(n == "content.xml" for n in names):
        raise not_workbook_error(name, "it is an OpenDocument file; save it as .xlsx in your spreadsheet program.",
                            "OpenDocument 形式のファイルです。表計算ソフトで .xlsx 形式で保存し直してください。")
    if "[Content_Types].xml" not in names:
        raise not_workbook_error(name, "it is a zip archive, not a workbook.", "zip 圧縮ファイルで、Excel ブックではありません。")
    if "xl/workbook.bin" in names:
        raise not_workbook_error(name, "it is a binary workbook (.xlsb); open it in Excel and save it as .xlsx.",
                            "バイナリ形式（.xlsb）のブックです。Excel で開いて .xlsx 形式で保存し直してください。")

    for info in infos:
        if info.is_dir() or info.file_size == 0:
            continue
        try:
            safe = _prolog_is_safe(zf, info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
            raise not_workbook_error(name, f"the file is damaged (its part {info.filename} cannot be read).",
                                f"ファイルが壊れています（内部の {info.filename} が読めません）。") from None
        if not safe:
            raise unsafe_xml_error(name, info.filename)

    if read_xml_part(zf, "[Content_Types].xml", label=name) is None:
        raise not_workbook_error(name, "its list of parts ([Content_Types].xml) is damaged.",
                            "部品一覧（[Content_Types].xml）が壊れています。")
    wb = workbook_part(zf, name)
    if wb is None:
        raise not_workbook_error(name, "it is an Office file without a workbook (perhaps a Word or PowerPoint file).",
                            "ブック部分のない Office ファイルです（Word や PowerPoint のファイルかもしれません）。")
    root = read_xml_part(zf, wb, label=name)
    if root is None:
        raise not_workbook_error(name, "its workbook part is damaged.", "ブックの部品が壊れています。")
    if root.tag.startswith("{http://purl.oclc.org/ooxml/"):
        raise not_workbook_error(
            name, "it is saved as \"Strict Open XML\"; open it in Excel and save it as an ordinary Excel Workbook (.xlsx).",
            "「Strict Open XML」形式で保存されています。Excel で開いて通常の「Excel ブック（.xlsx）」形式で保存し直してください。")

    for sheet in workbook_sheets(zf, name):
        info = zf.NameToInfo[sheet.part]
        try:
            dim = declared_dimension(zf, info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
            raise not_workbook_error(name, f"the file is damaged (sheet 「{sheet.title}」 cannot be read).",
                                f"ファイルが壊れています（シート「{sheet.title}」が読めません）。") from None
        if dim is None:
            continue
        rows, cols = dim[2] - dim[0] + 1, dim[3] - dim[1] + 1
        if dim[2] > EXCEL_MAX_ROWS or dim[3] > EXCEL_MAX_COLS or rows * cols > MAX_CELLS:
            raise too_large_error(
                name, f"sheet 「{sheet.title}」 declares {rows:,} rows × {cols:,} columns.",
                f"シート「{sheet.title}」が {rows:,} 行 × {cols:,} 列あると宣言しています。")
