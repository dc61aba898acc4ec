"""Punctuation and numbers as GB/T 15834 and GB/T 15835 want them in Chinese text.

Each rule is a warning, reported once per paragraph (or table cell) with how often it occurs
there and the first place:

- half-width ``, : ; ( )`` next to Chinese text (the rule ``huibao import`` converts by:
  ``generator/import_text.py``); ``1,220`` and ``17:17`` are left alone;
- an unpaired “ ” 《 》 or bracket;
- straight quotes ``"`` ``'`` in Chinese text;
- doubled punctuation (``，，``, ``。，``);
- a space between a number and its unit (``473 亿元``);
- full-width digits (``２０２０``);
- 号 for 日 in a date (``5月13号``);
- a range written with a hyphen or ``~`` (``2020-2022年``, ``1-6月``): GB/T 15834 writes time
  ranges with a dash ``—`` and number ranges with a wave ``～``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.check_text import HAN, UNIT, WARNING, CheckParagraph, Finding, is_han
from generator.import_text import half_width_marks

_DOUBLED = re.compile(r"[，。、；：,;](?:\s*)[，。、；：,;]")
_NUMBER_UNIT_SPACE = re.compile(
    r"(?<![\d.:：/A-Za-z-])(?P<number>\d+(?:\.\d+)?)(?P<space>[ \u00a0\u3000]+)"
    r"(?P<unit>(?:万亿|亿|千万|百万|万|千)?(?:" + UNIT + r")(?![A-Za-z]))"
)
_FULL_WIDTH_DIGITS = re.compile("[０-９]+")
_HAO_DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*号(?![线楼院地文令馆厂码房室桥口门站台机])")
_RANGE = re.compile(
    r"(?<![\d.A-Za-z/_-])(?P<low>\d+(?:\.\d+)?)(?P<low_unit>年|月|日|[%％]|(?:万|亿)?(?:"
    + UNIT
    + r"))?"
    r"\s*(?P<dash>[-－~‐‑–])\s*"
    r"(?P<high>\d+(?:\.\d+)?)(?![\d.A-Za-z_-])(?P<high_unit>年|月|日|(?:万|亿)?(?:" + UNIT + r"))?"
)
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DASH = re.compile("[-－~‐‑–]")
"""What every range has (``_RANGE``'s ``dash``)."""
_TIME_UNITS = frozenset("年月日")
_PAIRS = {"“": "”", "《": "》"}
_BRACKETS_OPEN, _BRACKETS_CLOSE = "(（", ")）"
_MARKS_CHECKED = re.compile(r"[\x00-\x7f\u00a0\d“”《》（）]")
"""What every rule but doubled punctuation needs: ASCII (half-width marks, quotes, hyphens,
spaces), a no-break space, a digit of any width, or a mark that must be paired."""
_STRAIGHT_QUOTE = re.compile("[\"']")
_PAIRED_MARK = re.compile("[“”《》()（）]")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    shown: str = ""
    fixed: str = ""


def check_punctuation(paragraph: CheckParagraph) -> list[Finding]:
    """The punctuation and number problems of one paragraph, one finding per rule."""
    findings: list[Finding] = []
    text = paragraph.text
    if _DOUBLED.search(text) is None and _MARKS_CHECKED.search(text) is None:
        return findings  # Chinese text without a mark any rule looks at (a name, a status)
    for rule, hits, message, hint in _rules(text):
        if not hits:
            continue
        first = hits[0]
        count = f"（本段共 {len(hits)} 处）" if len(hits) > 1 else ""
        shown = first.shown
        if rule == "half-width-punctuation":
            shown = " ".join(sorted({hit.shown for hit in hits}, key=",:;()".find))
        findings.append(
            Finding(
                WARNING,
                "punctuation",
                rule,
                paragraph.place_at(first.start),
                message.format(shown=shown, fixed=first.fixed) + count,
                paragraph.context(first.start, first.end),
                hint=hint,
            )
        )
    return findings


def _rules(text: str) -> Iterator[tuple[str, list[_Hit], str, str]]:
    yield (
        "half-width-punctuation",
        _half_width(text),
        "中文里用了半角标点 {shown}",
        "中文里的逗号、冒号、分号、括号用全角：，：；（）。",
    )
    yield (
        "unpaired-mark",
        _unpaired(text),
        "“{shown}”没有配对",
        "引号、书名号、括号要成对使用；请补上另一半，或删去多余的一个。",
    )
    yield (
        "straight-quote",
        [
            _Hit(m.start(), m.end(), m[0])
            for m in _STRAIGHT_QUOTE.finditer(text)
            if _near_han(text, m.start())
        ]
        if '"' in text or "'" in text
        else [],
        "中文里用了直引号“{shown}”",
        "中文的引号用弯引号：“ ” 和 ‘ ’。",
    )
    yield (
        "doubled-punctuation",
        [
            _Hit(m.start(), m.end(), m[0])
            for m in _DOUBLED.finditer(text)
            if _near_han(text, m.start()) or _near_han(text, m.end() - 1)
        ],
        "标点重复或连用：“{shown}”",
        "两个点号不能连用，请删去多余的一个。",
    )
    yield (
        "number-unit-space",
        [_Hit(m.start(), m.end(), m[0]) for m in _NUMBER_UNIT_SPACE.finditer(text)]
        if " " in text or "\u00a0" in text or "\u3000" in text
        else [],
        "数字和单位之间有空格：“{shown}”",
        "数字和单位之间不空格，如“473亿元”。",
    )
    yield (
        "full-width-digits",
        [_Hit(m.start(), m.end(), m[0]) for m in _FULL_WIDTH_DIGITS.finditer(text)],
        "用了全角数字“{shown}”",
        "数字用半角阿拉伯数字（GB/T 15835），如“2020”。",
    )
    yield (
        "hao-for-ri",
        [_Hit(m.start(), m.end(), m[0]) for m in _HAO_DATE.finditer(text)] if "号" in text else [],
        "日期写成了“{shown}”",
        "公文中的日期写“日”，不写“号”，如“5月13日”。",
    )
    yield ("range-dash", _ranges(text), "范围“{shown}”的连接号不对，应写作“{fixed}”", _RANGE_HINT)


_RANGE_HINT = (
    "GB/T 15834：时间的起止用一字线“—”（如“2020—2022年”“1—6月”），"
    "数值的范围用浪纹线“～”（如“1～3个月”）。"
)


def _near_han(text: str, index: int) -> bool:
    """Whether the nearest non-blank character on either side of ``text[index]`` is Chinese."""
    for step in (-1, 1):
        other = index + step
        while 0 <= other < len(text) and text[other] in " \t\u3000":
            other += step
        if 0 <= other < len(text) and (is_han(text[other]) or text[other] in "，。；：“”（）《》"):
            return True
    return False


def _half_width(text: str) -> list[_Hit]:
    return [_Hit(index, index + 1, text[index]) for index in half_width_marks(text)]


def _unpaired(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    marks = [(match.start(), match[0]) for match in _PAIRED_MARK.finditer(text)]
    if not marks:
        return hits
    for opening, closing in _PAIRS.items():
        stack: list[int] = []
        for index, char in marks:
            if char == opening:
                stack.append(index)
            elif char == closing:
                if stack:
                    stack.pop()
                else:
                    hits.append(_Hit(index, index + 1, char))
        hits.extend(_Hit(index, index + 1, text[index]) for index in stack)
    brackets: list[int] = []
    for index, char in marks:
        if char in _BRACKETS_OPEN:
            brackets.append(index)
        elif char in _BRACKETS_CLOSE:
            if brackets:
                brackets.pop()
            elif _near_han(text, index) or any(is_han(c) for c in text[max(0, index - 8) : index]):
                hits.append(_Hit(index, index + 1, char))
    hits.extend(
        _Hit(index, index + 1, text[index])
        for index in brackets
        if text[index] == "（" or any(is_han(c) for c in text[index : index + 8])
    )
    return sorted(hits, key=lambda hit: hit.start)


def _ranges(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    if _DASH.search(text) is None:
        return hits
    dates = [(m.start(), m.end()) for m in _ISO_DATE.finditer(text)]
    for match in _RANGE.finditer(text):
        if any(low <= match.start() < high for low, high in dates):
            continue
        low_unit, high_unit = match["low_unit"] or "", match["high_unit"] or ""
        if not (low_unit or high_unit):
            continue  # a code or a score (3-2), not a range of something
        if not re.search(f"[{HAN}]", text[max(0, match.start() - 6) : match.end() + 6]):
            continue
        start, shown = match.start(), match[0]
        numbered = re.match(r"\d{1,3}\.(?=\d)", shown)
        if numbered and (start == 0 or text[start - 1] in "。；;！？ \n"):
            start, shown = start + numbered.end(), shown[numbered.end() :]  # 2.1-6月: item 2.
        dash = "—" if time_range(shown) else "～"
        fixed = re.sub(r"\s*[-－~‐‑–]\s*", dash, shown, count=1)
        hits.append(_Hit(start, match.end(), shown, fixed))
    return hits


def time_range(shown: str) -> bool:
    """Whether a range is one of time (years, months, days): those take the dash ``—``."""
    return any(unit in shown for unit in _TIME_UNITS)
