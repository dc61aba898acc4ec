"""Reading a .docx as its reader sees it: paragraphs and tables in reading order.

Word files are messy underneath. Text is split into runs anywhere (mid-word, where a spelling
mark or a bookmark sat); fields hold both an instruction and the result Word shows; tracked
changes keep deleted text next to inserted text; a text box saved by Word 2010+ is there twice
(``mc:AlternateContent``: a DrawingML choice and a VML fallback); numbers of numbered paragraphs
are not in the text at all. This module walks ``word/document.xml`` with lxml and keeps what is
displayed:

- runs joined, ``w:tab`` → tab, ``w:br``/``w:cr`` → ``\\n``, ``w:noBreakHyphen`` → ``-``,
  ``w:sym`` → its character; hidden text (``w:vanish``) left out;
- fields: the result between ``separate`` and ``end`` (and ``w:fldSimple``'s runs), never the
  instruction;
- tracked changes read as accepted: ``w:ins``/``w:moveTo`` in, ``w:del``/``w:moveFrom`` out, a
  deleted paragraph mark joins its paragraph to the next, deleted rows and cells dropped;
- text boxes read once (the first ``mc:Choice``, never also the ``mc:Fallback``), their
  paragraphs placed right after the paragraph that anchors them;
- tables as ``ReadTable`` with ``w:gridSpan``/``w:hMerge`` as colspan and ``w:vMerge`` as rowspan;
- automatic numbering rendered by ``reader_numbering``;
- bookmarks, proofing marks, comments, footnote references, drawings ignored.

The package is untrusted: its size, entry count and compression ratios are checked before any
part is unzipped, and XML is parsed with no DTD, no entities and no network.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from generator.errors import FileAccessError
from generator.reader_clean import Normaliser
from generator.reader_numbering import Counter, NumberingDefinitions, parse_numbering
from generator.reading import Alignment, Block, ReadCell, ReadDocument, ReadParagraph, ReadTable

MAX_ENTRIES = 5000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
"""An XML part huibao reads (the body, styles, numbering); a 1000-page report has about 30 MB."""
MAX_COMPRESSION_RATIO = 200
"""Text XML compresses 5 to 30 times; a zip bomb a thousand times and more."""
MAX_PARAGRAPHS = 50_000
"""About 3000 pages; a yearly report has a few hundred paragraphs."""
MAX_DEPTH = 200

W_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    }
)
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/math",
        "http://purl.oclc.org/ooxml/officeDocument/math",
    }
)
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"

_DOCTYPE_MARKS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    dtd_validation=False,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)

# Characters of the Symbol and Wingdings fonts, which w:sym names by their code in the font.
_GREEK = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "αβχδεφγηιϕκλμνοπθρστυϖωξψζΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ",
        strict=True,
    )
)
_SYMBOL_FONT = {
    **{ord(letter): greek for letter, greek in _GREEK.items()},
    0x22: "∀",
    0x24: "∃",
    0x2D: "−",
    0xA3: "≤",
    0xA5: "∞",
    0xAB: "↔",
    0xAC: "←",
    0xAD: "↑",
    0xAE: "→",
    0xAF: "↓",
    0xB0: "°",
    0xB1: "±",
    0xB3: "≥",
    0xB4: "×",
    0xB5: "∝",
    0xB7: "•",
    0xB8: "÷",
    0xB9: "≠",
    0xBA: "≡",
    0xBB: "≈",
    0xBC: "…",
    0xD6: "√",
    0xD7: "⋅",
}
_WINGDINGS = {
    0x6C: "●",
    0x6E: "■",
    0x6F: "□",
    0x75: "◆",
    0xA7: "▪",
    0xD8: "➢",
    0xFB: "✗",
    0xFC: "✓",
    0xFD: "☒",
    0xFE: "☑",
}
_ALIGNMENTS: dict[str, Alignment] = {
    "left": "left",
    "start": "left",
    "center": "center",
    "right": "right",
    "end": "right",
    "both": "both",
    "distribute": "both",
    "mediumKashida": "both",
    "highKashida": "both",
    "lowKashida": "both",
    "thaiDistribute": "both",
}
# Word stores the built-in styles under lower-case names; Word and python-docx show these.
_BUILT_IN_NAMES = {
    "normal": "Normal",
    "title": "Title",
    "subtitle": "Subtitle",
    "caption": "Caption",
    "header": "Header",
    "footer": "Footer",
    "body text": "Body Text",
    "list paragraph": "List Paragraph",
    **{f"heading {level}": f"Heading {level}" for level in range(1, 10)},
    **{f"toc {level}": f"TOC {level}" for level in range(1, 10)},
}


def _damaged(path: Path, detail: str) -> FileAccessError:
    return FileAccessError(
        path=path,
        reason=f"Word 文档已损坏，无法读取（{detail}）",
        hint="请用 Word 或 WPS 打开它，“另存为”Word 文档（.docx）后再导入。",
    )


def _local(element: Any) -> str:
    """``{w-namespace}p`` → ``p``; the empty string for elements of other namespaces."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    namespace, _, name = tag[1:].rpartition("}")
    return name if namespace in W_NAMESPACES else ""


def _is_mc(element: Any, name: str) -> bool:
    return isinstance(element.tag, str) and element.tag == f"{{{MC}}}{name}"


def _attribute(element: Any, name: str) -> str | None:
    """A ``w:`` attribute, in the namespace of the element (transitional or strict)."""
    namespace = str(element.tag)[1:].partition("}")[0]
    value = element.get(f"{{{namespace}}}{name}")
    return None if value is None else str(value)


def _child(element: Any, name: str) -> Any:
    if element is None:
        return None
    for child in element:
        if _local(child) == name:
            return child
    return None


def _on(element: Any) -> bool | None:
    """An on/off property (``<w:b/>``, ``<w:b w:val="0"/>``); ``None`` when absent."""
    if element is None:
        return None
    return _attribute(element, "val") not in ("0", "false", "off")


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _alternative(element: Any) -> Any:
    """The one branch of an ``mc:AlternateContent`` to read: its first choice, else the fallback."""
    fallback = None
    for child in element:
        if _is_mc(child, "Choice"):
            return child
        if _is_mc(child, "Fallback"):
            fallback = child
    return fallback


# --- the package ----------------------------------------------------------------------------


class _Package:
    """The .docx zip, checked against bombs before anything is unzipped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise _damaged(path, "文件不完整，不能解压") from None
        members = self._archive.infolist()
        if len(members) > MAX_ENTRIES:
            self._archive.close()
            raise FileAccessError(
                path=path,
                reason=f"文档包含的部件太多（{len(members)} 个，上限 {MAX_ENTRIES} 个），拒绝读取",
                hint="这不像 Word 保存的文档；请用 Word 或 WPS 打开后另存为 .docx 再导入。",
            )
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_UNPACKED_BYTES:
            self._archive.close()
            raise FileAccessError(
                path=path,
                reason=f"文档解压后过大（{unpacked // 1024 // 1024} MB，上限 "
                f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB），拒绝读取",
                hint="正常的报告解压后只有几 MB；请确认选对了文件，文档中的大图片可以先删去或压缩。",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
                self._archive.close()
                raise FileAccessError(
                    path=path,
                    reason=f"文档的 {member.filename} 部分压缩比异常（解压后 "
                    f"{member.file_size // 1024 // 1024} MB，是压缩后的 {ratio:.0f} 倍），拒绝读取",
                    hint=f"Word 保存的文档压缩比不超过 {MAX_COMPRESSION_RATIO} 倍，这像是故意制作的"
                    "“压缩炸弹”；请确认文件的来源。",
                )
        self._names = {member.filename.lower(): member for member in members}

    def close(self) -> None:
        self._archive.close()

    def has(self, name: str) -> bool:
        return name.lstrip("/").lower() in self._names

    def names(self) -> list[str]:
        return list(self._names)

    def xml(self, name: str) -> Any:
        """The root element of a part, or ``None`` if the package has no such part."""
        member = self._names.get(name.lstrip("/").lower())
        if member is None:
            return None
        if member.file_size > MAX_PART_BYTES:
            raise FileAccessError(
                path=self.path,
                reason=f"文档的 {name} 部分解压后有 {member.file_size // 1024 // 1024} MB，"
                f"超过上限 {MAX_PART_BYTES // 1024 // 1024} MB，拒绝读取",
                hint="请确认选对了文件；特别长的文档请分成几份再导入。",
            )
        try:
            with self._archive.open(member) as stream:
                data = stream.read(MAX_PART_BYTES + 1)
        except RuntimeError:  # zipfile: "File is encrypted"
            raise FileAccessError(
                path=self.path,
                reason="文档的内容经过加密，无法读取",
                hint="请在 Word 或 WPS 中取消文档的密码，另存为 .docx 后再导入。",
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise _damaged(self.path, f"{name} 解压失败") from None
        prologue = data[:65536]
        if any(mark in prologue for mark in _DOCTYPE_MARKS):
            raise self._dtd(name)
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as error:
            if "depth" in str(error).lower():
                raise _damaged(self.path, f"{name} 部分的内容嵌套过深") from None
            raise _damaged(self.path, f"{name} 部分不完整") from None
        docinfo = root.getroottree().docinfo
        if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
            raise self._dtd(name)
        return root

    def _dtd(self, name: str) -> FileAccessError:
        """A DTD is how entity bombs and external entities get in; Word never writes one."""
        return FileAccessError(
            path=self.path,
            reason=f"文档的 {name} 部分含有 Word 不会写入的文档类型声明（DTD），为安全起见拒绝读取",
            hint="请用 Word 或 WPS 打开它，另存为 .docx 后再导入。",
        )

    def relations(self, part: str) -> dict[str, str]:
        """``{relationship type's last word: target part}`` of a part (``styles`` → …)."""
        folder, name = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        found: dict[str, str] = {}
        if root is None:
            return found
        for relation in root.iter(f"{{{_RELATIONSHIPS}}}Relationship"):
            if relation.get("TargetMode") == "External":
                continue
            kind = str(relation.get("Type", "")).rpartition("/")[2]
            target = str(relation.get("Target", ""))
            if not target or kind in found:
                continue
            if target.startswith("/"):
                found[kind] = target.lstrip("/")
            else:
                found[kind] = posixpath.normpath(posixpath.join(folder, target))
        return found


# --- styles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    name: str
    kind: str
    based_on: str
    alignment: str | None
    outline_level: int | None
    num_id: str | None
    level: int | None
    bold: bool | None
    hidden: bool | None


@dataclass
class _Styles:
    by_id: dict[str, _Style] = field(default_factory=dict)
    default_paragraph: str = ""
    default_bold: bool = False

    def chain(self, style_id: str) -> list[_Style]:
        """The style and the styles it is based on, nearest first."""
        found: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and len(found) < 20:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                break
            found.append(style)
            style_id = style.based_on
        return found

    def name(self, style_id: str) -> str:
        style = self.by_id.get(style_id)
        if style is None:
            return ""
        return _BUILT_IN_NAMES.get(style.name.lower(), style.name)


def _parse_styles(root: Any) -> _Styles:
    styles = _Styles()
    if root is None:
        return styles
    defaults = _child(_child(_child(root, "docDefaults"), "rPrDefault"), "rPr")
    styles.default_bold = bool(_on(_child(defaults, "b")))
    for element in root:
        if _local(element) != "style":
            continue
        style_id = _attribute(element, "styleId") or ""
        kind = _attribute(element, "type") or "paragraph"
        paragraph = _child(element, "pPr")
        run = _child(element, "rPr")
        numbering = _child(paragraph, "numPr")
        jc = _child(paragraph, "jc")
        outline = _child(paragraph, "outlineLvl")
        num_id = _child(numbering, "numId")
        level = _child(numbering, "ilvl")
        name_element = _child(element, "name")
        based_on = _child(element, "basedOn")
        styles.by_id[style_id] = _Style(
            name=(_attribute(name_element, "val") if name_element is not None else None)
            or style_id,
            kind=kind,
            based_on=(_attribute(based_on, "val") if based_on is not None else None) or "",
            alignment=_attribute(jc, "val") if jc is not None else None,
            outline_level=_int(_attribute(outline, "val")) if outline is not None else None,
            num_id=_attribute(num_id, "val") if num_id is not None else None,
            level=_int(_attribute(level, "val")) if level is not None else None,
            bold=_on(_child(run, "b")),
            hidden=_on(_child(run, "vanish")),
        )
        if kind == "paragraph" and _attribute(element, "default") in ("1", "true", "on"):
            styles.default_paragraph = style_id
    return styles


# --- the body -------------------------------------------------------------------------------


@dataclass
class _Story:
    """One flow of text (the body, a text box): fields open in it, as a stack of their parts."""

    fields: list[Literal["instruction", "result"]] = field(default_factory=list)

    @property
    def showing(self) -> bool:
        return all(part == "result" for part in self.fields)


@dataclass
class _Line:
    """What one paragraph shows, piece by piece, and the text boxes anchored in it."""

    style_id: str
    story: _Story
    segments: list[tuple[str, bool]] = field(default_factory=list)
    anchored: list[Block] = field(default_factory=list)


@dataclass
class _CellBuilder:
    paragraphs: list[str]
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _Counts:
    insertions: int = 0
    deletions: int = 0
    text_boxes: int = 0
    hidden: int = 0
    embedded: int = 0


class DocxReader:
    """Reads one .docx package into a ``ReadDocument``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.normaliser = Normaliser()
        self.counts = _Counts()
        self._paragraphs = 0
        self._format_cache: dict[tuple[str, str], tuple[bool, bool]] = {}
        self.unbalanced_fields = False
        """A field opened and never closed (or the reverse): a damaged or badly generated file.
        Fields are then closed at each paragraph's end, so that one broken field cannot hide
        the rest of the document."""

    def read(self, *, source_format: Literal["docx", "doc", "wps"] = "docx") -> ReadDocument:
        package = _Package(self.path)
        try:
            main = package.relations("").get("officeDocument", "word/document.xml")
            if not package.has(main):
                raise self._not_word(package, main)
            relations = package.relations(main)
            self.styles = _parse_styles(package.xml(relations.get("styles", "word/styles.xml")))
            numbering_root = package.xml(relations.get("numbering", "word/numbering.xml"))
            definitions = (
                parse_numbering(numbering_root, _attribute)
                if numbering_root is not None
                else NumberingDefinitions()
            )
            definitions.style_lists = {
                style_id: style.num_id
                for style_id, style in self.styles.by_id.items()
                if style.kind == "numbering" and style.num_id
            }
            self.definitions = definitions
            self.counter = Counter(definitions)
            root = package.xml(main)
            body = _child(root, "body")
            if body is None:
                raise _damaged(self.path, "找不到正文")
            namespace = body.tag[1:].partition("}")[0]
            paragraphs = sum(1 for _ in body.iter(f"{{{namespace}}}p"))
            if paragraphs > MAX_PARAGRAPHS:
                raise self._too_many(paragraphs)
            kinds = [
                _attribute(mark, "fldCharType") for mark in body.iter(f"{{{namespace}}}fldChar")
            ]
            self.unbalanced_fields = kinds.count("begin") != kinds.count("end")
            blocks = self._blocks(body, _Story(), 0)
            notes = self._notes(package, relations)
        finally:
            package.close()
        return ReadDocument(blocks=tuple(blocks), notes=tuple(notes), source_format=source_format)

    def _not_word(self, package: _Package, main: str) -> FileAccessError:
        names = package.names()
        if any(name.startswith("xl/") for name in names):
            return FileAccessError(
                path=self.path,
                reason="这是 Excel 工作簿，不是 Word 文档",
                hint="huibao import 读取去年的报告（Word 文档）；huibao 的表单工作簿请直接用 "
                "huibao build 生成报告。",
            )
        if any(name.startswith("ppt/") for name in names):
            return FileAccessError(
                path=self.path,
                reason="这是 PowerPoint 演示文稿，不是 Word 文档",
                hint="请选择去年报告的 Word 文档（.docx）。",
            )
        return _damaged(self.path, f"缺少正文部分 {main}")

    def _too_many(self, count: int) -> FileAccessError:
        return FileAccessError(
            path=self.path,
            reason=f"文档的段落太多（{count} 段，上限 {MAX_PARAGRAPHS} 段），拒绝读取",
            hint="请确认选对了文件；特别长的文档请分成几份再导入。",
        )

    def _notes(self, package: _Package, relations: dict[str, str]) -> list[str]:
        notes: list[str] = []
        counts = self.counts
        if counts.insertions or counts.deletions:
            notes.append(
                f"文档中有未处理的修订（插入 {counts.insertions} 处、删除 {counts.deletions} 处），"
                "已按“接受全部修订”读取"
            )
        if counts.text_boxes:
            notes.append(
                f"文本框中的文字已读入（{counts.text_boxes} 个文本框），放在它所在段落的后面"
            )
        if self.unbalanced_fields:
            notes.append("文档中有不完整的域（页码、目录等自动生成的内容），已按各段显示的文字读取")
        if counts.hidden:
            notes.append(f"文档中设为隐藏的文字没有读入（{counts.hidden} 处）")
        if counts.embedded:
            notes.append(f"文档中嵌入的其他文档没有读入（{counts.embedded} 处）")
        comments = package.xml(relations["comments"]) if "comments" in relations else None
        if comments is not None and any(_local(child) == "comment" for child in comments):
            notes.append("文档中的批注没有读入")
        for kind, label in (("footnotes", "脚注"), ("endnotes", "尾注")):
            part = package.xml(relations[kind]) if kind in relations else None
            if part is not None and any(
                _local(child) in ("footnote", "endnote")
                and (_attribute(child, "type") or "normal") == "normal"
                for child in part
            ):
                notes.append(f"文档中的{label}没有读入")
        return notes + self.normaliser.notes()

    # --- blocks ---------------------------------------------------------------------------

    def _deeper(self, depth: int) -> int:
        if depth >= MAX_DEPTH:
            raise _damaged(self.path, "内容嵌套过深")
        return depth + 1

    def _blocks(self, container: Any, story: _Story, depth: int) -> list[Block]:
        """Paragraphs and tables of a body, cell, text box or content control, in order."""
        depth = self._deeper(depth)
        blocks: list[Block] = []
        carried: list[tuple[str, bool]] = []
        for child in self._block_children(container):
            name = _local(child)
            if name == "p":
                carried = self._paragraph(child, story, depth, carried, blocks)
                continue
            if carried:
                self._flush(carried, blocks)
                carried = []
            if name == "tbl":
                table = self._table(child, story, depth)
                if table.rows:
                    blocks.append(table)
            elif name == "altChunk":
                self.counts.embedded += 1
        if carried:
            self._flush(carried, blocks)
        return blocks

    def _block_children(self, container: Any) -> Iterator[Any]:
        """Children of a block container, content controls and AlternateContent unwrapped."""
        for child in container:
            name = _local(child)
            if name == "sdt":
                content = _child(child, "sdtContent")
                if content is not None:
                    yield from self._block_children(content)
            elif name == "customXml":
                yield from self._block_children(child)
            elif _is_mc(child, "AlternateContent"):
                branch = _alternative(child)
                if branch is not None:
                    yield from self._block_children(branch)
            elif name:
                yield child

    def _flush(self, segments: list[tuple[str, bool]], blocks: list[Block]) -> None:
        paragraph = self.normaliser.paragraph(segments)
        if paragraph is not None:
            blocks.append(paragraph)

    def _paragraph(
        self,
        element: Any,
        story: _Story,
        depth: int,
        carried: list[tuple[str, bool]],
        blocks: list[Block],
    ) -> list[tuple[str, bool]]:
        """Read one ``w:p`` into ``blocks``; returns its text when its mark was deleted.

        Accepting the deletion of a paragraph mark joins the paragraph to the next one, which
        keeps its own properties (a paragraph's properties live in its mark).
        """
        self._paragraphs += 1
        if self._paragraphs > MAX_PARAGRAPHS:
            raise self._too_many(self._paragraphs)
        properties = _child(element, "pPr")
        style_id = self._style_id(properties)
        line = _Line(style_id, story, list(carried))
        self._inline(element, line, depth)
        if self.unbalanced_fields:
            story.fields.clear()
        mark = _child(properties, "rPr")
        if mark is not None and (
            _child(mark, "del") is not None or _child(mark, "moveFrom") is not None
        ):
            self.counts.deletions += 1
            blocks.extend(line.anchored)
            return line.segments
        numbered = self._numbered(properties, style_id)
        paragraph = self.normaliser.paragraph(
            line.segments,
            number=numbered[0],
            suffix=numbered[1],
            style=self.styles.name(style_id),
            alignment=self._alignment(properties, style_id),
            outline_level=self._outline_level(properties, style_id),
        )
        if paragraph is not None:
            blocks.append(paragraph)
        blocks.extend(line.anchored)
        return []

    def _style_id(self, properties: Any) -> str:
        style = _child(properties, "pStyle")
        style_id = _attribute(style, "val") if style is not None else None
        if style_id and style_id in self.styles.by_id:
            return style_id
        return self.styles.default_paragraph

    def _alignment(self, properties: Any, style_id: str) -> Alignment:
        jc = _child(properties, "jc")
        value = _attribute(jc, "val") if jc is not None else None
        if value is None:
            value = next(
                (style.alignment for style in self.styles.chain(style_id) if style.alignment),
                None,
            )
        return _ALIGNMENTS.get(value or "", "")

    def _outline_level(self, properties: Any, style_id: str) -> int | None:
        outline = _child(properties, "outlineLvl")
        level = _int(_attribute(outline, "val")) if outline is not None else None
        if outline is None:
            level = next(
                (
                    style.outline_level
                    for style in self.styles.chain(style_id)
                    if style.outline_level is not None
                ),
                None,
            )
        return level if level is not None and 0 <= level <= 8 else None

    def _numbered(self, properties: Any, style_id: str) -> tuple[str, str]:
        """The number a paragraph shows and what follows it, counting it in its list."""
        numbering = _child(properties, "numPr")
        num_element = _child(numbering, "numId")
        level_element = _child(numbering, "ilvl")
        num_id = _attribute(num_element, "val") if num_element is not None else None
        level = _int(_attribute(level_element, "val")) if level_element is not None else None
        from_style = num_id is None
        chain = self.styles.chain(style_id)
        if from_style:
            num_id = next((style.num_id for style in chain if style.num_id is not None), None)
        if num_id is None or num_id == "0":
            return "", ""
        if level is None and from_style:
            level = next((style.level for style in chain if style.level is not None), None)
        if level is None:
            for style in [style_id, *(style.based_on for style in chain)]:
                level = self.definitions.level_for_style(num_id, style) if style else None
                if level is not None:
                    break
        numbered = self.counter.number(num_id, level or 0)
        return (numbered.number, numbered.suffix) if numbered is not None else ("", "")

    # --- inline content -------------------------------------------------------------------

    def _inline(self, container: Any, line: _Line, depth: int) -> None:
        """Runs and what wraps them (links, insertions, fields, content controls), in order."""
        depth = self._deeper(depth)
        for child in container:
            name = _local(child)
            if name == "r":
                self._run(child, line, depth)
            elif name in ("ins", "moveTo"):
                self.counts.insertions += 1
                self._inline(child, line, depth)
            elif name in ("del", "moveFrom"):
                self.counts.deletions += 1
            elif name in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo"):
                self._inline(child, line, depth)
            elif name == "sdt":
                content = _child(child, "sdtContent")
                if content is not None:
                    self._inline(content, line, depth)
            elif name == "p":  # a paragraph inside an inline content control (malformed)
                self._inline(child, line, depth)
            elif _is_mc(child, "AlternateContent"):
                branch = _alternative(child)
                if branch is not None:
                    self._inline(branch, line, depth)
            elif _math(child):
                line.segments.append(("".join(_math_text(child)), False))

    def _run(self, run: Any, line: _Line, depth: int) -> None:
        bold, hidden = self._run_format(_child(run, "rPr"), line.style_id)
        self._run_content(run, line, bold, hidden, depth)

    def _run_content(self, run: Any, line: _Line, bold: bool, hidden: bool, depth: int) -> None:
        story = line.story
        for child in run:
            name = _local(child)
            text = ""
            if name == "t":
                text = child.text or ""
            elif name in ("tab", "ptab"):
                text = "\t"
            elif name in ("br", "cr"):
                text = "\n"
            elif name == "noBreakHyphen":
                text = "-"
            elif name == "sym":
                text = _symbol(child)
            elif name == "fldChar":
                kind = _attribute(child, "fldCharType")
                if kind == "begin":
                    story.fields.append("instruction")
                elif kind == "separate" and story.fields:
                    story.fields[-1] = "result"
                elif kind == "end" and story.fields:
                    story.fields.pop()
            elif name in ("drawing", "pict", "object"):
                self._text_boxes(child, line, depth)
            elif name == "ruby":
                base = _child(child, "rubyBase")
                if base is not None:
                    self._inline(base, line, depth)
            elif _is_mc(child, "AlternateContent"):
                branch = _alternative(child)
                if branch is not None:
                    self._run_content(branch, line, bold, hidden, self._deeper(depth))
            if text and story.showing:
                if hidden:
                    self.counts.hidden += 1
                else:
                    line.segments.append((text, bold))

    def _run_format(self, properties: Any, style_id: str) -> tuple[bool, bool]:
        """Whether a run is bold and whether it is hidden: its own setting, else its styles'."""
        character = _child(properties, "rStyle")
        character_id = (_attribute(character, "val") if character is not None else None) or ""
        key = (character_id, style_id)
        inherited = self._format_cache.get(key)
        if inherited is None:
            chain = self.styles.chain(character_id) + self.styles.chain(style_id)
            bold = next((style.bold for style in chain if style.bold is not None), None)
            hidden = next((style.hidden for style in chain if style.hidden is not None), None)
            inherited = (self.styles.default_bold if bold is None else bold, bool(hidden))
            self._format_cache[key] = inherited
        bold_here = _on(_child(properties, "b"))
        hidden_here = _on(_child(properties, "vanish"))
        return (
            inherited[0] if bold_here is None else bold_here,
            inherited[1] if hidden_here is None else hidden_here,
        )

    def _text_boxes(self, element: Any, line: _Line, depth: int) -> None:
        """The paragraphs of text boxes in a drawing, each box once, kept for after the line."""
        for box in self._boxes(element, self._deeper(depth)):
            self.counts.text_boxes += 1
            line.anchored.extend(self._blocks(box, _Story(), depth + 1))

    def _boxes(self, element: Any, depth: int) -> Iterator[Any]:
        for child in element:
            if _local(child) == "txbxContent":
                yield child
            elif _is_mc(child, "AlternateContent"):
                branch = _alternative(child)
                if branch is not None:
                    yield from self._boxes(branch, self._deeper(depth))
            elif isinstance(child.tag, str):
                yield from self._boxes(child, self._deeper(depth))

    # --- tables ---------------------------------------------------------------------------

    def _table(self, table: Any, story: _Story, depth: int) -> ReadTable:
        depth = self._deeper(depth)
        rows: list[list[_CellBuilder]] = []
        above: dict[int, _CellBuilder] = {}
        for row in self._parts(table, "tr"):
            row_properties = _child(row, "trPr")
            if _child(row_properties, "del") is not None:
                self.counts.deletions += 1
                continue
            before = _child(row_properties, "gridBefore")
            column = (_int(_attribute(before, "val")) or 0) if before is not None else 0
            cells: list[_CellBuilder] = []
            for cell in self._parts(row, "tc"):
                properties = _child(cell, "tcPr")
                if _child(properties, "cellDel") is not None:
                    self.counts.deletions += 1
                    continue
                span_element = _child(properties, "gridSpan")
                span = (
                    max(1, _int(_attribute(span_element, "val")) or 1)
                    if span_element is not None
                    else 1
                )
                vertical = _child(properties, "vMerge")
                horizontal = _child(properties, "hMerge")
                content = self._cell_text(cell, story, depth)
                if (
                    vertical is not None
                    and _attribute(vertical, "val") != "restart"
                    and column in above
                ):
                    origin = above[column]
                    origin.rowspan += 1
                    origin.paragraphs.extend(content)
                elif (
                    horizontal is not None and _attribute(horizontal, "val") != "restart" and cells
                ):
                    cells[-1].colspan += span
                    cells[-1].paragraphs.extend(content)
                else:
                    builder = _CellBuilder(content, colspan=span)
                    cells.append(builder)
                    for covered in range(column, column + span):
                        above.pop(covered, None)
                    if vertical is not None:
                        above[column] = builder
                column += span
            rows.append(cells)
        return ReadTable(
            rows=tuple(
                tuple(
                    ReadCell(tuple(cell.paragraphs), rowspan=cell.rowspan, colspan=cell.colspan)
                    for cell in cells
                )
                for cells in rows
            )
        )

    def _parts(self, element: Any, name: str) -> Iterator[Any]:
        """Rows of a table or cells of a row, through content controls and custom XML."""
        for child in element:
            local = _local(child)
            if local == name:
                yield child
            elif local == "sdt":
                content = _child(child, "sdtContent")
                if content is not None:
                    yield from self._parts(content, name)
            elif local == "customXml":
                yield from self._parts(child, name)

    def _cell_text(self, cell: Any, story: _Story, depth: int) -> list[str]:
        """A cell's paragraphs as texts; a table nested in it gives its cells' paragraphs."""
        texts: list[str] = []
        for block in self._blocks(cell, story, depth):
            if isinstance(block, ReadParagraph):
                texts.append(block.text)
            else:
                texts.extend(
                    paragraph for row in block.rows for item in row for paragraph in item.paragraphs
                )
        return texts


def _math(element: Any) -> bool:
    tag = element.tag
    return isinstance(tag, str) and tag[1:].partition("}")[0] in MATH_NAMESPACES


def _math_text(element: Any) -> Iterator[str]:
    for node in element.iter():
        tag = node.tag
        if isinstance(tag, str) and tag.endswith("}t") and _math(node):
            yield node.text or ""


def _symbol(element: Any) -> str:
    """The character a ``w:sym`` shows: its code in a symbol font mapped to Unicode.

    Word stores symbol-font characters at U+F000 + their code in the font; known characters of
    Symbol and Wingdings become their Unicode equivalents, others stay as stored.
    """
    try:
        code = int(_attribute(element, "char") or "", 16)
    except ValueError:
        return ""
    font = (_attribute(element, "font") or "").lower()
    base = code - 0xF000 if code >= 0xF000 else code
    if font == "symbol" and base in _SYMBOL_FONT:
        return _SYMBOL_FONT[base]
    if font.startswith("wingdings") and base in _WINGDINGS:
        return _WINGDINGS[base]
    if code >= 0xF000 and 0x20 <= base < 0x7F and font != "symbol" and "wingdings" not in font:
        return chr(base)
    return chr(code) if 0 < code < 0x110000 else ""


def read_docx(path: Path, *, source_format: Literal["docx", "doc", "wps"] = "docx") -> ReadDocument:
    """Read a .docx file (or the .docx LibreOffice made of a .doc) as its reader sees it."""
    return DocxReader(path).read(source_format=source_format)
