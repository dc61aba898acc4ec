"""What every report kind shares: strict models, text types, front matter and the kind registry entry.

Every field carries a Chinese ``description``: the same text feeds the JSON Schema (editor hover
help), the comments of ``huibao new`` skeletons and, later, the spreadsheet form notes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

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


@dataclass(frozen=True)
class Finding:
    """A problem found after the fields themselves validated (e.g. an outline nested too deep)."""

    path: DataPath
    message: str
    hint: str = ""


class ReportBase(HuibaoModel):
    """Front matter every report kind has: what it is called, who issues it, for which year."""

    title: Text = Field(
        description="报告标题，如“嘉兴市住房和城乡建设局2020年工作总结”；标题太长需分两行时，用“|”写成两行",
    )
    org: Text = Field(description="发文机关全称，如“嘉兴市住房和城乡建设局”；用于落款和文档属性")
    year: int = Field(ge=1949, le=2200, description="报告所属年度，如 2020")
    date: ChineseDate | None = Field(
        default=None,
        description="成文日期，如 2021-01-15 或 2021年1月15日；落款中以“2021年1月15日”形式出现",
    )

    def findings(self) -> list[Finding]:
        """Cross-field checks that need the whole report; each kind adds its own."""
        return []


def opening_field() -> Any:
    """``opening``: paragraphs before the body; the same field in every kind."""
    return Field(default_factory=list, description="开头段落（可不写）；多段时每行一段")


def closing_field() -> Any:
    """``closing``: paragraphs after the body."""
    return Field(default_factory=list, description="结尾段落，如“特此报告。”（可不写）")


def signature_field() -> Any:
    """``signature``: whether a 落款 closes the report (checked by ``signature_findings``)."""
    return Field(
        default=False,
        description="true：文末加落款（发文机关和成文日期，右对齐），需填写 date",
    )


def signature_findings(signature: bool, date: dt.date | None) -> list[Finding]:
    """A 落款 needs its 成文日期."""
    if signature and date is None:
        return [
            Finding(("signature",), "要加落款，但没有填写成文日期", "请填写 date，如 2021-01-15。")
        ]
    return []


@dataclass(frozen=True)
class ReportKind:
    """A registry entry: everything the engine needs to know about one report kind.

    The template folder is ``templates/<name>/`` by convention, with ``report.html.j2`` inside.
    """

    name: str
    label: str
    description: str
    model: type[ReportBase]
