"""Messages name the place of a mistake as staff read it: Chinese titles and positions
(``第3项任务 › 进展状态``), never the programmer's path (``tasks[2].status``).

Each kind's typical places are checked through ``huibao validate``, as staff run it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from generator.introspect import readable_path
from schemas.performance_review import PerformanceReview
from schemas.task_progress import TaskProgress
from schemas.work_summary import WorkSummary
from tests.helpers import build_file_tree

RunCli = Callable[..., tuple[int, str, str]]

PROGRAMMER_PATH = re.compile(r"[a-z_]+\[\d+\]|\b(?:sections|tasks|dimensions|figures)\.")

WORK_SUMMARY = """\
kind: work-summary
title: 某局2024年工作总结
org: 某局
year: 2024
opening:
  - 今年以来，做了很多工作。
  - {段落: 错}
figures:
  道路里程: {value: 88, unit: 公里, target: 七十五}
sections:
  - heading: 主要工作
    text: 做了很多工作。
  - heading: 下一步
    sections:
      - heading: 一
      - heading: 二
      - heading: 三
        run_in: 也许
        items:
          - heading: [甲, 乙]
"""

TASKS = """\
kind: task-progress
title: 2021年重点工作执行情况
org: 某市政府
year: 2021
tasks:
  - task: 任务一
    progress: 已开工。
    departments: 市建委
  - task: 任务二
    progress: 已开工。
    departments: 市建委
  - task: 任务三
    progress: 已开工。
    departments: 市建委
    status: 按期推进
    continued:
      - task: 任务三之二
        progress: 已完成。
        departments: 市建委
        status: 差不多
"""

REVIEW = """\
kind: performance-review
title: 某局2020年度绩效考评目标完成情况
org: 某局
year: 2020
dimensions:
  - name: 日常履职
    targets:
      - name: 小区改造
        indicator: 改造300个。
        completion: 完成302个。
      - name: 道路建设
        indicator: 新建道路75公里。
        completion:
          - heading: [完成, 情况]
            text: 新建88公里。
"""


def validate_errors(run_cli: RunCli, path: Path) -> list[str]:
    """The problem lines ``huibao validate`` prints (exit code 1, no traceback, no English path)."""
    code, out, err = run_cli("validate", str(path))
    assert (code, out) == (1, ""), err
    assert "Traceback" not in err
    assert not PROGRAMMER_PATH.search(err), err
    lines = [line.removeprefix("错误：") for line in err.splitlines()]
    return [line for line in lines if line.startswith(f"{path.name}:")]


def test_work_summary_places(run_cli: RunCli, tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"总结.yaml": WORK_SUMMARY})
    lines = validate_errors(run_cli, tmp_path / "总结.yaml")
    assert lines == [
        "总结.yaml:7:5  开头 › 第2段：应填写文字，这里是一组字段",
        "总结.yaml:9:39  指标“道路里程” › 目标：“七十五”不是数值"
        + lines[1].split("不是数值", 1)[1],
        "总结.yaml:18:17  第2节 › 第3小节 › 标题接排：应填写“是”或“否”（也可写 true 或 false），这里是“也许”",
        "总结.yaml:20:22  第2节 › 第3小节 › 第1条 › 小标题：应填写文字，这里是列表",
    ]


def test_task_progress_places(run_cli: RunCli, tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"任务.yaml": TASKS})
    lines = validate_errors(run_cli, tmp_path / "任务.yaml")
    assert lines[0].startswith("任务.yaml:15:13  第3项任务 › 进展状态：不能填写“按期推进”")
    assert lines[1].startswith(
        "任务.yaml:20:17  第3项任务 › 续行第1行 › 进展状态：不能填写“差不多”"
    )


def test_performance_review_places(run_cli: RunCli, tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"考评.yaml": REVIEW})
    (line,) = validate_errors(run_cli, tmp_path / "考评.yaml")
    assert line == (
        "考评.yaml:14:22  第1个考评维度 › 第2个目标 › 工作完成情况 › 第1项 › 小标题："
        "应填写文字，这里是列表"
    )


def test_progress_report_and_rule_of_law_front_matter(run_cli: RunCli, tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "进展.yaml": "kind: progress-report\ntitle: 报告\norg: 某厅\nyear: 2021\n"
            "recipient: 住房城乡建设部\nreporter: 我省\nperiod:\nsubject: 推进落实\n"
            "sections:\n  - heading: 工作\n",
            "法治.yaml": "kind: rule-of-law-report\ntitle: 报告\norg: 某局\nyear: 2023\n"
            "byline:\n  date: 2024年2月30日\nsections:\n  - heading: 工作\n",
        },
    )
    (line,) = validate_errors(run_cli, tmp_path / "进展.yaml")
    assert line.startswith("进展.yaml:7:8  报告期：报告单位、报告期、报告事项要么都填写")
    (line,) = validate_errors(run_cli, tmp_path / "法治.yaml")
    assert line == "法治.yaml:6:9  署名行 › 发布日期：应填写日期，这里是“2024年2月30日”"


def test_unknown_field_names_what_was_typed_at_its_place(run_cli: RunCli, tmp_path: Path) -> None:
    build_file_tree(
        tmp_path, {"任务.yaml": TASKS.replace("    status: 按期推进", "    statu: 按时推进")}
    )
    code, _, err = run_cli("validate", str(tmp_path / "任务.yaml"))
    assert code == 1
    assert "任务.yaml:15:5  第3项任务：无法识别的字段“statu”" in err
    assert "是否想写“status”（进展状态：" in err


def test_missing_field_points_at_the_mapping_it_belongs_in(run_cli: RunCli, tmp_path: Path) -> None:
    """The hint says what to type (``name: …``); the place is the target's own mapping."""
    text = REVIEW.replace("      - name: 道路建设\n        indicator:", "      - indicator:")
    build_file_tree(tmp_path, {"考评.yaml": text.replace("[完成, 情况]", "完成情况")})
    (line,) = validate_errors(run_cli, tmp_path / "考评.yaml")
    assert (
        line == "考评.yaml:11:9  第1个考评维度 › 第2个目标：缺少必填字段“目标（指标）名称”（name）"
    )
    _, _, err = run_cli("validate", str(tmp_path / "考评.yaml"))
    assert "提示：请添加“name: …”：目标（指标）名称，如“小区改造”。" in err

    top = REVIEW.replace("org: 某局\n", "").replace("[完成, 情况]", "完成情况")
    build_file_tree(tmp_path, {"无机关.yaml": top})
    (line,) = validate_errors(run_cli, tmp_path / "无机关.yaml")
    assert line == "无机关.yaml:1:1  缺少必填字段“发文机关”（org）"


def test_spreadsheet_problems_are_labelled_by_their_column(run_cli: RunCli, tmp_path: Path) -> None:
    """The cell says which row; the label is the column title, the message the fix."""
    form = tmp_path / "任务.xlsx"
    assert run_cli("form", "task-progress", "-o", str(form))[0] == 0
    workbook = openpyxl.load_workbook(form)
    front = {"标题": "执行情况", "发文机关": "某市政府", "年度": "2021"}
    for row in workbook["基本信息"].iter_rows(min_row=2):
        row[1].value = front.get(str(row[0].value), row[1].value)
    workbook["指标"].delete_rows(2)  # the form's example figure, refused if kept
    tasks = workbook["任务"]
    for column, value in enumerate([1, "任务一。", "进展。", None, "按期推进"], start=1):
        tasks.cell(2, column).value = value
    workbook.save(form)
    lines = validate_errors(run_cli, form)
    assert lines == [
        "任务.xlsx:任务!D2  牵头部门：缺少必填字段",
        "任务.xlsx:任务!E2  进展状态：不能填写“按期推进”",
    ]
    assert "提示：请填写“牵头部门”：" in run_cli("validate", str(form))[2]


@pytest.mark.parametrize(
    ("model", "path", "expected"),
    [
        (WorkSummary, ("sections", 5, "items", 1, "txet"), "第6节 › 第2条 › txet"),
        (WorkSummary, ("sections", 1, "sections", 2), "第2节 › 第3小节"),
        (WorkSummary, ("sections", 0, "text", 1), "第1节 › 正文 › 第2段"),
        (WorkSummary, ("opening", 1), "开头 › 第2段"),
        (WorkSummary, ("figures", "道路里程", "target"), "指标“道路里程” › 目标"),
        (WorkSummary, ("figures", "道路.里程", "[key]"), "指标“道路.里程” › 名称"),
        (WorkSummary, ("sections",), "正文各节"),
        (WorkSummary, (), ""),
        (TaskProgress, ("tasks", 2, "status"), "第3项任务 › 进展状态"),
        (
            TaskProgress,
            ("tasks", 2, "continued", 0, "task"),
            "第3项任务 › 续行第1行 › 主要工作任务",
        ),
        (TaskProgress, ("tasks", 0, "progress", 1), "第1项任务 › 进展情况 › 第2条"),
        (TaskProgress, ("tasks", 0, "departments", 1), "第1项任务 › 牵头部门 › 第2个"),
        (
            PerformanceReview,
            ("dimensions", 0, "targets", 1, "completion", 0, "heading"),
            "第1个考评维度 › 第2个目标 › 工作完成情况 › 第1项 › 小标题",
        ),
        (
            PerformanceReview,
            ("dimensions", 0, "targets", 0, "completion", 1, "parts", 0, "items", 2),
            "第1个考评维度 › 第1个目标 › 工作完成情况 › 第2项 › 第1小项 › 第3条",
        ),
    ],
)
def test_readable_path(
    model: type[WorkSummary], path: tuple[str | int, ...], expected: str
) -> None:
    assert readable_path(model, path) == expected


def test_a_figure_name_that_cannot_be_referenced_is_named_at_its_key(
    run_cli: RunCli, tmp_path: Path
) -> None:
    text = WORK_SUMMARY.replace("  - {段落: 错}\n", "").replace(
        "  道路里程: {value: 88, unit: 公里, target: 七十五}", "  道路.里程: 88公里"
    )
    build_file_tree(tmp_path, {"总结.yaml": text})
    lines = validate_errors(run_cli, tmp_path / "总结.yaml")
    assert lines[0] == "总结.yaml:8:3  指标：指标名称“道路.里程”中不能有空格、句点或花括号"
