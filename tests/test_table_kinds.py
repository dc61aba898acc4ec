"""Validation of the two table kinds: what staff type into task-progress and performance-review."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from generator.load import load_source
from generator.pipeline import build_report
from generator.validate import validate_report
from schemas.base import ReportBase
from schemas.performance_review import PerformanceReview
from schemas.task_progress import TaskProgress
from tests.helpers import docx_paragraphs

TASKS = """\
kind: task-progress
title: 2024年某市政府工作报告重点工作执行情况
org: 某市人民政府办公室
year: 2024
period: 1-9月
tasks:
  - task: 建设轨道上的某市。
    progress: 已开工。
    departments: 市发展改革委、各县（市、区）政府
    status: 按时推进
"""

REVIEW = """\
kind: performance-review
title: 某局2024年度绩效考评目标完成情况
org: 某局
year: 2024
dimensions:
  - name: 日常履职
    targets:
      - name: 小区改造
        key: 是
        indicator: 完成300个老旧小区改造。
        completion:
          - heading: 完成情况
            text: 完成302个。
          - heading: 工作举措
            items:
              - heading: 健全政策体系
                text: 出台文件。
              - 加快工作推进。
"""


def validate(tmp_path: Path, text: str) -> ReportBase:
    path = tmp_path / "input.yaml"
    path.write_text(text, encoding="utf-8")
    return validate_report(load_source(path))


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        validate(tmp_path, text)
    return [str(problem) for problem in caught.value.problems]


def test_departments_typed_with_commas_keep_bracketed_names_whole(tmp_path: Path) -> None:
    report = validate(tmp_path, TASKS)
    assert isinstance(report, TaskProgress)
    assert report.tasks[0].departments == ["市发展改革委", "各县（市、区）政府"]
    assert report.tasks[0].progress == ["已开工。"]


@pytest.mark.parametrize("typed", ["按时 推进", " 按时推进 "])
def test_status_tolerates_stray_spaces(tmp_path: Path, typed: str) -> None:
    report = validate(tmp_path, TASKS.replace("status: 按时推进", f'status: "{typed}"'))
    assert isinstance(report, TaskProgress) and report.tasks[0].status == "按时推进"


def test_status_outside_the_vocabulary_names_the_closest(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, TASKS.replace("按时推进", "按期推进"))
    assert message.startswith("input.yaml:10:13  第1项任务 › 进展状态：不能填写“按期推进”")
    assert "是否想写“按时推进”" in message
    assert "按时推进、进度较快、部分滞后、进度滞后" in message


def test_status_may_be_left_empty(tmp_path: Path) -> None:
    report = validate(tmp_path, TASKS.replace("status: 按时推进", "status:"))
    assert isinstance(report, TaskProgress) and report.tasks[0].status is None


def test_a_task_without_progress_or_departments_is_an_error(tmp_path: Path) -> None:
    text = TASKS.replace("    progress: 已开工。\n", "").replace(
        "departments: 市发展改革委、各县（市、区）政府", "departments: []"
    )
    messages = problems(tmp_path, text)
    assert any("第1项任务：缺少必填字段“进展情况”（progress）" in message for message in messages)
    assert any("第1项任务 › 牵头部门：至少要有 1 项" in message for message in messages)


def test_single_progress_point_is_not_numbered_several_are(tmp_path: Path) -> None:
    source = tmp_path / "tasks.yaml"
    text = TASKS + "  - task: 第二项。\n    progress: [甲。, 乙。]\n    departments: 市财政局\n"
    source.write_text(text, encoding="utf-8")
    output = tmp_path / "tasks.docx"
    build_report(source, output)
    cells = [text for style, text in docx_paragraphs(output) if style == "表格文字"]
    assert "已开工。" in cells and "1.甲。" in cells and "2.乙。" in cells
    assert ("表格居中", "市发展改革委、\n各县（市、区）政府") in docx_paragraphs(output)


def test_completion_entries_items_and_plain_text(tmp_path: Path) -> None:
    report = validate(tmp_path, REVIEW)
    assert isinstance(report, PerformanceReview)
    target = report.dimensions[0].targets[0]
    assert target.key and target.indicator == ["完成300个老旧小区改造。"]
    assert target.completion[1].items[1].text == "加快工作推进。"
    plain = validate(
        tmp_path, REVIEW.split("        completion:\n")[0] + "        completion: 已完成。\n"
    )
    assert isinstance(plain, PerformanceReview)
    assert plain.dimensions[0].targets[0].completion[0].text == ["已完成。"]


def test_completion_renders_numbers_items_and_star(tmp_path: Path) -> None:
    source = tmp_path / "review.yaml"
    source.write_text(REVIEW, encoding="utf-8")
    output = tmp_path / "review.docx"
    build_report(source, output)
    paragraphs = docx_paragraphs(output)
    assert ("表格居中", "★小区改造") in paragraphs
    assert ("表格文字", "1.完成情况。完成302个。") in paragraphs
    assert ("表格文字", "2.工作举措。一是健全政策体系。出台文件。二是加快工作推进。") in paragraphs


def test_completion_nested_three_levels_is_reported(tmp_path: Path) -> None:
    text = REVIEW.replace(
        "          - heading: 工作举措\n",
        "          - heading: 分项\n            parts:\n              - heading: 完成情况\n"
        "                parts:\n                  - text: 太深\n          - heading: 工作举措\n",
    )
    (message,) = problems(tmp_path, text)
    assert (
        "完成情况层级太深" in message
        and "第1个考评维度 › 第1个目标 › 工作完成情况 › 第2项 › 第1小项 › 小项：" in message
    )
