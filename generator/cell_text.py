"""Structured table cells as text: how a spreadsheet cell holds what YAML holds as a list.

A spreadsheet cell cannot hold YAML, so it holds the text as it reads in the report, one paragraph
a line (Alt+Enter in Excel): 进展情况 as ``1.… 2.…``, and 工作完成情况 as

    1.完成情况。一是…。二是…。
    2.新扩建城镇污水处理厂15个。
    （1）完成情况。…

The typed numbers (``1.`` ``（1）`` ``一是``) are read as the structure, so the report numbers them
again when it is built, exactly as for YAML input. Numbers only count when they run in order;
and a cell whose structure would not write back to exactly the text typed is kept as plain
paragraphs, so no sentence is lost or reworded by reading it.

``format_*`` are the inverse, used to write forms filled from a report and to check a reading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from generator.numbering import chinese_number
from generator.render import with_period
from schemas.outline import Item
from schemas.performance_review import CompletionEntry

_POINT = re.compile(r"^\s*(\d+)\s*[.．、]\s*")
_ENTRY = re.compile(r"^(\d+)\s*[.．、](?!\d)\s*")
_PART = re.compile(r"^[（(]\s*(\d+)\s*[）)]\s*")
_SENTENCE_ENDS = "。！？；：…"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- numbered points (进展情况, 考核内容及指标) ------------------------------------------------


def parse_points(text: str) -> list[str]:
    """Numbered points ``1.`` ``2.`` … as a list, their numbers dropped (the report numbers them).

    Lines that carry no number belong to the point above them (``1.…⏎其中…⏎2.…``). A cell that
    would not print back exactly as typed (numbers out of order, text before the first number, no
    numbers at all) is one point holding its lines as typed, so nothing is renumbered or lost.
    """
    lines = _lines(text)
    points: list[str] = []
    typed: list[str] = []
    for line in lines:
        match = _POINT.match(line)
        if match and int(match[1]) == len(points) + 1:
            points.append(line[match.end() :])
            typed.append(f"{match[1]}.{line[match.end() :]}")
        elif points:
            points[-1] += "\n" + line
            typed.append(line)
        else:
            break
    if len(points) > 1 and format_points(points) == "\n".join(typed) and len(typed) == len(lines):
        return points
    return ["\n".join(lines)] if lines else []


def format_points(points: Sequence[str]) -> str:
    """Points as the report numbers them: ``1.`` ``2.`` … when there are several."""
    if len(points) > 1:
        return "\n".join(f"{number}.{point}" for number, point in enumerate(points, start=1))
    return "\n".join(points)


# --- 工作完成情况 ---------------------------------------------------------------------------


def format_completion(entries: Sequence[CompletionEntry]) -> str:
    """The text of a 工作完成情况 cell, line for line what the report template prints."""
    lines: list[str] = []
    for number, entry in enumerate(entries, start=1):
        label = f"{number}." if len(entries) > 1 or entry.heading is not None else ""
        lines += _entry_lines(entry, label)
    return "\n".join(lines)


def _entry_lines(entry: CompletionEntry, label: str) -> list[str]:
    head = label + (with_period(entry.heading) if entry.heading is not None else "")
    items = "".join(_item_text(item, number) for number, item in enumerate(entry.items, start=1))
    lines: list[str] = []
    if entry.text:
        lines = list(entry.text)
        lines[0] = head + lines[0]
        lines[-1] += items
    elif head or items:
        lines = [head + items]
    for number, part in enumerate(entry.parts, start=1):
        lines += _entry_lines(part, f"（{number}）")
    return lines


def _item_text(item: Item, number: int) -> str:
    heading = with_period(item.heading) if item.heading is not None else ""
    return f"{chinese_number(number)}是{heading}{item.text or ''}"


@dataclass
class _Block:
    """The lines of one numbered entry or part while reading: its first line and the rest."""

    lines: list[str]
    parts: list[_Block] = field(default_factory=list)


def parse_completion(text: str) -> list[CompletionEntry]:
    """A 工作完成情况 cell as entries; as one entry of plain paragraphs if the numbering is unclear."""
    lines = _lines(text)
    blocks, canonical = _blocks(lines)
    try:
        entries = [_entry(block) for block in blocks]
    except ValidationError:
        entries = []
    if entries and format_completion(entries) == "\n".join(canonical):
        return entries
    return [CompletionEntry(text=lines)]


def _blocks(lines: list[str]) -> tuple[list[_Block], list[str]]:
    """Lines grouped under the ``1.`` and ``（1）`` that start them, and the lines as the report
    would print them (typed ``1、`` or ``(1)`` become ``1.`` and ``（1）``)."""
    blocks: list[_Block] = []
    canonical: list[str] = []
    for line in lines:
        entry = _ENTRY.match(line)
        part = _PART.match(line)
        if entry and int(entry[1]) == len(blocks) + 1:
            blocks.append(_Block([line[entry.end() :]]))
            canonical.append(f"{entry[1]}.{line[entry.end() :]}")
        elif part and blocks and int(part[1]) == len(blocks[-1].parts) + 1:
            blocks[-1].parts.append(_Block([line[part.end() :]]))
            canonical.append(f"（{part[1]}）{line[part.end() :]}")
        else:
            if not blocks:
                blocks.append(_Block([""]))
            current = blocks[-1].parts[-1] if blocks[-1].parts else blocks[-1]
            current.lines.append(line)
            canonical.append(line)
    return blocks, canonical


def _entry(block: _Block) -> CompletionEntry:
    """One entry: the heading before the first 。, the paragraphs, 一是… items at the end."""
    paragraphs = [line for line in block.lines if line]
    heading: str | None = None
    items: list[Item] = []
    if paragraphs:
        last = paragraphs[-1]
        start = _items_start(last)
        if start is not None and (start > 0 or len(paragraphs) == 1):
            items = _items(last[start:])
            paragraphs[-1] = last[:start]
        heading, first = _split_heading(paragraphs[0], alone=len(paragraphs) == 1)
        paragraphs[0] = first
    return CompletionEntry(
        heading=heading,
        text=[paragraph for paragraph in paragraphs if paragraph],
        items=items,
        parts=[_entry(part) for part in block.parts],
    )


def _split_heading(paragraph: str, *, alone: bool) -> tuple[str | None, str]:
    """``完成情况。…`` → (完成情况, …); a paragraph without a short heading keeps its text."""
    end = paragraph.find("。")
    before, after = paragraph[:end], paragraph[end + 1 :]
    if end <= 0 or before.endswith(tuple(_SENTENCE_ENDS)) or not (after or alone):
        return None, paragraph
    return before, after


def _item_marker(number: int) -> re.Pattern[str]:
    return re.compile(rf"(?:^|(?<=[{_SENTENCE_ENDS}])){chinese_number(number)}是")


def _items_start(paragraph: str) -> int | None:
    """Where ``一是`` begins a run of items: at the start or after a sentence, then 二是 …."""
    first = _item_marker(1).search(paragraph)
    return first.start() if first else None


def _items(text: str) -> list[Item]:
    """``一是A。…二是B。…`` → items; a 三是 only counts after 二是, so text keeps stray 是s."""
    starts = [0]
    number = 2
    while (found := _item_marker(number).search(text, starts[-1] + 2)) is not None:
        starts.append(found.start())
        number += 1
    items: list[Item] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        body = text[start + len(chinese_number(index + 1)) + 1 : end]
        heading, rest = _split_heading(body, alone=False)
        items.append(Item(heading=heading, text=rest or None) if heading else Item(text=body))
    return items
