from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from generator.document import Document, Paragraph, Run
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
