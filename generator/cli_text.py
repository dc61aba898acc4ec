"""The words typer and click put around huibao's own help and messages, in Chinese.

Why here, and this way: typer 0.29 runs its own copy of click (``typer._click``) from which gettext
has been removed. "Usage:", "Try 'huibao build -h' for help.", "No such option: --x" and "Got
unexpected extra argument(s) (…)" are plain f-strings there; only a few words in ``typer/core.py``
("Options", "Missing command.") still pass through ``gettext``. A gettext catalogue would reach only
those few (and only with a compiled .mo file and a Chinese ``LANGUAGE`` setting), and patching the
libraries' modules would break silently on an upgrade. Everything the frame shows, however, leaves
through two doors that click lets an application replace: help pages and usage lines are written by
the context's ``formatter_class`` (``ChineseHelpFormatter`` below), and a usage error is an
exception whose ``show()`` prints it (``cli.py`` re-raises it as its own error with a Chinese
``show``). Both doors take their words from ``FRAME_TEXTS``, one table of click's English texts and
their Chinese, so adding a word is adding a row. ``tests/test_messages.py`` runs every kind of bad
command line and help page and fails if any English word is left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from rich.cells import cell_len
from typer._click.formatting import HelpFormatter

FRAME_TEXTS: tuple[tuple[str, str], ...] = (
    # Help pages: usage line, section headings, the help option, notes after an option's help.
    ("Usage: ", "用法："),
    ("[OPTIONS]", "[选项]"),
    ("COMMAND [ARGS]...", "命令 [参数]..."),
    ("Arguments", "参数"),
    ("Options", "选项"),
    ("Commands", "命令"),
    ("Show this message and exit.", "显示本帮助后退出。"),
    ("required", "必填"),
    ("default: {default}", "默认：{default}"),
    ("env var: {var}", "环境变量：{var}"),
    ("(dynamic)", "（动态）"),
    ("<path>", "<路径>"),
    ("<list[Path]>", "<路径>"),
    ("<file>", "<文件>"),
    ("<dir>", "<文件夹>"),
    ("<str>", "<文字>"),
    ("<int>", "<整数>"),
    ("<float>", "<数>"),
    # Usage errors, as click and typer word them; {placeholders} stand for what the user typed.
    ("Try '{command} {option}' for help.", "运行“{command} {option}”查看用法。"),
    ("Missing command.", "缺少命令：请在 huibao 后面写出要做的事，如 build。"),
    ("Missing argument '{name}'.", "缺少参数 {name}：请在命令后面写出。"),
    ("Missing option '{name}'.", "缺少选项 {name}。"),
    ("Missing parameter '{name}'.", "缺少参数 {name}。"),
    (
        "No such command '{name}'. Did you mean {suggestions}?",
        "没有“{name}”这个命令。是否想写{suggestions}？",
    ),
    ("No such command '{name}'.", "没有“{name}”这个命令。"),
    (
        "No such option: {name} (Possible options: {suggestions})",
        "没有 {name} 这个选项。是否想写{suggestions}？",
    ),
    ("No such option: {name}", "没有 {name} 这个选项。"),
    ("Option '{name}' requires an argument.", "选项 {name} 后面缺少要填的内容。"),
    ("Option '{name}' requires {count} arguments.", "选项 {name} 后面要写 {count} 项内容。"),
    (
        "Option '{name}' does not take a value.",
        "选项 {name} 后面不能带内容（去掉“=”及其后的文字）。",
    ),
    ("Argument '{name}' takes {count} values.", "参数 {name} 要写 {count} 项内容。"),
    (
        "Got unexpected extra argument(s) ({arguments})",
        "多出了参数“{arguments}”。文件名中有空格时，请把整个文件名用英文引号括起来。",
    ),
    ("Invalid value for {params}: {message}", "{params}填写有误：{message}"),
    ("Invalid value: {message}", "填写有误：{message}"),
    ("path '{path}' does not exist.", "路径“{path}”不存在。"),
    ("file '{path}' does not exist.", "文件“{path}”不存在。"),
    ("dir '{path}' does not exist.", "文件夹“{path}”不存在。"),
    ("path '{path}' is a file.", "“{path}”是文件，这里应是文件夹。"),
    ("file '{path}' is a directory.", "“{path}”是文件夹，这里应是文件。"),
    ("path '{path}' is a directory.", "“{path}”是文件夹，这里应是文件。"),
    ("file '{path}' is not readable.", "没有读取“{path}”的权限。"),
    ("file '{path}' is not writable.", "没有写入“{path}”的权限。"),
    ("dir '{path}' is not writable.", "没有写入文件夹“{path}”的权限。"),
)
"""click's English texts (``{name}`` stands for a part that varies) and the Chinese shown instead."""

_LISTS = frozenset({"suggestions", "params"})
"""Placeholders holding a list of names ("'build', 'new'"), shown as “build”或“new”."""
_NESTED = frozenset({"message"})
"""Placeholders holding another text of the frame, translated in turn."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for english, chinese in FRAME_TEXTS:
        pattern, position = "", 0
        for slot in _PLACEHOLDER.finditer(english):
            pattern += re.escape(english[position : slot.start()]) + f"(?P<{slot[1]}>.+?)"
            position = slot.end()
        pattern += re.escape(english[position:])
        compiled.append((re.compile(pattern, re.DOTALL), chinese))
    return tuple(compiled)


def translate(text: str) -> str | None:
    """The Chinese for one whole text of the frame, or ``None`` when the table does not know it."""
    for pattern, chinese in _patterns():
        match = pattern.fullmatch(text)
        if match:
            values = {name: _value(name, value) for name, value in match.groupdict().items()}
            return chinese.format_map(values)
    return None


def frame_text(english: str, **values: str) -> str:
    """The Chinese of a table row that huibao fills in itself (such as the usage prefix)."""
    for row_english, chinese in FRAME_TEXTS:
        if row_english == english:
            return chinese.format_map(values)
    raise KeyError(english)  # a bug: every text huibao asks for is in the table


def _value(name: str, value: str) -> str:
    if name in _LISTS:
        return _name_list(value, "或" if name == "suggestions" else " / ")
    if name in _NESTED:
        return translate(value) or value
    return value


def _name_list(text: str, joiner: str) -> str:
    names = re.findall(r"'([^']*)'", text) or [name.strip() for name in re.split(r"[,/]", text)]
    return joiner.join(f"“{name}”" for name in names)


_NOTES = re.compile(r"(?P<help>.*?)(?: {2})?\[(?P<notes>[^\[\]]*)\]", re.DOTALL)
_TYPE_LABEL = re.compile(r"<[^<>]+>")
_TOKEN = re.compile(r"[!-~]+|.", re.DOTALL)  # a run of ASCII letters and signs, or one character
_NO_LINE_START = frozenset("，。、；：？！）》」』”’")


class ChineseHelpFormatter(HelpFormatter):
    """click's help formatter with the frame's words from ``FRAME_TEXTS``, laid out by display width.

    click measures text in characters; a Chinese character takes two columns of a terminal, so
    click's own layout would misalign the option list and run lines past the window's edge.
    """

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, frame_text("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{translate(heading) or heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for paragraph in text.splitlines():
            for line in _wrap(paragraph, min(self.width, _TEXT_WIDTH) - self.current_indent):
                self.write(f"{indent}{line}\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = [(_term(term), _definition(definition)) for term, definition in rows]
        first = min(max((cell_len(term) for term, _ in rows), default=0), col_max)
        text_column = self.current_indent + first + col_spacing
        for term, definition in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not definition:
                self.write("\n")
                continue
            if cell_len(term) <= first:
                self.write(" " * (first + col_spacing - cell_len(term)))
            else:
                self.write("\n" + " " * text_column)
            lines = _wrap(definition, max(min(self.width, _TEXT_WIDTH) - text_column, 10))
            self.write("\n".join([lines[0], *(" " * text_column + line for line in lines[1:])]))
            self.write("\n")


_TEXT_WIDTH = 78
"""Help lines end by column 78, so that a closing mark hanging past the end stays within 80."""


def _wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns, never inside an ASCII word."""
    lines = [""]
    for token in _TOKEN.findall(text):
        fits = cell_len(lines[-1]) + cell_len(token) <= width
        if fits or not lines[-1].strip() or token in _NO_LINE_START:
            lines[-1] += token
        elif not token.isspace():
            lines.append(token)
    return [line.rstrip() for line in lines]


def _term(term: str) -> str:
    """``-o, --output <path>`` → ``-o, --output <路径>``."""
    return _TYPE_LABEL.sub(lambda label: translate(label[0]) or label[0], term)


def _definition(text: str) -> str:
    """An option's help, with click's ``[default: …; required]`` notes after it translated."""
    match = _NOTES.fullmatch(text)
    if match is None:
        return translate(text) or text
    notes = "；".join(translate(note) or note for note in match["notes"].split("; "))
    help_text = translate(match["help"]) or match["help"]
    return f"{help_text}  [{notes}]" if help_text else f"[{notes}]"
