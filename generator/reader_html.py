"""A report saved from a government website (.html): the article, without the site around it.

Government sites put the article in a container their publishing systems name (TRS's
``TRS_Editor``, ``Custom_UnionStyle``, ``id="zoom"``, ``class="article"``/``"content"`` …) and
surround it with a breadcrumb (当前位置：首页 > …), a line of publication data (来源、发布时间、
浏览次数), buttons (【字体：大 中 小】【打印本页】【关闭窗口】, 分享到) and links to other pages.

The reader finds the container by those names, else by where most running text is (text in
links does not count: menus and link lists are links); takes the article's title from the
heading before it; reads paragraphs (``<p>``, ``<div>``, ``<br>`` breaks), bold run-in
headings (``<strong>``) and tables (``rowspan``/``colspan``); drops what is recognisably site
chrome, and moves the publication data to the notes.
"""

from __future__ import annotations

import email
import email.policy
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from generator.errors import FileAccessError
from generator.reader_clean import Normaliser
from generator.reader_docx import MAX_PARAGRAPHS
from generator.reader_numbering import format_number
from generator.reader_text import decode_text
from generator.reading import (
    Alignment,
    Block,
    ReadCell,
    ReadDocument,
    ReadParagraph,
    ReadTable,
)

_DROPPED_TAGS = (
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "select",
    "button",
    "input",
    "textarea",
    "map",
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "pre",
        "center",
        "address",
        "figure",
        "figcaption",
        "form",
        "fieldset",
        "hr",
        "caption",
    }
)
_CONTAINER = re.compile(
    r"trs_editor|custom_unionstyle|zoom|article|content|detail|artibody|main_?text|news_?text"
    r"|text_?con|con_?text|wordsection",
    re.IGNORECASE,
)
_PREFERRED = re.compile(r"trs_editor|custom_unionstyle|zoom", re.IGNORECASE)
_SITE_PARTS = re.compile(
    r"crumb|position|location|dangqian|nav|menu|share|print|close|footer|header|sidebar|"
    r"related|fontsize|font_size|tools",
    re.IGNORECASE,
)
_TITLE_CLASS = re.compile(r"title|biaoti|bt", re.IGNORECASE)
_BREADCRUMB = re.compile(
    r"^(?:当前位置|您当前的位置|您现在的位置|您的位置|现在位置|所在位置|当前所在位置)\s*[:：]"
    r"|^首页\s*(?:>|＞|»|›|/|\\|-)"
    r"|^(?:>|＞|»|›)\s*\S"
)
_TOOL_WORDS = re.compile(
    r"打印本页|打印此页|打印文章|打印|关闭本页|关闭窗口|关闭|收藏本页|收藏|加入收藏|返回顶部|回到顶部|"
    r"返回|分享到|分享|字体|字号|默认|扫一扫|在手机上打开|手机扫码|保存本页|纠错|"
    r"浏览次数|浏览量|点击数|点击量|点击率|阅读次数|阅读量|访问量|次|[大中小]|"
    r"[【】\[\]()（）:：|｜/·•\s\d]"
)
_HEADER = re.compile(
    r"^(?:信息来源|文章来源|稿件来源|来源|发布时间|发布日期|发文日期|成文日期|作者|发布机构|"
    r"审核人|责任编辑|浏览次数|点击数)\s*[:：]"
)
_HEADER_ANYWHERE = re.compile(
    r"(?:信息来源|文章来源|稿件来源|来源|发布时间|发布日期|发文日期|发布机构)\s*[:：]"
)
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_GB_CHARSETS = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn"})
"""Names of the Chinese national encodings; GB18030 reads them all."""
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = frozenset(" \t\r\n\f")
_OL_FORMATS = {
    "1": "decimal",
    "a": "lowerLetter",
    "A": "upperLetter",
    "i": "lowerRoman",
    "I": "upperRoman",
}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(left|center|right|justify)", re.IGNORECASE)
_HTML_ALIGNMENTS: dict[str, Alignment] = {
    "left": "left",
    "center": "center",
    "right": "right",
    "justify": "both",
}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def looks_like_html(raw: bytes) -> bool:
    """Whether a file is a web page, whatever its extension (office systems export .doc so)."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<!--")) and b"<html" in head


def _cjk(text: str) -> int:
    return sum(1 for char in text if unicodedata.east_asian_width(char) in "WF")


def _names(element: Any) -> str:
    return f"{element.get('id') or ''} {element.get('class') or ''}"


@dataclass
class _Notes:
    chrome: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


class _HtmlReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.normaliser = Normaliser()
        self.notes = _Notes()
        self._paragraphs = 0

    def read(self, text: str) -> tuple[list[Block], list[str]]:
        root = self._parse(text)
        page_title = " ".join((root.findtext(".//title") or "").split())
        for element in list(root.iter(*_DROPPED_TAGS)):
            self._drop(element)
        for element in list(root.iter()):
            if isinstance(element.tag, str) and (
                element.get("hidden") is not None
                or _HIDDEN_STYLE.search(element.get("style") or "")
            ):
                self._drop(element)
        weights = self._weights(root)
        body = root.find("body")
        if body is None:
            body = root
        container = self._container(body, weights)
        blocks = self._clean(self._blocks(container))
        title = "" if self._titled(container) else self._title(body, container, page_title)
        if title and not (
            blocks and isinstance(blocks[0], ReadParagraph) and blocks[0].text == title
        ):
            blocks.insert(0, ReadParagraph(text=title, style="Title"))
        notes: list[str] = []
        if not title and page_title:
            notes.append(f"网页标题：{page_title}")
        notes += [f"网页上的发布信息（未读入正文）：{line}" for line in self.notes.header]
        notes.append("只读入了网页的正文，网站的导航、按钮、相关链接等没有读入")
        if self.notes.chrome:
            examples = "、".join(f"“{line}”" for line in self.notes.chrome[:3])
            notes.append(
                f"已删去网页上的导航、按钮等文字（{len(self.notes.chrome)} 处，如 {examples}）"
            )
        return blocks, notes + self.normaliser.notes()

    def _parse(self, text: str) -> Any:
        parser = lxml.html.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
        )
        try:
            return lxml.html.document_fromstring(_XML_DECLARATION.sub("", text), parser=parser)
        except (etree.ParserError, ValueError):
            raise FileAccessError(
                path=self.path,
                reason="网页中没有可读的内容",
                hint="请在浏览器中打开原网页，“另存为”“网页，全部”或“网页，仅 HTML”后再导入。",
            ) from None

    @staticmethod
    def _drop(element: Any) -> None:
        """Remove an element but keep the text that follows it."""
        parent = element.getparent()
        if parent is None:
            return
        tail = element.tail
        previous = element.getprevious()
        parent.remove(element)
        if tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail

    # --- where the article is ---------------------------------------------------------------

    def _weights(self, root: Any) -> dict[Any, int]:
        """Chinese characters of running text in each element (text in links not counted)."""
        weights: dict[Any, int] = {}

        def weigh(element: Any) -> int:
            total = _cjk(element.text or "") if element.tag != "a" else 0
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                inner = weigh(child)
                if child.tag != "a":
                    total += inner
                total += _cjk(child.tail or "")
            weights[element] = total
            return total

        weigh(root)
        return weights

    def _container(self, body: Any, weights: dict[Any, int]) -> Any:
        """The element holding the article: a known container, else the densest one."""
        total = max(weights.get(body, 0), 1)
        named = [
            element
            for element in body.iter()
            if isinstance(element.tag, str)
            and _CONTAINER.search(_names(element))
            and not _SITE_PARTS.search(element.get("class") or "")
            and weights.get(element, 0) >= min(50, total // 2)
        ]
        preferred = [element for element in named if _PREFERRED.search(_names(element))]
        pool = preferred or named
        if pool:
            best = max(pool, key=lambda element: weights.get(element, 0))
            while True:
                inner = [
                    element
                    for element in pool
                    if element is not best
                    and best in element.iterancestors()
                    and weights.get(element, 0) >= 0.9 * weights.get(best, 0)
                ]
                if not inner:
                    return best
                best = max(inner, key=lambda element: weights.get(element, 0))
        scores: dict[Any, float] = {}
        for element in body.iter("p", "div", "td", "li", "section", "article"):
            if any(
                isinstance(inner.tag, str) and inner.tag in _BLOCK_TAGS
                for inner in element.iterdescendants()
            ):
                continue
            weight = weights.get(element, 0)
            parent = element.getparent()
            if parent is None or not weight:
                continue
            scores[parent] = scores.get(parent, 0) + weight
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] = scores.get(grandparent, 0) + weight / 2
        if not scores:
            return body
        best = max(scores, key=lambda element: scores[element])
        return best if weights.get(best, 0) >= 0.3 * total else body

    @staticmethod
    def _titled(container: Any) -> bool:
        """Whether the container holds the article's title itself (a heading inside it)."""
        return any(_cjk("".join(element.itertext())) >= 4 for element in container.iter("h1", "h2"))

    def _title(self, body: Any, container: Any, page_title: str) -> str:
        """The article's title: the heading before the container, best one the page names.

        The publication lines between that heading and the container (来源、发布时间 …) go to
        the notes.
        """
        candidates: list[tuple[int, str, Any]] = []
        for element in body.iter():
            if element is container:
                break
            if not isinstance(element.tag, str) or element in container.iterancestors():
                continue
            if not (element.tag in ("h1", "h2", "h3") or _TITLE_CLASS.search(_names(element))):
                continue
            text = " ".join("".join(element.itertext()).split())
            size = _cjk(text)
            if not 4 <= size <= 100 or self._chrome(text) or _HEADER.match(text):
                continue
            named = bool(page_title) and (
                page_title in text or (text in page_title and size >= 0.5 * _cjk(page_title))
            )
            score = 4 * named + 2 * (element.tag == "h1") + (size >= 8)
            candidates.append((score, text, element))
        if not candidates:
            return ""
        best = max(score for score, _, _ in candidates)
        if best == 0:
            return ""
        _, title, heading = [item for item in candidates if item[0] == best][-1]
        self._publication_lines(body, heading, container)
        return str(title)

    def _publication_lines(self, body: Any, heading: Any, container: Any) -> None:
        """来源、发布时间 … lines between the title and the article, for the notes."""
        started = False
        noted: list[Any] = []
        for element in body.iter():
            if element is container:
                break
            if element is heading:
                started = True
                continue
            if (
                not started
                or not isinstance(element.tag, str)
                or heading in element.iterancestors()
                or element in container.iterancestors()
                or any(element in item.iterdescendants() for item in noted)
            ):
                continue
            text = " ".join("".join(element.itertext()).split())
            if len(text) <= 150 and _HEADER_ANYWHERE.search(text):
                noted.append(element)
                self.notes.header.append(text)

    # --- blocks -------------------------------------------------------------------------------

    def _blocks(self, element: Any) -> list[Block]:
        builder = _Builder(self)
        builder.walk(element, bold=False)
        builder.flush()
        return builder.blocks

    def paragraph(
        self, chars: list[tuple[str, bool]], *, style: str, alignment: Alignment, number: str
    ) -> ReadParagraph | None:
        self._paragraphs += 1
        if self._paragraphs > MAX_PARAGRAPHS:
            raise FileAccessError(
                path=self.path,
                reason=f"网页的段落太多（超过 {MAX_PARAGRAPHS} 段），拒绝读取",
                hint="请确认选对了文件。",
            )
        return self.normaliser.paragraph(
            _collapse(chars),
            style=style,
            alignment=alignment,
            number=number,
            suffix=" " if number else "",
        )

    def _clean(self, blocks: list[Block]) -> list[Block]:
        """Blocks without site chrome; publication lines near the top go to the notes."""
        kept: list[Block] = []
        for block in blocks:
            if isinstance(block, ReadParagraph):
                if self._chrome(block.text):
                    self.notes.chrome.append(block.text)
                    continue
                if len(kept) < 3 and len(block.text) <= 150 and _HEADER.match(block.text):
                    self.notes.header.append(block.text)
                    continue
            kept.append(block)
        return kept

    @staticmethod
    def _chrome(text: str) -> bool:
        """Breadcrumbs, buttons and counters: short lines with nothing left once those go."""
        if len(text) > 80:
            return False
        if _BREADCRUMB.match(text):
            return True
        return not _TOOL_WORDS.sub("", text) and bool(text.strip())


class _Builder:
    """Turns HTML into paragraphs and tables: blocks and ``<br>`` end a paragraph."""

    def __init__(self, reader: _HtmlReader) -> None:
        self.reader = reader
        self.blocks: list[Block] = []
        self.chars: list[tuple[str, bool]] = []
        self.context: list[tuple[str, Alignment]] = [("", "")]
        """The style and alignment of the blocks the walk is in, innermost last."""
        self.number = ""
        """The number a browser shows before the paragraph being read (an ``<ol>`` item)."""

    def flush(self) -> None:
        if self.chars:
            style, alignment = self.context[-1]
            paragraph = self.reader.paragraph(
                self.chars, style=style, alignment=alignment, number=self.number
            )
            if paragraph is not None:
                self.blocks.append(paragraph)
                self.number = ""
            self.chars = []

    def text(self, text: str | None, bold: bool) -> None:
        if text:
            self.chars.extend((char, bold) for char in text)

    def walk(self, element: Any, *, bold: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            self.table(element)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
            if tag == "li":
                self.number = _list_number(element)
            style = f"Heading {tag[1]}" if tag in _HEADINGS else ""
            self.context.append((style, _alignment(element) or self.context[-1][1]))
        bold = (
            bold
            or tag in ("b", "strong", *_HEADINGS)
            or bool(_BOLD_STYLE.search(element.get("style") or "") if tag else False)
        )
        if tag:
            self.text(element.text, bold)
            for child in element:
                self.walk(child, bold=bold)
                self.text(child.tail, bold)
        if block:
            self.flush()
            self.context.pop()

    def table(self, table: Any) -> None:
        rows = list(_rows(table))
        cells = [cell for row in rows for cell in row]
        if len(cells) == 1:  # a table used for layout: read what it holds
            self.walk(cells[0], bold=False)
            self.flush()
            return
        read_rows: list[tuple[ReadCell, ...]] = []
        for row in rows:
            read_cells = []
            for cell in row:
                inner = _Builder(self.reader)
                inner.walk(cell, bold=cell.tag == "th")
                inner.flush()
                texts: list[str] = []
                for block in inner.blocks:
                    if isinstance(block, ReadParagraph):
                        texts.append(block.text)
                    else:
                        texts.extend(
                            text
                            for cells_ in block.rows
                            for item in cells_
                            for text in item.paragraphs
                        )
                read_cells.append(
                    ReadCell(
                        tuple(texts),
                        rowspan=_span(cell.get("rowspan")),
                        colspan=_span(cell.get("colspan")),
                    )
                )
            read_rows.append(tuple(read_cells))
        if any(read_rows):
            self.blocks.append(ReadTable(rows=tuple(read_rows)))


def _rows(table: Any) -> Iterator[list[Any]]:
    """The rows of a table (not of tables nested in it), each as its cells."""
    for child in table:
        if child.tag in ("thead", "tbody", "tfoot"):
            yield from _rows(child)
        elif child.tag == "tr":
            yield [cell for cell in child if cell.tag in ("td", "th")]


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 1000)
    except ValueError:
        return 1


def _collapse(chars: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """HTML white space as a browser shows it: a run is one space, none at either end of the
    paragraph, and none at a line break between two Chinese characters (the source was wrapped
    there, nobody typed a space)."""
    result: list[tuple[str, bool]] = []
    index = 0
    while index < len(chars):
        char, bold = chars[index]
        if char not in _SPACES:
            result.append((char, bold))
            index += 1
            continue
        end = index
        while end < len(chars) and chars[end][0] in _SPACES:
            end += 1
        wrapped = any(chars[position][0] == "\n" for position in range(index, end))
        before = result[-1][0] if result else ""
        after = chars[end][0] if end < len(chars) else ""
        if before and after and not (wrapped and _wide(before) and _wide(after)):
            result.append((" ", bold))
        index = end
    return result


def _list_number(item: Any) -> str:
    """The number a browser shows before an ``<ol>`` item: ``1.``, ``a.``, ``iv.``."""
    parent = item.getparent()
    if parent is None or parent.tag != "ol":
        return ""
    value = _span(parent.get("start")) - 1
    for sibling in parent:
        if sibling.tag == "li":
            value = _integer(sibling.get("value"), value + 1)
        if sibling is item:
            break
    number_format = _OL_FORMATS.get(item.get("type") or parent.get("type") or "1", "decimal")
    return format_number(value, number_format) + "."


def _integer(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _alignment(element: Any) -> Alignment:
    """A block's alignment: its ``align`` attribute or ``text-align`` style."""
    match = _TEXT_ALIGN.search(element.get("style") or "")
    value = match.group(1) if match else element.get("align") or ""
    if element.tag == "center":
        value = "center"
    return _HTML_ALIGNMENTS.get(value.lower(), "")


def _wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in "WF"


def _decode(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """The page's text: its BOM, else its ``<meta charset>``, else UTF-8, else GB18030."""
    if not raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        match = _CHARSET.search(raw[:8192])
        if match:
            declared = match.group(1).decode("ascii", "replace").lower()
            if declared in _GB_CHARSETS:
                declared = "gb18030"
            try:
                return raw.decode(declared), []
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_text(path, raw)


def read_html(path: Path, raw: bytes) -> ReadDocument:
    """Read the article of a web page saved from a government website."""
    text, notes = _decode(path, raw)
    blocks, read_notes = _HtmlReader(path).read(text)
    return ReadDocument(blocks=tuple(blocks), notes=(*notes, *read_notes), source_format="html")


def read_mht(path: Path, raw: bytes) -> ReadDocument:
    """Read a single-file web page (MHT, what Word's "单个文件网页" and some systems save as .doc).

    The page is the first ``text/html`` part of the MIME message, in the part's own charset.
    """
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = (part.get_content_charset() or "").lower()
        if charset in _GB_CHARSETS:
            charset = "gb18030"
        notes: list[str] = []
        try:
            text = payload.decode(charset or "utf-8")
        except (LookupError, UnicodeDecodeError):
            text, notes = _decode(path, payload)
        blocks, read_notes = _HtmlReader(path).read(text)
        return ReadDocument(blocks=tuple(blocks), notes=(*notes, *read_notes), source_format="html")
    raise FileAccessError(
        path=path,
        reason="单个文件网页（MHT）中没有网页内容",
        hint="请用 Word 打开它，另存为 .docx 后再导入。",
    )
