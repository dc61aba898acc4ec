"""Table column widths chosen from what the columns hold.

A template says how each column is sized (``<col width="…">``): a fixed width (``15mm``, ``10%``),
``auto`` — as wide as the longest piece of text in it that must not break (a department name, a
target name, a status, its header), within the template's ``min``/``max`` — or ``*``, the long-text
columns that share the rest of the width. The rest is shared so that the table is as short as
possible: row by row, the tallest cell sets the row's height, and each further millimetre goes to
the column where it saves most lines.

Everything here is plain numbers in twips, measured by the writer: this module knows nothing of
Word, and can be tested with made-up tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

STEP = 57
"""Twips handed out at a time to the long-text columns: 1 mm."""

SLACK = 40
"""Twips added to a content-sized column beyond its text: rounding of glyph widths (2 pt)."""

Rule = Literal["fixed", "auto", "rest"]


@dataclass(frozen=True)
class ColumnRule:
    """How the template sizes a column; widths in twips."""

    rule: Rule
    width: int = 0  # for "fixed"
    minimum: int = 0
    maximum: int | None = None


@dataclass(frozen=True)
class ColumnText:
    """What a column holds, measured in twips of text width.

    ``pieces``: texts that must stay on one line (its header, and for an ``auto`` column every line
    of every cell). ``rows``: for each body row, the widths of the cell's paragraphs in this column
    (empty where a merged cell from above continues).
    """

    pieces: tuple[int, ...] = ()
    rows: tuple[tuple[int, ...], ...] = ()


def choose_widths(
    rules: list[ColumnRule],
    texts: list[ColumnText],
    available: int,
    margins: int,
    character: int = 0,
) -> list[int]:
    """Widths (twips) of the columns; together at most ``available`` (the text block's width).

    ``margins`` is the cell's left plus right margin: the text of a cell is that much narrower.
    A template's own widths (fixed) are kept as given; the writer checks they fit. When the
    columns sized by their content would not fit (a name too long to stay on one line), the
    widest give way first; neither they nor the text columns are made narrower than two
    characters of ``character`` twips (or than what they hold): a table whose fixed widths leave
    no such room is wider than the block, which the writer reports.
    """
    widths = [0] * len(rules)
    for index, (rule, text) in enumerate(zip(rules, texts, strict=True)):
        if rule.rule == "fixed":
            widths[index] = rule.width
        elif rule.rule == "auto":
            widths[index] = _clamp(max(text.pieces, default=0) + margins + SLACK, rule)
        else:
            header = max(text.pieces, default=0) + margins + SLACK
            widths[index] = max(rule.minimum, min(header, rule.maximum or header))
    rest = [index for index, rule in enumerate(rules) if rule.rule == "rest"]
    floor = margins + SLACK + 2 * character
    for index in rest:  # a text column has room for text, headed or not
        widths[index] = max(widths[index], min(floor, rules[index].maximum or floor))
    floors = [
        min(width, max(rule.minimum, floor)) for width, rule in zip(widths, rules, strict=True)
    ]
    sized = [index for index, rule in enumerate(rules) if rule.rule == "auto"]
    _give_way(widths, sized, floors, sum(widths) - available)
    if not rest:
        return widths
    spare = available - sum(widths)
    if spare < 0:  # the text columns' headers do not fit beside the others
        _give_way(widths, rest, floors, -spare)
        return widths
    if len(rest) == 1:  # nothing to choose
        widths[rest[0]] += spare
        return widths
    if len(rest) == 2:
        first, second = rest
        options = [*range(0, spare, STEP), spare]
        share = min(
            options,
            key=lambda given: _height(
                {first: widths[first] + given, second: widths[second] + spare - given},
                texts,
                margins,
            ),
        )
        widths[first] += share
        widths[second] += spare - share
        return widths
    # each millimetre to the column where it saves most lines of the table; where none saves any
    # yet (every column tall in some row), where it saves most of the column's own lines, then
    # to the column with most lines: so equal columns widen in turn, not the first one alone.
    # Each column's row heights are kept at its width and one step wider: a step recounts only
    # the column that took it, and the rows are compared in C (``map(max, …)``)
    rows = max(len(texts[index].rows) for index in rest)
    current = {index: _row_lines(texts[index], widths[index], margins, rows) for index in rest}
    wider = {index: _row_lines(texts[index], widths[index] + STEP, margins, rows) for index in rest}
    while spare >= STEP:
        height = {
            index: sum(map(max, *(wider[i] if i == index else current[i] for i in rest)))
            for index in rest
        }
        lowest = min(height.values())
        best = min(
            (index for index in rest if height[index] == lowest),
            key=lambda index: (sum(wider[index]) - sum(current[index]), -sum(current[index])),
        )
        widths[best] += STEP
        spare -= STEP
        current[best] = wider[best]
        wider[best] = _row_lines(texts[best], widths[best] + STEP, margins, rows)
    widths[rest[-1]] += spare
    return widths


def _clamp(width: int, rule: ColumnRule) -> int:
    width = max(width, rule.minimum)
    return min(width, rule.maximum) if rule.maximum is not None else width


def _give_way(widths: list[int], columns: list[int], floors: list[int], over: int) -> None:
    """Narrow ``columns`` by ``over`` twips in all, the widest first (each cut to a common
    width, never below its floor): a long name narrows its own column, not its neighbours."""
    if over <= 0 or not columns:
        return

    def freed(level: int) -> int:
        return sum(max(0, widths[index] - max(level, floors[index])) for index in columns)

    low, high = 0, max(widths[index] for index in columns)
    if freed(low) <= over:  # every column down to its floor, and still too wide
        for index in columns:
            widths[index] = min(widths[index], floors[index])
        return
    while high - low > 1:  # the widest common width that frees enough
        middle = (low + high) // 2
        if freed(middle) >= over:
            low = middle
        else:
            high = middle
    extra = freed(low) - over  # twips cut beyond ``over``: one each from columns at the level
    for index in columns:
        if widths[index] > max(low, floors[index]):
            widths[index] = max(low, floors[index])
            if extra > 0 and widths[index] == low:
                widths[index] += 1
                extra -= 1


def _height(trial: dict[int, int], texts: list[ColumnText], margins: int) -> float:
    """Estimated height of the table body, in lines, with the text columns ``trial`` wide: each
    row is as tall as its tallest cell. (Called for every trial width: written as plain loops.)"""
    rows = max(len(texts[index].rows) for index in trial)
    tallest = [0] * rows
    for index, width in trial.items():
        usable = max(1, width - margins)
        for row, lines in enumerate(texts[index].rows):
            if len(lines) == 1:  # most cells: one paragraph of one line
                height = -(-lines[0] // usable) or 1
            else:
                height = 0
                for text in lines:
                    height += -(-text // usable) or 1
            if height > tallest[row]:
                tallest[row] = height
    return float(sum(tallest))


def _row_lines(text: ColumnText, width: int, margins: int, rows: int) -> list[int]:
    """The lines of a column's cell in each of ``rows`` body rows, ``width`` wide (0 where the
    column has no cell)."""
    usable = max(1, width - margins)
    lines = [
        (-(-cell[0] // usable) or 1)
        if len(cell) == 1
        else sum((-(-piece // usable) or 1) for piece in cell)
        for cell in text.rows
    ]
    return lines + [0] * (rows - len(lines))
