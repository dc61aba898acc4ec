"""Numbers typed by hand where huibao numbers: ``（一）加强…`` under a generated （一） prints
``（一）（一）加强…``; ``一是`` typed in an item prints ``一是一是…``.

Staff who paste last year's Word text keep its numbering, so every text in a numbered place is
checked: section headings (and the first paragraph of a section without a heading), 一是 items,
the 1./（1） entries of 工作完成情况 and the numbered points of table cells. A typed number there
is an error at its place, with the fix; with ``strip`` it is removed and a note says so. A
paragraph that types its own ``一是……二是……`` run where the items form exists gets a warning.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.errors import InputError, Problem
from generator.load import LoadedSource
from generator.validate import field_label
from schemas.base import DataPath, ReportBase
from schemas.outline import UNNUMBERED, Item, OutlineReport, Section

_CHINESE_DIGITS = "一二三四五六七八九十百零〇"
TYPED_NUMBER = re.compile(
    rf"^\s*(?P<number>[{_CHINESE_DIGITS}]+\s*[、．.]"  # 一、
    rf"|[（(]\s*[{_CHINESE_DIGITS}]+\s*[）)]\s*[、．.]?"  # （一）
    r"|[1-9]\d{0,2}\s*[、．.](?!\d)"  # 1.  1、 (not 1.5万, not 0.)
    r"|[（(]\s*[1-9]\d{0,2}\s*[）)]"  # （1）
    rf"|[{_CHINESE_DIGITS}]{{1,3}}是"  # 一是
    rf"|第[{_CHINESE_DIGITS}]+[，,、是]"  # 第一，
    r"|[①-⑳])\s*"
)
"""A number typed at the start of a text, in any of the forms huibao generates (and neighbours)."""

_INLINE_ITEMS = re.compile(r"(?:^|[。；;：:，,！？])\s*一是.+?[。；;，,]\s*二是")
"""``……。一是……。二是……`` inside one paragraph: items typed by hand."""


@dataclass(frozen=True)
class TypedNumber:
    """A number typed at ``path`` (``typed``), or an item run typed inside a paragraph."""

    path: DataPath
    typed: str
    inline_items: bool = False


def find_typed_numbers(report: BaseModel) -> list[TypedNumber]:
    """Every text of ``report`` that starts with a typed number where huibao numbers it, and every
    paragraph with a typed 一是……二是…… run where an items field could hold it."""
    found: list[TypedNumber] = []
    top_unnumbered = isinstance(report, OutlineReport) and report.top_level == UNNUMBERED
    _walk(report, (), found, top_unnumbered=top_unnumbered)
    return found


def _starts_with_number(text: str | None, path: DataPath, found: list[TypedNumber]) -> None:
    if text is None:
        return
    match = TYPED_NUMBER.match(text)
    if match and match.end() < len(text):
        found.append(TypedNumber(path, match["number"].strip()))


def _typed_items(texts: list[str], path: DataPath, found: list[TypedNumber]) -> None:
    for index, text in enumerate(texts):
        if _INLINE_ITEMS.search(text) or (text.startswith("一是") and "二是" in text):
            found.append(TypedNumber((*path, index), "一是……二是……", inline_items=True))


def _classes(module: str, *names: str) -> tuple[type[Any], ...]:
    """Classes of a report kind's module if it is imported: only then can a report of that kind
    exist, and importing it here would build that kind's models for every report."""
    loaded = sys.modules.get(module)
    if loaded is None:
        return ()
    # a module another thread is still importing may lack a class yet: then none of its reports
    # can exist either
    found = (getattr(loaded, name, None) for name in names)
    return tuple(cls for cls in found if cls is not None)


def _walk(value: Any, path: DataPath, found: list[TypedNumber], *, top_unnumbered: bool) -> None:
    if isinstance(value, list):
        for index, entry in enumerate(value):
            if isinstance(entry, (BaseModel, list)):  # texts and figures hold no entries
                _walk(entry, (*path, index), found, top_unnumbered=top_unnumbered)
        return
    if not isinstance(value, BaseModel):
        return
    if isinstance(value, Section):
        numbered = not (top_unnumbered and len(path) == 2 and path[0] == "sections")
        if numbered:
            _starts_with_number(value.heading, (*path, "heading"), found)
            _starts_with_number(value.focus, (*path, "focus"), found)
            if value.heading is None and value.focus is None and value.text:
                _starts_with_number(value.text[0], (*path, "text", 0), found)
        _typed_items(value.text, (*path, "text"), found)
        if value.closing is not None:
            _typed_items(value.closing.text, (*path, "closing", "text"), found)
    elif isinstance(value, Item):
        _starts_with_number(value.heading, (*path, "heading"), found)
        if value.heading is None:
            _starts_with_number(value.text, (*path, "text"), found)
        if value.text is not None:
            _typed_items([value.text], path, found)
    elif isinstance(value, _classes("schemas.performance_review", "CompletionEntry")):
        _starts_with_number(value.heading, (*path, "heading"), found)
        if value.heading is None and value.text:
            _starts_with_number(value.text[0], (*path, "text", 0), found)
        _typed_items(value.text, (*path, "text"), found)
    elif (
        isinstance(value, _classes("schemas.task_progress", "TaskRow")) and len(value.progress) > 1
    ):
        for index, point in enumerate(value.progress):
            _starts_with_number(point, (*path, "progress", index), found)
    elif (
        isinstance(value, _classes("schemas.performance_review", "Target", "TargetRow"))
        and len(value.indicator) > 1
    ):
        for index, point in enumerate(value.indicator):
            _starts_with_number(point, (*path, "indicator", index), found)
    if isinstance(value, OutlineReport):
        _typed_items(value.opening, ("opening",), found)
        _typed_items(value.closing, ("closing",), found)
    for name in type(value).model_fields:
        field = getattr(value, name)
        if isinstance(field, (BaseModel, list)):
            _walk(field, (*path, name), found, top_unnumbered=top_unnumbered)


def strip_typed_numbers(data: dict[str, Any], found: list[TypedNumber]) -> dict[str, Any]:
    """``data`` (a report's ``model_dump()``) with the typed numbers of ``found`` removed."""
    for each in found:
        if each.inline_items:
            continue
        parent: Any = data
        for part in each.path[:-1]:
            parent = parent[part]
        text = parent[each.path[-1]]
        match = TYPED_NUMBER.match(text)
        if match:
            parent[each.path[-1]] = text[match.end() :]
    return data


def check_typed_numbers(
    report: ReportBase, source: LoadedSource, *, strip: bool = False
) -> tuple[ReportBase, list[Problem]]:
    """The report with typed numbers refused (``InputError``) or, with ``strip``, removed; and the
    warnings and notes for staff."""
    found = find_typed_numbers(report)
    model = type(report)
    warnings = [
        Problem(
            source.locate(each.path),
            "这一段手写了“一是……二是……”",
            field_label(source, model, each.path),
            "可改写为条目（items），编号由 huibao 生成，以后增删条目不必重新编号。",
        )
        for each in found
        if each.inline_items
    ]
    typed = [each for each in found if not each.inline_items]
    if not typed:
        return report, warnings
    if not strip:
        problems = [
            Problem(
                source.locate(each.path),
                f"开头手写了编号“{each.typed}”，而这里的编号是自动生成的",
                field_label(source, model, each.path),
                f"删去手写的“{each.typed}”，编号会自动生成"
                "（或在命令后加 --strip-numbers，由 huibao 删去手写的编号）。",
            )
            for each in typed
        ]
        raise InputError(file=source.path, problems=problems)
    notes = [
        Problem(
            source.locate(each.path),
            f"已删去手写的编号“{each.typed}”",
            field_label(source, model, each.path),
        )
        for each in typed
    ]
    stripped = model.model_validate(strip_typed_numbers(report.model_dump(), typed))
    return stripped, [*notes, *warnings]
