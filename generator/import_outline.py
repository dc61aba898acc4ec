"""Recognising a narrative report's outline in its paragraphs, for ``huibao import``.

The paragraphs after the front matter are read as huibao's outline model (schemas/outline.py):
``一、（一）1.（1）`` headings on their own line or run in, numbered sentences without a heading,
``聚焦“X”，Y`` headings, 一是…二是… items inside a paragraph or a paragraph each, run-in points
set in bold, responsibility tags, text of a parent after its children (``closing``) and numbering
that continues across parents. Typed and automatic numbers are removed: huibao generates them on
build. A number that does not run in order is not a heading: its paragraph stays text, and the
draft says so in a comment.

The result is plain data (dicts and lists in the order the YAML shows them) and comments keyed by
the data path they stand before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.import_text import (
    TypedNumber,
    item_run,
    item_start,
    leading_number,
    responsibility_tag,
    sentence_end,
    split_heading,
    stray_ordinals,
)
from schemas.base import DataPath
from schemas.fields import split_names
from schemas.outline import LEVEL_LABELS, UNNUMBERED

Comments = dict[DataPath, list[str]]

SECTION_HEADING_CHARS = 40
"""A run-in heading's first sentence is at most this long, with at most two commas; a longer
first sentence is a numbered sentence without a heading (``（一）大力开展……，……。``)."""
ITEM_HEADING_CHARS = 24
OWN_LINE_HEADING_CHARS = 60


@dataclass(frozen=True)
class Para:
    """A paragraph as the importer reads it: text already tidied, and what Word said about it."""

    text: str
    bold: str = ""
    style: str = ""
    number: str = ""
    """Word's automatic number, when the paragraph has one (it also starts ``text``)."""
    alignment: str = ""


@dataclass
class _Node:
    level: int
    number: int = 0
    heading: str | None = None
    run_in: bool = False
    paragraphs: list[Para] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    closing: list[Para] = field(default_factory=list)
    continue_numbering: bool = False
    first_child_number: int = 1
    notes: list[str] = field(default_factory=list)
    closing_notes: list[str] = field(default_factory=list)

    @property
    def children_end(self) -> int:
        """The number the last child printed (numbering may continue from a sibling)."""
        return self.first_child_number - 1 + len(self.children)


@dataclass
class Outline:
    """An outline read from paragraphs: its top level, sections, and the report's closing."""

    top_level: str
    sections: list[dict[str, Any]]
    closing: list[str]
    comments: Comments
    responsible_label: str | None = None
    preamble: list[str] = field(default_factory=list)
    """Paragraphs before the first section (they belong to the opening)."""


_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)
_REPORT_CLOSERS = re.compile(
    r"^(?:特此报告|特此汇报|专此报告|以上报告|妥否|当否|以上|各位代表|各位委员|同志们)"
)
_CLOSING_CUES = re.compile(
    r"^(?:在(?:取得|肯定)[^，。]{0,20}(?:的同时|同时)|同时，?(?:我们)?也(?:要)?(?:清醒地)?(?:看到|认识到)"
    r"|(?:但|然而)[^，。]{0,6}(?:也|仍)?(?:清醒地)?(?:看到|存在)|我们也清醒地看到)"
)


def read_outline(paragraphs: list[Para], *, default_top: str) -> Outline:
    """The outline of a report's body paragraphs (everything after the opening)."""
    reader = _OutlineReader(paragraphs, default_top)
    return reader.read()


def first_heading_index(paragraphs: list[Para]) -> int | None:
    """Where the outline starts: the first paragraph with a heading number that begins a run
    (一、 or （一） or 1. numbered 1), or the first unnumbered top section."""
    numbered = next(
        (
            index
            for index, paragraph in enumerate(paragraphs)
            if (typed := leading_number(paragraph.text)) is not None
            and typed.number == 1
            and typed.rest
        ),
        None,
    )
    unnumbered = _unnumbered_sections(paragraphs, numbered)
    return unnumbered[0] if unnumbered else numbered


def _unnumbered_sections(paragraphs: list[Para], first_numbered: int | None) -> list[int]:
    """Top sections without a number (``稳增长、调结构，产业发展迈出新步伐。……`` set in bold,
    or an unnumbered Heading 1), when the report has no 一、 and they come before any （一）."""
    if any(
        (typed := leading_number(paragraph.text)) is not None and typed.level == 0 and typed.rest
        for paragraph in paragraphs
    ):
        return []
    found = [
        index
        for index, paragraph in enumerate(paragraphs)
        if leading_number(paragraph.text) is None and _unnumbered_heading(paragraph)
    ]
    if len(found) < 2 or (first_numbered is not None and found[0] > first_numbered):
        return []
    return found


def _unnumbered_heading(paragraph: Para) -> bool:
    """A Heading 1 paragraph, or one that opens with a bold sentence of two clauses."""
    if _heading_style_level(paragraph) == 0:
        return True
    bold = paragraph.bold.strip()
    return (
        bold.endswith("。")
        and "，" in bold
        and len(bold) <= SECTION_HEADING_CHARS + 1
        and paragraph.text.startswith(bold)
    )


def _heading_style_level(paragraph: Para) -> int | None:
    match = _HEADING_STYLE.match(paragraph.style)
    return int(match[1]) - 1 if match else None


class _OutlineReader:
    def __init__(self, paragraphs: list[Para], default_top: str) -> None:
        self.paragraphs = paragraphs
        self.default_top = default_top
        self.comments: Comments = {}
        self.labels: list[str] = []
        self.unnumbered: set[int] = set()

    # --- the tree -----------------------------------------------------------------------------

    def read(self) -> Outline:
        top, unnumbered = self._top_level()
        root = _Node(level=top - 1)
        stack = [root]
        for index, paragraph in enumerate(self.paragraphs):
            typed = leading_number(paragraph.text)
            if unnumbered and typed is None and index in self.unnumbered:
                del stack[1:]
                node = self._section_from_unnumbered(paragraph, top)
                root.children.append(node)
                stack.append(node)
                continue
            if typed is not None and typed.rest and self._place(stack, typed, paragraph):
                continue
            target = stack[-1]
            if typed is not None and target is not root:
                target.notes.append(
                    f"“{typed.typed}”与前后编号不连贯，未当作标题，按正文保留；"
                    "如果它是标题，请改为下级小节"
                )
            if target is root:
                # body text before any heading: the caller keeps it as opening
                root.paragraphs.append(paragraph)
            else:
                target.paragraphs.append(paragraph)
        self._closings(root)
        if root.closing_notes:
            self.comments[("closing",)] = [
                "以下段落在最后一节之后，读作全文的结尾；如果它属于最后一节，请移到那一节中"
            ]
        top_label = UNNUMBERED if unnumbered else LEVEL_LABELS[top]
        closing = [p.text for p in root.closing]
        sections = [
            self._section(child, ("sections", index)) for index, child in enumerate(root.children)
        ]
        label = self.labels[0] if self.labels else None
        preamble = [p.text for p in root.paragraphs]
        return Outline(top_label, sections, closing, self.comments, label, preamble)

    def _top_level(self) -> tuple[int, bool]:
        """The outermost numbered level used, and whether top sections are unnumbered."""
        numbered = next(
            (
                typed
                for paragraph in self.paragraphs
                if (typed := leading_number(paragraph.text)) is not None
                and typed.number == 1
                and typed.rest
            ),
            None,
        )
        start = first_heading_index(self.paragraphs)
        if start is not None and leading_number(self.paragraphs[start].text) is None:
            self.unnumbered = set(_unnumbered_sections(self.paragraphs, start))
            return 0, True
        if numbered is not None:
            return numbered.level, False
        return LEVEL_LABELS.index(self.default_top), False

    def _section_from_unnumbered(self, paragraph: Para, top: int) -> _Node:
        node = _Node(level=top)
        bold = paragraph.bold.strip()
        if bold and paragraph.text.startswith(bold) and len(paragraph.text) > len(bold):
            node.heading = bold[:-1] if bold.endswith("。") else bold
            node.run_in = True
            node.paragraphs.append(Para(paragraph.text[len(bold) :].strip()))
        else:
            node.heading = paragraph.text
        return node

    def _place(self, stack: list[_Node], typed: TypedNumber, paragraph: Para) -> bool:
        """Open a section for a numbered paragraph if its number fits the outline here."""
        depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].level < typed.level), 0)
        parent = stack[depth]
        if typed.level != parent.level + 1:
            return False
        if typed.number == parent.children_end + 1:
            pass
        elif not parent.children and typed.number > 1 and depth > 0:
            # numbering that continues from the parent's previous sibling (1. 2. | 3. 4.)
            grandparent = stack[depth - 1]
            siblings = grandparent.children
            before = siblings[-2] if len(siblings) >= 2 and siblings[-1] is parent else None
            if before is None or typed.number != before.children_end + 1:
                return False
            parent.continue_numbering = True
            parent.first_child_number = typed.number
        else:
            return False
        del stack[depth + 1 :]
        node = self._section_from_number(typed, paragraph)
        parent.children.append(node)
        stack.append(node)
        return True

    def _section_from_number(self, typed: TypedNumber, paragraph: Para) -> _Node:
        node = _Node(level=typed.level, number=typed.number)
        rest = typed.rest
        end = sentence_end(rest)
        if end < 0:
            if len(rest) <= OWN_LINE_HEADING_CHARS and not rest.endswith("；"):
                node.heading = rest
            else:
                node.paragraphs.append(Para(rest))
            return node
        if end == len(rest) - 1 and len(rest) <= SECTION_HEADING_CHARS + 1:
            node.heading = rest  # a short sentence alone on its line: a heading, kept as typed
            return node
        heading, after = split_heading(rest, max_chars=SECTION_HEADING_CHARS, max_commas=2)
        if heading is None:
            node.paragraphs.append(Para(rest))
            return node
        node.heading = heading
        node.run_in = True
        node.paragraphs.append(Para(after, bold=""))
        return node

    # --- closings -------------------------------------------------------------------------------

    def _closings(self, root: _Node) -> None:
        """Move paragraphs that follow a parent's children back to the parent (``closing``).

        Plain text cannot say whether a paragraph after （五） is （五）'s second paragraph or
        一、's closing. It is read as the closing when every earlier sibling is one paragraph (so
        the last one's extra paragraphs stand out), or when it opens the way closings do
        (``在取得上述成效的同时……``); the report's own closing (``特此报告。``) likewise.
        """
        self._closing_of(root)
        last = root
        while last.children:
            last = last.children[-1]
        if last is root:
            return
        for index, paragraph in enumerate(last.paragraphs):
            if index == 0 and (last.run_in or last.heading is None):
                continue
            if _REPORT_CLOSERS.match(paragraph.text):
                root.closing = [*last.paragraphs[index:], *root.closing]
                del last.paragraphs[index:]
                break

    def _closing_of(self, node: _Node) -> None:
        for child in node.children:
            self._closing_of(child)
        if not node.children:
            return
        last = node.children[-1]
        if last.children:
            return
        keep = 1 if (last.run_in or last.heading is None) else 0
        for index in range(1, len(last.paragraphs)):
            if _CLOSING_CUES.match(last.paragraphs[index].text):
                self._move_closing(node, last, index)
                return
        earlier = node.children[:-1]
        if (
            earlier
            and keep == 1
            and len(last.paragraphs) > 1
            and all(
                not child.children and len(child.paragraphs) == 1 and child.run_in == last.run_in
                for child in earlier
            )
        ):
            self._move_closing(node, last, 1)

    def _move_closing(self, parent: _Node, last: _Node, index: int) -> None:
        parent.closing = [*last.paragraphs[index:], *parent.closing]
        del last.paragraphs[index:]
        parent.closing_notes.append(
            "以下段落在下级小节之后，读作本节的结尾（印在下级小节之后）；"
            "如果它属于上一小节，请移到那一节的 text 中"
        )

    # --- sections as data -----------------------------------------------------------------------

    def _section(self, node: _Node, path: DataPath) -> dict[str, Any]:
        data: dict[str, Any] = {}
        notes = list(node.notes)
        if node.heading is not None:
            focus = _focus(node.heading)
            if focus is not None:
                data["focus"], data["theme"] = focus
            else:
                data["heading"] = node.heading
        if node.run_in:
            data["run_in"] = True
        body, body_notes = self._body(node.paragraphs, has_children=bool(node.children))
        if node.heading is None and not body.get("text"):
            # a number followed at once by 一是…: the model needs text there, so keep it as text
            body = {"text": [p.text for p in node.paragraphs]}
            body_notes = ["编号之后直接是“一是…二是…”，按正文保留"]
        notes += body_notes
        closing_body: dict[str, Any] = {}
        if "closing" in body:
            closing_body = body.pop("closing")
        data.update(body)
        if node.continue_numbering:
            data["continue_numbering"] = True
        if node.children:
            data["sections"] = [
                self._section(child, (*path, "sections", index))
                for index, child in enumerate(node.children)
            ]
        if node.closing or closing_body:
            closing, closing_notes = self._closing_data(node.closing, closing_body)
            data["closing"] = closing
            notes_at = [*node.closing_notes, *closing_notes]
            if notes_at:
                self.comments.setdefault((*path, "closing"), []).extend(notes_at)
        if notes:
            self.comments.setdefault(path, []).extend(notes)
        return data

    def _closing_data(
        self, paragraphs: list[Para], after_items: dict[str, Any]
    ) -> tuple[dict[str, Any], list[str]]:
        if after_items:  # paragraphs after a section's items, in a section without children
            return after_items, []
        body, notes = self._body(paragraphs, has_children=False, allow_points=False)
        closing: dict[str, Any] = {"text": body.get("text", [])}
        if body.get("items"):
            closing["items"] = body["items"]
            if body.get("item_paragraphs"):
                closing["item_paragraphs"] = True
        if "closing" in body:  # text after the closing's items: keep it as text
            closing["text"] = [p.text for p in paragraphs]
            closing.pop("items", None)
            closing.pop("item_paragraphs", None)
            notes.append("结尾中的“一是…二是…”之后还有段落，条目按正文保留")
        return closing, notes

    def _body(
        self, paragraphs: list[Para], *, has_children: bool, allow_points: bool = True
    ) -> tuple[dict[str, Any], list[str]]:
        """text, points, items and the responsibility tag of a run of body paragraphs; a
        ``closing`` entry for paragraphs after the items (in a section without children)."""
        data: dict[str, Any] = {}
        notes: list[str] = []
        texts = [p for p in paragraphs if p.text]
        run = _find_items(texts)
        if run is not None:
            start, prefix, bodies, per_paragraph, end = run
            after = texts[end:]
            if after and has_children:
                notes.append(
                    "“一是…二是…”之后、下级小节之前还有段落，无法按条目读取，条目按正文保留"
                )
                run = None
            else:
                before = [p.text for p in texts[:start]] + ([prefix] if prefix else [])
                data["text"] = before
                items = [self._item(body) for body in bodies]
                for number, item in enumerate(items, start=1):
                    inner = [str(each.get("text", "")) for each in item.get("items", [])]
                    stray = stray_ordinals("".join([str(item.get("text", "")), *inner]))
                    if stray:
                        notes.append(
                            f"第{number}条中的“{'”“'.join(stray)}”与前后顺序不符，按正文保留，"
                            "请核对原文的编号"
                        )
                data["items"] = items
                if per_paragraph:
                    data["item_paragraphs"] = True
                if after:
                    closing_body, closing_notes = self._body(
                        after, has_children=False, allow_points=False
                    )
                    notes += closing_notes
                    closing: dict[str, Any] = {"text": closing_body.get("text", [])}
                    if closing_body.get("items") and "closing" not in closing_body:
                        closing["items"] = closing_body["items"]
                        if closing_body.get("item_paragraphs"):
                            closing["item_paragraphs"] = True
                    else:
                        closing["text"] = [p.text for p in after]
                    data["closing"] = closing
        if run is None:
            text_paragraphs = list(texts)
            points: list[dict[str, Any]] = []
            if allow_points:
                points = _trailing_points(text_paragraphs)
                if points:
                    del text_paragraphs[len(text_paragraphs) - len(points) :]
            data["text"] = [p.text for p in text_paragraphs]
            if points:
                data["points"] = points
                data["point_paragraphs"] = True
            if data["text"] and not points:
                tagged = responsibility_tag(data["text"][-1])
                if tagged is not None and self._tag_names(tagged[1], tagged[2]) is not None:
                    data["text"][-1] = tagged[0]
                    data["responsible"] = self._tag_names(tagged[1], tagged[2])
                    if not data["text"][-1]:
                        data["text"].pop()
        if not data.get("text"):
            data.pop("text", None)
        return data, notes

    def _tag_names(self, label: str, names: str) -> list[str] | None:
        """The names of a responsibility tag, if huibao prints it back exactly (one label per
        report, names separated by 、)."""
        if any(mark in names for mark in "，,；;") or (self.labels and label != self.labels[0]):
            return None
        listed = split_names(names)
        if not isinstance(listed, list) or "、".join(listed) != names:
            return None
        if not self.labels:
            self.labels.append(label)
        return [str(name) for name in listed]

    def _item(self, body: str) -> dict[str, Any]:
        item: dict[str, Any] = {}
        heading, rest = split_heading(body, max_chars=ITEM_HEADING_CHARS, max_commas=1)
        text = rest if heading is not None else body
        inner = item_run(text)
        inner_items: list[dict[str, Any]] = []
        if inner is not None:
            text, inner_bodies = inner
            inner_items = [self._item(inner_body) for inner_body in inner_bodies]
            if any("items" in entry for entry in inner_items):  # only one level inside
                text, inner_items = rest if heading is not None else body, []
        if heading is not None:
            item["heading"] = heading
        tag_target = inner_items[-1] if inner_items else None
        if tag_target is None and text:
            tagged = responsibility_tag(text)
            names = self._tag_names(tagged[1], tagged[2]) if tagged else None
            if tagged is not None and names is not None:
                text = tagged[0]
                item["responsible"] = names
        if text:
            item["text"] = text
        if inner_items:
            item["items"] = inner_items
        if "responsible" in item:  # keep the YAML in reading order
            item["responsible"] = item.pop("responsible")
        if not item:
            item["text"] = body
        return item


def _focus(heading: str) -> tuple[str, str] | None:
    """``聚焦“两战赢”，防疫复工“两手抓”`` → (两战赢, 防疫复工“两手抓”); huibao prints it back."""
    match = re.fullmatch(r"聚焦(?P<focus>[^，]+)，(?P<theme>.+)", heading)
    if match is None or "“" not in match["focus"]:
        return None
    focus = match["focus"]
    quoted = re.fullmatch(r"“([^“”]+)”", focus)
    return (quoted[1] if quoted else focus), match["theme"]


def _find_items(texts: list[Para]) -> tuple[int, str, list[str], bool, int] | None:
    """The first 一是…二是… run: (paragraph index, text before it, item bodies, one paragraph
    per item, index of the first paragraph after the run)."""
    for index, paragraph in enumerate(texts):
        run = item_run(paragraph.text)
        if run is not None:
            prefix, bodies = run
            end = index + 1
            while end < len(texts):  # the run may go on in the next paragraphs (三是……)
                more = item_start(texts[end].text, len(bodies) + 1)
                if more is None:
                    break
                continued = item_run("一是" + more)
                bodies.append(more)
                if continued is not None and len(continued[1]) > 1:
                    break  # 三是……一是…… : an inner run, read by the item
                end += 1
            return index, prefix, bodies, False, end
        if item_start(paragraph.text, 1) is not None and index + 1 < len(texts):
            if item_start(texts[index + 1].text, 2) is None:
                continue
            bodies = []
            end = index
            while end < len(texts):
                body = item_start(texts[end].text, len(bodies) + 1)
                if body is None:
                    break
                bodies.append(body)
                end += 1
            return index, "", bodies, True, end
    return None


def _trailing_points(paragraphs: list[Para]) -> list[dict[str, Any]]:
    """Paragraphs at the end that open with a bold run-in heading (``强化理论武装。……``,
    ``稳投资、促消费：……``): points, one paragraph each."""
    points: list[dict[str, Any]] = []
    for paragraph in reversed(paragraphs):
        bold = paragraph.bold.strip()
        if not bold or not bold.endswith(("。", "：")) or not paragraph.text.startswith(bold):
            break
        if len(bold) > ITEM_HEADING_CHARS + 1 or leading_number(paragraph.text) is not None:
            break
        point: dict[str, Any] = {"heading": bold[:-1]}
        if bold.endswith("："):
            point["colon"] = True
        rest = paragraph.text[len(bold) :].strip()
        if rest:
            point["text"] = rest
        points.insert(0, point)
    if len(points) == len(paragraphs):  # a section needs text or a heading before its points
        return points if points else []
    return points
