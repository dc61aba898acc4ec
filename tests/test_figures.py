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


@pytest.mark.parametrize(
    "typed",
    ["八十八", "约88", "1,22", "12%%", "1.2.3", "1e30", "1E5", "12,34", "NaN", "Infinity"],
)
def test_values_that_are_not_numbers_are_errors_at_their_line(tmp_path: Path, typed: str) -> None:
    (message,) = problems(
        tmp_path, f"  道路里程:\n    value: {typed}\n    unit: 公里", "{道路里程}"
    )
    assert message.startswith("input.yaml:7:12  指标“道路里程” › 数值：")
    assert f"“{typed}”不是数值" in message


def test_percent_value_with_another_unit_is_an_error(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, "  开工率:\n    value: 82.4%\n    unit: 个", "{开工率}")
    assert message.startswith("input.yaml:7:12") and "单位应为“%”或不写" in message


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("88公里多", "单位与指标的单位“公里”不一致"),
        ("88米", "单位与指标的单位“公里”不一致"),
        ("20亿吨", "单位与指标的单位“公里”不一致"),
    ],
)
def test_a_value_typed_with_another_unit_is_an_error_at_its_line(
    tmp_path: Path, typed: str, reason: str
) -> None:
    (message,) = problems(
        tmp_path, f"  道路里程:\n    value: {typed}\n    unit: 公里", "{道路里程}"
    )
    assert message.startswith("input.yaml:7:12") and reason in message


@pytest.mark.parametrize(
    "typed", ["1.2.3", "1e30", "12,34", "88公里2", "5.5.5万元", "12,3456元", "1..2", "1.5e3元"]
)
def test_a_short_form_that_is_not_a_clean_number_and_unit_is_refused(
    tmp_path: Path, typed: str
) -> None:
    (message,) = problems(tmp_path, f"  道路里程: {typed}", "{道路里程}")
    assert message.startswith("input.yaml:6:9") and "不是数值" in message


@pytest.mark.parametrize(
    ("data", "value", "target"),
    [
        ({"value": "20亿", "unit": "千元"}, "2000000", None),
        ({"value": "20亿元", "unit": "千元", "target": "1万"}, "2000000", "10"),
        ({"value": "3", "unit": "百万元", "target": "2千万"}, "3", "20"),
        ({"value": "1.5亿", "unit": "千万元"}, "15", None),
        ({"value": "30万吨", "unit": "万吨", "target": "25"}, "30", "25"),
        ({"value": "1.2亿", "unit": "亿千瓦时", "target": "10000万"}, "1.2", "1"),
        ({"value": "1.2亿", "unit": "千瓦时"}, "120000000", None),  # 千瓦时 is kWh, not 10^3 瓦时
        ({"value": "1.5万", "unit": "千米"}, "15000", None),
        ({"value": "2.5万", "unit": "万千瓦"}, "2.5", None),
        ({"value": "356.8万", "unit": "万人次", "target": "3000000"}, "356.8", "3000000"),
        ({"value": "5千", "unit": "元"}, "5000", None),
        ({"value": "0.5万", "unit": "亿元"}, "0.00005", None),
        ({"value": "1万亿", "unit": "亿元"}, "10000", None),
    ],
)
def test_magnitudes_convert_into_every_unit(
    data: dict[str, str], value: str, target: str | None
) -> None:
    figure = Figure.model_validate(data)
    assert f"{figure.value:f}" == value
    assert (f"{figure.target:f}" if figure.target is not None else None) == target


@pytest.mark.parametrize("unit", ["百元", "十户"])
def test_a_magnitude_whose_meaning_in_the_unit_is_unclear_is_refused(
    tmp_path: Path, unit: str
) -> None:
    (message,) = problems(tmp_path, f"  经费:\n    value: 2万\n    unit: {unit}", "{经费}")
    assert message.startswith("input.yaml:7:12") and "换算关系不明确" in message


def test_a_converted_figure_prints_in_its_own_unit(tmp_path: Path) -> None:
    figures = "  经费:\n    value: 20亿\n    unit: 千元\n    target: 1万"
    assert body(checked(tmp_path, figures, "{经费}，目标{经费.目标}")) == "2000000千元，目标10千元"


def test_a_figure_prints_exactly_as_typed(tmp_path: Path) -> None:
    result = checked(tmp_path, "  比例: 94.30%\n  里程: 10.50公里", "{比例}、{里程}")
    assert body(result) == "94.30%、10.50公里"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("1" + "0" * 24, "数值太大"), ("0.0000000000001", "小数位太多")],
)
def test_absurd_magnitudes_are_refused(tmp_path: Path, typed: str, reason: str) -> None:
    (message,) = problems(tmp_path, f"  经费: {typed}元", "{经费}")
    assert "input.yaml:6" in message and reason in message


def test_rates_of_the_largest_figures_are_exact(tmp_path: Path) -> None:
    figures = "  经费:\n    value: '9' * 24\n".replace("'9' * 24", "9" * 24)
    figures += "    target: 0.000000000003\n    last_year: 1"
    result = checked(tmp_path, figures, "{经费.完成率}；{经费.同比}")
    completion = int("9" * 24) // 3 * 10**14  # (10^24 - 1) / (3 × 10^-12) × 100, exactly
    change = (int("9" * 24) - 1) * 100
    assert body(result) == f"{completion}%；同比增长{change}%"


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
    text = "{{ 7*7 }}、{% raw %}、{道路 里程}、{{{道路里程"
    assert body(checked(tmp_path, "  道路里程: 88公里", text + "{道路里程}")) == text + "88公里"


def test_doubled_braces_print_a_placeholder_literally(tmp_path: Path) -> None:
    text = "写{{道路里程}}和{{道路里程.完成率}}引用指标：{道路里程}"
    result = checked(tmp_path, "  道路里程: 88公里", text)
    assert body(result) == "写{道路里程}和{道路里程.完成率}引用指标：88公里"


def test_the_unknown_figure_hint_shows_how_to_print_braces(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, "  道路里程: 88公里", "{某指标}")
    assert "写成两层花括号：{{某指标}}" in message


def test_unknown_figure_is_an_error_at_its_line_with_closest_names(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, "  道路里程: 88公里", "新增{道路历程}")
    assert message.startswith(
        "input.yaml:9:11  第1节 › 正文 › 第1段：{道路历程} 引用了不存在的指标"
    )
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
    assert str(warning).startswith("input.yaml:7:3  指标“桥梁”：没有在正文中使用")


STATED = "{value: 88, unit: 公里, target: 75, last_year: 80}"


@pytest.mark.parametrize(
    "text",
    [
        "新增{道路里程}（完成率127%）",
        "新增{道路里程}，完成年度目标任务的110%",
        "{道路里程}，同比增长12%",
        "新增{道路里程}（完成率127％）",
        "新增{道路里程}，完成率达到了127%",
        "新增{道路里程}，完成率为127%",
        "新增{道路里程}，完成率达127%",
        "新增{道路里程}，完成目标任务127%",
        "新增{道路里程}，累计完成目标任务的127%",
        "新增{道路里程}，完成全年任务的127%",
        "新增{道路里程}，完成2024年度目标任务的127%",
        "新增{道路里程}，达到全年计划的127%",
        "新增{道路里程}，为年度目标的127%",
        "{道路里程}，同比增加12%",
        "{道路里程}，同比增长了12%",
        "{道路里程}，同比增长约12%",
        "{道路里程}，比上年增长12%",
        "{道路里程}，较上年增长12%",
        "{道路里程}，较上年同期增长12%",
        "{道路里程}，比去年同期增长12％",
        "{道路里程}，比2023年增长12%",
        "{道路里程}，同比提高12%",
        "{道路里程}，同比增速达12%",
        "{道路里程}，同比下降10%",
        "{道路里程}，同比减少10%",
        "{道路里程}，同比增幅为12%",
        "{道路里程}，同比增长超20%",
        "{道路里程}，同比增长近5%",
    ],
)
def test_a_stated_rate_that_disagrees_is_an_error(tmp_path: Path, text: str) -> None:
    (message,) = problems(tmp_path, f"  道路里程: {STATED}", text)
    assert message.startswith("input.yaml:9:11") and "不符" in message
    assert "自动计算" in message


@pytest.mark.parametrize(
    "text",
    [
        "新增{道路里程}（完成率117%）",
        "新增{道路里程}（完成率117.3%）",
        "{道路里程}，同比增长10%",
        "新增{道路里程}（完成率117.3％）",
        "新增{道路里程}，完成率达到了117%",
        "新增{道路里程}，完成年度目标任务的117.33%",
        "新增{道路里程}，达到全年计划的117%",
        "{道路里程}，比上年增长10%",
        "{道路里程}，较上年同期增长10.0%",
        "{道路里程}，同比增长约10%",
        "{道路里程}，同比增长超9%",
        "{道路里程}，同比增长近11%",
        "{道路里程}，同比增长10个百分点",  # points, not a rate of the figure
        "{道路里程}，其中主干道完成率90%",  # about something else
        "{道路里程}，建成桥梁5座，完成率100%",  # the rate follows another number
    ],
)
def test_a_stated_rate_that_agrees_passes(tmp_path: Path, text: str) -> None:
    assert checked(tmp_path, f"  道路里程: {STATED}", text).warnings == []


def test_lenient_turns_a_disagreeing_rate_into_a_warning(tmp_path: Path) -> None:
    result = checked(
        tmp_path, f"  道路里程: {STATED}", "新增{道路里程}（完成率127%）", lenient=True
    )
    (warning,) = result.warnings
    assert "写的“完成率127%”" in str(warning) and "117.3%" in str(warning)
    assert body(result) == "新增88公里（完成率127%）"


# --- findings of the hostile campaign, kept as examples ------------------------------------


@pytest.mark.parametrize(
    ("figure", "text", "expected"),
    [
        (
            "{value: 88, target: 7.5万, last_year: 8万}",
            "{X.目标}，{X.完成率}，{X.同比}",
            "75000，0.1%，同比下降99.9%",
        ),
        ("{value: 2.3万人, target: 3万}", "{X}，{X.完成率}", "2.3万人，76.7%"),
        ("{value: 2.3万, unit: 人, target: 30000}", "{X}，{X.完成率}", "23000人，76.7%"),
        (
            "{value: 1234567890123456789.0123456789万, unit: 元}",
            "{X}",
            "12345678901234567890123.456789元",
        ),
        ("{value: 12, unit: 万㎡}", "{X}", "12万㎡"),
        ("17.5℃", "{X}", "17.5℃"),
        ("3tCO₂", "{X}", "3tCO₂"),
        ("3㎞", "{X}", "3㎞"),
        ("'-0.0'", "{X}", "0.0"),
    ],
)
def test_units_and_magnitudes_campaign_findings(
    tmp_path: Path, figure: str, text: str, expected: str
) -> None:
    assert body(checked(tmp_path, f"  X: {figure}", text)) == expected


@pytest.mark.parametrize(
    ("figure", "reason"),
    [
        ("{value: 88, target: 75公里}", "单位与指标的单位“（无单位）”不一致"),
        ("{value: 2.3万人, target: 30000}", "没有写单位，而数值写的是以“万人”计"),
        ("{value: [1]}", "应填写一个数值，不是列表"),
        ("{value: 3万, unit: 万万}", "单位“万万”无法识别"),
        ("{value: 5‰, unit: 个}", "带“‰”，但指标的单位是“个”"),
    ],
)
def test_unclear_amounts_are_refused_campaign_findings(
    tmp_path: Path, figure: str, reason: str
) -> None:
    (message,) = problems(tmp_path, f"  X: {figure}", "{X}")
    assert reason in message


@pytest.mark.parametrize(
    "text",
    [
        "实现地区生产总值{道路里程}，按可比价格计算，比上年增长5.2%",
        "{道路里程}，增加值同比增长5%",
        "{道路里程}，上半年同比增长5%",
        "{道路里程}，扣除价格因素，同比增长5%",
        "{道路里程}，上年完成率为50%",
        "{道路里程}，增速比上年提高5%",
        "{道路里程}，完成率较上年提高5%",
        "{道路里程}，桥梁完成率50%",
        "{道路里程}\n桥梁完成率50%",
    ],
)
def test_a_rate_about_something_else_is_not_checked(tmp_path: Path, text: str) -> None:
    figures = f"  道路里程: {STATED}"
    path = tmp_path / "input.yaml"
    path.write_text(
        HEAD.format(figures=figures, text="x").replace('    text: "x"\n', "    text: |\n")
        + "".join(f"      {line}\n" for line in text.splitlines()),
        encoding="utf-8",
    )
    assert validate_input(path).warnings == []


@pytest.mark.parametrize(
    "text",
    [
        "{道路里程}，比上年末增长12%",
        "{道路里程}，比上年度增长12%",
        "{道路里程}，与上年相比增长12%",
        "{道路里程}，与去年同期相比增长12%",
        "{道路里程}，同比增长率12%",
        "{道路里程}，增长12%",
        "{道路里程}，增幅12%",
        "{道路里程}，同比负增长12%",
        "{道路里程}，同比增长-10%",
        "{道路里程}，与上年持平",
        "{道路里程}，同比持平",
        "{道路里程}，占年度目标的127%",
        "{道路里程}，完成全年任务量的127%",
        "{道路里程}，完成比例127%",
        "{道路里程}，完成进度127%",
        "{道路里程}，完成率近200%",
        "{道路里程}，完成率超10%",
        "{道路里程}，完成率１２７％",
    ],
)
def test_more_rate_spellings_are_checked_campaign_findings(tmp_path: Path, text: str) -> None:
    (message,) = problems(tmp_path, f"  道路里程: {STATED}", text)
    assert "不符" in message


@pytest.mark.parametrize(
    "text", ["{道路里程}，同比增长10%", "{道路里程}，同比负增长-10%", "{道路里程}，完成率超100%"]
)
def test_signed_and_bounded_rates_that_agree_pass(tmp_path: Path, text: str) -> None:
    assert checked(tmp_path, f"  道路里程: {STATED}", text).warnings == []


@pytest.mark.parametrize(
    "near_miss",
    ["{道路里程.完成率 }", "{道路里程.完成率}}", "{{道路里程}", "{ 道路里程 }", "{{{道路里程}}}"],
)
def test_near_miss_placeholders_are_errors(tmp_path: Path, near_miss: str) -> None:
    (message,) = problems(tmp_path, f"  道路里程: {STATED}", "新增{道路里程}，" + near_miss)
    assert f"“{near_miss}”像是引用指标" in message and "{{名称}}" in message
