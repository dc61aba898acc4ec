"""Blank, commented input files (``huibao new``) and JSON Schemas (``huibao schema``).

Both come from the kind's pydantic model, so the field descriptions staff read in the skeleton's
comments are the same ones their editor shows from the schema.
"""

from __future__ import annotations

import json
import typing

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.introspect import is_model, list_element, unwrap_annotation
from schemas import ReportKind


def schema_json(kind: ReportKind) -> str:
    """The JSON Schema of a kind's input, for editors (VS Code YAML extension) and tooling."""
    schema = kind.model.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"汇报输入文件：{kind.label}",
        **{key: value for key, value in schema.items() if key != "title"},
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def skeleton_yaml(kind: ReportKind, schema_file: str) -> str:
    """A commented YAML skeleton: every field once, required ones left blank for staff to fill."""
    lines = [
        f"# yaml-language-server: $schema={schema_file}",
        f"# {kind.label}（{kind.name}）：{kind.description}",
        "# 填写说明：“#”开头的行是说明，不会进入报告；标有（必填）的字段必须填写。",
        "# 多段文字用“|”后换行书写，每行一段。填好后运行：huibao build 本文件名",
        "",
    ]
    lines += _model_lines(kind.model, indent=0, stack=(kind.model,), kind_name=kind.name)
    return "\n".join(lines) + "\n"


def _model_lines(
    model: type[BaseModel], *, indent: int, stack: tuple[type[BaseModel], ...], kind_name: str
) -> list[str]:
    lines: list[str] = []
    # ``kind`` first: it is what staff read to know which report the file is.
    fields = sorted(model.model_fields.items(), key=lambda entry: entry[0] != "kind")
    for name, field in fields:
        lines += _field_lines(name, field, indent=indent, stack=stack, kind_name=kind_name)
    return lines


def _field_lines(
    name: str,
    field: FieldInfo,
    *,
    indent: int,
    stack: tuple[type[BaseModel], ...],
    kind_name: str,
) -> list[str]:
    pad = " " * indent
    required = field.is_required()
    lines = [f"{pad}# {field.description or name}{'（必填）' if required else ''}"]
    annotation = unwrap_annotation(field.annotation)
    element = list_element(annotation)
    if name == "kind":
        return [*lines, f"{pad}kind: {kind_name}"]
    if typing.get_origin(annotation) is list:
        if element is not None and is_model(element) and element not in stack:
            item = _model_lines(
                element, indent=indent + 4, stack=(*stack, element), kind_name=kind_name
            )
            first = next(
                index for index, line in enumerate(item) if not line.lstrip().startswith("#")
            )
            item[first] = f"{pad}  - {item[first].lstrip()}"
            if required:
                return [*lines, f"{pad}{name}:", *item]
            # Optional: an empty list, with one entry shown commented out as an example.
            example = [
                f"{pad}# {line[indent:]}" for line in item if not line.lstrip().startswith("#")
            ]
            return [*lines, f"{pad}{name}: []", f"{pad}# 例如：", f"{pad}# {name}:", *example]
        if required:
            return [*lines, f"{pad}{name}:", f"{pad}  -"]
        return [*lines, f"{pad}{name}: []"]
    if typing.get_origin(annotation) is dict:
        # Named figures: an empty table, with the two ways of writing a figure shown commented.
        return [
            *lines,
            f"{pad}{name}: {{}}",
            f"{pad}# 例如：",
            f"{pad}# {name}:",
            f"{pad}#   道路里程: 88公里",
            f"{pad}#   建筑业产值: {{value: 1220, unit: 亿元, target: 1200, last_year: 1134}}",
        ]
    if is_model(annotation):
        nested = _model_lines(
            annotation, indent=indent + 2, stack=(*stack, annotation), kind_name=kind_name
        )
        return [*lines, f"{pad}{name}:", *nested]
    if required or field.default is None:
        return [*lines, f"{pad}{name}:"]
    if isinstance(field.default, bool):  # a yes/no switch: staff write 是/否, as their comment says
        return [*lines, f"{pad}{name}: {'是' if field.default else '否'}"]
    default = yaml.safe_dump(field.default, allow_unicode=True, default_flow_style=True)
    return [*lines, f"{pad}{name}: {default.strip().removesuffix('...').strip()}"]
