"""Writing an imported draft as YAML staff can read: block scalars for paragraphs and long texts,
quotes only where YAML needs them, and comments where the reader was unsure.

PyYAML's dumper cannot write comments and chooses its own styles, so the draft is written here,
line by line, with scalar styles that huibao's own loader reads back exactly (a test loads every
draft back and compares).
"""

from __future__ import annotations

import re
from typing import Any

from schemas.base import DataPath

_PARAGRAPH_KEYS = frozenset({"opening", "text", "closing"})
"""Keys whose list value is paragraphs: written as one block, a paragraph a line."""
_BLOCK_FROM = 60
"""A one-paragraph text longer than this is written as a ``|-`` block on a line of its own."""
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_UNSAFE_IN_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")
_KEY_LIKE = re.compile(r"^[A-Za-z_][A-Za-z_0-9]*\s*[:：]")


def plain_is_safe(text: str) -> bool:
    """Whether ``text`` reads back unchanged as a plain (unquoted) YAML scalar."""
    return not (
        text in _NULL_WORDS
        or text != text.strip()
        or text[0] in _INDICATORS
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or "\n" in text
        or "\t" in text
        or _UNSAFE_IN_BLOCK.search(text)
        or _KEY_LIKE.match(text)
        or text.lower() in {"true", "false", "yes", "no", "on", "off"}
        or text in {"=", "<<"}  # YAML 1.1's value and merge keys
    )


def quoted(text: str) -> str:
    """``text`` in YAML double quotes, escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(
        "[\x00-\x1f\x7f\x85\u2028\u2029\ufeff]",
        lambda match: {"\n": "\\n", "\t": "\\t"}.get(match[0], f"\\u{ord(match[0]):04x}"),
        escaped,
    )
    return f'"{escaped}"'


def _block_is_safe(lines: list[str]) -> bool:
    return all(
        line and line == line.strip() and not _UNSAFE_IN_BLOCK.search(line) for line in lines
    )


def scalar(value: Any) -> str:
    """A one-line scalar: plain where safe, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return text if plain_is_safe(text) else quoted(text)


def draft_yaml(data: dict[str, Any], comments: dict[DataPath, list[str]], header: list[str]) -> str:
    """The YAML text of a draft: ``header`` comment lines, then the data with its comments."""
    lines = [f"# {line}" if line else "#" for line in header]
    if lines:
        lines.append("")
    lines += _mapping(data, (), 0, comments)
    return "\n".join(lines) + "\n"


def _comment_lines(comments: dict[DataPath, list[str]], path: DataPath, indent: int) -> list[str]:
    return [f"{' ' * indent}# {line}" for line in comments.get(path, [])]


def _mapping(
    data: dict[str, Any],
    path: DataPath,
    indent: int,
    comments: dict[DataPath, list[str]],
    *,
    skip_first_comments: bool = False,
) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for number, (key, value) in enumerate(data.items()):
        here = (*path, key)
        if not (skip_first_comments and number == 0):
            lines += _comment_lines(comments, here, indent)
        name = scalar(key)
        lines += _entry(f"{pad}{name}:", value, here, indent, comments, key=key)
    return lines


def _entry(
    lead: str,
    value: Any,
    path: DataPath,
    indent: int,
    comments: dict[DataPath, list[str]],
    *,
    key: str | int,
) -> list[str]:
    """``lead`` (``key:`` or ``-``) and its value, on as many lines as it needs."""
    inner = " " * (indent + 2)
    if value is None:
        return [lead]
    if isinstance(value, dict):
        if not value:
            return [f"{lead} {{}}"]
        return [lead, *_mapping(value, path, indent + 2, comments)]
    if isinstance(value, list):
        if not value:
            return [f"{lead} []"]
        if key in _PARAGRAPH_KEYS and all(isinstance(each, str) for each in value):
            paragraphs = [str(each) for each in value]
            if len(paragraphs) == 1 and len(paragraphs[0]) <= _BLOCK_FROM:
                return [f"{lead} {scalar(paragraphs[0])}"]  # one short paragraph: one line
            if _block_is_safe(paragraphs):
                return [f"{lead} |-", *(f"{inner}{each}" for each in paragraphs)]
        return [lead, *_sequence(value, path, indent, comments)]
    if isinstance(value, str) and ("\n" in value or len(value) > _BLOCK_FROM):
        block = value.split("\n")
        if _block_is_safe(block):
            return [f"{lead} |-", *(f"{inner}{line}" for line in block)]
    return [f"{lead} {scalar(value)}"]


def _sequence(
    values: list[Any], path: DataPath, indent: int, comments: dict[DataPath, list[str]]
) -> list[str]:
    """List entries at ``indent`` + 2, each after its own comments (a mapping's first key's
    comments go before the dash, where YAML can hold them)."""
    lines: list[str] = []
    pad = " " * (indent + 2)
    for index, value in enumerate(values):
        here = (*path, index)
        lines += _comment_lines(comments, here, indent + 2)
        if isinstance(value, dict) and value:
            first = next(iter(value))
            lines += _comment_lines(comments, (*here, first), indent + 2)
            body = _mapping(value, here, indent + 4, comments, skip_first_comments=True)
            lines.append(f"{pad}- {body[0].lstrip()}")
            lines += body[1:]
        else:
            lines += _entry(f"{pad}-", value, here, indent + 2, comments, key=index)
    return lines
