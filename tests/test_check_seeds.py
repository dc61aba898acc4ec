"""``huibao check`` on the unmodified seeds: no rate or total finding (their checkable rates are
right to rounding), and their real numbering and punctuation findings, listed here by line."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.check import check_file
from tests.helpers import SEEDS

EVERY_OTHER_LINE = list(range(2, 17, 2)) + list(range(20, 59, 2))
EXPECTED: dict[str, dict[str, list[int]]] = {
    "000_d8d9bdc2cfd193d8.txt": {
        "half-width-punctuation": [7, 8],  # 河道(含新开城市河道）, 建筑(不含场馆建筑)
        "range-dash": [4, 7],  # （2020-2022年）, 2011－2015年
    },
    "001_bacda0fce2ec4441.txt": {
        "numbering-order": [4],  # 六是 …… 四是创新管廊技术
        "numbering-gap": [12, 15],  # (2)主次干道 without (1); 三、工作成效 inside 1. 2.
        "range-dash": [4, 6, 23],
        "half-width-punctuation": [
            1,
            2,
            2,
            4,
            4,
            5,
            5,
            7,
            8,
            9,
            9,
            10,
            10,
            12,
            12,
            14,
            15,
            15,
            17,
            17,
            18,
            18,
            19,
            19,
            20,
            20,
            21,
            21,
            22,
            22,
            23,
            23,
        ],
    },
    "002_27bbef743ad819c4.txt": {
        "half-width-punctuation": list(range(1, 31)),
        "range-dash": [4],  # 2021~2022年
        "unpaired-mark": [30],  # 实现“一网通办。
    },
    "004_0487bdcd1988260a.txt": {
        "half-width-punctuation": EVERY_OTHER_LINE,
        "unpaired-mark": [26],  # 实施意见(试行)》 without 《
        "range-dash": [32],  # 1-3个月
    },
}


def _by_rule(path: Path) -> dict[str, list[int]]:
    result = check_file(path)
    found: dict[str, list[int]] = {}
    for finding in result.findings:
        assert finding.place.line is not None
        found.setdefault(finding.rule, []).append(finding.place.line)
    return found


@pytest.mark.parametrize("seed", sorted(path.name for path in SEEDS.glob("*.txt")))
def test_seeds_have_no_rate_or_total_finding(seed: str) -> None:
    result = check_file(SEEDS / seed)
    assert [f for f in result.findings if f.category in ("rate", "total")] == []
    assert result.errors == []


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_the_real_findings_of_a_seed(seed: str) -> None:
    assert _by_rule(SEEDS / seed) == EXPECTED[seed]


def test_the_web_page_seed_003() -> None:
    """A table saved from a web page as text: many half-width marks and 1-6月 ranges, four
    unpaired marks, and its year (2021, from the title) has no stale date in it."""
    result = check_file(SEEDS / "003_b3a6e952f35f28ba.txt")
    assert result.year == 2021
    assert Counter(finding.rule for finding in result.findings) == {
        "half-width-punctuation": 298,
        "range-dash": 44,
        "unpaired-mark": 4,
    }
    unpaired = [f.place.line for f in result.findings if f.rule == "unpaired-mark"]
    assert unpaired == [128, 458, 566, 596]
