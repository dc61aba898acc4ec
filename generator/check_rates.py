"""Stated rates: a rate whose numbers stand in the same sentence (or table row) is recomputed.

``85个项目……已开工70个，开工率82.4%``: the rate's own number (the numerator, 70个) is the
quantity just before it in its sentence, counted by the rate's verb (开工); its basis (85个) an
earlier quantity of the same unit in the sentence, or anywhere earlier in the table row
(``目标40000个 | ……新增59759个，完成年度目标任务的149%``). A change (``比上年增长7.6%``) is
recomputed when last year's number stands in the sentence (``上年1134亿元``).

No guessing: where no basis is found, or several could be it and none agrees, nothing is said.
A basis is taken when it is the only one, or when what it counts is plainly what the numerator
counts (``城中村改造85万平方米`` for ``城中村改造127.2万平方米``). Agreement is judged at the precision
the report typed, by the rule ``huibao build`` uses for rates typed after a figure
(``generator/stated_rates.py``).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from generator.check_text import (
    ERROR,
    HAN,
    CheckParagraph,
    Finding,
    Quantity,
    bracket_chains,
    label_after,
    label_before,
    plain_digits,
    quantities,
    sentences,
    shared_words,
    within,
)
from generator.stated_rates import (
    CHANGE,
    CHANGE_FROM_DIRECTION,
    COMPLETION,
    FALLING,
    QUALIFIER,
    RATE,
    RATE_CONTEXT,
    agrees_typed,
    places_of,
    rounded,
)

_RATE_WORD_ONWARDS = r"(?P<word>率|比例|比重|占比)(?:为|达到了|达到|达|是)?" + QUALIFIER + RATE
_RATE_WORD = re.compile(rf"(?P<stem>[{HAN}]{{0,6}}?)" + _RATE_WORD_ONWARDS)
"""``开工率82.4%``, ``化解率达到91.3%``, ``分配比例为94%``, ``占比68%``."""
_RATE_WORD_AT = re.compile("(?=" + _RATE_WORD_ONWARDS + ")")
_RATE_WORD_REACH = 6
"""Every match of ``_RATE_WORD`` has its ``word`` at most this far from its start (the stem)."""
_SHARE_OF = re.compile(
    r"占(?P<whole>[^，。；,;：:、]{1,30}?)的(?:比例|比重)?(?:为|达到|达)?" + QUALIFIER + RATE
)
"""``占全省城市建成区面积的21.18%``."""
_COMPLETION = re.compile(COMPLETION)
_CHANGE = re.compile(CHANGE)
_DIRECTION_AT = re.compile("(?=" + CHANGE_FROM_DIRECTION + ")")
_SINCE_REACH = 10
"""Every match of ``_CHANGE`` has its ``direction`` at most this far from its start
(``比2023年同期同比``, ``与2023年同期相比``)."""
_SHARE_WORDS = frozenset({"占比", "比重"})
_LAST_YEAR = re.compile(r"上年|去年|同期")
_CLAUSE_BREAKS = "；;"


@dataclass(frozen=True)
class _Statement:
    """A stated rate: its phrase, its number, and how its numerator must be counted."""

    start: int
    """Where the phrase starts (``开工率``, ``完成年度目标任务的``)."""
    rate_start: int
    end: int
    phrase: str
    typed: str
    qualifier: str | None
    kind: str
    """``completion`` (any numerator), ``ratio`` (counted by ``verb``), ``share`` (of a
    larger whole) or ``change`` (against last year)."""
    verb: str = ""
    direction: str = ""


def check_rates(paragraph: CheckParagraph, *, row: bool = False) -> list[Finding]:
    """Every stated rate of a paragraph (or, with ``row``, a table row read as one text) whose
    basis stands beside it and disagrees with it."""
    text = plain_digits(paragraph.text)
    statements = _statements(text)
    if not statements:
        return []
    chains = bracket_chains(text)
    found = quantities(text)
    bounds = sentences(text)
    numerators: dict[int, Quantity] = {}
    for statement in statements:
        numerator = _numerator(text, statement, found, chains, bounds)
        if numerator is not None:
            numerators[statement.start] = numerator
    taken = {numerator.start for numerator in numerators.values()}
    findings: list[Finding] = []
    for statement in statements:
        numerator = numerators.get(statement.start)
        if numerator is None:
            continue
        if statement.kind == "change":
            finding = _check_change(paragraph, text, statement, numerator, found, bounds)
        else:
            scope = 0 if row else _sentence_start(bounds, statement.start)
            finding = _check_ratio(paragraph, text, statement, numerator, found, taken, scope)
        if finding is not None:
            findings.append(finding)
    return findings


def _statements(text: str) -> list[_Statement]:
    by_rate: dict[int, _Statement] = {}
    if "%" not in text and "％" not in text:
        return []  # every statement ends in a rate with its % sign

    def add(match: re.Match[str], kind: str, verb: str = "", direction: str = "") -> None:
        rate_start = match.start("rate")
        if rate_start in by_rate or _in_list(text, match.start("rate"), match.end()):
            return
        if text[match.end() : match.end() + 1] == "的":
            return  # 占比20%的指标任务, 80%的既定目标: a target, not a result
        before = text[max(0, match.start() - 2) : match.start()]
        if "平均" in match[0] or "均" in before[-1:] or "平均" in before:
            return
        by_rate[rate_start] = _Statement(
            match.start(),
            rate_start,
            match.end(),
            match[0],
            match["rate"],
            match["qualifier"],
            kind,
            verb,
            direction,
        )

    for match in _COMPLETION.finditer(text):
        add(match, "completion")
    for match in _SHARE_OF.finditer(text):
        add(match, "share")
    for match in near(_RATE_WORD, _RATE_WORD_AT, _RATE_WORD_REACH, text):
        stem = match["stem"]
        if match["word"] in _SHARE_WORDS:
            add(match, "share")
        elif not stem or stem.endswith("完成"):
            add(match, "completion")
        elif len(stem) >= 2:
            add(match, "ratio", verb=stem[-2:])
    for match in near(_CHANGE, _DIRECTION_AT, _SINCE_REACH, text):
        add(match, "change", direction=match["direction"])
    return sorted(by_rate.values(), key=lambda statement: statement.start)


def near(
    pattern: re.Pattern[str], anchor: re.Pattern[str], reach: int, text: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, tried only near the places ``anchor`` finds.

    For a pattern every match of which holds a text ``anchor`` finds at most ``reach``
    characters from its start (a rate word after a stem of up to six characters): a pattern
    that opens with an optional or lazy part is otherwise tried at every character of a
    paragraph. The matches are the same: each start within ``reach`` before an anchor is tried
    once, in order, and no match can start anywhere else.
    """
    position = 0  # matches do not overlap: the next starts at or after the last one's end
    tried = 0  # every start before this has been tried
    for found in anchor.finditer(text):
        for start in range(max(position, tried, found.start() - reach), found.start() + 1):
            match = pattern.match(text, start)
            if match is not None:
                yield match
                position = match.end()
                break
        tried = found.start() + 1


def _in_list(text: str, rate_start: int, end: int) -> bool:
    """``完成率100%、250.8%``: rates listed in parallel, each of its own figure, are not checked."""
    before = text[:rate_start].rstrip("约近超过逾达到为是 ")
    after = text[end : end + 12]
    return (
        before.endswith(("%、", "％、")) or re.match(r"\s*[、和及]\s*[约近]?\d", after) is not None
    )


def _sentence_start(bounds: list[tuple[int, int]], position: int) -> int:
    for start, end in bounds:
        if start <= position < end:
            return start
    return 0


def _numerator(
    text: str,
    statement: _Statement,
    found: list[Quantity],
    chains: list[tuple[int, ...]],
    bounds: list[tuple[int, int]],
) -> Quantity | None:
    """The quantity a rate is of: the nearest before it in its sentence, within one comma, not in
    a side note's brackets, not after another rate, counted by the rate's verb."""
    sentence = _sentence_start(bounds, statement.start)
    chain = chains[statement.start] if statement.start < len(chains) else ()
    for quantity in reversed(found):
        if quantity.end > statement.start:
            continue
        if quantity.start < sentence:
            return None
        between = text[quantity.end : statement.start]
        if quantity.is_rate or any(mark in between for mark in _CLAUSE_BREAKS):
            return None
        if between.count("，") + between.count(",") > 1:
            return None
        if not within(chain, quantity.brackets):
            continue  # a side note: (含新建40)
        if statement.kind == "change" and _LAST_YEAR.search(label_before(text, quantity.start)):
            continue  # last year's number is the basis, not the numerator
        if statement.verb and statement.verb not in label_before(text, quantity.start, limit=16):
            return None
        return quantity
    return None


def _check_ratio(
    paragraph: CheckParagraph,
    text: str,
    statement: _Statement,
    numerator: Quantity,
    found: list[Quantity],
    taken: set[int],
    scope: int,
) -> Finding | None:
    candidates = [
        quantity
        for quantity in found
        if scope <= quantity.start < numerator.start
        and quantity.unit == numerator.unit
        and not quantity.is_rate
        and quantity.value > 0
        and quantity.start not in taken
        and within(numerator.brackets, quantity.brackets)
        and (statement.kind != "share" or quantity.value >= numerator.value)
    ]
    if not candidates:
        return None
    with decimal.localcontext(RATE_CONTEXT):
        rates = {quantity.start: numerator.value / quantity.value * 100 for quantity in candidates}
    if any(agrees_typed(rate, statement.typed, statement.qualifier) for rate in rates.values()):
        return None
    basis = _basis(text, statement, numerator, candidates, rates)
    if basis is None:
        return None
    rate = rates[basis.start]
    computed = f"{numerator.typed} ÷ {basis.typed} = {_shown(rate, statement.typed)}"
    return Finding(
        ERROR,
        "rate",
        "rate-mismatch",
        paragraph.place_at(statement.rate_start),
        f"写的“{statement.phrase}”与同一{'行' if scope == 0 else '句'}中的数字算得的不符",
        paragraph.context(statement.start, statement.end),
        computed,
        "请核对这两个数和比率；如果比率的基数不是这个数，加 --lenient 只作提醒。",
    )


def _basis(
    text: str,
    statement: _Statement,
    numerator: Quantity,
    candidates: list[Quantity],
    rates: dict[int, Decimal],
) -> Quantity | None:
    """The candidate that plainly counts what the numerator counts (``城中村改造85万平方米`` for
    ``城中村改造127.2万平方米``); for a rate counted by its verb (开工率), also the only candidate
    when it stands on the same side of 100% as the rate typed. Else none: no guessing."""
    own = _label(text, numerator)
    best_of: dict[Decimal, tuple[int, Quantity]] = {}
    for quantity in candidates:  # a target stated twice (目标 and 完成情况) is one candidate
        score = shared_words(own, _label(text, quantity))
        if quantity.value not in best_of or score >= best_of[quantity.value][0]:
            best_of[quantity.value] = (score, quantity)
    candidates = [quantity for _, quantity in best_of.values()]
    scored = sorted(best_of.values(), key=lambda pair: pair[0], reverse=True)
    best = scored[0][0]
    runner_up = scored[1][0] if len(scored) > 1 else 0
    if best >= 3 and best > runner_up:
        return scored[0][1]
    if statement.kind == "ratio" and len(candidates) == 1:
        only = candidates[0]
        if (rates[only.start] >= 100) == (Decimal(statement.typed) >= 100):
            return only
    return None


def _label(text: str, quantity: Quantity) -> str:
    return label_before(text, quantity.start) + label_after(text, quantity.end)


def _check_change(
    paragraph: CheckParagraph,
    text: str,
    statement: _Statement,
    current: Quantity,
    found: list[Quantity],
    bounds: list[tuple[int, int]],
) -> Finding | None:
    sentence = _sentence_start(bounds, statement.start)
    sentence_end = next((end for start, end in bounds if start == sentence), len(text))
    bases = [
        quantity
        for quantity in found
        if sentence <= quantity.start < sentence_end
        and quantity is not current
        and quantity.unit == current.unit
        and not quantity.is_rate
        and quantity.value != 0
        and _LAST_YEAR.search(label_before(text, quantity.start, limit=8))
    ]
    if len(bases) != 1:
        return None
    base = bases[0]
    with decimal.localcontext(RATE_CONTEXT):
        change = (current.value - base.value) / abs(base.value) * 100
    sign = -1 if statement.direction in FALLING else 1
    if agrees_typed(change * sign, statement.typed, statement.qualifier):
        return None
    computed = (
        f"（{current.typed} − {base.typed}）÷ {base.typed} = {_shown(change, statement.typed)}"
    )
    return Finding(
        ERROR,
        "rate",
        "change-mismatch",
        paragraph.place_at(statement.rate_start),
        f"写的“{statement.phrase}”与同一句中今年、上年的数字算得的不符",
        paragraph.context(statement.start, statement.end),
        computed,
        "请核对今年、上年的数和增减幅度。",
    )


def _shown(rate: Decimal, typed: str) -> str:
    """``82.35%，按写出的精度应为 82.4%``: one more decimal than typed, then as typed."""
    places = places_of(typed)
    return f"{rounded(rate, places + 1):f}%，按写出的精度应为 {rounded(rate, places):f}%"
