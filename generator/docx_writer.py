"""Stage 5: write the document model into a copy of the reference .docx. The only module of the
package that imports ``docx``.

All formatting comes from the reference file's named styles and its page setup (margins, grid,
odd/even page-number footers): this module sets no font, size or spacing itself. The file is written
atomically (``output.write_atomically``), so an existing report is never left half-written.

Speed: the reference document is parsed once per process (``load_reference``) and each report
writes through the parsed package with fresh copies of the two parts it writes to (the main
document and the core properties, ``_reference_copy``); every other part (styles, theme,
numbering, footers, settings) is shared read-only;
the package is written by ``_write_package``, which compresses only the parts whose XML differs
from the reference's (the body and the core properties): the styles alone are 800 KB of XML that
python-docx would parse, serialize and deflate again for every report.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import math
import re
import struct
import threading
import time
import weakref
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import SubElement

from generator.column_widths import ColumnRule, ColumnText, Rule, choose_widths
from generator.document import Document, Paragraph, Run, Table
from generator.errors import TemplateError
from generator.output import write_atomically
from generator.signature import (
    DATE_STYLE,
    SEALED_DATE_STYLE,
    SIGNATURE_STYLE,
    cells,
    signature_places,
)
from generator.title_lines import LINE_WIDTH as TITLE_LINE_CHARS
from generator.title_lines import SQUEEZABLE as TITLE_SQUEEZABLE
from generator.title_lines import text_width

TITLE_STYLE = "Title"
ITEM_LINE_STYLES = ("署名行",)
"""Paragraph styles whose items, separated by ``ITEM_SEPARATOR``, never break inside."""
ITEM_SEPARATOR = "\u3000"
_RANGE_HYPHEN = re.compile(r"(?<=\S)-(?=\S)")
_OPENING = re.compile(r"(?=[（《“])")


@dataclass(frozen=True)
class DocumentProperties:
    """Core properties stored in the .docx; fixed values make builds reproducible."""

    title: str
    author: str
    created: dt.datetime


def write_docx(
    document: Document, output: Path, *, reference: Path, properties: DocumentProperties
) -> None:
    """Write ``document`` to ``output`` (atomically) in the house style of ``reference``."""
    with _reference_copy(reference) as (word, loaded):
        _write_document(word, loaded, document, output, reference, properties)


def _write_document(
    word: docx.document.Document,
    loaded: _Reference,
    document: Document,
    output: Path,
    reference: Path,
    properties: DocumentProperties,
) -> None:
    _check_styles(word, document, reference)
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    landscape = any(isinstance(block, Table) and block.landscape for block in document.blocks)
    if landscape:
        _set_landscape(word)
    text_width = _text_width_twips(word, landscape)
    previous: tuple[Paragraph, Any] | None = None
    for block in document.blocks:
        if isinstance(block, Table):
            _add_table(word, block, text_width, reference)
            previous = None
            continue
        if block.style in ITEM_LINE_STYLES:
            block = _item_lines(word, block, text_width)
        written = _add_paragraph(word, block, word)
        if block.style == TITLE_STYLE:
            _keep_title_lines(word, block, written)
        if (
            previous is not None
            and previous[0].style == SIGNATURE_STYLE
            and block.style in (DATE_STYLE, SEALED_DATE_STYLE)
        ):
            _place_signature(word, (previous[0], block), (previous[1], written), text_width)
        previous = (block, written)
    core = word.core_properties
    core.title = properties.title
    core.author = properties.author
    core.last_modified_by = properties.author
    core.created = properties.created
    core.modified = properties.created
    core.revision = 1
    core.comments = ""
    core.keywords = ""
    core.subject = ""
    write_atomically(
        output, lambda stream: _write_package(word, stream, loaded), application="Word/WPS"
    )


def _add_paragraph(container: Any, block: Paragraph, word: docx.document.Document) -> Any:
    """Append ``block`` to ``container`` (the document or a table cell's ``w:tc``) as a ``w:p``.

    The elements are made directly (``_new``), as python-docx's ``add_paragraph``/``add_run``
    would make them: python-docx builds each element's tag anew and finds the body's
    ``w:sectPr`` again for every paragraph, which made large tables and long reports slow.
    """
    in_document = isinstance(container, docx.document.Document)
    p: Any = _new("w:p") if in_document else SubElement(container, _PARAGRAPH)
    _add_style(p, _P_PROPERTIES, _P_STYLE, _style_id(word, block.style, WD_STYLE_TYPE.PARAGRAPH))
    for run in block.runs:
        r = SubElement(p, _RUN)
        if run.style:
            style_id = _style_id(word, run.style, WD_STYLE_TYPE.CHARACTER)
            _add_style(r, _R_PROPERTIES, _R_STYLE, style_id)
        _add_text(r, run.text)
    if in_document:
        body = container.element.body
        section = body.find(_SECTION_PROPERTIES) if len(body) else None
        if section is not None and section is body[-1]:
            section.addprevious(p)
        else:
            body._insert_p(p)
    return DocxParagraph(p, word._body)


def _add_text(r: Any, text: str) -> None:
    """``text`` as the content of run ``r``, as python-docx's ``Run.text`` writes it: a tab is a
    ``w:tab``, each ``\r`` or ``\n`` a ``w:br``, the rest ``w:t`` (space kept where it leads or
    trails)."""
    start = 0
    for match in _BREAKS.finditer(text):
        if match.start() > start:
            _add_t(r, text[start : match.start()])
        SubElement(r, _TAB if match[0] == "\t" else _BREAK)
        start = match.end()
    if start < len(text):
        _add_t(r, text[start:])


def _add_t(r: Any, text: str) -> None:
    if "-" in text:
        text = _ranges_kept_whole(text)
    t = SubElement(r, _TEXT)
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_XML_SPACE, "preserve")


def _add_style(element: Any, properties_tag: str, style_tag: str, style_id: str | None) -> None:
    """The properties element (``w:pPr``/``w:rPr``) with its style reference, as python-docx's
    style setters write it: the properties element even for the default style (no id). Made
    as the element's first child, before its runs or text."""
    properties = SubElement(element, properties_tag)
    if style_id is not None:
        SubElement(properties, style_tag).set(_W_VAL, style_id)


_ELEMENT_MAKERS: dict[str, tuple[str, dict[str, str]]] = {}
_W_VAL = qn("w:val")
_P_PROPERTIES, _P_STYLE = qn("w:pPr"), qn("w:pStyle")
_R_PROPERTIES, _R_STYLE = qn("w:rPr"), qn("w:rStyle")
_PARAGRAPH, _RUN, _TEXT = qn("w:p"), qn("w:r"), qn("w:t")
_TAB, _BREAK = qn("w:tab"), qn("w:br")
_XML_SPACE = qn("xml:space")
_SECTION_PROPERTIES = qn("w:sectPr")


def _new(tag: str) -> Any:
    """``OxmlElement(tag)`` with its tag name and namespace worked out once per tag."""
    made = _ELEMENT_MAKERS.get(tag)
    if made is None:
        prefixed = NamespacePrefixedTag(tag)
        made = _ELEMENT_MAKERS[tag] = (prefixed.clark_name, prefixed.nsmap)
    return oxml_parser.makeelement(made[0], nsmap=made[1])


_BREAKS = re.compile("[\t\r\n]")


def _style(word: docx.document.Document, name: str) -> Any:
    """``word.styles[name]``, looked up once per reference document: python-docx searches the
    styles with XPath on each lookup, and every report shares its reference's styles."""
    found = _STYLES_BY_NAME.setdefault(word.part, {})  # word.styles: a relationship lookup
    if name not in found:
        found[name] = word.styles[name]  # KeyError: no such style
    return found[name]


_STYLES_BY_NAME: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[tuple[str, WD_STYLE_TYPE], str | None]] = (
    weakref.WeakKeyDictionary()
)


def _style_id(word: docx.document.Document, name: str, kind: WD_STYLE_TYPE) -> str | None:
    """The id of a style, looked up once per document: python-docx scans every style for the
    default on each lookup, which made large tables slow. ``None`` for the default style."""
    ids = _STYLE_IDS.setdefault(word.part, {})
    if (name, kind) not in ids:
        ids[name, kind] = word.part.get_style_id(_style(word, name), kind)  # type: ignore[no-untyped-call]
    return ids[name, kind]


def _ranges_kept_whole(text: str) -> str:
    """A hyphen inside a range or a code (``1-6月``, ``同协路-东湖立交``, ``2024-02-27``) gets a
    word joiner (U+2060, invisible, no width) on each side, so no line breaks at it.

    Word's own non-breaking hyphen (``w:noBreakHyphen``) is not enough: LibreOffice reads it as
    U+2011 and still breaks after it ("1-" / "6月"), word joiners or not; around a plain hyphen,
    word joiners hold in LibreOffice (tests/test_line_breaks.py) as the Unicode line-breaking
    rules say they must in any program. The text keeps its ``-``: the joiners are invisible,
    and huibao's reader (``huibao import``/``check``) drops them.
    """
    return _RANGE_HYPHEN.sub(_JOINED_HYPHEN, text)


_JOINED_HYPHEN = "\u2060-\u2060"


def _item_lines(word: docx.document.Document, block: Paragraph, text_width_twips: int) -> Paragraph:
    """A line of items separated by full-width spaces (the byline ``作者：……　来源：……``) that is
    too long for one line breaks between items, never inside one (``政策法规处（行政审批处）``)."""
    capacity = text_width_twips / _cell_twips(word, block.style)
    text = block.text
    if text_width(text) <= capacity or ITEM_SEPARATOR not in text:
        return block
    breaks: set[int] = set()
    line_start = 0
    last_separator: int | None = None
    for index, char in enumerate(text):
        if char == ITEM_SEPARATOR:
            if text_width(text[line_start:index]) > capacity and last_separator is not None:
                breaks.add(last_separator)
                line_start = last_separator + 1
            last_separator = index
    last_line_too_long = text_width(text[line_start:]) > capacity
    if last_line_too_long and last_separator is not None and last_separator >= line_start:
        breaks.add(last_separator)
    runs: list[Run] = []
    offset = 0
    for run in block.runs:
        chars = ["\n" if offset + index in breaks else char for index, char in enumerate(run.text)]
        runs.append(Run("".join(chars), run.style))
        offset += len(run.text)
    return Paragraph(block.style, tuple(runs))


def _set_landscape(word: docx.document.Document) -> None:
    """Turn the page for a wide table (横排表格, GB/T 9704 §8): the text block is turned with it
    (its top margin becomes the left one), and the page numbers keep their odd-right, even-left
    places, the same distance below the block."""
    section = word.sections[-1]
    width, height = section.page_width, section.page_height
    top, bottom = section.top_margin, section.bottom_margin
    left, right = section.left_margin, section.right_margin
    footer = section.footer_distance
    if None in (width, height, top, bottom, left, right, footer):
        return
    assert width and height and top and bottom and left and right and footer
    below_block = bottom - footer
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = height, width
    section.left_margin, section.right_margin = top, bottom
    section.top_margin, section.bottom_margin = right, left
    section.footer_distance = max(0, left - below_block)


def _style_value(word: docx.document.Document, style_name: str, path: str) -> str | None:
    """A run property of a paragraph style (``w:sz``, ``w:spacing``), following ``basedOn`` and
    falling back on the document defaults, as Word resolves it."""
    style: Any = _style(word, style_name)
    while style is not None:
        found = style.element.find(f"{qn('w:rPr')}/{qn(path)}")
        if found is not None:
            return str(found.get(qn("w:val")))
        style = style.base_style
    default = word.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn(path)}"
    )
    return None if default is None else str(default.get(qn("w:val")))


def _cell_twips(word: docx.document.Document, style_name: str) -> float:
    """The advance of one Chinese character in a paragraph style: its size plus its spacing.
    Worked out once per reference document (every report shares its reference's styles)."""
    known = _CELL_TWIPS.setdefault(word.part, {})
    if style_name not in known:
        size = int(_style_value(word, style_name, "w:sz") or "21") * 10  # half-points → twips
        known[style_name] = size + int(_style_value(word, style_name, "w:spacing") or "0")
    return known[style_name]


_CELL_TWIPS: weakref.WeakKeyDictionary[Any, dict[str, float]] = weakref.WeakKeyDictionary()


def _place_signature(
    word: docx.document.Document,
    blocks: tuple[Paragraph, Paragraph],
    written: tuple[Any, Any],
    text_width: int,
) -> None:
    """Indent the 署名 and the 成文日期 from the left so that each first character stands where
    GB/T 9704 §7.3.5 puts it (``generator/signature.py``)."""
    signature, date = blocks
    places = signature_places(signature.text, date.text, sealed=date.style == SEALED_DATE_STYLE)
    for block, paragraph, right in (
        (signature, written[0], places.signature_right),
        (date, written[1], places.date_right),
    ):
        cell = _cell_twips(word, block.style)
        left = max(0, round(text_width - (right + cells(block.text)) * cell))
        ppr = paragraph._p.get_or_add_pPr()
        indent = ppr.find(qn("w:ind"))
        if indent is None:
            indent = _element("w:ind")
            jc = ppr.find(qn("w:jc"))
            if jc is not None:
                jc.addprevious(indent)
            else:
                ppr.append(indent)
        for name, value in (
            ("leftChars", "0"),
            ("left", str(left)),
            ("rightChars", "0"),
            ("right", "0"),
            ("firstLineChars", "0"),
            ("firstLine", "0"),
        ):
            indent.set(qn(f"w:{name}"), value)
        _align_left(ppr)


def _align_left(ppr: Any) -> None:
    """``<w:jc w:val="left"/>`` in a paragraph's properties, put where the schema wants it by
    python-docx; its ``alignment`` setter, which also removes and remakes the element and
    converts the value through its enumeration, takes twice as long."""
    ppr.get_or_add_jc().set(_W_VAL, "left")


def _keep_title_lines(word: docx.document.Document, block: Paragraph, written: Any) -> None:
    """A title line a little too long for the block (typed so by hand) is set closer rather than
    wrapped by Word: up to two characters are taken up by narrower character spacing."""
    lines = block.text.split("\n")
    cell = _cell_twips(word, TITLE_STYLE)
    room = TITLE_LINE_CHARS * cell
    squeeze = 0
    for line in lines:
        excess = text_width(line) * cell - room
        if 0 < excess <= TITLE_SQUEEZABLE * cell and len(line) > 1:
            squeeze = max(squeeze, math.ceil(excess / (len(line) - 1)))
    if not squeeze:
        return
    spacing = int(_style_value(word, TITLE_STYLE, "w:spacing") or "0") - squeeze
    for run in written.runs:
        rpr = run._r.get_or_add_rPr()
        found = rpr.find(qn("w:spacing"))
        if found is None:
            found = _element("w:spacing")
            rpr.append(found)
        found.set(qn("w:val"), str(spacing))


def _text_width_twips(word: docx.document.Document, landscape: bool) -> int:
    """The width of the text block (版心) of the reference's last section, in twips, the page
    turned or not: worked out once per reference document and orientation."""
    known = _TEXT_WIDTHS.setdefault(word.part, {})
    if landscape not in known:
        section = word.sections[-1]
        width = (section.page_width or 0) - (section.left_margin or 0)
        known[landscape] = int((width - (section.right_margin or 0)) / 635)  # 635 EMU per twip
    return known[landscape]


_TEXT_WIDTHS: weakref.WeakKeyDictionary[Any, dict[bool, int]] = weakref.WeakKeyDictionary()


def _column_widths(
    word: docx.document.Document, table: Table, text_width: int, reference: Path
) -> list[int]:
    """Column widths in twips: the template's own, or chosen from the content
    (``generator/column_widths.py``); a table wider than the text block would run off the page."""

    def twips(millimetres: float) -> int:
        return round(millimetres / 25.4 * 1440)

    rules: list[ColumnRule] = []
    for width in table.widths:
        minimum = twips(width.minimum) if width.minimum is not None else 0
        maximum = twips(width.maximum) if width.maximum is not None else None
        if width.unit == "mm":
            rules.append(ColumnRule("fixed", twips(width.value)))
        elif width.unit == "%":
            rules.append(ColumnRule("fixed", round(text_width * width.value / 100)))
        else:
            rule: Rule = "auto" if width.unit == "auto" else "rest"
            rules.append(ColumnRule(rule, minimum=minimum, maximum=maximum))
    margins = 2 * _cell_margin(word, table.style, "left")
    advances: dict[str, float] = {}  # one character of each paragraph style in the table
    texts = _column_texts(word, table, advances)
    character = round(max(advances.values(), default=0))
    widths = choose_widths(rules, texts, text_width, margins, character)
    if sum(widths) > text_width + 15:  # 15 twips: rounding of widths given in mm
        raise TemplateError(
            location=str(reference),
            reason=(
                f"表格各列宽度合计 {sum(widths) / 1440 * 25.4:.1f} mm，"
                f"超过版心宽度 {text_width / 1440 * 25.4:.1f} mm"
            ),
        )
    return widths


def _column_texts(
    word: docx.document.Document, table: Table, cell_widths: dict[str, float]
) -> list[ColumnText]:
    """What each column holds, measured: every line of its header cells and, for the columns
    sized by content, of its body cells; and the paragraphs of each body row. ``cell_widths``
    gets the advance of one character of each paragraph style met."""
    sized = [width.unit == "auto" for width in table.widths]
    pieces: list[list[int]] = [[] for _ in table.widths]
    rows: list[list[tuple[int, ...]]] = [[] for _ in table.widths]

    def measure(paragraph: Paragraph, *, pieces: bool = False) -> list[int]:
        if paragraph.style not in cell_widths:
            cell_widths[paragraph.style] = _cell_twips(word, paragraph.style)
        lines = paragraph.text.split("\n")
        if pieces:  # a line of a name may break before an opening bracket: （国际商务区）
            lines = [piece for line in lines for piece in _OPENING.split(line)]
        return [round(text_width(line) * cell_widths[paragraph.style]) for line in lines]

    for row, placements in zip(table.rows, table.grid(), strict=True):
        seen = {placement.column for placement in placements}
        for placement in placements:
            cell, column = placement.cell, placement.column
            lines = (
                []
                if placement.continued
                else [width for p in cell.paragraphs for width in measure(p)]
            )
            if cell.colspan == 1 and row.header:
                pieces[column].extend(lines)
            elif cell.colspan == 1 and sized[column] and not placement.continued:
                pieces[column].extend(w for p in cell.paragraphs for w in measure(p, pieces=True))
            if not row.header:  # a cell across columns: its height is left out
                rows[column].append(tuple(lines) if cell.colspan == 1 else ())
        for column in range(len(table.widths)):
            if column not in seen and not row.header:
                rows[column].append(())
    return [ColumnText(tuple(found), tuple(body)) for found, body in zip(pieces, rows, strict=True)]


_TABLE_ROW, _TABLE_CELL, _CELL_PROPERTIES = qn("w:tr"), qn("w:tc"), qn("w:tcPr")
_CELL_WIDTH, _VERTICAL_MERGE = qn("w:tcW"), qn("w:vMerge")


def _sub(parent: Any, tag: str, **attributes: str) -> Any:
    """A new last child of ``parent`` (``tag`` in Clark notation), with ``w:`` attributes."""
    element = SubElement(parent, tag)
    for name, value in attributes.items():
        element.set(_W_ATTRIBUTES.get(name) or _w_attribute(name), value)
    return element


_W_ATTRIBUTES: dict[str, str] = {}


def _w_attribute(name: str) -> str:
    _W_ATTRIBUTES[name] = qn(f"w:{name}")
    return _W_ATTRIBUTES[name]


def _element(tag: str, **attributes: str) -> Any:
    element = _new(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _add_table(
    word: docx.document.Document, table: Table, text_width: int, reference: Path
) -> None:
    """Write a table with real merges: ``w:vMerge`` down, ``w:gridSpan`` across.

    Header rows get ``w:tblHeader`` so Word and LibreOffice repeat them on every page; the layout
    is fixed so the column widths the template chose are the widths the reader sees.
    """
    widths = _column_widths(word, table, text_width, reference)
    tbl = _element("w:tbl")
    properties = _element("w:tblPr")
    properties.append(_element("w:tblStyle", val=_style(word, table.style).style_id))
    properties.append(_element("w:tblW", w=str(sum(widths)), type="dxa"))
    # Word 2010 layout (the reference's compatibility mode) and LibreOffice set the first cell's
    # text at the margin, so its border would stick out by the cell margin: indent it back in.
    properties.append(
        _element("w:tblInd", w=str(_cell_margin(word, table.style, "left")), type="dxa")
    )
    properties.append(_element("w:tblLayout", type="fixed"))
    properties.append(
        _element(
            "w:tblLook",
            val="04A0",
            firstRow="1",
            lastRow="0",
            firstColumn="0",
            lastColumn="0",
            noHBand="1",
            noVBand="1",
        )
    )
    tbl.append(properties)
    grid = _element("w:tblGrid")
    for width in widths:
        grid.append(_element("w:gridCol", w=str(width)))
    tbl.append(grid)
    word.element.body._insert_tbl(tbl)
    for row, placements in zip(table.rows, table.grid(), strict=True):
        tr = SubElement(tbl, _TABLE_ROW)
        if row.header:
            SubElement(SubElement(tr, qn("w:trPr")), qn("w:tblHeader"))
        for placement in placements:
            cell = placement.cell
            tc = SubElement(tr, _TABLE_CELL)
            cell_properties = SubElement(tc, _CELL_PROPERTIES)
            span = widths[placement.column : placement.column + cell.colspan]
            _sub(cell_properties, _CELL_WIDTH, w=str(sum(span)), type="dxa")
            if cell.colspan > 1:
                _sub(cell_properties, qn("w:gridSpan"), val=str(cell.colspan))
            if placement.continued:
                _sub(cell_properties, _VERTICAL_MERGE)
            elif cell.rowspan > 1:
                _sub(cell_properties, _VERTICAL_MERGE, val="restart")
            valign = cell.valign or ("center" if row.header else None)
            if valign is not None:
                _sub(cell_properties, qn("w:vAlign"), val=valign)
            if placement.continued:
                empty = SubElement(tc, _PARAGRAPH)
                style_id = _style_id(word, cell.paragraphs[0].style, WD_STYLE_TYPE.PARAGRAPH)
                _add_style(empty, _P_PROPERTIES, _P_STYLE, style_id)
            else:
                for paragraph in cell.paragraphs:
                    _add_paragraph(tc, paragraph, word)


def _cell_margin(word: docx.document.Document, style_name: str, side: str) -> int:
    """A cell margin (twips) the table style sets; Word's default is 108."""
    margin = _style(word, style_name).element.find(
        f"{qn('w:tblPr')}/{qn('w:tblCellMar')}/{qn('w:' + side)}"
    )
    if margin is None or margin.get(qn("w:type"), "dxa") != "dxa":
        return 108
    return int(margin.get(qn("w:w"), "108"))


@dataclass(frozen=True)
class _Packed:
    """One member of the reference's package as written: its bytes, their CRC, deflated."""

    blob: bytes
    crc: int
    deflated: bytes


_COPIED_CONTENT_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-package.core-properties+xml",
    }
)
"""The parts a report writes to: the main document (its body, its section's page size and
margins) and the core properties (title, author, dates). Every other part of the reference
(styles, theme, numbering, footers, settings, fonts) is shared by every report with the parsed
reference instead of being copied for each: the writer only reads them (formatting comes from
the reference's styles and is never set here); ``tests/test_caches.py`` checks that building
every example leaves them as they were parsed."""


@dataclass(frozen=True)
class _Reference:
    """A parsed reference document, its members as ``_write_package`` writes them, and the
    parts the reports share (all but ``_COPIED_CONTENT_TYPES``), with their relationships."""

    word: docx.document.Document
    packed: dict[str, _Packed]
    shared: tuple[Any, ...]
    listing: dict[str, tuple[Any, ...]]
    """What decides the reference's content types and relationships (``_listing``), by member."""
    copied: tuple[Any, ...]
    """The parts each report writes to (``_COPIED_CONTENT_TYPES``)."""
    shared_ids: frozenset[int]


_REFERENCES: dict[tuple[str, int, int], _Reference] = {}


def load_reference(reference: Path) -> None:
    """Parse ``reference`` now, once per process (a batch's workers call it when they start)."""
    _loaded_reference(reference)


def _loaded_reference(reference: Path) -> _Reference:
    """``reference`` parsed, kept for the process; parsed again if the file has changed since."""
    try:
        status = reference.stat()
        key = (str(reference.resolve()), status.st_mtime_ns, status.st_size)
    except OSError:
        key = (str(reference), -1, -1)
    if key not in _REFERENCES:
        try:
            word = docx.Document(str(reference))
            word.core_properties  # noqa: B018 (python-docx adds the part if the file has none)
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
            raise TemplateError(
                location=str(reference), reason=f"参考样式文件无法打开（{error}）"
            ) from None
        packed = {name: _pack(blob) for name, blob in _package_members(word) if blob is not None}
        parts = list(word.part.package.iter_parts())
        shared = tuple(part for part in parts if part.content_type not in _COPIED_CONTENT_TYPES)
        copied = tuple(part for part in parts if part.content_type in _COPIED_CONTENT_TYPES)
        if len(_REFERENCES) >= 4:  # a long-lived process that saw many reference files
            _REFERENCES.clear()
        shared_ids = frozenset(id(part) for part in shared)
        _REFERENCES[key] = _Reference(word, packed, shared, _listing(word), copied, shared_ids)
    return _REFERENCES[key]


@contextlib.contextmanager
def _reference_copy(reference: Path) -> Iterator[tuple[docx.document.Document, _Reference]]:
    """The reference document for one report: the parsed package, its two parts a report
    writes to (the main document, the core properties) holding fresh copies of their XML until
    the report is written, then the parsed XML again; every other part is shared read-only.

    Copying two elements is what a report needs; copying the python-docx objects of the whole
    package took longer than writing a short report's paragraphs. A lock keeps two threads of
    one process from writing through the same parts at once."""
    loaded = _loaded_reference(reference)
    with _REFERENCE_IN_USE:
        parsed = [part._element for part in loaded.copied]
        for part, element in zip(loaded.copied, parsed, strict=True):
            part._element = copy.deepcopy(element)
        try:
            yield loaded.word.part.document, loaded  # a new Document object on the copied XML
        finally:
            for part, element in zip(loaded.copied, parsed, strict=True):
                part._element = element


_REFERENCE_IN_USE = threading.Lock()


def _package_members(
    word: docx.document.Document,
    shared: frozenset[int] = frozenset(),
    reference: dict[str, tuple[Any, ...]] | None = None,
) -> list[tuple[str, bytes | None]]:
    """(member name, bytes) of the package, in the order python-docx writes them; ``None`` for a
    member that is the reference's: a part shared with it, and the content types and
    relationships when what decides them is what decided the reference's (``_listing``)."""
    package = word.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()

    listed = reference or {}
    types = None
    if listed.get(_CONTENT_TYPES) != _part_types(parts):
        types = _ContentTypesItem.from_parts(parts).blob  # type: ignore[no-untyped-call]
    package_rels = package.rels
    members: list[tuple[str, bytes | None]] = [
        (_CONTENT_TYPES, types),
        (
            _PACKAGE_RELS,
            None if listed.get(_PACKAGE_RELS) == _relationships(package_rels) else package_rels.xml,
        ),
    ]
    for part in parts:
        is_shared = id(part) in shared
        members.append((part.partname.membername, None if is_shared else part.blob))
        if len(part.rels):  # a shared part's relationships are the reference's too
            name = part.partname.rels_uri.membername
            reused = is_shared or listed.get(name) == _relationships(part.rels)
            members.append((name, None if reused else part.rels.xml))
    return members


_CONTENT_TYPES, _PACKAGE_RELS = "[Content_Types].xml", "_rels/.rels"


def _listing(word: docx.document.Document) -> dict[str, tuple[Any, ...]]:
    """What the content types (every part's name and type) and each relationships member (its
    ids, types and targets) are made from: a report's member whose listing is the reference's
    has the reference's bytes, without python-docx building and serializing it again."""
    package = word.part.package
    parts = list(package.iter_parts())
    listing = {_CONTENT_TYPES: _part_types(parts), _PACKAGE_RELS: _relationships(package.rels)}
    for part in parts:
        if len(part.rels):
            listing[part.partname.rels_uri.membername] = _relationships(part.rels)
    return listing


def _part_types(parts: list[Any]) -> tuple[Any, ...]:
    return tuple((str(part.partname), part.content_type) for part in parts)


def _relationships(rels: Any) -> tuple[Any, ...]:
    return tuple(
        (rel.rId, rel.reltype, rel.is_external)
        + ((rel.target_ref,) if rel.is_external else (str(rel.target_part.partname),))
        for rel in rels.values()
    )


REPORT_COMPRESSION = 1
"""zlib level of the members written for each report (the document, its properties): level 1
deflates a large table's document.xml in under half the time of the default level 6, for a
file a tenth larger. The reference's own members, packed once per process, keep level 6."""


def _pack(blob: bytes, level: int = zlib.Z_DEFAULT_COMPRESSION) -> _Packed:
    # a raw deflate stream, as zipfile writes for ZIP_DEFLATED
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return _Packed(blob, zlib.crc32(blob), compressor.compress(blob) + compressor.flush())


def _write_package(word: docx.document.Document, stream: BinaryIO, loaded: _Reference) -> None:
    """Write ``word`` as a .docx (a zip of its parts, as ``python-docx`` writes it); a member
    whose bytes are the reference's is written with the reference's compressed bytes."""
    now = time.localtime()
    stamp = (now.tm_hour << 11) | (now.tm_min << 5) | (now.tm_sec // 2)
    day = ((now.tm_year - 1980) << 9) | (now.tm_mon << 5) | now.tm_mday
    content = bytearray()
    directory = bytearray()
    members = _package_members(word, loaded.shared_ids, loaded.listing)
    for name, blob in members:
        member = loaded.packed.get(name)
        if blob is None and member is None:
            raise AssertionError(f"{name}: a shared part the reference did not pack")
        if member is None or (blob is not None and member.blob != blob):
            assert blob is not None
            member = _pack(blob, REPORT_COMPRESSION)
        encoded = name.encode("ascii")
        offset = len(content)
        sizes = (member.crc, len(member.deflated), len(member.blob), len(encoded))
        content += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, stamp, day, *sizes, 0)
        content += encoded + member.deflated
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            0x0314,
            20,
            0,
            8,
            stamp,
            day,
            *sizes,
            0,
            0,
            0,
            0,
            0o600 << 16,
            offset,
        )
        directory += encoded
    count = len(members)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(content), 0)
    stream.write(bytes(content + directory + end))


def _check_styles(word: docx.document.Document, document: Document, reference: Path) -> None:
    """Every style a template names must exist in the reference .docx, with the right type."""
    used = document.styles
    missing: list[str] = []
    for names, style_type, label in (
        (used.paragraph, WD_STYLE_TYPE.PARAGRAPH, "段落样式"),
        (used.character, WD_STYLE_TYPE.CHARACTER, "字符样式"),
        (used.table, WD_STYLE_TYPE.TABLE, "表格样式"),
    ):
        for name in sorted(names):
            try:
                if _style(word, name).type != style_type:
                    missing.append(f"“{name}”不是{label}")
            except KeyError:
                missing.append(f"缺少{label}“{name}”")
    if missing:
        raise TemplateError(
            location=str(reference),
            reason="；".join(missing)
            + "。请在 Word 中打开参考样式文件添加该样式，或修改模板中的样式名",
        )
