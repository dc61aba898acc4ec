"""``work-summary``: 年度工作总结 (seed 000), optionally with problems and next year's plan.

Seed 000 is the two-level case: an opening paragraph, then （一）…（七） run-in ``聚焦`` headings
with 一是/二是 items. Longer summaries (``一、2022年工作总结`` / ``二、存在问题`` /
``三、2023年工作计划``) use the same outline from ``一、`` down.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from schemas.base import ReportKind
from schemas.outline import OutlineReport


class WorkSummary(OutlineReport):
    """年度工作总结."""

    model_config = ConfigDict(title="年度工作总结")

    kind: Literal["work-summary"] = Field(
        title="报告类型", description="报告类型：年度工作总结，不要改动"
    )


KIND = ReportKind(
    name="work-summary",
    label="年度工作总结",
    description="开头段落，一、（一）等各级小节（可用“聚焦”式标题），一是二是条目；可分总结、问题、计划多部分",
    model=WorkSummary,
)
