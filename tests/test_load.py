from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import load
from generator.errors import FileAccessError, InputError
from generator.load import load_source


def write(tmp_path: Path, content: str | bytes, name: str = "input.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_source(path)
    return [str(problem) for problem in caught.value.problems]


def test_values_keep_their_line_and_column(tmp_path: Path) -> None:
    source = load_source(write(tmp_path, "kind: x\nsections:\n  - heading: 甲\n    text: 乙\n"))
    assert source.data == {"kind": "x", "sections": [{"heading": "甲", "text": "乙"}]}
    location = source.value_locations[("sections", 0, "text")]
    assert (location.line, location.column) == (4, 11)
    assert source.key_locations[("sections", 0, "text")].column == 5
    assert source.locate(("sections", 0, "missing")).line == 3


def test_scalars_stay_as_typed(tmp_path: Path) -> None:
    """YAML 1.1 booleans, numbers and dates stay text; only the schema converts them."""
    text = "a: no\nb: on\nc: 2020-01-01\nd: 1,220\ne: 007\nf: ~\ng:\nh: 'null'\n"
    data = load_source(write(tmp_path, text)).data
    assert data == {
        "a": "no",
        "b": "on",
        "c": "2020-01-01",
        "d": "1,220",
        "e": "007",
        "f": None,
        "g": None,
        "h": "null",
    }


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffkind: 甲\n".encode())
    assert load_source(path).data == {"kind": "甲"}


def test_duplicate_key_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path, "title: a\norg: b\ntitle: c\n"))
    assert "input.yaml:3:1" in message
    assert "“title”重复出现（第一次在第 1 行）" in message


def test_tab_indentation_has_a_chinese_hint(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path, "kind: x\n\ttitle: y\n"))
    assert "input.yaml:2:1" in message
    assert "Tab" in message and "空格" in message


def test_unclosed_quote_points_where_it_opened(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path, 'kind: x\ntitle: "abc\norg: y\n'))
    assert message.startswith("input.yaml:2:8")
    assert "引号" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "文件是空的"),
        ("# 只有注释\n", "文件是空的"),
        ("- a\n- b\n", "最外层"),
        ("就一句话\n", "最外层"),
        ("a: &x 1\nb: *x\n", "锚点和别名"),
        ("a: !!python/object:os.system x\n", "!!python/object:os.system"),
        ("a: !custom x\n", "不支持的 YAML 标记"),
        ("a: 1\n---\nb: 2\n", "多个 YAML 文档"),
        ('a: "bad\x07char"\n', "控制字符 U+0007"),
    ],
)
def test_malformed_input_gets_a_located_chinese_message(
    tmp_path: Path, content: str, expected: str
) -> None:
    messages = problems_of(write(tmp_path, content))
    assert any(expected in message for message in messages), messages
    assert all(message.startswith("input.yaml") for message in messages)


def test_deep_nesting_is_refused_without_recursion_error(tmp_path: Path) -> None:
    deep = "a: " + "[" * 2000 + "]" * 2000 + "\n"
    messages = problems_of(write(tmp_path, deep))
    assert any("嵌套" in message for message in messages)


def test_gb18030_is_read_with_a_note(tmp_path: Path) -> None:
    path = write(tmp_path, "kind: x\ntitle: 工作总结\n".encode("gb18030"))
    source = load_source(path)
    assert source.data["title"] == "工作总结"
    (note,) = source.notes
    assert "GB18030" in str(note) and "input.yaml" in str(note)


def test_other_encodings_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "kind: x\ntitle: café crème\n".encode("latin-1"))
    (message,) = problems_of(path)
    assert "input.yaml:2" in message and "UTF-8" in message


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda root: root / "nowhere.yaml", "文件不存在"),
        (lambda root: root, "文件夹"),
    ],
)
def test_unusable_paths(tmp_path: Path, make: object, expected: str) -> None:
    assert callable(make)
    with pytest.raises(FileAccessError, match=expected):
        load_source(make(tmp_path))


def test_binary_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="不是文本文件"):
        load_source(write(tmp_path, b"PK\x03\x04\x00\x00binary"))


@given(
    st.lists(
        st.sampled_from(
            ["title", "year", " ", "- ", ":", "：", "x", "\n", "\r\n", "\r", "\x85", "\u2028", "#"]
        ),
        max_size=30,
    ).map("".join)
)
def test_the_quick_look_for_suspect_key_lines_agrees_with_the_line_by_line_one(text: str) -> None:
    """Lines that could hold ``key：value`` are looked for with ``^`` where every line ends in
    a newline, and where str.splitlines starts a line otherwise: the two agree."""
    quick = load._suspect_line(text)
    careful = load._KEY_LINE_SUSPECT.search(text)
    assert (quick is None) == (careful is None)
