"""Any existing report read for ``huibao check``: paragraphs and tables with their places.

A Word document (.docx; .doc and .wps through LibreOffice) or a web page is read by the import
reader (``generator/reader.py``), with the spaces between numbers and words kept so that they can
be reported; its places are paragraph numbers in reading order and table cells. A text file is
read line by line so that every place is a line number; a table typed with ``|`` between cells
(as some systems export them) is read as a table, a line that does not end with ``|`` going on
in the next line.

The year a document reports on is the year in its title (``……2023年法治政府建设年度报告``); a
document whose title names no year has none, and the year check is skipped for it.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.check_text import Block, CheckDocument, CheckParagraph, CheckTable, Place, Span
from generator.import_front import read_front
from generator.import_outline import Para
from generator.import_text import full_width_punctuation
from generator.reader import SUFFIXES, read_document
from generator.reader_clean import keeping_number_spaces
from generator.reader_text import decode_text
from generator.reading import ReadParagraph, ReadTable

DOCUMENT_SUFFIXES = frozenset(SUFFIXES)
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def read_for_check(path: Path) -> CheckDocument:
    """Read an existing report; raise ``FileAccessError``/``InputError`` as ``huibao import`` does."""
    with keeping_number_spaces():
        read = read_document(path)
    if read.source_format == "txt":
        text, _ = decode_text(path, path.read_bytes())
        blocks = _text_blocks(path, text)
    else:
        blocks = _read_blocks(path, read.blocks)
    return CheckDocument(path, tuple(blocks), title_year(blocks), read.notes)


def _read_blocks(path: Path, read: tuple[ReadParagraph | ReadTable, ...]) -> list[Block]:
    blocks: list[Block] = []
    paragraph_number = table_number = 0
    for block in read:
        if isinstance(block, ReadTable):
            table_number += 1
            rows = []
            for row_number, row in enumerate(block.rows, start=1):
                rows.append(
                    tuple(
                        CheckParagraph(
                            cell.text,
                            (Span(0, Place(path, table=table_number, row=row_number, column=col)),),
                        )
                        for col, cell in enumerate(row, start=1)
                    )
                )
            blocks.append(CheckTable(tuple(rows)))
            continue
        paragraph_number += 1
        place = Place(path, paragraph=paragraph_number)
        blocks.append(CheckParagraph(block.text, (Span(0, place),)))
    return blocks


def _text_blocks(path: Path, text: str) -> list[Block]:
    """One paragraph a line (blank lines skipped); ``|`` tables as tables, rows over lines."""
    lines = text.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.count("|") >= 2:
            table, index = _pipe_table(path, lines, index)
            blocks.append(table)
            continue
        stripped = line.strip(" \t\u3000\u00a0\ufeff")
        if stripped:
            blocks.append(CheckParagraph(stripped, (Span(0, Place(path, line=index + 1)),)))
        index += 1
    return blocks


def _pipe_table(path: Path, lines: list[str], index: int) -> tuple[CheckTable, int]:
    """Rows of a ``|`` table from line ``index``: ``|`` closes a cell, a line that does not end
    with one leaves its last cell open; a row ends when its last cell is closed and it has at
    least two cells (the rule of ``huibao import``)."""
    rows: list[tuple[CheckParagraph, ...]] = []
    cells: list[tuple[str, list[Span]]] = []
    open_cell = False
    while index < len(lines):
        line = lines[index]
        if "|" not in line and not open_cell and not line.strip():
            break
        if "|" not in line and not open_cell and not cells:
            break
        place = Place(path, line=index + 1)
        segments = line.split("|")
        closes = line.rstrip().endswith("|")
        if closes:
            segments.pop()
        for number, segment in enumerate(segments):
            stripped = segment.strip()
            if number == 0 and open_cell:
                text, spans = cells[-1]
                if stripped:
                    if text:
                        text += "\n"
                    spans.append(Span(len(text), place))
                    cells[-1] = (text + stripped, spans)
            else:
                cells.append((stripped, [Span(0, place)]))
        open_cell = not closes
        index += 1
        if not open_cell and len(cells) >= 2:
            rows.append(tuple(CheckParagraph(text, tuple(spans)) for text, spans in cells))
            cells = []
    if cells:
        rows.append(tuple(CheckParagraph(text, tuple(spans)) for text, spans in cells))
    return CheckTable(tuple(rows)), index


def title_year(blocks: list[Block]) -> int | None:
    """The year in the title of a document, if its front matter has a title that names one."""
    paragraphs = [
        Para(full_width_punctuation(block.text)[0])
        for block in blocks[:12]
        if isinstance(block, CheckParagraph)
    ]
    front = read_front(paragraphs)
    found = _TITLE_YEAR.search("".join(front.title))
    return int(found[1]) if found else None
