"""``huibao reference check`` and ``huibao templates export``, as a template maintainer runs them.

Broken copies of the shipped reference are made here the way Word would save them (python-docx
and lxml on the parts Word writes): a missing style, a wrong margin, no East Asian font …; each
must give a Chinese message that names the file, what differs and what to do in Word.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from generator.errors import InputError
from generator.kinds import builtin_templates_dir
from generator.reference_check import check_reference, required_styles
from tests.english import english_words
from tests.helpers import EXAMPLES, build_file_tree

RunCli = Callable[..., tuple[int, str, str]]
REFERENCE = builtin_templates_dir() / "reference.docx"
STYLE_WORDS = ("Normal", "Heading", "Title", "A4", "_outline.html.j2")
"""Words of style names (as Word stores them), the paper size and template names."""


def broken_copy(folder: Path, edit: Callable[[Any], None]) -> Path:
    """A copy of the shipped reference, changed by ``edit(python-docx document)`` and saved."""
    word = docx.Document(str(REFERENCE))
    edit(word)
    path = folder / "reference.docx"
    word.save(str(path))
    return path


def style_element(word: Any, name: str) -> Any:
    return word.styles[name].element


def check_fails(run_cli: RunCli, reference: Path, *expected: str) -> str:
    """Run ``huibao reference check``; it must fail (exit 1) saying each of ``expected``."""
    code, out, err = run_cli("reference", "check", str(reference))
    assert code == 1, out + err
    assert out == ""
    assert err.startswith("错误：")
    assert reference.name in err
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err
    assert english_words(err, STYLE_WORDS) == [], err
    return err


# --- the shipped file -----------------------------------------------------------------------


def test_the_shipped_reference_passes(run_cli: RunCli) -> None:
    code, out, err = run_cli("reference", "check")
    assert (code, err) == (0, ""), err
    assert out.startswith("检查通过：")
    assert "版心 156 × 225 毫米" in out and "每页 22 行、每行 28 字" in out
    assert english_words(out) == []


def test_the_styles_come_from_the_writer_and_every_template() -> None:
    styles = {(style.name, style.type): style.used_by for style in required_styles()}
    for name in ("Normal", "Heading 1", "Heading 4", "表格文字", "表格标题"):
        assert (name, "paragraph") in styles
    assert ("公文表格", "table") in styles
    # run-in headings are named from the level: 接排标题{{ level + 1 }}
    for level in range(1, 5):
        assert styles[(f"接排标题{level}", "character")].startswith("模板 _outline.html.j2 第 ")
    assert ("要点标题", "character") in styles
    assert ("表格居中", "paragraph") in styles
    assert ("署名行", "paragraph") in styles
    # a name in a Jinja comment is not a style
    assert not any("接排标题N" in name for name, _ in styles)


# --- broken copies ------------------------------------------------------------------------


def test_a_missing_style_names_the_template_line_that_uses_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    def remove(word: Any) -> None:
        element = style_element(word, "接排标题2")
        element.getparent().remove(element)

    reference = broken_copy(tmp_path, remove)
    err = check_fails(
        run_cli,
        reference,
        "样式“接排标题2”：缺少字符样式“接排标题2”（模板 _outline.html.j2 第 ",
        "新建名为“接排标题2”的字符样式",
    )
    assert err.count("缺少") == 1


def test_a_style_of_the_wrong_type(run_cli: RunCli, tmp_path: Path) -> None:
    def retype(word: Any) -> None:
        style_element(word, "表格居中").set(qn("w:type"), "character")

    check_fails(
        run_cli,
        broken_copy(tmp_path, retype),
        "“表格居中”是字符样式，这里要的是段落样式",
    )


def test_a_built_in_style_is_named_as_chinese_word_shows_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    def remove(word: Any) -> None:
        element = style_element(word, "Heading 2")
        element.getparent().remove(element)

    check_fails(
        run_cli,
        broken_copy(tmp_path, remove),
        "样式“Heading 2”（Word 中显示为“标题 2”）：缺少段落样式“Heading 2”",
    )


def test_a_wrong_margin(run_cli: RunCli, tmp_path: Path) -> None:
    def margin(word: Any) -> None:
        word.sections[0].top_margin = Mm(30)

    check_fails(
        run_cli,
        broken_copy(tmp_path, margin),
        "页面设置：页边距不符合 GB/T 9704：上 30.0 毫米（应为 37 毫米）",
        "上 3.7 厘米",
    )


def test_a_margin_within_a_millimetre_passes(run_cli: RunCli, tmp_path: Path) -> None:
    """Word's dialog rounds to hundredths of a centimetre: 2.79 cm is still 28 mm."""

    def margin(word: Any) -> None:
        word.sections[0].left_margin = Mm(27.9)

    code, _, err = run_cli("reference", "check", str(broken_copy(tmp_path, margin)))
    assert code == 0, err


def test_letter_paper_in_landscape(run_cli: RunCli, tmp_path: Path) -> None:
    def paper(word: Any) -> None:
        section = word.sections[0]
        section.page_width, section.page_height = Mm(279.4), Mm(215.9)

    check_fails(
        run_cli,
        broken_copy(tmp_path, paper),
        "纸张是横向的",
        "纸张是 279 × 216 毫米，不是 A4（210 × 297 毫米）",
        "布局 → 纸张大小 → A4",
    )


def test_no_east_asian_font_anywhere(run_cli: RunCli, tmp_path: Path) -> None:
    def strip(word: Any) -> None:
        for fonts in word.styles.element.iter(qn("w:rFonts")):
            fonts.attrib.pop(qn("w:eastAsia"), None)

    err = check_fails(
        run_cli,
        broken_copy(tmp_path, strip),
        "样式“Normal”（Word 中显示为“正文”）：没有设置中文字体",
        "样式“Heading 1”（Word 中显示为“标题 1”）：没有设置中文字体",
        "中文字体，选一种具体的字体",
    )
    assert "处问题" in err


def test_a_theme_font_as_word_saves_it(run_cli: RunCli, tmp_path: Path) -> None:
    """Choosing “+中文标题” in Word's font dialog writes w:eastAsiaTheme, which wins over w:eastAsia."""

    def theme(word: Any) -> None:
        fonts = style_element(word, "Heading 1").find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        fonts.set(qn("w:eastAsiaTheme"), "majorEastAsia")
        point = style_element(word, "要点标题").find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        point.set(qn("w:eastAsiaTheme"), "minorEastAsia")

    check_fails(
        run_cli,
        broken_copy(tmp_path, theme),
        "样式“Heading 1”（Word 中显示为“标题 1”）：中文字体是主题字体（+中文标题）",
        "样式“要点标题”：中文字体是主题字体（+中文正文）",
    )


def test_a_character_grid_that_libreoffice_reads_as_14_characters(
    run_cli: RunCli, tmp_path: Path
) -> None:
    def grid(word: Any) -> None:
        element = word.sections[0]._sectPr.find(qn("w:docGrid"))
        element.set(qn("w:type"), "linesAndChars")
        element.set(qn("w:charSpace"), "-849")

    check_fails(
        run_cli,
        broken_copy(tmp_path, grid),
        "文档网格：文档网格设为“指定行和字符网格”",
        "每行只排 14 字左右",
        "只指定行网格",
    )


def test_a_grid_of_the_wrong_pitch_and_a_body_line_spacing(run_cli: RunCli, tmp_path: Path) -> None:
    def pitch(word: Any) -> None:
        word.sections[0]._sectPr.find(qn("w:docGrid")).set(qn("w:linePitch"), "312")
        spacing = style_element(word, "Normal").find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        spacing.set(qn("w:line"), "600")

    check_fails(
        run_cli,
        broken_copy(tmp_path, pitch),
        "行网格跨度 15.6 磅，每页 40 行（应为 22 行）",
        "行距 30 磅，每页 21 行（应为 22 行）",
        "行距“固定值” 28.95 磅",
    )


def test_28_characters_need_the_tightened_spacing(run_cli: RunCli, tmp_path: Path) -> None:
    def spacing(word: Any) -> None:
        style_element(word, "Normal").find(f"{qn('w:rPr')}/{qn('w:spacing')}").set(qn("w:val"), "0")

    check_fails(
        run_cli,
        broken_copy(tmp_path, spacing),
        "字号 16 磅、字符间距 +0 磅，版心每行排 27 字（应为 28 字）",
        "间距“紧缩” 0.25 磅",
    )


def test_page_numbers_in_the_footers(run_cli: RunCli, tmp_path: Path) -> None:
    def footers(word: Any) -> None:
        even = word.sections[0].even_page_footer.paragraphs[0]._p
        for field in even.findall(qn("w:fldSimple")):
            even.remove(field)
        odd = word.sections[0].footer.paragraphs[0]._p
        odd.find(f"{qn('w:pPr')}/{qn('w:jc')}").set(qn("w:val"), "center")

    check_fails(
        run_cli,
        broken_copy(tmp_path, footers),
        "页脚：双页页脚中没有页码",
        "页脚：单页页码没有居右",
        "插入 → 页码",
    )


def test_odd_and_even_footers_must_differ(run_cli: RunCli, tmp_path: Path) -> None:
    def same(word: Any) -> None:
        word.settings.odd_and_even_pages_header_footer = False

    check_fails(run_cli, broken_copy(tmp_path, same), "没有设置“奇偶页不同”")


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    def many(word: Any) -> None:
        word.sections[0].top_margin = Mm(30)
        element = style_element(word, "落款")
        element.getparent().remove(element)
        word.settings.odd_and_even_pages_header_footer = False

    reference = broken_copy(tmp_path, many)
    with pytest.raises(InputError) as raised:
        check_reference(reference)
    assert len(raised.value.problems) == 3
    assert str(raised.value).startswith("reference.docx 有 3 处问题，请逐条修改后再运行：")


def test_a_file_that_is_not_a_word_document(run_cli: RunCli, tmp_path: Path) -> None:
    fake = tmp_path / "reference.docx"
    fake.write_text("这不是 Word 文档", encoding="utf-8")
    code, out, err = run_cli("reference", "check", str(fake))
    assert code == 1 and out == ""
    assert "参考样式文件无法打开：不是 Word 文档（.docx），或文件已损坏" in err
    assert "Traceback" not in err


def test_a_missing_file(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = run_cli("reference", "check", str(tmp_path / "样式.docx"))
    assert code == 1
    assert "样式.docx：文件不存在" in err


def test_a_word_document_without_styles_part(run_cli: RunCli, tmp_path: Path) -> None:
    """A document saved without a styles part (some tools do) lacks every style."""
    stripped = tmp_path / "reference.docx"
    with zipfile.ZipFile(REFERENCE) as source, zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            if item.filename != "word/styles.xml":
                target.writestr(item, source.read(item))
    err = check_fails(run_cli, stripped, "缺少段落样式“Normal”", "缺少表格样式“公文表格”")
    assert "处问题" in err


# --- an override folder ---------------------------------------------------------------------


def test_export_gives_a_folder_that_checks_and_builds_as_the_built_in(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "我的模板"
    code, out, err = run_cli("templates", "export", str(folder))
    assert (code, err) == (0, "")
    assert f"已导出 {len(list(folder.rglob('*.*')))} 个文件到 {folder}" in out
    assert f"huibao reference check {folder}" in out and f"--templates {folder}" in out
    source = builtin_templates_dir()
    for path in source.rglob("*.html.j2"):
        assert (folder / path.relative_to(source)).read_bytes() == path.read_bytes()
    assert (folder / "reference.docx").read_bytes() == REFERENCE.read_bytes()
    assert not list(folder.rglob("__pycache__"))
    assert run_cli("reference", "check", str(folder))[0] == 0
    assert run_cli("reference", "check", str(folder / "reference.docx"))[0] == 0
    # built with the exported folder, the report is the built-in one
    built_in, exported = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run_cli("build", str(EXAMPLES / "work-summary.yaml"), "-o", str(built_in))[0] == 0
    code, _, err = run_cli(
        "build",
        str(EXAMPLES / "work-summary.yaml"),
        "-o",
        str(exported),
        "--templates",
        str(folder),
    )
    assert code == 0, err
    with zipfile.ZipFile(built_in) as first, zipfile.ZipFile(exported) as second:
        for part in ("word/document.xml", "word/styles.xml"):
            assert first.read(part) == second.read(part)


def test_export_refuses_a_folder_that_holds_files(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    build_file_tree(folder, {"reference.docx": b"my own", "notes.txt": "mine"})
    code, out, err = run_cli("templates", "export", str(folder))
    assert code == 1 and out == ""
    assert "文件夹不是空的，未导出" in err and "--force" in err
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt", "reference.docx"]
    assert (folder / "reference.docx").read_bytes() == b"my own"
    code, _, err = run_cli("templates", "export", str(folder), "--force")
    assert code == 0, err
    assert (folder / "reference.docx").read_bytes() == REFERENCE.read_bytes()
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    empty = tmp_path / "空"
    empty.mkdir()
    assert run_cli("templates", "export", str(empty))[0] == 0


def test_export_to_a_file_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "模板.txt"
    target.write_text("x", encoding="utf-8")
    code, _, err = run_cli("templates", "export", str(target))
    assert code == 1
    assert "这是一个文件，不是文件夹" in err


def test_a_style_a_maintainer_adds_to_a_template_is_checked(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "模板"
    assert run_cli("templates", "export", str(folder))[0] == 0
    template = folder / "work-summary" / "report.html.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace(
            "{{ outline.front(report) }}", '{{ outline.front(report) }}\n<p class="密级">内部</p>'
        ),
        encoding="utf-8",
    )
    line = template.read_text(encoding="utf-8").splitlines().index('<p class="密级">内部</p>') + 1
    for argument in (folder, folder / "reference.docx"):
        code, _, err = run_cli("reference", "check", str(argument))
        assert code == 1
        assert f"缺少段落样式“密级”（模板 {template} 第 {line} 行使用）" in err
    # the built-in reference, checked against that folder's templates
    code, _, err = run_cli("reference", "check", "--templates", str(folder))
    assert code == 1 and "缺少段落样式“密级”" in err
    # and the build says the same thing in its own words
    code, _, err = run_cli(
        "build", str(EXAMPLES / "work-summary.yaml"), "-o", str(tmp_path / "x.docx"),
        "--templates", str(folder),
    )  # fmt: skip
    assert code == 1 and "缺少段落样式“密级”" in err


def test_help_pages_of_the_maintainer_commands_are_chinese(run_cli: RunCli) -> None:
    for args in (
        ("reference", "-h"),
        ("reference", "check", "-h"),
        ("templates", "-h"),
        ("templates", "export", "-h"),
    ):
        code, out, err = run_cli(*args)
        assert (code, err) == (0, "")
        assert out.startswith(f"用法：huibao {args[0]}")
        assert english_words(out) == [], out


def test_a_copy_beside_templates_is_not_mixed_up_with_the_built_in(tmp_path: Path) -> None:
    """The check of a plain copy uses the built-in templates (its folder holds none)."""
    copy = tmp_path / "reference.docx"
    shutil.copyfile(REFERENCE, copy)
    summary = check_reference(copy)
    assert summary.reference == copy
    assert (summary.lines, summary.characters) == (22, 28)
