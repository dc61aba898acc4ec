from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from generator.document import Document, Paragraph, Run, parse_html
from generator.docx_writer import DocumentProperties, write_docx
from generator.errors import FileAccessError, TemplateError
from generator.kinds import builtin_templates_dir
from tests.helpers import docx_paragraphs

REFERENCE = builtin_templates_dir() / "reference.docx"
PROPERTIES = DocumentProperties(
    title="标题", author="某局", created=dt.datetime(2024, 12, 31, tzinfo=dt.UTC)
)
SAMPLE = Document(
    (
        Paragraph("Title", (Run("某局工作总结"),)),
        Paragraph("Normal", (Run("（一）抓落实。", "接排标题2"), Run("正文<&>“引号”"))),
        Paragraph("Heading 1", (Run("一、标题"),)),
    )
)


def test_paragraphs_and_runs_use_reference_styles(tmp_path: Path) -> None:
    output = tmp_path / "out.docx"
    write_docx(SAMPLE, output, reference=REFERENCE, properties=PROPERTIES)
    word = docx.Document(str(output))
    paragraphs = word.paragraphs
    assert [(p.style.name if p.style else "", p.text) for p in paragraphs] == [
        ("Title", "某局工作总结"),
        ("Normal", "（一）抓落实。正文<&>“引号”"),
        ("Heading 1", "一、标题"),
    ]
    assert paragraphs[1].runs[0].style.name == "接排标题2"
    # the reference's sample paragraphs are gone; its page setup and footers stay
    assert len(word.sections) == 1 and word.sections[0].footer.paragraphs[0].text.startswith("—")
    assert word.core_properties.author == "某局"
    assert word.core_properties.created == dt.datetime(2024, 12, 31, tzinfo=dt.UTC)


def test_output_is_reproducible(tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for output in (first, second):
        write_docx(SAMPLE, output, reference=REFERENCE, properties=PROPERTIES)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        for part in ("word/document.xml", "word/styles.xml", "docProps/core.xml"):
            assert a.read(part) == b.read(part)


def test_style_missing_from_reference_is_a_template_error(tmp_path: Path) -> None:
    document = Document((Paragraph("不存在的样式", (Run("x"),)),))
    with pytest.raises(TemplateError, match="缺少段落样式“不存在的样式”"):
        write_docx(document, tmp_path / "x.docx", reference=REFERENCE, properties=PROPERTIES)
    wrong_type = Document((Paragraph("接排标题2", (Run("x"),)),))
    with pytest.raises(TemplateError, match="不是段落样式"):
        write_docx(wrong_type, tmp_path / "x.docx", reference=REFERENCE, properties=PROPERTIES)
    assert not (tmp_path / "x.docx").exists()


def test_broken_reference_is_a_template_error(tmp_path: Path) -> None:
    broken = tmp_path / "reference.docx"
    broken.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateError, match="参考样式文件无法打开"):
        write_docx(SAMPLE, tmp_path / "x.docx", reference=broken, properties=PROPERTIES)


def test_missing_output_folder(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="输出文件夹不存在"):
        write_docx(SAMPLE, tmp_path / "no" / "x.docx", reference=REFERENCE, properties=PROPERTIES)


def test_failed_write_keeps_previous_report_and_leaves_no_temp_file(tmp_path: Path) -> None:
    output = tmp_path / "report.docx"
    write_docx(SAMPLE, output, reference=REFERENCE, properties=PROPERTIES)
    before = output.read_bytes()
    broken = Document((Paragraph("不存在的样式", (Run("x"),)),))
    with pytest.raises(TemplateError):
        write_docx(broken, output, reference=REFERENCE, properties=PROPERTIES)
    assert output.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.docx"]


def test_reference_override_with_own_style(tmp_path: Path) -> None:
    """A maintainer adds a style in Word; templates can use it with no Python change."""
    reference = tmp_path / "reference.docx"
    shutil.copy(REFERENCE, reference)
    word = docx.Document(str(reference))
    word.styles.add_style("附件说明", 1)
    word.save(str(reference))
    document = Document((Paragraph("附件说明", (Run("附件：1.表格"),)),))
    write_docx(document, tmp_path / "x.docx", reference=reference, properties=PROPERTIES)
    assert docx_paragraphs(tmp_path / "x.docx") == [("附件说明", "附件：1.表格")]


TABLE_HTML = """
<table><col width="20mm"><col width="60mm"><col width="76mm">
<thead><tr><th>维度</th><th>名称</th><th>情况</th></tr></thead>
<tr><td rowspan="3">日常履职</td><td>甲</td><td>一</td></tr>
<tr><td>乙</td><td>二</td></tr>
<tr><td colspan="2">丙丁</td></tr>
</table>
<p>表后</p>
"""


def _cells(row: Any) -> list[Any]:
    return list(row.iterchildren(qn("w:tc")))


def _property(tc: Any, tag: str) -> str | None:
    """The w:val of a cell property, "" when present without a value, None when absent."""
    element = tc.find(f"{qn('w:tcPr')}/{qn(tag)}")
    if element is None:
        return None
    return str(element.get(qn("w:val"), ""))


def test_tables_have_real_merges_header_rows_and_fixed_widths(tmp_path: Path) -> None:
    output = tmp_path / "table.docx"
    write_docx(
        parse_html(TABLE_HTML, source="t"), output, reference=REFERENCE, properties=PROPERTIES
    )
    word = docx.Document(str(output))
    (table,) = word.tables
    assert table.style is not None and table.style.name == "公文表格"
    tbl = table._tbl
    assert [col.get(qn("w:w")) for col in tbl.tblGrid.iterchildren(qn("w:gridCol"))] == [
        "1134",
        "3402",
        "4309",
    ]
    assert tbl.xpath("string(w:tblPr/w:tblLayout/@w:type)") == "fixed"
    header, first, second, third = tbl.tr_lst
    assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    # 日常履职 is one merged cell: restart in its first row, continued below, text only once
    assert _property(_cells(first)[0], "w:vMerge") == "restart"
    assert _property(_cells(second)[0], "w:vMerge") == ""
    assert _property(_cells(third)[0], "w:vMerge") == ""
    assert [p.text for p in table.column_cells(0)[1:]] == ["日常履职"] * 3  # Word's own view
    assert [tc.xpath("string(.)") for tc in _cells(third)] == ["", "丙丁"]
    assert _property(_cells(third)[1], "w:gridSpan") == "2"
    # cell text is in the table paragraph styles, and the paragraph after the table follows it
    paragraphs = docx_paragraphs(output)
    assert ("表格标题", "维度") in paragraphs and ("表格文字", "丙丁") in paragraphs
    assert paragraphs[-1] == ("Normal", "表后")


def test_a_table_wider_than_the_text_block_is_a_template_error(tmp_path: Path) -> None:
    html = '<table><col width="100mm"><col width="60mm"><tr><td>a</td><td>b</td></tr></table>'
    output = tmp_path / "wide.docx"
    with pytest.raises(TemplateError, match=r"合计 160\.0 mm，超过版心宽度 156\.0 mm"):
        write_docx(parse_html(html, source="t"), output, reference=REFERENCE, properties=PROPERTIES)
    assert not output.exists()


def test_table_style_missing_from_reference_is_a_template_error(tmp_path: Path) -> None:
    html = '<table class="三线表"><tr><td>a</td></tr></table>'
    with pytest.raises(TemplateError, match="缺少表格样式“三线表”"):
        write_docx(
            parse_html(html, source="t"),
            tmp_path / "x.docx",
            reference=REFERENCE,
            properties=PROPERTIES,
        )


@pytest.mark.parametrize(
    "text", [" a\tb\r\nc ", "\n", "\t\t", "x\ry", "plain", " lead", "trail ", "a\n\nb", ""]
)
def test_run_text_is_written_as_python_docx_writes_it(text: str) -> None:
    """The writer makes runs itself for speed; tabs, line breaks and kept spaces must come out as
    python-docx's ``Run.text`` writes them, which Word and the reader understand."""
    from lxml import etree

    from generator.docx_writer import _add_text, _new

    theirs = _new("w:r")
    theirs.text = text
    ours = _new("w:r")
    _add_text(ours, text)
    assert etree.tostring(ours) == etree.tostring(theirs)
