"""Chinese numerals and dates as GB/T 9704 documents write them."""

from __future__ import annotations

import datetime as dt

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (up to 9999), as in 十一是, （十二）."""
    if not 0 < number < 10_000:
        raise ValueError(f"chinese_number supports 1..9999, got {number}")
    text = ""
    rest = number
    pending_zero = False
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if pending_zero:
                text += "零"
                pending_zero = False
            # 十一 rather than 一十一 when ten leads the number
            text += ("" if value == 10 and digit == 1 and not text else _DIGITS[digit]) + unit
        elif text:
            pending_zero = True
    if rest:
        text += ("零" if pending_zero else "") + _DIGITS[rest]
    return text


def chinese_date(date: dt.date) -> str:
    """2024-02-27 → 2024年2月27日 (Arabic numerals, no leading zeros, per GB/T 9704)."""
    return f"{date.year}年{date.month}月{date.day}日"
