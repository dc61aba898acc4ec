"""Named figures: the numbers of a report, typed once and referenced from the text.

Staff type numbers the way they write them: ``1220``, ``1,220``, ``１２２０``, ``82.4%``, ``20亿``,
``2.3万``. Every value is kept exactly, as a ``Decimal`` in the figure's own unit: with unit ``亿元``
the value ``20亿`` is 20, with unit ``元`` it is 2000000000. A figure may be written in full
(``value``, ``unit``, ``target``, ``last_year``, ``precision``, ``source``) or in short as one text,
``88公里``: the number, then the unit.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from schemas.fields import HuibaoModel, Text

# Magnitude words, as powers of ten: in a typed value (``20亿``) and at the start of a unit
# (``千元``, ``百万千瓦``). Longest first, so that ``千万`` is not read as ``千``.
MAGNITUDES: dict[str, int] = {
    "万亿": 12,
    "千亿": 11,
    "百亿": 10,
    "十亿": 9,
    "亿": 8,
    "千万": 7,
    "百万": 6,
    "十万": 5,
    "万": 4,
    "千": 3,
}
# 千 that belongs to a metric unit (千米 = km, 千瓦时 = kWh) is not a magnitude: ``1.2亿`` in
# 千瓦时 is 1.2亿千瓦时, as every energy statistic writes it.
_METRIC_AFTER_KILO = (
    "米",
    "克",
    "瓦",
    "伏",
    "焦",
    "帕",
    "卡",
    "赫",
    "兆",
    "字节",
    "比特",
    "牛",
    "安",
)
# A unit whose base starts with one of these counts in a magnitude huibao cannot tell apart from
# the unit's own meaning (百元? 百分点?): a typed 万/亿 for it is refused rather than guessed.
_AMBIGUOUS_BASE_START = ("十", "百", "千")
_EXACT = decimal.Context(prec=100)
MAX_INTEGER_DIGITS = 24
MAX_DECIMAL_PLACES = 12
"""Bounds of a figure's value: far beyond any real report, small enough that rates stay exact."""

_NUMBER = re.compile(
    r"^(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"(?P<magnitude>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千)?(?P<rest>.*)$"
)
_PUNCTUATION = "!-.:-@\\[-`{-~，。、；：？！（）【】《》“”‘’"
_UNIT = re.compile(rf"^(?![eE][+-]?\d*$)(?:%|‰|[^\s\d/{_PUNCTUATION}][^\s\d{_PUNCTUATION}]*)$")
"""A clean unit: ``%``, ``‰`` or words and symbols (公里, 亿元, 万人次, m³, ㎡, ℃, tCO₂, 元/吨): no
ASCII digit, no punctuation but ``/`` (not first) and ``·``, not the ``e`` of scientific notation."""

FigureName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[^{}.\s]+$"),
]
"""A figure's name as used in ``{名称}``: no braces, dots or spaces."""


def split_unit(unit: str) -> tuple[int, str]:
    """``千元`` → (3, 元), ``亿千瓦时`` → (8, 千瓦时), ``千米`` → (0, 千米), ``公里`` → (0, 公里),
    ``万`` → (4, "")."""
    for prefix, exponent in MAGNITUDES.items():
        if not unit.startswith(prefix):
            continue
        base = unit[len(prefix) :]
        if prefix == "千" and base.startswith(_METRIC_AFTER_KILO):
            continue  # 千米, 千瓦时: the whole word is the unit
        return exponent, base
    return 0, unit


def _ambiguous_base(base: str) -> bool:
    """百元, 十户: a unit that may itself count in tens or hundreds (千米 and 千瓦时 do not)."""
    if base.startswith("千"):
        return not base[1:].startswith(_METRIC_AFTER_KILO)
    return base.startswith(_AMBIGUOUS_BASE_START)


def unit_magnitude(unit: str) -> Decimal:
    """``万元`` counts in 10^4, ``千元`` in 10^3, ``亿千瓦时`` in 10^8; other units in ones."""
    return Decimal(1).scaleb(split_unit(unit)[0])


_NUMBER_CHARACTERS = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        "．": ".",
        "，": ",",
        "％": "%",
        "＋": "+",
        "－": "-",
        "\u2212": "-",
        "　": None,
        " ": None,
        "\u00a0": None,
        "\u2009": None,
        "\u202f": None,
    }
)


def _clean(typed: str) -> str:
    """Full-width digits and signs folded, blanks inside dropped; a unit is kept as typed
    (``㎡``, ``℃`` and ``m²`` are not rewritten)."""
    return typed.strip().translate(_NUMBER_CHARACTERS)


def split_number(typed: str) -> tuple[Decimal, str, str]:
    """``'2.3万户'`` → (2.3, '万', '户'); raise ``ValueError`` unless it is a clean number followed
    by nothing, a magnitude and/or a clean unit (``1.2.3``, ``1e30``, ``12,34`` are not)."""
    match = _NUMBER.match(_clean(typed))
    if match is None:
        raise ValueError(typed)
    rest = match["rest"]
    if rest and not _UNIT.match(rest):
        raise ValueError(typed)
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise ValueError(typed) from None
    return number, match["magnitude"] or "", rest


def _not_a_number(typed: Any) -> PydanticCustomError:
    return PydanticCustomError(
        "huibao",
        "“{typed}”不是数值：请只写一个数字，后面可带单位，如 1220、1,220、82.4%、20亿、2.3万、88公里"
        "（不能用科学计数法，不能有两个小数点，千分位逗号后应是三位数字）",
        {"typed": typed},
    )


def _is_bare_number(typed: Any) -> bool:
    """``30000`` (a number with no magnitude and no unit), typed or from a spreadsheet."""
    if isinstance(typed, (int, float, Decimal)) and not isinstance(typed, bool):
        return True
    try:
        _, magnitude, rest = split_number(str(typed))
    except ValueError:
        return False
    return not magnitude and not rest


def _bad_unit(unit: str) -> PydanticCustomError:
    return PydanticCustomError(
        "huibao",
        "单位“{unit}”无法识别：单位应是一个计量单位，如 公里、亿元、万人次、元/吨、%，不能含数字、不能以标点开头",
        {"unit": unit},
    )


def _out_of_range(value: Decimal) -> PydanticCustomError | None:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: the pattern admits no NaN or infinity
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        return PydanticCustomError(
            "huibao",
            "数值太大：换算为单位后超过 {digits} 位整数，请检查单位和数值",
            {"digits": MAX_INTEGER_DIGITS},
        )
    if -exponent > MAX_DECIMAL_PLACES and value != 0:
        return PydanticCustomError(
            "huibao",
            "小数位太多：换算为单位后超过 {places} 位小数，请换用更小的单位",
            {"places": MAX_DECIMAL_PLACES},
        )
    return None


@dataclass(frozen=True)
class _Refused:
    """An amount the figure's validator could not convert; its field raises ``error``, so that
    the message points at the amount's own line, not at the figure."""

    error: PydanticCustomError


def _blank(value: Any) -> bool:
    """Nothing typed: an empty YAML value, an empty cell or only blanks."""
    return value is None or (isinstance(value, str) and not value.strip())


def _typed_unit(typed: Any) -> str:
    """The magnitude and unit typed with an amount (``2242个`` → 个), or ``""``."""
    try:
        _, magnitude, rest = split_number(str(typed))
    except ValueError:
        return ""
    return magnitude + rest


def _raise_refused(value: Any) -> Any:
    if isinstance(value, _Refused):
        raise value.error
    return value


def _refused(message: str, **context: Any) -> _Refused:
    return _Refused(PydanticCustomError("huibao", message, context))


def _in_unit(typed: Any, unit: str, *, adopt: bool = False) -> tuple[Any, str]:
    """A typed amount as a Decimal in ``unit``; with ``adopt`` and no unit, the unit is taken
    from what was typed (``2.3万人`` → 2.3 in 万人).

    A magnitude or unit typed with the amount counts in the unit's own base: with unit 千元,
    ``20亿`` and ``20亿元`` are 2000000; with unit 万千瓦, ``1.2亿`` is 12000; with no unit at
    all, ``7.5万`` is 75000. What cannot be converted becomes a ``_Refused`` that its own field
    raises, at its own line.
    """
    if isinstance(typed, float):
        typed = repr(typed)
    if isinstance(typed, int) and not isinstance(typed, bool):
        return Decimal(typed), unit
    if isinstance(typed, (list, dict)):
        return _refused(
            "这里应填写一个数值，不是{what}", what="列表" if isinstance(typed, list) else "一组字段"
        ), unit
    if not isinstance(typed, str):
        return typed, unit
    try:
        number, magnitude, rest = split_number(typed)
    except ValueError:
        return _Refused(_not_a_number(typed)), unit
    if rest in ("%", "‰") and not magnitude:
        if unit in ("", rest):
            return number, rest
        return _refused(
            "“{typed}”带“{sign}”，但指标的单位是“{unit}”：这样的数值单位应为“{sign}”或不写",
            typed=typed,
            sign=rest,
            unit=unit,
        ), unit
    if adopt and not unit:
        return number, magnitude + rest
    typed_exponent, typed_base = split_unit(magnitude + rest)
    unit_exponent, unit_base = split_unit(unit)
    if not magnitude and not rest:
        return number, unit  # a bare number is already in the figure's unit
    if typed_base and typed_base != unit_base:
        return _refused(
            "“{typed}”的单位与指标的单位“{unit}”不一致：请写以“{unit}”计的数值",
            typed=typed,
            unit=unit or "（无单位）",
        ), unit
    if _ambiguous_base(unit_base) and typed_exponent != unit_exponent:
        return _refused(
            "“{typed}”中的“{magnitude}”与单位“{unit}”的换算关系不明确，请直接写以“{unit}”计的数值",
            typed=typed,
            magnitude=magnitude,
            unit=unit,
        ), unit
    if typed_exponent == unit_exponent:
        return number, unit
    # converted: 10000万 in 亿 is 1, not 1.0000 (the digits typed no longer say anything);
    # exactly, whatever the digits (the default context would round to 28)
    with decimal.localcontext(_EXACT):
        return number.scaleb(typed_exponent - unit_exponent).normalize(), unit


Amount = Annotated[Decimal, BeforeValidator(_raise_refused)]
"""A figure's value, target or last-year amount, converted into the figure's unit."""


class Figure(HuibaoModel):
    """One named figure: its value and unit, and what rates are computed from."""

    model_config = ConfigDict(
        title="指标",
        json_schema_extra={
            "description": "一个指标：数值和单位，以及计算完成率、同比用的目标值和上年值"
        },
    )

    value: Amount = Field(
        title="数值",
        description="数值，如 88、1,220、82.4%、20亿、2.3万；原样精确保存，不做四舍五入",
    )
    unit: str = Field(
        default="", max_length=20, title="单位", description="单位，如 公里、亿元、个、%；可不写"
    )
    target: Amount | None = Field(
        default=None,
        title="目标",
        description="目标值（与数值同一单位），用于计算完成率 {名称.完成率}",
    )
    last_year: Amount | None = Field(
        default=None,
        title="上年",
        description="上年同期值（与数值同一单位），用于计算同比 {名称.同比}",
    )
    precision: int | None = Field(
        default=None,
        title="精度",
        ge=0,
        le=6,
        description="完成率、同比保留的小数位数；不写时保留一位并去掉末尾的 0（117.3%、108%）",
    )
    source: Text | None = Field(
        default=None, title="来源", description="数据来源，如“市统计局”（只作记录）"
    )

    @model_validator(mode="before")
    @classmethod
    def _typed_amounts(cls, data: Any) -> Any:
        """Accept ``88公里`` for a whole figure, and staff-typed numbers in every amount."""
        if isinstance(data, (str, int, float, Decimal)) and not isinstance(data, bool):
            if isinstance(data, str):
                try:
                    number, magnitude, rest = split_number(data)
                except ValueError:
                    raise _not_a_number(data) from None
                return {"value": number, "unit": magnitude + rest}
            return {"value": repr(data) if isinstance(data, float) else data}
        if not isinstance(data, dict):
            return data
        converted = dict(data)
        unit = converted.get("unit") or ""
        if not isinstance(unit, str):
            return data
        unit = unit.strip()
        if unit and (not _UNIT.match(unit) or split_unit(unit)[1].startswith(("万", "亿"))):
            raise _bad_unit(unit)
        unit_typed = bool(unit)
        if _blank(converted.get("value")):
            # left empty for staff to fill (``huibao import --next-year`` drafts): one clear
            # message at the value's own line or cell; the other amounts are still checked,
            # in the unit the last-year value was written in when none is given
            if not unit:
                unit = _typed_unit(converted.get("last_year"))
            converted["value"] = _refused(
                "还没有填写数值：请填写今年的数值{last}",
                last=f"（上年为 {str(converted['last_year']).strip()}）"
                if not _blank(converted.get("last_year"))
                else "",
            )
        elif converted.get("value") is not None:
            converted["value"], unit = _in_unit(converted["value"], unit, adopt=True)
        for name in ("target", "last_year"):
            typed = converted.get(name)
            if typed is None:
                continue
            if not unit_typed and split_unit(unit)[0] and _is_bare_number(typed):
                converted[name] = _refused(
                    "“{typed}”没有写单位，而数值写的是以“{unit}”计：是 {typed}{unit} 吗？"
                    "请写明，如“{typed}{unit}”，或填写“单位”",
                    typed=str(typed).strip(),
                    unit=unit,
                )
                continue
            converted[name], _ = _in_unit(typed, unit)
        converted["unit"] = unit
        return converted

    @model_validator(mode="after")
    def _within_range(self) -> Figure:
        for amount in (self.value, self.target, self.last_year):
            if amount is not None and (problem := _out_of_range(amount)) is not None:
                raise problem
        return self


Figures = dict[FigureName, Figure]
