"""Workbooks for staff to fill: ``huibao form KIND``, and the same layout filled from a report.

The workbook is the one ``spreadsheet.py`` reads: a 说明 sheet, 基本信息 (项目 | 内容), 指标 (the
named figures) and, for task-progress, 任务. Headers are the Chinese field titles with the field
descriptions as cell notes; closed vocabularies (进展状态) get a dropdown; header rows are frozen.
Kinds whose body is an outline (work-summary …) are written in YAML; their workbook holds the
figures only, for ``figures_from``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
    FIGURE_NAME_HEADER,
    FIGURES_SHEET,
    INFO_SHEET,
    NUMBER_HEADER,
    TABLE_SHEETS,
    TARGETS_SHEET,
    TASKS_SHEET,
)
from schemas import ReportKind
from schemas.figures import Figure
from schemas.performance_review import PerformanceReview, Target, TargetRow
from schemas.task_progress import STATUSES, TaskRow

_INFO_FIELDS = ("kind", "title", "org", "year", "date", "period", "opening", "closing", "signature")
_HEADER_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_EXAMPLE_FIGURE = {"名称": "道路里程", "value": "88", "unit": "公里", "target": "75"}
_EXAMPLE_TARGET = {
    DIMENSION_HEADER: "（示例，填写时删除本行）日常履职",
    "name": "道路建设",
    "key": "是",
    "indicator": "新建城市道路75公里。",
    "completion": "1.完成情况。新建城市道路{道路里程}，完成率{道路里程.完成率}。\n"
    "2.工作举措。一是加强统筹。……二是强化督查。……\n"
    "3.工作成效。……",
}
_EXAMPLE_TASK = {
    NUMBER_HEADER: "1",
    "task": "（示例，填写时删除本行）新建城市道路75公里。",
    "progress": "1.新建城市道路88公里。\n2.完成率{道路里程.完成率}。",
    "departments": "市建委、市交通运输局",
    "status": STATUSES[0],
}


def workbook_fields(kind: ReportKind) -> list[tuple[str, Any]]:
    """The 基本信息 rows of a kind: its scalar front-matter fields, in schema order."""
    fields = kind.model.model_fields
    return [(name, fields[name]) for name in _INFO_FIELDS if name in fields]


def write_form(kind: ReportKind, output: Path, report: dict[str, Any] | None = None) -> None:
    """Write the workbook of ``kind`` to ``output``: empty with one example row, or filled."""
    workbook = openpyxl.Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "说明"
    full = kind.name in TABLE_SHEETS
    _instructions(notes, kind, full=full)
    if full:
        _info_sheet(workbook.create_sheet(INFO_SHEET), kind, report)
    _figures_sheet(workbook.create_sheet(FIGURES_SHEET), report)
    if kind.name == "task-progress":
        _tasks_sheet(workbook.create_sheet(TASKS_SHEET), report)
    elif kind.name == "performance-review":
        _targets_sheet(workbook.create_sheet(TARGETS_SHEET), report)
    write_atomically(output, workbook.save, application="Excel/WPS")


def _instructions(sheet: Worksheet, kind: ReportKind, *, full: bool) -> None:
    lines = [
        f"huibao 填报表：{kind.label}（{kind.name}）",
        "",
        "1. 每个工作表第一行是列名，请不要修改；列名上的批注是填写说明。",
        "2. 数字照常填写：1220、1,220、82.4%、20亿、2.3万 都可以；公式请在 Excel 中保存后再使用。",
        "3. 文字中可用 {指标名称} 引用“指标”表中的数字，{名称.完成率}、{名称.同比} 自动计算。",
    ]
    if kind.name == "task-progress":
        lines += [
            "4. 填好后运行：huibao build 本文件.xlsx，生成同名 .docx。",
            "5. “任务”表：序号留空（或与上一行相同）的行，是上一项任务的续行（序号单元格合并）。",
            "   进展情况一格内可写多条，每条一行（Alt+Enter 换行），编号 1. 2. 自动生成。",
        ]
    elif kind.name == "performance-review":
        lines += [
            "4. 填好后运行：huibao build 本文件.xlsx，生成同名 .docx。",
            "5. “目标”表与报告中的表格一样：考评维度留空（或合并单元格）的行属于上一个考评维度；",
            "   目标名称留空（或与上一行相同）的行，是上一个目标的续行（名称单元格合并）。",
            "   重点目标填“是”，或在名称前加 ★。",
            "6. 考核内容及指标：有多条时每条一行（Alt+Enter 换行），编号 1. 2. 自动生成。",
            "7. 工作完成情况照报告原样填写，每段一行：",
            "   1.完成情况。……一是……。二是……。",
            "   2.工作举措。……",
            "   分项目标写成“1.分项目标名称。”，其下各行以（1）（2）开头。",
            "   编号 1.（1）一是 按顺序书写时会自动重新生成；其他写法原样保留为文字。",
        ]
    else:
        lines += [
            "4. 本类型报告的正文是分级提纲，请用 YAML 填写（huibao new）；",
            "   本工作簿只填“指标”，在 YAML 中写 figures_from: 本文件.xlsx 引用。",
        ]
    for row, line in enumerate(lines, start=1):
        sheet.cell(row, 1, line)
    sheet.column_dimensions["A"].width = 100


def _header(sheet: Worksheet, titles: list[tuple[str, str]], widths: list[int]) -> None:
    for column, ((title, description), width) in enumerate(
        zip(titles, widths, strict=True), start=1
    ):
        cell = sheet.cell(1, column, title)
        cell.font = _HEADER_FONT
        if description:
            cell.comment = Comment(description, "huibao", width=300, height=120)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _info_sheet(sheet: Worksheet, kind: ReportKind, report: dict[str, Any] | None) -> None:
    _header(sheet, [("项目", ""), ("内容", "")], [16, 80])
    for row, (name, field) in enumerate(workbook_fields(kind), start=2):
        label = sheet.cell(row, 1, field.title or name)
        label.comment = Comment(field.description or "", "huibao", width=300, height=120)
        if name == "kind":
            value: Any = kind.name
        elif report is not None and report.get(name) is not None:
            value = report[name]
            if isinstance(value, list):
                value = "\n".join(value)
            elif isinstance(value, bool):
                value = "是" if value else "否"
        else:
            continue
        sheet.cell(row, 2, str(value)).alignment = _WRAP


def _figures_sheet(sheet: Worksheet, report: dict[str, Any] | None) -> None:
    fields = list(Figure.model_fields.items())
    titles = [(FIGURE_NAME_HEADER, "指标名称，正文中用 {名称} 引用；不含空格、句点和花括号")]
    titles += [(field.title or name, field.description or "") for name, field in fields]
    _header(sheet, titles, [16, 12, 10, 12, 12, 8, 20])
    figures = report.get("figures", {}) if report is not None else None
    rows = (
        [
            {"名称": name, **(value if isinstance(value, dict) else {"value": value})}
            for name, value in figures.items()
        ]
        if figures is not None
        else [_EXAMPLE_FIGURE]
    )
    for row, figure in enumerate(rows, start=2):
        sheet.cell(row, 1, figure["名称"])
        for column, (name, _field) in enumerate(fields, start=2):
            if figure.get(name) is not None:
                sheet.cell(row, column, str(figure[name])).number_format = "@"


def _tasks_sheet(sheet: Worksheet, report: dict[str, Any] | None) -> None:
    fields = TaskRow.model_fields
    titles = [(NUMBER_HEADER, "序号：新任务写新序号；留空或与上一行相同，表示上一项任务的续行")]
    titles += [(fields[name].title or name, fields[name].description or "") for name in fields]
    _header(sheet, titles, [6, 40, 70, 20, 12])
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="进展状态",
        error="只能选择：" + "、".join(STATUSES) + "，或留空",
    )
    status.add(f"E2:E{2000}")
    sheet.add_data_validation(status)
    rows = _task_rows(report["tasks"]) if report is not None else [(_EXAMPLE_TASK, 1)]
    row_number = 2
    for values, span in rows:
        for column, name in enumerate([NUMBER_HEADER, *fields], start=1):
            value = values.get(name)
            if value is None:
                continue
            cell = sheet.cell(row_number, column, value)
            cell.alignment = _WRAP
            cell.number_format = "@"
        if span > 1:
            sheet.merge_cells(
                start_row=row_number, start_column=1, end_row=row_number + span - 1, end_column=1
            )
        row_number += 1


def _targets_sheet(sheet: Worksheet, report: dict[str, Any] | None) -> None:
    target_fields = Target.model_fields
    columns = ["name", "key", "indicator", "completion"]
    titles = [(DIMENSION_HEADER, "考评维度；同一维度的各行可合并单元格或留空")]
    titles += [
        (target_fields[name].title or name, target_fields[name].description or "")
        for name in columns
    ]
    _header(sheet, titles, [10, 16, 8, 40, 70])
    key = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    key.add("C2:C2000")
    sheet.add_data_validation(key)
    rows = _target_rows(PerformanceReview.model_validate(report)) if report else []
    if not rows:
        rows = [(_EXAMPLE_TARGET, 1, 1)]
    for row_number, (values, dimension_span, target_span) in enumerate(rows, start=2):
        for column, name in enumerate([DIMENSION_HEADER, *columns], start=1):
            if values.get(name) is None:
                continue
            cell = sheet.cell(row_number, column, values[name])
            cell.alignment = _WRAP
            cell.number_format = "@"
        for columns_merged, span in (((1,), dimension_span), ((2, 3), target_span)):
            for column in columns_merged if span > 1 else ():
                sheet.merge_cells(
                    start_row=row_number,
                    start_column=column,
                    end_row=row_number + span - 1,
                    end_column=column,
                )


def _target_rows(report: PerformanceReview) -> list[tuple[dict[str, Any], int, int]]:
    """One sheet row per table row, with how many rows its 考评维度 and 目标 cells span."""
    rows: list[tuple[dict[str, Any], int, int]] = []
    for dimension in report.dimensions:
        dimension_span = sum(1 + len(target.continued) for target in dimension.targets)
        for t, target in enumerate(dimension.targets):
            table_rows: list[Target | TargetRow] = [target, *target.continued]
            for r, row in enumerate(table_rows):
                values: dict[str, Any] = {
                    "indicator": format_points(row.indicator),
                    "completion": format_completion(row.completion),
                }
                if r == 0:
                    values |= {"name": target.name, "key": "是" if target.key else None}
                    if t == 0:
                        values[DIMENSION_HEADER] = dimension.name
                rows.append(
                    (
                        values,
                        dimension_span if t == 0 and r == 0 else 1,
                        len(table_rows) if r == 0 else 1,
                    )
                )
    return rows


def _task_rows(tasks: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """One sheet row per table row; a task's 序号 cell is merged over its continued rows."""
    rows: list[tuple[dict[str, Any], int]] = []
    for number, task in enumerate(tasks, start=1):
        continued = task.get("continued") or []
        for index, row in enumerate([task, *continued]):
            progress = row.get("progress") or []
            points = [progress] if isinstance(progress, str) else list(progress)
            departments = row.get("departments") or []
            values = {
                NUMBER_HEADER: str(number) if index == 0 else None,
                "task": row.get("task"),
                "progress": format_points(points),
                "departments": departments
                if isinstance(departments, str)
                else "、".join(departments),
                "status": row.get("status"),
            }
            rows.append((values, len(continued) + 1 if index == 0 else 1))
    return rows
