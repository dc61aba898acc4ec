"""``progress-report``: 季度（阶段）进展情况报告 to a superior body (seed 002).

A 主送机关 line (``住房城乡建设部：``), an opening composed from who reports, the period and the
subject (``按照工作部署，现将我省今年第二季度推进落实……进展情况报告如下：``), the outline
(usually from （一）, with ``1.城市更新先导区建设。`` run-in subsections and 一是/二是 items),
then 特此报告 and the 落款.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from schemas.base import Finding, Paragraphs, ReportKind, Text
from schemas.outline import Level, OutlineReport


class ProgressReport(OutlineReport):
    """进展情况报告."""

    model_config = ConfigDict(title="进展情况报告")

    kind: Literal["progress-report"] = Field(
        title="报告类型", description="报告类型：进展情况报告，不要改动"
    )
    recipient: Text | None = Field(
        default=None,
        title="主送机关",
        description="主送机关，如“住房城乡建设部”；生成“住房城乡建设部：”一行。定期报告不写主送机关时可不写",
    )
    reporter: Text | None = Field(
        default=None, title="报告单位", description="报告单位的自称，如“我省”“我市”“我局”"
    )
    period: Text | None = Field(
        default=None, title="报告期", description="报告期，如“今年第二季度”“2021年上半年”"
    )
    subject: Text | None = Field(
        default=None,
        title="报告事项",
        description="报告事项，如“推进落实中央城市工作会议精神”；与报告单位、报告期一起，"
        "开头生成“按照工作部署，现将我省今年第二季度推进落实……进展情况报告如下：”。"
        "这句套话不合适时，三项都不写，在“开头”中写出完整的开头",
    )
    opening: Paragraphs = Field(
        default_factory=list,
        title="开头",
        description="开头段落；填写了报告单位、报告期和报告事项时，其后自动接“按照工作部署，"
        "现将……进展情况报告如下：”，否则照写",
    )
    top_level: Level = Field(
        default="（一）",
        title="最外层编号",
        description="最外层小节的编号形式：（一）（默认）或 一、",
    )

    def findings(self) -> list[Finding]:
        composed = {"reporter": self.reporter, "period": self.period, "subject": self.subject}
        given = [name for name, value in composed.items() if value is not None]
        findings = super().findings()
        if given and len(given) < len(composed):
            missing = next(name for name in composed if composed[name] is None)
            findings.append(
                Finding(
                    (missing,),
                    "报告单位、报告期、报告事项要么都填写（自动生成开头的套话），要么都不写",
                    "都不写时，请在开头（opening）中写出完整的开头。",
                )
            )
        if not given and not self.opening:
            findings.append(
                Finding(
                    ("opening",),
                    "缺少开头：没有填写报告单位、报告期和报告事项，也没有写开头",
                    "请在开头（opening）中写出完整的开头，如“现将……报告如下：”。",
                )
            )
        return findings


KIND = ReportKind(
    name="progress-report",
    label="进展情况报告",
    description="向上级机关报送的季度/阶段进展报告：主送机关、自动生成的开头、（一）1.小节、一是二是条目、落款",
    model=ProgressReport,
)
