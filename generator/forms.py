"""Forms for staff to fill: ``huibao form KIND``, and the same layout filled from a report.

The form is what ``spreadsheet.py`` reads: 基本信息 (项目 | 内容), 指标 (the named figures) and,
for the table kinds, the sheet of table rows (任务, 目标). Its content is built once as plain
sheets, then written as an .xlsx workbook (a 说明 sheet, notes on the headers worded for a
spreadsheet, dropdowns for closed vocabularies, frozen headers, merged cells) or as a .csv file
(the sheets one after another, each after a row with its name). An empty form holds one example
row per sheet, marked so that a build refuses it if it is left in. Kinds whose body is an
outline (work-summary …) are written in YAML; their form holds the figures only, for
``figures_from``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator.cell_text import format_completion, format_points
from generator.output import write_atomically
from generator.spreadsheet import (
    DIMENSION_HEADER,
    EXAMPLE_MARK,
    FIGURE_NAME_HEADER,
    FIGURES_SHEET,
    INFO_FIELDS,
    INFO_SHEET,
    KEY_MARK,
    NOTES_SHEET,
    NUMBER_HEADER,
    TABLE_SHEETS,
    TARGETS_SHEET,
    TASKS_SHEET,
)
from schemas import ReportKind
from schemas.figures import Figure
from schemas.performance_review import PerformanceReview, Target, TargetRow
from schemas.task_progress import STATUSES, TaskProgress, TaskRow

_EXCEL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_HEADER_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_EXAMPLE_FIGURE = {"value": "88", "unit": "公里", "target": "75", "source": EXAMPLE_MARK}
"""The example figure: its 来源 carries the example mark, so a build refuses it if it stays."""
_EXAMPLE_TARGET = [
    f"{EXAMPLE_MARK}日常履职",
    "道路建设",
    "是",
    "新建城市道路75公里。",
    "1.完成情况。新建城市道路{道路里程}，完成率{道路里程.完成率}。\n"
    "2.工作举措。一是加强统筹。……二是强化督查。……\n"
    "3.工作成效。……",
]
_EXAMPLE_TASK = [
    "1",
    f"{EXAMPLE_MARK}新建城市道路75公里。",
    "1.新建城市道路88公里。\n2.完成率{道路里程.完成率}。",
    "市建委、市交通运输局",
    STATUSES[0],
]


_NOTES: dict[str, str] = {
    "kind": "报告类型：{label}（{name}），不要改动",
    "title": "报告标题（全称），如“{title}”；标题太长要分两行时，在单元格内按 Alt+Enter 换行",
    "org": "发文机关全称，如“嘉兴市住房和城乡建设局”；用于落款和文档属性",
    "year": "报告所属年度，只写数字，如 2021",
    "date": "成文日期，如 2021-09-08 或 2021年9月8日；落款中写作“2021年9月8日”；可不填",
    "period": "执行期，如“上半年”“1-9月”；在标题下一行以“（上半年）”出现；可不填",
    "opening": "开头段落，可不填；多段时每段一行（单元格内按 Alt+Enter 换行）",
    "closing": "结尾段落，如“特此报告。”，可不填；多段时每段一行（单元格内按 Alt+Enter 换行）",
    "signature": "落款：填“是”，文末加发文机关和成文日期（右对齐），这时要填“成文日期”；"
    "填“否”或不填，不加落款",
    "seal": "加盖印章：填“是”，落款按加盖印章排（成文日期右空四字，发文机关以成文日期居中），"
    "这时“落款”要填“是”；填“否”或不填，不盖章",
    "landscape": "横排：填“是”，页面横放，表格更宽、行数更少；填“否”，竖排；"
    "不填时本类报告默认{landscape}",
    "value": "数值，如 88、1,220、82.4%、20亿、2.3万；数字单元格按 Excel 显示的样子读取",
    "unit": "单位，如 公里、亿元、个、%；可不填",
    "target": "目标值（与数值同一单位），用于计算完成率 {名称.完成率}；可不填",
    "last_year": "上年同期值（与数值同一单位），用于计算同比 {名称.同比}；可不填",
    "precision": "完成率、同比保留的小数位数（0 到 6）；不填时保留一位并去掉末尾的 0（117.3%、108%）",
    "source": "数据来源，如“市统计局”；只作记录，不写入报告",
    "task": "主要工作任务，照政府工作报告原文填写",
    "progress": "进展情况：多条时每条一行，以 1. 2. 开头（单元格内按 Alt+Enter 换行）；"
    "一条时直接写",
    "departments": "牵头部门：多个部门用顿号分隔，如“嘉善县政府、长三角发展办”",
    "status": "进展状态：从下拉列表中选择 按时推进、进度较快、部分滞后、进度滞后，或留空",
    "name": "目标（指标）名称，如“小区改造”；同一目标的续行可合并单元格或留空；"
    f"名称前加 {KEY_MARK} 表示重点目标",
    "key": f"重点目标：填“是”或“否”（不填即“否”）；也可在目标名称前加 {KEY_MARK}",
    "indicator": "考核内容及指标：多条时每条一行，以 1. 2. 开头（单元格内按 Alt+Enter 换行）",
    "completion": "工作完成情况：照报告原样填写，每段一行（单元格内按 Alt+Enter 换行），"
    "如“1.完成情况。……一是……二是……”“2.工作举措。……”“3.工作成效。……”",
}
"""What each 基本信息 item and column means, worded for someone filling a spreadsheet: the
schema's descriptions are written for YAML (field names, lists, ``true``). A field missing here
falls back to its description."""
_TITLE_EXAMPLES = {
    "task-progress": "2021年政府工作报告重点工作执行情况表",
    "performance-review": "杭州市城乡建设委员会2020年度绩效考评目标完成情况",
}


def _note(name: str, description: str | None, kind: ReportKind | None = None) -> str:
    """The note on a form cell for field ``name``: the table above, else the description."""
    note = _NOTES.get(name)
    if note is None:
        return description or ""
    if kind is None:
        return note
    title = _TITLE_EXAMPLES.get(kind.name, f"某市2024年{kind.label}")
    landscape = kind.model.model_fields.get("landscape")
    shown = "横排" if landscape is not None and landscape.default else "竖排"
    return (
        note.replace("{label}", kind.label)
        .replace("{name}", kind.name)
        .replace("{title}", title)
        .replace("{landscape}", shown)
    )


@dataclass(frozen=True)
class Column:
    """A column of a form sheet: its header, the note on it (the field description), its width."""

    title: str
    note: str = ""
    width: int = 12
    choices: tuple[str, ...] = ()


@dataclass
class FormSheet:
    """One sheet of a form as plain data, before it is written as .xlsx or .csv."""

    name: str
    columns: list[Column]
    rows: list[list[str | None]] = field(default_factory=list)
    row_notes: list[str] = field(default_factory=list)
    """Notes on the first cell of each row (基本信息: what each item means)."""
    merges: list[tuple[int, int, int]] = field(default_factory=list)
    """(row index, column index, rows spanned): cells merged down, as in the report's table."""


def workbook_fields(kind: ReportKind) -> list[tuple[str, Any]]:
    """The 基本信息 rows of a kind: its scalar front-matter fields, in schema order."""
    fields = kind.model.model_fields
    return [(name, fields[name]) for name in INFO_FIELDS if name in fields]


def write_form(kind: ReportKind, output: Path, report: dict[str, Any] | None = None) -> None:
    """Write the form of ``kind`` to ``output`` (.xlsx or .csv): empty with an example, or filled."""
    sheets = form_sheets(kind, report)
    if output.suffix.lower() == ".csv":
        write_atomically(output, lambda stream: _save_csv(sheets, stream), application="Excel/WPS")
        return
    workbook = openpyxl.Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = NOTES_SHEET
    _instructions(notes, kind)
    for sheet in sheets:
        _write_sheet(workbook.create_sheet(sheet.name), sheet)
    write_atomically(output, workbook.save, application="Excel/WPS")


def form_sheets(kind: ReportKind, report: dict[str, Any] | None) -> list[FormSheet]:
    """The sheets of the form of ``kind``, filled from ``report`` when one is given."""
    sheets = [_figures_sheet(report)]
    if kind.name in TABLE_SHEETS:
        sheets.insert(0, _info_sheet(kind, report))
    if kind.name == "task-progress":
        sheets.append(_tasks_sheet(report))
    elif kind.name == "performance-review":
        sheets.append(_targets_sheet(report))
    return sheets


def _save_csv(sheets: list[FormSheet], stream: BinaryIO) -> None:
    """The sheets one after another, each after a row holding its name; UTF-8 with a BOM, which
    Excel and WPS need to open a UTF-8 CSV as Chinese. A figures-only form is a plain table."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for sheet in sheets:
        if len(sheets) > 1:
            writer.writerow([sheet.name])
        writer.writerow([column.title for column in sheet.columns])
        writer.writerows([value or "" for value in row] for row in sheet.rows)
    stream.write(text.getvalue().encode("utf-8-sig"))


def _write_sheet(sheet: Worksheet, form: FormSheet) -> None:
    for number, column in enumerate(form.columns, start=1):
        cell = sheet.cell(1, number, column.title)
        cell.font = _HEADER_FONT
        if column.note:
            cell.comment = Comment(column.note, "huibao", width=300, height=120)
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width
        if column.choices:
            dropdown = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.title,
                error="只能选择：" + "、".join(column.choices) + "，或留空",
            )
            dropdown.add(f"{letter}2:{letter}2000")
            sheet.add_data_validation(dropdown)
    sheet.freeze_panes = "A2"
    for number, values in enumerate(form.rows, start=2):
        for column_number, value in enumerate(values, start=1):
            if value is None:
                continue
            # Excel reads _x0041_ in a cell as an escaped character: escape its underscore
            cell = sheet.cell(number, column_number, _EXCEL_ESCAPE.sub(r"_x005F\g<0>", value))
            cell.alignment = _WRAP
            cell.number_format = "@"  # text: 1,220 and 82.4% stay as typed
    for number, note in enumerate(form.row_notes, start=2):
        if note:
            sheet.cell(number, 1).comment = Comment(note, "huibao", width=300, height=120)
    for row_index, column_index, span in form.merges:
        sheet.merge_cells(
            start_row=row_index + 2,
            start_column=column_index + 1,
            end_row=row_index + 1 + span,
            end_column=column_index + 1,
        )


def _instructions(sheet: Worksheet, kind: ReportKind) -> None:
    lines = [
        f"huibao 填报表：{kind.label}（{kind.name}）",
        "",
        "1. 每个工作表第一行是列名，请不要修改；列名上的批注是填写说明。",
        f"   标有“{EXAMPLE_MARK}”的行是填写示例，填写前请删除（留着会报错）。",
        "2. 数字照常填写：1220、1,220、82.4%、20亿、2.3万 都可以；数字单元格按 Excel 显示的样子读取。"
        "公式请在 Excel 或 WPS 中保存后再使用。",
        "3. 文字中可用 {指标名称} 引用“指标”表中的数字，{名称.完成率}、{名称.同比} 自动计算。",
        "   隐藏的行、列和工作表，以及没有列名的列，不会被悄悄略过：huibao 会指出它们，"
        "请取消隐藏或删除。",
    ]
    if kind.name in TABLE_SHEETS:
        lines += ["4. 填好后运行：huibao build 本文件.xlsx，生成同名 .docx。"]
    if kind.name == "task-progress":
        lines += [
            "5. “任务”表：序号留空（或与上一行相同）的行，是上一项任务的续行（序号单元格合并）。",
            "   进展情况一格内可写多条，每条一行，以 1. 2. 开头（Alt+Enter 换行）。",
            "   任务多、要分几张表时，后面的表命名为“任务（续）”或“任务2”，第一行同样写列名。",
        ]
    elif kind.name == "performance-review":
        lines += [
            "5. “目标”表与报告中的表格一样：考评维度留空（或合并单元格）的行属于上一个考评维度；",
            "   目标名称留空（或与上一行相同）的行，是上一个目标的续行（名称单元格合并）。",
            f"   重点目标填“是”，或在名称前加 {KEY_MARK}。",
            "6. 考核内容及指标：有多条时每条一行，以 1. 2. 开头（Alt+Enter 换行）。",
            "7. 工作完成情况照报告原样填写，每段一行：",
            "   1.完成情况。……一是……。二是……。",
            "   2.工作举措。……",
            "   分项目标写成“1.分项目标名称。”，其下各行以（1）（2）开头。",
            "   编号 1.（1）一是 按顺序书写时会自动重新生成；其他写法原样保留为文字。",
            "   目标多、要分几张表时，后面的表命名为“目标（续）”或“目标2”，第一行同样写列名。",
        ]
    else:
        lines += [
            "4. 本类型报告的正文是分级提纲，请用 YAML 填写（huibao new）；",
            "   本工作簿只填“指标”，在 YAML 中写 figures_from: 本文件.xlsx 引用。",
        ]
    for row, line in enumerate(lines, start=1):
        sheet.cell(row, 1, line)
    sheet.column_dimensions["A"].width = 100


def _info_sheet(kind: ReportKind, report: dict[str, Any] | None) -> FormSheet:
    sheet = FormSheet(INFO_SHEET, [Column("项目", width=16), Column("内容", width=80)])
    for name, info in workbook_fields(kind):
        value: Any = None
        if name == "kind":
            value = kind.name
        elif report is not None and report.get(name) is not None:
            value = report[name]
            if isinstance(value, list):
                value = "\n".join(value)
            elif isinstance(value, bool):
                value = "是" if value else "否"
        sheet.rows.append([info.title or name, None if value is None else str(value)])
        sheet.row_notes.append(_note(name, info.description, kind))
    return sheet


def _figures_sheet(report: dict[str, Any] | None) -> FormSheet:
    fields = list(Figure.model_fields.items())
    widths = [12, 10, 12, 12, 8, 20]
    columns = [
        Column(FIGURE_NAME_HEADER, "指标名称，正文中用 {名称} 引用；不含空格、句点和花括号", 16)
    ]
    columns += [
        Column(info.title or name, _note(name, info.description), width)
        for (name, info), width in zip(fields, widths, strict=True)
    ]
    figures = report.get("figures", {}) if report is not None else {"道路里程": _EXAMPLE_FIGURE}
    sheet = FormSheet(FIGURES_SHEET, columns)
    for name, value in figures.items():
        figure = value if isinstance(value, dict) else {"value": value}
        sheet.rows.append(
            [name, *(None if figure.get(key) is None else str(figure[key]) for key, _ in fields)]
        )
    return sheet


def _tasks_sheet(report: dict[str, Any] | None) -> FormSheet:
    fields = TaskRow.model_fields
    columns = [
        Column(NUMBER_HEADER, "序号：新任务写新序号；留空或与上一行相同，表示上一项任务的续行", 6)
    ]
    columns += [
        Column(info.title or name, _note(name, info.description), width)
        for (name, info), width in zip(fields.items(), [40, 70, 20, 12], strict=True)
    ]
    columns[-1] = Column(columns[-1].title, columns[-1].note, columns[-1].width, STATUSES)
    sheet = FormSheet(TASKS_SHEET, columns)
    if report is None:
        sheet.rows.append(list(_EXAMPLE_TASK))
        return sheet
    # without the figures: they have their own sheet, and an imported draft leaves their values
    # for staff to fill
    tasks = TaskProgress.model_validate({**report, "figures": {}}).tasks
    for number, task in enumerate(tasks, start=1):
        rows: list[TaskRow] = [task, *task.continued]
        if len(rows) > 1:
            sheet.merges.append((len(sheet.rows), 0, len(rows)))
        for index, row in enumerate(rows):
            sheet.rows.append(
                [
                    str(number) if index == 0 else None,
                    row.task,
                    format_points(row.progress),
                    "、".join(row.departments),
                    row.status,
                ]
            )
    return sheet


def _targets_sheet(report: dict[str, Any] | None) -> FormSheet:
    target_fields = Target.model_fields
    columns = [Column(DIMENSION_HEADER, "考评维度；同一维度的各行可合并单元格或留空", 10)]
    columns += [
        Column(
            target_fields[name].title or name,
            _note(name, target_fields[name].description),
            width,
        )
        for name, width in (("name", 16), ("key", 8), ("indicator", 40), ("completion", 70))
    ]
    columns[2] = Column(columns[2].title, columns[2].note, columns[2].width, ("是", "否"))
    sheet = FormSheet(TARGETS_SHEET, columns)
    if report is None:
        sheet.rows.append(list(_EXAMPLE_TARGET))
        return sheet
    dimensions = PerformanceReview.model_validate({**report, "figures": {}}).dimensions
    for dimension in dimensions:
        span = sum(1 + len(target.continued) for target in dimension.targets)
        if span > 1:
            sheet.merges.append((len(sheet.rows), 0, span))
        for t, target in enumerate(dimension.targets):
            rows: list[Target | TargetRow] = [target, *target.continued]
            if len(rows) > 1:
                sheet.merges += [(len(sheet.rows), 1, len(rows)), (len(sheet.rows), 2, len(rows))]
            for r, row in enumerate(rows):
                first = r == 0
                sheet.rows.append(
                    [
                        dimension.name if first and t == 0 else None,
                        target.name if first else None,
                        "是" if first and target.key else None,
                        format_points(row.indicator),
                        format_completion(row.completion),
                    ]
                )
    return sheet
