"""Blanks that staff typed for layout: full-width spaces at the start or end of a text.

Text pasted from last year's Word file often starts with two full-width spaces, the indent the
typist made by hand. huibao's styles indent paragraphs themselves, so those spaces are removed
(keeping them would indent twice) — but never silently: each removal is noted at its place. Blanks
inside a text (``市长  某某``) are kept as typed.
"""

from __future__ import annotations

from typing import Any

from generator.errors import Problem
from generator.load import LoadedSource
from schemas.base import DataPath

_WIDE_SPACE = "\u3000"


def leading_space_notes(source: LoadedSource) -> list[Problem]:
    """A note for every text of ``source`` that begins or ends with full-width spaces."""
    notes: list[Problem] = []
    _walk(source.data, (), source, notes)
    return notes


def _walk(value: Any, path: DataPath, source: LoadedSource, notes: list[Problem]) -> None:
    if isinstance(value, str):
        if _WIDE_SPACE not in value:
            return  # most texts: nothing to look at line by line
        for line in value.splitlines() or [value]:
            stripped = line.strip(" \t")
            if stripped.startswith(_WIDE_SPACE) or stripped.endswith(_WIDE_SPACE):
                notes.append(
                    Problem(
                        source.locate(path),
                        "已删去文字首尾的全角空格（段落缩进由样式生成，手打的空格会缩进两次）",
                        hint="文字中间的空格照原样保留；如确需首尾空格，请告诉模板维护人员调整样式。",
                    )
                )
                return
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, (*path, key), source, notes)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, (*path, index), source, notes)
