"""The examples build with no error finding of ``huibao check``; its warnings on them are real
(the seeds' own punctuation, reproduced) and listed here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import check_file
from generator.pipeline import build_report
from tests.helpers import EXAMPLES

RunCli = Callable[..., tuple[int, str, str]]
WARNINGS: dict[str, list[tuple[str, str]]] = {
    "government-work-report.yaml": [],
    "performance-review.xlsx": [
        ("numbering-gap", "performance-review.xlsx:目标!E8"),  # （2）主次干道 without （1）
        ("range-dash", "performance-review.xlsx:目标!E3"),  # （2016-2020年）
        ("range-dash", "performance-review.xlsx:目标!E4"),  # 10月28日-29日
        ("range-dash", "performance-review.xlsx:目标!E17"),  # （2020-2022年）
    ],
    "performance-review.yaml": [
        ("numbering-gap", "performance-review.yaml:180"),
        ("range-dash", "performance-review.yaml:72"),
        ("range-dash", "performance-review.yaml:109"),
        ("range-dash", "performance-review.yaml:347"),
    ],
    "progress-report.yaml": [
        ("range-dash", "progress-report.yaml:18"),  # 2021~2022年
        ("unpaired-mark", "progress-report.yaml:145"),  # 实现“一网通办。
    ],
    "rule-of-law-report.yaml": [
        ("unpaired-mark", "rule-of-law-report.yaml:38"),  # 实施意见（试行）》 without 《
        ("range-dash", "rule-of-law-report.yaml:47"),  # 1-3个月
    ],
    "work-summary.yaml": [
        ("range-dash", "work-summary.yaml:56"),  # （2020-2022年）
        ("half-width-punctuation", "work-summary.yaml:79"),  # 河道(含新开城市河道）
        ("range-dash", "work-summary.yaml:88"),  # 2011－2015年
        ("half-width-punctuation", "work-summary.yaml:101"),  # 建筑(不含场馆建筑)
    ],
}
TASK_PROGRESS = {"range-dash": 36, "unpaired-mark": 4}  # 1-6月 throughout, as the seed


@pytest.mark.parametrize("example", sorted(WARNINGS))
def test_the_warnings_of_an_example(example: str) -> None:
    result = check_file(EXAMPLES / example)
    assert result.errors == []
    assert [(finding.rule, str(finding.place)) for finding in result.findings] == WARNINGS[example]


@pytest.mark.parametrize("example", ["task-progress.yaml", "task-progress.xlsx"])
def test_the_warnings_of_the_task_progress_example(example: str) -> None:
    result = check_file(EXAMPLES / example)
    assert result.errors == []
    assert Counter(finding.rule for finding in result.findings) == TASK_PROGRESS


@pytest.mark.parametrize("example", sorted(path.name for path in EXAMPLES.iterdir()))
def test_every_example_builds_and_prints_the_check_warnings(
    example: str, tmp_path: Path, run_cli: RunCli
) -> None:
    code, _out, err = run_cli("build", str(EXAMPLES / example), "-o", str(tmp_path / "out.docx"))
    assert code == 0 and (tmp_path / "out.docx").is_file()
    expected = len(check_file(EXAMPLES / example).warnings)
    assert err.count("警告：") >= expected


def test_build_report_returns_the_check_warnings(tmp_path: Path) -> None:
    result = build_report(EXAMPLES / "work-summary.yaml", tmp_path / "out.docx")
    shown = [str(warning) for warning in result.warnings]
    assert any("2011－2015年" in text and "work-summary.yaml:88" in text for text in shown)
