"""Walking pydantic models by field path: shared by error messages and skeleton generation."""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from schemas.base import DataPath


def unwrap_annotation(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` so that the remaining type can be walked."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def is_model(annotation: Any) -> bool:
    """Whether ``annotation`` is a pydantic model class."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def list_element(annotation: Any) -> Any | None:
    """The element type of ``list[X]`` (unwrapped), or ``None`` when it is not a list."""
    annotation = unwrap_annotation(annotation)
    if typing.get_origin(annotation) is not list:
        return None
    return unwrap_annotation(typing.get_args(annotation)[0])


def model_at(model: type[BaseModel], path: DataPath) -> type[BaseModel] | None:
    """The model class that describes the mapping found at ``path``, if there is one."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            current = list_element(current)
        else:
            current = unwrap_annotation(current)
            if typing.get_origin(current) is dict:  # a key of a mapping such as the figures
                current = typing.get_args(current)[1]
                continue
            if not is_model(current) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
        if current is None:
            return None
    current = unwrap_annotation(current)
    return current if is_model(current) else None


def field_at(model: type[BaseModel], path: DataPath) -> FieldInfo | None:
    """The field that ``path`` names (its last part a field name), or ``None``."""
    if not path or not isinstance(path[-1], str):
        return None
    parent = model_at(model, path[:-1])
    return parent.model_fields.get(path[-1]) if parent else None


def field_description(model: type[BaseModel], path: DataPath) -> str:
    """The Chinese description of the field at ``path``, or an empty string."""
    field = field_at(model, path)
    return (field.description or "") if field else ""


def field_title(model: type[BaseModel], path: DataPath) -> str:
    """The Chinese title of the field at ``path`` (a spreadsheet's column name), else its name."""
    field = field_at(model, path)
    name = str(path[-1]) if path and isinstance(path[-1], str) else ""
    return (field.title or name) if field else name


ENTRY_NAMES: dict[str, str] = {
    "sections": "第{n}节",
    "items": "第{n}条",
    "tasks": "第{n}项任务",
    "continued": "续行第{n}行",
    "dimensions": "第{n}个考评维度",
    "targets": "第{n}个目标",
    "completion": "{title} › 第{n}项",
    "parts": "第{n}小项",
    "progress": "{title} › 第{n}条",
    "indicator": "{title} › 第{n}条",
    "departments": "{title} › 第{n}个",
}
"""How one entry of a list field is named in messages, by the list field's name: ``{n}`` is its
1-based position, ``{title}`` the list field's Chinese title. A list field not named here reads
``{title} › 第{n}段`` for paragraphs of text and ``{title} › 第{n}项`` for anything else."""

SUBENTRY_NAMES: dict[str, str] = {"sections": "第{n}小节"}
"""Entry names for a list held by an entry of the same kind: the sections of a section."""

DICT_KEY = "[key]"
"""The path part pydantic adds after a mapping key whose key itself is invalid (a figure name)."""

PATH_SEPARATOR = " › "


@functools.lru_cache(maxsize=4096)
def readable_path(model: type[BaseModel], path: DataPath) -> str:
    """A data path as staff read it: Chinese field titles and positions, never YAML names.

    Remembered (a model class never changes): a batch names the same places in report after
    report, and each name walks the model's annotations.

    ``("sections", 5, "items", 1)`` → ``第6节 › 第2条``; ``("tasks", 2, "status")`` →
    ``第3项任务 › 进展状态``; ``("figures", "道路里程", "target")`` → ``指标“道路里程” › 目标``;
    ``("opening", 1)`` → ``开头 › 第2段``. A part the model does not know (a misspelt field) is
    shown as typed.
    """
    parts: list[str] = []
    current: Any = model  # the annotation that the next path part indexes into
    holder: Any = None  # the model owning the last field walked
    pending: tuple[str, str] | None = None  # a list or mapping field's (name, title), not yet shown
    for part in path:
        annotation = unwrap_annotation(current)
        if pending is not None and isinstance(part, int) and list_element(annotation) is not None:
            element = list_element(annotation)
            name, title = pending
            nested = name in SUBENTRY_NAMES and element is holder
            default = "{title} › 第{n}项" if is_model(element) else "{title} › 第{n}段"
            pattern = (SUBENTRY_NAMES if nested else ENTRY_NAMES).get(name, default)
            parts.append(pattern.format(n=part + 1, title=title))
            current, pending = element, None
            continue
        if pending is not None and typing.get_origin(annotation) is dict:
            parts.append(f"{pending[1]}“{part}”")
            current, pending = typing.get_args(annotation)[1], None
            continue
        if pending is not None:
            parts.append(pending[1])
            pending = None
        if is_model(annotation) and isinstance(part, str) and part in annotation.model_fields:
            field = annotation.model_fields[part]
            title = field.title or part
            inner = unwrap_annotation(field.annotation)
            if list_element(inner) is not None or typing.get_origin(inner) is dict:
                pending = (part, title)
            else:
                parts.append(title)
            holder, current = annotation, field.annotation
        elif part == DICT_KEY:
            parts.append("名称")
            current = None
        elif isinstance(part, int):
            parts.append(f"第{part + 1}项")
            current = None
        else:
            parts.append(str(part))
            current = None
    if pending is not None:
        parts.append(pending[1])
    return PATH_SEPARATOR.join(parts)
