"""Stage 1 for spreadsheets: read an .xlsx workbook or a .csv table into the same plain data and
locations as a YAML file, so validation and its messages work unchanged.

A workbook has a 基本信息 sheet (项目 | 内容: 标题, 发文机关, 年度 …), a 指标 sheet (the named
figures: 名称 | 数值 | 单位 | 目标 | 上年 | 精度 | 来源) and, for task-progress, a 任务 sheet whose
headers are the table's Chinese column names. A .csv file holds one table: the figures, for
``figures_from``. Every value keeps the cell it came from, so problems read ``2024.xlsx:指标!C7``.

Cells are read the way staff expect: merged cells give their value to every cell they cover;
empty rows are skipped; surrounding spaces dropped; numbers stored as text are numbers; percent
cells (0.824 shown as 82.4%) are percentages; formulas give their cached result (none cached is an
error: the file was never opened and saved in Excel); dates in date fields may be Excel serials.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import TypeAdapter, ValidationError

from generator.cell_text import parse_completion, parse_points
from generator.errors import FileAccessError, InputError, Problem, SourceLocation
from generator.introspect import readable_path
from generator.load import LoadedSource, check_input_path, read_text
from schemas import KINDS, ReportBase
from schemas.base import DataPath, Flag
from schemas.figures import Figure
from schemas.performance_review import Target
from schemas.task_progress import TaskRow

INFO_SHEET = "基本信息"
FIGURES_SHEET = "指标"
TASKS_SHEET = "任务"
TARGETS_SHEET = "目标"
TABLE_SHEETS = {"task-progress": TASKS_SHEET, "performance-review": TARGETS_SHEET}
"""The kinds whose table rows come from a sheet of their own, and that sheet's name."""
DIMENSION_HEADER = "考评维度"
INFO_FIELDS = ("kind", "title", "org", "year", "date", "period", "opening", "closing", "signature")
"""The 基本信息 items, in the form's order: front matter given in one cell each (a table, the
figures or a nested part of the report is never a 基本信息 item, though it has a Chinese title)."""
CSV_FIRST_SECTION = INFO_SHEET
CSV_SECTIONS = frozenset({INFO_SHEET, FIGURES_SHEET, *TABLE_SHEETS.values()})
CSV_ONE_TABLE = ""
"""The name under which a CSV file without section rows is returned: one table."""
KEY_MARK = "★"
NUMBER_HEADER = "序号"
FIGURE_NAME_HEADER = "名称"
MAX_ROWS = 2000
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


@dataclass(frozen=True)
class CellText:
    """A cell's content as text (``None``: empty), with where it is."""

    text: str | None
    location: SourceLocation


Table = list[dict[str, CellText]]
"""Rows of a sheet below its header row, keyed by the (normalised) header."""


def header_key(text: str) -> str:
    """Headers compare without spaces and with （）/() alike: ``目标(指标)名 称`` = ``目标（指标）名称``."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def field_titles(model: Any) -> dict[str, str]:
    """``{header key: field name}`` for a model: its Chinese titles and its English names."""
    titles: dict[str, str] = {}
    for name, field in model.model_fields.items():
        titles[header_key(name)] = name
        if field.title:
            titles[header_key(field.title)] = name
    return titles


# --- reading files --------------------------------------------------------------------------


def _open_workbook(path: Path, *, data_only: bool) -> Any:
    """Open an .xlsx after checking it is a sane zip: no zip bomb, not a renamed other file."""
    if not zipfile.is_zipfile(path):
        raise FileAccessError(
            path=path,
            reason="这不是有效的 Excel 工作簿（.xlsx）",
            hint="可能是 CSV、旧版 .xls 或其他文件改了扩展名；请在 Excel 中“另存为 .xlsx”。",
        )
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members) or 1
    if unpacked > MAX_UNCOMPRESSED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise FileAccessError(
            path=path,
            reason=f"工作簿解压后过大（{unpacked // 1024 // 1024} MB），拒绝读取",
            hint=f"正常的报告工作簿解压后不超过 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB。",
        )
    try:
        return openpyxl.load_workbook(path, data_only=data_only, read_only=False)
    except Exception as error:  # openpyxl raises many kinds for damaged files
        raise FileAccessError(
            path=path,
            reason=f"工作簿已损坏，无法读取（{type(error).__name__}）",
            hint="请在 Excel 中打开后重新保存，或换用未损坏的文件。",
        ) from None


def _cell_value_text(value: Any, number_format: str) -> str | None:
    """A cell value as the text staff would have typed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in number_format:
            return f"{_plain(number * 100)}%"
        return _plain(number)
    text = str(value).replace("\r\n", "\n").strip()
    return text or None


def _plain(number: Decimal) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _sheet_rows(
    path: Path, sheet: Worksheet, formulas: Worksheet, *, csv_name: bool = False
) -> Iterator[list[CellText]]:
    """Non-empty rows of a sheet, merged cells filled in, formulas replaced by cached values."""
    merged: dict[tuple[int, int], Any] = {}
    for cell_range in sheet.merged_cells.ranges:
        top_left = sheet.cell(cell_range.min_row, cell_range.min_col)
        for merged_row in range(cell_range.min_row, cell_range.max_row + 1):
            for merged_column in range(cell_range.min_col, cell_range.max_col + 1):
                merged[(merged_row, merged_column)] = top_left
    if sheet.max_row > MAX_ROWS + 1:
        raise FileAccessError(
            path=path,
            reason=f"工作表“{sheet.title}”有 {sheet.max_row} 行，超过上限 {MAX_ROWS} 行",
        )
    problems: list[Problem] = []
    for row_number in range(1, sheet.max_row + 1):
        row: list[CellText] = []
        for column in range(1, sheet.max_column + 1):
            cell = merged.get((row_number, column)) or sheet.cell(row_number, column)
            reference = f"{get_column_letter(column)}{row_number}"
            location = SourceLocation(
                path, cell=reference if csv_name else f"{sheet.title}!{reference}"
            )
            text = _cell_value_text(cell.value, cell.number_format)
            formula = formulas.cell(row_number, column).value
            if text is None and isinstance(formula, str) and formula.startswith("="):
                problems.append(
                    Problem(
                        location,
                        f"公式 {formula} 没有保存计算结果",
                        hint="请用 Excel 或 WPS 打开此文件并保存一次，再运行 huibao。",
                    )
                )
            row.append(CellText(text, location))
        if any(cell.text is not None for cell in row):
            yield row
    if problems:
        raise InputError(file=path, problems=problems)


def read_sheet(path: Path, workbook: Any, formulas: Any, name: str) -> list[list[CellText]] | None:
    if name not in workbook.sheetnames:
        return None
    return list(_sheet_rows(path, workbook[name], formulas[name]))


def read_csv_rows(path: Path) -> tuple[list[list[CellText]], list[Problem]]:
    """A CSV file's rows; read like a YAML file: UTF-8 (BOM or not) or GB18030/GBK, with a note."""
    text, notes = read_text(path)
    rows: list[list[CellText]] = []
    # newline="": a quoted cell may hold line breaks; strict: an unclosed quote is an error, not
    # a cell that silently swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    record_line = 1
    try:
        for row_number, values in enumerate(reader, start=1):
            if row_number > MAX_ROWS + 1:
                raise FileAccessError(path=path, reason=f"文件超过 {MAX_ROWS} 行的上限")
            row = [
                CellText(
                    value.strip() or None,
                    SourceLocation(path, cell=f"{get_column_letter(column)}{row_number}"),
                )
                for column, value in enumerate(values, start=1)
            ]
            if any(cell.text is not None for cell in row):
                rows.append(row)
            record_line = reader.line_num + 1
    except csv.Error:
        raise InputError(
            file=path,
            problems=[
                Problem(
                    SourceLocation(path, line=record_line),
                    "CSV 格式有误：英文双引号不成对，或单元格中有不该出现的换行",
                    hint="请在这一行附近检查英文双引号，或用 Excel/WPS 打开后重新“另存为 CSV”。",
                )
            ],
        ) from None
    return rows, notes


# --- tables -----------------------------------------------------------------------------------


def _table(
    path: Path, rows: list[list[CellText]], sheet: str, known: dict[str, str]
) -> tuple[Table, list[Problem]]:
    """Rows keyed by field name through the header row; unknown headers are problems."""
    if not rows:
        return [], []
    header, *body = rows
    problems: list[Problem] = []
    columns: dict[int, str] = {}
    for index, cell in enumerate(header):
        if cell.text is None:
            continue
        name = known.get(header_key(cell.text))
        if name is None:
            problems.append(
                _unknown_label(cell, f"工作表“{sheet}”中不认识的列名“{cell.text}”", known)
            )
            continue
        columns[index] = name
    table = [
        {name: row[index] for index, name in columns.items() if index < len(row)} for row in body
    ]
    return table, problems


def _unknown_label(cell: CellText, message: str, known: dict[str, str]) -> Problem:
    """A column name or 基本信息 item huibao does not know: the closest Chinese one, and all."""
    chinese = [key for key in known if not key.isascii()]
    close = difflib.get_close_matches(header_key(cell.text or ""), chinese, n=1, cutoff=0.5)
    guess = f"是否想写“{close[0]}”？" if close else ""
    return Problem(cell.location, message, hint=f"{guess}可以写：{'、'.join(chinese)}。")


def _figures(table: Table, data: dict[str, Any], locations: dict[DataPath, SourceLocation]) -> None:
    for row in table:
        name_cell = row.get(FIGURE_NAME_HEADER)
        if name_cell is None or name_cell.text is None:
            continue
        name = name_cell.text
        figure: dict[str, Any] = {}
        locations[("figures", name)] = name_cell.location
        for field, cell in row.items():
            if field != FIGURE_NAME_HEADER and cell.text is not None:
                figure[field] = cell.text
                locations[("figures", name, field)] = cell.location
        data[name] = figure


def _figures_known() -> dict[str, str]:
    return {header_key(FIGURE_NAME_HEADER): FIGURE_NAME_HEADER, **field_titles(Figure)}


Sheets = dict[str, list[list[CellText]]]
"""The sheets of a workbook (or sections of a CSV report) that huibao reads, by name."""


def _read_sheets(path: Path, names: tuple[str, ...]) -> tuple[Sheets, list[Problem]]:
    """The named sheets of an .xlsx workbook, or the sections of a .csv file, and any notes.

    A CSV report is the workbook's sheets one after another: the 基本信息 rows first, then a row
    holding only a sheet name (指标, 任务, 目标) and that sheet's header and rows, and so on.
    A CSV without such rows is one table.
    """
    if path.suffix.lower() != ".csv":
        workbook = _open_workbook(path, data_only=True)
        formulas = _open_workbook(path, data_only=False)
        found = {name: read_sheet(path, workbook, formulas, name) for name in names}
        return {name: rows for name, rows in found.items() if rows is not None}, []
    rows, notes = read_csv_rows(path)
    sheets: Sheets = {CSV_FIRST_SECTION: []}
    current = CSV_FIRST_SECTION
    for row in rows:
        filled = [cell for cell in row if cell.text is not None]
        section = row[0].text
        if len(filled) == 1 and section is not None and section in CSV_SECTIONS:
            current = section
            if sheets.get(current):
                raise InputError(
                    file=path,
                    problems=[Problem(row[0].location, f"“{current}”部分出现了两次")],
                )
            sheets[current] = []
            continue
        sheets[current].append(row)
    if len(sheets) == 1:
        return {CSV_ONE_TABLE: rows}, notes
    return sheets, notes


def load_figures_file(path: Path) -> LoadedSource:
    """The named figures of an .xlsx (its 指标 sheet) or a .csv file, for ``figures_from``."""
    check_input_path(path)
    sheets, notes = _read_sheets(path, (FIGURES_SHEET,))
    rows = sheets.get(FIGURES_SHEET, sheets.get(CSV_ONE_TABLE))
    if rows is None:
        place = "文件" if path.suffix.lower() == ".csv" else "工作簿"
        raise FileAccessError(path=path, reason=f"{place}中没有“{FIGURES_SHEET}”工作表")
    table, problems = _table(path, rows, FIGURES_SHEET, _figures_known())
    if problems:
        raise InputError(file=path, problems=problems)
    figures: dict[str, Any] = {}
    locations: dict[DataPath, SourceLocation] = {}
    _figures(table, figures, locations)
    return LoadedSource(path, {"figures": figures}, locations, dict(locations), notes)


def load_workbook_source(path: Path) -> LoadedSource:
    """A whole report from an .xlsx workbook or a .csv file laid out the same way: 基本信息,
    指标 and, for the table kinds, the sheet of table rows."""
    check_input_path(path)
    sheets, notes = _read_sheets(path, (INFO_SHEET, FIGURES_SHEET, *TABLE_SHEETS.values()))
    info = sheets.get(INFO_SHEET)
    if info is None:
        if CSV_ONE_TABLE in sheets:
            raise FileAccessError(
                path=path,
                reason="这个 CSV 文件只有一张表，没有“基本信息”",
                hint="整份报告的 CSV 先写 基本信息 各行（标题、发文机关、年度…），再写一行“指标”"
                "或“任务”“目标”及该表；huibao form 类型 -o 文件.csv 可生成样式。"
                "只有指标的 CSV 请在 YAML 中用 figures_from 引用。",
            )
        raise FileAccessError(
            path=path,
            reason=f"工作簿中没有“{INFO_SHEET}”工作表",
            hint="工作簿应有“基本信息”（标题、发文机关、年度等）工作表；可用 huibao form 生成空白表。",
        )
    data: dict[str, Any] = {}
    values: dict[DataPath, SourceLocation] = {}
    keys: dict[DataPath, SourceLocation] = {}
    problems: list[Problem] = []
    kind_name = next(
        (
            row[1].text
            for row in info
            if len(row) > 1 and row[0].text and header_key(row[0].text) in {"报告类型", "kind"}
        ),
        None,
    )
    kind = KINDS.get(kind_name or "")
    known = (
        {key: name for key, name in field_titles(kind.model).items() if name in INFO_FIELDS}
        if kind
        else {"报告类型": "kind", "kind": "kind"}
    )
    for row in info:
        label, value = row[0], row[1] if len(row) > 1 else None
        if label.text is None or header_key(label.text) in {"项目", "字段"}:
            continue
        name = known.get(header_key(label.text))
        if name is None:
            problems.append(
                _unknown_label(label, f"“{INFO_SHEET}”中不认识的项目“{label.text}”", known)
            )
            continue
        keys[(name,)] = label.location
        if value is not None:
            values[(name,)] = value.location  # also when empty: where a missing value goes
            if value.text is not None:
                data[name] = _date_serial(value.text) if name == "date" else value.text
    if FIGURES_SHEET in sheets:
        table, found = _table(path, sheets[FIGURES_SHEET], FIGURES_SHEET, _figures_known())
        problems += found
        figures: dict[str, Any] = {}
        _figures(table, figures, values)
        if figures:
            data["figures"] = figures
    if kind is not None and kind.name in TABLE_SHEETS:
        sheet_name = TABLE_SHEETS[kind.name]
        table_rows = sheets.get(sheet_name)
        if table_rows is None:
            place = "文件中没有" if path.suffix.lower() == ".csv" else "工作簿中没有"
            problems.append(
                Problem(
                    SourceLocation(path),
                    f"{place}“{sheet_name}”工作表",
                    hint=f"请按 huibao form {kind.name} 生成的格式填写。",
                )
            )
        else:
            problems += _ROW_READERS[kind.name](path, table_rows, data, values)
    if problems:
        raise InputError(file=path, problems=problems)
    return LoadedSource(path, data, values, {**values, **keys}, notes)


def _date_serial(text: str) -> str:
    """An Excel date serial (``44449``) typed into a date field, as a date."""
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return str(from_excel(float(text)).date().isoformat())
    return text


def _tasks(
    path: Path,
    rows: list[list[CellText]],
    data: dict[str, Any],
    locations: dict[DataPath, SourceLocation],
) -> list[Problem]:
    """The 任务 sheet: a row with a new 序号 starts a task; an empty or repeated 序号 continues it."""
    known = {header_key(NUMBER_HEADER): NUMBER_HEADER, **field_titles(TaskRow)}
    table, problems = _table(path, rows, TASKS_SHEET, known)
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
        for field, cell in row.items():
            if field == NUMBER_HEADER:
                continue
            locations[(*base, field)] = cell.location  # also when empty: a missing value's place
            if cell.text is not None:
                entry[field] = parse_points(cell.text) if field == "progress" else cell.text
    data["tasks"] = tasks
    return problems


def _row_location(path: Path, row: dict[str, CellText]) -> SourceLocation:
    """Where a table row starts: its first known cell (a row may have none if headers are wrong)."""
    return next(iter(row.values())).location if row else SourceLocation(path)


def _targets(
    path: Path,
    rows: list[list[CellText]],
    data: dict[str, Any],
    locations: dict[DataPath, SourceLocation],
) -> list[Problem]:
    """The 目标 sheet of performance-review, laid out like the table itself.

    A new 考评维度 starts a dimension and a new 目标（指标）名称 a target; a row whose name is empty
    or repeats the one above (what a merged cell gives) is a further row of that target. A name
    typed as ``★小区改造`` marks a key target, as the column 重点目标 does.
    """
    known = {header_key(DIMENSION_HEADER): DIMENSION_HEADER, **field_titles(Target)}
    known = {key: name for key, name in known.items() if name != "continued"}
    table, problems = _table(path, rows, TARGETS_SHEET, known)
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
        for field in ("indicator", "completion"):
            cell = row.get(field)
            if cell is None:
                continue
            locations[(*base, field)] = cell.location  # also when empty: a missing value's place
            if cell.text is None:
                continue
            if field == "indicator":
                entry[field] = parse_points(cell.text)
            else:
                entry[field] = [
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


def with_figures_from(source: LoadedSource) -> LoadedSource:
    """Merge the figures of the file named by ``figures_from`` (beside the input) into ``source``.

    A figure defined both in the input and in that file is an error: which one counts would be a
    guess, and a wrong number in a report is worse than a question.
    """
    reference = source.data.get("figures_from")
    if not isinstance(reference, str) or not reference.strip():
        return source
    other = source.path.parent / reference.strip()
    if other.suffix.lower() not in {".xlsx", ".csv"}:
        raise InputError(
            file=source.path,
            problems=[
                Problem(
                    source.locate(("figures_from",)),
                    f"figures_from 应是 .xlsx 或 .csv 文件，这里是“{reference}”",
                    field=readable_path(ReportBase, ("figures_from",)),
                )
            ],
        )
    loaded = load_figures_file(other)
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
    if clashes:
        raise InputError(file=source.path, problems=clashes)
    return LoadedSource(
        source.path,
        {**source.data, "figures": {**taken, **own}},
        {**loaded.value_locations, **source.value_locations},
        {**loaded.key_locations, **source.key_locations},
        [*source.notes, *loaded.notes],
    )
