"""Walking pydantic models by field path: shared by error messages and skeleton generation."""

from __future__ import annotations

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
            if not is_model(current) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
        if current is None:
            return None
    current = unwrap_annotation(current)
    return current if is_model(current) else None


def _field_at(model: type[BaseModel], path: DataPath) -> FieldInfo | None:
    if not path or not isinstance(path[-1], str):
        return None
    parent = model_at(model, path[:-1])
    return parent.model_fields.get(path[-1]) if parent else None


def field_description(model: type[BaseModel], path: DataPath) -> str:
    """The Chinese description of the field at ``path``, or an empty string."""
    field = _field_at(model, path)
    return (field.description or "") if field else ""


def field_title(model: type[BaseModel], path: DataPath) -> str:
    """The Chinese title of the field at ``path`` (a spreadsheet's column name), else its name."""
    field = _field_at(model, path)
    name = str(path[-1]) if path and isinstance(path[-1], str) else ""
    return (field.title or name) if field else name
