"""``work-summary``: 年度工作总结 (seed 000), optionally with problems and next year's plan.

Seed 000 is the two-level case: an opening paragraph, then （一）…（七） run-in ``聚焦`` headings
with 一是/二是 items. Longer summaries (``一、2022年工作总结`` / ``二、存在问题`` /
``三、2023年工作计划``) use the same outline from ``一、`` down.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.base import Finding, Flag, Paragraphs, ReportBase, ReportKind
from schemas.outline import Level, Section, outline_findings


class WorkSummary(ReportBase):
    """年度工作总结."""

    kind: Literal["work-summary"] = Field(description="报告类型，固定为 work-summary")
    opening: Paragraphs = Field(
        default_factory=list,
        description="开头段落，如“今年以来，……”；多段时每行一段",
    )
    top_level: Level = Field(
        default="一、",
        description="最外层小节的编号形式：一、（默认）或（一）等；只有一层小节时常用（一）",
    )
    sections: list[Section] = Field(min_length=1, description="正文各部分，按顺序自动编号")
    closing: Paragraphs = Field(default_factory=list, description="结尾段落（可不写）")
    signature: Flag = Field(
        default=False,
        description="true：文末加落款（发文机关和成文日期，右对齐），需填写 date",
    )

    def findings(self) -> list[Finding]:
        findings = outline_findings(self.sections, self.top_level, ("sections",))
        if self.signature and self.date is None:
            findings.append(
                Finding(
                    ("signature",), "要加落款，但没有填写成文日期", "请填写 date，如 2021-01-15。"
                )
            )
        return findings


KIND = ReportKind(
    name="work-summary",
    label="年度工作总结",
    description="开头段落、（一）（二）…小节（可用“聚焦”式标题）、一是二是条目；可分总结/问题/计划多部分",
    model=WorkSummary,
)
