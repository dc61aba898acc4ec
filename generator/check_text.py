"""What ``huibao check`` reads and what it reports: the text model shared by every check.

A report under check is a ``CheckDocument``: its paragraphs and tables in reading order, each
paragraph's text with the places it came from (a paragraph of a Word file, a line of a text
file, a field of our own YAML or workbook input), and the year the report is about. Every check
(``check_rates``, ``check_totals``, ``check_numbering``, ``check_stale``, ``check_punctuation``)
reads this model and returns ``Finding``s; none of them knows where the text came from.

Also here: the pieces of reading several checks share — sentences, and the quantities a text
states (``85个``, ``1.2万平方米``, ``20亿元``) with their units and what stands around them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from generator.stated_rates import FULL_WIDTH_DIGITS

Severity = Literal["错误", "警告"]
ERROR: Severity = "错误"
WARNING: Severity = "警告"

CATEGORIES = {
    "rate": "比率",
    "total": "合计",
    "numbering": "编号",
    "stale": "陈旧内容",
    "punctuation": "标点和数字",
}
"""The five kinds of check, by the stable English key the JSON output uses."""


@dataclass(frozen=True)
class Place:
    """Where a finding is, as staff find it in their own file.

    Our input: ``line`` (YAML) or ``cell`` (``指标!C7``) and the field's label. A document: the
    paragraph's number in reading order, or the table and its row and column; a text file: the
    line.
    """

    file: Path
    line: int | None = None
    cell: str | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    field: str = ""

    def __str__(self) -> str:
        text = self.file.name
        if self.cell is not None:
            text += f":{self.cell}"
        elif self.line is not None:
            text += f":{self.line}"
        if self.table is not None:
            text += f" 表{self.table}第{self.row}行第{self.column}列"
        elif self.paragraph is not None:
            text += f" 第{self.paragraph}段"
        return text


@dataclass(frozen=True)
class Finding:
    """One thing a check found: how serious, where, what is wrong and, if any, the computation.

    ``category`` is one of ``CATEGORIES``; ``rule`` names the precise rule (stable, documented in
    docs/check.md); ``context`` quotes the text around the place; ``computed`` shows the
    arithmetic (``70 ÷ 85 = 82.35%，应为 82.4%``).
    """

    severity: Severity
    category: str
    rule: str
    place: Place
    message: str
    context: str = ""
    computed: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Span:
    """From ``start`` on, a paragraph's text comes from ``place``."""

    start: int
    place: Place


@dataclass(frozen=True)
class CheckParagraph:
    """A paragraph (or a table cell) as displayed, with where each stretch of it came from."""

    text: str
    spans: tuple[Span, ...]

    def place_at(self, offset: int) -> Place:
        starts = [span.start for span in self.spans]
        index = max(bisect.bisect_right(starts, offset) - 1, 0)
        return self.spans[index].place

    def context(self, start: int, end: int | None = None, *, width: int = 14) -> str:
        """The text around ``start``–``end``, cut with …… where the paragraph goes on."""
        end = start + 1 if end is None else end
        low, high = max(0, start - width), min(len(self.text), end + width)
        text = self.text[low:high].replace("\n", " ")
        return ("……" if low > 0 else "") + text + ("……" if high < len(self.text) else "")


@dataclass(frozen=True)
class CheckTable:
    """A table: its rows, each the cells that start in it, left to right."""

    rows: tuple[tuple[CheckParagraph, ...], ...]


Block = CheckParagraph | CheckTable


@dataclass(frozen=True)
class CheckDocument:
    """A report as every check reads it; ``year`` is the year it reports on, if known."""

    file: Path
    blocks: tuple[Block, ...]
    year: int | None = None
    notes: tuple[str, ...] = field(default=())

    def paragraphs(self) -> Iterator[CheckParagraph]:
        """Every paragraph, those of table cells included, in reading order."""
        for block in self.blocks:
            if isinstance(block, CheckTable):
                for row in block.rows:
                    yield from row
            else:
                yield block


def row_text(row: tuple[CheckParagraph, ...]) -> CheckParagraph:
    """A table row read as one text (cells joined by `` | ``), for checks whose scope is a row."""
    text = ""
    spans: list[Span] = []
    for index, cell in enumerate(row):
        if index:
            text += " | "
        spans.extend(Span(len(text) + span.start, span.place) for span in cell.spans)
        text += cell.text
    return CheckParagraph(text, tuple(spans) or (Span(0, Place(Path())),))


# --- reading helpers ---------------------------------------------------------------------------

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{HAN}]")
SENTENCE_ENDS = "。！？"
_SENTENCE_END = re.compile("[。！？|]")


_FULL_WIDTH_DIGIT = re.compile("[０-９]")


def plain_digits(text: str) -> str:
    """``text`` with full-width digits as ASCII digits (the text itself when it has none: most
    paragraphs, and ``str.translate`` is slow on Chinese text)."""
    return text.translate(FULL_WIDTH_DIGITS) if _FULL_WIDTH_DIGIT.search(text) else text


def is_han(char: str) -> bool:
    return bool(char) and _HAN_CHAR.match(char) is not None


@lru_cache(maxsize=1024)
def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: up to and including 。！？ (a ``|`` cell edge ends one too).

    Cached, as are ``bracket_chains`` and ``quantities``: the rate and total checks read the same
    paragraph (the lists returned are shared: never change them)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        index = match.start()
        if text[start : index + 1].strip(" |"):
            bounds.append((start, index + 1))
        start = index + 1
    if text[start:].strip(" |"):
        bounds.append((start, len(text)))
    return bounds


_OPENING = "(（[【"
_CLOSING = ")）]】"
_BRACKET = re.compile("[(（[【)）\\]】]")


@lru_cache(maxsize=1024)
def bracket_chains(text: str) -> list[tuple[int, ...]]:
    """For each character, the brackets it stands in, outermost first (their opening indices).

    A bracket of either width closes one of either width; an unmatched closing bracket is ignored.
    """
    chains: list[tuple[int, ...]] = []
    stack: tuple[int, ...] = ()
    position = 0
    for match in _BRACKET.finditer(text):
        index = match.start()
        chains.extend([stack] * (index - position))
        if match[0] in _CLOSING and stack:
            stack = stack[:-1]
            chains.append(stack)
        else:
            chains.append(stack)
            if match[0] in _OPENING:
                stack = (*stack, index)
        position = index + 1
    chains.extend([stack] * (len(text) - position))
    return chains


def within(inner: tuple[int, ...], outer: tuple[int, ...]) -> bool:
    """Whether brackets ``inner`` stand inside (or are) brackets ``outer``."""
    return inner[: len(outer)] == outer


# --- quantities ---------------------------------------------------------------------------------

_MAGNITUDES = {"万亿": 10**12, "亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, "千": 10**3}
_UNITS = sorted(
    [
        "平方公里",
        "平方千米",
        "平方米",
        "立方米",
        "万吨",
        "公里",
        "千米",
        "公顷",
        "千瓦时",
        "千瓦",
        "米",
        "亩",
        "吨",
        "元",
        "个月",
        "个",
        "项",
        "家",
        "户",
        "套",
        "间",
        "座",
        "处",
        "条",
        "台",
        "辆",
        "人次",
        "人",
        "名",
        "位",
        "件",
        "次",
        "起",
        "宗",
        "份",
        "所",
        "栋",
        "幢",
        "批",
        "场次",
        "场",
        "期",
        "类",
        "种",
        "株",
        "棵",
        "只",
        "头",
        "本",
        "篇",
        "册",
        "部",
        "组",
        "支",
        "艘",
        "架",
        "张",
        "趟",
        "列",
        "班",
        "床",
        "笔",
        "单",
        "天",
        "小时",
        "分钟",
        "周",
        "倍",
        "年",
        "月",
        "日",
        "号",
        "%",
        "％",
        "‰",
        "km",
    ],
    key=len,
    reverse=True,
)
UNIT = "|".join(re.escape(unit) for unit in _UNITS)
"""Units and measure words a number is counted in (longest first)."""
QUANTITY = re.compile(
    r"(?<![\d.,A-Za-z_])(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<space>[ \u00a0](?=(?:万亿|亿|千万|百万|万|千)?(?:" + UNIT + ")))?"
    r"(?P<magnitude>万亿|亿|千万|百万|万|千)?"
    r"(?P<unit>" + UNIT + ")?"
)
_DATE_UNITS = frozenset({"月", "日", "号"})


@dataclass(frozen=True)
class Quantity:
    """A number as a text states it: ``1.2万平方米`` is 12000 of 平方米."""

    start: int
    end: int
    typed: str
    value: Decimal
    unit: str
    brackets: tuple[int, ...]
    """The brackets the number stands in (``bracket_chains``)."""

    @property
    def is_rate(self) -> bool:
        return self.unit in ("%", "％", "‰")


@lru_cache(maxsize=1024)
def quantities(text: str) -> list[Quantity]:
    """The quantities of ``text``: not years (``2020年``), dates (``6月30日``), ordinals
    (``第3批``), numbers in a title (``《…2020…》``), codes (``S41-19``) or times (``17:17``)."""
    plain = plain_digits(text)
    chains = bracket_chains(plain)
    titled = _title_spans(plain)
    found: list[Quantity] = []
    for match in QUANTITY.finditer(plain):
        number, unit = match["number"], match["unit"] or ""
        start, end = match.start(), match.end()
        before = plain[start - 1] if start else ""
        after = plain[end] if end < len(plain) else ""
        if before in "第-—~～－:：/" or (after and after in "-—~～－:：/" and not unit):
            continue
        if unit == "年" and not match["magnitude"] and len(number) == 4:
            continue  # a year
        if unit in _DATE_UNITS or (unit == "年" and not match["magnitude"]):
            continue
        if any(low <= start < high for low, high in titled):
            continue
        value = Decimal(number.replace(",", ""))
        if match["magnitude"]:
            value *= _MAGNITUDES[match["magnitude"]]
        found.append(Quantity(start, end, match[0], value, unit, chains[start]))
    return found


def _title_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"《[^《》]{0,80}》", text):
        spans.append((match.start(), match.end()))
    return spans


def label_before(text: str, position: int, *, limit: int = 12) -> str:
    """The Chinese words just before ``position`` in its clause: what a number counts."""
    start = position
    while start > 0 and position - start < limit and text[start - 1] not in "，。；：,;:|、！？\n":
        start -= 1
    return re.sub(f"[^{HAN}]", "", text[start:position])


def label_after(text: str, position: int, *, limit: int = 8) -> str:
    """The Chinese words just after ``position``, up to punctuation: ``85个项目`` → 项目."""
    end = position
    while end < len(text) and end - position < limit and is_han(text[end]):
        end += 1
    return text[position:end]


def shared_words(one: str, other: str) -> int:
    """The length of the longest stretch two labels share (项目 in 第一批项目 and 新开工项目)."""
    best = 0
    for start in range(len(one)):
        for end in range(start + best + 1, len(one) + 1):
            if one[start:end] in other:
                best = end - start
            else:
                break
    return best


def number_text(value: Decimal) -> str:
    """A value as staff write it: no exponent, trailing zeros dropped."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
