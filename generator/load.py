"""Stage 1 of the pipeline: read an input file into plain data, keeping where every value stood.

PyYAML's ``safe_load`` forgets line numbers and reads YAML 1.1 words such as ``no`` and ``on`` as
booleans and bare dates as dates. Staff type Chinese prose where those rules surprise, so we compose
the node tree ourselves and keep every scalar as the exact text that was typed (``null``/``~``/empty
become ``None``). Pydantic later turns text into numbers, booleans or dates only where a field asks
for one, so ``no`` in a text field stays ``no``.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.encodings import decode_text
from generator.errors import FileAccessError, InputError, Problem, SourceLocation
from schemas.base import DataPath

MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_NESTING = 40
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".csv"})
"""Inputs read by ``spreadsheet.py``: values sit in cells, not under YAML keys."""

_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_ALLOWED_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
# Characters that a .docx (XML 1.0) cannot hold: C0 controls other than tab/newline/CR, and
# the two non-characters. Reported with their place rather than crashing the writer later.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_TRAILING_COMMENT = re.compile(
    r"^(?:[ \t]*[\r\x85\u2028\u2029](?!\n))?[ \t]+(?P<comment>#[^\r\x85\u2028\u2029]*)"
)
_YAML_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _line_and_column(text: str, index: int, since: yaml.Mark | None = None) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting line breaks as YAML does.

    With ``since`` (a mark at or before ``index``), only the text between the two is looked at,
    so that placing many values of a long file stays linear in its size.
    """
    start = since.index if since is not None else 0
    breaks = list(_YAML_BREAK.finditer(text, start, index))
    if not breaks:
        if since is not None:
            return since.line + 1, since.column + index - start + 1
        return 1, index + 1
    first_line = since.line if since is not None else 0
    return first_line + len(breaks) + 1, index - breaks[-1].end() + 1


_YAML_PROBLEMS_ZH: tuple[tuple[str, bool, str, str], ...] = (
    # PyYAML's English (a part of its problem or context), whether the mistake is where something
    # was opened (a quote, a bracket) rather than where PyYAML noticed it, the Chinese message and
    # the fix. Errors whose real place and fix depend on the lines around them are diagnosed first,
    # by ``_diagnose``; this table covers the rest.
    (
        "found character '\\t' that cannot start any token",
        False,
        "这里有 Tab 字符",
        "YAML 不能用 Tab 缩进，请把 Tab 全部改成空格；文字中需要 Tab 时，请把整段文字用英文双引号括起来。",
    ),
    (
        "found unexpected end of stream",
        True,
        "引号没有配对就到了文件末尾",
        "检查这一行开始的引号（\" 或 '）是否成对；文字中的引号请用中文引号“”。",
    ),
    (
        "found unexpected document separator",
        True,
        "引号没有配对",
        "检查这一行开始的引号（\" 或 '）是否成对；文字中的引号请用中文引号“”。",
    ),
    (
        "escape",
        True,
        "英文双引号里的“\\”被当成了转义符",
        "文字中有“\\”（如路径 D:\\数据\\指标.xlsx）时，请改用英文单引号把整段括起来，或把“\\”改成“/”。",
    ),
    (
        "expected ',' or ']', but got",
        True,
        "方括号 [ ] 没有正确闭合",
        "如果这是列表，请补上“]”；如果是以“[”开头的文字，请把整段文字用英文双引号括起来。",
    ),
    (
        "expected ',' or '}', but got",
        True,
        "花括号 { } 没有正确闭合",
        "如果这是“{value: …, unit: …}”式的指标，请补上“}”；如果是以“{”开头的文字（如“{名称}……”），"
        "请把整段文字用英文双引号括起来。",
    ),
    (
        "but found another document",
        False,
        "文件中有多个 YAML 文档（出现了“---”分隔）",
        "一个文件只写一份报告，请删除多余的“---”。",
    ),
    (
        "mapping values are not allowed here",
        False,
        "这里不能出现“: ”（冒号加空格）",
        "文字中含有“: ”时，请改用中文冒号“：”，或把整段文字用英文双引号括起来。",
    ),
    (
        "could not find expected ':'",
        True,
        "这一行缺少“字段名: ”",
        "每个字段写成“字段名: 内容”（半角冒号后加一个空格）；列表项以“- ”开头；"
        "多段文字写在“字段名: |”的下一行，每行一段。",
    ),
    (
        "expected <block end>",
        False,
        "缩进不一致",
        "同一层的字段左边要对齐；列表项以“- ”开头，同一列表的各项“- ”要对齐。",
    ),
    # libyaml's wording of the same, should a C loader ever be used
    (
        "did not find expected key",
        False,
        "缩进不一致",
        "同一层的字段左边要对齐；列表项以“- ”开头。",
    ),
    (
        "did not find expected '-' indicator",
        False,
        "列表缩进不一致",
        "同一列表的各项“- ”要左对齐。",
    ),
)


@dataclass(frozen=True)
class LoadedSource:
    """Plain data read from an input file, with the location of every key and value.

    ``data`` holds only dicts, lists, ``str`` and ``None``. ``value_locations`` maps a path such as
    ``("sections", 0, "heading")`` to where that value starts; ``key_locations`` maps the same path
    to where its key was typed (used for "unknown field" messages).
    """

    path: Path
    data: dict[str, Any]
    value_locations: dict[DataPath, SourceLocation] = field(default_factory=dict)
    key_locations: dict[DataPath, SourceLocation] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)  # e.g. the encoding a CSV was read in
    problems: list[Problem] = field(default_factory=list)
    """Problems found while reading that do not stop validation: they are reported together with
    the schema's problems, so staff fix everything in one pass."""
    trailing_comments: dict[DataPath, tuple[SourceLocation, str]] = field(default_factory=dict)
    """Unquoted values followed by a ``#`` comment on their line: where the ``#`` is, and the
    comment; validation reports those that were text."""
    block_scalars: set[tuple[int, int]] = field(default_factory=set)
    """(line, column) of every ``|`` or ``>`` that opens a block of text: the text itself starts
    on the next line."""

    def locate(self, path: DataPath, *, prefer_key: bool = False) -> SourceLocation:
        """The location of ``path``, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefer_key and prefix in self.key_locations:
                return self.key_locations[prefix]
            if prefix in self.value_locations:
                return self.value_locations[prefix]
        return SourceLocation(self.path)


class _AliasUsedError(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _ComposingLoader(yaml.SafeLoader):
    """A composer that refuses aliases: they are never needed in a report and enable alias bombs."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        mark: yaml.Mark = event.start_mark
        # An anchor on a text is refused too: "&重点 工作" would silently lose "&重点 ".
        if isinstance(event, yaml.AliasEvent) or (
            isinstance(event, yaml.ScalarEvent) and event.anchor is not None
        ):
            raise _AliasUsedError(mark)
        node = super().compose_node(parent, index)
        assert node is not None  # the composer returns a node for every event it accepts
        return node


_C_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's composer, when PyYAML was built with it: the same node tree ten times faster."""
_MAX_C_FLOW_DEPTH = 100
_MAX_C_BRACKETS = 5000
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_DEEP_BLOCK_NESTING = re.compile(r"^[ -]{100}", re.M)
_COMMENT_ON_INDICATOR = re.compile(r"[|>][-+0-9]*#")
_EMPTY_IN_BRACKETS = re.compile(r"[:,\[{]\s*[,\]}]")
_TAG = re.compile(r"(?:^|[\s,\[{])!")


def _not_for_libyaml(text: str) -> bool:
    """Whether ``text`` holds what libyaml and PyYAML read differently.

    Where libyaml and PyYAML part ways (found by comparing the two on mutated reports,
    ``tests/test_load_libyaml.py``): a tab (libyaml reads one inside an unquoted text as part of it,
    PyYAML refuses it, as we do); a byte-order mark inside the text (libyaml does not count it in
    columns); a comment glued to a block indicator (``|#``, refused by PyYAML only); an empty value
    or entry in brackets (``{unit: , …}``: libyaml places it at the next comma, PyYAML after the
    colon); "?" (in brackets PyYAML ends an unquoted text there, libyaml does not; an empty value
    after a "? " key is placed differently); and a tag (``!…``: libyaml accepts handles PyYAML
    refuses). Reports hardly ever hold any of them.

    Each pattern is looked for only when the character it needs is in the text at all.
    """
    return (
        "\t" in text
        or "\ufeff" in text
        or "?" in text
        or ("#" in text and _COMMENT_ON_INDICATOR.search(text) is not None)
        or _EMPTY_IN_BRACKETS.search(text) is not None
        or ("!" in text and _TAG.search(text) is not None)
    )


def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``: composed by libyaml when that gives the tree PyYAML's own
    composer gives, else (and for every mistake) by ``_ComposingLoader``.

    libyaml's marks (line, column, character index), tags and values are PyYAML's; its plain
    scalars have style ``""`` where PyYAML's have ``None`` (``_plain`` reads both). What libyaml
    does not do is left to the pure-Python composer, so that every message and its place stay
    exactly as they were:

    - a mistake: libyaml words and sometimes places errors differently, so the text is composed
      again to find PyYAML's error (also when the file holds no mapping, which is refused);
    - an anchor or alias: refused by ``_ComposingLoader`` at its place (libyaml's composer
      accepts them); only a text with ``&`` or ``*`` can hold one, and libyaml's parser looks;
    - what the two read differently (``_not_for_libyaml``);
    - deep nesting: libyaml's composer recurses in C and would crash the process where Python
      stops with ``RecursionError``. Block nesting is bounded by indentation and brackets by
      their number, so a text with a line indented 100 places, more than 5,000 brackets, or
      brackets that look nested more than 100 deep (counting those in texts too) is composed in
      Python, whose recursion limit then words the message as before.
    """
    if _C_LOADER is None or not _c_composable(text):
        return yaml.compose(text, Loader=_ComposingLoader)
    try:
        if ("&" in text or "*" in text) and _has_anchor(text, _C_LOADER):
            return yaml.compose(text, Loader=_ComposingLoader)  # raises _AliasUsedError
        root = yaml.compose(text, Loader=_C_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=_ComposingLoader)
    if not isinstance(root, yaml.MappingNode):
        # not a report (nothing, or a text after "---"): an error, placed as PyYAML places it
        return yaml.compose(text, Loader=_ComposingLoader)
    return root


def _c_composable(text: str) -> bool:
    if _not_for_libyaml(text):
        return False
    if _DEEP_BLOCK_NESTING.search(text) is not None:
        return False
    brackets = _NOT_A_BRACKET.sub("", text)
    if len(brackets) > 2 * _MAX_C_BRACKETS:
        return False
    depth = deepest = opened = 0
    for bracket in brackets:
        if bracket in "[{":
            opened += 1
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return opened <= _MAX_C_BRACKETS and deepest <= _MAX_C_FLOW_DEPTH


def _has_anchor(text: str, loader: type[yaml.CSafeLoader]) -> bool:
    """Whether libyaml's parser finds an alias, or an anchor on a scalar (what
    ``_ComposingLoader`` refuses)."""
    return any(
        isinstance(event, yaml.AliasEvent)
        or (isinstance(event, yaml.ScalarEvent) and event.anchor is not None)
        for event in yaml.parse(text, Loader=loader)
    )


def _plain(node: yaml.Node) -> bool:
    """An unquoted, non-block scalar (PyYAML says so with ``None``, libyaml with ``""``)."""
    return not getattr(node, "style", None)


def check_input_path(path: Path) -> None:
    """An input path must be an existing file within the size limit; any kind of input."""
    if not path.exists():
        raise FileAccessError(
            path=path, reason="文件不存在", hint="检查文件名和所在文件夹是否正确。"
        )
    if path.is_dir():
        raise FileAccessError(
            path=path, reason="这是一个文件夹，不是文件", hint="请给出报告文件的路径。"
        )
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise FileAccessError(
            path=path,
            reason=f"文件太大（{size // 1024} KB），超过上限 {MAX_INPUT_BYTES // 1024 // 1024} MB",
            hint="一份报告的输入通常只有几十 KB，请确认选对了文件。",
        )


def read_text(path: Path) -> tuple[str, list[Problem]]:
    """Read a text input (YAML or CSV), with clear messages for paths that cannot be read.

    UTF-8 (with or without BOM) and UTF-16 with its BOM (what Excel saves as “Unicode 文本” and
    Notepad as “Unicode”) are read silently; GB18030/GBK, what Chinese Windows editors and
    Chinese Excel save, is read with a note saying so; anything else is an error naming the first
    bad line.
    """
    check_input_path(path)
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise FileAccessError(path=path, reason="没有读取权限") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError as error:
            before = raw[: error.start].decode("utf-16", errors="replace")
            raise InputError(
                file=path,
                problems=[
                    Problem(
                        location=SourceLocation(path, before.count("\n") + 1),
                        message="文件以 UTF-16 编码的标记开头，但这里的内容不是有效的 UTF-16 文字",
                        hint="文件可能已损坏：请用 Excel 或记事本打开，"
                        "另存为“CSV UTF-8（逗号分隔）”或 UTF-8 文本。",
                    )
                ],
            ) from None
    if b"\x00" in raw:
        # UTF-16 text without its BOM: ASCII characters leave zero bytes on one side only
        fewer, more = sorted((raw[0::2].count(0), raw[1::2].count(0)))
        utf16 = more > 0.3 * len(raw) / 2 and fewer * 10 < more
        if raw.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: .xls, .doc, .et …
            raise FileAccessError(
                path=path,
                reason="这不是文本文件，而是旧版 Office 文件（如 .xls 工作簿、.doc 文档）",
                hint="Excel 工作簿请在 Excel 或 WPS 中“另存为”“Excel 工作簿（.xlsx）”再使用。",
            )
        raise FileAccessError(
            path=path,
            reason="这不是文本文件（含有二进制内容）"
            + ("：看起来是没有 BOM 标记的 UTF-16 文本" if utf16 else ""),
            hint="请以“UTF-8”编码另存此文件（Excel：另存为“CSV UTF-8（逗号分隔）”）。"
            if utf16
            else "请选择 .yaml 或 .csv 文件；Word、Excel 或压缩文件改了扩展名也不能用。",
        )
    text, chinese = decode_text(
        raw,
        path,
        save_hint="请以“UTF-8”编码另存此文件（Excel：另存为“CSV UTF-8（逗号分隔）”）。",
    )
    if not chinese:
        return text, []
    note = Problem(
        SourceLocation(path),
        "文件不是 UTF-8 编码，已按 GB18030（GBK）读取",
        hint="如有乱码，请以“UTF-8”编码另存此文件。",
    )
    return text, [note]


def load_source(path: Path) -> LoadedSource:
    """Read a YAML input file into plain data with locations; raise ``InputError`` on any problem."""
    text, notes = read_text(path)
    key_problems = _key_line_problems(path, text)
    if key_problems:
        raise InputError(file=path, problems=key_problems)
    try:
        root = _compose(text)
    except _AliasUsedError as error:
        raise _single(
            path,
            error.mark,
            "不支持 YAML 锚点和别名（* 引用）",
            "如果“&”或“*”是文字的一部分，请把整段文字用英文双引号括起来；否则请把内容直接写出来。",
        ) from None
    except yaml.MarkedYAMLError as error:
        raise _yaml_syntax_error(path, error, text) from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        location = SourceLocation(path, line, column)
        raise InputError(
            file=path, problems=[_control_character(location, int(error.character))]
        ) from None
    except yaml.YAMLError:
        raise _single(
            path,
            None,
            "YAML 格式错误",
            "检查各行的缩进、冒号和引号；以符号开头的文字请用英文双引号括起来。",
        ) from None
    except RecursionError:
        raise _single(path, None, "嵌套层次太深", f"嵌套不能超过 {MAX_NESTING} 层。") from None

    if root is None:
        raise _single(
            path,
            None,
            "文件是空的（或只有注释）",
            "请参照示例填写报告内容，或用 huibao new 生成模板。",
        )
    if not isinstance(root, yaml.MappingNode):
        raise _single(
            path,
            root.start_mark,
            "文件最外层应是“字段名: 值”的形式",
            "第一行通常是“kind: 报告类型”，然后逐行填写各字段。",
        )
    builder = _DataBuilder(path, text)
    data = builder.convert(root, (), depth=0)
    if builder.problems:
        raise InputError(file=path, problems=builder.problems)
    assert isinstance(data, dict)
    return LoadedSource(
        path,
        data,
        builder.value_locations,
        builder.key_locations,
        notes,
        trailing_comments=builder.trailing_comments,
        block_scalars=builder.block_scalars,
    )


class _DataBuilder:
    """Turns a composed YAML node tree into plain data, collecting every problem it meets."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.problems: list[Problem] = []
        self.value_locations: dict[DataPath, SourceLocation] = {}
        self.key_locations: dict[DataPath, SourceLocation] = {}
        self.trailing_comments: dict[DataPath, tuple[SourceLocation, str]] = {}
        self.block_scalars: set[tuple[int, int]] = set()

    @cached_property
    def lines(self) -> list[str]:
        """The file's lines, split once (as ``str.splitlines`` splits them)."""
        return self.text.splitlines()

    def _location(self, mark: yaml.Mark) -> SourceLocation:
        return SourceLocation(self.path, mark.line + 1, mark.column + 1)

    def _problem(self, mark: yaml.Mark, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self._location(mark), message, hint=hint))

    def convert(self, node: yaml.Node, path: DataPath, *, depth: int) -> Any:
        self.value_locations[path] = self._location(node.start_mark)
        if depth > MAX_NESTING:
            self._problem(node.start_mark, "嵌套层次太深", f"嵌套不能超过 {MAX_NESTING} 层。")
            return None
        if node.tag not in _ALLOWED_TAGS:
            self._problem(
                node.start_mark,
                f"不支持的 YAML 标记“{node.tag.replace('tag:yaml.org,2002:', '!!')}”",
                "请去掉以“!”开头的标记，直接填写文字；如果“!”是文字的一部分，请把整段文字用英文双引号括起来。",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._convert_mapping(node, path, depth=depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.convert(child, (*path, index), depth=depth + 1)
                for index, child in enumerate(node.value)
            ]
        assert isinstance(node, yaml.ScalarNode)
        if _plain(node):
            self._note_trailing_comment(node, path)
        elif node.style in ("|", ">"):
            self.block_scalars.add((node.start_mark.line + 1, node.start_mark.column + 1))
            self._note_block_lines(node, path)
        return self._convert_scalar(node)

    def _note_trailing_comment(self, node: yaml.ScalarNode, path: DataPath) -> None:
        """Remember a ``#`` comment on the line where a plain (unquoted) value ends.

        YAML ends an unquoted value at `` #``: ``1#楼已封顶，2 #楼完成主体结构`` keeps only
        ``1#楼已封顶，2``. Validation decides whether the value was text (then the rest of the
        sentence is lost and this is an error) or a number, date or choice (a harmless comment).
        A break that editors hardly show (U+2028, U+2029, NEL, a lone CR) counts as the same line.
        """
        end = node.end_mark.index
        line_end = self.text.find("\n", end)
        rest = self.text[end : line_end if line_end >= 0 else len(self.text)]
        match = _TRAILING_COMMENT.match(rest)
        if match is None:
            return
        start = end + match.start("comment")
        line, column = _line_and_column(self.text, start, since=node.end_mark)
        location = SourceLocation(self.path, line, column)
        self.trailing_comments[path] = (location, match["comment"].rstrip())

    def _note_block_lines(self, node: yaml.ScalarNode, path: DataPath) -> None:
        """Where each paragraph of a ``|`` (or ``>``) block starts, so that a problem in its third
        paragraph points at that line, not at the ``text: |`` above it."""
        lines = self.lines
        paragraph = 0
        previous_blank = True
        for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
            content = lines[number]
            if not content.strip():
                previous_blank = True
                continue
            if node.style == "|" or previous_blank:
                indent = len(content) - len(content.lstrip())
                self.value_locations[(*path, paragraph)] = SourceLocation(
                    self.path, number + 1, indent + 1
                )
                paragraph += 1
            previous_blank = False

    def _convert_mapping(self, node: yaml.MappingNode, path: DataPath, *, depth: int) -> Any:
        placeholder = _placeholder_text(node, self.text)
        if placeholder is not None:
            location = SourceLocation(self.path, placeholder.line + 1, placeholder.column + 1)
            self.problems.append(Problem(location, placeholder.message, hint=placeholder.hint))
            return None
        result: dict[str, Any] = {}
        next_item: dict[str, SourceLocation] | None = None  # where each of its keys was typed
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                self._problem(key_node.start_mark, "字段名必须是简单文字")
                continue
            key = str(key_node.value)
            if next_item is not None:  # the keys after a missing "- " belong to that next item
                if key in next_item:
                    self._duplicate(key_node, key, next_item[key])
                else:
                    next_item[key] = self._location(key_node.start_mark)
                continue
            if key in result and path and isinstance(path[-1], int) and not node.flow_style:
                self._missing_dash(node, key_node, path, key)
                next_item = {key: self._location(key_node.start_mark)}
                continue
            if key in result:
                self._duplicate(key_node, key, self.key_locations[(*path, key)])
                continue
            self.key_locations[(*path, key)] = self._location(key_node.start_mark)
            result[key] = self.convert(value_node, (*path, key), depth=depth + 1)
        return result

    def _duplicate(self, key_node: yaml.Node, key: str, first: SourceLocation) -> None:
        self._problem(
            key_node.start_mark,
            f"字段“{key}”重复出现（第一次在第 {first.line} 行）",
            "同一层中每个字段只能写一次，请合并或删除其中一处。",
        )

    def _missing_dash(
        self, item: yaml.MappingNode, key_node: yaml.Node, path: DataPath, key: str
    ) -> None:
        """A list item's field written twice: most likely the next item without its "- "."""
        first = self.key_locations[(*path, key)]
        dash_line = item.start_mark.line
        text = self.lines[dash_line]
        self._problem(
            key_node.start_mark,
            f"这一行可能缺少列表项开头的“- ”：“{key}”在第 {first.line} 行开始的这一项中已经写过",
            f"如果这里是列表的新一项，请在“{key}”前面加“- ”，"
            f"与第 {dash_line + 1} 行的“- ”对齐（缩进 {len(text) - len(text.lstrip(' '))} 个空格）；"
            "如果确实属于同一项，同一项中每个字段只能写一次，请合并或删除其中一处。",
        )

    def _convert_scalar(self, node: yaml.ScalarNode) -> str | None:
        value = str(node.value)
        if _plain(node) and value in _NULL_WORDS:
            return None
        bad = _XML_INVALID.search(value)
        if bad:
            location = self._location(node.start_mark)
            self.problems.append(_control_character(location, ord(bad.group())))
        return value


def _control_character(location: SourceLocation, codepoint: int) -> Problem:
    """Characters a .docx cannot hold are refused with their place, never stripped silently."""
    return Problem(
        location,
        f"文字中含有不可见的控制字符 U+{codepoint:04X}，Word 文档无法保存它",
        hint="这通常来自复制粘贴，请删除该处的不可见字符后重新输入。",
    )


def _single(path: Path, mark: yaml.Mark | None, message: str, hint: str) -> InputError:
    location = (
        SourceLocation(path, mark.line + 1, mark.column + 1) if mark else SourceLocation(path)
    )
    return InputError(file=path, problems=[Problem(location, message, hint=hint)])


def _yaml_syntax_error(path: Path, error: yaml.MarkedYAMLError, text: str) -> InputError:
    """Translate PyYAML's English syntax errors into Chinese, at the line where the mistake is.

    PyYAML notices a mistake where parsing can no longer go on, which is often a line or more after
    it (a missing "- " shows up as bad indentation on the next line, a quoted part followed by
    more text as an unexpected scalar). ``_diagnose`` looks at the lines around that place to name
    the real line and its fix; ``_YAML_PROBLEMS_ZH`` words the remaining errors. No English reaches
    staff: an error neither knows gets a general Chinese message at PyYAML's place.
    """
    lines = [_Line.parse(number, line) for number, line in enumerate(text.splitlines())]
    found = _diagnose(error, lines)
    if found is None:
        problem = error.problem or ""
        opened = error.context_mark
        mark = error.problem_mark or opened
        message = "这里的写法不符合 YAML 格式"
        hint = (
            "检查这一行及上一行：同一层的字段是否左对齐，“字段名: 内容”的冒号是否为半角且后面有空格，"
            "引号和括号是否成对；以符号开头的文字请用英文双引号把整段括起来。"
        )
        for english, where_opened, chinese, chinese_hint in _YAML_PROBLEMS_ZH:
            if english in problem:
                mark = opened if where_opened and opened is not None else mark
                message, hint = chinese, chinese_hint
                break
        line, column = (mark.line, mark.column) if mark is not None else (0, 0)
        found = _Found(line, column, message, hint)
    location = SourceLocation(path, found.line + 1, found.column + 1)
    return InputError(
        file=path, problems=[Problem(location, f"YAML 格式错误：{found.message}", hint=found.hint)]
    )


@dataclass(frozen=True)
class _Found:
    """Where a YAML mistake really is (0-based, as PyYAML counts), what it is and how to fix it."""

    line: int
    column: int
    message: str
    hint: str


_LINE = re.compile(r"(?P<indent> *)(?P<dashes>(?:-(?: +|$))*)")
_KEY = re.compile(r"(?P<key>[^\s#{}\[\],&*!|>%@`\"'][^#]*?) *:(?: +|$)")
_BLOCK_INDICATOR = re.compile(r"[|>][-+1-9]*[ \t]*(?:#.*)?")
_SPECIAL_STARTS = {
    "{": "在 YAML 中表示一组“字段名: 值”",
    "}": "在 YAML 中用于括号写法",
    "[": "在 YAML 中表示列表",
    "]": "在 YAML 中用于括号写法",
    ",": "在 YAML 中用于分隔括号里的各项",
    "*": "在 YAML 中表示引用（别名）",
    "&": "在 YAML 中表示锚点",
    "!": "在 YAML 中表示类型标记",
    "@": "是 YAML 的保留符号",
    "`": "是 YAML 的保留符号",
    "%": "在 YAML 中表示指令",
    "- ": "在 YAML 中表示列表项",
    "? ": "在 YAML 中表示复杂的字段名",
    ": ": "在 YAML 中用于分隔字段名和内容",
}
"""Characters that cannot begin an unquoted text, and what YAML takes them for."""


@dataclass(frozen=True)
class _Line:
    """One line of a YAML file as staff see it: indentation, an optional "- ", a key, a value."""

    number: int
    text: str
    indent: int
    dash: bool
    content: int
    """Column where the key or the item's text starts, after the indentation and any "- "."""
    key: str | None
    value: int
    """Column where the value starts: after "key: ", or ``content`` on a line without a key."""

    @classmethod
    def parse(cls, number: int, text: str) -> _Line:
        start = _LINE.match(text)
        assert start is not None  # the pattern matches any text
        content = start.end()
        key = _KEY.match(text, content)
        return cls(
            number,
            text,
            len(start["indent"]),
            bool(start["dashes"]),
            content,
            key["key"] if key else None,
            key.end() if key else content,
        )

    @property
    def significant(self) -> bool:
        """Not blank and not a comment."""
        stripped = self.text.strip()
        return bool(stripped) and not stripped.startswith("#")

    @property
    def value_text(self) -> str:
        return self.text[self.value :].rstrip()

    @property
    def lead(self) -> str:
        """The line without its indentation up to where the value starts: "opening: ", "- "."""
        return self.text[self.indent : self.value]

    @property
    def label(self) -> str:
        """How a message names this line's field: “heading” or “- ”."""
        return f"“{self.key}”" if self.key else "“- ”" if self.dash else "这一行"


def _previous(lines: list[_Line], number: int) -> _Line | None:
    """The nearest line above ``number`` that is not blank or a comment."""
    for line in reversed(lines[:number]):
        if line.significant:
            return line
    return None


def _diagnose(error: yaml.MarkedYAMLError, lines: list[_Line]) -> _Found | None:
    """The real place and fix of the mistakes PyYAML reports elsewhere, or ``None``."""
    problem, context = error.problem or "", error.context or ""
    at, opened = error.problem_mark, error.context_mark
    if at is None or any(
        table_only in problem
        for table_only in ("'\\t'", "end of stream", "escape", "expected ',' or")
    ):
        return None
    cut = _cut_by_comment(lines, at.line)
    if cut is not None:
        return cut
    # A text beginning with a character YAML reads as syntax: the error is on its line, where
    # PyYAML stopped, or where the bracket, alias, tag or block scalar it took it for began.
    candidates = [at]
    if opened is not None and "block mapping" not in context and "block collection" not in context:
        candidates.append(opened)
    for mark in candidates:
        line = lines[mark.line] if mark.line < len(lines) else None
        if line is not None and (line.value <= mark.column or mark is opened):
            found = _special_start(line)
            if found is not None:
                return found
    if "could not find expected ':'" in problem and opened is not None:
        return _line_without_key(lines, lines[opened.line]) if opened.line < len(lines) else None
    if at.line >= len(lines):
        return None
    if "mapping values are not allowed" in problem:
        return _colon_in_text(lines, lines[at.line], at.column)
    if problem.startswith("expected <block end>"):
        return _misaligned(lines, lines[at.line], opened, problem, context)
    return None


def _cut_by_comment(lines: list[_Line], number: int) -> _Found | None:
    """``text: 今年完成投资100亿元 # 其中`` then a continuation line: the `` #`` ended the text, so
    the next line no longer belongs anywhere. The mistake is the `` #`` above, not the indent."""
    if number >= len(lines) or number == 0:
        return None
    here = lines[number]
    above = next((line for line in reversed(lines[:number]) if line.text.strip()), None)
    if above is None or here.indent < above.indent + (above.key is not None):
        return None
    value = above.text[above.value :].strip()
    cut = _TEXT_THEN_COMMENT.search(above.text, above.value)
    if cut is None or not value or value.startswith(("#", "|", ">", "'", '"')):
        return None
    return _Found(
        above.number,
        cut.start("hash"),
        "这一行的“ #”把文字截断了：YAML 把“空格+#”之后当作注释，下一行的文字就接不上了",
        "文字中有“#”时，请把整段文字用引号括起来，或在字段名后写“|”、把文字写在下面几行；"
        "如果“#”之后是注释，请把注释写在单独的一行。",
    )


_TEXT_THEN_COMMENT = re.compile(r"\S[ \t]+(?P<hash>#)")


def _special_start(line: _Line) -> _Found | None:
    """A value that begins with a character YAML reads as syntax, with the quoting that fixes it."""
    value = line.value_text
    if value[:2] in ("[]", "{}") and value[2:].strip():
        return _Found(
            line.number,
            line.value,
            f"“{value[:2]}”后面还有文字：“{value[:2]}”是空白表单里表示“暂无内容”的记号",
            f"填写内容时请删去“{value[:2]}”，写成：{line.lead}{value[2:].lstrip()}",
        )
    first = value[:1]
    after = _Line.parse(line.number, " " * line.value + value[1:])
    spaced = value[1:2] in (" ", "\t")
    if first == "-" and spaced and after.key and line.key:
        return _Found(
            line.number,
            line.value,
            "列表项“- ”要另起一行",
            f"请把“{_excerpt(value)}”移到下一行，并比{line.label}多缩进两个空格",
        )
    if first not in "-?:" and (after.dash or (spaced and after.key)):
        return _Found(
            line.number,
            line.value,
            f"这一行开头多了一个“{first}”",
            f"请删去这个“{first}”，写成：{line.text[: line.value]}{value[1:].lstrip()}",
        )
    if first in ('"', "'"):
        closing = value.find(first, 1)
        rest = value[closing + 1 :].strip() if closing > 0 else ""
        if not rest or rest.startswith("#"):
            return None
        inner = value[1:closing]
        chinese = f"“{inner}”{value[closing + 1 :]}"
        other = "'" if first == '"' else '"'
        return _Found(
            line.number,
            line.value,
            "引号括起的部分后面还有文字：以英文引号开头时，整段文字都要在引号之内",
            f"公文中的引号请用中文引号，写成：{line.lead}{chinese}；"
            f"如要保留英文引号，请用另一种英文引号把整段括起来：{line.lead}{other}{value}{other}",
        )
    if first in ("|", ">"):
        if _BLOCK_INDICATOR.fullmatch(value):
            return None
        field = line.label
        return _Found(
            line.number,
            line.value,
            f"“{first}”后面不能接文字：“{first}”表示多行文字从下一行开始",
            f"请把“{_excerpt(value[1:].strip())}”移到下一行，并比{field}多缩进两个空格；"
            f"如果“{first}”本身是文字的一部分，请{_quoting(line)}",
        )
    sign = value[:2] if value[:1] in "-?:" else first
    if sign not in _SPECIAL_STARTS:
        return None
    return _Found(
        line.number,
        line.value,
        f"文字不能直接以“{sign}”开头（“{sign}”{_SPECIAL_STARTS[sign]}）",
        f"请{_quoting(line)}；"
        f"或者写成“{line.lead}|”，把文字放在下一行，并比{line.label}多缩进两个空格",
    )


def _excerpt(text: str) -> str:
    return text if len(text) <= 20 else f"{text[:12]}……"


def _quoting(line: _Line) -> str:
    """How to quote the line's value so that YAML reads it as text: the line to write, if short."""
    value = line.value_text
    quote = "'" if '"' in value or "\\" in value else '"'
    name = "英文单引号" if quote == "'" else "英文双引号"
    if len(value) > 30:
        return f"在“{value[:8]}”前面和这一行末尾各加一个{name}“{quote}”，把整段文字括起来"
    quoted = value.replace("'", "''") if quote == "'" else value
    return f"把整段文字用{name}括起来，写成：{line.lead}{quote}{quoted}{quote}"


def _placeholder_text(node: yaml.MappingNode, text: str) -> _Found | None:
    """``opening: {道路里程}`` is a text to staff and a mapping without values to YAML.

    A mapping in braces with no colon inside is never a report's data, so it is reported as the
    text it was meant to be, with the quoting that keeps it one.
    """
    typed = text[node.start_mark.index : node.end_mark.index]
    if not node.flow_style or not node.value or ":" in typed or "：" in typed:
        return None
    line = _Line.parse(node.start_mark.line, text.splitlines()[node.start_mark.line])
    return _special_start(line) if line.value == node.start_mark.column else None


def _colon_in_text(lines: list[_Line], here: _Line, column: int) -> _Found | None:
    """For "mapping values are not allowed here": a ": " in a text, or a line indented too far."""
    if here.key is not None and column >= here.value:
        return _Found(
            here.number,
            column,
            "文字中含有“: ”（冒号加空格），YAML 把它当成了“字段名: 内容”",
            f"请把这个冒号改成中文冒号“：”，或{_quoting(here)}",
        )
    above = _previous(lines, here.number)
    if above is None:
        return None
    if above.key is None and not above.dash:
        return _line_without_key(lines, above)
    if here.indent > above.indent and above.value_text:
        item = _sibling_item(lines, above)
        if item is not None:
            return _missing_dash(above, item)
        found = _realign(lines, here)
        if found is None or here.key is None or here.key.isascii():
            return found
        return _Found(
            found.line,
            found.column,
            found.message,
            f"{found.hint}；如果这一行是上一行文字的续写，请把其中的“: ”改成中文冒号“：”",
        )
    return None


def _line_without_key(lines: list[_Line], line: _Line) -> _Found:
    """A line that is neither "key: value" nor "- item": what it most likely lacks."""
    rest = line.text[line.content :]
    name = re.match(r"[^\s:：]+", rest)
    shown = name[0] if name else ""
    full_width = re.match(r"[^\s:：]+ *：", rest)
    if full_width:
        column = line.content + full_width.end() - 1
        return _Found(
            line.number,
            column,
            f"“{shown}”后面用了全角冒号“：”",
            f"字段名和内容之间要用半角冒号“:”，冒号后加一个空格，写成：{shown}: {rest[full_width.end() :].strip()}",
        )
    colon = re.match(r"[^\s:：]+:(?=[^ \t])", rest)
    if colon:
        after = rest[colon.end() :]
        if after.startswith("\u3000"):
            message = f"“{shown}:”后面是全角空格"
        else:
            message = f"“{shown}:”的冒号后面缺少空格"
        return _Found(
            line.number,
            line.content + colon.end() - 1,
            message,
            f"半角冒号后要加一个半角空格，写成：{shown}: {after.strip()}",
        )
    above = _previous(lines, line.number)
    if above is not None and above.dash and above.indent == line.indent and not line.dash:
        return _Found(
            line.number,
            line.indent,
            "这一行可能缺少列表项开头的“- ”",
            f"列表的每一项以“- ”开头，写成：- {rest.strip()}（与第 {above.number + 1} 行的“- ”对齐）",
        )
    if above is not None and above.key and not above.value_text and line.indent <= above.indent:
        return _Found(
            line.number,
            line.indent,
            f"这一行应是{above.label}的内容，但没有缩进",
            f"请在这一行开头加空格，比第 {above.number + 1} 行的{above.label}多缩进两个空格；"
            f"或把内容直接写在“{above.key}: ”后面",
        )
    return _Found(
        line.number,
        line.indent,
        "这一行既不是“字段名: 内容”，也不是以“- ”开头的列表项",
        "如果这是上一行文字的续写，请把它接到上一行末尾（多段文字写在“字段名: |”的下一行，每行一段）；"
        "如果是新的字段，请写成“字段名: 内容”（半角冒号后加一个空格）",
    )


def _misaligned(
    lines: list[_Line], here: _Line, opened: yaml.Mark | None, problem: str, context: str
) -> _Found | None:
    """For "expected <block end>": a line whose indentation fits no level above it."""
    above = _previous(lines, here.number)
    if above is None:
        return None
    leftover = above.value_text[:2]
    if leftover in ("[]", "{}") and not above.value_text[2:].strip() and here.indent > above.indent:
        return _Found(
            above.number,
            above.value,
            f"“{above.key}: {leftover}”表示暂无内容，下面却又写了内容",
            f"请删去第 {above.number + 1} 行的“{leftover}”",
        )
    if "'-'" in problem or "<block sequence start>" in problem:
        item = next((line for line in reversed(lines[: here.number]) if line.dash), None)
        if above.key and above.value_text and here.indent >= above.content:
            align = (
                f"请与第 {item.number + 1} 行的“- ”对齐（缩进 {item.indent} 个空格）"
                if item is not None and item.indent < here.indent
                else "请与该列表的“- ”对齐"
            )
            return _Found(
                here.number,
                here.indent,
                f"第 {above.number + 1} 行的{above.label}已经写了内容，下面不能再接列表项",
                f"如果{above.label}要写多项，请写成“{above.key}:”后换行，每项一行以“- ”开头；"
                f"如果这一项属于上面的列表，{align}",
            )
        if item is None:
            return None
        return _Found(
            here.number,
            here.indent,
            "这一行的“- ”与同一列表的其他项没有对齐",
            f"同一列表的各项“- ”要左对齐：请把这一行的缩进改为 {item.indent} 个空格"
            f"（与第 {item.number + 1} 行的“- ”对齐）",
        )
    if "block collection" in context and opened is not None and here.indent == opened.column:
        item = _sibling_item(lines, here)
        if item is not None and not here.dash:
            return _missing_dash(here, item)
    return _realign(lines, here)


def _sibling_item(lines: list[_Line], line: _Line) -> _Line | None:
    """The "- " item above ``line`` whose dash stands in ``line``'s column, if it has one."""
    for above in reversed(lines[: line.number]):
        if above.significant and above.indent <= line.indent:
            return above if above.dash and above.indent == line.indent else None
    return None


def _missing_dash(line: _Line, item: _Line) -> _Found:
    """``line`` stands where the "- " of ``item``, an item of the same list, stands."""
    field = f"与第 {item.number + 1} 行的{item.label}对齐" if item.key else "与上一项的内容对齐"
    return _Found(
        line.number,
        line.indent,
        f"这一行与第 {item.number + 1} 行列表项的“- ”对齐，却没有以“- ”开头",
        f"如果这是列表的新一项，请在开头加“- ”，写成：- {line.text.strip()}；"
        f"如果它属于上一项，请把缩进改为 {item.content} 个空格，{field}",
    )


def _realign(lines: list[_Line], here: _Line) -> _Found | None:
    """A line indented to no level above it: align it with the nearest level."""
    levels: list[_Line] = []
    for above in reversed(lines[: here.number]):
        if above.significant and (not levels or above.indent < levels[-1].indent):
            levels.append(above)
    if not levels:
        return None
    level = min(levels, key=lambda line: abs(line.content - here.indent))
    change = f"把缩进改为 {level.content} 个空格" if level.content else "删去这一行开头的空格"
    return _Found(
        here.number,
        here.indent,
        f"这一行的缩进（{here.indent} 个空格）与上面各行都对不齐",
        f"同一层的字段要左对齐：请{change}（与第 {level.number + 1} 行的{level.label}对齐）",
    )


_KEY_LINE = re.compile(
    r"(?P<lead>[ \u3000]*(?:-[ \u3000]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_]*) *(?P<colon>[:：])"
)
_SUSPECT_LINE = r"[ ]*(?:-[ ]+)*[A-Za-z_][A-Za-z0-9_]* *(?:：|:[^ \t\r\n])"
_KEY_LINE_SUSPECT = re.compile(
    r"(?:\A|(?<=[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]))" + _SUSPECT_LINE  # as str.splitlines
)
"""A line ``_key_line_problems`` may name, in a text without full-width spaces: a field name
followed by a full-width colon or by a colon and no blank."""
_KEY_LINE_SUSPECT_AFTER_NEWLINE = re.compile("^" + _SUSPECT_LINE, re.M)
"""The same, three times faster, for a text whose lines all end in ``\n`` (or ``\r\n``)."""
_RARE_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _suspect_line(text: str) -> re.Match[str] | None:
    lines_end_in_newline = not any(mark in text for mark in _RARE_LINE_BREAKS) and (
        "\r" not in text or "\r" not in text.replace("\r\n", "\n")
    )
    if lines_end_in_newline:
        return _KEY_LINE_SUSPECT_AFTER_NEWLINE.search(text)
    return _KEY_LINE_SUSPECT.search(text)


def _key_line_problems(path: Path, text: str) -> list[Problem]:
    """Field names after a full-width space, or followed by a full-width colon or a bare colon.

    ``heading：标题`` and ``heading:标题`` are one text to YAML, not a key and a value: at the top
    level PyYAML stops a line later, and as a list item (``- heading：标题``) the line is even read
    without complaint as the text "heading：标题". So the lines are checked before parsing: one that
    starts (after its indentation and any "- ") with the name of a field of any report kind
    followed by such a colon is an error at that line; so is a field name indented with the
    full-width space "　" that Chinese input methods type. Comments and the lines of a ``|``/``>``
    block are text and are left alone.
    """
    problems: list[Problem] = []
    if "\u3000" not in text and _suspect_line(text) is None:
        return problems  # no line could be one (the walk below is a Python loop over lines)
    block_parent: int | None = None  # indentation of the key that opened a | or > block
    last: _Line | None = None  # the line above, to suggest an indentation
    for number, text_line in enumerate(text.splitlines()):
        line = _Line.parse(number, text_line)
        if block_parent is not None:
            if not line.text.strip() or line.indent > block_parent:
                continue
            block_parent = None
        if not line.significant:
            continue
        above, last = last, line
        if _BLOCK_INDICATOR.fullmatch(line.value_text) and line.value_text:
            block_parent = line.content if line.key else line.indent
        match = _KEY_LINE.match(text_line)
        if match is None:
            continue
        key, lead, colon = match["key"], match["lead"], match.start("colon")
        after = text_line[match.end("colon") :]
        column = colon
        if "\u3000" in lead:
            message = "这一行开头有全角空格“　”"
            column = lead.index("\u3000")
        elif match["colon"] == "：":
            message = f"字段名“{key}”后面用了全角冒号“：”"
        elif after.startswith("\u3000"):
            message = f"字段名“{key}”的冒号后面是全角空格"
        elif after and after[0] not in " \t\r":
            message = f"字段名“{key}”的冒号后面缺少空格"
        else:
            continue
        # asked only now: the field names of every kind mean building every kind's models
        if key not in _field_names():
            continue
        indent = " " * _expected_indent(above)
        dashes = "- " * lead.count("-")
        value = after.strip(" \u3000")
        fixed = f"{dashes}{key}: {value}".rstrip()
        if "\u3000" in lead:
            hint = f"缩进只能用半角空格：请删去全角空格，用半角空格对齐，写成：{indent}{fixed}"
        else:
            space = "，并在冒号后加一个空格" if value else ""
            hint = f"请改用半角冒号“:”{space}，写成：{fixed}"
        problems.append(Problem(SourceLocation(path, number + 1, column + 1), message, hint=hint))
    return problems


def _expected_indent(above: _Line | None) -> int:
    """The indentation a field most likely has below ``above``: deeper after "key:" alone."""
    if above is None:
        return 0
    return above.content + 2 if above.key and not above.value_text else above.content


@cache
def _field_names() -> frozenset[str]:
    """Every field name of every report kind (the schemas are imported here, on first use, so
    that this module imports nothing that could import it back)."""
    from pydantic import BaseModel

    from schemas import KINDS

    names: set[str] = set()
    pending: list[Any] = [kind.model for kind in KINDS.values()]
    models: set[type[BaseModel]] = set()
    while pending:
        annotation = pending.pop()
        if typing.get_origin(annotation) is typing.Annotated:
            pending.append(typing.get_args(annotation)[0])  # not the metadata after it
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in models:
                models.add(annotation)
                names.update(annotation.model_fields)
                pending.extend(info.annotation for info in annotation.model_fields.values())
        else:
            pending.extend(typing.get_args(annotation))
    return frozenset(names)
