"""Property-based tests of figures: whatever staff type, a figure is exact or refused, never
guessed; a stated rate is accepted exactly when it agrees with the figures at its precision.

The CI profile runs a few dozen examples; ``HYPOTHESIS_PROFILE=long`` runs a campaign. Findings
of campaigns are kept below as explicit examples.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from generator.compute import completion_rate
from generator.errors import InputError
from generator.pipeline import validate_input
from schemas.figures import MAGNITUDES, Figure

VALUE_MAGNITUDES = ["", "万", "亿", "万亿", "千万", "百万", "十万", "千亿", "百亿", "十亿", "千"]
BASES = ["元", "吨", "人次", "户", "平方米", "千瓦时", "千瓦", "千米", "公里", "个"]
UNIT_MAGNITUDES = ["", "万", "亿", "千", "百万", "千万", "十万", "万亿"]

numbers = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
).map(lambda number: number.normalize() if number == number.to_integral() else number)


def _exponent(word: str) -> int:
    return MAGNITUDES.get(word, 0)


def _plain(number: Decimal) -> str:
    return f"{number:f}"


@given(
    number=numbers,
    typed_magnitude=st.sampled_from(VALUE_MAGNITUDES),
    unit_magnitude=st.sampled_from(UNIT_MAGNITUDES),
    base=st.sampled_from(BASES),
    with_unit=st.booleans(),
)
@example(Decimal(20), "亿", "千", "元", False)  # the 20亿 in 千元 = 2000000千元
@example(Decimal(1), "万", "千", "元", False)  # a target of 1万 in 千元 is 10千元
@example(Decimal("1.2"), "亿", "", "千瓦时", False)  # 千瓦时 is kWh, not a magnitude
def test_a_magnitude_converts_into_the_unit_exactly(
    number: Decimal, typed_magnitude: str, unit_magnitude: str, base: str, with_unit: bool
) -> None:
    unit = unit_magnitude + base
    typed = _plain(number) + typed_magnitude + (base if with_unit else "")
    try:
        figure = Figure.model_validate({"value": typed, "unit": unit})
    except ValidationError as error:
        # refused only where the result would be absurd
        assert any(reason in str(error) for reason in ("数值太大", "小数位太多")), str(error)
        return
    if typed_magnitude or with_unit:
        expected = number.scaleb(_exponent(typed_magnitude) - _exponent(unit_magnitude))
    else:
        expected = number  # a bare number is already in the figure's unit
    assert figure.value == expected, (typed, unit, figure.value)
    assert figure.unit == unit


@given(
    st.text(alphabet=st.sampled_from("0123456789.,-+eE%万亿千百十元公里 ，。％１２"), max_size=12)
)
@example("1.2.3")
@example("1e30")
@example("12,34")
@example("1,234.5.6")
@example("0E")
@example("0E.")
def test_any_typed_value_is_a_clean_number_or_refused(typed: str) -> None:
    try:
        figure = Figure.model_validate(typed)
    except ValidationError:
        return
    # accepted: the value is one clean number and the unit holds no digit, comma or dot
    assert figure.value.is_finite()
    assert not any(character in figure.unit for character in "0123456789.,+-，。 ")
    assert figure.unit.upper() != "E"


HEAD = """\
kind: work-summary
title: 某局2024年工作总结
org: 某局
year: 2024
figures:
  指标:
    value: {value}
    target: {target}
sections:
  - heading: 主要工作
    text: "新增{{指标}}，{phrase}"
"""

COMPLETION_SPELLINGS = [
    "完成率{rate}%",
    "完成率为{rate}％",
    "完成率达到了{rate}%",
    "完成年度目标任务的{rate}%",
    "完成全年任务的{rate}%",
    "累计完成目标任务的{rate}%",
    "达到全年计划的{rate}%",
]


@given(
    value=st.integers(min_value=1, max_value=10**9),
    target=st.integers(min_value=1, max_value=10**9),
    places=st.integers(min_value=0, max_value=2),
    spelling=st.sampled_from(COMPLETION_SPELLINGS),
    error=st.sampled_from([0, 0, 1, -1, 7]),
)
def test_a_stated_completion_rate_passes_exactly_when_it_agrees(
    tmp_path_factory: pytest.TempPathFactory,
    value: int,
    target: int,
    places: int,
    spelling: str,
    error: int,
) -> None:
    figure = Figure.model_validate({"value": value, "target": target})
    rate = completion_rate(figure)
    assert rate is not None
    step = Decimal(1).scaleb(-places)
    shown = rate.quantize(step, rounding=ROUND_HALF_UP) + step * error
    if shown < 0:
        return
    path = tmp_path_factory.mktemp("rate") / "in.yaml"
    phrase = spelling.format(rate=_plain(shown))
    path.write_text(HEAD.format(value=value, target=target, phrase=phrase), encoding="utf-8")
    if error == 0:
        validate_input(path)
    else:
        with pytest.raises(InputError, match="不符"):
            validate_input(path)


def test_the_rate_check_reads_the_seeds_figures(tmp_path: Path) -> None:
    """Seed 000: 新建城市道路88公里(完成率117%) with a target of 75 km agrees."""
    path = tmp_path / "in.yaml"
    path.write_text(
        HEAD.format(value="88", target="75", phrase="（完成率117%）").replace(
            "新增", "新建城市道路"
        ),
        encoding="utf-8",
    )
    assert validate_input(path).warnings == []
