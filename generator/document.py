"""The small document model between templates and Word, and the HTML subset that describes it.

Templates render a documented HTML subset; this module parses it into typed blocks. Every paragraph,
character and table style is named by the template (``<p class="落款">``), and the writer looks
those names up in the reference .docx, so a maintainer can add a style in Word and use it without
Python.

The subset:

==============================  =====================================================
``<h1>`` … ``<h4>``             heading paragraph, Word style ``Heading 1`` … ``Heading 4``
``<p>``                         body paragraph, Word style ``Normal``
``<p class="S">``               paragraph in the Word paragraph style named ``S``
``<span class="S">``            run in the Word character style named ``S`` (run-in headings)
``<br>``                        line break inside a paragraph
``<table class="S">``           table in the Word table style ``S`` (default ``公文表格``)
``<col width="15mm">``          column widths, in ``mm`` or ``%`` of the text block (inside the table);
                                ``auto``: as wide as the longest line of its cells and header, which
                                then never breaks; ``*``: the long-text columns, sharing the rest so
                                the table is shortest; ``min``/``max`` (mm) bound ``auto`` and ``*``
``<table orientation=landscape>`` a wide table: the report is set landscape (横排, GB/T 9704 §8)
``<thead>`` ``<tbody>``         rows in ``<thead>`` are header rows, repeated on every page
``<tr>`` ``<td>`` ``<th>``      rows and cells; ``rowspan``/``colspan`` become real Word merges;
                                ``valign`` = ``top`` / ``center`` / ``bottom``
cell text                       ``<p>`` paragraphs, or bare text: one paragraph in ``表格文字``
                                (``<td>``) or ``表格标题`` (``<th>``), or the cell's ``class``
``html head body main div``     containers, ignored; ``<title>``/``<style>``: preview only, dropped
==============================  =====================================================

Whitespace that contains a line break is template layout and is dropped; any other whitespace is
text and kept. Text is always escaped by Jinja, so input can never add markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from html import unescape
from html.parser import HTMLParser
from typing import Literal, NoReturn

from generator.errors import TemplateError

HEADING_STYLES = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}
BODY_STYLE = "Normal"
TABLE_STYLE = "公文表格"
CELL_STYLES = {"td": "表格文字", "th": "表格标题"}
_CONTAINERS = frozenset({"html", "head", "body", "main", "div", "section", "article", "meta"})
_PREVIEW_ONLY = frozenset({"title", "style"})
_LAYOUT_WHITESPACE = re.compile(r"\s*[\r\n]\s*")
_WIDTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|%)\s*$")
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*mm\s*$")
_ORIENTATIONS = ("portrait", "landscape")
_VERTICAL_ALIGNMENTS = ("top", "center", "bottom")

VerticalAlignment = Literal["top", "center", "bottom"]


@dataclass(frozen=True)
class Run:
    """A stretch of text in one character style (``None``: the paragraph's own style)."""

    text: str
    style: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph in a named Word paragraph style."""

    style: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Width:
    """A column width as the template states it: millimetres, a share of the text block, ``auto``
    (from the column's content) or ``*`` (a share of the rest); ``minimum``/``maximum`` in mm."""

    value: float
    unit: Literal["mm", "%", "auto", "*"]
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Cell:
    """A table cell; ``rowspan``/``colspan`` greater than 1 make it a merged cell."""

    paragraphs: tuple[Paragraph, ...]
    rowspan: int = 1
    colspan: int = 1
    valign: VerticalAlignment | None = None

    @property
    def text(self) -> str:
        return "\n".join(paragraph.text for paragraph in self.paragraphs)


@dataclass(frozen=True)
class Row:
    """A table row; header rows repeat at the top of every page the table runs onto."""

    cells: tuple[Cell, ...]
    header: bool = False


@dataclass(frozen=True)
class Placement:
    """Where a cell sits on the table grid in one row.

    ``continued`` marks the rows below the first row of a vertically merged cell: Word needs a
    cell there too (``w:vMerge`` without ``restart``), with no text of its own.
    """

    cell: Cell
    column: int
    continued: bool


@dataclass(frozen=True)
class Table:
    """A table in a named Word table style, with column widths and rows."""

    style: str
    widths: tuple[Width, ...]
    rows: tuple[Row, ...]
    landscape: bool = False

    @property
    def column_count(self) -> int:
        return len(self.widths)

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(
            paragraph for row in self.rows for cell in row.cells for paragraph in cell.paragraphs
        )

    @property
    def text(self) -> str:
        """Cell texts in reading order (row by row, left to right), one paragraph a line."""
        return "\n".join(paragraph.text for paragraph in self.paragraphs)

    def grid(self) -> list[list[Placement]]:
        """Every row as placements on the column grid, merged cells continued where they span.

        The parser has placed the rows once already to check them, so this cannot fail.
        """
        return [list(row) for row in self._grid]

    @cached_property
    def _grid(self) -> tuple[tuple[Placement, ...], ...]:
        """The placements, worked out once (the writer reads them for widths and for cells)."""
        return tuple(tuple(row) for row in place_rows(self.rows, self.column_count))


class GridError(ValueError):
    """Rows that do not fill the table's grid exactly; the message is for template maintainers."""


def place_rows(rows: tuple[Row, ...], columns: int) -> list[list[Placement]]:
    """Lay ``rows`` out on a grid of ``columns``: where each cell starts, and where a cell merged
    from above continues. Raise ``GridError`` if a row is too short or too long, a cell overlaps
    a merged cell from above, or a merged cell runs past the last row.
    """
    spanning: dict[int, tuple[Cell, int]] = {}  # first column → (cell, rows still to cover)
    grid: list[list[Placement]] = []
    for number, row in enumerate(rows, start=1):
        above = spanning
        spanning = {column: (cell, left - 1) for column, (cell, left) in above.items() if left > 1}
        covered = {
            start + offset: cell
            for start, (cell, _) in above.items()
            for offset in range(cell.colspan)
        }
        placements: list[Placement] = []
        cells = iter(row.cells)
        column = 0
        while True:
            if column in covered:
                merged = covered[column]
                placements.append(Placement(merged, column, continued=True))
                column += merged.colspan
                continue
            cell = next(cells, None)
            if cell is None:
                break
            if any(column + offset in covered for offset in range(cell.colspan)):
                raise GridError(f"第 {number} 行的合并单元格与上方的合并单元格重叠")
            placements.append(Placement(cell, column, continued=False))
            if cell.rowspan > 1:
                spanning[column] = (cell, cell.rowspan - 1)
            column += cell.colspan
        if column != columns:
            raise GridError(f"第 {number} 行占 {column} 列，表格应为 {columns} 列")
        grid.append(placements)
    if spanning:
        raise GridError("合并单元格（rowspan）超出了表格的最后一行")
    return grid


Block = Paragraph | Table


@dataclass(frozen=True)
class StyleNames:
    """The Word styles a document uses, by kind; the writer checks each exists in the reference."""

    paragraph: set[str] = field(default_factory=set)
    character: set[str] = field(default_factory=set)
    table: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Document:
    """A rendered report, ready for the writer."""

    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Every paragraph, those in table cells included, in reading order."""
        found: list[Paragraph] = []
        for block in self.blocks:
            if isinstance(block, Table):
                found.extend(block.paragraphs)
            else:
                found.append(block)
        return tuple(found)

    @property
    def text(self) -> str:
        """All text, one paragraph a line: what the reader of the .docx will read."""
        return "\n".join(paragraph.text for paragraph in self.paragraphs)

    @property
    def styles(self) -> StyleNames:
        """The paragraph, character and table style names the document uses."""
        paragraphs = self.paragraphs
        return StyleNames(
            paragraph={paragraph.style for paragraph in paragraphs},
            character={
                run.style for paragraph in paragraphs for run in paragraph.runs if run.style
            },
            table={block.style for block in self.blocks if isinstance(block, Table)},
        )


def parse_html(html: str, *, source: str) -> Document:
    """Parse rendered template output into a ``Document``; ``source`` names the template.

    Well-formed output (every template's, as Jinja escapes it) is read by ``_read_plain_html``;
    anything else (a comment, ``<script>``, an unquoted attribute, a stray ``<``) by the standard
    library's parser, which reads any HTML: the same handlers, so the same document and the same
    messages at the same lines either way."""
    parser = _SubsetParser(source)
    if not _read_plain_html(parser, html):
        parser = _SubsetParser(source)
        parser.feed(html)
        parser.close()
    return parser.document()


_PLAIN_TOKEN = re.compile(
    r"<(?P<end>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9]*)"
    r"(?P<attributes>(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)"
    r"\s*(?P<slash>/?)>"
    r"|(?P<data>[^<]+)"
    r"|(?P<other><)"  # anything else: HTMLParser reads it
)
_PLAIN_ATTRIBUTE = re.compile(
    r"\s+(?P<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'))?"
)
_RAW_TEXT = re.compile(r"<(?:script|style)\b", re.IGNORECASE)


def _read_plain_html(parser: _SubsetParser, html: str) -> bool:
    """Feed ``parser``'s handlers the tags and texts of ``html`` as ``HTMLParser`` would (names
    lowercased, attribute values and texts unescaped, each handler at the line its tag or text
    starts on), if ``html`` is made only of plain tags and text; ``False`` at the first thing
    that is not, with nothing to keep (the caller starts again with ``HTMLParser``).

    ``HTMLParser`` is pure Python and was a third of the time of rendering a large table."""
    if _RAW_TEXT.search(html):
        return False
    line = 1
    for token in _PLAIN_TOKEN.finditer(html):  # every character is in a token (``other``)
        parser.lineno, parser.offset = line, 0
        kind = token.lastgroup
        if kind == "data":
            data = token[kind]
            parser.handle_data(unescape(data) if "&" in data else data)
            line += data.count("\n")
            continue
        if kind == "other":
            return False
        closing, tag, attributes, slash = token.group("end", "tag", "attributes", "slash")
        if closing:
            if attributes or slash:
                return False
            parser.handle_endtag(tag.lower())
        else:
            found = (
                [
                    (match["name"].lower(), _attribute_value(match["value"]))
                    for match in _PLAIN_ATTRIBUTE.finditer(attributes)
                ]
                if attributes
                else []
            )
            if slash:
                parser.handle_startendtag(tag.lower(), found)
            else:
                parser.handle_starttag(tag.lower(), found)
        line += token[0].count("\n")
    parser.lineno, parser.offset = line, 0
    return True


def _attribute_value(quoted: str | None) -> str | None:
    if quoted is None:
        return None
    return unescape(quoted[1:-1]) if len(quoted) > 2 else ""


def _layout_free(text: str) -> str:
    """Drop whitespace runs that contain a line break: they come from template indentation."""
    if "\n" not in text and "\r" not in text:
        return text
    return _LAYOUT_WHITESPACE.sub("", text)


@dataclass
class _TableInProgress:
    style: str
    landscape: bool = False
    widths: list[Width] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    in_head: bool = False
    cells: list[Cell] | None = None  # the open row
    cell_tag: str = ""  # the open cell: "td" or "th"
    cell_attributes: dict[str, str | None] = field(default_factory=dict)
    cell_paragraphs: list[Paragraph] = field(default_factory=list)


class _SubsetParser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.blocks: list[Block] = []
        self.paragraph_style: str | None = None
        self.paragraph_tag = ""
        self.runs: list[Run] = []
        self.run_style: str | None = None
        self.skipping = ""
        self.table: _TableInProgress | None = None

    def document(self) -> Document:
        """The document read, once all of the HTML has been fed."""
        if self.paragraph_style is not None:
            self.fail("段落没有结束标记")
        if self.table is not None:
            self.fail("<table> 没有结束标记")
        return Document(tuple(self.blocks))

    def fail(self, reason: str) -> NoReturn:
        line, _ = self.getpos()
        raise TemplateError(location=f"{self.source} 生成的 HTML 第 {line} 行", reason=reason)

    # --- tags ---------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        css_class = attributes.get("class")
        if self.skipping:
            return
        if tag in _CONTAINERS:
            return
        if tag in _PREVIEW_ONLY:
            self.skipping = tag
        elif tag in HEADING_STYLES or tag == "p":
            if self.paragraph_style is not None:
                self.fail(f"<{tag}> 不能写在另一个段落里面")
            if self.table is not None and not self.table.cell_tag:
                self.fail(f"<{tag}> 在表格中只能写在 <td>/<th> 里面")
            self._open_paragraph(tag, css_class or HEADING_STYLES.get(tag, BODY_STYLE))
        elif tag == "span":
            if self.run_style is not None:
                self.fail("<span> 不能嵌套")
            if not css_class:
                self.fail("<span> 需要 class（Word 字符样式名）")
            self._ensure_paragraph("<span>")
            self.run_style = css_class
        elif tag == "br":
            self._ensure_paragraph("<br>")
            self.runs.append(Run("\n", self.run_style))
        elif tag in {"table", "col", "colgroup", "thead", "tbody", "tr", "td", "th"}:
            self._table_start(tag, attributes)
        else:
            self.fail(f"不支持的标记 <{tag}>；可用：h1–h4、p、span、br、table、tr、td、th")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping:
                self.skipping = ""
            return
        if tag == "span" and self.run_style is not None:
            self.run_style = None
        elif tag in {"table", "thead", "tr", "td", "th"}:
            self._table_end(tag)
        elif tag == self.paragraph_tag and self.paragraph_style is not None:
            self._close_paragraph()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = _layout_free(data)
        if not text:
            return
        if self.paragraph_style is None:
            if not text.strip():
                return
            if self.table is None or not self.table.cell_tag:
                self.fail(f"文字“{text.strip()[:20]}”没有放在段落（<p> 或 <h1>–<h4>）或单元格里")
            self._ensure_paragraph("文字")
        self.runs.append(Run(text, self.run_style))

    # --- paragraphs ---------------------------------------------------------------------------

    def _open_paragraph(self, tag: str, style: str) -> None:
        self.paragraph_tag = tag
        self.paragraph_style = style
        self.runs = []

    def _ensure_paragraph(self, what: str) -> None:
        """Open the implicit paragraph of a cell's bare text, or fail outside paragraphs."""
        if self.paragraph_style is not None:
            return
        table = self.table
        if table is None or not table.cell_tag:
            self.fail(f"{what} 只能写在段落里面")
        style = table.cell_attributes.get("class") or CELL_STYLES[table.cell_tag]
        self._open_paragraph(table.cell_tag, style)

    def _close_paragraph(self) -> None:
        if self.run_style is not None:
            self.fail("<span> 没有结束就结束了段落")
        assert self.paragraph_style is not None
        paragraph = Paragraph(self.paragraph_style, tuple(self._merged_runs()))
        if self.table is not None and self.table.cell_tag:
            self.table.cell_paragraphs.append(paragraph)
        else:
            self.blocks.append(paragraph)
        self.paragraph_style = None
        self.paragraph_tag = ""

    def _merged_runs(self) -> list[Run]:
        merged: list[Run] = []
        for run in self.runs:
            if merged and merged[-1].style == run.style:
                merged[-1] = Run(merged[-1].text + run.text, run.style)
            else:
                merged.append(run)
        return merged

    # --- tables -------------------------------------------------------------------------------

    def _table_start(self, tag: str, attributes: dict[str, str | None]) -> None:
        if self.paragraph_style is not None:
            self.fail(f"<{tag}> 不能写在段落里面")
        table = self.table
        if tag == "table":
            if table is not None:
                self.fail("表格不能嵌套")
            orientation = attributes.get("orientation") or "portrait"
            if orientation not in _ORIENTATIONS:
                self.fail(f"orientation=“{orientation}”只能是 portrait（竖排）或 landscape（横排）")
            self.table = _TableInProgress(
                style=attributes.get("class") or TABLE_STYLE,
                landscape=orientation == "landscape",
            )
            return
        if table is None:
            self.fail(f"<{tag}> 只能写在 <table> 里面")
        if tag == "colgroup":
            return
        if tag == "col":
            if table.rows or table.cells is not None:
                self.fail("<col> 要写在表格的第一行之前")
            table.widths.append(self._width(attributes))
        elif tag == "thead":
            if table.rows:
                self.fail("<thead> 要写在表格的最前面")
            table.in_head = True
        elif tag == "tbody":
            table.in_head = False
        elif tag == "tr":
            if table.cells is not None:
                self.fail("<tr> 不能写在另一行里面")
            table.cells = []
        else:  # td, th
            if table.cells is None:
                self.fail(f"<{tag}> 只能写在 <tr> 里面")
            if table.cell_tag:
                self.fail(f"<{tag}> 不能写在另一个单元格里面")
            table.cell_tag = tag
            table.cell_attributes = attributes
            table.cell_paragraphs = []

    def _table_end(self, tag: str) -> None:
        table = self.table
        if table is None:
            return
        if tag in {"td", "th"} and table.cell_tag == tag:
            if self.paragraph_style is not None:
                if self.paragraph_tag != tag:
                    self.fail(f"<{self.paragraph_tag}> 没有结束就结束了单元格")
                self._close_paragraph()
            assert table.cells is not None
            table.cells.append(self._cell(table))
            table.cell_tag = ""
        elif tag == "tr" and table.cells is not None:
            if table.cell_tag:
                self.fail(f"<{table.cell_tag}> 没有结束就结束了一行")
            table.rows.append(Row(tuple(table.cells), header=table.in_head))
            table.cells = None
        elif tag == "thead":
            table.in_head = False
        elif tag == "table":
            if table.cells is not None:
                self.fail("<tr> 没有结束就结束了表格")
            self.blocks.append(self._finished(table))
            self.table = None

    def _span(self, attributes: dict[str, str | None], name: str) -> int:
        value = attributes.get(name) or "1"
        if not value.isdigit() or not 1 <= int(value) <= 1000:
            self.fail(f"{name}=“{value}”应是 1 到 1000 的整数")
        return int(value)

    def _cell(self, table: _TableInProgress) -> Cell:
        attributes = table.cell_attributes
        valign = attributes.get("valign")
        if valign is not None and valign not in _VERTICAL_ALIGNMENTS:
            self.fail(f"valign=“{valign}”只能是 top、center 或 bottom")
        paragraphs = table.cell_paragraphs or [
            Paragraph(attributes.get("class") or CELL_STYLES[table.cell_tag], ())
        ]
        return Cell(
            tuple(paragraphs),
            rowspan=self._span(attributes, "rowspan"),
            colspan=self._span(attributes, "colspan"),
            valign=valign,  # type: ignore[arg-type]  # checked just above
        )

    def _width(self, attributes: dict[str, str | None]) -> Width:
        value = (attributes.get("width") or "").strip()
        bounds = [self._length(attributes, name) for name in ("min", "max")]
        if value in ("auto", "*"):
            return Width(0, "auto" if value == "auto" else "*", *bounds)
        match = _WIDTH.match(value)
        if match is None:
            self.fail(f"<col width=“{value}”> 应写成毫米或百分比（如 15mm、10%），或 auto、*")
        return Width(float(match.group(1)), "mm" if match.group(2) == "mm" else "%")

    def _length(self, attributes: dict[str, str | None], name: str) -> float | None:
        value = attributes.get(name)
        if value is None:
            return None
        match = _LENGTH.match(value)
        if match is None:
            self.fail(f"<col {name}=“{value}”> 应写成毫米，如 30mm")
        return float(match.group(1))

    def _finished(self, table: _TableInProgress) -> Table:
        """Check that the rows fill the grid exactly; merged cells must not run off the table."""
        if not table.rows:
            self.fail("表格没有任何行")
        columns = len(table.widths) or sum(cell.colspan for cell in table.rows[0].cells)
        widths = table.widths or [Width(100 / columns, "%")] * columns
        finished = Table(table.style, tuple(widths), tuple(table.rows), table.landscape)
        try:
            finished.grid()  # placed now, and kept for the writer
        except GridError as error:
            self.fail(str(error))
        return finished
