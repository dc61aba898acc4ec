"""Errors split by who must act.

A ``UserError`` is something the person running huibao can fix (a typo in the input, a missing
file, a template maintainer's mistake); the CLI prints its message and exits with code 1.
Any other exception is a bug in huibao and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceLocation:
    """Where a value came from, so that staff can find it in their own file.

    Lines and columns are 1-based, as editors show them.
    """

    file: Path
    line: int | None = None
    column: int | None = None
    cell: str | None = None  # spreadsheets: Excel-style "指标!C7" (or "C7" in a CSV file)

    def __str__(self) -> str:
        text = self.file.name
        if self.cell is not None:
            return f"{text}:{self.cell}"
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with its place, the field it concerns and how to fix it."""

    location: SourceLocation
    message: str
    field: str = ""
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}  "
        if self.field:
            text += f"{self.field}："
        text += self.message
        if self.hint:
            text += f"\n    提示：{self.hint}"
        return text


class HuibaoError(Exception):
    """Base of every error huibao raises on purpose."""


class UserError(HuibaoError):
    """A problem the user can fix; the CLI shows ``str(error)`` and exits with code 1."""


class InputError(UserError):
    """The input file has one or more problems; all of them are reported together."""

    def __init__(self, *, file: Path, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        super().__init__(self._format())

    def _format(self) -> str:
        count = len(self.problems)
        head = f"{self.file.name} 有 {count} 处问题，请逐条修改后再运行：" if count > 1 else ""
        lines = [str(problem) for problem in self.problems]
        return "\n".join([head, *lines]) if head else lines[0]


class FileAccessError(UserError):
    """An input or output path cannot be used (missing, a folder, not writable, locked)."""

    def __init__(self, *, path: Path, reason: str, hint: str = "") -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        message = f"{path}：{reason}"
        if hint:
            message += f"\n    提示：{hint}"
        super().__init__(message)


class TemplateError(UserError):
    """A template or the reference .docx is broken; this is for template maintainers to fix."""

    def __init__(self, *, location: str, reason: str) -> None:
        self.location = location
        super().__init__(
            f"模板错误（{location}）：{reason}\n    提示：请模板维护人员检查该模板文件。"
        )
