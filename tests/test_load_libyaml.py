"""YAML composed by libyaml reads exactly as YAML composed by PyYAML's own code: the same data,
the same place for every key and value, and the same message at the same place for every mistake.

``generator.load`` composes with libyaml (ten times faster) when it is present and the text holds
nothing the two read differently; these tests compare every outcome with the pure-Python
composer's (``_C_LOADER`` switched off)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import load
from generator.errors import UserError
from tests.helpers import EXAMPLES

pytestmark = pytest.mark.skipif(load._C_LOADER is None, reason="PyYAML without libyaml")

HEAD = "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"


def _outcome(path: Path) -> tuple[Any, ...]:
    try:
        source = load.load_source(path)
    except UserError as error:
        return ("error", str(error))
    return (
        "read",
        source.data,
        source.value_locations,
        source.key_locations,
        source.trailing_comments,
        source.notes,
        source.problems,
    )


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    with_libyaml = _outcome(path)
    with monkeypatch.context() as patch:
        patch.setattr(load, "_C_LOADER", None)
        pure = _outcome(path)
    return with_libyaml, pure


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.name)
def test_every_example_is_composed_by_libyaml_and_reads_the_same(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load._c_composable(example.read_text(encoding="utf-8"))
    with_libyaml, pure = _both(example, monkeypatch)
    assert with_libyaml[0] == "read" and with_libyaml == pure


TRICKY = {
    "alias": HEAD + "opening: &a 甲\nclosing: *a\n",
    "anchor on a text": HEAD + "opening: &重点 工作\n",
    "anchor on a mapping, unused": HEAD + "figures: &f\n  投资: 1亿元\n",
    "ampersand in a text": HEAD + "opening: R&D 投入 * 2\n",
    "tag": HEAD + "opening: !!python/object 甲\n",
    "local tag": HEAD + "opening: !甲 乙\n",
    "duplicate key": HEAD + "title: 又一个\n",
    "missing dash": HEAD + "sections:\n  - heading: 甲\n    heading: 乙\n",
    "missing dash, then a field twice": HEAD
    + "sections:\n  - heading: 甲\n    heading: 乙\n    text: 丙\n    text: 丁\n",
    "trailing comment": HEAD + "opening: 1#楼已封顶，2 #楼完成主体结构\n",
    "trailing comment after a number": HEAD + "year: 2024  # 年度\n",
    "comment after a hidden break": HEAD + "opening: 甲\u2028 # 注\n",
    "block with blank lines": HEAD + "opening: |\n  第一段\n\n  第二段\n   缩进\n",
    "folded block": HEAD + "opening: >-\n  甲\n  乙\n\n  丙\n",
    "block glued comment": HEAD + "opening: |#注\n  甲\n",
    "line separators": HEAD + "opening: 甲\u2028乙\u2029丙\x85丁\r\n",
    "carriage returns": HEAD.replace("\n", "\r") + "opening: 甲\r",
    "byte order mark inside": HEAD + "open\ufeffing: 甲\n",
    "tab in a text": HEAD + "opening: 今年\t完成\n",
    "tab indentation": HEAD + "sections:\n\t- heading: 甲\n",
    "empty values": HEAD + "opening:\nclosing: ~\nsections:\n  -\n  - heading:\n",
    "empty value in braces": HEAD + "figures:\n  投资: {value: 1, unit: , target: 2}\n",
    "empty entry in brackets": HEAD + "opening: [甲, , 乙]\n",
    "question mark key": HEAD + "? 甲\n: 乙\n? 丙\n",
    "question mark in braces": HEAD + "figures: {投?资: 1}\n",
    "placeholder as a value": HEAD + "opening: {道路里程}\n",
    "flow mapping figures": HEAD + "figures:\n  开工: {value: 70, unit: 个, target: 85}\n",
    "unclosed quote": HEAD + 'opening: "甲\n',
    "unclosed bracket": HEAD + "opening: [甲, 乙\n",
    "colon in a text": HEAD + "opening: 甲: 乙\n",
    "bad indentation": HEAD + "sections:\n  - heading: 甲\n   text: 乙\n",
    "two documents": HEAD + "---\nkind: work-summary\n",
    "directive": "%YAML 1.1\n---\n" + HEAD,
    "control character": HEAD + "opening: 甲\x07乙\n",
    "only a comment": "# 注释\n",
    "a list at the top": "- 甲\n- 乙\n",
    "a text at the top": "甲乙丙\n",
    "nothing after the document start": "---    ",
    "deep brackets": HEAD + "opening: " + "[" * 120 + "甲" + "]" * 120 + "\n",
    "deep mappings": HEAD + "".join(" " * i + f"k{i}:\n" for i in range(120)) + "  " * 60 + "v\n",
    "deep dashes": HEAD + "opening:\n" + "- " * 120 + "甲\n",
    "full-width colon": HEAD + "opening：甲\n",
    "full-width space": HEAD + "\u3000opening: 甲\n",
}


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_texts_read_the_same(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    with_libyaml, pure = _both(path, monkeypatch)
    assert with_libyaml == pure


def test_a_field_twice_in_the_item_after_a_missing_dash_is_named_at_its_line(
    tmp_path: Path,
) -> None:
    """Found by comparing the composers: this mistake was a KeyError (a traceback) before."""
    path = tmp_path / "x.yaml"
    path.write_text(TRICKY["missing dash, then a field twice"], encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load.load_source(path)
    assert "x.yaml:7:5" in str(caught.value) and "可能缺少列表项开头的“- ”" in str(caught.value)
    assert "x.yaml:9:5" in str(caught.value) and "字段“text”重复出现（第一次在第 8 行）" in str(
        caught.value
    )


def test_nesting_deep_enough_to_crash_libyaml_is_composed_in_python(tmp_path: Path) -> None:
    """libyaml's composer recurses in C: 100,000 brackets would end the process, not the build."""
    path = tmp_path / "x.yaml"
    path.write_text(HEAD + "opening: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(UserError, match="嵌套层次太深"):
        load.load_source(path)


_EXAMPLE_LINES = [
    line
    for example in sorted(EXAMPLES.glob("*.yaml"))
    for line in example.read_text(encoding="utf-8").splitlines(keepends=True)
]
_PIECES = [
    *" \n-:#'\"|>[]{},&*!?%@`\\~",
    "\r\n",
    "\r",
    "\x85",
    "\u2028",
    "\u3000",
    "：",
    "甲",
    "  ",
    "- ",
    ": ",
    " #",
    "\ufeff",
    "\t",
    "---",
    "null",
]


@st.composite
def _mutated_reports(draw: st.DrawFn) -> str:
    start = draw(st.integers(0, len(_EXAMPLE_LINES) - 1))
    text = "".join(_EXAMPLE_LINES[start : start + draw(st.integers(1, 12))])
    if draw(st.booleans()):
        text = HEAD + text
    for _ in range(draw(st.integers(0, 4))):
        place = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(_PIECES)) if action != "delete" else ""
        end = place if action == "insert" else min(len(text), place + 1)
        text = text[:place] + piece + text[end:]
    return text


@given(text=_mutated_reports())
def test_mutated_reports_read_the_same(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Mutated slices of the examples (a long campaign: HYPOTHESIS_PROFILE=long)."""
    path = tmp_path_factory.mktemp("mutated") / "x.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    with_libyaml = _outcome(path)
    original, load._C_LOADER = load._C_LOADER, None
    try:
        pure = _outcome(path)
    finally:
        load._C_LOADER = original
    assert with_libyaml == pure


def test_the_guard_finds_what_libyaml_reads_differently() -> None:
    for text in ("a: 甲\tb", "a: |#c", "{a: , b: 1}", "a: 为什么?", "\ufeffa: 1", "a: !x 1"):
        assert load._not_for_libyaml(text), text
    assert not load._not_for_libyaml((EXAMPLES / "work-summary.yaml").read_text())
