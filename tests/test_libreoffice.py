"""The real client: LibreOffice lays out the built example; we measure the PDF as a reader would.

GB/T 9704: full body pages hold 22 lines of 28 characters; margins top 37, bottom 35, left 28,
right 26 mm (within 1 mm); every page carries ``— N —``, odd pages right and even pages left.
Tables set landscape (横排, §8) turn the text block with the page: 225 mm wide, 156 mm high.
Titles keep the lines huibao broke them into (§7.3.1), the 署名 and 成文日期 stand where §7.3.5
puts them, no table cell breaks inside a name, and no body line is letter-spaced.
"""

from __future__ import annotations

import itertools
import re
import statistics
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.pipeline import build_report, validate_input
from generator.signature import cells, signature_places
from tests.helpers import EXAMPLES, MM_PER_PT, Line, Page, convert_to_pdf, pdf_pages

pytestmark = pytest.mark.libreoffice

PT_PER_MM = 1 / MM_PER_PT
TOP, BOTTOM, LEFT, RIGHT = 37.0, 35.0, 28.0, 26.0
PAGE_NUMBER = re.compile(r"^[—–-]\s*(\d+)\s*[—–-]$")
# Characters a CJK font sets in a full cell (curly quotes and ellipsis are full-width there).
FULL_WIDTH_EXTRA = set("“”‘’…—·")


HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|（\d+）)"
)


EXAMPLE_NAMES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
TABLE_EXAMPLES = ("performance-review", "task-progress")
RUNNING_TEXT_EXAMPLES = [name for name in EXAMPLE_NAMES if name not in TABLE_EXAMPLES]
# header cell texts a reader looks for at the top of every page the table runs onto
TABLE_HEADERS = {
    "performance-review": ("考核内容及指标", "工作完成情况"),
    "task-progress": ("主要工作任务", "进展情况", "牵头部门", "进展状态"),
}


@dataclass
class LaidOut:
    pdf: Path
    pages: list[Page]


@pytest.fixture(scope="module")
def lay_out(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], LaidOut]:
    """Build an example and lay it out with LibreOffice, once per example for the module."""
    done: dict[str, LaidOut] = {}

    def laid_out(name: str) -> LaidOut:
        if name not in done:
            folder = tmp_path_factory.mktemp(name)
            output = folder / f"{name}.docx"
            build_report(EXAMPLES / f"{name}.yaml", output)
            pdf = convert_to_pdf(output, folder)
            done[name] = LaidOut(pdf, pdf_pages(pdf))
        return done[name]

    return laid_out


@pytest.fixture(params=EXAMPLE_NAMES)
def all_pages(request: pytest.FixtureRequest, lay_out: Callable[[str], LaidOut]) -> list[Page]:
    """Every example, built and laid out by LibreOffice."""
    return lay_out(request.param).pages


@pytest.fixture(params=RUNNING_TEXT_EXAMPLES)
def pages(request: pytest.FixtureRequest, lay_out: Callable[[str], LaidOut]) -> list[Page]:
    """The running-text examples (the outline kinds): the 22 x 28 grid applies to them."""
    return lay_out(request.param).pages


@pytest.fixture(params=TABLE_EXAMPLES)
def table_example(
    request: pytest.FixtureRequest, lay_out: Callable[[str], LaidOut]
) -> tuple[str, LaidOut]:
    return request.param, lay_out(request.param)


@dataclass(frozen=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float


def margins(page: Page) -> Margins:
    """The text block's margins in mm: GB/T 9704's, turned with a landscape page (the top margin
    becomes the left one, the binding margin the bottom one)."""
    if page.width > page.height:
        return Margins(top=RIGHT, bottom=LEFT, left=TOP, right=BOTTOM)
    return Margins(top=TOP, bottom=BOTTOM, left=LEFT, right=RIGHT)


def body_lines(page: Page) -> list[Line]:
    block_bottom = page.height - margins(page).bottom * PT_PER_MM
    return [line for line in page.lines if line.y_min < block_bottom]


def footer_lines(page: Page) -> list[Line]:
    block_bottom = page.height - margins(page).bottom * PT_PER_MM
    return [line for line in page.lines if line.y_min >= block_bottom]


def full_body_pages(pages: list[Page]) -> list[Page]:
    """Pages filled with running text: not the first (title) page, not the last."""
    assert len(pages) >= 3, "the example should run to several pages"
    return pages[1:-1]


def is_full_width(text: str) -> bool:
    return all(unicodedata.east_asian_width(c) in "WF" or c in FULL_WIDTH_EXTRA for c in text)


def test_a4_pages(all_pages: list[Page]) -> None:
    for page in all_pages:
        size = (round(page.width * MM_PER_PT), round(page.height * MM_PER_PT))
        assert size in ((210, 297), (297, 210))


def test_full_body_pages_hold_22_lines(pages: list[Page]) -> None:
    """22 lines a page; one fewer only where a heading moved on to stay with its text."""
    body = full_body_pages(pages)
    for index, page in enumerate(body, start=2):
        count = len(body_lines(page))
        following = body_lines(pages[index])[0].text
        assert count == 22 or (count == 21 and HEADING_START.match(following)), (
            f"page {index}: {count} lines, next page starts {following[:10]!r}"
        )
    full = sum(len(body_lines(page)) == 22 for page in body)
    assert full / len(body) >= 0.75


def test_lines_sit_on_one_28_95_pt_grid(pages: list[Page]) -> None:
    """Every body line on every page (title page included) falls on the same line grid."""
    pitch = 28.95
    reference = body_lines(pages[1])[0].y_max
    for index, page in enumerate(pages, start=1):
        for line in body_lines(page):
            if line.y_max - line.y_min > 24:  # the 22 pt title has its own box height
                continue
            slots = (line.y_max - reference) / pitch
            assert abs(slots - round(slots)) < 0.1, f"page {index}: {line.text[:10]} off grid"


def test_full_lines_hold_28_characters(pages: list[Page]) -> None:
    """Lines of only full-width characters that run from margin to margin hold 28 characters.

    Chinese line-breaking rules sometimes push one character down (27, justified) or let a
    closing comma hang into the margin (28 + 1); never more than 28 in the block.
    """
    right_edge = pages[0].width - RIGHT * PT_PER_MM
    counts: Counter[int] = Counter()
    for page in full_body_pages(pages):
        for line in body_lines(page):
            starts_at_margin = abs(line.x_min * MM_PER_PT - LEFT) < 0.5
            reaches_right = line.x_max > right_edge - 8
            if starts_at_margin and reaches_right and is_full_width(line.text):
                hanging = line.x_max > right_edge + 4
                counts[len(line.text) - hanging] += 1
    total = sum(counts.values())
    assert total >= 50, counts
    assert max(counts) == 28, counts
    assert counts[28] / total >= 0.85, counts


def test_margins_within_1mm(pages: list[Page]) -> None:
    left, right, top, bottom = [], [], [], []
    for page in full_body_pages(pages):
        lines = body_lines(page)
        pitch = statistics.median(b.y_min - a.y_min for a, b in itertools.pairwise(lines))
        left.append(min(line.x_min for line in lines) * MM_PER_PT)
        # median, not max: a closing comma may hang into the right margin
        full_line_ends = [line.x_max for line in lines if len(line.text) > 20]
        right.append((page.width - statistics.median(full_line_ends)) * MM_PER_PT)
        # glyphs sit at the foot of their 28.95 pt line: the block starts one pitch above
        # the first line's glyph bottom and ends at the last line's glyph bottom
        top.append((lines[0].y_max - pitch) * MM_PER_PT)
        bottom.append((page.height - lines[-1].y_max) * MM_PER_PT)
    measured = {
        "left": statistics.median(left),
        "right": statistics.median(right),
        "top": statistics.median(top),
        "bottom": statistics.median(bottom),
    }
    expected = {"left": LEFT, "right": RIGHT, "top": TOP, "bottom": BOTTOM}
    for side, value in measured.items():
        assert abs(value - expected[side]) <= 1.0, measured


def test_every_page_has_its_number_odd_right_even_left(all_pages: list[Page]) -> None:
    for index, page in enumerate(all_pages, start=1):
        numbers = [line for line in footer_lines(page) if PAGE_NUMBER.match(line.text)]
        assert len(numbers) == 1, f"page {index}: {[line.text for line in footer_lines(page)]}"
        line = numbers[0]
        match = PAGE_NUMBER.match(line.text)
        assert match and int(match.group(1)) == index
        centre = (line.x_min + line.x_max) / 2
        assert (centre > page.width / 2) == (index % 2 == 1), f"page {index} number placement"
        # the dash line sits about 7 mm below the text block
        below_block = line.y_min * MM_PER_PT - (page.height * MM_PER_PT - margins(page).bottom)
        assert 5 <= below_block <= 9, f"page {index}: {below_block:.1f} mm below the block"


def test_table_header_row_repeats_on_every_page(table_example: tuple[str, LaidOut]) -> None:
    name, laid_out = table_example
    assert len(laid_out.pages) >= 3
    for index, page in enumerate(laid_out.pages[1:], start=2):
        top = (margins(page).top + 12) * PT_PER_MM
        near_top = "".join(line.text for line in page.lines if line.y_min < top)
        for header in TABLE_HEADERS[name]:
            assert header in near_top, f"{name} page {index}: no {header} at the top"


def test_tables_stay_inside_the_text_block(
    table_example: tuple[str, LaidOut], tmp_path: Path
) -> None:
    """No border or text of a table crosses the left or right margin, in rendered pixels."""
    name, laid_out = table_example
    dots_per_mm = 72 / 25.4
    for page_number, page in enumerate(laid_out.pages, start=1):
        block = margins(page)
        width_mm, height_mm = page.width * MM_PER_PT, page.height * MM_PER_PT
        left = int((block.left - 0.5) * dots_per_mm)
        right = int((width_mm - block.right + 0.5) * dots_per_mm) + 1
        top = int(block.top * dots_per_mm) - 20
        bottom = int((height_mm - block.bottom) * dots_per_mm)
        width, pixels = render_gray(laid_out.pdf, page_number, tmp_path)
        inside = [pixels[y * width + x] for y in range(top, bottom) for x in range(left, right)]
        assert min(inside) < 100, f"{name} page {page_number}: nothing drawn in the block"
        outside = [
            (x, y)
            for y in range(top, bottom)
            for x in (*range(left), *range(right, width))
            if pixels[y * width + x] < 160
        ]
        assert not outside, f"{name} page {page_number}: ink outside the block at {outside[:3]}"


def render_gray(pdf: Path, page: int, workdir: Path) -> tuple[int, bytes]:
    """One page as 72 dpi greyscale pixels: (width, row-major bytes), via ``pdftoppm``."""
    stem = workdir / f"page{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "72",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
        timeout=120,
    )
    magic, width, _height, maximum, pixels = stem.with_suffix(".pgm").read_bytes().split(maxsplit=4)
    assert magic == b"P5" and maximum == b"255"
    return int(width), pixels


# --- titles, 署名 and 成文日期, names in table cells, letter spacing ------------------------------

TITLE_HEIGHT = 24.0
"""Line boxes taller than this (pt) are 22 pt title lines; 16 pt body lines are shorter."""
BODY_CELL = 15.75
"""Advance of one 三号 character in pt: 16 pt less the body style's 0.25 pt spacing."""
NAMED_CELLS = {
    "task-progress": ("tasks", "departments"),
    "performance-review": ("dimensions", "targets"),
}


@pytest.fixture(params=EXAMPLE_NAMES)
def example_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_title_keeps_the_lines_huibao_chose(
    example_name: str, lay_out: Callable[[str], LaidOut]
) -> None:
    """GB/T 9704 §7.3.1: each line huibao broke the title into is one printed line (LibreOffice
    wraps none of them), and the lines make a 梯形 (longer above shorter) or a 菱形."""
    report = validate_input(EXAMPLES / f"{example_name}.yaml").report
    expected = report.title.splitlines()
    page = lay_out(example_name).pages[0]
    title = [line for line in page.lines if line.y_max - line.y_min > TITLE_HEIGHT]
    assert [line.text for line in title[: len(expected)]] == expected
    widths = [line.x_max - line.x_min for line in title[: len(expected)]]
    cell = 22.0
    trapezoid = all(a >= b - cell for a, b in itertools.pairwise(widths))
    diamond = len(widths) >= 3 and min(widths[1:-1]) >= max(widths[0], widths[-1]) - cell
    assert trapezoid or diamond, widths


def _signature_example(tmp_path: Path, **changes: str) -> list[Page]:
    text = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8")
    for key, value in changes.items():
        text = re.sub(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
        if f"\n{key}:" not in text:
            text += f"\n{key}: {value}\n"
    source = tmp_path / "report.yaml"
    source.write_text(text, encoding="utf-8")
    output = build_report(source, tmp_path / "report.docx").output
    return pdf_pages(convert_to_pdf(output, tmp_path))


@pytest.mark.parametrize(
    ("changes", "org", "date"),
    [
        ({}, "嘉兴市住房和城乡建设局", "2021年1月15日"),
        ({"seal": "是"}, "嘉兴市住房和城乡建设局", "2021年1月15日"),
        ({"org": "某局"}, "某局", "2021年1月15日"),
        ({"org": "某局", "seal": "是"}, "某局", "2021年1月15日"),
    ],
    ids=["not-stamped", "stamped", "date-longer", "stamped-date-longer"],
)
def test_signature_and_date_stand_where_gbt_9704_puts_them(
    tmp_path: Path, changes: dict[str, str], org: str, date: str
) -> None:
    """§7.3.5.2: 署名右空二字, 成文日期首字比署名首字右移二字 (a longer date keeps two cells and
    the 署名 moves left); §7.3.5.1: 成文日期右空四字, 署名居中. The first character of each line,
    within 1 mm, counting digits half a character as 仿宋 sets them (LibreOffice's stand-in font
    sets them a little wider, so the end of the date is not measured)."""
    page = _signature_example(tmp_path, **changes)[-1]
    lines = body_lines(page)
    signature = next(line for line in lines if line.text == org)
    date_line = next(line for line in lines if line.text == date)
    assert date_line.y_min > signature.y_min
    places = signature_places(org, date, sealed=changes.get("seal") == "是")
    right_edge = page.width - RIGHT * PT_PER_MM
    for line, right, text in (
        (signature, places.signature_right, org),
        (date_line, places.date_right, date),
    ):
        expected = right_edge - (right + cells(text)) * BODY_CELL
        assert abs(line.x_min - expected) * MM_PER_PT <= 1.0, (text, line.x_min, expected)


def _names(name: str) -> list[str]:
    report = validate_input(EXAMPLES / f"{name}.yaml").report.model_dump()
    if name == "task-progress":
        return [
            department
            for task in report["tasks"]
            for row in [task, *task["continued"]]
            for department in row["departments"]
        ]
    return [
        ("★" if target["key"] else "") + target["name"]
        for dimension in report["dimensions"]
        for target in dimension["targets"]
    ] + [dimension["name"] for dimension in report["dimensions"]]


def test_no_table_cell_breaks_inside_a_name_or_a_header(
    table_example: tuple[str, LaidOut],
) -> None:
    """Columns are as wide as the longest department or target name and header; a name longer
    than its column's maximum may break only before its bracket (``（国际商务区）``)."""
    name, laid_out = table_example
    printed = [line.text for page in laid_out.pages for line in page.lines]
    for header in (*TABLE_HEADERS[name], *("序号", "牵头部门", "考评维度", "目标（指标）名称")):
        if header in "".join(printed[:40]):
            assert any(header in line for line in printed), header
    cut = []
    for entry in set(_names(name)):
        pieces = re.split(r"(?=（)", entry) if len(entry) > 10 else [entry]
        if not all(any(piece in line for line in printed) for piece in pieces):
            cut.append(entry)
    assert not cut, f"{name}: names broken inside: {cut}"


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    x_max: float


def pdf_word_lines(pdf: Path) -> list[list[list[Word]]]:
    """Pages → lines → words (with their x extents), from ``pdftotext -bbox-layout``."""
    result = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(result.stdout)
    return [
        [
            [
                Word(word.text or "", float(word.get("xMin", 0)), float(word.get("xMax", 0)))
                for word in line.iterfind("x:word", namespace)
            ]
            for line in page.iterfind(".//x:line", namespace)
        ]
        for page in root.iterfind(".//x:page", namespace)
    ]


MAX_LETTER_SPACING = 0.3
"""Most extra space between two Chinese characters of a body line, in characters (4.8 pt)."""


def letter_spacing(words: list[Word]) -> float:
    """How far a line is letter-spaced, in pt: the median gap between neighbouring Chinese
    characters that pdftotext saw apart (it joins characters set at their normal advance into
    one word). Lines with fewer than three such gaps are not spaced out (a pair of marks)."""
    gaps = [
        after.x_min - before.x_max
        for before, after in itertools.pairwise(words)
        if before.text
        and after.text
        and is_full_width(before.text[-1])
        and is_full_width(after.text[0])
        and after.x_min - before.x_max < BODY_CELL
    ]
    return statistics.median(gaps) if len(gaps) >= 3 else 0.0


def test_no_body_line_is_letter_spaced(lay_out: Callable[[str], LaidOut]) -> None:
    """Where a number or a Latin word cannot move up, the line above is not spread out beyond
    ``MAX_LETTER_SPACING``, on every page of every running-text example."""
    for name in RUNNING_TEXT_EXAMPLES:
        for number, page in enumerate(pdf_word_lines(lay_out(name).pdf), start=1):
            for words in page:
                spacing = letter_spacing(words)
                text = "".join(word.text for word in words)
                assert spacing <= MAX_LETTER_SPACING * 16, f"{name} page {number}: {text}"


def test_a_title_line_typed_a_little_too_long_is_not_wrapped(tmp_path: Path) -> None:
    """A hand-broken title line of 21 characters is set closer and stays one line."""
    lines = ["某市住房和城乡建设局2023年度法治政府建设", "年度报告"]
    text = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8")
    title = "title: |\n  " + "\n  ".join(lines)
    source = tmp_path / "report.yaml"
    source.write_text(re.sub(r"^title:.*$", title, text, count=1, flags=re.MULTILINE), "utf-8")
    output = build_report(source, tmp_path / "report.docx").output
    page = pdf_pages(convert_to_pdf(output, tmp_path))[0]
    title_lines = [line for line in page.lines if line.y_max - line.y_min > TITLE_HEIGHT]
    assert [line.text for line in title_lines] == lines
    assert title_lines[0].x_max <= page.width - RIGHT * PT_PER_MM + 1
