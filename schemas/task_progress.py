"""``task-progress``: 政府工作报告重点工作执行情况 (seed 003).

Title and period, then one table: 序号 | 主要工作任务 | 进展情况 | 牵头部门 | 进展状态. 进展情况 is a
list of points, numbered 1. 2. … when there are several; 牵头部门 is a list; 进展状态 is a closed
vocabulary. A task may run over more rows (``continued``) that share its 序号 cell, as task 11 of
the seed does: each such row has its own task text, progress, departments and status.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field

from schemas.base import (
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
from schemas.fields import MAX_NUMBERED, MAX_TABLE_ROWS, Lines, Names, Points

STATUSES = ("按时推进", "进度较快", "部分滞后", "进度滞后")
"""进展状态, in the words the government work report office uses; a task may also leave it empty."""


def _normalise_status(value: Any) -> Any:
    """Spaces typed inside or around the status (``按时 推进``) do not make it a different status."""
    if isinstance(value, str):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    return value


Status = Annotated[
    Literal["按时推进", "进度较快", "部分滞后", "进度滞后"], BeforeValidator(_normalise_status)
]

Departments = Names


class TaskRow(HuibaoModel):
    """One row of the table: a task, how it progressed, who leads it and its status."""

    model_config = ConfigDict(
        title="任务行",
        json_schema_extra={"description": "表格的一行：主要工作任务、进展情况、牵头部门和进展状态"},
    )

    task: Lines = Field(title="主要工作任务", description="主要工作任务，照政府工作报告原文填写")
    progress: Points = Field(
        min_length=1,
        title="进展情况",
        description="进展情况：一条或多条；多条时写成列表，自动编号 1. 2. …，不要自己写编号",
    )
    departments: Departments = Field(
        min_length=1,
        title="牵头部门",
        description="牵头部门：列表，或用顿号分隔，如“嘉善县政府、长三角发展办”",
    )
    status: Status | None = Field(
        default=None,
        title="进展状态",
        description="进展状态：按时推进、进度较快、部分滞后、进度滞后 之一，或留空",
    )


class Task(TaskRow):
    """A numbered task (序号 automatic) and any more rows that share its number."""

    model_config = ConfigDict(
        title="重点工作任务",
        json_schema_extra={"description": "一项重点工作任务（序号自动生成），及同一序号下的续行"},
    )

    continued: list[TaskRow] = Field(
        max_length=MAX_NUMBERED,
        default_factory=list,
        title="续行",
        description="同一序号下的更多行（序号单元格合并），每行有自己的任务、进展、部门和状态",
    )


class TaskProgress(ReportBase):
    """重点工作执行情况表."""

    model_config = ConfigDict(title="重点工作执行情况表")

    kind: Literal["task-progress"] = Field(
        title="报告类型", description="报告类型：重点工作执行情况表，不要改动"
    )
    period: Text | None = Field(
        default=None,
        title="执行期",
        description="执行期，如“上半年”“1-9月”；在标题下一行以“（上半年）”出现",
    )
    opening: Paragraphs = opening_field()
    tasks: list[Task] = Field(
        min_length=1,
        max_length=MAX_TABLE_ROWS,
        title="重点工作任务",
        description="重点工作任务，按顺序自动编序号",
    )
    closing: Paragraphs = closing_field()
    signature: Flag = signature_field()
    seal: Flag = seal_field()
    landscape: Flag = landscape_field(True)

    def findings(self) -> list[Finding]:
        return signature_findings(self.signature, self.date, self.seal)


KIND = ReportKind(
    name="task-progress",
    label="重点工作执行情况表",
    description="标题和执行期，表格：序号、主要工作任务、进展情况（自动编号）、牵头部门、进展状态",
    model=TaskProgress,
)
