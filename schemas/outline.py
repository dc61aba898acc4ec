"""The recursive outline shared by narrative reports: 一、/（一）/1./（1） sections and 一是/二是 items.

Numbers are never typed by staff: the order of the list is the numbering. A section heading is either
a plain heading (``heading``) or the ``聚焦“X”，Y`` form (``focus`` + ``theme``), and either sits on a
line of its own or runs in (``run_in``): heading, then the text continues in the same paragraph.
"""

from __future__ import annotations

import unicodedata
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
    Text,
    closing_field,
    signature_field,
    signature_findings,
)
from schemas.fields import MAX_NUMBERED

LEVEL_LABELS: tuple[str, ...] = ("一、", "（一）", "1.", "（1）")
"""The four GB/T 9704 heading levels, outermost first."""


def _normalise_level(value: Any) -> Any:
    """Let staff type ``(一)`` or ``1、`` for ``（一）`` and ``1.``: compare in NFKC form."""
    if isinstance(value, str):
        typed = unicodedata.normalize("NFKC", value.strip()).replace("、", ".")
        for label in LEVEL_LABELS:
            if unicodedata.normalize("NFKC", label).replace("、", ".") == typed:
                return label
        if typed in {"一.", "一"}:
            return "一、"
    return value


Level = Annotated[Literal["一、", "（一）", "1.", "（1）"], BeforeValidator(_normalise_level)]


class Item(HuibaoModel):
    """One 一是/二是 item: ``一是{heading}。{text}``; plain text is an item without a heading."""

    model_config = ConfigDict(
        title="条目",
        json_schema_extra={
            "description": "“一是…二是…”中的一条：小标题和内容；只写一段文字即为不带小标题的条目"
        },
    )

    heading: Text | None = Field(
        default=None,
        title="小标题",
        description="条目的小标题，如“积极谋划明目标”，生成“一是积极谋划明目标。”；可不写",
    )
    text: Text | None = Field(
        default=None, title="内容", description="条目的具体内容，接在小标题之后"
    )

    @model_validator(mode="after")
    def _has_content(self) -> Item:
        if self.heading is None and self.text is None:
            raise PydanticCustomError("huibao", "条目是空的：heading 和 text 至少要填写一项")
        return self


def _text_only_item(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


ItemEntry = Annotated[Item, BeforeValidator(_text_only_item, json_schema_input_type=str | Item)]
"""An item as a mapping (heading, text), or plain text: an item without a heading."""


class Section(HuibaoModel):
    """One numbered section of the outline, with its own text, items and subsections."""

    model_config = ConfigDict(
        title="小节",
        json_schema_extra={"description": "提纲中自动编号的一节：标题、正文、条目和下级小节"},
    )

    heading: Text | None = Field(
        default=None,
        title="标题",
        description="标题文字，不写编号，如“政务服务能力显著提升”；编号（一、（一）1.（1））自动生成",
    )
    focus: Text | None = Field(
        default=None,
        title="聚焦词",
        description="“聚焦”式标题的前半句，如 两战赢 生成 聚焦“两战赢”；已带引号时照写，如 “两兵”示范",
    )
    theme: Text | None = Field(
        default=None,
        title="聚焦后半句",
        description="“聚焦”式标题的后半句，如“防疫复工“两手抓””，与聚焦词一起填写",
    )
    run_in: Flag = Field(
        default=False,
        title="标题接排",
        description="填“是”：标题后接正文（同一段，如“（一）…。面对…”）；填“否”（默认）：标题单独成行",
    )
    text: Paragraphs = Field(
        default_factory=list,
        title="正文",
        description="标题下的正文段落；多段时每行一段（用“|”写多行）。标题接排时第一段紧接标题",
    )
    items: list[ItemEntry] = Field(
        max_length=MAX_NUMBERED,
        default_factory=list,
        title="条目",
        description="“一是…二是…”条目，按顺序自动编号",
    )
    item_paragraphs: Flag = Field(
        default=False,
        title="条目分段",
        description="填“是”：每个条目单独成段；填“否”（默认）：条目接在上一段末尾连排",
    )
    sections: list[Section] = Field(
        default_factory=list,
        max_length=MAX_NUMBERED,
        title="下级小节",
        description="下一级小节（一、之下为（一），（一）之下为 1.，1. 之下为（1））",
    )

    @model_validator(mode="after")
    def _one_heading_form(self) -> Section:
        if self.heading is not None and (self.focus is not None or self.theme is not None):
            raise PydanticCustomError(
                "huibao", "标题只能用一种写法：heading，或 focus + theme（“聚焦”式），不能同时填写"
            )
        if self.heading is None and (self.focus is None or self.theme is None):
            raise PydanticCustomError(
                "huibao", "小节缺少标题：请填写 heading，或同时填写 focus 和 theme（“聚焦”式标题）"
            )
        return self


def outline_findings(sections: list[Section], top_level: str, path: DataPath) -> list[Finding]:
    """Sections nested deeper than the four GB/T 9704 heading levels allow."""
    levels_left = len(LEVEL_LABELS) - LEVEL_LABELS.index(top_level)
    return _too_deep(sections, levels_left, path, top_level)


def _too_deep(
    sections: list[Section], levels_left: int, path: DataPath, top_level: str
) -> list[Finding]:
    findings: list[Finding] = []
    for index, section in enumerate(sections):
        here = (*path, index)
        if levels_left <= 0:
            findings.append(
                Finding(
                    here,
                    "小节层级太深：公文标题只有 一、（一）1.（1）四级",
                    f"本报告从“{top_level}”开始编号；请把这一层改写为正文或“一是…”条目。",
                )
            )
            continue
        findings.extend(
            _too_deep(section.sections, levels_left - 1, (*here, "sections"), top_level)
        )
    return findings


class OutlineReport(ReportBase):
    """Narrative reports: opening paragraphs, the numbered outline, closing and an optional 落款.

    work-summary, progress-report and rule-of-law-report differ only in their front matter.
    """

    opening: Paragraphs = Field(
        default_factory=list,
        title="开头",
        description="开头段落，如“今年以来，……”；多段时每行一段",
    )
    top_level: Level = Field(
        default="一、",
        title="最外层编号",
        description="最外层小节的编号形式：一、（默认）或（一）等；只有一层小节时常用（一）",
    )
    sections: list[Section] = Field(
        min_length=1,
        max_length=MAX_NUMBERED,
        title="正文各节",
        description="正文各部分，按顺序自动编号",
    )
    closing: Paragraphs = closing_field()
    signature: Flag = signature_field()

    def findings(self) -> list[Finding]:
        return [
            *outline_findings(self.sections, self.top_level, ("sections",)),
            *signature_findings(self.signature, self.date),
        ]
