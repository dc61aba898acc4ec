"""The "nothing lost" guard between render and write: every text the input gave must be in the
document.

A template that forgets a field (or a condition that hides it) would otherwise drop a sentence
without a word. After rendering, every text value of the computed report is looked for in the
document text (NFKC, blanks ignored, line breaks kept: a paragraph or line break of the input must
be one in the document); a value that is missing stops the build, naming its field.
Figures are not texts of their own: they reach the document through placeholders, and a figure
never used is already a warning. Texts stored as document properties (the 发文机关 as author when
there is no 落款) count as present: they are in the .docx, where Word shows them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from generator.document import Document
from generator.errors import TemplateError
from generator.introspect import readable_path
from schemas import ReportBase
from schemas.base import DataPath

_NOT_TEXT = frozenset({"kind", "figures", "figures_from", "top_level", "responsible_label"})


def _normalised(text: str) -> str:
    """NFKC, blanks dropped, every line break kept as one ``\n``: a text whose lines were glued
    together (``计划投资100`` + ``2022年`` → ``计划投资1002022年``) no longer counts as present."""
    lines = unicodedata.normalize("NFKC", text).splitlines()
    return "\n".join(stripped for line in lines if (stripped := re.sub(r"\s+", "", line)))


def _texts(value: Any, path: DataPath) -> list[tuple[DataPath, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _texts(item, (*path, index))]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _texts(item, (*path, key))]
    return []


def missing_texts(
    report: ReportBase, document: Document, properties: tuple[str, ...] = ()
) -> list[tuple[DataPath, str]]:
    """Text values of ``report`` that appear neither in ``document`` nor in its ``properties``."""
    stored = {_normalised(text) for text in properties}
    produced = _normalised(document.text)
    data = report.model_dump()
    return [
        (path, text)
        for key, value in data.items()
        if key not in _NOT_TEXT
        for path, text in _texts(value, (key,))
        if _normalised(text) not in produced and _normalised(text) not in stored
    ]


def check_nothing_lost(
    report: ReportBase, document: Document, template: str, properties: tuple[str, ...] = ()
) -> None:
    """Raise ``TemplateError`` naming the input texts the rendered document lost."""
    missing = missing_texts(report, document, properties)
    if missing:
        listed = "；".join(
            f"{readable_path(type(report), path)}“{text[:20]}”" for path, text in missing[:5]
        )
        more = f"等 {len(missing)} 处" if len(missing) > 5 else ""
        raise TemplateError(
            location=template,
            reason=f"生成的文档缺少输入中的内容：{listed}{more}。模板漏写了这些字段，未生成文件",
        )
