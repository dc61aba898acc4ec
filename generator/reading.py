"""What ``huibao import`` reads out of an existing report, before any structure is recognised.

The reader (``generator/reader.py``) turns a .docx, .doc, .wps, .txt or .html file into this plain
model: paragraphs as the reader of the document sees them (automatic numbering rendered into the
text, tracked changes accepted, fields shown as their result) and tables with their merges. The
importer (``generator/importer.py``) recognises the report's outline in it and writes the draft.
Keeping the two apart lets each be tested on its own: the importer with hand-made paragraphs, the
reader with real Word files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Alignment = Literal["left", "center", "right", "both", ""]


@dataclass(frozen=True)
class ReadParagraph:
    """One paragraph as displayed.

    ``text`` includes the number Word displays for an automatically numbered paragraph
    (``（一）加强组织领导``) — ``number`` repeats that number so the importer knows it was not
    typed — and soft line breaks as ``\\n``. Between the number and the text is what the list
    level puts there (``w:suff``): a tab (Word's default: ``一、\\t总体情况``), a space or
    nothing. ``bold_prefix`` is the leading text set in bold (a run-in heading such as
    ``强化理论武装。``), ``""`` if none; it is always a prefix of ``text``, so for a numbered
    paragraph it starts with the number and its tab. ``style`` is the paragraph style's name
    (``Title``, ``Heading 1``, ``Normal``; ``""`` for plain text input).
    """

    text: str
    style: str = ""
    number: str = ""
    bold_prefix: str = ""
    alignment: Alignment = ""
    outline_level: int | None = None
    """Word's outline level (0 = level 1) from the paragraph or its style, if any."""


@dataclass(frozen=True)
class ReadCell:
    """One cell of a table: its paragraphs as displayed, and how far it spans.

    A cell covered by a merge from above or the left is not repeated: the covering cell carries
    ``rowspan``/``colspan``.
    """

    paragraphs: tuple[str, ...]
    rowspan: int = 1
    colspan: int = 1

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class ReadTable:
    """A table, row by row; each row lists the cells that start in it, left to right."""

    rows: tuple[tuple[ReadCell, ...], ...]


Block = ReadParagraph | ReadTable


@dataclass(frozen=True)
class ReadDocument:
    """The blocks of a document in reading order, and what the reader changed to read it.

    ``notes`` are Chinese sentences for the draft's comments, e.g. ``已按接受全部修订读取``,
    ``数字中的空格已删去（“473 亿元”→“473亿元”）``.
    """

    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = field(default=())
    source_format: Literal["docx", "doc", "wps", "txt", "html"] = "docx"
