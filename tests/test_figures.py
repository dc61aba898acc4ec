"""Named figures: what staff type as numbers, the placeholders in text, and their checks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.compute import format_decimal, rate_text
from generator.errors import InputError
from generator.pipeline import ValidatedInput, validate_input
from schemas.figures import Figure

HEAD = """\
kind: work-summary
title: 某局2024年工作总结
org: 某局
year: 2024
figures:
{figures}
sections:
  - heading: 主要工作
    text: "{text}"
"""


def checked(tmp_path: Path, figures: str, text: str, *, lenient: bool = False) -> ValidatedInput:
    path = tmp_path / "input.yaml"
    path.write_text(HEAD.format(figures=figures, text=text), encoding="utf-8")
    return validate_input(path, lenient=lenient)


def body(result: ValidatedInput) -> str:
    return str(result.report.model_dump()["sections"][0]["text"][0])


def problems(tmp_path: Path, figures: str, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        checked(tmp_path, figures, text)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("typed", "value", "unit"),
    [
        ("1220", "1220", ""),
        ("1,220", "1220", ""),
        ("１２２０", "1220", ""),
        ("82.4%", "82.4", "%"),
        ("20亿", "20", "亿"),
        ("2.3万", "2.3", "万"),
        ("204.8公里", "204.8", "公里"),
        ("-5.7", "-5.7", ""),
        ("0.10", "0.10", ""),
    ],
)
def test_typed_values_are_kept_exactly(typed: str, value: str, unit: str) -> None:
    figure = Figure.model_validate(typed)
    assert figure.value == Decimal(value) and str(figure.value) == value and figure.unit == unit


@pytest.mark.parametrize(
    ("data", "value", "target"),
    [
        ({"value": "20亿", "unit": "元"}, "2000000000", None),
        ({"value": "20亿", "unit": "万元", "target": "15亿"}, "200000", "150000"),
        ({"value": "2.3万", "unit": "户"}, "23000", None),
        ({"value": "88", "unit": "亿元", "target": "75"}, "88", "75"),
    ],
)
def test_magnitudes_are_converted_into_the_unit(
    data: dict[str, str], value: str, target: str | None
) -> None:
    figure = Figure.model_validate(data)
    assert figure.value == Decimal(value)
    assert figure.target == (Decimal(target) if target else None)


@pytest.mark.parametrize("typed", ["八十八", "约88", "88公里多", "1,22", "12%%", "1.2.3"])
def test_values_that_are_not_numbers_are_errors_at_their_line(tmp_path: Path, typed: str) -> None:
    (message,) = problems(
        tmp_path, f"  道路里程:\n    value: {typed}\n    unit: 公里", "{道路里程}"
    )
    assert message.startswith("input.yaml:7:12  figures.道路里程.value：")
    assert f"“{typed}”不是数值" in message


def test_percent_value_with_another_unit_is_an_error(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, "  开工率:\n    value: 82.4%\n    unit: 个", "{开工率}")
    assert "figures.开工率.value" in message and "不是数值" in message


def test_number_formatting_follows_the_seeds() -> None:
    assert format_decimal(Decimal("59759")) == "59759"
    assert format_decimal(Decimal("2000000000")) == "2000000000"
    assert format_decimal(Decimal("15.80")) == "15.8"
    assert format_decimal(Decimal("2E+3")) == "2000"
    assert format_decimal(Decimal("117.333"), 2) == "117.33"
    assert format_decimal(Decimal("0.125"), 2) == "0.13"  # half up, not banker's rounding
    assert rate_text(Decimal("117.333"), None) == "117.3"
    assert rate_text(Decimal("108.0"), None) == "108"
    assert rate_text(Decimal("146.68"), 2) == "146.68"
    assert rate_text(Decimal("117.333"), 0) == "117"


@pytest.mark.parametrize(
    ("figure", "text", "expected"),
    [
        ("88公里", "全市新增城市道路{道路里程}", "全市新增城市道路88公里"),
        ("{value: 88, unit: 公里, target: 75}", "完成率{道路里程.完成率}", "完成率117.3%"),
        ("{value: 88, unit: 公里, target: 75, precision: 0}", "{道路里程.完成率}", "117%"),
        ("{value: 88, unit: 公里, target: 75}", "目标{道路里程.目标}", "目标75公里"),
        ("{value: 1220, unit: 亿元, last_year: 1134}", "{道路里程.同比}", "同比增长7.6%"),
        ("{value: 94.3, unit: 万吨, last_year: 100}", "{道路里程.同比}", "同比下降5.7%"),
        ("{value: 100, unit: 个, last_year: 100}", "{道路里程.同比}", "与上年持平"),
        ("{value: 90, unit: 个, last_year: 100}", "上年{道路里程.去年}", "上年100个"),
        ("82.4%", "开工率{道路里程}", "开工率82.4%"),
        ("2.3万", "{道路里程}名环卫工人", "2.3万名环卫工人"),
    ],
)
def test_placeholders_are_filled(tmp_path: Path, figure: str, text: str, expected: str) -> None:
    assert body(checked(tmp_path, f"  道路里程: {figure}", text)) == expected


def test_braces_that_are_not_placeholders_stay_literal(tmp_path: Path) -> None:
    text = "{{ 7*7 }}、{{道路里程}}、{% raw %}、{道路 里程}"
    assert body(checked(tmp_path, "  道路里程: 88公里", text + "{道路里程}")) == text + "88公里"


def test_unknown_figure_is_an_error_at_its_line_with_closest_names(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, "  道路里程: 88公里", "新增{道路历程}")
    assert message.startswith("input.yaml:9:11  sections[0].text[0]：{道路历程} 引用了不存在的指标")
    assert "是否想写 {道路里程}" in message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{道路里程.完成率}", "没有目标值"),
        ("{道路里程.同比}", "没有上年值"),
        ("{道路里程.目标}", "没有目标值"),
        ("{道路里程.去年}", "没有上年值"),
        ("{道路里程.完成度}", "是否想写 {道路里程.完成率}"),
    ],
)
def test_derived_forms_need_their_figures(tmp_path: Path, text: str, reason: str) -> None:
    (message,) = problems(tmp_path, "  道路里程: 88公里", text)
    assert "input.yaml:9:11" in message and reason in message


def test_a_figure_never_used_is_a_warning(tmp_path: Path) -> None:
    result = checked(tmp_path, "  道路里程: 88公里\n  桥梁: 3座", "{道路里程}")
    (warning,) = result.warnings
    assert str(warning).startswith("input.yaml:7:3  figures.桥梁：指标“桥梁”没有在正文中使用")


STATED = "{value: 88, unit: 公里, target: 75, last_year: 80}"


@pytest.mark.parametrize(
    "text",
    [
        "新增{道路里程}（完成率127%）",
        "新增{道路里程}，完成年度目标任务的110%",
        "{道路里程}，同比增长12%",
    ],
)
def test_a_stated_rate_that_disagrees_is_an_error(tmp_path: Path, text: str) -> None:
    (message,) = problems(tmp_path, f"  道路里程: {STATED}", text)
    assert message.startswith("input.yaml:9:11") and "不符" in message
    assert "自动计算" in message


@pytest.mark.parametrize(
    "text",
    ["新增{道路里程}（完成率117%）", "新增{道路里程}（完成率117.3%）", "{道路里程}，同比增长10%"],
)
def test_a_stated_rate_that_agrees_passes(tmp_path: Path, text: str) -> None:
    assert checked(tmp_path, f"  道路里程: {STATED}", text).warnings == []


def test_lenient_turns_a_disagreeing_rate_into_a_warning(tmp_path: Path) -> None:
    result = checked(
        tmp_path, f"  道路里程: {STATED}", "新增{道路里程}（完成率127%）", lenient=True
    )
    (warning,) = result.warnings
    assert "完成率 127%" in str(warning) and "117.3%" in str(warning)
    assert body(result) == "新增88公里（完成率127%）"
