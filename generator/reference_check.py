"""The template maintainer's tools: check a reference .docx, export the built-in templates.

The shipped ``templates/reference.docx`` is the source of the house style: maintainers change
fonts, sizes and margins by opening it in Word and saving it. ``check_reference`` then says, in
Chinese, whether the file still does what huibao and GB/T 9704 need:

* every style the writer (``generator/document.py``) and the templates name exists, with the
  right type (paragraph, character or table style), found by name as the writer finds it;
* the page is A4 portrait with margins 37/35/28/26 mm (within 1 mm) and no gutter;
* a line-only document grid and the body style give 22 lines of 28 characters;
* every paragraph style resolves to a named East Asian font (``w:eastAsia``), never a theme font;
* the footers carry a ``PAGE`` field, odd pages right and even pages left.

The file is read as a zip of XML parts (lxml, no entities, no network), not through python-docx:
only ``generator/docx_writer.py`` imports ``docx``. Style names in the templates are read from
their ``class`` attributes. A ``{{ … }}`` inside a name gives the literals it can choose from
(``{{ 'A' if seal else 'B' }}`` needs A and B); one that computes a value beside literal text
stands for a heading level, 1 to 4 (``接排标题{{ level + 1 }}`` needs 接排标题1 … 接排标题4); a
name taken wholly from the data cannot be known before rendering and is left to the build.

``export_templates`` copies the built-in templates and reference .docx into a folder, to start an
override folder for ``huibao build --templates``.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Literal

import jinja2
from jinja2 import nodes
from lxml import etree

from generator.document import BODY_STYLE, CELL_STYLES, HEADING_STYLES, TABLE_STYLE
from generator.errors import FileAccessError, InputError, Problem, SourceLocation, TemplateError
from generator.kinds import REFERENCE_DOCX, builtin_templates_dir
from generator.output import write_atomically

StyleType = Literal["paragraph", "character", "table"]

PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
TOLERANCE_MM = 1.0
LINES_PER_PAGE = 22
CHARACTERS_PER_LINE = 28
MAX_PART_BYTES = 20 * 1024 * 1024
"""A reference file's XML parts are a few hundred KB; anything this large is not one."""

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TWIPS_PER_MM = 1440 / 25.4
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    dtd_validation=False,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)
_TYPE_LABELS: dict[str, str] = {
    "paragraph": "段落样式",
    "character": "字符样式",
    "table": "表格样式",
    "numbering": "列表样式",
}
_WORD_NAMES = {
    "Normal": "正文",
    "Title": "标题",
    **{f"Heading {level}": f"标题 {level}" for level in range(1, 10)},
}
"""What Chinese Word shows for its built-in styles."""
_THEME_FONTS = {
    "majorEastAsia": "+中文标题",
    "minorEastAsia": "+中文正文",
    "majorHAnsi": "+西文标题",
    "minorHAnsi": "+西文正文",
    "majorAscii": "+西文标题",
    "minorAscii": "+西文正文",
}
"""Theme fonts, as Chinese Word's font dialog lists them."""
_HEADING_LEVELS = range(1, len(HEADING_STYLES) + 1)
_TAG_TYPES: dict[str, StyleType] = {
    "p": "paragraph",
    "td": "paragraph",
    "th": "paragraph",
    "span": "character",
    "table": "table",
}
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_TAG = re.compile(
    r"<\s*(h\d|h\{\{.*?\}\}|p|span|table|td|th)\b((?:[^<>{]|\{\{.*?\}\}|\{%.*?%\}|\{)*)>",
    re.DOTALL | re.IGNORECASE,
)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_PAGE_FIELD = re.compile(r"^\s*PAGE\b")
_FALSE = {"0", "false", "off"}


@dataclass(frozen=True)
class RequiredStyle:
    """A style huibao or a template names, with its type and who names it (in Chinese)."""

    name: str
    type: StyleType
    used_by: str


@dataclass(frozen=True)
class ReferenceSummary:
    """What a reference that passed the check gives: for the CLI's message."""

    reference: Path
    styles: int
    text_block_mm: tuple[float, float]
    lines: int
    characters: int


def required_styles(templates_dir: Path | None = None) -> list[RequiredStyle]:
    """The styles the writer needs and every style the templates name (override folder first)."""
    found: dict[tuple[str, StyleType], RequiredStyle] = {}

    def need(name: str, style_type: StyleType, used_by: str) -> None:
        found.setdefault((name, style_type), RequiredStyle(name, style_type, used_by))

    need(BODY_STYLE, "paragraph", "huibao 的正文段落")
    for level, name in enumerate(HEADING_STYLES.values(), start=1):
        need(name, "paragraph", f"huibao 的第 {level} 级标题")
    need(TABLE_STYLE, "table", "huibao 的表格")
    cells = {"td": "表格单元格", "th": "表格标题行"}
    for tag, name in CELL_STYLES.items():
        need(name, "paragraph", f"huibao 的{cells.get(tag, '表格')}")
    for template, label in _template_files(templates_dir):
        for name, style_type, line in _template_styles(template):
            need(name, style_type, f"模板 {label} 第 {line} 行")
    return list(found.values())


def check_reference(
    reference: Path | None = None, *, templates_dir: Path | None = None
) -> ReferenceSummary:
    """Check a reference .docx; raise ``InputError`` listing everything that differs.

    ``reference`` may be a .docx, or an override folder (its ``reference.docx``, else the
    built-in one, checked against its templates and the built-in ones). A .docx lying in a folder
    of templates is checked against those templates. Without ``reference``: the built-in file.
    """
    if reference is not None and reference.is_dir():
        templates_dir = templates_dir or reference
        reference = reference / REFERENCE_DOCX
        if not reference.is_file():
            reference = builtin_templates_dir() / REFERENCE_DOCX
    elif reference is None:
        override = templates_dir / REFERENCE_DOCX if templates_dir else None
        reference = override if override and override.is_file() else None
        reference = reference or builtin_templates_dir() / REFERENCE_DOCX
    elif templates_dir is None and _holds_templates(reference.parent):
        templates_dir = reference.parent
    if templates_dir is not None and not templates_dir.is_dir():
        raise FileAccessError(path=templates_dir, reason="模板文件夹不存在")
    _check_file(reference)
    package = _Package(reference)
    checker = _Checker(package, required_styles(templates_dir))
    checker.run()
    if checker.problems:
        raise InputError(
            file=reference,
            problems=[
                Problem(SourceLocation(reference), message, field=where, hint=hint)
                for where, message, hint in checker.problems
            ],
        )
    return ReferenceSummary(
        reference,
        checker.styles_checked,
        checker.text_block_mm,
        checker.lines,
        checker.characters,
    )


@dataclass(frozen=True)
class Export:
    """What ``export_templates`` wrote."""

    folder: Path
    files: list[Path]


def export_templates(folder: Path, *, force: bool = False) -> Export:
    """Copy the built-in templates and reference .docx into ``folder`` (made if missing).

    A folder that already holds files is refused unless ``force``; with it, files of the same
    name are replaced and other files are left alone.
    """
    if folder.exists() and not folder.is_dir():
        raise FileAccessError(
            path=folder, reason="这是一个文件，不是文件夹", hint="请给出一个新的文件夹名。"
        )
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise FileAccessError(
            path=folder,
            reason="文件夹不是空的，未导出",
            hint="换一个新的（或空的）文件夹；或加 --force，用内置模板覆盖其中的同名文件。",
        )
    source = builtin_templates_dir()
    written = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or any(part.startswith((".", "__")) for part in relative.parts):
            continue
        target = folder / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FileAccessError(
                path=target.parent,
                reason=f"无法创建文件夹（{error.strerror or type(error).__name__}）",
                hint="请换一个可以写入的位置。",
            ) from None
        content = path.read_bytes()
        application = "Word/WPS" if path.suffix.lower() == ".docx" else "编辑器"
        write_atomically(target, _writer(content), application=application)
        written.append(target)
    return Export(folder, written)


def _writer(content: bytes) -> Callable[[BinaryIO], object]:
    return lambda stream: stream.write(content)


# --- the templates -------------------------------------------------------------------------------


def _template_files(templates_dir: Path | None) -> Iterator[tuple[Path, str]]:
    """Each template file once, an override folder's copy in place of the built-in one."""
    chosen: dict[PurePosixPath, tuple[Path, str]] = {}
    for folder in (builtin_templates_dir(), templates_dir):
        if folder is None:
            continue
        for path in sorted(folder.rglob("*.html.j2")):
            relative = PurePosixPath(path.relative_to(folder).as_posix())
            label = str(path) if folder == templates_dir else relative.as_posix()
            chosen[relative] = (path, label)
    yield from chosen.values()


def _holds_templates(folder: Path) -> bool:
    return any(folder.glob("*.html.j2")) or any(folder.glob("*/*.html.j2"))


def _template_styles(template: Path) -> Iterator[tuple[str, StyleType, int]]:
    """(style name, type, line) of every ``class`` in a template's HTML, comments left out."""
    try:
        text = template.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(location=str(template), reason=f"模板文件无法读取（{error}）") from None
    text = _JINJA_COMMENT.sub(lambda match: "\n" * match.group(0).count("\n"), text)
    for tag in _TAG.finditer(text):
        style_type = _TAG_TYPES.get(tag.group(1).lower(), "paragraph")
        attribute = _CLASS.search(tag.group(2))
        if attribute is None:
            continue
        value = attribute.group(1) if attribute.group(1) is not None else attribute.group(2)
        line = text.count("\n", 0, tag.start(2) + attribute.start()) + 1
        if "{%" in value or not value.strip():
            continue  # a name chosen by a statement cannot be read without rendering
        names: list[str] | None = [value]
        literal = _EXPRESSION.sub("", value).strip()
        for expression in _EXPRESSION.findall(value):
            choices = _expression_values(expression[2:-2])
            if choices is None and literal:
                choices = [str(level) for level in _HEADING_LEVELS]
            if choices is None or names is None:
                names = None  # a name taken from the data: known only when rendering
                break
            names = [found.replace(expression, choice, 1) for found in names for choice in choices]
        for found in names or []:
            if found.strip():
                yield found.strip(), style_type, line


def _expression_values(expression: str) -> list[str] | None:
    """The texts a ``{{ … }}`` in a style name can give: its literals through ``if``/``else``
    and ``~``; ``None`` for anything computed (``level + 1``), taken to be a heading level."""
    try:
        template = jinja2.Environment().parse(f"{{{{ {expression} }}}}")
    except jinja2.TemplateSyntaxError:
        return None
    output = template.body[0] if template.body else None
    if not isinstance(output, nodes.Output) or len(output.nodes) != 1:
        return None
    return _node_values(output.nodes[0])


def _node_values(node: nodes.Node) -> list[str] | None:
    if isinstance(node, nodes.Const):
        return [str(node.value)]
    if isinstance(node, nodes.CondExpr):
        first = _node_values(node.expr1)
        second = [""] if node.expr2 is None else _node_values(node.expr2)
        return None if first is None or second is None else first + second
    if isinstance(node, nodes.Concat):
        found = [""]
        for part in node.nodes:
            values = _node_values(part)
            if values is None:
                return None
            found = [before + after for before in found for after in values]
        return found
    return None


# --- the reference file --------------------------------------------------------------------------


def _check_file(reference: Path) -> None:
    if not reference.exists():
        raise FileAccessError(
            path=reference, reason="文件不存在", hint="检查文件名和所在文件夹是否正确。"
        )
    if not reference.is_file():
        raise FileAccessError(path=reference, reason="这不是一个文件")


class _Package:
    """The parts of a .docx, found through its relationships as Word finds them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as archive:
                self._parts = {
                    info.filename: archive.read(info)
                    for info in archive.infolist()
                    if info.filename.endswith((".xml", ".rels"))
                    and info.file_size <= MAX_PART_BYTES
                }
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
            raise self._broken("不是 Word 文档（.docx），或文件已损坏") from None
        main = self.related("", "officeDocument")
        if main is None:
            raise self._broken("文件中没有文档正文部分，不是 Word 文档")
        self.main = main

    def _broken(self, reason: str) -> TemplateError:
        return TemplateError(location=str(self.path), reason=f"参考样式文件无法打开：{reason}")

    def xml(self, name: str) -> Any:
        """The root element of part ``name``, or ``None`` if there is no such part."""
        data = self._parts.get(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            raise self._broken(f"{name} 部分已损坏") from None

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, part name) of ``part`` ("" for the package)."""
        folder, _, name = part.rpartition("/")
        rels = self.xml(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels")
        found = {}
        for relationship in [] if rels is None else rels:
            if relationship.tag != f"{{{_PACKAGE_RELATIONSHIPS}}}Relationship":
                continue
            if relationship.get("TargetMode") == "External":
                continue
            target = relationship.get("Target", "")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = f"{folder}/{target}" if folder else target
            found[relationship.get("Id", "")] = (relationship.get("Type", ""), _normalise(resolved))
        return found

    def related(self, part: str, kind: str) -> str | None:
        """The first part ``part`` relates to with a relationship type ending in ``/kind``."""
        for relationship_type, target in self.relationships(part).values():
            if relationship_type.endswith(f"/{kind}"):
                return target
        return None


def _normalise(path: str) -> str:
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _twips(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _mm(twips: float) -> float:
    return twips / _TWIPS_PER_MM


@dataclass
class _Style:
    style_id: str
    name: str
    type: str
    based_on: str | None
    element: Any


class _Styles:
    """The styles part: styles by id and by name, with properties resolved along ``basedOn``."""

    def __init__(self, root: Any) -> None:
        self.by_id: dict[str, _Style] = {}
        self.by_name: dict[str, _Style] = {}
        self.defaults_rpr = (
            None
            if root is None
            else root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        )
        self.defaults_ppr = (
            None
            if root is None
            else root.find(f"{_w('docDefaults')}/{_w('pPrDefault')}/{_w('pPr')}")
        )
        for element in [] if root is None else root.iterfind(_w("style")):
            name_element = element.find(_w("name"))
            based_on = element.find(_w("basedOn"))
            style = _Style(
                element.get(_w("styleId"), ""),
                "" if name_element is None else name_element.get(_w("val"), ""),
                element.get(_w("type"), "paragraph"),
                None if based_on is None else based_on.get(_w("val")),
                element,
            )
            self.by_id.setdefault(style.style_id, style)
            self.by_name.setdefault(style.name, style)

    def find(self, name: str) -> _Style | None:
        """The style called ``name``, as python-docx finds it (``Heading 1`` is ``heading 1``)."""
        internal = name.lower() if re.fullmatch(r"Heading [1-9]", name) else name
        return self.by_name.get(internal)

    def chain(self, style: _Style) -> Iterator[_Style]:
        """The style, then the styles it is based on, each once."""
        seen: set[str] = set()
        current: _Style | None = style
        while current is not None and current.style_id not in seen:
            seen.add(current.style_id)
            yield current
            current = self.by_id.get(current.based_on) if current.based_on else None

    def resolve(self, style: _Style, properties: str, read: Callable[[Any], Any]) -> Any:
        """The first value ``read`` finds in ``rPr``/``pPr`` along the chain, then the defaults."""
        for current in self.chain(style):
            found = current.element.find(_w(properties))
            value = None if found is None else read(found)
            if value is not None:
                return value
        defaults = self.defaults_rpr if properties == "rPr" else self.defaults_ppr
        return None if defaults is None else read(defaults)


def _attribute(child: str, attribute: str) -> Callable[[Any], str | None]:
    def read(properties: Any) -> str | None:
        element = properties.find(_w(child))
        return None if element is None else element.get(_w(attribute))

    return read


def _east_asian_font(properties: Any) -> tuple[str, str] | None:
    """("theme", name) or ("font", name) from ``w:rFonts``; a theme attribute wins in Word."""
    fonts = properties.find(_w("rFonts"))
    if fonts is None:
        return None
    theme = fonts.get(_w("eastAsiaTheme"))
    if theme:
        return ("theme", theme)
    font = fonts.get(_w("eastAsia"))
    return ("font", font) if font else None


def _theme_name(theme: str) -> str:
    """A theme font as Word's font dialog lists it."""
    return _THEME_FONTS.get(theme, "主题字体")


def _word_name(name: str) -> str:
    shown = _WORD_NAMES.get(name)
    return f"样式“{name}”（Word 中显示为“{shown}”）" if shown else f"样式“{name}”"


class _Checker:
    """Runs every check on one package; ``problems`` holds (where, message, hint) in Chinese."""

    def __init__(self, package: _Package, required: list[RequiredStyle]) -> None:
        self.package = package
        self.required = required
        self.problems: list[tuple[str, str, str]] = []
        self.styles_checked = 0
        self.block = (0.0, 0.0)
        self.text_block_mm = (0.0, 0.0)
        self.lines = 0
        self.characters = 0
        self.document = package.xml(package.main)
        if self.document is None:
            raise package._broken(f"{package.main} 部分缺失")
        styles_part = package.related(package.main, "styles")
        self.styles = _Styles(None if styles_part is None else package.xml(styles_part))
        settings_part = package.related(package.main, "settings")
        self.settings = None if settings_part is None else package.xml(settings_part)

    def problem(self, where: str, message: str, hint: str = "") -> None:
        self.problems.append((where, message, hint))

    def run(self) -> None:
        self.check_styles()
        section = self.document.find(f"{_w('body')}/{_w('sectPr')}")
        if section is None:
            self.problem(
                "页面设置",
                "没有页面设置（文档最后没有节属性）",
                "在 Word 中打开该文件，布局 → 页面设置 中设好纸张和页边距后保存。",
            )
            return
        self.check_page(section)
        self.check_grid(section)
        self.check_footers(section)

    # styles

    def check_styles(self) -> None:
        for required in self.required:
            style = self.styles.find(required.name)
            label = _TYPE_LABELS[required.type]
            if style is None:
                self.problem(
                    _word_name(required.name),
                    f"缺少{label}“{required.name}”（{required.used_by}使用）",
                    f"在 Word 中打开该文件，在“样式”窗格中新建名为“{required.name}”的{label}"
                    "（名称一字不差）；或把模板中的样式名改为已有的样式。",
                )
                continue
            if style.type != required.type:
                self.problem(
                    _word_name(required.name),
                    f"“{required.name}”是{_TYPE_LABELS.get(style.type, style.type)}，"
                    f"这里要的是{label}（{required.used_by}使用）",
                    f"把现有的样式改名后，新建一个名为“{required.name}”的{label}。",
                )
                continue
            self.styles_checked += 1
            self.check_font(required, style)

    def check_font(self, required: RequiredStyle, style: _Style) -> None:
        hint = (
            "在 Word 中修改该样式：格式 → 字体 → 中文字体，选一种具体的字体"
            "（如 仿宋_GB2312、黑体、楷体_GB2312），不要选“+中文正文”“+中文标题”这类主题字体。"
        )
        if required.type == "table":
            return
        if required.type == "character":
            own = next(
                (
                    found
                    for current in self.styles.chain(style)
                    if (properties := current.element.find(_w("rPr"))) is not None
                    and (found := _east_asian_font(properties)) is not None
                ),
                None,
            )
            if own is not None and own[0] == "theme":
                self.problem(
                    _word_name(required.name),
                    f"中文字体是主题字体（{_theme_name(own[1])}），Word 会按文档主题显示，"
                    "而不是公文字体",
                    hint,
                )
            return
        font = self.styles.resolve(style, "rPr", _east_asian_font)
        if font is None:
            self.problem(
                _word_name(required.name),
                "没有设置中文字体，Word 会用默认的中文字体显示",
                hint,
            )
        elif font[0] == "theme":
            self.problem(
                _word_name(required.name),
                f"中文字体是主题字体（{_theme_name(font[1])}），Word 会按文档主题显示，"
                "而不是公文字体",
                hint,
            )

    # page

    def check_page(self, section: Any) -> None:
        size = section.find(_w("pgSz"))
        width = _twips(None if size is None else size.get(_w("w")))
        height = _twips(None if size is None else size.get(_w("h")))
        paper_hint = "在 Word 中：布局 → 纸张大小 → A4，纸张方向 → 纵向。"
        if width is None or height is None:
            self.problem("页面设置", "没有设置纸张大小", paper_hint)
            width, height = PAGE_MM[0] * _TWIPS_PER_MM, PAGE_MM[1] * _TWIPS_PER_MM
        elif width > height or (size is not None and size.get(_w("orient")) == "landscape"):
            self.problem("页面设置", "纸张是横向的，公文正文页应为纵向", paper_hint)
        if any(
            abs(_mm(measured) - expected) > TOLERANCE_MM
            for measured, expected in zip(sorted((width, height)), PAGE_MM, strict=True)
        ):
            self.problem(
                "页面设置",
                f"纸张是 {_mm(width):.0f} × {_mm(height):.0f} 毫米，不是 A4（210 × 297 毫米）",
                paper_hint,
            )
        margins = section.find(_w("pgMar"))
        measured_mm: dict[str, float] = {}
        for side in MARGINS_MM:
            value = _twips(None if margins is None else margins.get(_w(side)))
            measured_mm[side] = abs(_mm(value)) if value is not None else 0.0
        labels = {"top": "上", "bottom": "下", "left": "左", "right": "右"}
        wrong = [
            f"{labels[side]} {measured_mm[side]:.1f} 毫米（应为 {expected:g} 毫米）"
            for side, expected in MARGINS_MM.items()
            if abs(measured_mm[side] - expected) > TOLERANCE_MM
        ]
        if wrong:
            self.problem(
                "页面设置",
                "页边距不符合 GB/T 9704：" + "，".join(wrong),
                "在 Word 中：布局 → 页边距 → 自定义页边距：上 3.7 厘米、下 3.5 厘米、"
                "左 2.8 厘米、右 2.6 厘米（版心 156 × 225 毫米）。",
            )
        gutter = _twips(None if margins is None else margins.get(_w("gutter"))) or 0.0
        if abs(_mm(gutter)) > 0.1:
            self.problem(
                "页面设置",
                f"设置了 {_mm(gutter):.1f} 毫米的装订线，版心因此变窄",
                "在 Word 中：布局 → 页边距 → 自定义页边距，装订线设为 0。",
            )
        self.block = (
            width
            - measured_mm["left"] * _TWIPS_PER_MM
            - measured_mm["right"] * _TWIPS_PER_MM
            - abs(gutter),
            height - (measured_mm["top"] + measured_mm["bottom"]) * _TWIPS_PER_MM,
        )
        self.text_block_mm = (round(_mm(self.block[0]), 1), round(_mm(self.block[1]), 1))

    def check_grid(self, section: Any) -> None:
        block_width, block_height = self.block
        grid = section.find(_w("docGrid"))
        grid_type = "default" if grid is None else grid.get(_w("type"), "default")
        pitch = _twips(None if grid is None else grid.get(_w("linePitch")))
        grid_hint = (
            "在 Word 中：布局 → 页面设置 → 文档网格，选“只指定行网格”，每页 22 行"
            "（跨度 28.95 磅）。"
        )
        if grid_type in ("linesAndChars", "snapToChars"):
            self.problem(
                "文档网格",
                "文档网格设为“指定行和字符网格”：Word 中每行的字数由网格决定，"
                "LibreOffice 和部分 WPS 版本却会把每个字放进两格，每行只排 14 字左右",
                grid_hint + "每行 28 字由正文样式的字符间距保证（三号字、紧缩 0.25 磅）。",
            )
        elif grid_type != "lines":
            self.problem("文档网格", "没有设置行网格（每页 22 行）", grid_hint)
        if grid_type != "default" and pitch:
            grid_lines = math.floor(block_height / pitch + 1e-6)
            if grid_lines != LINES_PER_PAGE:
                self.problem(
                    "文档网格",
                    f"行网格跨度 {pitch / 20:g} 磅，每页 {grid_lines} 行（应为 {LINES_PER_PAGE} 行）",
                    grid_hint,
                )
        normal = self.styles.find(BODY_STYLE)
        if normal is None or normal.type != "paragraph":
            return  # already reported as a missing style
        self.check_lines(normal, grid_type, pitch, block_height)
        self.check_characters(normal, block_width)

    def check_lines(
        self, normal: _Style, grid_type: str, pitch: float | None, block_height: float
    ) -> None:
        line = _twips(self.styles.resolve(normal, "pPr", _attribute("spacing", "line")))
        rule = self.styles.resolve(normal, "pPr", _attribute("spacing", "lineRule")) or "auto"
        size = self._size_pt(normal)
        hint = (
            "在 Word 中修改“正文”样式：格式 → 段落 → 行距“固定值” 28.95 磅，段前段后 0 行"
            "（225 毫米高的版心排 22 行）。"
        )
        if rule in ("exact", "atLeast") and line:
            line_pitch = line if rule == "exact" else max(line, size * 20 * 1.3)
        elif grid_type != "default" and pitch:
            multiple = (line or 240) / 240
            line_pitch = pitch * max(1, math.ceil(multiple * size * 20 * 1.3 / pitch - 1e-6))
        else:
            self.problem(
                _word_name(BODY_STYLE),
                "行距不是固定值，又没有行网格：每页行数随字体变化，不能保证 22 行",
                hint,
            )
            return
        self.lines = math.floor(block_height / line_pitch + 1e-6)
        if self.lines != LINES_PER_PAGE:
            self.problem(
                _word_name(BODY_STYLE),
                f"行距 {line_pitch / 20:g} 磅，每页 {self.lines} 行（应为 {LINES_PER_PAGE} 行）",
                hint,
            )

    def check_characters(self, normal: _Style, block_width: float) -> None:
        size = self._size_pt(normal)
        spacing = (
            _twips(self.styles.resolve(normal, "rPr", _attribute("spacing", "val"))) or 0
        ) / 20
        scale = (_twips(self.styles.resolve(normal, "rPr", _attribute("w", "val"))) or 100) / 100
        indents = sum(
            abs(_twips(self.styles.resolve(normal, "pPr", _attribute("ind", side))) or 0)
            for side in ("left", "right")
        )
        advance = size * scale + spacing
        width = (block_width - indents) / 20
        self.characters = math.floor(width / advance + 1e-6) if advance > 0 else 0
        if self.characters != CHARACTERS_PER_LINE:
            self.problem(
                _word_name(BODY_STYLE),
                f"字号 {size:g} 磅、字符间距 {spacing:+g} 磅，版心每行排 {self.characters} 字"
                f"（应为 {CHARACTERS_PER_LINE} 字）",
                "在 Word 中修改“正文”样式：字号三号（16 磅），格式 → 字体 → 高级 → "
                "间距“紧缩” 0.25 磅，缩放 100%，左右缩进为 0。",
            )

    def _size_pt(self, style: _Style) -> float:
        half_points = _twips(self.styles.resolve(style, "rPr", _attribute("sz", "val")))
        return (half_points or 20) / 2

    # footers

    def check_footers(self, section: Any) -> None:
        hint = (
            "在 Word 中：插入 → 页码 → 页面底端，页码写成“— 1 —”；勾选“奇偶页不同”，"
            "单页页码居右、双页页码居左（各空一字）。"
        )
        footers: dict[str, str] = {}
        relationships = self.package.relationships(self.package.main)
        for reference in section.iterfind(_w("footerReference")):
            target = relationships.get(reference.get(f"{{{_R}}}id", ""))
            if target is not None:
                footers[reference.get(_w("type"), "default")] = target[1]
        even_and_odd = (
            self.settings is not None
            and (flag := self.settings.find(_w("evenAndOddHeaders"))) is not None
            and flag.get(_w("val"), "true").lower() not in _FALSE
        )
        wanted = [("default", "单页" if even_and_odd else "每页", "right")]
        if even_and_odd:
            wanted.append(("even", "双页", "left"))
        else:
            self.problem(
                "页脚",
                "没有设置“奇偶页不同”：GB/T 9704 的页码单页居右、双页居左",
                hint,
            )
        title_page = section.find(_w("titlePg"))
        if title_page is not None and title_page.get(_w("val"), "true").lower() not in _FALSE:
            wanted.append(("first", "首页", "right"))
        for footer_type, label, side in wanted:
            part = footers.get(footer_type)
            root = None if part is None else self.package.xml(part)
            paragraph = None if root is None else _page_number_paragraph(root)
            if paragraph is None:
                self.problem("页脚", f"{label}页脚中没有页码", hint)
                continue
            alignment = self._alignment(paragraph)
            expected = {"right": ("right", "end"), "left": ("left", "start")}[side]
            if alignment not in expected:
                where = {"right": "居右", "left": "居左"}[side]
                self.problem("页脚", f"{label}页码没有{where}", hint)

    def _alignment(self, paragraph: Any) -> str | None:
        own = paragraph.find(f"{_w('pPr')}/{_w('jc')}")
        if own is not None:
            return str(own.get(_w("val")))
        style_id = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        style = None if style_id is None else self.styles.by_id.get(style_id.get(_w("val"), ""))
        if style is None:
            return None
        value = self.styles.resolve(style, "pPr", _attribute("jc", "val"))
        return None if value is None else str(value)


def _page_number_paragraph(footer: Any) -> Any:
    """The footer paragraph holding a ``PAGE`` field (simple or complex), or ``None``."""
    for paragraph in footer.iter(_w("p")):
        for field in paragraph.iter(_w("fldSimple")):
            if _PAGE_FIELD.match(field.get(_w("instr"), "").upper()):
                return paragraph
        instructions = "".join(text.text or "" for text in paragraph.iter(_w("instrText")))
        if re.search(r"\bPAGE\b", instructions.upper()):
            return paragraph
    return None
