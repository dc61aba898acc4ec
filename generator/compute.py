"""Stage 3: put the named figures into the text, with the rates derived from them.

Text fields may reference a figure as ``{名称}`` (its value and unit), ``{名称.完成率}``,
``{名称.同比}``, ``{名称.目标}`` or ``{名称.去年}``. This is plain substitution, never a template
language: nothing else in the text is interpreted, and braces that do not form a placeholder
(``{{ 7*7 }}``, ``{{名称}}``) stay as typed.

Numbers are written as in the seed reports: no thousands separators, the figure's own unit glued
to the number (``24公里``, ``20亿元``), no 万/亿 the unit does not have; rates in percent, with the
figure's ``precision`` decimals or, by default, one decimal with trailing zeros dropped (``117.3%``,
``108%``). A rate typed by hand next to a figure (``{道路里程}（完成率127%）``) is checked against
the figures: a mismatch is an error, or a warning with ``lenient``.
"""

from __future__ import annotations

import decimal
import difflib
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import ValidationError

from generator.errors import InputError, Problem
from generator.load import LoadedSource
from generator.stated_rates import (
    CHANGE,
    COMPLETION,
    FALLING,
    FLAT,
    FULL_WIDTH_DIGITS,
    RATE_CONTEXT,
    agrees,
)
from generator.validate import field_label, problems_from_validation_error
from schemas import ReportBase
from schemas.base import DataPath
from schemas.figures import Figure

FORMS = ("完成率", "同比", "目标", "去年")
PLACEHOLDER = re.compile(
    r"(?P<escaped>\{\{[^{}.\s]+(?:\.[^{}.\s]+)?\}\})(?!\})"
    r"|(?<!\{)\{(?P<name>[^{}.\s]+)(?:\.(?P<form>[^{}.\s]+))?\}(?!\})"
)
"""``{名称}`` or ``{名称.形式}``; doubled braces around one (``{{名称}}``) print it literally."""
DEFAULT_RATE_PLACES = 1

# Rates typed by hand right after a figure, in the ways the seeds and ordinary reports state
# them (the phrases live in generator/stated_rates.py, shared with huibao check). Only a rate
# that directly follows the figure is about it: between them may stand punctuation, a bracket
# and 累计/全年/已/共, nothing else (``按可比价格计算，比上年增长5.2%``, ``增加值同比增长5%``,
# ``上年完成率为50%`` are about something else and are not checked).
_GAP = r"[ \t，,、（(：:]{0,3}(?:累计|全年|已|共)?"
_STATED_COMPLETION = re.compile("^" + _GAP + "(?P<phrase>" + COMPLETION + ")")
_STATED_CHANGE = re.compile("^" + _GAP + "(?P<phrase>" + CHANGE + ")")
_STATED_FLAT = re.compile("^" + _GAP + "(?P<phrase>" + FLAT + ")")


@dataclass(frozen=True)
class Computed:
    """The report with figures filled in, and what deserves a look without stopping the build."""

    report: ReportBase
    warnings: list[Problem]


def format_decimal(value: Decimal, places: int | None = None) -> str:
    """``Decimal`` as staff write it: no exponent, no thousands separators.

    With ``places`` rounded half up to that many decimals; without, trailing zeros dropped.
    """
    with decimal.localcontext(RATE_CONTEXT):
        return _format_decimal(value, places)


def _format_decimal(value: Decimal, places: int | None) -> str:
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{value:f}"
    else:
        text = f"{value:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rate_text(rate: Decimal, precision: int | None) -> str:
    """A percentage: declared precision kept; by default one decimal, trailing zeros dropped."""
    if precision is not None:
        return format_decimal(rate, precision)
    with decimal.localcontext(RATE_CONTEXT):
        rounded = rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return format_decimal(rounded)


def completion_rate(figure: Figure) -> Decimal | None:
    if figure.target is None or figure.target == 0:
        return None
    with decimal.localcontext(RATE_CONTEXT):
        return figure.value / figure.target * 100


def change_rate(figure: Figure) -> Decimal | None:
    if figure.last_year is None or figure.last_year == 0:
        return None
    with decimal.localcontext(RATE_CONTEXT):
        return (figure.value - figure.last_year) / abs(figure.last_year) * 100


def amount_text(value: Decimal, figure: Figure) -> str:
    """An amount exactly as entered (``94.30`` stays ``94.30``), in the figure's unit."""
    text = f"{value:f}"
    return f"{text.lstrip('-') if value == 0 else text}{figure.unit}"


def change_text(figure: Figure, rate: Decimal) -> str:
    shown = rate_text(abs(rate), figure.precision)
    if Decimal(shown) == 0:
        return "与上年持平"
    return f"同比{'增长' if rate > 0 else '下降'}{shown}%"


def compute_report(report: ReportBase, source: LoadedSource, *, lenient: bool = False) -> Computed:
    """Fill every placeholder of every text field; raise ``InputError`` listing every problem."""
    figures = report.figures
    problems: list[Problem] = []
    warnings: list[Problem] = []
    used: set[str] = set()

    def label(path: DataPath) -> str:
        return field_label(source, type(report), path)

    def fill(text: str, path: DataPath) -> str:
        for near_miss in _near_misses(text, figures):
            problems.append(
                Problem(
                    source.locate(path),
                    f"“{near_miss}”像是引用指标，但花括号的写法不对，会原样印出",
                    label(path),
                    "引用指标写成 {名称} 或 {名称.完成率}，花括号里不要有空格、只用一层；"
                    "要原样印出花括号里的名称，写两层：{{名称}}。",
                )
            )
        pieces: list[str] = []
        position = 0
        for match in PLACEHOLDER.finditer(text):
            pieces.append(text[position : match.start()])
            position = match.end()
            if match["escaped"]:
                pieces.append(match["escaped"][1:-1])
                continue
            name, form = match["name"], match["form"]
            figure = figures.get(name)
            if figure is None:
                problems.append(
                    _unknown_figure(source, path, label(path), match[0], name, list(figures))
                )
                pieces.append(match[0])
                continue
            used.add(name)
            replacement, problem = _placeholder_text(figure, name, form)
            if problem:
                problems.append(Problem(source.locate(path), problem[0], label(path), problem[1]))
                pieces.append(match[0])
                continue
            pieces.append(replacement)
            if form is None:
                stated = _stated_rate_problem(figure, name, text[match.end() :])
                if stated:
                    found = Problem(source.locate(path), stated[0], label(path), stated[1])
                    (warnings if lenient else problems).append(found)
        pieces.append(text[position:])
        return "".join(pieces)

    data = report.model_dump()
    filled = {
        key: value if key in ("figures", "figures_from", "kind") else _walk(value, (key,), fill)
        for key, value in data.items()
    }
    if problems:
        raise InputError(file=source.path, problems=sorted(problems, key=_order))
    for name in figures:
        if name not in used:
            warnings.append(
                Problem(
                    source.locate(("figures", name), prefer_key=True),
                    "没有在正文中使用",
                    label(("figures", name)),
                    f"在正文中写 {{{name}}} 引用它，或删去这一项。",
                )
            )
    try:
        computed = type(report).model_validate(filled)
    except ValidationError as error:  # a text that its figures made too long, for instance
        problems = problems_from_validation_error(source, type(report), error)
        raise InputError(file=source.path, problems=problems) from None
    return Computed(computed, sorted(warnings, key=_order))


_BRACED = re.compile(r"\{+[^{}\n]{0,60}\}+")
_EXACT_REFERENCE = re.compile(r"[^{}.\s]+(?:\.[^{}.\s]+)?")


def _near_misses(text: str, figures: dict[str, Figure]) -> list[str]:
    """Braces around a figure's name that are not a placeholder (``{A.完成率 }``, ``{{A}``,
    ``{{{A}}}``, ``{ A }``): they would print as typed, a figure silently missing."""
    found: list[str] = []
    for match in _BRACED.finditer(text):
        braced = match[0]
        opening = len(braced) - len(braced.lstrip("{"))
        closing = len(braced) - len(braced.rstrip("}"))
        inner = braced[opening : len(braced) - closing]
        if opening == closing and opening in (1, 2) and _EXACT_REFERENCE.fullmatch(inner):
            continue  # a placeholder, or one printed literally on purpose
        if inner.strip().split(".")[0].strip() in figures:
            found.append(braced)
    return found


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.location.line or 0, problem.location.column or 0)


def _walk(value: Any, path: DataPath, fill: Any) -> Any:
    if isinstance(value, str):
        return fill(value, path) if "{" in value else value
    if isinstance(value, list):
        return [_walk(item, (*path, index), fill) for index, item in enumerate(value)]
    if isinstance(value, dict):
        return {key: _walk(item, (*path, key), fill) for key, item in value.items()}
    return value


def _unknown_figure(
    source: LoadedSource, path: DataPath, where: str, placeholder: str, name: str, names: list[str]
) -> Problem:
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
    if close:
        hint = f"是否想写 {'、'.join('{' + each + '}' for each in close)}？"
    elif names:
        hint = f"已定义的指标：{'、'.join(names[:10])}。"
    else:
        hint = "请先在 figures 中定义这个指标，如“figures: {道路里程: 88公里}”。"
    hint += f"如果这里就是要原样印出“{placeholder}”，请写成两层花括号：{{{placeholder}}}。"
    return Problem(source.locate(path), f"{placeholder} 引用了不存在的指标“{name}”", where, hint)


def _placeholder_text(
    figure: Figure, name: str, form: str | None
) -> tuple[str, tuple[str, str] | None]:
    """The text for one placeholder, or (message, hint) saying why it cannot be filled."""
    if form is None:
        return amount_text(figure.value, figure), None
    if form == "目标":
        if figure.target is None:
            return "", (f"指标“{name}”没有目标值", f"在 figures 的“{name}”下填写 target。")
        return amount_text(figure.target, figure), None
    if form == "去年":
        if figure.last_year is None:
            return "", (f"指标“{name}”没有上年值", f"在 figures 的“{name}”下填写 last_year。")
        return amount_text(figure.last_year, figure), None
    if form == "完成率":
        rate = completion_rate(figure)
        if rate is None:
            return "", (
                f"指标“{name}”没有目标值（或目标为 0），无法计算完成率",
                f"在 figures 的“{name}”下填写 target。",
            )
        return f"{rate_text(rate, figure.precision)}%", None
    if form == "同比":
        rate = change_rate(figure)
        if rate is None:
            return "", (
                f"指标“{name}”没有上年值（或上年为 0），无法计算同比",
                f"在 figures 的“{name}”下填写 last_year。",
            )
        return change_text(figure, rate), None
    close = difflib.get_close_matches(form, FORMS, n=1, cutoff=0.3)
    guess = f"是否想写 {{{name}.{close[0]}}}？" if close else ""
    return "", (
        f"不认识的写法“.{form}”",
        f"{guess}可用：{'、'.join('.' + each for each in FORMS)}。",
    )


def _stated_rate_problem(figure: Figure, name: str, after: str) -> tuple[str, str] | None:
    """A rate typed by hand right after ``{名称}`` must agree with the figure's own rate.

    Agreement is judged at the precision typed (117% agrees with 117.3%); ``约`` is the same;
    ``超``/``超过``/``逾`` need the rate above the typed one (and not more than twice it), ``近``
    just below it (within a tenth); ``持平`` needs a change that rounds to 0.
    """
    after = after.translate(FULL_WIDTH_DIGITS)
    completion = _STATED_COMPLETION.match(after)
    rate = completion_rate(figure)
    if completion and rate is not None and not agrees(rate, completion):
        typed = completion["rate"]
        return (
            f"写的“{completion['phrase']}”与指标“{name}”算得的 {rate_text(rate, figure.precision)}% 不符"
            f"（{amount_text(figure.value, figure)} ÷ 目标 {amount_text(figure.target or Decimal(0), figure)}）",
            f"请核对数值，或改写为 {{{name}.完成率}} 自动计算；如果这里的 {typed}% 说的不是“{name}”，"
            "请调整语序，或加 --lenient 只作提醒。",
        )
    rate = change_rate(figure)
    if rate is None:
        return None
    change = _STATED_CHANGE.match(after)
    flat = _STATED_FLAT.match(after)
    if change:
        sign = -1 if change["direction"] in FALLING else 1
        agreeing = agrees(rate * sign, change)
        phrase = change["phrase"]
    elif flat:
        agreeing = Decimal(rate_text(abs(rate), figure.precision)) == 0
        phrase = flat["phrase"]
    else:
        return None
    if agreeing:
        return None
    return (
        f"写的“{phrase}”与指标“{name}”算得的“{change_text(figure, rate)}”不符"
        f"（上年 {amount_text(figure.last_year or Decimal(0), figure)}，"
        f"今年 {amount_text(figure.value, figure)}）",
        f"请核对数值，或改写为 {{{name}.同比}} 自动计算；如果这里说的不是“{name}”的增减，"
        "请调整语序，或加 --lenient 只作提醒。",
    )
