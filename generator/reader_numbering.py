"""Word's automatic numbering, rendered as the reader of the document sees it.

A numbered paragraph in a .docx holds no number: it names a list (``w:numId``) and a level
(``w:ilvl``), directly or through its paragraph style, and Word counts. ``word/numbering.xml``
defines each list: a ``w:num`` points at an ``w:abstractNum`` whose nine ``w:lvl`` give the start
value, the number format (``chineseCounting`` → 一、二…), the level text (``%1、``, ``（%2）``,
``%1.%2.``), when the level restarts and what follows the number (tab, space or nothing).

How Word counts (ECMA-376 Part 1, 17.9; what Word and LibreOffice do where the text is silent):

- Counters belong to the abstract numbering: every ``w:num`` over one ``w:abstractNum`` continues
  the same count.
- A ``w:lvlOverride/w:startOverride`` of a ``w:num`` sets its level's counter once, the first
  time a paragraph of that ``w:num`` uses the level; later restarts use the level's own start.
- Using a level restarts the deeper levels, unless their ``w:lvlRestart`` says otherwise
  (``0``: never; ``n``: only when level ``n`` or a higher one is used).
- ``%n`` in the level text shows level ``n``'s counter in level ``n``'s format (decimal for all
  of them with ``w:isLgl``); a level not used yet shows its start value.
- Bullets are not numbers: a bullet level gives no number.

Nothing here touches the file system; ``reader_docx`` hands over the parsed XML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LEVELS = 9
MAX_NUMBER_LENGTH = 64
"""A rendered number longer than this is cut: a level text is a short label, never a sentence."""

MAX_LEVEL_TEXT = 255
"""Word's own limit on a level text; a longer one is cut (it only costs time to render)."""

_CHINESE_DIGITS = "〇一二三四五六七八九"
_TAIWANESE_DIGITS = "○一二三四五六七八九"
_MYRIAD_DIGITS = "零一二三四五六七八九"
_LEGAL_SIMPLIFIED = ("零壹贰叁肆伍陆柒捌玖", "拾佰仟万")
_LEGAL_TRADITIONAL = ("零壹貳參肆伍陸柒捌玖", "拾佰仟萬")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_SUFFIXES = {"tab": "\t", "space": " ", "nothing": ""}


def _in_set(first: int, size: int) -> Callable[[int], str]:
    """A format drawing 1..size from consecutive code points; decimal past the set (17.18.59)."""
    return lambda value: chr(first + value - 1) if 1 <= value <= size else str(value)


def _from_sequence(characters: str) -> Callable[[int], str]:
    return lambda value: characters[value - 1] if 1 <= value <= len(characters) else str(value)


def _digits(characters: str) -> Callable[[int], str]:
    """Positional digits: 2024 → 二〇二四 with ``〇一二…``."""
    return lambda value: "".join(characters[int(digit)] for digit in str(value))


def _counting(digits: str) -> Callable[[int], str]:
    """chineseCounting: 十 for two-digit values (十一, 二十), positional digits from 100 (一〇〇)."""

    def render(value: int) -> str:
        if value < 10:
            return digits[value]
        if value < 100:
            tens, ones = divmod(value, 10)
            return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
        return "".join(digits[int(digit)] for digit in str(value))

    return render


def _myriad_group(value: int, digits: str, units: str, *, leading: bool) -> str:
    """0..9999 in 千百十 with 零 for a gap (一千零五); ``leading`` drops 一 before 十 (十一)."""
    text = ""
    gap = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = value // power % 10
        if not digit:
            gap = bool(text)
            continue
        if gap:
            text += digits[0]
            gap = False
        if unit == units[0] and digit == 1 and leading and not text:
            text += unit
        else:
            text += digits[digit] + unit
    return text


def _thousand(digits: str, units: str, *, elide_ten: bool) -> Callable[[int], str]:
    """chineseCountingThousand: 十一, 一百零五, 一千一百一十, 一万零二; legal: 壹拾壹."""

    def render(value: int) -> str:
        if value <= 0 or value >= 100_000_000:
            return str(value)
        high, low = divmod(value, 10_000)
        text = _myriad_group(high, digits, units, leading=elide_ten) + units[3] if high else ""
        if low:
            if high and low < 1000:
                text += digits[0]
            text += _myriad_group(low, digits, units, leading=elide_ten and not high)
        return text

    return render


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    text = ""
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        text += letters * count
    return text


def _letter(value: int) -> str:
    """A, B, … Z, AA, BB, … as Word repeats the letter (17.18.59), not base 26."""
    if value <= 0:
        return str(value)
    repeat, index = divmod(value - 1, 26)
    return chr(ord("A") + index) * min(repeat + 1, MAX_NUMBER_LENGTH)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda value: f"{value:02d}" if 0 <= value < 10 else str(value),
    "decimalFullWidth": _digits("０１２３４５６７８９"),
    "decimalFullWidth2": _digits("０１２３４５６７８９"),
    "decimalEnclosedCircle": _in_set(0x2460, 20),
    "decimalEnclosedCircleChinese": _in_set(0x2460, 20),
    "decimalEnclosedParen": _in_set(0x2474, 20),
    "decimalEnclosedFullstop": _in_set(0x2488, 20),
    "ideographEnclosedCircle": _in_set(0x3220, 10),
    "ideographParenthesized": _in_set(0x3220, 10),
    "chineseCounting": _counting(_CHINESE_DIGITS),
    "taiwaneseCounting": _counting(_TAIWANESE_DIGITS),
    "chineseCountingThousand": _thousand(_MYRIAD_DIGITS, "十百千万", elide_ten=True),
    "taiwaneseCountingThousand": _thousand(_MYRIAD_DIGITS, "十百千萬", elide_ten=True),
    "chineseLegalSimplified": _thousand(*_LEGAL_SIMPLIFIED, elide_ten=False),
    "ideographLegalTraditional": _thousand(*_LEGAL_TRADITIONAL, elide_ten=False),
    "ideographDigital": _digits(_CHINESE_DIGITS),
    "taiwaneseDigital": _digits(_TAIWANESE_DIGITS),
    "japaneseDigitalTenThousand": _digits(_CHINESE_DIGITS),
    "ideographTraditional": _from_sequence(_HEAVENLY_STEMS),
    "ideographZodiac": _from_sequence(_EARTHLY_BRANCHES),
    "upperRoman": _roman,
    "lowerRoman": lambda value: _roman(value).lower(),
    "upperLetter": _letter,
    "lowerLetter": lambda value: _letter(value).lower(),
}
_NO_NUMBER = frozenset({"none", "bullet"})


def format_number(value: int, number_format: str) -> str:
    """``value`` in one of Word's number formats (``ST_NumberFormat``); unknown ones are decimal.

    ``none`` and ``bullet`` show no number. A value below 1 is written in decimal digits, which is
    what Word shows for a list started at 0 in a format that has no zero.
    """
    if number_format in _NO_NUMBER:
        return ""
    render = _FORMATS.get(number_format, str)
    if value < 1 and render is not str:
        return str(value)
    return render(value)


@dataclass(frozen=True)
class Level:
    """One ``w:lvl``: how a level counts and what it shows."""

    start: int = 0
    number_format: str = "decimal"
    text: str | None = None
    restart: int | None = None
    """``w:lvlRestart``: ``None`` restarts after any higher level, ``0`` never."""
    legal: bool = False
    suffix: str = "tab"
    style: str = ""
    """``w:pStyle``: the paragraph style whose paragraphs take this level."""


@dataclass(frozen=True)
class Override:
    start: int | None = None
    level: Level | None = None


@dataclass(frozen=True)
class AbstractNumbering:
    levels: dict[int, Level]
    style_link: str = ""
    """``w:numStyleLink``: the definition lives in the numbering style of this id."""


@dataclass(frozen=True)
class Instance:
    abstract_id: str
    overrides: dict[int, Override] = field(default_factory=dict)


@dataclass(frozen=True)
class Numbered:
    """What a numbered paragraph shows before its text: ``number`` and what follows it."""

    number: str
    suffix: str

    @property
    def prefix(self) -> str:
        return self.number + self.suffix if self.number else ""


@dataclass
class NumberingDefinitions:
    """The lists of ``numbering.xml`` and the paragraph styles that attach to them."""

    abstracts: dict[str, AbstractNumbering] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    style_lists: dict[str, str] = field(default_factory=dict)
    """Numbering styles (``w:type="numbering"``): style id → the ``w:numId`` they hold."""

    def resolve(self, num_id: str) -> tuple[str, AbstractNumbering, Instance] | None:
        """The abstract numbering a ``w:numId`` counts in, following ``w:numStyleLink``."""
        instance = self.instances.get(num_id)
        if instance is None:
            return None
        abstract_id = instance.abstract_id
        seen: set[str] = set()
        while abstract_id not in seen:
            seen.add(abstract_id)
            abstract = self.abstracts.get(abstract_id)
            if abstract is None:
                return None
            linked = self.instances.get(self.style_lists.get(abstract.style_link, ""))
            if not abstract.style_link or linked is None:
                return abstract_id, abstract, instance
            abstract_id = linked.abstract_id
        return None

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level whose ``w:pStyle`` names ``style_id``: how heading styles take a level."""
        resolved = self.resolve(num_id)
        if resolved is None:
            return None
        for index, level in sorted(resolved[1].levels.items()):
            if level.style == style_id:
                return index
        return None


class Counter:
    """Counts numbered paragraphs in reading order and renders what each one shows."""

    def __init__(self, definitions: NumberingDefinitions) -> None:
        self._definitions = definitions
        self._counts: dict[str, list[int | None]] = {}
        self._overridden: set[tuple[str, int]] = set()

    def number(self, num_id: str, level_index: int) -> Numbered | None:
        """Advance the list ``num_id`` at ``level_index`` and render this paragraph's number.

        ``None`` when the paragraph shows no number: numbering removed (``numId`` 0), a list or
        level the file does not define, a bullet.
        """
        resolved = self._definitions.resolve(num_id)
        if resolved is None or not 0 <= level_index < LEVELS:
            return None
        abstract_id, abstract, instance = resolved
        levels = [self._level(abstract, instance, index) for index in range(LEVELS)]
        level = levels[level_index]
        if level is None:
            return None
        counts = self._counts.setdefault(abstract_id, [None] * LEVELS)
        override = instance.overrides.get(level_index)
        if (
            override is not None
            and override.start is not None
            and (num_id, level_index) not in self._overridden
        ):
            self._overridden.add((num_id, level_index))
            value = override.start
        else:
            current = counts[level_index]
            value = level.start if current is None else current + 1
        counts[level_index] = value
        for deeper in range(level_index + 1, LEVELS):
            deeper_level = levels[deeper]
            restart = deeper_level.restart if deeper_level is not None else None
            if restart is None or (restart > 0 and level_index < restart):
                counts[deeper] = None
        if level.number_format == "bullet":
            return None
        number = _render(level, levels, counts)[:MAX_NUMBER_LENGTH]
        if not number:
            return None
        return Numbered(number, _SUFFIXES.get(level.suffix, "\t"))

    @staticmethod
    def _level(abstract: AbstractNumbering, instance: Instance, index: int) -> Level | None:
        override = instance.overrides.get(index)
        if override is not None and override.level is not None:
            return override.level
        return abstract.levels.get(index)


def _render(level: Level, levels: list[Level | None], counts: list[int | None]) -> str:
    """The level text with each ``%n`` replaced by level n's value in its format."""
    template = level.text or ""
    parts: list[str] = []
    index = 0
    while index < len(template):
        char = template[index]
        following = template[index + 1 : index + 2]
        if char == "%" and following and following in "123456789":
            shown = levels[int(following) - 1]
            value = counts[int(following) - 1]
            if shown is not None:
                if value is None:
                    value = shown.start
                number_format = shown.number_format
                if level.legal and number_format not in _NO_NUMBER:
                    number_format = "decimal"
                parts.append(format_number(value, number_format))
            index += 2
            continue
        parts.append(char)
        index += 1
    return "".join(parts)


# --- numbering.xml --------------------------------------------------------------------------


def parse_numbering(root: Any, attribute: Callable[[Any, str], str | None]) -> NumberingDefinitions:
    """Read ``w:numbering``; ``attribute(element, "val")`` reads a ``w:``-namespaced attribute.

    Elements are matched by local name so that transitional and strict files read alike; an
    ``mc:AlternateContent`` around a level's ``w:numFmt`` (Word writes ``custom`` formats that
    way) gives the fallback's standard format.
    """
    definitions = NumberingDefinitions()
    for child in _children(root):
        name = _local(child)
        if name == "abstractNum":
            identifier = attribute(child, "abstractNumId") or ""
            levels: dict[int, Level] = {}
            style_link = ""
            for part in _children(child):
                part_name = _local(part)
                if part_name == "lvl":
                    index = _int(attribute(part, "ilvl"), -1)
                    if 0 <= index < LEVELS:
                        levels[index] = _parse_level(part, attribute)
                elif part_name == "numStyleLink":
                    style_link = attribute(part, "val") or ""
            definitions.abstracts[identifier] = AbstractNumbering(levels, style_link)
        elif name == "num":
            identifier = attribute(child, "numId") or ""
            abstract_id = ""
            overrides: dict[int, Override] = {}
            for part in _children(child):
                part_name = _local(part)
                if part_name == "abstractNumId":
                    abstract_id = attribute(part, "val") or ""
                elif part_name == "lvlOverride":
                    index = _int(attribute(part, "ilvl"), -1)
                    start: int | None = None
                    replaced: Level | None = None
                    for item in _children(part):
                        if _local(item) == "startOverride":
                            start = _int(attribute(item, "val"), 0)
                        elif _local(item) == "lvl":
                            replaced = _parse_level(item, attribute)
                    if 0 <= index < LEVELS:
                        overrides[index] = Override(start, replaced)
            definitions.instances[identifier] = Instance(abstract_id, overrides)
    return definitions


def _parse_level(element: Any, attribute: Callable[[Any, str], str | None]) -> Level:
    values: dict[str, Any] = {}
    for child in _children(element):
        name = _local(child)
        if name == "AlternateContent":
            chosen = _number_format_choice(child, attribute)
            if chosen and "number_format" not in values:
                values["number_format"] = chosen
            continue
        value = attribute(child, "val")
        if name == "start":
            values["start"] = _int(value, 0)
        elif name == "numFmt" and value and value != "custom":
            values["number_format"] = value
        elif name == "lvlText":
            values["text"] = (value or "")[:MAX_LEVEL_TEXT]
        elif name == "lvlRestart":
            values["restart"] = _int(value, 0)
        elif name == "isLgl":
            values["legal"] = _on(value)
        elif name == "suff":
            values["suffix"] = value or "tab"
        elif name == "pStyle":
            values["style"] = value or ""
    return Level(**values)


def _number_format_choice(element: Any, attribute: Callable[[Any, str], str | None]) -> str:
    """The standard ``w:numFmt`` among an AlternateContent's choice and fallback."""
    for branch in _children(element):
        for child in _children(branch):
            if _local(child) == "numFmt":
                value = attribute(child, "val")
                if value and value != "custom":
                    return value
    return ""


def _children(element: Any) -> list[Any]:
    return [child for child in element if isinstance(child.tag, str)]


def _local(element: Any) -> str:
    return str(element.tag).rpartition("}")[2]


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _on(value: str | None) -> bool:
    """An OOXML on/off property: present means on unless its value says off."""
    return value not in ("0", "false", "off")
