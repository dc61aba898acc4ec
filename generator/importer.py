"""``huibao import``: last year's report in, this year's draft out.

The reader (``generator/reader.py``) gives the paragraphs and tables of a .docx, .doc, .wps,
.txt or .html file as a ``ReadDocument``; ``import_report`` recognises the report in it — its
kind, front matter, outline or table, 落款 — and returns a ``Draft``: the input file huibao
would build it from, as plain data with comments where the reading was unsure.
``import_file`` is the pipeline function the CLI calls: read, recognise, optionally turn into
next year's draft (``generator/import_figures.py``), write as YAML or a workbook.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import FileAccessError
from generator.import_front import Back, Front, read_back, read_front
from generator.import_outline import Para, first_heading_index, read_outline
from generator.import_tables import (
    Grid,
    TableData,
    cell_table_start,
    dimensions_from_grid,
    grid_from_cell_lines,
    grid_from_pipes,
    grid_from_table,
    pipe_table_start,
    table_kind,
    tasks_from_grid,
)
from generator.import_text import full_width_punctuation
from generator.kinds import find_kind, kind_names
from generator.reading import ReadDocument, ReadParagraph, ReadTable
from schemas.base import DataPath

NARRATIVE_KINDS = (
    "work-summary",
    "progress-report",
    "rule-of-law-report",
    "government-work-report",
)
TABLE_KINDS = ("task-progress", "performance-review")
MARK = "huibao import："
"""Every comment the importer writes starts with this, so staff can find them all."""
_MISSING_ORG = "（请填写发文机关）"


@dataclass
class Draft:
    """A report read from an existing document: the input data of its kind (in the order the
    YAML shows it) and the comments that go with it.

    ``comments`` maps a data path to lines written just before that key or list entry;
    ``notes`` are written at the top of the file; ``certain`` says whether the kind was
    recognised from the document (or given) rather than assumed.
    """

    kind: str
    data: dict[str, Any]
    comments: dict[DataPath, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    certain: bool = True

    def comment(self, path: DataPath, text: str) -> None:
        self.comments.setdefault(path, []).append(text)


@dataclass
class _Reading:
    """The document as the importer works on it: tidied paragraphs, tables in place."""

    blocks: list[Para | Grid]
    notes: list[str]


def _tidy(text: str, *, keep_lines: bool = True) -> str:
    """Lines stripped; a paragraph's soft line breaks (Shift+Enter) joined unless kept (a title,
    a table cell)."""
    lines = [line.strip() for line in text.replace("\t", " ").splitlines()]
    return ("\n" if keep_lines else "").join(line for line in lines if line)


def _reading(document: ReadDocument) -> _Reading:
    notes = list(document.notes)
    converted = 0
    blocks: list[Para | Grid] = []
    for block in document.blocks:
        if isinstance(block, ReadTable):
            grid = grid_from_table(block)
            tidy: Grid = []
            for row in grid:
                cells: list[str | None] = []
                for cell in row:
                    if cell is None:
                        cells.append(None)
                        continue
                    text, count = full_width_punctuation(_tidy(cell))
                    converted += count
                    cells.append(text)
                tidy.append(cells)
            blocks.append(tidy)
            continue
        assert isinstance(block, ReadParagraph)
        title = block.style in ("Title", "标题", "副标题")
        text, count = full_width_punctuation(_tidy(block.text, keep_lines=title))
        converted += count
        if not text:
            continue
        bold, _ = full_width_punctuation(_tidy(block.bold_prefix, keep_lines=False))
        bold = _strip_auto_number_gap(bold, block.number)
        blocks.append(
            Para(
                text=_strip_auto_number_gap(text, block.number),
                bold=bold,
                style=block.style,
                number=block.number,
                alignment=block.alignment,
            )
        )
    if converted:
        notes.append(
            f"原文夹在汉字间的半角标点（, : ; ( )）共 {converted} 处已改为全角（，：；（））："
            "这是网页或 PDF 转换留下的，不是公文写法"
        )
    return _Reading(blocks, notes)


def _strip_auto_number_gap(text: str, number: str) -> str:
    """Word's automatic number is followed by a tab or space: ``一、\t加强`` reads as ``一、加强``."""
    if number and text.startswith(number):
        return number + text[len(number) :].lstrip()
    return text


# --- kind ---------------------------------------------------------------------------------------


def detect_kind(reading: _Reading, front: Front) -> tuple[str, bool, str]:
    """The kind, whether it was recognised (not assumed), and why, in Chinese."""
    paragraphs = [block for block in reading.blocks if isinstance(block, Para)]
    for block in reading.blocks:
        if not isinstance(block, Para):
            kind = table_kind([cell or "" for row in block[:3] for cell in row])
            if kind is not None:
                return kind, True, "原文有“进展状态”或“考评维度”表格"
    if pipe_table_start(paragraphs) is not None or cell_table_start(paragraphs) is not None:
        start = pipe_table_start(paragraphs)
        if start is not None:
            kind = table_kind(paragraphs[start].text.split("|"))
            assert kind is not None
            return kind, True, "原文有“进展状态”或“考评维度”表格"
        return "task-progress", True, "原文有“进展状态”表格"
    title = "".join(front.title)
    text = "\n".join(p.text for p in paragraphs[:60])
    if "法治政府建设" in title:
        return "rule-of-law-report", True, "标题中有“法治政府建设”"
    if front.recipient is not None and re.search(r"(?:报告|汇报)如下", text):
        return "progress-report", True, "有主送机关，并写明“报告如下”"
    speech = front.salutation is not None and front.salutation.startswith("各位代表")
    if speech or (front.subtitle is not None and "会议上" in front.subtitle):
        return "government-work-report", True, "是大会上的讲话（副标题、“各位代表”）"
    if re.search(r"(?:工作)?总结|工作情况|工作报告", title):
        return "work-summary", True, "标题是工作总结"
    return "work-summary", False, "没有发现其他类型的特征"


# --- the draft ----------------------------------------------------------------------------------


def import_report(document: ReadDocument, kind: str | None = None) -> Draft:
    """Recognise the report in ``document`` as a draft of ``kind`` (detected when ``None``)."""
    reading = _reading(document)
    paragraphs = [block for block in reading.blocks if isinstance(block, Para)]
    front = read_front(paragraphs)
    detected, certain, reason = detect_kind(reading, front)
    chosen = kind or detected
    if find_kind(chosen) is None:
        raise ValueError(f"unknown kind {chosen!r}; expected one of {kind_names()}")
    draft = Draft(chosen, {"kind": chosen}, certain=certain or kind is not None)
    label = find_kind(chosen)
    assert label is not None
    if kind is None:
        if certain:
            draft.notes.append(f"按“{label.label}”读取：{reason}")
        else:
            draft.notes.append(
                f"没有把握判断报告类型（{reason}），暂按“{label.label}”读取；"
                "如果不是，请用 huibao import 文件 --kind 类型 重新导入（huibao kinds 列出各类型）"
            )
    elif kind != detected:
        draft.notes.append(f"按指定的类型“{label.label}”读取（从原文看像是 {detected}）")
    draft.notes += reading.notes
    draft.notes += front.notes
    if chosen in TABLE_KINDS:
        _table_report(draft, reading)
    else:
        _narrative_report(draft, reading, front)
    return draft


def _year_of(front: Front, paragraphs: list[str], date: dt.date | None) -> tuple[int, bool]:
    """The report's year: from the title, else the year the text names most, else the date."""
    title = "".join(front.title)
    found = re.search(r"((?:19|20)\d{2})\s*年", title)
    if found:
        return int(found[1]), True
    years = Counter(
        int(year) for text in paragraphs for year in re.findall(r"((?:19|20)\d{2})\s*年", text)
    )
    if years:
        return years.most_common(1)[0][0], False
    if date is not None:
        return date.year, False
    return dt.date.today().year, False


_ORG = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{2,30}?(?:人民政府办公室|人民政府|委员会|办公室|管理局|局|厅|委|办|院|中心|集团|公司))"
)


def _org_of(front: Front, back: Back, texts: list[str]) -> tuple[str, bool]:
    """The issuing body: from the 落款, the title, the web page's source or the opening."""
    if back.org:
        return back.org, True
    title = "".join(front.title)
    before_year = re.match(r"^(?P<org>.+?)(?:关于)?(?:19|20)\d{2}\s*年", title)
    if before_year and _ORG.fullmatch(before_year["org"]):
        return before_year["org"], True
    if front.published_by:
        return front.published_by, False
    for text in texts[:3]:
        match = _ORG.search(text[:80])
        if match:
            name = re.sub(r"^(?:今年以来|近年来|一年来|全年|过去一年)，?", "", match["org"])
            return name, False
    return _MISSING_ORG, False


_OPENING_FORMULA = re.compile(
    r"^按照工作部署，现将(?P<reporter>我(?:省|市|区|县|局|厅|委|办|部|院|司|处|中心))"
    r"(?P<period>(?:今年|本年|\d{4}年)?(?:第[一二三四]季度|上半年|下半年|前三季度|\d{1,2}[-—至]\d{1,2}月))"
    r"(?P<subject>.+?)进展情况报告如下：$"
)


def _narrative_report(draft: Draft, reading: _Reading, front: Front) -> None:
    paragraphs: list[Para] = []
    for block in reading.blocks:
        if isinstance(block, Para):
            paragraphs.append(block)
        else:
            lines = ["　".join(cell for cell in row if cell) for row in block]
            paragraphs += [Para(line) for line in lines if line]
            draft.notes.append("原文中的表格按文字读入正文（这一类报告没有表格），请核对")
    body = paragraphs[front.start :]
    back = read_back(body, None)
    body = body[: back.end]
    start = first_heading_index(body)
    if start is None:
        start = len(body)
    default_top = "（一）" if draft.kind == "progress-report" else "一、"
    outline = read_outline(body[start:], default_top=default_top)
    opening = [p.text for p in body[:start]] + outline.preamble
    texts = [p.text for p in body]
    org, org_found = _org_of(front, back, texts)
    year, year_found = _year_of(front, texts, back.date)
    data = draft.data
    if front.recipient is not None and draft.kind != "progress-report":
        opening.insert(0, f"{front.recipient}：")
        draft.notes.append(
            f"“{front.recipient}：”像是主送机关，这一类报告没有这一项，按开头段落保留"
        )
    subject = "有关工作"
    if draft.kind == "progress-report" and opening:
        composed = _OPENING_FORMULA.match(opening[-1])
        if composed is not None:
            data.update(
                reporter=composed["reporter"],
                period=composed["period"],
                subject=composed["subject"],
            )
            subject = composed["period"] + composed["subject"]
            opening.pop()
    data["title"] = _title_text(front, org, year, draft, subject=subject)
    for key in ("subtitle", "speaker"):
        value = getattr(front, key)
        if value is not None:
            data[key] = value
    _front_fields(draft, org, org_found, year, year_found, back)
    if draft.kind == "rule-of-law-report" and front.byline:
        data["byline"] = dict(front.byline)
    if front.recipient is not None and draft.kind == "progress-report":
        data["recipient"] = front.recipient
    if front.salutation is not None:
        data["salutation"] = front.salutation
    if outline.responsible_label and outline.responsible_label != "责任单位":
        data["responsible_label"] = outline.responsible_label
    if opening:
        data["opening"] = opening
    if outline.top_level != default_top:
        data["top_level"] = outline.top_level
    if outline.sections:
        data["sections"] = outline.sections
    else:
        data.pop("opening", None)
        data["sections"] = [{"heading": "（请填写标题）", "text": opening or ["（请填写）"]}]
        draft.comment(
            ("sections",),
            "原文中没有找到 一、（一）1. 等编号的小节：全文暂作一节，请按原文分成小节",
        )
    if outline.closing:
        data["closing"] = outline.closing
    for path, lines in outline.comments.items():
        draft.comments.setdefault(path, []).extend(lines)
    if draft.kind == "government-work-report":
        for key in ("subtitle", "speaker"):
            if key not in data:
                data[key] = "（请填写）"
                draft.comment((key,), "原文中没有找到这一项，请填写")
    _order(draft)


def _front_fields(
    draft: Draft, org: str, org_found: bool, year: int, year_found: bool, back: Back
) -> None:
    """org, year, date and signature, with comments where they were guessed."""
    data = draft.data
    data["org"] = org
    if org == _MISSING_ORG:
        draft.comment(("org",), "原文中没有找到发文机关，请填写全称")
    elif not org_found:
        draft.comment(("org",), "发文机关是从原文推测的，请核对是否为全称")
    data["year"] = year
    if not year_found:
        draft.comment(("year",), "年度是从原文中的年份推测的，请核对")
    if back.date is not None:
        data["date"] = back.date.isoformat()
    if back.org is not None:
        data["signature"] = True
        if back.org != org:
            draft.comment(("signature",), f"原文落款为“{back.org}”")
    elif back.date is not None:
        draft.comment(("date",), "原文末尾只有日期，没有落款单位：未加落款")


_KIND_TITLES = {
    "work-summary": "{org}{year}年工作总结",
    "progress-report": "{org}关于{subject}进展情况的报告",
    "rule-of-law-report": "{org}{year}年法治政府建设年度报告",
    "government-work-report": "政府工作报告",
    "task-progress": "{year}年重点工作执行情况",
    "performance-review": "{org}{year}年度绩效考评目标完成情况",
}


def _title_text(
    front: Front, org: str, year: int, draft: Draft, *, subject: str = "有关工作"
) -> str:
    if front.title:
        if len(front.title) > 1:
            draft.comment(("title",), "原文标题分两行，保留分行（“|”下的两行）")
        return "\n".join(front.title)
    draft.comment(("title",), "原文没有标题，这是按报告类型拟的标题，请修改")
    return _KIND_TITLES[draft.kind].format(
        org="" if org == _MISSING_ORG else org, year=year, subject=subject
    )


def _table_report(draft: Draft, reading: _Reading) -> None:
    paragraphs = [block for block in reading.blocks if isinstance(block, Para)]
    grids = [block for block in reading.blocks if not isinstance(block, Para)]
    before: list[Para] = []
    after: list[Para] = []
    grid: Grid = []
    if grids:
        first_table = reading.blocks.index(grids[0])
        last_table = reading.blocks.index(grids[-1])
        before = [b for b in reading.blocks[:first_table] if isinstance(b, Para)]
        after = [b for b in reading.blocks[last_table + 1 :] if isinstance(b, Para)]
        for index, each in enumerate(grids):
            grid += each if index == 0 else _without_header(each)
    else:
        start = pipe_table_start(paragraphs)
        if start is not None:
            back = read_back(paragraphs[start:], None)
            grid = grid_from_pipes(paragraphs[start : start + back.end])
            before = paragraphs[:start]
            after = paragraphs[start + back.end :]
        else:
            cells = cell_table_start(paragraphs)
            if cells is not None:
                grid, used = grid_from_cell_lines(paragraphs[cells:])
                before = paragraphs[:cells]
                after = paragraphs[cells + used :]
            else:
                before = paragraphs
    front_matter = read_front(before)
    opening = [p.text for p in before[front_matter.start :]]
    back = read_back(after, None)
    closing = [p.text for p in after[: back.end]]
    texts = opening + closing
    org, org_found = _org_of(front_matter, back, texts)
    cell_texts = [cell for row in grid for cell in row if cell]
    year, year_found = _year_of(front_matter, texts + cell_texts, back.date)
    if front_matter.published is not None and not re.search(r"\d{4}", "".join(front_matter.title)):
        year, year_found = front_matter.published.year, False
    data = draft.data
    if front_matter.period and draft.kind == "task-progress" and front_matter.title:
        last = front_matter.title[-1]
        front_matter.title[-1] = re.sub(r"[（(][^（）()]*[）)]$", "", last).rstrip()
        if not front_matter.title[-1]:
            front_matter.title.pop()
    data["title"] = _title_text(front_matter, org, year, draft)
    _front_fields(draft, org, org_found, year, year_found, back)
    if back.date is None and front_matter.published is not None:
        data["date"] = front_matter.published.isoformat()
        draft.comment(("date",), "成文日期取自网页的发布日期，请核对")
    if draft.kind == "task-progress" and front_matter.period:
        data["period"] = front_matter.period
    if opening:
        data["opening"] = opening
    if not grid:
        draft.comment(("title",), "原文中没有找到表格，请按表格各列填写")
    if draft.kind == "task-progress":
        table = tasks_from_grid(grid) if grid else TableData()
        data["tasks"] = table.rows or [
            {"task": "（请填写）", "progress": ["（请填写）"], "departments": ["（请填写）"]}
        ]
        _table_comments(draft, table, "tasks", "continued")
    else:
        table = dimensions_from_grid(grid) if grid else TableData()
        data["dimensions"] = table.rows or [
            {
                "name": "（请填写）",
                "targets": [
                    {"name": "（请填写）", "indicator": ["（请填写）"], "completion": "（请填写）"}
                ],
            }
        ]
        _table_comments(draft, table, "dimensions", "targets")
    if closing:
        data["closing"] = closing
    _order(draft)


def _without_header(grid: Grid) -> Grid:
    """A table continued on another page repeats its header: drop it."""
    if grid and table_kind([cell or "" for cell in grid[0]]) is not None:
        return grid[1:]
    return grid


def _table_comments(draft: Draft, table: TableData, rows: str, inner: str) -> None:
    """Comments of a table's rows at their paths: (row,), (row, inner), (row, inner, continued)."""
    for where, lines in table.comments.items():
        path: DataPath = (rows, where[0])
        if len(where) > 1:
            path = (*path, inner, where[1])
        if len(where) > 2:
            path = (*path, "continued", where[2])
        for line in lines:
            draft.comment(path, line)


_FIELD_ORDER = (
    "kind",
    "title",
    "subtitle",
    "speaker",
    "org",
    "year",
    "date",
    "signature",
    "byline",
    "recipient",
    "reporter",
    "period",
    "subject",
    "salutation",
    "responsible_label",
    "figures",
    "top_level",
    "opening",
    "sections",
    "tasks",
    "dimensions",
    "closing",
)


def _order(draft: Draft) -> None:
    """The draft's fields in the order the examples show them."""
    data = draft.data
    draft.data = {key: data[key] for key in _FIELD_ORDER if key in data}
    draft.data.update({key: value for key, value in data.items() if key not in draft.data})


# --- the pipeline function ------------------------------------------------------------------------

DRAFT_SUFFIXES = (".yaml", ".yml", ".xlsx")


@dataclass(frozen=True)
class ImportResult:
    """What ``import_file`` wrote, for the CLI to report."""

    source: Path
    outputs: tuple[Path, ...]
    draft: Draft
    to_fill: int


def default_draft_path(source: Path, *, next_year: bool) -> Path:
    """``2023年工作总结.docx`` → ``2023年工作总结.yaml``; for next year ``2024年工作总结.yaml``."""
    stem = source.stem
    if next_year:
        stem = re.sub(r"(?:19|20)\d{2}", lambda m: str(int(m[0]) + 1), stem)
        if stem == source.stem:
            stem += "_次年"
    return source.with_name(stem + ".yaml")


def check_draft_path(output: Path, source: Path, *, force: bool) -> None:
    """The draft's file name must be .yaml or .xlsx, not the source, and not overwrite."""
    from generator.output import same_file

    if output.suffix.lower() not in DRAFT_SUFFIXES:
        raise FileAccessError(
            path=output,
            reason="草稿的文件名应以 .yaml（或 .xlsx）结尾",
            hint="如 -o 2024年工作总结.yaml；表格类报告也可写成 .xlsx 工作簿。",
        )
    if output.exists() and same_file(output, source):
        raise FileAccessError(path=output, reason="草稿不能覆盖原文件")
    if output.exists() and not force:
        raise FileAccessError(
            path=output, reason="文件已存在，未覆盖", hint="换一个文件名（-o），或加 --force 覆盖。"
        )


def apply_next_year(draft: Draft) -> int:
    """Turn ``draft`` into next year's: figures for its quantities (``import_figures``).

    Returns how many figure values are left to fill.
    """
    from generator.import_figures import (
        figure_comment,
        figures_comment,
        next_year_data,
    )

    data, found, comments = next_year_data(draft.data)
    draft.data = data
    if data.get("date", "") is None:
        del data["date"]
    for path, text in comments.items():
        draft.comment(path, text)
    if found.figures:
        data["figures"] = found.figures
        for line in figures_comment(found):
            draft.comment(("figures",), line)
        for name in found.figures:
            draft.comment(("figures", name), figure_comment(found, name))
    draft.notes.append(
        f"这是 {data['year']} 年的草稿：正文中的数字都改成了指标，请逐项填写今年的数值"
    )
    _order(draft)
    return len(found.figures)


def draft_text(draft: Draft, source_name: str) -> str:
    """The draft as YAML: a header saying what it is, then the data and its comments."""
    from generator.import_yaml import draft_yaml

    header = [
        f"由 huibao import 从“{source_name}”导入的草稿。请对照原文逐项核对，"
        f"尤其是以“{MARK}”开头的注释；核对后可删去这些注释。",
        "编号（一、（一）1.（1）一是 二是……）都由 huibao 自动生成，不要手写。",
        "改好后运行：huibao validate 本文件名，再运行：huibao build 本文件名",
        *(MARK + note for note in draft.notes),
    ]
    comments = {path: [MARK + line for line in lines] for path, lines in draft.comments.items()}
    return draft_yaml(draft.data, comments, header)


def _write_outputs(
    draft: Draft, source: Path, output: Path, *, force: bool, figures_count: int
) -> tuple[Path, ...]:
    from generator.output import write_text

    if output.suffix.lower() != ".xlsx":
        write_text(output, draft_text(draft, source.name))
        return (output,)
    from generator.forms import write_form

    kind = find_kind(draft.kind)
    assert kind is not None
    if draft.kind in TABLE_KINDS:
        write_form(kind, output, draft.data)
        return (output,)
    if not figures_count:
        raise FileAccessError(
            path=output,
            reason=f"{kind.label}的正文只能写成 YAML，工作簿只能放“指标”",
            hint="请用 -o 草稿.yaml；加 --next-year 时，可以用 -o 草稿.xlsx 把指标写进工作簿、"
            "正文写进同名的 .yaml。",
        )
    companion = output.with_suffix(".yaml")
    check_draft_path(companion, source, force=force)
    figures = draft.data.pop("figures")
    data = {key: value for key, value in draft.data.items()}
    keyed = list(data)
    position = keyed.index("top_level") if "top_level" in keyed else len(keyed)
    for key in ("opening", "sections"):
        if key in keyed:
            position = min(position, keyed.index(key))
    items = list(data.items())
    items.insert(position, ("figures_from", output.name))
    draft.data = dict(items)
    draft.comments = {
        (("figures_from",) if path[:1] == ("figures",) and len(path) == 1 else path): lines
        for path, lines in draft.comments.items()
        if not (path[:1] == ("figures",) and len(path) > 1)
    }
    draft.comment(
        ("figures_from",),
        f"指标在工作簿“{output.name}”的“指标”表中：请在“数值”一列填写今年的数值",
    )
    write_form(kind, output, {"figures": figures})
    write_text(companion, draft_text(draft, source.name))
    return (output, companion)


def import_file(
    source: Path,
    output: Path | None = None,
    *,
    kind: str | None = None,
    next_year: bool = False,
    force: bool = False,
) -> ImportResult:
    """Read ``source``, recognise the report, write the draft; raise ``UserError`` for what
    staff can fix (an unreadable file, an output that exists)."""
    from generator.reader import SUFFIXES, read_document

    if source.suffix.lower() not in SUFFIXES or not source.is_file():
        read_document(source)  # says what is wrong with the file, before any output is named
    target = output or default_draft_path(source, next_year=next_year)
    check_draft_path(target, source, force=force)
    document = read_document(source)
    draft = import_report(document, kind)
    count = apply_next_year(draft) if next_year else 0
    outputs = _write_outputs(draft, source, target, force=force, figures_count=count)
    return ImportResult(source, outputs, draft, count)
