"""Named figures: the numbers of a report, typed once and referenced from the text.

Staff type numbers the way they write them: ``1220``, ``1,220``, ``１２２０``, ``82.4%``, ``20亿``,
``2.3万``. Every value is kept exactly, as a ``Decimal`` in the figure's own unit: with unit ``亿元``
the value ``20亿`` is 20, with unit ``元`` it is 2000000000. A figure may be written in full
(``value``, ``unit``, ``target``, ``last_year``, ``precision``, ``source``) or in short as one text,
``88公里``: the number, then the unit.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from schemas.fields import HuibaoModel, Text

MAGNITUDES = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
_NUMBER = re.compile(
    r"^(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<magnitude>万亿|亿|万)?(?P<rest>.*)$"
)

FigureName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[^{}.\s]+$"),
]
"""A figure's name as used in ``{名称}``: no braces, dots or spaces."""


def unit_magnitude(unit: str) -> Decimal:
    """``万元`` counts in 10^4, ``亿元`` in 10^8; other units count in ones."""
    for prefix, factor in MAGNITUDES.items():
        if unit.startswith(prefix):
            return factor
    return Decimal(1)


def split_number(typed: str) -> tuple[Decimal, str, str]:
    """``'2.3万户'`` → (2.3, '万', '户'); raise ``ValueError`` if it does not start with a number."""
    text = unicodedata.normalize("NFKC", typed).strip().replace(" ", "")
    match = _NUMBER.match(text)
    if match is None:
        raise ValueError(typed)
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:
        raise ValueError(typed) from None
    return number, match["magnitude"] or "", match["rest"]


def _not_a_number(typed: Any) -> PydanticCustomError:
    return PydanticCustomError(
        "huibao",
        "“{typed}”不是数值：请只写数字，可带“万”“亿”或“%”，如 1220、1,220、82.4%、20亿、2.3万",
        {"typed": typed},
    )


def _in_unit(typed: Any, unit: str) -> tuple[Any, str]:
    """A typed amount as a Decimal in ``unit``; an empty unit is taken from what was typed.

    What is not a number is passed through unchanged, so that the field itself fails with its own
    location and the "不是数值" message.
    """
    if isinstance(typed, float):
        return Decimal(str(typed)), unit
    if not isinstance(typed, str):
        return typed, unit
    try:
        number, magnitude, rest = split_number(typed)
    except ValueError:
        return typed, unit
    if rest == "%" and unit in ("", "%") and not magnitude:
        return number, "%"
    if rest:
        return typed, unit
    if not unit:
        return number, magnitude
    if not magnitude:  # a bare number is already in the figure's unit
        return number, unit
    return number * MAGNITUDES[magnitude] / unit_magnitude(unit), unit


class Figure(HuibaoModel):
    """One named figure: its value and unit, and what rates are computed from."""

    value: Decimal = Field(
        title="数值",
        description="数值，如 88、1,220、82.4%、20亿、2.3万；原样精确保存，不做四舍五入",
    )
    unit: str = Field(
        default="", max_length=20, title="单位", description="单位，如 公里、亿元、个、%；可不写"
    )
    target: Decimal | None = Field(
        default=None,
        title="目标",
        description="目标值（与数值同一单位），用于计算完成率 {名称.完成率}",
    )
    last_year: Decimal | None = Field(
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
            return {"value": data}
        if not isinstance(data, dict):
            return data
        converted = dict(data)
        unit = converted.get("unit") or ""
        if not isinstance(unit, str):
            return data
        unit = unit.strip()
        if converted.get("value") is not None:
            converted["value"], unit = _in_unit(converted["value"], unit)
        for name in ("target", "last_year"):
            if converted.get(name) is not None:
                converted[name], _ = _in_unit(converted[name], unit)
        converted["unit"] = unit
        return converted


Figures = dict[FigureName, Figure]
