"""Rates as staff type them, and when a typed rate agrees with the one its figures give.

Shared by ``generator/compute.py`` (a rate typed right after a ``{名称}`` figure) and
``generator/check_rates.py`` (a rate stated anywhere in a report, checked against the numbers of
its sentence or table row), so that both read the same phrases and judge by the same rule.
"""

from __future__ import annotations

import decimal
import re
from decimal import ROUND_HALF_UP, Decimal

RATE_CONTEXT = decimal.Context(prec=80, rounding=ROUND_HALF_UP)
"""Rates are computed with ample digits: every rate of bounded figures is exact to far more
places than any report prints."""

QUALIFIER = r"(?P<qualifier>约|近|超过|超|逾|达到了|达到|达|为|是)?"
RATE = r"\s*(?P<rate>[+-]?\d+(?:\.\d+)?)\s*[%％]"
TARGET = r"(?:全年|年度|年初)?(?:目标任务量|目标任务|任务量|目标|任务|计划)"
COMPLETION = (
    r"(?:完成率|完成比例|完成进度|完成(?:了)?(?:\d{4}年度?)?"
    + TARGET
    + r"(?:的)?|达到(?:了)?"
    + TARGET
    + r"的|[为占](?:了)?"
    + TARGET
    + r"的)"
    r"(?:为|达到了|达到|达|是)?" + QUALIFIER + RATE
)
"""``完成率117%``, ``完成年度目标任务的149%``, ``达到全年计划的108%``, ``为目标的95%``."""
SINCE = (
    r"(?:同比|(?:比|较)(?:上年|去年|\d{4}年)(?:同期|末|度)?(?:同比)?"
    r"|与(?:上年|去年|\d{4}年)(?:同期)?相比)"
)
CHANGE_FROM_DIRECTION = (
    r"(?P<direction>负增长|增长率|增长|增加|上升|提高|提升|扩大|下降|减少|降低|下滑|回落|缩小"
    r"|增幅|降幅|增速)"
    r"(?:了|为|达到了|达到|达|是)?" + QUALIFIER + RATE
)
CHANGE = SINCE + "?" + CHANGE_FROM_DIRECTION
"""``同比增长5.7%``, ``比上年下降3%``, ``增幅为12%``."""
FLAT = SINCE + r"?持平|与上年持平|与去年持平"
"""``同比持平``: a change that rounds to 0 (a pattern of alternatives: wrap it in a group)."""
FULL_WIDTH_DIGITS = str.maketrans(
    {chr(0xFF10 + digit): str(digit) for digit in range(10)} | {"．": "."}
)
FALLING = frozenset({"下降", "减少", "降低", "下滑", "回落", "缩小", "降幅", "负增长"})


def places_of(typed: str) -> int:
    """How many decimals a typed number shows: ``82.4`` → 1, ``149`` → 0."""
    return len(typed.split(".")[1]) if "." in typed else 0


def rounded(rate: Decimal, places: int) -> Decimal:
    """``rate`` rounded half up to ``places`` decimals, as reports round."""
    with decimal.localcontext(RATE_CONTEXT):
        return rate.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def agrees_typed(rate: Decimal, typed: str, qualifier: str | None) -> bool:
    """Whether a typed rate (``typed`` percent, after ``qualifier``) states ``rate``.

    Agreement is judged at the precision typed (117% agrees with 117.3%); ``约`` is the same;
    ``超``/``超过``/``逾`` need the rate above the typed one (and not more than twice it), ``近``
    just below it (within a tenth).
    """
    value = Decimal(typed)
    with decimal.localcontext(RATE_CONTEXT):
        if qualifier in ("超", "超过", "逾"):
            return value < rate <= 2 * value if value > 0 else rate > value
        if qualifier == "近":
            return value * Decimal("0.9") <= rate < value if value > 0 else rate < value
    return rounded(rate, places_of(typed)) == value


def agrees(rate: Decimal, stated: re.Match[str]) -> bool:
    """``agrees_typed`` for a match of one of the patterns above (groups ``rate``, ``qualifier``)."""
    return agrees_typed(rate, stated["rate"], stated["qualifier"])
