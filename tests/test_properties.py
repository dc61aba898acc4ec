"""Property-based tests: any text staff can type reaches the .docx literally, and no byte-level
damage to an input produces a traceback.

CI runs a bounded number of examples (profile ``ci``). For a long campaign:
``HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py``.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.compute import PLACEHOLDER
from generator.errors import UserError
from generator.pipeline import build_report
from generator.typed_numbers import TYPED_NUMBER
from tests.helpers import EXAMPLES, docx_text

# What YAML can carry in a text: printable characters of every plane, no line breaks (a line
# break starts a new paragraph) and no control characters (refused with their location).
_CHARACTERS = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Zl", "Zp"),
    exclude_characters="\ufeff\ufffe\uffff\x85",
)
_SPECIALS = st.sampled_from(
    ["&", "<", ">", '"', "'", "{{ 7*7 }}", "{% raw %}", "<b>粗体</b>", "😀", "𠀀𪚥", "]]>", "\\n"]
)
TEXT = (
    st.lists(
        st.one_of(st.text(_CHARACTERS, min_size=1, max_size=12), _SPECIALS), min_size=1, max_size=6
    )
    .map("".join)
    .map(str.strip)
    .filter(lambda text: bool(text) and not PLACEHOLDER.search(text))
    # a text that starts with a typed number (1. 一是) is refused where huibao numbers, by design
    .filter(lambda text: not TYPED_NUMBER.match(text))
)


def _build(yaml_text: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "input.yaml"
        source.write_text(yaml_text, encoding="utf-8")
        output = Path(folder) / "out.docx"
        build_report(source, output)
        docx.Document(str(output))  # python-docx reopens it
        return docx_text(output)


@given(title=TEXT, heading=TEXT, body=TEXT, item=TEXT)
def test_any_text_reaches_the_outline_report_literally(
    title: str, heading: str, body: str, item: str
) -> None:
    q = json.dumps  # a JSON string is a valid YAML double-quoted scalar
    text = _build(
        f"kind: work-summary\ntitle: {q(title, ensure_ascii=False)}\norg: 某局\nyear: 2024\n"
        f"sections:\n  - heading: {q(heading, ensure_ascii=False)}\n"
        f"    text: [{q(body, ensure_ascii=False)}]\n"
        f"    items: [{q(item, ensure_ascii=False)}]\n"
    )
    for typed in (heading, body, item):
        assert typed in text
    # a long title is set in several lines (GB/T 9704 §7.3.1): its text, less the breaks
    assert title in text.replace("\n", "")


@given(task=TEXT, points=st.lists(TEXT, min_size=1, max_size=3), department=TEXT)
def test_any_text_reaches_the_table_report_literally(
    task: str, points: list[str], department: str
) -> None:
    q = json.dumps
    text = _build(
        "kind: task-progress\ntitle: 重点工作执行情况\norg: 某局\nyear: 2024\ntasks:\n"
        f"  - task: {q(task, ensure_ascii=False)}\n"
        f"    progress: {q(points, ensure_ascii=False)}\n"
        f"    departments: [{q(department, ensure_ascii=False)}]\n"
    )
    for typed in (task, *points, department):
        assert typed in text


@given(recipient=TEXT, period=TEXT, heading=TEXT, byline=TEXT)
def test_any_text_reaches_the_other_outline_kinds_literally(
    recipient: str, period: str, heading: str, byline: str
) -> None:
    q = json.dumps
    sections = f"sections:\n  - heading: {q(heading, ensure_ascii=False)}\n    text: [正文。]\n"
    progress = _build(
        "kind: progress-report\ntitle: 进展情况\norg: 某厅\nyear: 2024\n"
        f"recipient: {q(recipient, ensure_ascii=False)}\nreporter: 我省\n"
        f"period: {q(period, ensure_ascii=False)}\nsubject: 城市建设\n" + sections
    )
    rule_of_law = _build(
        "kind: rule-of-law-report\ntitle: 法治政府建设年度报告\norg: 某局\nyear: 2024\n"
        f"byline:\n  author: {q(byline, ensure_ascii=False)}\n" + sections
    )
    for typed in (recipient, period, heading):
        assert typed in progress
    assert heading in rule_of_law and byline in rule_of_law


@given(dimension=TEXT, name=TEXT, indicator=TEXT, heading=TEXT, completion=TEXT)
def test_any_text_reaches_the_performance_review_literally(
    dimension: str, name: str, indicator: str, heading: str, completion: str
) -> None:
    q = json.dumps
    text = _build(
        "kind: performance-review\ntitle: 绩效考评目标完成情况\norg: 某委\nyear: 2024\n"
        f"dimensions:\n  - name: {q(dimension, ensure_ascii=False)}\n    targets:\n"
        f"      - name: {q(name, ensure_ascii=False)}\n"
        f"        indicator: [{q(indicator, ensure_ascii=False)}]\n"
        f"        completion:\n          - heading: {q(heading, ensure_ascii=False)}\n"
        f"            items: [{q(completion, ensure_ascii=False)}]\n"
    )
    for typed in (dimension, name, indicator, heading, completion):
        assert typed in text


def _csv_report(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


# 牵头部门 typed in one cell is split at 、，,；; (written back as 、): a name holds none of them
DEPARTMENT = TEXT.filter(lambda text: not any(mark in text for mark in "、，,；;"))


@given(task=TEXT, progress=TEXT, department=DEPARTMENT)
def test_any_text_in_a_csv_report_reaches_the_docx_literally(
    task: str, progress: str, department: str
) -> None:
    """Cells go through the CSV reader and its 1. 2. numbering: nothing typed is lost."""
    report = _csv_report(
        [
            ["报告类型", "task-progress"],
            ["标题", "重点工作执行情况"],
            ["发文机关", "某局"],
            ["年度", "2024"],
            ["任务"],
            ["序号", "主要工作任务", "进展情况", "牵头部门"],
            ["1", task, progress, department],
        ]
    )
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "input.csv"
        source.write_bytes(report)
        output = Path(folder) / "out.docx"
        build_report(source, output)
        text = docx_text(output)
    for typed in (task, progress, department):
        assert typed in text


VALID = (EXAMPLES / "progress-report.yaml").read_bytes()
VALID_CSV = _csv_report(
    [
        ["报告类型", "task-progress"],
        ["标题", "重点工作执行情况"],
        ["发文机关", "某局"],
        ["年度", "2024"],
        ["指标"],
        ["名称", "数值", "单位", "目标"],
        ["道路里程", "88", "公里", "75"],
        ["任务"],
        ["序号", "主要工作任务", "进展情况", "牵头部门", "进展状态"],
        [
            "1",
            "新建道路。",
            "1.新建{道路里程}。\n2.完成率{道路里程.完成率}。",
            "市建委",
            "按时推进",
        ],
        ["", "续建快速路。", "正常推进。", "市建委、市交通局", ""],
    ]
)


@pytest.mark.parametrize(
    ("name", "valid"), [("input.yaml", VALID), ("input.csv", VALID_CSV)], ids=["yaml", "csv"]
)
@given(
    mutations=st.lists(
        st.tuples(
            st.integers(0, 100_000),
            st.integers(0, 255),
            st.sampled_from(["set", "insert", "delete"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_damaged_input_gives_a_message_never_a_traceback(
    name: str, valid: bytes, mutations: list[tuple[int, int, str]]
) -> None:
    data = bytearray(valid)
    for position, byte, action in mutations:
        position %= max(1, len(data))
        if action == "set" and data:
            data[position] = byte
        elif action == "insert":
            data.insert(position, byte)
        elif data:
            del data[position]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / name
        source.write_bytes(bytes(data))
        output = Path(folder) / "out.docx"
        try:
            build_report(source, output)
        except UserError as error:
            assert str(error)  # a message for the user
            assert not output.exists()
        else:
            docx.Document(str(output))
        assert [path.name for path in Path(folder).iterdir() if path.name.startswith(".")] == []
