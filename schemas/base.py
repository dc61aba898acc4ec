"""What every report kind shares: strict models, text types, front matter and the kind registry entry.

Every field carries a Chinese ``description``: the same text feeds the JSON Schema (editor hover
help), the comments of ``huibao new`` skeletons and, later, the spreadsheet form notes.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from schemas.fields import (
    MAX_TEXT_CHARS,
    ChineseDate,
    DataPath,
    Flag,
    HuibaoModel,
    Lines,
    Paragraphs,
    Text,
)
from schemas.figures import Figures

__all__ = [
    "MAX_TEXT_CHARS",
    "ChineseDate",
    "DataPath",
    "Flag",
    "HuibaoModel",
    "Lines",
    "Paragraphs",
    "Text",
]


@dataclass(frozen=True)
class Finding:
    """A problem found after the fields themselves validated (e.g. an outline nested too deep)."""

    path: DataPath
    message: str
    hint: str = ""


def _half_width_digits(value: Any) -> Any:
    """``２０２４`` typed with a Chinese input method is the year 2024."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


Year = Annotated[int, BeforeValidator(_half_width_digits, json_schema_input_type=int | str)]


class ReportBase(HuibaoModel):
    """Front matter every report kind has: what it is called, who issues it, for which year."""

    title: Lines = Field(
        title="标题",
        description="报告标题（全称）；标题太长需分两行时，用“|”写成两行",
    )
    org: Text = Field(
        title="发文机关", description="发文机关全称，如“嘉兴市住房和城乡建设局”；用于落款和文档属性"
    )
    year: Year = Field(ge=1949, le=2200, title="年度", description="报告所属年度，如 2020")
    date: ChineseDate | None = Field(
        default=None,
        title="成文日期",
        description="成文日期，如 2021-01-15 或 2021年1月15日；落款中以“2021年1月15日”形式出现",
    )
    figures: Figures = Field(
        default_factory=dict,
        title="指标",
        description="指标：名称 → 数值（可带单位、目标、上年值）；正文中用 {名称}、{名称.完成率}、"
        "{名称.同比}、{名称.目标}、{名称.去年} 引用，数字只填一次",
    )
    figures_from: Text | None = Field(
        default=None,
        title="指标文件",
        description="从表格文件读取指标，如“2024指标.xlsx”（与本文件同一文件夹），读取其中的“指标”工作表",
    )

    def findings(self) -> list[Finding]:
        """Cross-field checks that need the whole report; each kind adds its own."""
        return []


def opening_field() -> Any:
    """``opening``: paragraphs before the body; the same field in every kind."""
    return Field(
        default_factory=list, title="开头", description="开头段落（可不写）；多段时每行一段"
    )


def closing_field() -> Any:
    """``closing``: paragraphs after the body."""
    return Field(
        default_factory=list, title="结尾", description="结尾段落，如“特此报告。”（可不写）"
    )


def signature_field() -> Any:
    """``signature``: whether a 落款 closes the report (checked by ``signature_findings``)."""
    return Field(
        default=False,
        title="落款",
        description="填“是”：文末加落款（发文机关和成文日期，右对齐），需同时填写成文日期；填“否”（默认）：不加落款",
    )


def seal_field() -> Any:
    """``seal``: the 落款 is stamped (GB/T 9704 §7.3.5.1) instead of unstamped (§7.3.5.2)."""
    return Field(
        default=False,
        title="加盖印章",
        description="填“是”：落款加盖印章，成文日期右空四字、发文机关署名以成文日期居中；"
        "填“否”（默认）：不盖章，署名右空二字、成文日期首字比署名首字右移二字",
    )


def landscape_field(default: bool) -> Any:
    """``landscape``: the table kinds' pages turned for a wide table (横排表格, GB/T 9704 §8)."""
    shown = "是" if default else "否"
    return Field(
        default=default,
        title="横排",
        description=f"填“是”：表格横排（页面横放，表格更宽、行数更少）；填“否”：竖排。不填时为“{shown}”",
    )


def signature_findings(signature: bool, date: dt.date | None, seal: bool = False) -> list[Finding]:
    """A 落款 needs its 成文日期; a seal needs a 落款."""
    found: list[Finding] = []
    if signature and date is None:
        found.append(
            Finding(
                ("signature",),
                "要加落款，但没有填写成文日期",
                "请填写成文日期（date），如 2021-01-15。",
            )
        )
    if seal and not signature:
        found.append(
            Finding(
                ("seal",),
                "要加盖印章，但没有加落款",
                "请把“落款”（signature）填为“是”，并填写成文日期（date）。",
            )
        )
    return found


@dataclass(frozen=True)
class ReportKind:
    """A registry entry: everything the engine needs to know about one report kind.

    The template folder is ``templates/<name>/`` by convention, with ``report.html.j2`` inside.
    """

    name: str
    label: str
    description: str
    model: type[ReportBase]
