"""Field types every schema uses: strict models and the ways staff type text, dates and yes/no."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, model_validator

DataPath = tuple[str | int, ...]

MAX_TEXT_CHARS = 20_000

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS),
]
"""A piece of text typed by staff: surrounding blanks removed, never empty, bounded in length."""


def _split_paragraphs(value: Any) -> Any:
    """Accept one string (one paragraph per line) as well as a list of paragraphs."""
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    return value


Paragraphs = Annotated[
    list[Text], BeforeValidator(_split_paragraphs, json_schema_input_type=str | list[str])
]
"""Paragraphs of running text: a list, or one block of text where each line is a paragraph."""

_CHINESE_DATE = re.compile(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*$")


def _parse_date(value: Any) -> Any:
    """Accept the ways staff write dates: 2024-02-27, 2024年2月27日, 2024.2.27, 2024/2/27."""
    if isinstance(value, str):
        match = _CHINESE_DATE.match(unicodedata.normalize("NFKC", value))
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return value
    return value


ChineseDate = Annotated[dt.date, BeforeValidator(_parse_date, json_schema_input_type=dt.date | str)]

_CHINESE_BOOLEANS = {"是": True, "否": False, "对": True, "不": False}


def _parse_bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip() in _CHINESE_BOOLEANS:
        return _CHINESE_BOOLEANS[value.strip()]
    return value


Flag = Annotated[
    bool, BeforeValidator(_parse_bool, json_schema_input_type=bool | Literal["是", "否"])
]
"""A yes/no switch: true/false, yes/no, 是/否."""


class HuibaoModel(BaseModel):
    """Strict base: an unknown field is an error (a typo must never be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_means_default(cls, data: Any) -> Any:
        """A field left blank (``opening:``) means "not filled": use its default if it has one.

        A blank required field is still an error, reported as "不能为空" at its line.
        """
        if isinstance(data, dict):
            return {
                key: value
                for key, value in data.items()
                if not (
                    value is None
                    and key in cls.model_fields
                    and not cls.model_fields[key].is_required()
                )
            }
        return data
