"""The small document model between templates and Word, and the HTML subset that describes it.

Templates render a documented HTML subset; this module parses it into typed blocks. Every paragraph
and character style is named by the template (``<p class="落款">``), and the writer looks those names
up in the reference .docx, so a maintainer can add a style in Word and use it without Python.

The subset:

============================  =====================================================
``<h1>`` … ``<h4>``           heading paragraph, Word style ``Heading 1`` … ``Heading 4``
``<p>``                       body paragraph, Word style ``Normal``
``<p class="S">``             paragraph in the Word paragraph style named ``S``
``<span class="S">``          run in the Word character style named ``S`` (run-in headings)
``<br>``                      line break inside a paragraph
``html head body main div``   containers, ignored; ``<title>``/``<style>``: preview only, dropped
============================  =====================================================

Whitespace that contains a line break is template layout and is dropped; any other whitespace is
text and kept. Text is always escaped by Jinja, so input can never add markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from generator.errors import TemplateError

HEADING_STYLES = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}
BODY_STYLE = "Normal"
_CONTAINERS = frozenset({"html", "head", "body", "main", "div", "section", "article", "meta"})
_PREVIEW_ONLY = frozenset({"title", "style"})
_LAYOUT_WHITESPACE = re.compile(r"\s*[\r\n]\s*")


@dataclass(frozen=True)
class Run:
    """A stretch of text in one character style (``None``: the paragraph's own style)."""

    text: str
    style: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph in a named Word paragraph style."""

    style: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


Block = Paragraph
"""Document blocks. Tables will join this union when a table kind needs them."""


@dataclass(frozen=True)
class Document:
    """A rendered report, ready for the writer."""

    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        """All text, one paragraph a line: what the reader of the .docx will read."""
        return "\n".join(block.text for block in self.blocks)

    @property
    def styles(self) -> tuple[set[str], set[str]]:
        """Paragraph style names and character style names the document uses."""
        paragraph_styles = {block.style for block in self.blocks}
        run_styles = {run.style for block in self.blocks for run in block.runs if run.style}
        return paragraph_styles, run_styles


def parse_html(html: str, *, source: str) -> Document:
    """Parse rendered template output into a ``Document``; ``source`` names the template."""
    parser = _SubsetParser(source)
    parser.feed(html)
    parser.close()
    if parser.paragraph_style is not None:
        parser.fail("段落没有结束标记")
    return Document(tuple(parser.blocks))


def _layout_free(text: str) -> str:
    """Drop whitespace runs that contain a line break: they come from template indentation."""
    return _LAYOUT_WHITESPACE.sub("", text)


class _SubsetParser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.blocks: list[Block] = []
        self.paragraph_style: str | None = None
        self.paragraph_tag = ""
        self.runs: list[Run] = []
        self.run_style: str | None = None
        self.skipping = ""

    def fail(self, reason: str) -> None:
        line, _ = self.getpos()
        raise TemplateError(location=f"{self.source} 生成的 HTML 第 {line} 行", reason=reason)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css_class = dict(attrs).get("class")
        if self.skipping:
            return
        if tag in _CONTAINERS:
            return
        if tag in _PREVIEW_ONLY:
            self.skipping = tag
        elif tag in HEADING_STYLES or tag == "p":
            if self.paragraph_style is not None:
                self.fail(f"<{tag}> 不能写在另一个段落里面")
            self.paragraph_tag = tag
            self.paragraph_style = css_class or HEADING_STYLES.get(tag, BODY_STYLE)
            self.runs = []
        elif tag == "span":
            if self.paragraph_style is None or self.run_style is not None:
                self.fail("<span> 只能直接写在段落里面，且不能嵌套")
            if not css_class:
                self.fail("<span> 需要 class（Word 字符样式名）")
            self.run_style = css_class
        elif tag == "br":
            if self.paragraph_style is None:
                self.fail("<br> 只能写在段落里面")
            self.runs.append(Run("\n", self.run_style))
        else:
            self.fail(f"不支持的标记 <{tag}>；可用：h1–h4、p、span、br")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping:
                self.skipping = ""
            return
        if tag == "span" and self.run_style is not None:
            self.run_style = None
        elif tag == self.paragraph_tag and self.paragraph_style is not None:
            if self.run_style is not None:
                self.fail("<span> 没有结束就结束了段落")
            self.blocks.append(Paragraph(self.paragraph_style, tuple(self._merged_runs())))
            self.paragraph_style = None
            self.paragraph_tag = ""

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = _layout_free(data)
        if not text:
            return
        if self.paragraph_style is None:
            if text.strip():
                self.fail(f"文字“{text.strip()[:20]}”没有放在段落（<p> 或 <h1>–<h4>）里")
            return
        self.runs.append(Run(text, self.run_style))

    def _merged_runs(self) -> list[Run]:
        merged: list[Run] = []
        for run in self.runs:
            if merged and merged[-1].style == run.style:
                merged[-1] = Run(merged[-1].text + run.text, run.style)
            else:
                merged.append(run)
        return merged
