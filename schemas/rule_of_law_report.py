"""``rule-of-law-report``: 法治政府建设年度报告 (seed 004).

Title, an optional byline (作者/审核人/来源/日期, as published on the bureau's website), the
opening, ``一、`` sections with one-line headings and ``（一）`` run-in subsections.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from schemas.base import ChineseDate, HuibaoModel, ReportKind, Text
from schemas.outline import OutlineReport


class Byline(HuibaoModel):
    """The publication line under the title; every part is optional."""

    model_config = ConfigDict(
        title="署名行",
        json_schema_extra={"description": "标题下的署名行：作者、审核人、来源、发布日期，都可不写"},
    )

    author: Text | None = Field(
        default=None, title="作者", description="作者，如“政策法规处（行政审批处）”"
    )
    reviewer: Text | None = Field(default=None, title="审核人", description="审核人")
    source: Text | None = Field(default=None, title="来源", description="来源")
    date: ChineseDate | None = Field(
        default=None, title="发布日期", description="发布日期，如 2024-02-27"
    )


class RuleOfLawReport(OutlineReport):
    """法治政府建设年度报告."""

    model_config = ConfigDict(title="法治政府建设年度报告")

    kind: Literal["rule-of-law-report"] = Field(
        title="报告类型", description="报告类型：法治政府建设年度报告，不要改动"
    )
    byline: Byline | None = Field(
        default=None,
        title="署名行",
        description="标题下的署名行（作者、审核人、来源、日期），可不写",
    )


KIND = ReportKind(
    name="rule-of-law-report",
    label="法治政府建设年度报告",
    description="标题、署名行（可选）、开头段落，“一、”级单行标题，“（一）”级接排小标题，一是二是条目",
    model=RuleOfLawReport,
)
