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
    seal_field,
    signature_field,
    signature_findings,
)
from schemas.fields import MAX_NUMBERED, Names

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


UNNUMBERED = "不编号"
"""``top_level: 不编号``: top sections carry no number (bold run-in sentences or plain headings);
their subsections start at （一）."""

Level = Annotated[
    Literal["一、", "（一）", "1.", "（1）", "不编号"], BeforeValidator(_normalise_level)
]


class Point(HuibaoModel):
    """An unnumbered run-in point inside an item or a section: ``强化理论武装。……`` or
    ``稳投资、促消费：……``; its heading is set in the character style 要点标题."""

    model_config = ConfigDict(
        title="要点",
        json_schema_extra={
            "description": "条目或小节中不编号的接排要点：小标题（加粗）加内容，"
            "如“强化理论武装。……”“稳投资、促消费：……”"
        },
    )

    heading: Text | None = Field(
        default=None,
        title="要点标题",
        description="要点的小标题，如“强化理论武装”，印成“强化理论武装。”（加粗）；可不写",
    )
    text: Text | None = Field(default=None, title="内容", description="要点的内容，接在小标题之后")
    colon: Flag = Field(
        default=False,
        title="冒号",
        description="填“是”：小标题后用冒号，如“稳投资、促消费：……”；默认用句号",
    )

    @model_validator(mode="after")
    def _has_content(self) -> Point:
        if self.heading is None and self.text is None:
            raise PydanticCustomError("huibao", "要点是空的：要点标题和内容至少要填写一项")
        return self


def _text_only(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


PointEntry = Annotated[Point, BeforeValidator(_text_only, json_schema_input_type=str | Point)]


class Item(HuibaoModel):
    """One 一是/二是 item: ``一是{heading}。{text}``, then its points, its own 一是… run and its
    responsibility tag; plain text is an item without a heading."""

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
    points: list[PointEntry] = Field(
        default_factory=list,
        max_length=MAX_NUMBERED,
        title="要点",
        description="接在内容后的不编号要点，如“强化理论武装。……提升业务能力。……”",
    )
    items: list[Item] = Field(
        default_factory=list,
        max_length=MAX_NUMBERED,
        title="下级条目",
        description="条目之内的“一是…二是…”，重新从“一是”编号，接在本条之后",
    )
    responsible: Names = Field(
        default_factory=list,
        max_length=MAX_NUMBERED,
        title="责任单位",
        description="责任单位（处室），印在本条末尾，如“（责任处室：办公室、法规安全处）”；"
        "用顿号分隔或写成列表",
    )

    @model_validator(mode="before")
    @classmethod
    def _text_only_item(cls, data: Any) -> Any:
        return _text_only(data)

    @model_validator(mode="after")
    def _has_content(self) -> Item:
        if self.heading is None and self.text is None and not self.points and not self.items:
            raise PydanticCustomError("huibao", "条目是空的：小标题和内容至少要填写一项")
        return self


ItemEntry = Annotated[Item, BeforeValidator(_text_only, json_schema_input_type=str | Item)]
"""An item as a mapping (heading, text, …), or plain text: an item without a heading."""


class Closing(HuibaoModel):
    """What a section says after its subsections: paragraphs, possibly ending in a 一是… run."""

    model_config = ConfigDict(
        title="小节结尾",
        json_schema_extra={"description": "印在下级小节之后的本节结尾：段落，可接“一是…二是…”条目"},
    )

    text: Paragraphs = Field(
        default_factory=list,
        title="正文",
        description="结尾段落，如“在取得上述成效的同时，我们也清醒地看到……”；多段时每行一段",
    )
    items: list[ItemEntry] = Field(
        default_factory=list,
        max_length=MAX_NUMBERED,
        title="条目",
        description="“一是…二是…”条目，接在结尾最后一段之后",
    )
    item_paragraphs: Flag = Field(
        default=False, title="条目分段", description="填“是”：每个条目单独成段"
    )


def _paragraphs_as_closing(value: Any) -> Any:
    return {"text": value} if isinstance(value, (str, list)) else value


ClosingEntry = Annotated[
    Closing,
    BeforeValidator(_paragraphs_as_closing, json_schema_input_type=str | list[str] | Closing),
]

_BEFORE_CHILDREN = ("text", "points", "items")


class Section(HuibaoModel):
    """One numbered section of the outline: heading (or none: a numbered sentence), text, points,
    items, subsections and a closing printed after them, in that order."""

    model_config = ConfigDict(
        title="小节",
        json_schema_extra={
            "description": "提纲中自动编号的一节：标题、正文、要点、条目、下级小节和结尾"
        },
    )

    heading: Text | None = Field(
        default=None,
        title="标题",
        description="标题文字，不写编号，如“政务服务能力显著提升”；编号（一、（一）1.（1））自动生成。"
        "不写标题只写正文时，编号后直接接正文（如“（一）大力开展法治教育学习，……。”）",
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
    points: list[PointEntry] = Field(
        default_factory=list,
        max_length=MAX_NUMBERED,
        title="要点",
        description="不编号的接排要点，如“强化理论武装。……”“稳投资、促消费：……”，接在正文之后",
    )
    point_paragraphs: Flag = Field(
        default=False,
        title="要点分段",
        description="填“是”：每个要点单独成段；填“否”（默认）：要点接在正文末尾连排",
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
    responsible: Names = Field(
        default_factory=list,
        max_length=MAX_NUMBERED,
        title="责任单位",
        description="责任单位（处室），印在本节正文末尾，如“（责任处室：办公室、法规安全处）”",
    )
    sections: list[Section] = Field(
        default_factory=list,
        max_length=MAX_NUMBERED,
        title="下级小节",
        description="下一级小节（一、之下为（一），（一）之下为 1.，1. 之下为（1））",
    )
    continue_numbering: Flag = Field(
        default=False,
        title="接续编号",
        description="填“是”：本节的下级小节接着上一节下级小节的编号继续（如上一节到 2.，本节从 3. 起）",
    )
    closing: ClosingEntry | None = Field(
        default=None,
        title="结尾",
        description="印在下级小节之后的本节结尾段落（可接“一是…”条目），"
        "如“在取得上述成效的同时，我们也清醒地看到……”",
    )

    @model_validator(mode="before")
    @classmethod
    def _printed_in_written_order(cls, data: Any) -> Any:
        """Text written after ``sections`` would print before them: say so, never move it."""
        if isinstance(data, dict) and "sections" in data:
            keys = list(data)
            late = [
                key
                for key in _BEFORE_CHILDREN
                if key in data and keys.index(key) > keys.index("sections")
            ]
            if late:
                raise PydanticCustomError(
                    "huibao",
                    "“{late}”写在了下级小节（sections）之后，但它会印在下级小节之前：要印在下级小节之后的"
                    "段落请写在“closing:”（结尾）中；要印在前面，请把它移到 sections 之前",
                    {"late": "”“".join(late)},
                )
        return data

    @model_validator(mode="after")
    def _one_heading_form(self) -> Section:
        if self.heading is not None and (self.focus is not None or self.theme is not None):
            raise PydanticCustomError(
                "huibao", "标题只能用一种写法：heading，或 focus + theme（“聚焦”式），不能同时填写"
            )
        if (self.focus is None) != (self.theme is None):
            raise PydanticCustomError("huibao", "“聚焦”式标题要同时填写 focus 和 theme")
        if self.heading is None and self.focus is None and not self.text:
            raise PydanticCustomError(
                "huibao",
                "小节缺少标题：请填写 heading（或 focus 和 theme）；不要标题时，至少写一段 text，"
                "编号后直接接这段正文",
            )
        return self

    @property
    def has_heading(self) -> bool:
        return self.heading is not None or self.focus is not None


def outline_findings(sections: list[Section], top_level: str, path: DataPath) -> list[Finding]:
    """Sections nested deeper than the four GB/T 9704 heading levels allow."""
    start = 0 if top_level == UNNUMBERED else LEVEL_LABELS.index(top_level)
    levels_left = len(LEVEL_LABELS) - start
    return [
        *_too_deep(sections, levels_left, path, top_level),
        *_items_too_deep(sections, path),
    ]


def _items_too_deep(sections: list[Section], path: DataPath) -> list[Finding]:
    """一是… inside 一是… is fine once; a third level has no numbering form of its own."""
    findings: list[Finding] = []
    for index, section in enumerate(sections):
        here = (*path, index)
        runs = [((*here, "items"), section.items)]
        if section.closing is not None:
            runs.append(((*here, "closing", "items"), section.closing.items))
        for items_path, items in runs:
            for i, item in enumerate(items):
                for j, inner in enumerate(item.items):
                    if inner.items:
                        findings.append(
                            Finding(
                                (*items_path, i, "items", j, "items"),
                                "条目层级太深：“一是…”之内只能再有一层“一是…”",
                                "请把这一层改写为要点（points）或文字。",
                            )
                        )
        findings.extend(_items_too_deep(section.sections, (*here, "sections")))
    return findings


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

    subtitle: Text | None = Field(
        default=None,
        title="副标题",
        description="标题下的副标题行，如“——2024年1月10日在某市第十六届人民代表大会第四次会议上”；可不写",
    )
    speaker: Text | None = Field(
        default=None,
        title="讲话人",
        description="讲话人一行，如“市长  某某”（职务和姓名之间可空两格）；可不写",
    )
    salutation: Text | None = Field(
        default=None,
        title="称谓",
        description="开头的称谓，如“各位代表：”“各位领导：”，单独一行顶格；可不写",
    )
    opening: Paragraphs = Field(
        default_factory=list,
        title="开头",
        description="开头段落，如“今年以来，……”；多段时每行一段",
    )
    top_level: Level = Field(
        default="一、",
        title="最外层编号",
        description="最外层小节的编号形式：一、（默认）或（一）等；只有一层小节时常用（一）；"
        "“不编号”：最外层小节不编号（如以加粗的接排句开头的报告），下级从（一）起",
    )
    responsible_label: Text = Field(
        default="责任单位",
        title="责任单位称谓",
        description="条目末尾责任单位括注的称谓，如“责任处室”“牵头单位”，印成“（责任处室：……）”",
    )
    sections: list[Section] = Field(
        min_length=1,
        max_length=MAX_NUMBERED,
        title="正文各节",
        description="正文各部分，按顺序自动编号",
    )
    closing: Paragraphs = closing_field()
    signature: Flag = signature_field()
    seal: Flag = seal_field()

    def findings(self) -> list[Finding]:
        return [
            *outline_findings(self.sections, self.top_level, ("sections",)),
            *signature_findings(self.signature, self.date, self.seal),
        ]
