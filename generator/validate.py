"""Stage 2: check loaded data against the schema of its report kind.

Every problem comes back at once, each with the file, line and column where it was typed, the field
as staff read it (``第6节 › 第2条``, never ``sections[5].items[1]``), a Chinese message and a fix.
Pydantic's English messages are rewritten here, in one table.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import InputError, Problem
from generator.introspect import (
    DICT_KEY,
    field_at,
    field_description,
    field_title,
    model_at,
    readable_path,
)
from generator.kinds import find_kind, kind_names
from generator.load import SPREADSHEET_SUFFIXES, LoadedSource
from schemas import ReportBase
from schemas.base import DataPath

_TYPE_NAMES_ZH = {dict: "一组字段", list: "列表", str: "文字", type(None): "空值"}
_KIND_LABEL = "报告类型"


def validate_report(source: LoadedSource) -> ReportBase:
    """Turn loaded data into the report model of its kind, or raise one ``InputError`` listing all."""
    kind_name = source.data.get("kind")
    if kind_name is None:
        raise InputError(
            file=source.path,
            problems=[
                Problem(
                    source.locate(("kind",)),
                    "缺少报告类型 kind",
                    field=_KIND_LABEL,
                    hint=f"在文件第一行写“kind: 报告类型”，可选：{'、'.join(kind_names())}。",
                )
            ],
        )
    kind = find_kind(str(kind_name)) if isinstance(kind_name, str) else None
    if kind is None:
        close = difflib.get_close_matches(str(kind_name), kind_names(), n=1, cutoff=0.5)
        hint = f"是否想写“{close[0]}”？" if close else ""
        hint += f"可选的报告类型：{'、'.join(kind_names())}（huibao kinds 可查看说明）。"
        raise InputError(
            file=source.path,
            problems=[
                Problem(
                    source.locate(("kind",)),
                    f"不认识的报告类型“{kind_name}”",
                    field=_KIND_LABEL,
                    hint=hint,
                )
            ],
        )
    try:
        report = kind.model.model_validate(source.data)
    except ValidationError as error:
        problems = [_problem_from_pydantic(source, kind.model, detail) for detail in error.errors()]
        raise InputError(
            file=source.path, problems=_sorted([*source.problems, *problems])
        ) from None
    if source.problems:
        raise InputError(file=source.path, problems=_sorted(source.problems))
    findings = report.findings()
    if findings:
        problems = [
            Problem(
                source.locate(finding.path),
                finding.message,
                field=_label(source, kind.model, finding.path),
                hint=finding.hint,
            )
            for finding in findings
        ]
        raise InputError(file=source.path, problems=_sorted(problems))
    return report


def format_path(path: DataPath) -> str:
    """``("sections", 2, "heading")`` → ``sections[2].heading``: the YAML path, for programmers.

    Messages name fields with ``readable_path`` instead; this stays for callers not yet switched.
    """
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.location.line or 0, p.location.column or 0))


def _in_spreadsheet(source: LoadedSource) -> bool:
    return source.path.suffix.lower() in SPREADSHEET_SUFFIXES


def _label(source: LoadedSource, model: type[BaseModel], path: DataPath) -> str:
    """How a problem names its place: ``第3项任务 › 进展状态`` in YAML.

    In a spreadsheet the cell already says which row: the label is that cell's column title or
    基本信息 item (``进展状态``), or the row (``第3项任务``) when the value has no cell of its own.
    """
    if not _in_spreadsheet(source):
        return readable_path(model, path)
    cell = next(
        (path[:end] for end in range(len(path), 0, -1) if path[:end] in source.value_locations),
        (),
    )
    return field_title(model, cell) if field_at(model, cell) else readable_path(model, cell)


def _problem_from_pydantic(
    source: LoadedSource, model: type[BaseModel], detail: ErrorDetails
) -> Problem:
    path: DataPath = tuple(part for part in detail["loc"] if isinstance(part, str | int))
    error_type = detail["type"]
    context = detail.get("ctx") or {}
    given = detail.get("input")
    name = str(path[-1]) if path else ""
    description = field_description(model, path)

    # the unknown or missing field is named in the message; the label says where it belongs
    if error_type == "extra_forbidden":
        parent = model_at(model, path[:-1])
        choices = list(parent.model_fields) if parent else []
        close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
        if close:
            hint = f"是否想写“{close[0]}”（{field_description(model, (*path[:-1], close[0]))}）？"
        else:
            listed = "、".join(f"{c}（{field_title(model, (*path[:-1], c))}）" for c in choices)
            hint = f"这一层可以填写的字段：{listed}。"
        return Problem(
            source.locate(path, prefer_key=True),
            f"无法识别的字段“{name}”",
            _label(source, model, path[:-1]),
            hint,
        )
    if error_type == "missing":
        title = field_title(model, path)
        explained = f"：{description}。" if description else "。"
        if _in_spreadsheet(source):  # the empty cell where the value belongs, else its row
            label = _label(source, model, path)
            message = "缺少必填字段" if label == title else f"缺少必填字段“{title}”"
            return Problem(source.locate(path), message, label, f"请填写“{title}”{explained}")
        # YAML: the mapping the field belongs in, and the name to type there
        return Problem(
            source.locate(path),
            f"缺少必填字段“{title}”（{name}）",
            _label(source, model, path[:-1]),
            f"请添加“{name}: …”{explained}",
        )
    if error_type == "string_pattern_mismatch" and path and path[-1] == DICT_KEY:
        return Problem(
            source.locate(path, prefer_key=True),
            f"指标名称“{given}”中不能有空格、句点或花括号",
            _label(source, model, path[:-2]),
            "正文中用 {名称} 引用指标，名称里的“.”会被当作 {名称.完成率} 这样的写法；请改名。",
        )
    message, hint = _message(error_type, context, given, detail["msg"])
    if description and not hint:
        hint = f"此处应填写：{description}。"
    return Problem(source.locate(path), message, _label(source, model, path), hint)


def _message(error_type: str, context: dict[str, Any], given: Any, english: str) -> tuple[str, str]:
    """The Chinese message and hint for one pydantic error type."""
    if given is None and error_type.endswith(("_type", "_parsing")):
        return "这里不能为空", ""
    if error_type == "huibao":
        return english, ""
    if error_type == "string_type":
        return f"应填写文字，这里是{_TYPE_NAMES_ZH.get(type(given), '其他内容')}", ""
    if error_type == "string_too_short":
        return "这里不能为空", ""
    if error_type == "string_too_long":
        limit = context.get("max_length")
        return (
            f"文字太长（{len(str(given))} 字），超过每项 {limit} 字的上限",
            "请拆分成多段或多个条目。",
        )
    if error_type in {"int_parsing", "int_type", "int_from_float"}:
        return f"应填写整数，这里是“{given}”", "只写阿拉伯数字，如 2020，不加“年”等文字。"
    if error_type in {"bool_parsing", "bool_type"}:
        return f"应填写 true 或 false（是/否），这里是“{given}”", ""
    if error_type in {"decimal_parsing", "decimal_type"}:
        return (
            f"“{given}”不是数值",
            "只写数字，可带“万”“亿”或“%”，如 1220、1,220、82.4%、20亿、2.3万；"
            "百分数的单位应为“%”或不写。",
        )
    if error_type.startswith("date"):
        return f"应填写日期，这里是“{given}”", "日期写成 2021-01-15 或 2021年1月15日。"
    if error_type == "string_pattern_mismatch":
        return f"“{given}”的写法不符合要求", ""
    if error_type == "literal_error":
        choices = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        close = difflib.get_close_matches(str(given), choices, n=1, cutoff=0.3)
        guess = f"是否想写“{close[0]}”？" if close else ""
        return f"不能填写“{given}”", f"{guess}只能填写以下之一：{'、'.join(choices)}。"
    if error_type == "list_type":
        return (
            f"应是列表，这里是{_TYPE_NAMES_ZH.get(type(given), '其他内容')}",
            "列表的每一项单独一行，以“- ”开头。",
        )
    if error_type in {"model_type", "dict_type", "model_attributes_type"}:
        return (
            f"应是一组“字段名: 值”，这里是{_TYPE_NAMES_ZH.get(type(given), '其他内容')}",
            "在下一行缩进两个空格，逐行写出各字段。",
        )
    if error_type == "too_short":
        return f"至少要有 {context.get('min_length', 1)} 项", ""
    if error_type in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        limits = {"ge": "不小于", "le": "不大于", "gt": "大于", "lt": "小于"}
        bounds = "、".join(
            f"{limits[key]} {value}" for key, value in context.items() if key in limits
        )
        return f"数值“{given}”超出范围，应{bounds}", ""
    return f"填写有误（{english}）", ""
