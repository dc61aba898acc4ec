"""Stage 5: write the document model into a copy of the reference .docx. The only module of the
package that imports ``docx``.

All formatting comes from the reference file's named styles and its page setup (margins, grid,
odd/even page-number footers): this module sets no font, size or spacing itself. The file is written
atomically (``output.write_atomically``), so an existing report is never left half-written.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.table import _Cell

from generator.document import Document, Paragraph, Table, Width
from generator.errors import TemplateError
from generator.output import write_atomically


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
    word = _open_reference(reference)
    _check_styles(word, document, reference)
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    text_width = _text_width_twips(word)
    for block in document.blocks:
        if isinstance(block, Table):
            _add_table(word, block, text_width, reference)
        else:
            _add_paragraph(word, block, word)
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
    write_atomically(output, word.save, application="Word/WPS")


def _add_paragraph(
    container: docx.document.Document | _Cell, block: Paragraph, word: docx.document.Document
) -> None:
    paragraph = container.add_paragraph(style=word.styles[block.style])
    for run in block.runs:
        paragraph.add_run(run.text, style=word.styles[run.style] if run.style else None)


def _text_width_twips(word: docx.document.Document) -> int:
    """The width of the text block (版心) of the reference's last section, in twips."""
    section = word.sections[-1]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    return int(width / 635)  # 635 EMU per twip


def _column_widths(table: Table, text_width: int, reference: Path) -> list[int]:
    """Column widths in twips; a table wider than the text block would run off the page."""

    def twips(width: Width) -> int:
        if width.unit == "mm":
            return round(width.value / 25.4 * 1440)
        return round(text_width * width.value / 100)

    widths = [twips(width) for width in table.widths]
    if sum(widths) > text_width + 15:  # 15 twips: rounding of widths given in mm
        raise TemplateError(
            location=str(reference),
            reason=(
                f"表格各列宽度合计 {sum(widths) / 1440 * 25.4:.1f} mm，"
                f"超过版心宽度 {text_width / 1440 * 25.4:.1f} mm"
            ),
        )
    return widths


def _element(tag: str, **attributes: str) -> Any:
    element = OxmlElement(tag)
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
    widths = _column_widths(table, text_width, reference)
    tbl = _element("w:tbl")
    properties = _element("w:tblPr")
    properties.append(_element("w:tblStyle", val=word.styles[table.style].style_id))
    properties.append(_element("w:tblW", w=str(sum(widths)), type="dxa"))
    # Word 2010 layout (the reference's compatibility mode) and LibreOffice set the first cell's
    # text at the margin, so its border would stick out by the cell margin: indent it back in.
    properties.append(_element("w:tblInd", w=str(_left_cell_margin(word, table.style)), type="dxa"))
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
    word_table = WordTable(tbl, word._body)
    for row, placements in zip(table.rows, table.grid(), strict=True):
        tr = _element("w:tr")
        if row.header:
            row_properties = _element("w:trPr")
            row_properties.append(_element("w:tblHeader"))
            tr.append(row_properties)
        tbl.append(tr)
        for placement in placements:
            cell = placement.cell
            tc = _element("w:tc")
            cell_properties = _element("w:tcPr")
            span = widths[placement.column : placement.column + cell.colspan]
            cell_properties.append(_element("w:tcW", w=str(sum(span)), type="dxa"))
            if cell.colspan > 1:
                cell_properties.append(_element("w:gridSpan", val=str(cell.colspan)))
            if placement.continued:
                cell_properties.append(_element("w:vMerge"))
            elif cell.rowspan > 1:
                cell_properties.append(_element("w:vMerge", val="restart"))
            if cell.valign is not None:
                cell_properties.append(_element("w:vAlign", val=cell.valign))
            tc.append(cell_properties)
            tr.append(tc)
            word_cell = _Cell(tc, word_table)
            if placement.continued:
                word_cell.add_paragraph(style=word.styles[cell.paragraphs[0].style])
            else:
                for paragraph in cell.paragraphs:
                    _add_paragraph(word_cell, paragraph, word)


def _left_cell_margin(word: docx.document.Document, style_name: str) -> int:
    """The left cell margin (twips) the table style sets; Word's default is 108."""
    margin = word.styles[style_name].element.find(
        f"{qn('w:tblPr')}/{qn('w:tblCellMar')}/{qn('w:left')}"
    )
    if margin is None or margin.get(qn("w:type"), "dxa") != "dxa":
        return 108
    return int(margin.get(qn("w:w"), "108"))


def _open_reference(reference: Path) -> docx.document.Document:
    try:
        return docx.Document(str(reference))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise TemplateError(
            location=str(reference), reason=f"参考样式文件无法打开（{error}）"
        ) from None


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
                if word.styles[name].type != style_type:
                    missing.append(f"“{name}”不是{label}")
            except KeyError:
                missing.append(f"缺少{label}“{name}”")
    if missing:
        raise TemplateError(
            location=str(reference),
            reason="；".join(missing)
            + "。请在 Word 中打开参考样式文件添加该样式，或修改模板中的样式名",
        )
