"""The shipped reference .docx carries the GB/T 9704 house style.

It is the committed source of the style: maintainers edit it in Word. Its general requirements
(styles, page, grid, fonts, footers) are ``huibao reference check``'s (tests/test_reference_check.py);
the exact values below are the house style huibao ships.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from docx.shared import Twips

from generator.kinds import builtin_templates_dir

REFERENCE = builtin_templates_dir() / "reference.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def part(name: str, path: Path = REFERENCE) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read(name))


def style(styles: ET.Element, style_id: str) -> ET.Element:
    found = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert found is not None, style_id
    return found


def east_asian_font(element: ET.Element) -> str | None:
    fonts = element.find(f"{W}rPr/{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def test_page_setup_is_gbt_9704() -> None:
    section = docx.Document(str(REFERENCE)).sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert margins == (Twips(2098), Twips(1984), Twips(1588), Twips(1474))
    grid = part("word/document.xml").find(f".//{W}sectPr/{W}docGrid")
    assert grid is not None
    assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}linePitch") == "579"


def test_body_style_is_sanhao_fangsong_on_an_exact_grid() -> None:
    styles = part("word/styles.xml")
    normal = style(styles, "Normal")
    assert east_asian_font(normal) == "仿宋_GB2312"
    run = normal.find(f"{W}rPr")
    assert run is not None
    assert run.find(f"{W}sz").get(f"{W}val") == "32"  # type: ignore[union-attr]
    assert run.find(f"{W}spacing").get(f"{W}val") == "-5"  # type: ignore[union-attr]
    spacing = normal.find(f"{W}pPr/{W}spacing")
    assert spacing is not None
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("579", "exact")
    indent = normal.find(f"{W}pPr/{W}ind")
    assert indent is not None and indent.get(f"{W}firstLineChars") == "200"
    # no theme font anywhere can override the East-Asian font
    for fonts in styles.iter(f"{W}rFonts"):
        assert not any(name.endswith("Theme") for name in fonts.attrib)


@pytest.mark.parametrize(
    ("style_id", "font", "size"),
    [
        ("Title", "方正小标宋简体", "44"),
        ("Heading1", "黑体", "32"),
        ("Heading2", "楷体_GB2312", "32"),
        ("Heading3", "仿宋_GB2312", "32"),
        ("Heading4", "仿宋_GB2312", "32"),
        ("接排标题1", "黑体", "32"),
        ("接排标题2", "楷体_GB2312", "32"),
        ("页码", "宋体", "28"),
    ],
)
def test_heading_and_title_fonts(style_id: str, font: str, size: str) -> None:
    element = style(part("word/styles.xml"), style_id)
    assert east_asian_font(element) == font
    assert element.find(f"{W}rPr/{W}sz").get(f"{W}val") == size  # type: ignore[union-attr]
    bold = element.find(f"{W}rPr/{W}b")
    assert bold is not None and bold.get(f"{W}val") == "0"


def test_page_numbers_odd_right_even_left() -> None:
    settings = part("word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    word = docx.Document(str(REFERENCE))
    section = word.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]._p
        assert paragraph.find(f"{W}fldSimple").get(f"{W}instr") == "PAGE"
        assert paragraph.find(f"{W}pPr/{W}jc").get(f"{W}val") == alignment
        texts = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
        assert texts == "— 1 —"


def test_the_shipped_file_passes_the_reference_check(
    run_cli: Callable[..., tuple[int, str, str]],
) -> None:
    """The .docx is the source maintainers edit in Word; ``huibao reference check`` guards it."""
    code, out, err = run_cli("reference", "check", str(REFERENCE))
    assert (code, err) == (0, ""), err
    assert out.startswith("检查通过：")
