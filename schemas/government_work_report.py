"""``government-work-report``: 政府工作报告, the speech a mayor or county head gives to the people's
congress every year.

It differs from the other narrative kinds in its front matter: a subtitle line under the title
(``——2024年1月10日在某市第十六届人民代表大会第四次会议上``), the speaker (``市长  某某``) and the
salutation (``各位代表：``); no 落款 (the date is in the subtitle). The body is the shared outline,
usually ``一、2023年工作回顾`` and ``二、2024年工作安排``, whose review closes with a paragraph after
its subsections (``在肯定成绩的同时，我们也清醒地看到……``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from schemas.base import ReportKind, Text
from schemas.outline import OutlineReport


class GovernmentWorkReport(OutlineReport):
    """政府工作报告."""

    model_config = ConfigDict(title="政府工作报告")

    kind: Literal["government-work-report"] = Field(
        title="报告类型", description="报告类型：政府工作报告，不要改动"
    )
    subtitle: Text = Field(
        title="副标题",
        description="标题下的副标题行，如“——2024年1月10日在某市第十六届人民代表大会第四次会议上”",
    )
    speaker: Text = Field(
        title="讲话人", description="讲话人一行，如“市长  某某”（职务和姓名之间可空两格）"
    )
    salutation: Text = Field(
        default="各位代表",
        title="称谓",
        description="开头的称谓，默认“各位代表：”，单独一行顶格",
    )


KIND = ReportKind(
    name="government-work-report",
    label="政府工作报告",
    description="副标题（在……会议上）、讲话人、“各位代表：”，一、工作回顾（可接结尾段落）、二、工作安排等各级小节",
    model=GovernmentWorkReport,
)
