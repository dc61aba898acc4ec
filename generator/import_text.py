"""Text-level reading for ``huibao import``: punctuation, typed numbers, sentences and 一是 runs.

These are the small, exact rules the importer applies to one paragraph at a time. Each keeps
every character of the text or says precisely which it drops (a typed number that huibao will
generate again, a half-width mark replaced by its full-width twin), so that a draft built again
gives back the text it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from generator.numbering import chinese_number

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WIDE_PUNCTUATION = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—·"
_CHINESE = re.compile(f"[{_CJK}{_WIDE_PUNCTUATION}]")
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}


def _is_chinese(char: str) -> bool:
    return bool(char) and _CHINESE.match(char) is not None


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character to ``text[index]`` in direction ``step`` that is not a blank."""
    index += step
    while 0 <= index < len(text) and text[index] in " \t\u3000":
        index += step
    return text[index] if 0 <= index < len(text) else ""


_HALF_WIDTH_MARK = re.compile("[,:;()]")


def full_width_punctuation(text: str) -> tuple[str, int]:
    """Half-width ``, : ; ( )`` next to Chinese text as their full-width twins, and how many
    (which ones: ``half_width_marks``)."""
    indexes = half_width_marks(text)
    if not indexes:
        return text, 0
    chars = list(text)
    for index in indexes:
        chars[index] = _HALF_TO_FULL[text[index]]
    return "".join(chars), len(indexes)


def half_width_marks(text: str) -> list[int]:
    """Where ``text`` has a half-width ``, : ; ( )`` that belongs to Chinese text.

    Web pages converted to text carry ``日常履职,完成300个`` and ``(一)``: artefacts of the
    conversion, not the writer's choice. A mark between two digits or letters (``1,220``,
    ``17:17``) or in an address (``http://``) is left alone; in a Chinese paragraph one after
    ``%`` is converted (``完成64%,3个项目``); a bracket pair is converted when it holds or
    touches Chinese text (``(含新建55)``, ``模型(CIM)``, ``方案(2019-2021)``).
    """
    found: list[int] = []
    pairs: dict[int, int] | None = None
    mixed: bool | None = None
    for match in _HALF_WIDTH_MARK.finditer(text):
        index, char = match.start(), match[0]
        before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
        if char in "()":
            if pairs is None:
                pairs = _bracket_pairs(text)
            partner = pairs.get(index)
            if partner is None:
                convert = _is_chinese(before) or _is_chinese(after)
            else:
                low, high = sorted((index, partner))
                around = _neighbour(text, low, -1) + _neighbour(text, high, 1)
                convert = any(_is_chinese(c) for c in text[low + 1 : high] + around)
        elif char == ":" and text[index + 1 : index + 3] == "//":
            convert = False  # http://
        elif _ascii_alnum(before) and _ascii_alnum(after):
            convert = False
        elif _is_chinese(before) or _is_chinese(after):
            convert = True
        else:
            if mixed is None:
                mixed = _mixed(text)
            convert = mixed
        if convert:
            found.append(index)
    return found


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _mixed(text: str) -> bool:
    """Mostly Chinese text, where ``64%,3`` is a converted comma too."""
    chinese = sum(1 for char in text if _is_chinese(char))
    return chinese * 2 > len(text)


def _bracket_pairs(text: str) -> dict[int, int]:
    """Matching brackets (either width), both ways: ``(…）`` pairs as well as ``(…)``."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for match in _BRACKET.finditer(text):
        index = match.start()
        if match[0] in "(（":
            stack.append(index)
        elif stack:
            opening = stack.pop()
            pairs[opening] = index
            pairs[index] = opening
    return pairs


_BRACKET = re.compile("[(（)）]")


# --- typed numbers ------------------------------------------------------------------------------

_CN = "一二三四五六七八九十百零〇"
LEVEL_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^(?P<n>[{_CN}]{{1,5}})\s*[、．.](?![{_CN}])\s*"),  # 一、
    re.compile(rf"^[（(]\s*(?P<n>[{_CN}]{{1,5}})\s*[）)]\s*[、．.]?\s*"),  # （一）
    re.compile(r"^(?P<n>\d{1,3})\s*[.．、](?!\d)\s*"),  # 1.
    re.compile(r"^[（(]\s*(?P<n>\d{1,3})\s*[）)]\s*"),  # （1）
)
"""The four GB/T 9704 heading numbers at the start of a paragraph, outermost first, in the
spellings real files use (``(一)``, ``1、``, ``1．``). ``1.5万`` and ``一、二季度`` are not numbers."""


@cache
def _chinese_values() -> dict[str, int]:
    return {chinese_number(number): number for number in range(1, 1000)}


def numeral_value(numeral: str) -> int | None:
    """``十二`` → 12, ``3`` → 3; ``〇`` and malformed numerals → ``None``."""
    if numeral.isdigit():
        return int(numeral)
    return _chinese_values().get(numeral)


@dataclass(frozen=True)
class TypedNumber:
    """A heading number at the start of a paragraph: its level (0 = 一、), value and the text
    after it."""

    level: int
    number: int
    typed: str
    rest: str


def leading_number(text: str) -> TypedNumber | None:
    """The heading number a paragraph starts with, if any."""
    for level, pattern in enumerate(LEVEL_PATTERNS):
        match = pattern.match(text)
        if match is None:
            continue
        number = numeral_value(match["n"])
        if number is None:
            return None
        return TypedNumber(level, number, match[0].strip(), text[match.end() :].strip())
    return None


# --- sentences ----------------------------------------------------------------------------------

_OPENERS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "【": "】", "「": "」"}
SENTENCE_ENDS = "。！？"


def sentence_end(text: str, start: int = 0, ends: str = SENTENCE_ENDS) -> int:
    """Index of the first of ``ends`` at or after ``start`` that is outside quotes and brackets;
    -1 if none."""
    closing: list[str] = []
    for index in range(start, len(text)):
        char = text[index]
        if closing and char == closing[-1]:
            closing.pop()
        elif char in _OPENERS:
            closing.append(_OPENERS[char])
        elif not closing and char in ends:
            return index
    return -1


def split_heading(text: str, *, max_chars: int, max_commas: int) -> tuple[str | None, str]:
    """A short run-in heading and the rest: ``积极谋划明目标。加强……`` → (积极谋划明目标, 加强……).

    The heading is the text up to the first 。！？; a ！ or ？ stays in it (huibao prints a heading
    that ends with one as it is, and adds 。 otherwise). A first sentence longer than
    ``max_chars`` or with more than ``max_commas`` commas is a sentence, not a heading; so is one
    with nothing after it.
    """
    end = sentence_end(text)
    if end <= 0 or end == len(text) - 1:
        return None, text
    head = text[:end] if text[end] == "。" else text[: end + 1]
    if len(head) > max_chars or head.count("，") > max_commas or "；" in head or "：" in head:
        return None, text
    return head, text[end + 1 :].strip()


# --- 一是……二是…… ---------------------------------------------------------------------------------

_AFTER = "。！？；：，…）"


def _marker(number: int) -> re.Pattern[str]:
    return re.compile(rf"(?:^|(?<=[{_AFTER}]))\s*{chinese_number(number)}是")


def item_run(text: str) -> tuple[str, list[str]] | None:
    """``……。一是A。二是B。`` → (``……。``, [``A。``, ``B。``]) when 一是 starts the text or follows
    a sentence mark and 二是 follows it; an inner run (``二是…。一是…二是…``) stays inside its
    item. ``None`` when there is no run of at least two."""
    first = _marker(1).search(text)
    if first is None:
        return None
    starts = [first]
    while (found := _marker(len(starts) + 1).search(text, starts[-1].end())) is not None:
        starts.append(found)
    if len(starts) < 2:
        return None
    bodies = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        bodies.append(text[match.end() : end].strip())
    return text[: first.start()].strip(), bodies


_ORDINAL = re.compile(rf"(?:^|(?<=[{_AFTER}]))\s*(?P<n>[一二三四五六七八九十]{{1,3}})是(?!否)")


def stray_ordinals(text: str) -> list[str]:
    """``四是`` left inside an item's text after a sentence: a number out of the run's order
    (``……六是……。四是……``), kept as text."""
    return [f"{match['n']}是" for match in _ORDINAL.finditer(text)]


def item_start(text: str, number: int) -> str | None:
    """The rest of a paragraph that starts with ``一是`` (``number`` = 1), or ``None``."""
    prefix = f"{chinese_number(number)}是"
    return text[len(prefix) :].strip() if text.startswith(prefix) else None


_TAG = re.compile(
    r"[（(](?P<label>责任(?:处室|单位|部门|科室|领导)|牵头(?:单位|部门|处室)|配合(?:单位|部门)"
    r"|承办(?:单位|处室)|主办(?:单位|处室))[：:](?P<names>[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)"
    r"[）)]\s*$"
)


def responsibility_tag(text: str) -> tuple[str, str, str] | None:
    """``……。（责任处室：办公室、法规安全处）`` → (text before, 责任处室, 办公室、法规安全处)."""
    match = _TAG.search(text)
    if match is None or not match["names"].strip():
        return None
    return text[: match.start()].rstrip(), match["label"], match["names"].strip()
