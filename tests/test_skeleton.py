"""What staff read while filling a report is Chinese and fits its kind: the JSON Schema the editor
shows (``huibao schema``), the comments of ``huibao new`` and the list of ``huibao kinds``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from schemas import KINDS

RunCli = Callable[..., tuple[int, str, str]]

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# A run of Latin letters is an English word, unless it is a file extension (“2024指标.xlsx”).
ENGLISH_WORD = re.compile(r"(?<![.\w])[A-Za-z]{2,}")


def texts_of(schema: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every ``title`` and ``description`` text of a JSON Schema, ``$defs`` included, with where
    it is. A property *named* ``title`` is a key whose value is a schema, not a text."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in {"title", "description"} and isinstance(value, str):
                yield f"{where}/{key}", value
            else:
                yield from texts_of(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from texts_of(value, f"{where}/{index}")


def is_chinese_text(text: str) -> bool:
    return bool(CHINESE.search(text)) and not ENGLISH_WORD.search(text)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_schema_title_and_description_is_chinese(run_cli: RunCli, kind: str) -> None:
    code, out, _ = run_cli("schema", kind)
    assert code == 0
    schema = json.loads(out)
    texts = dict(texts_of(schema))
    assert len(texts) > 40
    english = {where: text for where, text in texts.items() if not is_chinese_text(text)}
    assert not english, english
    # every field and every model of the schema has a title of its own
    models = [schema, *schema["$defs"].values()]
    assert all("title" in model for model in models)
    untitled = [
        f"{model['title']}.{name}"
        for model in models
        for name, field in model.get("properties", {}).items()
        if "title" not in field or "description" not in field
    ]
    assert not untitled


def test_the_english_word_check_catches_pydantic_defaults() -> None:
    assert not is_chinese_text("Run In")
    assert not is_chinese_text("true：标题后接正文")
    assert not is_chinese_text("需填写 date")
    assert is_chinese_text("从表格文件读取指标，如“2024指标.xlsx”")


def comment_lines(skeleton: str) -> list[str]:
    """The explanation comments of a skeleton: not the editor directive, not the commented-out
    examples (``#   道路里程: 88公里``, ``# items:``), which are YAML staff may copy."""
    lines = [line.strip() for line in skeleton.splitlines() if line.strip().startswith("#")]
    return [
        line
        for line in lines
        if not line.startswith("# yaml-language-server:")
        and not re.match(r"#\s+(-\s*$|(- )?\w+:)", line)
        and line != "# 例如："
    ]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_skeleton_comments_are_chinese_and_fit_the_kind(
    run_cli: RunCli, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / f"{kind}.yaml"
    assert run_cli("new", kind, "-o", str(target))[0] == 0
    skeleton = target.read_text(encoding="utf-8")
    comments = comment_lines(skeleton)
    assert len(comments) > 10
    # the header names the kind and the command; every field comment is Chinese prose
    header, *fields = comments
    assert header.startswith(f"# {KINDS[kind].label}（{kind}）：")
    english = [line for line in fields if not is_chinese_text(line.replace("huibao build", ""))]
    assert not english
    if kind != "work-summary":
        assert "工作总结" not in skeleton
    # yes/no switches read as staff write them, and the skeleton stays valid YAML of its kind
    assert "false" not in skeleton and "true" not in skeleton
    data = yaml.safe_load(skeleton)
    assert data["kind"] == kind and data["signature"] == "否"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_skeleton_switches_written_as_no_still_validate(
    run_cli: RunCli, tmp_path: Path, kind: str
) -> None:
    """``signature: 否`` left as the skeleton wrote it is read as false: no problem is reported
    at that line, only the blanks staff still have to fill."""
    target = tmp_path / f"{kind}.yaml"
    assert run_cli("new", kind, "-o", str(target))[0] == 0
    line = next(
        number
        for number, text in enumerate(target.read_text(encoding="utf-8").splitlines(), start=1)
        if text == "signature: 否"
    )
    code, _, err = run_cli("validate", str(target))
    assert code == 1 and "Traceback" not in err
    assert f"{target.name}:{line}:" not in err


def test_kinds_are_described_in_chinese(run_cli: RunCli) -> None:
    code, out, _ = run_cli("kinds")
    assert code == 0
    for kind in KINDS.values():
        assert kind.label in out
        assert is_chinese_text(kind.description) and is_chinese_text(kind.label)
