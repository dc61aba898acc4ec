"""``performance-review``: 绩效考评目标完成情况表 (seed 001).

One table: 考评维度 | 目标（指标）名称 | 考核内容及指标 | 工作完成情况. A 考评维度 spans the rows of
all its targets (a vertically merged cell); ★ marks key targets; a target may continue over more
rows (``continued``), each with its own 考核内容 and 完成情况, its name cell merged over them.

工作完成情况 is built from fields, never typed as one blob: numbered entries
``1.完成情况。… 2.工作举措。一是…二是… 3.工作成效。…``, and for a target with several
sub-targets ``1.{sub-target}。（1）完成情况。…（2）工作举措。…``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from schemas.base import (
    DataPath,
    Finding,
    Flag,
    HuibaoModel,
    Paragraphs,
    ReportBase,
    ReportKind,
    Text,
    closing_field,
    landscape_field,
    opening_field,
    seal_field,
    signature_field,
    signature_findings,
)
from schemas.fields import MAX_NUMBERED, Points
from schemas.outline import ItemEntry


def _text_as_entry(value: Any) -> Any:
    """A completion written as plain text is one entry with that text."""
    if isinstance(value, str):
        return [{"text": value}]
    return value


class CompletionEntry(HuibaoModel):
    """One numbered entry of 工作完成情况: ``1.{heading}。{text}一是…二是…``, then its parts."""

    model_config = ConfigDict(
        title="完成情况分项",
        json_schema_extra={
            "description": "工作完成情况中自动编号的一项：小标题、文字、条目，以及（1）（2）小项"
        },
    )

    heading: Text | None = Field(
        default=None,
        title="小标题",
        description="小标题，不写编号，如“完成情况”“工作举措”“工作成效”，或分项目标的名称",
    )
    text: Paragraphs = Field(
        default_factory=list,
        title="文字",
        description="小标题后的文字；多段时每行一段，第一段紧接小标题",
    )
    items: list[ItemEntry] = Field(
        max_length=MAX_NUMBERED,
        default_factory=list,
        title="条目",
        description="“一是…二是…”条目，接在文字之后，自动编号",
    )
    parts: list[CompletionEntry] = Field(
        max_length=MAX_NUMBERED,
        default_factory=list,
        title="小项",
        description="分项目标之下的（1）（2）（3）小项，如 完成情况、工作举措、工作成效",
    )

    @model_validator(mode="after")
    def _has_content(self) -> CompletionEntry:
        if not (self.heading or self.text or self.items or self.parts):
            raise PydanticCustomError("huibao", "完成情况的这一项是空的：至少填写 heading 或 text")
        return self


Completion = Annotated[
    list[CompletionEntry],
    BeforeValidator(_text_as_entry, json_schema_input_type=str | list[CompletionEntry]),
]


_INDICATOR = "考核内容及指标；有多条时写成列表，自动编号 1. 2. …"
_COMPLETION = "工作完成情况：按“完成情况、工作举措、工作成效”等分项填写，自动编号 1. 2. …"


class TargetRow(HuibaoModel):
    """A row of the table: what was to be achieved (考核内容及指标) and what was done."""

    model_config = ConfigDict(
        title="目标续行",
        json_schema_extra={"description": "同一目标的又一行：本行的考核内容及指标和工作完成情况"},
    )

    indicator: Points = Field(title="考核内容及指标", description=_INDICATOR)
    completion: Completion = Field(title="工作完成情况", description=_COMPLETION)


class Target(HuibaoModel):
    """One 目标（指标）: its name, whether it is a key target (★), its first row and any more rows."""

    model_config = ConfigDict(
        title="目标（指标）",
        json_schema_extra={
            "description": "一个目标（指标）：名称、是否重点目标、考核内容及指标、工作完成情况，以及续行"
        },
    )

    name: Text = Field(title="目标（指标）名称", description="目标（指标）名称，如“小区改造”")
    key: Flag = Field(default=False, title="重点目标", description="是否重点目标：是 则名称前加 ★")
    indicator: Points = Field(title="考核内容及指标", description=_INDICATOR)
    completion: Completion = Field(title="工作完成情况", description=_COMPLETION)
    continued: list[TargetRow] = Field(
        max_length=MAX_NUMBERED,
        default_factory=list,
        title="续行",
        description="同一目标下的更多行（名称单元格合并），每行有自己的考核内容和完成情况",
    )


class Dimension(HuibaoModel):
    """A 考评维度 and its targets; its cell is merged over the rows of all of them."""

    model_config = ConfigDict(
        title="考评维度",
        json_schema_extra={"description": "一个考评维度及其下的目标（指标）"},
    )

    name: Text = Field(title="考评维度", description="考评维度，如“日常履职”")
    targets: list[Target] = Field(
        min_length=1,
        max_length=MAX_NUMBERED,
        title="目标（指标）",
        description="本维度下的目标（指标），按表格顺序",
    )


class PerformanceReview(ReportBase):
    """绩效考评目标完成情况表."""

    model_config = ConfigDict(title="绩效考评目标完成情况表")

    kind: Literal["performance-review"] = Field(
        title="报告类型", description="报告类型：绩效考评目标完成情况表，不要改动"
    )
    opening: Paragraphs = opening_field()
    dimensions: list[Dimension] = Field(
        min_length=1,
        max_length=MAX_NUMBERED,
        title="考评维度",
        description="考评维度，按表格顺序",
    )
    closing: Paragraphs = closing_field()
    signature: Flag = signature_field()
    seal: Flag = seal_field()
    landscape: Flag = landscape_field(True)

    def findings(self) -> list[Finding]:
        findings = signature_findings(self.signature, self.date, self.seal)
        for d, dimension in enumerate(self.dimensions):
            for t, target in enumerate(dimension.targets):
                here: DataPath = ("dimensions", d, "targets", t)
                rows: list[Target | TargetRow] = [target, *target.continued]
                for r, row in enumerate(rows):
                    path = here if r == 0 else (*here, "continued", r - 1)
                    findings.extend(_nested_too_deep(row.completion, (*path, "completion")))
        return findings


def _nested_too_deep(entries: list[CompletionEntry], path: DataPath) -> list[Finding]:
    """Completion entries have two levels, 1. and （1）; a third would have no numbering form."""
    findings: list[Finding] = []
    for e, entry in enumerate(entries):
        for p, part in enumerate(entry.parts):
            if part.parts:
                findings.append(
                    Finding(
                        (*path, e, "parts", p, "parts"),
                        "完成情况层级太深：只有 1. 和（1）两级",
                        "请把这一层改写为文字或“一是…”条目。",
                    )
                )
    return findings


KIND = ReportKind(
    name="performance-review",
    label="绩效考评目标完成情况表",
    description="表格：考评维度（合并单元格）、★重点目标、考核内容及指标、分项生成的工作完成情况",
    model=PerformanceReview,
)
