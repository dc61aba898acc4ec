"""Stage 1 for spreadsheets: read an .xlsx workbook or a .csv table into the same plain data and
locations as a YAML file, so validation and its messages work unchanged.

A workbook has a 基本信息 sheet (项目 | 内容: 标题, 发文机关, 年度 …), a 指标 sheet (the named
figures: 名称 | 数值 | 单位 | 目标 | 上年 | 精度 | 来源) and, for the table kinds, the sheet of
table rows (任务, 目标) whose headers are the table's Chinese column names. A .csv file holds the
same sheets one after another, or one table: the figures, for ``figures_from``. Every value keeps
the cell it came from, so problems read ``2024.xlsx:指标!C7``.

Nothing typed is lost, invented or changed on the way. Cells are read as Excel shows them
(``xlsx.py``); merged cells give their value to the rows below them that hold something; surrounding
spaces are dropped. What huibao cannot place is an error naming its cell, never silently skipped:
a column without a header, a repeated header, figure or 基本信息 item, a value beside no label,
content above the header row, in hidden rows or columns or under a merged cell, an Excel error
value, a formula never calculated, the form's example row. A sheet named like one huibao reads
(``任务 (2)``, ``任务2``, ``任务（续）``) continues it; any other sheet is reported unless it is
hidden or the form's 说明.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import difflib
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from generator.cell_text import parse_completion, parse_points
from generator.errors import FileAccessError, InputError, Problem, SourceLocation
from generator.introspect import readable_path
from generator.load import (
    _XML_INVALID,
    LoadedSource,
    _control_character,
    check_input_path,
    read_text,
)
from generator.xlsx import CellRange, XlsxSheet, XlsxWorkbook, column_letter, excel_date
from schemas import KINDS, ReportBase, ReportKind
from schemas.base import DataPath, Flag
from schemas.figures import Figure
from schemas.performance_review import Target
from schemas.task_progress import TaskRow

INFO_SHEET = "基本信息"
FIGURES_SHEET = "指标"
TASKS_SHEET = "任务"
TARGETS_SHEET = "目标"
NOTES_SHEET = "说明"
"""The form's own instructions: never read."""
TABLE_SHEETS = {"task-progress": TASKS_SHEET, "performance-review": TARGETS_SHEET}
"""The kinds whose table rows come from a sheet of their own, and that sheet's name."""
KNOWN_SHEETS = (INFO_SHEET, FIGURES_SHEET, *TABLE_SHEETS.values())
INFO_FIELDS = (
    "kind",
    "title",
    "org",
    "year",
    "date",
    "period",
    "opening",
    "closing",
    "signature",
    "seal",
    "landscape",
)
"""The 基本信息 items, in form order: the scalar front matter of a kind that has the field."""
DIMENSION_HEADER = "考评维度"
KEY_MARK = "★"
NUMBER_HEADER = "序号"
FIGURE_NAME_HEADER = "名称"
EXAMPLE_MARK = "（示例，填写时删除本行）"
"""Marks the form's example rows: a build refuses a sheet that still holds one."""
MAX_ROWS = 2000
"""Rows with content one sheet (or a CSV file) may hold."""
UNKNOWN_SHEET_ROWS = 5
"""Rows read from a sheet huibao does not use, to tell what it holds."""

_ERROR_VALUE = re.compile(
    r"#(?:DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!"
    r"|CONNECT!|BUSY!|UNKNOWN!|EXTERNAL!|PYTHON!)|Err:\d{3}"
)
"""Excel's error values (WPS shows the same), and LibreOffice's ``Err:502`` in the CSV it saves."""
_CONTINUED = re.compile(r"^(?P<base>.+?)(?:\((?:\d+|续表?)\)|[-_]?\d+|续表?)$")
_HEADER_WORDS = frozenset({"项目", "字段", INFO_SHEET})
"""First cells of a 基本信息 header row (项目 | 内容), or of a title row naming the sheet."""
_VALUE_WORDS = frozenset({"内容", "值"})
_KIND_LABELS = frozenset({"报告类型", "kind"})


@dataclass(frozen=True)
class CellText:
    """A cell's content as text (``None``: empty), with where it is."""

    text: str | None
    location: SourceLocation


@dataclass(frozen=True)
class Row:
    """A row that holds something: the text of its cells with content, by column (1 = A)."""

    path: Path
    sheet: str | None
    """The sheet's name, or ``None`` in a CSV file, whose cells are named without a sheet."""
    number: int
    texts: dict[int, str]

    def location(self, column: int) -> SourceLocation:
        reference = f"{column_letter(column)}{self.number}"
        return SourceLocation(
            self.path, cell=reference if self.sheet is None else f"{self.sheet}!{reference}"
        )

    def cell(self, column: int) -> CellText:
        """The cell in ``column``, empty or not: an empty one still says where a value belongs."""
        return CellText(self.texts.get(column), self.location(column))

    def first(self) -> CellText:
        return self.cell(min(self.texts, default=1))


@dataclass
class Sheet:
    """A worksheet (or a section of a CSV file) as rows with content, and what huibao noticed."""

    path: Path
    name: str
    base: str | None
    """The sheet huibao reads that this one is or continues (任务 for ``任务 (2)``); ``None``: none."""
    rows: list[Row] = field(default_factory=list)
    merges: list[CellRange] = field(default_factory=list)
    hidden: bool = False
    problems: list[Problem] = field(default_factory=list)
    """Problems of its cells (error values, formulas never calculated …): reported if it is read."""
    used: bool = False

    @property
    def label(self) -> str:
        """How messages name it: 工作表“任务”, or in a CSV file “任务”部分 (or the file)."""
        if self.rows and self.rows[0].sheet is None:
            return f"“{self.name}”部分" if self.name else "文件"
        return f"工作表“{self.name}”"

    def where(self) -> SourceLocation:
        """Its first cell with content, to point at the whole sheet."""
        return self.rows[0].first().location if self.rows else SourceLocation(self.path)


Table = list[dict[str, CellText]]
"""Rows of a sheet below its header row, keyed by field name: every column with a header, empty
cells included (they say where a missing value belongs)."""


def header_key(text: str) -> str:
    """Headers compare without spaces and with （）/() alike: ``目标(指标)名 称`` = ``目标（指标）名称``."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Columns:
    """The columns of a table: header keys that name each field, and each field's Chinese title."""

    known: dict[str, str]
    titles: dict[str, str]


def _columns(first: str, model: Any, *, skip: tuple[str, ...] = ()) -> Columns:
    """A column ``first`` of the sheet only (序号, 名称, 考评维度), then the model's fields."""
    known = {header_key(first): first}
    titles = {first: first}
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        known[header_key(name)] = name
        if info.title:
            known[header_key(info.title)] = name
            titles[name] = info.title
    return Columns(known, titles)


FIGURE_COLUMNS = _columns(FIGURE_NAME_HEADER, Figure)
TASK_COLUMNS = _columns(NUMBER_HEADER, TaskRow)
TARGET_COLUMNS = _columns(DIMENSION_HEADER, Target, skip=("continued",))
_TABLE_COLUMNS = {
    FIGURES_SHEET: FIGURE_COLUMNS,
    TASKS_SHEET: TASK_COLUMNS,
    TARGETS_SHEET: TARGET_COLUMNS,
}


# --- reading cells ----------------------------------------------------------------------------


def sheet_base(name: str) -> str | None:
    """The sheet huibao reads that a sheet of this name is or continues: ``任务（续）`` → 任务."""
    key = header_key(name)
    if key in KNOWN_SHEETS:
        return key
    match = _CONTINUED.match(key)
    return match["base"] if match and match["base"] in KNOWN_SHEETS else None


def _checked(text: str, location: SourceLocation, problems: list[Problem]) -> str | None:
    """A cell's text, after the checks every cell read passes: an Excel error value (``#N/A``,
    which CSV files hold as text) is no content and an error; characters a .docx cannot hold
    are an error."""
    if _ERROR_VALUE.fullmatch(text):
        problems.append(_error_value(location, text))
        return None
    bad = _XML_INVALID.search(text)
    if bad:
        problems.append(_control_character(location, ord(bad.group())))
    return text


def _error_value(location: SourceLocation, value: str) -> Problem:
    return Problem(
        location,
        f"单元格中是 Excel 错误值 {value}，不能写入报告",
        hint="这是公式算错的结果（常见原因：除数为 0、引用了空白或已删除的单元格、函数名写错）："
        "请在 Excel 或 WPS 中改正公式或数据，保存后再运行。",
    )


def _example_rows(rows: list[Row]) -> list[Problem]:
    """The form's example rows still in a sheet: a report must not print them."""
    problems: list[Problem] = []
    for row in rows:
        column = next((c for c, text in sorted(row.texts.items()) if EXAMPLE_MARK in text), None)
        if column is not None:
            problems.append(
                Problem(
                    row.location(column),
                    f"第 {row.number} 行是表单自带的示例（含“{EXAMPLE_MARK}”）",
                    hint="示例只是填写样式，请删除这一行（右键行号 → 删除），再填写自己的内容。",
                )
            )
    return problems


def _xlsx_sheet(path: Path, raw: XlsxSheet, base: str | None) -> Sheet:
    """A worksheet's cells as rows, merged values given to the rows below that hold something."""
    sheet = Sheet(path, raw.name, base, merges=raw.merges, hidden=raw.hidden)
    problems = sheet.problems
    texts: dict[int, dict[int, str]] = {}

    def location(row: int, column: int) -> SourceLocation:
        return SourceLocation(path, cell=f"{raw.name}!{column_letter(column)}{row}")

    for (row, column), cell in sorted(raw.cells.items()):
        here = location(row, column)
        cells = texts.setdefault(row, {})
        if cell.error is not None:
            problems.append(_error_value(here, cell.error))
        elif not cell.cached:
            problems.append(
                Problem(
                    here,
                    f"公式{f' {cell.formula} ' if cell.formula else ''}没有保存计算结果",
                    hint="这个文件不是由 Excel 或 WPS 保存的：请用 Excel 或 WPS 打开它，保存一次，"
                    "再运行 huibao。",
                )
            )
        elif cell.text is not None:
            text = _checked(cell.text, here, problems)
            if text is not None:
                cells[column] = text
    numbers = sorted(texts)
    for merge in raw.merges:
        top = texts.get(merge.min_row, {}).get(merge.min_column)
        start = bisect.bisect_left(numbers, merge.min_row)
        end = bisect.bisect_right(numbers, merge.max_row)
        for row in numbers[start:end]:
            hidden = [
                column
                for column in texts[row]
                if merge.min_column <= column <= merge.max_column
                and (row, column) != (merge.min_row, merge.min_column)
            ]
            for column in hidden:  # reported, then read as what shows: nothing
                problems.append(
                    Problem(
                        location(row, column),
                        f"这个单元格被合并单元格 {merge} 遮住了，但其中还有内容"
                        f"“{_shorten(texts[row].pop(column))}”",
                        hint="合并后只有左上角的内容看得见：请取消合并，确认这些内容是否要保留。",
                    )
                )
            if top is not None and row != merge.min_row:
                texts[row][merge.min_column] = top
    if not raw.hidden:
        problems += _hidden_rows(raw, numbers, texts, location)
    sheet.rows = [Row(path, raw.name, number, texts[number]) for number in numbers if texts[number]]
    problems += _example_rows(sheet.rows)
    return sheet


def _hidden_rows(
    raw: XlsxSheet,
    numbers: list[int],
    texts: dict[int, dict[int, str]],
    location: Callable[[int, int], SourceLocation],
) -> list[Problem]:
    """Hidden rows and columns that hold something: whether they belong in the report is a
    question, not a guess (a filter left on, or rows hidden instead of deleted)."""
    problems: list[Problem] = []
    hint = "看不见的内容是否要写入报告无法确定：要写入，请取消隐藏；不要，请删除这些行或列。"
    runs: list[list[int]] = []
    previous = 0
    for number in numbers:
        if number in raw.hidden_rows:
            if runs and runs[-1][-1] == previous:
                runs[-1].append(number)
            else:
                runs.append([number])
        previous = number
    for run in runs:
        span = f"第 {run[0]} 行" if len(run) == 1 else f"第 {run[0]}–{run[-1]} 行"
        problems.append(
            Problem(
                location(run[0], min(texts[run[0]], default=1)),
                f"{span}是隐藏的，其中有内容",
                hint=hint,
            )
        )
    first_rows: dict[int, int] = {}
    for number in numbers:
        for column in texts[number]:
            first_rows.setdefault(column, number)
    for column, row in sorted(first_rows.items()):
        if any(low <= column <= high for low, high in raw.hidden_columns):
            problems.append(
                Problem(
                    location(row, column),
                    f"{column_letter(column)} 列是隐藏的，其中有内容",
                    hint=hint,
                )
            )
    return problems


def _shorten(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _read_workbook(path: Path) -> list[Sheet]:
    """The sheets of an .xlsx workbook worth reading, in workbook order: all but hidden sheets
    huibao does not read and the form's 说明; of unknown sheets only their first rows."""
    sheets: list[Sheet] = []
    with XlsxWorkbook(path) as book:
        for entry in book.sheets:
            base = sheet_base(entry.name)
            if base is None and (entry.hidden or header_key(entry.name) == NOTES_SHEET):
                continue
            limit = MAX_ROWS + 1 if base is not None else UNKNOWN_SHEET_ROWS
            raw = book.read(entry, max_rows=limit)
            if base is not None and raw.truncated:
                raise FileAccessError(
                    path=path,
                    reason=f"工作表“{entry.name}”中有内容的行超过上限 {MAX_ROWS} 行",
                    hint="一份报告用不了这么多行，请确认选对了文件；确实需要时请拆成几份报告。",
                )
            sheets.append(_xlsx_sheet(path, raw, base))
    return sheets


# --- CSV ----------------------------------------------------------------------------------------


def _sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: ``,``, ``;`` (Excel in some regions) or tab (Excel's
    “Unicode 文本”). The one found outside quotes in the most of the first records, then the
    one whose count per record varies least; a comma when in doubt."""
    candidates = (",", "\t", ";")
    counts: list[dict[str, int]] = []
    current = dict.fromkeys(candidates, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in current:
            current[char] += 1
        elif char in "\r\n":  # an empty record between \r and \n counts for nothing
            counts.append(current)
            current = dict.fromkeys(candidates, 0)
            if len(counts) >= 30:
                break
    counts.append(current)

    def score(candidate: str) -> tuple[int, int]:
        found = [record[candidate] for record in counts if record[candidate]]
        steady = max((found.count(value) for value in set(found)), default=0)
        return len(found), steady

    best = max(candidates, key=score)  # max keeps the first of equals: the comma
    return best if score(best)[0] else ","


def read_csv_rows(path: Path) -> tuple[list[Row], list[Problem]]:
    """A CSV file's rows with content, and notes (the encoding it was read in).

    Read like a YAML file: UTF-8 (BOM or not), UTF-16 with a BOM (Excel's “Unicode 文本”) or
    GB18030/GBK with a note. The delimiter is found from the text, or named by a first line
    ``sep=;`` as Excel writes it.
    """
    text, notes = read_text(path)
    skipped = 0
    first_line, _, rest = text.partition("\n")
    declared = re.fullmatch(r"sep=(.)\r?", first_line)
    if declared:
        text, skipped = rest, 1
    delimiter = declared[1] if declared else _sniff_delimiter(text)
    rows: list[Row] = []
    # newline="": a quoted cell may hold line breaks; strict: an unclosed quote is an error, not
    # a cell that silently swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    record_line = 1
    try:
        for row_number, values in enumerate(reader, start=1):
            texts = {
                column: value.replace("\r\n", "\n").replace("\r", "\n").strip()
                for column, value in enumerate(values, start=1)
                if value.strip()
            }
            if texts:
                rows.append(Row(path, None, row_number, texts))
                if len(rows) > MAX_ROWS + 1:
                    raise FileAccessError(
                        path=path, reason=f"文件中有内容的行超过上限 {MAX_ROWS} 行"
                    )
            record_line = reader.line_num + 1
    except csv.Error:
        raise InputError(
            file=path,
            problems=[
                Problem(
                    SourceLocation(path, line=record_line + skipped),
                    "CSV 格式有误：英文双引号不成对，或单元格中有不该出现的换行",
                    hint="请在这一行附近检查英文双引号，或用 Excel/WPS 打开后重新“另存为 CSV”。",
                )
            ],
        ) from None
    return rows, notes


def _read_csv(path: Path) -> tuple[list[Sheet], list[Problem]]:
    """The sections of a CSV report, or its one table, and the notes of reading it.

    A CSV report is the workbook's sheets one after another: the 基本信息 rows first, then a row
    holding only a sheet name (指标, 任务, 目标) and that sheet's header and rows, and so on.
    A CSV without such rows is one table.
    """
    rows, notes = read_csv_rows(path)
    sections = [Sheet(path, INFO_SHEET, INFO_SHEET)]
    for row in rows:
        name = row.texts.get(1, "")
        base = sheet_base(name) if len(row.texts) == 1 else None
        if base is not None:  # a row naming a sheet: 任务, or 任务（续） continuing it
            section = Sheet(path, name, base)
            repeated = header_key(name) == base
            if repeated and any(earlier.base == base and earlier.rows for earlier in sections):
                section.problems.append(
                    Problem(
                        row.first().location,
                        f"“{name}”部分出现了两次",
                        hint=f"请把两处“{name}”的各行合并到一处，删去这一行。",
                    )
                )
            sections.append(section)
            continue
        sections[-1].rows.append(row)
    if len(sections) == 1:
        sections = [Sheet(path, "", None, rows)]
    for section in sections:
        checked: list[Row] = []
        for row in section.rows:
            texts: dict[int, str] = {}
            for column, text in row.texts.items():
                kept = _checked(text, row.location(column), section.problems)
                if kept is not None:
                    texts[column] = kept
            checked.append(dataclasses.replace(row, texts=texts))
        section.rows = checked
        section.problems += _example_rows(section.rows)
    return sections, notes


# --- the sheets of a file -----------------------------------------------------------------------


@dataclass
class _Book:
    """The sheets of a workbook or the sections of a CSV file, taken one name at a time."""

    path: Path
    sheets: list[Sheet]
    notes: list[Problem]
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_csv(self) -> bool:
        return self.path.suffix.lower() == ".csv"

    def take(self, base: str) -> list[Sheet]:
        """The sheet ``base`` and the sheets that continue it, in workbook order, main first."""
        found = [sheet for sheet in self.sheets if sheet.base == base]
        found.sort(key=lambda sheet: header_key(sheet.name) != base)
        for sheet in found:
            self._use(sheet)
        return found

    def take_one_table(self) -> list[Sheet]:
        """A CSV file's one table (a file without section rows)."""
        found = [sheet for sheet in self.sheets if sheet.base is None and self.is_csv]
        for sheet in found:
            self._use(sheet)
        return found

    def _use(self, sheet: Sheet) -> None:
        sheet.used = True
        self.problems += sheet.problems
        if sheet.hidden and sheet.rows:
            self.problems.append(
                Problem(
                    sheet.where(),
                    f"工作表“{sheet.name}”是隐藏的",
                    hint="看不见的内容是否要写入报告无法确定：请右键工作表标签 → 取消隐藏，"
                    "确认内容后再运行；不需要的工作表请删除。",
                )
            )

    def leftovers(self, kind: ReportKind | None, wanted: tuple[str, ...]) -> list[Problem]:
        """Sheets with content that were not read: an error when they look like a table huibao
        reads, a note (in ``self.notes``) otherwise. ``kind`` is ``None`` for ``figures_from``,
        which reads the 指标 of any workbook and leaves its other sheets alone."""
        problems: list[Problem] = []
        for sheet in self.sheets:
            if sheet.used or sheet.hidden or not sheet.rows:
                continue
            if sheet.base is not None:
                if kind is not None:
                    problems.append(_unused_sheet(sheet, sheet.base, kind))
                continue
            tables = wanted if kind is None else tuple(_TABLE_COLUMNS)
            table = next((name for name in tables if _looks_like(sheet, name)), None)
            if table is None:
                self.notes.append(
                    Problem(
                        sheet.where(),
                        f"工作表“{sheet.name}”不是 huibao 读取的工作表，其中的内容没有写入报告",
                        hint=f"huibao 只读取{'、'.join(wanted)}工作表；"
                        "这张表的内容如果要写入报告，请移到相应的工作表中。",
                    )
                )
            elif table in wanted:
                problems.append(
                    Problem(
                        sheet.where(),
                        f"工作表“{sheet.name}”的列名与“{table}”表相同，但它的内容不会写入报告",
                        hint=f"huibao 只读取名为“{table}”的工作表（及“{table}（续）”“{table}2”等）："
                        f"这些行要写入报告，请移到“{table}”表中，或把这张工作表改名为“{table}（续）”；"
                        "不需要，请删除这张工作表。",
                    )
                )
            elif kind is not None:
                problems.append(_unused_sheet(sheet, table, kind))
        return problems


def _unused_sheet(sheet: Sheet, table: str, kind: ReportKind) -> Problem:
    return Problem(
        sheet.where(),
        f"{kind.label}不使用“{table}”表，{sheet.label}的内容不会写入报告",
        hint=f"如果用错了表单，请用 huibao form {kind.name} 生成的工作簿填写；"
        "不需要这张表，请删除它。",
    )


def _looks_like(sheet: Sheet, table: str) -> bool:
    """Whether a row near the top of ``sheet`` holds two or more column names of ``table``."""
    titles = {header_key(title) for title in _TABLE_COLUMNS[table].titles.values()}
    return any(
        sum(header_key(text) in titles for text in row.texts.values()) >= 2
        for row in sheet.rows[:UNKNOWN_SHEET_ROWS]
    )


def _read_book(path: Path) -> _Book:
    if path.suffix.lower() == ".csv":
        sheets, notes = _read_csv(path)
        return _Book(path, sheets, notes)
    return _Book(path, _read_workbook(path), [])


# --- tables -----------------------------------------------------------------------------------


def _table(sheets: list[Sheet], columns: Columns) -> tuple[Table, list[Problem]]:
    """Rows keyed by field name through each sheet's header row, one sheet after another."""
    table: Table = []
    problems: list[Problem] = []
    for sheet in sheets:
        rows, found = _sheet_table(sheet, columns)
        table += rows
        problems += found
    return table, problems


def _sheet_table(sheet: Sheet, columns: Columns) -> tuple[Table, list[Problem]]:
    if not sheet.rows:
        return [], []
    titles = "、".join(columns.titles.values())
    header_at = next(
        (
            index
            for index, row in enumerate(sheet.rows)
            if any(header_key(text) in columns.known for text in row.texts.values())
        ),
        None,
    )
    if header_at is None:
        return [], [
            Problem(
                sheet.where(),
                f"{sheet.label}没有列名行",
                hint=f"第一行应是列名：{titles}（可参照 huibao form 生成的表格）。",
            )
        ]
    header, body = sheet.rows[header_at], sheet.rows[header_at + 1 :]
    problems = [
        Problem(
            row.first().location,
            f"第 {row.number} 行在列名行之上，其中的内容不会读取",
            hint="列名行应是表格的第一行：请删除这一行（报告标题请填在“基本信息”的“标题”中）。",
        )
        for row in sheet.rows[:header_at]
    ]
    fields: dict[int, str] = {}
    seen: dict[str, CellText] = {}
    for column, text in sorted(header.texts.items()):
        cell = header.cell(column)
        name = columns.known.get(header_key(text))
        if name is None:
            problems.append(
                _unknown_label(cell, f"{sheet.label}中不认识的列名“{text}”", columns.known)
            )
        elif name in seen:
            problems.append(
                Problem(
                    cell.location,
                    f"列名“{text}”重复出现（第一次在 {seen[name].location.cell}）",
                    hint="每一列只能出现一次：请删除多余的一列，或把内容合并到一列。",
                )
            )
        else:
            seen[name] = cell
            fields[column] = name
    hidden_titles, merge_problems = _merges(sheet, header, body, fields, columns)
    problems += merge_problems
    problems += _stray_columns(body, set(header.texts) | hidden_titles)
    table = [{name: row.cell(column) for column, name in fields.items()} for row in body]
    return table, problems


def _merges(
    sheet: Sheet, header: Row, body: list[Row], fields: dict[int, str], columns: Columns
) -> tuple[set[int], list[Problem]]:
    """Merged cells that hide something: a column title (merged across the header), a title
    merged down into the rows below, one value over two named columns (merged across in the
    body). A merge over cells that hold nothing (formatting beyond the table) hides nothing.
    Also returns the columns whose title a merge hides."""
    problems: list[Problem] = []
    hidden: set[int] = set()
    used_columns = {column for row in body for column in row.texts}
    numbers = [row.number for row in body]
    for merge in sheet.merges:
        covered = [c for c in sorted(used_columns) if merge.min_column < c <= merge.max_column]
        rows_below = bisect.bisect_right(numbers, merge.max_row) - bisect.bisect_left(
            numbers, merge.min_row
        )
        if merge.min_row <= header.number <= merge.max_row:
            if covered:
                hidden.update(covered)
                letters = "、".join(column_letter(column) for column in covered[:5])
                missing = [
                    title for name, title in columns.titles.items() if name not in fields.values()
                ]
                message = f"列名单元格 {merge} 是合并单元格，遮住了 {letters} 列的列名"
                if missing:
                    message += f"；表中缺少的列名：{'、'.join(missing)}"
                problems.append(
                    Problem(
                        header.location(merge.min_column),
                        message,
                        hint="请取消合并，在每一列的第一行各写一个列名。",
                    )
                )
            if rows_below and merge.min_column in header.texts:
                problems.append(
                    Problem(
                        header.location(merge.min_column),
                        f"列名单元格 {merge} 向下合并到了第 {merge.max_row} 行",
                        hint="列名只占一行，下面各行都是内容：请取消合并。",
                    )
                )
        elif merge.min_row > header.number and rows_below:
            named = [
                f"“{columns.titles[name]}”"
                for column, name in sorted(fields.items())
                if merge.min_column <= column <= merge.max_column
            ]
            if len(named) > 1:
                problems.append(
                    Problem(
                        SourceLocation(
                            header.path,
                            cell=_cell_name(header.sheet, merge.min_column, merge.min_row),
                        ),
                        f"单元格 {merge} 把{'、'.join(named)}几列合并成了一格，后面几列的内容无法读取",
                        hint="每一列应各有自己的单元格：请取消合并，分别填写。",
                    )
                )
    return hidden, problems


def _cell_name(sheet: str | None, column: int, row: int) -> str:
    reference = f"{column_letter(column)}{row}"
    return reference if sheet is None else f"{sheet}!{reference}"


def _stray_columns(body: list[Row], headed: set[int]) -> list[Problem]:
    """Columns with content but no header: once per column, at its first such cell."""
    first: dict[int, Row] = {}
    for row in body:
        for column in row.texts:
            if column not in headed:
                first.setdefault(column, row)
    problems: list[Problem] = []
    for column, row in sorted(first.items()):
        if row.sheet is None:
            problem = Problem(
                row.location(column),
                "这一行比列名行多出了单元格，多出的内容不会读取",
                hint="可能多写了英文逗号：文字中的逗号请用中文逗号“，”，或把整格文字放在英文双引号中；"
                "如果这一列要读取，请在列名行写上列名。",
            )
        else:
            problem = Problem(
                row.location(column),
                f"{column_letter(column)} 列有内容，但没有列名，其中的内容不会读取",
                hint="huibao 只读取有列名的列：这些内容要写入报告，请移到相应的列中；"
                "不需要，请删除这一列。",
            )
        problems.append(problem)
    return problems


def _unknown_label(cell: CellText, message: str, known: dict[str, str]) -> Problem:
    """A column name or 基本信息 item huibao does not know: the closest Chinese one, and all."""
    chinese = [key for key in known if not key.isascii()]
    close = difflib.get_close_matches(header_key(cell.text or ""), chinese, n=1, cutoff=0.5)
    guess = f"是否想写“{close[0]}”？" if close else ""
    return Problem(cell.location, message, hint=f"{guess}可以写：{'、'.join(chinese)}。")


def _figures(
    table: Table, data: dict[str, Any], locations: dict[DataPath, SourceLocation]
) -> list[Problem]:
    """The named figures of a table; a name given twice, or a row without a name, is an error."""
    problems: list[Problem] = []
    first: dict[str, CellText] = {}
    for row in table:
        name_cell = row.get(FIGURE_NAME_HEADER)
        if name_cell is None or name_cell.text is None:
            filled = [cell for cell in row.values() if cell.text is not None]
            if filled:
                problems.append(
                    Problem(
                        (name_cell or filled[0]).location,
                        "这一行有内容，但没有填写“名称”",
                        hint="正文用 {名称} 引用指标，指标必须有名称：请填写名称，或删除这一行。",
                    )
                )
            continue
        name = name_cell.text
        if name in first:
            problems.append(
                Problem(
                    name_cell.location,
                    f"指标“{name}”重复出现（第一次在 {first[name].location.cell}）",
                    hint="同一个指标只能写一行：请删除其中一行，或改用不同的名称。",
                )
            )
            continue
        first[name] = name_cell
        figure: dict[str, Any] = {}
        locations[("figures", name)] = name_cell.location
        for field_name, cell in row.items():
            if field_name != FIGURE_NAME_HEADER:
                locations[("figures", name, field_name)] = cell.location  # also when empty
                if cell.text is not None:
                    figure[field_name] = cell.text
        data[name] = figure
    return problems


def load_figures_file(path: Path) -> LoadedSource:
    """The named figures of an .xlsx (its 指标 sheet) or a .csv file, for ``figures_from``."""
    check_input_path(path)
    book = _read_book(path)
    sheets = book.take(FIGURES_SHEET) or book.take_one_table()
    if not sheets:
        place = "文件" if book.is_csv else "工作簿"
        raise FileAccessError(
            path=path,
            reason=f"{place}中没有“{FIGURES_SHEET}”工作表",
            hint="指标应在名为“指标”的工作表中，第一行是列名（名称、数值、单位…）；"
            "可用 huibao form work-summary 生成这样的工作簿。",
        )
    table, problems = _table(sheets, FIGURE_COLUMNS)
    figures: dict[str, Any] = {}
    locations: dict[DataPath, SourceLocation] = {}
    problems += _figures(table, figures, locations)
    problems += book.leftovers(None, (FIGURES_SHEET,))
    return LoadedSource(
        path,
        {"figures": figures},
        locations,
        dict(locations),
        book.notes,
        problems=[*book.problems, *problems],
    )


def load_workbook_source(path: Path) -> LoadedSource:
    """A whole report from an .xlsx workbook or a .csv file laid out the same way: 基本信息,
    指标 and, for the table kinds, the sheet of table rows.

    Problems of the cells come back in ``LoadedSource.problems``, so validation reports them
    together with the schema's; only a file that cannot be read at all stops here.
    """
    check_input_path(path)
    book = _read_book(path)
    if book.is_csv and not any(sheet.rows for sheet in book.sheets):
        raise FileAccessError(
            path=path,
            reason="文件是空的（没有任何内容）",
            hint="请按 huibao form 类型 -o 文件.csv 生成的样式填写。",
        )
    info = book.take(INFO_SHEET)
    if not info:
        if book.take_one_table():
            raise FileAccessError(
                path=path,
                reason="这个 CSV 文件只有一张表，没有“基本信息”",
                hint="整份报告的 CSV 先写 基本信息 各行（标题、发文机关、年度…），再写一行“指标”"
                "或“任务”“目标”及该表；huibao form 类型 -o 文件.csv 可生成样式。"
                "只有指标的 CSV 请在 YAML 中用 figures_from 引用。",
            )
        names = "、".join(f"“{sheet.name}”" for sheet in book.sheets) or "没有可读的工作表"
        raise FileAccessError(
            path=path,
            reason=f"工作簿中没有“{INFO_SHEET}”工作表（现有：{names}）",
            hint="工作簿应有“基本信息”（标题、发文机关、年度等）工作表；可用 huibao form 生成空白表。",
        )
    data: dict[str, Any] = {}
    values: dict[DataPath, SourceLocation] = {}
    keys: dict[DataPath, SourceLocation] = {}
    kind = _kind_of(info)
    problems = _info(info, kind, data, values, keys)
    table, found = _table(book.take(FIGURES_SHEET), FIGURE_COLUMNS)
    problems += found
    figures: dict[str, Any] = {}
    problems += _figures(table, figures, values)
    if figures:
        data["figures"] = figures
    wanted: tuple[str, ...] = (INFO_SHEET, FIGURES_SHEET)
    if kind is not None and kind.name in TABLE_SHEETS:
        sheet_name = TABLE_SHEETS[kind.name]
        wanted += (sheet_name,)
        table_sheets = book.take(sheet_name)
        if not table_sheets:  # nothing to validate: say so with what was found so far
            place = "文件中没有" if book.is_csv else "工作簿中没有"
            missing = Problem(
                SourceLocation(path),
                f"{place}“{sheet_name}”工作表",
                hint=f"请按 huibao form {kind.name} 生成的格式填写。",
            )
            raise InputError(file=path, problems=[*book.problems, *problems, missing])
        problems += _ROW_READERS[kind.name](path, table_sheets, data, values)
    if kind is not None:
        problems += book.leftovers(kind, wanted)
    return LoadedSource(
        path, data, values, {**values, **keys}, book.notes, problems=[*book.problems, *problems]
    )


def _kind_of(sheets: list[Sheet]) -> ReportKind | None:
    """The kind named by the 报告类型 item, if it names one."""
    for sheet in sheets:
        for row in sheet.rows:
            label, value = row.texts.get(1), row.texts.get(2)
            if label is not None and header_key(label) in _KIND_LABELS:
                return KINDS.get((value or "").strip())
    return None


def _info_known(kind: ReportKind | None) -> dict[str, str]:
    """The 基本信息 items of ``kind`` (of every kind, while the kind is not known)."""
    known: dict[str, str] = {}
    for model in [kind.model] if kind else [each.model for each in KINDS.values()]:
        fields = model.model_fields
        for name in INFO_FIELDS:
            if name in fields:
                title = fields[name].title
                known[header_key(name)] = name
                if title:
                    known[header_key(title)] = name
    return known


def _info(
    sheets: list[Sheet],
    kind: ReportKind | None,
    data: dict[str, Any],
    values: dict[DataPath, SourceLocation],
    keys: dict[DataPath, SourceLocation],
) -> list[Problem]:
    """The 基本信息 items: a label in column A, its value in column B, nothing else."""
    known = _info_known(kind)
    problems: list[Problem] = []
    seen: dict[str, CellText] = {}
    for sheet in sheets:
        for row in sheet.rows:
            label, value = row.cell(1), row.cell(2)
            extra = [column for column in sorted(row.texts) if column > 2]
            if extra:
                problems.append(
                    Problem(
                        row.location(extra[0]),
                        f"“{INFO_SHEET}”只有两列（项目、内容），这一格的内容不会读取",
                        hint="每个项目的内容写在 B 列的一个单元格里（多段请按 Alt+Enter 换行）；"
                        "不需要的内容请删除。",
                    )
                )
            if label.text is None:
                if value.text is not None:
                    problems.append(
                        Problem(
                            value.location,
                            "这一格有内容，但左边没有项目名称，它的内容不会读取",
                            hint="请在 A 列写上项目名称（如 开头、结尾），或删除这一格。",
                        )
                    )
                continue
            if header_key(label.text) in _HEADER_WORDS and (
                value.text is None or header_key(value.text) in _VALUE_WORDS
            ):
                continue
            name = known.get(header_key(label.text))
            if name is None:
                problems.append(
                    _unknown_label(label, f"“{INFO_SHEET}”中不认识的项目“{label.text}”", known)
                )
                continue
            if name in seen:
                problems.append(
                    Problem(
                        label.location,
                        f"项目“{label.text}”重复出现（第一次在 {seen[name].location.cell}）",
                        hint="每个项目只能写一行：请删除其中一行，或把内容合并到一格。",
                    )
                )
                continue
            seen[name] = label
            keys[(name,)] = label.location
            values[(name,)] = value.location  # also when empty: where a missing value goes
            if value.text is not None:
                data[name] = _date_serial(value.text) if name == "date" else value.text
    return problems


def _date_serial(text: str) -> str:
    """An Excel date serial (``44449``) typed into a date field, as a date."""
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return excel_date(float(text)).date().isoformat()
    return text


def _tasks(
    path: Path,
    sheets: list[Sheet],
    data: dict[str, Any],
    locations: dict[DataPath, SourceLocation],
) -> list[Problem]:
    """The 任务 sheet: a row with a new 序号 starts a task; an empty or repeated 序号 continues it."""
    table, problems = _table(sheets, TASK_COLUMNS)
    tasks: list[dict[str, Any]] = []
    last_number: str | None = None
    for row in table:
        number = row.get(NUMBER_HEADER)
        entry: dict[str, Any] = {}
        continues = bool(tasks) and (
            number is None or number.text is None or number.text == last_number
        )
        if continues:
            index = len(tasks) - 1
            continued = tasks[index].setdefault("continued", [])
            base: DataPath = ("tasks", index, "continued", len(continued))
            continued.append(entry)
        else:
            base = ("tasks", len(tasks))
            tasks.append(entry)
            last_number = number.text if number is not None else None
        locations[base] = _row_location(path, row)
        for field_name, cell in row.items():
            if field_name == NUMBER_HEADER:
                continue
            locations[(*base, field_name)] = (
                cell.location
            )  # also when empty: a missing value's place
            if cell.text is not None:
                entry[field_name] = (
                    parse_points(cell.text) if field_name == "progress" else cell.text
                )
    data["tasks"] = tasks
    return problems


def _row_location(path: Path, row: dict[str, CellText]) -> SourceLocation:
    """Where a table row starts: its first known cell (a row may have none if headers are wrong)."""
    return next(iter(row.values())).location if row else SourceLocation(path)


def _targets(
    path: Path,
    sheets: list[Sheet],
    data: dict[str, Any],
    locations: dict[DataPath, SourceLocation],
) -> list[Problem]:
    """The 目标 sheet of performance-review, laid out like the table itself.

    A new 考评维度 starts a dimension and a new 目标（指标）名称 a target; a row whose name is empty
    or repeats the one above (what a merged cell gives) is a further row of that target. A name
    typed as ``★小区改造`` marks a key target, as the column 重点目标 does.
    """
    table, problems = _table(sheets, TARGET_COLUMNS)
    dimensions: list[dict[str, Any]] = []
    target_cell: str | None = None
    key_cell: str | None = None
    for row in table:
        dimension = row.get(DIMENSION_HEADER)
        if not dimensions or (
            dimension is not None
            and dimension.text is not None
            and dimension.text != dimensions[-1].get("name")
        ):
            here: DataPath = ("dimensions", len(dimensions))
            locations[here] = _row_location(path, row)
            dimensions.append({"targets": []})
            if dimension is not None and dimension.text is not None:
                dimensions[-1]["name"] = dimension.text
                locations[(*here, "name")] = dimension.location
            target_cell = None
        d = len(dimensions) - 1
        targets: list[dict[str, Any]] = dimensions[-1]["targets"]
        name = row.get("name")
        key = row.get("key")
        entry: dict[str, Any] = {}
        if targets and (name is None or name.text is None or name.text == target_cell):
            continued = targets[-1].setdefault("continued", [])
            base: DataPath = ("dimensions", d, "targets", len(targets) - 1, "continued")
            base = (*base, len(continued))
            continued.append(entry)
            if key is not None and key.text is not None and key.text != key_cell:
                problems.append(
                    Problem(
                        key.location,
                        f"续行的“重点目标”（{key.text}）与本目标第一行（{key_cell or '空'}）不同",
                        hint="同一目标的各行是一个目标：重点目标只在第一行填写。",
                    )
                )
        else:
            base = ("dimensions", d, "targets", len(targets))
            targets.append(entry)
            target_cell = name.text if name is not None else None
            key_cell = key.text if key is not None else None
            problems += _target_name(entry, name, key, base, locations)
        locations[base] = _row_location(path, row)
        for field_name in ("indicator", "completion"):
            cell = row.get(field_name)
            if cell is None:
                continue
            locations[(*base, field_name)] = (
                cell.location
            )  # also when empty: a missing value's place
            if cell.text is None:
                continue
            if field_name == "indicator":
                entry[field_name] = parse_points(cell.text)
            else:
                entry[field_name] = [
                    part.model_dump(exclude_defaults=True) for part in parse_completion(cell.text)
                ]
    data["dimensions"] = dimensions
    return problems


def _target_name(
    entry: dict[str, Any],
    name: CellText | None,
    key: CellText | None,
    base: DataPath,
    locations: dict[DataPath, SourceLocation],
) -> list[Problem]:
    """A target's name and 重点目标 flag; ``★`` before the name means 重点目标 = 是."""
    starred = False
    if name is not None and name.text is not None:
        starred = name.text.startswith(KEY_MARK)
        text = name.text.removeprefix(KEY_MARK).strip()
        if text:
            entry["name"] = text
        locations[(*base, "name")] = name.location
    if key is not None and key.text is not None:
        entry["key"] = key.text
        locations[(*base, "key")] = key.location
        if starred and _flag_value(key.text) is False:
            return [
                Problem(
                    key.location,
                    f"目标名称前有 {KEY_MARK}，但“重点目标”填的是“{key.text}”",
                    hint=f"重点目标请填“是”；不是重点目标，请删去名称前的 {KEY_MARK}。",
                )
            ]
    elif starred:
        entry["key"] = "是"
    return []


def _flag_value(text: str) -> bool | None:
    """A 是/否 cell read as the schema reads it; ``None`` if it is neither (validation says so)."""
    try:
        return _FLAG.validate_python(text)
    except ValidationError:
        return None


_FLAG: TypeAdapter[bool] = TypeAdapter(Flag)
_ROW_READERS = {"task-progress": _tasks, "performance-review": _targets}
"""How each kind in ``TABLE_SHEETS`` reads its sheet of table rows."""


FIGURES_FROM_SUFFIXES = frozenset({".xlsx", ".xlsm", ".csv"})
_FIGURES_FROM = readable_path(ReportBase, ("figures_from",))


def with_figures_from(source: LoadedSource) -> LoadedSource:
    """Merge the figures of the file named by ``figures_from`` (beside the input) into ``source``.

    Every problem comes back in ``problems``, for validation to report with the schema's, and
    those of the file itself name the ``figures_from`` line too. A figure defined both in the
    input and in that file is an error: which one counts would be a guess, and a wrong number
    in a report is worse than a question.
    """
    reference = source.data.get("figures_from")
    if not isinstance(reference, str) or not reference.strip():
        return source
    here = source.locate(("figures_from",))
    other = source.path.parent / reference.strip()
    if other.suffix.lower() not in FIGURES_FROM_SUFFIXES:
        return _with_problems(
            source,
            Problem(
                here,
                f"figures_from 应是 .xlsx 或 .csv 文件，这里是“{reference}”",
                field=_FIGURES_FROM,
                hint="请写指标工作簿或 CSV 文件的文件名，如 figures_from: 2024指标.xlsx。",
            ),
        )
    try:
        loaded = load_figures_file(other)
    except FileAccessError as error:
        return _with_problems(
            source,
            Problem(
                here,
                f"figures_from 引用的文件“{reference}”无法读取：{error.reason}",
                field=_FIGURES_FROM,
                hint=error.hint
                if other.exists()
                else f"该文件应与 {source.path.name} 在同一文件夹（{other.parent}）中，请检查文件名。",
            ),
        )
    except InputError as error:
        return _with_problems(
            source,
            Problem(
                here,
                f"figures_from 引用的文件“{reference}”无法读取",
                field=_FIGURES_FROM,
                hint=f"原因见 {other.name} 的问题。",
            ),
            *error.problems,
        )
    own = source.data.get("figures") or {}
    if not isinstance(own, dict):
        return source  # validation reports the malformed figures table
    taken = loaded.data["figures"]
    clashes = [
        Problem(
            source.locate(("figures", name), prefer_key=True),
            f"指标“{name}”在本文件和 {other.name} 中都有定义",
            field=readable_path(ReportBase, ("figures", name)),
            hint=f"只保留一处：删去本文件中的这一项，或删去 {other.name} 中的那一行。",
        )
        for name in own
        if name in taken
    ]
    if loaded.problems:
        clashes.insert(
            0,
            Problem(
                here,
                f"figures_from 引用的文件“{reference}”有问题",
                field=_FIGURES_FROM,
                hint=f"请按同时列出的 {other.name} 的各条问题修改。",
            ),
        )
    return dataclasses.replace(
        source,
        data={**source.data, "figures": {**taken, **own}},
        value_locations={**loaded.value_locations, **source.value_locations},
        key_locations={**loaded.key_locations, **source.key_locations},
        notes=[*source.notes, *loaded.notes],
        problems=[*source.problems, *clashes, *loaded.problems],
    )


def _with_problems(source: LoadedSource, *problems: Problem) -> LoadedSource:
    return dataclasses.replace(source, problems=[*source.problems, *problems])
