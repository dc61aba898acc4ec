"""Numbering: 一、二、/（一）（二）/1. 2./（1）（2）/一是、二是 in order, no gap, no repeat.

Each level counts on from its last number and starts again at 1 under a new number of a higher
level. The document's body is one run of numbers; every table cell is a run of its own. Numbers
are read where a reader sees them: at the start of a paragraph, and after the end of a sentence
inside one (``……。2.工作举措。一是……``); 一是 wherever it follows punctuation.

A gap (（一）（三）), a repeat (（二）（二）) or a number out of order at the start of a paragraph
is an error. In running text — 一是、二是 and numbers read after a sentence — the same is a
warning: such numbers are typed by hand and read from the words around them, and a warning does
not stop ``huibao build`` on a guess. A level skipped (``1.`` straight under ``一、``) and a run
started again at 1 without a new number above it are warnings: real reports do both on purpose
now and then. Numbering may continue under a new parent from the one before (``一、1. 2. 二、3.``),
as huibao prints ``continue_numbering``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.check_text import (
    ERROR,
    HAN,
    WARNING,
    CheckDocument,
    CheckParagraph,
    CheckTable,
    Finding,
    Severity,
)
from generator.import_text import leading_number, numeral_value
from generator.numbering import chinese_number

ITEM = 4
"""The level of 一是/二是, below the four heading levels (0 = 一、 … 3 = （1））."""
_INLINE_START = re.compile(r"[。；;！？|\n]\s*")
_DECIMAL_LIKE = re.compile(r"(?P<n>\d{1,3})[.．](?=\d)")
"""``1.1-6月`` or ``1.2月25日``: number 1 followed by text that starts with a digit, or 1.1?"""
_ITEM_MARK = re.compile(rf"(?<![{HAN}])(?P<n>[一二三四五六七八九十]{{1,3}})是(?!否)")


@dataclass(frozen=True)
class _Mark:
    paragraph: CheckParagraph
    offset: int
    level: int
    number: int
    typed: str
    first_item_in_paragraph: bool = False
    ambiguous: bool = False
    inline: bool = False
    """A heading number read inside running text (``……16公里。（2）主次干道``)."""
    """Read as a number only where it is the next one (``1.1-6月`` after ``3.``: not 1.1)."""


def label(level: int, number: int) -> str:
    """How huibao writes number ``number`` at ``level``: 一、（一）1.（1）一是."""
    if level == 0:
        return f"{chinese_number(number)}、"
    if level == 1:
        return f"（{chinese_number(number)}）"
    if level == 2:
        return f"{number}."
    if level == 3:
        return f"（{number}）"
    return f"{chinese_number(number)}是"


def check_numbering(document: CheckDocument) -> list[Finding]:
    """Every gap, repeat, disorder, restart and skipped level of the document's numbering."""
    findings: list[Finding] = []
    body: list[CheckParagraph] = []
    for block in document.blocks:
        if isinstance(block, CheckTable):
            for row in block.rows:
                for cell in row:
                    found = marks(cell)
                    if found:  # most cells show no number at all
                        findings.extend(_Run().read_marks(found))
        else:
            body.append(block)
    findings.extend(_Run().read(body))
    return findings


_NUMBER_WINDOW = 64
_NUMBER_STARTS = frozenset("一二三四五六七八九十百零〇（(")


def marks(paragraph: CheckParagraph) -> list[_Mark]:
    """The numbers a paragraph shows, in order: heading numbers and 一是 items."""
    text = paragraph.text
    found: list[_Mark] = []
    starts = [0] + [match.end() for match in _INLINE_START.finditer(text)]
    for start in starts:
        opening = text[start : start + 1]
        if not (opening.isdigit() or opening in _NUMBER_STARTS):
            continue  # every heading number starts with a digit, a Chinese numeral or a bracket
        # a window, not the rest of the text: a heading number is a few characters long, and
        # copying the rest at every 一是 made long paragraphs quadratic
        window = text[start : start + _NUMBER_WINDOW]
        number = leading_number(window)
        has_rest = number is not None and (
            bool(number.rest) or bool(text[start + _NUMBER_WINDOW :].strip())
        )
        before = start
        while before > 0 and text[before - 1] in " \t\u3000":
            before -= 1
        inline = before > 0 and text[before - 1] != "\n"
        if number is not None and has_rest:
            found.append(
                _Mark(paragraph, start, number.level, number.number, number.typed, inline=inline)
            )
        elif (decimal := _DECIMAL_LIKE.match(text, start)) is not None:
            found.append(
                _Mark(
                    paragraph,
                    start,
                    2,
                    int(decimal["n"]),
                    decimal[0],
                    ambiguous=True,
                    inline=inline,
                )
            )
    first = True
    for match in _ITEM_MARK.finditer(text) if "是" in text else ():
        item = numeral_value(match["n"])
        if item is None:
            continue
        found.append(
            _Mark(paragraph, match.start(), ITEM, item, match[0], first_item_in_paragraph=first)
        )
        first = False
    return sorted(found, key=lambda mark: mark.offset)


@dataclass
class _Run:
    """The state of one run of numbers: the last number at each heading level, the 一是 runs."""

    last: dict[int, int] = field(default_factory=dict)
    ended: dict[int, int] = field(default_factory=dict)
    """The last number of each level under the parent before: numbering may continue from it
    under the next parent (``一、1. 2. 二、3.``), as ``continue_numbering`` prints it."""
    levels_seen: set[int] = field(default_factory=set)
    items: list[int] = field(default_factory=list)
    """The 一是 runs open, innermost last: each holds the last number given."""
    findings: list[Finding] = field(default_factory=list)

    def read(self, paragraphs: list[CheckParagraph]) -> list[Finding]:
        for paragraph in paragraphs:
            self.read_marks(marks(paragraph))
        return self.findings

    def read_marks(self, found: list[_Mark]) -> list[Finding]:
        for mark in found:
            if mark.level == ITEM:
                self._item(mark)
            else:
                self._heading(mark)
        return self.findings

    def _add(self, severity: Severity, rule: str, mark: _Mark, message: str, hint: str) -> None:
        paragraph = mark.paragraph
        if mark.inline or mark.level == ITEM:
            severity = WARNING
        self.findings.append(
            Finding(
                severity,
                "numbering",
                rule,
                paragraph.place_at(mark.offset),
                message,
                paragraph.context(mark.offset, mark.offset + len(mark.typed)),
                hint=hint,
            )
        )

    def _heading(self, mark: _Mark) -> None:
        level, number = mark.level, mark.number
        previous = self.last.get(level)
        if mark.ambiguous and number not in (1, (previous or 0) + 1):
            return
        top = min(self.levels_seen | {level})
        if previous is None:
            if number not in (1, self.ended.get(level, -1) + 1):
                self._add(
                    ERROR,
                    "numbering-gap",
                    mark,
                    f"编号从“{mark.typed}”开始，前面缺少“{label(level, 1)}”",
                    "请核对编号：是漏了前面的一项，还是编号写错了。",
                )
            parents = [seen for seen in self.last if seen < level]
            if parents and max(parents) < level - 1:
                self._add(
                    WARNING,
                    "numbering-skipped-level",
                    mark,
                    f"“{mark.typed}”直接排在“{label(max(parents), self.last[max(parents)])}”之下，"
                    f"跳过了“{label(level - 1, 1)}”这一级",
                    "公文的层次依次是 一、（一）1.（1）；如果是有意跳过，可以不理会。",
                )
        elif number == previous + 1:
            pass
        elif number == 1:
            if level > top:
                self._add(
                    WARNING,
                    "numbering-restart",
                    mark,
                    f"编号“{mark.typed}”重新从 1 开始，但它的上一级没有新的编号",
                    "请核对：是漏了上一级的编号，还是这里应接着前面编号。",
                )
        elif number == previous:
            self._add(
                ERROR,
                "numbering-repeat",
                mark,
                f"编号“{mark.typed}”重复了",
                f"前一个同级编号也是“{label(level, previous)}”，这里应为“{label(level, previous + 1)}”。",
            )
        elif number > previous + 1:
            missing = "、".join(
                f"“{label(level, each)}”" for each in range(previous + 1, min(number, previous + 4))
            )
            self._add(
                ERROR,
                "numbering-gap",
                mark,
                f"编号“{mark.typed}”之前缺少{missing}",
                f"前一个同级编号是“{label(level, previous)}”。",
            )
        else:
            self._add(
                ERROR,
                "numbering-order",
                mark,
                f"编号“{mark.typed}”排在“{label(level, previous)}”之后，顺序不对",
                f"这里应为“{label(level, previous + 1)}”。",
            )
        self.ended.update({seen: value for seen, value in self.last.items() if seen > level})
        self.last = {seen: value for seen, value in self.last.items() if seen < level}
        self.last[level] = number
        self.levels_seen.add(level)
        self.items = []

    def _item(self, mark: _Mark) -> None:
        number = mark.number
        if number == 1:
            if mark.first_item_in_paragraph:
                self.items = []
            self.items.append(1)
            return
        for depth in range(len(self.items) - 1, -1, -1):
            if self.items[depth] + 1 == number:
                del self.items[depth + 1 :]
                self.items[depth] = number
                return
        if not self.items:
            self._add(
                ERROR,
                "numbering-gap",
                mark,
                f"“{mark.typed}”前面没有“一是”",
                "请核对：是漏了前面的一项，还是编号写错了。",
            )
            self.items.append(number)
            return
        previous = self.items[-1]
        if number == previous:
            rule, message = "numbering-repeat", f"“{mark.typed}”重复了"
        elif number > previous:
            missing = "、".join(
                f"“{label(ITEM, each)}”" for each in range(previous + 1, min(number, previous + 4))
            )
            rule, message = "numbering-gap", f"“{mark.typed}”之前缺少{missing}"
        else:
            rule, message = (
                "numbering-order",
                f"“{mark.typed}”排在“{label(ITEM, previous)}”之后，顺序不对",
            )
        self._add(
            ERROR,
            rule,
            mark,
            message,
            f"前一项是“{label(ITEM, previous)}”，这里应为“{label(ITEM, previous + 1)}”。",
        )
        self.items[-1] = number
