"""Stage 1 of the pipeline: read an input file into plain data, keeping where every value stood.

PyYAML's ``safe_load`` forgets line numbers and reads YAML 1.1 words such as ``no`` and ``on`` as
booleans and bare dates as dates. Staff type Chinese prose where those rules surprise, so we compose
the node tree ourselves and keep every scalar as the exact text that was typed (``null``/``~``/empty
become ``None``). Pydantic later turns text into numbers, booleans or dates only where a field asks
for one, so ``no`` in a text field stays ``no``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.encodings import decode_chinese, guess_encoding
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

_TRAILING_COMMENT = re.compile(r"^[ \t]+(?P<comment>#.*)$")

_YAML_PROBLEMS_ZH: tuple[tuple[str, str, str], ...] = (
    (
        "found character '\\t' that cannot start any token",
        "这里有 Tab 字符",
        "YAML 不能用 Tab 缩进，请全部改用空格。",
    ),
    (
        "found unexpected end of stream",
        "引号没有配对就到了文件末尾",
        "检查这一行开始的引号（\" 或 '）是否成对。",
    ),
    (
        "mapping values are not allowed here",
        "这里不能出现“冒号+空格”",
        "文字中含有“: ”时，请把整段文字用引号括起来，或改用中文冒号“：”。",
    ),
    (
        "expected ',' or ']', but got",
        "方括号 [ ] 没有正确闭合",
        "检查方括号是否成对，或把含方括号的文字用引号括起来。",
    ),
    (
        "expected ',' or '}', but got",
        "花括号 { } 没有正确闭合",
        "检查花括号是否成对，或把含花括号的文字用引号括起来。",
    ),
    (
        "could not find expected ':'",
        "缺少“字段名: 值”中的冒号",
        "每个字段写成“字段名: 值”，冒号后要有一个空格；多行文字请用“|”。",
    ),
    (
        "did not find expected key",
        "缩进不一致",
        "同一层的字段左边要对齐；列表项以“- ”开头。",
    ),
    (
        "did not find expected '-' indicator",
        "列表缩进不一致",
        "同一列表的各项“- ”要左对齐。",
    ),
    (
        "but found another document",
        "文件中有多个 YAML 文档（出现了“---”分隔）",
        "一个文件只写一份报告，请删除多余的“---”。",
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
    trailing_comments: dict[DataPath, tuple[SourceLocation, str]] = field(default_factory=dict)
    """Unquoted values followed by a ``#`` comment on their line: where the ``#`` is, and the
    comment; validation reports those that were text."""
    """Problems found while reading that do not stop validation: they are reported together with
    the schema's problems, so staff fix everything in one pass."""

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
        if self.check_event(yaml.AliasEvent):
            raise _AliasUsedError(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        node = super().compose_node(parent, index)
        assert node is not None  # the composer returns a node for every event it accepts
        return node


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
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        bad_line = raw[: error.start].count(b"\n") + 1
    text = decode_chinese(raw)
    if text is None:
        guess = guess_encoding(raw)
        raise InputError(
            file=path,
            problems=[
                Problem(
                    location=SourceLocation(path, bad_line),
                    message="文件不是 UTF-8 编码，也不是 GB18030（GBK）编码的中文"
                    + (f"（看起来是 {guess} 编码）" if guess else ""),
                    hint="请以“UTF-8”编码另存此文件（Excel：另存为“CSV UTF-8（逗号分隔）”）。",
                )
            ],
        )
    note = Problem(
        SourceLocation(path),
        "文件不是 UTF-8 编码，已按 GB18030（GBK）读取",
        hint="如有乱码，请以“UTF-8”编码另存此文件。",
    )
    return text, [note]


def load_source(path: Path) -> LoadedSource:
    """Read a YAML input file into plain data with locations; raise ``InputError`` on any problem."""
    text, notes = read_text(path)
    try:
        root = yaml.compose(text, Loader=_ComposingLoader)
    except _AliasUsedError as error:
        raise _single(
            path, error.mark, "不支持 YAML 锚点和别名（* 引用）", "请把内容直接写出来。"
        ) from None
    except yaml.MarkedYAMLError as error:
        raise _yaml_syntax_error(path, error) from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        location = SourceLocation(path, line, column)
        raise InputError(
            file=path, problems=[_control_character(location, int(error.character))]
        ) from None
    except yaml.YAMLError as error:
        raise _single(path, None, f"YAML 格式错误：{error}", "") from None
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
                "请去掉以“!”开头的标记，直接填写文字。",
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
        if node.style is None:
            self._note_trailing_comment(node, path)
        return self._convert_scalar(node)

    def _note_trailing_comment(self, node: yaml.ScalarNode, path: DataPath) -> None:
        """Remember a ``#`` comment on the line where a plain (unquoted) value ends.

        YAML ends an unquoted value at `` #``: ``1#楼已封顶，2 #楼完成主体结构`` keeps only
        ``1#楼已封顶，2``. Validation decides whether the value was text (then the rest of the
        sentence is lost and this is an error) or a number, date or choice (a harmless comment).
        """
        end = node.end_mark.index
        line_end = self.text.find("\n", end)
        rest = self.text[end : line_end if line_end >= 0 else len(self.text)]
        match = _TRAILING_COMMENT.match(rest)
        if match is None:
            return
        start = end + match.start("comment")
        line = self.text.count("\n", 0, start)
        column = start - (self.text.rfind("\n", 0, start) + 1)
        location = SourceLocation(self.path, line + 1, column + 1)
        self.trailing_comments[path] = (location, match["comment"].rstrip())

    def _convert_mapping(self, node: yaml.MappingNode, path: DataPath, *, depth: int) -> Any:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                self._problem(key_node.start_mark, "字段名必须是简单文字")
                continue
            key = str(key_node.value)
            if key in result:
                first = self.key_locations[(*path, key)]
                self._problem(
                    key_node.start_mark,
                    f"字段“{key}”重复出现（第一次在第 {first.line} 行）",
                    "同一层中每个字段只能写一次，请合并或删除其中一处。",
                )
                continue
            self.key_locations[(*path, key)] = self._location(key_node.start_mark)
            result[key] = self.convert(value_node, (*path, key), depth=depth + 1)
        return result

    def _convert_scalar(self, node: yaml.ScalarNode) -> str | None:
        value = str(node.value)
        if node.style is None and value in _NULL_WORDS:
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


def _yaml_syntax_error(path: Path, error: yaml.MarkedYAMLError) -> InputError:
    """Translate PyYAML's English syntax errors into a Chinese message with a fix."""
    problem = error.problem or ""
    # An unclosed quote or bracket is noticed at the end of the file; point where it opened.
    opened_earlier = "end of stream" in problem and error.context_mark is not None
    mark = error.context_mark if opened_earlier else (error.problem_mark or error.context_mark)
    message, hint = f"YAML 格式错误（{problem}）", "检查这一行及上一行的缩进、冒号和引号。"
    for english, chinese, chinese_hint in _YAML_PROBLEMS_ZH:
        if english in problem or english in str(error.context or ""):
            message, hint = f"YAML 格式错误：{chinese}", chinese_hint
    return _single(path, mark, message, hint)
