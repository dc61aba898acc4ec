"""Stage 2: check loaded data against the schema of its report kind.

Every problem comes back at once, each with the file, line and column where it was typed, the field
as staff read it (``第6节 › 第2条``, never ``sections[5].items[1]``), a Chinese message and a fix.
Pydantic's English messages are rewritten here, in one table.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import InputError, Problem
from generator.introspect import (
    DICT_KEY,
    field_at,
    field_description,
    field_title,
    is_model,
    list_element,
    model_at,
    readable_path,
    unwrap_annotation,
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
    pending = [*source.problems, *_swallowed_text(source, kind.model)]
    try:
        report = kind.model.model_validate(source.data)
    except ValidationError as error:
        problems = [_problem_from_pydantic(source, kind.model, detail) for detail in error.errors()]
        raise InputError(file=source.path, problems=_sorted([*pending, *problems])) from None
    if pending:
        raise InputError(file=source.path, problems=_sorted(pending))
    findings = report.findings()
    if findings:
        problems = [
            Problem(
                source.locate(finding.path),
                finding.message,
                field=field_label(source, kind.model, finding.path),
                hint=finding.hint,
            )
            for finding in findings
        ]
        raise InputError(file=source.path, problems=_sorted(problems))
    return report


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.location.line or 0, p.location.column or 0))


def _in_spreadsheet(source: LoadedSource) -> bool:
    return source.path.suffix.lower() in SPREADSHEET_SUFFIXES


def field_label(source: LoadedSource, model: type[BaseModel], path: DataPath) -> str:
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
            field_label(source, model, path[:-1]),
            hint,
        )
    if error_type == "missing":
        title = field_title(model, path)
        explained = f"：{description}。" if description else "。"
        if _in_spreadsheet(source):  # the empty cell where the value belongs, else its row
            label = field_label(source, model, path)
            message = "缺少必填字段" if label == title else f"缺少必填字段“{title}”"
            return Problem(source.locate(path), message, label, f"请填写“{title}”{explained}")
        # YAML: the mapping the field belongs in, and the name to type there
        return Problem(
            source.locate(path),
            f"缺少必填字段“{title}”（{name}）",
            field_label(source, model, path[:-1]),
            f"请添加“{name}: …”{explained}",
        )
    if error_type == "string_pattern_mismatch" and path and path[-1] == DICT_KEY:
        return Problem(
            source.locate(path, prefer_key=True),
            f"指标名称“{given}”中不能有空格、句点或花括号",
            field_label(source, model, path[:-2]),
            "正文中用 {名称} 引用指标，名称里的“.”会被当作 {名称.完成率} 这样的写法；请改名。",
        )
    message, hint = _message(error_type, context, given, detail["msg"])
    if description and not hint:
        hint = f"此处应填写：{description}。"
    return Problem(source.locate(path), message, field_label(source, model, path), hint)


def _message(error_type: str, context: dict[str, Any], given: Any, english: str) -> tuple[str, str]:
    """The Chinese message and hint for one pydantic error type."""
    if given is None and error_type.endswith(("_type", "_parsing")):
        return "这里不能为空", ""
    if error_type == "huibao_line_break":
        return (
            english,
            "请删去换行，写成一段（YAML 中“|”下的多行、Excel 单元格中按 Alt+Enter 的换行都算换行）；"
            "需要分段的内容请写在正文段落中，每行一段。",
        )
    if error_type == "huibao":
        return english, ""
    if error_type == "string_type":
        hint = ""
        if isinstance(given, dict):
            hint = (
                "文字中的“: ”（冒号加空格）让 YAML 把它读成了“字段名: 值”：请把整段文字用引号括起来，"
                "或改用中文冒号“：”。"
            )
        elif isinstance(given, list):
            hint = "这里只写一段文字，不要以“- ”开头写成列表。"
        return f"应填写文字，这里是{_TYPE_NAMES_ZH.get(type(given), '其他内容')}", hint
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
        return f"应填写“是”或“否”（也可写 true 或 false），这里是“{given}”", ""
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
    if error_type == "too_long":
        return (
            f"条目太多（{context.get('actual_length')} 项），最多 {context.get('max_length')} 项",
            "请合并条目，或拆分成几份报告。",
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


def problems_from_validation_error(
    source: LoadedSource, model: type[BaseModel], error: ValidationError
) -> list[Problem]:
    """Pydantic's errors for data from ``source`` as located Chinese problems (for stages after
    validation that validate again, such as compute filling in figures)."""
    return _sorted([_problem_from_pydantic(source, model, detail) for detail in error.errors()])


_NOT_PROSE = (bool, int, float, Decimal, dt.date)


def _swallowed_text(source: LoadedSource, model: type[BaseModel]) -> list[Problem]:
    """A ``#`` comment right after unquoted text: YAML dropped the rest of the sentence.

    After a number, a date, a yes/no or a choice from a fixed list (``status: 按时推进  # …``)
    a comment loses nothing and stays allowed.
    """
    problems: list[Problem] = []
    for path, (location, comment) in source.trailing_comments.items():
        if not _holds_prose(model, path):
            continue
        problems.append(
            Problem(
                location,
                f"这一行“{comment[:20]}”被当作注释丢掉了：YAML 中“空格+#”之后的文字是注释",
                field_label(source, model, path),
                "如果“#”是正文的一部分，请把整段文字用引号括起来，或在字段名后写“|”、"
                "把文字写在下一行（缩进）；如果这是注释，请把它写在单独的一行。",
            )
        )
    return problems


def _holds_prose(model: type[BaseModel], path: DataPath) -> bool:
    """Whether the value at ``path`` is free text (not a number, date, yes/no or fixed choice)."""
    if path and path[0] == "figures":
        return path[-1] == "source"
    annotation: Any = model
    for part in path:
        if isinstance(part, int):
            annotation = list_element(annotation)
        else:
            current = unwrap_annotation(annotation)
            if not is_model(current) or part not in current.model_fields:
                return True  # an unknown field is reported anyway; say what YAML did too
            annotation = current.model_fields[part].annotation
        if annotation is None:
            return True
    annotation = unwrap_annotation(annotation)
    if typing.get_origin(annotation) is Literal:
        return False
    return not (isinstance(annotation, type) and issubclass(annotation, _NOT_PROSE))
