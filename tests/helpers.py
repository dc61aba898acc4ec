"""Test helpers: writing input trees, reading .docx text, and laying out a .docx with LibreOffice."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from generator import preview
from generator.reader import find_soffice

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT / "seeds"

MM_PER_PT = 25.4 / 72


def build_file_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Write ``{relative path: content}`` below ``root`` (text as UTF-8)."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, those in table cells included, in reading order.

    A vertically merged cell holds its text once, in its first row; the cells continuing it are
    empty paragraphs, so merged text is not counted twice. Word joiners (U+2060, which keep a
    range such as ``1-6月`` on one line) are invisible, so they are left out, as a reader sees it.
    """
    document = docx.Document(str(path))
    found: list[tuple[str, str]] = []
    for element in document.element.body.iter(qn("w:p")):
        paragraph = DocxParagraph(element, document.part)
        text = paragraph.text.replace("\u2060", "")
        found.append((paragraph.style.name if paragraph.style else "", text))
    return found


def docx_text(path: Path) -> str:
    return "\n".join(text for _, text in docx_paragraphs(path))


def normalise(text: str) -> str:
    """NFKC (full-width punctuation and digits folded) with all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Overlap:
    recall: float
    precision: float
    missing: list[str]
    extra: list[str]


def overlap(reference: str, produced: str) -> Overlap:
    """Share of the reference's characters found in order in ``produced``, and vice versa."""
    matcher = difflib.SequenceMatcher(None, reference, produced, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    missing = [reference[i1:i2] for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]
    extra = [produced[j1:j2] for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return Overlap(
        matched / max(1, len(reference)),
        matched / max(1, len(produced)),
        sorted(filter(None, missing), key=len, reverse=True),
        sorted(filter(None, extra), key=len, reverse=True),
    )


# --- LibreOffice -------------------------------------------------------------------------------

# Word users have the Chinese office fonts; Debian has none. The stand-ins of the same class, which
# give the same line and character counts (HOUSE_STYLE.md, "Fonts on Linux"), are the ones the
# previews use: generator/fonts.conf, read here rather than copied.
FONT_ALIASES = {
    name: substitutes[0]
    for substitutes, names in preview.font_substitutes().items()
    for name in names
    if substitutes
}


def soffice() -> str | None:
    return find_soffice()


def require_libreoffice() -> str:
    """The soffice binary; skip without it locally, but fail in CI, where it must be installed."""
    binary = soffice()
    if binary and shutil.which("pdftotext"):
        return binary
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) and pdftotext are required in CI; see .ci/run")
    pytest.skip("LibreOffice or pdftotext is not installed")


def convert_to_pdf(document: Path, workdir: Path) -> Path:
    """Convert as ``huibao preview`` does: a fresh LibreOffice profile and huibao's font aliases."""
    require_libreoffice()
    (pdf,) = preview.convert_to_pdf([document], workdir)
    return pdf


@dataclass(frozen=True)
class Line:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: list[Line]


def pdf_pages(pdf: Path) -> list[Page]:
    """Text lines with their boxes (points, origin top-left), from ``pdftotext -bbox-layout``."""
    result = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(result.stdout)
    pages = []
    for page in root.iterfind(".//x:page", namespace):
        lines = [
            Line(
                "".join(word.text or "" for word in line.iterfind("x:word", namespace)),
                float(line.get("xMin", 0)),
                float(line.get("yMin", 0)),
                float(line.get("xMax", 0)),
                float(line.get("yMax", 0)),
            )
            for line in page.iterfind(".//x:line", namespace)
        ]
        pages.append(Page(float(page.get("width", 0)), float(page.get("height", 0)), lines))
    return pages


def full_width_count(text: str) -> float:
    """Width of ``text`` in CJK character cells: full-width characters 1, others 0.5."""
    return sum(1 if unicodedata.east_asian_width(char) in "WF" else 0.5 for char in text)
