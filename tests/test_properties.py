"""Property-based tests: any text staff can type reaches the .docx literally, and no byte-level
damage to an input produces a traceback.

CI runs a bounded number of examples (profile ``ci``). For a long campaign:
``HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import docx
from hypothesis import given
from hypothesis import strategies as st

from generator.compute import PLACEHOLDER
from generator.errors import UserError
from generator.pipeline import build_report
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
    for typed in (title, heading, body, item):
        assert typed in text


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


VALID = (EXAMPLES / "progress-report.yaml").read_bytes()


@given(
    st.lists(
        st.tuples(
            st.integers(0, len(VALID) - 1),
            st.integers(0, 255),
            st.sampled_from(["set", "insert", "delete"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_damaged_input_gives_a_message_never_a_traceback(
    mutations: list[tuple[int, int, str]],
) -> None:
    data = bytearray(VALID)
    for position, byte, action in mutations:
        position %= max(1, len(data))
        if action == "set" and data:
            data[position] = byte
        elif action == "insert":
            data.insert(position, byte)
        elif data:
            del data[position]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "input.yaml"
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
