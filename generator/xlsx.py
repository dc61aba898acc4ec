"""Reading an .xlsx workbook straight from its XML: only the cells it holds, as Excel shows them.

openpyxl builds every cell of a merged range (a merge A1:XFD1048576 never finishes loading) and
reads a formula's saved empty result (``=IF(B4="","",…)``) the same as no saved result at all.
A workbook is a zip of XML parts, so this module streams the parts huibao needs and keeps only
the cells that hold something: each with the text Excel displays, whether it holds a formula,
whether a result of that formula was saved, and any Excel error value (``#DIV/0!``). Merged
ranges stay ranges; hidden rows and columns are noted. Elements are matched by their local name,
so transitional and strict OOXML (what Excel, WPS and LibreOffice write) read alike.

Numbers are read the way Excel displays them: at most 15 significant digits, so a saved
``0.30000000000000004`` is ``0.3``; a fixed number format (``0.0``, ``#,##0.00``, ``0.0%``) rounds
to its decimals; percent formats give ``82.4%``; date formats give ``2024-01-01``. Integers stay
exact. The text a format adds is kept (``0.0"公里"`` reads ``88.5公里``), its colours, spacing
and currency tags are not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

from generator.errors import FileAccessError

MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_CELLS = 400_000
"""Cells with content one sheet may hold: 2000 rows of 200 columns."""
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an old .xls workbook, and an .xlsx protected by a password to open, begin."""

_COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_TRUE = frozenset({"1", "true"})

# Format codes of the built-in number formats that matter: their number is all a file stores.
# 27-36 and 50-58 are the Chinese (zh-CN) date and time formats of Excel and WPS.
_BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "yyyy-mm-dd",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "yyyy-mm-dd h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
    **dict.fromkeys((27, 36, 50, 52, 57), 'yyyy"年"m"月"'),
    **dict.fromkeys((28, 29, 51, 53, 54, 58), 'm"月"d"日"'),
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    **dict.fromkeys((34, 55), 'h"时"mm"分"'),
    **dict.fromkeys((35, 56), 'h"时"mm"分"ss"秒"'),
}
# What a format code shows, once literal text ("元", \x, _x, *x) and [Red]/[$-804] are removed;
# elapsed times ([h]) keep their letters.
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?![hms]+\])[^\]]*\]|[\[\]]')
_FIXED = re.compile(r"^[#?,0]*0[#?,0]*(?:\.(?P<decimals>[0#?]+))?$")
_FORMAT_TOKEN = re.compile(r'"[^"]*"?|\\.|_.|\*.|\[[^\]]*\]?|General|G/通用格式|.', re.IGNORECASE)


@dataclass(frozen=True)
class CellRange:
    """A rectangle of cells, 1-based and inclusive, such as a merged range."""

    min_row: int
    min_column: int
    max_row: int
    max_column: int

    def __str__(self) -> str:
        start = f"{column_letter(self.min_column)}{self.min_row}"
        return f"{start}:{column_letter(self.max_column)}{self.max_row}"


@dataclass(frozen=True)
class XlsxCell:
    """One cell that holds something: the text Excel displays, or an error, or a formula."""

    text: str | None
    """What the cell displays, as staff would have typed it; ``None`` when it shows nothing."""
    error: str | None = None
    """An Excel error value saved as the cell's result, such as ``#DIV/0!``."""
    formula: str | None = None
    """The cell's formula (``=B2/C2``; empty where a shared formula is not repeated), if any."""
    cached: bool = True
    """Whether the file holds the formula's result; a file written by a program may not."""


@dataclass
class XlsxSheet:
    """The cells of one worksheet that hold something, and how it is laid out."""

    name: str
    hidden: bool
    cells: dict[tuple[int, int], XlsxCell] = field(default_factory=dict)
    """``(row, column) → cell``, 1-based, only cells with content or a formula."""
    merges: list[CellRange] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    """Hidden rows that hold a cell (others do not matter)."""
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    """Ranges of hidden columns, ``(first, last)``."""
    truncated: bool = False
    """Whether reading stopped at the row limit it was given."""


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook lists it: its name, whether it is hidden, and its XML part."""

    name: str
    hidden: bool
    part: str | None
    """The zip member holding the worksheet; ``None`` for a chart sheet, which has no cells."""


def column_letter(column: int) -> str:
    """``1`` → ``A``, ``28`` → ``AB``."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def parse_coordinate(reference: str) -> tuple[int, int]:
    """``AB12`` → ``(12, 28)``; raise ``ValueError`` for anything else."""
    match = _COORDINATE.match(reference.strip())
    if match is None:
        raise ValueError(reference)
    column = 0
    for letter in match[1].upper():
        column = column * 26 + ord(letter) - 64
    return int(match[2]), column


def excel_date(serial: float, *, date1904: bool = False) -> dt.datetime:
    """The date and time of an Excel serial number (1900 system unless ``date1904``).

    The 1900 system counts a 29 February 1900 that never was (Lotus's bug): serials from 61 on
    are a day behind a plain count. Raise ``OverflowError``/``ValueError`` out of range.
    """
    if date1904:
        base = dt.datetime(1904, 1, 1)
    else:
        base = dt.datetime(1899, 12, 30) if serial >= 61 else dt.datetime(1899, 12, 31)
    moment = base + dt.timedelta(days=serial)
    return moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))


def plain_number(number: Decimal) -> str:
    """A number in plain notation, never with an exponent or trailing zeros: ``1E+2`` → ``100``."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def displayed_number(saved: str) -> Decimal:
    """A number as the file saves it, as Excel shows it: 15 significant digits at most.

    Excel saves the full binary double (``0.30000000000000004``) but never shows more than 15
    digits; an integer written by another program stays exact. Raise ``ValueError`` if
    ``saved`` is not a number.
    """
    text = saved.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return Decimal(text)
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(saved)
    return Decimal(format(value, ".15g"))


class XlsxWorkbook:
    """An open .xlsx file: its sheets in workbook order, read one at a time with ``read``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._archive = _open_archive(path)
        try:
            self._members = {name.lower(): name for name in self._archive.namelist()}
            book_part = self._office_document()
            self.sheets, self.date1904 = self._read_book(book_part)
            relations = self._relations(book_part)
            self._strings = self._shared_strings(relations)
            self._formats = self._number_formats(relations)
        except BaseException:
            self._archive.close()
            raise

    def __enter__(self) -> XlsxWorkbook:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._archive.close()

    # --- the package ------------------------------------------------------------------------

    def _damaged(self, detail: str) -> FileAccessError:
        return FileAccessError(
            path=self.path,
            reason=f"工作簿已损坏，无法读取（{detail}）",
            hint="请在 Excel 或 WPS 中打开后重新保存（另存为“Excel 工作簿 .xlsx”），或换用未损坏的文件。",
        )

    def _member(self, part: str) -> str | None:
        return self._members.get(part.lstrip("/").lower())

    def _elements(
        self, part: str, events: tuple[str, ...] = ("end",)
    ) -> Generator[tuple[str, Any], None, None]:
        """``(event, element)`` of one XML part, streamed; a damaged part is a clear error."""
        name = self._member(part)
        if name is None:
            raise self._damaged(f"缺少 {part}")
        try:
            with self._archive.open(name) as stream:
                yield from _iterparse(stream, events)
        except (ParseError, DefusedXmlException, zipfile.BadZipFile, EOFError, OSError) as error:
            raise self._damaged(f"{part}：{type(error).__name__}") from None

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """``{id: (type, target part)}`` of a part's relationships."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if self._member(rels) is None:
            return {}
        found: dict[str, tuple[str, str]] = {}
        for _, element in self._elements(rels):
            if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
                continue
            target = element.get("Target", "")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            found[element.get("Id", "")] = (element.get("Type", ""), resolved)
        return found

    def _office_document(self) -> str:
        for kind, target in self._relations("").values():
            if kind.endswith("/officeDocument"):
                return target
        if self._member("xl/workbook.xml") is not None:
            return "xl/workbook.xml"
        raise self._damaged("找不到 workbook.xml")

    def _read_book(self, part: str) -> tuple[list[SheetEntry], bool]:
        relations = self._relations(part)
        sheets: list[SheetEntry] = []
        date1904 = False
        for _, element in self._elements(part):
            tag = _local(element.tag)
            if tag == "workbookPr":
                date1904 = element.get("date1904", "").lower() in _TRUE
            elif tag == "sheet":
                relation = next(
                    (value for key, value in element.attrib.items() if _local(key) == "id"), ""
                )
                kind, target = relations.get(relation, ("", ""))
                sheets.append(
                    SheetEntry(
                        name=element.get("name", ""),
                        hidden=element.get("state", "visible") != "visible",
                        part=target if kind.endswith("/worksheet") else None,
                    )
                )
        return sheets, date1904

    def _shared_strings(self, relations: dict[str, tuple[str, str]]) -> list[str]:
        part = next((t for k, t in relations.values() if k.endswith("/sharedStrings")), None)
        if part is None or self._member(part) is None:
            return []
        strings: list[str] = []
        for _, element in self._elements(part):
            if _local(element.tag) == "si":
                strings.append(_rich_text(element))
                element.clear()
        return strings

    def _number_formats(self, relations: dict[str, tuple[str, str]]) -> list[str]:
        """The number format code of each cell style (``s`` of a cell), by index."""
        part = next((t for k, t in relations.values() if k.endswith("/styles")), None)
        if part is None or self._member(part) is None:
            return []
        custom: dict[int, str] = {}
        styles: list[str] = []
        in_cell_styles = in_formats = False
        for event, element in self._elements(part, ("start", "end")):
            tag = _local(element.tag)
            if tag == "cellXfs":
                in_cell_styles = event == "start"
            elif tag == "numFmts":
                in_formats = event == "start"
            elif event == "end" and tag == "numFmt" and in_formats:
                custom[_int(element.get("numFmtId"))] = element.get("formatCode", "General")
            elif event == "end" and tag == "xf" and in_cell_styles:
                number = _int(element.get("numFmtId"))
                styles.append(custom.get(number) or _BUILTIN_FORMATS.get(number, "General"))
        return styles

    # --- a worksheet ------------------------------------------------------------------------

    def read(self, entry: SheetEntry, *, max_rows: int | None = None) -> XlsxSheet:
        """The cells of a sheet that hold something; stop after ``max_rows`` such rows."""
        sheet = XlsxSheet(entry.name, entry.hidden)
        if entry.part is None:
            return sheet
        with contextlib.closing(self._elements(entry.part, ("start", "end"))) as elements:
            return self._read_cells(sheet, elements, max_rows)

    def _read_cells(
        self, sheet: XlsxSheet, elements: Iterator[tuple[str, Any]], max_rows: int | None
    ) -> XlsxSheet:
        row = column = content_row = 0
        row_hidden = False
        rows_with_content = 0
        sheet_data: Element | None = None
        for event, element in elements:
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    row = _int(element.get("r")) or row + 1
                    row_hidden = element.get("hidden", "").lower() in _TRUE
                    column = 0
                elif tag == "sheetData":
                    sheet_data = element
                continue
            if tag == "c":
                reference = element.get("r")
                try:
                    row, column = parse_coordinate(reference) if reference else (row, column + 1)
                except ValueError:
                    raise self._damaged(f"单元格名称“{reference}”") from None
                cell = self._cell(element)
                element.clear()
                if cell is None:
                    continue
                if row != content_row:
                    content_row = row
                    rows_with_content += 1
                    if max_rows is not None and rows_with_content > max_rows:
                        sheet.truncated = True
                        return sheet
                sheet.cells[(row, column)] = cell
                if len(sheet.cells) > MAX_CELLS:
                    raise FileAccessError(
                        path=self.path,
                        reason=f"工作表“{sheet.name}”的内容超过 {MAX_CELLS} 个单元格的上限",
                        hint="一份报告的工作表通常只有几百个单元格，请确认选对了文件。",
                    )
                if row_hidden:
                    sheet.hidden_rows.add(row)
            elif tag == "row" and sheet_data is not None:
                sheet_data.clear()  # rows already read: a million formatted rows cost nothing
            elif tag == "mergeCell":
                merge = _range(element.get("ref", ""))
                if merge is not None:
                    sheet.merges.append(merge)
            elif tag == "col" and element.get("hidden", "").lower() in _TRUE:
                first, last = _int(element.get("min")), _int(element.get("max"))
                if first:
                    sheet.hidden_columns.append((first, max(first, last)))
        return sheet

    def _cell(self, element: Element) -> XlsxCell | None:
        """A ``<c>`` element as a cell, or ``None`` if it holds nothing (formatting only)."""
        kind = element.get("t", "n")
        formula_element = value_element = inline = None
        for child in element:
            tag = _local(child.tag)
            if tag == "f":
                formula_element = child
            elif tag == "v":
                value_element = child
            elif tag == "is":
                inline = child
        formula = None
        if formula_element is not None:  # a shared formula's later cells hold no text
            formula = f"={formula_element.text}" if formula_element.text else ""
        saved = None if value_element is None else (value_element.text or "")
        if kind == "inlineStr":
            return _text_cell(_rich_text(inline) if inline is not None else "", formula)
        if saved is None or (saved == "" and kind != "str"):
            # no result saved: a formula the file never calculated, else only formatting
            return None if formula is None else XlsxCell(None, formula=formula, cached=False)
        if kind == "e":
            return XlsxCell(None, error=saved.strip(), formula=formula)
        if kind == "s":
            try:
                return _text_cell(self._strings[int(saved)], formula)
            except (ValueError, IndexError):
                raise self._damaged(f"共享文字编号“{saved}”") from None
        if kind == "str":
            return _text_cell(saved, formula)
        if kind == "b":
            return XlsxCell("是" if saved.strip().lower() in _TRUE else "否", formula=formula)
        if kind == "d":
            return XlsxCell(_iso_text(saved), formula=formula)
        style = _int(element.get("s"))
        number_format = self._formats[style] if style < len(self._formats) else "General"
        return XlsxCell(self._number_text(saved, number_format), formula=formula)

    def _number_text(self, saved: str, number_format: str) -> str:
        try:
            number = displayed_number(saved)
        except ValueError:
            return saved.strip()
        return format_number(number, number_format, date1904=self.date1904)


def format_number(number: Decimal, number_format: str, *, date1904: bool = False) -> str:
    """A number as a cell with this format code displays it: its decimals, its percent sign and
    the text the format adds (``0.0"公里"`` shows ``88.0公里``), without grouping or colours."""
    section = _first_section(number_format)
    letters = _LITERALS.sub("", section).strip()
    lowered = letters.lower()
    if re.search(r"[ymdhs]", lowered) and "general" not in lowered:
        return _date_text(number, lowered, date1904) or plain_number(number)
    percent = "%" in letters
    if percent:
        number *= 100
    fixed = _FIXED.match(re.sub(r"[^#?,0.]", "", letters.replace("%", "")))
    if fixed and not re.search(r"[eE/]", letters) and not letters.rstrip("%").endswith(","):
        decimals = fixed["decimals"] or ""
        with localcontext() as context:
            context.prec = 60
            with contextlib.suppress(InvalidOperation):  # beyond 60 digits: keep as it is
                number = number.quantize(Decimal(1).scaleb(-len(decimals)), ROUND_HALF_UP)
    before, after = _format_text(section)
    return before + plain_number(number) + ("%" if percent else "") + after


def _format_text(section: str) -> tuple[str, str]:
    """The text a format code shows before and after its number: quoted (``"万元"``) or escaped
    (``\\元``) characters. Currency and locale tags (``[$¥-804]``) are left out: a figure reads
    ``1220``, not ``¥1220``."""
    parts: list[list[str]] = [[], []]
    side = 0
    for token in _FORMAT_TOKEN.findall(section):
        if token.startswith('"'):
            parts[side].append(token.strip('"'))
        elif token.startswith("\\"):
            parts[side].append(token[1:])
        elif token.lower() in {"general", "g/通用格式"} or token in "#0?.,":
            side = 1
    return "".join(parts[0]), "".join(parts[1])


def _first_section(number_format: str) -> str:
    """The part of a format code for positive numbers: up to the first ``;`` outside quotes."""
    quoted = False
    for index, char in enumerate(number_format):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return number_format[:index]
    return number_format


def _date_text(number: Decimal, letters: str, date1904: bool) -> str | None:
    """A date-formatted serial as ``2024-01-15`` (with `` 08:30`` when it has a time of day);
    a time-only format as ``08:30``; ``None`` when the serial is no date."""
    try:
        moment = excel_date(float(number), date1904=date1904)
    except (OverflowError, ValueError):
        return None
    time = moment.strftime("%H:%M:%S" if moment.second else "%H:%M")
    if not re.search(r"[yd]", letters) and re.search(r"[hs]", letters):
        return time
    date = moment.date().isoformat()
    return date if moment.time() == dt.time() else f"{date} {time}"


def _iso_text(saved: str) -> str:
    """A ``t="d"`` cell (ISO 8601, as strict files may save dates) as a date or date and time."""
    text = saved.strip()
    try:
        moment = dt.datetime.fromisoformat(text.removesuffix("Z"))
    except ValueError:
        return text
    if moment.time() == dt.time():
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")


def _text_cell(text: str, formula: str | None) -> XlsxCell | None:
    """A text cell; Excel's ``_x000D_`` escapes decoded, line ends as ``\\n``, blanks trimmed."""
    decoded = _ESCAPED.sub(lambda match: chr(int(match[1], 16)), text)
    tidy = decoded.replace("\r\n", "\n").replace("\r", "\n").strip()
    return XlsxCell(tidy, formula=formula) if tidy else None


def _rich_text(element: Element) -> str:
    """The text of a shared or inline string: its runs, without phonetic (ruby) runs."""
    parts: list[str] = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts += [run.text or "" for run in child if _local(run.tag) == "t"]
    return "".join(parts)


def _open_archive(path: Path) -> zipfile.ZipFile:
    """The workbook's zip, after checking it is one and not a zip bomb."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except PermissionError:
        raise FileAccessError(path=path, reason="没有读取权限") from None
    if head == OLE_SIGNATURE:
        raise FileAccessError(
            path=path,
            reason="这不是有效的 Excel 工作簿（.xlsx）：它是旧版 .xls 工作簿，或设置了打开密码",
            hint="请在 Excel 或 WPS 中打开，取消打开密码，再“另存为”“Excel 工作簿（.xlsx）”。",
        )
    if not zipfile.is_zipfile(path):
        raise FileAccessError(
            path=path,
            reason="这不是有效的 Excel 工作簿（.xlsx）",
            hint="可能是 CSV、旧版 .xls 或其他文件改了扩展名；请在 Excel 中“另存为 .xlsx”。",
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise FileAccessError(
            path=path,
            reason="工作簿已损坏，无法读取（不是完整的 zip 文件）",
            hint="请在 Excel 或 WPS 中打开后重新保存，或换用未损坏的文件。",
        ) from None
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > MAX_UNCOMPRESSED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        archive.close()
        raise FileAccessError(
            path=path,
            reason=f"工作簿解压后过大（{unpacked // 1024 // 1024} MB），拒绝读取",
            hint=f"正常的报告工作簿解压后不超过 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB。",
        )
    return archive


def _iterparse(stream: IO[bytes], events: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """Stream an XML part; a DTD (never in a real workbook, the way to entity bombs) is refused."""
    yield from SafeTree.iterparse(stream, events=events, forbid_dtd=True)


def _local(tag: str) -> str:
    """``{namespace}sheet`` → ``sheet``: transitional and strict OOXML name elements alike."""
    return tag.rpartition("}")[2]


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _range(reference: str) -> CellRange | None:
    start, _, end = reference.partition(":")
    try:
        first = parse_coordinate(start)
        last = parse_coordinate(end or start)
    except ValueError:
        return None
    return CellRange(
        min(first[0], last[0]),
        min(first[1], last[1]),
        max(first[0], last[0]),
        max(first[1], last[1]),
    )
