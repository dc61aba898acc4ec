"""How ``templates/reference.docx`` was first made: the GB/T 9704-2012 house style in python-docx.

History, not the source. The committed ``templates/reference.docx`` is the source of the house
style: maintainers change fonts, sizes and margins by opening it in Word and saving it, and
``huibao reference check`` (generator/reference_check.py) checks what huibao and GB/T 9704 need.
Changing a style never needs this script, and it is not kept in step with the file: running it
gives the style as it was first made, without later edits. It therefore writes only where it is
told (``--output``), never over the committed file. It stays as a record of how each setting was
made (the XML details Word hides), for whoever builds a reference from scratch.

The page: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text block 156 x 225 mm);
22 lines of 28 characters. For the same 22 x 28 in Word, WPS *and* LibreOffice we use a line-only
document grid (pitch 579 twips), exact 28.95 pt line spacing and -0.25 pt character spacing, as
measured in HOUSE_STYLE.md; Word's usual ``linesAndChars`` grid shows 14 characters per line in
LibreOffice. Tables (style 公文表格) use 小四 (12 pt) on exact 20 pt lines: 表格文字 in 仿宋,
表格居中 centred, 表格标题 (header rows) in 黑体, centred; single 0.5 pt borders. Page numbers ``— N —`` in 宋体 四号, odd pages right and even pages left, one
character in from the edge of the text block.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

OUTPUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
XIAOBIAOSONG = "方正小标宋简体"

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四: GB/T 9704 lets tables use a smaller size than the body
TABLE_LINE_TWIPS = 400  # exact 20 pt lines in table cells
TABLE_CELL_MARGIN_TWIPS = 85  # 1.5 mm left and right inside each cell
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines = 28.95 pt
CHARACTER_SPACING = "-5"  # twentieths of a point: -0.25 pt, so 28 characters fit 156 mm
FOOTER_DISTANCE_TWIPS = 1230  # ~21.7 mm: the dash line sits about 7 mm below the text block

# (style name, font, outline level) of the four heading levels 一、（一）1.（1）
HEADINGS = (
    ("Heading 1", HEITI, 0),
    ("Heading 2", KAITI, 1),
    ("Heading 3", FANGSONG, 2),
    ("Heading 4", FANGSONG, 3),
)
RUN_IN_HEADINGS = (
    ("接排标题1", HEITI),
    ("接排标题2", KAITI),
    ("接排标题3", FANGSONG),
    ("接排标题4", FANGSONG),
)


# Schema order of the children we set (ECMA-376 CT_RPr and CT_PPr): Word rejects files whose
# property elements are out of order, so new children are inserted at their proper place.
_CHILD_ORDER = {
    qn("w:rPr"): [
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    ],
    qn("w:pPr"): [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ],
}


def _set(element: Any, tag: str, **attributes: str) -> Any:
    """Get or create child ``tag`` (in schema order) of an oxml element; set its attributes."""
    child = element.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        order = [qn(f"w:{name}") for name in _CHILD_ORDER.get(element.tag, [])]
        position = order.index(qn(tag)) if qn(tag) in order else len(order)
        later = [sibling for sibling in element if sibling.tag in order[position + 1 :]]
        if later:
            later[0].addprevious(child)
        else:
            element.append(child)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _fonts(rpr: Any, font: str) -> None:
    """One font for every script: Chinese glyphs follow ``w:eastAsia``, digits ``w:ascii``."""
    rfonts = _set(rpr, "w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font)
    for theme_attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{theme_attribute}"), None)


def _clear(style: BaseStyle) -> None:
    """Remove inherited run and paragraph properties so only what we set applies."""
    for tag in ("w:rPr", "w:pPr"):
        existing = style.element.find(qn(tag))
        if existing is not None:
            style.element.remove(existing)


def _paragraph_style(
    document: docx.document.Document, name: str, *, base: str | None = "Normal"
) -> Any:
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    _clear(style)
    if base:
        style.base_style = styles[base]
    style.quick_style = True
    return style


def _body_paragraph(
    ppr: object, *, first_line_chars: int = 200, first_line_twips: int = 640
) -> None:
    _set(ppr, "w:widowControl", val="0")
    _set(ppr, "w:spacing", before="0", after="0", line=str(LINE_PITCH_TWIPS), lineRule="exact")
    _set(ppr, "w:ind", firstLineChars=str(first_line_chars), firstLine=str(first_line_twips))
    _set(ppr, "w:jc", val="both")


def _run(rpr: Any, font: str, size: Pt) -> None:
    _fonts(rpr, font)
    _set(rpr, "w:b", val="0")
    _set(rpr, "w:color", val="000000")
    _set(rpr, "w:spacing", val=CHARACTER_SPACING)
    half_points = str(int(size.pt * 2))
    _set(rpr, "w:sz", val=half_points)
    _set(rpr, "w:szCs", val=half_points)


def _doc_defaults(document: docx.document.Document) -> None:
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _run(rpr, FANGSONG, BODY_SIZE)
    _set(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _set(ppr, "w:spacing", before="0", after="0", line=str(LINE_PITCH_TWIPS), lineRule="exact")
    _east_asian_line_breaking(ppr)
    # Theme fonts would override the East-Asian font everywhere: remove every theme reference.
    for rfonts in styles_element.iter(qn("w:rFonts")):
        for theme_attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(qn(f"w:{theme_attribute}"), None)


def _east_asian_line_breaking(ppr: Any) -> None:
    """Word's East Asian line breaking (段落 › 中文版式), set for every paragraph.

    Forbidden line starts and ends apply (kinsoku); Latin words and numbers stay whole (wordWrap
    on: GB/T 15835 asks that a number not be split across lines); no extra space is put between
    Chinese and Latin text or digits (autoSpaceDE/DN off), so a number is as wide as its digits
    and moves up a line more often instead of leaving the line above letter-spaced; the right
    indent does not snap to a character grid (adjustRightInd off). A closing mark may hang into
    the margin rather than push a character down: that is Word's default (overflowPunct), left
    unwritten because LibreOffice 7.4 reads an explicit ``w:overflowPunct`` the wrong way round
    and would stop hanging. LibreOffice ignores the others (its defaults match kinsoku and
    wordWrap; it keeps its own small space around digits).
    """
    _set(ppr, "w:kinsoku", val="1")
    _set(ppr, "w:wordWrap", val="1")
    _set(ppr, "w:autoSpaceDE", val="0")
    _set(ppr, "w:autoSpaceDN", val="0")
    _set(ppr, "w:adjustRightInd", val="0")


def _styles(document: docx.document.Document) -> None:
    normal = _paragraph_style(document, "Normal", base=None)
    _body_paragraph(normal.element.get_or_add_pPr())
    _run(normal.element.get_or_add_rPr(), FANGSONG, BODY_SIZE)

    title = _paragraph_style(document, "Title")
    ppr = title.element.get_or_add_pPr()
    _body_paragraph(ppr, first_line_chars=0, first_line_twips=0)
    _set(
        ppr,
        "w:spacing",
        before="0",
        after=str(LINE_PITCH_TWIPS),
        line=str(LINE_PITCH_TWIPS),
        lineRule="exact",
    )
    _set(ppr, "w:jc", val="center")
    # A 22 pt line would take two grid lines; its exact 28.95 pt spacing keeps the body on grid.
    _set(ppr, "w:snapToGrid", val="0")
    _run(title.element.get_or_add_rPr(), XIAOBIAOSONG, TITLE_SIZE)

    for name, font, outline_level in HEADINGS:
        heading = _paragraph_style(document, name)
        ppr = heading.element.get_or_add_pPr()
        _body_paragraph(ppr)
        _set(ppr, "w:keepNext")
        _set(ppr, "w:outlineLvl", val=str(outline_level))
        _run(heading.element.get_or_add_rPr(), font, BODY_SIZE)

    styles = document.styles
    for name, font in RUN_IN_HEADINGS:
        try:
            character = styles[name]
        except KeyError:
            character = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        _clear(character)
        character.quick_style = True
        _run(character.element.get_or_add_rPr(), font, BODY_SIZE)

    # 落款 (署名) and 成文日期 right-aligned two characters in; 成文日期（加盖印章）, for a stamped
    # report, four. huibao indents both lines from the left so that their first characters stand
    # where GB/T 9704 §7.3.5 puts them; these indents hold for a template that uses them alone.
    for name, right_chars in (("落款", 2), ("成文日期", 2), ("成文日期（加盖印章）", 4)):
        signature = _paragraph_style(document, name)
        ppr = signature.element.get_or_add_pPr()
        _body_paragraph(ppr, first_line_chars=0, first_line_twips=0)
        _set(
            ppr,
            "w:ind",
            rightChars=str(right_chars * 100),
            right=str(right_chars * 320),
            firstLineChars="0",
            firstLine="0",
        )
        _set(ppr, "w:jc", val="right")
    _set(
        styles["落款"].element.get_or_add_pPr(),
        "w:spacing",
        before=str(LINE_PITCH_TWIPS),
        after="0",
        line=str(LINE_PITCH_TWIPS),
        lineRule="exact",
    )

    # 主送机关 and 称谓 (各位代表：): flush left, no indent; 署名行 (byline under the title),
    # 副标题 (——在……会议上) and 讲话人: centred.
    for name, alignment in (
        ("主送机关", "left"),
        ("称谓", "left"),
        ("署名行", "center"),
        ("副标题", "center"),
        ("讲话人", "center"),
    ):
        flush = _paragraph_style(document, name)
        ppr = flush.element.get_or_add_pPr()
        _body_paragraph(ppr, first_line_chars=0, first_line_twips=0)
        _set(ppr, "w:jc", val=alignment)
    _run(styles["署名行"].element.get_or_add_rPr(), KAITI, PAGE_NUMBER_SIZE)
    for name in ("副标题", "讲话人"):
        _run(styles[name].element.get_or_add_rPr(), KAITI, BODY_SIZE)

    # 要点标题: the run-in heading of an unnumbered point (强化理论武装。), bold 仿宋.
    try:
        point = styles["要点标题"]
    except KeyError:
        point = styles.add_style("要点标题", WD_STYLE_TYPE.CHARACTER)
    _clear(point)
    point.quick_style = True
    _run(point.element.get_or_add_rPr(), FANGSONG, BODY_SIZE)
    _set(point.element.get_or_add_rPr(), "w:b", val="1")

    page_number = _paragraph_style(document, "页码", base=None)
    ppr = page_number.element.get_or_add_pPr()
    _set(ppr, "w:spacing", before="0", after="0", line="240", lineRule="auto")
    # LibreOffice treats a style without basedOn as a child of Normal: undo Normal's indent.
    _set(ppr, "w:ind", firstLineChars="0", firstLine="0")
    _run(page_number.element.get_or_add_rPr(), SONGTI, PAGE_NUMBER_SIZE)
    _set(page_number.element.get_or_add_rPr(), "w:spacing", val="0")


def _table_styles(document: docx.document.Document) -> None:
    """公文表格 (borders, cell margins) and the paragraph styles used in cells.

    表格文字: running text in cells; 表格居中: short centred entries (序号, 部门); 表格标题: header rows.

    Cell paragraphs carry their own paragraph style: in Word a paragraph style outranks the table
    style, so sizes set only on the table style would lose to Normal's 三号.
    """
    styles = document.styles
    for name, font, alignment in (
        ("表格文字", FANGSONG, "left"),
        ("表格居中", FANGSONG, "center"),
        ("表格标题", HEITI, "center"),
    ):
        cell_text = _paragraph_style(document, name)
        ppr = cell_text.element.get_or_add_pPr()
        _set(ppr, "w:widowControl", val="0")
        _set(ppr, "w:snapToGrid", val="0")
        _set(ppr, "w:spacing", before="0", after="0", line=str(TABLE_LINE_TWIPS), lineRule="exact")
        _set(ppr, "w:ind", firstLineChars="0", firstLine="0")
        _set(ppr, "w:jc", val=alignment)
        rpr = cell_text.element.get_or_add_rPr()
        _run(rpr, font, TABLE_SIZE)
        _set(rpr, "w:spacing", val="0")

    try:
        table = styles["公文表格"]
    except KeyError:
        table = styles.add_style("公文表格", WD_STYLE_TYPE.TABLE)
    _clear(table)
    for tag in ("w:tblPr", "w:tcPr"):
        existing = table.element.find(qn(tag))
        if existing is not None:
            table.element.remove(existing)
    table.base_style = None
    table.quick_style = True
    rpr = table.element.get_or_add_rPr()
    _run(rpr, FANGSONG, TABLE_SIZE)
    _set(rpr, "w:spacing", val="0")
    tblpr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        for attribute, value in (
            ("val", "single"),
            ("sz", "4"),
            ("space", "0"),
            ("color", "000000"),
        ):
            border.set(qn(f"w:{attribute}"), value)
        borders.append(border)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("left", TABLE_CELL_MARGIN_TWIPS), ("right", TABLE_CELL_MARGIN_TWIPS)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(width))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tblpr.append(margins)
    table.element.append(tblpr)


def _page_setup(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width = Twips(11906)
    section.page_height = Twips(16838)
    section.top_margin = Twips(2098)
    section.bottom_margin = Twips(1984)
    section.left_margin = Twips(1588)
    section.right_margin = Twips(1474)
    section.header_distance = Twips(851)
    section.footer_distance = Twips(FOOTER_DISTANCE_TWIPS)
    sectpr = section._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectpr.append(grid)
    for attribute in list(grid.attrib):
        del grid.attrib[attribute]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT, document)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT, document)


def _page_number(
    paragraph: Paragraph,
    alignment: WD_ALIGN_PARAGRAPH,
    document: docx.document.Document,
) -> None:
    """``— N —`` with a PAGE field, one 四号 character in from the text block's edge."""
    paragraph.style = document.styles["页码"]
    paragraph.alignment = alignment  # jc, then ind placed before it
    ppr = paragraph._p.get_or_add_pPr()
    side = "right" if alignment == WD_ALIGN_PARAGRAPH.RIGHT else "left"
    # Plain twips, not w:leftChars, which LibreOffice reads differently on footers.
    _set(ppr, "w:ind", **{side: str(int(PAGE_NUMBER_SIZE.pt * 20))})
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def _samples(document: docx.document.Document) -> None:
    """Sample paragraphs, one per style, so maintainers see every style when opening the file.

    huibao clears the body before writing a report; only styles and page setup are used.
    """
    document.add_paragraph("（标题）某某单位2024年工作总结", style="Title")
    document.add_paragraph(
        "（正文 Normal）三号仿宋，每行28字，每页22行，首行缩进2字。", style="Normal"
    )
    for level, (name, _font, _outline) in enumerate(HEADINGS, start=1):
        document.add_paragraph(f"（{name}）第{level}级标题", style=name)
    paragraph = document.add_paragraph(style="Normal")
    paragraph.add_run("（一）接排标题。", style="接排标题2")
    paragraph.add_run("标题后接正文，在同一段落中。")
    paragraph = document.add_paragraph(style="Normal")
    paragraph.add_run("强化理论武装。", style="要点标题")
    paragraph.add_run("（要点标题）不编号的接排要点，加粗仿宋。")
    document.add_paragraph("——（副标题）2024年1月10日在某市人民代表大会上", style="副标题")
    document.add_paragraph("（讲话人）市长  某某", style="讲话人")
    document.add_paragraph("（称谓）各位代表：", style="称谓")
    document.add_paragraph("（主送机关）某某部：", style="主送机关")
    document.add_paragraph("（署名行）作者：某处　来源：某处　日期：2024-02-27", style="署名行")
    table = document.add_table(rows=2, cols=2, style="公文表格")
    for column, (header, text) in enumerate((("表格标题", "表格文字"), ("黑体 小四", "仿宋 小四"))):
        table.cell(0, column).paragraphs[0].style = document.styles["表格标题"]
        table.cell(0, column).paragraphs[0].add_run(header)
        table.cell(1, column).paragraphs[0].style = document.styles["表格文字"]
        table.cell(1, column).paragraphs[0].add_run(text)
    document.add_paragraph("（落款）某某单位", style="落款")
    document.add_paragraph("2024年2月27日", style="成文日期")
    document.add_paragraph("（成文日期，加盖印章时）2024年2月27日", style="成文日期（加盖印章）")


def build_reference(output: Path) -> None:
    """Write the reference .docx to ``output``."""
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _doc_defaults(document)
    _styles(document)
    _table_styles(document)
    _page_setup(document)
    _samples(document)
    core = document.core_properties
    core.title = "huibao 参考样式（GB/T 9704-2012）"
    core.author = "huibao"
    core.last_modified_by = "huibao"
    core.created = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    core.modified = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    core.revision = 1
    document.save(str(output))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True, help="where to write the .docx")
    output = parser.parse_args().output
    if output.resolve() == OUTPUT:
        parser.error(f"{OUTPUT} is the committed source, edited in Word: write elsewhere")
    build_reference(output)


if __name__ == "__main__":
    main()
