"""The tables of the two table kinds, for ``huibao import``: merged cells become continued rows
and dimensions, ★ a key target, numbered cell text the lists huibao numbers again.

A table reaches the importer in one of three shapes, all turned into one grid first (rows of
cells, ``None`` where a cell above is merged over it):

* a ``ReadTable`` from a .docx or .html page, with its merges;
* text with cells separated by ``|`` (a table copied out of a web page or PDF): a row lists the
  cells that start in it, right-aligned, so a row of two cells continues the target above;
* text with one cell a line (a web page saved as text): the 进展状态 table of task-progress,
  read by what each cell holds (序号, task, numbered progress, departments, status).

Cell text is read as structure by ``generator/cell_text.py``, exactly as a spreadsheet cell is:
numbers that run in order become the list, anything else stays text as it was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from generator.cell_text import parse_completion, parse_points
from generator.import_outline import Para
from generator.import_text import stray_ordinals
from generator.reading import ReadTable
from schemas.fields import split_names
from schemas.task_progress import STATUSES

Grid = list[list[str | None]]
"""Rows of cells (text, or ``None`` where the cell above is merged over this one)."""

KEY_MARK = "★"


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


TASK_COLUMNS = {
    "number": ("序号",),
    "task": ("主要工作任务", "工作任务", "重点任务", "任务"),
    "progress": ("进展情况", "完成情况", "进展"),
    "departments": ("牵头部门", "责任部门", "责任单位", "牵头单位", "部门"),
    "status": ("进展状态", "状态"),
}
TARGET_COLUMNS = {
    "dimension": ("考评维度", "维度"),
    "name": ("目标(指标)名称", "目标名称", "指标名称", "名称"),
    "indicator": ("考核内容及指标", "考核内容", "指标"),
    "completion": ("工作完成情况", "完成情况"),
}


def table_kind(header: list[str]) -> str | None:
    """task-progress for a header with 进展状态, performance-review for one with 考评维度."""
    keys = [_key(cell) for cell in header]
    if any("进展状态" in key for key in keys):
        return "task-progress"
    if any("考评维度" in key for key in keys):
        return "performance-review"
    return None


def _columns(header: list[str], names: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for column, cell in enumerate(header):
        key = _key(cell)
        for name, words in names.items():
            if name not in found and any(word in key for word in words):
                found[name] = column
                break
    return found


def grid_from_table(table: ReadTable) -> Grid:
    """A ``ReadTable`` as a grid: merged-over cells are ``None``, a spanned column is empty."""
    grid: Grid = []
    below: dict[int, int] = {}  # column → rows still covered by a merge from above
    for row in table.rows:
        cells: list[str | None] = []
        queue = list(row)
        column = 0
        while queue or any(col >= column for col in below):
            if below.get(column, 0) > 0:
                below[column] -= 1
                cells.append(None)
                column += 1
                continue
            if not queue:
                break
            cell = queue.pop(0)
            cells.append(cell.text)
            for offset in range(cell.colspan):
                if cell.rowspan > 1:
                    below[column + offset] = cell.rowspan - 1
                if offset:
                    cells.append("")
            column += cell.colspan
        below = {col: rows for col, rows in below.items() if rows > 0}
        grid.append(cells)
    return grid


def _header_row(grid: Grid) -> int | None:
    for index, row in enumerate(grid):
        if table_kind([cell or "" for cell in row]) is not None:
            return index
    return None


# --- tables typed as text ----------------------------------------------------------------------


def pipe_table_start(paragraphs: list[Para]) -> int | None:
    """Where a ``|``-separated table with a 考评维度 or 进展状态 header starts."""
    for index, paragraph in enumerate(paragraphs):
        if paragraph.text.count("|") >= 2 and table_kind(paragraph.text.split("|")) is not None:
            return index
    return None


def grid_from_pipes(paragraphs: list[Para]) -> Grid:
    """Rows of a ``|`` table whose first paragraph is its header.

    ``|`` closes a cell; a line that does not end with ``|`` leaves its last cell open, and the
    next line continues it. A row is complete when its last cell is closed and it has at least
    two cells (every row has at least 考核内容 and 完成情况, or 任务 and 进展); its cells are the
    last columns of the table, the ones before are merged from the rows above.
    """
    header = [cell.strip() for cell in paragraphs[0].text.split("|")]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    grid: Grid = [list(header)]
    row: list[str] = []
    complete = True
    open_cell = False
    for paragraph in paragraphs[1:]:
        if complete:
            if row:
                grid.append(_right_aligned(row, width))
            row, open_cell, complete = [], False, False
        segments = [segment.strip() for segment in paragraph.text.split("|")]
        closes = paragraph.text.rstrip().endswith("|")
        if closes:
            segments.pop()
        for number, segment in enumerate(segments):
            if number == 0 and open_cell:
                if segment:
                    row[-1] = f"{row[-1]}\n{segment}" if row[-1] else segment
            else:
                row.append(segment)
        open_cell = not closes
        complete = not open_cell and len(row) >= 2
    if row:
        grid.append(_right_aligned(row, width))
    return grid


def _right_aligned(cells: list[str], width: int) -> list[str | None]:
    """A row's cells in the last columns; ``None`` (merged from above) before them."""
    if len(cells) > width:
        cells = [*cells[: width - 1], "\n".join(cells[width - 1 :])]
    return [None] * (width - len(cells)) + list(cells)


_STATUS_KEYS = {status: status for status in STATUSES}


def cell_table_start(paragraphs: list[Para]) -> int | None:
    """Where a task table saved from a web page as one cell a line starts (序号, 主要工作任务,
    进展情况, 牵头部门, 进展状态 on lines of their own)."""
    keys = [_key(paragraph.text) for paragraph in paragraphs]
    for index in range(len(keys) - 4):
        if keys[index] == "序号" and "进展状态" in keys[index + 1 : index + 6]:
            return index
    return None


def _department_like(text: str) -> bool:
    return len(text) <= 60 and not any(mark in text for mark in "，。；：,;:")


def grid_from_cell_lines(paragraphs: list[Para]) -> tuple[Grid, int]:
    """The task table of a page saved as text, one cell a line, as a grid; and how many
    paragraphs it took."""
    header_end = next(i for i, p in enumerate(paragraphs) if _key(p.text) == "进展状态") + 1
    header: list[str | None] = [p.text for p in paragraphs[:header_end]]
    grid: Grid = [header]
    lines = [p.text for p in paragraphs]
    index = header_end
    number = 1
    while index < len(lines) and lines[index].strip() == str(number):
        first = True
        index += 1
        while index < len(lines):
            row, index = _task_row(lines, index, number + 1)
            grid.append([str(number) if first else None, *row])
            first = False
            if index >= len(lines) or lines[index].strip() == str(number + 1):
                break
            if _department_like(lines[index]) and len(lines[index]) <= 8:
                break  # not a task: the table has ended
        number += 1
    return grid, index


def _task_row(lines: list[str], index: int, next_number: int) -> tuple[list[str | None], int]:
    """One row: the task, its progress (numbered lines, or one line), departments, status."""
    task = lines[index]
    index += 1
    progress: list[str] = []
    point = 1
    while index < len(lines):
        line = lines[index]
        if re.match(rf"^{point}\s*[.．、]", line):
            progress.append(line)
            point += 1
        elif not progress:
            progress.append(line)  # one progress paragraph without a number
            point = 0
        elif point > 1 and not _department_like(line) and line.strip() != str(next_number):
            progress.append(line)  # a further line of the last point
        else:
            break
        index += 1
        if point == 0:
            break
    departments: list[str] = []
    while (
        index < len(lines)
        and _key(lines[index]) not in _STATUS_KEYS
        and lines[index].strip() != str(next_number)
        and _department_like(lines[index])
    ):
        departments.append(lines[index])
        index += 1
    status = ""
    if index < len(lines) and _key(lines[index]) in _STATUS_KEYS:
        status = _key(lines[index])
        index += 1
    return [task, "\n".join(progress), "\n".join(departments), status], index


# --- grids as report data -----------------------------------------------------------------------


@dataclass
class TableData:
    """What a grid gave: the rows as report data, and notes for the draft's comments."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    comments: dict[tuple[int, ...], list[str]] = field(default_factory=dict)
    header: list[str] = field(default_factory=list)


_NUMBERED_AT = re.compile(
    r"(?:^|(?<=[。；！？\n]))[ \u3000]*(?:(?P<entry>\d{1,2})\s*[.．、]|[（(]\s*(?P<part>\d{1,2})\s*[）)])"
)


def _split_numbered(text: str) -> str:
    """Numbered entries typed on one line (``…。2.工作举措。… (1)完成情况``) one a line; only
    numbers that run in order (1. 2. …, and （1）（2）… within an entry) start a line."""
    pieces: list[str] = []
    position = 0
    entries = parts = 0
    for match in _NUMBERED_AT.finditer(text):
        if match["entry"] is not None and int(match["entry"]) == entries + 1:
            entries, parts = entries + 1, 0
        elif match["part"] is not None and int(match["part"]) == parts + 1:
            parts += 1
        else:
            continue
        pieces.append(text[position : match.start()].rstrip())
        position = match.start()
    pieces.append(text[position:])
    return "\n".join(piece.strip() for piece in pieces if piece.strip())


def _points(text: str) -> list[str]:
    split = parse_points(_split_numbered(text))
    if len(split) > 1:
        return split
    return parse_points(text)


def _completion(text: str) -> list[dict[str, Any]]:
    entries = parse_completion(_split_numbered(text))
    if len(entries) == 1 and entries[0].heading is None and not entries[0].parts:
        entries = parse_completion(text)
    return [entry.model_dump(exclude_defaults=True) for entry in entries]


def _stray(entries: list[dict[str, Any]]) -> list[str]:
    """一是… numbers left in the text of completion items: out of their run's order."""
    found: list[str] = []
    for entry in entries:
        for item in entry.get("items", []):
            found += stray_ordinals(str(item.get("text", "")) if isinstance(item, dict) else "")
        found += _stray(entry.get("parts", []))
    return found


def _cell(row: list[str | None], column: int | None) -> str | None:
    if column is None or column >= len(row):
        return ""
    return row[column]


def _tidy(text: str | None) -> str:
    """A cell's text, lines stripped; blanks between Chinese characters (``日常 履职``, a web
    page's line wrapping) removed."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return "\n".join(
        re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])", "", line) for line in lines
    )


def tasks_from_grid(grid: Grid) -> TableData:
    """task-progress rows: a row whose 序号 is merged or empty continues the task above."""
    start = _header_row(grid) or 0
    header = [cell or "" for cell in grid[start]]
    columns = _columns(header, TASK_COLUMNS)
    data = TableData(header=header)
    for row in grid[start + 1 :]:
        if all(not (cell or "").strip() for cell in row):
            continue
        if _key(" ".join(cell or "" for cell in row)) == _key(" ".join(header)):
            continue  # the header repeated on a new page
        number = _cell(row, columns.get("number"))
        entry: dict[str, Any] = {"task": _tidy(_cell(row, columns.get("task")))}
        notes: list[str] = []
        progress = _points(_tidy(_cell(row, columns.get("progress"))))
        entry["progress"] = progress or ["（原表此处为空）"]
        if not progress:
            notes.append("原表“进展情况”为空，请填写")
        departments = split_names(_tidy(_cell(row, columns.get("departments"))).replace("\n", ""))
        entry["departments"] = departments or ["（原表此处为空）"]
        if not departments:
            notes.append("原表“牵头部门”为空，请填写")
        status = _key(_cell(row, columns.get("status")) or "")
        if status in _STATUS_KEYS:
            entry["status"] = status
        elif status:
            notes.append(
                f"原表的进展状态“{status}”不是可选的状态之一，请改为按时推进、进度较快、部分滞后、进度滞后之一"
            )
        if not entry["task"]:
            entry["task"] = "（原表此处为空）"
            notes.append("原表“主要工作任务”为空，请填写")
        if (number is None or not number.strip()) and data.rows:
            data.rows[-1].setdefault("continued", []).append(entry)
            where: tuple[int, ...] = (len(data.rows) - 1, len(data.rows[-1]["continued"]) - 1)
        else:
            data.rows.append(entry)
            where = (len(data.rows) - 1,)
        if notes:
            data.comments[where] = notes
    return data


def dimensions_from_grid(grid: Grid) -> TableData:
    """performance-review dimensions: a merged or repeated 考评维度 continues the dimension, a
    merged or empty name continues the target; ★ marks a key target."""
    start = _header_row(grid) or 0
    header = [cell or "" for cell in grid[start]]
    columns = _columns(header, TARGET_COLUMNS)
    data = TableData(header=header)
    for row in grid[start + 1 :]:
        if all(not (cell or "").strip() for cell in row):
            continue
        dimension = _tidy(_cell(row, columns.get("dimension")))
        name = _tidy(_cell(row, columns.get("name")))
        indicator = _points(_tidy(_cell(row, columns.get("indicator"))))
        completion = _completion(_tidy(_cell(row, columns.get("completion"))))
        if dimension and (not data.rows or data.rows[-1]["name"] != dimension):
            data.rows.append({"name": dimension, "targets": []})
        elif not data.rows:
            data.rows.append({"name": "（原表此处为空）", "targets": []})
            data.comments[(0,)] = ["原表第一行没有考评维度，请填写"]
        targets: list[dict[str, Any]] = data.rows[-1]["targets"]
        content: dict[str, Any] = {"indicator": indicator, "completion": completion}
        if not completion:
            content["completion"] = [{"text": ["（原表此处为空）"]}]
        if name or not targets:
            target: dict[str, Any] = {"name": name.lstrip(KEY_MARK).strip() or "（原表此处为空）"}
            if name.startswith(KEY_MARK):
                target["key"] = True
            target.update(content)
            targets.append(target)
            where: tuple[int, ...] = (len(data.rows) - 1, len(targets) - 1)
        else:
            targets[-1].setdefault("continued", []).append(content)
            where = (len(data.rows) - 1, len(targets) - 1, len(targets[-1]["continued"]) - 1)
        stray = _stray(completion)
        if stray:
            data.comments.setdefault(where, []).append(
                f"工作完成情况中的“{'”“'.join(stray)}”与前后顺序不符，按正文保留，请核对原文的编号"
            )
    return data
