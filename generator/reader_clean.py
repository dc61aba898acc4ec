"""What the import reader removes from every paragraph it reads, because it is surely noise.

Only deletions, and only of what a reader of the document cannot see or would never type:

- invisible characters: zero-width ones (U+200B–U+200D, U+2060, U+FEFF inside text), the soft
  hyphen U+00AD and control characters other than tab and line break (copied from web pages
  and PDFs; Word cannot even save them);
- spaces at the start of a paragraph (indentation typed as spaces, 　　 full-width ones
  included) and at its end;
- one space between a number and a Chinese character or unit sign (``473 亿元``, ``共 12 个``,
  ``82.4 %``), which PDF conversions and some web editors put there. Kept: two or more spaces
  (someone aligned something); a space between two digits (``1 220`` may be a thousands
  separator or two numbers: not surely noise); a space next to punctuation (``。 3.``); a space
  after a date, time or code (``2021-06-17 信息来源``, ``PM2.5 浓度``), where it separates.

Punctuation and wording are never changed: whether ``,`` becomes ``，`` is the importer's call.
Each kind of deletion is counted so that the draft can say what was done (``notes``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from generator.reading import Alignment, ReadParagraph

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00ad]")
"""Zero-width characters, the soft hyphen and control characters other than tab and line break."""
_INDENT = frozenset(" \t\u3000\u00a0\n")
_NUMBER_SPACE = re.compile(r"(?<=[0-9])[ \u00a0](?=[^ \u00a0])|(?<=[^ \u00a0])[ \u00a0](?=[0-9])")
_UNIT_SIGNS = frozenset("%‰℃°㎡㎞㎏")
_KEEP_NUMBER_SPACES: ContextVar[bool] = ContextVar("keep_number_spaces", default=False)


@contextmanager
def keeping_number_spaces() -> Iterator[None]:
    """Read with the spaces between numbers and words kept: ``huibao check`` reports them."""
    token = _KEEP_NUMBER_SPACES.set(True)
    try:
        yield
    finally:
        _KEEP_NUMBER_SPACES.reset(token)


def _hanzi(char: str) -> bool:
    """A Chinese character (or a unit sign set like one): what a number's unit is written in."""
    code = ord(char)
    return (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or char in _UNIT_SIGNS
    )


def _plain_number(text: str, start: int, end: int) -> bool:
    """Whether the digits at ``text[start:end]`` are a number, not part of a date or code."""
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".,"):
        start -= 1
    while end < len(text) and (text[end].isdigit() or text[end] in ".,"):
        end += 1
    outside = text[start - 1 : start] + text[end : end + 1]
    return not any(char in "-/:：" or (char.isascii() and char.isalpha()) for char in outside)


class Normaliser:
    """Cleans paragraph texts and remembers what it removed, for the notes of the draft."""

    def __init__(self) -> None:
        self.number_spaces = 0
        self.number_space_examples: list[str] = []
        self.zero_width = 0
        self.indented = 0

    def paragraph(
        self,
        segments: Sequence[tuple[str, bool]],
        *,
        number: str = "",
        suffix: str = "",
        style: str = "",
        alignment: Alignment = "",
        outline_level: int | None = None,
    ) -> ReadParagraph | None:
        """One paragraph from its pieces of text (each with whether it is bold), cleaned.

        ``number``/``suffix`` are an automatic number and what follows it (tab, space); they
        are put before the text as Word shows them. ``None`` for a paragraph that shows
        nothing. ``bold_prefix`` is the leading bold part (whitespace between bold pieces does
        not end it), with the number in front, so that it is always a prefix of ``text``.
        """
        chars: list[str] = []
        bold: list[bool] = []
        for text, is_bold in segments:
            chars.extend(text)
            bold.extend([is_bold] * len(text))
        body, mask = self._clean(chars, bold)
        if not body and not number:
            return None
        prefix_end = 0
        for index, char in enumerate(body):
            if not mask[index] and not char.isspace():
                break
            prefix_end = index + 1
        bold_body = body[:prefix_end].rstrip()
        head = number + suffix if number else ""
        text = (head + body).rstrip() if body else number
        return ReadParagraph(
            text=text,
            style=style,
            number=number,
            bold_prefix=head + bold_body if bold_body else "",
            alignment=alignment,
            outline_level=outline_level,
        )

    def line(self, text: str) -> str:
        """A paragraph of plain text (a .txt line, an HTML table cell), cleaned."""
        body, _ = self._clean(list(text), [False] * len(text))
        return body

    def _clean(self, chars: list[str], bold: list[bool]) -> tuple[str, list[bool]]:
        """Delete the noise from a paragraph's characters, keeping each one's bold flag."""
        whole = "".join(chars)
        dropped = {match.start() for match in _INVISIBLE.finditer(whole)}
        self.zero_width += len(dropped)
        start = 0
        while start < len(chars) and (chars[start] in _INDENT or start in dropped):
            start += 1
        end = len(chars)
        while end > start and (chars[end - 1] in _INDENT or end - 1 in dropped):
            end -= 1
        if start < end and any(chars[index] in _INDENT for index in range(start)):
            self.indented += 1
        visible = [index for index in range(start, end) if index not in dropped]
        text = "".join(chars[index] for index in visible)
        spaces = () if _KEEP_NUMBER_SPACES.get() else _NUMBER_SPACE.finditer(text)
        for match in spaces:
            space = match.start()
            before, after = text[space - 1], text[space + 1]
            if (before.isdigit() and _hanzi(after) and _plain_number(text, space - 1, space)) or (
                _hanzi(before) and after.isdigit() and _plain_number(text, space + 1, space + 2)
            ):
                dropped.add(visible[space])
                self.number_spaces += 1
                if len(self.number_space_examples) < 3:
                    self.number_space_examples.append(_example(text, space))
        kept = [index for index in visible if index not in dropped]
        return "".join(chars[index] for index in kept), [bold[index] for index in kept]

    def notes(self) -> list[str]:
        """Chinese sentences saying what was removed, for the draft's comments."""
        notes = []
        if self.number_spaces:
            examples = "、".join(
                f"“{example}”→“{example.replace(' ', '').replace(chr(0xA0), '')}”"
                for example in self.number_space_examples
            )
            notes.append(f"数字与文字之间的空格已删去（{self.number_spaces} 处，如 {examples}）")
        if self.zero_width:
            notes.append(f"已删去 {self.zero_width} 个看不见的字符（零宽字符、控制字符）")
        if self.indented:
            notes.append(f"段首用空格做的缩进已删去（{self.indented} 段）")
        return notes


def _example(text: str, space: int) -> str:
    """The number and the words beside one removed space: ``473 亿元``, ``完成 473``."""
    if text[space - 1].isdigit():
        start = space
        while start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".,"):
            start -= 1
        return text[start : space + 3]
    end = space + 1
    while end < len(text) and (text[end].isdigit() or text[end] in ".,"):
        end += 1
    return text[max(0, space - 2) : end]
