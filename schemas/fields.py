"""Field types every schema uses: strict models and the ways staff type text, dates and yes/no."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

DataPath = tuple[str | int, ...]

MAX_TEXT_CHARS = 20_000
MAX_NUMBERED = 999
"""Most entries a numbered list may have (一、…九百九十九、): far beyond any real report, and
checked by validation, so that ``huibao validate`` refuses what the build could not number."""
MAX_TABLE_ROWS = 9999
"""Most tasks of a table: its 序号 are Arabic numerals."""


def _one_line(value: str) -> str:
    """A single-paragraph field never holds a line break: the writer would glue its lines
    (``计划投资100`` + ``2022年…`` → ``计划投资1002022年…``), so it is refused, not guessed."""
    if len(value.splitlines()) > 1:
        raise PydanticCustomError("huibao_line_break", "这一项只能写成一段，不能换行")
    return value


def _tidy_lines(value: str) -> str:
    """Lines of a multi-line field, each stripped, blank lines dropped."""
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS),
    AfterValidator(_one_line),
]
"""A piece of text typed by staff, one paragraph: surrounding blanks removed, never empty, no line
break, bounded in length."""

Lines = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS),
    AfterValidator(_tidy_lines),
]
"""Text whose line breaks are kept as line breaks where it prints (a title, a table cell)."""


def _split_paragraphs(value: Any) -> Any:
    """Accept one string (one paragraph per line) as well as a list of paragraphs; a list entry
    that holds several lines is several paragraphs."""
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return [
            line
            for entry in value
            for line in (entry.splitlines() if isinstance(entry, str) else [entry])
            if not isinstance(line, str) or line.strip()
        ]
    return value


Paragraphs = Annotated[
    list[Text], BeforeValidator(_split_paragraphs, json_schema_input_type=str | list[str])
]
"""Paragraphs of running text: a list, or one block of text where each line is a paragraph."""


def _split_points(value: Any) -> Any:
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    return value


Points = Annotated[
    list[Lines], BeforeValidator(_split_points, json_schema_input_type=str | list[str])
]
"""Numbered points of a table cell (1. 2. …): a list, or one block of text with a point a line. A
point written as a block of several lines keeps them as lines under its one number."""

# A separator outside brackets: 、 inside “各县（市、区）政府” is part of the name.
_NAME_SEPARATOR = re.compile(r"[、，,；;\n]+(?![^（(]*[）)])")


def split_names(value: Any) -> Any:
    """Accept ``市财政局、各县（市、区）政府`` (or one per line) as well as a list."""
    if isinstance(value, str):
        return [name for name in _NAME_SEPARATOR.split(value) if name.strip()]
    return value


Names = Annotated[list[Text], BeforeValidator(split_names, json_schema_input_type=str | list[str])]
"""Names (departments, 处室) separated by 、，； or one a line, or a list."""

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
