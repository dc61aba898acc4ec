from __future__ import annotations

import datetime as dt

import pytest

from generator.numbering import chinese_date, chinese_number


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1005, "一千零五"),
    ],
)
def test_chinese_number(number: int, expected: str) -> None:
    assert chinese_number(number) == expected


@pytest.mark.parametrize("number", [0, -1, 10_000])
def test_chinese_number_out_of_range(number: int) -> None:
    with pytest.raises(ValueError, match=r"1\.\.9999"):
        chinese_number(number)


def test_chinese_date_has_no_leading_zeros() -> None:
    assert chinese_date(dt.date(2024, 2, 7)) == "2024年2月7日"
