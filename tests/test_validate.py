from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.load import load_source
from generator.validate import validate_report
from schemas.work_summary import WorkSummary

MINIMAL = """\
kind: work-summary
title: 某局2024年工作总结
org: 某局
year: 2024
sections:
  - heading: 主要工作
    text: 做了很多工作。
"""


def validate_text(tmp_path: Path, text: str) -> WorkSummary:
    path = tmp_path / "input.yaml"
    path.write_text(text, encoding="utf-8")
    report = validate_report(load_source(path))
    assert isinstance(report, WorkSummary)
    return report


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        validate_text(tmp_path, text)
    return [str(problem) for problem in caught.value.problems]


def test_minimal_report_validates(tmp_path: Path) -> None:
    report = validate_text(tmp_path, MINIMAL)
    assert report.year == 2024
    assert report.sections[0].text == ["做了很多工作。"]
    assert report.top_level == "一、"


def test_misspelt_field_names_closest_valid_name(tmp_path: Path) -> None:
    text = MINIMAL.replace("    text:", "    txet:")
    (message,) = problems(tmp_path, text)
    # the place in Chinese; the misspelt name as typed, and the name to type instead
    assert message.startswith("input.yaml:7:5  第1节：无法识别的字段“txet”")
    assert "是否想写“text”" in message


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path) -> None:
    text = MINIMAL.replace("year: 2024", "year: 2024年").replace("org: 某局\n", "")
    text += "    run_in: 也许\n"
    messages = problems(tmp_path, text)
    assert len(messages) == 3
    assert messages[0].startswith("input.yaml:1:1  缺少必填字段“发文机关”（org）")
    assert messages[1].startswith("input.yaml:3:7  年度：应填写整数")
    assert messages[2].startswith("input.yaml:7:13  第1节 › 标题接排：应填写“是”或“否”")


def test_blank_required_field_says_it_cannot_be_empty(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, MINIMAL.replace("org: 某局", "org:"))
    assert message.startswith("input.yaml:3:5  发文机关：这里不能为空")


def test_blank_optional_field_means_not_filled(tmp_path: Path) -> None:
    report = validate_text(tmp_path, MINIMAL + "opening:\nclosing:\n")
    assert report.opening == [] and report.closing == []


def test_missing_kind_and_unknown_kind(tmp_path: Path) -> None:
    (missing,) = problems(tmp_path, MINIMAL.replace("kind: work-summary\n", ""))
    assert "缺少报告类型 kind" in missing and "work-summary" in missing
    (unknown,) = problems(tmp_path, MINIMAL.replace("work-summary", "work-sumary"))
    assert unknown.startswith("input.yaml:1:7  报告类型：不认识的报告类型“work-sumary”")
    assert "是否想写“work-summary”" in unknown


@pytest.mark.parametrize("typed", ["2021-01-15", "2021年1月15日", "2021.1.15", "2021/01/15"])
def test_dates_in_the_ways_staff_write_them(tmp_path: Path, typed: str) -> None:
    report = validate_text(tmp_path, MINIMAL + f"date: {typed}\n")
    assert report.date == dt.date(2021, 1, 15)


def test_impossible_date(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, MINIMAL + "date: 2021年2月30日\n")
    assert "成文日期：应填写日期" in message


@pytest.mark.parametrize(
    ("typed", "level"), [("(一)", "（一）"), ("1、", "1."), ("（1）", "（1）")]
)
def test_top_level_accepts_half_width_forms(tmp_path: Path, typed: str, level: str) -> None:
    report = validate_text(tmp_path, MINIMAL + f"top_level: '{typed}'\n")
    assert report.top_level == level


def test_top_level_rejects_other_labels(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, MINIMAL + "top_level: 第一\n")
    assert "最外层编号：不能填写“第一”" in message and "（一）" in message


def test_text_in_yaml_11_boolean_words_stays_text(tmp_path: Path) -> None:
    report = validate_text(tmp_path, MINIMAL.replace("做了很多工作。", "no"))
    assert report.sections[0].text == ["no"]


def test_heading_forms_are_exclusive_and_required(tmp_path: Path) -> None:
    both = MINIMAL.replace("  - heading: 主要工作\n", "  - heading: 主要工作\n    focus: 两战赢\n")
    (message,) = problems(tmp_path, both)
    assert "第1节：标题只能用一种写法" in message
    focus_only = MINIMAL.replace("heading: 主要工作", "focus: 两战赢")
    (message,) = problems(tmp_path, focus_only)
    assert "要同时填写 focus 和 theme" in message


def test_empty_item(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, MINIMAL + "    items:\n      - heading:\n")
    assert message.startswith("input.yaml:9:9  第1节 › 第1条：条目是空的")


def test_outline_deeper_than_four_levels_is_located(tmp_path: Path) -> None:
    deep = MINIMAL + (
        "    sections:\n"
        "      - heading: 二级\n"
        "        sections:\n"
        "          - heading: 三级\n"
        "            sections:\n"
        "              - heading: 四级\n"
        "                sections:\n"
        "                  - heading: 五级\n"
    )
    (message,) = problems(tmp_path, deep)
    assert message.startswith("input.yaml:15:21  第1节 › 第1小节 › 第1小节 › 第1小节 › 第1小节：")
    assert "层级太深" in message


def test_starting_at_second_level_leaves_three_levels(tmp_path: Path) -> None:
    nested = (
        "    sections:\n      - heading: 1级\n        sections:\n          - heading: （1）级\n"
    )
    validate_text(tmp_path, MINIMAL + nested + "top_level: （一）\n")
    too_deep = nested + "            sections:\n              - heading: 太深\n"
    (message,) = problems(tmp_path, MINIMAL + too_deep + "top_level: （一）\n")
    assert "层级太深" in message and "从“（一）”开始编号" in message


def test_signature_needs_a_date(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, MINIMAL + "signature: true\n")
    assert message.startswith("input.yaml:8:12  落款：要加落款，但没有填写成文日期")


def test_text_length_limit_is_named(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, MINIMAL.replace("做了很多工作。", "字" * 20_001))
    assert "20001 字" in message and "20000 字" in message


def test_a_text_read_as_a_mapping_says_why(tmp_path: Path) -> None:
    text = MINIMAL.replace("    text: 做了很多工作。", "    text:\n      - 乙: 丙")
    (message,) = problems(tmp_path, text)
    assert "应填写文字，这里是一组字段" in message and "引号" in message and "中文冒号" in message


def test_a_year_typed_in_full_width_digits_is_read(tmp_path: Path) -> None:
    source = tmp_path / "input.yaml"
    source.write_text(MINIMAL.replace("year: 2024", "year: ２０２４"), encoding="utf-8")
    assert validate_report(load_source(source)).year == 2024
