"""The import reader on real Word files, built here from raw XML and with python-docx (never with
huibao's own writer): what a reader of each document sees is what ``read_document`` returns."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from generator.errors import FileAccessError
from generator.reader import read_document
from generator.reader_numbering import format_number
from generator.reading import ReadCell, ReadDocument, ReadParagraph, ReadTable

NAMESPACES = " ".join(
    [
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
        'xmlns:v="urn:schemas-microsoft-com:vml"',
        'xmlns:o="urn:schemas-microsoft-com:office:office"',
        'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"',
    ]
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# Word's own names: built-in styles are stored lower-case ("heading 1"); Heading 1 takes level 0
# of the list through the abstract numbering's w:pStyle, Heading 2 names its level itself.
STYLES = """
<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr>
  <w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/>
  <w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr>
  <w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="a"/>
  <w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
"""


def write_docx(
    path: Path,
    body: str,
    *,
    styles: str = STYLES,
    numbering: str | None = None,
    parts: dict[str, str] | None = None,
) -> Path:
    """A .docx as Word lays it out: content types, relationships, body, styles, numbering."""
    relations = {"styles": "styles.xml"}
    files = {
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>",
        "word/styles.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:styles {NAMESPACES}>{styles}</w:styles>",
    }
    overrides = {"word/document.xml": "document.main+xml", "word/styles.xml": "styles+xml"}
    if numbering is not None:
        relations["numbering"] = "numbering.xml"
        files["word/numbering.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<w:numbering {NAMESPACES}>{numbering}</w:numbering>"
        )
        overrides["word/numbering.xml"] = "numbering+xml"
    for name, xml in (parts or {}).items():
        kind = name.rpartition("/")[2].removesuffix(".xml")
        relations[kind] = name.removeprefix("word/")
        files[name] = xml
        overrides[name] = f"{kind}+xml"
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="/{name}" ContentType="{_CONTENT_TYPE}.{kind}"/>'
            for name, kind in overrides.items()
        )
        + "</Types>"
    )
    package_relations = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELATIONSHIP}/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    document_relations = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{index}" Type="{_RELATIONSHIP}/{kind}" Target="{target}"/>'
            for index, (kind, target) in enumerate(relations.items(), start=1)
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_relations)
        archive.writestr("word/_rels/document.xml.rels", document_relations)
        for name, xml in files.items():
            archive.writestr(name, xml)
    return path


def para(
    *runs: str,
    style: str = "",
    num: int | None = None,
    ilvl: int | None = None,
    properties: str = "",
) -> str:
    """A ``w:p``; plain strings become runs, strings starting with ``<`` are kept as XML."""
    numbering = ""
    if num is not None or ilvl is not None:
        numbering = "<w:numPr>"
        numbering += f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        numbering += f'<w:numId w:val="{num}"/>' if num is not None else ""
        numbering += "</w:numPr>"
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    content = "".join(run if run.startswith("<") else text_run(run) for run in runs)
    return f"<w:p><w:pPr>{style_xml}{numbering}{properties}</w:pPr>{content}</w:p>"


def text_run(text: str, properties: str = "") -> str:
    return f'<w:r><w:rPr>{properties}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def level(
    index: int,
    number_format: str,
    text: str,
    *,
    start: int = 1,
    suffix: str = "nothing",
    extra: str = "",
) -> str:
    return (
        f'<w:lvl w:ilvl="{index}"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{number_format}"/>{extra}<w:lvlText w:val="{text}"/>'
        f'<w:suff w:val="{suffix}"/><w:lvlJc w:val="left"/></w:lvl>'
    )


# A Chinese report's multilevel list: 一、 （一） 1. （1）; level 4 (（1）) restarts only when
# level 1 is used (w:lvlRestart 1), not after 1. or （一）.
REPORT_LIST = (
    '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
    + level(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="1"/>')
    + level(1, "chineseCounting", "（%2）", extra='<w:pStyle w:val="2"/>')
    + level(2, "decimal", "%3.")
    + level(3, "decimal", "（%4）", extra='<w:lvlRestart w:val="1"/>')
    + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="0"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
)


def paragraphs(document: ReadDocument) -> list[ReadParagraph]:
    return [block for block in document.blocks if isinstance(block, ReadParagraph)]


def texts(document: ReadDocument) -> list[str]:
    return [paragraph.text for paragraph in paragraphs(document)]


# --- automatic numbering ------------------------------------------------------------------


def test_multilevel_list_is_read_as_word_numbers_it(tmp_path: Path) -> None:
    body = "".join(
        [
            para("总体情况", style="1"),
            para("加强组织领导", style="2"),
            para("健全机制", num=1, ilvl=2),
            para("制度建设", num=1, ilvl=3),
            para("压实责任", num=1, ilvl=2),
            para("责任清单", num=1, ilvl=3),
            para("强化督查", style="2"),
            para("定期通报", num=1, ilvl=2),
            para("通报制度", num=1, ilvl=3),
            para("附：说明", style="1", num=0),
            para("存在问题", style="1"),
            para("短板弱项", style="2"),
            para("具体表现", num=1, ilvl=3),
            para("下一步打算", num=2, ilvl=0),
            para("附件目录", num=3, ilvl=0),
            para("附件清单", num=3, ilvl=0),
            para("工作要求", style="1"),
        ]
    )
    document = read_document(write_docx(tmp_path / "报告.docx", body, numbering=REPORT_LIST))
    assert texts(document) == [
        "一、总体情况",
        "（一）加强组织领导",
        "1.健全机制",
        "（1）制度建设",
        "2.压实责任",
        "（2）责任清单",  # lvlRestart 1: 2. does not restart （1）
        "（二）强化督查",
        "1.定期通报",  # a higher level restarts the lower ones by default
        "（3）通报制度",  # … but not this one: only 一、 restarts it
        "附：说明",  # numId 0 switches the style's numbering off
        "二、存在问题",
        "（一）短板弱项",
        "（1）具体表现",
        "三、下一步打算",  # a second w:num over the same list continues its count
        "一、附件目录",  # startOverride restarts it, once
        "二、附件清单",
        "三、工作要求",  # and the shared count goes on from there
    ]
    read = paragraphs(document)
    assert [paragraph.number for paragraph in read[:4]] == ["一、", "（一）", "1.", "（1）"]
    assert read[9].number == ""
    assert (read[0].style, read[0].outline_level) == ("Heading 1", 0)
    assert (read[1].style, read[1].outline_level) == ("Heading 2", 1)
    assert (read[2].style, read[2].outline_level) == ("Normal", None)


def test_suffix_after_the_number_is_shown_as_word_shows_it(tmp_path: Path) -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        + level(0, "chineseCounting", "%1、", suffix="tab")
        + level(1, "decimal", "%2.", suffix="space")
        + "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    )
    body = para("标题", num=1, ilvl=0) + para("条目", num=1, ilvl=1) + para("默认", num=2, ilvl=0)
    document = read_document(write_docx(tmp_path / "a.docx", body, numbering=numbering))
    # no w:suff is a tab, as in Word
    assert texts(document) == ["一、\t标题", "1. 条目", "（1）\t默认"]
    assert [paragraph.number for paragraph in paragraphs(document)] == ["一、", "1.", "（1）"]


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [
        ("chineseCounting", ["一", "二", "九", "十", "十一", "二十", "二十一", "九十九", "一〇〇"]),
        (
            "chineseCountingThousand",
            ["一", "二", "九", "十", "十一", "二十", "二十一", "九十九", "一百"],
        ),
        (
            "taiwaneseCountingThousand",
            ["一", "二", "九", "十", "十一", "二十", "二十一", "九十九", "一百"],
        ),
        ("taiwaneseCounting", ["一", "二", "九", "十", "十一", "二十", "二十一", "九十九", "一○○"]),
        ("ideographTraditional", ["甲", "乙", "壬", "癸", "11", "20", "21", "99", "100"]),
        ("ideographZodiac", ["子", "丑", "申", "酉", "戌", "20", "21", "99", "100"]),
        ("ideographDigital", ["一", "二", "九", "一〇", "一一", "二〇", "二一", "九九", "一〇〇"]),
        ("decimalEnclosedCircleChinese", ["①", "②", "⑨", "⑩", "⑪", "⑳", "21", "99", "100"]),
        ("decimalEnclosedCircle", ["①", "②", "⑨", "⑩", "⑪", "⑳", "21", "99", "100"]),
        ("decimalEnclosedParen", ["⑴", "⑵", "⑼", "⑽", "⑾", "⒇", "21", "99", "100"]),
        ("decimalFullWidth", ["１", "２", "９", "１０", "１１", "２０", "２１", "９９", "１００"]),
        ("decimal", ["1", "2", "9", "10", "11", "20", "21", "99", "100"]),
        ("upperLetter", ["A", "B", "I", "J", "K", "T", "U", "UUUU", "VVVV"]),
        ("lowerLetter", ["a", "b", "i", "j", "k", "t", "u", "uuuu", "vvvv"]),
        ("upperRoman", ["I", "II", "IX", "X", "XI", "XX", "XXI", "XCIX", "C"]),
        ("lowerRoman", ["i", "ii", "ix", "x", "xi", "xx", "xxi", "xcix", "c"]),
        ("bullet", [""] * 9),
        ("none", [""] * 9),
    ],
)
def test_number_formats(number_format: str, expected: list[str]) -> None:
    values = [1, 2, 9, 10, 11, 20, 21, 99, 100]
    assert [format_number(value, number_format) for value in values] == expected


def test_chinese_counting_thousand_beyond_a_hundred() -> None:
    values = [105, 110, 111, 1000, 1005, 1010, 10000, 10010, 100000]
    assert [format_number(value, "chineseCountingThousand") for value in values] == [
        "一百零五",
        "一百一十",
        "一百一十一",
        "一千",
        "一千零五",
        "一千零一十",
        "一万",
        "一万零一十",
        "十万",
    ]
    assert format_number(1010, "chineseLegalSimplified") == "壹仟零壹拾"


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [
        ("chineseCounting", ["九、", "十、", "十一、"]),
        ("chineseCountingThousand", ["九、", "十、", "十一、"]),
        ("taiwaneseCountingThousand", ["九、", "十、", "十一、"]),
        ("decimalEnclosedCircleChinese", ["⑨、", "⑩、", "⑪、"]),
        ("ideographTraditional", ["壬、", "癸、", "11、"]),
    ],
)
def test_formats_in_a_document(tmp_path: Path, number_format: str, expected: list[str]) -> None:
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{level(0, number_format, "%1、", start=9)}'
        '</w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = "".join(para(f"第{index}项", num=5, ilvl=0) for index in range(3))
    document = read_document(write_docx(tmp_path / "a.docx", body, numbering=numbering))
    assert [paragraph.number for paragraph in paragraphs(document)] == expected
    assert texts(document)[0] == f"{expected[0]}第0项"


def test_bullets_legal_numbering_and_overridden_levels(tmp_path: Path) -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="\uf0b7"/></w:lvl></w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1">'
        + level(0, "chineseCounting", "第%1章")
        + level(1, "chineseCounting", "%1.%2", extra="<w:isLgl/>")
        + "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">'
        '<w:startOverride w:val="4"/>'
        + level(0, "upperRoman", "%1)", start=4)
        + "</w:lvlOverride></w:num>"
    )
    body = "".join(
        [
            para("要点甲", num=1, ilvl=0),
            para("总则", num=2, ilvl=0),
            para("适用范围", num=2, ilvl=1),
            para("附则", num=3, ilvl=0),
            para("未定义的列表", num=9, ilvl=0),
        ]
    )
    document = read_document(write_docx(tmp_path / "a.docx", body, numbering=numbering))
    # bullets are not numbers; w:isLgl shows every level in decimal
    assert texts(document) == ["要点甲", "第一章总则", "1.1适用范围", "IV)附则", "未定义的列表"]


def test_numbering_inside_tables_counts_in_reading_order(tmp_path: Path) -> None:
    cell = "<w:tc>{}</w:tc>"
    table = (
        "<w:tbl><w:tr>"
        + cell.format(para("表内一", num=1, ilvl=2))
        + cell.format(para("表内二", num=1, ilvl=2))
        + "</w:tr></w:tbl>"
    )
    body = para("工作进展", style="1") + table + para("表后", num=1, ilvl=2)
    document = read_document(write_docx(tmp_path / "a.docx", body, numbering=REPORT_LIST))
    assert document.blocks[1] == ReadTable(
        rows=((ReadCell(("1.表内一",)), ReadCell(("2.表内二",))),)
    )
    assert texts(document) == ["一、工作进展", "3.表后"]


def test_numbering_through_a_numbering_style_link(tmp_path: Path) -> None:
    """An abstract numbering that only says w:numStyleLink counts in the one the style holds."""
    styles = STYLES + (
        '<w:style w:type="numbering" w:styleId="ReportList"><w:name w:val="Report List"/>'
        '<w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>'
    )
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:styleLink w:val="ReportList"/>'
        + level(0, "chineseCountingThousand", "%1、")
        + "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="ReportList"/></w:abstractNum>'
        '<w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="8"><w:abstractNumId w:val="1"/></w:num>'
    )
    body = para("甲", num=7, ilvl=0) + para("乙", num=8, ilvl=0)
    document = read_document(
        write_docx(tmp_path / "a.docx", body, styles=styles, numbering=numbering)
    )
    assert texts(document) == ["一、甲", "二、乙"]


# --- what Word files are made of -----------------------------------------------------------


def test_runs_split_mid_word_and_marks_between_them(tmp_path: Path) -> None:
    body = para(
        "加强",
        '<w:proofErr w:type="spellStart"/>',
        "组",
        '<w:bookmarkStart w:id="0" w:name="_Toc1"/>',
        "织领",
        '<w:bookmarkEnd w:id="0"/><w:commentRangeStart w:id="1"/>',
        "导",
        '<w:commentRangeEnd w:id="1"/><w:r><w:commentReference w:id="1"/></w:r>',
        '<w:proofErr w:type="spellEnd"/><w:r><w:lastRenderedPageBreak/><w:t>，</w:t></w:r>',
    )
    comments = (
        f'<w:comments {NAMESPACES}><w:comment w:id="1" w:author="审核">'
        "<w:p><w:r><w:t>请核实</w:t></w:r></w:p></w:comment></w:comments>"
    )
    document = read_document(
        write_docx(tmp_path / "a.docx", body, parts={"word/comments.xml": comments})
    )
    assert texts(document) == ["加强组织领导，"]
    assert "文档中的批注没有读入" in document.notes


def test_tracked_changes_are_read_as_accepted(tmp_path: Path) -> None:
    change = 'w:id="{}" w:author="张三" w:date="2024-01-10T09:00:00Z"'
    body = "".join(
        [
            para(
                "全年完成投资",
                f"<w:del {change.format(1)}><w:r><w:delText>120</w:delText></w:r></w:del>",
                f"<w:ins {change.format(2)}>{text_run('125')}</w:ins>",
                "亿元。",
            ),
            para(
                f"<w:moveFrom {change.format(3)}>{text_run('（挪走的话）')}</w:moveFrom>",
                "新建公园",
                f"<w:moveTo {change.format(4)}>{text_run('12个')}</w:moveTo>",
                "。",
            ),
            # accepting a deleted paragraph mark joins the paragraph to the next one
            para("第一句，", properties=f"<w:rPr><w:del {change.format(5)}/></w:rPr>"),
            para("第二句。"),
            para(f"<w:del {change.format(6)}><w:r><w:delText>整段删去</w:delText></w:r></w:del>"),
        ]
    )
    table = (
        f"<w:tbl><w:tr>{'<w:tc>' + para('保留') + '</w:tc>'}</w:tr>"
        f"<w:tr><w:trPr><w:del {change.format(7)}/></w:trPr>"
        f"<w:tc>{para('删去的行')}</w:tc></w:tr></w:tbl>"
    )
    document = read_document(write_docx(tmp_path / "a.docx", body + table))
    assert texts(document) == ["全年完成投资125亿元。", "新建公园12个。", "第一句，第二句。"]
    assert document.blocks[-1] == ReadTable(rows=((ReadCell(("保留",)),),))
    assert any("接受全部修订" in note for note in document.notes)


def test_fields_show_their_result_never_their_instruction(tmp_path: Path) -> None:
    def field(instruction: str, result: str | None) -> str:
        parts = [
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        ]
        if result is not None:
            parts += ['<w:r><w:fldChar w:fldCharType="separate"/></w:r>', text_run(result)]
        return "".join([*parts, '<w:r><w:fldChar w:fldCharType="end"/></w:r>'])

    body = "".join(
        [
            para("第", field("PAGE", "3"), "页"),
            para("报送单位：", field("DOCPROPERTY Company \\* MERGEFORMAT", "嘉兴市住建局")),
            para(
                "共", '<w:fldSimple w:instr=" NUMPAGES ">' + text_run("12") + "</w:fldSimple>", "页"
            ),
            para("页码：", field("PAGE", None)),
            # a field whose instruction holds a nested field: nothing of the instruction shows
            para(
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>',
                field("PAGE", "1"),
                '<w:r><w:instrText xml:space="preserve"> = 1 "首页" "续页" </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
                text_run("首页"),
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
            ),
        ]
    )
    document = read_document(write_docx(tmp_path / "a.docx", body))
    assert texts(document) == ["第3页", "报送单位：嘉兴市住建局", "共12页", "页码：", "首页"]


def test_text_box_in_alternate_content_is_read_once_after_its_paragraph(tmp_path: Path) -> None:
    box = para("文本框中的说明")
    drawing = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:extent cx="1828800" cy="457200"/><wp:docPr id="1" name="文本框 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx>"
        "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape id="文本框 1" style="width:144pt;height:36pt">'
        f"<v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )
    body = para("正文前", drawing, "正文后") + para("下一段")
    document = read_document(write_docx(tmp_path / "a.docx", body))
    assert texts(document) == ["正文前正文后", "文本框中的说明", "下一段"]
    assert any("文本框" in note for note in document.notes)


def test_breaks_tabs_symbols_hyphens_and_hidden_text(tmp_path: Path) -> None:
    body = "".join(
        [
            para("第一行", "<w:r><w:br/><w:t>第二行</w:t><w:tab/><w:t>末尾</w:t></w:r>"),
            para("长", '<w:r><w:sym w:font="Symbol" w:char="F0B4"/></w:r>', "宽"),
            para("G", "<w:r><w:noBreakHyphen/><w:t>60</w:t><w:softHyphen/></w:r>", "高速"),
            para("公开内容", text_run("（内部备注）", "<w:vanish/>"), "。"),
            para("<w:r><w:t>\u200b零宽\u200b字符</w:t></w:r>"),
        ]
    )
    document = read_document(write_docx(tmp_path / "a.docx", body))
    assert texts(document) == [
        "第一行\n第二行\t末尾",
        "长×宽",
        "G-60高速",
        "公开内容。",
        "零宽字符",
    ]
    assert any("隐藏" in note for note in document.notes)
    assert any("零宽" in note for note in document.notes)


def test_bold_run_in_headings(tmp_path: Path) -> None:
    body = "".join(
        [
            para(text_run("强化理论武装。", "<w:b/>"), "深入学习贯彻。"),
            para(
                text_run("　　"),
                text_run("一是", "<w:b/>"),
                text_run("健全机制。", "<w:b/>"),
                "正文。",
            ),
            para(text_run("完善制度。", '<w:rStyle w:val="Strong"/>'), "正文。"),
            para(text_run("不加粗", '<w:rStyle w:val="Strong"/><w:b w:val="0"/>'), "正文。"),
            para("普通段落。", text_run("末尾加粗", "<w:b/>")),
            para("嘉兴市住房和城乡建设局2023年工作总结", style="Title"),
        ]
    )
    document = read_document(write_docx(tmp_path / "a.docx", body))
    read = paragraphs(document)
    assert [paragraph.bold_prefix for paragraph in read] == [
        "强化理论武装。",
        "一是健全机制。",
        "完善制度。",
        "",
        "",
        "嘉兴市住房和城乡建设局2023年工作总结",  # the Title style is bold
    ]
    assert read[1].text == "一是健全机制。正文。"  # the indentation typed as spaces is gone
    assert (read[5].style, read[5].alignment) == ("Title", "center")


def test_bold_prefix_of_a_numbered_paragraph_starts_with_its_number(tmp_path: Path) -> None:
    body = para(text_run("加强组织领导。", "<w:b/>"), "成立领导小组。", style="2")
    document = read_document(write_docx(tmp_path / "a.docx", body, numbering=REPORT_LIST))
    (paragraph,) = paragraphs(document)
    assert paragraph.text == "（一）加强组织领导。成立领导小组。"
    assert paragraph.bold_prefix == "（一）加强组织领导。"
    assert paragraph.text.startswith(paragraph.bold_prefix)


def test_table_with_vertical_and_horizontal_merges(tmp_path: Path) -> None:
    def cell(text: str, properties: str = "") -> str:
        return f"<w:tc><w:tcPr>{properties}</w:tcPr>{para(text) if text else '<w:p/>'}</w:tc>"

    table = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>"
        + cell("考评维度")
        + cell("指标", '<w:gridSpan w:val="2"/>')
        + cell("完成情况")
        + "</w:tr><w:tr>"
        + cell("日常履职", '<w:vMerge w:val="restart"/>')
        + cell("小区改造")
        + cell("300个")
        + cell("完成302个", '<w:vMerge w:val="restart"/>')
        + "</w:tr><w:tr>"
        + cell("", "<w:vMerge/>")
        + cell("加装电梯")
        + cell("500台")
        + cell("", "<w:vMerge/>")
        + "</w:tr><w:tr>"
        + cell("", "<w:vMerge/>")
        + cell("合计", '<w:gridSpan w:val="3"/>')
        + "</w:tr></w:tbl>"
    )
    document = read_document(write_docx(tmp_path / "a.docx", para("表一") + table))
    assert document.blocks[1] == ReadTable(
        rows=(
            (ReadCell(("考评维度",)), ReadCell(("指标",), colspan=2), ReadCell(("完成情况",))),
            (
                ReadCell(("日常履职",), rowspan=3),
                ReadCell(("小区改造",)),
                ReadCell(("300个",)),
                ReadCell(("完成302个",), rowspan=2),
            ),
            (ReadCell(("加装电梯",)), ReadCell(("500台",))),
            (ReadCell(("合计",), colspan=3),),
        )
    )


def test_document_made_with_python_docx(tmp_path: Path) -> None:
    """What Word users do, through python-docx: styles, bold runs, merged cells, line breaks,
    and numbering attached to the heading style in numbering.xml."""
    word = docx.Document()
    numbering = word.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {NAMESPACES} w:abstractNumId="90">'
            + level(0, "chineseCountingThousand", "%1、", extra='<w:pStyle w:val="Heading1"/>')
            + "</w:abstractNum>"
        ),
    )
    numbering.append(
        parse_xml(f'<w:num {NAMESPACES} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    heading_style = word.styles["Heading 1"].element
    heading_style.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 90
    word.add_paragraph("嘉兴市住房和城乡建设局2023年工作总结", style="Title")
    word.add_heading("主要工作", level=1)
    paragraph = word.add_paragraph()
    paragraph.add_run("强化").bold = True
    paragraph.add_run("理论武装。").bold = True
    paragraph.add_run("全年开展学习")
    paragraph.add_run("12")
    paragraph.add_run("次。")
    lines = word.add_paragraph("第一行")
    lines.runs[0].add_break()
    lines.add_run("第二行")
    word.add_heading("下一步打算", level=1)
    table = word.add_table(rows=3, cols=3)
    for row, values in enumerate(
        [("任务", "进展", "状态"), ("改造", "完成", "已完成"), ("", "推进", "")]
    ):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 2).merge(table.cell(2, 2))
    path = tmp_path / "总结.docx"
    word.save(str(path))

    document = read_document(path)
    assert texts(document) == [
        "嘉兴市住房和城乡建设局2023年工作总结",
        "一、主要工作",
        "强化理论武装。全年开展学习12次。",
        "第一行\n第二行",
        "二、下一步打算",
    ]
    assert paragraphs(document)[2].bold_prefix == "强化理论武装。"
    assert paragraphs(document)[1].style == "Heading 1"
    (table_read,) = [block for block in document.blocks if isinstance(block, ReadTable)]
    assert table_read.rows == (
        (ReadCell(("任务",)), ReadCell(("进展",)), ReadCell(("状态",))),
        (ReadCell(("改造",), rowspan=2), ReadCell(("完成",)), ReadCell(("已完成",), rowspan=2)),
        (ReadCell(("推进",)),),
    )


def test_strict_open_xml_reads_like_transitional(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "a.docx", para("总体情况", style="1"), numbering=REPORT_LIST)
    strict = tmp_path / "strict.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(strict, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                data = data.replace(W.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")
            target.writestr(item, data)
    assert texts(read_document(strict)) == ["一、总体情况"]


# --- hostile and broken files --------------------------------------------------------------


def test_zip_bomb_is_refused_before_unzipping(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "炸弹.docx", para("正文"))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.xml", b"0" * (50 * 1024 * 1024))
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(FileAccessError) as raised:
        read_document(path)
    assert "炸弹.docx" in str(raised.value)
    assert "拒绝读取" in str(raised.value) and "压缩比" in str(raised.value)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(
        f'<!ENTITY lol{index} "{("&lol" + str(index - 1) + ";" if index > 1 else "&lol;") * 10}">'
        for index in range(1, 10)
    )
    + "]>"
)


@pytest.mark.parametrize(
    "prologue",
    [
        BILLION_LAUGHS,
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_dtd_and_entities_are_refused(tmp_path: Path, prologue: str) -> None:
    reference = "&lol9;" if "lol9" in prologue else "&xxe;"
    document = (
        f"{prologue}<w:document {NAMESPACES}><w:body>"
        f"<w:p><w:r><w:t>{reference}</w:t></w:r></w:p></w:body></w:document>"
    )
    path = write_docx(tmp_path / "a.docx", "")
    with zipfile.ZipFile(path) as source:
        items = {item.filename: source.read(item) for item in source.infolist()}
    items["word/document.xml"] = document.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in items.items():
            target.writestr(name, data)
    with pytest.raises(FileAccessError) as raised:
        read_document(path)
    assert "DTD" in str(raised.value) and "root:" not in str(raised.value)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"PK\x03\x04 not really a zip", "Word 文档已损坏"),
        (b"just some text", "这不是 Word 文档"),
    ],
)
def test_damaged_documents(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "去年报告.docx"
    path.write_bytes(content)
    with pytest.raises(FileAccessError) as raised:
        read_document(path)
    assert reason in str(raised.value) and "去年报告.docx" in str(raised.value)
    assert "另存为" in str(raised.value)


def test_damaged_xml_and_missing_body(tmp_path: Path) -> None:
    broken = write_docx(tmp_path / "a.docx", "<w:p><w:r><w:t>未闭合</w:r></w:p>")
    with pytest.raises(FileAccessError, match=re.escape("word/document.xml 部分不完整")):
        read_document(broken)
    workbook = tmp_path / "b.docx"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(FileAccessError, match="这是 Excel 工作簿，不是 Word 文档"):
        read_document(workbook)


def test_too_many_paragraphs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.reader_docx

    monkeypatch.setattr(generator.reader_docx, "MAX_PARAGRAPHS", 10)
    path = write_docx(tmp_path / "a.docx", para("段落") * 11)
    with pytest.raises(FileAccessError, match="段落太多（11 段，上限 10 段）"):
        read_document(path)


def test_encrypted_office_file(tmp_path: Path) -> None:
    """Word saves a document protected by a password to open as an OLE file."""
    path = tmp_path / "加密.docx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(FileAccessError, match="文档设置了打开密码"):
        read_document(path)


def test_deeply_nested_content_and_a_flood_of_level_text(tmp_path: Path) -> None:
    nested = "<w:tbl><w:tr><w:tc>" * 100 + para("最里面") + "</w:tc></w:tr></w:tbl>" * 100
    with pytest.raises(FileAccessError, match="内容嵌套过深"):
        read_document(write_docx(tmp_path / "deep.docx", nested))
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{level(0, "decimal", "%1" * 100_000)}'
        '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = para("条目", num=1, ilvl=0) * 2000
    document = read_document(write_docx(tmp_path / "flood.docx", body, numbering=numbering))
    assert paragraphs(document)[-1].number == "2000" * 16


def test_outline_level_set_on_the_paragraph(tmp_path: Path) -> None:
    body = para("三级标题", properties='<w:outlineLvl w:val="2"/>') + para(
        "正文级别", style="1", num=0, properties='<w:outlineLvl w:val="9"/>'
    )
    read = paragraphs(read_document(write_docx(tmp_path / "a.docx", body)))
    assert [paragraph.outline_level for paragraph in read] == [2, None]


def test_a_field_that_never_ends_hides_no_more_than_its_paragraph(tmp_path: Path) -> None:
    body = para(
        "第",
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
    ) + para("后面的正文仍然读入。")
    document = read_document(write_docx(tmp_path / "a.docx", body))
    assert texts(document) == ["第", "后面的正文仍然读入。"]
    assert any("不完整的域" in note for note in document.notes)
