"""``progress-report``: 季度（阶段）进展情况报告 to a superior body (seed 002).

A 主送机关 line (``住房城乡建设部：``), an opening composed from who reports, the period and the
subject (``按照工作部署，现将我省今年第二季度推进落实……进展情况报告如下：``), the outline
(usually from （一）, with ``1.城市更新先导区建设。`` run-in subsections and 一是/二是 items),
then 特此报告 and the 落款.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from schemas.base import Paragraphs, ReportKind, Text
from schemas.outline import Level, OutlineReport


class ProgressReport(OutlineReport):
    """进展情况报告."""

    model_config = ConfigDict(title="进展情况报告")

    kind: Literal["progress-report"] = Field(
        title="报告类型", description="报告类型：进展情况报告，不要改动"
    )
    recipient: Text = Field(
        title="主送机关", description="主送机关，如“住房城乡建设部”；生成“住房城乡建设部：”一行"
    )
    reporter: Text = Field(title="报告单位", description="报告单位的自称，如“我省”“我市”“我局”")
    period: Text = Field(title="报告期", description="报告期，如“今年第二季度”“2021年上半年”")
    subject: Text = Field(
        title="报告事项",
        description="报告事项，如“推进落实中央城市工作会议精神”；开头生成“现将我省今年第二季度推进落实……进展情况报告如下：”",
    )
    opening: Paragraphs = Field(
        default_factory=list,
        title="开头",
        description="开头背景段落（可不写）；其后自动接“按照工作部署，现将……进展情况报告如下：”",
    )
    top_level: Level = Field(
        default="（一）",
        title="最外层编号",
        description="最外层小节的编号形式：（一）（默认）或 一、",
    )


KIND = ReportKind(
    name="progress-report",
    label="进展情况报告",
    description="向上级机关报送的季度/阶段进展报告：主送机关、自动生成的开头、（一）1.小节、一是二是条目、落款",
    model=ProgressReport,
)
